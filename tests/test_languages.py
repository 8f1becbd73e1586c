"""One event in two languages is one stored story, told to each reader in theirs: English with
Russian, Arabic, French, German, Japanese or Chinese, as the story stage stores it and a
reader's preview shows it; the vectors the grouping uses are made once and kept in the store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, update

from digest import vectors
from digest.config import load_config
from digest.domain import NewArticle
from digest.models import ArticleRow
from digest.stages import build_stories, open_store
from digest.store import Store
from tests.builders import config_file, feed
from tests.conftest import run_digest
from tests.multilingual_texts import SWAP, TARIFF_TALKS

EVENTS = {"swap": SWAP, "tariffs": TARIFF_TALKS}


def _day(tmp_path: Path, language: str, subscribers: list[dict[str, object]] | None = None) -> Path:
    """A store holding both events from an English wire and a paper in ``language``, plus an
    English report of neither; returns the config file."""
    config = config_file(tmp_path, sources=[
        feed("wire", "https://wire.example/rss", title="Globe Wire", language="en"),
        feed("paper", "https://paper.example/rss", title="Paper", language=language),
    ], subscribers=subscribers, digest={"window_hours": 48, "max_stories": 10})
    store = open_store(load_config(config))
    now = datetime.now(UTC)
    new = [NewArticle(source=source, url=f"https://{source}.example/{event}",
                      title=texts[lang][0], text=texts[lang][1], language=lang,
                      published=now - timedelta(hours=hours))
           for event, texts in EVENTS.items()
           for source, lang, hours in (("wire", "en", 3), ("paper", language, 2))]
    new.append(NewArticle(source="wire", url="https://wire.example/harvest",
                          title="Wheat harvest in Kansas beats forecasts",
                          text="Farmers in Kansas brought in a record wheat harvest this summer after "
                               "timely rains, the state's agriculture department said on Monday. "
                               "Yields rose by a fifth compared with last year.",
                          language="en", published=now - timedelta(hours=1)))
    store.add_articles(new)
    store.close()
    return config


@pytest.mark.parametrize("language", ["ru", "ar", "fr", "de", "ja", "zh"])
def test_an_event_in_english_and_another_language_is_one_stored_story(tmp_path: Path, language: str) -> None:
    config = load_config(_day(tmp_path, language))
    store = open_store(config)
    now = datetime.now(UTC)
    build_stories(config, store, now)
    stored = store.stories_updated_since(now - timedelta(days=1))
    groups = sorted(sorted(src.url for src in s.sources) for s in stored)
    assert groups == [["https://paper.example/swap", "https://wire.example/swap"],
                      ["https://paper.example/tariffs", "https://wire.example/tariffs"],
                      ["https://wire.example/harvest"]]
    # the story's versions: English first (its first report), then the other language's
    swap = next(s for s in stored if any(src.url.endswith("/swap") for src in s.sources))
    assert swap.language == "en" and [v.language for v in swap.versions] == [language]
    assert swap.in_language([language]).title == SWAP[language][0]

    # every article's vector is stored with the model that made it
    with store.session() as s:
        rows = s.scalars(select(ArticleRow)).all()
        assert {row.vectors_made for row in rows} == {vectors.MODEL}
        made = {row.url: vectors.unpack(row.vector) for row in rows if row.vector}
    assert len(made) == 5 and all(abs(np.linalg.norm(v) - 1) < 0.01 for v in made.values())
    store.close()


def test_vectors_are_made_once_and_read_back(tmp_path: Path) -> None:
    """A second story run reads the stored vectors and makes none: one made by hand stays as it was."""
    config = load_config(_day(tmp_path, "fr"))
    store = open_store(config)
    now = datetime.now(UTC)
    build_stories(config, store, now)
    size = len(vectors.unpack(_vector(store, "https://wire.example/harvest")))
    marker = vectors.pack(np.full(size, 1 / np.sqrt(size), dtype=np.float32))
    with store.session() as s:
        s.execute(update(ArticleRow).where(ArticleRow.url == "https://wire.example/harvest")
                  .values(vector=marker))
    build_stories(config, store, now + timedelta(minutes=5))
    assert _vector(store, "https://wire.example/harvest") == marker
    # a vector made by another model is made again
    with store.session() as s:
        s.execute(update(ArticleRow).where(ArticleRow.url == "https://wire.example/harvest")
                  .values(vectors_made="an older model"))
    build_stories(config, store, now + timedelta(minutes=10))
    assert _vector(store, "https://wire.example/harvest") != marker
    store.close()


def _vector(store: Store, url: str) -> bytes:
    with store.session() as s:
        vector = s.scalar(select(ArticleRow.vector).where(ArticleRow.url == url))
    assert vector is not None
    return bytes(vector)


def test_each_reader_gets_the_story_in_their_language(tmp_path: Path) -> None:
    """A reader of Chinese gets the Chinese reports' version; a story with no Chinese report is
    marked "(in English)" for a reader who also reads English, and left out for one who does not."""
    config = _day(tmp_path, "zh", subscribers=[
        {"email": "zh-en@example.org", "languages": ["zh", "en"]},
        {"email": "zh@example.org", "languages": ["zh"]},
        {"email": "en@example.org", "languages": ["en"]},
    ])
    built = run_digest("stories", "--config", str(config), "--json")
    assert built.code == 0, built.err

    def preview(email: str) -> tuple[dict[str, object], str]:
        out = tmp_path / email
        shown = run_digest("preview", "--config", str(config), "--subscriber", email, "--out", str(out))
        assert shown.code == 0, shown.err
        return json.loads((out / "digest.json").read_text()), (out / "digest.txt").read_text()

    both, text = preview("zh-en@example.org")
    titles = [s["title"] for s in both["stories"]]  # type: ignore[index]
    assert SWAP["zh"][0] in titles and TARIFF_TALKS["zh"][0] in titles
    # the digest around the stories is in the reader's first language: the mark, the labels
    assert "Wheat harvest in Kansas beats forecasts （英语）" in text
    assert f"{SWAP['zh'][0]} （" not in text  # the reader's own language is not marked
    assert "要点" in text and "来源：" in text and "Highlights" not in text

    only, _ = preview("zh@example.org")
    assert sorted(s["title"] for s in only["stories"]) == sorted(  # type: ignore[index]
        [SWAP["zh"][0], TARIFF_TALKS["zh"][0]])

    english, text = preview("en@example.org")
    assert {s["title"] for s in english["stories"]} == {  # type: ignore[index]
        SWAP["en"][0], TARIFF_TALKS["en"][0], "Wheat harvest in Kansas beats forecasts"}
    assert "(in " not in text


def test_the_languages_a_reader_can_ask_for_are_those_the_detector_tells_apart() -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from digest.languages import DETECTED, language_name
    from scraper.extract.metadata import _MACROLANGUAGE

    model = LanguageIdentifier.from_model_file(MODEL_FILE).nb_classes
    assert {_MACROLANGUAGE.get(c, c) for c in model if len(_MACROLANGUAGE.get(c, c)) == 2} == DETECTED
    assert language_name("zh") == "Chinese" and language_name("zh", "zh") == "中文"
