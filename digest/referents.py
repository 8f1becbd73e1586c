"""Whom an official's "he" or "she" is about: the one person the question names by a title ("Why
has President Biden not yet nominated an FDA director?" — "He's eager to find the right person"),
said in brackets as a quotation does ("[President Biden] is eager to find the right person"), so
that the answer's highlight stands alone. Where the question names anyone else, or what one does
with another ("the call with President Xi"), "he" may be either, and stays "he".

Read by :mod:`digest.highlights` (``Passage.about``) and :mod:`digest.stories.compose`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

__all__ = ["asked_of", "named", "naming", "others"]

# a title and the name after it, if any ("the President", "President Biden", "Secretary Blinken")
_TITLED = re.compile(r"\b(?:(?:the|The) )?(?P<title>(?:Vice )?President|First Lady|Second Gentleman|"
                     r"(?:Prime|Foreign|Defense) Minister|Chancellor|"
                     r"Secretary(?: of (?:State|Defense|the \w+))?|Senator|Governor|Speaker|Leader|"
                     r"Ambassador|Pope)(?P<name>(?: [A-Z][\w'’-]+){0,2})")
_POSSESSIVE = re.compile(r"['’]s?\b(?=\s)")
# what one does with another, who may be "he" as well: "the call with President Xi. How long was that?"
_WITH_ANOTHER = re.compile(r"\b(?:calls?|meetings?|met|meet|meets|talks|spoke|speak|conversations?|summit|"
                           r"visits?|bilateral|counterparts?|together|each other)\b", re.IGNORECASE)
# a run of capitalised words inside a sentence ("… before Stoltenberg came out", "… tell Karen Bass",
# "… to Mr. Netanyahu")
_RUN = re.compile(r"(?:(?<=[\w,;:’'\"”)] )|(?<=\b(?:Mr|Ms|Dr)\. )|(?<=\bMrs\. ))"
                  r"[A-Z][\w’'-]+(?: (?:bin|al|de|van|von) [A-Z][\w’'-]+| [A-Z][\w’'-]+)*")
# the thanks to who answers: "Thanks, Jen."
_THANKS = re.compile(r"^(?:(?:thanks|thank you|hi|hello|hey)(?: so much| very much)?[,!]?\s+)+"
                     r"[A-Z][\w’'-]+[.,!]\s*", re.IGNORECASE)
_NOT_PEOPLE = frozenset({"I", "January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December", "Americans", "American", "Lady",
                         "Gentleman", "Leader", "Speaker", "Governor", "Chancellor", "Ambassador", "State",
                         "Defense", "Senate"})
# a pronoun that opens a sentence, its contraction and the word after it
_OPENING_PRONOUN = re.compile(r"^(?P<pronoun>He|She|His|Her)(?P<contraction>['’](?:s|ll|d))?\s+"
                              r"(?P<next>[\w'’-]+)(?P<then>\s+[\w'’-]+)?")
# "He's been …": "has"; "He's eager …": "is" (past an adverb: "He's already said …")
_PERFECT = frozenset({"been", "had", "got", "gotten", "done", "made", "said", "seen", "taken", "given",
                      "gone", "spoken", "met", "told", "written", "known", "become", "come", "asked",
                      "talked", "called", "decided", "signed"})
_ADVERBS = frozenset({"always", "never", "already", "also", "just", "not", "still", "certainly",
                      "obviously", "really", "clearly", "long", "since"})


def asked_of(question: str | None) -> str | None:
    """The one person a question names by a title ("… why has President Biden not yet nominated …":
    "President Biden"; "Did the President …": "the President"); None where it names nobody so, more
    than one person, or what one does with another."""
    question = question or ""
    found = {m.group("title") + m.group("name"): m for m in _TITLED.finditer(_POSSESSIVE.sub("", question))}
    if not found:
        return None
    titles = {m.group("title") for m in found.values()}
    names = {m.group().removeprefix("the ").removeprefix("The ") for m in found.values() if m.group("name")}
    if len(titles) != 1 or len(names) > 1:
        return None  # "President Biden and President Xi", "the President and the Speaker"
    if _WITH_ANOTHER.search(question) or any(
            not any(name.endswith(person.split()[-1]) for name in names) for person in others(question)):
        return None  # "Did the President tell Karen Bass …", "… before Stoltenberg came out …"
    return next(iter(names)) if names else f"the {next(iter(titles))}"


def others(text: str) -> set[str]:
    """Whom else ``text`` may name: a run of capitalised words inside a sentence that is no title
    and its name ("President Biden"), no country, no acronym, no month, not only words of titles
    ("White House"): "Karen Bass", "Stoltenberg", "Mohammed bin Salman"."""
    from digest.stories.names import BARE_TITLES, is_place

    text = _THANKS.sub("", text)
    titled = [m.span() for m in _TITLED.finditer(text)]
    found = set()
    for m in _RUN.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in titled) or is_place(m.group()) or all(
                w.lower() in BARE_TITLES or w in _NOT_PEOPLE or w.isupper() for w in m.group().split()):
            continue
        found.add(m.group())
    return found


def named(sentence: str, person: str) -> str:
    """``sentence`` with its opening "he" or "she" said as ``person``, in brackets ("He’s eager to …"
    -> "[President Biden] is eager to …"; "His focus was …" -> "[The President]’s focus was …")."""
    found = _OPENING_PRONOUN.match(sentence)
    if found is None:
        return sentence
    who = f"[{person[:1].upper()}{person[1:]}]"
    pronoun, contraction, after = found.group("pronoun"), found.group("contraction"), found.group("next")
    rest = sentence[found.start("next"):]
    if pronoun in ("His", "Her"):  # "Her remarks …", not "Her Majesty"
        return sentence if pronoun == "Her" and not after[:1].islower() else f"{who}’s {rest}"
    if not contraction:
        return f"{who} {rest}"
    verb = after if after.lower() not in _ADVERBS else (found.group("then") or "").strip()
    perfect = verb.lower() in _PERFECT
    said = {"s": "has" if perfect else "is", "ll": "will",
            "d": "had" if perfect else "would"}[contraction[1:]]
    return f"{who} {said} {rest}"


def naming(sentences: Iterable[str], person: str | None) -> Iterator[str]:
    """An answer's sentences, each opening "he" or "she" said as ``person`` (:func:`named`) until a
    sentence names someone else, after which "he" may be either; as they are without ``person``."""
    for sentence in sentences:
        if person:
            sentence, person = named(sentence, person), (None if others(sentence) else person)
        yield sentence
