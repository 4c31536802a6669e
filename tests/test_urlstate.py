"""The view's state in the address bar: parsed and written by pure functions, both ways, and
every malformed or stale parameter dropped with a phrase naming it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from timeline.app import ids, urlstate
from timeline.app.callbacks import FILTER_INPUTS
from timeline.app.urlstate import ViewState, query_from_state, state_from_query
from timeline.dataset import Dataset
from timeline.io import DEFAULT_DATA, load_events
from timeline.query import Filters

FEB_9 = 1_707_436_800_000
"""2024-02-09T00:00 UTC in ms."""
FEB_13 = FEB_9 + 4 * 86_400_000


@pytest.fixture(scope="module")
def seed() -> Dataset:
    return load_events(DEFAULT_DATA)


FULL = ViewState(
    filters=Filters(
        actors=("Elon Musk", "GUR"),
        kinds=("denial", "claim"),
        start=dt.date(2024, 2, 1),
        end=dt.date(2024, 2, 12),
        text="starlink",
        statuses=("unverified", "disputed"),
        thread="gur-intercept-claim",
    ),
    window=(FEB_9, FEB_13),
    event="musk-false-news-reports",
    order="name",
    links=False,
)


def test_a_full_view_reads_as_words() -> None:
    query = query_from_state(FULL, default_order="side")
    assert query == (
        "actor=Elon+Musk&actor=GUR&kind=denial&kind=claim&status=unverified&status=disputed&thread=gur-intercept-claim"
        "&from=2024-02-01&to=2024-02-12&q=starlink&order=name&event=musk-false-news-reports"
        "&window=2024-02-09T00:00/2024-02-13T00:00&links=0"
    )


def test_a_full_view_round_trips(seed: Dataset) -> None:
    query = query_from_state(FULL, seed.lane_order)
    state, dropped = state_from_query("?" + query, seed)
    assert dropped == []
    assert state == FULL
    assert query_from_state(state, seed.lane_order) == query


def test_the_default_view_is_the_bare_address(seed: Dataset) -> None:
    assert query_from_state(ViewState(), seed.lane_order) == ""
    assert query_from_state(ViewState(order=seed.lane_order), seed.lane_order) == ""
    assert state_from_query("", seed) == (ViewState(), [])


def test_the_issues_example_link_applies_whole(seed: Dataset) -> None:
    query = (
        "?actor=Elon+Musk&actor=GUR&kind=denial&from=2024-02-01&to=2024-02-12&q=musk&order=side"
        "&event=musk-false-news-reports&window=2024-02-09T00:00/2024-02-13T00:00&links=0"
    )
    state, dropped = state_from_query(query, seed)
    assert dropped == []
    assert state.filters.actors == ("Elon Musk", "GUR")
    assert state.filters.kinds == ("denial",)
    assert (state.filters.start, state.filters.end) == (dt.date(2024, 2, 1), dt.date(2024, 2, 12))
    assert state.window == (FEB_9, FEB_13)
    assert state.event == "musk-false-news-reports"
    assert state.order == "side" and state.links is False


def test_odd_characters_survive_the_round_trip(seed: Dataset) -> None:
    text = "“false” & 100% = news/#?+"
    state = ViewState(filters=Filters(text=text))
    back, dropped = state_from_query(query_from_state(state), seed)
    assert dropped == [] and back.filters.text == text


def test_a_window_to_the_second_round_trips_and_to_the_millisecond_is_rounded(seed: Dataset) -> None:
    exact = ViewState(window=(FEB_9 + 1_000, FEB_13 + 59_000))
    query = query_from_state(exact)
    assert "window=2024-02-09T00:00:01/2024-02-13T00:00:59" in query
    assert state_from_query(query, seed)[0] == exact
    rounded = state_from_query(query_from_state(ViewState(window=(FEB_9 + 1_234, FEB_13))), seed)[0]
    assert rounded.window == (FEB_9 + 1_000, FEB_13)


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ("actor=Nobody", "actor “Nobody” (not in this data)"),
        ("target=Nowhere", "target “Nowhere” (not in this data)"),
        ("kind=rumour", "kind “rumour” (no such kind)"),
        ("status=maybe", "status “maybe” (no such claim status)"),
        ("thread=no-such-event", "thread “no-such-event” (no such event in this data)"),
        ("from=2024-13-01", "from “2024-13-01” (not a date as YYYY-MM-DD)"),
        ("to=yesterday", "to “yesterday” (not a date as YYYY-MM-DD)"),
        ("from=2024-03-01&to=2024-02-01", "from “2024-03-01” and to “2024-02-01” (from is after to)"),
        ("order=random", "order “random” (one of count, side, first, name)"),
        ("event=no-such-event", "event “no-such-event” (no such event in this data)"),
        (
            "actor=GUR&event=musk-false-news-reports",
            "event “musk-false-news-reports” (not among the events these filters show)",
        ),
        ("window=2024-02-13T00:00/2024-02-09T00:00", "window “2024-02-13T00:00/2024-02-09T00:00” (not two moments"),
        ("window=soon", "window “soon” (not two moments in order, as START/END)"),
        ("window=2024-02-09/later", "window “2024-02-09/later”"),
        ("links=maybe", "links “maybe” (0 or 1)"),
        ("colour=red", "parameter “colour” (unknown)"),
        ("q=a&q=b", "q “b” (given twice)"),
    ],
)
def test_a_malformed_or_stale_parameter_is_dropped_and_named(seed: Dataset, query: str, phrase: str) -> None:
    _, dropped = state_from_query(query, seed)
    assert len(dropped) == 1 and dropped[0].startswith(phrase), dropped
    assert phrase.split(" ")[0].split("“")[0] in urlstate.notice_text(dropped)


def test_what_is_dropped_leaves_the_rest_applied(seed: Dataset) -> None:
    state, dropped = state_from_query("actor=Nobody&actor=GUR&kind=rumour&kind=claim&from=bad&to=2024-02-12", seed)
    assert state.filters == Filters(actors=("GUR",), kinds=("claim",), end=dt.date(2024, 2, 12))
    assert [d.split(" ")[0] for d in dropped] == ["actor", "kind", "from"]


def test_a_repeated_choice_counts_once(seed: Dataset) -> None:
    state, dropped = state_from_query("actor=GUR&actor=GUR", seed)
    assert dropped == [] and state.filters.actors == ("GUR",)


def test_a_link_made_on_other_data_keeps_what_this_data_holds(seed: Dataset) -> None:
    """An upload's link opened on the served data: its names are not there, the view options are."""
    query = query_from_state(
        ViewState(
            filters=Filters(actors=("Northern camp 1",), kinds=("claim",)), event="u-17", order="first", links=False
        )
    )
    state, dropped = state_from_query(query, seed)
    assert state == ViewState(filters=Filters(kinds=("claim",)), order="first", links=False)
    assert dropped == ["actor “Northern camp 1” (not in this data)", "event “u-17” (no such event in this data)"]


def controls(state: ViewState, default: str = "side") -> list[Any]:
    """The control values of a state as the page holds them (the CONTROLS order)."""
    *values, order, links = urlstate.control_values(state, default)
    selected = {"id": state.event} if state.event else None
    return [*values, order, links, list(state.window) if state.window else None, selected]


def test_the_controls_round_trip(seed: Dataset) -> None:
    assert urlstate.state_from_controls(controls(FULL)) == FULL
    assert urlstate.state_from_controls(controls(ViewState(), "side")) == ViewState(order="side")


def test_the_controls_named_are_the_filters_and_the_view_options() -> None:
    assert [c[0] for c in urlstate.CONTROLS] == [
        *FILTER_INPUTS,
        ids.LANE_ORDER,
        ids.CONNECTORS,
        ids.WINDOW,
        ids.SELECTED,
    ]


def test_a_half_chosen_date_range_is_a_start_only(seed: Dataset) -> None:
    state = ViewState(filters=Filters(start=dt.date(2024, 2, 1)))
    values = controls(state)
    assert values[2] == ["2024-02-01", None]
    assert urlstate.state_from_controls(values).filters.start == dt.date(2024, 2, 1)
    assert state_from_query(query_from_state(state), seed)[0] == state


def test_an_upload_token_never_reaches_the_address() -> None:
    """The link is made of the controls alone: the session's dataset store is not among them."""
    assert ids.DATASET not in [c[0] for c in urlstate.CONTROLS]


def test_the_readme_documents_every_parameter() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Sharing a view", 1)[1].split("\n## ", 1)[0]
    for name in (*urlstate.MULTIPLE, *urlstate.SINGLE):
        assert f"`{name}`" in section, f"README's 'Sharing a view' does not document `{name}`"
    example = next(line for line in section.splitlines() if line.startswith("http://"))
    _, dropped = state_from_query(example.split("?", 1)[1], load_events(DEFAULT_DATA))
    assert dropped == [], "the README's example link must apply whole"


def test_a_view_of_years_bc_round_trips() -> None:
    from timeline.dates import Day, parse_iso_day

    ancient = load_events(Path(__file__).parent / "fixtures" / "ancient.csv")
    start, end = parse_iso_day("-0049-01-01"), parse_iso_day("-0043-12-31")
    assert isinstance(start, Day) and isinstance(end, Day)
    lo = int(start.datetime64().astype("datetime64[ms]").astype("int64"))
    hi = int(end.datetime64().astype("datetime64[ms]").astype("int64")) + 86_400_000 + 3_600_000
    state = ViewState(Filters(start=start, end=end), window=(lo, hi))
    query = query_from_state(state)
    assert "from=-0049-01-01" in query and "to=-0043-12-31" in query
    assert "window=-0049-01-01T00:00/-0042-01-01T01:00" in query
    back, dropped = state_from_query(query, ancient)
    assert dropped == []
    assert back == state
