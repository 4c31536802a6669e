"""An article's candidates under review, as plain functions, and where they are kept.

The dashboard's "Add an article" (:mod:`timeline.app.article`) draws and wires what these
compute: the reader's decisions and edits (:class:`Review`, small enough to travel with every
request), the candidates with them made and validated (:func:`reviewed`), the view of the data
with the candidates added (:func:`view_of`, ids made unique by :func:`fresh_ids`), the file of
the accepted ones (:func:`accepted_file`), and the articles themselves on disk
(:class:`ArticleStore`, private to the browser session like uploads).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from timeline import extract as engine
from timeline.app.state import UploadStore, current_client, current_owner
from timeline.dataset import Dataset
from timeline.io import write_events
from timeline.schema import COLUMN_NAMES, HI, LO, ValidationError, to_text_table, validate_events
from timeline.threads import RELATION_NAMES, SEPARATOR, split_ids

EDITABLE = ("actor", "kind", "start", "end", "title")
"""What the reader may change in a candidate."""
EDIT_LIMITS = {"actor": 200, "kind": 20, "start": 40, "end": 40, "title": 300}
"""Longest text each editable cell takes (the grid's editor stops there too)."""
VERDICTS = ("accepted", "rejected")
UNREVIEWED = "unreviewed"
MOST_CANDIDATES = 2_000
"""Most candidates one article may give; decisions and edits about more are ignored."""
MAX_LISTED = 20
"""Most problems an alert lists."""
FILE_NAME = "article"
"""The name of an article with none of its own, and the document id it is read under."""


class RefusalError(Exception):
    """Why a submission or a review step was not done, in a sentence for the page."""

    def __init__(self, message: str, title: str = "Not read") -> None:
        super().__init__(message)
        self.message = message
        self.title = title


class ArticleStore:
    """Articles on disk, each under a token: its candidates as an upload of their own (private
    to the session, expiring and capped like uploads; see :class:`~timeline.app.state.UploadStore`)
    and its text and metadata beside them in ``<token>.article``.

    Args:
        root: the folder (made if missing), inside the upload folder by default.
    """

    def __init__(self, root: Path) -> None:
        self.tables = UploadStore(root)
        self.root = self.tables.root

    def _text_path(self, token: str) -> Path:
        return self.root / f"{token}.article"

    def put(self, article: engine.Article, candidates: pd.DataFrame) -> str:
        """Keep an article and its candidates; the token that reads them back."""
        token = self.tables.put(Dataset(candidates, article.name), current_client(), current_owner() or "")
        about = {
            "text": article.text,
            "published": article.published.isoformat(),
            "publisher": article.publisher,
            "name": article.name,
        }
        path = self._text_path(token)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        temporary.write_text(json.dumps(about), encoding="utf-8")
        os.replace(temporary, path)
        for text in self.root.glob("*.article"):  # the uploads' tidying drops tables, not these
            if not (self.root / f"{text.stem}.json").exists():
                text.unlink(missing_ok=True)
        return token

    def get(self, token: object) -> tuple[engine.Article, pd.DataFrame] | None:
        """The article and candidates behind a token, if this session may read them."""
        if not UploadStore.valid(token) or self.tables.created(str(token), current_owner()) is None:
            return None
        stored = self.tables.get(str(token))
        try:
            about = json.loads(self._text_path(str(token)).read_text(encoding="utf-8"))
            article = engine.Article(
                text=str(about["text"]),
                published=dt.date.fromisoformat(str(about["published"])),
                publisher=str(about.get("publisher", "")),
                name=str(about.get("name", FILE_NAME)),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if stored is None:
            return None
        return article, stored.events


@dataclasses.dataclass(frozen=True)
class Review:
    """The tab's review of one article: its token, the data the view showed before it, the
    upload showing both now, and the reader's decisions and edits by candidate id."""

    article: str
    base: dict[str, str] | None
    view: str
    decisions: dict[str, str]
    edits: dict[str, dict[str, str]]
    version: int = 0

    def stored(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def review_of(value: object) -> Review | None:
    """The review kept in the tab's store; None for anything else (a hand-made request)."""
    if not isinstance(value, dict) or not UploadStore.valid(value.get("article")):
        return None
    base = value.get("base")
    base = (
        {"token": base["token"], "name": str(base.get("name") or "")}
        if isinstance(base, dict) and UploadStore.valid(base.get("token"))
        else None
    )
    view = value.get("view")
    decisions = value.get("decisions")
    decisions = (
        {str(k): v for k, v in list(decisions.items())[:MOST_CANDIDATES] if v in VERDICTS}
        if isinstance(decisions, dict)
        else {}
    )
    edits: dict[str, dict[str, str]] = {}
    raw_edits = value.get("edits")
    for key, fields in list(raw_edits.items())[:MOST_CANDIDATES] if isinstance(raw_edits, dict) else []:
        if isinstance(fields, dict):
            kept = {f: v[: EDIT_LIMITS[f]] for f, v in fields.items() if f in EDITABLE and isinstance(v, str)}
            if kept:
                edits[str(key)] = kept
    version = value.get("version")
    return Review(
        article=str(value["article"]),
        base=base,
        view=str(view) if UploadStore.valid(view) else "",
        decisions=decisions,
        edits=edits,
        version=version if isinstance(version, int) and not isinstance(version, bool) else 0,
    )


def reviewed(
    candidates: pd.DataFrame, decisions: Mapping[str, str], edits: Mapping[str, Mapping[str, str]]
) -> pd.DataFrame:
    """The candidates with the reader's edits made and each one's ``review``: ``accepted``,
    ``rejected`` or ``unreviewed``; validated like any file.

    Raises:
        ValidationError: an edit breaks the schema (what :func:`edit_problems` words).
    """
    table = to_text_table(candidates)
    row_of = {str(v): i for i, v in enumerate(table["id"].tolist())}
    for event_id, fields in edits.items():
        row = row_of.get(event_id)
        if row is None:
            continue
        for field, value in fields.items():
            if field in EDITABLE:
                table.loc[row, field] = value
        if "start" in fields or "end" in fields:
            table.loc[row, "precision"] = ""  # read again from the dates as now written
    table["review"] = [decisions.get(str(i), UNREVIEWED) for i in table["id"].tolist()]
    return validate_events(table, file="candidates")


def edit_problems(error: ValidationError, candidates: pd.DataFrame) -> list[str]:
    """Each problem of an edit in words: which candidate, which field, the rule, the value."""
    titles = candidates["title"].astype(str).tolist()
    out = []
    for problem in error.problems[:MAX_LISTED]:
        which = f"“{titles[problem.row - 1][:60]}”" if problem.row and problem.row <= len(titles) else "a candidate"
        value = f" (you wrote {problem.value!r})" if problem.value is not None else ""
        out.append(f"{which}, {problem.column or 'row'}: {problem.rule}{value}")
    return out


def with_edit(candidates: pd.DataFrame, review: Review, changes: object) -> tuple[dict[str, dict[str, str]], list[str]]:
    """The review's edits with the grid's changed cells made (``cellValueChanged``), and the
    problems that kept any of them from being made (an edit that breaks the schema is not made)."""
    known = set(candidates["id"].astype(str).tolist())
    edits = {k: dict(v) for k, v in review.edits.items()}
    problems: list[str] = []
    for change in (changes if isinstance(changes, list) else [changes])[:50]:
        if not isinstance(change, dict):
            continue
        event_id, field, value = change.get("rowId"), change.get("colId"), change.get("value")
        if not isinstance(event_id, str) or event_id not in known or field not in EDITABLE:
            continue
        text = "" if value is None else str(value) if isinstance(value, str | int | float) else None
        if text is None:
            continue
        if len(text) > EDIT_LIMITS[str(field)]:
            problems.append(f"{field}: at most {EDIT_LIMITS[str(field)]} characters")
            continue
        trial = {**edits, event_id: {**edits.get(event_id, {}), str(field): text.strip()}}
        try:
            reviewed(candidates, review.decisions, trial)
        except ValidationError as error:
            problems += edit_problems(error, candidates)
            continue
        edits = trial
    return edits, problems


def with_verdict(review: Review, chosen: Sequence[str], verdict: str | None) -> dict[str, str]:
    """The decisions with ``chosen`` accepted, rejected, or (``verdict`` None) unreviewed again."""
    decisions = dict(review.decisions)
    for event_id in chosen:
        if verdict is None:
            decisions.pop(event_id, None)
        else:
            decisions[event_id] = verdict
    return decisions


def chosen_ids(rows: object, candidates: pd.DataFrame) -> list[str]:
    """The ids of the grid's selected rows that are candidates of this article."""
    known = set(candidates["id"].astype(str).tolist())
    found = []
    for row in rows[:MOST_CANDIDATES] if isinstance(rows, list) else []:
        event_id = row.get("id") if isinstance(row, dict) else None
        if isinstance(event_id, str) and event_id in known:
            found.append(event_id)
    return list(dict.fromkeys(found))


def fresh_ids(candidates: pd.DataFrame, taken: set[str]) -> pd.DataFrame:
    """The candidates with every id that ``taken`` holds renamed (``article-<id>``, then a number),
    and the links between candidates renamed with them, so that they never collide with the data
    they join."""
    renamed: dict[str, str] = {}
    used = set(taken)
    for old in candidates["id"].astype(str).tolist():
        new = old
        if new in used:
            new, number = f"article-{old}", 2
            while new in used:
                new, number = f"article-{old}-{number}", number + 1
        used.add(new)
        if new != old:
            renamed[old] = new
    if not renamed:
        return candidates
    out = candidates.copy()
    out["id"] = out["id"].astype(str).map(lambda v: renamed.get(v, v))
    for column in RELATION_NAMES:
        if column in out:
            out[column] = (
                out[column]
                .astype(str)
                .map(lambda cell: SEPARATOR.join(renamed.get(i, i) for i in split_ids(cell)) if cell else cell)
            )
    return out


def linked_within(events: pd.DataFrame, known: set[str]) -> pd.DataFrame:
    """The events with every link to an event outside ``known`` taken out: a candidate answering
    one the reader rejected, or did not accept, links to nothing in the file or the view."""
    out = events.copy()
    for column in RELATION_NAMES:
        if column in out:
            out[column] = (
                out[column]
                .astype(str)
                .map(lambda cell: SEPARATOR.join(i for i in split_ids(cell) if i in known) if cell else cell)
            )
    return out


def combined(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Two typed event tables as one: the schema's columns, then every extra column of either
    (blank where a table lacks it), then the derived days."""
    extras = [c for c in (*first.columns, *second.columns) if c not in COLUMN_NAMES and c not in (LO, HI)]
    columns = [*COLUMN_NAMES, *dict.fromkeys(extras), LO, HI]
    out = pd.concat([first.reindex(columns=columns), second.reindex(columns=columns)], ignore_index=True)
    for column in dict.fromkeys(extras):
        out[column] = out[column].fillna("").astype(str)
    return out


def sided_as(events: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """The events with a blank ``side`` given the one side ``base`` gives their actor (an actor
    the data puts on two sides, or on none, keeps it blank): a candidate joins its actor's camp
    on the chart, in its colour."""
    sided = base.loc[base["side"].astype(str) != "", ["actor", "side"]].drop_duplicates()
    single = sided.drop_duplicates("actor", keep=False)
    camp = dict(zip(single["actor"].tolist(), single["side"].tolist(), strict=True))
    blank = events["side"].astype(str) == ""
    if not camp or not blank.any():
        return events
    out = events.copy()
    out.loc[blank, "side"] = out.loc[blank, "actor"].map(camp).fillna("")
    return out


def view_of(base: Dataset, shown: pd.DataFrame) -> Dataset:
    """The view of ``base`` with ``shown`` (reviewed candidates) added: they keep their ids,
    which :func:`fresh_ids` has made unique against the base, and take their actor's side."""
    known = {*base.events["id"].astype(str).tolist(), *shown["id"].astype(str).tolist()}
    joined = sided_as(linked_within(shown, known), base.events)
    return dataclasses.replace(base, events=combined(base.events, joined))


def accepted_file(events: pd.DataFrame, fmt: str) -> bytes:
    """The accepted candidates as an events file (``csv`` or ``json``), read back as any file is.

    Raises:
        RefusalError: nothing is accepted.
    """
    chosen = events[events["review"] == "accepted"]
    if not len(chosen):
        raise RefusalError("Accept at least one candidate first: the file holds the accepted ones.", "Nothing accepted")
    chosen = linked_within(chosen.reset_index(drop=True), set(chosen["id"].astype(str).tolist()))
    return write_events(chosen, fmt)


def grid_rows(events: pd.DataFrame) -> list[dict[str, str]]:
    """The grid's rows: what a reader decides on, as text."""
    columns = ["id", "review", "actor", "kind", "date_text", "start", "end", "title", "confidence", "confidence_reason"]
    present = [c for c in columns if c in events.columns]
    table = to_text_table(events) if len(events) else events
    return [{str(k): str(v) for k, v in row.items()} for row in table[present].to_dict(orient="records")]


def tally(events: pd.DataFrame) -> str:
    counts = events["review"].value_counts()
    return " · ".join(f"{int(counts.get(word, 0))} {word}" for word in ("accepted", "rejected", UNREVIEWED))
