"""Sources from the admin pages and OPML, as a new admin uses them: paste a site served from
127.0.0.1, see its feed found and tried live, save it; disable, change and remove sources;
import and export OPML. Every change lands in config.yaml with its comments kept, is validated
as check-config validates, is recorded with who made it, and is what the next run crawls."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import listparser
import pytest
from starlette.testclient import TestClient

from digest import web
from digest.config import load_config
from digest.samples import SAMPLE_SITES, SampleSites, sample_config
from digest.store import Store
from tests.conftest import run_digest
from tests.web_site import csrf

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My reader</title></head><body>
  <outline text="Diplomacy">
    <outline text="Globe Wire" title="Globe Wire" type="rss" xmlUrl="@WIRE@"/>
    <outline text="Le Monde" type="rss" xmlUrl="https://www.lemonde.fr/international/rss_full.xml"
             category="/Europe/France"/>
  </outline>
  <outline text="Courier sitemap (already a source)" type="rss" xmlUrl="@SITEMAP@"/>
</body></opml>
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[SampleSites]:
    """The bundled sample sites plus a front page naming the wire's feed, as a site's does."""
    root = tmp_path / "www"
    shutil.copytree(SAMPLE_SITES, root)
    (root / "index.html").write_text(
        '<html><head><title>Globe Wire</title><link rel="alternate" type="application/rss+xml" '
        'title="Globe Wire: world" href="/wire/rss.xml"></head><body>News</body></html>')
    with SampleSites(root) as sites:
        yield sites


def _config(tmp_path: Path, base: str) -> Path:
    text = sample_config(base, database="sqlite:///digest.db", outbox="outbox")
    # the wire is what the admin adds; a comment of the admin's own must survive every change
    start = text.index("  - name: globe-wire")
    end = text.index("  - name: daily-courier")
    text = text[:start] + "  # the courier publishes a news sitemap\n" + text[end:]
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def _site(tmp_path: Path, served: SampleSites) -> tuple[Path, Store, TestClient]:
    """The config (read-write), its store and a client of the web app that edits it."""
    path = _config(tmp_path, served.base_url)
    config = load_config(path)
    store = Store(config.database)
    store.migrate()
    return path, store, TestClient(web.create_app(config, store, config_path=path),
                                   follow_redirects=False)


def _admin(client: TestClient) -> str:
    form = client.get("/admin/login")
    ok = client.post("/admin/login", data={"csrf_token": csrf(form.text), "username": "chief",
                                           "password": "s3cret-pass"})
    assert ok.status_code == 303
    return csrf(client.get("/admin/sources").text)


@pytest.fixture
def admin_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_ADMIN_USER", "chief")
    monkeypatch.setenv("DIGEST_ADMIN_PASSWORD", "s3cret-pass")
    monkeypatch.setattr(web.admin, "LOGIN_FAILURE_DELAY", 0.0)


def test_an_admin_adds_a_site_tries_it_and_saves_it_then_the_next_run_crawls_it(
        tmp_path: Path, served: SampleSites, admin_env: None) -> None:
    path, store, client = _site(tmp_path, served)
    config = load_config(path)
    assert client.get("/admin/sources").headers["location"] == "/admin/login"  # admins only
    token = _admin(client)
    page = client.get("/admin/sources")
    assert "2 sources" in page.text and "norland-mfa" in page.text and "never crawled" in page.text

    found = client.post("/admin/sources/discover", data={"csrf_token": token,
                                                         "site": f"{served.base_url}/"})
    assert found.status_code == 200
    assert f'value="{served.base_url}/wire/rss.xml"' in found.text  # the feed, in the form
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', found.text))
    assert fields["name"] == "127-0-0-1"  # the site's host, as a name to edit
    form = {"csrf_token": token, "original": "", "name": "globe-wire", "title": "Globe Wire",
            "kind": "feed", "url": f"{served.base_url}/wire/rss.xml", "tags": "wires, world"}

    tried = client.post("/admin/sources/test", data=form)
    assert tried.status_code == 200 and "Tried live:" in tried.text
    assert re.search(r"Tried live:</strong> [1-9]\d* links", tried.text)
    assert re.search(r"<li><strong>.+</strong> · \d{4}-\d\d-\d\d", tried.text)  # an article read, dated
    assert "globe-wire" not in path.read_text()  # trying saves nothing

    bad = client.post("/admin/sources/save", data={**form, "kind": "listing", "links": "ul["})
    assert bad.status_code == 400 and "Nothing was saved" in bad.text
    assert "globe-wire" not in path.read_text()

    saved = client.post("/admin/sources/save", data=form)
    assert saved.status_code == 303, saved.text
    text = path.read_text()
    assert "  - name: globe-wire" in text and "tags: [wires, world]" in text
    assert "# the courier publishes a news sitemap" in text  # the admin's comment is kept
    assert [s.name for s in load_config(path).sources] == ["norland-mfa", "daily-courier",
                                                           "globe-wire"]
    again = client.post("/admin/sources/save", data=form)
    assert again.status_code == 400 and "exists already" in again.text

    disabled = client.post("/admin/sources/daily-courier/disable", data={"csrf_token": token})
    assert disabled.status_code == 303
    assert not load_config(path).source("daily-courier").enabled
    assert "disabled" in client.get("/admin/sources").text

    changed = client.post("/admin/sources/save", data={
        **form, "original": "globe-wire", "title": "Globe Wire Service"})
    assert changed.status_code == 303
    assert load_config(path).source("globe-wire").title == "Globe Wire Service"

    # the next run, a new process, crawls what the file says: the wire, not the disabled courier
    run = run_digest("crawl", "--config", str(path))
    assert run.code == 0, run.err
    crawled = {row["name"]: row for row in store.source_health()}
    assert crawled["globe-wire"]["articles"] > 0
    assert crawled["daily-courier"]["last_crawl_at"] is None
    assert "disabled" in run_digest("check-config", "--config", str(path)).out

    removed = client.post("/admin/sources/norland-mfa/remove", data={"csrf_token": token})
    assert removed.status_code == 303
    assert "norland-mfa" not in [s.name for s in load_config(path).sources]
    history = store.source_changes()
    assert [(c["source"], c["action"]) for c in reversed(history)] == [
        ("globe-wire", "added"), ("daily-courier", "disabled"), ("globe-wire", "changed"),
        ("norland-mfa", "removed")]
    assert {c["who"] for c in history} == {"admin:chief"}
    assert "Globe Wire Service" in history[1]["detail"]

    forged = TestClient(web.create_app(config, store, config_path=path), follow_redirects=False)
    _admin(forged)
    assert forged.post("/admin/sources/globe-wire/remove", data={"csrf_token": token}).status_code == 400


def test_opml_round_trip_of_the_default_config_keeps_every_feed(tmp_path: Path) -> None:
    default = Path(__file__).resolve().parent.parent / "config.yaml"
    exported = run_digest("sources", "export", "--opml", "--config", str(default))
    assert exported.code == 0, exported.err
    feeds = {str(s.url) for s in load_config(default).sources if s.kind == "feed"}
    parsed = listparser.parse(exported.out.encode())
    assert not parsed.bozo and {f.url for f in parsed.feeds} == feeds
    assert "china-mfa" in exported.err  # listings are named as left out

    empty = tmp_path / "config.yaml"
    empty.write_text('database: "sqlite:///digest.db"\n# the sources we follow\nsources: []\n'
                     'mail: {from: "D <d@example.org>", outbox: outbox}\n')
    (tmp_path / "list.opml").write_text(exported.out)
    imported = run_digest("sources", "import", "--config", str(empty), str(tmp_path / "list.opml"))
    assert imported.code == 0, imported.err
    assert {str(s.url) for s in load_config(empty).sources} == feeds
    assert "# the sources we follow" in empty.read_text()
    again = run_digest("sources", "import", "--config", str(empty), str(tmp_path / "list.opml"))
    assert again.out.strip().endswith(f"0 added, {len(feeds)} skipped")
    # and back out: the same feeds
    second = listparser.parse(run_digest("sources", "export", "--opml", "--config",
                                         str(empty)).out.encode())
    assert {f.url for f in second.feeds} == feeds

    bad = tmp_path / "bad.opml"
    bad.write_text("<html><body>not a list</body></html>")
    refused = run_digest("sources", "import", "--config", str(empty), str(bad))
    assert refused.code == 2 and "no feeds found" in refused.err


def test_an_opml_upload_on_the_admin_page_adds_its_feeds_with_their_folders_as_tags(
        tmp_path: Path, served: SampleSites, admin_env: None) -> None:
    path, _, client = _site(tmp_path, served)
    token = _admin(client)
    body = (OPML.replace(b"@WIRE@", f"{served.base_url}/wire/rss.xml".encode())
            .replace(b"@SITEMAP@", f"{served.base_url}/courier/news-sitemap.xml".encode()))
    uploaded = client.post("/admin/sources/import", data={"csrf_token": token},
                           files={"opml": ("reader.opml", body, "text/x-opml")})
    assert uploaded.status_code == 303, uploaded.text
    assert "imported+2+feeds" in uploaded.headers["location"]
    sources = {s.name: s for s in load_config(path).sources}
    assert sources["globe-wire"].tags == ("Diplomacy",)
    assert set(sources["le-monde"].tags) == {"Diplomacy", "Europe", "France"}
    assert sources["globe-wire"].kind == "feed"
    exported = client.get("/admin/sources.opml")
    assert exported.status_code == 200 and b"le-monde" not in exported.content
    assert {f.url for f in listparser.parse(exported.content).feeds} >= {
        str(sources["globe-wire"].url), str(sources["le-monde"].url)}
