"""The Atom and JSON feeds of the latest stories, valid against their specifications."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from tests.web_site import BASE, Site, path_of


def test_feeds_of_the_latest_stories_are_valid_atom_and_json_feed(site: Site) -> None:
    import feedparser
    import jsonschema

    atom = site.client.get("/feed.atom")
    assert atom.status_code == 200 and atom.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(atom.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and parsed.feed.title == "Foreign Affairs Digest"
    titles = [e.title for e in parsed.entries]
    assert len(titles) == 6 and "Ceasefire talks resume in Geneva" in titles
    geneva = parsed.entries[titles.index("Ceasefire talks resume in Geneva")]
    assert geneva.link.startswith(f"{BASE}/stories/s") and geneva.id == geneva.link
    assert "Negotiators returned to Geneva" in geneva.content[0].value
    assert site.client.get(path_of(geneva.link)).status_code == 200  # the entry's page

    feed = site.client.get("/feed.json")
    assert feed.headers["content-type"].startswith("application/feed+json")
    data = feed.json()
    schema = json.loads((Path(__file__).parent / "fixtures" / "jsonfeed-1.1.schema.json").read_text())
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert [item["title"] for item in data["items"]] == titles  # same stories, same order
    assert all(datetime.fromisoformat(i["date_modified"]).tzinfo for i in data["items"])

    # a subscriber's own feed: only what their filters keep (Zoë: Geneva and Doha)
    token = site.token("zoe@example.org")
    mine = feedparser.parse(site.client.get(f"/feed.atom?t={token}").content)
    assert sorted(e.title for e in mine.entries) == ["Ceasefire talks resume in Geneva",
                                                    "Hostage release agreed in Doha"]
    assert site.client.get("/feed.json?t=forged").status_code == 403
    home = site.client.get("/digests/").text
    assert 'type="application/atom+xml"' in home and 'href="/feed.json"' in home
