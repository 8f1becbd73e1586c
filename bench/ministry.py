"""A week of real China MFA briefings through the story stage: does every answer reach the reader?

Reads seven days of the June 2026 press conferences in ``../shared/data/ministry/transcripts-fmprc``
(question/answer pairs, English and Chinese), rebuilds each day's page text as fmprc.gov.cn
writes it (bench/transcripts.py), stores nothing: gives the articles, one per day and language,
as an official source's to ``digest.stories.build_stories`` and reports, per language:

- answers that reach a story (as a source of it): the share of the gold answers;
- stories, and how many are official-only (``kind`` "official");
- highlights that are questions, and highlights from the ministry without attribution (both 0);
- highlights drawn from the ministry that name the speaker and the asker.

With the English briefings go the news reports of ``bench/ministry-week-news.json``: reports
this project wrote from the topics the ministry was asked about that week (and three about events
nobody asked about), each listing the answers about its event. Reported: answers that join their
event's story (of those listed), answers that join a news story they are not listed for, and
every news story with the answers it took in, to read by hand. ``--no-news``: the briefings alone.

Then the English and the Chinese briefings go in together, as a day's store holds them, on each
half of the month's days (bench/transcripts.py splits them): the share of Chinese answers that
land in the same story as their English twin (days whose two versions have as many answers,
matched in order), and the B³ F1 of the Chinese answers' grouping against their twins'.

Last, a reader of English on the first three days (briefings and the week's news): their top
stories with the Chinese briefings stored too and without them; joining stories across
languages must take none away.

Usage: python -m bench.ministry [--days 7] [--no-news]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.transcripts import DATA, _page, _pairs
from digest.domain import StoredArticle, Story
from digest.sentences import is_question
from digest.stories import build_stories
from digest.transcripts import read_transcript

NEWS = Path(__file__).resolve().parent / "ministry-week-news.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--no-news", action="store_true", help="the briefings alone")
    args = parser.parse_args()
    source = DATA / "mfa_2026-06.json"
    if not source.exists():
        print(f"no data: {source} is absent (see ../shared/data/README.md)")
        return 1
    days = sorted(json.loads(source.read_text()), key=lambda d: d["date"])[: args.days]
    for lang, key, title_key, url_key in (("en", "en_pairs", "en_title", "en_url"),
                                          ("zh", "cn_pairs", "cn_title", "cn_url")):
        articles, gold = [], 0
        answer_of: dict[tuple[int, int], str] = {}  # (article id, segment) -> "DATE#N"
        for n, day in enumerate(days):
            pairs = [p for p in _pairs(day[key]) if p["questioner"] != "Updated"]
            gold += len(pairs)
            text, _ = _page(pairs, lang == "zh")
            published = datetime.fromisoformat(day["date"]).replace(hour=7, tzinfo=UTC)
            articles.append(StoredArticle(
                id=n + 1, source="china-mfa", source_title="Ministry of Foreign Affairs of China",
                official=True, url=day[url_key], title=day[title_key], text=text,
                published=published, language=lang, is_opinion=False))
            transcript = read_transcript(text, title=day[title_key])
            asked = [i + 1 for i, part in enumerate(transcript.segments if transcript else ())
                     if part.question is not None]
            answer_of.update({(n + 1, segment): f"{day['date']}#{k}" for k, segment in enumerate(asked)})
        news = [] if lang != "en" or args.no_news or not NEWS.exists() else json.loads(
            NEWS.read_text())["articles"]
        expected: dict[int, set[str]] = {}
        for n, item in enumerate(news):
            articles.append(StoredArticle(
                id=1000 + n, source=item["source"], source_title=item["source"].title(),
                official=False, url=f"https://{item['source']}.example/{n}", title=item["title"],
                text=item["text"], published=datetime.fromisoformat(item["published"]),
                language="en", is_opinion=False))
            expected[1000 + n] = set(item["answers"])
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
        if news:
            _joins(stories, answer_of, expected)
        else:
            for story in stories[:3]:
                print(f"   {story.kind:<8} {story.title[:70]}")
                for h in story.highlights[:1]:
                    print(f"            * {h[:80]} — {h.attribution}")
    all_days = sorted(json.loads(source.read_text()), key=lambda d: d["date"])
    _twins(all_days)
    if NEWS.exists():
        _reader(all_days[:3], json.loads(NEWS.read_text())["articles"])
    return 0


def _briefings(days: list[dict[str, object]], languages: tuple[str, ...] = ("en", "zh"),
               ) -> tuple[list[StoredArticle], dict[tuple[int, str], tuple[int, list[int]]]]:
    """The days' briefings in ``languages``, each language its source's; and where each day's
    answers are: (day, language) -> (article id, segment numbers of its answers)."""
    articles, where = [], {}
    for n, day in enumerate(days):
        for lang, key, title_key, url_key in (("en", "en_pairs", "en_title", "en_url"),
                                              ("zh", "cn_pairs", "cn_title", "cn_url")):
            if lang not in languages:
                continue
            pairs = [p for p in _pairs(day[key]) if p["questioner"] != "Updated"]
            text, _ = _page(pairs, lang == "zh")
            article_id = 2 * n + (lang == "zh") + 1
            articles.append(StoredArticle(
                id=article_id, source="china-mfa" if lang == "en" else "china-mfa-zh", official=True,
                url=str(day[url_key]), source_title="Ministry of Foreign Affairs of China",
                title=str(day[title_key]), text=text, country="CN",
                published=datetime.fromisoformat(str(day["date"])).replace(hour=7, tzinfo=UTC),
                language=lang, is_opinion=False))
            transcript = read_transcript(text, title=str(day[title_key]))
            asked = [i + 1 for i, part in enumerate(transcript.segments if transcript else ())
                     if part.question is not None]
            where[(n, lang)] = (article_id, asked)
    return articles, where


def _twins(days: list[dict[str, object]]) -> None:
    """Both languages' briefings together, on each half of the days: does each Chinese answer
    share its English twin's story, and do the Chinese answers group as their twins do
    (B³ of the Chinese answers' stories against their twins')?"""
    from bench.stories import b_cubed
    from bench.transcripts import _half

    for half in ("tune", "held-out"):
        part = [d for d in days if _half(str(d["date"])) == half]
        articles, where = _briefings(part)
        started = time.perf_counter()
        stories = build_stories(articles, now=max(a.published for a in articles) + timedelta(hours=12))
        seconds = time.perf_counter() - started
        story_of = {(s.article_id, s.segment): k for k, story in enumerate(stories) for s in story.sources}
        english, chinese = [], []
        skipped = 0
        for n in range(len(part)):
            (en_id, en_asked), (zh_id, zh_asked) = where[(n, "en")], where[(n, "zh")]
            if len(en_asked) != len(zh_asked):
                skipped += 1
                continue
            for en_segment, zh_segment in zip(en_asked, zh_asked, strict=True):
                english.append(str(story_of.get((en_id, en_segment), f"none {en_id}/{en_segment}")))
                chinese.append(str(story_of.get((zh_id, zh_segment), f"none {zh_id}/{zh_segment}")))
        together = sum(e == c for e, c in zip(english, chinese, strict=True))
        print(f"en+zh together, {half} half ({len(part)} days, {skipped} left out: not as many "
              f"answers in both): {len(chinese)} Chinese answers; in the twin's story {together} "
              f"({together / max(1, len(chinese)):.3f}); B³ F1 of the Chinese grouping against the "
              f"English {b_cubed(english, chinese)[2]:.3f}; {len(stories)} stories; {seconds:.1f}s")


def _reader(days: list[dict[str, object]], news: list[dict[str, object]], top: int = 8) -> None:
    """A reader of English, on the first days' briefings and the news of those days: their
    top stories with the ministry's Chinese briefings stored too, and without them."""
    from digest.domain import Subscriber
    from digest.edition import matches

    reader = Subscriber(id=1, email="reader@example.org", timezone="UTC",
                        send_at=datetime.min.time(), max_stories=top, languages=("en",))
    last = max(datetime.fromisoformat(str(d["date"])) for d in days).replace(hour=23, tzinfo=UTC)
    reports = [StoredArticle(
        id=1000 + n, source=str(item["source"]), source_title=str(item["source"]).title(),
        official=False, url=f"https://{item['source']}.example/{n}", title=str(item["title"]),
        text=str(item["text"]), published=datetime.fromisoformat(str(item["published"])),
        language="en", is_opinion=False) for n, item in enumerate(news)
        if datetime.fromisoformat(str(item["published"])) <= last]
    tops: dict[str, list[Story]] = {}
    for label, languages in (("without the Chinese briefings", ("en",)),
                             ("with them", ("en", "zh"))):
        articles = _briefings(days, languages)[0] + reports
        stories = build_stories(articles, now=last + timedelta(hours=1))
        tops[label] = [s.in_language(reader.languages) for s in stories if matches(s, reader)][:top]
    print(f"a reader of English, {len(days)} days' briefings and {len(reports)} news reports: "
          f"top {top} stories")
    without, with_chinese = tops.values()
    for n, (a, b) in enumerate(zip(without, with_chinese, strict=True), 1):
        joined = sum(1 for s in b.sources if s.language == "zh")
        mark = "same" if a.title == b.title else "DIFFERENT"
        print(f"  {n}. {mark:<9} {a.title[:60]:<60} | {b.title[:40]} (+{joined} Chinese answers)")
    same = [a.title for a in without] == [b.title for b in with_chinese]
    print(f"  the same top {top}, in the same order, in English: {same}")


def _joins(stories: list[Story], answer_of: dict[tuple[int, int], str],
           expected: dict[int, set[str]]) -> None:
    """Which answers joined the news stories: listed ones (right), others (wrong), and each news
    story with its answers and first highlights, to read by hand."""
    listed = set().union(*expected.values())
    right, wrong = set(), set()
    for story in stories:
        reports = [s.article_id for s in story.sources if s.article_id in expected]
        if not reports:
            continue
        wanted = set().union(*(expected[r] for r in reports))
        answers = {answer_of[(s.article_id, s.segment)] for s in story.sources
                   if (s.article_id, s.segment) in answer_of}
        right |= answers & wanted
        wrong |= answers - wanted
        print(f"   news {len(reports)} reports, {len(answers)} answers: {story.title[:70]}")
        for source in story.sources:
            if (source.article_id, source.segment) in answer_of:
                mark = "" if answer_of[(source.article_id, source.segment)] in wanted else "  (WRONG)"
                print(f"            < {source.asked_by}: {(source.question or '')[:70]}{mark}")
        for h in story.highlights:
            print(f"            * {h[:90]} — {h.attribution or h.sources[0]}")
    print(f"   answers listed with a report: {len(listed)}; joined its story: {len(right)} "
          f"({len(right) / max(1, len(listed)):.3f}); joined a news story it is not listed "
          f"for: {len(wrong)}; missed: {sorted(listed - right)}")


if __name__ == "__main__":
    sys.exit(main())
