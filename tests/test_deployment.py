"""The deployment docs/compose.yaml describes, on this machine: a config file the process cannot
write (mounted read-only, owned by another user) and a process that is not root. With
DIGEST_DATA_DIR the whole pipeline runs and writes only there; without it, an unwritable HTTP
cache costs the cache, not the crawl; the admin pages show the sources and say they cannot
change them, and refuse a change."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.samples import SampleSites, sample_config
from tests.conftest import ROOT
from tests.processes import digest_server

USER = "nobody"


def _python() -> str | None:
    """An interpreter the unprivileged user can run, of this one's version (the venv's own
    may live under /root): the system's."""
    candidate = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    return str(candidate) if candidate.is_file() else None


def _command(*args: str, env: dict[str, str]) -> list[str]:
    """``digest ARGS`` as the unprivileged user when this is root, else as this user."""
    if os.geteuid() != 0:
        return [sys.executable, "-m", "digest", *args]
    python = _python()
    assert python is not None
    path = f"{ROOT}:{sysconfig.get_paths()['purelib']}"
    settings = [f"{k}={v}" for k, v in env.items()]
    return ["runuser", "-u", USER, "--", "env", f"PYTHONPATH={path}", *settings, python, "-m",
            "digest", *args]


@pytest.fixture
def deployment() -> Iterator[tuple[Path, Path]]:
    """(config folder, data folder): the config read-only for the process, the data its own."""
    if os.geteuid() == 0:
        if _python() is None or shutil.which("runuser") is None:
            pytest.skip("no system interpreter or runuser to run as an unprivileged user")
        probe = subprocess.run(_command("--help", env={}), capture_output=True, timeout=60)
        if probe.returncode != 0:
            pytest.skip(f"{USER} cannot run digest from this checkout: {probe.stderr[-300:]!r}")
    folder = Path(tempfile.mkdtemp(prefix="digest-deploy-"))
    folder.chmod(0o755)
    etc, data = folder / "etc", folder / "data"
    etc.mkdir(mode=0o755)
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data, USER)
    try:
        yield etc, data
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_config(etc: Path, text: str) -> Path:
    path = etc / "config.yaml"
    path.write_text(text)
    path.chmod(0o444)
    if os.geteuid() != 0:
        etc.chmod(0o555)  # as another user's folder is to this one
    return path


def test_a_read_only_config_and_an_unprivileged_user_run_the_pipeline_into_the_data_dir(
        deployment: tuple[Path, Path], sites: SampleSites) -> None:
    etc, data = deployment
    config = _write_config(etc, sample_config(sites.base_url, database="sqlite:///digest.db",
                                              outbox="outbox"))
    run = subprocess.run(_command("run", "--config", str(config),
                                  env={"DIGEST_DATA_DIR": str(data), "HOME": str(data)}),
                         capture_output=True, text=True, timeout=600, cwd=data)
    assert run.returncode == 0, run.stderr[-2000:]
    assert list((data / "outbox").glob("*.eml"))
    assert (data / "digest.db").is_file() and (data / "data" / "httpcache").is_dir()
    assert sorted(p.name for p in etc.iterdir()) == ["config.yaml"]  # nothing written there


def test_an_unwritable_http_cache_costs_the_cache_not_the_crawl(
        deployment: tuple[Path, Path], sites: SampleSites) -> None:
    etc, data = deployment
    text = sample_config(sites.base_url, database=f"sqlite:///{data}/digest.db",
                         outbox=str(data / "outbox"))
    config = _write_config(etc, text)  # http_cache stays relative: beside the read-only config
    crawl = subprocess.run(_command("crawl", "--config", str(config), env={"HOME": str(data)}),
                           capture_output=True, text=True, timeout=600, cwd=data)
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    assert "cannot be written" in crawl.stderr and "crawling without it" in crawl.stderr
    assert not re.search(r"FAILED|failed:", crawl.stdout)


def test_the_admin_pages_say_a_read_only_config_cannot_be_changed(
        deployment: tuple[Path, Path], sites: SampleSites) -> None:
    import httpx2 as httpx

    etc, data = deployment
    config = _write_config(etc, sample_config(sites.base_url, database="sqlite:///digest.db",
                                              outbox="outbox"))
    env = {"DIGEST_DATA_DIR": str(data), "HOME": str(data), "DIGEST_ADMIN_USER": "chief",
           "DIGEST_ADMIN_PASSWORD": "s3cret-pass"}
    with digest_server(data, env, command=_command("serve", "--config", str(config), env=env)) as base, \
            httpx.Client(base_url=base, follow_redirects=False) as client:
        form = client.get("/admin/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
        assert token
        assert client.post("/admin/login", data={
            "csrf_token": token.group(1), "username": "chief",
            "password": "s3cret-pass"}).status_code == 303
        page = client.get("/admin/sources")
        assert page.status_code == 200
        assert "The config file is read-only here" in page.text
        assert "norland-mfa" in page.text and "Save to the config" not in page.text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
        assert token
        refused = client.post("/admin/sources/norland-mfa/disable",
                              data={"csrf_token": token.group(1)})
        assert refused.status_code == 409 and "read-only" in refused.text
    assert "enabled: false" not in config.read_text()
