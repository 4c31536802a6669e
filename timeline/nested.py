"""Nested JSON made flat: the list of items at a path, each item one row of text cells.

Exports from other tools keep objects and lists inside each item (a Wikipedia Current
Events export, an API's ``{"data": {"items": [...]}}``). Each item becomes one row:

- a nested object becomes dotted columns: ``{"location": {"name": "Kyiv"}}`` ->
  ``location.name``;
- a list of text or numbers is joined by ``;`` (lists of ids, as ``responds_to`` takes);
- a list of objects becomes one dotted column per key, its values joined by ``; `` in the
  list's order; when every object has a ``name`` (or ``label``, or ``title``), those
  names are the list's own column: ``"actors": [{"name": "A"}, {"name": "B"}]`` ->
  ``actors`` = ``A; B``;
- anything else (a list of lists, a list mixing objects and text) is kept as JSON text.

Nothing is dropped; how each kind of value was flattened is told as a note.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from timeline.schema import Problem, ValidationError, cell_text

NAME_KEYS = ("name", "label", "title")
"""The keys that name an object of a list, best first."""
LIST_SEPARATOR = "; "
ID_SEPARATOR = ";"
_MAX_DEPTH = 32
_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


def records_at(document: Any, path: str, name: str) -> list[Any]:
    """The list at ``path`` in a parsed JSON document: ``$`` (the document itself),
    ``$.events``, ``$.data.items``, ``$.results[0].items``; the leading ``$.`` may be left out.

    Raises:
        ValidationError: the path is malformed, leads nowhere, or not to a list.
    """
    text = path.strip()
    steps = text.removeprefix("$")
    if steps and not steps.startswith((".", "[")):
        steps = "." + steps
    found: Any = document
    at = 0
    walked = "$"
    for match in _STEP.finditer(steps):
        if match.start() != at:
            break
        at = match.end()
        key, index = match.group(1), match.group(2)
        if key is not None:
            if not isinstance(found, dict) or key not in found:
                raise _refused(name, f"--records {path}: {walked} has no key {key!r}{_keys_hint(found)}")
            found = found[key]
            walked += f".{key}"
        else:
            position = int(index)
            if not isinstance(found, list) or position >= len(found):
                raise _refused(name, f"--records {path}: {walked} has no item [{position}]")
            found = found[position]
            walked += f"[{position}]"
    if at != len(steps):
        raise _refused(name, f"--records {path!r} is not a path such as $, $.events or $.data.items")
    if not isinstance(found, list):
        raise _refused(name, f"--records {path}: {walked} is {_kind(found)}, not a list of items")
    return found


def lists_of_objects(document: Any, limit: int = 5, depth: int = 4) -> list[str]:
    """Paths of the lists of objects in a document, shallowest first (for a hint)."""
    found: list[str] = []
    level: list[tuple[str, Any]] = [("$", document)]
    for _ in range(depth):
        following: list[tuple[str, Any]] = []
        for path, value in level:
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value[:20]):
                found.append(path)
            elif isinstance(value, dict):
                following += [(f"{path}.{k}", v) for k, v in value.items() if _PLAIN_KEY.fullmatch(str(k))]
        if len(found) >= limit or not following:
            break
        level = following
    return found[:limit]


_PLAIN_KEY = re.compile(r"[^.\[\]]+")


def flatten_records(records: Sequence[Any], name: str) -> tuple[list[dict[str, str]], list[str]]:
    """Each record (a JSON object) as a flat row of text cells, and the notes on what was flattened.

    Raises:
        ValidationError: an item is not an object (each such item, by position).
    """
    problems = [
        Problem(name, i, None, None, "is not an object") for i, r in enumerate(records, 1) if not isinstance(r, dict)
    ]
    if problems:
        raise ValidationError(problems)
    tally: Counter[tuple[str, str]] = Counter()
    rows = []
    for record in records:
        row: dict[str, str] = {}
        _flatten(record, "", row, tally, 0)
        rows.append(row)
    return rows, _notes(tally)


def flatten_record(record: Mapping[str, Any]) -> dict[str, str]:
    """One JSON object as a flat row of text cells (see the module's description)."""
    row: dict[str, str] = {}
    _flatten(record, "", row, Counter(), 0)
    return row


def _flatten(
    value: Mapping[str, Any], prefix: str, row: dict[str, str], tally: Counter[tuple[str, str]], depth: int
) -> None:
    for key, item in value.items():
        column = f"{prefix}{key}"
        if isinstance(item, dict) and depth < _MAX_DEPTH:
            if not item:
                row[column] = ""
            else:
                tally[("object", _top(column))] += 1
                _flatten(item, column + ".", row, tally, depth + 1)
        elif isinstance(item, list) and depth < _MAX_DEPTH:
            _flatten_list(item, column, row, tally, depth)
        elif isinstance(item, dict | list):
            row[column] = json.dumps(item, ensure_ascii=False)
            tally[("json", column)] += 1
        else:
            row[column] = cell_text(item)


def _flatten_list(
    items: list[Any], column: str, row: dict[str, str], tally: Counter[tuple[str, str]], depth: int
) -> None:
    if all(not isinstance(v, dict | list) for v in items):
        row[column] = ID_SEPARATOR.join(cell_text(v) for v in items)
        return
    if not all(isinstance(v, dict) for v in items):
        row[column] = json.dumps(items, ensure_ascii=False)
        tally[("json", column)] += 1
        return
    flat = []
    for item in items:
        cells: dict[str, str] = {}
        _flatten(item, "", cells, Counter(), depth + 1)
        flat.append(cells)
    naming = next((k for k in NAME_KEYS if all(k in cells for cells in flat)), None)
    keys = list(dict.fromkeys(k for cells in flat for k in cells))
    for key in keys:
        values = [cells.get(key, "") for cells in flat]
        if any(values):
            row[column if key == naming else f"{column}.{key}"] = LIST_SEPARATOR.join(values)
    tally[("named" if naming else "objects", column)] += 1


def _top(column: str) -> str:
    return column.split(".", 1)[0]


def _notes(tally: Counter[tuple[str, str]]) -> list[str]:
    notes = []
    objects = sorted(c for kind, c in tally if kind == "object")
    if objects:
        notes.append(f"{', '.join(objects)}: nested objects flattened to dotted columns ({objects[0]}.…)")
    for (kind, column), count in sorted(tally.items(), key=lambda item: item[0][1]):
        rows = f"in {count} row{'s' if count != 1 else ''}"
        if kind == "named":
            notes.append(f"{column}: a list of named objects, their names joined by '; ' {rows}")
        elif kind == "objects":
            notes.append(f"{column}: a list of objects, each key's values joined by '; ' in {column}.… columns {rows}")
        elif kind == "json":
            notes.append(f"{column}: kept as JSON text {rows}")
    return notes


def _keys_hint(value: Any) -> str:
    if isinstance(value, dict) and value:
        keys = ", ".join(map(str, list(value)[:8]))
        return f" (its keys: {keys})"
    return ""


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    return "null" if value is None else f"a single value ({cell_text(value)[:30]!r})"


def _refused(name: str, rule: str) -> ValidationError:
    return ValidationError([Problem(name, None, None, None, rule)])
