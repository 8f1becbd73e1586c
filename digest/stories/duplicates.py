"""Near-duplicates: wire copy republished elsewhere folds into its earliest copy, "+N similar"."""

from __future__ import annotations

import math
import re
from itertools import chain

import numpy as np

from digest.stories.options import StoryOptions
from digest.stories.units import Unit

__all__ = ["fold_duplicates", "shingles"]

_SHINGLE = 5


def shingles(text: str) -> set[int]:
    """Hashes of the text's runs of ``_SHINGLE`` words (each word hashed once; a run's hash is a
    polynomial of its words' hashes, in 64-bit arithmetic that wraps)."""
    words = re.findall(r"\w+", text.lower())
    if len(words) <= _SHINGLE:
        return {hash(" ".join(words))}
    hashes = np.array([hash(w) for w in words], dtype=np.int64).view(np.uint64)
    count = len(words) - _SHINGLE + 1
    runs = hashes[:count].copy()
    for k in range(1, _SHINGLE):
        runs = runs * np.uint64(1_000_003) + hashes[k : k + count]
    return set(runs.tolist())


def fold_duplicates(units: list[Unit], options: StoryOptions
                     ) -> tuple[list[Unit], dict[tuple[int, int], list[Unit]]]:
    """Near-duplicate texts from other sources fold into their earliest copy, an official one
    first: the shorter holds at least ``options.duplicate`` of its shingles in the longer, and
    is at least ``options.duplicate_sizes`` of its length. A wire report republished with a new
    headline, its ending trimmed and a paragraph added is still the same copy (containment; a
    Jaccard threshold missed four in ten such copies, bench/duplicates.py). Candidates come from
    an inverted index of each text's prefix (its smallest shingles, as many as a copy must share
    one of: prefix filtering), so the work grows with shared text, not with the square of the
    count."""
    order = sorted(range(len(units)), key=lambda i: (
        not units[i].article.official, units[i].article.published, units[i].article.id, units[i].segment))
    articles = [units[i].article for i in order]  # by position in that order, from here on
    sets = [shingles(units[i].text) for i in order]
    times = np.array([a.published.timestamp() for a in articles])
    sizes = np.array([len(s) for s in sets])
    codes: dict[str | None, int] = {None: -1}
    sources = np.array([codes.setdefault(a.source, len(codes)) for a in articles])
    languages = np.array([codes.setdefault(a.language, len(codes)) for a in articles])
    gap = options.max_gap_hours * 3600
    index: dict[int, list[int]] = {}
    keep: list[int] = []
    folded: dict[tuple[int, int], list[Unit]] = {}
    ratio = options.duplicate_sizes
    for p, mine in enumerate(sets):
        size = len(mine)
        # any copy shares at least duplicate * ratio * size shingles with this text
        prefix = sorted(mine)[: size - math.ceil(options.duplicate * ratio * size) + 1]
        best, best_shared = -1, 0
        found = set(chain.from_iterable(index.get(sh, ()) for sh in prefix))
        if found:
            earlier = np.sort(np.fromiter(found, dtype=np.int64, count=len(found)))
            ok = ((np.abs(times[earlier] - times[p]) <= gap) & (sources[earlier] != sources[p])
                  & (sizes[earlier] >= ratio * size) & (sizes[earlier] <= size / ratio))
            if languages[p] >= 0:
                ok &= (languages[earlier] < 0) | (languages[earlier] == languages[p])
            for q in earlier[ok].tolist():
                shared = len(mine & sets[q])
                if shared > best_shared and shared >= options.duplicate * min(size, sizes[q]):
                    best, best_shared = q, shared
        if best < 0:
            keep.append(order[p])
            for sh in prefix:
                index.setdefault(sh, []).append(p)
        else:
            key = (articles[best].id, units[order[best]].segment)
            folded.setdefault(key, []).append(units[order[p]])
    return [units[i] for i in sorted(keep)], folded
