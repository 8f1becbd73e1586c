"""Search at scale: time per query over 100,000 stored articles, SQLite FTS5 and PostgreSQL.

Articles are built from real sentences (ECB+ and CNN/DailyMail texts in ../shared/data) and
stored through the store as the crawler stores them, with their search terms (stems in their
language, CJK character pairs: digest/search_terms.py); the database keeps the index (migration
0018). Queries are 1-3 words drawn from the articles (common and rare alike). Prints
per backend: load time, median and 95th-percentile milliseconds per query (20 results, with
snippets), and the index's size.

Usage: python -m bench.search [--articles 100000] [--queries 200] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from digest.config import SourceConfig
from digest.domain import NewArticle
from digest.sentences import split_sentences
from digest.store import Store
from digest.text import stop_words
from tests.servers import PostgresCluster, ServerUnavailable

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_DATA = ROOT.parent / "shared" / "data"


def sentences(data: Path) -> list[list[str]]:
    ecb = data / "clustering/ecbplus/ecbplus_documents.jsonl"
    cnndm = data / "highlights/frank-cnndm/cnndm_test_250.jsonl"
    docs = [json.loads(line)["text"] for line in ecb.open()]
    docs += [json.loads(line)["article"] for line in cnndm.open()]
    return [s for s in (split_sentences(d) for d in docs) if len(s) >= 6]


def articles(pools: list[list[str]], count: int) -> list[NewArticle]:
    rng = random.Random(11)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    found = []
    for n in range(count):
        pool = pools[n % len(pools)]
        chosen = rng.sample(pool, min(len(pool), rng.randint(8, 14)))
        found.append(NewArticle(source=f"outlet-{n % 20}", url=f"https://bench.example/{n}",
                                title=chosen[0][:120], text="\n".join(chosen) + f" ({n})",
                                published=start + timedelta(minutes=n)))
    return found


def queries(items: list[NewArticle], count: int) -> list[str]:
    rng = random.Random(5)
    stops = stop_words("en")
    made = []
    while len(made) < count:
        words = [w for w in re.findall(r"[A-Za-z]{4,}", rng.choice(items).text) if w.lower() not in stops]
        if len(words) >= 3:
            made.append(" ".join(rng.sample(words, rng.randint(1, 3))))
    return made


def measure(label: str, url: str, items: list[NewArticle], asked: list[str]) -> None:
    store = Store(url)
    store.migrate()
    store.sync_sources([SourceConfig(name=f"outlet-{n}", kind="feed", url=f"https://o{n}.example/rss")
                        for n in range(20)])
    started = time.perf_counter()
    for i in range(0, len(items), 1000):
        store.add_articles(items[i:i + 1000])
    loaded = time.perf_counter() - started
    times, found = [], 0
    for query in asked:
        t0 = time.perf_counter()
        hits = store.search(query)
        times.append((time.perf_counter() - t0) * 1000)
        found += bool(hits)
    times.sort()
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            pages = conn.execute(
                text("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'")).scalar()
            size = f"FTS5 tables {pages / 2**20:.0f} MiB"
        else:
            index = conn.execute(text("SELECT pg_relation_size('ix_articles_search')")).scalar()
            column = conn.execute(text("SELECT sum(pg_column_size(search)) FROM articles")).scalar()
            size = f"GIN index {index / 2**20:.0f} MiB + tsvector column {column / 2**20:.0f} MiB"
    print(f"  {label:<10} {len(items):>7} articles stored in {loaded:5.1f}s; {len(asked)} queries "
          f"({found} with results): median {statistics.median(times):6.1f} ms, "
          f"95th percentile {times[int(len(times) * 0.95)]:6.1f} ms; {size}")
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if not (args.data / "clustering").is_dir():
        print(f"bench/search.py: the data sets are absent ({args.data} not found); nothing measured.")
        return 2
    items = articles(sentences(args.data), args.articles)
    asked = queries(items, args.queries)
    print(f"Search over {args.articles} articles, {args.queries} queries of 1-3 words, 20 results each")
    with tempfile.TemporaryDirectory(prefix="digest-bench-search-") as tmp:
        measure("SQLite", f"sqlite:///{tmp}/digest.db", items, asked)
    folder = Path(tempfile.mkdtemp(prefix="digest-bench-pg-"))  # the postgres user's to use
    try:
        cluster = PostgresCluster(folder)
    except ServerUnavailable as e:
        print(f"  PostgreSQL: {e}; not measured")
        return 0
    cluster.start()
    try:
        measure("PostgreSQL", cluster.database(), items, asked)
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
