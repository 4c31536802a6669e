"""Bad files: each gets a clear message, no traceback and a non-zero exit from
``timeline validate`` (and ``serve`` refuses to start on them, before binding a port)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline import formats
from timeline.app.layout import UPLOAD_LIMIT_BYTES
from timeline.cli import main
from timeline.io import MAX_FILE_BYTES, read_events
from timeline.schema import ValidationError

ROOT = Path(__file__).resolve().parent.parent
GOOD = "id,start,actor,kind,title\na,2022-02-24,Kyiv,statement,Said something\n"
ISSUE_2 = (
    "id,start,actor,kind\n"  # no title column
    "a,2022-02-31,Kyiv,statement\n"  # no 31 February
    "b,2022-03-01,Moscow,rumour\n"  # not a kind
)


def validate(path: Path, *options: str) -> tuple[int, str]:
    """Run ``timeline validate`` in-process; exit code and everything it printed."""
    result = CliRunner().invoke(main, ["validate", str(path), *options])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def assert_refused(tmp_path: Path, name: str, data: bytes | str, *expected: str, options: tuple[str, ...] = ()) -> str:
    code, output = validate(write(tmp_path, name, data), *options)
    assert code == 1, output
    for text in expected:
        assert text in output, f"{text!r} not in:\n{output}"
    return output


def test_a_good_file_passes(tmp_path: Path) -> None:
    code, output = validate(write(tmp_path, "good.csv", GOOD))
    assert code == 0
    assert "OK, 1 event, 1 actor" in output
    converted = tmp_path / "good.json"
    result = CliRunner().invoke(main, ["convert", str(tmp_path / "good.csv"), str(converted)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{converted}: 1 event\n"


def test_an_empty_file(tmp_path: Path) -> None:
    assert_refused(tmp_path, "empty.csv", b"", "the file is empty")
    assert_refused(tmp_path, "blank.csv", b"\xef\xbb\xbf \n\n", "the file is empty")
    assert_refused(tmp_path, "empty.json", b"", "the file is empty")


def test_a_header_only(tmp_path: Path) -> None:
    assert_refused(tmp_path, "header.csv", "id,start,actor,kind,title\n", "no events: the table has no rows")


def test_a_wrong_delimiter(tmp_path: Path) -> None:
    data = GOOD.replace(",", ":")
    assert_refused(tmp_path, "colons.csv", data, "the header has a single column", "--delimiter")
    output = assert_refused(
        tmp_path, "forced.csv", GOOD.replace(",", ";"), "delimited by commas", options=("--delimiter", ",")
    )
    assert output.count("problem") == 1


def test_a_delimiter_option_that_is_not_one_character(tmp_path: Path) -> None:
    assert_refused(tmp_path, "good.csv", GOOD, "--delimiter must be one character", options=("--delimiter", ";;"))


def test_rows_of_the_wrong_width(tmp_path: Path) -> None:
    data = GOOD + "b,2022-02-25,Kyiv,statement,Said, with an unquoted comma\n"
    assert_refused(tmp_path, "wide.csv", data, "line 3 (row 2)", "has 6 cells but the header has 5")


def test_utf8_with_a_bom_loads(tmp_path: Path) -> None:
    code, _ = validate(write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + GOOD.encode()))
    assert code == 0


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_with_a_bom_load(tmp_path: Path, codec: str) -> None:
    path = write(tmp_path, "wide.csv", ("\ufeff" + GOOD.replace("Kyiv", "Київ")).encode(codec))
    code, output = validate(path)
    assert code == 0, output
    assert read_events(path.read_bytes(), "wide.csv").events["actor"].tolist() == ["Київ"]


def test_utf16_without_a_bom_is_explained(tmp_path: Path) -> None:
    assert_refused(tmp_path, "nobom.csv", GOOD.encode("utf-16-le"), "UTF-16 without a byte-order mark", "utf-16-le")


def test_latin1_is_refused_unless_its_encoding_is_given(tmp_path: Path) -> None:
    data = GOOD.replace("Kyiv", "Zürich").encode("latin-1")
    assert_refused(tmp_path, "latin.csv", data, "is not UTF-8: byte 0xfc on line 2", "--encoding latin-1")
    code, output = validate(tmp_path / "latin.csv", "--encoding", "latin-1")
    assert code == 0, output
    assert_refused(tmp_path, "latin.csv", data, "unknown encoding 'klingon'", options=("--encoding", "klingon"))


def test_duplicate_ids(tmp_path: Path) -> None:
    data = GOOD + "a,2022-02-25,Kyiv,statement,Again\n"
    assert_refused(
        tmp_path, "dup.csv", data, "line 2 (row 1), column 'id': is used by more than one row", "line 3 (row 2)"
    )


def test_an_end_before_its_start(tmp_path: Path) -> None:
    data = "id,start,end,actor,kind,title\na,2022-02-24,2022-01,Kyiv,statement,Said\n"
    assert_refused(tmp_path, "end.csv", data, "row 1), column 'end': is before start (value '2022-01')")


def test_an_unknown_kind(tmp_path: Path) -> None:
    assert_refused(
        tmp_path, "kind.csv", GOOD.replace("statement", "gossip"), "column 'kind': must be one of", "'gossip'"
    )


def test_the_size_limit_is_for_uploads_not_for_files_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    code, output = validate(path)
    assert code == 1
    assert "is not a text file" in output, "read and judged by its content, not refused by its size"
    assert "the limit is" not in output
    with pytest.raises(ValidationError, match=f"the limit is {UPLOAD_LIMIT_BYTES:,}"):
        read_events(b"x" * (UPLOAD_LIMIT_BYTES + 1), "upload.csv", max_bytes=UPLOAD_LIMIT_BYTES)


def test_running_out_of_memory_is_a_problem_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "big.csv", GOOD)

    def exhausted(*_: object) -> None:
        raise MemoryError

    monkeypatch.setattr(formats, "read", exhausted)
    output = assert_refused(tmp_path, "big.csv", GOOD)
    assert f"big.csv: not enough memory to load big.csv ({path.stat().st_size:,} bytes): " in output


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("garbage.csv", bytes(range(256)) * 4, "is not a text file"),
        ("garbage.json", b"\x89PNG\r\n\x1a\n" + bytes(range(200)), "is not a text file"),
        ("garbage.xlsx", b"PK\x03\x04" + os.urandom(200), "is not a readable Excel .xlsx file"),
        ("garbage.parquet", b"PAR1" + os.urandom(200) + b"PAR1", "is not a readable Parquet file"),
        ("garbage.csv", "é".encode("latin-1") * 50, "is not UTF-8"),
        ("picture.png", b"\x89PNG", "unknown file type '.png'"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "save it as .xlsx"),
        ("broken.json", b'{"events": [', "is not valid JSON"),
        ("deep.json", b"[" * 100_000, "JSON"),
    ],
)
def test_binary_garbage_and_wrong_files(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    assert_refused(tmp_path, name, data, message)


def test_a_missing_file_and_a_bad_mapping_file(tmp_path: Path) -> None:
    code, output = validate(tmp_path / "nope.csv")
    assert code == 1
    assert "file not found" in output
    write(tmp_path, "good.csv", GOOD)
    bad_mapping = write(tmp_path, "map.json", "{not json")
    assert_refused(tmp_path, "good.csv", GOOD, "unreadable mapping file", options=("--mapping", str(bad_mapping)))
    assert_refused(tmp_path, "good.csv", GOOD, "is not COLUMN=SOURCE", options=("--map", "actor"))


def test_the_issue_2_file_names_all_three_problems(tmp_path: Path) -> None:
    output = assert_refused(tmp_path, "bad.csv", ISSUE_2, "3 problems")
    assert "column 'title': required column is missing" in output
    assert "line 2 (row 1), column 'start': is not a date: day 31 does not exist in February 2022" in output
    assert "line 3 (row 2), column 'kind': must be one of" in output
    assert "'rumour'" in output


# ---------------------------------------------------------------- real processes


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "timeline", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )


def test_validate_in_a_real_process(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.csv", ISSUE_2)
    result = run("validate", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for text in (
        "required column is missing",
        "day 31 does not exist",
        "must be one of",
        "line 2 (row 1)",
        "line 3 (row 2)",
    ):
        assert text in result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_refuses_a_bad_file_before_binding_a_port(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.csv", ISSUE_2)
    port = free_port()
    result = run("serve", "--data", str(bad), "--port", str(port), timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "serving" not in result.stdout
    for text in ("column 'title'", "column 'start'", "column 'kind'", "row 1", "row 2"):
        assert text in result.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))  # still free: nothing was listening
