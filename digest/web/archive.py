"""The archive and what a digest links to: editions, story pages, search and the feeds; for a
reader with a token, their own copy, in their zone and language. Plain functions: Starlette runs
them in its thread pool, off the event loop."""

from __future__ import annotations

import hmac
import json
import logging
import os
from datetime import UTC, date, datetime, timedelta

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from digest.domain import Story, Subscriber
from digest.render import local_time, long_date
from digest.store import SearchHit
from digest.web.security import with_reader
from digest.web.site import Site

log = logging.getLogger("digest.web")

__all__ = ["archive", "edition", "feed_atom", "feed_json", "health", "home", "search", "story"]

ARCHIVE_PAGE = 60  # editions listed per page
FEED_DAYS = 7  # a feed holds the stories updated in this many days ...
FEED_ITEMS = 50  # ... at most this many, newest first
SEARCH_RESULTS = 50  # matching articles read for one search


def archive(site: Site, request: Request) -> Response:
    before = _day(request.query_params.get("before"))
    editions = site.store.editions(limit=ARCHIVE_PAGE + 1, before=before)
    older = editions[ARCHIVE_PAGE][0] if len(editions) > ARCHIVE_PAGE else None
    return site.page("archive.html", request, editions=[
        {"day": day, "label": long_date(day), "count": count, "top": top}
        for day, count, top in editions[:ARCHIVE_PAGE]], older=older)

@with_reader
def edition(site: Site, request: Request, reader: Subscriber | None) -> Response:
    """An edition of the archive: for a reader with a token, the stories they were sent, in
    their zone and language; else the day's most important ones."""
    day = _day(request.path_params["day"])
    stories = site.store.edition(day) if day else None
    if day is None or stories is None:
        return site.problem(request, 404, "No digest for this date",
                            "The archive has an edition for each day a digest was sent.")
    token = request.query_params.get("t")
    zone = reader.timezone if reader else site.config.timezone
    notice = None
    more: list[Story] = []
    if reader is not None:
        sent = site.store.delivered_stories(reader.id, day)
        if sent is None:
            notice = "You were not sent a digest on this day: this is the full edition."
        else:
            by_id = {s.id: s for s in stories}
            stories = [by_id[i] for i in sent if i in by_id]
        stories = [s.in_language(reader.languages) for s in stories]  # as in their mail
    if reader is None or notice:
        stories, more = stories[:site.config.digest.max_stories], stories[site.config.digest.max_stories:]
    return site.page(
        "edition.html", request, day=day, day_label=long_date(day), subscriber=reader,
        notice=notice, stories=site.renderer.story_items(stories, zone, story_url="/stories/"),
        more=more, zone=zone, token=token)

@with_reader
def feed_atom(site: Site, request: Request, reader: Subscriber | None) -> Response:
    return _feed(site, request, reader, "atom")


@with_reader
def feed_json(site: Site, request: Request, reader: Subscriber | None) -> Response:
    return _feed(site, request, reader, "json")


def _feed(site: Site, request: Request, reader: Subscriber | None, kind: str) -> Response:
    """The latest stories as Atom 1.0 (``/feed.atom``) or JSON Feed 1.1 (``/feed.json``);
    with a subscriber's token (``?t=``), only the stories their filters keep, in their
    language."""
    from digest.edition import Editions
    from digest.feeds import Feed, atom, json_feed

    base = (site.config.web.base_url or str(request.base_url)).rstrip("/")
    stories = site.store.stories_updated_since(datetime.now(UTC) - timedelta(days=FEED_DAYS))
    token, zone = request.query_params.get("t"), site.config.timezone
    if reader is not None:
        stories, zone = Editions(site.config, site.store).matching(reader, stories), reader.timezone
    stories = sorted(stories, key=lambda s: (s.updated, s.id), reverse=True)[:FEED_ITEMS]
    feed = Feed(title=site.config.digest.title, home_url=f"{base}/digests/",
                feed_url=f"{base}/feed.{kind}" + (f"?t={token}" if token else ""),
                story_url=f"{base}/stories/", stories=stories)
    if kind == "atom":
        return Response(atom(feed, site.renderer, zone), media_type="application/atom+xml")
    return Response(json.dumps(json_feed(feed, site.renderer, zone), ensure_ascii=False),
                    media_type="application/feed+json")

def search(site: Site, request: Request) -> Response:
    """``/search?q=``: the stories whose articles match every word, best first (one entry
    per story, its best article), then matching articles that are in no story."""
    query = " ".join(request.query_params.get("q", "").split())[:200]
    hits = site.store.search(query, limit=SEARCH_RESULTS) if query else []
    best: dict[str, SearchHit] = {}  # a story's best matching article
    for hit in hits:
        if hit.story_id:
            best.setdefault(hit.story_id, hit)
    stories, articles = list(best.values()), [h for h in hits if not h.story_id]
    return site.page("search.html", request, query=query, stories=stories, articles=articles)

@with_reader
def story(site: Site, request: Request, reader: Subscriber | None) -> Response:
    """A story as the mail shows it, then its timeline: every source and statement by
    time, official ones marked, and the opinions on it. With a subscriber's token, in
    their zone and language."""
    story_id = request.path_params["story_id"]
    story = site.store.story(story_id) or site.store.archived_story(story_id)
    if story is None:
        return site.problem(request, 404, "No such story",
                            "Stories are kept while they are in the news and in the archive.")
    zone, token = site.config.timezone, request.query_params.get("t")
    if reader is not None:
        zone, story = reader.timezone, story.in_language(reader.languages)
    [item] = site.renderer.story_items([story], zone)
    timeline = [{"when": local_time(s.published, zone), "source": s}
                for s in sorted(story.sources, key=lambda s: (s.published, s.article_id, s.segment))]
    return site.page("story.html", request, story=story, item=item, timeline=timeline,
                     zone=zone, token=token)

def home(site: Site, request: Request) -> Response:
    return RedirectResponse("/digests/", status_code=303)

def health(site: Site, request: Request) -> Response:
    """``/healthz``: "ok" when the database answers, else 503 naming what failed."""
    try:
        site.store.ping()
    except Exception as e:  # any failure of the database is the answer, not a 500
        reason = " ".join(str(e).split("\n")[0].split())[:300] or type(e).__name__
        log.warning("health check: the database does not answer: %s", reason)
        return PlainTextResponse(f"database unavailable: {type(e).__name__}: {reason}\n",
                                 status_code=503, headers={"Cache-Control": "no-store"})
    return PlainTextResponse("ok\n", headers={"Cache-Control": "no-store"})


def metrics(site: Site, request: Request) -> Response:
    """``/metrics``: Prometheus' format; with ``web.metrics_token_env`` set, only for a
    request that carries that token (``Authorization: Bearer …``)."""
    from digest.metrics import CONTENT_TYPE, scrape

    expected = os.environ.get(site.config.web.metrics_token_env or "") or None
    if site.config.web.metrics_token_env and not expected:
        return PlainTextResponse("metrics are not configured: the token variable is empty\n",
                                 status_code=503)
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if expected and not hmac.compare_digest(given.encode(), expected.encode()):
        return PlainTextResponse("a bearer token is required\n", status_code=401,
                                 headers={"WWW-Authenticate": "Bearer"})
    try:
        body = scrape(site.store)
    except Exception as e:
        log.warning("metrics: the database does not answer: %s", e)
        return PlainTextResponse("database unavailable\n", status_code=503)
    return Response(body, media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})


def _day(value: str | None) -> date | None:
    if not value or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
