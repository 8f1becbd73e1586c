"""A story's title: the outlets' headline, its latest development's, or what a briefing was
asked about."""

from __future__ import annotations

import re

import numpy as np

from digest.clauses import aside_alone
from digest.sentences import (
    formula_kind,
    is_ended,
    is_question,
    names_only,
    names_something,
    needs_antecedent,
    split_sentences,
    talks_to_the_room,
)
from digest.stories.headlines import (
    MAX_WORDS,
    OPENER,
    attributed,
    briefing_headline,
    government,
    official_headline,
    place_headline,
    quoted_headline,
    readable,
    someone_unnamed,
)
from digest.stories.similarity import word_terms
from digest.stories.subjects import POINTING_IN, names_a_subject, subject_phrase
from digest.stories.units import GENERIC_TITLE, Unit
from digest.text import word_count

__all__ = ["shortened", "speaker_of", "title_of"]

_QUESTION_SUBJECT = re.compile(r"\b(?:on|about|of|regarding|over|concerning)\s+"
                               r"(the [^?？,]{4,80}|[A-Z][^?？,]{3,80})\s*[?？]\s*$")
# a sentence of the asker's own framing: it speaks of "I" or "you", or thanks
_FRAMING = re.compile(r"^(?:I|I'm|I’m|I'd|I’d|You|Your|We|My|Thank|Thanks|Sir|Hi|Hey|Hello|"
                      r"Good (?:afternoon|morning)|All right|Go ahead|Okay|Yeah|Sure)\b"
                      # what the asker says of their questions ("A couple questions", "Just one more, John",
                      # "John, follow-up on Aamer's question")
                      r"|^(?:just |and |picking up on |to follow up on |[A-Z][a-z]+, )?(?:(?:one|two|three|"
                      r"a couple(?: of)?|a few) (?:more|quick|last|other|final|follow-?ups?|questions?|"
                      r"things)|what [A-Z]\w+ (?:was asking|asked)|(?:a |one )?(?:quick )?follow-?up)\b"
                      r"|^(?:我|你|您|请问|谢谢)"
                      r"|^[^、。]{1,20}の[^、。]{1,8}(?:です|と申します)。?$"  # "NHKの山田です。"
                      # asking in the other languages: "Прокомментируйте, пожалуйста", "Pourriez-vous"
                      r"|^(?:прокомментируйте|скажите|расскажите|не могли бы|хотел(?:а|ось)? бы|спасибо|"
                      r"pourriez|pouvez|je voudrais|merci|könnten sie|können sie|ich möchte|danke|"
                      r"¿?podría|¿?puede|quería|quisiera|gracias)", re.IGNORECASE)
# lead-ins that a question's first sentence opens with before it names its subject
_LEAD_IN = re.compile(
    r"^(?:(?:it is |it was |it has been )?reported that|reports? (?:say|said|suggest)s? (?:that )?|"
    r"according to [^,]{3,60}, |(?:we|I) (?:noticed|saw|learned|have learned) (?:that )?|"
    r"(?:a |one )?follow[- ]up (?:question )?(?:on|about) [^.]{0,60}?\. |"
    r"(?:to follow up on|on) [^,]{3,60}, (?:you (?:just |also )?(?:said|mentioned|noted) (?:that )?)?|"
    r"据报道，?|有报道称，?|我们注意到，?)",
    re.IGNORECASE)
# what an asker says before asking, that is no headline: "Just for clarity, since the whole Cabinet
# isn't going to be there.", "Without getting into intelligence, Russians protesting in the streets."
_ASIDE = re.compile(r"^(?:just|at|without|with|since|because|while|although|despite)\b", re.IGNORECASE)


# a thing only "the" names, which the asker named before asking about it ("… met to discuss the return of
# Chinese journalists to India … provide an update on the progress?"): no subject alone
_SAID_BEFORE = re.compile(r"the (?:progress|talks|meeting|meetings|deal|visit|trip|situation|reports?|case|"
                          r"incident|decision|move|agreement|plan|process|statement|announcement|remarks|"
                          r"comments|outcome|results?|issue|matter|details|specifics|latest|status|timing)",
                          re.IGNORECASE)


def title_of(units: list[Unit], centrality: np.ndarray) -> str:
    """The most central outlet headline (an event's news framing beats a ministry's "Statement
    on …"), else the most central official one; a briefing's title never serves: a story made
    only of briefing segments is titled from what was asked about, else from what was said."""
    ranked = sorted(range(len(units)), key=lambda i: (
        units[i].article.official, -centrality[i], units[i].article.id))
    latest = _latest_development(units, ranked)
    if latest:
        return latest
    for i in ranked:
        unit = units[i]
        if not unit.is_segment and not GENERIC_TITLE.search(unit.article.title):
            return unit.article.title
    headline = official_headline([units[i] for i in ranked], language=units[ranked[0]].article.language)
    if headline:
        return headline
    for i in ranked:
        title = segment_title(units[i])
        if title:
            return title
    if not all(u.is_segment for u in units):
        return units[ranked[0]].article.title
    told = [units[i] for i in ranked]
    return place_headline(told) or quoted_headline(told) or briefing_headline(units)


def _latest_development(units: list[Unit], ranked: list[int]) -> str | None:
    """For a story that runs over days: the headline of its latest development, when the
    outlets that reported in its last 12 hours (two or more) agree on one: their headlines
    share most of their words. The most central of those headlines then serves."""
    headlines = [i for i in ranked if not units[i].is_segment and not units[i].article.official
                 and not GENERIC_TITLE.search(units[i].article.title)]
    if not headlines:
        return None
    newest = max(units[i].article.published for i in headlines)
    oldest = min(units[i].article.published for i in headlines)
    if (newest - oldest).total_seconds() < 24 * 3600:
        return None  # one day's story: its most central headline
    recent = [i for i in headlines if (newest - units[i].article.published).total_seconds() <= 12 * 3600]
    if len({units[i].article.source for i in recent}) < 2:
        return None
    words = [set(word_terms((units[i].article.language, units[i].article.title))) for i in recent]
    agree = all(len(a & b) >= 0.5 * min(len(a), len(b)) > 0
                for k, a in enumerate(words) for b in words[k + 1:])
    return units[recent[0]].article.title if agree else None


def segment_title(unit: Unit) -> str | None:
    """A briefing segment's subject: the first statement of its question (less "Reports say
    that …"), else the first sentence of what was said, when one is short enough for a
    headline."""
    if unit.part is None:
        return None
    # the asker's framing ("You just said that …", "I wonder if …") is not the subject
    asked = [s for s in split_sentences(unit.part.question or "") if not _FRAMING.match(s)]
    # the first question the asker puts, after what they say to set it up ("The census recently came
    # out … | Does the White House share the concerns that Hispanics were undercounted as part of the
    # census?")
    first = next((s for s in asked[:3] if is_question(s)), None)
    subject = _QUESTION_SUBJECT.search(first) if first else None
    said_of = subject_phrase(subject.group(1)) if subject else None
    # "What is your view of the football final?"; not "… an update on the progress?" (of what was said before)
    if said_of and names_a_subject(said_of, government(unit)) and not _SAID_BEFORE.fullmatch(said_of):
        headline = f"{government(unit)} on {said_of}"
        if word_count(headline) <= MAX_WORDS and readable(headline):
            return headline
    said = [s for s in split_sentences(unit.part.answer)[:3] if not talks_to_the_room(s)]  # not "私から2点…"
    for sentences in (asked[:2], said):
        for sentence in sentences:
            sentence = _LEAD_IN.sub("", OPENER.sub("", sentence.strip())).strip()
            if word_count(sentence) < 4 or not is_ended(sentence) or is_question(sentence) \
                    or _FRAMING.match(sentence) or not readable(sentence) or not names_something(sentence) \
                    or needs_antecedent(sentence) or formula_kind(sentence) or _points_in(sentence, unit) \
                    or someone_unnamed(sentence) \
                    or names_only(sentence) \
                    or (sentences is not said and _ASIDE.match(sentence)) \
                    or (sentences is said and aside_alone(sentence)):
                continue
            sentence = sentence[:1].upper() + sentence[1:].rstrip(".。।")
            code = (unit.article.language or "en")[:2]
            if sentences is said:  # the government's, as its ("China says …", "中国：…", "日本「…」")
                sentence = attributed(sentence, government(unit, code), unit.part.answer, code)
            if word_count(sentence) <= MAX_WORDS:  # a headline, never a sentence cut off
                return sentence
    return None


def _points_in(sentence: str, unit: Unit) -> bool:
    """Whether a sentence in another language than English points at what it does not say ("Le
    président de la République s'exprimera à cette occasion"): English has its own test
    (:func:`readable`)."""
    return (unit.article.language or "en")[:2] != "en" and POINTING_IN.search(sentence) is not None


def shortened(text: str, limit: int = 300) -> str:
    """``text`` cut at a word to about ``limit`` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 10].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def speaker_of(unit: Unit) -> str | None:
    """Who spoke in a segment (the transcript reader names the spokesperson for a role label)."""
    return unit.part.speaker if unit.part is not None else None
