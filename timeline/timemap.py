"""Forensic Architecture TimeMap / datasheet-server event sheets read into the event table.

A TimeMap sheet (the ``export_events`` tab datasheet-server serves to TimeMap, or its
``Events`` tab) has the columns ``description, date, time, location, latitude,
longitude``, numbered ``association1`` ... and ``source1`` ... columns, and optionally
``id``, ``category``, ``type``, ``comments``. It is recognised by its header: a
``description`` and a ``date`` with a ``time``, ``location`` or ``latitude`` and
``longitude``, and no actor or title column.

How a row becomes an event:

- ``date``: an Excel serial day number (a whole number from 10,000 to 2,958,465, or one
  with a fraction for the time of day: ``43831`` is 2020-01-01, in Excel's 1900 date
  system) is read as its date; written dates are read as TimeMap reads them, month first
  (``MM/DD/YYYY``), unless ``--date-order`` says otherwise.
- ``time``: a day fraction (``0.6805`` is 16:20) is written ``HH:MM``; the chart works in
  days, so the time is kept as a column, not drawn.
- ``description`` is the summary; the title is its first line, cut to 80 characters.
- The lane (actor) is the ``category`` when the sheet has one, else the ``location``;
  a row without one goes in the lane ``(no location)``.
- Every other column (associations, sources, coordinates, comments) is kept as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from timeline.mapping import SYNONYMS, normalise
from timeline.schema import counted, shorten

SERIAL_FIRST = 10_000
"""The smallest whole number read as an Excel serial date (1927-05-18): below it, a
number in a date column is more likely a year."""
SERIAL_LAST = 2_958_465
"""Excel's last day, 9999-12-31."""
TITLE_LIMIT = 80
NO_LANE = "(no location)"

_SERIAL = re.compile(r"^\s*(\d{5,7})(?:\.(\d+))?\s*$")
_FRACTION = re.compile(r"^\s*(0?\.\d+|0|1(?:\.0+)?)\s*$")
_SLASHED = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{2,4}\s*$")
_OTHER_NAMES = {normalise(n) for column in ("actor", "title") for n in SYNONYMS[column]} | {"actor", "title"}


def is_timemap(columns: Iterable[object]) -> bool:
    """Whether a header is a TimeMap event sheet's (see the module's description)."""
    names = {normalise(c) for c in columns}
    marked = "time" in names or "location" in names or {"latitude", "longitude"} <= names
    return {"description", "date"} <= names and marked and not names & _OTHER_NAMES


def excel_date(serial: float) -> dt.datetime:
    """An Excel serial day number (1900 date system) as a date and time.

    Excel counts 1900-01-01 as day 1 and, as Lotus 1-2-3 did, holds a 29 February 1900
    that never was (day 60, read here as 1 March): from day 61 on, day N is N days after
    1899-12-30.
    """
    days = int(serial)
    base = dt.datetime(1899, 12, 31) if days < 61 else dt.datetime(1899, 12, 30)
    moment = base + dt.timedelta(days=days) + dt.timedelta(seconds=round((serial - days) * 86_400))
    return moment


def day_time(fraction: float) -> str:
    """A day fraction as ``HH:MM`` (``0.5`` -> ``12:00``), seconds shown only when there are some."""
    seconds = round(fraction * 86_400)
    hours, rest = divmod(seconds, 3600)
    minutes, second = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{second:02d}" if second else "")


def read(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str], list[str], bool]:
    """A TimeMap sheet as a table of text cells for the column mapping: the converted
    columns, and the derived ``title`` and ``actor``; the mapping it needs; the notes;
    and whether its written dates are month first.
    """
    out = table.copy()
    by_name = {normalise(c): str(c) for c in table.columns}
    notes = ["read as a TimeMap sheet: description -> summary (and title), date -> start"]
    date = by_name["date"]
    cells = table[date].astype("str")
    serial = cells.str.match(_SERIAL.pattern)
    numbers = pd.to_numeric(cells.where(serial, ""), errors="coerce")
    serial &= numbers.between(SERIAL_FIRST, SERIAL_LAST).fillna(False).astype(bool)
    if serial.any():
        out[date] = cells.where(~serial, numbers[serial].map(_serial_text))
        notes.append(f"{date}: {counted(int(serial.sum()), 'Excel serial day number')} read as dates")
    month_first = bool(cells.str.match(_SLASHED.pattern).any())
    time = by_name.get("time")
    if time is not None:
        times = table[time].astype("str")
        fractions = times.str.match(_FRACTION.pattern)
        if fractions.any():
            values = pd.to_numeric(times.where(fractions, ""), errors="coerce")
            out[time] = times.where(~fractions, values[fractions].map(day_time))
            notes.append(f"{time}: {counted(int(fractions.sum()), 'day fraction')} written as HH:MM (kept, not drawn)")
    description = out[by_name["description"]].astype("str")
    out["title"] = description.map(lambda d: shorten(d.strip().split("\n", 1)[0], TITLE_LIMIT)).astype("str")
    notes.append(f"title: the first line of {by_name['description']}, cut to {TITLE_LIMIT} characters")
    lane = by_name.get("category") or by_name.get("location")
    if lane is not None:
        lanes = out[lane].astype("str").str.strip()
        out["actor"] = lanes.where(lanes != "", NO_LANE)
        notes.append(f"actor: TimeMap names no actor; the lanes are the {lane} column (--map actor=COLUMN for another)")
    else:
        out["actor"] = pd.Series(np.full(len(out), NO_LANE), index=out.index, dtype="str")
        notes.append(f"actor: TimeMap names no actor; every event in the lane {NO_LANE!r}")
    if "kind" not in by_name:
        out["kind"] = pd.Series(np.full(len(out), "event"), index=out.index, dtype="str")
    mapping = {"start": date, "summary": by_name["description"]}
    if "source" not in by_name and "sources" in by_name:
        mapping["source"] = by_name["sources"]
    return out, mapping, notes, month_first


def _serial_text(serial: float) -> str:
    moment = excel_date(serial)
    if moment.time() == dt.time():
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%dT%H:%M")
