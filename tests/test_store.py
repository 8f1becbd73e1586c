"""The store: migrations, times in UTC with zone, and the delivery claim that makes sending
idempotent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler
from sqlalchemy import inspect, select

from digest.config import SourceConfig
from digest.domain import NewArticle
from digest.models import SourceRow
from digest.store import Store
from scraper.batch import StoreBatch
from tests.conftest import PostgresCluster


def test_migrations_create_the_schema_and_are_idempotent(store: Store) -> None:
    store.migrate()
    tables = set(inspect(store.engine).get_table_names())
    assert {"sources", "articles", "stories", "story_articles", "subscribers", "deliveries",
            "runs", "alembic_version"} <= tables


def test_times_come_back_in_utc_with_zone(store: Store) -> None:
    berlin = timezone(timedelta(hours=2))
    published = datetime(2024, 7, 11, 9, 30, tzinfo=berlin)
    store.add_article(NewArticle(source="wire", url="https://example.org/a", title="t",
                                 text="text one", published=published))
    [article] = store.articles_between(published - timedelta(hours=1), published + timedelta(hours=1))
    assert article.published == published and article.published.tzinfo == UTC
    with pytest.raises(Exception, match="naive"):
        store.add_article(NewArticle(source="wire", url="https://example.org/b", title="t",
                                     text="text two", published=datetime(2024, 7, 11)))


def test_duplicates_by_url_and_by_text_within_a_source(store: Store) -> None:
    store.sync_sources([SourceConfig(name="wire", kind="feed", url="https://example.org/rss"),
                        SourceConfig(name="paper", kind="feed", url="https://paper.example/rss")])
    first = NewArticle(source="wire", url="https://example.org/a", title="t", text="Same  Words")
    assert store.add_article(first) is not None
    assert store.add_article(first) is None
    assert store.add_article(NewArticle(source="wire", url="https://example.org/b", title="t",
                                        text="same words")) is None
    # the same text from another source is wire copy: kept, so stories can show it as similar
    assert store.add_article(NewArticle(source="paper", url="https://paper.example/a", title="t",
                                        text="same words")) is not None


def test_a_batch_is_one_transaction_under_the_same_rules(store: Store) -> None:
    store.sync_sources([SourceConfig(name="wire", kind="feed", url="https://example.org/rss"),
                        SourceConfig(name="paper", kind="feed", url="https://paper.example/rss")])
    assert store.add_article(NewArticle(source="wire", url="https://example.org/old", title="t",
                                        text="stored before")) is not None
    batch = [
        NewArticle(source="wire", url="https://example.org/old", title="t", text="other words"),
        NewArticle(source="wire", url="https://example.org/a", title="t", text="New words"),
        NewArticle(source="wire", url="https://example.org/b", title="t", text="new  words"),
        NewArticle(source="paper", url="https://paper.example/a", title="t", text="new words"),
        NewArticle(source="paper", url="https://paper.example/a", title="t", text="again"),
    ]
    seen = [("wire", "https://example.org/listed"), ("wire", "https://example.org/listed"),
            ("unknown", "https://example.org/x")]
    ids = store.add_articles(batch, seen=seen)
    assert [id_ is not None for id_ in ids] == [False, True, False, True, False]
    assert store.known_urls("wire") == {"https://example.org/old", "https://example.org/a",
                                        "https://example.org/listed"}
    assert store.known_urls("paper") == {"https://paper.example/a"}
    with pytest.raises(KeyError):
        store.add_articles([NewArticle(source="unknown", url="https://example.org/u", title="t",
                                       text="t")])


def test_a_crawl_writes_in_batches_and_a_killed_one_fetches_its_pending_pages_again(
        store: Store) -> None:
    stats = MemoryStatsCollector(get_crawler())
    batch = StoreBatch(store, size=3, seconds=3600)
    batch.fetched("wire", "https://example.org/1", stats)
    batch.article(NewArticle(source="wire", url="https://example.org/1", title="t", text="one"), stats)
    assert store.known_urls("wire") == set()  # pending
    batch.fetched("wire", "https://example.org/2", stats)  # the third page: written
    assert store.known_urls("wire") == {"https://example.org/1", "https://example.org/2"}
    assert stats.get_value("digest/stored") == 1
    batch.fetched("wire", "https://example.org/3", stats)
    batch.article(NewArticle(source="wire", url="https://example.org/3", title="t", text="one"), stats)
    # killed here: page 3 was not marked fetched, so the next crawl fetches it again
    assert "https://example.org/3" not in store.known_urls("wire")
    batch.flush()  # the end of the source's crawl
    assert "https://example.org/3" in store.known_urls("wire")
    assert (stats.get_value("digest/stored"), stats.get_value("digest/duplicates")) == (1, 1)
    timed = StoreBatch(store, size=100, seconds=0)
    timed.fetched("wire", "https://example.org/4", stats)  # a second after the last write: written at once
    assert "https://example.org/4" in store.known_urls("wire")


def test_one_batch_serves_every_source_and_counts_for_each(store: Store) -> None:
    store.sync_sources([SourceConfig(name="wire", kind="feed", url="https://example.org/rss"),
                        SourceConfig(name="mfa", kind="listing", url="https://mfa.example.org/",
                                     links="a")])
    wire, ministry = MemoryStatsCollector(get_crawler()), MemoryStatsCollector(get_crawler())
    batch = StoreBatch(store, size=100, seconds=3600)
    for n in range(3):
        batch.fetched("wire", f"https://example.org/w{n}", wire)
        batch.article(NewArticle(source="wire", url=f"https://example.org/w{n}", title="t",
                                 text=f"wire copy {n % 2}"), wire)
    batch.fetched("mfa", "https://mfa.example.org/s", ministry)
    batch.article(NewArticle(source="mfa", url="https://mfa.example.org/s", title="t",
                             text="wire copy 0"), ministry)  # another source's same text is kept
    batch.flush()
    assert store.known_urls("wire") == {f"https://example.org/w{n}" for n in range(3)}
    assert store.known_urls("mfa") == {"https://mfa.example.org/s"}
    assert (wire.get_value("digest/stored"), wire.get_value("digest/duplicates")) == (2, 1)
    assert (ministry.get_value("digest/stored"), ministry.get_value("digest/duplicates", 0)) == (1, 0)


def test_delivery_claim_sends_once(store: Store) -> None:
    assert store.add_subscriber("ada@example.org", name="Ada")
    assert not store.add_subscriber("ada@example.org")
    [sub] = store.subscribers()
    day = date(2024, 7, 13)
    claim = store.claim_delivery(sub.id, day, max_attempts=3)
    assert claim is not None and claim.attempts == 1
    if store.row_locks:  # PostgreSQL: held by a row lock; a crash rolls the claim back
        assert store.claim_delivery(sub.id, day, max_attempts=3) is None
        store.release(claim)  # as if the sender died
        again = store.claim_delivery(sub.id, day, max_attempts=3)
        assert again is not None and again.id == claim.id and again.attempts == 1
    else:
        assert store.delivery(sub.id, day).status == "sending"  # type: ignore[union-attr]
        # a crash left it "sending": it may be claimed again (and the resend is logged)
        again = store.claim_delivery(sub.id, day, max_attempts=3)
        assert again is not None and again.id == claim.id and again.attempts == 2
    store.finish_delivery(again, status="sent", message_id="<m@x>", subject="s", story_ids=["s1"])
    assert store.claim_delivery(sub.id, day, max_attempts=3) is None
    assert store.delivery(sub.id, day).status == "sent"  # type: ignore[union-attr]
    # attempts are bounded
    other = date(2024, 7, 14)
    for _ in range(3):
        c = store.claim_delivery(sub.id, other, max_attempts=3)
        assert c is not None
        store.finish_delivery(c, status="pending", error="451")
    assert store.claim_delivery(sub.id, other, max_attempts=3) is None


def test_subscribers_follow_the_config(store: Store) -> None:
    from digest.config import SubscriberConfig

    store.sync_subscribers([SubscriberConfig(email="a@example.org"), SubscriberConfig(email="b@example.org")])
    store.add_subscriber("cli@example.org")
    store.sync_subscribers([SubscriberConfig(email="a@example.org", name="A")])
    assert [(s.email, s.name) for s in store.subscribers()] == [("a@example.org", "A"), ("cli@example.org", None)]
    assert store.remove_subscriber("cli@example.org") and not store.remove_subscriber("cli@example.org")


def test_subscribers_come_back_with_the_config_defaults_resolved(store: Store) -> None:
    from datetime import time

    from digest.config import SubscriberConfig
    from digest.domain import SubscriberDefaults

    store.subscriber_defaults = SubscriberDefaults(timezone="Europe/Berlin", send_at=time(6, 45),
                                                   max_stories=7, admins=frozenset({"b@example.org"}))
    store.sync_subscribers([
        SubscriberConfig(email="a@example.org", languages=("en",)),
        SubscriberConfig(email="B@example.org", timezone="Asia/Tokyo", send_at=time(8, 0),
                         max_stories=3, admin=True)])
    b, a = store.subscribers()  # by address: "B" sorts before "a"
    # chosen nothing: the config's zone, send time and limit; their own choices stay theirs
    assert (a.timezone, a.send_at, a.max_stories, a.admin) == ("Europe/Berlin", time(6, 45), 7, False)
    assert (a.chosen_timezone, a.chosen_send_at, a.languages) == (None, None, ("en",))
    assert (b.timezone, b.send_at, b.max_stories, b.admin) == ("Asia/Tokyo", time(8, 0), 3, True)
    # 23:30 UTC is 08:30 the next day in Tokyo (due) and 00:30 in Berlin (not yet)
    now = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    assert (b.is_due(now), b.local_day(now)) == (True, date(2026, 7, 2))
    assert (a.is_due(now), a.local_day(now)) == (False, date(2026, 7, 2))
    assert store.subscriber("b@EXAMPLE.org") == b and store.subscriber_by_id(a.id) == a


def test_a_story_comes_back_with_its_versions_in_other_languages(store: Store) -> None:
    from digest.domain import Highlight, Story, StorySource, StoryVersion

    when = datetime(2026, 6, 8, 7, 0, tzinfo=UTC)
    article_id = store.add_article(NewArticle(source="wire", url="https://example.org/q", title="Quake",
                                              text="A quake hit Peru.", published=when, language="en"))
    assert article_id is not None
    story = Story(
        id="s1", title="Quake hits Peru", first_published=when, updated=when, summary="",
        highlights=(Highlight("A quake hit Peru.", sources=("wire",)),), language="en",
        sources=(StorySource(article_id=article_id, name="wire", display_name="Wire",
                             url="https://example.org/q",
                             title="Quake", published=when, official=False, language="en"),),
        versions=(StoryVersion(language="zh", title="秘鲁地震",
                               highlights=(Highlight("秘鲁发生地震。", sources=("xinhua-zh",)),)),))
    store.save_stories([story], [article_id])
    [back] = store.stories_updated_since(when)
    assert back.versions == story.versions and back.in_language(["zh"]).title == "秘鲁地震"


def test_a_page_updated_since_comes_back_with_the_window_of_its_update(store: Store) -> None:
    published = datetime(2026, 6, 5, 7, 0, tzinfo=UTC)
    updated = datetime(2026, 6, 8, 9, 30, tzinfo=UTC)
    store.add_articles([
        NewArticle(source="wire", url="https://example.org/u", title="t", text="first text",
                   published=published, updated=updated),
        NewArticle(source="wire", url="https://example.org/v", title="t", text="second text",
                   published=published, updated=published - timedelta(hours=1)),  # not later
    ])
    [article] = store.articles_between(updated - timedelta(hours=1), updated + timedelta(hours=1))
    assert article.url.endswith("/u") and (article.published, article.updated) == (published, updated)
    assert article.last_change == updated
    both = store.articles_between(published, published + timedelta(hours=1))
    assert [a.updated for a in sorted(both, key=lambda a: a.url)] == [updated, None]




def test_a_source_another_process_inserts_meanwhile_is_updated_not_lost(postgres: PostgresCluster) -> None:
    # a crawl and its workers, started together on a new database, each sync the same sources:
    # the one that loses the race to insert a source must not fail (it updates the row instead)
    url = postgres.database()
    mine, theirs = Store(url), Store(url)
    mine.migrate()
    wire = SourceConfig(name="wire", kind="feed", url="https://example.org/rss")

    class Raced:
        """The configured source; the first time its name is read (after the rows were), the
        other process inserts it."""

        kind, url, title, official, country = wire.kind, wire.url, "Wire", True, "gb"
        raced = False

        @property
        def name(self) -> str:
            if not Raced.raced:
                Raced.raced = True
                theirs.sync_sources([wire])
            return wire.name

    ids = mine.sync_sources([Raced()])
    assert Raced.raced
    with mine.session() as s:
        rows = list(s.scalars(select(SourceRow)))
    assert [(r.id, r.name, r.title, r.official, r.country) for r in rows] == [
        (ids["wire"], "wire", "Wire", True, "GB")]
    mine.close()
    theirs.close()


def test_stories_as_important_and_updated_together_come_newest_first_whatever_their_ids(store: Store) -> None:
    from digest.domain import Story, StorySource

    updated = datetime(2026, 6, 8, 7, 0, tzinfo=UTC)

    def story(story_id: str, title: str, hours_before: int) -> Story:
        published = updated - timedelta(hours=hours_before)
        url = f"https://example.org/{story_id}"
        article_id = store.add_article(NewArticle(source="wire", url=url, title=title, text=title,
                                                  published=published, language="en"))
        assert article_id is not None
        return Story(id=story_id, title=title, first_published=published, updated=updated, summary="",
                     highlights=(), score=4.0, language="en",
                     sources=(StorySource(article_id=article_id, name="wire", display_name="Wire", url=url,
                                          title=title, published=published, official=False, language="en"),))

    older, newer = story("s1", "Treaty signed", 15), story("s2", "Envoy summoned", 5)
    store.save_stories([older, newer], [s.sources[0].article_id for s in (older, newer)])
    assert [s.id for s in store.stories_updated_since(updated - timedelta(days=1))] == ["s2", "s1"]
