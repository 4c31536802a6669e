"""Partial dates: "2022", "2022-02", "Feb 2022", "11 February 2024", "12/02/2024".

Sources date events loosely, so a date here is a year, a year and month, or a full day,
and knows which (its precision). Everything that reads a date goes through
:func:`parse_partial_date`, so the CSV reader, the importers and the CLI filters agree;
:func:`parse_dates` reads a whole column the same way, ISO forms with array operations and
each other distinct text once through :func:`parse_partial_date`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from dateutil import parser as dateutil_parser

Precision = Literal["day", "month", "year"]
PRECISIONS: tuple[Precision, ...] = ("day", "month", "year")
DateOrder = Literal["ymd", "dmy", "mdy"]
DATE_ORDERS: tuple[DateOrder, ...] = ("ymd", "dmy", "mdy")

_ISO = re.compile(r"^(?P<y>[+-]?\d{1,4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?$")
_ISO_DATETIME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_NUMERIC = re.compile(r"^(?P<a>\d{1,4})[/.](?P<b>\d{1,2})[/.](?P<c>\d{1,4})$")
_NUMERIC_MONTH = re.compile(r"^(?P<m>\d{1,2})[/.](?P<y>\d{4})$")
_NUMERIC_YEAR_MONTH = re.compile(r"^(?P<y>\d{4})[/.](?P<m>\d{1,2})$")
_LONG_YEAR = re.compile(r"^[+-]?\d{5,}$")
_BC = re.compile(r"(?<!\w)(BC|BCE|B\.\s?C\.(\s?E\.)?)(?!\w)", re.IGNORECASE)
_ERA_AD = re.compile(r"^(AD|CE|A\.\s?D\.)\s+|\s+(AD|CE|A\.\s?D\.)$", re.IGNORECASE)


class DateError(ValueError):
    """A text that is not a date this tool can place on an axis; the message says why."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def first_day(self) -> dt.date:
        """The earliest day the date may mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The latest day the date may mean."""
        if self.day is not None:
            return self.first_day()
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """ISO 8601 text at this precision: ``2022``, ``2022-02`` or ``2022-02-24``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def human(self) -> str:
        """Readable text at this precision: ``2022``, ``February 2022``, ``24 February 2022``."""
        if self.month is None:
            return str(self.year)
        month = calendar.month_name[self.month]
        return f"{month} {self.year}" if self.day is None else f"{self.day} {month} {self.year}"

    @classmethod
    def of(cls, day: dt.date, precision: Precision) -> PartialDate:
        """Cut a full date down to a precision."""
        if precision == "year":
            return cls(day.year)
        if precision == "month":
            return cls(day.year, day.month)
        return cls(day.year, day.month, day.day)


def make_date(year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    """Build a checked partial date; raise :class:`DateError` naming the bad part."""
    if year < 1:
        raise DateError(f"year {year} is before 1 AD; years BC are not supported")
    if year > 9999:
        raise DateError(f"year {year} is after 9999")
    if day is not None and month is None:
        raise DateError("a day needs a month")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month} is not between 1 and 12")
    if day is not None and month is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(f"day {day} does not exist in {calendar.month_name[month]} {year}")
    return PartialDate(year, month, day)


def parse_partial_date(text: str, order: DateOrder | None = None) -> PartialDate:
    """Parse a date written at year, month or day precision.

    Args:
        text: ``2022``, ``2022-02``, ``2022-02-24``, ``2024-02-11T10:00Z``, ``Feb 2022``,
            ``24 February 2022``, ``February 24, 2022``, ``02/2022`` or ``12/02/2024``.
        order: how to read all-numeric dates such as ``12/02/2024``: ``dmy`` or ``mdy``
            (``ymd`` for ``2024/02/12``). Without it an ambiguous date is an error.

    Raises:
        DateError: the text is empty, not a date, ambiguous, or outside years 1-9999.
    """
    value = text.strip()
    if not value:
        raise DateError("empty date")
    if _BC.search(value) or value.startswith("-"):
        raise DateError("years BC are not supported (years 1 to 9999 can be drawn)")
    value = _ERA_AD.sub("", value)  # "AD 1066", "1066 CE": the era marker adds nothing
    if _LONG_YEAR.match(value):
        raise DateError(f"year {value.lstrip('+')} is after 9999")
    if match := _ISO.match(value):
        return _from_parts(match["y"], match["m"], match["d"])
    if match := _ISO_DATETIME.match(value):
        return _from_parts(*match["date"].split("-"))
    if match := _NUMERIC_MONTH.match(value) or _NUMERIC_YEAR_MONTH.match(value):
        return _from_parts(match["y"], match["m"], None)
    if match := _NUMERIC.match(value):
        return _numeric(match["a"], match["b"], match["c"], order)
    if not re.search(r"[A-Za-z]", value):
        raise DateError("not a date")
    return _worded(value)


def _from_parts(year: str, month: str | None, day: str | None) -> PartialDate:
    return make_date(int(year), int(month) if month else None, int(day) if day else None)


def _numeric(a: str, b: str, c: str, order: DateOrder | None) -> PartialDate:
    if len(a) == 4:
        return _from_parts(a, b, c)
    if len(c) != 4:
        raise DateError("write the year with four digits")
    first, second = int(a), int(b)
    if order is None:
        if first > 12 >= second:
            order = "dmy"
        elif second > 12 >= first:
            order = "mdy"
        elif first != second:
            raise DateError("ambiguous day and month: declare the order (day-first or month-first)")
        else:
            order = "dmy"
    if order == "mdy":
        return _from_parts(c, a, b)
    if order == "ymd":
        raise DateError("the year is not first, but the declared order is year-first")
    return _from_parts(c, b, a)


# Two different defaults show which parts the text really gave: a part that changes
# with the default was not in the text.
_DEFAULT_A = dt.datetime(2001, 1, 1)
_DEFAULT_B = dt.datetime(2002, 2, 2)


def _worded(value: str) -> PartialDate:
    try:
        a = dateutil_parser.parse(value, default=_DEFAULT_A)
        b = dateutil_parser.parse(value, default=_DEFAULT_B)
    except Exception as error:  # dateutil raises several types on odd input; all mean "not a date"
        raise DateError("not a date") from error
    if a.year != b.year:
        raise DateError("no year given")
    month = a.month if a.month == b.month else None
    day = a.day if (month is not None and a.day == b.day) else None
    return make_date(a.year, month, day)


# ---------------------------------------------------------------- a column of dates at once

_SPACE = r"[ \t\n\r]*"  # padding the fast path strips; any other padding goes to parse_partial_date
_ISO_CELL = (
    rf"^{_SPACE}(?P<y>[0-9]{{1,4}})(?:-(?P<m>[0-9]{{1,2}})(?:-(?P<d>[0-9]{{1,2}})"
    r"(?P<t>[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?"
    rf"{_SPACE}$"
)
"""``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` and ISO date-times: what :func:`parse_partial_date`
reads with its ISO patterns, in ASCII digits, for the vectorised path."""

Ints = npt.NDArray[np.int64]
Days = npt.NDArray[np.datetime64]


@dataclass(frozen=True)
class DateColumn:
    """A column of date cells, each distinct text parsed once.

    Per distinct text: ``year``, ``month`` and ``day`` (0 when not given, and ``year`` 0
    when the text is blank or not a date) and ``errors`` (why it is not a date, else "").
    ``codes`` maps each row to its distinct text. A blank cell ("") is no date and no error.
    """

    codes: npt.NDArray[np.intp]
    year: Ints
    month: Ints
    day: Ints
    blank: npt.NDArray[np.bool_]
    errors: npt.NDArray[np.object_]

    @property
    def is_blank(self) -> npt.NDArray[np.bool_]:
        """Per row: the cell is empty."""
        return self.blank[self.codes]

    @property
    def is_date(self) -> npt.NDArray[np.bool_]:
        """Per row: the cell is a date."""
        found: npt.NDArray[np.bool_] = (self.year > 0)[self.codes]
        return found

    @property
    def is_bad(self) -> npt.NDArray[np.bool_]:
        """Per row: the cell holds text that is not a date."""
        found: npt.NDArray[np.bool_] = (~self.blank & (self.year == 0))[self.codes]
        return found

    def error(self, row: int) -> str:
        """Why row ``row``'s cell is not a date ("" when it is one, or is blank)."""
        return str(self.errors[self.codes[row]])

    def first_day(self) -> Days:
        """Per row: the earliest day the date may mean (undefined where there is no date)."""
        return self._first()[self.codes]

    def last_day(self) -> Days:
        """Per row: the latest day the date may mean (undefined where there is no date)."""
        months = self._months()
        # the last day of a month is the day before the next month; of a year, before the next year
        following = np.where(self.month > 0, months + 1, (self.year - 1970) * 12 + 12)
        last = following.astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")
        days: Days = np.where(self.day > 0, self._first(), last)[self.codes]
        return days

    def precision(self) -> pd.Series:
        """Per row: ``day``, ``month`` or ``year`` ("" where there is no date)."""
        named = np.where(self.day > 0, "day", np.where(self.month > 0, "month", "year"))
        return self._per_row(pd.Series(np.where(self.year > 0, named, ""), dtype="str"))

    def iso(self) -> pd.Series:
        """Per row: the date as ISO text at its precision, as :meth:`PartialDate.iso` ("" where none)."""
        year = pd.Series(self.year).astype("str").str.zfill(4)
        month = ("-" + pd.Series(self.month).astype("str").str.zfill(2)).where(self.month > 0, "")
        day = ("-" + pd.Series(self.day).astype("str").str.zfill(2)).where(self.day > 0, "")
        return self._per_row((year + month + day).where(self.year > 0, "").astype("str"))

    def _per_row(self, distinct: pd.Series) -> pd.Series:
        return pd.Series(distinct.array.take(self.codes))

    def _months(self) -> Ints:
        return (self.year - 1970) * 12 + np.maximum(self.month, 1) - 1

    def _first(self) -> Days:
        start = self._months().astype("datetime64[M]").astype("datetime64[D]")
        days: Days = start + (np.maximum(self.day, 1) - 1).astype("timedelta64[D]")
        return days


def parse_dates(cells: pd.Series, order: DateOrder | None = None) -> DateColumn:
    """Parse a column of date cells as :func:`parse_partial_date` would, each distinct text once.

    ISO forms are read with array operations; every other text (worded, numeric with
    slashes, or not a date at all) goes through :func:`parse_partial_date`, once.

    Args:
        cells: text cells; "" (or a missing value) is a blank cell.
        order: how to read all-numeric dates such as ``12/02/2024``.
    """
    codes, distinct = pd.factorize(cells.fillna(""), use_na_sentinel=False)
    texts = pa.array(pd.Series(distinct, dtype="str"), type=pa.large_string())
    parts = pc.extract_regex(texts, _ISO_CELL)
    matched = pc.is_valid(parts).to_numpy(zero_copy_only=False)
    fields = {name: pc.struct_field(parts, name).fill_null("") for name in ("y", "m", "d", "t")}
    lengths = {name: pc.utf8_length(field).to_numpy() for name, field in fields.items()}
    year, month, day = (
        pc.cast(pc.if_else(pc.equal(fields[name], ""), "0", fields[name]), pa.int64()).to_numpy().copy()
        for name in ("y", "m", "d")
    )
    has_month, has_day, has_time = lengths["m"] > 0, lengths["d"] > 0, lengths["t"] > 0
    first = ((year - 1970) * 12 + np.clip(month, 1, 12) - 1).astype("datetime64[M]")
    month_days = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    good = (
        matched
        & (year >= 1)
        & (~has_month | ((month >= 1) & (month <= 12)))
        & (~has_day | ((day >= 1) & (day <= month_days)))
        & (~has_time | ((lengths["y"] == 4) & (lengths["m"] == 2) & (lengths["d"] == 2)))
    )
    blank = pc.utf8_length(texts).to_numpy() == 0
    errors = np.full(len(distinct), "", dtype=object)
    for part in (year, month, day):
        part[~good] = 0
    for index in np.flatnonzero(~good & ~blank):
        try:
            parsed = parse_partial_date(str(distinct[int(index)]), order)
        except DateError as error:
            errors[index] = str(error)
            continue
        year[index], month[index], day[index] = parsed.year, parsed.month or 0, parsed.day or 0
    return DateColumn(codes=codes, year=year, month=month, day=day, blank=blank, errors=errors)
