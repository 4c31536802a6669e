"""The figure builder, tested as plain data: lanes, markers, looks of loose dates, density, safety."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest

from timeline.dataset import Dataset
from timeline.figures import (
    DENSITY_TRACE,
    EVENT_TRACE,
    GL_FROM,
    KIND_SYMBOLS,
    OPEN,
    SYMBOL_CODES,
    dataset_figure,
    dataset_view,
    event_traces,
    fig_actors,
    figure_lanes,
    timeline_figure,
    transport,
    window_of,
    year_ticks,
)
from timeline.query import Filters, matching
from timeline.schema import validate_events

CODE_NAMES = {code: name for name, code in SYMBOL_CODES.items()}


def symbol_names(trace: dict[str, Any]) -> list[str]:
    return [CODE_NAMES[c % OPEN] + ("-open" if c >= OPEN else "") for c in trace["marker"]["symbol"].tolist()]


def markers(fig: dict[str, Any]) -> int:
    return sum(len(t["x"]) for t in event_traces(fig))


def traces(fig: dict[str, Any], meta: str) -> list[dict[str, Any]]:
    return [t for t in fig["data"] if t.get("meta") == meta]


def ms(day: str) -> float:
    return float(pd.Timestamp(day).asm8.astype("datetime64[ms]").astype(np.int64))


def test_one_lane_per_actor(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters())
    assert sorted(figure_lanes(fig)) == sorted(seed.events["actor"].unique())
    assert len(figure_lanes(fig)) == len(set(figure_lanes(fig)))


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
    kept = matching(seed, filters)
    assert markers(fig) == len(kept)
    assert sorted(figure_lanes(fig)) == sorted(kept["actor"].unique())
    positions = [p for t in event_traces(fig) for p in t["customdata"].tolist()]
    assert sorted(seed.events["id"].iloc[positions]) == sorted(kept["id"])


def test_the_seed_story_is_grouped_by_side(seed: Dataset) -> None:
    assert seed.lane_order == "side", "the default story's meta file keeps its side-grouped look"
    view = dataset_view(seed, Filters())
    rows = [(lane.kind, lane.side) for lane in view.lanes]
    headers = [side for kind, side in rows if kind == "header"]
    assert headers == list(dict.fromkeys(side for kind, side in rows if kind == "actor"))
    changes = sum(1 for a, b in itertools.pairwise([s for k, s in rows if k == "actor"]) if a != b)
    assert changes == len(headers) - 1, "each side's actors are contiguous under its header"
    fig = dataset_figure(seed, Filters())
    bands = [s for s in fig["layout"]["shapes"] if s.get("yref") == "y"]
    assert len(bands) == len(headers)


def test_the_seed_story_keeps_its_marks(seed: Dataset) -> None:
    """The lanes, markers, bands and legend of the default story, as the explorer always drew them."""
    fig = dataset_figure(seed, Filters())
    assert fig["layout"]["meta"]["mode"] == "exact"
    assert all(t["type"] == "scatter" for t in event_traces(fig)), "few markers are SVG"
    names = [n for t in event_traces(fig) for n in symbol_names(t)]
    loose = (seed.events["precision"] != "day") | seed.events["approximate"]
    assert sorted(names) == sorted(
        KIND_SYMBOLS[k] + ("-open" if is_loose else "") for k, is_loose in zip(seed.events["kind"], loose, strict=True)
    )
    windows = traces(fig, "window")
    assert sum(len(t["x"]) for t in windows) == int(loose.sum())
    assert all(t["type"] == "bar" and t["marker"]["pattern"]["shape"] == "/" for t in windows)
    legend = {t["name"] for t in fig["data"] if t.get("meta") == "key"}
    assert {"Russia", "Ukraine", "SpaceX / Musk", "Media", "exact day"} <= legend
    assert "loose date (band: when it may have been)" in legend


def test_colour_by_side_is_stable_under_filtering(seed: Dataset) -> None:
    def colour_of(fig: dict[str, Any], side: str) -> str:
        return next(str(t["marker"]["color"]) for t in event_traces(fig) if t["name"] == side)

    full = dataset_figure(seed, Filters())
    only_ukraine = dataset_figure(seed, Filters(actors=("GUR",)))
    assert colour_of(full, "Ukraine") == colour_of(only_ukraine, "Ukraine")


def _one(**cells: str) -> pd.DataFrame:
    row = {"id": "a", "start": "2022-02", "actor": "X", "kind": "action", "title": "T"} | cells
    return validate_events(pd.DataFrame([row]), file="t.csv")


def test_exact_and_loose_dates_look_different() -> None:
    exact = timeline_figure(_one(start="2022-02-11"))
    month = timeline_figure(_one(start="2022-02"))
    assert symbol_names(event_traces(exact)[0]) == ["circle"]
    assert symbol_names(event_traces(month)[0]) == ["circle-open"]
    assert not traces(exact, "window")
    band = traces(month, "window")[0]
    assert band["base"][0] == ms("2022-02-01")
    assert band["x"][0] == 28 * 24 * 3600 * 1000  # the whole of February
    assert band["marker"]["pattern"]["shape"] == "/"


def test_loose_marker_sits_in_the_middle_of_its_window() -> None:
    fig = timeline_figure(_one(start="2022", precision="year"))
    x = pd.Timestamp(int(event_traces(fig)[0]["x"][0]), unit="ms")
    assert x.year == 2022
    assert x.month in (6, 7)


def test_span_is_a_solid_bar() -> None:
    fig = timeline_figure(_one(start="2022-02-01", end="2022-03-01"))
    span = traces(fig, "span")[0]
    assert span["marker"]["pattern"] == {}


def test_user_text_is_escaped_not_markup() -> None:
    fig = timeline_figure(_one(actor="<b>Bold</b>", title="<img src=x onerror=alert(1)>", side="<i>s</i>"))
    trace = event_traces(fig)[0]
    assert "<img" not in trace["hovertext"][0]
    assert "&lt;img" in trace["hovertext"][0]
    assert "&lt;b&gt;Bold&lt;/b&gt;" in fig["layout"]["yaxis"]["ticktext"]
    assert fig_actors(fig) == ["<b>Bold</b>"]
    assert trace["meta"] == EVENT_TRACE


def test_hover_shows_title_date_as_phrased_and_actor(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(actors=("Dmitry Peskov",)))
    hover = event_traces(fig)[0]["hovertext"][0]
    assert "on Monday" in hover
    assert "Dmitry Peskov" in hover
    assert "12 February 2024" in hover


def test_title_subtitle_and_credit(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(kinds=("denial",)))
    layout = fig["layout"]
    assert seed.title in layout["title"]["text"]
    assert layout["title"]["subtitle"]["text"].startswith("Kind: denial")
    assert any("RT (English edition), 12 February 2024" in a["text"] for a in layout["annotations"])


def test_far_past_dates_draw() -> None:
    fig = timeline_figure(_one(start="1066-10-14"))
    assert event_traces(fig)[0]["x"][0] == ms("1066-10-14")


def test_same_day_events_of_one_actor_do_not_hide_each_other(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(actors=("Dmitry Peskov",)))
    ys = event_traces(fig)[0]["y"].tolist()
    assert len(ys) == 4  # four remarks on Monday 12 February
    assert len(set(ys)) == 4
    assert all(abs(y - round(y)) <= 0.4 for y in ys)
    assert {round(y) for y in ys} == {fig["layout"]["meta"]["rows"].index("Dmitry Peskov")}
    assert fig_actors(fig) == ["Dmitry Peskov"] * 4


def test_a_date_window_shows_its_last_day_whole(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(start=dt.date(2024, 2, 1), end=dt.date(2024, 2, 12)))
    start, end = (pd.Timestamp(v) for v in fig["layout"]["xaxis"]["range"])
    assert start == pd.Timestamp("2024-02-01")
    assert end == pd.Timestamp("2024-02-13")  # 12 February, all of it


def test_a_view_on_one_day_still_has_a_readable_axis(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(actors=("Dmitry Peskov",)))
    start, end = (pd.Timestamp(v) for v in fig["layout"]["xaxis"]["range"])
    assert end - start >= pd.Timedelta(days=7)
    assert start < pd.Timestamp("2024-02-12") < end


def test_long_names_are_cut_on_the_axis_but_whole_in_the_hover() -> None:
    name = "The Extraordinarily Long Name of a Ministerial Working Group"
    fig = timeline_figure(_one(actor=name))
    assert all(len(re.sub(r"<[^>]+>", "", label)) <= 32 for label in fig["layout"]["yaxis"]["ticktext"])
    assert name in event_traces(fig)[0]["hovertext"][0]


def many(count: int, actors: int = 5, days: int = 300, **extra: Any) -> Dataset:
    """``count`` day-precision events spread over ``days`` days, round-robin over ``actors``."""
    start = pd.Timestamp("2020-01-01")
    rows = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(count)],
            "start": [(start + pd.Timedelta(days=i % days)).strftime("%Y-%m-%d") for i in range(count)],
            "actor": [f"Actor {i % actors}" for i in range(count)],
            "kind": "statement",
            "title": [f"Event {i}" for i in range(count)],
            **extra,
        }
    )
    return Dataset(validate_events(rows, file="many.csv"), "many.csv")


def test_many_markers_are_drawn_with_webgl_in_one_trace_coloured_by_side() -> None:
    count = GL_FROM + 10
    dataset = many(count, side=["North" if i % 3 else "South" for i in range(count)])
    fig = dataset_figure(dataset, Filters())
    [trace] = event_traces(fig)  # one WebGL trace: each trace costs a draw
    assert trace["type"] == "scattergl"
    assert markers(fig) == count
    marker = trace["marker"]
    steps = dict((round(stop * 2), color) for stop, color in marker["colorscale"][::2])  # two sides: 0, 1
    colours = [steps[int(c)] for c in marker["color"].tolist()]
    sides = dataset.events["side"].iloc[trace["customdata"]].tolist()
    assert [dataset.colors[side] for side in sides] == colours
    assert marker["cmin"] == -0.5 and marker["cmax"] == 1.5
    assert "<br>" in trace["hovertext"][0] and "Actor" not in trace["hovertext"][0].split("<br>")[-1], "brief"


def test_too_many_events_in_view_are_drawn_as_labelled_density() -> None:
    dataset = many(6_000)
    fig = dataset_figure(dataset, Filters(), height=800, bins=100)
    meta = fig["layout"]["meta"]
    assert meta["mode"] == "aggregated"
    assert not event_traces(fig)
    strips = traces(fig, DENSITY_TRACE)
    assert len(strips) == 5  # one per lane
    assert sum(np.nansum(t["z"]) for t in strips) == 6_000
    assert all(t["type"] == "heatmap" for t in strips)
    note = "aggregated: 6,000 events in view, zoom in to see each event"
    assert meta["note"] == note
    assert fig["layout"]["title"]["subtitle"]["text"].endswith(note), "an exported image says so too"
    assert "events in the" in strips[0]["hovertemplate"]


def test_zooming_in_brings_back_exact_clickable_markers() -> None:
    dataset = many(6_000)
    window = (int(ms("2020-03-01")), int(ms("2020-03-08")))
    fig = dataset_figure(dataset, Filters(), window=window, height=800)
    assert fig["layout"]["meta"]["mode"] == "exact"
    positions = [p for t in event_traces(fig) for p in t["customdata"].tolist()]
    days = dataset.events["start"].iloc[positions]
    assert days.between("2020-03-01", "2020-03-07").all()
    assert len(positions) == (dataset.events["start"].between("2020-03-01", "2020-03-07")).sum()


def test_the_chart_never_grows_past_its_room() -> None:
    dataset = many(3_000, actors=2_000)
    fig = dataset_figure(dataset, Filters(), height=700, legend="top")
    assert fig["layout"]["height"] <= 700
    rows = fig["layout"]["meta"]["rows"]
    assert len(rows) < 30
    assert re.fullmatch(r"[\d,]+ more actors \([\d,]+ events?\)", rows[-1])


def test_targets_are_connected_to_their_lane() -> None:
    rows = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "start": ["2022-02-01", "2022-02-02", "2022-02-03"],
            "actor": ["Police", "Army", "Police"],
            "target": ["Army", "Nobody with a lane", ""],
            "kind": "action",
            "title": ["raids", "denies", "waits"],
        }
    )
    fig = timeline_figure(validate_events(rows, file="t.csv"))
    lines = traces(fig, "target")
    assert len(lines) == 1
    ys = lines[0]["y"]
    finite = ys[np.isfinite(ys)]
    assert len(finite) == 2, "one connector: the only target with a lane"
    assert round(finite[1]) == fig["layout"]["meta"]["rows"].index("Army")
    assert "Police → Army" in event_traces(fig)[0]["hovertext"][0]


def test_the_figure_travels_as_typed_arrays(seed: Dataset) -> None:
    sent = json.dumps(transport(dataset_figure(seed, Filters())))
    trace = next(t for t in json.loads(sent)["data"] if t.get("meta") == EVENT_TRACE)
    assert set(trace["x"]) == {"dtype", "bdata"}
    assert trace["marker"]["symbol"]["dtype"] in ("i1", "i2")
    assert len(sent) < 30_000


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["2024-02-01", "2024-02-02"], (int(ms("2024-02-01")), int(ms("2024-02-02")))),
        (["2024-02-01 12:00:00.5", "2024-02-02"], (int(ms("2024-02-01 12:00:00.5")), int(ms("2024-02-02")))),
        ([0, 1000], (0, 1000)),
        (["2024-02-02", "2024-02-01"], None),
        (["soon", "later"], None),
        ([True, 5], None),
        ("2024", None),
        (None, None),
    ],
)
def test_window_of_a_zoom(value: Any, expected: Any) -> None:
    assert window_of(value) == expected


def test_a_crowded_view_is_drawn_as_density_until_zoomed() -> None:
    # 4,000 events in 5 lanes over 300 days: 2.7 per lane and bin at 300 bins, a smear of markers.
    dataset = many(4_000)
    crowded = dataset_figure(dataset, Filters(), height=800, bins=300)
    assert crowded["layout"]["meta"]["mode"] == "aggregated"
    assert crowded["layout"]["meta"]["in_view"] <= 5_000, "under the count limit: crowding decided"
    assert dataset_view(dataset, Filters()).mode == "exact", "a chart as tall as its lanes has no such limit"
    week = (int(ms("2020-03-01")), int(ms("2020-03-08")))
    assert dataset_figure(dataset, Filters(), height=800, bins=300, window=week)["layout"]["meta"]["mode"] == "exact"


def test_the_pages_plotly_bundle_has_every_trace_the_chart_draws() -> None:
    """The page loads a plotly.js of its own (.ci/plotly/entry.js) with only some traces."""
    from pathlib import Path

    entry = (Path(__file__).resolve().parent.parent / ".ci" / "plotly" / "entry.js").read_text(encoding="utf-8")
    bundled = {"scatter", *re.findall(r"require\('plotly\.js/lib/(\w+)'\)", entry)} - {"core"}
    drawn: set[str] = set()
    for dataset in (many(6_000), many(GL_FROM + 10), many(200, end=["2020-12-31"] * 200)):
        for figure in (dataset_figure(dataset, Filters(), height=800), dataset_figure(dataset, Filters())):
            drawn |= {t["type"] for t in figure["data"]}
    assert {"heatmap", "scattergl", "bar", "scatter"} <= drawn, "the cases draw every kind of trace"
    assert drawn <= bundled


def test_links_between_events_of_one_day_bow_apart(seed: Dataset) -> None:
    """Musk's two Sunday denials, GUR's claim and Yusov's: the links between them run up and
    down one day, and would lie on one line if drawn straight."""
    from timeline.query import ViewRequest, build_view

    filters = Filters(actors=("Elon Musk", "GUR", "Andrey Yusov"), start=dt.date(2024, 2, 9))
    view = build_view(seed, ViewRequest(filters=filters))
    fig = dataset_figure(seed, filters)
    hovers = [t for t in fig["data"] if t.get("meta") == "link-hover"]
    assert view.connectors is not None and len(view.connectors) == 4
    (points,) = hovers
    middles = set(zip(np.round(points["x"]).tolist(), np.round(points["y"], 3).tolist(), strict=True))
    assert len(middles) == 4, "every link has its own middle"
    span = view.window[1] - view.window[0]
    bowed = 0
    for trace in (t for t in fig["data"] if t.get("meta") == "link"):
        xs = np.asarray(trace["x"], dtype=float)
        for curve in np.split(xs, np.flatnonzero(np.isnan(xs)) + 1):
            curve = curve[~np.isnan(curve)]
            if len(curve) and abs(curve[-1] - curve[0]) < span * 0.02:  # up and down (nearly) one moment:
                straight = np.linspace(curve[0], curve[-1], len(curve))  # it bows off the straight line
                assert np.abs(curve - straight).max() > span * 0.005
                bowed += 1
    assert bowed >= 2


# ---------------------------------------------------------------- years BC: the year axis


def _bc_events() -> pd.DataFrame:
    rows = [
        ("rubicon", "49 BC", "", "Julius Caesar", "Rome"),
        ("ides", "15 March 44 BC", "", "Julius Caesar", "Rome"),
        ("augustus", "27 BC", "AD 14", "Augustus", "Rome"),
        ("oedipus", "Before 400BC", "", "Sophocles", "Greece"),
        ("jerome", "c. 383", "", "Jerome", "Church"),
        ("colosseum", "80", "ongoing", "Titus", "Rome"),
        ("after", "After 1200", "", "Jerome", "Church"),
    ]
    frame = pd.DataFrame(
        [
            {"id": i, "start": s, "end": e, "actor": a, "side": side, "kind": "event", "title": f"{i} happens"}
            for i, s, e, a, side in rows
        ]
    )
    return validate_events(frame, file="bc.csv")


def _ms(day: str) -> float:
    return float(np.datetime64(day, "ms").astype(np.int64))


def test_data_reaching_before_ad_1_gets_a_year_axis_with_bc_and_ad_labels() -> None:
    fig = timeline_figure(_bc_events())
    axis = fig["layout"]["xaxis"]
    assert axis["type"] == "linear"
    assert fig["layout"]["meta"]["axis"] == "year"
    labels = axis["ticktext"]
    assert any(label.endswith(" BC") for label in labels) and any(label.startswith("AD ") for label in labels)
    assert "0" not in labels and "AD 0" not in labels and "0 BC" not in labels
    # each label sits on the first day of the year it names, as historians count (no year 0)
    for value, label in zip(axis["tickvals"], labels, strict=True):
        number = int(label.split()[0] if label.endswith(" BC") else label.split()[1])
        year = 1 - number if label.endswith(" BC") else number
        assert value == _ms(f"{'-' if year < 0 else ''}{abs(year):04d}-01-01"), label
    low, high = axis["range"]
    assert low < _ms("-0450-01-01") and high > _ms(dt.date.today().isoformat())


def test_the_year_axis_draws_the_same_markers_bands_and_hovers_as_the_date_axis() -> None:
    events = _bc_events()
    fig = timeline_figure(events)
    markers = event_traces(fig)
    drawn = sorted(x for trace in markers for x in trace["x"].tolist())
    rubicon = events.set_index("id").loc["rubicon"]
    middle = (_ms("-0048-01-01") + _ms("-0047-01-01")) // 2  # a year-precision date sits mid-year
    assert middle in drawn and len(drawn) == len(events)
    assert rubicon["lo"] == pd.Timestamp(np.datetime64("-0048-01-01"))
    hovers = [h for trace in markers for h in trace["hovertext"].tolist()]
    assert any("49 BC" in h for h in hovers)
    assert any("15 March 44 BC" in h for h in hovers)
    assert any("27 BC – AD 14" in h for h in hovers)
    assert any("before 400 BC" in h for h in hovers)
    windows = [t for t in fig["data"] if t.get("meta") == "window"]
    assert windows, "loose dates keep their hatched bands"
    assert all(t["marker"]["pattern"]["shape"] == "/" for t in windows)


def test_a_window_open_on_one_side_fades_out_on_that_side() -> None:
    events = _bc_events()
    fig = timeline_figure(events)
    fading = [t for t in fig["data"] if t.get("meta") == "fading"]
    assert len(fading) >= 1
    positions = events["id"].tolist()
    pieces = [
        (positions[c], b, b + w, float(color.rsplit(",", 1)[1].rstrip(")")))
        for t in fading
        for c, b, w, color in zip(
            t["customdata"].tolist(), t["base"].tolist(), t["x"].tolist(), t["marker"]["color"], strict=True
        )
    ]

    def alphas(event_id: str) -> list[float]:
        return [a for _, _, _, a in sorted(p for p in pieces if p[0] == event_id)]

    before = alphas("oedipus")  # "Before 400BC": open to the left, known at the right
    assert len(before) > 2 and before == sorted(before) and before[0] < before[-1] / 3
    after = alphas("after")  # "After 1200": open to the right
    assert len(after) > 2 and after == sorted(after, reverse=True)
    oedipus = [p for p in pieces if p[0] == "oedipus"]
    assert max(p[2] for p in oedipus) == _ms("-0399-01-01")  # the known edge: the end of 401 BC
    tail = [p for p in pieces if p[0] == "colosseum"]  # still going on: a tail fading out past today
    today = _ms((dt.date.today() + dt.timedelta(days=1)).isoformat())
    assert tail and min(p[1] for p in tail) == today
    hatched = [t for t in fig["data"] if t.get("meta") == "window"]
    hatched_ids = {positions[c] for t in hatched for c in t["customdata"].tolist()}
    assert "oedipus" not in hatched_ids and "after" not in hatched_ids  # fading, not hatched
    entries = [entry["name"] for entry in fig["layout"]["meta"]["legend"]]
    assert "open-ended window (fades where unknown)" in entries
    assert "still going on (fades past today)" in entries


def test_a_marker_of_an_open_window_sits_on_its_known_edge() -> None:
    events = _bc_events()
    fig = timeline_figure(events)
    ids = events["id"].tolist()
    at = {ids[c]: x for t in event_traces(fig) for c, x in zip(t["customdata"].tolist(), t["x"].tolist(), strict=True)}
    assert at["oedipus"] == _ms("-0400-12-31")
    assert at["after"] == _ms("1201-01-01")
    assert at["colosseum"] == _ms("0080-01-01")


def test_eras_and_aggregated_strips_on_the_year_axis() -> None:
    from timeline.dataset import Era

    events = _bc_events()
    fig = timeline_figure(events, eras=[Era("Republic", "-0508", "-0027")])
    era = next(s for s in fig["layout"]["shapes"] if s.get("xref") == "x")
    assert (era["x0"], era["x1"]) == (_ms("-0508-01-01"), _ms("-0027-12-31"))
    many = pd.DataFrame(
        [
            {"id": f"e{i}", "start": f"{500 - i % 450} BC", "actor": f"A{i % 3}", "kind": "event", "title": "T"}
            for i in range(3000)
        ]
    )
    dense = dataset_figure(Dataset(validate_events(many, file="many.csv"), "bc"), Filters(), height=400, bins=40)
    assert dense["layout"]["meta"]["mode"] == "aggregated"
    strips = [t for t in dense["data"] if t.get("meta") == DENSITY_TRACE]
    assert len(strips) == 3  # the bins' hovers name their moment in words, BC too
    assert all("%{text}" in t["hovertemplate"] for t in strips)
    assert all(str(v).endswith(" BC") for v in np.ravel(strips[0]["text"])[:5])
    assert strips[0]["x0"] < _ms("-0449-01-01")


def test_a_zoom_into_ad_years_of_bc_data_goes_back_to_the_date_axis() -> None:
    events = _bc_events()
    window = (int(_ms("1100-01-01")), int(_ms("1300-01-01")))
    fig = dataset_figure(Dataset(events, "bc"), Filters(), window=window)
    assert fig["layout"]["xaxis"]["type"] == "date"
    zoomed = dataset_figure(Dataset(events, "bc"), Filters(), window=(int(_ms("-0043-01-01")), int(_ms("-0043-06-01"))))
    assert zoomed["layout"]["xaxis"]["type"] == "linear"
    assert "Mar 44 BC" in zoomed["layout"]["xaxis"]["ticktext"]
    assert window_of(zoomed["layout"]["xaxis"]["range"]) == (int(_ms("-0043-01-01")), int(_ms("-0043-06-01")))


def test_data_entirely_ad_keeps_the_date_axis() -> None:
    frame = pd.DataFrame(
        [{"id": "a", "start": "c. 1850", "end": "", "actor": "A", "kind": "event", "title": "T"},
         {"id": "b", "start": "After 1900", "end": "", "actor": "A", "kind": "event", "title": "T"}]
    )  # fmt: skip
    fig = timeline_figure(validate_events(frame, file="ad.csv"))
    assert fig["layout"]["xaxis"]["type"] == "date"
    assert "tickvals" not in fig["layout"]["xaxis"]
    assert fig["layout"]["meta"]["axis"] == "date"


@pytest.mark.parametrize("most", [4, 6, 9])
@pytest.mark.parametrize(
    ("start", "end"), [("-0570-01-01", "2100-01-01"), ("-0003-01-01", "3000-01-01"), ("-9999-01-01", "0001-01-01")]
)
def test_a_year_axis_always_names_a_year_bc_and_keeps_to_its_ticks(start: str, end: str, most: int) -> None:
    values, labels = year_ticks((int(_ms(start)), int(_ms(end))), most)
    assert any(label.endswith(" BC") for label in labels), labels
    assert 2 <= len(labels) <= most and values == sorted(values) and len(set(values)) == len(values)


def test_a_narrow_chart_gets_fewer_year_ticks() -> None:
    dataset = Dataset(_bc_events(), "bc")
    narrow = dataset_figure(dataset, Filters(), bins=80)["layout"]["xaxis"]["ticktext"]
    wide = dataset_figure(dataset, Filters(), bins=300)["layout"]["xaxis"]["ticktext"]
    assert len(narrow) <= 4 < len(wide)
