"""Source health for admins: a source that fails or stops listing anything is flagged in
`digest status` and at the foot of admins' digests, and retries honour Retry-After."""

from __future__ import annotations

import email
import json
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from digest.health import source_flag
from digest.samples import SampleSites, sample_config
from digest.store import Store
from scraper.middlewares import retry_after_seconds
from tests.conftest import run_digest


def test_a_stale_selector_is_flagged_for_admins_and_in_status(tmp_path: Path,
                                                              sites: SampleSites) -> None:
    text = sample_config(sites.base_url, database="sqlite:///digest.db", outbox="outbox")
    text = text.replace('links: "ul.press-list li a"', 'links: "ul.old-layout li a"')
    text = text.replace("""  - email: reader@example.org
    name: Demo Reader
""", """  - email: reader@example.org
    name: Demo Reader
  - email: admin@example.org
    name: The Admin
    admin: true
""")
    config = tmp_path / "config.yaml"
    config.write_text(text)
    result = run_digest("run", "--config", str(config))
    assert result.code == 1  # the ministry listing failed; the others were read and sent
    [line] = [line for line in result.out.splitlines() if line.startswith("norland-mfa")]
    assert "FAILED" in line and "the links selector matched nothing" in line
    assert result.err.strip() == "1 of 3 sources failed: norland-mfa (reasons above)"

    messages: dict[str, EmailMessage] = {}
    for path in (tmp_path / "outbox").glob("*.eml"):
        msg = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        assert isinstance(msg, EmailMessage)
        messages[msg["To"].addresses[0].addr_spec] = msg
    admin_text = messages["admin@example.org"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    admin_html = messages["admin@example.org"].get_body(("html",)).get_content()  # type: ignore[union-attr]
    reader_text = messages["reader@example.org"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Source health" in admin_text and "norland-mfa: selector may be stale" in admin_text
    assert "norland-mfa: selector may be stale" in admin_html
    assert "Source health" not in reader_text

    status = json.loads(run_digest("status", "--config", str(config), "--json").out)
    flags = {s["name"]: s["flag"] for s in status["sources"]}
    assert flags["norland-mfa"].startswith("selector may be stale (1 run in a row)")
    assert flags["globe-wire"] is None and flags["daily-courier"] is None
    text_status = run_digest("status", "--config", str(config)).out
    assert "!! selector may be stale" in text_status


def test_runs_that_list_nothing_are_counted_and_flagged(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/digest.db")
    store.migrate()
    from digest.config import SourceConfig
    from digest.domain import NewArticle

    store.sync_sources([SourceConfig(name="feed", kind="feed", url="https://example.org/rss")])
    store.add_article(NewArticle(source="feed", url="https://example.org/a", title="A",
                                 text="An article about a treaty. " * 10))
    store.record_crawl("feed", ok=True, stored=4, error=None, links=4)
    assert source_flag(store.source_health()[0]) is None
    store.record_crawl("feed", ok=True, stored=0, error=None, links=0)
    store.record_crawl("feed", ok=True, stored=0, error=None, links=0)
    health = store.source_health()[0]
    assert health["consecutive_empty"] == 2
    assert source_flag(health) == ("listed no links in the last 2 runs: the feed or selector "
                                   "may be stale")
    store.record_crawl("feed", ok=True, stored=1, error=None, links=3)
    assert source_flag(store.source_health()[0]) is None
    store.record_crawl("feed", ok=False, stored=0, error="HTTP 500 at https://example.org/rss")
    assert source_flag(store.source_health()[0]) == (
        "failing (1 run in a row): HTTP 500 at https://example.org/rss")


def test_retry_after_is_read_as_seconds_or_a_date() -> None:
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds("Sun, 29 Nov 2026 12:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("Sun, 29 Nov 2026 11:00:00 GMT", now=now) == 0.0  # in the past
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None
    assert retry_after_seconds((now + timedelta(hours=2)).strftime("%a, %d %b %Y %H:%M:%S GMT"),
                               now=now) == 7200.0
