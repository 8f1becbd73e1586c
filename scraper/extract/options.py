"""trafilatura's knobs for the extraction, chosen by measurement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ExtractOptions"]


@dataclass(frozen=True, kw_only=True)
class ExtractOptions:
    """trafilatura's knobs, chosen by measurement (bench/extraction.py)."""

    favor_precision: bool = False
    favor_recall: bool = False
    fast: bool = False  # trafilatura without its fallback extractors (readability, jusText)
    extensive_date_search: bool = True  # off loses dates on ministry pages that state them only in text
    # whose reading of the body to keep: "choose" takes readability's instead of trafilatura's
    # where the trained choice says the page's signals favour it (scraper/extract/reading_choice.json,
    # tools/train_reading_choice.py); "trafilatura" or "readability" always takes that one
    reading: Literal["choose", "trafilatura", "readability"] = "choose"
