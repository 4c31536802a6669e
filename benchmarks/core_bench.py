"""Load, filter and draw at growing sizes: how the shared pipeline scales.

Run: ``.venv/bin/python benchmarks/core_bench.py`` (or ``make bench``). Prints a table of
median wall times over several runs; nothing is asserted.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections.abc import Callable

from timeline.figures import timeline_figure, transport
from timeline.formats import write
from timeline.io import read_events
from timeline.query import Filters, apply_filters

SIZES = (100, 1_000, 10_000, 50_000)
RUNS = 5
KINDS = ("action", "statement", "claim", "denial", "report")
SIDES = ("Russia", "Ukraine", "SpaceX / Musk", "Media", "United States", "European Union")


def synthetic_csv(count: int, seed: int = 7) -> bytes:
    """A realistic-looking events CSV: 40 actors in 6 sides, mixed precisions, some spans."""
    rng = random.Random(seed)
    actors = [(f"Actor {i:02d}", SIDES[i % len(SIDES)]) for i in range(40)]
    lines = ["id,start,end,precision,approximate,date_text,actor,side,kind,title,summary,quote,source"]
    for i in range(count):
        actor, side = rng.choice(actors)
        year, month, day = rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)
        shape = rng.random()
        if shape < 0.7:
            start, end, precision = f"{year}-{month:02d}-{day:02d}", "", "day"
        elif shape < 0.85:
            start, end, precision = f"{year}-{month:02d}", "", "month"
        elif shape < 0.9:
            start, end, precision = f"{year}", "", "year"
        else:
            start, end, precision = f"{year}-{month:02d}-{day:02d}", f"{year + 1}-{month:02d}-{day:02d}", "day"
        words = " ".join(
            rng.choice(("Starlink", "terminal", "report", "denied", "claim", "drone", "Crimea")) for _ in range(12)
        )
        lines.append(
            f"e{i},{start},{end},{precision},false,on a day,{actor},{side},{rng.choice(KINDS)},"
            f'Event {i},"{words}","{words[:40]}",synthetic'
        )
    return ("\n".join(lines) + "\n").encode()


def median_seconds(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(size: int) -> tuple[float, ...]:
    """Median seconds of each pipeline step on ``size`` synthetic events."""
    data = synthetic_csv(size)
    events = read_events(data, "bench.csv").events
    text_filter = Filters(text="crimea drone")
    narrow = Filters(actors=("Actor 01", "Actor 02"), kinds=("denial",))
    runs = RUNS if size <= 10_000 else 3
    return (
        size,
        median_seconds(lambda: read_events(data, "bench.csv"), runs),
        median_seconds(lambda: apply_filters(events, text_filter), runs),
        median_seconds(lambda: apply_filters(events, narrow), runs),
        median_seconds(lambda: timeline_figure(events), runs),
        median_seconds(lambda: json.dumps(transport(timeline_figure(events))), runs),
        median_seconds(lambda: write(events, "csv"), runs),
    )


def main() -> None:
    rows = [measure(size) for size in SIZES]
    header = (
        "events",
        "load+validate CSV",
        "text filter",
        "actor+kind filter",
        "build figure",
        "figure + JSON",
        "write CSV",
    )
    widths = [max(len(h), 10) for h in header]
    print("Core pipeline, median seconds (" + sys.platform + f", {RUNS} runs; 3 at 50k)")
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        cells = [f"{row[0]:,}"] + [f"{v:.3f}" for v in row[1:]]
        print("  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))


if __name__ == "__main__":
    main()
