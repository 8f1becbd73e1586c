"""Canonical article URLs, so that one article reached by several links is stored once."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

from digest.links import is_web_url

__all__ = ["canonical_url", "followed", "is_web_url", "site_of"]

_TRACKING = re.compile(
    r"^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|cmp|ref|ref_src|"
    r"ito|at_medium|at_campaign|at_custom\d|ns_mchannel|ns_source|ns_campaign|rss|src|smid|"
    r"jsessionid|sessionid|phpsessid)$",
    re.IGNORECASE,
)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no tracking parameters, sorted query, no
    ``;jsessionid=`` path parameter, no default port."""
    parts = urlsplit(url.strip())
    path = re.sub(r";jsessionid=[^/?#]*", "", parts.path, flags=re.IGNORECASE)
    host = (parts.hostname or "").lower()
    default_port = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if parts.port in (None, default_port) else f"{host}:{parts.port}"
    cleaned = urlunsplit((parts.scheme.lower(), netloc, path or "/", parts.query, ""))
    keep = [
        key for key in _query_keys(parts.query) if not _TRACKING.match(key)
    ]
    cleaned = url_query_cleaner(cleaned, keep, keep_fragments=False) if parts.query else cleaned
    return canonicalize_url(cleaned, keep_fragments=False)


def _query_keys(query: str) -> list[str]:
    return [pair.split("=", 1)[0] for pair in query.split("&") if pair]


def site_of(url: str) -> tuple[str, int | None]:
    """The host (without ``www.``) and the port when it is not the scheme's default: two URLs
    of one site have the same. Another port of a host is another server, so another site."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:
        port = -1
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, None if port in (None, default) else port


def followed(url: str, allow: list[re.Pattern[str]], deny: list[re.Pattern[str]]) -> str | None:
    """The canonical form of an article link a source follows: an http(s) URL that one of its
    ``allow`` patterns matches (when it has any) and none of its ``deny`` patterns; else None."""
    url = canonical_url(url)
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    if allow and not any(p.search(url) for p in allow):
        return None
    if any(p.search(url) for p in deny):
        return None
    return url
