"""The admin pages, behind a login whose user name and password come from the environment
(``web.admin_user_env`` / ``web.admin_password_env``): closed when they are unset, throttled
(digest/login.py), sessions ended on the server at logout."""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from digest.login import credentials_fingerprint
from digest.text import plural
from digest.web.forms import LoginForm, SiteForm
from digest.web.site import Site

__all__ = ["admin", "login", "logout"]

log = logging.getLogger("digest.web")

LOGIN_FAILURE_DELAY = 1.0  # seconds before answering a wrong password


def _locked_out(site: Site, request: Request, wait: float) -> Response:
    minutes = max(1, round(wait / 60))
    response = site.problem(request, 429, "Too many failed logins",
                            "Logins are refused for now; try again in about "
                            f"{plural(minutes, 'minute')}.")
    response.headers["Retry-After"] = str(int(wait) + 1)
    return response

async def login(site: Site, request: Request) -> Response:
    expected = site.admin_login()
    if expected is None:
        return site.problem(request, 503, "Admin pages are closed",
                            f"Set {site.config.web.admin_user_env} and "
                            f"{site.config.web.admin_password_env} where `digest serve` runs.")
    meta = {"csrf_secret": site.csrf_secret, "csrf_context": request.session}
    if request.method == "GET":
        return site.page("login.html", request, form=LoginForm(meta=meta), failed=False)
    form = LoginForm(await request.form(), meta=meta)
    if not form.validate():
        return site.page("login.html", request, 400, form=form, failed=False)
    client = request.client.host if request.client else "?"
    # no await between this check and counting a failure: parallel attempts see each other
    wait = site.throttle.retry_after(client)
    if wait > 0:
        log.warning("admin login from %s refused: too many failed logins", client)
        return _locked_out(site, request, wait)
    given = (form.username.data or "", form.password.data or "")
    if not all(hmac.compare_digest(a.encode(), b.encode()) for a, b in zip(given, expected, strict=True)):
        site.throttle.failed(client)
        log.warning("admin login refused for %r from %s", given[0][:64], client)
        await asyncio.sleep(LOGIN_FAILURE_DELAY)
        return site.page("login.html", request, 401, form=form, failed=True)
    site.throttle.trust(client)
    request.session.clear()  # a fresh session (and CSRF secret) for the admin
    request.session["admin"] = given[0]
    request.session["admin_login"] = credentials_fingerprint(site.key, *expected)
    request.session["admin_since"] = int(time.time())
    request.session["admin_session"] = await run_in_threadpool(site.store.start_admin_session,
                                                               given[0])
    return RedirectResponse("/admin/", status_code=303)

async def logout(site: Site, request: Request) -> Response:
    form = SiteForm(await request.form(), meta=site.form_meta(request))
    if form.validate():
        ended = request.session.get("admin_session")
        if ended:  # a copy of the cookie is worth nothing from now on
            await run_in_threadpool(site.store.end_admin_session, str(ended))
        request.session.clear()
    return RedirectResponse("/admin/login", status_code=303)

def admin(site: Site, request: Request) -> Response:
    if not site.is_admin(request):
        return RedirectResponse("/admin/login", status_code=303)
    from digest.status import collect

    status = collect(site.config, site.store, datetime.now(UTC), runs=20)
    logout = SiteForm(meta=site.form_meta(request))
    return site.page("admin.html", request, status=status, logout=logout)
