"""How alike two units are: TF-IDF cosines over words and over names and numbers, and the
same-story model (a logistic regression over pair features, shipped as digest/stories/same_story.json)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from digest.highlights import split_sentences
from digest.stories.units import Unit
from digest.text import CJK, is_cjk, stop_words

__all__ = ["PairFeatures", "name_terms", "same_story_probability", "vectorize", "word_terms"]

_TERM = re.compile(rf"[{CJK}]+|\w\w+")
_NAME = re.compile(r"([.!?:\n\"“«]\s*)?(\w[\w'’.-]*\w|\w)")  # (sentence start, token)


def word_terms(document: tuple[str | None, str]) -> list[str]:
    """Words of a (language, text) pair, without stop words; runs of Chinese, Japanese or Korean
    characters (which have no spaces) as overlapping character pairs."""
    language, text = document
    stop = stop_words(language)
    terms: list[str] = []
    for match in _TERM.finditer(text.lower()):
        token = match.group()
        if is_cjk(token[0]):
            terms.extend(token[i : i + 2] for i in range(max(1, len(token) - 1)))
        elif token not in stop:
            terms.append(token)
    return terms


def name_terms(document: tuple[str | None, str]) -> list[str]:
    """What tells one event from another of the same kind: capitalised words that do not start a
    sentence (people, places, organisations) and numbers (dates, tolls, scores)."""
    language, text = document
    stop = stop_words(language)
    names: list[str] = []
    for starts, token in _NAME.findall("\n" + text):
        if token[0].isdigit() or (token[0].isupper() and not starts):
            token = token.lower()
            if token not in stop:
                names.append(token)
    return names


def vectorize(documents: Sequence[tuple[str | None, str]], names_weight: float) -> sparse.csr_matrix:
    """L2-normalised rows of TF-IDF over words joined with TF-IDF over names, so that a row
    product is ``(1 - w) * words cosine + w * names cosine`` (a text without names compares by
    its words alone). Sparse: memory grows with the text, not with the count squared."""
    parts = []
    for analyzer, weight in ((word_terms, 1 - names_weight), (name_terms, names_weight)):
        if weight <= 0:
            continue
        vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, dtype=np.float32)
        try:
            parts.append(vectorizer.fit_transform(documents) * np.float32(math.sqrt(weight)))
        except ValueError:  # no terms at all
            continue
    if not parts:
        return sparse.csr_matrix((len(documents), 1), dtype=np.float32)
    return normalize(sparse.hstack(parts).tocsr())


class PairFeatures:
    """What the same-story model reads of two units: the cosines of their words, of their names
    and numbers, of their titles and of their leads (first three sentences), and the overlap
    of the numbers they mention. Computed for a unit's nearest neighbours only."""

    NAMES = ("words", "names", "title", "lead", "numbers")

    def __init__(self, words: sparse.csr_matrix, names: sparse.csr_matrix, titles: sparse.csr_matrix,
                 leads: sparse.csr_matrix, numbers: list[frozenset[str]], cased: np.ndarray) -> None:
        self.words, self.names, self.titles, self.leads = words, names, titles, leads
        self.numbers = numbers
        self.cased = cased  # per text: written in a script with capital letters (names show)

    @classmethod
    def of(cls, units: Sequence[Unit]) -> PairFeatures:
        return cls.of_texts([(u.article.language, "" if u.is_segment else u.article.title, u.text)
                             for u in units])

    @classmethod
    def of_texts(cls, documents: Sequence[tuple[str | None, str, str]]) -> PairFeatures:
        """From (language, title, text) triples."""
        def matrix(analyzer: Any, texts: list[tuple[str | None, str]]) -> sparse.csr_matrix:
            try:
                found = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True,
                                        dtype=np.float32).fit_transform(texts)
            except ValueError:  # no terms at all
                return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
            return normalize(found).tocsr()

        bodies = [(lang, text[:3000]) for lang, _, text in documents]
        titles = [(lang, title or (split_sentences(text[:400]) or [""])[0])
                  for lang, title, text in documents]
        leads = [(lang, " ".join(split_sentences(text[:1500])[:3])) for lang, _, text in documents]
        return cls(matrix(word_terms, bodies), matrix(name_terms, bodies), matrix(word_terms, titles),
                   matrix(word_terms, leads),
                   [frozenset(_NUMBER.findall(text[:3000])) for _, _, text in documents],
                   np.array([_cased(text[:2000]) for _, _, text in documents], dtype=bool))

    def features(self, i: int, others: np.ndarray) -> np.ndarray:
        """One row of features per unit in ``others``, against unit ``i``."""
        columns = [np.asarray((m[others] @ m[i].T).todense()).ravel()
                   for m in (self.words, self.names, self.titles, self.leads)]
        mine = self.numbers[i]
        columns.append(np.array([len(mine & self.numbers[j]) / len(mine | self.numbers[j])
                                 if mine or self.numbers[j] else 0.0 for j in others.tolist()]))
        return np.column_stack(columns) if len(others) else np.zeros((0, len(self.NAMES)))


_NUMBER = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")


def _cased(text: str) -> bool:
    """Whether most of the text's letters have a capital form (Latin, Cyrillic, Greek): where
    a capital marks a name."""
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if c.lower() != c.upper()) > len(letters) / 2 if letters else False


@cache
def _same_story_model() -> tuple[np.ndarray, float]:
    """The same-story model's weights and intercept (logistic regression over
    ``PairFeatures.NAMES``), shipped in the package."""
    data = json.loads((Path(__file__).parent / "same_story.json").read_text(encoding="utf-8"))
    assert tuple(data["features"]) == PairFeatures.NAMES, "same_story.json is for other features"
    return np.array(data["weights"], dtype=np.float64), float(data["intercept"])


def same_story_probability(features: np.ndarray) -> np.ndarray:
    weights, intercept = _same_story_model()
    return 1.0 / (1.0 + np.exp(-(features @ weights + intercept)))
