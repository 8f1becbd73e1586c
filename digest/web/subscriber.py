"""A subscriber's own pages, reached from their digest's links: one-click unsubscribe and
preferences."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from digest import i18n
from digest.domain import WEEKDAYS, Subscriber
from digest.i18n import gettext as _
from digest.languages import DETECTED, language_name
from digest.web.forms import RANKS, EraseForm, PreferencesForm, topic_list
from digest.web.security import with_subscriber
from digest.web.site import Site

__all__ = ["erase", "my_data", "preferences", "unsubscribe"]

log = logging.getLogger("digest.web")


@with_subscriber
async def unsubscribe(site: Site, request: Request, found: Subscriber, token: str) -> Response:
    """``/unsubscribe/<token>``: a GET (a person, or a link scanner) shows a confirm button and
    changes nothing; a POST of ``List-Unsubscribe=One-Click`` (RFC 8058) unsubscribes."""
    with i18n.speaking(reader_language(found)):
        return await _unsubscribe(site, request, found, token)


async def _unsubscribe(site: Site, request: Request, found: Subscriber, token: str) -> Response:
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

def reader_language(subscriber: Subscriber | None) -> str:
    """The language a reader's pages are written in: their first, else English."""
    return subscriber.languages[0].lower()[:2] if subscriber and subscriber.languages else "en"


def _form(site: Site, request: Request, formdata: FormData | None,
          row: Subscriber) -> PreferencesForm:
    """The preferences form, labels and choices in the reader's language (call it inside
    ``i18n.speaking``)."""
    chosen = list(row.languages)[:len(RANKS)]
    form = PreferencesForm(
        formdata, meta=site.form_meta(request),
        data=None if formdata is not None else {
            "active": row.active, "topics": ", ".join(row.topics or ()),
            "sources": list(row.sources or ()),
            **{rank: chosen[i] if i < len(chosen) else "" for i, rank in enumerate(RANKS)},
            "frequency": row.chosen_frequency or "", "weekday": row.chosen_weekday or "",
            "send_at": row.chosen_send_at, "timezone": row.chosen_timezone or "",
        })
    lang = i18n.language()
    usual = site.config.digest
    for field, label, description in (
            (form.active, "Send me the digest", None),
            (form.topics, "Topics", "Only stories that mention one of these words, separated by "
                                    "commas. Leave empty for every story."),
            (form.sources, "Sources", "Only stories reported by one of these. Tick none for all "
                                      "sources."),
            (form.frequency, "How often", "Once a week: the week's most important stories."),
            (form.weekday, "Day of the week", "For a weekly digest."),
            (form.send_at, "Send at", None), (form.timezone, "Time zone", "Where you read the digest.")):
        field.label.text = _(label)
        if description:
            field.description = _(description)
    form.send_at.description = _("Local time of day, e.g. 07:00. Empty: the usual time "
                                 "(%(time)s).") % {"time": usual.send_at.strftime("%H:%M")}
    form.sources.choices = [(s.name, s.display_name) for s in site.config.sources]
    names = sorted(((code, language_name(code, lang)) for code in DETECTED),
                   key=lambda pair: (pair[0] != lang, pair[1].casefold()))
    for rank, label in zip(RANKS, ("First choice", "Second choice", "Third choice",
                                   "Fourth choice"), strict=True):
        form[rank].label.text = _(label)
        form[rank].choices = [("", _("None")), *names]
    frequencies = {"daily": _("Every day"), "weekly": _("Once a week")}
    form.frequency.choices = [("", _("The digest's default (%(choice)s)")
                               % {"choice": frequencies[usual.frequency]}), *frequencies.items()]
    days = _weekday_names(lang)
    form.weekday.choices = [("", _("The digest's default (%(choice)s)")
                             % {"choice": days[usual.weekday]}), *days.items()]
    form.timezone.choices = [("", _("Default (%(zone)s)") % {"zone": site.config.timezone}),
                             *((z, z.replace("_", " ")) for z in site.zones)]
    return form


def _weekday_names(lang: str) -> dict[str, str]:
    """monday … sunday -> the day's name in ``lang`` (CLDR's)."""
    from babel.dates import get_day_names

    try:
        names = get_day_names("wide", locale=lang)
    except ValueError:
        names = get_day_names("wide", locale="en")
    return {day: str(names[i]).capitalize() for i, day in enumerate(WEEKDAYS)}

@with_subscriber
async def preferences(site: Site, request: Request, found: Subscriber, token: str) -> Response:
    """``/preferences/<token>``: topics, sources, languages (in the reader's order), send
    time and zone; the page in the reader's first language."""
    with i18n.speaking(reader_language(found)):
        return await _preferences(site, request, found, token)


async def _preferences(site: Site, request: Request, found: Subscriber, token: str) -> Response:
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
        languages=form.chosen_languages(), frequency=form.frequency.data or None,
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
    with i18n.speaking(reader_language(found)):
        return await _erase(site, request, found)


async def _erase(site: Site, request: Request, found: Subscriber) -> Response:
    form = EraseForm(await request.form(), meta=site.form_meta(request))
    if not form.validate():
        return site.page("preferences.html", request, 400, form=_form(site, request, None, found),
                         subscriber=found, saved=False, erase=form,
                         default_send_at=site.config.digest.send_at.strftime("%H:%M"))
    await run_in_threadpool(site.store.delete_subscriber, found.id)
    log.info("subscriber %s erased on the web", found.id)
    return site.page("erased.html", request, email=found.email)
