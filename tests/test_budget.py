"""Upload budgets (issue 12): small files that claim huge tables are refused fast, from
what they declare or as they are streamed, with a message that names the limit; reading
runs in a worker killed when it overruns its time or memory; the test process (the web
process, for an upload) never grows by more than 300 MB.

Each refusal prints its numbers (``pytest -s``): time to refuse, and this process's RSS
before, at its peak during the call, and after.
"""

from __future__ import annotations

import io
import json
import os
import signal
import string
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from timeline import formats
from timeline.budget import ENVIRONMENT, UploadLimits, read_upload, run_limited
from timeline.cli import main
from timeline.dataset import Dataset, ReadOptions
from timeline.io import load_events
from timeline.schema import ValidationError

MB = 1024 * 1024
UPLOAD_BYTES = 5 * MB
MAX_GROWTH = 300 * MB
HEADER = ["id", "start", "actor", "kind", "title"]
SERVE_HINT = "serve the file with `timeline serve --data"


# --- measuring --------------------------------------------------------------------------


class Measure:
    """This process's RSS before, at its peak during, and after a block; and its duration."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.before = self.peak = self.after = self.process.memory_info().rss
        self.seconds = 0.0
        self._running = True
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while self._running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.01)

    def report(self, label: str, outcome: str) -> str:
        return (
            f"{label}: {self.seconds:.2f} s; RSS before {self.before / MB:.0f} MB, peak {self.peak / MB:.0f} MB, "
            f"after {self.after / MB:.0f} MB (growth {(self.peak - self.before) / MB:+.0f} MB); {outcome}"
        )


@contextmanager
def measured(label: str, within: float) -> Iterator[Measure]:
    """Time a block and watch this process's memory; print the numbers; fail when the block
    took ``within`` seconds or more, or grew RSS by more than :data:`MAX_GROWTH`."""
    measure = Measure()
    measure._sampler.start()
    start = time.perf_counter()
    outcome = "?"
    try:
        yield measure
        outcome = "done"
    except ValidationError as error:
        outcome = str(error.problems[0]) if error.problems else str(error)
        raise
    finally:
        measure.seconds = time.perf_counter() - start
        measure._running = False
        measure._sampler.join()
        measure.after = measure.process.memory_info().rss
        measure.peak = max(measure.peak, measure.after)
        print("\n" + measure.report(label, outcome))
    assert measure.seconds < within, measure.report(label, outcome)
    assert measure.peak - measure.before <= MAX_GROWTH, measure.report(label, outcome)


def refused(
    data: bytes,
    name: str,
    limits: UploadLimits | None = None,
    *,
    within: float = 5.0,
    label: str = "",
    options: ReadOptions | None = None,
) -> str:
    """Upload ``data`` as the dashboard does; the problems it is refused with, one a line, measured."""
    assert len(data) <= UPLOAD_BYTES, "a bomb must fit under the upload limit to reach the server"
    with pytest.raises(ValidationError) as caught, measured(label or name, within):
        read_upload(data, name, options or ReadOptions(), UPLOAD_BYTES, limits)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "Traceback" not in text
    return text


# --- bombs, built small -----------------------------------------------------------------


def xlsx(dimension: str, rows: list[list[tuple[str, str]]]) -> bytes:
    """A minimal workbook whose one sheet declares ``dimension`` and holds ``rows`` of
    (cell reference, text) as inline strings; a row's number is its first cell's."""
    cells = "".join(
        f'<row r="{row[0][0].lstrip(string.ascii_uppercase)}">'
        + "".join(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>' for ref, text in row)
        + "</row>"
        for row in rows
    )
    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{package}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{rel_ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main_ns}" xmlns:r="{rel_ns}">'
            '<sheets><sheet name="events" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{rel_ns}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main_ns}">'
            f'<dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in parts.items():
            archive.writestr(part, text)
    return buffer.getvalue()


def row(number: int, *texts: str) -> list[tuple[str, str]]:
    return [(f"{'ABCDEFGHIJ'[i]}{number}", text) for i, text in enumerate(texts)]


def dimension_bomb(dimension: str) -> bytes:
    """The reported bomb: a sheet that claims ``dimension`` and holds two cells, in its first
    row and its last. Trusting the claim, openpyxl pads every row between to 16,384 cells
    (8,000 rows: 10 s and +1 GB; 1,048,576 rows: 35 s, 4.7 GB, then a MemoryError)."""
    last = dimension.rsplit(":", 1)[1].lstrip(string.ascii_uppercase)
    return xlsx(dimension, [[("A1", "x")], [(f"A{last}", "y")]])


def events_sheet(dimension: str) -> bytes:
    """Two good events in a sheet that claims to be ``dimension``."""
    return xlsx(
        dimension,
        [
            row(1, *HEADER),
            row(2, "a", "2022-02-24", "Kyiv", "statement", "One"),
            row(3, "b", "2022-03-01", "Kyiv", "claim", "Two"),
        ],
    )


def ten_million_row_parquet() -> bytes:
    """10M rows in one row group, every column dictionary-encoded with one value (about 130 KB)."""
    count = 10_000_000
    zeros = pa.array(np.zeros(count, dtype=np.int8))
    values = ["x", "2022-02-24", "Kyiv", "statement", "One"]
    table = pa.table(
        {c: pa.DictionaryArray.from_arrays(zeros, pa.array([v])) for c, v in zip(HEADER, values, strict=True)}
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer, row_group_size=count)
    return buffer.getvalue()


def csv_rows(count: int, kind: str = "statement") -> bytes:
    """A CSV of ``count`` events, short enough that 200,000 fit under the upload limit;
    every row is invalid when ``kind`` is not one of the schema's."""
    lines = [",".join(HEADER)] + [f"{i:x},2022-02,A{i % 9},{kind},T" for i in range(count)]
    return ("\n".join(lines) + "\n").encode()


# --- xlsx: the declared size is never trusted --------------------------------------------


@pytest.mark.parametrize("dimension", ["A1:XFD8000", "A1:XFD1048576"])
def test_an_xlsx_declaring_a_huge_sheet_is_read_as_the_cells_it_holds(dimension: str) -> None:
    bomb = dimension_bomb(dimension)
    print(f"\n{dimension} bomb: {len(bomb):,} bytes")
    message = refused(bomb, "bomb.xlsx", label=f"xlsx declaring {dimension}")
    assert message.splitlines() == [
        f"bomb.xlsx, column '{c}': required column is missing" for c in ("start", "actor", "title")
    ]
    # The reader itself streams: read in this process, the bomb costs no memory either.
    in_process = measured(f"xlsx declaring {dimension}, read in this process", within=5.0)
    with in_process, pytest.raises(ValidationError, match="required column is missing"):
        formats.read(bomb, "bomb.xlsx", "xlsx", ReadOptions(), UploadLimits())
    # The same claim over a real table: its two events load, as fast, in this process too.
    data = events_sheet(dimension)
    with measured(f"xlsx declaring {dimension}, two events, read in this process", within=5.0):
        dataset = formats.read(data, "two.xlsx", "xlsx", ReadOptions(), UploadLimits())
    assert dataset.events["id"].tolist() == ["a", "b"]
    with measured(f"xlsx declaring {dimension}, two events, uploaded", within=5.0):
        assert len(read_upload(data, "two.xlsx", ReadOptions(), UPLOAD_BYTES).events) == 2


def test_an_xlsx_whose_header_reaches_the_last_column_stops_at_the_cell_cap() -> None:
    rows = [[*row(1, *HEADER), ("XFD1", "z")]] + [
        row(n, f"e{n}", "2022-02-24", "Kyiv", "statement", "T") for n in range(2, 8001)
    ]
    bomb = xlsx("A1:XFD8000", rows)
    print(f"\nwide xlsx bomb: {len(bomb):,} bytes")
    message = refused(bomb, "wide.xlsx", label="xlsx with a header to column XFD, 8,000 rows")
    assert message == (
        "wide.xlsx: too many cells: the file has at least 3,014,656 cells (184 rows of 16,384 columns); "
        "the limit for uploads is 3,000,000 (TIMELINE_UPLOAD_MAX_CELLS); "
        "serve the file with `timeline serve --data wide.xlsx` instead"
    )


def test_an_xlsx_over_the_row_cap_stops_there() -> None:
    rows = [row(1, *HEADER)] + [row(n, f"e{n}", "2022-02-24", "Kyiv", "statement", "T") for n in range(2, 1203)]
    message = refused(xlsx("A1:E1202", rows), "long.xlsx", UploadLimits(rows=1_000))
    assert "too many rows: the file has at least 1,001 rows; the limit for uploads is 1,000" in message


# --- Parquet: refused from its metadata ---------------------------------------------------


def test_a_parquet_file_of_ten_million_rows_is_refused_from_its_metadata() -> None:
    bomb = ten_million_row_parquet()
    print(f"\n10M-row parquet: {len(bomb):,} bytes")
    assert pq.ParquetFile(io.BytesIO(bomb)).metadata.num_row_groups == 1
    message = refused(bomb, "rows.parquet", label="parquet of 10M rows in one row group")
    assert message == (
        "rows.parquet: too many rows: the file has 10,000,000 rows; the limit for uploads is 100,000 "
        "(TIMELINE_UPLOAD_MAX_ROWS); serve the file with `timeline serve --data rows.parquet` instead"
    )
    in_process = measured("parquet of 10M rows, checked in this process", within=1.0)
    with in_process, pytest.raises(ValidationError, match="too many rows"):
        formats.read(bomb, "rows.parquet", "parquet", ReadOptions(), UploadLimits())


def test_a_parquet_file_is_refused_for_its_cells_and_its_unpacked_size() -> None:
    table = pa.table({f"c{i}": pa.array(["x"] * 1_000) for i in range(40)})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    message = refused(buffer.getvalue(), "wide.parquet", UploadLimits(cells=30_000))
    assert "too many cells: the file has 40,000 cells (1,000 rows of 40 columns)" in message
    big = pa.table({"id": pa.array([f"{i:0200d}" for i in range(60_000)])})  # 12 MB of text, compressed away
    buffer = io.BytesIO()
    pq.write_table(big, buffer, compression="zstd", use_dictionary=False)
    message = refused(buffer.getvalue(), "text.parquet", UploadLimits(memory_mb=5))
    assert "needed more than 5 MB of memory to read (its columns take" in message


# --- CSV and JSON: counted, and stopped at the cap ---------------------------------------


def test_a_csv_of_200k_invalid_rows_is_refused_before_a_cell_is_checked() -> None:
    bomb = csv_rows(200_000, kind="said")
    print(f"\n200k-row CSV: {len(bomb):,} bytes")
    message = refused(bomb, "invalid.csv", label="CSV of 200k invalid rows")
    assert message == (
        "invalid.csv: too many rows: the file has 200,000 rows; the limit for uploads is 100,000 "
        "(TIMELINE_UPLOAD_MAX_ROWS); serve the file with `timeline serve --data invalid.csv` instead"
    )


def test_a_csv_the_careful_reader_takes_stops_at_the_cap() -> None:
    text = csv_rows(2_000).decode().replace("statement", 'state"ment')  # a stray quote: the csv module reads it
    message = refused(text.encode(), "quoted.csv", UploadLimits(rows=1_000))
    assert "too many rows: the file has at least 1,001 rows; the limit for uploads is 1,000" in message
    latin = refused(csv_rows(2_000), "latin.csv", UploadLimits(rows=1_000), options=ReadOptions(encoding="latin-1"))
    assert "too many rows: the file has 2,000 rows; the limit for uploads is 1,000" in latin


def test_json_with_too_many_items_is_refused_while_they_are_counted() -> None:
    items = [{"id": i} for i in range(120_000)]
    listed = json.dumps(items, separators=(",", ":")).encode()
    print(f"\n120k-item JSON: {len(listed):,} bytes")
    message = refused(listed, "items.json", label="JSON list of 120k items")
    assert message == (
        "items.json: too many rows: the file has at least 100,001 rows; the limit for uploads is 100,000 "
        "(TIMELINE_UPLOAD_MAX_ROWS); serve the file with `timeline serve --data items.json` instead"
    )
    wrapped = json.dumps({"title": "t", "events": items[:2_000]}).encode()
    assert "at least 1,001 rows" in refused(wrapped, "wrapped.json", UploadLimits(rows=1_000))


def test_json_whose_items_each_bring_a_new_column_is_refused_for_its_cells() -> None:
    bomb = ("[" + ",".join(f'{{"k{i}":1}}' for i in range(80_000)) + "]").encode()  # 80k x 80k cells once tabled
    message = refused(bomb, "keys.json", label="JSON of 80k items with a key each")
    assert "too many cells: the file has at least 3,003,289 cells (1,733 rows of 1,733 columns)" in message


def test_files_within_the_caps_still_load() -> None:
    items = [{"id": f"e{i}", "start": "2022-02-24", "actor": "A", "kind": "statement", "title": "T"} for i in range(3)]
    wrapped = json.dumps({"events": items}).encode()
    assert len(read_upload(wrapped, "ok.json", ReadOptions(), UPLOAD_BYTES).events) == 3
    at_the_cap = read_upload(csv_rows(1_000), "ok.csv", ReadOptions(), UPLOAD_BYTES, UploadLimits(rows=1_000))
    assert len(at_the_cap.events) == 1_000
    broken = refused(b'[{"id": "a"}, ', "broken.json")
    assert "is not valid JSON" in broken


# --- the worker: time, memory, crashes, several at once -----------------------------------


def test_a_worker_that_overruns_its_time_is_killed() -> None:
    slow = csv_rows(90_000, kind="said")  # within the caps; 90,000 problems to word
    message = refused(slow, "slow.csv", UploadLimits(seconds=0.1), label="90k invalid rows, 0.1 s allowed")
    assert message == (
        "slow.csv: took longer than 0.1 s to read, the limit for uploads (TIMELINE_UPLOAD_SECONDS); "
        "serve the file with `timeline serve --data slow.csv` instead"
    )
    assert not workers(), "the worker is gone"


@pytest.mark.parametrize("memory_mb", [20, 100])
def test_a_worker_that_overruns_its_memory_is_stopped(memory_mb: int) -> None:
    data = csv_rows(90_000)  # loads with the default budget (see test_files_within_the_caps_still_load)
    message = refused(data, "big.csv", UploadLimits(memory_mb=memory_mb), label=f"90k rows, {memory_mb} MB allowed")
    assert message == (
        f"big.csv: needed more than {memory_mb} MB of memory to read, the limit for uploads "
        "(TIMELINE_UPLOAD_MEMORY_MB); serve the file with `timeline serve --data big.csv` instead"
    )
    assert len(read_upload(data, "big.csv", ReadOptions(), UPLOAD_BYTES).events) == 90_000


def allocate(size: int) -> Dataset:
    """A task that asks numpy for ``size`` bytes at once."""
    block = np.ones(size, dtype=np.uint8)
    raise AssertionError(f"allocated {block.nbytes}")


def die(how: int) -> Dataset:
    """A task whose process dies by signal ``how``."""
    os.kill(os.getpid(), how)
    time.sleep(5)
    raise AssertionError("still alive")


def misbehave() -> Dataset:
    raise KeyError("not a ValidationError")


def nap(seconds: float) -> Dataset:
    time.sleep(seconds)
    return formats.read(csv_rows(1), "n.csv", "csv", ReadOptions())


def workers() -> list[psutil.Process]:
    """The upload workers running: the children of this process's forkserver."""
    servers = [c for c in psutil.Process().children() if "forkserver" in " ".join(c.cmdline())]
    return [worker for server in servers for worker in server.children()]


def test_an_allocation_over_the_budget_fails_in_the_worker_and_is_worded() -> None:
    with pytest.raises(ValidationError) as caught, measured("worker asking numpy for 4 GB", within=5.0):
        run_limited(allocate, (4 * 1024 * MB,), "huge.csv", UploadLimits(memory_mb=200))
    assert "huge.csv: needed more than 200 MB of memory to read" in str(caught.value)


def test_a_worker_that_dies_or_breaks_gives_a_message() -> None:
    with pytest.raises(ValidationError) as caught, measured("worker killed by SIGSEGV", within=5.0):
        run_limited(die, (signal.SIGSEGV,), "crash.csv")
    assert str(caught.value.problems[0]) == (
        "crash.csv: the reader stopped (signal SIGSEGV), most likely for lack of memory: the limit for uploads "
        "is 1,024 MB (TIMELINE_UPLOAD_MEMORY_MB); serve the file with `timeline serve --data crash.csv` instead"
    )
    with pytest.raises(ValidationError) as caught:
        run_limited(misbehave, (), "bug.csv")
    assert "bug.csv: could not be read: KeyError: 'not a ValidationError'" in str(caught.value)


def test_uploads_at_once_each_get_a_worker_up_to_the_cap() -> None:
    limits = UploadLimits(workers=2, seconds=10)
    answers: list[str] = []
    seen: list[int] = []

    def one() -> None:
        answers.append(run_limited(nap, (1.0,), "n.csv", limits).name)

    threads = [threading.Thread(target=one) for _ in range(3)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        seen.append(len(workers()))
        time.sleep(0.02)
    took = time.perf_counter() - start
    print(f"\nthree uploads, two workers: {took:.2f} s, most workers at once {max(seen)}")
    assert answers == ["n.csv"] * 3
    assert max(seen) == 2  # two at once, the third queued
    assert took >= 2.0


def test_an_upload_that_waits_too_long_for_a_worker_is_asked_to_try_later() -> None:
    first = threading.Thread(target=run_limited, args=(nap, (2.0,), "first.csv", UploadLimits(workers=1)))
    first.start()
    deadline = time.monotonic() + 30
    while not workers() and time.monotonic() < deadline:
        time.sleep(0.01)
    with pytest.raises(ValidationError) as caught, measured("second upload, one worker busy", within=2.0):
        run_limited(nap, (0.0,), "later.csv", UploadLimits(workers=1, seconds=0.5))
    first.join()
    assert str(caught.value.problems[0]) == (
        "later.csv: the server is already reading as many uploads as it may at once "
        "(1, TIMELINE_UPLOAD_WORKERS); try again in a minute"
    )


# --- files served with --data: no caps, and memory errors are worded ----------------------


def test_a_served_file_has_no_row_cap(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    path.write_bytes(csv_rows(150_000))
    assert len(load_events(path).events) == 150_000


@pytest.mark.parametrize("where", ["validate_events", "apply_mapping"])
def test_a_memory_error_while_loading_a_served_file_is_worded(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def out_of_memory(*_args: Any, **_kwargs: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(formats, where, out_of_memory)
    path = tmp_path / "events.csv"
    path.write_bytes(csv_rows(3))
    with pytest.raises(ValidationError) as caught:
        load_events(path)
    assert str(caught.value.problems[0]).startswith("events.csv: not enough memory to load events.csv")


# --- the limits: defaults, environment, serve's options ------------------------------------


def test_the_limits_have_documented_defaults_and_come_from_the_environment() -> None:
    assert UploadLimits() == UploadLimits(rows=100_000, cells=3_000_000, seconds=20.0, memory_mb=1024, workers=2)
    assert UploadLimits.from_env({}) == UploadLimits()
    given = {ENVIRONMENT["rows"]: "500", ENVIRONMENT["seconds"]: "2.5", ENVIRONMENT["workers"]: " 3 "}
    assert UploadLimits.from_env(given) == UploadLimits(rows=500, seconds=2.5, workers=3)
    limits = UploadLimits(cells=7, memory_mb=64)
    assert UploadLimits.from_env(limits.environ()) == limits
    for variable, value, rule in [
        ("TIMELINE_UPLOAD_MAX_ROWS", "many", "a whole number of at least 1, not 'many'"),
        ("TIMELINE_UPLOAD_MAX_CELLS", "0", "a whole number of at least 1, not 0"),
        ("TIMELINE_UPLOAD_MEMORY_MB", "1.5", "a whole number of at least 1, not '1.5'"),
        ("TIMELINE_UPLOAD_SECONDS", "-1", "a number of seconds above 0, not -1.0"),
        ("TIMELINE_UPLOAD_SECONDS", "nan", "a number of seconds above 0, not nan"),
    ]:
        with pytest.raises(ValueError, match="^" + variable + " must be " + rule.replace(".", r"\.") + "$"):
            UploadLimits.from_env({variable: value})


def test_a_bad_limit_in_the_environment_is_worded_at_upload_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_UPLOAD_SECONDS", "soon")
    with pytest.raises(ValidationError) as caught:
        read_upload(csv_rows(1), "a.csv", ReadOptions(), UPLOAD_BYTES)
    assert str(caught.value.problems[0]) == (
        "a.csv: uploads are not set up right: TIMELINE_UPLOAD_SECONDS must be a number of seconds above 0, not 'soon'"
    )


@pytest.fixture
def clean_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """No TIMELINE_UPLOAD_* in the environment, and whatever serve puts there undone after."""
    for variable in ENVIRONMENT.values():
        monkeypatch.setenv(variable, "")
        monkeypatch.delenv(variable)


@pytest.mark.usefixtures("clean_limits")
def test_serve_sets_the_limits_every_server_process_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    import waitress.server

    served: list[Any] = []

    class Server:
        def run(self) -> None:
            """Return at once instead of serving."""

    def create_server(app: Any, **kwargs: Any) -> Server:
        served.append(kwargs)
        return Server()

    monkeypatch.setattr(waitress.server, "create_server", create_server)
    monkeypatch.setenv("TIMELINE_UPLOAD_MEMORY_MB", "512")
    options = [
        "--upload-max-rows",
        "500",
        "--upload-max-cells",
        "9000",
        "--upload-seconds",
        "3.5",
        "--upload-workers",
        "1",
    ]
    result = CliRunner().invoke(main, ["serve", "--port", "8123", *options])
    assert result.exit_code == 0, result.output
    assert served
    assert UploadLimits.from_env() == UploadLimits(rows=500, cells=9_000, seconds=3.5, memory_mb=512, workers=1)


@pytest.mark.usefixtures("clean_limits")
def test_serve_refuses_bad_limits_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    for option, value in [("--upload-max-rows", "0"), ("--upload-seconds", "0"), ("--upload-memory-mb", "lots")]:
        result = CliRunner().invoke(main, ["serve", option, value])
        assert result.exit_code == 2
        assert f"Invalid value for '{option}'" in result.output
    monkeypatch.setenv("TIMELINE_UPLOAD_MAX_CELLS", "two million")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1
    assert "TIMELINE_UPLOAD_MAX_CELLS must be a whole number of at least 1, not 'two million'" in result.output
    assert "Traceback" not in result.output
