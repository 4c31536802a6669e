"""Every server-side callback, sent generated values for each of its inputs and states through
the real HTTP route: nothing answers 500, and the server stays up.

The callbacks are read from ``app.callback_map`` (a new callback is fuzzed without editing
this file). Each request is the body the Dash renderer sends (``output``, ``outputs``,
``inputs``, ``state``, ``changedPropIds``), or one with a part broken, posted to ``/_dash-update-component`` of the app
as ``timeline serve`` builds it, served by werkzeug from a thread.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dash import Dash
from dash._utils import split_callback_id
from flask import got_request_exception
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.serving import make_server

from timeline.app import create_app, ids
from timeline.io import DEFAULT_DATA, load_events
from timeline.serving import build

EXAMPLES = 30
"""Generated requests per callback: about 15 callbacks x 30 requests stay well under a minute."""

SEED = load_events(DEFAULT_DATA)
WORDS = [
    "",
    " ",
    "-",
    "12.",
    "1e309",
    "-0",
    "0x10",
    "NaN",
    "png",
    "svg",
    "pdf",
    "csv",
    "json",
    "a4",
    "custom",
    "count",
    "side",
    "statement",
    "claim",
    "2024-02-30",
    "2024-02-09",
    "2024-02-09T00:00/2024-02-13T00:00",
    "?actor=Elon+Musk&window=2024-02-09T00:00/2024-02-13T00:00&event=x",
    "?" + "&".join(f"actor=a{i}" for i in range(300)),
    "data:text/csv;base64,aWQsc3RhcnQK",
    "data:text/csv;base64,@@@",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x","x")',
    "\u0000\ud7ff\u202e",
    "x" * 5_000,
    *SEED.actors[:3],
    *SEED.events["id"].head(3).tolist(),
]
KEYS = [
    "points",
    "customdata",
    "x",
    "z",
    "y",
    "id",
    "index",
    "type",
    "token",
    "name",
    "filename",
    "contents",
    "too_big",
    "window",
    "width",
    "height",
    "startRow",
    "endRow",
    "sortModel",
    "colId",
    "sort",
    "xaxis.range",
    "xaxis.range[0]",
    "xaxis.range[1]",
    "xaxis.autorange",
    "value",
    "label",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=-3, max_value=300),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(WORDS),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), inner, max_size=5),
    ),
    max_leaves=12,
)
"""None, numbers, text (half-typed numbers, dates, huge strings), lists, nested dicts."""

ids_ = st.sampled_from(SEED.events["id"].tolist())
names = st.one_of(st.sampled_from(SEED.actors), st.sampled_from(WORDS))
moments = st.one_of(st.integers(min_value=-(10**14), max_value=10**14), st.sampled_from(WORDS), st.datetimes().map(str))
small_csv = "data:text/csv;base64,aWQsc3RhcnQsYWN0b3Isa2luZCx0aXRsZQphLDIwMjItMDItMjQsQSxzdGF0ZW1lbnQsT25lCg=="
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "value": st.one_of(st.lists(names, max_size=4), names, st.integers(min_value=-5, max_value=20_000)),
    "clickData": st.fixed_dictionaries(
        {"points": st.lists(st.dictionaries(st.sampled_from(["customdata", "x", "z"]), st.one_of(moments, values)))}
    ),
    "relayoutData": st.dictionaries(
        st.sampled_from(["xaxis.range[0]", "xaxis.range[1]", "xaxis.range", "xaxis.autorange"]),
        st.one_of(moments, st.lists(moments, max_size=3), st.booleans()),
    ),
    "data": st.one_of(
        st.fixed_dictionaries({"token": st.one_of(st.text(max_size=40), st.none()), "name": values}),
        st.fixed_dictionaries({"id": st.one_of(ids_, values)}),
        st.lists(moments, max_size=3),
        st.fixed_dictionaries({"window": st.one_of(st.lists(moments, max_size=3), values)}),
        st.fixed_dictionaries({"width": values, "height": values}),
        st.fixed_dictionaries(
            {"filename": st.one_of(st.text(max_size=20), values), "contents": st.one_of(st.just(small_csv), values)}
        ),
        st.fixed_dictionaries({"filename": st.text(max_size=20), "too_big": values}),
    ),
    "getRowsRequest": st.fixed_dictionaries(
        {
            "startRow": st.one_of(st.integers(min_value=-10, max_value=10**9), values),
            "endRow": st.one_of(st.integers(min_value=-10, max_value=10**9), values),
            "sortModel": st.lists(
                st.fixed_dictionaries(
                    {"colId": st.one_of(st.sampled_from(["date", "actor", "x"]), values), "sort": values}
                )
            ),
        }
    ),
    "selectedRows": st.lists(st.fixed_dictionaries({"id": st.one_of(ids_, values)}), max_size=2),
    "search": st.one_of(
        st.sampled_from(WORDS),
        st.lists(
            st.tuples(st.sampled_from(["actor", "event", "window", "from", "q", "links", "order", "kind"]), names)
        ).map(lambda pairs: "?" + "&".join(f"{k}={v}" for k, v in pairs)),
    ),
    "n_clicks": st.one_of(st.integers(min_value=0, max_value=5), values),
}
"""Values shaped like what the page sends for a property, so that generated requests reach
past a callback's first type check; mixed with :data:`values` half of the time."""


def value_for(prop: str) -> st.SearchStrategy[Any]:
    plausible = PLAUSIBLE.get(prop)
    return values if plausible is None else st.one_of(plausible, values)


def server_callbacks(app: Dash) -> dict[str, dict[str, Any]]:
    """The callbacks the server runs (client-side ones never post)."""
    return {key: spec for key, spec in app.callback_map.items() if spec.get("callback") is not None}


CALLBACKS = server_callbacks(create_app())


def short(key: str) -> str:
    """A readable test id: the first output of a callback."""
    first = split_callback_id(key)
    first = first[0] if isinstance(first, list) else first
    return f"{first['id']}.{first['property']}"[:60]


def prop_id(component: object, prop: str) -> str:
    """A prop id as the renderer writes it (a pattern id as sorted, compact JSON)."""
    if isinstance(component, dict):
        return json.dumps(component, sort_keys=True, separators=(",", ":")) + "." + prop
    return f"{component}.{prop}"


@st.composite
def wildcard_entries(draw: st.DrawFn, pattern: dict[str, Any], prop: str) -> list[dict[str, Any]]:
    """What the renderer sends for an ``ALL`` dependency: one entry per matching component,
    here with generated indexes, some missing (a hand-made id without its ``index``)."""
    entries = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        component: dict[str, Any] = {"type": pattern["type"]}
        if draw(st.booleans()) or draw(st.booleans()):
            component["index"] = draw(st.one_of(st.sampled_from(WORDS), st.integers(), st.none()))
        entries.append({"id": component, "property": prop, "value": draw(value_for(prop))})
    return entries


@st.composite
def request_body(draw: st.DrawFn, key: str, spec: dict[str, Any]) -> dict[str, Any]:
    """A renderer-shaped body for the callback ``key`` with generated values."""

    def deps(entries: list[dict[str, Any]]) -> list[Any]:
        sent: list[Any] = []
        for entry in entries:
            component, prop = entry["id"], entry["property"]
            if component.startswith("{"):
                sent.append(draw(wildcard_entries(json.loads(component), prop)))
            else:
                sent.append({"id": component, "property": prop, "value": draw(value_for(prop))})
        return sent

    inputs = deps(spec["inputs"])
    state = deps(spec.get("state", []))
    flat = [e for item in inputs for e in (item if isinstance(item, list) else [item])]
    changed = draw(st.lists(st.sampled_from(flat), max_size=2, unique_by=id)) if flat else []
    return {
        "output": key,
        "outputs": split_callback_id(key),
        "inputs": inputs,
        "state": state,
        "changedPropIds": [prop_id(e["id"], e["property"]) for e in changed],
    }


class Live:
    """The app as served in production, on a free port, in a thread; the errors it raised."""

    def __init__(self, upload_dir: Path) -> None:
        self.app = build(DEFAULT_DATA, upload_dir=upload_dir)
        self.errors: list[BaseException] = []
        got_request_exception.connect(self._record, self.app.server, weak=False)
        self._server = make_server("127.0.0.1", 0, self.app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _record(self, _sender: object, exception: BaseException, **_: object) -> None:
        self.errors.append(exception)

    def post(self, body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(
            f"{self.url}/_dash-update-component", data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return int(answer.status), bytes(answer.read())
        except urllib.error.HTTPError as error:
            return int(error.code), bytes(error.read())

    def get(self, path: str = "/") -> int:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=30) as answer:
            return int(answer.status)

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


def callback_key(live: Live, first_output: str) -> str:
    """The ``output`` of the callback whose first output is ``first_output`` (``id.prop``;
    one that may duplicate another's, ``id.prop@hash``, when no other callback has it plain)."""
    firsts = {}
    for key, spec in live.app.callback_map.items():
        outputs = split_callback_id(key)
        first = outputs[0] if isinstance(outputs, list) else outputs
        if spec.get("callback") is not None:
            firsts[str(key)] = f"{first['id']}.{first['property']}"
    for plain in (True, False):
        for key, name in firsts.items():
            if (name if plain else name.split("@")[0]) == first_output:
                return key
    raise LookupError(first_output)


def body(live: Live, key: str, given: dict[str, Any], changed: str | None = None) -> bytes:
    """The renderer's body for a callback: ``given`` values by ``id.prop``, None for the rest."""
    spec = live.app.callback_map[key]

    def deps(entries: list[dict[str, Any]]) -> list[Any]:
        sent: list[Any] = []
        for d in entries:
            if d["id"].startswith("{"):
                sent.append([])
            else:
                sent.append({**d, "value": given.get(f"{d['id']}.{d['property']}")})
        return sent

    first = spec["inputs"][0]
    return json.dumps(
        {
            "output": key,
            "outputs": split_callback_id(key),
            "inputs": deps(spec["inputs"]),
            "state": deps(spec.get("state", [])),
            "changedPropIds": [changed or f"{first['id']}.{first['property']}"],
        },
        separators=(",", ":"),
    ).encode()


KNOWN = [
    ("a list as the export preset", f"{ids.EXPORT_PRESET}.value", {f"{ids.EXPORT_PRESET}.value": ["a4"]}, None),
    ("'-' typed in the export width", f"{ids.EXPORT_PRESET}.value", {f"{ids.EXPORT_WIDTH}.value": "-"}, None),
    ("'12.' typed in the export width", f"{ids.EXPORT_PRESET}.value", {f"{ids.EXPORT_WIDTH}.value": "12."}, None),
    ("clickData as a list (zoom)", f"{ids.WINDOW}.data", {f"{ids.GRAPH}.clickData": [1, 2]}, None),
    ("clickData as a list (details)", f"{ids.DETAIL}.children", {f"{ids.GRAPH}.clickData": [[0]]}, None),
    ("an upload pending value that is a string", f"{ids.DATASET}.data", {f"{ids.UPLOAD_PENDING}.data": "x"}, None),
    (
        "an upload too big by no number",
        f"{ids.DATASET}.data",
        {f"{ids.UPLOAD_PENDING}.data": {"filename": "a.csv", "too_big": None}},
        None,
    ),
    (
        "a thread-link id without index",
        f"{ids.DETAIL}.children",
        {},
        [{"id": {"type": ids.THREAD_LINK}, "property": "n_clicks", "value": 1}],
    ),
]
"""The issue's 500s from hand-made requests, kept as plain examples beside the generated ones."""


@pytest.mark.parametrize(("case", "first_output", "given", "links"), KNOWN, ids=[k[0] for k in KNOWN])
def test_the_known_500s_are_gone(
    live: Live, case: str, first_output: str, given: dict[str, Any], links: list[dict[str, Any]] | None
) -> None:
    key = callback_key(live, first_output)
    changed = next(iter(given), None) if links is None else prop_id(links[0]["id"], "n_clicks")
    sent = json.loads(body(live, key, given, changed))
    if links is not None:
        sent["inputs"][1] = links
    status, text = live.post(json.dumps(sent).encode())
    assert status in (200, 204), (case, status, text[:300])
    assert not live.errors, live.errors


def test_a_half_typed_export_width_says_so_in_the_page(live: Live) -> None:
    key = callback_key(live, f"{ids.DOWNLOAD}.data")
    given = {f"{ids.EXPORT_WIDTH}.value": "12.", f"{ids.EXPORT_HEIGHT}.value": "-", f"{ids.EXPORT_SCALE}.value": 2}
    given[f"{ids.EXPORT_FORMAT}.value"] = "png"
    status, text = live.post(body(live, key, given, f"{ids.EXPORT_IMAGE}.n_clicks"))
    assert status == 200, text[:300]
    assert b"Export failed" in text
    assert b"height must be a number" in text


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = Live(tmp_path_factory.mktemp("uploads"))
    yield server
    server.stop()


def test_every_server_callback_is_fuzzed() -> None:
    """The enumeration finds the callbacks this app is known to have (and so every other)."""
    names = {short(key) for key in CALLBACKS}
    for known in ("timeline-graph.figure", "event-detail.children", "download.data", "event-list.getRowsResponse"):
        assert known in names, names
    assert len(CALLBACKS) >= 15


TIMES: dict[str, list[float]] = {}


@pytest.mark.parametrize("key", list(CALLBACKS), ids=[short(k) for k in CALLBACKS])
def test_a_callback_never_answers_500(live: Live, key: str) -> None:
    spec = CALLBACKS[key]
    answers: dict[int, int] = {}
    times = TIMES.setdefault(short(key), [])

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(body=request_body(key, spec))
    def fuzz(body: dict[str, Any]) -> None:
        live.errors.clear()
        started = time.perf_counter()
        status, text = live.post(json.dumps(body).encode())
        times.append(time.perf_counter() - started)
        answers[status] = answers.get(status, 0) + 1
        assert status != 500, (live.errors[-1:], text[:300])
        assert not live.errors, live.errors
        assert status in (200, 204, 413), (status, text[:300])

    fuzz()
    assert live.get("/") == 200
    print(f"\n{short(key)}: {answers} slowest {max(times):.2f} s over {len(times)} requests")


@st.composite
def misshapen_body(draw: st.DrawFn) -> Any:
    """A renderer's body for some callback with one part broken: a key dropped or replaced,
    a list cut short or padded, an entry replaced, or the whole body something else."""
    key = draw(st.sampled_from(list(CALLBACKS)))
    sent: dict[str, Any] = draw(request_body(key, CALLBACKS[key]))
    part = draw(st.sampled_from(["output", "outputs", "inputs", "state", "changedPropIds"]))
    how = draw(st.sampled_from(["drop", "replace", "shorten", "pad", "entry", "whole"]))
    if how == "whole":
        return draw(values)
    if how == "drop":
        sent.pop(part)
    elif how == "replace" or not isinstance(sent[part], list):
        sent[part] = draw(values)
    elif how == "shorten":
        sent[part] = sent[part][:-1]
    elif how == "pad":
        sent[part] = [*sent[part], draw(values)]
    elif sent[part]:
        sent[part][draw(st.integers(0, len(sent[part]) - 1))] = draw(values)
    return sent


def test_a_misshapen_request_is_refused_not_a_500(live: Live) -> None:
    answers: dict[int, int] = {}

    @settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(sent=misshapen_body())
    def fuzz(sent: Any) -> None:
        live.errors.clear()
        status, text = live.post(json.dumps(sent).encode())
        answers[status] = answers.get(status, 0) + 1
        assert status != 500, (live.errors[-1:], text[:300])
        assert not live.errors, live.errors
        assert status in (200, 204, 400, 413), (status, text[:300])
        if status == 400:
            assert text.startswith(b"Malformed callback request") or b"Bad Request" in text, text[:200]

    fuzz()
    print(f"\nmisshapen requests: {answers}")
    assert answers.get(400, 0) > 0
    assert live.get("/") == 200


def test_the_server_is_up_after_the_fuzz(live: Live) -> None:
    assert live.get("/") == 200
    assert live.get("/healthz") == 200
    total = sum(len(t) for t in TIMES.values())
    print(f"\nfuzzed {len(TIMES)} callbacks with {total} requests; GET / still 200")
