"""The whole pipeline as operators run it: `digest run` against the sample sites on 127.0.0.1,
mail into a real SMTP server on loopback."""

from __future__ import annotations

import email
import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from email.policy import default
from pathlib import Path

from digest.samples import SampleSites, sample_config
from digest.store import Store
from tests.conftest import SmtpSink, run_digest
from tests.processes import start_digest


def smtp_config(tmp_path: Path, sites: SampleSites, smtp: SmtpSink,
                database: str = "sqlite:///digest.db") -> Path:
    text = sample_config(sites.base_url, database=database, outbox="outbox")
    text = text.replace("  outbox: outbox\n", f"  smtp: {{host: 127.0.0.1, port: {smtp.port}, timeout: 5}}\n")
    text = text.replace("""subscribers:
  - email: reader@example.org
    name: Demo Reader
""", """subscribers:
  - email: reader@example.org
    name: Demo Reader
  - email: wire-only@example.org
    name: Wire Reader
    timezone: Asia/Tokyo
    sources: [globe-wire]
    topics: [earthquake]
""")
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def test_run_sends_one_digest_per_subscriber_once(tmp_path: Path, sites: SampleSites, smtp: SmtpSink,
                                                  database_url: str) -> None:
    """The whole product, on SQLite and on PostgreSQL."""
    config = smtp_config(tmp_path, sites, smtp, database_url)
    first = run_digest("run", "--config", str(config))
    assert first.code == 0, first.err
    assert "sent to reader@example.org" in first.out and "sent to wire-only@example.org" in first.out
    assert sorted(smtp.recipients) == ["reader@example.org", "wire-only@example.org"]

    by_rcpt = {str(m["To"].addresses[0].addr_spec): m for m in smtp.messages}
    full = by_rcpt["reader@example.org"]
    assert full.get_content_type() == "multipart/alternative"
    text = full.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = full.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for title in ("Norland summons Karesh envoy as diplomatic row deepens",
                  "Powerful earthquake kills at least 40 in north-western Valdoria"):
        assert title in text and title in html
    assert "Regular Press Conference" not in full["Subject"]
    assert "Expelling diplomats will not make Karesh any safer" in text  # opinion attached
    assert "(official)" in text and "+1 similar" in text
    # stories covered by a ministry and several outlets outrank single-source ones
    for big in ("Norland summons Karesh envoy", "Powerful earthquake"):
        for small in ("Estmark central bank holds interest rates", "Arctic Fisheries Council"):
            assert text.index(big) < text.index(small)

    narrow = by_rcpt["wire-only@example.org"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Powerful earthquake kills at least 40" in narrow
    assert "Karesh" not in narrow.split("Sources:")[0]  # only the stories they asked for

    second = run_digest("run", "--config", str(config))
    assert second.code == 0, second.err
    assert "nothing due" in second.out
    assert len(smtp.messages) == 2  # nothing sent twice

    stories = run_digest("stories", "--config", str(config), "--json", "--since", "48")
    assert stories.code == 0, stories.err
    data = json.loads(stories.out)
    assert data and set(data[0]) == {"id", "kind", "title", "first_published", "updated", "highlights",
                                     "summary", "sources", "opinions", "coverage"}
    assert all(len(s["highlights"]) <= 3 for s in data)
    assert all(set(h) == {"text", "sources", "attribution"} for s in data for h in s["highlights"])
    # the ministry's briefing: each answer is a source with its question, and its highlights say who spoke
    segments = [src["segment"] for s in data for src in s["sources"] if "segment" in src]
    assert segments and all(seg["speaker"] == "Lena Holm" and seg["question"] for seg in segments)
    attributed = [h["attribution"] for s in data for h in s["highlights"] if h["attribution"]]
    assert any(a.startswith("Lena Holm, ") for a in attributed)
    assert not any(h["text"].endswith("?") for s in data for h in s["highlights"])
    assert {"name", "url", "title", "published", "official"} <= set(data[0]["sources"][0])
    assert any(src["official"] for s in data for src in s["sources"])

    status = Store(database_url)
    assert {d.status for d in status.deliveries()} == {"sent"}
    assert [r.command for r in status.runs()][:3] == ["stories", "run", "run"]


def test_smtp_failures_never_lose_or_double_a_digest(tmp_path: Path, sites: SampleSites, smtp: SmtpSink) -> None:
    config = smtp_config(tmp_path, sites, smtp)
    config.write_text(config.read_text().replace("timeout: 5}\n", "timeout: 5}\n  retries: 0\n"))
    # no retries within a run here: a temporary failure waits for the next run
    # first transaction: temporary failure for reader; second: permanent failure for wire-only
    smtp.replies = ["451 4.3.0 mailbox busy", "550 5.1.1 user unknown"]
    first = run_digest("run", "--config", str(config))
    assert first.code == 1
    assert "will retry" in first.err and "FAILED for wire-only@example.org: SMTP 550" in first.err
    assert smtp.recipients == []

    second = run_digest("send", "--config", str(config))
    assert second.code == 0, second.err
    assert smtp.recipients == ["reader@example.org"]  # retried once, sent once; 550 not retried

    third = run_digest("send", "--config", str(config))
    assert third.code == 0 and "nothing due" in third.out
    assert smtp.recipients == ["reader@example.org"]


def test_preview_dry_run_and_import(tmp_path: Path, demo_config: Path) -> None:
    crawl = run_digest("crawl", "--config", str(demo_config))
    assert crawl.code == 0, crawl.err
    run_digest("stories", "--config", str(demo_config))

    dry = run_digest("send", "--config", str(demo_config), "--dry-run")
    assert dry.code == 0 and "would send" in dry.out and "reader@example.org" in dry.out
    assert not (tmp_path / "outbox").exists()  # nothing written

    out = tmp_path / "preview"
    preview = run_digest("preview", "--config", str(demo_config), "--out", str(out),
                         "--subscriber", "reader@example.org")
    assert preview.code == 0, preview.err
    assert "Norland" in (out / "digest.txt").read_text()
    assert (out / "digest.html").read_text().startswith("<!DOCTYPE html>")

    lines = tmp_path / "articles.jsonl"
    lines.write_text(
        json.dumps({"url": "https://example.org/a?utm_source=x", "title": "Imported", "source": "globe-wire",
                    "text": "An imported article about the Silva River treaty. " * 5,
                    "published": "2026-01-02T03:04:05Z"}) + "\n")
    imported = run_digest("import", "--config", str(demo_config), str(lines))
    assert imported.code == 0 and "imported 1 articles" in imported.out
    again = run_digest("import", "--config", str(demo_config), str(lines))
    assert "imported 0 articles, 1 already stored" in again.out
    lines.write_text('{"url": "https://example.org/b", "source": "nope", "title": "t", "text": "x"}\nnot json\n')
    bad = run_digest("import", "--config", str(demo_config), str(lines))
    assert bad.code == 2 and "line 1: source 'nope'" in bad.err and "line 2: not a JSON object" in bad.err


def test_demo_command(tmp_path: Path) -> None:
    result = run_digest("demo", "--out", str(tmp_path / "demo"))
    assert result.code == 0, result.err
    eml = next((tmp_path / "demo" / "outbox").glob("*.eml"))
    assert str(eml) in result.out
    text = (tmp_path / "demo" / "digest.txt").read_text()
    assert "Norland" in text
    # the plain text keeps one source a line, and a blank line before each story
    assert all(line.count("http") <= 1 for line in text.splitlines())
    assert all(f"\n\n{n}. " in text for n in range(2, 5))
    assert "FROM THE MINISTRIES" in text and "— Lena Holm, Ministry of" in text
    # the treaty's signing is one highlight, not the ministry's and an outlet's telling of it both
    said = " ".join(text.split())
    treaty = said[said.index("Silva River treaty"):]
    highlights = treaty[treaty.index("Highlights"):treaty.index("Story")]
    assert "signed the Silva River Water-Sharing Treaty" in highlights
    assert "signed a treaty to share the waters" not in highlights
    # the web side: the mail links to `digest serve`, and the demo says how to run it
    config = tmp_path / "demo" / "config.yaml"
    assert f"digest serve --config {config} --port 8080" in result.out
    typed = re.search(r"run:  (.+) serve --config", result.out)
    assert typed, result.out  # a command the reader can type as printed, from where they are
    program = typed.group(1).split()[0]
    assert shutil.which(program) or Path(program).is_file(), program
    mail = eml.read_bytes().decode()
    assert "http://127.0.0.1:8080/digests/" in mail and "http://127.0.0.1:8080/unsubscribe/" in mail
    _follow_the_view_in_browser_link(config, mail)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "keep.txt").write_text("mine")
    refused = run_digest("demo", "--out", str(tmp_path / "other"))
    assert refused.code == 2 and (tmp_path / "other" / "keep.txt").exists()


def _follow_the_view_in_browser_link(config: Path, mail: str) -> None:
    import email
    import re
    import subprocess
    from email.policy import default

    import httpx2 as httpx

    from tests.conftest import free_port, wait_for

    msg = email.message_from_string(mail, policy=default)
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    path = re.search(r'href="http://127.0.0.1:8080(/digests/[^"]+)"[^>]*>View in browser', html).group(1)  # type: ignore[union-attr]
    port = free_port()
    server = start_digest("serve", "--config", str(config),
                               "--port", str(port), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def up() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(up, timeout=60)
        page = httpx.get(f"http://127.0.0.1:{port}{path.replace('&amp;', '&')}")
        assert page.status_code == 200 and "Norland" in page.text and "Demo Reader" in page.text
        # as in the mail: what only a ministry said comes under its own heading, attributed
        assert page.text.index("From the ministries") > page.text.index("Powerful earthquake")
        assert "— Lena Holm, Ministry of Foreign Affairs of Norland" in page.text
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_coverage_picture_says_who_covered_a_story(tmp_path: Path) -> None:
    from tests.builders import EVENTS

    config = tmp_path / "config.yaml"
    config.write_text("""\
database: sqlite:///digest.db
sources:
  - {name: wire, kind: feed, url: "http://127.0.0.1:9/rss.xml", country: us, title: Globe Wire}
  - {name: ministry, kind: feed, url: "http://127.0.0.1:9/mfa.xml", official: true, country: CN,
     title: Ministry of Foreign Affairs of China}
  - {name: daily, kind: feed, url: "http://127.0.0.1:9/daily.xml", country: CN, title: China Daily}
mail: {from: "digest@example.org", outbox: outbox}
digest: {send_at: "00:00"}
subscribers:
  - email: reader@example.org
""")
    now = datetime.now(UTC)
    lines = []
    for i, (city, sources) in enumerate((("Geneva", ("wire", "ministry")), ("Doha", ("ministry", "daily")))):
        title, lead = EVENTS[city]
        for source in sources:
            lines.append(json.dumps({"url": f"https://{source}.example/{i}", "source": source, "language": "en",
                                     "published": (now - timedelta(hours=i + 1)).isoformat(),
                                     "title": title, "text": lead + f" Officials from {source} spoke."}))
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    assert run_digest("import", "--config", str(config), str(tmp_path / "a.jsonl")).code == 0
    result = run_digest("stories", "--config", str(config), "--json")
    assert result.code == 0, result.err
    by_title = {s["title"]: s["coverage"] for s in json.loads(result.out)}
    assert by_title["Ceasefire talks resume in Geneva"] == {
        "official": 1, "outlets": 1, "countries": {"CN": 1, "US": 1}, "languages": {"en": 2},
        "one_country": None}
    assert by_title["Hostage release agreed in Doha"]["one_country"] == "CN"  # told by one side only
    assert run_digest("send", "--config", str(config)).code == 0
    [eml] = list((tmp_path / "outbox").glob("*.eml"))
    text = email.message_from_bytes(eml.read_bytes(), policy=default).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Coverage: Official: Ministry of Foreign Affairs of China · Outlets: 1 (US 1)" in " ".join(text.split())
    assert "only from CN" in text


def test_tests_wait_out_a_readers_midnight() -> None:
    """The runs above expect "nothing due" the second time: true only within one local day."""
    from tests.conftest import until_next_midnight
    assert until_next_midnight(datetime(2026, 12, 7, 23, 59, 30, tzinfo=UTC)) == timedelta(seconds=30)
    # 15:00 UTC is midnight in Tokyo
    assert until_next_midnight(datetime(2026, 12, 7, 14, 58, tzinfo=UTC)) == timedelta(minutes=2)
    assert until_next_midnight(datetime(2026, 12, 7, 14, 58, tzinfo=UTC), ("UTC",)) == timedelta(hours=9, minutes=2)
