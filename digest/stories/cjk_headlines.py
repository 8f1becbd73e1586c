"""Headlines in Chinese and Japanese, for what only a government said (see
:mod:`digest.stories.headlines`, which calls :func:`cjk_headline`): the answer's first short
sentence that states something, its government's "we" ("我们", "我方", "我が国としては") turned
into the country (one that does not open on the government told as its: "中国：台湾是…",
"日本「…は極めて遺憾です」"),
a long stance cut to its first clause (Chinese) or to its topic and its end
(Japanese: "北朝鮮による弾道ミサイルの発射は、…ものであり、極めて遺憾です" -> "…発射は極めて遺憾です");
else what was asked about ("中国就X表态", "日本、Xについて見解"), or in Japanese the official's
own point ("1点目は、フィリピン訪問についてです" -> "日本、フィリピン訪問について発表")."""

from __future__ import annotations

import re

from digest.sentences import compress, formula_kind, is_question, needs_antecedent, talks_to_the_room
from digest.stories.units import Unit
from digest.text import is_cjk

__all__ = ["cjk_headline"]

_MAX_CJK_CHARS = 28
# what a Chinese question is about: "关于X，", "对于X", "就X有何评论" (not 就业, 就是, 成就)
_ZH_ABOUT = re.compile(r"(?:关于|对于|(?<![成造迁])就(?![业是要会在算像连读诊近地医位绪职]))\s*"
                       r"(?P<subject>[^，。？,?\s]{2,16}?)\s*"
                       r"(?=表示|发表|作出|有何|有什么|是否|介绍|说明|透露|谈谈|评论|回应|[，。？,?]|$)")


def cjk_headline(unit: Unit, language: str, who: str) -> str | None:
    """A Chinese (or Japanese) headline: the answer's first short sentence that states something
    (not a formula: "我此前回答过这个问题"; not the official's talk: "私から2点申し上げます"), else
    what was asked about: "<country>就<subject>表态", "<country>、<subject>について見解"."""
    from digest.stories.headlines import attributed, readable

    said = unit.said
    for sentence in re.split(r"(?<=[。！])", said)[:4]:
        sentence = compress(_CJK_OPENER.sub("", sentence.strip())).rstrip("。！")  # "我们想指出的是，" goes
        if talks_to_the_room(sentence):
            continue
        if sentence.startswith("我们") or sentence.startswith("我方"):  # "we" is the government
            sentence = who + sentence[2:]
        if language == "ja":  # Japanese only: a Chinese "政府…" is no "日本は…"
            sentence = _JA_WE.sub(who + "は", sentence)  # "我が国としては、…" -> "日本は…"
            if len(sentence) > _MAX_CJK_CHARS:  # "…発射は、…ものであり、極めて遺憾です": its topic, its end
                sentence = _JA_ALSO_CLAUSE.sub(r"\1", sentence, count=1)
        if len(sentence) > _MAX_CJK_CHARS and sentence.startswith((who, "中方")):
            # the government's stance, its first clause: "中方支持巴基斯坦、卡塔尔等方所作斡旋努力，希望…"
            sentence = sentence.split("，", 1)[0]
            if _OPENS_ONLY.search(sentence):  # "中方始终认为", "中国作为负责任大国": what it holds
                continue  # comes after
        if 6 <= len(sentence) <= _MAX_CJK_CHARS and readable(sentence) and \
                not formula_kind(sentence) and not needs_antecedent(sentence) and \
                not is_question(sentence) and sum(map(is_cjk, sentence)) >= 4:
            # the government's words as its, not the digest's: "台湾是…" -> "中国：台湾是…", and in
            # Japanese as its words are quoted: "日本「北朝鮮による弾道ミサイルの発射は極めて遺憾です」"
            return attributed(sentence, who, said, language)
    question = unit.part.question if unit.part else ""
    if language == "ja":  # asked about ("…の見解"), or the official's own point: "1点目は、…についてです"
        found = _JA_ABOUT.search(question or "") or _JA_ABOUT.search("。".join(said.split("。")[:2]))
        return f"{who}、{found.group('subject')}について{'見解' if question else '発表'}" if found else None
    found = _ZH_ABOUT.search(question or "")
    if found:
        return f"{who}就{re.sub(r'的?(?:表态|评论|回应|立场)$', '', found.group('subject'))}表态"
    return None


# a first clause that only opens what the sentence says: a verb whose object is the next clause
# ("中方始终认为，…"), a time ("中国注意到一段时间以来，…"), the government "as" something ("中国作为…，")
_OPENS_ONLY = re.compile(r"(?:认为|注意到|表示|指出|强调|相信|主张|坚信|看到|了解到|获悉|希望|呼吁|以来|期间|"
                         r"之际)$|^(?:中国|中方)(?:\w{0,2})?作为")
# Japanese: the government's "we" ("我が国としては、"), and what a question or a point is about
_JA_WE = re.compile(r"^(?:我が国|日本政府|政府)(?:として)?(?:も|は)?、?")
# a clause that goes on to the sentence's own end ("…に違反するものであり、"): the topic and the end say it
_JA_ALSO_CLAUSE = re.compile(r"^([^、。]{2,30}は)、[^、。]{2,40}?(?:であり|ており|であって)、")
_JA_ABOUT = re.compile(r"(?:^|[、。は])(?P<subject>[^、。は]{2,24}?)(?:について|に関して|の件で)")


# what opens an answer before what it says: "关于…，", "第一个问题，", "第二，"
_CJK_OPENER = re.compile(r"^(?:关于[^，。]{1,40}，|第[一二三四五]个?问题[，,：:]"
                         r"|(?:第[一二三四五]|首先|其次|另外)[，,、])+")
