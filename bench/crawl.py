"""Benchmark the crawler: 20 sources and 5,000 article pages served on 127.0.0.1.

The pages are real news pages (../shared/data/real-pages, used as templates, each under its own
URL) listed in one RSS feed per source. One run measures:

- crawl + extract + store through the real spiders (``scraper.run.crawl``: a Scrapy child
  process, extraction in worker processes): pages/s, CPU seconds, how busy the cores were,
  peak RSS sampled from the process tree;
- (a) a bare Scrapy spider that only downloads the same pages, same settings;
- (b) extraction alone on the same pages: trafilatura ``extract()`` with defaults in one
  process, and the project's ``extract_article`` (what the crawl runs per page) in one process
  and in one process per core at once, the latter two before and after the crawls (this VM's
  speed drifts within minutes; the mean is used);
- what bounds the crawl rate / capacity ratio: the extraction workers' share of the crawl's
  CPU (the crawler and the fixture server use the same cores), and the bare spider's CPU per
  page beside one page's extraction;
- a second crawl of the unchanged sites: article pages fetched again (should be 0) and its time
  as a share of the first.

The target: the crawl reaches 90% of the machine's extraction capacity, the rate of the
project's extraction in one process per core at once; the ratio to cores x the single-process
rate is printed too. The fixture sites are served from the same cores: by nginx when it is
installed (``apt-get install nginx-light``; a C server costs the crawl little), else by the
Python test server, which takes about as much CPU per page as the crawler itself.

    python -m bench.crawl [--pages 5000] [--sources 20] [--server nginx|python] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"

BARE_SPIDER = """
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

urls = json.loads(sys.stdin.read())
seen = [0]

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for url in urls:
            yield scrapy.Request(url, callback=self.parse)
    def parse(self, response):
        seen[0] += 1

process = CrawlerProcess({"LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "COOKIES_ENABLED": False,
                          "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
                          "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                          "TELNETCONSOLE_ENABLED": False})
crawler = process.create_crawler(Bare)
process.crawl(crawler)
process.start()
print(json.dumps(seen[0]))
"""


def write_sites(root: Path, templates: list[bytes], pages: int, sources: int,
                now: datetime) -> list[str]:
    """Page i goes to source i % sources as /s{k}/p{i}.htm, listed in /s{k}/rss.xml."""
    items: dict[int, list[str]] = {k: [] for k in range(sources)}
    paths = []
    for i in range(pages):
        k = i % sources
        site = root / f"s{k}"
        site.mkdir(parents=True, exist_ok=True)
        # .htm: served as text/html as they are (the server fills tokens only in .html)
        (site / f"p{i}.htm").write_bytes(templates[i % len(templates)])
        paths.append(f"/s{k}/p{i}.htm")
        items[k].append(f"<item><title>Page {i}</title><link>@ROOT@/s{k}/p{i}.htm</link>"
                        f"<pubDate>{format_datetime(now - timedelta(minutes=i))}</pubDate></item>")
    for k, entries in items.items():
        (root / f"s{k}" / "rss.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>s</title>'
            + "".join(entries) + "</channel></rss>")
    return paths


class NginxSites:
    """The same folder served by nginx on 127.0.0.1 (one worker process, ETag and Last-Modified
    on): a static server in C takes a small share of the cores that the crawl is measured on,
    where the Python test server spends about as much per page as the crawler. ``requests``
    reads the access log."""

    def __init__(self, root: Path, work: Path) -> None:
        from tests.servers import free_port

        self.root, self.work = root, work
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = work / "access.log"
        temp = " ".join(f"{kind}_temp_path {work / kind};"
                        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        user = "user root;" if getpass.getuser() == "root" else ""
        (work / "nginx.conf").write_text(f"""
            {user} worker_processes 1; daemon off; pid {work / "nginx.pid"};
            error_log {work / "error.log"}; events {{ worker_connections 4096; }}
            http {{ access_log {self.log}; {temp}
                    types {{ text/html htm html; application/rss+xml xml; }}
                    keepalive_requests 100000;
                    server {{ listen 127.0.0.1:{self.port} backlog=4096; root {root}; }} }}""")
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> NginxSites:
        for feed in self.root.glob("*/rss.xml"):
            feed.write_text(feed.read_text().replace("@ROOT@", self.base_url))
        self._process = subprocess.Popen([NGINX, "-c", str(self.work / "nginx.conf")])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            time.sleep(0.05)
        raise RuntimeError(f"nginx did not start: {(self.work / 'error.log').read_text()}")

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(10)

    @property
    def requests(self) -> list[str]:
        """Paths requested so far, in order."""
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        return [line.split('"')[1].split()[1] for line in lines if line.count('"') >= 2]


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _extract_all(pages: list[bytes]) -> int:
    from scraper.extract import extract_article

    for html in pages:
        extract_article(html)
    return len(pages)


def extraction_rate(pages: list[bytes], processes: int) -> float:
    """Pages per second of the project's extraction in ``processes`` processes at once (forked
    from a fork server, as the crawl's workers are), each taking an equal share of ``pages``.
    With one process it runs here."""
    if processes <= 1:
        started = time.perf_counter()
        _extract_all(pages)
        return len(pages) / (time.perf_counter() - started)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scraper.extract"])
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        list(pool.map(_extract_all, [pages[:5]] * processes))  # started and warm
        started = time.perf_counter()
        done = sum(pool.map(_extract_all, [pages[i::processes] for i in range(processes)]))
        return done / (time.perf_counter() - started)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine_cpu() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    return (after[0] - before[0]) / max(1, after[1] - before[1])


class RssSampler:
    """Samples the resident memory of this process's descendants (the crawler and its
    extraction workers) every 0.2 s. ``ru_maxrss`` of children is no use here: a child forked
    from this large process counts this process's pages until it execs."""

    def __init__(self) -> None:
        self.largest = 0.0
        self.total = 0.0
        self.cpu: dict[int, tuple[str, float]] = {}  # pid -> (crawler|server|workers, CPU seconds)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.2):
            sizes = []
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    sizes.append(child.memory_info().rss / 2**20)
                    times = child.cpu_times()
                    command = " ".join(child.cmdline())
                    kind = ("crawler" if "scraper.run" in command else
                            "server" if "nginx" in command else "workers")
                    if not command and child.pid in self.cpu:  # exiting: keep what it was
                        kind = self.cpu[child.pid][0]
                    self.cpu[child.pid] = (kind, times.user + times.system)
            if sizes:
                self.largest = max(self.largest, max(sizes))
                self.total = max(self.total, sum(sizes))

    def cpu_seconds(self, kind: str) -> float:
        """CPU seconds of the crawler process, the server (nginx) or the extraction workers and
        their fork server, as last sampled."""
        return sum(seconds for k, seconds in self.cpu.values() if k == kind)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sample", type=int, default=1000,
                        help="pages timed for the single-process extraction rates (b)")
    parser.add_argument("--server", choices=("nginx", "python"), default="nginx",
                        help="what serves the fixture sites: nginx (when installed: apt-get install "
                        "nginx-light) or the Python test server")
    parser.add_argument("--workers", type=int, default=0,
                        help="crawl.extract_workers for the crawl (0: one per CPU)")
    args = parser.parse_args()
    if not (args.data / "real-pages").is_dir():
        print(f"bench/crawl.py: the data set is absent: {args.data / 'real-pages'} not found "
              "(it lives in ../shared/data beside the checkout); nothing measured.")
        return 2

    import trafilatura
    from pipeline import load_templates

    from digest.config import load_config
    from digest.samples import SampleSites
    from digest.store import Store
    from scraper.run import crawl
    from scraper.workers import size_for

    templates = load_templates(args.data)
    now = datetime.now(UTC).replace(microsecond=0)
    cores = os.cpu_count() or 1
    print(f"{args.pages} pages in {args.sources} sources, from {len(templates)} real news pages; "
          f"{cores} CPUs")

    with tempfile.TemporaryDirectory(prefix="digest-bench-crawl-") as tmp:
        work = Path(tmp)
        paths = write_sites(work / "sites", templates, args.pages, args.sources, now)
        pages = [(work / "sites" / p.lstrip("/")).read_bytes() for p in paths]

        # (b) extraction alone on an even sample of the same pages: one process, and one per
        # core at once (the cores' capacity), measured before and after the crawls (this VM's
        # speed drifts by 10-20% within minutes)
        sample = pages[:: max(1, len(pages) // args.sample)][: args.sample]
        started = time.perf_counter()
        for html in sample:
            trafilatura.extract(html)
        trafilatura_rate = len(sample) / (time.perf_counter() - started)
        project_rates = [extraction_rate(sample, 1)]
        parallel_rates = [extraction_rate(sample, cores)]

        server: NginxSites | SampleSites
        if NGINX and args.server == "nginx":
            server = NginxSites(work / "sites", work)
        else:
            server = SampleSites(work / "sites", now=now)
        served_by = "nginx" if isinstance(server, NginxSites) else "the Python test server"
        print(f"fixture sites served by {served_by}")
        with server as sites:
            sources = "".join(
                f"  - {{name: s{k}, kind: feed, url: '{sites.base_url}/s{k}/rss.xml',"
                " max_articles: 100000}\n" for k in range(args.sources))
            (work / "config.yaml").write_text(
                f"database: sqlite:///digest.db\nsources:\n{sources}"
                "mail: {from: 'Bench <bench@example.org>', outbox: outbox}\n"
                "crawl: {delay: 0, autothrottle: false, obey_robots: false,"
                " concurrency_per_domain: 8, max_age_days: 3650, source_timeout: 3600,"
                f" extract_workers: {args.workers}}}\n")
            config = load_config(work / "config.yaml")

            # (a) a bare Scrapy spider downloading the same pages
            cpu0 = children_cpu()
            started = time.perf_counter()
            bare = subprocess.run([sys.executable, "-c", BARE_SPIDER], capture_output=True,
                                  text=True, check=True,
                                  input=json.dumps([sites.base_url + p for p in paths]))
            bare_seconds = time.perf_counter() - started
            bare_cpu = children_cpu() - cpu0
            bare_pages = int(json.loads(bare.stdout.strip().splitlines()[-1]) or 0)

            store = Store(config.database)
            store.migrate()
            cpu0 = children_cpu()
            busy0 = machine_cpu()
            started = time.perf_counter()
            with RssSampler() as rss:
                reports = crawl(config, store, log_level="ERROR")
            crawl_seconds = time.perf_counter() - started
            crawl_cpu = children_cpu() - cpu0
            busy = busy_share(busy0, machine_cpu())
            fetched = sum(r.fetched for r in reports)
            stored = sum(r.stored for r in reports)
            failed = [r.name for r in reports if not r.ok]

            requests_before = len(sites.requests)
            started = time.perf_counter()
            again = crawl(config, store, log_level="ERROR")
            again_seconds = time.perf_counter() - started
            article_refetches = sum(1 for p in sites.requests[requests_before:]
                                    if p.endswith(".htm"))
            store.close()
        project_rates.append(extraction_rate(sample, 1))
        parallel_rates.append(extraction_rate(sample, cores))

    crawl_rate = fetched / crawl_seconds
    workers = size_for(config.crawl.extract_workers)
    project_rate = sum(project_rates) / len(project_rates)
    capacity = sum(parallel_rates) / len(parallel_rates)
    print()
    print(f"{'':<44}{'pages/s':>9}{'seconds':>9}{'CPU s':>8}")
    print(f"{'(b) trafilatura extract(), 1 process':<44}{trafilatura_rate:>9.1f}")
    print(f"{'(b) project extract_article, 1 process':<44}{project_rate:>9.1f}"
          f"   (before / after the crawls: {project_rates[0]:.1f} / {project_rates[1]:.1f})")
    print(f"{f'(b) project extract_article, {cores} processes':<44}{capacity:>9.1f}"
          f"   (before / after the crawls: {parallel_rates[0]:.1f} / {parallel_rates[1]:.1f})")
    print(f"{'(a) bare Scrapy spider, download only':<44}{bare_pages / bare_seconds:>9.1f}"
          f"{bare_seconds:>9.1f}{bare_cpu:>8.1f}")
    print(f"{'crawl + extract + store (' + str(workers) + ' extraction workers)':<44}"
          f"{crawl_rate:>9.1f}{crawl_seconds:>9.1f}{crawl_cpu:>8.1f}")
    print()
    print(f"pages fetched {fetched}, stored {stored}, failed sources {failed or 'none'}")
    print(f"peak RSS (sampled): crawler process {rss.largest:.0f} MiB; crawler and its "
          f"extraction workers together {rss.total:.0f} MiB")
    per_page = {k: f"{1000 * rss.cpu_seconds(k) / max(1, fetched):.0f} ms"
                for k in ("crawler", "workers", "server")}
    print(f"CPU per page: crawler process {per_page['crawler']}, extraction workers "
          f"{per_page['workers']} (extraction alone, (b): {1000 / project_rate:.0f} ms), nginx "
          f"{per_page['server']} (including the bare spider's run)")
    print(f"all {cores} cores were {100 * busy:.0f}% busy during the crawl (crawler, extraction "
          "workers and the fixture server share them)")
    # The cores also download and serve every page: with extraction in the workers as fast as
    # in the capacity run, the crawl reaches at most the workers' share of the crawl's CPU.
    cpu = {k: rss.cpu_seconds(k) for k in ("crawler", "workers", "server")}
    print(f"the extraction workers' share of the crawl's CPU: "
          f"{cpu['workers'] / max(1e-9, sum(cpu.values())):.2f}, the ratio below when they "
          "extract as fast as in the capacity run and the cores are all busy (the bare Scrapy "
          f"spider alone costs {1000 * bare_cpu / max(1, bare_pages):.1f} ms a page, "
          f"{bare_cpu / max(1, bare_pages) * project_rate:.0%} of one page's extraction)")
    print(f"crawl rate / extraction capacity (project extraction in {cores} processes at once): "
          f"{crawl_rate / capacity:.2f} (target >= 0.90: "
          f"{'met' if crawl_rate >= 0.9 * capacity else 'NOT met'}); / ({cores} x one process): "
          f"{crawl_rate / (cores * project_rate):.2f}")
    print(f"crawl rate / ({cores} x trafilatura extract()): "
          f"{crawl_rate / (cores * trafilatura_rate):.2f}; / one process of project extraction: "
          f"{crawl_rate / project_rate:.2f}")
    print(f"second crawl of unchanged sites: {again_seconds:.1f} s = "
          f"{again_seconds / crawl_seconds:.1%} of the first (target < 10%); article pages "
          f"fetched again: {article_refetches}; new articles: {sum(r.stored for r in again)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
