"""Hostile event text stays inert in a real browser, and the app as ``timeline serve``
serves it (security headers, a hashed Content-Security-Policy) runs with no CSP violation."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from screen import EVENT_POINTS, choose
from werkzeug.serving import make_server

from timeline.app import ids
from timeline.dataset import Dataset
from timeline.io import DEFAULT_DATA
from timeline.serving import build

pytestmark = pytest.mark.browser

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[read more](javascript:alert(1))"
ANCHOR = '<a href="javascript:alert(1)">source</a>'
BOLD = "<b onmouseover=alert(1)>**bold**</b>"
PAYLOADS = {
    "title": SCRIPT,
    "summary": IMG + " " + LINK,
    "quote": ANCHOR + " __under__",
    "actor": BOLD,
    "source_text": IMG,
}
VIOLATIONS_JS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
"""


class SecuredServer:
    """The app exactly as ``timeline serve`` builds it, from a thread."""

    def __init__(self, data: Path, upload_dir: Path) -> None:
        self.app = build(data, upload_dir=upload_dir)
        self._server = make_server("127.0.0.1", 0, self.app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture
def secured(tmp_path: Path) -> Iterator[Any]:
    servers: list[SecuredServer] = []

    def start(data: Path = DEFAULT_DATA) -> SecuredServer:
        server = SecuredServer(data, tmp_path / "uploads")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def hostile_data(tmp_path: Path) -> Path:
    """The seed story with script, image, link and Markdown payloads in its text fields:
    each event's text starts with them, and its source gains a ``javascript:`` link."""
    table = pd.read_csv(DEFAULT_DATA, dtype=str, keep_default_na=False)
    for column, payload in PAYLOADS.items():
        table[column] = payload + " " + table[column]
    table["source"] = table["source"] + " " + ANCHOR + " javascript:alert(1)"
    path = tmp_path / "hostile.csv"
    table.to_csv(path, index=False)
    return path


def watch_dialogs(page: Any) -> list[str]:
    opened: list[str] = []

    def refuse(dialog: Any) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    return opened


def no_live_payloads(page: Any) -> None:
    """Nothing the payloads carry became an element: no script, image or javascript: link."""
    found = page.evaluate(
        """() => ({
            scripts: Array.from(document.scripts).filter(s => s.textContent.includes('alert(1)')).length,
            images: document.querySelectorAll('img[src="x"], img[onerror]').length,
            links: document.querySelectorAll('a[href^="javascript:" i]').length,
            handlers: document.querySelectorAll('[onmouseover], [onerror], [onload]').length,
        })"""
    )
    assert found == {"scripts": 0, "images": 0, "links": 0, "handlers": 0}


def test_hostile_text_is_shown_as_text_everywhere(new_page: Any, secured: Any, tmp_path: Path) -> None:
    server = secured(hostile_data(tmp_path))
    page = new_page(server.url, ready=None)
    dialogs = watch_dialogs(page)
    page.wait_for_selector(EVENT_POINTS, timeout=15000)
    point = page.locator(EVENT_POINTS).first
    point.hover(force=True)
    page.wait_for_function("() => document.querySelector('.hoverlayer .hovertext') !== null", timeout=5000)
    hover = page.locator(".hoverlayer .hovertext").first.text_content() or ""
    assert SCRIPT in hover or "<b onmouseover" in hover, hover  # the hover shows the tags as text
    point.click(force=True)
    detail = page.locator(f"#{ids.DETAIL}")
    page.wait_for_function(
        f"() => document.getElementById('{ids.DETAIL}').innerText.includes('alert(1)</script>')", timeout=10000
    )
    shown = detail.inner_text()
    for payload in (SCRIPT, IMG, LINK, "<a href=", "__under__"):
        assert payload in shown, payload
    panel = page.locator(f"#{ids.PROVENANCE}")
    panel.wait_for(timeout=10000)
    page.get_by_text("Not found in the text").wait_for(timeout=10000)
    assert SCRIPT in panel.inner_text()  # the passages are not in the article: their titles listed, literally
    rows = f"#{ids.EVENT_LIST} .ag-center-cols-container .ag-row[row-id]"
    page.wait_for_selector(rows, timeout=10000)
    listed = page.locator(f"#{ids.EVENT_LIST} .ag-center-cols-container").inner_text()
    assert SCRIPT in listed  # the list of events shows the titles' tags as text too
    page.mouse.move(1, 1)
    no_live_payloads(page)
    assert dialogs == []


def test_the_served_app_passes_its_own_content_security_policy(
    new_page: Any, secured: Any, seed: Dataset, console: Any
) -> None:
    server = secured()
    messages: list[str] = []
    page = new_page(server.url, ready=None, accept_downloads=True)
    page.add_init_script(VIOLATIONS_JS)
    page.on("console", lambda m: messages.append(m.text))
    page.reload()
    page.wait_for_selector(EVENT_POINTS, timeout=15000)
    assert "script-src 'self' 'sha256-" in server_policy(page, server.url)
    choose(page, ids.ACTORS, "Elon Musk")
    shown = f"{sum(seed.events['actor'] == 'Elon Musk')} of {len(seed.events)} events"
    # A function, not an expression: Playwright evaluates a bare expression with eval(), which the policy forbids.
    page.wait_for_function(
        "([id, text]) => document.getElementById(id).innerText.toLowerCase() === text", arg=[ids.COUNT, shown]
    )
    page.locator(EVENT_POINTS).first.click(force=True)
    page.wait_for_function(f"() => document.getElementById('{ids.DETAIL}').innerText.length > 20", timeout=10000)
    page.wait_for_load_state("networkidle")
    page.evaluate(
        "() => Plotly.relayout(document.querySelector('#timeline-graph .js-plotly-plot'),"
        " {'xaxis.range[0]': '2022-06-01', 'xaxis.range[1]': '2023-06-01'})"
    )
    page.wait_for_load_state("networkidle")
    with page.expect_download(timeout=30000) as event:
        page.click(f"#{ids.EXPORT_CSV}")
    assert event.value.suggested_filename.endswith(".csv")
    page.wait_for_timeout(300)
    violations = page.evaluate("() => window.__cspViolations")
    csp_messages = [m for m in messages if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert violations == [], violations
    assert csp_messages == [], csp_messages


def server_policy(page: Any, url: str) -> str:
    answer = page.request.get(url)
    policy: str = answer.headers["content-security-policy"]
    return policy


def test_a_replayed_upload_token_shows_another_browser_nothing(
    new_page: Any, secured: Any, seed: Dataset, tmp_path: Path
) -> None:
    from screen import lane_labels, wait_for_lanes
    from test_upload import UPLOADED, upload

    server = secured()
    first = new_page(server.url)
    path = tmp_path / "mine.csv"
    path.write_text(UPLOADED, encoding="utf-8")
    upload(first, path)
    wait_for_lanes(first, ["Alpha Agency", "Beta Office"])
    stored = first.evaluate(
        "() => Object.entries(sessionStorage).filter(([k, v]) => v.includes('token')).map(([k, v]) => [k, v])"
    )
    assert stored, "the session holds no upload token"
    second = new_page(server.url)  # another browser: another session cookie
    second.evaluate("entries => entries.forEach(([k, v]) => sessionStorage.setItem(k, v))", stored)
    second.reload()
    second.wait_for_selector(EVENT_POINTS, timeout=15000)
    second.get_by_text("Upload the file again").wait_for(timeout=10000)
    assert sorted(lane_labels(second)) == sorted(seed.events["actor"].unique())
    first.reload()  # its own session still sees it
    wait_for_lanes(first, ["Alpha Agency", "Beta Office"])
