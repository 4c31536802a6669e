"""No regular file, no read: a named pipe, a device or a folder behind ``--data`` (at start or
swapped in while serving) is refused with a message, and a slow read never blocks the other
requests, which keep the last good data meanwhile."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from timeline.app import state
from timeline.app.state import Library
from timeline.dataset import Dataset
from timeline.io import load_events, read_regular_file
from timeline.schema import ValidationError

HEADER = "id,start,actor,kind,title\n"


def finishes(work: Callable[[], Any], seconds: float = 5.0) -> Any:
    """Run ``work`` in a thread; fail (instead of hanging the suite) if it does not return in time."""
    result: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as error:  # handed back to the test
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s"
    if errors:
        raise errors[0]
    return result[0]


def refusal(path: Path) -> str:
    with pytest.raises(ValidationError) as caught:
        finishes(lambda: load_events(path))
    problems = caught.value.problems
    assert len(problems) == 1
    assert problems[0].file == str(path)
    return problems[0].rule


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "events.csv"
    os.mkfifo(path)
    yield path
    path.unlink(missing_ok=True)


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(fifo: Path) -> None:
    assert refusal(fifo) == "is a named pipe (FIFO), not a regular file"


def test_a_symlink_to_a_device_is_refused_though_it_claims_no_size(tmp_path: Path) -> None:
    link = tmp_path / "events.csv"
    link.symlink_to("/dev/zero")
    assert os.stat(link).st_size == 0
    assert refusal(link) == "is a device, not a regular file"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "events.csv"
    folder.mkdir()
    assert refusal(folder) == "is a folder, not a file"


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text(HEADER + "a,2022,Kyiv,claim,One\n", encoding="utf-8")
    link = tmp_path / "events.csv"
    link.symlink_to(real)
    assert load_events(link).events["title"].tolist() == ["One"]


def test_a_limit_counts_the_bytes_read_not_the_size_claimed(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"x" * 101)
    assert read_regular_file(path, limit=101) == b"x" * 101
    with pytest.raises(ValidationError, match="over 100 bytes"):
        read_regular_file(path, limit=100)


def test_a_metadata_file_that_is_a_pipe_is_refused_too(tmp_path: Path) -> None:
    data = tmp_path / "events.csv"
    data.write_text(HEADER + "a,2022,Kyiv,claim,One\n", encoding="utf-8")
    os.mkfifo(tmp_path / "events.csv.meta.json")
    with pytest.raises(ValidationError, match="named pipe"):
        finishes(lambda: load_events(data))


def test_a_served_file_swapped_for_a_pipe_keeps_the_last_good_data(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "a,2022,Kyiv,claim,One\n", encoding="utf-8")
    library = Library(path, load_events(path))
    path.unlink()
    os.mkfifo(path)
    served = finishes(library.served)
    assert served.dataset.events["title"].tolist() == ["One"]
    assert served.problems is not None
    assert "named pipe" in str(served.problems)


def test_a_slow_reload_does_not_block_other_requests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "a,2022,Kyiv,claim,One\n", encoding="utf-8")
    first = load_events(path)
    library = Library(path, first)
    release, reading = threading.Event(), threading.Event()

    def stuck(*args: Any, **kwargs: Any) -> Dataset:
        reading.set()
        release.wait(30)
        return load_events(*args, **kwargs)

    monkeypatch.setattr(state, "load_events", stuck)
    path.write_text(HEADER + "a,2022,Kyiv,claim,One\nb,2023,Moscow,denial,Two\n", encoding="utf-8")
    os.utime(path, ns=(time.time_ns() + 2_000_000_000,) * 2)
    reloader = threading.Thread(target=library.served, daemon=True)
    reloader.start()
    assert reading.wait(5)
    # Meanwhile every other caller gets the last good data at once, uploads included.
    assert finishes(library.served, 1.0).dataset is first
    assert finishes(lambda: library.resolve(None), 1.0)[0] is first
    release.set()
    reloader.join(5)
    assert sorted(library.served().dataset.events["title"]) == ["One", "Two"]


def test_serve_on_a_pipe_says_so_and_exits(fifo: Path) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "serve", "--data", str(fifo), "--port", "9"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "named pipe (FIFO), not a regular file" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "serving" not in done.stdout
    print(f"serve --data FIFO refused in {time.monotonic() - started:.2f} s: {done.stderr.strip()}")


def test_validate_on_a_device_says_so(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from timeline.cli import main

    link = tmp_path / "events.csv"
    link.symlink_to("/dev/zero")
    result = finishes(lambda: CliRunner().invoke(main, ["validate", str(link)]))
    assert result.exit_code == 1
    assert "is a device, not a regular file" in result.output


def test_running_out_of_memory_on_a_reload_is_a_message_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "a,2022,Kyiv,claim,One\n", encoding="utf-8")
    library = Library(path, load_events(path))
    import timeline.engine

    def exhausted(*_: Any, **__: Any) -> Any:
        raise MemoryError("cannot allocate 8 GiB")

    monkeypatch.setattr(timeline.engine, "make_engine", exhausted)
    path.write_text(HEADER + "a,2022,Kyiv,claim,One\nb,2023,Moscow,denial,Two\n", encoding="utf-8")
    os.utime(path, ns=(time.time_ns() + 2_000_000_000,) * 2)
    served = library.served()
    assert served.dataset.events["title"].tolist() == ["One"]  # the last good data
    assert served.problems is not None
    assert "not enough memory to index 2 events: cannot allocate 8 GiB" in str(served.problems)
    with pytest.raises(ValidationError, match="not enough memory"):
        Library(path, load_events(path))  # at start: `serve` prints it and exits
