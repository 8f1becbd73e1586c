"""Briefing transcripts: are the questions found, and their askers named, on real briefings?

Reads the China MFA press conferences of June 2026 in ``../shared/data/ministry/transcripts-fmprc``
(question/answer pairs in English and Chinese, as scraped from fmprc.gov.cn) and rebuilds the
page's text from them as fmprc writes it: each turn a paragraph that opens with the speaker
(``AFP: …``, ``Lin Jian: …``; ``法新社记者：…``, ``林剑：…``), an answer's paragraphs after the
first without a label. Then ``digest.transcripts.read_transcript`` reads it back. Figures, for
English and Chinese, on the half of the days used while writing the reader and on the other half
(split by a hash of the date):

- questions found: the share of the gold questions that open an exchange segment of their own;
- askers named right: of those, the share whose ``asked_by`` is the gold questioner (Chinese
  labels without their 记者 suffix);
- text kept: the share of the transcript's paragraphs found in their place when the segments'
  paragraphs are read in order (each in exactly one segment, none dropped or repeated).

Usage: python -m bench.transcripts
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
from pathlib import Path

from digest.transcripts import read_transcript

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ministry" / "transcripts-fmprc"


def _pairs(value: object) -> list[dict[str, str]]:
    return ast.literal_eval(value) if isinstance(value, str) else list(value)  # type: ignore[arg-type]


def _norm(text: str) -> str:
    return re.sub(r"[\s《》“”\"'’]+", "", text).lower()


def _page(pairs: list[dict[str, str]], zh: bool) -> tuple[str, list[str]]:
    colon = "：" if zh else ": "
    paragraphs = []
    for pair in pairs:
        paragraphs.append(f"{pair['questioner']}{colon}{pair['question']}")
        # the scraped answers joined a turn's paragraphs with a space (Chinese) : split them again
        parts = [p for p in pair["answer"].split(" ") if p.strip()] if zh else [pair["answer"]]
        paragraphs.append(f"{pair['spokesperson']}{colon}{parts[0]}")
        paragraphs.extend(parts[1:])
    return "\n".join(paragraphs), paragraphs


def _half(date: str) -> str:
    return "tune" if hashlib.sha1(date.encode()).digest()[0] % 2 == 0 else "held-out"


def main() -> int:
    source = DATA / "mfa_2026-06.json"
    if not source.exists():
        print(f"no data: {source} is absent (see ../shared/data/README.md)")
        return 1
    days = json.loads(source.read_text())
    totals: dict[tuple[str, str], list[int]] = {}
    misses: list[str] = []
    for day in days:
        for lang, key, title_key in (("en", "en_pairs", "en_title"), ("zh", "cn_pairs", "cn_title")):
            pairs = [p for p in _pairs(day[key]) if p["questioner"] != "Updated"]
            text, paragraphs = _page(pairs, lang == "zh")
            transcript = read_transcript(text, title=day[title_key])
            found = named = kept = 0
            if transcript is not None:
                questions = {_norm(s.question or ""): s for s in transcript.segments if s.question}
                for pair in pairs:
                    segment = questions.get(_norm(pair["question"]))
                    if segment is None:
                        misses.append(f"{day['date']} {lang}: not found: {pair['questioner']}: "
                                      f"{pair['question'][:60]}")
                        continue
                    found += 1
                    gold = re.sub(r"记者$", "", pair["questioner"])
                    if _norm(segment.asked_by or "") == _norm(gold):
                        named += 1
                    else:
                        misses.append(f"{day['date']} {lang}: asker {segment.asked_by!r} != {gold!r}")
                seen = [p for s in transcript.segments for p in s.paragraphs]
                # every paragraph once, in its place: the segments, joined, are the transcript
                kept = sum(1 for a, b in zip(seen, paragraphs, strict=False) if a == b.strip())
                kept = kept if len(seen) == len(paragraphs) else min(kept, 2 * len(paragraphs) - len(seen))
            else:
                misses.append(f"{day['date']} {lang}: not read as a transcript")
            row = totals.setdefault((lang, _half(day["date"])), [0, 0, 0, 0, 0])
            row[0] += len(pairs)
            row[1] += found
            row[2] += named
            row[3] += len(paragraphs)
            row[4] += kept
    print(f"{'language':<9}{'half':<10}{'questions':>10}{'found':>8}{'named':>8}{'text kept':>11}")
    for (lang, half), (questions, found, named, paragraphs, kept) in sorted(totals.items()):
        print(f"{lang:<9}{half:<10}{questions:>10}{found / questions:>8.3f}"
              f"{named / max(found, 1):>8.3f}{kept / paragraphs:>11.3f}")
    for lang in ("en", "zh"):
        rows = [v for (lg, _), v in totals.items() if lg == lang]
        q, f, n, p, k = (sum(r[i] for r in rows) for i in range(5))
        print(f"{lang:<9}{'all':<10}{q:>10}{f / q:>8.3f}{n / max(f, 1):>8.3f}{k / p:>11.3f}")
    if misses:
        print(f"\n{len(misses)} misses (first 15):")
        for miss in misses[:15]:
            print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
