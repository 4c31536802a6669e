"""(being written)"""

from __future__ import annotations

from typing import Any

from dash import Dash

from timeline.app.state import Library


def components() -> list[Any]:
    """Components this module adds to the page (stores, address bar)."""
    return []


def header_tools() -> list[Any]:
    """Controls this module adds to the page's header."""
    return []


def panel() -> list[Any]:
    """What this module shows in the view, under the chart."""
    return []


def register(app: Dash, library: Library) -> None:
    """Register this module's callbacks."""
