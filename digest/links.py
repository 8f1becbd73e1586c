"""What may become a link: absolute ``http(s)`` URLs with a host, nothing else.

Scraped pages and imported files name URLs of every kind (``javascript:``, ``data:``, a
``file:`` path); only web URLs are stored (scraper/urls.py, ``digest import``) and only they
are rendered as links (a Jinja test in digest/render.py): the rest stays text.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["is_web_url"]


def is_web_url(url: object) -> bool:
    """An absolute ``http(s)`` URL with a host, without whitespace or control characters."""
    if not isinstance(url, str) or not url:
        return False
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
