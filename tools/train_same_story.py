"""Train the same-story model shipped in digest/stories/same_story.json.

A logistic regression over ``digest.stories.similarity.PairFeatures`` (the cosine of two units'
multilingual vectors; cosines of their words, names and numbers, titles and leads within a
language; the overlap of their numbers; across languages, the names and numbers they share),
fitted on pairs labelled "same event" or not:

- ECB+ train and dev topics (never the test topics 36-45): every pair within a topic (same
  event_cluster, or another event of the same kind: the hard negatives), and 2% across topics;
- SemEval-2022 task 8 training pairs, in one language and across two: rating at most 1.5 is
  the same story, 2.5 or more is not (those between are left out);
- the AllSides roundups' tune half (bench/stories.py splits them by a hash of the roundup):
  every pair of reports at most three days apart, the same story when one roundup has both.

ECB+ and SemEval weigh the same, the AllSides pairs ``ALLSIDES_WEIGHT`` of that: chosen, with
the threshold ``StoryOptions.likely``, by the stories built on the tune halves (AllSides tune
half, ECB+ train+dev, the tune half of the China MFA briefings of June 2026 in English and
Chinese); fitting on more AllSides pairs, or on the briefings' twins (each English answer
against each Chinese answer of its day), made those stories worse.

Prints the pair AUC of the model on what it was not fitted to (ECB+ test topics, SemEval test
pairs in one language and across two, the AllSides check half, the briefings' twins),
then writes the model. The story benches (bench/stories.py, bench/ministry.py,
bench/crosslingual.py) measure what it does to stories. Usage: python -m tools.train_same_story
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from bench.stories import allsides_half
from bench.transcripts import DATA as BRIEFINGS
from bench.transcripts import _half as briefing_half
from bench.transcripts import _page, _pairs
from digest import vectors
from digest.stories.similarity import PairFeatures
from digest.transcripts import read_transcript

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "digest" / "stories" / "same_story.json"
ALLSIDES_WEIGHT = 0.3

Pairs = tuple[np.ndarray, np.ndarray]
Document = tuple[str | None, str, str, str]  # language, title, text, what its vector is made from


def features(documents: Sequence[Document], pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    found = PairFeatures.of_texts([d[:3] for d in documents],
                                  vectors.encode([d[3] for d in documents]))
    rows = np.zeros((len(pairs), len(PairFeatures.NAMES)))
    by_first: dict[int, list[int]] = {}
    for n, (i, _) in enumerate(pairs):
        by_first.setdefault(i, []).append(n)
    for i, ns in by_first.items():
        rows[ns] = found.features(i, np.array([pairs[n][1] for n in ns]))
    return rows


def ecb(split: set[str], rng: random.Random) -> Pairs:
    docs = [d for d in map(json.loads, (DATA / "clustering/ecbplus/ecbplus_documents.jsonl").open())
            if d["split"] in split]

    def title(d: dict[str, object]) -> str:
        sentences = [str(s) for s in d["sentences_tokenized"]]  # type: ignore[attr-defined]
        sentences = sentences[1:] if d.get("source_url") else sentences
        return sentences[0][:200] if sentences else ""

    documents = [("en", title(d), str(d["text"]), vectors.article_passage(title(d), str(d["text"])))
                 for d in docs]
    pairs = [(i, j) for i in range(len(docs)) for j in range(i + 1, len(docs))
             if docs[i]["topic"] == docs[j]["topic"] or rng.random() < 0.02]
    return features(documents, pairs), np.array([docs[i]["event_cluster"] == docs[j]["event_cluster"]
                                                 for i, j in pairs])


def semeval(name: str, *, across: bool | None = None) -> Pairs:
    """The pairs of one SemEval file; ``across``: only those across two languages (True) or
    in one (False)."""
    csv.field_size_limit(10**9)
    path = DATA / "clustering/semeval2022-task8/hfl-example-with-text" / f"{name}.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        pairs = [p for p in csv.DictReader(f)
                 if (float(p["Overall"]) <= 1.5 or float(p["Overall"]) >= 2.5)
                 and (across is None or (p["lang1"] != p["lang2"]) == across)]

    def text(value: str) -> str:
        try:
            return value.encode("latin-1").decode("utf-8")[:4000]
        except UnicodeError:
            return value[:4000]

    documents = [(p[f"lang{k}"], "", text(p[f"text{k}"]), vectors.article_passage("", text(p[f"text{k}"])))
                 for p in pairs for k in ("1", "2")]
    return (features(documents, [(2 * i, 2 * i + 1) for i in range(len(pairs))]),
            np.array([float(p["Overall"]) <= 1.5 for p in pairs]))


def allsides(half: str) -> Pairs:
    rows = [r for r in map(json.loads, (DATA / "stories-allsides-tune/articles.jsonl").open())
            if allsides_half(r["gold"]) == half]
    times = [datetime.fromisoformat(r["published"]) for r in rows]
    documents = [("en", r["title"], r["text"], vectors.article_passage(r["title"], r["text"]))
                 for r in rows]
    pairs = [(i, j) for i in range(len(rows)) for j in range(i + 1, len(rows))
             if abs((times[i] - times[j]).total_seconds()) <= 72 * 3600]
    return features(documents, pairs), np.array([rows[i]["gold"] == rows[j]["gold"] for i, j in pairs])


def briefings(half: str) -> Pairs:
    days = [d for d in json.loads((BRIEFINGS / "mfa_2026-06.json").read_text())
            if briefing_half(d["date"]) == half]
    documents: list[Document] = []
    pairs: list[tuple[int, int]] = []
    same: list[bool] = []
    for day in days:
        answers: dict[str, list[int]] = {}
        for language, key, title in (("en", "en_pairs", "en_title"), ("zh", "cn_pairs", "cn_title")):
            text, _ = _page([p for p in _pairs(day[key]) if p["questioner"] != "Updated"], language == "zh")
            transcript = read_transcript(text, title=day[title])
            answers[language] = []
            for part in (transcript.segments if transcript else ()):
                if part.question is not None:
                    answers[language].append(len(documents))
                    documents.append((language, "", f"{part.question}\n{part.answer}",
                                      vectors.segment_passage(part)))
        if len(answers["en"]) != len(answers["zh"]):
            continue  # not matched answer by answer
        for a, i in enumerate(answers["en"]):
            for b, j in enumerate(answers["zh"]):
                pairs.append((i, j))
                same.append(a == b)
    return features(documents, pairs), np.array(same)


def main() -> int:
    if not (DATA / "clustering").is_dir():
        print(f"tools/train_same_story.py: {DATA} is absent; nothing trained.")
        return 2
    rng = random.Random(7)
    train = {"ECB+ train+dev": (ecb({"train", "dev"}, rng), 1.0),
             "SemEval train": (semeval("training_set"), 1.0),
             "AllSides tune half": (allsides("tune"), ALLSIDES_WEIGHT)}
    held_out = {"ECB+ test topics": ecb({"test"}, rng),
                "SemEval test, one language": semeval("testing_set", across=False),
                "SemEval test, two languages": semeval("testing_set", across=True),
                "AllSides check half": allsides("check"),
                "briefings' twins, tune half": briefings("tune"),
                "briefings' twins, held-out half": briefings("held-out")}
    x = np.vstack([t[0] for t, _ in train.values()])
    y = np.concatenate([t[1] for t, _ in train.values()])
    weight = np.concatenate([np.full(len(t[1]), share * len(y) / len(train) / len(t[1]))
                             for t, share in train.values()])
    model = LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced").fit(x, y, sample_weight=weight)
    print(f"trained on {len(y)} pairs ({int(y.sum())} same story): "
          + ", ".join(f"{name} {len(t[1])}" for name, (t, _) in train.items()))
    weights = zip(PairFeatures.NAMES, model.coef_[0], strict=True)
    print("weights: " + ", ".join(f"{n} {w:+.2f}" for n, w in weights)
          + f", intercept {model.intercept_[0]:+.2f}")
    for label, (hx, hy) in held_out.items():
        cosine = hx[:, PairFeatures.NAMES.index("meaning")]
        print(f"  {label}: {len(hy)} pairs, AUC {roc_auc_score(hy, model.predict_proba(hx)[:, 1]):.3f} "
              f"(the vectors' cosine alone {roc_auc_score(hy, cosine):.3f})")
    OUT.write_text(json.dumps({
        "about": "Same-story model for digest/stories/similarity.py: logistic regression over PairFeatures, "
                 "trained by tools/train_same_story.py on ECB+ train+dev topics, SemEval-2022 task 8 "
                 "training pairs and the AllSides roundups' tune half.",
        "vectors": vectors.MODEL,
        "features": list(PairFeatures.NAMES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
    }, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
