"""Serving the dashboard in production: compression, security headers, a health check,
optional authentication, and the multi-process server.

:func:`build` is what every server runs (waitress in one process, each gunicorn worker):
:func:`timeline.app.create_app` wrapped by :func:`secure`. Nothing here changes what the
app shows, only how it is delivered.
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dash import Dash
from flask import Flask, Response, jsonify, request

from timeline.app.state import SESSION_COOKIE, UploadStore
from timeline.dataset import ReadOptions

TOKEN_ENV = "TIMELINE_AUTH_TOKEN"  # noqa: S105  the variable's name, not a token
USER_ENV = "TIMELINE_AUTH_USER"
PASSWORD_ENV = "TIMELINE_AUTH_PASSWORD"  # noqa: S105  the variable's name, not a password

HEALTH_PATH = "/healthz"
"""Open even with authentication on, so a load balancer can probe it; it tells only a count."""

LIBRARY_KEY = "timeline.library"
"""Where :func:`timeline.app.create_app` leaves its :class:`~timeline.app.state.Library`
in ``app.server.extensions``."""

# Styles: Dash, Mantine (emotion) and Plotly write inline styles, so 'unsafe-inline' stays;
# scripts: only the app's own files and its inline scripts by hash. Plotly draws images from
# blob: and data: URLs, and an export download is a data: URL.
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def content_security_policy(script_hashes: list[str]) -> str:
    """The Content-Security-Policy for a page whose inline scripts have these hashes."""
    rules = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in rules.items())


@dataclass(frozen=True)
class Auth:
    """Credentials a shared deployment asks for: a bearer token, a user and password, or both.

    A browser can send the token too: as the password of HTTP basic auth, with any user name.
    """

    token: str | None = None
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Auth | None:
        """The credentials in ``TIMELINE_AUTH_TOKEN`` / ``TIMELINE_AUTH_USER`` +
        ``TIMELINE_AUTH_PASSWORD``, or None when none is set (no authentication).

        Raises:
            ValueError: only one of the user and the password is set.
        """
        env = os.environ if environ is None else environ
        token, user, password = (env.get(name) or None for name in (TOKEN_ENV, USER_ENV, PASSWORD_ENV))
        if (user is None) != (password is None):
            raise ValueError(f"set both {USER_ENV} and {PASSWORD_ENV}, or neither")
        if token is None and user is None:
            return None
        return cls(token, user, password)

    def allows(self, authorization: str | None) -> bool:
        """Whether an ``Authorization`` header carries these credentials (compared in constant time)."""
        scheme, _, value = (authorization or "").partition(" ")
        value = value.strip()
        if scheme.lower() == "bearer":
            return self.token is not None and _same(value, self.token)
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        by_token = self.token is not None and _same(password, self.token)
        by_user = (
            self.user is not None
            and self.password is not None
            and _same(user, self.user) & _same(password, self.password)  # both compared, always
        )
        return by_token or by_user


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def secure(app: Dash, auth: Auth | None = None, proxies: int = 0) -> Dash:
    """Add compression, security headers, ``/healthz``, a clear 413 and (with ``auth``)
    authentication on every other route to ``app``'s Flask server.

    ``proxies`` reverse proxies in front are trusted for ``X-Forwarded-For``/``-Proto``/``-Host``
    (so a client's upload share counts the client, not the proxy); with none, those headers
    are ignored, as anyone can send them.
    """
    from flask_compress import Compress
    from werkzeug.middleware.proxy_fix import ProxyFix

    server: Flask = app.server
    if proxies:
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    server.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    server.config.setdefault("COMPRESS_MIN_SIZE", 500)
    Compress(server)

    # Registered after Compress, so it runs before it: a file streamed from disk (the assets)
    # is read whole and closed here. flask-compress would otherwise wrap the open file in a
    # generator that never closes it.
    @server.after_request
    def buffer_files(response: Response) -> Response:
        if response.is_streamed and response.direct_passthrough and response.status_code == 200:
            body = response.response
            try:
                data = b"".join(chunk if isinstance(chunk, bytes) else chunk.encode() for chunk in body)
            finally:
                close = getattr(body, "close", None)
                if close is not None:
                    close()
            response.direct_passthrough = False
            response.set_data(data)
        return response

    policy: list[str] = []  # worked out on the first request, once every callback exists

    @server.route(HEALTH_PATH)
    def healthz() -> Response:
        library = server.extensions.get(LIBRARY_KEY)
        events = len(library.served().dataset.events) if library is not None else None
        return jsonify(status="ok", events=events)

    @server.before_request
    def authenticate() -> Response | None:
        if auth is None or request.path == HEALTH_PATH or auth.allows(request.headers.get("Authorization")):
            return None
        return Response(
            "Authentication required.\n",
            401,
            {"WWW-Authenticate": 'Basic realm="timeline", charset="UTF-8"', "Content-Type": "text/plain"},
        )

    @server.after_request
    def headers(response: Response) -> Response:
        if not policy:
            policy.append(content_security_policy(list(app.csp_hashes())))
        response.headers.setdefault("Content-Security-Policy", policy[0])
        for name, value in STATIC_HEADERS.items():
            response.headers.setdefault(name, value)
        if auth is not None:
            response.headers.setdefault("Cache-Control", "private, no-store")
        if not UploadStore.valid(request.cookies.get(SESSION_COOKIE)):
            response.set_cookie(
                SESSION_COOKIE, secrets.token_urlsafe(24), httponly=True, samesite="Strict", secure=request.is_secure
            )
        return response

    @server.errorhandler(413)
    def too_large(_error: Exception) -> tuple[str, int, dict[str, str]]:
        limit = server.config.get("MAX_CONTENT_LENGTH")
        size = f" (the limit is {limit // (1024 * 1024)} MB)" if isinstance(limit, int) else ""
        return (
            f"Request too large{size}: the server refused it. Upload a smaller file.\n",
            413,
            {"Content-Type": "text/plain; charset=utf-8"},
        )

    return app


def build(
    data: Path | str,
    options: ReadOptions | None = None,
    engine: str = "auto",
    upload_dir: Path | str | None = None,
    auth: Auth | None = None,
    proxies: int = 0,
) -> Dash:
    """The app as ``timeline serve`` serves it: :func:`~timeline.app.create_app`, then :func:`secure`."""
    from timeline.app import create_app

    return secure(create_app(data, options, engine, upload_dir), auth, proxies)


def run_gunicorn(factory: Callable[[], Dash], host: str, port: int, workers: int, threads: int) -> None:
    """Serve with gunicorn: ``workers`` processes of ``threads`` threads (gthread), each
    building its own app with ``factory`` (after the fork, so no worker shares a DuckDB
    connection or a kaleido browser with another)."""
    from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn is untyped
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": [bind],
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "control_socket_disable": True,  # gunicorn 27 shares ~/.gunicorn/gunicorn.ctl otherwise
                "timeout": 120,
                # Longer than a reader's pause between clicks: at gunicorn's 2 s, a browser (or a
                # proxy) reusing a connection just as the server closed it saw a connection error.
                "keepalive": 75,
                "proc_name": "timeline",
            }
            for key, value in settings.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return factory().server

    Server().run()
