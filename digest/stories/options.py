"""The story stage's knobs, with the values it was tuned to."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["StoryOptions"]


@dataclass(frozen=True, kw_only=True)
class StoryOptions:
    """Tuning knobs; the defaults suit a day of foreign-affairs news."""

    similarity: float = 0.175      # average cosine similarity to share a story (tuned on ECB+ train+dev)
    names_weight: float = 0.4      # share of names and numbers in that similarity (same tuning)
    duplicate: float = 0.8         # share of the shorter text's shingles in the longer: the same copy
    duplicate_sizes: float = 0.5   # ... when the shorter is at least this share of the longer
    opinion_similarity: float = 0.12
    max_gap_hours: float = 72.0
    neighbours: int = 50           # nearest units considered when placing one
    refine_rounds: int = 5         # passes that move units to the story they now fit best (until none moves)
    highlights: int = 3
    # a story in one language joins its report in another at this similarity of names, numbers
    # and word shapes (digest/stories/crosslingual.py; F1 threshold on SemEval-2022 task 8 train pairs)
    cross_language_similarity: float | None = 0.16  # None: stories stay in one language
    # the same-story model (digest/stories/same_story.json, trained by tools/train_same_story.py): a unit
    # joins a story whose members it is on average at least this likely to share an event with
    # (0.5: best on ECB+ train+dev); ECB+ test B³ 0.975 against 0.924 for the plain similarity
    # above, which decides when this is None
    same_story: float | None = 0.5
