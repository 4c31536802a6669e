"""Real event databases in a real browser: a million events, two thousand actors, resizing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from screen import EVENT_POINTS, choose

from timeline.app import ids
from timeline.generate import write_generated

pytestmark = pytest.mark.browser

DRAWN = """() => {
    const g = document.querySelector('#timeline-graph .js-plotly-plot');
    return !!(g && g._fullLayout && g._fullData && g._fullData.length
              && !document.querySelector('[data-dash-is-loading="true"]'));
}"""
MODE = "() => document.querySelector('#timeline-graph .js-plotly-plot')._fullLayout.meta.mode"


@pytest.fixture(scope="module")
def million(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "million.parquet"
    write_generated(path, 1_000_000, actors=2_000, seed=11)
    return path


@pytest.fixture(scope="module")
def icews_like(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The size of the ICEWS 2014 table that broke the explorer: about 9,000 events, 2,000 actors."""
    path = tmp_path_factory.mktemp("scale") / "icews-like.parquet"
    write_generated(path, 9_000, actors=2_000, seed=12)
    return path


def rect(page: Any, selector: str) -> dict[str, float]:
    box: dict[str, float] = page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect(); "
        "return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height}; }",
        selector,
    )
    return box


def on_screen(page: Any, selector: str) -> bool:
    box, view = rect(page, selector), page.viewport_size
    return box["top"] >= 0 and box["left"] >= 0 and box["bottom"] <= view["height"] and box["right"] <= view["width"]


def zoom(page: Any, start: str, end: str) -> None:
    """Zoom the time axis as a reader's drag does: through Plotly, so Dash hears the relayout."""
    page.wait_for_load_state("networkidle")  # as a reader would, once the first chart has settled
    page.evaluate(
        "([a, b]) => Plotly.relayout(document.querySelector('#timeline-graph .js-plotly-plot'),"
        " {'xaxis.range[0]': a, 'xaxis.range[1]': b})",
        [start, end],
    )


def click_first_marker(page: Any) -> None:
    """Click the first event marker where it is drawn, WebGL or SVG, as a mouse would."""
    where = page.evaluate(
        """() => {
            const g = document.querySelector('#timeline-graph .js-plotly-plot');
            const xa = g._fullLayout.xaxis, ya = g._fullLayout.yaxis, box = g.getBoundingClientRect();
            const [lo, hi] = xa.range.map(v => xa.r2l(v));
            for (const trace of g._fullData.filter(t => t.meta === 'events')) {
                for (let i = 0; i < trace._length; i++) {  // the first marker inside the window
                    const x = Number(trace.x[i]), y = Number(trace.y[i]);
                    if (x > lo && x < hi) {
                        return {x: box.left + xa._offset + xa.l2p(x), y: box.top + ya._offset + ya.l2p(y)};
                    }
                }
            }
            return null;
        }"""
    )
    assert where, "a marker lies inside the window"
    page.mouse.move(where["x"], where["y"])
    page.mouse.click(where["x"], where["y"])


def test_a_million_events_draw_then_zoom_to_exact_clickable_markers(
    new_page: Callable[..., Any], serve: Any, million: Path
) -> None:
    page = new_page(serve(million).url, ready=None, viewport={"width": 1440, "height": 900})
    page.wait_for_function(DRAWN, timeout=60000)
    assert page.evaluate(MODE) == "aggregated"
    assert page.locator(f"#{ids.VIEW_NOTE}").inner_text().startswith("aggregated: ")
    assert page.locator(f"#{ids.COUNT}").inner_text().lower() == "1,000,000 of 1,000,000 events"
    zoom(page, "2012-05-01", "2012-06-01")
    page.wait_for_function(f"() => ({MODE})() === 'exact'", timeout=30000)
    page.wait_for_function(DRAWN, timeout=30000)
    click_first_marker(page)
    page.locator("#detail-title").wait_for(timeout=15000)
    assert page.locator("#detail-actor").inner_text()


def test_two_thousand_actors_keep_the_axis_and_the_panel_on_screen(
    new_page: Callable[..., Any], serve: Any, icews_like: Path
) -> None:
    page = new_page(serve(icews_like).url, ready=None, viewport={"width": 1280, "height": 800})
    page.wait_for_function(DRAWN, timeout=30000)
    assert on_screen(page, "#timeline-graph .xaxislayer-above"), "the date axis is on the first screen"
    assert on_screen(page, f"#{ids.DETAIL}"), "the detail panel is beside the chart"
    assert rect(page, f"#{ids.GRAPH}")["height"] <= 800
    lanes = page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot .yaxislayer-above .ytick text'))"
        ".map(n => n.textContent)"
    )
    assert 10 <= len(lanes) <= 40
    assert "more actors" in lanes[-1]
    # Every actor is still reachable from the filter, by typing: choosing one brings its lane up.
    quiet = _quiet_actor(icews_like)
    page.click(f"#{ids.ACTORS}")
    page.keyboard.type(quiet)
    page.get_by_role("option", name=quiet, exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => document.querySelector('#timeline-graph .js-plotly-plot')._fullLayout.meta.lanes.length === 1"
    )
    assert page.evaluate("() => document.querySelector('#timeline-graph .js-plotly-plot')._fullLayout.meta.lanes") == [
        quiet
    ]


def _quiet_actor(path: Path) -> str:
    import pandas as pd

    counts = pd.read_parquet(path, columns=["actor"])["actor"].value_counts()
    return str(counts.index[-1])


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1200, 800)])
def test_resizing_never_covers_the_panel(new_page: Callable[..., Any], live_url: str, width: int, height: int) -> None:
    page = new_page(live_url, viewport={"width": width, "height": height})
    sizes = (
        {"width": width - 150, "height": height - 100},
        {"width": 1000, "height": 700},
        {"width": width, "height": height},
    )
    for size in sizes:
        page.set_viewport_size(size)
        page.wait_for_timeout(600)  # the page re-measures 200 ms after the last resize event
        page.wait_for_function(DRAWN, timeout=15000)
        chart, panel = rect(page, f"#{ids.GRAPH_BOX}"), rect(page, f"#{ids.DETAIL}")
        plot = rect(page, "#timeline-graph .main-svg")
        assert plot["right"] <= chart["right"] + 1, f"the plot stays inside its box at {size}"
        side_by_side = chart["right"] <= panel["left"] + 1
        stacked = chart["bottom"] <= panel["top"] + 1
        assert side_by_side or stacked, f"the chart covers the panel at {size}"
        if size["width"] >= 1200:
            assert side_by_side, f"beside the chart at laptop width {size}"


def test_stale_details_and_export_messages_clear(new_page: Callable[..., Any], live_url: str) -> None:
    page = new_page(live_url)
    choose(page, ids.ACTORS, "GUR")
    page.wait_for_function(f'document.querySelectorAll("{EVENT_POINTS}").length === 1')
    page.locator(EVENT_POINTS).first.click(force=True)
    page.locator("#detail-title").wait_for(timeout=10000)
    # A filter the open event no longer matches closes its details.
    page.click(f"#{ids.ACTORS} ~ * button, #{ids.ACTORS}")  # focus the select
    page.keyboard.press("Backspace")
    page.keyboard.press("Escape")
    choose(page, ids.ACTORS, "CNN")
    page.locator("#detail-title").wait_for(state="detached", timeout=10000)
    # An export's error is about a view; Reset makes a new view and clears it.
    page.fill(f"#{ids.EXPORT_WIDTH}", "10")
    page.click(f"#{ids.EXPORT_IMAGE}")
    page.get_by_text("Export failed").wait_for(timeout=10000)
    page.click(f"#{ids.RESET}")
    page.get_by_text("Export failed").wait_for(state="detached", timeout=10000)


BUNDLE = Path(__file__).resolve().parents[2] / "assets" / "plotly-timeline.min.js"


def test_the_page_loads_the_charts_own_plotly_not_the_full_one(new_page: Callable[..., Any], live_url: str) -> None:
    """``make`` builds a plotly.js of only the chart's traces (.ci/build-plotly): a third of the
    full one to parse before the first chart."""
    if not BUNDLE.exists():
        message = f"{BUNDLE.name} is not built (make plotly; it needs Node.js and npm)"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(message + "; CI=true, so this is a failure, not a skip")
        pytest.skip(message)
    fetched: list[str] = []
    page = new_page(live_url, ready=None)
    page.on("request", lambda r: fetched.append(r.url))
    page.reload()
    page.wait_for_function(DRAWN, timeout=15000)
    scripts = [url.split("?")[0].rsplit("/", 1)[-1] for url in fetched]
    assert "plotly-timeline.min.js" in scripts
    assert "plotly.min.js" not in scripts
    traces = page.evaluate("() => Object.keys(window.Plotly.PlotSchema.get().traces).sort()")
    assert {"bar", "heatmap", "scatter", "scattergl"} <= set(traces)
