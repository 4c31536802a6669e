"""The view model: what build_view answers for a window, checked against the plain event table.

Every expectation is counted here again with pandas masks over the events' first moments,
ends and markers (see ``factory``), never with the code under test.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from factory import (
    actor_name,
    busiest_first,
    dataset,
    event,
    expected_matching,
    first_appearance,
    markers,
    ms,
    overlapping,
    random_events,
    table,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.dataset import Dataset
from timeline.engine import DAY_MS, UNASSIGNED_SIDE
from timeline.generate import generate_events
from timeline.query import BIN_WIDTHS_MS, MIN_SPAN_MS, Filters, ViewRequest, bin_width, build_view, matching
from timeline.schema import KINDS, validate_events
from timeline.view import LANE_ORDERS, Density, View

# ibis 12 reads a table's schema with DuckDB 2's deprecated fetch_arrow_table(); pytest makes
# that warning an error. The project's pyproject.toml should carry this filter (and declare
# ibis-framework and duckdb, which the engine imports); until it does, the view tests do.
pytestmark = pytest.mark.filterwarnings(r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning")

BOUNDED = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOUR = 3_600_000


@pytest.fixture(scope="module")
def big() -> Dataset:
    """Thirty thousand random events of 50 actors over 2021 and early 2022 (array engine)."""
    return dataset(random_events(30_000, actors=50, seed=11))


@pytest.fixture(scope="module")
def small() -> Dataset:
    """Four thousand random events of 25 actors: small enough to draw every one exactly."""
    return dataset(random_events(4_000, actors=25, seed=5))


def at(day: str, hour: int = 0) -> int:
    return ms(pd.Timestamp(day)) + hour * HOUR


# What a view should hold, counted again from the events ---------------------------------------


def lane_actors(view: View) -> dict[int, tuple[str, ...]]:
    """Each density row's actors: an actor lane's one, or the fold's."""
    rows = {lane.row: (lane.actor,) for lane in view.lanes if lane.kind == "actor"}
    if view.fold is not None:
        rows[view.fold.row] = view.fold.actors
    return rows


def assert_density_counts_the_markers(view: View, kept: pd.DataFrame, rows: dict[int, tuple[str, ...]]) -> None:
    """Each cell counts the events of its lane whose marker lies in its bin (cut at the window's
    end); the cells are distinct; together they hold every marker of those lanes from the first
    bin's start to the window's end, each once."""
    density = view.density
    assert density is not None
    end = view.window[1]
    assert density.start <= view.window[0] < density.start + density.width  # the bins cover the window
    assert density.start + density.bins * density.width >= end
    cells = list(zip(density.lane.tolist(), density.bin.tolist(), strict=True))
    assert len(set(cells)) == len(cells), "a cell is listed twice"
    assert set(density.lane.tolist()) <= set(rows), "a cell in a header row or no row at all"
    assert ((density.bin >= 0) & (density.bin < density.bins)).all()
    assert (density.count > 0).all()
    # Count again lane by lane: each bin's markers between its two edges, the last edge cut at the end.
    edges = np.minimum(density.start + np.arange(density.bins + 1) * density.width, end)
    marker = markers(kept)
    drawn = np.zeros((len(rows), density.bins), dtype=np.int64)
    expected = np.zeros_like(drawn)
    order = sorted(rows)
    for i, lane in enumerate(order):
        mine = np.sort(marker[kept["actor"].isin(rows[lane])].to_numpy())
        expected[i] = np.diff(np.searchsorted(mine, edges, side="left"))
    drawn[[order.index(lane) for lane in density.lane.tolist()], density.bin] = density.count
    for i, lane in enumerate(order):
        assert drawn[i].tolist() == expected[i].tolist(), f"row {lane}"
    every = kept["actor"].isin([actor for actors in rows.values() for actor in actors])
    assert density.total == int((every & (marker >= density.start) & (marker < end)).sum())


def assert_lanes_and_fold(view: View, kept: pd.DataFrame, rows: int) -> None:
    """The shown lanes are the busiest actors under the filters; the fold holds exactly the rest;
    counts are theirs; the chart has at most ``rows`` rows and as many lanes as fit."""
    busiest = busiest_first(kept)
    shown = view.actor_lanes()
    counts = kept["actor"].value_counts()
    assert len(view.lanes) <= rows
    assert [lane.row for lane in view.lanes] == list(range(len(view.lanes)))
    assert sorted(shown) == sorted(busiest[: len(shown)])
    for lane in view.lanes:
        if lane.kind == "actor":
            assert lane.count == counts[lane.actor], lane
    if len(shown) == len(busiest):
        assert view.fold is None
        return
    fold = view.fold
    assert fold is not None
    assert sorted(fold.actors) == sorted(busiest[len(shown) :])
    assert fold.events == int(kept["actor"].isin(fold.actors).sum())
    assert view.lanes[-1].kind == "fold"
    assert (view.lanes[-1].row, view.lanes[-1].count) == (fold.row, fold.events)
    # As many lanes as fit: one more (and its side's header, when grouped by side) would not.
    more = busiest[: len(shown) + 1]
    headers = kept.loc[kept["actor"].isin(more), "side"].nunique() if view.order == "side" else 0
    assert len(more) + headers + (len(more) < len(busiest)) > rows


def assert_marks_are_the_overlapping_rows(view: View, events: pd.DataFrame, kept: pd.DataFrame) -> None:
    """Exactly the events of the shown lanes that overlap the window, each in its actor's lane."""
    assert view.mode == "exact"
    assert view.marks is not None
    row_of = {lane.actor: lane.row for lane in view.lanes if lane.kind == "actor"}
    expected = kept[overlapping(kept, view.window) & kept["actor"].isin(row_of)]
    assert view.marks.positions.tolist() == expected.index.tolist()
    assert view.marks.ids == expected["id"].tolist()
    assert view.marks.lane.tolist() == expected["actor"].map(row_of).tolist()
    assert view.in_view == len(expected)
    assert events.iloc[view.marks.positions]["id"].tolist() == view.marks.ids


# Aggregated counts ---------------------------------------------------------------------------

AGGREGATED = {
    "whole, folded": ViewRequest(rows=8, exact_limit=100),
    "whole, a lane each": ViewRequest(exact_limit=100),
    "zoom off midnight": ViewRequest(window=(at("2021-03-10", 6), at("2021-05-02", 17)), rows=10, exact_limit=50),
    "few bins": ViewRequest(rows=7, bins=13, exact_limit=100),
    "filtered": ViewRequest(filters=Filters(kinds=("claim", "denial"), text="offer"), rows=6, exact_limit=10),
    "dated": ViewRequest(filters=Filters(start=dt.date(2021, 5, 3), end=dt.date(2021, 8, 1)), rows=9, exact_limit=10),
    "by side": ViewRequest(order="side", rows=9, bins=37, exact_limit=100),
}


@pytest.mark.parametrize("name", list(AGGREGATED))
def test_aggregated_counts_are_the_events_in_each_bin_and_lane(big: Dataset, name: str) -> None:
    request = AGGREGATED[name]
    view = build_view(big, request)
    kept = expected_matching(big.events, request.filters)
    assert view.mode == "aggregated"
    assert view.marks is None
    assert view.in_view > request.exact_limit
    assert_density_counts_the_markers(view, kept, lane_actors(view))
    assert_lanes_and_fold(view, kept, request.rows)


@BOUNDED
@given(
    first=st.integers(at("2020-11-01"), at("2022-02-01")),
    span=st.integers(HOUR, 500 * DAY_MS),
    bins=st.integers(1, 300),
    rows=st.integers(3, 14),
    order=st.sampled_from(list(LANE_ORDERS)),
    kinds=st.lists(st.sampled_from(KINDS), max_size=2, unique=True),
)
def test_any_aggregated_window_counts_every_marker_once(
    big: Dataset, first: int, span: int, bins: int, rows: int, order: str, kinds: list[str]
) -> None:
    request = ViewRequest(Filters(kinds=tuple(kinds)), (first, first + span), order, rows, bins, exact_limit=0)
    view = build_view(big, request)
    kept = expected_matching(big.events, request.filters)
    assert_lanes_and_fold(view, kept, rows)
    if view.mode == "exact":  # nothing of the shown lanes in this window
        assert view.in_view == 0
        assert view.marks is not None
        assert len(view.marks) == 0
        return
    assert_density_counts_the_markers(view, kept, lane_actors(view))
    assert view.density is not None
    # bin_width keeps the window to `bins`; starting the first bin at midnight may add one.
    assert view.density.bins <= bins + 1


# Exact below the threshold, aggregated above it ------------------------------------------------


def test_a_zoom_below_the_threshold_gives_exactly_the_overlapping_events(big: Dataset) -> None:
    window = (at("2021-06-01", 9), at("2021-06-09", 15))
    kept = big.events
    shown = busiest_first(kept)[:7]
    in_window = kept[overlapping(kept, window) & kept["actor"].isin(shown)]
    assert 50 < len(in_window) < 2_000  # a window worth zooming into

    exact = build_view(big, ViewRequest(window=window, rows=8, exact_limit=len(in_window)))
    assert exact.actor_lanes() == shown
    assert_marks_are_the_overlapping_rows(exact, big.events, kept)
    assert exact.window == window

    above = build_view(big, ViewRequest(window=window, rows=8, exact_limit=len(in_window) - 1))
    assert above.mode == "aggregated"
    assert above.marks is None
    assert above.in_view == len(in_window)
    assert_density_counts_the_markers(above, kept, lane_actors(above))


def test_the_whole_table_is_aggregated_and_a_week_is_exact_at_the_default_limit(big: Dataset) -> None:
    assert build_view(big, ViewRequest()).mode == "aggregated"  # 30,000 events
    week = build_view(big, ViewRequest(window=(at("2021-09-06"), at("2021-09-13"))))
    assert_marks_are_the_overlapping_rows(week, big.events, big.events)


# Filters select the same events in both modes ---------------------------------------------------

FILTERS = {
    "actor": Filters(actors=(actor_name(3),)),
    "actors": Filters(actors=(actor_name(0), actor_name(9), actor_name(20))),
    "target": Filters(targets=(actor_name(2),)),
    "kind": Filters(kinds=("report",)),
    "date range": Filters(start=dt.date(2021, 4, 10), end=dt.date(2021, 7, 20)),
    "until": Filters(end=dt.date(2021, 2, 14)),
    "straight quotes": Filters(text='"red line"'),
    "curly quotes": Filters(text="“red line”"),
    "apostrophe": Filters(text="KYIV’S"),
    "combined": Filters(
        actors=tuple(actor_name(k) for k in range(8)),
        kinds=("statement", "denial", "claim"),
        start=dt.date(2021, 3, 1),
        end=dt.date(2021, 12, 31),
        text="offer",
    ),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_filters_select_the_same_events_in_both_modes(small: Dataset, name: str) -> None:
    filters = FILTERS[name]
    expected = expected_matching(small.events, filters)
    found = matching(small, filters)
    assert found["id"].tolist() == expected["id"].tolist()
    assert len(expected) > 0

    exact = build_view(small, ViewRequest(filters, exact_limit=len(small.events)))
    assert exact.fold is None
    assert exact.matched == len(expected)
    assert_marks_are_the_overlapping_rows(exact, small.events, expected)
    assert exact.marks is not None
    assert exact.marks.positions.tolist() == expected.index.tolist()  # the whole view holds every match

    aggregated = build_view(small, ViewRequest(filters, exact_limit=0, bins=50))
    assert aggregated.mode == "aggregated"
    assert aggregated.matched == len(expected)
    density = aggregated.density
    assert density is not None
    marker = markers(expected)
    outside = int(((marker < density.start) | (marker >= aggregated.window[1])).sum())
    assert density.total + outside == len(expected)
    assert_density_counts_the_markers(aggregated, expected, lane_actors(aggregated))


def test_a_date_filter_counts_spans_that_began_before_it_only_when_exact() -> None:
    events = table(
        [
            event("long", "A", "2024-01-01", end="2024-03-31"),
            event("inside", "A", "2024-02-10"),
            event("late", "B", "2024-02-20", end="2024-04-30"),
        ]
    )
    filters = Filters(start=dt.date(2024, 2, 1), end=dt.date(2024, 2, 29))
    exact = build_view(dataset(events), ViewRequest(filters))
    assert exact.marks is not None
    assert exact.marks.ids == ["long", "inside", "late"]
    aggregated = build_view(dataset(events), ViewRequest(filters, exact_limit=0))
    assert aggregated.window == (at("2024-02-01"), at("2024-03-01"))
    assert aggregated.matched == 3
    assert aggregated.density is not None
    assert aggregated.density.total == 2  # "long" is drawn at its start, 1 January


# The folded lane -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(kinds=("action", "claim")), Filters(start=dt.date(2021, 10, 1), text="offer")],
    ids=["all", "kinds", "dated text"],
)
def test_the_fold_counts_exactly_the_actors_without_a_lane_in_every_order(big: Dataset, filters: Filters) -> None:
    kept = expected_matching(big.events, filters)
    shown: dict[str, set[str]] = {}
    for order in LANE_ORDERS:
        view = build_view(big, ViewRequest(filters, order=order, rows=6, exact_limit=100))
        assert view.mode == "aggregated"
        assert view.order == order
        assert view.fold is not None
        assert_lanes_and_fold(view, kept, 6)
        assert_density_counts_the_markers(view, kept, lane_actors(view))  # the fold's density included
        assert view.density is not None
        assert (view.density.lane == view.fold.row).any()
        shown[order] = set(view.actor_lanes())
        assert_arranged(view, kept, big.events)
    assert shown["count"] == shown["first"] == shown["name"]
    assert shown["side"] <= shown["count"]  # side headers take rows: maybe fewer lanes, never others


def assert_arranged(view: View, kept: pd.DataFrame, events: pd.DataFrame) -> None:
    """Lanes in the documented order: most events (ties: earlier first), side, first date, name."""
    actors = view.actor_lanes()
    first = kept.groupby("actor")["lo"].min()
    count = kept["actor"].value_counts()
    keys = [(first[a], a) for a in actors]
    if view.order == "count":
        pairs = [(-count[a], first[a], a) for a in actors]
        assert pairs == sorted(pairs)
    elif view.order == "first":
        assert keys == sorted(keys)
    elif view.order == "name":
        assert [a.casefold() for a in actors] == sorted(a.casefold() for a in actors)
    else:
        sides = events["side"].replace("", UNASSIGNED_SIDE)
        side_of = dict(zip(events["actor"], sides, strict=True))
        headers = [lane.label for lane in view.lanes if lane.kind == "header"]
        ranked = [s for s in first_appearance(sides.tolist()) if s in headers]
        assert headers == ranked  # sides in the dataset's order, each once
        block = ""
        for lane in view.lanes:
            if lane.kind == "header":
                block = lane.label
            elif lane.kind == "actor":
                assert side_of[lane.actor] == block, lane
        for side in headers:
            mine = [(first[a], a) for a in actors if side_of[a] == side]
            assert mine == sorted(mine), side


def test_each_lane_order_arranges_the_lanes_as_documented() -> None:
    """Five actors whose orders by events, first date, name and side all differ."""
    rows = [("dan", "Red", "2024-01-04", 4), ("zed", "Blue", "2024-01-01", 3), ("Cat", "", "2024-01-03", 2)]
    rows += [("bob", "Blue", "2024-01-05", 2), ("Amy", "Red", "2024-01-02", 1)]
    events = table(
        event(f"{actor}{n}", actor, (pd.Timestamp(first) + n * pd.Timedelta(days=1)).strftime("%Y-%m-%d"), side=side)
        for actor, side, first, count in rows
        for n in range(count)
    )  # the first row is dan's, then zed's, then Cat's: sides appear as Red, Blue, none
    expected = {
        "count": ["dan", "zed", "Cat", "bob", "Amy"],  # Cat and bob tie: Cat began earlier
        "first": ["zed", "Amy", "Cat", "dan", "bob"],
        "name": ["Amy", "bob", "Cat", "dan", "zed"],
        "side": ["Red", "Amy", "dan", "Blue", "zed", "bob", UNASSIGNED_SIDE, "Cat"],
    }
    for order, labels in expected.items():
        view = build_view(dataset(events), ViewRequest(order=order))
        assert [lane.label for lane in view.lanes] == labels, order
        assert view.fold is None
    by_side = build_view(dataset(events), ViewRequest(order="side")).lanes
    assert [lane.kind for lane in by_side] == ["header", "actor", "actor"] * 2 + ["header", "actor"]


def test_ties_in_events_go_to_the_earlier_actor() -> None:
    events = table(
        [
            event("a1", "Ann", "2024-01-05"),
            event("a2", "Ann", "2024-01-06"),
            event("b1", "Bob", "2024-01-01"),
            event("b2", "Bob", "2024-01-09"),
            event("c1", "Cid", "2024-01-03"),
            event("c2", "Cid", "2024-01-04"),
            event("d1", "Dee", "2024-01-02"),
        ]
    )
    view = build_view(dataset(events), ViewRequest(rows=3))
    assert view.actor_lanes() == ["Bob", "Cid"]
    assert view.fold is not None
    assert sorted(view.fold.actors) == ["Ann", "Dee"]
    assert view.fold.events == 3


@BOUNDED
@given(
    rows=st.integers(3, 12),
    order=st.sampled_from(list(LANE_ORDERS)),
    kinds=st.lists(st.sampled_from(KINDS), max_size=3, unique=True),
    start=st.none() | st.dates(dt.date(2021, 1, 1), dt.date(2022, 1, 1)),
)
def test_any_chart_height_folds_the_rest(
    big: Dataset, rows: int, order: str, kinds: list[str], start: dt.date | None
) -> None:
    filters = Filters(kinds=tuple(kinds), start=start)
    view = build_view(big, ViewRequest(filters, order=order, rows=rows, exact_limit=0))
    kept = expected_matching(big.events, filters)
    assert_lanes_and_fold(view, kept, rows)
    assert_arranged(view, kept, big.events)
    assert view.matched == len(kept)


def test_in_exact_mode_the_fold_density_counts_only_the_folded_actors(small: Dataset) -> None:
    view = build_view(small, ViewRequest(rows=6))
    assert view.mode == "exact"
    assert view.fold is not None
    kept = small.events
    fold_only = {view.fold.row: view.fold.actors}
    assert view.density is not None
    assert set(view.density.lane.tolist()) == {view.fold.row}
    assert_density_counts_the_markers(view, kept, fold_only)


# Engines give the same view ------------------------------------------------------------------


@pytest.fixture(scope="module")
def twins() -> tuple[Dataset, Dataset]:
    """Twenty thousand generated events, answered by the array engine and by Ibis on DuckDB."""
    events = validate_events(generate_events(20_000, actors=120, seed=4), file="generated")
    return dataset(events, "arrays"), dataset(events, "duckdb")


def cells(density: Density) -> list[tuple[int, int, int]]:
    """A density's cells as sorted ``(lane, bin, count)``."""
    return sorted(zip(density.lane.tolist(), density.bin.tolist(), density.count.tolist(), strict=True))


def assert_same_view(a: View, b: View) -> None:
    for field in ("lanes", "fold", "mode", "window", "in_view", "matched", "total", "kinds", "order"):
        assert getattr(a, field) == getattr(b, field), field
    assert (a.has_loose, a.has_exact_day, a.has_span) == (b.has_loose, b.has_exact_day, b.has_span)
    assert (a.marks is None) == (b.marks is None)
    if a.marks is not None and b.marks is not None:
        for field in ("positions", "lane", "y", "at", "lo", "hi", "target_lane"):
            np.testing.assert_array_equal(getattr(a.marks, field), getattr(b.marks, field), err_msg=field)
        assert a.marks.ids == b.marks.ids
    assert (a.density is None) == (b.density is None)
    if a.density is not None and b.density is not None:
        assert (a.density.start, a.density.width, a.density.bins) == (b.density.start, b.density.width, b.density.bins)

        assert cells(a.density) == cells(b.density)


TWIN_REQUESTS = {
    "whole": ViewRequest(rows=10, exact_limit=500),
    "zoom, exact": ViewRequest(window=(at("2012-03-01", 5), at("2012-09-01")), rows=10, exact_limit=3_000),
    "text, exact with a fold": ViewRequest(Filters(text="Pipeline"), rows=8),
    "side, aggregated": ViewRequest(Filters(kinds=("statement", "denial")), order="side", rows=12, exact_limit=50),
    "nothing": ViewRequest(Filters(text="no such words")),
}


@pytest.mark.parametrize("name", list(TWIN_REQUESTS))
def test_both_engines_build_the_same_view(twins: tuple[Dataset, Dataset], name: str) -> None:
    arrays, duckdb = twins
    assert_same_view(build_view(arrays, TWIN_REQUESTS[name]), build_view(duckdb, TWIN_REQUESTS[name]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.integers(at("1999-06-01"), at("2024-06-01")),
    span=st.integers(HOUR, 9_000 * DAY_MS),
    rows=st.integers(3, 20),
    order=st.sampled_from(list(LANE_ORDERS)),
    kinds=st.lists(st.sampled_from(KINDS), max_size=2, unique=True),
    text=st.sampled_from(["", "sanctions", "We will not"]),
    exact_limit=st.sampled_from([0, 200, 5_000]),
)
def test_both_engines_build_the_same_view_for_any_request(
    twins: tuple[Dataset, Dataset],
    first: int,
    span: int,
    rows: int,
    order: str,
    kinds: list[str],
    text: str,
    exact_limit: int,
) -> None:
    request = ViewRequest(Filters(kinds=tuple(kinds), text=text), (first, first + span), order, rows, 120, exact_limit)
    arrays, duckdb = twins
    assert_same_view(build_view(arrays, request), build_view(duckdb, request))


# Window edges ---------------------------------------------------------------------------------


@given(span=st.integers(1, 300 * 365 * DAY_MS), bins=st.integers(1, 5_000))
@settings(max_examples=200, deadline=None)
def test_bin_width_is_the_narrowest_that_keeps_to_the_bins_asked(span: int, bins: int) -> None:
    width = bin_width((10_000, 10_000 + span), bins)
    assert width in BIN_WIDTHS_MS
    if width != max(BIN_WIDTHS_MS):
        assert math.ceil(span / width) <= bins
    assert all(math.ceil(span / narrower) > bins for narrower in BIN_WIDTHS_MS if narrower < width)


def test_a_single_day_window() -> None:
    events = table(
        [
            event("morning", "A", "2021-03-16"),
            event("again", "A", "2021-03-16"),
            event("month", "B", "2021-03"),  # its marker: 16 March, noon
            event("span", "B", "2021-03-10", end="2021-03-20"),  # overlaps, drawn on the 10th
            event("eve", "A", "2021-03-15"),
            event("next", "A", "2021-03-17"),
        ]
    )
    day = (at("2021-03-16"), at("2021-03-17"))
    exact = build_view(dataset(events), ViewRequest(window=day))
    assert exact.marks is not None
    assert exact.marks.ids == ["morning", "again", "month", "span"]
    assert exact.marks.y[0] != exact.marks.y[1]  # same day, same lane: moved apart

    hourly = build_view(dataset(events), ViewRequest(window=day, bins=24, exact_limit=0))
    assert hourly.mode == "aggregated"
    density = hourly.density
    assert density is not None
    assert (density.start, density.width, density.bins) == (day[0], HOUR, 24)
    row = {lane.actor: lane.row for lane in hourly.lanes}
    assert cells(density) == [(row["A"], 0, 2), (row["B"], 12, 1)]

    one_day = Filters(start=dt.date(2021, 3, 16), end=dt.date(2021, 3, 16))
    whole = build_view(dataset(events), ViewRequest(one_day))
    assert whole.window[0] <= day[0] < day[1] <= whole.window[1]
    assert whole.window[1] - whole.window[0] >= MIN_SPAN_MS  # a day still shows as a day
    assert whole.marks is not None
    assert whole.marks.ids == ["morning", "again", "month", "span"]


def test_events_across_the_window_edges() -> None:
    events = table(
        [
            event("ends-at-start", "A", "2024-01-05", end="2024-01-09"),  # ends as the window begins
            event("into", "A", "2024-01-01", end="2024-01-12"),
            event("inside", "A", "2024-01-12"),
            event("out-of", "A", "2024-01-14", end="2024-01-25"),
            event("over", "A", "2023-12-01", end="2024-02-01"),
            event("starts-at-end", "A", "2024-01-15"),  # begins as the window ends
        ]
    )
    window = (at("2024-01-10"), at("2024-01-15"))
    exact = build_view(dataset(events), ViewRequest(window=window))
    assert exact.marks is not None
    assert exact.marks.ids == ["into", "inside", "out-of", "over"]
    assert exact.in_view == 4
    aggregated = build_view(dataset(events), ViewRequest(window=window, exact_limit=0, bins=5))
    assert aggregated.in_view == 4
    assert aggregated.density is not None
    assert aggregated.density.total == 2  # only "inside" and "out-of" have their marker in the window


def test_a_window_with_nothing_in_it_is_exact_and_empty(big: Dataset) -> None:
    view = build_view(big, ViewRequest(window=(at("2030-01-01"), at("2030-02-01")), rows=6))
    assert view.mode == "exact"
    assert view.marks is not None
    assert len(view.marks) == 0
    assert view.in_view == 0
    assert view.matched == len(big.events)
    assert len(view.actor_lanes()) == 5


@pytest.mark.parametrize("engine", ["arrays", "duckdb"])
@pytest.mark.parametrize(
    "filters",
    [Filters(actors=("Nobody",)), Filters(text="no such words"), Filters(start=dt.date(2030, 1, 1))],
    ids=["actor", "text", "date"],
)
def test_no_matches_give_an_empty_view(small: Dataset, engine: str, filters: Filters) -> None:
    view = build_view(Dataset(small.events, "small", engine_choice=engine), ViewRequest(filters))
    assert (view.matched, view.in_view, view.total) == (0, 0, len(small.events))
    assert view.lanes == []
    assert view.fold is None
    assert view.mode == "exact"
    assert view.marks is None or len(view.marks) == 0
    assert view.density is None or view.density.total == 0
    assert view.window[0] < view.window[1]
    assert matching(small, filters).empty


def test_an_empty_view_still_shows_the_days_the_filter_asks_for(small: Dataset) -> None:
    view = build_view(small, ViewRequest(Filters(start=dt.date(2100, 1, 1))))
    assert view.window[0] <= at("2100-01-01") < view.window[1]
