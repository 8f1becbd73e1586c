"""Briefings in a convention the reader was not written from: the White House's.

Reads the 24 briefings and gaggles of ``../shared/data/ministry/whitehouse`` (a question opens
with ``Q`` and a space, no colon, no asker; answers with ``MS. JEAN-PIERRE:``), each as the page
text of an official source ("The White House"), and reports, for the half of the briefings
used while writing the reader and for the other half (split by a hash of the file name):

- questions found: of the ``Q`` paragraphs of six words or more, the share that open or continue
  an exchange of their own (the transcript reader);
- answers naming the official in full: exchanges whose speaker is a first name and surname
  ("John Kirby", not "MR. KIRBY" or "Mr. Kirby");
- stories per briefing against its questions (the story stage, each briefing alone, as a day's
  store holds it), and the largest;
- titles that are courtesies ("Thank you, Karine", "Good afternoon, everybody") or sentences
  cut off (with "…", or stopping on a word that needs more: "… countries such"), titles of more
  than 14 words, and the last resort ("The United States at its March 29 briefing": nothing the
  exchange says made a headline), and titles that point at what
  they do not say or trail off ("… on this 90-minute phone call", "… is prepared for that", "… on the
  date of", "… on the next couple days"; this bench's own list);
- highlights of the official that name nobody (no attribution), and questions among highlights;
- the time to read one briefing and to build its stories.

Usage: python -m bench.briefings [--show 3]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ruamel.yaml import YAML

from digest.domain import StoredArticle, Story
from digest.sentences import is_question
from digest.stories import build_stories
from digest.transcripts import read_transcript

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "ministry" / "whitehouse"
# a title that stops on a word that needs more: cut off as surely as with "…" ("… countries such",
# "中方始终认为")
# (not "… it in", "… belongs to", "… is really all about": a headline may end on a particle)
STOPS_SHORT = re.compile(r"\b(?:of|the|a|an|and|or|but|such|than|whether)$"
                         r"|(?:认为|注意到|表示|指出|强调|相信|主张|作为|以来|期间)$", re.IGNORECASE)
COURTESY = re.compile(r"^(?:thank|thanks|good (?:morning|afternoon|evening)|go ahead|all right|okay|"
                      r"yeah|hi|hello|sure)\b", re.IGNORECASE)
POINTING = re.compile(
    r"\b(?:this|these|those)\b(?!\s+(?:year|week|month|morning|afternoon|time)\b)|\bthat(?=\s*$|\s+(?:to|with|for|"
    r"from|at|by|in|on)\b)|\b(?:of|to|for|the|a|an|and)$"
    r"|\b(?:next|last|past) (?:couple (?:of )?)?(?:days|weeks)$",
    re.IGNORECASE)
LAST_RESORT = re.compile(r" at its \w+ \d+ briefing$")
HONORIFIC = re.compile(r"^(?:mr|ms|mrs|dr|admiral|administrator)\.?\s", re.IGNORECASE)


def briefings() -> list[tuple[str, str, str, datetime]]:
    """(file name, title, page text, published) of each briefing."""
    found = []
    for path in sorted(DATA.glob("20*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        meta = YAML(typ="safe").load(front)
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", body) if p.strip()]
        published = datetime.fromisoformat(str(meta.get("published_time") or meta["date"]))
        published = published if published.tzinfo else published.replace(hour=12, tzinfo=UTC)
        found.append((path.name, " ".join(str(meta["title"]).split()), "\n".join(paragraphs),
                      published.astimezone(UTC)))
    return found


def half(name: str) -> str:
    return "tune" if hashlib.sha1(name.encode()).digest()[0] % 2 == 0 else "held-out"


def full_name(speaker: str | None) -> bool:
    return bool(speaker) and " " in speaker and not speaker.isupper() and not HONORIFIC.match(speaker)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=0, help="print this many stories of each briefing")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"no data: {DATA} is absent (see ../shared/data/README.md)")
        return 1
    rows: dict[str, dict[str, float]] = {}
    for n, (name, title, text, published) in enumerate(briefings()):
        row = rows.setdefault(half(name), {})
        started = time.perf_counter()
        transcript = read_transcript(text, title=title)
        row["read_seconds"] = row.get("read_seconds", 0) + time.perf_counter() - started
        gold = [p[2:].lstrip("—–- ") for p in text.split("\n") if p.startswith("Q ") and len(p.split()) >= 7]
        segments = transcript.segments if transcript else ()
        asked = " ".join(" ".join((s.question or "").split()) for s in segments)
        answers = [s for s in segments if s.question and s.answer]
        article = StoredArticle(id=n + 1, source="whitehouse", source_title="The White House", official=True,
                                url=f"https://www.whitehouse.gov/{name}", title=title, text=text,
                                published=published, language="en", is_opinion=False,
                                country="US")  # as config.yaml has it
        started = time.perf_counter()
        stories = build_stories([article], now=published + timedelta(hours=6))
        row["build_seconds"] = row.get("build_seconds", 0) + time.perf_counter() - started
        highlights = [h for s in stories for h in s.highlights]
        values = {
            "briefings": 1, "questions": len(gold), "found": sum(1 for q in gold if q[:60] in asked),
            "answers": len(answers), "named": sum(1 for s in answers if full_name(s.speaker)),
            "stories": len(stories), "courtesy_titles": sum(1 for s in stories if COURTESY.match(s.title)),
            "cut_titles": sum(1 for s in stories if s.title.endswith("…") or STOPS_SHORT.search(s.title)),
            "long_titles": sum(1 for s in stories if len(s.title.split()) > 14),
            "last_resort": sum(1 for s in stories if LAST_RESORT.search(s.title)),
            "pointing_titles": sum(1 for s in stories if POINTING.search(s.title)),
            "highlights": len(highlights), "unattributed": sum(1 for h in highlights if not h.attribution),
            "question_highlights": sum(1 for h in highlights if is_question(h)),
        }
        for key, value in values.items():
            row[key] = row.get(key, 0) + value
        row["most_stories"] = max(row.get("most_stories", 0), len(stories))
        row.setdefault("ratios", []).append(len(stories) / max(1, len(gold)))  # type: ignore[attr-defined]
        if args.show:
            print(f"{name[:70]}: {len(gold)} questions, {len(stories)} stories")
            for story in stories[: args.show]:
                _show(story)
    for name, row in sorted(rows.items(), reverse=True):
        b = row["briefings"]
        print(f"{name:<9} {b:.0f} briefings: questions found {row['found'] / row['questions']:.3f} "
              f"({row['found']:.0f}/{row['questions']:.0f}); answers naming the official in full "
              f"{row['named'] / row['answers']:.3f}; stories {row['stories']:.0f} "
              f"({row['stories'] / b:.1f} a briefing, at most {row['most_stories']:.0f}; "
              f"{statistics.mean(row['ratios']):.2f} a question); titles: courtesies "  # type: ignore[arg-type]
              f"{row['courtesy_titles']:.0f}, cut off {row['cut_titles']:.0f}, over 14 words "
              f"{row['long_titles']:.0f}, last resort {row['last_resort']:.0f}, "
              f"pointing {row['pointing_titles']:.0f}; "
              f"highlights {row['highlights']:.0f}: unattributed "
              f"{row['unattributed']:.0f}, questions {row['question_highlights']:.0f}; reading "
              f"{row['read_seconds'] / b * 1000:.0f} ms, stories {row['build_seconds'] / b:.2f} s a briefing")
    return 0


def _show(story: Story) -> None:
    print(f"   {story.title}")
    for h in story.highlights:
        print(f"      * {h} — {h.attribution}")


if __name__ == "__main__":
    sys.exit(main())
