"""Signed per-subscriber tokens for the links in each digest: unsubscribe (``List-Unsubscribe``
and the footer), preferences and the subscriber's own copy in the web archive.

A token is ``<subscriber id>.<issue day>.<HMAC-SHA256 of purpose, id, e-mail and day, 128 bits,
base64url>``: it names one subscriber, cannot be forged, moved to another address or made
younger without the installation's key, expires a set number of days after it was issued, and
contains no ``=`` (safe in quoted-printable bodies). The key is made once, at random, and kept in
the database's ``meta`` table, so the sender and the web app share it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from digest.errors import TokenExpired
from digest.models import MetaRow
from digest.store import Store

__all__ = ["TokenExpired", "make_token", "read_token", "signing_key", "token_day"]

_KEY = "signing_key"


def signing_key(store: Store) -> bytes:
    """The installation's signing key, created on first use."""
    with store.session() as s:
        row = s.scalar(select(MetaRow).where(MetaRow.key == _KEY))
        if row is not None:
            return base64.urlsafe_b64decode(row.value)
    try:
        with store.session() as s:
            s.add(MetaRow(key=_KEY, value=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()))
    except IntegrityError:  # another process made it first: use theirs
        pass
    return signing_key(store)


_EPOCH = date(1970, 1, 1)


def _signature(key: bytes, purpose: str, subscriber_id: int, email: str, day: int) -> str:
    message = f"{purpose}:{subscriber_id}:{email.lower()}:{day}".encode()
    mac = hmac.new(key, message, hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:16]).rstrip(b"=").decode("ascii")


def _today() -> date:
    return datetime.now(UTC).date()


def make_token(key: bytes, subscriber_id: int, email: str, purpose: str = "unsubscribe", *,
               issued: date | None = None) -> str:
    day = ((issued or _today()) - _EPOCH).days
    return f"{subscriber_id}.{day}.{_signature(key, purpose, subscriber_id, email, day)}"


def read_token(key: bytes, token: str, email_of: Callable[[int], str | None], *,
               purpose: str = "unsubscribe", max_age_days: int | None = None,
               today: date | None = None) -> int | None:
    """The subscriber id a genuine token names, or None; ``email_of`` looks up an address.

    Raises :class:`TokenExpired` for a genuine token older than ``max_age_days``.
    """
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(p.isdigit() and len(p) <= 18 for p in parts[:2]) or not parts[2]:
        return None
    subscriber_id, day = int(parts[0]), int(parts[1])
    email = email_of(subscriber_id)
    if email is None:
        return None
    expected = _signature(key, purpose, subscriber_id, email, day)
    if not hmac.compare_digest(expected.encode(), parts[2].encode()):
        return None
    issued = _EPOCH + timedelta(days=day) if day < 10**6 else date.max
    if max_age_days is not None and (today or _today()) - issued > timedelta(days=max_age_days):
        raise TokenExpired(subscriber_id, issued)
    return subscriber_id


def token_day(token: str) -> date:
    """The day a token (read by :func:`read_token` first) was issued."""
    day = int(token.strip().split(".")[1])
    return _EPOCH + timedelta(days=day) if day < 10**6 else date.max
