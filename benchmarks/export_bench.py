"""Image export of the default data, cold and warm, for PNG, SVG and PDF.

Run: ``.venv/bin/python benchmarks/export_bench.py`` (or ``make bench``). Prints a table of
median wall times; nothing is asserted.

- cold: the first export in a fresh process, Chromium's start included (imports and data
  loading are not); one subprocess per sample.
- warm: exports back to back once Chromium runs, as a CLI batch makes them: build the
  figure for the filters and render it (``export_view``).
- one click: a single render of a built figure after a pause, as a dashboard click makes it
  (the page reload kaleido does after each render has finished by then).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from timeline.export import IMAGE_DEFAULTS, IMAGE_FORMATS, export_view, image_exporter
from timeline.figures import dataset_figure
from timeline.io import DEFAULT_DATA, load_events
from timeline.query import Filters

COLD_SAMPLES = 3
WARM_RUNS = 12
PAUSE_SECONDS = 0.5
TARGET_WARM_SECONDS = 0.5


def cold_once(fmt: str) -> float:
    """Seconds of the first export in this process (Chromium starts inside it)."""
    dataset = load_events(DEFAULT_DATA)
    started = time.perf_counter()
    export_view(dataset, Filters(), fmt)
    return time.perf_counter() - started


def cold(fmt: str) -> list[float]:
    """Cold samples, each in a fresh interpreter."""
    samples = []
    for _ in range(COLD_SAMPLES):
        done = subprocess.run([sys.executable, __file__, "--cold", fmt], capture_output=True, text=True, check=True)
        samples.append(float(done.stdout.strip().splitlines()[-1]))
    return samples


def warm(fmt: str) -> tuple[list[float], list[float], int]:
    """Back-to-back exports and single renders after a pause, Chromium warm; the file's size."""
    dataset = load_events(DEFAULT_DATA)
    exporter = image_exporter()
    size = len(export_view(dataset, Filters(), fmt))  # warms the browser
    exports, renders = [], []
    for _ in range(WARM_RUNS):
        started = time.perf_counter()
        export_view(dataset, Filters(), fmt)
        exports.append(time.perf_counter() - started)
    figure = dataset_figure(dataset, Filters())
    for _ in range(WARM_RUNS):
        time.sleep(PAUSE_SECONDS)
        started = time.perf_counter()
        exporter.render(figure, fmt)
        renders.append(time.perf_counter() - started)
    return exports, renders, size


def main() -> None:
    header = ("format", "cold median", "cold range", "warm median", "warm p90", "one click", "bytes", "target")
    rows = []
    for fmt in IMAGE_FORMATS:
        cold_samples = cold(fmt)
        exports, renders, size = warm(fmt)
        warm_median = statistics.median(exports)
        rows.append(
            (
                fmt.upper(),
                f"{statistics.median(cold_samples):.2f} s",
                f"{min(cold_samples):.2f}-{max(cold_samples):.2f}",
                f"{warm_median:.3f} s",
                f"{statistics.quantiles(exports, n=10)[-1]:.3f} s",
                f"{statistics.median(renders):.3f} s",
                f"{size:,}",
                "ok" if warm_median < TARGET_WARM_SECONDS else f"over {TARGET_WARM_SECONDS} s",
            )
        )
    image_exporter().close()
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    default = IMAGE_DEFAULTS
    print(
        f"Image export of the default data at {default.width}x{default.height}, scale {default.scale:g} "
        f"(cold: {COLD_SAMPLES} fresh processes; warm: median of {WARM_RUNS} back-to-back exports)"
    )
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", metavar="FORMAT", help="print one cold sample of FORMAT (internal)")
    arguments = parser.parse_args()
    if arguments.cold:
        print(f"{cold_once(arguments.cold):.4f}")
    else:
        main()
