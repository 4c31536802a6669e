"""The same filter, bin and rank questions on DuckDB and on Spark (local mode), over one Parquet
file, give the same answers; and both give the in-memory array engine's answers on the same
table, so the dashboard's engine and the distributed one agree.

Each question is asked once per engine and compared: lane statistics (sorted by actor), counts,
row positions, and density bins, under filters of every kind and in windows of every size.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from engine_tier import ENGINE_NAMES, RENAMED, Timed, open_ibis

from timeline.dataset import Dataset
from timeline.engine import DAY_MS, ArrayEngine, Engine, Query, Window, engine_table
from timeline.generate import generate_events
from timeline.query import EVERYTHING, Filters, ViewRequest, bin_width, build_view
from timeline.schema import validate_events

pytestmark = [
    pytest.mark.spark,
    # pyspark 4.3 and Ibis 12 still call pandas APIs that pandas 3 deprecates: theirs to fix.
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated:pandas.errors.Pandas4Warning:pyspark"),
    pytest.mark.filterwarnings("ignore:The 'future.infer_string' option:pandas.errors.Pandas4Warning:ibis"),
    # Ibis 12 reads a DuckDB table's schema with DuckDB 2's deprecated fetch_arrow_table().
    pytest.mark.filterwarnings(r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning:ibis"),
]

NO_SUCH_ACTOR = "No such actor"


def days(first: str, last: str) -> Window:
    """The window of whole days ``first`` to ``last``, as a date filter reads them."""
    query = Filters(start=dt.date.fromisoformat(first), end=dt.date.fromisoformat(last)).query()
    assert query.start is not None and query.end is not None
    return query.start, query.end


WINDOWS: dict[str, Window] = {
    "everything": EVERYTHING,
    "a year": days("2016-01-01", "2016-12-31"),
    "a month": days("2016-03-01", "2016-03-31"),
}


# ---------------------------------------------------------------------------------------------
# Answers in one comparable shape


def stats_frame(stats: pd.DataFrame) -> pd.DataFrame:
    """Lane statistics sorted by actor, strings as ``str`` and numbers as int64 (values exact)."""
    for column in ("count", "first", "last"):
        assert stats[column].dtype.kind == "i", f"{column} is {stats[column].dtype}, not an integer"
    typed = stats.astype({"actor": str, "side": str, "count": np.int64, "first": np.int64, "last": np.int64})
    return typed.sort_values("actor", kind="stable").reset_index(drop=True)


def bins_frame(cells: pd.DataFrame) -> pd.DataFrame:
    """Density cells sorted by lane and bin; the folded lane named ``"<fold>"``."""
    assert list(cells.columns) == ["actor", "bin", "count"]
    # The folded lane is None from Ibis, NaN from the array engine (a pandas 3 str column): both missing.
    lanes = cells["actor"].astype(object).where(cells["actor"].notna(), "<fold>")
    assert lanes.map(lambda a: isinstance(a, str)).all(), "lanes are names, or missing for the fold"
    typed = pd.DataFrame(
        {"actor": lanes.astype(str), "bin": cells["bin"].astype(np.int64), "count": cells["count"].astype(np.int64)}
    )
    return typed.sort_values(["actor", "bin"], kind="stable").reset_index(drop=True)


def sorted_positions(positions: np.ndarray) -> np.ndarray:
    assert positions.dtype == np.int64
    assert np.all(np.diff(positions) > 0), "positions come ascending and distinct"
    return np.sort(positions)


def assert_same(answers: dict[str, dict[str, Any]], context: str) -> None:
    """Every engine's answer to every question equals the array engine's."""
    expected = answers["arrays"]
    for name in ENGINE_NAMES[1:]:
        assert answers[name].keys() == expected.keys()
        for question, want in expected.items():
            got = answers[name][question]
            where = f"{context}: {name} vs arrays, {question}"
            if isinstance(want, pd.DataFrame):
                pd.testing.assert_frame_equal(got, want, obj=where)
            elif isinstance(want, np.ndarray):
                np.testing.assert_array_equal(got, want, err_msg=where)
            else:
                assert got == want, where


def busiest(stats: pd.DataFrame, count: int) -> list[str]:
    ranked = stats.sort_values(["count", "actor"], ascending=[False, True], kind="stable")
    return ranked["actor"].head(count).tolist()


def quietest(stats: pd.DataFrame, count: int) -> list[str]:
    ranked = stats.sort_values(["count", "actor"], kind="stable")
    return ranked["actor"].head(count).tolist()


# ---------------------------------------------------------------------------------------------
# The table and the filters


def test_parquet_round_trip_keeps_the_engine_table(table: pa.Table, parquet_file: Path) -> None:
    """What DuckDB and Spark read is what the array engine holds."""
    assert pq.read_table(parquet_file).equals(table)


@pytest.fixture(scope="module")
def all_stats(engines: dict[str, Timed]) -> pd.DataFrame:
    arrays = engines["arrays"].engine
    return arrays.lane_stats(arrays.select(Query()))


@pytest.fixture(scope="module")
def cases(all_stats: pd.DataFrame, events: pd.DataFrame) -> dict[str, Filters]:
    """Filters of every kind, picked from the table so each matches something (one, by design, nothing)."""
    loud = tuple(busiest(all_stats, 5))
    targets = tuple(events.loc[events["target"] != "", "target"].value_counts().index[:3])
    return {
        "no filter": Filters(),
        "busiest actors": Filters(actors=loud),
        "quiet and unknown actors": Filters(actors=(*quietest(all_stats, 6), NO_SUCH_ACTOR)),
        "non-ASCII actors": Filters(actors=tuple(RENAMED.values())),
        "targets": Filters(targets=targets),
        "kinds": Filters(kinds=("statement", "denial")),
        "dates": Filters(start=dt.date(2015, 9, 15), end=dt.date(2016, 6, 30)),
        "one day": Filters(start=dt.date(2016, 3, 8), end=dt.date(2016, 3, 8)),
        "text": Filters(text="Ceasefire"),
        "text, non-ASCII and an apostrophe": Filters(text="CÔTE D’IVOIRE"),  # folds to côte d'ivoire
        "text, SQL wildcards (matches nothing)": Filters(text="%_"),
        "actors, kinds and dates": Filters(actors=loud, kinds=("action", "denial"), start=dt.date(2015, 1, 1)),
        "targets, text and dates": Filters(targets=targets, text="sanction", end=dt.date(2018, 12, 31)),
    }


CASES = {
    "no filter": "a year",
    "busiest actors": "a month",
    "quiet and unknown actors": "everything",
    "non-ASCII actors": "a year",
    "targets": "a month",
    "kinds": "a year",
    "dates": "a year",
    "one day": "a month",
    "text": "everything",
    "text, non-ASCII and an apostrophe": "a year",
    "text, SQL wildcards (matches nothing)": "everything",
    "actors, kinds and dates": "a month",
    "targets, text and dates": "a year",
}
"""Each filter, and the window its lanes are counted in (every window comes up several times:
a Spark question costs about half a second, so not every pair is asked)."""


def test_cases_cover_what_they_say(cases: dict[str, Filters], all_stats: pd.DataFrame) -> None:
    assert list(cases) == list(CASES)
    assert set(RENAMED.values()) <= set(all_stats["actor"]), "the non-ASCII actors are in the table"


# ---------------------------------------------------------------------------------------------
# Filters, lanes, counts and positions


@pytest.mark.parametrize("case", CASES)
def test_filters_lanes_counts_and_positions(case: str, cases: dict[str, Filters], engines: dict[str, Timed]) -> None:
    """The lanes under the filters; the events of the busiest 20 lanes in the case's window, as a
    count and as rows (what the view draws); every row under the filters (what the detail panel
    and exports read)."""
    query, window = cases[case].query(), WINDOWS[CASES[case]]
    arrays = engines["arrays"]
    shown = [*busiest(arrays.lane_stats(arrays.select(query)), 20), NO_SUCH_ACTOR]

    def ask(engine: Engine) -> dict[str, Any]:
        rows = engine.select(query)
        return {
            "lane_stats": stats_frame(engine.lane_stats(rows)),
            "count of the lanes in the window": engine.count(rows, window, shown),
            "positions of the lanes in the window": sorted_positions(engine.positions(rows, window, shown)),
            "positions of everything": sorted_positions(engine.positions(rows, EVERYTHING, None)),
        }

    answers = {name: ask(engine) for name, engine in engines.items()}
    assert_same(answers, case)
    expected = answers["arrays"]
    assert len(expected["positions of everything"]) == expected["lane_stats"]["count"].sum()
    assert len(expected["positions of the lanes in the window"]) == expected["count of the lanes in the window"]
    if "matches nothing" in case:
        assert expected["lane_stats"].empty
    else:
        assert expected["count of the lanes in the window"] > 0, "the case has events in its window"


# ---------------------------------------------------------------------------------------------
# Density bins


def bin_windows(stats: pd.DataFrame) -> dict[str, Window]:
    """The whole table's span (as a view of all events draws it), a year, and a month that starts
    at noon (bins need not start at midnight)."""
    month = WINDOWS["a month"]
    return {
        "all years": (int(stats["first"].min()), int(stats["last"].max())),
        "a year": WINDOWS["a year"],
        "a month from noon": (month[0] + DAY_MS // 2, month[1]),
    }


def shown_lists(stats: pd.DataFrame) -> dict[str, list[str]]:
    loud = busiest(stats, 10)
    quiet = quietest(stats, 2)
    return {
        "no lanes": [],
        "busiest": loud,
        "mixed": [loud[0], *quiet, NO_SUCH_ACTOR, *RENAMED.values()],
    }


def ask_bins(
    engines: dict[str, Timed], query: Query, cells: Callable[[Engine, Any], dict[str, pd.DataFrame]]
) -> dict[str, dict[str, Any]]:
    return {name: cells(engine, engine.select(query)) for name, engine in engines.items()}


def test_bins_of_everything(engines: dict[str, Timed], all_stats: pd.DataFrame, table: pa.Table) -> None:
    """Every window at the view's bin width, with three lane lists, folded or not; and each window
    at a coarser width."""
    windows, shown = bin_windows(all_stats), shown_lists(all_stats)

    def cells(engine: Engine, rows: Any) -> dict[str, pd.DataFrame]:
        out = {}
        for window_name, window in windows.items():
            width = bin_width(window, 240)
            for shown_name, lanes in shown.items():
                for fold in (True, False):
                    key = f"{window_name}, {shown_name}, fold={fold}"
                    out[key] = bins_frame(engine.bins(rows, window, lanes, fold, width))
            coarse = bin_width(window, 30)
            out[f"{window_name}, busiest, width {coarse}"] = bins_frame(
                engine.bins(rows, window, shown["busiest"], True, coarse)
            )
        return out

    answers = ask_bins(engines, Query(), cells)
    assert_same(answers, "no filter")
    expected = answers["arrays"]
    for key in ("all years, busiest, fold=True", "all years, no lanes, fold=True"):
        assert expected[key]["count"].sum() == table.num_rows, f"{key} counts every event"
    assert expected["a year, no lanes, fold=False"].empty


BINNED_CASES = {
    "busiest actors": "a month from noon",
    "non-ASCII actors": "all years",
    "text": "a year",
    "actors, kinds and dates": "a year",
}


@pytest.mark.parametrize("case", BINNED_CASES)
def test_bins_under_filters(case: str, cases: dict[str, Filters], engines: dict[str, Timed]) -> None:
    """The three busiest lanes under the filters, folded or not."""
    query = cases[case].query()
    arrays = engines["arrays"]
    stats = arrays.lane_stats(arrays.select(query))
    window, lanes = bin_windows(stats)[BINNED_CASES[case]], busiest(stats, 3)

    def cells(engine: Engine, rows: Any) -> dict[str, pd.DataFrame]:
        width = bin_width(window, 240)
        return {f"fold={fold}": bins_frame(engine.bins(rows, window, lanes, fold, width)) for fold in (True, False)}

    answers = ask_bins(engines, query, cells)
    assert_same(answers, case)
    assert answers["arrays"]["fold=False"]["count"].sum() > 0


def test_empty_lane_lists(engines: dict[str, Timed]) -> None:
    """No lanes: nothing counted, no positions, no bins unless folded."""
    window = WINDOWS["a year"]
    for name, engine in engines.items():
        rows = engine.select(Query())
        assert engine.count(rows, window, []) == 0, name
        assert len(engine.positions(rows, window, [])) == 0, name
        assert engine.bins(rows, window, [], False, DAY_MS).empty, name


# ---------------------------------------------------------------------------------------------
# The dashboard's own view, with its engine swapped


def with_engine(events: pd.DataFrame, table: pa.Table, engine: Engine) -> Dataset:
    dataset = Dataset(events, "generated")
    # Dataset derives engine_table and engine once (cached properties): seed those caches.
    vars(dataset)["engine_table"] = table
    vars(dataset)["engine"] = engine
    return dataset


def view_fields(view: Any) -> dict[str, Any]:
    """A view as plain values, density cells in lane and bin order (engines list them in any order)."""
    fields = {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}
    density = fields["density"]
    if density is not None:
        order = np.lexsort((density.bin, density.lane))
        fields["density"] = dataclasses.replace(
            density, lane=density.lane[order], bin=density.bin[order], count=density.count[order]
        )
    return fields


def assert_equal_values(got: Any, want: Any, where: str) -> None:
    if dataclasses.is_dataclass(want) and not isinstance(want, type):
        assert type(got) is type(want), where
        for field in dataclasses.fields(want):
            assert_equal_values(getattr(got, field.name), getattr(want, field.name), f"{where}.{field.name}")
    elif isinstance(want, np.ndarray):
        np.testing.assert_array_equal(got, want, err_msg=where)
    elif isinstance(want, list | tuple):
        assert len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_equal_values(g, w, f"{where}[{i}]")
    else:
        assert got == want, where


VIEWS = {
    "everything, 40 rows": (ViewRequest(rows=40), "aggregated"),
    "two kinds in a month, busiest lanes and a fold": (
        ViewRequest(filters=Filters(kinds=("statement", "denial")), window=WINDOWS["a month"], rows=8),
        "exact",
    ),
    "text by side in a year": (
        ViewRequest(filters=Filters(text="sanction"), window=WINDOWS["a year"], order="side", rows=14),
        "exact",
    ),
    "a year by first date, dense": (
        ViewRequest(window=WINDOWS["a year"], order="first", rows=30, exact_limit=500),
        "aggregated",
    ),
}
"""Views the dashboard draws, and the mode each comes out in."""


@pytest.mark.parametrize("request_name", VIEWS)
def test_build_view_is_the_same_on_every_engine(
    request_name: str, events: pd.DataFrame, table: pa.Table, engines: dict[str, Timed]
) -> None:
    request, mode = VIEWS[request_name]
    views = {name: build_view(with_engine(events, table, engine), request) for name, engine in engines.items()}
    want = view_fields(views["arrays"])
    assert want["mode"] == mode
    assert want["fold"] is not None, "some lanes are folded"
    for name in ENGINE_NAMES[1:]:
        got = view_fields(views[name])
        for field, value in want.items():
            assert_equal_values(got[field], value, f"{request_name}: {name} vs arrays, view.{field}")


# ---------------------------------------------------------------------------------------------
# An actor whose side changes


def changing_sides(tmp: Path) -> tuple[pa.Table, Path, str, Query, str]:
    """A small table where the busiest actor changes side halfway; a filter that keeps only its
    later rows; and the side of its first row."""
    raw = generate_events(4_000, actors=40, seed=3)
    actor = raw["actor"].value_counts().index[0]
    rows = raw.index[raw["actor"] == actor]
    raw.loc[rows[len(rows) // 2 :], "side"] = "Another camp"
    table = engine_table(validate_events(raw, file="generated"))
    path = tmp / "sides.parquet"
    pq.write_table(table, path)
    later = Query(actors=(actor,), start=int(table["hi"][int(rows[-10])].as_py()))
    kept = ArrayEngine(table).select(later)
    assert set(table["side"].filter(pa.array(kept)).to_pylist()) == {"Another camp"}, "only later rows are kept"
    return table, path, actor, later, str(table["side"][int(rows[0])])


def sides_of(engine: Engine, query: Query, actor: str) -> str:
    stats = engine.lane_stats(engine.select(query))
    return str(stats.loc[stats["actor"] == actor, "side"].item())


def test_an_actor_that_changes_side_keeps_its_first_side_on_every_engine(tmp_path: Path, spark: Any) -> None:
    """A lane keeps one side, and so one colour, whatever the filters: the side of the actor's first
    row in the whole table, not of the first row the filters keep."""
    table, path, actor, query, first_side = changing_sides(tmp_path)
    engines: list[Engine] = [ArrayEngine(table), open_ibis("duckdb", path), open_ibis("spark", path, spark)]
    assert [sides_of(engine, query, actor) for engine in engines] == [first_side] * 3


# ---------------------------------------------------------------------------------------------
# Threads and claim statuses


def test_threads_and_statuses_are_answered_alike(events: pd.DataFrame, engines: dict[str, Timed]) -> None:
    """A thread (as the thread filter asks it: the ids of its events), no event, and statuses."""
    dataset = Dataset(events, "generated")
    links = dataset.links
    assert len(links), "the generated table has replies"
    answered = int(np.bincount(links.target).argmax())  # the most answered event: a real thread
    thread = tuple(events["id"].iloc[links.thread(answered)])
    assert len(thread) > 2
    queries = {
        "a thread": Query(ids=thread),
        "a thread and one kind": Query(ids=thread, kinds=("statement", "claim", "denial")),
        "no event": Query(ids=()),
        "no status given": Query(statuses=("",)),
        "a status nobody has": Query(statuses=("disputed",)),
    }
    for name, query in queries.items():

        def ask(engine: Engine, query: Query = query) -> dict[str, Any]:
            rows = engine.select(query)
            return {
                "lane_stats": stats_frame(engine.lane_stats(rows)),
                "positions": sorted_positions(engine.positions(rows, EVERYTHING, None)),
            }

        answers = {engine_name: ask(engine) for engine_name, engine in engines.items()}
        assert_same(answers, name)
    arrays = engines["arrays"]
    assert len(arrays.positions(arrays.select(queries["a thread"]), EVERYTHING, None)) == len(thread)
    assert len(arrays.positions(arrays.select(queries["no event"]), EVERYTHING, None)) == 0
