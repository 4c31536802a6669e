"""Column mapping: tables with their own column names, mapped onto the event schema.

Common names are recognised without being told (``date`` -> ``start``, ``speaker`` ->
``actor``, ``headline`` -> ``title`` ...); an explicit mapping, from the CLI's ``--map``
or a mapping file, always wins.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from timeline.schema import COLUMN_NAMES, Problem, ValidationError

SYNONYMS: dict[str, tuple[str, ...]] = {
    "start": ("start", "date", "start_date", "start date", "from", "when", "hdate", "begin"),
    "end": ("end", "end_date", "end date", "to", "until", "hdate_end"),
    "actor": ("actor", "speaker", "who", "person", "group", "label", "name"),
    "title": ("title", "headline", "event", "label"),
    "summary": ("summary", "description", "text", "details"),
    "organisation": ("organisation", "organization", "org", "affiliation"),
    "date_text": ("date_text", "display date", "display_date", "date as written"),
    "source": ("source", "url", "link", "citation"),
}


def parse_mapping_pairs(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["actor=Speaker", "start=Date"]`` -> ``{"actor": "Speaker", "start": "Date"}``."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, source = pair.partition("=")
        if not sep or not column.strip() or not source.strip():
            raise ValueError(f"mapping {pair!r} is not COLUMN=SOURCE_COLUMN")
        mapping[column.strip().lower()] = source.strip()
    return mapping


def read_mapping_file(path: str | Path) -> dict[str, str]:
    """A mapping file: a JSON object ``{"actor": "Speaker", "start": "Date"}``."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValidationError(
            [Problem(path.name, None, None, None, f"unreadable mapping file: {error}")]
        ) from None
    if not isinstance(document, dict) or not all(isinstance(v, str) for v in document.values()):
        raise ValidationError(
            [Problem(path.name, None, None, None, "a mapping file is a JSON object of column: source column")]
        )
    return {str(k).strip().lower(): v for k, v in document.items()}


def apply_mapping(table: pd.DataFrame, name: str, mapping: Mapping[str, str]) -> pd.DataFrame:
    """Rename ``table``'s columns onto the schema; fill ``id`` and ``kind`` when absent.

    Explicit pairs first; then, for schema columns still missing, the first common name
    found (one input column may feed two schema columns, e.g. ``label`` as actor and
    title). A table with no ``id`` column is foreign: its rows get ids ``row-N`` and, if
    it has no kind column, the kind ``event``.
    """
    problems = [
        Problem(name, None, c, None, f"the mapping names an unknown column {c!r}")
        for c in mapping
        if c not in COLUMN_NAMES
    ]
    lower = {str(c).strip().lower(): c for c in table.columns}
    renames: dict[str, str] = {}
    for column, source in mapping.items():
        found = lower.get(source.strip().lower())
        if found is None:
            problems.append(
                Problem(
                    name,
                    None,
                    source,
                    None,
                    f"the mapping takes {column!r} from column {source!r}, which is not in the file",
                )
            )
        else:
            renames[found] = column
    if problems:
        raise ValidationError(problems)
    out = table.rename(columns=renames)
    taken = {str(c).strip().lower() for c in out.columns}
    for column, names in SYNONYMS.items():
        source_name = next((lower[n] for n in names if n in lower), None)
        if column in taken or source_name is None:
            continue
        if source_name in renames:  # already feeds another column: copy it
            out[column] = out[renames[source_name]]
        else:
            out = out.rename(columns={source_name: column})
            renames[source_name] = column
        taken.add(column)
    if "id" not in {str(c).strip().lower() for c in table.columns}:
        # A foreign table: number its rows, and say nothing about kind unless it does.
        if "id" not in taken:
            out.insert(0, "id", [f"row-{i}" for i in range(1, len(out) + 1)])
        if "kind" not in taken:
            out["kind"] = "event"
    return out
