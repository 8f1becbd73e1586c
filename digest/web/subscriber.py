"""A subscriber's own pages, reached from their digest's links: one-click unsubscribe and
preferences."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from digest.domain import WEEKDAYS, Subscriber
from digest.web.forms import LANGUAGES, EraseForm, PreferencesForm, topic_list
from digest.web.security import with_subscriber
from digest.web.site import Site

__all__ = ["erase", "my_data", "preferences", "unsubscribe"]

log = logging.getLogger("digest.web")


@with_subscriber
async def unsubscribe(site: Site, request: Request, found: Subscriber, token: str) -> Response:
    """``/unsubscribe/<token>``: a GET (a person, or a link scanner) shows a confirm button and
    changes nothing; a POST of ``List-Unsubscribe=One-Click`` (RFC 8058) unsubscribes."""
    if request.method == "GET":
        return site.page("unsubscribe.html", request, subscriber=found, token=token, done=False)
    form = await request.form()
    if form.get("List-Unsubscribe") != "One-Click":
        return site.problem(request, 400, "Nothing was changed",
                            "The request did not say List-Unsubscribe=One-Click.")
    if await run_in_threadpool(site.store.unsubscribe, found.id):
        log.info("subscriber %s unsubscribed on the web", found.id)
    return site.page("unsubscribe.html", request, subscriber=found, token=token, done=True)

# preferences

def _form(site: Site, request: Request, formdata: FormData | None,
                     row: Subscriber) -> PreferencesForm:
    form = PreferencesForm(
        formdata, meta=site.form_meta(request),
        data=None if formdata is not None else {
            "active": row.active, "topics": ", ".join(row.topics or ()),
            "sources": list(row.sources or ()), "languages": list(row.languages),
            "frequency": row.chosen_frequency or "", "weekday": row.chosen_weekday or "",
            "send_at": row.chosen_send_at, "timezone": row.chosen_timezone or "",
        })
    form.sources.choices = [(s.name, s.display_name) for s in site.config.sources]
    form.languages.choices = [(code, LANGUAGES.get(code, code)) for code in
                              sorted({*LANGUAGES, *row.languages}, key=lambda c: LANGUAGES.get(c, c))]
    usual = site.config.digest
    form.frequency.choices = [("", f"The digest's default ({_FREQUENCY[usual.frequency].lower()})"),
                              *_FREQUENCY.items()]
    form.weekday.choices = [("", f"The digest's default ({usual.weekday.capitalize()})"),
                            *((day, day.capitalize()) for day in WEEKDAYS)]
    form.timezone.choices = [("", f"Default ({site.config.timezone})"),
                             *((z, z.replace("_", " ")) for z in site.zones)]
    return form

_FREQUENCY = {"daily": "Every day", "weekly": "Once a week"}


@with_subscriber
async def preferences(site: Site, request: Request, found: Subscriber, token: str) -> Response:
    """``/preferences/<token>``: topics, sources, languages, send time and zone."""
    if request.method == "GET":
        form = _form(site, request, None, found)
        return site.page("preferences.html", request, form=form, subscriber=found,
                         saved=request.query_params.get("saved") == "1",
                         erase=EraseForm(meta=site.form_meta(request)),
                         default_send_at=site.config.digest.send_at.strftime("%H:%M"))
    form = _form(site, request, await request.form(), found)
    if not form.validate():
        return site.page("preferences.html", request, 400, form=form, subscriber=found,
                         saved=False, erase=EraseForm(meta=site.form_meta(request)),
                         default_send_at=site.config.digest.send_at.strftime("%H:%M"))
    await run_in_threadpool(_save, site, found, form)
    return RedirectResponse(f"/preferences/{token}?saved=1", status_code=303)

def _save(site: Site, found: Subscriber, form: PreferencesForm) -> None:
    site.store.set_preferences(
        found.id, topics=topic_list(form.topics.data), sources=list(form.sources.data or ()),
        languages=list(form.languages.data or ()), frequency=form.frequency.data or None,
        weekday=form.weekday.data or None,
        send_at=form.send_at.data,
        timezone=form.timezone.data or None)
    if form.active.data and not found.active:
        site.store.resubscribe(found.id)
    elif not form.active.data and found.active:
        site.store.unsubscribe(found.id)


# the reader's data: what is kept about them, and its erasure

@with_subscriber
async def my_data(site: Site, request: Request, found: Subscriber, token: str) -> Response:
    """``/preferences/<token>/data``: everything kept about the reader, as a JSON download."""
    record = await run_in_threadpool(site.store.subscriber_record, found.id)
    return JSONResponse(record, headers={
        "Content-Disposition": 'attachment; filename="my-digest-data.json"',
        "Cache-Control": "no-store"})


@with_subscriber
async def erase(site: Site, request: Request, found: Subscriber, token: str) -> Response:
    """``/preferences/<token>/erase`` (POST, with the form's CSRF token and the box ticked):
    erase the reader's address, choices, deliveries and bounces."""
    form = EraseForm(await request.form(), meta=site.form_meta(request))
    if not form.validate():
        return site.page("preferences.html", request, 400, form=_form(site, request, None, found),
                         subscriber=found, saved=False, erase=form,
                         default_send_at=site.config.digest.send_at.strftime("%H:%M"))
    await run_in_threadpool(site.store.delete_subscriber, found.id)
    log.info("subscriber %s erased on the web", found.id)
    return site.page("erased.html", request, email=found.email)
