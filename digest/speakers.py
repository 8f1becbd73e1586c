"""Who speaks in a briefing's transcript: a turn's label, the roles labels name (one who asks,
one who answers), who answers questions, the officials' full names, and who asked.

Used by :mod:`digest.transcripts`, which reads a transcript into segments.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from digest.text import CJK as _CJK
from digest.text import ends_a_question

__all__ = [
    "ANSWER_ROLES",
    "ASKER_ROLES",
    "CJK_ROLE_SUFFIX",
    "GENERIC_ASKER",
    "NAME_FROM_OUTLET",
    "Turn",
    "asked_by",
    "find_answerers",
    "is_role",
    "label_key",
    "official_names",
    "spokesperson_name",
]


ASKER_ROLES = re.compile(
    r"^(q|q\.|question|questions|reporter|journalist|correspondent|participant|moderator|operator|aide|"
    r"staff|frage|вопрос|"
    r"журналист|question \(.*\)|记者|記者|问|問|기자|质问|سؤال|سوال|پرسش|صحفي|الصحفي|مراسل|प्रश्न|"
    r"שאלה|pregunta|pergunta|domanda|vraag|pytanie|soru|питання|質問|질문|periodista|jornalista|"
    r"giornalista)$|(记者|記者|reporter|correspondent)$",
    re.IGNORECASE)
ANSWER_ROLES = re.compile(
    r"(spokes(person|man|woman)|press secretary|sprecher(in)?|porte-parole|ответ|"
    r"представитель|发言人|報道官|报道官|대변인|^a$|^a\.$|^r$|^r\.$|^answer$|réponse|antwort|"
    r"المتحدث|الناطق|^جواب$|^الجواب$|سخنگو|^پاسخ$|प्रवक्ता|^उत्तर$|דובר|^תשובה$|portavo[zc]|"
    r"porta-voz|woordvoerder|rzecznik|sözcü|речник|^respuesta$|^resposta$|^risposta$|^antwoord$|"
    r"^odpowiedź$|^cevap$|^відповідь$|^答$|^回答$|"
    r"^mr\.? [A-Z]+$|^ms\.? [A-Z]+$|^mrs\.? [A-Z]+$|minister"
    # an official the briefing's guest by title ("DR. WALENSKY", "ADMIRAL KIRBY", "SECRETARY MAYORKAS"),
    # who answers as "MR. ZIENTS" does, when asked by name ("Dr. Walensky?")
    r"|^(?:dr|admiral|general|secretary|ambassador|administrator|director)\.? [A-Z][\w'’-]+$)",
    re.IGNORECASE)
NAME_FROM_OUTLET = re.compile(r"\b([A-Z][a-z]+) from ([A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*){0,4})")
GENERIC_ASKER = re.compile(r"^(q|question|questions|reporter|journalist|correspondent|participant|moderator|"
                            r"operator|aide|staff|"
                            r"frage|вопрос|журналист|记者|記者|问|問|기자|سؤال|سوال|پرسش|صحفي|الصحفي|"
                            r"مراسل|प्रश्न|שאלה|pregunta|pergunta|domanda|vraag|pytanie|soru|питання|"
                            r"質問|질문|periodista|jornalista|giornalista)$")
CJK_ROLE_SUFFIX = re.compile(r"(记者|記者|기자)$")
# a Japanese reporter says who they are before asking: "NHKの山田です。", "共同通信の佐藤と申します。"
_SELF_INTRODUCED = re.compile(r"(?:^|(?<=[。\s]))(?P<outlet>[^\s、。]{1,20}?)の(?P<name>[^\s、。の]{1,8}?)"
                              r"(?:です|と申します)[。、]")


@dataclass(frozen=True)
class Turn:
    label: str | None  # None: a paragraph that continues the turn before it
    rest: str
    paragraph: str


def is_role(label: str) -> bool:
    """Whether a label names a role ("Question", "Ответ", "R", "Press Secretary") rather than
    a person or an outlet."""
    key = label_key(label)
    return bool(GENERIC_ASKER.match(key)) or bool(re.fullmatch(
        r"a|r|answer|ответ|réponse|antwort|sprecher(in)?|press secretary|spokes(person|man|woman)|"
        r"official spokesperson|porte-parole|发言人|報道官|报道官|대변인|(المتحدث|الناطق)( الرسمي)?|"
        r"جواب|الجواب|سخنگو|پاسخ|(आधिकारिक )?प्रवक्ता|उत्तर|דובר|תשובה|portavo[zc]|porta-voz|"
        r"woordvoerder|rzecznik|sözcü|речник|respuesta|resposta|risposta|antwoord|odpowiedź|cevap|"
        r"відповідь|答|回答", key))


def label_key(label: str) -> str:
    return " ".join(label.lower().replace(".", "").split())


def find_answerers(turns: list[Turn], counts: Counter[str], title: str) -> set[str]:
    """The labels that answer: named in the title, saying they answer by their role, or
    answering questions and never asking one (another ministry's spokesperson at a government
    briefing, the Chinese label of a bilingual one); failing all those, the label whose turns
    follow a question from the most other labels."""
    keys = list(counts)
    folded_title = label_key(title)
    named = {k for k in keys if _named_in(k, folded_title) and not ASKER_ROLES.search(k)}
    roles = {k for k in keys if ANSWER_ROLES.search(k) and not ASKER_ROLES.search(k)}
    after_question: dict[str, set[str]] = {}
    asks: set[str] = set()
    previous: Turn | None = None
    for turn in turns:
        if turn.label is None:
            continue
        key = label_key(turn.label)
        if ends_a_question(turn.rest):
            asks.add(key)
        if (previous is not None and previous.label and ends_a_question(previous.rest)
                and key != label_key(previous.label)):
            after_question.setdefault(key, set()).add(label_key(previous.label))
        previous = turn
    found = named | roles
    if found:
        found |= {k for k in keys if k in after_question and k not in asks and not ASKER_ROLES.search(k)
                  and not found & after_question[k]}
        return found
    candidates = [k for k in keys if not ASKER_ROLES.search(k)]
    if not candidates:
        return set()
    best = max(candidates, key=lambda k: (len(after_question.get(k, ())), counts[k]))
    return {best}


def _named_in(key: str, title: str) -> bool:
    """Whether the title names this label, in any inflection ("Захаровой" names
    "М.В.Захарова"): each word of the label, less its last two letters, starts a title word."""
    if re.search(rf"[{_CJK}]", key):
        return len(key) >= 2 and key in title
    words = [w for w in re.findall(r"\w+", key) if len(w) >= 3]
    if not words:
        return False
    title_words = re.findall(r"\w+", title)
    return all(any(t.startswith(w[: max(3, len(w) - 2)]) for t in title_words) for w in words)


def spokesperson_name(turns: list[Turn], answerers: set[str], title: str = "") -> str | None:
    """The answerer the title names, else the one who answers most (a person before a role)."""
    labels = Counter(t.label for t in turns if t.label and label_key(t.label) in answerers)
    if not labels:
        return None
    return max(labels, key=lambda label: (_named_in(label_key(label), label_key(title)), labels[label],
                                          not ANSWER_ROLES.search(label_key(label))))


# words before a surname that are a title, not a first name ("Admiral John Kirby", "Press
# Secretary Karine Jean-Pierre": the word just before the surname is the first name)
_TITLE_WORDS = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sir", "madam", "admiral", "general", "secretary", "president",
    "minister", "ambassador", "administrator", "coordinator", "director", "deputy", "press",
    "spokesperson", "spokesman", "spokeswoman", "senator", "governor", "mayor", "commissioner",
    "chairman", "chair", "vice", "special", "envoy", "advisor", "adviser", "principal", "chief",
    "officer", "assistant", "captain", "colonel", "lieutenant", "professor", "prime", "foreign",
    "national", "security", "council", "strategic", "communications", "the", "of", "and", "for"
})
# capitalised words that stand before a name without being one ("Thanks Zients", "And Kirby")
_NOT_FIRST_NAMES = frozenset({"thanks", "thank", "hi", "hello", "dear", "okay", "yes", "no", "and",
                              "but", "so", "well", "then", "now", "also", "with", "from", "to", "by"})
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|miss|dr|sir|madam|admiral|general|secretary|ambassador|"
                        r"administrator|senator|governor)\.?\s+", re.IGNORECASE)


def official_names(turns: list[Turn], answerers: set[str], title: str) -> dict[str, str]:
    """The full name of each answerer whose label gives only a surname with an honorific, in
    capitals or not ("MR. KIRBY", "MS. JEAN-PIERRE", "Dr. Fauci"): the title or the text names
    them with a first name ("… Coordinator for Strategic Communications John Kirby"), or a
    reporter thanks them by it ("Thanks, Ned." before MR PRICE answers); else the label as a
    name is written ("Mr. Kirby")."""
    text = "\n".join(t.paragraph for t in turns)
    names: dict[str, str] = {}
    for turn in turns:
        key = label_key(turn.label) if turn.label else None
        if key is None or key not in answerers or key in names:
            continue
        label = turn.label or ""
        surname = _HONORIFIC.sub("", label).strip(" .")
        honorific = label[: len(label) - len(_HONORIFIC.sub("", label))].strip()
        if not honorific or not surname or " " in surname or is_role(label):
            continue
        first = _first_name(surname, f"{title}\n{text}") or _thanked_by_first_name(turns, key)
        written = surname if not surname.isupper() else "-".join(p.capitalize() for p in surname.split("-"))
        names[key] = f"{first} {written}" if first else f"{honorific.capitalize()} {written}"
    return names


def _first_name(surname: str, text: str) -> str | None:
    """The first name written before ``surname`` most often in ``text`` (a capitalised word that
    is no title)."""
    found = Counter(m.group(1) for m in re.finditer(
        rf"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+(?i:{re.escape(surname)})\b", text)
        if m.group(1).lower() not in _TITLE_WORDS and m.group(1).lower() not in _NOT_FIRST_NAMES)
    return found.most_common(1)[0][0] if found else None


def _thanked_by_first_name(turns: list[Turn], key: str) -> str | None:
    """The name reporters address this answerer by, when their turns just before its answers
    open with it ("Thanks, Ned. On Ukraine: …")."""
    found: Counter[str] = Counter()
    for before, turn in pairwise(turns):
        if turn.label and label_key(turn.label) == key and before.label and label_key(before.label) != key:
            address = re.match(r"^(?i:thanks|thank you|hi|hello)[,!]?\s+([A-Z][a-z]+)\b", before.rest)
            if address and address.group(1).lower() not in _TITLE_WORDS | _NOT_FIRST_NAMES:
                found[address.group(1)] += 1
    return found.most_common(1)[0][0] if found else None


def asked_by(label: str, question: str) -> str | None:
    """The asker's outlet (or name) from a label and its question: ``AFP``, ``法新社`` from
    ``法新社记者``, ``NHK`` from ``Kojima, NHK``, ``WION`` from ``Sidhant: Sir Sidhant from
    WION.``, ``PTI, Doordarshan`` from an officer reading out ``Rishikesh from PTI asks …``."""
    key = label_key(label)
    introduced = [(m.group(1), m.group(2).strip()) for m in NAME_FROM_OUTLET.finditer(question[:400])]
    introduced += [(m.group("name"), m.group("outlet")) for m in _SELF_INTRODUCED.finditer(question[:400])]
    if GENERIC_ASKER.match(key):  # "Question:", "记者：": the question may say who asks
        return introduced[0][1] if introduced else None
    first = key.split()[0] if key.split() else ""
    mine = [outlet for name, outlet in introduced if name.lower() == first]
    if mine:
        return mine[0]
    if introduced and ("osd" in key or ANSWER_ROLES.search(key)):  # questions read out for others
        return ", ".join(dict.fromkeys(outlet for _, outlet in introduced))
    stripped = CJK_ROLE_SUFFIX.sub("", label).strip("《》 ")
    if "," in stripped:
        stripped = stripped.rsplit(",", 1)[1].strip()
    return stripped or None
