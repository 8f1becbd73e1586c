"""A reader's data: what is kept about them is exported on request, erased on request (from the
CLI and from their preferences page), and a sign-up never confirmed is erased after 7 days."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from digest.config import load_config
from digest.models import DeliveryRow, EditionRow, SubscriberRow, utcnow
from digest.store import Store
from tests.builders import import_stories, write_config
from tests.conftest import run_digest
from tests.web_site import Site, csrf, link, path_of


def _count(store: Store, what: object, *where: object) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(what).where(*where)) or 0)  # type: ignore[arg-type]


def test_the_cli_exports_then_erases_a_subscriber_and_their_deliveries(tmp_path: Path) -> None:
    config = write_config(tmp_path, mail="  outbox: outbox", subscribers="  - email: kept@example.org\n")
    added = run_digest("subscribers", "add", "--config", str(config), "leaving@example.org",
                       "--name", "Lea Ving", "--topic", "Geneva")
    assert added.code == 0, added.err
    import_stories(config)
    assert run_digest("send", "--config", str(config)).code == 0
    store = Store(load_config(config).database)

    exported = run_digest("subscribers", "export", "--config", str(config), "leaving@example.org")
    assert exported.code == 0, exported.err
    record = json.loads(exported.out)
    assert record["email"] == "leaving@example.org" and record["name"] == "Lea Ving"
    assert record["topics"] == ["Geneva"]
    assert [d["status"] for d in record["deliveries"]] == ["sent"]
    assert record["deliveries"][0]["subject"] and record["deliveries"][0]["stories"]
    assert record["bounces"] == []

    gone = store.subscriber("leaving@example.org")
    assert gone is not None
    assert run_digest("subscribers", "delete", "--config", str(config), "leaving@example.org",
                      "--yes").out.strip() == "deleted leaving@example.org"
    assert store.subscriber("leaving@example.org") is None
    assert _count(store, DeliveryRow, DeliveryRow.subscriber_id == gone.id) == 0
    assert _count(store, EditionRow) == 1  # the archive, which names no one, stays
    assert store.subscriber("kept@example.org") is not None
    assert _count(store, DeliveryRow) == 1  # the other reader's

    missing = run_digest("subscribers", "export", "--config", str(config), "leaving@example.org")
    assert missing.code == 2 and "no subscriber 'leaving@example.org'" in missing.err
    assert run_digest("subscribers", "delete", "--config", str(config), "nobody@example.org",
                      "--yes").code == 2
    # one listed in config.yaml keeps a bare, unsubscribed row: the next run does not add it again
    listed = run_digest("subscribers", "delete", "--config", str(config), "kept@example.org", "--yes")
    assert "also delete it from" in listed.out
    assert run_digest("send", "--config", str(config)).code == 0
    row = store.subscriber("kept@example.org")
    assert row is not None and not row.active and _count(store, DeliveryRow) == 0


def test_a_reader_downloads_and_erases_their_data_from_the_preferences_page(site: Site) -> None:
    url = path_of(link(site.mail["zoe@example.org"], "Preferences"))
    page = site.client.get(url)
    assert "Download it (JSON)" in page.text and "Erase my data" in page.text
    assert ">Factory<" not in page.text and ">localtime<" not in page.text
    assert "The digest&#39;s default (Every day)" in page.text
    data = site.client.get(f"{url}/data")
    assert data.status_code == 200 and "attachment" in data.headers["content-disposition"]
    assert data.json()["email"] == "zoe@example.org" and data.json()["deliveries"]

    unticked = site.client.post(f"{url}/erase", data={"csrf_token": csrf(page.text)})
    assert unticked.status_code == 400 and "Nothing was erased" in unticked.text
    forged = site.fresh_client().post(f"{url}/erase", data={"csrf_token": csrf(page.text), "sure": "y"})
    assert forged.status_code == 400
    assert site.store.subscriber("zoe@example.org").active  # type: ignore[union-attr]

    erased = site.client.post(f"{url}/erase", data={"csrf_token": csrf(page.text), "sure": "y"})
    assert erased.status_code == 200 and "Your data is erased" in erased.text
    row = site.store.subscriber("zoe@example.org")
    assert row is not None and not row.active and row.topics == ()
    assert _count(site.store, DeliveryRow, DeliveryRow.subscriber_id == row.id) == 0
    # config.yaml lists Zoë: reading it again keeps her unsubscribed
    site.store.sync_subscribers(load_config(site.config).subscribers)
    assert not site.store.subscriber("zoe@example.org").active  # type: ignore[union-attr]


def test_sign_ups_never_confirmed_expire_after_seven_days(tmp_path: Path) -> None:
    config = write_config(tmp_path, mail="  outbox: outbox", subscribers="  - email: a@example.org\n")
    import_stories(config)
    store = Store(load_config(config).database)
    now = utcnow()
    old, _ = store.sign_up("old@example.org", None, now=now - timedelta(days=8))
    recent, _ = store.sign_up("recent@example.org", None, now=now - timedelta(days=6))
    confirmed, _ = store.sign_up("confirmed@example.org", None, now=now - timedelta(days=9))
    store.confirm(confirmed.id, issued=(now - timedelta(days=9)).date())
    with store.session() as s:  # created when they signed up
        for sub, days in ((old, 8), (recent, 6), (confirmed, 9)):
            s.get(SubscriberRow, sub.id).created_at = now - timedelta(days=days)  # type: ignore[union-attr]
    assert run_digest("send", "--config", str(config)).code == 0  # each run tidies first
    assert store.subscriber("old@example.org") is None
    assert store.subscriber("recent@example.org") is not None
    assert store.subscriber("confirmed@example.org") is not None
