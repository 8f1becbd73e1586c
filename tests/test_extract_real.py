"""Golden tests on real saved pages from ../shared/data (never copied into the repository):
the government pages with their annotated snippets, and news pages in Chinese, Russian and
Japanese with their gold title, date and body. Skipped where the data is absent."""

from __future__ import annotations

import gzip
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from scraper.extract import extract_article

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real-pages"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"real pages not found at {DATA}")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# page -> (title, publication day) as extracted; every "with" snippet must be in the text and
# every "without" snippet absent, except the leaks listed in KNOWN_LEAKS.
GOVERNMENT = {
    "admin.ch/wbf.admin.ch.14093.html": ("Städteschutz statt Alpentrutz", "2019-02-14"),
    "auswaertiges-amt.de/auswaertiges-amt.de-Italien.html": ("Italien: Reise- und Sicherheitshinweise", "2021-11-12"),
    "bundespraesident.de/bundespraesident.de.20030331.html": (
        "Rede von Bundespräsident Johannes Rau beim Föderalismuskonvent der deutschen Landesparlamente", "2003-03-31"),
    "bundespolizei.de/bundespolizei.de-Belarus.html": (
        "Illegale Migration aus Belarus über Polen nach Deutschland: Bereits 9.087 Feststellungen durch die "
        "Bundespolizei im laufenden Jahr", "2021-11-10"),
    "bsi.bund.de/bsi.de-ki.html": (
        "Sicherheits-Check für Künstliche Intelligenz in Autos: BSI und ZF starten Projekt mit TÜViT", "2022-01-28"),
    "bundesrat.de/bundesrat.de-erinnerungen.html": ("Erinnerung an die Opfer der NS-Verbrechen", "2022-01-27"),
    "bmjv.de/bmjv.de.konsum.html": ("Transparenz bei Preisanpassungen", "2016-01-02"),
    "jis.gov.jm/jis.gov.jm-investment.html": ("Wide Range Of Investment Opportunities At AICE 2022", "2022-04-26"),
    "umweltbundesamt.de/umweltbundesamt.de-atomkraft.html": (
        "EU-Taxonomie: Atomkraft und Erdgas sind nicht nachhaltig", "2022-01-25"),
}
KNOWN_MISSES = {"umweltbundesamt.de/umweltbundesamt.de-atomkraft.html", "bmfsfj.de/bmfsfj.de-praesidentschaft.html"}
KNOWN_LEAKS = {"admin.ch/wbf.admin.ch.14093.html", "jis.gov.jm/jis.gov.jm-investment.html",
               "bmjv.de/bmjv.de.konsum.html"}


def _evaldata() -> dict[str, dict[str, object]]:
    return json.loads((DATA / "government" / "trafilatura-evaldata-subset.json").read_text())  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", sorted(GOVERNMENT))
def test_government_page(path: str) -> None:
    item = _evaldata()[path]
    url = str(item["url"])
    result = extract_article((DATA / "government" / path).read_bytes(),
                             url=None if url.startswith("hard::") else url)
    assert result is not None
    title, day = GOVERNMENT[path]
    assert result.title == title
    assert result.published is not None and result.published.date().isoformat() == day
    text = _norm(result.text)
    found = [_norm(s) in text for s in item["with"]]  # type: ignore[attr-defined]
    assert all(found) or path in KNOWN_MISSES, found
    leaked = [s for s in item["without"] if _norm(s) in text]  # type: ignore[attr-defined]
    assert not leaked or path in KNOWN_LEAKS, leaked


def test_government_snippets_overall() -> None:
    """Across all 13 annotated government pages: recall of main-text snippets, boilerplate leaks."""
    found = total = leaks = 0
    for path, item in _evaldata().items():
        url = str(item["url"])
        result = extract_article((DATA / "government" / path).read_bytes(),
                                 url=None if url.startswith("hard::") else url)
        text = _norm(result.text) if result else ""
        found += sum(_norm(s) in text for s in item["with"])  # type: ignore[attr-defined]
        total += len(item["with"])  # type: ignore[arg-type]
        leaks += sum(_norm(s) in text for s in item["without"])  # type: ignore[attr-defined]
    assert found / total >= 0.94
    assert leaks <= 5


# (file, language, title matches gold exactly)
NEWS = [
    ("cn/People_2024_04_24.html.gz", "zh", True),  # no lang attribute: detected from the text
    ("ru/Kommersant_2025_05_14.html.gz", "ru", True),
    ("jp/AsahiShimbun_2025_01_13.html.gz", "ja", True),
]


@pytest.mark.parametrize(("key", "language", "exact_title"), NEWS)
def test_chinese_russian_japanese_news(key: str, language: str | None, exact_title: bool) -> None:
    gold = json.loads((DATA / "news-fundus" / "ground-truth.json").read_text())[key]
    html = gzip.decompress((DATA / "news-fundus" / "test_data" / key).read_bytes())
    result = extract_article(html, url=gold["url"])
    assert result is not None
    assert (_norm(result.title) == _norm(gold["title"])) is exact_title
    gold_day = datetime.fromisoformat(gold["publishing_date"]).date()
    assert result.published is not None and result.published.date() in (
        gold_day, datetime.fromisoformat(gold["publishing_date"]).astimezone().date())
    assert result.language == language
    body = _norm(gold["articleBody"])
    text = _norm(result.text)
    assert body[:40] in text and body[-40:] in text  # first and last sentences kept
    assert len(text) < 1.3 * len(body)  # and not much else
