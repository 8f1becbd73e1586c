"""The project's exceptions: one base class, caught once by the CLI.

``exit_code`` tells the CLI what to return: 2 for bad input or configuration, 1 for work that
failed.
"""


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


class SendError(DigestError):
    """A digest could not be delivered; the message names the subscriber and the reason."""
