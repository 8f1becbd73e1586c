"""A story's paragraph: the lead report's sentences in their own order, then what the others add,
in the digest's own voice (what a government said quoted under its name). Drawn from the same
ranked sentences as the highlights (:mod:`digest.highlights`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import groupby

from digest.highlights import Passage, Ranking, points_back, rank_sentences, told_twice, writers_own
from digest.sentences import words_in

__all__ = ["compose_summary", "quoted"]


def compose_summary(passages: Sequence[Passage], *, max_words: int = 150,
                    redundancy: float = 0.35, ranking: Ranking | None = None) -> str:
    """A paragraph of about 80-200 words that tells the story in order: the most central
    passage's sentences in their own order, then what the other passages add, in the order the
    passages come (their time), without repeating a sentence's content, nor what another report
    told already in other words. It tells the whole story, what happened included, so it may say
    again what a highlight says: a paragraph that left out the highlights' sentences told what
    was left of a story, not the story (ROUGE-1 against the AllSides human summaries,
    bench/editorial.py, over the earliest report's lead at the same length: -1.0 -> +2.3 on the
    half nobody tuned on, +0.8 -> +3.5 on the other). A sentence
    that opens by pointing back ("He…", "Both…") comes only right after the sentence it follows
    in its source. It is the digest's own voice: what a government says is quoted under its
    name (``Passage.said_by``), never said as fact, and an outlet's sentence in the first or second
    person outside quotation marks is left out; formulas that answer nothing are left out."""
    ranking = ranking or rank_sentences(passages)
    # the whole sentences, where a highlight says a long one's main clause
    candidates = [replace(c, text=c.whole) for c in ranking.candidates]
    shortened = [replace(c, text=c.short) for c in ranking.candidates]  # what one report's says of another's
    similar, scores = ranking.similarities, ranking.rule_scores
    if not candidates:
        return ""
    lead_key = ranking.lead
    order = [i for i, c in enumerate(candidates) if c.key == lead_key]
    order += sorted((i for i, c in enumerate(candidates) if c.key != lead_key),
                    key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    place = {(c.passage, c.position): i for i, c in enumerate(candidates)}
    words = 0.0
    for i in order:
        c = candidates[i]
        if c.formula or writers_own(c, passages):
            continue  # someone's own words ("we remain open to dialogue", "if you were …") need a speaker
        if points_back(c, passages) and place.get((c.passage, c.position - 1)) not in chosen:
            continue  # "He said…" only right after what it points back to
        size = words_in(c.text)
        if words + size > max_words and words >= 60:
            continue
        if i in ranking.contradicting or any(similar[i, j] > redundancy or (
                candidates[j].key != c.key and told_twice(shortened[i], shortened[j], similar[i, j]))
                for j in chosen):
            continue  # what another report has told already in other words adds nothing
        chosen.append(i)
        words += size
        if words >= max_words * 0.8:
            break
    chosen.sort(key=lambda i: (candidates[i].key != lead_key, candidates[i].passage, candidates[i].position))
    # one quotation for the consecutive sentences of one speaker, the rest in the digest's voice
    parts = []
    for _, group in groupby(chosen, key=lambda i: passages[candidates[i].passage].said_by or i):
        members = list(group)
        text = " ".join(candidates[i].text for i in members)
        passage = passages[candidates[members[0]].passage]
        parts.append(quoted(passage.said_by, text, passage.language) if passage.said_by else text)
    return " ".join(parts)


def quoted(who: str, text: str, language: str | None) -> str:
    """``text`` as ``who``'s words."""
    code = (language or "en")[:2]
    if code == "en":
        return f"{who} said: “{text}”"
    if code in ("zh", "ja"):
        return f"{who}表示：“{text}”" if code == "zh" else f"{who}：「{text}」"
    return f"{who}: «{text}»"
