"""The engines and the filters: each question answered alike by every engine, and as the
documented rules say, checked against a plain pandas evaluation of the event table."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from factory import (
    TOPICS,
    actor_name,
    dataset,
    event,
    expected_matching,
    markers,
    ms,
    overlapping,
    random_events,
    table,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline.engine as engines
from timeline.dataset import Dataset
from timeline.engine import DAY_MS, ArrayEngine, Engine, IbisEngine, Query, engine_table, make_engine
from timeline.generate import generate_events
from timeline.query import Filters, apply_filters, matching
from timeline.schema import KINDS, validate_events

# ibis 12 reads a table's schema with DuckDB 2's deprecated fetch_arrow_table(); pytest makes
# that warning an error. The project's pyproject.toml should carry this filter (and declare
# ibis-framework and duckdb, which the engine imports); until it does, the engine tests do.
pytestmark = pytest.mark.filterwarnings(r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning")

BOUNDED = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ACTORS = 40


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    """A few thousand random events of 40 actors over 2021 and early 2022."""
    return random_events(6_000, actors=ACTORS, seed=3)


@pytest.fixture(scope="module")
def datasets(events: pd.DataFrame) -> dict[str, Dataset]:
    return {engine: dataset(events, engine) for engine in ("arrays", "duckdb")}


@pytest.fixture(scope="module")
def arrays(datasets: dict[str, Dataset]) -> Dataset:
    return datasets["arrays"]


# Engine table ---------------------------------------------------------------------------------


def test_the_engine_table_holds_first_moment_exclusive_end_and_marker() -> None:
    events = table(
        [
            event("day", "A", "2024-03-05"),
            event("span", "A", "2024-03-05", end="2024-03-09"),
            event("month", "A", "2024-02"),
            event("year", "A", "2023"),
            event("rough", "A", "2024-03-01", end="2024-03-10", approximate=True),
        ]
    )
    engine = engine_table(events).to_pandas().set_index("id")
    day = ms(dt.date(2024, 3, 5))
    assert engine.loc["day", ["lo", "hi", "at"]].tolist() == [day, day + DAY_MS, day]
    assert engine.loc["span", ["lo", "hi", "at"]].tolist() == [day, ms(dt.date(2024, 3, 10)), day]
    # A loose date sits in the middle of its window: 29 days of February 2024, 365 of 2023.
    assert engine.loc["month", "at"] == ms(dt.date(2024, 2, 15)) + DAY_MS // 2
    assert engine.loc["year", "at"] == ms(dt.date(2023, 7, 2)) + DAY_MS // 2
    assert engine.loc["rough", "at"] == ms(dt.date(2024, 3, 6))
    assert engine["pos"].tolist() == [0, 1, 2, 3, 4]


def test_blank_sides_are_named_unassigned() -> None:
    events = table([event("a", "A", "2024-01-01", side="Camp"), event("b", "B", "2024-01-02")])
    assert engine_table(events)["side"].to_pylist() == ["Camp", engines.UNASSIGNED_SIDE]


def test_make_engine_and_dataset_use_the_engine_chosen(datasets: dict[str, Dataset]) -> None:
    shared = datasets["arrays"].engine_table
    assert isinstance(make_engine(shared, "arrays"), ArrayEngine)
    assert isinstance(make_engine(shared, "auto"), ArrayEngine)  # small: arrays
    assert isinstance(datasets["duckdb"].engine, IbisEngine)
    assert isinstance(datasets["arrays"].engine, ArrayEngine)


# Filters: matching() against the documented rules --------------------------------------------

FILTERS = {
    "none": Filters(),
    "one actor": Filters(actors=(actor_name(2),)),
    "two actors": Filters(actors=(actor_name(0), actor_name(17))),
    "unknown actor": Filters(actors=("Nobody",)),
    "target": Filters(targets=(actor_name(1),)),
    "kinds": Filters(kinds=("denial", "report")),
    "date range": Filters(start=dt.date(2021, 3, 1), end=dt.date(2021, 4, 15)),
    "one day": Filters(start=dt.date(2021, 6, 30), end=dt.date(2021, 6, 30)),
    "from": Filters(start=dt.date(2022, 1, 20)),
    "until": Filters(end=dt.date(2021, 1, 10)),
    "text": Filters(text="pipeline"),
    "text in capitals": Filters(text="PIPELINE DEAL"),
    "straight quotes find curly": Filters(text='the "red line"'),
    "curly quotes find curly": Filters(text="the “red line”"),
    "straight apostrophe": Filters(text="kyiv's offer"),
    "curly apostrophe": Filters(text="Kyiv’s offer"),
    "curly apostrophe finds straight": Filters(text="Kyiv’s counter-offer"),
    "ellipsis typed as dots": Filters(text="border ... again"),
    "regex characters are literal": Filters(text="(possible)"),
    "padded text": Filters(text="  grain exports  "),
    "blank text": Filters(text="   "),
    "no such text": Filters(text="no such words anywhere"),
    "combined": Filters(
        actors=(actor_name(0), actor_name(1), actor_name(5)),
        kinds=("statement", "claim", "action"),
        start=dt.date(2021, 2, 1),
        end=dt.date(2021, 11, 30),
        text="offer",
    ),
    "target and text": Filters(targets=(actor_name(0), actor_name(3)), text="ceasefire"),
}


@pytest.mark.parametrize("engine", ["arrays", "duckdb"])
@pytest.mark.parametrize("name", list(FILTERS))
def test_matching_follows_the_documented_rules(datasets: dict[str, Dataset], engine: str, name: str) -> None:
    filters = FILTERS[name]
    found = matching(datasets[engine], filters)
    assert found["id"].tolist() == expected_matching(datasets[engine].events, filters)["id"].tolist()


def test_the_filter_cases_are_not_trivial(events: pd.DataFrame) -> None:
    """Each case above selects something and leaves something out, unless it means to."""
    sizes = {name: len(expected_matching(events, f)) for name, f in FILTERS.items()}
    everything = {"none", "blank text"}
    nothing = {"unknown actor", "no such text"}
    assert all(sizes[n] == len(events) for n in everything)
    assert all(sizes[n] == 0 for n in nothing)
    assert all(0 < size < len(events) for n, size in sizes.items() if n not in everything | nothing), sizes


def test_curly_and_straight_quotes_find_the_same_events(arrays: Dataset) -> None:
    curly = matching(arrays, Filters(text="the “red line”"))
    assert len(curly) > 0
    assert curly["id"].tolist() == matching(arrays, Filters(text='The "Red Line"'))["id"].tolist()
    assert curly["id"].tolist() == matching(arrays, Filters(text="the ”red line“"))["id"].tolist()


def test_a_date_filter_keeps_events_that_overlap_its_days() -> None:
    events = table(
        [
            event("before", "A", "2024-02-09"),
            event("first-day", "A", "2024-02-10"),
            event("span-into", "A", "2024-02-01", end="2024-02-10"),
            event("month", "A", "2024-02"),
            event("last-day", "A", "2024-02-12"),
            event("after", "A", "2024-02-13"),
            event("span-over", "A", "2024-01-20", end="2024-03-20"),
        ]
    )
    kept = apply_filters(events, Filters(start=dt.date(2024, 2, 10), end=dt.date(2024, 2, 12)))
    assert kept["id"].tolist() == ["first-day", "span-into", "month", "last-day", "span-over"]


@pytest.mark.parametrize("word", ["İstanbul", "ΟΔΟΣ"])
def test_a_word_typed_as_the_text_has_it_finds_it(word: str) -> None:
    events = table([event("a", "A", "2024-01-01", title=f"Talks in {word}"), event("b", "B", "2024-01-02")])
    assert apply_filters(events, Filters(text=word))["id"].tolist() == ["a"]


DAYS = st.dates(min_value=dt.date(2020, 12, 1), max_value=dt.date(2022, 3, 1))
NEEDLES = st.sampled_from(
    ["", "offer", "KYIV’S", "kyiv's", "“red", '"red line"', "(possible)", "…", "...", "exports.", "nothing such"]
    + [topic.split()[-1] for topic in TOPICS]
)


@st.composite
def filters(draw: st.DrawFn) -> Filters:
    names = st.sampled_from([actor_name(k) for k in range(ACTORS)] + ["Nobody"])
    return Filters(
        actors=tuple(draw(st.lists(names, max_size=4, unique=True))),
        targets=tuple(draw(st.lists(names, max_size=3, unique=True))),
        kinds=tuple(draw(st.lists(st.sampled_from(KINDS), max_size=3, unique=True))),
        start=draw(st.none() | DAYS),
        end=draw(st.none() | DAYS),
        text=draw(NEEDLES),
    )


@BOUNDED
@given(chosen=filters())
def test_any_filters_match_as_documented(arrays: Dataset, chosen: Filters) -> None:
    expected = expected_matching(arrays.events, chosen)
    assert matching(arrays, chosen)["id"].tolist() == expected["id"].tolist()


# Engines agree -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    """Ten thousand events from the generator: long-tailed actors, bursts, loose dates."""
    return validate_events(generate_events(10_000, actors=150, seed=7), file="generated")


@pytest.fixture(scope="module")
def three_engines(generated: pd.DataFrame) -> dict[str, Engine]:
    """The array engine (Arrow text search), the same with DuckDB text search, and Ibis on DuckDB."""
    shared = engine_table(generated)
    return {"arrays": ArrayEngine(shared), "arrays+duckdb text": ArrayEngine(shared), "ibis": IbisEngine.duckdb(shared)}


def ask(engine: Engine, query: Query, window: tuple[int, int], shown: list[str], fold: bool, width: int) -> dict:
    """Every question of the engine protocol, answered in a comparable form."""
    rows = engine.select(query)
    stats = engine.lane_stats(rows).sort_values("actor").reset_index(drop=True)
    cells = engine.bins(rows, window, shown, fold, width)
    cells = cells.assign(actor=cells["actor"].fillna("(fold)")).sort_values(["actor", "bin"]).reset_index(drop=True)
    return {
        "lane_stats": stats,
        "count all": engine.count(rows, window, None),
        "count shown": engine.count(rows, window, shown),
        "positions all": engine.positions(rows, window, None),
        "positions shown": engine.positions(rows, window, shown),
        "bins": cells,
    }


def answers(engines_: dict[str, Engine], *args: object) -> dict[str, dict]:
    found = {}
    for name, engine in engines_.items():
        if name == "arrays+duckdb text":
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(engines, "TEXT_DUCKDB_FROM_ROWS", 0)
                found[name] = ask(engine, *args)  # type: ignore[arg-type]
        else:
            found[name] = ask(engine, *args)  # type: ignore[arg-type]
    return found


def assert_agree(found: dict[str, dict]) -> None:
    reference = found["arrays"]
    for name, answer in found.items():
        for question, value in answer.items():
            expected = reference[question]
            where = f"{name}: {question}"
            if isinstance(value, pd.DataFrame):
                pd.testing.assert_frame_equal(value, expected, check_dtype=False, obj=where)
            elif isinstance(value, np.ndarray):
                np.testing.assert_array_equal(value, expected, err_msg=where)
            else:
                assert value == expected, where


def assert_as_documented(
    events: pd.DataFrame,
    answer: dict,
    query_filters: Filters,
    window: tuple[int, int],
    shown: list[str],
    fold: bool,
    width: int,
) -> None:
    """The array engine's answers against pandas: rows overlapping the window, markers per bin."""
    kept = expected_matching(events, query_filters)
    stats = kept.groupby("actor").size()
    assert answer["lane_stats"].set_index("actor")["count"].to_dict() == stats.to_dict()
    in_view = kept[overlapping(kept, window)]
    assert answer["positions all"].tolist() == in_view.index.tolist()
    assert answer["positions shown"].tolist() == in_view.index[in_view["actor"].isin(shown)].tolist()
    assert answer["count all"] == len(in_view)
    at = markers(kept)
    placed = kept[(at >= window[0]) & (at < window[1])]
    lane = placed["actor"].where(placed["actor"].isin(shown), "(fold)")
    if not fold:
        placed, lane = placed[lane != "(fold)"], lane[lane != "(fold)"]
    expected = (
        pd.DataFrame({"actor": lane, "bin": (markers(placed) - window[0]) // width})
        .groupby(["actor", "bin"])
        .size()
        .rename("count")
        .reset_index()
    )
    pd.testing.assert_frame_equal(answer["bins"], expected, check_dtype=False)


def test_engines_agree_on_a_text_search_in_a_window(generated: pd.DataFrame, three_engines: dict[str, Engine]) -> None:
    chosen = Filters(text="pipeline", kinds=("statement", "claim", "report"))
    window = (ms(dt.date(2008, 1, 1)), ms(dt.date(2016, 1, 1)))
    busiest = generated["actor"].value_counts().index[:5].tolist()
    found = answers(three_engines, chosen.query(), window, busiest, True, 30 * DAY_MS)
    assert_agree(found)
    assert_as_documented(generated, found["arrays"], chosen, window, busiest, True, 30 * DAY_MS)
    assert 0 < len(found["arrays"]["positions all"]) < len(generated)


@BOUNDED
@given(
    data=st.data(),
    first=st.dates(min_value=dt.date(1999, 6, 1), max_value=dt.date(2024, 6, 1)),
    days=st.integers(min_value=1, max_value=6_000),
    width=st.sampled_from([3_600_000, DAY_MS, 7 * DAY_MS, 30 * DAY_MS, 365 * DAY_MS]),
    fold=st.booleans(),
)
def test_engines_agree_on_every_question(
    generated: pd.DataFrame,
    three_engines: dict[str, Engine],
    data: st.DataObject,
    first: dt.date,
    days: int,
    width: int,
    fold: bool,
) -> None:
    names = sorted(set(generated["actor"]))
    chosen = Filters(
        actors=tuple(data.draw(st.lists(st.sampled_from(names), max_size=6, unique=True), "actors")),
        kinds=tuple(data.draw(st.lists(st.sampled_from(KINDS), max_size=3, unique=True), "kinds")),
        start=data.draw(st.none() | st.dates(dt.date(1999, 1, 1), dt.date(2025, 6, 1)), "start"),
        end=data.draw(st.none() | st.dates(dt.date(1999, 1, 1), dt.date(2025, 6, 1)), "end"),
        text=data.draw(st.sampled_from(["", "pipeline", "Ceasefire", "we will not", "sanctions"]), "text"),
    )
    shown = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=8, unique=True), "shown")
    window = (ms(first), ms(first) + days * DAY_MS + data.draw(st.integers(0, DAY_MS - 1), "extra ms"))
    found = answers(three_engines, chosen.query(), window, shown, fold, width)
    assert_agree(found)
    assert_as_documented(generated, found["arrays"], chosen, window, shown, fold, width)


def test_engines_agree_on_the_side_of_an_actor_that_changed_sides() -> None:
    events = table(
        [
            event("a1", "A", "2024-01-01", side="West"),
            event("a2", "A", "2024-01-05", side="East"),
            event("b1", "B", "2024-01-06", side="East"),
        ]
    )
    later = Filters(start=dt.date(2024, 1, 3)).query()
    shared = engine_table(events)
    for engine in (ArrayEngine(shared), IbisEngine.duckdb(shared)):
        stats = engine.lane_stats(engine.select(later)).set_index("actor")
        assert stats.loc["A", "side"] == "West", type(engine).__name__


def test_no_actors_means_no_events(three_engines: dict[str, Engine]) -> None:
    window = (ms(dt.date(2000, 1, 1)), ms(dt.date(2025, 1, 1)))
    for name, engine in three_engines.items():
        rows = engine.select(Query())
        assert engine.count(rows, window, []) == 0, name
        assert len(engine.positions(rows, window, [])) == 0, name
        assert engine.bins(rows, window, [], False, DAY_MS).empty, name
        assert engine.bins(rows, window, [], True, DAY_MS)["count"].sum() == engine.count(rows, window, None), name


def test_the_patched_threshold_sends_the_text_search_to_duckdb(
    generated: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the agreement tests above: with the threshold patched low, the array engine really
    opens its DuckDB connection for a text search (and without the patch, it does not)."""
    arrow_only, through_duckdb = ArrayEngine(engine_table(generated)), ArrayEngine(engine_table(generated))
    arrow_only.select(Query(text="pipeline"))
    monkeypatch.setattr(engines, "TEXT_DUCKDB_FROM_ROWS", 0)
    through_duckdb.select(Query(text="pipeline"))
    assert arrow_only._duckdb is None
    assert through_duckdb._duckdb is not None
