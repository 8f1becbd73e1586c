"""The ``digest`` command as a real process, for the tests: run once, or served."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.servers import free_port

__all__ = ["Result", "digest_server", "run_digest", "start_digest", "wait_for"]


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_digest(*args: str, cwd: Path | None = None, stdin: str | None = None,
               env: dict[str, str] | None = None, timeout: float = 180) -> Result:
    """Run the real ``digest`` command in a child process."""
    proc = subprocess.run(
        [sys.executable, "-m", "digest", *args], cwd=cwd, input=stdin, capture_output=True,
        text=True, timeout=timeout, env={**os.environ, **(env or {})}, check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def start_digest(*args: str, **popen: Any) -> subprocess.Popen[Any]:
    """Start the real ``digest`` command as a child process (``popen``: subprocess.Popen's
    keyword arguments) and return it; the caller waits for it, or stops it."""
    return subprocess.Popen([sys.executable, "-m", "digest", *args], **popen)


def wait_for(condition: Any, timeout: float = 60.0) -> None:
    """Poll ``condition()`` until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


@contextmanager
def digest_server(folder: Path, env: dict[str, str] | None = None,
                  command: list[str] | None = None) -> Iterator[str]:
    """``digest serve`` of ``folder/config.yaml`` as a real process (its log in
    ``folder/serve.log``); yields its base URL once it answers. ``command``: how to start it
    instead (another user's, another config), given the port."""
    import httpx2 as httpx

    port = free_port()
    log = folder / "serve.log"
    argv = command or [sys.executable, "-m", "digest", "serve", "--config", str(folder / "config.yaml")]
    server = subprocess.Popen([*argv, "--port", str(port)], cwd=folder,
                              env={**os.environ, **(env or {})}, text=True,
                              stdout=subprocess.DEVNULL, stderr=log.open("w"))
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(lambda: server.poll() is None and up(), 60)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
