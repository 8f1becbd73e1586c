"""Briefings through the story stage: a reporter's follow-ups on one subject are one story, an
official story's title is a headline (never a courtesy, never a sentence cut off), highlights
say who spoke; a page whose reading would flood the digest stays one article and its source is
flagged where admins look."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest.config import load_config
from digest.domain import NewArticle, StoredArticle, Story
from digest.stages import build_stories, open_store
from digest.stories import build_stories as group
from tests.builders import config_file, feed, flooding_briefing
from tests.conftest import run_digest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "transcripts"
NOW = datetime(2026, 6, 3, 20, 0, tzinfo=UTC)


def _briefing(name: str) -> tuple[str, str]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return lines[0], "\n".join(lines[1:])


def _stored(tmp_path: Path, feeds: list[dict[str, object]], articles: list[NewArticle]) -> list[Story]:
    """The stories a day's run stores for ``articles`` from ``feeds``, read back from the store."""
    config = load_config(config_file(tmp_path, sources=feeds))
    store = open_store(config)
    store.add_articles(articles)
    build_stories(config, store, datetime.now(UTC))
    stories = store.stories_updated_since(datetime.now(UTC) - timedelta(days=1))
    store.close()
    return stories


def _mail_of(stories: list[Story], timezone: str) -> str:
    """The plain text of the mail that tells ``stories``, its spaces made one."""
    from datetime import date

    from digest.render import DigestContent, Renderer

    mail = Renderer().render(DigestContent(title="Digest", day=date.today(), timezone=timezone,
                                           stories=tuple(stories), subscriber_name="Ada")).text
    return " ".join(mail.split())


def _white_house(tmp_path: Path, lines: list[str]) -> list[Story]:
    """The stories a day's run stores for a White House briefing: its title, then its lines."""
    return _stored(tmp_path, [feed("wh", "https://wh.example/rss", official=True, title="The White House",
                                   country="US")],
                   [NewArticle(source="wh", url="https://wh.example/briefing", title=lines[0],
                               text="\n".join(lines[1:]), published=datetime.now(UTC) - timedelta(hours=2),
                               language="en")])


# two exchanges a White House test briefing holds besides what it tests
LUMBER = ["Q And on the tariffs on Canadian lumber: will they be lifted this year?",
          "MS. REYES: The tariffs on softwood lumber from Canada will stay in place while the trade dispute "
          "goes on."]
MAUI = ["Q On the wildfires in Maui: how many homes have burned?",
        "MS. REYES: More than two thousand homes have burned in Lahaina, and federal teams are helping "
        "the county clear the debris."]


def _titles_of(name: str, language: str, country: str) -> list[str]:
    """The titles of the stories of the briefing fixture ``name``, a ministry's in ``language``."""
    title, text = _briefing(name)
    return [s.title for s in group([StoredArticle(
        id=1, source="m", source_title="MFA", official=True, url="https://m.example/", title=title,
        text=text, country=country, published=NOW - timedelta(hours=3), language=language,
        is_opinion=False)], now=NOW)]


def test_follow_ups_are_one_story_and_official_titles_are_headlines() -> None:
    title, text = _briefing("whitehouse-style.txt")
    article = StoredArticle(id=1, source="whitehouse", source_title="The White House", official=True,
                            url="https://whitehouse.example/briefing", title=title, text=text,
                            published=NOW - timedelta(hours=3), language="en", is_opinion=False)
    stories = group([article], now=NOW)
    questions = [src.question for s in stories for src in s.sources if src.question]
    assert len(questions) == 4 and len(stories) < len(questions) + 1  # the opening, and 3 subjects
    [kenya] = [s for s in stories if any("Nairobi" in (src.question or "") for src in s.sources)]
    assert sum(1 for src in kenya.sources if src.question) == 2  # the follow-up on debt relief joined
    for story in stories:
        assert not story.title.endswith("…") and len(story.title.split()) <= 14
        assert not story.title.lower().startswith(("thank", "good afternoon", "go ahead", "hi"))
        for highlight in story.highlights:
            assert highlight.attribution in ("Tom Walsh, The White House", "Dana Reyes, The White House")
    assert any(h.attribution == "Tom Walsh, The White House" for h in kenya.highlights)


def test_a_briefings_talk_with_the_room_makes_no_story_and_no_headline() -> None:
    """An exchange that is only talk ("Joe Khalil with NewsNation." / "Yes, hi. First time here,
    right?") has nothing to read and is no story; an announcement that goes on from the one before
    ("She also visited …") is part of its story; the official handing over ("my colleague Tom
    Walsh is here to take your questions") names no subject."""
    title, text = _briefing("whitehouse-style.txt")
    text = text.replace("MS. REYES: Go ahead, Ed.", "MS. REYES: Go ahead, in the back.\n"
                        "Q Thank you, Dana. Joe Khalil with NewsNation.\n"
                        "MS. REYES: Yes, hi. First time here, right?\nQ Yes.\nMS. REYES: Welcome.\n"
                        "MS. REYES: Go ahead, Ed.")
    # an answer that is only the room's business ("I'll check on that for you, Ed.") and one that
    # only declines, in the White House's words
    text = text.replace("MS. REYES: Go ahead, Ed.", "Q Will the vaccine deliveries to Kenya be delayed?\n"
                        "MS. REYES: A delay in their delivery? I'll have to check on that for you, Ed.\n"
                        "Q And the tariffs on Canadian lumber?\nMS. REYES: Just not going to comment from here.\n"
                        "Q Is the President still going to Ohio on Friday?\nMS. REYES: Okay, great.\n"
                        "MS. REYES: Go ahead, Tom.\n"
                        "Q Is the Secretary of Commerce still traveling to Mexico City?\nMS. REYES: Yeah.\n"
                        "Q And what will she discuss there?\nMS. REYES: She will discuss steel tariffs with the "
                        "Mexican economy minister on Thursday.\nMS. REYES: Go ahead, Kim.\n"
                        "Q Will the G20 summit in Delhi go ahead as planned?\nMS. REYES: Yeah.\n"
                        "Q And the summit in Rome?\nMS. REYES: One of the great —\n"
                        "Q And in Paris?\nMS. REYES: I'll leave it there for now. Go ahead, Za- — Zeke.\n"
                        "Q And the Vice President too?\nMS. REYES: (Laughs.)\nMS. REYES: Go ahead, Mike.\n"
                        "Q Will Dr. Fauci brief the Senate on the new variant in Nevada?\n"
                        "MS. REYES: Okay. Thank you, Dr. Fauci. Next question.\nMS. REYES: Go ahead, Mike.\n"
                        "Q And who will take the questions on the variant after you?\n"
                        "MS. REYES: Dr. Fauci and then Dr. Walensky.\nMS. REYES: Go ahead, Mike.\n"
                        "Q Will the President meet the Prime Minister of Canada in Ottawa next month?\n"
                        "MS. REYES: It's an interesting question, Mike. Why don't we do one more question.\n"

                        "Q What about the Human Rights Watch report on Israel?\nMS. REYES: Well, I would say that "
                        "the United States is committed to human rights in Israel and the West Bank.\n"
                        "MS. REYES: Go ahead, Mara.\n"
                        "Q Will the G7 communiqué name China?\nMS. REYES: I'm not going to get ahead of that "
                        "communiqué. That's a theme the leaders will take up.\n"
                        "MS. REYES: Go ahead, Tom.\nQ Are the sanctions on the Estmark central bank working?\n"
                        "MS. REYES: Look at where the markets are in Estmark. The currency has lost a third "
                        "of its value since March.\n"
                        "MS. REYES: Go ahead, Ed.")
    text = text.replace("With that, my colleague", "MS. REYES: The First Lady toured a clinic in Dover on "
                        "Monday with the Secretary of Health to see the new insulin program at work.\n"
                        "MS. REYES: She also visited a pharmacy in Wilmington, where seniors now pay thirty-five "
                        "dollars a month for their insulin.\nWith that, my colleague")
    article = StoredArticle(id=1, source="whitehouse", source_title="The White House", official=True,
                            url="https://whitehouse.example/briefing", title=title, text=text,
                            published=NOW - timedelta(hours=3), language="en", is_opinion=False)
    stories = group([article], now=NOW)
    assert all(s.highlights or s.summary for s in stories), [s.title for s in stories]
    assert not any("NewsNation" in s.title for s in stories), [s.title for s in stories]
    [visit] = [s for s in stories if any("First Lady toured" in h.text for h in s.highlights)
               or "First Lady toured" in s.summary]
    assert "pharmacy in Wilmington" in visit.summary + " ".join(h.text for h in visit.highlights), visit
    assert not any("Tom Walsh" in s.title for s in stories), [s.title for s in stories]
    said = [h.text for s in stories for h in s.highlights]
    assert not any("check on that" in h or "not going to comment" in h or h.startswith("Okay") for h in said), said
    assert not any(h.startswith(("One of the great", "Go ahead")) for h in said), said  # nor speech broken off
    assert not any(h.startswith("Thank") for h in said), said  # nor thanks to a colleague
    # nor the room's questions ("Why don't we do one more question."), nor the floor handed over by
    # names alone ("Dr. Fauci and then Dr. Walensky.")
    assert not any("question" in h for h in said), said
    # nor what the official bids the room do ("Look at where the markets are …")
    assert not any(h.startswith("Look at") for h in said), said
    assert not any("look at" in s.title.lower() for s in stories), [s.title for s in stories]
    assert not any("Walensky" in h for h in said) and not any("Walensky" in s.title for s in stories), said
    # nor is a word or two with nothing named ("Yeah.", "(Laughs.", "Go ahead, Mike.")
    assert not any(len(re.findall(r"[^\W\d_]{2,}", h)) < 4 and h != "Declined to comment." for h in said), said
    # an exchange whose first answer says nothing is told by the next that does
    [commerce] = [s for s in stories if any("Secretary of Commerce" in (src.question or "") for src in s.sources)]
    assert any("steel tariffs" in h.text for h in commerce.highlights), commerce
    [lumber] = [s for s in stories if any("lumber" in (src.question or "") for src in s.sources)]
    assert [h.text for h in lumber.highlights] == ["Declined to comment."]
    # what an official says in their own voice of someone or something is still what was said;
    # a declining opening followed by talk is told as what it is
    [rights] = [s for s in stories if any("Human Rights Watch" in (src.question or "") for src in s.sources)]
    assert any("committed to human rights in Israel" in h.text for h in rights.highlights), rights
    [communique] = [s for s in stories if any("communiqué" in (src.question or "") for src in s.sources)]
    assert [h.text for h in communique.highlights] == ["Declined to comment."], communique


def _china_briefing(text: str) -> StoredArticle:
    """A China MFA briefing page in English, given its exchanges."""
    return StoredArticle(id=1, source="china-mfa", source_title="Ministry of Foreign Affairs of China",
                         official=True, url="https://mfa.example/briefing", country="CN",
                         title="Regular Press Conference of the Spokesperson", text=text,
                         published=NOW - timedelta(hours=3), language="en", is_opinion=False)


def test_another_reporter_joins_a_subject_by_what_they_ask_not_by_names_every_question_has() -> None:
    """Two reporters' questions side by side that share only a name any question may hold ("the
    United States") are two stories; one that says it follows up on a subject
    and names it joins that subject's story."""
    text = "\n".join([
        "Reuters: The United States Treasury imposed sanctions on six shipping firms registered in Hong "
        "Kong for carrying Iranian crude. Your response?",
        "Lin Jian: We firmly oppose illegal unilateral sanctions and long-arm jurisdiction that have no "
        "basis in international law. The firms concerned operate lawfully, and we will take resolute "
        "measures to protect their legitimate rights and interests. Normal trade in energy between "
        "sovereign countries must not be disrupted, and tankers going about lawful business should be "
        "left alone. Coercion of this kind only disturbs the stability of global oil markets and hurts "
        "ordinary consumers everywhere.",
        "AFP: The White House announced that the United States will host a summit of Pacific Islands "
        "Forum leaders in Honolulu next month. Will Beijing send an envoy to the forum?",
        "Lin Jian: The Pacific island countries are independent sovereign nations. We support them in "
        "pursuing development and strengthening solidarity, and the forum is an important platform "
        "for regional cooperation in the Pacific. Climate change, rising seas and fisheries are what "
        "island peoples care most about, and our help with roads, hospitals and scholarships comes "
        "with no political strings attached. No island nation should become a stage for rivalry "
        "between big powers.",
        "Bloomberg: A follow-up on the Pacific Islands. Has Beijing been invited?",
        "Lin Jian: The Pacific island countries are good friends. I have no information to release on "
        "an invitation at the moment.",
    ])
    stories = group([_china_briefing(text)], now=NOW)
    asked = [sorted((src.question or "")[:12] for src in s.sources if src.question) for s in stories]
    assert ["The United S"] in asked  # the sanctions alone
    assert ["A follow-up ", "The White Ho"] in asked  # the forum, and the follow-up on it


def test_another_reporter_following_up_on_nothing_named_goes_on_with_the_exchange_before() -> None:
    """"If I may follow up: would he pick someone pro-life?" names nothing: it is the ambassador's
    story, under its headline, not one of its own under the briefing's date; "A follow-up about the
    humanitarian aid you talked about" names what it goes back to and stays apart."""
    title, text = _briefing("whitehouse-style.txt")
    text = text.replace("MS. REYES: Go ahead, Ed.", "MS. REYES: Go ahead, Mara.\n"
                        "Q Has the President decided who he wants as the next ambassador to the Holy See?\n"
                        "MS. REYES: The President will name his nominee for the Holy See in the coming weeks.\n"
                        "MS. REYES: Go ahead, Kim.\n"
                        "Q Thanks. If I may follow up: would he pick someone pro-life?\n"
                        "MS. REYES: He will pick the best person for the post, and he will announce the choice soon.\n"
                        "MS. REYES: Go ahead, Joe.\n"
                        "Q Thanks. A follow-up about the humanitarian aid you talked about last week: is it delivered?\n"
                        "MS. REYES: The first trucks crossed this morning, and more will follow over the weekend.\n"
                        "MS. REYES: Go ahead, Ed.")
    stories = group([StoredArticle(id=1, source="whitehouse", source_title="The White House", official=True,
                                   url="https://whitehouse.example/briefing", title=title, text=text, country="US",
                                   published=NOW - timedelta(hours=3), language="en", is_opinion=False)], now=NOW)
    [holy_see] = [s for s in stories if any("Holy See" in (src.question or "") for src in s.sources)]
    asked = [src.question for src in holy_see.sources if src.question]
    assert any("pro-life" in q for q in asked), [s.title for s in stories]
    assert not any("humanitarian" in q for q in asked), asked
    assert "briefing" not in holy_see.title, holy_see.title


def test_no_highlight_repeats_the_title_it_stands_under() -> None:
    text = "\n".join([
        "Xinhua News Agency: Foreign Minister Wang Yi will visit Denmark, Sweden, Finland and Norway. Could "
        "you share more about the visit?",
        "Guo Jiakun: Denmark is China’s comprehensive strategic partner in Northern Europe. Denmark, Sweden, "
        "Finland and Norway are among the first European countries to establish diplomatic relations with "
        "New China. The upcoming visit will be the first by a Chinese foreign minister to Sweden in 22 "
        "years. During the visit, Wang Yi will hold talks with his four counterparts on bilateral relations. "
        "China and Finland are future-oriented new-type cooperative partners.",
        "Reuters: Brazil said it will buy more soybeans from Argentina this year. Any comment?",
        "Guo Jiakun: Trade in farm goods is a matter for the market. China and Brazil have long enjoyed "
        "sound cooperation in agriculture, and we welcome more high-quality Brazilian farm products.",
    ])
    stories = group([_china_briefing(text)], now=NOW)
    [story] = [s for s in stories if any("Wang Yi" in (src.question or "") for src in s.sources)]
    bare = story.title.rstrip(".")
    assert len(story.highlights) == 3
    assert not any(h.startswith(bare) for h in story.highlights), (story.title, story.highlights)
    # an answer whose other sentence is too long for a highlight: its paragraph tells it, and no
    # highlight says the title again; an answer of one sentence says it under its title, rather
    # than be no story
    iran = ("China is deeply concerned over the latest developments regarding Iran. Relevant parties need "
            "to remain calm, exercise restraint, stop exacerbating confrontation and escalating tensions, take "
            "concrete actions to ease the situation, stick to political and diplomatic means for resolving "
            "disputes, and work for an early realization of a comprehensive and lasting ceasefire.")
    for answer, shown in ((iran, 0), (iran.split(". ")[0] + ".", 1)):
        stories = group([_china_briefing(text.replace(
            "Reuters: Brazil said", "AFP: What is China's response to the strikes on Iran?\nGuo Jiakun: "
            + answer + "\nReuters: Brazil said"))], now=NOW)
        [story] = [s for s in stories if any("Iran" in (src.question or "") for src in s.sources)]
        assert story.title == "China is deeply concerned over the latest developments regarding Iran"
        assert len(story.highlights) == shown and bool(story.summary) == (not shown), story


def test_a_page_read_as_a_flood_stays_whole_and_its_source_is_flagged(tmp_path: Path) -> None:
    config = load_config(config_file(tmp_path, sources=[
        feed("ministry", "https://ministry.example/rss", official=True, title="Ministry of Foreign Affairs")]))
    store = open_store(config)
    text = flooding_briefing()
    store.add_articles([NewArticle(source="ministry", url="https://ministry.example/briefing",
                                   title="Briefing of the spokesperson", text=text,
                                   published=datetime.now(UTC) - timedelta(hours=2), language="en")])
    stories = build_stories(config, store, datetime.now(UTC))
    assert len(stories) == 1 and not any(src.segment for src in stories[0].sources)  # one article
    [health] = [h for h in store.source_health() if h["name"] == "ministry"]
    assert "20 announcements and 2 questions" in (health["reading_note"] or "")
    store.close()
    status = run_digest("status", "--config", str(tmp_path / "config.yaml"), "--json")
    assert status.code == 0, status.err
    [source] = [s for s in json.loads(status.out)["sources"] if s["name"] == "ministry"]
    assert "its briefings' convention is not read" in source["flag"]


def test_an_official_story_is_headlined_by_its_government_in_each_language() -> None:
    """The government speaks, not its spokesperson's surname ("Jian on …" read Lin Jian's given
    name as a surname); no headline is a formula or opens by pointing back, in English or Chinese."""
    from digest.sentences import formula_kind, needs_antecedent

    stories = []
    for n, (name, language) in enumerate((("china-mfa-en.txt", "en"), ("china-mfa-zh.txt", "zh"))):
        title, text = _briefing(name)
        stories += group([StoredArticle(
            id=n + 1, source=f"mfa-{language}", source_title="Ministry of Foreign Affairs of China",
            official=True, url=f"https://mfa.example/{language}", title=title, text=text, country="CN",
            published=NOW - timedelta(hours=3), language=language, is_opinion=False)], now=NOW)
    titles = [s.title for s in stories if s.kind == "official"]
    assert titles and not any(t.startswith(("Jian", "Lin Jian", "林剑")) for t in titles)
    assert not any(formula_kind(t) or needs_antecedent(t) for t in titles)
    assert any(t.startswith("China") for t in titles)
    assert all(len(t.split()) <= 14 and not t.endswith("…") for t in titles)


def _one_exchange(question: str, answer: str) -> str:
    """The headline of a China MFA exchange (with a second on another subject beside it)."""
    text = "\n".join([f"AFP: {question}", f"Lin Jian: {answer}",
                      "Reuters: Brazil said it will buy more soybeans from Argentina this year. Any comment?",
                      "Lin Jian: Trade in farm goods is a matter for the market, and we welcome more "
                      "high-quality farm products from all countries."])
    stories = group([_china_briefing(text)], now=NOW)
    [story] = [s for s in stories if any((src.question or "").startswith(question[:20]) for src in s.sources)]
    return story.title


def test_a_governments_statement_heads_its_story_as_its_own_never_as_the_digests() -> None:
    """"Taiwan is part of China" in the digest's voice states China's position as fact: a statement
    that does not open on the government's name is told as its ("China says Taiwan is …"), a name
    keeping its capital and another word losing it; in another language it is quoted under the
    government's name."""
    title = _one_exchange("The leader of the island gave a speech yesterday. What is your comment?",
                          "Taiwan is an inalienable part of China's territory. The so-called speech changes "
                          "nothing.")
    assert title == "China says Taiwan is an inalienable part of China's territory", title
    # and under it, no highlight says it again
    [taiwan] = [s for s in group([_china_briefing(
        "AFP: The leader of the island gave a speech yesterday. What is your comment?\nLin Jian: Taiwan is an "
        "inalienable part of China's territory. The so-called speech changes nothing.\nReuters: Brazil said "
        "it will buy more soybeans from Argentina this year. Any comment?\nLin Jian: Trade in farm goods is "
        "a matter for the market.")], now=NOW) if "Taiwan" in s.title]
    assert taiwan.title == title and not any(h.text.startswith("Taiwan is") for h in taiwan.highlights), taiwan
    title = _one_exchange("Some say the alliance will expand its nuclear umbrella. What is your comment?",
                          "“Extended deterrence” is a product of the Cold War mentality. It serves no one.")
    assert title == "China says “Extended deterrence” is a product of the Cold War mentality", title
    title = _one_exchange("Danish media reported an invitation to Beijing's top diplomat. Could you confirm?",
                          "The Foreign Minister will visit Denmark next week. The two sides will sign a deal.")
    assert title == "China says the Foreign Minister will visit Denmark next week", title
    # what opens on the government's name is its statement already
    title = _one_exchange("A European think tank published a report on dialogue. What is your comment?",
                          "China remains open to communication with all sides.")
    assert title == "China remains open to communication with all sides", title
    from digest.stories.headlines import attributed

    assert attributed("Le cessez-le-feu doit être respecté", "France", "Le cessez-le-feu doit être respecté.",
                      "fr") == "France : « Le cessez-le-feu doit être respecté »"


def test_what_a_government_claims_heads_its_story_as_its_claim(tmp_path: Path) -> None:
    """Through the store and the mail: "We have indisputable sovereignty over Huangyan Dao" is China's
    claim, headed "China says it has …" ("China has indisputable sovereignty …" had stated it as
    fact; what it does, "China opposes …", stays its act); a statement too long for "China says"
    is quoted under its name ("The United States should stop politicizing …" had stood bare); and
    "China's position on X is consistent and clear" says nothing, as "… is amply clear" does not."""
    text = "\n".join([
        "AFP: The Philippines sent two coast guard vessels to the shoal this week. What is your comment?",
        "Lin Jian: We have indisputable sovereignty over Huangyan Dao and its adjacent waters. The Philippine "
        "vessels entered the waters without permission.",
        "Reuters: Washington added ten Chinese firms to its export control list. What is your response?",
        "Lin Jian: The United States should stop politicizing, instrumentalizing and weaponizing trade and "
        "tech issues. The firms concerned operate lawfully.",
        "Bloomberg: Kyiv says a drone struck the Kyiv Pechersk Lavra overnight. Does China have a comment?",
        "Lin Jian: China’s position on the Ukraine crisis is consistent and clear.",
        "CGTN: President Khurelsukh of Mongolia will visit China next week. Could you share more?",
        "Lin Jian: China and Mongolia are friendly neighbors connected by mountains and rivers. Premier Li "
        "Qiang will hold talks with the visiting president on Tuesday.",
        "Xinhua: Myanmar’s president arrives in Beijing on Sunday. What does China expect of the visit?",
        "Lin Jian: China and Myanmar are traditional friends, neighbors and a community with a shared future. "
        "The two presidents will sign agreements on railways and power grids.",
    ])
    stories = _stored(tmp_path, [feed("mfa", "https://mfa.example/rss", official=True,
                                      title="Ministry of Foreign Affairs of China", country="CN")],
                      [NewArticle(source="mfa", url="https://mfa.example/briefing",
                                  title="Regular Press Conference of the Spokesperson", text=text,
                                  published=datetime.now(UTC) - timedelta(hours=2), language="en")])
    titles = [s.title for s in stories]
    flat = _mail_of(stories, "Asia/Shanghai")
    assert "China says it has indisputable sovereignty over Huangyan Dao and its adjacent waters" in flat, titles
    # and no highlight under it says it again ("We have indisputable sovereignty …")
    [shoal] = [s for s in stories if "Huangyan" in s.title]
    assert not any("indisputable sovereignty" in h.text for h in shoal.highlights), shoal.highlights
    assert "China: “The United States should stop politicizing, instrumentalizing and weaponizing trade and " \
           "tech issues”" in flat, titles
    assert not any(t.startswith(("China has", "The United States should", "China’s position")) for t in titles), titles
    assert "consistent and clear" not in flat, flat
    # what it says it and another are is its claim too ("China and Mongolia are friendly neighbors …")
    assert "China says China and Mongolia are friendly neighbors connected by mountains and rivers" in flat, titles
    # and where that is too long for a headline, its first clause is told so ("… a community with a shared
    # future" had stood bare)
    assert "China says China and Myanmar are traditional friends" in titles, titles
    # and no highlight under it says it again, whole
    [myanmar] = [s for s in stories if "Myanmar" in s.title]
    assert not any("traditional friends" in h.text for h in myanmar.highlights), myanmar.highlights


def test_what_a_government_claims_heads_its_chinese_story_as_its_claim(tmp_path: Path) -> None:
    """Through the store and the mail: "中国在台湾岛以东海域拥有专属经济区" (China has an exclusive economic zone
    east of Taiwan) and "中国和缅甸是传统友好邻邦" (China and Myanmar are traditional friends) are China's
    claims, headed "中国：…", as "中国：台湾是…" is; what China does ("中方谴责…") stays its act."""
    titles, flat = _zh_stored(
        tmp_path / "a",
        ("日本海上保安厅称中国船只在台湾以东海域进行调查。中方有何回应？",
         "中国在台湾岛以东海域拥有专属经济区和大陆架。中国船只在有关海域开展科研活动合法正当。"),
        ("缅甸总统下周将访华。你能否介绍有关情况？",
         "中国和缅甸是传统友好邻邦和命运共同体。访问期间，习近平主席将同他举行会谈。"),
        ("昨天加沙一所学校遭到空袭，造成数十名平民死亡。中方有何评论？",
         "中方谴责任何针对无辜平民的袭击。我们呼吁有关各方立即停火。"),
    )
    assert "中国：中国在台湾岛以东海域拥有专属经济区和大陆架" in titles, titles
    assert "中国：中国和缅甸是传统友好邻邦和命运共同体" in titles, titles
    assert not any(t.startswith(("中国在", "中国和")) for t in titles), titles
    assert "中方谴责任何针对无辜平民的袭击" in titles, titles
    assert "中国：中国在台湾岛以东海域拥有专属经济区和大陆架" in flat, flat


def test_official_headlines_name_whole_names_and_keep_the_tense() -> None:
    # "We noted …" is China noted, not "China noteds"
    assert _one_exchange(
        "A court in Thailand sentenced two men to death for the 2015 bombing. What is your comment?",
        "We noted the sentencing made by Thailand on the relevant case. China firmly opposes all forms "
        "of terrorism.").startswith(("China noted", "China firmly opposes"))
    # a name that opens the question is whole ("Solomon Islands", not "Islands"), once
    title = _one_exchange(
        "Solomon Islands Prime Minister Matthew Wale said Wednesday that he would review the policing "
        "agreement signed with Beijing. How do you respond?",
        "The cooperation between the two countries is open and transparent. It targets no third party.")
    assert title == "China on Solomon Islands Prime Minister Matthew Wale", title
    # "U.S." and "United States" are one name, and no question word rides along ("U.S. How")
    title = _one_exchange(
        "Chinese embassies in the United States have reportedly contacted U.S. local officials. How does "
        "the embassy explain these contacts with U.S. officials?",
        "Chinese diplomats perform their duties in accordance with international law, the Vienna Convention "
        "on Consular Relations and the laws of the host country, as diplomats of every country do.")
    assert title == "China on the United States", title
    # a second name is not one the first holds, and no preposition rides along ("During Biden")
    calm = "The cooperation between the two countries is open and transparent. It targets no third party."
    title = _one_exchange("Prime Minister Kishida said the talks went well. President Kishida also met the "
                          "Japanese business delegation in Osaka on Monday. What is your comment?", calm)
    assert title.count("Kishida") == 1, title
    title = _one_exchange("During President Biden's visit to Tokyo, Japan said it would hold naval drills with "
                          "New Zealand next year. What is your comment?", calm)
    assert "President Biden" in title and "During" not in title, title
    # nor its initials: "Japan Liberal Democratic Party and LDP" named one party twice
    title = _one_exchange("Japan Liberal Democratic Party lawmakers drafted a defence proposal. The LDP "
                          "wants it adopted by autumn. What is your comment?", calm)
    assert "LDP" not in title and "Liberal Democratic Party" in title, title
    # nor what describes it ("Kaja Kallas, the EU High Representative …"), nor an opening "Given"
    title = _one_exchange("Kaja Kallas, the EU High Representative for Foreign Affairs and Security Policy, "
                          "said the bloc has verified reports of training. What is your response?", calm)
    assert title == "China on Kaja Kallas", title
    title = _one_exchange("Given the President's visit to Tokyo, Secretary Yellen will meet Japan's finance "
                          "minister. What is your comment?", calm)
    assert "Given" not in title, title
    # nor words that only say where something is from ("American and Asian companies")
    title = _one_exchange("Reports say that several American and Asian companies are moving their factories "
                          "out of the country. What is your comment?", "The cooperation is open and transparent.")
    assert not title.endswith("American and Asian"), title
    # a sentence about someone it does not name ("she") is no headline
    title = _one_exchange(
        "Austrian Foreign Minister Beate Meinl-Reisinger is visiting China. Can you share more?",
        "Before she came to Beijing, she had visited Shanghai and Taicang in Jiangsu Province. Wang Yi "
        "will hold talks with her on bilateral relations and the Ukraine crisis.")
    assert "she" not in title.lower().split(), title
    # nor one about something it does not name ("China deplores this …")
    title = _one_exchange(
        "Nearly three months have passed since a Japanese officer broke into the Chinese Embassy in Tokyo. "
        "What is your comment?",
        "China deplores this and has lodged protests against the Japanese side on many occasions. The "
        "Japanese side's investigation of the case has been proceeding slowly.")
    assert "this" not in title.split() and title.startswith("China on"), title
    # nor what an asker says of their questions, nor someone's question as a subject
    for question in ("Picking up on what Reuters was asking, a couple questions. Is the office closing?",
                     "Just one more, Lin Jian. Is the office closing?",
                     "A follow-up on Bloomberg's question. Is the office closing?"):
        title = _one_exchange(question, "The cooperation is open and transparent. It targets no third party.")
        assert not re.search(r"(?i)picking up|one more|follow-up|question", title), title
    # what is asked about by a possessive names no one: "his call with President Zelenskyy"
    title = _one_exchange("First, I wanted to ask about his call with President Zelenskyy. Did they discuss "
                          "air defence?", "The call lasted an hour. The leaders discussed air defence.")
    assert not re.search(r"\bhis\b", title), title
    # a spoken opening is no part of a headline ("Obviously, …", "Then, secondly, …")
    title = _one_exchange("What is China's view of the port deal?", "Obviously, China welcomes the port "
                          "agreement with Panama. It targets no third party.")
    assert title == "China welcomes the port agreement with Panama", title
    title = _one_exchange("What is China's view of the new report on Xinjiang?", "As always, China opposes "
                          "political framing on issues related to Xinjiang. It targets no third party.")
    assert title == "China opposes political framing on issues related to Xinjiang", title
    # one of several things counted off before ("One is …", "Step two is …") is no headline
    title = _one_exchange("Which companies in Ohio received the new Chinese loans?", "One is a locally owned "
                          "hardware store in Ohio. The loans are commercial.")
    assert not title.startswith("One is"), title


def test_an_official_headline_states_the_stance_or_names_the_country_before_the_last_resort() -> None:
    # a stance that names nothing else is a headline, a long one without its filler and its tail
    title = _one_exchange(
        "The Trump administration has proposed additional duties of 10 percent on imports from 60 economies "
        "after a Section 301 probe. What is the response to this?",
        "No one stands to gain from a tariff war or a trade war. China opposes all forms of unilateral "
        "tariff measures.")
    assert title == "China opposes all forms of unilateral tariff measures", title
    title = _one_exchange(
        "There have been reports that Xinhua journalists may return to New Delhi. Can the foreign ministry "
        "confirm these talks?",
        "China is always ready to promote cooperation with India in various areas, including cooperation "
        "in the media sector.")
    assert title == "China is ready to promote cooperation with India in various areas", title
    # a sentence whose subject is not yet its verb keeps its clauses: nothing is cut mid-sentence
    title = _one_exchange(
        "The Forum on Global Governance opens next week in Beijing. Can you share more details?",
        "More than 400 guests from nearly 100 countries, including diplomats, will attend the forum.")
    assert title != "More than 400 guests from nearly 100 countries", title
    # else the country the exchange is about, never the briefing's date when one is named
    title = _one_exchange(
        "A double earthquake of magnitude above seven has struck Venezuela, including the capital of Caracas, "
        "causing widespread damage across the region. What is the comment?",
        "We express sympathies to the people affected and hope they will recover and rebuild soon.")
    assert title == "China on Venezuela", title


def test_what_the_asker_names_as_the_subject_is_the_headline_named_or_not() -> None:
    """"On Sudan." and "On the border, …" open a question on their subject, "… respond to the new
    EU sanctions?" names it at its end: each is the headline, not the briefing's date."""
    titles = {}
    for name, country in (("us-state.txt", "US"), ("russia-mid-en.txt", "RU"), ("whitehouse-style.txt", "US")):
        title, text = _briefing(name)
        stories = group([StoredArticle(
            id=1, source=name, source_title=name, official=True, url=f"https://gov.example/{name}", title=title,
            text=text, country=country, published=NOW - timedelta(hours=3), language="en", is_opinion=False)],
            now=NOW)
        titles[name] = [s.title for s in stories]
    assert "The United States on Sudan" in titles["us-state.txt"], titles
    assert "Russia on the new EU sanctions" in titles["russia-mid-en.txt"], titles
    assert "The United States on the border" in titles["whitehouse-style.txt"], titles
    # an office named as English names it, with its "the"; a person or a country without one
    assert "The United States on the Prime Minister of Japan" in titles["whitehouse-style.txt"], titles
    assert "Russia on Foreign Minister Sergey Lavrov and the Foreign Minister of Türkiye" in titles[
        "russia-mid-en.txt"], titles
    from digest.stories.headlines import _with_article

    said = ("Will the Build Back Better agenda pass? What about the Middle East, and did Premier Li speak to "
            "the Korean Peninsula issue?")
    assert [_with_article(n, said) for n in ("Build Back Better", "Middle East", "Premier Li", "Korean Peninsula")
            ] == ["Build Back Better", "the Middle East", "Premier Li", "Korean Peninsula"]
    # a way of speaking is no subject, nor what trails it, nor someone's question ("what Kelly asked")
    calm = "The cooperation between the two countries is open and transparent. It targets no third party."
    for question, unwanted in (("On the other hand, will the office in Vilnius close this year?", "hand"),
                               ("On another topic, will the office in Vilnius close this year?", "topic"),
                               ("I have a question on the Panama port deal real quick: is it signed?", "quick"),
                               ("To follow up on what Kelly asked, is the office closing?", "Kelly")):
        title = _one_exchange(question, calm)
        assert unwanted not in title, title
    title = _one_exchange("On refugees: will China take in more this year?", calm)
    assert title == "China on refugees", title
    # turning to a subject names it as "On …" does; a quotation cut open is no subject
    title = _one_exchange("Turning briefly to Vietnam. Will the border talks resume this summer?", calm)
    assert title == "China on Vietnam", title
    title = _one_exchange("Going back to the Russia sanctions, will Chinese banks comply?", calm)
    assert title == "China on the Russia sanctions", title
    title = _one_exchange("A question on the “months of delay, as Minister Wang Yi said. Is it true?", calm)
    assert "“" not in title, title
    # what an asker says before asking is no headline ("Just for clarity, since …")
    title = _one_exchange("Just for clarity, since the whole Cabinet isn't going to be there. Who will attend?",
                          calm)
    assert not title.startswith("Just"), title
    # the government speaks, whichever way the subject was found (not "Ministry of Foreign Affairs of
    # China on …" beside "China on …")
    title = _one_exchange("What do you make of the football final in Doha?", calm)
    assert title == "China on the football final in Doha", title
    # a subject that points at what was said before ("that message") or is cut off at a preposition
    # is none; what trails it ("right now") is no part of it
    title = _one_exchange("I want to ask about the date of that message from President Lula. When was it sent?", calm)
    assert not re.search(r"\b(?:that|of)$", title) and "that message" not in title, title
    title = _one_exchange("What is your comment on the relationship with Egypt right now?", calm)
    assert title == "China on the relationship with Egypt", title
    # "that" before a preposition or at the end points at something unsaid: no headline says it
    title = _one_exchange("Will Beijing retaliate against the new chip export rules announced in Washington?",
                          "China is fully prepared for that. The rules hurt global supply chains.")
    assert not title.endswith("for that"), title
    # "we don't" is the country's "doesn't"
    title = _one_exchange("Is China considering new tariffs on Australian wine?",
                          "We don't support new tariffs on Australian wine.")
    assert title == "China doesn't support new tariffs on Australian wine", title


def test_what_a_follow_up_asks_about_heads_its_story_not_who_asks_or_what_was_said_before() -> None:
    """"To follow up on the border", "a question on just the backlash …" name their subject; a
    question about someone else's question names its own ("Danny's question about Venezuela"); a
    question put to someone names no subject ("Ken's question to Kirby"), nor does what was said
    before ("your announcement"), the time, or whom the asker asks for ("our Miami TV station")."""
    from digest.stories.subjects import asked_about

    assert asked_about("Thanks, Jen. A couple questions. To follow up on the border, why has this "
                       "administration been so reluctant to call it a crisis?") == "the border"
    assert asked_about("And a question on just the backlash from the state attorneys general. Is the rule "
                       "legal?") == "the backlash from the state attorneys general"
    assert asked_about("Just following up on Danny's question about Venezuela. Is that something the "
                       "President is dialed in on?") == "Venezuela"
    for question in ("And just to follow up to Ken's question to Kirby before about the press conference. "
                     "Why no questions?",
                     "To follow up on your announcement that Premier Li Qiang will attend the Annual Meeting "
                     "of the New Champions. What is China's expectation?",
                     "And there have been some questions about time here. What is the timetable?",
                     "And I'm asking this one on behalf of our Miami TV station. Will the envoy visit?"):
        assert asked_about(question) is None, question
    calm = "The cooperation between the two countries is open and transparent. It targets no third party."
    assert _one_exchange("Just following up on Danny's question about Venezuela. Is that something the "
                         "President is dialed in on?", calm) == "China on Venezuela"
    # the asker's own outlet is no subject; what the announcement was about is, when "your
    # announcement" is none
    assert "Miami" not in _one_exchange("I'm asking this for our Miami TV station. Will the envoy visit "
                                        "Florida next month?", calm)
    assert _one_exchange("To follow up on your announcement that Premier Li Qiang will attend the Annual "
                         "Meeting of the New Champions. What is China's expectation?", calm) == (
        "China on Premier Li Qiang and the Annual Meeting")


def test_announcements_counted_off_and_questions_told_in_other_words_are_headlined() -> None:
    title, text = _briefing("india-mea.txt")
    stories = group([StoredArticle(
        id=1, source="mea", source_title="Ministry of External Affairs", official=True, url="https://mea.example/",
        title=title, text=text, country="IN", published=NOW - timedelta(hours=3), language="en",
        is_opinion=False)], now=NOW)
    told = {s.title: [h.text for h in s.highlights] for s in stories}
    # "First, the minister will visit Japan …": a story of its own, its highlight not counted off,
    # its title told as the government's
    assert told.get("India says the External Affairs Minister will visit Japan from June 6 to 8") == [
        "The External Affairs Minister will visit Japan from June 6 to 8."], told
    assert not any(h.startswith(("First,", "Second,")) for said in told.values() for h in said), told
    # "My question is on …", "Rishikesh from PTI asks about …": what was asked about, not the
    # briefing's date, nor a formula of the answer ("On the Quad, dates will be announced by the host")
    assert "India on the reports of Chinese construction near the border" in told, told
    assert "India on evacuation from Iran" in told, told
    assert not any("briefing" in t for t in told), told


def test_the_governments_own_country_joins_no_questions_and_a_refusal_comes_last() -> None:
    title, text = _briefing("france-diplomatie.txt")  # three questions, no reporter named
    stories = group([StoredArticle(
        id=1, source="mae", source_title="Ministère de l'Europe et des Affaires étrangères", official=True,
        url="https://mae.example/", title=title, text=text, country="FR", published=NOW - timedelta(hours=3),
        language="fr", is_opinion=False)], now=NOW)
    # "la France" in both questions had made North Korea's missile tests and Palestine one story
    told = [" ".join(h.text for h in s.highlights) for s in stories]
    assert not any("Conseil de sécurité" in t and "président" in t for t in told), told
    assert len(stories) == 3, told
    # "Je n'ai pas d'annonce à faire à ce stade.": after the answers that tell something
    assert told[-1] == "Pas de commentaire.", told


def _zh_titles(*exchanges: tuple[str, str]) -> list[str]:
    askers = ("路透社记者", "法新社记者", "彭博社记者")  # three reporters: no follow-ups
    text = "\n".join(line for n, (question, answer) in enumerate(exchanges)
                     for line in (f"{askers[n % 3]}：{question}", f"林剑：{answer}"))
    stories = group([StoredArticle(
        id=1, source="mfa-zh", source_title="外交部", official=True, url="https://mfa.example/zh",
        title="2026年6月30日外交部发言人林剑主持例行记者会", text=text, country="CN",
        published=datetime(2026, 6, 30, 8, tzinfo=UTC), language="zh", is_opinion=False)],
        now=datetime(2026, 6, 30, 20, tzinfo=UTC))
    return [s.title for s in stories]


def _zh_stored(folder: Path, *exchanges: tuple[str, str]) -> tuple[list[str], str]:
    """The titles of the stories a day's run stores for a Chinese briefing of ``exchanges``, and the
    mail that tells them."""
    askers = ("路透社记者", "法新社记者", "彭博社记者", "共同社记者")
    text = "\n".join(line for n, (question, answer) in enumerate(exchanges)
                     for line in (f"{askers[n % 4]}：{question}", f"林剑：{answer}"))
    folder.mkdir()
    stories = _stored(folder, [feed("mfa", "https://mfa.example/rss", official=True, title="外交部", country="CN")],
                      [NewArticle(source="mfa", url="https://mfa.example/zh", title="外交部发言人林剑主持例行记者会",
                                  text=text, published=datetime.now(UTC) - timedelta(hours=2), language="zh")])
    return [s.title for s in stories], _mail_of(stories, "Asia/Shanghai")


def test_a_chinese_headline_is_never_a_clause_that_only_opens_and_a_position_said_clear_is_no_news(
        tmp_path: Path) -> None:
    """Through the store and the mail: a long stance's first clause is its headline only when it says
    something ("中方始终认为" had headed a story, what China holds cut off after it), no headline opens
    on "其间" (meanwhile) or states what China says in the digest's voice, and "中方在乌克兰危机问题上的立场是一贯的、明确的" says nothing, as "China's
    position … is consistent and clear" does not."""
    soybeans = ("巴西宣布将从阿根廷进口更多大豆。中方有何评论？", "农产品贸易是市场行为，中方欢迎各国优质农产品进入中国市场。")
    titles, flat = _zh_stored(
        tmp_path / "a",
        ("美方宣布对中国企业实施新的出口管制。中方对此有何评论？",
         "中方始终认为，经贸问题应该通过对话沟通寻求妥善的解决方式，希望美方恪守自由贸易、公平竞争等市场经济基本准则。"),
        ("乌克兰方面称，基辅洞窟修道院遭无人机袭击。中方有何评论？", "中方在乌克兰危机问题上的立场是一贯的、明确的。"),
        soybeans)
    assert "经贸问题应该通过对话沟通寻求妥善的解决方式" in flat, flat
    assert not any(t.endswith(("认为", "注意到", "作为")) for t in titles), titles
    assert "立场是一贯的、明确的" not in flat, flat
    titles, flat = _zh_stored(
        tmp_path / "b", ("王毅主任访问印度期间会见了哪些人？", "其间，王毅主任会见了印度国家安全顾问多瓦尔。当前，中印边境局势总体稳定。"
                                               "双方同意继续通过外交和军事渠道保持沟通。"),
        soybeans, ("日本政府宣布增加防卫预算。中方有何评论？", "日方应深刻反省侵略历史，在军事安全领域谨言慎行。"))
    assert "中印边境局势总体稳定" in flat, flat
    assert not any("其间" in t for t in titles), titles
    # a statement that heads a story from its follow-up is the government's too, never the digest's
    text = "\n".join([
        "新华社记者：日本宣布修改“防卫装备转移三原则”，扩大杀伤性武器出口。发言人对此有何评论？",
        "毛宁：关于日本修改“防卫装备转移三原则”，中方已经多次阐明立场。",
        "新华社记者：追问一下，中方如何看待日本的这一做法？",
        "毛宁：炒作外部威胁，为扩军备战找借口，是日本军国主义的惯用手法。日本须完全解除武装，这是日本的国际法义务。",
        "路透社记者：巴西宣布将从阿根廷进口更多大豆。中方有何评论？",
        "毛宁：农产品贸易是市场行为，中方欢迎各国优质农产品进入中国市场。"])
    (tmp_path / "c").mkdir()
    stories = _stored(tmp_path / "c", [feed("mfa", "https://mfa.example/rss", official=True, title="外交部",
                                            country="CN")],
                      [NewArticle(source="mfa", url="https://mfa.example/zh", title="外交部发言人毛宁主持例行记者会",
                                  text=text, published=datetime.now(UTC) - timedelta(hours=2), language="zh")])
    titles = [s.title for s in stories]
    assert "炒作外部威胁" in _mail_of(stories, "Asia/Shanghai"), titles
    assert all(t.startswith(("中国", "中方")) for t in titles), titles


def test_chinese_headlines_speak_for_the_government_in_chinese() -> None:
    titles = _zh_titles(
        ("美方宣布对中国企业实施新的出口管制。中方对此有何评论？",
         "我们敦促美方纠正错误做法，停止打压中国企业。中方将采取必要措施，坚决维护自身正当权益。"),
        ("有报道称，某国将在边境部署新的导弹系统。中方是否掌握有关情况？",
         "我不了解你提到的具体情况。"),
        ("据报道，澳大利亚和瓦努阿图签署了安全协议。中方有何评论？",
         "好的。"))
    # "we" is China; no headline in the first or second person; the last resort in Chinese
    assert "中国敦促美方纠正错误做法，停止打压中国企业" in titles, titles
    assert not any(re.search("[我你您]", t) for t in titles), titles
    assert not any("briefing" in t for t in titles), titles
    # a long stance of the government's, its first clause; what only stresses is no headline
    titles = _zh_titles(
        ("伊朗和美国的谈判取得进展。中方有何评论？",
         "中方支持巴基斯坦、卡塔尔等方所作斡旋努力，希望伊朗、美国双方保持谈判势头，继续相向而行，争取谈判取得积极进展。"),
        ("欧盟委员会主席冯德莱恩在七国集团峰会上提出新的对华贸易措施。中方如何回应？",
         "我们想指出的是，中欧是伙伴而不是对手，中欧经贸合作的本质是互利共赢，双方应通过对话妥善处理分歧。"))
    assert "中方支持巴基斯坦、卡塔尔等方所作斡旋努力" in titles, titles
    assert not any(t.endswith(("指出的是", "强调的是")) for t in titles), titles
    # a statement that does not open on the government is told as its, never in the digest's voice
    titles = _zh_titles(("台湾地区领导人今天发表讲话。中方有何评论？", "台湾是中国领土不可分割的一部分。所谓讲话改变不了这一事实。"),
                        ("巴西宣布将从阿根廷进口更多大豆。中方有何评论？", "农产品贸易是市场行为。"))
    assert "中国：台湾是中国领土不可分割的一部分" in titles, titles

    # the last resort (nothing said makes a headline) is in the briefing's language too
    from digest.stories.headlines import briefing_headline
    from digest.stories.units import Unit

    def briefing(language: str) -> StoredArticle:
        return StoredArticle(id=1, source="mfa", source_title="MFA", official=True, url="https://mfa.example/",
                             title="", text="", country="CN", language=language, is_opinion=False,
                             published=datetime(2026, 6, 30, 8, tzinfo=UTC))

    assert briefing_headline([Unit(briefing("zh"), 1, "")]) == "中国6月30日例行记者会"
    assert briefing_headline([Unit(briefing("ru"), 1, "")]) == "Китай на брифинге 30 июня"
    assert briefing_headline([Unit(briefing("en"), 1, "")]) == "China at its June 30 briefing"
    # before it, where "… on …" is no headline, what was said, quoted: never speech taken up mid-phrase
    from digest.stories.headlines import quoted_headline

    said = "и решения саммита подтверждают курс альянса на конфронтацию. Ответные меры будут приняты."
    assert quoted_headline([Unit(briefing("ru"), 1, said)]) == "Китай: «Ответные меры будут приняты»"
    assert quoted_headline([Unit(briefing("en"), 1, said)]) is None


def test_headlines_in_other_languages_are_no_first_person_no_english_template_no_broken_speech() -> None:
    titles = []
    for name, language, country in (("russia-mid-ru.txt", "ru", "RU"), ("germany-regpk.txt", "de", "DE"),
                                    ("whitehouse-style.txt", "en", "US")):
        title, text = _briefing(name)
        titles += [s.title for s in group([StoredArticle(
            id=1, source="m", source_title="MFA", official=True, url="https://m.example/", title=title,
            text=text, country=country, published=NOW - timedelta(hours=3), language=language,
            is_opinion=False)], now=NOW)]
    from digest.sentences import speaks_for_itself

    # the government's first person only in its own words, quoted under its name ("Мы не видим …")
    unquoted = [re.sub(r"^\w+: [«„“].*[»“”]$", "", t) for t in titles]
    assert not any(speaks_for_itself(t) for t in unquoted), titles  # "Ich habe eine Ankündigung …"
    assert not any(t.startswith(("Germany on", "Russia on", "Прокомментируйте")) for t in titles), titles
    # where nothing makes a headline of the "… on …" kind, what was said, quoted: the same "Россия на
    # брифинге 3 июня" had titled all three of the briefing's stories
    assert "Россия: «Ответные меры будут приняты»" in titles, titles
    assert "Deutschland: „Der Bundeskanzler reist am Freitag nach Paris“" in titles, titles  # not its "Ich habe …:"
    assert len({t for t in titles if t.startswith("Россия")}) == len([t for t in titles if t.startswith("Россия")])
    # English says "the United States", and a government's own country is no subject ("on U.S.")
    american = [t for t in titles if "United States" in t]
    assert american and all(t.startswith("The United States") for t in american), titles
    assert not any(re.search(r" on (?:the )?(?:U\.S\.|United States)$", t) for t in titles), titles
    assert not any(t.rstrip().endswith(("—", "-")) for t in titles), titles


def test_a_question_in_spanish_french_or_german_is_headlined_by_what_it_asks_about() -> None:
    """"Quería preguntarle por la reunión con el canciller argentino …" is what the story is about;
    its answer ("Está prevista para la próxima semana en Madrid") says it without naming it, and
    "Wir stehen mit den Betroffenen in engem Kontakt" says who only to who asked."""
    titles = {language: _titles_of(name, language, country) for name, language, country in (
        ("spain-maec-es.txt", "es", "ES"), ("germany-regpk.txt", "de", "DE"), ("france-diplomatie.txt", "fr", "FR"))}
    assert "España, sobre la reunión con el canciller argentino prevista para este mes" in titles["es"], titles
    assert not any("Está prevista" in t for t in titles["es"]), titles
    assert "Deutschland zur Lage der Deutschen in Gaza" in titles["de"], titles  # the verb after it left out
    # "La France condamne fermement ces tirs": which? The reaction to what the question names
    assert "France, sur les essais de missiles de la Corée du Nord" in titles["fr"], titles
    assert not any("ces tirs" in t for t in titles["fr"]), titles
    # what introduces nothing is no subject ("sobre todo", "sur place"), nor a thing named before
    from digest.stories.subjects import about_in

    assert about_in("¿Qué opina sobre todo lo ocurrido?", "España", "es") is None
    assert about_in("Sur place, combien de Français restent ?", "La France", "fr") is None
    assert about_in("¿Qué dice el Gobierno sobre esta decisión?", "España", "es") is None
    assert about_in("Wird der Kanzler auch über die Ukraine sprechen?", "Deutschland", "de") == \
        "Deutschland über die Ukraine"
    assert about_in("Pouvez-vous revenir sur les déclarations du président américain ?", "La France", "fr") == \
        "La France, sur les déclarations du président américain"
    assert about_in("Quelle est votre réponse à l’annonce de Washington ?", "France", "fr") == \
        "France, sur l'annonce de Washington"
    # and in Arabic, after "بشأن" (regarding): "any news regarding the ceasefire negotiations?"
    assert about_in("هل هناك أي تطورات جديدة بشأن مفاوضات وقف إطلاق النار؟", "مصر", "ar") == \
        "مصر بشأن مفاوضات وقف إطلاق النار"
    assert about_in("ما موقفكم بشأن هذا القرار؟", "مصر", "ar") is None  # "this decision": named before


def test_an_arabic_or_french_briefing_is_headlined_by_what_was_asked_not_by_what_points_elsewhere() -> None:
    """The Arabic answer "المفاوضات مستمرة …" (the negotiations continue) is headed by what was asked
    about, not the briefing's date; the French "… s'exprimera à cette occasion" (on that occasion)
    is said by France, not in the digest's own voice."""
    stories = {"ar": _titles_of("arab-mfa-ar.txt", "ar", "EG"), "fr": _titles_of("france-diplomatie.txt", "fr", "FR")}
    assert "مصر بشأن مفاوضات وقف إطلاق النار" in stories["ar"], stories
    assert "Le président de la République s'exprimera à cette occasion" not in stories["fr"], stories


def test_a_headline_is_never_speech_broken_off_nor_in_the_first_or_second_person() -> None:
    from digest.stories.headlines import readable

    for broken in ("The President has been —", "In light of the second Summit of Democ-",
                   "The White House don’t — we don’t know what’s out there, James",
                   "The White House on behalf of our Miami TV station", "第一个问题，据目前我们了解，双方保持着沟通",
                   "不知道你新奇的提问角度从何而来",
                   # nor pointing at what it does not say, nor speaking to the room
                   "China deplores this and has lodged protests against the Japanese side",
                   "The President spoke about it", "You broke up there, Patsy",
                   "The White House on your meeting with Yermak", "Difficult to know, Steve"):
        assert not readable(broken), broken
    for fine in ("China on Solomon Islands Prime Minister Matthew Wale", "China-EU trade talks resume",
                 "China will host this year's summit in Tianjin", "Talks resume, Venezuela",
                 "中国敦促美方纠正错误做法"):
        assert readable(fine), fine


def test_a_spoken_opener_goes_from_a_headline_but_not_a_word_the_sentence_needs() -> None:
    """"Look, …", "So …", "Second, …" only open what is said; "Look at …", "So far", "Now is …",
    "Second round …" are the sentence's own words (a White House title had been "At where the
    markets are in Russia")."""
    from digest.stories.subjects import OPENER

    for spoken, said in (("Look, the sanctions are working.", "the sanctions are working."),
                         ("So we will send more aid to Kyiv.", "we will send more aid to Kyiv."),
                         ("Second, the minister will visit Japan.", "the minister will visit Japan."),
                         ("Well, look, the talks went well.", "the talks went well.")):
        assert OPENER.sub("", spoken) == said, spoken
    for whole in ("Look at where the markets are in Russia.", "So far the talks have gone well.",
                  "Now is the time for talks.", "Second round of talks opens in Geneva.",
                  "So many people have fled the fighting."):
        assert OPENER.sub("", whole) == whole, whole


def test_a_japanese_briefing_reads_as_news_in_the_store_and_the_mail(tmp_path: Path) -> None:
    """Japan MOFA's minister, in Japanese: a reporter's self-introduction ("共同通信の佐藤です") and the
    minister's talk with the room ("私から2点申し上げます") are no headline, the time and place in
    brackets ask nothing, an answer that only declines ("お答えすることは差し控えたい") is told as what it is,
    "我が国" is Japan, and the minister's second point ("2点目は、…") is a story of its own."""
    title, text = _briefing("japan-mofa-ja.txt")
    stories = _stored(tmp_path, [feed("mofa", "https://mofa.example/rss", official=True, title="外務省", country="JP")],
                      [NewArticle(source="mofa", url="https://mofa.example/kaiken", title=title, text=text,
                                  published=datetime.now(UTC) - timedelta(hours=2), language="ja")])
    titles = {s.title for s in stories}
    said = [h.text for s in stories for h in s.highlights]
    assert not any(re.search(r"の\w{1,4}です|私から|申し上げます|令和|点目は", t) for t in titles), titles
    # its topic and its end, quoted as the government's
    assert "日本「北朝鮮による弾道ミサイルの発射は極めて遺憾です」" in titles, titles
    assert any(t.startswith("日本は") for t in titles), titles  # "我が国としては" is the government
    assert "日本、日中首脳会談の調整状況について見解" in titles, titles  # asked about, answered nothing
    assert not any("差し控え" in h or "承知して" in h or h.startswith(("私から", "その上で")) for h in said), said
    assert said.count("コメントを控えた。") == 2
    [ukraine] = [s for s in stories if any("5000万ドル" in h.text for h in s.highlights)]
    assert not any("フィリピン" in h.text for h in ukraine.highlights)  # the first point is its own story
    assert {src.asked_by for s in stories for src in s.sources if src.question} == {
        "NHK", "共同通信", "朝日新聞", "読売新聞"}
    mail = _mail_of(stories, "Asia/Tokyo")
    assert "日本「北朝鮮による弾道ミサイルの発射は極めて遺憾です」" in mail and "コメントを控えた。" in mail
    assert "共同通信の佐藤です" not in mail.split("Sources")[0]


def test_what_a_reader_of_the_mail_gets_of_a_spoken_briefing_and_a_spanish_one(tmp_path: Path) -> None:
    """Through the store and the mail: the official's restarts are gone from the highlight ("We
    want — we encourage …", "on Monday — sorry, on Tuesday"), the asker's "On the border, …" heads the story, and the Spanish
    answer that says its subject without naming it is headed by what was asked."""
    title, text = _briefing("whitehouse-style.txt")
    text = text.replace("The Department of Homeland Security reported fewer crossings",
                        "We want — we encourage the Senate to pass the border bill. The Department of Homeland "
                        "Security reported fewer crossings")
    text = text.replace("They spoke on Monday about steel tariffs",
                        "So they spoke on Monday — sorry, on Tuesday — about steel tariffs")
    spanish_title, spanish = _briefing("spain-maec-es.txt")
    stories = _stored(tmp_path, [
        feed("wh", "https://wh.example/rss", official=True, title="The White House", country="US"),
        feed("maec", "https://maec.example/rss", official=True, title="MAEC", country="ES")], [
        NewArticle(source="wh", url="https://wh.example/briefing", title=title, text=text,
                   published=datetime.now(UTC) - timedelta(hours=2), language="en"),
        NewArticle(source="maec", url="https://maec.example/rueda", title=spanish_title, text=spanish,
                   published=datetime.now(UTC) - timedelta(hours=2), language="es")])
    flat = _mail_of(stories, "Europe/Madrid")
    assert "The United States on the border" in flat, flat
    assert "We encourage the Senate to pass the border bill." in flat and "We want —" not in flat, flat
    # what the official corrected is told as corrected
    assert "They spoke on Tuesday about steel tariffs" in flat and "sorry" not in flat, flat
    assert "So they" not in flat, flat  # "So …" only started the answer
    assert "España, sobre la reunión con el canciller argentino prevista para este mes" in flat, flat


def test_a_spoken_answers_lead_ins_and_its_bare_insistence_reach_no_reader(tmp_path: Path) -> None:
    """Through the store and the mail: an answer's "No," and "Yes," (its question is not beside the
    highlight), counts ("One, …") and lead-ins ("In fact, …", "Honestly, …") go from what it says,
    and "We've been very clear on that." says nothing to highlight."""
    title, text = _briefing("whitehouse-style.txt")
    text = text.replace("MS. REYES: Go ahead, Ed.", "Q Will the sanctions on Russia's banks be lifted before "
                        "the summit in Geneva?\nMS. REYES: We've been very clear on that. No, the sanctions on "
                        "Russia's central bank will stay in place until its forces leave Ukraine. In fact, the "
                        "Treasury added twelve more Russian banks to the list on Monday. One, the Secretary of State "
                        "will brief our allies in Brussels about the sanctions on Thursday.\n"
                        "MS. REYES: Go ahead, Ed.", 1)
    stories = _white_house(tmp_path, [title, text])
    [sanctions] = [s for s in stories if any("sanctions" in (src.question or "") for src in s.sources)]
    said = [h.text for h in sanctions.highlights]
    assert "The sanctions on Russia's central bank will stay in place until its forces leave Ukraine." in said, said
    assert not any(h.startswith(("No,", "In fact", "One,", "We've been")) for h in said), said
    flat = _mail_of(stories, "UTC")
    assert "The Secretary of State will brief our allies in Brussels" in flat, flat
    assert "The Treasury added twelve more Russian banks" in flat, flat
    assert "very clear" not in flat and "No, the sanctions" not in flat and "In fact," not in flat, flat


def test_an_arabic_briefing_in_the_mail_is_headed_by_what_was_asked(tmp_path: Path) -> None:
    """Through the store and the mail: the Arabic answer "المفاوضات مستمرة …" is under the heading
    of what was asked about ("مصر بشأن مفاوضات وقف إطلاق النار"), not the briefing's date."""
    title, text = _briefing("arab-mfa-ar.txt")
    flat = _mail_of(_stored(
        tmp_path, [feed("mofa", "https://mofa.example/rss", official=True, title="وزارة الخارجية", country="EG")],
        [NewArticle(source="mofa", url="https://mofa.example/briefing", title=title, text=text,
                    published=datetime.now(UTC) - timedelta(hours=2), language="ar")]), "Africa/Cairo")
    assert "مصر بشأن مفاوضات وقف إطلاق النار" in flat, flat
    assert flat.index("مصر بشأن مفاوضات وقف إطلاق النار") < flat.index("المفاوضات مستمرة"), flat


def test_an_answer_that_only_declines_is_told_so_in_the_briefings_language() -> None:
    """The formulas of the ministries' other languages are formulas too: "Je n'ai pas d'annonce à
    faire à ce stade." is told as what it is, in French, and is no headline."""
    from digest.sentences import as_what_it_is, formula_kind

    for formula, kind in [("個別の事案の詳細については、事柄の性質上、お答えすることは差し控えたいと思います。", "declined"),
                          ("ご指摘の報道については承知しています。", "declined"),
                          ("詳細は決まり次第お知らせします。", "will announce"),
                          ("Je n'ai pas d'annonce à faire à ce stade.", "declined"),
                          ("Dazu kann ich Ihnen nichts sagen.", "declined"),
                          ("No tenemos ningún comentario sobre ese asunto.", "declined"),
                          ("Мы не комментируем подобные сообщения.", "declined"),
                          ("سيتم الإعلان عن الموعد في حينه بعد التنسيق مع الشركاء.", "will announce")]:
        assert formula_kind(formula) == kind, formula
    for news in ("北朝鮮による弾道ミサイルの発射は、関連する安保理決議に違反するものであり、極めて遺憾です。",
                 "La France condamne fermement ces tirs, qui violent les résolutions du Conseil de sécurité."):
        assert formula_kind(news) is None, news
    title, text = _briefing("france-diplomatie.txt")
    stories = group([StoredArticle(id=1, source="fr", source_title="France Diplomatie", official=True,
                                   url="https://fr.example/point", title=title, text=text, country="FR",
                                   published=NOW - timedelta(hours=3), language="fr", is_opinion=False)], now=NOW)
    [visit] = [s for s in stories if any("Pékin" in (src.question or "") for src in s.sources)]
    assert [h.text for h in visit.highlights] == [as_what_it_is("declined", "fr")] == ["Pas de commentaire."]
    assert "annonce" not in visit.title


def test_briefings_in_scripts_without_capitals_reach_the_reader(tmp_path: Path) -> None:
    """An Arabic or a Hindi briefing: its answers name someone or something though no letter is a
    capital (every segment had been dropped as saying nothing: no story at all), a Hindi sentence
    ends at its danda, the spokesperson's welcome is no headline, a formula is told as what it is
    where the digest writes the language (Arabic: its catalog), and a last-resort title is in
    English where it does not ("भारत at its 3 जून briefing" mixed two)."""
    config = load_config(config_file(tmp_path, sources=[
        feed("mfa-ar", "https://ar.example/rss", official=True, title="وزارة الخارجية", country="EG"),
        feed("mea-hi", "https://hi.example/rss", official=True, title="विदेश मंत्रालय", country="IN")]))
    store = open_store(config)
    for source, name, language in (("mfa-ar", "arab-mfa-ar.txt", "ar"), ("mea-hi", "india-mea-hi.txt", "hi")):
        title, text = _briefing(name)
        store.add_articles([NewArticle(source=source, url=f"https://{language}.example/briefing", title=title,
                                       text=text, published=datetime.now(UTC) - timedelta(hours=2),
                                       language=language)])
    build_stories(config, store, datetime.now(UTC))
    stories = store.stories_updated_since(datetime.now(UTC) - timedelta(days=1))
    store.close()
    for language, questions in (("ar", 3), ("hi", 2)):
        told = [s for s in stories if s.language == language]
        asked = {src.question for s in told for src in s.sources if src.question}
        assert len(asked) == questions, (language, [s.title for s in told])  # every answer reaches the reader
    titles = [s.title for s in stories]
    assert not any(t.startswith(("صباح الخير", "नमस्कार")) or "at its 3 जून" in t for t in titles), titles
    said = [h.text for s in stories for h in s.highlights]
    # told as what it is in a language the digest writes; in another, as said
    assert "سيُعلن عن المعلومات في حينه." in said and "इस बारे में उचित समय पर जानकारी दी जाएगी।" in said, said
    assert not any(h.startswith(("नमस्कार", "मैं ")) for h in said), said  # the welcome, "I'll begin with …"


def test_another_reporter_joins_by_what_they_asked_not_by_the_ministrys_words() -> None:
    """Two reporters' questions on different subjects whose answers share the ministry's talking
    points ("China and the United States", "the world") are two stories, on a briefing's day alone."""
    text = "\n".join([
        "CCTV: Some Western media say the global AI race is now a contest between China and the United "
        "States. What is your comment?",
        "Lin Jian: China stands for open cooperation on artificial intelligence with the United States and "
        "the world, and opposes turning technology into a tool of confrontation between China and the "
        "United States.",
        "Beijing Daily: Today is World Environment Day. Media reports noted rising prices of farm products "
        "in the global market. What is your comment?",
        "Lin Jian: China stands for open cooperation with the United States and the world on the "
        "environment and food security, and opposes turning trade into a tool of confrontation.",
    ])
    stories = group([_china_briefing(text)], now=NOW)
    assert len([s for s in stories if any(src.question for src in s.sources)]) == 2, [s.title for s in stories]


def test_a_chinese_headline_takes_no_japanese_grammar() -> None:
    """The Japanese government's "we" ("我が国", "政府として") is turned into Japan in Japanese only: a
    Chinese answer opening on "政府" stays Chinese."""
    text = "\n".join(["法新社记者：中方如何看待今年的经济形势？",
                      "林剑：政府高度重视稳就业工作，出台了一系列政策措施。",
                      "路透社记者：巴西将从阿根廷进口更多大豆，中方有何评论？",
                      "林剑：农产品贸易是市场行为，我们欢迎各国优质农产品。"])
    stories = group([StoredArticle(id=1, source="mfa-zh", source_title="外交部", official=True,
                                   url="https://mfa.example/zh", title="外交部发言人例行记者会", text=text,
                                   country="CN", published=NOW - timedelta(hours=3), language="zh",
                                   is_opinion=False)], now=NOW)
    titles = [s.title for s in stories]
    assert not any("は" in t for t in titles), titles
    assert any(t.startswith("政府高度重视稳就业工作") for t in titles), titles


def test_what_a_reporter_asks_about_or_an_official_gives_an_update_on_heads_the_story(tmp_path: Path) -> None:
    """Through the store and the mail: "I want to ask you a question about guns and get your
    response to …" is about guns, "a question about some of the humanitarian needs you've been
    talking about" about the humanitarian needs, and an official's "I want to give a brief update
    on the Middle East" about the Middle East, where each had been headed by the briefing's date.
    "Ask about the trip" names no trip: the names the exchange turns on head that one."""
    from digest.stories.subjects import asked_about

    assert asked_about("Thanks, Karine. I want to ask you a question about guns and get your response to "
                       "some of the arguments. Will he act?") == "guns and get your response to some of the arguments"
    assert asked_about("Thanks. First a follow-up about some of the humanitarian needs you've been talking "
                       "about.") == "the humanitarian needs"
    assert asked_about("Finally, before I take questions, I want to give a brief update on the Middle East.",
                       opening=True) == "the Middle East"
    assert asked_about("And if I may ask about the trip, please. Will he raise Taiwan with President Xi?") is None
    assert asked_about("Why wasn't a similar announcement to send resources made when Brazil asked?") is None
    lines = [
        "Press Briefing by Press Secretary Dana Reyes and National Security Adviser Tom Walsh",
        "MS. REYES: Good afternoon, everybody.",
        "MS. REYES: Finally, before I take questions, I want to give a brief update on the Middle East. "
        "The United States continues to work round the clock to support efforts to rescue and reunite "
        "hostages held by Hamas with their families where they belong. This includes many young children.",
        "Q Thanks, Dana. I want to ask you a question about guns and get your response to some of the "
        "arguments that senators are making now about the push to ban rifles. What does he say to them?",
        "MS. REYES: He has taken more executive actions on gun violence than any other President in history.",
        "Q Thanks. I had a question about some of the humanitarian needs you’ve been talking about. How "
        "many trucks of food reach Sudan each week?",
        "MS. REYES: The World Food Programme reports that forty trucks a week now reach Darfur, and the "
        "United States is funding more of them.",
        "Q And if I may ask about the trip, please. Will the President raise Taiwan with President Xi "
        "Jinping when they meet?",
        "MS. REYES: The two leaders will have a candid conversation, and we expect them to cover a "
        "range of issues, including Taiwan.",
    ]
    stories = _white_house(tmp_path, lines)
    flat = _mail_of(stories, "America/New_York")
    for headline in ("The United States on guns", "The United States on the humanitarian needs",
                     "The United States on the Middle East", "The United States on President Xi Jinping"):
        assert headline in flat, (headline, flat)
    assert "briefing" not in " ".join(s.title for s in stories), [s.title for s in stories]


def test_briefing_headlines_name_what_was_asked_whole(tmp_path: Path) -> None:
    """Through the store and the mail: a possessive ends a name ("the President’s Title 42 policy"
    had titled a story "… on President Title"), "such as" keeps its examples ("… to countries such"
    had been cut there), "one clarification on" marks a subject as "a question on" does, names that are
    three read as a list, an answer that speaks of "he" without naming him is no headline, and the
    subject is the question's, after what the asker says to set it up."""
    lines = [
        "Press Briefing by Press Secretary Dana Reyes",
        "Q Is the White House talking to the government of Mexico about the kidnappings of migrants sent "
        "back under the President’s Title 42 policy?",
        "MS. REYES: We are in close touch with the government of Mexico, and we will keep working with them "
        "on the safety of migrants at the border.",
        "Q Can you give an update on any plans on providing vaccines to countries such as Guatemala, "
        "Honduras and El Salvador?",
        "MS. REYES: We have decided to share 60 million doses of the AstraZeneca vaccine in the coming "
        "months, and the first shipments leave in May.",
        "Q Why was there not more progress toward an agreement in principle, and who is holding out?",
        "MS. REYES: What he did raise was denying Putin revenues from oil sales. Ministers will do the "
        "technical work on the cap over the coming weeks.",
        "Q Hi, thanks. One clarification on the Delta variant. How accurate is the estimate of 51 percent?",
        "MS. REYES: The estimate rests on the first 600 sequences, and it will be updated as more come in.",
        "Q When it comes to those who were not invited — for example, two NATO Allies, Hungary and Turkey — "
        "what was the reasoning behind not inviting them?",
        "MS. REYES: The list of invitees was drawn up to reflect a range of regions and a range of experiences.",
        "Q The census came out last week and moved seats between the states. Does the White House share "
        "the concern that Hispanic residents were undercounted as part of the census?",
        "MS. REYES: Every resident counts, and an undercount costs communities seats and funding for a decade.",
        "Q Officials met in Bogotá last week to discuss the return of embassy staff to Caracas. Can you give "
        "us an update on the progress?",
        "MS. REYES: The embassy in Caracas will reopen in the spring with a smaller staff.",
        "Q A Secret Service agent fired a shot overnight at a man breaking into a Secret Service vehicle "
        "guarding one of the President’s grandchildren. Has the President been briefed on that incident?",
        "MS. REYES: The President has been briefed, and the agents acted to protect the family as they are "
        "trained to do.",
    ]
    stories = _white_house(tmp_path, lines)
    titles = [s.title for s in stories]
    flat = _mail_of(stories, "America/New_York")
    assert "The United States on Mexico" in flat and "The United States on the Delta variant" in flat, titles
    assert "The United States on plans on providing vaccines to countries such as Guatemala" in flat, titles
    assert "President Title" not in flat and not any(t.endswith(" such") for t in titles), titles
    assert not any(t.startswith("What he did raise") for t in titles), titles
    # two names, the second a pair itself: one list ("… on NATO Allies and Hungary and Turkey" had read twice)
    assert "The United States on NATO Allies, Hungary and Turkey" in flat, titles
    # what the asker sets out first is no question: the question that follows it names the subject
    assert "The United States on the census" in flat, titles
    # but not a thing only "the" names, named before the question ("… an update on the progress?")
    assert not any(t.endswith("on the progress") for t in titles), titles
    # "one of the President’s grandchildren" is one of them, not what was asked about
    assert not any("grandchildren" in t for t in titles) and any("Secret Service" in t for t in titles), titles


def test_a_follow_up_first_on_a_subject_names_it(tmp_path: Path) -> None:
    """Through the store and the mail: "I wanted to follow up first on qualified immunity" marks its
    subject as "follow up on …" does (the story had fallen to the briefing's last resort)."""
    lines = [
        "Press Briefing by Press Secretary Dana Reyes",
        *MAUI,
        "Q Thanks, Dana. I wanted to follow up first on qualified immunity. Will the President sign the bill "
        "if the working group agrees?",
        "MS. REYES: The President will sign a bill that holds police departments accountable in court.",
        *LUMBER,
    ]
    stories = _white_house(tmp_path, lines)
    assert "The United States on qualified immunity" in _mail_of(stories, "America/New_York"), \
        [s.title for s in stories]


def test_an_answer_with_no_timeframe_and_a_promise_to_check_reaches_no_reader(tmp_path: Path) -> None:
    """Through the store and the mail: "I don't think we have a timeframe at this point in time,
    Steve, but I will check with the negotiators and see." answers nothing (the reporter's name had
    passed for something named, and the sentence for a highlight); what was answered still is, and an
    answer's "We're committed to doing that." is no highlight of it."""
    no_answer = ("I don’t think we have a timeframe at this point in time, Steve, but I will check with the "
                 "negotiators and see.")
    lines = [
        "Press Briefing by Press Secretary Dana Reyes",
        *MAUI,
        "Q On the nuclear talks in Vienna: any timeframe on how long this round will last, do we know?",
        f"MS. REYES: {no_answer}",
        *LUMBER,
        "Q Will the administration keep the emergency shelters for unaccompanied children open this summer?",
        "MS. REYES: We’re committed to doing that. The shelters in Texas and California will stay open "
        "through September, with medical staff on site.",
    ]
    stories = _white_house(tmp_path, lines)
    flat = _mail_of(stories, "America/New_York")
    assert "More than two thousand homes have burned in Lahaina" in flat, flat
    assert "tariffs on softwood lumber" in flat, flat
    assert "timeframe" not in flat and "Steve" not in flat, flat
    # nor is "We're committed to doing that." a highlight: it says nothing without the question
    said = [h.text for s in stories for h in s.highlights]
    assert any("shelters in Texas and California" in h for h in said), said
    assert not any("doing that" in h for h in said), said


def test_an_answer_that_only_points_to_what_was_said_or_will_not_confirm_is_told_as_what_it_is(
        tmp_path: Path) -> None:
    """Through the store and the mail: "I just don't have anything to add to what Jake Sullivan … shared
    today" had been a story's only highlight (its name passed for something said); "We're not going to
    confirm them" and "Just don't want to get ahead of that" are no highlights either."""
    lines = [
        "Press Briefing by Press Secretary Dana Reyes",
        *MAUI,
        "Q On the aid package for Ukraine: will more of the money go to air defense?",
        "MS. REYES: I just don’t have anything to add to what Jake Sullivan, our National Security Advisor, "
        "shared today at the podium.",
        *LUMBER,
        "Q On the hostages: can you confirm the reports of a deal to release them?",
        "MS. REYES: We’re not going to confirm them from the White House. Just don’t want to get ahead of "
        "that. The President will meet the families of the hostages on Friday in Washington.",
        "Q On the census: were Hispanic residents undercounted?",
        "MS. REYES: We’re not in a position to assess that. I’m not going to get into private conversations "
        "the President has had with the Census Bureau. The bureau will publish its review of the count in March.",
    ]
    stories = _white_house(tmp_path, lines)
    flat = _mail_of(stories, "America/New_York")
    assert "anything to add" not in flat and "Declined to comment beyond what was said before." in flat, flat
    said = [h.text for s in stories for h in s.highlights]
    assert any("families of the hostages" in h for h in said), said
    assert not any("confirm them" in h or "get ahead of" in h for h in said), said
    # "not in a position to assess that", "I'm not going to get into …" are refusals too
    assert not any("not in a position" in h or "get into" in h for h in said), said
    assert any("review of the count in March" in h for h in said), said


def test_an_answer_that_stumbles_gives_its_highlights_to_what_was_said_whole(tmp_path: Path) -> None:
    """Through the store and the mail: a sentence where the speaker broke off and the restart still
    stands ("We just — that is — we just don't have a decision on …") is no highlight where the answer
    says three things whole, a word said again across "–-" is said once, and a correction of a word
    broken off ("that Russia ha- — excuse me, China has not …") takes back what it says again (the
    answer had been no story at all)."""
    lines = [
        "Press Briefing by Press Secretary Dana Reyes",
        *MAUI,
        "Q On the ports: will they stay open through the holidays?",
        "MS. REYES: We just — that is — we just don’t have a decision on the night shifts at the docks. "
        "The ports of Los Angeles and Long Beach will stay open around the clock through the holidays. "
        "The Department of Transportation is paying for the extra cranes at both ports. "
        "Retailers told the President on Monday that their shelves are full for December.",
        *LUMBER,
        "Q On the Quad summit: who is coming?",
        "MS. REYES: Japan and Australia — they’re –- they’re key partners, and their leaders will both be "
        "in Washington on Friday.",
        "Q On the fall vaccines: when will they be available?",
        "MS. REYES: We’re going to have those midterm, sorry — mid-September vaccines for everyone. The "
        "FDA approved the updated shots on Monday. Pharmacies will start taking appointments next week. "
        "Insurers will cover the shots at no cost.",
        "Q What’s your level of confidence that China has not provided Russia any military equipment?",
        "MS. REYES: Our latest assessment is that Russia ha- — excuse me, China has not provided weapons to "
        "Russia for the war in Ukraine.",
    ]
    stories = _white_house(tmp_path, lines)
    flat = _mail_of(stories, "America/New_York")
    [ports] = [s for s in stories if any("Long Beach" in h.text for h in s.highlights)]
    said = [h.text for h in ports.highlights]
    assert len(said) == 3 and not any("that is — we just" in h for h in said), said
    assert "extra cranes" in flat and "shelves are full" in flat, flat
    assert "they’re key partners" in flat and "–- they’re" not in flat, flat
    # nor is one whose correction is left standing ("those midterm, sorry — mid-September vaccines")
    assert not any("sorry" in h.text for s in stories for h in s.highlights), flat
    assert "Pharmacies will start taking appointments" in flat, flat
    # a word broken off and corrected: the correction takes the words it says again ("Russia ha-")
    assert "Our latest assessment is that China has not provided weapons to Russia" in flat, flat


def test_an_answers_he_is_the_one_person_the_question_names_and_no_one_else(tmp_path: Path) -> None:
    """Through the store and the mail: "He's eager to find the right person" answers a question on
    President Alvarez and is told as "[President Alvarez] is eager …" (the sentence had pointed back at
    nothing, and the answer's highlight was its second sentence); where the question names a call with
    another ("the call with President Xi"), "he" may be either, and stays "he"."""
    lines = [
        "Press Briefing by Press Secretary Dana Reyes",
        *MAUI,
        "Q Considering the critical role of the FDA, why has President Alvarez not yet nominated an FDA "
        "director?",
        "MS. REYES: He’s eager to find the right person to fill that role. Until then, the agency’s career "
        "staff keep reviewing new drugs on schedule.",
        *LUMBER,
        "Q And on another topic: the call with President Xi of China. How long was that?",
        "MS. REYES: He didn’t avoid areas of disagreement, and the call lasted two hours and ten minutes.",
    ]
    stories = _white_house(tmp_path, lines)
    flat = _mail_of(stories, "America/New_York")
    assert "[President Alvarez] is eager to find the right person to fill that role." in flat, flat
    assert "[President Xi]" not in flat and "two hours and ten minutes" in flat, flat


def test_the_rooms_own_business_and_a_bare_signpost_reach_no_reader(tmp_path: Path) -> None:
    """Through the store and the mail: what an official says of the briefing itself ("… up here at this
    podium", "There's a briefing later tonight as well.") and a signpost without a verb ("On the virus
    and relating to the new guidance on the masks.") had been highlights; what was said is told."""
    lines = [
        "Press Briefing by Press Secretary Dana Reyes",
        "MS. REYES: On the virus and relating to the new guidance on the masks. The CDC now says that "
        "vaccinated people can go without masks outdoors, except in crowded venues.",
        *MAUI,
        "Q On the sanctions: what happens if Putin takes Kyiv?",
        "MS. REYES: We don’t usually engage in hypotheticals up here at this podium, but let’s play this "
        "out. Our sanctions will make this a strategic failure for Russia. Banks in Moscow "
        "have already lost access to dollars. The ruble fell by a third this week.",
        *LUMBER,
        "Q On the vaccines: how are they holding up against the variant?",
        "MS. REYES: Let’s take a look at the mRNA vaccines. The mRNA vaccines prevent nine in ten "
        "hospitalizations from the variant, according to the CDC. Let’s not get ahead of where we are on "
        "boosters.",
        "Q On the weekend: will the President travel?",
        "MS. REYES: There’s a briefing later tonight as well. The President will travel to Camp David on "
        "Saturday with the First Lady.",
    ]
    stories = _white_house(tmp_path, lines)
    flat = _mail_of(stories, "America/New_York")
    said = [h.text for s in stories for h in s.highlights]
    assert not any("podium" in h or "briefing later" in h or h.startswith("On the virus") for h in said), said
    assert "strategic failure for Russia" in flat and "Camp David on Saturday" in flat, flat
    assert "go without masks outdoors" in flat, flat
    # nor where the official takes the room next ("Let's take a look at …"), nor "Let's not get ahead of …"
    assert not any(h.startswith("Let’s") for h in said) and "nine in ten hospitalizations" in flat, said


def test_an_answer_told_alone_drops_what_joins_it_to_the_question_and_a_referral_is_told_as_one(
        tmp_path: Path) -> None:
    """Through the store and the mail: an answer whose only sentence goes on from the question is told
    without the words that join it ("But, you know, it was a determination made by the Labor
    Department." -> "It was a determination …"), and "this is a better question for the Department of
    Defense" refers the question as "I'd refer you to …" does."""
    lines = [
        "Press Briefing by Press Secretary Dana Reyes",
        *MAUI,
        "Q On the vaccine rule for employers: why 100 employees and not the entire workforce?",
        "MS. REYES: But, you know, it was a determination made by the Labor Department.",
        *LUMBER,
        "Q On the strikes in eastern Syria: were they coordinated with the Iraqi government?",
        "MS. REYES: I’m not going to get into the operational details. And even if I was, really, this is "
        "a better question for the Department of Defense.",
    ]
    stories = _white_house(tmp_path, lines)
    flat = _mail_of(stories, "America/New_York")
    assert "* It was a determination made by the Labor Department." in flat and "But, you know" not in flat, flat
    assert "better question" not in flat and "Referred the question to the competent authorities." in flat, flat


def test_a_briefing_of_several_officials_and_a_moderator_names_who_answered_and_no_one_else(
        tmp_path: Path) -> None:
    """Through the store and the mail: at a briefing of several officials ("MR. ZIENTS", "DR. WALENSKY")
    and a moderator who gives the floor, Dr. Walensky answers (her answers had been read as questions
    asked by her, and the coordinator's "Good." after them as the answers), the moderator and an aide
    ask nothing ("asked by MODERATOR", "asked by AIDE" had reached the mail), and an answer is told
    under the official who said most of it, not under the one who only handed it on."""
    lines = [
        "Press Briefing by the COVID-19 Response Team",
        "MR. ZIENTS: Good morning. Today we have an update on vaccinations across the country. More than "
        "160 million Americans are now fully vaccinated, and every state has passed half of its adults.",
        "MODERATOR: Josh Wingrove, Bloomberg.",
        "Q Thank you for doing this. Dr. Walensky, how many counties have case rates above 100 per 100,000?",
        "MR. ZIENTS: Dr. Walensky?",
        "DR. WALENSKY: Thank you, Josh. Forty-one counties in Missouri and Arkansas have case rates above 100 "
        "per 100,000, and their vaccination rates are below 30 percent. The CDC has sent teams to both "
        "states to help with testing and vaccination clinics.",
        "MODERATOR: Anne Flaherty, ABC.",
        "Q One clarification on the Delta variant. How accurate is the estimate of 51 percent?",
        "MR. ZIENTS: Dr. Walensky?",
        "DR. WALENSKY: The estimate rests on the first 600 sequences of the week, and it will be updated as "
        "more sequences come in from the state laboratories.",
        "AIDE: We have time for one more.",
        "Q On the Olympics: will the athletes be tested every day in Tokyo?",
        "MR. ZIENTS: The Olympic committee will test every athlete daily, and the team doctors will report "
        "the results to the CDC.",
    ]
    stories = _white_house(tmp_path, lines)
    flat = _mail_of(stories, "America/New_York")
    assert "asked by MODERATOR" not in flat and "asked by AIDE" not in flat, flat
    assert "asked by DR. WALENSKY" not in flat, flat
    said = {h.text: h.attribution for s in stories for h in s.highlights}
    counties = next(a for h, a in said.items() if "Forty-one counties" in h)
    assert counties.startswith("Dr. Walensky"), said
    assert any(t.endswith("on the Delta variant") for t in (s.title for s in stories)), [s.title for s in stories]


def test_an_aside_with_no_clause_and_a_remark_to_the_asker_head_and_highlight_nothing(tmp_path: Path) -> None:
    """Through the store and the mail: "It's an interesting question, MJ." (an asker named in capitals) is
    the room's talk, and "And without getting into intelligence, …, Russians protesting in the streets."
    (an aside whose clause the speaker never said) had headed a story, "The United States says without
    getting into intelligence …", and been its highlight."""
    lines = [
        "Press Briefing by Press Secretary Dana Reyes",
        *MAUI,
        "Q Does the U.S. have any analysis of dissent within Putin’s government?",
        "MS. REYES: It’s an interesting question, MJ. And without getting into intelligence, which obviously "
        "we look at — I mentioned, obviously, Russians protesting in the streets. The President will speak "
        "with NATO leaders on Friday about the next round of sanctions.",
        *LUMBER,
    ]
    stories = _white_house(tmp_path, lines)
    flat = _mail_of(stories, "America/New_York")
    said = [h.text for s in stories for h in s.highlights]
    assert not any("protesting" in t or "interesting question" in t for t in said), said
    assert not any("protesting" in s.title for s in stories), [s.title for s in stories]
    assert "speak with NATO leaders on Friday" in flat, flat


def test_an_answer_broken_off_after_a_dash_is_not_told(tmp_path: Path) -> None:
    """Through the store and the mail: an official's sentence that breaks off after a dash ("We do
    agree — it's not just about vaccines, it's —.") ends no paragraph; what was said whole is told."""
    lines = [
        "Press Briefing by Press Secretary Dana Reyes",
        "Q On masks on airplanes: will the mandate be extended past the summer?",
        "MS. REYES: Things have changed since the spring. There are still eighty million people in the "
        "country who are not vaccinated. The mask mandate on airplanes will be extended until September. "
        "Airlines will keep fining passengers who refuse to wear a mask on board, as they have done since "
        "February. Schools that ask children to wear masks indoors will get federal guidance on ventilation "
        "next month. We do agree — it’s not just about vaccines, it’s —.",
        *LUMBER,
        *MAUI,
    ]
    stories = _white_house(tmp_path, lines)
    flat = _mail_of(stories, "America/New_York")
    assert "extended until September" in flat, flat
    assert "it’s —" not in flat, flat


def test_an_answer_told_by_its_start_is_told_as_the_official_went_on_to_say_it() -> None:
    """An answer of one sentence too long for a highlight is told by its start; a speaker's "Well,"
    is no part of it, as it is no part of any highlight."""
    answer = ("Well, one of the steps the President announced yesterday is that we have the funding, the "
              "resources and the intention of having the back of leaders in school districts, superintendents "
              "and teachers, who do the right thing by students and keep them safe.")
    question = "What will the government do for school districts after the shooting?"
    text = "\n".join([f"AFP: {question}", f"Lin Jian: {answer}",
                      "Reuters: Brazil said it will buy more soybeans from Argentina this year. Any comment?",
                      "Lin Jian: Trade in farm goods is a matter for the market, and we welcome more "
                      "high-quality farm products from all countries."])
    [story] = [s for s in group([_china_briefing(text)], now=NOW)
               if any(src.question == question for src in s.sources)]
    said = [h.text for h in story.highlights]
    assert said and said[0].startswith("One of the steps the President announced"), said


def test_a_story_whose_only_report_opens_too_long_for_its_paragraph_still_reaches_the_reader(
        tmp_path: Path) -> None:
    """Through the store and the mail: an outlet's report that opens on a sentence too long to tell,
    beside a ministry's statement of the same event, is still the story's lead (the paragraph had
    been left without one, and the story stage stopped), and the paragraph does not open on what
    leans on that sentence."""
    opening = ("President Lind will meet President Varga of Estmark in Geneva on June 16, her office said on "
               "Tuesday, the first face-to-face session between the two leaders at a time of extraordinary "
               "tension over the Silva River, cyberattacks on the grid and a raft of new missiles that Estmark "
               "is deploying along the border.")
    stories = _stored(tmp_path, [
        feed("wire", "https://wire.example/rss", title="Globe Wire"),
        feed("mfa", "https://mfa.example/rss", official=True, title="Ministry of Foreign Affairs", country="NO")], [
        NewArticle(source="wire", url="https://wire.example/summit", title="Lind and Varga to meet in Geneva",
                   text=f"{opening} The meeting is expected to focus heavily on the missiles and the river. "
                        "Officials in Lindholm said the summit in Geneva would last one day.",
                   published=datetime.now(UTC) - timedelta(hours=3), language="en"),
        NewArticle(source="mfa", url="https://mfa.example/geneva", title="President Lind to meet President Varga",
                   text="President Lind will travel to Geneva on June 16 for talks with President Varga of "
                        "Estmark on the Silva River and the missiles along the border.",
                   published=datetime.now(UTC) - timedelta(hours=2), language="en")])
    [summit] = [s for s in stories if "Geneva" in s.title]
    assert not summit.summary.startswith("The meeting"), summit.summary
    assert "Geneva" in _mail_of(stories, "UTC")


def test_a_story_whose_telling_fails_is_told_plainly_and_the_others_as_ever(
        tmp_path: Path, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """Through the store and the mail: a fault in telling one story's sentences (injected here into
    the ranking of that story's sentences) costs neither the other stories nor the day's digest;
    that story is stored all the same, under its earliest report's title with its start (a
    ministry's words quoted under its name), and the fault is logged."""
    import logging

    import digest.stories.compose as compose

    ranked = compose.rank_sentences

    def failing(passages, **kwargs):  # type: ignore[no-untyped-def]
        if any("Silva River" in p.text for p in passages):
            raise RuntimeError("injected fault")
        return ranked(passages, **kwargs)

    monkeypatch.setattr(compose, "rank_sentences", failing)
    with caplog.at_level(logging.ERROR, logger="digest.stories.compose"):
        stories = _stored(tmp_path, [feed("wire", "https://wire.example/rss", title="Globe Wire"),
                                     feed("mfa", "https://mfa.example/rss", official=True, title="Norland MFA")], [
            NewArticle(source="mfa", url="https://mfa.example/treaty", title="Norland and Estmark sign Silva River treaty",
                       text="Norland and Estmark signed a treaty on Friday to share the waters of the Silva River. "
                            "The agreement splits the river's summer flow equally between the two countries.",
                       published=datetime.now(UTC) - timedelta(hours=3), language="en"),
            NewArticle(source="wire", url="https://wire.example/quake", title="Earthquake kills 40 in Valdoria",
                       text="A magnitude 6.8 earthquake struck north-western Valdoria on Friday, killing at least "
                            "40 people. Rescue teams worked through the night to reach people under the rubble.",
                       published=datetime.now(UTC) - timedelta(hours=2), language="en")])
    by_title = {s.title: s for s in stories}
    assert set(by_title) == {"Norland and Estmark sign Silva River treaty", "Earthquake kills 40 in Valdoria"}
    treaty, quake = by_title["Norland and Estmark sign Silva River treaty"], by_title["Earthquake kills 40 in Valdoria"]
    assert treaty.summary.startswith("Norland MFA said: “Norland and Estmark signed a treaty"), treaty.summary
    assert not treaty.highlights and quake.highlights, (treaty, quake)
    assert "injected fault" in caplog.text and "mfa.example/treaty" in caplog.text
    flat = _mail_of(stories, "UTC")
    assert "Norland and Estmark sign Silva River treaty" in flat and "Earthquake kills 40 in Valdoria" in flat
    # a briefing's answer told plainly is headed as the briefing's last resort, not by the page's heading
    (tmp_path / "briefing").mkdir()
    with caplog.at_level(logging.ERROR, logger="digest.stories.compose"):
        stories = _white_house(tmp_path / "briefing", [
            "Press Briefing by Press Secretary Dana Reyes",
            "Q Will the Silva River treaty be sent to the Senate this year?",
            "MS. REYES: The Silva River treaty will be sent to the Senate for its advice and consent in "
            "the autumn, after the legal review.", *LUMBER, *MAUI])
    titles = [s.title for s in stories]
    assert "Press Briefing by Press Secretary Dana Reyes" not in titles, titles
    [plain] = [s for s in stories if "Silva River" in s.summary]
    assert plain.title.startswith("The United States at its "), titles
