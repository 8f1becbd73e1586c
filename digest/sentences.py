"""Sentences: where they end, what a sentence is (a question, a formula that answers nothing,
one that points back to another, someone's own words), and the same sentence cleaned and
shortened to stand alone as a highlight without changing what it says. Deterministic.

Used by :mod:`digest.highlights` (which sentences a story shows), :mod:`digest.stories` (titles
and headlines) and :mod:`digest.transcripts`.
"""

from __future__ import annotations

import re

from digest.clauses import first_fact
from digest.speech import opens_a_new_point, talks_to_the_room
from digest.text import CJK, QUESTION_WORDS, SYLLABIC, ends_a_question, words_in

__all__ = ["BRIEF", "LONGEST", "TELLING", "as_what_it_is", "clean_sentence", "compress",
           "formula_kind", "is_ended", "is_question", "names_only", "names_something",
           "needs_antecedent", "opens_a_new_point", "speaks_for_itself", "split_addressee", "split_sentences",
           "talks_to_the_room", "words_in"]

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "sgt", "capt", "cmdr",
    "adm", "gov", "sen", "rep", "pres", "amb", "min", "no", "vs", "etc", "inc", "ltd", "co",
    "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "e.u", "i.e", "e.g", "approx", "dept", "fig", "al",
}
# a sentence ends at . ! ? … (or Arabic ؟, Hindi ।) before a capital, a digit or a letter of a
# script without case (Arabic, Hebrew, Devanagari), and at the full stops of Chinese and Japanese
_END = re.compile(r"(?<=[.!?…؟।])[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-ZÀ-ÖØ-ÞА-ЯЁ0-9\u0590-\u06ff\u0900-\u097f])"
                  r"|(?<=[。！？])"
                  # a picture's caption run into the text without its full stop ("… was banned from
                  # driving The brother of ex-footballer Ryan Giggs has lost his job"): "The" and a
                  # word in lower case after a lower-case word open a sentence (a title's "The" is
                  # followed by a capital: "‘The First Great Escape’", "said The Washington Post")
                  r"|(?<=[a-z’'”])\s+(?=The\s+[a-z])")
# letters with full stops ("h.r", "a.m", "d.c"), and what goes on after one where no sentence
# begins: a number ("H.R. 1"), a day or a time zone ("10 a.m. Friday", "2 p.m. ET")
_INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]")
# a place's initials may end a sentence: where a word that only opens one follows them, one did
_PLACES_INITIALLED = frozenset({"u.s", "u.k", "u.n", "e.u"})
_OPENS_A_SENTENCE = re.compile(r"(?:The|A|An|He|She|It|They|We|I|This|That|These|Those|His|Her|Its|Their|Our|"
                               r"But|And|In|On|At|As|For|If|When|While|After|Before|There|However|Yet)\s")
_GOES_ON = re.compile(r"\d|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|(?:[ECMP][SD]?T|GMT|UTC)\b")
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

_WORD = re.compile(r"\w+", re.UNICODE)

# a question, in any language: a question mark (ASCII or full-width), a Chinese sentence-final
# particle of a question, or a label that says so
_QUESTION_LABEL = re.compile(rf"^(?:{'|'.join(map(re.escape, QUESTION_WORDS))})\s*[:：-]", re.IGNORECASE)
# scripts without capital letters (Hebrew, Arabic, Persian, Hindi, Bengali, Tamil, Thai, Georgian,
# Amharic, and Chinese, Japanese, Korean): a name is not told from any word by its first letter
_CASELESS = "\u0590-\u08ff\u0900-\u0dff\u10d0-\u10ff\u1200-\u137f" + SYLLABIC + CJK
_NAMING = re.compile(rf"[{_CASELESS}]|\d|(?<=[\w,;:'’\"”)] )[A-ZÀ-ÖØ-ÞА-ЯЁ]\w")

# what a highlight can lose without changing what it says: an opening that only stresses
# ("Let me stress that"), a parenthesis without a figure, a clause that describes someone
# already named (", who …,"), and, in a long sentence, its opening time phrase ("On Monday, ")
_STRESSING = re.compile(
    r"^(?:let me (?:stress|emphasi[sz]e|reiterate|point out|say|add|underline|reaffirm|make clear)"
    r"|i (?:want|would like|'d like|’d like) to "
    r"(?:stress|emphasi[sz]e|point out|say|add|reiterate|make clear)"
    r"|it (?:should|must) be (?:pointed out|noted|stressed|emphasi[sz]ed)|i must (?:stress|point out)"
    r"|i (?:want|would like|'d like|’d like) to (?:start|begin)(?: out)? by (?:noting|saying|announcing)"
    r"|as (?:you|many of you|you all) (?:know|may know|may have seen|have seen|saw|heard)[^,]{0,40}"
    r"|on (?:your|the) (?:first|second|third|last|other|next) (?:question|point)"
    r"|we (?:want|would like) to (?:stress|emphasi[sz]e|reiterate)"
    r"|as (?:i|we)(?: have|'ve|’ve)? (?:been saying|said|stressed|noted|pointed out)"
    r"(?: (?:before|many times|repeatedly))?"
    # a connective that only adds: what follows stands alone ("Additionally, the Treasury announced …")
    r"|additionally|moreover|furthermore|in addition(?= *,)|indeed|at the same time)"
    r"(?: (?:once again|again|here))?(?: that)?,?\s+"
    r"|^(?:我们?(?:还|也)?(?:要|想|愿)?(?:再次)?(?:强调|重申|指出)(?:的是)?|需要(?:强调|指出)的是"
    r"|(?:关于)?(?:你的?)?第[一二三四五]个问题)[，,]\s*"
    # and a spoken answer's fillers ("Okay, …", "So, look, …", "Honestly, …"), counts ("First, the
    # minister will …", "One, USAID put out …"), the answer's "Yes," / "No," (its question is not
    # shown beside it) and what only leads in ("In fact, …", "For example, …": what follows stands)
    r"|^(?:(?:ok(?:ay)?|well|so|look|listen|yeah|yes|no|now|al(?:l )?right|um|uh|i mean|like|"
    r"first(?: of all)?|firstly|second(?:ly)?|third(?:ly)?|lastly|finally|(?:number )?(?:one|two|three)|"
    r"obviously|clearly|honestly|frankly|basically|again|certainly|of course|you know|in fact|"
    r"for (?:example|instance)|as (?:always|usual))"
    r"\s*[,—–]\s*)+", re.IGNORECASE)
# a Japanese answer's connective ("その上で、" on that basis): what follows says its fact alone
_JA_CONNECTIVE = re.compile(r"^(?:その上で|また|なお|さらに|加えて)、")
# "the report you mentioned" is the report: "你提到的有关报告…" -> "有关报告…"
_YOU_MENTIONED = re.compile(r"你(?:刚才|此前)?(?:提到|所说|谈到)的")
_ASIDE = re.compile(r"\s*\((?![^()]*\d)[^()]{1,60}\)")
# a clause about someone or something just named, between commas, with the sentence going on
# after it: not where its second comma only sets off a name it ends on ("…, which was flying
# from the Greek capital, Athens.") or what it ends on ("Trump, who lost to Biden, a Democrat, in
# a November election": "Trump a Democrat" was left)
_RELATIVE = re.compile(r",\s+(?:who|which)\s[^,;:]{3,80},\s+(?!(?:a|an|the|and|or)\s)"
                       r"(?=(?:[^\s.!?]+\s+){2}\S)", re.IGNORECASE)
_TIME_WORD = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|"
              r"morning|afternoon|evening|night|week|month|year|weekend|january|february|march|april|"
              r"may|june|july|august|september|october|november|december|decades?|years|months|weeks|days|"
              r"hours|\d{4}\b|\d{1,2}(?::\d\d)? ?[ap]\.?m\b)")  # a year, a clock time: no tally
# (the phrase ends on its time: "On Monday Carlson, a long-time critic …" keeps who spoke)
_OPENING_TIME = re.compile(
    rf"^(?:(?:late|early|earlier|later) )?(?:on|in|at|during|since|by|last|this|earlier|over|for) "
    rf"(?=[^,]{{0,30}}\b{_TIME_WORD})(?:[^,]{{0,48}}\s)?(?:{_TIME_WORD}|\d{{1,2}}(?:st|nd|rd|th)?|ago|time|"
    rf"(?:[ECMP][SD]?T|GMT|UTC))\.?,\s+(?=\w)", re.IGNORECASE)
# (not the object of a preposition: "a shutdown at the end of this week" keeps its week)
_INNER_TIME = re.compile(
    r"(?:(?<=\w)(?<!\bof)(?<!\bby)(?<!\bto)(?<!\buntil)(?<!\bfrom)(?<!\bbefore)(?<!\bafter)(?<!\bsince)"
    r"(?<!\bthrough)|,(?= (?:late|early) on \w+\.$)) (?:(?:late|early) )?(?:on|last|this) "
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|morning|afternoon|evening|week|weekend)(?: (?:morning|afternoon|evening|night))?(?=[ ,.;])",
    re.IGNORECASE)
# a closing clause that reports or comments on what the sentence said (", saying …", ", raising
# fears of …", "amid …"): a long highlight says its fact without it
_TRAILING_COMMENT = re.compile(
    r"(?:, (?:saying|adding|citing|accusing|calling|raising|prompting|sparking|fuelling|fueling|"
    r"underscoring|highlighting|signalling|signaling|as part of)|,? (?:amid|in a move))"
    r"\b[^;:]{3,}?(?=[.!]?$)",
    re.IGNORECASE)  # a participle after its comma only: "she will be calling on allies" is the fact,
# and so is "as part of": "they did so as part of a plan made days earlier to build a fence"
_SHORT_ENOUGH = 20  # words: a sentence this short keeps its time phrase
# a figure keeps who gave it: a trailing attribution is kept where the sentence has a number
_FIGURE = re.compile(r"\d")

# formulas that answer nothing: what each is, told as what it is when an answer is only that.
# Kinds, not ministries: a referral, nothing to say, already said, will be announced, noted.
_FORMULAS = (
    ("referred", re.compile(
        # "I would point you to the Department of Justice", "We would leave that to the NLRB"
        r"(?:point|direct)(?:ing)? you to\b|(?:leave (?:that|it|this)(?: up)?|defer) to (?:the )?(?-i:[A-Z])|"
        # "… this is a better question for the Department of Defense"
        r"(?:a )?better (?:question|asked) (?:for|of) (?:the )?(?-i:[A-Z])|"
        r"refer you to|competent authorit|relevant (?:authorities|departments)|主管部门|有关部门|"
        r"请向.{0,12}(?:询问|了解)|направ(?:ить|ляю) (?:вас )?к|переадрес|"
        r"(?:関係|所管の?|担当の?)(?:省庁|官庁|当局)に(?:お)?(?:問い合わせ|尋ね|照会)|"
        r"(?:je vous |nous vous )?renvo(?:ie|yons) (?:aux|vers les) autorités|"
        r"verweise (?:Sie )?(?:auf|an) (?:das|die|den) zuständige|(?:le|les) remito a|"
        r"الجهات المختصة", re.IGNORECASE)),
    ("declined", re.compile(
        r"nothing (?:to (?:offer|share|add|announce|release)|further)|not (?:aware|familiar) (?:of|with)|"
        r"no information (?:to|on)|"
        r"have no (?:comment|information)|do not comment|don't comment|won't comment|"
        r"(?:not going to|won['’]t|will not|can['’]t|cannot|(?:don['’]t|do not) want to|let['’]s not) "
        r"(?:comment|get ahead of|"
        r"(?:speak to|address|confirm) (?:that|this|it|them|those|these)\b|"
        r"get into (?:the )?(?:details|specifics|hypotheticals))|"
        # the speaker's own refusal: "I'm not going to get into private conversations …", "Not going to
        # speak for what their intentions are" (not "Refugees won't get into the country")
        r"(?:^|\b(?:I|we)(?:['’](?:m|re))?\s+(?:am\s+|are\s+)?)(?:not going to|won['’]t|will not|can['’]t|"
        r"cannot)\s+(?:get into|speak for)\b|"
        # "We're not in a position to assess that."
        r"\bnot in a position to (?:assess|say|comment|confirm|speak|share|discuss|get into|characterize)\b|"
        r"(?:don't|don’t|do not|doesn't|doesn’t) have (?:anything(?: (?:more|new|further|else))?"
        r"(?: to (?:add|share|offer))?|any (?:(?:more|new|further|other) )?(?:updates?|details|information|"
        r"news|readouts?|calls|announcements?|comments?|specifics|timelines?|time ?frames?|guidance|plans|"
        r"predictions)|"
        r"any (?:[\w-]+ ){1,2}to (?:announce|share|read out|preview|add|offer|report)\b|"
        r"any(?= for you|[.,])|"  # not "I don't have any concerns about the bill, which passed …"
        r"an? (?:update|comment|timeline|time ?frame))\b|no updates? (?:today |to share )?(?:on|for)\b|"
        # "I don't think we have a timeframe …, but I will check with the negotiators and see."
        r"(?:don't|don’t|do not) (?:think|believe|know if) (?:we|I) have (?:an? |any )?"
        r"(?:(?:specific|exact|set|firm|final) )?(?:timeline|time ?frame|update|date)s?\b|"
        r"there(?:'s|’s| is) no update|"
        r"(?:have|has) (?:taken|take) note of|noted (?:the )?(?:relevant )?reports|"
        r"不掌握|不了解|没有(?:可以)?(?:提供|发布)|我没有.{0,4}信息|不予评论|不作评论|注意到(?:有关|相关)报道|"
        r"нечего добавить|без комментариев|не располага(?:ю|ем) (?:такой )?информацией|не комментиру|"
        r"(?:お答え|コメント|言及|回答)(?:すること|する)?(?:は|を|も)?(?:差し控え|控え)|(?:お答え|コメント)する立場に(?:は)?(?:ない|ありません)|"
        r"(?:報道|ご指摘)[^。]{0,20}承知して(?:いる|います|おります)|承知して(?:いない|おりません)|"
        r"(?:決まっている|決定している|申し上げられる)こと(?:は|も)(?:ない|ありません|ございません)|"
        r"pas de commentaire|ne (?:commente|commenterai|commenterons) pas|"
        r"(?:je n'|je n’|nous n'|nous n’)a(?:i|vons) pas d['’](?:information|annonce)|pris note|"
        r"kann ich (?:Ihnen )?(?:nichts|keine Auskunft)|"
        r"(?:kommentieren|äußern) (?:wir|ich) (?:uns |mich )?nicht|"
        r"liegen (?:mir|uns) keine (?:Erkenntnisse|Informationen)|zur Kenntnis genommen|"
        r"no (?:tenemos|tengo|haremos|hacemos) (?:ningún )?comentarios?|no (?:tenemos|tengo) información|"
        r"(?:hemos|he) tomado nota|لا تعليق|ليس لدي(?:نا)? معلومات|"
        r"कोई टिप्पणी नहीं|टिप्पणी (?:नहीं|करना उचित नहीं)|कोई जानकारी नहीं", re.IGNORECASE)),
    ("said before", re.compile(
        # "China has made its position clear on many occasions.", "China's position on X is amply clear."
        r"(?:made|shared|stated|expressed)(?: (?:its|our|china['’]s|the))? (?:position|stance)(?: clear)? "
        r"(?:on (?:many|multiple|several|numerous) occasions|more than once|many times|repeatedly|before)|"
        # (and "… is consistent and clear"; not "China's opposition to arms sales to Taiwan is …")
        r"^[^.,]{0,40}\b(?:position|stance)(?: on [^.,]{1,60})? is "
        r"(?:amply |very |crystal |quite |abundantly |consistent and |firm and )?clear[.!]?$|"
        # "We've talked about this a little bit.", "We've conveyed that many times publicly."
        r"^(?:we|i)(?:['’]ve| have) (?:talked about|conveyed|said|spoken to|addressed|answered) "
        r"(?:this|that|it)(?: (?:a little bit|a lot|before|many times|publicly|repeatedly|already|at length|"
        r"in the past|in here|here|from here|from this podium))*[.!]?$|"
        # a sentence that only says it is clear ("We've been very clear on that.", "Let's be very
        # clear here."): what was made clear is not in it
        r"^(?:(?:we|i)(?:['’]ve| have) (?:been|made (?:it|that|this)) |let(?:['’]s| me| us) "
        r"(?:be|make (?:it|that|this)) )(?:(?:very|really|quite|pretty|abundantly|crystal|absolutely),? )*"
        r"clear(?: (?:on|about) (?:that|this|it)| here| from the (?:start|beginning)| publicly)?[.!]?$|"
        r"answered (?:this|the|that|a similar|similar) questions?(?! about| on| of)|"
        # "I think he was asked this question twice today and answered it."
        r"(?:was|were|been) asked (?:this|that|the same|a similar) question\b|"
        r"(?:already|previously|has|have)(?: (?:repeatedly|already|previously|just))? "
        r"(?:stated|elaborated on|made clear|expounded) (?:on )?"
        r"(?:china['’]s|our|its|their|the) (?:position|stance)|"
        r"(?:my colleague|we) (?:has|have) (?:already )?(?:stated|responded|answered)|"
        # "I just don't have anything to add to what Jake Sullivan, our National Security Advisor, shared"
        r"(?:anything|nothing)(?: (?:more|new|further|else))? to add (?:to|beyond) what [^.;]{1,100}?"
        r"(?:said|shared|stated|announced|outlined|laid out|put out)\b|"
        r"已经(?:回答|阐明|介绍|表明)|已经.{0,6}阐述|已经?作了?(?:回答|答复)|回答过|阐明了立场|"
        r"多次(?:阐明|表明|介绍|阐述)|"
        # "中方在乌克兰危机问题上的立场是一贯的、明确的。" (China's position on … is consistent and clear)
        r"^(?:中方|中国)(?:在[^，。]{1,30}上)?的立场是(?:一贯的[、，]?明确的|一贯的|明确的)。?$|"
        r"(?:既に|先ほど|これまで|繰り返し)(?:も)?(?:お答え|申し上げ|述べ)|"
        r"(?:déjà|à plusieurs reprises) (?:exprimé|rappelé|répondu)|bereits (?:gesagt|geantwortet|dargelegt)|"
        r"ya (?:he|hemos) (?:respondido|dicho|expresado)|уже (?:отвечал|говорил|комментировал)",
        re.IGNORECASE)),
    ("will announce", re.compile(
        r"(?:release|share|provide|put out) (?:the )?(?:relevant )?(?:information|press releases?)"
        r"[^.;]{0,60}?(?:in (?:a )?(?:due course|timely manner)|to keep you (?:updated|posted))|"
        r"(?:released|put out|issued) (?:a |the )?readout|readout (?:has been|was) (?:released|issued)|"
        r"(?:information|details) (?:will|would) be (?:released|shared|provided)[^.;]{0,40}?"
        r"(?:in (?:a )?(?:due course|timely manner)|if there is any)|"
        r"适时发布|已(?:经)?发布了?(?:有关|相关)?(?:新闻稿|消息)|\bstay tuned\b|"
        r"(?:決まり次第|しかるべき時期に|適切な時期に|追って)[^。]{0,20}(?:お知らせ|発表|公表)|"
        r"(?:sera|seront) (?:annoncée?s?|communiquée?s?) (?:en temps utile|le moment venu)|"
        r"zu gegebener Zeit (?:informieren|mitteilen|bekannt)|"
        r"(?:se informará|informaremos|se anunciará|se dará a conocer)[^.]{0,30}"
        r"(?:en su momento|oportunamente)|"
        r"(?:сообщим|будет сообщено|проинформируем) (?:дополнительно|своевременно|в своё время)|"
        r"سيتم الإعلان عن[^.]{0,40}في حينه|उचित समय पर[^।]{0,30}(?:जानकारी|सूचित|घोषणा)", re.IGNORECASE)),
)
# the formulas' kinds, the one that tells most of what an answer did first: a referral says where to
# ask ("… this is a better question for the Department of Defense"), a refusal only that it refused
TELLING = ("referred", "will announce", "said before", "declined")
# what a sentence opens with to say what it is about ("On Lithuania, …", "关于你提到的问题，")
_TOPIC = re.compile(r"^(?:on|as for|as to|regarding|concerning|with regard to)\s[^,]{1,80},\s*"
                    r"|^to (?:the|your) (?:particular |specific )?question (?:on|about) [^:,]{1,60}[:,]\s*"
                    r"|^关于[^，。]{1,40}，|^[^、。]{1,40}(?:については|に関しては)、?", re.IGNORECASE)
# openings that point back at something said before: a sentence so opened needs it just before it
_NEEDS_ANTECEDENT = re.compile(
    r"^[\"“]?(?:he|she|it|they|its|his|her|their|both|the two|this|these|those|that|but|also|however|"
    r"meanwhile|and|nor|still|yet|such|other|hence|therefore|thus|"
    r"the (?:move|decision|statement|announcement|comments?|remarks?|official|spokesperson|ministry|"
    r"agency|report|pair|latter|former|same|aim|purpose|goal|reason))\b"
    # a connective that takes up the sentence before ("Similar fireworks are expected Tuesday", "Instead,
    # …", "As a result, …"); "Instead of …" says what it stands for
    r"|^(?:similar(?:ly)?|likewise|instead(?! of)|nonetheless|nevertheless|as a result|in contrast|"
    r"by contrast)\b|^neither (?=(?:will|would|is|are|was|were|do|does|did|can|could|has|have|should)\b)"
    r"|^(?:before|after|when|while|as|since|although|though|if|once|until|because)\s+(?:he|she|they|it)\b"
    r"|^(?:one|another|the (?:first|second|third|last|other)(?: one)?) (?:is|was)\b|^step (?:one|two|three)\b"
    r"|^(?:他|她|它|他们|她们|这|此|该|但|同时|此外|双方|其间|期间|其中|另外|对此|为此|因此|然而|不过|而且)"
    r"|^(?:在|对|为|因|由|就|与|除|据|从|鉴于)(?:此|这)"  # "在此背景下" (against this background)
    # and in the ministries' other languages ("Darüber wird … beraten", "Cela montre…", "Это …")
    r"|^(?:darüber|dazu|davon|daran|dies(?:e[rsnm]?)?|er|cela|ceci|mais|il(?! (?:y a|faut|est (?:important|"
    r"nécessaire|essentiel)))|elle|ils|elles|esto|eso|pero|él|ella|ellos|это|этот|эта|эти|их|его|её|он|она|они|"
    r"но|также)\b"
    # and in Japanese ("その上で", "また", "これは"), but "この度" (this time) points nowhere
    r"|^(?:その上で|また、|一方|しかし|ただし|これ|それ|この(?!度|たび)|その|こうした|そうした|同(?:氏|国|大臣)|彼)"
    r"|^(?:中方|中国|我们|我方)?(?:此举|此事|这一(?:举动|做法|决定|行为|举措))"  # "中方此举完全正当"
    # and, anywhere, words that are what someone said or did before ("making such remarks")
    r"|\b(?:such|these|those|the said)\s+(?:remarks|moves?|acts?|actions|statements?|comments|"
    r"claims|words|practices|behaviou?r|rhetoric|allegations|provocations?|developments|measures|steps|"
    r"incidents|efforts|attempts|activities)\b"
    r"|(?:上述|此类|这种|这些)(?:言论|言行|做法|行为|举动|表态|报道)", re.IGNORECASE)

_FIRST_PERSON = re.compile(
    r"\b(?:I|we|We|our|Our|us|my|My|me|ours)\b"
    # and in the other languages ministries brief in: French, German, Spanish, Russian, Arabic
    r"|(?i:\b(?:je|j(?=['’])|nous|notre|nos|ich|wir|uns|unser|unsere|unseren|unserer|yo|nosotros|nosotras|"
    r"nuestro|nuestra|nuestros|nuestras|я|мы|нас|нам|наш|наша|наше|наши|нашей|наших|мне|меня)\b)"
    r"|(?<!\w)(?:نحن|أنا)(?!\w)")

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
            if (last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())) and not (
                    last in _PLACES_INITIALLED and _OPENS_A_SENTENCE.match(paragraph, match.end())):
                continue  # "Mr. Li", "U.S. Army"; not "… in the U.K. The agenda detailed …"
            if _INITIALISM.fullmatch(last) and _GOES_ON.match(paragraph, match.end()):
                continue  # "the bill, H.R. 1, …", "at 10 a.m. Friday"
            if candidate:
                sentences.append(candidate)
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def clean_sentence(sentence: str, *, attributed: bool = True) -> str:
    """A sentence that stands alone and says it briefly: no dateline, no speaker label, no
    picture notes ("(pictured)"), speech taken up again said once ("We are — we are close").
    Where the digest names whose words it is apart from it (``attributed``: an official's answer
    under the official's name), no leading or trailing attribution either ("According to police,
    …", "…, he said."), but for a figure's; an outlet's sentence keeps who told it ("…, a former
    staff member told CNN."): without, a claim is said as the digest's own.
    (Headlines read speech as it was said: one that stumbles is no headline.)"""
    sentence = _without_stutter(_DATELINE.sub("", sentence.strip(), count=1))
    sentence = _SPEAKER.sub("", sentence, count=1)
    sentence = _PICTURE_NOTE.sub("", sentence)
    shorter = _LEADING_ATTRIBUTION.sub("", sentence, count=1) if attributed else sentence
    if attributed and not _FIGURE.search(shorter):  # a figure keeps who gave it
        shorter = _TRAILING_ATTRIBUTION.sub(r"\1", shorter, count=1)
    if len(_WORD.findall(shorter)) >= 6:  # what is left still says something
        sentence = shorter
    sentence = sentence.strip(" -–—")
    if sentence[:1].islower():
        sentence = sentence[:1].upper() + sentence[1:]
    return sentence


def compress(sentence: str) -> str:
    """The sentence without what it can lose and still say the same: an opening that only
    stresses, parentheses without figures, clauses that describe someone already named, and in a
    long sentence its opening time phrase (the story's times say when); a closing clause that
    is only a formula ("…, and we have released a readout you may refer to") goes too."""
    shorter = _formula_dropped(_STRESSING.sub("", sentence, count=1))
    shorter = _YOU_MENTIONED.sub("", shorter)
    shorter = _JA_CONNECTIVE.sub("", shorter)
    shorter = _ASIDE.sub("", shorter)
    shorter = _RELATIVE.sub(" ", shorter)
    if len(_WORD.findall(shorter)) > _SHORT_ENOUGH:
        shorter = _OPENING_TIME.sub("", shorter, count=1)
        shorter = _INNER_TIME.sub("", shorter)
    if len(_WORD.findall(shorter)) > BRIEF:
        cut = _TRAILING_COMMENT.sub("", shorter, count=1)
        if cut != shorter and not cut.endswith((".", "!", "?")):  # it took the full stop with it
            cut = cut.rstrip(" ,") + "."
        if len(_WORD.findall(cut)) >= 10:
            shorter = cut
    shorter = first_fact(shorter, LONGEST)  # two facts: the first
    if words_in(shorter) < 6:  # too short alone: said in full, but where only fillers went ("Okay, …")
        return sentence if words_in(_STRESSING.sub("", sentence, count=1)) >= 6 else shorter
    return shorter[:1].upper() + shorter[1:] if shorter[:1].islower() else shorter


# speech that takes up again what it just said, across a dash: "We are — we are close", "one of — one of",
# "they’re –- they’re"
_STUTTER = re.compile(r"\b((?:[\w’']+\s+){0,2}[\w’']+)\s+(?:[—–]-?|--)\s+\1\b", re.IGNORECASE)


def _without_stutter(sentence: str) -> str:
    """The sentence as it would be written: "We are — we are close" -> "We are close"."""
    for _ in range(4):  # "is — is — is not"
        shorter = _STUTTER.sub(r"\1", sentence)
        if shorter == sentence:
            break
        sentence = shorter
    return sentence


def _formula_dropped(sentence: str) -> str:
    """``sentence`` without its closing clauses when they are only a formula and what comes
    before says something: "其间，王毅会见了多瓦尔，中方已经发布有关消息，你可以查阅。" ->
    "其间，王毅会见了多瓦尔。"."""
    for boundary in _FORMULA_BOUNDARY.finditer(sentence):
        head, tail = sentence[: boundary.start()], sentence[boundary.end():]
        said = _TOPIC.sub("", sentence[: boundary.end()], count=1)  # "关于…，" is what it is about
        if words_in(said) >= 6 and formula_kind(tail) and not formula_kind(head) \
                and not _ABOUT_HEAD.match(head):
            full_stop = "。" if boundary.group().strip() in "；，" else "."
            return head.rstrip(" ,") + full_stop
    return sentence


# a head that only says what the formula is about ("针对日菲宣布启动海域划界谈判，我们已经表明立场")
_ABOUT_HEAD = re.compile(r"^(?:关于|针对|对于|就|至于|有关)")
# where a clause that says something goes on to a formula: "…, and we have released a readout";
# not a bare comma, which in English follows what the formula is about ("For more specifics
# about the meeting, I would refer you to …")
_FORMULA_BOUNDARY = re.compile(r";\s+|,\s+and\s+|[；，]")

def formula_kind(sentence: str) -> str | None:
    """What a formula that answers nothing does ("referred", "declined", "said before",
    "will announce"), or None when the sentence is no such formula. A sentence that also names
    something of its own beyond a few words of formula is no formula."""
    for kind, pattern in _FORMULAS:
        found = pattern.search(sentence)
        if found is not None:
            rest = _TOPIC.sub("", sentence[: found.start()]) + sentence[found.end():]
            if words_in(rest) <= 14:
                return kind
    return None


def as_what_it_is(kind: str, language: str | None) -> str | None:
    """An answer that is only a formula, told as what it is ("Declined to comment."), in the
    story's language where the digest writes it (English, and the catalogs of digest/locale:
    "未予置评。", "コメントを控えた。", "Pas de commentaire."); None where it does not."""
    from digest.i18n import CATALOGS, gettext, speaking

    code = (language or "en")[:2]
    if code != "en" and code not in CATALOGS:
        return None
    with speaking(code):
        told = {"referred": gettext("Referred the question to the competent authorities."),
                "declined": gettext("Declined to comment."),
                "said before": gettext("Declined to comment beyond what was said before."),
                "will announce": gettext("Said information would be released in due course.")}
    return told.get(kind)


def speaks_for_itself(sentence: str) -> bool:
    """Whether the sentence is someone's words in the first person ("we remain open …")."""
    return _FIRST_PERSON.search(sentence) is not None


# when, or how often, said first: what follows it may point back all the same ("Next week they will …",
# "Normally, that would be the end of it.")
_WHEN_FIRST = re.compile(r"^(?:(?:next|last|this|that|later|earlier) (?:week|month|year|day|time|morning|"
                         r"night)|(?:on |by |last |next )?(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|"
                         r"tomorrow|yesterday|then|now|later|earlier|normally|usually|typically|generally|"
                         r"often|sometimes|traditionally),?\s+(?=\w)", re.IGNORECASE)


def needs_antecedent(sentence: str) -> bool:
    """Whether the sentence opens by pointing back ("He…", "Both…", "But…", "The move…") or
    names what someone said or did before it ("Making such remarks will not help…")."""
    opening = _WHEN_FIRST.sub("", _STRESSING.sub("", sentence, count=1), count=1)  # "So, this is …"
    return _NEEDS_ANTECEDENT.search(opening) is not None


def is_question(sentence: str) -> bool:
    """A question (``?``, ``？``, ``؟``, ``吗``/``呢`` at the end, or a label: ``Вопрос:``,
    ``سؤال:``, ``प्रश्न:``): never a highlight."""
    return ends_a_question(sentence) or _QUESTION_LABEL.match(sentence.lstrip()[:40]) is not None


_ENDED = re.compile(r"[.!…؟।。！][\"'”’»)\]」』]*$")


def is_ended(sentence: str) -> bool:
    """Whether the text ends as a sentence does: not a heading ("James S. Brady Press Briefing
    Room"), a caption or a text cut off."""
    return _ENDED.search(sentence.rstrip()) is not None


# someone the speaker addresses at the end ("Difficult to know, Steve", "I'll check on that for
# you, Ed."): the room's, not what the sentence is about
# the name a reporter is addressed by: at the end ("…, Ed.", "…, MJ."), or before the answer goes on ("I
# don't think we have a timeframe at this point in time, Steve, but I will check …")
_ADDRESSEE = re.compile(r",\s+([A-Z][a-z]+|[A-Z]{2,3})(?=[.!?]?$|,\s+(?:but|so|I|we)\b)")


def split_addressee(text: str) -> tuple[str, str | None]:
    """The text without the name it addresses, and that name (None without one)."""
    found = _ADDRESSEE.search(text)
    return (text[: found.start()] + text[found.end():], found.group(1)) if found else (text, None)


# the words a list of names is joined with ("Dr. Fauci and then Dr. Walensky.")
_JOINING = frozenset({"and", "then", "or", "of", "the", "a", "an", "to", "for", "in", "on", "at", "by",
                      "with", "too", "also", "first", "next", "now", "please", "de", "von", "van", "al"})


def names_only(sentence: str) -> bool:
    """Whether a sentence in a script with capitals only names (no word in lower case but those
    that join names): "Dr. Fauci and then Dr. Walensky." says nothing, it hands the floor over."""
    # a word in lower case says something, and so does one without case (a figure, "中方")
    return not any((w[0].islower() and w not in _JOINING) or not (w[0].isupper() or w[0].islower())
                   for w in _WORD.findall(sentence))


def names_something(text: str) -> bool:
    """Whether ``text`` names someone or something: a capitalised word past a sentence's first,
    a number, or a script without case. "We have taken note of relevant reports." does not."""
    return _NAMING.search(text) is not None

LONGEST = 35  # words: a longer sentence is no highlight

BRIEF = 18  # words: a highlight up to this long is read at a glance (AllSides tune half: median 22)
