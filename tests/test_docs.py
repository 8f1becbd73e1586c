"""Every command has help text and is documented in the README; config.yaml stays valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.config import load_config

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_has_help_and_is_in_readme(name: str) -> None:
    command = cli.commands[name]
    assert command.help and len(command.help) > 20
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    assert f"`digest {name}" in README


def test_shipped_config_is_valid() -> None:
    config = load_config(ROOT / "config.yaml", env={})
    assert any(s.official for s in config.sources)
    assert {s.kind for s in config.sources} >= {"feed", "listing"}
