"""A whole digest message, byte for byte, against a file kept in the repository.

Rendering (templates, inlined CSS, the plain-text part) and message building (headers, quoted-
printable parts, List-Unsubscribe) change the message a subscriber gets; this test shows each
such change as a diff to review. Only what differs by design between two builds is masked: the
Message-ID and the MIME boundary. After a change you mean, write the file again with
``DIGEST_UPDATE_GOLDEN=1 make test`` (or the pytest line for this file) and read its diff.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

from digest.domain import Highlight, Story, StoryChange, StoryOpinion, StorySource
from digest.mail import MailParts, build_message
from digest.render import DigestContent, Renderer

GOLDEN = Path(__file__).parent / "fixtures" / "golden" / "digest.eml"
T0 = datetime(2026, 6, 8, 7, 0, tzinfo=UTC)
T1 = datetime(2026, 6, 8, 16, 0, tzinfo=UTC)
MFA = "Lin Jian, Ministry of Foreign Affairs of China"


def stories() -> tuple[Story, ...]:
    news = Story(
        id="s1a2b3c4d5e6f", title="Xi and Kim hold talks in Pyongyang, pledge closer ties",
        first_published=T0, updated=T1, score=9.5, language="en",
        highlights=(
            Highlight("Chinese President Xi Jinping and North Korean leader Kim Jong Un held talks "
                      "in Pyongyang on Monday.", sources=("courier",)),
            Highlight("China maintains continuity and consistency over its position on the Korean "
                      "Peninsula issue.", sources=("china-mfa",), attribution=f"{MFA}, asked by AFP"),
            Highlight("The readout did not mention denuclearization <b>at all</b> & more.",
                      sources=("wire",)),
        ),
        summary="Kim thanked Xi for China's support; it is Xi's second visit since 2019.",
        sources=(
            StorySource(article_id=1, segment=3, name="china-mfa", url="https://mfa.example/0608",
                        display_name="Ministry of Foreign Affairs of China",
                        title="Regular Press Conference on June 8, 2026", published=T0,
                        official=True, country="CN", language="en",
                        question="Will the two sides discuss the nuclear programme?",
                        asked_by="AFP", speaker="Lin Jian"),
            StorySource(article_id=2, name="courier", display_name="Pacific Courier",
                        url="https://courier.example/xi-kim", title="Xi and Kim hold talks",
                        published=T1, official=False, country="AU", language="en",
                        similar=(7,), similar_sources=(("wire", False, "US", "en"),)),
        ),
        opinions=(StoryOpinion(article_id=3, name="herald", display_name="Euro Herald",
                               url="https://herald.example/op", title="What Xi wants from Kim"),),
    )
    official = Story(
        id="s9f8e7d6c5b4a", title="Lin Jian on the Forum on Global Human Rights Governance",
        first_published=T0, updated=T0, score=4.0, language="en",
        highlights=(Highlight("The forum will be held in Beijing from June 11 to 12.",
                              sources=("china-mfa",), attribution=f"{MFA}, asked by CCTV"),),
        summary="",
        sources=(StorySource(article_id=1, segment=1, name="china-mfa", url="https://mfa.example/0608",
                             display_name="Ministry of Foreign Affairs of China",
                             title="Regular Press Conference on June 8, 2026", published=T0,
                             official=True, country="CN", language="en",
                             question="Could you share more on the forum?", asked_by="CCTV",
                             speaker="Lin Jian"),),
    )
    chinese = Story(
        id="s0a1b2c3d4e5f", title="美国宣布对60个经济体加征关税", first_published=T0, updated=T0,
        score=3.0, language="zh",
        highlights=(Highlight("特朗普政府周二提议对包括中国在内的60个经济体加征关税。",
                              sources=("people-zh",)),),
        summary="",
        sources=(StorySource(article_id=4, name="people-zh", display_name="人民网",
                             url="https://people.example/tariffs", title="美国宣布加征关税",
                             published=T0, official=False, country="CN", language="zh"),),
    )
    return news, official, chinese


def message() -> bytes:
    base = "https://digest.example.org"
    news, official, chinese = stories()
    earlier = Story(id="s5e4d3c2b1a09", title="Foreign ministers meet in Brussels", first_published=T0,
                    updated=T0, highlights=(), summary="", sources=())
    content = DigestContent(
        title="Foreign Affairs Digest", day=date(2026, 6, 9), timezone="Europe/Berlin",
        stories=(news, official, chinese), subscriber_name="Zoë", more_stories=2,
        story_url="https://digest.example.org/stories/",
        changes={news.id: StoryChange(status="updated", new_sources=2,
                                      note="+1 report, statement by Ministry of Foreign Affairs of China",
                                      new_highlights=frozenset({str(news.highlights[1])})),
                 official.id: StoryChange(status="new"), chinese.id: StoryChange(status="new")},
        still_developing=(earlier,),
        archive_url=f"{base}/digests/2026-06-09?t=TOKEN",
        unsubscribe_url=f"{base}/unsubscribe/TOKEN", preferences_url=f"{base}/preferences/TOKEN")
    rendered = Renderer().render(content)
    built = build_message(MailParts(
        sender_name="Foreign Affairs Digest", sender_address="digest@example.org", to_name="Zoë",
        to_address="zoe@example.org", subject=rendered.subject, text=rendered.text,
        html=rendered.html, list_id="Foreign Affairs Digest",
        unsubscribe_url=f"{base}/unsubscribe/TOKEN",
        unsubscribe_mailto="digest@example.org?subject=unsubscribe%20TOKEN",
    ), now=datetime(2026, 6, 9, 5, 0, tzinfo=UTC))
    data = built.data.replace(built.message_id.encode(), b"<MESSAGE-ID@example.org>")
    boundary = re.search(rb'boundary="([^"]+)"', data)
    assert boundary is not None
    return data.replace(boundary.group(1), b"=_digest_BOUNDARY")


def test_a_digest_message_is_byte_for_byte_what_was_reviewed() -> None:
    data = message()
    if os.environ.get("DIGEST_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(data)
    assert GOLDEN.exists(), f"{GOLDEN} is missing: run with DIGEST_UPDATE_GOLDEN=1 to write it"
    expected = GOLDEN.read_bytes()
    if data != expected:  # show the first lines that differ, not two walls of bytes
        got, want = data.decode().splitlines(), expected.decode().splitlines()
        first = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
                     min(len(got), len(want)))
        raise AssertionError(f"the message differs from {GOLDEN.name} at line {first + 1}:\n"
                             f"  got:  {got[first] if first < len(got) else '(end)'}\n"
                             f"  want: {want[first] if first < len(want) else '(end)'}")
