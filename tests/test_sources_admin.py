"""`digest sources test` and `digest sources discover` against the sample sites on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from digest.samples import SampleSites
from tests.conftest import run_digest


def test_sources_test_shows_links_and_extraction_and_stores_nothing(demo_config: Path,
                                                                    sites: SampleSites) -> None:
    result = run_digest("sources", "test", "--config", str(demo_config), "globe-wire",
                        "--limit", "2")
    assert result.code == 0, result.err
    first = result.out.splitlines()[0]
    assert first.startswith("globe-wire: ok  links 4  fetched 2  extracted 2")
    assert "Powerful earthquake kills at least 40" in result.out or "Karesh" in result.out
    assert "characters" in result.out
    assert not (demo_config.parent / "digest.db").exists()  # nothing stored, no health touched


def test_sources_test_warns_about_a_stale_selector(tmp_path: Path, demo_config: Path) -> None:
    demo_config.write_text(demo_config.read_text().replace('links: "ul.press-list li a"',
                                                           'links: "div.gone a"'))
    result = run_digest("sources", "test", "--config", str(demo_config), "norland-mfa")
    assert result.code == 1
    assert "FAILED" in result.out and "selector matched nothing" in result.err


def test_sources_test_reads_a_saved_listing_page_offline(tmp_path: Path, demo_config: Path) -> None:
    saved = Path(__file__).resolve().parent.parent / "digest" / "sample_sites" / "mfa" / "press" / "index.html"
    result = run_digest("sources", "test", "--config", str(demo_config), "norland-mfa",
                        "--file", str(saved))
    assert result.code == 0, result.err
    assert result.out.splitlines()[0].startswith("norland-mfa: ")
    assert "/mfa/press/statement-diplomats-expelled.html" in result.out
    bad = run_digest("sources", "test", "--config", str(demo_config), "nope")
    assert bad.code == 2 and "no source named 'nope'" in bad.err


def test_discover_finds_the_feed_and_the_sitemap(tmp_path: Path, sites: SampleSites) -> None:
    result = run_digest("sources", "discover", "--config", str(tmp_path / "none.yaml"),
                        f"{sites.base_url}/wire/world/valdoria-earthquake.html")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("feed ") and f"{sites.base_url}/wire/rss.xml" in lines[0]
    assert "link rel=alternate" in lines[0]
    assert any(line.startswith("sitemap") and "news-sitemap.xml" in line and "robots.txt" in line
               for line in lines)
    assert "  - name: 127-0-0-1" in result.out and "    kind: feed" in result.out
    bad = run_digest("sources", "discover", "file:///etc/passwd")
    assert bad.code == 2 and "not an http(s) URL" in bad.err
