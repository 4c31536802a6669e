"""The export panel as a reader uses it: filter, choose a format, download, open the file."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from screen import choose, lane_labels, wait_for_lanes

from timeline.app import ids
from timeline.dataset import Dataset
from timeline.export import SIZE_PRESETS
from timeline.io import read_events
from timeline.query import Filters, apply_filters

pytestmark = [pytest.mark.browser, pytest.mark.export]

SVG_NS = "{http://www.w3.org/2000/svg}"
CHOSEN = ["Elon Musk", "CNN", "Government of Ukraine"]


def svg_lanes(svg: bytes) -> list[str]:
    """The actor lanes of a downloaded SVG, top to bottom."""
    lanes = []
    for layer in ET.fromstring(svg).iter(f"{SVG_NS}g"):
        if "yaxislayer-above" in layer.get("class", ""):
            for label in layer.iter(f"{SVG_NS}text"):
                if not any("bold" in (t.get("style") or "") for t in label.iter(f"{SVG_NS}tspan")):
                    lanes.append("".join(label.itertext()))
    return lanes


def choose_actors(page: Any, actors: list[str]) -> None:
    """Pick actors in the filter, then wait for the chart to show exactly their lanes."""
    choose(page, ids.ACTORS, *actors)
    wait_for_lanes(page, actors)


def download(page: Any, button: str) -> tuple[str, bytes]:
    with page.expect_download(timeout=30000) as event:
        page.click(f"#{button}")
    file = event.value
    return file.suggested_filename, Path(file.path()).read_bytes()


def test_svg_download_has_the_lanes_on_screen(new_page: Any, live_url: str) -> None:
    page = new_page(live_url, accept_downloads=True)
    choose_actors(page, CHOSEN)
    on_screen = lane_labels(page)
    assert sorted(on_screen) == sorted(CHOSEN)
    page.locator(f"#{ids.EXPORT_FORMAT}").get_by_text("SVG", exact=True).click()
    name, svg = download(page, ids.EXPORT_IMAGE)
    assert name.endswith(".svg")
    assert svg_lanes(svg) == on_screen
    assert page.locator(f"#{ids.EXPORT_ALERT}").inner_text() == ""


def test_csv_download_has_the_filtered_rows(new_page: Any, live_url: str, seed: Dataset) -> None:
    page = new_page(live_url, accept_downloads=True)
    choose_actors(page, CHOSEN)
    name, content = download(page, ids.EXPORT_CSV)
    assert name.endswith(".csv")
    rows = read_events(content, name).events
    expected = apply_filters(seed.events, Filters(actors=tuple(CHOSEN)))
    assert list(rows["id"]) == list(expected["id"])
    assert page.locator(f"#{ids.COUNT}").inner_text().lower().startswith(f"{len(rows)} of")


def test_size_preset_sets_the_png_size(new_page: Any, live_url: str) -> None:
    page = new_page(live_url, accept_downloads=True)
    page.locator(f"#{ids.EXPORT_PRESET}").get_by_text("A4 landscape", exact=True).click()
    a4 = SIZE_PRESETS["a4"]
    page.wait_for_function(f"() => document.querySelector('#{ids.EXPORT_WIDTH}').value === '{a4.width}'", timeout=10000)
    assert page.input_value(f"#{ids.EXPORT_HEIGHT}") == str(a4.height)
    name, png = download(page, ids.EXPORT_IMAGE)
    assert name.endswith(".png")
    assert Image.open(io.BytesIO(png)).size == (round(a4.width * a4.scale), round(a4.height * a4.scale))
    # Typing a size of one's own makes the preset "Custom".
    page.fill(f"#{ids.EXPORT_WIDTH}", "1000")
    page.keyboard.press("Tab")
    page.wait_for_function(
        f"() => document.querySelector('#{ids.EXPORT_PRESET} input[value=custom]').checked", timeout=10000
    )
