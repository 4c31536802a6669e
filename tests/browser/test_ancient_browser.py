"""Years BC and uncertain dates in the dashboard, in headless Chromium: the year axis, the
fading bands, the year fields that stand in for the date picker, and no console errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from screen import EVENT_POINTS, lane_labels, marker_count, wait_for_count

from timeline.app import ids
from timeline.io import load_events

pytestmark = pytest.mark.browser

ANCIENT = Path(__file__).resolve().parent.parent / "fixtures" / "ancient.csv"
TICKS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot .xaxislayer-above .xtick text'))
    .map(n => n.textContent)"""
DRAWN_JS = """() => document.querySelector('.js-plotly-plot')._fullData
    .filter(t => t.meta === 'events').reduce((n, t) => n + t._length, 0)"""
"""How many event markers the chart's figure holds."""
HATCHED = ".js-plotly-plot .barlayer .point path[style*='url(']"
FADING_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot .barlayer .point path'))
    .map(n => getComputedStyle(n)).filter(s => !s.fill.startsWith('url(') && Number(s.fillOpacity) < 0.45)
    .map(s => s.fillOpacity)"""
"""The fill opacities of the fading bands' steps (a span's bar is at 0.5, a hatched band a pattern)."""


def ticks(page: Any) -> list[str]:
    found: list[str] = page.evaluate(TICKS_JS)
    return found


def test_bc_and_circa_data_draws_a_year_axis_bands_and_fading_sides(new_page: Any, serve: Any) -> None:
    events = load_events(ANCIENT).events
    page = new_page(serve(ANCIENT).url)
    assert marker_count(page) == len(events)
    assert sorted(lane_labels(page)) == sorted(events["actor"].unique())
    labels = ticks(page)
    assert "500 BC" in labels and "AD 1" in labels, labels
    assert not any(label in ("0", "AD 0", "0 BC") for label in labels)
    assert page.locator(HATCHED).count() >= 3  # circa, between, a century: hatched windows
    opacities = page.evaluate(FADING_JS)
    assert len(opacities) >= 16, opacities  # "Before 400BC" fades out to the left, the Colosseum past today
    assert len(set(opacities)) >= 4, opacities


def test_the_year_fields_filter_bc_data_and_the_detail_shows_the_wording(new_page: Any, serve: Any) -> None:
    events = load_events(ANCIENT).events
    page = new_page(serve(ANCIENT).url)
    assert page.locator(f"#{ids.YEAR_FROM}").is_visible()
    assert not page.locator(f"#{ids.DATES}").is_visible()  # a date picker would show 500 BC as AD 499
    page.fill(f"#{ids.YEAR_FROM}", "50 BC")
    page.fill(f"#{ids.YEAR_TO}", "41 BC")
    page.keyboard.press("Tab")
    wait_for_count(page, 2, len(events))  # the Rubicon (49 BC) and the Ides of March (44 BC)
    page.wait_for_function(f'document.querySelectorAll("{EVENT_POINTS}").length === 2', timeout=10000)
    assert lane_labels(page) == ["Julius Caesar"]
    page.fill(f"#{ids.YEAR_FROM}", "soon")
    page.keyboard.press("Tab")
    page.get_by_text("not a date").wait_for(timeout=10000)
    page.fill(f"#{ids.YEAR_FROM}", "")
    page.fill(f"#{ids.YEAR_TO}", "")
    page.keyboard.press("Tab")
    wait_for_count(page, len(events), len(events))
    page.click(f"#{ids.ACTORS}")
    page.get_by_role("option", name="Sophocles", exact=True).click()
    page.keyboard.press("Escape")
    wait_for_count(page, 1, len(events))
    page.locator(EVENT_POINTS).first.click(force=True)
    page.locator("#detail-title").wait_for(timeout=10000)
    detail = page.locator(f"#{ids.DETAIL}").inner_text()
    assert "Before 400BC" in detail and "before 400 BC" in detail


def test_zooming_into_years_bc_shows_months_bc_and_zooming_out_the_whole(new_page: Any, serve: Any) -> None:
    page = new_page(serve(ANCIENT).url)
    start, end = (int(np.datetime64(day, "ms").astype(np.int64)) for day in ("-0043-01-01", "-0043-06-01"))
    page.wait_for_load_state("networkidle")  # as a reader would, once the first chart has settled
    page.evaluate(
        "([a, b]) => Plotly.relayout(document.querySelector('.js-plotly-plot'),"
        " {'xaxis.range[0]': a, 'xaxis.range[1]': b})",
        [start, end],
    )  # a drag across the chart, as Plotly reports it on a numeric axis
    page.wait_for_function(f"({TICKS_JS})().includes('Mar 44 BC')", timeout=10000)
    page.wait_for_function(f"({DRAWN_JS})() === 1", timeout=10000)  # the Ides of March
    page.evaluate("() => Plotly.relayout(document.querySelector('.js-plotly-plot'), {'xaxis.autorange': true})")
    page.wait_for_function(f"({TICKS_JS})().includes('500 BC')", timeout=10000)
    total = len(load_events(ANCIENT).events)
    page.wait_for_function(f"({DRAWN_JS})() === {total}", timeout=10000)
