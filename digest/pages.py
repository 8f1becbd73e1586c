"""``digest extract``'s work on one saved page: its record, or why there is none. Kept apart
from the pipeline's stages so that the command loads only the extractor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scraper.extract import MAX_PAGE_BYTES, extract_article, not_a_page

__all__ = ["PageReport", "extract_page"]


@dataclass(frozen=True)
class PageReport:
    """One saved page as ``digest extract`` prints it: ``record`` (url, title, text, published,
    updated, author, language; ``error`` when nothing was extracted); ``not_a_page`` names what
    the file is instead (JSON, an image, …): bad input."""

    record: dict[str, Any]
    not_a_page: str | None = None


def extract_page(raw: bytes, *, url: str | None = None) -> PageReport:
    """Extract the article of one saved page (HTML bytes)."""
    record: dict[str, Any] = {"url": url, "title": None, "text": "", "published": None,
                              "updated": None, "author": None, "language": None}
    kind = not_a_page(raw)
    if kind is not None:
        return PageReport({**record, "error": f"not an HTML page: {kind}"}, not_a_page=kind)
    if len(raw) > MAX_PAGE_BYTES:
        return PageReport({**record, "error": f"page larger than {MAX_PAGE_BYTES // 2**20} MiB: "
                                              "not extracted"})
    result = extract_article(raw, url=url)
    if result is None:
        return PageReport({**record, "error": "no article text found"})
    return PageReport({
        **record, "url": url or result.canonical_url, "title": result.title, "text": result.text,
        "published": result.published.isoformat() if result.published else None,
        "updated": result.updated.isoformat() if result.updated else None,
        "author": result.author, "language": result.language})
