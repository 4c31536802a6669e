"""The event table: its columns, their rules, and validation that reports every problem.

Every reader produces a table of text cells and hands it to :func:`validate_events`; the
rules live here once, declared with pandera, and nothing loads half-way: either every row
is valid, or :class:`ValidationError` lists every problem with its file, row, source line,
column, value and the rule broken.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa

from timeline.dates import PRECISIONS, DateError, DateOrder, PartialDate, parse_partial_date

KINDS: tuple[str, ...] = ("action", "statement", "claim", "denial", "report", "event")
"""Kinds of event. ``event`` is for imported data that says nothing about kind."""

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", ""})
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
RESPONDS_TO_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    """One column of the event table, as documented in the README."""

    name: str
    required: bool
    description: str


COLUMNS: tuple[Column, ...] = (
    Column("id", True, "Stable unique id: letters, digits, `_ . : -`."),
    Column(
        "start",
        True,
        "When it happened: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (also `Feb 2022`, "
        "`24 February 2022`, `12/02/2024` with a declared day/month order).",
    ),
    Column(
        "end",
        False,
        "Optional end of a span, or of the honest window of a loosely dated event; never before `start`.",
    ),
    Column(
        "precision",
        False,
        "`day`, `month` or `year`: how precisely `start` is known. "
        "Blank: read from how `start` is written; given: must agree with it.",
    ),
    Column(
        "approximate",
        False,
        "`true` when the source dates the event only loosely "
        '("shortly after", "earlier"); `start`..`end` is then the window. Default `false`.',
    ),
    Column("date_text", False, 'The date as the source phrased it ("on Sunday", "last year").'),
    Column("actor", True, "The speaker or actor; the chart draws one lane per actor."),
    Column("organisation", False, "The actor's organisation."),
    Column("side", False, "The camp the actor belongs to (lanes are grouped and coloured by side)."),
    Column(
        "target",
        False,
        "The actor acted upon (ICEWS/GDELT target, recipient); filterable like `actor`, "
        "drawn as a connector to the target's lane.",
    ),
    Column("kind", True, "One of " + ", ".join(f"`{k}`" for k in KINDS) + "."),
    Column("title", True, "Short neutral headline."),
    Column("summary", False, "Neutral summary; loaded wording only inside quotes."),
    Column("quote", False, "Verbatim words of the actor, as the source renders them."),
    Column("source", False, "The source document's id (see `seeds/index.csv`) or a cited public reference."),
    Column("source_text", False, "The sentence of the source the event rests on, verbatim."),
    Column(
        "responds_to", False, "Ids of the events this one answers, denies or reports on, separated by `;`."
    ),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
LO, HI = "lo", "hi"
"""Derived columns (not written out): the first and last day the event may cover."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located as precisely as the format allows."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    line: int | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None and self.row is not None:
            where.append(f"line {self.line} (row {self.row})")
        elif self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = ", ".join(where) + ": " + self.rule
        if self.value is not None and self.row is not None:
            text += f" (value {shorten(self.value)!r})"
        return text


class ValidationError(Exception):
    """An input that cannot load; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_order)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


def _problem_order(problem: Problem) -> tuple[int, int, str]:
    column_rank = COLUMN_NAMES.index(problem.column) if problem.column in COLUMN_NAMES else 99
    return (problem.row or 0, column_rank, problem.rule)


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to at most ``limit`` characters, ending in … when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def counted(count: int, noun: str) -> str:
    """``1 event``, ``2 events``: a count and a noun that agrees with it."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def cell_text(value: Any) -> str:
    """A cell as text: blank for null, ``true``/``false`` for booleans, ``2022`` for ``2022.0``,
    ISO for dates (``2022-02-24``, with the time only when there is one)."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat().removesuffix("T00:00:00")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _date_problem(value: str, order: DateOrder | None) -> str | None:
    try:
        parse_partial_date(value, order)
    except DateError as error:
        return str(error)
    return None


def _element(rule: str, ok: Callable[[str], bool]) -> pa.Check:
    """A check on each non-blank cell; ``rule`` is the message a failure reports."""
    return pa.Check(lambda s: s.map(lambda v: v == "" or ok(v)), error=rule)


def _blank(s: pd.Series) -> pd.Series:
    return s.str.strip() == ""


def _column_checks(order: DateOrder | None) -> dict[str, list[pa.Check]]:
    def is_date(value: str) -> bool:
        return _date_problem(value, order) is None

    not_blank = pa.Check(lambda s: ~_blank(s), error="must not be blank")
    return {
        "id": [
            not_blank,
            _element("must be letters, digits and _ . : - only", lambda v: bool(ID_PATTERN.match(v))),
        ],
        "start": [not_blank, _element("is not a date", is_date)],
        "end": [_element("is not a date", is_date)],
        "precision": [_element("must be one of " + ", ".join(PRECISIONS), lambda v: v.lower() in PRECISIONS)],
        "approximate": [_element("must be true or false", lambda v: v.lower() in TRUE_WORDS | FALSE_WORDS)],
        "actor": [not_blank],
        "kind": [not_blank, _element("must be one of " + ", ".join(KINDS), lambda v: v.lower() in KINDS)],
        "title": [not_blank],
    }


def _dates(column: pd.Series, order: DateOrder | None) -> list[PartialDate | None]:
    out: list[PartialDate | None] = []
    for value in column:
        try:
            out.append(parse_partial_date(value, order) if value else None)
        except DateError:
            out.append(None)
    return out


def _row_checks(
    order: DateOrder | None,
) -> list[tuple[str, tuple[str, ...], Callable[[pd.DataFrame], pd.Series]]]:
    """Rules across cells: (column reported, columns needed, check -> True where valid)."""

    def unique_id(df: pd.DataFrame) -> pd.Series:
        ids = df["id"].str.strip()
        return ~ids.duplicated(keep=False) | (ids == "")

    def end_after_start(df: pd.DataFrame) -> pd.Series:
        starts, ends = _dates(df["start"], order), _dates(df["end"], order)
        return pd.Series(
            [
                s is None or e is None or e.last_day() >= s.first_day()
                for s, e in zip(starts, ends, strict=True)
            ],
            index=df.index,
        )

    def precision_matches(df: pd.DataFrame) -> pd.Series:
        starts = _dates(df["start"], order)
        given = df["precision"].str.strip().str.lower()
        return pd.Series(
            [p == "" or s is None or s.precision == p for s, p in zip(starts, given, strict=True)],
            index=df.index,
        )

    def known_targets(df: pd.DataFrame) -> pd.Series:
        ids = set(df["id"].str.strip())
        return df["responds_to"].map(lambda v: all(t in ids for t in split_ids(v)))

    return [
        ("id", ("id",), unique_id),
        ("end", ("start", "end"), end_after_start),
        ("precision", ("start", "precision"), precision_matches),
        ("responds_to", ("id", "responds_to"), known_targets),
    ]


_ROW_RULES = {
    "id": "is used by more than one row",
    "end": "is before start",
    "precision": "disagrees with how start is written",
    "responds_to": "names an id that is not in the table",
}


def split_ids(value: str) -> list[str]:
    """The ids in a ``responds_to`` cell."""
    return [part.strip() for part in re.split(r"[;,\s]+", value or "") if part.strip()]


def validate_events(
    raw: pd.DataFrame,
    *,
    file: str,
    lines: Sequence[int] | None = None,
    date_order: DateOrder | None = None,
) -> pd.DataFrame:
    """Check a table of text cells against the schema and return the typed event table.

    Args:
        raw: one row per event, every cell a string (blank for missing); column names
            are matched case-insensitively, unknown columns are kept as they are.
        file: the name used in problem reports.
        lines: for each row, the line of the file it starts on, when the format has lines.
        date_order: how to read all-numeric dates such as ``12/02/2024``.

    Raises:
        ValidationError: listing every problem found, never only the first.
    """
    table = raw.copy()
    table.columns = [str(c).strip() for c in table.columns]
    renames = {c: c.lower() for c in table.columns if c.lower() in COLUMN_NAMES}
    table = table.rename(columns=renames)
    table = table.fillna("").astype(str).reset_index(drop=True)

    def locate(index: int | None) -> tuple[int | None, int | None]:
        if index is None:
            return None, None
        return index + 1, (lines[index] if lines is not None else None)

    problems: list[Problem] = []
    missing = [c for c in REQUIRED if c not in table.columns]
    problems += [Problem(file, None, c, None, "required column is missing") for c in missing]
    if table.empty:
        problems.append(Problem(file, None, None, None, "no events: the table has no rows"))
    for column in COLUMN_NAMES:
        if column not in table.columns and column not in REQUIRED:
            table[column] = ""
    present = set(table.columns)

    checks = {k: v for k, v in _column_checks(date_order).items() if k in present}
    schema = pa.DataFrameSchema(
        {name: pa.Column(str, checks=found, nullable=False) for name, found in checks.items()},
        strict=False,
    )
    try:
        schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as errors:
        problems += _from_pandera(errors.failure_cases, table, file, locate, date_order)

    for column, needs, rule in _row_checks(date_order):
        if all(n in present for n in needs):
            ok = rule(table)
            for index in ok.index[~ok.astype(bool)]:
                row, line = locate(int(index))
                value = str(table.at[index, column])
                problems.append(Problem(file, row, column, value, _ROW_RULES[column], line))

    if problems:
        raise ValidationError(problems)
    return _typed(table, date_order)


def _from_pandera(
    failures: pd.DataFrame,
    table: pd.DataFrame,
    file: str,
    locate: Callable[[int | None], tuple[int | None, int | None]],
    date_order: DateOrder | None,
) -> list[Problem]:
    problems = []
    for failure in failures.to_dict(orient="records"):
        index = None if pd.isna(failure["index"]) else int(failure["index"])
        column = str(failure["column"])
        rule = str(failure["check"])
        value = None if index is None else str(table.at[index, column])
        if rule == "is not a date" and value:
            rule = f"is not a date: {_date_problem(value, date_order)}"
        row, line = locate(index)
        problems.append(Problem(file, row, column, value, rule, line))
    return problems


def _typed(table: pd.DataFrame, order: DateOrder | None) -> pd.DataFrame:
    """Normalise valid text cells: ISO dates, lower-case enums, booleans, derived lo/hi."""
    out = table.copy()
    for column in out.columns:
        out[column] = out[column].str.strip()
    starts = [parse_partial_date(v, order) for v in out["start"]]
    ends = [parse_partial_date(v, order) if v else None for v in out["end"]]
    out["start"] = [d.iso() for d in starts]
    out["end"] = [d.iso() if d else "" for d in ends]
    out["precision"] = [d.precision for d in starts]
    out["approximate"] = out["approximate"].str.lower().isin(TRUE_WORDS)
    out["kind"] = out["kind"].str.lower()
    out["responds_to"] = out["responds_to"].map(lambda v: RESPONDS_TO_SEPARATOR.join(split_ids(v)))
    out[LO] = pd.to_datetime([d.first_day() for d in starts]).astype("datetime64[us]")
    out[HI] = pd.to_datetime([(e or s).last_day() for s, e in zip(starts, ends, strict=True)]).astype(
        "datetime64[us]"
    )
    ordered = [
        *COLUMN_NAMES,
        *(c for c in out.columns if c not in COLUMN_NAMES and c not in (LO, HI)),
        LO,
        HI,
    ]
    return out[ordered]


def output_columns(events: pd.DataFrame) -> list[str]:
    """The columns written out: the schema's, then any extra columns the input had."""
    return [*COLUMN_NAMES, *(c for c in events.columns if c not in COLUMN_NAMES and c not in (LO, HI))]


def to_text_table(events: pd.DataFrame) -> pd.DataFrame:
    """The event table as text cells, ready to write to any format."""
    out = events[output_columns(events)].copy()
    out["approximate"] = out["approximate"].map(lambda v: "true" if v else "false")
    return out.astype(str)


def as_records(events: pd.DataFrame) -> list[dict[str, Any]]:
    """Events as JSON-ready dicts with the schema's columns (``approximate`` a boolean)."""
    out = events[output_columns(events)]
    return [{str(k): v for k, v in r.items()} for r in out.to_dict(orient="records")]
