"""Benchmark the whole pipeline on real saved pages served from 127.0.0.1.

Serves N article pages (real news pages from ../shared/data/real-pages, each copied under
several feed sources so that N is reached with distinct URLs), then measures in one run:

- crawl + extract + store through the real Scrapy spiders (one child process, as in production);
- grouping the stored articles into stories;
- rendering 100 digests;
- trafilatura's own single-process ``extract()`` on the same pages (the baseline), its
  ``bare_extraction(with_metadata=True)`` (the same job the project asks of it), and the
  project's extraction layer alone on them;

and prints pages/s, seconds per stage, peak RSS and the ratio to trafilatura's rate.

    python -m bench.pipeline [--pages 2000] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"


def load_templates(data: Path) -> list[bytes]:
    folders = [data / "real-pages" / "news-fundus", data / "real-pages" / "news-newspaper4k"]
    pages: list[bytes] = []
    for folder in folders:
        for path in sorted(folder.rglob("*.htm*")):
            raw = path.read_bytes()
            pages.append(gzip.decompress(raw) if path.suffix == ".gz" else raw)
    return pages


def write_sites(root: Path, templates: list[bytes], pages: int, now: datetime) -> int:
    """Copy k of template i goes to source k as /s{k}/p{i}.html, listed in /s{k}/rss.xml."""
    copies = -(-pages // len(templates))
    written = 0
    for k in range(copies):
        site = root / f"s{k}"
        site.mkdir(parents=True)
        items = []
        for i, html in enumerate(templates):
            if written >= pages:
                break
            (site / f"p{i}.html").write_bytes(html)
            published = format_datetime(now - timedelta(minutes=written))
            items.append(f"<item><title>Page {i}</title><link>@ROOT@/s{k}/p{i}.html</link>"
                         f"<pubDate>{published}</pubDate></item>")
            written += 1
        (site / "rss.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>s</title>'
            + "".join(items) + "</channel></rss>")
    return copies


def peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--digests", type=int, default=100)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if not (args.data / "real-pages").is_dir():
        print(f"bench/pipeline.py: the data set is absent: {args.data / 'real-pages'} not found "
              "(it lives in ../shared/data beside the checkout); nothing measured.")
        return 2

    import trafilatura

    from digest.config import load_config
    from digest.domain import Subscriber
    from digest.edition import Editions
    from digest.render import Renderer
    from digest.samples import SampleSites
    from digest.store import Store
    from digest.stories import build_stories
    from scraper.extract import extract_article
    from scraper.run import crawl

    templates = load_templates(args.data)
    now = datetime.now(UTC).replace(microsecond=0)
    sample = [templates[i % len(templates)] for i in range(args.pages)]
    print(f"{args.pages} pages from {len(templates)} real news pages ({args.data / 'real-pages'})")

    # Baseline first, on the same pages, in this process: trafilatura.extract with defaults.
    started = time.perf_counter()
    for html in sample:
        trafilatura.extract(html)
    base_seconds = time.perf_counter() - started
    base_rate = len(sample) / base_seconds

    started = time.perf_counter()
    for html in sample:
        trafilatura.bare_extraction(html, with_metadata=True)
    meta_seconds = time.perf_counter() - started
    meta_rate = len(sample) / meta_seconds

    started = time.perf_counter()
    for html in sample:
        extract_article(html, now=now)
    ours_seconds = time.perf_counter() - started
    ours_rate = len(sample) / ours_seconds

    with tempfile.TemporaryDirectory(prefix="digest-bench-") as tmp:
        work = Path(tmp)
        copies = write_sites(work / "sites", templates, args.pages, now)
        with SampleSites(work / "sites", now=now) as sites:
            sources = "".join(
                f"  - {{name: s{k}, kind: feed, url: '{sites.base_url}/s{k}/rss.xml',"
                " max_articles: 100000}\n"
                for k in range(copies))
            (work / "config.yaml").write_text(
                f"database: sqlite:///digest.db\nsources:\n{sources}"
                "mail: {from: 'Bench <bench@example.org>', outbox: outbox}\n"
                "crawl: {delay: 0, autothrottle: false, obey_robots: false, concurrency_per_domain: 8,"
                " max_age_days: 3650, source_timeout: 3600}\n")
            config = load_config(work / "config.yaml")
            store = Store(config.database)
            store.migrate()
            started = time.perf_counter()
            reports = crawl(config, store, log_level="ERROR")
            crawl_seconds = time.perf_counter() - started
        fetched = sum(r.fetched for r in reports)
        stored = sum(r.stored for r in reports)
        failed = [r.name for r in reports if not r.ok]

        started = time.perf_counter()
        articles = store.articles_between(datetime(1970, 1, 1, tzinfo=UTC), now + timedelta(days=1))
        stories = build_stories(articles, now=now)
        store.save_stories(stories, [a.id for a in articles])
        stories_seconds = time.perf_counter() - started

        editions = Editions(config, store)
        renderer = Renderer()
        since = datetime(1970, 1, 1, tzinfo=UTC)
        top = store.stories_updated_since(since, limit=config.digest.max_stories)
        started = time.perf_counter()
        size = 0
        for n in range(args.digests):
            subscriber = Subscriber(id=n + 1, email=f"r{n}@example.org", name=f"Reader {n}",
                                    timezone="UTC", send_at=config.digest.send_at,
                                    max_stories=config.digest.max_stories)
            content = editions.content(subscriber, now, top, day=now.date())
            size = max(size, len(renderer.render(content).html))
        render_seconds = time.perf_counter() - started
        store.close()

    crawl_rate = fetched / crawl_seconds if crawl_seconds else 0.0
    print()
    print(f"{'stage':<38}{'seconds':>9}{'pages/s':>10}")
    print(f"{'trafilatura.extract() defaults':<38}{base_seconds:>9.1f}{base_rate:>10.1f}")
    print(f"{'trafilatura bare_extraction(metadata)':<38}{meta_seconds:>9.1f}{meta_rate:>10.1f}")
    print(f"{'project extraction (extract_article)':<38}{ours_seconds:>9.1f}{ours_rate:>10.1f}")
    print(f"{'crawl + extract + store (Scrapy)':<38}{crawl_seconds:>9.1f}{crawl_rate:>10.1f}")
    print(f"{'stories (' + str(len(articles)) + ' articles)':<38}{stories_seconds:>9.1f}")
    print(f"{'render ' + str(args.digests) + ' digests':<38}{render_seconds:>9.2f}"
          f"{args.digests / render_seconds:>10.1f} digests/s")
    print()
    print(f"pages fetched {fetched}, stored {stored}, stories {len(stories)}, "
          f"largest digest HTML {size / 1024:.0f} KiB, failed sources {failed or 'none'}")
    print(f"peak RSS: this process {peak_rss_mb(resource.RUSAGE_SELF):.0f} MiB, "
          f"crawler process {peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MiB")
    print(f"ratio crawl+extract+store / trafilatura extract(): {crawl_rate / base_rate:.2f}x "
          f"(/ with metadata: {crawl_rate / meta_rate:.2f}x); project extraction / trafilatura "
          f"extract(): {ours_rate / base_rate:.2f}x (/ with metadata: {ours_rate / meta_rate:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
