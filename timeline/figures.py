"""Events -> a Plotly figure: one lane per actor, grouped by side. Pure: no Dash here.

The dashboard, the CLI and the exporter all draw through :func:`timeline_figure`, so the
chart exported from the command line is the chart the dashboard shows for the same filters.

How the chart reads:
- a filled marker is an event dated to the day; its shape is the kind, its colour the side;
- a hollow marker over a hatched band is a loosely dated event (known to the month or
  year, or approximate): the band covers every day it may have happened on;
- a solid bar is a span (an event with an end), its marker at the start.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from timeline.dataset import Dataset, Era
from timeline.dates import PartialDate, parse_partial_date
from timeline.query import Filters, apply_filters
from timeline.schema import HI, LO

EVENT_TRACE = "events"
"""``meta`` of the traces that hold one marker per event (and nothing else)."""

KIND_SYMBOLS: dict[str, str] = {
    "action": "circle",
    "statement": "square",
    "claim": "diamond",
    "denial": "x",
    "report": "triangle-up",
    "event": "hexagon",
}
SIDE_PALETTE: tuple[str, ...] = (
    "#C0392B",
    "#1F77B4",
    "#2E8B57",
    "#7B4EA3",
    "#E67E22",
    "#17A2B8",
    "#8C564B",
    "#D63384",
    "#556B2F",
    "#34495E",
)
UNASSIGNED_SIDE = "Unassigned"
SIDE_HEADER = "\u2063side:"
"""Prefix of the header lane of each side (an invisible separator: no actor is named so)."""
LANE_HEIGHT = 40
FONT = "Inter, Segoe UI, Helvetica, Arial, sans-serif"


def text(value: str) -> str:
    """User text made safe for Plotly labels: shown as written, never read as markup."""
    return html.escape(value, quote=False)


def side_of(events: pd.DataFrame) -> pd.Series:
    """Each event's side, with blanks named :data:`UNASSIGNED_SIDE`."""
    return events["side"].where(events["side"].str.strip() != "", UNASSIGNED_SIDE)


def side_colors(events: pd.DataFrame) -> dict[str, str]:
    """A colour per side, in order of first appearance, stable under filtering."""
    sides = dict.fromkeys(side_of(events))
    return {side: SIDE_PALETTE[i % len(SIDE_PALETTE)] for i, side in enumerate(sides)}


def lane_order(events: pd.DataFrame, sides: Sequence[str] = ()) -> list[str]:
    """Actors top to bottom: grouped by side, then by first date.

    Sides come in the order of ``sides`` (e.g. of the whole dataset, so filtering never
    reorders them), then in order of first appearance.
    """
    frame = pd.DataFrame({"side": side_of(events), "actor": events["actor"], "lo": events[LO]})
    side_rank = {side: i for i, side in enumerate(dict.fromkeys([*sides, *frame["side"]]))}
    firsts = frame.groupby("actor", sort=False).agg(side=("side", "first"), lo=("lo", "min"))
    firsts["rank"] = firsts["side"].map(side_rank)
    firsts["seen"] = range(len(firsts))
    return list(firsts.sort_values(["rank", "lo", "seen"]).index)


def anchor(events: pd.DataFrame) -> pd.Series:
    """Where each event's marker sits: its day, a span's start, a loose date's middle."""
    loose = is_loose(events)
    middle = events[LO] + (events[HI] - events[LO]) / 2
    return middle.where(loose, events[LO])


def is_loose(events: pd.DataFrame) -> pd.Series:
    """Events whose date is known only roughly: month or year precision, or approximate."""
    return (events["precision"] != "day") | events["approximate"].astype(bool)


def resolved_date(row: Mapping[Any, Any]) -> str:
    """The resolved date in words: ``24 February 2022``, ``around February 2022``,
    ``some time February 2022 – October 2022``."""
    return _resolved(str(row["start"]), str(row["end"] or ""), bool(row["approximate"]))


@functools.lru_cache(maxsize=65536)
def _resolved(start_text: str, end_text: str, approximate: bool) -> str:
    start = parse_partial_date(start_text)
    end: PartialDate | None = parse_partial_date(end_text) if end_text else None
    words = start.human() if end is None else f"{start.human()} – {end.human()}"
    if approximate:
        words = f"around {words}" if end is None else f"some time {words}"
    return words


def _hover(events: pd.DataFrame) -> list[str]:
    columns = (events[c].tolist() for c in ("title", "date_text", "actor", "start", "end", "approximate"))
    out = []
    for title, date_text, actor, start, end, approximate in zip(*columns, strict=True):
        resolved = _resolved(start, end, bool(approximate))
        date = f"{text(date_text)} <i>({text(resolved)})</i>" if date_text else text(resolved)
        out.append(f"<b>{text(title)}</b><br>{date}<br>{text(actor)}")
    return out


def timeline_figure(
    events: pd.DataFrame,
    *,
    colors: Mapping[str, str] | None = None,
    title: str = "",
    subtitle: str = "",
    credit: str = "",
    eras: Sequence[Era] = (),
    window: tuple[Any, Any] | None = None,
) -> go.Figure:
    """Draw events as a timeline with one lane per actor.

    Args:
        events: a typed event table (already filtered); every actor in it gets a lane.
        colors: side -> colour; defaults to :func:`side_colors` of ``events``.
        title: chart title. subtitle: a second title line (e.g. the filters in words).
        credit: a source line printed under the chart.
        eras: named periods drawn as shaded backgrounds.
        window: the first and last day to show (either may be None: from the events);
            the last day is shown whole.
    """
    colors = dict(colors) if colors is not None else side_colors(events)
    lanes = lane_order(events, list(colors))
    sides = side_of(events)
    rows = _rows(lanes, dict(zip(events["actor"], sides, strict=True)), colors)
    row_of = events["actor"].map(rows.position).to_numpy(dtype=float)
    loose = is_loose(events)
    has_end = events["end"] != ""
    fig = go.Figure()

    for side in dict.fromkeys(sides):
        color = colors.get(side, SIDE_PALETTE[-1])
        of_side = (sides == side).to_numpy()
        _bars(
            fig,
            events[of_side & (has_end & ~loose).to_numpy()],
            row_of[of_side & (has_end & ~loose).to_numpy()],
            color,
            hatched=False,
        )
        _bars(fig, events[of_side & loose.to_numpy()], row_of[of_side & loose.to_numpy()], color, hatched=True)

    marker_at = anchor(events)
    marker_row = row_of + _same_day_offsets(events["actor"], marker_at)
    for side in dict.fromkeys(sides):
        color = colors.get(side, SIDE_PALETTE[-1])
        of_side = (sides == side).to_numpy()
        subset = events[of_side]
        symbols = [
            KIND_SYMBOLS.get(kind, "circle") + ("-open" if is_open else "")
            for kind, is_open in zip(subset["kind"].tolist(), loose[of_side].tolist(), strict=True)
        ]
        # numpy arrays, not lists: plotly validates them without visiting every element.
        fig.add_trace(
            go.Scatter(
                x=marker_at[of_side].to_numpy(),
                y=marker_row[of_side],
                mode="markers",
                name=text(side),
                meta=EVENT_TRACE,
                showlegend=False,
                customdata=subset["id"].to_numpy(dtype=object),
                hovertext=np.array(_hover(subset), dtype=object),
                hovertemplate="%{hovertext}<extra></extra>",
                marker={"symbol": symbols, "size": 13, "color": color, "line": {"width": 2, "color": color}},
            )
        )

    _key(fig, events, colors, loose, has_end)
    _eras(fig, eras)
    _layout(
        fig,
        rows,
        lanes,
        colors,
        title=title,
        subtitle=subtitle,
        credit=credit,
        x_range=x_range(events, window),
        lane_height=LANE_HEIGHT + STACK_ROOM * (min(_tallest_stack(events["actor"], marker_at), 5) - 1),
    )
    return fig


@dataclass(frozen=True)
class _Rows:
    """The chart's rows, top to bottom: each side's header, then its actors' lanes."""

    categories: list[str]
    labels: list[str]
    position: dict[str, int]
    bands: list[tuple[str, float, float]]


def _rows(lanes: list[str], actor_side: Mapping[str, str], colors: Mapping[str, str]) -> _Rows:
    categories: list[str] = []
    labels: list[str] = []
    bands: list[tuple[str, float, float]] = []
    for side in dict.fromkeys(actor_side[a] for a in lanes):
        members = [a for a in lanes if actor_side[a] == side]
        top = len(categories) - 0.5
        categories.append(SIDE_HEADER + side)
        color = colors.get(side, SIDE_PALETTE[-1])
        labels.append(f"<span style='color:{color}'><b>{text(_cut(side.upper()))}</b></span>")
        categories += members
        labels += [text(_cut(a)) for a in members]
        bands.append((side, top, len(categories) - 0.5))
    position = {c: i for i, c in enumerate(categories) if not c.startswith(SIDE_HEADER)}
    return _Rows(categories, labels, position, bands)


LABEL_LENGTH = 32
"""Longest lane label; longer names are cut with an ellipsis (the hover shows them whole)."""


def _cut(name: str) -> str:
    return name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1].rstrip() + "…"


STACK_STEP = 0.3
"""Vertical distance, in lanes, between markers of one actor on the same day."""
STACK_ROOM = 6
"""Pixels added to every lane's height for each marker in the tallest same-day stack."""
MIN_SPAN = pd.Timedelta(days=7)
"""The narrowest time axis drawn: a single day still shows as a day, not as milliseconds."""


def _day_groups(actors: pd.Series, at: pd.Series) -> Any:
    keys = pd.DataFrame({"actor": actors.to_numpy(), "day": at.dt.floor("D").to_numpy()})
    return keys.groupby(["actor", "day"], sort=False)


def _same_day_offsets(actors: pd.Series, at: pd.Series) -> np.ndarray:
    """Spread markers of one actor on one day across the lane, so none hides another."""
    groups = _day_groups(actors, at)
    rank = groups.cumcount().to_numpy(dtype=float)
    size = groups["actor"].transform("size").to_numpy(dtype=float)
    step = np.minimum(STACK_STEP, 0.8 / np.maximum(size - 1, 1))
    offsets: np.ndarray = (rank - (size - 1) / 2) * step
    return offsets


def _tallest_stack(actors: pd.Series, at: pd.Series) -> int:
    """The most markers one actor has on one day."""
    return int(_day_groups(actors, at).size().max()) if len(actors) else 1


def x_range(events: pd.DataFrame, window: tuple[Any, Any] | None = None) -> tuple[str, str]:
    """The time axis: the window's days in full, else the events' with a margin; never
    narrower than :data:`MIN_SPAN`."""
    first, last = window or (None, None)
    start = pd.Timestamp(first) if first is not None else events[LO].min()
    end = pd.Timestamp(last) + pd.Timedelta(days=1) if last is not None else events[HI].max() + pd.Timedelta(days=1)
    if first is None or last is None:  # pad the side the events decide
        margin = max((end - start) * 0.03, pd.Timedelta(days=1))
        start = start - margin if first is None else start
        end = end + margin if last is None else end
    if end - start < MIN_SPAN:
        middle = start + (end - start) / 2
        start, end = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    return start.isoformat(), end.isoformat()


def _bars(fig: go.Figure, events: pd.DataFrame, rows: np.ndarray, color: str, *, hatched: bool) -> None:
    if events.empty:
        return
    # Whole days: a band across February covers 1 February 00:00 to 1 March 00:00.
    length = (events[HI] + pd.Timedelta(days=1) - events[LO]).dt.total_seconds() * 1000
    fig.add_trace(
        go.Bar(
            base=events[LO].dt.strftime("%Y-%m-%d").to_numpy(dtype=object),
            x=length.to_numpy(),
            y=rows,
            orientation="h",
            width=0.5 if hatched else 0.36,
            customdata=events["id"].to_numpy(dtype=object),
            hovertext=np.array(_hover(events), dtype=object),
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            meta="window" if hatched else "span",
            marker={
                "color": _rgba(color, 0.12 if hatched else 0.5),
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
        )
    )


def _rgba(color: str, alpha: float) -> str:
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def _key_entry(fig: go.Figure, name: str, group: str, title: str, **style: Any) -> None:
    first = not any(t.legendgroup == group for t in fig.data)
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            name=name,
            legendgroup=group,
            meta="key",
            hoverinfo="skip",
            legendgrouptitle={"text": title} if first else None,
            **style,
        )
    )


def _key(fig: go.Figure, events: pd.DataFrame, colors: Mapping[str, str], loose: pd.Series, has_end: pd.Series) -> None:
    """The legend: colours of sides, shapes of kinds, and how exact and loose dates look."""
    grey = "#555"
    present = set(side_of(events))
    for side in [*(s for s in colors if s in present), *sorted(present - set(colors))]:
        _key_entry(
            fig,
            text(side),
            "side",
            "Side",
            mode="markers",
            marker={"symbol": "circle", "size": 11, "color": colors.get(side, SIDE_PALETTE[-1])},
        )
    for kind in (k for k in KIND_SYMBOLS if k in set(events["kind"])):
        _key_entry(
            fig,
            kind,
            "kind",
            "Kind",
            mode="markers",
            marker={
                "symbol": KIND_SYMBOLS[kind],
                "size": 11,
                "color": grey,
                "line": {"width": 2, "color": grey},
            },
        )
    if (~loose).any():
        _key_entry(
            fig,
            "exact day",
            "date",
            "Date",
            mode="markers",
            marker={"symbol": "circle", "size": 11, "color": grey},
        )
    if loose.any():
        _key_entry(
            fig,
            "loose date (band: when it may have been)",
            "date",
            "Date",
            mode="markers",
            marker={"symbol": "circle-open", "size": 11, "color": grey, "line": {"width": 2}},
        )
    if (has_end & ~loose).any():
        _key_entry(
            fig,
            "span (start to end)",
            "date",
            "Date",
            mode="lines",
            line={"width": 8, "color": _rgba(grey, 0.5)},
        )


def _eras(fig: go.Figure, eras: Iterable[Era]) -> None:
    for era in eras:
        start = parse_partial_date(era.start).first_day()
        end = parse_partial_date(era.end).last_day()
        fig.add_vrect(
            x0=start,
            x1=end,
            fillcolor="#888",
            opacity=0.08,
            line_width=0,
            layer="below",
            annotation_text=text(era.label),
            annotation_position="top left",
            annotation_font_size=11,
        )


def _layout(
    fig: go.Figure,
    rows: _Rows,
    lanes: list[str],
    colors: Mapping[str, str],
    *,
    title: str,
    subtitle: str,
    credit: str,
    x_range: tuple[str, str],
    lane_height: int,
) -> None:
    shapes: list[dict[str, Any]] = [
        {
            "type": "rect",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": top,
            "y1": bottom,
            "fillcolor": colors.get(side, "#999"),
            "opacity": 0.07,
            "line": {"width": 0},
            "layer": "below",
        }
        for side, top, bottom in rows.bands
    ]
    annotations: list[dict[str, Any]] = []
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
                "font": {"size": 11, "color": "#555"},
            }
        )
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT, "size": 13},
        title={
            "text": f"<b>{text(title)}</b>" if title else "",
            "x": 0,
            "xanchor": "left",
            "pad": {"l": 12},
            "subtitle": {"text": text(subtitle)},
        },
        height=max(200 + lane_height * len(rows.categories), 170 + legend_height(fig)),  # 170: title, margins
        meta={"lanes": lanes, "rows": rows.categories},
        margin={"l": 10, "r": 20, "t": 90 if title else 40, "b": 90},
        barmode="overlay",
        hovermode="closest",
        clickmode="event",
        shapes=shapes,
        annotations=annotations,
        xaxis={
            "type": "date",
            "showgrid": True,
            "gridcolor": "#eee",
            "zeroline": False,
            "range": list(x_range),
            "automargin": True,
        },
        # A numeric axis labelled lane by lane: markers of one day can stack within a lane.
        yaxis={
            "type": "linear",
            "tickmode": "array",
            "tickvals": list(range(len(rows.categories))),
            "ticktext": rows.labels,
            "range": [len(rows.categories) - 0.5, -0.5],
            "zeroline": False,
            "automargin": True,
            "ticklabelstandoff": 6,
            "tickfont": {"size": 13},
            "fixedrange": True,
            "showgrid": False,
        },
        legend={
            "x": 1.01,
            "y": 1,
            "xanchor": "left",
            "yanchor": "top",
            "traceorder": "grouped",
            "tracegroupgap": 12,
            "itemclick": False,
            "itemdoubleclick": False,
        },
    )


def legend_height(fig: go.Figure | Mapping[str, Any]) -> int:
    """Height of the figure's legend in layout pixels, as a figure or as its dict.

    The chart is made this much taller than its margins, so that none of the legend scrolls
    out of sight; an export of fixed size lets a taller legend run into the margin.
    """
    traces = [t.to_plotly_json() for t in fig.data] if isinstance(fig, go.Figure) else fig.get("data", [])
    entries = [t for t in traces if t.get("meta") == "key"]
    groups = len({t.get("legendgroup") for t in entries})
    return 21 * len(entries) + 34 * groups


def figure_lanes(fig: go.Figure) -> list[str]:
    """The actor lanes of a figure, top to bottom."""
    return list(fig.layout.meta["lanes"])


def fig_actors(fig: go.Figure) -> list[str]:
    """The lane of every event marker in the figure, trace by trace."""
    rows = fig.layout.meta["rows"]
    return [rows[round(y)] for trace in event_traces(fig) for y in trace.y]


def event_traces(fig: go.Figure) -> list[Any]:
    """The traces holding one marker per event."""
    return [trace for trace in fig.data if trace.meta == EVENT_TRACE]


def dataset_figure(
    dataset: Dataset, filters: Filters, *, title: str | None = None, filtered: pd.DataFrame | None = None
) -> go.Figure:
    """The chart of a dataset under filters, as the dashboard shows it and exports draw it.

    ``filtered`` is ``apply_filters(dataset.events, filters)`` when the caller has it already.
    """
    events = apply_filters(dataset.events, filters) if filtered is None else filtered
    window = (filters.start, filters.end) if filters.start or filters.end else None
    return timeline_figure(
        events,
        colors=side_colors(dataset.events),
        title=title if title is not None else (dataset.title or dataset.name),
        subtitle=f"{filters.describe()} · {len(events)} of {len(dataset.events)} events",
        credit=dataset.credit_line,
        eras=dataset.eras,
        window=window,
    )
