"""What the code knows about text, in one place: which characters text may hold, the scripts
(where words have no spaces between them, which marks go on through a word), how words and
sizes are counted, stop words, and what a question looks like in the languages ministries speak.

Scraped and imported text is untrusted: a ``&#1;`` in a headline, a NUL in a name typed on the
sign-up page or 30,000 spaces in an imported briefing must not reach a feed, PostgreSQL or a
regular expression as they came. The store's column types (digest/models.py) apply
:func:`clean` to every string written; :func:`xml_safe` is for what goes into XML anyway.
Used by the extraction (scraper/extract/), the transcript reader, highlights and stories.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["CJK", "HAN", "HANGUL", "KANA", "MARKS", "QUESTION_WORDS", "SYLLABIC", "WIDE", "clean",
           "collapse_spaces", "ends_a_question", "is_cjk", "lettered_words", "plural", "stop_words",
           "support_words", "text_size", "word_count", "words_in", "xml_safe"]

# --- scripts ---------------------------------------------------------------------------------------
# Chinese and Japanese (kana, CJK ideographs and compatibility ideographs) and Korean (Hangul
# syllables) are written without spaces between words, or with few: their words are counted,
# compared and searched by characters
KANA = "\u3040-\u30ff"
HAN = "\u3400-\u9fff\uf900-\ufaff"
HANGUL = "\uac00-\ud7af"
WIDE = KANA + HAN  # Chinese and Japanese
CJK = WIDE + HANGUL
# Thai, Lao, Burmese and Khmer: no spaces between words either, and vowel signs and tone marks
# that are no letters to a regular expression
SYLLABIC = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
# the vowel signs and marks of other scripts (Hindi's matras and viramas, Arabic's shadda and
# vowels) are no letters to a regular expression either: a word goes on through them
MARKS = "".join(re.escape(chr(c)) for c in range(0x300, 0x2000) if unicodedata.category(chr(c))[0] == "M")
_MARK = re.compile(f"[{MARKS}]")
_CJK_CHAR = re.compile(f"[{CJK}]")

# what says something: a word of four letters or more (not "the", "of", "a"), and in the scripts
# written without spaces between words each pair of characters in a run of them
_SUPPORT_WORD = re.compile(rf"[{WIDE}{SYLLABIC}]{{2}}|[^\W{WIDE}{SYLLABIC}]{{4,}}")
_SUPPORT_WORD_MARKED = re.compile(rf"[{WIDE}{SYLLABIC}]{{2}}|(?:[^\W{WIDE}{SYLLABIC}][{MARKS}]*){{4,}}")
_UNSPACED_CHAR = re.compile(f"[{WIDE}{SYLLABIC}]")


def is_cjk(char: str) -> bool:
    """Whether ``char`` is Chinese, Japanese or Korean (Hangul)."""
    return _CJK_CHAR.match(char) is not None


def support_words(text: str) -> list[str]:
    """The words of ``text`` that say something (see above); a text without marks is read the
    quicker way."""
    return (_SUPPORT_WORD_MARKED if _MARK.search(text) else _SUPPORT_WORD).findall(text)


_LETTERED = re.compile(r"[^\W\d_]{2,}")


def lettered_words(text: str) -> int:
    """Words of two letters or more, in any script: what says something, where "14:11 EST" or
    "Go ahead, Mike." has few."""
    return len(_LETTERED.findall(text))


def word_count(text: str) -> int:
    """Words in ``text``; in a run of characters written without spaces, a word per two
    Chinese or Japanese characters, per four of the Thai, Lao, Burmese or Khmer ones (a
    word's letters with its vowel signs and tone marks)."""
    unspaced = _UNSPACED_CHAR.findall(text)
    if not unspaced:
        return len(text.split())
    syllabic = sum(1 for ch in unspaced if ch < "\u3000")  # the Thai to Khmer blocks come first
    return len(text.split()) + (len(unspaced) - syllabic) // 2 + syllabic // 4


def words_in(sentence: str) -> int:
    """A sentence's words as a reader counts them: "U.S.-China" is two, "4.25" two (a Chinese
    or Japanese word is two characters: :func:`word_count`)."""
    return word_count(_NOT_A_WORD.sub(" ", sentence))


_NOT_A_WORD = re.compile(r"[^\w\s]+")


def text_size(text: str) -> int:
    """Length in Latin-script characters: a Chinese, Japanese or Korean character counts as three."""
    return len(text) + 2 * len(_CJK_CHAR.findall(text))


@cache
def stop_words(language: str | None) -> frozenset[str]:
    """English stop words, and the text's own language's where the stop-words package has them
    (French, German, Spanish, Russian, Arabic, Chinese, Japanese and some thirty more)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # imported when first needed
    from stop_words import StopWordError, get_stop_words

    if language and language != "en":
        try:
            return frozenset(get_stop_words(language.lower()[:2])) | ENGLISH_STOP_WORDS
        except StopWordError:
            pass
    return frozenset(ENGLISH_STOP_WORDS)


# --- questions -------------------------------------------------------------------------------------
# the word a transcript labels a question with, in the languages ministries brief in
QUESTION_WORDS = ("q", "question", "questions", "frage", "вопрос", "питання", "问", "問", "质问",
                  "質問", "질문", "سؤال", "سوال", "پرسش", "प्रश्न", "שאלה", "pregunta", "pergunta",
                  "domanda", "vraag", "pytanie", "soru")

# a question's last characters: a question mark (Latin, full-width, Arabic) and the closing
# quotes or brackets after it, or the particles that end a Chinese question (吗, 呢, 嗎) or a
# Japanese one (か), or a Japanese reporter's request ("…をお聞かせください。")
_QUESTION_TAIL = re.compile(r"(?:[?？؟]\s?[\"'”’»」』)）]{0,3}|[吗呢嗎か][。？?.]?"
                            r"|(?:ください|下さい|お願いします|伺います|伺いたいと思います)。?)$")


def ends_a_question(text: str) -> bool:
    """Whether ``text`` ends as a question does. Looks at its last few characters only, so a
    text padded with any amount of whitespace costs the same."""
    return _QUESTION_TAIL.search(text.rstrip()[-8:]) is not None


# --- what text may hold ----------------------------------------------------------------------------
# C0 controls but tab, LF and CR; DEL; lone surrogates; U+FFFE and U+FFFF (not characters)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[^\S\n]{2,}")


def clean(text: str) -> str:
    """``text`` without control characters (tab and line breaks stay), lone surrogates and
    non-characters."""
    return _FORBIDDEN.sub("", text)


def collapse_spaces(text: str) -> str:
    """Each run of spaces and tabs (not line breaks) as one space, each line trimmed: how
    text reads, whatever whitespace the source padded it with."""
    return "\n".join(line.strip() for line in _SPACES.sub(" ", text).split("\n"))


def xml_safe(text: str) -> str:
    """``text`` as XML 1.0 can hold it (also C1 controls, which it allows but no reader wants,
    go)."""
    return re.sub("[\x80-\x9f]", "", clean(text)).replace("\r", "")


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """"1 subscriber", "3 subscribers", "2 stories": a count with its noun (``nouns``: the
    plural, when not the noun and "s")."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
