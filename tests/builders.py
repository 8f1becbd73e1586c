"""Builders for what tests set up over and over: a config file from Python values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["config_file", "feed", "listing"]


def feed(name: str, url: str, **options: Any) -> dict[str, Any]:
    """A feed source."""
    return {"name": name, "kind": "feed", "url": url, **options}


def listing(name: str, url: str, links: str, **options: Any) -> dict[str, Any]:
    """A listing source."""
    return {"name": name, "kind": "listing", "url": url, "links": links, **options}


def config_file(folder: Path, *, sources: list[dict[str, Any]],
                subscribers: list[dict[str, Any]] | None = None,
                database: str = "sqlite:///digest.db", mail: dict[str, Any] | None = None,
                **sections: Any) -> Path:
    """``folder/config.yaml`` with these sources and subscribers (one reader by default), mail
    to an outbox, sending at midnight, and any other top-level ``sections`` (``digest`` is
    merged into the defaults). JSON is YAML, so the file is written as JSON."""
    config: dict[str, Any] = {
        "database": database,
        "timezone": "UTC",
        "sources": sources,
        "mail": mail or {"from": "Digest <digest@example.org>", "outbox": "outbox"},
        "digest": {"send_at": "00:00", **sections.pop("digest", {})},
        "subscribers": subscribers if subscribers is not None else [{"email": "reader@example.org"}],
        "crawl": {"delay": 0, "timeout": 10, "extract_workers": 1, **sections.pop("crawl", {})},
        **sections,
    }
    path = folder / "config.yaml"
    path.write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
