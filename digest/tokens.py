"""Signed per-subscriber tokens for unsubscribe links (``List-Unsubscribe``, the mail footer
and the web app's one-click endpoint).

A token is ``<subscriber id>.<HMAC-SHA256 of the id and e-mail, 128 bits, base64url>``: it
names one subscriber, cannot be forged or moved to another address without the installation's
key, and contains no ``=`` (safe in quoted-printable bodies). The key is made once, at random,
and kept in the database's ``meta`` table, so the sender and the web app share it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from digest.models import MetaRow
from digest.store import Store

__all__ = ["make_token", "read_token", "signing_key"]

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


def _signature(key: bytes, purpose: str, subscriber_id: int, email: str) -> str:
    mac = hmac.new(key, f"{purpose}:{subscriber_id}:{email.lower()}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:16]).rstrip(b"=").decode("ascii")


def make_token(key: bytes, subscriber_id: int, email: str, purpose: str = "unsubscribe") -> str:
    return f"{subscriber_id}.{_signature(key, purpose, subscriber_id, email)}"


def read_token(key: bytes, token: str, email_of: Callable[[int], str | None], *,
               purpose: str = "unsubscribe") -> int | None:
    """The subscriber id a genuine token names, or None; ``email_of`` looks up an address."""
    ident, _, signature = token.strip().partition(".")
    if not ident.isdigit() or not signature or len(ident) > 18:
        return None
    subscriber_id = int(ident)
    email = email_of(subscriber_id)
    if email is None:
        return None
    expected = _signature(key, purpose, subscriber_id, email)
    return subscriber_id if hmac.compare_digest(expected, signature) else None
