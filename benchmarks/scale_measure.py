"""One size of ``scale_bench.py``, measured in a process of its own (so its peak RSS is its own).

Run by ``scale_bench.py`` as ``python benchmarks/scale_measure.py DATA RESULT.json [options]``;
writes every figure it measured to ``RESULT.json``. In order: load the file, drive the app's
figure callback through Flask's test client (initial view, actor filter, text search, zoom),
time the browser's first draw in headless Chromium (``browser_draw.py``), note the peak RSS,
then build the naive plotly express figures of the same table for comparison.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import re
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from browser_draw import first_draw
from dash_driver import CallbackDriver, Response, figure_of, figure_summary

import timeline
from timeline.app import create_app
from timeline.io import load_events

FIGURE = "timeline-graph.figure"
ACTORS = "filter-actors.value"
SEARCH = "filter-search.value"
RELAYOUT = "timeline-graph.relayoutData"
VIEWPORT = {"width": 1400, "height": 900}
"""A laptop screen, for a store of the page's size."""


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile, ``q`` in 0..100."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def sample(action: Callable[[], float], runs: int, warmups: int, budget: float) -> list[float]:
    """Seconds of ``runs`` calls after ``warmups``; stops early once ``budget`` seconds are spent
    (at least one timed call), so that a slow size keeps the whole run bounded."""
    spent = 0.0
    for i in range(warmups):
        spent += action()
        if i == 0 and spent > budget / 4:
            break  # a slow call: one warm-up is enough
    times: list[float] = []
    while len(times) < runs and (not times or spent < budget):
        took = action()
        times.append(took)
        spent += took
    return times


def probes(events: pd.DataFrame) -> dict[str, Any]:
    """What the actions ask for: the 3 busiest actors, a common title word, a month mid-data."""
    busiest = [str(a) for a in events["actor"].value_counts().head(3).index]
    titles = events["title"]
    if len(titles) > 200_000:
        titles = titles.sample(200_000, random_state=0)
    words: Counter[str] = Counter()
    for title in titles:
        words.update(w for w in re.findall(r"[^\W\d_]+", str(title).casefold()) if len(w) > 4)
    word = words.most_common(1)[0][0] if words else ""
    middle = pd.Timestamp(events["lo"].quantile(0.5))
    start = middle - pd.Timedelta(days=15)
    end = start + pd.Timedelta(days=30)
    return {
        "actors": busiest,
        "word": word,
        "zoom": [start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S")],
    }


Action = Callable[[], Response]


def zoom_chain(app: Any, figure: CallbackDriver, base: dict[str, Any], relayout: dict[str, Any]) -> Action | str:
    """A zoom as the page makes it: the figure callback given ``relayoutData``, or, when the app
    reads it in another callback first (into a window store, say), that callback and then the
    figure callback fed with what it wrote. The reason it cannot be done, as text."""
    if figure.takes(RELAYOUT):
        return lambda: figure.call({**base, RELAYOUT: relayout}, [RELAYOUT])
    upstream = [d for d in CallbackDriver.reading(app, RELAYOUT) if d.output_key != figure.output_key]
    if not upstream:
        return f"no server-side callback reads {RELAYOUT}"

    def chained() -> Response:
        spent, fed = 0.0, {}
        for driver in upstream:
            answer = driver.call({**base, RELAYOUT: relayout}, [RELAYOUT])
            spent += answer.seconds
            if answer.status not in (200, 204):  # 204: the callback let this one pass
                return Response(answer.status, answer.body, spent)
            fed.update({k: v for k, v in answer.updates().items() if figure.takes(k)})
        if not fed:
            return Response(0, b"the zoom reached no input of the figure callback", spent)
        drawn = figure.call({**base, **fed}, sorted(fed))
        return Response(drawn.status, drawn.body, spent + drawn.seconds)

    return chained


def drive_callbacks(
    app: Any, probe: dict[str, Any], runs: int, warmups: int, budget: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The four actions through the real callback path: timings, status and payload of each."""
    figure = CallbackDriver.writing(app, FIGURE)
    base: dict[str, Any] = {p: VIEWPORT for p in figure.viewport_ids() if figure.initial[p] is None}
    relayout = {"xaxis.range[0]": probe["zoom"][0], "xaxis.range[1]": probe["zoom"][1]}

    def change(prop_id: str, value: Any) -> Action | str:
        if not figure.takes(prop_id):
            return f"{prop_id} is not an input of the figure callback"
        return lambda: figure.call({**base, prop_id: value}, [prop_id])

    actions: dict[str, Action | str] = {
        "initial": lambda: figure.call(base, []),
        "filter": change(ACTORS, probe["actors"]),
        "search": change(SEARCH, probe["word"]),
        "zoom": zoom_chain(app, figure, base, relayout),
    }
    results: dict[str, Any] = {}
    for name, action in actions.items():
        if isinstance(action, str):
            results[name] = {"skipped": action}
            continue
        results[name] = measure_action(action, runs, warmups, budget)
    setup = {
        "callback": figure.output_key,
        "inputs": [figure.prop_id(d) for d in figure.inputs],
        "state": [figure.prop_id(d) for d in figure.state],
        "viewport_inputs": sorted(base),
    }
    return results, setup


def measure_action(action: Action, runs: int, warmups: int, budget: float) -> dict[str, Any]:
    """Status, payload and p50/p95 of one action; a failed first call is reported, not timed."""
    first = action()
    result: dict[str, Any] = {
        "status": first.status,
        "bytes": len(first.body),
        "gzip_bytes": len(gzip.compress(first.body, 6)) if first.status == 200 else None,
    }
    if first.status != 200:
        result["error"] = first.body[:300].decode("utf-8", "replace")
        return result
    result["figure"] = figure_summary(figure_of(first.json(), FIGURE))
    statuses: set[int] = {first.status}

    def once() -> float:
        answer = action()
        statuses.add(answer.status)
        return answer.seconds

    # The first call is the first warm-up (enough of one when it is slow); without warm-ups,
    # or when it alone used up the budget, it is the only sample.
    if first.seconds >= budget:
        times = [first.seconds]
    else:
        warm = max(warmups - 1, 0) if first.seconds < budget / 4 else 0
        rest = sample(once, runs if warmups else runs - 1, warm, budget)
        times = rest if warmups else [first.seconds, *rest]
    result.update(
        first_ms=1000 * first.seconds,
        n=len(times),
        p50_ms=1000 * percentile(times, 50),
        p95_ms=1000 * percentile(times, 95),
        statuses=sorted(statuses),
    )
    return result


def px_peers(events: pd.DataFrame, runs: int, budget: float) -> dict[str, Any]:
    """The naive plotly express figures of the same table: build + ``to_json``, median seconds."""
    import plotly.express as px

    table = events.assign(hi_end=events["hi"] + pd.Timedelta(days=1))
    peers: dict[str, Callable[[], Any]] = {
        "px_timeline": lambda: px.timeline(table, x_start="lo", x_end="hi_end", y="actor", color="side"),
        "px_scatter": lambda: px.scatter(table, x="lo", y="actor", color="side", symbol="kind"),
    }
    out: dict[str, Any] = {}
    for name, build in peers.items():
        sizes: list[int] = []

        def once(build: Callable[[], Any] = build, sizes: list[int] = sizes) -> float:
            started = time.perf_counter()
            text = build().to_json()
            took = time.perf_counter() - started
            sizes.append(len(text))
            del text
            gc.collect()
            return took

        try:
            times = sample(once, runs, 0, budget)
        except Exception as error:  # a peer that cannot draw this table is a result, not a crash
            out[name] = {"error": f"{type(error).__name__}: {error}"[:200]}
            continue
        out[name] = {"n": len(times), "p50_ms": 1000 * statistics.median(times), "json_bytes": sizes[-1]}
    return out


def peak_rss_mb() -> float:
    """This process's peak resident set so far, in MB (Linux counts KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure(arguments: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {"rss_at_start_mb": peak_rss_mb(), "app_root": str(Path(timeline.__file__).parent.parent)}
    started = time.perf_counter()
    dataset = load_events(arguments.data)
    result["load_s"] = time.perf_counter() - started
    events = dataset.events
    result["events"] = len(events)
    result["actors"] = int(events["actor"].nunique())
    result["probes"] = probe = probes(events)
    # Only what the peers draw stays, so the app's copy of the table is not counted twice.
    peer_table = events[["lo", "hi", "actor", "side", "kind"]].copy()
    del dataset, events
    gc.collect()

    started = time.perf_counter()
    app = create_app(arguments.data)
    result["create_app_s"] = time.perf_counter() - started
    stage = time.perf_counter()
    result["actions"], result["callback"] = drive_callbacks(
        app, probe, arguments.runs, arguments.warmups, arguments.budget
    )
    result["callbacks_wall_s"], stage = time.perf_counter() - stage, time.perf_counter()
    result["browser"] = (
        first_draw(app, arguments.loads, arguments.browser_timeout) if arguments.browser else {"skipped": "off"}
    )
    result["browser_wall_s"], stage = time.perf_counter() - stage, time.perf_counter()
    result["peak_rss_mb"] = peak_rss_mb()  # the app's own: before the peers run
    result["peers"] = px_peers(peer_table, arguments.peer_runs, arguments.budget)
    result["peers_wall_s"] = time.perf_counter() - stage
    result["peak_rss_with_peers_mb"] = peak_rss_mb()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmups", type=int, default=2)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per action before sampling stops")
    parser.add_argument("--peer-runs", type=int, default=5)
    parser.add_argument("--loads", type=int, default=3, help="browser page loads")
    parser.add_argument("--browser-timeout", type=float, default=60.0, help="seconds per page load")
    parser.add_argument("--no-browser", dest="browser", action="store_false")
    arguments = parser.parse_args()
    arguments.result.write_text(json.dumps(measure(arguments), indent=2))


if __name__ == "__main__":
    main()
