"""Admin tools for sources: try one now (``digest sources test``) and find a site's feeds and
sitemaps (``digest sources discover``).

Trying a source runs the real crawl (same spiders, politeness and extraction) into a throwaway
database, so nothing is stored and the source's health is not touched. A saved listing page,
feed or sitemap can be read instead of the live one, to check a selector offline.
"""

from __future__ import annotations

import logging
import re
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html

from digest.config import Config, SourceConfig
from digest.domain import StoredArticle
from digest.errors import InputError, SourceError
from digest.links import is_web_url
from digest.store import Store
from scraper.run import SourceReport, crawl
from scraper.spiders.sitemap import parse_sitemap
from scraper.urls import followed, site_of

__all__ = ["Candidate", "SourceTrial", "discover", "links_in_saved_page", "try_source"]

log = logging.getLogger(__name__)
MAX_BYTES = 5 * 2**20
SHORT_TEXT = 500  # characters: shorter bodies are usually teasers or extraction misses


@dataclass
class SourceTrial:
    report: SourceReport
    articles: list[StoredArticle]
    warnings: list[str] = field(default_factory=list)


def try_source(config: Config, name: str, limit: int) -> SourceTrial:
    """Crawl one source now, at most ``limit`` articles, into a temporary database."""
    source = config.source(name)
    with tempfile.TemporaryDirectory(prefix="digest-source-test-") as tmp:
        trial_config = config.model_copy(update={
            "database": f"sqlite:///{tmp}/trial.db",
            "sources": (source.model_copy(update={"max_articles": limit}),),
            "crawl": config.crawl.model_copy(update={"http_cache": None}),
        })
        store = Store(trial_config.database)
        store.migrate()
        [report] = crawl(trial_config, store, [name])
        now = datetime.now(UTC)
        articles = store.articles_between(now - timedelta(days=3650), now + timedelta(days=1))
        store.close()
    trial = SourceTrial(report, articles)
    if not report.ok:
        trial.warnings.append(f"the source failed: {report.error}")
    elif report.links == 0:
        trial.warnings.append("no links found: check the url and, for a listing, `links`")
    elif not articles and report.already_stored + report.fetched == 0:
        trial.warnings.append("links found but none fetched: check allow/deny and max_age_days")
    for article in articles:
        trial.warnings += article_warnings(article)
    return trial


def article_warnings(article: StoredArticle) -> list[str]:
    found = []
    if article.published is None:
        found.append(f"no date found: {article.url}")
    if len(article.text) < SHORT_TEXT:
        found.append(f"very short text ({len(article.text)} characters; try `content`): "
                     f"{article.url}")
    return found


def links_in_saved_page(source: SourceConfig, body: bytes) -> list[tuple[str, str | None]]:
    """(article URL, title) the source would follow in a saved index page: read by the source's
    own spider (:meth:`~scraper.spiders.base.ArticleSpider.read_index`), its ``allow`` and
    ``deny`` patterns applied as the crawl applies them.

    Raises:
        InputError: the page is not what the source's kind reads.
    """
    from scrapy.http import HtmlResponse, Response

    from scraper.spiders import SPIDERS, UnreadableIndex

    response = (HtmlResponse(url=source.url, body=body) if source.kind == "listing"
                else Response(url=source.url, body=body))
    try:
        page = SPIDERS[source.kind].read_index(source, response, max_bytes=MAX_BYTES)
    except UnreadableIndex as e:
        raise InputError(str(e).replace(f" at {source.url}", "")) from None
    allow = [re.compile(p) for p in source.allow]
    deny = [re.compile(p) for p in source.deny]
    kept: dict[str, str | None] = {}
    for link in page.links:
        url = followed(link.url, allow, deny)
        if url is not None:
            kept.setdefault(url, link.title)
    return list(kept.items())


# --- discovery -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    kind: str  # feed | sitemap
    url: str
    title: str | None
    entries: int
    found_by: str
    note: str | None = None  # e.g. that it lives on another host


class _OffsiteRedirect(Exception):
    """A redirect to another site (or to something that is not a web URL): not followed."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class _SameSiteRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> Any:
        target = urljoin(req.full_url, newurl)
        if not is_web_url(target) or site_of(target) != site_of(req.full_url):
            raise _OffsiteRedirect(target)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass(frozen=True)
class _Fetched:
    body: bytes | None
    offsite: str | None = None  # where it redirected to, when that is another site


def _fetch(url: str, user_agent: str, timeout: float) -> _Fetched:
    opener = urllib.request.build_opener(_SameSiteRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    try:
        with opener.open(request, timeout=timeout) as response:
            body: bytes = response.read(MAX_BYTES + 1)
    except _OffsiteRedirect as e:
        return _Fetched(None, e.target)
    except (urllib.error.URLError, OSError, ValueError):
        return _Fetched(None)
    return _Fetched(body if len(body) <= MAX_BYTES else None)


def discover(url: str, *, user_agent: str, timeout: float = 15.0) -> list[Candidate]:
    """Feeds and sitemaps of the site at ``url``: from the page's ``<link rel=alternate>``,
    robots.txt's ``Sitemap:`` lines and the usual paths; each one fetched and checked.
    Nothing on another site (another host or port) is fetched: not a redirect's target, nor a
    feed or sitemap the page or robots.txt names there (listed, unchecked, with a ``note``).

    Raises:
        InputError: ``url`` is not an http(s) URL.
        SourceError: the page itself cannot be fetched, or redirects to another site.
    """
    if not is_web_url(url):
        raise InputError(f"not an http(s) URL: {url!r}")
    parts = urlsplit(url)
    page = _fetch(url, user_agent, timeout)
    if page.offsite is not None:
        raise SourceError(f"{url} redirects to {page.offsite}, another site: not followed; "
                          "run discover on that address if it is the same publisher")
    if page.body is None:
        raise SourceError(f"cannot fetch {url}")
    root = f"{parts.scheme}://{parts.netloc}"
    leads: dict[str, str] = {}
    try:
        doc = lxml.html.fromstring(page.body)
        for link in doc.xpath("//link[@rel='alternate'][@href]"):
            kind = (link.get("type") or "").lower()
            if "rss" in kind or "atom" in kind or "feed" in kind:
                leads.setdefault(urljoin(url, link.get("href")), "link rel=alternate")
    except (ValueError, lxml.etree.ParserError):
        pass
    robots = _fetch(f"{root}/robots.txt", user_agent, timeout).body or b""
    for line in robots.decode("utf-8", "replace").splitlines():
        if line.lower().startswith("sitemap:"):
            leads.setdefault(line.split(":", 1)[1].strip(), "robots.txt")
    for path in ("/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/news-sitemap.xml",
                 "/sitemap_news.xml", "/sitemap.xml"):
        leads.setdefault(root + path, "usual path")
    found = []
    home = site_of(url)
    for lead, how in leads.items():
        if not is_web_url(lead):
            continue
        if site_of(lead) != home:  # named by the page, but another site's: listed, never fetched
            host, port = site_of(lead)
            found.append(Candidate("sitemap" if how == "robots.txt" else "feed", lead, None, 0, how,
                                   f"on another host, not checked: {host}{f':{port}' if port else ''}"))
            continue
        fetched = _fetch(lead, user_agent, timeout)
        if fetched.offsite is not None:
            log.info("%s redirects to %s, another site: not followed", lead, fetched.offsite)
            continue
        if not fetched.body:
            continue
        kind, entries = parse_sitemap(fetched.body)
        if kind is not None and entries:
            found.append(Candidate("sitemap", lead, None, len(entries), how))
            continue
        feed = feedparser.parse(fetched.body)
        if feed.entries and feed.get("version"):
            found.append(Candidate("feed", lead, feed.feed.get("title"), len(feed.entries), how))
    # the site's own first: a feed elsewhere may be someone else's
    found.sort(key=lambda c: (c.note is not None, c.kind != "feed", -c.entries))
    return found


def config_entry(candidate: Candidate, name: str) -> str:
    """A ready-to-paste ``sources`` entry."""
    lines = [f"  - name: {name}", f"    kind: {candidate.kind}", f"    url: {candidate.url}"]
    if candidate.title:
        safe = candidate.title.replace('"', "'")
        lines.insert(1, f'    title: "{safe}"')
    return "\n".join(lines)


def slug_for(url: str) -> str:
    host = (urlsplit(url).hostname or "source").removeprefix("www.")
    return re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-")[:60] or "source"


def read_saved(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from None
    if path.suffix == ".gz":
        import gzip

        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise InputError(f"cannot read {path}: {e}") from None
    return raw
