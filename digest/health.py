"""A source's health as an admin reads it: one line on what to look at, or nothing.

Used by ``digest status``, the admin page and the foot of an admin's digest.
"""

from __future__ import annotations

from typing import Any

from digest.text import plural

__all__ = ["source_flag"]


def source_flag(health: dict[str, Any]) -> str | None:
    """What an admin should look at for one source (``Store.source_health`` row), or None."""
    failures = health["consecutive_failures"]
    if failures:
        error = health["last_error"] or "unknown error"
        runs = f"{plural(failures, 'run')} in a row"
        if "selector matched nothing" in error:
            return f"selector may be stale ({runs}): {error}"
        return f"failing ({runs}): {error}"
    empty = health.get("consecutive_empty", 0)
    if empty:
        return (f"listed no links in the last {plural(empty, 'run')}: "
                "the feed or selector may be stale")
    if health.get("reading_note"):
        return health["reading_note"]
    if health["last_crawl_at"] is None:
        return "never crawled"
    if health["articles"] == 0:
        return "no articles yet: check its url and selectors"
    return None
