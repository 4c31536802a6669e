"""Take the README's screenshots from the real app: ``make screenshot``.

Serves the default data, opens it in headless Chromium, clicks Peskov's remark that Moscow
will stay out of the dispute so the detail panel shows, and saves docs/screenshot.png. On a
laptop-sized window it then clicks Musk's Sunday denial, so that its thread is lit, the rest
dimmed, its details open and its sentence marked in the source text, and saves the whole page
(the chart sized for the window) as docs/screenshot-thread.png. Last it serves a million
generated events (2,000 actors) and saves the first, aggregated view as docs/screenshot-scale.png.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from timeline.app import create_app
from timeline.export import CHROMIUM_ARGS
from timeline.figures import DIMMED
from timeline.generate import write_generated
from timeline.io import DEFAULT_DATA, load_events

OUT = Path(__file__).resolve().parent / "screenshot.png"
OUT_SCALE = Path(__file__).resolve().parent / "screenshot-scale.png"
OUT_THREAD = Path(__file__).resolve().parent / "screenshot-thread.png"
SEED = load_events(DEFAULT_DATA)
"""The served data: the markers carry their events' row positions in it."""
PESKOV_EVENT = "peskov-no-point-involvement"
THREAD_EVENT = "musk-false-news-reports"
"""Musk's Sunday post calling the reports false: it denies the GUR's and Yusov's claims and
Peskov answers it, so its thread crosses three sides."""
MARKER = """position => { const g = document.querySelector('#timeline-graph .js-plotly-plot');
    for (const t of g._fullData) {
        const i = t.meta === 'events' ? Array.from(t.customdata).indexOf(position) : -1;
        if (i < 0) continue;
        const p = Array.from(document.querySelectorAll('.trace.trace' + t.uid + ' .point'))
            .find(n => n.__data__.i === i);
        const r = p.getBoundingClientRect();
        return {x: r.x + r.width / 2, y: r.y + r.height / 2};
    }
    return null; }"""
"""The screen centre of the marker of the event at a row position (markers carry it as customdata)."""
DIMMED_DRAWN = f"""() => Array.from(document.querySelectorAll(
    '#timeline-graph .scatterlayer .trace[class*="traceevents"] .point'))
    .some(p => Math.abs(parseFloat(getComputedStyle(p).opacity) - {DIMMED}) < 0.005)"""
SCROLLBAR_SETTLED = """() => { const panel = document.querySelector('.mantine-AppShell-navbar');
    const box = panel && panel.querySelector('.mantine-ScrollArea-viewport');
    const bar = panel && panel.querySelector('.mantine-ScrollArea-scrollbar[data-orientation=vertical]');
    return !box || !bar || bar.dataset.state === 'hidden' || box.scrollHeight > box.clientHeight; }"""
"""Whether the filter panel's scrollbar shows only when its content overflows (after a resize)."""
DRAWN = """() => { const g = document.querySelector('#timeline-graph .js-plotly-plot');
    return !!(g && g._fullData && g._fullData.length && !document.querySelector('[data-dash-is-loading="true"]')); }"""
ARGS = list(CHROMIUM_ARGS)


def main() -> None:
    server = make_server("127.0.0.1", 0, create_app().server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        page.wait_for_function(DRAWN, timeout=20000)
        page.click("#filter-actors")
        for actor in ("Dmitry Peskov", "Elon Musk", "GUR", "SpaceX"):
            page.get_by_role("option", name=actor, exact=True).click()
        page.keyboard.press("Escape")
        page.wait_for_function("!document.getElementById('event-count').innerText.startsWith('19 ')")
        page.wait_for_function(DRAWN, timeout=10000)
        page.wait_for_timeout(500)
        spot = page.evaluate(MARKER, SEED.position_of(PESKOV_EVENT))
        page.mouse.click(spot["x"], spot["y"])
        page.wait_for_selector("#detail-quote", timeout=10000)
        page.wait_for_function(DIMMED_DRAWN, timeout=10000)
        page.screenshot(path=str(OUT))
        print(f"wrote {OUT}")
        take_thread(browser, f"http://127.0.0.1:{server.server_port}/", OUT_THREAD)
        server.shutdown()
        print(f"wrote {OUT_THREAD}")

        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder) / "a-million-events.parquet"
            write_generated(data, 1_000_000, actors=2_000, seed=1)
            server = make_server("127.0.0.1", 0, create_app(data).server, threaded=True)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            page = browser.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
            page.goto(f"http://127.0.0.1:{server.server_port}/")
            page.wait_for_function(DRAWN, timeout=60000)
            page.wait_for_timeout(1000)
            page.screenshot(path=str(OUT_SCALE))
            server.shutdown()
        browser.close()
    print(f"wrote {OUT_SCALE}")


def take_thread(browser: Any, url: str, out: Path, viewport: tuple[int, int] = (1400, 900)) -> None:
    """Save the whole page with Musk's Sunday denial selected: its thread lit, the rest dimmed."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=1)
    page.goto(url)
    page.wait_for_function(DRAWN, timeout=20000)
    page.wait_for_selector("#provenance .prov-mark", timeout=20000)
    spot = page.evaluate(MARKER, SEED.position_of(THREAD_EVENT))
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_selector("#detail-title", timeout=10000)
    page.wait_for_function(DIMMED_DRAWN, timeout=10000)
    page.wait_for_selector(f'#provenance .prov-mark.current[data-events~="{THREAD_EVENT}"]', timeout=10000)
    page.wait_for_function(DRAWN, timeout=10000)
    page.mouse.move(1, 1)  # no hover label left over the chart
    page.wait_for_function("() => !document.querySelector('#timeline-graph .hoverlayer .hovertext')")
    # The chart is sized for the window; keep that size, then open the window to the whole page so
    # that the fixed filter panel and the sticky details reach its foot instead of being cut off.
    page.evaluate("() => window.removeEventListener('resize', window.__timelineResize)")
    page.set_viewport_size({"width": viewport[0], "height": page.evaluate("document.documentElement.scrollHeight")})
    page.wait_for_function(SCROLLBAR_SETTLED, timeout=10000)
    page.wait_for_timeout(500)  # the resized page lays itself out again
    page.screenshot(path=str(out), full_page=True)
    page.close()


if __name__ == "__main__":
    main()
