"""One story across languages: stories in different languages that report one event join
(digest/stories/crosslingual.py's similarity), one story per language at most."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from digest.stories import crosslingual
from digest.stories.options import StoryOptions
from digest.stories.units import Unit, unit_text

__all__ = ["link_languages"]


def link_languages(units: Sequence[Unit], labels: np.ndarray, options: StoryOptions) -> np.ndarray:
    """Join stories told in different languages that report the same event. A story's language
    is its members' most common one; two stories in different languages, close in time, join
    when their members are on average at least ``options.cross_language_similarity`` alike
    across languages (digest.stories.crosslingual; average linkage, as within a language), best pairs
    first, and never so that a story would hold two stories of one language (no chaining two
    English stories through a Chinese one)."""

    ids, label_of = np.unique(labels, return_inverse=True)  # stories numbered 0..k-1
    k = len(ids)
    language = np.array([""] * k, dtype=object)
    for story in range(k):
        counts = Counter((units[i].article.language or "")[:2]
                         for i in np.flatnonzero(label_of == story).tolist())
        counts.pop("", None)
        language[story] = counts.most_common(1)[0][0] if counts else ""
    if len(set(language) - {""}) < 2:
        return labels
    bridge, chars = crosslingual.similarity_matrices(
        [(u.article.language, unit_text(u)) for u in units])
    sizes = np.bincount(label_of, minlength=k).astype(float)
    times = np.array([u.article.published.timestamp() for u in units])
    first = np.full(k, np.inf)
    last = np.full(k, -np.inf)
    np.minimum.at(first, label_of, times)
    np.maximum.at(last, label_of, times)
    gap = options.max_gap_hours * 3600
    threshold = options.cross_language_similarity or 0.0
    unit_language = language[label_of]
    candidates: list[tuple[float, int, int]] = []
    for lang in sorted(set(language) - {""}):
        rows = np.flatnonzero(unit_language == lang)
        cols = np.flatnonzero((unit_language != "") & (unit_language > lang))  # each pair once
        if not len(cols):
            continue
        row_stories, col_stories = np.unique(label_of[rows]), np.unique(label_of[cols])
        into_rows = sparse.csr_matrix((np.ones(len(rows)), (np.searchsorted(row_stories, label_of[rows]),
                                                            np.arange(len(rows)))))
        into_cols = sparse.csr_matrix((np.ones(len(cols)), (np.arange(len(cols)),
                                                            np.searchsorted(col_stories, label_of[cols]))))
        totals = np.zeros((len(row_stories), len(col_stories)))
        bridge_cols, chars_cols = bridge[cols].T.tocsc(), chars[cols].T.tocsc()
        for start in range(0, len(rows), 512):  # a block of rows at a time: memory stays flat
            part = rows[start:start + 512]
            sims = (bridge[part] @ bridge_cols) + (chars[part] @ chars_cols)
            totals += (into_rows[:, start:start + 512] @ sims @ into_cols).toarray()
        average = totals / np.outer(sizes[row_stories], sizes[col_stories])
        close = ((first[row_stories][:, None] <= last[col_stories][None, :] + gap)
                 & (first[col_stories][None, :] <= last[row_stories][:, None] + gap))
        for r, c in zip(*np.nonzero((average >= threshold) & close), strict=True):
            candidates.append((float(average[r, c]), int(row_stories[r]), int(col_stories[c])))
    parent = list(range(k))
    held = [{language[story]} for story in range(k)]

    def root(story: int) -> int:
        while parent[story] != story:
            parent[story] = parent[parent[story]]
            story = parent[story]
        return story

    for _, a, b in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        ra, rb = root(a), root(b)
        if ra != rb and not held[ra] & held[rb]:
            parent[rb] = ra
            held[ra] |= held[rb]
    return ids[[root(story) for story in label_of]]
