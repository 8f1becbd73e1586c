"""Story identity where a reader looks: every story built is stored under an id of its own,
every answer of a briefing is in exactly one stored story and in the reader's digest, and a
story keeps its id from one grouping to the next (another span, another day, another command)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from digest import web
from digest.config import load_config
from digest.domain import NewArticle
from digest.edition import Editions
from digest.identity import members
from digest.models import SegmentRow, StoryArticleRow, StoryRow
from digest.samples import SampleSites, sample_config
from digest.stages import build_stories, open_store
from digest.store import Store
from tests.builders import config_file, feed, listing
from tests.conftest import run_digest

SITE = Path(__file__).parent / "fixtures" / "sites" / "bilingual"
MINISTRY = "Ministry of Foreign Affairs of China"


@pytest.fixture(scope="module")
def bilingual_day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A ministry's briefing in English and in Chinese (six answers each) and a wire's reports
    of two of the events asked about, crawled from 127.0.0.1 into a fresh store."""
    folder = tmp_path_factory.mktemp("bilingual")
    with SampleSites(SITE) as site:
        config = config_file(folder, sources=[
            listing("china-mfa", f"{site.base_url}/mfa/en/", "ul.list1 li a", official=True,
                    title=MINISTRY, language="en", country="CN"),
            listing("china-mfa-zh", f"{site.base_url}/mfa/zh/", "ul.list1 li a", official=True,
                    title=MINISTRY, language="zh", country="CN"),
            feed("globe-wire", f"{site.base_url}/wire/rss.xml", title="Globe Wire", country="GB"),
        ], subscribers=[{"email": "reader@example.org", "max_stories": 40}],
            digest={"window_hours": 48, "max_stories": 40})
        crawled = run_digest("crawl", "--config", str(config))
        assert crawled.code == 0, crawled.out + crawled.err
    yield config


def _question(source: dict[str, Any]) -> str:
    """A source's question in the story JSON ("" when it is no answer to one)."""
    return (source.get("segment") or {}).get("question") or ""


def _answers(store: Store) -> dict[tuple[int, int], str | None]:
    """Every stored segment of a briefing: (article, number) -> its question."""
    with store.session() as s:
        return {(row.article_id, row.number): row.question for row in s.scalars(select(SegmentRow))}


def _placed(store: Store) -> Counter[tuple[int, int]]:
    """How many stored stories hold each (article, segment) as a source."""
    with store.session() as s:
        return Counter((m.article_id, m.segment) for m in s.scalars(
            select(StoryArticleRow).where(StoryArticleRow.role == "source")))


def test_every_answer_of_a_bilingual_day_is_in_one_stored_story_and_in_the_mail(
        bilingual_day: Path, tmp_path: Path) -> None:
    config = bilingual_day
    built = run_digest("stories", "--config", str(config), "--json")
    assert built.code == 0, built.err
    stories = json.loads(built.out)
    ids = [s["id"] for s in stories]
    assert len(ids) == len(set(ids))

    store = open_store(load_config(config))
    with store.session() as s:
        stored = set(s.scalars(select(StoryRow.id)))
    assert stored == set(ids)  # every story built is stored, under its own id

    answers = _answers(store)
    assert len(answers) == 12  # six in each language: an announcement and five exchanges
    placed = _placed(store)
    assert {key: placed[key] for key in answers} == dict.fromkeys(answers, 1)  # each once

    # the JSON says the same as the store: each answer in the story that holds it there
    in_json = Counter((src["segment"]["question"], s["id"]) for s in stories for src in s["sources"]
                      if "segment" in src)
    assert sum(in_json.values()) == 12

    # each English answer and the wire's reports of it make one story: the water cannon answer
    water = next(s for s in stories if any("water cannon" in _question(src) for src in s["sources"]))
    assert {src["name"] for src in water["sources"]} >= {"china-mfa", "globe-wire"}

    # the reader's digest holds every stored story (their limit is 40), each once
    out = tmp_path / "preview"
    preview = run_digest("preview", "--config", str(config), "--subscriber", "reader@example.org",
                         "--out", str(out))
    assert preview.code == 0, preview.err
    digest = json.loads((out / "digest.json").read_text())
    sent = [s["id"] for s in digest["stories"]]
    assert sorted(sent) == sorted(ids)
    text = " ".join((out / "digest.txt").read_text().split())
    assert all(s["title"] in text for s in stories)

    # a story's page shows it, and search leads to the answer's own story
    client = TestClient(web.create_app(load_config(config), store), base_url="https://127.0.0.1")
    for story_id in ids:
        page = client.get(f"/stories/{story_id}")
        assert page.status_code == 200
    found = client.get("/search", params={"q": "OECD forecast"})
    oecd = next(s for s in stories if any("OECD" in _question(src) for src in s["sources"]))
    assert f'href="/stories/{oecd["id"]}"' in found.text
    assert MINISTRY in found.text and ">china-mfa<" not in found.text  # sources by their title
    store.close()


def test_ids_are_kept_across_spans_commands_and_days(bilingual_day: Path, tmp_path: Path) -> None:
    config = bilingual_day
    loaded = load_config(config)
    store = open_store(loaded)
    now = datetime.now(UTC)
    first = {frozenset(members(s)): s.id for s in build_stories(loaded, store, now)}

    # `digest stories` over a shorter span than `digest run`'s, in another process: the same
    # stories are stored under the same ids
    narrow = run_digest("stories", "--config", str(config), "--since", "12")
    assert narrow.code == 0, narrow.err
    stored = store.stories_updated_since(now - timedelta(days=30))
    assert {frozenset(members(s)): s.id for s in stored} == first

    # the next day a new report continues the water cannon story: it keeps its id and starts
    # when it started; the subscriber who got it is told what is new, not sent it again as new
    sent = run_digest("send", "--config", str(config))
    assert sent.code == 0, sent.err
    answers = _answers(store)
    water_id = next(i for m, i in first.items()
                    if any("water cannon" in (answers.get(member) or "") for member in m))
    before = store.story(water_id)
    assert before is not None
    report = {"url": "https://globe.example/world/shoal-follow-up", "source": "globe-wire",
              "title": "Philippines lodges protest with China over water cannon attack at Second Thomas Shoal",
              "text": "MANILA (Globe Wire) - The Philippines lodged a diplomatic protest with China on "
                      "Tuesday over the water cannon attack on its supply boat near the Second Thomas "
                      "Shoal, which China calls Ren'ai Jiao, saying the coast guard vessels endangered "
                      "the lives of the crew. Three sailors were injured when the Chinese coast guard "
                      "fired water cannon at the boat carrying food and water to troops.",
              "published": (now + timedelta(hours=20)).isoformat(), "language": "en"}
    (tmp_path / "more.jsonl").write_text(json.dumps(report) + "\n")
    assert run_digest("import", "--config", str(config), str(tmp_path / "more.jsonl")).code == 0
    tomorrow = now + timedelta(days=1)
    later = build_stories(loaded, store, tomorrow)
    assert len({s.id for s in later}) == len(later)
    continued = next(s for s in later if s.id == water_id)
    assert "https://globe.example/world/shoal-follow-up" in {src.url for src in continued.sources}
    assert continued.first_published == before.first_published

    reader = store.subscriber("reader@example.org")
    assert reader is not None
    content = Editions(loaded, store).content(reader, tomorrow)
    assert [s.id for s in content.stories] == [water_id]  # the only story with news
    assert content.changes[water_id].status == "updated"
    assert water_id not in {s.id for s in content.still_developing}
    assert len(content.still_developing) == len(first) - 1  # the others: sent, nothing new
    store.close()


def test_a_briefing_read_back_from_the_store_says_what_was_built(tmp_path: Path) -> None:
    """Segments are read once and kept: the story page and ``digest stories --json`` agree on who
    answered (the Russian MID's "Ответ:" is the spokesperson the title names)."""
    lines = (Path(__file__).parent / "fixtures" / "transcripts" / "russia-mid-ru.txt").read_text().splitlines()
    config = load_config(config_file(tmp_path, sources=[
        feed("mid", "https://mid.example/rss", official=True, title="МИД России")]))
    store = open_store(config)
    now = datetime.now(UTC)
    store.add_articles([NewArticle(source="mid", url="https://mid.example/1", title=lines[0],
                                   text="\n".join(lines[1:]), published=now - timedelta(hours=1),
                                   language="ru")])
    built = build_stories(config, store, now)
    said = sorted((src.segment, src.question, src.asked_by, src.speaker) for s in built for src in s.sources)
    read = sorted((src.segment, src.question, src.asked_by, src.speaker)
                  for s in store.stories_updated_since(now - timedelta(days=1)) for src in s.sources)
    assert said == read
    assert {speaker for *_, speaker in said} == {"М.В.Захарова"}
    store.close()


def test_stories_then_send_by_hand_gives_what_run_gives(tmp_path: Path, sites: SampleSites) -> None:
    """Two stores of the same sample sites: one by `digest run`, the other by `crawl`, `stories`,
    `send`; the same stories, under the same ids, reach the same digest."""
    sent: list[list[str]] = []
    for name, commands in (("run", [["run"]]), ("by-hand", [["crawl"], ["stories"], ["send"]])):
        folder = tmp_path / name
        folder.mkdir()
        config = folder / "config.yaml"
        text = sample_config(sites.base_url, database="sqlite:///digest.db", outbox="outbox")
        # a digest of the last 12 hours, while stories are grouped over longer: `stories` too
        config.write_text(text.replace("window_hours: 48", "window_hours: 12"))
        for command in commands:
            done = run_digest(*command, "--config", str(config))
            assert done.code == 0, done.out + done.err
        [delivery] = open_store(load_config(config)).deliveries()
        sent.append(list(delivery.story_ids))
    assert sent[0] and sent[0] == sent[1]
