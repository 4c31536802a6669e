"""Synthetic events: a deterministic table of any size with the shape of real news data.

Benchmarks and engine tests need many events that behave like real ones: a few loud actors
and a long tail of quiet ones, camps of very different sizes, news that comes in bursts,
loosely dated events, spans, targets and threads of replies, and text worth searching.
Every number comes from ``numpy`` generators spawned from one seed and every column is
built with array operations (no Python loop per event), so the same arguments always give
the same table and a million events take a few seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from timeline.dates import parse_partial_date
from timeline.io import format_of, write_events
from timeline.schema import COLUMN_NAMES, KINDS

Ints = npt.NDArray[np.int64]
Texts = npt.NDArray[np.object_]
Flags = npt.NDArray[np.bool_]

TARGET = "target"
"""The actor acted upon (ICEWS/GDELT source -> target); kept as an extra column until the schema has it."""

DEFAULT_ACTORS = 40
DEFAULT_SIDES = 6
DEFAULT_SPAN_SHARE = 0.05
DEFAULT_LOOSE_SHARE = 0.15
DEFAULT_TARGET_SHARE = 0.5
DEFAULT_START = "2000-01-01"
DEFAULT_END = "2024-12-31"
CHUNK_ROWS = 50_000
"""Rows formatted at a time: the unit of the progress bar; the table does not depend on it."""

ACTOR_TAIL = 1.1
"""Zipf exponent of actor activity: with 40 actors the loudest has about 25 times the median's events."""
SIDE_TAIL = 1.5
"""Zipf exponent of camp sizes."""
CAST_SHARPNESS = 3.0
"""How strongly news weight decides who is cast first (0: anyone, large: always the same few)."""
NO_SIDE_SHARE = 0.2
"""Share of the countries that belong to no camp (the international bodies and media never do)."""

# (role, news weight, a state body). A country's actors are "<role> (<country>)".
ROLES: tuple[tuple[str, float, bool], ...] = (
    ("Government", 10, True),
    ("President", 6, True),
    ("Armed forces", 6, True),
    ("Ministry of Foreign Affairs", 5, True),
    ("Ministry of Defence", 5, True),
    ("Prime Minister", 4, True),
    ("Police", 4, True),
    ("Parliament", 3, True),
    ("Opposition", 3, False),
    ("Ministry of the Interior", 3, True),
    ("Ruling party", 2, False),
    ("Ministry of Finance", 2, True),
    ("Central bank", 2, True),
    ("Supreme Court", 2, True),
    ("Protesters", 2, False),
    ("State media", 2, True),
    ("Intelligence service", 1.5, True),
    ("Ministry of Health", 1.5, True),
    ("Election commission", 1.5, True),
    ("Rebels", 1.5, False),
    ("Ministry of Energy", 1, True),
    ("Ministry of Justice", 1, True),
    ("Prosecutor's office", 1, True),
    ("Navy", 1, True),
    ("Air force", 1, True),
    ("Border guard", 1, True),
    ("Coast guard", 1, True),
    ("Trade unions", 1, False),
    ("Human rights groups", 1, False),
    ("Journalists", 1, False),
    ("Business leaders", 0.8, False),
    ("Students", 0.8, False),
    ("Local officials", 0.8, True),
    ("Farmers", 0.5, False),
    ("Religious leaders", 0.5, False),
    ("Refugees", 0.5, False),
)
# Roles that exist many times within a country; beyond the national cast, actors are
# "<role> (<country>, region <n>)".
REGIONAL_ROLES: tuple[str, ...] = (
    "Police",
    "Regional government",
    "Local officials",
    "Protesters",
    "Regional court",
    "Hospitals",
    "Farmers",
    "Students",
    "Trade unions",
    "Journalists",
)
COUNTRIES: tuple[tuple[str, float], ...] = (
    ("United States", 10), ("Russia", 9), ("Ukraine", 8), ("China", 8), ("Israel", 6), ("India", 5),
    ("United Kingdom", 5), ("France", 5), ("Germany", 5), ("Iran", 5), ("Turkey", 4), ("Pakistan", 3),
    ("Japan", 3), ("Brazil", 3), ("Saudi Arabia", 3), ("Syria", 3), ("Egypt", 2.5), ("South Korea", 2.5),
    ("North Korea", 2.5), ("Poland", 2.5), ("Taiwan", 2), ("Italy", 2), ("Spain", 2), ("Mexico", 2),
    ("Canada", 2), ("Australia", 2), ("South Africa", 2), ("Nigeria", 2), ("Afghanistan", 2), ("Iraq", 2),
    ("Venezuela", 1.5), ("Lebanon", 1.5), ("Yemen", 1.5), ("Sudan", 1.5), ("Ethiopia", 1.5),
    ("Indonesia", 1.5), ("Belarus", 1.5), ("Philippines", 1.2), ("Kenya", 1), ("Georgia", 1),
    ("Armenia", 1), ("Azerbaijan", 1), ("Hungary", 1), ("Serbia", 1), ("Greece", 1), ("Netherlands", 1),
    ("Sweden", 1), ("Finland", 1), ("Argentina", 1), ("Colombia", 1), ("Qatar", 1),
    ("United Arab Emirates", 1), ("Libya", 1), ("Myanmar", 1), ("Democratic Republic of the Congo", 1),
    ("Kosovo", 0.8), ("Belgium", 0.8), ("Norway", 0.8), ("Denmark", 0.8), ("Switzerland", 0.8),
    ("Romania", 0.8), ("Moldova", 0.8), ("Chile", 0.8), ("Cuba", 0.8), ("Jordan", 0.8), ("Mali", 0.8),
    ("Somalia", 0.8), ("Thailand", 0.8), ("Vietnam", 0.8), ("Bangladesh", 0.8), ("Lithuania", 0.7),
    ("Czech Republic", 0.7), ("Peru", 0.7), ("Haiti", 0.7), ("Algeria", 0.7), ("Morocco", 0.7),
    ("Niger", 0.7), ("Austria", 0.6), ("Latvia", 0.6), ("Estonia", 0.6), ("Slovakia", 0.6),
    ("Tunisia", 0.6), ("Burkina Faso", 0.6), ("Rwanda", 0.6), ("Uganda", 0.6), ("Malaysia", 0.6),
    ("Sri Lanka", 0.6), ("Kazakhstan", 0.6), ("Bolivia", 0.5), ("Ecuador", 0.5), ("Tanzania", 0.5),
    ("Ghana", 0.5), ("Senegal", 0.5), ("Zimbabwe", 0.5), ("New Zealand", 0.5), ("Ireland", 0.5),
    ("Portugal", 0.5), ("Nepal", 0.4), ("Uzbekistan", 0.4), ("Bulgaria", 0.4), ("Croatia", 0.4),
    ("Cyprus", 0.4), ("Mongolia", 0.3),
)  # fmt: skip
# (name, news weight, media): bodies that belong to no country and no camp.
INTERNATIONAL: tuple[tuple[str, float, bool], ...] = (
    ("Reuters", 6, True), ("Associated Press", 5, True), ("AFP", 4, True), ("BBC", 4, True),
    ("Al Jazeera", 3, True), ("CNN", 3, True), ("The New York Times", 3, True), ("The Guardian", 2, True),
    ("Xinhua", 2, True), ("TASS", 2, True), ("Bloomberg", 2, True), ("Deutsche Welle", 1.5, True),
    ("Kyodo News", 1, True), ("Anadolu Agency", 1, True), ("Yonhap", 1, True), ("Le Monde", 1, True),
    ("United Nations", 6, False), ("UN Security Council", 4, False), ("NATO", 5, False),
    ("European Union", 5, False), ("European Commission", 3, False), ("World Health Organization", 2, False),
    ("International Monetary Fund", 2, False), ("World Bank", 1.5, False),
    ("International Committee of the Red Cross", 1.5, False), ("Amnesty International", 1.5, False),
    ("Human Rights Watch", 1.5, False), ("African Union", 1.5, False), ("ASEAN", 1, False),
    ("OPEC", 1, False), ("International Criminal Court", 1.5, False), ("UNHCR", 1.5, False),
    ("UNICEF", 1, False), ("Doctors Without Borders", 1, False),
    ("International Atomic Energy Agency", 1.5, False), ("OSCE", 1, False), ("Arab League", 1, False),
    ("G7", 1, False), ("World Trade Organization", 1, False),
)  # fmt: skip

# How often each kind occurs; media mostly report. A kind the schema adds later that is
# missing here never occurs.
KIND_MIX: dict[str, float] = {
    "action": 0.30, "statement": 0.32, "claim": 0.12, "denial": 0.08, "report": 0.10, "event": 0.08,
}  # fmt: skip
MEDIA_KIND_MIX: dict[str, float] = {"report": 0.85, "statement": 0.05, "claim": 0.05, "event": 0.05}
# Verbs by kind: (with a target, without one). A title is "<actor> <verb>[ <target>]".
VERBS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "action": (
        ("imposes sanctions on", "strikes positions of", "detains members of", "sends aid to",
         "signs an agreement with", "expels diplomats of", "blocks shipments from", "meets"),
        ("launches an operation", "announces new measures", "deploys troops", "closes the border",
         "holds an emergency session", "releases prisoners"),
    ),
    "statement": (
        ("criticises", "praises", "calls on", "warns", "thanks", "urges talks with", "condemns"),
        ("issues a statement", "holds a press conference", "announces a review", "calls for calm"),
    ),
    "claim": (
        ("accuses", "blames", "says it was attacked by", "alleges interference by", "says it has evidence against"),
        ("claims a breakthrough", "says it has evidence", "claims control of the area"),
    ),
    "denial": (
        ("denies accusations by", "rejects claims by", "dismisses a report by", "denies talks with"),
        ("denies involvement", "rejects the reports", "denies any casualties"),
    ),
    "report": (
        ("reports on", "publishes an investigation into", "reports new contacts with", "questions"),
        ("reports clashes", "publishes a report", "reports heavy losses", "reports a leak"),
    ),
    "event": (
        ("holds talks with", "hosts a delegation from", "clashes with"),
        ("holds an event", "marks an anniversary", "holds a meeting"),
    ),
}  # fmt: skip
# Actors that are no state body (media, parties, groups) act otherwise, and speak alike.
CIVIL_VERBS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    **VERBS,
    "action": (
        ("stages protests against", "files a lawsuit against", "meets", "sends aid to", "calls for a boycott of",
         "signs a petition against"),
        ("stages a protest", "launches a campaign", "holds a rally", "calls a strike", "publishes documents"),
    ),
}  # fmt: skip
TOPICS: tuple[str, ...] = (
    "the border crossing", "grain exports", "the ceasefire", "energy prices", "the election results",
    "the drone strike", "the peace talks", "sanctions", "the refugee crisis", "the pipeline",
    "the nuclear programme", "military aid", "the port blockade", "the trade agreement",
    "the detained journalists", "the cyberattack", "the satellite network", "fishing rights",
    "the water dispute", "the prisoner exchange", "the budget", "fuel shortages", "the airspace closure",
    "the embassy", "the protests", "the curfew", "the vaccine rollout", "flood relief", "the mining licence",
    "the constitutional reform", "the corruption inquiry", "troop movements", "the naval exercise",
    "the hostage release", "humanitarian corridors", "the debt restructuring", "the currency",
    "the oil field", "the missile test", "the disputed islands", "the arms deal", "the power plant",
    "internet shutdowns", "the referendum", "wheat prices", "the rail link", "the gas supply", "the dam",
    "press freedom", "the evacuation",
)  # fmt: skip
CONNECTORS: tuple[str, ...] = ("over", "regarding", "in a dispute about", "in connection with", "amid reports about")
PLACES: tuple[str, ...] = (
    "near the capital", "in the north", "in the south", "in the east", "along the border", "at the summit",
    "in a televised address", "in parliament", "at a press conference", "on social media",
    "at the United Nations", "in an interview", "overnight", "in the port city", "at the talks",
)  # fmt: skip
AFTERWORDS: tuple[str, ...] = (
    "", "", "", " Officials gave no figures.", " The claim could not be independently verified.",
    " Talks are expected to resume next week.", " Observers called the move unprecedented.",
    " Observers called the move symbolic.", " Markets reacted cautiously.", " No casualties were reported.",
    " The statement came after days of silence.", " Diplomats described the mood as tense.",
)  # fmt: skip
QUOTES: tuple[str, ...] = (
    "We will not accept any deal on {}.", "There is no truth in the reports about {}.",
    "We are deeply concerned about {}.", "Our position on {} has not changed.",
    "We call for restraint over {}.", "Nobody should doubt our commitment on {}.",
    "We have evidence about {} and we will publish it.", "We welcome the progress on {}.",
    "History will judge those responsible for {}.", "The talks on {} were frank and useful.",
    "Let me be clear: on {} there is nothing to negotiate.", "Those who lie about {} will answer for it.",
)  # fmt: skip
# Share of each kind's events that carry a quote, and that answer an earlier event by their target.
QUOTE_SHARE: dict[str, float] = {"statement": 0.5, "claim": 0.4, "denial": 0.6}
REPLY_SHARE: dict[str, float] = {"denial": 0.8, "statement": 0.25, "claim": 0.15, "report": 0.2}
SUMMARY_SHARE = 0.7
DATE_TEXT_SHARE = 0.35

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
DAY, MONTH, YEAR = 0, 1, 2
"""Precision codes, in the order of :data:`PRECISION_NAMES`."""
PRECISION_NAMES = ("day", "month", "year")


@dataclass(frozen=True)
class _Cast:
    """The actors, loudest first: name, organisation, camp, and whether they are news media."""

    names: Texts
    organisations: Texts
    sides: Texts
    media: Flags
    state: Flags


@dataclass(frozen=True)
class _Draws:
    """Every random choice, one array entry per event in date order; formatting reads only these."""

    actor: Ints
    target: Ints  # -1: none
    kind: Ints
    day: Ints  # days after the first day
    end_day: Ints  # -1: no end
    precision: Ints
    approximate: Flags
    span: Flags
    reply: Ints  # row answered, -1: none
    verb: Ints
    summary: Flags
    topic: Ints
    connector: Ints
    place: Ints
    afterword: Ints
    quote: Flags
    quote_template: Ints
    quote_topic: Ints
    date_text: Flags
    date_text_form: Ints


def generate_events(
    count: int,
    *,
    actors: int = DEFAULT_ACTORS,
    seed: int = 0,
    sides: int = DEFAULT_SIDES,
    span_share: float = DEFAULT_SPAN_SHARE,
    loose_share: float = DEFAULT_LOOSE_SHARE,
    target_share: float = DEFAULT_TARGET_SHARE,
    start: str = DEFAULT_START,
    end: str = DEFAULT_END,
    progress: bool = False,
) -> pd.DataFrame:
    """A synthetic event table of text cells, the same for the same arguments.

    Args:
        count: number of events (rows), in date order, with ids ``g<seed>-1``, ``g<seed>-2``...
        actors: size of the cast; each actor appears at least once when ``count >= actors``.
            Activity is long-tailed (Zipf-like): a few loud actors, many quiet ones.
        seed: a non-negative integer; another seed gives another table.
        sides: number of camps (of very different sizes); international bodies and some
            countries' actors belong to none. ``0``: no camps at all.
        span_share: share of events that are spans (an ``end``, exact days).
        loose_share: share dated loosely: to the month, to the year, or ``approximate``
            with a window (``start``..``end``). At most ``1 - span_share``.
        target_share: share of events with a ``target``, another actor (never the actor).
        start: first day events may fall on (a year or month means its first day); an
            event dated to the month or year names the month or year its day falls in.
        end: last day (a year or month means its last day); after ``start``.
        progress: show a progress bar on stderr.

    Returns:
        The schema's columns in schema order, with ``target`` after ``side`` while the schema
        has no such column; every cell a ``str``, blank when missing: what
        :func:`timeline.schema.validate_events` accepts.

    Raises:
        ValueError: an argument is out of range or the arguments contradict each other.
    """
    first, last = _check(count, actors, seed, sides, span_share, loose_share, target_share, start, end)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    cast_rng, actor_rng, date_rng, target_rng, text_rng = rngs
    cast = _make_cast(actors, sides, cast_rng)
    draws = _draw(count, cast, (last - first).days, span_share, loose_share, target_share,
                  (actor_rng, date_rng, target_rng, text_rng))  # fmt: skip
    labels = _Labels.of(cast)
    parts: list[dict[str, pa.Array]] = []
    with tqdm(total=count, desc="generating", unit="event", unit_scale=True, disable=not progress) as bar:
        for low in range(0, count, CHUNK_ROWS):
            high = min(low + CHUNK_ROWS, count)
            parts.append(_format(draws, labels, low, high, first, seed))
            bar.update(high - low)
    blank = [pa.repeat("", len(part["id"])) for part in parts]  # a schema column this module does not know
    columns = {
        name: pa.chunked_array([part[name] for part in parts] if name in parts[0] else blank, type=pa.string())
        for name in output_order()
    }
    return pd.DataFrame({name: pd.array(column, dtype="str") for name, column in columns.items()})


def write_generated(path: str | Path, count: int, **options: Any) -> int:
    """Generate events and write them to ``path`` in the format its extension names.

    Args:
        path: the file to write: ``.csv``, ``.tsv``, ``.json``, ``.xlsx``, ``.parquet``...
        count: number of events.
        options: the keyword arguments of :func:`generate_events`.

    Returns:
        The number of events written.

    Raises:
        timeline.schema.ValidationError: the extension names no format (before any work).
        ValueError: the options are invalid.
        OSError: the file cannot be written.
    """
    fmt = format_of(str(path))
    table = generate_events(count, **options)
    events = table.assign(approximate=table["approximate"] == "true")  # writers take the typed table
    Path(path).write_bytes(write_events(events, fmt))
    return len(table)


def output_order() -> list[str]:
    """The generated columns: the schema's, with ``target`` after ``side`` until the schema has it."""
    names = list(COLUMN_NAMES)
    if TARGET not in names:
        names.insert(names.index("side") + 1, TARGET)
    return names


def _check(
    count: int,
    actors: int,
    seed: int,
    sides: int,
    span_share: float,
    loose_share: float,
    target_share: float,
    start: str,
    end: str,
) -> tuple[dt.date, dt.date]:
    """The first and last day, once every argument is known to be usable."""
    if count < 1:
        raise ValueError(f"count must be at least 1, not {count}")
    if actors < 1:
        raise ValueError(f"actors must be at least 1, not {actors}")
    if seed < 0:
        raise ValueError(f"seed must not be negative, not {seed}")
    if sides < 0:
        raise ValueError(f"sides must not be negative, not {sides}")
    for name, share in (("span_share", span_share), ("loose_share", loose_share), ("target_share", target_share)):
        if not 0 <= share <= 1:
            raise ValueError(f"{name} must be between 0 and 1, not {share}")
    if span_share + loose_share > 1:
        raise ValueError(f"span_share + loose_share is {span_share + loose_share:g}: at most 1")
    if target_share > 0 and actors < 2:
        raise ValueError("a target is another actor: target_share above 0 needs at least 2 actors")
    first, last = parse_partial_date(start).first_day(), parse_partial_date(end).last_day()
    if first >= last:
        raise ValueError(f"start {start} must be before end {end}")
    return first, last


def _make_cast(count: int, sides: int, rng: np.random.Generator) -> _Cast:
    """``count`` distinct actors, loudest first, drawn by news weight (so each seed casts differently)."""
    names: list[str] = []
    organisations: list[str] = []
    countries: list[int] = []
    media: list[bool] = []
    states: list[bool] = []
    weights: list[float] = []

    def add(name: str, organisation: str, country: int, is_media: bool, state: bool, weight: float) -> None:
        names.append(name)
        organisations.append(organisation)
        countries.append(country)
        media.append(is_media)
        states.append(state)
        weights.append(weight)

    for name, weight, is_media in INTERNATIONAL:
        add(name, "", -1, is_media, not is_media, weight)
    for c, (country, country_weight) in enumerate(COUNTRIES):
        for role, role_weight, state in ROLES:
            organisation = f"Government ({country})" if state and role != "Government" else ""
            add(f"{role} ({country})", organisation, c, role == "State media", state, role_weight * country_weight)
    region = 0
    while len(names) < count:  # past the national casts: regional bodies, ever quieter
        region += 1
        for c, (country, country_weight) in enumerate(COUNTRIES):
            for role in REGIONAL_ROLES:
                state = role in ("Police", "Regional government", "Local officials", "Regional court")
                name = f"{role} ({country}, region {region})"
                add(name, "", c, role == "Journalists", state, country_weight / 100 / region)
    # Gumbel top-k: a weighted draw without replacement, in the order drawn. Sharpened, so
    # the loudest actors are the ones loud in real news and the quiet ones the long tail.
    score = CAST_SHARPNESS * np.log(np.asarray(weights)) + rng.gumbel(size=len(weights))
    chosen = np.argsort(-score, kind="stable")[:count]
    country_of = np.asarray(countries, dtype=np.int64)[chosen]
    side_of_country = _camps(country_of, sides, rng)
    side_names = np.array([*side_of_country.values(), ""], dtype=object)
    side_index = {country: i for i, country in enumerate(side_of_country)}
    lookup = np.array([side_index.get(int(c), len(side_names) - 1) for c in country_of], dtype=np.int64)
    return _Cast(
        names=np.asarray(names, dtype=object)[chosen],
        organisations=np.asarray(organisations, dtype=object)[chosen],
        sides=side_names[lookup],
        media=np.asarray(media, dtype=bool)[chosen],
        state=np.asarray(states, dtype=bool)[chosen],
    )


def _camps(country_of: Ints, sides: int, rng: np.random.Generator) -> dict[int, str]:
    """Each country of the cast in a camp (or none): the first ``sides`` countries lead one each,
    the rest join one by a long-tailed weight, so camps differ widely in size."""
    present = list(dict.fromkeys(int(c) for c in country_of if c >= 0))
    if sides == 0 or not present:
        return {}
    leads = present[:sides]
    names = [f"{COUNTRIES[c][0]} bloc" for c in leads]
    weights = 1 / np.arange(1, len(leads) + 1) ** SIDE_TAIL
    joins = rng.choice(len(leads), size=len(present), p=weights / weights.sum())
    loners = rng.random(len(present)) < NO_SIDE_SHARE
    camps = {c: names[i] for i, c in enumerate(leads)}
    for c, side, alone in zip(present[len(leads) :], joins[len(leads) :], loners[len(leads) :], strict=True):
        if not alone:
            camps[c] = names[int(side)]
    return camps


def _draw(
    count: int,
    cast: _Cast,
    days: int,
    span_share: float,
    loose_share: float,
    target_share: float,
    rngs: tuple[np.random.Generator, ...],
) -> _Draws:
    """Every random choice for ``count`` events, sorted by date, as arrays."""
    actor_rng, date_rng, target_rng, text_rng = rngs
    size = len(cast.names)
    weights = 1 / np.arange(1, size + 1) ** ACTOR_TAIL
    weights /= weights.sum()
    guaranteed = min(count, size)  # everyone speaks at least once
    actor = np.concatenate(
        [
            actor_rng.permutation(guaranteed),
            actor_rng.choice(size, size=count - guaranteed, p=weights),
        ]
    ).astype(np.int64)
    kind = _kinds(cast.media[actor], actor_rng)

    day = _news_days(count, days, date_rng)
    shape = date_rng.random(count)
    span = shape < span_share
    loose = (shape >= span_share) & (shape < span_share + loose_share)
    how = date_rng.random(count)
    approximate = loose & (how >= 0.7)
    precision = np.where(loose & (how < 0.45), MONTH, np.where(loose & (how < 0.7), YEAR, DAY))
    precision = np.where(approximate & (date_rng.random(count) < 0.4), MONTH, precision).astype(np.int64)
    span_length = np.clip(np.ceil(date_rng.lognormal(3.0, 1.1, count)), 1, 3650).astype(np.int64)
    window = date_rng.integers(3, 121, count)
    length = np.where(span, span_length, window)
    end_day = np.where(span | approximate, np.minimum(day + length, days), -1).astype(np.int64)

    target = np.full(count, -1, dtype=np.int64)
    if size > 1:
        wanted = target_rng.random(count) < target_share
        target[wanted] = _others(actor[wanted], weights, target_rng)

    order = np.argsort(day, kind="stable")
    actor, target, kind, day, end_day = actor[order], target[order], kind[order], day[order], end_day[order]
    precision, approximate, span = precision[order], approximate[order], span[order]

    answers = np.zeros(count, dtype=bool)
    for name, share in REPLY_SHARE.items():
        if name in KINDS:
            is_kind = kind == KINDS.index(name)
            answers |= is_kind & (target >= 0) & (target_rng.random(count) < share)
    reply = _latest_by(actor, target, answers)

    quote_share = np.array([QUOTE_SHARE.get(k, 0.05) for k in KINDS])
    return _Draws(
        actor=actor,
        target=target,
        kind=kind,
        day=day,
        end_day=end_day,
        precision=precision,
        approximate=approximate,
        span=span,
        reply=reply,
        verb=text_rng.integers(0, 1 << 30, count),
        summary=text_rng.random(count) < SUMMARY_SHARE,
        topic=text_rng.integers(0, len(TOPICS), count),
        connector=text_rng.integers(0, len(CONNECTORS), count),
        place=text_rng.integers(0, len(PLACES), count),
        afterword=text_rng.integers(0, len(AFTERWORDS), count),
        quote=text_rng.random(count) < quote_share[kind],
        quote_template=text_rng.integers(0, len(QUOTES), count),
        quote_topic=text_rng.integers(0, len(TOPICS), count),
        date_text=text_rng.random(count) < DATE_TEXT_SHARE,
        date_text_form=text_rng.integers(0, 1 << 30, count),
    )


def _kinds(media: Flags, rng: np.random.Generator) -> Ints:
    """A kind per event from the mix of its actor's type."""
    u = rng.random(len(media))
    kinds = np.empty(len(media), dtype=np.int64)
    for is_media, mix in ((False, KIND_MIX), (True, MEDIA_KIND_MIX)):
        cumulative = np.cumsum([mix.get(k, 0.0) for k in KINDS])
        rows = media == is_media
        picked = np.searchsorted(cumulative / cumulative[-1], u[rows], side="right")
        kinds[rows] = np.minimum(picked, len(KINDS) - 1)
    return kinds


def _news_days(count: int, days: int, rng: np.random.Generator) -> Ints:
    """Days like news: a rising background, plus bursts that break and fade over days or weeks."""
    rising = days * rng.random(count) ** (1 / 1.6)  # more is reported in recent years
    stories = max(3, round(days / 365 * 6))
    breaks = days * rng.random(stories) ** (1 / 1.6)
    size = rng.pareto(1.5, stories) + 1  # a few stories dominate
    fade = np.exp(rng.normal(2.0, 1.0, stories))  # days: most fade in a week, some last months
    story = rng.choice(stories, size=count, p=size / size.sum())
    burst = breaks[story] + rng.exponential(1.0, count) * fade[story]
    day = np.where(rng.random(count) < 0.45, rising, burst)
    return np.clip(np.rint(day), 0, days).astype(np.int64)


def _others(actor: Ints, weights: npt.NDArray[np.float64], rng: np.random.Generator) -> Ints:
    """For each actor, another actor drawn by the same weights (the loud are targeted more)."""
    target = rng.choice(len(weights), size=len(actor), p=weights)
    for _ in range(32):  # redraw the rows that drew themselves; few are left after each round
        same = target == actor
        if not same.any():
            return target.astype(np.int64)
        target[same] = rng.choice(len(weights), size=int(same.sum()), p=weights)
    same = target == actor
    target[same] = (actor[same] + 1 + rng.integers(0, len(weights) - 1, int(same.sum()))) % len(weights)
    return target.astype(np.int64)


def _latest_by(actor: Ints, target: Ints, answers: Flags) -> Ints:
    """For each answering row, the latest earlier row whose actor is its target (-1: none, or not answering)."""
    rows = np.arange(len(actor), dtype=np.int64)
    key = actor * len(actor) + rows  # sorted by actor, then row
    order = np.argsort(key, kind="stable")
    keys = key[order]
    asked = np.where(answers, target, 0) * len(actor) + rows
    found = np.searchsorted(keys, asked, side="left") - 1
    candidate = order[np.maximum(found, 0)]
    ok = answers & (found >= 0) & (actor[candidate] == target) & (candidate < rows)
    return np.where(ok, candidate, -1).astype(np.int64)


def _format(draws: _Draws, labels: _Labels, low: int, high: int, first: dt.date, seed: int) -> dict[str, pa.Array]:
    """The text cells of rows ``low:high``; a pure function of the draws."""

    def part(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return values[low:high]

    actor, target, kind = part(draws.actor), part(draws.target), part(draws.kind)
    precision, approximate, span = part(draws.precision), part(draws.approximate), part(draws.span)
    day, end_day, reply = part(draws.day), part(draws.end_day), part(draws.reply)
    has_target, has_end = target >= 0, end_day >= 0

    actor_name = _take(labels.names, actor)
    target_name = _where(has_target, _take(labels.names, np.maximum(target, 0)))
    group = labels.verb_group(kind, actor, has_target)
    verb = _take(labels.verbs, labels.verb_start[group] + part(draws.verb) % labels.verb_count[group])
    title = _where(has_target, _join(actor_name, " ", verb, " ", target_name), _join(actor_name, " ", verb))
    summary = _join(
        title, " ", _take(labels.connectors, part(draws.connector)), " ", _take(labels.topics, part(draws.topic)),
        " ", _take(labels.places, part(draws.place)), ".", _take(labels.afterwords, part(draws.afterword)),
    )  # fmt: skip
    template, quote_topic = part(draws.quote_template), part(draws.quote_topic)

    def quote(rows: Ints) -> pa.Array:
        return _join(
            _take(labels.quote_heads, template[rows]),
            _take(labels.topics, quote_topic[rows]),
            _take(labels.quote_tails, template[rows]),
        )

    origin = np.datetime64(first, "D")
    starts = _calendar(origin + day)
    ends = _calendar(origin + np.maximum(end_day, 0))
    end_precision = np.where(span, DAY, precision)
    form = part(draws.date_text_form)

    def date_text(rows: Ints) -> pa.Array:
        return _date_text(
            starts[rows], ends[rows], precision[rows], approximate[rows], span[rows],
            (end_day - day + 1)[rows], form[rows],
        )  # fmt: skip

    prefix = f"g{seed}-"
    return {
        "id": _join(prefix, _numbers(np.arange(low, high) + 1)),
        "start": _iso(starts, precision),
        "end": _where(has_end, _iso(ends, end_precision)),
        "precision": _take(_text(PRECISION_NAMES), precision),
        "approximate": _take(_text(("false", "true")), approximate.astype(np.int64)),
        "date_text": _only(part(draws.date_text), date_text),
        "actor": actor_name,
        "organisation": _take(labels.organisations, actor),
        "side": _take(labels.sides, actor),
        TARGET: target_name,
        "kind": _take(_text(KINDS), kind),
        "title": title,
        "summary": _where(part(draws.summary), summary),
        "quote": _only(part(draws.quote), quote),
        "source": pa.repeat(f"synthetic:{seed}", high - low),
        "responds_to": _only(reply >= 0, lambda rows: _join(prefix, _numbers(reply[rows] + 1))),
    }


@dataclass(frozen=True)
class _Labels:
    """The words rows are made of, as Arrow arrays that row indices pick from."""

    names: pa.Array
    organisations: pa.Array
    sides: pa.Array
    state: Flags
    verbs: pa.Array
    verb_start: Ints  # by group: (kind, state body, has a target)
    verb_count: Ints
    topics: pa.Array
    connectors: pa.Array
    places: pa.Array
    afterwords: pa.Array
    quote_heads: pa.Array
    quote_tails: pa.Array

    @classmethod
    def of(cls, cast: _Cast) -> _Labels:
        verbs: list[str] = []
        start: list[int] = []
        count: list[int] = []
        for name in KINDS:
            for table in (CIVIL_VERBS, VERBS):  # group bit 1: a state body
                for choices in reversed(table.get(name, VERBS["event"])):  # group bit 0: a target
                    start.append(len(verbs))
                    count.append(len(choices))
                    verbs.extend(choices)
        heads, tails = zip(*(q.split("{}") for q in QUOTES), strict=True)
        return cls(
            names=_text(cast.names),
            organisations=_text(cast.organisations),
            sides=_text(cast.sides),
            state=cast.state,
            verbs=_text(verbs),
            verb_start=np.asarray(start, dtype=np.int64),
            verb_count=np.asarray(count, dtype=np.int64),
            topics=_text(TOPICS),
            connectors=_text(CONNECTORS),
            places=_text(PLACES),
            afterwords=_text(AFTERWORDS),
            quote_heads=_text(heads),
            quote_tails=_text(tails),
        )

    def verb_group(self, kind: Ints, actor: Ints, has_target: Flags) -> Ints:
        """Which list of verbs each row's verb comes from."""
        return (kind * 4 + self.state[actor] * 2 + has_target).astype(np.int64)


def _text(values: Any) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def _take(table: pa.Array, indices: npt.NDArray[Any]) -> pa.Array:
    return pc.take(table, pa.array(indices))


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _where(mask: Flags, text: pa.Array, otherwise: pa.Array | str = "") -> pa.Array:
    return pc.if_else(pa.array(mask), text, otherwise)


def _only(mask: Flags, build: Callable[[Ints], pa.Array]) -> pa.Array:
    """``build(rows)`` for the rows where ``mask`` holds, blank elsewhere; builds only those rows."""
    rows = np.flatnonzero(mask)
    position = np.zeros(len(mask), dtype=np.int64)
    position[rows] = np.arange(1, len(rows) + 1)
    return _take(pa.concat_arrays([_text([""]), build(rows)]), position)


def _numbers(values: Ints) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


@dataclass(frozen=True)
class _Days:
    """Calendar parts of an array of days."""

    year: Ints
    month: Ints  # 0-11
    day: Ints  # 1-31
    weekday: Ints  # Monday 0

    def __getitem__(self, rows: Ints) -> _Days:
        return _Days(self.year[rows], self.month[rows], self.day[rows], self.weekday[rows])


def _calendar(days: npt.NDArray[np.datetime64]) -> _Days:
    months = days.astype("datetime64[M]")
    return _Days(
        year=days.astype("datetime64[Y]").astype(np.int64) + 1970,
        month=months.astype(np.int64) % 12,
        day=(days - months.astype("datetime64[D]")).astype(np.int64) + 1,
        weekday=(days.astype(np.int64) + 3) % 7,  # 1970-01-01 was a Thursday
    )


_DAY_NUMBERS = _text(str(i) for i in range(32))
_TWO_DIGITS = _text(f"{i:02d}" for i in range(32))
_WEEKDAYS = _text(WEEKDAYS)
_MONTHS = _text(MONTHS)


def _year_text(years: Ints) -> pa.Array:
    if len(years) == 0:
        return _text([])
    low = int(years.min())
    return _take(_text(f"{y:04d}" for y in range(low, int(years.max()) + 1)), years - low)


def _iso(days: _Days, precision: Ints) -> pa.Array:
    year = _year_text(days.year)
    month = _join(year, "-", _take(_TWO_DIGITS, days.month + 1))
    full = _join(month, "-", _take(_TWO_DIGITS, days.day))
    return pc.choose(pa.array(precision), full, month, year)  # in the order DAY, MONTH, YEAR


def _date_text(
    starts: _Days,
    ends: _Days,
    precision: Ints,
    approximate: Flags,
    span: Flags,
    length: Ints,
    form: Ints,
) -> pa.Array:
    """The date as a source might word it, agreeing with the row's dates."""
    n = len(precision)
    year = _year_text(starts.year)
    month = _take(_MONTHS, starts.month)
    day_month = _join(_take(_DAY_NUMBERS, starts.day), " ", month)
    month_year = _join(month, " ", year)
    forms: dict[str, list[pa.Array]] = {
        "day": [
            _join("on ", _take(_WEEKDAYS, starts.weekday)),
            _join("on ", day_month),
            _join("on ", day_month, " ", year),
        ],
        "month": [_join("in ", month_year), _join("in ", month), _join("earlier in ", month_year)],
        "year": [_join("in ", year), pa.repeat("last year", n), _join("earlier in ", year)],
        "loose": [
            pa.repeat("shortly after", n),
            pa.repeat("earlier", n),
            _join("in the weeks after ", day_month),
            _join("around ", month_year),
        ],
        "span": [
            _join("over ", _numbers(length), " days"),
            _join("from ", day_month, " to ", _take(_DAY_NUMBERS, ends.day), " ", _take(_MONTHS, ends.month)),
        ],
    }
    ways = np.where(approximate, 3, np.where(span, 4, precision))  # day, month, year, loose, span
    offsets = np.cumsum([0, *(len(f) for f in forms.values())])[:-1]
    sizes = np.asarray([len(f) for f in forms.values()])
    choice = offsets[ways] + form % sizes[ways]
    return pc.choose(pa.array(choice), *(f for group in forms.values() for f in group))
