"""Changing the sources in config.yaml from a program (the admin pages, ``digest sources
import``): the file stays the one place sources live, so what an admin edits by hand, what
``check-config`` validates and what a run crawls are the same thing.

The file is read with ruamel.yaml's round-trip loader and written back with its comments,
order and quoting kept; every change is validated as ``check-config`` does before anything is
written (a change that would make the config invalid is refused with the reasons), written
atomically (a temporary file renamed over it, its mode kept), and recorded in the database by
the caller (who, when, what). The next run reads the file again: no restart. A config file the
process cannot write is said to be read-only (:func:`writable`), and nothing pretends otherwise.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from digest.config.loader import parse_config
from digest.config.schema import Config
from digest.errors import ConfigError, InputError

__all__ = ["SourceEdit", "edit_sources", "writable"]

# a change: given the sources as YAML (a list of mappings), change it in place; returns what
# it did, in words, for the record ("added feed wire", "disabled kremlin")
SourceEdit = Callable[[CommentedSeq], str]


def writable(path: Path) -> bool:
    """Whether this process can rewrite the config file (it and its folder writable)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # a long URL stays on its line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def edit_sources(path: Path, change: SourceEdit, *,
                 env: Mapping[str, str] | None = None) -> tuple[Config, str]:
    """Apply ``change`` to the sources of the config at ``path``, validate the result as
    ``check-config`` does, and write it back with its comments; returns the new config and
    what was done.

    Raises:
        InputError: the file is read-only.
        ConfigError: the file, or the file as changed, is not a valid config (nothing written).
    """
    if not writable(path):
        raise InputError(f"{path} is read-only for this process: change the sources in the file "
                         "where it is kept (a mounted volume, a configuration repository)")
    text = path.read_text(encoding="utf-8")
    yaml = _yaml()
    data = yaml.load(text)
    if not isinstance(data, CommentedMap):
        raise ConfigError(["the file is not a mapping of settings"], path=str(path))
    sources = data.get("sources")
    if sources is None:
        sources = data["sources"] = CommentedSeq()
    if not isinstance(sources, CommentedSeq):
        raise ConfigError(["sources: must be a list"], path=str(path))
    done = change(sources)
    out = io.StringIO()
    yaml.dump(data, out)
    new_text = out.getvalue()
    config = parse_config(new_text, base_dir=path.resolve().parent, env=env, name=str(path))
    _replace(path, new_text)
    return config, done


def _replace(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def find(sources: CommentedSeq, name: str) -> CommentedMap:
    """The source named ``name`` in the YAML list.

    Raises:
        InputError: there is none.
    """
    for item in sources:
        if isinstance(item, Mapping) and item.get("name") == name:
            return item  # type: ignore[return-value]
    raise InputError(f"no source named {name!r} in the config")


def entry(values: Mapping[str, Any]) -> CommentedMap:
    """A new source entry, keys in the order config.yaml's own entries use."""
    order = ("name", "title", "kind", "url", "enabled", "official", "opinion", "links", "follow",
             "allow", "deny", "content", "language", "country", "timezone", "tags", "max_pages",
             "max_articles")
    item = CommentedMap()
    for key in sorted(values, key=lambda k: order.index(k) if k in order else len(order)):
        value = values[key]
        if value in (None, (), [], ""):
            continue
        if isinstance(value, list | tuple):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()
            value = seq
        item[key] = value
    return item
