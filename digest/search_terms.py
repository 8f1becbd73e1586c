"""What search indexes and asks for, in every language the sources write: a text as the terms
it is found by, and a query as the terms it needs.

- Words in a language Snowball has a stemmer for (PyStemmer: English, Russian, Arabic, French,
  German, Spanish and two dozen more) are indexed by their stem in the article's language, so
  ``военнопленный`` finds ``военнопленных`` and ``обмена`` finds ``обмен``.
- Chinese and Japanese (and Korean Hangul) runs, written without spaces, are indexed as
  overlapping character pairs (``仁爱礁`` -> ``仁爱 爱礁``): a query of two characters or more
  finds every text holding it, whatever a word segmenter would have made of either (FTS5's
  trigram tokenizer cannot find a two-character word such as ``水炮``; bench/search.py
  measures both). A pair is written in ASCII (``cjk4ec1x7231``), which every tokenizer and
  text search parser takes as one word, whatever the database's locale.
- A query word is stemmed for every language the store holds articles in (it may be any of
  them): the article matches when one of those stems is among its terms.

SQLite indexes all of :func:`index_terms` with FTS5; PostgreSQL indexes each article with the
text search configuration of its language and, under ``simple``, its CJK pairs only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from digest.text import CJK

__all__ = ["PG_CONFIGS", "SNOWBALL", "index_terms", "query_terms", "query_words", "search_columns"]

# ISO 639-1 code -> Snowball stemmer (PyStemmer's names)
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "eo": "esperanto", "es": "spanish", "et": "estonian", "eu": "basque",
    "fa": "persian", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "nl": "dutch", "no": "norwegian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "st": "sesotho", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
# PostgreSQL's own text search configurations (Snowball too), by ISO 639-1 code
PG_CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
_TOKEN = re.compile(rf"[{CJK}]+|[^\W{CJK}_]+")
_RUN = re.compile(f"[{CJK}]")


@lru_cache(maxsize=64)
def _stemmer(language: str) -> object | None:
    import Stemmer

    name = SNOWBALL.get(language)
    return Stemmer.Stemmer(name, 50_000) if name else None  # PyStemmer caches 50,000 words


def _stem(word: str, language: str | None) -> str:
    stemmer = _stemmer(language or "")
    folded = word.casefold()
    return stemmer.stemWord(folded) if stemmer is not None else folded  # type: ignore[attr-defined]


def _code(chars: str) -> str:
    return "cjk" + "x".join(f"{ord(c):x}" for c in chars)


def _pairs(run: str) -> list[str]:
    return [_code(run)] if len(run) < 2 else [_code(run[i:i + 2]) for i in range(len(run) - 1)]


def index_terms(text: str, language: str | None, *, words: bool = True) -> str:
    """``text`` as the space-separated terms it is indexed by: stems in ``language`` (English
    when it is not known, as before languages were told apart; unless not ``words``) and
    pairs of CJK characters."""
    language = (language or "en").lower()[:2]
    terms: list[str] = []
    for token in _TOKEN.findall(text):
        if _RUN.match(token):
            terms.extend(_pairs(token))
        elif words:
            terms.append(_stem(token, language))
    return " ".join(terms)


def search_columns(title: str, text: str, language: str | None, *,
                   words: bool = True) -> dict[str, str]:
    """An article's terms as the ``articles`` table keeps them beside it (``words``: False on
    PostgreSQL, which stems words itself with the article's configuration)."""
    return {"search_title": index_terms(title, language, words=words),
            "search_text": index_terms(text, language, words=words)}


def query_words(query: str) -> list[str]:
    """The query's words that are not CJK runs, as typed (for a database's own stemming)."""
    return [token for token in _TOKEN.findall(query) if not _RUN.match(token)][:20]


def query_terms(query: str, languages: Iterable[str]) -> list[list[str]]:
    """The query as groups of terms: an article matches when it holds a term of every group
    (a word's stems in each of ``languages``, or one of a CJK run's character pairs; a lone
    CJK character is a prefix, marked with a trailing ``*``). At most 20 groups."""
    codes = sorted({(code or "").lower()[:2] for code in languages} | {"en"})
    groups: list[list[str]] = []
    for token in _TOKEN.findall(query):
        if _RUN.match(token):
            groups.extend([[pair + "*" if len(token) < 2 else pair] for pair in _pairs(token)])
        else:
            groups.append(sorted({_stem(token, code) for code in codes} | {token.casefold()}))
    return groups[:20]
