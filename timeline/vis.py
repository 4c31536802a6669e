"""vis-timeline / vis.js DataSet JSON read into the event table.

A vis timeline is a list of items, or an object with ``items`` and optional ``groups``;
it is recognised by its items' keys (``content`` and ``start``, and no ``actor``).

How an item becomes an event:

- ``content`` is the title, as plain text (HTML reduced to its words, as for TimelineJS).
- ``group`` is the actor lane: the group's own ``content`` when a ``groups`` list names
  it (the group's id is kept as ``group_id``), else the group as written; an item without
  a group goes in the lane :data:`timeline.timelinejs.DEFAULT_ACTOR`.
- ``start`` and ``end`` as written (a number is milliseconds since 1970, UTC); times of
  day are kept by the ISO text and the chart works in days.
- ``type``: an item with an end (a ``range``) is a span, one without (``point``, ``box``) a
  point; ``background``
  items are shaded periods behind the events in vis, so they become the dataset's eras,
  not events. The ``type`` column is kept.
- ``title`` (vis's hover tooltip) is kept as ``tooltip``; ``className``, ``style``,
  ``subgroup`` and any other key are kept as they are (nested ones as dotted columns).
- ``id`` is the id (characters an id may not hold become ``-``), else ``row-N``.

Every such reinterpretation is told as a note on the dataset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from timeline.dataset import Era
from timeline.dates import DateError, DateOrder, parse_date_window
from timeline.nested import flatten_records
from timeline.schema import Problem, ValidationError, cell_text, counted, shorten
from timeline.timelinejs import DEFAULT_ACTOR, plain_text, safe_id

BACKGROUND = "background"
TOOLTIP = "tooltip"
GROUP_ID = "group_id"


def items_of(document: Any) -> list[Any] | None:
    """The items of a vis DataSet document (a list, or ``{"items": [...]}``), or None when
    the document is not one."""
    items = document.get("items") if isinstance(document, dict) else document
    if not isinstance(items, list) or not items:
        return None
    objects = [i for i in items[:50] if isinstance(i, dict)]
    if not objects or any("actor" in i for i in objects):
        return None
    if all("content" in i and "start" in i for i in objects):
        return items
    return None


def groups_of(document: Any) -> dict[str, str]:
    """Group id -> its label (its ``content`` as plain text), from ``{"groups": [...]}``."""
    groups = document.get("groups") if isinstance(document, dict) else None
    labels: dict[str, str] = {}
    for group in groups if isinstance(groups, list) else []:
        if isinstance(group, dict) and "id" in group:
            label = plain_text(cell_text(group.get("content")), one_line=True)
            labels[cell_text(group["id"])] = label or cell_text(group["id"])
    return labels


def read(document: Any, name: str, date_order: DateOrder | None) -> tuple[pd.DataFrame, tuple[Era, ...], list[str]]:
    """A vis document as a table of text cells in the event table's columns (and every
    other key), its background items as eras, and the notes on what was reinterpreted.

    Raises:
        ValidationError: an item is not an object, or a background item's dates are not dates.
    """
    items = items_of(document) or []
    labels = groups_of(document)
    epoch_rows = 0
    plain_items = []
    for item in items:
        if isinstance(item, dict):
            item = dict(item)
            for key in ("start", "end"):
                value = item.get(key)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    item[key] = _from_milliseconds(value)
                    epoch_rows += 1
        plain_items.append(item)
    rows, notes = flatten_records(plain_items, name)
    events: list[dict[str, str]] = []
    era_rows: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(rows, start=1):
        if row.get("type", "").strip().lower() == BACKGROUND:
            era_rows.append((number, row))
        else:
            events.append(row)
    tally = {"html": 0, "ungrouped": 0, "tooltip": 0, "renamed": 0}
    out: list[dict[str, str]] = []
    for row in events:
        content = row.pop("content", "")
        title = plain_text(content, one_line=True)
        tally["html"] += title != content.strip()
        group = row.pop("group", "").strip()
        tally["ungrouped"] += not group
        if group and group in labels:
            row[GROUP_ID] = group
        if "title" in row:
            row[TOOLTIP] = row.pop("title")
            tally["tooltip"] += 1
        written = row.pop("id", "").strip()
        ident = safe_id(written)
        tally["renamed"] += bool(written) and ident != written
        out.append(
            {
                "id": ident or f"row-{len(out) + 1}",
                "start": row.pop("start", ""),
                "end": row.pop("end", ""),
                "actor": labels.get(group, group) or DEFAULT_ACTOR,
                "kind": "event",
                "title": shorten(title, 200) or "(no content)",
                **row,
            }
        )
    columns = list(dict.fromkeys(c for r in out for c in r)) or ["id", "start", "end", "actor", "kind", "title"]
    table = pd.DataFrame(out, columns=columns, dtype="str").fillna("")
    eras = _eras(era_rows, name, date_order)
    groups = document.get("groups") if isinstance(document, dict) else None
    group_keys = sorted(
        {str(k) for g in (groups if isinstance(groups, list) else []) if isinstance(g, dict) for k in g}
        - {"id", "content"}
    )
    return table, eras, _notes(notes, tally, len(out), len(eras), epoch_rows, table, labels, group_keys)


def _from_milliseconds(value: float) -> str:
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(milliseconds=value)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") if moment.time() != dt.time() else moment.date().isoformat()


def _eras(rows: Sequence[tuple[int, Mapping[str, str]]], name: str, order: DateOrder | None) -> tuple[Era, ...]:
    eras, problems = [], []
    for number, row in rows:
        dates = []
        for column in ("start", "end"):
            text = row.get(column, "").strip() or (row.get("start", "") if column == "end" else "")
            try:
                window = parse_date_window(text, order)
            except DateError as error:
                problems.append(Problem(name, number, column, text, f"a background item's {column}: {error}"))
                continue
            dates.append(window.first.iso() if column == "start" else (window.last or window.first).iso())
        if len(dates) == 2:
            eras.append(Era(plain_text(row.get("content", ""), one_line=True), dates[0], dates[1]))
    if problems:
        raise ValidationError(problems)
    return tuple(eras)


def _notes(
    flattened: list[str],
    tally: Mapping[str, int],
    events: int,
    eras: int,
    epoch_rows: int,
    table: pd.DataFrame,
    labels: Mapping[str, str],
    group_keys: Sequence[str],
) -> list[str]:
    notes = ["read as a vis-timeline DataSet: content -> title, group -> actor"]
    if tally["html"]:
        notes.append(f"content: HTML tags removed in {counted(tally['html'], 'row')}")
    if labels:
        notes.append(f"group: lanes named by the groups list's content; the group ids kept as {GROUP_ID}")
    if group_keys:
        notes.append(f"groups: their {', '.join(group_keys)} not kept (a lane has no place for them)")
    if tally["ungrouped"]:
        notes.append(f"group: {counted(tally['ungrouped'], 'item')} without a group in the lane {DEFAULT_ACTOR!r}")
    if tally["tooltip"]:
        notes.append(f"title: the vis tooltips kept as column {TOOLTIP!r} ({counted(tally['tooltip'], 'row')})")
    if tally["renamed"]:
        notes.append(f"id: characters an id may not hold replaced by '-' in {counted(tally['renamed'], 'row')}")
    if epoch_rows:
        notes.append(f"start, end: {counted(epoch_rows, 'millisecond timestamp')} read as UTC dates")
    if "type" in table.columns or eras:
        # Drawn as the table reads them: an item with an end is a span, whatever its type says.
        spans = int((table["end"].str.strip() != "").sum())
        told = [f"{counted(events - spans, 'item')} without an end drawn as points"] if events - spans else []
        told += [f"{counted(spans, 'item')} with an end (range) as spans"] if spans else []
        told += [f"{counted(eras, 'background item')} as eras, not events"] if eras else []
        kept = "; the type column kept" if "type" in table.columns else ""
        notes.append("type: " + ", ".join(told) + kept)
    return notes + flattened
