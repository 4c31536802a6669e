"""Filtering events: one pure function shared by the dashboard, the CLI and the exporter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from timeline.schema import HI, LO

SEARCHED_COLUMNS = ("title", "summary", "quote", "source_text")
# Sources print curly quotes and apostrophes, readers type straight ones: fold both.
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2026": "..."})


@dataclass(frozen=True)
class Filters:
    """What the reader asked to see. Empty fields filter nothing.

    Attributes:
        actors: keep events of these actors.
        kinds: keep events of these kinds.
        start: keep events that reach this day or later.
        end: keep events that begin on this day or earlier.
        text: keep events whose title, summary, quote or source sentence contains this
            (any case; curly and straight quotes alike).
    """

    actors: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    text: str = ""

    def describe(self) -> str:
        """The filters in words, for chart subtitles: ``"Actors: Elon Musk; from 1 Jan 2024"``."""
        parts = []
        if self.actors:
            parts.append(("Actor: " if len(self.actors) == 1 else "Actors: ") + ", ".join(self.actors))
        if self.kinds:
            parts.append(("Kind: " if len(self.kinds) == 1 else "Kinds: ") + ", ".join(self.kinds))
        if self.start and self.end and self.start == self.end:
            parts.append(f"on {_day(self.start)}")
        elif self.start and self.end:
            parts.append(f"from {_day(self.start)} to {_day(self.end)}")
        elif self.start:
            parts.append(f"from {_day(self.start)}")
        elif self.end:
            parts.append(f"until {_day(self.end)}")
        if self.text.strip():
            parts.append(f"text contains “{self.text.strip()}”")
        return "; ".join(parts) if parts else "All events"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b} {day.year}"


def apply_filters(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The events that pass every filter, in their original order."""
    keep = pd.Series(True, index=events.index)
    if filters.actors:
        keep &= events["actor"].isin(filters.actors)
    if filters.kinds:
        keep &= events["kind"].isin(filters.kinds)
    if filters.start is not None:
        keep &= events[HI] >= pd.Timestamp(filters.start)
    if filters.end is not None:
        keep &= events[LO] <= pd.Timestamp(filters.end)
    needle = filters.text.strip().casefold().translate(_FOLD)
    if needle:
        found = pd.Series(False, index=events.index)
        for column in SEARCHED_COLUMNS:
            found |= events[column].str.casefold().str.translate(_FOLD).str.contains(needle, regex=False)
        keep &= found
    return events[keep]
