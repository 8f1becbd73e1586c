"""Render a digest: Jinja2 templates (``templates/``) -> HTML with CSS inlined, plain text and a
subject line. Called by the sender and by ``digest preview``; knows nothing of mail transport.

Autoescape is on for HTML and undefined variables are errors, so a template mistake fails loudly
and scraped text can never inject markup.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from html import escape
from pathlib import Path
from typing import Any

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from digest import i18n
from digest.domain import Story, StoryChange
from digest.i18n import gettext as _
from digest.languages import language_name
from digest.links import is_web_url
from digest.text import plural

__all__ = ["HOLES", "TOKEN", "DigestContent", "Personal", "RenderedDigest", "Renderer",
           "default_templates_dir"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def default_templates_dir() -> Path:
    """``templates/`` beside the package (a checkout) or inside it (an installed wheel)."""
    inside = Path(__file__).parent / "templates"
    return inside if inside.is_dir() else Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True, kw_only=True)
class DigestContent:
    """Everything one digest shows."""

    title: str
    day: date
    timezone: str
    stories: Sequence[Story]
    subscriber_name: str | None = None
    archive_url: str | None = None  # this digest in the web archive ("view in browser")
    unsubscribe_url: str | None = None
    preferences_url: str | None = None
    more_stories: int = 0
    source_flags: tuple[tuple[str, str], ...] = ()  # (source, what is wrong): admins only
    story_url: str | None = None  # a story's page is this followed by its id (the web app)
    # for one subscriber: each story's news since their last digests, and the stories they
    # were sent before that have none (one line each, below the rest)
    changes: Mapping[str, StoryChange] = field(default_factory=dict)
    still_developing: Sequence[Story] = ()
    weekly: bool = False  # the week's most important stories, not the day's
    # the reader's first language: a story told in another is marked "(in English)"
    reader_language: str = "en"


# Stand-ins for what differs between subscribers who get the same stories: rendered (and
# CSS-inlined) once, then replaced per subscriber. TOKEN goes inside the personal links
# (unsubscribe, preferences, the subscriber's copy in the archive), which differ only by the
# subscriber's signed token. Each is wrapped in a private-use character that the templates'
# output of anything else is stripped of (``_finalize``), so no scraped text (a canonical
# link, a title) can ever become a hole and be filled with a subscriber's token or name: only
# values the sender marks :class:`Personal` keep it. Escaping and CSS inlining leave it alone.
_MARK = "\ue000"
_NAME = f"{_MARK}name{_MARK}"
TOKEN = f"{_MARK}token{_MARK}"
HOLES = (_NAME, TOKEN)


class Personal(str):
    """A value made by the sender that may carry :data:`HOLES` (a personal link); never
    scraped text."""

    __slots__ = ()


def _finalize(value: Any) -> Any:
    """Every ``{{ … }}`` output: a hole survives only in a :class:`Personal` value."""
    if isinstance(value, str) and _MARK in value and not isinstance(value, Personal):
        return value.replace(_MARK, "")
    return value


@dataclass(frozen=True, kw_only=True)
class RenderedDigest:
    subject: str
    html: str
    text: str

    def personal_values(self, *, name: str | None,
                        token: str) -> tuple[dict[str, str], dict[str, str]]:
        """What fills the holes of a :meth:`Renderer.render_shared` digest for one subscriber:
        (values for the HTML, values for the text). ``token`` is URL-safe by construction."""
        clean = " ".join(_CONTROL.sub(" ", name or "").split())
        return ({_NAME: escape(clean), TOKEN: escape(token, quote=True)},
                {_NAME: clean, TOKEN: token})

    @property
    def html_bytes(self) -> int:
        """The HTML's size as sent (CRLF line ends), with room for a name and a link."""
        return len(self.html.encode("utf-8")) + self.html.count("\n") + 1024


@dataclass(frozen=True)
class _SourceLine:
    name: str
    url: str
    official: bool
    items: int
    asked: tuple[str, ...] = ()  # who asked the briefing questions this source answered


class Renderer:
    """Renders digests from one templates folder; build once, render many."""

    def __init__(self, templates_dir: Path | None = None) -> None:
        self.env = Environment(
            loader=FileSystemLoader(templates_dir or default_templates_dir()),
            autoescape=select_autoescape(["html"], default_for_string=True, default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_finalize,
            extensions=["jinja2.ext.i18n"],
        )
        # the reader's language (digest.i18n.speaking) is read as each message is written
        self.env.install_gettext_callables(i18n.gettext, i18n.ngettext,  # type: ignore[attr-defined]
                                           newstyle=True)
        self.env.globals.update(greeting=_greeting, change_note=_change_note,
                                text_direction=i18n.direction, current_language=i18n.language)
        self.env.filters["wrap"] = _wrap
        self.env.filters["plural"] = plural
        self.env.tests["web_url"] = is_web_url  # scraped URLs are links only when http(s)
        self._inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)

    def render(self, content: DigestContent) -> RenderedDigest:
        """One digest as given."""
        return self._render(content)

    def render_shared(self, content: DigestContent, *, named: bool) -> RenderedDigest:
        """A digest whose holes (:data:`HOLES`) are filled, with
        :meth:`~RenderedDigest.personal_values`, for each subscriber who gets the
        same stories (with a name or not); its links carry :data:`TOKEN`."""
        return self._render(replace(content, subscriber_name=Personal(_NAME) if named else None))

    def story_items(self, stories: Sequence[Story], timezone: str,
                    changes: Mapping[str, StoryChange] | None = None,
                    story_url: str | None = None,
                    reader_language: str | None = None) -> list[dict[str, Any]]:
        """What ``templates/_story.html`` shows of each story, times in ``timezone``; with
        ``changes``, what is new in it for one subscriber; with ``story_url``, its page; a
        story told in another language than ``reader_language`` (by default, the language being
        written) says which."""
        changes = changes or {}
        reader_language = reader_language or i18n.language()

        def when(moment: datetime) -> str:
            return local_time(moment, timezone)

        return [
            {"story": s, "sources": _source_lines(s), "credits": _credits(s), "similar": s.similar_count,
             "official": s.kind == "official", "coverage": coverage_line(s),
             "language": _foreign(s.language, reader_language),
             "change": changes.get(s.id), "url": f"{story_url}{s.id}" if story_url else None,
             "first": when(s.first_published), "updated": when(s.updated),
             "show_updated": s.updated > s.first_published}
            for s in stories
        ]

    def _render(self, content: DigestContent) -> RenderedDigest:
        with i18n.speaking(content.reader_language) as lang:
            context: dict[str, Any] = {
                "digest": content, "lang": lang, "dir": i18n.direction(lang),
                "stories": self.story_items(content.stories, content.timezone, content.changes,
                                            content.story_url, content.reader_language),
                "still": self.story_items(content.still_developing, content.timezone, None,
                                          content.story_url, content.reader_language),
                "day": long_date(content.day)}
            html = self._inliner.inline(self.env.get_template("digest.html").render(context))
            text = self.env.get_template("digest.txt").render(context)
            return RenderedDigest(subject=subject_line(content), html=html, text=text)


def local_time(moment: datetime, timezone: str) -> str:
    """"Jun 8, 2026 09:00 CEST": the time in ``timezone``, saying which, as the language being
    written writes it (digest.i18n)."""
    return i18n.format_moment(moment, timezone)


def _foreign(language: str | None, reader_language: str = "en") -> str | None:
    """The language's name, in the reader's, when a story is told in another language than
    theirs."""
    code = (language or reader_language).lower()[:2]
    reader = reader_language.lower()[:2]
    return None if code == reader else language_name(code, reader)


def _greeting(name: str) -> Personal:
    """"for NAME" in the reader's language, the name (a hole the sender fills) kept whole."""
    return Personal(_("for %(name)s").replace("%(name)s", name))


def _change_note(change: StoryChange) -> str:
    """What is new in an updated story, in the reader's language: "+2 reports, statement by …"."""
    parts = [i18n.ngettext("+%(num)d report", "+%(num)d reports", change.reports)
             % {"num": change.reports}] if change.reports else []
    if change.statements:
        parts.append(_("statement by %(names)s") % {"names": ", ".join(change.statements)})
    return ", ".join(parts) or change.note  # a note given as words is shown as it is


def coverage_line(story: Story) -> str:
    """Who covered a story, at a glance: ``Official: Ministry of … · Outlets: 3 (US 2, GB 1) ·
    Languages: en, zh``, and ``· only from CN`` when every source is from one country."""
    coverage = story.coverage
    parts = []
    officials = list(dict.fromkeys(s.display_name for s in story.sources if s.official))
    if officials:
        parts.append(_("Official: %(names)s") % {"names": ", ".join(officials)})
    outlets = coverage["outlets"]
    if outlets:
        from_countries: dict[str, int] = {}
        outlets_seen = {name: country for name, official, country, _ in story.publishers() if not official}
        for country in outlets_seen.values():
            if country:
                from_countries[country] = from_countries.get(country, 0) + 1
        ranked = sorted(from_countries.items(), key=lambda kv: (-kv[1], kv[0]))
        where = ", ".join(f"{country} {n}" for country, n in ranked)
        parts.append(_("Outlets: %(num)d") % {"num": outlets} + (f" ({where})" if where else ""))
    if coverage["languages"]:
        parts.append(_("Languages: %(codes)s") % {"codes": ", ".join(coverage["languages"])})
    if coverage["one_country"]:
        parts.append(_("only from %(country)s") % {"country": coverage["one_country"]})
    return " · ".join(parts)


def long_date(day: date) -> str:
    """``Sunday, 29 November 2026``, as the language being written writes it."""
    return i18n.format_day(day)


def subject_line(content: DigestContent) -> str:
    """``Title, 28 Nov 2026: top story`` on one line, at most about 120 characters, in the
    reader's language."""
    with i18n.speaking(content.reader_language):
        values = {"title": content.title, "day": i18n.short_day(content.day)}
        subject = (_("%(title)s, week to %(day)s") if content.weekly
                   else _("%(title)s, %(day)s")) % values
    if content.stories:
        subject += f": {content.stories[0].title}"
    subject = " ".join(_CONTROL.sub(" ", subject).split())
    return subject if len(subject) <= 120 else subject[:117].rstrip() + "…"


def _credits(story: Story) -> list[str]:
    """Where each highlight comes from, as the reader is told: who said it (an official, the
    asker), else the outlet that reported it, by its name."""
    names = {src.name: src.display_name or src.name for src in story.sources}
    return [getattr(h, "attribution", None)
            or ", ".join(names.get(name, name) for name in getattr(h, "sources", ())[:1])
            for h in story.highlights]


def _source_lines(story: Story) -> list[_SourceLine]:
    """One entry per source (a ministry quoted by statement and transcript shows once)."""
    lines: dict[str, _SourceLine] = {}
    for src in story.sources:
        asked = (src.asked_by,) if src.asked_by else ()
        if src.name in lines:
            line = lines[src.name]
            lines[src.name] = _SourceLine(line.name, line.url, line.official, line.items + 1,
                                          tuple(dict.fromkeys(line.asked + asked)))
        else:
            lines[src.name] = _SourceLine(src.display_name, src.url, src.official, 1, asked)
    return list(lines.values())


def _wrap(text: str, width: int = 76, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent if first is None else first,
                         subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
