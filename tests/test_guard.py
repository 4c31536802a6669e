"""Request limits per route (timeline/app/guard.py) and list caps, against a live server:
a giant callback body is refused in milliseconds without growing the server, eight at once
leave ``GET /`` answering, the upload callback still takes a real 4 MB file, and lists hold
no more choices than the data has. Run with ``-s`` to see the numbers."""

from __future__ import annotations

import base64
import gc
import http.client
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from test_fuzz_callbacks import Live, body, callback_key

from timeline.app import ids
from timeline.app.callbacks import filters_from
from timeline.app.guard import CALLBACK_BODY_LIMIT, Replayed, refusal, upload_output
from timeline.app.layout import UPLOAD_LIMIT_BYTES
from timeline.app.urlstate import state_from_query
from timeline.dataset import Dataset
from timeline.generate import write_generated

GIANT_ACTORS = 900_000
MB = 1024 * 1024


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = Live(tmp_path_factory.mktemp("uploads"))
    yield server
    server.stop()


def rss() -> int:
    gc.collect()
    return int(psutil.Process().memory_info().rss)


def post_raw(live: Live, data: bytes, chunked: bool = False) -> tuple[int, bytes, float]:
    """POST over one connection; the status, the body and the seconds until the answer."""
    host, port = live.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    started = time.perf_counter()
    try:
        headers = {"Content-Type": "application/json"}
        if chunked:
            pieces = (data[i : i + 65536] for i in range(0, len(data), 65536))
            connection.request("POST", "/_dash-update-component", pieces, headers, encode_chunked=True)
        else:
            connection.request("POST", "/_dash-update-component", data, headers)
        answer = connection.getresponse()
        text = answer.read()
        return answer.status, text, time.perf_counter() - started
    finally:
        connection.close()


@pytest.fixture(scope="module")
def giant(live: Live) -> bytes:
    """The issue's figure-callback request: 9.9 MB listing 900k actor names."""
    data = body(live, callback_key(live, f"{ids.GRAPH}.figure"), {f"{ids.ACTORS}.value": []})
    names = json.dumps([f"Ac{n:06d}" for n in range(GIANT_ACTORS)], separators=(",", ":"))
    data = data.replace(b'"value":[]', b'"value":' + names.encode(), 1)
    assert 9 * MB < len(data) < UPLOAD_LIMIT_BYTES * 2
    return data


def test_a_giant_figure_request_is_refused_fast_without_growing_the_server(live: Live, giant: bytes) -> None:
    before = rss()
    status, text, seconds = post_raw(live, giant)
    after = rss()
    print(
        f"\nfigure request of {len(giant) / 1e6:.1f} MB ({GIANT_ACTORS:,} actor names): {status} in "
        f"{seconds * 1000:.0f} ms; RSS {before / MB:.0f} -> {after / MB:.0f} MB"
    )
    assert status == 413
    assert text.decode() == refusal(CALLBACK_BODY_LIMIT, upload=False).decode()
    assert "64 KB" in text.decode()
    assert seconds < 1.0
    assert after - before < 300 * MB


def test_eight_giant_requests_at_once_leave_the_page_answering(live: Live, giant: bytes) -> None:
    before = rss()
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        process = psutil.Process()
        while not done.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.005)

    results: list[tuple[int, float]] = []

    def send() -> None:
        status, _, seconds = post_raw(live, giant)
        results.append((status, seconds))

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    senders = [threading.Thread(target=send) for _ in range(8)]
    for sender in senders:
        sender.start()
    page_started = time.perf_counter()
    page = live.get("/")
    page_seconds = time.perf_counter() - page_started
    for sender in senders:
        sender.join(timeout=60)
    total = time.perf_counter() - started
    done.set()
    sampler.join()
    after = rss()
    print(
        f"\n8 giant requests at once: {sorted(s for s, _ in results)} in {total * 1000:.0f} ms (slowest "
        f"{max(t for _, t in results) * 1000:.0f} ms); GET / meanwhile {page} in {page_seconds * 1000:.0f} ms; "
        f"RSS {before / MB:.0f} MB, peak {peak[0] / MB:.0f} MB, after {after / MB:.0f} MB"
    )
    assert [s for s, _ in results] == [413] * 8
    assert page == 200
    assert page_seconds < 2.0
    assert total < 5.0
    assert peak[0] - before < 300 * MB
    assert live.get("/") == 200


def test_a_streamed_body_is_read_no_further_than_its_limit(live: Live, giant: bytes) -> None:
    status, text, seconds = post_raw(live, giant, chunked=True)
    print(f"\n9.9 MB chunked figure request: {status} in {seconds * 1000:.0f} ms")
    assert status == 413
    assert b"64 KB" in text
    small = body(live, callback_key(live, f"{ids.GRAPH}.figure"), {})
    status, text, _ = post_raw(live, small, chunked=True)
    assert status == 200, text[:200]
    assert b"events" in text


def test_other_routes_are_capped_too(live: Live) -> None:
    host, port = live.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("POST", "/_dash-layout", b"x" * (CALLBACK_BODY_LIMIT + 1))
        assert connection.getresponse().status == 413
    finally:
        connection.close()


def test_a_body_over_every_limit_is_refused_with_the_upload_limit(live: Live) -> None:
    limit = live.app.server.config["MAX_CONTENT_LENGTH"]
    status, text, _ = post_raw(live, b"x" * (limit + 1))
    assert status == 413
    assert f"{limit // MB} MB" in text.decode()


@pytest.fixture(scope="module")
def four_mb_csv(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("upload") / "four.csv"
    rows = 14_000
    write_generated(path, rows)
    data = path.read_bytes()
    while len(data) < 4 * MB:  # the generator's rows vary in length: add rows until 4 MB
        rows += 1_000
        write_generated(path, rows)
        data = path.read_bytes()
    assert 4 * MB <= len(data) < UPLOAD_LIMIT_BYTES
    return data


def test_the_upload_callback_still_takes_a_real_4_mb_file(live: Live, four_mb_csv: bytes) -> None:
    key = upload_output(live.app)
    contents = "data:text/csv;base64," + base64.b64encode(four_mb_csv).decode()
    pending = {"filename": "four.csv", "contents": contents}
    data = body(live, key, {f"{ids.UPLOAD_PENDING}.data": pending})
    assert len(data) > 5 * MB
    status, text, seconds = post_raw(live, data)
    print(f"\n4 MB upload ({len(data) / MB:.1f} MB request): {status} in {seconds:.2f} s")
    assert status == 200, text[:300]
    assert b"Showing four.csv" in text
    status, text, _ = post_raw(live, data, chunked=True)
    assert status == 200, text[:300]
    assert b"Showing four.csv" in text


def test_a_replayed_stream_gives_back_every_byte() -> None:
    import io

    stream = Replayed(b'{"output":', io.BytesIO(b'"x"}' * 10))
    assert stream.read(3) == b'{"o'
    assert stream.read() == b'utput":' + b'"x"}' * 10
    assert stream.read() == b""


# --- lists capped at what the data holds -----------------------------------------------


def test_filters_hold_no_more_choices_than_the_data(seed: Dataset) -> None:
    many = [f"Actor {n}" for n in range(50_000)]
    started = time.perf_counter()
    filters = filters_from(many, many, None, "", many, None, many, within=seed)
    seconds = time.perf_counter() - started
    assert len(filters.actors) == len(seed.actors)
    assert len(filters.targets) == len(seed.targets)
    assert len(filters.kinds) <= 10
    assert filters.statuses == ()
    assert seconds < 0.1
    # A real choice is kept, and a repeated one counts once.
    again = filters_from([seed.actors[0]] * 3, ["claim", "claim"], None, "", within=seed)
    assert again.actors == (seed.actors[0],)
    assert again.kinds == ("claim",)


def test_a_figure_request_with_thousands_of_names_answers_within_the_cap(live: Live) -> None:
    names = [f"Actor {n}" for n in range(4_000)]
    data = body(live, callback_key(live, f"{ids.GRAPH}.figure"), {f"{ids.ACTORS}.value": names})
    assert len(data) < CALLBACK_BODY_LIMIT
    status, text, seconds = post_raw(live, data)
    print(f"\nfigure request, 4,000 unknown actors ({len(data) / 1024:.0f} KB): {status} in {seconds * 1000:.0f} ms")
    assert status == 200
    assert b"0 of" in text  # no such actor: nothing matches
    assert seconds < 2.0


def test_a_link_with_thousands_of_names_is_read_in_linear_time(seed: Dataset) -> None:
    query = "&".join(f"actor=Actor+{n}" for n in range(20_000))
    started = time.perf_counter()
    state, dropped = state_from_query(query, seed)
    seconds = time.perf_counter() - started
    print(f"\nlink of 20,000 unknown actors read in {seconds * 1000:.0f} ms")
    assert state.filters.actors == ()
    assert seconds < 1.0
    assert dropped


def test_the_largest_legitimate_body_fits_the_cap(live: Live, tmp_path: Path) -> None:
    """The address bar's callback with 100 actors and 100 targets chosen (the largest body a
    reader's page sends) fits :data:`CALLBACK_BODY_LIMIT` with room to spare."""
    from timeline.app.urlstate import ViewState, query_from_state
    from timeline.query import Filters

    actors = [f"Actor number {n:04d}" for n in range(100)]
    search = "?" + query_from_state(ViewState(Filters(actors=tuple(actors), targets=tuple(actors))))
    given = {f"{ids.ACTORS}.value": actors, f"{ids.TARGETS}.value": actors, f"{ids.LOCATION}.search": search}
    sizes = {}
    for first in (f"{ids.LOCATION}.search", f"{ids.ACTORS}.value"):
        for key in live.app.callback_map:
            if key.startswith(f"..{first}") or key == first:
                sizes[key[:40]] = len(body(live, key, given))
    print(f"\nlargest legitimate bodies (100 actors, 100 targets): {sizes}")
    assert sizes
    assert max(sizes.values()) * 3 < CALLBACK_BODY_LIMIT


@pytest.mark.parametrize("workers", [1, 2], ids=["waitress", "gunicorn"])
def test_timeline_serve_refuses_giant_requests_without_growing(giant: bytes, tmp_path: Path, workers: int) -> None:
    """The same against ``timeline serve`` (waitress, or gunicorn with two workers), in
    processes of its own whose memory alone is measured."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline", "serve", "--port", str(port), "--upload-dir", str(tmp_path),
         "--workers", str(workers)],
        env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        server = psutil.Process(process.pid)

        def memory() -> int:
            return int(sum(p.memory_info().rss for p in [server, *server.children(recursive=True)]))

        with urllib.request.urlopen(f"{url}/", timeout=10) as answer:
            assert answer.status == 200
        before = memory()
        peak = [before]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], memory())
                time.sleep(0.005)

        class Remote:
            def __init__(self) -> None:
                self.url = url

        results: list[tuple[int, float]] = []
        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.perf_counter()
        senders = [
            threading.Thread(target=lambda: results.append(post_raw(Remote(), giant)[::2]))  # type: ignore[arg-type]
            for _ in range(8)
        ]
        for sender in senders:
            sender.start()
        page_started = time.perf_counter()
        with urllib.request.urlopen(f"{url}/", timeout=30) as answer:
            page = answer.status
        page_seconds = time.perf_counter() - page_started
        for sender in senders:
            sender.join(timeout=60)
        total = time.perf_counter() - started
        done.set()
        sampler.join()
        time.sleep(0.2)
        after = memory()
        print(
            f"\ntimeline serve --workers {workers}, 8 figure requests of {len(giant) / 1e6:.1f} MB at once: "
            f"{sorted(s for s, _ in results)} in {total * 1000:.0f} ms; GET / meanwhile {page} in "
            f"{page_seconds * 1000:.0f} ms; server RSS {before / MB:.0f} MB, peak {peak[0] / MB:.0f}, "
            f"after {after / MB:.0f}"
        )
        assert [s for s, _ in results] == [413] * 8
        assert page == 200
        assert peak[0] - before < 300 * MB
        assert after - before < 300 * MB
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_show_this_thread_only_sends_no_choices_and_gets_them_back(live: Live, seed: Dataset) -> None:
    """The thread filter's choices (126 KB for 1,000 threads) no longer travel with the click:
    an event the filter lists is chosen as it is; another is put first in the choices."""
    from timeline.app.callbacks import thread_options, thread_positions

    key = callback_key(live, f"{ids.THREAD}.value")
    assert not [s for s in live.app.callback_map[key].get("state", []) if s["id"] == ids.THREAD]
    listed = set(thread_positions(seed).tolist())
    inside = str(seed.events["id"].iloc[min(listed)])
    outside = str(seed.events["id"].iloc[next(p for p in range(len(seed.events)) if p not in listed)])
    answers = {}
    for event_id in (inside, outside):
        component = {"index": event_id, "type": ids.SHOW_THREAD}
        sent = json.loads(body(live, key, {}, json.dumps(component, separators=(",", ":")) + ".n_clicks"))
        sent["inputs"][0] = [{"id": component, "property": "n_clicks", "value": 1}]
        status, text = live.post(json.dumps(sent).encode())
        assert status == 200, text[:300]
        answers[event_id] = json.loads(text)["response"][ids.THREAD]
    assert answers[inside] == {"value": inside}
    choices = answers[outside]["data"]
    assert answers[outside]["value"] == outside
    assert choices[0]["value"] == outside
    assert choices[1:] == thread_options(seed)


def test_the_callback_limit_is_set_by_its_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from timeline.app import create_app
    from timeline.app.guard import CALLBACK_BODY_ENV, callback_body_limit

    assert callback_body_limit({}) == CALLBACK_BODY_LIMIT
    assert callback_body_limit({CALLBACK_BODY_ENV: "256"}) == 256 * 1024
    for bad in ("0", "-5", "1.5", "lots"):
        with pytest.raises(ValueError, match=CALLBACK_BODY_ENV):
            callback_body_limit({CALLBACK_BODY_ENV: bad})
    monkeypatch.setenv(CALLBACK_BODY_ENV, "1")
    client = create_app(upload_dir=tmp_path).server.test_client()
    answer = client.post("/_dash-layout", data=b"x" * 2000)
    assert answer.status_code == 413
    assert "the limit is 1 KB" in answer.get_data(as_text=True)
