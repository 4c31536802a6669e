"""Column mapping: tables with their own column names, mapped onto the event schema.

Common names are recognised without being told (``date`` -> ``start``, ``speaker`` ->
``actor``, ``headline`` -> ``title`` ...); an explicit mapping, from the CLI's ``--map``
or a mapping file, always wins. Names are compared ignoring case, spaces, ``_`` and ``-``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from timeline.schema import COLUMN_NAMES, Problem, ValidationError, shorten

SYNONYMS: dict[str, tuple[str, ...]] = {
    "start": ("start", "date", "start date", "from", "when", "hdate", "begin", "begins", "started"),
    "end": ("end", "end date", "to", "until", "hdate end", "ends", "ended"),
    "actor": ("actor", "speaker", "who", "person", "group", "label", "name", "source actor", "source name"),
    "target": ("target", "recipient", "target actor", "target name"),
    "title": ("title", "headline", "event", "label"),
    "summary": ("summary", "description", "text", "details"),
    "organisation": ("organisation", "organization", "org", "affiliation"),
    "date_text": ("date text", "display date", "date as written"),
    "source": ("source", "url", "link", "citation"),
}
"""Schema column -> the names it is found under, best first. A name may serve two
columns (``label`` is both the lane and the headline of a table that has nothing else).
ICEWS and GDELT name the actor ``Source Name`` and the one acted upon ``Target Name``: those
go to ``actor`` and ``target``, while a plain ``source`` stays the source column."""


def normalise(name: object) -> str:
    """A column name as compared: ``Start_Date`` and ``start date`` are the same name."""
    return re.sub(r"[\s_-]+", " ", str(name)).strip().lower()


def parse_mapping_pairs(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["actor=Speaker", "start=Date"]`` -> ``{"actor": "Speaker", "start": "Date"}``.

    Raises:
        ValueError: a pair is not ``COLUMN=SOURCE_COLUMN``.
    """
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, source = pair.partition("=")
        if not sep or not column.strip() or not source.strip():
            raise ValueError(f"--map {pair!r} is not COLUMN=SOURCE_COLUMN (e.g. --map actor=Speaker)")
        mapping[column.strip().lower()] = source.strip()
    return mapping


def read_mapping_file(path: str | Path) -> dict[str, str]:
    """A mapping file: a JSON object ``{"actor": "Speaker", "start": "Date"}``.

    Raises:
        ValidationError: the file is unreadable or not an object of text values.
    """
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise ValidationError([Problem(path.name, None, None, None, f"unreadable mapping file: {reason}")]) from None
    if not isinstance(document, dict) or not all(isinstance(v, str) for v in document.values()):
        raise ValidationError(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    None,
                    'a mapping file is a JSON object of schema column: file column, e.g. {"actor": "Speaker"}',
                )
            ]
        )
    return {str(k).strip().lower(): v for k, v in document.items()}


def apply_mapping(
    table: pd.DataFrame, name: str, mapping: Mapping[str, str], recognised: dict[str, str] | None = None
) -> pd.DataFrame:
    """Rename ``table``'s columns onto the schema; fill ``id`` and ``kind`` when absent.

    Explicit pairs first; then, for schema columns still missing, the first common name
    found (one input column may feed two schema columns, e.g. ``label`` as actor and
    title). An input column that is named like a schema column but is replaced by an
    explicit pair is dropped. A table with no ``id`` column is foreign: its rows get ids
    ``row-N`` (N counts data rows from 1); a table with no kind column, the kind ``event``.

    Args:
        recognised: filled with schema column -> input column for each column found by a
            common name other than its own (``date`` -> ``start``), for a note.

    Raises:
        ValidationError: the mapping names an unknown schema column or a missing input
            column, or two input columns have the same name.
    """
    problems = [
        Problem(name, None, c, None, f"the mapping names {c!r}, which is not a column of the event table")
        for c in mapping
        if c not in COLUMN_NAMES
    ]
    seen: dict[str, str] = {}
    for column in map(str, table.columns):
        twin = seen.setdefault(column.strip().lower(), column)
        if twin != column:
            problems.append(
                Problem(name, None, column, None, f"the header has both {twin!r} and {column!r}: rename one")
            )
    by_name: dict[str, str] = {}
    for column in map(str, table.columns):
        by_name.setdefault(normalise(column), column)
    sources: dict[str, str] = {}  # schema column -> input column
    for column, source in mapping.items():
        found = by_name.get(normalise(source))
        if found is None:
            known = ", ".join(map(str, table.columns))
            problems.append(
                Problem(
                    name,
                    None,
                    source,
                    None,
                    f"the mapping takes {column!r} from column {source!r}, which is not in the file "
                    f"(its columns: {shorten(known, 200)})",
                )
            )
        elif column in COLUMN_NAMES:
            sources[column] = found
    if problems:
        raise ValidationError(problems)
    for column, names in SYNONYMS.items():
        if column not in sources:
            found = next((by_name[n] for n in map(normalise, names) if n in by_name), None)
            if found is not None:
                sources[column] = found
                if recognised is not None and normalise(found) != column:
                    recognised[column] = found
    used = set(sources.values())
    out = pd.DataFrame(index=table.index)
    for column in map(str, table.columns):
        if column in used:
            continue
        schema_name = _SCHEMA_NAMES.get(normalise(column))
        if schema_name in sources:
            continue  # replaced by an explicit pair
        out[schema_name or column] = table[column]
    for column, source in sources.items():
        out[column] = table[source]
    if "id" not in out.columns:
        # A foreign table: number its rows.
        out.insert(0, "id", "row-" + pd.Series(range(1, len(out) + 1), index=out.index).astype("str"))
    if "kind" not in out.columns:  # a table that says nothing about kind
        out["kind"] = "event"
    return out


_SCHEMA_NAMES = {normalise(c): c for c in COLUMN_NAMES}
