"""What an admin does to the sources, from the admin pages or the CLI: add, change, disable or
enable, remove, import an OPML subscription list, export one. Each change goes into config.yaml
(:mod:`digest.config.editor`: comments kept, validated as ``check-config`` does, written
atomically) and is recorded in the database with who made it; the next run crawls what the
file says. OPML (2.0) is read with listparser and written with the standard library's
ElementTree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from anyascii import anyascii
from ruamel.yaml.comments import CommentedSeq

from digest.config import Config, SourceConfig
from digest.config.editor import edit_sources, entry, find
from digest.errors import InputError
from digest.store import Store

__all__ = ["ImportReport", "add_source", "change_source", "export_opml", "import_opml",
           "remove_source", "set_enabled"]

# the fields a source entry may carry, as SourceConfig names them (by_alias is not needed)
FIELDS = tuple(SourceConfig.model_fields)


def _record(store: Store | None, who: str, source: str, action: str, detail: str) -> None:
    if store is not None:
        store.record_source_change(who=who, source=source, action=action, detail=detail)


def _values(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise InputError(f"unknown source setting {', '.join(map(repr, unknown))}")
    return dict(values)


def add_source(path: Path, values: Mapping[str, Any], *, who: str,
               store: Store | None = None) -> Config:
    """Add a source (``values`` as in config.yaml).

    Raises:
        InputError: a source has that name already, or an unknown setting.
        ConfigError: the source is not valid (nothing is written).
    """
    values = _values(values)
    name = str(values.get("name") or "")

    def add(sources: CommentedSeq) -> str:
        if any(isinstance(s, Mapping) and s.get("name") == name for s in sources):
            raise InputError(f"a source named {name!r} exists already")
        sources.append(entry(values))
        return f"added {values.get('kind')} {values.get('url')}"

    config, done = edit_sources(path, add)
    _record(store, who, name, "added", done)
    return config


def change_source(path: Path, name: str, values: Mapping[str, Any], *, who: str,
                  store: Store | None = None) -> Config:
    """Change a source's settings: keys in ``values`` are set (None or empty: removed); its
    name stays.

    Raises:
        InputError: no such source, or an unknown setting.
        ConfigError: the changed source is not valid (nothing is written).
    """
    values = _values(values)
    values.pop("name", None)

    def change(sources: CommentedSeq) -> str:
        item = find(sources, name)
        changed = []
        for key, value in values.items():
            old = item.get(key)
            if value in (None, "", (), []):
                if key in item:
                    del item[key]
                    changed.append(f"{key} removed")
                continue
            if isinstance(value, list | tuple):
                value = entry({key: list(value)})[key]
            if old != value:
                item[key] = value
                changed.append(f"{key}: {old!r} -> {value!r}" if old is not None
                               else f"{key}: {value!r}")
        return "; ".join(changed) or "nothing changed"

    config, done = edit_sources(path, change)
    _record(store, who, name, "changed", done)
    return config


def set_enabled(path: Path, name: str, enabled: bool, *, who: str,
                store: Store | None = None) -> Config:
    """Disable a source (``enabled: false``: kept, with its articles, but not crawled) or
    enable it again (the key goes: enabled is the default)."""

    def toggle(sources: CommentedSeq) -> str:
        item = find(sources, name)
        if enabled:
            item.pop("enabled", None)
        else:
            item["enabled"] = False
        return "enabled" if enabled else "disabled"

    config, done = edit_sources(path, toggle)
    _record(store, who, name, done, done)
    return config


def remove_source(path: Path, name: str, *, who: str, store: Store | None = None) -> Config:
    """Remove a source from the config (its stored articles stay, as its stories do)."""

    def remove(sources: CommentedSeq) -> str:
        item = find(sources, name)
        sources.remove(item)
        return f"removed ({item.get('kind')} {item.get('url')})"

    config, done = edit_sources(path, remove)
    _record(store, who, name, "removed", done)
    return config


# --- OPML ----------------------------------------------------------------------------------------

def export_opml(config: Config, *, title: str | None = None) -> bytes:
    """The config's feed sources as OPML 2.0 (a subscription list holds feeds: listings and
    sitemaps are left out), each source's tags as its outline's categories."""
    opml = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(opml, "head")
    ElementTree.SubElement(head, "title").text = title or config.digest.title
    ElementTree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = ElementTree.SubElement(opml, "body")
    for source in config.sources:
        if source.kind != "feed":
            continue
        attributes = {"text": source.display_name, "title": source.display_name,
                      "type": "rss", "xmlUrl": str(source.url)}
        if source.tags:
            attributes["category"] = ",".join(f"/{tag}" for tag in source.tags)
        if source.language:
            attributes["language"] = source.language
        ElementTree.SubElement(body, "outline", attributes)
    ElementTree.indent(opml)
    return ElementTree.tostring(opml, encoding="utf-8", xml_declaration=True) + b"\n"


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (feed URL, why)


MAX_OPML_BYTES = 5_000_000


def import_opml(path: Path, data: bytes, *, who: str, store: Store | None = None,
                official: bool = False) -> ImportReport:
    """Add every feed of an OPML subscription list as a feed source (its folders and
    categories become tags); a feed whose URL a source has already is skipped.

    Raises:
        InputError: the file is not an OPML list with feeds, or is too large.
        ConfigError: a feed cannot be a source (nothing is written).
    """
    import listparser

    if len(data) > MAX_OPML_BYTES:
        raise InputError(f"the OPML file is larger than {MAX_OPML_BYTES // 1_000_000} MB")
    parsed = listparser.parse(data)
    feeds = parsed.get("feeds") or []
    if not feeds:
        problem = parsed.get("bozo_exception")
        raise InputError("no feeds found in the OPML file"
                         + (f" ({problem})" if problem else ": is it an OPML subscription list?"))
    report = ImportReport()

    def add_all(sources: CommentedSeq) -> str:
        known_urls = {str(s.get("url")) for s in sources if isinstance(s, Mapping)}
        names = {str(s.get("name")) for s in sources if isinstance(s, Mapping)}
        for feed in feeds:
            url = str(feed.get("url") or "").strip()
            if not url.startswith(("http://", "https://")):
                report.skipped.append((url, "not a web address"))
                continue
            if url in known_urls:
                report.skipped.append((url, "a source has this feed already"))
                continue
            title = " ".join(str(feed.get("title") or "").split()) or None
            name = _unique(_slug(title or url), names)
            names.add(name)
            known_urls.add(url)
            sources.append(entry({"name": name, "title": title, "kind": "feed", "url": url,
                                  "official": official or None, "tags": _tags(feed)}))
            report.added.append(name)
        return f"imported {len(report.added)} feeds"

    edit_sources(path, add_all)
    for name in report.added:
        _record(store, who, name, "imported", "from an OPML file")
    return report


def _tags(feed: Mapping[str, Any]) -> list[str]:
    """A feed's tags: its OPML folders and ``category`` paths, each level once."""
    tags: list[str] = []
    for path in [*(feed.get("categories") or []), *([[t] for t in feed.get("tags") or []])]:
        for part in path if isinstance(path, Sequence) and not isinstance(path, str) else [path]:
            tag = " ".join(str(part).split()).strip("/")
            if tag and tag not in tags:
                tags.append(tag[:60])
    return tags[:20]


def _slug(text: str) -> str:
    text = re.sub(r"^https?://(www\.)?", "", text)
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")[:48] or "feed"


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{name}-{n}"
        n += 1
    return candidate
