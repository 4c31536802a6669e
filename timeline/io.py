"""Read and write event files. Every format ends in :func:`timeline.schema.validate_events`.

Readers turn bytes into a table of text cells (remembering each row's source line where
the format has lines) and the schema does the rest, so every format obeys the same rules
and reports problems the same way.
"""

from __future__ import annotations

import dataclasses
import json
import os
import stat
from pathlib import Path

import pandas as pd
import pyarrow as pa

from timeline import formats
from timeline.colors import is_color
from timeline.dataset import Dataset, ReadOptions
from timeline.resources import resource_root
from timeline.schema import Problem, ValidationError
from timeline.view import LANE_ORDERS

MAX_FILE_BYTES = 200 * 1024 * 1024
"""Largest file :func:`read_events` takes by default (bytes handed over, e.g. uploaded; the
dashboard passes its own, smaller limit). Files on disk, loaded with :func:`load_events`,
have no limit but the memory they need."""

PACKAGE_ROOT = resource_root()
"""The folder holding data/, seeds/ and assets/: the checkout, or the installed copy."""
DEFAULT_DATA = PACKAGE_ROOT / "data" / "events.csv"
SEEDS_INDEX = PACKAGE_ROOT / "seeds" / "index.csv"
META_SUFFIX = ".meta.json"
SIDECAR_LIMIT = 1024 * 1024
"""Largest metadata file read beside the data (bytes)."""

FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "csv",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
}


def format_of(name: str, explicit: str | None = None) -> str:
    """The format a file name implies, or ``explicit`` when given."""
    if explicit:
        return explicit.lower()
    suffix = Path(name).suffix.lower()
    if suffix == ".xls":
        raise ValidationError(
            [Problem(name, None, None, None, "old Excel .xls files cannot be read: save it as .xlsx or CSV")]
        )
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise ValidationError(
            [Problem(name, None, None, None, f"unknown file type {suffix or '(none)'!r}; use one of {known}")]
        )
    return FORMATS[suffix]


def load_events(path: str | Path, options: ReadOptions | None = None) -> Dataset:
    """Read and validate an events file from disk (a regular file: see :func:`read_regular_file`).

    Raises:
        ValidationError: the file is missing, not a regular file, unreadable or breaks the schema.
    """
    path = Path(path)
    name = path.name
    data = read_regular_file(path)
    try:
        dataset = read_events(data, name, options, max_bytes=None)
    except MemoryError as error:
        raise _out_of_memory(name, len(data), error) from None
    finally:
        del data
        pa.default_memory_pool().release_unused()  # a large file's parsing buffers go back to the system
    return _with_sidecar(dataset, path)


KINDS_OF_FILE = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISCHR, "is a device, not a regular file"),
    (stat.S_ISBLK, "is a device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)


def read_regular_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (a symlink is followed to its target).

    A named pipe, a device, a socket or a folder is refused before a byte is read: opening
    does not wait for a pipe's writer, and the check is made on the opened file, so a file
    swapped for a pipe between a look and the read is refused too. ``limit`` counts the bytes
    actually read, not the size the file claims (``/dev/zero`` claims 0).

    Raises:
        ValidationError: missing, not a regular file, unreadable, over ``limit``, or too big
            for memory.
    """
    shown = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ValidationError([Problem(shown, None, None, None, "file not found")]) from None
    except IsADirectoryError:
        raise ValidationError([Problem(shown, None, None, None, "is a folder, not a file")]) from None
    except OSError as error:
        raise ValidationError([Problem(shown, None, None, None, f"cannot read: {error.strerror}")]) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        rule = next((rule for test, rule in KINDS_OF_FILE if test(mode)), "is not a regular file")
        raise ValidationError([Problem(shown, None, None, None, rule)])
    with os.fdopen(fd, "rb") as file:
        try:
            data = file.read() if limit is None else file.read(limit + 1)
        except MemoryError as error:
            raise _out_of_memory(path.name, os.fstat(file.fileno()).st_size, error) from None
        except OSError as error:
            raise ValidationError([Problem(shown, None, None, None, f"cannot read: {error.strerror}")]) from None
    if limit is not None and len(data) > limit:
        raise ValidationError([Problem(shown, None, None, None, f"is over {limit:,} bytes, the most read here")])
    return data


def _out_of_memory(name: str, size: int, error: MemoryError) -> ValidationError:
    detail = str(error).strip() or "the machine ran out of memory"
    return ValidationError(
        [Problem(name, None, None, None, f"not enough memory to load {name} ({size:,} bytes): {detail}")]
    )


def read_events(
    data: bytes, name: str, options: ReadOptions | None = None, *, max_bytes: int | None = MAX_FILE_BYTES
) -> Dataset:
    """Validate the bytes of an events file named ``name`` (the name picks the format).

    Any bytes under any name either load or raise :class:`ValidationError`; nothing else.

    Args:
        max_bytes: the largest file taken (an upload's limit); None for no limit.

    Raises:
        ValidationError: the file is over ``max_bytes``, of an unknown type, unreadable,
            or breaks the schema; it lists every problem found.
    """
    options = options or ReadOptions()
    if max_bytes is not None and len(data) > max_bytes:
        raise ValidationError(
            [Problem(name, None, None, None, f"file is {len(data):,} bytes; the limit is {max_bytes:,}")]
        )
    return formats.read(data, name, format_of(name, options.format), options)


def _with_sidecar(dataset: Dataset, path: Path) -> Dataset:
    """Add title, credit, lane order and pinned side colours from ``<file>.meta.json`` next to
    the data, when there is one."""
    sidecar = path.with_name(path.name + META_SUFFIX)
    if not sidecar.exists():
        sidecar = path.with_suffix(META_SUFFIX)
    if not sidecar.exists():
        return dataset
    try:
        meta = json.loads(read_regular_file(sidecar, SIDECAR_LIMIT).decode("utf-8"))
    except ValueError as error:
        raise ValidationError([Problem(sidecar.name, None, None, None, f"unreadable metadata: {error}")]) from None
    if not isinstance(meta, dict):
        raise ValidationError([Problem(sidecar.name, None, None, None, "metadata must be a JSON object")])
    problems: list[Problem] = []
    order = meta.get("lane_order", dataset.lane_order)
    if order not in LANE_ORDERS:
        choices = ", ".join(LANE_ORDERS)
        problems.append(Problem(sidecar.name, None, "lane_order", str(order), f"must be one of {choices}"))
    pins = meta.get("side_colors", {})
    if not isinstance(pins, dict):
        problems.append(Problem(sidecar.name, None, "side_colors", str(pins), "must be an object of side -> colour"))
        pins = {}
    for side, color in pins.items():
        if not is_color(color):
            problems.append(
                Problem(sidecar.name, None, f"side_colors.{side}", str(color), "must be a colour such as #0072B2")
            )
    if problems:
        raise ValidationError(problems)
    return dataclasses.replace(
        dataset,
        title=str(meta.get("title") or dataset.title),
        credit=str(meta.get("credit") or dataset.credit),
        lane_order=order,
        side_colors={**dataset.side_colors, **pins},
    )


def write_events(events: pd.DataFrame, fmt: str) -> bytes:
    """Serialise events in a data format: ``csv``, ``tsv``, ``json``, ``xlsx`` or ``parquet``.

    CSV and TSV cells that a spreadsheet would run as a formula are neutralised; JSON,
    Excel and Parquet keep the text exactly.
    """
    return formats.write(events, fmt)
