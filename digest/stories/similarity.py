"""How alike two units are: TF-IDF cosines over words and over names and numbers (each language
on its own), multilingual vectors, and the same-story model (a logistic regression over pair
features, shipped as digest/stories/same_story.json) that reads them all."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from digest import vectors
from digest.sentences import split_sentences
from digest.text import CJK, WIDE, is_cjk, stop_words

__all__ = ["PairFeatures", "by_language", "combine", "feature_text", "language_key", "name_terms",
           "same_story_probability", "term_matrices", "tfidf", "vectorize", "word_terms"]

_TERM = re.compile(rf"[{CJK}]+|\w\w+")
_HAN_OR_KANA = re.compile(f"[{WIDE}]")
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
    sentence (people, places, organisations) and numbers (dates, tolls, scores). Chinese and
    Japanese mark no names by capitals: their proper nouns are read against a dictionary
    (digest/stories/crosslingual.py); in other scripts without capitals (Arabic, Hebrew, Thai)
    any word may be a name, and every one counts."""
    language, text = document
    if len(_HAN_OR_KANA.findall(text[:600])) > len(text[:600]) / 4:
        from digest.stories.crosslingual import han_names

        return han_names(text)
    stop = stop_words(language)
    if not _cased(text[:2000]):
        return [t for t in (m.group().lower() for m in _TERM.finditer(text)) if t not in stop]
    names: list[str] = []
    for starts, token in _NAME.findall("\n" + text):
        if token[0].isdigit() or (token[0].isupper() and not starts):
            token = token.lower()
            if token not in stop:
                names.append(token)
    return names


_CASED = re.compile(r"[A-Za-zÀ-ɏͰ-ϿЀ-ԯԱ-֏Ⴀ-ჿ]")
_LETTER = re.compile(r"[^\W\d_]")


def _cased(text: str) -> bool:
    """Whether most of the text's letters have a capital form (Latin, Cyrillic, Greek,
    Armenian, Georgian): where a capital marks a name."""
    letters = len(_LETTER.findall(text))
    return len(_CASED.findall(text)) > letters / 2 if letters else True


def language_key(language: str | None) -> str:
    """The language texts are grouped by: its two-letter code ("" when unknown)."""
    return (language or "")[:2].lower()


def by_language(languages: Sequence[str | None], documents: Sequence[Any],
                matrix: Callable[[Sequence[Any]], sparse.csr_matrix]) -> sparse.csr_matrix:
    """``matrix`` of each language's documents on its own, as one block-diagonal matrix whose
    rows are in the documents' order: two languages' rows have a product of 0, and one
    language's weights never change with another's documents."""
    groups: dict[str, list[int]] = {}
    for i, language in enumerate(languages):
        groups.setdefault(language_key(language), []).append(i)
    if len(groups) <= 1:
        return matrix(documents)
    order = [i for members in groups.values() for i in members]
    blocks = [matrix([documents[i] for i in members]) for members in groups.values()]
    stacked = sparse.block_diag(blocks, format="csr", dtype=np.float32)
    return stacked[np.argsort(np.array(order))]


def tfidf(term_lists: Sequence[list[str]]) -> sparse.csr_matrix:
    """L2-normalised rows of TF-IDF (sublinear) over lists of terms; a row without terms is 0."""
    try:
        return sparse.csr_matrix(TfidfVectorizer(analyzer=_given, sublinear_tf=True, dtype=np.float32)
                                 .fit_transform(term_lists))
    except ValueError:  # no terms at all
        return sparse.csr_matrix((len(term_lists), 1), dtype=np.float32)


def _given(terms: list[str]) -> list[str]:
    return terms


def term_matrices(documents: Sequence[tuple[str | None, str]]) -> tuple[sparse.csr_matrix,
                                                                       sparse.csr_matrix]:
    """TF-IDF of the documents' words and of their names and numbers (see :func:`word_terms`
    and :func:`name_terms`), each language on its own (:func:`by_language`)."""
    languages = [lang for lang, _ in documents]
    return (by_language(languages, [word_terms(d) for d in documents], tfidf),
            by_language(languages, [name_terms(d) for d in documents], tfidf))


def combine(words: sparse.csr_matrix, names: sparse.csr_matrix, names_weight: float) -> sparse.csr_matrix:
    """L2-normalised rows whose product is ``(1 - w) * words cosine + w * names cosine`` (a text
    without names compares by its words alone)."""
    parts = [m * np.float32(math.sqrt(weight)) for m, weight in ((words, 1 - names_weight),
                                                                 (names, names_weight)) if weight > 0]
    return sparse.csr_matrix(normalize(sparse.hstack(parts).tocsr()))


def vectorize(documents: Sequence[tuple[str | None, str]], names_weight: float) -> sparse.csr_matrix:
    """The plain similarity's rows: :func:`combine` of :func:`term_matrices`. Sparse: memory
    grows with the text, not with the count squared."""
    return combine(*term_matrices(documents), names_weight)


class PairFeatures:
    """What the same-story model reads of two units, within a language and across languages:

    - ``words``, ``names``: cosines of TF-IDF over their words and over their names and numbers
      (title and text), for two texts in one language (0 across languages);
    - ``title``, ``lead``: the same over words of their titles (or first sentences) and of
      their leads (first three sentences);
    - ``numbers``: the overlap of the numbers they mention;
    - ``meaning``: the cosine of their multilingual vectors (digest/vectors.py), in any script;
    - ``bridge``: across languages, the cosine of what reads the same in any language (names
      transliterated, numbers; Chinese glossed: digest/stories/crosslingual.py), 0 within one;
    - ``cross``: 1 for two languages, 0 for one.

    Computed for pairs of units near each other only, a batch at a time: sparse rows multiplied
    element by element, so time grows with the pairs and their terms."""

    NAMES = ("words", "names", "title", "lead", "numbers", "meaning", "bridge", "cross")
    _BATCH = 8192  # pairs at a time: each sparse row is copied once per pair

    def __init__(self, words: sparse.csr_matrix, names: sparse.csr_matrix, titles: sparse.csr_matrix,
                 leads: sparse.csr_matrix, numbers: sparse.csr_matrix, meaning: np.ndarray,
                 languages: np.ndarray, bridge: Callable[[], sparse.csr_matrix]) -> None:
        self.words, self.names, self.titles, self.leads = words, names, titles, leads
        self.numbers = numbers  # 0/1 per number mentioned
        self.meaning = meaning
        self.languages = languages
        self._bridge = bridge
        self._bridge_matrix: sparse.csr_matrix | None = None

    @classmethod
    def of_texts(cls, documents: Sequence[tuple[str | None, str, str]], meaning: np.ndarray, *,
                 terms: tuple[sparse.csr_matrix, sparse.csr_matrix] | None = None) -> PairFeatures:
        """From (language, title, text) triples and their vectors (rows of ``meaning``);
        ``terms``: their :func:`term_matrices`, when made already (of :func:`feature_text`)."""
        languages = [lang for lang, _, _ in documents]
        if terms is None:
            terms = term_matrices([(lang, feature_text(title, text)) for lang, title, text in documents])
        titles = [word_terms((lang, title or (split_sentences(text[:400]) or [""])[0]))
                  for lang, title, text in documents]
        leads = [word_terms((lang, " ".join(split_sentences(text[:1500])[:3])))
                 for lang, _, text in documents]
        numbers = [[n for n in _NUMBER.findall(text[:3000])] for _, _, text in documents]

        def bridge() -> sparse.csr_matrix:
            from digest.stories.crosslingual import bridge_matrix

            return bridge_matrix([(lang, text[:3000]) for lang, _, text in documents])

        return cls(*terms, by_language(languages, titles, tfidf), by_language(languages, leads, tfidf),
                   _presence(numbers), np.asarray(meaning, dtype=np.float32),
                   np.array([language_key(lang) for lang in languages]), bridge)

    @property
    def bridge(self) -> sparse.csr_matrix:
        """Made when first asked for: only stories in several languages need it."""
        if self._bridge_matrix is None:
            self._bridge_matrix = self._bridge()
        return self._bridge_matrix

    def features(self, i: int, others: np.ndarray) -> np.ndarray:
        """One row of features per unit in ``others``, against unit ``i``."""
        return self.pairs(np.full(len(others), i, dtype=np.int64), np.asarray(others, dtype=np.int64))

    def pairs(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """One row of features per pair (``left[k]``, ``right[k]``)."""
        out = np.zeros((len(left), len(self.NAMES)))
        for start in range(0, len(left), self._BATCH):
            a, b = left[start : start + self._BATCH], right[start : start + self._BATCH]
            rows = out[start : start + self._BATCH]
            for column, matrix in enumerate((self.words, self.names, self.titles, self.leads)):
                rows[:, column] = _row_products(matrix, a, b)
            shared = _row_products(self.numbers, a, b)
            mentioned = np.diff(self.numbers.indptr)
            union = mentioned[a] + mentioned[b] - shared
            rows[:, 4] = np.divide(shared, union, out=np.zeros(len(a)), where=union > 0)
            rows[:, 5] = np.einsum("ij,ij->i", self.meaning[a], self.meaning[b])
            cross = self.languages[a] != self.languages[b]
            if cross.any():
                rows[cross, 6] = _row_products(self.bridge, a[cross], b[cross])
            rows[:, 7] = cross
        return out


def feature_text(title: str, text: str) -> str:
    """What a unit's words and names are counted in: its title (twice: it says what matters)
    and the start of its text."""
    return f"{title}\n{title}\n{text[:3000]}"


def _row_products(matrix: sparse.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1), dtype=np.float64).ravel()


def _presence(lists: Sequence[list[str]]) -> sparse.csr_matrix:
    """A 0/1 row per list: which of all the lists' items it holds."""
    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for items in lists:
        indices.extend(sorted({vocabulary.setdefault(item, len(vocabulary)) for item in items}))
        indptr.append(len(indices))
    return sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                             shape=(len(lists), max(1, len(vocabulary))))


_NUMBER = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")


@cache
def _same_story_model() -> tuple[np.ndarray, float]:
    """The same-story model's weights and intercept (logistic regression over
    ``PairFeatures.NAMES``), shipped in the package."""
    data = json.loads((Path(__file__).parent / "same_story.json").read_text(encoding="utf-8"))
    assert tuple(data["features"]) == PairFeatures.NAMES, "same_story.json is for other features"
    assert data["vectors"] == vectors.MODEL, "same_story.json is for other vectors"
    return np.array(data["weights"], dtype=np.float64), float(data["intercept"])


def same_story_probability(features: np.ndarray) -> np.ndarray:
    weights, intercept = _same_story_model()
    return 1.0 / (1.0 + np.exp(-(features @ weights + intercept)))
