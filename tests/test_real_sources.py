"""Regression tests of the default config.yaml's sources against real saved feeds from
../shared/data/real-pages/feeds (read in place, never copied; skipped when absent): the links
each source would follow, under its allow/deny rules, and feeds in legacy encodings."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from digest.config import SourceConfig, load_config
from scraper.admin import links_in_saved_page

ROOT = Path(__file__).resolve().parent.parent
FEEDS = ROOT.parent / "shared" / "data" / "real-pages" / "feeds"
pytestmark = pytest.mark.skipif(not FEEDS.is_dir(), reason=f"real feeds not found at {FEEDS}")


def configured(name: str) -> SourceConfig:
    return load_config(ROOT / "config.yaml").source(name)


def test_the_guardian_feed_yields_its_articles_and_no_live_blogs() -> None:
    source = configured("guardian-world")
    body = (FEEDS / "rss-parser" / "guardian.rss").read_bytes()
    links = links_in_saved_page(source, body)
    items = body.count(b"<item>")
    live = body.count(b"/live/")
    assert len(links) >= items - live - 1 and len(links) >= 40
    assert all(urlsplit(url).hostname == "www.theguardian.com" for url, _ in links)
    assert not any("/live/" in url for url, _ in links)  # the source's deny rule
    assert all(title for _, title in links)


@pytest.mark.parametrize(("path", "script"), [
    ("rss-parser/encoding-gb2312.xml", "\u4e00-\u9fff"),  # GB2312: Chinese titles
    ("rss2email/bbc-chinese/feed.atom", "\u4e00-\u9fff"),
    ("rss-parser/encoding.rss", "À-ÿ"),  # ISO-8859-1: Portuguese accents
])
def test_feeds_in_legacy_encodings_give_readable_titles(path: str, script: str) -> None:
    import re

    source = SourceConfig(name="feed", kind="feed", url="https://example.org/feed.xml")
    links = links_in_saved_page(source, (FEEDS / path).read_bytes())
    assert links
    titles = " ".join(title or "" for _, title in links)
    assert re.search(f"[{script}]", titles), titles[:200]
    assert "\ufffd" not in titles and "Ã" not in titles  # no mojibake


def test_an_atom_feed_with_relative_links_resolves_them() -> None:
    # the feed's own address only resolves relative links: nothing is fetched
    source = SourceConfig(name="heise", kind="feed", url="http://127.0.0.1/developer/rss/news-atom.xml")
    links = links_in_saved_page(source, (FEEDS / "rss-parser" / "heise.atom").read_bytes())
    assert links and all(urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname
                         for url, _ in links)


MINISTRY_PAGES = ROOT.parent / "shared" / "data" / "ministry" / "html"


@pytest.mark.skipif(not MINISTRY_PAGES.is_dir(), reason=f"saved pages not found at {MINISTRY_PAGES}")
def test_the_chinese_ministry_listing_selector_finds_every_briefing_on_a_saved_page() -> None:
    import re

    source = configured("china-mfa-zh")
    body = (MINISTRY_PAGES / "fmprc_zh_listing_fyrbt.html").read_bytes()
    links = links_in_saved_page(source, body)
    listed = len(re.findall(rb'href="\./t\d+\.shtml"', body))
    assert len(links) == listed >= 15  # each item of the list, and nothing of the page's chrome
    assert all(urlsplit(url).hostname == "www.mfa.gov.cn" and url.endswith(".shtml")
               for url, _ in links)
    assert sum("例行记者会" in (title or "") for _, title in links) >= 10
    assert source.language == "zh" and source.official


def test_every_default_source_is_https_and_none_names_an_office_holder() -> None:
    config = load_config(ROOT / "config.yaml")
    assert all(str(s.url).startswith("https://") for s in config.sources)
    assert not [s.name for s in config.sources if re.search(r"/minister/[a-z]+-[a-z]+", str(s.url))]
    assert any(s.official and s.language == "zh" for s in config.sources)
