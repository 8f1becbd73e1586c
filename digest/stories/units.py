"""What gets grouped into stories: a whole article, or one segment of a briefing's transcript."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from digest.domain import Segment, StoredArticle
from digest.highlights import Passage, names_something, rank_sentences
from digest.transcripts import read_transcript

__all__ = ["GENERIC_TITLE", "Unit", "article_text", "asked_about_something", "informative",
           "unit_text", "units_of"]

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


def informative(unit: Unit) -> bool:
    """Whether a segment tells something: what was said has a sentence fit to be a highlight,
    and the exchange names someone or something."""
    if not rank_sentences([Passage(key="", title="", text=unit.said)]).candidates:
        return False
    return names_something(unit.text)


def asked_about_something(unit: Unit) -> bool:
    """Whether a segment answers a question that names someone or something."""
    return unit.part is not None and names_something(unit.part.question or "")


def unit_text(unit: Unit) -> str:
    title = "" if unit.is_segment or GENERIC_TITLE.search(unit.article.title) else unit.article.title
    return f"{title}\n{title}\n{unit.text[:3000]}"


def article_text(article: StoredArticle) -> str:
    return f"{article.title}\n{article.title}\n{article.text[:3000]}"
