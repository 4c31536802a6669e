"""Light and dark, wide and narrow: the page in headless Chromium at the sizes readers use.

Screenshots are saved under /tmp (``timeline-theme-*.png``) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from screen import EVENT_POINTS, choose, lane_labels, wait_for_count

from timeline.app import ids
from timeline.colors import DARK_PAPER
from timeline.dataset import Dataset

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp")
PHONE = {"width": 390, "height": 844}

PAPER_JS = f"() => document.querySelector('#{ids.GRAPH} .js-plotly-plot')._fullLayout.paper_bgcolor"
BODY_JS = "() => getComputedStyle(document.body).backgroundColor"
SCHEME_JS = "() => document.documentElement.getAttribute('data-mantine-color-scheme')"


def _rgb(color: str) -> tuple[int, ...]:
    digits = color.lstrip("#")
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))


def _dark(css_rgb: str) -> bool:
    """Whether a computed ``rgb(r, g, b)`` is dark (all channels under 64)."""
    channels = [int(part) for part in css_rgb[css_rgb.index("(") + 1 : css_rgb.index(")")].split(",")[:3]]
    return max(channels) < 64


def _on_screen(page: Any, component: str) -> bool:
    box = page.locator(f"#{component}").bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def _wait_dark(page: Any) -> None:
    page.wait_for_function(f"() => ({SCHEME_JS})() === 'dark'", timeout=10000)
    page.wait_for_function(f"() => ({PAPER_JS})() === '{DARK_PAPER}'", timeout=10000)


def test_phone_width_has_no_sideways_scroll_and_reaches_the_filters(new_page: Any, live_url: str) -> None:
    page = new_page(live_url, viewport=PHONE)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "timeline-theme-phone-light.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    graph = page.locator(f"#{ids.GRAPH}")
    assert graph.is_visible()
    box = graph.bounding_box()
    assert box is not None and box["width"] > 300 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert lane_labels(page)
    assert not _on_screen(page, ids.ACTORS)  # folded away behind the burger
    page.click(f"#{ids.NAV_TOGGLE}")
    page.wait_for_timeout(400)
    assert _on_screen(page, ids.ACTORS)
    page.screenshot(path=str(SHOTS / "timeline-theme-phone-filters.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    choose(page, ids.ACTORS, "Elon Musk")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .ytick').length > 0")


def test_the_switch_turns_the_page_and_the_chart_dark_and_is_remembered(new_page: Any, live_url: str) -> None:
    page = new_page(live_url, color_scheme="light")
    assert page.evaluate(SCHEME_JS) == "light"
    assert page.evaluate(PAPER_JS) in ("#fff", "#ffffff")
    toggle = page.get_by_role("switch", name="Dark theme")
    toggle.check()
    _wait_dark(page)
    assert _dark(page.evaluate(BODY_JS))
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "timeline-theme-dark.png"))
    page.reload()
    page.wait_for_selector(".js-plotly-plot .ytick")
    _wait_dark(page)
    assert page.get_by_role("switch", name="Dark theme").is_checked()
    page.get_by_role("switch", name="Dark theme").uncheck()
    page.wait_for_function(f"() => ({SCHEME_JS})() === 'light'")
    page.wait_for_function(f"() => ({PAPER_JS})() === '#ffffff'")
    assert not _dark(page.evaluate(BODY_JS))


def test_the_page_follows_the_systems_dark_setting(new_page: Any, live_url: str, seed: Dataset) -> None:
    page = new_page(live_url, color_scheme="dark")
    _wait_dark(page)
    assert page.get_by_role("switch", name="Dark theme").is_checked()
    # A redrawn chart (new filters) is painted dark again.
    choose(page, ids.ACTORS, "Elon Musk")
    wait_for_count(page, int((seed.events["actor"] == "Elon Musk").sum()), len(seed.events))
    page.wait_for_function(f"() => ({PAPER_JS})() === '{DARK_PAPER}'", timeout=10000)
    page.locator(EVENT_POINTS).first.click(force=True)
    page.locator("#detail-title").wait_for(timeout=10000)
    detail = page.locator(f"#{ids.DETAIL}")
    assert not _dark(detail.evaluate("n => getComputedStyle(n.querySelector('#detail-title')).color"))
    legend = page.locator(f"#{ids.LEGEND}")
    assert not _dark(legend.evaluate("n => getComputedStyle(n).color"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1600, 1000), (1280, 800), (390, 844)], ids=["wide", "laptop", "phone"])
def test_screenshots_at_every_size(new_page: Any, live_url: str, scheme: str, size: tuple[int, int]) -> None:
    width, height = size
    page = new_page(live_url, viewport={"width": width, "height": height}, color_scheme=scheme)
    if scheme == "dark":
        _wait_dark(page)
    page.locator(EVENT_POINTS).first.click(force=True)
    page.locator("#detail-title").wait_for(timeout=10000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / f"timeline-theme-{width}x{height}-{scheme}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1400, 390])
def test_a_three_event_view_has_no_scrollbar_in_its_legend(
    new_page: Any, live_url: str, seed: Dataset, width: int
) -> None:
    page = new_page(live_url, viewport={"width": width, "height": 900})
    if width < 600:
        page.click(f"#{ids.NAV_TOGGLE}")
    choose(page, ids.ACTORS, "Ukrainian armed forces", "GUR")
    wait_for_count(page, 3, len(seed.events))
    if width < 600:
        page.click(f"#{ids.NAV_TOGGLE}")
    page.wait_for_function(f"document.getElementById('{ids.LEGEND}').children.length > 0")
    page.wait_for_timeout(300)
    overflow = page.evaluate(
        f"""() => Array.from(document.querySelectorAll('#{ids.LEGEND}, #{ids.LEGEND} *'))
            .filter(n => n.scrollHeight > n.clientHeight && getComputedStyle(n).overflowY !== 'visible')
            .map(n => n.className)"""
    )
    legend = page.locator(f"#{ids.LEGEND}")
    assert legend.evaluate("n => n.scrollHeight <= n.clientHeight"), legend.evaluate(
        "n => [n.scrollHeight, n.clientHeight]"
    )
    assert overflow == []


def test_downloads_are_named_after_the_dataset(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    for button, extension in ((ids.EXPORT_CSV, "csv"), (ids.EXPORT_JSON, "json")):
        with page.expect_download(timeout=15000) as download:
            page.click(f"#{button}")
        assert download.value.suggested_filename == f"starlink-terminals-russia-and-ukraine.{extension}"
