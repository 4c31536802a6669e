"""The scale benchmark: the seed story, 10k, 100k and 1M generated events, and an ICEWS-like set.

Run: ``make bench-scale`` (or ``.venv/bin/python benchmarks/scale_bench.py --sizes seed,10k``).
Each size runs in a process of its own (``scale_measure.py``), so its peak RSS is its own:
load the file, drive the app's figure callback through the real Dash path (initial view, actor
filter, text search, zoom; p50/p95 of repeated calls and the payload sent), time the first draw
in headless Chromium, and build the naive ``px.timeline`` / ``px.scatter`` figures of the same
table for comparison. Prints one markdown table and writes the figures to ``out/bench-scale.json``.

Generated files (``timeline.generate.write_generated``) are written once, as Parquet, to
``out/bench/``, keyed by size, actors, seed and a digest of the generator, and reused;
``--regenerate`` writes them again. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = ROOT / "out" / "bench"
DEFAULT_JSON = ROOT / "out" / "bench-scale.json"
MEASURE = HERE / "scale_measure.py"
QUIET = {**os.environ, "PYTHONWARNINGS": "ignore"}
"""The children's environment: a dependency's FutureWarning is not a result."""


@dataclass(frozen=True)
class Size:
    """One row of the table: generated ``count`` events of ``actors`` actors, or the seed story."""

    key: str
    count: int | None  # None: the default data file
    actors: int = 0
    browser: bool = True
    peer_runs: int = 5
    timeout_s: float = 600


SIZES: dict[str, Size] = {
    s.key: s
    for s in (
        Size("seed", None),
        Size("10k", 10_000, 200),
        Size("100k", 100_000, 2_000),
        Size("1m", 1_000_000, 2_000, peer_runs=3, timeout_s=1200),
        Size("icews", 9_000, 2_000),
    )
}


def generator_version() -> str:
    """A digest of timeline/generate.py: a changed generator writes new files, not stale ones."""
    source = ROOT / "timeline" / "generate.py"
    return hashlib.sha256(source.read_bytes()).hexdigest()[:8] if source.exists() else "missing"


def data_file(size: Size, seed: int, regenerate: bool) -> Path:
    """The size's events file: the seed story, or a cached generated Parquet file."""
    if size.count is None:
        done = subprocess.run(
            [sys.executable, "-c", "from timeline.io import DEFAULT_DATA; print(DEFAULT_DATA)"],
            capture_output=True,
            text=True,
            check=True,
        )
        return Path(done.stdout.strip())
    stem = f"events-{size.count}-a{size.actors}-s{seed}"
    path = CACHE / f"{stem}-{generator_version()}.parquet"
    if path.exists() and not regenerate:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CACHE.glob(f"{stem}-*.parquet"):  # made by an older generator
        stale.unlink()
    partial = path.with_suffix(".partial.parquet")
    print(f"generating {size.count:,} events ({size.actors:,} actors, seed {seed}) -> {path.relative_to(ROOT)}")
    started = time.perf_counter()
    # In a process of its own, like the measurements, so this one stays small (see run_size).
    subprocess.run(
        [sys.executable, __file__, "--generate", str(size.count), str(size.actors), str(seed), str(partial)],
        env=QUIET,
        check=True,
    )
    partial.replace(path)
    print(f"  written in {time.perf_counter() - started:.1f} s")
    return path


def generate(count: int, actors: int, seed: int, path: Path) -> None:
    from timeline.generate import write_generated

    write_generated(path, count, actors=actors, seed=seed)


def run_size(size: Size, data: Path, arguments: argparse.Namespace) -> dict[str, Any]:
    """Measure one size in a fresh interpreter; its result, or why there is none.

    This process imports neither pandas nor the app: on Linux a child's ru_maxrss can start
    from its parent's, so a small parent keeps every size's figure its own.
    """
    result_file = CACHE / f"result-{size.key}.json"
    result_file.parent.mkdir(parents=True, exist_ok=True)
    result_file.unlink(missing_ok=True)
    command = [
        sys.executable,
        str(MEASURE),
        str(data),
        str(result_file),
        "--runs",
        str(arguments.runs),
        "--peer-runs",
        str(size.peer_runs if arguments.peer_runs is None else arguments.peer_runs),
        "--budget",
        str(arguments.budget),
    ]
    if not (size.browser and arguments.browser):
        command.append("--no-browser")
    timeout = arguments.timeout or size.timeout_s
    started = time.perf_counter()
    # A session of its own, so that a timeout also ends the Chromium it started.
    child = subprocess.Popen(
        command, env=QUIET, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        return {"failed": f"timed out after {timeout:.0f} s"}
    wall = time.perf_counter() - started
    if child.returncode != 0 or not result_file.exists():
        tail = (err or out).strip().splitlines()[-1:] or [f"exit {child.returncode}"]
        return {"failed": tail[0][:200], "returncode": child.returncode}
    result: dict[str, Any] = json.loads(result_file.read_text())
    result_file.unlink()
    result["wall_s"] = wall
    return result


# -- the table --------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def _bytes(count: int) -> str:
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if count >= scale:
            return f"{count / scale:,.1f} {unit}"
    return f"{count} B"


def _action(result: dict[str, Any], name: str, runs: int, both: bool = False) -> str:
    action = result.get("actions", {}).get(name)
    if action is None:
        return "—"
    if "skipped" in action:
        return "n/a"
    if action.get("status") != 200:
        return f"HTTP {action['status']}" if action.get("status") else "failed"
    cell = f"{_ms(action['p50_ms'])} / {_ms(action['p95_ms'])}" if both else _ms(action["p95_ms"])
    if set(action.get("statuses", [200])) != {200}:
        cell += f" (HTTP {','.join(map(str, action['statuses']))})"
    return cell + (f" (n={action['n']})" if action["n"] < runs else "")


def _ratio(result: dict[str, Any], peer: str) -> str:
    ours = result.get("actions", {}).get("initial", {}).get("p50_ms")
    theirs = result.get("peers", {}).get(peer, {}).get("p50_ms")
    if not ours or not theirs:
        return "—"
    ratio = theirs / ours
    return f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:.1f}× slower"


def _peer(result: dict[str, Any], peer: str) -> str:
    entry = result.get("peers", {}).get(peer)
    if entry is None:
        return "—"
    return "error" if "error" in entry else _ms(entry["p50_ms"])


def row(size: Size, result: dict[str, Any], runs: int) -> list[str]:
    label = f"{result['events']:,}" if "events" in result else (f"{size.count:,}" if size.count else size.key)
    if size.key in ("seed", "icews"):
        label += f" ({size.key})"
    if "failed" in result:
        return [label, f"{size.actors:,}" if size.actors else "—", f"failed: {result['failed']}", *[""] * 11]
    browser = result.get("browser", {})
    if browser.get("first_draw_s") is not None:
        draw = f"{browser['first_draw_s']:.2f}" + (f" (n={browser['loads']})" if browser["loads"] < 3 else "")
    elif browser.get("timed_out"):
        draw = f"> {browser['timeout_s']:.0f}"
    else:
        draw = "error" if "error" in browser else "—"
    initial = result.get("actions", {}).get("initial", {})
    return [
        label,
        f"{result['actors']:,}",
        f"{result['load_s']:.2f}",
        _action(result, "initial", runs, both=True),
        _action(result, "filter", runs),
        _action(result, "search", runs),
        _action(result, "zoom", runs),
        _bytes(initial["bytes"]) if "bytes" in initial else "—",
        draw,
        f"{result['peak_rss_mb']:,.0f}",
        _peer(result, "px_timeline"),
        _peer(result, "px_scatter"),
        _ratio(result, "px_timeline"),
        _ratio(result, "px_scatter"),
    ]


HEADER = [
    "events",
    "actors",
    "load s",
    "initial p50/p95 ms",
    "filter p95",
    "search p95",
    "zoom p95",
    "payload (initial)",
    "browser first draw s",
    "peak RSS MB",
    "px.timeline ms",
    "px.scatter ms",
    "ours vs px.timeline",
    "ours vs px.scatter",
]


def markdown(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    return "\n".join(lines)


def notes(sizes: list[Size], results: list[dict[str, Any]]) -> list[str]:
    """What the table leaves out: skipped actions, browser readability, console errors."""
    out = []
    for size, result in zip(sizes, results, strict=True):
        for name, action in result.get("actions", {}).items():
            if action.get("n") and action["first_ms"] > 5 * action["p50_ms"] and action["first_ms"] > 100:
                out.append(
                    f"- {size.key}: {name}: the first call took {_ms(action['first_ms'])} ms, "
                    f"the repeats {_ms(action['p50_ms'])} ms (p50): a cold start or a cache"
                )
            if "skipped" in action:
                out.append(f"- {size.key}: {name}: {action['skipped']}")
            elif action.get("status") != 200:
                status = f"HTTP {action['status']}: " if action.get("status") else ""
                out.append(f"- {size.key}: {name}: {status}{action.get('error', '')[:160]}")
        browser = result.get("browser", {})
        if "height" in browser:
            axis = "x axis within the viewport" if browser.get("axisInView") else "x axis NOT within the viewport"
            errors = browser.get("console_errors", 0)
            out.append(
                f"- {size.key}: chart {browser['height']:.0f} px high in a {browser['viewportHeight']} px window, "
                f"{axis}; {errors} console error{'s' if errors != 1 else ''}"
                + (f" (first: {browser['console_messages'][0][:120]})" if errors else "")
            )
        if "error" in browser:
            out.append(f"- {size.key}: browser: {browser['error']}")
    return out


def git_state() -> str:
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "timeline"], capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" + uncommitted changes in timeline/" if dirty else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help=f"comma-separated, of {', '.join(SIZES)}")
    parser.add_argument("--runs", type=int, default=15, help="timed calls per action, after 2 warm-ups")
    parser.add_argument("--peer-runs", type=int, default=None, help="px builds per peer (default 5; 3 at 1m)")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per action before sampling stops")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per size (default 600; 1200 at 1m)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the figures")
    parser.add_argument("--no-browser", dest="browser", action="store_false", help="skip the first-draw timing")
    parser.add_argument("--regenerate", action="store_true", help="write the generated files again")
    parser.add_argument("--generate", nargs=4, metavar=("COUNT", "ACTORS", "SEED", "PATH"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.generate:
        count, actors, seed, path = arguments.generate
        generate(int(count), int(actors), int(seed), Path(path))
        return 0
    keys = [k.strip().lower() for k in arguments.sizes.split(",") if k.strip()]
    unknown = [k for k in keys if k not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    sizes = [SIZES[k] for k in keys]

    results = []
    started = time.perf_counter()
    busy = os.getloadavg()[0]  # other work on the machine skews every figure: say so
    for size in sizes:
        try:
            data = data_file(size, arguments.seed, arguments.regenerate)
        except subprocess.CalledProcessError:
            results.append({"size": size.key, "failed": "the events file could not be made (see above)"})
            continue
        print(f"measuring {size.key} ({data.name}) ...", flush=True)
        result = run_size(size, data, arguments)
        result.update(size=size.key, file=str(data))
        results.append(result)
        print(f"  done in {result.get('wall_s', 0):.0f} s" if "failed" not in result else f"  {result['failed']}")

    roots = {r["app_root"] for r in results if "app_root" in r}
    app = git_state() if roots <= {str(ROOT)} else f"the timeline package in {', '.join(sorted(roots))}"
    print(
        f"\nScale benchmark of {app}: Dash callback via Flask's test client, ms over "
        f"{arguments.runs} calls after 2 warm-ups (fewer, marked n=, when a call is slow); "
        f"px peers: build + to_json, median; browser: median of 3 page loads, 1400×900. "
        f"Load average {busy:.1f} at the start on {os.cpu_count()} CPUs.\n"
    )
    print(markdown(HEADER, [row(s, r, arguments.runs) for s, r in zip(sizes, results, strict=True)]))
    remarks = notes(sizes, results)
    if remarks:
        print("\n" + "\n".join(remarks))
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "app": app,
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_at_start": busy,
        },
        "runs": arguments.runs,
        "seed": arguments.seed,
        "total_s": time.perf_counter() - started,
        "rows": results,
    }
    arguments.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten {arguments.json} in {report['total_s']:.0f} s total")
    return 1 if any("failed" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
