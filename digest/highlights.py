"""Sentences: splitting, cleaning, and choosing highlights and a summary for a story.

Called by ``digest.stories`` for each story and by ``digest highlights`` for single documents.
Everything here is deterministic: the same input gives the same sentences.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from digest.text import CJK, QUESTION_WORDS, ends_a_question, stop_words

__all__ = [
    "Passage",
    "Ranking",
    "choose_highlights",
    "clean_sentence",
    "compose_summary",
    "is_question",
    "pick_highlights",
    "rank_sentences",
    "split_sentences",
]

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "sgt", "capt", "cmdr",
    "adm", "gov", "sen", "rep", "pres", "amb", "min", "no", "vs", "etc", "inc", "ltd", "co",
    "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "e.u", "i.e", "e.g", "approx", "dept", "fig", "al",
}
# a sentence ends at . ! ? … (or Arabic ؟) before a capital, a digit or a letter of a script
# without case (Arabic, Hebrew), and at the full stops of Chinese and Japanese
_END = re.compile(r"(?<=[.!?…؟])[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-ZÀ-ÖØ-ÞА-ЯЁ0-9\u0590-\u06ff])|(?<=[。！？])")
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,40})?"  # PLACE[, Country or Month day]
    r"(?:,\s*\w{3,9}\.? \d{1,2})?"
    r"\s*(?:\([^)]{1,40}\))?\s*[-–—]{1,2}\s+"
    r"|(?:[A-Z][\w .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,40})?\s*)?"  # [Place, Country] (Agency) --
    r"\([A-Z][\w .&-]{1,30}\)\s*[-–—]{1,2}\s+)"
)
_PICTURE_NOTE = re.compile(r"\s*\((?:pictured|pictured [\w ]{1,20}|left|right|centre|center|above|below|"
                           r"file photo|inset|top|bottom)\)", re.IGNORECASE)
_LEADING_ATTRIBUTION = re.compile(r"^According to [^,]{3,60}, (?=\w)")
_TRAILING_ATTRIBUTION = re.compile(
    r",[\"”’']?\s+(?:(?:the |a )?[\w.'’ -]{2,40}?\s+)?"
    r"(?:said|says|told [\w ]{2,30}|reported|added|according to [\w.'’ -]{2,40}?)"
    r"(?:\s+(?:on|late on|early on|in a statement on)\s+\w+day)?(?:\s+in a statement)?([.!\"”’']*)$")
_SPEAKER = re.compile(r"^[A-Z][\w.'’ -]{1,40}:\s+")
_BYLINE = re.compile(r"^(?:by|par|von|por)\s+[A-Z][\w.'’ -]{1,60}$", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"(read more|click here|subscribe|sign up|all rights reserved|cookies?|copyright|"
    r"follow us|share this|reporting by|editing by|photo:|image:|credit:)",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+", re.UNICODE)
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+")
_LETTERS = re.compile(r"[^\W\d_]{2,}")  # a word with letters (any script)
# a question, in any language: a question mark (ASCII or full-width), a Chinese sentence-final
# particle of a question, or a label that says so
_QUESTION_LABEL = re.compile(rf"^(?:{'|'.join(map(re.escape, QUESTION_WORDS))})\s*[:：-]", re.IGNORECASE)
_NAMING = re.compile(rf"[{CJK}]|\d|(?<=[\w,;:'’\"”)] )[A-ZÀ-ÖØ-ÞА-ЯЁ]\w")
# a sentence that points at something outside it: it cannot stand alone as a highlight
_DANGLING = re.compile(
    r"(^(?:he|she|they|it|this|that|these|those|the below|the following)\s+"
    r"(?:said|says|added|noted|stressed|is|are|was|were)\b[^.]{0,40}$)"
    r"|attributable to|as follows|the following (?:statement|remarks)|[:：]\s*$",
    re.IGNORECASE)
# speech in the first person, and quotation marks that attribute it to someone
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My|me|ours)\b")
_QUOTED = re.compile(r"[\"“”«»„]")
# reactions to an event (condolences, condemnation, welcome): they come after the event itself
_REACTION = re.compile(
    r"\b(condolences?|sympath(?:y|ies|ise|ize)|mourn|condemn(?:s|ed)?|deplor(?:es|ed)|"
    r"welcom(?:es|ed)|express(?:es|ed)? (?:its|his|her|their|deep|sincere)|thoughts are with|"
    r"stands? ready to help|offers? (?:its|his|her) (?:support|assistance))\b",
    re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class Passage:
    """A text to draw sentences from; ``key`` names where it came from (a source)."""

    key: str
    title: str
    text: str
    weight: float = 1.0


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; paragraph breaks always end a sentence."""
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        start = 0
        for match in _END.finditer(paragraph):
            candidate = paragraph[start : match.start()].strip()
            last = candidate.rsplit(" ", 1)[-1].rstrip(".").lower()
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            if candidate:
                sentences.append(candidate)
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def clean_sentence(sentence: str) -> str:
    """A sentence that stands alone and says it briefly: no dateline, no speaker label, no
    leading or trailing attribution ("According to police, …", "…, officials said."), no
    picture notes ("(pictured)")."""
    sentence = _DATELINE.sub("", sentence.strip(), count=1)
    sentence = _SPEAKER.sub("", sentence, count=1)
    sentence = _PICTURE_NOTE.sub("", sentence)
    shorter = _TRAILING_ATTRIBUTION.sub(r"\1", _LEADING_ATTRIBUTION.sub("", sentence, count=1), count=1)
    if len(_WORD.findall(shorter)) >= 6:  # what is left still says something
        sentence = shorter
    sentence = sentence.strip(" -–—")
    if sentence[:1].islower():
        sentence = sentence[:1].upper() + sentence[1:]
    return sentence


def is_question(sentence: str) -> bool:
    """A question (``?``, ``？``, ``؟``, ``吗``/``呢`` at the end, or a label: ``Вопрос:``,
    ``سؤال:``, ``प्रश्न:``): never a highlight."""
    return ends_a_question(sentence) or _QUESTION_LABEL.match(sentence.lstrip()[:40]) is not None


def names_something(text: str) -> bool:
    """Whether ``text`` names someone or something: a capitalised word past a sentence's first,
    a number, or a script without case. "We have taken note of relevant reports." does not."""
    return _NAMING.search(text) is not None


def _usable(sentence: str) -> bool:
    if is_question(sentence) or _DANGLING.search(sentence):
        return False
    words = len(_WORD.findall(sentence))
    # a CJK sentence's length in characters, its punctuation (U+3000 on) counted
    cjk = sum(1 for ch in sentence if "\u3000" <= ch <= "\u9fff")
    if cjk:
        return 10 <= cjk <= 120
    return (
        6 <= words <= 45
        and len(_LETTERS.findall(sentence)) >= 4  # not "14:11 EST, 25 October 2013"
        and not sentence.endswith("?")
        and not _BYLINE.match(sentence)
        and not _BOILERPLATE.search(sentence)
    )


@dataclass(frozen=True)
class _Candidate:
    text: str
    key: str
    position: int
    weight: float


def _candidates(passages: Sequence[Passage], *, lead: int) -> list[_Candidate]:
    found: list[_Candidate] = []
    for passage in passages:
        position = 0
        for raw in split_sentences(passage.text):
            if is_question(raw):  # a reporter's question, not news
                continue
            sentence = clean_sentence(raw)
            if _usable(sentence):
                found.append(_Candidate(sentence, passage.key, position, passage.weight))
                position += 1
                if position >= lead:
                    break
    return found


_HASHER = HashingVectorizer(analyzer="char_wb", ngram_range=(4, 4), lowercase=True,
                            n_features=2**20, alternate_sign=False, norm=None)


def _similarities(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarities of the texts' TF-IDF vectors over character 4-grams (which match
    word forms across inflections and scripts; 3- to 5-grams scored the same on the CNN/DM train
    sample at 2.5 times the cost). The n-grams are hashed: no vocabulary to build per story,
    and a collision among a million buckets is rare."""
    counts = _HASHER.transform(texts)
    counts = counts[:, np.unique(counts.indices)]  # only the buckets in use
    matrix = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    return (matrix @ matrix.T).toarray()


@dataclass(frozen=True)
class Ranking:
    """A story's candidate sentences, their similarities to each other and scores: computed
    once, used by both :func:`choose_highlights` and :func:`compose_summary`."""

    candidates: list[_Candidate]
    similarities: np.ndarray
    scores: np.ndarray


def rank_sentences(passages: Sequence[Passage], *, lead: int = 10, budget: int = 60) -> Ranking:
    """Score the first ``lead`` usable sentences of each passage (fewer, but at least three, when
    many passages would exceed ``budget`` sentences in all): central, early and short is best."""
    lead = max(3, min(lead, budget // max(1, len(passages))))
    candidates = _candidates(passages, lead=lead)
    if not candidates:
        return Ranking([], np.zeros((0, 0)), np.zeros(0))
    texts = [c.text for c in candidates] + [p.title for p in passages]
    similarities = _similarities(texts)
    # each sentence's cosine with the centroid of all the texts (sentences and titles)
    centroid_norm = math.sqrt(similarities.sum()) or 1.0
    centrality = similarities[: len(candidates)].sum(axis=1) / centroid_norm
    scores = np.array([
        centrality[i] * c.weight / (1 + c.position) ** 1.5 * _brevity(c.text)  # 1.5: CNN/DM dev sample
        for i, c in enumerate(candidates)
    ])
    n = len(candidates)
    return Ranking(candidates, similarities[:n, :n], scores)


def _stems(sentence: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(sentence.lower()) if len(w) > 3}


def _names(sentence: str) -> set[str]:
    """The capitalised words that name someone or something: not a stop word of the languages
    the stories know (an opening "The", "Les", "Die"), a day or a month."""
    return {w.lower() for w in _CAPITALISED.findall(sentence)} - _not_names()


@cache
def _not_names() -> frozenset[str]:
    days_and_months = {n.lower() for n in (*calendar.day_name, *calendar.month_name) if n}
    return frozenset(days_and_months).union(*(stop_words(lang) for lang in ("fr", "de", "es", "ru")))


def _restates(sentence: str, other: str, share: float = 0.6, named_share: float = 0.4) -> bool:
    """Whether the shorter sentence says what the other does: most of its content words
    (5-letter stems) are in the other, a paraphrase that character n-grams miss ("sent
    condolences" / "expressed condolences"); or a good part of them are, and every name in one
    (three or more) is in the other, with a word besides them: the same event told in other
    words ("Norland and Estmark signed a treaty to share the Silva River" / "After a decade of
    quarrels over the Silva River, Norland and Estmark have signed a water-sharing treaty")."""
    a, b = _stems(sentence), _stems(other)
    shorter = min(len(a), len(b))
    if shorter == 0:
        return False
    shared = a & b
    if len(shared) / shorter >= share:
        return True
    if len(shared) / shorter < named_share:
        return False
    fewer, more = sorted((_names(sentence), _names(other)), key=len)
    return len(fewer) >= 3 and fewer <= more and bool(shared - {name[:5] for name in more})


def _brevity(sentence: str) -> float:
    """1.0 up to 35 words, less for longer sentences: a highlight is read at a glance."""
    words = len(_WORD.findall(sentence))
    return min(1.0, 35.0 / words) if words else 0.0


def choose_highlights(passages: Sequence[Passage], n: int = 3, *, redundancy: float = 0.45,
                      ranking: Ranking | None = None) -> list[str]:
    """Up to ``n`` short, self-contained sentences, central to the passages and unlike each
    other, preferring a source not yet used."""
    return [text for text, _ in pick_highlights(passages, n, redundancy=redundancy, ranking=ranking)]


def pick_highlights(passages: Sequence[Passage], n: int = 3, *, redundancy: float = 0.45,
                    ranking: Ranking | None = None) -> list[tuple[str, str]]:
    """:func:`choose_highlights` with the key of the passage each came from: ``(text, key)``.
    What happened comes first: a reaction to it (condolences, condemnation) goes after the
    sentences that are not reactions, and a formula that names nobody and nothing ("We have
    taken note of relevant reports.") after those that do."""
    ranking = ranking or rank_sentences(passages)
    candidates, similar, scores = ranking.candidates, ranking.similarities, ranking.scores
    chosen: list[int] = []
    used_keys: set[str] = set()
    remaining = set(range(len(candidates)))
    while remaining and len(chosen) < n:
        def gain(i: int) -> tuple[float, int]:
            bonus = 1.0 if candidates[i].key not in used_keys else 0.85
            return (scores[i] * bonus, -i)

        best = max(remaining, key=gain)
        remaining.discard(best)
        if any(similar[best, j] > redundancy
               or _restates(candidates[best].text, candidates[j].text) for j in chosen):
            continue
        chosen.append(best)
        used_keys.add(candidates[best].key)
    chosen.sort(key=lambda i: (_REACTION.search(candidates[i].text) is not None,  # stable
                               not names_something(candidates[i].text)))
    return [(candidates[i].text, candidates[i].key) for i in chosen]


def compose_summary(passages: Sequence[Passage], *, max_words: int = 150,
                    redundancy: float = 0.35, ranking: Ranking | None = None,
                    besides: Sequence[str] = ()) -> str:
    """A paragraph of about 80-200 words: the most central passage's lead, then what the other
    passages add, without repeating a sentence's content, nor what the highlights (``besides``)
    already say: the paragraph adds to them. It is the digest's own voice: a sentence in the
    first person outside quotation marks (a statement's "we") is left to the highlights, which
    say who spoke."""
    ranking = ranking or rank_sentences(passages)
    candidates, similar, scores = ranking.candidates, ranking.similarities, ranking.scores
    if not candidates:
        return ""
    said = [i for i, c in enumerate(candidates) if c.text in set(besides)]
    # Lead source: the passage whose sentences are most central.
    totals: dict[str, float] = {}
    for i, c in enumerate(candidates):
        totals[c.key] = totals.get(c.key, 0.0) + float(scores[i])
    lead_key = max(sorted(totals), key=lambda k: totals[k])
    order = [i for i, c in enumerate(candidates) if c.key == lead_key]
    order += sorted((i for i, c in enumerate(candidates) if c.key != lead_key),
                    key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    words = 0
    for i in order:
        if _FIRST_PERSON.search(candidates[i].text) and not _QUOTED.search(candidates[i].text):
            continue  # someone's own words ("we remain open to dialogue") need a speaker: not here
        length = len(_WORD.findall(candidates[i].text))
        if words + length > max_words and words >= 60:
            continue
        if i in said or any(similar[i, j] > redundancy for j in chosen + said):
            continue
        chosen.append(i)
        words += length
        if words >= max_words * 0.8:
            break
    lead_part = [i for i in chosen if candidates[i].key == lead_key]
    rest = [i for i in chosen if candidates[i].key != lead_key]
    return " ".join(candidates[i].text for i in lead_part + rest)
