"""TimelineJS (Knight Lab) timelines read into the event table: the Google Sheets
template (as CSV, TSV or Excel) and the JSON format.

How a slide becomes an event:

- ``Group`` / ``group`` is the actor lane. A slide without a group goes in one lane named
  after the timeline's title slide headline (cut to :data:`ACTOR_LIMIT` characters), or
  :data:`DEFAULT_ACTOR` when there is no title.
- ``Headline`` / ``text.headline`` is the title and ``Text`` / ``text.text`` the summary,
  both as plain text: HTML is reduced to its words (paragraphs and ``<br>`` become line
  breaks, scripts and styles are removed), never kept as markup. A slide without a
  headline takes the start of its text, then its media caption, then ``(no headline)``.
- ``Display Date`` / ``display_date`` is ``date_text``; the year, month and day give
  ``start`` and ``end`` at the precision they were given to. Times are dropped: the chart
  works in days.
- ``unique_id`` is the id (characters an id may not hold become ``-``); otherwise
  ``row-N``, N counting data rows (sheet) or ``events[]`` (JSON) from 1.
- The kind is ``event``. The template's columns the chart does not draw are kept, each
  under one name in the sheet and the JSON alike (:data:`KEPT`): ``Media`` /
  ``media.url`` as ``media``, ``Media Caption`` / ``media.caption`` as ``media_caption``,
  ``Media Credit``, ``Media Thumbnail``, ``Background`` (``background.url`` or
  ``.color``), ``Time`` and ``End Time`` (the JSON's hour, minute and second), ``Type``;
  a JSON slide's other keys are kept as dotted columns (``media.alt``, ``autolink``).
- A sheet column named after a column of the event table that the template has no place
  for (``id``, ``kind``, ``side``, ``quote``, the relations, ``status`` ...) is read as that
  column, and any other column is kept under its name: :func:`write_sheet` writes them
  after the template's, and a sheet it wrote reads back whole. A column whose name the
  template uses (GDELT's ``Year``) is written as ``extra:Year`` and read back as ``Year``.
- The first ``title`` row / the ``title`` slide gives the dataset's title; ``era`` rows /
  ``eras[]`` are drawn as eras (an era without an end covers its start's year, month or day).

Problems are reported against the source's own rows and column names (``Year``,
``Headline``, ``start_date``, ``text.headline`` ...).
"""

from __future__ import annotations

import calendar
import dataclasses
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from bs4 import BeautifulSoup

from timeline.dataset import Dataset, Era, ReadOptions
from timeline.dates import DateError, DateOrder, PartialDate, parse_date_window
from timeline.nested import flatten_record
from timeline.schema import (
    COLUMN_NAMES,
    Problem,
    ValidationError,
    cell_text,
    counted,
    output_columns,
    shorten,
    validate_events,
)

SHEET_COLUMNS: tuple[str, ...] = (
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
    "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
    "Background",
)  # fmt: skip
"""The columns of Knight Lab's Google Sheets template, in order."""

DEFAULT_ACTOR = "Timeline"
"""The lane of slides without a group, when the timeline has no title either."""
ACTOR_LIMIT = 60
KIND = "event"
NO_HEADLINE = "(no headline)"
HEADLINE_FROM_TEXT = 80

KEPT: dict[str, str] = {
    "Time": "time",
    "End Time": "end_time",
    "Media": "media",
    "Media Credit": "media_credit",
    "Media Caption": "media_caption",
    "Media Thumbnail": "media_thumbnail",
    "Type": "type",
    "Background": "background",
}
"""Template column the chart does not draw -> the event table's column that keeps it."""
ESCAPED = "extra:"
"""Prefix of a kept column whose own name is a template column's (``extra:Year``)."""
_SLIDE_TYPES = ("title", "era")
_KEPT_NAMES = frozenset(KEPT.values())
_MARKUP = re.compile(r"<[A-Za-z/!]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")

_SHEET_DETECT = ("year", "month", "day", "headline")
_BLOCKS = (
    "p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "figure", "figcaption", "pre", "hr", "dd", "dt", "cite",
)  # fmt: skip
_DROPPED = ("script", "style", "template", "iframe", "object", "embed", "noscript", "head")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]+")
_DIGITS = re.compile(r"[0-9]{1,12}")


def _key(name: object) -> str:
    """A column name as TimelineJS compares it: ``End Year`` -> ``endyear``."""
    return re.sub(r"[\s_-]+", "", str(name)).lower()


def is_sheet(columns: Iterable[object]) -> bool:
    """Whether a header is Knight Lab's spreadsheet template (Year, Month, Day, Headline ...)."""
    keys = {_key(c) for c in columns}
    return all(k in keys for k in _SHEET_DETECT)


def is_timelinejs(document: Mapping[str, Any]) -> bool:
    """Whether a parsed JSON object is a TimelineJS timeline rather than a list of events."""
    if isinstance(document.get("title"), dict) or "eras" in document or "scale" in document:
        return True
    events = document.get("events")
    return isinstance(events, list) and any(
        isinstance(e, dict) and ("start_date" in e or isinstance(e.get("text"), dict)) for e in events
    )


def plain_text(value: str, *, one_line: bool = False) -> str:
    """TimelineJS text (which may hold HTML) as plain text, never markup.

    Block elements and ``<br>`` become line breaks (or spaces with ``one_line``); inline
    elements join without a gap; entities are decoded; scripts and styles are dropped.
    """
    if "<" in value:
        # Wrapped, so the parser sees a root element first and never mistakes the text
        # for an XML document.
        soup = BeautifulSoup(f"<div>{value}</div>", "html.parser")
        for tag in soup.find_all(_DROPPED):
            tag.decompose()
        for tag in soup.find_all("br"):
            tag.replace_with("\n")
        for tag in soup.find_all(_BLOCKS):
            tag.insert_before("\n")
            tag.insert_after("\n")
        value = soup.get_text()
    elif "&" in value:
        value = html.unescape(value)
    lines = (" ".join(line.split()) for line in value.splitlines())
    return (" " if one_line else "\n").join(line for line in lines if line)


@dataclass
class Slide:
    """One row of a sheet or one slide of a JSON timeline, as text.

    ``row`` and ``line`` locate it for problem reports (``row`` is None for the JSON title
    and eras, which ``prefix`` names instead: ``title.``, ``eras[2].``).
    """

    row: int | None
    line: int | None = None
    prefix: str = ""
    kind: str = ""
    year: str = ""
    month: str = ""
    day: str = ""
    end_year: str = ""
    end_month: str = ""
    end_day: str = ""
    display_date: str = ""
    headline: str = ""
    text: str = ""
    group: str = ""
    unique_id: str = ""
    caption: str = ""
    extras: dict[str, str] = dataclasses.field(default_factory=dict)
    """Cells of the event table's own columns that the template has no place for."""


@dataclass(frozen=True)
class _Source:
    """How problems name the source's columns."""

    start: str
    end: str
    columns: Mapping[str, str]


_SHEET_SOURCE = _Source(
    "Year",
    "End Year",
    {
        "start": "Year",
        "end": "End Year",
        "title": "Headline",
        "summary": "Text",
        "actor": "Group",
        "date_text": "Display Date",
    },
)
_JSON_SOURCE = _Source(
    "start_date",
    "end_date",
    {
        "id": "unique_id",
        "start": "start_date",
        "end": "end_date",
        "title": "text.headline",
        "summary": "text.text",
        "actor": "group",
        "date_text": "display_date",
    },
)


def read_sheet(table: pd.DataFrame, name: str, options: ReadOptions, lines: Sequence[int] | None = None) -> Dataset:
    """A TimelineJS spreadsheet (a table of text cells with the template's header).

    Raises:
        ValidationError: every problem, located by the sheet's rows and column names.
    """
    by_key = {_key(c): str(c) for c in reversed(list(table.columns))}

    def cell(record: Mapping[Any, Any], column: str) -> str:
        found = by_key.get(_key(column))
        return str(record[found]).strip() if found is not None else ""

    extra_columns = _kept_columns(table)
    slides = []
    for index, record in enumerate(table.to_dict(orient="records")):
        slides.append(
            Slide(
                row=index + 1,
                line=lines[index] if lines is not None else None,
                kind=cell(record, "Type").lower(),
                year=cell(record, "Year"),
                month=cell(record, "Month"),
                day=cell(record, "Day"),
                end_year=cell(record, "End Year"),
                end_month=cell(record, "End Month"),
                end_day=cell(record, "End Day"),
                display_date=cell(record, "Display Date"),
                headline=cell(record, "Headline"),
                text=cell(record, "Text"),
                group=cell(record, "Group"),
                caption=cell(record, "Media Caption"),
                extras={name: str(record[column]).strip() for column, name in extra_columns.items()},
            )
        )
    title_slide = next((s for s in slides if s.kind == "title"), None)
    eras = [s for s in slides if s.kind == "era"]
    events = [s for s in slides if s is not title_slide and s.kind != "era"]
    sources = {kept: column for column, kept in extra_columns.items()}
    return _dataset(name, options, title_slide, events, eras, _SHEET_SOURCE, [], sources)


def _kept_columns(table: pd.DataFrame) -> dict[str, str]:
    """Sheet column -> the event table's column that keeps it: every column but the
    template's drawn ones (dates, Display Date, Headline, Text, Group), the template's
    others when blank in every row, and the ones named as the event table's columns
    that the template holds (``title``, ``start`` ...)."""
    drawn = {_key(c) for c in SHEET_COLUMNS if c not in KEPT}
    kept_by_key = {_key(c): name for c, name in KEPT.items()}
    template = {_key(c) for c in SHEET_COLUMNS}
    out: dict[str, str] = {}
    for column in map(str, table.columns):
        name, key = column.strip(), _key(column)
        if key in drawn or name.lower() in TEMPLATE_HOLDS:
            continue
        if key in kept_by_key:
            if (table[column].astype(str).str.strip() != "").any():
                out[column] = kept_by_key[key]
        elif name.startswith(ESCAPED) and _key(name.removeprefix(ESCAPED)) in template:
            out[column] = name.removeprefix(ESCAPED)
        else:
            out[column] = name.lower() if name.lower() in EXTRA_COLUMNS else name
    return out


def read_json(document: Mapping[str, Any], name: str, options: ReadOptions) -> Dataset:
    """A parsed TimelineJS JSON timeline: ``title``, ``events[]`` and ``eras[]``.

    Raises:
        ValidationError: every problem, located by the position in ``events[]`` and the
            JSON keys.
    """
    problems: list[Problem] = []
    events_value = document.get("events", [])
    if not isinstance(events_value, list):
        events_value = []
        problems.append(Problem(name, None, "events", None, "must be a list of slides"))
    eras_value = document.get("eras") or []
    if not isinstance(eras_value, list):
        eras_value = []
        problems.append(Problem(name, None, "eras", None, "must be a list of eras"))
    title_value = document.get("title")
    title_slide = None
    if isinstance(title_value, dict):
        title_slide = _json_slide(title_value, None, "title.", name, problems)
    events = [_json_slide(e, i, "", name, problems) for i, e in enumerate(events_value, start=1)]
    eras = [_json_slide(e, None, f"eras[{i}].", name, problems) for i, e in enumerate(eras_value, start=1)]
    return _dataset(
        name,
        options,
        title_slide,
        [s for s in events if s is not None],
        [s for s in eras if s is not None],
        _JSON_SOURCE,
        problems,
    )


def _json_slide(value: Any, row: int | None, prefix: str, name: str, problems: list[Problem]) -> Slide | None:
    if not isinstance(value, dict):
        where = prefix.rstrip(".") or None
        problems.append(Problem(name, row, where, None, "is not a slide (a JSON object)"))
        return None

    def part(container: Any, key: str, column: str) -> str:
        if not isinstance(container, dict):
            return ""
        found = container.get(key)
        if isinstance(found, dict | list):
            problems.append(Problem(name, row, prefix + column, _short_json(found), "must be text or a number"))
            return ""
        return cell_text(found).strip()

    start, end = value.get("start_date"), value.get("end_date")
    text, media = value.get("text"), value.get("media")
    slide = Slide(row=row, prefix=prefix)
    # `side`, not `prefix`: part() reads `prefix` (where the slide is: "title.", "eras[2].").
    for date, side, column in ((start, "", "start_date"), (end, "end_", "end_date")):
        if isinstance(date, dict):
            for unit in ("year", "month", "day"):
                setattr(slide, side + unit, part(date, unit, f"{column}.{unit}"))
        elif date is not None and not isinstance(date, list):
            setattr(slide, side + "year", cell_text(date).strip())  # "1963" instead of {"year": "1963"}
        elif date is not None:
            problems.append(Problem(name, row, prefix + column, _short_json(date), "must be an object with a year"))
    slide.headline = part(text, "headline", "text.headline")
    slide.text = part(text, "text", "text.text")
    slide.caption = part(media, "caption", "media.caption")
    slide.group = part(value, "group", "group")
    slide.unique_id = part(value, "unique_id", "unique_id")
    slide.display_date = part(value, "display_date", "display_date") or part(
        start, "display_date", "start_date.display_date"
    )
    slide.extras = _json_kept(value)
    return slide


_JSON_USED = frozenset(
    {
        "start_date.year", "start_date.month", "start_date.day", "start_date.display_date", "start_date",
        "end_date.year", "end_date.month", "end_date.day", "end_date.display_date", "end_date",
        "text.headline", "text.text", "group", "unique_id", "display_date",
    }
)  # fmt: skip
_JSON_KEPT = {
    "media.url": "media",
    "media.caption": "media_caption",
    "media.credit": "media_credit",
    "media.thumbnail": "media_thumbnail",
    "background.url": "background",
    "background.color": "background",
}


def _json_kept(value: Mapping[str, Any]) -> dict[str, str]:
    """What a JSON slide holds beyond what is drawn, as the columns a sheet keeps it in
    (:data:`KEPT`; times from the hour, minute and second) and dotted columns for the rest."""
    flat = flatten_record(value)
    kept: dict[str, str] = {}
    for side, column in (("start_date", "time"), ("end_date", "end_time")):
        parts = [flat.pop(f"{side}.{unit}", "") for unit in ("hour", "minute", "second")]
        if parts[0]:
            numbers = [int(p) if p.isdigit() else 0 for p in parts]
            kept[column] = f"{numbers[0]:02d}:{numbers[1]:02d}" + (f":{numbers[2]:02d}" if numbers[2] else "")
    for key, cell in flat.items():
        if key in _JSON_USED:
            continue
        column = _JSON_KEPT.get(key, key)
        if column in kept and not cell:
            continue
        kept[column] = cell.strip() if column in _JSON_KEPT.values() else cell
    return kept


def _dataset(
    name: str,
    options: ReadOptions,
    title_slide: Slide | None,
    slides: Sequence[Slide],
    era_slides: Sequence[Slide],
    source: _Source,
    problems: list[Problem],
    sources: Mapping[str, str] | None = None,
) -> Dataset:
    title = ""
    if title_slide is not None:
        title = plain_text(title_slide.headline, one_line=True) or shorten(
            plain_text(title_slide.text, one_line=True), HEADLINE_FROM_TEXT
        )
    default_actor = shorten(title, ACTOR_LIMIT) or DEFAULT_ACTOR
    rows = []
    for slide in slides:
        problems += _part_problems(slide, name, source)
        start = _date_text(slide.year, slide.month, slide.day)
        end = _date_text(slide.end_year, slide.end_month, slide.end_day)
        headline = plain_text(slide.headline, one_line=True)
        summary = plain_text(slide.text)
        rows.append(
            {
                **slide.extras,
                "id": safe_id(slide.extras.get("id") or slide.unique_id) or f"row-{slide.row}",
                "start": start,
                "end": end,
                "date_text": plain_text(slide.display_date, one_line=True),
                "actor": plain_text(slide.group, one_line=True) or default_actor,
                "kind": slide.extras.get("kind") or KIND,
                "title": headline
                or shorten(summary.split("\n", 1)[0], HEADLINE_FROM_TEXT)
                or plain_text(slide.caption, one_line=True)
                or NO_HEADLINE,
                "summary": summary,
            }
        )
    eras = tuple(_era(s, name, source, options.date_order, problems) for s in era_slides)
    extras = list(dict.fromkeys(name for slide in slides for name in slide.extras))
    columns = ["id", "start", "end", "date_text", "actor", "kind", "title", "summary"]
    table = pd.DataFrame(rows, columns=[*columns, *(c for c in extras if c not in columns)]).fillna("")
    blank = [c for c in _KEPT_NAMES if c in table.columns and not (table[c].astype(str).str.strip() != "").any()]
    table = table.drop(columns=blank)  # a template column none of the events fills, as write_sheet leaves it
    events = None
    try:
        events = validate_events(
            table.astype(str),
            file=name,
            lines=[s.line or 0 for s in slides] if any(s.line for s in slides) else None,
            date_order=options.date_order,
        )
    except ValidationError as error:
        problems += [_relocate(p, slides, source) for p in error.problems]
    if problems or events is None:
        raise ValidationError(problems)
    notes = _notes(table, slides, default_actor, sources or {})
    set_aside = sorted(
        {k for s in (title_slide, *era_slides) if s is not None for k, v in s.extras.items() if v and k != "type"}
    )
    if set_aside:
        notes += (f"title and era slides: {', '.join(set_aside)} not kept (only their headlines and dates are used)",)
    return Dataset(events=events, name=name, title=title, eras=tuple(e for e in eras if e is not None), notes=notes)


def _notes(
    table: pd.DataFrame, slides: Sequence[Slide], default_actor: str, sources: Mapping[str, str]
) -> tuple[str, ...]:
    """What the reading reinterpreted or set aside, for ``timeline validate``."""
    notes = []
    marked = sum(bool(_MARKUP.search(s.headline) or _MARKUP.search(s.text)) for s in slides)
    if marked:
        notes.append(f"headline, text: HTML reduced to plain text in {counted(marked, 'slide')}")
    ungrouped = sum(not s.group for s in slides)
    if ungrouped:
        notes.append(f"group: {counted(ungrouped, 'slide')} without a group in the lane {default_actor!r}")
    for column in dict.fromkeys((*KEPT.values(), *_JSON_KEPT.values())):
        filled = int((table[column].astype(str).str.strip() != "").sum()) if column in table.columns else 0
        if filled:
            shown = sources.get(column, column)
            notes.append(f"{shown}: kept as column {column!r} in {counted(filled, 'row')} (not drawn)")
    return tuple(notes)


def _part_problems(slide: Slide, name: str, source: _Source) -> list[Problem]:
    """Dates given in parts that do not make a date: a day without a month, an end without a year."""
    found = []
    for column, year, month, day in (
        (source.start, slide.year, slide.month, slide.day),
        (source.end, slide.end_year, slide.end_month, slide.end_day),
    ):
        given = "-".join(p or "?" for p in (year, month, day))
        if day and not month:
            found.append(Problem(name, slide.row, slide.prefix + column, given, "a day needs a month", slide.line))
        elif (month or day) and not year:
            found.append(
                Problem(name, slide.row, slide.prefix + column, given, "a month or day needs a year", slide.line)
            )
    return found


def _era(slide: Slide, name: str, source: _Source, order: DateOrder | None, problems: list[Problem]) -> Era | None:
    problems += _part_problems(slide, name, source)
    start_text = _date_text(slide.year, slide.month, slide.day)
    end_text = _date_text(slide.end_year, slide.end_month, slide.end_day)
    start = _date_or_problem(start_text, order, name, slide, source.start, problems)
    end = _date_or_problem(end_text, order, name, slide, source.end, problems) if end_text else start
    if start is None or end is None:
        return None
    if end.last() < start.first():
        problems.append(
            Problem(name, slide.row, slide.prefix + source.end, end_text, "the era ends before it starts", slide.line)
        )
        return None
    label = plain_text(slide.headline or slide.text, one_line=True)
    return Era(label=label, start=start.iso(), end=end.iso())


def _date_or_problem(
    text: str, order: DateOrder | None, name: str, slide: Slide, column: str, problems: list[Problem]
) -> PartialDate | None:
    try:
        return parse_date_window(text, order).first
    except DateError as error:
        rule = "an era needs a start date" if not text else f"is not a date: {error}"
        problems.append(Problem(name, slide.row, slide.prefix + column, text, rule, slide.line))
        return None


def _relocate(problem: Problem, slides: Sequence[Slide], source: _Source) -> Problem:
    """A schema problem, told in the source's rows and column names."""
    row = problem.row
    if row is not None and 1 <= row <= len(slides):
        row = slides[row - 1].row
    column = source.columns.get(problem.column or "", problem.column)
    return dataclasses.replace(problem, row=row, column=column)


def _date_text(year: str, month: str, day: str) -> str:
    """A date from TimelineJS parts, written so :func:`timeline.dates.parse_date_window` reads it.

    Numbers give ISO text (``1963-08-09``, ``1978``); a worded month gives ``9 August 1963``.
    Thousands separators in years (``1,815``) are dropped, as TimelineJS does.
    """
    year, month, day = (re.sub(r"[\s,]+", "", p) for p in (year, month, day))
    if not year:
        return ""
    if re.fullmatch(r"-\d+", year):  # TimelineJS counts a negative year BC, with no year 0: -44 is 44 BC
        if month and _DIGITS.fullmatch(month) and 1 <= int(month) <= 12:
            month = calendar.month_name[int(month)]
        return " ".join(p for p in (day if month else "", month, year[1:] + " BC") if p)
    if not month:
        return year  # a day without a month is reported by _part_problems
    if _DIGITS.fullmatch(month) and (not day or _DIGITS.fullmatch(day)) and _DIGITS.fullmatch(year.lstrip("+-")):
        return year + f"-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    return " ".join(p for p in (day, month, year) if p)


TEMPLATE_HOLDS = ("start", "end", "date_text", "actor", "title", "summary")
"""The event table's columns that the template's own columns hold."""
EXTRA_COLUMNS = frozenset(c for c in COLUMN_NAMES if c not in TEMPLATE_HOLDS)
"""The event table's columns a sheet keeps in columns of their own, after the template's."""


def write_sheet(events: pd.DataFrame) -> pd.DataFrame:
    """Events as Knight Lab's spreadsheet template, one row per event, as text cells.

    The template's columns come first (dates in parts, ``Display Date``, ``Headline``,
    ``Text`` as HTML-escaped text, ``Group`` as the actor); then every other column of the
    event table (``id``, ``kind``, ``side``, the relations, ``status`` ...), which
    TimelineJS ignores and :func:`read_sheet` reads back.
    """

    def parts(value: str, side: str) -> tuple[str, str, str]:
        """A start's first date or an end's last as TimelineJS parts: an open side ("before
        400 BC") becomes the window it reaches, which TimelineJS can draw."""
        if not value:
            return "", "", ""
        window = parse_date_window(value)
        date = window.first if side == "start" else window.last
        year = str(date.year) if date.year >= 1 else str(date.year - 1)  # TimelineJS: -44 is 44 BC
        month = str(date.month) if date.month is not None else ""
        day = str(date.day) if date.day is not None else ""
        return year, month, day

    starts = [parts(v, "start") for v in events["start"].tolist()]
    ends = [
        parts(end or (start if start.startswith(("before ", "after ")) else ""), "end")
        for start, end in zip(events["start"].tolist(), events["end"].tolist(), strict=True)
    ]
    sheet = {column: [""] * len(events) for column in SHEET_COLUMNS}
    for i, key in enumerate(("Year", "Month", "Day")):
        sheet[key] = [p[i] for p in starts]
        sheet["End " + key] = [p[i] for p in ends]
    sheet["Display Date"] = events["date_text"].tolist()
    sheet["Headline"] = [html.escape(v, quote=False) for v in events["title"].tolist()]
    sheet["Text"] = [html.escape(v, quote=False).replace("\n", "<br>") for v in events["summary"].tolist()]
    sheet["Group"] = events["actor"].tolist()
    into_template = {
        column: template
        for template, column in KEPT.items()
        if column in events.columns
        and not (column == "type" and events[column].astype(str).str.strip().str.lower().isin(_SLIDE_TYPES).any())
    }
    for column, template in into_template.items():
        sheet[template] = events[column].astype(str).tolist()
    out = pd.DataFrame(sheet, dtype="str")
    template_keys = {_key(c) for c in SHEET_COLUMNS}
    for column in output_columns(events):
        if (column in EXTRA_COLUMNS or column not in COLUMN_NAMES) and column not in into_template:
            cells = events[column]
            name = ESCAPED + column if _key(column) in template_keys else column
            out[name] = (
                cells.map(lambda v: "true" if v else "false") if column == "approximate" else cells.astype(str)
            ).to_numpy()
    return out


def safe_id(value: str) -> str:
    """``value`` as an id: characters an id may not hold become ``-``."""
    return _ID_UNSAFE.sub("-", value.strip()).strip("-_.:")


def _short_json(value: Any) -> str:
    return shorten(repr(value))
