"""One subject, one story, inside a briefing: reporters follow a question up ("And Israel's Prime
Minister said…", "Just to follow up, will they target…"), and each follow-up is an exchange of
its own. The clustering compares a briefing's segments with other articles only (the ministry's
own words would lump its answers together); here an exchange it left on its own joins the
story of the exchange just before it when it goes on with its subject. A reporter who still
has the floor (no one handed it over: "Go ahead, Selina." opens the next reporter's exchange,
as thanks do; or the same outlet asks again) goes on with it when the two share a name, or
share words, or ask briefly; another reporter when they share a name and say they follow up
("A follow-up on the Australia-Vanuatu agreement"), or say so and name nothing ("If I may follow
up: would he pick someone pro-life?"), or share words unless the later question
names something of its own and nothing the earlier one named (the answers' names are the
ministry's talking points: an AI race and World Environment Day joined on them, read on single
days of China's June 2026 briefings; "And what about indoors?" names nothing); two names alone
("White House", "United States", "Prime Minister") joined mostly unrelated questions, read on
the White House's transcripts and China's of June 2026 (Kallas's tanker inspections with the
DPRK summit; Starmer's resignation with Wang Yi in New Delhi). Its versions in the
briefing's other languages (joined to it before) come along. A name the rest of the
briefing holds too (in most of its answers: "China" at the Chinese ministry) says nothing of
a subject. An announcement that opens by pointing back ("She also visited …", "These impacts
will …") goes on with the official's announcement before it; one that opens on the official's
next point ("2点目は、…", "Second, …") does not."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from itertools import pairwise

import numpy as np
from scipy import sparse

from digest.domain import Segment
from digest.languages import country_name
from digest.sentences import needs_antecedent, opens_a_new_point, split_sentences
from digest.stories.similarity import name_terms
from digest.stories.units import Unit
from digest.text import word_count

__all__ = ["join_follow_ups"]

COMMON_SHARE = 0.3  # a name in more of a briefing's exchanges than this says nothing of a subject
GAP = 2  # a follow-up comes at most this many segments after what it follows
HANDED_SHARE = 0.2  # reporters keep the floor where this share of exchanges show a new one
SHORT_QUESTION = 12  # a question this short from the same reporter goes on with the subject
SHARED_WORDS = 0.12  # cosine of words and names above which the same reporter goes on with it


def join_follow_ups(units: Sequence[Unit], vectors: sparse.csr_matrix, labels: np.ndarray) -> np.ndarray:
    """``labels`` with each briefing segment that is alone in its story moved to the story of the
    segment before it (at most ``GAP`` segments before) when it goes on with its subject (see
    the module's description; an announcement goes on with the official's announcement before
    it as a reporter's follow-up does); ``vectors`` are the units' rows of words and names."""
    labels = labels.copy()
    members_of: dict[int, list[int]] = {}
    for i, label in enumerate(labels.tolist()):
        members_of.setdefault(label, []).append(i)

    def alone(i: int) -> bool:
        """Unit ``i`` is its story's only member in its language (its versions in others aside)."""
        language = units[i].article.language
        return all(j == i or units[j].article.language != language for j in members_of[int(labels[i])])

    briefings: dict[int, list[int]] = {}
    for i, unit in enumerate(units):
        if unit.is_segment and unit.part is not None:
            briefings.setdefault(unit.article.id, []).append(i)
    for members in briefings.values():
        members.sort(key=lambda i: units[i].segment)
        # the government's own country says nothing of a subject: every answer is its ("France"
        # had joined North Korea's missile tests and the recognition of Palestine)
        own = _own_country(units[members[0]].article.country, units[members[0]].article.language)
        names = [set(name_terms((units[i].article.language, units[i].text))) - own for i in members]
        # what each reporter asked about: another reporter's question joins one that names it too
        asked = [set(name_terms((units[i].article.language, part.question or ""))) - own
                 if (part := units[i].part) is not None else set() for i in members]
        counts = Counter(name for found in names for name in found)
        common = {name for name, n in counts.items() if n > COMMON_SHARE * len(members) and n > 2}
        # where the official hands the floor over ("Go ahead, Selina."), a reporter keeps it until
        # then; where no one ever does (a label a question: "Reporter:"), each question is anyone's
        exchanges = [part for i in members if (part := units[i].part) is not None and part.question]
        later = exchanges[1:]  # the first opens the floor anyway
        handing = bool(later) and sum(1 for part in later if _new_reporter(part)) >= HANDED_SHARE * len(later)
        for (p, before), (c, current) in pairwise(enumerate(members)):
            if (labels[current] == labels[before] or not alone(current)
                    or units[current].segment - units[before].segment > GAP):
                continue
            shared = (names[p] & names[c]) - common
            part, earlier = units[current].part, units[before].part
            assert part is not None and earlier is not None
            if part.question is None and opens_a_new_point(part.answer):
                continue  # "2点目は、…", "Second, …": the official's next subject
            similar = float((vectors[before] @ vectors[current].T).toarray()[0, 0])
            if _same_voice(part, earlier, handing):
                goes_on = (bool(shared) or similar >= SHARED_WORDS
                           or (part.question is not None and word_count(part.question) <= SHORT_QUESTION)
                           or (part.question is None and _goes_on_from_before(part.answer)))
            else:  # the answers' names are the ministry's talking points as much as the subject: a
                # question that names something of its own, and nothing the one before named, asks anew
                anew = bool(asked[c] - common) and not (asked[p] & asked[c]) - common
                follows_up = _says_it_follows_up(part)
                goes_on = ((bool(shared) and (follows_up or (similar >= SHARED_WORDS and not anew)))
                           # "If I may follow up: Would he pick someone pro-life?" names nothing of its own,
                           # where "A follow-up about the humanitarian needs …" goes back further
                           or (follows_up and not _FOLLOWS_UP_ON.search(part.question or "")
                               and not asked[c] - common))
            if goes_on:  # its story (it, and its versions in other languages) joins
                moving, into = int(labels[current]), int(labels[before])
                for j in members_of.pop(moving):
                    labels[j] = into
                    members_of[into].append(j)
    return labels


@cache
def _own_country(code: str | None, language: str | None) -> frozenset[str]:
    """The words of the name of a briefing's own country, in its language and in English, as
    :func:`name_terms` finds them ("united", "states")."""
    said = {country_name(code, lang) for lang in {"en", (language or "en")[:2]}} if code else set()
    return frozenset(word.lower() for name in said if name for word in re.findall(r"\w+", name))


def _goes_on_from_before(said: str) -> bool:
    """Whether an announcement opens by pointing back ("These impacts over time will …", "She
    also visited …", "And that's one of our main focuses …"): it goes on with the one before."""
    first = next(iter(split_sentences(said)), "")
    return needs_antecedent(first)


def _same_voice(part: Segment, before: Segment, handing: bool) -> bool:
    """Whether ``part`` goes on in the voice of ``before``: an announcement after the same
    official's announcement; a question from the reporter who still has the floor (the same
    outlet asks again; or, in a briefing where the official hands the floor over, no one
    handed it over: the exchange opens with its question, not with "Go ahead, …")."""
    if part.question is None or before.question is None:
        return part.question is None and before.question is None and part.speaker == before.speaker
    if part.asked_by and before.asked_by:
        return part.asked_by == before.asked_by
    return handing and not _new_reporter(part)


_FOLLOWS_UP = re.compile(r"\bfollow(?:ing)?[- ]?ups?\b|追问|接着(?:刚才|上一个|这个)", re.IGNORECASE)
_FOLLOWS_UP_ON = re.compile(r"\bfollow(?:ing)?[- ]?ups?\s+(?:(?:first|again|quickly|briefly)\s+)?"
                            r"(?:on|about|regarding|to)\b", re.IGNORECASE)  # "follow up first on …"


def _says_it_follows_up(part: Segment) -> bool:
    """Whether the question says it goes on with the one before ("I have a follow-up on…")."""
    return _FOLLOWS_UP.search(part.question or "") is not None


def _new_reporter(part: Segment) -> bool:
    """Whether another reporter asks: the official handed the floor over ("Go ahead, …" opens
    the exchange), or the question opens as a reporter's first does, with thanks or a greeting."""
    first_line = (part.question or "").split("\n", 1)[0]
    return not (first_line and part.paragraphs[0].endswith(first_line)) or bool(_GREETING.match(first_line))


# how a reporter who has just been given the floor opens, in the languages ministries brief in
_GREETING = re.compile(r"^(?:thanks|thank you|hi|hello|good (?:morning|afternoon|evening)|hey|merci|bonjour|"
                       r"danke|guten tag|gracias|buenos días|buenas tardes|obrigad[oa]|grazie|спасибо|"
                       r"добрый день|谢谢|感谢|您好|ありがとう|شكرا)", re.IGNORECASE)
