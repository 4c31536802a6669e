"""TimelineJS sheets (CSV, TSV, Excel) and JSON timelines, on fixtures shaped like Knight
Lab's template (tests/fixtures/) and on Knight Lab's public examples (../shared/testdata)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from timeline.dataset import Dataset, Era, ReadOptions
from timeline.figures import fig_actors, timeline_figure
from timeline.io import load_events, read_events, write_events
from timeline.schema import ValidationError, validate_events
from timeline.timelinejs import DEFAULT_ACTOR, SHEET_COLUMNS, is_sheet, plain_text

FIXTURES = Path(__file__).parent / "fixtures"
SHEET = FIXTURES / "timelinejs_sheet.csv"
TIMELINE = FIXTURES / "timelinejs_timeline.json"


def sheet_rows() -> list[list[str]]:
    with SHEET.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def as_tsv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows: list[list[str]]) -> bytes:
    """The sheet as Excel saves it: numbers as numbers, text as text."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([int(v) if v.isdigit() else (v or None) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_bytes(fmt: str) -> bytes:
    return {"csv": SHEET.read_bytes, "tsv": lambda: as_tsv(sheet_rows()), "xlsx": lambda: as_xlsx(sheet_rows())}[fmt]()


# ---------------------------------------------------------------- the sheet template


def test_the_fixture_has_exactly_the_template_columns() -> None:
    assert tuple(sheet_rows()[0]) == SHEET_COLUMNS
    assert is_sheet(SHEET_COLUMNS)
    assert not is_sheet(["id", "start", "actor", "kind", "title"])


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_a_sheet_is_detected_and_mapped(fmt: str) -> None:
    dataset = read_events(sheet_bytes(fmt), f"bridge.{fmt}")
    events = dataset.events.set_index("title")
    assert dataset.title == "The Riverside Bridge"
    assert dataset.eras == (Era("Planning years", "1998", "2004"), Era("Building years", "2005", "2009"))
    assert list(events.index) == [
        "Council proposes a new bridge",
        "Engineers report cracks",
        "Funding approved",
        "Construction",
        "Bridge opens",
    ]
    assert set(events["kind"]) == {"event"}
    # Group -> actor; a row without a group goes in the lane named after the title.
    assert events["actor"].tolist() == ["Council", "Engineers", "Council", "Builders", "The Riverside Bridge"]
    # Partial dates keep their precision; times are dropped.
    assert events.loc["Council proposes a new bridge", ["start", "precision"]].tolist() == ["1998-03", "month"]
    assert events.loc["Engineers report cracks", ["start", "precision"]].tolist() == ["1999-06-14", "day"]
    assert events.loc["Funding approved", ["start", "precision"]].tolist() == ["2003", "year"]
    assert events.loc["Construction", ["start", "end"]].tolist() == ["2005-04-02", "2009-10-17"]
    # Display Date -> date_text.
    assert events.loc["Council proposes a new bridge", "date_text"] == "March 1998"
    assert events.loc["Construction", "date_text"] == "Spring 2005 to autumn 2009"
    # Ids count the sheet's data rows (the title row is row 1).
    assert dataset.events["id"].tolist() == ["row-4", "row-5", "row-6", "row-7", "row-8"]


def test_sheet_html_becomes_plain_text() -> None:
    events = read_events(SHEET.read_bytes(), "bridge.csv").events.set_index("title")
    assert events.loc["Council proposes a new bridge", "summary"] == (
        "The council votes to study a replacement.\nA report is due next year."
    )
    assert events.loc["Engineers report cracks", "summary"] == (
        "Inspectors find cracks in two piers.\nTraffic is limited to cars."
    )
    assert events.loc["Funding approved", "summary"] == "State & town agree to share the cost."
    assert events.loc["Construction", "summary"] == "Piers\nDeck"
    assert events.loc["Bridge opens", "summary"] == "The new bridge opens to traffic."
    for column in ("title", "summary", "actor", "date_text"):
        assert not events.reset_index()[column].str.contains("<").any()


def test_sheet_problems_name_the_sheet_row_and_column() -> None:
    rows = sheet_rows()
    rows[4][0] = "-0"  # Year: TimelineJS has no year 0
    rows[5][1] = "13"  # Month 13
    rows[6][4], rows[6][5] = "", "5"  # End Month without End Year
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    with pytest.raises(ValidationError) as caught:
        read_events(out.getvalue().encode(), "bridge.csv")
    found = {(p.row, p.line, p.column) for p in caught.value.problems}
    assert (4, 5, "Year") in found
    assert (5, 6, "Year") in found
    assert (6, 7, "End Year") in found
    text = str(caught.value)
    assert "there is no year 0 BC" in text
    assert "month 13 is not between 1 and 12" in text
    assert "a month or day needs a year" in text


def test_an_explicit_mapping_reads_a_sheet_as_a_plain_table() -> None:
    options = ReadOptions(mapping={"actor": "Group", "start": "Display Date"})
    with pytest.raises(ValidationError) as caught:
        read_events(SHEET.read_bytes(), "bridge.csv", options)
    assert any(p.column == "start" for p in caught.value.problems)  # the title row has no date


# ---------------------------------------------------------------- the JSON format


def test_a_timelinejs_json_timeline_is_detected_and_mapped() -> None:
    dataset = load_events(TIMELINE)
    events = dataset.events.set_index("id")
    assert dataset.title == "1066: a year of three kings"
    assert dataset.eras == (Era("Harold's reign", "1066-01-06", "1066-10-14"),)
    # unique_id -> id (made safe), otherwise row-N counting events[] from 1.
    assert list(events.index) == [
        "edward-dies", "harold-crowned", "row-3", "row-4", "hastings", "row-6", "row-7",
    ]  # fmt: skip
    assert events.loc["edward-dies", ["start", "precision", "actor"]].tolist() == ["1066-01-05", "day", "England"]
    assert events.loc["harold-crowned", "start"] == "1066-01-06"  # numbers, not strings
    assert events.loc["row-3", "date_text"] == "25 September 1066"
    assert events.loc["hastings", ["start", "end"]].tolist() == ["1066-10-14", "1066-10-14"]
    assert events.loc["row-6", ["start", "precision"]].tolist() == ["1066-12", "month"]
    assert events.loc["row-7", ["start", "end", "precision"]].tolist() == ["1086", "1087", "year"]
    assert events.loc["row-7", "actor"] == "1066: a year of three kings"  # no group: the title's lane
    assert events.loc["hastings", "summary"] == "Harold is killed.\nThe Normans win."
    assert events.loc["row-3", "summary"] == "Harold defeats Harald Hardrada & Tostig."
    assert set(events["kind"]) == {"event"}


def test_events_without_group_or_title_go_in_the_default_lane() -> None:
    document = {"events": [{"start_date": {"year": 2020}, "text": {"headline": "One"}}]}
    dataset = read_events(json.dumps(document).encode(), "t.json")
    assert dataset.events["actor"].tolist() == [DEFAULT_ACTOR]
    assert dataset.title == ""


def test_a_slide_without_headline_takes_its_text() -> None:
    document = {"events": [{"start_date": {"year": 2020}, "text": {"text": "<p>Only a <b>text</b></p>"}}]}
    assert read_events(json.dumps(document).encode(), "t.json").events["title"].tolist() == ["Only a text"]


def test_json_problems_name_the_slide_and_key() -> None:
    document = json.loads(TIMELINE.read_text(encoding="utf-8"))
    document["events"][1]["start_date"]["year"] = "-0"  # TimelineJS has no year 0
    document["events"][2]["start_date"] = {"month": "9"}
    document["events"][3]["end_date"] = {"year": "1065"}
    document["events"].append({"start_date": {"year": 2020}, "text": {"headline": "x"}, "unique_id": "hastings"})
    document["eras"][0]["end_date"] = {"year": "1065"}
    with pytest.raises(ValidationError) as caught:
        read_events(json.dumps(document).encode(), "kings.json")
    found = {(p.row, p.column, p.rule.split(":")[0]) for p in caught.value.problems}
    assert (2, "start_date", "is not a date") in found
    assert (3, "start_date", "a month or day needs a year") in found
    assert (4, "end_date", "is before start") in found
    assert (5, "unique_id", "is used by more than one row") in found
    assert (None, "eras[1].end_date", "the era ends before it starts") in found


@pytest.mark.parametrize(
    "document",
    [
        {"events": "nope", "title": {}},
        {"events": [1, "two"], "eras": []},
        {"events": [{"start_date": [1066], "text": {"headline": "x"}}]},
        {"events": [{"start_date": {"year": {"nested": 1}}, "text": {"headline": "x"}}]},
        {"title": {"text": {"headline": "Only a title"}}},
    ],
)
def test_malformed_timelinejs_json_is_explained(document: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        read_events(json.dumps(document).encode(), "odd.json")
    assert caught.value.problems


# ---------------------------------------------------------------- Knight Lab's examples


@pytest.mark.parametrize(
    ("name", "title", "count", "first"),
    [
        ("houston_timeline3.json", "Whitney Houston 1963 - 2012", 18, ("1963-08-09", "day")),
        ("republican_timeline3.json", "The Republican Run-Up", 13, ("2012-01-03", "day")),
    ],
)
def test_knight_lab_examples_load(testdata: Path, name: str, title: str, count: int, first: tuple[str, str]) -> None:
    dataset = load_events(testdata / "timelinejs" / name)
    events = dataset.events
    assert dataset.title == title
    assert len(events) == count
    assert tuple(events.iloc[0][["start", "precision"]]) == first
    assert set(events["actor"]) == {title}  # the examples have no groups
    for column in ("title", "summary", "date_text", "actor"):
        assert not events[column].str.contains(r"<[a-zA-Z/]", regex=True).any(), column
    fig = timeline_figure(events, title=dataset.title, eras=dataset.eras)
    assert sorted(set(fig_actors(fig))) == [title]


def test_houston_years_are_year_precision_and_html_is_gone(testdata: Path) -> None:
    events = load_events(testdata / "timelinejs" / "houston_timeline3.json").events.set_index("title")
    assert events.loc["First Recording", ["start", "precision"]].tolist() == ["1978", "year"]
    married = events.loc["Married Life", "summary"]
    assert married.startswith("After three years of courtship")
    assert "\nIn 2003 Brown" in married  # paragraphs become lines
    assert "Whitney Houston 1963-2012" in events.index  # <br/> becomes a space in a headline


def test_republican_links_keep_their_words(testdata: Path) -> None:
    events = load_events(testdata / "timelinejs" / "republican_timeline3.json").events.set_index("title")
    assert "Romney swept New Hampshire from the other candidates" in events.loc["New Hampshire", "summary"]
    assert pd.Series(events.index).is_unique


# ---------------------------------------------------------------- HTML to text


@pytest.mark.parametrize(
    ("markup", "one_line", "expected"),
    [
        ("plain text", False, "plain text"),
        ("<p>One</p><p>Two</p>", False, "One\nTwo"),
        ("<p>One</p><p>Two</p>", True, "One Two"),
        ("A<br>B<br/>C", False, "A\nB\nC"),
        ("Ada <i>Love</i>lace", False, "Ada Lovelace"),
        ("Fish &amp; chips", False, "Fish & chips"),
        ("<script>alert(1)</script>Safe<style>p{}</style>", False, "Safe"),
        ('<a href="https://example.org">a link</a>', False, "a link"),
        ("<?xml version='1.0'?><a>x</a>", False, "x"),
        ("1 < 2 and 3 > 2", False, "1 < 2 and 3 > 2"),
        ("  spaced \n\n  out  ", False, "spaced\nout"),
        ("<blockquote>Quote <cite>Someone</cite></blockquote>", False, "Quote\nSomeone"),
    ],
)
def test_plain_text(markup: str, one_line: bool, expected: str) -> None:
    assert plain_text(markup, one_line=one_line) == expected


def test_a_written_sheet_reads_back_whole_with_relations_and_statuses(seed: Dataset) -> None:
    from timeline.export import format_for

    content = write_events(seed.events, "timelinejs")
    header = content.decode().splitlines()[0].split(",")
    assert header[: len(SHEET_COLUMNS)] == list(SHEET_COLUMNS)  # the template first, as TimelineJS wants
    assert {"id", "denies", "reports_on", "refers_to", "status", "status_by"} <= set(header)
    assert format_for("story.timelinejs.csv") == "timelinejs"
    back = read_events(content, "story.timelinejs.csv").events
    pd.testing.assert_frame_equal(back, seed.events)
    denial = back.set_index("id").loc["musk-false-news-reports"]
    assert (denial["denies"], denial["kind"]) == ("gur-intercept-claim;yusov-systematic-use", "denial")


def test_a_sheet_keeps_markup_in_headlines_as_text() -> None:
    table = pd.DataFrame(
        [{"id": "a", "start": "2024-02-11", "actor": "A", "kind": "claim", "title": "<b>bold</b> & co", "summary": "x"}]
    )
    events = validate_events(table, file="t.csv")
    sheet = write_events(events, "timelinejs").decode()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in sheet
    assert read_events(sheet.encode(), "t.csv").events["title"].tolist() == ["<b>bold</b> & co"]


def test_a_bad_cell_in_the_title_or_an_era_is_named_where_it_is() -> None:
    document = {
        "title": {"text": {"headline": ["not", "text"]}},
        "events": [{"start_date": {"year": "2020"}, "text": {"headline": "One"}, "group": "A"}],
        "eras": [{"start_date": {"year": "2019"}, "end_date": {"year": "2021"}, "text": {"headline": {"x": 1}}}],
    }
    with pytest.raises(ValidationError) as caught:
        read_events(json.dumps(document).encode(), "t.json")
    columns = {p.column for p in caught.value.problems}
    assert "title.text.headline" in columns
    assert "eras[1].text.headline" in columns  # eras counted from 1, as rows are
    assert not any(str(c).startswith("end_") for c in columns)
