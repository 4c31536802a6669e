"""The synthetic event generator: deterministic, valid, and shaped like real news data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from timeline import generate as generated
from timeline.cli import main
from timeline.generate import TARGET, generate_events, output_order, write_generated
from timeline.io import FORMATS, load_events, read_events
from timeline.schema import COLUMN_NAMES, ID_PATTERN, KINDS, LO, split_ids, to_text_table, validate_events


@pytest.fixture(scope="module")
def large() -> pd.DataFrame:
    """The one moderately sized table: enough rows for shares and tails to settle."""
    return generate_events(50_000, seed=11, span_share=0.1, loose_share=0.2, target_share=0.3)


def test_same_arguments_give_the_same_table_and_the_same_bytes(tmp_path: Path) -> None:
    pd.testing.assert_frame_equal(generate_events(500, seed=5), generate_events(500, seed=5))
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_generated(first, 500, seed=5)
    write_generated(second, 500, seed=5)
    assert first.read_bytes() == second.read_bytes()


def test_chunks_do_not_change_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = generate_events(300, seed=2)
    monkeypatch.setattr(generated, "CHUNK_ROWS", 7)
    pd.testing.assert_frame_equal(generate_events(300, seed=2), whole)


def test_another_seed_gives_another_table() -> None:
    a, b = generate_events(200, seed=1), generate_events(200, seed=2)
    assert not a.equals(b)
    assert (a["title"] != b["title"]).mean() > 0.5


def test_text_cells_in_schema_order_with_target_after_side() -> None:
    table = generate_events(100)
    assert list(table.columns) == output_order()
    assert [c for c in table.columns if c != TARGET] == [c for c in output_order() if c != TARGET]
    if TARGET not in COLUMN_NAMES:  # until the schema places it
        assert list(table.columns).index(TARGET) == list(table.columns).index("side") + 1
    for column in table.columns:
        assert table[column].dtype == "str", column
        assert not table[column].isna().any(), column
        assert (table[column] == table[column].str.strip()).all(), column


def test_the_output_validates() -> None:
    table = generate_events(2_000, seed=3)
    events = validate_events(table, file="generated")
    assert len(events) == 2_000
    assert set(events["kind"]) <= set(KINDS)


@pytest.mark.parametrize("extension", [".csv", ".parquet"])
def test_read_back_unchanged(extension: str, tmp_path: Path) -> None:
    table = generate_events(1_000, seed=4)
    path = tmp_path / f"events{extension}"
    write_generated(path, 1_000, seed=4)
    read = to_text_table(read_events(path.read_bytes(), path.name).events)
    pd.testing.assert_frame_equal(read.reset_index(drop=True), table[list(read.columns)], check_dtype=False)


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_every_format_writes(extension: str, tmp_path: Path) -> None:
    path = tmp_path / f"events{extension}"
    assert write_generated(path, 30, seed=1) == 30
    assert len(load_events(path).events) == 30


def test_every_actor_appears_and_activity_is_long_tailed(large: pd.DataFrame) -> None:
    counts = large["actor"].value_counts()
    assert len(counts) == generated.DEFAULT_ACTORS
    assert counts.iloc[0] > 10 * counts.median()
    assert counts.iloc[:4].sum() > 0.3 * len(large)


def test_fewer_events_than_actors_gives_one_event_each() -> None:
    assert generate_events(5, actors=40)["actor"].nunique() == 5


def test_names_look_real_and_stay_unique_for_thousands() -> None:
    table = generate_events(6_000, actors=6_000, seed=9)
    assert table["actor"].nunique() == 6_000
    assert table["actor"].str.fullmatch(r"[A-Z][\w'. ]+( \([A-Z][\w ]+(, region \d+)?\))?").all()


def test_shares_are_roughly_respected(large: pd.DataFrame) -> None:
    approximate = large["approximate"] == "true"
    spans = (large["end"] != "") & ~approximate
    loose = approximate | (large["precision"] != "day")
    assert spans.mean() == pytest.approx(0.1, abs=0.01)
    assert loose.mean() == pytest.approx(0.2, abs=0.01)
    assert (large[TARGET] != "").mean() == pytest.approx(0.3, abs=0.01)
    assert set(large["precision"]) == {"day", "month", "year"}
    assert (large.loc[approximate, "end"] != "").all()  # an approximate date has its window


def test_no_spans_no_loose_dates_no_targets() -> None:
    table = generate_events(500, span_share=0, loose_share=0, target_share=0)
    assert (table["end"] == "").all()
    assert (table["precision"] == "day").all()
    assert (table["approximate"] == "false").all()
    assert (table[TARGET] == "").all()


def test_a_target_is_another_actor_of_the_cast(large: pd.DataFrame) -> None:
    targeted = large[large[TARGET] != ""]
    assert (targeted[TARGET] != targeted["actor"]).all()
    assert set(targeted[TARGET]) <= set(large["actor"])
    assert targeted.apply(lambda row: row[TARGET] in row["title"], axis=1).all()


def test_replies_answer_an_earlier_event_by_the_target(large: pd.DataFrame) -> None:
    replies = large[large["responds_to"] != ""]
    assert len(replies) > 0.02 * len(large)
    row_of = {event_id: i for i, event_id in enumerate(large["id"])}
    for i, row in replies.head(500).iterrows():
        (answered,) = split_ids(row["responds_to"])
        assert row_of[answered] < int(str(i))
        assert large.at[row_of[answered], "actor"] == row[TARGET]


def test_dates_stay_in_range_and_come_in_bursts(large: pd.DataFrame) -> None:
    starts = pd.to_datetime(large["start"].where(large["precision"] == "day"), format="%Y-%m-%d")
    assert starts.min() >= pd.Timestamp("2000-01-01")
    assert starts.max() <= pd.Timestamp("2024-12-31")
    assert starts.dropna().is_monotonic_increasing  # rows come in date order
    weekly = starts.dt.to_period("W").value_counts()
    assert weekly.max() > 8 * weekly.mean()


def test_dates_follow_the_range_given() -> None:
    table = generate_events(300, start="2022-02", end="2022-03-15", loose_share=0)
    assert table["start"].min() >= "2022-02-01"
    assert max(table["start"].max(), table["end"].max()) <= "2022-03-15"


def test_camps_differ_in_size_and_none_is_allowed(large: pd.DataFrame) -> None:
    sizes = large.loc[large["side"] != "", "side"].value_counts()
    assert 2 <= len(sizes) <= generated.DEFAULT_SIDES
    assert sizes.iloc[0] > 3 * sizes.iloc[-1]
    assert large.groupby("actor")["side"].nunique().max() == 1  # one camp per actor
    assert (generate_events(200, sides=0)["side"] == "").all()


def test_kinds_mix_and_text_to_search(large: pd.DataFrame) -> None:
    shares = large["kind"].value_counts(normalize=True)
    assert set(shares.index) == set(KINDS)
    assert shares.iloc[0] < 0.5  # a mix, not one kind
    assert 0.5 < (large["summary"] != "").mean() < 0.9
    assert 0.05 < (large["quote"] != "").mean() < 0.5
    assert 0.2 < (large["date_text"] != "").mean() < 0.5
    words = set(" ".join(large["summary"].head(2_000)).split())
    assert len(words) > 200
    assert large["summary"].str.contains("pipeline").any()


def test_ids_and_source_name_the_seed() -> None:
    table = generate_events(50, seed=42)
    assert table["id"].tolist() == [f"g42-{n}" for n in range(1, 51)]
    assert all(ID_PATTERN.match(i) for i in table["id"])
    assert set(table["source"]) == {"synthetic:42"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"count": 0}, "count"),
        ({"actors": 0}, "actors"),
        ({"seed": -1}, "seed"),
        ({"sides": -1}, "sides"),
        ({"span_share": 1.5}, "span_share"),
        ({"target_share": -0.1}, "target_share"),
        ({"span_share": 0.6, "loose_share": 0.6}, "at most 1"),
        ({"actors": 1}, "2 actors"),
        ({"start": "2020", "end": "2019"}, "before"),
        ({"start": "someday"}, "not a date"),
    ],
)
def test_bad_arguments_are_refused(options: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"count": 10, **options}
    with pytest.raises(ValueError, match=message):
        generate_events(**arguments)  # type: ignore[arg-type]


def test_one_actor_without_targets_is_fine() -> None:
    table = generate_events(20, actors=1, target_share=0)
    assert table["actor"].nunique() == 1


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["generate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_cli_writes_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    code, output = run(str(out), "--events", "120", "--actors", "12", "--seed", "3")
    assert code == 0, output
    assert output.strip() == f"{out}: 120 events, 12 actors"
    events = load_events(out).events
    assert len(events) == 120
    assert events["actor"].nunique() == 12


def test_cli_options_reach_the_generator(tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    options = ["--events", "200", "--seed", "8", "--sides", "2", "--spans", "0.2", "--loose", "0.3",
               "--targets", "0.4", "--from", "2010", "--to", "2012"]  # fmt: skip
    assert run(str(out), *options)[0] == 0
    expected = tmp_path / "expected.csv"
    write_generated(expected, 200, seed=8, sides=2, span_share=0.2, loose_share=0.3, target_share=0.4,
                    start="2010-01-01", end="2012-12-31")  # fmt: skip
    assert out.read_bytes() == expected.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--spans", "0.6", "--loose", "0.5"], "--spans 0.6 and --loose 0.5 add up to more than 1"),
        (["--actors", "1"], "--targets 0.5 needs at least 2 actors"),
        (["--from", "2020-05-01", "--to", "2020-04-01"], "--from 2020-05-01 must be before --to 2020-04-01"),
        (["--from", "soon"], "--from 'soon'"),
    ],
)
def test_cli_refuses_bad_combinations(args: list[str], message: str, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    code, output = run(str(out), "--events", "5", *args)
    assert code == 1
    assert message in output
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing/events.csv", "cannot write: folder"), ("events.doc", "unknown file type '.doc'")],
)
def test_cli_refuses_an_unwritable_out(name: str, message: str, tmp_path: Path) -> None:
    code, output = run(str(tmp_path / name), "--events", "5")
    assert code == 1
    assert message in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--events", "0"], "Invalid value for '--events': 0 is not in the range x>=1"),
        ([], "Missing option '--events'"),
        (["--events", "5", "--targets", "2"], "Invalid value for '--targets'"),
        (["--events", "5", "--actors", "0"], "Invalid value for '--actors'"),
    ],
)
def test_cli_refuses_bad_values(args: list[str], message: str, tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "events.csv"), *args)
    assert code == 2
    assert message in output


def test_cli_days_are_whole_months_and_years(tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    assert run(str(out), "--events", "50", "--from", "2021", "--to", "2021-02")[0] == 0
    starts = load_events(out).events[LO]
    assert starts.min() >= pd.Timestamp(dt.date(2021, 1, 1))
    assert starts.max() <= pd.Timestamp(dt.date(2021, 2, 28))
