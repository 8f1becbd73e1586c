"""config.yaml validation: every kind of mistake names its key and line, exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import load_config
from digest.errors import ConfigError
from tests.conftest import run_digest

GOOD = """\
database: sqlite:///data/digest.db
timezone: Europe/Berlin
sources:
  - name: china-mfa
    kind: listing
    url: https://mfa.example.org/eng/xw/fyrbt/lxjzh/
    official: true
    links: "ul.list1 li a"
  - name: outlet-a
    kind: feed
    url: https://example.org/world/rss.xml
mail:
  from: "Digest <digest@example.org>"
  outbox: outbox
digest:
  send_at: "07:00"
subscribers:
  - email: reader@example.org
    timezone: America/New_York
    send_at: "06:30"
"""


def problems_of(text: str, tmp_path: Path, env: dict[str, str] | None = None) -> list[str]:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path, env=env or {})
    return info.value.problems


def test_good_config_loads_with_paths_resolved_against_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(GOOD)
    config = load_config(path, env={})
    assert [s.name for s in config.sources] == ["china-mfa", "outlet-a"]
    assert config.sources[0].official and not config.sources[1].official
    assert config.database == f"sqlite:///{tmp_path}/data/digest.db"
    assert config.mail.outbox == str(tmp_path / "outbox")
    assert config.subscribers[0].send_at.isoformat() == "06:30:00"
    assert config.digest.max_stories == 12  # default


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    kind: feed\n", "    kind: feed\n    colour: red\n", "line 11: sources.1.colour: unknown key"),
        ("  - name: outlet-a\n", "  - name: china-mfa\n", "line 9: sources.1.name: duplicate source name 'china-mfa'"),
        ("url: https://example.org/world/rss.xml", "url: ftp://example.org/rss", "line 11: sources.1.url: not an http(s) URL"),
        ('send_at: "07:00"', 'send_at: "7 am"', "line 16: digest.send_at: not a time of day"),
        ("timezone: Europe/Berlin", "timezone: Mars/Olympus", "line 2: timezone: unknown time zone"),
        ("  - email: reader@example.org", "  - email: reader.example.org", "line 18: subscribers.0.email: value is not a valid email"),
        ('    links: "ul.list1 li a"\n', "", "line 4: sources.0: a listing source needs 'links'"),
        ("    kind: feed", "    kind: blog", "line 10: sources.1.kind:"),
        ("database: sqlite:///data/digest.db", "database: not a url", "line 1: database: not a database URL"),
    ],
)
def test_each_mistake_names_key_and_line(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    problems = problems_of(GOOD.replace(old, new, 1), tmp_path)
    assert any(p.startswith(expected) for p in problems), problems


def test_missing_secret_names_the_variable(tmp_path: Path) -> None:
    text = GOOD.replace("  outbox: outbox\n", "  smtp: {host: mail.example.org, port: 587, starttls: true,"
                        " username_env: DIGEST_SMTP_USER, password_env: DIGEST_SMTP_PASS}\n")
    problems = problems_of(text, tmp_path, env={"DIGEST_SMTP_USER": "me"})
    assert problems == [
        "line 14: mail.smtp.password_env: environment variable DIGEST_SMTP_PASS is not set "
        "(export it before running)"
    ]
    path = tmp_path / "config.yaml"
    config = load_config(path, env={"DIGEST_SMTP_USER": "me", "DIGEST_SMTP_PASS": "pw"})
    assert config.mail.smtp is not None and config.mail.smtp.starttls
    # the credentials are read once, when the config is loaded, and never printed with it
    assert config.smtp_login == ("me", "pw") and "pw" not in repr(config)


def test_all_problems_reported_in_one_pass(tmp_path: Path) -> None:
    text = GOOD.replace("timezone: Europe/Berlin", "timezone: Nowhere").replace(
        "  - name: outlet-a\n", "  - name: china-mfa\n").replace('"07:00"', '"25:00"')
    problems = problems_of(text, tmp_path)
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 9", "line 16"]


def test_yaml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    problems = problems_of(GOOD.replace("    official: true\n", "    official: [true\n"), tmp_path)
    assert len(problems) == 1 and "not valid YAML" in problems[0] and problems[0].startswith("line ")


def test_unquoted_time_of_day_is_understood(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(GOOD.replace('send_at: "06:30"', "send_at: 06:30"))
    assert load_config(path, env={}).subscribers[0].send_at.isoformat() == "06:30:00"


def test_check_config_cli_exit_codes(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(GOOD)
    ok = run_digest("check-config", "--config", str(path))
    assert ok.code == 0 and "OK (2 sources, 1 subscriber)" in ok.out

    path.write_text(GOOD.replace("url: https://example.org/world/rss.xml", "url: nope"))
    bad = run_digest("check-config", "--config", str(path))
    assert bad.code == 2
    assert f"Error: {path}: line 11: sources.1.url: not an http(s) URL: 'nope'" in bad.err
    assert "Traceback" not in bad.err


def test_other_commands_refuse_a_bad_config(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(GOOD.replace("  - email: reader@example.org", "  - email: nobody"))
    for command in ("crawl", "send", "run", "stories"):
        result = run_digest(command, "--config", str(path))
        assert result.code == 2, (command, result.err)
        assert "subscribers.0.email" in result.err
    assert not (tmp_path / "data").exists()  # nothing was created


def test_missing_config_file(tmp_path: Path) -> None:
    result = run_digest("check-config", "--config", str(tmp_path / "absent.yaml"))
    assert result.code == 2 and "file not found" in result.err


def test_a_yaml_alias_bomb_is_refused_fast_naming_its_line(tmp_path: Path) -> None:
    import time

    levels = ['  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 12):  # 9 ** 12 values once expanded: "billion laughs" and then some
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"  {name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    bomb = GOOD + "unused:\n" + "\n".join(levels) + "\n"
    started = time.monotonic()
    result = run_digest("check-config", "--config", str(_write(tmp_path, bomb)), timeout=60)
    assert time.monotonic() - started < 20
    assert result.code == 2
    line = GOOD.count("\n") + 1
    assert f"line {line}: YAML aliases here expand to more than 100,000 values" in result.err
    assert "Traceback" not in result.err
    assert problems_of(GOOD + "loop: &x [1, *x]\n", tmp_path) == [
        f"line {line}: a YAML alias refers to itself: remove the anchor (&name) or the alias (*name)"]
    # aliases as people use them are fine
    aliased = GOOD.replace("    kind: feed\n", "    kind: feed\n    tags: &tags [world, asia]\n") + (
        "  - email: other@example.org\n    topics: *tags\n")
    assert load_config(_write(tmp_path, aliased), env={}).subscribers[1].topics == ("world", "asia")


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("mail.rate_per_second", "1e-300", "must be 0 (no limit) or at least 0.01"),
    ("mail.rate_per_second", ".inf", "finite number"),
    ("crawl.delay", ".nan", "finite number"),
    ("crawl.source_timeout", "1e300", "less than or equal to 86400"),
    ("mail.retry_wait_seconds", "-1", "greater than or equal to 0"),
])
def test_numbers_have_sane_bounds(tmp_path: Path, key: str, value: str, expected: str) -> None:
    section, name = key.split(".")
    text = GOOD.replace("mail:\n", f"mail:\n  {name}: {value}\n") if section == "mail" else (
        GOOD + f"{section}:\n  {name}: {value}\n")
    [problem] = problems_of(text, tmp_path)
    assert f"{key}: " in problem and expected in problem, problem


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def test_a_sources_timezone_is_checked(tmp_path: Path) -> None:
    text = GOOD.replace("    kind: feed\n", "    kind: feed\n    timezone: Mars/Olympus\n")
    [problem] = problems_of(text, tmp_path)
    assert problem.startswith("line ") and "sources.1.timezone" in problem and "Mars/Olympus" in problem


def test_a_public_sign_up_needs_the_base_url_its_links_point_to(tmp_path: Path) -> None:
    """Without web.base_url the confirmation link would take the request's Host header."""
    [problem] = problems_of(GOOD + "web:\n  signup: true\n", tmp_path)
    assert "web.signup: a public sign-up needs web.base_url" in problem
    config = load_config(_write(tmp_path, GOOD + "web:\n  signup: true\n  base_url: https://d.example.org\n"),
                         env={})
    assert config.web.signup
