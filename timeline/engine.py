"""The columnar engines that answer the view's questions: which lanes, how many events, which
rows, what density.

Both engines read one **engine table**, derived once from a validated event table (see
:func:`engine_table`): integer milliseconds for dates, the searchable text folded once, and
each row's position in the event table. The questions are the same for both:

- :meth:`Engine.lane_stats`: per actor, its events under the filters, its side and first date;
- :meth:`Engine.count`: how many events of some actors fall in a time window;
- :meth:`Engine.positions`: which rows those are (for the exact view);
- :meth:`Engine.bins`: how many of them fall in each lane and time bin (for the density view).

:class:`ArrayEngine` answers with numpy on the table's arrays: on small and medium tables
it has no per-query overhead at all. :class:`IbisEngine` writes each question once as an
Ibis expression, so the same query runs on the embedded DuckDB and on a distributed engine
(Spark, Trino) over the same table; ``tests/engines`` checks that they agree.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from timeline.schema import HI, LO

DAY_MS = 86_400_000
UNASSIGNED_SIDE = "Unassigned"
SEARCHED_COLUMNS = ("title", "summary", "quote", "source_text")
TEXT_SEPARATOR = "\u0001"
"""Joins the searched columns: no needle a reader types can span two of them."""
# Sources print curly quotes and apostrophes, readers type straight ones: fold both.
_FOLDS = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2026", "..."))

ENGINE_COLUMNS = ("pos", "id", "actor", "target", "side", "kind", "status", "lo", "hi", "at", "text")
"""The engine table: row position, the columns filters read, dates as int64 milliseconds since
1970 (``hi`` is exclusive: the end of the last day), ``at`` where the marker sits, and the
folded searchable ``text``."""

Window = tuple[int, int]
"""A time window in milliseconds since 1970: ``[start, end)``."""


def fold(value: str) -> str:
    """Text as the search compares it: lower case (as Arrow lowers the searched text), curly
    quotes straight."""
    folded = str(pc.utf8_lower(pa.scalar(value, pa.string())).as_py())
    for pattern, replacement in _FOLDS:
        folded = folded.replace(pattern, replacement)
    return folded


def _fold_array(values: pa.Array) -> pa.Array:
    if pc.all(pc.string_is_ascii(values)).as_py() is not False:
        return pc.ascii_lower(values)
    folded = pc.utf8_lower(values)
    for pattern, replacement in _FOLDS:
        folded = pc.replace_substring(folded, pattern, replacement)
    return folded


def _strings(values: pd.Series) -> pa.Array:
    """A text column as Arrow strings (no copy when pandas holds it in Arrow already)."""
    array = pa.array(values)
    return array if array.type == pa.large_string() else array.cast(pa.large_string())


def _ms(values: pd.Series) -> np.ndarray:
    """Datetimes as int64 milliseconds since 1970."""
    return values.to_numpy(dtype="datetime64[ms]").astype(np.int64)


def side_names(events: pd.DataFrame) -> pd.Series:
    """Each event's side, with blanks named :data:`UNASSIGNED_SIDE`."""
    sides = events["side"].astype(str)
    return sides.where(sides.str.strip() != "", UNASSIGNED_SIDE)


def anchor_ms(
    lo: np.ndarray,
    hi: np.ndarray,
    loose: np.ndarray,
    open_start: np.ndarray | None = None,
    known_start: np.ndarray | None = None,
) -> np.ndarray:
    """Where each marker sits: its day, a span's start, a loose date's middle (``hi`` exclusive);
    on the known edge of a window open on one side ("before 400 BC": 401 BC's last day; "after
    1200": 1201's first), and at the start of a span still going on."""
    middle = lo + (hi - lo) // 2
    out: np.ndarray = np.where(loose, middle, lo)
    if known_start is not None:
        out = np.where(known_start, lo, out)
    if open_start is not None:
        out = np.where(open_start, hi - DAY_MS, out)
    return out


def open_sides(events: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per event: whether its start is open ("before 400 BC"), its end is open ("after 1200"
    with no end, or an end "after ..."), and whether it is still going on (an end of ``present``)."""
    start, end = events["start"].astype(str), events["end"].astype(str)
    open_start = start.str.startswith("before ").to_numpy(dtype=bool)
    ongoing = (end == "present").to_numpy(dtype=bool)
    open_end = ((start.str.startswith("after ") & (end == "")) | end.str.startswith("after ")).to_numpy(dtype=bool)
    return open_start, open_end, ongoing


def loose_dates(events: pd.DataFrame) -> np.ndarray:
    """Events whose date is known only roughly: month or year precision, or approximate."""
    mask: np.ndarray = ((events["precision"] != "day") | events["approximate"].astype(bool)).to_numpy()
    return mask


def engine_table(events: pd.DataFrame) -> pa.Table:
    """The engine table of a validated event table (see :data:`ENGINE_COLUMNS`)."""
    lo = _ms(events[LO])
    hi = _ms(events[HI]) + DAY_MS
    target = events["target"] if "target" in events else pd.Series("", index=events.index, dtype=str)
    open_start, open_end, ongoing = open_sides(events)
    texts = [_strings(events[c]) for c in SEARCHED_COLUMNS]
    joined = pc.binary_join_element_wise(*texts, pa.scalar(TEXT_SEPARATOR, pa.large_string()))
    return pa.table(
        {
            "pos": pa.array(np.arange(len(events), dtype=np.int64)),
            "id": _strings(events["id"]),
            "actor": _strings(events["actor"]),
            "target": _strings(target),
            "side": _strings(side_names(events)),
            "kind": _strings(events["kind"]),
            "status": _strings(events["status"]),
            "lo": pa.array(lo),
            "hi": pa.array(hi),
            "at": pa.array(anchor_ms(lo, hi, loose_dates(events), open_start, open_end | ongoing)),
            "text": _fold_array(joined),
        }
    )


@dataclass(frozen=True)
class Query:
    """What the engines filter on: the filters as the engine table's values.

    Attributes:
        actors, targets, kinds, statuses: keep rows whose column is one of these (empty: all).
        ids: keep only the events of these ids (None: all; empty: none), such as a thread.
        start: keep events that reach this moment or later (ms).
        end: keep events that begin before this moment (ms, exclusive).
        text: keep rows whose folded text contains this (already folded).
    """

    actors: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    text: str = ""
    statuses: tuple[str, ...] = ()
    ids: tuple[str, ...] | None = None


LANE_STATS_COLUMNS = ("actor", "side", "count", "first", "last")


class Engine(Protocol):
    """The questions a view asks; every engine answers them alike.

    :meth:`select` applies the filters once per view; the other questions take its answer
    (an engine's own value: a row mask, or a filtered expression).
    """

    def select(self, query: Query) -> Any:
        """The rows under ``query``."""
        ...

    def lane_stats(self, rows: Any) -> pd.DataFrame:
        """Per actor with events under ``query``: ``actor, side, count, first, last`` (ms; ``last``
        exclusive), in any order."""
        ...

    def count(self, rows: Any, window: Window, actors: Sequence[str] | None) -> int:
        """Events of ``rows`` that overlap ``window``, of ``actors`` (None: of all actors)."""
        ...

    def positions(self, rows: Any, window: Window, actors: Sequence[str] | None) -> np.ndarray:
        """Row positions (ascending) of the events :meth:`count` counts."""
        ...

    def bins(self, rows: Any, window: Window, shown: Sequence[str], fold: bool, width: int) -> pd.DataFrame:
        """Events of ``rows`` whose marker lies in ``window``, counted per lane and bin.

        Returns ``actor, bin, count`` rows for non-empty cells: ``actor`` is one of ``shown``,
        or ``None`` for the other actors together when ``fold`` is true (else they are left
        out); ``bin`` is ``(at - window start) // width``.
        """
        ...


class ArrayEngine:
    """The engine table's columns as numpy arrays, queried with numpy. No per-query overhead."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self._actor = table["actor"].combine_chunks().dictionary_encode()
        self.actor_names: np.ndarray = self._actor.dictionary.to_numpy(zero_copy_only=False)
        self.actor_code: np.ndarray = self._actor.indices.to_numpy().astype(np.int32)
        self.lo: np.ndarray = table["lo"].to_numpy()
        self.hi: np.ndarray = table["hi"].to_numpy()
        self.at: np.ndarray = table["at"].to_numpy()
        self._code_of = {name: i for i, name in enumerate(self.actor_names.tolist())}
        self._lock = threading.Lock()
        self._duckdb: Any = None
        if len(self.actor_code) >= TEXT_DUCKDB_FROM_ROWS:
            self._text_rows("")  # open DuckDB now, so the first search does not wait for it

    @functools.cached_property
    def _sides(self) -> np.ndarray:
        """Each actor code's side: the side of its first row."""
        first = np.full(len(self.actor_names), -1, dtype=np.int64)
        positions = np.arange(len(self.actor_code), dtype=np.int64)[::-1]
        first[self.actor_code[::-1]] = positions  # the last write is the first row
        sides: np.ndarray = self.table["side"].take(pa.array(first)).to_numpy(zero_copy_only=False)
        return sides

    def _codes(self, names: Sequence[str]) -> np.ndarray:
        return np.array([self._code_of[n] for n in names if n in self._code_of], dtype=np.int32)

    def _in(self, column: str, values: Sequence[str]) -> np.ndarray:
        mask: np.ndarray = pc.is_in(self.table[column], value_set=pa.array(list(values), pa.large_string())).to_numpy(
            zero_copy_only=False
        )
        return mask

    def select(self, query: Query) -> np.ndarray:
        """Rows under ``query``."""
        keep = np.ones(len(self.actor_code), dtype=bool)
        if query.actors:
            keep &= np.isin(self.actor_code, self._codes(query.actors))
        if query.targets:
            keep &= self._in("target", query.targets)
        if query.kinds:
            keep &= self._in("kind", query.kinds)
        if query.statuses:
            keep &= self._in("status", query.statuses)
        if query.ids is not None:
            keep &= self._in("id", query.ids)
        if query.start is not None:
            keep &= self.hi > query.start
        if query.end is not None:
            keep &= self.lo < query.end
        if query.text:
            keep &= self._text_rows(query.text)
        return keep

    def _text_rows(self, needle: str) -> np.ndarray:
        """Rows whose text contains ``needle``. Arrow scans a small table faster; DuckDB's
        substring search is about six times faster on a large one (measured at 1M rows)."""
        if len(self.actor_code) < TEXT_DUCKDB_FROM_ROWS:
            found: np.ndarray = pc.match_substring(self.table["text"], needle).to_numpy(zero_copy_only=False)
            return found
        with self._lock:
            if self._duckdb is None:
                import duckdb

                self._duckdb = duckdb.connect(config={"threads": 2})
                self._duckdb.register("events", self.table.select(["pos", "text"]))
            hits = self._duckdb.sql("SELECT pos FROM events WHERE contains(text, ?)", params=[needle]).to_arrow_table()
        mask = np.zeros(len(self.actor_code), dtype=bool)
        mask[hits["pos"].to_numpy()] = True
        return mask

    def lane_stats(self, rows: np.ndarray) -> pd.DataFrame:
        keep = rows
        codes = self.actor_code[keep]
        counts = np.bincount(codes, minlength=len(self.actor_names))
        first = np.full(len(self.actor_names), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, codes, self.lo[keep])
        last = np.full(len(self.actor_names), np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(last, codes, self.hi[keep])
        present = np.flatnonzero(counts)
        return pd.DataFrame(
            {
                "actor": self.actor_names[present],
                "side": self._sides[present],
                "count": counts[present].astype(np.int64),
                "first": first[present],
                "last": last[present],
            }
        )

    def _in_view(self, rows: np.ndarray, window: Window, actors: Sequence[str] | None) -> np.ndarray:
        keep = rows & (self.lo < window[1]) & (self.hi > window[0])
        if actors is not None:
            keep &= np.isin(self.actor_code, self._codes(actors))
        return keep

    def count(self, rows: np.ndarray, window: Window, actors: Sequence[str] | None) -> int:
        return int(np.count_nonzero(self._in_view(rows, window, actors)))

    def positions(self, rows: np.ndarray, window: Window, actors: Sequence[str] | None) -> np.ndarray:
        found: np.ndarray = np.flatnonzero(self._in_view(rows, window, actors)).astype(np.int64)
        return found

    def bins(self, rows: np.ndarray, window: Window, shown: Sequence[str], fold: bool, width: int) -> pd.DataFrame:
        keep = rows & (self.at >= window[0]) & (self.at < window[1])
        shown_codes = self._codes(shown)
        lane_of = np.full(len(self.actor_names), -1, dtype=np.int64)
        lane_of[shown_codes] = np.arange(len(shown_codes))
        lanes = lane_of[self.actor_code[keep]]
        bins = (self.at[keep] - window[0]) // width
        if not fold:
            bins, lanes = bins[lanes >= 0], lanes[lanes >= 0]
        lanes = np.where(lanes < 0, len(shown_codes), lanes)  # the folded lane
        n_bins = int((window[1] - window[0] - 1) // width + 1)
        cells = np.bincount(lanes * n_bins + bins, minlength=(len(shown_codes) + 1) * n_bins)
        found = np.flatnonzero(cells)
        lane, bin_ = np.divmod(found, n_bins)
        names = np.array([*self.actor_names[shown_codes].tolist(), None], dtype=object)
        return pd.DataFrame(
            {"actor": names[lane], "bin": bin_.astype(np.int64), "count": cells[found].astype(np.int64)}
        )


class IbisEngine:
    """The same questions as Ibis expressions: DuckDB here, Spark or Trino at newsroom scale.

    Args:
        table: an Ibis table with the :data:`ENGINE_COLUMNS`, on any backend.
    """

    def __init__(self, table: Any) -> None:
        self.table = table

    @classmethod
    def duckdb(cls, table: pa.Table) -> IbisEngine:
        """An engine over an Arrow table held by an embedded DuckDB (no copy is made)."""
        import duckdb
        import ibis

        connection = duckdb.connect(config={"threads": 2})
        connection.register("events", table)
        return cls(ibis.duckdb.from_connection(connection).table("events"))

    def select(self, query: Query) -> Any:
        import ibis

        t = self.table
        conditions = []
        if query.actors:
            conditions.append(t.actor.isin(list(query.actors)))
        if query.targets:
            conditions.append(t.target.isin(list(query.targets)))
        if query.kinds:
            conditions.append(t.kind.isin(list(query.kinds)))
        if query.statuses:
            conditions.append(t.status.isin(list(query.statuses)))
        if query.ids is not None:
            conditions.append(t.id.isin(list(query.ids)) if query.ids else ibis.literal(False))
        if query.start is not None:
            conditions.append(t.hi > query.start)
        if query.end is not None:
            conditions.append(t.lo < query.end)
        if query.text:
            conditions.append(t.text.contains(query.text))
        return t.filter(*conditions) if conditions else t

    def _in_view(self, rows: Any, window: Window, actors: Sequence[str] | None) -> Any:
        t = rows
        t = t.filter(t.lo < window[1], t.hi > window[0])
        return t.filter(t.actor.isin(list(actors))) if actors is not None else t

    def lane_stats(self, rows: Any) -> pd.DataFrame:
        from ibis import _

        t = rows
        stats = t.group_by("actor").aggregate(count=_.count(), first=_.lo.min(), last=_.hi.max())
        # An actor's side is the side of its first row in the whole table, as in the array engine.
        firsts = self.table.group_by("actor").aggregate(first_pos=_.pos.min())
        sides = self.table.select(first_pos=_.pos, side=_.side).join(firsts, "first_pos")
        joined = stats.join(sides.select("actor", "side"), "actor").select("actor", "side", "count", "first", "last")
        return _frame(joined.to_pyarrow(), LANE_STATS_COLUMNS)

    def count(self, rows: Any, window: Window, actors: Sequence[str] | None) -> int:
        return int(self._in_view(rows, window, actors).count().to_pyarrow().as_py())

    def positions(self, rows: Any, window: Window, actors: Sequence[str] | None) -> np.ndarray:
        found = self._in_view(rows, window, actors).select("pos").order_by("pos").to_pyarrow()
        out: np.ndarray = found["pos"].to_numpy().astype(np.int64)
        return out

    def bins(self, rows: Any, window: Window, shown: Sequence[str], fold: bool, width: int) -> pd.DataFrame:
        import ibis
        from ibis import _

        t = rows
        t = t.filter(t.at >= window[0], t.at < window[1])
        if not fold:
            t = t.filter(t.actor.isin(list(shown)))
        lane = t.actor.isin(list(shown)).ifelse(t.actor, ibis.null("string")) if shown else ibis.null("string")
        # Integer division written out: DuckDB and Spark agree on floor of a non-negative quotient.
        cell = t.mutate(lane=lane, bin=((t.at - window[0]) / width).floor().cast("int64"))
        counted = cell.group_by(["lane", "bin"]).aggregate(count=_.count())
        out = _frame(counted.to_pyarrow(), ("lane", "bin", "count")).rename(columns={"lane": "actor"})
        out["actor"] = out["actor"].astype(object).where(out["actor"].notna(), None)
        return out


def _frame(table: pa.Table, columns: Sequence[str]) -> pd.DataFrame:
    frame: pd.DataFrame = table.to_pandas()
    for column in columns:
        if column in ("count", "first", "last", "bin"):
            frame[column] = frame[column].astype(np.int64)
    out: pd.DataFrame = frame[list(columns)]
    return out


TEXT_DUCKDB_FROM_ROWS = 50_000
"""From this many rows on, the array engine asks DuckDB to search the text."""
ENGINES = ("auto", "arrays", "duckdb")
"""``--engine`` choices. ``auto`` picks by size, from the measured crossover (README, Benchmarks)."""
DUCKDB_FROM_ROWS = 2_000_000
"""``auto`` uses DuckDB from this many events on; below it the array engine is faster."""


def make_engine(table: pa.Table, choice: str = "auto") -> Engine:
    """The engine for an engine table: ``arrays``, ``duckdb``, or ``auto`` by size."""
    if choice == "duckdb" or (choice == "auto" and table.num_rows >= DUCKDB_FROM_ROWS):
        return IbisEngine.duckdb(table)
    return ArrayEngine(table)
