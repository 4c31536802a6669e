"""Uploading a file in the dashboard, in headless Chromium: validated, then shown, or
refused with its problems listed while the previous view stays; private to the browser
session that made it; refused above the size limit; files on disk never modified."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from screen import EVENT_POINTS, lane_labels, wait_for_lanes

from timeline.app import ids
from timeline.app.layout import UPLOAD_LIMIT_BYTES
from timeline.dataset import Dataset
from timeline.io import DEFAULT_DATA

pytestmark = pytest.mark.browser

FILE_INPUT = f"#{ids.UPLOAD} input[type=file]"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
UPLOADED = "id,start,actor,kind,title\na,2022-02-24,Alpha Agency,statement,One\nb,2022-03,Beta Office,claim,Two\n"
BAD = "id,start,actor,kind\na,2022-02-31,Kyiv,statement\nb,2022-03-01,Moscow,rumour\n"


def upload(page: Any, path: Path) -> Any:
    """Drop a file on the upload zone; return the alert that answers it."""
    page.set_input_files(FILE_INPUT, str(path))
    alert = page.locator(f"#{ids.UPLOAD_ALERT} .mantine-Alert-root")
    alert.wait_for(timeout=15000)
    return alert


def seed_lanes(seed: Dataset) -> list[str]:
    return sorted(seed.events["actor"].unique())


def test_uploading_a_good_file_changes_the_lanes(new_page: Any, live_url: str, seed: Dataset, tmp_path: Path) -> None:
    before = DEFAULT_DATA.read_bytes()
    page = new_page(live_url)
    assert sorted(lane_labels(page)) == seed_lanes(seed)
    path = tmp_path / "mine.csv"
    path.write_text(UPLOADED, encoding="utf-8")
    alert = upload(page, path)
    assert "Showing mine.csv: 2 events" in alert.inner_text()
    wait_for_lanes(page, ["Alpha Agency", "Beta Office"])
    assert page.locator(f"#{ids.COUNT}").inner_text().lower() == "2 of 2 events"
    assert path.read_text(encoding="utf-8") == UPLOADED
    assert DEFAULT_DATA.read_bytes() == before


def test_uploading_a_timelinejs_file_shows_its_groups(new_page: Any, live_url: str) -> None:
    page = new_page(live_url)
    upload(page, FIXTURES / "timelinejs_timeline.json")
    wait_for_lanes(page, ["England", "Norway", "Normandy", "1066: a year of three kings"])
    assert page.locator(f"#{ids.DATASET_TITLE}").inner_text() == "1066: a year of three kings"


def test_uploading_a_bad_file_lists_its_problems_and_keeps_the_view(
    new_page: Any, live_url: str, seed: Dataset, tmp_path: Path
) -> None:
    page = new_page(live_url)
    good = tmp_path / "mine.csv"
    good.write_text(UPLOADED, encoding="utf-8")
    upload(page, good)
    wait_for_lanes(page, ["Alpha Agency", "Beta Office"])
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    page.set_input_files(FILE_INPUT, str(bad))
    alert = page.locator(f"#{ids.UPLOAD_ALERT} .problems")
    alert.wait_for(timeout=15000)
    text = alert.inner_text()
    assert "bad.csv was not loaded; your current view is unchanged" in text
    assert "column 'title': required column is missing" in text
    assert "line 2 (row 1), column 'start': is not a date: day 31 does not exist in February 2022" in text
    assert "line 3 (row 2), column 'kind': must be one of" in text
    assert sorted(lane_labels(page)) == ["Alpha Agency", "Beta Office"]
    assert page.locator(f"#{ids.COUNT}").inner_text().lower() == "2 of 2 events"


def test_an_upload_is_private_to_its_browser_session(
    new_page: Any, live_url: str, seed: Dataset, tmp_path: Path
) -> None:
    first = new_page(live_url)
    path = tmp_path / "mine.csv"
    path.write_text(UPLOADED, encoding="utf-8")
    upload(first, path)
    wait_for_lanes(first, ["Alpha Agency", "Beta Office"])
    second = new_page(live_url)  # another browser context: another session
    assert sorted(lane_labels(second)) == seed_lanes(seed)
    first.reload()  # the session keeps its upload across a reload
    wait_for_lanes(first, ["Alpha Agency", "Beta Office"])


def test_back_to_the_served_data(new_page: Any, live_url: str, seed: Dataset, tmp_path: Path) -> None:
    page = new_page(live_url)
    path = tmp_path / "mine.csv"
    path.write_text(UPLOADED, encoding="utf-8")
    upload(page, path)
    wait_for_lanes(page, ["Alpha Agency", "Beta Office"])
    page.click(f"#{ids.USE_DEFAULT}")
    wait_for_lanes(page, seed_lanes(seed))
    upload(page, path)  # the same file again: the drop zone takes it a second time
    wait_for_lanes(page, ["Alpha Agency", "Beta Office"])


def test_a_file_over_the_limit_gets_the_size_message(
    new_page: Any, live_url: str, seed: Dataset, tmp_path: Path
) -> None:
    page = new_page(live_url)
    path = tmp_path / "huge.json"
    padding = "x" * (UPLOAD_LIMIT_BYTES + 1024)
    path.write_text(json.dumps({"events": [], "padding": padding}), encoding="utf-8")
    alert = upload(page, path)
    text = alert.inner_text()
    assert "File too large" in text
    assert f"files up to {UPLOAD_LIMIT_BYTES // 1_048_576} MB can be uploaded" in text
    assert "Your current view is unchanged" in text
    assert sorted(lane_labels(page)) == seed_lanes(seed)


def test_ambiguous_dates_load_once_the_order_is_chosen(new_page: Any, live_url: str, tmp_path: Path) -> None:
    page = new_page(live_url)
    path = tmp_path / "numeric.csv"
    path.write_text("date,speaker,headline\n03/04/2024,Alpha Agency,One\n05/04/2024,Beta Office,Two\n", "utf-8")
    alert = upload(page, path)
    assert "could be day/month or month/day" in alert.inner_text()
    page.get_by_text("day/month", exact=True).click()
    upload(page, path)
    wait_for_lanes(page, ["Alpha Agency", "Beta Office"])
    page.locator(EVENT_POINTS).first.click(force=True)
    page.locator("#detail-resolved").wait_for(timeout=10000)
    assert page.locator("#detail-resolved").inner_text() in ("3 April 2024", "5 April 2024")
