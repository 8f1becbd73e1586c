"""Group a window's articles into stories, and rank them.

Called by the ``stories`` and ``run`` commands with the articles the store holds for the
window; returns :class:`~digest.domain.Story` values that the store saves. Steps:

1. briefing transcripts from official sources are read into segments (digest/transcripts.py:
   each opening announcement, each question with its answer), so each can join the story it is
   about;
2. near-duplicates (wire copy republished elsewhere) are folded into one source, "+N similar";
3. the remaining units are clustered within each language in one pass in publication order by
   the same-story model (digest/stories/similarity.py: how likely two units report one event,
   from their multilingual vectors and TF-IDF over words and over names and numbers, which tell
   two earthquakes apart), average linkage over each unit's nearest earlier neighbours, never
   across more than ``max_gap_hours``; then a few passes move a unit to the story it fits best
   now that the articles after it are in (its nearest neighbours on both sides); time and
   memory grow near-linearly; then stories in different languages that report one event are
   joined by the same model (digest/stories/languages.py), one story per language at most;
   such a story is written in English when it has English reports;
4. opinion pieces join the story they discuss (they never form one, nor give highlights);
5. each story gets a title, highlights (with the sources they came from and, for what an
   official said, who said it and who asked), a summary that adds to them and a score; stories
   are returned most important first. A segment or statement that joins no outlet's story is an
   official story of its own (``kind`` "official"): what a ministry said is news for our
   readers even before anyone reports it.

Deterministic: the same articles give the same stories. Each story's id comes from its earliest
member (an article, or one answer of a briefing) and no two stories built together share one;
the story stage carries stored stories' ids over to the stories that continue them
(digest/identity.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from digest.domain import StoredArticle, Story
from digest.identity import distinct_ids
from digest.stories.cluster import attach_opinions, cluster
from digest.stories.compose import compose
from digest.stories.duplicates import fold_duplicates
from digest.stories.follow_ups import join_follow_ups
from digest.stories.languages import link_languages
from digest.stories.options import StoryOptions
from digest.stories.similarity import PairFeatures, combine, term_matrices
from digest.stories.units import (
    article_text,
    asked_about_something,
    informative,
    unit_meanings,
    unit_text,
    unit_title,
    units_of,
)

__all__ = ["build_stories"]


def build_stories(articles: Sequence[StoredArticle], *, now: datetime,
                  options: StoryOptions | None = None) -> list[Story]:
    """Group ``articles`` into ranked stories (most important first)."""
    options = options or StoryOptions()
    reporting = [a for a in articles if not a.is_opinion]
    opinions = [a for a in articles if a.is_opinion]
    units = units_of(reporting)
    if not units:
        return []
    canonical, similar = fold_duplicates(units, options)
    n = len(canonical)
    words, names = term_matrices([(u.article.language, unit_text(u)) for u in canonical]
                                 + [(a.language, article_text(a)) for a in opinions])
    vectors = combine(words, names, options.names_weight)
    unit_vectors, opinion_vectors = vectors[:n], vectors[n:]
    pair = (PairFeatures.of_texts([(u.article.language, unit_title(u), u.text) for u in canonical],
                                  unit_meanings(canonical), terms=(words[:n], names[:n]))
            if options.same_story or options.cross_language else None)
    labels = cluster(canonical, unit_vectors, options, pair)
    if pair is not None and options.cross_language:
        labels = link_languages(canonical, labels, pair, options)
    labels = join_follow_ups(canonical, unit_vectors, labels)

    clusters: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        clusters.setdefault(int(label), []).append(index)
    # official-only groups too: every answer reaches the reader, even one that declines to
    # answer a question about someone or something ("I have nothing to share." on reports of a
    # visit is news); but segments that say nothing of anyone or anything ("The floor is open for
    # questions.", the football final) are no story of their own
    groups = [members for members in clusters.values()
              if not all(canonical[i].is_segment for i in members)
              or any(informative(canonical[i]) or asked_about_something(canonical[i])
                     for i in members)]
    attached = attach_opinions(opinions, opinion_vectors, unit_vectors, groups, options)

    stories = [
        compose([canonical[i] for i in members], unit_vectors[members], similar,
               attached.get(g, []), now=now, options=options)
        for g, members in enumerate(groups)
    ]
    # a briefing's talk with the room that says nothing else ("I'm just going to be super brief.",
    # "Joe Khalil with NewsNation."): no highlight, no paragraph, nothing to read, no story
    stories = [s for s in stories if s.highlights or s.summary
               or not all(source.segment for source in s.sources)]
    # as important, and updated by the same briefing: the newer story first, then by title (an
    # id hashes the sources' addresses, which tell the reader nothing and, in the demo, change
    # with its port from run to run)
    stories.sort(key=lambda s: (-s.score, -s.updated.timestamp(), -s.first_published.timestamp(),
                                s.title, s.id))
    return distinct_ids(stories)
