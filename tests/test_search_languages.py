"""Search in every language the sources write, on SQLite and PostgreSQL: for Chinese,
Japanese, Russian, Arabic, French, German and English, a query that must find a stored article
(another form of its word, a word inside a run of characters written without spaces) and one
that must not; the web's /search shows them; and a store made before finds its articles once
migrated."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from digest.config import SourceConfig
from digest.domain import NewArticle
from digest.store import Store

WHEN = datetime(2026, 6, 8, 7, 0, tzinfo=UTC)
ARTICLES = {
    "zh": ("中国海警回应菲律宾船只", "中国海警船在仁爱礁附近对菲律宾补给船使用了水炮，外交部发言人表示中方依法维权。"),
    "ja": ("日中首脳会談へ調整", "外務大臣は記者会見で、日中首脳会談の開催に向けて調整していると述べた。"),
    "ru": ("Обмен пленными", "Стороны провели обмен военнопленных в пятницу при посредничестве ОАЭ."),
    "ar": ("موعد الانتخابات", "أعلنت وزارة الخارجية إجراء الانتخابات الرئاسية في موعدها المحدد."),
    "fr": ("Présidentielle", "Les électeurs se sont rendus aux urnes pour les élections présidentielles."),
    "de": ("Treffen in Berlin", "Die Außenministerin traf ihren Amtskollegen zu Gesprächen über die Verhandlungen."),
    "en": ("Talks resume", "Negotiators resumed ceasefire talks in Geneva on Monday."),
}
# (language, query, found): another form of a word, a word within a run, and words not there
QUERIES = [
    ("zh", "仁爱礁", True), ("zh", "水炮", True), ("zh", "黄岩岛", False),
    ("ja", "首脳会談", True), ("ja", "記者会見", True), ("ja", "国連総会", False),
    ("ru", "военнопленный", True), ("ru", "обмена", True), ("ru", "перемирие", False),
    ("ar", "الانتخابات", True), ("ar", "انتخاب", True), ("ar", "الحدود", False),
    ("fr", "élection", True), ("fr", "électeur", True), ("fr", "frontière", False),
    ("de", "Verhandlung", True), ("de", "Gespräch", True), ("de", "Waffenstillstand", False),
    ("en", "negotiations", True), ("en", "resuming", True), ("en", "earthquake", False),
]


def _stored(store: Store) -> dict[str, int]:
    ids = store.add_articles([NewArticle(source="wire", url=f"https://example.org/{code}", title=title,
                                         text=body, published=WHEN, language=code)
                              for code, (title, body) in ARTICLES.items()])
    return {code: i for code, i in zip(ARTICLES, ids, strict=True) if i is not None}


@pytest.mark.parametrize(("language", "query", "found"), QUERIES)
def test_a_query_finds_its_article_in_every_language(store: Store, language: str, query: str,
                                                    found: bool) -> None:
    ids = _stored(store)
    hits = store.search(query)
    if found:
        assert [h.article_id for h in hits] == [ids[language]], query
        assert "[" in hits[0].snippet and "]" in hits[0].snippet, hits[0].snippet
    else:
        assert hits == [], query


def test_the_web_search_page_finds_chinese_and_russian(store: Store, tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from digest import web
    from digest.config import load_config

    _stored(store)
    config = tmp_path / "config.yaml"
    config.write_text(f'database: "{store.url}"\nsources: [{{name: wire, kind: feed, url: '
                      '"https://example.org/rss"}]\nmail: {from: "D <d@example.org>", outbox: o}\n')
    client = TestClient(web.create_app(load_config(config), store))
    page = client.get("/search", params={"q": "仁爱礁"})
    assert page.status_code == 200 and "中国海警回应菲律宾船只" in page.text
    assert "[仁爱礁]" in page.text  # the words found, marked in the snippet
    assert "Обмен пленными" in client.get("/search", params={"q": "военнопленный"}).text
    assert "Nothing found" in client.get("/search", params={"q": "黄岩岛"}).text


def test_a_store_made_before_finds_its_articles_once_migrated(tmp_path: Path) -> None:
    """Articles stored under the English-only index (migration 0010) are indexed again."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from digest.store._database import _MIGRATIONS

    store = Store(f"sqlite:///{tmp_path}/old.db")
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0017")
    store.sync_sources([SourceConfig(name="wire", kind="feed", url="https://example.org/rss")])
    with store.engine.begin() as conn:
        source = conn.execute(text("SELECT id FROM sources")).scalar_one()
        for n, (code, (title, body)) in enumerate(ARTICLES.items()):
            conn.execute(text(
                "INSERT INTO articles (source_id, url, title, text, language, content_hash, "
                "is_opinion, fetched_at) VALUES (:s, :u, :t, :x, :l, :h, 0, '2026-06-08 07:00:00')"),
                {"s": source, "u": f"https://example.org/{code}", "t": title, "x": body,
                 "l": code, "h": f"h{n}"})
    store.migrate()
    assert [h.title for h in store.search("水炮")] == [ARTICLES["zh"][0]]
    assert [h.title for h in store.search("военнопленный")] == [ARTICLES["ru"][0]]
