"""The ASGI app ``digest serve`` runs: the routes, each bound to the site's shared state, and the
middleware every page passes through."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from digest.config import Config
from digest.render import Renderer
from digest.store import Store
from digest.web import admin, archive, signup, sources, subscriber
from digest.web.security import Errors, SecurityHeaders
from digest.web.site import Site

__all__ = ["create_app"]


def create_app(config: Config, store: Store, renderer: Renderer | None = None, *,
               config_path: Path | None = None) -> Starlette:
    """The ASGI app ``digest serve`` runs (and the tests call); with ``config_path``, the
    admin's changes to the sources are written there."""
    site = Site(config, store, renderer or Renderer(), config_path)

    def route(path: str, handler: Callable[..., Any], methods: list[str] | None = None) -> Route:
        return Route(path, partial(handler, site), methods=methods)

    async def not_found(request: Request, exc: Exception) -> Response:
        return site.problem(request, 404, "Page not found", "There is no page at this address.")

    handlers: Mapping[Any, Callable[[Request, Exception], Awaitable[Response]]] = {404: not_found}
    https = (config.web.base_url or "").startswith("https://")
    return Starlette(
        routes=[
            route("/", archive.home),
            route("/healthz", archive.health),
            route("/metrics", archive.metrics),
            route("/digests/", archive.archive),
            route("/digests/{day}", archive.edition),
            route("/stories/{story_id}", archive.story),
            route("/search", archive.search),
            route("/feed.atom", archive.feed_atom),
            route("/feed.json", archive.feed_json),
            route("/unsubscribe/{token}", subscriber.unsubscribe, methods=["GET", "POST"]),
            route("/preferences/{token}", subscriber.preferences, methods=["GET", "POST"]),
            route("/preferences/{token}/data", subscriber.my_data),
            route("/preferences/{token}/erase", subscriber.erase, methods=["POST"]),
            route("/signup", signup.signup, methods=["GET", "POST"]),
            route("/signup/confirm/{token}", signup.confirm, methods=["GET", "POST"]),
            route("/admin/", admin.admin),
            route("/admin/login", admin.login, methods=["GET", "POST"]),
            route("/admin/logout", admin.logout, methods=["POST"]),
            route("/admin/sources", sources.sources),
            route("/admin/sources.opml", sources.export),
            route("/admin/sources/discover", sources.discover, methods=["POST"]),
            route("/admin/sources/test", sources.test, methods=["POST"]),
            route("/admin/sources/save", sources.save, methods=["POST"]),
            route("/admin/sources/import", sources.import_list, methods=["POST"]),
            route("/admin/sources/{name}", sources.edit),
            route("/admin/sources/{name}/{action}", sources.toggle, methods=["POST"]),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(Errors),
            Middleware(SessionMiddleware, secret_key=hmac.new(site.key, b"web session",
                                                              hashlib.sha256).hexdigest(),
                       session_cookie="digest_session", max_age=8 * 3600, same_site="lax",
                       https_only=https),
        ],
        exception_handlers=dict(handlers),
    )
