"""Mail: build a ``multipart/alternative`` message and hand it to a transport.

Two transports: :class:`OutboxTransport` writes ``.eml`` files to a folder (the default, for
trying things out and for a separate mail relay), :class:`SmtpTransport` sends over SMTP with
one connection for many messages. Knows nothing of templates: it receives finished text and HTML.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

from digest.config import SmtpSettings
from digest.errors import SendError

__all__ = [
    "MailParts",
    "OutboxTransport",
    "PermanentSendError",
    "SmtpTransport",
    "TemporarySendError",
    "Transport",
    "build_message",
]

log = logging.getLogger(__name__)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class TemporarySendError(SendError):
    """The server or the connection failed for now (4xx, timeout): try again later."""


class PermanentSendError(SendError):
    """The server refused the message for good (5xx): do not try again."""


@dataclass(frozen=True, kw_only=True)
class MailParts:
    """What one message says; every string may come from scraped text."""

    sender_name: str
    sender_address: str
    to_name: str | None
    to_address: str
    subject: str
    text: str
    html: str
    list_id: str
    unsubscribe_url: str | None = None


def _header_text(value: str) -> str:
    """No CR, LF or other control characters: a header value stays one header."""
    return " ".join(_CONTROL.sub(" ", value).split())


def build_message(parts: MailParts, *, now: datetime | None = None) -> EmailMessage:
    """The full message: plain text first, then HTML; Date, Message-ID, List-Id and
    List-Unsubscribe (mailto always, https with RFC 8058 one-click when a URL is given)."""
    msg = EmailMessage()
    sender = Address(_header_text(parts.sender_name), addr_spec=parts.sender_address)
    msg["From"] = sender
    msg["To"] = Address(_header_text(parts.to_name or ""), addr_spec=parts.to_address)
    msg["Subject"] = _header_text(parts.subject)
    msg["Date"] = format_datetime(now or datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain=sender.domain)
    msg["List-Id"] = f"{_header_text(parts.list_id)} <digest.{sender.domain}>"
    unsubscribe = [f"<mailto:{parts.sender_address}?subject=unsubscribe>"]
    if parts.unsubscribe_url:
        unsubscribe.insert(0, f"<{_header_text(parts.unsubscribe_url)}>")
        if parts.unsubscribe_url.startswith("https://"):
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["List-Unsubscribe"] = ", ".join(unsubscribe)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(parts.text, cte="quoted-printable")
    msg.add_alternative(parts.html, subtype="html", cte="quoted-printable")
    return msg


class Transport(Protocol):
    """Sends messages; a context manager so that one connection serves many messages."""

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def send(self, message: EmailMessage) -> None:
        """Deliver one message or raise TemporarySendError / PermanentSendError."""
        ...


class OutboxTransport:
    """Writes each message as an ``.eml`` file in ``folder`` (atomically: no half files)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []

    def __enter__(self) -> Self:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise TemporarySendError(f"cannot create the outbox folder {self.folder}: {e}") from e
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, message: EmailMessage) -> None:
        to = str(message["To"].addresses[0].addr_spec)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        digest = hashlib.sha1(str(message["Message-ID"]).encode()).hexdigest()[:8]
        name = f"{stamp}-{re.sub(r'[^A-Za-z0-9._-]+', '_', to)}-{digest}.eml"
        path = self.folder / name
        tmp = path.with_suffix(".tmp")
        try:
            tmp.write_bytes(message.as_bytes())
            os.replace(tmp, path)
        except OSError as e:
            raise TemporarySendError(f"cannot write {path}: {e}") from e
        self.written.append(path)


class SmtpTransport:
    """SMTP with optional STARTTLS or implicit TLS and login; reconnects when dropped."""

    def __init__(self, settings: SmtpSettings, *, username: str | None = None,
                 password: str | None = None) -> None:
        self.settings = settings
        self.username = username
        self.password = password
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        try:
            smtp: smtplib.SMTP
            if s.ssl:
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.starttls:
                    smtp.starttls(context=context)
            if self.username and self.password:
                smtp.login(self.username, self.password)
        except smtplib.SMTPAuthenticationError as e:
            raise PermanentSendError(
                f"SMTP login to {s.host}:{s.port} refused: {e.smtp_code} {_reply(e.smtp_error)}; "
                "check the credentials in the environment variables named in mail.smtp"
            ) from e
        except (TimeoutError, smtplib.SMTPException, OSError) as e:
            raise TemporarySendError(f"cannot connect to SMTP server {s.host}:{s.port}: {e}") from e
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as e:
            code, reply = next(iter(e.recipients.values()))
            raise _classify(code, reply) from e
        except smtplib.SMTPResponseException as e:
            self.close()
            raise _classify(e.smtp_code, e.smtp_error) from e
        except (smtplib.SMTPServerDisconnected, OSError) as e:
            self._smtp = None
            raise TemporarySendError(f"connection to the SMTP server lost: {e}") from e
        if refused:
            code, reply = next(iter(refused.values()))
            raise _classify(code, reply)


def _reply(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _classify(code: int, reply: bytes | str) -> SendError:
    text = f"SMTP {code} {_reply(reply)}"
    return PermanentSendError(text) if 500 <= code < 600 else TemporarySendError(text)
