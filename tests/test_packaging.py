"""Every package the code imports is declared in pyproject.toml: a plain `pip install .` must
give a program that runs (.ci/user-install installs it that way and runs the demo)."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from tests.conftest import ROOT


def _imported_modules() -> set[str]:
    names: set[str] = set()
    for folder in ("digest", "scraper"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"digest", "scraper", "__future__"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_package_is_a_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_normalise(re.split(r"[<>=!~\[; ]", d)[0]) for d in project["dependencies"]}
    providers = importlib.metadata.packages_distributions()
    undeclared = {}
    for module in sorted(_imported_modules()):
        dists = {_normalise(d) for d in providers.get(module, [])}
        assert dists, f"{module} is imported but no installed distribution provides it"
        if not dists & declared:
            undeclared[module] = sorted(dists)
    assert not undeclared, f"imported but not in [project] dependencies: {undeclared}"


def test_the_optional_parts_we_rely_on_are_declared() -> None:
    # justext (trafilatura's fallback) imports lxml.html.clean, a separate project since lxml 5.2
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_normalise(re.split(r"[<>=!~\[; ]", d)[0]) for d in project["dependencies"]}
    assert "lxml-html-clean" in declared
    import lxml.html.clean  # noqa: F401
