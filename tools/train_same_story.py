"""Train the same-story model shipped in digest/stories/same_story.json.

A logistic regression over ``digest.stories.PairFeatures`` (cosines of words, of names and
numbers, of titles, of leads; overlap of numbers) of two articles, fitted on pairs labelled
"same event" or not:

- ECB+ train and dev topics (never the test topics 36-45): every pair within a topic (same
  event_cluster or the other event of the same kind: the hard negatives), and 2% of the pairs
  across topics;
- SemEval-2022 task 8 training pairs in one language: rating at most 1.5 is the same story,
  2.5 or more is not (those between are left out).

Prints the pair AUC of each feature alone and of the model on the held-out parts (ECB+ test
topics, SemEval test pairs), then writes the model. Usage: python -m tools.train_same_story
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from digest.stories.similarity import PairFeatures

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "clustering"

OUT = ROOT / "digest" / "stories" / "same_story.json"
Pairs = tuple[np.ndarray, np.ndarray]


def ecb(split: set[str], rng: random.Random) -> Pairs:
    docs = [d for d in map(json.loads, (DATA / "ecbplus" / "ecbplus_documents.jsonl").open())
            if d["split"] in split]

    def title(d: dict[str, object]) -> str:
        sentences = [str(s) for s in d["sentences_tokenized"]]  # type: ignore[attr-defined]
        sentences = sentences[1:] if d.get("source_url") else sentences
        return sentences[0][:200] if sentences else ""

    features = PairFeatures.of_texts([("en", title(d), str(d["text"])) for d in docs])
    rows, labels = [], []
    for i in range(len(docs)):
        partners = [j for j in range(i + 1, len(docs))
                    if docs[i]["topic"] == docs[j]["topic"] or rng.random() < 0.02]
        if partners:
            rows.append(features.features(i, np.array(partners)))
            labels += [docs[i]["event_cluster"] == docs[j]["event_cluster"] for j in partners]
    return np.vstack(rows), np.array(labels)


def semeval(name: str) -> Pairs:
    csv.field_size_limit(10**9)
    path = DATA / "semeval2022-task8" / "hfl-example-with-text" / f"{name}.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        pairs = [p for p in csv.DictReader(f) if p["lang1"] == p["lang2"]
                 and (float(p["Overall"]) <= 1.5 or float(p["Overall"]) >= 2.5)]

    def text(value: str) -> str:
        try:
            return value.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return value

    docs = [(p[f"lang{k}"], "", text(p[f"text{k}"])) for p in pairs for k in ("1", "2")]
    features = PairFeatures.of_texts(docs)
    rows = np.vstack([features.features(2 * i, np.array([2 * i + 1])) for i in range(len(pairs))])
    return rows, np.array([float(p["Overall"]) <= 1.5 for p in pairs])


def main() -> int:
    if not DATA.is_dir():
        print(f"tools/train_same_story.py: {DATA} is absent; nothing trained.")
        return 2
    rng = random.Random(7)
    train = [ecb({"train", "dev"}, rng), semeval("training_set")]
    held_out = {"ECB+ test topics": ecb({"test"}, rng), "SemEval test (one language)": semeval("testing_set")}
    x = np.vstack([t[0] for t in train])
    y = np.concatenate([t[1] for t in train])
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(x, y)
    print(f"trained on {len(y)} pairs ({int(y.sum())} same story)")
    for label, (hx, hy) in held_out.items():
        alone = "  ".join(f"{n} {roc_auc_score(hy, hx[:, k]):.3f}" for k, n in enumerate(PairFeatures.NAMES))
        print(f"  {label}: pair AUC, model {roc_auc_score(hy, model.predict_proba(hx)[:, 1]):.3f}; "
              f"each feature alone: {alone}")
    OUT.write_text(json.dumps({
        "about": "Same-story model for digest/stories/similarity.py: logistic regression over PairFeatures, "
                 "trained by tools/train_same_story.py on ECB+ train+dev topics and SemEval-2022 "
                 "task 8 training pairs in one language.",
        "features": list(PairFeatures.NAMES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
    }, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
