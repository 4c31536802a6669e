"""Readers and writers, one pair per file format, all feeding the one schema.

A reader turns bytes into a table of text cells, remembering each row's source line where
the format has lines, and hands it to :func:`timeline.schema.validate_events` through the
column mapping, so every format obeys the same rules and reports problems alike. A
TimelineJS sheet or JSON timeline is recognised by its header or keys and read by
:mod:`timeline.timelinejs` instead.

Whatever the bytes, a reader either returns a :class:`Dataset` or raises
:class:`ValidationError`: a file can be wrong, but it cannot crash the tool.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from timeline import timelinejs
from timeline.dataset import Dataset, ReadOptions
from timeline.mapping import apply_mapping
from timeline.schema import (
    Problem,
    ValidationError,
    as_records,
    cell_text,
    to_text_table,
    validate_events,
)

DELIMITERS = (",", ";", "\t", "|")
DATA_FORMATS = ("csv", "tsv", "json", "xlsx", "parquet")
EXPECTED = "CSV, TSV, JSON, TimelineJS, Excel .xlsx or Parquet"

# A cell a spreadsheet would run as a formula gets a leading apostrophe on the way out,
# and loses exactly one on the way in, so exported CSV is safe and still round-trips.
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")
# Control characters no spreadsheet can hold (the set openpyxl refuses); every reader
# drops them, so a table reads the same from every format.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NEEDS_CLEANING = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r]")


def read(data: bytes, name: str, fmt: str, options: ReadOptions) -> Dataset:
    """Validate the bytes of a file in format ``fmt``.

    Raises:
        ValidationError: the bytes are not a readable file of that format, or its events
            break the schema.
    """
    if fmt in ("csv", "tsv"):
        text = read_text(data, name, options.encoding)
        delimiter = options.delimiter or ("\t" if fmt == "tsv" else None)
        table, lines = parse_delimited(text, name, delimiter)
        return _from_table(table.map(unescape_formula), name, options, lines)
    if fmt == "json":
        return _read_json(read_text(data, name, options.encoding), name, options)
    if fmt == "parquet":
        return _from_table(_read_parquet(data, name), name, options)
    if fmt == "xlsx":
        table, lines = _read_xlsx(data, name)
        return _from_table(table, name, options, lines)
    raise ValidationError(
        [Problem(name, None, None, None, f"unknown format {fmt!r}; use one of {', '.join(DATA_FORMATS)}")]
    )


def write(events: pd.DataFrame, fmt: str) -> bytes:
    """Serialise events as ``csv``, ``tsv``, ``json``, ``xlsx`` or ``parquet``.

    Raises:
        ValueError: ``fmt`` is not one of those.
    """
    if fmt in ("csv", "tsv"):
        return _write_delimited(to_text_table(events).map(escape_formula), "\t" if fmt == "tsv" else ",")
    if fmt == "json":
        return (json.dumps({"events": as_records(events)}, ensure_ascii=False, indent=2) + "\n").encode()
    if fmt == "parquet":
        buffer = io.BytesIO()
        to_text_table(events).to_parquet(buffer, index=False)
        return buffer.getvalue()
    if fmt == "xlsx":
        return _write_xlsx(to_text_table(events))
    raise ValueError(f"unknown data format {fmt!r}; use one of {', '.join(DATA_FORMATS)}")


def escape_formula(value: str) -> str:
    """Neutralise a CSV cell that a spreadsheet would run as a formula."""
    return "'" + value if _FORMULA_START.match(value) else value


def unescape_formula(value: str) -> str:
    """Undo :func:`escape_formula`."""
    return value[1:] if _ESCAPED_FORMULA.match(value) else value


def tidy_table(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells as every format reads them: line breaks as ``\\n``, no control characters;
    column names as text, stripped, a blank one named ``column N``."""
    out = pd.DataFrame({i: _clean_cells(table.iloc[:, i]) for i in range(table.shape[1])}, index=table.index)
    out.columns = [str(c).strip() or f"column {i}" for i, c in enumerate(table.columns, start=1)]
    return out


def _clean_cells(column: pd.Series) -> pd.Series:
    text = column.astype(str)
    if not text.str.contains(_NEEDS_CLEANING).any():
        return text
    text = text.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    return text.str.replace(_CONTROL, "", regex=True)


def _from_table(table: pd.DataFrame, name: str, options: ReadOptions, lines: Sequence[int] | None = None) -> Dataset:
    table = tidy_table(table)
    repeated = sorted({c for c in table.columns if list(table.columns).count(c) > 1})
    if repeated:
        raise _whole_file(name, f"the header repeats column names: {', '.join(repeated)}")
    if not options.mapping and timelinejs.is_sheet(table.columns):
        return timelinejs.read_sheet(table, name, options, lines)
    return _validated(table, name, options, lines)


def _validated(table: pd.DataFrame, name: str, options: ReadOptions, lines: Sequence[int] | None = None) -> Dataset:
    mapped = apply_mapping(table, name, options.mapping)
    events = validate_events(mapped, file=name, lines=lines, date_order=options.date_order)
    return Dataset(events=events, name=name)


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


def parse_delimited(text: str, name: str, delimiter: str | None) -> tuple[pd.DataFrame, list[int]]:
    """Split CSV/TSV text into text cells, keeping each row's first source line.

    Raises:
        ValidationError: malformed quoting, rows of the wrong width, a header that repeats
            a name, or a header of one column (the delimiter is probably not the file's).
    """
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n' or delimiter.isalnum()):
        raise _whole_file(name, f"the delimiter must be one punctuation character or a tab, not {delimiter!r}")
    header_line = text.lstrip("\ufeff").split("\n", 1)[0]
    chosen = delimiter or max(DELIMITERS, key=lambda d: (header_line.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=chosen, strict=True)
    problems: list[Problem] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] = []
    start_line = 1
    try:
        for record in reader:
            if not header:
                header = [h.strip() for h in record]
            elif any(cell.strip() for cell in record):
                if len(record) != len(header):
                    problems.append(
                        Problem(
                            name,
                            len(rows) + 1,
                            None,
                            None,
                            f"has {len(record)} cells but the header has {len(header)}",
                            start_line,
                        )
                    )
                    record = (record + [""] * len(header))[: len(header)]
                rows.append(record)
                lines.append(start_line)
            start_line = reader.line_num + 1
    except csv.Error as error:
        problems.append(Problem(name, len(rows) + 1, None, None, f"malformed CSV: {error}", start_line))
    if not any(header):
        problems.append(Problem(name, None, None, None, "the file has no header row"))
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        problems.append(Problem(name, None, None, None, f"the header repeats column names: {', '.join(repeated)}"))
    if len(header) == 1 and header[0]:
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
        raise ValidationError([p for p in problems if p.row is None] if len(header) == 1 else problems)
    return pd.DataFrame(rows, columns=header, dtype="str"), lines


def _delimiter_name(delimiter: str) -> str:
    return {"\t": "tabs", ",": "commas", ";": "semicolons", "|": "bars"}.get(delimiter, repr(delimiter))


def records_table(records: Sequence[Any], name: str) -> pd.DataFrame:
    """A table of text cells from JSON records (objects of scalars; a list of ids is joined by ``;``)."""
    problems: list[Problem] = []
    rows: list[dict[str, str]] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(Problem(name, number, None, None, "is not an object"))
            continue
        row: dict[str, str] = {}
        for key, value in record.items():
            if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
                row[str(key)] = ";".join(cell_text(v) for v in value)
            elif isinstance(value, dict | list):
                problems.append(
                    Problem(name, number, str(key), json.dumps(value)[:60], "must be text, a number or true/false")
                )
            else:
                row[str(key)] = cell_text(value)
        rows.append(row)
    if problems:
        raise ValidationError(problems)
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return pd.DataFrame(rows, columns=list(columns), dtype="str").fillna("")


def _read_json(text: str, name: str, options: ReadOptions) -> Dataset:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _whole_file(
            name, f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise _whole_file(name, "is not usable JSON: it is nested too deeply") from None
    except ValueError as error:  # e.g. an integer with thousands of digits
        raise _whole_file(name, f"is not usable JSON: {error}") from None
    if isinstance(document, dict):
        if timelinejs.is_timelinejs(document):
            return timelinejs.read_json(document, name, options)
        events = document.get("events")
        if not isinstance(events, list):
            raise _whole_file(name, 'a JSON object must hold a list under "events" (or be a TimelineJS timeline)')
        dataset = _validated(tidy_table(records_table(events, name)), name, options)
        title = document.get("title")
        return Dataset(dataset.events, name, title=title.strip() if isinstance(title, str) else "")
    if isinstance(document, list):
        return _validated(tidy_table(records_table(document, name)), name, options)
    raise _whole_file(name, 'JSON must be a list of events, an object with "events", or a TimelineJS timeline')


def _read_parquet(data: bytes, name: str) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(io.BytesIO(data))
        return frame.map(cell_text).astype(str)
    except Exception as error:  # pyarrow raises many types on a damaged file; all mean unreadable
        raise _whole_file(name, f"is not a readable Parquet file: {_first_line(error)}") from None


def _read_xlsx(data: bytes, name: str) -> tuple[pd.DataFrame, list[int]]:
    """The first worksheet as text cells; each row's line is its spreadsheet row number."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise _whole_file(name, "the workbook has no worksheet")
            rows = [[cell_text(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    except ValidationError:
        raise
    except Exception as error:  # a damaged zip or sheet raises many types; all mean unreadable
        raise _whole_file(name, f"is not a readable Excel .xlsx file: {_first_line(error)}") from None
    header = [h.strip() for h in rows[0]] if rows else []
    if not any(header):
        raise _whole_file(name, "the first sheet has no header row")
    width = max(i for i, h in enumerate(header) if h) + 1
    body = [(i + 2, (r + [""] * width)[:width]) for i, r in enumerate(rows[1:]) if any(c.strip() for c in r)]
    table = pd.DataFrame([r for _, r in body], columns=header[:width], dtype="str")
    repeated = sorted({h for h in header[:width] if h and header.count(h) > 1})
    if repeated:
        raise _whole_file(name, f"the header repeats column names: {', '.join(repeated)}")
    return table, [line for line, _ in body]


def _first_line(error: Exception) -> str:
    text = str(error).strip().split("\n", 1)[0] or type(error).__name__
    return text if len(text) <= 160 else text[:159] + "…"


def _write_delimited(table: pd.DataFrame, delimiter: str) -> bytes:
    """RFC 4180 text with ``\n`` line ends. Unlike the csv module, this quotes a cell holding
    a lone ``\r`` too: left bare, the ``\r`` would end the row early for any reader."""
    specials = (delimiter, '"', "\n", "\r")

    def quoted(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in specials) else value

    rows = [list(map(str, table.columns)), *(list(row) for row in table.itertuples(index=False))]
    lines = [delimiter.join(quoted(c) for c in row) or '""' for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _write_xlsx(table: pd.DataFrame) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "events"
    sheet.append([_CONTROL.sub("", str(c)) for c in table.columns])
    for row in table.itertuples(index=False):
        sheet.append([_CONTROL.sub("", str(v)) for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.data_type = "s"  # text stays text: a cell starting with "=" is no formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
