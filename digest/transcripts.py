"""Read a press briefing's transcript: who speaks when, who asks and who answers.

Ministries publish briefings in many conventions: ``AFP: …`` then ``Lin Jian: …`` (China MFA,
and ``法新社记者：…`` with a full-width colon in Chinese), ``QUESTION:`` / ``MR PRICE:`` (US State
Department), ``Вопрос:`` / ``М.В.Захарова:`` (Russia MID), ``Shri Randhir Jaiswal, Official
Spokesperson:`` and ``Sidhant: Sir Sidhant from WION.`` (India MEA), ``Question:`` and ``Press
Secretary:`` on lines of their own (Japan MOFA), ``Frage:`` / ``Sprecher:`` (Germany), ``Q -`` /
``R -`` (France), ``(Q)`` / ``(A)``, ``【記者】``. Rather than a list of them, a *turn* is found by
its shape: a paragraph that opens with a short label (a few capitalised words, a name, an
outlet, a role; or CJK characters) followed by a colon, a dash or a bracket, or a label alone on
its line. Then the roles: the spokesperson is the label the title names, or one that says so
(spokesperson, press secretary, 发言人, Ответ, Sprecher, R, A), or the label that answers
questions from the most others; every other label asks.

The transcript is cut into segments, and every paragraph belongs to exactly one: opening
announcements (each spokesperson paragraph before the first question is one) and exchanges
(the asker's turns up to the answer, then the answer: a follow-up asked after an answer is an
exchange of its own, since it gets an answer of its own). Called by the story stage
(digest/stories/units.py) for official sources' articles.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from digest.domain import Segment
from digest.speakers import (
    ANSWER_ROLES,
    ASKER_ROLES,
    Turn,
    asked_by,
    find_answerers,
    is_role,
    label_key,
    official_names,
    spokesperson_name,
)
from digest.text import CJK as _CJK
from digest.text import QUESTION_WORDS, ends_a_question, stop_words, support_words, word_count

__all__ = ["READER_VERSION", "Segment", "Transcript", "is_role", "read_transcript"]

# stored segments read by an older version of this reader are read again (digest/stages.py)
READER_VERSION = 5

# label, then a colon (ASCII or full-width); the label is short and has no sentence inside it
_COLON = re.compile(r"^\s*(?P<label>[^\s:：.?!。？！][^:：\n]{0,70}?)\s*[:：]\s*(?P<rest>.*)$", re.DOTALL)
_BRACKET = re.compile(r"^\s*[【\[(（](?P<label>[^】\])）\n]{1,24})[】\])）]\s*(?P<rest>.*)$", re.DOTALL)
_DASH = re.compile(r"^\s*(?P<label>[A-Z]{1,2}|Q\.|R\.)\s+[-–—]\s+(?P<rest>.*)$", re.DOTALL)
# lower-case words a label may hold ("Islamic Republic of Iran Broadcasting", "Sidhant from WION")
_LABEL_GLUE = {"of", "the", "from", "de", "la", "le", "du", "des", "der", "die", "und", "di", "del",
               "al", "el", "and", "for", "y", "et", "van", "von", "da", "do", "news"}
FLOOD_ANNOUNCEMENTS = 15  # more announcements than this, and three times the questions: misread


@dataclass(frozen=True, kw_only=True)
class Transcript:
    spokesperson: str | None
    segments: tuple[Segment, ...]

    @property
    def questions(self) -> int:
        return sum(1 for s in self.segments if s.question is not None)

    @property
    def implausible(self) -> str | None:
        """Why this reading cannot be the briefing's (else None): a briefing opens with
        announcements and then takes questions, most of its time, so a reading with more than
        ``FLOOD_ANNOUNCEMENTS`` announcements and three times as many as questions has read the
        questions as the spokesperson's words: its convention was not read. (A gaggle whose
        guest speaks at length before 16 questions reads as 18 announcements: no flood.) Such a
        page is better one article than a story a paragraph."""
        announcements = len(self.segments) - self.questions
        if announcements > FLOOD_ANNOUNCEMENTS and announcements > 3 * self.questions:
            return (f"read as {announcements} announcements and {self.questions} questions: "
                    "its briefings' convention is not read; each page is kept whole")
        return None


def _label_shape(label: str) -> bool:
    """A speaker's label rather than the start of a sentence with a colon in it."""
    label = label.strip()
    if not label or len(label) > 70 or label[-1] in ",;-–":
        return False
    if re.search(rf"[{_CJK}]", label):
        return len(label) <= 24 and not re.search(r"[，。、；]", label)
    words = re.findall(r"[^\s,()]+", label)
    if not words or len(words) > 8:
        return False
    if re.fullmatch(r"[\d\s.:/-]+", label):  # a time or a date ("10:30")
        return False
    capitalised = 0
    for word in words:
        core = word.strip("'’\".()[]")
        if not core:
            continue
        # a letter of a script without capitals (Arabic, Hebrew, Persian, Hindi) counts as one
        if core[0].isupper() or core[0].isdigit() or core.isupper() or (core[0].isalpha()
                                                                        and not core[0].islower()):
            capitalised += 1
        elif core.lower() not in _LABEL_GLUE:
            return False  # "the minister said: …"
    return capitalised > 0


def _split_turn(paragraph: str) -> Turn:
    if _enclosed(paragraph):  # "（令和8年6月3日（火曜日）10時40分　於：本省会見室）": an aside, no one's turn
        return Turn(None, paragraph.strip(), paragraph)
    for pattern in (_BRACKET, _DASH, _COLON):
        found = pattern.match(paragraph)
        if found and _label_shape(found.group("label")):
            label = " ".join(found.group("label").split())
            if pattern is _BRACKET and not (ASKER_ROLES.search(label) or ANSWER_ROLES.search(label)
                                            or re.search(rf"[{_CJK}]", label)):
                continue  # "(Reuters) …", "[Updated] …": not a speaker
            return Turn(label, found.group("rest").strip(), paragraph)
    return Turn(None, paragraph.strip(), paragraph)


def read_transcript(text: str, *, title: str = "") -> Transcript | None:
    """The briefing in ``text`` (paragraphs separated by line breaks), or None when it is not one
    (fewer than two questions, fewer than two distinct speakers, or a spokesperson who speaks
    once)."""
    paragraphs = _without_furniture([p.strip() for p in text.split("\n") if p.strip()])
    turns = [_split_turn(p) for p in paragraphs]
    turns = _bare_labels(_labels_on_their_own_lines(turns))
    labelled = [t for t in turns if t.label is not None]
    if len(labelled) < 3:
        return None
    counts = Counter(label_key(t.label) for t in labelled if t.label)
    if len(counts) < 2:
        return None
    answerers = find_answerers(turns, counts, title)
    # a spokesperson answers more than once; one quoted line of an article does not make one
    if sum(counts[k] for k in answerers) < 2:
        return None
    names = official_names(turns, answerers, title)
    spokesperson = spokesperson_name(turns, answerers, title)
    main = names.get(label_key(spokesperson), spokesperson) if spokesperson else None

    def who(label: str | None) -> str | None:
        """Who spoke under ``label``: the person it names, by their full name where the
        briefing gives it, or the briefing's spokesperson for a role ("Ответ", "R")."""
        if label is None or is_role(label):
            return main if main and not is_role(main) else label
        return names.get(label_key(label), label)

    segments = _segments(turns, answerers, who)
    transcript = Transcript(spokesperson=main, segments=tuple(segments))
    return transcript if transcript.questions >= 2 else None


_FURNITURE_RUN = 3  # short lines in a row that end a page: its links, not the last answer
_FURNITURE_CHARS = 40
_SENTENCE_END = ".!?。！？…:：;；\"”’»)）"


def _without_furniture(paragraphs: list[str]) -> list[str]:
    """The paragraphs less the short lines that end the page (its links to other offices,
    "中国政府网", "Contact us", kept by a scrape), which would read as the last answer's words:
    of the short lines after the last speaker's turn, those from the first that is no sentence
    on, when a few of them are no sentences."""
    start = len(paragraphs)
    while (start and len(paragraphs[start - 1]) <= _FURNITURE_CHARS
           and _split_turn(paragraphs[start - 1]).label is None):
        start -= 1
    tail = paragraphs[start:]
    links = [k for k, p in enumerate(tail) if p[-1] not in _SENTENCE_END]
    return paragraphs[: start + links[0]] if len(links) >= _FURNITURE_RUN else paragraphs


def _labels_on_their_own_lines(turns: list[Turn]) -> list[Turn]:
    """``Question:`` on a line of its own labels the paragraph after it."""
    out: list[Turn] = []
    pending: Turn | None = None
    for turn in turns:
        if pending is not None and turn.label is None:
            out.append(Turn(pending.label, turn.rest, f"{pending.paragraph}\n{turn.paragraph}"))
            pending = None
            continue
        if pending is not None:
            out.append(pending)
            pending = None
        if turn.label is not None and not turn.rest:
            pending = turn
            continue
        out.append(turn)
    if pending is not None:
        out.append(pending)
    return out


def _bare_labels(turns: list[Turn]) -> list[Turn]:
    """Labels with nothing after them but a space ("Q What is…", the White House's): a short
    token (a letter or two, a word in capitals, the word for "question") that opens several
    paragraphs and hands the floor over, its paragraphs followed by a labelled speaker's at
    least half the time, or ending as questions do. Learned from the transcript: "I" and "So"
    open paragraphs too, but inside someone's turn."""
    firsts: dict[str, list[int]] = {}
    for i, turn in enumerate(turns):
        token = turn.rest.split(maxsplit=1)[0] if turn.label is None and turn.rest else ""
        if token and _bare_shape(token):
            firsts.setdefault(token, []).append(i)
    found: dict[int, str] = {}
    for token, places in firsts.items():
        if len(places) < 3:
            continue
        handed = sum(1 for i in places if i + 1 < len(turns) and turns[i + 1].label is not None)
        asking = sum(1 for i in places if ends_a_question(turns[i].rest))
        if handed >= 0.5 * len(places) or asking >= 0.4 * len(places):
            found.update(dict.fromkeys(places, token))
    if not found:
        return turns
    return [Turn(found[i], turn.rest.split(maxsplit=1)[1] if len(turn.rest.split(maxsplit=1)) > 1 else "",
                  turn.paragraph) if i in found else turn for i, turn in enumerate(turns)]


def _bare_shape(token: str) -> bool:
    """A token that may label a paragraph without a colon: a letter or two ("Q", "Q."), a word
    in capitals, or a word for "question"."""
    core = token.rstrip(".")
    return bool(core) and core.isalpha() and (
        (len(core) <= 2 and core.isupper()) or (core.isupper() and 3 <= len(core) <= 15)
        or core.lower() in QUESTION_WORDS)


COURTESY_WORDS = 6  # a turn this short that asks nothing says nothing of its own ("Go ahead, Selina.")
_CALL_WORDS = 4  # a reporter's turn this short, answered by a courtesy, asks for the floor
_COHESION = 0.12  # share of a paragraph's words that the announcement's last paragraphs hold ...
_WINDOW = 2  # ... of this many


@dataclass
class _Group:
    """A labelled turn with the unlabelled paragraphs that continue it (or, before the first
    label, unlabelled paragraphs alone)."""

    label: str | None
    turns: list[Turn]

    @property
    def rest(self) -> str:
        """What was said: less a stage direction between its paragraphs ("(The briefing is
        interrupted by a creaking sound.)"), which is no one's words."""
        return "\n".join(t.rest for n, t in enumerate(self.turns) if not (n and _enclosed(t.rest)))

    @property
    def paragraphs(self) -> list[str]:
        return [t.paragraph for t in self.turns]

    def asks(self) -> bool:
        """A question, or a reporter's turn long enough to ask something ("Please comment on
        Washington's statements."): not "Q Good afternoon.", "Q It's the jacket." """
        return any(ends_a_question(t.rest) or "?" in t.rest or "？" in t.rest for t in self.turns) \
            or word_count(self.rest) > COURTESY_WORDS

    def courteous(self) -> bool:
        """Says nothing of its own: a few words that ask nothing ("Thank you.", "Go ahead.")."""
        return word_count(self.rest) <= COURTESY_WORDS and not self.asks()

    def calls(self) -> bool:
        """A reporter asking for the floor rather than asking a question: "Karine?", "To the
        back, Karine?" (the question comes once they have it)."""
        return word_count(self.rest) <= _CALL_WORDS


def _grouped(turns: list[Turn]) -> list[_Group]:
    groups: list[_Group] = []
    for turn in turns:
        if turn.label is None and groups:
            groups[-1].turns.append(turn)
        else:
            groups.append(_Group(turn.label, [turn]))
    return groups


def _segments(turns: list[Turn], answerers: set[str], who: Any) -> list[Segment]:
    """Announcements, then exchanges. The announcements are what the spokesperson says before the
    first question a reporter asks (a reporter's "Good afternoon" does not end them), one segment
    a subject: each labelled turn starts one, and a paragraph that shares little with the one
    before it starts another. An exchange is the reporter's turns up to the answer, and the
    answer. A turn that says nothing of its own (a greeting, "Go ahead, Selina.", "Thank you.")
    is no segment: it goes with the next exchange when it hands the floor to a reporter, else
    with the segment before it."""
    groups = _grouped(turns)

    def answering(group: _Group) -> bool:
        return group.label is None or label_key(group.label) in answerers

    first = next((i for i, g in enumerate(groups) if not answering(g) and g.asks()), len(groups))
    while first > 0 and (groups[first - 1].courteous() or groups[first - 1].calls()):
        first -= 1  # the greetings and the hand-over before the first question go with it
    segments = _announcements(groups[:first], answering, who)
    lead: list[str] = []
    asked: list[_Group] = []
    answered: list[_Group] = []

    def close() -> None:
        nonlocal asked, answered, lead
        if not asked and not answered:
            return
        question = "\n".join(g.rest for g in asked) or None
        label = next((g.label for g in asked if g.label), None)
        # who answered: the official who said most of it, not one who only handed it on ("Dr. Walensky?")
        said: dict[str, int] = {}
        for g in answered:
            if g.label:
                said[g.label] = said.get(g.label, 0) + sum(len(t.rest.split()) for t in g.turns)
        speaker = max(said, key=lambda label: said[label]) if said else None
        segments.append(Segment(
            paragraphs=(*lead, *(p for g in asked for p in g.paragraphs),
                        *(p for g in answered for p in g.paragraphs)),
            question=question,
            asked_by=asked_by(label, "\n".join([*lead, question or ""])) if label else None,
            speaker=who(speaker), answer="\n".join(g.rest for g in answered)))
        asked, answered, lead = [], [], []

    def attach(paragraphs: list[str]) -> None:
        """Paragraphs that belong to the segment before them (or to the hand-over being made)."""
        nonlocal segments
        if asked or answered:
            (answered or asked)[-1].turns.extend(Turn(None, "", p) for p in paragraphs)
        elif lead or not segments:
            lead.extend(paragraphs)
        else:
            last = segments[-1]
            segments[-1] = Segment(paragraphs=(*last.paragraphs, *paragraphs), question=last.question,
                                   asked_by=last.asked_by, speaker=last.speaker, answer=last.answer)

    rest = groups[first:]
    for n, group in enumerate(rest):
        following = rest[n + 1] if n + 1 < len(rest) else None
        if (not answering(group) and group.calls() and following is not None and answering(following)
                and following.courteous() and (answered or not asked)):
            close()  # "To the back, Karine?" "Go ahead.": the floor, and the question to come
            lead.extend(group.paragraphs)
            continue
        if answering(group) and lead and not asked and group.courteous():
            lead.extend(group.paragraphs)
            continue
        if answering(group):
            if (group.courteous() and following is not None and not answering(following)
                    and (answered or not asked)):
                close()  # "Go ahead, Selina.": the floor to the next reporter
                lead.extend(group.paragraphs)
            elif asked or not group.courteous():
                answered.append(group)
            else:
                attach(group.paragraphs)
            continue
        if not group.asks():  # "Q Thank you.", "Q Good afternoon."
            if answered or not asked:
                attach(group.paragraphs)
            else:
                asked.append(group)
            continue
        if answered:  # a question after an answer, follow-up or not, has an answer of its own
            close()
        asked.append(group)
    close()
    return segments


def _announcements(groups: list[_Group], answering: Any, who: Any) -> list[Segment]:
    """The spokesperson's opening, one segment a subject: a labelled turn starts one, and so does
    a paragraph of some length that shares little with the two before it. Short paragraphs (a
    greeting, a dateline, a reporter's aside, "With that —") go with the announcement they stand
    in, or with the next when none has begun, and so do a page's headings and the briefing's time
    and place ("（令和8年6月3日（火曜日）10時40分　於：本省会見室）", "冒頭発言"). The story stage joins
    further what goes on with one subject (digest/stories/follow_ups.py)."""
    blocks: list[tuple[str | None, list[Turn]]] = []
    pending: list[Turn] = []
    speaker: str | None = None
    for group in groups:
        spoken = answering(group)  # the spokesperson's (or unlabelled), not a reporter's aside
        if group.label is not None and spoken:
            speaker = group.label
        for n, turn in enumerate(group.turns):
            starts = n == 0 and group.label is not None and spoken
            if not spoken or word_count(turn.rest) <= COURTESY_WORDS or _heading(turn):
                (pending if starts or not blocks else blocks[-1][1]).append(turn)
                continue
            if blocks and not starts and not pending and _coheres(turn.rest, blocks[-1][1]):
                blocks[-1][1].append(turn)
                continue
            blocks.append((speaker, [*pending, turn]))
            pending = []
    if pending and blocks:
        blocks[-1][1].extend(pending)
    elif pending:
        blocks.append((speaker, pending))
    return [Segment(paragraphs=tuple(t.paragraph for t in block), question=None, asked_by=None,
                    speaker=who(label), answer="\n".join(t.rest for t in block if t.rest and not _heading(t)))
            for label, block in blocks]


_HEADING_WORDS = 12


def _heading(turn: Turn) -> bool:
    """Whether an unlabelled line is no one's words: the page's heading, a place or a time with no
    sentence's end ("James S. Brady Press Briefing Room", "Aboard Air Force One En Route New York,
    New York", "2:28 P.M. EDT"), or a stage direction ("(Admiral John Kirby enters the Press
    Briefing Room.)"). It stays in the segment's paragraphs, out of what was said."""
    rest = turn.rest.strip()
    if turn.label is not None:
        return False
    headline = rest[-1:] not in _SENTENCE_END and word_count(rest) <= _HEADING_WORDS
    return headline or _enclosed(rest)


_OPENING_BRACKETS, _CLOSING_BRACKETS = "([（【〔", ")]）】〕"


def _enclosed(text: str) -> bool:
    """Whether the whole text is one aside in brackets, however nested: a stage direction
    ("(Admiral John Kirby enters the Press Briefing Room.)") or the time and place of the
    briefing ("（令和8年6月3日（火曜日）10時40分　於：本省会見室）")."""
    text = text.strip()
    if len(text) < 3 or text[0] not in _OPENING_BRACKETS or text[-1] not in _CLOSING_BRACKETS:
        return False
    depth = 0
    for n, char in enumerate(text):
        depth += (char in _OPENING_BRACKETS) - (char in _CLOSING_BRACKETS)
        if depth == 0:
            return n == len(text) - 1  # the first bracket closes only at the end
    return False


def _coheres(text: str, block: list[Turn]) -> bool:
    """Whether a paragraph goes on with the announcement ``block``: a fair share of its words are
    in its last paragraphs, compared by their first five letters ("overdoses" goes on with
    "overdose"; a paragraph of few words goes on with it)."""
    mine = _stems(text)
    if len(mine) < 4:
        return True
    before = set().union(*(_stems(t.rest) for t in block[-_WINDOW:]))
    return len(mine & before) >= _COHESION * len(mine)


def _stems(text: str) -> set[str]:
    """The first five letters of the words that say something ("will", "this" do not)."""
    stop = stop_words(None)
    return {w.lower()[:5] for w in support_words(text) if w.lower() not in stop}
