"""What a new user hit on the command line, each fixed: actor names in any case (and the
nearest names when nothing matches), a busy port said before anything claims to serve,
``convert`` to an image pointing to ``export``, no macro workbook under an .xlsm name, and
``convert`` never overwriting its own input."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from timeline.cli import main
from timeline.io import DEFAULT_DATA, load_events


def invoke(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_export_matches_actors_ignoring_case_and_spaces(tmp_path: Path) -> None:
    out = tmp_path / "musk.csv"
    result = invoke("export", out, "--actor", "elon  MUSK")
    assert result.exit_code == 0, result.output
    actors = set(load_events(out).events["actor"])
    assert actors == {"Elon Musk"}


def test_an_actor_that_matches_nothing_gets_the_nearest_names(tmp_path: Path) -> None:
    result = invoke("export", tmp_path / "x.csv", "--actor", "Elon Muks", "--actor", "Nobody At All Here")
    assert result.exit_code == 1
    assert "--actor: no events by 'Elon Muks' in events.csv; did you mean 'Elon Musk'?" in result.output
    assert "--actor: no events by 'Nobody At All Here' in events.csv\n" in result.output
    assert not (tmp_path / "x.csv").exists()


def test_a_target_is_matched_the_same_way(tmp_path: Path) -> None:
    data = tmp_path / "icews.csv"
    data.write_text(
        "id,start,actor,target,kind,title\n"
        "a,2024-01-02,Russia,Ukraine,action,Strike\n"
        "b,2024-01-03,Ukraine,Russia,action,Answer\n",
        encoding="utf-8",
    )
    out = tmp_path / "t.csv"
    result = invoke("export", out, "--data", data, "--target", "UKRAINE")
    assert result.exit_code == 0, result.output
    assert load_events(out).events["id"].tolist() == ["a"]
    result = invoke("export", out, "--data", data, "--target", "Ukrane")
    assert "--target: no events acted upon 'Ukrane' in icews.csv; did you mean 'Ukraine'?" in result.output


def test_convert_to_an_image_points_to_export(tmp_path: Path) -> None:
    result = invoke("convert", DEFAULT_DATA, tmp_path / "x.png")
    assert result.exit_code == 1
    assert f"x.png is an image: `timeline export {tmp_path / 'x.png'} --data {DEFAULT_DATA}` draws the chart" in (
        result.output
    )


@pytest.mark.parametrize("command", ["export", "convert"])
def test_no_macro_workbook_is_written_under_an_xlsm_name(tmp_path: Path, command: str) -> None:
    out = tmp_path / "a.xlsm"
    args = ("export", out) if command == "export" else ("convert", DEFAULT_DATA, out)
    result = invoke(*args)
    assert result.exit_code == 1
    assert "an .xlsm workbook is one with macros, and timeline writes none; name it .xlsx" in result.output
    assert not out.exists()


def test_convert_never_rewrites_its_own_input(tmp_path: Path) -> None:
    same = tmp_path / "same.csv"
    same.write_bytes(DEFAULT_DATA.read_bytes())
    before = same.read_bytes()
    for target in (same, tmp_path / "." / "same.csv"):
        result = invoke("convert", same, target)
        assert result.exit_code == 1
        assert "is the file being converted; write to another name (nothing was changed)" in result.output
    link = tmp_path / "link.csv"
    link.symlink_to(same)
    assert invoke("convert", same, link).exit_code == 1
    assert same.read_bytes() == before


def test_serve_on_a_busy_port_says_so_before_claiming_to_serve() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for workers in ("1", "2"):
            done = subprocess.run(
                [sys.executable, "-m", "timeline", "serve", "--port", str(port), "--workers", workers],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert done.returncode == 1, (workers, done.stdout, done.stderr)
            assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in done.stderr
            assert "serving" not in done.stdout
            assert "Traceback" not in done.stderr
