"""What a view shows: filters, lanes, window and mode, answered by the dataset's engine.

One path for every size. :func:`build_view` asks the engine (see :mod:`timeline.engine`)
for the lanes under the filters, keeps the busiest that fit the chart, folds the rest into
one lane, and then asks for the events in the window: exactly, one by one, when there are
at most :data:`EXACT_LIMIT` of them, else as counts per lane and time bin. The dashboard,
the CLI and the exporter all call it, and :mod:`timeline.figures` draws what it returns.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from timeline.dataset import Dataset
from timeline.dates import AnyDay, as_day, day_text
from timeline.engine import DAY_MS, Engine, Query, Window, fold, loose_dates, open_sides, side_names
from timeline.schema import STATUSES, shorten
from timeline.view import LANE_ORDERS, Connectors, Density, Fold, Highlight, Lane, Marks, View

EXACT_LIMIT = 5_000
"""Most events drawn one by one; above it the view shows density. 4,000-5,000 markers with
their hover text make a view of about 0.8 MB that draws in about a second in headless
Chromium (the scale benchmark in the README); 10,000 would pass 1.5 MB."""
CROWDING = 1.0
"""The dashboard's and the exports' crowding limit: one event per lane and bin (a bin is about
5 px wide) on average. 4,000 events of 25 lanes over 25 years are one smear of markers,
while a month of the same lanes is readable."""
DEFAULT_BINS = 240
"""Time bins across the chart in the density view, when the chart's width is not known."""
MIN_SPAN_MS = 7 * DAY_MS
"""The narrowest time axis drawn for a whole view: a single day still shows as a day."""
BIN_WIDTHS_MS = tuple(h * 3_600_000 for h in (1, 2, 3, 6, 12)) + tuple(
    d * DAY_MS for d in (1, 2, 3, 7, 14, 30, 61, 91, 182, 365, 730, 1826, 3652, 7305, 18262, 36525)
)
"""Bin widths the density view chooses from: hours, days, weeks, months, years, decades."""
FOLD_LABEL = "{actors} more actors ({events})"


@dataclass(frozen=True)
class Filters:
    """What the reader asked to see. Empty fields filter nothing.

    Attributes:
        actors: keep events of these actors.
        targets: keep events acted upon these targets.
        kinds: keep events of these kinds.
        start: keep events that reach this day or later (a :class:`datetime.date`, or a
            :class:`timeline.dates.Day` of any year, BC too).
        end: keep events that begin on this day or earlier.
        text: keep events whose title, summary, quote or source sentence contains this
            (any case; curly and straight quotes alike).
        statuses: keep events whose claim status is one of these.
        thread: keep the thread of the event with this id: what it links to and what links
            to it, transitively (see :meth:`timeline.threads.Links.thread`).
    """

    actors: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    start: AnyDay | None = None
    end: AnyDay | None = None
    text: str = ""
    targets: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    thread: str = ""

    def describe(self, dataset: Dataset | None = None) -> str:
        """The filters in words, for chart subtitles: ``"Actors: Elon Musk; from 1 Jan 2024"``
        (a thread is named by its event's title when the dataset is given)."""
        parts = []
        if self.thread:
            position = dataset.position_of(self.thread) if dataset is not None else None
            named = dataset.events["title"].iloc[position] if dataset is not None and position is not None else ""
            parts.append(f"Thread of “{shorten(named, 50)}”" if named else f"Thread of {self.thread}")
        if self.actors:
            parts.append(("Actor: " if len(self.actors) == 1 else "Actors: ") + _listed(self.actors))
        if self.targets:
            parts.append(("Target: " if len(self.targets) == 1 else "Targets: ") + _listed(self.targets))
        if self.kinds:
            parts.append(("Kind: " if len(self.kinds) == 1 else "Kinds: ") + ", ".join(self.kinds))
        if self.statuses:
            parts.append(("Status: " if len(self.statuses) == 1 else "Statuses: ") + ", ".join(self.statuses))
        if self.start is not None and self.end is not None and as_day(self.start) == as_day(self.end):
            parts.append(f"on {day_text(self.start)}")
        elif self.start is not None and self.end is not None:
            parts.append(f"from {day_text(self.start)} to {day_text(self.end)}")
        elif self.start is not None:
            parts.append(f"from {day_text(self.start)}")
        elif self.end is not None:
            parts.append(f"until {day_text(self.end)}")
        if self.text.strip():
            parts.append(f"text contains “{self.text.strip()}”")
        return "; ".join(parts) if parts else "All events"

    def query(self, dataset: Dataset | None = None) -> Query:
        """The filters as the engines read them. A thread needs the dataset that holds it; an
        id that names no event of it keeps no event."""
        ids = None
        if self.thread:
            position = dataset.position_of(self.thread) if dataset is not None else None
            ids = () if position is None or dataset is None else thread_ids(dataset, position)
        return Query(
            actors=self.actors,
            targets=self.targets,
            kinds=self.kinds,
            start=_ms(self.start) if self.start is not None else None,
            end=_ms(self.end) + DAY_MS if self.end is not None else None,
            text=fold(self.text.strip()),
            statuses=self.statuses,
            ids=ids,
        )


def thread_ids(dataset: Dataset, position: int) -> tuple[str, ...]:
    """The ids of the thread of the event at ``position``."""
    return tuple(dataset.events["id"].iloc[dataset.links.thread(position)].tolist())


def _listed(names: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown} and {len(names) - limit} more"


def _ms(day: AnyDay) -> int:
    return int(as_day(day).astype("datetime64[ms]").astype(np.int64))


EVERYTHING: Window = (-(2**62), 2**62)


def matching(dataset: Dataset, filters: Filters) -> pd.DataFrame:
    """The dataset's events that pass every filter, in their original order."""
    engine = dataset.engine
    positions = engine.positions(engine.select(filters.query(dataset)), EVERYTHING, None)
    return dataset.events.iloc[positions]


def apply_filters(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The events of a table that pass every filter, in their original order (same rules as views)."""
    return matching(Dataset(events, "events"), filters)


@dataclass(frozen=True)
class ViewRequest:
    """What the chart asks for.

    Attributes:
        filters: which events.
        window: the time axis in ms since 1970 (a zoom), or None for the filtered events'.
        order: how lanes are ordered, one of :data:`timeline.view.LANE_ORDERS`.
        rows: most rows that fit the chart (headers and the folded lane included).
        bins: about how many time bins fit across it.
        exact_limit: most events drawn one by one.
        crowding: most events per lane and time bin, on average, still drawn one by one
            (None: no such limit). Past it the markers cover their lanes like paint and
            the density says more; see :data:`CROWDING`.
        selected: the id of the event the reader selected: its thread is highlighted.
        connectors: draw the relations between the drawn events.
    """

    filters: Filters = Filters()
    window: Window | None = None
    order: str = "count"
    rows: int = 10_000
    bins: int = DEFAULT_BINS
    exact_limit: int = EXACT_LIMIT
    crowding: float | None = None
    selected: str = ""
    connectors: bool = True


def build_view(dataset: Dataset, request: ViewRequest) -> View:
    """Answer "what fits this window and these lanes?" for a dataset."""
    engine: Engine = dataset.engine
    query = engine.select(request.filters.query(dataset))
    stats = engine.lane_stats(query)
    colors = dataset.colors
    order = request.order if request.order in LANE_ORDERS else "count"
    total = len(dataset.events)
    if stats.empty:
        window = request.window or _window_of(None, None, request.filters)
        return View([], None, "exact", None, None, window, 0, 0, total, colors, (), order=order)

    shown, folded = _fit(stats, request.rows, order, list(colors))
    lanes, row_of, fold = _rows(shown, folded, order, colors)
    window = request.window or _window_of(
        int(stats["first"].min()), int(stats["last"].max()), request.filters, request.bins
    )
    shown_actors = [lane.actor for lane in lanes if lane.kind == "actor"]
    in_view = engine.count(query, window, shown_actors)
    matched = int(stats["count"].sum())
    crowded = request.crowding is not None and in_view > request.crowding * request.bins * len(shown_actors)
    if in_view <= request.exact_limit and not crowded:
        marks = _marks(dataset, engine.positions(query, window, shown_actors), row_of)
        connectors = _connectors(dataset, marks) if request.connectors else None
        highlight = _highlight(dataset, marks, request.selected) if request.selected else None
        density = (
            _density(engine, query, window, shown_actors, fold, row_of, request.bins, fold_only=True) if fold else None
        )
        return View(
            lanes,
            fold,
            "exact",
            marks,
            density,
            window,
            in_view,
            matched,
            total,
            colors,
            tuple(dict.fromkeys(marks.kind.tolist())),
            has_loose=bool(marks.loose.any()),
            has_exact_day=bool((~marks.loose).any()),
            has_span=bool((marks.span & ~marks.loose).any()),
            order=order,
            connectors=connectors,
            highlight=highlight,
            statuses=tuple(s for s in STATUSES if s in set(marks.status.tolist())),
        )
    density = _density(engine, query, window, shown_actors, fold, row_of, request.bins)
    return View(lanes, fold, "aggregated", None, density, window, in_view, matched, total, colors, (), order=order)


EDGE_BINS = 4
"""The least margin either side of a whole view's events, in time bins (about 20 px): room
for the widest marker (a selected one) on a narrow screen."""


def _window_of(first: int | None, last: int | None, filters: Filters, bins: int = DEFAULT_BINS) -> Window:
    """The time axis of a whole view: the date filter's days in full, else the events' with a
    margin; never narrower than :data:`MIN_SPAN_MS`."""
    given_start = _ms(filters.start) if filters.start is not None else first
    given_end = _ms(filters.end) + DAY_MS if filters.end is not None else last
    if given_start is not None and given_end is not None:
        start, end = given_start, given_end
    elif given_start is not None:  # nothing matched: show the days the filter names
        start, end = given_start, given_start + MIN_SPAN_MS
    elif given_end is not None:
        start, end = given_end - MIN_SPAN_MS, given_end
    else:  # or this week
        end = _ms(dt.date.today())
        start = end - MIN_SPAN_MS
    margin = max(int((end - start) * max(0.03, EDGE_BINS / bins)), DAY_MS)
    start = start if filters.start is not None else start - margin
    end = end if filters.end is not None else end + margin
    if end - start < MIN_SPAN_MS:
        middle = start + (end - start) // 2
        start, end = middle - MIN_SPAN_MS // 2, middle + MIN_SPAN_MS // 2
    return start, end


def _fit(stats: pd.DataFrame, rows: int, order: str, side_order: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The busiest actors that fit ``rows`` (counting side headers and the fold), in ``order``;
    and the rest."""
    busiest = stats.sort_values(["count", "first", "actor"], ascending=[False, True, True], kind="stable")
    rows = max(rows, 2)

    def needed(count: int) -> int:
        headers = busiest["side"].iloc[:count].nunique() if order == "side" else 0
        return count + headers + (1 if count < len(busiest) else 0)

    keep = len(busiest)
    if needed(keep) > rows:
        keep = min(keep, rows)
        while keep > 1 and needed(keep) > rows:
            keep -= 1
    shown, folded = busiest.iloc[:keep], busiest.iloc[keep:]
    return _ordered(shown, order, side_order), folded


def _ordered(lanes: pd.DataFrame, order: str, side_order: list[str]) -> pd.DataFrame:
    if order == "side":
        rank = {side: i for i, side in enumerate(dict.fromkeys([*side_order, *lanes["side"]]))}
        keyed = lanes.assign(_rank=lanes["side"].map(rank))
        return keyed.sort_values(["_rank", "first", "actor"], kind="stable").drop(columns="_rank")
    if order == "first":
        return lanes.sort_values(["first", "actor"], kind="stable")
    if order == "name":
        return lanes.assign(_key=lanes["actor"].str.casefold()).sort_values(["_key", "actor"]).drop(columns="_key")
    return lanes  # already busiest first


def _rows(
    shown: pd.DataFrame, folded: pd.DataFrame, order: str, colors: Mapping[str, str]
) -> tuple[list[Lane], dict[str, int], Fold | None]:
    lanes: list[Lane] = []
    row_of: dict[str, int] = {}
    side = None
    for actor, actor_side, count in zip(shown["actor"], shown["side"], shown["count"], strict=True):
        if order == "side" and actor_side != side:
            side = actor_side
            lanes.append(Lane(len(lanes), actor_side, actor_side, "header"))
        row_of[actor] = len(lanes)
        lanes.append(Lane(len(lanes), actor, actor_side, "actor", actor, int(count)))
    fold = None
    if not folded.empty:
        events = int(folded["count"].sum())
        label = FOLD_LABEL.format(actors=f"{len(folded):,}", events=f"{events:,} event{'' if events == 1 else 's'}")
        fold = Fold(len(lanes), tuple(folded["actor"]), events)
        lanes.append(Lane(len(lanes), label, "", "fold", "", events))
    return lanes, row_of, fold


def bin_width(window: Window, bins: int) -> int:
    """The narrowest of :data:`BIN_WIDTHS_MS` that cuts ``window`` into at most ``bins`` bins."""
    span = window[1] - window[0]
    return next((w for w in BIN_WIDTHS_MS if span / w <= bins), BIN_WIDTHS_MS[-1])


def _density(
    engine: Engine,
    query: Any,
    window: Window,
    shown: list[str],
    fold: Fold | None,
    row_of: Mapping[str, int],
    bins: int,
    *,
    fold_only: bool = False,
) -> Density:
    width = bin_width(window, max(bins, 1))
    aligned = window[0] - (window[0] % min(width, DAY_MS))  # bins start at midnight (UTC)
    start = aligned if aligned >= window[0] - width else window[0]
    cells = engine.bins(query, (start, window[1]), shown, fold is not None, width)
    if fold_only:  # the exact view draws the shown lanes' events one by one
        cells = cells.loc[cells["actor"].isna().to_numpy(dtype=bool)]
    fold_row = fold.row if fold else -1
    lane = np.array([row_of[a] if isinstance(a, str) else fold_row for a in cells["actor"]], dtype=np.int64)
    return Density(
        start=start,
        width=width,
        bins=math.ceil((window[1] - start) / width),
        lane=lane,
        bin=cells["bin"].to_numpy(dtype=np.int64),
        count=cells["count"].to_numpy(dtype=np.int64),
    )


STACK_STEP = 0.3
"""Vertical distance, in lanes, between markers of one actor on the same day."""


def _marks(dataset: Dataset, positions: np.ndarray, row_of: Mapping[str, int]) -> Marks:
    from timeline.figures import hover_texts  # the words of a hover belong with the drawing

    rows = dataset.events.iloc[positions]
    table = dataset.engine_table.take(positions) if len(positions) else dataset.engine_table.slice(0, 0)
    at = table["at"].to_numpy()
    lo = table["lo"].to_numpy()
    hi = table["hi"].to_numpy()
    lane = rows["actor"].map(row_of).to_numpy(dtype=np.int64)
    targets = table["target"].to_numpy(zero_copy_only=False)
    target_lane = np.array([row_of.get(t, np.nan) if t else np.nan for t in targets], dtype=float)
    loose = loose_dates(rows)
    open_start, open_end, ongoing = open_sides(rows)
    return Marks(
        positions=positions,
        ids=rows["id"].astype(str).tolist(),
        lane=lane,
        y=lane + _same_day_offsets(lane, at),
        at=at,
        lo=lo,
        hi=hi,
        kind=rows["kind"].to_numpy(dtype=object),
        side=side_names(rows).to_numpy(dtype=object),
        loose=loose,
        span=(rows["end"] != "").to_numpy(),
        target_lane=target_lane,
        hover=hover_texts(rows),
        status=rows["status"].to_numpy(dtype=object),
        open_start=open_start,
        open_end=open_end,
        ongoing=ongoing,
    )


def _connectors(dataset: Dataset, marks: Marks) -> Connectors:
    """The relations whose two events are both drawn."""
    from timeline.figures import connector_hovers

    links = dataset.links
    chosen = links.among(marks.positions)
    source, target = links.source[chosen], links.target[chosen]
    relation = links.relation[chosen]
    events = dataset.events
    return Connectors(
        source=np.searchsorted(marks.positions, source),
        target=np.searchsorted(marks.positions, target),
        relation=relation,
        hover=connector_hovers(events.iloc[source], events.iloc[target], relation),
    )


def _highlight(dataset: Dataset, marks: Marks, event_id: str) -> Highlight | None:
    """The selected event's thread among the marks; None when no event has that id."""
    position = dataset.position_of(event_id)
    if position is None:
        return None
    thread = dataset.links.thread(position)
    drawn = np.flatnonzero(marks.positions == position)
    return Highlight(
        event_id=event_id,
        selected=int(drawn[0]) if len(drawn) else None,
        in_thread=np.isin(marks.positions, thread),
        dims=len(thread) > 1,
    )


def _same_day_offsets(lane: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Spread markers of one lane on one day across the lane, so none hides another."""
    if not len(lane):
        return np.zeros(0)
    keys = pd.DataFrame({"lane": lane, "day": at // DAY_MS})
    groups = keys.groupby(["lane", "day"], sort=False)
    rank = groups.cumcount().to_numpy(dtype=float)
    size = groups["lane"].transform("size").to_numpy(dtype=float)
    step = np.minimum(STACK_STEP, 0.8 / np.maximum(size - 1, 1))
    offsets: np.ndarray = (rank - (size - 1) / 2) * step
    return offsets


def tallest_stack(marks: Marks | None) -> int:
    """The most markers one lane has on one day."""
    if marks is None or not len(marks):
        return 1
    keys = pd.DataFrame({"lane": marks.lane, "day": marks.at // DAY_MS})
    return int(keys.groupby(["lane", "day"]).size().max())
