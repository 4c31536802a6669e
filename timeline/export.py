"""Figure -> PNG, SVG or PDF bytes through one warm, locked kaleido/Chromium; events -> data files.

Starting Chromium costs about 1.5 s, so one browser starts on the first render and stays
warm. Kaleido is not thread-safe (answers went to the wrong caller in tests) and Dash runs
callbacks in threads, so every render goes through one lock. The browser is driven from a
thread of its own with a timeout on every call: a browser that dies or never starts makes
an export fail with a message, never hang the server. MathJax is off: the chart uses no
LaTeX, and kaleido's page would otherwise try to fetch it from the network on every render.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import math
import os
import shutil
import textwrap
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go

from timeline.dataset import Dataset
from timeline.figures import dataset_figure, legend_height, transport
from timeline.formats import TIMELINEJS, TIMELINEJS_SUFFIX, WRITE_FORMATS
from timeline.formats import write as write_data
from timeline.io import FORMATS as DATA_SUFFIXES
from timeline.query import Filters, matching
from timeline.threads import trimmed_cells

T = TypeVar("T")

IMAGE_FORMATS = ("png", "svg", "pdf")
EXPORT_FORMATS = (*IMAGE_FORMATS, *WRITE_FORMATS)
MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    TIMELINEJS: "text/csv",
}
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
"""How the browser tests, the screenshots and the draw benchmark start headless Chromium here:
no sandbox (containers), no GPU, nothing fetched in the background."""
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_STEPS = (
    "(Debian/Ubuntu: `sudo apt-get install chromium`, or `make chromium` in this repository), "
    "or point BROWSER_PATH at a Chrome or Chromium binary."
)
INSTALL_HINT = f"Image export needs Chromium, which was not found. Install it {INSTALL_STEPS}"
START_TIMEOUT = 60.0
"""Seconds Chromium may take to start (a cold start on a busy machine takes several)."""
RENDER_TIMEOUT = 60.0
"""Seconds one render may take before the browser is deemed stuck and restarted."""


@dataclass(frozen=True)
class ImageSize:
    """Size of an exported image: ``width`` x ``height`` layout pixels, times ``scale`` in a PNG.

    A PDF is vector: it ignores ``scale`` and its page is ``width`` x ``height`` at 96 px an
    inch, so 1123 x 794 is an A4 landscape page. An SVG keeps the layout size.
    """

    width: int = 1600
    height: int = 900
    scale: float = 2.0


SIZE_PRESETS: dict[str, ImageSize] = {
    "slide": ImageSize(1600, 900, 2.0),
    "a4": ImageSize(1123, 794, 3.0),
}
"""``slide``: 16:9, a 3200 x 1800 PNG. ``a4``: an A4 landscape page (PDF), about 290 dpi as a PNG."""
CUSTOM = "custom"
IMAGE_DEFAULTS = SIZE_PRESETS["slide"]

MIN_SIDE = 200
"""Narrowest and lowest image, in layout pixels: smaller and the chart is unreadable."""
MAX_SIDE = 6000
"""Widest and tallest image, in layout pixels."""
MIN_SCALE = 0.5
MAX_SCALE = 6.0
MAX_MEGAPIXELS = 40
"""Most pixels in a PNG (width x height x scale²), in millions. Every export waits for the one
browser; a PNG near the cap (6000 x 6000 at scale 1, an A4 page at scale 6) takes about 2 s, while
the sides and scale alone would allow a PNG over 30 times that size."""


def preset_of(size: ImageSize) -> str:
    """The name of the preset ``size`` is, or :data:`CUSTOM`."""
    return next((name for name, preset in SIZE_PRESETS.items() if preset == size), CUSTOM)


class ExportUnavailableError(RuntimeError):
    """Images cannot be rendered here; the message says how to fix it."""


class ImageExporter:
    """Renders figures with one Chromium kept warm, one render at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._exit_hook = False

    def _run(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def _start(self) -> None:
        """Start Chromium if it is not running. Call with the lock held."""
        if self._kaleido is not None:
            return
        browser = find_chromium()
        if not browser:
            raise ExportUnavailableError(INSTALL_HINT)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True)
        self._thread.start()

        async def open_browser() -> Any:
            instance = warm_kaleido_class()(n=1, mathjax=False, timeout=RENDER_TIMEOUT, path=browser)
            try:
                await instance.open()
            except BaseException:
                with contextlib.suppress(Exception):
                    await instance.close()
                raise
            return instance

        try:
            self._kaleido = self._run(open_browser(), START_TIMEOUT)
        except Exception as error:
            self._stop()
            reason = str(error.args[0]) if error.args else type(error).__name__
            raise ExportUnavailableError(
                f"Chromium at {browser} did not start for image export ({reason.rstrip('.')}). "
                f"Reinstall it {INSTALL_STEPS}"
            ) from error
        if not self._exit_hook:
            # Registered after the browser made its temporary folders, so this runs first at
            # exit and removes them cleanly.
            atexit.register(self.close)
            self._exit_hook = True

    def _stop(self) -> None:
        """Stop Chromium and its thread. Call with the lock held."""
        instance, loop, thread = self._kaleido, self._loop, self._thread
        self._kaleido = self._loop = self._thread = None
        if loop is None:
            return
        # A browser that will not close is left to die with this process.
        with contextlib.suppress(Exception):
            if instance is not None:
                asyncio.run_coroutine_threadsafe(instance.close(), loop).result(10)
            asyncio.run_coroutine_threadsafe(_cancel_pending(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(10)
        if not loop.is_running():
            loop.close()

    def close(self) -> None:
        """Stop the warm Chromium (it starts again on the next render)."""
        with self._lock:
            self._stop()

    @property
    def warm(self) -> bool:
        """Whether Chromium is running."""
        return self._kaleido is not None

    def render(self, fig: go.Figure | dict[str, Any], fmt: str, size: ImageSize = IMAGE_DEFAULTS) -> bytes:
        """The figure as ``png``, ``svg`` or ``pdf`` bytes at ``size``.

        Raises:
            ExportUnavailableError: no Chromium to render with, or it does not start or
                answer (it is restarted on the next call).
            ValueError: an unknown format or a size out of range.
        """
        if fmt not in IMAGE_FORMATS:
            raise ValueError(f"unknown image format {fmt!r}; use one of {', '.join(IMAGE_FORMATS)}")
        check_size(size, fmt)
        spec = fit_to_page(fig.to_dict() if isinstance(fig, go.Figure) else transport(fig), size)
        # Only a PNG has pixels to multiply: kaleido would scale an SVG's width and height too.
        scale = size.scale if fmt == "png" else 1.0
        if fmt == "pdf":
            spec = printable(spec)
        options = {"format": fmt, "width": size.width, "height": size.height, "scale": scale}
        with self._lock:
            self._start()
            try:
                image: bytes = self._run(self._kaleido.calc_fig(spec, opts=options), RENDER_TIMEOUT)
            except Exception as error:
                # The browser may be stuck or gone: start afresh on the next render.
                self._stop()
                reason = "it took too long" if isinstance(error, TimeoutError) else f"{error}".strip()
                raise ExportUnavailableError(
                    f"Chromium failed to render the {fmt.upper()} ({reason or type(error).__name__}); "
                    "it restarts on the next try."
                ) from error
        return image


async def _cancel_pending() -> None:
    """Cancel the browser's leftover tasks (watchdogs, reloads) so its loop stops cleanly."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


@functools.cache
def warm_kaleido_class() -> Any:
    """Kaleido, changed to reload a used page after it hands back the image, not before.

    Kaleido reloads its page after every render (so each starts clean), and that reload,
    about 0.2 s, is most of a warm render. Done in the background, it overlaps whatever the
    caller does next. If a future kaleido renames the hook, renders are merely slower.
    """
    import kaleido

    class WarmKaleido(kaleido.Kaleido):  # type: ignore[misc]
        _reloads: set[asyncio.Future[None]]

        async def _return_kaleido_tab(self, *args: Any, **kwargs: Any) -> None:
            # Passes any arguments through, so a changed signature cannot break renders.
            if not hasattr(self, "_reloads"):
                self._reloads = set()
            reload = asyncio.ensure_future(super()._return_kaleido_tab(*args, **kwargs))
            self._reloads.add(reload)
            reload.add_done_callback(_forget(self._reloads))

    return WarmKaleido


def _forget(pending: set[asyncio.Future[None]]) -> Callable[[asyncio.Future[None]], None]:
    def done(task: asyncio.Future[None]) -> None:
        pending.discard(task)
        if not task.cancelled():
            task.exception()  # a failed reload shows up as a timeout on the next render

    return done


CHAR_WIDTH = 6.2
"""Average width of a character of the 11 px note font, in layout pixels."""
LABEL_ROOM = 180
"""Room left of the plot for lane labels, roughly; a note under the plot starts there."""
LEGEND_ROOM = 300
"""Width of the legend beside the plot, roughly."""


def fit_to_page(spec: dict[str, Any], size: ImageSize) -> dict[str, Any]:
    """The figure laid out for a fixed page: nothing cut off at the page's edges.

    The source line under the plot is wrapped to the page's width with room made below
    for its lines, and a legend taller than the plot may run down into the margin rather
    than be cut.
    """
    layout = spec.setdefault("layout", {})
    margin = layout.setdefault("margin", {})
    layout["height"] = size.height
    legend = legend_height(spec)
    tall_legend = legend > 0 and legend > size.height - margin.get("t", 80) - margin.get("b", 80)
    for note in layout.get("annotations", []):
        if note.get("meta") == "credit":
            room = size.width - LABEL_ROOM - (LEGEND_ROOM if tall_legend else 0)
            lines = textwrap.wrap(note.get("text", ""), max(30, int(room / CHAR_WIDTH)))
            note["text"], note["align"] = "<br>".join(lines), "left"
            margin["b"] = max(margin.get("b", 80), -note["yshift"] + 15 * len(lines) + 10)
    if tall_legend:
        layout.setdefault("legend", {})["maxheight"] = size.height - margin.get("t", 80) - 4
    return spec


def printable(spec: dict[str, Any]) -> dict[str, Any]:
    """The figure as it prints to PDF: hatched bands drawn as outlined bands instead.

    Chromium rasterises SVG pattern fills when it prints, which made a one-page chart a
    9 MB PDF that took seconds to render; an outline keeps the page vector and small.
    """
    for trace in spec.get("data", []):
        marker = trace.get("marker") or {}
        pattern = marker.get("pattern") or {}
        if trace.get("type") == "bar" and pattern.get("shape"):
            marker["pattern"] = {}
            marker["line"] = {"width": 1.5, "color": pattern.get("fgcolor", "#555")}
    return spec


_EXPORTER = ImageExporter()
"""One browser per process: every caller shares it, and its lock."""


def image_exporter() -> ImageExporter:
    """The process's image exporter."""
    return _EXPORTER


def check_size(size: ImageSize, fmt: str = "png") -> None:
    """Reject sizes that would make an unreadable or enormous image.

    The pixel cap counts ``scale`` only for a PNG: an SVG or a PDF keeps the layout size.

    Raises:
        ValueError: says which limit the size breaks, and what the limit is.
    """
    for side, value in (("width", size.width), ("height", size.height)):
        if not MIN_SIDE <= value <= MAX_SIDE:
            raise ValueError(f"{side} must be {MIN_SIDE} to {MAX_SIDE} layout pixels, not {value}")
    if not MIN_SCALE <= size.scale <= MAX_SCALE:
        raise ValueError(f"scale must be {MIN_SCALE:g} to {MAX_SCALE:g}, not {size.scale:g}")
    pixels = size.width * size.height * (size.scale**2 if fmt == "png" else 1)
    if pixels > MAX_MEGAPIXELS * 1_000_000:
        raise ValueError(
            f"{size.width} x {size.height} at scale {size.scale:g} is {pixels / 1_000_000:.1f} megapixels: "
            f"at most {MAX_MEGAPIXELS} megapixels; lower the scale or the size"
        )


def size_from_fields(width: Any, height: Any, scale: Any) -> ImageSize:
    """The size typed in the dashboard's fields, checked by :func:`check_size` when rendered.

    Raises:
        ValueError: a field is empty or not a number; the message names it.
    """
    numbers: dict[str, float] = {}
    for name, value in (("width", width), ("height", height), ("scale", scale)):
        if value is None or value == "":
            raise ValueError(f"{name} is missing")
        try:
            numbers[name] = float(value)
        except (TypeError, ValueError):
            numbers[name] = math.nan
        if not math.isfinite(numbers[name]):
            raise ValueError(f"{name} must be a number, not {str(value)[:20]!r}")
    return ImageSize(round(numbers["width"]), round(numbers["height"]), numbers["scale"])


def find_chromium() -> str | None:
    """The Chromium to render with: ``BROWSER_PATH``, else the first browser on PATH."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    return next((found for name in CHROMIUM_CANDIDATES if (found := shutil.which(name))), None)


def format_for(path: str | Path) -> str:
    """The export format a file name asks for: ``chart.svg`` -> ``svg``, ``events.pq`` -> ``parquet``.

    Raises:
        ValueError: the extension names no export format.
    """
    suffix = Path(path).suffix.lower()
    if Path(path).name.lower().endswith(TIMELINEJS_SUFFIX):
        return TIMELINEJS
    if suffix.lstrip(".") in IMAGE_FORMATS:
        return suffix.lstrip(".")
    if suffix in DATA_SUFFIXES:
        return DATA_SUFFIXES[suffix]
    known = ", ".join(sorted({f".{f}" for f in IMAGE_FORMATS} | set(DATA_SUFFIXES) | {TIMELINEJS_SUFFIX}))
    raise ValueError(f"{Path(path).name}: unknown file type {suffix or '(none)'!r}; use one of {known}")


def self_contained(events: pd.DataFrame) -> pd.DataFrame:
    """The events with every relation naming only events among them.

    A filtered table leaves out events that others answer; the schema rejects a reference
    to an id that is not in the table, so without this a filtered export would not load.
    """
    return trimmed_cells(events, set(events["id"]))


def export_view(
    dataset: Dataset,
    filters: Filters,
    fmt: str,
    size: ImageSize = IMAGE_DEFAULTS,
    *,
    window: tuple[int, int] | None = None,
    order: str | None = None,
    selected: str = "",
    connectors: bool = True,
) -> bytes:
    """The filtered view of a dataset as a file: the chart as an image, or the events as data.

    The dashboard and the CLI both export through here, so they draw the same figure and
    write the same rows. A data file holds the schema's columns and loads back as it is;
    its relations keep only the events the file holds (see :func:`self_contained`). An image
    shows the connectors (unless ``connectors`` is false) and the ``selected`` event's thread.

    Raises:
        ExportUnavailableError: an image was asked for and there is no Chromium.
        ValueError: an unknown format, a bad size, or a chart of no events.
    """
    if fmt in IMAGE_FORMATS:
        figure = dataset_figure(
            dataset,
            filters,
            window=window,
            order=order,
            height=size.height,
            bins=max(40, size.width // 5),
            selected=selected,
            connectors=connectors,
        )
        if not figure["layout"]["meta"]["matched"]:
            raise ValueError("no event matches these filters, so there is no chart to export")
        return image_exporter().render(figure, fmt, size)
    if fmt in WRITE_FORMATS:
        return write_data(self_contained(matching(dataset, filters)), fmt)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
