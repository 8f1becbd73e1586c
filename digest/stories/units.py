"""What gets grouped into stories: a whole article, or one segment of a briefing's transcript."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digest import vectors
from digest.domain import Segment, StoredArticle
from digest.highlights import Passage, rank_sentences
from digest.sentences import names_something
from digest.stories.similarity import feature_text
from digest.transcripts import read_transcript

__all__ = ["GENERIC_TITLE", "Unit", "article_text", "asked_about_something", "informative",
           "unit_meanings", "unit_passage", "unit_text", "unit_title", "units_of"]

GENERIC_TITLE = re.compile(
    r"(press conference|press briefing|daily briefing|regular briefing|transcript|"
    r"spokesperson'?s? (remarks|answers|comments)|remarks to (the )?press|"
    r"questions and answers|q ?& ?a)",
    re.IGNORECASE,
)
# what a question asks about: "… your view of the football final?", "… comment on the summit?"

@dataclass(frozen=True)
class Unit:
    """What gets clustered: a whole article, or one segment of a briefing's transcript."""

    article: StoredArticle
    segment: int
    text: str
    part: Segment | None = None

    @property
    def is_segment(self) -> bool:
        return self.segment > 0

    @property
    def said(self) -> str:
        """What the source itself says: a segment's answer (or announcement), not the question."""
        return self.part.answer if self.part is not None else self.text

    @property
    def key(self) -> str:
        return f"{self.article.source}/{self.article.id}/{self.segment}"


def units_of(articles: Sequence[StoredArticle]) -> list[Unit]:
    """An article is one unit, a briefing one per segment (as stored; read here when the
    caller has not: benches and tests give articles straight from their data)."""
    units: list[Unit] = []
    for article in articles:
        segments = article.segments
        if segments is None:
            transcript = read_transcript(article.text, title=article.title) if article.official else None
            segments = transcript.segments if transcript is not None else ()
        if segments:
            units.extend(
                Unit(article, i + 1, "\n".join(filter(None, (part.question, part.answer))), part)
                for i, part in enumerate(segments))
        else:
            units.append(Unit(article, 0, article.text))
    return units


def unit_meanings(units: Sequence[Unit]) -> np.ndarray:
    """Each unit's vector (digest/vectors.py): as stored, or made now for those not stored yet
    (the story stage stores them first; benches and tests give articles straight)."""
    stored = [u.part.vector if u.part is not None else u.article.vector for u in units]
    meaning = np.zeros((len(units), vectors.DIMENSIONS), dtype=np.float32)
    missing = [i for i, data in enumerate(stored) if data is None]
    for i, data in enumerate(stored):
        if data is not None:
            meaning[i] = vectors.unpack(data)
    if missing:
        meaning[missing] = vectors.encode([unit_passage(units[i]) for i in missing])
    return meaning


def unit_passage(unit: Unit) -> str:
    """What a unit's vector is made from."""
    if unit.part is not None:
        return vectors.segment_passage(unit.part)
    return vectors.article_passage(unit.article.title, unit.article.text)


def informative(unit: Unit) -> bool:
    """Whether a segment tells something: what was said has a sentence fit to be a highlight
    that is no formula ("Je n'ai pas d'annonce à faire à ce stade."), and the exchange names
    someone or something."""
    if all(c.formula for c in rank_sentences([Passage(key="", title="", text=unit.said)]).candidates):
        return False
    return names_something(unit.text)


def asked_about_something(unit: Unit) -> bool:
    """Whether a segment answers a question that names someone or something."""
    return unit.part is not None and names_something(unit.part.question or "")


def unit_title(unit: Unit) -> str:
    """What a unit is compared by as its title: none for a briefing's segment, nor for an
    article whose title names no event ("Regular Press Conference on June 3")."""
    return "" if unit.is_segment or GENERIC_TITLE.search(unit.article.title) else unit.article.title


def unit_text(unit: Unit) -> str:
    return feature_text(unit_title(unit), unit.text)


def article_text(article: StoredArticle) -> str:
    return feature_text(article.title, article.text)
