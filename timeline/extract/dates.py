"""Temporal expressions in news sentences, resolved against the publication date.

A careful reader's conventions, each with a unit test in ``tests/test_extract_dates.py``:

- a weekday ("on Sunday") is the most recent such day on or before publication: "on Monday"
  in a Monday article is that Monday (news says the day of publication by its name);
- "last week" is the calendar week (Monday to Sunday) before publication's, an approximate
  window; "last year" is the previous year, year precision; "In September" is the most recent
  September on or before publication's month, month precision;
- "Feb. 8", "8 February 2024", "in February 2022" are read with their precision (dateparser
  reads the day-and-month forms, dots removed: it loses the day of "Feb. 8" otherwise);
- "shortly after X" is a window from X to a step after it (a week after a day, a month after a
  month, a year after a year); "shortly before X" the mirror;
- "nearly two years" (a duration, no "ago") is a window from that long before publication to
  publication; "two years ago" is that year;
- "Earlier", "previously" and "at the time" are anaphoric: they are found here and resolved by
  the pipeline against the surrounding dated sentences (see :func:`earlier_window`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Literal, cast

import dateparser  # type: ignore[import-untyped]

from timeline.dates import Precision

Anaphor = Literal["", "earlier", "at_the_time", "next_day", "day_before", "clock"]

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
}
MONTHS["sept"] = 9
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2,
}  # fmt: skip

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAYNUM = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_COUNT = r"(?:\d+|a couple of|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(?:day|week|month|year)s?"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"

# Each form: (name, pattern). Order matters: longer forms first; matches may not overlap.
_FORMS: tuple[tuple[str, str], ...] = (
    (
        "shortly",
        r"\b(?:shortly|soon|just|immediately|days|weeks|months|a few (?:days|weeks|months))\s+(?:after|before)\b",
    ),
    ("iso", r"\b(?:on\s+)?\d{4}-\d{2}-\d{2}\b"),
    ("month_day_year", rf"\b(?:on\s+)?(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAYNUM},?\s+{_YEAR}\b"),
    ("day_month_year", rf"\b(?:on\s+)?(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_DAYNUM}\s+(?:of\s+)?{_MONTH}\s+{_YEAR}\b"),
    ("month_day", rf"\b(?:on\s+)?(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAYNUM}\b(?!\s*,?\s*\d)"),
    ("day_month", rf"\b(?:on\s+)?(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_DAYNUM}\s+(?:of\s+)?{_MONTH}(?!\w)(?!\.?\s*\d)"),
    (
        "month_year",
        rf"\b(?:(?:in|In|since|Since|by|By|during|During|until|early|late|mid-?)\s+)?{_MONTH}\s+(?:of\s+)?{_YEAR}\b",
    ),
    ("ago", rf"\b(?:about\s+|some\s+|nearly\s+|almost\s+)?{_COUNT}\s+{_UNIT}\s+ago\b"),
    (
        "duration",
        rf"\b(?:for\s+)?(?:nearly|almost|about|around|some|roughly|more than|over|less than)\s+{_COUNT}\s+{_UNIT}\b",
    ),
    (
        "weekday",
        rf"\b(?:(?:on|On|last|Last|this|This|since|Since|by|By|until|Until|next|Next)\s+)?{_WEEKDAY}{_PART_OF_DAY}\b",
    ),
    ("relative", r"\b(?:earlier|later)\s+(?:this|that)\s+(?:week|month|year)\b"),
    ("relative", r"\b(?:last|this|Last|This)\s+(?:week(?:end)?|month|year|morning|afternoon|evening)\b"),
    ("relative", r"\b(?:over|at) the weekend\b"),
    ("relative", r"\b(?:[Ll]ast\s+night|[Tt]oday|[Tt]onight|[Yy]esterday|[Ee]arlier\s+today)\b"),
    (
        "month",
        rf"\b(?:in|In|since|Since|by|By|during|During|until|Until|for|early|Early|late|Late|mid-?|Mid-?)\s+{_MONTH}(?!\w)(?!\.?\s*\d)(?!\s+\d)",
    ),
    (
        "year",
        rf"(?<![\d,.$])\b(?:(?:in|In|since|Since|by|By|during|During|until|early|late|mid-?)\s+){_YEAR}\b(?![\d%])",
    ),
    (
        "decade",
        r"\b(?:(?:in|In|during|During|since|Since|by|By|until|Until)\s+)?(?:the\s+)?"
        r"(?:(?:early|late|mid)-?\s*)?(?:1[0-9]|20)[0-9]0(?:’|')?s\b",
    ),
    ("recently", r"\b(?:[Rr]ecently|[Ii]n recent (?:days|weeks))\b"),
    ("at_the_time", r"\b(?:at the time|[Aa]t that time|the same day|that day)\b"),
    (
        "clock",
        r"\b(?:[Aa]t|[Aa]round|[Bb]y|[Uu]ntil|[Ss]hortly (?:before|after)|[Jj]ust (?:before|after))\s+"
        r"(?:about\s+|around\s+)?(?:\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.|p\.m\.|am|pm|AM|PM)"
        r"(?:\s+(?:[A-Z]{2,4}T|UTC|GMT|local time))?|\d{1,2}[:.]?\d{2}\s*(?:[A-Z]{2,4}T|UTC|GMT|hours|hrs|local time))",
    ),
    ("next_day", r"\b(?:the next day|the following day|a day later|[Tt]he next morning)\b"),
    ("day_before", r"\b(?:the day before|the previous day|a day earlier)\b"),
    ("earlier", r"(?:^|(?<=[\s“\"(]))(?:Earlier|Previously|earlier|previously)\b(?!\s+(?:this|that|today))"),
)
_PATTERN = re.compile("|".join(f"(?P<f{i}>{pattern})" for i, (_, pattern) in enumerate(_FORMS)))
_SHORTLY_REACH = 160
"""How far after "shortly after" its anchor's date may be (characters)."""


@dataclass(frozen=True)
class When:
    """A temporal expression and the days it means.

    Attributes:
        text: the expression as written ("on Sunday", "shortly after ... in February 2022").
        start, end: the first and last day it may mean (equal for one day).
        precision: how ``start`` is written: ``day``, ``month`` or ``year``.
        approximate: the source dates it only loosely; start..end is the window.
        offset: where ``text`` starts in the text searched; ``anaphor`` marks "earlier" and
            "at the time", whose days the pipeline fills in from the surrounding sentences.
    """

    text: str
    start: dt.date
    end: dt.date
    precision: Precision
    approximate: bool = False
    offset: int = 0
    anaphor: Anaphor = ""
    duration: bool = False
    """A length of time ("for nearly two years"), which dates a state, never a statement."""

    @property
    def stop(self) -> int:
        """Where ``text`` ends."""
        return self.offset + len(self.text)

    def start_text(self) -> str:
        """``start`` written with its precision (``2023``, ``2023-09``, ``2023-09-07``)."""
        return _written(self.start, self.precision)

    def end_text(self) -> str:
        """``end`` written with the precision, blank when the expression is one day, month or year."""
        if _written(self.end, self.precision) == self.start_text() and not self._wider_than_one_unit():
            return ""
        return _written(self.end, self.precision)

    def _wider_than_one_unit(self) -> bool:
        return (self.start, self.end) != _unit_bounds(self.start, self.precision)

    def covers(self, other: When) -> bool:
        """Whether the two windows share a day."""
        return self.start <= other.end and other.start <= self.end


def _written(day: dt.date, precision: Precision) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _unit_bounds(day: dt.date, precision: Precision) -> tuple[dt.date, dt.date]:
    if precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if precision == "month":
        return _month_bounds(day.year, day.month)
    return day, day


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _count(text: str) -> int:
    text = text.lower()
    return int(text) if text.isdigit() else NUMBER_WORDS.get(text, 1)


def find_dates(text: str, published: dt.date) -> list[When]:
    """Every temporal expression in ``text``, resolved against ``published``, in text order."""
    found: list[When] = []
    for match in _PATTERN.finditer(text):
        form = _FORMS[int(next(k for k, v in match.groupdict().items() if v is not None)[1:])][0]
        if found and match.start() < found[-1].stop:
            continue  # inside a "shortly after ..." window already read
        when = _resolve(form, match.group(0), text, match.start(), published)
        if when is not None:
            found.append(when)
    return found


def _resolve(form: str, words: str, text: str, offset: int, published: dt.date) -> When | None:
    when = _resolve_past(form, words, text, offset, published)
    if when is not None and when.start < published and form in _FUTURE_FORMS and _FUTURE.search(text[:offset]):
        return _next_occurrence(when, form, published)
    return when


_FUTURE = re.compile(
    r"\b(?:will|shall|would|is due|are due|(?:is|are|was|were) scheduled|(?:is|are|was|were) set|plans? to"
    r"|planned to|(?:is|are|was|were) expected to|(?:is|are|was|were) to)\b"
    r"[^.,;]{0,70}$"
)
"""A date the future tense (or a reported future) just before it points forward ("the vote
will be held on May 5"; "the money would be infused when the markets open on Friday")."""
_FUTURE_FORMS = frozenset({"month_day", "day_month", "month", "weekday"})


def _next_occurrence(when: When, form: str, published: dt.date) -> When:
    if form == "weekday":
        ahead = (when.start.weekday() - published.weekday()) % 7 or 7
        day = published + dt.timedelta(days=ahead)
        return replace(when, start=day, end=day)
    if form == "month":
        year = published.year + (1 if when.start.month < published.month else 0)
        return replace(when, start=when.start.replace(year=year), end=when.end.replace(year=year))
    start, end = when.start, when.end
    return replace(when, start=start.replace(year=start.year + 1), end=end.replace(year=end.year + 1))


def _resolve_past(form: str, words: str, text: str, offset: int, published: dt.date) -> When | None:
    lower = words.lower()
    if form == "shortly":
        return _shortly(words, text, offset, published)
    if form == "earlier":
        return When(words, published, published, "day", True, offset, "earlier")
    if form in ("at_the_time", "next_day", "day_before", "clock"):
        return When(words, published, published, "day", True, offset, cast(Anaphor, form))
    if form in ("iso", "month_day_year", "day_month_year", "month_day", "day_month"):
        day = _parse_day(words, published, with_year=form in ("iso", "month_day_year", "day_month_year"))
        return None if day is None else When(words, day, day, "day", False, offset)
    if form == "month_year":
        month = _month_in(lower)
        year = int(re.findall(_YEAR, words)[-1])
        return _period(words, offset, *_month_bounds(year, month), "month", lower)
    if form == "month":
        month = _month_in(lower)
        year = published.year if month <= published.month else published.year - 1
        return _period(words, offset, *_month_bounds(year, month), "month", lower)
    if form == "year":
        year = int(re.findall(_YEAR, words)[-1])
        return _period(words, offset, dt.date(year, 1, 1), dt.date(year, 12, 31), "year", lower)
    if form == "decade":
        first = int(re.findall(r"\d{4}", words)[-1])
        return When(words, dt.date(first, 1, 1), dt.date(first + 9, 12, 31), "year", True, offset)
    if form == "weekday":
        return _weekday(words, offset, published)
    if form == "ago":
        return _ago(words, offset, published)
    if form == "duration":
        return _duration(words, offset, published)
    if form == "recently":
        return When(words, published - dt.timedelta(days=30), published, "day", True, offset)
    return _relative(words, offset, published)


def _period(words: str, offset: int, start: dt.date, end: dt.date, precision: Precision, lower: str) -> When:
    """A month or year, with "since" reaching publication left to the caller (it reads as the start)."""
    approximate = lower.startswith(("early", "late", "mid"))
    return When(words, start, end, precision, approximate, offset)


def _month_in(lower: str) -> int:
    for word in re.findall(r"[a-z]+", lower):
        if word in MONTHS:
            return MONTHS[word]
    raise ValueError(lower)  # the patterns only match with a month


def _parse_day(words: str, published: dt.date, *, with_year: bool) -> dt.date | None:
    """A calendar day by dateparser (dots and ordinals removed); without a year the most recent
    such day on or before publication."""
    cleaned = re.sub(r"^(?:on|On)\s+", "", words)
    cleaned = re.sub(rf"^{_WEEKDAY},?\s+", "", cleaned)
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned.replace(".", "")).replace(" of ", " ")
    cleaned = re.sub(r"^the\s+", "", cleaned)
    settings = {
        "RELATIVE_BASE": dt.datetime.combine(published, dt.time()),
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month"] + (["year"] if with_year else []),
    }
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if parsed is None:
        return None
    day: dt.date = parsed.date()
    if not with_year and day > published:
        day = day.replace(year=day.year - 1)
    return day


def _weekday(words: str, offset: int, published: dt.date) -> When:
    lower = words.lower()
    target = next(number for name, number in WEEKDAYS.items() if name in lower)
    if lower.startswith(("until", "next", "this coming")):
        ahead = (target - published.weekday()) % 7 or 7  # "until Saturday": the one to come
        day = published + dt.timedelta(days=ahead)
        return When(words, day, day, "day", False, offset)
    back = (published.weekday() - target) % 7
    if lower.startswith("last") and back == 0:
        back = 7
    day = published - dt.timedelta(days=back)
    return When(words, day, day, "day", False, offset)


def _ago(words: str, offset: int, published: dt.date) -> When:
    lower = words.lower()
    count_word = re.search(rf"{_COUNT}(?=\s+{_UNIT})", lower)
    count = _count(count_word.group(0)) if count_word else 1
    unit = re.search(r"(day|week|month|year)", lower)
    assert unit is not None
    loose = lower.startswith(("about", "some", "nearly", "almost"))
    if unit.group(1) == "day":
        day = published - dt.timedelta(days=count)
        return When(words, day, day, "day", loose, offset)
    if unit.group(1) == "week":
        middle = published - dt.timedelta(weeks=count)
        return When(words, middle - dt.timedelta(days=3), middle + dt.timedelta(days=3), "day", True, offset)
    if unit.group(1) == "month":
        month = _add_months(published, -count)
        return When(words, *_month_bounds(month.year, month.month), "month", loose, offset)
    year = published.year - count
    return When(words, dt.date(year, 1, 1), dt.date(year, 12, 31), "year", loose, offset)


def _duration(words: str, offset: int, published: dt.date) -> When:
    """ "nearly two years": from about that long before publication up to it."""
    lower = words.lower()
    count_word = re.search(rf"{_COUNT}(?=\s+{_UNIT})", lower)
    count = _count(count_word.group(0)) if count_word else 1
    unit = re.search(r"(day|week|month|year)", lower)
    assert unit is not None
    if unit.group(1) in ("day", "week"):
        days = count * (7 if unit.group(1) == "week" else 1)
        return When(words, published - dt.timedelta(days=days), published, "day", True, offset, duration=True)
    months = count * (12 if unit.group(1) == "year" else 1)
    start = _add_months(published, -months)
    return When(words, start.replace(day=1), published, "month", True, offset, duration=True)


def _relative(words: str, offset: int, published: dt.date) -> When | None:
    lower = " ".join(words.lower().split())
    monday = published - dt.timedelta(days=published.weekday())
    if lower in ("today", "tonight", "earlier today", "this morning", "this afternoon", "this evening"):
        return When(words, published, published, "day", False, offset)
    if lower in ("yesterday", "last night"):
        day = published - dt.timedelta(days=1)
        return When(words, day, day, "day", False, offset)
    if lower == "last week":
        return When(words, monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), "day", True, offset)
    if lower in ("last weekend", "over the weekend", "at the weekend") and published.weekday() < 5:
        saturday = monday - dt.timedelta(days=2)
        return When(words, saturday, monday - dt.timedelta(days=1), "day", True, offset)
    if lower in ("this week", "earlier this week"):
        return When(words, monday, published, "day", True, offset)
    if lower == "this weekend":
        return When(words, monday + dt.timedelta(days=5), monday + dt.timedelta(days=6), "day", True, offset)
    if lower == "last month":
        month = _add_months(published.replace(day=1), -1)
        return When(words, *_month_bounds(month.year, month.month), "month", False, offset)
    if lower == "this month":
        return When(words, *_month_bounds(published.year, published.month), "month", False, offset)
    if lower == "earlier this month":
        return When(words, published.replace(day=1), published, "day", True, offset)
    if lower == "last year":
        year = published.year - 1
        return When(words, dt.date(year, 1, 1), dt.date(year, 12, 31), "year", False, offset)
    if lower == "this year":
        return When(words, dt.date(published.year, 1, 1), dt.date(published.year, 12, 31), "year", False, offset)
    if lower == "earlier this year":
        return When(words, dt.date(published.year, 1, 1), published, "day", True, offset)
    return None  # "later this week" and the like: the future, not dated here


def _shortly(words: str, text: str, offset: int, published: dt.date) -> When | None:
    """ "shortly after X": a window from X's date to a step past it, when X carries a date."""
    rest = text[offset + len(words) : offset + len(words) + _SHORTLY_REACH]
    clause = re.split(r"[;:.!?]\s|,\s(?:and|but|while|where|which)\b", rest)[0]
    inner = [w for w in find_dates(clause, published) if not w.anaphor]
    if not inner:
        return None
    anchor = inner[0]
    written = text[offset : offset + len(words) + anchor.stop]
    step = {"day": dt.timedelta(days=7), "month": None, "year": None}[anchor.precision]
    before = words.lower().rstrip().endswith("before")
    if before:
        if anchor.precision == "day":
            start = anchor.start - dt.timedelta(days=7)
        elif anchor.precision == "month":
            start = _add_months(anchor.start, -1)
        else:
            start = anchor.start.replace(year=anchor.start.year - 1)
        return When(written, start, anchor.end, anchor.precision, True, offset)
    if step is not None:
        end = anchor.end + step
    elif anchor.precision == "month":
        end = _add_months(anchor.end.replace(day=1), 1)
        end = _month_bounds(end.year, end.month)[1]
    else:
        end = dt.date(anchor.end.year + 1, 12, 31)
    return When(written, anchor.start, min(end, max(published, anchor.start)), anchor.precision, True, offset)


def earlier_window(when: When, before: When | None, after: When | None, published: dt.date) -> When:
    """ "Earlier" or "at the time", bounded by the dated sentences around it.

    "at the time" takes the window of the dated sentence before it; "Earlier" runs from the
    earliest of the neighbouring dates to the latest of them, or to publication when none
    follows. Both are approximate.
    """
    if when.anaphor in ("next_day", "day_before") and before is not None and before.precision == "day":
        step = dt.timedelta(days=1 if when.anaphor == "next_day" else -1)
        return replace(when, start=before.start + step, end=before.end + step, approximate=False)
    if when.anaphor == "clock":  # a time of day: the day the sentence before gives, else publication's
        day = before if before is not None and before.precision == "day" and before.start == before.end else None
        recent = day is not None and published - dt.timedelta(days=7) <= day.start <= published
        start = day.start if day is not None and recent else published
        return replace(when, start=start, end=start, precision="day", approximate=False)
    if when.anaphor == "at_the_time" and before is not None:
        return replace(when, start=before.start, end=before.end, precision=before.precision, approximate=True)
    neighbours = [w for w in (before, after) if w is not None and not w.anaphor]
    if not neighbours:
        start = dt.date(published.year - 1, published.month, 1)
        return replace(when, start=start, end=published, precision="month", approximate=True)
    start = min(w.start for w in neighbours)
    end = max(w.end for w in neighbours) if after is not None else published
    precision: Precision = "year" if all(w.precision == "year" for w in neighbours) else "month"
    start = start.replace(day=1) if precision == "month" else start.replace(month=1, day=1)
    return replace(when, start=start, end=max(end, start), precision=precision, approximate=True)


def undated_window(published: dt.date, days: int = 7) -> When:
    """The honest window of a sentence that gives no date: the ``days`` before publication."""
    return When("", published - dt.timedelta(days=days), published, "day", True)
