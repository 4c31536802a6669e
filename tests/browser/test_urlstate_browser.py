"""The address bar in headless Chromium: a link restores filters, zoom window, links switch and
the selected event with its details; changing the view writes the address; Back and Forward
step through the changes without adding steps; a bad link shows a notice and the default
view; "Copy link" copies the address."""

from __future__ import annotations

from typing import Any

import pytest
from screen import EVENT_POINTS, choose, wait_for_count, wait_for_lanes

from timeline.app import ids

pytestmark = pytest.mark.browser

TOTAL = 19
DENIAL_TITLE = "Musk calls reports of Starlink sales to Russia false"
LINK = (
    "?actor=Elon+Musk&actor=GUR&kind=denial&kind=claim&from=2024-02-01&to=2024-02-12"
    "&event=musk-false-news-reports&window=2024-02-09T00:00/2024-02-13T00:00&links=0"
)
AXIS_JS = "() => document.querySelector('#timeline-graph .js-plotly-plot')?._fullLayout?.xaxis?.range?.map(String)"


def wait_for_search(page: Any, search: str) -> None:
    """Wait until the address bar's query string is ``search`` (with its ``?``, or "")."""
    page.wait_for_function("search => window.location.search === search", arg=search, timeout=15000)


def wait_for_axis_from(page: Any, start: str, end: str) -> None:
    """Wait until the chart's time axis runs from the day ``start`` to the day ``end``."""
    page.wait_for_function(
        f"([start, end]) => {{ const r = ({AXIS_JS})(); "
        "return !!r && r[0].startsWith(start) && r[1].startsWith(end); }",
        arg=[start, end],
        timeout=15000,
    )


COUNT_PUSHES = """(() => {
    window.__pushes = 0;
    const push = history.pushState.bind(history);
    history.pushState = (...args) => { window.__pushes += 1; return push(...args); };
})()"""
"""Counts the steps the page adds to the history (``window.__pushes``)."""


def open_counting(new_page: Any, url: str, **options: Any) -> Any:
    """Open ``url`` in a page that counts the steps it adds to the history."""
    page = new_page("about:blank", ready=None, **options)
    page.add_init_script(COUNT_PUSHES)
    page.goto(url)
    page.wait_for_selector(EVENT_POINTS, timeout=15000)
    return page


def wait_for_detail(page: Any, title: str) -> None:
    page.wait_for_function(
        "title => document.getElementById('detail-title')?.innerText === title", arg=title, timeout=15000
    )


def test_a_link_restores_the_view(new_page: Any, live_url: str) -> None:
    page = open_counting(new_page, live_url + LINK)
    wait_for_count(page, 3, TOTAL)
    wait_for_lanes(page, ["Elon Musk", "GUR"])
    wait_for_detail(page, DENIAL_TITLE)
    wait_for_axis_from(page, "2024-02-09", "2024-02-13")
    assert page.locator(f"#{ids.CONNECTORS}").is_checked() is False
    assert page.input_value(f"#{ids.SEARCH}") == ""
    # Applying the link changed nothing in it and added no step to the history.
    wait_for_search(page, LINK)
    assert page.evaluate("window.__pushes") == 0
    assert page.locator(f"#{ids.URL_NOTICE}").count() == 0 or not page.locator(f"#{ids.URL_NOTICE}").is_visible()


def test_changing_the_view_writes_the_address_and_back_and_forward_step_through(new_page: Any, live_url: str) -> None:
    page = open_counting(new_page, live_url)
    wait_for_count(page, TOTAL, TOTAL)
    choose(page, ids.ACTORS, "Elon Musk")
    wait_for_search(page, "?actor=Elon+Musk")
    wait_for_count(page, 7, TOTAL)
    choose(page, ids.KINDS, "denial")
    wait_for_search(page, "?actor=Elon+Musk&kind=denial")
    wait_for_count(page, 2, TOTAL)
    assert page.evaluate("window.__pushes") == 2
    steps = page.evaluate("history.length")

    page.go_back()
    wait_for_search(page, "?actor=Elon+Musk")
    wait_for_count(page, 7, TOTAL)
    page.go_back()
    wait_for_search(page, "")
    wait_for_count(page, TOTAL, TOTAL)
    page.go_forward()
    wait_for_search(page, "?actor=Elon+Musk")
    wait_for_count(page, 7, TOTAL)
    page.go_forward()
    wait_for_search(page, "?actor=Elon+Musk&kind=denial")
    wait_for_count(page, 2, TOTAL)
    assert page.evaluate("[window.__pushes, history.length]") == [2, steps]  # stepping added no steps


def test_back_restores_a_zoom_window_that_a_new_filter_widened(new_page: Any, live_url: str) -> None:
    link = "?event=musk-false-news-reports&window=2024-02-09T00:00/2024-02-13T00:00"
    page = new_page(live_url + link)
    wait_for_axis_from(page, "2024-02-09", "2024-02-13")
    wait_for_detail(page, DENIAL_TITLE)
    choose(page, ids.ACTORS, "Elon Musk")
    wait_for_search(page, "?actor=Elon+Musk&event=musk-false-news-reports")
    page.wait_for_function(f"() => !({AXIS_JS})()[0].startsWith('2024-02-09')", timeout=15000)
    page.go_back()
    wait_for_search(page, link)
    wait_for_count(page, TOTAL, TOTAL)
    wait_for_axis_from(page, "2024-02-09", "2024-02-13")
    wait_for_detail(page, DENIAL_TITLE)


def test_clearing_the_selection_takes_the_event_out_of_the_address(new_page: Any, live_url: str) -> None:
    page = new_page(live_url + "?event=musk-false-news-reports")
    wait_for_detail(page, DENIAL_TITLE)
    page.click(f"#{ids.CLEAR_SELECTION}")
    wait_for_search(page, "")
    page.go_back()
    wait_for_detail(page, DENIAL_TITLE)


def test_a_bad_link_shows_the_notice_and_the_default_view(new_page: Any, live_url: str) -> None:
    page = new_page(live_url + "?actor=Nobody&kind=rumour&from=2024-02-31&event=no-such-event&window=soon&order=x")
    notice = page.locator(f"#{ids.URL_NOTICE}")
    notice.wait_for(state="visible", timeout=15000)
    text = notice.inner_text()
    for named in ("Nobody", "rumour", "2024-02-31", "no-such-event", "soon", "order"):
        assert named in text, (named, text)
    wait_for_count(page, TOTAL, TOTAL)
    assert page.locator("#detail-title").count() == 0


def test_copy_link_copies_the_address(new_page: Any, live_url: str) -> None:
    page = new_page(live_url + "?actor=GUR", permissions=["clipboard-read", "clipboard-write"])
    wait_for_count(page, 1, TOTAL)
    button = page.get_by_role("button", name="Copy a link to this view")
    button.click()
    page.wait_for_function("async url => (await navigator.clipboard.readText()) === url", arg=page.url, timeout=15000)
    assert page.url.endswith("?actor=GUR")


UPLOADED = "id,start,actor,kind,title\na,2022-02-24,Alpha Agency,statement,One\nb,2022-03,Beta Office,claim,Two\n"


def test_a_link_made_on_an_upload_carries_the_view_but_not_the_file(
    new_page: Any, live_url: str, tmp_path: Any
) -> None:
    page = new_page(live_url)
    path = tmp_path / "mine.csv"
    path.write_text(UPLOADED, encoding="utf-8")
    page.set_input_files(f"#{ids.UPLOAD} input[type=file]", str(path))
    wait_for_lanes(page, ["Alpha Agency", "Beta Office"])
    choose(page, ids.ACTORS, "Alpha Agency")
    choose(page, ids.KINDS, "statement")
    wait_for_search(page, "?actor=Alpha+Agency&kind=statement")
    link = page.url
    assert "token" not in link

    elsewhere = new_page(link)  # another session: the served data
    notice = elsewhere.locator(f"#{ids.URL_NOTICE}")
    notice.wait_for(state="visible", timeout=15000)
    assert "Alpha Agency" in notice.inner_text()
    wait_for_count(elsewhere, 6, TOTAL)  # the served data's statements: the kind applies
    wait_for_lanes(elsewhere, ["Elon Musk", "Dmitry Peskov"])
    assert elsewhere.evaluate("window.location.search") == "?actor=Alpha+Agency&kind=statement"


def test_zooming_writes_the_window_and_a_thread_link_restores_the_thread(new_page: Any, live_url: str) -> None:
    page = new_page(live_url + "?thread=gur-intercept-claim")
    page.wait_for_function(
        f"document.getElementById('{ids.COUNT}').innerText.toLowerCase().endsWith('events in this thread')",
        timeout=15000,
    )
    assert page.input_value(f"#{ids.THREAD}").startswith("Ukrainian intelligence says")
    # The thread's chart drawn (not the first one): a zoom then zooms it, not the chart it replaces.
    page.wait_for_function(
        "([selector, count]) => document.querySelectorAll(selector).length === count",
        arg=[EVENT_POINTS, 7],
        timeout=15000,
    )
    # Zoom as the toolbar does. While the page settles (the list below the chart loading, the chart
    # resizing), a zoom can be overtaken by the chart's own relayout: zoom again until it holds.
    page.wait_for_function(
        """() => {
            if (window.location.search.includes('window=')) return true;
            Plotly.relayout(document.querySelector('#timeline-graph .js-plotly-plot'),
                {'xaxis.range': ['2024-02-09', '2024-02-13']});
            return false;
        }""",
        polling=1000,
        timeout=15000,
    )
    wait_for_search(page, "?thread=gur-intercept-claim&window=2024-02-09T00:00/2024-02-13T00:00")
