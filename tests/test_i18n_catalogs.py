"""Every message a reader sees has a translation in every catalog (zh, ru, ar, fr, es, de, ja),
with the same placeholders and as many plural forms as the language has."""

from __future__ import annotations

from digest.i18n import CATALOGS
from tools.messages import catalogs, extracted, problems


def test_every_catalog_translates_every_message_correctly() -> None:
    assert len([m for m in extracted() if m.id]) > 100
    assert {p.parent.parent.name for p in catalogs()} == set(CATALOGS) == {
        "ar", "de", "es", "fr", "ja", "ru", "zh"}
    assert problems() == []
