"""Dates as sources write them: "2022", "Feb 2022", "55 BC", "c. 383", "Between 47 and 50".

Sources date events loosely, so a date here is a year, a year and month, or a full day,
and knows which (its precision): a :class:`PartialDate`. Historians also write windows:
circa, between, before and after, decades and centuries, years BC, and an end that is still
ongoing. :func:`parse_date_window` reads every form into a :class:`DateWindow`, the days it
may mean; :func:`parse_partial_date` reads one calendar date AD (what the command line's
``--from``/``--to`` take). :func:`parse_dates` reads a whole column as
:func:`parse_date_window` would, ISO forms with array operations and each other distinct
text once.

Years are astronomical inside: year 0 is 1 BC, year -54 is 55 BC, as in ISO 8601, whose
``-0054`` is how the event table writes 55 BC. Days are proleptic Gregorian (ISO 8601).
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
Open = Literal["", "before", "after", "present"]
"""Which side of a window is open: ``before`` (its start is unknown), ``after`` (its end is
unknown), ``present`` (an end that is still ongoing: it reaches today)."""

EARLIEST_YEAR = -99_999
"""The earliest year read (astronomical: 100,000 BC)."""
LATEST_YEAR = 9999
CIRCA_REFERENCE_YEAR = 2000
CIRCA_SHARE = 0.05
CIRCA_YEARS = (2, 25)
"""A circa year's margin either side: 5 % of its distance from the year 2000, rounded, at
least 2 and at most 25 years (c. 1990: ±2, c. 1850: ±8, c. 1700: ±15, c. 383 and c. 500 BC: ±25)."""
OPEN_FACTOR = 2
"""An open side ("before 400 BC", "after 1200") reaches twice the circa margin of its year
(4 to 50 years): how far it is drawn, fading, and how far the filters reach for it."""

_ISO = re.compile(r"^(?P<y>[+]?\d{1,4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?$")
_ISO_NEGATIVE = re.compile(r"^-(?P<y>\d{4,6})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
_ISO_DATETIME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_NUMERIC = re.compile(r"^(?P<a>\d{1,4})[/.](?P<b>\d{1,2})[/.](?P<c>\d{1,4})$")
_NUMERIC_MONTH = re.compile(r"^(?P<m>\d{1,2})[/.](?P<y>\d{4})$")
_NUMERIC_YEAR_MONTH = re.compile(r"^(?P<y>\d{4})[/.](?P<m>\d{1,2})$")
_LONG_YEAR = re.compile(r"^[+]?\d{5,}$")
_BC_WORD = r"(?:BCE|BC|B\.\s?C\.(?:\s?E\.)?)"
_BC = re.compile(rf"(?<!\w){_BC_WORD}(?!\w)", re.IGNORECASE)
_BC_AT_END = re.compile(rf"^(?P<rest>.*?)\s*(?<![A-Za-z]){_BC_WORD}$", re.IGNORECASE)
_ERA_AD = re.compile(r"^(AD|CE|A\.\s?D\.)\s+|\s*(?<![A-Za-z])(AD|CE|A\.\s?D\.)$", re.IGNORECASE)
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_WORDED_BC = (
    re.compile(rf"^(?P<day>\d{{1,2}})\s+{_MONTH},?\s+(?P<year>\d{{1,6}})$"),
    re.compile(rf"^{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{1,6}})$"),
    re.compile(rf"^{_MONTH},?\s+(?P<year>\d{{1,6}})$"),
    re.compile(r"^(?P<year>\d{1,6})$"),
)
_CIRCA = re.compile(r"^(?:c\.|ca\.|c|ca|circa|approx\.|approximately|about|around)\s*(?P<rest>\d.*|AD.*)$", re.I)
_BETWEEN = re.compile(r"^between\s+(?P<a>.+?)\s+(?:and|&)\s+(?P<b>.+)$", re.IGNORECASE)
_BEFORE_AFTER = re.compile(r"^(?P<side>before|after)\s+(?P<rest>.+)$", re.IGNORECASE)
_DECADE = re.compile(r"^(?:the\s+)?(?P<year>\d{1,4})0'?s$", re.IGNORECASE)
_CENTURY = re.compile(r"^(?:the\s+)?(?P<n>\d{1,3})(?:st|nd|rd|th)\s+century$", re.IGNORECASE)
_PRESENT = re.compile(r"^(?:present|ongoing|now|to date|the present)$", re.IGNORECASE)


class DateError(ValueError):
    """A text that is not a date this tool can place on an axis; the message says why."""


def historical_year(year: int) -> str:
    """An astronomical year as historians write it: ``55 BC`` for -54, ``1 BC`` for 0, ``AD 5``."""
    return f"{1 - year} BC" if year < 1 else f"AD {year}"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to the year, the month or the day (``year`` astronomical: 0 is 1 BC)."""

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

    def first(self) -> np.datetime64:
        """The earliest day the date may mean, any year."""
        return _day(self.year, self.month or 1, self.day or 1)

    def last(self) -> np.datetime64:
        """The latest day the date may mean, any year."""
        if self.day is not None:
            return self.first()
        month = self.month or 12
        return _day(self.year, month, calendar.monthrange(self.year, month)[1])

    def first_day(self) -> dt.date:
        """The earliest day the date may mean, as a :class:`datetime.date` (AD only; see :meth:`first`)."""
        self._need_ad()
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The latest day the date may mean, as a :class:`datetime.date` (AD only; see :meth:`last`)."""
        self._need_ad()
        if self.day is not None:
            return self.first_day()
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def _need_ad(self) -> None:
        if self.year < 1:
            raise DateError(f"{self.human()} is before AD 1, which a calendar date here cannot hold")

    def iso(self) -> str:
        """ISO 8601 text at this precision: ``2022``, ``2022-02``, ``2022-02-24``; ``-0054`` is 55 BC."""
        text = f"{self.year:04d}" if self.year >= 0 else f"-{-self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def human(self) -> str:
        """Readable text at this precision: ``2022``, ``February 2022``, ``24 February 2022``, ``55 BC``."""
        year = str(self.year) if self.year >= 1 else historical_year(self.year)
        if self.month is None:
            return year
        month = calendar.month_name[self.month]
        return f"{month} {year}" if self.day is None else f"{self.day} {month} {year}"

    @classmethod
    def of(cls, day: dt.date, precision: Precision) -> PartialDate:
        """Cut a full date down to a precision."""
        if precision == "year":
            return cls(day.year)
        if precision == "month":
            return cls(day.year, day.month)
        return cls(day.year, day.month, day.day)


def _day(year: int, month: int, day: int) -> np.datetime64:
    months = np.datetime64((year - 1970) * 12 + month - 1, "M")
    found: np.datetime64 = months.astype("datetime64[D]") + np.timedelta64(day - 1, "D")
    return found


def make_date(year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    """Build a checked partial date (``year`` astronomical); raise :class:`DateError` naming the bad part."""
    if year < EARLIEST_YEAR:
        raise DateError(f"year {historical_year(year)} is before {historical_year(EARLIEST_YEAR)}")
    if year > LATEST_YEAR:
        raise DateError(f"year {year} is after {LATEST_YEAR}")
    if day is not None and month is None:
        raise DateError("a day needs a month")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month} is not between 1 and 12")
    if day is not None and month is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(f"day {day} does not exist in {PartialDate(year, month).human()}")
    return PartialDate(year, month, day)


def parse_partial_date(text: str, order: DateOrder | None = None) -> PartialDate:
    """Parse one calendar date AD, written at year, month or day precision.

    Args:
        text: ``2022``, ``2022-02``, ``2022-02-24``, ``2024-02-11T10:00Z``, ``Feb 2022``,
            ``24 February 2022``, ``February 24, 2022``, ``02/2022`` or ``12/02/2024``.
        order: how to read all-numeric dates such as ``12/02/2024``: ``dmy`` or ``mdy``
            (``ymd`` for ``2024/02/12``). Without it an ambiguous date is an error.

    Raises:
        DateError: the text is empty, not a date, ambiguous, outside years 1-9999, or a
            window (circa, between ...: read those with :func:`parse_date_window`).
    """
    date = _single(text, order)
    if date.year < 1:
        raise DateError(f"{date.human()} is before AD 1: a year BC is read in a data file, not here")
    return date


def _single(text: str, order: DateOrder | None) -> PartialDate:
    """One date: what :func:`parse_partial_date` reads, and years BC."""
    value = text.strip()
    if not value:
        raise DateError("empty date")
    if match := _BC_AT_END.match(value):
        return _bc(match["rest"])
    if _BC.search(value):
        raise DateError("write BC after the year: 55 BC, 15 March 44 BC")
    if match := _ISO_NEGATIVE.match(value):
        return _from_parts(str(-int(match["y"])), match["m"], match["d"])
    if value.startswith("-"):
        if re.fullmatch(r"-\d{1,3}", value):
            years = int(value[1:])
            raise DateError(
                f"{value} is ambiguous: write {years} BC, or a year of four digits as ISO 8601 does "
                f"(-{years:04d} is {years + 1} BC)"
            )
        raise DateError("not a date")
    value = _ERA_AD.sub("", value)  # "AD 1066", "1066 CE": the era marker adds nothing
    if _LONG_YEAR.match(value):
        raise DateError(f"year {value.lstrip('+')} is after 9999")
    if match := _ISO.match(value):
        if int(match["y"]) == 0 and match["y"] != "0000":
            raise DateError("there is no year 0: 1 BC is followed by AD 1 (ISO 8601 writes 1 BC as 0000)")
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


def _bc(rest: str) -> PartialDate:
    """``55``, ``March 44``, ``15 March 44``: a date whose year is counted BC."""
    rest = rest.strip()
    for pattern in _WORDED_BC:
        if match := pattern.match(rest):
            break
    else:
        raise DateError("not a date BC: write 55 BC, March 44 BC or 15 March 44 BC")
    parts = match.groupdict()
    years = int(parts["year"])
    if years == 0:
        raise DateError("there is no year 0 BC: 1 BC is followed by AD 1")
    month = None
    if parts.get("month"):
        month = _MONTHS.get(parts["month"].lower())
        if month is None:
            raise DateError(f"{parts['month']!r} is not a month")
    day = int(parts["day"]) if parts.get("day") else None
    return make_date(1 - years, month, day)


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
            raise DateError(
                f"{a}/{b}/{c} is ambiguous: it could be day/month or month/day; declare the order "
                "(day-first or month-first) with --date-order dmy or --date-order mdy "
                "(in the dashboard: the Dates choice beside the upload)"
            )
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


# ---------------------------------------------------------------- windows: circa, between, before ...


@dataclass(frozen=True)
class DateWindow:
    """What a date cell means: the first and last date it may be, and how it was said.

    A plain date is a window of one date (``first == last``). ``approximate`` is set for
    every form that names a window (circa, between, before and after, decades, centuries);
    ``open`` says which side is unknown (see :data:`Open`).
    """

    first: PartialDate
    last: PartialDate
    approximate: bool = False
    open: Open = ""
    named: PartialDate | None = None
    """For ``before`` and ``after``: the date named (before *400 BC*)."""

    @property
    def precision(self) -> Precision:
        """How precisely the window's start is known."""
        return (self.named or self.first).precision

    @property
    def lo(self) -> np.datetime64:
        """The first day the window may mean."""
        return self.first.first()

    @property
    def hi(self) -> np.datetime64:
        """The last day the window may mean."""
        return self.last.last()

    @property
    def start_text(self) -> str:
        """How the event table writes the window as a ``start``: ISO, or ``before -0399``."""
        if self.open in ("before", "after") and self.named is not None:
            return f"{self.open} {self.named.iso()}"
        return "present" if self.open == "present" else self.first.iso()

    @property
    def end_text(self) -> str:
        """How the event table writes the window as an ``end``."""
        if self.open:
            return self.start_text
        return self.last.iso()

    @property
    def implied_end(self) -> str:
        """The ``end`` a ``start`` of this form brings with it (a circa year's last year), or ""."""
        return self.last.iso() if self.first != self.last and not self.open else ""


@dataclass(frozen=True)
class DateForm:
    """One way of writing a date that :func:`parse_date_window` reads, as the README documents it."""

    name: str
    examples: tuple[str, ...]


DATE_FORMS: tuple[DateForm, ...] = (
    DateForm("day, month or year", ("2022-02-24", "Feb 2022", "24 February 2022", "12/02/2024", "2022")),
    DateForm("year BC or AD", ("55 BC", "500 BCE", "15 March 44 BC", "-0054", "AD 100", "100 CE")),
    DateForm("circa", ("c. 383", "ca. 1200", "circa 1850", "around 1850")),
    DateForm("between", ("Between 47 and 50", "Between 50 and 47 BC")),
    DateForm("before, after", ("Before 400BC", "After 1200")),
    DateForm("decade, century", ("1850s", "1800s", "40s BC", "12th century", "5th century BC")),
    DateForm("still going on (an end)", ("ongoing", "present")),
)
"""Every form a date cell may take, each with examples (the README's Dates table lists them)."""


def circa_years(year: int) -> int:
    """The margin either side of a circa year (see :data:`CIRCA_YEARS`)."""
    share = CIRCA_SHARE * abs(CIRCA_REFERENCE_YEAR - year)
    low, high = CIRCA_YEARS
    return int(min(max(int(share + 0.5), low), high))


def parse_date_window(text: str, order: DateOrder | None = None, *, today: dt.date | None = None) -> DateWindow:
    """Parse a date cell in any form this tool reads.

    Besides every form of :func:`parse_partial_date`: years BC (``55 BC``, ``500 BCE``,
    ``15 March 44 BC``, ISO ``-0054``: 55 BC), circa (``c. 383``, ``ca. 1200``, ``circa 1850``:
    a window of :func:`circa_years` either side), ``Between 47 and 50``, ``Before 400BC`` and
    ``After 1200`` (open on one side, reaching :data:`OPEN_FACTOR` times the circa margin),
    decades (``1850s``; ``1800s`` is the hundred years 1800-1899), centuries (``12th century``,
    ``5th century BC``) and, as an end, ``present`` or ``ongoing`` (today).

    Args:
        today: the day ``present`` means (default: today).

    Raises:
        DateError: the text is none of these; the message says why.
    """
    value = " ".join(text.split())
    if not value:
        raise DateError("empty date")
    if _PRESENT.match(value):
        day = today or dt.date.today()
        now = PartialDate(day.year, day.month, day.day)
        return DateWindow(now, now, open="present")
    if match := _CIRCA.match(value):
        window = _plain_window(match["rest"], order)
        if window.first.precision != "year" and window.first == window.last:
            raise DateError("circa takes a year (c. 1850); for a month or a day, write Between … and …")
        margin = circa_years(window.first.year)
        first = make_date(max(window.first.year - margin, EARLIEST_YEAR))
        last = make_date(min(window.last.year + margin, LATEST_YEAR))
        return DateWindow(first, last, approximate=True)
    if match := _BETWEEN.match(value):
        a, b = match["a"], match["b"]
        if _BC_AT_END.match(b) and not (_BC_AT_END.match(a) or _ERA_AD.search(a)):
            a += " BC"  # "Between 50 and 47 BC": the era named once holds for both
        earlier, later = _plain_window(a, order), _plain_window(b, order)
        if later.hi < earlier.lo:
            raise DateError(f"{b} is before {a}: write the earlier date first")
        return DateWindow(earlier.first, later.last, approximate=True)
    if match := _BEFORE_AFTER.match(value):
        named = _plain_window(match["rest"], order)
        if match["side"].lower() == "before":
            last = _step(named.first, -1)
            reach = OPEN_FACTOR * circa_years(last.year)
            first = make_date(max(last.year - reach, EARLIEST_YEAR))
            return DateWindow(first, last, approximate=True, open="before", named=named.first)
        first = _step(named.last, 1)
        reach = OPEN_FACTOR * circa_years(first.year)
        last = make_date(min(first.year + reach, LATEST_YEAR))
        return DateWindow(first, last, approximate=True, open="after", named=named.last)
    return _plain_window(value, order)


def _plain_window(text: str, order: DateOrder | None) -> DateWindow:
    """A date, a decade or a century, with or without an era."""
    value = text.strip()
    bc = False
    if match := _BC_AT_END.match(value):
        bc, core = True, match["rest"].strip()
    else:
        core = _ERA_AD.sub("", value).strip()
    if match := _DECADE.match(core):
        start = int(match["year"]) * 10
        length = 100 if start % 100 == 0 and start > 0 else 10
        return _years_window(start, start + length - 1, bc)
    if match := _CENTURY.match(core):
        number = int(match["n"])
        if number == 0:
            raise DateError("there is no 0th century")
        return _years_window((number - 1) * 100 + 1, number * 100, bc)
    date = _single(value, order)
    return DateWindow(date, date)


def _years_window(first: int, last: int, bc: bool) -> DateWindow:
    """Years ``first``..``last`` as counted AD, or BC (where 1 BC is astronomical 0)."""
    if bc:
        if first == 0:  # "the 0s BC": 9 BC to 1 BC
            first = 1
        first, last = 1 - last, 1 - first
    elif first == 0:
        raise DateError("there is no year 0: the first decade AD is AD 1 to AD 9")
    return DateWindow(make_date(first), make_date(last), approximate=True)


def _step(date: PartialDate, direction: int) -> PartialDate:
    """The date one unit of its precision earlier (``-1``) or later (``1``)."""
    if date.day is not None:
        day = date.first() + np.timedelta64(direction, "D")
        year, month, rest = _parts(day)
        return make_date(year, month, rest)
    if date.month is not None:
        months = date.year * 12 + date.month - 1 + direction
        return make_date(months // 12, months % 12 + 1)
    return make_date(date.year + direction)


def _parts(day: np.datetime64) -> tuple[int, int, int]:
    months = int(day.astype("datetime64[M]").astype(np.int64))
    first_of_month = day.astype("datetime64[M]").astype("datetime64[D]")
    return months // 12 + 1970, months % 12 + 1, int((day - first_of_month).astype(np.int64)) + 1


@dataclass(frozen=True)
class Day:
    """A calendar day of any year, BC too (:class:`datetime.date` stops at AD 1): days since
    1970-01-01 in the proleptic Gregorian calendar. Compares with dates too."""

    ordinal: int

    def __lt__(self, other: AnyDay) -> bool:
        return self.ordinal < Day.of(other).ordinal

    def __le__(self, other: AnyDay) -> bool:
        return self.ordinal <= Day.of(other).ordinal

    def __gt__(self, other: AnyDay) -> bool:
        return self.ordinal > Day.of(other).ordinal

    def __ge__(self, other: AnyDay) -> bool:
        return self.ordinal >= Day.of(other).ordinal

    @classmethod
    def of(cls, day: AnyDay | np.datetime64) -> Day:
        """The day of a :class:`datetime.date` or a ``datetime64``."""
        return cls(int(as_day(day).astype(np.int64)))

    def datetime64(self) -> np.datetime64:
        return np.datetime64(self.ordinal, "D")

    def isoformat(self) -> str:
        """``2022-02-24``; ``-0043-03-15`` is 15 March 44 BC (ISO 8601, astronomical years)."""
        year, month, day = _parts(self.datetime64())
        return PartialDate(year, month, day).iso()

    def __str__(self) -> str:
        return self.isoformat()


AnyDay = dt.date | Day
"""A day as filters take it: a :class:`datetime.date` (AD), or a :class:`Day` of any year."""


def day_text(day: AnyDay | np.datetime64) -> str:
    """A day in words: ``24 Feb 2022``, ``15 Mar 44 BC``."""
    year, month, number = _parts(as_day(day))
    named = str(year) if year >= 1 else historical_year(year)
    return f"{number} {calendar.month_abbr[month]} {named}"


_ISO_DAY = re.compile(r"^(?P<y>-?\d{4,6})-(?P<m>\d{2})-(?P<d>\d{2})$")


def parse_iso_day(text: str) -> AnyDay | None:
    """An ISO day: ``2022-02-24`` as a :class:`datetime.date`, ``-0499-01-01`` (1 January 500 BC)
    as a :class:`Day`; None when the text is not one."""
    match = _ISO_DAY.match(text.strip())
    if match is None:
        return None
    try:
        date = make_date(int(match["y"]), int(match["m"]), int(match["d"]))
    except DateError:
        return None
    return date.first_day() if date.year >= 1 else Day.of(date.first())


def as_day(day: AnyDay | np.datetime64) -> np.datetime64:
    """A day as ``datetime64[D]``."""
    if isinstance(day, Day):
        return day.datetime64()
    found: np.datetime64 = np.datetime64(day.isoformat()) if isinstance(day, dt.date) else day.astype("datetime64[D]")
    return found


# ---------------------------------------------------------------- a column of dates at once

_SPACE = r"[ \t\n\r]*"  # padding the fast path strips; any other padding goes to parse_date_window
_ISO_CELL = (
    rf"^{_SPACE}(?P<y>[0-9]{{1,4}})(?:-(?P<m>[0-9]{{1,2}})(?:-(?P<d>[0-9]{{1,2}})"
    r"(?P<t>[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?"
    rf"{_SPACE}$"
)
"""``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` and ISO date-times: what :func:`parse_partial_date`
reads with its ISO patterns, in ASCII digits, for the vectorised path."""

Ints = npt.NDArray[np.int64]
Days = npt.NDArray[np.datetime64]
Flags = npt.NDArray[np.bool_]
Texts = npt.NDArray[np.object_]


@dataclass(frozen=True)
class DateColumn:
    """A column of date cells, each distinct text parsed once (as :func:`parse_date_window`).

    Per distinct text: ``lo`` and ``hi`` (the first and last day it may mean), ``found``
    (it is a date), ``errors`` (why it is not, else ""), its ``precision``, how the event
    table writes it as a start (``first_text``) and as an end (``last_text``), the end a
    start of its form brings (``implied_end``: a circa year's last year), whether the form
    is ``approximate`` and which side is ``open``. ``codes`` maps each row to its distinct
    text. A blank cell ("") is no date and no error.
    """

    codes: npt.NDArray[np.intp]
    lo: Days
    hi: Days
    found: Flags
    blank: Flags
    errors: Texts
    precisions: Texts
    first_text: Texts
    last_text: Texts
    implied_end: Texts
    approximate: Flags
    open: Texts

    @property
    def is_blank(self) -> Flags:
        """Per row: the cell is empty."""
        return self.blank[self.codes]

    @property
    def is_date(self) -> Flags:
        """Per row: the cell is a date."""
        return self.found[self.codes]

    @property
    def is_bad(self) -> Flags:
        """Per row: the cell holds text that is not a date."""
        bad: Flags = (~self.blank & ~self.found)[self.codes]
        return bad

    def error(self, row: int) -> str:
        """Why row ``row``'s cell is not a date ("" when it is one, or is blank)."""
        return str(self.errors[self.codes[row]])

    def first_day(self) -> Days:
        """Per row: the earliest day the date may mean (undefined where there is no date)."""
        return self.lo[self.codes]

    def last_day(self) -> Days:
        """Per row: the latest day the date may mean (undefined where there is no date)."""
        return self.hi[self.codes]

    def precision(self) -> pd.Series:
        """Per row: ``day``, ``month`` or ``year`` ("" where there is no date)."""
        return self._per_row(self.precisions)

    def iso(self) -> pd.Series:
        """Per row: the date as the event table writes a start ("" where none): ISO at its
        precision as :meth:`PartialDate.iso`, or ``before -0399``, ``present``."""
        return self._per_row(self.first_text)

    def as_end(self) -> pd.Series:
        """Per row: the date as the event table writes an end ("" where none)."""
        return self._per_row(self.last_text)

    def implied_ends(self) -> pd.Series:
        """Per row: the end its form brings when used as a start ("" for a single date)."""
        return self._per_row(self.implied_end)

    def is_approximate(self) -> Flags:
        """Per row: the form names a window (circa, between, before, after, decade, century)."""
        return self.approximate[self.codes]

    def opens(self) -> pd.Series:
        """Per row: the open side (see :data:`Open`), "" for none."""
        return self._per_row(self.open)

    def _per_row(self, distinct: Texts) -> pd.Series:
        return pd.Series(pd.array(distinct, dtype="str").take(self.codes), dtype="str")


def parse_dates(cells: pd.Series, order: DateOrder | None = None, *, today: dt.date | None = None) -> DateColumn:
    """Parse a column of date cells as :func:`parse_date_window` would, each distinct text once.

    ISO forms (years AD) are read with array operations; every other text (worded, numeric
    with slashes, BC, circa ... or not a date at all) goes through :func:`parse_date_window`, once.

    Args:
        cells: text cells; "" (or a missing value) is a blank cell.
        order: how to read all-numeric dates such as ``12/02/2024``.
        today: the day ``present`` means (default: today).
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
    count = len(distinct)
    lo, hi = _iso_days(year, month, day)
    iso = _iso_texts(year, month, day)
    precisions = np.where(day > 0, "day", np.where(month > 0, "month", "year")).astype(object)
    column = DateColumn(
        codes=codes,
        lo=lo,
        hi=hi,
        found=good.copy(),
        blank=blank,
        errors=np.full(count, "", dtype=object),
        precisions=np.where(good, precisions, "").astype(object),
        first_text=np.where(good, iso, "").astype(object),
        last_text=np.where(good, iso, "").astype(object),
        implied_end=np.full(count, "", dtype=object),
        approximate=np.zeros(count, dtype=bool),
        open=np.full(count, "", dtype=object),
    )
    for index in np.flatnonzero(~good & ~blank).tolist():
        try:
            window = parse_date_window(str(distinct[index]), order, today=today)
        except DateError as error:
            column.errors[index] = str(error)
            continue
        column.found[index] = True
        column.lo[index], column.hi[index] = window.lo, window.hi
        column.precisions[index] = window.precision
        column.first_text[index], column.last_text[index] = window.start_text, window.end_text
        column.implied_end[index] = window.implied_end
        column.approximate[index] = window.approximate
        column.open[index] = window.open
    return column


def _iso_days(year: Ints, month: Ints, day: Ints) -> tuple[Days, Days]:
    """The first and last day of ISO dates given by parts (0: not given)."""
    months = (year - 1970) * 12 + np.maximum(month, 1) - 1
    start = months.astype("datetime64[M]").astype("datetime64[D]")
    first: Days = start + (np.maximum(day, 1) - 1).astype("timedelta64[D]")
    # the last day of a month is the day before the next month; of a year, before the next year
    following = np.where(month > 0, months + 1, (year - 1970) * 12 + 12)
    last_of = following.astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")
    last: Days = np.where(day > 0, first, last_of)
    return first, last


def _iso_texts(year: Ints, month: Ints, day: Ints) -> Texts:
    text = pd.Series(year).astype("str").str.zfill(4)
    text += ("-" + pd.Series(month).astype("str").str.zfill(2)).where(month > 0, "")
    text += ("-" + pd.Series(day).astype("str").str.zfill(2)).where(day > 0, "")
    out: Texts = text.to_numpy(dtype=object)
    return out
