"""Limits on what a request may send to the app (placeholder wiring, filled in by the
request-limits work): :func:`install` is called by :func:`timeline.app.create_app`."""

from __future__ import annotations

from dash import Dash

from timeline.app.state import Library


def install(app: Dash, library: Library) -> None:
    """Guard ``app``'s routes against oversized and malformed requests."""
