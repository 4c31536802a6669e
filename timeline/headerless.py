"""Headerless event tables: column names given on the command line, or a named preset.

``--no-header`` reads a delimited file's first line as data; its columns are named by
``--columns a,b,c`` (the rest, or all without it, ``column 1``, ``column 2`` ...). A
preset names the columns of a well-known layout and says which give the event table's:

- ``icews``: the headerless ICEWS layout of the temporal knowledge-graph datasets
  (ICEWS14, ICEWS05-15, ICEWS18): source actor, event text, target actor, date, tab
  separated. The event text is the title; where it is a CAMEO verb's label, the kind
  follows from its code (see :mod:`timeline.cameo`).
- ``gdelt``: the GDELT 2.0 events export (``*.export.CSV``), 61 tab-separated columns in
  the order of the GDELT 2.0 event codebook. ``Actor1Name`` is the actor (``Actor1Code``
  when blank), ``Actor2Name`` the target, ``SQLDATE`` (YYYYMMDD) the start,
  ``GLOBALEVENTID`` the id, ``SOURCEURL`` the source, and ``EventCode`` gives the kind and
  the title, its CAMEO label. Every other column is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from timeline import cameo
from timeline.schema import counted

NO_ACTOR = "(no actor named)"


@dataclass(frozen=True)
class Preset:
    """A headerless layout: its column names, delimiter, which columns give the event
    table's, and how derived columns are made (table -> table with them, notes)."""

    name: str
    columns: tuple[str, ...]
    mapping: Mapping[str, str]
    delimiter: str = "\t"
    derive: Callable[[pd.DataFrame], tuple[pd.DataFrame, list[str]]] | None = field(default=None, compare=False)


def column_names(width: int, given: tuple[str, ...] | list[str]) -> list[str]:
    """Names for a headerless table ``width`` cells wide: ``given`` first, then ``column N``."""
    names = [g.strip() for g in given][:width]
    return names + [f"column {i}" for i in range(len(names) + 1, width + 1)]


def parse_columns(text: str) -> tuple[str, ...]:
    """``--columns "actor,title,target,start"`` -> its names.

    Raises:
        ValueError: a name is blank or repeated.
    """
    names = tuple(n.strip() for n in text.split(","))
    if any(not n for n in names):
        raise ValueError(f"--columns {text!r} has a blank name; give names separated by commas, e.g. actor,title,start")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"--columns repeats {', '.join(repeated)}")
    return names


# ---------------------------------------------------------------- ICEWS


def _icews(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    texts = table["Event Text"].astype("str")
    codes = {t: cameo.code_of(t) for t in pd.unique(texts.to_numpy())}  # once per distinct verb
    out = table.copy()
    out["kind"] = texts.map({t: cameo.kind(c) if c else "event" for t, c in codes.items()}).astype("str")
    known = int(texts.map({t: c is not None for t, c in codes.items()}).sum())
    notes = [
        "read with the ICEWS preset: Source Name -> actor, Event Text -> title, Target Name -> target, "
        "Event Date -> start",
        f"kind: from the CAMEO verb named by Event Text in {counted(known, 'row')}; the others are 'event'",
    ]
    return out, notes


ICEWS = Preset(
    "icews",
    ("Source Name", "Event Text", "Target Name", "Event Date"),
    {"actor": "Source Name", "title": "Event Text", "target": "Target Name", "start": "Event Date"},
    derive=_icews,
)


# ---------------------------------------------------------------- GDELT 2.0

_ACTOR_FIELDS = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
    "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{f}" for f in _ACTOR_FIELDS),
    *(f"Actor2{f}" for f in _ACTOR_FIELDS),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{f}" for f in _GEO_FIELDS),
    *(f"Actor2Geo_{f}" for f in _GEO_FIELDS),
    *(f"ActionGeo_{f}" for f in _GEO_FIELDS),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
"""The GDELT 2.0 events export's columns, in the order of its codebook (61 of them)."""

_YYYYMMDD = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def _gdelt(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    out = table.copy()
    name, code = table["Actor1Name"].str.strip(), table["Actor1Code"].str.strip()
    out["actor"] = name.where(name != "", code.where(code != "", NO_ACTOR))
    out["start"] = table["SQLDATE"].str.replace(_YYYYMMDD.pattern, r"\1-\2-\3", regex=True)
    events = table["EventCode"].str.strip()
    distinct = pd.unique(events.to_numpy())
    labels = {c: cameo.label(c) for c in distinct}
    titles = {c: (label or f"CAMEO {c}") if c else "(no event code)" for c, label in labels.items()}
    out["title"] = events.map(titles).astype("str")
    out["kind"] = events.map({c: cameo.kind(c) for c in distinct}).astype("str")
    unnamed, uncoded = int((name == "").sum()), int(np.sum(out["actor"].to_numpy() == NO_ACTOR))
    notes = [
        "read with the GDELT 2.0 preset: Actor1Name -> actor, Actor2Name -> target, SQLDATE -> start, "
        "GLOBALEVENTID -> id, SOURCEURL -> source; EventCode -> title (its CAMEO label) and kind",
    ]
    if unnamed:
        notes.append(
            f"actor: Actor1Name is blank in {counted(unnamed, 'row')}: Actor1Code used instead"
            + (f", and {NO_ACTOR!r} in {counted(uncoded, 'row')} without either" if uncoded else "")
        )
    unknown = sorted(c for c, label in labels.items() if c and label is None)
    if unknown:
        notes.append(f"EventCode: {', '.join(unknown[:5])} not in the CAMEO table; titled 'CAMEO <code>'")
    return out, notes


GDELT = Preset(
    "gdelt",
    GDELT_COLUMNS,
    {"id": "GLOBALEVENTID", "target": "Actor2Name", "source": "SOURCEURL"},
    derive=_gdelt,
)

PRESETS: dict[str, Preset] = {p.name: p for p in (ICEWS, GDELT)}
"""Preset name -> preset (``--preset``)."""
