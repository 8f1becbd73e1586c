"""Train the sentence-choice model the highlights and the paragraph use
(digest/highlight_model.json): a logistic regression over digest.highlights.FEATURES, each
candidate sentence labelled by whether a greedy ROUGE-1 oracle picks it for the human summary.

Data (read in place, never copied): the CNN/DailyMail train sample
(../shared/data/highlights/cnndm-train-sample-100) and the tune half of the AllSides roundups
(../shared/data/stories-allsides-tune, split by bench.editorial.allsides_half). Their test and
check halves (the CNN/DM test articles, the AllSides check half) are never read here.

    python -m tools.train_highlights [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def documents(data: Path) -> list[tuple[list[object], str]]:
    """(passages, human summary) of every training document."""
    from bench.editorial import allsides_half
    from digest.highlights import Passage

    docs: list[tuple[list[object], str]] = []
    csv.field_size_limit(10**9)
    with (data / "highlights/cnndm-train-sample-100/train_sample.csv").open() as f:
        for row in csv.DictReader(f):
            docs.append(([Passage(key="a", title="", text=row["article"])], row["highlights"]))
    folder = data / "stories-allsides-tune"
    references = json.loads((folder / "references.json").read_text())
    by_gold: dict[str, list[dict[str, str]]] = defaultdict(list)
    for line in (folder / "articles.jsonl").open():
        row = json.loads(line)
        by_gold[row["gold"]].append(row)
    for gold in sorted(g for g in by_gold if allsides_half(g) == "tune" and g in references):
        reports = sorted(by_gold[gold], key=lambda r: (r["published"], r["url"]))
        docs.append(([Passage(key=f"{r['source']}-{n}", title=r["title"], text=r["text"])
                      for n, r in enumerate(reports)], references[gold]["reference"]))
    return docs


def examples(docs: list[tuple[list[object], str]]) -> tuple[np.ndarray, np.ndarray]:
    from rouge_score import rouge_scorer

    from digest.highlights import features, prepare
    from digest.sentences import LONGEST, needs_antecedent, words_in

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    rows, labels = [], []
    for passages, reference in docs:
        candidates, similarities, centrality = prepare(passages)  # type: ignore[arg-type]
        if not candidates:
            continue
        eligible = [i for i, c in enumerate(candidates) if not c.formula
                    and words_in(c.text) <= LONGEST and not needs_antecedent(c.text)]
        chosen: list[int] = []
        best = 0.0
        while len(chosen) < 3:  # the greedy oracle: the sentence that raises ROUGE-1 most
            gains = [(scorer.score(reference, " ".join(candidates[j].text for j in [*chosen, i]))
                      ["rouge1"].fmeasure, i) for i in eligible if i not in chosen]
            if not gains or max(gains)[0] <= best:
                break
            best, pick = max(gains)
            chosen.append(pick)
        rows.append(features(candidates, passages, similarities, centrality))  # type: ignore[arg-type]
        labels.append(np.array([1.0 if i in chosen else 0.0 for i in range(len(candidates))]))
    return np.vstack(rows), np.concatenate(labels)


def main() -> int:
    from sklearn.linear_model import LogisticRegression

    from digest.highlights import FEATURES, MODEL_FILE

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    if not (args.data / "highlights").is_dir():
        print(f"no training data at {args.data}: nothing trained")
        return 1
    x, y = examples(documents(args.data))
    # the bias is a feature of its own: no second intercept
    model = LogisticRegression(C=1.0, fit_intercept=False, max_iter=2000).fit(x, y)
    weights = [round(float(w), 4) for w in model.coef_[0]]
    MODEL_FILE.write_text(json.dumps({
        "features": list(FEATURES), "weights": weights,
        "trained_on": "CNN/DM train sample (100) + AllSides roundups, tune half",
        "examples": len(y), "positives": int(y.sum())}, indent=1) + "\n")
    print(f"{len(y)} sentences, {int(y.sum())} chosen by the oracle; weights:")
    for name, w in zip(FEATURES, weights, strict=True):
        print(f"  {name:<14} {w:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
