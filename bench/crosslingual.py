"""Same story, within a language and across languages: the same-story model on SemEval-2022 task 8.

Reads ``../shared/data/clustering/semeval2022-task8/hfl-example-with-text/{training,testing}_set``
(article pairs with human ratings, 1 = same story ... 4 = unrelated). For the pairs across two
languages (de-en, zh-en, es-en, pl-en, es-it, de-fr) and for those in one, it measures on the
test pairs:

- the same-story model's probability (digest/stories/same_story.json, what the story stage
  decides by): Pearson r with the rating (negative: likely means a low rating), and precision,
  recall and F1 of "same story" (rating at most 1.5) at its threshold ``StoryOptions.likely``;
- beside it, in the same run: the cosine of the two texts' multilingual vectors alone
  (digest/vectors.py), and the similarity the clustering uses without the model (TF-IDF of
  words and of names; one language only), each at the threshold that does best on the
  training pairs;
- per language pair, r on the test pairs.

The training pairs are among what the model was fitted to (tools/train_same_story.py); the
test pairs never were. Published systems reach 0.82 Pearson (all pairs, large fine-tuned
multilingual models); systems without fine-tuning 0.51-0.71.

Usage: python -m bench.crosslingual
"""

from __future__ import annotations

import csv
import gzip
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr

from digest import vectors
from digest.stories import StoryOptions
from digest.stories.similarity import PairFeatures, same_story_probability
from digest.stories.similarity import vectorize as _vectorize

DATA = (Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "clustering"
        / "semeval2022-task8" / "hfl-example-with-text")

Pair = dict[str, str]


def _load(name: str) -> list[Pair]:
    csv.field_size_limit(10**9)
    with gzip.open(DATA / f"{name}.csv.gz", "rt", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _text(value: str) -> str:
    """The pair's text, its UTF-8 read back when the scrape stored it as Latin-1 (mojibake)."""
    try:
        return value.encode("latin-1").decode("utf-8")[:4000]
    except UnicodeError:
        return value[:4000]


def _documents(pairs: list[Pair]) -> list[tuple[str | None, str]]:
    docs: list[tuple[str | None, str]] = []
    for p in pairs:
        docs += [(p["lang1"], _text(p["text1"])), (p["lang2"], _text(p["text2"]))]
    return docs


def _meaning(pairs: list[Pair]) -> np.ndarray:
    return vectors.encode([vectors.article_passage("", text) for _, text in _documents(pairs)])


def same_story_model(pairs: list[Pair]) -> np.ndarray:
    """The same-story model's probability for each pair."""
    features = PairFeatures.of_texts([(lang, "", text) for lang, text in _documents(pairs)],
                                     _meaning(pairs))
    return np.concatenate([same_story_probability(features.features(2 * i, np.array([2 * i + 1])))
                           for i in range(len(pairs))])


def vectors_cosine(pairs: list[Pair]) -> np.ndarray:
    meaning = _meaning(pairs)
    return np.einsum("ij,ij->i", meaning[0::2], meaning[1::2])


def clustering_similarity(pairs: list[Pair]) -> np.ndarray:
    matrix = _vectorize(_documents(pairs), StoryOptions().names_weight)
    return np.array([(matrix[2 * i] @ matrix[2 * i + 1].T).sum() for i in range(len(pairs))])


def _threshold(sims: np.ndarray, same: np.ndarray) -> float:
    best, best_f1 = 0.0, -1.0
    for t in np.unique(np.round(sims, 3)):
        f1 = _prf(sims >= t, same)[2]
        if f1 > best_f1:
            best, best_f1 = float(t), f1
    return best


def _prf(predicted: np.ndarray, same: np.ndarray) -> tuple[float, float, float]:
    hits = float((predicted & same).sum())
    p = hits / predicted.sum() if predicted.sum() else 0.0
    r = hits / same.sum() if same.sum() else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _report(label: str, measure: Callable[[list[Pair]], np.ndarray], train: list[Pair],
            test: list[Pair], by_pair: bool, threshold: float | None = None) -> None:
    """``threshold``: the one to report F1 at (else the best on the training pairs)."""
    started = time.perf_counter()
    train_sims, test_sims = measure(train), measure(test)
    ratings = np.array([float(p["Overall"]) for p in test])
    chosen = _threshold(train_sims, np.array([float(p["Overall"]) <= 1.5 for p in train]))
    threshold = chosen if threshold is None else threshold
    p, r, f1 = _prf(test_sims >= threshold, ratings <= 1.5)
    print(f"  {label:<36} test r {pearsonr(test_sims, ratings)[0]:+.3f}  same story P {p:.3f} "
          f"R {r:.3f} F1 {f1:.3f} at {threshold:.3f}  {time.perf_counter() - started:.1f}s")
    if by_pair:
        names = sorted({f"{q['lang1']}-{q['lang2']}" for q in test})
        print("      r by pair: " + "  ".join(
            f"{n} {pearsonr(test_sims[i], ratings[i])[0]:+.2f}" for n in names
            if len(i := [k for k, q in enumerate(test) if f"{q['lang1']}-{q['lang2']}" == n]) > 2))


def main() -> int:
    if not DATA.exists():
        print(f"no data: {DATA} is absent (see ../shared/data/clustering/README.md)")
        return 1
    train, test = _load("training_set"), _load("testing_set")
    for kind, keep in (("across two languages", lambda p: p["lang1"] != p["lang2"]),
                       ("in one language", lambda p: p["lang1"] == p["lang2"])):
        tr, te = [p for p in train if keep(p)], [p for p in test if keep(p)]
        same = sum(float(p["Overall"]) <= 1.5 for p in te)
        print(f"pairs {kind}: {len(tr)} train, {len(te)} test ({same} of them the same story)")
        _report("same-story model (probability)", same_story_model, tr, te, True, StoryOptions().likely)
        _report("vectors' cosine alone", vectors_cosine, tr, te, False)
        if kind == "in one language":
            _report("the plain similarity (TF-IDF)", clustering_similarity, tr, te, False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
