"""What the pages share: the config, store and templates, the signing key, the login and
sign-up throttles, and the helpers every page uses (a page, a problem page, a form's CSRF
settings, the subscriber a token names, whether the session is an admin's)."""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

from starlette.requests import Request
from starlette.responses import HTMLResponse

from digest import i18n
from digest.config import Config
from digest.domain import Subscriber
from digest.errors import TokenExpired
from digest.login import LoginThrottle, credentials_fingerprint
from digest.render import Renderer
from digest.store import Store
from digest.tokens import read_token, signing_key

__all__ = ["Site"]


class Site:
    """The pages' shared state; one per app."""

    def __init__(self, config: Config, store: Store, renderer: Renderer,
                 config_path: Path | None = None) -> None:
        self.config, self.store, self.renderer = config, store, renderer
        self.config_path = config_path  # where the admin's changes to the sources go
        self.key = signing_key(store)
        self.csrf_secret = hmac.new(self.key, b"web csrf", hashlib.sha256).digest()
        # zones a reader lives in: not tzdata's aliases for the machine's own ("localtime",
        # "Factory") or its legacy and leap-second trees
        self.zones = sorted(z for z in available_timezones() if z not in ("Factory", "localtime")
                            and not z.startswith(("posix/", "right/", "SystemV/")))
        web = config.web
        self.throttle = LoginThrottle(per_client=web.login_failures_per_client,
                                      total=web.login_failures_total,
                                      window=web.login_lockout_minutes * 60)
        self.signups = LoginThrottle(per_client=web.signups_per_client, total=web.signups_total,
                                     window=3600.0)

    def page(self, template: str, request: Request, code: int = 200, **context: Any) -> HTMLResponse:
        lang = i18n.language()  # the reader's, inside i18n.speaking; English elsewhere
        html = self.renderer.env.get_template(f"web/{template}").render(
            title=self.config.digest.title, request=request, signup=self.config.web.signup,
            lang=lang, dir=i18n.direction(lang),
            admin=request.session.get("admin") if self.is_admin(request) else None,
            **context)
        return HTMLResponse(html, status_code=code)

    def problem(self, request: Request, status: int, heading: str, message: str) -> HTMLResponse:
        return self.page("problem.html", request, status, heading=heading, message=message)

    def form_meta(self, request: Request) -> dict[str, Any]:
        """A form's CSRF settings: the site's secret, the visitor's session."""
        return {"csrf_secret": self.csrf_secret, "csrf_context": request.session}

    def subscriber_for(self, request: Request, token: str) -> Subscriber | HTMLResponse:
        """The subscriber a link's token names, or the page that says why the link fails."""
        found: list[Subscriber] = []  # the row read_token looked up, used once verified

        def email_of(subscriber_id: int) -> str | None:
            row = self.store.subscriber_by_id(subscriber_id)
            found[:] = [row] if row is not None else []
            return row.email if row is not None else None

        try:
            sid = read_token(self.key, token, email_of, max_age_days=self.config.web.link_days)
        except TokenExpired:
            return self.problem(request, 410, i18n.gettext("This link has expired"),
                                "Links in a digest work for "
                                f"{self.config.web.link_days} days. Use the link in a recent "
                                "digest, or reply to one with the word “unsubscribe”.")
        row = found[0] if sid is not None and found else None
        if row is None:
            return self.problem(request, 403, i18n.gettext("This link is not valid"),
                                "It may have been copied incompletely. Use the link in your "
                                "latest digest.")
        return row

    def admin_login(self) -> tuple[str, str] | None:
        user = os.environ.get(self.config.web.admin_user_env)
        password = os.environ.get(self.config.web.admin_password_env)
        return (user, password) if user and password else None

    def is_admin(self, request: Request) -> bool:
        """A session logged in with the current credentials, less than
        ``web.admin_session_hours`` ago and not ended since (logout ends it on the server); any
        other admin session is ended here."""
        session = request.session
        if not session.get("admin"):
            return False
        current = self.admin_login()
        since = session.get("admin_since")
        hours = self.config.web.admin_session_hours
        fresh = isinstance(since, int) and time.time() - since < hours * 3600
        if (current is not None and fresh and hmac.compare_digest(
                str(session.get("admin_login", "")), credentials_fingerprint(self.key, *current))
                and self.store.admin_session_open(str(session.get("admin_session", "")),
                                                  max_age=timedelta(hours=hours))):
            return True
        session.clear()
        return False
