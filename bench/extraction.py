"""Benchmark the project's extraction against trafilatura with defaults, in the same run.

Data sets (from ../shared/data, each with a README giving provenance and published scores):

- ``article-extraction-benchmark`` (Zyte, 181 pages): shingle F1 / precision / recall of the body;
- ``trafilatura-eval`` (990 annotated pages): snippet precision / recall / F1;
- ``real-pages/news-fundus`` (258 pages with gold title, date, authors and body): title exact
  match, date accuracy (same calendar day), authors (every gold name in the author found), body F1;
- ``extraction-more`` (CleanEval, Dragnet, L3S-GN1: 120 pages each, gold main text): bag-of-tokens
  precision / recall / F1 per page, macro-averaged (the Web Content Extraction Benchmark's
  metric), with readability-lxml as a second baseline, and the project's text after its title
  (Dragnet's gold text holds the headline, which the digest keeps apart);
- ``news``: newspaper4k's 24 test pages with their expected text (Arabic, Chinese, Japanese,
  Thai, Latvian... as well as English) and Mozilla readability's 124 (the text readability.js
  is expected to give, so readability-lxml has an edge there), scored as ``extraction-more``,
  plus the title against their metadata's;
- ``ministry``: the saved ministry pages (fmprc.gov.cn in Chinese, the State Department, the
  European Parliament) have no gold text: how far the project's text and the baselines' agree;

and, in ``speed``, pages per second per core of trafilatura with metadata and of the project,
in process and through ``digest extract``, with the parts a page's reading is made of timed alone
(trafilatura's text without metadata, in its fast mode too, and readability) to show what any
pipeline that runs them can reach; and pages per second for both systems on each set
(each page's time is its fastest of ``--rounds`` runs,
the systems taking turns page by page). Every document is put in a half, "tune" or "held-out",
by a hash of its name: tuning looked only at the tune half; figures are printed for all of it
and for each half.

    python -m bench.extraction [--sets zyte,eval,fundus,more,news,ministry,speed] [--limit N]
                               [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from statistics import mean
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
_WORDS = re.compile(r"\w+")


ROUNDS = 1  # --rounds


def half(name: str) -> str:
    return "tune" if hashlib.sha1(name.encode()).digest()[0] % 2 == 0 else "held-out"


# --- metrics -----------------------------------------------------------------------------------

def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _WORDS.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def shingle_counts(truth: str, pred: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of 4-gram shingles, normalised to sum 1 (the Zyte benchmark's metric)."""
    t, p = shingles(truth), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def shingle_prf(counts: Iterable[tuple[float, float, float]]) -> tuple[float, float, float]:
    precisions, recalls = [], []
    for tp, fp, fn in counts:
        if fp == 0 and fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        precisions.append(tp / (tp + fp) if tp + fp > 0 else 0.0)
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
    p, r = mean(precisions), mean(recalls)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


@dataclass
class Tally:
    seconds: float = 0.0
    docs: int = 0
    values: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, key: str, value: Any) -> None:
        self.values.setdefault(key, []).append(value)


# --- systems -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Output:
    title: str | None
    text: str
    published: datetime | None
    author: str | None = None


def trafilatura_defaults(html: bytes, url: str | None, now: datetime) -> Output:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None or isinstance(doc, dict):
        return Output(None, "", None)
    published = None
    if doc.date:
        published = datetime.fromisoformat(doc.date[:10]).replace(tzinfo=UTC)
    return Output(doc.title, doc.text or "", published, doc.author)


def trafilatura_text(html: bytes, url: str | None, now: datetime) -> Output:
    import trafilatura

    return Output(None, trafilatura.extract(html, url=url) or "", None)


def trafilatura_eval_standard(html: bytes, url: str | None, now: datetime) -> Output:
    import trafilatura

    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True,
                               include_formatting=False)
    return Output(None, text or "", None)


def readability_lxml(html: bytes, url: str | None, now: datetime) -> Output:
    import logging

    import lxml.html
    from readability import Document

    # it logs each page it cannot read with a traceback before raising; run() reports the crash
    logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
    summary = Document(html, url=url).summary(html_partial=True)
    text = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
    return Output(None, text, None)


def project(html: bytes, url: str | None, now: datetime) -> Output:
    from scraper.extract import extract_article

    result = extract_article(html, url=url, now=now)
    if result is None:
        return Output(None, "", None)
    return Output(result.title, result.text, result.published, result.author)


def project_titled(html: bytes, url: str | None, now: datetime) -> Output:
    """The project's text after its title: the digest keeps the headline apart from the
    text, where some sets' gold text holds it; this shows what that costs there."""
    out = project(html, url, now)
    return Output(out.title, f"{out.title}\n{out.text}" if out.title else out.text, out.published)


System = Callable[[bytes, str | None, datetime], Output]


def run(system: System, html: bytes, url: str | None, now: datetime, tally: Tally) -> Output:
    """One system on one page, timed; the page's time is the fastest of ``ROUNDS`` runs, so a
    stall of this shared virtual machine does not count against whichever system it hit."""
    out = Output(None, "", None)
    fastest = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        try:
            out = system(html, url, now)
        except Exception as e:  # a crash counts as a miss
            print(f"  crash in {system.__name__}: {type(e).__name__}: {e}", file=sys.stderr)
            out = Output(None, "", None)
        fastest = min(fastest, time.perf_counter() - started)
    tally.seconds += fastest
    tally.docs += 1
    return out


# --- data sets ---------------------------------------------------------------------------------

def zyte(data: Path, systems: dict[str, System], limit: int | None) -> dict[str, Tally]:
    root = data / "article-extraction-benchmark"
    truth = json.loads((root / "ground-truth.json").read_text())
    tallies = {name: Tally() for name in systems}
    now = datetime.now(UTC)
    for key in sorted(truth)[:limit]:
        html = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        for name, system in systems.items():
            out = run(system, html, truth[key].get("url"), now, tallies[name])
            tallies[name].add(half(key), shingle_counts(truth[key]["articleBody"], out.text))
    return tallies


def trafilatura_eval(data: Path, systems: dict[str, System], limit: int | None) -> dict[str, Tally]:
    root = data / "trafilatura-eval"
    evaldata = json.loads((root / "evaldata.json").read_text())
    tallies = {name: Tally() for name in systems}
    now = datetime.now(UTC)

    def norm(s: str) -> str:
        return re.sub(r"\s+", " ", s).strip()

    for url in sorted(evaldata)[:limit]:
        item = evaldata[url]
        path = root / "html" / f"{item['file']}.gz"
        if not path.exists():
            path = root / "html" / item["file"]
        raw = path.read_bytes()
        html = gzip.decompress(raw) if path.suffix == ".gz" else raw
        page_url = None if url.startswith("hard::") else url
        for name, system in systems.items():
            text = norm(run(system, html, page_url, now, tallies[name]).text)
            tp = sum(1 for s in item["with"] if norm(s) in text)
            fn = len(item["with"]) - tp
            fp = sum(1 for s in item["without"] if norm(s) in text)
            tn = len(item["without"]) - fp
            tallies[name].add(half(url), (tp, fp, fn, tn))
    return tallies


def fundus(data: Path, systems: dict[str, System], limit: int | None) -> dict[str, Tally]:
    root = data / "real-pages" / "news-fundus"
    truth = json.loads((root / "ground-truth.json").read_text())
    tallies = {name: Tally() for name in systems}
    for key in sorted(truth)[:limit]:
        gold = truth[key]
        html = gzip.decompress((root / "test_data" / key).read_bytes())
        crawled = datetime.fromisoformat(gold["crawl_date"]).replace(tzinfo=UTC)
        for name, system in systems.items():
            out = run(system, html, gold["url"], crawled + timedelta(days=1), tallies[name])
            h = half(key)
            tallies[name].add(h + ":title", _norm(out.title) == _norm(gold["title"]))
            if gold.get("publishing_date") not in (None, "None", ""):
                tallies[name].add(h + ":date", _same_day(out.published, gold["publishing_date"]))
            if gold.get("authors"):
                tallies[name].add(h + ":author", _same_authors(out.author, gold["authors"]))
            tallies[name].add(h + ":body", shingle_counts(gold["articleBody"], out.text))
            if key.split("/")[0] in ("cn", "tw", "jp", "kr"):  # Chinese, Japanese, Korean pages
                tallies[name].add("cjk:" + key.split("/")[0], token_prf(gold["articleBody"], out.text))
    return tallies


def _tokens(text: str) -> Counter[str]:
    """Whitespace tokens, each CJK character one token (the WCEB metric)."""
    spaced = re.sub(r"([\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])", r" \1 ", text or "")
    return Counter(spaced.split())


def token_prf(gold: str, found: str) -> tuple[float, float, float]:
    g, f = _tokens(gold), _tokens(found)
    hit = sum((g & f).values())
    if not hit:
        return 0.0, 0.0, 0.0
    p, r = hit / sum(f.values()), hit / sum(g.values())
    return p, r, 2 * p * r / (p + r)


def more(data: Path, systems: dict[str, System], limit: int | None) -> dict[str, dict[str, Tally]]:
    root = data / "extraction-more"
    items = [json.loads(line) for line in (root / "manifest.jsonl").open()]
    found: dict[str, dict[str, Tally]] = {}
    now = datetime.now(UTC)
    for dataset in sorted({i["dataset"] for i in items}):
        tallies = found[dataset] = {name: Tally() for name in systems}
        for item in [i for i in items if i["dataset"] == dataset][:limit]:
            html = (root / item["html"]).read_bytes()
            gold = (root / item["gold"]).read_text(encoding="utf-8", errors="replace")
            for name, system in systems.items():
                out = run(system, html, None, now, tallies[name])
                _add_score(tallies[name], item["id"], gold, token_prf(gold, out.text))
    return found


def _add_score(tally: Tally, name: str, gold: str, score: tuple[float, float, float]) -> None:
    """A page's score in its half, and apart too when its expected text is an article's."""
    from scraper.extract import MIN_TEXT_CHARS

    tally.add(half(name), score)
    if len(gold.strip()) >= MIN_TEXT_CHARS:
        tally.add("article-" + half(name), score)


@dataclass(frozen=True)
class NewsCase:
    name: str
    html: Path
    gold: str
    title: str | None


def news_cases(data: Path) -> dict[str, list[NewsCase]]:
    """newspaper4k's and Mozilla readability's test pages, each with the text its project
    expects (newspaper4k's ``txt``, readability.js's ``expected.html``) and the title its
    metadata gives, if any."""
    import lxml.html

    root = data / "real-pages"
    cases: dict[str, list[NewsCase]] = {"newspaper4k": [], "mozilla": []}
    papers = root / "news-newspaper4k"
    for gold in sorted((papers / "txt").glob("*.txt")):
        html = papers / "html" / f"{gold.stem}.html.gz"
        meta = papers / "metadata" / f"{gold.stem}.json"
        try:
            title = json.loads(meta.read_text(encoding="utf-8")).get("title") if meta.exists() else None
        except ValueError:
            title = None
        if html.exists():
            cases["newspaper4k"].append(NewsCase(gold.stem, html, gold.read_text(encoding="utf-8"), title))
    mozilla = root / "news-mozilla-readability"
    for case in sorted(p for p in mozilla.iterdir() if (p / "source.html.gz").exists()):
        expected = gzip.decompress((case / "expected.html.gz").read_bytes()).decode("utf-8")
        text = "\n".join(lxml.html.fromstring(expected).itertext()) if expected.strip() else ""
        meta = json.loads((case / "expected-metadata.json").read_text(encoding="utf-8"))
        cases["mozilla"].append(NewsCase(case.name, case / "source.html.gz", text, meta.get("title")))
    return cases


def script(text: str) -> str:
    """The script most of ``text``'s letters are written in (Unicode's name for it: LATIN,
    CJK, ARABIC, CYRILLIC...; kana and hangul count as CJK)."""
    import unicodedata

    counts: Counter[str] = Counter()
    for ch in text[:5000]:
        if ch.isalpha():
            name = unicodedata.name(ch, "OTHER").split()[0]
            counts["CJK" if name in ("HIRAGANA", "KATAKANA", "HANGUL") else name] += 1
    return counts.most_common(1)[0][0] if counts else "OTHER"


def news(data: Path, systems: dict[str, System], limit: int | None) -> dict[str, dict[str, Tally]]:
    """``news_cases``: bag-of-tokens F1 per page as in ``more``, and the title where the
    project's metadata gives one (exact match)."""
    found: dict[str, dict[str, Tally]] = {}
    now = datetime.now(UTC)
    for dataset, cases in news_cases(data).items():
        tallies = found[dataset] = {name: Tally() for name in systems}
        for case in cases[:limit]:
            html = gzip.decompress(case.html.read_bytes())
            for name, system in systems.items():
                out = run(system, html, None, now, tallies[name])
                score = token_prf(case.gold, out.text)
                _add_score(tallies[name], case.name, case.gold, score)
                tallies[name].add("script:" + script(case.gold), score)
                if case.title and out.title is not None:
                    tallies[name].add("title", _norm(out.title) == _norm(case.title))
    return found


def ministry(data: Path) -> None:
    """The saved ministry pages have no gold text: how far the project's text and the two
    baselines' agree (bag-of-tokens F1 of each baseline's text against the project's), and
    their lengths, page by page."""
    now = datetime.now(UTC)
    print("\nministry pages (no gold): the project's text against each baseline's, token F1 (chars)")
    for path in sorted((data / "ministry" / "html").glob("*.html")):
        if "listing" in path.name:
            continue
        html = path.read_bytes()
        ours = project(html, None, now).text
        cells = [f"project ({len(ours)})"]
        baselines = {"trafilatura": trafilatura_eval_standard, "readability-lxml": readability_lxml}
        for name, system in baselines.items():
            theirs = system(html, None, now).text
            cells.append(f"{name} {token_prf(theirs, ours)[2]:.3f} ({len(theirs)})")
        print(f"  {path.stem[:40]:<40} " + "  ".join(cells))


def report_more(found: dict[str, dict[str, Tally]], heading: str = "extraction-more") -> None:
    print(f"\n{heading}: bag-of-tokens F1 (P / R), macro over pages")
    for dataset, tallies in found.items():
        print(f"  {dataset}")
        for name, tally in tallies.items():
            cells = []
            for part, values in _parts(tally).items():
                if values:
                    p, r, f = (mean(v[k] for v in values) for k in range(3))
                    cells.append(f"{part} {f:.3f} ({p:.3f} / {r:.3f})")
            if titles := tally.values.get("title"):
                cells.append(f"title {mean(titles):.3f} (n={len(titles)})")
            print(f"    {name:<22} " + " | ".join(cells) + f" | {tally.docs / tally.seconds:.1f} pages/s")
        first = next(iter(tallies.values())).values
        short = sum(len(first.get(h, [])) - len(first.get("article-" + h, [])) for h in ("tune", "held-out"))
        if short:
            from scraper.extract import MIN_TEXT_CHARS

            print(f"    without the {short} pages whose expected text is under {MIN_TEXT_CHARS} characters "
                  "(too short to be an article to the project), F1 tune / held-out:")
            for name, tally in tallies.items():
                print(f"      {name:<20} " + " / ".join(
                    f"{mean(v[2] for v in tally.values.get('article-' + h, [(0, 0, 0)])):.3f}"
                    for h in ("tune", "held-out")))
        scripts = sorted(k for k in first if k.startswith("script:"))
        if scripts:
            print("    by script (both halves), F1: " + ", ".join(
                f"{k[7:].lower()} (n={len(first[k])})" for k in scripts))
            for name, tally in tallies.items():
                print(f"      {name:<20} " + "  ".join(f"{mean(v[2] for v in tally.values[k]):.3f}"
                                                  for k in scripts))


def _norm(text: str | None) -> str:
    """Whitespace folded; soft hyphens and zero-width spaces (invisible) dropped."""
    return " ".join((text or "").replace("\xad", "").replace("\u200b", "").split())


def _same_authors(found: str | None, gold: list[str]) -> bool:
    """Every gold author's name is in the author found (case and spacing aside)."""
    return bool(found) and all(_norm(a).lower() in _norm(found).lower() for a in gold)


def _same_day(found: datetime | None, gold: str) -> bool:
    """Same calendar day as the gold date, in UTC or in the gold's own zone."""
    if found is None:
        return False
    when = datetime.fromisoformat(gold)
    days: set[date] = {when.date()}
    if when.tzinfo is not None:
        days.add(when.astimezone(UTC).date())
    return found.astimezone(UTC).date() in days


# --- reports -----------------------------------------------------------------------------------

def _parts(tally: Tally, suffix: str = "") -> dict[str, list[Any]]:
    parts = {"all": [v for k, vs in tally.values.items()
                     if k.endswith(suffix) and k.split(":")[0] in ("tune", "held-out") for v in vs]}
    for h in ("tune", "held-out"):
        parts[h] = tally.values.get(h + suffix, [])
    return parts


def report_zyte(tallies: dict[str, Tally]) -> None:
    print("\nZyte article-extraction-benchmark: shingle F1 / precision / recall")
    for name, tally in tallies.items():
        cells = [f"{part} {'{:.4f} {:.4f} {:.4f}'.format(*shingle_prf(v))}"
                 for part, v in _parts(tally).items() if v]
        print(f"  {name:<24} " + " | ".join(cells) + f" | {tally.docs / tally.seconds:.1f} pages/s")


def report_eval(tallies: dict[str, Tally]) -> None:
    print("\ntrafilatura-eval: snippet precision / recall / F1 (micro)")
    for name, tally in tallies.items():
        cells = []
        for part, values in _parts(tally).items():
            tp, fp, fn, _tn = (sum(x) for x in zip(*values, strict=True)) if values else (0, 0, 0, 0)
            if values:
                p, r = tp / (tp + fp), tp / (tp + fn)
                cells.append(f"{part} P {p:.4f} R {r:.4f} F1 {2 * tp / (2 * tp + fp + fn):.4f}")
        print(f"  {name:<24} " + " | ".join(cells) + f" | {tally.docs / tally.seconds:.1f} pages/s")


def report_fundus(tallies: dict[str, Tally]) -> None:
    print("\nnews-fundus: title exact match / date same day / authors all named / body F1")
    for name, tally in tallies.items():
        cells = []
        for part in ("all", "tune", "held-out"):
            titles = _parts(tally, ":title")[part]
            dates = _parts(tally, ":date")[part]
            authors = _parts(tally, ":author")[part]
            bodies = _parts(tally, ":body")[part]
            cells.append(f"{part} title {mean(titles):.3f} date {mean(dates):.3f} "
                         f"(n={len(dates)}) author {mean(authors):.3f} (n={len(authors)}) "
                         f"body {shingle_prf(bodies)[0]:.4f}")
        print(f"  {name:<24} " + " | ".join(cells) + f" | {tally.docs / tally.seconds:.1f} pages/s")
    print("  Chinese, Japanese and Korean pages: bag-of-tokens F1 (each character a token), macro")
    for name, tally in tallies.items():
        cells = [f"{k.split(':')[1]} {mean(v[2] for v in values):.3f} (n={len(values)})"
                 for k, values in sorted(tally.values.items()) if k.startswith("cjk:")]
        print(f"    {name:<22} " + "  ".join(cells))


_TRAFILATURA_LOOP = """
import json, sys, trafilatura
for path in sys.argv[1:]:
    doc = trafilatura.bare_extraction(open(path, "rb").read(), with_metadata=True)
    print(json.dumps({"title": getattr(doc, "title", None), "text": getattr(doc, "text", None)}))
"""


def speed(data: Path, limit: int | None) -> None:
    """Pages per second per core (CPU time, so a stall of the machine does not count), on the
    pages of extraction-more and the Zyte benchmark: in process (each page's fastest of
    ``--rounds``), and as a user runs it, ``digest extract FILES...`` against a Python process
    that runs trafilatura with metadata over the same files (both start an interpreter)."""
    import os
    import resource
    import subprocess
    import tempfile

    import trafilatura

    from scraper.extract import extract_article, readability_text

    pages: list[bytes] = []
    more = data / "extraction-more"
    pages += [(more / json.loads(line)["html"]).read_bytes() for line in (more / "manifest.jsonl").open()]
    zyte = data / "article-extraction-benchmark" / "html"
    pages += [gzip.decompress(p.read_bytes()) for p in sorted(zyte.glob("*.html.gz"))]
    pages = pages[:limit]
    now = datetime.now(UTC)
    # the parts of the work, each alone: what a pipeline that runs them on every page can reach
    parts: dict[str, Callable[[bytes], object]] = {
        "trafilatura with metadata": lambda h: trafilatura.bare_extraction(h, with_metadata=True),
        "project": lambda h: extract_article(h, now=now),
        "trafilatura, text only": lambda h: trafilatura.bare_extraction(
            h, with_metadata=False, include_comments=False, include_tables=True),
        "trafilatura, text only, fast": lambda h: trafilatura.bare_extraction(
            h, with_metadata=False, fast=True, include_comments=False, include_tables=True),
        "readability (its port), alone": readability_text,
    }
    seconds = dict.fromkeys(parts, 0.0)
    for html in pages:
        for name, call in parts.items():
            fastest = float("inf")
            for _ in range(ROUNDS):
                started = time.process_time()
                call(html)
                fastest = min(fastest, time.process_time() - started)
            seconds[name] += fastest
    print(f"\nspeed: {len(pages)} pages (extraction-more and Zyte), pages per second per core")
    base = len(pages) / seconds["trafilatura with metadata"]
    for name, spent in seconds.items():
        if name == "trafilatura, text only":
            print("  parts alone, each parsing the page (a reading runs them all, their times add up):")
        print(f"  in process   {name:<30} {len(pages) / spent:6.1f}  ({len(pages) / spent / base:.2f}x)"
              f"  {1000 * spent / len(pages):5.2f} ms/page")
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for n, html in enumerate(pages):
            path = Path(folder) / f"{n:04d}.html"
            path.write_bytes(html)
            files.append(str(path))
        digest = Path(sys.executable).with_name("digest")
        commands = {"trafilatura with metadata": [sys.executable, "-c", _TRAFILATURA_LOOP, *files],
                    "digest extract": [str(digest), "extract", *files]}
        spent: dict[str, float] = {}
        for name, command in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env={**os.environ, "PYTHONWARNINGS": "ignore"}, check=False)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            spent[name] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        base = len(pages) / spent["trafilatura with metadata"]
        for name, cpu in spent.items():
            print(f"  one process  {name:<28} {len(pages) / cpu:6.1f}  ({len(pages) / cpu / base:.2f}x, "
                  "with the interpreter's start)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="zyte,eval,fundus,more,news,ministry,speed")
    parser.add_argument("--limit", type=int, default=None, help="documents per set (for a quick look)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs per page and system; each page's fastest is its time (default 3)")
    args = parser.parse_args()
    global ROUNDS
    ROUNDS = max(1, args.rounds)
    if not args.data.is_dir():
        print(f"bench/extraction.py: the data sets are absent ({args.data} not found); nothing measured.")
        return 2
    sets = set(args.sets.split(","))
    if "zyte" in sets:
        zyte_root = args.data / "article-extraction-benchmark"
        ref = json.loads((zyte_root / "reference-outputs" / "trafilatura.json").read_text())
        ref = ref.get("output", ref)
        truth = json.loads((zyte_root / "ground-truth.json").read_text())
        f1, p, r = shingle_prf(shingle_counts(truth[k]["articleBody"], ref.get(k, {}).get("articleBody", ""))
                               for k in truth)
        print(f"scorer check: upstream trafilatura 2.0.0 output scores F1 {f1:.3f} P {p:.3f} R {r:.3f} "
              "(published: 0.958 / 0.938 / 0.978)")
        report_zyte(zyte(args.data, {"trafilatura extract()": trafilatura_text, "project": project},
                         args.limit))
    if "eval" in sets:
        report_eval(trafilatura_eval(args.data, {"trafilatura standard": trafilatura_eval_standard,
                                                 "project": project}, args.limit))
    if "more" in sets:
        report_more(more(args.data, {"trafilatura standard": trafilatura_eval_standard,
                                     "readability-lxml": readability_lxml, "project": project,
                                     "project, title first": project_titled},
                         args.limit))
    if "news" in sets:
        report_more(news(args.data, {"trafilatura standard": trafilatura_eval_standard,
                                     "readability-lxml": readability_lxml, "project": project},
                         args.limit), "newspaper4k and Mozilla readability test pages")
    if "ministry" in sets:
        ministry(args.data)
    if "speed" in sets:
        speed(args.data, args.limit)
    if "fundus" in sets:
        report_fundus(fundus(args.data, {"trafilatura metadata": trafilatura_defaults,
                                         "project": project}, args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
