"""Which engine answers a view fastest: numpy arrays, DuckDB through Ibis, or plain pandas.

Run: ``.venv/bin/python benchmarks/engine_bench.py`` (``make bench-scale`` runs it too).
For generated tables of 10k, 100k and 1M events (2,000 actors) it times the whole view
(:func:`timeline.query.build_view`: lanes, mode, marks or density) with the array engine and
with the DuckDB engine, for four actions: the first view, an actor filter, a text search and
a one-month zoom; and, as the naive peer, the same answers computed with pandas the obvious
way (boolean masks, ``str.contains`` on each searched column, ``groupby`` for lanes and bins).
Prints medians in ms; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable

import pandas as pd

from timeline.dataset import Dataset
from timeline.generate import generate_events
from timeline.query import Filters, ViewRequest, build_view
from timeline.schema import validate_events

SIZES = (10_000, 100_000, 1_000_000)
MONTH = (pd.Timestamp("2012-05-01"), pd.Timestamp("2012-06-01"))


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def pandas_view(events: pd.DataFrame, filters: Filters, window: tuple[pd.Timestamp, pd.Timestamp] | None) -> object:
    """The naive peer: the same questions, in pandas, the obvious way."""
    keep = pd.Series(True, index=events.index)
    if filters.actors:
        keep &= events["actor"].isin(filters.actors)
    if filters.text:
        found = pd.Series(False, index=events.index)
        for column in ("title", "summary", "quote", "source_text"):
            found |= events[column].str.contains(filters.text, case=False, regex=False)
        keep &= found
    chosen = events[keep]
    lanes = chosen.groupby("actor").size().sort_values(ascending=False).head(30)
    if window is not None:
        chosen = chosen[(chosen["lo"] < window[1]) & (chosen["hi"] >= window[0])]
    shown = chosen[chosen["actor"].isin(lanes.index)]
    if len(shown) > 5_000:
        start = shown["lo"].min()
        bins = ((shown["lo"] - start) // pd.Timedelta(days=30)).rename("bin")
        return shown.groupby([shown["actor"], bins]).size()
    return shown.to_dict(orient="records")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    warnings.simplefilter("ignore")
    window_ms = tuple(int(t.value // 1_000_000) for t in MONTH)
    print("| events | action | arrays ms | duckdb ms | pandas ms |")
    print("| --- | --- | --- | --- | --- |")
    for size in (int(s) for s in arguments.sizes.split(",")):
        events = validate_events(generate_events(size, actors=2_000, seed=5), file="generated")
        busiest = tuple(events["actor"].value_counts().index[:3])
        actions: dict[str, tuple[Filters, tuple[int, int] | None]] = {
            "first view": (Filters(), None),
            "actor filter": (Filters(actors=busiest), None),
            "text search": (Filters(text="accuses"), None),
            "one-month zoom": (Filters(), (window_ms[0], window_ms[1])),
        }
        engines = {name: Dataset(events, "generated", engine_choice=name) for name in ("arrays", "duckdb")}
        for dataset in engines.values():
            dataset.engine  # noqa: B018  built once, as the server does at start
        for label, (filters, window) in actions.items():
            figures = {
                name: median_ms(
                    lambda d=dataset, f=filters, w=window: build_view(d, ViewRequest(filters=f, window=w, rows=30)),
                    arguments.runs,
                )
                for name, dataset in engines.items()
            }
            pandas_window = MONTH if window else None
            naive = median_ms(
                lambda e=events, f=filters, w=pandas_window: pandas_view(e, f, w), max(3, arguments.runs // 2)
            )
            row = f"| {size:,} | {label} | {figures['arrays']:.1f} | {figures['duckdb']:.1f} | {naive:.1f} |"
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
