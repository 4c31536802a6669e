"""The threads benchmark: indexing and checking the links, a thread, and a view with its
connectors, on the seed story and on generated tables, against a naive peer.

Run: ``make bench-threads`` (or ``.venv/bin/python benchmarks/threads_bench.py --sizes 100k``).

The naive peer is what a first version would write: a dict from each id to the ids it names,
built by splitting every relation cell in Python, and a breadth-first walk over it both ways.
Each figure is the median of several runs, in seconds; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import pandas as pd

from timeline.dataset import Dataset
from timeline.generate import generate_events
from timeline.io import DEFAULT_DATA, load_events
from timeline.query import Filters, ViewRequest, build_view
from timeline.schema import validate_events
from timeline.threads import RELATION_NAMES, Links, link_problems, split_ids

SIZES = {"seed": 0, "100k": 100_000, "1M": 1_000_000}


def median_time(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def naive_thread(events: pd.DataFrame, event_id: str) -> set[str]:
    """The peer: adjacency dicts from every cell, split in Python, then a walk both ways."""
    forward: dict[str, list[str]] = {}
    backward: dict[str, list[str]] = {}
    for row in events[["id", *RELATION_NAMES]].itertuples(index=False):
        for cell in row[1:]:
            for target in split_ids(cell):
                forward.setdefault(row[0], []).append(target)
                backward.setdefault(target, []).append(row[0])
    found = {event_id}
    for graph in (forward, backward):
        queue = deque([event_id])
        seen = {event_id}
        while queue:
            for nxt in graph.get(queue.popleft(), []):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        found |= seen
    return found


def dataset_of(size: str) -> Dataset:
    if size == "seed":
        return load_events(DEFAULT_DATA)
    table = generate_events(SIZES[size], actors=2_000 if SIZES[size] >= 1_000_000 else 200, seed=0)
    return Dataset(validate_events(table, file=f"{size}.csv"), f"{size}.csv")


def measure(size: str, runs: int) -> dict[str, Any]:
    dataset = dataset_of(size)
    events = dataset.events
    links = dataset.links
    counts = pd.Series(links.target).value_counts()
    busiest = int(counts.index[0])
    event_id = str(events["id"].iloc[busiest])
    ours = set(events["id"].iloc[links.thread(busiest)])
    assert ours == naive_thread(events, event_id), "the peer and the tool find the same thread"
    cells = {name: events[name] for name in RELATION_NAMES}
    plain = ViewRequest(rows=30, bins=300, crowding=1.0)
    thread_view = ViewRequest(filters=Filters(thread=event_id), rows=30, bins=300, crowding=1.0, selected=event_id)
    return {
        "size": size,
        "events": len(events),
        "links": len(links),
        "thread events": len(ours),
        "check links (load)": median_time(lambda: link_problems(events["id"], cells), runs),
        "index links": median_time(lambda: Links.of(events), runs),
        "thread": median_time(lambda: links.thread(busiest), runs * 5),
        "thread, naive peer": median_time(lambda: naive_thread(events, event_id), max(1, runs // 2)),
        "view": median_time(lambda: build_view(dataset, plain), runs),
        "thread view, selected": median_time(lambda: build_view(dataset, thread_view), runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated: " + ", ".join(SIZES))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = [measure(size.strip(), args.runs) for size in args.sizes.split(",") if size.strip()]
    columns = [
        "check links (load)",
        "index links",
        "thread",
        "thread, naive peer",
        "view",
        "thread view, selected",
    ]
    print("| size | events | links | thread's events | " + " | ".join(columns) + " |")
    print("| --- " * (4 + len(columns)) + "|")
    for row in rows:
        figures = " | ".join(f"{row[c] * 1000:,.1f} ms" for c in columns)
        print(f"| {row['size']} | {row['events']:,} | {row['links']:,} | {row['thread events']:,} | {figures} |")


if __name__ == "__main__":
    main()
