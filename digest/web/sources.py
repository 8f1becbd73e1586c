"""The admin's sources pages: every source with its health; add one (paste a site: its feeds
are discovered, the source is tried live and what it yields shown, then saved), change,
disable, enable or remove one; import or export an OPML list; the record of who changed what.

Sources live in config.yaml (see :mod:`digest.config.editor` for why): each change is written
there, validated as ``check-config`` validates, recorded with the admin's name, and crawled by
the next run without a restart. When the process cannot write the file, the page says so and
offers no change.
"""

from __future__ import annotations

import getpass
import logging
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from digest.config import SourceConfig, load_config, problem
from digest.config.editor import writable
from digest.errors import ConfigError, DigestError, InputError
from digest.health import source_flag
from digest.web.forms import OpmlForm, SiteForm, SourceForm
from digest.web.site import Site

__all__ = ["discover", "edit", "export", "import_list", "save", "sources", "test", "toggle"]

log = logging.getLogger("digest.web")
MAX_UPLOAD = 5_000_000


def _admin_only(handler: Callable[..., Awaitable[Response]]
                ) -> Callable[[Site, Request], Awaitable[Response]]:
    @wraps(handler)
    async def checked(site: Site, request: Request) -> Response:
        if not await run_in_threadpool(site.is_admin, request):
            return RedirectResponse("/admin/login", status_code=303)
        return await handler(site, request)

    return checked


def _changes_allowed(site: Site, request: Request) -> Response | None:
    """None when the config file can be changed here, else the page that says why not."""
    path = site.config_path
    if path is None:
        return site.problem(request, 409, "Sources cannot be changed here",
                            "This server was started without a config file.")
    if not writable(path):
        return site.problem(request, 409, "The config file is read-only",
                            f"{path} cannot be written by this process: change the sources "
                            "where the file is kept, and the next run reads them.")
    return None


def _who(request: Request) -> str:
    return f"admin:{request.session.get('admin') or getpass.getuser()}"


def _page(site: Site, request: Request, code: int = 200, **context: Any) -> Response:
    """The sources page: the config file as it is now, with each source's health."""
    path = site.config_path
    config = load_config(path) if path is not None else site.config
    health = {row["name"]: row for row in site.store.source_health()}
    rows = []
    for source in config.sources:
        row = health.get(source.name)
        rows.append({"source": source, "articles": row["articles"] if row else 0,
                     "last_success": (row["last_success_at"] or "never")[:16] if row else "never",
                     "flag": source_flag(row) if row else "never crawled"})
    context.setdefault("form", SourceForm(meta=site.form_meta(request)))
    for key in ("message", "problems", "candidates", "trial", "original"):
        context.setdefault(key, None)
    return site.page("admin_sources.html", request, code, rows=rows,
                     writable=path is not None and writable(path), config_path=path,
                     changes=site.store.source_changes(30), action=SiteForm(meta=site.form_meta(request)),
                     opml=OpmlForm(meta=site.form_meta(request)),
                     done=request.query_params.get("done"), **context)


def _reload(site: Site) -> None:
    """The pages' own copy of the sources follows the file (preferences list them)."""
    if site.config_path is not None:
        fresh = load_config(site.config_path)
        site.config = site.config.model_copy(update={"sources": fresh.sources})


@_admin_only
async def sources(site: Site, request: Request) -> Response:
    """``/admin/sources``."""
    return await run_in_threadpool(_page, site, request)


@_admin_only
async def discover(site: Site, request: Request) -> Response:
    """Paste a site: its feeds and sitemaps, and the best one in the add form."""
    data = await request.form()
    check = SiteForm(data, meta=site.form_meta(request))
    address = str(data.get("site") or "").strip()
    if not check.validate() or not address.startswith(("http://", "https://")):
        return await run_in_threadpool(_page, site, request, 400,
                                       message="Give the site's address, starting with https://.")
    from digest.stages import discover_source
    from scraper.admin import slug_for

    agent = site.config.crawl.user_agent or "DigestBot/0.1 (source discovery)"
    try:
        found, _ = await run_in_threadpool(discover_source, address, user_agent=agent)
    except DigestError as e:
        return await run_in_threadpool(_page, site, request, 400, message=str(e))
    own = [c for c in found if c.note is None]
    form = SourceForm(meta=site.form_meta(request))
    if own:
        best = own[0]
        form.process(data={"name": slug_for(best.url), "title": best.title or "", "kind": best.kind,
                           "url": best.url})
    else:
        form.process(data={"name": slug_for(address), "kind": "listing", "url": address})
    return await run_in_threadpool(
        _page, site, request, form=form, candidates=found,
        message=None if own else "No feed or sitemap on that site: a listing page needs a "
                                 "links selector; try it before saving.")


def _source(form: SourceForm) -> tuple[SourceConfig | None, list[str]]:
    """The form as a source, or the problems with it."""
    values = {k: v for k, v in form.values().items() if v not in ("", [], None)}
    try:
        return SourceConfig.model_validate(values), []
    except ValidationError as e:
        return None, [f"{'.'.join(map(str, err['loc'])) or 'source'}: {problem(err)}"
                      for err in e.errors()]


@_admin_only
async def test(site: Site, request: Request) -> Response:
    """Try the source in the form live (nothing stored) and show what it yields."""
    form = SourceForm(await request.form(), meta=site.form_meta(request))
    if not form.validate():
        return await run_in_threadpool(_page, site, request, 400, form=form)
    source, problems = _source(form)
    if source is None:
        return await run_in_threadpool(_page, site, request, 400, form=form, problems=problems)
    from digest.stages import try_source

    config = site.config
    trial_config = config.model_copy(update={
        "sources": (*[s for s in config.sources if s.name != source.name], source)})
    try:
        trial = await run_in_threadpool(try_source, trial_config, source.name, 3)
    except DigestError as e:
        return await run_in_threadpool(_page, site, request, 502, form=form,
                                       message=f"The source could not be tried: {e}")
    return await run_in_threadpool(_page, site, request, form=form, trial=trial,
                                   original=str((await request.form()).get("original") or ""))


@_admin_only
async def save(site: Site, request: Request) -> Response:
    """Add the source in the form, or change the one it edits (``original``)."""
    refused = _changes_allowed(site, request)
    if refused is not None:
        return refused
    data = await request.form()
    form = SourceForm(data, meta=site.form_meta(request))
    original = str(data.get("original") or "")
    if not form.validate():
        return await run_in_threadpool(_page, site, request, 400, form=form, original=original)
    source, problems = _source(form)
    if source is None:
        return await run_in_threadpool(_page, site, request, 400, form=form, problems=problems,
                                       original=original)
    from digest.source_admin import add_source, change_source

    path = site.config_path
    assert path is not None
    try:
        if original:
            values = form.values()
            values.pop("name")
            await run_in_threadpool(change_source, path, original, values, who=_who(request),
                                    store=site.store)
        else:
            await run_in_threadpool(add_source, path, form.values(), who=_who(request),
                                    store=site.store)
    except (ConfigError, InputError) as e:
        reasons = e.problems if isinstance(e, ConfigError) else [str(e)]
        return await run_in_threadpool(_page, site, request, 400, form=form, problems=reasons,
                                       original=original)
    await run_in_threadpool(_reload, site)
    name = original or source.name
    log.info("source %s %s by %s", name, "changed" if original else "added", _who(request))
    return RedirectResponse(f"/admin/sources?done={'changed' if original else 'added'}+{name}",
                            status_code=303)


@_admin_only
async def edit(site: Site, request: Request) -> Response:
    """``/admin/sources/<name>``: the form filled with the source, to change it."""
    name = request.path_params["name"]
    config = load_config(site.config_path) if site.config_path else site.config
    try:
        source = config.source(name)
    except KeyError:
        return site.problem(request, 404, "No such source", f"No source is named {name!r}.")
    form = SourceForm(meta=site.form_meta(request))
    form.process(data={"name": source.name, "title": source.title or "", "kind": source.kind,
                       "url": str(source.url), "links": source.links or "",
                       "allow": " ".join(source.allow), "deny": " ".join(source.deny),
                       "language": source.language or "", "country": source.country or "",
                       "tags": ", ".join(source.tags), "official": source.official})
    return await run_in_threadpool(_page, site, request, form=form, original=name)


@_admin_only
async def toggle(site: Site, request: Request) -> Response:
    """POST ``/admin/sources/<name>/{disable,enable,remove}``."""
    refused = _changes_allowed(site, request)
    if refused is not None:
        return refused
    form = SiteForm(await request.form(), meta=site.form_meta(request))
    if not form.validate():
        return site.problem(request, 400, "Nothing was changed",
                            "This form has expired or came from another site: please try again.")
    from digest.source_admin import remove_source, set_enabled

    name, what = request.path_params["name"], request.path_params["action"]
    path = site.config_path
    assert path is not None
    try:
        if what == "remove":
            await run_in_threadpool(remove_source, path, name, who=_who(request), store=site.store)
        elif what in ("disable", "enable"):
            await run_in_threadpool(set_enabled, path, name, what == "enable", who=_who(request),
                                    store=site.store)
        else:
            return site.problem(request, 404, "Page not found", "There is no page at this address.")
    except (ConfigError, InputError) as e:
        return site.problem(request, 400, "Nothing was changed", str(e))
    await run_in_threadpool(_reload, site)
    return RedirectResponse(f"/admin/sources?done={what}d+{name}", status_code=303)


@_admin_only
async def export(site: Site, request: Request) -> Response:
    """``/admin/sources.opml``: the feed sources as OPML 2.0."""
    from digest.source_admin import export_opml

    config = load_config(site.config_path) if site.config_path else site.config
    return Response(export_opml(config), media_type="text/x-opml; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="digest-sources.opml"'})


@_admin_only
async def import_list(site: Site, request: Request) -> Response:
    """POST ``/admin/sources/import``: an uploaded OPML file's feeds become sources."""
    refused = _changes_allowed(site, request)
    if refused is not None:
        return refused
    async with request.form(max_files=1, max_fields=10) as data:
        form = OpmlForm(data, meta=site.form_meta(request))
        upload = data.get("opml")
        body = await upload.read(MAX_UPLOAD + 1) if isinstance(upload, UploadFile) else b""
    if not form.validate():
        return await run_in_threadpool(_page, site, request, 400,
                                       message="This form has expired: please upload again.")
    if not body or len(body) > MAX_UPLOAD:
        return await run_in_threadpool(_page, site, request, 400,
                                       message="Choose an OPML file of at most 5 MB.")
    from digest.source_admin import import_opml

    path: Path | None = site.config_path
    assert path is not None
    try:
        report = await run_in_threadpool(import_opml, path, body, who=_who(request),
                                         store=site.store, official=bool(form.official.data))
    except (ConfigError, InputError) as e:
        reasons = e.problems if isinstance(e, ConfigError) else [str(e)]
        return await run_in_threadpool(_page, site, request, 400, problems=reasons)
    await run_in_threadpool(_reload, site)
    return RedirectResponse(f"/admin/sources?done=imported+{len(report.added)}+feeds"
                            f"+(skipped+{len(report.skipped)})", status_code=303)
