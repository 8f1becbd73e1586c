"""Chinese search: FTS5's trigram tokenizer against the character pairs digest indexes
(digest/search_terms.py), on the China MFA's own Chinese pages in ../shared/data/ministry/html.

Queries are runs of 2, 3 and 4 Chinese characters taken from the pages (a two-character word
is the commonest Chinese word length). For each tokenizer and length it prints recall (the
page the run was taken from is among the hits) and the share of queries that find pages that
do not hold the run (false hits). Split by a hash of the page name into a half looked at and
a half not.

    python -m bench.cjk_search [--data ../shared/data] [--queries 300]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sqlite3
import sys
from pathlib import Path

from digest.search_terms import index_terms, query_terms
from digest.text import HAN

ROOT = Path(__file__).resolve().parent.parent
RUN = re.compile(f"[{HAN}]+")


def pages(data: Path) -> dict[str, str]:
    import trafilatura

    found = {}
    for path in sorted((data / "ministry" / "html").glob("fmprc_zh_*.html")):
        text = trafilatura.extract(path.read_text(encoding="utf-8", errors="replace")) or ""
        if len(RUN.findall(text)) > 5:
            found[path.stem] = text
    return found


Rates = dict[str, dict[int, tuple[float, float]]]  # tokenizer -> length -> (recall, false hits)


def measure(texts: dict[str, str], queries: list[tuple[str, str]]) -> Rates:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE tri USING fts5(body, tokenize='trigram')")
    db.execute("CREATE VIRTUAL TABLE pairs USING fts5(body, tokenize='unicode61')")
    names = list(texts)
    for rowid, name in enumerate(names, 1):
        db.execute("INSERT INTO tri(rowid, body) VALUES (?, ?)", (rowid, texts[name]))
        db.execute("INSERT INTO pairs(rowid, body) VALUES (?, ?)", (rowid, index_terms(texts[name], "zh")))
    out: Rates = {"trigram": {}, "pairs": {}}
    for length in (2, 3, 4):
        chosen = [(n, q) for n, q in queries if len(q) == length]
        for kind in out:
            found = wrong = 0
            for name, query in chosen:
                if kind == "trigram":
                    match = f'"{query}"'
                    try:
                        rows = {r[0] for r in db.execute("SELECT rowid FROM tri WHERE tri MATCH ?", (match,))}
                    except sqlite3.OperationalError:
                        rows = set()
                else:
                    match = " AND ".join(f'"{g[0]}"' for g in query_terms(query, ["zh"]))
                    rows = {r[0] for r in db.execute("SELECT rowid FROM pairs WHERE pairs MATCH ?", (match,))}
                hits = {names[r - 1] for r in rows}
                found += name in hits
                wrong += any(query not in texts[h] for h in hits)
            n = max(1, len(chosen))
            out[kind][length] = (found / n, wrong / n)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    if not (args.data / "ministry" / "html").is_dir():
        print(f"no saved ministry pages at {args.data}/ministry/html: nothing to measure")
        return 0
    texts = pages(args.data)
    rng = random.Random(7)
    for half in ("looked at", "not looked at"):
        part = {n: t for n, t in texts.items()
                if (int(hashlib.sha1(n.encode()).hexdigest(), 16) % 2 == 0) == (half == "looked at")}
        if not part:
            continue
        queries = []
        for _ in range(args.queries):
            name = rng.choice(sorted(part))
            runs = [r for r in RUN.findall(part[name]) if len(r) >= 4]
            run = rng.choice(runs)
            length = rng.choice((2, 3, 4))
            start = rng.randrange(len(run) - length + 1)
            queries.append((name, run[start:start + length]))
        result = measure(part, queries)
        print(f"{half} ({len(part)} pages, {len(queries)} queries):")
        for kind, by_length in result.items():
            print(f"  {kind:8}" + "".join(f"  {length} chars: recall {r:.2f}, false hits {w:.2f}"
                                          for length, (r, w) in by_length.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
