"""Upload budgets in headless Chromium (issue 12): the xlsx dimension bomb and the 10M-row
Parquet are refused within 15 s with a clear message, the view stays as it was and the
server's memory does not grow past 300 MB; ``timeline serve``'s ``--upload-*`` options
reach the worker processes of waitress and of gunicorn.

The bombs are the ones of ``tests/test_budget.py``, built small in ``tmp_path``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from screen import lane_labels
from test_budget import MAX_GROWTH, MB, csv_rows, dimension_bomb, measured, ten_million_row_parquet, xlsx

from timeline.app import ids
from timeline.dataset import Dataset

pytestmark = pytest.mark.browser

FILE_INPUT = f"#{ids.UPLOAD} input[type=file]"
PROBLEMS = f"#{ids.UPLOAD_ALERT} .problems"


def bombs() -> dict[str, Callable[[], bytes]]:
    wide_rows = [[("A1", "id"), ("B1", "start"), ("XFD1", "z")]] + [[(f"A{n}", f"e{n}")] for n in range(2, 8001)]
    return {
        "dimension.xlsx": lambda: dimension_bomb("A1:XFD8000"),
        "huge-dimension.xlsx": lambda: dimension_bomb("A1:XFD1048576"),
        "wide.xlsx": lambda: xlsx("A1:XFD8000", wide_rows),
        "rows.parquet": ten_million_row_parquet,
    }


EXPECTED = {
    "dimension.xlsx": "dimension.xlsx, column 'start': required column is missing",
    "huge-dimension.xlsx": "huge-dimension.xlsx, column 'start': required column is missing",
    "wide.xlsx": "wide.xlsx: too many cells: the file has at least 3,014,656 cells (184 rows of 16,384 columns); "
    "the limit for uploads is 3,000,000 (TIMELINE_UPLOAD_MAX_CELLS); "
    "serve the file with `timeline serve --data wide.xlsx` instead",
    "rows.parquet": "rows.parquet: too many rows: the file has 10,000,000 rows; the limit for uploads is 100,000 "
    "(TIMELINE_UPLOAD_MAX_ROWS); serve the file with `timeline serve --data rows.parquet` instead",
}


def view_of(page: Any) -> tuple[list[str], str]:
    """What the page shows: its lanes and its count of events."""
    return sorted(lane_labels(page)), page.locator(f"#{ids.COUNT}").inner_text()


def upload_refused(page: Any, path: Path) -> tuple[str, float]:
    """Drop ``path`` on the upload zone; the problems alert's text and how long it took."""
    start = time.perf_counter()
    page.set_input_files(FILE_INPUT, str(path))
    alert = page.locator(PROBLEMS, has_text=f"{path.name} was not loaded")
    alert.wait_for(timeout=15000)
    return alert.inner_text(), time.perf_counter() - start


@pytest.mark.parametrize("name", list(EXPECTED))
def test_a_bomb_is_refused_with_a_message_and_the_view_kept(
    name: str, new_page: Any, live_url: str, seed: Dataset, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(bombs()[name]())
    page = new_page(live_url)
    before = view_of(page)
    assert before[0] == sorted(seed.events["actor"].unique())
    # The live server runs in this process: its RSS, peak included, is this process's.
    with measured(f"browser, {name} ({path.stat().st_size:,} bytes), until the message shows", within=15):
        text, _ = upload_refused(page, path)
    assert f"{name} was not loaded; your current view is unchanged" in text
    assert EXPECTED[name] in text
    assert view_of(page) == before


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(params=[["--workers", "1"], ["--workers", "2"], ["--debug"]], ids=["waitress", "gunicorn", "dev"])
def limited_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, psutil.Process, bool]]:
    """``timeline serve --upload-max-rows 1000`` with one process (waitress), two (gunicorn),
    or Dash's development server (which reloads itself in a child process)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TIMELINE_UPLOAD_MAX", "TIMELINE_AUTH"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline", "serve", *request.param, "--threads", "4", "--port", str(port),
         "--upload-dir", str(tmp_path / "uploads"), "--upload-max-rows", "1000"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        yield url, psutil.Process(process.pid), "--debug" in request.param
    finally:
        process.terminate()
        process.communicate(timeout=30)


DEBUG_ONLY = ("dash-version.plotly.com", "Dependency Cycle Found: upload-pending.data -> upload.contents")
"""What Dash's debug mode alone prints: its version check, which the page's CSP blocks, and
its dev tools' verdict on the upload's two callbacks (each writes the other's input)."""


def test_serve_options_reach_every_server_process(
    limited_server: tuple[str, psutil.Process, bool], new_page: Any, console: Any, tmp_path: Path
) -> None:
    url, server, debug = limited_server
    page = new_page(url)
    before = view_of(page)
    path = tmp_path / "long.csv"
    path.write_bytes(csv_rows(1_500))
    text, took = upload_refused(page, path)
    assert "long.csv: too many rows: the file has 1,500 rows; the limit for uploads is 1,000" in text
    bomb = tmp_path / "rows.parquet"
    bomb.write_bytes(ten_million_row_parquet())
    web = [server, *(c for c in server.children() if "multiprocessing" not in " ".join(c.cmdline()))]
    rss_before = peak = sum(p.memory_info().rss for p in web)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, sum(p.memory_info().rss for p in web))

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        text, took = upload_refused(page, bomb)
    finally:
        done.set()
        sampler.join()
    rss_after = sum(p.memory_info().rss for p in web)
    print(
        f"\n{len(web)} web processes, rows.parquet: message after {took:.2f} s; their RSS "
        f"{rss_before / MB:.0f} MB before, {peak / MB:.0f} MB at the peak, {rss_after / MB:.0f} MB after"
    )
    assert "rows.parquet: too many rows: the file has 10,000,000 rows; the limit for uploads is 1,000" in text
    assert peak - rss_before <= MAX_GROWTH
    assert view_of(page) == before
    if debug:
        console.errors[:] = [e for e in console.errors if not any(known in e for known in DEBUG_ONLY)]
