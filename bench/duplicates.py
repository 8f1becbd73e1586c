"""Folding republished copies: which rule finds a wire report republished with changes?

Copies are built from real articles (the news-fundus bodies in ../shared/data/real-pages): the
ending trimmed (0-40% of the paragraphs), up to two paragraphs added, as a republishing outlet
does (a new headline is not part of the text compared). Pairs that must not fold: different
write-ups of one event (ECB+ documents of the same event cluster, which also hold a few true
copies). Each pair goes to a half by a hash of its first text; the rule was chosen on half 0.

Prints, per half, the share of copies folded and the write-up pairs folded, for the old rule
(shingle Jaccard >= 0.7) and for the one digest uses (the shorter text's shingles in the longer,
at digest.stories.StoryOptions' thresholds). Usage: python -m bench.duplicates
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

from digest.stories import StoryOptions
from digest.stories.duplicates import shingles as _shingles

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"

Pair = tuple[str, str]


def copies(rng: random.Random) -> list[Pair]:
    truth = json.loads((DATA / "real-pages" / "news-fundus" / "ground-truth.json").read_text())
    bodies = [v["articleBody"] for _, v in sorted(truth.items()) if len(v["articleBody"].split()) > 150]
    made = []
    for body in bodies:
        paragraphs = [p for p in body.split("\n") if p.strip()]
        if len(paragraphs) < 3:
            paragraphs = re.split(r"(?<=[.!?]) ", body)
        kept = paragraphs[: max(2, int(len(paragraphs) * (1 - rng.uniform(0.0, 0.4))))]
        added = [rng.choice(bodies).split(".")[0] + ". This report was republished with additional "
                 "reporting from our correspondents in the region."] * rng.randint(0, 2)
        at = rng.randint(0, len(kept))
        made.append((body, "\n".join(kept[:at] + added + kept[at:])))
    return made


def write_ups() -> list[Pair]:
    by_event: dict[str, list[str]] = {}
    for line in (DATA / "clustering" / "ecbplus" / "ecbplus_documents.jsonl").open():
        doc = json.loads(line)
        by_event.setdefault(doc["event_cluster"], []).append(doc["text"])
    return [(a, b) for docs in by_event.values() for i, a in enumerate(docs) for b in docs[i + 1:i + 3]]


def jaccard(a: str, b: str) -> bool:
    first, second = _shingles(a), _shingles(b)
    return len(first & second) / len(first | second) >= 0.7


def containment(a: str, b: str) -> bool:
    options = StoryOptions()
    first, second = _shingles(a), _shingles(b)
    small, large = sorted((len(first), len(second)))
    return (small >= options.duplicate_sizes * large
            and len(first & second) >= options.duplicate * small)


def main() -> int:
    if not (DATA / "real-pages").is_dir():
        print(f"bench/duplicates.py: {DATA} is absent; nothing measured.")
        return 2
    positives, negatives = copies(random.Random(3)), write_ups()

    def half(pair: Pair) -> int:
        return hashlib.sha1(pair[0][:200].encode()).digest()[0] % 2

    rules: dict[str, Callable[[str, str], bool]] = {
        "shingle Jaccard >= 0.7 (before)": jaccard,
        f"containment >= {StoryOptions().duplicate}, sizes >= {StoryOptions().duplicate_sizes}": containment}
    print(f"{len(positives)} republished copies, {len(negatives)} pairs of write-ups of one event")
    for name, rule in rules.items():
        cells = []
        for h in (0, 1):
            mine = [p for p in positives if half(p) == h]
            others = [p for p in negatives if half(p) == h]
            folded = sum(rule(*p) for p in mine) / len(mine)
            wrong = sum(rule(*p) for p in others)
            cells.append(f"half {h}: copies folded {folded:.3f}, write-ups folded {wrong} of {len(others)}")
        print(f"  {name:<36} " + " | ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
