"""SMTP with STARTTLS or implicit TLS and a login read from environment variables, against
aiosmtpd on loopback with a certificate made for the test."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.builders import import_stories, write_config
from tests.conftest import SmtpSink, free_port, run_digest


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == b"digest"
          and auth_data.password == b"s3cret")
    return AuthResult(success=ok, handled=False)


def serve(sink: SmtpSink, certificate: tuple[Path, Path], *, implicit: bool) -> Controller:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    if implicit:
        return Controller(sink, hostname="127.0.0.1", port=sink.port, ssl_context=context,
                          authenticator=authenticator, auth_require_tls=False)
    return Controller(sink, hostname="127.0.0.1", port=sink.port, tls_context=context,
                      require_starttls=True, authenticator=authenticator, auth_require_tls=True)


@pytest.fixture(params=["starttls", "ssl"])
def tls_server(request: pytest.FixtureRequest,
               certificate: tuple[Path, Path]) -> Iterator[tuple[SmtpSink, str]]:
    sink = SmtpSink(port=free_port())
    controller = serve(sink, certificate, implicit=request.param == "ssl")
    controller.start()
    try:
        yield sink, request.param
    finally:
        controller.stop()


def test_tls_and_login_from_the_environment(tmp_path: Path, certificate: tuple[Path, Path],
                                            tls_server: tuple[SmtpSink, str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    sink, mode = tls_server
    mail = (f"  smtp: {{host: 127.0.0.1, port: {sink.port}, {mode}: true, timeout: 10,"
            f" username_env: DIGEST_SMTP_USER, password_env: DIGEST_SMTP_PASSWORD,"
            f" ca_file: {certificate[0]}}}\n  retries: 0")
    config = write_config(tmp_path, mail=mail, subscribers="  - email: a@example.org\n")
    env = {"DIGEST_SMTP_USER": "digest", "DIGEST_SMTP_PASSWORD": "wrong"}
    for name, value in env.items():  # every command checks that the variables are set
        monkeypatch.setenv(name, value)
    import_stories(config, cities=["Geneva"])

    refused = run_digest("send", "--config", str(config), env=env)
    assert refused.code == 1 and "SMTP login to 127.0.0.1" in refused.err and "535" in refused.err
    assert sink.messages == []

    sent = run_digest("send", "--config", str(config), env={**env, "DIGEST_SMTP_PASSWORD": "s3cret"})
    assert sent.code == 0, sent.err
    assert sink.recipients == ["a@example.org"]


def test_an_untrusted_certificate_is_refused(tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    sink = SmtpSink(port=free_port())
    controller = serve(sink, certificate, implicit=False)
    controller.start()
    try:
        config = write_config(tmp_path, subscribers="  - email: a@example.org\n",
                              mail=f"  smtp: {{host: 127.0.0.1, port: {sink.port}, starttls: true,"
                                   " timeout: 10}\n  retries: 0")
        import_stories(config, cities=["Geneva"])
        result = run_digest("send", "--config", str(config))
    finally:
        controller.stop()
    assert result.code == 1 and "CERTIFICATE_VERIFY_FAILED" in result.err
    assert sink.messages == []  # nothing went out over an unverified connection
