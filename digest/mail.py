"""Mail: build a ``multipart/alternative`` message and hand it to a transport.

Two transports: :class:`OutboxTransport` writes ``.eml`` files to a folder (the default, for
trying things out and for a separate mail relay), :class:`SmtpTransport` sends over SMTP with
one connection for many messages. Knows nothing of templates: it receives finished text and HTML.

Internationalised addresses: a domain goes out in IDNA (``jörg@exämple.org`` is sent to
``jörg@xn--exmple-cua.org``); a local part that is not ASCII needs SMTPUTF8 (RFC 6531), so such
a message is sent only to a server that offers it, with the address in UTF-8 headers (RFC 6532),
and otherwise fails alone with the reason.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import re
import secrets
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, formataddr, make_msgid
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self
from urllib.parse import quote

import idna

from digest.config import SmtpSettings
from digest.errors import SendError

__all__ = [
    "BodyTemplate",
    "DkimSigner",
    "EncodedBody",
    "LoginRefused",
    "MailParts",
    "OutboxTransport",
    "OutgoingMessage",
    "PermanentSendError",
    "SmtpTransport",
    "TemporarySendError",
    "Transport",
    "build_message",
    "envelope_address",
]

log = logging.getLogger(__name__)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class TemporarySendError(SendError):
    """The server or the connection failed for now (4xx, timeout): try again later."""


class PermanentSendError(SendError):
    """The server refused the message for good (5xx): do not try again."""


class LoginRefused(SendError):
    """The SMTP server refused our login: nobody can be sent anything until the credentials
    are fixed, so the run stops and no delivery is counted against its subscriber."""


@dataclass(frozen=True, kw_only=True)
class MailParts:
    """What one message says; every string may come from scraped text."""

    sender_name: str
    sender_address: str
    to_name: str | None
    to_address: str
    subject: str
    text: str | EncodedBody
    html: str | EncodedBody
    list_id: str
    unsubscribe_url: str | None = None
    unsubscribe_mailto: str | None = None  # e.g. "digest@example.org?subject=unsubscribe%20TOKEN"


@dataclass(frozen=True)
class OutgoingMessage:
    """A finished message: the envelope and the bytes to send. ``smtputf8``: an address in it
    has a local part that is not ASCII, so it needs a server that offers SMTPUTF8."""

    sender: str
    recipient: str
    message_id: str
    data: bytes
    smtputf8: bool = False


class DkimSigner:
    """Signs messages with DKIM (RFC 6376) for ``domain`` with the key in ``key_file``."""

    HEADERS = (b"from", b"to", b"subject", b"date", b"message-id", b"mime-version",
               b"content-type", b"list-id", b"list-unsubscribe", b"list-unsubscribe-post")

    def __init__(self, domain: str, selector: str, key: bytes) -> None:
        self.domain = domain.encode("ascii")
        self.selector = selector.encode("ascii")
        self.key = key

    def sign(self, data: bytes) -> bytes:
        import dkim

        return bytes(dkim.sign(data, self.selector, self.domain, self.key,
                               include_headers=list(self.HEADERS))) + data


@lru_cache(maxsize=4096)
def _header_text(value: str) -> str:
    """No CR, LF or other control characters: a header value stays one header."""
    return " ".join(_CONTROL.sub(" ", value).split())


@lru_cache(maxsize=4096)
def _encoded(value: str) -> str:
    """A header value as RFC 2047 encoded-words (UTF-8, base64) when it is not plain ASCII,
    folded so that no line exceeds 76 characters. (The standard library's ``Header`` weighs
    quoted-printable against base64 byte by byte: milliseconds per subject.)"""
    if value.isascii():
        return value
    words, chunk = [], b""
    for char in value:
        raw = char.encode("utf-8")
        if len(chunk) + len(raw) > 45:  # 45 bytes -> 60 base64 characters + 12 = 72
            words.append(chunk)
            chunk = b""
        chunk += raw
    words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words)


@lru_cache(maxsize=4096)
def envelope_address(address: str) -> tuple[str, bool]:
    """``address`` as it goes out: its domain in IDNA (ASCII), and whether its local part
    needs SMTPUTF8.

    Raises:
        PermanentSendError: not an address, or a domain that IDNA cannot write.
    """
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or _CONTROL.search(address):
        raise PermanentSendError(f"{address!r} is not an email address")
    if not domain.isascii():
        try:
            domain = idna.encode(domain, uts46=True).decode("ascii")
        except idna.IDNAError as e:
            raise PermanentSendError(f"the domain of {address} cannot be written in IDNA: {e}") from e
    return f"{local}@{domain.lower()}", not local.isascii()


def _mailto(target: str) -> str:
    """A mailto target (``address?query``) with the address as it goes out, percent-encoded
    where it is not ASCII (RFC 6068)."""
    address, question, query = target.partition("?")
    address = envelope_address(address)[0]
    return quote(address, safe="@.+-_!$&'*=^`{|}~") + question + query


def _address(name: str | None, address: str) -> str:
    display = _header_text(name or "")
    if not display:
        return address
    if display.isascii():
        return formataddr((display, address))
    return f"{_encoded(display)} <{address}>"


def _body(body: str | EncodedBody) -> bytes:
    return body.data if isinstance(body, EncodedBody) else _qp(body)


def _qp(text: str) -> bytes:
    body = binascii.b2a_qp(text.replace("\r\n", "\n").encode("utf-8"), istext=True)
    return body.replace(b"\n", b"\r\n")


@dataclass(frozen=True)
class EncodedBody:
    """A body already quoted-printable encoded (CRLF line ends)."""

    data: bytes


class BodyTemplate:
    """A body with named holes, quoted-printable-encoded once and filled per message.

    Encoding a digest's HTML costs more than sending it, and a thousand subscribers who get
    the same stories differ only in a name and a link. The literal pieces are encoded once;
    each piece and each filled-in value ends with a soft line break (``=`` CRLF), which the
    reader's decoder removes, so the joined pieces decode to exactly the filled-in text.
    """

    def __init__(self, text: str, holes: Sequence[str]) -> None:
        self.pieces: list[bytes | str] = []
        pattern = "(" + "|".join(re.escape(h) for h in holes) + ")" if holes else None
        for i, piece in enumerate(re.split(pattern, text) if pattern else [text]):
            if i % 2:
                self.pieces.append(piece)  # a hole's name
            elif piece:
                self.pieces.append(_qp(piece))

    def fill(self, values: Mapping[str, str]) -> EncodedBody:
        out: list[bytes] = []
        for piece in self.pieces:
            if out:
                out.append(b"=\r\n")
            out.append(_qp(values[piece]) if isinstance(piece, str) else piece)
        return EncodedBody(b"".join(out))


def build_message(parts: MailParts, *, now: datetime | None = None,
                  dkim: DkimSigner | None = None) -> OutgoingMessage:
    """The full ``multipart/alternative`` message (plain text first, then HTML, both UTF-8
    quoted-printable) with Date, Message-ID, List-Id, List-Unsubscribe (mailto, and https with
    RFC 8058 one-click when a URL is given), optionally DKIM-signed.

    Assembled directly as bytes: the standard library's ``EmailMessage`` takes several
    milliseconds per digest, more than rendering and sending together.
    """
    sender, sender_utf8 = envelope_address(parts.sender_address)
    recipient, recipient_utf8 = envelope_address(parts.to_address)
    domain = sender.rpartition("@")[2]
    message_id = make_msgid(domain=domain)
    boundary = f"=_digest_{secrets.token_hex(12)}"
    mailto = _mailto(parts.unsubscribe_mailto or f"{parts.sender_address}?subject=unsubscribe")
    unsubscribe = [f"<mailto:{_header_text(mailto)}>"]
    if parts.unsubscribe_url:
        unsubscribe.insert(0, f"<{_header_text(parts.unsubscribe_url)}>")
    headers = [
        ("From", _address(parts.sender_name, sender)),
        ("To", _address(parts.to_name, recipient)),
        ("Subject", _encoded(_header_text(parts.subject))),
        ("Date", format_datetime(now or datetime.now(UTC))),
        ("Message-ID", message_id),
        ("MIME-Version", "1.0"),
        ("List-Id", f"{_encoded(_header_text(parts.list_id))} <digest.{domain}>"),
        ("List-Unsubscribe", ", ".join(unsubscribe)),
    ]
    if parts.unsubscribe_url and parts.unsubscribe_url.startswith("https://"):
        headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    headers += [
        ("Auto-Submitted", "auto-generated"),
        ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
    ]
    smtputf8 = sender_utf8 or recipient_utf8
    # only an address's local part can be other than ASCII here, and then only in UTF-8
    # headers (RFC 6532), which a server takes only with SMTPUTF8
    head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode(
        "utf-8" if smtputf8 else "ascii")
    part_head = ("--{b}\r\nContent-Type: text/{kind}; charset=\"utf-8\"\r\n"
                 "Content-Transfer-Encoding: quoted-printable\r\n\r\n")
    data = b"".join([
        head, b"\r\n",
        part_head.format(b=boundary, kind="plain").encode("ascii"), _body(parts.text), b"\r\n",
        part_head.format(b=boundary, kind="html").encode("ascii"), _body(parts.html), b"\r\n",
        f"--{boundary}--\r\n".encode("ascii"),
    ])
    if dkim is not None:
        data = dkim.sign(data)
    return OutgoingMessage(sender, recipient, message_id, data, smtputf8=smtputf8)


class Transport(Protocol):
    """Sends messages; a context manager so that one connection serves many messages."""

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def send(self, message: OutgoingMessage) -> None:
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

    def send(self, message: OutgoingMessage) -> None:
        to = message.recipient
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        digest = hashlib.sha1(message.message_id.encode()).hexdigest()[:8]
        name = f"{stamp}-{re.sub(r'[^A-Za-z0-9._-]+', '_', to)}-{digest}.eml"
        path = self.folder / name
        tmp = path.with_suffix(".tmp")
        try:
            tmp.write_bytes(message.data)
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
        try:
            context = ssl.create_default_context(cafile=s.ca_file)
        except (OSError, ssl.SSLError) as e:
            raise PermanentSendError(f"cannot load mail.smtp.ca_file {s.ca_file}: {e}") from e
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
            raise LoginRefused(
                f"SMTP login to {s.host}:{s.port} refused: {e.smtp_code} {_reply(e.smtp_error)}; "
                "check the credentials in the environment variables named in mail.smtp"
            ) from e
        except (TimeoutError, smtplib.SMTPException, OSError) as e:
            raise TemporarySendError(f"cannot connect to SMTP server {s.host}:{s.port}: {e}") from e
        return smtp

    @staticmethod
    def _transaction(smtp: smtplib.SMTP, message: OutgoingMessage) -> None:
        """MAIL, RCPT, DATA with smtplib's own commands, as ``sendmail`` does them; a refusal
        raises smtplib's exception for it."""
        smtp.ehlo_or_helo_if_needed()
        options: list[str] = []
        if message.smtputf8:
            if not smtp.has_extn("smtputf8"):
                raise PermanentSendError(
                    f"the SMTP server does not offer SMTPUTF8, which {message.recipient} (or the "
                    "sender address) needs: its local part is not ASCII")
            options = ["SMTPUTF8", "BODY=8BITMIME"] if smtp.has_extn("8bitmime") else ["SMTPUTF8"]
        try:
            code, reply = smtp.mail(message.sender, options)  # SMTPUTF8: commands in UTF-8
            if code != 250:
                smtp.rset()
                raise smtplib.SMTPSenderRefused(code, reply, message.sender)
            code, reply = smtp.rcpt(message.recipient)
            if code not in (250, 251):
                smtp.rset()
                raise smtplib.SMTPRecipientsRefused({message.recipient: (code, reply)})
            code, reply = smtp.docmd("data")
            if code != 354:
                smtp.rset()
                raise smtplib.SMTPDataError(code, reply)
            smtp.send(_dot_stuffed(message.data))
            code, reply = smtp.getreply()
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
        finally:
            smtp.command_encoding = "ascii"

    def send(self, message: OutgoingMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._transaction(self._smtp, message)
        except smtplib.SMTPRecipientsRefused as e:
            code, reply = next(iter(e.recipients.values()))
            raise _classify(code, reply) from e
        except smtplib.SMTPResponseException as e:
            self.close()
            raise _classify(e.smtp_code, e.smtp_error) from e
        except (smtplib.SMTPServerDisconnected, OSError) as e:
            self._smtp = None
            raise TemporarySendError(f"connection to the SMTP server lost: {e}") from e
        except (UnicodeError, ValueError) as e:  # smtplib refused to write a command
            self.close()  # the conversation is in an unknown state: start the next afresh
            raise PermanentSendError(f"cannot send to {message.recipient}: {e}") from e


def _dot_stuffed(data: bytes) -> bytes:
    """The DATA payload: lines starting with "." get another (RFC 5321 4.5.2), then the end
    marker. ``build_message`` already writes CRLF line ends; smtplib's ``data()`` would run
    two regular expressions over every message to make sure, at more cost than the send."""
    body = data.replace(b"\r\n.", b"\r\n..")
    if body.startswith(b"."):
        body = b"." + body
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


def _reply(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _classify(code: int, reply: bytes | str) -> SendError:
    text = f"SMTP {code} {_reply(reply)}"
    return PermanentSendError(text) if 500 <= code < 600 else TemporarySendError(text)
