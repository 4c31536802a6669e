"""Every callback of the app, registered in one function. Each is a few lines that call
the plain functions of :mod:`timeline.query`, :mod:`timeline.figures` and
:mod:`timeline.export`."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
from typing import Any

import dash_mantine_components as dmc
import numpy as np
import numpy.typing as npt
from dash import ALL, Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from timeline.app import ids
from timeline.app.layout import DETAIL_PLACEHOLDER, UPLOAD_LIMIT_BYTES, detail_card, legend_row
from timeline.app.state import Library
from timeline.app.years import date_controls, dates_from_years, years_from_dates
from timeline.budget import read_upload
from timeline.dataset import Dataset, ReadOptions
from timeline.dates import DATE_ORDERS, AnyDay, parse_iso_day
from timeline.export import (
    CUSTOM,
    IMAGE_DEFAULTS,
    IMAGE_FORMATS,
    MIME_TYPES,
    SIZE_PRESETS,
    ExportUnavailableError,
    export_view,
    preset_of,
    size_from_fields,
)
from timeline.figures import dataset_figure, moment_ms, resolved_date, transport, window_of
from timeline.query import Filters, matching
from timeline.schema import KINDS, STATUSES, ValidationError, counted

MAX_LISTED_PROBLEMS = 50

MAX_CHOICES = 10_000
"""Most choices a filter list keeps when the data it filters is not known to the caller."""

# Runs in the browser: a file over the limit never leaves it.
CHECK_UPLOAD_SIZE = f"""
function(contents, filename) {{
    if (!contents) {{ return window.dash_clientside.no_update; }}
    // Forget the picked file, so that picking the same file again is a change too.
    const input = document.querySelector('#{ids.UPLOAD} input[type=file]');
    if (input) {{ input.value = ''; }}
    const comma = contents.indexOf(',');
    const bytes = Math.floor((contents.length - comma - 1) * 3 / 4);
    if (bytes > {UPLOAD_LIMIT_BYTES}) {{
        return {{filename: filename, too_big: bytes}};
    }}
    return {{filename: filename, contents: contents}};
}}
"""


def filters_from(
    actors: object,
    kinds: object,
    dates: object,
    text: object,
    targets: object = None,
    thread: object = None,
    statuses: object = None,
    *,
    within: Dataset | None = None,
) -> Filters:
    """The dashboard's controls as :class:`Filters`.

    The controls send lists of text and ISO dates, but a hand-made request may send anything:
    a date that is not an ISO date sets no bound, and a choice that is not text is dropped.
    A list holds no more choices than ``within`` (the data filtered) has to choose from: no
    more actors than its actors, no more kinds than :data:`~timeline.schema.KINDS`.
    """

    def choices(values: object, most: int | None = None) -> tuple[str, ...]:
        if not isinstance(values, list | tuple):
            return ()
        return tuple(dict.fromkeys(v for v in values[: MAX_CHOICES if most is None else most] if isinstance(v, str)))

    def day(value: object) -> AnyDay | None:
        if not isinstance(value, str) or not value:
            return None
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return parse_iso_day(value[:11])  # a day BC, as the year fields write it: -0499-01-01

    start, end = ([*(dates[:2] if isinstance(dates, list) else []), None, None])[:2]
    return Filters(
        actors=choices(actors, len(within.actors) if within is not None else None),
        targets=choices(targets, len(within.targets) if within is not None else None),
        kinds=choices(kinds, len(KINDS)),
        start=day(start),
        end=day(end),
        text=text if isinstance(text, str) else "",
        thread=thread if isinstance(thread, str) else "",
        statuses=tuple(s for s in choices(statuses, len(STATUSES)) if s in STATUSES),
    )


def problems_alert(title: str, error: ValidationError) -> dmc.Alert:
    """A list of problems, as text, capped so a broken file cannot flood the page."""
    shown = error.problems[:MAX_LISTED_PROBLEMS]
    items = [dmc.ListItem(str(p)) for p in shown]
    more = len(error.problems) - len(shown)
    if more:
        items.append(dmc.ListItem(f"… and {more} more"))
    return dmc.Alert(dmc.List(items, size="sm"), title=title, color="red", className="problems")


def loaded_alert(name: str, dataset: Dataset) -> dmc.Alert:
    """The message for an upload that loaded, with the reader's notes (capped like problems)."""
    text = f"Showing {name}: {counted(len(dataset.events), 'event')}. Only this browser tab sees it."
    notes = [dmc.ListItem(f"note: {n}") for n in dataset.notes[:MAX_LISTED_PROBLEMS]]
    return dmc.Alert([text, dmc.List(notes, size="sm")] if notes else text, color="green")


def safe_filename(name: str) -> str:
    """A download name derived from the dataset's name, with nothing a file system dislikes."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", name.rsplit(".", 1)[0]).strip("-.")
    return stem or "timeline"


FILTER_INPUTS = (ids.ACTORS, ids.KINDS, ids.DATES, ids.SEARCH, ids.TARGETS, ids.THREAD, ids.STATUSES)
"""The controls whose values make the :class:`Filters`, in the order :func:`filters_from` takes them."""

# Runs in the browser: tell the server how much room the chart has, now and after every resize.
MEASURE_VIEWPORT = f"""
function(_) {{
    const measure = () => {{
        const box = document.getElementById('{ids.GRAPH_BOX}');
        const width = box && box.clientWidth > 0 ? box.clientWidth : window.innerWidth;
        // From the chart's top to the window's bottom: the date axis stays on the first screen.
        const top = box ? box.getBoundingClientRect().top + window.scrollY : 100;
        return {{width: Math.round(width), height: Math.max(260, Math.round(window.innerHeight - top - 12))}};
    }};
    if (!window.__timelineResize) {{
        let timer = null;
        window.__timelineResize = () => {{
            clearTimeout(timer);
            timer = setTimeout(() => window.dash_clientside.set_props('{ids.VIEWPORT}', {{data: measure()}}), 200);
        }};
        window.addEventListener('resize', window.__timelineResize);
    }}
    return measure();
}}
"""


def viewport_of(value: object) -> tuple[int | None, int | None]:
    """The chart's room in pixels from the browser's store; anything odd is unknown (None)."""
    if not isinstance(value, dict):
        return None, None

    def pixels(key: str) -> int | None:
        number = value.get(key)
        if isinstance(number, bool) or not isinstance(number, int | float) or not 100 <= number <= 20_000:
            return None
        return int(number)

    return pixels("width"), pixels("height")


def zoom_of(relayout: object, current: tuple[int, int] | None) -> tuple[bool, tuple[int, int] | None]:
    """What a relayout event does to the time window: (changed?, the new window or None for all)."""
    if not isinstance(relayout, dict):
        return False, current
    if relayout.get("xaxis.autorange"):
        return True, None
    if "xaxis.range[0]" in relayout or "xaxis.range" in relayout:
        pair = relayout.get("xaxis.range") or [relayout.get("xaxis.range[0]"), relayout.get("xaxis.range[1]")]
        window = window_of(pair)
        return (window is not None), (window or current)
    return False, current


def density_zoom(click: object, current: tuple[int, int] | None) -> tuple[int, int] | None:
    """A click on a density strip zooms in five times around the bin clicked, or None if it
    was no density click (a marker's click opens its details instead)."""
    if not isinstance(click, dict) or not isinstance(click.get("points"), list) or not click["points"]:
        return None
    point = click["points"][0]
    if not isinstance(point, dict) or "z" not in point or current is None:
        return None
    centre = moment_ms(point.get("x"))
    if centre is None:
        return None
    half = max((current[1] - current[0]) // 10, 3_600_000)
    return centre - half, centre + half


def fresh_view(dataset: Dataset) -> tuple[Any, ...]:
    """The controls of a view of all of a dataset: every filter empty, its lane order, no zoom."""
    return [], [], [], "", [], None, [], dataset.lane_order, None


def view_window(stored: object) -> tuple[int, int] | None:
    """The window kept in the page's store, if it is one."""
    return window_of(stored) if isinstance(stored, list) else None


def register_callbacks(app: Dash, library: Library) -> None:
    """Wire the page to the data. ``library`` holds the served file and the uploads."""

    @app.callback(
        Output(ids.ACTORS, "data"),
        Output(ids.TARGETS, "data"),
        Output(ids.KINDS, "data"),
        Output(ids.DATES, "minDate"),
        Output(ids.DATES, "maxDate"),
        Output(ids.DATES, "style"),
        Output(ids.YEARS, "style"),
        Output(ids.TARGETS, "disabled"),
        Output(ids.THREAD, "data"),
        Output(ids.THREAD, "disabled"),
        Output(ids.STATUSES, "data"),
        Output(ids.STATUSES, "disabled"),
        Output(ids.DATASET_TITLE, "children"),
        Output(ids.DATA_ALERT, "children"),
        Input(ids.DATASET, "data"),
    )
    def load_dataset(store: Any) -> tuple[Any, ...]:
        dataset, note = library.resolve(store)
        events = dataset.events
        actors, targets = dataset.actors, dataset.targets
        kinds = [k for k in KINDS if k in set(events["kind"].unique().tolist())]
        alerts = []
        served = library.served()
        if served.problems is not None and not (isinstance(store, dict) and store.get("token")):
            alerts.append(
                problems_alert(
                    "The data file changed on disk and no longer loads; showing the last good version",
                    served.problems,
                )
            )
        if note:
            alerts.append(dmc.Alert(note, color="yellow"))
        threads = thread_options(dataset)
        present = set(events["status"].unique().tolist())
        statuses = [s for s in STATUSES if s in present]
        return (
            actors,
            targets,
            kinds,
            *dataset.picker_days(),
            *date_controls(dataset),
            not targets,
            threads,
            not threads,
            statuses,
            not statuses,
            dataset.title or dataset.name,
            alerts,
        )

    # Apart from the options and only on a click, so that the first chart waits for neither:
    # the page starts with every filter empty (new data empties them in receive_upload).
    @app.callback(
        *(Output(i, "value", allow_duplicate=True) for i in FILTER_INPUTS),
        Output(ids.LANE_ORDER, "value", allow_duplicate=True),
        Output(ids.WINDOW, "data", allow_duplicate=True),
        Input(ids.RESET, "n_clicks"),
        State(ids.DATASET, "data"),
        prevent_initial_call=True,
    )
    def reset_filters(_reset: Any, store: Any) -> tuple[Any, ...]:
        dataset, _ = library.resolve(store)
        return fresh_view(dataset)

    @app.callback(
        Output(ids.DATES, "value", allow_duplicate=True),
        Output(ids.YEAR_FROM, "value"),
        Output(ids.YEAR_TO, "value"),
        Output(ids.YEAR_FROM, "error"),
        Output(ids.YEAR_TO, "error"),
        Input(ids.YEAR_FROM, "value"),
        Input(ids.YEAR_TO, "value"),
        Input(ids.DATES, "value"),
        prevent_initial_call=True,
    )
    def sync_years(first: Any, last: Any, dates: Any) -> tuple[Any, ...]:
        """The year fields and the date range say the same: typed years set the range, and a
        range set elsewhere (Reset, a link) shows in the fields."""
        if ctx.triggered_id == ids.DATES:
            return (no_update, *years_from_dates(dates), "", "")
        value, first_error, last_error = dates_from_years(first, last)
        return value, no_update, no_update, first_error, last_error

    app.clientside_callback(  # type: ignore[no-untyped-call]
        MEASURE_VIEWPORT,
        Output(ids.VIEWPORT, "data"),
        Input(ids.GRAPH_BOX, "id"),
    )

    @app.callback(
        Output(ids.WINDOW, "data"),
        Input(ids.GRAPH, "relayoutData"),
        Input(ids.GRAPH, "clickData"),
        *(Input(i, "value") for i in FILTER_INPUTS),
        State(ids.WINDOW, "data"),
        prevent_initial_call=True,
    )
    def zoom(relayout: Any, click: Any, *rest: Any) -> Any:
        """The time window: a zoom or a click on a density strip narrows it; new filters widen
        it to all they match (new data and Reset do too, in their own callbacks). Anything
        else (a resize, a marker's click) leaves it."""
        current = view_window(rest[-1])
        prop = ctx.triggered[0]["prop_id"] if ctx.triggered else ""
        if prop.endswith(".relayoutData"):
            changed, window = zoom_of(relayout, current)
        elif prop.endswith(".clickData"):
            window = density_zoom(click, current)
            changed = window is not None
        else:
            changed, window = current is not None, None
        if not changed:
            raise PreventUpdate
        return list(window) if window else None

    @app.callback(
        Output(ids.GRAPH, "figure"),
        Output(ids.GRAPH, "style"),
        Output(ids.COUNT, "children"),
        Output(ids.NO_MATCH, "hide"),
        Output(ids.GRAPH_BOX, "style"),
        Output(ids.SOURCE_LINE, "children"),
        Output(ids.VIEW_NOTE, "children"),
        Output(ids.LEGEND, "children"),
        *(Input(i, "value") for i in FILTER_INPUTS),
        Input(ids.LANE_ORDER, "value"),
        Input(ids.DATASET, "data"),
        Input(ids.VIEWPORT, "data"),
        Input(ids.WINDOW, "data"),
        Input(ids.CONNECTORS, "checked"),
        Input(ids.SELECTED, "data"),
    )
    def draw(*values: Any) -> tuple[Any, ...]:
        *controls, order, store, viewport, window, connectors, selected = values
        dataset, _ = library.resolve(store)
        filters = filters_from(*controls, within=dataset)
        width, height = viewport_of(viewport)
        figure = dataset_figure(
            dataset,
            filters,
            window=view_window(window),
            order=order if isinstance(order, str) else None,
            height=height,
            bins=max(40, width // 5) if width else None,
            title="",
            credit=False,  # the page prints it under the chart, where it wraps
            legend="none",  # the page draws it above the chart, where it wraps
            selected=selected_id(selected),
            connectors=connectors is not False,
        )
        view = figure["layout"]["meta"]
        count = f"{view['matched']:,} of {view['total']:,} events" + (" in this thread" if filters.thread else "")
        if not view["matched"]:
            return no_update, no_update, count, False, {"display": "none"}, "", "", []
        style = {"height": f"{figure['layout']['height']}px"}
        legend = legend_row(view["legend"])
        return transport(figure), style, count, True, {}, dataset.credit_line, view["note"], legend

    @app.callback(
        Output(ids.DETAIL, "children"),
        Output(ids.SELECTED, "data"),
        Input(ids.GRAPH, "clickData"),
        Input({"type": ids.THREAD_LINK, "index": ALL}, "n_clicks"),
        Input({"type": ids.PROV_MARK, "index": ALL}, "n_clicks"),
        Input(ids.CLEAR_SELECTION, "n_clicks"),
        *(Input(i, "value") for i in FILTER_INPUTS),
        Input(ids.DATASET, "data"),
        State(ids.SELECTED, "data"),
        prevent_initial_call=True,
    )
    def show_detail(click: Any, _links: Any, _marks: Any, _clear: Any, *rest: Any) -> tuple[Any, Any]:
        *controls, store, selected = rest
        dataset, _ = library.resolve(store)
        trigger = ctx.triggered_id
        if trigger == ids.CLEAR_SELECTION:
            return DETAIL_PLACEHOLDER, None
        if isinstance(trigger, dict):  # a link to a linked event, or a passage of the source text
            if not ctx.triggered[0].get("value"):
                raise PreventUpdate  # the links were just drawn, not clicked
            index = trigger.get("index")
            if not isinstance(index, str):
                raise PreventUpdate
            if trigger.get("type") == ids.PROV_MARK:
                index = next_of(index.split(), selected_id(selected))
            found = find_event(dataset, event_id=index)
        elif trigger == ids.GRAPH:
            found = find_event(dataset, position=clicked_position(click))
        else:  # the filters or the data changed: does the open event still belong to the view?
            if not isinstance(selected, dict):
                raise PreventUpdate  # nothing is open
            still = find_event(dataset, event_id=str(selected.get("id", "")))
            if still is not None and still_shown(dataset, still, filters_from(*controls, within=dataset)):
                raise PreventUpdate
            return DETAIL_PLACEHOLDER, None
        if found is None:
            raise PreventUpdate
        event_id = str(dataset.events["id"].iloc[found])
        return event_panel(dataset, found), {"id": event_id}

    @app.callback(
        Output(ids.THREAD, "value", allow_duplicate=True),
        Output(ids.THREAD, "data", allow_duplicate=True),
        Input({"type": ids.SHOW_THREAD, "index": ALL}, "n_clicks"),
        State(ids.DATASET, "data"),
        prevent_initial_call=True,
    )
    def show_thread(_clicks: Any, store: Any) -> tuple[Any, Any]:
        """The detail panel's "Show this thread only": the thread filter set to its event.

        An event the filter does not list is put first in its choices. The choices are worked
        out again here rather than sent by the page: a thousand of them would make this the
        one request larger than :data:`timeline.app.guard.CALLBACK_BODY_LIMIT`.
        """
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not ctx.triggered[0].get("value"):
            raise PreventUpdate
        dataset, _ = library.resolve(store)
        event_id = trigger.get("index")
        position = dataset.position_of(event_id) if isinstance(event_id, str) else None
        if position is None:
            raise PreventUpdate
        listed = thread_positions(dataset)
        if position in set(listed.tolist()):
            return event_id, no_update
        return event_id, [thread_option(dataset, position), *thread_options(dataset)]

    @app.callback(
        Output(ids.EXPORT_ALERT, "children", allow_duplicate=True),
        *(Input(i, "value") for i in FILTER_INPUTS),
        Input(ids.RESET, "n_clicks"),
        Input(ids.DATASET, "data"),
        prevent_initial_call=True,
    )
    def clear_export_message(*_: Any) -> None:
        return None  # an export's message is about a view that is gone

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Output(ids.EXPORT_ALERT, "children"),
        Input(ids.EXPORT_IMAGE, "n_clicks"),
        Input(ids.EXPORT_CSV, "n_clicks"),
        Input(ids.EXPORT_JSON, "n_clicks"),
        State(ids.EXPORT_FORMAT, "value"),
        State(ids.EXPORT_WIDTH, "value"),
        State(ids.EXPORT_HEIGHT, "value"),
        State(ids.EXPORT_SCALE, "value"),
        *(State(i, "value") for i in FILTER_INPUTS),
        State(ids.LANE_ORDER, "value"),
        State(ids.WINDOW, "data"),
        State(ids.CONNECTORS, "checked"),
        State(ids.SELECTED, "data"),
        State(ids.DATASET, "data"),
        prevent_initial_call=True,
    )
    def export(
        _image: Any, _csv: Any, _json: Any, image_format: Any, width: Any, height: Any, scale: Any, *rest: Any
    ) -> tuple[Any, Any]:
        *controls, order, stored_window, connectors, selected, store = rest
        fmt = {ids.EXPORT_CSV: "csv", ids.EXPORT_JSON: "json"}.get(str(ctx.triggered_id), image_format)
        if not isinstance(fmt, str):
            raise PreventUpdate
        dataset, _ = library.resolve(store)
        filters = filters_from(*controls, within=dataset)
        try:
            size = size_from_fields(width, height, scale) if fmt in IMAGE_FORMATS else IMAGE_DEFAULTS
            content = export_view(
                dataset,
                filters,
                fmt,
                size,
                window=view_window(stored_window),
                order=order if isinstance(order, str) else None,
                selected=selected_id(selected),
                connectors=connectors is not False,
            )
        except ExportUnavailableError as error:
            message = f"{error} Meanwhile, the chart toolbar's camera button downloads a PNG."
            return no_update, dmc.Alert(message, color="red", title="Export failed")
        except ValueError as error:
            return no_update, dmc.Alert(str(error), color="red", title="Export failed")
        name = f"{safe_filename(dataset.file_stem)}.{fmt}"
        payload = {
            "content": base64.b64encode(content).decode(),
            "filename": name,
            "type": MIME_TYPES[fmt],
            "base64": True,
        }
        return payload, None

    @app.callback(
        Output(ids.EXPORT_PRESET, "value"),
        Output(ids.EXPORT_WIDTH, "value"),
        Output(ids.EXPORT_HEIGHT, "value"),
        Output(ids.EXPORT_SCALE, "value"),
        Input(ids.EXPORT_PRESET, "value"),
        Input(ids.EXPORT_WIDTH, "value"),
        Input(ids.EXPORT_HEIGHT, "value"),
        Input(ids.EXPORT_SCALE, "value"),
        prevent_initial_call=True,
    )
    def export_size(preset: Any, width: Any, height: Any, scale: Any) -> tuple[Any, ...]:
        if ctx.triggered_id == ids.EXPORT_PRESET:
            if not isinstance(preset, str) or preset not in SIZE_PRESETS:
                raise PreventUpdate
            chosen = SIZE_PRESETS[preset]
            return no_update, chosen.width, chosen.height, chosen.scale
        try:
            typed = size_from_fields(width, height, scale)
        except ValueError:
            if any(v is None or v == "" for v in (width, height, scale)):
                return CUSTOM, no_update, no_update, no_update  # a cleared field is no preset
            raise PreventUpdate from None  # half-typed numbers ("-", "12.") are no size yet
        return preset_of(typed), no_update, no_update, no_update

    app.clientside_callback(  # type: ignore[no-untyped-call]
        "(opened, navbar) => ({...navbar, collapsed: {mobile: !opened}})",
        Output(ids.SHELL, "navbar"),
        Input(ids.NAV_TOGGLE, "opened"),
        State(ids.SHELL, "navbar"),
        prevent_initial_call=True,
    )

    app.clientside_callback(  # type: ignore[no-untyped-call]
        CHECK_UPLOAD_SIZE,
        Output(ids.UPLOAD_PENDING, "data"),
        Input(ids.UPLOAD, "contents"),
        State(ids.UPLOAD, "filename"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.DATASET, "data"),
        Output(ids.UPLOAD_ALERT, "children"),
        Output(ids.UPLOAD, "contents"),
        *(Output(i, "value", allow_duplicate=True) for i in FILTER_INPUTS),
        Output(ids.LANE_ORDER, "value", allow_duplicate=True),
        Output(ids.WINDOW, "data", allow_duplicate=True),
        Input(ids.UPLOAD_PENDING, "data"),
        Input(ids.USE_DEFAULT, "n_clicks"),
        State(ids.UPLOAD_DATE_ORDER, "value"),
        prevent_initial_call=True,
    )
    def receive_upload(pending: Any, _default: Any, date_order: Any) -> tuple[Any, ...]:
        # Emptying the drop zone lets the same file be dropped again, e.g. after going back
        # to the served data, and frees the browser's copy.
        if ctx.triggered_id == ids.USE_DEFAULT:
            store, alert = None, None
        elif not upload_shaped(pending):
            raise PreventUpdate  # not what the browser's size check writes: a hand-made request
        else:
            order = date_order if date_order in DATE_ORDERS else None
            store, alert = load_upload(pending, ReadOptions(date_order=order))
        if store is no_update:  # refused: the view stays as it was
            return store, alert, None, *(no_update,) * (len(FILTER_INPUTS) + 2)
        dataset, _ = library.resolve(store)
        return store, alert, None, *fresh_view(dataset)

    def load_upload(pending: dict[str, Any], options: ReadOptions) -> tuple[Any, Any]:
        name = str(pending.get("filename") or "upload")
        if "too_big" in pending or "contents" not in pending:
            size = int(pending.get("too_big", 0))
            return no_update, dmc.Alert(
                f"{name} is {size / 1_048_576:.1f} MB; files up to "
                f"{UPLOAD_LIMIT_BYTES // 1_048_576} MB can be uploaded. Your current view is unchanged.",
                color="red",
                title="File too large",
            )
        try:
            data = base64.b64decode(str(pending["contents"]).split(",", 1)[1])
            dataset = read_upload(data, name, options, UPLOAD_LIMIT_BYTES)
        except ValidationError as error:
            return no_update, problems_alert(f"{name} was not loaded; your current view is unchanged", error)
        except (ValueError, IndexError):
            return no_update, dmc.Alert(f"{name} could not be read.", color="red")
        token = library.add_upload(dataset)
        return {"token": token, "name": name}, loaded_alert(name, dataset)


def upload_shaped(pending: object) -> bool:
    """Whether ``pending`` is what the browser's size check (:data:`CHECK_UPLOAD_SIZE`) writes:
    a file name and either the file's data URL or its size in bytes when too big."""
    if not isinstance(pending, dict) or not isinstance(pending.get("filename", ""), str | None):
        return False
    if "too_big" in pending:
        size = pending["too_big"]
        return isinstance(size, int) and not isinstance(size, bool) and size >= 0
    return isinstance(pending.get("contents"), str)


def clicked_position(click: object) -> int | None:
    """The event a click on the chart points at: a marker's row position in the dataset."""
    if not isinstance(click, dict) or not isinstance(click.get("points"), list) or not click["points"]:
        return None
    point = click["points"][0]
    position = point.get("customdata") if isinstance(point, dict) else None
    if isinstance(position, list) and position:  # some traces wrap their customdata
        position = position[0]
    return position if isinstance(position, int) and not isinstance(position, bool) else None


def find_event(dataset: Dataset, *, event_id: str | None = None, position: int | None = None) -> int | None:
    """The row position of an event, by id or by position; None when there is no such event."""
    events = dataset.events
    if position is not None:
        return position if 0 <= position < len(events) else None
    if not event_id:
        return None
    found = np.flatnonzero((events["id"] == event_id).to_numpy())
    return int(found[0]) if len(found) else None


def event_panel(dataset: Dataset, position: int) -> list[Any]:
    """The detail panel's content for the event at ``position`` of a dataset (no loop over rows)."""
    events = dataset.events
    event = events.iloc[position].to_dict()
    links = dataset.links
    outgoing = [(relation, events.iloc[row].to_dict()) for relation, row in links.outgoing(position)]
    incoming = [(relation, events.iloc[row].to_dict()) for relation, row in links.incoming(position)]
    return detail_card(event, outgoing, incoming, resolved_date(event))


def still_shown(dataset: Dataset, position: int, filters: Filters) -> bool:
    """Whether the event at ``position`` passes ``filters``: the thread is the full dataset's,
    every other filter is asked of the one row (no pass over the table)."""
    if filters.thread:
        thread_of = dataset.position_of(filters.thread)
        if thread_of is None or position not in set(dataset.links.thread(thread_of).tolist()):
            return False
    one = Dataset(dataset.events.iloc[[position]], "one")
    return bool(len(matching(one, dataclasses.replace(filters, thread=""))))


def selected_id(stored: object) -> str:
    """The selected event's id from the page's store, or "" (anything odd selects nothing)."""
    if isinstance(stored, dict) and isinstance(stored.get("id"), str):
        return str(stored["id"])
    return ""


def next_of(event_ids: list[str], current: str) -> str:
    """The event a click on a passage selects: the first of its events, or the one after the
    selected one when the selected one rests on it too (so clicks step through them)."""
    if current in event_ids:
        return event_ids[(event_ids.index(current) + 1) % len(event_ids)]
    return event_ids[0] if event_ids else ""


THREAD_OPTIONS = 1_000
"""Events the thread filter lists: the most answered; any other is reached from its details."""


def thread_option(dataset: Dataset, position: int) -> dict[str, str]:
    """An event as a choice of the thread filter: its title, actor and date."""
    row = dataset.events.iloc[position]
    return {"value": str(row["id"]), "label": f"{row['title']} ({row['actor']}, {row['date_text'] or row['start']})"}


def thread_positions(dataset: Dataset) -> npt.NDArray[np.intp]:
    """The row positions of the thread filter's choices: events others link to, most linked
    first (at most :data:`THREAD_OPTIONS`), then in date order."""
    links = dataset.links
    if not len(links):
        return np.array([], dtype=np.intp)
    counts = np.bincount(links.target, minlength=links.rows)
    answered = np.flatnonzero(counts)
    busiest = answered[np.argsort(-counts[answered], kind="stable")][:THREAD_OPTIONS]
    lo = dataset.events["lo"].to_numpy()
    return busiest[np.argsort(lo[busiest], kind="stable")]


def thread_options(dataset: Dataset) -> list[dict[str, str]]:
    """The thread filter's choices (see :func:`thread_positions`)."""
    return [thread_option(dataset, int(p)) for p in thread_positions(dataset).tolist()]
