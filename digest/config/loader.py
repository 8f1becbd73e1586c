"""Load and validate ``config.yaml`` into frozen, typed settings.

``load_config`` is called once by the composition root (the CLI). It reports every problem in
one pass, each with its key path and line number, as a :class:`ConfigError`; past that point
the rest of the code trusts the settings it is given.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import (
    ValidationError,
)
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from sqlalchemy.engine import make_url

from digest.config.schema import ENV_NAME, Config
from digest.errors import ConfigError

__all__ = ["load_config", "parse_config", "problem"]


_FRIENDLY = {
    "missing": "required key is missing",
    "extra_forbidden": "unknown key",
}


def load_config(path: str | Path, *, env: Mapping[str, str] | None = None) -> Config:
    """Read, validate and resolve a config file.

    Relative SQLite paths and the outbox folder are resolved against the file's folder.

    Raises:
        ConfigError: the file is missing, is not YAML, or has any invalid key; ``problems``
            lists each with its line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [f"file not found (create it, or pass --config PATH; see {_EXAMPLE})"], path=str(path)
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError([f"cannot read: {e}"], path=str(path)) from None
    return parse_config(text, base_dir=path.resolve().parent, env=env, name=str(path))


_EXAMPLE = "the config.yaml in the project's root"


def parse_config(
    text: str,
    *,
    base_dir: Path,
    env: Mapping[str, str] | None = None,
    name: str = "config.yaml",
) -> Config:
    """Validate config text; see :func:`load_config`."""
    env = os.environ if env is None else env
    yaml = YAML(typ="rt")
    try:
        _check_expansion(yaml.compose(text), name)
        data = yaml.load(text)
    except RecursionError:
        raise ConfigError(["the file is nested too deep to be a config"], path=name) from None
    except YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        reason = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError([f"{where}not valid YAML: {reason}"], path=name) from None
    if not isinstance(data, Mapping):
        raise ConfigError(["line 1: the file must be a mapping of keys (database, sources, …)"],
                          path=name)
    plain = _plain(data)
    found: list[tuple[tuple[Any, ...], str]] = []
    config: Config | None = None
    try:
        config = Config.model_validate(plain)
    except ValidationError as e:
        found = [(tuple(err["loc"]), problem(err)) for err in e.errors()]
    found += _cross_check(plain, env)
    if found or config is None:
        found.sort(key=lambda item: _line_of(data, item[0]))
        raise ConfigError(
            [f"line {_line_of(data, loc)}: {_dotted(loc)}: {msg}" for loc, msg in found], path=name
        )
    data_dir = env.get(DATA_DIR_ENV)
    config = _resolve_paths(config, base_dir, Path(data_dir).absolute() if data_dir else base_dir)
    smtp = config.mail.smtp
    if smtp is not None and smtp.username_env and smtp.password_env:
        config._smtp_login = (env[smtp.username_env], env[smtp.password_env])
    return config


def _cross_check(plain: Mapping[str, Any], env: Mapping[str, str]) -> list[tuple[tuple[Any, ...], str]]:
    """Checks that span keys (unique names, references, secrets), on the raw data so that they
    are reported in the same pass as the schema errors."""
    found: list[tuple[tuple[Any, ...], str]] = []

    def items(key: str) -> list[tuple[int, Mapping[str, Any]]]:
        value = plain.get(key)
        if not isinstance(value, list):
            return []
        return [(i, v) for i, v in enumerate(value) if isinstance(v, Mapping)]

    names: dict[str, int] = {}
    for i, source in items("sources"):
        name = source.get("name")
        if isinstance(name, str):
            if name in names:
                found.append((("sources", i, "name"),
                              f"duplicate source name {name!r} (also sources.{names[name]})"))
            names.setdefault(name, i)
    emails: dict[str, int] = {}
    for i, sub in items("subscribers"):
        email = sub.get("email")
        if isinstance(email, str):
            if email.lower() in emails:
                found.append((("subscribers", i, "email"),
                              f"duplicate subscriber {email!r} (also subscribers.{emails[email.lower()]})"))
            emails.setdefault(email.lower(), i)
        wanted = sub.get("sources")
        for j, name in enumerate(wanted if isinstance(wanted, list) else []):
            if isinstance(name, str) and name not in names:
                found.append((("subscribers", i, "sources", j),
                              f"no source named {name!r} in 'sources'"))
    web = plain.get("web")
    if isinstance(web, Mapping) and web.get("signup") is True and not web.get("base_url"):
        found.append((("web", "signup"), "a public sign-up needs web.base_url (the address its "
                                          "confirmation links point to)"))
    mail = plain.get("mail")
    smtp = mail.get("smtp") if isinstance(mail, Mapping) else None
    if isinstance(smtp, Mapping):
        for key in ("username_env", "password_env"):
            var = smtp.get(key)
            if isinstance(var, str) and ENV_NAME.match(var) and not env.get(var):
                found.append((("mail", "smtp", key),
                              f"environment variable {var} is not set (export it before running)"))
    return found


DATA_DIR_ENV = "DIGEST_DATA_DIR"  # where relative data paths go, when not beside the config


def _resolve_paths(config: Config, base_dir: Path, data_dir: Path) -> Config:
    """Relative paths made absolute: what the program writes (the SQLite file, the outbox, the
    HTTP cache, the bounce Maildir) under ``data_dir`` (``$DIGEST_DATA_DIR``, else the config's
    folder: a config mounted read-only keeps its data elsewhere); what the admin keeps beside
    the config (a CA file, the DKIM key) under ``base_dir``."""
    url = make_url(config.database)
    updates: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db_path = Path(url.database)
        if not db_path.is_absolute():
            updates["database"] = url.set(database=str(data_dir / db_path)).render_as_string(
                hide_password=False
            )
    mail = config.mail
    if mail.smtp is None:
        outbox = Path(mail.outbox or "outbox")
        if not outbox.is_absolute():
            outbox = data_dir / outbox
        updates["mail"] = mail.model_copy(update={"outbox": str(outbox)})
    smtp = mail.smtp
    if smtp and smtp.ca_file and not Path(smtp.ca_file).is_absolute():
        mail = mail.model_copy(update={
            "smtp": smtp.model_copy(update={"ca_file": str(base_dir / smtp.ca_file)})})
        updates["mail"] = mail
    dkim = mail.dkim
    if dkim and not Path(dkim.key_file).is_absolute():
        resolved = updates.get("mail", mail)
        updates["mail"] = resolved.model_copy(update={
            "dkim": dkim.model_copy(update={"key_file": str(base_dir / dkim.key_file)})})
    maildir = mail.bounce_maildir
    if maildir and not Path(maildir).is_absolute():
        resolved = updates.get("mail", mail)
        updates["mail"] = resolved.model_copy(update={"bounce_maildir": str(data_dir / maildir)})
    cache = config.crawl.http_cache
    if cache and not Path(cache).is_absolute():
        updates["crawl"] = config.crawl.model_copy(update={"http_cache": str(data_dir / cache)})
    return config.model_copy(update=updates)


MAX_YAML_VALUES = 100_000  # a real config has a few thousand values at most


def _check_expansion(root: Any, name: str) -> None:
    """Refuse YAML whose aliases expand to more than :data:`MAX_YAML_VALUES` values, or refer
    to themselves: an alias bomb ("billion laughs") is a few lines that reading as data would
    expand to billions of values. Counted on the composed node graph, in which an alias is the
    anchored node itself, so the count takes time linear in the file.

    Raises:
        ConfigError: naming the line of the top-level key (or the alias) that expands too far.
    """
    if root is None:
        return
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: Any) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            line = node.start_mark.line + 1
            raise ConfigError([f"line {line}: a YAML alias refers to itself: remove the "
                               "anchor (&name) or the alias (*name)"], path=name)
        open_nodes.add(key)
        total = 1
        value = node.value
        if isinstance(value, list):
            for child in value:
                if isinstance(child, tuple):  # a mapping's (key, value)
                    total += size(child[0]) + size(child[1])
                else:
                    total += size(child)
                if total > MAX_YAML_VALUES:
                    break
        open_nodes.discard(key)
        sizes[key] = total
        return total

    if size(root) <= MAX_YAML_VALUES:
        return
    line = root.start_mark.line + 1
    if isinstance(root.value, list):
        for child in root.value:
            item = child[1] if isinstance(child, tuple) else child
            if sizes.get(id(item), 0) > MAX_YAML_VALUES or id(item) not in sizes:
                line = (child[0] if isinstance(child, tuple) else child).start_mark.line + 1
                break
    raise ConfigError([f"line {line}: YAML aliases here expand to more than "
                       f"{MAX_YAML_VALUES:,} values (an alias bomb?); write the values out instead"],
                      path=name)


def _plain(node: Any) -> Any:
    """ruamel's commented containers -> plain dicts and lists for pydantic."""
    if isinstance(node, Mapping):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _line_of(data: Any, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the deepest key of ``loc`` that exists in the YAML."""
    line = 0
    node = data
    for key in loc:
        lc = getattr(node, "lc", None)
        if isinstance(node, Mapping) and key in node:
            if lc is not None:
                line = lc.key(key)[0]
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            if lc is not None:
                line = lc.item(key)[0]
            node = node[key]
        else:
            if line == 0 and lc is not None:
                line = lc.line
            break
    return line + 1


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def problem(err: Mapping[str, Any]) -> str:
    """One validation error as a reader reads it: no pydantic prefixes, the value it got."""
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key (check its spelling and place; see config.yaml's comments)"
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    if kind in ("literal_error", "value_error", "bool_parsing", "int_parsing", "float_parsing"):
        return f"{msg} (got {err.get('input')!r})" if kind != "value_error" else msg
    return msg
