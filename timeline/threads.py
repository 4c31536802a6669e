"""Threads: which event answers, denies, confirms, reports on or refers to which.

A relation is a column of the event table named after its type; each cell lists the ids of
the events this row relates to, separated by ``;`` (``denies = gur-intercept-claim;
yusov-systematic-use``). The table stays one table, and a spreadsheet reads it as written.

:class:`Links` indexes every relation of a table once, as arrays of row positions, and
answers what the dashboard, the exports and ``--thread`` ask: an event's thread, what it
links to and what links to it, and the links among a set of drawn events. The same index
checks the links when a table loads (:func:`link_problems`): every id must name an event, no
event links to itself, a pair of events has one relation, and the relations that order
events in time (an answer comes after what it answers) never loop.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from scipy import sparse

SEPARATOR = ";"
"""Between the ids of one relation cell."""


@dataclass(frozen=True)
class Relation:
    """One type of link from an event to others.

    Attributes:
        name: its column. verb: how a connector's hover says it ("denies").
        inverse: how the linked event's details list it ("Denied by").
        acyclic: whether links of this type (with the other acyclic ones) may not loop.
        color, dash: how its connectors are drawn.
        description: for the README's schema table.
    """

    name: str
    verb: str
    inverse: str
    acyclic: bool
    color: str
    dash: str
    description: str

    @property
    def label(self) -> str:
        """``Denies``, ``Reports on``: the heading of an event's links of this type."""
        return self.verb[0].upper() + self.verb[1:]


RELATIONS: tuple[Relation, ...] = (
    Relation(
        "responds_to",
        "responds to",
        "Answered by",
        True,
        "#555555",
        "solid",
        "Ids of the events this one answers or reacts to, separated by `;`.",
    ),
    Relation(
        "denies",
        "denies",
        "Denied by",
        True,
        "#D62728",
        "solid",
        "Ids of the events whose claims this one denies or rejects (in the voice of its actor).",
    ),
    Relation(
        "confirms",
        "confirms",
        "Confirmed by",
        True,
        "#2CA02C",
        "solid",
        "Ids of the events this one confirms or backs.",
    ),
    Relation(
        "reports_on",
        "reports on",
        "Reported on by",
        True,
        "#1F77B4",
        "dash",
        "Ids of the events this one reports (a news report of what was said or done).",
    ),
    Relation(
        "refers_to",
        "refers to",
        "Referred to by",
        False,
        "#8C6D31",
        "dot",
        "Ids of the events this one mentions without answering them, such as a past event a "
        "later statement talks about. The only relation that may loop.",
    ),
)
RELATION_NAMES: tuple[str, ...] = tuple(r.name for r in RELATIONS)
RELATION_OF: Mapping[str, Relation] = {r.name: r for r in RELATIONS}
ACYCLIC: tuple[str, ...] = tuple(r.name for r in RELATIONS if r.acyclic)


def split_ids(value: str) -> list[str]:
    """The ids in a relation cell (``;``, ``,`` and spaces all separate them)."""
    return [part for part in value.replace(",", " ").replace(";", " ").split() if part]


@dataclass(frozen=True)
class Named:
    """Every id that a table's relation cells name: the row that names it, its column and the
    id, one entry per id named, in table order."""

    row: np.ndarray
    relation: np.ndarray
    """Index into :data:`RELATIONS`."""
    id: pd.Series


def named_ids(cells: Mapping[str, pd.Series]) -> Named:
    """The ids named by relation cells already joined with ``;`` (see ``schema._joined_ids``)."""
    rows, relations, named = [], [], []
    for code, relation in enumerate(RELATIONS):
        column = cells.get(relation.name)
        if column is None:
            continue
        filled = np.flatnonzero((column != "").to_numpy())
        if not len(filled):
            continue
        parts = pc.split_pattern(pa.array(column.iloc[filled], type=pa.large_string()), SEPARATOR)
        rows.append(filled[pc.list_parent_indices(parts).to_numpy()])
        relations.append(np.full(len(rows[-1]), code, dtype=np.int8))
        named.append(pd.Series(pc.list_flatten(parts), dtype="str"))
    if not rows:
        return Named(np.zeros(0, np.int64), np.zeros(0, np.int8), pd.Series([], dtype="str"))
    return Named(
        np.concatenate(rows).astype(np.int64),
        np.concatenate(relations),
        pd.concat(named, ignore_index=True),
    )


def positions_of(ids: pd.Series, wanted: pd.Series) -> np.ndarray:
    """The row of each wanted id among ``ids`` (the first, if an id repeats), or -1."""
    if not len(wanted):
        return np.zeros(0, dtype=np.int64)
    found = pc.index_in(pa.array(wanted, type=pa.large_string()), value_set=pa.array(ids, type=pa.large_string()))
    rows: np.ndarray = found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return rows


@dataclass(frozen=True)
class LinkProblem:
    """A relation cell that breaks a rule: its row (from 0), column, the id at fault and why."""

    row: int
    column: str
    id: str
    rule: str


LOOP_PATHS_SHOWN = 50
"""Loops spelled out id by id; further links on loops are reported by the loop's size."""


def link_problems(ids: pd.Series, cells: Mapping[str, pd.Series]) -> list[LinkProblem]:
    """Every broken link of a table: unknown ids, self-links, a pair linked twice, loops."""
    named = named_ids(cells)
    target = positions_of(ids, named.id)
    problems: list[LinkProblem] = []
    names = named.id.tolist()

    def report(mask: np.ndarray, rule: str) -> None:
        for i in np.flatnonzero(mask).tolist():
            relation = RELATIONS[int(named.relation[i])]
            problems.append(
                LinkProblem(int(named.row[i]), relation.name, names[i], rule.format(id=names[i], relation=relation))
            )

    unknown = target < 0
    report(unknown, "names {id!r}, which is no event's id")
    own = target == named.row
    report(own, "names the event's own id {id!r}: {relation.name} links an event to others, not to itself")
    good = ~unknown & ~own
    pairs = pd.DataFrame({"row": named.row[good], "target": target[good]})
    again = np.zeros(len(target), dtype=bool)
    again[np.flatnonzero(good)[pairs.duplicated().to_numpy()]] = True
    first_of_pair = {}
    for i in np.flatnonzero(good & ~again).tolist():
        first_of_pair[(int(named.row[i]), int(target[i]))] = RELATIONS[int(named.relation[i])].name
    for i in np.flatnonzero(again).tolist():
        relation = RELATIONS[int(named.relation[i])]
        earlier = first_of_pair[(int(named.row[i]), int(target[i]))]
        where = "twice in this cell" if earlier == relation.name else f"already under {earlier}"
        problems.append(
            LinkProblem(
                int(named.row[i]),
                relation.name,
                names[i],
                f"names {names[i]!r} {where}: one relation per pair of events",
            )
        )
    ordered = good & ~again & np.isin(named.relation, [RELATION_NAMES.index(n) for n in ACYCLIC])
    problems += _loops(len(ids), named, target, ordered, ids)
    return problems


def _loops(rows: int, named: Named, target: np.ndarray, ordered: np.ndarray, ids: pd.Series) -> list[LinkProblem]:
    """Links of the acyclic relations that lie on a loop: both ends in one strongly connected part."""
    source, goal = named.row[ordered], target[ordered]
    if not len(source):
        return []
    from scipy import sparse  # imported on first use: a table without links never needs it
    from scipy.sparse import csgraph

    graph = sparse.csr_matrix((np.ones(len(source), dtype=np.int8), (source, goal)), shape=(rows, rows))
    _, part = csgraph.connected_components(graph, directed=True, connection="strong")
    on_loop = np.flatnonzero(part[source] == part[goal])
    if not len(on_loop):
        return []
    sizes = np.bincount(part)
    acyclic = ", ".join(ACYCLIC)
    out = []
    which = np.flatnonzero(ordered)
    for shown, i in enumerate(on_loop.tolist()):
        relation = RELATIONS[int(named.relation[which[i]])]
        start, end = int(source[i]), int(goal[i])
        if shown < LOOP_PATHS_SHOWN:
            path = _path(graph, end, start)
            loop = " → ".join(str(ids.iloc[p]) for p in [start, *path])
            rule = f"closes a loop: {loop} ({acyclic} may not loop; use refers_to)"
        else:
            rule = f"lies on a loop of {sizes[part[start]]} events ({acyclic} may not loop; use refers_to)"
        out.append(LinkProblem(start, relation.name, str(ids.iloc[end]), rule))
    return out


def _path(graph: sparse.csr_matrix, start: int, goal: int) -> list[int]:
    """The rows of a shortest path from ``start`` to ``goal`` (both included)."""
    from scipy.sparse import csgraph

    _, before = csgraph.breadth_first_order(graph, start, directed=True, return_predecessors=True)
    path = [goal]
    while path[-1] != start and before[path[-1]] >= 0:
        path.append(int(before[path[-1]]))
    return path[::-1]


@dataclass(frozen=True)
class Links:
    """Every relation of a valid event table as arrays: link ``i`` runs from row ``source[i]``
    (the answer, the report) to row ``target[i]`` (what it is about), of type
    ``RELATIONS[relation[i]]``."""

    source: np.ndarray
    target: np.ndarray
    relation: np.ndarray
    rows: int

    @classmethod
    def of(cls, events: pd.DataFrame) -> Links:
        """The links of a validated table (whose relation cells name only its ids)."""
        named = named_ids({name: events[name] for name in RELATION_NAMES if name in events})
        target = positions_of(events["id"], named.id)
        known = target >= 0
        return cls(named.row[known], target[known], named.relation[known], len(events))

    def __len__(self) -> int:
        return len(self.source)

    @functools.cached_property
    def _forward(self) -> sparse.csr_matrix:
        from scipy import sparse

        ones = np.ones(len(self.source), dtype=np.int8)
        return sparse.csr_matrix((ones, (self.source, self.target)), shape=(self.rows, self.rows))

    @functools.cached_property
    def _backward(self) -> sparse.csr_matrix:
        return self._forward.transpose().tocsr()

    def thread(self, position: int) -> np.ndarray:
        """The event at ``position``, what it links to and what links to it, transitively: the
        row positions of its thread, ascending."""
        if not len(self):
            return np.array([position], dtype=np.int64)
        from scipy.sparse import csgraph

        after = csgraph.breadth_first_order(self._forward, position, directed=True, return_predecessors=False)
        before = csgraph.breadth_first_order(self._backward, position, directed=True, return_predecessors=False)
        found: np.ndarray = np.union1d(after, before).astype(np.int64)
        return found

    def outgoing(self, position: int) -> list[tuple[Relation, int]]:
        """What the event at ``position`` links to: (relation, row), in the table's order of cells."""
        chosen = np.flatnonzero(self.source == position)
        return [(RELATIONS[int(self.relation[i])], int(self.target[i])) for i in chosen.tolist()]

    def incoming(self, position: int) -> list[tuple[Relation, int]]:
        """What links to the event at ``position``: (relation, row)."""
        chosen = np.flatnonzero(self.target == position)
        order = np.lexsort((self.source[chosen], self.relation[chosen]))
        return [(RELATIONS[int(self.relation[i])], int(self.source[i])) for i in chosen[order].tolist()]

    def among(self, positions: np.ndarray) -> np.ndarray:
        """The links whose two ends are both among ``positions`` (ascending row positions)."""
        if not len(self) or not len(positions):
            return np.zeros(0, dtype=np.int64)
        keep = np.zeros(self.rows, dtype=bool)
        keep[positions] = True
        found: np.ndarray = np.flatnonzero(keep[self.source] & keep[self.target]).astype(np.int64)
        return found

    @functools.cached_property
    def linked(self) -> np.ndarray:
        """Rows with at least one link, either way, ascending."""
        found: np.ndarray = np.union1d(self.source, self.target).astype(np.int64)
        return found


def trimmed_cells(events: pd.DataFrame, kept: Sequence[str] | set[str]) -> pd.DataFrame:
    """The events with every relation cell naming only ids among ``kept``; the same frame when
    nothing had to go (so that an export of some events loads on its own)."""
    keep = set(kept)
    out = events
    for name in RELATION_NAMES:
        if name not in events:
            continue
        cells = events[name]
        filled = cells != ""
        if not filled.any():
            continue
        trimmed = cells[filled].map(lambda cell: SEPARATOR.join(i for i in cell.split(SEPARATOR) if i in keep))
        if trimmed.equals(cells[filled]):
            continue
        if out is events:
            out = events.copy()
        out.loc[filled, name] = trimmed
    return out
