"""Take the README's screenshots from the real app: ``make screenshot``.

Serves the default data, opens it in headless Chromium, clicks Peskov's first remark so
the detail panel shows, and saves docs/screenshot.png. Then serves a million generated
events (2,000 actors) and saves the first, aggregated view as docs/screenshot-scale.png.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from timeline.app import create_app
from timeline.generate import write_generated

OUT = Path(__file__).resolve().parent / "screenshot.png"
OUT_SCALE = Path(__file__).resolve().parent / "screenshot-scale.png"
DRAWN = """() => { const g = document.querySelector('#timeline-graph .js-plotly-plot');
    return !!(g && g._fullData && g._fullData.length && !document.querySelector('[data-dash-is-loading="true"]')); }"""
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def main() -> None:
    server = make_server("127.0.0.1", 0, create_app().server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        page.wait_for_selector(".scatterlayer .point", timeout=20000)
        page.click("#filter-actors")
        for actor in ("Dmitry Peskov", "Elon Musk", "GUR", "SpaceX"):
            page.get_by_role("option", name=actor, exact=True).click()
        page.keyboard.press("Escape")
        page.wait_for_function("!document.getElementById('event-count').innerText.startsWith('19 ')")
        page.wait_for_timeout(500)
        page.locator(".scatterlayer .trace .points .point").last.click(force=True)
        page.wait_for_selector("#detail-quote", timeout=10000)
        page.screenshot(path=str(OUT))
        server.shutdown()
        print(f"wrote {OUT}")

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


if __name__ == "__main__":
    main()
