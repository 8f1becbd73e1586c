"""What an English briefing question is about, as the asker names it: "On refugees: …", "… a
question on the Summit for Democracies", "… respond to the new EU sanctions?". Read by
:mod:`digest.stories.headlines` for "The United States on …" headlines."""

from __future__ import annotations

import re
from collections.abc import Iterator

from digest.sentences import names_something, split_sentences, talks_to_the_room

__all__ = ["LONGEST", "OPENER", "POINTING_IN", "THANKS", "about_in", "asked_about", "names_a_subject",
           "subject_phrase"]

LONGEST = 11  # words: a subject longer than this leaves no room for who spoke in a headline

# what opens a spoken sentence before what it says ("Well, …", "Look, …", "As I said, …")
# ("Look at where the markets are", "Now is the time", "So far", "Second round": words of the sentence)
OPENER = re.compile(r"^(?:(?:well|so(?!\s+(?:far|many|much|long)\b)|now(?!\s+(?:is|was|that)\b)|"
                    r"(?:look|first|second)(?=[,:]|\s+[—–])|yeah|yes|okay|and|but|again|first of all|also|"
                    r"then|obviously|secondly|thirdly|lastly|finally|of course|frankly|honestly|basically|"
                    r"in this case|in that case|in fact|indeed|as always|as usual|"
                    r"as I said|as you know|as I mentioned|let me say|I think|I would say|"
                    r"I can tell you|I'd say|I want to say)[,:]?\s+)+", re.IGNORECASE)
# what opens a courtesy, no answer and no subject ("Thank you, Dr. Fauci.", "Thanks, Karine.")
THANKS = re.compile(r"^(?:thanks?|hi|hello|hey|welcome|good (?:morning|afternoon|evening))\b", re.IGNORECASE)
# a subject's words: anything but the end of a clause; a capital's full stop ("U.S.") is no end
_WORDS = r"(?:[^?.,;:—]|(?<=\b[A-Z])\.)"
# what a question is about: "… a question on the Summit for Democracies", "… your response to X?",
# "… respond to the new EU sanctions?"
_ABOUT = re.compile(
    r"\b(?P<marker>question|questions|one|follow-up|follow up|following up|clarifications?|comment|updates?|"
    r"words|response|reaction|"
    r"view|position|ask(?: you)?|asks|asked|respond|react)(?:\s+(?:is|was|us|me))?"
    r"(?:\s+(?:first|again|quickly|briefly|real quick|here))?\s+"  # "follow up first on qualified immunity"
    r"(?:on|about|regarding|to|(?<!\bone\s)of)\s+"  # "one of the things about …": a part, not a subject
    rf"(?:the\s+—\s+)?(?:on\s+)?(?P<subject>(?:the |a |an )?{_WORDS}{{3,90}})", re.IGNORECASE)
# "On X, …", "Quickly, on X, …", a sentence of its own ("On Sudan."), or before a colon ("On Ukraine: …")
_ON_FIRST = re.compile(r"^(?:(?:and|also|now|quickly|just|then|next|finally|lastly)\b,?\s+)*"
                       r"(?:on|regarding|about|(?:turning|going back|coming back|switching|moving on|back)"
                       r"(?: \w+ly)? (?:to|on)) "  # "Turning briefly to Vietnam."
                       rf"(?P<subject>{_WORDS}{{3,60}}?)(?:[,?:]|\.$)", re.IGNORECASE)
_ADDRESSED = re.compile(r"(?:questions?|one)\s+to\s", re.IGNORECASE)
_MARKS_A_SUBJECT = re.compile(r"questions?|follow-up|follow up|following up|clarifications?", re.IGNORECASE)
# "ask about X", "an update on X" mark a subject too, but for one the room knows by its article alone
# ("ask about the trip", which names it no more than "the issue" would): "guns", "the humanitarian needs"
_MARKS_A_NAMED = re.compile(r"ask(?: you)?|asks|asked|updates?|words", re.IGNORECASE)
_THE_ONE = re.compile(r"^the\s+\S+$", re.IGNORECASE)
# "On X" as a way of speaking, not a subject: "On the other hand", "On another topic", "On that"
_WAY_OF_SPEAKING = re.compile(
    r"\b(?:hand|note|point|topic|subject|issue|matter|record|whole|contrary|ground|way|background|top|"
    r"behalf|level|side|front|part|thing|things|that|this|these|those|it|another|other|same|different|"
    r"separate|related|similar|one|follow-?ups?|time|timing|details|specifics)\b", re.IGNORECASE)
# what trails a subject without being part of it: "the abortion ruling real quick first"
_TRAILING = re.compile(r"(?:\s+(?:real quick|really quick|quickly|quick|first|then|too|as well|again|here|"
                       r"now|right now|today|yesterday|earlier|briefly|please|itself|themselves|last week|"
                       r"(?:this|last) (?:morning|afternoon|evening|night)|"
                       r"for a (?:second|moment|minute)))+$",
                       re.IGNORECASE)
# what leads into a subject without being part of it: "a question on just the backlash from …"
# ("some of the carve-outs": the carve-outs; "any plans to …": plans to …)
_LEADING = re.compile(r"^(?:(?:just|only|simply|basically|really|any)\s+(?!of\b)"
                      r"|(?:some|any|one|all|each|many|most) of\s+(?=the\s))", re.IGNORECASE)
_NOT_A_SUBJECT = re.compile(
    r"(?:^(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)"
    r" \d{1,2}(?:st|nd|rd|th)?|\d{1,2} \w+|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|today"
    r"|(?:the )?(?:next|last|past|coming) .{0,20}\b(?:hours?|days?|weeks?|months?|years?))$|\bago$)"
    r"|\b(?:this|that|these|those)\b"  # "the date of that message": a thing named before
    r"|\b(?:does|do|is|are|was|were|will|has|have|can|said|says)$"
    r"|^(?:his|her|their|its|your|my|our)\b"  # "his call", "your announcement": said before
    r"|^behalf\b"  # "this one on behalf of our Miami TV station": who asks
    # cut off: "the date of", "countries such"
    r"|\b(?:of|to|for|in|on|at|with|by|from|into|about|the|a|an|and|or|but|such|as|than|like)$"
    r"|^(?:what|whether|how|why|who|whom|when|where|which|if)\b"  # "what Kelly (asked)": a clause
    r"|\bquestions?\b", re.IGNORECASE)  # "Ken's question to Kirby": someone's question is no subject


def asked_about(question: str, *, opening: bool = False) -> str | None:
    """What a question is about, as it names it: after "a question on", "your response to", or
    an opening "On X," (which names its subject even without a name: "On refugees:"); for an
    announcement (``opening``) the latter ("Also, on the Vice President's trip to Africa, …"), or
    the official's own signpost ("I want to give a brief update on the Middle East")."""
    for sentence in split_sentences(question)[:3]:
        sentence = OPENER.sub("", sentence.strip())
        on_first = _ON_FIRST.match(sentence)
        # the first that names a subject: "Just following up on Danny's question | about Venezuela"
        # an announcement's own signpost names its subject too: "I want to give a brief update on
        # the Middle East."
        asks = not opening or talks_to_the_room(sentence)
        for found in [on_first] if on_first else _abouts(sentence) if asks else []:
            subject = subject_phrase(found.group("subject"))
            # "On X, …", "A question on X", "To follow up on X": X is the subject, named or not
            marker = found.group("marker") if not on_first else ""
            marked = on_first or _MARKS_A_SUBJECT.fullmatch(marker) or (
                _MARKS_A_NAMED.fullmatch(marker) and not _THE_ONE.match(subject or ""))
            if subject and not _NOT_A_SUBJECT.search(subject) and (
                    names_something("X " + subject) or (marked and not _WAY_OF_SPEAKING.search(subject))):
                return subject
    return None


def _abouts(sentence: str) -> Iterator[re.Match[str]]:
    """Every "question on …", "response to …" in ``sentence``, one inside another's included."""
    start = 0
    while found := _ABOUT.search(sentence, start):
        if not _ADDRESSED.match(found.group()):  # "Ken's question to Kirby": Kirby was asked
            yield found
        start = found.start() + 1


def names_a_subject(subject: str, who: str) -> bool:
    """Whether what the question's "on …" caught is a subject: not a date ("May 31"), not the
    government itself, not a phrase cut at its verb ("the U.S. Does")."""
    return (_NOT_A_SUBJECT.search(subject) is None
            and subject.count("“") == subject.count("”") and subject.count('"') % 2 == 0  # the "months
            and subject.lower().removeprefix("the ") != who.lower().removeprefix("the "))


def subject_phrase(text: str) -> str | None:
    """The phrase up to where it stops naming the subject: a relative clause, a verb that goes
    on ("… which", "… that the", "… is"), at most ``LONGEST`` words."""
    text = _LEADING.sub("", " ".join(text.split()).strip(" —-"))
    # a clause without "that": "the humanitarian needs | you've been talking about"
    # ("countries such as Guatemala": the examples name it too)
    text = re.split(r"\s+(?:that|which|who|where|when|and whether|and if|is|are|was|were|has|have|will|"
                    r"would|could|can|do|does|did|because|since|after|before|(?<!such )as|you|we|they|he|"
                    r"she|I)\b", text, maxsplit=1)[0]
    text = _TRAILING.sub("", text)
    if len(text.split()) > LONGEST:
        return None
    return text.rstrip(" ,;:") or None


# what a question in another language is about, after the words that introduce it (a determiner
# or a name next: "sobre todo", "sur place", "um zu reden" introduce nothing), and how a headline
# says it: "España, sobre la reunión con el canciller argentino", "Deutschland zur Lage in Gaza"
_ABOUT_IN = {
    "es": (re.compile(r"\b(?i:sobre|acerca de|respecto (?:a|de)|en relación con|preguntar(?:le)? por)\s+"
                      r"(?P<subject>(?:(?:el|la|los|las|un|una|unos|unas)\s|[A-ZÁÉÍÓÚÑ])[^?¿.,;:]{2,90})"),
           "{who}, sobre {subject}"),
    "fr": (re.compile(r"\b(?i:sur|concernant|à propos de|au sujet de|s'agissant de)\s+"
                      r"(?P<subject>(?:(?:le|la|les|un|une|des|du)\s|l['’]|[A-ZÉÈÀ])[^?.,;:]{2,90})"),
           "{who}, sur {subject}"),
    # German nouns are capitalised: the words after the last one are the question's verb ("über
    # die Ukraine sprechen")
    "de": (re.compile(r"\b(?P<about>zu|zum|zur|über|bezüglich|hinsichtlich)\s+"
                      r"(?P<subject>(?:(?:den|dem|der|die|das|einen|einem|einer|eine)\s|[A-ZÄÖÜ])[^?.,;:]{2,90})"),
           "{who} {about} {subject}"),
    # Arabic: "بشأن" (regarding), "حول" (about), "إزاء"/"تجاه" (towards); not "عن", which follows
    # many a verb ("الإعلان عن")
    "ar": (re.compile(r"(?:^|\s)(?:بشأن|حول|إزاء|تجاه)\s+(?P<subject>[^؟?.,،؛;:]{2,90})"),
           "{who} بشأن {subject}"),
}
_FR_REACTION = re.compile(r"\b(?:réaction|réponse)(?: de [^?,]{1,30}?)?\s+(aux|au|à la|à l['’])\s*")
_FR_ARTICLE = {"aux": "les ", "au": "le ", "à la": "la ", "à l'": "l'"}
# where the subject stops being named: a relative clause, a conjunction
_CLAUSE_IN = {"es": r"que|quien|quienes|donde|cuando|cual|cuales|si",
              "fr": r"qui|que|qu['’]|dont|où|lorsque|quand|si",
              "de": r"dass|ob|wenn|wo|weil",
              "ar": r"التي|الذي|الذين|إذا|عندما|حيث|أن|لأن"}
# a thing named before ("este tema", "cette question", "diese Frage"), but for a time ("este mes")
POINTING_IN = re.compile(r"\b(?:este|esta|estos|estas|ese|esa|esos|esas|dicho|dicha|ce|cet|cette|ces|"
                          r"dies|diese|dieser|dieses|diesem|diesen|هذا|هذه|ذلك|تلك|هؤلاء)\b(?!\s+(?:mes|semana|año|semaine|mois|"
                          r"année|Woche|Monat|Jahr)\b)", re.IGNORECASE)


def about_in(question: str, who: str, language: str) -> str | None:
    """A headline of what a question in Spanish, French, German or Arabic asks about, as it names
    it after "sobre", "sur", "zur", "بشأن" …; None where it names nothing so, or nothing whole."""
    known = _ABOUT_IN.get(language)
    if known is None:
        return None
    pattern, form = known
    if language == "fr":  # "la réaction de la France aux essais …": what it reacts to
        question = _FR_REACTION.sub(lambda m: "sur " + _FR_ARTICLE[m.group(1).replace("’", "'")], question)
    for sentence in split_sentences(question)[:3]:
        found = pattern.search(sentence)
        if not found:
            continue
        subject = re.split(rf"\s+(?:{_CLAUSE_IN[language]})\b", found.group("subject").strip(),
                           maxsplit=1, flags=re.IGNORECASE)[0]
        if language == "de":
            subject = re.sub(r"(?:\s+[a-zäöüß]\S*)+$", "", subject)
        if (POINTING_IN.search(subject) or len(subject.split()) > LONGEST
                or re.search(r"\b(?:de|del|à|au|aux|zu|von|der|des|la|le|el|et|y|und)$", subject)):
            continue
        about = found.groupdict().get("about") or ""
        return form.format(who=who, subject=subject, about=about)
    return None
