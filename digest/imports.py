"""One line of ``digest import``: what it may hold, checked before anything is stored."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from digest.text import clean

__all__ = ["ImportLine"]


class ImportLine(BaseModel):
    """An article given as a JSON object: ``url`` and ``source``, and ``title`` and ``text``
    (or ``html`` to extract them from); optional times (ISO 8601, UTC when no zone is given),
    ``language`` and ``opinion``. Other keys are ignored."""

    model_config = ConfigDict(extra="ignore", strict=False)

    url: str = Field(max_length=2048)
    source: str = Field(max_length=64)
    title: str | None = None
    text: str | None = None
    html: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = Field(default=None, max_length=16)
    opinion: bool = False

    @field_validator("url", "source", "title", "text", "html", "language", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        """A string, without control characters or lone surrogates (digest.text.clean)."""
        if value is not None and not isinstance(value, str):
            raise ValueError(f"must be a string, not {type(value).__name__}")
        return clean(value) if value is not None else None

    @field_validator("published", "updated")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        """A time without a zone is UTC; one that UTC cannot hold (year 1 with an offset) is
        refused here, not when it is stored."""
        if value is None:
            return None
        value = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValueError("is out of range") from None

    @staticmethod
    def describe(error: ValidationError) -> str:
        """A validation error as one short phrase per problem: ``published: is not an ISO
        time``."""
        from digest.config import problem

        phrases = []
        for err in error.errors(include_url=False):
            where = ".".join(str(part) for part in err["loc"])
            kind = err["type"]
            if kind in ("model_type", "model_attributes_type", "dict_type"):
                phrases.append("not a JSON object")
            elif kind == "missing":
                phrases.append(f"missing {where}")
            elif kind.startswith("datetime"):
                phrases.append(f"{where} is not an ISO time")
            else:
                phrases.append(f"{where}: {problem(err)}")
        return "; ".join(phrases)
