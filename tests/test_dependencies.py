"""The dependencies' internals the code relies on are where it expects them.

Where a private or internal name is unavoidable, pyproject.toml pins the version range it was
checked against; these tests fail when a new release moves one, before a crawl or an
extraction goes wrong quietly."""

from __future__ import annotations

import inspect

import pytest


def test_trafilatura_calls_its_readability_fallback_through_its_module() -> None:
    """scraper.extract.readability hands trafilatura the page's reading by setting
    ``trafilatura.external.try_readability`` while it reads: ``compare_extraction`` must look
    the name up in its module, and ``bare_extraction`` must reach it."""
    import trafilatura.core
    import trafilatura.external

    assert callable(trafilatura.external.try_readability)
    assert "try_readability" in trafilatura.external.compare_extraction.__code__.co_names
    assert trafilatura.core.compare_extraction is trafilatura.external.compare_extraction


@pytest.mark.parametrize(("module", "names"), [
    ("trafilatura.json_metadata", ["HTML_STRIP_TAGS", "extract_json", "extract_json_parse_error",
                                   "normalize_authors", "normalize_json"]),
    ("trafilatura.metadata", ["JSON_MINIFY", "examine_meta", "extract_sitename", "extract_title"]),
    ("trafilatura.settings", ["Document"]),
    ("trafilatura.utils", ["decode_file", "is_dubious_html", "repair_faulty_html", "trim"]),
    ("trafilatura.htmlprocessing", ["prune_unwanted_nodes"]),
    ("trafilatura.xpaths", ["RAW_TREE_PRUNE_XPATH", "REMOVE_COMMENTS_AND_LISTS_XPATH"]),
])
def test_trafilatura_names_the_extraction_reads(module: str, names: list[str]) -> None:
    imported = __import__(module, fromlist=names)
    assert all(hasattr(imported, name) for name in names)


def test_scrapy_methods_the_crawler_overrides_or_calls() -> None:
    """scraper/downloader.py overrides ``Downloader._get_slot``, scraper/httpcache.py calls
    ``RFC2616Policy._set_conditional_validators`` and scraper/middlewares.py calls
    ``RetryMiddleware._retry``: each with the parameters it passes."""
    from scrapy.core.downloader import Downloader, Slot
    from scrapy.downloadermiddlewares.retry import RetryMiddleware
    from scrapy.extensions.httpcache import RFC2616Policy

    assert list(inspect.signature(Downloader._get_slot).parameters)[:2] == ["self", "request"]
    slot = Slot(1, 0.0)  # the override wraps a slot's queue and counts into its transferring set
    assert isinstance(slot.transferring, set) and hasattr(slot.queue, "popleft")
    assert list(inspect.signature(RFC2616Policy._set_conditional_validators).parameters)[:3] == [
        "self", "request", "cachedresponse"]
    assert list(inspect.signature(RetryMiddleware._retry).parameters)[:3] == ["self", "request", "reason"]

