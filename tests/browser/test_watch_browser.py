"""The served data file, watched, in headless Chromium: edit it and a page reload shows the
new data without restarting the server; break it and the page keeps the last good data
and lists the problems."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from screen import wait_for_lanes

from timeline.app import ids
from timeline.dataset import Dataset
from timeline.export import self_contained
from timeline.io import DEFAULT_DATA, write_events

pytestmark = pytest.mark.browser


def rewrite(path: Path, text: str) -> None:
    """Write the file and move its modification time on, as a later edit would."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


def test_edits_to_the_data_file_show_on_reload(
    new_page: Any, serve: Callable[[Path], Any], seed: Dataset, tmp_path: Path
) -> None:
    data = tmp_path / "events.csv"
    shutil.copy(DEFAULT_DATA, data)
    server = serve(data)
    page = new_page(server.url)
    wait_for_lanes(page, list(seed.events["actor"].unique()))

    two_actors = self_contained(seed.events[seed.events["actor"].isin(seed.events["actor"].unique()[:2])])
    rewrite(data, write_events(two_actors, "csv").decode())
    edited = sorted(two_actors["actor"].unique())
    page.reload()
    wait_for_lanes(page, edited)
    assert page.locator(f"#{ids.DATA_ALERT}").inner_text().strip() == ""

    broken = two_actors.iloc[:1].assign(id="broken", start="2022-02-30", kind="gossip")
    rewrite(data, data.read_text(encoding="utf-8") + write_events(broken, "csv").decode().split("\n", 1)[1])
    page.reload()
    alert = page.locator(f"#{ids.DATA_ALERT} .problems")
    alert.wait_for(timeout=15000)
    text = alert.inner_text()
    assert "no longer loads; showing the last good version" in text
    assert "column 'start': is not a date: day 30 does not exist in February 2022" in text
    assert "column 'kind': must be one of" in text
    wait_for_lanes(page, edited)
