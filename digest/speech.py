"""Spoken English as a reader reads it, and what of it is only the briefing's own talk with the
room (:func:`talks_to_the_room`). A briefing's transcript keeps the speaker's restarts
("We want — we encourage the Senate …", "spread the world — the word", "closely bipart- — in a
bipartisan way", "where North Carolina — where North Carolinians are") and corrections ("on Monday
— sorry, on Tuesday —"): a highlight or a paragraph says what they went on to say. A restart is a
word of grammar said again (a pronoun, an auxiliary, a preposition, a determiner), a word said
wrong, or any other word said again within four words; "the summit — the first since 2019 —" is
an aside, and stays. Applied to what officials said (``Passage.said_by``), never to an outlet's
written text; as is what tells an answer that leaves its subject to the question ("We're working
through that with Congress.")."""

from __future__ import annotations

import re

__all__ = ["leaves_unnamed", "opens_a_new_point", "repaired", "stumbles", "talks_to_the_room"]

_GRAMMAR = (r"i|we|you|he|she|it|they|our|my|his|her|their|its|this|that|there|these|those|is|are|was|"
            r"were|will|would|can|could|have|has|had|do|does|did|in|on|at|to|for|with|from|of|about|"
            r"through|and|but|so")
_PREPOSITIONS = frozenset({"in", "on", "at", "to", "for", "with", "from", "of", "about", "through"})
_DASH = re.compile(r"\s[—–]\s")
_DETERMINERS = r"the|a|an|our|my|his|her|their|its|your"
# a word broken off ("bipart- —"), with the word before it where the restart says that again
# ("specifi- — or respectfully": what the speaker went on to say is after the "or")
_BROKEN = re.compile(r"(?:\b(?P<before>\w+)\s+)?\b\w+-\s+[—–]\s+(?:or,?\s+)?"
                     r"(?P<after>(?!sorry|excuse|pardon|I\b)\w+)")
# a restart: a word of grammar and at most two more, then a dash and that word again ("We are — we
# have …", "We're — we expect …"); a determiner, which ends no phrase, then another ("our — his
# commitment"); or a word said wrong and said again ("the world — the word")
_RESTART = re.compile(rf"\b(?P<word>{_GRAMMAR})(?:['’]\w+)?(?:\s+[\w'’]+){{0,2}}\s+[—–]\s+(?=(?P=word)\b)"
                      rf"|\b(?:{_DETERMINERS})\s+[—–]\s+(?=(?:{_DETERMINERS})\s)"
                      r"|\b(?P<article>the|a|an)\s+(?P<stem>\w{3})\w*\s+[—–]\s+(?=(?P=article)\s+(?P=stem))",
                      re.IGNORECASE)
# what an answer's object is when the question named it: "it", "them", "that" at the end or before
# a preposition ("this" is mostly the sentence before: "China will by no means accept this.")
_UNNAMED = re.compile(r"\b(?:it|them|that)(?=[.!]?$|\s+(?:to|with|for|from|at|by|in|on|and|as|up|out|"
                      r"over|through|yet|again|too|either)\b)", re.IGNORECASE)
# a sentence's opening words of grammar only, broken off ("Our — the federal government will …")
_OPENING = re.compile(rf"^(?:(?:{_GRAMMAR})(?:['’]\w+)?\s+){{0,1}}(?:{_GRAMMAR})(?:['’]\w+)?\s+[—–]\s+(?=\w)",
                      re.IGNORECASE)


def leaves_unnamed(sentence: str) -> bool:
    """Whether an official's sentence leaves what it is about unnamed, as an answer may ("We're
    working through that with Congress.", "We would leave that to the NLRB."): the question named it,
    so a highlight that names it comes first."""
    return _UNNAMED.search(sentence) is not None


# a speaker correcting themself: "— or, sorry,", "— excuse me,", "— I mean,", "— pardon me —"
_CORRECTION = re.compile(r"\s[—–]\s(?:or,?\s+)?(?:sorry|excuse me|I['’]m sorry|pardon me|I mean)\b,?"
                         r"(?:\s+[—–])?\s+(?=\w)", re.IGNORECASE)
_PRONOUN = re.compile(r"(?:i|we|you|he|she|it|they|this|that|these|those|there)\b", re.IGNORECASE)


def repaired(sentence: str) -> str:
    """The sentence without the words a speaker took back ("We want — we encourage the Senate to
    …" -> "We encourage the Senate to …"; "an environmental — I'm sorry, an economic policy" -> "an
    economic policy")."""
    text = _BROKEN.sub(_without_broken, sentence)
    while found := next((m for m in _RESTART.finditer(text) if _unpaired(text, m)), None):
        text = text[: found.start()] + text[found.end():]
    text = _said_again(_corrected(text))
    text = _SPOKEN_OPENER.sub("", _OPENING.sub("", text, count=1), count=1)
    return text[:1].upper() + text[1:] if text != sentence else sentence


# how a speaker starts to speak, which says nothing written down: "So there are a number of
# strategies …", "Well, one of the steps …", "Look, I think …" (not "So far", "Now that …", "Well
# over 1,000", "Look at where the markets are"; nor "Yes", which answers, nor "And", "But", which
# say how the sentence stands to the one before)
_SPOKEN_OPENER = re.compile(r"^(?:(?:so\b(?!\s+(?:far|much|many|long|few|little)\b|-)|now\b(?!\s+that\b)),?"
                            r"|(?:well|okay|ok|look|again|listen),)\s*(?=\w)", re.IGNORECASE)


_WORD_OF_GRAMMAR = re.compile(rf"(?:{_GRAMMAR}|{_DETERMINERS})$", re.IGNORECASE)
_AUXILIARY = re.compile(r"(?:will|would|can|could|should|is|are|was|were|has|have|had|do|does|did)$",
                        re.IGNORECASE)


def _said_again(sentence: str) -> str:
    """The sentence without what a speaker said again after a dash, a word other than one of
    grammar (those are :data:`_RESTART`'s) at most four words back: "Out of touch with where North
    Carolina — where North Carolinians are", "No offer has been — no job offer has been made", "So
    that will — those will certainly be …". Not across a dash that closes an aside or opens one."""
    for dash in _DASH.finditer(sentence):
        before, after = sentence[: dash.start()].split(), sentence[dash.end():].split()
        if (not before or not after or len(_DASH.findall(sentence[: dash.start()])) % 2
                or len(_DASH.findall(sentence[dash.end():])) % 2):
            continue
        first = _bare(after[0])
        cut = None if _WORD_OF_GRAMMAR.match(first) else _said_before(before, first)
        if (cut is None and len(after) > 1 and len(before) > 1 and _bare(after[1]) == _bare(before[-1])
                and _AUXILIARY.match(_bare(before[-1])) and _PRONOUN.fullmatch(first)
                and _PRONOUN.fullmatch(_bare(before[-2]))):
            cut = len(before) - 2  # "that will — those will"
        if cut is not None:
            return _said_again(" ".join([*before[:cut], *after]))
        if _ENDS_NO_PHRASE.match(before[-1]) and _PREPOSITION.fullmatch(first):  # "through — at"
            while before and _ENDS_NO_PHRASE.match(before[-1]):
                before.pop()
            return _said_again(" ".join([*before, *after]))
    return sentence


# the words no phrase ends on, that a speaker left hanging before a dash to go on with another
# preposition ("engaged directly through — at a range of levels", "Director with the — within the
# Office"); where anything else follows, the speaker may have gone back further ("Europe would —
# how they would impact Russia"), and the words stay as said
_ENDS_NO_PHRASE = re.compile(rf"(?:{_DETERMINERS}|in|on|at|to|for|with|from|of|about|through|into|by)$",
                             re.IGNORECASE)
_PREPOSITION = re.compile(r"in|on|at|to|for|with|from|of|about|through|into|by|within|among|across|over|"
                          r"under|between|via|toward|towards|throughout|during", re.IGNORECASE)


def _bare(word: str) -> str:
    return word.lower().strip(",.;:!?“”\"'’")


def _said_before(words: list[str], word: str) -> int | None:
    """Where ``word`` was last said among the last four ``words``: what a speaker says again from."""
    said = [n for n in range(max(0, len(words) - 4), len(words)) if _bare(words[n]) == word]
    return said[-1] if said else None


def _corrected(sentence: str) -> str:
    """The sentence as the speaker corrected it: what follows "— sorry," takes the place of what
    it says again, from the last of its first word before ("on Supreme Court — excuse me, on
    Ukraine" -> "on Ukraine"), or of the whole sentence when it opens a clause of its own ("the
    American — or, sorry, we're continuing to implement the American Rescue Plan"), or of as many
    words as it says before the word the speaker broke off ("that Russia ha- — excuse me, China has
    not provided" -> "that China has not provided"). A correction of none of these kinds is left as
    said."""
    text = sentence
    while found := _CORRECTION.search(text):
        before, after = text[: found.start()], text[found.end():]
        if len(_DASH.findall(after)) % 2 == 1:  # "on Monday — sorry, on Tuesday — about …": the
            after = _DASH.sub(" ", after, count=1)  # correction's own closing dash goes with it
        first = _bare(after.split()[0])
        words = before.split()
        again = _said_before(words, first)
        if again is not None:  # "… was an environmental" -> "… was an economic …"
            text = " ".join([*words[:again], after])
        elif _PRONOUN.match(first):
            text = after
        elif (broken := _broken_at(words, after.split())) is not None:
            text = " ".join([*words[:broken], after])
        else:
            break
    return text[:1].upper() + text[1:] if text != sentence else sentence


def _broken_at(words: list[str], after: list[str]) -> int | None:
    """Where the words a correction takes back begin, when the last of ``words`` is one broken off
    ("ha-") and the correction says it whole within its first four words ("China has"): as many
    words back as the correction says before it."""
    if not words or not words[-1].endswith("-") or len(stem := words[-1].rstrip("-")) < 2:
        return None
    at = next((n for n, word in enumerate(after[:4]) if _bare(word).startswith(stem.lower())), None)
    return len(words) - 1 - at if at is not None and len(words) - 1 - at >= 0 else None


def _without_broken(found: re.Match[str]) -> str:
    before, after = found.group("before"), found.group("after")
    if before and before.lower() != after.lower():
        return f"{before} {after}"
    return after


def _unpaired(text: str, found: re.Match[str]) -> bool:
    """Whether the restart's dash is not one of a pair around an aside: "people — or 25 percent of
    people who are eligible — are not" closes one; "rose in the north — in the south they fell —"
    opens one on a preposition (where "we are — we have not made it — the President …" restarts
    twice). Neither takes anything back."""
    closes = len(_DASH.findall(text[: found.start()])) % 2 == 1
    opens = (len(_DASH.findall(text[found.end():])) % 2 == 1
             and (found.group("word") or "").lower() in _PREPOSITIONS)
    return not closes and not opens


# a greeting or thanks opening what an official says, in the languages ministries brief in
_GREETINGS = ("good (?:morning|afternoon|evening)|hello|bonjour|bonsoir|merci|guten (?:tag|morgen|abend)|"
              "vielen dank|danke|buenos días|buenas tardes|gracias|добрый (?:день|вечер)|доброе утро|спасибо|"
              "صباح الخير|مساء الخير|أهلا|أهلاً|شكرا|شكراً|नमस्कार|नमस्ते|धन्यवाद|おはようございます|こんにちは|"
              "ありがとう|大家好|谢谢")
# an official speaking of themself or to the room, outside a quotation: the briefing's talk
# ("Before I turn things over to Jake, I have a couple of updates", "Thank you so much, Dr. Fauci.",
# "feel free to go"), not its news, which the government says as "we"
_PERSONALLY = re.compile(r"\b(?:I|I'm|I’m|I'll|I’ll|I've|I’ve|I'd|I’d|me|my|My|myself|you|You|your|Your|"
                         r"you're|you’re|You're|You’re)\b"
                         # the official taking the last questions: "All right, a couple more."
                         r"|^(?i:(?:(?:all right|alright|okay|ok),?\s+)?(?:a couple|a few|one|two|three) "
                         r"(?:more|last)(?: questions?)?[.!]?)$|^(?i:last but not least)\b"
                         # and an answer that is only a filler ("Okay.", "Okay, great.", "Uh oh.")
                         r"|^(?i:(?:okay|ok|great|uh[- ]oh|all right|alright|mm-hmm|sure|got it|go ahead|um"
                         r"|next question"
                         r"|uh|oh)(?:[,.!]?\s*(?:okay|ok|great|thanks|thank you|sure))*[.!?…]*)$"
                         rf"|^(?i:thank you|thanks)\b|\b(?i:feel free)\b|^(?i:{_GREETINGS})"
                         # Hindi's "I" and "you"
                         r"|(?<![\u0900-\u097f])(?:मैं|मुझे|मेरा|मेरी|आप|आपका|आपकी|आपको|आपके)(?![\u0900-\u097f])"
                         r"|(?<![自敌本])我(?![们国方军が])|[你您]"
                         # and in Japanese, what the minister says from themself or to "you all"
                         # ("私から2点申し上げます"), not what they do ("私はフィリピンを訪問し…": news)
                         r"|私(?:の方)?から|皆(?:様|さん|さま)(?:に|へ|から)")
# a sentence that only says what comes next: "1点目は、フィリピン訪問についてです。", "First, on Ukraine."
_SIGNPOST = re.compile(r"^(?:[0-9０-９一二三四五六七八九]+点目|まず|次に|最後に)(?:は|に)?、?[^。]{1,40}"
                       r"(?:について|に関して)(?:です|でございます|申し上げます|ご報告します)。?$"
                       r"|^(?:first|second|third|next|finally|lastly)(?:ly)?, (?:on|about) [^,.]{1,60}\.$"
                       # "On the virus and relating to the new guidance on the masks.": a subject, no verb
                       r"|^(?:and |also |now |then )?(?:on|regarding|as for|turning to) "
                       r"(?![^,.]*\b(?:is|are|was|were|will|would|has|have|had|can|could|should|did|does|do|"
                       r"may|might|must)\b)"
                       r"[^,.]{1,80}\.$",
                       re.IGNORECASE)
_QUOTATION = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»|「[^」]*」")
# the room's questions themselves: "Why don't we do one more question.", "It's an interesting question,
# MJ.", "let Michael ask his question"
_ROOMS_QUESTIONS = re.compile(r"\b(?:one|two|a few|a couple(?: of)?) more questions?\b"
                              r"|\ban? (?:very |really )?"
                              r"(?:interesting|good|great|hard|fair|tough|difficult|excellent) question\b"
                              r"|\bask(?:s|ing|ed)? (?:a|his|her|their|your|one|another) question\b"
                              # and the room itself: "… up here at this podium", "There's a briefing
                              # later tonight as well.", "Then we'll do some briefing after then."
                              r"|\b(?:at|from|up here at) (?:this|the) podium\b"
                              r"|^(?:then |and )?(?:there(?:['’]s| is| will be)|we(?:['’]ll| will) "
                              r"(?:have|do)) (?:a |another |some |the )?(?:briefing|gaggle)s?\b",
                              re.IGNORECASE)


# what the official bids the room do ("Look at where the markets are in Russia.", "Remember, when …")
_BIDDING = re.compile(r"^(?:just |so |and )?(?:look at|take a look at|consider|remember|imagine|listen|"
                      r"keep in mind|think about"
                      # and where it takes the room next: "Let's begin with an overview of the data.", "Let's
                      # go back to the ground thing.", "Let's see how the next 24 hours unfold."
                      r"|let['’]s (?:take a look at|look at|begin|start|go back|turn to|move on|see how|"
                      r"see what))\b",
                      re.IGNORECASE)


def talks_to_the_room(sentence: str) -> bool:
    """Whether an official's sentence is the briefing's own talk: "I" or "you" outside a
    quotation, thanks, a signpost to what comes next ("1点目は、フィリピン訪問についてです。"), or the
    room's questions ("Why don't we do one more question."), or what it bids the room do ("Look at
    where the markets are in Russia.")."""
    return (_PERSONALLY.search(_QUOTATION.sub("", sentence)) is not None
            or _SIGNPOST.match(sentence) is not None or _ROOMS_QUESTIONS.search(sentence) is not None
            or _BIDDING.match(sentence) is not None)


# an announcement that opens on a new point of the official's ("2点目は、…", "Second, …", "第二，"):
# a subject of its own, not more of the one before
_NEW_POINT = re.compile(r"^(?:[2-9２-９二三四五六七八九]点目|第[二三四五六七八九][，,、]|次に|最後に|"
                        r"(?:secondly|thirdly|finally|lastly),?\s|(?:second|third|fourth|next),\s)",
                        re.IGNORECASE)


def opens_a_new_point(text: str) -> bool:
    """Whether an official's announcement opens on a new numbered point of theirs."""
    return _NEW_POINT.match(text.lstrip()) is not None


# speech that broke off where no phrase ends and went on with another, the restart left standing: a
# dash after a determiner, a preposition, a conjunction or an auxiliary ("apply to — on the — to get
# access", "the chair of the — of these nuclear nations", "There hasn’t been a decision from USTR —
# and — one that’s come"), or a piece between dashes that is a word of grammar or two ("we value
# that — the — that — their participation"); an aside ("the summit — the first since 2019 —") is no
# stumble
_HANGS = re.compile(rf"\b(?:{_DETERMINERS}|{_PREPOSITION.pattern}|beyond|and|or|but|so|as|if|than|because|"
                    rf"when|is|are|was|were|will|would|can|could|has|have|had|do|does|did)\s+[—–]\s",
                    re.IGNORECASE)
# (or a tic: "We just saw — right? — Sweden has been added")
_GRAMMAR_PIECE = re.compile(rf"(?:^|\s[—–]\s)(?:(?:{_GRAMMAR}|{_DETERMINERS}|right|you know)[,?]?\s+){{1,2}}"
                            rf"(?=[—–]\s)", re.IGNORECASE)


# a correction the repair could not place, left standing: "key partners to the United — and India, sorry —
# they're key partners", "those midterm, sorry — mid-September vaccines"
_SORRY_LEFT = re.compile(r"\s[—–]\s[^—–]{0,40}\b(?:sorry|excuse me|pardon me)\b"
                         r"|\b(?:sorry|excuse me|pardon me),?\s+[—–]", re.IGNORECASE)


def stumbles(sentence: str) -> bool:
    """Whether an official's sentence, repaired (:func:`repaired`), still stumbles where the speaker
    broke off: read at a glance as a highlight, it reads as broken ("We just — that is — we just don't
    have a decision.")."""
    return (_HANGS.search(sentence) is not None or _GRAMMAR_PIECE.search(sentence) is not None
            or _SORRY_LEFT.search(sentence) is not None)
