"""The view model: what one view of a dataset shows, as typed arrays, before any drawing.

:func:`timeline.query.build_view` answers "what fits this window and these lanes?" with a
:class:`View`; :mod:`timeline.figures` draws whichever it holds: exact :class:`Marks`, one
per event, or :class:`Density` bins when too many events are in view. Exports and tests read
the model, not the figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Mode = Literal["exact", "aggregated"]
LaneOrder = Literal["count", "side", "first", "name"]
LANE_ORDERS: dict[str, str] = {
    "count": "Most events",
    "side": "Side",
    "first": "First date",
    "name": "Name",
}
"""How lanes can be ordered, with the label the dashboard shows."""


@dataclass(frozen=True)
class Lane:
    """One row of the chart: an actor's lane, a side's header, or the folded actors."""

    row: int
    label: str
    side: str
    kind: Literal["actor", "header", "fold"]
    actor: str = ""
    count: int = 0
    """Events of this lane under the filters (all of them, not only those in the window)."""


@dataclass(frozen=True)
class Fold:
    """The actors that did not fit, drawn together as one lane of density."""

    row: int
    actors: tuple[str, ...]
    events: int


@dataclass(frozen=True)
class Marks:
    """Exactly drawn events: one entry per event in view, arrays aligned.

    ``positions`` index the dataset's event table; a click on a marker returns one of them.
    """

    positions: np.ndarray
    ids: list[str]
    lane: np.ndarray
    """Lane row of each event (int)."""
    y: np.ndarray
    """Where the marker sits vertically: its lane, moved apart from same-day markers."""
    at: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    """Times in ms since 1970: marker, first moment, end of the last day (exclusive)."""
    kind: np.ndarray
    side: np.ndarray
    loose: np.ndarray
    span: np.ndarray
    target_lane: np.ndarray
    """Lane row of each event's target, or NaN when it has none or its lane is not shown."""
    hover: list[str]
    status: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    """Each event's claim status, blank when none."""
    open_start: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    open_end: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    """Each event's window is open before it ("before 400 BC") or after it ("after 1200"):
    drawn as a band fading out on that side."""
    ongoing: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    """Each event is a span still going on (its end is ``present``): a bar to today, then a fading tail."""

    def __len__(self) -> int:
        return len(self.positions)


@dataclass(frozen=True)
class Connectors:
    """The relations among the drawn events, each from an answer to what it is about.

    ``source`` and ``target`` index the view's :class:`Marks`; ``relation`` indexes
    :data:`timeline.threads.RELATIONS`.
    """

    source: np.ndarray
    target: np.ndarray
    relation: np.ndarray
    hover: list[str]

    def __len__(self) -> int:
        return len(self.source)


@dataclass(frozen=True)
class Highlight:
    """A selected event and its thread: ``selected`` indexes the marks (or is None when the
    event is not drawn); ``in_thread`` flags each mark; when ``dims`` is set, the marks and
    connectors outside the thread are drawn faint."""

    event_id: str
    selected: int | None
    in_thread: np.ndarray
    dims: bool


@dataclass(frozen=True)
class Density:
    """Events counted per lane and time bin; only non-empty cells are listed."""

    start: int
    width: int
    """First bin's start and every bin's width, in ms."""
    bins: int
    lane: np.ndarray
    bin: np.ndarray
    count: np.ndarray

    @property
    def total(self) -> int:
        return int(self.count.sum())


@dataclass(frozen=True)
class View:
    """One view of a dataset: its rows, and the marks or density to draw in them."""

    lanes: list[Lane]
    """Every row top to bottom: headers, actor lanes and the fold."""
    fold: Fold | None
    mode: Mode
    marks: Marks | None
    """The exact events of the shown lanes (exact mode)."""
    density: Density | None
    """Counts per bin: of every lane when aggregated; of the fold alone when exact."""
    window: tuple[int, int]
    """The time axis, ms since 1970."""
    in_view: int
    """Events of the shown lanes in the window (what decides the mode)."""
    matched: int
    """Events under the filters, anywhere in time."""
    total: int
    colors: dict[str, str]
    kinds: tuple[str, ...]
    """Kinds present among the drawn events (for the legend)."""
    has_loose: bool = False
    has_exact_day: bool = False
    has_span: bool = False
    order: str = "count"
    notes: tuple[str, ...] = field(default_factory=tuple)
    connectors: Connectors | None = None
    """The relations drawn between the marks (exact mode, when connectors are shown)."""
    highlight: Highlight | None = None
    statuses: tuple[str, ...] = ()
    """Claim statuses present among the drawn events (for the legend)."""

    def actor_lanes(self) -> list[str]:
        """The actors with a lane of their own, top to bottom."""
        return [lane.actor for lane in self.lanes if lane.kind == "actor"]
