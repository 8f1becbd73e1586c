"""Which story is which: a story's id, and the same id from one grouping to the next.

A story is the same story as a stored one when it holds that story's reports. Each grouping
(``digest stories``, ``digest run``, the daemon) rebuilds the stories of a span of articles;
:func:`carry_over` then gives each new story the id of the stored story whose members (articles,
and answers of briefings) it shares most, one stored story to one new story at most, the
largest overlaps first. A story that shares no member with a stored one is new: its id comes
from its earliest member (:func:`natural_id`: the article's URL, and for an answer of a
briefing the answer itself), made distinct from every id in use, so two stories never share
one. Called by :func:`digest.stories.build_stories` (ids distinct within a grouping) and by the
story stage in :mod:`digest.stages` (ids carried over from the store).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from digest.domain import Segment, Story

__all__ = ["Membership", "carry_over", "distinct_ids", "members", "natural_id"]

Member = tuple[int, int]  # (article id, segment: 0 for a whole article)


def natural_id(url: str, segment: Segment | None = None) -> str:
    """The id a story gets from its earliest member: a hash of the article's URL, and of the
    answer's words for a segment of a briefing (so that a briefing read again, its segments
    numbered anew, gives its answers' stories the same ids)."""
    key = url if segment is None else f"{url}#{' '.join(segment.text.split())}"
    return "s" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _other(story_id: str, taken: Collection[str]) -> str:
    """``story_id`` when free, else the first free of its deterministic variants."""
    candidate, n = story_id, 1
    while candidate in taken:
        n += 1
        candidate = "s" + hashlib.sha1(f"{story_id}#{n}".encode()).hexdigest()[:12]
    return candidate


def distinct_ids(stories: Sequence[Story], taken: Collection[str] = ()) -> list[Story]:
    """The stories, in order, each with an id no story before it has (nor any in ``taken``)."""
    used = set(taken)
    out = []
    for story in stories:
        story_id = _other(story.id, used)
        used.add(story_id)
        out.append(story if story_id == story.id else replace(story, id=story_id))
    return out


def members(story: Story) -> set[Member]:
    """What a story holds: its sources (a briefing's answers each) and the copies folded into them."""
    held = {(s.article_id, s.segment) for s in story.sources}
    held.update((copy, 0) for s in story.sources for copy in s.similar)
    return held


@dataclass(frozen=True)
class Membership:
    """The stored stories of a span's articles: the story each member is in, and for a story
    that also holds articles outside the span (they stay with it), the earliest of those."""

    story_of: Mapping[Member, str] = field(default_factory=dict)
    earlier: Mapping[str, datetime] = field(default_factory=dict)

    @property
    def kept_elsewhere(self) -> set[str]:
        """Stories that keep members outside the span whatever this grouping does."""
        return set(self.earlier)


def carry_over(stories: Sequence[Story], stored: Membership) -> list[Story]:
    """The ``stories`` of a new grouping with the ids of the stored stories they continue.

    Pairs (new story, stored story) are taken by how many members they share, most first (ties:
    the new story whose own id is the stored one's, then the earlier new story); each takes the
    stored id once. The others keep their own id unless it is taken (by a carried-over story, or
    by a stored story that keeps members outside the span), then a variant of it. A carried-over
    story that keeps older members starts when the earliest of them was published."""
    shared: dict[tuple[int, str], int] = {}
    for index, story in enumerate(stories):
        for member in members(story):
            old = stored.story_of.get(member)
            if old is not None:
                shared[(index, old)] = shared.get((index, old), 0) + 1
    ranked = sorted(shared.items(), key=lambda kv: (-kv[1], stories[kv[0][0]].id != kv[0][1],
                                                    kv[0][0], kv[0][1]))
    given: dict[int, str] = {}
    for (index, old), _ in ranked:
        if index not in given and old not in given.values():
            given[index] = old
    taken: set[str] = set(given.values()) | stored.kept_elsewhere
    out: list[Story] = []
    for index, story in enumerate(stories):
        if index in given:
            story_id = given[index]
            first = min(story.first_published, stored.earlier.get(story_id, story.first_published))
            out.append(replace(story, id=story_id, first_published=first))
            continue
        story_id = _other(story.id, taken)
        taken.add(story_id)
        out.append(story if story_id == story.id else replace(story, id=story_id))
    return out
