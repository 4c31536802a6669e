"""Load test: simulated readers drive a real ``timeline serve --workers N`` over loopback,
as a browser does (page, layout, dependencies, then callbacks), and a table of throughput,
p50/p95 and errors per action is printed.

    python benchmarks/load_test.py [--users 20] [--duration 60] [--workers 2] [--threads 4] [--hostile 4]

With ``--hostile N``, N attackers join the readers, each sending in turn the cases of the
hostile-input issue (see hostile_files.py): an xlsx of three events that declares a
16,384-column by 1,048,576-row sheet, a Parquet of ten million rows, a CSV of 200,000
invalid rows, and a 10 MB figure request listing 900,000 actor names. An attack counts as
handled when it is refused (413, or the upload's clear message) or, for the xlsx, read as
the three events it holds; the readers' rows show what everyone else saw meanwhile.

Run as a script, it starts the server on a free loopback port (uploads in a temporary
directory), waits for /healthz, runs locust headless against it (this same file is the
locustfile) and stops the server. Nothing but 127.0.0.1 is ever addressed. Locust's exit
status is kept: non-zero when any request failed.
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import hostile_files  # noqa: E402
from dash_driver import UPDATE_URL, CallbackDriver  # noqa: E402

from timeline.app import ids  # noqa: E402

VIEWPORT = {"width": 1400, "height": 900}
"""A laptop screen, for the store of the page's size."""
ACTIONS = {
    "GET /": "page",  # locust's names -> the table's
    "GET /_dash-layout": "layout",
    "GET /_dash-dependencies": "dependencies",
    "figure: first view": "figure, first view",
    "figure: filter": "figure, actor filter",
    "figure: search": "figure, text search",
    "window: zoom": "zoom: the window callback",
    "figure: zoom": "zoom: the figure for the window",
    "detail: marker click": "marker click (details)",
    "hostile: xlsx dimension bomb": "attack: 5 KB xlsx declaring A1:XFD1048576 (read as its 3 events)",
    "hostile: parquet 10M rows": "attack: 134 KB Parquet of 10M rows",
    "hostile: csv 200k invalid rows": "attack: 5 MB CSV of 200k invalid rows",
    "hostile: 900k actor names": "attack: 10 MB figure request, 900k actor names",
}
HOSTILE_USERS_ENV = "TIMELINE_LOAD_HOSTILE"


class Payloads:
    """Callback requests built from the app's own callback map (as the renderer builds them)."""

    def __init__(self) -> None:
        from timeline.app import create_app
        from timeline.io import DEFAULT_DATA, load_events

        with tempfile.TemporaryDirectory() as uploads:
            app = create_app(DEFAULT_DATA, upload_dir=uploads)
        events = load_events(DEFAULT_DATA).events
        self.actors = sorted(events["actor"].unique())
        self.rows = len(events)
        self.figure = CallbackDriver.writing(app, f"{ids.GRAPH}.figure")
        self.detail = CallbackDriver.writing(app, f"{ids.DETAIL}.children")
        self.window = CallbackDriver.writing(app, f"{ids.WINDOW}.data")
        self.upload = CallbackDriver.writing(app, f"{ids.DATASET}.data")
        self.base = {p: VIEWPORT for p in self.figure.viewport_ids() if self.figure.initial[p] is None}
        self.bombs = {
            "hostile: xlsx dimension bomb": ("bomb.xlsx", hostile_files.xlsx_dimension_bomb()),
            "hostile: parquet 10M rows": ("bomb.parquet", hostile_files.parquet_rows_bomb()),
            "hostile: csv 200k invalid rows": ("bad.csv", hostile_files.invalid_rows_csv()),
        }
        self.giant = json.dumps(
            self.figure_body({f"{ids.ACTORS}.value": hostile_files.many_names()}, [f"{ids.ACTORS}.value"])
        )

    def upload_body(self, name: str, data: bytes) -> dict[str, Any]:
        contents = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
        prop = f"{ids.UPLOAD_PENDING}.data"
        return self.upload.body({prop: {"filename": name, "contents": contents}}, [prop])

    def figure_body(self, values: dict[str, Any], changed: list[str]) -> dict[str, Any]:
        return self.figure.body({**self.base, **values}, changed)


PAYLOADS: Payloads | None = None


def payloads() -> Payloads:
    global PAYLOADS
    if PAYLOADS is None:
        PAYLOADS = Payloads()
    return PAYLOADS


class Reader(HttpUser):
    """One reader: opens the page, then filters, searches, zooms and clicks markers."""

    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.calls = payloads()
        self.client.get("/", name="GET /")
        self.client.get("/_dash-layout", name="GET /_dash-layout")
        self.client.get("/_dash-dependencies", name="GET /_dash-dependencies")
        self.post("figure: first view", self.calls.figure_body({}, []))

    def post(self, name: str, body: dict[str, Any]) -> Any:
        with self.client.post(UPDATE_URL, json=body, name=name, catch_response=True) as answer:
            if answer.status_code in (200, 204):  # 204: the callback let this change pass
                answer.success()
            else:
                answer.failure(f"HTTP {answer.status_code}: {answer.error or answer.text[:200]}")
            return answer

    @task(4)
    def filter(self) -> None:
        actors = random.sample(self.calls.actors, k=random.randint(1, min(3, len(self.calls.actors))))
        prop = f"{ids.ACTORS}.value"
        self.post("figure: filter", self.calls.figure_body({prop: actors}, [prop]))

    @task(2)
    def search(self) -> None:
        prop = f"{ids.SEARCH}.value"
        word = random.choice(["Starlink", "Musk", "Ukraine", "denied", "terminals"])
        self.post("figure: search", self.calls.figure_body({prop: word}, [prop]))

    @task(2)
    def zoom(self) -> None:
        relayout = {"xaxis.range[0]": "2022-06-01", "xaxis.range[1]": f"2023-{random.randint(1, 12):02d}-01"}
        prop = f"{ids.GRAPH}.relayoutData"
        answer = self.post("window: zoom", self.calls.window.body({prop: relayout}, [prop]))
        if answer.status_code != 200:
            return
        window = answer.json().get("response", {}).get(ids.WINDOW, {}).get("data")
        store = f"{ids.WINDOW}.data"
        self.post("figure: zoom", self.calls.figure_body({store: window}, [store]))

    @task(3)
    def click_marker(self) -> None:
        prop = f"{ids.GRAPH}.clickData"
        click = {"points": [{"customdata": random.randrange(self.calls.rows)}]}
        self.post("detail: marker click", self.calls.detail.body({prop: click}, [prop]))


class Attacker(HttpUser):
    """One attacker: sends the hostile cases in turn, as fast as they are refused."""

    wait_time = between(0.2, 0.5)
    fixed_count = int(os.environ.get(HOSTILE_USERS_ENV, "0") or 0)

    def on_start(self) -> None:
        self.calls = payloads()

    @task
    def upload_bomb(self) -> None:
        label = random.choice(list(self.calls.bombs))
        name, data = self.calls.bombs[label]
        body = json.dumps(self.calls.upload_body(name, data))
        headers = {"Content-Type": "application/json"}
        with self.client.post(UPDATE_URL, data=body, headers=headers, name=label, catch_response=True) as answer:
            refused = answer.status_code == 413 or (
                answer.status_code == 200 and '"token"' not in answer.text and "was not loaded" in answer.text
            )
            # The xlsx declares a huge sheet but holds three events: it is read as what it holds.
            held = f"Showing {name}: 3 events"
            defused = name.endswith(".xlsx") and answer.status_code == 200 and held in answer.text
            if refused or defused:
                answer.success()
            else:
                answer.failure(f"neither refused nor read as it is: HTTP {answer.status_code} {answer.text[:200]}")

    @task
    def giant_request(self) -> None:
        headers = {"Content-Type": "application/json"}
        name, body = "hostile: 900k actor names", self.calls.giant
        with self.client.post(UPDATE_URL, data=body, headers=headers, name=name, catch_response=True) as answer:
            if answer.status_code == 413:
                answer.success()
            else:
                answer.failure(f"not refused: HTTP {answer.status_code}")


# --- running it -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
                if json.loads(answer.read()).get("status") == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not become healthy")


def table(stats_csv: Path, readers_only: bool = False) -> str:
    """The locust stats as a markdown table: requests, throughput, p50, p95 and errors per
    action. ``readers_only``: the "all" row sums the readers' requests, not the attacks."""
    order = [*ACTIONS, "Aggregated"]
    rows = sorted(
        csv.DictReader(stats_csv.open(encoding="utf-8")),
        key=lambda r: order.index(r["Name"]) if r["Name"] in order else len(order) - 1,
    )
    if readers_only:
        rows = [r for r in rows if r["Name"] != "Aggregated"]
    lines = [
        "| action | requests | req/s | p50 ms | p95 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        label = ACTIONS.get(name, name)
        lines.append(
            f"| {label} | {row['Request Count']} | {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} "
            f"| {row['Failure Count']} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--hostile", type=int, default=0, help="attackers beside the readers")
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as scratch:
        server = subprocess.Popen(
            [sys.executable, "-m", "timeline", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(args.workers), "--threads", str(args.threads), "--upload-dir", f"{scratch}/uploads"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={k: v for k, v in os.environ.items() if not k.startswith("TIMELINE_AUTH_")},
        )  # fmt: skip
        try:
            wait_healthy(url)
            prefix = Path(scratch) / "stats"
            users = args.users + args.hostile
            classes = ["Reader", "Attacker"] if args.hostile else ["Reader"]
            locust = subprocess.run(
                [sys.executable, "-m", "locust", "-f", __file__, "--headless", "-u", str(users),
                 "-r", str(users), "-t", f"{args.duration}s", "--host", url, "--only-summary",
                 "--csv", str(prefix), "--loglevel", "WARNING", *classes],
                check=False, capture_output=True, text=True,
                env={**os.environ, HOSTILE_USERS_ENV: str(args.hostile)},
            )  # fmt: skip
            attackers = f" and {args.hostile} attackers" if args.hostile else ""
            print(
                f"{args.users} readers{attackers} for {args.duration} s against timeline serve --workers "
                f"{args.workers} --threads {args.threads} (the seed story, loopback, {os.cpu_count()} cores):\n"
            )
            print(table(Path(f"{prefix}_stats.csv"), readers_only=bool(args.hostile)))
            if locust.returncode:
                print("\nlocust reported failures:\n" + locust.stderr[-4000:], file=sys.stderr)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    return locust.returncode


if __name__ == "__main__":
    sys.exit(main())
