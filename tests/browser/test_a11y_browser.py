"""The page audited by axe-core in a real browser: no serious or critical violation, with the
default data and with an event open. axe.min.js comes from the pinned npm package that
`make axe` installs into out/axe/ (never from a CDN)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from screen import EVENT_POINTS

from timeline.app import ids

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "out" / "axe" / "axe.min.js"
ROWS = f"#{ids.EVENT_LIST} .ag-center-cols-container .ag-row[row-id]"
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_script() -> Path:
    """axe.min.js, built by `make axe`; a skip on a laptop without it, a failure in CI."""
    if not AXE.exists():
        message = f"{AXE} is missing: run `make axe` (installs the pinned axe-core npm package)"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(message + "; CI=true, so this is a failure, not a skip")
        pytest.skip(message)
    return AXE


def audit(page: Any, script: Path) -> list[dict[str, Any]]:
    """Every violation axe finds on the whole page, each with its impact, help and nodes."""
    page.add_script_tag(path=str(script))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def described(violations: list[dict[str, Any]]) -> str:
    return json.dumps(
        [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in violations
        ],
        indent=1,
    )


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v.get("impact") in BLOCKING]


def settle(page: Any) -> None:
    page.wait_for_selector(ROWS, timeout=15000)
    page.wait_for_load_state("networkidle")


def test_the_page_has_no_serious_or_critical_violation(
    new_page: Callable[..., Any], live_url: str, axe_script: Path
) -> None:
    page = new_page(live_url)
    settle(page)
    violations = audit(page, axe_script)
    assert blocking(violations) == [], described(blocking(violations))


def test_with_an_event_open_the_page_has_no_serious_or_critical_violation(
    new_page: Callable[..., Any], live_url: str, axe_script: Path
) -> None:
    page = new_page(live_url)
    settle(page)
    page.locator(EVENT_POINTS).first.click(force=True)
    page.locator("#detail-title").wait_for(timeout=10000)
    page.wait_for_selector(f"{ROWS}.ag-row-selected", timeout=10000)
    page.wait_for_load_state("networkidle")
    violations = audit(page, axe_script)
    assert blocking(violations) == [], described(blocking(violations))
