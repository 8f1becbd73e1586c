"""The web app's test site: a store holding digests sent by the real ``digest send``, a test
client on it, and helpers to follow the links of the mail it sent (fixtures ``sent_digests``
and ``site`` in tests/conftest.py)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from pathlib import Path

from starlette.testclient import TestClient

from digest import web
from digest.config import load_config
from digest.stages import open_store
from digest.store import Store
from digest.tokens import make_token, signing_key
from tests.builders import body, import_stories, outbox_messages, write_config
from tests.processes import run_digest

__all__ = ["BASE", "SUBSCRIBERS", "Site", "csrf", "link", "make_sent_digests", "open_site", "path_of"]

BASE = "https://127.0.0.1"  # in-process test client; RFC 8058 one-click needs https
SUBSCRIBERS = """\
  - email: zoe@example.org
    name: "Zoë <b>Ådams</b>"
    topics: [Geneva, Doha]
  - email: ivan@example.org
    name: Иван
"""


@dataclass
class Site:
    config: Path
    store: Store
    client: TestClient
    mail: dict[str, EmailMessage]

    def token(self, email: str, issued: date | None = None) -> str:
        row = self.store.subscriber(email)
        assert row is not None
        return make_token(signing_key(self.store), row.id, row.email, issued=issued)

    def fresh_client(self) -> TestClient:
        """Another browser: no cookies."""
        config = load_config(self.config)
        return TestClient(web.create_app(config, self.store), base_url=BASE, follow_redirects=False)


def link(msg: EmailMessage, text: str) -> str:
    """The href of the link with this text in the mail's HTML part."""
    found = re.search(rf'<a href="([^"]+)"[^>]*>{text}</a>', body(msg, "html"))
    assert found, f"no {text!r} link"
    return found.group(1).replace("&amp;", "&")


def path_of(url: str) -> str:
    assert url.startswith(BASE + "/"), url
    return url[len(BASE):]


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found, "no CSRF field"
    return found.group(1)


def make_sent_digests(folder: Path) -> Path:
    """``folder`` with config.yaml, a database and the outbox of one real ``digest send``."""
    config = write_config(folder, mail="  outbox: outbox", subscribers=SUBSCRIBERS,
                          extra=f"web: {{base_url: '{BASE}'}}\n")
    import_stories(config)
    sent = run_digest("send", "--config", str(config))
    assert sent.code == 0, sent.err
    return folder


def open_site(tmp_path: Path, sent_digests: Path) -> Iterator[Site]:
    """A copy of ``sent_digests`` in ``tmp_path``, its store and a test client on it."""
    shutil.copytree(sent_digests, tmp_path, dirs_exist_ok=True)
    config = tmp_path / "config.yaml"
    mail = {m["To"].addresses[0].addr_spec: m for m in outbox_messages(config)}
    loaded = load_config(config)
    store = open_store(loaded)
    with TestClient(web.create_app(loaded, store), base_url=BASE, follow_redirects=False) as client:
        yield Site(config, store, client, mail)
    store.close()
