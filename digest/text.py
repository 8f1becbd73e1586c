"""What stored and shown text may hold: no control characters (but tab and line breaks), no
lone surrogates, no characters XML forbids, and no runs of spaces without end.

Scraped and imported text is untrusted: a ``&#1;`` in a headline, a NUL in a name typed on the
sign-up page or 30,000 spaces in an imported briefing must not reach a feed, PostgreSQL or a
regular expression as they came. The store's column types (digest/models.py) apply
:func:`clean` to every string written; :func:`xml_safe` is for what goes into XML anyway.
"""

from __future__ import annotations

import re

__all__ = ["clean", "collapse_spaces", "ends_a_question", "xml_safe"]

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


# a question's last characters: a question mark (Latin, full-width, Arabic) and the closing
# quotes or brackets after it, or the particles that end a Chinese question (吗, 呢, 嗎)
_QUESTION_TAIL = re.compile(r"(?:[?？؟]\s?[\"'”’»」』)）]{0,3}|[吗呢嗎][。？?.]?)$")


def ends_a_question(text: str) -> bool:
    """Whether ``text`` ends as a question does. Looks at its last few characters only, so a
    text padded with any amount of whitespace costs the same."""
    return _QUESTION_TAIL.search(text.rstrip()[-8:]) is not None
