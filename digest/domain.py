"""Plain value types passed between stages: articles going into the store, articles read back
for grouping, the stories built from them, and the subscribers they are sent to. No database
or template code here."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["WEEKDAYS", "Delivery", "Highlight", "NewArticle", "RunRecord", "Segment", "StoredArticle",
           "Story", "StoryChange", "StoryOpinion", "StorySource", "StoryVersion", "Subscriber",
           "SubscriberDefaults", "content_hash"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, kw_only=True)
class NewArticle:
    """An extracted article, ready to store."""

    source: str
    url: str
    title: str
    text: str
    published: datetime | None = None
    updated: datetime | None = None  # the page's own "modified" time, when later than published
    author: str | None = None
    language: str | None = None
    is_opinion: bool = False

    @cached_property
    def content_hash(self) -> str:
        """See :func:`content_hash`; computed once, and carried along when pickled (the crawl's
        extraction workers compute it)."""
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """A hash of an article's words, blind to whitespace and case: equal texts, equal hashes."""
    words = " ".join(text.lower().split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


@dataclass(frozen=True, kw_only=True)
class Segment:
    """One piece of a briefing's transcript (digest/transcripts.py reads them; the store keeps
    them): an opening announcement (``question`` None) or an exchange."""

    paragraphs: tuple[str, ...]  # as in the text, labels included
    question: str | None  # the question(s), labels removed; None for an announcement
    asked_by: str | None  # the asker's outlet or name, when the transcript says it
    speaker: str | None  # who answered or announced: a name, or a role ("Ответ") when none is known
    answer: str  # what the spokesperson said, labels removed
    # what it is about, as stored (digest/vectors.py); None: not made yet
    vector: bytes | None = field(default=None, compare=False, repr=False)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True, kw_only=True)
class StoredArticle:
    """An article as the story stage reads it. ``segments``: a briefing's transcript as read and
    stored (empty: the article is no transcript; None: not read yet)."""

    id: int
    source: str
    source_title: str
    official: bool
    url: str
    title: str
    text: str
    published: datetime
    language: str | None
    is_opinion: bool
    country: str | None = None  # the source's
    updated: datetime | None = None  # when the page says it was last changed (after published)
    segments: tuple[Segment, ...] | None = None
    # what it is about, as stored (digest/vectors.py: title and lead); None: not made yet
    vector: bytes | None = field(default=None, compare=False, repr=False)

    @property
    def last_change(self) -> datetime:
        """Published, or updated since."""
        return max(self.published, self.updated) if self.updated else self.published


class Highlight(str):
    """One highlight: the sentence itself (it is the string), the sources it came from, and
    who said it when it is someone's statement (``attribution``), else None."""

    __slots__ = ("attribution", "sources")
    sources: tuple[str, ...]
    attribution: str | None

    def __new__(cls, text: str, *, sources: tuple[str, ...] | list[str] = (),
                attribution: str | None = None) -> Highlight:
        highlight = super().__new__(cls, text)
        highlight.sources = tuple(sources)
        highlight.attribution = attribution
        return highlight

    def __reduce__(self) -> tuple[Any, ...]:
        return (_highlight, (str(self), self.sources, self.attribution))

    def __deepcopy__(self, memo: dict[int, Any]) -> Highlight:
        return self  # immutable

    @property
    def text(self) -> str:
        return str(self)

    def to_json(self) -> dict[str, Any]:
        return {"text": str(self), "sources": list(self.sources), "attribution": self.attribution}

    @classmethod
    def from_json(cls, data: str | dict[str, Any]) -> Highlight:
        """A highlight as :meth:`to_json` wrote it (or a bare string, as stored before)."""
        if isinstance(data, Highlight):
            return data
        if isinstance(data, str):
            return cls(data)
        return cls(data["text"], sources=data.get("sources", ()), attribution=data.get("attribution"))


def _highlight(text: str, sources: tuple[str, ...], attribution: str | None) -> Highlight:
    return Highlight(text, sources=sources, attribution=attribution)


@dataclass(frozen=True, kw_only=True)
class StorySource:
    article_id: int
    segment: int = 0  # which part of a briefing's transcript (0: the whole article)
    name: str
    display_name: str
    url: str
    title: str
    published: datetime
    official: bool
    similar: tuple[int, ...] = ()  # ids of near-duplicates folded into this one
    # who published those copies: (source name, official, country, language), for the coverage
    similar_sources: tuple[tuple[str, bool, str | None, str | None], ...] = ()
    language: str | None = None
    country: str | None = None  # the source's (ISO code)
    # a briefing's segment: what was asked (None for an announcement), by whom, who answered
    question: str | None = None
    asked_by: str | None = None
    speaker: str | None = None

    @property
    def order(self) -> tuple[bool, datetime, int, int]:
        """Where the source stands in its story: official ones first, then by time (a
        briefing's segments in their order)."""
        return (not self.official, self.published, self.article_id, self.segment)


@dataclass(frozen=True, kw_only=True)
class StoryOpinion:
    article_id: int
    name: str
    display_name: str
    url: str
    title: str


@dataclass(frozen=True, kw_only=True)
class StoryVersion:
    """A story as told by its reports in one more language: title, highlights and summary
    from those reports alone (a reader of that language gets this)."""

    language: str
    title: str
    highlights: tuple[Highlight, ...]
    summary: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"language": self.language, "title": self.title, "summary": self.summary,
                "highlights": [Highlight.from_json(h).to_json() for h in self.highlights]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoryVersion:
        return cls(language=data["language"], title=data["title"], summary=data.get("summary", ""),
                   highlights=tuple(Highlight.from_json(h) for h in data["highlights"]))


@dataclass(frozen=True, kw_only=True)
class Story:
    """One event as the digest shows it; ``sources`` come official first, then by time.
    A story reported in several languages is told in ``language`` (English when it has English
    reports); ``versions`` tell it in each of its other languages."""

    id: str
    title: str
    first_published: datetime
    updated: datetime
    highlights: tuple[Highlight, ...]
    summary: str
    sources: tuple[StorySource, ...]
    opinions: tuple[StoryOpinion, ...] = ()
    score: float = 0.0
    language: str | None = None
    versions: tuple[StoryVersion, ...] = ()

    def in_language(self, wanted: Sequence[str]) -> Story:
        """The story told in the first of the ``wanted`` languages it has reports in (itself
        when that is its own language, or when none is wanted or known)."""
        own = (self.language or "")[:2]
        for code in (w.lower()[:2] for w in wanted):
            if code == own:
                return self
            version = next((v for v in self.versions if v.language[:2] == code), None)
            if version is not None:
                rest = tuple(v for v in self.versions if v is not version)
                told = (StoryVersion(language=self.language, title=self.title,
                                     highlights=self.highlights, summary=self.summary),
                        ) if self.language else ()
                return replace(self, title=version.title, highlights=version.highlights,
                               summary=version.summary, language=version.language,
                               versions=told + rest)
        return self

    @property
    def similar_count(self) -> int:
        return sum(len(s.similar) for s in self.sources)

    @property
    def coverage(self) -> dict[str, Any]:
        """Who covered the story: official sources and outlets (distinct sources), and how many
        sources speak from each country and write in each language; ``one_country`` names the
        country when every source with a known country is from it and there are two or more
        (a story told by one side only), else None."""
        published = self.publishers()
        seen: dict[str, tuple[str, bool, str | None, str | None]] = {}
        for entry in published:
            seen.setdefault(entry[0], entry)
        countries: dict[str, int] = {}
        languages: dict[str, int] = {}
        for _, _, country, _ in seen.values():
            if country:
                countries[country] = countries.get(country, 0) + 1
        for _, language in dict.fromkeys((name, language) for name, _, _, language in published):
            if language:
                languages[language] = languages.get(language, 0) + 1
        official = sum(1 for entry in seen.values() if entry[1])
        known = sum(countries.values())
        return {
            "official": official,
            "outlets": len(seen) - official,
            "countries": dict(sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))),
            "languages": dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
            "one_country": next(iter(countries)) if len(countries) == 1 and known >= 2 else None,
        }

    def publishers(self) -> list[tuple[str, bool, str | None, str | None]]:
        """Every source that published the story, folded copies of wire reports included:
        (name, official, country, language), in the sources' order."""
        published = [(s.name, s.official, s.country, s.language) for s in self.sources]
        return published + [copy for s in self.sources for copy in s.similar_sources]

    @property
    def kind(self) -> str:
        """``official``: made only of official statements (what a ministry said that no outlet
        has reported yet, not even in a copy); else ``news``."""
        published = self.publishers()
        return "official" if published and all(official for _, official, _, _ in published) else "news"

    def to_json(self) -> dict[str, Any]:
        """The fixed JSON shape of ``digest stories --json``."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "first_published": self.first_published.isoformat(),
            "updated": self.updated.isoformat(),
            "highlights": [Highlight.from_json(h).to_json() for h in self.highlights],
            "summary": self.summary,
            "sources": [
                {
                    "name": s.name,
                    "url": s.url,
                    "title": s.title,
                    "published": s.published.isoformat(),
                    "official": s.official,
                    "language": s.language,
                    "similar": len(s.similar),
                    **({"segment": {"question": s.question, "asked_by": s.asked_by,
                                    "speaker": s.speaker}} if s.segment else {}),
                }
                for s in self.sources
            ],
            "opinions": [{"name": o.name, "url": o.url, "title": o.title} for o in self.opinions],
            "coverage": self.coverage,
        }

    def snapshot(self) -> dict[str, Any]:
        """Everything needed to show this story again later (the web archive), as JSON."""
        data = asdict(self)
        data["highlights"] = [Highlight.from_json(h).to_json() for h in self.highlights]
        data["versions"] = [v.to_json() for v in self.versions]
        for item in [data, *data["sources"]]:
            for key in ("first_published", "updated", "published"):
                if key in item:
                    item[key] = item[key].isoformat()
        return data

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Story:
        """The story :meth:`snapshot` saved."""
        when = datetime.fromisoformat
        return cls(
            id=data["id"], title=data["title"], first_published=when(data["first_published"]),
            updated=when(data["updated"]),
            highlights=tuple(Highlight.from_json(h) for h in data["highlights"]),
            summary=data["summary"], score=data.get("score", 0.0), language=data.get("language"),
            sources=tuple(StorySource(**dict(s, published=when(s["published"]),
                                             similar=tuple(s.get("similar", ())),
                                             similar_sources=tuple(
                                                 tuple(c) for c in s.get("similar_sources", ()))))
                          for s in data["sources"]),
            opinions=tuple(StoryOpinion(**o) for o in data.get("opinions", ())),
            versions=tuple(StoryVersion.from_json(v) for v in data.get("versions", ())),
        )


@dataclass(frozen=True, kw_only=True)
class StoryChange:
    """What a story is to one subscriber: ``new`` (in no digest they were sent), ``updated``
    (sent before, with new sources since: ``new_sources`` of them, told in ``note``, e.g.
    "+2 reports, statement by Russia's MID") or ``unchanged``; ``new_highlights`` are the
    highlights they have not read."""

    status: str
    new_sources: int = 0
    note: str = ""
    new_highlights: frozenset[str] = frozenset()
    reports: int = 0  # new reports (and copies of wire reports): the note's parts, to be told
    statements: tuple[str, ...] = ()  # in the reader's language; who made new statements


@dataclass(frozen=True, kw_only=True)
class SubscriberDefaults:
    """What a subscriber gets who chose nothing else: the config's zone, send time and story
    limit; ``admins`` are the addresses the config marks ``admin: true``."""

    timezone: str = "UTC"
    send_at: time = time(7, 0)
    max_stories: int = 12
    admins: frozenset[str] = frozenset()
    frequency: str = "daily"
    weekday: str = "monday"


@dataclass(frozen=True, kw_only=True)
class Subscriber:
    """Someone who gets the digest, with their zone, send time and story limit resolved
    against the config's defaults; ``chosen_timezone`` and ``chosen_send_at`` are their own
    choices (None: the default), for the preferences page."""

    id: int
    email: str
    name: str | None = None
    timezone: str
    send_at: time
    max_stories: int
    topics: tuple[str, ...] = ()  # a story must mention one
    exclude: tuple[str, ...] = ()  # a story mentioning one is left out
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    admin: bool = False  # gets the sources' health flags
    active: bool = True
    origin: str = "cli"  # "config" (config.yaml) or "cli" (`digest subscribers add`)
    chosen_timezone: str | None = None
    chosen_send_at: time | None = None
    unsubscribed_at: datetime | None = None
    prefs_updated_at: datetime | None = None  # set once they saved preferences on the web
    frequency: str = "daily"  # or "weekly", on ``weekday``
    weekday: str = "monday"
    chosen_frequency: str | None = None  # their own choices (None: the config's)
    chosen_weekday: str | None = None
    suspended_at: datetime | None = None  # hard bounces on three days: no digests until re-added
    suspended_reason: str | None = None

    def local_day(self, now: datetime) -> date:
        """Their date at ``now``."""
        return now.astimezone(ZoneInfo(self.timezone)).date()

    def is_due(self, now: datetime) -> bool:
        """Whether their send time has passed today in their zone (and, for a weekly digest,
        today is its day)."""
        local = now.astimezone(ZoneInfo(self.timezone))
        if self.frequency == "weekly" and f"{local:%A}".lower() != self.weekday:
            return False
        return local.time() >= self.send_at

    @property
    def window_days(self) -> int:
        """How far back their digest looks: a week for a weekly one, else one day."""
        return 7 if self.frequency == "weekly" else 1


@dataclass(frozen=True, kw_only=True)
class Delivery:
    """One digest for one subscriber on one local date. ``status``: ``pending``, ``sending``
    (claimed), ``sent`` (the server accepted it) or ``failed`` (for good, with the reply)."""

    id: int
    subscriber_id: int
    email: str
    digest_date: date
    status: str
    attempts: int
    story_ids: tuple[str, ...] = ()
    message_id: str | None = None
    subject: str | None = None
    last_error: str | None = None
    updated_at: datetime | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class RunRecord:
    """One run of a command: when, where, how it ended and its counts."""

    id: int
    command: str
    status: str
    started_at: datetime
    finished_at: datetime | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    host: str | None = None
    pid: int | None = None
