"""Partial dates: "2022", "2022-02", "Feb 2022", "11 February 2024", "12/02/2024".

Sources date events loosely, so a date here is a year, a year and month, or a full day,
and knows which (its precision). Everything that reads a date goes through
:func:`parse_partial_date`, so the CSV reader, the importers and the CLI filters agree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from dateutil import parser as dateutil_parser

Precision = Literal["day", "month", "year"]
PRECISIONS: tuple[Precision, ...] = ("day", "month", "year")
DateOrder = Literal["ymd", "dmy", "mdy"]
DATE_ORDERS: tuple[DateOrder, ...] = ("ymd", "dmy", "mdy")

_ISO = re.compile(r"^(?P<y>[+-]?\d{1,4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?$")
_ISO_DATETIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
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
