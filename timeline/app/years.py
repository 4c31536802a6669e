"""The year fields: the date range of data that reaches before AD 1.

The dashboard's date picker counts days from AD 1 only (it shows 500 BC as the year 499 AD),
so for such data two text fields stand in for it: *From* and *To* take any date the event
table takes (``500 BC``, ``AD 14``, ``15 March 44 BC``, ``c. 383``), and both sides write
the same control value, the date range's two ISO days (``-0499-01-01`` is 1 January
500 BC), which :func:`timeline.app.callbacks.filters_from` reads.
"""

from __future__ import annotations

from typing import Any

from timeline.dataset import Dataset
from timeline.dates import DateError, Day, day_text, historical_year, parse_date_window, parse_iso_day

HIDDEN: dict[str, str] = {"display": "none"}
SHOWN: dict[str, str] = {}


def dates_from_years(first: object, last: object) -> tuple[list[str | None], str, str]:
    """The date range value for what the year fields say, and each field's error ("" when fine).

    *From* means the first day its text may mean, *To* the last; a blank field or one that is
    not a date sets no bound.
    """
    bounds: list[str | None] = []
    errors: list[str] = []
    for text, side in ((first, "lo"), (last, "hi")):
        value = text.strip() if isinstance(text, str) else ""
        if not value:
            bounds.append(None)
            errors.append("")
            continue
        try:
            window = parse_date_window(value)
        except DateError as error:
            bounds.append(None)
            errors.append(str(error))
            continue
        bounds.append(Day.of(window.lo if side == "lo" else window.hi).isoformat())
        errors.append("")
    if bounds == [None, None]:
        return [], errors[0], errors[1]
    return bounds, errors[0], errors[1]


def years_from_dates(dates: object) -> tuple[str, str]:
    """What the year fields show for a date range value: ``1 Jan 500 BC`` ("" for no bound)."""
    pair = [*(dates[:2] if isinstance(dates, list) else []), None, None][:2]
    texts = []
    for value, edge in zip(pair, ("-01-01", "-12-31"), strict=True):
        day = parse_iso_day(value[:11]) if isinstance(value, str) and value else None
        if day is None:
            texts.append("")
            continue
        iso = day.isoformat()
        year = int(iso[:-6])
        if iso.endswith(edge):  # a whole year: "500 BC", "AD 14"
            texts.append(historical_year(year))
        else:  # "15 Mar 44 BC", "24 Feb 2022"; ISO for a day of a year AD 1 to 999, which reads as 2-digit
            texts.append(day_text(day) if year < 1 or year >= 1000 else iso)
    return texts[0], texts[1]


def date_controls(dataset: Dataset) -> tuple[dict[str, Any], dict[str, Any]]:
    """The styles of the date picker and of the year fields: the year fields for data that
    reaches before AD 1, the picker otherwise."""
    return (HIDDEN, SHOWN) if dataset.reaches_bc else (SHOWN, HIDDEN)
