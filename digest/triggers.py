"""APScheduler triggers that behave the way a reader of config.yaml expects.

* :class:`DailyAt` fires once a day at a local wall-clock time in a named zone, whatever the
  daylight-saving rules do: on a spring-forward day a time that does not exist fires at the
  first minute that does (01:30 in London on the last Sunday of March fires at 02:00 BST); on
  a fall-back day a time that occurs twice fires once, at its first occurrence. APScheduler's
  ``CronTrigger`` fires such a time an hour late, or twice (see NOTES.md and upstream issues
  #606, #980, #1021).
* :func:`cron_trigger` reads a standard five-field crontab expression with cron's meaning of
  day-of-week numbers (0 and 7 are Sunday); APScheduler 3's ``from_crontab`` takes 0 as Monday.

Both always carry their zone: a trigger without one silently uses the machine's zone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

__all__ = ["DailyAt", "cron_trigger", "local_instant"]

_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant ``at`` o'clock happens on ``day`` in ``zone``: the first occurrence when
    the clock shows it twice, the first existing minute after it when the clock skips it."""
    naive = datetime.combine(day, at.replace(second=0, microsecond=0))
    for minutes in range(24 * 60):
        wall = naive + timedelta(minutes=minutes)
        aware = wall.replace(tzinfo=zone, fold=0)
        if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
            return aware
    raise ValueError(f"{day} has no valid time after {at} in {zone.key}")  # pragma: no cover


class DailyAt(BaseTrigger):
    """Fires every day at ``at`` local time in ``timezone`` (an IANA name)."""

    def __init__(self, at: time, timezone: str) -> None:
        self.at = at.replace(second=0, microsecond=0, tzinfo=None)
        self.timezone = timezone
        self.zone = ZoneInfo(timezone)

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime | None:
        start = previous_fire_time + timedelta(microseconds=1) if previous_fire_time else now
        day = start.astimezone(self.zone).date() - timedelta(days=1)
        while True:
            candidate = local_instant(day, self.at, self.zone)
            if candidate >= start:
                return candidate
            day += timedelta(days=1)

    def __getstate__(self) -> dict[str, object]:
        return {"version": 1, "at": self.at, "timezone": self.timezone}

    def __setstate__(self, state: dict[str, object]) -> None:
        at, timezone = state["at"], state["timezone"]
        assert isinstance(at, time) and isinstance(timezone, str)
        self.at, self.timezone, self.zone = at, timezone, ZoneInfo(timezone)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, DailyAt) and other.at == self.at
                and other.timezone == self.timezone)

    def __hash__(self) -> int:
        return hash((self.at, self.timezone))

    def __str__(self) -> str:
        return f"daily at {self.at:%H:%M} {self.timezone}"

    def __repr__(self) -> str:
        return f"<DailyAt (at='{self.at:%H:%M}', timezone='{self.timezone}')>"


def cron_trigger(expr: str, timezone: str | tzinfo) -> CronTrigger:
    """A ``CronTrigger`` for a crontab line ("minute hour day month day-of-week").

    Raises:
        ValueError: the expression is not valid, or restricts both day of month and day of
            week (cron fires when either matches, APScheduler only when both do).
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"{expr!r} is not a crontab expression: it needs 5 fields "
                         "(minute hour day month day-of-week), e.g. '0 */2 * * *'")
    minute, hour, day, month, weekday = fields
    if day != "*" and weekday != "*":
        raise ValueError(f"{expr!r} restricts both the day of month and the day of week; "
                         "cron would fire when either matches: use one of them")
    zone = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    try:
        return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                           day_of_week=_weekdays(weekday), timezone=zone)
    except ValueError as e:
        raise ValueError(f"{expr!r} is not a valid crontab expression: {e}") from None


def _weekdays(field: str) -> str:
    """Cron's day-of-week field as APScheduler day names ("1-5" -> "mon,tue,wed,thu,fri")."""
    if field == "*":
        return field
    days: set[int] = set()
    for part in field.lower().split(","):
        m = re.fullmatch(r"(\*|\w+)(?:-(\w+))?(?:/(\d+))?", part)
        if not m:
            raise ValueError(f"day of week {part!r} is not valid")
        first, last, step = m[1], m[2], int(m[3] or 1)
        if first == "*":
            low, high = 0, 6
        else:
            low = _day_number(first)
            high = _day_number(last) if last else (6 if m[3] else low)
        if low > high or step < 1:
            raise ValueError(f"day of week {part!r} is not a valid range")
        days.update(d % 7 for d in range(low, high + 1, step))
    return ",".join(_DAYS[d] for d in sorted(days))


def _day_number(token: str) -> int:
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token)
    if token[:3] in _DAYS:
        return _DAYS.index(token[:3])
    raise ValueError(f"day of week {token!r} is not 0-7 or a day name")
