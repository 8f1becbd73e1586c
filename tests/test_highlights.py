"""Highlights and summaries: sentences that say one fact, never a question, a time stamp or a ministry's first person; the digest highlights command."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from digest.highlights import Passage, choose_highlights
from digest.paragraph import compose_summary
from digest.sameness import restates
from digest.sentences import clean_sentence, split_sentences
from tests.conftest import run_digest
from tests.story_texts import (
    NATO_A,
    QUAKE_1,
)


def test_sentence_helpers() -> None:
    assert split_sentences("Mr. Li met the U.S. envoy. He left.\nNew paragraph") == [
        "Mr. Li met the U.S. envoy.", "He left.", "New paragraph"]
    # letters with full stops before a number or a day go on: the bill's number is no sentence
    assert split_sentences("Liberals made the bill, H.R. 1, a priority. It passed at 10 a.m. Friday. Then "
                           "the U.S. delegation left at 9 a.m. Talks resume.") == [
        "Liberals made the bill, H.R. 1, a priority.", "It passed at 10 a.m. Friday.",
        "Then the U.S. delegation left at 9 a.m.", "Talks resume."]
    assert clean_sentence("BEIJING, July 11 (Xinhua) -- China warned NATO.") == "China warned NATO."
    assert clean_sentence("Lin Jian: We oppose this.") == "We oppose this."
    assert clean_sentence("Canberra, Australia (CNN) -- At first glance it looks like a classroom.") == (
        "At first glance it looks like a classroom.")
    # attributions go where the sentence stands without them, and only there
    assert clean_sentence("According to police, the man was arrested at the scene on Monday.") == (
        "The man was arrested at the scene on Monday.")
    # ... but a figure keeps who gave it
    assert clean_sentence("Prices rose 3 percent in May, according to official figures.") == (
        "Prices rose 3 percent in May, according to official figures.")
    assert clean_sentence("The army had retaken the town, the governor told reporters on Sunday.") == (
        "The army had retaken the town.")
    assert clean_sentence("The talks failed, he said.") == "The talks failed, he said."
    assert clean_sentence("Bishop John Folda (pictured) fell ill in Italy last month.") == (
        "Bishop John Folda fell ill in Italy last month.")


@pytest.mark.parametrize("sentence", [
    "What is China's response?", "中方对此有何回应？", "中方对此有何回应吗", "ما موقف الوزارة من ذلك؟",
    "Вопрос: Прокомментируйте, пожалуйста, итоги саммита.", "سؤال: نرجو التعليق على نتائج القمة.",
    "प्रश्न: कृपया शिखर सम्मेलन के परिणामों पर टिप्पणी करें।", "Frage: Wie bewertet die Regierung das?",
    "Pregunta: Quería preguntarle por la reunión con el canciller argentino.",
])
def test_questions_in_any_language_are_never_highlights(sentence: str) -> None:
    from digest.sentences import is_question

    assert is_question(sentence)
    assert not is_question("Die Bundesregierung begrüßt die Einigung.")


def test_time_stamps_and_headers_are_never_highlights() -> None:
    text = ("By . Associated Press . PUBLISHED: . 14:11 EST, 25 October 2013 . | . UPDATED: . "
            "15:36 EST, 25 October 2013 . The bishop of Fargo has exposed hundreds of church members "
            "to the hepatitis A virus. The state health department issued an advisory for five churches.")
    picked = choose_highlights([Passage(key="a", title="", text=text)], 3)
    assert picked and all("EST" not in h and "PUBLISHED" not in h for h in picked)
    assert picked[0].startswith("The bishop of Fargo")


def test_a_briefings_housekeeping_is_no_highlight_and_spoken_fillers_go() -> None:
    from digest.sentences import compress

    text = ("Okay, a couple of items for you at the top. So, look, the President will sign the bill that "
            "caps the price of insulin at 35 dollars a month on Friday. Millions of seniors on Medicare pay "
            "hundreds of dollars a month for insulin today.")
    picked = choose_highlights([Passage(key="a", title="", text=text, said_by="Dana Reyes")], 3)
    assert picked and not any("items for you" in h for h in picked), picked
    assert picked[0].startswith("The President will sign the bill"), picked
    assert compress("Well, we are working with Congress on the budget this week.") == (
        "We are working with Congress on the budget this week.")
    # a spoken "But" stays: it still points back
    assert compress("But the President will not sign it.").startswith("But")
    # an announcement counted off is one of them: the count goes ("First, …", "First of all, …")
    assert compress("Second, India will host the BIMSTEC foreign ministers' retreat in New Delhi later this "
                    "month.").startswith("India will host")
    assert compress("First of all, Russia decided to launch a massive land war in Ukraine.").startswith("Russia")
    # and so do "Obviously, …", "Of course, …": what follows says it; a sentence that is only the
    # room's business once they go ("Okay, the last one to Bloomberg.") is too short to stand
    assert compress("Obviously, we're working very closely with the Mexican government.") == (
        "We're working very closely with the Mexican government.")
    assert compress("Of course, the steps taken to allocate seats are set by statute.").startswith("The steps")
    assert compress("As always, China opposes political framing on issues related to Xinjiang.").startswith("China")
    housekeeping = "Okay, the last one to Bloomberg. The President will travel to Ohio on Friday to visit a plant."
    picked = choose_highlights([Passage(key="a", title="", text=housekeeping, said_by="Dana Reyes")], 3)
    assert picked == ["The President will travel to Ohio on Friday to visit a plant."], picked
    # "Hence, …" goes on from what was said before it, as "But …" does
    from digest.sentences import needs_antecedent

    assert needs_antecedent("Hence, the military campaign is continuing.")
    # and so do the connectives that take up what came before, but not what says what it stands for
    for going_on in ("Similar fireworks are expected Tuesday in what could be a marathon meeting.",
                     "Instead, the firearms deemed assault weapons are ordinary rifles.",
                     "As a result, the company shut down its plants in Colorado and Texas."):
        assert needs_antecedent(going_on), going_on
    assert not needs_antecedent("Instead of negotiating in good faith, they are doubling down.")
    # "Nor …", "Neither will …" go on from a negation before them; "Neither side …" does not
    picked = choose_highlights([Passage(key="a", title="", said_by="Lin Jian", text=(
        "No words or deeds of the island's authorities will ever change the nature of the question. Nor will "
        "they ever waver the international commitment to one China. China opposes arms sales to the island."))])
    assert not any(h.startswith("Nor") for h in picked), picked
    assert needs_antecedent("Neither will the talks resume next week in Geneva.")
    assert not needs_antecedent("Neither side has commented on the talks so far.")
    # a connective that only adds goes, and what follows stands alone
    assert compress("Additionally, the Treasury announced sanctions on 13 individuals today.") == (
        "The Treasury announced sanctions on 13 individuals today.")
    assert compress("In addition to the rockets that landed in Israel, dozens fell short in Gaza.").startswith(
        "In addition to")
    # a long sentence is cut where what follows only adds to it, never to its subordinate clause
    # alone, nor to its subject and verb without what they did ("they did so as part of a plan …")
    park = ("When the Park Police led officers into a crowd of mostly peaceful protesters outside Lafayette "
            "Square on June 1, 2020, including officers equipped with chemical irritants and officers on "
            "horseback, they did so as part of a plan made days earlier to build a fence around the park, "
            "an inspector general said.")
    assert not compress(park).endswith(("2020.", "did so."))
    # a time phrase goes from a long sentence, but not from after its preposition ("at the end of.")
    assert compress("We will do everything in our power to support Congress coming together around a measure "
                    "that will fund the government and avoid a shutdown at the end of this week.").endswith(
        "at the end of this week.")


def test_an_officials_talk_with_the_room_is_neither_highlight_nor_paragraph() -> None:
    """The government speaks as "we"; "I" and "you" in a spokesperson's words are the briefing's
    own business (thanks, who takes the questions, who may leave), in English and Chinese."""
    from digest.paragraph import compose_summary

    talk = ("Thank you so much, Dr. Fauci. Before I turn things over to Jake, I have a couple of updates at "
            "the top. Today, President Biden is issuing an executive order requiring federal contractors to "
            "pay a $15 minimum wage to hundreds of thousands of their employees. For anyone who needs to leave "
            "for TV, feel free to go. The order takes effect in March and covers workers who clean and repair "
            "federal buildings across the country.")
    passages = [Passage(key="a", title="", text=talk, said_by="Jen Psaki", language="en")]
    picked, paragraph = choose_highlights(passages, 3), compose_summary(passages)
    assert picked and picked[0].startswith("Today, President Biden is issuing an executive order"), picked
    for said in ("Thank you", "turn things over", "feel free"):
        assert not any(said in h for h in picked) and said not in paragraph, (picked, paragraph)
    zh = ("我也注意到了这一纪录片的播出。不知道你新奇的提问角度从何而来。"
          "二战期间，侵华日军第731部队进行了灭绝人性的活体实验和细菌战，受害者既有大量中国平民，也有其他国家的战俘。")
    picked = choose_highlights([Passage(key="a", title="", text=zh, said_by="林剑", language="zh")], 3)
    assert picked and not any(h.startswith(("我也注意到", "不知道你")) for h in picked), picked
    from digest.sentences import talks_to_the_room

    assert not talks_to_the_room("中国共产党勇于自我革命，坚持从严治党。")  # "自我" is "self", no "I"
    # an outlet's "I" in a quotation is someone's words it reports, and stays
    quoted = ("“I will not resign,” the minister told reporters in Oslo on Monday, a day after the vote of "
              "no confidence in parliament.")
    assert choose_highlights([Passage(key="a", title="", text=quoted)], 3)


def test_what_a_spokesperson_says_before_the_answer_goes() -> None:
    from digest.sentences import compress, formula_kind, needs_antecedent

    assert needs_antecedent("中方此举完全正当、合理、合法。")  # "this move of China's": which?
    assert needs_antecedent("The international community is deeply concerned about these developments.")
    assert needs_antecedent("So, this is all very important.")  # past its spoken opening, "this"
    # a pronoun as the subject of an opening clause: who she is was said before
    assert needs_antecedent("Before she came to Beijing, she had visited Shanghai and Taicang.")
    assert not needs_antecedent("Before the summit, Foreign Minister Reisinger had visited Shanghai.")

    assert compress("On your first question, China’s cooperation with Vanuatu is based on mutual respect.") == (
        "China’s cooperation with Vanuatu is based on mutual respect.")
    assert compress("As you know, the President and First Lady will travel to Georgia on Friday.") == (
        "The President and First Lady will travel to Georgia on Friday.")
    assert compress("我还要指出，中方依法依规针对所有两用物项，禁止对日本军事用户出口。") == (
        "中方依法依规针对所有两用物项，禁止对日本军事用户出口。")
    assert compress("你提到的有关报告用“国强必霸”的逻辑镜像中国，是对中国的严重战略误判。").startswith("有关报告")
    assert compress("第一个问题，中方在半岛问题上的立场和政策保持连续性、稳定性。").startswith("中方")
    assert compress("As we’ve been saying, between China and Europe, the industrial and supply chains are "
                    "highly integrated.").startswith("Between China and Europe")
    assert formula_kind("Information will be released in a timely manner if there is any.") == "will announce"
    # in Japanese, an answer's connective goes ("その上で、" on that basis) and what follows stands alone
    assert compress("その上で、我が国としては、米国に対して措置の見直しを強く求めています。") == (
        "我が国としては、米国に対して措置の見直しを強く求めています。")


def test_what_points_back_in_the_ministries_other_languages_needs_what_it_points_to() -> None:
    from digest.sentences import needs_antecedent, talks_to_the_room

    for pointing in ("Darüber wird auf europäischer Ebene beraten.", "Cela montre notre engagement.",
                     "Это решение ошибочно.", "Их характер будет определяться нашими интересами.",
                     "Pero no lo aceptaremos.", "これは重要な一歩です。",
                     "在此背景下，全球各界1700多位嘉宾相聚中国大连。", "对此，中方表示坚决反对。"):
        assert needs_antecedent(pointing), pointing
    for standing in ("Die Lage in der Ukraine wird Thema sein.", "Il y a des progrès.",
                     "この度、新たな支援を決定しました。", "Estonia joined the talks.",
                     "在中方的推动下，会议取得成功。"):
        assert not needs_antecedent(standing), standing
    # a welcome and an official's "I" and "you", in Arabic, Hindi and Japanese, are the room's business;
    # the minister's own trip ("私は…訪問し") and "我が国" (Japan) are not; "走私" is smuggling, no "I"
    for talk in ("صباح الخير، وأهلاً بكم في الإحاطة الإعلامية الأسبوعية.", "मैं कुछ घोषणाओं से शुरुआत करना चाहूंगा।",
                 "私から2点申し上げます。", "1点目は、フィリピン訪問についてです。", "Good afternoon, everyone.",
                 "Okay, great.", "Next question.", "All right, a couple more.", "My answer is the same."):
        assert talks_to_the_room(talk), talk
    for news in ("私は6月6日から8日までフィリピンを訪問します。", "我が国は支援を決定しました。", "中方严厉打击走私。",
                 "Yes.", "Great Britain joined the talks."):
        assert not talks_to_the_room(news), news


def test_two_outlets_tallies_of_one_vote_are_not_told_side_by_side() -> None:
    """The story as stored: its highlights and its paragraph give one tally of the vote."""
    from datetime import UTC, datetime, timedelta

    from digest.domain import StoredArticle
    from digest.stories import build_stories

    post = ("The House voted Wednesday to form a select committee to investigate the Jan. 6 attack on the "
            "Capitol. The 220-to-190 party-line vote stands in contrast to a vote in May on an independent "
            "commission. Speaker Nancy Pelosi will appoint eight of the committee's 13 members.")
    fox = ("The House approved a select committee on the Capitol riot on Wednesday. The vote was 222-190 with "
           "two Republicans joining all Democrats to establish the committee. Minority Leader Kevin McCarthy "
           "may name five members.")
    now = datetime(2021, 7, 1, 18, tzinfo=UTC)
    articles = [StoredArticle(id=n + 1, source=name, source_title=name, official=False, url=f"https://{name}.example/a",
                              title=title, text=text, published=now - timedelta(hours=3 - n), language="en",
                              is_opinion=False)
                for n, (name, title, text) in enumerate([
                    ("post", "House votes to create Jan. 6 select committee", post),
                    ("fox", "House approves Jan. 6 select committee on Capitol riot", fox)])]
    [story] = build_stories(articles, now=now)
    told = " ".join(h.text for h in story.highlights) + " " + story.summary
    assert "222-190" in told or "220-to-190" in told, told
    assert not ("220-to-190" in told and "222-190" in told), told


def test_one_reports_highlights_open_with_its_lead_and_keep_its_order() -> None:
    text = ("Norland's parliament voted late on Tuesday night to ratify a contested agreement with neighbouring "
            "Estmark, ending a decade of bitter disputes over dams, irrigation canals and fishing rights along "
            "their long shared border in the north. "
            "The treaty sets water quotas for the farms of both countries along the Silva River. "
            "Water from the Silva River is shared by the farms of both countries under the treaty. "
            "The Silva River feeds the farms of both countries, and the treaty shares its water. "
            "Estmark's parliament is expected to vote on the water treaty next month.")
    picked = choose_highlights([Passage(key="a", title="", text=text)], 3)
    assert picked[0].startswith("Norland's parliament voted"), picked
    assert [text.index(h[:20]) for h in picked] == sorted(text.index(h[:20]) for h in picked), picked
    # "He said …" follows what he did, right after it; never on its own, nor in a story of several
    # reports, whose highlights are not in one report's order
    resigned = ("Finance minister Arvid Lund resigned on Tuesday after a vote of no confidence in parliament. "
                "He said the pressure on his family had become too much to bear. "
                "The vote followed reports that the ministry had hidden the cost of the new bridge. "
                "Prime Minister Eva Holm will name a successor on Friday.")
    picked = choose_highlights([Passage(key="a", title="", text=resigned)], 3)
    assert picked[0].startswith("Finance minister Arvid Lund resigned") and picked[1].startswith("He said"), picked
    several = choose_highlights([Passage(key="a", title="", text=resigned),
                                 Passage(key="b", title="", text="Arvid Lund quit as finance minister on "
                                         "Tuesday. Eva Holm thanked him for his service to the country.")], 3)
    assert not any(h.startswith("He said") for h in several), several


def test_highlights_do_not_tell_the_same_event_twice_in_other_words() -> None:
    ministry = Passage(key="mfa", title="Water treaty signed with Estmark", text=(
        "Norland and Estmark signed a treaty on Friday to share the waters of the Silva River, "
        "settling a dispute that has soured relations between the neighbours for more than ten "
        "years.\nThe treaty will be submitted to Parliament before the end of the year.\nA joint "
        "commission will publish daily measurements from six gauging stations along the border."))
    wire = Passage(key="wire", title="Norland and Estmark end river feud", text=(
        "After a decade of quarrels over the Silva River, Norland and Estmark have signed a "
        "water-sharing treaty that splits the river's summer flow between them equally.\nFarmers "
        "in Estmark's dry eastern provinces had accused Norland of taking too much water for its "
        "hydropower dams."))
    picked = choose_highlights([ministry, wire], 3)
    assert len(picked) == 3
    assert sum("signed" in h for h in picked) == 1, picked
    # the same event opening two outlets' reports in other words is one highlight; within one
    # report, a sentence goes on from the one before it with the same words
    whitehouse = ("Sen. Sheldon Whitehouse refused to apologize for his family's membership in a reportedly "
                  "all-White beach club in his home state of Rhode Island.")
    assert restates(whitehouse, "U.S. Senator Sheldon Whitehouse continues to defend his family's membership "
                                "in the all-white private Bailey's Beach Club in Newport.", share=0.5)
    reports = [Passage(key="hill", title="Whitehouse defends beach club", text=(
                   "U.S. Senator Sheldon Whitehouse continues to defend his family's membership in the all-white "
                   "private Bailey's Beach Club in Newport.\nGoLocal Providence first asked the senator about the "
                   "club in 2017.\nThe club's board did not answer requests for comment from reporters on "
                   "Saturday.\nWhitehouse has served in the Senate since 2007 and sits on the Judiciary Committee.")),
               Passage(key="fox", title="Whitehouse will not apologize", text=(
                   f"{whitehouse}\nThe Rhode Island Democrat called such clubs a long tradition in the state.\n"
                   "Republicans in Washington said the senator should resign from the club at once.\nHis wife "
                   "Sandra holds a large share in the club, according to filings.")),
               Passage(key="ind", title="Whitehouse apologises but stays", text=(
                   "Democratic Senator Sheldon Whitehouse has apologised for his membership of an elite private "
                   "beach club that refuses to accept anyone who is not white.\nNewport has several such clubs, "
                   "some of them more than a century old.\nCivil rights groups in Providence asked the club to "
                   "change its rules this summer."))]
    picked = choose_highlights(reports, 3)
    assert sum("membership" in h for h in picked) == 1, picked
    # nor does the paragraph tell it again from the other reports, the character n-grams aside
    from digest.paragraph import compose_summary

    assert compose_summary(reports, max_words=200, redundancy=0.99).count("membership") == 1
    visit = Passage(key="mfa", title="", said_by="Lin Jian", text=(
        "At the invitation of Canadian Foreign Minister Anita Anand, Foreign Minister Wang Yi paid an official "
        "visit to Canada from May 28 to 30.\nIt was the first visit by a Chinese foreign minister to Canada "
        "in ten years.\nCanada supports China in hosting the APEC Economic Leaders' Meeting this year."))
    assert "It was the first visit by a Chinese foreign minister to Canada in ten years." in choose_highlights([visit])
    # the same names with nothing else in common are different news
    assert not restates("Creighton's Doug McDermott returns for his senior season.",
                         "Doug McDermott scored 23 points to become Creighton's all-time "
                         "scoring leader as the Bluejays beat Drake.")
    assert not restates("Norland and Estmark signed a water treaty on Friday.",
                         "Farmers in Estmark had accused Norland of taking too much water for its dams.")
    # one word in other forms ("share" / "sharing"), a name's word another outlet writes as a
    # common noun ("Treaty" / "a treaty"): the signing, told twice
    signed = ("Foreign Minister Jonas Brandt and Estmark's Foreign Minister Ilse Varga signed the Silva River "
              "Water-Sharing Treaty in Lindholm.")
    assert restates(signed, "Norland and Estmark signed a treaty to share the waters of the Silva River, settling "
                    "a dispute that has soured relations between the neighbours for more than ten years.",
                    share=0.5)
    assert not restates(signed, "The water-sharing treaty signed with Estmark will be submitted to Parliament "
                        "before the end of the year.", share=0.5)


def test_three_outlets_telling_the_ruling_in_their_own_words_tell_it_once() -> None:
    from digest.sameness import paraphrases

    told = ("The Supreme Court sided unanimously with college athletes on Monday, ruling that the NCAA's limits "
            "on education benefits for players break federal antitrust law.",
            "The Supreme Court ruled unanimously on Monday that the NCAA illegally capped the education-related "
            "benefits that colleges may offer student athletes.",
            "In a 9-0 decision, the justices said the NCAA's caps on what colleges may give athletes for their "
            "education violate antitrust law.")
    reports = [
        Passage(key="wire", title="Supreme Court rules against NCAA",
                text=f"{told[0]} Justice Neil Gorsuch wrote the opinion for the court."),
        Passage(key="courier", title="Justices side with athletes against NCAA",
                text=f"{told[1]} Justice Brett Kavanaugh wrote separately that the NCAA's business model would be "
                     "illegal in almost any other industry in America."),
        Passage(key="herald", title="NCAA loses at Supreme Court",
                text=f"{told[2]} The ruling leaves the NCAA's limits on salaries in place."),
    ]
    # few words in common ("capped" / "limits" / "caps"), one fact: the sentence vectors tell
    assert paraphrases(told[0], told[2]) and paraphrases(told[1], told[2])
    assert not paraphrases(told[0], "Justice Neil Gorsuch wrote the opinion for the court.")

    def tellings(said: str) -> int:
        return sum(" ".join(t.split()[-4:]).rstrip(".") in said for t in told)

    highlights = choose_highlights(reports, 3)
    assert tellings(" ".join(highlights)) == 1, highlights
    paragraph = compose_summary(reports)
    assert tellings(paragraph) == 1, paragraph
    assert "Kavanaugh" in paragraph and "salaries" in paragraph  # what each adds stays


def test_half_a_quotation_in_single_marks_is_no_highlight() -> None:
    text = ("Gordon Brown has warned that the nationalists want a vote in the election to force a second "
            "referendum on independence. Speaking in Kirkcaldy on Monday, the former prime minister said the "
            "party's answers on the issue were evasive. He said: 'There is a nationalist candidate in this "
            "constituency. She says vote for her party and we will twist their arms and get another "
            "referendum.' Mr Brown said voters wanted the government to focus on jobs. 'We will not "
            "let that happen,' he added.")
    picked = choose_highlights([Passage(key="a", title="", text=text)], 3)
    # a quotation in British single marks, over two sentences: neither half stands alone
    assert not any("candidate in this constituency" in h or "twist their arms" in h for h in picked), picked
    paragraph = compose_summary([Passage(key="a", title="", text=text)])
    assert "Mr Brown said voters wanted" in paragraph and "twist their arms" not in paragraph, paragraph


def test_an_outlets_writer_speaking_for_themself_is_no_highlight() -> None:
    column = Passage(key="courier", title="Earth Day", text=(
        "Leaders of forty countries met online on Thursday for a climate summit hosted by the White House. "
        "We face intersecting poverty, health, climate and biodiversity crises. "
        "Japan pledged to cut its emissions by 46 percent by 2030. "
        "Let's see how we got here. "
        "\"We must act now,\" the summit's host said."))
    picked = choose_highlights([column], 3)
    # the writer's "we" under the outlet's name would be the digest's; a quoted "we" has its speaker
    assert not any(h.startswith(("We face", "Let's see")) for h in picked), picked
    assert any("46 percent" in h for h in picked), picked
    assert "We face" not in compose_summary([column])


def test_highlights_cli() -> None:
    lines = "\n".join(json.dumps({"id": i, "title": "t", "text": text})
                      for i, text in enumerate([NATO_A, QUAKE_1]))
    result = run_digest("highlights", "--n", "2", stdin=lines)
    assert result.code == 0, result.err
    out = [json.loads(line) for line in result.out.splitlines()]
    assert [o["id"] for o in out] == [0, 1]
    assert len(out[0]["highlights"]) == 2 and len(out[1]["highlights"]) == 2
    assert out[0]["highlights"][0].startswith("China warned NATO")
    bad = run_digest("highlights", stdin="not json\n")
    assert bad.code == 2 and "line 1" in bad.err


@pytest.mark.parametrize(("language", "text", "question"), [
    ("ja", "外務大臣は本日、フィリピンの外務大臣と会談しました。両大臣は、南シナ海の情勢について意見を交換しました。"
           "日本政府は、地域の平和と安定に引き続き貢献していく考えです。会談の成果についてどう評価しますか？", "どう評価しますか"),
    ("ar", "أعلنت وزارة الخارجية أن الوزير سيزور القاهرة الأسبوع المقبل لإجراء محادثات حول الوضع في المنطقة. "
           "وقال المتحدث إن الزيارة تهدف إلى تعزيز التعاون بين البلدين في مجالات عدة. هل ستلتقي الوزيرة بنظيرها في القاهرة؟",
     "هل ستلتقي"),
    ("ru", "Министр иностранных дел России провёл переговоры с турецким коллегой в Москве. Стороны обсудили "
           "ситуацию на Ближнем Востоке и вопросы торговли. Как Москва оценивает итоги этих переговоров?", "Как Москва"),
    ("zh", "中方坚决反对北约插手亚太事务，敦促北约停止制造对抗和分裂。中方在乌克兰问题上始终坚持客观公正立场，"
           "积极劝和促谈。中方对北约峰会的结果有何进一步回应吗？", "有何进一步"),
])
def test_highlights_in_other_languages_are_sentences_never_questions(language: str, text: str,
                                                                   question: str) -> None:
    chosen = choose_highlights([Passage(key="a", title="", text=text)], 3)
    assert len(chosen) >= 2
    assert all(question not in h for h in chosen)


def test_the_summary_speaks_in_the_digests_voice_not_in_a_ministrys_first_person_nor_to_you() -> None:
    from digest.paragraph import compose_summary

    wire = Passage(key="wire", title="Karesh expels Norland diplomats", text=(
        "Karesh ordered two diplomats from Norland's embassy to leave within 72 hours. "
        "Karesh says the two photographed a naval base near Dura. "
        "Norland called the accusations groundless and summoned the Karesh ambassador. "
        '"We will respond in kind," a Norland official told reporters.'))
    ministry = Passage(key="mfa", title="Statement on the expelled diplomats", text=(
        "Norland reserves the right to respond in kind, but we remain open to dialogue. "
        "The accusations made against our diplomats are groundless. "
        "Both diplomats carried out their duties in accordance with the Vienna Convention."))
    summary = compose_summary([wire, ministry], max_words=200)
    assert "we remain open" not in summary and "against our diplomats" not in summary
    # "Both diplomats…" points back at a sentence left out: it is left out too
    assert "Vienna Convention" not in summary
    assert '"We will respond in kind," a Norland official told reporters.' in summary  # quoted, said who
    # a columnist speaking to the reader is no more the digest's voice
    column = Passage(key="column", title="Why the expulsions matter", text=(
        "If you follow the Silva River dispute, you know Karesh and Norland rarely agree on anything. "
        "Karesh and Norland have expelled each other's diplomats four times since 2019."))
    summary = compose_summary([wire, column], max_words=200)
    assert "you know" not in summary and "four times since 2019" in summary
    # the wire's report in its own order, first
    assert summary.index("Karesh ordered") < summary.index("Karesh says") < summary.index("Norland called")

    # a government's words, when the paragraph knows whose they are, are quoted under its name
    from dataclasses import replace

    named = replace(ministry, said_by="The Ministry of Foreign Affairs of Norland")
    summary = compose_summary([wire, named], max_words=200)
    quoted = summary.index("The Ministry of Foreign Affairs of Norland said: “")
    assert summary.index("we remain open") > quoted and summary.endswith("”")
    assert "against our diplomats" not in summary  # what the wire said already


def test_the_paragraph_tells_what_happened_even_when_a_highlight_says_it_too() -> None:
    """The paragraph is the story, not what is left of it once the highlights are chosen: the
    event itself opens it, in the lead report's own order."""
    from digest.highlights import pick_highlights, rank_sentences
    from digest.paragraph import compose_summary

    wire = Passage(key="wire", title="Norland and Estmark sign Silva River treaty", text=(
        "Norland and Estmark signed a treaty on Tuesday to share the waters of the Silva River. "
        "The treaty sets quotas for each country in dry summers. "
        "A joint commission will meet every spring to review the flows. "
        "Farmers downstream had lost crops in three droughts since 2019."))
    other = Passage(key="paper", title="River treaty signed", text=(
        "The foreign ministers of Norland and Estmark signed the Silva River treaty in Dura. "
        "Parliaments in both countries must ratify it before the summer."))
    ranking = rank_sentences([wire, other])
    highlights = [text for text, _ in pick_highlights([wire, other], ranking=ranking)]
    assert any("treaty" in h for h in highlights)
    summary = compose_summary([wire, other], ranking=ranking)
    assert summary.startswith("Norland and Estmark signed a treaty on Tuesday")
    assert summary.index("quotas") < summary.index("joint commission")


def test_a_report_of_three_sentences_is_told_once_in_highlights_not_again_as_a_paragraph() -> None:
    from datetime import UTC, date, datetime, timedelta

    from digest.domain import StoredArticle
    from digest.render import DigestContent, Renderer
    from digest.stories import build_stories

    now = datetime(2026, 11, 3, 12, tzinfo=UTC)

    def report(n: int, text: str) -> StoredArticle:
        return StoredArticle(id=n, source=f"wire-{n}", source_title=f"Wire {n}", official=False,
                             url=f"https://wire{n}.example/{n}", title="Estmark holds rates", text=text,
                             language="en", is_opinion=False, published=now - timedelta(hours=n))

    short = report(1, "Estmark's central bank kept its main interest rate at 4.25 percent. Consumer prices "
                      "rose 3.1 percent in the year to October, down from 3.6 percent. The bank said it "
                      "would keep policy tight until inflation was back at its target.")
    [story] = build_stories([short], now=now)
    assert len(story.highlights) == 3 and story.summary == ""
    rendered = Renderer().render(DigestContent(title="Digest", day=date(2026, 11, 3), timezone="UTC",
                                               stories=(story,), subscriber_name="Ada"))
    for part in (rendered.text, rendered.html):
        assert "kept its main interest rate" in part and part.count("kept its main interest rate") == 1
    assert ">Story<" not in rendered.html

    longer = report(2, short.text + " Analysts had expected the hold after two cuts earlier in the year. "
                    "Mortgage lenders said borrowing costs would stay close to their highest level in a "
                    "decade, and the finance ministry repeated that its budget would bring the deficit down.")
    [story] = build_stories([longer], now=now)
    assert story.summary.startswith("Estmark's central bank kept its main interest rate")


def test_an_outlets_quotation_without_its_speaker_is_no_highlight() -> None:
    """Under the outlet's name, a quotation alone reads as the outlet's words; in the paragraph it
    comes only right after the sentence it follows in its report."""
    from digest.paragraph import compose_summary

    quote = "“The United States will keep enforcing its immigration laws and securing its southern border.”"
    report = Passage(key="wire", title="Harris tells migrants not to come", text=(
        "Vice President Kamala Harris told migrants in Guatemala not to come to the United States border.\n"
        f"{quote}\nHarris met Guatemalan President Alejandro Giammattei on Monday."))
    other = Passage(key="paper", title="Harris in Guatemala", text=(
        "Harris said in Guatemala City that migrants should not make the dangerous trek north.\n"
        "She travels to Mexico on Tuesday for talks with President Andrés Manuel López Obrador."))
    picked = choose_highlights([report, other], 5)
    assert len(picked) >= 3 and quote not in picked, picked
    assert "United States border. " + quote in compose_summary([report, other], max_words=200)
    alone = replace(report, text=f"{quote}\nHarris met Guatemalan President Alejandro Giammattei on Monday.")
    assert quote not in compose_summary([alone, other], max_words=200)  # its sentence before it left out


def test_a_story_of_outlets_and_a_government_has_the_governments_word_among_its_highlights() -> None:
    from digest.highlights import pick_highlights

    wire = Passage(key="wire", title="Dozens killed in warehouse blast in Myanmar's Shan State", text=(
        "An explosion at a warehouse in Namhkam Township in northern Myanmar's Shan State killed dozens of people "
        "on Sunday.\nNamhkam lies close to the Chinese border town of Ruili.\nRescue workers searched the rubble "
        "of the warehouse in Namhkam for survivors through the night."))
    herald = Passage(key="herald", title="Warehouse blast in Shan State kills dozens", text=(
        "A blast at a warehouse in Myanmar's Shan State killed dozens of people, local officials said.\nThe "
        "Ta'ang National Liberation Army, which controls Namhkam, blamed an accident involving stored "
        "explosives.\nMyanmar's military government did not comment on the blast in Shan State."))
    ministry = Passage(key="mfa", title="", said_by="Lin Jian", text=(
        "On May 31, an explosion at a warehouse in Namhkam Township in northern Myanmar's Shan State killed "
        "dozens of people.\nWe deeply mourn for the lives lost, and extend sincere sympathies to the bereaved "
        "families and the injured.\nRight after the accident, China verified the situation with the parties "
        "concerned and asked them to treat the injured Chinese citizen."))
    picked = pick_highlights([wire, herald, ministry])
    assert len(picked) == 3 and [key for _, key in picked].count("mfa") == 1, picked
    # a story of outlets alone is told by the outlets' best
    assert [key for _, key in pick_highlights([wire, herald])].count("herald") >= 1


def test_a_highlight_never_opens_a_quotation_it_does_not_close() -> None:
    text = ("The New York City Board of Elections found a discrepancy in the vote count of the mayoral "
            "primary on Tuesday. “We are working with our technical staff to identify where the discrepancy "
            "occurred. We will release the corrected results as soon as the review is done,” the board said "
            "in a statement. The board said 135,000 test ballots had been counted by mistake.")
    picked = choose_highlights([Passage(key="a", title="", text=text)], 3)
    # neither half of the quotation: the first has no speaker, the second loses its own with
    # its closing mark ("We will release the corrected results …" in the digest's voice)
    assert picked and not any("technical staff" in h or "corrected results" in h for h in picked), picked
    # a quotation whole in its sentence keeps its closing mark and its speaker
    quoted = ("President Biden signed a bill on Thursday making June 19 a federal holiday. “Making Juneteenth "
              "a federal holiday is a major step forward to recognize the wrongs of the past,” Biden said.")
    picked = choose_highlights([Passage(key="a", title="", text=quoted)], 3)
    assert any(h.endswith("wrongs of the past,” Biden said.") for h in picked), picked


def test_a_sentence_about_remarks_it_does_not_name_is_never_a_highlight() -> None:
    from digest.sentences import needs_antecedent

    assert needs_antecedent("There is no way that making such remarks will help Japan earn trust.")
    assert needs_antecedent("我们敦促日方停止上述言行。")
    assert needs_antecedent("The aim is to contain Japan’s remilitarization and its nuclear ambitions.")
    assert not needs_antecedent("There is abundant evidence for the Nanjing Massacre.")
    answer = Passage(key="mfa", title="", said_by="Lin Jian", text=(
        "There is no way that making such remarks will help Japan earn the trust of its neighbours. "
        "Japanese militarists committed horrendous crimes in the Second World War."))
    assert choose_highlights([answer]) == ["Japanese militarists committed horrendous crimes in the Second World War."]


def test_a_highlight_is_one_fact_said_briefly() -> None:
    from digest.sentences import compress, words_in

    # what goes: stressing, asides without figures, clauses about someone named, and in a long
    # sentence its time phrases and a closing comment
    assert compress("Let me stress that the Taiwan question is purely China's internal affair.") == (
        "The Taiwan question is purely China's internal affair.")
    assert compress("Governor Kristi Noem (R) said the troops would be sent to Texas next month.") == (
        "Governor Kristi Noem said the troops would be sent to Texas next month.")
    assert compress("Kaja Kallas, who leads the EU's foreign service, said navies could inspect the "
                    "tankers.") == "Kaja Kallas said navies could inspect the tankers."
    # a closing comment goes with its quotation, and the sentence keeps its full stop
    assert compress('President Joe Biden defended his first summit meeting with Russian President Vladimir Putin '
                    'in Geneva, saying "there was a lot of hype" around it, but said the meeting was '
                    '"straightforward."') == (
        "President Joe Biden defended his first summit meeting with Russian President Vladimir Putin in Geneva.")
    # a time at the end goes whole ("… near Barcelona, late." had been left), a tally is no time
    assert compress("Police found the body of the suspect who had escaped from the prison in a forest near the "
                    "city of Barcelona, late on Wednesday.").endswith("near the city of Barcelona.")
    for figure in ("By a vote of 168 to 55, with six abstentions, the bishops voted overwhelmingly to draft a "
                   "document on the meaning of the Eucharist for the church.",
                   "At 9.3 million new positions, it was far above what economists had expected for the month "
                   "of April this year."):
        assert compress(figure) == figure
    assert compress("On June 3, the board of the regional transport authority voted to approve the plan for the "
                    "new bridge across the river.").startswith("The board")
    # ... but not one whose second comma only sets off the name the sentence ends on
    plane = "The 26-year-old was aboard the Ryanair plane, which was flying from the Greek capital, Athens."
    assert compress(plane) == plane
    assert compress("Karesh on Saturday ordered two diplomats from Norland's embassy to leave the "
                    "country within 72 hours, accusing them of gathering intelligence on military "
                    "sites.") == "Karesh ordered two diplomats from Norland's embassy to leave the country within 72 hours."
    # what stays: a figure and who gave it, a short sentence's time, and what is said
    quake = ("A magnitude 6.8 earthquake struck north-western Valdoria late on Friday, killing at least 40 "
             "people and injuring more than 300, the country's emergency ministry said.")
    assert compress(quake) == quake.replace(" late on Friday", "")
    assert compress("Talks resume in Geneva on Monday.") == "Talks resume in Geneva on Monday."
    # a sentence too long for a highlight that says two things: the first
    two = ("The finance ministers of the twenty largest economies endorsed a global minimum corporate tax "
           "rate of at least 15 percent for multinational companies at their meeting in Venice; the deal "
           "still needs the approval of the leaders of the group before it takes effect next year.")
    assert compress(two) == two.split(";")[0] + "."
    riding = ("Former President Donald Trump visits the U.S.-Mexico border as he seeks to reclaim the spotlight, "
              "riding a wave of Republican attacks on President Joe Biden over the rise in migrants caught "
              "entering the United States.")
    assert compress(riding) == riding.split(", riding")[0] + "."
    # a participle that is the sentence's own verb is no closing comment ("she will be calling on
    # allies" had been cut to "she will increasingly be.")
    calling = ("Vice President Kamala Harris said Sunday she will increasingly be calling on United Nations "
               "allies to help with the immigration crisis at the U.S. southern border, blaming part of "
               "today's issues on a lack of continuity caused by former President Donald Trump.")
    assert compress(calling) == calling.split(", blaming")[0] + "."
    # ... without an aside between dashes, which is no boundary between two facts: cut there, the
    # sentence lost its verb ("Lawmakers pushing to address the nation's rising maternal death rate
    # — particularly among Black women.")
    assert compress("Two boys from Delaware remain in critical condition in a Philadelphia hospital after they "
                    "became sick -- perhaps from pesticide exposure, federal officials say -- during a week-long "
                    "family holiday in the U.S. Virgin Islands in March.") == (
        "Two boys from Delaware remain in critical condition in a Philadelphia hospital after they became "
        "sick during a week-long family holiday in the U.S. Virgin Islands in March.")
    run_on = ("Lawmakers pushing to address the nation’s rising maternal death rate — particularly among Black "
              "women — heard testimony Thursday on what Congress can do to address the problem The rate of "
              "pregnancy-related deaths in the U.S. is the worst of any industrialized country.")
    assert not compress(run_on).endswith("Black women.")
    listing = ("The three countries — China, Russia and Iran — held naval drills near the strait on Monday, "
               "their fourth this year, officials in all three capitals said in statements to the press.")
    assert "— China, Russia and Iran —" in compress(listing)  # a list of who they are stays
    # speech taken up again across a dash is said once, and such dashes are no aside and no cut
    spoken = ("So, look, as — as the two countries and leaders who are — who are certainly leading in innovation "
              "and technology, the United States and — and India have a strong and shared interest in "
              "protecting intellectual property.")
    assert compress(clean_sentence(spoken)) == (
        "As the two countries and leaders who are certainly leading in innovation and technology, the United "
        "States and India have a strong and shared interest in protecting intellectual property.")
    assert clean_sentence("We are — we are close, relatively so, given the last year we’ve been through.") == (
        "We are close, relatively so, given the last year we’ve been through.")
    assert clean_sentence("In — in general, we support it.") == "In general, we support it."
    assert "who are — who are certainly" in compress(spoken)  # no aside, no cut
    # nor is a dash after which speech goes on mid-phrase: cut there, the sentence ends on "a"
    broken = ("One of the great things about the Summit for Democracy is it gives us a chance to speak in a — "
              "on a multilateral platform with many other countries about the things that we care about and the "
              "values that we share with them.")
    assert not compress(broken).endswith("speak in a.")
    long_zh = ("中方依法依规针对所有两用物项，禁止对日本军事用户、军事用途，以及一切有助于提升日本军事实力的"
               "其他最终用户、用途出口，目的是制止日本“再军事化”和拥核企图。")
    assert compress(long_zh) == long_zh.rsplit("，", 1)[0] + "。"
    assert compress("The price (about $5 billion) was agreed.") == "The price (about $5 billion) was agreed."

    long_report = " ".join([
        "The finance ministers of the twenty largest economies, meeting in Venice under heavy security "
        "and after months of preparatory talks between their deputies and central bank governors, "
        "endorsed a global minimum corporate tax rate of at least 15 percent for multinational companies.",
        "The deal still needs the approval of the leaders of the group.",
        "Ireland and Hungary have not signed up to the plan.",
    ])
    chosen = choose_highlights([Passage(key="a", title="G20 backs minimum tax", text=long_report)], 3)
    assert chosen and all(words_in(h) <= 35 for h in chosen)
    # a sentence that points back is no highlight: it does not stand alone
    pointing = long_report + " This is the first such agreement among the group's members in a decade."
    assert not any(h.startswith("This") for h in choose_highlights([Passage(key="a", title="", text=pointing)], 3))
    # a text cut off mid-sentence (a feed's excerpt) gives no fragment as a highlight
    cut = long_report + " Officials said the agreement would take effect once the group's leaders"
    assert not any(h.endswith("leaders") for h in choose_highlights([Passage(key="a", title="", text=cut)], 3))


def test_a_formula_is_no_highlight_and_an_answer_of_only_that_says_what_it_is() -> None:
    from digest.sentences import as_what_it_is, formula_kind

    for formula, kind in [("I'd refer you to the competent authorities.", "referred"),
                          ("We have taken note of relevant reports.", "declined"),
                          ("I just answered this question.", "said before"),
                          ("We will release information on the visit in due course.", "will announce"),
                          ("请向主管部门询问。", "referred"), ("中方已经发布了有关消息，你可以查阅。", "will announce"),
                          # what a formula is about, said before it, is no content of its own
                          ("关于习近平主席对朝鲜进行国事访问，我们会适时发布消息，请你继续保持关注。", "will announce"),
                          ("On China-Lithuania relations, we have repeatedly made clear our position.",
                           "said before"),
                          ("We have made clear China’s position several times.", "said before"),
                          ("I’m not familiar with what you mentioned.", "declined"),
                          # the White House's: nothing to read out, no update
                          ("I don’t have any calls from the President to read out.", "declined"),
                          ("I have no update today on F-16s.", "declined"),
                          ("To the particular question on rotational, permanent, et cetera: Stay tuned.",
                           "will announce"),
                          # the White House's referrals in other words, and a point made before
                          ("I would certainly point you to the Department of Justice.", "referred"),
                          ("We would leave that to the NLRB.", "referred"),
                          ("We’ve talked about this a little bit in here in the past.", "said before"),
                          ("We’ve conveyed that many times publicly.", "said before"),
                          # and a ministry's position, only said to have been made clear
                          ("China has made its position clear on many occasions.", "said before"),
                          ("We have shared China’s position more than once on this topic.", "said before"),
                          ("China’s position on the issue of “comfort women” is amply clear.", "said before"),
                          # no timeframe, however put
                          ("I don’t think we have a timeframe at this point in time.", "declined"),
                          ("We don't have a timeline for the talks yet.", "declined"),
                          ("The President spoke — I think he was asked this question twice today and answered "
                           "it.", "said before")]:
        assert formula_kind(formula) == kind, formula
    # but not what leaves something to chance, nor what was said, said
    assert formula_kind("We will not leave it to chance.") is None
    assert formula_kind("We have said that the sanctions will stay in place.") is None
    assert formula_kind("China’s opposition to U.S. arms sales to Taiwan is consistent and clear.") is None
    # a sentence that says something of its own is no formula
    assert formula_kind("China firmly opposes the U.S. overstretching the concept of national security.") is None
    assert formula_kind("We don’t have an infrastructure bill yet.") is None
    assert formula_kind("I don’t have any concerns about the bill, which passed the House with 300 votes.") is None
    for formula in ("I just don’t have anything to add.", "I don’t have any calls to read out.",
                    "I don't have any meetings to announce.", "We don’t have any new sanctions to preview today.",
                    "Don’t have any updates on the Pres- — on any calls that the President has had with any governors."):
        assert formula_kind(formula) == "declined", formula
    assert formula_kind("There are currently no updates to the White House COVID-19 protocols.") is None
    assert formula_kind("On the specific case, I'd refer you to the competent authorities, but China has "
                        "always protected the lawful rights of foreign companies operating in the country "
                        "in accordance with the law and will continue to do so.") is None
    # a formula that closes a sentence which says something goes, and the something stays
    from digest.sentences import compress

    assert compress("其间，王毅主任会见了印度国家安全顾问多瓦尔，中方已经发布有关消息，你可以查阅。") == (
        "其间，王毅主任会见了印度国家安全顾问多瓦尔。")
    assert compress("Wang Yi met the Indian national security adviser Ajit Doval in New Delhi, and we have "
                    "released a readout which you may refer to.") == (
        "Wang Yi met the Indian national security adviser Ajit Doval in New Delhi.")
    for topic_only in ("关于习近平主席对朝鲜进行国事访问，我们会适时发布消息，请你继续保持关注。",
                       "For more specifics about the meeting, I would refer you to the competent authorities.",
                       "针对日菲宣布启动海域划界谈判，中方已经多次阐明立场。",
                       "On China-Lithuania relations, we have repeatedly made clear our position."):
        assert compress(topic_only) == topic_only
    assert as_what_it_is("referred", "en") == "Referred the question to the competent authorities."
    assert as_what_it_is("declined", "zh") == "未予置评。" and as_what_it_is("declined", "ru") == "Без комментариев."
    assert as_what_it_is("declined", "ko") is None  # a language it has no words for


def test_the_shipped_sentence_model_reads_the_features_the_code_makes() -> None:
    """digest/highlight_model.json (tools/train_highlights.py) is in the package and weighs
    exactly digest.highlights.FEATURES; a story's sentences are scored with it."""
    import json

    from digest import highlights

    data = json.loads(highlights.MODEL_FILE.read_text())
    assert tuple(data["features"]) == highlights.FEATURES
    assert len(data["weights"]) == len(highlights.FEATURES)
    ranking = highlights.rank_sentences([highlights.Passage(
        key="a", title="Floods kill twelve in Brazil",
        text="Floods killed twelve people in southern Brazil on Monday, officials said. "
             "Rescue teams searched for survivors in three towns along the river. "
             "The storm is expected to move north on Tuesday, forecasters said."),
        highlights.Passage(key="b", title="", text="Rescuers in Brazil pulled two survivors from the mud on Monday.")])
    assert len(ranking.scores) == 4 and all(0 < s < 1 for s in ranking.scores)


def test_a_chinese_fact_said_twice_in_other_words_is_one_highlight() -> None:
    """Chinese is written without spaces: sentences are compared by their pairs of characters, so
    "在台湾问题上踩踏红线，一定会付出代价。" and "在台湾问题上踩线越界，必将付出代价。" are one fact."""
    from digest.sameness import restates

    once, again = "在台湾问题上踩踏红线，一定会付出代价。", "在台湾问题上踩线越界，必将付出代价。"
    assert restates(once, again)
    assert not restates("台湾是中国的一部分，一个中国原则是国际社会普遍共识和国际关系基本准则。", again)
    text = ("台湾是中国的一部分，一个中国原则是国际社会普遍共识和国际关系基本准则。" + once
            + "根据中华人民共和国相关法律，中方决定对有关人员采取禁止入境等措施。" + again)
    picked = choose_highlights([Passage(key="a", title="", text=text, language="zh")], 3)
    assert not (once in picked and again in picked), picked
    assert len(picked) == 3


def test_speech_broken_off_is_no_highlight() -> None:
    text = ("The Justice Department will review the rule over the summer. The department is going to go through "
            "the process and figure out how they're going to move for-. The rule covers kits sold online.")
    picked = choose_highlights([Passage(key="a", title="", text=text)], 3)
    assert picked and not any(h.endswith("for-.") for h in picked), picked


def test_a_speakers_restarts_are_taken_out_of_what_a_government_said_and_asides_stay() -> None:
    """A transcript keeps how the official spoke ("We want — we encourage …", "bipart- — in a
    bipartisan way"); the highlight says what they went on to say. An aside between dashes, and an
    outlet's written dashes, stay as they are."""
    from digest.speech import repaired

    said = ("We want — we encourage the Senate to confirm qualified nominees before the August recess. "
            "We will be working with Congress closely bipart- — in a bipartisan way to pass the jobs plan. "
            "The administration will spread the world — the word about these relief efforts in every state.")
    picked = choose_highlights([Passage(key="a", title="", text=said, said_by="Dana Reyes")], 3)
    assert picked == ["We encourage the Senate to confirm qualified nominees before the August recess.",
                      "We will be working with Congress closely in a bipartisan way to pass the jobs plan.",
                      "The administration will spread the word about these relief efforts in every state."], picked
    for kept in ("Eighty million people — or 25 percent of people who are eligible — are not vaccinated.",
                 "He attended the summit — the first such meeting since 2019.",
                 "Prices rose in the north — in the south they fell — after the storm hit the coast.",
                 "President Biden — who has long backed the alliance — will travel to Vilnius."):
        assert repaired(kept) == kept
    assert repaired("Our — the federal government will look at the CDC guidance.") == (
        "The federal government will look at the CDC guidance.")
    assert repaired("He will talk about our — his commitment to the world.") == (
        "He will talk about his commitment to the world.")
    # what a speaker corrects ("— sorry, …", "— I mean, …") takes the place of what it says again, or
    # of the whole sentence when it opens a clause of its own; a correction of neither kind stays
    for spoken, meant in (
            ("We are continuing to implement the American Jobs Plan and the American — or, sorry, we’re "
             "continuing to implement the American Rescue Plan.", "We’re continuing to implement the American Rescue Plan."),
            ("They spoke on Monday — sorry, on Tuesday — about steel tariffs.", "They spoke on Tuesday about steel tariffs."),
            ("The work the President has done was an environmental — I’m sorry, an economic policy — as he "
             "continues — is going to continue.",
             "The work the President has done was an economic policy — as he continues — is going to continue."),
            ("He has been very clear about the — sorry — the challenges — the challenges of fentanyl.",
             "He has been very clear about the challenges of fentanyl."),
            # a word broken off and said whole in the correction: as many words back as it says before it
            ("Our assessment is that Russia ha- — excuse me, China has not provided weapons.",
             "Our assessment is that China has not provided weapons."),
            ("The numbers were high — excuse me, lower than expected.",
             "The numbers were high — excuse me, lower than expected."),
            ("I think the White House specifi- — or respectfully disagrees.",
             "I think the White House respectfully disagrees."),
            # and what is said again after a dash, a word that is no word of grammar or a pronoun's
            # auxiliary ("that will — those will")
            ("Out of touch with where North Carolina — where North Carolinians are.",
             "Out of touch with where North Carolinians are."),
            ("No offer has been — no job offer has been made.", "No job offer has been made."),
            ("And that will — those will certainly be priorities.", "And those will certainly be priorities."),
            ("We would like to do more, if Congress — if Republicans in Congress helped.",
             "We would like to do more, if Republicans in Congress helped."),
            ("Our job is to manage risks — all manner of risks.", "Our job is to manage risks — all manner of risks."),
            # a preposition left hanging for another ("through — at"); before anything else the
            # speaker may have gone back further, and what was said stays
            ("We remain engaged directly through — at a range of levels.", "We remain engaged directly at a range of levels."),
            ("As Director with the — within the Office of Management.", "As Director within the Office of Management."),
            ("They cannot cover what the sanctions would — how they would impact Russia.",
             "They cannot cover what the sanctions would — how they would impact Russia."),
            ("Regular cadence is up to — really, in consultation with his physician.",
             "Regular cadence is up to — really, in consultation with his physician.")):
        assert repaired(spoken) == meant, spoken
    # an outlet's sentence is as the outlet wrote it
    written = "Prices rose in the north — in the south they fell — after the storm hit the coast last week."
    assert choose_highlights([Passage(key="a", title="", text=written)], 1) == [written]


def test_an_officials_answer_that_names_its_subject_is_a_highlight_before_one_that_leaves_it_unnamed() -> None:
    """"We're working through that with Congress." answers the question, which named it; the
    reader of the highlights has not read the question: a sentence that names it comes first. An
    outlet's sentences are weighed as before."""
    said = ("We're working through that with Congress. The infrastructure bill will fund repairs to "
            "45,000 bridges across the country.")
    picked = choose_highlights([Passage(key="a", title="", text=said, said_by="Dana Reyes")], 1)
    assert picked == ["The infrastructure bill will fund repairs to 45,000 bridges across the country."], picked
    from digest.speech import leaves_unnamed

    assert leaves_unnamed("We would leave that to the NLRB.")
    assert not leaves_unnamed("We expect that the talks will resume in Geneva next week.")
    # "this" is mostly the sentence just before, in the same answer ("China will by no means accept this.")
    assert not leaves_unnamed("China will by no means accept this.")


def _mail_of_reports(tmp_path: Path, reports: list[tuple[str, str]]) -> str:
    """The plain text of the mail (its spaces made one) that tells the one story a day's run
    stores of ``reports`` (title, text), one outlet's each, an hour apart."""
    from datetime import UTC, date, datetime, timedelta

    from digest.config import load_config
    from digest.domain import NewArticle
    from digest.render import DigestContent, Renderer
    from digest.stages import build_stories, open_store
    from tests.builders import config_file, feed

    names = [f"outlet{n}" for n in range(len(reports))]
    config = load_config(config_file(tmp_path, sources=[feed(name, f"https://{name}.example/rss")
                                                        for name in names]))
    store = open_store(config)
    now = datetime.now(UTC)
    store.add_articles([NewArticle(source=name, url=f"https://{name}.example/1", title=title, text=text,
                                   published=now - timedelta(hours=3 - n), language="en")
                        for n, (name, (title, text)) in enumerate(zip(names, reports, strict=True))])
    build_stories(config, store, now)
    [story] = store.stories_updated_since(now - timedelta(days=1))
    store.close()
    mail = Renderer().render(DigestContent(title="Digest", day=date.today(), timezone="UTC",
                                           stories=(story,), subscriber_name="Ada")).text
    return " ".join(mail.split())


def test_a_long_reported_sentence_is_highlighted_by_its_main_clause_and_told_whole_in_the_paragraph(
        tmp_path: Path) -> None:
    """Through the store and the mail: a wire opens on a sentence too long for a highlight.
    The highlight says its main clause ("… kept its main interest rate at 4.25 percent for a third
    meeting in a row."), not why; the paragraph under it tells the whole sentence."""
    opening = ("Estmark's central bank kept its main interest rate at 4.25 percent for a third meeting "
               "in a row after the consumer prices of October rose faster than the governors and most of "
               "the analysts polled by the wire had expected.")
    rest = (" Consumer prices rose 3.6 percent in the year to October. The governor said policy would stay "
            "tight until inflation was back at its 2 percent target. The currency rose half a percent "
            "against the euro.")
    paper = ("Mortgage lenders in Estmark said their rates would stay close to their highest in a decade. "
             "Estate agents reported fewer sales in the capital for a fifth month.")
    flat = _mail_of_reports(tmp_path, [("Estmark holds rates at 4.25 percent", opening + rest),
                                       ("Estmark central bank holds rates", paper)])
    assert "kept its main interest rate at 4.25 percent for a third meeting in a row. —" in flat, flat
    assert opening in flat, flat  # the paragraph tells it whole
    assert flat.count("kept its main interest rate") == 2, flat


def test_the_paragraph_tells_a_reports_sentences_as_written_the_highlight_shortened(tmp_path: Path) -> None:
    """Through the store and the mail: a highlight says a report's sentence without what it can
    lose (the clause about the man already named, the closing comment); the paragraph under it
    tells the sentence as the report wrote it, those included."""
    written = ("The man, who was arrested at Lindholm airport on Monday, told police he had acted alone and "
               "would plead guilty to the charges, prompting calls for an inquiry.")
    flat = _mail_of_reports(tmp_path, [
        ("Lindholm bomb suspect says he acted alone",
         f"{written} Prosecutors said the bomb had been built from parts bought online. The blast at the "
         "central station injured 14 people, two of them seriously. The station reopened on Wednesday after "
         "engineers checked the roof. Police have searched two flats in the east of the city."),
        ("Suspect in Lindholm station bombing to plead guilty",
         "A suspect in last week's bombing of Lindholm's central station will plead guilty, prosecutors said. "
         "The interior minister praised the police for the speed of the arrest.")])
    assert "* The man told police he had acted alone and would plead guilty to the charges. —" in flat, flat
    assert written in flat.split("Story")[1], flat
    # a short report's sentences are its highlights: told again, whole, under them, they are no story
    (tmp_path / "short").mkdir()
    flat = _mail_of_reports(tmp_path / "short", [(
        "Lindholm bomb suspect says he acted alone",
        f"{written} Prosecutors said the bomb had been built from parts bought online. The blast at the "
        "central station injured 14 people.")])
    assert "Highlights" in flat and "Story" not in flat, flat


def test_what_two_reports_say_is_compared_without_who_each_says_told_it() -> None:
    """Two reports tell how the senator died, each naming who told it: the sentences are compared
    (for the paragraph's "told twice", the highlights' alike) on what they say, while each is told
    with its source."""
    from digest.highlights import rank_sentences

    courier = Passage(key="courier", title="Former senator Anna Berg dies at 94", text=(
        "Berg died peacefully on Tuesday evening of heart failure, surrounded by her husband and other "
        "family members, the former staff member said."))
    wire = Passage(key="wire", title="Anna Berg dies", text=(
        "Berg died on Tuesday of heart failure at home in Lindholm, with her husband and daughter at her "
        "side, her longtime chief of staff Eva Lind said."))
    one, other = rank_sentences([courier, wire]).candidates
    assert one.whole.endswith("the former staff member said.") and other.whole.endswith("Eva Lind said.")
    assert "said" not in one.short and "Eva Lind" not in other.short, (one.short, other.short)


def test_a_caption_run_into_the_text_is_no_part_of_a_highlight(tmp_path: Path) -> None:
    """Through the store and the mail: a picture's caption that runs into the report's opening
    without a full stop ("… outside the central bank on Thursday The central bank of Estmark
    kept …") is not said with it: the highlight is the opening alone, and the caption, no
    sentence, is told nowhere."""
    caption = "Governor Anna Berg speaks to reporters outside the central bank in Lindholm on Thursday"
    opening = "The central bank of Estmark kept its main interest rate at 4.25 percent for a third meeting."
    assert split_sentences(f"{caption} {opening}") == [caption, opening]
    assert split_sentences("He told The New York Times the deal was done.") == [
        "He told The New York Times the deal was done."]
    flat = _mail_of_reports(tmp_path, [
        ("Estmark holds rates", f"{caption} {opening} Consumer prices rose 3.6 percent in the year to "
                                "October. The currency rose half a percent against the euro."),
        ("Estmark central bank holds rates", "Mortgage lenders in Estmark said their rates would stay "
                                             "close to their highest in a decade.")])
    assert f"* {opening} —" in flat, flat
    assert "Governor Anna Berg speaks" not in flat, flat


def test_a_highlight_keeps_who_gave_its_figure(tmp_path: Path) -> None:
    """Through the store and the mail: a report opens on a figure from a source it describes at
    length. The highlight and the paragraph say whose figure it is ("…, according to a survey by the
    Estmark statistics office."), without what the report goes on to say of the survey; they had
    said the figure as the digest's own."""
    opening = ("More than two million households, or nearly 8 percent of those in the country, fell behind on "
               "their energy bills this winter, according to a survey by the Estmark statistics office that "
               "was published on Thursday after weeks of delay.")
    flat = _mail_of_reports(tmp_path, [
        ("Two million Estmark households behind on energy bills",
         opening + " The government said it would extend its winter support scheme by three months. Energy "
                   "companies have raised their prices twice since the summer."),
        ("Estmark households fall behind on energy bills",
         "Charities in Estmark said more families were asking for help with heating. The opposition called "
         "for a cap on energy prices.")])
    told = ("fell behind on their energy bills this winter, according to a survey by the Estmark statistics "
            "office.")
    assert f"{told} —" in flat, flat  # the highlight, its outlet after it
    assert "this winter. " not in flat, flat  # the figure is never told without whose it is


def test_one_outlets_report_is_highlighted_in_its_order_a_but_after_what_it_answers(tmp_path: Path) -> None:
    """Through the store and the mail: a story of one outlet's report is highlighted in the report's
    own order, so a sentence that goes on from the one before it ("But for some communities, …")
    is a highlight right after that one, never without it."""
    opening = "In the West, the Estmark Liberation Front is widely known for its bomb attacks on railways."
    but = ("But for some communities in the east, the group is the local governing authority, picking up "
           "garbage and directing traffic.")
    flat = _mail_of_reports(tmp_path, [(
        "How the Estmark Liberation Front governs",
        f"{opening} {but} Our correspondent in Lindholm explains how the group collects taxes from the "
        "traders of the eastern markets. Its fighters man checkpoints on every road into the region.")])
    assert f"* {opening} — outlet0 * {but} — outlet0" in flat, flat


def test_what_a_report_could_not_learn_is_no_highlight(tmp_path: Path) -> None:
    """Through the store and the mail: a wire's "The embassy did not immediately respond to a request
    for comment." and "It was not immediately clear …" tell the reader nothing of the event and take no
    highlight from what the reports tell; "not immediately clear" at the end of a sentence that tells
    something leaves it a highlight."""
    flat = _mail_of_reports(tmp_path, [
        ("Estmark detains Norland journalist",
         "Police in Estmark detained a Norland journalist at Lindholm airport on Sunday. The Norland embassy "
         "did not immediately respond to a request for comment. It was not immediately clear what the "
         "journalist was accused of. Two officers were injured, though it was not immediately clear how."),
        ("Norland journalist held in Estmark",
         "A Norland journalist was detained at Lindholm airport as he arrived from Kiel. Norland's press union "
         "called the detention an attack on the free press.")])
    assert "did not immediately respond" not in flat.split("Story")[0], flat
    assert "* It was not immediately clear" not in flat, flat
    assert "* Two officers were injured, though it was not immediately clear how. —" in flat, flat


def test_an_outlets_sentence_keeps_who_told_it(tmp_path: Path) -> None:
    """Through the store and the mail: what a report says a ministry said is said as the ministry's
    ("…, the ministry said."), never in the digest's own voice ("The strike was lawful
    and proportionate." had stood alone); a quotation whose speaker is only "she" is no highlight."""
    flat = _mail_of_reports(tmp_path, [
        ("Norland strikes arms depot in Estmark",
         "Norland struck an arms depot in eastern Estmark overnight, the defence ministry said. The strike was "
         "lawful and proportionate, the ministry said. Estmark's government called the strike an act of "
         "aggression and recalled its ambassador."),
        ("Estmark recalls ambassador after Norland strike",
         "Estmark recalled its ambassador from Norland after an overnight strike on an arms depot. "
         "\"Norland's strike on the arms depot was an act of aggression and we will answer it,\" she said.")])
    assert "* The strike was lawful and proportionate, the ministry said. —" in flat, flat
    assert "lawful and proportionate." not in flat, flat
    assert "* \"Norland's strike" not in flat, flat
    board = Passage(key="post", title="Condo board warned of decay", text=(
        "The board president of the collapsed tower warned residents two months ago that the building was "
        "decaying. “The concrete deterioration is accelerating,” she wrote, noting that the damage was "
        "expected to multiply in the coming years."))
    wire = Passage(key="wire", title="Tower collapse", text=(
        "At least 11 people have died after a condominium tower partially collapsed in Surfside, Florida."))
    told = _picked(board, wire)
    assert told and not any(text.startswith("“The concrete") for text in told), told


def _picked(*passages: Passage) -> list[str]:
    """The highlights :func:`pick_highlights` draws from ``passages``, their text only."""
    from digest.highlights import pick_highlights

    return [text for text, _ in pick_highlights(list(passages))]


@pytest.mark.parametrize(("sentence", "compressed"), [
    # an opening time phrase goes from a long sentence, but only up to its time: who spoke stays
    ("On Monday Carlson, a long-time critic of the president, said a government whistle-blower had told him "
     "the agency was monitoring him for political reasons.", None),
    ("Late on Tuesday night, the ministry said it would hold talks with the envoy about the new sanctions and "
     "the border.", "The ministry said it would hold talks with the envoy about the new sanctions and the border."),
    # "may" is a month only where it is one
    ("This comment may have been stated as fact, but it is in fact flimsy when scrutinized by anyone who reads "
     "the report.", None),
    # a clause about someone just named goes, not where the sentence goes on with what it ends on
    ("The trip is the second public appearance by the Republican Trump, who lost to Biden, a "
     "Democrat, in a November election.", None),
    ("The loss is a blow to taxpayers, who own 80 per cent of the bank, and comes at an awkward time for the "
     "chancellor.", None),
    ("The man, who was arrested on Monday, told police he had acted alone and would plead guilty to the "
     "charges.", "The man told police he had acted alone and would plead guilty to the charges."),
])
def test_compress_takes_out_only_a_whole_phrase(sentence: str, compressed: str | None) -> None:
    from digest.sentences import compress

    assert compress(sentence) == (compressed or sentence)


def test_a_sentence_ends_after_a_places_initials_and_a_time_said_first_hides_no_pronoun() -> None:
    from digest.sentences import needs_antecedent

    # "U.K. The agenda …" is two sentences (one highlight had held both); "U.S. Army" stays one
    assert split_sentences("Leaders met in the U.K. The agenda detailed dozens of initiatives. The U.S. Army "
                           "said the U.S. A-10 flew.") == [
        "Leaders met in the U.K.", "The agenda detailed dozens of initiatives.", "The U.S. Army said the U.S. A-10 flew."]
    # what follows a time said first points back as it would without it
    assert needs_antecedent("Next week they will almost surely end his hopes for a deal on elections.")
    assert needs_antecedent("Yesterday, he took a test, and it was negative.")
    assert needs_antecedent("Normally, that would be the end of it.")
    assert not needs_antecedent("This week, well over 1,000 rockets have been launched into Israel from Gaza.")
    assert not needs_antecedent("Today the President will sign the bill that lowers the cost of insulin.")


def test_a_writers_so_points_back_a_speakers_does_not() -> None:
    report = Passage(key="post", title="Fauci's emails", text=(
        "Dr. Anthony Fauci corresponded with a Chinese health official early in the pandemic, a new report "
        "revealed Tuesday. The official had apologized for remarks he made about American masks. "
        "So amid the deepening crisis, Gao reached out to clear the air."))
    other = Passage(key="times", title="Fauci emails released", text=(
        "Hundreds of pages of emails sent by Dr. Anthony Fauci early in the pandemic were released on Tuesday."))
    told = _picked(report, other)
    assert told and not any(text.startswith("So ") for text in told), told
    # in one outlet's report, in its own order, it goes on from the sentence before it
    told = _picked(report)
    assert told[-2:] == ["The official had apologized for remarks he made about American masks.",
                         "So amid the deepening crisis, Gao reached out to clear the air."], told
    # a speaker's "So …" only starts to speak: the highlight says what follows it
    answer = Passage(key="wh", title="Briefing", said_by="Karine Jean-Pierre", text=(
        "So we are sending a team to Texas to help with the recovery from the storms this week."))
    assert _picked(answer) == [
        "We are sending a team to Texas to help with the recovery from the storms this week."]
    from digest.speech import repaired

    for spoken, written in (("Well, one of the steps is funding.", "One of the steps is funding."),
                            ("Now our challenge is reaching people.", "Our challenge is reaching people."),
                            ("Look, I think we disagree.", "I think we disagree.")):
        assert repaired(spoken) == written
    # what opens the sentence as speech ("So, you know, …") goes before its restarts are read
    labelled = Passage(key="wh", title="Briefing", said_by="Jen Psaki", text=(
        "So, you know, we’ll make our decisions on that — on the basis of a far broader set of "
        "considerations than — than any one policy."))
    assert _picked(labelled) == [
        "We’ll make our decisions on the basis of a far broader set of considerations than any one policy."]
    for kept in ("So far, we have sent 20 teams.", "Now that we have supply, we will ship.",
                 "Look at where the markets are in Russia.", "Well over 1,000 rockets were launched.",
                 "Yes, the two presidents will meet in Nairobi.", "But the bill is stalled."):
        assert repaired(kept) == kept


def test_the_paragraph_opens_on_a_report_whose_opening_it_can_tell(tmp_path: Path) -> None:
    """Through the store and the mail: the most central report opens on a sentence too long to tell
    (48 words); its next sentence ("The meeting is expected to …") leans on it, and no paragraph
    opens so: the report that opens on the event leads."""
    opening = ("President Lind will meet President Varga of Estmark in Geneva on June 16, her office said on "
               "Tuesday, the first face-to-face session between the two leaders at a time of extraordinary "
               "tension over the Silva River, cyberattacks on the grid and a raft of new missiles that Estmark "
               "is deploying along the border.")
    flat = _mail_of_reports(tmp_path, [
        ("Lind and Varga to meet in Geneva on June 16",
         f"{opening} The meeting is expected to focus heavily on the missiles and the river. Geneva was also "
         "the site of the 1985 summit between the two countries' leaders. Officials in Lindholm said the "
         "summit in Geneva would last one day. The two leaders last met in Geneva at a summit in 2019."),
        ("Norland and Estmark leaders to hold Geneva summit",
         "President Lind and President Varga will meet in Geneva on June 16 for their first summit, her office "
         "announced. Tensions between Norland and Estmark over the missiles have risen since spring.")])
    story = flat.split("Story")[1]
    assert not story.lstrip().startswith("The meeting"), story
    assert story.lstrip().startswith("President Lind and President Varga will meet in Geneva on June 16"), story


def test_what_happened_comes_before_what_was_said_of_it() -> None:
    """A highlight that opens on someone's words ("“We have a deal,” Lind said …") comes after the
    highlights that tell what happened, as a reaction does: the reader learns of the talks first."""
    picked = _picked(
        Passage(key="courier", title="Lind: “We have a deal” on the Silva River treaty", text=(
            "“We have a deal on the Silva River treaty with Estmark,” President Lind said on Thursday. "
            "The treaty splits the river's summer flow between the two countries.")),
        Passage(key="wire", title="Norland and Estmark agree Silva River treaty", text=(
            "After weeks of talks in Lindholm and in the Estmark capital, the two governments agreed on a "
            "text on Thursday. Farmers in Estmark had accused Norland of taking too much water.")))
    assert len(picked) == 3 and any(h.startswith("“We have a deal") for h in picked), picked
    assert not picked[0].startswith("“"), picked
