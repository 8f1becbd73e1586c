"""The briefing reader on each convention ministries use (fixtures written for these tests from
the conventions: China MFA in English, Chinese and both, US State Department, Russia MID in
Russian and English, India MEA in English and Hindi, an Arab foreign ministry in Arabic, Spain's
in Spanish, Japan MOFA in English and Japanese, Germany's government press conference, France, and bracketed labels):
every question found, its asker named where the transcript says it, the spokesperson told from
the askers, and every paragraph in exactly one segment."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.transcripts import read_transcript
from tests.builders import flooding_briefing

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "transcripts"

# file: (announcements, askers of each exchange in order, who answers)
EXPECTED = {
    "china-mfa-en.txt": (2, ["AFP", "Reuters", "Reuters", "RIA Novosti"], "Lin Jian"),
    "china-mfa-zh.txt": (1, ["法新社", "环球时报", "总台央视"], "林剑"),
    "china-mfa-bilingual.txt": (0, ["澎湃新闻", "彭博社"], "Mao Ning"),  # as the title names her
    # "MR PRICE" is Ned Price: the reporter thanks him by his first name
    "us-state.txt": (1, [None, None, None, None], "Ned Price"),
    # a heading and the paragraph under it are one announcement
    "russia-mid-ru.txt": (1, [None, None, None], "М.В.Захарова"),
    "russia-mid-en.txt": (1, [None, None], "Maria Zakharova"),
    "india-mea.txt": (2, ["WION", "PTI, Doordarshan", "TV9"],
                      "Shri Randhir Jaiswal, Official Spokesperson"),
    "japan-mofa.txt": (1, ["NHK", "NHK", "Kyodo News"], "Press Secretary"),
    # in Japanese: the time and place in brackets and the headings ("冒頭発言") are no one's turn,
    # and a reporter names their outlet as they introduce themselves ("NHKの山田です。")
    "japan-mofa-ja.txt": (2, ["NHK", "共同通信", "朝日新聞", "読売新聞"], "岩屋外務大臣"),
    "germany-regpk.txt": (1, [None, None, None], "Sprecher"),
    "france-diplomatie.txt": (0, [None, None, None], "R"),
    "brackets.txt": (0, [None, None, None], "A"),
    # scripts without capital letters: a label is told by its shape and its role's name
    "arab-mfa-ar.txt": (2, [None, "قناة الجزيرة", None], "المتحدث الرسمي"),
    "india-mea-hi.txt": (2, [None, "वियोन"], "आधिकारिक प्रवक्ता, श्री रणधीर जायसवाल"),
    # roles in Spanish: "Pregunta" asks (it names no one), "Portavoz" answers
    "spain-maec-es.txt": (1, [None, None], "Portavoz"),
    # the White House's: "Q" and a space, no colon; officials by honorific and surname; greetings
    # and hand-overs ("Go ahead, Selina.") between the exchanges
    "whitehouse-style.txt": (1, [None, None, None, None], "Dana Reyes"),
}


def _read(name: str) -> tuple[str, str]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    if name == "brackets.txt":
        return "", "\n".join(lines)
    return lines[0], "\n".join(lines[1:])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_question_found_and_nothing_dropped(name: str) -> None:
    announcements, askers, spokesperson = EXPECTED[name]
    title, text = _read(name)
    transcript = read_transcript(text, title=title)
    assert transcript is not None
    exchanges = [s for s in transcript.segments if s.question is not None]
    assert [s.asked_by for s in exchanges] == askers
    assert len(transcript.segments) - len(exchanges) == announcements
    assert all(s.answer for s in transcript.segments)  # every exchange got its answer
    assert transcript.spokesperson == spokesperson
    # every paragraph of the transcript in exactly one segment, in order
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    assert [p for s in transcript.segments for p in s.text.split("\n")] == paragraphs
    for segment in exchanges:
        assert segment.question and not segment.question.startswith(("Q -", "Question:", "(Q)"))
        assert segment.speaker is not None


def test_questions_and_answers_are_read_apart() -> None:
    title, text = _read("china-mfa-en.txt")
    transcript = read_transcript(text, title=title)
    assert transcript is not None
    afp = next(s for s in transcript.segments if s.asked_by == "AFP")
    assert afp.question == ("Reports say the NATO summit communique will call China a decisive enabler "
                            "of Russia's war. What is China's response?")
    assert afp.answer.startswith("China firmly opposes NATO's interference")
    assert "We urge NATO to stop" in afp.answer  # the answer's second paragraph, unlabelled
    assert afp.speaker == "Lin Jian"
    first = transcript.segments[0]
    assert first.question is None and first.answer.startswith("At the invitation of")
    # the bilingual briefing: the Chinese and English turns of one question are one exchange
    title, text = _read("china-mfa-bilingual.txt")
    bilingual = read_transcript(text, title=title)
    assert bilingual is not None
    paper = bilingual.segments[0]
    assert "SCO summit" in (paper.question or "") and "上海合作组织" in (paper.question or "")
    assert "fruitful results" in paper.answer and "丰硕成果" in paper.answer


@pytest.mark.parametrize("text", [
    "The minister said: we will not accept this. Talks went on late into the night.",
    "Ministers met in Geneva on Tuesday.\nThey agreed on a ceasefire.\nThe text: a truce from Friday.",
    "Note: times are local.\nAFP: What did the minister say?\nThe talks continued.",
    "وقال الوزير: لن نقبل بهذا القرار.\nوأضاف المتحدث: المحادثات مستمرة حتى الليل.\n"
    "وتابع الوزير: هل يقبل أحد بذلك؟\nواستمرت المحادثات حتى وقت متأخر.",
])
def test_articles_that_are_not_briefings_are_left_whole(text: str) -> None:
    assert read_transcript(text) is None


def test_a_convention_the_reader_was_not_written_for_is_learned_from_the_transcript() -> None:
    """``Q`` and a space opens a question (it hands the floor over: the official's label comes
    next), "MR. WALSH" is Tom Walsh, whom the title names; greetings, "Q Hi." and "Go ahead,
    Ed." are no segment of their own, and the announcements end at the first question."""
    title, text = _read("whitehouse-style.txt")
    transcript = read_transcript(text, title=title)
    assert transcript is not None
    [opening] = [s for s in transcript.segments if s.question is None]
    assert opening.speaker == "Dana Reyes" and opening.answer.count("insulin") == 2  # one subject
    # the page's heading and the time are in the segment, not in what was said
    assert "James S. Brady Press Briefing Room" in opening.paragraphs
    assert "Briefing Room" not in opening.answer and "P.M." not in opening.answer
    exchanges = [s for s in transcript.segments if s.question]
    assert [s.speaker for s in exchanges] == ["Tom Walsh", "Tom Walsh", "Dana Reyes", "Dana Reyes"]
    assert exchanges[0].question.startswith("Thank you. The President arrives in Nairobi")
    assert "Go ahead, Selina." in exchanges[0].text and "Go ahead, Ed." in exchanges[2].text
    assert not any(s.question in ("Hi.", "Good afternoon.", "To the back, Dana?") for s in exchanges)


def test_a_stage_direction_is_no_ones_words() -> None:
    title, text = _read("whitehouse-style.txt")
    text = text.replace("1:05 P.M. EST", "1:05 P.M. EST\n(Admiral John Kirby enters the Press Briefing Room.)")
    transcript = read_transcript(text, title=title)
    assert transcript is not None
    assert any("(Admiral John Kirby enters" in p for s in transcript.segments for p in s.paragraphs)
    assert not any("enters the Press Briefing Room" in s.answer for s in transcript.segments)
    # and one between the paragraphs of an answer
    answer = next(s.answer for s in transcript.segments if s.question).split("\n")[0]
    interrupted = text.replace(answer, answer + "\n(The briefing is interrupted by a creaking sound.)")
    read = read_transcript(interrupted, title=title)
    assert read is not None and not any("creaking" in s.answer for s in read.segments)
    assert any("creaking" in p for s in read.segments for p in s.paragraphs)
    # the time and place in nested full-width brackets, and the headings, in Japanese
    title, text = _read("japan-mofa-ja.txt")
    transcript = read_transcript(text, title=title)
    assert transcript is not None
    assert any("於：本省会見室" in p for s in transcript.segments for p in s.paragraphs)
    assert not any("於" in s.answer or "冒頭発言" in s.answer or "質疑応答" in s.answer or s.asked_by == "令和8年6月3日"
                   for s in transcript.segments)


def test_a_lobby_summary_in_reported_speech_is_one_article() -> None:
    title, text = _read("uk-lobby.txt")
    assert read_transcript(text, title=title) is None


def test_a_reading_that_floods_is_implausible() -> None:
    """Thirty paragraphs read as announcements before two questions: the questions were read as
    the spokesperson's words; such a reading is not kept (the page stays one article)."""
    transcript = read_transcript(flooding_briefing())
    assert transcript is not None and transcript.questions == 2
    assert transcript.implausible and "20 announcements and 2 questions" in transcript.implausible


def test_a_page_footer_kept_by_a_scrape_is_not_the_last_answer() -> None:
    """The short lines that end a ministry's page (links to other offices, "中国政府网") are no
    words of the last answer; a short last answer that is a sentence stays."""
    title, text = _read("china-mfa-zh.txt")
    plain = read_transcript(text, title=title)
    # fmprc.gov.cn's: its offices, then a prompt that has a sentence in it
    footer = "\n".join(["中国政府网", "中国外交部", "外交部公众号", "联系我们",
                        "您即将离开外交部门户网站，跳转到其他网站，", "是否继续访问？", "继续访问", "放弃"])
    scraped = read_transcript(f"{text}\n{footer}", title=title)
    assert plain is not None and scraped is not None
    assert scraped.segments[-1].answer == plain.segments[-1].answer == "我们将适时发布消息。"
    assert "联系我们" not in scraped.segments[-1].text
    # two short closing sentences are the answer's, not a footer
    closing = read_transcript(f"{text}\n我们会及时发布消息。\n谢谢。", title=title)
    assert closing is not None and closing.segments[-1].answer.endswith("谢谢。")
    # ... and stay the answer's when the footer follows them
    both = read_transcript(f"{text}\n谢谢。\n{footer}", title=title)
    assert both is not None and both.segments[-1].answer.endswith("谢谢。")
