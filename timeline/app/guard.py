"""Limits on what a request may send to the app, checked before anything parses it.

Every Dash callback posts to one route, ``_dash-update-component``. Only the upload callback
(the one whose input is :data:`timeline.app.ids.UPLOAD_PENDING`) and an article's submission
(:data:`timeline.app.ids.ARTICLE_SUBMIT`) carry a file or a text (see :data:`LARGE_INPUTS`), so
only their requests may be as large as ``MAX_CONTENT_LENGTH``; every other request, to that
route or any other, is held to :data:`CALLBACK_BODY_LIMIT`. A request over its limit is answered 413
by a WSGI middleware from its ``Content-Length`` alone (or, without one, after reading at
most one byte past the limit): no JSON is parsed and no refused body is kept in memory.

Which callback a large request is for is read from its first bytes: the Dash renderer's body
starts with ``{"output":"<the callback's outputs>"`` (white space allowed). Those bytes are
put back in front of the stream, so the app reads the body whole.

A callback request within its limit but not shaped as the renderer sends it (see
:func:`malformed`) is answered 400 with a sentence, where Dash would fail with a 500.
"""

from __future__ import annotations

import io
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from dash import Dash
from dash._utils import split_callback_id
from flask import Response, request
from werkzeug.wsgi import get_content_length

from timeline.app import ids
from timeline.app.state import Library

CALLBACK_BODY_LIMIT = 64 * 1024
"""Largest body of any request but an upload, in bytes.

The largest body a reader's page sends is the address bar's callback, which carries the
chosen actors and targets twice (as the controls' values and in the query string): about
15 KB with 100 actors and 100 targets chosen in a 2,000-actor dataset, 2 KB for the seed
story. 64 KB holds about 500 of each; a list longer than that is no one's choice by hand.
:data:`CALLBACK_BODY_ENV` changes it.
"""

CALLBACK_BODY_ENV = "TIMELINE_CALLBACK_MAX_KB"
"""Environment variable that sets :data:`CALLBACK_BODY_LIMIT`, in KB (a whole number of at
least 1), for a server whose readers choose more (every server process reads it at start)."""


def callback_body_limit(environ: Mapping[str, str] | None = None) -> int:
    """The limit on every request but an upload, in bytes: :data:`CALLBACK_BODY_ENV` or the default.

    Raises:
        ValueError: the variable is set to something other than a whole number of at least 1.
    """
    text = (os.environ if environ is None else environ).get(CALLBACK_BODY_ENV, "").strip()
    if not text:
        return CALLBACK_BODY_LIMIT
    try:
        kb = int(text)
    except ValueError:
        kb = 0
    if kb < 1:
        raise ValueError(f"{CALLBACK_BODY_ENV} must be a whole number of KB, at least 1, not {text!r}")
    return kb * 1024


PEEK_SLACK = 64
"""Bytes of white space a JSON body may hold around its first key and still be recognised."""

UPDATE_ROUTE = "_dash-update-component"
"""The route every callback posts to, after the app's ``routes_pathname_prefix``."""

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Replayed(io.RawIOBase):
    """A request body whose first bytes were already read: those bytes, then the rest."""

    def __init__(self, head: bytes, rest: Any) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read_up_to(stream: Any, size: int) -> bytes:
    """At most ``size`` bytes of a stream (fewer only at its end)."""
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        chunk = stream.read(min(wanted, 64 * 1024))
        if not chunk:
            break
        parts.append(chunk)
        wanted -= len(chunk)
    return b"".join(parts)


DRAIN_SECONDS = 5.0
"""How long a refused body is read and thrown away, so that the client, still sending, sees
the 413 rather than a reset connection (gunicorn closes on unread input; waitress has already
read it; werkzeug drains by itself)."""


def drain(stream: Any, most: int, seconds: float = DRAIN_SECONDS) -> None:
    """Read and drop up to ``most`` bytes of a stream, 64 KB at a time, for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    left = most
    while left > 0 and time.monotonic() < deadline:
        try:
            chunk = stream.read(min(left, 64 * 1024))
        except (OSError, ValueError):
            return
        if not chunk:
            return
        left -= len(chunk)


def refusal(limit: int, upload: bool) -> bytes:
    """The 413's text: the same sentence as :func:`timeline.serving.secure`'s handler."""
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    where = "" if upload else " for this request; only an upload may send more"
    return f"Request too large (the limit is {size}{where}): the server refused it. Upload a smaller file.\n".encode()


class RequestLimits:
    """WSGI middleware: a 413 for a body over its route's limit, before the app reads it.

    Args:
        app: the WSGI app behind (Flask's ``wsgi_app``).
        update_path: the path the callbacks post to.
        upload_output: the ``output`` (key in ``app.callback_map``) of each callback that may
            receive large bodies (see :func:`large_outputs`), or of the one.
        large: the upload's limit, read on every request (``MAX_CONTENT_LENGTH``).
        small: every other request's limit.
    """

    def __init__(
        self, app: WSGIApp, update_path: str, upload_output: str | Sequence[str], large: Callable[[], int], small: int
    ) -> None:
        self.app = app
        self.update_path = update_path
        outputs = [upload_output] if isinstance(upload_output, str) else list(upload_output)
        either = b"|".join(re.escape(output.encode()) for output in outputs)
        self.upload_head = re.compile(rb'\s*\{\s*"output"\s*:\s*"(?:' + either + rb')"')
        self.peek = max(len(output) for output in outputs) + 12 + PEEK_SLACK
        self.large = large
        self.small = small

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        large = max(self.large(), self.small)
        length = get_content_length(environ)
        stream = environ.get("wsgi.input")
        if length is None and not environ.get("wsgi.input_terminated"):
            return self.app(environ, start_response)  # no body the app could read
        if length is not None and length > large:
            return self.refuse(environ, start_response, large, upload=True)
        if length is not None and length <= self.small:
            return self.app(environ, start_response)
        if length is None:  # a streamed body (chunked): read it, up to one byte past the small limit
            body = read_up_to(stream, self.small + 1)
            if len(body) <= self.small:
                return self.pass_buffered(environ, start_response, body)
            head = body
        else:
            head = read_up_to(stream, min(self.peek, length))
        is_upload = environ.get("PATH_INFO") == self.update_path and self.upload_head.match(head) is not None
        if not is_upload:
            drain(stream, large if length is None else length - len(head))
            return self.refuse(environ, start_response, self.small, upload=False)
        if length is not None:
            environ["wsgi.input"] = Replayed(head, stream)
            return self.app(environ, start_response)
        body = head + read_up_to(stream, large + 1 - len(head))
        if len(body) > large:
            return self.refuse(environ, start_response, large, upload=True)
        return self.pass_buffered(environ, start_response, body)

    def pass_buffered(
        self, environ: dict[str, Any], start_response: Callable[..., Any], body: bytes
    ) -> Iterable[bytes]:
        """Hand a streamed body, read whole, to the app (still marked as terminated: the app
        reads it to its end, as the server's own de-chunked stream)."""
        environ["wsgi.input"] = io.BytesIO(body)
        return self.app(environ, start_response)

    def refuse(
        self, environ: dict[str, Any], start_response: Callable[..., Any], limit: int, upload: bool
    ) -> Iterable[bytes]:
        log.info("refused %s %s: body over %d bytes", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), limit)
        text = refusal(limit, upload)
        start_response(
            "413 Request Entity Too Large",
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(text))),
                ("X-Content-Type-Options", "nosniff"),
                ("Cache-Control", "no-store"),
            ],
        )
        return [text]


def _dependency(sent: object, wanted: Mapping[str, Any]) -> str | None:
    """Why one sent input, state or output is not the one the callback declares, or None."""
    pattern = str(wanted["id"]).startswith("{")
    entries = sent if pattern and isinstance(sent, list) else [sent]
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("property") != wanted["property"]:
            return f"expected {wanted['id']}.{wanted['property']}"
        if not (isinstance(entry.get("id"), dict) if pattern else entry.get("id") == wanted["id"]):
            return f"expected {wanted['id']}.{wanted['property']}"
    return None


def malformed(body: object, callbacks: Mapping[str, Mapping[str, Any]]) -> str | None:
    """Why a callback request is not shaped as the Dash renderer sends it, or None when it is.

    Dash itself answers a misshapen request with a 500 (an ``IndexError`` or ``KeyError`` deep
    in its dispatch); this names what is wrong instead. The values are not looked at: every
    callback checks its own.
    """
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    spec = callbacks.get(output) if isinstance(output, str) else None
    if spec is None or spec.get("callback") is None:
        return "no such callback"
    declared = split_callback_id(output)  # type: ignore[no-untyped-call]
    outputs = body.get("outputs")
    if isinstance(declared, list):
        if not isinstance(outputs, list) or len(outputs) != len(declared):
            return f"expected {len(declared)} outputs"
        pairs = list(zip(outputs, declared, strict=True))
    else:
        pairs = [(outputs, declared)]
    for part, expected in (("inputs", spec["inputs"]), ("state", spec.get("state", []))):
        sent = body.get(part, [])
        if not isinstance(sent, list) or len(sent) != len(expected):
            return f"expected {len(expected)} {part}"
        pairs += zip(sent, expected, strict=True)
    for sent, expected in pairs:
        why = _dependency(sent, expected)
        if why:
            return why
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds is not a list of text"
    return None


LARGE_INPUTS = (ids.UPLOAD_PENDING, ids.ARTICLE_SUBMIT)
"""The stores (their ``data``) whose callbacks may receive a body as large as an upload: the
uploaded file, and an article's text or file (see :mod:`timeline.app.article`)."""


def upload_output(app: Dash, store: str = ids.UPLOAD_PENDING) -> str:
    """The ``output`` of the server-side callback that receives ``store`` (default: uploads).

    Raises:
        LookupError: no callback takes it (the layout changed and this module did not).
    """
    for key, spec in app.callback_map.items():
        inputs = spec.get("inputs", [])
        if spec.get("callback") is not None and {"id": store, "property": "data"} in inputs:
            return str(key)
    raise LookupError(f"no server-side callback takes {store}.data")


def large_outputs(app: Dash) -> list[str]:
    """The ``output`` of every callback that may receive a large body (see :data:`LARGE_INPUTS`)."""
    return [upload_output(app, store) for store in LARGE_INPUTS]


def install(app: Dash, library: Library) -> None:
    """Guard ``app``'s routes against oversized requests (see :class:`RequestLimits`), and
    answer a callback request of the wrong shape with a 400 (see :func:`malformed`).

    Call it once every callback is registered. ``library`` is the app's data; the lists a
    callback receives are capped against it in the callbacks themselves.

    Raises:
        ValueError: :data:`CALLBACK_BODY_ENV` is set to something that is no limit.
    """
    del library
    server = app.server

    small = callback_body_limit()

    def large() -> int:
        limit = server.config.get("MAX_CONTENT_LENGTH")
        return limit if isinstance(limit, int) else small

    update_path = app.config.routes_pathname_prefix + UPDATE_ROUTE
    server.wsgi_app = RequestLimits(server.wsgi_app, update_path, large_outputs(app), large, small)
    # Around the view, not in a before_request hook: authentication (timeline.serving) runs
    # first, so no stranger's body is parsed.
    endpoint = next(rule.endpoint for rule in server.url_map.iter_rules() if rule.rule == update_path)
    dispatch = server.view_functions[endpoint]

    def checked(*args: Any, **kwargs: Any) -> Any:
        why = malformed(request.get_json(silent=True), app.callback_map)
        if why is not None:
            return Response(f"Malformed callback request: {why}.\n", 400, {"Content-Type": "text/plain; charset=utf-8"})
        return dispatch(*args, **kwargs)

    server.view_functions[endpoint] = checked
