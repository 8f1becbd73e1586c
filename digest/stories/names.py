"""The names a briefing's exchange turns on, as a headline names them ("China on Qeshm Island and
NATO"): runs of capitalised words in the question (else the answer), the officials' own names, bare
titles and the words that only say where someone is from left out. Read by
:mod:`digest.stories.headlines`."""

from __future__ import annotations

import re
from functools import cache

from digest.sentences import compress, split_sentences, talks_to_the_room
from digest.stories.subjects import THANKS
from digest.stories.units import Unit
from digest.text import stop_words, word_count

__all__ = ["BARE_TITLES", "exchange_names", "initials", "is_place"]


@cache
def _places() -> frozenset[str]:
    from babel import Locale

    return frozenset(str(name) for name in Locale.parse("en").territories.values())


def is_place(name: str) -> bool:
    """Whether a one-word name is a country's or a territory's ("Venezuela", "Taiwan"): a
    subject, where any other capitalised word may be an adjective or a greeting."""
    return name in _places()


# words that say where someone or something is from ("American and Asian", "European"), and
# describe the word after them
_DESCRIBES = re.compile(r"[A-Z][a-z]+(?:an|ese|ish|i)(?:\s+and\s+[A-Z][a-z]+(?:an|ese|ish|i))*")
# (a possessive ends one: "the President's Title 42 policy" names the President and Title 42)
_NAME_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w'’.-]*"
                       r"(?:(?<!['’]s)\s+(?:of|for|the|and|de|al)?\s*[A-Z][\w'’.-]*)*)")


def exchange_names(unit: Unit, who: str = "") -> list[str]:
    """The names the question (else what was said) turns on, most named first: runs of
    capitalised words inside its sentences that say something (not the thanks to the
    official), without the officials' own names, bare titles ("President") or broken words."""
    officials = {w.lower().strip(".,") for w in (unit.part.speaker or "").split()} if unit.part else set()
    asker = (unit.part.asked_by or "").lower() if unit.part else ""  # "AFP" asks; it is no subject
    stop = stop_words("en")
    question = unit.part.question if unit.part else None
    for text in (question, unit.said):
        found: dict[str, int] = {}
        # not the official's talk with the room: "my colleague Tom Walsh is here to take your questions"
        sentences = [s for s in split_sentences(text or "") if word_count(s) > 4 and not THANKS.match(s)
                     and (text is question or not talks_to_the_room(compress(s)))]
        addressed = {m.group(1).lower() for m in _ADDRESSED.finditer(text or "")}
        for sentence in sentences[:4]:
            opening = _OPENING_RUN.match(sentence)  # "Solomon Islands Prime Minister Matthew Wale said"
            after = opening.end() if opening else 0
            runs = [m for m in _NAME_RUN.finditer(sentence) if m.start() >= after]
            for match in ([opening] if opening else []) + runs:
                run = match.group(1)
                if re.search(r"\s(?:of|for)\s", run) and _GOES_ON.match(sentence, match.end(1)):
                    continue
                if text is question and _ASKERS_OWN.search(sentence, 0, match.start(1)):  # "our Miami TV"
                    continue
                name = _trimmed(_POSSESSIVE.sub("", run).strip(" .,;:"))
                if who and re.match(rf"{re.escape(who)}['’]s [A-Z]", run):
                    name = name[len(who) + 1:]  # "China's Ministry of Commerce": the ministry
                words = [w.lower() for w in name.split()]
                if _DESCRIBES.fullmatch(name) and not any(map(is_place, name.split())) \
                        and sentence[match.end(1):match.end(1) + 2].strip()[:1].islower():
                    continue  # "American and Asian companies": what the companies are, no name
                if (len(name) < 3 or name.endswith("-") or "." in name.replace("U.S.", "")
                        or name.lower() == asker
                        or all(w in BARE_TITLES or w in officials or w in addressed
                               or _CONTRACTION.sub("", w) in stop for w in words)):
                    continue
                # one name however written: "U.S." and "United States", "Prime Minister Keir
                # Starmer" and "British Prime Minister Keir Starmer" (the longer kept)
                same = next((n for n in found if initials(n) == initials(name)
                             or (name in n and " and " not in n)), name)
                if same == name and " and " not in name:
                    for shorter in [n for n in found if n in name]:
                        found[name] = found.get(name, 0) + found.pop(shorter)
                found[same] = found.get(same, 0) + 1
        if found:
            return sorted(found, key=lambda n: -found[n])
    return []


_ASKERS_OWN = re.compile(r"\b(?:our|my)\s+$", re.IGNORECASE)
_OPENING_RUN = re.compile(r"^([A-Z][\w'’.-]*(?:\s+(?:(?:of|for|the|de|al)\s+)?[A-Z][\w'’.-]*)+)")
# a name that goes on past "and" ("Minister for European and International Affairs") is not
# whole where a run stops at it
_GOES_ON = re.compile(r"\s+and\s+[A-Z]")


def _trimmed(name: str) -> str:
    """The run of capitalised words without the words at its ends that open a sentence or a
    question ("U.S. How" -> "U.S.", "Does President Biden" -> "President Biden")."""
    words = name.split()
    while words and _CONTRACTION.sub("", words[0].lower()) in _OPENING_WORDS:
        words.pop(0)
    while words and _CONTRACTION.sub("", words[-1].lower().rstrip(".")) in _OPENING_WORDS:
        words.pop()
    return " ".join(words)


_OPENING_WORDS = frozenset({
    "the", "a", "an", "and", "but", "so", "or", "i", "we", "you", "he", "she", "it", "they", "this",
    "that", "these", "those", "there", "here", "how", "what", "why", "when", "where", "which", "who",
    "whether", "does", "do", "did", "is", "are", "was", "were", "will", "would", "can", "could", "has",
    "have", "had", "should", "may", "might", "if", "as", "on", "in", "at", "for", "to", "of", "just",
    "also", "now", "then", "yes", "no", "okay", "well", "thanks", "thank", "please", "let", "some",
    "many", "several", "most", "all", "both", "each", "every", "any", "few", "other", "another", "one",
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "hundreds",
    "thousands", "recently", "yesterday", "today", "earlier", "last", "according", "after", "before",
    "during", "under", "with", "from", "by", "since", "until", "about", "over", "into", "following",
    "given", "despite", "amid", "regarding", "considering", "because", "while", "although", "though"})


def initials(name: str) -> str:
    """"United States" and "U.S." -> "us": a name and its abbreviation are one name."""
    words = name.split()
    if len(words) == 1 and "." in name:
        return name.replace(".", "").lower()
    return "".join(w[0] for w in words).lower() if len(words) > 1 else name.lower()


# a name someone is addressed by: "Thanks, Karine.", "Hello, John.", "Karine, last year …"
_ADDRESSED = re.compile(r"(?:(?i:thanks|thank you|hi|hello|hey)[,!]?\s+|(?:^|[.!?]\s+))"
                        r"([A-Z][a-z]+)(?=[,.!?])")
_CONTRACTION = re.compile(r"['’](?:re|ve|ll|m|d|s|t)$")
_POSSESSIVE = re.compile(r"['’]s\b|['’]$")
BARE_TITLES = frozenset({"president", "prime", "minister", "secretary", "admiral", "general", "senator",
                          "foreign", "ministry", "spokesperson", "spokesman", "spokeswoman",
                          "the", "and", "of", "for", "mr", "ms", "mrs", "dr", "vice", "white", "house",
                          "administration", "congress", "today", "tomorrow", "yesterday", "monday",
                          "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
