"""The wheel ships data/, seeds/ and assets/ where timeline.resources looks for them.

Reads pyproject.toml's ``[tool.setuptools.data-files]`` and expands its patterns the way
setuptools does (globs relative to the project root; each key a folder the matched files
land in, flat), so a file added to those folders can't be forgotten. No wheel is built.
"""

from __future__ import annotations

import glob
import shutil
import subprocess
import tomllib
from pathlib import Path, PurePosixPath

import pytest

from timeline.resources import SHARE, SOURCE_ROOT, resource_root

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("data", "seeds", "assets")


def shipped() -> dict[str, str]:
    """Installed path (relative to the prefix) → source path, per the data-files table."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    table: dict[str, list[str]] = config["tool"]["setuptools"]["data-files"]
    out: dict[str, str] = {}
    for dest, patterns in table.items():
        for pattern in patterns:
            if any(char in pattern for char in "*?[]{}"):
                matches = sorted(glob.glob(pattern, root_dir=ROOT, recursive=True))
            else:
                matches = [pattern]
            for match in matches:
                source = PurePosixPath(Path(match).as_posix())
                assert (ROOT / source).is_file(), (
                    f"data-files {dest!r}: {source} is not a file (give a subfolder its own key)"
                )
                out[f"{dest}/{source.name}"] = source.as_posix()
    return out


def tracked() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--", *FOLDERS], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout
    return [name for name in listing.split("\0") if name]


def test_every_tracked_resource_is_shipped_where_resources_looks() -> None:
    files = tracked()
    assert "data/events.csv" in files
    assert "assets/style.css" in files
    ships = shipped()
    missing = [name for name in files if ships.get(f"{SHARE}/{name}") != name]
    assert not missing, f"not shipped under {SHARE}/ by [tool.setuptools.data-files]: {missing}"


def test_every_shipped_file_lands_at_its_repository_path() -> None:
    for dest, source in shipped().items():
        assert dest == f"{SHARE}/{source}", (dest, source)
        assert source.split("/")[0] in FOLDERS, source


def test_a_checkout_uses_its_own_folders() -> None:
    assert SOURCE_ROOT == ROOT
    assert resource_root() == ROOT
