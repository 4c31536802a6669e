"""Who speaks: an alias gazetteer built from the article itself, and mentions resolved to it.

The gazetteer learns, from the whole text (headline included):

- role appositives: "GUR spokesman Andrey Yusov", "Spokesperson Dmitry Peskov", "SpaceX CEO
  Elon Musk" (a person, a role, an organisation), and descriptors before a surname
  ("entrepreneur Musk");
- organisations with their short forms: "Ukraine's Main Directorate of Intelligence (GUR)"
  is one organisation known as "GUR" too; "Ukrainian intelligence" and "Defense Intelligence
  of Ukraine" resolve to it by their head word and country;
- with a spaCy model, its PERSON and ORG entities.

Later mentions resolve to one actor: a surname ("Peskov"), a role with an organisation ("the
SpaceX CEO", "the Kremlin's representative"), a descriptor ("the billionaire", "the
entrepreneur": the person it was said of, else the person most recently in view), a pronoun
("he": the person most recently in view). The lane uses the full name; organisations are
named without "the" and without a possessive country, by their acronym when the text gives
one (the seed data's convention: actor ``GUR``, organisation ``Main Directorate of
Intelligence (GUR)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from timeline.extract.text import word_set

Kind = Literal["person", "organisation"]


ROLE_WORDS = word_set(
    "spokesman spokeswoman spokesperson representative ceo chief president minister secretary director "
    "head leader chairman chairwoman chair founder owner senator governor mayor general commander "
    "official adviser advisor ambassador envoy premier chancellor king queen prince judge prosecutor "
    "attorney lawyer spokespeople executive manager coach captain officer inspector sheriff commissioner "
    "justice superintendent deputy dean professor researcher scientist analyst economist editor correspondent "
    "reporter author billionaire entrepreneur businessman businesswoman tycoon mogul activist lawmaker "
    "legislator congressman congresswoman mp candidate nominee diplomat engineer doctor nurse teacher "
    "farmer witness resident student pilot driver worker voter survivor victim artist singer actor "
    "player striker manager referee critic historian spokesman strategist investor trader broker banker "
    "consultant specialist partner treasurer astronomer physicist biologist engineer geologist surgeon "
    "physician psychologist sociologist lecturer principal headteacher archbishop bishop pastor priest "
    "imam rabbi spokesperson solicitor barrister magistrate constable detective firefighter paramedic"
)
"""Nouns that describe a person by what they are ("the billionaire", "GUR spokesman")."""
SPOKES_ROLES = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative", "spokespeople"})
ORG_WORDS = word_set(
    "ministry department directorate agency intelligence council committee commission office bureau "
    "service services company corporation corp inc ltd group party government administration army navy "
    "force forces police court university institute association union fleet parliament congress senate "
    "cabinet kremlin pentagon foundation organization organisation bank fund authority board network "
    "channel news times post agency embassy command coalition alliance federation league club team "
    "campaign hospital school media airline carmaker automaker retailer firm startup broadcaster "
    "newspaper magazine insurer lender regulator manufacturer producer supplier operator utility charity "
    "council watchdog prosecutor's tribunal studio publisher label brand chain reserve exchange treasury"
)
LOWER_CASE_NOT_ORGS = word_set("news times post journal herald tribune gazette observer press mail express")
"""Organisation words that name an organisation only when capitalised ("Fox News", not "the news")."""
HONORIFICS = word_set("mr mrs ms miss dr prof sir dame rev lord lady")
"""Words before a person's name that are not part of it."""
VAGUE_ORGS = word_set("company firm group organisation organization agency body outlet business carrier")
"""Nouns that may stand for whatever organisation was last in view ("the company said")."""
GENERIC_ACTORS = word_set(
    "police officials authorities prosecutors investigators witnesses residents researchers scientists "
    "doctors experts analysts lawmakers protesters officers troops firefighters rescuers regulators "
    "critics organisers organizers groups campaigners unions activists"
)
"""Plural nouns that can speak as a group ("police said")."""
DEMONYMS = {
    "ukrainian": "ukraine", "russian": "russia", "american": "us", "british": "uk", "chinese": "china",
    "french": "france", "german": "germany", "israeli": "israel", "palestinian": "palestine",
    "iranian": "iran", "indian": "india", "japanese": "japan", "canadian": "canada", "australian": "australia",
    "european": "europe", "turkish": "turkey", "polish": "poland", "syrian": "syria", "iraqi": "iraq",
    "u.s.": "us", "united states": "us",
}  # fmt: skip
TITLE_WORDS = word_set(
    "attorney vice deputy prime foreign defense defence interior finance press chief white house first "
    "lady state home health justice acting former senior top assistant associate lieutenant major"
)
"""Words that belong to a title, not an organisation ("Attorney General", "Vice President")."""
PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "it": "organisation", "they": "any"}
_STOP = word_set("the a an of and for in on at to his her its their our this that these those")
NAME_WORD = r"(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]\.|[A-Z][a-z]*[A-Z][a-z]+|[A-Z][’'][A-Z][a-z]+)"
PERSON_NAME = rf"{NAME_WORD}(?:\s+(?:de|van|von|al|bin|da|del)\b)?(?:\s+{NAME_WORD}){{1,2}}"
ROLE_PATTERN = "|".join(sorted((re.escape(w) for w in ROLE_WORDS), key=len, reverse=True))
_ORG_WORD = r"(?:[A-Z][\w&.-]*|of|for|the|and)"
_APPOSITIVE = re.compile(
    rf"(?:(?P<org>(?:the\s+)?[A-Z][\w&.-]*(?:\s+(?:[A-Z][\w&.-]*|&)){{0,4}})(?:’s|'s)?\s+)?"
    rf"(?P<role>(?i:{ROLE_PATTERN}))\s+(?P<name>{PERSON_NAME})\b"
)
_ACRONYM_ORG = re.compile(
    rf"(?P<full>(?:(?:the\s+)?[A-Z][\w.-]*(?:’s|'s)\s+)?[A-Z][\w&.-]*(?:\s+{_ORG_WORD}){{0,8}}?)"
    r"\s+\((?P<short>[A-Z][A-Za-z&]{1,9})\)"
)
_ALSO_KNOWN = re.compile(
    rf"(?P<a>[A-Z][\w&.-]*(?:\s+{_ORG_WORD}){{0,6}}?(?:\s+\([A-Z][A-Za-z&]{{1,9}}\))?),?\s+"
    r"(?:also\s+)?(?:known|called|referred to)\s+as\s+"
    r"(?:the\s+)?(?P<b>[A-Z][\w&.-]*(?:\s+(?:of\s+)?[A-Z][\w&.-]*){0,6})"
)
_ROLE_OF_TAIL = (
    rf"(?:(?:an?|the)\s+)?(?:\w+\s+){{0,3}}?(?P<role>(?i:{ROLE_PATTERN}))\s+(?:for|of|at|with|to|from)\s+(?:the\s+)?"
    rf"(?P<org>[A-Z][\w&.’'-]*(?:\s+{_ORG_WORD}){{0,5}}?)(?=[,.;])"
)
_ROLE_OF = (
    re.compile(rf"(?P<name>{PERSON_NAME}),?\s+{_ROLE_OF_TAIL}"),  # "Laura Bianchi, a spokeswoman for the Red Cross,"
    re.compile(rf"{_ROLE_OF_TAIL},\s+(?P<name>{PERSON_NAME}),"),  # "A spokeswoman for the Red Cross, Laura Bianchi,"
    re.compile(  # "A Boeing spokesperson, Jim Proulx,"
        rf"\b(?:[Aa]n?|[Tt]he)\s+(?P<org>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){{0,3}})\s+"
        rf"(?P<role>(?i:{ROLE_PATTERN})),\s+(?P<name>{PERSON_NAME}),"
    ),
)
_NAME_THE_ROLE = (
    re.compile(  # "Henry Paulson, the US Treasury Secretary,"
        rf"(?P<name>{PERSON_NAME}),\s+(?:the|an?)\s+(?P<org>[A-Z][\w&.’'-]*(?:\s+(?:[A-Z][\w&.’'-]*|&|of)){{0,4}})\s+"
        rf"(?P<role>(?i:{ROLE_PATTERN}))\b"
    ),
    re.compile(  # "Eric Haddox, a civil engineer who"
        rf"(?P<name>{PERSON_NAME}),\s+(?:an?|the)\s+(?:[a-z]+\s+){{0,2}}(?P<role>(?i:{ROLE_PATTERN}))\b(?P<org>)"
    ),
)
_ROLE_AT_ORG_NAME = re.compile(
    rf"(?P<role>(?i:{ROLE_PATTERN}))\s+(?:at|of|for|with|from)\s+(?:the\s+)?"
    rf"(?P<org>[A-Z][\w&.’'-]*(?:\s+(?:[A-Z][\w&.’'-]*|&|of|and)){{0,5}}?)\s+(?P<name>{NAME_WORD}(?:\s+[A-Z]\.)?\s+{NAME_WORD})\b"
    r"(?!\s+[A-Z])"
)
"""A role at an organisation, then the name: "Chief investment officer at Fort Pitt Capital Group
Charlie Smith" (the last two capitalised words are the person, the rest the organisation)."""
_SPOKES_FOR = re.compile(
    r"^(?:[Aa]n?|[Tt]he)\s+(?:\w+\s+)?(?:spokesman|spokeswoman|spokesperson|representative|official)\s+"
    r"(?:for|of|at|from)\s+(?P<org>.+)$"
)
_TITLED = re.compile(
    rf"(?:^|\s)(?P<role>(?i:{ROLE_PATTERN}))(?:\s+(?:of|for|the|[A-Z][\w&.-]*))*?"
    rf"\s+(?P<name>{NAME_WORD}(?:\s+[A-Z]\.)?\s+{NAME_WORD})$"
)
"""A speaker named with a title ("Secretary of State Antony J. Blinken", "Minister Clare O'Neil")."""
_POSSESSIVE_PLACE = re.compile(r"^(?:the\s+)?([A-Z][a-z]+)(?:’s|'s)\s+")


@dataclass
class Actor:
    """Someone or something that speaks or acts.

    Attributes:
        name: the lane name: the full name, or an organisation's acronym when the text gives one.
        kind: ``person`` or ``organisation``.
        organisation: the full name of the organisation a person belongs to, or an
            organisation's own full name.
        roles: role and descriptor nouns said of them ("ceo", "billionaire").
        aliases: lower-case forms that name them ("musk", "elon musk", "gur").
    """

    name: str
    kind: Kind
    organisation: str = ""
    roles: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    country: str = ""

    def words(self) -> set[str]:
        """Content words of the organisation's names (demonyms as countries)."""
        text = " ".join([self.name, self.organisation, *self.aliases, self.country])
        return {_country(w) for w in re.findall(r"[a-z.]+", text.lower()) if w not in _STOP}


def _country(word: str) -> str:
    return DEMONYMS.get(word, word)


def same_word(a: str, b: str) -> bool:
    """Whether two words are one word or a place and its people ("kenya", "kenyan"; "service", "services")."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter < 4:
        return False
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), shorter)
    return common >= shorter - 1 and abs(len(a) - len(b)) <= 3


_INNER_ACRONYM = re.compile(r"\b[A-Z][\w.-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w.-]*)*\s+\(([A-Z][A-Za-z&]{1,9})\)(?=\s+\S)")


def clean_org(text: str) -> tuple[str, str]:
    """An organisation's name without "the" and without a possessive place, and the place
    ("Ukraine's Main Directorate of Intelligence (GUR)" -> ("Main Directorate ... (GUR)", "ukraine"))."""
    text = " ".join(text.split())
    place = ""
    possessive = _POSSESSIVE_PLACE.match(text)
    if possessive and len(text.split()) > 2:
        place = _country(possessive.group(1).lower())
        text = text[possessive.end() :]
    text = re.sub(r"^(?:the|The|an?|An?)\s+", "", text)
    # "United Nations (UN) tribunal in The Hague" -> "UN tribunal in The Hague": the short form inside a longer name
    text = _INNER_ACRONYM.sub(r"\1", text)
    return text.strip(" ,"), place


class Gazetteer:
    """The actors an article names, and the mentions that resolve to them."""

    def __init__(self) -> None:
        self.actors: list[Actor] = []
        self._by_alias: dict[str, Actor] = {}
        self._learned: set[str] = set()

    # ------------------------------------------------------------------ learning

    def learn(self, text: str, persons: list[str] | None = None, orgs: list[str] | None = None) -> None:
        """Learn the actors ``text`` introduces (``persons``/``orgs``: a model's entities); a text
        learned before adds only the entities."""
        if text in self._learned:
            self._add_entities(persons, orgs)
            return
        self._learned.add(text)
        for match in _ACRONYM_ORG.finditer(text):
            full, place = clean_org(match.group("full"))
            short = match.group("short")
            if not full or _is_sentence_word(full):
                continue
            actor = self.add_org(f"{full}" if full.endswith(f"({short})") else f"{full} ({short})", short, place)
            actor.aliases |= {full.lower(), short.lower()}
            self._index(actor)
        for match in _ALSO_KNOWN.finditer(text):
            known = self.find(match.group("a"))
            if known is not None:
                known.aliases.add(clean_org(match.group("b"))[0].lower())
                self._index(known)
        for match in _APPOSITIVE.finditer(text):
            name = _trim_name(match.group("name"))
            if name is None:
                continue
            role = match.group("role").lower()
            org_text = _without_title((match.group("org") or "").strip())
            organisation = ""
            if org_text and not _is_sentence_word(clean_org(org_text)[0] or "The"):
                org = self.find(org_text) or self.add_org(*clean_org(org_text)[:1], "", clean_org(org_text)[1])
                organisation = org.organisation or org.name
            person = self.add_person(name)
            person.roles.add(role)
            if organisation and not person.organisation:
                person.organisation = organisation
        patterns = (*_ROLE_OF, _ROLE_AT_ORG_NAME, *_NAME_THE_ROLE)
        for match in (m for pattern in patterns for m in pattern.finditer(text)):
            name = _trim_name(match.group("name"))
            if name is None:
                continue
            person = self.add_person(name)
            person.roles.add(match.group("role").lower())
            org_text = _without_title(match.group("org") or "")
            if org_text and not person.organisation and not _is_sentence_word(org_text):
                org = self.find(org_text) or self.add_org(*clean_org(org_text)[:1], "", clean_org(org_text)[1])
                person.organisation = org.organisation or org.name
        self._add_entities(persons, orgs)
        for person in [a for a in self.actors if a.kind == "person"]:
            surname = person.name.split()[-1]
            for match in re.finditer(rf"\b([a-z]+)\s+{re.escape(surname)}\b", text):
                if match.group(1) in ROLE_WORDS:
                    person.roles.add(match.group(1))

    def _add_entities(self, persons: list[str] | None, orgs: list[str] | None) -> None:
        for name in persons or []:
            self.add_person(name)
        for name in orgs or []:
            self.add_org(*clean_org(name)[:1], "", clean_org(name)[1])

    def add_person(self, name: str, *, unnamed: bool = False) -> Actor:
        """The person named ``name`` (added when new; a longer form of a known name merges).
        ``unnamed``: a role standing for a person the text does not name ("the president")."""
        known = self.find(name)
        if known is not None and known.kind == "person":
            if len(name.split()) > len(known.name.split()):
                known.name = name
                self._index(known)
            return known
        actor = Actor(name, "person")
        parts = name.split()
        actor.aliases |= {name.lower()} if unnamed else {name.lower(), parts[-1].lower()}
        self.actors.append(actor)
        self._index(actor)
        return actor

    def add_org(self, full: str, short: str = "", place: str = "") -> Actor:
        """The organisation ``full`` (known by ``short`` too), added when new."""
        known = self.find(short) if short else None
        known = known or self.find(full)
        if known is not None:
            if short and known.name != short and known.kind == "organisation":
                known.name, known.organisation = short, full
                known.aliases.add(short.lower())
                self._index(known)
            return known
        actor = Actor(short or full, "organisation", full, set(), {full.lower(), (short or full).lower()}, place)
        self.actors.append(actor)
        self._index(actor)
        return actor

    def _index(self, actor: Actor) -> None:
        for alias in actor.aliases | {actor.name.lower(), actor.organisation.lower()} - {""}:
            self._by_alias.setdefault(alias, actor)

    # ------------------------------------------------------------------ looking up

    def find(self, text: str) -> Actor | None:
        """The actor ``text`` names outright (a name, surname, acronym or alias), or None."""
        key = _key(text)
        if not key:
            return None
        if key in self._by_alias:
            return self._by_alias[key]
        cleaned, _ = clean_org(text)
        if _key(cleaned) in self._by_alias:
            return self._by_alias[_key(cleaned)]
        return None

    def similar_org(self, text: str) -> Actor | None:
        """An organisation that ``text`` names by its head word and another content word
        ("Ukrainian intelligence", "Defense Intelligence of Ukraine" -> the GUR)."""
        words = [_country(w) for w in re.findall(r"[a-z.]+", text.lower()) if w not in _STOP]
        if not words:
            return None
        head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
        best: tuple[int, Actor] | None = None
        for actor in self.actors:
            if actor.kind != "organisation":
                continue
            known = actor.words()
            overlap = sum(1 for w in set(words) if any(same_word(w, k) for k in known))
            if any(same_word(head, k) for k in known) and overlap >= 2 and (best is None or overlap > best[0]):
                best = (overlap, actor)
        return best[1] if best else None


def _key(text: str) -> str:
    text = re.sub(r"(?:’s|'s)$", "", text.strip())
    text = re.sub(r"^(?:the|The|Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame)\.?\s+", "", text)
    return " ".join(text.split()).lower()


_NOT_NAMES = word_set(
    "In On At The A An But And However Meanwhile Speaking According Earlier Later Read Time Now Monday "
    "Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December He She It They We I You This That There Russian Ukrainian "
    "American British Chinese Other Others Some Many Several Most All Both Each Few Such Another Most "
    "Nothing Something Everything Anything Nobody Somebody Everybody Anybody Everyone Someone Anyone None No"
)


def _without_title(org_text: str) -> str:
    """An appositive's organisation without title words and demonyms ("Italian Prime" -> "")."""
    words = org_text.split()
    while words and words[-1].lower() in TITLE_WORDS:
        words.pop()
    if len(words) == 1 and (words[0].lower() in DEMONYMS or re.search(r"(?:ian|an|ese|ish)$", words[0])):
        return ""
    return " ".join(words)


def _is_sentence_word(word: str) -> bool:
    return word.split()[0] in _NOT_NAMES if word else True


def _trim_name(name: str) -> str | None:
    parts = name.split()
    while parts and parts[-1] in _NOT_NAMES:
        parts.pop()
    while len(parts) > 2 and (parts[0].lower() in ROLE_WORDS or parts[0].lower() in TITLE_WORDS):
        parts.pop(0)  # "Justice Stephen Gageler" after "Chief": the title, not the name
    if len(parts) < 2 or parts[0] in _NOT_NAMES:
        return None
    return " ".join(parts)


_NAME_OF_ORG = re.compile(
    rf"^(?P<name>{PERSON_NAME})\s+(?:of|from|at|with)\s+(?:the\s+)?(?P<org>[A-Z][\w&.’'-]*(?:\s+{_ORG_WORD}){{0,6}})$"
)
_ORG_WORD_PATTERN = "|".join(sorted((re.escape(w) for w in ORG_WORDS), key=len, reverse=True))
_DESCRIBED_NAME = re.compile(
    rf"^(?:[A-Z][a-z]+\s+)?(?:[a-z]+\s+)*(?:(?i:{ROLE_PATTERN})|{_ORG_WORD_PATTERN})\s+"
    r"(?P<name>[A-Z][\w&.’'-]*(?:\s+[A-Z][\w&.’'-]*){0,4})$"
)


class Resolver:
    """Resolves mentions, sentence by sentence, keeping who is in view."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.last_person: Actor | None = None
        self.last_org: Actor | None = None

    def seen(self, actor: Actor | None) -> None:
        """Note ``actor`` as the one most recently in view."""
        if actor is None:
            return
        if actor.kind == "person":
            self.last_person = actor
        else:
            self.last_org = actor

    def mentioned(self, text: str) -> list[Actor]:
        """The known actors ``text`` names, in order."""
        found: list[tuple[int, Actor]] = []
        for actor in self.gazetteer.actors:
            for alias in actor.aliases:
                if len(alias) < 2:
                    continue
                match = re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text, flags=re.IGNORECASE)
                if match and (alias.isupper() or not alias.islower() or text[match.start()].isupper()):
                    found.append((match.start(), actor))
        found.sort(key=lambda pair: pair[0])
        return [actor for _, actor in found]

    def resolve(self, mention: str) -> tuple[Actor | None, str]:
        """The actor ``mention`` names, and how it was resolved (for the confidence reason)."""
        mention = mention.strip(" ,;:")
        lower = mention.lower()
        if lower in PRONOUNS:
            wanted = PRONOUNS[lower]
            if wanted == "person" and self.last_person is not None:
                return self.last_person, f"'{mention}' read as {self.last_person.name}, the person last in view"
            if wanted in ("organisation", "any") and self.last_org is not None:
                return self.last_org, f"'{mention}' read as {self.last_org.name}, the organisation last in view"
            return None, ""
        found = self.gazetteer.find(mention)
        if found is not None:
            how = "named" if _key(mention) in (found.name.lower(), found.organisation.lower()) else "alias"
            return found, "" if how == "named" else f"'{mention}' read as {found.name}"
        named = [a for a in self.mentioned(mention) if a.kind == "person"]
        if named and not re.search(r"(?:’s|'s)\s+\w+$", mention):
            return named[-1], f"'{mention}' read as {named[-1].name}"
        spoken_for = _SPOKES_FOR.match(mention)
        if spoken_for:  # "a spokesperson for the health ministry": the ministry speaks
            org, how = self.resolve(spoken_for.group("org"))
            if org is not None and org.kind == "organisation":
                return org, f"'{mention}' speaks for {org.name}"
        titled = _TITLED.search(mention)
        trimmed = _trim_name(titled.group("name")) if titled else None
        if titled and trimmed:  # "Home Affairs Minister Clare O'Neil", met first as a speaker
            person = self.gazetteer.add_person(trimmed)
            person.roles.add(titled.group("role").lower())
            return person, ""
        words = re.findall(r"[\w.&-]+", re.sub(r"(?:’s|'s)\b", "", mention))
        lowered = [w.lower() for w in words]
        roles = [w for w in lowered if w in ROLE_WORDS]
        orgs = [a for a in self.mentioned(mention) if a.kind == "organisation"]
        if roles:
            people = [a for a in self.gazetteer.actors if a.kind == "person"]

            def fits(person: Actor) -> bool:
                return bool(set(roles) & person.roles or (set(roles) & SPOKES_ROLES and person.roles & SPOKES_ROLES))

            if orgs:
                org_names = {orgs[0].name, orgs[0].organisation}
                of_org = [p for p in people if p.organisation and p.organisation in org_names]
                picks = [p for p in of_org if fits(p)] or of_org
                if picks:
                    pick = picks[0]
                    return pick, f"'{mention}' read as {pick.name} ({orgs[0].name}'s {roles[-1]})"
            described = [p for p in people if set(roles) & p.roles] or [p for p in people if fits(p)]
            if len(described) == 1:
                return described[0], f"'{mention}' read as {described[0].name}, described so in the text"
            if self.last_person is not None and lowered[0] in ("the", "this", "that"):
                return self.last_person, f"'{mention}' read as {self.last_person.name}, the person last in view"
            if lowered[0] in ("the", "a", "an") and lowered[-1] in ROLE_WORDS:
                name = " ".join(words[1:])
                actor = self.gazetteer.add_person(name[:1].upper() + name[1:], unnamed=True)
                return actor, f"'{mention}' is unnamed in the text"
            return None, ""
        if orgs and len(words) <= 6:
            return orgs[0], f"'{mention}' read as {orgs[0].name}"
        similar = self.gazetteer.similar_org(mention)
        if similar is not None:
            return similar, f"'{mention}' read as {similar.name} (same head word and country)"
        generic = len(words) == 2 and lowered[0] == "the" and words[-1].islower() and lowered[-1] not in ROLE_WORDS
        if generic:
            noun = lowered[-1]
            named_so = next(
                (a for a in reversed(self.gazetteer.actors) if a.kind == "organisation" and noun in a.words()), None
            )
            if named_so is not None:
                return named_so, f"'{mention}' read as {named_so.name}, named so before"
            if noun in VAGUE_ORGS and self.last_org is not None:
                return self.last_org, f"'{mention}' read as {self.last_org.name}, the organisation last in view"
        return self._new_actor(mention, words, lowered)

    def _new_actor(self, mention: str, words: list[str], lowered: list[str]) -> tuple[Actor | None, str]:
        """An actor named for the first time: a person's name, an organisation, or a group."""
        if not words:
            return None, ""
        of_org = _NAME_OF_ORG.match(mention)
        if of_org and not set(of_org.group("name").lower().split()) & ORG_WORDS:  # "Axel Merk of Merk Investments"
            person = self.gazetteer.add_person(of_org.group("name"))
            org = self.gazetteer.find(of_org.group("org")) or self.gazetteer.add_org(
                *clean_org(of_org.group("org"))[:1]
            )
            person.organisation = person.organisation or org.organisation or org.name
            return person, ""
        described = _DESCRIBED_NAME.match(mention)
        if described:  # "consulting firm Accenture", "Fellow retailer Target": the name after its description
            return self.resolve(described.group("name"))
        if len(words) >= 2 and words[0].rstrip(".").lower() in HONORIFICS:  # "Dr. Jane Doe", "Mr Smith"
            name = " ".join(w for w in words[1:] if w[0].isupper())
            return (self.gazetteer.add_person(name), "") if name else (None, "")
        capitals = [w for w in words if w[0].isupper()]
        if lowered[-1] in GENERIC_ACTORS or (not capitals and lowered[-1] in ORG_WORDS):
            name = " ".join(words[1:] if lowered[0] in ("the",) else words)
            actor = self.gazetteer.add_org(name[0].upper() + name[1:])
            return actor, f"'{mention}' is unnamed in the text"
        if not capitals or (words[0] in _NOT_NAMES and len(words) == 1):
            return None, ""
        if lowered[-1] in ORG_WORDS or any(w in ORG_WORDS for w in lowered) or len(words) == 1:
            full, place = clean_org(mention)
            return self.gazetteer.add_org(full[:1].upper() + full[1:], "", place), ""
        trimmed = _trim_name(" ".join(w for w in words if w[0].isupper()))
        if trimmed is not None and re.fullmatch(PERSON_NAME, trimmed):
            return self.gazetteer.add_person(trimmed), ""
        full, place = clean_org(mention)
        return self.gazetteer.add_org(full, "", place), ""
