"""Every callback of the app, registered in one function. Each is a few lines that call
the plain functions of :mod:`timeline.query`, :mod:`timeline.figures` and
:mod:`timeline.export`."""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

import dash_mantine_components as dmc
from dash import ALL, Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from timeline.app import ids
from timeline.app.layout import UPLOAD_LIMIT_BYTES, detail_card
from timeline.app.state import Library
from timeline.dataset import Dataset, ReadOptions
from timeline.dates import DATE_ORDERS
from timeline.export import (
    IMAGE_DEFAULTS,
    IMAGE_FORMATS,
    MIME_TYPES,
    SIZE_PRESETS,
    ExportUnavailableError,
    ImageSize,
    export_view,
    preset_of,
    size_from_fields,
)
from timeline.figures import dataset_figure, resolved_date
from timeline.io import read_events
from timeline.query import Filters, apply_filters
from timeline.schema import KINDS, ValidationError, counted, split_ids

MAX_LISTED_PROBLEMS = 50

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
    actors: list[str] | None, kinds: list[str] | None, dates: list[str | None] | None, text: str | None
) -> Filters:
    """The dashboard's controls as :class:`Filters`.

    The controls send lists of text and ISO dates, but a hand-made request may send anything:
    a date that is not an ISO date sets no bound, and a choice that is not text is dropped.
    """

    def choices(values: object) -> tuple[str, ...]:
        return tuple(v for v in values if isinstance(v, str)) if isinstance(values, list | tuple) else ()

    def day(value: object) -> dt.date | None:
        try:
            return dt.date.fromisoformat(value[:10]) if isinstance(value, str) and value else None
        except ValueError:
            return None

    start, end = ([*(dates if isinstance(dates, list) else []), None, None])[:2]
    return Filters(
        actors=choices(actors),
        kinds=choices(kinds),
        start=day(start),
        end=day(end),
        text=text if isinstance(text, str) else "",
    )


def problems_alert(title: str, error: ValidationError) -> dmc.Alert:
    """A list of problems, as text, capped so a broken file cannot flood the page."""
    shown = error.problems[:MAX_LISTED_PROBLEMS]
    items = [dmc.ListItem(str(p)) for p in shown]
    more = len(error.problems) - len(shown)
    if more:
        items.append(dmc.ListItem(f"… and {more} more"))
    return dmc.Alert(dmc.List(items, size="sm"), title=title, color="red", className="problems")


def safe_filename(name: str) -> str:
    """A download name derived from the dataset's name, with nothing a file system dislikes."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", name.rsplit(".", 1)[0]).strip("-.")
    return stem or "timeline"


def register_callbacks(app: Dash, library: Library) -> None:
    """Wire the page to the data. ``library`` holds the served file and the uploads."""

    @app.callback(
        Output(ids.ACTORS, "data"),
        Output(ids.KINDS, "data"),
        Output(ids.ACTORS, "value"),
        Output(ids.KINDS, "value"),
        Output(ids.DATES, "value"),
        Output(ids.SEARCH, "value"),
        Output(ids.DATES, "minDate"),
        Output(ids.DATES, "maxDate"),
        Output(ids.DATASET_TITLE, "children"),
        Output(ids.DATA_ALERT, "children"),
        Input(ids.DATASET, "data"),
        Input(ids.RESET, "n_clicks"),
    )
    def load_dataset(store: dict[str, str] | None, _reset: int | None) -> tuple[Any, ...]:
        dataset, note = library.resolve(store)
        events = dataset.events
        actors = sorted(events["actor"].unique(), key=str.casefold)
        kinds = [k for k in KINDS if k in set(events["kind"])]
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
        title = dataset.title or dataset.name
        return (
            actors,
            kinds,
            [],
            [],
            [],
            "",
            events["lo"].min().date().isoformat(),
            events["hi"].max().date().isoformat(),
            title,
            alerts,
        )

    @app.callback(
        Output(ids.GRAPH, "figure"),
        Output(ids.COUNT, "children"),
        Output(ids.NO_MATCH, "hide"),
        Output(ids.GRAPH_BOX, "style"),
        Input(ids.ACTORS, "value"),
        Input(ids.KINDS, "value"),
        Input(ids.DATES, "value"),
        Input(ids.SEARCH, "value"),
        Input(ids.DATASET, "data"),
    )
    def draw(
        actors: list[str], kinds: list[str], dates: list[str | None], text: str, store: dict[str, str] | None
    ) -> tuple[Any, ...]:
        dataset, _ = library.resolve(store)
        filters = filters_from(actors, kinds, dates, text)
        events = apply_filters(dataset.events, filters)
        count = f"{len(events)} of {len(dataset.events)} events"
        if events.empty:
            return no_update, count, False, {"display": "none"}
        return dataset_figure(dataset, filters, filtered=events), count, True, {}

    @app.callback(
        Output(ids.DETAIL, "children"),
        Input(ids.GRAPH, "clickData"),
        Input({"type": ids.THREAD_LINK, "index": ALL}, "n_clicks"),
        State(ids.DATASET, "data"),
        prevent_initial_call=True,
    )
    def show_detail(click: dict[str, Any] | None, _links: list[int | None], store: dict[str, str] | None) -> list[Any]:
        trigger = ctx.triggered_id
        if isinstance(trigger, dict):  # a link to an answering or answered event
            if not ctx.triggered[0].get("value"):
                raise PreventUpdate  # the links were just drawn, not clicked
            event_id = str(trigger["index"])
        elif click and click.get("points"):
            event_id = str(click["points"][0].get("customdata"))
        else:
            raise PreventUpdate
        dataset, _ = library.resolve(store)
        return event_panel(dataset, event_id)

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
        State(ids.ACTORS, "value"),
        State(ids.KINDS, "value"),
        State(ids.DATES, "value"),
        State(ids.SEARCH, "value"),
        State(ids.DATASET, "data"),
        prevent_initial_call=True,
    )
    def export(
        _image: int | None,
        _csv: int | None,
        _json: int | None,
        image_format: str,
        width: float | str | None,
        height: float | str | None,
        scale: float | str | None,
        actors: list[str],
        kinds: list[str],
        dates: list[str | None],
        text: str,
        store: dict[str, str] | None,
    ) -> tuple[Any, Any]:
        fmt = {ids.EXPORT_CSV: "csv", ids.EXPORT_JSON: "json"}.get(str(ctx.triggered_id), image_format)
        dataset, _ = library.resolve(store)
        filters = filters_from(actors, kinds, dates, text)
        try:
            size = size_from_fields(width, height, scale) if fmt in IMAGE_FORMATS else IMAGE_DEFAULTS
            content = export_view(dataset, filters, fmt, size)
        except ExportUnavailableError as error:
            message = f"{error} Meanwhile, the chart toolbar's camera button downloads a PNG."
            return no_update, dmc.Alert(message, color="red", title="Export failed")
        except ValueError as error:
            return no_update, dmc.Alert(str(error), color="red", title="Export failed")
        name = f"{safe_filename(dataset.name)}.{fmt}"
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
    def export_size(preset: str, width: float | None, height: float | None, scale: float | None) -> tuple[Any, ...]:
        if ctx.triggered_id == ids.EXPORT_PRESET:
            if preset not in SIZE_PRESETS:
                raise PreventUpdate
            chosen = SIZE_PRESETS[preset]
            return no_update, chosen.width, chosen.height, chosen.scale
        typed = ImageSize(int(width or 0), int(height or 0), float(scale or 0))
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
        Input(ids.UPLOAD_PENDING, "data"),
        Input(ids.USE_DEFAULT, "n_clicks"),
        State(ids.UPLOAD_DATE_ORDER, "value"),
        prevent_initial_call=True,
    )
    def receive_upload(
        pending: dict[str, Any] | None, _default: int | None, date_order: str | None
    ) -> tuple[Any, Any, None]:
        # Emptying the drop zone lets the same file be dropped again, e.g. after going back
        # to the served data, and frees the browser's copy.
        if ctx.triggered_id == ids.USE_DEFAULT:
            return None, None, None
        if not pending:
            raise PreventUpdate
        order = date_order if date_order in DATE_ORDERS else None
        return (*load_upload(pending, ReadOptions(date_order=order)), None)

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
            dataset = read_events(data, name, options, max_bytes=UPLOAD_LIMIT_BYTES)
        except ValidationError as error:
            return no_update, problems_alert(f"{name} was not loaded; your current view is unchanged", error)
        except (ValueError, IndexError):
            return no_update, dmc.Alert(f"{name} could not be read.", color="red")
        token = library.add_upload(dataset)
        return {"token": token, "name": name}, dmc.Alert(
            f"Showing {name}: {counted(len(dataset.events), 'event')}. Only this browser tab sees it.", color="green"
        )


def event_panel(dataset: Dataset, event_id: str) -> list[Any]:
    """The detail panel's content for one event of a dataset."""
    events = dataset.events
    match = events[events["id"] == event_id]
    if match.empty:
        raise PreventUpdate
    event = match.iloc[0].to_dict()
    by_id = events.set_index("id", drop=False)
    answers = [by_id.loc[i].to_dict() for i in split_ids(event["responds_to"]) if i in by_id.index]
    answered_by = [row for row in events.to_dict(orient="records") if event_id in split_ids(row["responds_to"])]
    return detail_card(event, answers, answered_by, resolved_date(event))
