"""The settings ``config.yaml`` holds, as frozen pydantic models with their validators: what
each key accepts and why. :mod:`digest.config.loader` reads the file into them."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cssselect import GenericTranslator, SelectorError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    NameEmail,
    PrivateAttr,
    field_validator,
    model_validator,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

__all__ = ["ENV_NAME", "Config", "CrawlSettings", "DigestSettings", "DkimSettings", "MailSettings",
           "ScheduleSettings", "SmtpSettings", "SourceConfig", "SubscriberConfig", "WebSettings"]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {value!r}")
    return value


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(
            f"{value!r} is not a slug: use lowercase letters, digits, '-' or '_' (e.g. china-mfa)"
        )
    return value


def _css(value: str) -> str:
    try:
        GenericTranslator().css_to_xpath(value)
    except SelectorError as e:
        raise ValueError(f"not a valid CSS selector: {value!r} ({e})") from None
    return value


def _regex_list(value: Any) -> Any:
    items = [value] if isinstance(value, str) else value
    if isinstance(items, list | tuple):
        for item in items:
            if isinstance(item, str):
                try:
                    re.compile(item)
                except re.error as e:
                    raise ValueError(f"not a valid regular expression: {item!r} ({e})") from None
    return items


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r}: use an IANA name such as Europe/Berlin or UTC"
        ) from None
    return value


def _clock(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 07:00 as the sexagesimal number 420.
        value = f"{value // 60:02d}:{value % 60:02d}"
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?", value.strip())
        if not m or int(m[1]) > 23 or int(m[2]) > 59:
            raise ValueError(f"not a time of day: {value!r} (use HH:MM, e.g. \"07:00\")")
        return time(int(m[1]), int(m[2]))
    return value


def _database_url(value: str) -> str:
    try:
        url = make_url(value)
    except ArgumentError:
        raise ValueError(
            f"not a database URL: {value!r} (e.g. sqlite:///data/digest.db or "
            "postgresql://user@host/db)"
        ) from None
    try:
        url.get_dialect()
    except NoSuchModuleError:
        raise ValueError(
            f"no database driver for {url.drivername!r} here (use sqlite:///… or postgresql://…)"
        ) from None
    return value


def _env_name(value: str) -> str:
    if not ENV_NAME.match(value):
        raise ValueError(f"not an environment variable name: {value!r}")
    return value


WebUrl = Annotated[str, AfterValidator(_web_url)]
Slug = Annotated[str, AfterValidator(_slug)]
CssSelector = Annotated[str, AfterValidator(_css)]
RegexList = Annotated[tuple[str, ...], BeforeValidator(_regex_list)]
TimeZoneName = Annotated[str, AfterValidator(_zone)]
ClockTime = Annotated[time, BeforeValidator(_clock)]
EnvName = Annotated[str, AfterValidator(_env_name)]


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class SourceConfig(_Settings):
    """One site to crawl."""

    name: Slug
    kind: Literal["feed", "sitemap", "listing"]
    url: WebUrl
    enabled: bool = True  # false: kept (with its articles) but not crawled unless named
    official: bool = False
    opinion: bool = False
    title: str | None = None
    links: CssSelector | None = None
    follow: CssSelector | None = None
    allow: RegexList = ()
    deny: RegexList = ()
    content: CssSelector | None = None
    language: str | None = None
    country: str | None = None
    timezone: TimeZoneName | None = None  # for page times without a zone (default: from country)
    tags: tuple[str, ...] = ()
    max_pages: int = Field(default=3, ge=1, le=1000)
    max_articles: int = Field(default=100, ge=1, le=100_000)

    @model_validator(mode="after")
    def _listing_needs_links(self) -> SourceConfig:
        if self.kind == "listing" and not self.links:
            raise ValueError("a listing source needs 'links': the CSS selector of article links")
        if self.kind != "listing" and (self.links or self.follow):
            raise ValueError("'links' and 'follow' apply only to kind: listing")
        return self

    @property
    def display_name(self) -> str:
        return self.title or self.name

    @property
    def zone(self) -> str:
        """The zone of the source's page times that carry none: its ``timezone``, else its
        country's (digest/zones.py), else UTC."""
        from digest.zones import country_zone

        return self.timezone or country_zone(self.country) or "UTC"


class SmtpSettings(_Settings):
    host: str = "localhost"
    port: int = Field(default=25, ge=1, le=65535)
    starttls: bool = False
    ssl: bool = False
    username_env: EnvName | None = None
    password_env: EnvName | None = None
    timeout: float = Field(default=30.0, gt=0, le=600)
    ca_file: str | None = None  # PEM certificates to trust (a relay with a private CA)

    @model_validator(mode="after")
    def _one_tls_mode(self) -> SmtpSettings:
        if self.starttls and self.ssl:
            raise ValueError("choose one of 'starttls' (port 587) or 'ssl' (port 465), not both")
        if bool(self.username_env) != bool(self.password_env):
            raise ValueError("set both 'username_env' and 'password_env', or neither")
        return self


class DkimSettings(_Settings):
    domain: str = Field(pattern=r"^[A-Za-z0-9.-]+$")
    selector: str = Field(pattern=r"^[A-Za-z0-9._-]+$")
    key_file: str


class MailSettings(_Settings):
    sender: NameEmail = Field(alias="from")
    outbox: str | None = None
    smtp: SmtpSettings | None = None
    rate_per_second: float = Field(default=0.0, ge=0, le=10_000)  # 0: as fast as the server takes
    retries: int = Field(default=2, ge=0, le=10)
    retry_wait_seconds: float = Field(default=2.0, ge=0, le=600)
    dkim: DkimSettings | None = None
    # bounces: digests go out from a VERP form of this address (bounces+d42.sig@…), and the
    # reports mailed back to it are read from this Maildir (digest/bounces.py)
    bounce_address: EmailStr | None = None
    bounce_maildir: str | None = None

    @field_validator("rate_per_second")
    @classmethod
    def _sane_rate(cls, value: float) -> float:
        if 0 < value < 0.01:
            raise ValueError("must be 0 (no limit) or at least 0.01 (one message every 100 s)")
        return value

    @model_validator(mode="after")
    def _one_transport(self) -> MailSettings:
        if self.outbox and self.smtp:
            raise ValueError("set either 'outbox' (write .eml files) or 'smtp', not both")
        return self


Frequency = Literal["daily", "weekly"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class DigestSettings(_Settings):
    send_at: ClockTime = time(7, 0)
    max_stories: int = Field(default=12, ge=1, le=100)
    window_hours: int = Field(default=24, ge=1, le=24 * 30)
    title: str = "Foreign Affairs Digest"
    quiet_day: Literal["skip", "note"] = "skip"  # when nothing matches: no mail, or a short note
    frequency: Frequency = "daily"  # or weekly: the week's most important stories, on `weekday`
    weekday: Weekday = "monday"


class SubscriberConfig(_Settings):
    email: EmailStr
    name: str | None = Field(default=None, max_length=200)
    timezone: TimeZoneName | None = None
    send_at: ClockTime | None = None
    topics: tuple[str, ...] = ()  # keywords: a story must mention one
    exclude: tuple[str, ...] = ()  # keywords: a story mentioning one is left out
    sources: tuple[Slug, ...] = ()
    languages: tuple[str, ...] = ()  # ISO 639-1 codes of the stories wanted
    max_stories: int | None = Field(default=None, ge=1, le=100)
    admin: bool = False  # gets the sources' health flags at the foot of the digest
    frequency: Frequency | None = None  # default: digest.frequency
    weekday: Weekday | None = None  # for a weekly digest; default: digest.weekday

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from digest.languages import DETECTED

        codes = tuple(code.strip().lower() for code in value)
        unknown = [code for code in codes if code not in DETECTED]
        if unknown:
            raise ValueError(f"unknown language code {', '.join(map(repr, unknown))}: use the "
                             "two-letter ISO 639-1 code of a language stories are told in "
                             "(en, fr, zh, ru, ar, …)")
        return tuple(dict.fromkeys(codes))


class WebSettings(_Settings):
    """``digest serve``: where it is reachable (links in mail) and who may see its admin pages."""

    base_url: WebUrl | None = None
    link_days: int = Field(default=365, ge=1, le=3650)  # how long a mailed link keeps working
    admin_user_env: EnvName = "DIGEST_ADMIN_USER"
    admin_password_env: EnvName = "DIGEST_ADMIN_PASSWORD"
    admin_session_hours: float = Field(default=8.0, gt=0, le=24 * 30)  # from login, however active
    login_failures_per_client: int = Field(default=5, ge=1, le=1000)  # wrong passwords before a
    login_failures_total: int = Field(default=50, ge=1, le=100_000)  # lock-out (one client, all)
    login_lockout_minutes: float = Field(default=15.0, gt=0, le=24 * 60)  # the failures' window
    signup: bool = False  # a public sign-up page, with a confirmation mail (double opt-in)
    signups_per_client: int = Field(default=5, ge=1, le=1000)  # sign-ups an hour from one address
    signups_total: int = Field(default=100, ge=1, le=100_000)  # ... and from all
    # /metrics only for requests with "Authorization: Bearer <this variable's value>" (unset:
    # open, as a Prometheus scrape usually is; the page holds counts, never an address)
    metrics_token_env: EnvName | None = None


class CrawlSettings(_Settings):
    frontier: str | None = None
    worker_idle_seconds: float = Field(default=30.0, ge=0, le=3600)  # a worker waits this for work
    user_agent: str | None = None
    obey_robots: bool = True
    concurrency_per_domain: int = Field(default=2, ge=1, le=32)
    delay: float = Field(default=1.0, ge=0, le=60)
    autothrottle: bool = True
    timeout: float = Field(default=30.0, gt=0, le=600)
    max_page_kb: int = Field(default=5_000, ge=10, le=100_000)
    max_age_days: int = Field(default=7, ge=1, le=3650)
    source_timeout: float = Field(default=600.0, ge=1, le=24 * 3600)
    http_cache: str | None = "data/httpcache"
    extract_workers: int = Field(default=0, ge=0, le=64)  # 0: one per CPU; 1: in the crawler
    extract_seconds: float = Field(default=20.0, ge=0, le=600)  # per page; 0: no limit

    @model_validator(mode="after")
    def _redis_url(self) -> CrawlSettings:
        if self.frontier and urlsplit(self.frontier).scheme not in ("redis", "rediss"):
            raise ValueError(f"'frontier' must be a redis:// URL, not {self.frontier!r}")
        return self


def _crontab(value: str) -> str:
    from digest.triggers import cron_trigger  # APScheduler is imported only when one is set

    cron_trigger(value, "UTC")
    return value


class ScheduleSettings(_Settings):
    """When the daemon (``digest schedule``) crawls; sends follow each subscriber's send_at."""

    crawl: Annotated[str, AfterValidator(_crontab)] = "0 */2 * * *"
    misfire_grace_minutes: int = Field(default=120, ge=1, le=24 * 60)
    lock_wait_minutes: int = Field(default=30, ge=0, le=24 * 60)


class Config(_Settings):
    """The whole validated configuration."""

    database: Annotated[str, AfterValidator(_database_url)] = "sqlite:///data/digest.db"
    timezone: TimeZoneName = "UTC"
    sources: tuple[SourceConfig, ...] = ()
    mail: MailSettings
    digest: DigestSettings = DigestSettings()
    subscribers: tuple[SubscriberConfig, ...] = ()
    web: WebSettings = WebSettings()
    crawl: CrawlSettings = CrawlSettings()
    schedule: ScheduleSettings = ScheduleSettings()

    # the SMTP user name and password, read from the environment when the config is loaded
    _smtp_login: tuple[str, str] | None = PrivateAttr(default=None)

    @property
    def smtp_login(self) -> tuple[str, str] | None:
        """(user name, password) for the SMTP server: the values of ``mail.smtp.username_env``
        and ``password_env`` when the config was loaded; None when not set."""
        return self._smtp_login

    @property
    def enabled_sources(self) -> list[SourceConfig]:
        """The sources a crawl of all of them crawls."""
        return [s for s in self.sources if s.enabled]

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)


