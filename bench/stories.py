"""Benchmark the story stage: clustering quality, highlight quality and scale, with baselines
measured in the same run.

- ECB+ (``clustering/ecbplus``): B³ and pairwise F1 of ``build_stories`` against the gold event
  clusters, articles fed in document order (incremental), the similarity threshold chosen on the
  train+dev topics and reported on the test topics (36-45); baseline: TF-IDF + average-link
  agglomerative clustering (scikit-learn) with the README's threshold.
- AllSides roundups (``stories-allsides-tune``, real multi-outlet news): B³ of ``build_stories``
  with the same-story model and with the plain similarity, and of the TF-IDF average-link
  baseline, on each half of the roundups (split by a hash of the roundup's id: the half the
  model may be tuned on, and the half nobody looks at while tuning).
- CNN/DM (``highlights/frank-cnndm``, 250 test articles): ROUGE-1/2/Lsum (rouge-score, stemming)
  of ``choose_highlights`` (what ``digest highlights`` prints) against the reference highlights;
  baseline: lead-3.
- Scale: ``build_stories`` on 5k, 10k and 20k synthetic articles made of real sentences, over
  a week, their vectors made first (as the story stage stores them): seconds and peak RSS for
  each, and the vectors' time per article.

    python -m bench.stories [--parts ecb,allsides,rouge,scale] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


# --- clustering metrics --------------------------------------------------------------------------

def b_cubed(gold: Sequence[str], pred: Sequence[int]) -> tuple[float, float, float]:
    gold_sizes, pred_sizes = Counter(gold), Counter(pred)
    both = Counter(zip(gold, pred, strict=True))
    p = mean(both[(g, c)] / pred_sizes[c] for g, c in zip(gold, pred, strict=True))
    r = mean(both[(g, c)] / gold_sizes[g] for g, c in zip(gold, pred, strict=True))
    return p, r, 2 * p * r / (p + r)


def pairwise(gold: Sequence[str], pred: Sequence[int]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for i, j in combinations(range(len(gold)), 2):
        same_gold, same_pred = gold[i] == gold[j], pred[i] == pred[j]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ecb_articles(docs: list[dict[str, object]]) -> list[object]:
    from digest.domain import StoredArticle

    articles = []
    for n, doc in enumerate(docs):
        sentences = [str(s) for s in doc["sentences_tokenized"]]  # type: ignore[attr-defined]
        if doc.get("source_url"):
            sentences = sentences[1:]  # sentence 0 of ECB+ documents is their URL
        text = str(doc["text"])
        articles.append(StoredArticle(
            id=n + 1, source=f"outlet-{n % 7}", source_title="Outlet", official=False,
            url=f"https://ecb.example/{doc['doc_id']}", title=sentences[0][:200] if sentences else "",
            text=text, published=T0 + timedelta(minutes=n), language="en", is_opinion=False))
    return articles


def story_labels(articles: Sequence[object], stories: Sequence[object]) -> list[int]:
    label = {}
    for s, story in enumerate(stories):
        for src in story.sources:  # type: ignore[attr-defined]
            label[src.article_id] = s
            for dup in src.similar:
                label[dup] = s
    return [label.get(a.id, len(stories) + a.id) for a in articles]  # type: ignore[attr-defined]


def run_ecb(data: Path) -> None:
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    from digest.stories import StoryOptions, build_stories

    docs = [json.loads(line) for line in (data / "clustering/ecbplus/ecbplus_documents.jsonl").open()]
    tune = [d for d in docs if d["split"] in ("train", "dev")]
    test = [d for d in docs if d["split"] == "test"]

    def ours(part: list[dict[str, object]], options: StoryOptions) -> tuple[list[str], list[int]]:
        arts = ecb_articles(part)
        stories = build_stories(arts, now=T0 + timedelta(days=1), options=options)  # type: ignore[arg-type]
        return [str(d["event_cluster"]) for d in part], story_labels(arts, stories)

    print("\nECB+ event clusters: similarity threshold and names' weight chosen on train+dev topics")
    grid = [StoryOptions(similarity=round(float(s), 4), names_weight=w, same_story=False)
            for w in (0.0, 0.3, 0.4, 0.5) for s in np.arange(0.125, 0.2251, 0.0125)]
    scored = sorted(((b_cubed(*ours(tune, o))[2], -i) for i, o in enumerate(grid)), reverse=True)
    chosen = grid[-scored[0][1]]
    print(f"  chosen similarity {chosen.similarity:.4f}, names weight {chosen.names_weight} "
          f"(train+dev B³ F1 {scored[0][0]:.4f}; without names the best is "
          f"{max(f for f, i in scored if grid[-i].names_weight == 0):.4f})")

    gold = [str(d["event_cluster"]) for d in test]
    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [str(d["text"]) for d in test]).toarray()
    started = time.perf_counter()
    baseline = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                       distance_threshold=0.825).fit_predict(vectors)
    base_seconds = time.perf_counter() - started
    rows = [("TF-IDF + average-link (README baseline)", list(baseline), base_seconds)]
    # the plain similarity (chosen here, and the default one), then the default: the learned
    # same-story model (tools/train_same_story.py)
    for options in dict.fromkeys([chosen, StoryOptions(same_story=False), StoryOptions()]):
        started = time.perf_counter()
        _, pred = ours(test, options)
        label = (f"build_stories same-story model p>={options.likely}" if options.same_story
                 else f"build_stories sim={options.similarity:.4f} names={options.names_weight}")
        rows.append((label, pred,
                     time.perf_counter() - started))
    print(f"  test topics 36-45: {len(test)} docs, {len(set(gold))} gold clusters")
    for name, pred, seconds in rows:
        bp, br, bf = b_cubed(gold, pred)
        pp, pr, pf = pairwise(gold, pred)
        print(f"  {name:<42} k={len(set(pred)):>3}  B³ {bp:.3f}/{br:.3f}/{bf:.3f}  "
              f"pairwise {pp:.3f}/{pr:.3f}/{pf:.3f}  {seconds:.2f}s")


def allsides_half(gold: str) -> str:
    """The half of the AllSides roundups a roundup is in: "tune" (looked at while tuning) or
    "check" (never looked at), by a hash of its id."""
    return "tune" if hashlib.sha1(gold.encode()).digest()[0] % 2 == 0 else "check"


def allsides_articles(data: Path, half: str) -> tuple[list[object], list[str]]:
    from digest.domain import StoredArticle

    rows = [json.loads(line) for line in (data / "stories-allsides-tune/articles.jsonl").open()]
    rows = sorted((r for r in rows if allsides_half(r["gold"]) == half),
                  key=lambda r: (datetime.fromisoformat(r["published"]), r["url"]))
    articles = [StoredArticle(
        id=n + 1, source=r["source"], source_title=r["source"], official=False, url=r["url"],
        title=r["title"], text=r["text"], published=datetime.fromisoformat(r["published"]).astimezone(UTC),
        language="en", is_opinion=False) for n, r in enumerate(rows)]
    return articles, [r["gold"] for r in rows]


def run_allsides(data: Path) -> None:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    from digest.stories import StoryOptions, build_stories

    if not (data / "stories-allsides-tune").is_dir():
        print("\nAllSides roundups: absent (stories-allsides-tune); not measured")
        return
    print("\nAllSides roundups (left, centre and right outlets on one event): story B³ P/R/F1")
    for half in ("tune", "check"):
        articles, gold = allsides_articles(data, half)
        print(f"  {half} half: {len(articles)} articles, {len(set(gold))} stories")
        vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
            [f"{a.title}\n{a.text}" for a in articles]).toarray()  # type: ignore[attr-defined]
        baseline = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                           distance_threshold=0.825).fit_predict(vectors)
        rows = [("TF-IDF + average-link (README baseline)", list(baseline), 0.0)]
        for label, options in (("build_stories, same-story model", StoryOptions()),
                               ("build_stories, plain similarity", StoryOptions(same_story=False))):
            started = time.perf_counter()
            stories = build_stories(articles, now=max(a.published for a in articles)  # type: ignore[attr-defined]
                                    + timedelta(hours=1), options=options)
            rows.append((label, story_labels(articles, stories), time.perf_counter() - started))
        for name, pred, seconds in rows:
            bp, br, bf = b_cubed(gold, pred)
            print(f"    {name:<42} k={len(set(pred)):>3}  B³ {bp:.3f}/{br:.3f}/{bf:.3f}  {seconds:.2f}s")


def run_rouge(data: Path) -> None:
    from rouge_score import rouge_scorer

    from digest.highlights import Passage, choose_highlights
    from digest.sentences import split_sentences

    items = [json.loads(line) for line in (data / "highlights/frank-cnndm/cnndm_test_250.jsonl").open()]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)

    def score(pred: list[str], ref: list[str]) -> dict[str, float]:
        result = scorer.score("\n".join(ref), "\n".join(pred))
        return {k: v.fmeasure for k, v in result.items()}

    systems: dict[str, list[dict[str, float]]] = {"lead-3": [], "digest highlights": []}
    started = time.perf_counter()
    for item in items:
        ref = item["reference_highlights"]
        systems["lead-3"].append(score(item["article_sentences"][:3], ref))
        picked = choose_highlights([Passage(key="a", title="", text=item["article"])], 3)
        systems["digest highlights"].append(score(picked, ref))
    seconds = time.perf_counter() - started
    print(f"\nCNN/DM highlights ({len(items)} test articles): ROUGE F1 x100, stemming")
    for name, scores in systems.items():
        print(f"  {name:<20} R-1 {100 * mean(s['rouge1'] for s in scores):.2f}  "
              f"R-2 {100 * mean(s['rouge2'] for s in scores):.2f}  "
              f"R-Lsum {100 * mean(s['rougeLsum'] for s in scores):.2f}")
    print(f"  ({seconds:.1f}s for both; sentence splitter sample: "
          f"{len(split_sentences(items[0]['article']))} sentences in article 1)")


def synthetic(data: Path, count: int, mixed: bool = False) -> list[object]:
    """``count`` articles of 8-14 real sentences each: a story's articles share a source document's
    sentences, spread over seven days. ``mixed``: one in five is instead a real article in another
    language (German, Spanish, Chinese, Turkish… from SemEval-2022 task 8), so that stories are
    linked across languages too."""
    from digest.domain import StoredArticle
    from digest.sentences import split_sentences

    ecb = data / "clustering/ecbplus/ecbplus_documents.jsonl"
    cnndm = data / "highlights/frank-cnndm/cnndm_test_250.jsonl"
    docs = [json.loads(line)["text"] for line in ecb.open()]
    docs += [json.loads(line)["article"] for line in cnndm.open()]
    pools = [s for s in (split_sentences(d) for d in docs) if len(s) >= 6]
    rng = random.Random(7)
    articles = []
    for n in range(count):
        pool = pools[(n // 4) % len(pools)]  # about four articles per story
        sentences = rng.sample(pool, min(len(pool), rng.randint(8, 14)))
        articles.append(StoredArticle(
            id=n + 1, source=f"outlet-{n % 40}", source_title="Outlet", official=n % 9 == 0,
            url=f"https://scale.example/{n}", title=sentences[0][:120], text="\n".join(sentences),
            published=T0 + timedelta(seconds=(n * 604800) // count), language="en",
            is_opinion=n % 50 == 0))
    if mixed:
        others = _other_languages(data)
        for n in range(0, count, 5):
            language, text = others[(n // 5) % len(others)]
            articles[n] = replace(articles[n], text=text, title=text.split("\n")[0][:120],  # type: ignore[type-var]
                                  language=language)
    return articles


def _other_languages(data: Path) -> list[tuple[str, str]]:
    import csv
    import gzip

    csv.field_size_limit(10**9)
    found = []
    folder = data / "clustering/semeval2022-task8/hfl-example-with-text"
    for name in ("training_set", "testing_set"):
        with gzip.open(folder / f"{name}.csv.gz", "rt", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for k in ("1", "2"):
                    if row[f"lang{k}"] != "en":
                        found.append((row[f"lang{k}"], row[f"text{k}"][:4000]))
    return found


def run_scale(data: Path, sizes: Sequence[int]) -> None:
    print("\nScale: build_stories on synthetic articles of real sentences (one process each); "
          "'mixed': one article in five in another language")
    for size in sizes:
        for mode in ("en", "en, same-story model off", "mixed, cross-language off",
                     "mixed, cross-language on"):
            out = subprocess.run([sys.executable, __file__, "--one-scale", str(size), "--mode", mode,
                                  "--data", str(data)], capture_output=True, text=True, check=True)
            print("  " + out.stdout.strip().splitlines()[-1])


def one_scale(data: Path, size: int, mode: str) -> None:
    from digest import vectors
    from digest.stories import StoryOptions, build_stories

    articles = synthetic(data, size, mixed=mode.startswith("mixed"))
    options = (StoryOptions(same_story=False) if "model off" in mode
               else StoryOptions(cross_language=False) if mode.endswith("off")
               else StoryOptions())
    # the vectors, as the story stage stores them once per article before it groups
    started = time.perf_counter()
    made = vectors.encode([vectors.article_passage(a.title, a.text) for a in articles])  # type: ignore[attr-defined]
    vector_seconds = time.perf_counter() - started
    articles = [replace(a, vector=vectors.pack(v)) for a, v in zip(articles, made, strict=True)]  # type: ignore[type-var]
    started = time.perf_counter()
    stories = build_stories(articles, now=T0 + timedelta(days=8), options=options)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{size:>6} articles ({mode}) -> {len(stories):>5} stories in {seconds:6.1f}s, "
          f"peak RSS {rss:.0f} MiB (vectors made before: {1000 * vector_seconds / size:.1f} ms "
          f"an article)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", default="ecb,allsides,rouge,scale")
    parser.add_argument("--sizes", default="5000,10000,20000")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--one-scale", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="en", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not (args.data / "clustering").is_dir():
        print(f"bench/stories.py: the data sets are absent ({args.data} not found); nothing measured.")
        return 2
    if args.one_scale:
        one_scale(args.data, args.one_scale, args.mode)
        return 0
    parts = set(args.parts.split(","))
    if "ecb" in parts:
        run_ecb(args.data)
    if "allsides" in parts:
        run_allsides(args.data)
    if "rouge" in parts:
        run_rouge(args.data)
    if "scale" in parts:
        run_scale(args.data, [int(s) for s in args.sizes.split(",")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
