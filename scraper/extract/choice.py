"""Which reading of the body to keep: trafilatura's lines that readability supports, or
readability's text where the shipped choice model prefers it."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from digest.text import support_words, word_count
from scraper.extract.readability import Reading

__all__ = ["JUDGED_WORDS", "MIN_EXTRACTED", "SENTENCE_END", "ReadingChoice", "supported"]

MIN_EXTRACTED = 250  # trafilatura's MIN_EXTRACTED_SIZE
SENTENCE_END = re.compile(r"[.!?。！？\"”']\s*$")
_SUPPORT, _MINIMUM, JUDGED_WORDS, _MOST_DROPPED, _SHORT_SHARE = 0.5, 0.3, 6, 0.7, 0.5
_PROSE_WORDS = 15


def supported(text: str, other: Reading, title: str = "", description: str = "") -> str:
    """The lines of ``text`` that a second, independent reader of the page (readability, as
    trafilatura ships it: the densest block of text and its siblings, on a copy of the parsed
    page, at a tenth of a second reading's cost) also takes for the article: most of a line's
    words (``SUPPORT``) are in its text. Two readers agreeing is the page's own evidence;
    what only one of them takes is most often a list of links, a teaser or a caption. Only
    when the second reader found a good part of what the first did (``MINIMUM`` of its
    words) and the page's headline is in its text: otherwise it is the one that failed, or
    took another block, and the text is kept whole. A paragraph of prose before a line it took
    is kept as well (an article set in several blocks, an introduction above the body). When
    agreeing would drop most of it, the text is kept whole too, unless what the second reader
    does not take is mostly lines of a few words (a page read whole, menus and all, around a
    short article): then the second reader's text is the article.
    Chosen on the tune halves of CleanEval, Dragnet and L3S-GN1, checked on those of every set
    (bench/extraction.py)."""
    found = other.words
    words = support_words(text)
    if not words or not other.holds(title):
        return text  # the second reader's text is not about the page's headline: another block
    lines = [line for line in text.split("\n") if line.strip()]
    # a line of a few words (a list item, a subheading) is too short to judge alone: it goes
    # with the nearest longer line before it (or after it, at the top)
    # the page's own summary of the article (its description) is the article's, wherever it sits
    summary = Counter(w.lower() for w in support_words(description))
    verdicts: list[bool | None] = []
    for line in lines:
        line_words = support_words(line)
        if word_count(line) < JUDGED_WORDS:
            verdicts.append(None)
        elif summary and sum(1 for w in line_words if summary[w.lower()]) >= _SUPPORT * len(line_words):
            verdicts.append(True)
        else:
            verdicts.append(sum(1 for w in line_words if found[w.lower()]) >= _SUPPORT * len(line_words))
    last = next((v for v in verdicts if v is not None), True)
    keep: list[bool] = []
    for verdict in verdicts:
        last = last if verdict is None else verdict
        keep.append(last)
    unsupported = [line for line, k in zip(lines, keep, strict=True) if not k]
    # a paragraph of prose the second reader left before a line it took is the article's too
    # (readability reads one block, and a page may set its article, or its introduction, in
    # several); after the last line it took, it is as often what follows the article
    for start, end in _runs(keep, False):
        if end < len(lines) and any(map(_is_prose, lines[start:end])):
            keep[start:end] = [True] * (end - start)
    kept = [line for line, k in zip(lines, keep, strict=True) if k]
    if (sum(found.values()) >= _MINIMUM * len(words)
            and sum(map(word_count, kept)) >= (1 - _MOST_DROPPED) * word_count(text)):
        return "\n".join(kept)
    # the two readers took different parts of the page for the article. The second's, when it
    # holds the headline and what the first read besides is mostly lines of a few words (the
    # menus and link lists of a page read whole around a short article); else the first's
    short = sum(n for n in map(word_count, unsupported) if n < JUDGED_WORDS)
    if (support_words(title) and len(other.text) >= MIN_EXTRACTED
            and short >= _SHORT_SHARE * sum(map(word_count, unsupported))):
        return other.text
    return text


def _runs(flags: list[bool], value: bool) -> Iterator[tuple[int, int]]:
    """The (start, end) of each run of ``value`` in ``flags``."""
    start = None
    for i, flag in enumerate([*flags, not value]):
        if flag == value and start is None:
            start = i
        elif flag != value and start is not None:
            yield start, i
            start = None


def _is_prose(line: str) -> bool:
    """Whether ``line`` reads as a paragraph of prose: long, and ending as a sentence does."""
    return word_count(line) >= _PROSE_WORDS and bool(SENTENCE_END.search(line))


class ReadingChoice:
    """Which of the page's two readings to keep: trafilatura's (checked against readability's)
    or readability's own. A small gradient-boosted ensemble of depth-2 trees over what the two
    texts say of each other (their lengths, how much of each the other holds, word by word and
    line by line, whether each holds the headline, their share of short lines and of lines that
    end as sentences do, their line lengths and counts), trained on the tune halves of
    CleanEval, Dragnet, L3S-GN1, the Zyte benchmark and fundus by ``tools/train_reading_choice.py``
    and shipped as ``scraper/extract/reading_choice.json``. Nothing about a site or a language."""

    NAMES = ("length_ratio", "first_in_second", "second_in_first", "headline_in_second",
             "headline_in_first", "short_lines_first", "short_lines_second", "line_length_first",
             "line_length_second", "second_too_short", "length_first", "length_second",
             "ended_lines_first", "ended_lines_second", "lines_first_in_second",
             "lines_second_in_first", "lines_first", "lines_second")

    def __init__(self, data: dict[str, Any]) -> None:
        if tuple(data["features"]) != self.NAMES:
            raise ValueError("reading_choice.json is for other features")
        self.base = float(data["base"])
        self.rate = float(data["rate"])
        self.trees = data["trees"]
        self.threshold = float(data["threshold"])

    @classmethod
    @cache
    def load(cls) -> ReadingChoice:
        path = Path(__file__).with_name("reading_choice.json")
        return cls(json.loads(path.read_text(encoding="utf-8")))

    @staticmethod
    def features(first: str, second: str, title: str) -> list[float]:
        def words(text: str) -> Counter[str]:
            return Counter(w.lower() for w in support_words(text))

        def within(a: Counter[str], b: Counter[str]) -> float:
            return sum(min(n, b[w]) for w, n in a.items()) / (sum(a.values()) or 1)

        def short_share(text: str) -> float:
            counts = [word_count(line) for line in text.split("\n") if line.strip()]
            return sum(n for n in counts if n < JUDGED_WORDS) / (sum(counts) or 1)

        def line_length(text: str) -> float:
            counts = [word_count(line) for line in text.split("\n") if line.strip()]
            return math.log1p(sum(counts) / len(counts)) if counts else 0.0

        def ended(lines: list[str]) -> float:  # lines that end as a sentence does: prose
            return sum(1 for line in lines if SENTENCE_END.search(line)) / (len(lines) or 1)

        a, b = words(first), words(second)
        headline = [w.lower() for w in support_words(title)]
        lines_a = [line for line in first.split("\n") if line.strip()]
        lines_b = [line for line in second.split("\n") if line.strip()]
        shared = len(set(lines_a) & set(lines_b))

        def holds(found: Counter[str]) -> float:
            return sum(1 for w in headline if found[w]) / len(headline) if headline else 0.5

        return [math.log((len(second) + 50) / (len(first) + 50)), within(a, b), within(b, a),
                holds(b), holds(a), short_share(first), short_share(second), line_length(first),
                line_length(second), float(len(second) < MIN_EXTRACTED), math.log1p(len(first)),
                math.log1p(len(second)), ended(lines_a), ended(lines_b),
                shared / (len(set(lines_a)) or 1), shared / (len(set(lines_b)) or 1),
                math.log1p(len(lines_a)), math.log1p(len(lines_b))]

    def probability(self, features: list[float]) -> float:
        """The chance that readability's text is the better one (trees: nested
        ``[feature, threshold, left, right]`` lists, a leaf a number)."""
        score = self.base
        for tree in self.trees:
            node = tree
            while isinstance(node, list):
                node = node[2] if features[node[0]] <= node[1] else node[3]
            score += self.rate * node
        return 1.0 / (1.0 + math.exp(-score))

    def prefers(self, first: str, second: str, title: str) -> bool:
        """Whether readability's text (``second``) should replace ``first``."""
        return bool(second) and self.probability(self.features(first, second, title)) > self.threshold
