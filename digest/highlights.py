"""Which sentences a story shows: its highlights, from its sources' sentences (read, cleaned and
shortened by :mod:`digest.sentences`), ranked once for them and for its paragraph
(:mod:`digest.paragraph`).

Called by ``digest.stories`` for each story and by ``digest highlights`` for single documents.
Everything here is deterministic: the same input gives the same sentences.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from digest.clauses import OPENS_SINGLE, aside_alone, balanced, main_clause
from digest.referents import naming
from digest.sameness import names_in, paraphrases, restates, tallies_differ
from digest.sameness import similarities as alike
from digest.sentences import (
    BRIEF,
    LONGEST,
    TELLING,
    as_what_it_is,
    clean_sentence,
    compress,
    formula_kind,
    is_ended,
    is_question,
    names_only,
    names_something,
    needs_antecedent,
    speaks_for_itself,
    split_sentences,
    talks_to_the_room,
    words_in,
)
from digest.speech import leaves_unnamed, repaired, stumbles
from digest.text import lettered_words

_WORD = re.compile(r"\w+", re.UNICODE)

__all__ = ["Passage", "Ranking", "choose_highlights", "is_title", "pick_highlights", "points_back",
           "rank_sentences", "told_twice", "writers_own"]

_BYLINE = re.compile(r"^(?:by|par|von|por)\s+[A-Z][\w.'’ -]{1,60}$", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"(read more|click here|subscribe|sign up|all rights reserved|cookies?|copyright|"
    r"follow us|share this|reporting by|editing by|photo:|image:|credit:)",
    re.IGNORECASE,
)
# a reporter's note of what the report could not learn: it tells the reader nothing of the event, and
# is no highlight ("The embassy did not immediately respond to a request for comment."); not where it
# only ends a sentence that tells something ("Five were killed, though it was not immediately clear …")
_NOT_LEARNED = re.compile(
    r"^[^,;]{0,80}?(?:\b(?:did not|didn[’']t|has not|hasn[’']t|have not|haven[’']t) (?:immediately )?"
    r"(?:respond|reply|return|answer)\w* (?:to )?(?:an? |multiple |several )?"
    r"(?:(?:requests?|calls?|messages?) (?:for|seeking) comment|emails?|inquir\w+|queries)"
    r"|\b(?:declined|refused) to comment\b|\bcould not (?:immediately |independently )?"
    r"(?:be reached|verify|confirm)|\bnot (?:be )?immediately (?:clear|known|available|reachable)\b"
    r"|\bdid not immediately offer\b|\bno immediate comment\b|\bnot (?:been )?independently verified\b)",
    re.IGNORECASE)
# a sentence that points at something outside it: it cannot stand alone as a highlight
_DANGLING = re.compile(
    r"(^(?:he|she|they|it|this|that|these|those|the below|the following)\s+"
    r"(?:said|says|added|noted|stressed|is|are|was|were)\b[^.]{0,40}$)"
    r"|attributable to|as follows|the following (?:statement|remarks)|[:：]\s*$"
    r"|\w-[.!?]?$"  # speech broken off at its last word ("… how they're going to move for-.")
    r"|\s[—–]\s*[.!?]?$",  # or after it ("We do agree — it's not just about vaccines, it's —.")
    re.IGNORECASE)
# speech in the first person, and quotation marks that attribute it to someone
_QUOTED = re.compile(r"[\"“”«»„]")
# a sentence that opens on someone's words ("“Dr Fauci exposed for the fraud he is,” said a Facebook
# post"): what was said of the event, after what happened
_OPENS_QUOTED = re.compile(r"^[\"“«„]")
# reactions to an event (condolences, condemnation, welcome): they come after the event itself
_REACTION = re.compile(
    r"\b(condolences?|sympath(?:y|ies|ise|ize)|mourn|condemn(?:s|ed)?|deplor(?:es|ed)|"
    r"welcom(?:es|ed)|express(?:es|ed)? (?:its|his|her|their|deep|sincere)|thoughts are with|"
    r"stands? ready to help|offers? (?:its|his|her) (?:support|assistance))\b",
    re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class Passage:
    """A text to draw sentences from; ``key`` names where it came from (a source)."""

    key: str
    title: str
    text: str
    weight: float = 1.0
    # whose words these are when they are someone's (a spokesperson's answer, a statement):
    # the paragraph quotes them under this name instead of saying them in its own voice
    said_by: str | None = None
    language: str | None = None
    # whom the question an answer answers asks about, when it names one person by a title ("the
    # President"): the answer's opening "he" is said as that person, in brackets (digest/referents.py)
    about: str | None = None


_LONGEST_SAID = 45  # words: a longer one is too long for the paragraph too


# a sentence that goes on about whom or what the one before it named: "He said …", "Its shares …"
# (not "This…", "But…", "The move…": what they point at may be further back; CNN/DM train sample,
# one report a story: 35.6 -> 36.8 ROUGE-1 with these, 36.3 with any that points back)
_PRONOUN = re.compile(r"^[\"“]?(?:he|she|his|her|they|their|it|its)\s+\w+", re.IGNORECASE)
# a report's sentence that is a quotation and nothing else: whose words they are is said before it
_BARE_QUOTE = re.compile(r"^[\"“«„][^\"“”«»„]+[\"”»]$")
# a sentence to the listener that names nothing ("Okay, a couple of items for you at the top.")
_TO_YOU = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)


def _usable(sentence: str) -> bool:
    if is_question(sentence) or _DANGLING.search(sentence) or aside_alone(sentence):
        return False
    if _TO_YOU.search(sentence) and not names_something(sentence):
        return False
    words = len(_WORD.findall(sentence))
    # a CJK sentence's length in characters, its punctuation (U+3000 on) counted
    cjk = sum(1 for ch in sentence if "\u3000" <= ch <= "\u9fff")
    if cjk:
        return 10 <= cjk <= 2 * _LONGEST_SAID
    return (
        6 <= words <= _LONGEST_SAID
        and lettered_words(sentence) >= 4  # not "14:11 EST, 25 October 2013"
        and not names_only(sentence)  # not "Dr. Fauci and then Dr. Walensky." (the floor handed over)
        and not sentence.endswith("?")
        and is_ended(sentence)  # a sentence, not a heading or a text cut off
        and not _BYLINE.match(sentence)
        and not _BOILERPLATE.search(sentence)
    )


# how a sentence's score falls with its place in its passage and with its length past BRIEF
# words: on the CNN/DM train sample and the AllSides roundups' tune half, decays of 1-3 and
# powers of 0.5-2 all score within 1 ROUGE-1 point; the power of 2 keeps highlights short
POSITION_DECAY = 1.5
BREVITY_POWER = 2.0
# the model's scores weighed down for length besides, to hold the median highlight at 22 words
# (0.3 did until quotations running over sentences were left out: 22.5 then, AllSides tune half)
BREVITY_WEIGHT = 0.35
# how much more a single report's opening sentences weigh (its n-th usable sentence 1 + this / n):
# the model, trained mostly on several reports a story, learns no lead of one report (CNN/DM train
# sample, whose pages open with bylines: 35.1 -> 35.6 ROUGE-1 at 2, within 0.1 from 2 to 4)
LEAD_WEIGHT = 2.0


@dataclass(frozen=True)
class _Candidate:
    text: str  # as a highlight says it: its main clause, when the sentence is too long for one
    key: str
    whole: str  # as the paragraph tells it: a report's sentence as written, an official's as said
    position: int  # among the passage's usable sentences
    weight: float
    formula: str | None  # what kind of formula it is, if it answers nothing
    passage: int  # which passage, in the order given
    # the sentence shortened (digest.sentences.compress), without who told it: what is compared with
    # the others (two reports of one fact are one fact, whoever each says told it)
    short: str
    # whether a sentence of its passage before it is told nowhere (too long, or half a quotation):
    # what it says may lean on that one ("The meeting is expected to …" after the untold announcement)
    after_untold: bool = False


VAGUE = 0.5  # how an official's sentence that leaves its subject unnamed is weighed (digest/speech.py)


def writers_own(candidate: _Candidate, passages: Sequence[Passage]) -> bool:
    """Whether an outlet's sentence is its writer's own voice, not a quotation ("Let's see how we
    got here."): the digest does not say it, and no one it could name did."""
    return (passages[candidate.passage].said_by is None
            and (speaks_for_itself(candidate.text) or _TO_YOU.search(candidate.text) is not None)
            and not _QUOTED.search(candidate.text) and not OPENS_SINGLE.search(candidate.text))


# a writer's "So …" draws on what came before ("So amid the deepening crisis, Gao reached out to
# clear the air."); a speaker's "So …" only starts speaking, and "So far", "So many" are no "so"
_SO = re.compile(r"^So\s(?!far\b|many\b|much\b)")


# an outlet's sentence told by someone it named before: "…,” she said at a news conference.", "“…,” she
# wrote, noting that …"
_SAID_BY_PRONOUN = re.compile(r"[,!?][”\"’']\s+(?:he|she|they)\s+(?:said|says|added|told|wrote|writes|"
                              r"explained|noted|continued|tweeted)\b"
                              r"|,\s+(?:he|she|they)\s+(?:said|says|added|told|wrote)\b[^.!?]{0,60}[.!?]?$")


def points_back(candidate: _Candidate, passages: Sequence[Passage]) -> bool:
    """Whether the sentence needs the one before it in its source: it opens by pointing back
    ("He…", "Both…", an outlet's "So …"), or it is an outlet's quotation without its speaker
    ("“The United States will continue to enforce our laws.”" under the outlet's name said it
    was the outlet's) or with only a pronoun for one ("…,” he said.")."""
    return needs_antecedent(candidate.text) or (passages[candidate.passage].said_by is None and (
        _BARE_QUOTE.match(candidate.text) is not None or _SO.match(candidate.text) is not None
        or _SAID_BY_PRONOUN.search(candidate.text) is not None))


def _candidates(passages: Sequence[Passage], *, lead: int) -> list[_Candidate]:
    found: list[_Candidate] = []
    for number, passage in enumerate(passages):
        position = 0
        untold = False
        # "He's eager to …" -> "[President Biden] is eager to …", in an official's answer
        for raw in naming(split_sentences(passage.text), passage.about if passage.said_by else None):
            if is_question(raw) or not balanced(raw):  # a reporter's question; half a quotation
                untold = untold or not is_question(raw)
                continue
            # what a government said, as said: its speakers' restarts ("We want — we encourage …") go
            cleaned = (repaired(clean_sentence(raw)) if passage.said_by
                       else clean_sentence(raw, attributed=False))
            sentence = compress(cleaned)
            if not balanced(sentence):  # cut inside a quotation, its speaker with its closing mark
                sentence = " ".join(raw.split())
            formula = formula_kind(sentence)
            if passage.said_by and not formula and talks_to_the_room(sentence):
                continue  # of themself ("I'm just going to be brief"): the government says "we"
            if _usable(sentence):
                # a long written sentence's main clause is a highlight, what was said is as said
                highlight = sentence if passage.said_by else main_clause(sentence, LONGEST)
                # what the sentence says, whoever told it, is what is compared with the others
                compared = sentence if passage.said_by else compress(clean_sentence(raw))
                found.append(_Candidate(highlight, passage.key, _as_written(cleaned, sentence, passage),
                                        position, passage.weight, formula, number, compared, untold))
                position += 1
                if position >= lead:
                    break
            elif words_in(sentence) > _LONGEST_SAID:
                untold = True
    return found


def _as_written(cleaned: str, shortened: str, passage: Passage) -> str:
    """A report's sentence as the paragraph tells it: whole, as its writer wrote it (no asides,
    time phrases or closing comments taken out), where that is a sentence of at most
    _LONGEST_SAID words; an official's as said, repaired and shortened. The paragraph tells the
    story in full sentences: ROUGE-1 against the AllSides human summaries over the earliest
    report's lead at the same length, +3.1 -> +3.5 on the tune half, +2.6 -> +2.9 on the other."""
    if passage.said_by:
        return shortened
    return cleaned if balanced(cleaned) and words_in(cleaned) <= _LONGEST_SAID else shortened


@dataclass(frozen=True)
class Ranking:
    """A story's candidate sentences, their similarities to each other and scores: computed
    once, used by both :func:`choose_highlights` and :func:`compose_summary`."""

    candidates: list[_Candidate]
    similarities: np.ndarray
    scores: np.ndarray  # for the highlights
    rule_scores: np.ndarray  # for the paragraph
    lead: str = ""  # the key of the story's lead report
    # other reports' sentences that count what the lead counts, differently: told neither way
    contradicting: frozenset[int] = frozenset()


def prepare(passages: Sequence[Passage], *, lead: int = 10, budget: int = 60,
            ) -> tuple[list[_Candidate], np.ndarray, np.ndarray]:
    """The candidate sentences, their similarities (to each other, then to the passages'
    titles) and each one's centrality (cosine with the centroid of all the texts)."""
    lead = max(3, min(lead, budget // max(1, len(passages))))
    candidates = _candidates(passages, lead=lead)
    if not candidates:
        return [], np.zeros((0, 0)), np.zeros(0)
    similarities = alike([c.short for c in candidates] + [p.title for p in passages])
    centroid_norm = math.sqrt(similarities.sum()) or 1.0
    return candidates, similarities, similarities[: len(candidates)].sum(axis=1) / centroid_norm


def rank_sentences(passages: Sequence[Passage], *, lead: int = 10, budget: int = 60) -> Ranking:
    """Score the first ``lead`` usable sentences of each passage (fewer, but at least three, when
    many passages would exceed ``budget`` sentences in all): central, early and short is best."""
    candidates, similarities, centrality = prepare(passages, lead=lead, budget=budget)
    if not candidates:
        return Ranking([], np.zeros((0, 0)), np.zeros(0), np.zeros(0))
    # the paragraph: central, early and short, by rule; the highlights: by the model trained
    # to pick what a human summary says (the rule where it is not shipped). The model chose
    # the paragraph's sentences worse on the AllSides half it was not trained on.
    rule = np.array([
        centrality[i] * c.weight / (1 + c.position) ** POSITION_DECAY * _brevity(c.whole)
        for i, c in enumerate(candidates)
    ])
    model = _model()
    scores = rule
    if model is not None:
        brevity = np.array([_brevity(c.text) for c in candidates]) ** BREVITY_WEIGHT
        scores = brevity / (1.0 + np.exp(-(features(candidates, passages, similarities, centrality)
                                           @ model)))
        if len(passages) == 1:  # one report: its opening tells its news (lead first, as its writer put it)
            scores = scores * np.array([1.0 + LEAD_WEIGHT / (1 + c.position) for c in candidates])
    n = len(candidates)
    lead_key = _lead(candidates, rule, passages)
    return Ranking(candidates, similarities[:n, :n], scores, rule, lead_key,
                   _contradicting(candidates, lead_key))


# what the sentence-choice model (digest/highlight_model.json, trained by
# tools/train_highlights.py) reads of each candidate sentence
FEATURES = ("bias", "centrality", "early", "log_position", "brevity", "length", "title",
            "figure", "quoted", "names", "weight", "first_passage")
_FIGURE = re.compile(r"\d")
MODEL_FILE = Path(__file__).with_name("highlight_model.json")


def features(candidates: Sequence[_Candidate], passages: Sequence[Passage],
             similarities: np.ndarray, centrality: np.ndarray) -> np.ndarray:
    """One row of :data:`FEATURES` per candidate (``similarities`` over the candidates, then
    the passages' titles)."""
    n = len(candidates)
    rows = []
    for i, c in enumerate(candidates):
        title = similarities[i, n + c.passage] if passages[c.passage].title else 0.0
        rows.append((1.0, centrality[i], 1.0 / (1 + c.position), math.log1p(c.position),
                     _brevity(c.text), min(words_in(c.text), 60) / 60, title,
                     1.0 if _FIGURE.search(c.text) else 0.0, 1.0 if _QUOTED.search(c.text) else 0.0,
                     min(len(names_in(c.text)), 6) / 6, c.weight, 1.0 if c.passage == 0 else 0.0))
    return np.array(rows, dtype=float)


@cache
def _model() -> np.ndarray | None:
    """The weights of the shipped model, in :data:`FEATURES` order, or None without one."""
    if not MODEL_FILE.is_file():
        return None
    data = json.loads(MODEL_FILE.read_text())
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{MODEL_FILE} was trained on other features: train it again "
                         "(python -m tools.train_highlights)")
    return np.array(data["weights"], dtype=float)


def _brevity(sentence: str) -> float:
    """1.0 up to ``BRIEF`` words, less and less for longer sentences: a highlight is read at
    a glance."""
    words = words_in(sentence)
    return min(1.0, (BRIEF / words) ** BREVITY_POWER) if words else 0.0


def choose_highlights(passages: Sequence[Passage], n: int = 3, *, redundancy: float = 0.45,
                      ranking: Ranking | None = None) -> list[str]:
    """Up to ``n`` short, self-contained sentences, central and unlike each other, from many sources."""
    return [text for text, _ in pick_highlights(passages, n, redundancy=redundancy, ranking=ranking)]


def pick_highlights(passages: Sequence[Passage], n: int = 3, *, redundancy: float = 0.45,
                    ranking: Ranking | None = None, title: str = "") -> list[tuple[str, str]]:
    """:func:`choose_highlights` with the key of the passage each came from: ``(text, key)``;
    none is the story's ``title`` again. What happened comes first: a reaction to it
    (condolences, condemnation, a sentence opening on someone's words) goes after the sentences
    that are not reactions, and a formula
    that names nobody and nothing ("We have taken note of relevant reports.") after those that
    do; one report's highlights come in its own order. A story of outlets and a government has
    what the government said among them, when it said anything the outlets do not."""
    ranking = ranking or rank_sentences(passages)
    candidates, similar, scores = ranking.candidates, ranking.similarities, ranking.scores
    chosen: list[int] = []
    used_keys: set[str] = set()
    # a formula that answers nothing is no highlight; an answer that is nothing else is told as
    # what it is, when there is room
    formulas = sorted((i for i, c in enumerate(candidates) if c.formula),  # what tells most first
                      key=lambda i: TELLING.index(candidates[i].formula or "declined"))
    one_report = len(passages) == 1  # its highlights in its own order: they tell its story
    # a highlight stands alone: no formula, at most LONGEST words, nothing that points back, but
    # right after the highlight it points to in one report's own order: a pronoun ("He said …"
    # after what he did), and in an outlet's report any opening that goes on from the sentence
    # before ("But for some communities, the group is the local governing authority."; CNN/DM
    # test sample, each half by a hash of its id: 41.43 -> 41.91 and 38.71 -> 39.11 ROUGE-1).
    # An official's answer keeps to pronouns: its highlights were read that way (White House, China)
    place = {(c.passage, c.position): i for i, c in enumerate(candidates)}
    pointing = {i for i, c in enumerate(candidates) if points_back(c, passages)}
    goes_on = one_report and passages[0].said_by is None
    remaining = {i for i, c in enumerate(candidates) if not c.formula and words_in(c.text) <= LONGEST
                 and (i not in pointing or (one_report and (goes_on or _PRONOUN.match(c.text) is not None)))
                 and not is_title(c.text, title) and not writers_own(c, passages)
                 and not (passages[c.passage].said_by is None and _NOT_LEARNED.search(c.text))
                 and not (passages[c.passage].said_by and _answers_only(c.text))
                 } - ranking.contradicting
    def official(i: int) -> bool:
        return passages[candidates[i].passage].said_by is not None

    while remaining and len(chosen) < n:
        def gain(i: int) -> tuple[bool, float, int]:
            bonus = 1.0 if candidates[i].key not in used_keys else 0.85
            vague = official(i) and leaves_unnamed(candidates[i].text)
            # an official's sentence that stumbles where the speaker broke off ("We just — that is — we
            # just don't have a decision.") only where nothing said whole is left
            whole = not (official(i) and stumbles(candidates[i].text))
            return (whole, scores[i] * bonus * (VAGUE if vague else 1.0), -i)

        standing = [i for i in remaining if i not in pointing
                    or place.get((candidates[i].passage, candidates[i].position - 1)) in chosen]
        if not standing:
            break
        if len(chosen) == n - 1 and not any(official(j) for j in chosen):
            # a story of outlets and a government: the last highlight is what the government said
            # (the outlets' "Namhkam lies close to the Chinese border town of Ruili" had taken it)
            standing = [i for i in standing if official(i)] or standing
        best = max(standing, key=gain)
        remaining.discard(best)
        here = candidates[best]
        if any(similar[best, j] > redundancy or tallies_differ(here.text, candidates[j].text)
               or (told_twice(here, candidates[j], similar[best, j]) if candidates[j].key != here.key
                   else restates(here.text, candidates[j].text, share=0.6)) for j in chosen):
            continue
        chosen.append(best)
        used_keys.add(candidates[best].key)
    chosen.sort(key=lambda i: candidates[i].position if one_report else (
        _REACTION.search(text := candidates[i].text) is not None or _OPENS_QUOTED.match(text) is not None,
        not names_something(text)))
    picked = [(candidates[i].text, candidates[i].key) for i in chosen]
    saying = {c.key for c in candidates if not c.formula}
    for i in formulas:
        c = candidates[i]
        told = as_what_it_is(c.formula or "", passages[c.passage].language)
        if len(picked) < n and c.key not in saying | used_keys and told:
            picked.append((told, c.key))
            used_keys.add(c.key)
    return picked


# how much of a sentence another report's says for the two to tell one fact: reports of one event open
# on it in other words ("Sheldon Whitehouse continues to defend his family's membership in the all-white
# private Bailey's Beach Club" / "Sheldon Whitehouse refused to apologize for his family's membership in
# a reportedly all-White beach club"; at 0.6, three outlets' openings had been a story's three
# highlights, for the same ROUGE-1 on the AllSides roundups). Within one report, or one answer, the
# sentences go on from each other: 0.5 there took "It was the first visit by a Chinese foreign minister
# to Canada in ten years" for the visit's announcement.
_ACROSS_REPORTS = 0.5


def _answers_only(said: str) -> bool:
    """Whether an official's short sentence says nothing without the question it answers: it names
    nothing, and what it is about is "that" or "them" ("We're committed to doing that.", "We'll
    continue to do that.", "We're working very closely with them.")."""
    return words_in(said) <= 8 and leaves_unnamed(said) and not names_something(said)


def told_twice(candidate: _Candidate, other: _Candidate, alike: float) -> bool:
    """Whether two reports' sentences tell one fact, in the same words or in others (0.1 of their
    4-grams alike at least: 0.19 in the AllSides tune half's 43 paraphrases; the vectors cost time)."""
    return (restates(candidate.text, other.text, share=_ACROSS_REPORTS)
            or (alike > 0.1 and paraphrases(candidate.text, other.text)))


def is_title(sentence: str, title: str) -> bool:
    """Whether the title is this sentence (or its start, shortened), or tells it as someone's ("China
    says Taiwan is …", "中国：台湾是…", "China says it has …" for "China has …"): said again under it,
    it says nothing the reader has not just read."""
    def bare(text: str) -> str:
        return " ".join(text.casefold().rstrip(" .。!！…").split())
    said, told = bare(sentence), bare(title)
    # "China says it has indisputable sovereignty …" tells "We have (China has) indisputable sovereignty …"
    claimed = re.match(r"^(.+?) says it \S+ (.+)$", told)
    if claimed and (what := re.match(rf"^(?:we|{re.escape(claimed.group(1))}) \S+ (.+)$", said)) \
            and what.group(1).startswith(claimed.group(2)):
        return True
    # "China says China and Myanmar are traditional friends" tells "China and Myanmar are traditional
    # friends, neighbors and …", "China: “…”" its quotation
    told_as = re.match(r"^.+? says (.+)$|^[^:：]+[:：]\s*[“\"]?(.+?)[”\"]?$", told)
    if told_as and len(rest := told_as.group(1) or told_as.group(2) or "") >= 12 and said.startswith(rest):
        return True
    return bool(title) and (said.startswith(told) or (len(said) >= 6 and said in told))


def _lead(candidates: Sequence[_Candidate], rule_scores: np.ndarray, passages: Sequence[Passage]) -> str:
    """The key of the story's lead report: the one whose sentences are most central (an outlet's,
    when there is one: the paragraph tells what happened, then what governments said of it)."""
    totals: dict[str, float] = {}
    reported = any(passages[c.passage].said_by is None for c in candidates)
    eligible = [i for i, c in enumerate(candidates) if not reported or passages[c.passage].said_by is None]
    # a report whose opening is told: one that opens on a sentence too long to tell would begin the
    # paragraph with what leans on it ("The meeting is expected to focus heavily on …")
    opened = {candidates[i].key for i in eligible
              if candidates[i].position == 0 and not candidates[i].after_untold}
    for i in eligible:
        if candidates[i].key in opened or not opened:
            totals[candidates[i].key] = totals.get(candidates[i].key, 0.0) + float(rule_scores[i])
    return max(sorted(totals), key=lambda k: totals[k])


def _contradicting(candidates: Sequence[_Candidate], lead: str) -> frozenset[int]:
    """The candidates of other reports that count what the lead report counts, differently
    ("The vote was 222-190" where the lead has "The 220-to-190 party-line vote"): the story tells
    the lead's figure, in its highlights and its paragraph alike."""
    told = [c.text for c in candidates if c.key == lead]
    return frozenset(i for i, c in enumerate(candidates)
                     if c.key != lead and any(tallies_differ(c.text, text) for text in told))
