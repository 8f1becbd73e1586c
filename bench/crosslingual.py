"""Same story across languages: the cross-language similarity on SemEval-2022 task 8 pairs.

Reads ``../shared/data/clustering/semeval2022-task8/hfl-example-with-text/{training,testing}_set``
(article pairs with human ratings, 1 = same story ... 4 = unrelated). For the cross-language pairs
(de-en, zh-en, es-en, pl-en, es-it, de-fr) it measures digest.stories.crosslingual's similarity, and the
alternatives it was chosen over, each with its threshold chosen on the training pairs:

- Pearson r of the similarity with the rating (negative: similar means a low rating);
- precision, recall and F1 of "same story" (rating at most 1.5) at that threshold;
- per language pair, r on the test pairs.

For the same-language pairs it gives the same figures for the similarity the clustering uses
within a language (digest.stories: TF-IDF of words and of names), to show what it stands on, and
for the same-story model's probability (digest/stories/same_story.json; trained on the training pairs,
so its "train r" is not held out), at its threshold 0.5.
Published systems reach about 0.8 Pearson (all pairs) with large multilingual models.

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

from digest import crosslingual
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
        return value.encode("latin-1").decode("utf-8")[:3000]
    except UnicodeError:
        return value[:3000]


def _documents(pairs: list[Pair]) -> list[tuple[str | None, str]]:
    docs: list[tuple[str | None, str]] = []
    for p in pairs:
        docs += [(p["lang1"], _text(p["text1"])), (p["lang2"], _text(p["text2"]))]
    return docs


def crosslingual_similarity(pairs: list[Pair], part: str = "both") -> np.ndarray:
    bridge, chars = crosslingual.similarity_matrices(_documents(pairs))
    scale = {"both": (1.0, 1.0), "names": (1 / (1 - crosslingual.CHAR_WEIGHT), 0.0),
             "chars": (0.0, 1 / crosslingual.CHAR_WEIGHT)}[part]
    return np.array([scale[0] * (bridge[2 * i] @ bridge[2 * i + 1].T).sum()
                     + scale[1] * (chars[2 * i] @ chars[2 * i + 1].T).sum()
                     for i in range(len(pairs))])


def clustering_similarity(pairs: list[Pair]) -> np.ndarray:
    vectors = _vectorize(_documents(pairs), StoryOptions().names_weight)
    return np.array([(vectors[2 * i] @ vectors[2 * i + 1].T).sum() for i in range(len(pairs))])


def same_story_model(pairs: list[Pair]) -> np.ndarray:
    """The same-story model's probability for each pair (digest/stories/same_story.json)."""
    features = PairFeatures.of_texts([(lang, "", text) for lang, text in _documents(pairs)])
    return np.concatenate([same_story_probability(features.features(2 * i, np.array([2 * i + 1])))
                           for i in range(len(pairs))])


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
    train_r = pearsonr(train_sims, [float(q["Overall"]) for q in train])[0]
    line = (f"  {label:<34} train r {train_r:+.3f}  test r {pearsonr(test_sims, ratings)[0]:+.3f}  "
            f"same story P {p:.3f} "
            f"R {r:.3f} F1 {f1:.3f} at {threshold:.3f} (train's best {chosen:.3f})  "
            f"{time.perf_counter() - started:.1f}s")
    print(line)
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
    for kind, keep in (("cross-language", lambda p: p["lang1"] != p["lang2"]),
                       ("same-language", lambda p: p["lang1"] == p["lang2"])):
        tr, te = [p for p in train if keep(p)], [p for p in test if keep(p)]
        same = sum(float(p["Overall"]) <= 1.5 for p in te)
        print(f"{kind} pairs: {len(tr)} train, {len(te)} test ({same} of them the same story)")
        if kind == "cross-language":
            _report("digest.stories.crosslingual (names + chars)", crosslingual_similarity, tr, te, True,
                    StoryOptions().cross_language_similarity)
            _report("names and numbers only", lambda ps: crosslingual_similarity(ps, "names"),
                    tr, te, False)
            _report("character 4-grams only", lambda ps: crosslingual_similarity(ps, "chars"),
                    tr, te, False)
            _report("the clustering's (one language)", clustering_similarity, tr, te, False)
        else:
            _report("the clustering's (one language)", clustering_similarity, tr, te, True)
            _report("same-story model (probability)", same_story_model, tr, te, True,
                    StoryOptions().same_story)
            _report("digest.stories.crosslingual (names + chars)", crosslingual_similarity, tr, te, False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
