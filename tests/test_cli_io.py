"""``timeline validate`` and ``timeline convert``, driven with click's CliRunner."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from timeline.cli import main
from timeline.dataset import Dataset
from timeline.formats import DATA_FORMATS
from timeline.io import DEFAULT_DATA, load_events

FIXTURES = Path(__file__).parent / "fixtures"
FOREIGN = "When,Speaker,Said\n12/02/2024,Kyiv,Something\n"


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output
    return result


def test_validate_reports_each_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,start,actor,kind,title\na,2022,X,gossip,T\n", encoding="utf-8")
    result = invoke("validate", DEFAULT_DATA, bad)
    assert result.exit_code == 1
    assert f"{DEFAULT_DATA}: OK" in result.stdout
    assert "bad.csv, line 2 (row 1), column 'kind'" in result.stderr


def test_validate_accepts_every_timelinejs_fixture() -> None:
    result = invoke("validate", FIXTURES / "timelinejs_sheet.csv", FIXTURES / "timelinejs_timeline.json")
    assert result.exit_code == 0, result.output
    assert result.output.count(": OK") == 2


@pytest.mark.parametrize(("source", "target"), list(itertools.permutations(DATA_FORMATS, 2)))
def test_convert_between_any_two_formats(tmp_path: Path, seed: Dataset, source: str, target: str) -> None:
    first = tmp_path / f"events.{source}"
    assert invoke("convert", DEFAULT_DATA, first).exit_code == 0
    second = tmp_path / f"converted.{target}"
    result = invoke("convert", first, second)
    assert result.exit_code == 0, result.output
    assert f"{len(seed.events)} events" in result.stdout
    pd.testing.assert_frame_equal(load_events(second).events, seed.events)


@pytest.mark.parametrize("fixture", ["timelinejs_sheet.csv", "timelinejs_timeline.json"])
def test_convert_a_timelinejs_timeline_to_a_table(tmp_path: Path, fixture: str) -> None:
    target = tmp_path / "out.csv"
    assert invoke("convert", FIXTURES / fixture, target).exit_code == 0
    converted = load_events(target).events
    pd.testing.assert_frame_equal(converted, load_events(FIXTURES / fixture).events)


def test_convert_never_touches_its_source(tmp_path: Path) -> None:
    before = DEFAULT_DATA.read_bytes()
    invoke("convert", DEFAULT_DATA, tmp_path / "x.json")
    assert DEFAULT_DATA.read_bytes() == before


def test_convert_refuses_an_unknown_target_type_and_an_unwritable_target(tmp_path: Path) -> None:
    result = invoke("convert", DEFAULT_DATA, tmp_path / "x.docx")
    assert result.exit_code == 1
    assert "unknown file type '.docx'" in result.stderr
    result = invoke("convert", DEFAULT_DATA, tmp_path / "missing-folder" / "x.csv")
    assert result.exit_code == 1
    assert "cannot write" in result.stderr


def test_convert_refuses_a_bad_source(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    result = invoke("convert", bad, tmp_path / "out.csv")
    assert result.exit_code == 1
    assert "row 1: is not an object" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_map_options_and_a_date_order(tmp_path: Path) -> None:
    source = tmp_path / "foreign.csv"
    source.write_text(FOREIGN, encoding="utf-8")
    result = invoke("validate", source)
    assert result.exit_code == 1  # "When" is not a known name; 12/02/2024 is ambiguous
    args = ["--map", "start=When", "--map", "title=Said", "--date-order", "mdy"]
    assert invoke("validate", source, *args).exit_code == 0
    target = tmp_path / "events.json"
    assert invoke("convert", source, target, *args).exit_code == 0
    (event,) = json.loads(target.read_text(encoding="utf-8"))["events"]
    assert (event["start"], event["actor"], event["title"], event["kind"]) == (
        "2024-12-02",
        "Kyiv",
        "Something",
        "event",
    )


def test_a_mapping_file_and_map_options_together(tmp_path: Path) -> None:
    source = tmp_path / "foreign.csv"
    source.write_text(FOREIGN, encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"start": "When", "title": "Speaker"}', encoding="utf-8")
    target = tmp_path / "out.csv"
    args = ["--mapping", mapping, "--map", "title=Said", "--date-order", "dmy"]
    assert invoke("convert", source, target, *args).exit_code == 0
    events = load_events(target).events
    assert events[["start", "title"]].iloc[0].tolist() == ["2024-02-12", "Something"]  # --map wins


def test_a_delimiter_and_an_encoding(tmp_path: Path) -> None:
    source = tmp_path / "odd.txt"
    source.write_bytes("id:start:actor:kind:title\na:2022:Zürich:claim:T\n".encode("cp1252"))
    assert invoke("validate", source).exit_code == 1
    result = invoke("validate", source, "--delimiter", ":", "--encoding", "cp1252")
    assert result.exit_code == 0, result.output
    tabbed = tmp_path / "tabbed.txt"
    tabbed.write_text("id\tstart\tactor\tkind\ttitle\na\t2022\tX\tclaim\tT\n", encoding="utf-8")
    assert invoke("validate", tabbed, "--delimiter", "tab").exit_code == 0


def test_a_format_option_overrides_the_extension(tmp_path: Path) -> None:
    source = tmp_path / "events.data"
    source.write_bytes(DEFAULT_DATA.read_bytes())
    assert invoke("validate", source).exit_code == 1
    assert invoke("validate", source, "--format", "csv").exit_code == 0
