"""The public sign-up (``web.signup: true``) with double opt-in: the address gets a mail with
a signed link, and no digest until the link's page is confirmed."""

from __future__ import annotations

import logging
from datetime import date

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from digest.domain import Subscriber
from digest.errors import DigestError, TokenExpired
from digest.mail import MailParts
from digest.tokens import make_token, read_token, token_day
from digest.web.forms import SignupForm
from digest.web.site import Site

__all__ = ["confirm", "signup"]

log = logging.getLogger("digest.web")

CONFIRM_DAYS = 7  # how long a sign-up's confirmation link works


async def signup(site: Site, request: Request) -> Response:
    """A public sign-up with double opt-in: the address gets a mail with a signed link and
    no digest until it is followed. Each attempt counts towards the limits (per client and
    overall) before its body is read; an address gets one confirmation mail a day at most.
    The answer is the same, and as fast, whether the address was new, pending or
    subscribed already: the mail goes out after the answer."""
    if not site.config.web.signup:
        return site.problem(request, 404, "Page not found", "Sign-up is not open here.")
    meta = site.form_meta(request)
    if request.method == "GET":
        return site.page("signup.html", request, form=SignupForm(meta=meta), sent=None)
    client = request.client.host if request.client else "?"
    # no await between the check and the count: a client holding its bodies back is counted
    wait = site.signups.retry_after(client)
    if wait:
        response = site.problem(request, 429, "Too many sign-ups",
                                "Please try again in an hour or so.")
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    site.signups.failed(client)
    form = SignupForm(await request.form(), meta=meta)
    if not form.validate():
        return site.page("signup.html", request, 400, form=form, sent=None)
    name = " ".join((form.name.data or "").split())[:200] or None
    found, mail = await run_in_threadpool(site.store.sign_up, form.email.data, name)
    response = site.page("signup.html", request, form=None, sent=found.email)
    if mail:
        response.background = BackgroundTask(_send_confirmation, site, found)
    return response

def _send_confirmation(site: Site, subscriber: Subscriber) -> None:
    """The sign-up's confirmation mail (after the answer went out); a failure is logged."""
    from digest.mail import send_one

    token = make_token(site.key, subscriber.id, subscriber.email, "confirm")
    base = (site.config.web.base_url or "").rstrip("/")
    context = {"title": site.config.digest.title, "email": subscriber.email,
               "url": f"{base}/signup/confirm/{token}", "days": CONFIRM_DAYS}
    env = site.renderer.env
    parts = MailParts(
        sender_name=site.config.mail.sender.name, sender_address=site.config.mail.sender.email,
        to_name=None, to_address=subscriber.email,
        subject=f"Confirm your subscription to {site.config.digest.title}",
        text=env.get_template("confirm.txt").render(context),
        html=env.get_template("confirm.html").render(context),
        list_id=site.config.digest.title)
    try:
        send_one(site.config, parts)
    except DigestError as e:
        log.error("confirmation mail to subscriber %s not sent: %s", subscriber.id, e)

async def confirm(site: Site, request: Request) -> Response:
    """The link in the confirmation mail: a GET (the reader, or a mail scanner fetching the
    link) shows a button and changes nothing; its POST confirms."""
    if not site.config.web.signup:
        return site.problem(request, 404, "Page not found", "Sign-up is not open here.")
    token = request.path_params["token"]
    found = await run_in_threadpool(_confirming, site, token)
    if len(found) == 3:
        return site.problem(request, *found)
    subscriber, issued = found
    if request.method == "GET":
        return site.page("signup.html", request, form=None, sent=None, confirm=subscriber.email)
    confirmed = await run_in_threadpool(site.store.confirm, subscriber.id, issued=issued)
    if not confirmed and not subscriber.active:
        return site.problem(request, 410, "This sign-up was cancelled",
                            "The address unsubscribed since: sign up again to get the digest.")
    if confirmed:
        log.info("subscriber %s confirmed their sign-up", subscriber.id)
    return site.page("signup.html", request, form=None, sent=None, confirmed=subscriber.email,
                     token=make_token(site.key, subscriber.id, subscriber.email))

def _confirming(site: Site, token: str) -> tuple[Subscriber, date] | tuple[int, str, str]:
    """The subscriber a confirmation token names and the day it was issued, or the
    problem (status, heading, message)."""
    def email_of(subscriber_id: int) -> str | None:
        found = site.store.subscriber_by_id(subscriber_id)
        return found.email if found else None

    try:
        subscriber_id = read_token(site.key, token, email_of, purpose="confirm",
                                   max_age_days=CONFIRM_DAYS)
    except TokenExpired:
        return (410, "This link has expired",
                f"Confirmation links work for {CONFIRM_DAYS} days: sign up again.")
    found = site.store.subscriber_by_id(subscriber_id) if subscriber_id is not None else None
    if found is None:
        return 403, "This link is not valid", "It may have been copied incompletely."
    return found, token_day(token)
