"""Production serving (timeline/serving.py) and the upload store (timeline/app/state.py):
headers, compression, /healthz, authentication, clear refusals, uploads shared by workers
and kept across restarts, and ``timeline serve --workers``."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil
import pytest
from click.testing import CliRunner
from dash import Dash
from dash._utils import split_callback_id

from timeline.app.state import Library, UploadStore, current_client
from timeline.cli import main
from timeline.dataset import Dataset
from timeline.io import DEFAULT_DATA
from timeline.serving import Auth, build, content_security_policy

BROWSER = {"Accept-Encoding": "gzip, br"}


@pytest.fixture
def app(tmp_path: Path) -> Dash:
    return build(DEFAULT_DATA, upload_dir=tmp_path / "uploads")


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def update_body(app: Dash) -> str:
    """A request to ``_dash-update-component`` for a callback with plain ids, as the
    renderer sends it on first load (every input at its default)."""
    for key, spec in app.callback_map.items():
        if "{" in key or spec.get("callback") is None:
            continue
        outputs = split_callback_id(key)

        def deps(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{"id": d["id"], "property": d["property"]} for d in entries]

        return json.dumps(
            {
                "output": key,
                "outputs": outputs,
                "inputs": deps(spec["inputs"]),
                "state": deps(spec.get("state", [])),
                "changedPropIds": [],
            }
        )
    raise AssertionError("no callback with plain ids")


# --- headers, compression, health -------------------------------------------------------


def test_every_response_carries_the_security_headers(app: Dash) -> None:
    client = app.server.test_client()
    for path in ("/", "/_dash-layout", "/_dash-dependencies", "/healthz", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["Referrer-Policy"] == "no-referrer", path
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy, path
        assert "object-src 'none'" in policy, path


def test_the_policy_allows_only_the_pages_own_inline_scripts_by_hash(app: Dash) -> None:
    policy = app.server.test_client().get("/").headers["Content-Security-Policy"]
    script_src = next(rule for rule in policy.split("; ") if rule.startswith("script-src "))
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    for digest in app.csp_hashes():
        assert digest in script_src
    assert content_security_policy([]).startswith("default-src 'self'")


def test_the_page_and_its_scripts_travel_compressed(app: Dash) -> None:
    client = app.server.test_client()
    page = client.get("/", headers=BROWSER)
    assert page.headers["Content-Encoding"] in {"br", "gzip"}
    html = client.get("/").get_data(as_text=True)
    scripts = [s.split('"', 1)[0] for s in html.split('<script src="')[1:]]
    assert any("dash_renderer" in s for s in scripts)
    raw_total = sent_total = 0
    for src in scripts:
        raw = client.get(src)
        sent = client.get(src, headers=BROWSER)
        assert sent.status_code == 200, src
        assert sent.headers.get("Content-Encoding") in {"br", "gzip"}, src
        raw_total += len(raw.get_data())
        sent_total += len(sent.get_data())
    assert sent_total < raw_total / 3, (sent_total, raw_total)


def test_healthz_answers_with_the_served_event_count(app: Dash, seed: Dataset) -> None:
    answer = app.server.test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "events": len(seed.events)}


def test_an_oversized_request_is_refused_with_a_clear_message(app: Dash) -> None:
    limit = app.server.config["MAX_CONTENT_LENGTH"]
    answer = app.server.test_client().post(
        "/_dash-update-component", data=b"x" * (limit + 1), content_type="application/json"
    )
    assert answer.status_code == 413
    text = answer.get_data(as_text=True)
    assert "too large" in text
    assert f"{limit // (1024 * 1024)} MB" in text
    assert "<" not in text  # a sentence, not Werkzeug's HTML page


# --- authentication ---------------------------------------------------------------------

PROTECTED = ("/", "/_dash-layout", "/_dash-dependencies", "/assets/style.css")


@pytest.mark.parametrize(
    ("auth", "good", "bad"),
    [
        (Auth(token="s3cret-token"), {"Authorization": "Bearer s3cret-token"}, {"Authorization": "Bearer s3cret"}),
        (Auth(user="ana", password="pa:ss"), basic("ana", "pa:ss"), basic("ana", "pa")),
        (Auth(token="s3cret-token"), basic("anyone", "s3cret-token"), basic("s3cret-token", "")),
    ],
    ids=["bearer", "basic", "token-as-password"],
)
def test_auth_refuses_every_route_without_credentials(
    tmp_path: Path, auth: Auth, good: dict[str, str], bad: dict[str, str]
) -> None:
    app = build(DEFAULT_DATA, upload_dir=tmp_path, auth=auth)
    client = app.server.test_client()
    body = update_body(app)
    for headers in ({}, bad):
        for path in PROTECTED:
            answer = client.get(path, headers=headers)
            assert answer.status_code == 401, (path, headers)
            assert answer.headers["WWW-Authenticate"].startswith("Basic")
        refused = client.post("/_dash-update-component", data=body, content_type="application/json", headers=headers)
        assert refused.status_code == 401
    for path in PROTECTED:
        assert client.get(path, headers=good).status_code == 200, path
    answer = client.post("/_dash-update-component", data=body, content_type="application/json", headers=good)
    assert answer.status_code in {200, 204}
    assert client.get("/healthz").status_code == 200  # open: a load balancer probes it


def test_auth_comes_from_the_environment_only() -> None:
    assert Auth.from_env({}) is None
    assert Auth.from_env({"TIMELINE_AUTH_TOKEN": "t"}) == Auth(token="t")
    assert Auth.from_env({"TIMELINE_AUTH_USER": "u", "TIMELINE_AUTH_PASSWORD": "p"}) == Auth(None, "u", "p")
    with pytest.raises(ValueError, match="both"):
        Auth.from_env({"TIMELINE_AUTH_USER": "u"})
    assert not Auth(token="t").allows(None)
    assert not Auth(token="t").allows("Basic not-base64!")
    assert not Auth(user="u", password="p").allows("Bearer p")
    options = {p.name for p in main.commands["serve"].params}
    assert not options & {"token", "password", "user", "auth"}


# --- uploads ----------------------------------------------------------------------------


def small(seed: Dataset, rows: int = 3, name: str = "mine.csv") -> Dataset:
    return Dataset(events=seed.events.head(rows).reset_index(drop=True), name=name, title="Mine")


def test_an_upload_survives_a_restart_and_is_shared_by_workers(tmp_path: Path, seed: Dataset) -> None:
    first = Library(DEFAULT_DATA, seed, uploads=UploadStore(tmp_path))
    token = first.add_upload(small(seed), client="10.0.0.1")
    other_worker = Library(DEFAULT_DATA, seed, uploads=UploadStore(tmp_path))
    shared = other_worker.upload(token)
    assert shared is not None
    assert shared.name == "mine.csv"
    assert shared.title == "Mine"
    assert shared.events.equals(small(seed).events)
    del first, other_worker
    restarted = Library(DEFAULT_DATA, seed, uploads=UploadStore(tmp_path))
    dataset, note = restarted.resolve({"token": token, "name": "mine.csv"})
    assert note is None
    assert len(dataset.events) == 3


def test_an_upload_expires(tmp_path: Path, seed: Dataset) -> None:
    store = UploadStore(tmp_path, expiry=0.2)
    library = Library(DEFAULT_DATA, seed, uploads=store)
    token = library.add_upload(small(seed), client="a")
    assert library.upload(token) is not None
    time.sleep(0.3)
    assert library.upload(token) is None
    dataset, note = library.resolve({"token": token, "name": "mine.csv"})
    assert dataset is library.served().dataset
    assert note is not None
    assert "mine.csv" in note
    library.add_upload(small(seed), client="b")  # tidying on the next upload removes the file
    assert not (tmp_path / f"{token}.parquet").exists()


def test_the_size_cap_drops_the_oldest(tmp_path: Path, seed: Dataset) -> None:
    library = Library(DEFAULT_DATA, seed, uploads=UploadStore(tmp_path))
    one = library.add_upload(small(seed), client="a")
    size = sum(p.stat().st_size for p in tmp_path.iterdir())
    library.uploads.cap_bytes = int(size * 2.5)
    tokens = [library.add_upload(small(seed), client=c) for c in ("b", "c")]
    assert library.upload(one) is None  # the oldest went to make room
    assert all(library.upload(t) is not None for t in tokens)


def test_one_client_cannot_evict_everyone_elses_uploads(tmp_path: Path, seed: Dataset) -> None:
    store = UploadStore(tmp_path, per_client=4)
    library = Library(DEFAULT_DATA, seed, uploads=store)
    theirs = library.add_upload(small(seed), client="192.0.2.1")
    mine = [library.add_upload(small(seed), client="192.0.2.66") for _ in range(64)]
    assert library.upload(theirs) is not None
    kept = [t for t in mine if library.upload(t) is not None]
    assert kept == mine[-4:]


def test_the_size_cap_costs_the_client_that_filled_it(tmp_path: Path, seed: Dataset) -> None:
    library = Library(DEFAULT_DATA, seed, uploads=UploadStore(tmp_path))
    theirs = library.add_upload(small(seed), client="192.0.2.1")
    size = sum(p.stat().st_size for p in tmp_path.iterdir())
    library.uploads.cap_bytes = int(size * 4.5)
    mine = [library.add_upload(small(seed), client="192.0.2.66") for _ in range(8)]
    assert library.upload(theirs) is not None  # the older upload, but not the one filling the disk
    assert [t for t in mine if library.upload(t) is not None] == mine[-3:]


def test_a_token_names_only_its_own_upload(tmp_path: Path, seed: Dataset) -> None:
    uploads = tmp_path / "uploads"
    library = Library(DEFAULT_DATA, seed, uploads=UploadStore(uploads))
    token = library.add_upload(small(seed), client="a")
    assert UploadStore.valid(token)
    secret = tmp_path / "secret.parquet"
    seed.events.to_parquet(secret)
    (tmp_path / "secret.json").write_text(json.dumps({"name": "secret", "created": time.time()}))
    for forged in ("../secret", "..%2Fsecret", "/etc/passwd", token[:-1], token + "x", token[:-2] + "/.", "", 7, None):
        dataset, _ = library.resolve({"token": forged, "name": "x"})
        assert dataset is library.served().dataset, forged
    assert library.upload("../" + token[3:]) is None
    guessed = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert library.upload(guessed) is None


# --- the serve command ------------------------------------------------------------------


def test_serve_refuses_zero_workers_and_debug_on_a_network() -> None:
    result = CliRunner().invoke(main, ["serve", "--workers", "0"])
    assert result.exit_code == 2
    assert "--workers" in result.output
    result = CliRunner().invoke(main, ["serve", "--threads", "0"])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["serve", "--debug", "--host", "0.0.0.0"])
    assert result.exit_code != 0
    assert "development server" in result.output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_with_two_workers_runs_gunicorn(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "TIMELINE_AUTH_TOKEN": "tok"}
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline", "serve", "--workers", "2", "--threads", "2", "--port", str(port),
         "--upload-dir", str(tmp_path)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        health: dict[str, Any] = {}
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                    health = json.loads(answer.read())
                    break
            except OSError:
                time.sleep(0.3)
        assert health.get("status") == "ok"
        url = f"http://127.0.0.1:{port}/_dash-layout"
        request = urllib.request.Request(url, headers={"Authorization": "Bearer tok"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
        workers = psutil.Process(process.pid).children()
        assert len(workers) == 2
        assert all("timeline" in " ".join(w.cmdline()) or "gunicorn" in w.name() for w in workers)
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert "gunicorn" in output


def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(tmp_path: Path, seed: Dataset) -> None:
    direct = build(DEFAULT_DATA, upload_dir=tmp_path)
    proxied = build(DEFAULT_DATA, upload_dir=tmp_path, proxies=1)
    seen: list[str] = []
    for app in (direct, proxied):
        app.server.add_url_rule("/_client", "client", lambda: seen.append(current_client()) or "")
        app.server.test_client().get(
            "/_client", headers={"X-Forwarded-For": "203.0.113.9"}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
        )
    assert seen == ["127.0.0.1", "203.0.113.9"]  # a forged header counts only behind a proxy


def test_the_deploying_section_names_every_setting() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    deploying = readme.split("\n## Deploying\n", 1)[1].split("\n## ", 1)[0]
    for name in ("TIMELINE_AUTH_TOKEN", "TIMELINE_AUTH_USER", "TIMELINE_AUTH_PASSWORD", "TIMELINE_UPLOAD_DIR"):
        assert f"`{name}`" in deploying or f"`${name}`" in deploying, name
    for option in ("--workers", "--threads", "--upload-dir", "--proxies", "/healthz", "make bench-load"):
        assert f"`{option}" in deploying, option


def test_a_replayed_token_reads_nothing_in_another_session(app: Dash, seed: Dataset) -> None:
    library = app.server.extensions["timeline.library"]
    sessions = []
    for _ in range(2):
        client = app.server.test_client()
        client.get("/")
        cookie = client.get_cookie("timeline_session")
        assert cookie is not None
        assert cookie.http_only
        assert cookie.same_site == "Strict"
        sessions.append({"Cookie": f"timeline_session={cookie.value}"})
    assert sessions[0] != sessions[1]
    with app.server.test_request_context("/", headers=sessions[0]):
        token = library.add_upload(small(seed))
        assert library.upload(token) is not None
    other_worker = Library(DEFAULT_DATA, seed, uploads=UploadStore(library.uploads.root))
    for reader in (library, other_worker):
        for headers in (sessions[1], {}, {"Cookie": "timeline_session=../../etc"}):
            with app.server.test_request_context("/", headers=headers):
                assert reader.upload(token) is None, headers
        with app.server.test_request_context("/", headers=sessions[0]):
            assert reader.upload(token) is not None
