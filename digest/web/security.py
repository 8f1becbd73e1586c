"""What every page gets: security and cache headers, a 500 page that keeps them, and the check
of a subscriber's signed token (:func:`with_subscriber`, :func:`with_reader`) that the pages
reached from a digest's links share."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from digest import i18n
from digest.domain import Subscriber

if TYPE_CHECKING:
    from digest.web.site import Site

__all__ = ["Errors", "SecurityHeaders", "with_reader", "with_subscriber"]

log = logging.getLogger("digest.web")

_HEADERS = {
    # tokens live in URLs: never hand them to the sites a story links to, never cache them
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
}


class SecurityHeaders:
    """Adds :data:`_HEADERS` to every response, and ``no-store`` to all but the public archive."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        public = scope["path"].startswith("/digests/") and _public_query(scope.get("query_string", b""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                for key, value in _HEADERS.items():
                    headers.append((key.lower().encode(), value.encode()))
                if b"cache-control" not in names:
                    cache = "public, max-age=300" if public else "private, no-store"
                    headers.append((b"cache-control", cache.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Errors:
    """A request that fails answers a 500 page from inside the app, so that it carries the
    security and cache headers and the connection stays open for the client's next request
    (Starlette's outermost handler re-raises, and the server then drops the connection); the
    traceback goes to the log."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if started:
                raise
            body = (b"<!DOCTYPE html><title>Something went wrong</title><h1>Something went wrong</h1>"
                    b"<p>The page could not be made; the error was logged. Please try again later.</p>")
            await send({"type": "http.response.start", "status": 500,
                        "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})


def _public_query(raw: bytes) -> bool:
    """A query that only pages the public archive: its keys, decoded as the app decodes them
    (``?%74=`` is ``?t=``, a token), are all in :data:`_PUBLIC_KEYS`."""
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return all(key in _PUBLIC_KEYS for key, _ in pairs)


_PUBLIC_KEYS = frozenset({"before"})



def with_subscriber(handler: Callable[..., Awaitable[Response]]
                    ) -> Callable[[Site, Request], Awaitable[Response]]:
    """A page behind a token in its path (``/unsubscribe/<token>``, ``/preferences/<token>``):
    the handler gets the subscriber it names and the token, or the visitor the page that says
    why the link fails (expired, forged, for nobody). The store is asked off the event loop."""

    @wraps(handler)
    async def checked(site: Site, request: Request) -> Response:
        token = request.path_params["token"]
        found = await run_in_threadpool(site.subscriber_for, request, token)
        if isinstance(found, Response):
            return found
        return await handler(site, request, found, token)

    return checked


def with_reader(handler: Callable[..., Response]) -> Callable[[Site, Request], Response]:
    """A page that a ``?t=<token>`` makes a subscriber's own (their edition, their feed, a story
    in their zone and language): the handler gets the subscriber (None without a token), or the
    visitor the page that says why the token fails. For pages run in the thread pool."""
    assert not inspect.iscoroutinefunction(handler), "with_reader is for the pages run in the thread pool"

    @wraps(handler)
    def checked(site: Site, request: Request) -> Response:
        token = request.query_params.get("t")
        reader: Subscriber | None = None
        if token is not None:
            found = site.subscriber_for(request, token)
            if isinstance(found, Response):
                return found
            reader = found
        # the page, its stories' marks, dates and times in the reader's first language
        with i18n.speaking(reader.languages[0] if reader and reader.languages else None):
            return handler(site, request, reader)

    return checked
