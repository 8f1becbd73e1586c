"""Building a digest's message: ``multipart/alternative`` text and HTML, headers safe from
scraped text, List-Unsubscribe (RFC 8058), optional DKIM; bytes ready for any transport.

Internationalised addresses: a domain goes out in IDNA (``jörg@exämple.org`` is sent to
``jörg@xn--exmple-cua.org``); a local part that is not ASCII needs SMTPUTF8 (RFC 6531), so such
a message is marked to go only to a server that offers it, with the address in UTF-8 headers
(RFC 6532).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from urllib.parse import quote

import idna

from digest.errors import PermanentSendError

__all__ = ["BodyTemplate", "DkimSigner", "EncodedBody", "MailParts", "OutgoingMessage",
           "build_message", "dot_stuffed", "envelope_address"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


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
    return_path: str | None = None  # the envelope sender, when not the From address (VERP)


@dataclass(frozen=True)
class OutgoingMessage:
    """A finished message: the envelope and the bytes to send. ``smtputf8``: an address in it
    has a local part that is not ASCII, so it needs a server that offers SMTPUTF8.
    ``stuffed``: ``data`` as SMTP's DATA carries it (a line starting with "." gets another, RFC
    5321 4.5.2), made as the message is assembled: scanning a finished digest for such lines
    costs more than building it."""

    sender: str
    recipient: str
    message_id: str
    data: bytes
    smtputf8: bool = False
    stuffed: bytes | None = None


class DkimSigner:
    """Signs messages with DKIM (RFC 6376) for ``domain`` with the key in ``key_file``."""

    HEADERS = (b"from", b"to", b"subject", b"date", b"message-id", b"mime-version",
               b"content-type", b"list-id", b"list-unsubscribe", b"list-unsubscribe-post")

    def __init__(self, domain: str, selector: str, key: bytes) -> None:
        self.domain = domain.encode("ascii")
        self.selector = selector.encode("ascii")
        self.key = key

    def signature(self, data: bytes) -> bytes:
        """The DKIM-Signature header for ``data``, to put before it."""
        import dkim

        return bytes(dkim.sign(data, self.selector, self.domain, self.key,
                               include_headers=list(self.HEADERS)))



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


_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')


def _address(name: str | None, address: str) -> str:
    """``Name <address>``: the name quoted (RFC 5322) or encoded (RFC 2047) as it needs, the
    address as given (its local part may be UTF-8: the message then goes with SMTPUTF8).
    Not ``email.utils.formataddr``, which writes the address in ASCII whenever the name is."""
    display = _header_text(name or "")
    if not display:
        return address
    if not display.isascii():
        return f"{_encoded(display)} <{address}>"
    if _SPECIALS.search(display):
        display = '"' + display.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{display} <{address}>"


def _body(body: str | EncodedBody) -> EncodedBody:
    return body if isinstance(body, EncodedBody) else _encoded_body(_qp(body))


def dot_stuffed(data: bytes) -> bytes:
    """``data`` with a "." before each line that starts with one (RFC 5321 4.5.2), the first
    line included."""
    stuffed = data.replace(b"\r\n.", b"\r\n..")
    return b"." + stuffed if stuffed.startswith(b".") else stuffed


def _encoded_body(data: bytes) -> EncodedBody:
    return EncodedBody(data, dot_stuffed(data))


def _qp(text: str) -> bytes:
    body = binascii.b2a_qp(text.replace("\r\n", "\n").encode("utf-8"), istext=True)
    return body.replace(b"\n", b"\r\n")


@dataclass(frozen=True)
class EncodedBody:
    """A body already quoted-printable encoded (CRLF line ends), and the same dot-stuffed."""

    data: bytes
    stuffed: bytes


class BodyTemplate:
    """A body with named holes, quoted-printable-encoded once and filled per message.

    Encoding a digest's HTML costs more than sending it, and a thousand subscribers who get
    the same stories differ only in a name and a link. The literal pieces are encoded once;
    each piece and each filled-in value ends with a soft line break (``=`` CRLF), which the
    reader's decoder removes, so the joined pieces decode to exactly the filled-in text.
    """

    def __init__(self, text: str, holes: Sequence[str]) -> None:
        self.pieces: list[EncodedBody | str] = []
        pattern = "(" + "|".join(re.escape(h) for h in holes) + ")" if holes else None
        for i, piece in enumerate(re.split(pattern, text) if pattern else [text]):
            if i % 2:
                self.pieces.append(piece)  # a hole's name
            elif piece:
                self.pieces.append(_encoded_body(_qp(piece)))

    def fill(self, values: Mapping[str, str]) -> EncodedBody:
        """The body with ``values`` in its holes. Each piece starts a line (after the part's
        head, or a soft line break), so pieces dot-stuffed alone join into a stuffed body."""
        out: list[bytes] = []
        stuffed: list[bytes] = []
        for piece in self.pieces:
            if out:
                out.append(b"=\r\n")
                stuffed.append(b"=\r\n")
            encoded = _encoded_body(_qp(values[piece])) if isinstance(piece, str) else piece
            out.append(encoded.data)
            stuffed.append(encoded.stuffed)
        return EncodedBody(b"".join(out), b"".join(stuffed))


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
    if parts.return_path:
        sender, return_utf8 = envelope_address(parts.return_path)
        smtputf8 = smtputf8 or return_utf8
    # only an address's local part can be other than ASCII here, and then only in UTF-8
    # headers (RFC 6532), which a server takes only with SMTPUTF8
    head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode(
        "utf-8" if smtputf8 else "ascii")
    part_head = ("--{b}\r\nContent-Type: text/{kind}; charset=\"utf-8\"\r\n"
                 "Content-Transfer-Encoding: quoted-printable\r\n\r\n")
    text, html = _body(parts.text), _body(parts.html)
    # no line of the heads starts with "." (a header's name, a boundary's "--", a folded
    # header's space): only the bodies need stuffing, and they come stuffed
    plain_head = part_head.format(b=boundary, kind="plain").encode("ascii")
    html_head = part_head.format(b=boundary, kind="html").encode("ascii")
    end = f"--{boundary}--\r\n".encode("ascii")
    data = b"".join([head, b"\r\n", plain_head, text.data, b"\r\n", html_head, html.data,
                     b"\r\n", end])
    stuffed = b"".join([head, b"\r\n", plain_head, text.stuffed, b"\r\n", html_head,
                        html.stuffed, b"\r\n", end])
    if dkim is not None:
        signature = dkim.signature(data)  # its folded lines start with a space
        data, stuffed = signature + data, signature + stuffed
    return OutgoingMessage(sender, recipient, message_id, data, smtputf8=smtputf8,
                           stuffed=stuffed)
