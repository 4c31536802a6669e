"""The event table: its columns, their rules, and validation that reports every problem.

Every reader produces a table of text cells and hands it to :func:`validate_events`; the
rules live here once, declared with pandera, and nothing loads half-way: either every row
is valid, or :class:`ValidationError` lists every problem with its file, row, source line,
column, value and the rule broken.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from timeline.dates import PRECISIONS, DateColumn, DateOrder, parse_dates
from timeline.threads import RELATION_NAMES, RELATIONS, SEPARATOR, link_problems, split_ids

with warnings.catch_warnings():
    # With pyspark installed, pandera tries pyspark.pandas on import and again when its first
    # schema runs; under pandas 3 that warns (then fails, harmlessly). Nothing here uses
    # pyspark: keep the warning from breaking every import, and run a first schema now.
    warnings.filterwarnings("ignore", "PySpark does not yet fully support", FutureWarning)
    import pandera.pandas as pandera

    pandera.DataFrameSchema({}).validate(pd.DataFrame())

KINDS: tuple[str, ...] = ("action", "statement", "claim", "denial", "report", "event")
"""Kinds of event. ``event`` is for imported data that says nothing about kind."""

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", ""})
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
RESPONDS_TO_SEPARATOR = SEPARATOR
STATUSES: tuple[str, ...] = ("unverified", "disputed", "confirmed", "false")
"""Claim statuses, as whoever assessed the claim puts it (``status_by``), never the tool's own."""
ASSESSED = frozenset({"disputed", "confirmed", "false"})
"""Statuses that someone must have given: ``status_by`` names them."""


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
    *(Column(r.name, False, r.description) for r in RELATIONS),
    Column(
        "status",
        False,
        "Claim status: " + ", ".join(f"`{s}`" for s in STATUSES) + ", in the voice of whoever says so "
        "(`status_by`); blank when nobody has assessed it.",
    ),
    Column("status_by", False, "Who gives the status (required with `disputed`, `confirmed` and `false`)."),
    Column("status_source", False, "Where they say so: a source document's id or a cited reference with its URL."),
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


# ---------------------------------------------------------------- the rules, declared once

NOT_BLANK = "must not be blank"
NOT_A_DATE = "is not a date"
ENDS_ONLY = "is an end (ongoing or present), not a start"
ID_CELL = r"[A-Za-z0-9][A-Za-z0-9_.:-]*\n?"
"""A valid id cell, for ``fullmatch`` (what ``ID_PATTERN.match`` accepts, its ``$`` allowing one final newline)."""
_ONE_ID = r"[A-Za-z0-9_.:-]*"  # a responds_to cell with nothing to split
_ASCII_IDS = r"[A-Za-z0-9_.:;, \t\n\r-]*"  # ids and separators that need no Unicode-aware split


@dataclass(frozen=True)
class _Facts:
    """What the rules and the typed table share, worked out once per table: every column
    stripped, each date column parsed, each relation cell as its ids joined by ``;``."""

    stripped: dict[str, pd.Series]
    dates: dict[str, DateColumn]
    links: dict[str, pd.Series]

    @classmethod
    def of(cls, table: pd.DataFrame, order: DateOrder | None) -> _Facts:
        present = set(table.columns)
        return cls(
            stripped={c: _stripped(table[c]) for c in table.columns},
            dates={c: parse_dates(table[c], order) for c in ("start", "end") if c in present},
            links={c: _joined_ids(table[c]) for c in RELATION_NAMES if c in present},
        )

    @functools.cached_property
    def repeated_ids(self) -> npt.NDArray[np.bool_]:
        """Per row: another row has the same non-blank id."""
        ids = self.stripped["id"]
        repeated: npt.NDArray[np.bool_] = (ids.duplicated(keep=False) & (ids != "")).to_numpy()
        return repeated


def _joined_ids(cells: pd.Series) -> pd.Series:
    """Each relation cell as ``;``-joined :func:`split_ids`, with array operations where
    the cell is plain ASCII and :func:`split_ids` once per distinct other text."""
    simple = cells.str.fullmatch(_ONE_ID)
    if simple.all():
        return cells
    out = cells.copy()
    ascii_ids = ~simple & cells.str.fullmatch(_ASCII_IDS)
    out[ascii_ids] = cells[ascii_ids].str.replace(r"[;,\t\n\r ]+", RESPONDS_TO_SEPARATOR, regex=True).str.strip(";")
    other = ~simple & ~ascii_ids
    if other.any():
        texts = cells[other]
        joined = {v: RESPONDS_TO_SEPARATOR.join(split_ids(v)) for v in texts.unique()}
        out[other] = texts.map(joined)
    return out


def arrow_text(cells: pd.Series) -> pa.Array:
    """Text cells as one Arrow ``large_string`` array (the text itself is not copied)."""
    found = pa.array(cells, type=pa.large_string())
    return found.combine_chunks() if isinstance(found, pa.ChunkedArray) else found


WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
"""What ``str.strip()`` strips, and Arrow's trim too (no character past U+3000 is whitespace)."""
_FIRST_OF_SPACE = np.zeros(256, dtype=bool)  # the first UTF-8 byte of a whitespace character
_FIRST_OF_SPACE[[c.encode()[0] for c in WHITESPACE]] = True
_LAST_OF_SPACE = np.zeros(256, dtype=bool)  # and its last byte
_LAST_OF_SPACE[[c.encode()[-1] for c in WHITESPACE]] = True


def _utf8_chunks(cells: pd.Series) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]]:
    """A text column's UTF-8 as Arrow holds it, a chunk at a time, without copying: each
    chunk's offsets (cell ``i`` is ``data[offsets[i]:offsets[i + 1]]``) and data."""
    found = pa.array(cells)
    for chunk in found.chunks if isinstance(found, pa.ChunkedArray) else [found]:
        if not pa.types.is_large_string(chunk.type):
            chunk = chunk.cast(pa.large_string())
        _, offsets_buffer, data = chunk.buffers()
        offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
        yield offsets, (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8))


def has_control_bytes(cells: pd.Series, allowed: bytes = b"\t\n") -> bool:
    """Whether any cell holds an ASCII control character other than ``allowed``: a pass over
    the column's bytes, with no work per cell (no other character has such a byte)."""
    for offsets, data in _utf8_chunks(cells):
        values = data[offsets[0] : offsets[-1]] if len(offsets) else data[:0]
        if np.count_nonzero(values < 0x20) > sum(np.count_nonzero(values == b) for b in allowed):
            return True
    return False


def _maybe_padded(cells: pd.Series) -> npt.NDArray[np.bool_]:
    """Per cell: it may start or end with whitespace, judged by its first and last byte alone."""
    found = []
    for offsets, data in _utf8_chunks(cells):
        starts, stops = offsets[:-1], offsets[1:]
        filled = stops > starts
        edge = np.zeros(len(starts), dtype=bool)
        edge[filled] = _FIRST_OF_SPACE[data[starts[filled]]] | _LAST_OF_SPACE[data[stops[filled] - 1]]
        found.append(edge)
    return np.concatenate(found) if found else np.zeros(0, dtype=bool)


def _where(cells: pd.Series, ok: npt.NDArray[np.bool_] | pd.Series) -> pd.Series:
    return pd.Series(np.asarray(ok, dtype=bool), index=cells.index)


def _schema(present: set[str], facts: _Facts) -> pandera.DataFrameSchema:
    """The event table's rules, by the column each is reported on: first the cell rules,
    then the named rules across cells and rows (end after start, unique ids ...)."""

    def check(rule: str, ok: Callable[[pd.Series], Any], name: str | None = None) -> pandera.Check:
        return pandera.Check(lambda s: _where(s, ok(s)), error=rule, name=name)

    def blank_or(rule: str, ok: Callable[[pd.Series], Any]) -> pandera.Check:
        return check(rule, lambda s: (s == "") | ok(s))

    def is_date(column: str) -> pandera.Check:
        return check(NOT_A_DATE, lambda s: ~facts.dates[column].is_bad, name="is_date")

    def end_after_start(_: pd.Series) -> npt.NDArray[np.bool_]:
        start, end = facts.dates["start"], facts.dates["end"]
        both = start.is_date & end.is_date
        return ~both | (end.last_day() >= start.first_day())

    def precision_agrees(given: pd.Series) -> pd.Series:
        start = facts.dates["start"]
        wanted = facts.stripped[str(given.name)].str.lower()
        return (wanted == "") | ~start.is_date | (wanted == start.precision())

    def unique_ids(_: pd.Series) -> npt.NDArray[np.bool_]:
        return ~facts.repeated_ids

    def status_given_by(given: pd.Series) -> pd.Series:
        status = facts.stripped["status"].str.lower()
        return ~status.isin(ASSESSED) | (facts.stripped[str(given.name)] != "")

    not_blank = check(NOT_BLANK, lambda s: facts.stripped[str(s.name)] != "", name="not_blank")
    rules: dict[str, list[pandera.Check]] = {
        "id": [not_blank, blank_or("must be letters, digits and _ . : - only", lambda s: s.str.fullmatch(ID_CELL))],
        "start": [
            not_blank,
            is_date("start"),
            check(ENDS_ONLY, lambda s: facts.dates["start"].opens() != "present", name="ends_only"),
        ],
        "end": [is_date("end")],
        "precision": [blank_or("must be one of " + ", ".join(PRECISIONS), lambda s: s.str.lower().isin(PRECISIONS))],
        "approximate": [check("must be true or false", lambda s: s.str.lower().isin(TRUE_WORDS | FALSE_WORDS))],
        "actor": [not_blank],
        "kind": [not_blank, blank_or("must be one of " + ", ".join(KINDS), lambda s: s.str.lower().isin(KINDS))],
        "title": [not_blank],
        "status": [
            blank_or("must be one of " + ", ".join(STATUSES), lambda s: s.str.strip().str.lower().isin(STATUSES))
        ],
    }
    across: list[tuple[str, tuple[str, ...], pandera.Check]] = [
        ("id", ("id",), check("is used by more than one row", unique_ids, name="unique_id")),
        ("end", ("start", "end"), check("is before start", end_after_start, name="end_after_start")),
        ("precision", ("start", "precision"), check(
            "disagrees with how start is written", precision_agrees, name="precision_agrees"
        )),
        ("status_by", ("status", "status_by"), check(
            "must name who says so when status is " + ", ".join(sorted(ASSESSED)), status_given_by, name="status_by"
        )),
    ]  # fmt: skip
    for column, needs, rule in across:
        if present.issuperset(needs):
            rules.setdefault(column, []).append(rule)
    return pandera.DataFrameSchema(
        {name: pandera.Column(str, checks=found, nullable=False) for name, found in rules.items() if name in present},
        strict=False,
    )


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
    names = [str(c).strip() for c in raw.columns]
    names = [n.lower() if n.lower() in COLUMN_NAMES else n for n in names]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        rule = f"the header repeats column names: {', '.join(repeated)}"
        raise ValidationError([Problem(file, None, None, None, rule)])
    table = pd.DataFrame({n: _text(raw.iloc[:, i]) for i, n in enumerate(names)}, index=pd.RangeIndex(len(raw)))

    problems: list[Problem] = []
    missing = [c for c in REQUIRED if c not in table.columns]
    problems += [Problem(file, None, c, None, "required column is missing") for c in missing]
    if table.empty:
        problems.append(Problem(file, None, None, None, "no events: the table has no rows"))
    for column in COLUMN_NAMES:
        if column not in table.columns and column not in REQUIRED:
            table[column] = pd.Series("", index=table.index, dtype="str")

    facts = _Facts.of(table, date_order)
    try:
        _schema(set(table.columns), facts).validate(table, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        problems += _from_pandera(errors.failure_cases, table, file, lines, facts)
    if "id" in table.columns:
        problems += [
            Problem(
                file,
                p.row + 1,
                p.column,
                table[p.column].iloc[p.row],
                p.rule,
                lines[p.row] if lines is not None else None,
            )
            for p in link_problems(facts.stripped["id"], facts.links)
        ]
    if problems:
        raise ValidationError(problems)
    return _typed(table, facts)


def _text(column: pd.Series) -> pd.Series:
    """A column as text cells, blank for missing."""
    if column.dtype == "str" and not column.hasnans:
        return column.reset_index(drop=True)
    return column.fillna("").astype(str).reset_index(drop=True)


def _from_pandera(
    failures: pd.DataFrame,
    table: pd.DataFrame,
    file: str,
    lines: Sequence[int] | None,
    facts: _Facts,
) -> list[Problem]:
    problems = []
    for (column, rule), group in failures.groupby(["column", "check"], sort=False, dropna=False):
        column, rule = str(column), str(rule)
        known = group["index"].notna()
        problems += [Problem(file, None, column, None, rule) for _ in range(int((~known).sum()))]
        rows = group["index"][known].astype(np.int64).to_numpy()
        values = table[column].take(rows).tolist()
        for row, value in zip(rows.tolist(), values, strict=True):
            told = f"{rule}: {facts.dates[column].error(row)}" if rule == NOT_A_DATE else rule
            problems.append(Problem(file, row + 1, column, value, told, lines[row] if lines is not None else None))
    return problems


def _typed(table: pd.DataFrame, facts: _Facts) -> pd.DataFrame:
    """Normalise valid text cells: ISO dates, lower-case enums, booleans, derived lo/hi."""
    start, end = facts.dates["start"], facts.dates["end"]
    out = dict(facts.stripped)
    out["start"] = start.iso()
    out["end"] = end.as_end().where(end.is_date, start.implied_ends())
    out["precision"] = start.precision()
    out["approximate"] = out["approximate"].str.lower().isin(TRUE_WORDS) | start.is_approximate() | end.is_approximate()
    out["date_text"] = _wording(facts, out["date_text"])
    out["kind"] = out["kind"].str.lower()
    out.update(facts.links)
    out["status"] = out["status"].str.lower()
    out[LO] = pd.Series(start.first_day().astype("datetime64[us]"))
    out[HI] = pd.Series(np.where(end.is_date, end.last_day(), start.last_day()).astype("datetime64[us]"))
    ordered = [*COLUMN_NAMES, *(c for c in out if c not in COLUMN_NAMES and c not in (LO, HI)), LO, HI]
    return pd.DataFrame({c: out[c] for c in ordered}, index=table.index)


def _wording(facts: _Facts, given: pd.Series) -> pd.Series:
    """``date_text``, with the start and end as written where the table rewrites a form whose
    wording it would lose (circa, between, before, after, decades, centuries, BC, ongoing)."""
    start, end = facts.dates["start"], facts.dates["end"]
    reworded = np.zeros(len(given), dtype=bool)
    for column, dates in (("start", start), ("end", end)):
        rewritten = (facts.stripped[column] != (dates.iso() if column == "start" else dates.as_end())).to_numpy()
        bc = dates.first_day() < np.datetime64("0001-01-01")
        loses = dates.is_approximate() | (dates.opens() != "").to_numpy() | bc
        reworded |= dates.is_date & rewritten & loses
    if not reworded.any():
        return given
    written_start, written_end = facts.stripped["start"], facts.stripped["end"]
    both = written_start + " – " + written_end
    wording = both.where(end.is_date, written_start)
    return given.where(~(reworded & (given == "").to_numpy()), wording)


def _stripped(cells: pd.Series) -> pd.Series:
    """The cells without surrounding whitespace; the same column when there is none to strip
    (told from the cells whose first or last byte could be whitespace, mostly none)."""
    suspects = cells[_maybe_padded(cells)]
    if (suspects.str.strip().str.len() == suspects.str.len()).all():
        return cells
    return cells.str.strip()


def output_columns(events: pd.DataFrame) -> list[str]:
    """The columns written out: the schema's, then any extra columns the input had."""
    return [*COLUMN_NAMES, *(c for c in events.columns if c not in COLUMN_NAMES and c not in (LO, HI))]


def to_text_table(events: pd.DataFrame) -> pd.DataFrame:
    """The event table as text cells, ready to write to any format."""
    out = events[output_columns(events)].copy()
    out["approximate"] = pd.Series(np.where(out["approximate"].astype(bool), "true", "false"), index=out.index)
    return out.astype(str)


def as_records(events: pd.DataFrame) -> list[dict[str, Any]]:
    """Events as JSON-ready dicts with the schema's columns (``approximate`` a boolean)."""
    out = events[output_columns(events)]
    return [{str(k): v for k, v in r.items()} for r in out.to_dict(orient="records")]
