"""The dashboard's "Add an article": paste or drop a news text, review the candidate events
it yields, download or merge the accepted ones (placeholder wiring: the article-review work
fills this in)."""

from __future__ import annotations

from typing import Any

from dash import Dash

from timeline.app.state import Library


def panel() -> list[Any]:
    """The "Add an article" controls, placed by :func:`timeline.app.layout.build_layout`."""
    return []


def register(app: Dash, library: Library) -> None:
    """Wire the panel's callbacks."""
