"""Grouping articles into stories, and the sentences chosen for them."""

from __future__ import annotations

import random
from datetime import timedelta

from digest.stories import StoryOptions, build_stories
from digest.transcripts import read_transcript
from tests.story_texts import (
    NATO_A,
    NATO_B,
    NOW,
    QUAKE_1,
    QUAKE_2,
    article,
)


def test_same_event_from_several_sources_is_one_story_and_different_events_are_not() -> None:
    arts = [
        article("wire", "China warns NATO against creating chaos in Asia", NATO_A, hours=30),
        article("outlet", "China rejects NATO's 'enabler' label, urges it to stay out of Asia", NATO_B, hours=5),
        article("peru-news", "Strong quake hits southern Peru", QUAKE_1, hours=4),
        article("japan-news", "Earthquake halts trains in northern Japan", QUAKE_2, hours=3),
    ]
    stories = build_stories(arts, now=NOW)
    by_sources = sorted(sorted(s.name for s in story.sources) for story in stories)
    assert by_sources == [["japan-news"], ["outlet", "wire"], ["peru-news"]]
    nato = next(s for s in stories if len(s.sources) == 2)
    assert stories[0] is nato  # two sources outrank one
    assert nato.first_published == NOW - timedelta(hours=30)
    assert nato.updated == NOW - timedelta(hours=5)
    assert len(nato.highlights) == 3
    assert not any(h.startswith("BEIJING") for h in nato.highlights)  # dateline trimmed
    assert 30 <= len(nato.summary.split()) <= 200


def test_stories_are_deterministic_with_stable_ids() -> None:
    arts = [
        article("wire", "China warns NATO against creating chaos in Asia", NATO_A, hours=30),
        article("outlet", "China rejects NATO's 'enabler' label", NATO_B, hours=5),
    ]
    first = build_stories(arts, now=NOW)
    again = build_stories(list(reversed(arts)), now=NOW)
    assert [s.to_json() for s in first] == [s.to_json() for s in again]
    later = build_stories([*arts, article("third", "NATO summit: China responds", NATO_B + " More.", hours=1)],
                          now=NOW + timedelta(hours=2))
    assert later[0].id == first[0].id  # same earliest article, same story


def test_republished_wire_copy_is_shown_once_as_similar() -> None:
    arts = [
        article("wire", "China warns NATO against creating chaos in Asia", NATO_A, hours=10),
        article("paper", "China warns NATO against creating chaos in Asia", NATO_A + "\nCopyright wire.", hours=9),
        article("outlet", "China rejects NATO's label", NATO_B, hours=8),
    ]
    [story] = build_stories(arts, now=NOW)
    assert [s.name for s in story.sources] == ["wire", "outlet"]
    assert story.similar_count == 1
    assert story.to_json()["sources"][0]["similar"] == 1


def test_opinion_joins_its_story_and_never_makes_one() -> None:
    arts = [
        article("wire", "China warns NATO against creating chaos in Asia", NATO_A),
        article("outlet", "China rejects NATO's label", NATO_B),
        article("paper", "NATO is right to worry about China",
                "NATO's summit was right to call China an enabler of Russia's war in Ukraine. "
                "Beijing's warnings about chaos in Asia ring hollow.", opinion=True),
        article("paper", "Why we should all plant more trees",
                "Trees cool cities and gardens make people happy in the summer.", opinion=True),
    ]
    [story] = build_stories(arts, now=NOW)
    assert [o.title for o in story.opinions] == ["NATO is right to worry about China"]
    assert all("right to call" not in h for h in story.highlights)


def test_transcript_segments_join_their_stories_with_the_ministry_as_official_source() -> None:
    transcript = (
        "Spokesperson: Good afternoon. I have no announcements.\n"
        "Reporter: The NATO summit called China a decisive enabler of Russia's war. Your comment?\n"
        "Spokesperson: China urges NATO not to bring chaos to Asia. NATO is putting its own security "
        "above that of others, and China rejects being called an enabler of Russia's war in Ukraine.\n"
        "Reporter: A strong earthquake struck southern Peru. Has China offered help?\n"
        "Spokesperson: China expresses condolences to Peru over the earthquake in the Arequipa region "
        "and stands ready to help.\n"
        "Reporter: What is your view of the football final?\n"
        "Spokesperson: I have nothing to share on that.\n"
        "Reporter: What is your view of the visit to Brazil?\n"
        "Spokesperson: Foreign Minister Wang Yi will visit Brazil and Chile from August 3 to 8 at "
        "the invitation of both governments.")
    briefing = read_transcript(transcript)
    assert briefing is not None and briefing.questions == 4
    arts = [
        article("mfa", "Foreign Ministry Spokesperson's Regular Press Conference on July 12, 2024",
                transcript, official=True, hours=6),
        article("wire", "China warns NATO against creating chaos in Asia", NATO_A, hours=8),
        article("outlet", "China rejects NATO's label", NATO_B, hours=7),
        article("peru-news", "Strong quake hits southern Peru", QUAKE_1, hours=9),
    ]
    stories = build_stories(arts, now=NOW)
    nato = next(s for s in stories if any(src.name == "wire" for src in s.sources))
    assert nato.sources[0].name == "mfa" and nato.sources[0].official
    assert "Press Conference" not in nato.title
    assert not any("Your comment" in h for h in nato.highlights)
    peru = next(s for s in stories if any(src.name == "peru-news" for src in s.sources))
    assert any(src.name == "mfa" for src in peru.sources)
    # the answer on the visit joins no outlet's story: it is an official story of its own; the
    # greeting and the answer that says nothing are no story
    [visit] = [s for s in stories if s.kind == "official"]
    assert visit.title == "Mfa on the visit to Brazil"
    assert [h.attribution for h in visit.highlights] == ["Mfa spokesperson"]
    assert visit.highlights[0].startswith("Foreign Minister Wang Yi will visit Brazil and Chile")
    assert [s.kind for s in stories].count("news") == 2 and len(stories) == 3
    assert all("Good afternoon" not in " ".join(s.highlights) for s in stories)
    assert all("football" not in " ".join(s.highlights) for s in stories)
    # answers in a news story are attributed to the ministry, questions are never highlights
    assert all(h.attribution == "Mfa spokesperson" for h in nato.highlights if "mfa" in h.sources)
    assert all(h.attribution is None for h in nato.highlights if "mfa" not in h.sources)


def test_an_answer_that_declines_about_someone_reaches_the_reader_below_the_answers() -> None:
    transcript = (
        "Reporter: It is reported that North Korea is preparing for a visit by the Chinese leader. "
        "Any comment?\n"
        "Spokesperson: I have nothing to share.\n"
        "Reporter: What about the election?\n"
        "Spokesperson: I have nothing to share on that.\n"
        "Reporter: Ministers of the Gulf states met in Riyadh. How do you view the talks?\n"
        "Spokesperson: We have taken note of relevant reports. China supports the Gulf Cooperation "
        "Council in resolving differences through dialogue and consultation in Riyadh.")
    arts = [article("mfa", "Regular Press Conference on July 12, 2024", transcript, official=True)]
    stories = build_stories(arts, now=NOW)
    # the question named someone: what was said reaches the reader, as it was said, attributed;
    # the question about nothing in particular makes no story
    assert len(stories) == 2 and all(s.kind == "official" for s in stories)
    gulf, declined = stories
    # an answer that is only a formula is told as what it is
    assert declined.highlights == ("Declined to comment.",)
    assert declined.highlights[0].attribution == "Mfa spokesperson"
    assert "North Korea" in declined.title and declined.score < gulf.score
    # a formula is no highlight when the answer says something else
    assert gulf.highlights == ("China supports the Gulf Cooperation Council in resolving differences "
                               "through dialogue and consultation in Riyadh.",)


def test_articles_far_apart_in_time_are_not_merged() -> None:
    arts = [
        article("wire", "China warns NATO against creating chaos in Asia", NATO_A, hours=5),
        article("old", "China warns NATO against creating chaos in Asia", NATO_B, hours=200),
    ]
    assert len(build_stories(arts, now=NOW)) == 2


















def test_a_story_over_several_days_keeps_its_id_and_moves_its_update_time() -> None:
    day1 = [article("wire", "China warns NATO against creating chaos in Asia", NATO_A, hours=50),
            article("outlet", "China rejects NATO's label", NATO_B, hours=49)]
    [first] = build_stories(day1, now=NOW - timedelta(hours=48))
    follow_up = article("paper", "China and NATO trade barbs a second day",
                        "China's foreign ministry again warned NATO against bringing chaos to Asia, "
                        "a day after rejecting the summit's description of Beijing as an enabler of "
                        "Russia's war in Ukraine.\nNATO officials said the alliance stood by its declaration.",
                        hours=26)
    [later] = build_stories([*day1, follow_up], now=NOW)
    assert later.id == first.id
    assert later.first_published == first.first_published
    assert later.updated == NOW - timedelta(hours=26) > first.updated
    assert len(set(later.highlights)) == 3


MOROCCO_A = ("A powerful earthquake of magnitude 6.8 struck central Morocco late on Friday, killing "
             "more than 600 people and collapsing buildings in Marrakesh and mountain villages of the "
             "Atlas, the interior ministry said.\nRescue teams searched the rubble overnight as "
             "aftershocks shook Al Haouz province.")
MOROCCO_B = ("Rescuers in Morocco dug through rubble on Saturday after the strongest earthquake in "
             "decades killed hundreds in the High Atlas.\nKing Mohammed VI declared three days of "
             "mourning; villages south of Marrakesh were cut off by landslides.")
TAIWAN_A = ("A powerful earthquake of magnitude 7.4 struck eastern Taiwan on Saturday, killing nine "
            "people and damaging buildings in Hualien, officials said.\nRescue teams searched the "
            "rubble of a leaning tower as aftershocks shook the island.")
TAIWAN_B = ("Rescuers in Taiwan worked through the rubble on Sunday after the strongest earthquake in "
            "25 years killed nine and trapped hikers near Hualien.\nPresident Lai Ching-te visited the "
            "Taroko gorge, where landslides cut off roads.")


def test_the_prefix_index_finds_every_near_duplicate_a_full_comparison_finds() -> None:
    """Two hundred texts, each with a copy from another outlet an hour later that changes from two to
    eight of its 120 words and may lose its ending, near the thresholds either side: folding (an
    index of each text's smallest shingles only) must fold exactly what comparing every pair's
    shingles would."""
    from digest.stories.duplicates import fold_duplicates as _fold_duplicates
    from digest.stories.duplicates import shingles as _shingles
    from digest.stories.units import units_of as _units

    rng = random.Random(5)
    vocabulary = [f"w{n}" for n in range(400)]
    arts = []
    for n in range(200):
        words = rng.choices(vocabulary, k=120)
        arts.append(article(f"outlet{n % 3}", f"Text {n}", " ".join(words), hours=60 - n / 4))
        for position in rng.sample(range(120), rng.randint(2, 8)):
            words[position] = rng.choice(vocabulary)
        words = words[: rng.choice([120, 120, 90, 70, 55])]  # the ending trimmed, or not
        arts.append(article(f"outlet{n % 3 + 3}", f"Copy {n}", " ".join(words), hours=59 - n / 4))
    options = StoryOptions()
    units = _units(arts)
    canonical, folded = _fold_duplicates(units, options)
    found = {u.article.id: original[0] for original, copies in folded.items() for u in copies}

    # every pair compared, in the same order: official first, then by time
    ordered = sorted(units, key=lambda u: (not u.article.official, u.article.published, u.article.id))
    expected: dict[int, int] = {}
    kept_units: list = []
    jaccards = []
    shingles = {u.article.id: _shingles(u.text) for u in units}
    for unit in ordered:
        mine = shingles[unit.article.id]
        best, best_shared = None, 0
        for earlier in kept_units:
            other = shingles[earlier.article.id]
            shared = len(mine & other)
            containment = shared / min(len(mine), len(other))
            alike_sizes = min(len(mine), len(other)) >= options.duplicate_sizes * max(len(mine), len(other))
            if alike_sizes:
                jaccards.append(containment)
            if (shared > best_shared and containment >= options.duplicate and alike_sizes
                    and earlier.article.source != unit.article.source
                    and abs(earlier.article.published - unit.article.published) <= timedelta(hours=72)):
                best, best_shared = earlier, shared
        if best is None:
            kept_units.append(unit)
        else:
            expected[unit.article.id] = best.article.id
    assert found == expected
    assert len(canonical) == len(units) - len(expected)
    # the set holds copies above the threshold and pairs just below it
    assert len(expected) >= 50
    assert any(options.duplicate <= j < options.duplicate + 0.03 for j in jaccards)
    assert any(options.duplicate - 0.03 < j < options.duplicate for j in jaccards)


def test_two_events_of_the_same_kind_are_told_apart_by_their_names() -> None:
    arts = [
        article("wire", "Earthquake kills hundreds in Morocco", MOROCCO_A, hours=40),
        article("daily", "Morocco mourns as rescuers search rubble", MOROCCO_B, hours=30),
        article("herald", "Strong earthquake hits Taiwan", TAIWAN_A, hours=8),
        article("post", "Taiwan rescuers reach trapped hikers", TAIWAN_B, hours=5),
    ]
    def grouping(options: StoryOptions) -> list[list[str]]:
        stories = build_stories(arts, now=NOW, options=options)
        return sorted(sorted(s.name for s in story.sources) for story in stories)

    assert grouping(StoryOptions()) == [["daily", "wire"], ["herald", "post"]]
    assert grouping(StoryOptions(same_story=False)) == [["daily", "wire"], ["herald", "post"]]
    # the words alone mix the two earthquakes up
    assert grouping(StoryOptions(names_weight=0.0, same_story=False)) != [["daily", "wire"],
                                                                         ["herald", "post"]]


def test_an_article_placed_early_leaves_a_story_that_grew_into_another_event() -> None:
    """The confidence vote and the floods share only the government's report on the floods. In
    publication order the flood reports join the vote's story (on average similar enough while it
    is small); the refinement passes then see the vote alone among four reports on floods. With
    the same-story model, the government's report goes with the vote first; the refinement
    passes take it to the flood reports, which agree with it more."""
    arts = [
        article("wire", "Italian government survives confidence vote",
                "Prime Minister Giorgia Meloni's government in Rome survived a confidence vote in the "
                "Italian Senate on Tuesday, after a row over the budget.\nThe coalition's leaders said "
                "the government would present a revised budget to parliament next week.", hours=30),
        article("daily", "Italian government sends aid as floods hit Emilia-Romagna",
                "Prime Minister Giorgia Meloni's government in Rome declared a state of emergency on "
                "Wednesday as floods swept through Emilia-Romagna after days of torrential rain.\n"
                "Thousands of residents were evacuated from towns near Ravenna and Faenza.", hours=20),
        article("herald", "Floods in Emilia-Romagna force thousands from their homes",
                "Torrential rain caused rivers to burst their banks across Emilia-Romagna, flooding "
                "towns near Ravenna and Faenza and forcing thousands of residents to evacuate.\nRescue "
                "teams used boats to reach people stranded on rooftops.", hours=12),
        article("post", "Rescuers reach stranded residents in flooded Faenza",
                "Rescue teams in boats reached residents stranded on rooftops in Faenza as floodwater "
                "rose after the torrential rain.\nMore rain is forecast for Emilia-Romagna, where "
                "rivers burst their banks near Ravenna.", hours=6),
    ]
    def grouping(options: StoryOptions) -> list[list[str]]:
        stories = build_stories(arts, now=NOW, options=options)
        return sorted(sorted(s.name for s in story.sources) for story in stories)

    assert grouping(StoryOptions()) == [["daily", "herald", "post"], ["wire"]]
    # by similarity alone, only the refinement passes separate them
    assert grouping(StoryOptions(same_story=False)) == [["daily", "herald", "post"], ["wire"]]
    assert grouping(StoryOptions(same_story=False, refine_rounds=0)) == [["daily", "herald", "post",
                                                                         "wire"]]
    # the same-story model finds the flood aid likely the vote's story too (the same government,
    # the same prime minister); in the refinement it goes where more reports agree with it
    assert grouping(StoryOptions(refine_rounds=0)) == [["daily", "wire"], ["herald", "post"]]


def test_stop_words_of_the_article_language_do_not_count_as_shared_vocabulary() -> None:
    from digest.stories.similarity import name_terms as _names
    from digest.stories.similarity import word_terms as _terms

    assert _terms(("fr", "Les ministres des affaires étrangères se sont réunis")) == [
        "ministres", "affaires", "étrangères", "réunis"]
    assert "die" in _terms(("en", "Dozens die in floods"))  # an English verb, not a German article
    assert _terms(("de", "Die Minister und die Gäste")) == ["minister", "gäste"]
    assert _names(("ru", "Москва заявила, что Лавров встретится с Блинкеном 12 января.")) == [
        "лавров", "блинкеном", "12"]




def test_a_storys_title_follows_its_latest_development_when_outlets_agree() -> None:
    visit = ("Chinese President Xi Jinping arrived in Pyongyang for a state visit to North Korea. "
             "Kim Jong Un greeted Xi at the airport in Pyongyang.")
    landed = ("Xi Jinping landed in Pyongyang on Monday on a state visit, the Chinese leader's first "
              "to North Korea since 2019, and was met by Kim Jong Un.")
    treaty = ("Xi Jinping and Kim Jong Un signed a friendship treaty in Pyongyang at the end of "
              "Xi's state visit to North Korea. Kim thanked Xi for China's support.")
    signed = ("Kim Jong Un and Xi Jinping put their names to a friendship treaty in Pyongyang on "
              "Tuesday as the Chinese leader's state visit to North Korea ended.")
    greeted = ("Kim Jong Un greeted Chinese President Xi Jinping at Pyongyang airport as Xi began a "
               "state visit to North Korea, his first since 2019.")
    day_one = [article("wire", "Xi Jinping arrives in Pyongyang for state visit", visit, hours=40),
               article("courier", "Xi arrives in Pyongyang on state visit", landed, hours=39),
               article("daily", "Kim greets Xi as he arrives in Pyongyang", greeted, hours=38)]
    one_outlet = [article("wire", "Xi and Kim sign friendship treaty", treaty, hours=3)]
    both = [*one_outlet, article("herald", "Xi, Kim sign friendship treaty in Pyongyang", signed, hours=2)]
    [alone] = build_stories(day_one + one_outlet, now=NOW)
    assert len(alone.sources) == 4 and "arrives" in alone.title  # one outlet: not the story's yet
    [agreed] = build_stories(day_one + both, now=NOW)
    assert len(agreed.sources) == 5 and "friendship treaty" in agreed.title


def test_the_same_story_model_tells_events_apart_and_ranks_pairs() -> None:
    import numpy as np

    from digest import vectors
    from digest.stories.similarity import PairFeatures, same_story_probability

    texts = [("en", "Earthquake kills hundreds in Morocco", MOROCCO_A),
             ("en", "Morocco mourns as rescuers search rubble", MOROCCO_B),
             ("en", "Strong earthquake hits Taiwan", TAIWAN_A)]
    features = PairFeatures.of_texts(texts, vectors.encode([vectors.article_passage(title, text)
                                                            for _, title, text in texts]))
    probabilities = same_story_probability(features.features(0, np.array([1, 2])))
    assert probabilities.shape == (2,) and ((probabilities > 0) & (probabilities < 1)).all()
    assert probabilities[0] > probabilities[1]  # the two Morocco reports, above the two quakes
    # pair by pair the model may rank two quakes above two reports of one; on average over a
    # story's members, with the refinement passes, the events are told apart
    arts = [
        article("wire", "Earthquake kills hundreds in Morocco", MOROCCO_A, hours=40),
        article("daily", "Morocco mourns as rescuers search rubble", MOROCCO_B, hours=30),
        article("herald", "Strong earthquake hits Taiwan", TAIWAN_A, hours=8),
        article("post", "Taiwan rescuers reach trapped hikers", TAIWAN_B, hours=5),
    ]
    stories = build_stories(arts, now=NOW, options=StoryOptions())
    assert sorted(sorted(s.name for s in story.sources) for story in stories) == [
        ["daily", "wire"], ["herald", "post"]]




def test_a_republished_wire_report_with_a_new_headline_trimmed_and_added_to_is_one_copy() -> None:
    report = ("BEIJING, July 11 (Wire) - China warned NATO on Thursday against bringing chaos to Asia, "
              "after the alliance's summit in Washington called China a decisive enabler of Russia's war "
              "in Ukraine.\nChina's foreign ministry said NATO was putting its own security above that of "
              "others and should stop interfering in the Asia-Pacific region, and that it would take "
              "measures to safeguard its sovereignty.\nThe summit declaration accused Beijing of "
              "supplying Russia's defence industry with machine tools and electronics.\nNATO leaders "
              "also agreed to deepen ties with Japan, South Korea, Australia and New Zealand.\nChina has "
              "repeatedly rejected the charge and says it is neutral in the war.")
    paragraphs = report.split("\n")
    republished = "\n".join([*paragraphs[:3], "Our correspondent in Brussels contributed to this report.",
                             paragraphs[3]])  # the last paragraph trimmed, one added
    arts = [article("wire", "China warns NATO against creating chaos in Asia", report, hours=8),
            article("portal", "Beijing hits back at NATO summit", republished, hours=6)]
    [story] = build_stories(arts, now=NOW)
    assert [s.name for s in story.sources] == ["wire"] and story.similar_count == 1


def test_a_summit_and_drills_by_two_of_its_subjects_stay_two_stories() -> None:
    """The same topic (NATO, China, Russia's war) is no evidence of the same event: the drills
    near the Polish border, reported as the summit met, stay their own story."""
    arts = [
        article("wire", "NATO leaders open Washington summit with pledge on Ukraine",
                "NATO leaders opened their summit in Washington on Tuesday with a pledge of long-term "
                "military aid for Ukraine.\nSecretary General Jens Stoltenberg said the alliance would set "
                "up a command in Germany to coordinate weapons deliveries. The 32 allies are expected to "
                "call China a decisive enabler of Russia's war.", hours=30),
        article("daily", "Summit declaration calls China a decisive enabler of Russia's war",
                "The declaration adopted by NATO leaders at the Washington summit called China a decisive "
                "enabler of Russia's war against Ukraine.\nAllies also agreed on a pledge of at least 40 "
                "billion euros in military aid next year, Stoltenberg said.", hours=24),
        article("herald", "China and Belarus hold military drills near Polish border",
                "Chinese and Belarusian troops began joint military drills near the border with Poland on "
                "Monday, as NATO leaders gathered in Washington.\nThe exercises near Brest, a few "
                "kilometres from the Polish frontier, will last 11 days, the Belarusian defence ministry "
                "said.", hours=20),
        article("post", "Poland watches Chinese troops drilling in Belarus",
                "Poland said it was closely watching joint drills by Chinese and Belarusian soldiers near "
                "Brest, close to its border.\nThe Belarusian defence ministry said the 11-day exercise "
                "would practise night landings and urban combat.", hours=10),
    ]
    for options in (StoryOptions(), StoryOptions(same_story=False)):
        stories = build_stories(arts, now=NOW, options=options)
        assert sorted(sorted(s.name for s in story.sources) for story in stories) == [
            ["daily", "wire"], ["herald", "post"]]
