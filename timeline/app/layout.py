"""The page: filters and export on the left, the chart and the event's details on the right."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import dash_mantine_components as dmc
from dash import dcc, html

from timeline.app import article, eventlist, ids, theme, urlstate
from timeline.export import CUSTOM, IMAGE_DEFAULTS, IMAGE_FORMATS, MAX_SCALE, MAX_SIDE, MIN_SCALE, MIN_SIDE, preset_of
from timeline.figures import KEY_GROUPS, status_words
from timeline.schema import STATUSES
from timeline.sources import seed_index, source_parts
from timeline.threads import Relation
from timeline.view import LANE_ORDERS

UPLOAD_LIMIT_BYTES = 5 * 1024 * 1024
"""Largest file a browser may upload."""

ACTOR_OPTIONS_SHOWN = 200
"""Options the actor and target lists show at once; typing narrows them (thousands of actors)."""

GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    # The toolbar's camera downloads a PNG at print resolution (3x the screen size).
    "toImageButtonOptions": {"format": "png", "filename": "timeline", "scale": 3},
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
}


def _section(label: str) -> dmc.Text:
    return dmc.Text(label, size="xs", fw=700, c="dimmed", tt="uppercase", mt="sm")


def _choices(component: str, label: str, placeholder: str, **options: Any) -> dmc.MultiSelect:
    """A filter of several choices (its options come with the data)."""
    return dmc.MultiSelect(
        id=component,
        label=label,
        placeholder=placeholder,
        data=[],
        value=[],
        clearable=True,
        hidePickedOptions=True,
        **options,
    )


def year_fields() -> dmc.Stack:
    """The date range of data reaching before AD 1, which the date picker cannot show: two
    fields taking any date form (see :mod:`timeline.app.years`); hidden for other data."""
    return dmc.Stack(
        [
            dmc.Text("Date range", size="sm", fw=500),
            dmc.Group(
                [
                    dmc.TextInput(id=ids.YEAR_FROM, label="From", placeholder="500 BC", value="", debounce=True),
                    dmc.TextInput(id=ids.YEAR_TO, label="To", placeholder="AD 14", value="", debounce=True),
                ],
                grow=True,
                gap="xs",
                align="flex-start",
            ),
            dmc.Text("Any date, BC too: 44 BC, AD 14, c. 383", size="xs", c="dimmed"),
        ],
        id=ids.YEARS,
        gap=4,
        style={"display": "none"},
    )


def filters_panel(lane_order: str = "count") -> list[Any]:
    """Filter controls, the lane order, the live count and the reset button."""
    return [
        _section("Filter"),
        _choices(ids.ACTORS, "Actors", "All actors", searchable=True, limit=ACTOR_OPTIONS_SHOWN),
        _choices(ids.TARGETS, "Targets", "Any target", searchable=True, limit=ACTOR_OPTIONS_SHOWN),
        _choices(ids.KINDS, "Kinds", "All kinds"),
        _choices(ids.STATUSES, "Claim status", "Any status"),
        dmc.Select(
            id=ids.THREAD,
            label="Thread",
            placeholder="All threads",
            description="One event with what it answers and what answers it",
            data=[],
            value=None,
            searchable=True,
            clearable=True,
            limit=ACTOR_OPTIONS_SHOWN,
            nothingFoundMessage="No such event",
        ),
        dmc.DatePickerInput(
            id=ids.DATES,
            label="Date range",
            type="range",
            value=[],
            placeholder="Any date",
            clearable=True,
            allowSingleDateInRange=True,
            valueFormat="D MMM YYYY",
        ),
        year_fields(),
        dmc.Select(
            id=ids.LANE_ORDER,
            label="Order lanes by",
            data=[{"label": label, "value": value} for value, label in LANE_ORDERS.items()],
            value=lane_order,
            allowDeselect=False,
        ),
        dmc.Switch(id=ids.CONNECTORS, label="Draw links between events", checked=True, size="sm", mt=4),
        dmc.TextInput(
            id=ids.SEARCH,
            label="Text",
            placeholder="Words in titles, quotes, sources",
            value="",
            debounce=300,
        ),
        dmc.Group(
            [
                dmc.Badge(id=ids.COUNT, children="", size="lg", variant="light"),
                dmc.Button("Reset", id=ids.RESET, variant="subtle", size="xs"),
            ],
            justify="space-between",
            mt="xs",
        ),
    ]


WHOLE_PIXELS: dict[str, Any] = {"allowNegative": False, "allowDecimal": False, "clampBehavior": "blur"}
"""The export's width and height take digits only, as they are typed ("-" and "12." cannot be
typed), and a number out of range is brought into it when the field loses focus. Not
``clampBehavior="strict"``: it refuses every first digit below the minimum, so "1200" could
not be typed from its "1"."""


def export_panel() -> list[Any]:
    """Image and data downloads of the current view."""
    return [
        _section("Export this view"),
        dmc.SegmentedControl(
            id=ids.EXPORT_FORMAT,
            value="png",
            fullWidth=True,
            data=[{"label": f.upper(), "value": f} for f in IMAGE_FORMATS],
        ),
        dmc.SegmentedControl(
            id=ids.EXPORT_PRESET,
            value=preset_of(IMAGE_DEFAULTS),
            fullWidth=True,
            size="xs",
            data=[
                {"label": "Slide 16:9", "value": "slide"},
                {"label": "A4 landscape", "value": "a4"},
                {"label": "Custom", "value": CUSTOM},
            ],
        ),
        dmc.Group(
            [
                dmc.NumberInput(
                    id=ids.EXPORT_WIDTH,
                    label="Width px",
                    value=IMAGE_DEFAULTS.width,
                    min=MIN_SIDE,
                    max=MAX_SIDE,
                    step=50,
                    w=92,
                    **WHOLE_PIXELS,
                ),
                dmc.NumberInput(
                    id=ids.EXPORT_HEIGHT,
                    label="Height px",
                    value=IMAGE_DEFAULTS.height,
                    min=MIN_SIDE,
                    max=MAX_SIDE,
                    step=50,
                    w=92,
                    **WHOLE_PIXELS,
                ),
                dmc.NumberInput(
                    id=ids.EXPORT_SCALE,
                    label="Scale",
                    value=IMAGE_DEFAULTS.scale,
                    min=MIN_SCALE,
                    max=MAX_SCALE,
                    step=0.5,
                    decimalScale=1,
                    w=64,
                    allowNegative=False,
                    clampBehavior="blur",
                ),
            ],
            gap="xs",
            grow=True,
        ),
        dmc.Button("Download image", id=ids.EXPORT_IMAGE, fullWidth=True, variant="filled"),
        dmc.Group(
            [
                dmc.Button("Events CSV", id=ids.EXPORT_CSV, variant="outline", size="xs"),
                dmc.Button("Events JSON", id=ids.EXPORT_JSON, variant="outline", size="xs"),
            ],
            grow=True,
        ),
        html.Div(id=ids.EXPORT_ALERT),
        dcc.Download(id=ids.DOWNLOAD),
    ]


AUTO_ORDER = "auto"
"""Read all-numeric dates such as 03/04/2024 only when they are unambiguous."""


def data_panel() -> list[Any]:
    """Upload your own file, or go back to the served data."""
    limit_mb = UPLOAD_LIMIT_BYTES // (1024 * 1024)
    return [
        _section("Data"),
        # A label around the drop zone names its file input for screen readers (dcc.Upload takes no aria-label).
        html.Label(
            dcc.Upload(
                id=ids.UPLOAD,
                children=dmc.Stack(
                    [
                        dmc.Text("Drop an events file here or click", size="sm"),
                        dmc.Text(
                            f"CSV, TSV, JSON, TimelineJS, Excel, Parquet · up to {limit_mb} MB",
                            size="xs",
                            c="dimmed",
                        ),
                    ],
                    gap=2,
                    align="center",
                ),
                className="upload-zone",
                multiple=False,
            ),
            className="upload-label",
        ),
        dmc.SegmentedControl(
            id=ids.UPLOAD_DATE_ORDER,
            value=AUTO_ORDER,
            fullWidth=True,
            size="xs",
            data=[
                {"label": "Dates: auto", "value": AUTO_ORDER},
                {"label": "day/month", "value": "dmy"},
                {"label": "month/day", "value": "mdy"},
            ],
        ),
        dcc.Store(id=ids.UPLOAD_PENDING, storage_type="memory"),
        html.Div(id=ids.UPLOAD_ALERT),
        *article.nav_tools(),
        dmc.Button("Back to the served data", id=ids.USE_DEFAULT, variant="subtle", size="xs", fullWidth=True),
    ]


DETAIL_PLACEHOLDER = dmc.Text("Click an event on the chart to read its words and source.", c="dimmed", size="sm")

NAVBAR: dict[str, Any] = {"width": 300, "breakpoint": "md", "collapsed": {"mobile": True}}


def build_layout(lane_order: str = "count") -> dmc.MantineProvider:
    """The whole page, its lanes first ordered by ``lane_order`` (the served dataset's). The
    session's dataset is held in session storage (per browser tab)."""
    navbar = dmc.AppShellNavbar(
        dmc.ScrollArea(
            dmc.Stack([*filters_panel(lane_order), *export_panel(), *data_panel()], gap="xs"),
            type="auto",
            offsetScrollbars=True,
        ),
        p="md",
    )
    main = dmc.AppShellMain(
        html.Div(
            [
                html.Div(
                    [
                        html.Div(id=ids.DATA_ALERT),
                        dmc.Alert(
                            "No event matches these filters. Loosen them, or press Reset.",
                            id=ids.NO_MATCH,
                            title="Nothing to show",
                            color="yellow",
                            hide=True,
                        ),
                        dmc.Text(id=ids.VIEW_NOTE, size="sm", c="orange.9", className="view-note"),
                        html.Div(
                            dcc.Graph(id=ids.GRAPH, config=cast(Any, GRAPH_CONFIG), style={"height": "420px"}),
                            id=ids.GRAPH_BOX,
                        ),
                        html.Div(
                            id=ids.LEGEND,
                            className="legend",
                            role="list",
                            **cast(dict[str, Any], {"aria-label": "Legend"}),
                        ),
                        dmc.Text(id=ids.SOURCE_LINE, size="xs", c="dimmed", className="source-line"),
                    ],
                    className="chart-column",
                ),
                dmc.Paper(
                    [
                        dmc.Group(
                            [
                                dmc.Title("Event", order=2, fz="xs", fw=700, c="dimmed", tt="uppercase"),
                                dmc.Button(
                                    "Clear selection", id=ids.CLEAR_SELECTION, variant="subtle", size="compact-xs"
                                ),
                            ],
                            justify="space-between",
                        ),
                        html.Div(DETAIL_PLACEHOLDER, id=ids.DETAIL),
                    ],
                    withBorder=True,
                    p="md",
                    radius="md",
                    className="detail-panel",
                ),
                *article.panel(),
                *eventlist.panel(),
                html.Div(id=ids.PROVENANCE, className="provenance"),
            ],
            id=ids.VIEW,
            className="view",
        )
    )
    header = dmc.AppShellHeader(
        dmc.Group(
            [
                dmc.Group(
                    [
                        dmc.Burger(
                            id=ids.NAV_TOGGLE,
                            opened=False,
                            size="sm",
                            hiddenFrom="md",
                            **{"aria-label": "Show or hide the filters"},
                        ),
                        dmc.Title("timeline", order=1, size="h3"),  # the page's one h1 (axe)
                        dmc.Text(id=ids.DATASET_TITLE, c="dimmed", size="sm", truncate="end"),
                    ],
                    gap="md",
                ),
                dmc.Group(
                    [
                        dmc.Text("Who said and did what, and when", size="sm", c="dimmed", visibleFrom="md"),
                        *article.header_tools(),
                        *urlstate.header_tools(),
                        *theme.header_tools(),
                    ],
                    gap="sm",
                ),
            ],
            justify="space-between",
            h="100%",
            px="md",
        )
    )
    return dmc.MantineProvider(
        [
            dcc.Store(id=ids.DATASET, storage_type="session"),
            dcc.Store(id=ids.VIEWPORT, storage_type="memory"),
            dcc.Store(id=ids.WINDOW, storage_type="memory"),
            dcc.Store(id=ids.SELECTED, storage_type="memory"),
            *urlstate.components(),
            *eventlist.components(),
            *theme.components(),
            dmc.AppShell(
                [header, navbar, main],
                id=ids.SHELL,
                header={"height": 52},
                # Below the md breakpoint the filters fold away behind the header's burger.
                navbar=NAVBAR,
                padding="md",
            ),
        ],
        theme={"fontFamily": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "primaryColor": "indigo"},
        id=PROVIDER,
    )


PROVIDER = "mantine-provider"


SYMBOL_GLYPHS = {
    "circle": "●",
    "circle-open": "○",
    "square": "■",
    "square-open": "□",
    "diamond": "◆",
    "x": "✖",
    "triangle-up": "▲",
    "hexagon": "⬢",
    "line": "▬",
    "line-dash": "╌╌",
    "line-dot": "┈┈",
    "ring": "◯",
}
"""How each legend symbol of the chart is written in the page's legend."""


def legend_row(entries: Sequence[Mapping[str, str]]) -> list[Any]:
    """The chart's legend as a row of labelled symbols that wraps with the page (text, never markup)."""
    items: list[Any] = []
    group = None
    heading: Any = None
    for entry in entries:
        glyph = html.Span(
            SYMBOL_GLYPHS.get(entry["symbol"], "●"),
            style={"color": entry["color"]},
            **cast(dict[str, Any], {"aria-hidden": "true"}),
        )
        item = html.Span([glyph, " ", entry["name"]], className="legend-item", role="listitem")
        if entry["group"] != group:
            group = entry["group"]
            heading = html.Span(KEY_GROUPS.get(group, group), className="legend-group")
            # A group's heading never ends a line alone: it stays with its first entry.
            items.append(html.Span([heading, item], className="legend-lead"))
            continue
        items.append(item)
    return items


def _field(label: str, value: Any) -> dmc.Stack:
    return dmc.Stack([dmc.Text(label, size="xs", c="dimmed", fw=600), value], gap=0)


def _linked_events(linked: Sequence[Mapping[Any, Any]]) -> dmc.Stack:
    return dmc.Stack(
        [
            dmc.Button(
                f"{e['title']} ({e['actor']}, {e['date_text'] or e['start']})",
                id={"type": ids.THREAD_LINK, "index": str(e["id"])},
                variant="subtle",
                size="compact-sm",
                justify="start",
                styles={"label": {"whiteSpace": "normal", "textAlign": "left"}},
                h="auto",
            )
            for e in linked
        ],
        gap=2,
        align="flex-start",
    )


def _source_text(source: str, component_id: str) -> dmc.Text:
    """A source cell in words, its URLs as links that open apart from the app."""
    pieces = [
        html.A(text, href=link, target="_blank", rel="noopener noreferrer") if link else text
        for text, link in source_parts(source, seed_index())
    ]
    return dmc.Text(pieces or "—", size="sm", id=component_id)


def detail_card(
    event: Mapping[Any, Any],
    outgoing: Sequence[tuple[Relation, Mapping[Any, Any]]],
    incoming: Sequence[tuple[Relation, Mapping[Any, Any]]],
    resolved: str,
) -> list[Any]:
    """The detail panel for one event. Every user string is a text child: never markup."""
    who = event["actor"] + (f" · {event['organisation']}" if event["organisation"] else "")
    parts: list[Any] = [
        dmc.Group(
            [
                dmc.Badge(event["kind"], variant="light"),
                dmc.Badge(event["side"] or "no side", variant="outline", color="gray"),
                *(
                    [
                        dmc.Badge(
                            event["status"], variant="dot", color=STATUS_BADGES[event["status"]], id="detail-status"
                        )
                    ]
                    if event.get("status") in STATUS_BADGES
                    else []
                ),
            ],
            gap="xs",
        ),
        dmc.Title(event["title"], order=3, size="h4", id="detail-title"),
        dmc.Text(who, fw=500, id="detail-actor"),
        *([dmc.Text(f"→ {event['target']}", size="sm", id="detail-target")] if event.get("target") else []),
        dmc.SimpleGrid(
            [
                _field(
                    "Date as the source phrased it",
                    dmc.Text(event["date_text"] or "—", id="detail-date-text"),
                ),
                _field("Resolved date", dmc.Text(resolved, id="detail-resolved")),
                _field(
                    "Precision",
                    dmc.Text(
                        event["precision"] + (", approximate" if event["approximate"] else ""),
                        id="detail-precision",
                    ),
                ),
            ],
            cols=3,
        ),
    ]
    if event.get("status"):
        status = [dmc.Text(status_words(str(event["status"]), str(event["status_by"])), size="sm", fw=500)]
        if event.get("status_source"):
            status.append(_source_text(str(event["status_source"]), "detail-status-source"))
        parts.append(_field("Claim status", dmc.Stack(status, gap=2, id="detail-claim-status")))
    groups: dict[str, list[Mapping[Any, Any]]] = {}
    for relation, linked in outgoing:
        groups.setdefault(relation.label, []).append(linked)
    for relation, linked in incoming:
        groups.setdefault(relation.inverse, []).append(linked)
    for label, linked_events in groups.items():
        parts.append(_field(label, _linked_events(linked_events)))
    if outgoing or incoming:
        parts.append(
            dmc.Button(
                "Show this thread only",
                id={"type": ids.SHOW_THREAD, "index": str(event["id"])},
                variant="light",
                size="xs",
            )
        )
    if event["summary"]:
        parts.append(_field("Summary", dmc.Text(event["summary"], id="detail-summary")))
    if event["quote"]:
        parts.append(dmc.Blockquote(event["quote"], id="detail-quote", p="sm"))
    if event["source_text"]:
        parts.append(_field("Source sentence", dmc.Text(event["source_text"], fs="italic", id="detail-source-text")))
    parts.append(_field("Source", _source_text(str(event["source"]), "detail-source")))
    return [dmc.Stack(parts, gap="xs")]


STATUS_BADGES = dict(zip(STATUSES, ("gray", "orange", "teal", "red"), strict=True))
"""The colour of each claim status's badge in the details (as its ring on the chart)."""
