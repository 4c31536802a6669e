"""Readers and writers, one pair per file format, all feeding the one schema.

A reader turns bytes into a table of text cells, remembering each row's source line where
the format has lines, and hands it to :func:`timeline.schema.validate_events` through the
column mapping, so every format obeys the same rules and reports problems alike. The
other tools' layouts are recognised by their header or keys, or chosen with ``--format``:
a TimelineJS sheet or JSON timeline (:mod:`timeline.timelinejs`), a vis-timeline DataSet
(:mod:`timeline.vis`), a TimeMap sheet (:mod:`timeline.timemap`); headerless tables and
their presets are in :mod:`timeline.headerless`, nested JSON in :mod:`timeline.nested`.
What a reader reinterprets or sets aside is told in the dataset's ``notes``.

Whatever the bytes, a reader either returns a :class:`Dataset` or raises
:class:`ValidationError`: a file can be wrong, but it cannot crash the tool.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from timeline import headerless, nested, timelinejs, timemap, vis
from timeline.dataset import Dataset, Era, ReadOptions
from timeline.mapping import apply_mapping, normalise
from timeline.schema import (
    COLUMN_NAMES,
    WHITESPACE,
    Problem,
    ValidationError,
    arrow_text,
    as_records,
    cell_text,
    has_control_bytes,
    shorten,
    to_text_table,
    validate_events,
)

if TYPE_CHECKING:
    from timeline.budget import UploadLimits

DELIMITERS = (",", ";", "\t", "|")
DATA_FORMATS = ("csv", "tsv", "json", "xlsx", "parquet")
TIMELINEJS = "timelinejs"
"""Written only: Knight Lab's spreadsheet template as CSV (``*.timelinejs.csv``), read back as a CSV."""
TIMELINEJS_SUFFIX = ".timelinejs.csv"
WRITE_FORMATS = (*DATA_FORMATS, TIMELINEJS)
VIS = "vis"
TIMEMAP = "timemap"
LAYOUTS = (TIMELINEJS, VIS, TIMEMAP)
"""Other tools' layouts, recognised from the file and also chosen with ``--format``; the
file's own format (JSON, CSV, Excel ...) then comes from its extension, or its bytes."""
READ_FORMATS = (*DATA_FORMATS, *LAYOUTS)
EXPECTED = "CSV, TSV, JSON, TimelineJS, Excel .xlsx or Parquet"

# A CSV or TSV cell (or column name) a spreadsheet would run as a formula gets a leading
# apostrophe on the way out. On the way in, exactly one is removed, and only in a file the
# tool wrote (see :func:`written_by_timeline`): anyone else's text is read as it is.
# A plain number ("-33.9", "+44") is no formula and is written as it is.
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
# Control characters no spreadsheet can hold (the set openpyxl refuses); every reader
# drops them, so a table reads the same from every format.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BLANK_CELL = "^[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]*$"
"""A cell that ``str.strip()`` empties, for Arrow's regular expressions."""


def read(data: bytes, name: str, fmt: str, options: ReadOptions, limits: UploadLimits | None = None) -> Dataset:
    """Validate the bytes of a file in format ``fmt``.

    Args:
        limits: an upload's row and cell caps, checked before the cells are decoded (from
            Parquet's metadata, while streaming an xlsx sheet, counting CSV records or JSON
            items); None for no caps.

    Raises:
        ValidationError: the bytes are not a readable file of that format, its events
            break the schema, or it holds more than ``limits`` allow.
    """
    layout = fmt if fmt in LAYOUTS else None
    if layout is not None:
        fmt = "json" if layout == VIS else container_of(data, name)
    preset = _preset(options, name)
    if (preset is not None or not options.header) and fmt not in ("csv", "tsv"):
        given = f"--preset {options.preset}" if preset is not None else "--no-header"
        raise _whole_file(name, f"{given} reads CSV and TSV files, not {fmt}")
    if fmt in ("csv", "tsv"):
        delimiter = options.delimiter or (preset.delimiter if preset else None) or ("\t" if fmt == "tsv" else None)
        names = None if options.header and preset is None else (() if preset else options.columns)
        utf8 = options.encoding is None and not data.startswith(_UTF_16_32_BOMS)
        found = _fast_utf8_delimited(data, delimiter, name, limits, names) if utf8 else None
        if found is None:  # decode in Python; if the bytes were UTF-8, the fast path has had its go
            text = read_text(data, name, options.encoding)
            found = parse_delimited(text, name, delimiter, fast=not utf8, limits=limits, headerless=names)
        table, lines = found
        if names is None and written_by_timeline(table.columns):
            table = unescape_formulas(table)
            table.columns = pd.Index([unescape_formula(str(c)) for c in table.columns])
        if preset is not None:
            return _from_preset(table, name, options, lines, preset)
        return _from_table(table, name, options, lines, layout, no_header=names is not None)
    if fmt == "json":
        return _read_json(read_text(data, name, options.encoding), name, options, limits, layout)
    if fmt == "parquet":
        return _from_table(_read_parquet(data, name, limits), name, options, None, layout)
    if fmt == "xlsx":
        table, lines = _read_xlsx(data, name, limits)
        return _from_table(table, name, options, lines, layout)
    raise ValidationError(
        [Problem(name, None, None, None, f"unknown format {fmt!r}; use one of {', '.join(READ_FORMATS)}")]
    )


def container_of(data: bytes, name: str) -> str:
    """The file format holding a layout chosen with ``--format``: from the name's extension,
    else from the bytes (an xlsx is a zip, Parquet starts ``PAR1``, JSON with ``[`` or ``{``)."""
    from timeline.io import FORMATS

    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if f".{suffix}" in FORMATS and not name.lower().endswith(".txt"):
        return FORMATS[f".{suffix}"]
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    return "json" if head[:1] in (b"[", b"{") else "csv"


def _preset(options: ReadOptions, name: str) -> headerless.Preset | None:
    if options.preset is None:
        return None
    found = headerless.PRESETS.get(options.preset.lower())
    if found is None:
        raise _whole_file(name, f"unknown preset {options.preset!r}; use one of {', '.join(headerless.PRESETS)}")
    return found


def write(events: pd.DataFrame, fmt: str) -> bytes:
    """Serialise events as ``csv``, ``tsv``, ``json``, ``xlsx``, ``parquet`` or ``timelinejs``.

    Raises:
        ValueError: ``fmt`` is not one of those.
    """
    if fmt in ("csv", "tsv"):
        return _write_delimited(escape_formulas(to_text_table(events)), "\t" if fmt == "tsv" else ",")
    if fmt == "json":
        return (json.dumps({"events": as_records(events)}, ensure_ascii=False, indent=2) + "\n").encode()
    if fmt == "parquet":
        buffer = io.BytesIO()
        to_text_table(events).to_parquet(buffer, index=False)
        return buffer.getvalue()
    if fmt == "xlsx":
        return _write_xlsx(to_text_table(events))
    if fmt == TIMELINEJS:
        from timeline.timelinejs import write_sheet

        return _write_delimited(escape_formulas(write_sheet(events)), ",")
    raise ValueError(f"unknown data format {fmt!r}; use one of {', '.join(WRITE_FORMATS)}")


def written_by_timeline(header: Iterable[object]) -> bool:
    """Whether a delimited file's header is one this tool writes: the schema's columns in
    its order (:func:`write` as CSV or TSV), or Knight Lab's template columns followed by
    the schema's others (:func:`timelinejs.write_sheet`). Only such a file has its cells'
    escaping apostrophes removed on reading."""
    names = [str(c).strip() for c in header]
    own = list(COLUMN_NAMES)
    sheet = [*timelinejs.SHEET_COLUMNS, *(c for c in COLUMN_NAMES if c in timelinejs.EXTRA_COLUMNS)]
    return names[: len(own)] == own or names[: len(sheet)] == sheet


def escape_formula(value: str) -> str:
    """Neutralise a CSV cell that a spreadsheet would run as a formula (a plain number is none)."""
    return "'" + value if _FORMULA_START.match(value) and not _PLAIN_NUMBER.match(value) else value


def unescape_formula(value: str) -> str:
    """Undo :func:`escape_formula`."""
    return value[1:] if _ESCAPED_FORMULA.match(value) else value


def escape_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`escape_formula` on every cell, with array operations."""
    out = table.copy()
    for index in range(table.shape[1]):
        cells = table.iloc[:, index]
        risky = cells.str.match(_FORMULA_START.pattern.removeprefix("^"))
        if risky.any():
            risky &= ~cells.str.match(_PLAIN_NUMBER.pattern.removeprefix("^"))
            out.isetitem(index, cells.where(~risky, "'" + cells).array)
    out.columns = pd.Index([escape_formula(str(c)) for c in table.columns])  # a header can be a formula too
    return out


def unescape_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`unescape_formula` on every cell, with array operations, touching only the
    columns that have a cell starting with an apostrophe."""
    out = table
    for index in range(table.shape[1]):
        cells = table.iloc[:, index]
        quoted = cells.str.startswith("'")
        if not quoted.any():
            continue
        escaped = quoted & cells.str.match(_ESCAPED_FORMULA.pattern.removeprefix("^"))
        if escaped.any():
            out = out.copy() if out is table else out
            out.isetitem(index, cells.where(~escaped, cells.str.slice(1)).array)
    return out


def tidy_table(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells as every format reads them: line breaks as ``\\n``, no control characters;
    column names as text, stripped, a blank one named ``column N``."""
    out = pd.DataFrame({i: _clean_cells(table.iloc[:, i]) for i in range(table.shape[1])}, index=table.index)
    out.columns = [str(c).strip() or f"column {i}" for i, c in enumerate(table.columns, start=1)]
    return out


def _clean_cells(column: pd.Series) -> pd.Series:
    text = column if column.dtype == "str" else column.astype(str)
    if not has_control_bytes(text):  # no control character, no \r: nothing to clean
        return text
    text = text.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    return text.str.replace(_CONTROL.pattern, "", regex=True)


def _from_table(
    table: pd.DataFrame,
    name: str,
    options: ReadOptions,
    lines: Sequence[int] | None = None,
    layout: str | None = None,
    *,
    no_header: bool = False,
) -> Dataset:
    table = tidy_table(table)
    repeated = sorted({c for c in table.columns if list(table.columns).count(c) > 1})
    if repeated:
        raise _whole_file(name, f"the header repeats column names: {', '.join(repeated)}")
    if layout == VIS:
        raise _whole_file(name, "--format vis reads a vis-timeline DataSet in JSON")
    columns = table.columns
    if layout == TIMELINEJS or (layout is None and not options.mapping and timelinejs.is_sheet(columns)):
        return timelinejs.read_sheet(table, name, options, lines)
    if layout == TIMEMAP or (layout is None and not no_header and timemap.is_timemap(columns)):
        return _from_timemap(table, name, options, lines)
    return _validated(table, name, options, lines, hint=no_header, header=not no_header)


def _from_timemap(
    table: pd.DataFrame, name: str, options: ReadOptions, lines: Sequence[int] | None, flattened: Sequence[str] = ()
) -> Dataset:
    missing = [c for c in ("description", "date") if c not in {normalise(n) for n in table.columns}]
    if missing:
        known = shorten(", ".join(map(str, table.columns)), 200)
        raise _whole_file(name, f"a TimeMap sheet needs columns description and date; it has {known}")
    converted, mapping, notes, month_first = timemap.read(table)
    notes += flattened
    if month_first and options.date_order is None:
        options = dataclasses.replace(options, date_order="mdy")
        notes.append(
            "date: written dates read month first (MM/DD/YYYY), as TimeMap does; --date-order dmy for day first"
        )
    return _validated(converted, name, options, lines, notes, mapping={**mapping, **options.mapping}, hint=True)


def _from_preset(
    table: pd.DataFrame, name: str, options: ReadOptions, lines: Sequence[int] | None, preset: headerless.Preset
) -> Dataset:
    table = tidy_table(table)
    width = table.shape[1]
    if width < len(preset.columns):
        raise _whole_file(
            name,
            f"--preset {preset.name} reads {len(preset.columns)} columns "
            f"({shorten(', '.join(preset.columns), 120)}) separated by {_delimiter_name(preset.delimiter)}; "
            f"the first line has {width}",
        )
    table.columns = pd.Index(headerless.column_names(width, preset.columns))
    derived, notes = preset.derive(table) if preset.derive else (table, [])
    extra = table.columns[len(preset.columns) :]
    if len(extra):
        notes.append(f"{len(extra)} more columns than the preset names, kept as {extra[0]} …")
    return _validated(derived, name, options, lines, notes, mapping={**preset.mapping, **options.mapping}, hint=True)


def _validated(
    table: pd.DataFrame,
    name: str,
    options: ReadOptions,
    lines: Sequence[int] | None = None,
    notes: Sequence[str] = (),
    *,
    mapping: Mapping[str, str] | None = None,
    hint: bool = False,
    header: bool = True,
    title: str = "",
    eras: tuple[Era, ...] = (),
) -> Dataset:
    """The event table from a table of text cells, through the column mapping.

    Args:
        hint: a missing required column's problem says which ``--map`` to pass and lists
            the table's columns (for tables that are not the tool's own).
        header: the table's names came from its first line: when a required column is
            missing and a name looks like data (a date or a number), say ``--no-header``.
    """
    recognised: dict[str, str] = {}
    try:
        mapped = apply_mapping(table, name, options.mapping if mapping is None else mapping, recognised)
        events = validate_events(mapped, file=name, lines=lines, date_order=options.date_order)
    except ValidationError as error:
        missing = [p for p in error.problems if p.row is None and p.rule == MISSING]
        if not missing or not (hint or header):
            raise
        problems = list(error.problems)
        if hint:
            known = shorten(", ".join(map(str, table.columns)), 200)
            told = {
                p: dataclasses.replace(p, rule=f"{MISSING}; pass --map {p.column}=COLUMN (its columns: {known})")
                for p in missing
            }
            problems = [told.get(p, p) for p in problems]
        looks = next((str(c) for c in table.columns if _DATA_LIKE.match(str(c))), None) if header else None
        if looks is not None:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"the first line looks like data, not a header ({shorten(looks, 40)!r}): pass --no-header "
                    "(with --columns NAME,NAME,...), or --preset icews or --preset gdelt",
                )
            )
        if not hint and looks is None:
            raise
        raise ValidationError(problems) from None
    if recognised:
        pairs = ", ".join(f"{source} -> {column}" for column, source in recognised.items())
        notes = [*notes, f"columns recognised by their names: {pairs}"]
    return Dataset(events=events, name=name, title=title, eras=eras, notes=tuple(notes))


MISSING = "required column is missing"
_DATA_LIKE = re.compile(r"^(?:\d{4}-\d{2}-\d{2}.*|\d{8}|[+-]?\d+(?:\.\d+)?)$")


def _whole_file(name: str, rule: str) -> ValidationError:
    return ValidationError([Problem(name, None, None, None, rule)])


def read_text(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 or UTF-32 with BOM, or ``encoding``.

    Raises:
        ValidationError: the file is empty, binary, or not in that encoding.
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise _whole_file(name, f"unknown encoding {encoding!r}") from None
        except (UnicodeError, ValueError) as error:
            raise _whole_file(name, f"cannot decode as {encoding}: {error}") from None
        return _not_empty(text.removeprefix("\ufeff"), name)
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _not_empty(data.decode(codec), name)
            except UnicodeError:
                raise _whole_file(name, f"starts like {codec.upper()} but is not valid {codec.upper()}") from None
    if b"\x00" in data[:4096]:
        raise _whole_file(name, _binary_rule(data[:4096]))
    try:
        return _not_empty(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _whole_file(
            name,
            f"is not UTF-8: byte 0x{data[error.start]:02x} on line {line}; save it as UTF-8, "
            "or give its encoding (e.g. --encoding latin-1 on the command line)",
        ) from None


def _not_empty(text: str, name: str) -> str:
    if not text.strip():
        raise _whole_file(name, "the file is empty")
    return text


def _binary_rule(head: bytes) -> str:
    """Why a file with NUL bytes is refused, with a hint when it is UTF-16 without a BOM."""
    even, odd = head[0::2], head[1::2]
    if odd and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "looks like UTF-16 without a byte-order mark; give --encoding utf-16-le, or save it as UTF-8"
    if even and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "looks like UTF-16 without a byte-order mark; give --encoding utf-16-be, or save it as UTF-8"
    return f"is not a text file (it contains NUL bytes); expected {EXPECTED}"


def parse_delimited(
    text: str,
    name: str,
    delimiter: str | None,
    *,
    fast: bool = True,
    limits: UploadLimits | None = None,
    headerless: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, list[int]]:
    """Split CSV/TSV text into text cells, keeping each row's first source line.

    Arrow's CSV reader reads the common case; the csv module reads the rest (see
    :func:`_fast_delimited`), or everything when ``fast`` is false.

    Args:
        limits: row and cell caps, checked as the records are counted (before Arrow
            reads them, or record by record); None for none.
        headerless: the first line is data, and these name the columns (the rest are
            named ``column N``); None when the first line is the header.

    Raises:
        ValidationError: malformed quoting, rows of the wrong width, a header that repeats
            a name, or a header of one column (the delimiter is probably not the file's);
            more records than ``limits`` allow.
    """
    if delimiter is not None and not _usable_delimiter(delimiter):
        raise _whole_file(name, f"the delimiter must be one punctuation character or a tab, not {delimiter!r}")
    if fast and not text.startswith("\ufeff") and "\x00" not in text:
        try:
            encoded = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: only the careful reader can say where
            encoded = b""
        found = _fast_delimited(encoded, 0, delimiter, name, limits, headerless) if encoded else None
        if found is not None:
            return found
    header_line = text.lstrip("\ufeff").split("\n", 1)[0]
    chosen = delimiter or _sniff(header_line)
    reader = csv.reader(_lines(text), delimiter=chosen, strict=True)
    problems: list[Problem] = []
    rows: list[list[str]] = []  # the rows not yet moved into Arrow arrays, a batch at a time
    batches: list[list[pa.Array]] = []
    count = 0
    lines: list[int] = []
    header: list[str] = []
    start_line = 1
    try:
        for record in reader:
            if not header and headerless is not None and any(map(str.strip, record)):
                if len(headerless) > len(record):
                    raise _too_many_names(name, headerless, len(record))
                header = headerless_names(len(record), headerless)
            if not header:
                if headerless is None:
                    header = [h.strip() for h in record]
            elif any(map(str.strip, record)):
                if len(record) != len(header):
                    problems.append(
                        Problem(
                            name,
                            count + 1,
                            None,
                            None,
                            f"has {len(record)} cells but the header has {len(header)}",
                            start_line,
                        )
                    )
                    record = (record + [""] * len(header))[: len(header)]
                rows.append(record)
                lines.append(start_line)
                count += 1
                if limits is not None:
                    limits.check(name, count, len(header))
                if len(rows) == _BATCH_ROWS:
                    batches.append(_arrow_columns(rows, len(header)))
                    rows = []
            start_line = reader.line_num + 1
    except csv.Error as error:
        problems.append(Problem(name, count + 1, None, None, f"malformed CSV: {error}", start_line))
    if not any(header):
        problems.append(Problem(name, None, None, None, "the file has no header row"))
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        problems.append(Problem(name, None, None, None, f"the header repeats column names: {', '.join(repeated)}"))
    if len(header) == 1 and header[0] and headerless is None:
        problems.append(
            Problem(
                name,
                None,
                None,
                None,
                f"the header has a single column ({header[0][:40]!r}): the file does not seem to be "
                f"delimited by {_delimiter_name(chosen)}; give the delimiter (e.g. --delimiter ';')",
            )
        )
    if problems:
        # Past a wrong delimiter, every row has the wrong width: the header says it all.
        raise ValidationError(
            [p for p in problems if p.row is None] if len(header) == 1 and not headerless else problems
        )
    batches.append(_arrow_columns(rows, len(header)))
    cells = {i: pa.chunked_array([batch[i] for batch in batches], pa.large_string()) for i in range(len(header))}
    table = pd.DataFrame({i: pd.Series(column, dtype="str") for i, column in cells.items()})
    table.columns = pd.Index(header)
    return table, lines


_BATCH_ROWS = 50_000
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, as ``io.StringIO(text, newline="")`` gives
    them, one at a time (a StringIO of a large text holds a copy four times its size)."""
    return (match.group() for match in _LINE.finditer(text))


def _arrow_columns(rows: list[list[str]], width: int) -> list[pa.Array]:
    """Rows of text cells as one Arrow array per column (the Python strings can then go)."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]
    return [pa.array(column, pa.large_string()) for column in columns]


def headerless_names(width: int, given: Sequence[str]) -> list[str]:
    """Names for a headerless table ``width`` cells wide: ``given``, then ``column N``."""
    return headerless.column_names(width, list(given))


def _too_many_names(name: str, given: Sequence[str], width: int) -> ValidationError:
    return _whole_file(name, f"--columns names {len(given)} columns, but the first line has {width} cells")


def _usable_delimiter(delimiter: str) -> bool:
    return len(delimiter) == 1 and delimiter not in '"\r\n' and not delimiter.isalnum()


def _sniff(header_line: str) -> str:
    """The delimiter the header uses most (a comma when none is used)."""
    return max(DELIMITERS, key=lambda d: (header_line.count(d), d == ","))


_UTF_16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_UTF_8_BOM = b"\xef\xbb\xbf"
_FIELD_EDGE = np.zeros(256, dtype=bool)  # a byte that may stand beside a quote which opens or closes a cell
_FIELD_EDGE[[ord('"'), ord("\n"), ord("\r")]] = True
_CHUNK = 1 << 24


def _fast_utf8_delimited(
    data: bytes,
    delimiter: str | None,
    name: str = "",
    limits: UploadLimits | None = None,
    headerless: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, list[int]] | None:
    """:func:`parse_delimited` for UTF-8 bytes (BOM or not) without decoding them in Python,
    or None when they need the careful reader (see :func:`_fast_delimited`) or NUL bytes
    need :func:`read_text`'s verdict."""
    if b"\x00" in data:
        return None
    if delimiter is not None and not _usable_delimiter(delimiter):
        return None
    start = len(_UTF_8_BOM) if data.startswith(_UTF_8_BOM) else 0
    return _fast_delimited(data, start, delimiter, name, limits, headerless)


def _fast_delimited(
    data: bytes,
    start: int,
    delimiter: str | None,
    name: str = "",
    limits: UploadLimits | None = None,
    headerless: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, list[int]] | None:
    """The common case of :func:`parse_delimited`, read by Arrow's CSV reader at C speed.

    Each row's first line comes from where its record starts: a line break ends a record
    unless an odd number of quotes stands before it. Whatever this path cannot vouch for
    (a quote inside an unquoted cell, a lone carriage return, rows of the wrong width, a
    header that is blank, single or repeated, bytes that are not UTF-8) returns None, and
    the careful reader, which words every problem, reads the file instead. The records
    are counted, and checked against ``limits``, before Arrow reads a cell.
    """
    size = len(data) - start
    header_end = data.find(b"\n", start)
    try:
        header_line = data[start : header_end if header_end >= 0 else len(data)].decode("utf-8")
    except UnicodeDecodeError:
        return None
    chosen = delimiter or _sniff(header_line)
    if size == 0 or data.count(b"\r", start) != data.count(b"\r\n", start):
        return None  # a lone \r ends a line for the csv module: leave it the careful reader
    found = _record_lines(np.frombuffer(data, dtype=np.uint8, offset=start), ord(chosen), headerless is not None)
    if found is None:
        return None
    first_lines, quoted_breaks, header_bytes = found
    try:
        header = [h.strip() for h in next(csv.reader(_lines(header_bytes.decode("utf-8")), delimiter=chosen))]
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    if headerless is not None:
        if len(headerless) > len(header):
            return None  # the careful reader says so
        header = headerless_names(len(header), headerless)
    named = [h for h in header if h]
    if len(header) < 2 or not named or len(set(named)) != len(named):
        return None  # the careful reader words what is wrong with such a header
    if limits is not None:
        limits.check(name, len(first_lines), len(header), exact=True)
    columns = [f"f{i}" for i in range(len(header))]
    try:
        parsed = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(data)[start:]),
            read_options=pa_csv.ReadOptions(column_names=columns, block_size=_CHUNK),
            parse_options=pa_csv.ParseOptions(
                delimiter=chosen, newlines_in_values=quoted_breaks, ignore_empty_lines=True
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except pa.ArrowMemoryError:
        raise
    except pa.ArrowException:
        return None  # e.g. a row of the wrong width or bytes that are not UTF-8
    if parsed.num_rows != len(first_lines) + (headerless is None):
        return None
    if headerless is None:
        parsed = parsed.slice(1)  # the header, read as a row so that the widths are checked
    table = parsed.to_pandas()
    table.columns = pd.Index(header)
    lines = first_lines
    blank = _blank_rows(parsed)
    if blank.any():
        table = table[~blank].reset_index(drop=True)
        lines = lines[~blank]
    return table, lines.tolist()


def _record_lines(
    raw: npt.NDArray[np.uint8], delimiter: int, first_is_data: bool = False
) -> tuple[npt.NDArray[np.int64], bool, bytes] | None:
    """Where the data records of delimited bytes start: (line of each non-empty record after
    the header, or from the first with ``first_is_data``; whether a quoted cell holds a line
    break; the first record's bytes), or None when a quote stands inside an unquoted cell
    or is never closed."""
    newlines = _positions(raw, ord("\n"))
    quotes = _positions(raw, ord('"'))
    if quotes.size % 2:
        return None
    if quotes.size:
        edge = _FIELD_EDGE.copy()
        edge[delimiter] = True
        opening, closing = quotes[0::2], quotes[1::2]
        before = raw[opening[opening > 0] - 1]
        after = raw[closing[closing < raw.size - 1] + 1]
        if not (edge[before].all() and edge[after].all()):
            return None
    inside = np.searchsorted(quotes, newlines) % 2 == 1
    ends = np.flatnonzero(~inside)  # the line breaks that end a record, as indexes into newlines
    starts = np.concatenate(([0], newlines[ends] + 1))
    stops = np.concatenate((newlines[ends], [raw.size]))
    lines = np.concatenate(([1], ends + 2))
    length = stops - starts
    empty = (length == 0) | ((length == 1) & (raw[np.minimum(starts, raw.size - 1)] == ord("\r")))
    if empty[0]:
        return None  # blank lines before the header: the careful reader skips them alike
    header = raw[starts[0] : stops[0]].tobytes()
    keep = ~empty
    keep[0] = first_is_data
    return lines[keep].astype(np.int64), bool(inside.any()), header


def _positions(raw: npt.NDArray[np.uint8], byte: int) -> npt.NDArray[np.int64]:
    """Where ``byte`` occurs, found a slice at a time so that no mask the size of the file is held."""
    found = [np.flatnonzero(raw[i : i + _CHUNK] == byte) + i for i in range(0, raw.size, _CHUNK)]
    return np.concatenate(found).astype(np.int64) if found else np.zeros(0, dtype=np.int64)


def _blank_rows(table: pa.Table) -> npt.NDArray[np.bool_]:
    """Rows whose every cell ``str.strip()`` empties (the careful reader skips them)."""
    blank = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        if not blank.any():
            break
        candidates = np.flatnonzero(blank)
        cells = column.take(pa.array(candidates)) if candidates.size < table.num_rows else column
        blank[candidates] = pc.match_substring_regex(cells, _BLANK_CELL).to_numpy(zero_copy_only=False)
    return blank


def _delimiter_name(delimiter: str) -> str:
    return {"\t": "tabs", ",": "commas", ";": "semicolons", "|": "bars"}.get(delimiter, repr(delimiter))


def records_table(records: Sequence[Any], name: str) -> tuple[pd.DataFrame, list[str]]:
    """A table of text cells from JSON records, flattened by :func:`timeline.nested.flatten_records`,
    and the notes on what was flattened."""
    rows, notes = nested.flatten_records(records, name)
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return pd.DataFrame(rows, columns=list(columns), dtype="str").fillna(""), notes


def _read_json(
    text: str, name: str, options: ReadOptions, limits: UploadLimits | None = None, layout: str | None = None
) -> Dataset:
    if limits is not None:
        count_json_events(text, name, limits)
    lines_read: list[str] = []
    try:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            document = _json_lines(text, error) if error.msg == "Extra data" else None
            if document is None:
                raise
            lines_read.append(f"read as JSON Lines: one item on each of {len(document):,} lines")
    except json.JSONDecodeError as error:
        raise _whole_file(
            name, f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise _whole_file(name, "is not usable JSON: it is nested too deeply") from None
    except ValueError as error:  # e.g. an integer with thousands of digits
        raise _whole_file(name, f"is not usable JSON: {error}") from None
    if options.records is not None:
        document = nested.records_at(document, options.records, name)
    if layout == TIMELINEJS or (layout is None and isinstance(document, dict) and timelinejs.is_timelinejs(document)):
        if not isinstance(document, dict):
            raise _whole_file(name, "--format timelinejs: a TimelineJS JSON timeline is an object with events")
        return timelinejs.read_json(document, name, options)
    if layout == VIS or vis.items_of(document) is not None:
        if vis.items_of(document) is None:
            raise _whole_file(
                name, '--format vis: expected a list of items with content and start, or {"items": [...]}'
            )
        return _read_vis(document, name, options, limits)
    title = ""
    if isinstance(document, dict):
        events = document.get("events")
        if not isinstance(events, list):
            found = nested.lists_of_objects(document)
            hint = f"; its lists of items: {', '.join(found)} (pass --records {found[0]})" if found else ""
            raise _whole_file(
                name, 'a JSON object must hold a list under "events" (or be a TimelineJS or vis timeline)' + hint
            )
        given = document.get("title")
        title = given.strip() if isinstance(given, str) else ""
        document = events
    if not isinstance(document, list):
        raise _whole_file(name, 'JSON must be a list of events, an object with "events", or a TimelineJS timeline')
    if limits is not None:
        limits.check(name, len(document), 1, exact=True)
    table, notes = records_table(document, name)
    notes = lines_read + notes
    if limits is not None:
        limits.check(name, len(table), table.shape[1], exact=True)
    table = tidy_table(table)
    if layout == TIMEMAP or (layout is None and timemap.is_timemap(table.columns)):  # datasheet-server's JSON
        dataset = _from_timemap(table, name, options, None, notes)
        return dataclasses.replace(dataset, title=title)
    return _validated(table, name, options, None, notes, hint=True, title=title)


def _json_lines(text: str, error: json.JSONDecodeError) -> list[Any] | None:
    """The values of a JSON Lines text (one JSON value per line, as the Wikipedia Current
    Events dataset ships), or None when it is not one: the first line must be a whole
    object and the error must come after it. A bad later line raises its own error."""
    first_end = text.find("\n")
    if first_end < 0 or error.pos <= first_end or not text.lstrip().startswith("{"):
        return None
    values = []
    offset = 0
    for line in _lines(text):
        if line.strip():
            try:
                values.append(json.loads(line))
            except json.JSONDecodeError as bad:
                raise json.JSONDecodeError(bad.msg, text, offset + bad.pos) from None
        offset += len(line)
    return values


def _read_vis(document: Any, name: str, options: ReadOptions, limits: UploadLimits | None) -> Dataset:
    items = vis.items_of(document) or []
    if limits is not None:
        limits.check(name, len(items), 1, exact=True)
    table, eras, notes = vis.read(document, name, options.date_order)
    if limits is not None:
        limits.check(name, len(table), table.shape[1], exact=True)
    return _validated(tidy_table(table), name, options, None, notes, eras=eras)


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def count_json_events(text: str, name: str, limits: UploadLimits) -> None:
    """Check a JSON document's events against ``limits`` one item at a time, without holding
    them: the items of a top-level list, or of the list under ``"events"`` (TimelineJS too)
    or ``"items"`` (vis-timeline); the list a ``--records`` path picks is counted once read.

    Each item is decoded on its own and dropped, so the count stops at the cap and no more
    than one item is held. Columns are every key seen so far (the table has them all).
    What is not well-formed JSON is left to :func:`json.loads`, which says where.

    Raises:
        ValidationError: more rows or cells than ``limits`` allow.
    """
    decoder = json.JSONDecoder()

    def skip(at: int) -> int:
        found = _JSON_SPACE.match(text, at)
        return found.end() if found else at

    def count_items(at: int) -> int | None:  # ``at`` is the list's "["; the position after its "]"
        at = skip(at + 1)
        if text.startswith("]", at):
            return at + 1
        rows = 0
        keys: set[str] = set()
        while True:
            item, at = decoder.raw_decode(text, at)
            rows += 1
            if isinstance(item, dict):
                keys.update(item)
            limits.check(name, rows, max(len(keys), 1))
            at = skip(at)
            if text.startswith("]", at):
                return at + 1
            if not text.startswith(",", at):
                return None
            at = skip(at + 1)

    try:
        at = skip(0)
        if text.startswith("[", at):
            count_items(at)
            return
        if not text.startswith("{", at):
            return
        at = skip(at + 1)
        while not text.startswith("}", at):
            key, at = decoder.raw_decode(text, at)
            at = skip(at)
            if not isinstance(key, str) or not text.startswith(":", at):
                return
            at = skip(at + 1)
            if key in ("events", "items") and text.startswith("[", at):
                end = count_items(at)
                if end is None:
                    return
                at = end
            else:
                _, at = decoder.raw_decode(text, at)
            at = skip(at)
            if not text.startswith(",", at):
                return
            at = skip(at + 1)
    except (ValueError, RecursionError):  # malformed: json.loads words it
        return


def _read_parquet(data: bytes, name: str, limits: UploadLimits | None = None) -> pd.DataFrame:
    """The table of a Parquet file as text cells; under ``limits``, its size is checked from
    the footer's metadata (rows, columns, row groups, bytes) before a page is decoded."""
    try:
        parquet = pq.ParquetFile(pa.BufferReader(pa.py_buffer(data)))
        if limits is not None:
            check_parquet(parquet, name, limits)
        table = parquet.read()
        stored_index = {c for c in (table.schema.pandas_metadata or {}).get("index_columns", []) if isinstance(c, str)}
        kept = [i for i, field in enumerate(table.schema) if field.name not in stored_index]
        frame = pd.DataFrame({i: _parquet_text(table.column(i)) for i in kept})
        frame.columns = pd.Index([table.schema.field(i).name for i in kept])
        return frame
    except (ValidationError, MemoryError):
        raise
    except Exception as error:  # pyarrow raises many types on a damaged file; all mean unreadable
        raise _whole_file(name, f"is not a readable Parquet file: {_first_line(error)}") from None


def check_parquet(parquet: pq.ParquetFile, name: str, limits: UploadLimits) -> None:
    """Refuse a Parquet file that its metadata says is over ``limits``: rows (the footer's
    count, or its row groups' if they say more), cells (rows times the columns the table
    will have) and the bytes its column chunks take once uncompressed.

    Raises:
        ValidationError: too many rows or cells, or more bytes than the memory budget.
    """
    metadata = parquet.metadata
    groups = [metadata.row_group(i) for i in range(metadata.num_row_groups)]
    rows = max(metadata.num_rows, sum(group.num_rows for group in groups))
    schema = parquet.schema_arrow
    stored_index = {c for c in (schema.pandas_metadata or {}).get("index_columns", []) if isinstance(c, str)}
    limits.check(name, rows, len([f for f in schema if f.name not in stored_index]), exact=True)
    unpacked = sum(group.total_byte_size for group in groups)
    if unpacked > limits.memory_mb * 1024 * 1024:
        raise limits.too_big(name, f" (its columns take {unpacked / 1024 / 1024:,.0f} MB uncompressed)")


def _parquet_text(column: pa.ChunkedArray) -> pd.Series:
    """A Parquet column as text cells, as :func:`cell_text` writes each value: text, whole
    numbers and booleans with array operations, other types once per distinct value."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        return _parquet_text(column.cast(kind.value_type))
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        text = column.cast(pa.large_string())
    elif pa.types.is_boolean(kind):
        text = pc.if_else(column, "true", "false")
    elif pa.types.is_integer(kind):
        text = column.cast(pa.large_string())
    elif pa.types.is_null(kind):
        text = pa.chunked_array([pa.array([""] * len(column), pa.large_string())])
    else:
        values = column.to_pandas()
        try:
            codes, distinct = pd.factorize(values, use_na_sentinel=False)
        except TypeError:  # unhashable values (lists, maps): one at a time
            return pd.Series(values.map(cell_text), dtype="str")
        return pd.Series(pd.Series([cell_text(v) for v in distinct], dtype="str").array.take(codes))
    return pd.Series(text.fill_null(""), dtype="str")


EXCEL_MAX_ROWS = 1_048_576
"""The most rows an Excel sheet can have."""


def _read_xlsx(data: bytes, name: str, limits: UploadLimits | None = None) -> tuple[pd.DataFrame, list[int]]:
    """The first worksheet as text cells; each row's line is its spreadsheet row number.

    The sheet is streamed, a row at a time and no wider than its header, and its declared
    size is ignored: ``<dimension ref="A1:XFD1048576"/>`` would otherwise pad every row to
    16,384 cells and add empty rows up to the millionth. Under ``limits`` the reading stops
    at the row or cell cap.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise _whole_file(name, "the workbook has no worksheet")
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # a row is as long as its cells, the sheet as its rows
            first = next(iter(sheet.iter_rows(max_row=1, values_only=True)), ())
            header = [cell_text(v).strip() for v in first]
            if not any(header):
                raise _whole_file(name, "the first sheet has no header row")
            width = max(i for i, h in enumerate(header) if h) + 1
            header = header[:width]
            body: list[list[str]] = []
            lines: list[int] = []
            for line, row in enumerate(sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
                if line > EXCEL_MAX_ROWS:
                    raise _whole_file(name, f"the first sheet has more rows than Excel allows ({EXCEL_MAX_ROWS:,})")
                cells = [cell_text(v) for v in row]
                if any(c.strip() for c in cells):
                    body.append(cells)
                    lines.append(line)
                    if limits is not None:
                        limits.check(name, len(body), width)
        finally:
            book.close()
    except (ValidationError, MemoryError):
        raise
    except Exception as error:  # a damaged zip or sheet raises many types; all mean unreadable
        raise _whole_file(name, f"is not a readable Excel .xlsx file: {_first_line(error)}") from None
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise _whole_file(name, f"the header repeats column names: {', '.join(repeated)}")
    return pd.DataFrame(body, columns=header, dtype="str"), lines


def _first_line(error: Exception) -> str:
    text = str(error).strip().split("\n", 1)[0] or type(error).__name__
    return text if len(text) <= 160 else text[:159] + "…"


def _write_delimited(table: pd.DataFrame, delimiter: str) -> bytes:
    """RFC 4180 text with ``\n`` line ends. Unlike the csv module, this quotes a cell holding
    a lone ``\r`` too: left bare, the ``\r`` would end the row early for any reader."""
    specials = (delimiter, '"', "\n", "\r")

    def quoted(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in specials) else value

    def quoted_cells(cells: pd.Series) -> pa.Array:
        text = cells.astype("str")
        special = np.zeros(len(text), dtype=bool)
        for character in specials:
            special |= text.str.contains(character, regex=False).to_numpy()
        if special.any():
            text = text.where(~special, '"' + text.str.replace('"', '""', regex=False) + '"')
        return arrow_text(text)

    def text(value: str) -> pa.Scalar:
        return pa.scalar(value, pa.large_string())

    header = (delimiter.join(quoted(str(c)) for c in table.columns) or '""') + "\n"
    if table.shape[1] == 0 or table.empty:
        return (header + '""\n' * len(table)).encode()
    cells = (quoted_cells(table.iloc[:, i]) for i in range(table.shape[1]))
    rows = pc.binary_join_element_wise(*cells, text(delimiter))
    rows = pc.if_else(pc.equal(rows, text("")), text('""'), rows)  # a row of one blank cell still takes its line
    lines = pc.binary_join_element_wise(rows, text(""), text("\n"))  # each row and its line end
    _, offsets, data = lines.buffers()
    first, last = np.frombuffer(offsets, dtype=np.int64)[[lines.offset, lines.offset + len(lines)]]
    body: bytes = data.slice(int(first), int(last - first)).to_pybytes()
    return header.encode() + body


def _write_xlsx(table: pd.DataFrame) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "events"
    sheet.append([_CONTROL.sub("", str(c)) for c in table.columns])
    for row in table.itertuples(index=False):
        sheet.append([_CONTROL.sub("", str(v)) for v in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = "s"  # text stays text: a cell or column name starting with "=" is no formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
