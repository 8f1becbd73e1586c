"""Handing finished messages over: :class:`OutboxTransport` writes ``.eml`` files to a folder
(the default, for trying things out and for a separate mail relay), :class:`SmtpTransport` sends
over SMTP with one connection for many messages, classifying each refusal as temporary (try
again later) or permanent, and a refused login as a stop for the whole run.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import smtplib
import ssl
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

from digest.config import SmtpSettings
from digest.errors import LoginRefused, PermanentSendError, SendError, TemporarySendError
from digest.mail.message import OutgoingMessage, dot_stuffed

__all__ = ["OutboxTransport", "SmtpTransport", "Transport"]

log = logging.getLogger("digest.mail")


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
        """MAIL, RCPT, DATA as ``sendmail`` does them, a refusal raising smtplib's exception
        for it. The addresses are written as they are (``envelope_address`` made them, with no
        control character): smtplib's ``mail`` and ``rcpt`` would parse each one again with
        ``email.utils``, at a tenth of the transaction's cost on a fast server."""
        smtp.ehlo_or_helo_if_needed()
        options = ""
        if message.smtputf8:
            if not smtp.has_extn("smtputf8"):
                raise PermanentSendError(
                    f"the SMTP server does not offer SMTPUTF8, which {message.recipient} (or the "
                    "sender address) needs: its local part is not ASCII")
            options = " SMTPUTF8 BODY=8BITMIME" if smtp.has_extn("8bitmime") else " SMTPUTF8"
            smtp.command_encoding = "utf-8"  # the commands carry the addresses in UTF-8
        try:
            smtp.putcmd("mail", f"FROM:<{message.sender}>{options}")
            code, reply = smtp.getreply()
            if code != 250:
                smtp.rset()
                raise smtplib.SMTPSenderRefused(code, reply, message.sender)
            smtp.putcmd("rcpt", f"TO:<{message.recipient}>")
            code, reply = smtp.getreply()
            if code not in (250, 251):
                smtp.rset()
                raise smtplib.SMTPRecipientsRefused({message.recipient: (code, reply)})
            code, reply = smtp.docmd("data")
            if code != 354:
                smtp.rset()
                raise smtplib.SMTPDataError(code, reply)
            smtp.send(_dot_stuffed(message))
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
            raise _classify(code, reply, bounce=True) from e
        except smtplib.SMTPResponseException as e:
            self.close()
            data = isinstance(e, smtplib.SMTPDataError)  # the message itself was refused
            raise _classify(e.smtp_code, e.smtp_error, bounce=data) from e
        except (smtplib.SMTPServerDisconnected, OSError) as e:
            self._smtp = None
            raise TemporarySendError(f"connection to the SMTP server lost: {e}") from e
        except (UnicodeError, ValueError) as e:  # smtplib refused to write a command
            self.close()  # the conversation is in an unknown state: start the next afresh
            raise PermanentSendError(f"cannot send to {message.recipient}: {e}") from e


def _dot_stuffed(message: OutgoingMessage) -> bytes:
    """The DATA payload: the message dot-stuffed (as built, or here), then the end marker.
    ``build_message`` already writes CRLF line ends; smtplib's ``data()`` would run two
    regular expressions over every message to make sure, at more cost than the send."""
    body = message.stuffed if message.stuffed is not None else dot_stuffed(message.data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


def _reply(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _classify(code: int, reply: bytes | str, *, bounce: bool = False) -> SendError:
    """A refusal as an error: permanent for a 5xx, temporary otherwise; a refusal of the
    recipient or of the message (not of the sender) is a hard or soft bounce."""
    text = f"SMTP {code} {_reply(reply)}"
    if 500 <= code < 600:
        return PermanentSendError(text, bounce="hard" if bounce else None)
    return TemporarySendError(text, bounce="soft" if bounce and 400 <= code < 500 else None)
