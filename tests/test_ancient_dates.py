"""Uncertain and ancient dates: what each form becomes in the event table, the window it
means, how it survives every format, and how it is filtered."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from timeline.app.years import date_controls, dates_from_years, years_from_dates
from timeline.cli import main
from timeline.dataset import Dataset
from timeline.dates import DATE_FORMS, DateError, Day, circa_years, parse_date_window, parse_dates, parse_iso_day
from timeline.export import IMAGE_DEFAULTS, export_view
from timeline.formats import DATA_FORMATS
from timeline.io import load_events, read_events, write_events
from timeline.query import Filters, ViewRequest, build_view, matching
from timeline.schema import ValidationError, validate_events
from timeline.timelinejs import write_sheet

FIXTURE = Path(__file__).parent / "fixtures" / "ancient.csv"
TODAY = dt.date.today()
NOW = np.datetime64(TODAY.isoformat())


def day(text: str) -> np.datetime64:
    return np.datetime64(text, "D")


def ms(text: str) -> int:
    return int(day(text).astype("datetime64[ms]").astype(np.int64))


def loaded(start: str, end: str = "", **cells: str) -> pd.Series:
    """The typed row one event with these dates becomes."""
    row = {"id": "e1", "start": start, "end": end, "actor": "A", "kind": "event", "title": "T", **cells}
    return validate_events(pd.DataFrame([row]), file="t.csv").iloc[0]


# (written start, written end) -> start, end, precision, approximate, open side, first day, last day
FORMS = [
    # circa: a margin of circa_years() either side (5 % of the distance from 2000, 2..25 years)
    ("c. 383", "", "0358", "0408", "year", True, "", "0358-01-01", "0408-12-31"),
    ("ca. 1200", "", "1175", "1225", "year", True, "", "1175-01-01", "1225-12-31"),
    ("circa 1850", "", "1842", "1858", "year", True, "", "1842-01-01", "1858-12-31"),
    ("c. 1990", "", "1988", "1992", "year", True, "", "1988-01-01", "1992-12-31"),
    ("c. 387 BC", "", "-0411", "-0361", "year", True, "", "-0411-01-01", "-0361-12-31"),
    # between: the window from the first to the last
    ("Between 47 and 50", "", "0047", "0050", "year", True, "", "0047-01-01", "0050-12-31"),
    ("between March 1850 and June 1851", "", "1850-03", "1851-06", "month", True, "", "1850-03-01", "1851-06-30"),
    ("Between 50 and 47 BC", "", "-0049", "-0046", "year", True, "", "-0049-01-01", "-0046-12-31"),
    # before / after: open on one side, reaching twice the circa margin (here 50 years)
    ("Before 400BC", "", "before -0399", "", "year", True, "before", "-0450-01-01", "-0400-12-31"),
    ("After 1200", "", "after 1200", "", "year", True, "after", "1201-01-01", "1251-12-31"),
    ("before March 1850", "", "before 1850-03", "", "month", True, "before", "1834-01-01", "1850-02-28"),
    # decades and centuries
    ("1850s", "", "1850", "1859", "year", True, "", "1850-01-01", "1859-12-31"),
    ("1800s", "", "1800", "1899", "year", True, "", "1800-01-01", "1899-12-31"),
    ("the 40s BC", "", "-0048", "-0039", "year", True, "", "-0048-01-01", "-0039-12-31"),
    ("5th century BC", "", "-0499", "-0400", "year", True, "", "-0499-01-01", "-0400-12-31"),
    ("12th century", "", "1101", "1200", "year", True, "", "1101-01-01", "1200-12-31"),
    ("1st century AD", "", "0001", "0100", "year", True, "", "0001-01-01", "0100-12-31"),
    # years BC and AD (astronomical inside: 1 BC is 0000, 55 BC is -0054)
    ("55 BC", "", "-0054", "", "year", False, "", "-0054-01-01", "-0054-12-31"),
    ("500 BCE", "", "-0499", "", "year", False, "", "-0499-01-01", "-0499-12-31"),
    ("44 B.C.", "", "-0043", "", "year", False, "", "-0043-01-01", "-0043-12-31"),
    ("March 44 BC", "", "-0043-03", "", "month", False, "", "-0043-03-01", "-0043-03-31"),
    ("15 March 44 BC", "", "-0043-03-15", "", "day", False, "", "-0043-03-15", "-0043-03-15"),
    ("1 BC", "", "0000", "", "year", False, "", "0000-01-01", "0000-12-31"),
    ("-0054", "", "-0054", "", "year", False, "", "-0054-01-01", "-0054-12-31"),
    ("-0043-03-15", "", "-0043-03-15", "", "day", False, "", "-0043-03-15", "-0043-03-15"),
    ("AD 100", "", "0100", "", "year", False, "", "0100-01-01", "0100-12-31"),
    ("100 CE", "", "0100", "", "year", False, "", "0100-01-01", "0100-12-31"),
    ("27 BC", "AD 14", "-0026", "0014", "year", False, "", "-0026-01-01", "0014-12-31"),
    # an end that is still going on: an open span to today
    ("1990", "ongoing", "1990", "present", "year", False, "present", "1990-01-01", TODAY.isoformat()),
    ("AD 80", "present", "0080", "present", "year", False, "present", "0080-01-01", TODAY.isoformat()),
    # a circa end widens the end; the event is then approximate as a whole
    ("1850", "c. 1870", "1850", "1877", "year", True, "", "1850-01-01", "1877-12-31"),
]


@pytest.mark.parametrize(
    ("start", "end", "want_start", "want_end", "precision", "approximate", "open_side", "lo", "hi"), FORMS
)
def test_each_form_becomes_its_window(
    start: str,
    end: str,
    want_start: str,
    want_end: str,
    precision: str,
    approximate: bool,
    open_side: str,
    lo: str,
    hi: str,
) -> None:
    row = loaded(start, end)
    assert (row["start"], row["end"], row["precision"], bool(row["approximate"])) == (
        want_start,
        want_end,
        precision,
        approximate,
    )
    assert (row["lo"], row["hi"]) == (pd.Timestamp(day(lo)), pd.Timestamp(day(hi)))
    side = parse_date_window(end).open if end else parse_date_window(start).open
    assert side == open_side


@pytest.mark.parametrize(("start", "end"), [(f[0], f[1]) for f in FORMS])
def test_each_form_reads_back_as_it_was_written_out(start: str, end: str) -> None:
    """The table's own wording of a form reads back to the same window and the same text."""
    row = loaded(start, end)
    again = loaded(row["start"], row["end"], approximate=str(row["approximate"]).lower(), date_text=row["date_text"])
    for column in ("start", "end", "precision", "approximate", "date_text", "lo", "hi"):
        assert again[column] == row[column], column


@pytest.mark.parametrize(
    ("start", "end", "date_text"),
    [
        ("c. 383", "", "c. 383"),
        ("Before 400BC", "", "Before 400BC"),
        ("55 BC", "", "55 BC"),
        ("1990", "ongoing", "1990 – ongoing"),
        ("27 BC", "AD 14", "27 BC – AD 14"),
    ],
)
def test_date_text_keeps_the_original_wording(start: str, end: str, date_text: str) -> None:
    assert loaded(start, end)["date_text"] == date_text
    assert loaded(start, end, date_text="in the days of Cicero")["date_text"] == "in the days of Cicero"


@pytest.mark.parametrize("start", ["2022-02-24", "Feb 2022", "AD 800", "1066", "0001-01-01"])
def test_forms_read_before_keep_their_blank_date_text_and_exact_reading(start: str) -> None:
    row = loaded(start)
    assert row["date_text"] == ""
    assert not row["approximate"]
    assert row["end"] == ""


@pytest.mark.parametrize(
    ("year", "margin"),
    [(2000, 2), (1990, 2), (1950, 3), (1900, 5), (1850, 8), (1800, 10), (1700, 15), (1500, 25), (383, 25), (-499, 25)],
)
def test_the_circa_margin_grows_with_distance_from_2000_within_2_and_25_years(year: int, margin: int) -> None:
    assert circa_years(year) == margin


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-54", "ambiguous: write 54 BC"),
        ("0", "there is no year 0"),
        ("0 BC", "there is no year 0 BC"),
        ("0th century", "no 0th century"),
        ("BC 44", "write BC after the year"),
        ("c. 15 March 1850", "circa takes a year"),
        ("Between 50 and 40", "40 is before 50"),
        ("Before soon", "not a date"),
        ("100001 BC", "before 100000 BC"),
    ],
)
def test_forms_that_mean_nothing_clear_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date_window(text)


def test_a_start_cannot_be_ongoing_and_problems_name_the_row() -> None:
    table = pd.DataFrame(
        [
            {"id": "a", "start": "ongoing", "end": "", "actor": "A", "kind": "event", "title": "T"},
            {"id": "b", "start": "Between 50 and 40", "end": "", "actor": "A", "kind": "event", "title": "T"},
            {"id": "c", "start": "AD 14", "end": "27 BC", "actor": "A", "kind": "event", "title": "T"},
        ]
    )
    with pytest.raises(ValidationError) as caught:
        validate_events(table, file="t.csv")
    found = {(p.row, p.column, p.rule) for p in caught.value.problems}
    assert (1, "start", "is an end (ongoing or present), not a start") in found
    assert (2, "start", "is not a date: 40 is before 50: write the earlier date first") in found
    assert (3, "end", "is before start") in found


def test_a_column_of_every_form_agrees_with_one_cell_at_a_time() -> None:
    texts = [f[0] for f in FORMS] + [f[1] for f in FORMS if f[1]] + ["2022-02-24", "", "nonsense"]
    column = parse_dates(pd.Series(texts * 2, dtype="str"))
    for row, text in enumerate(texts * 2):
        if text in ("", "nonsense"):
            assert not column.is_date[row]
            continue
        window = parse_date_window(text)
        assert (column.first_day()[row], column.last_day()[row]) == (window.lo, window.hi), text
        assert (column.iso()[row], column.as_end()[row]) == (window.start_text, window.end_text), text
        assert column.is_approximate()[row] == window.approximate, text
        assert column.opens()[row] == window.open, text


# ---------------------------------------------------------------- the fixture, through every format


@pytest.fixture(scope="module")
def ancient() -> Dataset:
    return load_events(FIXTURE)


def test_the_fixture_loads_with_its_windows(ancient: Dataset) -> None:
    events = ancient.events.set_index("id")
    assert len(events) == 10
    assert events.loc["rubicon", "start"] == "-0048"  # 49 BC
    assert events.loc["rubicon", "date_text"] == "49 BC"
    assert events.loc["oedipus", "start"] == "before -0399"
    assert events.loc["herodotus-histories", ["start", "end"]].tolist() == ["-0499", "-0400"]
    assert events.loc["colosseum", "end"] == "present"
    assert events.loc["colosseum", "hi"] == pd.Timestamp(NOW)
    assert events.loc["oedipus", "lo"] == pd.Timestamp(day("-0450-01-01"))  # 400 BC, reaching 50 years back
    assert events["lo"].min() == pd.Timestamp(day("-0499-01-01"))  # 500 BC: the 5th century BC begins


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_bc_and_circa_dates_round_trip_through_every_format(ancient: Dataset, fmt: str) -> None:
    back = read_events(write_events(ancient.events, fmt), f"ancient.{fmt}")
    pd.testing.assert_frame_equal(back.events, ancient.events)


def test_the_readme_lists_every_date_form_and_every_example_it_lists_is_read() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    dates = readme.split("### Dates\n", 1)[1].split("\n### ", 1)[0]
    rows = {
        cells[0]: re.findall(r"`([^`]+)`", cells[1])
        for line in dates.splitlines()
        if line.startswith("| ") and not line.startswith(("| form", "| ---"))
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert rows == {form.name: list(form.examples) for form in DATE_FORMS}
    for examples in rows.values():
        for example in examples:
            parse_date_window(example, "dmy")


# ---------------------------------------------------------------- filters, windows and bins on BC data


@pytest.fixture(scope="module", params=["arrays", "duckdb"])
def engines(request: pytest.FixtureRequest, ancient: Dataset) -> Dataset:
    return Dataset(ancient.events, "ancient", engine_choice=str(request.param))


def bc(text: str) -> Day:
    return Day.of(parse_date_window(text).lo)


DUCKDB_WARNING = r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning"  # ibis 12 on DuckDB 2, as test_engine


@pytest.mark.filterwarnings(DUCKDB_WARNING)
def test_date_filters_take_days_bc_on_every_engine(engines: Dataset) -> None:
    before_caesar = matching(engines, Filters(end=Day.of(day("-0100-12-31"))))["id"].tolist()  # to 101 BC
    assert before_caesar == ["marathon", "herodotus-histories", "oedipus", "academy"]
    roman = matching(engines, Filters(start=bc("50 BC"), end=Day.of(day("-0040-12-31"))))["id"].tolist()
    assert roman == ["rubicon", "ides"]  # Augustus begins in 27 BC, after the filter's end
    assert "colosseum" in matching(engines, Filters(start=dt.date(2000, 1, 1)))["id"].tolist()  # still going on
    assert matching(engines, Filters(start=bc("451 BC"), end=bc("451 BC")))["id"].tolist() == [
        "herodotus-histories",
        "oedipus",
    ]


@pytest.mark.filterwarnings(DUCKDB_WARNING)
def test_a_view_of_bc_data_has_its_window_lanes_and_bins(engines: Dataset) -> None:
    view = build_view(engines, ViewRequest())
    assert view.mode == "exact" and view.in_view == 10
    assert view.window[0] < ms("-0499-01-01")
    dense = build_view(engines, ViewRequest(exact_limit=0, bins=50))
    assert dense.mode == "aggregated" and dense.density is not None
    assert dense.density.total == 10
    first_bin = dense.density.start
    assert first_bin < ms("-0449-12-31")
    zoomed = build_view(engines, ViewRequest(window=(ms("-0050-01-01"), ms("-0020-01-01"))))
    assert zoomed.marks is not None and sorted(zoomed.marks.ids) == ["augustus", "ides", "rubicon"]


def test_filters_describe_days_bc_in_words() -> None:
    assert Filters(start=bc("50 BC"), end=Day.of(day("-0043-03-15"))).describe() == "from 1 Jan 50 BC to 15 Mar 44 BC"
    assert Filters(start=bc("c. 383")).describe() == "from 1 Jan 358"


# ---------------------------------------------------------------- images of BC data


@pytest.mark.export
@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_an_image_of_bc_data_is_drawn_with_its_year_labels(chromium: str, ancient: Dataset, fmt: str) -> None:
    from PIL import Image

    content = export_view(ancient, Filters(), fmt, IMAGE_DEFAULTS)
    if fmt == "png":
        image = Image.open(io.BytesIO(content))
        assert image.size == (
            round(IMAGE_DEFAULTS.width * IMAGE_DEFAULTS.scale),
            round(IMAGE_DEFAULTS.height * IMAGE_DEFAULTS.scale),
        )
        assert np.asarray(image.convert("L")).std() > 5
        return
    words = " ".join(" ".join(ElementTree.fromstring(content).itertext()).split())
    assert "500 BC" in words and "AD 1" in words
    for actor in ("Julius Caesar", "Sophocles", "Jerome"):
        assert actor in words


# ---------------------------------------------------------------- the dashboard's year fields


@pytest.mark.parametrize(
    ("first", "last", "value", "errors"),
    [
        ("500 BC", "AD 14", ["-0499-01-01", "0014-12-31"], ("", "")),
        ("", "44 BC", [None, "-0043-12-31"], ("", "")),
        ("15 March 44 BC", "c. 383", ["-0043-03-15", "0408-12-31"], ("", "")),
        ("soon", "", [], ("not a date", "")),
        ("", "", [], ("", "")),
        (None, 7, [], ("", "")),  # a hand-made request: no bound
    ],
)
def test_the_year_fields_make_the_date_range(
    first: object, last: object, value: list[str | None], errors: tuple[str, str]
) -> None:
    assert dates_from_years(first, last) == (value, *errors)


@pytest.mark.parametrize(
    "value",
    [["-0499-01-01", "0014-12-31"], ["-0043-03-15", "0383-06-30"], ["2022-02-24", None], ["0000-01-01", "1999-12-31"]],
)
def test_the_year_fields_show_a_date_range_they_read_back(value: list[str | None]) -> None:
    shown = years_from_dates(value)
    assert dates_from_years(*shown)[0] == value
    assert years_from_dates(["-0499-01-01", "0014-12-31"]) == ("500 BC", "AD 14")


def test_bc_data_gets_the_year_fields_and_ad_data_the_date_picker(ancient: Dataset, seed: Dataset) -> None:
    assert ancient.reaches_bc and not seed.reaches_bc
    assert date_controls(ancient) == ({"display": "none"}, {})
    assert date_controls(seed) == ({}, {"display": "none"})
    assert ancient.picker_days() == ("0001-01-01", TODAY.isoformat())  # the picker cannot go further back


def test_iso_days_bc_are_days_and_days_ad_are_dates() -> None:
    assert parse_iso_day("2022-02-24") == dt.date(2022, 2, 24)
    assert parse_iso_day("-0499-01-01") == Day.of(day("-0499-01-01"))
    assert Day.of(day("-0499-01-01")).isoformat() == "-0499-01-01"
    assert parse_iso_day("-0043-02-30") is None and parse_iso_day("500 BC") is None
    assert Day.of(day("-0043-03-15")) < dt.date(2022, 1, 1) < Day.of(day("2023-01-01"))


def test_a_timelinejs_sheet_keeps_every_window_and_counts_negative_years_bc(ancient: Dataset) -> None:
    sheet = write_sheet(ancient.events)
    assert sheet["Year"].tolist()[:2] == ["-490", "-500"]  # TimelineJS has no year 0: -490 is 490 BC
    back = read_events(sheet.to_csv(index=False).encode(), "sheet.csv").events
    for column in ("lo", "hi", "approximate", "date_text", "id"):
        assert back[column].tolist() == ancient.events[column].tolist(), column
    assert back.set_index("id").loc["ides", "start"] == "-0043-03"  # March 44 BC


@pytest.mark.export
def test_the_cli_exports_bc_data_as_an_svg_on_the_year_axis(chromium: str, tmp_path: Path) -> None:
    out = tmp_path / "ancient.svg"
    result = CliRunner().invoke(main, ["export", "--data", str(FIXTURE), "--actor", "Julius Caesar", str(out)])
    assert result.exit_code == 0, result.output
    words = " ".join(" ".join(ElementTree.fromstring(out.read_bytes()).itertext()).split())
    assert "BC" in words and "Julius Caesar" in words and "Sophocles" not in words


def test_the_cli_filters_by_years_bc(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = CliRunner().invoke(main, ["export", "--data", str(FIXTURE), "--from", "50 BC", "--to", "44 BC", str(out)])
    assert result.exit_code == 0, result.output
    assert read_events(out.read_bytes(), "x.csv").events["id"].tolist() == ["rubicon", "ides"]
    result = CliRunner().invoke(main, ["export", "--data", str(FIXTURE), "--to", "5th century BC", str(out)])
    assert result.exit_code == 0, result.output
    # c. 387 BC reaches back to 412 BC, so it may be of the 5th century too
    kept = sorted(read_events(out.read_bytes(), "x.csv").events["id"])
    assert kept == ["academy", "herodotus-histories", "marathon", "oedipus"]
    result = CliRunner().invoke(main, ["export", "--data", str(FIXTURE), "--from", "-54", str(out)])
    assert result.exit_code == 1
    assert "--from '-54':" in result.output


def test_the_dashboards_date_range_takes_days_bc_as_the_year_fields_write_them(ancient: Dataset) -> None:
    from timeline.app.callbacks import filters_from

    value, _, _ = dates_from_years("50 BC", "AD 14")
    filters = filters_from([], [], value, "")
    assert (filters.start, filters.end) == (Day.of(day("-0049-01-01")), dt.date(14, 12, 31))
    assert matching(ancient, filters)["id"].tolist() == ["rubicon", "ides", "augustus"]
    assert filters_from([], [], ["2022-02-24", "-0043-02-30"], "").end is None  # not a day: no bound
