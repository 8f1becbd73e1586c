"""Rendering (escaping, both parts, subject) and mail (headers, outbox, SMTP on loopback)."""

from __future__ import annotations

import email
from datetime import UTC, date, datetime
from email.policy import default as default_policy
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from digest.config import SmtpSettings
from digest.domain import Story, StoryOpinion, StorySource
from digest.mail import (
    MailParts,
    OutboxTransport,
    OutgoingMessage,
    PermanentSendError,
    SmtpTransport,
    TemporarySendError,
    build_message,
)
from digest.render import DigestContent, Renderer
from tests.conftest import SmtpSink

T0 = datetime(2024, 7, 11, 0, 0, tzinfo=UTC)
T1 = datetime(2024, 7, 13, 16, 0, tzinfo=UTC)


def story(title: str = "China warns NATO against creating chaos in Asia") -> Story:
    return Story(
        id="s1", title=title, first_published=T0, updated=T1,
        highlights=("China accuses NATO of putting its own security above others'.",
                    "China rejects being called an enabler of Russia's war in Ukraine.",
                    "China urges NATO not to bring chaos to Asia."),
        summary="China's foreign ministry answered the NATO summit declaration.",
        sources=(
            StorySource(article_id=1, name="china-mfa", display_name="Ministry of Foreign Affairs",
                        url="https://mfa.example/1", title="Press conference", published=T0, official=True),
            StorySource(article_id=2, name="outlet-a", display_name="Outlet A", url="https://a.example/2",
                        title="China warns NATO", published=T1, official=False, similar=(5, 6)),
        ),
        opinions=(StoryOpinion(article_id=3, name="outlet-c", display_name="Outlet C",
                               url="https://c.example/3", title="NATO's Asian outreach"),),
    )


def content(*stories: Story, zone: str = "UTC") -> DigestContent:
    return DigestContent(title="Foreign Affairs Digest", day=date(2024, 7, 13), timezone=zone,
                         stories=stories, subscriber_name="Ada")


def test_digest_shape_in_both_parts() -> None:
    rendered = Renderer().render(content(story()))
    assert rendered.subject == ("Foreign Affairs Digest, 13 Jul 2024: "
                                "China warns NATO against creating chaos in Asia")
    for part in (rendered.text, rendered.html):
        assert "First published Jul 11, 2024 00:00" in part
        assert "updated Jul 13, 2024 16:00" in part
        assert "China urges NATO not to bring chaos to Asia." in part
        assert "(official)" in part and "+2 similar" in part
        assert "Outlet C" in part
    assert 'style="' in rendered.html  # CSS inlined
    assert "prefers-color-scheme: dark" in rendered.html  # dark mode kept as an at-rule
    assert "<style>" not in rendered.text


def test_times_shown_in_the_subscribers_zone() -> None:
    rendered = Renderer().render(content(story(), zone="Asia/Shanghai"))
    assert "First published Jul 11, 2024 08:00" in rendered.text


def test_scraped_markup_is_escaped_and_headers_stay_single_lines() -> None:
    evil = 'Evil <script>alert("x")</script>\r\nBcc: victim@example.org'
    rendered = Renderer().render(content(story(title=evil)))
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    msg = build_message(MailParts(
        sender_name="Digest\r\nX-Injected: 1", sender_address="digest@example.org", to_name="Ada",
        to_address="ada@example.org", subject=rendered.subject, text=rendered.text,
        html=rendered.html, list_id="Foreign Affairs Digest"))
    parsed = email.message_from_bytes(msg.data, policy=default_policy)
    assert parsed["Bcc"] is None and parsed["X-Injected"] is None
    assert "\n" not in str(parsed["Subject"]) and "Bcc: victim" in str(parsed["Subject"])
    assert not parsed.defects


def test_templates_fail_on_undefined_variables(tmp_path: Path) -> None:
    (tmp_path / "digest.html").write_text("{{ nonexistent.thing }}")
    (tmp_path / "digest.txt").write_text("x")
    with pytest.raises(UndefinedError):
        Renderer(tmp_path).render(content(story()))


def test_message_structure() -> None:
    out = build_message(MailParts(
        sender_name="Digest Désk", sender_address="digest@example.org", to_name="Zoë Ådams",
        to_address="zoe@example.org", subject="Hello ✓ 中文 Россия 🌍", text="plain ✓\nline two",
        html="<p>html ✓</p>" + "x" * 500, list_id="Foreign Affairs Digest",
        unsubscribe_url="https://digest.example.org/u/abc"))
    assert (out.sender, out.recipient) == ("digest@example.org", "zoe@example.org")
    assert all(len(line) <= 998 for line in out.data.split(b"\r\n"))
    assert out.data.isascii()
    msg = email.message_from_bytes(out.data, policy=default_policy)
    assert not msg.defects
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert "=?utf-8?" in out.data.decode()  # RFC 2047 encoded display names and subject
    assert str(msg["Subject"]) == "Hello ✓ 中文 Россия 🌍"
    assert msg["To"].addresses[0].display_name == "Zoë Ådams"
    assert msg["From"].addresses[0].display_name == "Digest Désk"
    plain = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert plain.replace("\r\n", "\n").rstrip("\n") == "plain ✓\nline two"
    assert msg.get_body(("html",)).get_content().startswith("<p>html ✓</p>xxx")  # type: ignore[union-attr]
    assert msg["Message-ID"] == out.message_id and out.message_id.endswith("@example.org>")
    assert msg["Date"] and msg["MIME-Version"] == "1.0"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["List-Unsubscribe"].startswith("<https://digest.example.org/u/abc>, <mailto:")


def _message(to: str = "ada@example.org") -> OutgoingMessage:
    return build_message(MailParts(
        sender_name="Digest", sender_address="digest@example.org", to_name=None, to_address=to,
        subject="s", text="t", html="<p>h</p>", list_id="d"))


def test_outbox_writes_eml_files(tmp_path: Path) -> None:
    with OutboxTransport(tmp_path / "outbox") as outbox:
        outbox.send(_message())
        outbox.send(_message("bob@example.org"))
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2 and not list((tmp_path / "outbox").glob("*.tmp"))
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=default_policy)
    assert parsed.get_content_type() == "multipart/alternative"


def test_smtp_reuses_one_connection_and_classifies_failures(smtp: SmtpSink) -> None:
    settings = SmtpSettings(host="127.0.0.1", port=smtp.port, timeout=5)
    smtp.replies = ["451 4.3.0 try later", "550 5.1.1 no such user"]
    with SmtpTransport(settings) as transport:
        with pytest.raises(TemporarySendError, match="451"):
            transport.send(_message("a@example.org"))
        with pytest.raises(PermanentSendError, match="550"):
            transport.send(_message("b@example.org"))
        transport.send(_message("c@example.org"))
        transport.send(_message("d@example.org"))
    assert smtp.recipients == ["c@example.org", "d@example.org"]


def test_smtp_server_down_is_temporary() -> None:
    from tests.conftest import free_port

    settings = SmtpSettings(host="127.0.0.1", port=free_port(), timeout=2)
    with SmtpTransport(settings) as transport, pytest.raises(TemporarySendError, match="cannot connect"):
        transport.send(_message())
