"""The list of events in headless Chromium: the chart's filtered events, in step with the chart
both ways, by mouse and keyboard, and a million events served a block at a time."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from screen import choose, wait_for_count

from timeline.app import ids
from timeline.generate import write_generated
from timeline.io import DEFAULT_DATA

pytestmark = pytest.mark.browser

with DEFAULT_DATA.open(newline="", encoding="utf-8") as _file:
    ROWS: list[dict[str, str]] = list(csv.DictReader(_file))
POSITION = {row["id"]: i for i, row in enumerate(ROWS)}
TOTAL = len(ROWS)

GRID = f"#{ids.EVENT_LIST}"
ROW = f"{GRID} .ag-center-cols-container .ag-row[row-id]"
API = f"dash_ag_grid.getApi('{ids.EVENT_LIST}')"
PLOT = "document.querySelector('#timeline-graph .js-plotly-plot')"

MARKER_JS = f"""position => {{
    for (const trace of {PLOT}._fullData) {{
        if (trace.meta !== 'events') continue;
        const i = Array.from(trace.customdata).indexOf(position);
        if (i < 0) continue;
        const point = Array.from(document.querySelectorAll('.trace.trace' + trace.uid + ' .point'))
            .find(p => p.__data__ && p.__data__.i === i);
        if (!point) return null;
        const box = point.getBoundingClientRect();
        return {{x: box.x + box.width / 2, y: box.y + box.height / 2, dataX: trace.x[i], dataY: trace.y[i]}};
    }}
    return null;
}}"""
"""Where an event's marker (found by its row position) is drawn on screen, and its data x and y."""
SELECTED_RING = f"() => {PLOT}._fullData.filter(t => t.meta === 'selected').map(t => [t.x[0], t.y[0]])"


def listed(page: Any) -> int:
    """How many rows the grid holds: the count the server gave it, not the rows drawn."""
    count: int = page.evaluate(f"() => {API}.getDisplayedRowCount()")
    return count


def badge_count(page: Any) -> int:
    text: str = page.locator(f"#{ids.COUNT}").inner_text()
    return int(text.lower().split(" of ")[0].replace(",", ""))


def drawn_ids(page: Any) -> list[str]:
    found: list[str] = page.evaluate(
        f"() => Array.from(document.querySelectorAll('{ROW}'))"
        ".filter(r => r.innerText.trim()).map(r => r.getAttribute('row-id'))"
    )
    return found


def ready(page: Any) -> None:
    page.wait_for_selector(ROW, timeout=15000)
    page.wait_for_load_state("networkidle")


def wait_for_detail(page: Any, title: str) -> None:
    page.wait_for_function(
        "title => document.getElementById('detail-title')?.innerText === title", arg=title, timeout=10000
    )


def wait_for_selected_row(page: Any, event_id: str) -> None:
    """Wait until the event's row is the selected one and the page has settled (the address
    bar too), as a reader does before the next key."""
    page.wait_for_selector(f"{ROW}.ag-row-selected[row-id='{event_id}']", timeout=10000)
    # The address bar names the selected event last of all: after it, nothing is pending.
    # (A load state would not do: it resolves at once once the page has loaded.)
    page.wait_for_function("id => location.search.includes(id)", arg=event_id, timeout=10000)
    page.wait_for_timeout(300)  # a reader's pace: the address bar's own round trip has settled


def row_in_view(page: Any, event_id: str) -> bool:
    inside: bool = page.evaluate(
        """([grid, id]) => {
            const body = document.querySelector(grid + ' .ag-body-viewport').getBoundingClientRect();
            const row = document.querySelector(grid + ` .ag-center-cols-container .ag-row[row-id="${id}"]`);
            if (!row) return false;
            const box = row.getBoundingClientRect();
            return box.top >= body.top - 1 && box.bottom <= body.bottom + 1;
        }""",
        [GRID, event_id],
    )
    return inside


def test_the_list_shows_the_events_the_chart_counts_and_a_filter_narrows_it(
    new_page: Callable[..., Any], live_url: str
) -> None:
    page = new_page(live_url)
    ready(page)
    assert listed(page) == badge_count(page) == TOTAL
    assert page.locator(f"{GRID} [role=grid]").get_attribute("aria-label") == "Events"
    assert page.get_by_role("heading", name="Events", exact=True).count() == 1
    choose(page, ids.ACTORS, "Elon Musk")
    musk = sum(row["actor"] == "Elon Musk" for row in ROWS)
    page.wait_for_function(f"() => {API}.getDisplayedRowCount() === {musk}", timeout=10000)
    page.wait_for_load_state("networkidle")
    wait_for_count(page, musk, TOTAL)
    actors = page.evaluate(f"() => Array.from(document.querySelectorAll('{ROW} [col-id=actor]')).map(c => c.innerText)")
    assert actors and set(actors) == {"Elon Musk"}


def test_sorting_by_date_follows_the_real_date_not_its_words(new_page: Callable[..., Any], live_url: str) -> None:
    page = new_page(live_url)
    ready(page)
    page.locator(f"{GRID} .ag-header-cell[col-id=date] .ag-header-cell-label").click()  # ascending
    page.locator(f"{GRID} .ag-header-cell[col-id=date] .ag-header-cell-label").click()  # descending
    latest = max(ROWS, key=lambda row: (row["start"], row["end"]))
    page.wait_for_function(
        f"id => document.querySelector(`{ROW}[row-index='0']`)?.getAttribute('row-id') === id",
        arg=latest["id"],
        timeout=10000,
    )


def test_clicking_a_row_opens_its_details_and_rings_it_on_the_chart(
    new_page: Callable[..., Any], live_url: str
) -> None:
    page = new_page(live_url)
    ready(page)
    row = page.locator(ROW).nth(3)
    event_id = row.get_attribute("row-id")
    assert event_id
    row.locator("[col-id=title]").click()
    wait_for_detail(page, ROWS[POSITION[event_id]]["title"])
    wait_for_selected_row(page, event_id)
    page.wait_for_function(f"() => ({SELECTED_RING})().length === 1", timeout=10000)
    spot = page.evaluate(MARKER_JS, POSITION[event_id])
    assert page.evaluate(SELECTED_RING) == [[spot["dataX"], spot["dataY"]]]


def test_clicking_a_marker_selects_its_row_and_scrolls_to_it(new_page: Callable[..., Any], live_url: str) -> None:
    page = new_page(live_url)
    ready(page)
    last = ROWS[-1]["id"]  # the list's last row: below the grid's fold at first
    assert last not in drawn_ids(page) or not row_in_view(page, last)
    spot = page.evaluate(MARKER_JS, POSITION[last])
    page.mouse.click(spot["x"], spot["y"])
    wait_for_detail(page, ROWS[-1]["title"])
    wait_for_selected_row(page, last)
    page.wait_for_function(
        """([grid, id]) => {
            const body = document.querySelector(grid + ' .ag-body-viewport').getBoundingClientRect();
            const row = document.querySelector(grid + ` .ag-center-cols-container .ag-row[row-id="${id}"]`);
            const box = row && row.getBoundingClientRect();
            return !!box && box.top >= body.top - 1 && box.bottom <= body.bottom + 1;
        }""",
        arg=[GRID, last],
        timeout=10000,
    )
    assert page.locator(f"{ROW}.ag-row-selected").count() == 1


def test_the_keyboard_moves_through_rows_and_enter_or_space_opens_one(
    new_page: Callable[..., Any], live_url: str
) -> None:
    page = new_page(live_url)
    ready(page)
    page.locator(f"{ROW}[row-index='0'] [col-id=date]").click()
    wait_for_detail(page, ROWS[0]["title"])
    wait_for_selected_row(page, ROWS[0]["id"])
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    second = page.locator(f"{ROW}[row-index='2']").get_attribute("row-id")
    assert second
    wait_for_detail(page, ROWS[POSITION[second]]["title"])
    wait_for_selected_row(page, second)
    page.keyboard.press("ArrowDown")
    page.keyboard.press(" ")
    third = page.locator(f"{ROW}[row-index='3']").get_attribute("row-id")
    assert third
    wait_for_detail(page, ROWS[POSITION[third]]["title"])
    wait_for_selected_row(page, third)
    assert page.locator(f"{ROW}.ag-row-selected").count() == 1


@pytest.fixture(scope="module")
def million(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("list") / "million.parquet"
    write_generated(path, 1_000_000, actors=2_000, seed=11)
    return path


def test_a_million_events_are_listed_a_block_at_a_time(new_page: Callable[..., Any], serve: Any, million: Path) -> None:
    server = serve(million)
    sizes: list[int] = []
    answers: list[dict[str, Any]] = []

    def record(response: Any) -> None:
        if "_dash-update-component" not in response.url or response.status != 200:
            return
        body = response.body()
        answer = json.loads(body).get("response", {})
        if ids.EVENT_LIST in answer and "getRowsResponse" in answer[ids.EVENT_LIST]:
            sizes.append(len(body))
            answers.append(answer[ids.EVENT_LIST]["getRowsResponse"])

    page = new_page(server.url, ready=None, viewport={"width": 1440, "height": 900})
    page.on("response", record)
    page.wait_for_selector(ROW, timeout=60000)
    assert listed(page) == 1_000_000
    asked = len(answers)
    page.locator(f"{GRID} .ag-header-cell[col-id=date] .ag-header-cell-label").click()
    page.wait_for_selector(f"{GRID} .ag-header-cell[col-id=date][aria-sort=ascending]", timeout=10000)
    page.wait_for_function(f"() => !!document.querySelector(`{ROW}[row-index='0']`)", timeout=30000)
    page.wait_for_timeout(500)  # the sorted first block has arrived before the reader scrolls
    assert len(answers) > asked, "sorting asked the server again"
    page.locator(f"{GRID} .ag-body-viewport").evaluate("body => { body.scrollTop = body.scrollHeight / 2; }")
    page.wait_for_function(
        f"() => Array.from(document.querySelectorAll('{ROW}')).some(r => Number(r.getAttribute('row-index')) > 400000)",
        timeout=30000,
    )
    page.wait_for_load_state("networkidle")
    assert answers, "the grid asked the server for rows"
    assert all(len(answer["rowData"]) <= 100 and answer["rowCount"] == 1_000_000 for answer in answers)
    assert max(sizes) < 64_000, f"a block of rows took {max(sizes):,} bytes"
