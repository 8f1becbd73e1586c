"""Story identity, measured where a reader looks: is every story built also stored, and does a
story keep its id from one run to the next?

Real briefings go through the same path as ``digest import`` then ``digest stories`` / ``digest
run``: a store in a temporary folder, the articles stored, the story stage of
``digest.stages`` (which stores what it builds), and the store read back.

- ``china``: the China MFA press conferences of June 2026 (``../shared/data/ministry/
  transcripts-fmprc``), each day in English and in Chinese, rebuilt as fmprc.gov.cn writes the
  page (bench/transcripts.py);
- ``whitehouse``: the White House briefings of ``../shared/data/ministry/whitehouse``.

For each set, grouped in one pass over all its days: stories built, distinct ids, stories
stored, and answers (segments with a question) in a built story against answers in a stored
one. Then day by day as ``digest run`` does (the stage's own span, ending at noon after each
day): stories built and stored each day, and how many stories that continue from one day to the
next (they share an answer) keep their id. Last, the whole set grouped again over a span that
starts a day later: of the stories whose answers are the same in both groupings, how many kept
their id.

Usage: python -m bench.story_ids [--sets china,whitehouse]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ruamel.yaml import YAML

from bench.transcripts import DATA as CHINA_DATA
from bench.transcripts import _page, _pairs
from digest.config import load_config
from digest.domain import NewArticle, Story
from digest.stages import build_stories, open_store

WHITEHOUSE = CHINA_DATA.parent / "whitehouse"


def china_articles() -> list[NewArticle]:
    days = sorted(json.loads((CHINA_DATA / "mfa_2026-06.json").read_text()), key=lambda d: d["date"])
    articles = []
    for day in days:
        published = datetime.fromisoformat(day["date"]).replace(hour=7, tzinfo=UTC)
        for lang, key, title_key, url_key in (("en", "en_pairs", "en_title", "en_url"),
                                              ("zh", "cn_pairs", "cn_title", "cn_url")):
            pairs = [p for p in _pairs(day[key]) if p["questioner"] != "Updated"]
            text, _ = _page(pairs, lang == "zh")
            articles.append(NewArticle(source=f"china-mfa-{lang}", url=day[url_key], title=day[title_key],
                                       text=text, published=published, language=lang))
    return articles


def whitehouse_articles() -> list[NewArticle]:
    articles = []
    for path in sorted(WHITEHOUSE.glob("20*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        meta = YAML(typ="safe").load(front)
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", body)]
        published = datetime.fromisoformat(str(meta.get("published_time") or meta["date"]))
        if published.tzinfo is None:
            published = published.replace(hour=12, tzinfo=UTC)
        articles.append(NewArticle(source="whitehouse", url=meta["source_url"],
                                   title=" ".join(str(meta["title"]).split()),
                                   text="\n".join(p for p in paragraphs if p), published=published,
                                   language="en"))
    return articles


SETS = {"china": china_articles, "whitehouse": whitehouse_articles}


def _config(folder: Path) -> Path:
    path = folder / "config.yaml"
    sources = [{"name": name, "kind": "feed", "url": f"https://{name}.example/feed.xml",
                "official": True, "title": title}
               for name, title in (("china-mfa-en", "Ministry of Foreign Affairs of China"),
                                   ("china-mfa-zh", "Ministry of Foreign Affairs of China"),
                                   ("whitehouse", "The White House"))]
    path.write_text(json.dumps({"database": f"sqlite:///{folder / 'digest.db'}", "sources": sources,
                                "mail": {"from": "Digest <digest@example.org>", "outbox": "outbox"},
                                "subscribers": [{"email": "reader@example.org"}]}))  # JSON is YAML
    return path


def members(story: Story) -> set[tuple[int, int]]:
    """What a story holds: sources (a briefing's answers each) and the copies folded into them."""
    return ({(s.article_id, s.segment) for s in story.sources}
            | {(copy, 0) for s in story.sources for copy in s.similar})


def _members(stories: list[Story]) -> list[tuple[str, frozenset[tuple[int, int]]]]:
    """Each story's id and answers (article id, segment with a question)."""
    return [(s.id, frozenset((src.article_id, src.segment) for src in s.sources if src.question is not None))
            for s in stories]


def _stored(store: object) -> list[Story]:
    return store.stories_updated_since(datetime(1970, 1, 1, tzinfo=UTC))  # type: ignore[attr-defined]


def run_set(name: str, articles: list[NewArticle]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(_config(Path(tmp)))
        store = open_store(config)
        store.add_articles(articles)
        first = min(a.published for a in articles if a.published)
        last = max(a.published for a in articles if a.published)

        # one grouping over every day
        started = time.perf_counter()
        built = build_stories(config, store, last + timedelta(hours=12), since=first - timedelta(hours=1))
        seconds = time.perf_counter() - started
        stored = _stored(store)
        built_answers = set().union(*(m for _, m in _members(built)))
        # an answer reaches the reader when the stored story holding it is the story built
        stored_as = {s.id: members(s) for s in stored}
        reached = set().union(*(m for (i, m), story in zip(_members(built), built, strict=True)
                                if stored_as.get(i) == members(story)))
        print(f"{name}: {len(articles)} pages; one grouping: built {len(built)}, distinct ids "
              f"{len({s.id for s in built})}, stored {len(stored)}; answers in a built story "
              f"{len(built_answers)}, in the stored story as built {len(reached)} ({seconds:.1f}s)")

        # a second grouping over a span that starts a day later: do unchanged stories keep their id?
        before = _members(built)
        again = build_stories(config, store, last + timedelta(hours=12), since=first + timedelta(hours=23))
        by_answers = {m: i for i, m in _members(again) if m}
        same = [(i, by_answers[m]) for i, m in before if m and m in by_answers]
        kept = sum(a == b for a, b in same)
        print(f"  another span: {len(same)} stories with the same answers in both groupings, "
              f"same id: {kept}")

        # day by day, as `digest run` does
        days = sorted({a.published.date() for a in articles if a.published})
        totals = defaultdict(int)
        previous: list[tuple[str, frozenset[tuple[int, int]]]] = []
        for day in days:
            now = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=12)
            built = build_stories(config, store, now)
            stored_now = {s.id for s in _stored(store)}
            totals["built"] += len(built)
            totals["distinct"] += len({s.id for s in built})
            totals["stored"] += len({s.id for s in built} & stored_now)
            current = _members(built)
            for story_id, answers in previous:  # a story of the day before, continued today?
                later = [i for i, m in current if m & answers]
                if later:
                    totals["continued"] += 1
                    totals["kept"] += story_id in later
                    # or it joined a story that goes on under the id of another of the day before
                    totals["merged"] += story_id not in later and any(
                        i in {p for p, _ in previous} for i in later)
            previous = current
        print(f"  day by day ({len(days)} runs): built {totals['built']}, distinct ids "
              f"{totals['distinct']}, stored {totals['stored']}; stories of the day before that "
              f"continue {totals['continued']}, under their id {totals['kept']}, joined with another that "
              f"kept its id {totals['merged']}")
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="china,whitehouse")
    args = parser.parse_args()
    if not CHINA_DATA.exists():
        print(f"no data: {CHINA_DATA.parent} is absent (see ../shared/data/README.md)")
        return 1
    for name in args.sets.split(","):
        run_set(name, SETS[name]())
    return 0


if __name__ == "__main__":
    sys.exit(main())
