"""The export size fields accept only what they can use, as you type (issue 12): '-' and '.'
cannot be typed in the width and height, a minus not in the scale; a number out of range is
brought into it on leaving the field; no request answers 500 and the console shows no error."""

from __future__ import annotations

from typing import Any

from timeline.app import ids
from timeline.export import MIN_SIDE


def test_the_export_fields_take_only_what_they_can_use_as_you_type(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if "_dash-update" in r.url else None)
    page.wait_for_selector(f"#{ids.EXPORT_WIDTH}", timeout=15000)
    shown = {}
    for field, typed in ((ids.EXPORT_WIDTH, "-12.5"), (ids.EXPORT_HEIGHT, "12."), (ids.EXPORT_SCALE, "-2.5")):
        box = page.locator(f"#{field}")
        box.scroll_into_view_if_needed()
        box.fill("")
        box.press_sequentially(typed, delay=30)
        shown[field] = box.input_value()
        page.locator("h1").first.click()  # leave the field
        page.wait_for_timeout(300)
        shown[field + " left"] = box.input_value()
    assert shown[ids.EXPORT_WIDTH] == "125"
    assert shown[ids.EXPORT_HEIGHT] == "12"
    assert shown[ids.EXPORT_SCALE] == "2.5"
    assert shown[ids.EXPORT_WIDTH + " left"] == shown[ids.EXPORT_HEIGHT + " left"] == str(MIN_SIDE)
    assert 500 not in statuses
