"""What an upload may cost: rows, cells, seconds and memory, checked before and while it is read.

An uploaded file comes from anyone, and a few kilobytes can claim millions of rows, so
reading one is fenced in twice:

- **before decoding**, each reader in :mod:`timeline.formats` counts what the file holds
  from what it can see cheaply (Parquet's metadata; an xlsx sheet streamed row by row, its
  declared size ignored; CSV records; JSON items) and stops at :attr:`UploadLimits.rows` or
  :attr:`UploadLimits.cells` (:meth:`UploadLimits.check`);
- **while reading**, the parsing and the validation run in a worker process with an
  address-space limit, watched for its resident memory and killed when it overruns its
  time or memory (:func:`run_limited`). Workers come from a forkserver that has the
  readers imported already: the threaded web process (DuckDB's and kaleido's threads) is
  never forked, and a start takes tens of milliseconds (the first, which boots the
  forkserver, about a second). Each server process (each gunicorn worker) reads at most
  :attr:`UploadLimits.workers` uploads at once, so the memory uploads can take is that many
  times :attr:`UploadLimits.memory_mb` per server process.

As with any start method but ``fork``, a worker imports the program's main module again
(as ``__mp_main__``): a script that serves the app must do so under
``if __name__ == "__main__":``, as ``timeline``, ``python -m timeline`` and gunicorn do.

Whatever happens, the caller gets a :class:`Dataset` or a :class:`ValidationError` whose
message says what was too much and how to serve the file instead. Files served with
``timeline serve --data`` are the operator's own and have none of these caps.
"""

from __future__ import annotations

import functools
import math
import multiprocessing
import os
import shlex
import signal
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import psutil  # type: ignore[import-untyped]  # it ships no type hints

from timeline import formats
from timeline.io import format_of
from timeline.schema import Problem, ValidationError, shorten

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext

    from timeline.dataset import Dataset, ReadOptions

ROWS_ENV = "TIMELINE_UPLOAD_MAX_ROWS"
CELLS_ENV = "TIMELINE_UPLOAD_MAX_CELLS"
SECONDS_ENV = "TIMELINE_UPLOAD_SECONDS"
MEMORY_ENV = "TIMELINE_UPLOAD_MEMORY_MB"
WORKERS_ENV = "TIMELINE_UPLOAD_WORKERS"

_MB = 1024 * 1024
_START_SECONDS = 60.0
"""How long a worker may take to start (the first one boots the forkserver, about 1.5 s)."""
_POLL_SECONDS = 0.05
"""How often the parent looks at a running worker's clock and memory."""
_PRELOAD = ["timeline.budget", "timeline.io", "timeline.formats", "timeline.timelinejs", "openpyxl", "psutil"]
"""Imported once by the forkserver, so that every worker starts with them loaded."""


@dataclass(frozen=True)
class UploadLimits:
    """What reading one upload may cost. Each limit has an environment variable, and
    ``timeline serve`` an option that sets it (for every worker process of the server).

    Attributes:
        rows: the most events (data rows, JSON items) an upload may hold
            (``TIMELINE_UPLOAD_MAX_ROWS``).
        cells: the most cells, rows times columns (``TIMELINE_UPLOAD_MAX_CELLS``); the
            default lets a file of every schema column through at the row limit.
        seconds: the most time parsing and validation may take (``TIMELINE_UPLOAD_SECONDS``).
        memory_mb: the most memory the worker reading it may add to what it starts with
            (``TIMELINE_UPLOAD_MEMORY_MB``).
        workers: how many uploads one server process reads at once; the next ones wait
            for a free worker up to ``seconds``, then are asked to try again
            (``TIMELINE_UPLOAD_WORKERS``).
    """

    rows: int = 100_000
    cells: int = 3_000_000
    seconds: float = 20.0
    memory_mb: int = 1024
    workers: int = 2

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            seconds = field.name == "seconds"
            number = isinstance(value, float | int) if seconds else isinstance(value, int)
            if isinstance(value, bool) or not number or not 0 < value < math.inf:
                raise ValueError(f"{ENVIRONMENT[field.name]} must be {_RULES[seconds]}, not {value!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> UploadLimits:
        """The defaults, overridden by the ``TIMELINE_UPLOAD_*`` variables that are set.

        Raises:
            ValueError: a variable is not a whole number of at least 1 (a number of seconds
                above 0 for ``TIMELINE_UPLOAD_SECONDS``); the message names it.
        """
        env = os.environ if environ is None else environ
        given: dict[str, Any] = {}
        for field, variable in ENVIRONMENT.items():
            text = env.get(variable, "").strip()
            if not text:
                continue
            seconds = field == "seconds"
            try:
                given[field] = float(text) if seconds else int(text)
            except ValueError:
                raise ValueError(f"{variable} must be {_RULES[seconds]}, not {text!r}") from None
        return cls(**given)

    def environ(self) -> dict[str, str]:
        """These limits as the environment variables that :meth:`from_env` reads."""
        return {variable: str(getattr(self, field)) for field, variable in ENVIRONMENT.items()}

    def check(self, name: str, rows: int, width: int, *, exact: bool = False) -> None:
        """Refuse a file of ``rows`` rows of ``width`` cells once either is over its limit.

        Args:
            exact: the count is the file's (from metadata); otherwise the reader stopped
                counting there and the file has at least that many.

        Raises:
            ValidationError: too many rows, or too many cells.
        """
        has = "has" if exact else "has at least"
        if rows > self.rows:
            raise _refused(
                name,
                f"too many rows: the file {has} {rows:,} rows; the limit for uploads is {self.rows:,} ({ROWS_ENV})",
            )
        cells = rows * width
        if cells > self.cells:
            raise _refused(
                name,
                f"too many cells: the file {has} {cells:,} cells ({rows:,} rows of {width:,} columns); "
                f"the limit for uploads is {self.cells:,} ({CELLS_ENV})",
            )

    def too_slow(self, name: str) -> ValidationError:
        """The error for a reading that overran :attr:`seconds`."""
        return _refused(name, f"took longer than {self.seconds:g} s to read, the limit for uploads ({SECONDS_ENV})")

    def stopped(self, name: str, how: str) -> ValidationError:
        """The error for a worker that died without an answer (``how``: its signal or exit code)."""
        return _refused(
            name,
            f"the reader stopped ({how}), most likely for lack of memory: the limit for uploads is "
            f"{self.memory_mb:,} MB ({MEMORY_ENV})",
        )

    def too_big(self, name: str, detail: str = "") -> ValidationError:
        """The error for a reading that needed more than :attr:`memory_mb`."""
        return _refused(
            name,
            f"needed more than {self.memory_mb:,} MB of memory to read{detail}, the limit for uploads ({MEMORY_ENV})",
        )


_RULES = {False: "a whole number of at least 1", True: "a number of seconds above 0"}
ENVIRONMENT = {
    "rows": ROWS_ENV,
    "cells": CELLS_ENV,
    "seconds": SECONDS_ENV,
    "memory_mb": MEMORY_ENV,
    "workers": WORKERS_ENV,
}
"""Each :class:`UploadLimits` field and the environment variable that sets it."""


def _refused(name: str, rule: str) -> ValidationError:
    serve = f"timeline serve --data {shlex.quote(shorten(name, 80))}"
    return ValidationError([Problem(name, None, None, None, f"{rule}; serve the file with `{serve}` instead")])


def read_upload(
    data: bytes, name: str, options: ReadOptions, max_bytes: int, limits: UploadLimits | None = None
) -> Dataset:
    """Read and validate an uploaded file within the upload budget, in a worker process.

    Args:
        limits: the budget; by default :meth:`UploadLimits.from_env`.

    Raises:
        ValidationError: the file breaks the schema or the budget, or the server is
            reading as many uploads as it may at once.
    """
    try:
        limits = limits or UploadLimits.from_env()
    except ValueError as error:  # the server's own setting (`timeline serve` checks it at start)
        raise ValidationError([Problem(name, None, None, None, f"uploads are not set up right: {error}")]) from None
    if len(data) > max_bytes:  # no worker for what the byte limit refuses (the words of read_events)
        raise ValidationError(
            [Problem(name, None, None, None, f"file is {len(data):,} bytes; the limit is {max_bytes:,}")]
        )
    return run_limited(read_capped, (data, name, options, limits), name, limits)


def read_capped(data: bytes, name: str, options: ReadOptions, limits: UploadLimits) -> Dataset:
    """:func:`timeline.io.read_events` with the row and cell caps (what a worker runs).

    Raises:
        ValidationError: the file breaks the schema or the caps.
    """
    return formats.read(data, name, format_of(name, options.format), options, limits)


def run_limited(
    task: Callable[..., Dataset], args: tuple[Any, ...], name: str, limits: UploadLimits | None = None
) -> Dataset:
    """``task(*args)`` in a worker process, within ``limits``' time and memory.

    The worker gets an address-space limit of what it starts with plus
    :attr:`UploadLimits.memory_mb` (so numpy, pandas and Arrow see their allocations fail
    and raise MemoryError), and the parent kills it when its resident memory grows by more
    than that, or when it runs longer than :attr:`UploadLimits.seconds`. ``task`` must be a
    module-level function (it is sent to the worker by name).

    Raises:
        ValidationError: what ``task`` raised, or the budget's message when the worker
            overran, ran out of memory or died; or a request to try again when
            :attr:`UploadLimits.workers` workers are busy for longer than the time limit.
    """
    limits = limits or UploadLimits.from_env()
    slots = _slots(limits.workers)
    if not slots.acquire(timeout=limits.seconds):
        raise ValidationError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    "the server is already reading as many uploads as it may at once "
                    f"({limits.workers}, {WORKERS_ENV}); try again in a minute",
                )
            ]
        )
    try:
        context = _context()
        receiver, sender = context.Pipe(duplex=False)
        worker = context.Process(  # type: ignore[attr-defined]
            target=_work, args=(sender, task, args, limits), name="timeline-upload", daemon=True
        )
        try:
            worker.start()
        except OSError as error:  # e.g. no more processes allowed
            receiver.close()
            raise _refused(name, f"could not be read: no worker process could start ({error.strerror})") from None
        finally:
            sender.close()
        try:
            return _outcome(_wait(worker, receiver, limits), name, limits)
        finally:
            if worker.is_alive():
                worker.kill()
            worker.join(timeout=10)
            receiver.close()
    finally:
        slots.release()


@functools.cache
def _context() -> BaseContext:
    """The forkserver that starts workers, with the readers imported once."""
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # no forkserver on this platform: start each worker afresh
        return multiprocessing.get_context("spawn")
    context.set_forkserver_preload(_PRELOAD)
    return context


@functools.cache
def _slots(count: int) -> threading.BoundedSemaphore:
    """How many workers this process runs at once (one semaphore per limit)."""
    return threading.BoundedSemaphore(count)


def _wait(worker: Any, receiver: Connection, limits: UploadLimits) -> tuple[str, Any]:
    """What the worker answered, or why it gave no answer: ``("seconds", None)`` when it
    overran its time, ``("rss", bytes)`` when its memory grew too far (it is killed for
    both), ``("died", exit code)`` when it ended without an answer."""
    started = time.monotonic()
    deadline = started + _START_SECONDS
    baseline: int | None = None
    while True:
        if receiver.poll(_POLL_SECONDS):
            try:
                kind, value = receiver.recv()
            except (EOFError, OSError):
                worker.join(timeout=5)
                return "died", worker.exitcode
            if kind != "ready":
                return str(kind), value
            baseline = int(value)
            deadline = time.monotonic() + limits.seconds
            continue
        if not worker.is_alive():
            if receiver.poll(0):
                continue  # its answer came in just before it ended
            return "died", worker.exitcode
        if time.monotonic() > deadline:
            worker.kill()
            return "seconds", None
        if baseline is not None:
            try:
                grown = psutil.Process(worker.pid).memory_info().rss - baseline
            except psutil.Error:
                continue  # it has just ended; the next turn reads its answer or its exit code
            if grown > limits.memory_mb * _MB:
                worker.kill()
                return "rss", grown


def _outcome(answer: tuple[str, Any], name: str, limits: UploadLimits) -> Dataset:
    kind, value = answer
    if kind == "ok":
        dataset: Dataset = value
        return dataset
    if kind == "invalid":
        raise ValidationError(value)
    if kind == "seconds":
        raise limits.too_slow(name)
    if kind in ("memory", "rss"):
        raise limits.too_big(name)
    if kind == "died" and value == -signal.SIGXCPU:
        raise limits.too_slow(name)  # the worker's own CPU-time backstop
    if kind == "died":
        how = f"signal {signal.Signals(-value).name}" if isinstance(value, int) and value < 0 else f"exit code {value}"
        raise limits.stopped(name, how)
    raise _refused(name, f"could not be read: {value}")  # "error": a reader broke its promise; logged by the worker


def _work(sender: Connection, task: Callable[..., Dataset], args: tuple[Any, ...], limits: UploadLimits) -> None:
    """In the worker: limit this process, say so, run the task, send back what came of it."""
    import resource

    memory = psutil.Process().memory_info()
    budget = limits.memory_mb * _MB
    resource.setrlimit(resource.RLIMIT_AS, (memory.vms + budget, memory.vms + budget))
    cpu = math.ceil(limits.seconds * (os.cpu_count() or 1)) + 5  # a backstop should the parent be gone
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    sender.send(("ready", memory.rss))
    answer: tuple[str, Any]
    try:
        answer = ("ok", task(*args))
    except ValidationError as error:
        answer = ("invalid", error.problems)  # an exception's own pickle keeps only its text
    except MemoryError:
        answer = ("memory", None)
    except Exception as error:  # a reader must raise ValidationError only: log the bug, answer plainly
        traceback.print_exc()
        answer = ("error", f"{type(error).__name__}: {shorten(str(error), 120)}")
    try:
        sender.send(answer)
    except MemoryError:  # pickling a large result: nothing was sent yet
        del answer
        sender.send(("memory", None))
    sender.close()
