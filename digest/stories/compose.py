"""One story from its units: sources in order, its language and versions, title, highlights
(attributed), summary and score."""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections import Counter
from dataclasses import replace
from datetime import datetime

import numpy as np
from scipy import sparse

from digest.clauses import aside_alone
from digest.domain import Highlight, StoredArticle, Story, StoryOpinion, StorySource, StoryVersion
from digest.highlights import Passage, is_title, pick_highlights, rank_sentences
from digest.identity import natural_id
from digest.paragraph import compose_summary, quoted
from digest.referents import asked_of, naming
from digest.sentences import (
    LONGEST,
    TELLING,
    as_what_it_is,
    clean_sentence,
    compress,
    formula_kind,
    is_question,
    names_only,
    names_something,
    needs_antecedent,
    opens_a_new_point,
    split_addressee,
    split_sentences,
    talks_to_the_room,
    words_in,
)
from digest.speech import leaves_unnamed, repaired, stumbles
from digest.stories.headlines import briefing_headline
from digest.stories.options import StoryOptions
from digest.stories.subjects import THANKS
from digest.stories.titles import shortened, speaker_of, title_of
from digest.stories.units import Unit, informative
from digest.text import lettered_words
from digest.transcripts import is_role

__all__ = ["compose"]

log = logging.getLogger(__name__)


def compose(units: list[Unit], vectors: sparse.csr_matrix,
           similar: dict[tuple[int, int], list[Unit]], opinions: list[StoredArticle], *,
           now: datetime, options: StoryOptions) -> Story:
    centroid = np.asarray(vectors.mean(axis=0)).ravel()
    centrality = np.asarray(vectors @ centroid).ravel()
    held = [*units, *(d for u in units for d in similar.get((u.article.id, u.segment), []))]
    everything = [u.article for u in held]
    earliest = min(held, key=lambda u: (u.article.published, u.article.url, u.segment))
    first = earliest.article
    sources = sorted(
        (
            StorySource(
                article_id=u.article.id,
                segment=u.segment,
                name=u.article.source,
                display_name=u.article.source_title,
                url=u.article.url,
                title=u.article.title,
                published=u.article.published,
                official=u.article.official,
                similar=tuple(d.article.id for d in similar.get((u.article.id, u.segment), [])),
                similar_sources=tuple(
                    (d.article.source, d.article.official, d.article.country, d.article.language)
                    for d in similar.get((u.article.id, u.segment), [])),
                language=u.article.language,
                country=u.article.country,
                question=u.part.question if u.part else None,
                asked_by=u.part.asked_by if u.part else None,
                speaker=speaker_of(u),
            )
            for u in units
        ),
        key=lambda s: s.order,
    )
    # a story told in several languages is written in one: English when it has English
    # sources, else its most common language, and told in each of the others as a version;
    # every source is listed all the same
    languages = Counter((u.article.language or "")[:2] for u in units)
    languages.pop("", None)
    language = units[0].article.language
    if len(languages) > 1:
        language = "en" if "en" in languages else languages.most_common(1)[0][0]
    told_in = {code: [i for i, u in enumerate(units)
                      if not u.article.language or u.article.language[:2] == code]
               for code in languages} if len(languages) > 1 else {}
    title, highlights, summary = _told_safely(units, told_in.get(language or "", list(range(len(units)))),
                                              centrality, options)
    return Story(
        id=natural_id(first.url, earliest.part),
        title=title,
        first_published=first.published,
        updated=max(a.last_change for a in everything),
        highlights=highlights,
        summary=summary,
        sources=tuple(sources),
        opinions=tuple(
            StoryOpinion(article_id=o.id, name=o.source, display_name=o.source_title, url=o.url,
                         title=o.title)
            for o in sorted(opinions, key=lambda o: (o.published, o.id))
        ),
        score=score(*_voices(units, similar, language), now),
        language=language,
        versions=tuple(_version(code, units, members, centrality, options)
                       for code, members in sorted(told_in.items()) if code != language),
    )


def _version(language: str, units: list[Unit], told: list[int], centrality: np.ndarray,
             options: StoryOptions) -> StoryVersion:
    title, highlights, summary = _told_safely(units, told, centrality, options)
    return StoryVersion(language=language, title=title, highlights=highlights, summary=summary)


def _told_safely(units: list[Unit], told: list[int], centrality: np.ndarray,
                 options: StoryOptions) -> tuple[str, tuple[Highlight, ...], str]:
    """:func:`_told`, and where telling the story fails, the story all the same, told plainly (its
    earliest report's title and start; the failure logged): one story's telling never costs the
    others, nor the day's digest, theirs."""
    try:
        return _told(units, told, centrality, options)
    except Exception:  # a fault in the telling of one story's sentences, whatever it is
        earliest = min((units[i] for i in told),
                       key=lambda u: (u.article.published, u.article.url, u.segment))
        log.exception("story of %s told plainly: telling it failed", earliest.article.url)
        start, who = shortened(earliest.said), said_by(earliest)  # a government's words under its name
        # a briefing's page heading ("Regular Press Conference …") titles none of its answers
        title = (briefing_headline([earliest]) if earliest.is_segment
                 else earliest.article.title or shortened(earliest.said, 100))
        return title, (), (quoted(who, start, earliest.article.language) if who else start)


def _told(units: list[Unit], told: list[int], centrality: np.ndarray,
          options: StoryOptions) -> tuple[str, tuple[Highlight, ...], str]:
    """Title, highlights and summary from the units ``told`` (those in one language)."""
    told = sorted(told, key=lambda i: (units[i].article.published, units[i].article.url, units[i].segment))
    passages: list[Passage] = []
    for n, i in enumerate(told):
        unit = units[i]
        if n and _goes_on(units[told[n - 1]], unit):  # one official's announcements, one flow of speech
            passages[-1] = replace(passages[-1], text=f"{passages[-1].text}\n{unit.said}")
            continue
        passages.append(Passage(key=unit.key, title="" if unit.is_segment else unit.article.title,
                                text=unit.said, weight=1.0 + 0.2 * float(centrality[i]),
                                said_by=said_by(unit), language=unit.article.language,
                                about=asked_of(unit.part.question) if unit.part else None))
    ranking = rank_sentences(passages)
    by_key = {units[i].key: units[i] for i in told}
    title = title_of([units[i] for i in told], centrality[told])
    picked = pick_highlights(passages, options.highlights, ranking=ranking, title=title)
    highlights = tuple(
        Highlight(text, sources=(by_key[key].article.source,), attribution=attribution(by_key[key]))
        for text, key in picked)
    summary = compose_summary(passages, ranking=ranking)
    if not highlights:  # only answers too short to be read as sentences: what was said, as said
        answered = [u for u in (units[i] for i in told)
                    if u.part is not None and u.part.question and u.said and not is_question(u.said)]
        # not the title again, when a paragraph says more; an answer that is only its title says
        # it under it too, rather than be no story
        told_more = bool(_beyond(summary, highlights))
        # the first answer that said something ("Yeah." says nothing; what was asked next may)
        # an answer that goes on from its question reads only under a title that says what was asked
        asked = title != briefing_headline([units[i] for i in told])
        briefly = ((u, said) for u in answered
                   if (said := _briefly(u, title if told_more else "", goes_on=asked)))
        highlights = tuple(Highlight(said, sources=(u.article.source,), attribution=attribution(u))
                           for u, said in itertools.islice(briefly, 1))
        if not highlights:  # so does an announcement ("First, the minister will visit Japan from June
            # 6 to 8."), under the name of who made it: a paragraph that only says who would repeat it
            announced = ((u, said) for u in (units[i] for i in told)
                         if u.part is not None and not u.part.question
                         for said in map(compress, map(clean_sentence, split_sentences(u.said)))
                         if is_title(said, title))
            highlights = tuple(Highlight(said, sources=(u.article.source,), attribution=attribution(u))
                               for u, said in itertools.islice(announced, 1))
    return title, highlights, _beyond(summary, highlights)


def _goes_on(before: Unit, unit: Unit) -> bool:
    """Whether ``unit`` is the announcement that follows ``before`` in the same briefing, by the
    same official: what it says ("She also visited …") goes on from what ``before`` said."""
    return (unit.article.id == before.article.id and unit.segment == before.segment + 1
            and unit.part is not None and before.part is not None and not unit.part.question
            and not before.part.question and unit.part.speaker == before.part.speaker
            and not opens_a_new_point(unit.said))  # "2点目は、…", "Second, …": a subject of its own


NEW_WORDS = 20  # a paragraph that adds fewer words than this to the highlights is not shown


def _beyond(summary: str, highlights: tuple[Highlight, ...]) -> str:
    """The paragraph, unless it would only say the highlights again: a short report's three
    sentences are its highlights, and the same three again under them are no story (a highlight
    says again the paragraph's sentence it was shortened from)."""
    sentences = split_sentences(summary)
    repeated = sum(words_in(h) for h in highlights
                   if any(h.rstrip(".。") in sentence or _within(h, sentence) for sentence in sentences))
    return summary if words_in(summary) - repeated >= NEW_WORDS else ""


_WORD = re.compile(r"\w+")


def _within(highlight: str, sentence: str) -> bool:
    """Whether ``highlight`` is ``sentence`` shortened: nine in ten of its words are in it."""
    words = _WORD.findall(highlight.lower())
    inside = set(_WORD.findall(sentence.lower()))
    return bool(words) and sum(w in inside for w in words) >= 0.9 * len(words)


_WORD_BROKEN = re.compile(r"\w-\s+[—–]")  # "One of the great —", a word broken off: "Go ahead, Za- — Zeke."


def _briefly(unit: Unit, title: str, *, goes_on: bool = False) -> str | None:
    """What an answer that gave no highlight said, in one highlight: its first sentence short
    enough that is no formula, no talk with the room and points nowhere back; else its formula
    told as what it is; else its first such sentence in the official's own voice that names
    something; else its start, unless it was only talk. Never the story's title again (an answer
    of one sentence is its title, and nothing under it)."""
    titled = talk = False
    spoken = None  # else the first in the official's own voice that names something
    pointing = None  # else the first that goes on from the question
    formula = formula_kind(unit.said)  # else the first formula, told as what it is
    about = asked_of(unit.part.question) if unit.part else None  # whom "he" is, as for a highlight
    # as the official went on to say it
    for sentence in naming(map(repaired, split_sentences(unit.said)), about):
        if sentence.rstrip().endswith(("—", "–", "-")) or _WORD_BROKEN.search(sentence):  # broken off
            talk = True
            continue
        sentence = compress(clean_sentence(sentence))
        if is_title(sentence, title):
            titled = True  # the title tells it: the paragraph, the rest
            continue
        if kind := formula_kind(sentence):
            # "I'm not going to get ahead of that communiqué …"; a referral says most ("I'm not going to get
            # into the details. … this is a better question for the Department of Defense.")
            formula = kind if formula is None or TELLING.index(kind) < TELLING.index(formula) else formula
            continue
        if is_question(sentence) or words_in(sentence) > LONGEST or aside_alone(sentence):
            continue  # (the last: "Without getting into intelligence, obviously, Russians protesting …")
        # "Yeah.", "Go ahead, Mike.", "Dr. Fauci and then Dr. Walensky.": the floor handed over
        if lettered_words(split_addressee(sentence)[0]) < 4 or names_only(sentence):
            talk = True
            continue
        says = names_something(sentence) or words_in(sentence) >= 10
        if goes_on and needs_antecedent(sentence) and says \
                and not (talks_to_the_room(sentence) or stumbles(sentence) or leaves_unnamed(sentence)):
            # what goes on from the question ("He didn't avoid areas of disagreement, and the call
            # lasted two hours and ten minutes."): the answer all the same, where nothing else is
            pointing = pointing or sentence
            continue
        if talks_to_the_room(sentence) or needs_antecedent(sentence):
            talk = True  # "I'll check on that for you, Ed.", "Okay, great.": the room's
            # "I would say that the United States is committed to …", never "Thank you, Dr. Fauci."
            if spoken is None and not THANKS.match(sentence) \
                    and names_something(split_addressee(sentence)[0]):
                spoken = sentence
            continue
        return sentence
    told = as_what_it_is(formula or "", unit.article.language)
    alone = _standing_alone(spoken or pointing or "") or None  # "But, you know, it was …" -> "It was …"
    return told or alone or (None if titled or talk else shortened(repaired(unit.said)))


# how a spoken sentence joins the one before it, which a sentence told alone does without: "And,
# certainly, …", "But, you know, …", "And then …" (not "So far", "So many")
_JOINED = re.compile(r"^(?:(?:and|but|so(?!\s+(?:far|many|much)\b))\b,?\s+)"
                     r"(?:(?:you know|certainly|of course|obviously|look|again|really|then|as you know)"
                     r",?\s+)*",
                     re.IGNORECASE)


def _standing_alone(sentence: str) -> str:
    """``sentence`` without the words that join it to the one before, where what is left is a
    sentence of four words or more."""
    alone = _JOINED.sub("", sentence, count=1)
    if alone == sentence or words_in(alone) < 4:
        return sentence
    return alone[:1].upper() + alone[1:]



def said_by(unit: Unit) -> str | None:
    """Whose words an official source's text is, as the paragraph names them when it quotes
    them ("Lin Jian (Ministry of Foreign Affairs of China)"); None for an outlet's reporting."""
    if not unit.article.official:
        return None
    ministry = unit.article.source_title or unit.article.source
    speaker = speaker_of(unit)
    if speaker and not is_role(speaker) and speaker.lower() not in ministry.lower():
        return f"{speaker} ({ministry})"
    named = ministry.lower().startswith(("ministry", "department", "office"))
    return f"The {ministry}" if named else ministry


def attribution(unit: Unit) -> str | None:
    """Who said a highlight drawn from ``unit``: for an official source, the speaker and the
    ministry, and who asked ("Lin Jian, Ministry of Foreign Affairs of China, asked by AFP");
    an outlet's own reporting is its own (None)."""
    if not unit.article.official:
        return None
    ministry = unit.article.source_title or unit.article.source
    speaker = speaker_of(unit)
    if speaker and is_role(speaker):  # "Ответ", "R", "Sprecher": the ministry's spokesperson
        who = f"{ministry} spokesperson"
    elif speaker and speaker.lower() not in ministry.lower():
        who = f"{speaker}, {ministry}"
    else:
        who = ministry
    asked = unit.part.asked_by if unit.part is not None else None
    return f"{who}, asked by {asked}" if asked else who


def _voices(units: list[Unit], similar: dict[tuple[int, int], list[Unit]],
            language: str | None) -> tuple[list[Unit], list[StoredArticle]]:
    """The units (and articles, copies included) a story's importance counts: all of them but
    a government's words in another language than the story's when that government speaks
    in the story's language too (the same office, by country, or by name where none is
    given). A ministry's Chinese version of its English answers makes the story no bigger for
    anyone: a reader of English gets the same top stories with it as without it."""
    own = (language or "")[:2]

    def office(article: StoredArticle) -> str:
        return article.country or article.source_title

    speaking = {office(u.article) for u in units
                if u.article.official and (u.article.language or "")[:2] in ("", own)}
    counted = [u for u in units if not (u.article.official and (u.article.language or "")[:2] not in ("", own)
                                        and office(u.article) in speaking)]
    held = [*counted, *(d for u in counted for d in similar.get((u.article.id, u.segment), []))]
    return counted, [u.article for u in held]


def score(units: list[Unit], everything: list[StoredArticle], now: datetime) -> float:
    """Importance: distinct sources, official involvement, recency and size."""
    distinct = len({a.source for a in everything})
    official = any(u.article.official for u in units)
    # a ministry's own announcement (or statement) outranks a routine answer to a question
    announced = any(u.article.official and (u.part is None or u.part.question is None) for u in units)
    # and an answer that declines to answer ranks below every answer that tells something
    declined = all(u.is_segment and not informative(u) for u in units)
    newest = max(a.last_change for a in everything)
    hours = max(0.0, (now - newest).total_seconds() / 3600)
    recency = 0.5 ** (hours / 12.0)
    return round(1.5 * distinct + (1.0 if official else 0.0) + (0.5 if announced else 0.0)
                 - (1.0 if declined else 0.0) + 1.5 * recency + 0.5 * math.log1p(len(everything)), 4)
