"""Readers and writers, one pair per file format, all feeding the one schema.

A reader turns bytes into a table of text cells, remembering each row's source line where
the format has lines, and hands it to :func:`timeline.schema.validate_events` through the
column mapping, so every format obeys the same rules and reports problems alike.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from timeline.dataset import Dataset, ReadOptions
from timeline.mapping import apply_mapping
from timeline.schema import (
    Problem,
    ValidationError,
    as_records,
    to_text_table,
    validate_events,
)

DELIMITERS = (",", ";", "\t", "|")
DATA_FORMATS = ("csv", "tsv", "json", "xlsx", "parquet")

# A cell a spreadsheet would run as a formula gets a leading apostrophe on the way out,
# and loses exactly one on the way in, so exported CSV is safe and still round-trips.
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")


def read(data: bytes, name: str, fmt: str, options: ReadOptions) -> Dataset:
    """Validate the bytes of a file in format ``fmt``."""
    if fmt in ("csv", "tsv"):
        text = read_text(data, name, options.encoding)
        delimiter = options.delimiter or ("\t" if fmt == "tsv" else None)
        table, lines = parse_delimited(text, name, delimiter)
        table = table.map(unescape_formula)
        return _validated(table, name, options, lines)
    if fmt == "json":
        return _read_json(read_text(data, name, options.encoding), name, options)
    if fmt == "parquet":
        return _validated(_read_parquet(data, name), name, options)
    if fmt == "xlsx":
        table, lines = _read_xlsx(data, name)
        return _validated(table, name, options, lines)
    raise ValidationError([Problem(name, None, None, None, f"unknown format {fmt!r}")])


def write(events: pd.DataFrame, fmt: str) -> bytes:
    """Serialise events as ``csv``, ``tsv``, ``json``, ``xlsx`` or ``parquet``."""
    if fmt in ("csv", "tsv"):
        table = to_text_table(events).map(escape_formula)
        return table.to_csv(index=False, sep="\t" if fmt == "tsv" else ",", lineterminator="\n").encode()
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


def _validated(
    table: pd.DataFrame, name: str, options: ReadOptions, lines: Sequence[int] | None = None
) -> Dataset:
    mapped = apply_mapping(table, name, options.mapping)
    events = validate_events(mapped, file=name, lines=lines, date_order=options.date_order)
    return Dataset(events=events, name=name)


def read_text(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, or ``encoding``."""
    if not data.strip():
        raise ValidationError([Problem(name, None, None, None, "the file is empty")])
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as error:
            raise ValidationError(
                [Problem(name, None, None, None, f"cannot decode as {encoding}: {error}")]
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationError(
                [Problem(name, None, None, None, "starts like UTF-16 but is not valid UTF-16")]
            ) from None
    if b"\x00" in data[:4096]:
        raise ValidationError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    "is not a text file (it contains NUL bytes); expected "
                    "CSV, TSV, JSON, Excel .xlsx or Parquet",
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValidationError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"is not UTF-8: byte 0x{data[error.start]:02x} on line {line}; save it as UTF-8, "
                    "or give its encoding (e.g. --encoding latin-1)",
                )
            ]
        ) from None


def parse_delimited(text: str, name: str, delimiter: str | None) -> tuple[pd.DataFrame, list[int]]:
    """Split CSV/TSV text into text cells, keeping each row's first source line."""
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
        problems.append(
            Problem(name, None, None, None, f"the header repeats column names: {', '.join(repeated)}")
        )
    if problems:
        raise ValidationError(problems)
    if len(header) == 1:
        raise ValidationError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"the header has a single column ({header[0][:40]!r}): the file does not seem to be "
                    f"delimited by {_delimiter_name(chosen)}; give the delimiter (e.g. --delimiter ';')",
                )
            ]
        )
    return pd.DataFrame(rows, columns=header, dtype="str"), lines


def _delimiter_name(delimiter: str) -> str:
    return {"\t": "tabs", ",": "commas", ";": "semicolons", "|": "bars"}.get(delimiter, repr(delimiter))


def records_table(records: Sequence[Any], name: str) -> pd.DataFrame:
    """A table of text cells from JSON records (objects of scalars)."""
    problems: list[Problem] = []
    rows: list[dict[str, str]] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(Problem(name, number, None, None, "is not an object"))
            continue
        row: dict[str, str] = {}
        for key, value in record.items():
            if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
                row[str(key)] = ";".join(str(v) for v in value)
            elif isinstance(value, dict | list):
                problems.append(
                    Problem(
                        name, number, str(key), json.dumps(value)[:60], "must be text, a number or true/false"
                    )
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


def cell_text(value: Any) -> str:
    """A cell as text: blank for null, ``true``/``false`` for booleans."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_json(text: str, name: str, options: ReadOptions) -> Dataset:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
                )
            ]
        ) from None
    if isinstance(document, dict):
        events = document.get("events")
        if not isinstance(events, list):
            raise ValidationError(
                [Problem(name, None, None, None, 'a JSON object must hold a list under "events"')]
            )
        dataset = _validated(records_table(events, name), name, options)
        title = document.get("title")
        return Dataset(dataset.events, name, title=title if isinstance(title, str) else "")
    if isinstance(document, list):
        return _validated(records_table(document, name), name, options)
    raise ValidationError(
        [Problem(name, None, None, None, 'JSON must be a list of events or an object with "events"')]
    )


def _read_parquet(data: bytes, name: str) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as error:
        raise ValidationError(
            [Problem(name, None, None, None, f"is not a readable Parquet file: {error}")]
        ) from None
    return frame.map(cell_text).astype(str)


def _read_xlsx(data: bytes, name: str) -> tuple[pd.DataFrame, list[int]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ValidationError(
            [Problem(name, None, None, None, f"is not a readable Excel .xlsx file: {error}")]
        ) from None
    sheet = book.worksheets[0]
    rows = [[_xlsx_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows or not any(rows[0]):
        raise ValidationError([Problem(name, None, None, None, "the first sheet has no header row")])
    header = [h.strip() for h in rows[0]]
    width = max(i for i, h in enumerate(header) if h) + 1
    body = [(i + 2, (r + [""] * width)[:width]) for i, r in enumerate(rows[1:]) if any(c.strip() for c in r)]
    table = pd.DataFrame([r for _, r in body], columns=header[:width], dtype="str")
    return table, [line for line, _ in body]


def _xlsx_cell(value: Any) -> str:
    if hasattr(value, "isoformat"):
        text: str = value.isoformat()
        return text.removesuffix("T00:00:00")
    return cell_text(value)


def _write_xlsx(table: pd.DataFrame) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "events"
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append(list(row))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.data_type = "s"  # text stays text: a cell starting with "=" is no formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
