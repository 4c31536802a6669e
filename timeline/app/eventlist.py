"""The list of the filtered events beside the chart: an accessible, keyboard-driven grid in step with it.

The grid uses ag-grid's infinite row model: the browser asks for blocks of rows as the reader
scrolls and the server answers each block from the events the chart's filters match, in the
order the grid asks for. A million events never travel: only the rows on screen do.
Selecting a row selects its event on the chart and opens its details; selecting an event
elsewhere (a marker, a link, a passage) selects its row and scrolls it into view.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, cast

import dash_ag_grid as dag  # type: ignore[import-untyped]
import dash_mantine_components as dmc
import numpy as np
import numpy.typing as npt
import pandas as pd
from dash import Dash, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from timeline.app import ids
from timeline.app.state import Library
from timeline.dataset import Dataset
from timeline.figures import resolved_date
from timeline.query import Filters, matching

GRID = ids.EVENT_LIST
HEADING = "event-list-heading"
TARGET = "event-list-target"
"""Store of the row the grid must select and show: ``{"id", "index"}`` (index under the grid's sort), or None."""
DONE = "event-list-done"
"""Where the browser-side callbacks write nothing useful (a callback needs an output)."""

BLOCK_ROWS = 100
"""Rows the grid asks for at once; a block of the seed story's rows is about 20 KB."""
ORDERS_KEPT = 8
"""Sorted orders of (dataset, filters, sort) kept per app: scrolling reuses one, never sorts again."""

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("date", "Date", 120),
    ("actor", "Actor", 120),
    ("kind", "Kind", 90),
    ("title", "Title", 200),
    ("status", "Status", 100),
    ("side", "Side", 100),
)
"""The grid's columns: field, header, narrowest width."""
SORT_KEYS: dict[str, list[str]] = {"date": ["lo", "hi"], "actor": ["actor"], "kind": ["kind"], "title": ["title"]}
SORT_KEYS.update(status=["status"], side=["side"])
"""The event columns each grid column sorts by: the date by the resolved moment, not by its words."""

Sort = tuple[tuple[str, bool], ...]
"""A grid sort as (column, ascending) pairs, first key first."""


def components() -> list[Any]:
    """Components this module adds to the page (stores, address bar)."""
    return [dcc.Store(id=TARGET, storage_type="memory"), dcc.Store(id=DONE, storage_type="memory")]


def header_tools() -> list[Any]:
    """Controls this module adds to the page's header."""
    return []


def panel() -> list[Any]:
    """The section listing the filtered events, after the chart and its details."""
    grid = dag.AgGrid(
        id=GRID,
        rowModelType="infinite",
        # Flexible widths that fill the panel: no sideways scroll at a laptop's width.
        columnDefs=[
            {"field": f, "headerName": h, "minWidth": w, "flex": 3 if f == "title" else 1, "colId": f}
            for f, h, w in COLUMNS
        ],
        defaultColDef={"sortable": True, "resizable": True, "filter": False, "suppressHeaderMenuButton": True},
        getRowId="params.data.id",
        dashGridOptions={
            "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
            "cacheBlockSize": BLOCK_ROWS,
            # One request at a time: the grid's Dash wrapper answers only its latest request.
            "maxConcurrentDatasourceRequests": 1,
            "blockLoadDebounceMillis": 60,
            "maxBlocksInCache": 20,
            "infiniteInitialRowCount": 1,
            "rowBuffer": 10,
            "suppressCellFocus": False,
        },
        style={"height": "360px", "width": "100%"},
    )
    return [
        html.Section(
            [
                dmc.Title("Events", order=2, id=HEADING, className="event-list-heading"),
                dmc.Text(
                    "The events the filters match. Arrow keys move between rows; Enter or Space opens one.",
                    size="xs",
                    c="dimmed",
                    id="event-list-help",
                ),
                grid,
            ],
            className="event-list",
            **cast(dict[str, Any], {"aria-labelledby": HEADING}),
        )
    ]


def sort_of(request: object) -> Sort:
    """The grid's sort from its request's ``sortModel``; unknown columns, odd entries and a
    column named again are dropped (so a sort has at most one key per column)."""
    model = request.get("sortModel") if isinstance(request, dict) else None
    if not isinstance(model, list):
        return ()
    keys: dict[str, bool] = {}
    for entry in model[: 4 * len(SORT_KEYS)]:
        column = entry.get("colId") if isinstance(entry, dict) else None
        if isinstance(column, str) and column in SORT_KEYS and column not in keys:
            keys[column] = entry.get("sort") != "desc"
    return tuple(keys.items())


def ordered_positions(dataset: Dataset, filters: Filters, sort: Sort) -> npt.NDArray[np.int64]:
    """The row positions of the events ``filters`` match, in the grid's order (stable: ties keep
    the dataset's order, so the list without a sort is the chart's order). A million rows sort
    in well under a second: dates as integers, text by its rank among the distinct values."""
    chosen = matching(dataset, filters)
    positions = dataset.events.index.get_indexer(chosen.index).astype(np.int64)
    if not sort or not len(chosen):
        return positions
    keys: list[npt.NDArray[np.int64]] = []
    used: set[str] = set()
    for column, up in sort:
        for name in SORT_KEYS[column]:
            if name in used:
                continue
            used.add(name)
            values = chosen[name]
            if name in ("lo", "hi"):
                key = values.to_numpy().astype("datetime64[us]").astype(np.int64)
            else:
                key = pd.factorize(values, sort=True)[0].astype(np.int64)
            keys.append(key if up else -key)
    # np.lexsort sorts by its last key first, and keeps ties in their order.
    order = np.lexsort(tuple(reversed(keys)))
    return positions[order]


def rows_of(dataset: Dataset, positions: Sequence[int] | npt.NDArray[np.int64]) -> list[dict[str, str]]:
    """A block of the grid's rows: each event's id and its shown columns, as text."""
    block = dataset.events.iloc[np.asarray(positions, dtype=np.int64)]
    rows = []
    for event in block.to_dict("records"):
        rows.append(
            {
                "id": str(event["id"]),
                "date": resolved_date(event),
                "actor": str(event["actor"]),
                "kind": str(event["kind"]),
                "title": str(event["title"]),
                "status": str(event["status"] or ""),
                "side": str(event["side"] or ""),
            }
        )
    return rows


def block_bounds(request: object, total: int) -> tuple[int, int]:
    """The rows ``[start, end)`` a grid request asks for, inside the table and at most a few blocks."""
    if not isinstance(request, dict):
        return 0, min(total, BLOCK_ROWS)

    def number(key: str, default: int) -> int:
        value = request.get(key)
        return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else default

    start = max(0, min(number("startRow", 0), total))
    end = max(start, min(number("endRow", start + BLOCK_ROWS), total, start + 4 * BLOCK_ROWS))
    return start, end


class Orders:
    """A few sorted orders kept per app (never module state), so scrolling a sorted million reads, not sorts."""

    def __init__(self, kept: int = ORDERS_KEPT) -> None:
        self._kept = kept
        self._lock = threading.Lock()
        self._orders: OrderedDict[tuple[int, Filters, Sort], tuple[Dataset, npt.NDArray[np.int64]]] = OrderedDict()

    def of(self, dataset: Dataset, filters: Filters, sort: Sort) -> npt.NDArray[np.int64]:
        """The positions of the events shown, in the grid's order."""
        key = (id(dataset), filters, sort)
        with self._lock:
            found = self._orders.get(key)
            if found is not None and found[0] is dataset:
                self._orders.move_to_end(key)
                return found[1]
        positions = ordered_positions(dataset, filters, sort)
        with self._lock:
            self._orders[key] = (dataset, positions)
            while len(self._orders) > self._kept:
                self._orders.popitem(last=False)
        return positions


# Runs in the browser when the filters or the data change: forget every block, so the grid asks again.
REFRESH = f"""
function() {{
    try {{
        dash_ag_grid.getApi('{GRID}').purgeInfiniteCache();
    }} catch (notReady) {{}}  // a grid not drawn yet asks for its first block by itself
    return window.dash_clientside.no_update;
}}
"""

# Runs in the browser once the grid is drawn: name it for screen readers, and make Enter and
# Space select the focused row (ag-grid's own Space toggles; a reader wants it to open).
PREPARE = f"""
async function(_) {{
    const api = await dash_ag_grid.getApiAsync('{GRID}');
    const box = document.getElementById('{GRID}');
    const name = () => {{
        const grid = box && box.querySelector('[role=grid], [role=treegrid]');
        if (grid) {{ grid.setAttribute('aria-label', 'Events'); }}
    }};
    name();
    api.addEventListener('firstDataRendered', name);
    api.addEventListener('modelUpdated', name);
    if (box && !box.__timelineKeys) {{
        box.__timelineKeys = true;
        box.addEventListener('keydown', (event) => {{
            if (event.key !== 'Enter' && event.key !== ' ') {{ return; }}
            const cell = api.getFocusedCell();
            if (!cell || cell.rowIndex == null || cell.rowPinned) {{ return; }}
            const node = api.getDisplayedRowAtIndex(cell.rowIndex);
            if (!node || !node.data) {{ return; }}
            event.preventDefault();
            event.stopPropagation();
            node.setSelected(true, true);
        }}, true);
    }}
    return window.dash_clientside.no_update;
}}
"""

# Runs in the browser when an event is selected elsewhere: scroll its row into view, then
# select it once its block has arrived.
FOLLOW = f"""
async function(target) {{
    const api = await dash_ag_grid.getApiAsync('{GRID}');
    if (!target || target.index == null) {{
        api.deselectAll();
        return window.dash_clientside.no_update;
    }}
    api.ensureIndexVisible(target.index, 'middle');
    for (let tries = 0; tries < 60; tries++) {{
        const node = api.getRowNode(target.id);
        if (node && node.data) {{
            if (!node.isSelected()) {{ node.setSelected(true, true); }}
            break;
        }}
        await new Promise(resolve => setTimeout(resolve, 50));
    }}
    return window.dash_clientside.no_update;
}}
"""


def register(app: Dash, library: Library) -> None:
    """Register this module's callbacks."""
    # Here, not at the top: the layout imports this module, and the callbacks import the layout.
    from timeline.app.callbacks import FILTER_INPUTS, event_panel, filters_from, find_event, selected_id

    # Screen readers pick their voice from the page's language (axe: html-has-lang, serious).
    if "<html>" in app.index_string:
        app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    orders = Orders()

    @app.callback(
        Output(GRID, "getRowsResponse"),
        Input(GRID, "getRowsRequest"),
        *(State(i, "value") for i in FILTER_INPUTS),
        State(ids.DATASET, "data"),
    )
    def serve_rows(request: Any, *rest: Any) -> dict[str, Any]:
        """One block of rows, of the events the chart's filters match, in the grid's sort."""
        if not isinstance(request, dict):
            raise PreventUpdate
        *controls, store = rest
        dataset, _ = library.resolve(store)
        positions = orders.of(dataset, filters_from(*controls, within=dataset), sort_of(request))
        start, end = block_bounds(request, len(positions))
        return {"rowData": rows_of(dataset, positions[start:end]), "rowCount": len(positions)}

    app.clientside_callback(  # type: ignore[no-untyped-call]
        REFRESH,
        Output(DONE, "data", allow_duplicate=True),
        *(Input(i, "value") for i in FILTER_INPUTS),
        Input(ids.DATASET, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]
        PREPARE,
        Output(DONE, "data", allow_duplicate=True),
        Input(GRID, "id"),
        prevent_initial_call="initial_duplicate",
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]
        FOLLOW,
        Output(DONE, "data", allow_duplicate=True),
        Input(TARGET, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.SELECTED, "data", allow_duplicate=True),
        Output(ids.DETAIL, "children", allow_duplicate=True),
        Input(GRID, "selectedRows"),
        State(ids.SELECTED, "data"),
        State(ids.DATASET, "data"),
        prevent_initial_call=True,
    )
    def select_row(rows: Any, selected: Any, store: Any) -> tuple[Any, Any]:
        """A row selected in the list selects its event: on the chart and in the details."""
        if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
            raise PreventUpdate  # a row unselected: the chart's selection stays
        event_id = rows[0].get("id")
        if not isinstance(event_id, str) or event_id == selected_id(selected):
            raise PreventUpdate
        dataset, _ = library.resolve(store)
        position = find_event(dataset, event_id=event_id)
        if position is None:
            raise PreventUpdate
        return {"id": event_id}, event_panel(dataset, position)

    @app.callback(
        Output(TARGET, "data"),
        Input(ids.SELECTED, "data"),
        *(State(i, "value") for i in FILTER_INPUTS),
        State(ids.DATASET, "data"),
        State(GRID, "getRowsRequest"),
        prevent_initial_call=True,
    )
    def follow_selection(selected: Any, *rest: Any) -> Any:
        """The row of the event selected elsewhere, at its index under the grid's sort (None: no row)."""
        *controls, store, request = rest
        event_id = selected_id(selected)
        if not event_id:
            return None
        dataset, _ = library.resolve(store)
        position = find_event(dataset, event_id=event_id)
        if position is None:
            return None
        positions = orders.of(dataset, filters_from(*controls, within=dataset), sort_of(request))
        found = np.flatnonzero(positions == position)
        if not len(found):
            return no_update
        return {"id": event_id, "index": int(found[0])}
