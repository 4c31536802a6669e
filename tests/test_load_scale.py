"""The array-at-a-time loading path gives what the cell-at-a-time rules give.

Dates, reply ids, formula escapes, control characters and CSV records are read with array
operations at scale; each is checked here against the plain per-cell function it stands
for, on edge cases and on generated data. Correctness only: timings live in the benchmarks.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.dates import DATE_ORDERS, DateError, DateOrder, parse_date_window, parse_dates, parse_partial_date
from timeline.formats import (
    _fast_delimited,
    _write_delimited,
    escape_formula,
    escape_formulas,
    parse_delimited,
    tidy_table,
    unescape_formula,
    unescape_formulas,
)
from timeline.io import read_events, write_events
from timeline.schema import (
    RESPONDS_TO_SEPARATOR,
    WHITESPACE,
    ValidationError,
    cell_text,
    split_ids,
    validate_events,
)

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EDGE_DATES = [
    *("", " ", "\t", "2022", "0000", "0", "0001", "9999", "10000", "+2022", "-5", "800", "08", "٢٠٢٢"),
    *("2022-2", "2022-02", "2022-13", "2022-00", "2022-1-1", "2022-02-2", "2022-001", "1-1"),
    *("2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "2022-02-30", "2022-04-31", "2022-12-31"),
    *("0000-01-01", "2022-02-24x", " 2022-02-24 ", "\t2022\n", "2022\u00a0", "2022-02-24\x0b", "\u30002022"),
    *("2022-02-24T10:00Z", "2022-02-24 10:00:00", "2022-02-24T10:00:00.123+02:00", "2022-2-24T10:00"),
    *("2022-02-24T1:00", "2022-02-24T", "2022-02-30T10:00"),
    *("Feb 2022", "24 February 2022", "12/02/2024", "25/12/2024", "2024/02/12", "02/2022", "24.02.2022"),
    *("44 BC", "AD 800", "1066 CE", "spring", "Sunday", "12/02/24"),
]


def reference(text: str, order: DateOrder | None) -> tuple[str, str, str, np.datetime64 | None, np.datetime64 | None]:
    """(error, iso, precision, first day, last day) of one cell, by parse_date_window."""
    if text == "":
        return "", "", "", None, None
    try:
        date = parse_date_window(text, order)
    except DateError as error:
        return str(error), "", "", None, None
    return "", date.start_text, date.precision, date.lo, date.hi


def assert_dates_agree(texts: list[str], order: DateOrder | None) -> None:
    column = parse_dates(pd.Series(texts, dtype="str"), order)
    iso, precision = column.iso(), column.precision()
    first, last = column.first_day(), column.last_day()
    for row, text in enumerate(texts):
        error, want_iso, want_precision, want_first, want_last = reference(text, order)
        assert column.is_blank[row] == (text == ""), repr(text)
        assert column.error(row) == error, repr(text)
        assert column.is_bad[row] == bool(error), repr(text)
        assert column.is_date[row] == bool(want_iso), repr(text)
        if want_iso:
            assert (iso[row], precision[row]) == (want_iso, want_precision), repr(text)
            assert (first[row], last[row]) == (np.datetime64(want_first), np.datetime64(want_last)), repr(text)
        else:
            assert (iso[row], precision[row]) == ("", ""), repr(text)


@pytest.mark.parametrize("order", [None, *DATE_ORDERS])
def test_dates_parsed_as_a_column_agree_with_parse_partial_date(order: DateOrder | None) -> None:
    assert_dates_agree(EDGE_DATES * 3, order)  # repeated: each distinct text is parsed once, rows share it


def test_every_iso_year_month_and_day_agrees() -> None:
    years = ["0", "1", "12", "123", "0001", "1582", "1900", "2000", "2023", "2024", "9999"]
    months = ["0", "00", "1", "01", "02", "09", "12", "13", "001"]
    days = ["0", "00", "1", "01", "28", "29", "30", "31", "32"]
    texts = [*years, *(f"{y}-{m}" for y in years for m in months)]
    texts += [f"{y}-{m}-{d}" for y, m, d in itertools.product(years, months, days)]
    assert_dates_agree(texts, None)


@SETTINGS
@given(st.lists(st.text(st.sampled_from("0123456789-T: /.Z+\n\t\u00a0aFebBC"), max_size=14), max_size=30))
def test_any_date_like_text_agrees(texts: list[str]) -> None:
    assert_dates_agree(texts, None)


def test_the_whitespace_the_array_path_knows_is_what_strip_strips() -> None:
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    assert set(WHITESPACE) == {c for c in every if c.isspace()}
    trimmed = pd.Series(every, dtype="str").str.strip()  # Arrow's trim, as the typed table strips
    assert set(WHITESPACE) == {c for c, t in zip(every, trimmed, strict=True) if t == ""}


@SETTINGS
@given(st.lists(st.text(st.sampled_from(" \t\n\u00a0\u3000\u2028aé中\x1c"), max_size=5), min_size=1, max_size=20))
def test_cells_are_stripped_exactly_when_they_have_padding(cells: list[str]) -> None:
    base = {"start": "2022", "actor": "A", "kind": "claim", "title": "T"}
    rows = [{"id": f"e{i}", **base, "quote": cell} for i, cell in enumerate(cells)]
    events = validate_events(pd.DataFrame(rows, dtype="str"), file="t.csv")
    assert events["quote"].tolist() == [c.strip() for c in cells]


@pytest.mark.parametrize(
    "value",
    ["", "a", "a;b", " a ; b ", "a,b", "a b\tc\nd", ";;a;;", "a\u00a0b", "a\u2003;b", "x\x1cy", "é;ü", "a;;", "  "],
)
def test_reply_ids_are_split_as_split_ids_splits_them(value: str) -> None:
    rows = [{"id": i, "start": "2022", "actor": "A", "kind": "claim", "title": "T"} for i in ("a", "b", "c", "d")]
    rows.append({"id": "r", "start": "2022", "actor": "A", "kind": "claim", "title": "T", "responds_to": value})
    ids = {"a", "b", "c", "d", "r"}
    table = pd.DataFrame(rows, dtype="str").fillna("")
    if set(split_ids(value)) <= ids:
        events = validate_events(table, file="t.csv")
        assert events["responds_to"].iloc[-1] == RESPONDS_TO_SEPARATOR.join(split_ids(value))
    else:
        with pytest.raises(ValidationError, match=r"which is no event.s id"):
            validate_events(table, file="t.csv")


def generated(count: int, seed: int = 7) -> pd.DataFrame:
    """A table of text cells shaped like real data, with every date form in it."""
    rng = np.random.default_rng(seed)
    day = np.datetime64("1990-01-01") + rng.integers(0, 12_000, count).astype("timedelta64[D]")
    iso = pd.Series(np.datetime_as_string(day, unit="D"), dtype="str")
    forms = rng.random(count)
    start = iso.where(forms < 0.7, iso.str[:7]).where(forms < 0.85, iso.str[:4])
    worded = pd.Series([d.strftime("%d %B %Y") for d in day.astype(dt.date)], dtype="str")
    start = start.where(forms < 0.95, worded)
    end_day = day + rng.integers(0, 300, count).astype("timedelta64[D]")
    end = pd.Series(np.datetime_as_string(end_day, unit="D"), dtype="str").where(rng.random(count) < 0.1, "")
    actors = np.array([f"Actor {i}" for i in range(50)])
    return pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(count)],
            "start": start,
            "end": end,
            "approximate": np.where(rng.random(count) < 0.1, "yes", ""),
            "actor": actors[rng.integers(0, 50, count)],
            "target": np.where(rng.random(count) < 0.5, actors[rng.integers(0, 50, count)], ""),
            "kind": np.array(["claim", "Report", "event"])[rng.integers(0, 3, count)],
            "title": [f" Title {i} " for i in range(count)],
            "responds_to": np.where(rng.random(count) < 0.05, "e0; e1", ""),
        }
    ).astype("str")


def test_generated_events_are_typed_as_each_cell_would_be() -> None:
    raw = generated(3000)
    events = validate_events(raw, file="generated.csv")
    for row in range(0, len(raw), 7):
        start = parse_partial_date(raw.at[row, "start"])
        end = parse_partial_date(raw.at[row, "end"]) if raw.at[row, "end"] else None
        got = events.iloc[row]
        assert (got["start"], got["precision"]) == (start.iso(), start.precision)
        assert got["end"] == (end.iso() if end else "")
        assert got["lo"] == pd.Timestamp(start.first_day())
        assert got["hi"] == pd.Timestamp((end or start).last_day())
        assert got["title"] == raw.at[row, "title"].strip()
        assert got["kind"] == raw.at[row, "kind"].lower()
        assert got["approximate"] == (raw.at[row, "approximate"] == "yes")
        assert got["target"] == raw.at[row, "target"]
    assert events["lo"].dtype == events["hi"].dtype == np.dtype("datetime64[us]")


def test_generated_problems_name_their_rows_and_values() -> None:
    raw = generated(2000)
    bad = {17: ("start", "2023-02-29"), 401: ("kind", "rumour"), 1999: ("end", "1900")}
    for row, (column, value) in bad.items():
        raw.at[row, column] = value
    raw.at[1234, "id"] = "e5"
    with pytest.raises(ValidationError) as caught:
        validate_events(raw, file="generated.csv", lines=[n + 2 for n in range(len(raw))])
    found = {(p.row, p.line, p.column, p.value) for p in caught.value.problems}
    assert found == {
        (18, 19, "start", "2023-02-29"),
        (402, 403, "kind", "rumour"),
        (2000, 2001, "end", "1900"),  # before its start
        (6, 7, "id", "e5"),
        (1235, 1236, "id", "e5"),
    }


# ---------------------------------------------------------------- CSV records and lines


def careful(text: str, delimiter: str | None) -> tuple[pd.DataFrame, list[int]] | ValidationError:
    try:
        return parse_delimited(text, "t.csv", delimiter, fast=False)
    except ValidationError as error:
        return error


CSV_PIECES = st.lists(
    st.sampled_from(["a", "b", "1", " ", ",", ";", "\t", '"', '""', "\n", "\r\n", "\r", "\u00a0", "é", "'", "\x0b"]),
    max_size=12,
).map("".join)


@SETTINGS
@given(
    header=st.sampled_from(["id,start,actor", "a;b;c", "x\ty", '"q,1",b', 'a,"b\nc"', "a,a", ",b", "a"]),
    rows=st.lists(
        st.sampled_from(["1,2,3", '"x",y,z', 'p,"q\nr",s', '"a""b",c,d', " , , ", "", "1,2", '"a\r\nb",c,d'])
        | CSV_PIECES,
        max_size=5,
    ),
    crlf=st.booleans(),
    delimiter=st.sampled_from([None, ",", ";"]),
)
def test_the_fast_csv_reader_agrees_with_the_careful_one(
    header: str, rows: list[str], crlf: bool, delimiter: str | None
) -> None:
    text = (header + "\n" + "\n".join(rows) + "\n").replace("\n", "\r\n" if crlf else "\n")
    fast = _fast_delimited(text.encode(), 0, delimiter)
    if fast is None:
        return  # the careful reader reads it
    slow = careful(text, delimiter)
    assert not isinstance(slow, ValidationError), f"the fast reader accepted what the careful one refuses: {slow}"
    assert fast[1] == slow[1], "source lines"
    assert list(fast[0].columns) == list(slow[0].columns)
    assert fast[0].to_numpy().tolist() == slow[0].to_numpy().tolist()


@pytest.mark.parametrize(
    "text",
    [
        "id,start\na,2022\n",
        "id,start\r\na,2022\r\nb,2023",
        'id,note\na,"two\nlines"\nb,"say ""hi"""\n',
        'id,note\r\na,"two\r\nlines"\r\n',
        "id;start\na;2022\n",
        "id\tstart\na\t2022\n",
        "id,start\n\na,2022\n , \n\nb,2023\n",
        "id,start,\na,2022,\n",
    ],
)
def test_ordinary_files_take_the_fast_reader(text: str) -> None:
    fast = _fast_delimited(text.encode(), 0, None)
    assert fast is not None
    slow = careful(text, None)
    assert not isinstance(slow, ValidationError)
    assert fast[1] == slow[1]
    assert fast[0].to_numpy().tolist() == slow[0].to_numpy().tolist()


def test_problems_in_a_large_csv_with_quoted_line_breaks_name_their_lines() -> None:
    raw = generated(5000)
    raw["summary"] = np.where(np.arange(len(raw)) % 3 == 0, "one\ntwo\r\nthree", "plain")
    raw.loc[[10, 2500, 4999], "kind"] = "rumour"
    out = io.StringIO()
    raw.to_csv(out, index=False)
    data = out.getvalue().encode()
    with pytest.raises(ValidationError) as caught:
        read_events(data, "quoted.csv")
    record_lines = []
    reader = csv.reader(io.StringIO(data.decode(), newline=""))
    line = 1
    for _ in reader:
        record_lines.append(line)
        line = reader.line_num + 1
    located = {(p.row, p.line) for p in caught.value.problems}
    assert located == {(r + 1, record_lines[r + 1]) for r in (10, 2500, 4999)}
    assert record_lines[4999 + 1] > 4999 + 2, "the quoted line breaks push the lines past the rows"


def test_a_large_csv_round_trips_through_the_fast_reader() -> None:
    raw = generated(4000)
    raw["summary"] = np.where(np.arange(len(raw)) % 5 == 0, '=quoted "x"\nsecond line', "")
    events = validate_events(raw, file="generated.csv")
    for fmt in ("csv", "tsv", "parquet"):
        pd.testing.assert_frame_equal(read_events(write_events(events, fmt), f"e.{fmt}").events, events)


@SETTINGS
@given(st.lists(st.text(st.sampled_from("'=+-@\t\rab"), max_size=5), min_size=1, max_size=12))
def test_formula_escapes_are_undone_as_unescape_formula_undoes_them(cells: list[str]) -> None:
    table = pd.DataFrame({"a": cells, "b": list(reversed(cells))}, dtype="str")
    undone = unescape_formulas(table)
    assert undone["a"].tolist() == [unescape_formula(c) for c in cells]
    assert undone["b"].tolist() == [unescape_formula(c) for c in reversed(cells)]


@SETTINGS
@given(st.lists(st.text(st.sampled_from("a\x00\x07\t\n\r\x0b\x1fé\u2028"), max_size=6), min_size=1, max_size=12))
def test_cleaning_drops_control_characters_as_the_rule_says(cells: list[str]) -> None:
    def clean(cell: str) -> str:
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", cell.replace("\r\n", "\n").replace("\r", "\n"))

    assert tidy_table(pd.DataFrame({"c": cells}, dtype="str"))["c"].tolist() == [clean(c) for c in cells]


# ---------------------------------------------------------------- Parquet


def test_parquet_columns_of_every_type_read_as_cell_text() -> None:
    values = {
        "words": ["a", None, " b "],
        "whole": pd.array([1, None, -3], dtype="Int64"),
        "small": np.array([1, 2, 3], dtype=np.uint8),
        "float": [1.0, 2.5, float("nan")],
        "wide": [1e20, 1.5e-7, 3.0],
        "flag": pd.array([True, False, None], dtype="boolean"),
        "day": [dt.date(1066, 10, 14), None, dt.date(2022, 1, 1)],
        "moment": pd.to_datetime(["2022-02-24", "2022-03-01 10:00", None], format="ISO8601"),
        "zoned": pd.to_datetime(["2022-01-01T10:00Z"] * 3),
        "team": pd.Categorical(["x", "y", "x"]),
        "ids": [["a", "b"], ["c"], []],
    }
    frame = pd.DataFrame(values)
    header = {"id": ["e1", "e2", "e3"], "start": ["2022"] * 3, "actor": ["A"] * 3, "kind": ["claim"] * 3}
    document = pd.DataFrame({**header, "title": ["T"] * 3})
    with_columns = pd.concat([document, frame], axis=1)
    buffer = io.BytesIO()
    with_columns.to_parquet(buffer, index=False)
    events = read_events(buffer.getvalue(), "typed.parquet").events
    for column in values:
        if column != "ids":
            assert events[column].tolist() == [cell_text(v).strip() for v in with_columns[column].tolist()], column
    assert events["ids"].tolist() == [str(np.array(v)) for v in values["ids"]]  # as pandas hands lists over


@SETTINGS
@given(
    st.lists(st.lists(st.text(st.sampled_from("a,;\t\"\n\r=+-@' é"), max_size=6), min_size=3, max_size=3), max_size=8),
    st.sampled_from(["csv", "tsv"]),
)
def test_written_csv_reads_back_cell_for_cell_with_any_reader(rows: list[list[str]], fmt: str) -> None:
    table = pd.DataFrame(rows, columns=["a", "b, c", 'd "e"'], dtype="str")
    data = _write_delimited(escape_formulas(table), "\t" if fmt == "tsv" else ",").decode()
    back = list(csv.reader(io.StringIO(data, newline=""), delimiter="\t" if fmt == "tsv" else ","))
    assert back[0] == list(table.columns)
    assert back[1:] == [[escape_formula(cell) for cell in row] for row in rows]
