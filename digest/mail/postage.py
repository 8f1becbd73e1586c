"""What the config says about sending: the transport to use (SMTP, or an outbox folder) and the
DKIM signer; and :func:`send_one` for a single message (a sign-up's confirmation). Used by the
stage runner for digests and by the web app for confirmations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from digest.config import Config
from digest.errors import ConfigError
from digest.mail.message import DkimSigner, MailParts, build_message
from digest.mail.transport import OutboxTransport, SmtpTransport, Transport

__all__ = ["dkim_signer", "send_one", "transport_factory"]


def transport_factory(config: Config) -> Callable[[], Transport]:
    """Makes the config's transport: SMTP with its login, else the outbox folder."""
    smtp = config.mail.smtp
    if smtp is None:
        folder = Path(config.mail.outbox or "outbox")
        return lambda: OutboxTransport(folder)
    login = config.smtp_login
    return lambda: SmtpTransport(smtp, username=login[0] if login else None,
                                 password=login[1] if login else None)


def dkim_signer(config: Config) -> DkimSigner | None:
    """The config's DKIM signer, or None.

    Raises:
        ConfigError: the key file cannot be read or is no PEM private key.
    """
    settings = config.mail.dkim
    if settings is None:
        return None
    try:
        key = Path(settings.key_file).read_bytes()
    except OSError as e:
        raise ConfigError([f"mail.dkim.key_file: cannot read {settings.key_file}: {e.strerror}"]) from e
    if b"PRIVATE KEY" not in key:
        raise ConfigError([f"mail.dkim.key_file: {settings.key_file} is not a PEM private key"])
    return DkimSigner(settings.domain, settings.selector, key)


def send_one(config: Config, parts: MailParts) -> None:
    """Build and send one message through the config's transport.

    Raises:
        SendError: the transport refused it, or failed.
    """
    message = build_message(parts, dkim=dkim_signer(config))
    with transport_factory(config)() as transport:
        transport.send(message)
