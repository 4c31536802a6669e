"""What a reader sees and does on the page: helpers shared by the browser tests."""

from __future__ import annotations

from typing import Any

from timeline.app import ids

LANES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot .yaxislayer-above .ytick text'))
    .filter(n => !n.querySelector('tspan[style*=bold]')).map(n => n.textContent)"""
"""The actor lanes on the chart, top to bottom; each side's header lane is bold and left out."""

EVENT_POINTS = ".js-plotly-plot .scatterlayer .trace[class*='traceevents'] .points .point"
"""Drawn SVG event markers (one per event; not the connectors' arrows nor the status rings)."""


def lane_labels(page: Any) -> list[str]:
    """The actor lanes drawn on the chart, top to bottom."""
    found: list[str] = page.evaluate(LANES_JS)
    return found


def wait_for_lanes(page: Any, expected: list[str]) -> None:
    """Wait until the chart shows exactly these lanes, in any order."""
    page.wait_for_function(
        f"expected => JSON.stringify(({LANES_JS})().sort()) === JSON.stringify(expected)",
        arg=sorted(expected),
        timeout=15000,
    )


def marker_count(page: Any) -> int:
    """How many event markers the chart draws."""
    count: int = page.locator(EVENT_POINTS).count()
    return count


def choose(page: Any, select_id: str, *options: str) -> None:
    """Pick options of a Mantine MultiSelect, as a reader does: open it, click each option."""
    for option in options:
        page.click(f"#{select_id}")
        page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def wait_for_count(page: Any, shown: int, total: int) -> None:
    """Wait until the live count says ``shown of total events``."""
    page.wait_for_function(
        f"document.getElementById('{ids.COUNT}').innerText.toLowerCase() === '{shown} of {total} events'",
        timeout=10000,
    )
