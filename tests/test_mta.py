"""Digests through a real MTA: Debian's exim4 on a loopback port, delivering into a Maildir.

.ci/run installs exim4-daemon-light; elsewhere the test is skipped when exim4 is absent (and
fails in CI, so it can never be skipped there by accident).
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest

from tests.builders import import_stories, write_config
from tests.conftest import free_port, run_digest

EXIM = shutil.which("exim4") or shutil.which("exim")

CONF = """\
primary_hostname = mta.localhost
qualify_domain = example.org
daemon_smtp_ports = {port}
local_interfaces = 127.0.0.1
spool_directory = {root}/spool
log_file_path = {root}/log/%slog
pid_file_path = {root}/exim.pid
tls_advertise_hosts =
acl_smtp_rcpt = acl_rcpt
host_lookup =
rfc1413_hosts =
keep_environment =
begin acl
acl_rcpt:
  accept
begin routers
everything:
  driver = accept
  transport = maildir
begin transports
maildir:
  driver = appendfile
  directory = {root}/Maildir
  maildir_format
  create_directory
  user = {user}
  mode = 0644
  envelope_to_add
  return_path_add
"""


class Mta:
    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port

    def delivered(self, local_part: str) -> list[EmailMessage]:
        out = []
        for path in sorted((self.root / "Maildir" / "new").glob("*")):
            msg = email.message_from_bytes(path.read_bytes(), policy=default_policy)
            assert isinstance(msg, EmailMessage)
            if str(msg["Envelope-to"]).startswith(f"{local_part}@"):
                out.append(msg)
        return out

    def log(self) -> str:
        return "".join(p.read_text() for p in (self.root / "log").glob("*log"))


@pytest.fixture
def exim() -> Iterator[Mta]:
    if EXIM is None or os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("exim4 must be installed (as root) in CI: .ci/run installs it")
        pytest.skip("needs Debian's exim4-daemon-light and root")
    root = Path(tempfile.mkdtemp(prefix="digest-exim-"))
    root.chmod(0o755)  # the delivery user must reach the Maildir
    user = "Debian-exim"
    for sub in ("spool", "log", "Maildir"):
        (root / sub).mkdir()
        shutil.chown(root / sub, user, user)
    port = free_port()
    conf = root / "exim.conf"
    conf.write_text(CONF.format(port=port, root=root, user=user))
    conf.chmod(0o644)
    proc = subprocess.Popen([EXIM, "-C", str(conf), "-bdf"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    mta = Mta(root, port)
    try:
        deadline = time.monotonic() + 15
        while "daemon started" not in mta.log():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"exim did not start: {proc.stderr.read() if proc.stderr else ''}")
            time.sleep(0.1)
        yield mta
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def test_digests_arrive_through_exim_and_parse(tmp_path: Path, exim: Mta) -> None:
    subscribers = """\
  - email: ada@example.org
    name: Ada Lovelace
  - email: ivan@example.org
    name: Иван Петров
"""
    config = write_config(tmp_path, subscribers=subscribers,
                          mail=f"  smtp: {{host: 127.0.0.1, port: {exim.port}, timeout: 10}}",
                          extra="web: {base_url: 'https://digest.example.org'}\n")
    import_stories(config, cities=["Geneva", "Doha"])
    result = run_digest("send", "--config", str(config))
    assert result.code == 0, result.err
    deadline = time.monotonic() + 20  # exim delivers in a child process just after accepting
    while not (exim.delivered("ada") and exim.delivered("ivan")) and time.monotonic() < deadline:
        time.sleep(0.2)
    for local, name in (("ada", "Ada Lovelace"), ("ivan", "Иван Петров")):
        delivered = exim.delivered(local)
        assert len(delivered) == 1, exim.log()
        msg = delivered[0]
        assert msg["To"].addresses[0].display_name == name
        assert msg["Return-Path"] == "<digest@example.org>"
        assert msg["Received"] and "mta.localhost" in msg["Received"]
        assert msg.get_content_type() == "multipart/alternative"
        assert not msg.defects
        text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
        assert "Ceasefire talks resume in Geneva" in text and "Ceasefire talks resume in Geneva" in html
        assert msg["List-Unsubscribe"].startswith("<https://digest.example.org/unsubscribe/")
    assert "Completed" in exim.log()
    again = run_digest("send", "--config", str(config))
    assert again.out.strip() == "nothing due"
