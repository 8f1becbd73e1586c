"""Stories across languages and scripts: one event reported in several languages is one story, told to each reader in theirs; Chinese and Japanese reports group by event."""

from __future__ import annotations

from digest.domain import Story
from digest.stories import StoryOptions, build_stories
from tests.story_texts import (
    NATO_A,
    NATO_B,
    NOW,
    QUAKE_1,
    QUAKE_2,
    QUAKE_EN,
    QUAKE_RU,
    QUAKE_ZH,
    TARIFF_ZH,
    article,
)


def test_one_event_in_several_languages_is_one_story_told_in_english() -> None:
    arts = [
        article("peru-news", "Strong quake hits southern Peru", QUAKE_1, hours=9),
        article("andes-wire", "Magnitude 7.1 quake hits Peru's Arequipa region", QUAKE_EN, hours=8.5),
        article("xinhua-zh", "秘鲁南部发生强烈地震", QUAKE_ZH, hours=8, language="zh"),
        article("tass-ru", "Землетрясение в Перу", QUAKE_RU, hours=7, language="ru"),
        article("people-zh", "美国宣布对60个经济体加征关税", TARIFF_ZH, hours=8, language="zh"),
        # the rest of the day's news, a quake elsewhere among it
        article("wire", "China warns NATO against creating chaos in Asia", NATO_A, hours=5),
        article("outlet", "China rejects NATO's label", NATO_B, hours=6),
        article("japan-news", "Quake shakes northern Japan", QUAKE_2, hours=7),
    ]
    stories = build_stories(arts, now=NOW)
    [quake] = [s for s in stories if any(src.name == "peru-news" for src in s.sources)]
    assert {src.name for src in quake.sources} == {"peru-news", "andes-wire", "xinhua-zh", "tass-ru"}
    # written in English, the reader's language, with every language's report listed
    assert quake.language == "en" and "quake hits" in quake.title
    assert all(h.sources[0] in ("peru-news", "andes-wire") for h in quake.highlights)
    assert quake.coverage["languages"] == {"en": 2, "ru": 1, "zh": 1}
    # another event in Chinese stays its own story, in Chinese
    [tariffs] = [s for s in stories if any(src.name == "people-zh" for src in s.sources)]
    assert len(tariffs.sources) == 1 and tariffs.language == "zh"
    # turned off, every language keeps its own stories
    assert not any(src.name == "japan-news" for src in quake.sources)
    # a reader of Russian gets the story (one of its reports is Russian), not the Chinese one
    from datetime import time

    from digest.domain import Subscriber
    from digest.edition import matches

    reader = Subscriber(id=1, email="r@example.org", timezone="UTC", send_at=time(7),
                        max_stories=10, languages=("ru",))
    assert matches(quake, reader) and not matches(tariffs, reader)
    # ... told in Russian, from the Russian report: a reader of Chinese gets the Chinese one
    assert [v.language for v in quake.versions] == ["ru", "zh"]
    in_russian = quake.in_language(reader.languages)
    assert in_russian.language == "ru" and "Перу" in in_russian.title
    assert all(h.sources == ("tass-ru",) for h in in_russian.highlights)
    in_chinese = quake.in_language(["zh", "en"])
    assert in_chinese.title == "秘鲁南部发生强烈地震" and in_chinese.highlights[0].sources == ("xinhua-zh",)
    assert in_chinese.in_language(["en"]).title == quake.title  # and back
    assert quake.in_language(["en", "zh"]) is quake and tariffs.in_language(["en"]) is tariffs
    assert Story.from_snapshot(quake.snapshot()) == quake
    apart = build_stories(arts, now=NOW, options=StoryOptions(cross_language=False))
    assert len(apart) == len(stories) + 2


def test_chinese_and_japanese_articles_group_by_event() -> None:
    nato_zh_1 = ("中国外交部发言人表示，北约华盛顿峰会宣言称中国是俄罗斯战争的决定性推动者，中方坚决反对。"
                 "发言人敦促北约停止制造对抗，不要把混乱带到亚太地区。")
    nato_zh_2 = ("针对北约峰会宣言，中国外交部回应称，北约把自身安全凌驾于他国安全之上。"
                 "中方坚决反对北约插手亚太事务，敦促北约不要把混乱带到亚洲。")
    flood_zh = ("中国南方多地遭遇强降雨，江西和湖南部分地区发生洪涝灾害。"
                "应急管理部启动四级应急响应，救援人员连夜转移受灾群众。")
    quake_ja = ("北海道で震度5強の地震があり、新幹線が一時運転を見合わせた。"
                "気象庁は津波注意報を発表したが、約1時間後に解除した。")
    quake_ja_2 = ("気象庁によると、北海道で発生した地震の規模はマグニチュード6.2と推定される。"
                  "この地震で新幹線が一時止まり、津波注意報が出された。")
    arts = [
        article("zh-a", "中方回应北约峰会宣言", nato_zh_1, hours=5, language="zh"),
        article("zh-b", "外交部：北约不要把混乱带到亚洲", nato_zh_2, hours=4, language="zh"),
        article("zh-c", "南方强降雨引发洪涝灾害", flood_zh, hours=3, language="zh"),
        article("ja-a", "北海道で震度5強", quake_ja, hours=3, language="ja"),
        article("ja-b", "北海道地震 M6.2と推定", quake_ja_2, hours=2, language="ja"),
    ]
    groups = sorted(sorted(s.name for s in story.sources) for story in build_stories(arts, now=NOW))
    assert groups == [["ja-a", "ja-b"], ["zh-a", "zh-b"], ["zh-c"]]
    nato = next(s for s in build_stories(arts, now=NOW) if len(s.sources) == 2 and s.language == "zh")
    assert all("。" not in h[:-1] for h in nato.highlights)  # one sentence each
