"""Shared fixtures: paths, the seed dataset, and Chromium (skipped on a laptop without it,
a failure in CI, where ``CI=true``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from timeline.dataset import Dataset
from timeline.io import DEFAULT_DATA, load_events

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TESTDATA = SHARED / "testdata"


@pytest.fixture(autouse=True, scope="session")
def _uploads_in_a_scratch_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploads made by tests go to a scratch folder, never the user's cache."""
    os.environ.setdefault("TIMELINE_UPLOAD_DIR", str(tmp_path_factory.mktemp("uploads")))


def in_ci() -> bool:
    """CI sets CI=true: there a missing browser fails the run instead of skipping."""
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def chromium_or_skip() -> str:
    """The Chromium binary, or skip (fail in CI) when there is none."""
    found = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "Chromium is not installed (Debian: apt-get install chromium chromium-driver)"
    if in_ci():
        pytest.fail(message + "; CI=true, so this is a failure, not a skip")
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the Chromium binary."""
    return chromium_or_skip()


@pytest.fixture(scope="session")
def seed() -> Dataset:
    """The default dataset, loaded once."""
    return load_events(DEFAULT_DATA)


@pytest.fixture
def testdata() -> Path:
    """``../shared/testdata``: real files made by others (read, never copied)."""
    if not TESTDATA.exists():
        message = f"{TESTDATA} is missing: CI and developers keep a copy of shared/ beside the repo"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return TESTDATA
