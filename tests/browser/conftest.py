"""Real-browser fixtures: the app served from a thread, driven by Playwright in the
system's headless Chromium; every test fails if the browser console shows an error."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from screen import EVENT_POINTS
from werkzeug.serving import make_server

from timeline.app import create_app
from timeline.export import CHROMIUM_ARGS
from timeline.io import DEFAULT_DATA

LAUNCH_ARGS = list(CHROMIUM_ARGS)

pytestmark = pytest.mark.browser

MARKERS = EVENT_POINTS
"""What a page of the seed story shows once it is ready."""


class LiveServer:
    """A running app: its URL, and how to stop it."""

    def __init__(self, data: Path) -> None:
        self.app = create_app(data)
        self._server = make_server("127.0.0.1", 0, self.app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture
def serve() -> Iterator[Callable[[Path], LiveServer]]:
    """Start the app on any data file; all are stopped after the test."""
    servers: list[LiveServer] = []

    def start(data: Path = DEFAULT_DATA) -> LiveServer:
        server = LiveServer(data)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def live_url() -> Iterator[str]:
    """The app on the default data, shared by the tests that only read it."""
    server = LiveServer(DEFAULT_DATA)
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Any]:
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS, headless=True)
        yield instance
        instance.close()


class ConsoleLog:
    """Errors the page printed to the console or threw."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Any) -> None:
        page.on(
            "console",
            lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))


@pytest.fixture
def console() -> ConsoleLog:
    """The console errors of every page opened with ``new_page``."""
    return ConsoleLog()


@pytest.fixture
def new_page(browser: Any, console: ConsoleLog, serve: Any) -> Iterator[Callable[..., Any]]:
    """Open pages in fresh browser contexts (separate sessions); the test fails on console errors.

    It asks for ``serve`` so that its pages close before the test's servers stop: a page
    still open would report its last callbacks failing.
    """
    contexts: list[Any] = []

    def open_page(url: str, *, ready: str | None = MARKERS, timeout: float = 15000, **context_options: Any) -> Any:
        context_options.setdefault("viewport", {"width": 1400, "height": 1000})
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        console.watch(page)
        page.goto(url)
        if ready:
            page.wait_for_selector(ready, timeout=timeout)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert console.errors == [], "the browser console showed errors:\n" + "\n".join(console.errors)
