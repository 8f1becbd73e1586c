"""What a reader reads of each story: titles, highlights and the paragraph, on material written
by others.

- AllSides roundups (``stories-allsides-tune``, by half: the half looked at while tuning and the
  half nobody looks at, split by a hash of the roundup's id): each roundup's reports grouped
  alone, its largest story read; ROUGE-1 F (stemming) of the paragraph and of the highlights
  against the human roundup's summary, next to the lead of the earliest report cut to the same
  length (the baseline, measured in the same run).
- The China MFA briefings of June 2026 (English and Chinese), grouped as a day's store holds
  them, and the demo's stories (``digest demo`` on the bundled sample sites).

For each: titles cut off ("…") or courtesies; highlight words (median, maximum, over 35;
Chinese counted as characters / 2); formula non-answers among highlights ("I'd refer you to the
competent authorities", "我们已经发布了消息"); paragraphs whose first sentence needs an
antecedent it lacks ("He…", "Both…", "It also…"), and the share of such sentences anywhere.
The formulas and openings are this bench's own lists, not the product's.

Usage: python -m bench.editorial [--show 5] [--parts allsides,china,demo]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.briefings import COURTESY, STOPS_SHORT
from bench.stories import allsides_half
from digest.domain import StoredArticle, Story
from digest.sentences import as_what_it_is, split_sentences
from digest.stories import build_stories

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"

FORMULA = re.compile(
    r"refer you to|competent authorit|nothing (?:to (?:offer|share|add)|further)|(?:taken|take) note|"
    r"noted (?:the )?(?:relevant )?reports|(?:released|put out|issued) (?:a |the )?(?:readout|information|"
    r"press release)|in due course|answered (?:this|the|that|a similar) question|"
    r"(?:stated|elaborated on|made clear) (?:China's|our|its) position|not aware of|no information to|"
    r"主管部门|已经发布了?消息|已经发布|注意到(?:有关|相关)报道|回答过|适时发布|已经(?:介绍|阐明)|"
    r"不掌握|没有(?:可以)?(?:提供|发布)的", re.IGNORECASE)
ANTECEDENT = re.compile(
    r"^(?:[\"“]?)(?:he|she|it|they|its|his|her|their|both|the two|"
    r"(?:this|that)(?! (?:week|month|year|morning|afternoon|evening|weekend)\b)|these|those|but|also|"
    r"however|meanwhile|and|still|yet|such|there(?! (?:is|are|was|were|has|have|had|will|would|"
    r"may|might|can|could|must|should|seems?|appears?)\b)|the (?:official|ministry|spokesperson|move|"
    r"decision|statement|report|agency|company|group|government)|他|她|它|他们|这|此|该|但|同时|双方)\b",
    re.IGNORECASE)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def words(text: str) -> float:
    """Words in ``text``; Chinese and Japanese characters count half a word each."""
    cjk = len(CJK.findall(text))
    return len(re.findall(r"[^\W\d_]+|\d+", CJK.sub(" ", text))) + cjk / 2


_OPEN_QUOTE = re.compile(r"^.{0,120}?(?:said: “|表示：“|: «)")
_TOKENS = re.compile(r"\w+")


def _tokens(sentence: str) -> set[str]:
    return {w.lower() for w in _TOKENS.findall(sentence)} | set(CJK.findall(sentence))


def _place(sentence: str, texts: Sequence[list[set[str]]]) -> tuple[int, int] | None:
    """Where ``sentence`` stands in the sources (source, sentence number): the source sentence
    that shares most of its words (at least half), or None."""
    words = _tokens(sentence)
    best, where = 0.5, None
    for n, sentences in enumerate(texts):
        for k, other in enumerate(sentences):
            share = len(words & other) / max(1, len(words))
            if share > best:
                best, where = share, (n, k)
    return where


def lacking(summary: str, sources: Sequence[str]) -> tuple[bool, int, int]:
    """(the first sentence needs an antecedent, sentences that need one and do not follow it, all
    sentences): a sentence that opens by pointing back has its antecedent when the sentence
    before it in the paragraph is the one before it in a source."""
    texts = [[_tokens(x) for x in split_sentences(text)] for text in sources]
    sentences = [_OPEN_QUOTE.sub("", x) for x in split_sentences(summary)]
    first = bool(sentences) and bool(ANTECEDENT.match(sentences[0]))
    missing = 0
    for before, sentence in zip([None, *sentences], sentences, strict=False):
        if not ANTECEDENT.match(sentence):
            continue
        here = _place(sentence, texts)
        there = _place(before, texts) if before else None
        if not (here and there and here[0] == there[0] and 0 < here[1] - there[1] <= 2):
            missing += 1
    return first, missing, len(sentences)


def measure(label: str, stories: Sequence[Story], show: int = 0,
            texts: dict[str, list[str]] | None = None) -> dict[str, float]:
    titles = [s.title for s in stories]
    # cut off: an ellipsis, or a title that stops on a word that needs more ("… countries such",
    # "中方始终认为")
    cut = sum(t.rstrip().endswith(("…", "...")) or STOPS_SHORT.search(t) is not None for t in titles)
    courtesy = sum(bool(COURTESY.match(t)) for t in titles)
    lengths = [words(h.text) for s in stories for h in s.highlights]
    told = {as_what_it_is(kind, lang) for kind in ("referred", "declined", "said before", "will announce")
            for lang in ("en", "zh")}  # an answer that is only a formula, told as what it is
    formula = sum(bool(FORMULA.search(h.text)) and h.text not in told for s in stories for h in s.highlights)
    texts = texts or {}
    read = [lacking(s.summary, texts.get(s.id, [])) for s in stories if s.summary]
    paragraphs = read
    opening = sum(first for first, _, _ in read)
    sentences = [None] * sum(count for _, _, count in read)
    needing = sum(missing for _, missing, _ in read)
    figures = {
        "stories": len(stories), "titles cut": cut, "courtesies": courtesy,
        "highlight words median": statistics.median(lengths) if lengths else 0,
        "max": max(lengths, default=0), "over 35": sum(n > 35 for n in lengths),
        "formulas": formula, "paragraphs opening on an antecedent": opening,
        "share of such sentences": needing / max(1, len(sentences)),
    }
    print(f"  {label}: {len(stories)} stories; titles cut off {cut}, courtesies {courtesy}; highlights "
          f"{len(lengths)}: words median {figures['highlight words median']:.0f}, max {figures['max']:.0f}, "
          f"over 35 {figures['over 35']}, formulas {formula}; paragraphs {len(paragraphs)}: first sentence "
          f"needs an antecedent {opening}, sentences that lack theirs {needing}/{len(sentences)} "
          f"({figures['share of such sentences']:.3f})")
    for story in list(stories)[:show]:
        _show(story)
    return figures


def _show(story: Story) -> None:
    print(f"\n    ## {story.title}")
    for h in story.highlights:
        who = f" — {h.attribution}" if h.attribution else f" — {', '.join(h.sources)}"
        print(f"    * {h.text}{who}")
    print(f"    {story.summary}\n")


def allsides(show: int) -> None:
    from rouge_score import rouge_scorer

    folder = DATA / "stories-allsides-tune"
    if not folder.is_dir():
        print("AllSides roundups: absent (stories-allsides-tune); not measured")
        return
    references = json.loads((folder / "references.json").read_text())
    rows = [json.loads(line) for line in (folder / "articles.jsonl").open()]
    by_gold: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_gold[row["gold"]].append(row)
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)

    def rouge(text: str, reference: str) -> float:
        return scorer.score(reference, text)["rouge1"].fmeasure * 100

    print("AllSides roundups: each roundup's reports grouped alone, its largest story read")
    for half in ("tune", "check"):
        stories, scores, texts = [], defaultdict(list), {}
        for gold in sorted(g for g in by_gold if allsides_half(g) == half and g in references):
            reports = sorted(by_gold[gold], key=lambda r: (r["published"], r["url"]))
            articles = [StoredArticle(
                id=n + 1, source=r["source"], source_title=r["source"], official=False, url=r["url"],
                title=r["title"], text=r["text"], language="en", is_opinion=False,
                published=datetime.fromisoformat(r["published"]).astimezone(UTC))
                for n, r in enumerate(reports)]
            built = build_stories(articles, now=max(a.published for a in articles) + timedelta(hours=1))
            story = max(built, key=lambda s: (len(s.sources), s.score))
            stories.append(story)
            texts[story.id] = [r["text"] for r in reports]
            reference = references[gold]["reference"]
            lead = reports[0]["text"].split()
            paragraph = story.summary
            scores["paragraph"].append(rouge(paragraph, reference))
            scores["lead, paragraph's length"].append(
                rouge(" ".join(lead[: len(paragraph.split())]), reference))
            said = " ".join(h.text for h in story.highlights)
            scores["highlights"].append(rouge(said, reference))
            scores["lead, highlights' length"].append(rouge(" ".join(lead[: len(said.split())]), reference))
        measure(f"{half} half", stories, show, texts)
        print("    ROUGE-1 F against the human summary: " + ", ".join(
            f"{name} {statistics.mean(values):.1f}" for name, values in scores.items()))


def china(show: int) -> None:
    from bench.ministry import _briefings
    from bench.transcripts import DATA as CHINA

    source = CHINA / "mfa_2026-06.json"
    if not source.exists():
        print(f"China MFA June: absent ({source}); not measured")
        return
    days = sorted(json.loads(source.read_text()), key=lambda d: d["date"])
    articles, _ = _briefings(days)
    stories = build_stories(articles, now=max(a.published for a in articles) + timedelta(hours=12))
    print("China MFA briefings, June 2026 (English and Chinese), grouped together")
    pages = {a.url: a.text for a in articles}
    for language in ("en", "zh"):  # each story as a reader of the language gets it
        told = [s.in_language([language]) for s in stories
                if language in {(s.language or "")[:2], *(v.language[:2] for v in s.versions)}]
        texts = {s.id: [pages[src.url] for src in s.sources if src.url in pages] for s in told}
        measure(language, told, show if language == "en" else 0, texts)


def demo(show: int) -> None:
    from digest.config import load_config
    from digest.stages import open_store

    with tempfile.TemporaryDirectory() as folder:
        ran = subprocess.run([sys.executable, "-m", "digest", "demo", "--out", folder],
                             capture_output=True, text=True, check=False)
        if ran.returncode != 0:
            print(f"demo failed: {ran.stderr[-500:]}")
            return
        store = open_store(load_config(Path(folder) / "config.yaml"))
        stories = store.stories_updated_since(datetime(2000, 1, 1, tzinfo=UTC))
        pages = {a.id: a.text for a in store.articles_between(datetime(2000, 1, 1, tzinfo=UTC),
                                                               datetime.now(UTC) + timedelta(days=1))}
        texts = {s.id: [pages[src.article_id] for src in s.sources if src.article_id in pages]
                 for s in stories}
        store.close()
    print("The demo (digest demo on the bundled sample sites)")
    measure("demo", sorted(stories, key=lambda s: -s.score), show, texts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print this many stories of each set")
    parser.add_argument("--parts", default="allsides,china,demo")
    args = parser.parse_args(argv)
    parts = args.parts.split(",")
    for name, part in (("allsides", allsides), ("china", china), ("demo", demo)):
        if name in parts:
            part(args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
