"""``digest serve``: the web pages behind the links in every digest.

- ``/digests/`` and ``/digests/<date>``: the archive; with ``?t=<token>`` a subscriber sees the
  stories they were sent, in their time zone ("view in browser").
- ``/unsubscribe/<token>``: a GET shows a confirm button, a POST of
  ``List-Unsubscribe=One-Click`` (RFC 8058, sent by mail providers with no cookie) unsubscribes.
- ``/preferences/<token>``: topics, sources, send time and zone, with WTForms validation and a
  CSRF token tied to a signed session cookie.
- ``/admin/``: source health, runs and deliveries behind a login whose user name and password
  come from environment variables (``web.admin_user_env`` / ``web.admin_password_env``).

Starlette on uvicorn; pages are Jinja2 templates (``templates/web/``) sharing the mail's story
markup and style, need no JavaScript, and send headers that keep tokens out of Referer headers
and caches. Store calls never run on the event loop: pages that only read are plain functions,
which Starlette runs in its thread pool, and the others hand their store calls to it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import available_timezones

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from wtforms import (
    BooleanField,
    Form,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
    ValidationError,
)
from wtforms.csrf.session import SessionCSRF
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from digest.config import Config
from digest.domain import WEEKDAYS, Story, Subscriber
from digest.errors import DigestError, TokenExpired
from digest.login import LoginThrottle, credentials_fingerprint
from digest.mail import MailParts
from digest.render import LANGUAGE_NAMES, Renderer, local_time, long_date
from digest.store import SearchHit, Store
from digest.tokens import make_token, read_token, signing_key, token_day

__all__ = ["create_app"]

log = logging.getLogger(__name__)

ARCHIVE_PAGE = 60  # editions listed per page
FEED_DAYS = 7  # a feed holds the stories updated in this many days ...
FEED_ITEMS = 50  # ... at most this many, newest first
SEARCH_RESULTS = 50  # matching articles read for one search
CONFIRM_DAYS = 7  # how long a sign-up's confirmation link works
LOGIN_FAILURE_DELAY = 1.0  # seconds before answering a wrong password

_HEADERS = {
    # tokens live in URLs: never hand them to the sites a story links to, never cache them
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
}


class _SecurityHeaders:
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


class _Errors:
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


# --- forms -----------------------------------------------------------------------------------------

class _CSRF(SessionCSRF):
    """WTForms' session CSRF, answering a form posted without our session cookie (another site,
    an expired session) with a validation error instead of a KeyError."""

    def validate_csrf_token(self, form: Form, field: Any) -> None:
        if "csrf" not in self.session:
            raise ValidationError("This form has expired or came from another site.")
        super().validate_csrf_token(form, field)


class _Form(Form):
    class Meta:
        csrf = True
        csrf_class = _CSRF
        csrf_time_limit = timedelta(hours=2)


def _topic_list(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _check_topics(form: Form, field: StringField) -> None:
    topics = _topic_list(field.data)
    if len(topics) > 20:
        raise ValidationError("At most 20 topics.")
    if any(len(t) > 60 for t in topics):
        raise ValidationError("A topic is at most 60 characters.")


# the languages a subscriber can pick: those the ministries and outlets we know of write in
LANGUAGES = {code: LANGUAGE_NAMES[code] for code in ("ar", "de", "en", "es", "fr", "ja", "ru", "zh")}


class PreferencesForm(_Form):
    active = BooleanField("Send me the digest")
    topics = StringField(
        "Topics", validators=[_check_topics],
        description="Only stories that mention one of these words, separated by commas. "
                    "Leave empty for every story.")
    sources = SelectMultipleField(
        "Sources", widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        description="Only stories reported by one of these. Tick none for all sources.")
    languages = SelectMultipleField(
        "Languages", widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        description="Only stories reported in one of these; a story reported in several "
                    "languages is written in English when it can be. Tick none for all.")
    frequency = SelectField("How often", default="",
                            description="Once a week: the week's most important stories.")
    weekday = SelectField("Day of the week", default="", description="For a weekly digest.")
    send_at = TimeField("Send at", format="%H:%M", validators=[Optional()],
                        description="Local time of day, e.g. 07:00. Empty: the usual time.")
    timezone = SelectField("Time zone", description="Where you read the digest.")


def _check_address(form: Form, field: StringField) -> None:
    from pydantic import ValidationError as Invalid

    from digest.config import SubscriberConfig

    try:
        field.data = SubscriberConfig.model_validate({"email": (field.data or "").strip()}).email
    except Invalid:
        raise ValidationError("That is not an e-mail address we can send to.") from None


class SignupForm(_Form):
    email = StringField("E-mail address", validators=[InputRequired(), _check_address],
                        description="We send a link to confirm it before any digest.")
    name = StringField("Name (optional)", validators=[Optional()],
                       description="How the digest greets you.")


class LoginForm(_Form):
    username = StringField("User name", validators=[InputRequired()])
    password = PasswordField("Password", validators=[InputRequired()])


# --- the app ---------------------------------------------------------------------------------------

class _Site:
    """The pages, with the config, store and templates they share."""

    def __init__(self, config: Config, store: Store, renderer: Renderer) -> None:
        self.config, self.store, self.renderer = config, store, renderer
        self.key = signing_key(store)
        self.csrf_secret = hmac.new(self.key, b"web csrf", hashlib.sha256).digest()
        self.zones = sorted(available_timezones())
        web = config.web
        self.throttle = LoginThrottle(per_client=web.login_failures_per_client,
                                      total=web.login_failures_total,
                                      window=web.login_lockout_minutes * 60)
        self.signups = LoginThrottle(per_client=web.signups_per_client, total=web.signups_total,
                                     window=3600.0)

    # helpers

    def page(self, template: str, request: Request, code: int = 200, **context: Any) -> HTMLResponse:
        html = self.renderer.env.get_template(f"web/{template}").render(
            title=self.config.digest.title, request=request,
            admin=request.session.get("admin") if self.is_admin(request) else None,
            **context)
        return HTMLResponse(html, status_code=code)

    def problem(self, request: Request, status: int, heading: str, message: str) -> HTMLResponse:
        return self.page("problem.html", request, status, heading=heading, message=message)

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
            return self.problem(request, 410, "This link has expired",
                                "Links in a digest work for "
                                f"{self.config.web.link_days} days. Use the link in a recent "
                                "digest, or reply to one with the word “unsubscribe”.")
        row = found[0] if sid is not None and found else None
        if row is None:
            return self.problem(request, 403, "This link is not valid",
                                "It may have been copied incompletely. Use the link in your "
                                "latest digest.")
        return row

    # archive

    def archive(self, request: Request) -> Response:
        before = _day(request.query_params.get("before"))
        editions = self.store.editions(limit=ARCHIVE_PAGE + 1, before=before)
        older = editions[ARCHIVE_PAGE][0] if len(editions) > ARCHIVE_PAGE else None
        return self.page("archive.html", request, editions=[
            {"day": day, "label": long_date(day), "count": count, "top": top}
            for day, count, top in editions[:ARCHIVE_PAGE]], older=older)

    def edition(self, request: Request) -> Response:
        day = _day(request.path_params["day"])
        stories = self.store.edition(day) if day else None
        if day is None or stories is None:
            return self.problem(request, 404, "No digest for this date",
                                "The archive has an edition for each day a digest was sent.")
        token = request.query_params.get("t")
        subscriber = None
        zone = self.config.timezone
        notice = None
        more: list[Story] = []
        if token is not None:
            found = self.subscriber_for(request, token)
            if isinstance(found, Response):
                return found
            subscriber, zone = found, found.timezone
            sent = self.store.delivered_stories(found.id, day)
            if sent is None:
                notice = "You were not sent a digest on this day: this is the full edition."
            else:
                by_id = {s.id: s for s in stories}
                stories = [by_id[i] for i in sent if i in by_id]
            stories = [s.in_language(found.languages) for s in stories]  # as in their mail
        if subscriber is None or notice:
            stories, more = stories[:self.config.digest.max_stories], stories[self.config.digest.max_stories:]
        return self.page(
            "edition.html", request, day=day, day_label=long_date(day), subscriber=subscriber,
            notice=notice, stories=self.renderer.story_items(stories, zone, story_url="/stories/"),
            more=more, zone=zone, token=token)

    # feeds

    def feed_atom(self, request: Request) -> Response:
        return self.feed(request, "atom")

    def feed_json(self, request: Request) -> Response:
        return self.feed(request, "json")

    def feed(self, request: Request, kind: str) -> Response:
        """The latest stories as Atom 1.0 (``/feed.atom``) or JSON Feed 1.1 (``/feed.json``);
        with a subscriber's token (``?t=``), only the stories their filters keep, in their
        language."""
        from digest.edition import Editions
        from digest.feeds import Feed, atom, json_feed

        base = (self.config.web.base_url or str(request.base_url)).rstrip("/")
        stories = self.store.stories_updated_since(datetime.now(UTC) - timedelta(days=FEED_DAYS))
        token, zone = request.query_params.get("t"), self.config.timezone
        if token is not None:
            found = self.subscriber_for(request, token)
            if isinstance(found, Response):
                return found
            stories, zone = Editions(self.config, self.store).matching(found, stories), found.timezone
        stories = sorted(stories, key=lambda s: (s.updated, s.id), reverse=True)[:FEED_ITEMS]
        feed = Feed(title=self.config.digest.title, home_url=f"{base}/digests/",
                    feed_url=f"{base}/feed.{kind}" + (f"?t={token}" if token else ""),
                    story_url=f"{base}/stories/", stories=stories)
        if kind == "atom":
            return Response(atom(feed, self.renderer, zone), media_type="application/atom+xml")
        return Response(json.dumps(json_feed(feed, self.renderer, zone), ensure_ascii=False),
                        media_type="application/feed+json")

    # search

    def search(self, request: Request) -> Response:
        """``/search?q=``: the stories whose articles match every word, best first (one entry
        per story, its best article), then matching articles that are in no story."""
        query = " ".join(request.query_params.get("q", "").split())[:200]
        hits = self.store.search(query, limit=SEARCH_RESULTS) if query else []
        best: dict[str, SearchHit] = {}  # a story's best matching article
        for hit in hits:
            if hit.story_id:
                best.setdefault(hit.story_id, hit)
        stories, articles = list(best.values()), [h for h in hits if not h.story_id]
        return self.page("search.html", request, query=query, stories=stories, articles=articles)

    # stories

    def story(self, request: Request) -> Response:
        """A story as the mail shows it, then its timeline: every source and statement by
        time, official ones marked, and the opinions on it. With a subscriber's token, in
        their zone and language."""
        story_id = request.path_params["story_id"]
        story = self.store.story(story_id) or self.store.archived_story(story_id)
        if story is None:
            return self.problem(request, 404, "No such story",
                                "Stories are kept while they are in the news and in the archive.")
        zone, token = self.config.timezone, request.query_params.get("t")
        if token is not None:
            found = self.subscriber_for(request, token)
            if isinstance(found, Response):
                return found
            zone, story = found.timezone, story.in_language(found.languages)
        [item] = self.renderer.story_items([story], zone)
        timeline = [{"when": local_time(s.published, zone), "source": s}
                    for s in sorted(story.sources, key=lambda s: (s.published, s.article_id, s.segment))]
        return self.page("story.html", request, story=story, item=item, timeline=timeline,
                         zone=zone, token=token)

    # unsubscribe

    async def unsubscribe(self, request: Request) -> Response:
        token = request.path_params["token"]
        found = await run_in_threadpool(self.subscriber_for, request, token)
        if isinstance(found, Response):
            return found
        if request.method == "GET":
            return self.page("unsubscribe.html", request, subscriber=found, token=token, done=False)
        form = await request.form()
        if form.get("List-Unsubscribe") != "One-Click":
            return self.problem(request, 400, "Nothing was changed",
                                "The request did not say List-Unsubscribe=One-Click.")
        if await run_in_threadpool(self.store.unsubscribe, found.id):
            log.info("subscriber %s unsubscribed on the web", found.id)
        return self.page("unsubscribe.html", request, subscriber=found, token=token, done=True)

    # preferences

    def preferences_form(self, request: Request, formdata: FormData | None,
                         row: Subscriber) -> PreferencesForm:
        form = PreferencesForm(
            formdata, meta={"csrf_secret": self.csrf_secret, "csrf_context": request.session},
            data=None if formdata is not None else {
                "active": row.active, "topics": ", ".join(row.topics or ()),
                "sources": list(row.sources or ()), "languages": list(row.languages),
                "frequency": row.chosen_frequency or "", "weekday": row.chosen_weekday or "",
                "send_at": row.chosen_send_at, "timezone": row.chosen_timezone or "",
            })
        form.sources.choices = [(s.name, s.display_name) for s in self.config.sources]
        form.languages.choices = [(code, LANGUAGES.get(code, code)) for code in
                                  sorted({*LANGUAGES, *row.languages}, key=lambda c: LANGUAGES.get(c, c))]
        form.frequency.choices = [("", "The usual"), ("daily", "Every day"), ("weekly", "Once a week")]
        form.weekday.choices = [("", "The usual"), *((day, day.capitalize()) for day in WEEKDAYS)]
        form.timezone.choices = [("", f"Default ({self.config.timezone})"),
                                 *((z, z.replace("_", " ")) for z in self.zones)]
        return form

    async def preferences(self, request: Request) -> Response:
        token = request.path_params["token"]
        found = await run_in_threadpool(self.subscriber_for, request, token)
        if isinstance(found, Response):
            return found
        if request.method == "GET":
            form = self.preferences_form(request, None, found)
            return self.page("preferences.html", request, form=form, subscriber=found,
                             saved=request.query_params.get("saved") == "1",
                             default_send_at=self.config.digest.send_at.strftime("%H:%M"))
        form = self.preferences_form(request, await request.form(), found)
        if not form.validate():
            return self.page("preferences.html", request, 400, form=form, subscriber=found,
                             saved=False, default_send_at=self.config.digest.send_at.strftime("%H:%M"))
        await run_in_threadpool(self.save_preferences, found, form)
        return RedirectResponse(f"/preferences/{token}?saved=1", status_code=303)

    def save_preferences(self, found: Subscriber, form: PreferencesForm) -> None:
        self.store.set_preferences(
            found.id, topics=_topic_list(form.topics.data), sources=list(form.sources.data or ()),
            languages=list(form.languages.data or ()), frequency=form.frequency.data or None,
            weekday=form.weekday.data or None,
            send_at=form.send_at.data.strftime("%H:%M") if form.send_at.data else None,
            timezone=form.timezone.data or None)
        if form.active.data and not found.active:
            self.store.resubscribe(found.id)
        elif not form.active.data and found.active:
            self.store.unsubscribe(found.id)

    # sign-up (web.signup: true)

    async def signup(self, request: Request) -> Response:
        """A public sign-up with double opt-in: the address gets a mail with a signed link and
        no digest until it is followed. Each attempt counts towards the limits (per client and
        overall) before its body is read; an address gets one confirmation mail a day at most.
        The answer is the same, and as fast, whether the address was new, pending or
        subscribed already: the mail goes out after the answer."""
        if not self.config.web.signup:
            return self.problem(request, 404, "Page not found", "Sign-up is not open here.")
        meta = {"csrf_secret": self.csrf_secret, "csrf_context": request.session}
        if request.method == "GET":
            return self.page("signup.html", request, form=SignupForm(meta=meta), sent=None)
        client = request.client.host if request.client else "?"
        # no await between the check and the count: a client holding its bodies back is counted
        wait = self.signups.retry_after(client)
        if wait:
            response = self.problem(request, 429, "Too many sign-ups",
                                    "Please try again in an hour or so.")
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        self.signups.failed(client)
        form = SignupForm(await request.form(), meta=meta)
        if not form.validate():
            return self.page("signup.html", request, 400, form=form, sent=None)
        name = " ".join((form.name.data or "").split())[:200] or None
        found, mail = await run_in_threadpool(self.store.sign_up, form.email.data, name)
        response = self.page("signup.html", request, form=None, sent=found.email)
        if mail:
            response.background = BackgroundTask(self.send_confirmation, found)
        return response

    def send_confirmation(self, subscriber: Subscriber) -> None:
        """The sign-up's confirmation mail (after the answer went out); a failure is logged."""
        from digest.mail import send_one

        token = make_token(self.key, subscriber.id, subscriber.email, "confirm")
        base = (self.config.web.base_url or "").rstrip("/")
        context = {"title": self.config.digest.title, "email": subscriber.email,
                   "url": f"{base}/signup/confirm/{token}", "days": CONFIRM_DAYS}
        env = self.renderer.env
        parts = MailParts(
            sender_name=self.config.mail.sender.name, sender_address=self.config.mail.sender.email,
            to_name=None, to_address=subscriber.email,
            subject=f"Confirm your subscription to {self.config.digest.title}",
            text=env.get_template("confirm.txt").render(context),
            html=env.get_template("confirm.html").render(context),
            list_id=self.config.digest.title)
        try:
            send_one(self.config, parts)
        except DigestError as e:
            log.error("confirmation mail to subscriber %s not sent: %s", subscriber.id, e)

    async def confirm(self, request: Request) -> Response:
        """The link in the confirmation mail: a GET (the reader, or a mail scanner fetching the
        link) shows a button and changes nothing; its POST confirms."""
        if not self.config.web.signup:
            return self.problem(request, 404, "Page not found", "Sign-up is not open here.")
        token = request.path_params["token"]
        found = await run_in_threadpool(self.confirming, token)
        if len(found) == 3:
            return self.problem(request, *found)
        subscriber, issued = found
        if request.method == "GET":
            return self.page("signup.html", request, form=None, sent=None, confirm=subscriber.email)
        confirmed = await run_in_threadpool(self.store.confirm, subscriber.id, issued=issued)
        if not confirmed and not subscriber.active:
            return self.problem(request, 410, "This sign-up was cancelled",
                                "The address unsubscribed since: sign up again to get the digest.")
        if confirmed:
            log.info("subscriber %s confirmed their sign-up", subscriber.id)
        return self.page("signup.html", request, form=None, sent=None, confirmed=subscriber.email,
                         token=make_token(self.key, subscriber.id, subscriber.email))

    def confirming(self, token: str) -> tuple[Subscriber, date] | tuple[int, str, str]:
        """The subscriber a confirmation token names and the day it was issued, or the
        problem (status, heading, message)."""
        def email_of(subscriber_id: int) -> str | None:
            found = self.store.subscriber_by_id(subscriber_id)
            return found.email if found else None

        try:
            subscriber_id = read_token(self.key, token, email_of, purpose="confirm",
                                       max_age_days=CONFIRM_DAYS)
        except TokenExpired:
            return (410, "This link has expired",
                    f"Confirmation links work for {CONFIRM_DAYS} days: sign up again.")
        found = self.store.subscriber_by_id(subscriber_id) if subscriber_id is not None else None
        if found is None:
            return 403, "This link is not valid", "It may have been copied incompletely."
        return found, token_day(token)

    # admin

    def admin_login(self) -> tuple[str, str] | None:
        user = os.environ.get(self.config.web.admin_user_env)
        password = os.environ.get(self.config.web.admin_password_env)
        return (user, password) if user and password else None

    def _locked_out(self, request: Request, wait: float) -> Response:
        minutes = max(1, round(wait / 60))
        response = self.problem(request, 429, "Too many failed logins",
                                f"Logins are refused for now; try again in about {minutes} "
                                f"minute{'s' if minutes != 1 else ''}.")
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response

    async def login(self, request: Request) -> Response:
        expected = self.admin_login()
        if expected is None:
            return self.problem(request, 503, "Admin pages are closed",
                                f"Set {self.config.web.admin_user_env} and "
                                f"{self.config.web.admin_password_env} where `digest serve` runs.")
        meta = {"csrf_secret": self.csrf_secret, "csrf_context": request.session}
        if request.method == "GET":
            return self.page("login.html", request, form=LoginForm(meta=meta), failed=False)
        form = LoginForm(await request.form(), meta=meta)
        if not form.validate():
            return self.page("login.html", request, 400, form=form, failed=False)
        client = request.client.host if request.client else "?"
        # no await between this check and counting a failure: parallel attempts see each other
        wait = self.throttle.retry_after(client)
        if wait > 0:
            log.warning("admin login from %s refused: too many failed logins", client)
            return self._locked_out(request, wait)
        given = (form.username.data or "", form.password.data or "")
        if not all(hmac.compare_digest(a.encode(), b.encode()) for a, b in zip(given, expected, strict=True)):
            self.throttle.failed(client)
            log.warning("admin login refused for %r from %s", given[0][:64], client)
            await asyncio.sleep(LOGIN_FAILURE_DELAY)
            return self.page("login.html", request, 401, form=form, failed=True)
        self.throttle.trust(client)
        request.session.clear()  # a fresh session (and CSRF secret) for the admin
        request.session["admin"] = given[0]
        request.session["admin_login"] = credentials_fingerprint(self.key, *expected)
        request.session["admin_since"] = int(time.time())
        request.session["admin_session"] = await run_in_threadpool(self.store.start_admin_session,
                                                                   given[0])
        return RedirectResponse("/admin/", status_code=303)

    def is_admin(self, request: Request) -> bool:
        """A session logged in with the current credentials, less than
        ``web.admin_session_hours`` ago; any other admin session is ended here."""
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

    async def logout(self, request: Request) -> Response:
        form = _Form(await request.form(), meta={"csrf_secret": self.csrf_secret,
                                                 "csrf_context": request.session})
        if form.validate():
            ended = request.session.get("admin_session")
            if ended:  # a copy of the cookie is worth nothing from now on
                await run_in_threadpool(self.store.end_admin_session, str(ended))
            request.session.clear()
        return RedirectResponse("/admin/login", status_code=303)

    def admin(self, request: Request) -> Response:
        if not self.is_admin(request):
            return RedirectResponse("/admin/login", status_code=303)
        from digest.status import collect

        status = collect(self.config, self.store, datetime.now(UTC), runs=20)
        logout = _Form(meta={"csrf_secret": self.csrf_secret, "csrf_context": request.session})
        return self.page("admin.html", request, status=status, logout=logout)

    def home(self, request: Request) -> Response:
        return RedirectResponse("/digests/", status_code=303)

    def health(self, request: Request) -> Response:
        return PlainTextResponse("ok\n")


def _day(value: str | None) -> date | None:
    if not value or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def create_app(config: Config, store: Store, renderer: Renderer | None = None) -> Starlette:
    """The ASGI app ``digest serve`` runs (and the tests call)."""
    site = _Site(config, store, renderer or Renderer())

    async def not_found(request: Request, exc: Exception) -> Response:
        return site.problem(request, 404, "Page not found", "There is no page at this address.")

    handlers: Mapping[Any, Callable[[Request, Exception], Awaitable[Response]]] = {404: not_found}
    https = (config.web.base_url or "").startswith("https://")
    return Starlette(
        routes=[
            Route("/", site.home),
            Route("/healthz", site.health),
            Route("/digests/", site.archive),
            Route("/digests/{day}", site.edition),
            Route("/stories/{story_id}", site.story),
            Route("/search", site.search),
            Route("/feed.atom", site.feed_atom),
            Route("/feed.json", site.feed_json),
            Route("/unsubscribe/{token}", site.unsubscribe, methods=["GET", "POST"]),
            Route("/preferences/{token}", site.preferences, methods=["GET", "POST"]),
            Route("/signup", site.signup, methods=["GET", "POST"]),
            Route("/signup/confirm/{token}", site.confirm, methods=["GET", "POST"]),
            Route("/admin/", site.admin),
            Route("/admin/login", site.login, methods=["GET", "POST"]),
            Route("/admin/logout", site.logout, methods=["POST"]),
        ],
        middleware=[
            Middleware(_SecurityHeaders),
            Middleware(_Errors),
            Middleware(SessionMiddleware, secret_key=hmac.new(site.key, b"web session",
                                                              hashlib.sha256).hexdigest(),
                       session_cookie="digest_session", max_age=8 * 3600, same_site="lax",
                       https_only=https),
        ],
        exception_handlers=dict(handlers),
    )
