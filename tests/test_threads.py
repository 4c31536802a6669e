"""Threads: typed relations between events, from the cell that names them to the connector drawn.

Expected values come from the seed file read with the ``csv`` module (its relation cells split
by hand), or are written out, never from the code under test: the rules (every id names an
event, no self-links, one relation per pair, no loops of the ordering relations) each have a
failing case naming row, column and id; a thread is the event, what it links to and what
links to it, transitively; a figure draws exactly the relations among its drawn events; a
filtered export keeps exactly the relations among the events it holds.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from factory import dataset, event, table

from timeline import export
from timeline.cli import main
from timeline.dataset import Dataset
from timeline.export import IMAGE_DEFAULTS, ImageSize, export_view
from timeline.figures import DIMMED, dataset_figure
from timeline.formats import DATA_FORMATS
from timeline.generate import output_order
from timeline.io import DEFAULT_DATA, read_events, write_events
from timeline.query import Filters, matching
from timeline.schema import ValidationError, validate_events
from timeline.threads import Links

RELATION_COLUMNS = ("responds_to", "denies", "confirms", "reports_on", "refers_to")
"""Written out, not imported: the columns the README documents."""
ACYCLIC_LIST = "responds_to, denies, confirms, reports_on"
STATUS_LIST = "unverified, disputed, confirmed, false"

GUR_THREAD = {
    "gur-intercept-claim",
    "musk-false-news-reports",
    "musk-no-starlinks-sold",
    "peskov-never-ordered",
    "peskov-not-certified",
    "peskov-no-official-use",
    "peskov-no-point-involvement",
}
MUSK_SUNDAY_THREAD = {
    "musk-false-news-reports",
    "gur-intercept-claim",
    "yusov-systematic-use",
    "peskov-no-point-involvement",
}

Link = tuple[str, str, str]
"""(source id, target id, relation column)."""


# ---------------------------------------------------------------- the seed, read independently


def seed_rows() -> list[dict[str, str]]:
    """data/events.csv as the csv module reads it."""
    with open(DEFAULT_DATA, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def seed_links(rows: Iterable[dict[str, str]] | None = None) -> list[Link]:
    """Every relation the seed's cells name, in file order."""
    found = []
    for row in seed_rows() if rows is None else rows:
        for column in RELATION_COLUMNS:
            for target in row[column].split(";"):
                if target.strip():
                    found.append((row["id"], target.strip(), column))
    return found


def by_id(links: Links, ids: list[str]) -> list[Link]:
    """An index's links as (source id, target id, relation column)."""
    ends = zip(links.source.tolist(), links.target.tolist(), links.relation.tolist(), strict=True)
    return [(ids[s], ids[t], RELATION_COLUMNS[r]) for s, t, r in ends]


def links_among(ids: set[str]) -> set[Link]:
    return {link for link in seed_links() if link[0] in ids and link[1] in ids}


def seed_ids(keep: Any = lambda row: True) -> list[str]:
    """The ids of the seed rows that ``keep`` accepts, in file order."""
    return [row["id"] for row in seed_rows() if keep(row)]


# ---------------------------------------------------------------- validation helpers


def frame_of(rows: Iterable[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(list(rows)).reindex(columns=output_order(), fill_value="").fillna("").astype(str)


def problems(*rows: dict[str, str]) -> list[tuple[int | None, int | None, str | None, str | None, str]]:
    """(row, line, column, value, rule) of every problem; lines as in a CSV with a header on line 1."""
    frame = frame_of(rows)
    with pytest.raises(ValidationError) as caught:
        validate_events(frame, file="links.csv", lines=[n + 2 for n in range(len(frame))])
    return [(p.row, p.line, p.column, p.value, p.rule) for p in caught.value.problems]


def loads(*rows: dict[str, str]) -> pd.DataFrame:
    return validate_events(frame_of(rows), file="links.csv")


# ---------------------------------------------------------------- 1. relation and status rules


@pytest.mark.parametrize("column", RELATION_COLUMNS)
def test_an_unknown_id_is_named_with_its_row_and_column(column: str) -> None:
    found = problems(
        event("a", "Alpha", "2024-01-01"),
        event("b", "Beta", "2024-01-02", **{column: "a, ghost"}),
    )
    assert found == [(2, 3, column, "a, ghost", "names 'ghost', which is no event's id")]


def test_a_self_link_is_named() -> None:
    found = problems(event("a", "Alpha", "2024-01-01"), event("b", "Beta", "2024-01-02", denies="a;b"))
    assert found == [
        (2, 3, "denies", "a;b", "names the event's own id 'b': denies links an event to others, not to itself")
    ]


def test_the_same_id_twice_in_a_cell_is_named() -> None:
    found = problems(event("a", "Alpha", "2024-01-01"), event("b", "Beta", "2024-01-02", confirms="a; a"))
    assert found == [(2, 3, "confirms", "a; a", "names 'a' twice in this cell: one relation per pair of events")]


def test_one_pair_under_two_columns_is_named() -> None:
    found = problems(
        event("a", "Alpha", "2024-01-01"),
        event("b", "Beta", "2024-01-02", denies="a", refers_to="a"),
    )
    assert found == [(2, 3, "refers_to", "a", "names 'a' already under denies: one relation per pair of events")]


def test_a_two_loop_of_mixed_relations_names_each_source_row_and_the_path() -> None:
    found = problems(
        event("x", "Other", "2023-01-01"),  # off the loop: the rows reported are the loop's own
        event("a", "Alpha", "2024-01-01", denies="b"),
        event("b", "Beta", "2024-01-02", responds_to="a"),
    )
    assert [(row, line, column, value) for row, line, column, value, _ in found] == [
        (2, 3, "denies", "b"),
        (3, 4, "responds_to", "a"),
    ]
    rules = [rule for *_, rule in found]
    assert rules[0] == f"closes a loop: a → b → a ({ACYCLIC_LIST} may not loop; use refers_to)"
    assert rules[1] == f"closes a loop: b → a → b ({ACYCLIC_LIST} may not loop; use refers_to)"


def test_a_three_loop_reports_every_link_on_it_and_nothing_off_it() -> None:
    found = problems(
        event("a", "Alpha", "2024-01-01", denies="b"),
        event("b", "Beta", "2024-01-02", confirms="c"),
        event("c", "Gamma", "2024-01-03", reports_on="a"),
        event("d", "Delta", "2024-01-04", responds_to="a"),  # points into the loop, not on it
    )
    assert [(row, column, value) for row, _, column, value, _ in found] == [
        (1, "denies", "b"),
        (2, "confirms", "c"),
        (3, "reports_on", "a"),
    ]
    paths = [rule.split(" (")[0] for *_, rule in found]
    assert paths == ["closes a loop: a → b → c → a", "closes a loop: b → c → a → b", "closes a loop: c → a → b → c"]


def test_a_pair_linked_twice_on_a_loop_is_reported_once_as_a_repeat() -> None:
    found = problems(
        event("a", "Alpha", "2024-01-01", responds_to="b", denies="b"),
        event("b", "Beta", "2024-01-02", confirms="a"),
    )
    assert [(row, column, rule.split(" (")[0]) for row, _, column, _, rule in found] == [
        (1, "responds_to", "closes a loop: a → b → a"),
        (1, "denies", "names 'b' already under responds_to: one relation per pair of events"),
        (2, "confirms", "closes a loop: b → a → b"),
    ]


def test_a_loop_through_refers_to_is_allowed() -> None:
    events = loads(
        event("a", "Alpha", "2024-01-01", refers_to="b"),
        event("b", "Beta", "2024-01-02", responds_to="a"),
        event("c", "Gamma", "2024-01-03", denies="d"),
        event("d", "Delta", "2024-01-04", confirms="e"),
        event("e", "Eps", "2024-01-05", refers_to="c"),
    )
    links = Links.of(events)
    assert len(links) == 5
    assert links.thread(2).tolist() == [2, 3, 4], "a loop is walked once, not forever"


def test_only_refers_to_loops_on_its_own() -> None:
    assert len(loads(event("a", "A", "2024-01-01", refers_to="b"), event("b", "B", "2024-01-02", refers_to="a"))) == 2


def test_commas_and_spaces_separate_ids_and_come_out_joined_by_semicolons() -> None:
    text = (
        "id,start,actor,kind,title,summary,denies,responds_to\n"
        'a,2024-01-01,X,claim,T,"two\nlines",,\n'
        "c,2024-01-01,X,claim,T,,,\n"
        'b,2024-01-02,Y,denial,U,,"a, c",\n'
        'd,2024-01-03,Y,denial,U,,," a  b\tc ;"\n'
    )
    events = read_events(text.encode(), "spaced.csv").events
    assert events["denies"].tolist() == ["", "", "a;c", ""]
    assert events["responds_to"].tolist() == ["", "", "", "a;b;c"]
    written = list(csv.DictReader(io.StringIO(write_events(events, "csv").decode("utf-8"))))
    assert [(r["denies"], r["responds_to"]) for r in written] == [("", ""), ("", ""), ("a;c", ""), ("", "a;b;c")]


def test_a_relation_problem_names_the_source_line_of_a_multi_line_row() -> None:
    text = (
        "id,start,actor,kind,title,summary,denies\n"
        'a,2024-01-01,X,claim,T,"two\nlines",\n'  # lines 2 and 3
        'b,2024-01-02,Y,denial,U,,"a, ghost"\n'  # line 4
    )
    with pytest.raises(ValidationError) as caught:
        read_events(text.encode(), "lines.csv")
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.line, problem.column, problem.value) == (
        "lines.csv",
        2,
        4,
        "denies",
        "a, ghost",
    )
    assert "'ghost'" in problem.rule


def test_every_broken_link_at_once() -> None:
    found = problems(
        event("a", "Alpha", "2024-01-01", responds_to="ghost"),
        event("b", "Beta", "2024-01-02", denies="b", reports_on="a"),
        event("c", "Gamma", "2024-01-03", confirms="d", refers_to="nobody"),
        event("d", "Delta", "2024-01-04", confirms="c"),
    )
    assert {(row, column) for row, _, column, *_ in found} == {
        (1, "responds_to"),
        (2, "denies"),
        (3, "confirms"),
        (3, "refers_to"),
        (4, "confirms"),
    }


def test_a_bad_status_is_named_with_row_and_column() -> None:
    found = problems(event("a", "Alpha", "2024-01-01"), event("b", "Beta", "2024-01-02", status="rumour"))
    assert found == [(2, 3, "status", "rumour", f"must be one of {STATUS_LIST}")]


@pytest.mark.parametrize("status", ["disputed", "DISPUTED", "Confirmed", "false"])
def test_an_assessed_status_needs_who_gives_it(status: str) -> None:
    found = problems(
        event("a", "Alpha", "2024-01-01"),
        event("b", "Beta", "2024-01-02", status=status),
        event("c", "Gamma", "2024-01-03", status=status, status_by="   "),
    )
    rule = "must name who says so when status is confirmed, disputed, false"
    assert found == [(2, 3, "status_by", "", rule), (3, 4, "status_by", "   ", rule)]


def test_unverified_and_blank_statuses_need_nobody_and_statuses_are_lower_cased() -> None:
    events = loads(
        event("a", "Alpha", "2024-01-01", status="Unverified"),
        event("b", "Beta", "2024-01-02"),
        event("c", "Gamma", "2024-01-03", status=" Confirmed ", status_by="Delta"),
        event("d", "Delta", "2024-01-04", status="DISPUTED", status_by="Alpha", status_source="src-1"),
        event("e", "Eps", "2024-01-05", status="False", status_by="Beta"),
    )
    assert events["status"].tolist() == ["unverified", "", "confirmed", "disputed", "false"]
    assert events["status_by"].tolist() == ["", "", "Delta", "Alpha", "Beta"]
    assert events["status_source"].tolist() == ["", "", "", "src-1", ""]


# ---------------------------------------------------------------- 2. threads on the seed


def thread_of(seed: Dataset, event_id: str) -> set[str]:
    position = seed.position_of(event_id)
    assert position is not None, event_id
    found = seed.links.thread(position)
    assert found.tolist() == sorted(found.tolist()), "positions come ascending"
    return set(seed.events["id"].iloc[found])


def test_the_thread_of_musks_sunday_denial(seed: Dataset) -> None:
    assert thread_of(seed, "musk-false-news-reports") == MUSK_SUNDAY_THREAD


def test_the_thread_of_the_gur_claim(seed: Dataset) -> None:
    thread = thread_of(seed, "gur-intercept-claim")
    assert thread == GUR_THREAD
    assert {"musk-false-news-reports", "musk-no-starlinks-sold"} <= thread
    assert {i for i in thread if i.startswith("peskov-")} == {
        "peskov-never-ordered",
        "peskov-not-certified",
        "peskov-no-official-use",
        "peskov-no-point-involvement",
    }
    assert "spacex-no-business-with-russia" not in thread
    assert "yusov-systematic-use" not in thread, "a fellow target of a denial is not in the claim's thread"


def test_an_unlinked_event_is_its_own_thread(seed: Dataset) -> None:
    assert thread_of(seed, "spacex-no-business-with-russia") == {"spacex-no-business-with-russia"}


def test_a_thread_follows_links_transitively_both_ways_but_not_to_siblings() -> None:
    events = loads(
        event("a", "A", "2024-01-01"),
        event("b", "B", "2024-01-02", responds_to="a"),
        event("c", "C", "2024-01-03", denies="b"),
        event("d", "D", "2024-01-04", responds_to="b"),
        event("e", "E", "2024-01-05"),
    )
    links = Links.of(events)
    assert links.thread(0).tolist() == [0, 1, 2, 3]
    assert links.thread(2).tolist() == [0, 1, 2], "d answers b too, but is not in c's thread"
    assert links.thread(4).tolist() == [4]
    assert links.linked.tolist() == [0, 1, 2, 3]
    assert links.among(np.array([1, 2, 4])).tolist() == [int(np.flatnonzero(links.source == 2)[0])]


def named(seed: Dataset, found: list[tuple[Any, int]]) -> list[tuple[str, str]]:
    return [(relation.name, str(seed.events["id"].iloc[row])) for relation, row in found]


def test_outgoing_and_incoming_of_a_few_events(seed: Dataset) -> None:
    def at(event_id: str) -> int:
        position = seed.position_of(event_id)
        assert position is not None
        return position

    assert named(seed, seed.links.outgoing(at("cnn-report-musk-decision"))) == [
        ("reports_on", "musk-crimea-refusal"),
        ("reports_on", "ukraine-sea-drone-attack"),
    ]
    assert seed.links.incoming(at("cnn-report-musk-decision")) == []
    assert sorted(named(seed, seed.links.incoming(at("gur-intercept-claim")))) == [
        ("denies", "musk-false-news-reports"),
        ("denies", "musk-no-starlinks-sold"),
        ("responds_to", "peskov-never-ordered"),
        ("responds_to", "peskov-no-official-use"),
        ("responds_to", "peskov-no-point-involvement"),
        ("responds_to", "peskov-not-certified"),
    ]
    assert seed.links.outgoing(at("gur-intercept-claim")) == []
    acknowledged = at("musk-refusal-acknowledged-2023")
    back = named(seed, seed.links.outgoing(acknowledged))
    assert back == [("refers_to", "musk-crimea-refusal"), ("refers_to", "ukraine-crimea-starlink-request")]
    events = seed.events
    for _, target in seed.links.outgoing(acknowledged):
        # refers_to may point back in time: the 2023 statement talks about September 2022
        assert events["lo"].iloc[acknowledged] > events["hi"].iloc[target]


def test_every_seed_link_matches_the_file(seed: Dataset) -> None:
    ids = seed.events["id"].tolist()
    expected = seed_links()
    links = seed.links
    assert len(links) == len(expected)
    assert sorted(by_id(links, ids)) == sorted(expected)
    for event_id in ids:
        position = ids.index(event_id)
        assert sorted(named(seed, links.outgoing(position))) == sorted(
            (c, t) for s, t, c in expected if s == event_id
        ), event_id
        assert sorted(named(seed, links.incoming(position))) == sorted(
            (c, s) for s, t, c in expected if t == event_id
        ), event_id
    linked = {s for s, _, _ in expected} | {t for _, t, _ in expected}
    assert [ids[p] for p in links.linked] == [i for i in ids if i in linked]
    assert seed.position_of("no-such-event") is None


# ---------------------------------------------------------------- 3. connectors in the figure


def markers_of(seed: Dataset, fig: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Where each drawn event's marker sits, by id."""
    ids = seed.events["id"].tolist()
    found: dict[str, tuple[float, float]] = {}
    for trace in fig["data"]:
        if trace.get("meta") == "events":
            for position, x, y in zip(trace["customdata"], trace["x"], trace["y"], strict=True):
                found[ids[int(position)]] = (float(x), float(y))
    return found


def segments(trace: dict[str, Any]) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The first and last point of each NaN-separated run of a line trace."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(trace["x"], trace["y"], strict=True):
        if math.isnan(x):
            runs.append([])
        else:
            runs[-1].append((float(x), float(y)))
    return [(run[0], run[-1]) for run in runs if run]


def drawn_links(seed: Dataset, fig: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(source id, target id, relation, bright) of every connector, found by its ends' markers."""
    at = {point: event_id for event_id, point in markers_of(seed, fig).items()}
    found = []
    for trace in fig["data"]:
        if trace.get("meta") != "link":
            continue
        uid = trace["uid"]
        relation = uid.removeprefix("link-").removesuffix("-faint")
        for start, end in segments(trace):
            assert start in at and end in at, f"{uid}: a connector end at no drawn event"
            found.append((at[start], at[end], relation, not uid.endswith("-faint")))
    return found


def hover_points(fig: dict[str, Any]) -> list[tuple[float, float, str]]:
    return [
        (float(x), float(y), str(text))
        for trace in fig["data"]
        if trace.get("meta") == "link-hover"
        for x, y, text in zip(trace["x"], trace["y"], trace["hovertext"], strict=True)
    ]


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        pytest.param(Filters(actors=("Elon Musk", "GUR")), lambda r: r["actor"] in ("Elon Musk", "GUR"), id="actors"),
        pytest.param(Filters(kinds=("denial", "claim")), lambda r: r["kind"] in ("denial", "claim"), id="kinds"),
        pytest.param(Filters(), lambda r: True, id="everything"),
    ],
)
def test_connectors_are_exactly_the_relations_among_the_drawn_events(
    seed: Dataset, filters: Filters, keep: Any
) -> None:
    kept = set(seed_ids(keep))
    fig = dataset_figure(seed, filters)
    assert set(markers_of(seed, fig)) == kept
    expected = links_among(kept)
    assert expected, "the case: some relations among the drawn events"
    found = drawn_links(seed, fig)
    assert len(found) == len(expected)
    assert {(s, t, r) for s, t, r, _ in found} == expected
    assert all(bright for *_, bright in found), "nothing is selected, so nothing fades"
    assert len(hover_points(fig)) == len(expected), "one hover per connector"


def test_the_musk_and_gur_filter_draws_two_denials_and_three_references(seed: Dataset) -> None:
    found = drawn_links(seed, dataset_figure(seed, Filters(actors=("Elon Musk", "GUR"))))
    assert sorted((s, t, r) for s, t, r, _ in found) == [
        ("musk-false-news-reports", "gur-intercept-claim", "denies"),
        ("musk-no-starlinks-sold", "gur-intercept-claim", "denies"),
        ("musk-no-us-orders", "musk-crimea-refusal", "refers_to"),
        ("musk-refusal-acknowledged-2023", "musk-crimea-refusal", "refers_to"),
        ("musk-sanctions-explanation", "musk-crimea-refusal", "refers_to"),
    ]


def test_a_zoom_draws_no_connector_to_an_event_outside_it(seed: Dataset) -> None:
    february = (int(pd.Timestamp("2024-02-01").value // 10**6), int(pd.Timestamp("2024-03-01").value // 10**6))
    fig = dataset_figure(seed, Filters(), window=february)
    drawn = set(markers_of(seed, fig))
    assert "musk-crimea-refusal" not in drawn and "gur-intercept-claim" in drawn
    assert {(s, t, r) for s, t, r, _ in drawn_links(seed, fig)} == links_among(drawn)


def test_no_connectors_when_switched_off(seed: Dataset) -> None:
    with_links = dataset_figure(seed, Filters())
    without = dataset_figure(seed, Filters(), connectors=False)
    assert [t for t in without["data"] if t.get("meta") in ("link", "link-hover")] == []
    assert markers_of(seed, without) == markers_of(seed, with_links), "the events stay"
    assert drawn_links(seed, with_links), "the case: connectors when switched on"


# ibis 12 reads a DuckDB schema with the deprecated fetch_arrow_table() (see tests/test_engine.py)
@pytest.mark.filterwarnings(r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning")
@pytest.mark.parametrize("engine", ["arrays", "duckdb"])
def test_the_thread_filter_keeps_exactly_the_thread(seed: Dataset, engine: str) -> None:
    data = dataset(seed.events, engine)
    assert matching(data, Filters(thread="gur-intercept-claim"))["id"].tolist() == seed_ids(
        lambda r: r["id"] in GUR_THREAD
    )
    assert matching(data, Filters(thread="gur-intercept-claim", statuses=("unverified",)))["id"].tolist() == [
        "musk-false-news-reports",
        "musk-no-starlinks-sold",
        "peskov-never-ordered",
    ]
    assert matching(data, Filters(statuses=("disputed", "confirmed")))["id"].tolist() == seed_ids(
        lambda r: r["status"] in ("disputed", "confirmed")
    )
    assert matching(data, Filters(thread="no-such-event")).empty


def test_the_thread_figure_draws_the_thread_and_its_links(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(thread="gur-intercept-claim"))
    assert set(markers_of(seed, fig)) == GUR_THREAD
    assert {(s, t, r) for s, t, r, _ in drawn_links(seed, fig)} == links_among(GUR_THREAD)
    assert fig["layout"]["title"]["subtitle"]["text"].startswith("Thread of “Ukrainian intelligence says")


def test_a_selected_event_keeps_its_thread_bright_and_dims_the_rest(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(), selected="musk-false-news-reports")
    ids = seed.events["id"].tolist()
    opacity: dict[str, float] = {}
    for trace in fig["data"]:
        if trace.get("meta") == "events":
            for position, value in zip(trace["customdata"], trace["marker"]["opacity"], strict=True):
                opacity[ids[int(position)]] = float(value)
    assert set(opacity) == set(ids)
    assert {i for i, value in opacity.items() if value == 1.0} == MUSK_SUNDAY_THREAD
    assert all(value == pytest.approx(DIMMED) for i, value in opacity.items() if i not in MUSK_SUNDAY_THREAD)

    [ring] = [t for t in fig["data"] if t.get("meta") == "selected"]
    assert (float(ring["x"][0]), float(ring["y"][0])) == markers_of(seed, fig)["musk-false-news-reports"]

    found = drawn_links(seed, fig)
    assert {(s, t, r) for s, t, r, bright in found if bright} == links_among(MUSK_SUNDAY_THREAD)
    assert {(s, t, r) for s, t, r, bright in found if not bright} == set(seed_links()) - links_among(MUSK_SUNDAY_THREAD)


def test_selecting_an_unlinked_event_rings_it_and_dims_nothing(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(), selected="spacex-no-business-with-russia")
    assert all("opacity" not in t["marker"] for t in fig["data"] if t.get("meta") == "events")
    [ring] = [t for t in fig["data"] if t.get("meta") == "selected"]
    assert (float(ring["x"][0]), float(ring["y"][0])) == markers_of(seed, fig)["spacex-no-business-with-russia"]


def test_a_selected_event_filtered_out_has_no_ring(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(actors=("Dmitry Peskov",)), selected="gur-intercept-claim")
    assert [t for t in fig["data"] if t.get("meta") == "selected"] == []


def test_status_rings_sit_on_the_events_of_each_status(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters())
    markers = markers_of(seed, fig)
    for status in ("unverified", "disputed", "confirmed"):
        [ring] = [t for t in fig["data"] if t.get("meta") == "status" and t["uid"] == f"status-{status}"]
        points = {(float(x), float(y)) for x, y in zip(ring["x"], ring["y"], strict=True)}
        assert points == {markers[i] for i in seed_ids(lambda r, s=status: r["status"] == s)}, status
    assert not [t for t in fig["data"] if t.get("uid") == "status-false"], "no seed event is false"


# ---------------------------------------------------------------- 4. round trips


def every_relation_and_status() -> pd.DataFrame:
    return table(
        [
            event("a", "Alpha", "2024-01-01", kind="claim", status="Disputed", status_by="Beta", status_source="s-1"),
            event("b", "Beta", "2024-01-02", kind="denial", denies="a", status="false", status_by="=Gamma, Inc."),
            event("c", "Gamma", "2024-01-03", responds_to="a, b", status="confirmed", status_by="Delta\nand Eps"),
            event("d", "Delta", "2024-01-04", kind="report", reports_on="a b", confirms="c", status="unverified"),
            event("e", "Alpha", "2023-06-01", refers_to="d;c", status_source="“quoted” <b>source</b>"),
        ]
    )


@pytest.mark.parametrize("fmt", DATA_FORMATS)
@pytest.mark.parametrize("which", ["seed", "synthetic"])
def test_relations_and_statuses_survive_every_data_format(seed: Dataset, fmt: str, which: str) -> None:
    events = seed.events if which == "seed" else every_relation_and_status()
    if which == "synthetic":
        assert events[list(RELATION_COLUMNS)].to_dict("list") == {
            "responds_to": ["", "", "a;b", "", ""],
            "denies": ["", "a", "", "", ""],
            "confirms": ["", "", "", "c", ""],
            "reports_on": ["", "", "", "a;b", ""],
            "refers_to": ["", "", "", "", "d;c"],
        }
        assert events["status"].tolist() == ["disputed", "false", "confirmed", "unverified", ""]
    back = read_events(write_events(events, fmt), f"events.{fmt}").events
    columns = [*RELATION_COLUMNS, "status", "status_by", "status_source"]
    assert back[columns].to_dict("list") == events[columns].to_dict("list")
    pd.testing.assert_frame_equal(back.reset_index(drop=True), events.reset_index(drop=True))


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_a_filtered_export_loads_alone_with_the_relations_among_its_events(seed: Dataset, fmt: str) -> None:
    rows = [r for r in seed_rows() if r["actor"] == "Elon Musk"]
    kept = {r["id"] for r in rows}
    back = read_events(export_view(seed, Filters(actors=("Elon Musk",)), fmt), f"musk.{fmt}").events
    assert back["id"].tolist() == [r["id"] for r in rows]
    trimmed = 0
    for row, (_, written) in zip(rows, back.iterrows(), strict=True):
        for column in RELATION_COLUMNS:
            named_here = [i for i in row[column].split(";") if i]
            assert written[column] == ";".join(i for i in named_here if i in kept), (row["id"], column)
            trimmed += len(named_here) - len(written[column].split(";") if written[column] else [])
    assert trimmed > 0, "the case: some relations name events the export leaves out"
    links = Links.of(back)
    assert sorted(by_id(links, back["id"].tolist())) == sorted(links_among(kept))
    assert back["status"].tolist() == [r["status"] for r in rows]


# ---------------------------------------------------------------- 5. the CLI


def run_export(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["export", *(str(a) for a in args)])


def written_ids(path: Path) -> list[str]:
    return read_events(path.read_bytes(), path.name).events["id"].tolist()


def test_cli_thread_writes_exactly_the_threads_rows(tmp_path: Path) -> None:
    out = tmp_path / "thread.csv"
    result = run_export(out, "--thread", "gur-intercept-claim")
    assert result.exit_code == 0, result.output
    assert written_ids(out) == seed_ids(lambda r: r["id"] in GUR_THREAD)
    assert "7 events" in result.output
    events = read_events(out.read_bytes(), out.name).events.set_index("id")
    assert events.loc["peskov-no-point-involvement", "responds_to"] == (
        "gur-intercept-claim;musk-false-news-reports;musk-no-starlinks-sold"
    )
    assert events.loc["musk-false-news-reports", "denies"] == "gur-intercept-claim", "yusov is not in the file"


def test_cli_thread_and_status_together_write_a_file_that_loads(tmp_path: Path) -> None:
    out = tmp_path / "thread.json"
    result = run_export(out, "--thread", "gur-intercept-claim", "--status", "unverified")
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text())["events"]
    assert [r["id"] for r in records] == ["musk-false-news-reports", "musk-no-starlinks-sold", "peskov-never-ordered"]
    assert all(r[c] == "" for r in records for c in RELATION_COLUMNS), "none of them links to another of them"
    assert written_ids(out) == [r["id"] for r in records]


def test_cli_unknown_thread_fails_naming_the_id(tmp_path: Path) -> None:
    out = tmp_path / "thread.csv"
    result = run_export(out, "--thread", "nope")
    assert result.exit_code == 1
    assert "--thread: no event has the id 'nope'" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("given", [("disputed",), ("Disputed",), ("disputed", "confirmed")])
def test_cli_status_keeps_the_events_of_that_status(tmp_path: Path, given: tuple[str, ...]) -> None:
    out = tmp_path / "status.csv"
    result = run_export(out, *(arg for status in given for arg in ("--status", status)))
    assert result.exit_code == 0, result.output
    wanted = {s.lower() for s in given}
    expected = seed_ids(lambda r: r["status"] in wanted)
    assert expected, "the case: the seed has such events"
    assert written_ids(out) == expected
    events = read_events(out.read_bytes(), out.name).events.set_index("id")
    cnn = "musk-crimea-refusal" if "confirmed" in wanted else ""
    assert events.loc["cnn-report-musk-decision", "reports_on"] == cnn


def test_cli_bogus_status_fails_clearly(tmp_path: Path) -> None:
    out = tmp_path / "status.csv"
    result = run_export(out, "--status", "bogus")
    assert result.exit_code == 1
    assert f"--status: bogus is not a status; use one of {STATUS_LIST}" in result.output
    assert not out.exists()


class RecordingExporter:
    """Stands in for the browser: keeps every figure it is asked to draw."""

    def __init__(self) -> None:
        self.figures: list[dict[str, Any]] = []

    def render(self, fig: dict[str, Any], fmt: str, size: ImageSize = IMAGE_DEFAULTS) -> bytes:
        self.figures.append(fig)
        return f"<{fmt}>".encode()


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> RecordingExporter:
    recording = RecordingExporter()
    monkeypatch.setattr(export, "_EXPORTER", recording)
    monkeypatch.setattr(export, "find_chromium", lambda: "/usr/bin/chromium")
    return recording


def test_cli_image_of_a_thread_with_a_selection(recorder: RecordingExporter, seed: Dataset, tmp_path: Path) -> None:
    result = run_export(tmp_path / "t.svg", "--thread", "gur-intercept-claim", "--select", "musk-false-news-reports")
    assert result.exit_code == 0, result.output
    [fig] = recorder.figures
    assert set(markers_of(seed, fig)) == GUR_THREAD
    found = drawn_links(seed, fig)
    assert {(s, t, r) for s, t, r, _ in found} == links_among(GUR_THREAD)
    assert {(s, t, r) for s, t, r, bright in found if bright} == links_among(MUSK_SUNDAY_THREAD & GUR_THREAD)
    [ring] = [t for t in fig["data"] if t.get("meta") == "selected"]
    assert (float(ring["x"][0]), float(ring["y"][0])) == markers_of(seed, fig)["musk-false-news-reports"]


def test_cli_image_without_links(recorder: RecordingExporter, seed: Dataset, tmp_path: Path) -> None:
    result = run_export(tmp_path / "t.svg", "--thread", "gur-intercept-claim", "--no-links")
    assert result.exit_code == 0, result.output
    [fig] = recorder.figures
    assert set(markers_of(seed, fig)) == GUR_THREAD
    assert [t for t in fig["data"] if t.get("meta") in ("link", "link-hover")] == []


def test_cli_unknown_selection_fails_naming_the_id(recorder: RecordingExporter, tmp_path: Path) -> None:
    result = run_export(tmp_path / "t.svg", "--select", "nope")
    assert result.exit_code == 1
    assert "--select: no event has the id 'nope'" in result.output
    assert recorder.figures == []


@pytest.mark.export
def test_cli_svg_of_a_thread_draws_its_connectors(chromium: str, tmp_path: Path) -> None:
    linked, bare = tmp_path / "linked.svg", tmp_path / "bare.svg"
    thread = ("--thread", "gur-intercept-claim", "--select", "musk-false-news-reports")
    assert run_export(linked, *thread).exit_code == 0
    assert run_export(bare, *thread, "--no-links").exit_code == 0
    svg, plain = linked.read_text(), bare.read_text()
    # Plotly names each trace's group "trace" + its uid
    for uid in ("link-denies", "link-denies-faint", "link-responds_to", "link-responds_to-faint", "link-hover"):
        assert f"trace{uid}" in svg, uid
    assert "tracelink-" not in plain
    assert "Dmitry Peskov" in svg and "CNN" not in svg


# ---------------------------------------------------------------- 6. connector hovers


def test_the_hover_of_musks_denial_of_the_gur_claim(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters())
    markers = markers_of(seed, fig)
    (x0, y0), (x1, y1) = markers["musk-false-news-reports"], markers["gur-intercept-claim"]
    # The hover sits at the connector's middle: half way up, bowed sideways when the two are of one day.
    level = [(abs(x - (x0 + x1) / 2), t) for x, y, t in hover_points(fig) if np.isclose(y, (y0 + y1) / 2)]
    hover = min(level)[1]
    said, about = hover.split("<br>")
    assert said == "<b>Elon Musk denies</b> “Musk calls reports of Starlink sales to Russia false”"
    assert about.startswith("→ <b>GUR claims</b> “Ukrainian intelligence says it intercepted")


def test_a_hover_names_an_action_without_a_verb(seed: Dataset) -> None:
    fig = dataset_figure(seed, Filters(actors=("Elon Musk",)))
    hovers = [t for *_, t in hover_points(fig) if "Musk says he refused" in t]
    assert hovers == [
        "<b>Elon Musk refers to</b> “Musk says he refused Ukraine's Crimea request”<br>"
        "→ <b>Elon Musk</b> “Musk refuses to enable Starlink over Crimea”"
    ]


def test_user_text_in_a_hover_is_escaped() -> None:
    events = table(
        [
            event("a", "<i>Alpha</i>", "2024-01-01", kind="claim", title="<b>Big</b> claim & more"),
            event("b", "Beta & Co", "2024-01-02", kind="denial", denies="a", title="No <script>x</script>"),
        ]
    )
    [hover] = [t for *_, t in hover_points(dataset_figure(dataset(events), Filters()))]
    assert hover == (
        "<b>Beta &amp; Co denies</b> “No &lt;script&gt;x&lt;/script&gt;”<br>"
        "→ <b>&lt;i&gt;Alpha&lt;/i&gt; claims</b> “&lt;b&gt;Big&lt;/b&gt; claim &amp; more”"
    )
