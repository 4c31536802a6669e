"""The source text under the chart: each event's passage marked in its side's colour, the
sentences no event rests on, and the passages that could not be found.

The reading itself is :mod:`timeline.provenance`; this module only draws it. Clicking a
marked passage is wired in :mod:`timeline.app.callbacks` (``ids.PROV_MARK``); keyboard use and
scrolling to the current passage are in ``assets/provenance.js``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import dash_mantine_components as dmc
from dash import ALL, ClientsideFunction, Dash, Input, Output, ctx, html

from timeline.app import ids
from timeline.app.callbacks import selected_id
from timeline.app.state import Library
from timeline.colors import OTHER_COLOR, rgba
from timeline.dataset import Dataset
from timeline.provenance import Document, Piece, Reading, citations, documents, read_document

DOCUMENT_CHOICE = "prov-document"
"""Pattern-matching id type of the picker of the document shown (there when several are cited)."""
SCROLLED = {"type": "prov-scrolled", "index": 0}
"""A store the scrolling script answers to; it holds nothing."""
TEXT_BOX = "prov-text"
"""The panel's scroll box: the document's paragraphs."""
MARK_ALPHA = 0.18
UNUSED_TITLE = "No event rests on this sentence"
LEGEND = "marked: an event rests on it, in its side's colour · dotted: no event rests on it"
NO_DOCUMENT = "No source text: the events cite no document listed in seeds/index.csv."


def _mark_style(sides: Sequence[str], colors: Mapping[str, str]) -> dict[str, str]:
    """Background and bottom border in the first side's colour; a line above it for each other side."""
    shades = [colors.get(side, OTHER_COLOR) for side in dict.fromkeys(sides)]
    style = {
        "backgroundColor": rgba(shades[0], MARK_ALPHA),
        "borderBottom": f"2px solid {shades[0]}",
        "--side": shades[0],
    }
    if len(shades) > 1:
        style["boxShadow"] = ", ".join(f"inset 0 -{2 * n}px 0 {shade}" for n, shade in enumerate(shades[1:], 1))
    return style


def _run(pieces: Sequence[Piece], selected: str | None) -> list[Any]:
    """The text of pieces that share their events; quotes as spans of their own."""
    children: list[Any] = []
    for piece in pieces:
        if piece.quotes:
            current = selected is not None and selected in piece.quotes
            children.append(html.Span(piece.text, className="quote current" if current else "quote"))
        else:
            children.append(piece.text)
    return children


def _paragraph(
    pieces: Sequence[Piece], reading: Reading, colors: Mapping[str, str], selected: str | None, seen: set[str]
) -> list[Any]:
    """A paragraph's children: marked runs, unused sentences and plain text."""
    children: list[Any] = []
    runs: list[list[Piece]] = []
    for piece in pieces:
        if runs and _kind(runs[-1][-1]) == _kind(piece):
            runs[-1].append(piece)
        else:
            runs.append([piece])
    for run in runs:
        first = run[0]
        if first.events:
            index = " ".join(first.events)
            while index in seen:  # a pattern id must be unique: a run met again gets a trailing space
                index += " "
            seen.add(index)
            cited = [reading.events[i] for i in first.events]
            children.append(
                html.Span(
                    _run(run, selected),
                    id={"type": ids.PROV_MARK, "index": index},
                    role="button",
                    tabIndex="0",
                    className="prov-mark current" if selected in first.events else "prov-mark",
                    title="; ".join(f"{c.title} ({c.side})" for c in cited),
                    style=_mark_style([c.side for c in cited], colors),
                    **cast(dict[str, Any], {"data-events": " ".join(first.events)}),
                )
            )
        elif first.unused:
            children.append(html.Span("".join(p.text for p in run), className="prov-unused", title=UNUSED_TITLE))
        else:
            children.append("".join(p.text for p in run))
    return children


def _kind(piece: Piece) -> tuple[object, ...]:
    """Pieces of one kind are drawn as one run."""
    if piece.events:
        return ("mark", piece.events)
    if piece.unused:
        return ("unused", piece.sentence)
    return ("plain",)


def _titles(reading: Reading, event_ids: Sequence[str]) -> str:
    return "; ".join(reading.events[i].title for i in event_ids)


def provenance_panel(
    reading: Reading | None,
    colors: Mapping[str, str],
    selected: str | None = None,
    choices: Sequence[tuple[str, str]] = (),
) -> list[Any]:
    """The panel's children.

    Args:
        reading: the document shown, read against its events; None when no event cites one.
        colors: side -> CSS colour (:attr:`timeline.dataset.Dataset.colors`).
        selected: the selected event's id: its passages get the class ``current``, its
            quote ``quote current``.
        choices: (document id, description) of every cited document; a picker when there
            are several.
    """
    scrolled = html.Div(id=SCROLLED, hidden=True)
    if reading is None:
        return [dmc.Text(NO_DOCUMENT, size="xs", c="dimmed", className="prov-none"), scrolled]
    header: list[Any] = [dmc.Text("Source text", size="sm", fw=600, className="prov-heading")]
    if len(choices) > 1:
        header.append(
            dmc.Select(
                id={"type": DOCUMENT_CHOICE, "index": 0},
                data=[{"value": value, "label": label} for value, label in choices],
                value=reading.document.id,
                allowDeselect=False,
                size="xs",
                className="prov-choice",
                **cast(dict[str, Any], {"aria-label": "Source document"}),
            )
        )
    else:  # the picker names the document itself
        header.append(dmc.Text(reading.document.describe(), size="sm", className="prov-document"))
    total, unused = len(reading.sentences), reading.unused_sentences
    verb = "is" if unused == 1 else "are"
    notes: list[Any] = [
        dmc.Text(f"{unused} of {total} sentences {verb} not on the timeline", size="xs", className="prov-count"),
        dmc.Text(LEGEND, size="xs", c="dimmed", className="prov-legend"),
    ]
    if reading.missing:
        notes.append(
            dmc.Text(f"Not found in the text: {_titles(reading, reading.missing)}", size="xs", className="prov-missing")
        )
    if reading.unsourced:
        notes.append(
            dmc.Text(
                f"Cite it without a passage: {_titles(reading, reading.unsourced)}", size="xs", className="prov-missing"
            )
        )
    seen: set[str] = set()
    paragraphs = [
        html.P(
            _paragraph(pieces, reading, colors, selected, seen),
            className="prov-paragraph prov-headline" if number == 0 else "prov-paragraph",
        )
        for number, pieces in enumerate(reading.paragraphs)
    ]
    box = html.Div(paragraphs, id=TEXT_BOX, className="prov-text", lang="en")
    return [*header, *notes, box, scrolled]


def panel_for(
    dataset: Dataset,
    selected: str | None,
    chosen: str | None = None,
    prefer_chosen: bool = False,
    docs: Mapping[str, Document] | None = None,
) -> list[Any]:
    """The panel for a dataset: the selected event's document, else the chosen one, else the
    most-cited one (``prefer_chosen``: the reader just picked ``chosen``).

    Args:
        docs: the documents known (default: those of ``seeds/index.csv``).
    """
    docs = documents() if docs is None else docs
    cited = citations(dataset.events, docs)
    if not cited:
        return provenance_panel(None, dataset.colors)
    readings = {doc_id: read_document(docs[doc_id], dataset.events.iloc[rows]) for doc_id, rows in cited.items()}
    holding = [doc_id for doc_id, r in readings.items() if r is not None and selected in r.events]
    if prefer_chosen and chosen in readings:
        shown = chosen
    elif holding:
        shown = chosen if chosen in holding else holding[0]
    else:
        shown = chosen if chosen in readings else next(iter(readings))
    choices = [(doc_id, docs[doc_id].describe()) for doc_id in readings]
    return provenance_panel(readings[shown], dataset.colors, selected, choices)


def register_provenance(app: Dash, library: Library) -> None:
    """The provenance panel's callbacks: drawing it, and scrolling to the current passage."""

    @app.callback(
        Output(ids.PROVENANCE, "children"),
        Input(ids.DATASET, "data"),
        Input(ids.SELECTED, "data"),
        Input({"type": DOCUMENT_CHOICE, "index": ALL}, "value"),
    )
    def show_source(store: Any, selected: Any, chosen: Any) -> list[Any]:
        dataset, _ = library.resolve(store)
        picked = chosen[0] if isinstance(chosen, list) and chosen and isinstance(chosen[0], str) else None
        trigger = ctx.triggered_id
        by_reader = isinstance(trigger, dict) and trigger.get("type") == DOCUMENT_CHOICE
        return panel_for(dataset, selected_id(selected) or None, picked, prefer_chosen=by_reader)

    app.clientside_callback(  # type: ignore[no-untyped-call]
        ClientsideFunction(namespace="provenance", function_name="scrollToCurrent"),
        Output(SCROLLED, "title"),
        Input(ids.PROVENANCE, "children"),
    )
