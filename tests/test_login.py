"""The admin login: closed without credentials in the environment, sessions bound to them and to their time, failed logins throttled and locked out for a while."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from digest import web
from tests.conftest import free_port, wait_for
from tests.processes import start_digest
from tests.web_site import BASE, Site, csrf


@pytest.fixture
def admin_env(monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.setenv("DIGEST_ADMIN_USER", "chief")
    monkeypatch.setenv("DIGEST_ADMIN_PASSWORD", "s3cret-pass")
    monkeypatch.setattr(web.admin, "LOGIN_FAILURE_DELAY", 0.0)
    return "chief", "s3cret-pass"


def test_admin_is_closed_without_credentials_in_the_environment(site: Site,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DIGEST_ADMIN_USER", raising=False)
    monkeypatch.delenv("DIGEST_ADMIN_PASSWORD", raising=False)
    assert site.client.get("/admin/login").status_code == 503
    assert site.client.get("/admin/").headers["location"] == "/admin/login"


def test_admin_login_shows_health_runs_and_deliveries(site: Site, admin_env: tuple[str, str]) -> None:
    assert site.client.get("/admin/").headers["location"] == "/admin/login"
    form = site.client.get("/admin/login")
    wrong = site.client.post("/admin/login", data={"csrf_token": csrf(form.text),
                                                   "username": "chief", "password": "guess"})
    assert wrong.status_code == 401 and "Wrong user name or password" in wrong.text
    assert site.client.get("/admin/").status_code == 303

    no_csrf = site.client.post("/admin/login", data={"username": "chief", "password": "s3cret-pass"})
    assert no_csrf.status_code == 400
    assert site.client.get("/admin/").status_code == 303

    form = site.client.get("/admin/login")
    ok = site.client.post("/admin/login", data={"csrf_token": csrf(form.text),
                                                "username": "chief", "password": "s3cret-pass"})
    assert ok.status_code == 303 and ok.headers["location"] == "/admin/"
    page = site.client.get("/admin/")
    assert page.status_code == 200
    for expected in ("Logged in as chief", "wire", "ministry", "never crawled", "Recent runs",
                     "send", "None: every digest due has been sent."):
        assert expected in page.text, expected

    logout = site.client.post("/admin/logout", data={"csrf_token": csrf(page.text)})
    assert logout.status_code == 303
    assert site.client.get("/admin/").status_code == 303


def test_a_session_ends_when_the_credentials_change_or_its_time_is_up(
        site: Site, admin_env: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import time_machine

    def log_in(client: TestClient, password: str = "s3cret-pass") -> None:
        form = client.get("/admin/login")
        ok = client.post("/admin/login", data={"csrf_token": csrf(form.text),
                                               "username": "chief", "password": password})
        assert ok.status_code == 303 and client.get("/admin/").status_code == 200

    log_in(site.client)
    monkeypatch.setenv("DIGEST_ADMIN_PASSWORD", "a-new-pass")  # changed where the server runs
    assert site.client.get("/admin/").status_code == 303  # the old session is over
    log_in(site.client, "a-new-pass")
    monkeypatch.setenv("DIGEST_ADMIN_USER", "deputy")
    assert site.client.get("/admin/").status_code == 303

    monkeypatch.setenv("DIGEST_ADMIN_USER", "chief")
    log_in(site.client, "a-new-pass")
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=7, minutes=50)):
        assert site.client.get("/admin/").status_code == 200  # active all along: still in
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=7, minutes=55)):
        assert site.client.get("/admin/").status_code == 200
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=8, minutes=5)):
        assert site.client.get("/admin/").status_code == 303  # 8 h after login, however active


@pytest.fixture
def served_site(tmp_path: Path, sent_digests: Path) -> Iterator[tuple[str, subprocess.Popen[str], Path]]:
    """``digest serve`` as a real process, with a small lock-out window."""
    shutil.copytree(sent_digests, tmp_path, dirs_exist_ok=True)
    config = tmp_path / "config.yaml"
    config.write_text(config.read_text().replace(
        f"web: {{base_url: '{BASE}'}}",
        f"web: {{base_url: '{BASE}', login_failures_per_client: 5, login_failures_total: 8, "
        "login_lockout_minutes: 0.05}"))
    port = free_port()
    env = {**os.environ, "DIGEST_ADMIN_USER": "chief", "DIGEST_ADMIN_PASSWORD": "s3cret-pass"}
    server = start_digest("serve", "--config", str(config),
                               "--port", str(port), cwd=tmp_path, env=env, text=True,
                              stdout=subprocess.DEVNULL, stderr=(tmp_path / "serve.log").open("w"))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: "serving on" in (tmp_path / "serve.log").read_text() and _answers(base), 60)
        yield base, server, tmp_path / "serve.log"
    finally:
        server.terminate()
        server.wait(timeout=20)


def _answers(base: str) -> bool:
    import httpx2 as httpx

    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_parallel_wrong_passwords_lock_the_login_out_for_a_while(
        served_site: tuple[str, subprocess.Popen[str], Path]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    import httpx2 as httpx

    base, _, log = served_site
    with httpx.Client(base_url=base, follow_redirects=False) as browser:
        token = csrf(browser.get("/admin/login").text)
        cookies = dict(browser.cookies)

    def attempt(password: str) -> int:
        with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
            return client.post("/admin/login", data={"csrf_token": token, "username": "chief",
                                                     "password": password}).status_code

    with ThreadPoolExecutor(max_workers=30) as pool:  # the attack: many guesses at once
        codes = list(pool.map(attempt, [f"guess-{i}" for i in range(60)]))
    assert codes.count(401) == 5 and codes.count(429) == 55, codes  # 5 checked, then locked
    assert attempt("s3cret-pass") == 429  # the right one too, while locked
    with httpx.Client(base_url=base, cookies=cookies) as client:
        page = client.post("/admin/login", data={"csrf_token": token, "username": "chief",
                                                 "password": "x"})
    assert "Too many failed logins" in page.text and int(page.headers["Retry-After"]) >= 1
    wait_for(lambda: attempt("s3cret-pass") == 303, timeout=30)  # released after the window
    text = log.read_text()
    assert "POST /admin/login" in text  # requests are logged
    assert "too many failed logins" in text
