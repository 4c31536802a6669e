"""One article to candidate events: sentences, speakers, speech, dates, and the conventions
that tie a sentence to its neighbours.

The steps, per article:

1. cut the text into sentences (:mod:`timeline.extract.text`) and tokenise it with spaCy (a
   blank English pipeline, or a model's when one is given: then its PERSON and ORG entities
   feed the gazetteer);
2. learn the actors the article names (:mod:`timeline.extract.speakers`);
3. for each sentence, find the speech it attributes (:mod:`timeline.extract.quotes`) and the
   dates it gives (:mod:`timeline.extract.dates`); a sentence with a date, a named subject and
   a verb but no speech becomes an ``action``;
4. tie sentences together as a reader does: "X made the comment" names the speaker of the
   statement before it; a quotation given after reported speech ("“…,” he explained") is an
   event of its own (one row per thing said); a continuing verb ("he added") or a second
   sentence by the same speaker in a paragraph carries the date over; an undated statement in
   the lead takes the date of the same speaker's dated remarks further down; "Earlier" and "at
   the time" are bounded by the dated sentences around them, a time of day ("At 3 p.m.") is the
   day of the dated sentence before it; "today" inside a quotation is the speaker's day, the
   day of the news the lead dates. Anything still undated gets an honest window, flagged low
   confidence: from where the story starts as the text dates it (the lead's day, else its
   earliest date in the two months before publication) to publication, else the week before.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from timeline.dates import Precision
from timeline.extract.dates import When, earlier_window, find_dates, undated_window
from timeline.extract.quotes import (
    CLAIM_VERBS,
    CONTINUATION_VERBS,
    DENIAL_VERBS,
    MASK,
    REPORT_VERBS,
    VERBS,
    Attribution,
    attribute,
    first_quote,
    masked,
    noun_phrase_after,
    noun_phrase_before,
    quote_spans,
)
from timeline.extract.speakers import GENERIC_ACTORS, ORG_WORDS, ROLE_WORDS, VAGUE_ORGS, Actor, Gazetteer, Resolver
from timeline.extract.text import Sentence, sentences, word_set

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_DENIAL_CONTENT = re.compile(
    r"\b(?:false|untrue|baseless|groundless|fabricated|fake)\b"
    r"|\bnever\s+(?:\w+ly\s+)?(?!been\b)(?:\w+ed|hid|sold|made|gave|took|paid|knew|met|told|sent|did|saw|bought)\b"
    r"|\bno\s+\w+\s+(?:have|has|had)\s+been\b"
    r"|\b(?:does|do|did)\s+not\b|\b(?:doesn’t|don’t|didn’t|doesn't|don't|didn't)\b"
)
_MEDIA = re.compile(
    r"\b(?:CNN|BBC|Reuters|AP|AFP|Bloomberg|NPR|TASS|Xinhua|Interfax|News|Times|Post|Journal|Guardian"
    r"|Telegraph|Herald|Courier|Tribune|Gazette|Observer|Press|TV|Radio|Television|Broadcasting)\b"
)
_LINK = re.compile(
    r"(?P<np>[^,;¤]+?)\s+(?:made|gave|delivered|issued)\s+(?:the|these|those|his|her|its)\s+"
    r"(?:comments?|remarks?|statements?)\b"
)
_IRREGULAR_PAST = word_set(
    "began sent gave took made won lost met went came held left struck hit fell rose sold bought built "
    "signed killed fled led ran shot told brought caught fought found kept paid put saw set sought spent "
    "stood swore threw wrote broke chose drove flew forbade froze grew knew"
)
_NOT_ACTION_VERBS = frozenset({"used", "based", "called", "named", "located", "needed", "supposed"})
_LEAD_PARAGRAPHS = 1
_SPEAKERS_TODAY = re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight)\b", re.IGNORECASE)
"""Words in a quotation that date it to the speaker's day (the day of the news, not of the article)."""


@dataclass
class Candidate:
    """One candidate event while the article is read (dates may still be filled in)."""

    sentence: Sentence
    actor: Actor
    kind: str
    verb: str
    content: str
    quote: str
    when: When | None
    reasons: list[str] = field(default_factory=list)
    confidence: float = 0.9
    end: int = 0
    """Where the candidate's source text ends in the article (several sentences when joined)."""
    pronoun: bool = False
    continued: bool = False
    """The verb says the remarks go on ("added", "also said")."""
    content_dated: bool = False
    """The only date is inside what was said (it may date what is spoken of, not the speech)."""

    @property
    def start(self) -> int:
        return self.sentence.start


def load_pipeline(model: str | Language | None) -> Language:
    """The spaCy pipeline: ``model`` itself, the installed pipeline it names, or a blank English one."""
    import spacy

    if model is None:
        return _blank()
    if isinstance(model, str):
        try:
            return spacy.load(model)
        except OSError as error:
            raise ValueError(f"spaCy pipeline {model!r} is not installed ({error})") from None
    return model


_BLANK: list[Language] = []


def _blank() -> Language:
    """One blank English pipeline per process (a tokenizer; building it takes a moment)."""
    if not _BLANK:
        import spacy

        _BLANK.append(spacy.blank("en"))
    return _BLANK[0]


def model_entities(doc: Doc) -> tuple[list[str], list[str]]:
    """The PERSON and ORG entities of ``doc`` (none from a blank pipeline)."""
    persons = [e.text for e in doc.ents if e.label_ == "PERSON"]
    orgs = [e.text for e in doc.ents if e.label_ == "ORG"]
    return persons, orgs


def mention_index(nlp: Language, doc: Doc, gazetteer: Gazetteer) -> list[tuple[int, Actor]]:
    """Where the article names each actor the gazetteer knows (character offset, actor), in
    order: spaCy's PhraseMatcher over the tokens, every alias at once, names capitalised."""
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    actors = list(gazetteer.actors)
    for number, actor in enumerate(actors):
        patterns = [nlp.make_doc(alias) for alias in sorted(actor.aliases) if len(alias) >= 2]
        if patterns:
            matcher.add(str(number), patterns)
    found: list[tuple[int, Actor]] = []
    for match_id, start, end in matcher(doc):
        span = doc[start:end]
        if span.text[:1].isupper():
            found.append((span.start_char, actors[int(nlp.vocab.strings[match_id])]))
    return sorted(found, key=lambda pair: pair[0])


def read(text: str, published: dt.date, nlp: Language, gazetteer: Gazetteer | None = None) -> list[Candidate]:
    """The candidate events of one article.

    Args:
        gazetteer: the actors of the whole story (several articles), to which this article's
            are added; the same person or organisation then has one name in every article.
    """
    units = sentences(text)
    doc = nlp(text) if nlp.pipe_names else nlp.make_doc(text)
    gazetteer = gazetteer or Gazetteer()
    gazetteer.learn(text, *model_entities(doc))
    mentions = mention_index(nlp, doc, gazetteer)
    resolver = Resolver(gazetteer)
    # capitalised words the text uses inside a sentence: names, not just a sentence's first word
    mid_capitals = frozenset(re.findall(r"[\w,;] ([A-Z][\w-]*)", text))
    candidates: list[Candidate] = []
    dated: list[tuple[Sentence, When]] = []
    for unit in units:
        if not unit.is_body:
            _scan(resolver, unit, mentions)
            continue
        whens = _outside_quotes(unit.text, find_dates(unit.text, published))
        clauses = _participle_actions(unit, whens, resolver)
        whens = [w for w in whens if not any(w is c.when for c in clauses)]
        for when in whens:
            if not when.anaphor:
                dated.append((unit, when))
        if _link_speaker(unit, candidates, resolver):
            continue
        found = attribute(unit.text)
        if found is None and _continues_quote(unit, candidates):
            continue
        candidate = _speech(unit, found, whens, resolver, published) if found else None
        fellows: list[Candidate] = []
        if candidate is not None and found is not None:
            for other in found.others:  # "A, B and C announced": one event each
                fellow = _speech(unit, dataclasses.replace(found, mention=other, others=()), whens, resolver, published)
                if fellow is not None and fellow.actor is not candidate.actor:
                    fellows.append(fellow)
        if candidate is None:
            candidate = _action(unit, whens, resolver, published, mid_capitals)
        _scan(resolver, unit, mentions)
        if candidate is not None:
            resolver.seen(candidate.actor)
            candidates.extend([*fellows, candidate])
        candidates.extend(clauses)
    lead = min((u.paragraph for u in units if u.is_body), default=0)
    _fill_dates(candidates, dated, lead, published)
    return candidates


def _scan(resolver: Resolver, unit: Sentence, mentions: list[tuple[int, Actor]]) -> None:
    """Put in view the actors ``unit`` names outside its quotations, in order."""
    quoted = [(unit.start + a, unit.start + b) for a, b in quote_spans(unit.text)]
    first = bisect.bisect_left(mentions, unit.start, key=lambda pair: pair[0])
    for offset, actor in mentions[first:]:
        if offset >= unit.end:
            break
        if not any(a <= offset < b for a, b in quoted):
            resolver.seen(actor)


def _outside_quotes(text: str, whens: list[When]) -> list[When]:
    spans = quote_spans(text)
    return [w for w in whens if not any(a <= w.offset < b for a, b in spans)]


def _speech(
    unit: Sentence, found: Attribution, whens: list[When], resolver: Resolver, published: dt.date
) -> Candidate | None:
    actor, how = resolver.resolve(found.mention)
    if actor is None:
        return None
    reasons = [how] if how else []
    confidence = 0.9 if not how else 0.8
    pronoun = found.mention.lower() in ("he", "she", "it", "they")
    if pronoun:
        confidence = 0.75
    when = _speech_date(whens, found, published)
    content_dated = when is not None and found.content_start + 2 < when.offset < found.content_end
    if when is not None and content_dated:
        reasons.append(f"the date '{when.text}' is inside what was said")
        confidence -= 0.15
    verb = found.verb
    kind = _kind(verb, found.content or found.quote, actor)
    continued = found.also or verb in CONTINUATION_VERBS
    return Candidate(
        unit, actor, kind, verb, found.content, found.quote, when, reasons, confidence, unit.end, pronoun,
        continued, content_dated,
    )  # fmt: skip


def _speech_date(whens: list[When], found: Attribution, published: dt.date) -> When | None:
    """The date of the speech: one outside its content first, else the first one the content
    gives that could be the speech's: not a duration, not a time of day (it times what is
    spoken of), not after publication (what is said may look ahead; the speech cannot)."""
    outside = [w for w in whens if not (found.content_start + 2 < w.offset < found.content_end)]
    outside = [w for w in outside if w.anaphor != "clock"] or outside  # "at 3 p.m. on Tuesday": the day
    inside = [w for w in whens if not (w.duration or w.anaphor == "clock" or w.start > published)]
    chosen = outside or inside
    return chosen[0] if chosen else None


def _kind(verb: str, content: str, actor: Actor) -> str:
    if verb in DENIAL_VERBS:
        return "denial"
    if verb in CLAIM_VERBS:
        return "claim"
    if verb in REPORT_VERBS or (actor.kind == "organisation" and _MEDIA.search(actor.name)):
        return "report"
    if _DENIAL_CONTENT.search(content):
        return "denial"
    if verb == "according to":
        return "claim"
    return "statement"


def _action(
    unit: Sentence, whens: list[When], resolver: Resolver, published: dt.date, mid_capitals: frozenset[str]
) -> Candidate | None:
    """A sentence whose main clause has a named subject and a past-tense verb. Without a date
    of its own it is an action only when its actor is a person or an organisation by name (a
    ministry, a bank, a court), and not when the verb tells how a price or an index moved."""
    explicit = [w for w in whens if not w.anaphor]
    frame = masked(unit.text)
    for match in re.finditer(r"\b([a-z]+)\b", frame):
        word = match.group(1)
        if not ((word.endswith("ed") and len(word) > 4) or word in _IRREGULAR_PAST) or word in _NOT_ACTION_VERBS:
            continue
        if word in _MOVEMENT_VERBS:
            return None
        if re.search(
            r"\b(?:was|were|been|being|be|is|are)\s+(?:(?:\w+ly|first|later|then|also|once)\s+)?$",
            frame[: match.start()],
        ):
            agent = re.match(r"\s+by\s+(?P<np>[^,;:¤]+)", frame[match.end() :])
            subject = noun_phrase_after(frame, match.end() + (agent.start("np") if agent else 0)) if agent else ""
            if not subject:
                return None  # passive: the subject is what was acted upon, not the actor
        else:
            subject = noun_phrase_before(frame, match.start())
        if not subject:
            return None
        actor, how = resolver.resolve(subject)
        if actor is None or not _may_act(actor, mid_capitals) or (not explicit and not _acts_by_name(actor, subject)):
            return None
        if explicit and explicit[0].start > published:
            return None  # a plan, not an act: "OPEC will hold a meeting on November 18"
        content = unit.text[match.start() :].rstrip(" .")
        reasons = ["an action, not speech: read from the subject and verb"] + ([how] if how else [])
        when = explicit[0] if explicit else None
        return Candidate(unit, actor, "action", word, content, "", when, reasons, 0.6, unit.end)
    return None


_MOVEMENT_VERBS = word_set(
    "rose fell surged dropped gained lost plunged climbed slid jumped tumbled rallied traded ended closed "
    "finished declined increased decreased soared sank dipped recovered rebounded slumped edged eased "
    "grew shrank peaked bottomed saw fared performed outperformed underperformed lagged trailed"
)
_MARKET_WORDS = word_set(
    "index indices indexes stocks shares market markets futures bonds prices price dow nasdaq composite "
    "ftse dax nikkei cac hang seng djia s&p oil crude gold dollar euro yen currency"
)
"""Words naming a market or a price rather than an actor ("The Nikkei index", "Brent crude")."""
_COMMON_NOUNS = (ROLE_WORDS | ORG_WORDS | VAGUE_ORGS) - GENERIC_ACTORS
"""Past tenses that tell how a price, an index or a figure moved: not an actor's act."""


def _may_act(actor: Actor, mid_capitals: frozenset[str]) -> bool:
    """Whether an action's subject can be an actor at all: not a market or a price ("the Dow
    Jones broke its record"), not a common noun that starts the sentence ("News came out")."""
    words = {w.lower().strip("()") for w in f"{actor.name} {actor.organisation}".split()}
    if words & _MARKET_WORDS:
        return False
    if actor.kind == "person":
        return not actor.name[:1].islower()
    single = actor.name.lower()
    if " " in single or actor.name.isupper() or single in GENERIC_ACTORS:
        return True
    if {single, single.removesuffix("s"), single.removesuffix("es")} & _COMMON_NOUNS:
        return False
    # one capitalised word that only ever starts a sentence is a common noun ("Storms destroyed ...")
    return actor.name in mid_capitals


def _acts_by_name(actor: Actor, subject: str) -> bool:
    """Whether an undated sentence's subject is an actor whose act is news: a person, or an
    organisation named as one (its name holds an organisation word, or it is a proper name)."""
    if subject.lower() in ("they", "we", "i", "you"):
        return False
    if actor.kind == "person":
        return True
    if actor.name.lower() in GENERIC_ACTORS:
        return False  # "Police arrested ...": a group the text does not name needs its date
    words = {w.lower().strip("()") for w in f"{actor.name} {actor.organisation}".split()}
    proper = all(w[:1].isupper() or w in ("of", "for", "and", "&", "the") for w in actor.name.split())
    return bool(words & ORG_WORDS) or proper


_PARTICIPLE = re.compile(r"\b(?P<verb>[a-z]{3,}ed|[a-z]+(?:ten|wn|ld|ght|nt))\s+by\s+(?P<np>[^,;:¤]+?)\s*$")
_MAIN_PASSIVE = re.compile(r"(?<!which )(?<!that )(?<!who )\b(?:was|were|is|are|been|be|being)\s+(?:\w+ly\s+)?$")
"""", signed by China in 1982": a dated clause about another actor's act, inside a sentence."""


def _participle_actions(unit: Sentence, whens: list[When], resolver: Resolver) -> list[Candidate]:
    """The acts that participle clauses with an agent and a date report (", signed by China in
    1982", ", which was founded by Ada Lee in 1990"): each is an action of its own, and its date
    is not the sentence's."""
    frame = masked(unit.text)
    found: list[Candidate] = []
    for when in whens:
        if when.anaphor or when.duration:
            continue
        head = frame[: when.offset]
        clause = head[head.rfind(",") :] if "," in head else head
        clause = re.sub(r"\s+(?:in|on|during|at|since)\s*$", "", clause)
        match = _PARTICIPLE.search(clause)
        if match is None or match.group("verb") in _NOT_ACTION_VERBS or _MAIN_PASSIVE.search(clause[: match.start()]):
            continue  # no agent clause, or the sentence's own passive ("was opened by X on Friday")
        agent = noun_phrase_after(match.group("np"), 0)
        if not agent or agent.split()[0].endswith("ing"):
            continue  # "responded by offering ...": a manner, not an agent
        actor, how = resolver.resolve(agent)
        if actor is None:
            continue
        reasons = ["an action, not speech: read from a clause with its agent and date"] + ([how] if how else [])
        content = unit.text[len(head) - len(clause) + match.start() :].strip(" ,.")
        found.append(Candidate(unit, actor, "action", match.group("verb"), content, "", when, reasons, 0.6, unit.end))
    return found


def _link_speaker(unit: Sentence, candidates: list[Candidate], resolver: Resolver) -> bool:
    """ "Spokesperson X made the comment": X spoke the statement just before (for its organisation)."""
    match = _LINK.search(masked(unit.text))
    if match is None or not candidates or candidates[-1].sentence.paragraph < unit.paragraph - 1:
        return False
    actor, _ = resolver.resolve(noun_phrase_before(match.group("np"), len(match.group("np"))) or match.group("np"))
    if actor is None or actor.kind != "person":
        return False
    previous = candidates[-1]
    if previous.actor.kind == "organisation" and not actor.organisation:
        actor.organisation = previous.actor.organisation or previous.actor.name
    previous.reasons.append(f"the speaker is {actor.name}, who 'made the comment' (next sentence)")
    previous.actor = actor
    resolver.seen(actor)
    return True


def _continues_quote(unit: Sentence, candidates: list[Candidate]) -> bool:
    """A sentence that is only a quotation carries on the quoted speaker just before it
    ("“The situation is serious,” she said. “We have never seen so much rain.”")."""
    if not candidates or masked(unit.text).strip(MASK + " .,;") or not quote_spans(unit.text):
        return False
    previous = candidates[-1]
    if previous.kind == "action" or previous.sentence.paragraph != unit.paragraph:
        return False
    if previous.end < unit.start - 2 and not previous.quote:
        return False
    previous.end = unit.end
    previous.quote = previous.quote or first_quote(unit.text)
    return True


def _fill_dates(candidates: list[Candidate], dated: list[tuple[Sentence, When]], lead: int, published: dt.date) -> None:
    """Dates for the candidates whose own sentence gives none, as a careful reader would."""
    starts = [s.start for s, _ in dated]  # in text order
    for index, candidate in enumerate(candidates):
        when = candidate.when
        if when is not None and when.anaphor:
            here = bisect.bisect_left(starts, candidate.start)
            before = dated[here - 1][1] if here > 0 else None
            past = bisect.bisect_right(starts, candidate.start)
            after = dated[past][1] if past < len(dated) else None
            candidate.when = earlier_window(when, before, after, published)
            if when.anaphor == "clock":
                before_day = candidate.when.start != published
                said = "the day of the dated sentence before it" if before_day else "publication day"
                candidate.reasons.append(f"'{when.text}' is a time of day: {said}")
                candidate.confidence -= 0.1
                continue
            if when.anaphor in ("next_day", "day_before"):
                candidate.reasons.append(f"'{when.text}' counted from the dated sentence before it")
                candidate.confidence -= 0.1
                continue
            bound = "the dated sentences around it" if when.anaphor == "earlier" else "the dated sentence before it"
            candidate.reasons.append(f"'{when.text}' is bounded by {bound}")
            candidate.confidence -= 0.2
            continue
        if when is not None and not candidate.content_dated:
            continue
        carried = _carried(candidate, candidates[:index])
        if carried is not None and (when is None or candidate.continued or candidate.pronoun):
            if when is not None:  # the date inside what was said is what it speaks of
                candidate.reasons = [r for r in candidate.reasons if "inside what was said" not in r]
                candidate.confidence += 0.15
            source, why = carried
            candidate.when = source.when
            candidate.reasons.append(why)
            candidate.confidence -= 0.1
    lead_paragraph = _lead_paragraph(candidates)
    for candidate in candidates:
        if candidate.when is None and candidate.sentence.paragraph <= lead_paragraph:
            later = next((c for c in candidates if c.actor is candidate.actor and c.when is not None), None)
            if later is not None and later.when is not None:
                candidate.when = later.when
                candidate.reasons.append(
                    f"a lead sentence without a date: dated as {candidate.actor.name}'s remarks "
                    f"'{later.when.text}' below"
                )
                candidate.confidence -= 0.2
    body = [s.paragraph for s, _ in dated]
    peg = _news_peg(dated, lead, published) if body else None
    for candidate in candidates:
        spoken_today = _SPEAKERS_TODAY.search(candidate.quote)
        if candidate.when is None and spoken_today:
            day = peg.start if peg is not None and peg.precision == "day" and peg.start == peg.end else published
            candidate.when = When(spoken_today.group(0), day, day, "day", False, candidate.start)
            news = peg.text if peg is not None else ""
            said = f"the day the story's news happened ('{news}')" if day != published else "publication day"
            candidate.reasons.append(f"'{spoken_today.group(0)}' in the quote is the speaker's day: {said}")
            candidate.confidence = min(candidate.confidence, 0.6)
    for candidate in candidates:
        if candidate.when is None:
            if peg is not None:
                level: Precision = "month" if peg.precision == "month" else "day"
                candidate.when = dataclasses.replace(undated_window(published), start=peg.start, precision=level)
                candidate.reasons.append(
                    f"the sentence gives no date: the window runs from where the story starts as the text dates "
                    f"it ('{peg.text}') to publication"
                )
            else:
                candidate.when = undated_window(published)
                candidate.reasons.append("the sentence gives no date: the window is the week before publication")
            candidate.confidence = min(candidate.confidence, 0.35)


def _news_peg(dated: list[tuple[Sentence, When]], lead: int, published: dt.date) -> When | None:
    """Where the story's current developments start, as the text dates them: the first past day
    the lead paragraph gives in the week before publication; else the earliest date the article
    gives within ``_STORY_REACH`` before publication (older dates are background: "the worst
    fall since 1987"); else None."""
    week = published - dt.timedelta(days=7)
    in_lead = [w for s, w in dated if s.paragraph == lead and w.precision == "day" and week <= w.start <= published]
    if in_lead:
        return in_lead[0]
    reach = published - _STORY_REACH
    recent = [w for _, w in dated if reach <= w.start <= published and not w.duration and w.precision != "year"]
    return min(recent, key=lambda w: w.start) if recent else None


_STORY_REACH = dt.timedelta(days=62)
"""How far before publication an undated sentence's window may start: the story's own span."""


def _lead_paragraph(candidates: list[Candidate]) -> int:
    body = [c.sentence.paragraph for c in candidates]
    return min(body) + _LEAD_PARAGRAPHS - 1 if body else -1


def _carried(candidate: Candidate, earlier: list[Candidate]) -> tuple[Candidate, str] | None:
    """The earlier candidate whose date this one takes: the same speaker's remarks it continues."""
    recent = list(reversed(earlier[-3:]))
    recent.sort(key=lambda c: c.when is not None and bool(c.when.anaphor))  # a date the text gives first
    for previous in recent:
        if previous.actor is not candidate.actor or previous.when is None or previous.kind == "action":
            continue
        same_paragraph = previous.sentence.paragraph == candidate.sentence.paragraph
        continues = candidate.continued or candidate.pronoun
        near = candidate.sentence.paragraph - previous.sentence.paragraph <= 2
        if same_paragraph or (continues and near):
            how = "in the same paragraph" if same_paragraph else f"'{candidate.verb}' continues them"
            return previous, f"dated as the same speaker's remarks before it ({how}: '{previous.when.text}')"
    return None


def verb_present(verb: str) -> str:
    """A reporting verb in the present tense, for a title ("lamented" -> "laments")."""
    if verb == "according to":
        return "says"
    present = VERBS.get(verb, "says")
    plain = {"concludes", "adds", "notes", "states", "tells", "comments", "remarks", "observes", "mentions"}
    return "says" if present in plain else present
