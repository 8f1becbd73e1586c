"""What a text is about, as a vector: translations lie close, unrelated texts far, and what is
stored reads back as what was made."""

from __future__ import annotations

import numpy as np

from digest import vectors
from digest.domain import Segment
from tests.multilingual_texts import SWAP, TARIFF_TALKS


def test_a_report_and_its_translation_are_closer_than_another_event_in_the_same_language() -> None:
    languages = sorted(SWAP)
    swap = vectors.encode([vectors.article_passage(*SWAP[lang]) for lang in languages])
    talks = vectors.encode([vectors.article_passage(*TARIFF_TALKS[lang]) for lang in languages])
    assert swap.shape == (len(languages), vectors.DIMENSIONS)
    assert np.allclose(np.linalg.norm(swap, axis=1), 1, atol=1e-3)
    english = languages.index("en")
    for i, lang in enumerate(languages):
        if lang == "en":
            continue
        # the same event in English is nearer than the other event in the language itself
        assert swap[i] @ swap[english] > swap[i] @ talks[i], lang
        assert talks[i] @ talks[english] > talks[i] @ swap[i], lang


def test_passages_are_the_title_and_lead_and_empty_text_is_a_zero_row() -> None:
    long_text = " ".join(f"Sentence number {n} says something about the talks." for n in range(40))
    passage = vectors.article_passage("Talks resume", long_text)
    assert passage.startswith("Talks resume Sentence number 0")
    assert len(passage) <= vectors.LEAD_CHARS and "number 3 " not in passage
    answer = Segment(paragraphs=(long_text,), question="Will the talks resume?", asked_by=None,
                     speaker=None, answer=long_text)
    assert vectors.segment_passage(answer).startswith("Will the talks resume? Sentence number 0")
    rows = vectors.encode(["", "Talks resume"])
    assert not rows[0].any() and rows[1].any()


def test_a_stored_vector_reads_back_as_made() -> None:
    [made] = vectors.encode([vectors.article_passage(*SWAP["de"])])
    stored = vectors.pack(made)
    assert len(stored) == 2 * vectors.DIMENSIONS  # float16
    back = vectors.unpack(stored)
    assert back.dtype == np.float32 and abs(np.linalg.norm(back) - 1) < 1e-6
    assert float(back @ made) > 0.9999
