"""The explorer as a reader uses it, in headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from screen import EVENT_POINTS, choose, lane_labels, marker_count, wait_for_count

from timeline.app import ids
from timeline.dataset import Dataset

pytestmark = pytest.mark.browser


def count_text(page: Any) -> str:
    return page.locator(f"#{ids.COUNT}").inner_text()


def test_page_draws_one_lane_per_actor_without_console_errors(new_page: Any, live_url: str, seed: Dataset) -> None:
    page = new_page(live_url)
    assert sorted(lane_labels(page)) == sorted(seed.events["actor"].unique())
    assert marker_count(page) == len(seed.events)
    assert count_text(page).lower() == f"{len(seed.events)} of {len(seed.events)} events"


def test_selecting_one_actor_leaves_only_that_lane(new_page: Any, live_url: str, seed: Dataset) -> None:
    page = new_page(live_url)
    total = len(seed.events)
    expected = int((seed.events["actor"] == "Elon Musk").sum())
    choose(page, ids.ACTORS, "Elon Musk")
    wait_for_count(page, expected, total)
    page.wait_for_function(f'document.querySelectorAll("{EVENT_POINTS}").length === {expected}')
    assert lane_labels(page) == ["Elon Musk"]
    assert marker_count(page) == expected


def test_text_filter_narrows_the_events(new_page: Any, live_url: str, seed: Dataset) -> None:
    page = new_page(live_url)
    page.fill(f"#{ids.SEARCH}", "certified")
    page.keyboard.press("Enter")
    expected = seed.events[
        seed.events[["title", "summary", "quote"]].apply(lambda c: c.str.contains("certified", case=False)).any(axis=1)
    ]
    assert 0 < len(expected) < len(seed.events)
    wait_for_count(page, len(expected), len(seed.events))
    assert marker_count(page) == len(expected)


def test_clicking_an_event_shows_its_quote(new_page: Any, live_url: str, seed: Dataset) -> None:
    page = new_page(live_url)
    choose(page, ids.ACTORS, "GUR")
    wait_for_count(page, 1, len(seed.events))
    page.locator(EVENT_POINTS).first.click(force=True)
    quote = seed.events.set_index("id").loc["gur-intercept-claim", "quote"]
    detail = page.locator(f"#{ids.DETAIL}")
    page.locator("#detail-quote").wait_for(timeout=10000)
    assert page.locator("#detail-quote").inner_text() == quote
    text = detail.inner_text()
    assert "on Sunday" in text
    assert "11 February 2024" in text
    assert "day" in text
    source_text = seed.events.set_index("id").loc["gur-intercept-claim", "source_text"]
    assert source_text in text
    assert "RT (English edition), 12 February 2024" in page.locator("#detail-source").inner_text()
    links = page.locator("#detail-source a").evaluate_all("nodes => nodes.map(n => n.href)")
    assert links
    assert all(link.startswith("https://") for link in links)


def test_a_filter_that_matches_nothing_shows_the_message(new_page: Any, live_url: str, seed: Dataset) -> None:
    page = new_page(live_url)
    page.fill(f"#{ids.SEARCH}", "zzz no event says this zzz")
    page.keyboard.press("Enter")
    wait_for_count(page, 0, len(seed.events))
    page.get_by_text("No event matches these filters").wait_for(state="visible", timeout=10000)
    assert not page.locator(f"#{ids.GRAPH_BOX}").is_visible()
    page.click(f"#{ids.RESET}")
    wait_for_count(page, len(seed.events), len(seed.events))
    assert page.locator(f"#{ids.GRAPH_BOX}").is_visible()
    assert not page.get_by_text("No event matches these filters").is_visible()


def test_user_text_renders_as_text(new_page: Any, serve: Any, tmp_path: Any) -> None:
    data = tmp_path / "xss.csv"
    data.write_text(
        "id,start,actor,kind,title,quote,source\n"
        'x1,2024-02-11,<img src=x onerror="window.pwned=1">,claim,<b>bold?</b>,<script>window.pwned=2</script>,'
        '"javascript:window.pwned=3 <a href=javascript:x>y</a>"\n',
        encoding="utf-8",
    )
    page = new_page(serve(data).url)
    page.locator(EVENT_POINTS).first.click(force=True)
    page.locator(f"#{ids.DETAIL}").get_by_text("<script>window.pwned=2</script>").wait_for(timeout=10000)
    assert page.evaluate("window.pwned === undefined")
    assert "<b>bold?</b>" in page.locator(f"#{ids.DETAIL}").inner_text()
    assert page.locator("#detail-source a").count() == 0  # only http(s) URLs become links
    assert "<a href=javascript:x>y</a>" in page.locator("#detail-source").inner_text()


def test_following_a_thread_from_the_detail_panel(new_page: Any, live_url: str, seed: Dataset) -> None:
    page = new_page(live_url)
    choose(page, ids.ACTORS, "CNN")
    wait_for_count(page, 1, len(seed.events))
    page.locator(EVENT_POINTS).first.click(force=True)
    page.locator("#detail-title").wait_for(timeout=10000)
    refusal = seed.events.set_index("id").loc["musk-crimea-refusal"]
    page.get_by_role("button", name=refusal["title"], exact=False).click()
    page.wait_for_function(f"document.getElementById('detail-title').innerText === {refusal['title']!r}", timeout=10000)
    # The refusal is answered by CNN's report, among others: the thread runs both ways.
    assert page.get_by_role("button", name="CNN reports", exact=False).count() == 1
