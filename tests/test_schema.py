"""Every schema rule has a failing case whose message names the row, the line and the column."""

from __future__ import annotations

import pandas as pd
import pytest

from timeline.schema import (
    COLUMN_NAMES,
    KINDS,
    REQUIRED,
    ValidationError,
    counted,
    shorten,
    validate_events,
)

GOOD = {
    "id": "e1",
    "start": "2024-02-11",
    "end": "",
    "precision": "day",
    "approximate": "false",
    "date_text": "on Sunday",
    "actor": "Elon Musk",
    "organisation": "SpaceX",
    "side": "SpaceX / Musk",
    "kind": "denial",
    "title": "Musk denies sales",
    "summary": "",
    "quote": "",
    "source": "seed",
    "source_text": "",
    "responds_to": "",
}


def table(*changes: dict[str, str], drop: tuple[str, ...] = ()) -> pd.DataFrame:
    rows = []
    for number, change in enumerate(changes or ({},), start=1):
        rows.append({**GOOD, "id": f"e{number}", **change})
    return pd.DataFrame(rows).drop(columns=list(drop)).astype(str)


def problems(frame: pd.DataFrame) -> list[tuple[int | None, int | None, str | None, str]]:
    """(row, line, column, rule) of every problem; lines as in a CSV with a header on line 1."""
    lines = [n + 2 for n in range(len(frame))]
    with pytest.raises(ValidationError) as caught:
        validate_events(frame, file="bad.csv", lines=lines)
    return [(p.row, p.line, p.column, p.rule) for p in caught.value.problems]


def test_a_good_table_loads_typed() -> None:
    events = validate_events(table({}, {"start": "2022-02", "precision": "", "approximate": "yes"}), file="ok.csv")
    assert list(events.columns[: len(COLUMN_NAMES)]) == list(COLUMN_NAMES)
    assert events["precision"].tolist() == ["day", "month"]
    assert events["approximate"].tolist() == [False, True]
    assert str(events["hi"].iloc[1].date()) == "2022-02-28"


@pytest.mark.parametrize("column", REQUIRED)
def test_missing_required_column(column: str) -> None:
    assert (None, None, column, "required column is missing") in problems(table(drop=(column,)))


@pytest.mark.parametrize("column", ["id", "start", "actor", "kind", "title"])
def test_blank_required_cell(column: str) -> None:
    found = problems(table({}, {column: "  "}))
    assert (2, 3, column, "must not be blank") in found


@pytest.mark.parametrize(
    ("column", "value", "rule_start"),
    [
        ("id", "has space", "must be letters, digits"),
        ("start", "2024-13-01", "is not a date: month 13"),
        ("start", "yesterday", "is not a date"),
        ("start", "-44", "is not a date: -44 is ambiguous: write 44 BC"),
        ("start", "ongoing", "is an end (ongoing or present), not a start"),
        ("start", "2023-02-29", "is not a date: day 29 does not exist"),
        ("end", "soon", "is not a date"),
        ("precision", "week", "must be one of day, month, year"),
        ("approximate", "maybe", "must be true or false"),
        ("kind", "rumour", "must be one of action, statement, claim, denial, report, event"),
    ],
)
def test_bad_cell(column: str, value: str, rule_start: str) -> None:
    found = problems(table({}, {column: value}))
    assert any(
        row == 2 and line == 3 and col == column and rule.startswith(rule_start) for row, line, col, rule in found
    ), found


def test_duplicate_ids_name_both_rows() -> None:
    found = problems(table({"id": "same"}, {"id": "same"}))
    assert (1, 2, "id", "is used by more than one row") in found
    assert (2, 3, "id", "is used by more than one row") in found


def test_end_before_start() -> None:
    assert (1, 2, "end", "is before start") in problems(table({"start": "2024-02-11", "end": "2024-02-01"}))


def test_precision_must_agree_with_start() -> None:
    assert (1, 2, "precision", "disagrees with how start is written") in problems(
        table({"start": "2024-02", "precision": "day"})
    )


def test_responds_to_must_name_known_ids() -> None:
    assert (1, 2, "responds_to", "names 'ghost', which is no event's id") in problems(table({"responds_to": "ghost"}))


def test_no_rows() -> None:
    assert (None, None, None, "no events: the table has no rows") in problems(table().iloc[0:0])


def test_all_problems_at_once_never_the_first_only() -> None:
    frame = table({"start": "2024-02-30"}, {"kind": "rumour"}, drop=("title",))
    found = problems(frame)
    assert {(p[0], p[2]) for p in found} >= {(None, "title"), (1, "start"), (2, "kind")}


def test_message_names_file_line_row_column_value_and_rule() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_events(table({}, {"kind": "rumour"}), file="bad.csv", lines=[2, 7])
    text = str(caught.value)
    assert "bad.csv, line 7 (row 2), column 'kind': must be one of" in text
    assert "(value 'rumour')" in text


def test_extra_columns_are_kept_and_names_are_case_insensitive() -> None:
    frame = table().rename(columns={"Title": "x"} | {"title": "Title"})
    frame["colour"] = "red"
    events = validate_events(frame, file="ok.csv")
    assert events["title"].tolist() == ["Musk denies sales"]
    assert events["colour"].tolist() == ["red"]


def test_kinds_are_documented_in_the_column_description() -> None:
    from timeline.schema import COLUMNS

    kind = next(c for c in COLUMNS if c.name == "kind")
    assert all(f"`{k}`" in kind.description for k in KINDS)


def test_messages_count_in_words_that_agree() -> None:
    assert [counted(n, "event") for n in (0, 1, 2)] == ["0 events", "1 event", "2 events"]


def test_long_values_are_shortened_with_an_ellipsis() -> None:
    assert shorten("short") == "short"
    assert shorten("x" * 61) == "x" * 59 + "…"
    assert shorten("a few words here", 7) == "a few…", "no space before the ellipsis"
