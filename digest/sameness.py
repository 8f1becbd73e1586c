"""Whether two sentences of a story say the same thing (in other words: "sent condolences" /
"expressed condolences") or count the same thing differently ("222-190" / "220-to-190"), and how
alike a story's sentences are: used by :mod:`digest.highlights` so that a story says each fact
once, and one way."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

import numpy as np

from digest.text import WIDE, stop_words

__all__ = ["PARAPHRASE", "names_in", "paraphrases", "restates", "similarities", "tallies_differ"]

_WORD = re.compile(r"\w+", re.UNICODE)
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+")


def _stems(sentence: str) -> set[str]:
    """Its words of four letters or more by the first five letters of their stem ("share",
    "sharing" and "shared" are one); in Chinese and Japanese, written without spaces, its pairs of
    characters ("踩踏红线" and "踩线越界" share "踩"…; "付出代价" is three pairs)."""
    found = {_stem(w) for w in _WORD.findall(sentence.lower()) if len(w) > 3 and not _WIDE.search(w)}
    for run in _WIDE.findall(sentence):
        found.update(run[n:n + 2] for n in range(len(run) - 1))
    return found


_WIDE = re.compile(f"[{WIDE}]+")


@cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english", 50_000)


def _stem(word: str) -> str:
    """The first five letters of an English word's Snowball stem (other languages' words lose
    little more than an English ending would take: the five letters were the stem before)."""
    return str(_stemmer().stemWord(word.replace("’", "'").removesuffix("'s")))[:5]


def names_in(sentence: str) -> set[str]:
    """The capitalised words that name someone or something: not a stop word of the languages
    the stories know (an opening "The", "Les", "Die"), a day or a month."""
    return {w.lower() for w in _CAPITALISED.findall(sentence)} - _not_names()


@cache
def _not_names() -> frozenset[str]:
    days_and_months = {n.lower() for n in (*calendar.day_name, *calendar.month_name) if n}
    return frozenset(days_and_months).union(*(stop_words(lang) for lang in ("fr", "de", "es", "ru")))


def restates(sentence: str, other: str, share: float = 0.6, named_share: float = 0.4) -> bool:
    """Whether the shorter sentence says what the other does: ``share`` of its content words or
    more (5-letter stems) are in the other, two besides names among them, a paraphrase that
    character n-grams miss ("sent condolences" / "expressed condolences"); or a good part of them
    are, and every name in one (three or more) is in the other, with a word besides them: the
    same event told in other words ("Norland and Estmark signed a treaty to share the Silva River"
    / "After a decade of quarrels over the Silva River, Norland and Estmark have signed a
    water-sharing treaty")."""
    a, b = _stems(sentence), _stems(other)
    shorter = min(len(a), len(b))
    if shorter == 0:
        return False
    shared = a & b
    if len(shared) / shorter < named_share:
        return False
    # not only who: what of them ("treaty", written so in one, is said even if the other has "Treaty")
    said_besides = shared - {_stem(name) for name in names_in(sentence) & names_in(other)}
    if len(shared) / shorter >= share and len(said_besides) >= 2:
        return True
    fewer, more = sorted((names_in(sentence), names_in(other)), key=len)
    return len(fewer) >= 3 and fewer <= more and bool(shared - {_stem(name) for name in more})


# the cosine of two sentences' multilingual vectors (digest.vectors) from which they tell one fact:
# two outlets' openings ("The Supreme Court sided unanimously with college athletes, ruling the
# NCAA's restrictions on education benefits … violate … antitrust laws" / "The Supreme Court ruled
# in a unanimous decision Monday that the NCAA has illegally restricted education-based benefits",
# 0.78) share too few words to be caught by them. At 0.7, 7 of the 106 AllSides tune roundups'
# highlights changed (a restatement made way for "The vote, conducted by secret ballot, was
# 134-46."), for the same ROUGE-1 on both halves; at 0.6, ROUGE-1 fell 0.4 (the human summaries
# tell the event once, at length).
PARAPHRASE = 0.7


def paraphrases(sentence: str, other: str) -> bool:
    """Whether two sentences tell the same fact in other words, as their sentence vectors tell."""
    return float(_vector(sentence) @ _vector(other)) >= PARAPHRASE


@lru_cache(maxsize=4096)
def _vector(sentence: str) -> Any:
    from digest.vectors import encode

    return encode([sentence])[0]


# a tally ("222-190", "220-to-190", "285 to 120") and the words around it, which say what it counts
_TALLY = re.compile(r"(?<![\w.,])(\d[\d,]*)\s*(?:-|–|-to-|\sto\s)\s*(\d[\d,]*)(?![\w])")


def _tallies(sentence: str) -> list[tuple[str, set[str]]]:
    stop = stop_words("en")
    found = []
    for match in _TALLY.finditer(sentence):
        around = _WORD.findall(sentence[: match.start()].lower())[-3:] + \
            _WORD.findall(sentence[match.end():].lower())[:3]
        found.append((f"{match.group(1)}-{match.group(2)}".replace(",", ""),
                      {w[:5] for w in around if w not in stop and not w.isdigit()}))
    return found


def tallies_differ(sentence: str, other: str) -> bool:
    """Whether the two sentences count the same thing differently ("The vote was 222-190" and
    "The 220-to-190 party-line vote", from two outlets): said side by side, the reader cannot
    tell which is right; the first said stands."""
    return any(mine != theirs and words & their_words
               for mine, words in _tallies(sentence) for theirs, their_words in _tallies(other))


@cache
def _analyzer() -> Any:
    """scikit-learn's character 4-grams within words (imported when a story is first told)."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer="char_wb", ngram_range=(4, 4), lowercase=True).build_analyzer()


def similarities(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarities of the texts' TF-IDF vectors (sublinear counts, smoothed IDF) over
    character 4-grams, which match word forms across inflections and scripts (3- to 5-grams
    scored the same on the CNN/DM train sample at 2.5 times the cost). A story has a few dozen
    sentences: counted here directly, as scikit-learn would, without its per-call checks and
    sparse matrices, which cost more than the counting."""
    analyzer = _analyzer()
    grams = [Counter(analyzer(text)) for text in texts]
    keys = [gram for counted in grams for gram in counted]
    if not keys:
        return np.zeros((len(texts), len(texts)))
    vocabulary = {gram: i for i, gram in enumerate(dict.fromkeys(keys))}
    rows = np.repeat(np.arange(len(texts)), [len(counted) for counted in grams])
    columns = np.fromiter((vocabulary[gram] for gram in keys), dtype=np.int64, count=len(keys))
    counts = np.fromiter((n for counted in grams for n in counted.values()), dtype=float, count=len(keys))
    matrix = np.zeros((len(texts), len(vocabulary)))  # a story's few dozen sentences: dense is faster
    matrix[rows, columns] = np.log(counts) + 1.0
    df = np.bincount(columns, minlength=len(vocabulary))
    matrix *= np.log((1 + len(texts)) / (1 + df)) + 1.0
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms > 0, norms, 1.0)
    return matrix @ matrix.T
