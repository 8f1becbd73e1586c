"""Train the reading choice shipped in scraper/extract/reading_choice.json.

``extract_article`` reads each page twice: trafilatura (checked line by line against
readability) and readability (trafilatura's port). Neither is better on every page: taking the
better of the two per page would lift CleanEval by about 0.04. This fits a small gradient-boosted
ensemble of depth-2 trees over ``scraper.extract.ReadingChoice.features`` (what the two texts
say of each other, nothing about a site or a language) that says when readability's is the
better one (its F1 above the other's by more than ``MARGIN``).

It is fitted on the tune halves (by a hash of the page's name, as bench/extraction.py splits
them) of CleanEval, Dragnet, L3S-GN1, newspaper4k's and Mozilla readability's test pages
(bag-of-tokens F1), the Zyte benchmark and fundus (shingle F1), and prints, for each set and
half, the F1 of trafilatura's reading, of readability's, of the choice, and of the better of
the two per page (the ceiling). The held-out halves are never fitted on.

    python -m tools.train_reading_choice [--data ../shared/data] [--check]

``--check`` prints the figures of the shipped model without writing it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import mean

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier

from bench.extraction import DEFAULT_DATA, half, news_cases, shingle_counts, token_prf
from scraper.extract import ExtractOptions, ReadingChoice, extract_article, readability_text

ROOT = Path(__file__).resolve().parent.parent

OUT = ROOT / "scraper" / "extract" / "reading_choice.json"
MARGIN = 0.02  # readability's reading is "better" when its F1 is higher by more than this
THRESHOLD = 0.5
TREES, DEPTH, RATE = 150, 2, 0.05
_FIRST, _SECOND = ExtractOptions(reading="trafilatura"), ExtractOptions(reading="readability")


@dataclass(frozen=True)
class Page:
    dataset: str
    half: str
    features: list[float]
    first: float   # F1 of trafilatura's reading (checked against readability's)
    second: float  # F1 of readability's reading (cleaned of the same boilerplate lines)


def _token_f1(gold: str) -> Callable[[str], float]:
    return lambda text: token_prf(gold, text)[2]


def _shingle_f1(gold: str) -> Callable[[str], float]:
    def score(text: str) -> float:
        tp, fp, fn = shingle_counts(gold, text)
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return score


def _page(dataset: str, name: str, html: bytes, url: str | None, now: datetime,
          score: Callable[[str], float]) -> Page:
    found = extract_article(html, url=url, now=now, options=_FIRST)
    other = extract_article(html, url=url, now=now, options=_SECOND)
    first = found.text if found else ""
    title = found.title if found else ""
    # the choice sees readability's text as read; it is kept cleaned like the other
    features = ReadingChoice.features(first, readability_text(html), title)
    return Page(dataset, half(name), features, score(first), score(other.text if other else ""))


def pages(data: Path) -> Iterator[Page]:
    now = datetime.now(UTC)
    more = data / "extraction-more"
    for line in (more / "manifest.jsonl").open():
        item = json.loads(line)
        gold = (more / item["gold"]).read_text(encoding="utf-8", errors="replace")
        yield _page(item["dataset"], item["id"], (more / item["html"]).read_bytes(), None, now,
                    _token_f1(gold))
    zyte = data / "article-extraction-benchmark"
    truth = json.loads((zyte / "ground-truth.json").read_text())
    for key in sorted(truth):
        html = gzip.decompress((zyte / "html" / f"{key}.html.gz").read_bytes())
        yield _page("zyte", key, html, truth[key].get("url"), now,
                    _shingle_f1(truth[key]["articleBody"]))
    fundus = data / "real-pages" / "news-fundus"
    for key, gold in sorted(json.loads((fundus / "ground-truth.json").read_text()).items()):
        html = gzip.decompress((fundus / "test_data" / key).read_bytes())
        crawled = datetime.fromisoformat(gold["crawl_date"]).replace(tzinfo=UTC)
        yield _page("fundus", key, html, gold["url"], crawled + timedelta(days=1),
                    _shingle_f1(gold["articleBody"]))
    for dataset, cases in news_cases(data).items():
        for case in cases:
            yield _page(dataset, case.name, gzip.decompress(case.html.read_bytes()), None, now,
                        _token_f1(case.gold))


def export(model: GradientBoostingClassifier) -> dict[str, object]:
    """The ensemble as nested lists: ``[feature, threshold, left, right]``, a leaf its value."""
    def node(tree: object, i: int) -> object:
        t = tree.tree_  # type: ignore[attr-defined]
        if t.children_left[i] == -1:
            return round(float(t.value[i][0][0]), 6)
        return [int(t.feature[i]), round(float(t.threshold[i]), 6),
                node(tree, t.children_left[i]), node(tree, t.children_right[i])]

    prior = float(model.init_.class_prior_[1])
    return {
        "features": list(ReadingChoice.NAMES),
        "base": round(float(np.log(prior / (1 - prior))), 6),
        "rate": RATE,
        "threshold": THRESHOLD,
        "trees": [node(estimator[0], 0) for estimator in model.estimators_],
    }


def report(found: list[Page], choice: ReadingChoice) -> None:
    print(f"{'set':<10} {'half':<9} {'trafilatura':>11} {'readability':>11} {'choice':>7} "
          f"{'ceiling':>7}  chose readability")
    for dataset in sorted({p.dataset for p in found}):
        for part in ("tune", "held-out"):
            rows = [p for p in found if p.dataset == dataset and p.half == part]
            chosen = [choice.probability(p.features) > choice.threshold for p in rows]
            print(f"{dataset:<10} {part:<9} {mean(p.first for p in rows):>11.3f} "
                  f"{mean(p.second for p in rows):>11.3f} "
                  f"{mean(p.second if c else p.first for p, c in zip(rows, chosen, strict=True)):>7.3f} "
                  f"{mean(max(p.first, p.second) for p in rows):>7.3f}  {sum(chosen)}/{len(rows)}")


def _model() -> GradientBoostingClassifier:
    return GradientBoostingClassifier(n_estimators=TREES, max_depth=DEPTH, learning_rate=RATE,
                                      subsample=0.8, random_state=0)


def cross_validated_gain(tune: list[Page]) -> float:
    """Five-fold cross-validation on the tune halves: the F1 per page the choice adds to
    trafilatura's reading, each fold's pages chosen by a model fitted on the other four."""
    from sklearn.model_selection import KFold

    x = np.array([p.features for p in tune])
    y = np.array([p.second > p.first + MARGIN for p in tune])
    gains: list[float] = []
    for fit, held in KFold(5, shuffle=True, random_state=0).split(x):
        chosen = _model().fit(x[fit], y[fit]).predict_proba(x[held])[:, 1] > THRESHOLD
        gains += [(tune[i].second - tune[i].first) if c else 0.0
                  for i, c in zip(held.tolist(), chosen.tolist(), strict=True)]
    return mean(gains)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--check", action="store_true", help="report the shipped model; write nothing")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"tools/train_reading_choice.py: the data sets are absent ({args.data} not found); "
              "nothing trained.")
        return 2
    found = list(pages(args.data))
    if args.check:
        report(found, ReadingChoice.load())
        return 0
    tune = [p for p in found if p.half == "tune"]
    print(f"five-fold cross-validation on the tune halves: {cross_validated_gain(tune):+.4f} F1 "
          "per page over trafilatura's reading")
    model = _model()
    model.fit(np.array([p.features for p in tune]),
              np.array([p.second > p.first + MARGIN for p in tune]))
    data = export(model)
    choice = ReadingChoice(data)
    exported = np.array([choice.probability(p.features) for p in found])
    fitted = model.predict_proba(np.array([p.features for p in found]))[:, 1]
    assert np.allclose(exported, fitted, atol=1e-6), "the exported trees disagree with the model"
    report(found, choice)
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
