"""The view's state in the address bar: filters, zoom window, selected event, lane order and
links live in the query string, so that a link restores the view and Back and Forward step
through it.

:func:`state_from_query` and :func:`query_from_state` are pure and tested both ways; the
callbacks only move their results between the address bar and the controls. What a link
names that the data does not hold (an actor, an event, a bad date ...) is dropped, and the
page says what was dropped.

Two callbacks would chase each other (address bar -> controls -> address bar ...): each
compares the state it would write with the state already there, and does nothing when they
are equal. While a link is being applied, the address bar is left alone (see :data:`PENDING`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode

import dash_mantine_components as dmc
import numpy as np
from dash import Dash, Input, Output, State, dcc, no_update
from dash.exceptions import PreventUpdate

from timeline.app import ids
from timeline.app.callbacks import (
    FILTER_INPUTS,
    event_panel,
    filters_from,
    selected_id,
    still_shown,
    view_window,
)
from timeline.app.layout import DETAIL_PLACEHOLDER
from timeline.app.state import Library
from timeline.dataset import Dataset
from timeline.dates import AnyDay, parse_iso_day
from timeline.query import Filters
from timeline.schema import KINDS, STATUSES
from timeline.view import LANE_ORDERS

PENDING = "url-pending"
WRITTEN = "url-written"
"""Store of the query string last written or applied: the address bar changing to it is the
page's own echo, not a reader's Back or Forward, and must not undo what happened since."""
"""Store of a link being applied: the window it sets once the filters have settled (setting
filters widens the window, so the link's window comes after), or None."""

MAX_TEXT = 500
"""Longest text filter a link carries; a longer one is cut (an address is no place for essays)."""

EPOCH = dt.datetime(1970, 1, 1)


@dataclass(frozen=True)
class ViewState:
    """What a link restores.

    Attributes:
        filters: the filters (:class:`timeline.query.Filters`).
        window: the zoomed time window in ms since 1970, or None for all.
        event: the selected event's id, or "".
        order: the lane order, or None for the dataset's own.
        links: whether links between events are drawn.
    """

    filters: Filters = field(default_factory=Filters)
    window: tuple[int, int] | None = None
    event: str = ""
    order: str | None = None
    links: bool = True


def _day(text: str) -> AnyDay | None:
    """``2024-02-09``, or a day BC as ISO 8601 writes it (``-0499-01-01``: 1 January 500 BC)."""
    return parse_iso_day(text) if len(text) in (10, 11) else None


_BC_MOMENT = re.compile(r"^-\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


def _moment(text: str) -> int | None:
    """An ISO date and time (UTC, as the chart's axis) in ms since 1970; years BC as ISO
    8601 writes them (``-0043-03-15T00:00``)."""
    if _BC_MOMENT.match(text):
        try:
            return int(np.datetime64(text, "ms").astype(np.int64))
        except ValueError:
            return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return int((moment - EPOCH).total_seconds() * 1000)


def _moment_text(ms: int) -> str | None:
    try:
        moment = EPOCH + dt.timedelta(milliseconds=ms)
    except OverflowError:  # before AD 1 (or after 9999): numpy's proleptic calendar has it
        try:
            stamp = np.datetime64(int(ms), "ms")
        except (OverflowError, ValueError):
            return None
        unit = "m" if int(ms) % 60_000 == 0 else "s"
        sign, year, rest = re.fullmatch(r"(-?)(\d+)(-.*)", str(stamp.astype(f"datetime64[{unit}]"))).groups()  # type: ignore[union-attr]
        return f"{sign}{int(year):04d}{rest}"  # numpy writes -049: ISO 8601 has four digits
    if moment.second == 0 and moment.microsecond == 0:
        return moment.strftime("%Y-%m-%dT%H:%M")
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def window_text(window: tuple[int, int]) -> str | None:
    """A window as the address bar writes it: ``2024-02-09T00:00/2024-02-13T00:00``."""
    start, end = (_moment_text(ms) for ms in window)
    return f"{start}/{end}" if start and end else None


def parse_window(text: str) -> tuple[int, int] | None:
    """A window from the address bar, or None when it is not two moments in order."""
    start_text, slash, end_text = text.partition("/")
    if not slash:
        return None
    start, end = _moment(start_text), _moment(end_text)
    return (start, end) if start is not None and end is not None and end > start else None


def query_from_state(state: ViewState, default_order: str = "count") -> str:
    """The query string of a view, without its ``?``; empty for the default view.

    Only what differs from the default is written, so the default view's link is the page's own.
    """
    filters = state.filters
    pairs: list[tuple[str, str]] = [("actor", a) for a in filters.actors]
    pairs += [("target", t) for t in filters.targets]
    pairs += [("kind", k) for k in filters.kinds]
    pairs += [("status", s) for s in filters.statuses]
    if filters.thread:
        pairs.append(("thread", filters.thread))
    if filters.start:
        pairs.append(("from", filters.start.isoformat()))
    if filters.end:
        pairs.append(("to", filters.end.isoformat()))
    if filters.text.strip():
        pairs.append(("q", filters.text.strip()[:MAX_TEXT]))
    if state.order and state.order != default_order:
        pairs.append(("order", state.order))
    if state.event:
        pairs.append(("event", state.event))
    written = window_text(state.window) if state.window else None
    if written:
        pairs.append(("window", written))
    if not state.links:
        pairs.append(("links", "0"))
    return urlencode(pairs, safe=":/")


MULTIPLE = ("actor", "target", "kind", "status")
SINGLE = ("thread", "from", "to", "q", "order", "event", "window", "links")


def state_from_query(query: str, dataset: Dataset) -> tuple[ViewState, list[str]]:
    """The view a query string names, kept to what ``dataset`` holds, and what was dropped.

    Args:
        query: the address bar's query string, with or without its ``?``.
        dataset: the data the page shows; names and ids it does not hold are dropped.

    Returns:
        The state, and one phrase per dropped parameter (``actor “Nobody” (not in this data)``),
        in the order of the query string.
    """
    dropped: list[str] = []
    chosen: dict[str, dict[str, None]] = {name: {} for name in MULTIPLE}  # a dict: ordered, no repeats
    one: dict[str, str] = {}
    for name, value in parse_qsl(query.lstrip("?"), keep_blank_values=True):
        if name in chosen:
            chosen[name][value] = None
        elif name in SINGLE:
            if name in one:
                dropped.append(f"{name} “{value}” (given twice)")
            else:
                one[name] = value
        else:
            dropped.append(f"parameter “{name}” (unknown)")

    many = {name: list(values) for name, values in chosen.items()}

    def known(name: str, values: list[str], allowed: Sequence[str], why: str) -> list[str]:
        allowed_set = set(allowed)
        kept = [v for v in values if v in allowed_set]
        dropped.extend(f"{name} “{v}” ({why})" for v in values if v not in allowed_set)
        return kept

    actors = known("actor", many["actor"], dataset.actors, "not in this data")
    targets = known("target", many["target"], dataset.targets, "not in this data")
    kinds = known("kind", many["kind"], KINDS, "no such kind")
    statuses = known("status", many["status"], STATUSES, "no such claim status")
    thread = one.get("thread", "")
    if thread and dataset.position_of(thread) is None:
        dropped.append(f"thread “{thread}” (no such event in this data)")
        thread = ""
    bounds: list[AnyDay | None] = []
    for name in ("from", "to"):
        text = one.get(name, "")
        day = _day(text) if text else None
        if text and day is None:
            dropped.append(f"{name} “{text}” (not a date as YYYY-MM-DD)")
        bounds.append(day)
    start, end = bounds
    if start and end and start > end:
        dropped.append(f"from “{start}” and to “{end}” (from is after to)")
        start = end = None
    filters = Filters(
        actors=tuple(actors),
        targets=tuple(targets),
        kinds=tuple(kinds),
        start=start,
        end=end,
        text=one.get("q", "").strip()[:MAX_TEXT],
        thread=thread,
        statuses=tuple(statuses),
    )
    order = one.get("order") or None
    if order is not None and order not in LANE_ORDERS:
        dropped.append(f"order “{order}” (one of {', '.join(LANE_ORDERS)})")
        order = None
    window = None
    if one.get("window"):
        window = parse_window(one["window"])
        if window is None:
            dropped.append(f"window “{one['window']}” (not two moments in order, as START/END)")
    links = True
    if "links" in one:
        if one["links"] in ("0", "1"):
            links = one["links"] == "1"
        else:
            dropped.append(f"links “{one['links']}” (0 or 1)")
    event = one.get("event", "")
    if event:
        position = dataset.position_of(event)
        if position is None:
            dropped.append(f"event “{event}” (no such event in this data)")
            event = ""
        elif not still_shown(dataset, position, filters):
            dropped.append(f"event “{event}” (not among the events these filters show)")
            event = ""
    return ViewState(filters, window, event, order, links), dropped


def state_from_controls(values: Sequence[Any], within: Dataset | None = None) -> ViewState:
    """The state of the page's controls: the :data:`CONTROLS` values, in their order (lists
    capped at what ``within``, the data shown, holds; see :func:`~timeline.app.callbacks.filters_from`)."""
    *filter_values, order, links, window, selected = values
    return ViewState(
        filters=filters_from(*filter_values, within=within),
        window=view_window(window),
        event=selected_id(selected),
        order=order if isinstance(order, str) and order in LANE_ORDERS else None,
        links=links is not False,
    )


def control_values(state: ViewState, default_order: str) -> tuple[Any, ...]:
    """The values the filter controls (in :data:`FILTER_INPUTS` order), the lane order and the
    links switch take for a state."""
    filters = state.filters
    dates = (
        []
        if not (filters.start or filters.end)
        else [d.isoformat() if d else None for d in (filters.start, filters.end)]
    )
    return (
        list(filters.actors),
        list(filters.kinds),
        dates,
        filters.text,
        list(filters.targets),
        filters.thread or None,
        list(filters.statuses),
        state.order or default_order,
        state.links,
    )


def canonical(state: ViewState, default_order: str) -> str:
    """A state's query string with what the address bar cannot hold rounded away (the window
    to the second): two states are the same view when these are equal."""
    return query_from_state(state, default_order)


NOTICE_NAMES = 20
"""Dropped parts the notice names; the rest are counted (a link of a thousand stale names stays readable)."""


def notice_text(dropped: Sequence[str]) -> str:
    """What the notice says about the parts of a link that were dropped."""
    named = "; ".join(dropped[:NOTICE_NAMES])
    more = len(dropped) - NOTICE_NAMES
    if more > 0:
        named += f"; and {more:,} more"
    return "Dropped: " + named + ". The rest of the link is applied."


CONTROLS = (
    *((i, "value") for i in FILTER_INPUTS),
    (ids.LANE_ORDER, "value"),
    (ids.CONNECTORS, "checked"),
    (ids.WINDOW, "data"),
    (ids.SELECTED, "data"),
)
"""Every control a link sets, in the order :func:`state_from_controls` reads them."""

COPY_CURRENT_URL = """
function(_clicks) {
    return window.location.href;
}
"""


def components() -> list[Any]:
    """The address bar, the store of a link being applied, and the notice of dropped parts."""
    return [
        dcc.Location(id=ids.LOCATION, refresh=False),
        dcc.Store(id=PENDING, storage_type="memory", data=None),
        dcc.Store(id=WRITTEN, storage_type="memory", data=None),
        dmc.Alert(
            id=ids.URL_NOTICE,
            title="Part of this link could not be applied",
            color="yellow",
            hide=True,
            withCloseButton=True,
            className="url-notice",
            # Fixed, so that it shows over the page wherever the page is scrolled to.
            style={"position": "fixed", "top": 60, "right": 16, "zIndex": 300, "maxWidth": 440},
        ),
    ]


def header_tools() -> list[Any]:
    """The "Copy link" button: it copies the address bar, which always holds the view."""
    label = cast(dict[str, Any], {"aria-label": "Copy a link to this view"})
    return [
        dcc.Clipboard(
            id=ids.COPY_LINK,
            title="Copy a link to this view",
            children=dmc.Button("Copy link", variant="default", size="xs", **label),
            copied_children=dmc.Button("Link copied", variant="default", size="xs", **label),
        )
    ]


def panel() -> list[Any]:
    """Nothing under the chart: the notice is fixed on screen (see :func:`components`)."""
    return []


def register(app: Dash, library: Library) -> None:
    """Register the callbacks between the address bar and the controls."""

    @app.callback(
        *(Output(i, p, allow_duplicate=True) for i, p in CONTROLS[:-2]),
        Output(ids.SELECTED, "data", allow_duplicate=True),
        Output(ids.DETAIL, "children", allow_duplicate=True),
        Output(PENDING, "data"),
        Output(ids.URL_NOTICE, "children"),
        Output(ids.URL_NOTICE, "hide"),
        Output(WRITTEN, "data", allow_duplicate=True),
        Input(ids.LOCATION, "search"),
        *(State(i, p) for i, p in CONTROLS),
        State(ids.DATASET, "data"),
        State(WRITTEN, "data"),
        prevent_initial_call="initial_duplicate",
    )
    def apply_link(search: Any, *rest: Any) -> tuple[Any, ...]:
        """Address bar -> controls: on opening a link, and on Back and Forward (not when the
        address bar only echoes what :func:`write_link` wrote: the reader may have moved on)."""
        *current_values, store, written = rest
        if isinstance(written, str) and search == written:
            raise PreventUpdate
        return (*_apply(search, current_values, store), search if isinstance(search, str) else "")

    def _apply(search: Any, current_values: list[Any], store: Any) -> tuple[Any, ...]:
        dataset, _ = library.resolve(store)
        default = dataset.lane_order
        target, dropped = state_from_query(search if isinstance(search, str) else "", dataset)
        current = state_from_controls(current_values, dataset)
        notice = (notice_text(dropped), False) if dropped else (no_update, True)
        if canonical(target, default) == canonical(current, default):
            if not dropped:
                raise PreventUpdate
            return (*(no_update,) * (len(CONTROLS) + 1), *notice)
        wanted = control_values(target, default)
        now = control_values(current, default)
        # Only what changes: every control set triggers its callbacks (a filter widens the window).
        controls = tuple(w if w != n else no_update for w, n in zip(wanted, now, strict=True))
        if target.event == current.event:
            selected: Any = no_update
            detail: Any = no_update
        elif target.event:
            position = dataset.position_of(target.event)
            selected = {"id": target.event}
            detail = event_panel(dataset, position) if position is not None else DETAIL_PLACEHOLDER
        else:
            selected, detail = None, DETAIL_PLACEHOLDER
        pending = {"window": list(target.window) if target.window else None}
        return (*controls, selected, detail, pending, *notice)

    @app.callback(
        Output(ids.WINDOW, "data", allow_duplicate=True),
        Output(PENDING, "data", allow_duplicate=True),
        Input(PENDING, "data"),
        Input(ids.WINDOW, "data"),
        prevent_initial_call=True,
    )
    def apply_link_window(pending: Any, window: Any) -> tuple[Any, Any]:
        """The link's window, set after the filters (an input here, the window waits for the
        callback that widens it on new filters)."""
        if not isinstance(pending, dict):
            raise PreventUpdate
        wanted = view_window(pending.get("window"))
        current = view_window(window)
        return (list(wanted) if wanted else None) if wanted != current else no_update, None

    @app.callback(
        Output(ids.LOCATION, "search"),
        Output(WRITTEN, "data"),
        *(Input(i, p) for i, p in CONTROLS),
        State(ids.LOCATION, "search"),
        State(PENDING, "data"),
        State(ids.DATASET, "data"),
        prevent_initial_call=True,
    )
    def write_link(*values: Any) -> tuple[str, str]:
        """Controls -> address bar: every change of the view is a step of the history."""
        *control_values_, search, pending, store = values
        if pending is not None:
            raise PreventUpdate  # a link is being applied: its state is already in the address bar
        dataset, _ = library.resolve(store)
        default = dataset.lane_order
        wanted = canonical(state_from_controls(control_values_, dataset), default)
        shown, _ = state_from_query(search if isinstance(search, str) else "", dataset)
        if wanted == canonical(shown, default):
            raise PreventUpdate
        written = f"?{wanted}" if wanted else ""
        return written, written

    app.clientside_callback(  # type: ignore[no-untyped-call]
        COPY_CURRENT_URL,
        Output(ids.COPY_LINK, "content"),
        Input(ids.COPY_LINK, "n_clicks"),
        prevent_initial_call=True,
    )
