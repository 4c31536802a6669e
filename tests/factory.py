"""Synthetic events for engine and view tests, independent of the seed story.

Two ways to make a table: :func:`table` from a few hand-written :func:`event` rows, when a
test needs particular dates, sides or words; :func:`random_events`, a seeded random table of
any size with several actors and sides, targets, spans, month, year and approximate dates,
and text with curly quotes. Both return what :func:`timeline.schema.validate_events` returns.

The ``expected_*`` helpers state the documented rules once, in plain pandas over the event
table (row masks over ``lo``/``hi`` and the marker), so tests compare the engines with a
second, obviously different evaluation instead of with themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from timeline.dataset import Dataset
from timeline.generate import output_order
from timeline.query import Filters
from timeline.schema import KINDS, validate_events

DAY = pd.Timedelta(days=1)
SEARCHED = ("title", "summary", "quote", "source_text")
SIDES = ("Northern camp", "Southern camp", "", "Eastern camp")
"""Actor ``k`` belongs to ``SIDES[k % 4]``; one in four to no camp."""
TOPICS = (
    "the “red line”",
    "Kyiv’s offer",
    "Kyiv's counter-offer",
    "the PIPELINE deal",
    "grain exports",
    "the ceasefire",
    "a (possible) truce",
    "the border … again",
)
"""Words to search: curly and straight quotes, capitals, regex characters, an ellipsis."""


def event(event_id: str, actor: str, start: str, **cells: str | bool) -> dict[str, str]:
    """One row of text cells; any other column by keyword (``end=``, ``side=``, ``quote=``...)."""
    row = {"id": event_id, "actor": actor, "start": start, "kind": "statement", "title": f"{actor} speaks"}
    row.update({name: str(value).lower() if isinstance(value, bool) else value for name, value in cells.items()})
    return row


def table(rows: Iterable[dict[str, str]] | pd.DataFrame) -> pd.DataFrame:
    """The validated event table of some :func:`event` rows (or a frame of text cells)."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    frame = frame.reindex(columns=output_order(), fill_value="").fillna("").astype(str)
    return validate_events(frame, file="factory")


def dataset(events: pd.DataFrame, engine: str = "arrays") -> Dataset:
    """A dataset answered by the named engine."""
    return Dataset(events, "factory", engine_choice=engine)


def actor_name(k: int) -> str:
    return f"Actor {k:03d}"


def random_events(
    count: int, *, actors: int = 30, seed: int = 0, first: str = "2021-01-01", days: int = 400
) -> pd.DataFrame:
    """A seeded random event table: actor ``k`` is about ``1/(k+1)`` as busy as the first."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, actors + 1)
    actor = rng.choice(actors, size=count, p=weights / weights.sum())
    offsets = np.sort(rng.integers(0, days, size=count))
    day = pd.Timestamp(first) + pd.to_timedelta(offsets, unit="D")
    shape = rng.choice(4, size=count, p=[0.72, 0.1, 0.1, 0.08])  # day, span, approximate, month/year
    yearly = rng.random(count) < 0.3
    start = np.where(shape == 3, np.where(yearly, day.strftime("%Y"), day.strftime("%Y-%m")), day.strftime("%Y-%m-%d"))
    end_day = day + pd.to_timedelta(rng.integers(1, 60, size=count), unit="D")
    end = np.where((shape == 1) | (shape == 2), end_day.strftime("%Y-%m-%d"), "")
    has_target = rng.random(count) < 0.5
    target = np.where(has_target, [actor_name(k) for k in (actor + 1 + rng.integers(0, 3, size=count)) % actors], "")
    topic = np.array(TOPICS, dtype=object)[rng.integers(0, len(TOPICS), size=count)]
    names = np.array([actor_name(k) for k in range(actors)], dtype=object)[actor]
    which = rng.integers(0, 4, size=count)  # the searched column the topic lands in
    rows = pd.DataFrame(
        {
            "id": [f"r{seed}-{i}" for i in range(count)],
            "start": start,
            "end": end,
            "approximate": np.where(shape == 2, "true", "false"),
            "actor": names,
            "side": np.array(SIDES, dtype=object)[actor % len(SIDES)],
            "target": np.where(target == names, "", target) if actors > 1 else "",
            "kind": np.array(KINDS, dtype=object)[rng.integers(0, len(KINDS), size=count)],
            "title": names + np.where(which == 0, " on " + topic, " speaks"),
            "summary": np.where(which == 1, "Talks about " + topic + ".", ""),
            "quote": np.where(which == 2, "We reject " + topic + ".", ""),
            "source_text": np.where(which == 3, "It said " + topic + " was near.", ""),
        }
    )
    return table(rows)


# The documented rules, stated plainly -------------------------------------------------------


def ms(moment: pd.Timestamp | dt.date) -> int:
    """A day or moment as milliseconds since 1970."""
    return int(pd.Timestamp(moment).value // 1_000_000)


def starts(events: pd.DataFrame) -> pd.Series:
    """Each event's first moment (ms)."""
    return (events["lo"] - pd.Timestamp(0)) // pd.Timedelta(milliseconds=1)


def ends(events: pd.DataFrame) -> pd.Series:
    """Each event's end: the end of its last day (ms, exclusive)."""
    return (events["hi"] + DAY - pd.Timestamp(0)) // pd.Timedelta(milliseconds=1)


def markers(events: pd.DataFrame) -> pd.Series:
    """Where each marker sits (ms): its day or a span's start; the middle of a loose date
    (month or year precision, or approximate)."""
    loose = (events["precision"] != "day") | events["approximate"]
    return starts(events).where(~loose, (starts(events) + ends(events)) // 2)


def overlapping(events: pd.DataFrame, window: tuple[int, int]) -> pd.Series:
    """Events that overlap ``[start, end)``: they begin before its end and end after its start."""
    return (starts(events) < window[1]) & (ends(events) > window[0])


def straight(text: str) -> str:
    """Text as the search reads it: any case, curly quotes and ellipses as typed on a keyboard."""
    return text.lower().replace("‘", "'").replace("’", "'").replace("“", '"').replace("”", '"').replace("…", "...")


def expected_matching(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The events that pass every filter, by the rules :class:`timeline.query.Filters` documents."""
    keep = pd.Series(True, index=events.index)
    if filters.actors:
        keep &= events["actor"].isin(filters.actors)
    if filters.targets:
        keep &= events["target"].isin(filters.targets)
    if filters.kinds:
        keep &= events["kind"].isin(filters.kinds)
    if filters.start is not None:
        keep &= events["hi"] >= pd.Timestamp(filters.start)  # reaches the start day or later
    if filters.end is not None:
        keep &= events["lo"] <= pd.Timestamp(filters.end)  # begins on the end day or earlier
    needle = straight(filters.text.strip())
    if needle:
        found = pd.Series(False, index=events.index)
        for column in SEARCHED:
            found |= events[column].map(lambda cell: needle in straight(cell))
        keep &= found
    return events[keep]


def busiest_first(events: pd.DataFrame) -> list[str]:
    """Actors by events, most first; ties by first date, then name."""
    stats = events.groupby("actor").agg(count=("id", "size"), first=("lo", "min")).reset_index()
    return stats.sort_values(["count", "first", "actor"], ascending=[False, True, True])["actor"].tolist()


def first_appearance(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))
