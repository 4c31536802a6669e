"""Quoted and reported speech in one sentence: the quotation, the reporting verb, the words
naming the speaker, and the content.

Forms read (each tested in ``tests/test_extract_speakers.py``):

- reported speech: "X said (that) ...", "X claimed to have ...", "X concluded by saying ...";
- an attribution at the end: "..., the Kremlin has said.", "“...,” the SpaceX CEO added.";
- inverted: "“...,” said Attorney General Jane Doe.";
- "according to X";
- quotes in straight or curly double quotes, split around the attribution ("“A,” he said,
  “B.”"), or running over several sentences.

The speaker is found on a "frame" of the sentence whose quotations are masked, so words
inside a quote never name the speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from timeline.extract.speakers import (
    GENERIC_ACTORS,
    LOWER_CASE_NOT_ORGS,
    ORG_WORDS,
    PERSON_NAME,
    PRONOUNS,
    ROLE_PATTERN,
    ROLE_WORDS,
)
from timeline.extract.text import word_set

MASK = "¤"
_QUOTE = re.compile(r"“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)")
VERBS: dict[str, str] = {}
"""Every reporting verb form -> its present-tense third person, for titles."""
for _base, _third, _forms in (
    ("say", "says", "say says said saying"),
    ("tell", "tells", "tell tells told telling"),
    ("add", "adds", "add adds added adding"),
    ("note", "notes", "note notes noted noting"),
    ("state", "states", "stated stating"),
    ("claim", "claims", "claim claims claimed claiming"),
    ("allege", "alleges", "allege alleges alleged alleging"),
    ("insist", "insists", "insist insists insisted insisting"),
    ("deny", "denies", "deny denies denied denying"),
    ("lament", "laments", "lament laments lamented lamenting"),
    ("explain", "explains", "explain explains explained explaining"),
    ("conclude", "concludes", "concluded concluding"),
    ("argue", "argues", "argue argues argued arguing"),
    ("warn", "warns", "warn warns warned warning"),
    ("announce", "announces", "announce announces announced announcing"),
    ("report", "reports", "report reported reports reporting"),
    ("confirm", "confirms", "confirm confirms confirmed confirming"),
    ("write", "writes", "write writes wrote writing"),
    ("tweet", "tweets", "tweeted tweeting"),
    ("declare", "declares", "declare declares declared declaring"),
    ("stress", "stresses", "stressed stressing"),
    ("emphasise", "emphasises", "emphasised emphasized emphasising emphasizing"),
    ("suggest", "suggests", "suggested suggesting"),
    ("assert", "asserts", "asserted asserting"),
    ("maintain", "maintains", "maintained maintaining"),
    ("acknowledge", "acknowledges", "acknowledged acknowledging"),
    ("admit", "admits", "admitted admitting"),
    ("reject", "rejects", "rejected rejecting"),
    ("dismiss", "dismisses", "dismissed dismissing"),
    ("accuse", "accuses", "accused accusing"),
    ("urge", "urges", "urged urging"),
    ("reveal", "reveals", "revealed revealing"),
    ("disclose", "discloses", "disclosed disclosing"),
    ("observe", "observes", "observed observing"),
    ("remark", "remarks", "remarked remarking"),
    ("reply", "replies", "replied replying"),
    ("respond", "responds", "responded responding"),
    ("comment", "comments", "commented commenting"),
    ("contend", "contends", "contended contending"),
    ("counter", "counters", "countered countering"),
    ("predict", "predicts", "predicted predicting"),
    ("promise", "promises", "promised promising"),
    ("vow", "vows", "vowed vowing"),
    ("pledge", "pledges", "pledged pledging"),
    ("threaten", "threatens", "threatened threatening"),
    ("estimate", "estimates", "estimated estimating"),
    ("indicate", "indicates", "indicated indicating"),
    ("mention", "mentions", "mentioned mentioning"),
    ("recall", "recalls", "recalled recalling"),
    ("reiterate", "reiterates", "reiterated reiterating"),
    ("caution", "cautions", "cautioned cautioning"),
    ("complain", "complains", "complained complaining"),
    ("concede", "concedes", "conceded conceding"),
    ("point out", "points out", "pointed_out pointing_out"),
    ("ask", "asks", "asked asking"),
    ("oppose", "opposes", "opposed opposes"),
    ("welcome", "welcomes", "welcomed welcomes"),
    ("condemn", "condemns", "condemned condemns"),
    ("criticise", "criticises", "criticised criticized criticises criticizes"),
    ("praise", "praises", "praised praises"),
    ("describe", "describes", "described describes"),
    ("refer to", "refers to", "referred_to"),
    ("call on", "calls on", "called_on called_for calls_on calls_for"),
    ("speak", "speaks", "spoke speaks"),
    ("rule", "rules", "ruled ruling"),
    ("find", "finds", "found finds"),
    ("decide", "decides", "decided"),
    ("determine", "determines", "determined"),
    ("agree", "agrees", "agreed"),
):
    for _form in _forms.split():
        VERBS[_form.replace("_", " ")] = _third
VERBS["pointed"] = "points out"
THAT_VERBS = frozenset({"ruled", "ruling", "rules", "found", "finds", "decided", "determined", "agreed"})
"""Verbs that report a finding only with "that" after them ("the court ruled that ...")."""
DENIAL_VERBS = frozenset(
    {
        "deny", "denies", "denied", "denying", "reject", "rejected", "rejects", "dismissed", "dismisses", "refuted",
        "opposed", "opposes",
    }
)  # fmt: skip
CLAIM_VERBS = frozenset(
    {"claim", "claims", "claimed", "allege", "alleges", "alleged", "accused", "accuses", "asserted"}
)
REPORT_VERBS = frozenset({"reported", "reports", "reporting", "revealed", "disclosed"})
CONTINUATION_VERBS = frozenset({"add", "adds", "added", "adding", "concluded", "continued", "reiterated", "noted"})
"""Verbs that carry on a speaker's remarks (the date of the remarks carries over)."""
_AUX = (
    r"(?:(?<![\w’'-])(?:has|have|had|was|were|is|are|will|would|also|later|then|further|again|publicly|earlier"
    r"|previously|repeatedly|reportedly|had\s+earlier|has\s+also|also\s+has|could\s+be\s+heard|both|all|each"
    r"|(?!(?:early|only|family|likely)\b)[a-z]{3,}ly)\s+)*"
)
_VERB_FORMS = "|".join(sorted((re.escape(v) for v in VERBS if v != "pointed"), key=len, reverse=True))
_VERB = re.compile(rf"(?<![\w-])(?P<aux>{_AUX})(?P<verb>{_VERB_FORMS})(?![\w-])")
_CONTENT_LEAD = re.compile(
    r"\s*(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday)\s+)?"
    r"(?:in\s+(?:a|an|the)\s+(?:statement|interview|post|letter|speech|video)(?:\s+\w+){0,3}?\s+)?"
    r"(?:that|by saying(?: that)?|to\s+reporters?(?:\s+\w+)?(?: that)?"
    r"|(?:reporters|journalists|the\s+[A-Z]?\w+|[A-Z]\w+|him|her|them|us|parliament|lawmakers)(?:\s+\w+){0,2}?\s+that)\s+"
)
"""What may stand between a reporting verb and what is said: its day, "in a statement", an
addressee ("told reporters that", "told the BBC that"), "that"."""
_RELATIVE_CLAUSE = re.compile(
    r",\s+(?:who|which|whose)\b[^,¤]*,|,\s+(?:an?|the)\s+[a-z][^,¤]{0,80},(?=\s+\w+)"
    r"|,\s+(?:speaking|writing|talking|appearing|addressing|responding|reacting|commenting)\b[^,¤]{0,100},(?=\s+\w+)"
    r"|,\s+(?:meanwhile|however|though|too|also|in turn|in response|in a statement|for (?:its|his|her|their) part),"
    r"(?=\s+\w+)"
    rf"|,\s+(?:[a-z]+\s+){{0,3}}(?i:{ROLE_PATTERN})\s+(?:at|of|for|with|from)\s+[^,¤]{{1,60}},(?=\s+\w+)"
    r"|,\s+(?:of|from|at|with)\s+(?:the\s+)?[A-Z][^,¤]{0,60},(?=\s+\w+)"
)
_TRAILING_TIME = re.compile(
    r"\s+(?:today|yesterday|tonight|recently|also|(?:on|last)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))$"
)
"""", who owns a club,", ", speaking at a press conference,": set aside, so the subject
before it meets its verb."""
_ALONG_WITH = re.compile(r",\s+(?:along|together)\s+with\s+(?P<np>[^,;¤]{2,80}),(?=\s+(?:\w+\s+){0,2}\w+)")
"""", along with senator Jane Roe," after a subject: a second actor doing the same."""
_SOURCE_OF = re.compile(
    r"^(?:(?:an?|the|new|recent|latest|official)\s+)*(?:research|data|figures|statistics|numbers|estimates|a?\s*report|"
    r"study|survey|poll|analysis|documents?|records?)\s+(?:\w+\s+)?(?:by|from|of)\s+"
)
"""What a source is, before who it is from: "according to figures released by the ministry"."""
_NOUN_BEFORE = re.compile(r"\b(?:the|these|those|this|its|his|her|their|our|such|an?|of)\s+$", re.IGNORECASE)
"""A determiner before a verb's form makes it a noun ("these claims", "the report")."""
_NOMINAL_VERBS = {
    "announcement": "announced", "statement": "stated", "claim": "claimed", "claims": "claimed",
    "denial": "denied", "warning": "warned", "pledge": "pledged", "promise": "promised",
    "admission": "admitted", "assertion": "asserted", "insistence": "insisted", "confirmation": "confirmed",
    "decision": "decided", "ruling": "ruled", "finding": "found", "allegation": "alleged",
}  # fmt: skip
_NOMINAL = re.compile(
    r"(?P<np>(?:[Tt]he\s+)?[A-Z][\w.&-]*(?:\s+(?:[A-Z][\w.&-]*|of|and|&))*(?:\s+(?:government|ministry|court|"
    r"council|company|bank|army|police|president|minister|spokesman|spokeswoman))?)(?:’s|')s?\s+"
    rf"(?P<noun>{'|'.join(_NOMINAL_VERBS)})\s+that\b"
)
""""the government's announcement that it would ...": what the announcement says, said by its owner."""
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+(?P<np>[^,.;:¤]+)")
_MODIFIERS = word_set(
    "military foreign defence defense state federal national former senior chief top local regional "
    "interior security intelligence armed press general prime"
)
_DETERMINERS = frozenset({"the", "a", "an", "one", "his", "her", "its", "their"})
_LEADING_WORDS = word_set(
    "But And However Meanwhile Also Still Yet So Then Now Later Earlier Instead Separately Previously Today"
)
"""Sentence adverbs and conjunctions that may open a subject without being part of it."""
_CLAUSE_OPENERS = word_set("In On At Speaking After Before When While As If Since Until Because Although Though Once")
"""Words that open an adverbial clause: the noun phrase after them is not a subject."""
_NP_GLUE = frozenset({"the", "of", "for", "and", "de", "al", "van", "von"})
_AFTER_VERB_STOP = word_set("in on at during to that who which while when after before as with from by, about")


@dataclass(frozen=True)
class Attribution:
    """Who is said to speak in a sentence, and what.

    Attributes:
        mention: the words naming the speaker ("the SpaceX CEO", "he").
        verb: the reporting verb as written ("added", "according to").
        content: what is said, quotes included (blank when only a quote).
        quote: the first quotation, verbatim (trailing commas dropped), or blank.
        content_start: where the content starts in the sentence (dates before it date the speech).
        form: ``reported``, ``end``, ``inverted`` or ``according``.
    """

    mention: str
    verb: str
    content: str
    quote: str
    content_start: int
    content_end: int
    form: str
    also: bool = False
    """The verb carries on ("also said", "further noted"): the speaker's remarks go on."""
    others: tuple[str, ...] = ()
    """Further speakers of the same words: "A, B and C announced", "A, along with B, said"."""


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Where the double-quoted passages of ``text`` are (quotation marks included)."""
    return [(m.start(), m.end()) for m in _QUOTE.finditer(text) if m.end() - m.start() > 2]


def masked(text: str) -> str:
    """``text`` with every quotation (marks included) replaced by mask characters, same length."""
    frame = list(text)
    for start, end in quote_spans(text):
        frame[start:end] = MASK * (end - start)
    return "".join(frame)


def first_quote(text: str) -> str:
    """The first quotation's words, verbatim, without the marks and trailing commas."""
    spans = quote_spans(text)
    if not spans:
        return ""
    start, end = spans[0]
    return text[start + 1 : end].rstrip('”"').rstrip(",").strip()


def attribute(text: str) -> Attribution | None:
    """The speech ``text`` attributes, or None when it reports no one's words."""
    frame = _RELATIVE_CLAUSE.sub(lambda m: " " * len(m.group(0)), masked(text))
    along = [m.group("np").strip() for m in _ALONG_WITH.finditer(frame)]
    frame = _ALONG_WITH.sub(lambda m: " " * len(m.group(0)), frame)
    quote = first_quote(text)
    for match in _VERB.finditer(frame):
        verb = match.group("verb")
        if not match.group("aux") and _NOUN_BEFORE.search(frame[: match.start()]):
            continue  # "these claims were established", "the report": a noun, not a verb
        if re.search(r"\b(?:was|were|is|are|been|be|being)\b", match.group("aux")) and verb.endswith(
            ("ed", "en", "wn", "ld")
        ):
            continue  # "the plan was announced": passive, what is said is not said by the subject
        if verb.startswith("ask") and not quote:
            continue  # "asked for", "asked to": a request, not speech
        if verb in THAT_VERBS and not re.match(r"\s+that\b", frame[match.end() :]):
            continue  # "police found the car", "ruled out": only "ruled that ..." reports a finding
        subject = noun_phrase_before(frame, match.start())
        if (
            verb.endswith("ing")
            and subject
            and not re.search(r"\b(?:by|while|after)\s*$", frame[: match.start()])
            and not re.match(r"\s*(?:that|:|¤)", frame[match.end() :])
        ):
            subject = ""  # "Jane Doe's saying ..." and gerunds that are not speech
        if verb.endswith("ing") and re.search(r",\s*$", frame[: match.start()]):
            subject = clause_subject(frame[: match.start()]) or subject  # "Roe went on TV, saying that ..."
        rest = frame[match.end() :]
        if subject and _is_speaker_np(subject):
            before = frame[: frame.rfind(subject, 0, match.start())].rstrip()
            if before.endswith((",", MASK)) and _is_end_attribution(rest):
                content_end = len(before.rstrip(" ,"))
                return Attribution(subject, verb, text[:content_end].strip(), quote, 0, content_end, "end")
            content_start = match.end() + len(rest) - len(rest.lstrip(" ,:"))
            lead = _CONTENT_LEAD.match(text, content_start - 1)
            if lead is not None:
                lead = re.match(r"[\s\S]*", lead.group(0))
            if lead:
                content_start += len(lead.group(0)) - 1
            if verb.startswith("conclud") and not lead:
                by = re.match(r"\s*by\s+(?:saying|stating|noting)(?:\s+that)?\s*", text[match.end() :])
                content_start = match.end() + (by.end() if by else 0)
            also = bool(re.search(r"\b(?:also|further|again)\b", match.group("aux")))
            content = text[content_start:].strip()
            at = locate(frame, subject, match.start())
            others = (*(coordinated_before(frame, at) if at >= 0 else []), *along)
            others = tuple(o for o in others if _is_speaker_np(o))
            return Attribution(subject, verb, content, quote, content_start, len(text), "reported", also, others)
        if not subject or tail_is_quote(frame[: match.start()]):
            after = noun_phrase_after(frame, match.end())
            if (
                after
                and _is_speaker_np(after)
                and _is_end_attribution(_APPOSITIVE_AFTER.sub("", rest[len(rest) - len(rest.lstrip()) + len(after) :]))
            ):
                content_end = len(frame[: match.start()].rstrip(" ,"))
                return Attribution(after, verb, text[:content_end].strip(), quote, 0, content_end, "inverted")
    nominal = _NOMINAL.search(frame)
    if nominal and _is_speaker_np(nominal.group("np")):
        noun = nominal.group("noun").lower()
        content_start = nominal.end()
        return Attribution(
            nominal.group("np"), _NOMINAL_VERBS.get(noun, "announced"), text[content_start:].strip(), quote,
            content_start, len(text), "nominal",
        )  # fmt: skip
    according = _ACCORDING.search(frame)
    if according:
        np = according.group("np").strip()
        np = _SOURCE_OF.sub("", np)  # "research done by the Institute for Supply Management": the institute
        if _is_speaker_np(np):
            content = (text[: according.start()] + text[according.end() :]).strip(" ,.")
            return Attribution(np, "according to", content, quote, 0, len(text), "according")
    return None


def tail_is_quote(before: str) -> bool:
    """Whether ``before`` ends with a quotation (then a name after the verb is the speaker)."""
    return before.rstrip(" ,").endswith(MASK)


_APPOSITIVE_AFTER = re.compile(r"^,\s+(?:the\s+|a\s+|an\s+)?[^,¤]{1,80}(?=,|\.$|$)")
""""said Steve Stich, manager of the programme, in a statement.": the role after the name."""


def _is_end_attribution(rest: str) -> bool:
    """Whether what follows a verb and its speaker closes the sentence (time words allowed)."""
    rest = re.sub(r"\([^)]*\)", "", rest)
    rest = re.sub(r"\b(?:in|on|at|during)\s+(?:a|an|the)?\s*[\w\s’'-]{0,40}?(?=[,.;]|$)", "", rest)
    words = re.findall(r"[\w’'-]+", rest)
    return len(words) <= 4 and not re.search(r"\bthat\b", rest) and not rest.strip().startswith(MASK)


def _is_speaker_np(np: str) -> bool:
    words = np.split()
    if not words:
        return False
    head = words[-1].strip("(),").lower().removesuffix("’s").removesuffix("'s")
    if head in PRONOUNS and len(words) == 1:
        return head not in ("him", "her")
    if words[-1][0].isupper() or words[-1].startswith("("):
        return True
    return head in ROLE_WORDS or (head in ORG_WORDS and head not in LOWER_CASE_NOT_ORGS) or head in GENERIC_ACTORS


def clause_subject(clause: str) -> str:
    """The subject of the clause a participle hangs on ("Last Friday, Roe went on air, saying"
    -> "Roe"): the capitalised noun phrase opening the first comma-separated part that goes on
    as a clause, past opening adverbials and dates."""
    for segment in re.split(r"[,;]", clause):
        words = segment.split()
        kept: list[str] = []
        for word in words:
            if word[:1].isupper() or (kept and word.lower() in _NP_GLUE) or (word.lower() in _DETERMINERS and not kept):
                kept.append(word)
                continue
            break
        while kept and kept[-1].lower() in _NP_GLUE | _DETERMINERS:
            kept.pop()
        phrase = " ".join(kept)
        if not phrase or len(words) - len(kept) < 2 or phrase.split()[0] in _CLAUSE_OPENERS | _LEADING_WORDS:
            continue
        if re.search(r"(?i)\b(?:last|this|next|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", phrase):
            continue
        return phrase if _is_speaker_np(phrase) else ""
    return ""


def locate(frame: str, phrase: str, stop: int) -> int:
    """Where the last ``phrase`` (its words, any spacing between them) before ``stop`` starts, or -1."""
    pattern = r"\s+".join(re.escape(w) for w in phrase.split())
    found = [m.start() for m in re.finditer(pattern, frame[:stop])] if pattern else []
    return found[-1] if found else -1


def coordinated_before(frame: str, stop: int) -> list[str]:
    """The subjects listed before the one starting at ``stop``: "the Bank of Canada, the Bank of
    England, and the Swiss National Bank announced" -> the first two (a list needs an "and")."""
    found: list[str] = []
    before = frame[:stop]
    first = True
    while True:
        joint = re.search(r"(?:,\s*(?:and\s+)?|\s+and\s+)$", before)
        if joint is None or (first and "and" not in joint.group(0)):
            return found if not first else []
        first = False
        previous = noun_phrase_before(before, joint.start())
        segment = re.split(r"[,;:¤]", before[: joint.start()])[-1]
        if not previous or not _is_speaker_np(previous) or segment.split() != previous.split():
            return found
        found.insert(0, previous)
        at = locate(before, previous, joint.start())
        if at < 0:
            return found
        before = before[:at]


def noun_phrase_before(frame: str, stop: int) -> str:
    """The noun phrase ending right before ``stop`` (the verb's subject), or blank."""
    head = frame[:stop].rstrip()
    head = head[:-1] if head.endswith(",") else head  # "Laura Bianchi, said" after an appositive
    chunk = re.split(r"[,;:¤]|\s[–—-]\s|\b(?:that|and|but|after|when|while|where|because)\s", head)[-1]
    chunk = re.sub(_AUX + r"$", "", chunk.rstrip() + " ").rstrip()
    chunk = _TRAILING_TIME.sub("", chunk).rstrip()
    named = re.match(rf"\s*(?:[A-Z][a-z]+\s+)?(?P<name>{PERSON_NAME})\s+(?:an?|the)\s+[a-z]", chunk)
    if named and named.group("name").split()[0] not in _LEADING_WORDS:  # "Peter Roe an analyst at Acme said"
        return named.group("name")
    tokens = re.findall(r"\(?[\w.’'&-]+\)?", chunk)
    kept: list[str] = []
    for index, token in enumerate(reversed(tokens)):
        bare = token.strip("()").lower().removesuffix("’s").removesuffix("'s")
        if index == 0:
            if not (
                token[0].isupper()
                or token.startswith("(")
                or bare in PRONOUNS
                or bare in ROLE_WORDS
                or bare in ORG_WORDS
                or bare in GENERIC_ACTORS
            ):
                return ""
            kept.append(token)
            if bare in PRONOUNS:
                break
            continue
        if token[0].isupper() or bare in _NP_GLUE or bare in ROLE_WORDS or bare in ORG_WORDS or bare in _MODIFIERS:
            kept.append(token)
            continue
        earlier = list(reversed(tokens))[index + 1 : index + 2]
        if bare in ("in", "at") and kept and kept[-1][0].isupper() and earlier and earlier[0].lower() in ORG_WORDS:
            kept.append(token)  # "a tribunal in The Hague", "the court at Leipzig": the place belongs to it
            continue
        if token.lower() in _DETERMINERS:
            kept.append(token)
            break
        ahead = [t.lower() for t in list(reversed(tokens))[index : index + 4]]
        determiner = next((i for i, t in enumerate(ahead) if t in _DETERMINERS), None)
        if determiner is not None and all(t.islower() for t in ahead[:determiner]):
            kept += list(reversed(tokens))[index : index + determiner + 1]
        break
    while kept and kept[-1].lower() in _NP_GLUE - {"the"}:
        kept.pop()
    while kept and kept[-1] in _LEADING_WORDS:
        kept.pop()
    phrase = " ".join(reversed(kept))
    if phrase.split() and phrase.split()[0] in _CLAUSE_OPENERS:
        return ""
    return phrase


def noun_phrase_after(frame: str, start: int) -> str:
    """The noun phrase starting at ``start`` (an inverted subject: "said Jane Doe"), or blank."""
    tokens = re.findall(r"\S+", frame[start:])
    kept: list[str] = []
    for token in tokens:
        word = token.rstrip(",.;:")
        if not word or word.lower() in _AFTER_VERB_STOP or MASK in word:
            break
        if not (word[0].isupper() or word.lower() in _NP_GLUE | ROLE_WORDS | ORG_WORDS | _MODIFIERS):
            break
        initial = re.fullmatch(r"[A-Z]\.", token) is not None
        kept.append(token if initial else word)
        if word != token and not initial:
            break
    return " ".join(kept)
