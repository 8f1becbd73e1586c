"""Article extraction, by concept (as trafilatura splits its own): :mod:`.page` (parse and
sniff), :mod:`.body` (trafilatura's reading of the text), :mod:`.blocks` (a body split into
several blocks), :mod:`.readability` (the second reader), :mod:`.choice` (which reading to
keep), :mod:`.metadata`, :mod:`.jsonld`, :mod:`.dates` and :mod:`.titles`; :mod:`.core`
follows a page through them. Used by the crawl pipeline and by ``digest extract``."""

from scraper.extract.choice import ReadingChoice
from scraper.extract.core import MIN_TEXT_CHARS, Extraction, ExtractOptions, extract_article
from scraper.extract.metadata import detect_language, is_opinion_url
from scraper.extract.page import MAX_PAGE_BYTES, not_a_page
from scraper.extract.readability import readability_text

__all__ = ["MAX_PAGE_BYTES", "MIN_TEXT_CHARS", "ExtractOptions", "Extraction", "ReadingChoice",
           "detect_language", "extract_article", "is_opinion_url", "not_a_page", "readability_text"]
