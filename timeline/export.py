"""Figure -> PNG, SVG or PDF bytes through one warm, locked kaleido/Chromium; events -> data files.

Kaleido's shared server is a process-wide singleton that is not thread-safe (answers went
to the wrong caller in tests), and Dash runs callbacks in threads, so every render goes
through one lock. Starting Chromium costs about 1.5 s, so it starts once and stays warm.
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from timeline.dataset import Dataset
from timeline.figures import dataset_figure
from timeline.formats import DATA_FORMATS
from timeline.formats import write as write_data
from timeline.query import Filters, apply_filters

IMAGE_FORMATS = ("png", "svg", "pdf")
MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = (
    "Image export needs Chromium, which was not found. Install it (Debian/Ubuntu: "
    "`sudo apt-get install chromium`), or point BROWSER_PATH at a Chrome or Chromium binary. "
    "The chart toolbar's camera button still downloads a PNG from the browser."
)


@dataclass(frozen=True)
class ImageSize:
    """Pixel size of an exported image: ``width`` x ``height`` layout pixels times ``scale``."""

    width: int = 1600
    height: int = 900
    scale: float = 2.0


IMAGE_DEFAULTS = ImageSize()
"""16:9 for slides; at scale 2 it is 3200 x 1800 pixels, sharp on an A4 page at 300 dpi."""


class ExportUnavailableError(RuntimeError):
    """Images cannot be rendered here; the message says how to fix it."""


class ImageExporter:
    """Renders figures with one Chromium kept warm, one render at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = False

    def _start(self) -> None:
        if self._started:
            return
        if not find_chromium():
            raise ExportUnavailableError(INSTALL_HINT)
        import kaleido

        pio.defaults.headers = None  # kaleido 1.x ignores them and warns on every call
        try:
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        except Exception as error:
            raise ExportUnavailableError(f"Chromium did not start for image export: {error}") from error
        self._started = True
        atexit.register(self.close)

    def close(self) -> None:
        """Stop the warm Chromium (it restarts on the next render)."""
        with self._lock:
            if self._started:
                import kaleido

                kaleido.stop_sync_server(silence_warnings=True)
                self._started = False

    def render(self, fig: go.Figure, fmt: str, size: ImageSize = IMAGE_DEFAULTS) -> bytes:
        """The figure as ``png``, ``svg`` or ``pdf`` bytes at ``size``.

        Raises:
            ExportUnavailableError: no Chromium to render with.
            ValueError: an unknown format or a size out of range.
        """
        if fmt not in IMAGE_FORMATS:
            raise ValueError(f"unknown image format {fmt!r}; use one of {', '.join(IMAGE_FORMATS)}")
        check_size(size)
        with self._lock:
            self._start()
            image: bytes = pio.to_image(
                fig, format=fmt, width=size.width, height=size.height, scale=size.scale, validate=False
            )
            return image


_EXPORTER = ImageExporter()
"""Kaleido's server is one per process, so its guard is too."""


def image_exporter() -> ImageExporter:
    """The process's image exporter."""
    return _EXPORTER


def check_size(size: ImageSize) -> None:
    """Reject sizes that would make an unreadable or enormous image."""
    if not (100 <= size.width <= 10000 and 100 <= size.height <= 10000):
        raise ValueError(f"width and height must be 100 to 10000 pixels, not {size.width} x {size.height}")
    if not 0.1 <= size.scale <= 10:
        raise ValueError(f"scale must be 0.1 to 10, not {size.scale}")


def find_chromium() -> str | None:
    """The Chromium kaleido will use: ``BROWSER_PATH``, else the first browser on PATH."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if Path(explicit).exists() else None
    return next((found for name in CHROMIUM_CANDIDATES if (found := shutil.which(name))), None)


def export_view(dataset: Dataset, filters: Filters, fmt: str, size: ImageSize = IMAGE_DEFAULTS) -> bytes:
    """The filtered view of a dataset as a file: the chart as an image, or the events as data.

    The dashboard and the CLI both export through here, so they draw the same figure.
    """
    if fmt in IMAGE_FORMATS:
        return image_exporter().render(dataset_figure(dataset, filters), fmt, size)
    if fmt in DATA_FORMATS:
        return write_data(apply_filters(dataset.events, filters), fmt)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join((*IMAGE_FORMATS, *DATA_FORMATS))}")
