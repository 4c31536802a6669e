"""A view -> a Plotly figure as plain data: one lane per actor, grouped by side. Pure: no Dash.

The dashboard, the CLI and the exporter all draw through :func:`view_figure` (and
:func:`dataset_figure`, which builds the view first), so the chart exported from the command
line is the chart the dashboard shows for the same filters.

The figure is a dict of traces and layout holding numpy arrays, never ``go.Figure`` objects
validated point by point; :func:`transport` turns its arrays into Plotly's typed-array form
for the browser. How the chart reads:

- a filled marker is an event dated to the day; its shape is the kind, its colour the side;
- a hollow marker over a hatched band is a loosely dated event (known to the month or
  year, or approximate): the band covers every day it may have happened on;
- a solid bar is a span (an event with an end), its marker at the start;
- a thin line runs from an event to its target's lane;
- an arrowed connector runs from an event to the event it answers, denies, confirms, reports
  on or refers to, coloured and dashed by the relation (:data:`timeline.threads.RELATIONS`);
  a ring around a marker is its claim status;
- a selected event's thread stays bright and the rest of the chart fades;
- when more events are in view than can be drawn one by one, each lane shows how many fall
  in each time bin, and the folded lane does so for the actors that did not fit.
"""

from __future__ import annotations

import base64
import calendar
import dataclasses
import datetime as dt
import functools
import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from timeline.colors import OTHER_COLOR, rgba
from timeline.dataset import Dataset, Era
from timeline.dates import DateWindow, PartialDate, day_text, historical_year, parse_date_window
from timeline.engine import DAY_MS
from timeline.query import CROWDING, Filters, ViewRequest, build_view, tallest_stack
from timeline.schema import STATUSES, shorten
from timeline.threads import RELATIONS
from timeline.view import Connectors, Density, Highlight, Lane, Marks, View

EVENT_TRACE = "events"
"""``meta`` of the traces that hold one marker per event (and nothing else)."""
DENSITY_TRACE = "density"
"""``meta`` of the traces that count events per bin."""

KIND_SYMBOLS: dict[str, str] = {
    "action": "circle",
    "statement": "square",
    "claim": "diamond",
    "denial": "x",
    "report": "triangle-up",
    "event": "hexagon",
}
SYMBOL_CODES: dict[str, int] = {"circle": 0, "square": 1, "diamond": 2, "x": 4, "triangle-up": 5, "hexagon": 14}
"""Plotly's number for each symbol; ``+ 100`` is its hollow form."""
OPEN = 100
GL_FROM = 1_000
"""From this many markers on, they are drawn with WebGL (``scattergl``) instead of SVG."""
LANE_HEIGHT = 40
"""Pixels per lane when every lane fits; more when markers stack on one day."""
MIN_LANE_HEIGHT = 22
"""The thinnest lane: when the window is full, further lanes fold into one."""
STACK_ROOM = 6
"""Pixels added to every lane's height for each marker in the tallest same-day stack."""
CHROME = 190
"""Pixels of a chart that are not lanes: title, legend, axis and margins."""
LABEL_LENGTH = 32
"""Longest lane label; longer names are cut with an ellipsis (the hover shows them whole)."""
FONT = "Inter, Segoe UI, Helvetica, Arial, sans-serif"
GREY = "#555"


def text(value: str) -> str:
    """User text made safe for Plotly labels: shown as written, never read as markup."""
    return html.escape(value, quote=False)


def _cut(name: str) -> str:
    return name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1].rstrip() + "…"


def resolved_date(row: Mapping[Any, Any]) -> str:
    """The resolved date in words: ``24 February 2022``, ``around February 2022``,
    ``some time February 2022 – October 2022``."""
    return _resolved(str(row["start"]), str(row["end"] or ""), bool(row["approximate"]))


@functools.lru_cache(maxsize=65536)
def _resolved(start_text: str, end_text: str, approximate: bool) -> str:
    start = parse_date_window(start_text)
    end = parse_date_window(end_text) if end_text else None
    early = bool(start.lo < np.datetime64("1000-01-01"))  # "AD 80", not a bare "80"
    words = _window_words(start, start.first, early)
    if end is not None:
        words = f"{words} – {_window_words(end, end.last, early)}"
    if approximate and not start.open:
        words = f"around {words}" if end is None else f"some time {words}"
    return words


def _window_words(window: DateWindow, date: PartialDate, early: bool) -> str:
    """``before 400 BC``, ``present``, ``AD 80``, ``24 February 2022``."""
    if window.open == "present":
        return "present"
    named = window.named or date
    words = named.human()
    if early and named.year >= 1:
        words = words.removesuffix(str(named.year)) + f"AD {named.year}"
    return f"{window.open} {words}" if window.open else words


STATUS_STYLES: dict[str, tuple[str, float]] = {
    "unverified": ("#8A8A8A", 1.5),
    "disputed": ("#E69F00", 2.5),
    "confirmed": ("#009E73", 2.5),
    "false": ("#D55E00", 3.0),
}
"""Ring colour and width of each claim status (Okabe-Ito colours, told apart by colour-blind readers)."""
STATUS_WORDS = {"unverified": "Unverified", "disputed": "Disputed", "confirmed": "Confirmed", "false": "False"}
DIMMED = 0.16
"""Opacity of what lies outside a selected event's thread."""
KIND_VERBS = {"claim": "claims", "statement": "says", "denial": "denies", "report": "reports"}
"""How a connector's hover says what the event it points at did (an action is just named)."""


def status_words(status: str, by: str) -> str:
    """``Disputed by Elon Musk``, ``Unverified``: a claim status in words, in its giver's voice."""
    if not status:
        return ""
    words = STATUS_WORDS.get(status, status)
    return f"{words} by {by}" if by else words


def connector_hovers(sources: pd.DataFrame, targets: pd.DataFrame, relations: np.ndarray) -> list[str]:
    """The hover of each connector: ``Elon Musk denies “…” → GUR claims “…”``."""
    out = []
    for (actor, title), (target_actor, kind, target_title), code in zip(
        zip(sources["actor"].tolist(), sources["title"].tolist(), strict=True),
        zip(targets["actor"].tolist(), targets["kind"].tolist(), targets["title"].tolist(), strict=True),
        relations.tolist(),
        strict=True,
    ):
        verb = RELATIONS[code].verb
        said = KIND_VERBS.get(kind, "")
        out.append(
            f"<b>{text(actor)} {verb}</b> “{text(shorten(title, 70))}”<br>"
            f"→ <b>{text(target_actor)}{' ' + said if said else ''}</b> “{text(shorten(target_title, 70))}”"
        )
    return out


BRIEF_HOVER_FROM = GL_FROM
"""From this many markers on, a hover is brief (title cut short, resolved date): the lane
names the actor, a click shows the rest, and the view stays light to send."""
BRIEF_TITLE = 60


def hover_texts(events: pd.DataFrame) -> list[str]:
    """The hover of each event: title, date as phrased and resolved, actor (and target);
    briefer when there are many (see :data:`BRIEF_HOVER_FROM`)."""
    brief = len(events) >= BRIEF_HOVER_FROM
    targets = events["target"].tolist() if "target" in events else [""] * len(events)
    columns = (events[c].tolist() for c in ("title", "date_text", "actor", "start", "end", "approximate"))
    statuses = zip(events["status"].tolist(), events["status_by"].tolist(), strict=True)
    reviews = iter(events["review"].tolist()) if "review" in events else None
    out = []
    for (title, date_text, actor, start, end, approximate), target, (status, by) in zip(
        zip(*columns, strict=True), targets, statuses, strict=True
    ):
        resolved = _resolved(start, end, bool(approximate))
        assessed = f"<br><i>{text(status_words(status, '' if brief else by))}</i>" if status else ""
        assessed += UNREVIEWED_HOVER if reviews is not None and next(reviews) == UNREVIEWED else ""
        if brief:
            out.append(f"<b>{text(shorten(title, BRIEF_TITLE))}</b><br>{text(resolved)}{assessed}")
            continue
        date = f"{text(date_text)} <i>({text(resolved)})</i>" if date_text else text(resolved)
        who = text(actor) + (f" → {text(target)}" if target else "")
        out.append(f"<b>{text(title)}</b><br>{date}<br>{who}{assessed}")
    return out


def rows_that_fit(height: int) -> int:
    """How many lanes a chart of ``height`` pixels holds at the thinnest."""
    return max(2, (height - CHROME) // MIN_LANE_HEIGHT)


def chart_height(view: View, available: int | None) -> int:
    """The chart's height: its lanes at full height, but never taller than ``available``."""
    lane = LANE_HEIGHT + STACK_ROOM * (min(tallest_stack(view.marks), 5) - 1)
    wanted = CHROME + lane * max(len(view.lanes), 1)
    return wanted if available is None else max(min(wanted, available), 260)


def dataset_figure(
    dataset: Dataset,
    filters: Filters,
    *,
    title: str | None = None,
    window: tuple[int, int] | None = None,
    order: str | None = None,
    height: int | None = None,
    bins: int | None = None,
    credit: bool = True,
    legend: str = "right",
    selected: str = "",
    connectors: bool = True,
) -> dict[str, Any]:
    """The chart of a dataset under filters, as the dashboard shows it and exports draw it.

    Args:
        title: the chart's title; None: the dataset's; "": none (the page names the dataset).
        window, order: the zoom and the lane order (see :func:`dataset_view`).
        height: the chart's room in pixels; None: as tall as its lanes.
        bins: about how many time bins fit across the chart.
        credit: print the dataset's source line under the chart.
        legend: ``right`` (a column beside the plot, for pages) or ``none`` (the dashboard
            draws :func:`legend_entries` above the chart, where they wrap).
        selected: the id of a selected event, whose thread stays bright while the rest fades.
        connectors: draw the relations between events.
    """
    view = dataset_view(
        dataset,
        filters,
        window=window,
        order=order,
        height=height,
        bins=bins,
        selected=selected,
        connectors=connectors,
    )
    title = title if title is not None else (dataset.title or dataset.name)
    return view_figure(
        view,
        title=title,
        subtitle=f"{filters.describe(dataset)} · {view.matched:,} of {view.total:,} events" if title else "",
        credit=dataset.credit_line if credit else "",
        eras=dataset.eras,
        height=chart_height(view, height),
        legend=legend,
        ticks=min(MOST_TICKS, max(4, bins // 20)) if bins else MOST_TICKS,
        unreviewed=unreviewed_marks(dataset, view),
    )


def unreviewed_marks(dataset: Dataset, view: View) -> np.ndarray | None:
    """Per drawn mark, whether it is a candidate nobody has reviewed yet (its ``review`` cell is
    ``unreviewed``: an article's, see :mod:`timeline.app.article`); None when no mark is one."""
    if view.marks is None or not len(view.marks) or "review" not in dataset.events:
        return None
    flags: np.ndarray = (dataset.events["review"] == UNREVIEWED).to_numpy(dtype=bool)[view.marks.positions]
    return flags if flags.any() else None


def dataset_view(
    dataset: Dataset,
    filters: Filters,
    *,
    window: tuple[int, int] | None = None,
    order: str | None = None,
    height: int | None = None,
    bins: int | None = None,
    selected: str = "",
    connectors: bool = True,
) -> View:
    """The view of a dataset for a chart of ``height`` pixels (None: as tall as its lanes)."""
    request = ViewRequest(
        filters=filters,
        window=window,
        order=order or dataset.lane_order,
        rows=rows_that_fit(height) if height else 10_000,
        crowding=CROWDING if height else None,
        selected=selected,
        connectors=connectors,
        **({"bins": bins} if bins else {}),
    )
    return build_view(dataset, request)


def timeline_figure(
    events: pd.DataFrame, *, title: str = "", eras: Sequence[Era] = (), **options: Any
) -> dict[str, Any]:
    """The chart of a bare event table (no filters): every actor gets a lane."""
    dataset = Dataset(events, "events", title=title, eras=tuple(eras))
    return dataset_figure(dataset, Filters(), title=title, credit=False, **options)


def view_figure(
    view: View,
    *,
    title: str = "",
    subtitle: str = "",
    credit: str = "",
    eras: Sequence[Era] = (),
    height: int | None = None,
    legend: str = "right",
    ticks: int | None = None,
    unreviewed: np.ndarray | None = None,
) -> dict[str, Any]:
    """Draw a view. Traces: bands and bars, connectors, markers, density, then the legend's keys.

    ``ticks``: most ticks on a year axis (fewer on a narrow chart; default :data:`MOST_TICKS`)."""
    traces: list[dict[str, Any]] = []
    review_keys: list[KeyEntry] = []
    if view.marks is not None and len(view.marks):
        traces += _marks(view.marks, view.colors, view.connectors, view.highlight, view.window)
        if unreviewed is not None and unreviewed.any():  # an article's candidates, not yet reviewed
            traces.append(_review_ring(view.marks, unreviewed))
            review_keys.append(KeyEntry("review", "unreviewed candidate", UNREVIEWED_COLOR, "square-open"))
    if view.density is not None and view.density.total:
        traces += _density(view.density, view.lanes, view.colors, years=uses_year_axis(view.window))
    if legend == "right":  # the legend's entries are traces of their own; the page draws its own legend
        traces += _key(view, review_keys)
    note = view_note(view)
    if note and title:
        subtitle = f"{subtitle} · {note}" if subtitle else note
    layout = _layout(view, title=title, subtitle=subtitle, credit=credit, eras=eras, ticks=ticks or MOST_TICKS)
    layout["meta"]["note"] = note
    layout["height"] = height or chart_height(view, None)
    layout["showlegend"] = legend == "right"
    layout["meta"]["legend"] = [dataclasses.asdict(entry) for entry in [*legend_entries(view), *review_keys]]
    if legend == "right":
        layout["height"] = max(layout["height"], 170 + legend_height({"data": traces}))
    return {"data": traces, "layout": layout}


def view_note(view: View) -> str:
    """What a reader must know to read the view right: that it shows counts, not events."""
    if view.mode != "aggregated":
        return ""
    return f"aggregated: {view.in_view:,} events in view, zoom in to see each event"


def _symbols(marks: Marks) -> np.ndarray:
    codes = np.array([SYMBOL_CODES[KIND_SYMBOLS.get(k, "circle")] for k in marks.kind], dtype=np.int16)
    out: np.ndarray = codes + np.where(marks.loose, OPEN, 0).astype(np.int16)
    return out


def _opacity(highlight: Highlight | None, count: int) -> np.ndarray | None:
    """Each mark's opacity when a thread is highlighted (None: all opaque)."""
    if highlight is None or not highlight.dims:
        return None
    opacity: np.ndarray = np.where(highlight.in_thread[:count], 1.0, DIMMED).astype(np.float32)
    return opacity


def _marks(
    marks: Marks,
    colors: Mapping[str, str],
    connectors: Connectors | None = None,
    highlight: Highlight | None = None,
    window: tuple[int, int] = (0, 0),
) -> list[dict[str, Any]]:
    gl = len(marks) >= GL_FROM
    scatter = "scattergl" if gl else "scatter"
    symbols = _symbols(marks)
    hover = np.array(marks.hover, dtype=object)
    opacity = _opacity(highlight, len(marks))
    bands: list[dict[str, Any]] = []
    points: list[dict[str, Any]] = []
    open_start, open_end, ongoing = _open_sides(marks)
    fading = open_start | open_end
    for side in dict.fromkeys(marks.side.tolist()):
        color = colors.get(side, OTHER_COLOR)
        of_side = marks.side == side
        for hatched in (False, True):
            chosen = of_side & (marks.loose & ~fading if hatched else (marks.span & ~marks.loose))
            if chosen.any():
                bands.append(_bars(marks, chosen, color, hatched=hatched, gl=gl, opacity=opacity))
        if (of_side & (fading | ongoing)).any():
            bands += _fading(marks, of_side, color, open_start, open_end, ongoing, window, gl)
        if gl:
            continue  # one WebGL trace holds every side's markers (below): each trace costs a draw
        points.append(
            {
                "type": scatter,
                "x": marks.at[of_side].astype(np.float64),
                "y": marks.y[of_side],
                "mode": "markers",
                "name": text(side),
                "meta": EVENT_TRACE,
                # the browser names the trace's group "trace" + uid: pages and tests find markers by it
                "uid": f"{EVENT_TRACE}{len(points)}",
                "showlegend": False,
                "customdata": marks.positions[of_side],
                "hovertext": hover[of_side],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "marker": {
                    "symbol": symbols[of_side],
                    "size": 13 if not gl else 10,
                    "color": color,
                    "line": {"width": 2, "color": color},
                    **({"opacity": opacity[of_side]} if opacity is not None else {}),
                },
            }
        )
    if gl:
        points = [_gl_points(marks, colors, symbols, hover, opacity)]
    links = _links(marks, connectors, highlight, gl, window) if connectors is not None and len(connectors) else []
    return [
        *bands,
        *_connectors(marks, scatter),
        *links,
        *_rings(marks, gl, opacity),
        *points,
        *_selected(marks, highlight, gl),
    ]


def _rings(marks: Marks, gl: bool, opacity: np.ndarray | None) -> list[dict[str, Any]]:
    """A ring around each marker with a claim status, coloured by the status."""
    traces = []
    for status in STATUSES:
        chosen = marks.status == status
        if not chosen.any():
            continue
        color, width = STATUS_STYLES[status]
        traces.append(
            {
                "type": "scattergl" if gl else "scatter",
                "x": marks.at[chosen].astype(np.float64),
                "y": marks.y[chosen],
                "mode": "markers",
                "name": STATUS_WORDS[status],
                "meta": "status",
                "uid": f"status-{status}",
                "showlegend": False,
                "hoverinfo": "skip",
                "marker": {
                    "symbol": "circle-open",
                    "size": 15 if gl else 21,
                    "color": color,
                    "line": {"width": width, "color": color},
                    **({"opacity": opacity[chosen]} if opacity is not None else {}),
                },
            }
        )
    return traces


UNREVIEWED = "unreviewed"
UNREVIEWED_COLOR = "#A0522D"
"""Frame of a candidate not yet reviewed: sienna, a colour no side palette or claim status uses,
and square where every other ring (claim status, selection) is round."""
UNREVIEWED_HOVER = "<br><i>Unreviewed candidate: accept, edit or reject it</i>"


def _review_ring(marks: Marks, unreviewed: np.ndarray) -> dict[str, Any]:
    """A square frame around each unreviewed candidate, outside any claim status ring."""
    gl = len(marks) >= GL_FROM
    return {
        "type": "scattergl" if gl else "scatter",
        "x": marks.at[unreviewed].astype(np.float64),
        "y": marks.y[unreviewed],
        "mode": "markers",
        "name": "unreviewed",
        "meta": "review",
        "uid": "review-unreviewed",
        "showlegend": False,
        "hoverinfo": "skip",
        "marker": {
            "symbol": "square-open",
            "size": 18 if gl else 26,
            "color": UNREVIEWED_COLOR,
            "line": {"width": 2, "color": UNREVIEWED_COLOR},
        },
    }


def _selected(marks: Marks, highlight: Highlight | None, gl: bool) -> list[dict[str, Any]]:
    """A dark ring around the selected event's marker."""
    if highlight is None or highlight.selected is None:
        return []
    i = highlight.selected
    return [
        {
            "type": "scattergl" if gl else "scatter",
            "x": np.array([marks.at[i]], dtype=np.float64),
            "y": np.array([marks.y[i]]),
            "mode": "markers",
            "name": "selected",
            "meta": "selected",
            "showlegend": False,
            "hoverinfo": "skip",
            "marker": {
                "symbol": "circle-open",
                "size": 19 if gl else 27,
                "color": "#111",
                "line": {"width": 2.5, "color": "#111"},
            },
        }
    ]


BOW = 0.012
"""How far a connector between events of about the same moment bows sideways, as a share of
the time axis, per link leaving that moment: else they would all lie on one vertical line."""
CURVE_POINTS = 9


def _bows(x0: np.ndarray, x1: np.ndarray, window: tuple[int, int]) -> np.ndarray:
    """Sideways bow of each connector (in ms): none for one that runs across time; those that
    run (nearly) straight up or down bow towards the middle of the chart, each link leaving the
    same moment further than the one before, so they nest instead of covering each other."""
    span = float(window[1] - window[0])
    bow = np.zeros(len(x0))
    if span <= 0:
        return bow
    upright = np.abs(x1 - x0) < span * BOW * 2
    if not upright.any():
        return bow
    moment = np.round(x0[upright] / (span * BOW * 2))
    rank = pd.Series(moment).groupby(moment).cumcount().to_numpy()
    inward = np.where(x0[upright] < window[0] + span / 2, 1.0, -1.0)
    bow[upright] = inward * (rank + 1) * span * BOW
    return bow


def _links(
    marks: Marks, connectors: Connectors, highlight: Highlight | None, gl: bool, window: tuple[int, int] = (0, 0)
) -> list[dict[str, Any]]:
    """The relations between drawn events: one line trace per relation (arrowed at its middle,
    pointing at what the event is about), and their hovers at the middles. Outside a
    highlighted thread they fade. In SVG, links between events of the same moment bow apart."""
    x0, y0 = marks.at[connectors.source].astype(np.float64), marks.y[connectors.source]
    x1, y1 = marks.at[connectors.target].astype(np.float64), marks.y[connectors.target]
    arrows = not gl and len(connectors) < GL_FROM
    bow = _bows(x0, x1, window) if arrows else np.zeros(len(x0))
    xm, ym = (x0 + x1) / 2 + bow, (y0 + y1) / 2  # a quadratic curve's middle: half its control point's bow
    bright = np.ones(len(connectors), dtype=bool)
    if highlight is not None and highlight.dims:
        bright = highlight.in_thread[connectors.source] & highlight.in_thread[connectors.target]
    traces: list[dict[str, Any]] = []
    for code, relation in enumerate(RELATIONS):
        for lit in (False, True):
            chosen = (connectors.relation == code) & (bright == lit)
            if not chosen.any():
                continue
            count = int(chosen.sum())
            gap = np.full(count, np.nan)
            color = relation.color if lit else rgba(relation.color, DIMMED)
            line = {
                "width": 2 if relation.name in ("denies", "confirms") else 1.6,
                "color": color,
                "dash": relation.dash,
            }
            trace: dict[str, Any] = {
                "type": "scattergl" if gl else "scatter",
                "name": relation.verb,
                "meta": "link",
                "uid": f"link-{relation.name}{'' if lit else '-faint'}",
                "showlegend": False,
                "hoverinfo": "skip",
                "line": line,
            }
            if arrows:  # the arrow sits at the middle and points the way of the line there
                t = np.linspace(0.0, 1.0, CURVE_POINTS)
                # A quadratic Bézier from start to end whose control point is bowed by twice the middle's bow.
                cx = (x0[chosen] + x1[chosen]) / 2 + 2 * bow[chosen]
                cy = (y0[chosen] + y1[chosen]) / 2
                xs = np.outer((1 - t) ** 2, x0[chosen]) + np.outer(2 * (1 - t) * t, cx) + np.outer(t**2, x1[chosen])
                ys = np.outer((1 - t) ** 2, y0[chosen]) + np.outer(2 * (1 - t) * t, cy) + np.outer(t**2, y1[chosen])
                trace["mode"] = "lines+markers"
                trace["x"] = np.vstack([xs, gap]).T.ravel()
                trace["y"] = np.vstack([ys, gap]).T.ravel()
                sizes = np.zeros(CURVE_POINTS + 1, dtype=np.int8)
                sizes[CURVE_POINTS // 2] = 11
                trace["marker"] = {
                    "symbol": "arrow",
                    "angleref": "previous",
                    "size": np.tile(sizes, count),
                    "color": color,
                    "line": {"width": 0},
                }
            else:
                trace["mode"] = "lines"
                trace["x"] = np.column_stack([x0[chosen], x1[chosen], gap]).ravel()
                trace["y"] = np.column_stack([y0[chosen], y1[chosen], gap]).ravel()
            traces.append(trace)
    hover = np.array(connectors.hover, dtype=object)
    traces.append(
        {
            "type": "scattergl" if gl else "scatter",
            "x": xm,
            "y": ym,
            "mode": "markers",
            "name": "links",
            "meta": "link-hover",
            "uid": "link-hover",
            "showlegend": False,
            "customdata": marks.positions[connectors.source],
            "hovertext": hover,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"size": 12, "color": "rgba(0,0,0,0)"},
        }
    )
    return traces


def _gl_points(
    marks: Marks, colors: Mapping[str, str], symbols: np.ndarray, hover: np.ndarray, opacity: np.ndarray | None = None
) -> dict[str, Any]:
    """Every marker in one WebGL trace, coloured by side through a stepped colour scale."""
    sides = list(dict.fromkeys(marks.side.tolist()))
    code = np.array([sides.index(s) for s in marks.side.tolist()], dtype=np.int16) if sides else np.zeros(0)
    steps: list[list[Any]] = []
    for i, side in enumerate(sides):
        color = colors.get(side, OTHER_COLOR)
        steps += [[i / len(sides), color], [(i + 1) / len(sides), color]]
    scale = {"colorscale": steps, "cmin": -0.5, "cmax": len(sides) - 0.5}
    return {
        "type": "scattergl",
        "x": marks.at.astype(np.float64),
        "y": marks.y,
        "mode": "markers",
        "name": "events",
        "meta": EVENT_TRACE,
        "showlegend": False,
        "customdata": marks.positions,
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "marker": {
            "symbol": symbols,
            "size": 10,
            "color": code,
            **scale,
            "showscale": False,
            "line": {"width": 2, "color": code, **scale},
            **({"opacity": opacity} if opacity is not None else {}),
        },
    }


def _bars(
    marks: Marks, chosen: np.ndarray, color: str, *, hatched: bool, gl: bool, opacity: np.ndarray | None = None
) -> dict[str, Any]:
    """Spans as solid bars, loose dates as hatched bands: SVG bars, or WebGL strokes when many."""
    meta = "window" if hatched else "span"
    if gl:  # WebGL draws no pattern: a lighter, thicker stroke for a window
        lo, hi, lane = marks.lo[chosen], marks.hi[chosen], marks.lane[chosen].astype(np.float64)
        gap = np.full(len(lo), np.nan)
        return {
            "type": "scattergl",
            "mode": "lines",
            "x": np.column_stack([lo, hi, gap]).ravel().astype(np.float64),
            "y": np.column_stack([lane, lane, gap]).ravel(),
            "line": {"width": 9 if hatched else 6, "color": rgba(color, 0.25 if hatched else 0.5)},
            "hoverinfo": "skip",
            "showlegend": False,
            "meta": meta,
        }
    return {
        "type": "bar",
        "base": marks.lo[chosen].astype(np.float64),
        "x": (marks.hi[chosen] - marks.lo[chosen]).astype(np.float64),
        "y": marks.lane[chosen].astype(np.float64),
        "orientation": "h",
        "width": 0.5 if hatched else 0.36,
        "customdata": marks.positions[chosen],
        "hovertext": np.array(marks.hover, dtype=object)[chosen],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "showlegend": False,
        "meta": meta,
        "marker": {
            "color": rgba(color, 0.12 if hatched else 0.5),
            **({"opacity": opacity[chosen]} if opacity is not None else {}),
            "line": {"width": 0},
            "pattern": {
                "shape": "/",
                "fgcolor": color,
                "fgopacity": 0.55,
                "size": 7,
                "solidity": 0.25,
                "fillmode": "overlay",
            }
            if hatched
            else {},
        },
    }


def _connectors(marks: Marks, scatter: str) -> list[dict[str, Any]]:
    """A thin line from each event to its target's lane, when that lane is shown."""
    has = np.isfinite(marks.target_lane) & (marks.target_lane != marks.lane)
    if not has.any():
        return []
    at, gap = marks.at[has].astype(np.float64), np.full(int(has.sum()), np.nan)
    return [
        {
            "type": scatter,
            "mode": "lines",
            "x": np.column_stack([at, at, gap]).ravel(),
            "y": np.column_stack([marks.y[has], marks.target_lane[has], gap]).ravel(),
            "line": {"width": 1, "color": "rgba(90,90,90,0.45)", "dash": "dot"},
            "hoverinfo": "skip",
            "showlegend": False,
            "meta": "target",
        }
    ]


DENSITY_STOPS = ((0.0, 0.35), (0.02, 0.5), (0.1, 0.7), (0.35, 0.88), (1.0, 1.0))
"""Colour scale of the density strips: (share of the busiest bin, opacity of the side's colour).
Low counts stay visible; the busiest bins are the side's full colour."""


def _density(
    density: Density, lanes: Sequence[Lane], colors: Mapping[str, str], years: bool = False
) -> list[dict[str, Any]]:
    """One strip per lane: each bin coloured by its count, the count in its hover."""
    by_row = {lane.row: lane for lane in lanes}
    middles = np.zeros(0, dtype=object)
    if years:
        centres = density.start + density.width // 2 + np.arange(density.bins, dtype=np.int64) * density.width
        middles = np.array([moment_text(int(c), density.width) for c in centres.tolist()], dtype=object)
    busiest = float(density.count.max())
    days = density.width / DAY_MS
    width_words = f"{days:g} day{'s' if days != 1 else ''}" if days >= 1 else f"{density.width // 3_600_000} h"
    traces = []
    for row in np.unique(density.lane).tolist():
        lane = by_row[row]
        cells = density.lane == row
        z = np.full(density.bins, np.nan, dtype=np.float32)
        z[density.bin[cells]] = density.count[cells]
        color = colors.get(lane.side, OTHER_COLOR) if lane.kind == "actor" else GREY
        name = text(lane.actor) if lane.kind == "actor" else text(lane.label)
        when = "%{x|%-d %b %Y}"
        if years:  # a numeric axis: each bin's middle in words, BC too
            when = "%{text}"
        traces.append(
            {
                "type": "heatmap",
                **({"text": middles.reshape(1, -1)} if years else {}),
                "z": z.reshape(1, -1),
                "x0": float(density.start + density.width / 2),
                "dx": float(density.width),
                "y": [float(row)],
                "zmin": 0,
                "zmax": busiest,
                "colorscale": [[stop, rgba(color, alpha)] for stop, alpha in DENSITY_STOPS],
                "showscale": False,
                "hoverongaps": False,
                "ygap": 3,
                "meta": DENSITY_TRACE,
                "hovertemplate": f"<b>{name}</b><br>%{{z:,}} events in the {width_words} around "
                f"{when}<br><i>click to zoom in</i><extra></extra>",
            }
        )
    return traces


@dataclasses.dataclass(frozen=True)
class KeyEntry:
    """One entry of the legend: a group (side, kind or date), its words, and how it looks.

    ``symbol`` is a Plotly marker symbol, or ``"line"`` for a stroke; ``color`` is CSS.
    """

    group: str
    name: str
    color: str
    symbol: str


KEY_GROUPS = {"side": "Side", "kind": "Kind", "date": "Date", "relation": "Link", "status": "Claim status"}
KEY_GROUPS["review"] = "Review"


def legend_entries(view: View) -> list[KeyEntry]:
    """What the view's legend explains: colours of sides, shapes of kinds, how dates look."""
    present = {lane.side for lane in view.lanes if lane.kind == "actor"}
    entries = [KeyEntry("side", side, view.colors[side], "circle") for side in view.colors if side in present]
    entries += [KeyEntry("kind", kind, GREY, KIND_SYMBOLS[kind]) for kind in KIND_SYMBOLS if kind in view.kinds]
    if view.has_exact_day:
        entries.append(KeyEntry("date", "exact day", GREY, "circle"))
    if view.has_loose:
        entries.append(KeyEntry("date", "loose date (band: when it may have been)", GREY, "circle-open"))
    if view.has_span:
        entries.append(KeyEntry("date", "span (start to end)", rgba(GREY, 0.5), "line"))
    if view.marks is not None and len(view.marks):
        open_start, open_end, ongoing = _open_sides(view.marks)
        if (open_start | open_end).any():
            entries.append(KeyEntry("date", "open-ended window (fades where unknown)", rgba(GREY, 0.3), "line"))
        if ongoing.any():
            entries.append(KeyEntry("date", "still going on (fades past today)", rgba(GREY, 0.3), "line"))
    if view.density is not None and view.density.total:
        entries.append(KeyEntry("date", "events per time bin (darker: more)", rgba(GREY, 0.6), "line"))
    if view.connectors is not None and len(view.connectors):
        drawn: set[int] = set(view.connectors.relation.tolist())
        entries += [
            KeyEntry("relation", r.verb, r.color, "line" if r.dash == "solid" else f"line-{r.dash}")
            for code, r in enumerate(RELATIONS)
            if code in drawn
        ]
    entries += [KeyEntry("status", STATUS_WORDS[s].lower(), STATUS_STYLES[s][0], "ring") for s in view.statuses]
    return entries


def _key(view: View, more: Sequence[KeyEntry] = ()) -> list[dict[str, Any]]:
    """The legend as Plotly draws it: a column beside the plot, under group titles."""
    traces: list[dict[str, Any]] = []
    seen: set[str] = set()
    for entry in [*legend_entries(view), *more]:
        if entry.symbol.startswith("line"):
            dash = entry.symbol.partition("-")[2] or "solid"
            width = 9 if entry.group != "relation" else 2.5
            style: dict[str, Any] = {"mode": "lines", "line": {"width": width, "color": entry.color, "dash": dash}}
        elif entry.symbol == "ring":
            ring = {
                "symbol": "circle-open",
                "size": 13,
                "color": entry.color,
                "line": {"width": 2.5, "color": entry.color},
            }
            style = {"mode": "markers", "marker": ring}
        else:
            marker = {"symbol": entry.symbol, "size": 11, "color": entry.color}
            if entry.group == "kind" or entry.symbol.endswith("-open"):
                marker["line"] = {"width": 2, "color": entry.color}
            style = {"mode": "markers", "marker": marker}
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "name": text(entry.name),
                "legendgroup": entry.group,
                "meta": "key",
                "hoverinfo": "skip",
                "showlegend": True,
                **({"legendgrouptitle": {"text": KEY_GROUPS[entry.group]}} if entry.group not in seen else {}),
                **style,
            }
        )
        seen.add(entry.group)
    return traces


def _iso(ms: float) -> str:
    return (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=ms)).isoformat()


AD1_MS = int(np.datetime64("0001-01-01", "ms").astype(np.int64))
"""1 January AD 1 in ms since 1970: a view reaching before it is drawn on a year axis."""
YEAR_MS = 365.2425 * DAY_MS
YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000)
MONTH_STEPS = (1, 2, 3, 6)
DAY_STEPS = (1, 2, 7, 14)
MOST_TICKS = 9
"""Most ticks on the year axis (round years, then months, then days, as the window narrows)."""


def uses_year_axis(window: tuple[int, int]) -> bool:
    """Whether a view of this time window is drawn on the year axis: Plotly's date axis cannot
    show a day before AD 1."""
    return window[0] < AD1_MS


def _axis_x(day: np.datetime64, years: bool) -> str | float:
    """A day where the time axis takes it: ISO text on the date axis, ms on the year axis."""
    if years:
        return float(day.astype("datetime64[ms]").astype(np.int64))
    return str(day.astype("datetime64[D]"))


def _time_axis(window: tuple[int, int], most: int) -> dict[str, Any]:
    """The x axis: Plotly's date axis, or for a window reaching before AD 1 a linear axis over
    the same ms with ticks labelled as years (``500 BC``, ``AD 100``)."""
    axis: dict[str, Any] = {
        "showgrid": True,
        "gridcolor": "#eee",
        "linecolor": "#999",
        "zeroline": False,
        "automargin": True,
    }
    if not uses_year_axis(window):
        return {"type": "date", **axis, "range": [_iso(window[0]), _iso(window[1])]}
    values, labels = year_ticks(window, most)
    return {
        "type": "linear",
        **axis,
        "range": [float(window[0]), float(window[1])],
        "tickmode": "array",
        "tickvals": values,
        "ticktext": labels,
        "hoverformat": ".0f",
    }


def _months_ms(months: np.ndarray) -> np.ndarray:
    """Months since 1970 as ms at their first day."""
    found: np.ndarray = months.astype("datetime64[M]").astype("datetime64[ms]").astype(np.int64)
    return found


def year_ticks(window: tuple[int, int], most: int = MOST_TICKS) -> tuple[list[float], list[str]]:
    """Ticks for the year axis: positions (ms) and labels, at round years as historians count
    them (``500 BC``, ``1 BC``, ``AD 1``, ``AD 100``: there is no year 0), or at months or days
    when the window is narrow."""
    start, end = window
    span_days = (end - start) / DAY_MS
    first_month = int(np.datetime64(start, "ms").astype("datetime64[M]").astype(np.int64))
    last_month = int(np.datetime64(end, "ms").astype("datetime64[M]").astype(np.int64))
    if span_days >= 3 * 365:
        low, high = first_month // 12 + 1970, last_month // 12 + 1970  # astronomical years
        if first_month % 12:
            low += 1  # a tick sits on 1 January: the first year whose 1 January is in view
        candidates = (_round_years(low, high, step) for step in YEAR_STEPS)
        chosen = next((c for c in candidates if len(c) <= most), _round_years(low, high, YEAR_STEPS[-1]))
        positions = _months_ms((np.array(chosen, dtype=np.int64) - 1970) * 12)
        labels = [historical_year(y) for y in chosen]
    elif span_days >= 60:
        months = last_month - first_month
        step = next((s for s in MONTH_STEPS if months / s <= most), MONTH_STEPS[-1])
        chosen = [m for m in range(first_month, last_month + 1) if (m % 12) % step == 0]
        positions = _months_ms(np.array(chosen, dtype=np.int64))
        labels = [f"{calendar.month_abbr[m % 12 + 1]} {historical_year(m // 12 + 1970)}" for m in chosen]
    else:
        step = next((s for s in DAY_STEPS if span_days / s <= most), DAY_STEPS[-1])
        first_day, last_day = start // DAY_MS, end // DAY_MS
        chosen = [d for d in range(first_day, last_day + 1) if d % step == 0]
        positions = np.array(chosen, dtype=np.int64) * DAY_MS
        labels = [day_text(np.datetime64(d, "D")) for d in chosen]
    inside = [(float(p), t) for p, t in zip(positions.tolist(), labels, strict=True) if start <= p <= end]
    return [p for p, _ in inside], [t for _, t in inside]


def _round_years(low: int, high: int, step: int) -> list[int]:
    """Astronomical years from ``low`` to ``high`` that are round at ``step`` as historians
    count: round years BC count back from 1 BC, round years AD from AD 1 (shown when the step
    is 10 or more); at least one year BC when some are in view."""
    if step == 1:
        return list(range(low, high + 1))
    bc = [1 - n for n in range(_round_up(1 - min(high, 0), step), 2 - low, step)] if low <= 0 else []
    ad = [n for n in range(_round_up(low, step), high + 1, step)]
    chosen = sorted({*bc, *ad, *([1] if step >= 10 and low <= 1 <= high else [])})
    if low < 0 and not bc:  # years BC in view, but no round one at this step: name the roundest
        chosen = _with_a_year_bc(chosen, low, min(high, 0), step)
    return chosen


def _with_a_year_bc(chosen: list[int], low: int, high: int, step: int) -> list[int]:
    """Ticks with the roundest year BC between astronomical ``low`` and ``high`` added (the
    earliest of its step), and AD 1 dropped when that tick is nearer to it than a step."""
    for finer in sorted((s for s in YEAR_STEPS if s < step), reverse=True):
        found = [1 - n for n in range(_round_up(1 - high, finer), 2 - low, finer)]
        if found:
            year = min(found)
            return sorted({year, *(y for y in chosen if not (y == 1 and 1 - year < step))})
    return chosen


def _round_up(value: int, step: int) -> int:
    """The least multiple of ``step`` at or above ``value``, and at least ``step``."""
    return max(step, -(-value // step) * step)


def moment_text(ms: int, width: int = DAY_MS) -> str:
    """A moment in words at the grain of ``width`` (ms): ``44 BC``, ``Mar 44 BC``, ``15 Mar 44 BC``."""
    day = np.datetime64(ms, "ms").astype("datetime64[D]")
    months = int(day.astype("datetime64[M]").astype(np.int64))
    year, month = months // 12 + 1970, months % 12 + 1
    if width >= 365 * DAY_MS:
        return historical_year(year)
    if width >= 28 * DAY_MS:
        return f"{calendar.month_abbr[month]} {historical_year(year)}"
    return day_text(day)


def _open_sides(marks: Marks) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The marks' open sides, all False when the marks do not say (see :class:`Marks`)."""
    count = len(marks)

    def given(flags: np.ndarray) -> np.ndarray:
        return flags if len(flags) == count else np.zeros(count, dtype=bool)

    return given(marks.open_start), given(marks.open_end), given(marks.ongoing)


FADE_STEPS = 8
"""Bands of a window open on one side are drawn in this many steps, fading out."""
FADE_OPACITY = (0.42, 0.03)
"""Opacity of a fading band at its known edge and at its open end."""
ONGOING_TAIL = 0.04
"""Length of the fading tail drawn past today after a span still going on, as a share of the axis."""


def _fading(
    marks: Marks,
    of_side: np.ndarray,
    color: str,
    open_start: np.ndarray,
    open_end: np.ndarray,
    ongoing: np.ndarray,
    window: tuple[int, int],
    gl: bool,
) -> list[dict[str, Any]]:
    """Windows open on one side as bands fading out towards it ("before 400 BC" fades to the
    left), and spans still going on as a tail fading out past today."""
    lo, hi, lane = marks.lo.astype(np.float64), marks.hi.astype(np.float64), marks.lane.astype(np.float64)
    tail = max(float(window[1] - window[0]) * ONGOING_TAIL, float(DAY_MS))
    pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []  # lo, hi, row, 0 known .. 1 open
    steps = (np.arange(FADE_STEPS, dtype=np.float64) + 0.5) / FADE_STEPS
    for chosen, towards_start in ((of_side & open_start, True), (of_side & open_end & ~open_start, False)):
        if not chosen.any():
            continue
        rows = np.flatnonzero(chosen)
        width = (hi[rows] - lo[rows]) / FADE_STEPS
        k = np.arange(FADE_STEPS, dtype=np.float64)
        starts = lo[rows][:, None] + width[:, None] * k[None, :]
        fade = np.broadcast_to(steps[::-1] if towards_start else steps, starts.shape)
        pieces.append((starts.ravel(), (starts + width[:, None]).ravel(), np.repeat(rows, FADE_STEPS), fade.ravel()))
    chosen = of_side & ongoing
    if chosen.any():
        rows = np.flatnonzero(chosen)
        k = np.arange(FADE_STEPS, dtype=np.float64)
        starts = hi[rows][:, None] + tail / FADE_STEPS * k[None, :]
        fade = np.broadcast_to(steps, starts.shape)
        pieces.append((starts.ravel(), (starts + tail / FADE_STEPS).ravel(), np.repeat(rows, FADE_STEPS), fade.ravel()))
    if not pieces:
        return []
    x0, x1, rows, fade = (np.concatenate(p) for p in zip(*pieces, strict=True))
    strong, faint = FADE_OPACITY
    alpha = strong + (faint - strong) * fade
    hover = np.array(marks.hover, dtype=object)
    if gl:  # one WebGL stroke trace per step of opacity
        traces = []
        for level in np.unique(np.round(alpha, 3)).tolist():
            at = np.round(alpha, 3) == level
            gap = np.full(int(at.sum()), np.nan)
            traces.append(
                {
                    "type": "scattergl",
                    "mode": "lines",
                    "x": np.column_stack([x0[at], x1[at], gap]).ravel(),
                    "y": np.column_stack([lane[rows[at]], lane[rows[at]], gap]).ravel(),
                    "line": {"width": 9, "color": rgba(color, level)},
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "meta": "fading",
                }
            )
        return traces
    return [
        {
            "type": "bar",
            "base": x0,
            "x": x1 - x0,
            "y": lane[rows],
            "orientation": "h",
            "width": 0.5,
            "customdata": marks.positions[rows],
            "hovertext": hover[rows],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "showlegend": False,
            "meta": "fading",
            "marker": {"color": [rgba(color, float(a)) for a in alpha.tolist()], "line": {"width": 0}},
        }
    ]


def _lane_label(lane: Lane, colors: Mapping[str, str]) -> str:
    if lane.kind == "header":
        return (
            f"<span style='color:{colors.get(lane.side, OTHER_COLOR)}'><b>{text(_cut(lane.label.upper()))}</b></span>"
        )
    if lane.kind == "fold":
        return f"<i>{text(lane.label)}</i>"
    return text(_cut(lane.label))


def _layout(view: View, *, title: str, subtitle: str, credit: str, eras: Sequence[Era], ticks: int) -> dict[str, Any]:
    rows = len(view.lanes)
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    headers = [lane for lane in view.lanes if lane.kind == "header"]
    for i, header in enumerate(headers):
        bottom = headers[i + 1].row - 0.5 if i + 1 < len(headers) else _last_actor_row(view) + 0.5
        shapes.append(_band(header.row - 0.5, bottom, view.colors.get(header.side, OTHER_COLOR)))
    years = uses_year_axis(view.window)
    for era in eras:
        first, last = parse_date_window(era.start).lo, parse_date_window(era.end).hi
        x0: str | float = _axis_x(first, years)
        x1: str | float = _axis_x(last, years)
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": x0,
                "x1": x1,
                "y0": 0,
                "y1": 1,
                "fillcolor": "#888",
                "opacity": 0.08,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": x0,
                "y": 1,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "text": text(era.label),
                "font": {"size": 11, "color": GREY},
            }
        )
    if credit:
        annotations.append(
            {
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -58,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "text": text(credit),
                "font": {"size": 11, "color": GREY},
                "meta": "credit",
            }
        )
    return {
        "font": {"family": FONT, "size": 13, "color": "#222"},
        "paper_bgcolor": "#fff",
        "plot_bgcolor": "#fff",
        "title": {
            "text": f"<b>{text(title)}</b>" if title else "",
            "x": 0,
            "xanchor": "left",
            "pad": {"l": 12},
            "subtitle": {"text": text(subtitle)},
        },
        "meta": {
            "lanes": view.actor_lanes(),
            "rows": [lane.label for lane in view.lanes],
            "mode": view.mode,
            "matched": view.matched,
            "total": view.total,
            "in_view": view.in_view,
            "axis": "year" if years else "date",
        },
        "margin": {"l": 10, "r": 20, "t": 90 if title else 30, "b": 90 if credit else 50},
        "barmode": "overlay",
        "hovermode": "closest",
        "clickmode": "event",
        "dragmode": "zoom",
        "shapes": shapes,
        "annotations": annotations,
        "xaxis": _time_axis(view.window, ticks),
        # A numeric axis labelled lane by lane: markers of one day can stack within a lane.
        "yaxis": {
            "type": "linear",
            "tickmode": "array",
            "tickvals": list(range(rows)),
            "ticktext": [_lane_label(lane, view.colors) for lane in view.lanes],
            "range": [rows - 0.5, -0.5],
            "zeroline": False,
            "automargin": True,
            "ticklabelstandoff": 6,
            "tickfont": {"size": 13},
            "fixedrange": True,
            "showgrid": False,
        },
        "legend": {
            "orientation": "v",
            "x": 1.01,
            "y": 1,
            "xanchor": "left",
            "yanchor": "top",
            "traceorder": "grouped",
            "tracegroupgap": 12,
            "itemclick": False,
            "itemdoubleclick": False,
        },
    }


def _last_actor_row(view: View) -> int:
    return max(lane.row for lane in view.lanes if lane.kind == "actor")


def _band(top: float, bottom: float, color: str) -> dict[str, Any]:
    return {
        "type": "rect",
        "xref": "paper",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": top,
        "y1": bottom,
        "fillcolor": color,
        "opacity": 0.07,
        "line": {"width": 0},
        "layer": "below",
    }


_DTYPES = {"f8": np.float64, "f4": np.float32, "i4": np.int32, "i2": np.int16, "i1": np.int8, "u1": np.uint8}


def transport(value: Any) -> Any:
    """The figure as the browser takes it: numeric arrays in Plotly's typed-array form
    (``{"dtype", "bdata"}``: base64 bytes, a third of JSON numbers' size), text arrays and
    ``customdata`` as lists."""
    if isinstance(value, dict):
        # Plotly leaves a typed customdata out of click events: it is what a click returns, so a list.
        return {
            k: v.tolist() if k == "customdata" and isinstance(v, np.ndarray) else transport(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [transport(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fiub":
            array = _narrow(value)
            spec: dict[str, Any] = {"dtype": _code(array.dtype), "bdata": base64.b64encode(array.tobytes()).decode()}
            if array.ndim > 1:
                spec["shape"] = ", ".join(str(n) for n in array.shape)
            return spec
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _narrow(array: np.ndarray) -> np.ndarray:
    if array.dtype.kind == "b":
        return array.astype(np.uint8)
    if array.dtype.kind in "iu":
        if not len(array):
            return array.astype(np.int32)
        low, high = int(array.min()), int(array.max())
        for dtype in (np.int8, np.int16, np.int32):
            info = np.iinfo(dtype)
            if info.min <= low and high <= info.max:
                return array.astype(dtype)
        return array.astype(np.float64)  # JavaScript has no int64 typed array for Plotly
    if array.dtype == np.float32:
        return array
    return array.astype(np.float64)


def _code(dtype: np.dtype[Any]) -> str:
    return next(code for code, kind in _DTYPES.items() if np.dtype(kind) == dtype)


def legend_height(fig: Mapping[str, Any]) -> int:
    """Height of a vertical legend of the figure, in layout pixels (its entries and group titles)."""
    entries = [t for t in fig.get("data", []) if t.get("meta") == "key"]
    groups = len({t.get("legendgroup") for t in entries})
    return 21 * len(entries) + 34 * groups


def figure_lanes(fig: Mapping[str, Any]) -> list[str]:
    """The actor lanes of a figure, top to bottom."""
    return list(fig["layout"]["meta"]["lanes"])


def event_traces(fig: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The traces holding one marker per event."""
    return [trace for trace in fig["data"] if trace.get("meta") == EVENT_TRACE]


def fig_actors(fig: Mapping[str, Any]) -> list[str]:
    """The lane of every event marker in the figure, trace by trace."""
    rows = fig["layout"]["meta"]["rows"]
    return [rows[round(float(y))] for trace in event_traces(fig) for y in trace["y"]]


def window_of(value: Any) -> tuple[int, int] | None:
    """A time window in ms from a zoom's axis range (two dates or numbers), or None."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    try:
        start, end = (_to_ms(v) for v in value)
    except (TypeError, ValueError, OverflowError):
        return None
    return (start, end) if end > start else None


def moment_ms(value: Any) -> int | None:
    """A date or a number of ms (as Plotly reports a point's x) in ms since 1970, or None."""
    try:
        return _to_ms(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _to_ms(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("a flag is no date")
    if isinstance(value, int | float):
        if not np.isfinite(value):
            raise ValueError("not finite")
        return int(value)
    if isinstance(value, str) and value.strip():
        stamp = pd.Timestamp(value.strip())
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert(None)
        return int(stamp.asm8.astype("datetime64[ms]").astype(np.int64))
    raise ValueError("not a date")
