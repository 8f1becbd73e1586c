"""Read a press briefing's transcript: who speaks when, who asks and who answers.

Ministries publish briefings in many conventions: ``AFP: …`` then ``Lin Jian: …`` (China MFA,
and ``法新社记者：…`` with a full-width colon in Chinese), ``QUESTION:`` / ``MR PRICE:`` (US State
Department), ``Вопрос:`` / ``М.В.Захарова:`` (Russia MID), ``Shri Randhir Jaiswal, Official
Spokesperson:`` and ``Sidhant: Sir Sidhant from WION.`` (India MEA), ``Question:`` and ``Press
Secretary:`` on lines of their own (Japan MOFA), ``Frage:`` / ``Sprecher:`` (Germany), ``Q -`` /
``R -`` (France), ``(Q)`` / ``(A)``, ``【記者】``. Rather than a list of them, a *turn* is found by
its shape: a paragraph that opens with a short label (a few capitalised words, a name, an
outlet, a role; or CJK characters) followed by a colon, a dash or a bracket, or a label alone on
its line. Then the roles: the spokesperson is the label the title names, or one that says so
(spokesperson, press secretary, 发言人, Ответ, Sprecher, R, A), or the label that answers
questions from the most others; every other label asks.

The transcript is cut into segments, and every paragraph belongs to exactly one: opening
announcements (each spokesperson paragraph before the first question is one) and exchanges
(the asker's turns up to the answer, then the answer: a follow-up asked after an answer is an
exchange of its own, since it gets an answer of its own). Called by the story stage
(digest/stories/units.py) for official sources' articles.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from digest.domain import Segment
from digest.text import CJK as _CJK
from digest.text import ends_a_question

__all__ = ["READER_VERSION", "Segment", "Transcript", "is_role", "read_transcript"]

# stored segments read by an older version of this reader are read again (digest/stages.py)
READER_VERSION = 2

# label, then a colon (ASCII or full-width); the label is short and has no sentence inside it
_COLON = re.compile(r"^\s*(?P<label>[^\s:：.?!。？！][^:：\n]{0,70}?)\s*[:：]\s*(?P<rest>.*)$", re.DOTALL)
_BRACKET = re.compile(r"^\s*[【\[(（](?P<label>[^】\])）\n]{1,24})[】\])）]\s*(?P<rest>.*)$", re.DOTALL)
_DASH = re.compile(r"^\s*(?P<label>[A-Z]{1,2}|Q\.|R\.)\s+[-–—]\s+(?P<rest>.*)$", re.DOTALL)
# lower-case words a label may hold ("Islamic Republic of Iran Broadcasting", "Sidhant from WION")
_LABEL_GLUE = {"of", "the", "from", "de", "la", "le", "du", "des", "der", "die", "und", "di", "del",
               "al", "el", "and", "for", "y", "et", "van", "von", "da", "do", "news"}
_ASKER_ROLES = re.compile(
    r"^(q|q\.|question|questions|reporter|journalist|correspondent|participant|frage|вопрос|"
    r"журналист|question \(.*\)|记者|記者|问|問|기자|质问|سؤال|سوال|پرسش|صحفي|الصحفي|مراسل|प्रश्न|"
    r"שאלה|pregunta|pergunta|domanda|vraag|pytanie|soru|питання|質問|질문|periodista|jornalista|"
    r"giornalista)$|(记者|記者|reporter|correspondent)$",
    re.IGNORECASE)
_ANSWER_ROLES = re.compile(
    r"(spokes(person|man|woman)|press secretary|sprecher(in)?|porte-parole|ответ|"
    r"представитель|发言人|報道官|报道官|대변인|^a$|^a\.$|^r$|^r\.$|^answer$|réponse|antwort|"
    r"المتحدث|الناطق|^جواب$|^الجواب$|سخنگو|^پاسخ$|प्रवक्ता|^उत्तर$|דובר|^תשובה$|portavo[zc]|"
    r"porta-voz|woordvoerder|rzecznik|sözcü|речник|^respuesta$|^resposta$|^risposta$|^antwoord$|"
    r"^odpowiedź$|^cevap$|^відповідь$|^答$|^回答$|"
    r"^mr\.? [A-Z]+$|^ms\.? [A-Z]+$|^mrs\.? [A-Z]+$|minister)",
    re.IGNORECASE)
_NAME_FROM_OUTLET = re.compile(r"\b([A-Z][a-z]+) from ([A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*){0,4})")
_GENERIC_ASKER = re.compile(r"^(q|question|questions|reporter|journalist|correspondent|participant|"
                            r"frage|вопрос|журналист|记者|記者|问|問|기자|سؤال|سوال|پرسش|صحفي|الصحفي|"
                            r"مراسل|प्रश्न|שאלה|pregunta|pergunta|domanda|vraag|pytanie|soru|питання|"
                            r"質問|질문|periodista|jornalista|giornalista)$")
_CJK_ROLE_SUFFIX = re.compile(r"(记者|記者|기자)$")


@dataclass(frozen=True, kw_only=True)
class Transcript:
    spokesperson: str | None
    segments: tuple[Segment, ...]

    @property
    def questions(self) -> int:
        return sum(1 for s in self.segments if s.question is not None)


@dataclass(frozen=True)
class _Turn:
    label: str | None  # None: a paragraph that continues the turn before it
    rest: str
    paragraph: str


def is_role(label: str) -> bool:
    """Whether a label names a role ("Question", "Ответ", "R", "Press Secretary") rather than
    a person or an outlet."""
    key = _key(label)
    return bool(_GENERIC_ASKER.match(key)) or bool(re.fullmatch(
        r"a|r|answer|ответ|réponse|antwort|sprecher(in)?|press secretary|spokes(person|man|woman)|"
        r"official spokesperson|porte-parole|发言人|報道官|报道官|대변인|(المتحدث|الناطق)( الرسمي)?|"
        r"جواب|الجواب|سخنگو|پاسخ|(आधिकारिक )?प्रवक्ता|उत्तर|דובר|תשובה|portavo[zc]|porta-voz|"
        r"woordvoerder|rzecznik|sözcü|речник|respuesta|resposta|risposta|antwoord|odpowiedź|cevap|"
        r"відповідь|答|回答", key))


def _label_shape(label: str) -> bool:
    """A speaker's label rather than the start of a sentence with a colon in it."""
    label = label.strip()
    if not label or len(label) > 70 or label[-1] in ",;-–":
        return False
    if re.search(rf"[{_CJK}]", label):
        return len(label) <= 24 and not re.search(r"[，。、；]", label)
    words = re.findall(r"[^\s,()]+", label)
    if not words or len(words) > 8:
        return False
    if re.fullmatch(r"[\d\s.:/-]+", label):  # a time or a date ("10:30")
        return False
    capitalised = 0
    for word in words:
        core = word.strip("'’\".()[]")
        if not core:
            continue
        # a letter of a script without capitals (Arabic, Hebrew, Persian, Hindi) counts as one
        if core[0].isupper() or core[0].isdigit() or core.isupper() or (core[0].isalpha()
                                                                        and not core[0].islower()):
            capitalised += 1
        elif core.lower() not in _LABEL_GLUE:
            return False  # "the minister said: …"
    return capitalised > 0


def _split_turn(paragraph: str) -> _Turn:
    for pattern in (_BRACKET, _DASH, _COLON):
        found = pattern.match(paragraph)
        if found and _label_shape(found.group("label")):
            label = " ".join(found.group("label").split())
            if pattern is _BRACKET and not (_ASKER_ROLES.search(label) or _ANSWER_ROLES.search(label)
                                            or re.search(rf"[{_CJK}]", label)):
                continue  # "(Reuters) …", "[Updated] …": not a speaker
            return _Turn(label, found.group("rest").strip(), paragraph)
    return _Turn(None, paragraph.strip(), paragraph)


def _key(label: str) -> str:
    return " ".join(label.lower().replace(".", "").split())


def read_transcript(text: str, *, title: str = "") -> Transcript | None:
    """The briefing in ``text`` (paragraphs separated by line breaks), or None when it is not one
    (fewer than two questions, fewer than two distinct speakers, or a spokesperson who speaks
    once)."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    turns = [_split_turn(p) for p in paragraphs]
    turns = _labels_on_their_own_lines(turns)
    labelled = [t for t in turns if t.label is not None]
    if len(labelled) < 3:
        return None
    counts = Counter(_key(t.label) for t in labelled if t.label)
    if len(counts) < 2:
        return None
    answerers = _answerers(turns, counts, title)
    # a spokesperson answers more than once; one quoted line of an article does not make one
    if sum(counts[k] for k in answerers) < 2:
        return None
    segments = _segments(turns, answerers, title)
    transcript = Transcript(spokesperson=_spokesperson_name(turns, answerers, title),
                            segments=tuple(segments))
    return transcript if transcript.questions >= 2 else None


def _labels_on_their_own_lines(turns: list[_Turn]) -> list[_Turn]:
    """``Question:`` on a line of its own labels the paragraph after it."""
    out: list[_Turn] = []
    pending: _Turn | None = None
    for turn in turns:
        if pending is not None and turn.label is None:
            out.append(_Turn(pending.label, turn.rest, f"{pending.paragraph}\n{turn.paragraph}"))
            pending = None
            continue
        if pending is not None:
            out.append(pending)
            pending = None
        if turn.label is not None and not turn.rest:
            pending = turn
            continue
        out.append(turn)
    if pending is not None:
        out.append(pending)
    return out


def _answerers(turns: list[_Turn], counts: Counter[str], title: str) -> set[str]:
    """The labels that answer: named in the title, saying they answer by their role, or
    answering questions and never asking one (another ministry's spokesperson at a government
    briefing, the Chinese label of a bilingual one); failing all those, the label whose turns
    follow a question from the most other labels."""
    keys = list(counts)
    folded_title = _key(title)
    named = {k for k in keys if _named_in(k, folded_title) and not _ASKER_ROLES.search(k)}
    roles = {k for k in keys if _ANSWER_ROLES.search(k) and not _ASKER_ROLES.search(k)}
    after_question: dict[str, set[str]] = {}
    asks: set[str] = set()
    previous: _Turn | None = None
    for turn in turns:
        if turn.label is None:
            continue
        key = _key(turn.label)
        if ends_a_question(turn.rest):
            asks.add(key)
        if (previous is not None and previous.label and ends_a_question(previous.rest)
                and key != _key(previous.label)):
            after_question.setdefault(key, set()).add(_key(previous.label))
        previous = turn
    found = named | roles
    if found:
        found |= {k for k in keys if k in after_question and k not in asks and not _ASKER_ROLES.search(k)
                  and not found & after_question[k]}
        return found
    candidates = [k for k in keys if not _ASKER_ROLES.search(k)]
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


def _spokesperson_name(turns: list[_Turn], answerers: set[str], title: str = "") -> str | None:
    """The answerer the title names, else the one who answers most (a person before a role)."""
    labels = Counter(t.label for t in turns if t.label and _key(t.label) in answerers)
    if not labels:
        return None
    return max(labels, key=lambda label: (_named_in(_key(label), _key(title)), labels[label],
                                          not _ANSWER_ROLES.search(_key(label))))


def _asked_by(label: str, question: str) -> str | None:
    """The asker's outlet (or name) from a label and its question: ``AFP``, ``法新社`` from
    ``法新社记者``, ``NHK`` from ``Kojima, NHK``, ``WION`` from ``Sidhant: Sir Sidhant from
    WION.``, ``PTI, Doordarshan`` from an officer reading out ``Rishikesh from PTI asks …``."""
    key = _key(label)
    introduced = [(m.group(1), m.group(2).strip()) for m in _NAME_FROM_OUTLET.finditer(question[:400])]
    if _GENERIC_ASKER.match(key):  # "Question:", "记者：": the question may say who asks
        return introduced[0][1] if introduced else None
    first = key.split()[0] if key.split() else ""
    mine = [outlet for name, outlet in introduced if name.lower() == first]
    if mine:
        return mine[0]
    if introduced and ("osd" in key or _ANSWER_ROLES.search(key)):  # questions read out for others
        return ", ".join(dict.fromkeys(outlet for _, outlet in introduced))
    stripped = _CJK_ROLE_SUFFIX.sub("", label).strip("《》 ")
    if "," in stripped:
        stripped = stripped.rsplit(",", 1)[1].strip()
    return stripped or None


def _named(label: str | None, spokesperson: str | None) -> str | None:
    """Who spoke: the label, or the briefing's spokesperson when the label is only a role
    ("Ответ:", "R -"; "MR PRICE" stays: it names him) and the spokesperson has a name."""
    if label is None or is_role(label):
        return spokesperson if spokesperson and not is_role(spokesperson) else label
    return label


def _segments(turns: list[_Turn], answerers: set[str], title: str) -> list[Segment]:
    """Announcements (each spokesperson paragraph before the first question), then exchanges:
    the asker's turns up to the answer, and the answer."""
    segments: list[Segment] = []
    first_question = next((i for i, t in enumerate(turns)
                           if t.label is not None and _key(t.label) not in answerers), len(turns))
    speaker: str | None = None
    spokesperson = _spokesperson_name(turns, answerers, title)
    lead: list[str] = []  # paragraphs before a question, when no announcement precedes them
    for turn in turns[:first_question]:
        if turn.label is not None:
            speaker = turn.label
        segments.append(Segment(paragraphs=(turn.paragraph,), question=None, asked_by=None,
                                speaker=_named(speaker or spokesperson, spokesperson), answer=turn.rest))

    asked: list[_Turn] = []
    answered: list[_Turn] = []
    current_speaker: str | None = None

    def close() -> None:
        nonlocal asked, answered, lead
        if not asked and not answered:
            return
        question = "\n".join(t.rest for t in asked) or None
        label = next((t.label for t in asked if t.label), None)
        segments.append(Segment(
            paragraphs=(*lead, *(t.paragraph for t in asked), *(t.paragraph for t in answered)),
            question=question, asked_by=_asked_by(label, question or "") if label else None,
            speaker=_named(next((t.label for t in answered if t.label), current_speaker), spokesperson),
            answer="\n".join(t.rest for t in answered)))
        asked, answered, lead = [], [], []

    in_answer = False
    for turn in turns[first_question:]:
        if turn.label is None:
            (answered if in_answer else asked).append(turn)
            continue
        key = _key(turn.label)
        if key in answerers:
            in_answer = True
            current_speaker = turn.label
            answered.append(turn)
            continue
        if in_answer:  # a question after an answer, follow-up or not, has an answer of its own
            close()
        in_answer = False
        asked.append(turn)
    close()
    return segments
