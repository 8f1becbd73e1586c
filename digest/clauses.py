"""Where a sentence too long for a highlight can be cut and still say what it said: before the
second of two facts ("…; …", ", but …", " — …"), and, for a highlight, before a clause that
only says when, why or of whom ("… after she wrote a tweet …", "…, which …"); never inside a
quotation (:func:`balanced`). Deterministic.

Used by :mod:`digest.sentences` (a compressed sentence says its first fact) and
:mod:`digest.highlights` (a highlight says its main clause, the paragraph the whole sentence).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from digest.sameness import names_in
from digest.text import words_in

__all__ = ["OPENS_SINGLE", "aside_alone", "balanced", "first_fact", "has_verb", "main_clause"]


_DASH = r"\s+(?:[—–]|--)\s+"
# an aside between two dashes, without figures ("— particularly among Black women —"): a long
# sentence goes on without it, and a pair of dashes is no boundary between two facts
_DASH_ASIDE = re.compile(rf"{_DASH}(?:(?![—–]|--)[^\d]){{1,90}}?{_DASH}")

# where a sentence that says two things goes on to the second, or to what only adds to the first
# (", riding a wave of …", ", with …", ", including …"): a sentence too long for a highlight is cut
# there (three reports of two 37-word sentences each gave a story no highlight)
# (", according to …" is no second fact but who told the first: a figure keeps who gave it)
_SECOND_FACT = re.compile(r";\s+|\s+(?:[—–]|--)\s+|,\s+(?:but|while|whereas)\s+"
                          r"|,\s+(?=(?!according\s)[a-z]+ing\s|(?:with|including|as well as)\s)|[；，]")
# an attribution that goes on to describe its source: "…, according to a previously undisclosed
# U.S. intelligence report that could add weight to growing calls for …" says who told it without
# what follows the source's name
_SOURCE_DESCRIBED = re.compile(r"(,\s+according to\s+[^,;:—–]{3,80}?)(?:\s+that|,?\s+(?:which|who|whose))\s"
                               r"[^;:—–]+?(?=[.!]?$)")

# where a main clause goes on to a clause that says when, why or of whom: a subordinate clause
# with its subject ("… after she wrote a tweet", "… as he convened 40 world leaders", "…
# before turning the gun on himself"), a relative one after its comma (", which catalyzed …"),
# another main clause (", and he urged …"). "As" only before a pronoun: "pitched herself as a
# 'compassionate disruptor'" needs what follows it; "until" and "since" never ("will remain
# closed until …" says something else without it).
_SUBORDINATE_CLAUSE = re.compile(
    r",?\s+(?:(?:but|after|before|because|when|while|so)\s+(?=(?:he|she|they|it|we|i|you|the|a|an|his|her|"
    r"their|its|our|this|these|those|[a-z]+ing)\b)|as\s+(?=(?:he|she|they|it|we|i|you)\b))"
    r"|,\s+(?:who|which|where)\s|,\s+and\s+(?=(?:he|she|they|it|we|the|a|an|his|her|their|its)\s)")
# a main clause that ends on when it happened, or on a verb of going, needs the clause after it:
# "came more than a year | after …", "hours | after …", "began | after the Civil War", "the first
# test of limits on abortion access to go | before the Supreme Court"
_NEEDS_MORE = re.compile(r"\b(?:years?|months?|weeks?|days?|hours?|minutes?|moments?|decades?|century|"
                         r"centuries|shortly|soon|just|right|long|began|begun|start|started|immediately|only|"
                         r"even|time|go|goes|going|gone|went|come|comes|coming|came)$", re.IGNORECASE)
# nor one that ends on a verb of knowing or saying: what follows is its object ("struggling to
# determine | when a school district should be allowed to …")
_ASKING = re.compile(r"\b(?:determine[sd]?|determining|decided?|deciding|know|knew|knows|ask(?:s|ed)?|"
                     r"wonder(?:s|ed)?|explain(?:s|ed)?|say|says|said|tell|told|understand|unclear|clear|"
                     r"sure|learn(?:ed)?|see|saw|show(?:s|ed)?|reveal(?:s|ed)?)$", re.IGNORECASE)
# nor one with "as" among its last words: a comparison's second "as" follows ("in as good a position
# | as they can")
_AS_MUCH_AS = re.compile(r"\bas\s+(?:\S+\s+){0,3}\S+$", re.IGNORECASE)
# nor does one that ends on a few words set off by a comma: "…, a warning | before they lose their
# ability to vote"
_SET_OFF = re.compile(r",\s+(?:\S+\s+){0,2}\S+$")

# a word no English sentence ends on: speech broken off mid-phrase, to go on after a dash
_OPEN_END = re.compile(r"\b(?:the|a|an|and|or|but|nor|of|to|with|in|on|at|by|for|from|about|into|than|is|"
                       r"are|was|were|be|been|he[’']s|it[’']s|we[’']re|they[’']re|our|their|my|your)$",
                       re.IGNORECASE)
# a sentence that opens on a subordinate clause ("When …, they did so …") has its main clause after
# a comma, not one inside a date ("June 1, 2020")
_SUBORDINATE = re.compile(r"(?:when|while|although|though|if|because|since|unless|after|before|once|until|"
                          r"whereas|as)\s", re.IGNORECASE)
_MAIN_AFTER = re.compile(r",\s+(?!\d)\w")


def first_fact(sentence: str, longest: int) -> str:
    """A sentence of more than ``longest`` words that says two things, cut after the first (an
    aside between two dashes goes first); else the sentence as it is."""
    if words_in(sentence) <= longest:
        return sentence
    dashes = len(re.findall(_DASH, sentence))
    if dashes == 2:  # one aside; more are speech broken off and taken up again ("as — as the …")
        sentence = _DASH_ASIDE.sub(_without_aside, sentence)
        dashes = len(re.findall(_DASH, sentence))
    attributed = _SOURCE_DESCRIBED.sub(r"\1", sentence, count=1)
    if attributed != sentence and words_in(attributed) <= longest:
        return attributed if attributed.endswith((".", "!")) else attributed + "."
    # dashes around an aside, or speech taken up again: no boundary
    return _cut(sentence, _SECOND_FACT, longest, paired=dashes > 1) or sentence


def main_clause(sentence: str, longest: int) -> str:
    """A written sentence of more than ``longest`` words cut before the clause that says when,
    why or of whom its main clause happened: "Biden is also proposing a series of tax hikes on
    the rich." (without ", which his administration vows will not hit Americans who make less
    than $400,000 …"). Else the sentence as it is, too long still. Not one that opens on a
    subordinate clause ("Because of Putin's choices, his flagrant violation …, Putin has …"):
    its main clause is not at its start."""
    if words_in(sentence) <= longest or _SUBORDINATE.match(sentence):
        return sentence
    return _cut(sentence, _SUBORDINATE_CLAUSE, longest, paired=False, ends=_ends_a_clause) or sentence


def _ends_a_clause(head: str, rest: str) -> bool:
    """Whether ``head`` says its fact without ``rest``, the clause after it."""
    return not (_NEEDS_MORE.search(head) or _ASKING.search(head) or _SET_OFF.search(head)
                or _AS_MUCH_AS.search(head) or words_in(rest) < 3 or not balanced(head)
                or len(re.findall(_DASH, head + " ")) % 2 == 1)  # inside an aside between dashes


def _cut(sentence: str, boundaries: re.Pattern[str], longest: int, *, paired: bool,
         ends: Callable[[str, str], bool] | None = None) -> str | None:
    """``sentence`` up to the last of ``boundaries`` that leaves a sentence of 8 to ``longest``
    words, ended with a full stop (and where ``ends`` says that part stands without the rest);
    None if none does."""
    for boundary in reversed(list(boundaries.finditer(sentence))):
        head = sentence[: boundary.start()]
        if paired and boundary.group().strip() in ("—", "–", "--"):
            continue
        if _OPEN_END.search(head):  # "… to speak in a — on a …": no end
            continue
        if ends is not None and not ends(head, sentence[boundary.end():]):
            continue
        if _SUBORDINATE.match(sentence) and not _MAIN_AFTER.search(head):
            continue  # "When the Park Police led officers into a crowd … on June 1, 2020.": no sentence
        if 8 <= words_in(head) <= longest:
            full_stop = "。" if boundary.group().strip() in "；，" else "."
            return head.rstrip(" ,") + full_stop
    return None


def balanced(sentence: str) -> bool:
    """Whether the sentence closes every quotation it opens, and opens every one it closes: a
    quotation that runs over several sentences is no sentence of its own ("“We are working with
    our technical staff to identify where the discrepancy occurred." with the quotation closed
    a sentence later, where "the board said" is)."""
    opened = [m.end() for m in OPENS_SINGLE.finditer(sentence)]
    if opened and not _CLOSES_SINGLE.search(sentence, opened[-1]):
        return False  # "He said: 'There is an SNP candidate in this constituency." goes on in the next one
    if _ENDS_SINGLE.search(sentence) and not OPENS_SINGLE.search(sentence):
        return False  # and ends there: "… get another referendum.'"
    return (sentence.count("“") == sentence.count("”") and sentence.count("«") == sentence.count("»")
            and sentence.count('"') % 2 == 0)


# British papers' single quotation marks, opening before a word, closing after one (or "players' ")
OPENS_SINGLE = re.compile(r"(?:^|(?<=[\s(]))['‘](?=\w)")
_CLOSES_SINGLE = re.compile(r"(?<=[\w.,!?])['’](?=[\s.,;:!?)]|$)")
_ENDS_SINGLE = re.compile(r"[.!?]['’]$")


def _without_aside(aside: re.Match[str]) -> str:
    """A space for an aside between dashes, or the aside itself when it lists whom or what the
    sentence is about ("The three countries — China, Russia and Iran — held drills")."""
    text = aside.group()
    before = aside.string[: aside.start()].split()
    if before and text.split()[1:2] == before[-1:]:  # "as — as": the same word taken up again
        return text
    listing = ("," in text or " and " in text) and len(names_in(text)) >= 2
    return text if listing else " "


# what a sentence needs to say something as a clause: a verb (an auxiliary, a modal, a past, a
# contraction, a third person after its subject; a rough test), and an aside opening it with no
# clause after it ("Without getting into intelligence, obviously, Russians protesting in the streets.")
_FINITE = re.compile(r"\b(?i:is|are|was|were|has|have|had|will|would|can|could|should|must|remains?|"
                     r"\w+(?:ed|es)|\w+n['’]t)\b|['’](?:s|re|ll|ve|d)\b"
                     r"|(?:\b[A-Z][\w’'-]*|\b(?i:he|she|it|this|that|who|which))\s+(?:\w+ly\s+)?[a-z]+s\b")
_ASIDE_FIRST = re.compile(r"^(?:(?:and|but|so),?\s+)?(?:without|despite|aside from|beyond|given)\b",
                          re.IGNORECASE)


def has_verb(sentence: str) -> bool:
    """Whether an English sentence has a verb to say something with (a rough test, see _FINITE)."""
    return _FINITE.search(sentence) is not None


def aside_alone(sentence: str) -> bool:
    """Whether an English sentence is an aside with no clause to go with it ("Without getting into
    intelligence, obviously, Russians protesting in the streets."): no headline, no highlight."""
    return _ASIDE_FIRST.match(sentence) is not None and not has_verb(sentence)

