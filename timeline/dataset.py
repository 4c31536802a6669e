"""A loaded dataset: the validated event table and what is known about its origin."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from timeline.dates import DateOrder

if TYPE_CHECKING:
    import pyarrow as pa

    from timeline.engine import Engine
    from timeline.threads import Links


@dataclass(frozen=True)
class Era:
    """A named stretch of time drawn behind the events (TimelineJS eras)."""

    label: str
    start: str
    end: str


@dataclass(frozen=True)
class Dataset:
    """A validated event table and what is known about where it came from.

    Attributes:
        events: the typed event table (see :func:`timeline.schema.validate_events`).
        name: the file's name. title, credit: from the file or its ``.meta.json``.
        eras: named periods (TimelineJS).
        lane_order: how the dashboard orders lanes at first (``count`` unless the
            dataset's meta file says otherwise).
        engine_choice: which engine answers its queries (see :func:`timeline.engine.make_engine`).
        side_colors: side -> colour pinned by the meta file; the other sides' colours come
            from their names (see :func:`timeline.colors.side_colors`).
        notes: what the reader reinterpreted or set aside on the way in, one sentence each
            (``content: HTML tags removed in 3 rows``); ``timeline validate`` prints them.
    """

    events: pd.DataFrame
    name: str
    title: str = ""
    credit: str = ""
    eras: tuple[Era, ...] = field(default_factory=tuple)
    lane_order: str = "count"
    engine_choice: str = "auto"
    side_colors: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def file_stem(self) -> str:
        """A name for files made from this dataset (downloads): its title's slug, up to any
        colon ("Starlink terminals, Russia and Ukraine: who said what" ->
        ``starlink-terminals-russia-and-ukraine``), else the file's name."""
        headline = self.title.split(":", 1)[0]
        slug = "-".join(re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", headline).casefold()))
        return slug[:80].rstrip("-") or self.name

    @property
    def credit_line(self) -> str:
        """The source line printed under exported charts."""
        return self.credit or f"Data: {self.name}"

    # Derived once per dataset, on first use (a frozen dataclass still has a __dict__ for these).
    @functools.cached_property
    def engine_table(self) -> pa.Table:
        """The events as the engines read them (see :func:`timeline.engine.engine_table`)."""
        from timeline.engine import engine_table

        return engine_table(self.events)

    @functools.cached_property
    def engine(self) -> Engine:
        """The engine that answers this dataset's queries."""
        from timeline.engine import make_engine

        return make_engine(self.engine_table, self.engine_choice)

    @functools.cached_property
    def links(self) -> Links:
        """Every relation between the events, indexed once (see :mod:`timeline.threads`)."""
        from timeline.threads import Links

        return Links.of(self.events)

    def position_of(self, event_id: str) -> int | None:
        """The row of the event with this id, or None."""
        found = self.id_index.get_indexer(pd.Index([event_id]))[0]
        return int(found) if found >= 0 else None

    @functools.cached_property
    def id_index(self) -> pd.Index:
        """The events' ids, for looking one up (they are unique in a validated table)."""
        index: pd.Index = pd.Index(self.events["id"].to_numpy())
        return index

    @functools.cached_property
    def actors(self) -> list[str]:
        """Every actor, in alphabetical order (any case)."""
        return sorted(self.events["actor"].unique().tolist(), key=str.casefold)

    @functools.cached_property
    def targets(self) -> list[str]:
        """Every target named, in alphabetical order (any case)."""
        return sorted((t for t in self.events["target"].unique().tolist() if t), key=str.casefold)

    @functools.cached_property
    def days(self) -> tuple[np.datetime64, np.datetime64]:
        """The first and last day any event may mean (the day after the epoch when there are none)."""
        if self.events.empty:
            today = np.datetime64("today", "D")
            return today, today
        lo = self.events["lo"].to_numpy(dtype="datetime64[D]").min()
        hi = self.events["hi"].to_numpy(dtype="datetime64[D]").max()
        return lo, hi

    @property
    def reaches_bc(self) -> bool:
        """Whether an event may fall before AD 1: a date picker cannot show it, a year field can."""
        return bool(self.days[0] < np.datetime64("0001-01-01"))

    def picker_days(self) -> tuple[str, str]:
        """The first and last day as a date picker takes them (ISO, at AD 1 at the earliest)."""
        first = np.datetime64("0001-01-01")
        lo, hi = (max(day, first) for day in self.days)
        return str(lo), str(hi)

    @functools.cached_property
    def colors(self) -> dict[str, str]:
        """Side -> colour, for every side of the dataset, in order of first appearance; a side's
        colour hangs on its name, so it is the same under any filter and in any dataset."""
        from timeline.colors import OTHER_COLOR, side_colors
        from timeline.engine import UNASSIGNED_SIDE, side_names

        pins = {UNASSIGNED_SIDE: OTHER_COLOR, **self.side_colors}
        return side_colors(side_names(self.events).unique().tolist(), pins)


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file whose layout the tool cannot guess.

    Attributes:
        format: force a format instead of reading it from the file name's extension.
        delimiter: the CSV delimiter; guessed from the header when not given.
        encoding: the text encoding; UTF-8 (BOM or not) and UTF-16 with a BOM are read
            without being told.
        date_order: how to read all-numeric dates such as ``12/02/2024``.
        mapping: schema column -> the input's column name, for tables with their own names.
        header: whether a delimited file's first line names its columns (``--no-header``: no).
        columns: names for a headerless file's columns, in order (``--columns``).
        preset: a named headerless layout (``icews``, ``gdelt``; see :mod:`timeline.headerless`).
        records: where a JSON document keeps its list of items (``$.data.items``).
    """

    format: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    date_order: DateOrder | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    header: bool = True
    columns: tuple[str, ...] = ()
    preset: str | None = None
    records: str | None = None
