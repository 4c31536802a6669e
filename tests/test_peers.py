"""Other tools' files: vis-timeline DataSets, TimeMap sheets, headerless ICEWS and GDELT
tables, nested JSON and TimelineJS media; every reader through every writer and back;
``timeline validate`` on each case the issue found failing; notes; upload caps.

Real files made by others are read from ``../shared/testdata``; the fixtures in
``tests/fixtures`` were written for these tests (see its README)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from timeline import cameo, formats
from timeline.budget import UploadLimits
from timeline.cli import main
from timeline.dataset import Dataset, Era, ReadOptions
from timeline.headerless import GDELT_COLUMNS, parse_columns
from timeline.io import read_events, write_events
from timeline.nested import flatten_records, records_at
from timeline.schema import ValidationError
from timeline.timemap import day_time, excel_date, is_timemap

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
VIS_GROUPS = FIXTURES / "vis_groups.json"
ICEWS = FIXTURES / "icews_style.tsv"
CURRENT_EVENTS = FIXTURES / "current_events.json"
TIMEMAP_CSV = FIXTURES / "timemap_export_events.csv"
WRITERS = ("csv", "tsv", "json", "xlsx", "parquet", "timelinejs")


def invoke(*args: object) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def problems(data: bytes, name: str, options: ReadOptions | None = None) -> str:
    with pytest.raises(ValidationError) as caught:
        read_events(data, name, options)
    return str(caught.value)


def timemap_xlsx() -> bytes:
    """A TimeMap ``Events`` tab as a spreadsheet holds it when its cells are not formatted
    as dates: dates as Excel serial day numbers, times as fractions of a day."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Description", "Date", "Time", "Location", "Association 1", "Association 2", "Source", "Comments"])
    sheet.append(
        ["Tear gas is fired at the crowd.", 43831, 0.6805555555555556, "Square", "tear_gas", "n1", "src1", None]
    )
    sheet.append(["A rifle is seen on a roof.", 43832.75, None, "Roof", "rifle", None, "src2", "blurred"])
    sheet.append(["A march reaches the bridge.", 44197, 0.25, None, None, "n2", "src3", None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def gdelt_row(**given: str) -> str:
    """One GDELT 2.0 export line: 61 tab-separated cells, blank unless given."""
    cells = dict.fromkeys(GDELT_COLUMNS, "")
    cells.update(given)
    return "\t".join(cells[c] for c in GDELT_COLUMNS)


GDELT_LINES = [
    gdelt_row(
        GLOBALEVENTID="1170000001", SQLDATE="20240211", MonthYear="202402", Year="2024", Actor1Code="USA",
        Actor1Name="UNITED STATES", Actor2Code="RUS", Actor2Name="RUSSIA", IsRootEvent="1", EventCode="012",
        EventBaseCode="012", EventRootCode="01", QuadClass="1", GoldsteinScale="-0.4", AvgTone="-3.25",
        ActionGeo_FullName="Moscow, Moskva, Russia", DATEADDED="20240211150000",
        SOURCEURL="https://example.org/news/1",
    ),
    gdelt_row(
        GLOBALEVENTID="1170000002", SQLDATE="20240212", Year="2024", Actor1Code="UKRMIL", Actor2Name="RUSSIA",
        EventCode="0162", EventBaseCode="016", EventRootCode="01", QuadClass="1", AvgTone="-1",
        SOURCEURL="https://example.org/news/2",
    ),
    gdelt_row(
        GLOBALEVENTID="1170000003", SQLDATE="20240213", Year="2024", Actor1Name="POLICE", EventCode="173",
        EventBaseCode="173", EventRootCode="17", QuadClass="4", SOURCEURL="https://example.org/news/3",
    ),
]  # fmt: skip
GDELT_BYTES = ("\n".join(GDELT_LINES) + "\n").encode()


# ---------------------------------------------------------------- vis-timeline


def test_the_vis_example_loads_without_being_told(testdata: Path) -> None:
    dataset = read_events((testdata / "vis" / "vis_basic.json").read_bytes(), "basic.json")
    events = dataset.events.set_index("id")
    assert list(events.index) == ["1", "2", "3", "4", "5", "6"]
    assert events.loc["1", "title"] == "item 1"
    assert events.loc["4", ["start", "end"]].tolist() == ["2014-04-16", "2014-04-19"]
    assert events.loc["6", "type"] == "point"
    assert set(events["actor"]) == {"Timeline"}
    assert "group: 6 items without a group in the lane 'Timeline'" in dataset.notes
    assert (
        "type: 5 items without an end drawn as points, 1 item with an end (range) as spans; the type column kept"
        in dataset.notes
    )


def test_vis_groups_content_html_types_and_every_other_key() -> None:
    dataset = read_events(VIS_GROUPS.read_bytes(), "vis.json")
    events = dataset.events.set_index("id")
    assert events.loc["a1", "actor"] == "Government"  # the group's content, as plain text
    assert events.loc["a3", "actor"] == "Opposition"  # a numeric group id matches
    assert events.loc["a1", "group_id"] == "gov"
    assert events.loc["a1", "title"] == "Budget announced"
    assert events.loc["a3", "title"] == "Protest"
    assert events.loc["a5", "title"] == "Vote passed"
    assert events.loc["a1", "tooltip"] == "Tooltip: the <b>budget</b>"  # kept as written
    assert events.loc["a1", "className"] == "red"
    assert events.loc["a5", "subgroup"] == "senate"
    assert events.loc["a4", "editable.remove"] == "false"
    assert events.loc["a4", "start"] == "2024-03-15"  # 1710460800000 ms
    assert events.loc["a3", "start"] == "2024-03-09"
    assert events.loc["a2", ["start", "end", "type"]].tolist() == ["2024-03-04", "2024-03-20", "range"]
    assert "bg1" not in events.index  # a background item is a period behind the events
    assert dataset.eras == (Era("Session", "2024-03-01", "2024-03-31"),)
    assert "content: HTML tags removed in 3 rows" in dataset.notes
    assert any(
        n.startswith("type: 4 items without an end drawn as points, 2 items with an end (range) as spans, 1 background")
        for n in dataset.notes
    )


def test_a_plain_list_of_events_is_not_taken_for_vis() -> None:
    data = json.dumps([{"id": "a", "start": "2022", "actor": "X", "kind": "claim", "title": "T", "content": "c"}])
    dataset = read_events(data.encode(), "e.json")
    assert dataset.events["content"].tolist() == ["c"]
    assert dataset.notes == ()


def test_format_vis_names_what_it_expects() -> None:
    message = problems(b'[{"id": "a", "start": "2022"}]', "e.json", ReadOptions(format="vis"))
    assert "--format vis: expected a list of items with content and start" in message


# ---------------------------------------------------------------- TimeMap


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, dt.datetime(1900, 1, 1)),
        (59, dt.datetime(1900, 2, 28)),
        (61, dt.datetime(1900, 3, 1)),  # day 60 is Excel's 29 February 1900, which never was
        (43831, dt.datetime(2020, 1, 1)),
        (43831.5, dt.datetime(2020, 1, 1, 12)),
        (2958465, dt.datetime(9999, 12, 31)),
    ],
)
def test_excel_serial_dates(serial: float, expected: dt.datetime) -> None:
    assert excel_date(serial) == expected


@pytest.mark.parametrize(
    ("fraction", "expected"), [(0.0, "00:00"), (0.5, "12:00"), (0.6805555555555556, "16:20"), (0.75001157, "18:00:01")]
)
def test_day_fractions_are_times(fraction: float, expected: str) -> None:
    assert day_time(fraction) == expected


def test_a_timemap_sheet_with_serial_dates_loads() -> None:
    dataset = read_events(timemap_xlsx(), "events.xlsx")
    events = dataset.events
    assert events["start"].tolist() == ["2020-01-01", "2020-01-02", "2021-01-01"]
    assert events["Time"].tolist() == ["16:20", "", "06:00"]
    assert events["actor"].tolist() == ["Square", "Roof", "(no location)"]
    assert events["summary"].tolist()[0] == "Tear gas is fired at the crowd."
    assert events["title"].tolist()[0] == "Tear gas is fired at the crowd."
    assert events["source"].tolist() == ["src1", "src2", "src3"]
    assert events["Association 1"].tolist() == ["tear_gas", "rifle", ""]
    assert events["Comments"].tolist() == ["", "blurred", ""]
    assert "Date: 3 Excel serial day numbers read as dates" in dataset.notes
    assert "Time: 2 day fractions written as HH:MM (kept, not drawn)" in dataset.notes


def test_timemaps_own_example_workbook_loads() -> None:
    dataset = read_events((FIXTURES / "timemap_data.xlsx").read_bytes(), "timemap_data.xlsx")
    events = dataset.events
    assert len(events) == 11
    first = events.iloc[0]
    assert first[["start", "actor", "title", "source"]].tolist() == [
        "2015-10-10", "Al Araqib", "Person A appears on the scene and sprays tear gas.", "src1",
    ]  # fmt: skip
    assert first[["Time", "Association 1", "Association 2", "Association 3"]].tolist() == [
        "16:20:00", "tear_gas", "narrative_1", "narrative_3",
    ]  # fmt: skip
    assert (
        "actor: TimeMap names no actor; the lanes are the Location column (--map actor=COLUMN for another)"
        in dataset.notes
    )


def test_an_export_events_csv_reads_its_dates_month_first() -> None:
    dataset = read_events(TIMEMAP_CSV.read_bytes(), "export_events.csv")
    events = dataset.events.set_index("id")
    assert events.loc["ev3", "start"] == "2015-10-21"
    assert events.loc["ev4", "start"] == "2016-03-02"  # 03/02/2016, month first as TimeMap reads it
    assert events.loc["ev2", "title"] == "Person A begins recording."
    assert events.loc["ev2", "summary"] == "Person A begins recording.\nA second line of description."
    assert events.loc["ev2", ["source1", "source2", "comments"]].tolist() == ["src2", "src3", "seen on video"]
    assert set(events["kind"]) == {"event"}
    day_first = problems(TIMEMAP_CSV.read_bytes(), "export_events.csv", ReadOptions(date_order="dmy"))
    assert "line 5 (row 3), column 'start': is not a date: month 21 is not between 1 and 12" in day_first


def test_datasheet_servers_json_is_read_as_timemap() -> None:
    dataset = read_events((FIXTURES / "timemap_deeprows.json").read_bytes(), "events.json")
    events = dataset.events
    assert events[["start", "actor", "source", "associations"]].values.tolist() == [
        ["2015-10-10", "Site North", "src1", "tear_gas;narrative_1"],
        ["2015-10-21", "Checkpoint", "src4;src5", "vehicle"],
    ]
    assert dataset.notes[0] == "read as a TimeMap sheet: description -> summary (and title), date -> start"


def test_timemap_detection_leaves_tables_with_an_actor_alone() -> None:
    assert is_timemap(["Description", "Date", "Time", "Location", "Association 1"])
    assert not is_timemap(["description", "date", "location", "actor"])
    assert not is_timemap(["description", "date"])
    data = b"id,date,actor,kind,title,description,location\na,2022,X,claim,T,D,L\n"
    events = read_events(data, "t.csv").events
    assert events[["summary", "location"]].values.tolist() == [["D", "L"]]


def test_format_timemap_reads_a_sheet_named_otherwise_and_names_what_it_needs() -> None:
    message = problems(b"what,when\nx,2022\n", "t.csv", ReadOptions(format="timemap"))
    assert "a TimeMap sheet needs columns description and date" in message
    data = b"description,date\nSomething,2020-05-01\n"
    dataset = read_events(data, "sheet.dat", ReadOptions(format="timemap"))
    assert dataset.events["start"].tolist() == ["2020-05-01"]


# ---------------------------------------------------------------- headerless tables and presets


def test_a_headerless_icews_file_is_refused_with_what_to_pass() -> None:
    message = problems(ICEWS.read_bytes(), "icews.tsv")
    assert "the first line looks like data, not a header ('2014-01-02'): pass --no-header" in message
    assert "--preset icews" in message


def test_the_icews_preset_reads_every_line_as_an_event() -> None:
    dataset = read_events(ICEWS.read_bytes(), "icews.tsv", ReadOptions(preset="icews", header=False))
    events = dataset.events
    assert len(events) == 5  # the first line is an event, not a header
    assert events["actor"].tolist()[0] == "Police (Country A)"
    assert events["target"].tolist()[0] == "Protester (Country A)"
    assert events["title"].tolist()[0] == "Arrest, detain, or charge with legal action"
    assert events["start"].tolist()[0] == "2014-01-02"
    assert events["kind"].tolist() == ["action", "statement", "denial", "statement", "event"]
    assert "kind: from the CAMEO verb named by Event Text in 4 rows; the others are 'event'" in dataset.notes


def test_no_header_with_columns_keeps_the_first_line(tmp_path: Path) -> None:
    options = ReadOptions(header=False, columns=("actor", "title", "target", "start"))
    events = read_events(ICEWS.read_bytes(), "icews.tsv", options).events
    assert len(events) == 5
    assert events["actor"].tolist()[0] == "Police (Country A)"
    assert list(events["id"]) == [f"row-{i}" for i in range(1, 6)]


def test_no_header_without_names_says_which_map_to_pass() -> None:
    message = problems(ICEWS.read_bytes(), "icews.tsv", ReadOptions(header=False))
    assert "column 'actor': required column is missing; pass --map actor=COLUMN" in message
    assert "column 1, column 2, column 3, column 4" in message
    mapped = ReadOptions(header=False, mapping={"actor": "column 1", "title": "column 2", "start": "column 4"})
    assert len(read_events(ICEWS.read_bytes(), "icews.tsv", mapped).events) == 5


def test_no_header_on_the_careful_path_too() -> None:
    # A stray quote inside a cell sends the file to the csv module's reader; still no line lost.
    data = 'A "quoted" actor\tSaid\t2014-01-02\nB\tDid\t2014-01-03\n'.encode("latin-1")
    options = ReadOptions(header=False, columns=("actor", "title", "start"), encoding="latin-1")
    events = read_events(data, "x.tsv", options).events
    assert events["actor"].tolist() == ['A "quoted" actor', "B"]


def test_more_column_names_than_cells_are_refused() -> None:
    options = ReadOptions(header=False, columns=("a", "b", "c", "d", "e"))
    assert "--columns names 5 columns, but the first line has 4 cells" in problems(ICEWS.read_bytes(), "i.tsv", options)


def test_the_gdelt_preset() -> None:
    dataset = read_events(GDELT_BYTES, "20240211.export.CSV", ReadOptions(preset="gdelt", header=False))
    events = dataset.events.set_index("id")
    assert list(events.index) == ["1170000001", "1170000002", "1170000003"]
    first = events.loc["1170000001"]
    assert first[["actor", "target", "start", "source"]].tolist() == [
        "UNITED STATES", "RUSSIA", "2024-02-11", "https://example.org/news/1",
    ]  # fmt: skip
    assert first["title"] == "Make pessimistic comment"
    assert first["kind"] == "statement"
    assert events.loc["1170000002", ["actor", "kind", "title"]].tolist() == ["UKRMIL", "denial", "Deny responsibility"]
    assert events.loc["1170000003", ["kind", "title"]].tolist() == [
        "action",
        "Arrest, detain, or charge with legal action",
    ]
    # every other column is kept, under the codebook's names
    assert first[["SQLDATE", "EventCode", "AvgTone", "Year", "ActionGeo_FullName", "DATEADDED"]].tolist() == [
        "20240211", "012", "-3.25", "2024", "Moscow, Moskva, Russia", "20240211150000",
    ]  # fmt: skip
    assert len(GDELT_COLUMNS) == 61
    assert "actor: Actor1Name is blank in 1 row: Actor1Code used instead" in dataset.notes


def test_the_gdelt_preset_refuses_a_file_of_another_width() -> None:
    message = problems(b"1\t20240211\tx\n", "x.CSV", ReadOptions(preset="gdelt", header=False))
    assert "--preset gdelt reads 61 columns" in message
    assert "the first line has 3" in message


def test_cameo_labels_and_kinds() -> None:
    assert cameo.label("0211") == cameo.LABELS["021"] == "Appeal for material cooperation"
    assert cameo.label("14") == "Protest"
    assert cameo.label("999") is None
    assert [cameo.kind(c) for c in ("015", "016", "0162", "043", "1123", "190", "zz")] == [
        "claim", "denial", "denial", "statement", "statement", "action", "event",
    ]  # fmt: skip
    assert cameo.code_of("criticize or denounce") == "111"
    assert all(re.fullmatch(r"\d{2,3}", code) for code in cameo.LABELS)
    assert {code for code in cameo.LABELS if len(code) == 2} == {f"{i:02d}" for i in range(1, 21)}


def test_columns_option_parsing() -> None:
    assert parse_columns("actor, title ,start") == ("actor", "title", "start")
    for bad in ("a,,b", "a,a"):
        with pytest.raises(ValueError, match="--columns"):
            parse_columns(bad)


# ---------------------------------------------------------------- nested JSON


def test_nested_json_flattens_objects_and_joins_named_lists() -> None:
    items = records_at(json.loads(CURRENT_EVENTS.read_text(encoding="utf-8")), "$.data.items", "x.json")
    rows, notes = flatten_records(items, "x.json")
    first = rows[0]
    assert first["story.name"] == "Border conflict"
    assert first["location.coordinates.lat"] == "50.1"
    assert first["actors"] == "Country A; Country B"
    assert first["actors.role"] == "attacker; target"
    assert first["references.url"] == "https://example.org/a; https://example.org/b"
    assert first["tags"] == "drones;energy"
    assert json.loads(rows[2]["images"]) == [["a.jpg", 300], ["b.jpg", 200]]
    assert "actors: a list of named objects, their names joined by '; ' in 2 rows" in notes
    assert "images: kept as JSON text in 1 row" in notes


@pytest.mark.parametrize(
    ("path", "count"), [("$", 1), ("$.data.items", 3), ("data.items", 3), ("$.data.items[0].actors", 2)]
)
def test_records_paths(path: str, count: int) -> None:
    document = json.loads(CURRENT_EVENTS.read_text(encoding="utf-8"))
    document = [document] if path == "$" else document
    assert len(records_at(document, path, "x.json")) == count


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        ("$.data.things", "$.data has no key 'things' (its keys: day_count, items)"),
        ("$.data", "$.data is an object, not a list of items"),
        ("$.data.items[9]", "$.data.items has no item [9]"),
        ("$..x", "is not a path such as $, $.events or $.data.items"),
    ],
)
def test_a_records_path_that_leads_nowhere_says_so(path: str, rule: str) -> None:
    message = problems(CURRENT_EVENTS.read_bytes(), "ce.json", ReadOptions(records=path))
    assert rule in message


def test_nested_json_loads_with_records_and_a_map_on_flattened_names() -> None:
    options = ReadOptions(records="$.data.items", mapping={"actor": "story.name", "title": "text"})
    dataset = read_events(CURRENT_EVENTS.read_bytes(), "current_events.json", options)
    events = dataset.events
    assert events["actor"].tolist() == ["Border conflict", "Budget 2024", "Winter floods"]
    assert events["start"].tolist() == ["2024-02-11", "2024-02-11", "2024-02-12"]
    assert events["location.name"].tolist() == ["Border town", "Capital", "River valley"]
    assert events["actors"].tolist() == ["Country A; Country B", "Parliament", ""]


def test_nested_events_no_longer_make_must_be_text_problems() -> None:
    document = {"events": [{"id": "a", "start": "2022", "actor": {"name": "Kyiv"}, "kind": "claim", "title": "T"}]}
    message = problems(json.dumps(document).encode(), "e.json")
    assert "must be text" not in message
    assert "pass --map actor=COLUMN (its columns: id, start, actor.name, kind, title)" in message
    options = ReadOptions(mapping={"actor": "actor.name"})
    assert read_events(json.dumps(document).encode(), "e.json", options).events["actor"].tolist() == ["Kyiv"]


# ---------------------------------------------------------------- TimelineJS groups and media


def test_timelinejs_json_media_and_groups_are_kept(testdata: Path) -> None:
    dataset = read_events((testdata / "timelinejs" / "houston_timeline3.json").read_bytes(), "houston.json")
    events = dataset.events
    assert {"media", "media_caption", "media_credit"} <= set(events.columns)
    assert events["media"].str.startswith("http").sum() >= 10
    assert "media: kept as column 'media' in 15 rows (not drawn)" in dataset.notes
    grouped = {"events": [{"start_date": {"year": "2001", "hour": "9", "minute": "5"}, "group": "Ops",
                           "text": {"headline": "H"}, "media": {"url": "u.jpg", "alt": "a"},
                           "background": {"color": "#fff"}, "autolink": False}]}  # fmt: skip
    event = read_events(json.dumps(grouped).encode(), "t.json").events.iloc[0]
    assert event[["actor", "media", "media.alt", "background", "time", "autolink"]].tolist() == [
        "Ops", "u.jpg", "a", "#fff", "09:05", "false",
    ]  # fmt: skip


def test_a_timelinejs_sheet_keeps_its_media_and_writes_it_back() -> None:
    dataset = read_events((FIXTURES / "timelinejs_sheet.csv").read_bytes(), "bridge.csv")
    events = dataset.events.set_index("title")
    assert events.loc["Engineers report cracks", ["media", "time"]].tolist() == [
        "https://example.org/report.pdf",
        "10:30 AM",
    ]
    assert events.loc["Construction", "background"] == "#eeeeee"
    assert "title and era slides: background, media, media_caption, media_credit not kept" in dataset.notes[-1]
    sheet = write_events(dataset.events, "timelinejs")
    header = sheet.decode().splitlines()[0].split(",")
    assert "media" not in header and "Media" in header  # back in the template's own column
    back = read_events(sheet, "bridge.timelinejs.csv").events
    pd.testing.assert_frame_equal(back[dataset.events.columns], dataset.events)


# ---------------------------------------------------------------- every reader, every writer


READERS: dict[str, Callable[[], Dataset]] = {
    "vis example": lambda: read_events((ROOT.parent / "shared/testdata/vis/vis_basic.json").read_bytes(), "vis.json"),
    "vis with groups": lambda: read_events(VIS_GROUPS.read_bytes(), "vis.json"),
    "TimeMap xlsx": lambda: read_events(timemap_xlsx(), "events.xlsx"),
    "TimeMap example": lambda: read_events((FIXTURES / "timemap_data.xlsx").read_bytes(), "timemap_data.xlsx"),
    "TimeMap JSON": lambda: read_events((FIXTURES / "timemap_deeprows.json").read_bytes(), "events.json"),
    "TimeMap csv": lambda: read_events(TIMEMAP_CSV.read_bytes(), "export_events.csv"),
    "ICEWS preset": lambda: read_events(ICEWS.read_bytes(), "i.tsv", ReadOptions(preset="icews", header=False)),
    "GDELT preset": lambda: read_events(GDELT_BYTES, "g.CSV", ReadOptions(preset="gdelt", header=False)),
    "no header": lambda: read_events(
        ICEWS.read_bytes(), "i.tsv", ReadOptions(header=False, columns=("actor", "title", "target", "start"))
    ),
    "nested JSON": lambda: read_events(
        CURRENT_EVENTS.read_bytes(),
        "ce.json",
        ReadOptions(records="$.data.items", mapping={"actor": "story.name", "title": "text"}),
    ),
    "TimelineJS JSON": lambda: read_events(
        (ROOT.parent / "shared/testdata/timelinejs/houston_timeline3.json").read_bytes(), "h.json"
    ),
    "TimelineJS sheet": lambda: read_events((FIXTURES / "timelinejs_sheet.csv").read_bytes(), "bridge.csv"),
}


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("writer", WRITERS)
def test_every_reader_round_trips_through_every_writer(testdata: Path, reader: str, writer: str) -> None:
    events = READERS[reader]().events
    name = "back.timelinejs.csv" if writer == "timelinejs" else f"back.{writer}"
    back = read_events(write_events(events, writer), name).events
    if writer == "timelinejs":  # the template's media, time and type columns come back in its order
        assert sorted(back.columns) == sorted(events.columns)
        back = back[events.columns]
    pd.testing.assert_frame_equal(back, events)


def test_a_convert_round_trip_through_the_tools_csv(tmp_path: Path) -> None:
    for source in (VIS_GROUPS, TIMEMAP_CSV):
        target = tmp_path / f"{source.stem}.csv"
        assert invoke("convert", source, target).exit_code == 0
        again = tmp_path / f"{source.stem}.again.csv"
        assert invoke("convert", target, again).exit_code == 0
        assert again.read_bytes() == target.read_bytes()
        original = read_events(source.read_bytes(), source.name).events
        pd.testing.assert_frame_equal(read_events(target.read_bytes(), target.name).events, original)


def test_a_template_named_column_survives_the_timelinejs_sheet() -> None:
    data = b"id,start,actor,kind,title,Year,Type,Media\na,2022-02-24,X,claim,T,1999,title,m.jpg\n"
    events = read_events(data, "t.csv").events
    sheet = write_events(events, "timelinejs").decode()
    assert "extra:Year" in sheet.splitlines()[0]
    pd.testing.assert_frame_equal(read_events(sheet.encode(), "t.timelinejs.csv").events, events)


# ---------------------------------------------------------------- timeline validate on the cases


def test_validate_the_vis_example(testdata: Path) -> None:
    result = invoke("validate", testdata / "vis" / "vis_basic.json")
    assert result.exit_code == 0
    assert "vis_basic.json: OK, 6 events, 1 actor" in result.stdout
    assert "  note: group: 6 items without a group in the lane 'Timeline'" in result.stdout


def test_validate_a_timemap_sheet_with_serial_dates(tmp_path: Path) -> None:
    sheet = tmp_path / "timemap.xlsx"
    sheet.write_bytes(timemap_xlsx())
    result = invoke("validate", sheet)
    assert result.exit_code == 0, result.output
    assert "timemap.xlsx: OK, 3 events, 3 actors" in result.stdout
    assert "  note: Date: 3 Excel serial day numbers read as dates" in result.stdout
    example = invoke("validate", FIXTURES / "timemap_data.xlsx")
    assert "timemap_data.xlsx: OK, 11 events, 7 actors" in example.stdout


def test_validate_a_headerless_icews_file() -> None:
    refused = invoke("validate", ICEWS)
    assert refused.exit_code == 1
    assert "pass --no-header (with --columns NAME,NAME,...), or --preset icews or --preset gdelt" in refused.stderr
    loaded = invoke("validate", ICEWS, "--preset", "icews")
    assert loaded.exit_code == 0
    assert "icews_style.tsv: OK, 5 events, 5 actors" in loaded.stdout
    named = invoke("validate", ICEWS, "--no-header", "--columns", "actor,title,target,start")
    assert "icews_style.tsv: OK, 5 events" in named.stdout


def test_validate_a_gdelt_export(tmp_path: Path) -> None:
    export = tmp_path / "20240211150000.export.CSV"
    export.write_bytes(GDELT_BYTES)
    result = invoke("validate", export, "--preset", "gdelt")
    assert result.exit_code == 0, result.output
    assert "20240211150000.export.CSV: OK, 3 events, 3 actors" in result.stdout


def test_validate_a_nested_current_events_export() -> None:
    refused = invoke("validate", CURRENT_EVENTS)
    assert refused.exit_code == 1
    assert "pass --records $.data.items" in refused.stderr
    unmapped = invoke("validate", CURRENT_EVENTS, "--records", "$.data.items")
    assert "pass --map actor=COLUMN (its columns: date, category, text, story.name" in unmapped.stderr
    loaded = invoke(
        "validate", CURRENT_EVENTS, "--records", "$.data.items", "--map", "actor=story.name", "--map", "title=text"
    )
    assert loaded.exit_code == 0
    assert "current_events.json: OK, 3 events, 3 actors" in loaded.stdout
    assert "  note: location, story: nested objects flattened to dotted columns (location.…)" in loaded.stdout


def test_the_command_line_refuses_columns_without_no_header() -> None:
    result = invoke("validate", ICEWS, "--columns", "a,b,c,d")
    assert result.exit_code == 1
    assert "--columns names the columns of a headerless file: add --no-header" in result.output


def test_the_readme_notes_example_is_what_validate_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n(vis\.json: OK.*?)```", readme, flags=re.S)
    assert block, "the README's notes example is missing"
    shown = block.group(1).strip().splitlines()
    printed = invoke("validate", VIS_GROUPS).stdout.replace(str(VIS_GROUPS), "vis.json").splitlines()
    assert shown == printed


# ---------------------------------------------------------------- upload caps


@pytest.mark.parametrize(
    ("data", "name", "options"),
    [
        (lambda: json.dumps({"items": [{"content": "x", "start": "2022"}] * 5}).encode(), "vis.json", ReadOptions()),
        (lambda: json.dumps([{"content": "x", "start": "2022"}] * 5).encode(), "vis.json", ReadOptions()),
        (timemap_xlsx, "tm.xlsx", ReadOptions()),
        (lambda: ICEWS.read_bytes(), "i.tsv", ReadOptions(preset="icews", header=False)),
        (lambda: GDELT_BYTES, "g.CSV", ReadOptions(preset="gdelt", header=False)),
        (lambda: CURRENT_EVENTS.read_bytes(), "ce.json", ReadOptions(records="$.data.items")),
    ],
)
def test_upload_row_caps_apply_to_every_new_reader(data: Callable[[], bytes], name: str, options: ReadOptions) -> None:
    with pytest.raises(ValidationError, match="too many rows"):
        formats.read(data(), name, formats.container_of(data(), name), options, UploadLimits(rows=2))


def test_upload_cell_caps_count_the_flattened_columns() -> None:
    # Three items, flattened to 15 columns: 45 cells, over a cap of 40.
    with pytest.raises(ValidationError, match="too many cells"):
        formats.read(
            CURRENT_EVENTS.read_bytes(), "ce.json", "json", ReadOptions(records="$.data.items"), UploadLimits(cells=40)
        )


def test_an_upload_keeps_its_notes_and_the_message_lists_them() -> None:
    from timeline.app.callbacks import loaded_alert
    from timeline.budget import read_upload

    dataset = read_upload(VIS_GROUPS.read_bytes(), "vis.json", ReadOptions(), 5 * 1024 * 1024)
    assert "content: HTML tags removed in 3 rows" in dataset.notes  # across the worker process
    alert = loaded_alert("vis.json", dataset)
    text, listed = alert.children
    assert text == "Showing vis.json: 6 events. Only this browser tab sees it."
    assert [item.children for item in listed.children] == [f"note: {n}" for n in dataset.notes]
    plain = read_events(b"id,start,actor,kind,title\na,2022,X,claim,T\n", "plain.csv")
    assert loaded_alert("plain.csv", plain).children == "Showing plain.csv: 1 event. Only this browser tab sees it."


def test_a_table_with_ids_but_no_kind_gets_the_kind_event() -> None:
    events = read_events(b"id,start,actor,title\nx1,2022,Kyiv,Said\n", "k.csv").events
    assert events[["id", "kind"]].values.tolist() == [["x1", "event"]]


def test_columns_recognised_by_a_common_name_are_noted(testdata: Path) -> None:
    dataset = read_events((testdata / "historicaldate" / "US_presidents.csv").read_bytes(), "presidents.csv")
    assert dataset.notes == (
        "columns recognised by their names: hdate -> start, hdate_end -> end, label -> actor, label -> title, "
        "description -> summary, url -> source",
    )
    own = read_events(b"id,start,actor,kind,title\na,2022,X,claim,T\n", "own.csv")
    assert own.notes == ()


@pytest.mark.parametrize("encoding", [None, "latin-1"])  # Arrow's fast path, then the csv module's
def test_a_headerless_files_problems_name_its_own_lines(encoding: str | None) -> None:
    data = "A\tSaid\tB\t2014-01-02\nC\tDid\tD\t2014-13-03\n".encode(encoding or "utf-8")
    options = ReadOptions(preset="icews", header=False, encoding=encoding)
    assert "line 2 (row 2), column 'start': is not a date: month 13" in problems(data, "x.tsv", options)
    first = "A\tSaid\tB\tsoon\n".encode(encoding or "utf-8")
    assert "line 1 (row 1), column 'start'" in problems(first, "x.tsv", options)


def test_excels_phantom_leap_day_reads_as_the_first_of_march() -> None:
    assert excel_date(60) == excel_date(61) == dt.datetime(1900, 3, 1)


def test_every_layout_and_preset_is_documented() -> None:
    from timeline.headerless import PRESETS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    load = readme.split("## Load your own data", 1)[1].split("\n## ", 1)[0]
    command_line = readme.split("## The command line", 1)[1].split("\n## ", 1)[0]
    for layout in formats.LAYOUTS:
        assert f"`{layout}`" in command_line, layout
        assert f"--format {layout}" in load, layout
    for preset in PRESETS:
        assert f"| `{preset}` |" in load and f"`--preset {preset}`" in load, preset


def test_json_lines_are_read_one_item_a_line() -> None:
    items = json.loads(CURRENT_EVENTS.read_text(encoding="utf-8"))["data"]["items"]
    lines = "\n".join(json.dumps(item) for item in items) + "\n"
    options = ReadOptions(format="json", mapping={"actor": "story.name", "title": "text"})
    dataset = read_events(lines.encode(), "wcep.jsonl", options)
    assert dataset.events["actor"].tolist() == ["Border conflict", "Budget 2024", "Winter floods"]
    assert dataset.notes[0] == "read as JSON Lines: one item on each of 3 lines"
    broken = lines + '{"date": }\n'
    assert "is not valid JSON: Expecting value at line 4, column 10" in problems(broken.encode(), "w.jsonl", options)
    assert "Extra data at line 1, column 10" in problems(b'{"a": 1} x', "junk.json")
    with pytest.raises(ValidationError, match="too many rows"):
        formats.read(lines.encode(), "w.jsonl", "json", options, UploadLimits(rows=2))
    named = ReadOptions(mapping={"actor": "story.name", "title": "text"})  # no --format: the name says it
    for name in ("wcep.jsonl", "wcep.ndjson"):
        assert len(read_events(lines.encode(), name, named).events) == 3
