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
    # the same-story model (digest/stories/same_story.json, trained by tools/train_same_story.py):
    # two units share a story when they are on average at least ``likely`` to report one event;
    # within a language when ``same_story`` (else by the plain ``similarity`` above), and
    # across languages when ``cross_language`` (one threshold for both)
    same_story: bool = True
    cross_language: bool = True  # False: stories stay in one language
    likely: float = 0.5
