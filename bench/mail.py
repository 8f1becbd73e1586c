"""Benchmark rendering and sending personalised digests to a local SMTP sink.

Builds stories from real saved news pages (../shared/data/real-pages/news-fundus), adds N
subscribers (names in several scripts; a share with topic, source or language filters, so that
there are several distinct story lists), then in one run measures:

- the sink's own acceptance rate: a trivial smtplib client sending one ready-made digest over
  one connection (the ceiling for any sender);
- ``Sender.send_due``: everything the product does per message (pick stories, render once per
  distinct list and personalise, signed unsubscribe token, build the MIME message, claim and
  mark the delivery in SQLite, send over one SMTP connection), split into render / SMTP / rest;

and prints messages per second, the split, the ratio of the sending rate to the sink's, and peak
RSS. The sink (a minimal SMTP server, or aiosmtpd with ``--sink aiosmtpd``; both discard what
they receive) runs in its own process.

    python -m bench.mail [--subscribers 10000] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import os
import resource
import smtplib
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"

NAMES = ["Ada Lovelace", "Zoë Ådams", "Иван Петров", "王小明", "山田太郎", "Émile Zola 🌍",
         "María José", None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_fast_sink(port: int, ready: Any, counter: Any, recipients: str | None = None) -> None:
    """A minimal SMTP server that accepts everything and keeps nothing (the benchmark's sink:
    aiosmtpd parses every line in Python and tops out near 150 messages/s here); with
    ``recipients``, each accepted recipient is appended to that file."""
    import asyncio

    out = open(recipients, "a", buffering=1) if recipients else None  # noqa: SIM115 - sink's lifetime

    async def session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 sink ESMTP\r\n")
        rcpts: list[str] = []
        while line := await reader.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                writer.write(b"354 go ahead\r\n")
                await reader.readuntil(b"\r\n.\r\n")
                with counter.get_lock():
                    counter.value += 1
                if out is not None:
                    out.write("".join(r + "\n" for r in rcpts))
                rcpts.clear()
                writer.write(b"250 OK\r\n")
            elif verb == b"EHLO":
                writer.write(b"250-sink\r\n250-8BITMIME\r\n250 SIZE 100000000\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 bye\r\n")
                break
            else:
                if verb == b"RCPT":
                    rcpts.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                elif verb == b"RSET":
                    rcpts.clear()
                writer.write(b"250 OK\r\n")
            await writer.drain()
        writer.close()

    async def serve() -> None:
        server = await asyncio.start_server(session, "127.0.0.1", port, limit=2**24)
        ready.set()
        await server.serve_forever()

    asyncio.run(serve())


def run_sink(port: int, ready: Any, counter: Any) -> None:
    import asyncio

    from aiosmtpd.controller import Controller

    class Discard:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    controller = Controller(Discard(), hostname="127.0.0.1", port=port,
                            data_size_limit=10_000_000)
    controller.start()
    ready.set()
    asyncio.run(asyncio.sleep(10**6))


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sender_for_day(sender: Any, renderer: Any, transport: Any) -> Any:
    """The sender with the bench's timed renderer and transport."""
    sender.renderer, sender.transport = renderer, transport
    return sender


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=80, help="real pages to build stories from")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sink", choices=("fast", "aiosmtpd"), default="fast",
                        help="the receiving server: a minimal one, or aiosmtpd (slower)")
    args = parser.parse_args()
    folder = args.data / "real-pages" / "news-fundus"
    if not folder.is_dir():
        print(f"bench/mail.py: {folder} not found: the shared data sets are needed "
              "(see ../shared/data/README.md)", file=sys.stderr)
        return 2

    from digest.config import parse_config
    from digest.domain import NewArticle
    from digest.edition import Editions
    from digest.mail import OutgoingMessage, SmtpTransport
    from digest.render import Renderer
    from digest.stages import build_stories, make_sender, open_store
    from scraper.extract import extract_article

    port = free_port()
    ready, counter = multiprocessing.Event(), multiprocessing.Value("i", 0)
    sink = multiprocessing.Process(target=run_fast_sink if args.sink == "fast" else run_sink,
                                   args=(port, ready, counter), daemon=True)
    sink.start()
    ready.wait(30)

    work = Path(tempfile.mkdtemp(prefix="digest-bench-mail-"))
    config = parse_config(f"""\
database: sqlite:///{work}/digest.db
sources:
  - {{name: wire, kind: feed, url: "https://wire.example/rss.xml"}}
  - {{name: ministry, kind: feed, url: "https://mfa.example/rss.xml", official: true}}
mail:
  from: "Foreign Affairs Digest <digest@example.org>"
  smtp: {{host: 127.0.0.1, port: {port}, timeout: 30}}
digest: {{send_at: "00:00", max_stories: 12, window_hours: 72}}
web: {{base_url: "https://digest.example.org"}}
""", base_dir=work)
    store = open_store(config)

    started = time.perf_counter()
    now = datetime.now(UTC)
    pages = sorted(folder.rglob("*.htm*"))[: args.pages]
    for i, path in enumerate(pages):
        raw = path.read_bytes()
        raw = gzip.decompress(raw) if path.suffix == ".gz" else raw
        got = extract_article(raw, url=f"https://wire.example/{i}")
        if got is None:
            continue
        store.add_article(NewArticle(
            source="ministry" if i % 5 == 0 else "wire", url=f"https://wire.example/{i}",
            title=got.title or f"Article {i}", text=got.text, language=got.language,
            published=now - timedelta(minutes=30 * i)))
    stories = build_stories(config, store, now)
    print(f"stories: {len(stories)} from {len(pages)} real pages "
          f"({time.perf_counter() - started:.1f} s to prepare)")

    topics = sorted({w for s in stories[:30] for w in s.title.split() if len(w) > 6})[:8]
    with store.session() as session:
        from digest.models import SubscriberRow

        for i in range(args.subscribers):
            row = SubscriberRow(email=f"reader{i}@example.org", name=NAMES[i % len(NAMES)],
                                origin="cli", active=True)
            if i % 10 == 1 and topics:
                row.topics = [topics[i % len(topics)]]
            elif i % 10 == 2:
                row.sources = ["ministry"]
            elif i % 10 == 3:
                row.max_stories = 5
            session.add(row)

    # the sink's ceiling: one ready-made digest, one connection, nothing else
    sample = Renderer().render_shared(
        Editions(config, store).content(None, now), named=True)
    from digest.mail import MailParts, build_message

    ready_made = build_message(MailParts(
        sender_name="Digest", sender_address="digest@example.org", to_name="Ada",
        to_address="ceiling@example.org", subject=sample.subject, text=sample.text,
        html=sample.html, list_id="Digest"))
    n_ceiling = min(3000, args.subscribers)
    t0 = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for _ in range(n_ceiling):
            client.sendmail(ready_made.sender, [ready_made.recipient], ready_made.data)
    sink_rate = n_ceiling / (time.perf_counter() - t0)

    timings = {"render": 0.0, "smtp": 0.0}

    class TimedRenderer(Renderer):
        def render_shared(self, *a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return super().render_shared(*a, **k)
            finally:
                timings["render"] += time.perf_counter() - t

    class TimedSmtp(SmtpTransport):
        def send(self, message: OutgoingMessage) -> None:
            t = time.perf_counter()
            try:
                super().send(message)
            finally:
                timings["smtp"] += time.perf_counter() - t

    assert config.mail.smtp is not None
    sender = make_sender(config, store)
    sender.renderer = TimedRenderer()
    smtp_settings = config.mail.smtp
    sender.transport = lambda: TimedSmtp(smtp_settings)
    before = counter.value
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        report = profile.runcall(sender.send_due, now)
        order = os.environ.get("BENCH_PROFILE_SORT", "tottime")  # or cumtime
        lines = int(os.environ.get("BENCH_PROFILE_LINES", "18"))
        pstats.Stats(profile).sort_stats(order).print_stats(lines)
    else:
        report = sender.send_due(now)
    total = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    sent = len(report.sent)
    rate = sent / total
    smtp_rate = sent / timings["smtp"] if timings["smtp"] else float("inf")
    rest = total - timings["render"] - timings["smtp"]
    print(f"subscribers: {args.subscribers}; sent {sent}, skipped {len(report.skipped)}, "
          f"failed {len(report.failed)}; sink received {counter.value - before}")
    print(f"sink ({args.sink}) acceptance, trivial client, one ready message: {sink_rate:8.1f} msg/s")
    print(f"send_due total:                                      {rate:8.1f} msg/s "
          f"({total:.1f} s, {cpu:.1f} s CPU in this process)")
    print(f"  rendering (distinct story lists):   {timings['render']:6.2f} s")
    print(f"  SMTP transactions:                   {timings['smtp']:6.2f} s  ({smtp_rate:.0f} msg/s)")
    print(f"  rest (pick, personalise, build, DB): {rest:6.2f} s  "
          f"({rest / max(sent, 1) * 1000:.2f} ms/msg)")
    print(f"ratio sending rate / sink acceptance rate: {rate / sink_rate:.2f} "
          f"(SMTP part alone: {smtp_rate / sink_rate:.2f})")
    print(f"target >= 300 msg/s: {'met' if rate >= 300 else 'NOT met'}")

    # the next day: a few stories have new reports, the rest none; each subscriber's digest
    # now says what is new to them (updated, new highlights) and names the rest once
    later = now + timedelta(days=1)
    for n, story in enumerate(stories[:6]):
        first = story.sources[0]
        with store.session() as session:
            from digest.models import ArticleRow

            text = session.get(ArticleRow, first.article_id).text  # type: ignore[union-attr]
        store.add_article(NewArticle(source="wire" if first.name == "ministry" else "ministry",
                                     url=f"https://wire.example/day2/{n}", title=story.title,
                                     text=text + " Talks continued on the second day.",
                                     published=later - timedelta(minutes=10 * n)))
    build_stories(config, store, later)
    timings.update(render=0.0, smtp=0.0)
    t0 = time.perf_counter()
    day2 = sender_for_day(make_sender(config, store), TimedRenderer(), lambda: TimedSmtp(smtp_settings))
    report2 = day2.send_due(later)
    total2 = time.perf_counter() - t0
    rate2 = len(report2.sent) / total2 if total2 else 0.0
    print(f"next day, with new / updated / still-developing marks: sent {len(report2.sent)}, "
          f"skipped {len(report2.skipped)}; {rate2:8.1f} msg/s ({total2:.1f} s; rendering "
          f"{timings['render']:.2f} s); ratio to the first day's rate: {rate2 / rate:.2f}")
    print(f"peak RSS: {peak_mib():.0f} MiB")
    sink.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
