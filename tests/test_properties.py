"""Property-based tests: whatever the bytes, the loader answers with a dataset or a
:class:`ValidationError`, never a crash; and valid events survive every format unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from timeline.dataset import Dataset
from timeline.dates import PRECISIONS, PartialDate
from timeline.formats import DATA_FORMATS, tidy_table
from timeline.io import FORMATS, read_events, write_events
from timeline.mapping import SYNONYMS
from timeline.schema import COLUMN_NAMES, KINDS, ValidationError, validate_events
from timeline.threads import RELATION_NAMES
from timeline.timelinejs import SHEET_COLUMNS

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXTENSIONS = sorted(FORMATS)

# Text as people type it: anything but lone surrogates and control characters (which
# every reader drops), plus line breaks and tabs.
CHARACTERS = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t")
TEXT = st.text(CHARACTERS, max_size=24)
WORDS = TEXT.filter(lambda s: s.strip() != "")
DATE_LIKE = st.sampled_from(
    ["2022", "2022-02", "2022-02-24", "Feb 2022", "12/02/2024", "24.02.2022", "1066", "44 BC", "-5", "0",
     "10000", "2022-13", "2022-02-30", "spring", "", "  ", "2024-02-11T10:00Z", "AD 800", "31/12/1999"]
)  # fmt: skip
ANY_CELL = st.one_of(TEXT, DATE_LIKE, st.sampled_from([*KINDS, "true", "no", "day", "month", "rumour"]))
COLUMN_POOL = sorted(
    {*COLUMN_NAMES, *(n for names in SYNONYMS.values() for n in names), *SHEET_COLUMNS, "Title", "ID", ""}
)


def loads_or_explains(data: bytes, name: str) -> Dataset | None:
    """The only outcomes allowed: a dataset, or a ValidationError naming the file."""
    try:
        return read_events(data, name)
    except ValidationError as error:
        problems = error.problems
    assert problems, "a ValidationError must list at least one problem"
    assert all(p.file and p.rule for p in problems)
    return None


# ---------------------------------------------------------------- random bytes


@SETTINGS
@given(data=st.binary(max_size=3000), extension=st.sampled_from(EXTENSIONS))
def test_random_bytes_never_crash_the_loader(data: bytes, extension: str) -> None:
    loads_or_explains(data, "random" + extension)


@SETTINGS
@given(text=st.text(max_size=400), extension=st.sampled_from(EXTENSIONS), bom=st.booleans())
def test_random_text_never_crashes_the_loader(text: str, extension: str, bom: bool) -> None:
    loads_or_explains(("\ufeff" if bom else "").encode() + text.encode("utf-8", "surrogatepass"), "t" + extension)


@SETTINGS
@given(
    prefix=st.sampled_from([b"PK\x03\x04", b"PAR1", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"{", b"["]),
    body=st.binary(max_size=600),
    extension=st.sampled_from(EXTENSIONS),
)
def test_bytes_that_start_like_a_known_format_never_crash(prefix: bytes, body: bytes, extension: str) -> None:
    loads_or_explains(prefix + body + (b"PAR1" if prefix == b"PAR1" else b""), "x" + extension)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT | DATE_LIKE,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["events", "title", "eras", "text", "headline", "start_date", "end_date", "year", "month", "day",
             "group", "unique_id", "display_date", "media", "caption", *COLUMN_NAMES]
        ),
        inner,
        max_size=6,
    ),
    max_leaves=30,
)  # fmt: skip


@SETTINGS
@given(document=JSON_VALUES)
def test_random_json_documents_never_crash(document: Any) -> None:
    loads_or_explains(json.dumps(document, allow_nan=True).encode(), "doc.json")


# ---------------------------------------------------------------- random tables


@st.composite
def random_tables(draw: st.DrawFn) -> pd.DataFrame:
    """Tables with plausible and implausible column names and cells."""
    columns = draw(st.lists(st.sampled_from(COLUMN_POOL) | TEXT, min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(ANY_CELL, min_size=len(columns), max_size=len(columns)), max_size=6))
    return pd.DataFrame(rows, columns=columns, dtype="str") if rows else pd.DataFrame(columns=columns)


def plain_bytes(table: pd.DataFrame, fmt: str, delimiter: str) -> bytes:
    """The table written by ordinary tools, not by this project's writers."""
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t" if fmt == "tsv" else delimiter, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(table.itertuples(index=False))
        return out.getvalue().encode()
    if fmt == "json":
        records = [dict(zip(table.columns, row, strict=True)) for row in table.itertuples(index=False)]
        return json.dumps(records).encode()
    if fmt == "parquet":
        if len(set(table.columns)) != len(table.columns):
            return b""
        buffer = io.BytesIO()
        table.to_parquet(buffer, index=False)
        return buffer.getvalue()
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@SETTINGS
@given(table=random_tables(), fmt=st.sampled_from(DATA_FORMATS), delimiter=st.sampled_from(",;|"))
def test_random_tables_never_crash_the_loader(table: pd.DataFrame, fmt: str, delimiter: str) -> None:
    loads_or_explains(plain_bytes(table, fmt, delimiter), f"table.{fmt}")


@st.composite
def sheet_tables(draw: st.DrawFn) -> pd.DataFrame:
    """Tables shaped like the TimelineJS template, with any cells."""
    number = st.integers(-3000, 12000).map(str)
    cell = st.one_of(number, TEXT, st.sampled_from(["title", "era", ""]))
    rows = draw(st.lists(st.lists(cell, min_size=len(SHEET_COLUMNS), max_size=len(SHEET_COLUMNS)), max_size=6))
    return pd.DataFrame(rows, columns=list(SHEET_COLUMNS), dtype="str")


@SETTINGS
@given(table=sheet_tables(), fmt=st.sampled_from(["csv", "xlsx"]))
def test_random_timelinejs_sheets_never_crash(table: pd.DataFrame, fmt: str) -> None:
    loads_or_explains(plain_bytes(table, fmt, ","), f"sheet.{fmt}")


# ---------------------------------------------------------------- round trips


@st.composite
def valid_events(draw: st.DrawFn) -> pd.DataFrame:
    """A typed event table, as the schema makes it from text cells."""
    ids = draw(
        st.lists(
            st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,11}", fullmatch=True), min_size=1, max_size=6, unique=True
        )
    )
    extra = draw(st.sampled_from([None, "colour", "note"]))
    rows = []
    for number, event_id in enumerate(ids):
        first, second = sorted(draw(st.lists(st.dates(dt.date(1, 1, 1)), min_size=2, max_size=2)))
        start = PartialDate.of(first, draw(st.sampled_from(PRECISIONS)))
        has_end = draw(st.booleans())
        end = PartialDate.of(second, draw(st.sampled_from(PRECISIONS))) if has_end else None
        row = {
            "id": event_id,
            "start": start.iso(),
            "end": end.iso() if end else "",
            "approximate": draw(st.sampled_from(["true", "false", ""])),
            "date_text": draw(TEXT),
            "actor": draw(WORDS),
            "organisation": draw(TEXT),
            "side": draw(TEXT),
            "kind": draw(st.sampled_from(KINDS)),
            "title": draw(WORDS),
            "summary": draw(TEXT),
            "quote": draw(TEXT),
            "source": draw(TEXT),
            "source_text": draw(TEXT),
        }
        # Links of every type: the ordering ones to earlier events only (they may not loop),
        # refers_to to any other event; one relation per pair.
        others = [i for i in ids if i != event_id]
        linked = draw(st.lists(st.sampled_from(others), max_size=3, unique=True)) if others else []
        for target in linked:
            earlier = ids.index(target) < number
            relation = draw(st.sampled_from(RELATION_NAMES if earlier else ("refers_to",)))
            row[relation] = ";".join(filter(None, [row.get(relation, ""), target]))
        if extra:
            row[extra] = draw(TEXT)
        rows.append(row)
    raw = tidy_table(pd.DataFrame(rows, dtype="str"))
    try:
        return validate_events(raw, file="generated")
    except ValidationError:
        assume(False)  # e.g. an end that falls before a start of finer precision
        raise


def assert_round_trip(events: pd.DataFrame, fmt: str) -> None:
    back = read_events(write_events(events, fmt), f"events.{fmt}").events
    pd.testing.assert_frame_equal(back, events)


@SETTINGS
@given(events=valid_events(), fmt=st.sampled_from(DATA_FORMATS))
def test_generated_events_round_trip_through_every_format(events: pd.DataFrame, fmt: str) -> None:
    assert_round_trip(events, fmt)


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_seed_events_round_trip(seed: Dataset, fmt: str) -> None:
    assert_round_trip(seed.events, fmt)
