"""The ``timeline`` command: ``serve`` (the default), ``validate``, ``export``, ``convert`` and ``generate``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
import pandas as pd

from timeline import generate as generated
from timeline.budget import ENVIRONMENT, UploadLimits
from timeline.dataset import Dataset, ReadOptions
from timeline.dates import DATE_ORDERS, AnyDay, DateError, Day, parse_date_window
from timeline.engine import ENGINES
from timeline.formats import READ_FORMATS, TIMELINEJS, TIMELINEJS_SUFFIX
from timeline.headerless import PRESETS, parse_columns
from timeline.io import DEFAULT_DATA, format_of, load_events, write_events
from timeline.mapping import parse_mapping_pairs, read_mapping_file
from timeline.query import Filters
from timeline.schema import ValidationError, counted
from timeline.view import LANE_ORDERS

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from dash import Dash

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050


def fail(error: ValidationError | str) -> NoReturn:
    """Print what is wrong, without a traceback, and exit non-zero."""
    click.secho(str(error), fg="red", err=True)
    sys.exit(1)


def read_options(command: F) -> F:
    """Options that say how to read an input whose layout cannot be guessed."""
    decorators = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(READ_FORMATS, case_sensitive=False),
            help="Input format or layout (vis, timemap, timelinejs), when the file does not say it.",
        ),
        click.option(
            "--no-header",
            "no_header",
            is_flag=True,
            default=False,
            help="The first line is data, not column names (name them with --columns).",
        ),
        click.option("--columns", metavar="A,B,...", help="Names of a headerless file's columns, in order."),
        click.option(
            "--preset",
            type=click.Choice(sorted(PRESETS), case_sensitive=False),
            help="A named headerless layout: icews or gdelt (the GDELT 2.0 events export).",
        ),
        click.option(
            "--records",
            metavar="PATH",
            help="Where a JSON file keeps its list of items: $.events, $.data.items, $ for a top-level list.",
        ),
        click.option("--delimiter", help="CSV delimiter (default: guessed from the header)."),
        click.option("--encoding", help="Text encoding (default: UTF-8, or UTF-16 with a BOM)."),
        click.option(
            "--date-order",
            type=click.Choice(DATE_ORDERS),
            help="How to read all-numeric dates like 12/02/2024: dmy or mdy.",
        ),
        click.option(
            "--map",
            "pairs",
            multiple=True,
            metavar="COLUMN=SOURCE",
            help="Take schema COLUMN from the file's SOURCE column (repeatable).",
        ),
        click.option(
            "--mapping",
            "mapping_file",
            type=click.Path(dir_okay=False),
            help="A JSON file of {schema column: file column}.",
        ),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def make_options(
    fmt: str | None,
    delimiter: str | None,
    encoding: str | None,
    date_order: Any,
    pairs: tuple[str, ...],
    mapping_file: str | None,
    no_header: bool = False,
    columns: str | None = None,
    preset: str | None = None,
    records: str | None = None,
) -> ReadOptions:
    """:class:`ReadOptions` from the command line."""
    try:
        mapping = read_mapping_file(mapping_file) if mapping_file else {}
        mapping.update(parse_mapping_pairs(pairs))
    except ValidationError as error:
        fail(error)
    except ValueError as error:
        fail(str(error))
    delimiter = "\t" if delimiter in ("\\t", "tab") else delimiter
    if delimiter is not None and len(delimiter) != 1:
        fail(f"--delimiter must be one character (or 'tab'), not {delimiter!r}")
    try:
        names = parse_columns(columns) if columns is not None else ()
    except ValueError as error:
        fail(str(error))
    if names and not no_header:
        fail("--columns names the columns of a headerless file: add --no-header")
    if names and preset:
        fail(f"--preset {preset} names the columns itself: drop --columns")
    return ReadOptions(
        format=fmt.lower() if fmt else None,
        delimiter=delimiter,
        encoding=encoding,
        date_order=date_order,
        mapping=mapping,
        header=not no_header and not preset,
        columns=names,
        preset=preset.lower() if preset else None,
        records=records,
    )


IMAGE_SUFFIXES = ("png", "svg", "pdf", "jpg", "jpeg", "webp")
"""Image files: drawn by ``export``, never written by ``convert``."""


def check_writable(target: str) -> None:
    """Stop before anything is read when ``target`` names a file type the tool cannot write honestly."""
    if Path(target).suffix.lower() == ".xlsm":
        fail(f"{target}: an .xlsm workbook is one with macros, and timeline writes none; name it .xlsx")


def known_names(given: tuple[str, ...], column: pd.Series, option: str, none_by: str, dataset: str) -> tuple[str, ...]:
    """The names in ``column`` that ``given`` means, matched ignoring case and repeated spaces;
    stop with the nearest names when one matches nothing."""
    if not given:
        return ()
    names = sorted(set(column.tolist()) - {""})
    by_key = {_name_key(name): name for name in reversed(names)}
    found, missing = [], []
    for name in given:
        match = by_key.get(_name_key(name))
        if match is None:
            missing.append(name)
        else:
            found.append(match)
    if missing:
        lines = []
        for name in missing:
            near = difflib.get_close_matches(_name_key(name), list(by_key), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(repr(by_key[k]) for k in near)}?" if near else ""
            lines.append(f"{option}: {none_by} {name!r} in {dataset}{hint}")
        fail("\n".join(lines))
    return tuple(dict.fromkeys(found))


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def load_or_fail(path: str | Path, options: ReadOptions) -> Dataset:
    """Load a dataset, or print every problem and exit."""
    try:
        return load_events(path, options)
    except ValidationError as error:
        fail(error)


def parse_day(value: str | None, side: str) -> AnyDay | None:
    """``--from``/``--to``: any date the tables take (``2024-02``, ``44 BC``, ``c. 383``,
    ``5th century BC``); a month, year or window means its first (from) or last (to) day."""
    if not value:
        return None
    try:
        window = parse_date_window(value)
    except DateError as error:
        fail(f"--{side} {value!r}: {error}")
    day = Day.of(window.lo if side == "from" else window.hi)
    text = day.isoformat()
    return day if text.startswith("-") or text.startswith("0000") else dt.date.fromisoformat(text)  # AD: a date


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="timeline")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Explore who said and did what, and when, in a news story.

    With no command, serves the dashboard on the default data.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(serve)


UPLOAD_LIMIT_OPTIONS = {
    "rows": ("--upload-max-rows", click.IntRange(min=1), "Most rows (events) an upload may hold"),
    "cells": ("--upload-max-cells", click.IntRange(min=1), "Most cells (rows times columns) an upload may hold"),
    "seconds": (
        "--upload-seconds",
        click.FloatRange(min=0, min_open=True),
        "Most seconds reading and checking an upload may take",
    ),
    "memory_mb": ("--upload-memory-mb", click.IntRange(min=1), "Most memory (MB) reading an upload may take"),
    "workers": ("--upload-workers", click.IntRange(min=1), "Uploads read at once by each server process"),
}
"""``serve``'s options for the upload budget: :class:`timeline.budget.UploadLimits` field ->
(option, type, help). Each is passed to ``serve`` as ``upload_<field>``."""


def upload_limit_options(command: F) -> F:
    """``serve``'s ``--upload-*`` options (None when not given)."""
    for field, (flag, kind, text) in reversed(UPLOAD_LIMIT_OPTIONS.items()):
        default = getattr(UploadLimits(), field)
        shown = f"{default:,}" if isinstance(default, int) else f"{default:g}"
        command = click.option(
            flag,
            f"upload_{field}",
            type=kind,
            default=None,
            help=f"{text} [default: ${ENVIRONMENT[field]} or {shown}].",
        )(command)
    return command


def set_upload_limits(given: dict[str, Any]) -> UploadLimits:
    """The upload budget from ``$TIMELINE_UPLOAD_*`` and the options given, checked, and put
    in the environment, where every server process (gunicorn's workers too) reads it."""
    try:
        limits = dataclasses.replace(UploadLimits.from_env(), **given)
    except ValueError as error:
        fail(str(error))
    os.environ.update(limits.environ())
    return limits


@main.command()
@click.option(
    "--data",
    type=click.Path(dir_okay=False),
    default=str(DEFAULT_DATA),
    show_default="the seed story",
    help="Events file to serve; reloaded when it changes on disk.",
)
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to bind. Anything but 127.0.0.1 exposes the app to your network.",
)
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--debug", is_flag=True, default=False, help="Dash debug mode (loopback only; never on a shared network)."
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="auto",
    show_default=True,
    help="What answers the views: numpy arrays (with DuckDB text search on big tables), or DuckDB for all.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes: 1 runs waitress; more run gunicorn (gthread workers).",
)
@click.option("--threads", type=click.IntRange(min=1), default=8, show_default=True, help="Threads per process.")
@click.option(
    "--upload-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Directory of uploads, shared by the workers [default: $TIMELINE_UPLOAD_DIR or ~/.cache/timeline/uploads].",
)
@click.option(
    "--proxies",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Reverse proxies in front whose X-Forwarded-For/-Proto/-Host headers to trust.",
)
@upload_limit_options
@read_options
def serve(
    data: str,
    host: str,
    port: int,
    debug: bool,
    engine: str,
    workers: int,
    threads: int,
    upload_dir: str | None,
    proxies: int,
    upload_rows: int | None,
    upload_cells: int | None,
    upload_seconds: float | None,
    upload_memory_mb: int | None,
    upload_workers: int | None,
    **read: Any,
) -> None:
    """Serve the dashboard (credentials, if any, from TIMELINE_AUTH_TOKEN or
    TIMELINE_AUTH_USER + TIMELINE_AUTH_PASSWORD; see the README's Deploying)."""
    from timeline.serving import Auth, build, run_gunicorn

    options = make_options(**read)
    given = {
        "rows": upload_rows,
        "cells": upload_cells,
        "seconds": upload_seconds,
        "memory_mb": upload_memory_mb,
        "workers": upload_workers,
    }
    set_upload_limits({field: value for field, value in given.items() if value is not None})
    try:
        auth = Auth.from_env()
    except ValueError as error:
        fail(str(error))
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        fail(f"--host {host!r} is not an address to listen on ({error})")
    if debug and host not in ("127.0.0.1", "localhost", "::1"):
        fail(f"--debug runs Dash's development server, which must not listen on {host}; drop --debug")
    if debug and workers > 1:
        fail("--debug runs one development server; drop --workers")

    def factory() -> Dash:
        return build(data, options, engine, upload_dir, auth, proxies)

    try:  # fail here on bad data, before any worker starts
        app = factory() if workers == 1 else None
        if app is None:
            load_events(data, options)
    except ValidationError as error:
        fail(error)
    shown = f"[{host}]" if ":" in host else host
    processes = f"{workers} processes (gunicorn)" if workers > 1 else "1 process (waitress)"
    serving = f"timeline: serving {data} on http://{shown}:{port}/, {processes}, {threads} threads each (Ctrl+C stops)"
    if debug:
        serving = f"timeline: serving {data} on http://{shown}:{port}/ with Dash's development server (Ctrl+C stops)"
    if app is None or debug:
        # gunicorn and the dev server bind later, after their own start-up; the dev server's
        # reloaded child inherits the socket its parent bound (WERKZEUG_RUN_MAIN), so it is free.
        if os.environ.get("WERKZEUG_RUN_MAIN") != "true":
            check_port_free(host, port)
            click.echo(serving)
        if app is None:
            run_gunicorn(factory, host, port, workers, threads)
        else:
            app.run(host=host, port=port, debug=True)
        return
    from waitress.server import create_server  # a production server: several users at once

    try:  # bound here, so a busy port is said before anything claims to be serving
        server = create_server(
            app.server,
            host=host,
            port=port,
            threads=threads,
            ident="timeline",
            # waitress would otherwise spool up to 1 GB of a body before the app can refuse it
            max_request_body_size=int(app.server.config["MAX_CONTENT_LENGTH"]),
        )
    except (OSError, ValueError) as error:
        fail(f"cannot listen on {host}:{port}: {getattr(error, 'strerror', None) or error}")
    click.echo(serving)
    server.run()


def check_port_free(host: str, port: int) -> None:
    """Stop with a message when ``host:port`` cannot be listened on (e.g. already in use)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            fail(f"cannot listen on {host}:{port}: {error.strerror or error}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@read_options
def validate(paths: tuple[str, ...], **read: Any) -> None:
    """Check event files; list every problem (file, row, column, value, rule), and the
    notes on what a reader reinterpreted or set aside."""
    options = make_options(**read)
    failed = False
    for path in paths:
        try:
            dataset = load_events(path, options)
        except ValidationError as error:
            failed = True
            click.secho(f"{path}: {error}", fg="red", err=True)
            continue
        actors = dataset.events["actor"].nunique()
        click.echo(f"{path}: OK, {counted(len(dataset.events), 'event')}, {counted(actors, 'actor')}")
        for note in dataset.notes:
            click.echo(f"  note: {note}")
    if failed:
        sys.exit(1)


@main.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
@read_options
def convert(source: str, target: str, **read: Any) -> None:
    """Convert an events file to another format (chosen by TARGET's extension; ``*.timelinejs.csv``
    writes Knight Lab's TimelineJS sheet, the tool's own columns after the template's)."""
    options = make_options(**read)
    check_writable(target)
    if Path(target).suffix.lower().lstrip(".") in IMAGE_SUFFIXES:
        fail(f"{target} is an image: `timeline export {target} --data {source}` draws the chart")
    if Path(target).exists() and Path(source).exists() and Path(source).samefile(target):
        fail(f"{target} is the file being converted; write to another name (nothing was changed)")
    dataset = load_or_fail(source, options)
    try:
        fmt = TIMELINEJS if target.lower().endswith(TIMELINEJS_SUFFIX) else format_of(target)
        content = write_events(dataset.events, fmt)
    except (ValidationError, ValueError) as error:
        fail(error if isinstance(error, ValidationError) else str(error))
    try:
        Path(target).write_bytes(content)
    except OSError as error:
        fail(f"{target}: cannot write: {error.strerror}")
    click.echo(f"{target}: {counted(len(dataset.events), 'event')}")


@main.command()
@click.argument("outputs", nargs=-1, required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--data", type=click.Path(dir_okay=False), default=str(DEFAULT_DATA), show_default="the seed story")
@click.option("--actor", "actors", multiple=True, help="Keep this actor (repeatable).")
@click.option("--target", "targets", multiple=True, help="Keep events acted upon this target (repeatable).")
@click.option("--kind", "kinds", multiple=True, help="Keep this kind (repeatable).")
@click.option("--from", "date_from", help="Keep events reaching this date or later.")
@click.option("--to", "date_to", help="Keep events starting on this date or earlier.")
@click.option("--search", default="", help="Keep events whose title, summary or quote contains this.")
@click.option("--status", "statuses", multiple=True, help="Keep events of this claim status (repeatable).")
@click.option(
    "--thread",
    metavar="EVENT_ID",
    help="Keep this event's thread: what it answers, denies, confirms, reports on or refers to, "
    "and what does so to it, transitively.",
)
@click.option("--select", metavar="EVENT_ID", help="In images, highlight this event's thread and fade the rest.")
@click.option("--links/--no-links", default=True, show_default=True, help="Draw connectors between linked events.")
@click.option(
    "--order",
    type=click.Choice(tuple(LANE_ORDERS)),
    help="Order of the lanes in images: count (most events first), side, first (date) or name "
    "(default: the dataset's, else count).",
)
@click.option("--width", type=int, help="Image width in layout pixels (default 1600).")
@click.option("--height", type=int, help="Image height in layout pixels (default 900).")
@click.option("--scale", type=float, help="PNG pixels per layout pixel (default 2; a PDF is vector).")
@read_options
def export(
    outputs: tuple[str, ...],
    data: str,
    actors: tuple[str, ...],
    targets: tuple[str, ...],
    kinds: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    search: str,
    statuses: tuple[str, ...],
    thread: str | None,
    select: str | None,
    links: bool,
    order: str | None,
    width: int | None,
    height: int | None,
    scale: float | None,
    **read: Any,
) -> None:
    """Export the filtered chart (.png .svg .pdf) or events (.csv .tsv .json .xlsx .parquet).

    Each OUTPUT's extension picks its format; one warm Chromium renders them all. The
    filters mean what they mean in the dashboard, and the chart is the one it shows.
    """
    from tqdm import tqdm

    from timeline.export import (
        IMAGE_DEFAULTS,
        IMAGE_FORMATS,
        INSTALL_HINT,
        ExportUnavailableError,
        ImageSize,
        check_size,
        export_view,
        find_chromium,
        format_for,
    )
    from timeline.query import matching
    from timeline.schema import KINDS, STATUSES

    for output in outputs:
        check_writable(output)
    try:
        formats = {output: format_for(output) for output in outputs}
    except ValueError as error:
        fail(str(error))
    default = IMAGE_DEFAULTS
    size = ImageSize(
        default.width if width is None else width,
        default.height if height is None else height,
        default.scale if scale is None else scale,
    )
    try:
        check_size(size, "png" if "png" in formats.values() else "svg")  # only a PNG's pixels are capped
    except ValueError as error:
        fail(str(error))
    unknown_kinds = sorted({k for k in kinds if k.lower() not in KINDS})
    if unknown_kinds:
        fail(f"--kind: {', '.join(unknown_kinds)} is not a kind; use one of {', '.join(KINDS)}")
    unknown_statuses = sorted({s for s in statuses if s.lower() not in STATUSES})
    if unknown_statuses:
        fail(f"--status: {', '.join(unknown_statuses)} is not a status; use one of {', '.join(STATUSES)}")

    dataset = load_or_fail(data, make_options(**read))
    filters = Filters(
        actors=actors,
        targets=targets,
        kinds=tuple(k.lower() for k in kinds),
        start=parse_day(date_from, "from"),
        end=parse_day(date_to, "to"),
        text=search,
        statuses=tuple(s.lower() for s in statuses),
        thread=thread or "",
    )
    for option, event_id in (("--thread", thread), ("--select", select)):
        if event_id and dataset.position_of(event_id) is None:
            fail(f"{option}: no event has the id {event_id!r} in {dataset.name}")
    if filters.start and filters.end and filters.start > filters.end:
        fail(f"--from {date_from} is after --to {date_to}")
    filters = dataclasses.replace(
        filters,
        actors=known_names(actors, dataset.events["actor"], "--actor", "no events by", dataset.name),
        targets=known_names(targets, dataset.events["target"], "--target", "no events acted upon", dataset.name),
    )
    matched = len(matching(dataset, filters))
    images = [output for output, fmt in formats.items() if fmt in IMAGE_FORMATS]
    if images and matched == 0:
        fail(f"no event matches these filters ({filters.describe(dataset)}): there is no chart to export")
    if images and find_chromium() is None:
        fail(INSTALL_HINT)  # before any file is written
    with tqdm(total=len(outputs), desc="exporting", unit="file", disable=len(outputs) < 3) as progress:
        for output in outputs:
            try:
                content = export_view(
                    dataset, filters, formats[output], size, order=order, selected=select or "", connectors=links
                )
                Path(output).write_bytes(content)
            except (ExportUnavailableError, ValueError) as error:
                fail(f"{output}: {error}")
            except OSError as error:
                fail(f"{output}: cannot write: {error.strerror}")
            progress.write(f"{output}: {formats[output]}, {counted(matched, 'event')}, {len(content):,} bytes")
            progress.update()


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
@click.option("--events", "count", type=click.IntRange(min=1), required=True, metavar="N", help="How many events.")
@click.option(
    "--actors",
    type=click.IntRange(min=1),
    default=generated.DEFAULT_ACTORS,
    show_default=True,
    metavar="K",
    help="Cast size; a few loud actors, many quiet ones.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="S",
    help="Same seed and options, same file.",
)
@click.option(
    "--sides",
    type=click.IntRange(min=0),
    default=generated.DEFAULT_SIDES,
    show_default=True,
    metavar="N",
    help="Number of camps, of very different sizes.",
)
@click.option(
    "--spans",
    type=click.FloatRange(0, 1),
    default=generated.DEFAULT_SPAN_SHARE,
    show_default=True,
    metavar="F",
    help="Share of events that are spans.",
)
@click.option(
    "--loose",
    type=click.FloatRange(0, 1),
    default=generated.DEFAULT_LOOSE_SHARE,
    show_default=True,
    metavar="F",
    help="Share dated to the month or year, or approximately.",
)
@click.option(
    "--targets",
    type=click.FloatRange(0, 1),
    default=generated.DEFAULT_TARGET_SHARE,
    show_default=True,
    metavar="F",
    help="Share with a target (another actor).",
)
@click.option(
    "--from",
    "date_from",
    default=generated.DEFAULT_START,
    show_default=True,
    metavar="DATE",
    help="First day events may fall on.",
)
@click.option(
    "--to",
    "date_to",
    default=generated.DEFAULT_END,
    show_default=True,
    metavar="DATE",
    help="Last day events may fall on.",
)
def generate(
    out: str,
    count: int,
    actors: int,
    seed: int,
    sides: int,
    spans: float,
    loose: float,
    targets: float,
    date_from: str,
    date_to: str,
) -> None:
    """Write N synthetic events to OUT (its extension picks the format), for benchmarks and tests.

    The same options always give the same file.
    """
    first, last = parse_day(date_from, "from"), parse_day(date_to, "to")
    if first and last and first >= last:
        fail(f"--from {date_from} must be before --to {date_to}")
    if spans + loose > 1:
        fail(f"--spans {spans:g} and --loose {loose:g} add up to more than 1 (they are shares of the same events)")
    if targets > 0 and actors < 2:
        fail(f"--targets {targets:g} needs at least 2 actors (a target is another actor); pass --targets 0")
    folder = Path(out).parent
    if not folder.is_dir():
        fail(f"{out}: cannot write: folder {folder} does not exist")
    try:
        written = generated.write_generated(
            out, count, actors=actors, seed=seed, sides=sides, span_share=spans, loose_share=loose,
            target_share=targets, start=str(first), end=str(last), progress=count >= 100_000,
        )  # fmt: skip
    except ValidationError as error:
        fail(error)
    except ValueError as error:
        fail(str(error))
    except OSError as error:
        fail(f"{out}: cannot write: {error.strerror or error}")
    click.echo(f"{out}: {counted(written, 'event')}, {counted(min(actors, written), 'actor')}")


@main.command()
@click.argument("articles", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--published",
    multiple=True,
    metavar="DATE",
    help="Publication day of the articles (once for all, or once per ARTICLE in order).",
)
@click.option(
    "--publisher", "publishers", multiple=True, metavar="NAME", help="The outlet (once for all, or once per ARTICLE)."
)
@click.option(
    "--manifest", type=click.Path(dir_okay=False), help="A CSV or JSON file listing file, published, publisher."
)
@click.option("--model", metavar="NAME", help="An installed spaCy pipeline for entities (e.g. en_core_web_sm).")
@click.option(
    "-o", "--out", type=click.Path(dir_okay=False, writable=True), help="Write the candidates (extension picks format)."
)
def extract(
    articles: tuple[str, ...],
    published: tuple[str, ...],
    publishers: tuple[str, ...],
    manifest: str | None,
    model: str | None,
    out: str | None,
) -> None:
    """Extract candidate events (who said or did what, and when) from news ARTICLES (.txt or .html).

    Relative dates resolve against each article's publication day; candidates several
    articles report merge into one event listing every source.
    """
    from timeline.extract import extract as extract_events
    from timeline.extract.command import articles_from, table_text

    if out:
        check_writable(out)
        try:
            fmt = TIMELINEJS if out.lower().endswith(TIMELINEJS_SUFFIX) else format_of(out)
        except ValidationError as error:
            fail(error)
    try:
        dataset = extract_events(articles_from(articles, published, publishers, manifest), model=model)
    except ValidationError as error:
        fail(error)
    events = dataset.events
    merged = int((events["outlets"].astype(int) > 1).sum())
    summary = f"{counted(len(events), 'candidate event')}" + (
        f", {merged} reported by several articles" if merged else ""
    )
    if not out:
        click.echo(table_text(events))
        click.echo(summary, err=True)
        return
    try:
        Path(out).write_bytes(write_events(events, fmt))
    except (ValidationError, ValueError) as error:
        fail(error if isinstance(error, ValidationError) else str(error))
    except OSError as error:
        fail(f"{out}: cannot write: {error.strerror}")
    click.echo(f"{out}: {summary} (unreviewed)")


if __name__ == "__main__":
    main()
