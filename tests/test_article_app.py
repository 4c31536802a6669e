"""The dashboard's "Add an article" (timeline/app/article.py): its plain functions, its
callbacks through the Flask test client, and the unreviewed look of candidates on the chart."""

from __future__ import annotations

import numpy as np
import pandas as pd
from factory import event, table

from timeline.dataset import Dataset
from timeline.figures import UNREVIEWED_COLOR, dataset_figure
from timeline.query import Filters


def with_review(events: pd.DataFrame, reviews: list[str]) -> pd.DataFrame:
    return events.assign(review=reviews)


def candidates_table() -> pd.DataFrame:
    rows = [
        event("a", "Alpha", "2024-02-10"),
        event("b", "Alpha", "2024-02-11"),
        event("c", "Beta", "2024-02-12"),
    ]
    return with_review(table(rows), ["", "unreviewed", "accepted"])


def test_unreviewed_candidates_get_a_ring_a_hover_line_and_a_legend_entry() -> None:
    figure = dataset_figure(Dataset(candidates_table(), "mixed"), Filters(), legend="none")
    rings = [t for t in figure["data"] if t.get("meta") == "review"]
    assert len(rings) == 1
    ring = rings[0]
    assert ring["marker"]["color"] == UNREVIEWED_COLOR
    assert ring["hoverinfo"] == "skip"
    events = [t for t in figure["data"] if t.get("meta") == "events"]
    hovers = [h for t in events for h in t["hovertext"].tolist()]
    flagged = [h for h in hovers if "Unreviewed candidate" in h]
    assert len(flagged) == 1 and "Alpha speaks" in flagged[0]
    # the ring sits on the one unreviewed event's marker: b, on 11 February
    assert len(ring["x"]) == 1
    day = np.datetime64("2024-02-11T12:00", "ms").astype(np.int64)
    assert abs(float(ring["x"][0]) - float(day)) <= 12 * 3_600_000
    legend = figure["layout"]["meta"]["legend"]
    assert {"group": "review", "name": "unreviewed candidate", "color": UNREVIEWED_COLOR, "symbol": "ring"} in legend


def test_reviewed_or_plain_events_get_no_ring() -> None:
    plain = table([event("a", "Alpha", "2024-02-10"), event("b", "Beta", "2024-02-11")])
    for events in (plain, with_review(plain, ["accepted", "rejected"])):
        figure = dataset_figure(Dataset(events, "plain"), Filters())
        assert not [t for t in figure["data"] if t.get("meta") == "review"]
        assert all(entry["group"] != "review" for entry in figure["layout"]["meta"]["legend"])
        hovers = [h for t in figure["data"] if t.get("meta") == "events" for h in t["hovertext"].tolist()]
        assert hovers and not any("Unreviewed" in h for h in hovers)


def test_an_exported_figure_keys_the_ring_in_its_own_legend() -> None:
    figure = dataset_figure(Dataset(candidates_table(), "mixed"), Filters(), legend="right")
    keys = [t for t in figure["data"] if t.get("meta") == "key" and t.get("legendgroup") == "review"]
    assert len(keys) == 1 and keys[0]["name"] == "unreviewed candidate"
