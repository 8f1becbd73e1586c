"""The project's exceptions, all here: one base class, caught once by the CLI.

``exit_code`` tells the CLI what to return: 2 for bad input or configuration, 1 for work that
failed. The hierarchy::

    DigestError                 anything the project raises on purpose (exit 1)
    ├── ConfigError             config.yaml is invalid: one line per problem (exit 2)
    ├── InputError              a file or argument cannot be used (exit 2)
    ├── SourceError             the crawler itself failed (one source's failure is reported)
    ├── LockHeld                another run holds the pipeline (or daemon) lock
    ├── TokenExpired            a genuine link token, issued too long ago (the web says so)
    └── SendError               a digest could not be delivered
        ├── TemporarySendError  4xx, a time-out, a dropped connection: try again later
        ├── PermanentSendError  5xx, or an address the server cannot take: not again
        └── LoginRefused        the SMTP login was refused: the run stops, nobody is charged
"""

from __future__ import annotations

from datetime import date


class DigestError(Exception):
    """Base of every error the project raises on purpose."""

    exit_code = 1


class ConfigError(DigestError):
    """config.yaml (or another input) is invalid; ``problems`` holds one line per mistake."""

    exit_code = 2

    def __init__(self, problems: list[str], *, path: str = "config.yaml") -> None:
        self.problems = list(problems)
        self.path = path
        super().__init__(f"{path}: " + "; ".join(self.problems))


class InputError(DigestError):
    """A file or argument given on the command line cannot be used."""

    exit_code = 2


class SourceError(DigestError):
    """A source could not be crawled; the message names the source and the reason."""


class LockHeld(DigestError):
    """Another process holds the lock; the message says which."""

    def __init__(self, name: str, holder: str) -> None:
        self.name, self.holder = name, holder
        super().__init__(f"another run holds the {name} lock: {holder}; try again when it has finished")


class TokenExpired(DigestError):
    """A genuine token, issued too long ago."""

    exit_code = 2

    def __init__(self, subscriber_id: int, issued: date) -> None:
        super().__init__(f"link issued {issued.isoformat()} has expired")
        self.subscriber_id, self.issued = subscriber_id, issued


class SendError(DigestError):
    """A digest could not be delivered; the message names the subscriber and the reason.

    ``bounce``: ``hard`` or ``soft`` when the receiving server refused the recipient or the
    message (a 5xx or 4xx reply at RCPT or DATA), None for anything else (a refused sender, a
    lost connection, an address that cannot be written).
    """

    def __init__(self, message: str, *, bounce: str | None = None) -> None:
        super().__init__(message)
        self.bounce = bounce


class TemporarySendError(SendError):
    """The server or the connection failed for now (4xx, timeout): try again later."""


class PermanentSendError(SendError):
    """The server refused the message for good (5xx): do not try again."""


class LoginRefused(SendError):
    """The SMTP server refused our login: nobody can be sent anything until the credentials
    are fixed, so the run stops and no delivery is counted against its subscriber."""
