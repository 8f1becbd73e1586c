"""What a subscriber gets: whose digest is due, which stories it holds, and its content.

:class:`Editions` answers, for one config and store: who is due (their send time has passed in
their zone and they have no finished delivery for their local date), which of the window's
stories each gets (their sources, languages, topics and exclusions; at most their story limit),
the digest's content with their personal links and token, and the sources' health flags for
admins. How a digest then goes out (claims, SMTP, retries, pacing) is :mod:`digest.deliver`'s
business; the preview, the demo and the web pages use this module alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from digest.config import Config
from digest.domain import Story, StoryChange, Subscriber
from digest.health import source_flag
from digest.render import DigestContent, Personal
from digest.store import Store
from digest.text import plural
from digest.tokens import make_token, signing_key

__all__ = ["HISTORY_DAYS", "Due", "Editions", "compare", "matches"]

HISTORY_DAYS = 14  # how far back a subscriber's digests count for what is new to them


@dataclass(frozen=True)
class Due:
    """A digest to send: a subscriber and their local date."""

    subscriber: Subscriber
    day: date


_NEW, _UNCHANGED = StoryChange(status="new"), StoryChange(status="unchanged")  # shared values


class Editions:
    """Builds each subscriber's digest for one config and store."""

    def __init__(self, config: Config, store: Store) -> None:
        self.config = config
        self.store = store
        self._key: bytes | None = None
        self._picked: dict[tuple[object, ...], tuple[Sequence[Story], list[Story]]] = {}
        self._source_flags: tuple[tuple[str, str], ...] | None = None
        self._sent: dict[date, dict[int, dict[str, date]]] = {}
        self._windows: dict[tuple[datetime, int], list[Story]] = {}
        self._editions: dict[date, dict[str, Story]] = {}

    def due(self, now: datetime) -> list[Due]:
        """Active subscribers, not suspended, whose send time has passed in their zone and who
        have no finished delivery for their local date."""
        candidates = [Due(sub, sub.local_day(now)) for sub in self.store.subscribers()
                      if sub.suspended_at is None and sub.is_due(now)]
        finished = self.store.finished_deliveries({c.day for c in candidates})
        return [c for c in candidates if (c.subscriber.id, c.day) not in finished]

    def stories(self, now: datetime, days: int = 1) -> list[Story]:
        """The stories of the window ending at ``now``, most important first: ``digest.
        window_hours``, or ``days`` when longer (a weekly digest's week)."""
        hours = max(self.config.digest.window_hours, 24 * days)
        key = (now, hours)
        if key not in self._windows:
            self._windows[key] = self.store.stories_updated_since(now - timedelta(hours=hours))
        return self._windows[key]

    def matching(self, subscriber: Subscriber | None, stories: Sequence[Story]) -> list[Story]:
        """The stories for this subscriber (their filters), each in their language; for nobody
        in particular, all of them."""
        if subscriber is None:
            return list(stories)
        key = (id(stories), subscriber.sources, subscriber.languages, subscriber.topics,
               subscriber.exclude)
        cached = self._picked.get(key)
        if cached is None or cached[0] is not stories:  # the same filters pick the same
            # each story in the reader's first language it has reports in
            cached = self._picked[key] = (stories, [s.in_language(subscriber.languages)
                                                    for s in stories if matches(s, subscriber)])
        return cached[1]

    def changes(self, subscriber: Subscriber, day: date,
                stories: Sequence[Story]) -> dict[str, StoryChange]:
        """Each story's news for this subscriber since the digests they were sent before
        ``day`` (the last ``HISTORY_DAYS``): new, updated (what is new) or unchanged."""
        sent = self._sent_before(day).get(subscriber.id, {})
        found: dict[str, StoryChange] = {}
        for story in stories:
            last = sent.get(story.id)
            if last is None:
                found[story.id] = _NEW
                continue
            before = self._snapshots(last).get(story.id)
            found[story.id] = (compare(story, before.in_language(subscriber.languages)) if before
                               else _UNCHANGED)
        return found

    def content(self, subscriber: Subscriber | None, now: datetime,
                stories: Sequence[Story] | None = None, *, day: date | None = None) -> DigestContent:
        """The digest ``subscriber`` (or nobody in particular) gets at ``now``, for their local
        date unless ``day`` says otherwise; without personal links (see :meth:`with_links`).
        What they were sent before and has no news since is not told again in full: it is
        listed as still developing, below the rest."""
        zone = subscriber.timezone if subscriber else self.config.timezone
        day = day or (subscriber.local_day(now) if subscriber else now.astimezone(ZoneInfo(zone)).date())
        if subscriber is not None and subscriber.frequency == "weekly":
            stories = self.stories(now, days=subscriber.window_days)  # the week's, as they stand now
        matched = self.matching(subscriber, self.stories(now) if stories is None else stories)
        changes: dict[str, StoryChange] = {}
        still: list[Story] = []
        if subscriber is not None:
            changes = self.changes(subscriber, day, matched)
            still = [s for s in matched if changes[s.id].status == "unchanged"]
            matched = [s for s in matched if changes[s.id].status != "unchanged"]
        limit = subscriber.max_stories if subscriber else self.config.digest.max_stories
        picked = matched[:limit]
        base = self.config.web.base_url
        return DigestContent(
            title=self.config.digest.title,
            day=day,
            timezone=zone,
            stories=picked,
            subscriber_name=subscriber.name if subscriber else None,
            archive_url=f"{base.rstrip('/')}/digests/{day.isoformat()}" if base else None,
            story_url=f"{base.rstrip('/')}/stories/" if base else None,
            more_stories=max(0, len(matched) - limit),
            source_flags=self._flags() if subscriber is not None and subscriber.admin else (),
            changes={s.id: changes[s.id] for s in picked if s.id in changes},
            still_developing=tuple(still[:limit]),
            weekly=subscriber is not None and subscriber.frequency == "weekly",
            reader_language=(subscriber.languages[0].lower()[:2]
                             if subscriber is not None and subscriber.languages else "en"),
        )

    def with_links(self, content: DigestContent, token: str) -> DigestContent:
        """The digest with a subscriber's personal links, carrying their token: to the web app
        when ``web.base_url`` is set, else a mailto for unsubscribing."""
        base = self.config.web.base_url
        if not base:
            return replace(content, unsubscribe_url=Personal(f"mailto:{self.mailto(token)}"))
        return replace(content, unsubscribe_url=Personal(self.unsubscribe_url(token) or ""),
                       preferences_url=Personal(f"{base.rstrip('/')}/preferences/{token}"),
                       archive_url=Personal(
                           f"{base.rstrip('/')}/digests/{content.day.isoformat()}?t={token}"))

    def token(self, subscriber: Subscriber) -> str:
        """The subscriber's signed token for their links."""
        if self._key is None:
            self._key = signing_key(self.store)
        return make_token(self._key, subscriber.id, subscriber.email)

    def unsubscribe_url(self, token: str) -> str | None:
        """The one-click unsubscribe page, when the web app is reachable."""
        base = self.config.web.base_url
        return f"{base.rstrip('/')}/unsubscribe/{token}" if base else None

    def mailto(self, token: str) -> str:
        """The address (and subject) a reply to unsubscribe goes to."""
        return f"{self.config.mail.sender.email}?subject=unsubscribe%20{token}"

    def _sent_before(self, day: date) -> dict[int, dict[str, date]]:
        """Every subscriber's stories sent in the ``HISTORY_DAYS`` before ``day`` (read once)."""
        if day not in self._sent:
            self._sent[day] = self.store.sent_stories(day - timedelta(days=HISTORY_DAYS), day)
        return self._sent[day]

    def _snapshots(self, day: date) -> dict[str, Story]:
        """The stories of a day's edition as they were then, by id (read once)."""
        if day not in self._editions:
            self._editions[day] = {s.id: s for s in self.store.edition(day) or ()}
        return self._editions[day]

    def _flags(self) -> tuple[tuple[str, str], ...]:
        """The sources' health flags (computed once)."""
        if self._source_flags is None:
            self._source_flags = tuple((h["name"], flag) for h in self.store.source_health()
                                       if (flag := source_flag(h)))
        return self._source_flags


def compare(story: Story, before: Story) -> StoryChange:
    """What ``story`` has that it did not have as ``before``: sources (and copies of wire
    reports) that are new, and highlights not read then."""
    had = {(s.article_id, s.segment) for s in before.sources}
    had_copies = {i for s in before.sources for i in s.similar}
    fresh = [s for s in story.sources if (s.article_id, s.segment) not in had]
    copies = sum(1 for s in story.sources for i in s.similar if i not in had_copies and (i, 0) not in had)
    reports = sum(1 for s in fresh if not s.official) + copies
    statements = list(dict.fromkeys(s.display_name or s.name for s in fresh if s.official))
    parts = [f"+{plural(reports, 'report')}"] if reports else []
    if statements:
        parts.append("statement by " + ", ".join(statements))
    read = {str(h) for h in before.highlights}
    count = len(fresh) + copies
    return StoryChange(status="updated" if count else "unchanged", new_sources=count,
                       note=", ".join(parts), reports=reports, statements=tuple(statements),
                       new_highlights=frozenset(str(h) for h in story.highlights if str(h) not in read))


def matches(story: Story, subscriber: Subscriber) -> bool:
    """The subscriber's filters: sources, languages, topics to include and to exclude."""
    if subscriber.sources and not any(s.name in subscriber.sources for s in story.sources):
        return False
    languages = {lang.lower()[:2] for lang in subscriber.languages}
    if languages and story.language:
        # a story told in several languages is theirs if any of its reports is in one of theirs
        told_in = {story.language.lower()[:2], *(lang[:2] for lang in story.coverage["languages"])}
        if not languages & told_in:
            return False
    topics = [t.lower() for t in subscriber.topics]
    exclude = [t.lower() for t in subscriber.exclude]
    if topics or exclude:
        haystack = " ".join([story.title, story.summary, *map(str, story.highlights)]).lower()
        if any(_mentions(haystack, t) for t in exclude):
            return False
        return not topics or any(_mentions(haystack, t) for t in topics)
    return True


@lru_cache(maxsize=1024)
def _keyword(keyword: str) -> re.Pattern[str] | None:
    return None if not keyword.isascii() else re.compile(rf"(?<!\w){re.escape(keyword)}(?!\w)")


def _mentions(haystack: str, keyword: str) -> bool:
    """A whole-word match ("Iran" is not found in "Tirana"); CJK keywords match anywhere."""
    pattern = _keyword(keyword)
    return keyword in haystack if pattern is None else pattern.search(haystack) is not None
