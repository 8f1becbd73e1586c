"""Headlines for what only a government said: a briefing's answers and announcements that no
outlet has reported. A headline says who and what, in at most ``MAX_WORDS`` words, never a
sentence cut off, never a courtesy:

1. the government's own statement of its position, when a short sentence of the answer makes it
   ("China firmly opposes NATO's interference in Asia-Pacific affairs"), its "we" or "the
   Chinese side" turned into the country (or, without one, the source: "The White House");
2. else what was asked about, as the question names it ("The White House on the Summit for
   Democracies", "China on Lithuania's chargé d'affaires office"; in Spanish, French and German
   after "sobre", "sur", "zur" …: "España, sobre la reunión con el canciller argentino");
3. else the answer's first short sentence that says something of its own, not a formula, told as
   the government's where it does not open on its name ("China says Taiwan is …": the digest
   states no government's position as fact; in another language, quoted under its name);
4. else the names the exchange turns on ("China on Qeshm Island and NATO");
5. else the government's stance, even one that names nothing else ("China opposes all forms of
   unilateral tariff measures"); a long one as a headline says it, without "always" and a closing
   ", including …", and a Chinese one its first clause (a Japanese one its topic and its end:
   "北朝鮮による弾道ミサイルの発射は極めて遺憾です");
6. and when the question's own words give no headline either (:mod:`digest.stories.titles`), the
   country it is about ("China on Venezuela"), before the last resort, who spoke and when.

The government speaks, not its spokesperson: the country (or the source) is named, as a
reader of news expects, and no name order has to be guessed.

Called by :mod:`digest.stories.titles` for stories made only of briefing segments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from digest.clauses import aside_alone, has_verb
from digest.languages import country_name
from digest.sentences import (
    compress,
    formula_kind,
    is_ended,
    is_question,
    names_only,
    names_something,
    needs_antecedent,
    speaks_for_itself,
    split_addressee,
    split_sentences,
    talks_to_the_room,
)
from digest.stories.cjk_headlines import cjk_headline
from digest.stories.names import BARE_TITLES, exchange_names, initials, is_place
from digest.stories.subjects import OPENER, POINTING_IN, about_in, asked_about, names_a_subject
from digest.stories.units import Unit
from digest.text import stop_words, word_count

__all__ = ["MAX_WORDS", "OPENER", "attributed", "briefing_headline", "government", "official_headline",
           "place_headline", "quoted_headline", "readable", "someone_unnamed"]

MAX_WORDS = 14

# "we" and "the Chinese side" speak for the government
_WE = re.compile(r"^(?P<we>we|the (?:chinese|russian|japanese) side|our side)"
                 r"(?P<contraction>['’](?:re|ve|ll))?\b", re.IGNORECASE)
_CONTRACTED = {"'re": "is", "'ve": "has", "'ll": "will"}
_MODAL = frozenset({"will", "would", "can", "could", "must", "should", "may", "might", "did", "had",
                    "cannot"})
def official_headline(units: Sequence[Unit], *, language: str | None) -> str | None:
    """A headline for a story made of briefing segments (``units``, most central first), in
    ``language``; None when nothing fits (the caller falls back to what it has)."""
    first = _first(units)
    if language and language[:2] in ("zh", "ja"):
        return cjk_headline(first, language[:2], government(first, language[:2]))
    if language and language[:2] != "en":  # a statement of its own, else what was asked about
        code = language[:2]
        about = about_in(first.part.question or "", government(first, code), code) if first.part else None
        statement = _position(first, anything=True, language=code)
        return (attributed(statement, government(first, code), first.said, code) if statement else None) or (
            _fit(about) if about else None)
    who = government(first)
    position = _position(first)
    if position:
        return attributed(position, who, first.said)
    asked = first.part.question if first.part and first.part.question else None
    subject = asked_about(asked) if asked else asked_about(first.said, opening=True)
    # the whole subject, else what comes before its "and" ("guns | and get your response to …")
    for about in (subject, subject.split(" and ")[0]) if subject else ():
        if names_a_subject(about, who) and (headline := _fit(f"{who} on {about}")):
            return headline
    statement = _position(first, anything=True)
    if statement:
        return attributed(statement, who, first.said)
    names = [n for n in _subjects(first, who) if " " in n or n.isupper()]  # "Qeshm Island", "NATO"
    said = f"{first.part.question or ''} {first.part.answer}" if first.part else first.text
    # a second name, not one the first holds ("Sberbank and VTB" and "VTB"; "Prime Minister Kishida"
    # and "President Kishida": one man; "Japan Liberal Democratic Party" and "LDP": one party), nor
    # one that describes it ("Kaja Kallas, the EU High Representative for Foreign Affairs"); none after
    # a first that is two already ("Governor Cuomo and President Biden and Vice President Harris")
    other = next((n for n in names[1:2] if not _one_name(n, names[0]) and " and " not in names[0]
                  and not re.search(rf"{re.escape(names[0])},\s+the\s+{re.escape(n)}", said)), None)
    for some in ([names[0], other] if other else [], names[:1]):  # two names when they fit, else the first
        for said_as in (lambda n: _with_article(n, said), str):  # with their "the", else without it
            # a second that is two itself ends the list: "NATO Allies, Hungary and Turkey"
            joined = ", " if len(some) == 2 and " and " in some[1] else " and "
            if some and (headline := _fit(f"{who} on {joined.join(map(said_as, some))}")):
                return headline
    for unit in units:  # its stance even where it names nothing: "China opposes unilateral tariffs"
        statement = _position(unit, plain=True)
        if statement:
            return statement
    return None


def attributed(statement: str, who: str, said: str, language: str = "en") -> str:
    """The government's statement told as its own where it does not open on its name: the digest
    states no position as fact ("Taiwan is an inalienable part of China's territory" -> "China says
    Taiwan is …", else, where that is too long, quoted under its name: "China: “…”"; "中国：台湾是…",
    "日本「…」"). What it says it is or has is its claim ("China says it has indisputable sovereignty
    …"); what it does is its act ("China opposes …"). As it is where nothing fits."""
    if language in ("zh", "ja"):  # as cjk_headline() tells it: "中国：台湾是…", "日本「…遺憾です」"
        if statement.startswith((who, "中方", "政府")):
            # what it says it is or has is its claim ("中国：中国和缅甸是传统友好邻邦",
            # "中国：中国在台湾岛以东海域拥有专属经济区"); what it does is its act ("中方谴责…")
            claim = language == "zh" and _ZH_CLAIM.match(statement) is not None
            return f"{who}：{statement}" if claim else statement
        return f"{who}「{statement}」" if language == "ja" else f"{who}：{statement}"
    if language != "en":
        if statement.startswith((who, who.removeprefix("The "))):
            return statement
        from digest.i18n import CATALOGS, gettext, speaking

        with speaking(language if language in CATALOGS else "en"):
            return _fit(gettext("%(who)s: “%(said)s”") % {"who": who, "said": statement}) or statement
    for name in (who, who.removeprefix("The ")):
        if statement.startswith(name):
            # what the government does ("China opposes …", "… is closely following …") is its own
            # act; what it says it is or has is its claim ("China has indisputable sovereignty over
            # Huangyan Dao" -> "China says it has …")
            rest = statement[len(name):]  # ("it" is the government here, as readable() cannot know)
            if _PAIR_CLAIM.match(rest):  # "China and Myanmar are traditional friends, neighbors and …"
                return (_fit(f"{who} says {statement}") or _fit(f"{who}: “{statement}”")
                        or _first_clause(statement, who, said))
            if not (_CLAIM.match(rest) and not _STANCE.match(rest)):
                return statement
            claimed = f"{who} says it{rest}"
            return (claimed if word_count(claimed) <= MAX_WORDS and readable(statement)
                    else _first_clause(statement, who, said))
    first, _, rest = statement.partition(" ")
    # its first word as it is inside a sentence: a word the exchange writes in lower case too ("The",
    # "There's", "look") loses its capital, a name keeps it ("Taiwan", "Dr. Fauci")
    base = re.sub(r"['’]\w+$", "", first)
    common = (base.lower() in stop_words("en")
              or re.search(rf"\b{re.escape(base.lower())}\b", said) is not None)
    # where "says" makes it too long, the statement quoted under the name ("China: “The United States
    # should stop politicizing …”"): told bare, it had stood in the digest's voice
    return (_fit(f"{who} says {first[:1].lower() + first[1:] if common else first} {rest}")
            or _fit(f"{who}: “{statement}”") or _first_clause(statement, who, said))


def _first_clause(statement: str, who: str, said: str) -> str:
    """Where the statement is too long to be told as the government's, its first clause, if that
    says something whole ("China and Myanmar are traditional friends, neighbors and a community with a
    shared future" -> "China says China and Myanmar are traditional friends"); else the statement as
    it is."""
    head, *rest = re.split(r"[,;]\s+", statement, maxsplit=1)
    # (not a comma that opens an aside another closes: "to New Delhi, India, to attend …")
    # (with a verb to say it with: "China and Myanmar are traditional friends", not "At the invitation
    # of President Xi Jinping")
    if rest and "," not in rest[0] and word_count(head) >= 4 and has_verb(head) and readable(head):
        told = attributed(head, who, said)
        if told != head:
            return told
    return statement


# what a government says it is or has, after its name: "is" or "are" (not "is closely following"),
# "has (long) been", "has" and a noun ("has indisputable sovereignty"), not "has sent"
_CLAIM = re.compile(r"^\s+(?:(?:is|are|was|were)\b(?!\s+(?:\w+ly\s+)?\w+ing\b)"
                    r"|(?:has|have|had)\s+(?:(?:always|long|never)\s+)?been\b"
                    r"|(?:has|have)\s+(?!(?:\w+ly\s+)?(?:\w+ed|\w+en|made|sent|held|met|told|given|taken|done|put|"
                    r"set|kept|paid|brought|sought|lent|spent|built|won|led|left|lost|got|had|begun|become)\b))",
                    re.IGNORECASE)


# what a government says it and another are: "China and Myanmar are traditional friends" (not "China
# and Russia oppose …", nor "are working …")
_PAIR_CLAIM = re.compile(r"^(?:,\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)*\s+and\s+(?:the\s+)?[A-Z][\w-]*"
                         r"(?:\s+[A-Z][\w-]*)*\s+(?:are|were)\b(?!\s+(?:\w+ly\s+)?\w+ing\b)")
# and in Chinese, its first clause's "是" (is), "拥有"/"享有" (has), "属于" (belongs to), with no act before
# it ("中方愿…", "中国希望…", "中方始终认为…")
_ZH_ACTS = "希望|支持|反对|愿|谴责|注意到|关注|欢迎|坚持|认为|奉劝|表示|要求|呼吁|敦促"
_ZH_CLAIM = re.compile(rf"^(?:中国|中方)(?:(?!{_ZH_ACTS})[^，。；：])*?(?:是(?!否)|拥有|享有|属于)")


# a name of an office or a body, as English says it with "the" ("the Prime Minister of Japan", "the ASEAN
# Regional Forum"), unlike a person's or a country's ("Premier Li", "NATO")
_OFFICE = re.compile(r"\s(?:of|for)\s|\s(?:Forum|Union|Council|Ministry|Government|Assembly|Organi[sz]ation|"
                     r"Court|Commission|Parliament|Congress|Senate|Agency|Bank|Fund|Conference|Summit|Committee)$")
# what follows a name that is a whole noun phrase: not "the Build Back Better | agenda"
_PHRASE_ENDS = (r"(?:\s*[,.;:?!)]|\s+(?:and|or|of|in|on|about|to|is|are|was|were|has|have|had|will|would|"
                r"that|which|who|for|with|at|by|from|as)\b)")


def _with_article(name: str, said: str) -> str:
    """``name`` with the "the" it had where it was said: an office's or a body's, and any other
    name of several words said with "the" as a whole ("the Middle East", "the State Department")."""
    named = rf"\bthe\s+{re.escape(name)}"
    office = _OFFICE.search(name) and re.search(rf"{named}\b", said, re.IGNORECASE)
    whole = " " in name and re.search(named + _PHRASE_ENDS, said, re.IGNORECASE)
    return f"the {name}" if office or whole else name


def _one_name(a: str, b: str) -> bool:
    """Whether two names name one: the words of one are the other's, or one is the other's
    initials ("LDP", "Japan Liberal Democratic Party")."""
    if _proper_words(a) <= _proper_words(b) or _proper_words(b) <= _proper_words(a):
        return True
    short, long = sorted((a, b), key=len)
    return " " not in short and short.replace(".", "").isupper() and initials(short) in initials(long)


def _proper_words(name: str) -> set[str]:
    """The words of a name that are its own, not a title or a joining word."""
    return {w.lower() for w in name.split()} - BARE_TITLES


def place_headline(units: Sequence[Unit]) -> str | None:
    """Before the last resort: the country or territory the exchange names most ("China on
    Venezuela", "The White House on Ukraine"), in English. One capitalised word may be no name
    ("Sure", "Hispanics"); a country's is one."""
    first = _first(units)
    if (first.article.language or "en")[:2] != "en":
        return None
    who = government(first)
    places = [n for n in _subjects(first, who) if is_place(n)]
    return _fit(f"{who} on {places[0]}") if places else None


def _subjects(unit: Unit, who: str) -> list[str]:
    """The names the exchange turns on that can be its subject: not the government itself."""
    own = who.removeprefix("The ")  # and not its country however written ("U.S.", "United States")
    return [n for n in exchange_names(unit, who) if names_a_subject(n, who)
            and not set(own.lower().split()) & set(n.lower().split())
            and not (_proper_words(own) and _one_name(n, own))]


def quoted_headline(units: Sequence[Unit]) -> str | None:
    """Before the last resort, where "… on …" is no headline (not English): who spoke, and the first
    short sentence of the answer that says something, quoted ("Россия: «Ответные меры будут приняты»";
    "Россия на брифинге 3 июня" had titled every story of the briefing)."""
    from digest.i18n import CATALOGS, gettext, speaking

    first = _first(units)
    code = (first.article.language or "en")[:2]
    if code in ("en", "zh", "ja"):
        return None
    written = code if code in CATALOGS else "en"  # where the digest has no catalog, English quotes
    said = first.said
    who = government(first, written)
    for sentence in split_sentences(said)[:4]:
        if not is_ended(sentence) or is_question(sentence) or sentence[:1].islower():  # taken up mid-phrase
            continue
        sentence = compress(OPENER.sub("", sentence.strip())).rstrip(".!।").strip()
        head, colon, tail = sentence.partition(":")
        if colon and (talks_to_the_room(head) or speaks_for_itself(head)):  # "Ich habe eine Ankündigung: …"
            sentence = tail.strip()
        if word_count(sentence) > MAX_WORDS - 2:  # its first clause, when that says something whole
            sentence = re.split(r"\s*[,;،؛]\s+", sentence, maxsplit=1)[0]
        if (talks_to_the_room(sentence) or formula_kind(sentence) or needs_antecedent(sentence)
                or _BROKEN_OFF.search(sentence) or not 4 <= word_count(sentence) <= MAX_WORDS - 2):
            continue
        with speaking(written):
            return gettext("%(who)s: “%(said)s”") % {"who": who, "said": sentence}
    return None


def briefing_headline(units: Sequence[Unit]) -> str:
    """The last resort, when nothing the segments say makes a headline: who spoke, and when, in
    the briefing's language ("The White House at its March 29 briefing", "中国6月30日例行记者会")."""
    from babel.dates import format_skeleton

    from digest.i18n import CATALOGS, gettext, speaking

    first = _first(units)
    when = first.article.published
    code = (first.article.language or "en")[:2]
    if code not in CATALOGS:  # a language the digest does not write in: all of it in English
        code = "en"  # ("भारत at its 3 जून briefing" mixed two)
    with speaking(code):
        try:
            day = format_skeleton("MMMMd", when, locale=code) if code != "en" else f"{when:%B} {when.day}"
        except (ValueError, LookupError):  # a language Babel does not write dates in
            code, day = "en", f"{when:%B} {when.day}"
        return gettext("%(who)s at its %(day)s briefing") % {"who": government(first, code), "day": day}


def _first(units: Sequence[Unit]) -> Unit:
    """The story's earliest segment: the exchange its headline tells."""
    return min(units, key=lambda u: (u.article.published, u.article.id, u.segment))


def government(unit: Unit, language: str = "en") -> str:
    """Who a government's "we" is: its country, else the source ("The White House")."""
    country = unit.article.country
    if country:
        name = country_name(country, language)
        if name:  # "The United States on Ukraine", as English says the name
            return f"The {name}" if language == "en" and _TAKES_THE.search(name) else name
    return unit.article.source_title or unit.article.source


# the English names of countries said with "the": "the United States", "the Philippines"
_TAKES_THE = re.compile(r"\b(?:United|Republic|Kingdom|Islands|States|Emirates|Federation)\b"
                        r"|^(?:Netherlands|Philippines|Bahamas|Maldives|Seychelles|Comoros|Gambia)$")


def _position(unit: Unit, *, anything: bool = False, plain: bool = False, language: str = "en") -> str | None:
    """The first short sentence of the answer in which the government states its position,
    "we" turned into its name, and names someone or something besides; with ``plain``, even
    one that names nothing else ("China opposes all forms of unilateral tariff measures");
    with ``anything``, the first short one that says something of its own (no formula,
    nothing that points back to a sentence before it)."""
    said = unit.said
    who = government(unit, language)
    for sentence in split_sentences(said)[:4]:
        if not is_ended(sentence):  # a heading, a time: no statement
            continue
        sentence = compress(OPENER.sub("", sentence.strip())).rstrip(".!。।").strip()
        if talks_to_the_room(sentence):  # "صباح الخير، وأهلاً بكم…": the briefing's welcome
            continue
        if _WE.match(sentence) or sentence.startswith(who):  # its verb next: what follows may go
            sentence = _headline_cut(sentence)
        if formula_kind(sentence) or needs_antecedent(sentence) or names_only(sentence):
            continue
        we = _WE.match(sentence)
        if we:
            sentence = _speaking_for(who, sentence, we)
        elif speaks_for_itself(sentence) if anything else not sentence.startswith(
                (who, who.removeprefix("The "))):
            continue
        if (4 <= word_count(sentence) <= MAX_WORDS and not is_question(sentence) and readable(sentence)
                and not (language == "en" and aside_alone(sentence))
                and (_stance(sentence[len(who):]) if plain else names_something(sentence[len(who):]))
                and not someone_unnamed(sentence) and not _THAT_THING.search(sentence)
                and (language == "en" or not POINTING_IN.search(sentence))):  # "ces tirs"
            return sentence[:1].upper() + sentence[1:]
    return None


# what a government's stance is said with, a sentence that states one opens so ("China opposes …",
# "China is deeply concerned …"); and words that point at what the sentence does not say
_STANCE = re.compile(
    r"^\s+(?:(?:firmly|strongly|resolutely|deeply|gravely|sincerely|fully)\s+)?"
    r"(?:opposes|supports|welcomes|condemns|rejects|deplores|urges|calls on|hopes|believes|stands|"
    r"remains|values|respects|appreciates|is (?:(?:firmly|strongly|deeply|gravely|fully)\s+)?"
    r"(?:committed|ready|willing|concerned|opposed|against))\b", re.IGNORECASE)
_POINTING = re.compile(r"\b(?:it|its|them|this|that|these|those|here|there|him|her)\b", re.IGNORECASE)
# what a headline cannot say without the sentence before it: "China deplores this", "… opposes it"
_UNSAID = re.compile(r"\b(?:it|them|you|your)\b|\b(?:this|these|those)(?=\s*$|\s*[,.;:!?]|\s+(?:and|or|but|"
                     r"is|was|are|were|will|would|has|have|had|can|could|should|may|might|must)\b)"
                     # "that" before a preposition or at the end is a thing unsaid ("… is prepared for
                     # that", "… working through that with Congress"): "that" joining a clause is not
                     r"|\bthat(?=\s*$|\s*[,.;:!?]|\s+(?:to|with|for|from|at|by|in|on|and|or|but|as|up|out|over|"
                     r"through|yet)\b)", re.IGNORECASE)
# and in what the government said, a thing it does not name ("with this tour", "those lines")
_THAT_THING = re.compile(r"\b(?:this|these|those)\b(?!\s+(?:year|week|month|morning|afternoon|time)\b)",
                         re.IGNORECASE)


def _stance(rest: str) -> bool:
    """Whether what follows the government's name states a stance of its own, whole: "opposes
    all forms of unilateral tariff measures", not "firmly opposes it" nor "is not going to
    confirm them"."""
    return _STANCE.match(rest) is not None and _POINTING.search(rest) is None


# words a headline does without ("China is always ready to …"), and the closing clauses that only
# add to what the sentence said (", including cooperation in the media sector")
_HEADLINE_FILLER = re.compile(r"\s+(?:always|consistently|all along|once again|also)(?=\s)", re.IGNORECASE)
_ADDED_CLAUSE = re.compile(r",\s+(?:including|which|as well as|especially|particularly|not least)\s.*$",
                           re.IGNORECASE)


def _headline_cut(sentence: str) -> str:
    """A long sentence as a headline says it, when it is longer than one: without filler
    adverbs and a closing clause that only adds ("China is always ready to promote cooperation
    with India, including in the media sector" -> "China is ready to promote cooperation with
    India"). A shorter sentence is left as it is."""
    if word_count(sentence) <= MAX_WORDS:
        return sentence
    cut = _HEADLINE_FILLER.sub("", sentence)
    head = _ADDED_CLAUSE.sub("", cut)
    return head if word_count(head) >= 5 else cut


_PERSONAL = re.compile(r"\b(?:he|she|they|him|her|them|his|their|theirs)\b", re.IGNORECASE)


def someone_unnamed(sentence: str) -> bool:
    """Whether the sentence speaks of someone ("she", "they") it names nowhere before:
    "Before she came to Beijing, she had visited Shanghai" is no headline."""
    found = _PERSONAL.search(sentence)
    return found is not None and not names_something(sentence[: found.start()])


def _speaking_for(who: str, sentence: str, we: re.Match[str]) -> str:
    """ "We have urged …" -> "China has urged …"; "We firmly oppose …" -> "China firmly opposes
    …"; "The Chinese side hopes …" -> "China hopes …"."""
    rest = sentence[we.end():].lstrip()
    contraction = (we.group("contraction") or "").lower().replace("’", "'")
    if contraction:
        return f"{who} {_CONTRACTED[contraction]} {rest}"
    if we.group("we").lower() != "we":
        return f"{who} {rest}"  # "the Chinese side" is already one
    words = rest.split(" ")
    for n, word in enumerate(words):
        lower = word.lower()
        if lower.endswith("ly") and n < 2:
            continue  # "firmly", "strongly": the verb comes after
        if lower.replace("’", "'") in _PLURAL:  # "We don’t support …" -> "… doesn’t support …"
            words[n] = _PLURAL[lower.replace("’", "'")].replace("'", "’" if "’" in word else "'")
        elif lower in _PAST or lower.endswith("ed"):
            pass  # "We noted …" -> "China noted …"
        elif lower not in _MODAL and word.isalpha() and word.islower():
            words[n] = word + ("es" if word.endswith(("s", "sh", "ch", "x", "o")) else "s")
        break
    return f"{who} {' '.join(words)}"


# the verb after "we" as it goes after the government's name
_PLURAL = {"are": "is", "have": "has", "were": "was", "do": "does", "don't": "doesn't", "aren't": "isn't",
           "haven't": "hasn't", "weren't": "wasn't"}
# verbs in the past that do not end in -ed: left as they are after the government's name
_PAST = frozenset({"made", "said", "took", "gave", "held", "sent", "met", "told", "saw", "knew", "felt",
                   "found", "kept", "left", "won", "lost", "put", "set", "let", "got", "became", "began",
                   "brought", "came", "went", "spoke", "wrote", "chose", "drew", "led", "paid", "sought",
                   "struck", "stood", "thought", "understood", "underwent", "undertook"})


def _fit(headline: str) -> str | None:
    return headline if word_count(headline) <= MAX_WORDS and readable(headline) else None


_BROKEN_OFF = re.compile(r"[-–—]\s*$|\w-\s+[—–]|\s[—–]\s")


def readable(headline: str) -> bool:
    """Whether a headline reads as one: not speech broken off ("The President has been —",
    "Summit of Democ-"), not in the first or second person ("on behalf of our TV station",
    "据目前我们了解"), not pointing at what it does not say ("China deplores this")."""
    return (_BROKEN_OFF.search(headline) is None and not speaks_for_itself(headline)
            and re.search("[我你您]", headline) is None and _UNSAID.search(headline) is None
            and _THAT_THING.search(headline) is None  # "on this 90-minute phone call", "One of those things"
            and ((named := split_addressee(headline)[1]) is None or is_place(named)))
