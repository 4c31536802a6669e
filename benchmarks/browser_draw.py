"""The browser's first draw of a Dash app's chart, in headless Chromium driven by Playwright.

The benchmark starts Chromium itself and connects Playwright to it over CDP, so that a page
which keeps the renderer busy for minutes (a huge SVG chart) can be cut off at a deadline: the
watchdog stops that one Chromium process, and Playwright's pending call fails at once.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from dash_driver import UPDATE_URL

from timeline.export import CHROMIUM_ARGS

LAUNCH_ARGS = list(CHROMIUM_ARGS)
# Drawn: Plotly has traces and marks on the page (SVG trace groups, or a WebGL canvas) and
# Dash has no callback in flight. plotly.js 3 puts SVG traces in `.overplot`, 2 in `.plot`.
DRAWN = """() => {
    const plot = document.querySelector('#timeline-graph .js-plotly-plot');
    if (!plot || !plot._fullData || plot._fullData.length === 0) return false;
    const layer = plot.querySelector('.cartesianlayer .plot') || plot.querySelector('.overplot');
    const svgMarks = layer !== null && layer.querySelector('.trace, .hm image') !== null;  // markers, bars or density
    const gl = plot._fullData.some(t => String(t.type).endsWith('gl'))
        && [...plot.querySelectorAll('.gl-container canvas')].some(c => c.width > 0);
    if (!svgMarks && !gl) return false;
    return document.querySelector('[data-dash-is-loading="true"]') === null;
}"""
READABILITY = """() => {
    const plot = document.querySelector('#timeline-graph .js-plotly-plot');
    const box = plot.querySelector('.main-svg').getBoundingClientRect();  // the plot div may be 0 high
    const axes = [...plot.querySelectorAll('.xaxislayer-above')].map(a => a.getBoundingClientRect())
        .filter(r => r.width > 0).map(r => ({top: r.top, bottom: r.bottom}));
    const inView = axes.some(r => r.top >= 0 && r.bottom <= window.innerHeight);
    return {height: box.height, axes: axes, axisInView: inView, viewportHeight: window.innerHeight};
}"""
WINDOW = {"width": 1400, "height": 900}


def chromium_path() -> str | None:
    """The Chromium binary: ``BROWSER_PATH``, or the one on the PATH (Debian's /usr/bin/chromium)."""
    found = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


class Chromium:
    """A headless Chromium of our own, listening for CDP on a free port."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="scale-bench-chromium-")
        self.process = subprocess.Popen(
            [executable, "--headless", "--remote-debugging-port=0", f"--user-data-dir={self.profile}", *LAUNCH_ARGS],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # D-Bus complaints: noise
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("Chromium did not start")
            time.sleep(0.05)
        self.endpoint = f"http://127.0.0.1:{port_file.read_text().split()[0]}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def _one_load(browser: Any, url: str, errors: list[str], timeout_s: float) -> tuple[float, dict[str, Any]]:
    """Seconds from ``goto`` to a drawn chart, and what the reader sees then."""
    context = browser.new_context(viewport=WINDOW)
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        failed: list[str] = []

        def on_response(response: Any) -> None:
            if response.status >= 400 and UPDATE_URL in response.url:
                failed.append(f"HTTP {response.status} from {UPDATE_URL}")

        page.on("response", on_response)
        started = time.perf_counter()
        page.goto(url, timeout=timeout_s * 1000)
        while not page.evaluate(DRAWN):
            if failed:
                raise RuntimeError(f"a callback failed ({failed[0]}); the chart is not drawn")
            page.wait_for_timeout(50)
        took = time.perf_counter() - started
        return took, page.evaluate(READABILITY)
    finally:
        context.close()


def first_draw(app: Any, loads: int = 3, timeout_s: float = 60) -> dict[str, Any]:
    """Median seconds from ``page.goto`` to the chart drawn, over page loads in fresh contexts.

    A load that is not drawn within ``timeout_s`` ends the measurement (Chromium is stopped);
    so does a slow one (over a third of it), to keep the run bounded.
    """
    executable = chromium_path()
    if executable is None:
        return {"skipped": "Chromium not found (make chromium)"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright is not installed (make test-deps)"}
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/"
    times: list[float] = []
    errors: list[str] = []
    result: dict[str, Any] = {}
    chromium = Chromium(executable)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.connect_over_cdp(chromium.endpoint)
            for _ in range(loads):
                watchdog = threading.Timer(timeout_s, chromium.process.kill)
                watchdog.start()
                try:
                    took, seen = _one_load(browser, url, errors, timeout_s)
                except Exception as error:  # a timeout, a failed callback, Chromium stopped: a result
                    timed_out = chromium.process.poll() is not None
                    result["timed_out"] = timed_out
                    result["error"] = (
                        f"not drawn within {timeout_s:.0f} s" if timed_out else str(error).splitlines()[0][:200]
                    )
                    break
                finally:
                    watchdog.cancel()
                times.append(took)
                result.update(seen)
                if took > timeout_s / 3:
                    break
            if chromium.process.poll() is None:
                browser.close()
    finally:
        chromium.stop()
        server.shutdown()
        thread.join(timeout=5)
    result.update(
        timeout_s=timeout_s,
        loads=len(times),
        first_draw_s=statistics.median(times) if times else None,
        times_s=times,
        console_errors=len(errors),
        console_messages=errors[:5],
    )
    return result
