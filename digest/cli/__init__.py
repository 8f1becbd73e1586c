"""The ``digest`` command (console script ``digest = digest.cli:main``): the group and
:func:`main` in :mod:`.base`, the commands in :mod:`.pipeline`, :mod:`.sources` and
:mod:`.subscribers`, registered on the group when imported here."""

from digest.cli import pipeline, sources, subscribers  # noqa: F401 - they register their commands
from digest.cli.base import cli, main

__all__ = ["cli", "main"]
