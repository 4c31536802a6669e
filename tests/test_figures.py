"""The figure builder, tested as plain data: lanes, markers, looks of loose dates, safety."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from timeline.dataset import Dataset
from timeline.figures import (
    EVENT_TRACE,
    SIDE_HEADER,
    dataset_figure,
    event_traces,
    fig_actors,
    figure_lanes,
    lane_order,
    timeline_figure,
)
from timeline.query import Filters, apply_filters
from timeline.schema import validate_events


def actor_lanes(fig) -> list[str]:  # type: ignore[no-untyped-def]
    return figure_lanes(fig)


def markers(fig) -> int:  # type: ignore[no-untyped-def]
    return sum(len(t.x) for t in event_traces(fig))


def test_one_lane_per_actor(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters())
    assert sorted(actor_lanes(fig)) == sorted(seed.events["actor"].unique())
    assert len(actor_lanes(fig)) == len(set(actor_lanes(fig)))


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(actors=("Elon Musk",)),
        Filters(kinds=("denial",)),
        Filters(text="starlink"),
        Filters(actors=("Dmitry Peskov", "GUR"), kinds=("claim",)),
    ],
)
def test_marker_count_equals_filtered_events(seed: Dataset, filters: Filters) -> None:
    fig = dataset_figure(seed, filters)
    kept = apply_filters(seed.events, filters)
    assert markers(fig) == len(kept)
    assert sorted(actor_lanes(fig)) == sorted(kept["actor"].unique())
    ids = [i for t in event_traces(fig) for i in t.customdata]
    assert sorted(ids) == sorted(kept["id"])


def test_lanes_are_grouped_by_side(seed: Dataset) -> None:
    lanes = lane_order(seed.events)
    side = dict(zip(seed.events["actor"], seed.events["side"], strict=True))
    sides_in_order = [side[a] for a in lanes]
    # Each side's actors are contiguous.
    changes = sum(1 for a, b in itertools.pairwise(sides_in_order) if a != b)
    assert changes == len(set(sides_in_order)) - 1
    headers = [
        c for c in dataset_figure(seed, Filters()).layout.meta["rows"] if c.startswith(SIDE_HEADER)
    ]
    assert [h.removeprefix(SIDE_HEADER) for h in headers] == list(dict.fromkeys(sides_in_order))


def test_colour_by_side_is_stable_under_filtering(seed: Dataset) -> None:
    def colour_of(fig, side: str) -> str:  # type: ignore[no-untyped-def]
        return next(t.marker.color for t in event_traces(fig) if t.name == side)

    full = dataset_figure(seed, Filters())
    only_ukraine = dataset_figure(seed, Filters(actors=("GUR",)))
    assert colour_of(full, "Ukraine") == colour_of(only_ukraine, "Ukraine")


def _one(**cells: str) -> pd.DataFrame:
    row = {"id": "a", "start": "2022-02", "actor": "X", "kind": "action", "title": "T"} | cells
    return validate_events(pd.DataFrame([row]), file="t.csv")


def test_exact_and_loose_dates_look_different() -> None:
    exact = timeline_figure(_one(start="2022-02-11"))
    month = timeline_figure(_one(start="2022-02"))
    exact_marker = event_traces(exact)[0].marker.symbol[0]
    month_marker = event_traces(month)[0].marker.symbol[0]
    assert exact_marker == "circle"
    assert month_marker == "circle-open"
    assert not [t for t in exact.data if t.meta == "window"]
    band = next(t for t in month.data if t.meta == "window")
    assert band.base[0] == "2022-02-01"
    assert band.x[0] == 28 * 24 * 3600 * 1000  # the whole of February
    assert band.marker.pattern.shape == "/"


def test_loose_marker_sits_in_the_middle_of_its_window() -> None:
    fig = timeline_figure(_one(start="2022", precision="year"))
    x = pd.Timestamp(event_traces(fig)[0].x[0])
    assert x.year == 2022
    assert x.month in (6, 7)


def test_span_is_a_solid_bar() -> None:
    fig = timeline_figure(_one(start="2022-02-01", end="2022-03-01"))
    span = next(t for t in fig.data if t.meta == "span")
    assert span.marker.pattern.shape in (None, "")


def test_user_text_is_escaped_not_markup() -> None:
    fig = timeline_figure(_one(actor="<b>Bold</b>", title="<img src=x onerror=alert(1)>", side="<i>s</i>"))
    trace = event_traces(fig)[0]
    assert "<img" not in trace.hovertext[0]
    assert "&lt;img" in trace.hovertext[0]
    assert "&lt;b&gt;Bold&lt;/b&gt;" in fig.layout.yaxis.ticktext
    assert fig_actors(fig) == ["<b>Bold</b>"]
    assert trace.meta == EVENT_TRACE


def test_hover_shows_title_date_as_phrased_and_actor(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(actors=("Dmitry Peskov",)))
    hover = event_traces(fig)[0].hovertext[0]
    assert "on Monday" in hover
    assert "Dmitry Peskov" in hover
    assert "12 February 2024" in hover


def test_title_subtitle_and_credit(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(kinds=("denial",)))
    assert seed.title in fig.layout.title.text
    assert fig.layout.title.subtitle.text.startswith("Kind: denial")
    assert any("RT (English edition), 12 February 2024" in (a.text or "") for a in fig.layout.annotations)


def test_far_past_dates_draw() -> None:
    fig = timeline_figure(_one(start="1066-10-14"))
    assert str(event_traces(fig)[0].x[0]).startswith("1066-10-14")


def test_same_day_events_of_one_actor_do_not_hide_each_other(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(actors=("Dmitry Peskov",)))
    trace = event_traces(fig)[0]
    assert len(trace.y) == 4  # four remarks on Monday 12 February
    assert len(set(trace.y)) == 4
    lane = figure_lanes(fig).index("Dmitry Peskov")
    assert all(abs(y - round(y)) <= 0.4 for y in trace.y)
    assert {round(y) for y in trace.y} == {fig.layout.meta["rows"].index("Dmitry Peskov")}
    assert lane == 0
    assert fig_actors(fig) == ["Dmitry Peskov"] * 4


def test_a_date_window_shows_its_last_day_whole(seed: Dataset) -> None:
    import datetime as dt

    fig = dataset_figure(seed, Filters(start=dt.date(2024, 2, 1), end=dt.date(2024, 2, 12)))
    start, end = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert start == pd.Timestamp("2024-02-01")
    assert end == pd.Timestamp("2024-02-13")  # 12 February, all of it


def test_a_view_on_one_day_still_has_a_readable_axis(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(actors=("Dmitry Peskov",)))
    start, end = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert end - start >= pd.Timedelta(days=7)
    assert start < pd.Timestamp("2024-02-12") < end


def test_long_names_are_cut_on_the_axis_but_whole_in_the_hover() -> None:
    name = "The Extraordinarily Long Name of a Ministerial Working Group"
    fig = timeline_figure(_one(actor=name))
    import re

    assert all(len(re.sub(r"<[^>]+>", "", label)) <= 32 for label in fig.layout.yaxis.ticktext)
    assert name in event_traces(fig)[0].hovertext[0]
