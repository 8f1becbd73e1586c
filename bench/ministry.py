"""A week of real China MFA briefings through the story stage: does every answer reach the reader?

Reads seven days of the June 2026 press conferences in ``../shared/data/ministry/transcripts-fmprc``
(question/answer pairs, English and Chinese), rebuilds each day's page text as fmprc.gov.cn
writes it (bench/transcripts.py), stores nothing: gives the articles, one per day and language,
as an official source's to ``digest.stories.build_stories`` and reports, per language:

- answers that reach a story (as a source of it): the share of the gold answers;
- stories, and how many are official-only (``kind`` "official");
- highlights that are questions, and highlights from the ministry without attribution (both 0);
- highlights drawn from the ministry that name the speaker and the asker.

No outlet's reporting is in this set: every answer here can only reach the reader as an
official story. Usage: python bench/ministry.py [--days 7]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from transcripts import DATA, _page, _pairs

from digest.domain import StoredArticle
from digest.highlights import is_question
from digest.stories import build_stories


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=7)
    args = parser.parse_args()
    source = DATA / "mfa_2026-06.json"
    if not source.exists():
        print(f"no data: {source} is absent (see ../shared/data/README.md)")
        return 1
    days = sorted(json.loads(source.read_text()), key=lambda d: d["date"])[: args.days]
    for lang, key, title_key, url_key in (("en", "en_pairs", "en_title", "en_url"),
                                          ("zh", "cn_pairs", "cn_title", "cn_url")):
        articles, gold = [], 0
        for n, day in enumerate(days):
            pairs = [p for p in _pairs(day[key]) if p["questioner"] != "Updated"]
            gold += len(pairs)
            text, _ = _page(pairs, lang == "zh")
            published = datetime.fromisoformat(day["date"]).replace(hour=7, tzinfo=UTC)
            articles.append(StoredArticle(
                id=n + 1, source="china-mfa", source_title="Ministry of Foreign Affairs of China",
                official=True, url=day[url_key], title=day[title_key], text=text,
                published=published, language=lang, is_opinion=False))
        now = max(a.published for a in articles) + timedelta(hours=12)
        started = time.perf_counter()
        stories = build_stories(articles, now=now)
        seconds = time.perf_counter() - started
        reached = {(s.article_id, s.segment) for story in stories for s in story.sources
                   if s.question is not None}
        highlights = [h for story in stories for h in story.highlights]
        questions = [h for h in highlights if is_question(h)]
        unattributed = [h for h in highlights if "china-mfa" in h.sources and not h.attribution]
        named = [h for h in highlights if h.attribution and ", asked by " in h.attribution]
        official = sum(1 for s in stories if s.kind == "official")
        print(f"{lang}: {len(days)} briefings, {gold} answers; reached a story: {len(reached)} "
              f"({len(reached) / gold:.3f}); stories {len(stories)} ({official} official-only); "
              f"highlights {len(highlights)}: questions {len(questions)}, unattributed official "
              f"{len(unattributed)}, naming speaker and asker {len(named)}; {seconds:.1f}s")
        for story in stories[:3]:
            print(f"   {story.kind:<8} {story.title[:70]}")
            for h in story.highlights[:1]:
                print(f"            * {h[:80]} — {h.attribution}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
