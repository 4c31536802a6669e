"""Threads on the chart, in headless Chromium: a selected event lights its thread and dims the
rest, a connector's hover says who denies what, the thread and claim-status filters draw only
their events, the links can be switched off and on, and "Clear selection" undoes the dimming.

Threads are worked out here from data/events.csv's relation columns, not with the app's code."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from typing import Any

import pytest
from screen import choose, lane_labels, marker_count, wait_for_count

from timeline.app import ids
from timeline.figures import DIMMED
from timeline.io import DEFAULT_DATA

pytestmark = pytest.mark.browser

RELATION_COLUMNS = ("responds_to", "denies", "confirms", "reports_on", "refers_to")
DENIAL = "musk-false-news-reports"
"""Musk's Sunday post calling the reports false; it denies the GUR's claim (and Yusov's)."""
CLAIM = "gur-intercept-claim"

with DEFAULT_DATA.open(newline="", encoding="utf-8") as _file:
    ROWS: list[dict[str, str]] = list(csv.DictReader(_file))
POSITION = {row["id"]: i for i, row in enumerate(ROWS)}
"""Each event's row position in data/events.csv: what the chart's markers carry as customdata."""
TOTAL = len(ROWS)


def links_of(rows: Iterable[dict[str, str]]) -> list[tuple[str, str]]:
    """Every (from, to) pair the relation columns name."""
    return [
        (row["id"], named)
        for row in rows
        for column in RELATION_COLUMNS
        for named in re.split(r"[;,\s]+", row.get(column) or "")
        if named
    ]


def thread_of(event_id: str) -> set[str]:
    """The event, what it links to and what links to it, each followed on in its own direction."""
    pairs = links_of(ROWS)
    found = {event_id}
    for forward in (True, False):
        frontier = [event_id]
        while frontier:
            current = frontier.pop()
            for source, target in pairs:
                start, end = (source, target) if forward else (target, source)
                if start == current and end not in found:
                    found.add(end)
                    frontier.append(end)
    return found


def title_of(event_id: str) -> str:
    return ROWS[POSITION[event_id]]["title"]


PLOT = "document.querySelector('#timeline-graph .js-plotly-plot')"

MARKER_JS = f"""position => {{
    const plot = {PLOT};
    for (const trace of plot._fullData) {{
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

OPACITY_JS = f"""() => {{
    const out = {{}};
    for (const trace of {PLOT}._fullData) {{
        if (trace.meta !== 'events') continue;
        for (const point of document.querySelectorAll('.trace.trace' + trace.uid + ' .point')) {{
            out[trace.customdata[point.__data__.i]] = parseFloat(getComputedStyle(point).opacity);
        }}
    }}
    return out;
}}"""
"""The opacity the browser draws each event marker with, by row position."""

DRAWN_JS = f"""() => {{
    const plot = {PLOT};
    if (!plot || !plot._fullData) return [];
    return plot._fullData.filter(t => t.meta === 'events').flatMap(t => Array.from(t.customdata)).sort((a, b) => a - b);
}}"""
"""The row positions of the events drawn as markers."""

METAS_JS = f"() => {PLOT}._fullData.map(t => t.meta)"


def marker(page: Any, event_id: str) -> dict[str, float]:
    """The screen and data position of an event's marker."""
    found: dict[str, float] | None = page.evaluate(MARKER_JS, POSITION[event_id])
    assert found is not None, f"{event_id} is not drawn"
    return found


def select(page: Any, event_id: str) -> None:
    """Click an event's marker, as a reader does, and wait for its details."""
    spot = marker(page, event_id)
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_function(
        "title => document.getElementById('detail-title')?.innerText === title", arg=title_of(event_id), timeout=10000
    )
    page.mouse.move(1, 1)  # away from the chart: no hover left over it


def opacities(page: Any) -> dict[str, float]:
    """Each drawn event's marker opacity, by id."""
    found: dict[str, float] = page.evaluate(OPACITY_JS)
    return {ROWS[int(position)]["id"]: value for position, value in found.items()}


def wait_until_dimmed(page: Any, event_id: str) -> None:
    """Wait until the browser draws this event's marker faint."""
    page.wait_for_function(
        f"position => Math.abs(({OPACITY_JS})()[position] - {DIMMED}) < 0.005",
        arg=POSITION[event_id],
        timeout=10000,
    )


def drawn(page: Any) -> set[str]:
    return {ROWS[p]["id"] for p in page.evaluate(DRAWN_JS)}


def wait_for_drawn(page: Any, expected: set[str]) -> None:
    """Wait until the chart's markers are exactly these events."""
    positions = sorted(POSITION[i] for i in expected)
    page.wait_for_function(
        f"expected => JSON.stringify(({DRAWN_JS})()) === JSON.stringify(expected)", arg=positions, timeout=10000
    )


def wait_for_thread_count(page: Any, shown: int) -> None:
    page.wait_for_function(
        f"text => document.getElementById('{ids.COUNT}')?.innerText.toLowerCase() === text",
        arg=f"{shown} of {TOTAL} events in this thread",
        timeout=10000,
    )


def test_the_seed_story_has_the_threads_these_tests_read() -> None:
    assert set(RELATION_COLUMNS) <= set(ROWS[0])
    assert thread_of(DENIAL) == {DENIAL, CLAIM, "yusov-systematic-use", "peskov-no-point-involvement"}
    assert ROWS[POSITION[CLAIM]]["status"] == "disputed"


def test_selecting_musks_denial_lights_its_thread_and_dims_the_rest(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    assert set(opacities(page).values()) == {1.0}
    select(page, DENIAL)
    wait_until_dimmed(page, "spacex-no-business-with-russia")
    thread = thread_of(DENIAL)
    seen = opacities(page)
    assert len(seen) == TOTAL
    assert seen[CLAIM] == 1.0  # the claim it denies
    assert seen["spacex-no-business-with-russia"] == pytest.approx(DIMMED, abs=0.005)
    assert seen["russia-offensive-2022"] == pytest.approx(DIMMED, abs=0.005)
    # Musk's other denial answers the same claim, but it neither answers nor is answered by this one.
    assert seen["musk-no-starlinks-sold"] == pytest.approx(DIMMED, abs=0.005)
    for event_id, opacity in seen.items():
        assert opacity == pytest.approx(1.0 if event_id in thread else DIMMED, abs=0.005), event_id
    ring = page.evaluate(f"() => {PLOT}._fullData.filter(t => t.meta === 'selected').map(t => [t.x[0], t.y[0]])")
    spot = marker(page, DENIAL)
    assert ring == [[pytest.approx(spot["dataX"]), pytest.approx(spot["dataY"])]]


def test_a_connectors_hover_says_who_denies_what(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    select(page, DENIAL)
    denial, claim = marker(page, DENIAL), marker(page, CLAIM)
    middle = page.evaluate(
        f"""([x, y]) => {{
            const trace = {PLOT}._fullData.find(t => t.meta === 'link-hover');
            // half way up the connector; bowed sideways when both events are of one day
            let i = -1;
            trace.y.forEach((ty, k) => {{
                if (Math.abs(ty - y) < 1e-6 && (i < 0 || Math.abs(trace.x[k] - x) < Math.abs(trace.x[i] - x))) i = k;
            }});
            const point = Array.from(document.querySelectorAll('.trace.tracelink-hover .point'))
                .find(p => p.__data__ && p.__data__.i === i);
            if (!point) return null;
            const box = point.getBoundingClientRect();
            return {{x: box.x + box.width / 2, y: box.y + box.height / 2}};
        }}""",
        [(denial["dataX"] + claim["dataX"]) / 2, (denial["dataY"] + claim["dataY"]) / 2],
    )
    assert middle is not None, "no hover point at the middle of the denial's connector"
    page.mouse.move(middle["x"], middle["y"])
    page.wait_for_function("() => document.querySelector('.hoverlayer .hovertext') !== null", timeout=5000)
    text = page.locator(".hoverlayer .hovertext").first.text_content() or ""
    assert "Elon Musk denies" in text
    assert "GUR claims" in text
    assert title_of(DENIAL) in text
    assert text.index("Elon Musk denies") < text.index("GUR claims")


def test_following_the_denied_claim_lights_the_claims_thread(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    select(page, DENIAL)
    wait_until_dimmed(page, "peskov-never-ordered")
    page.get_by_role("button", name=title_of(CLAIM), exact=False).click()
    page.wait_for_function(
        "title => document.getElementById('detail-title')?.innerText === title", arg=title_of(CLAIM), timeout=10000
    )
    thread = thread_of(CLAIM)
    assert "peskov-never-ordered" in thread and "musk-no-starlinks-sold" in thread
    page.wait_for_function(
        f"position => ({OPACITY_JS})()[position] === 1", arg=POSITION["peskov-never-ordered"], timeout=10000
    )
    for event_id, opacity in opacities(page).items():
        assert opacity == pytest.approx(1.0 if event_id in thread else DIMMED, abs=0.005), event_id


def test_selecting_an_event_without_links_dims_nothing(new_page: Any, live_url: str) -> None:
    lone = "ukraine-starlink-drone-use"
    assert thread_of(lone) == {lone}
    page = new_page(live_url)
    select(page, lone)
    page.wait_for_function(f"() => ({METAS_JS})().includes('selected')", timeout=10000)
    assert set(opacities(page).values()) == {1.0}


def is_detail_answer(response: Any) -> bool:
    """Whether a response answers the callback that fills the detail panel."""
    if "_dash-update-component" not in response.url:
        return False
    body = json.loads(response.request.post_data or "{}")
    return str(body.get("output", "")).startswith(f"..{ids.DETAIL}.children")


def test_choosing_a_thread_keeps_an_open_event_of_that_thread(new_page: Any, live_url: str) -> None:
    assert CLAIM in thread_of(DENIAL)
    page = new_page(live_url)
    select(page, CLAIM)
    page.click(f"#{ids.THREAD}")
    with page.expect_response(is_detail_answer, timeout=10000):
        page.get_by_role("option", name=title_of(DENIAL), exact=False).click()
    wait_for_thread_count(page, len(thread_of(DENIAL)))
    wait_for_drawn(page, thread_of(DENIAL))
    assert page.locator("#detail-title").all_inner_texts() == [title_of(CLAIM)]


def test_the_thread_filter_draws_only_the_thread(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    thread = thread_of(CLAIM)
    assert 1 < len(thread) < TOTAL
    page.click(f"#{ids.THREAD}")
    page.get_by_role("option", name=title_of(CLAIM), exact=False).click()
    wait_for_thread_count(page, len(thread))
    wait_for_drawn(page, thread)
    assert marker_count(page) == len(thread)
    assert sorted(lane_labels(page)) == sorted({ROWS[POSITION[i]]["actor"] for i in thread})
    assert page.locator(f"#{ids.THREAD}").input_value().startswith(title_of(CLAIM))


def test_show_this_thread_only_filters_to_the_open_events_thread(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    select(page, DENIAL)
    page.get_by_role("button", name="Show this thread only").click()
    thread = thread_of(DENIAL)
    wait_for_thread_count(page, len(thread))
    wait_for_drawn(page, thread)
    assert marker_count(page) == len(thread)
    assert page.locator(f"#{ids.THREAD}").input_value().startswith(title_of(DENIAL))
    # The open event belongs to the thread it filtered to: its details stay open.
    assert page.locator("#detail-title").inner_text() == title_of(DENIAL)


def test_the_switch_hides_the_links_and_shows_them_again(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    links = ".js-plotly-plot .scatterlayer .trace[class*='tracelink-']"
    assert page.locator(links).count() > 0
    assert "link" in page.evaluate(METAS_JS)
    switch = page.get_by_role("switch", name="Draw links between events")
    assert switch.is_checked()
    switch.click()
    page.wait_for_function(f"() => !({METAS_JS})().some(m => m === 'link' || m === 'link-hover')", timeout=10000)
    assert page.locator(links).count() == 0
    assert not switch.is_checked()
    assert marker_count(page) == TOTAL  # the events stay
    switch.click()
    page.wait_for_function(f"() => ({METAS_JS})().includes('link')", timeout=10000)
    page.wait_for_selector(f"{links} .point", state="attached", timeout=10000)
    assert page.locator(".js-plotly-plot .scatterlayer .trace.tracelink-hover .point").count() == len(links_of(ROWS))
    assert switch.is_checked()


def test_the_claim_status_filter_draws_only_disputed_events(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    disputed = {row["id"] for row in ROWS if row["status"] == "disputed"}
    assert 0 < len(disputed) < TOTAL
    choose(page, ids.STATUSES, "disputed")
    wait_for_count(page, len(disputed), TOTAL)
    wait_for_drawn(page, disputed)
    assert marker_count(page) == len(disputed)
    rings = page.locator(".js-plotly-plot .scatterlayer .trace[class*='tracestatus-'] .point")
    assert rings.count() == len(disputed)
    assert page.locator(".js-plotly-plot .scatterlayer .trace.tracestatus-disputed .point").count() == len(disputed)


def test_clear_selection_removes_the_dimming(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    select(page, DENIAL)
    wait_until_dimmed(page, "russia-offensive-2022")
    assert "selected" in page.evaluate(METAS_JS)
    page.get_by_role("button", name="Clear selection").click()
    page.wait_for_function(f"() => Object.values(({OPACITY_JS})()).every(o => o === 1)", timeout=10000)
    assert set(opacities(page).values()) == {1.0}
    assert len(opacities(page)) == TOTAL
    assert "selected" not in page.evaluate(METAS_JS)
    assert page.locator("#detail-title").count() == 0
    assert "Click an event on the chart" in page.locator(f"#{ids.DETAIL}").inner_text()
