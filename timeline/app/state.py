"""Where the app's datasets live: the served file (reloaded when it changes on disk) and
uploads, each private to the browser session that made it.

Uploads are kept on disk (:class:`UploadStore`), so that every worker process of a server
sees them and they survive a restart. No module-level state: one :class:`Library` belongs
to one app.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from timeline.dataset import Dataset, Era, ReadOptions
from timeline.io import load_events
from timeline.schema import Problem, ValidationError

UPLOAD_DIR_ENV = "TIMELINE_UPLOAD_DIR"
"""Environment variable naming the upload directory (``--upload-dir`` wins over it)."""

UPLOAD_EXPIRY_SECONDS = 24 * 3600
"""How long an upload is kept after it was made."""

UPLOAD_CAP_BYTES = 512 * 1024 * 1024
"""Total size of the upload directory; past it the client holding the most gives up its oldest first."""

UPLOADS_PER_CLIENT = 8
"""Uploads kept per client address: a ninth drops that client's own oldest, nobody else's."""

TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
"""What :func:`secrets.token_urlsafe` (24 bytes) gives; nothing else names a file on disk."""

LOADED = 8
"""Uploads a process keeps loaded in memory (with their engines), most recently used."""


def default_upload_dir() -> Path:
    """``$TIMELINE_UPLOAD_DIR``, else the per-user cache (``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    named = os.environ.get(UPLOAD_DIR_ENV)
    if named:
        return Path(named).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "timeline" / "uploads"


SESSION_COOKIE = "timeline_session"
"""An HttpOnly cookie naming the browser session (set by :func:`timeline.serving.secure`);
an upload made with it is readable only with it, so a replayed token alone reads nothing."""


def current_owner() -> str | None:
    """The session cookie of the current request ("" without one), or None outside a request."""
    from flask import has_request_context, request

    if not has_request_context():
        return None
    value = request.cookies.get(SESSION_COOKIE, "")
    return value if UploadStore.valid(value) else ""


def current_client() -> str:
    """The address of the client making the current request ("" outside one)."""
    try:
        from flask import has_request_context, request
    except ImportError:  # pragma: no cover - Flask comes with Dash
        return ""
    return (request.remote_addr or "") if has_request_context() else ""


@dataclass(frozen=True)
class _Entry:
    token: str
    client: str
    created: float
    size: int


class UploadStore:
    """Uploads as files in a directory: ``<token>.parquet`` (the events) beside
    ``<token>.json`` (name, title, credit, eras, lane order, client, time).

    Any process with the same directory sees the same uploads. Files are written under a
    temporary name and renamed into place, so a reader never sees half an upload.

    Args:
        root: the directory (made if missing, readable by its owner only).
        expiry: seconds an upload lives. cap_bytes: total size kept.
        per_client: uploads kept per client address.
    """

    def __init__(
        self,
        root: Path,
        expiry: float = UPLOAD_EXPIRY_SECONDS,
        cap_bytes: int = UPLOAD_CAP_BYTES,
        per_client: int = UPLOADS_PER_CLIENT,
    ) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.expiry = expiry
        self.cap_bytes = cap_bytes
        self.per_client = per_client
        self._lock = threading.Lock()

    @staticmethod
    def valid(token: object) -> bool:
        """Whether ``token`` has the form of a token (checked before any file is touched)."""
        return isinstance(token, str) and TOKEN.fullmatch(token) is not None

    def _paths(self, token: str) -> tuple[Path, Path]:
        return self.root / f"{token}.parquet", self.root / f"{token}.json"

    def put(self, dataset: Dataset, client: str = "", owner: str = "") -> str:
        """Write an upload; return its new token. ``owner``: the session allowed to read it
        ("" for anyone holding the token)."""
        token = secrets.token_urlsafe(24)
        data, meta = self._paths(token)
        stamp = f".{os.getpid()}.{threading.get_ident()}.tmp"
        data_tmp, meta_tmp = data.with_name(data.name + stamp), meta.with_name(meta.name + stamp)
        dataset.events.to_parquet(data_tmp)
        about = {
            "name": dataset.name,
            "title": dataset.title,
            "credit": dataset.credit,
            "eras": [dataclasses.asdict(era) for era in dataset.eras],
            "lane_order": dataset.lane_order,
            "client": client,
            "owner": owner,
            "created": time.time(),
        }
        meta_tmp.write_text(json.dumps(about), encoding="utf-8")
        os.replace(data_tmp, data)
        os.replace(meta_tmp, meta)  # the meta file last: an upload exists once it is there
        self.tidy(keep=token)
        return token

    def _about(self, token: str) -> dict[str, Any] | None:
        try:
            about = json.loads(self._paths(token)[1].read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return about if isinstance(about, dict) else None

    def created(self, token: str, owner: str | None = None) -> float | None:
        """When the upload was made, or None when it is gone, expired, or (``owner`` given)
        owned by another session."""
        if not self.valid(token):
            return None
        about = self._about(token)
        if about is None or not self._paths(token)[0].exists():
            return None
        kept_for = str(about.get("owner", ""))
        if owner is not None and kept_for and not secrets.compare_digest(kept_for, owner):
            return None
        created = float(about.get("created", 0))
        return created if time.time() - created < self.expiry else None

    def get(self, token: str) -> Dataset | None:
        """The upload behind ``token``, or None (malformed, unknown, expired or evicted)."""
        if self.created(token) is None:
            return None
        about = self._about(token)
        try:
            events = pd.read_parquet(self._paths(token)[0])
        except (OSError, ValueError):
            return None
        if about is None:
            return None
        return Dataset(
            events=events,
            name=str(about.get("name", "")),
            title=str(about.get("title", "")),
            credit=str(about.get("credit", "")),
            eras=tuple(Era(**era) for era in about.get("eras", [])),
            lane_order=str(about.get("lane_order", "count")),
        )

    def _entries(self) -> list[_Entry]:
        entries = []
        for meta in self.root.glob("*.json"):
            token = meta.stem
            if not self.valid(token):
                continue
            about = self._about(token)
            data = self._paths(token)[0]
            try:
                size = data.stat().st_size + meta.stat().st_size
            except OSError:
                continue
            if about is not None:
                entries.append(_Entry(token, str(about.get("client", "")), float(about.get("created", 0)), size))
        return sorted(entries, key=lambda e: e.created)

    def remove(self, token: str) -> None:
        """Forget an upload (a missing one is fine)."""
        if not self.valid(token):
            return
        for path in reversed(self._paths(token)):
            path.unlink(missing_ok=True)

    def tidy(self, keep: str | None = None) -> None:
        """Drop expired uploads, then each client's oldest past its share, then, past the size
        cap, the oldest of whichever client holds the most bytes (never ``keep``, the upload
        just made)."""
        with self._lock:
            now = time.time()
            entries = []
            for entry in self._entries():
                if now - entry.created >= self.expiry and entry.token != keep:
                    self.remove(entry.token)
                else:
                    entries.append(entry)
            by_client: dict[str, list[_Entry]] = {}
            for entry in entries:
                by_client.setdefault(entry.client, []).append(entry)
            for own in by_client.values():
                excess = [e for e in own if e.token != keep][: max(len(own) - self.per_client, 0)]
                for entry in excess:
                    self.remove(entry.token)
                    entries.remove(entry)
            # Past the size cap, the client holding the most gives up its oldest upload first:
            # filling the disk costs the one who filled it, not the others.
            total = sum(e.size for e in entries)
            while total > self.cap_bytes:
                candidates = [e for e in entries if e.token != keep]
                if not candidates:
                    break
                count: dict[str, int] = {}
                held: dict[str, int] = {}
                for entry in entries:
                    count[entry.client] = count.get(entry.client, 0) + 1
                    held[entry.client] = held.get(entry.client, 0) + entry.size
                # Most uploads, then most whole MB (a few bytes of metadata decide nothing), then oldest.
                victim = min(candidates, key=lambda e: (-count[e.client], -(held[e.client] >> 20), e.created))
                self.remove(victim.token)
                entries.remove(victim)
                total -= victim.size


@dataclass(frozen=True)
class Served:
    """The served dataset, and the problems of the file on disk if it no longer loads."""

    dataset: Dataset
    problems: ValidationError | None


class Library:
    """The served data file and the sessions' uploads.

    Args:
        path: the data file; it is read again when its modification time or size changes.
        dataset: the file, already loaded (so a server never starts on a bad file).
        options: how to read the file.
        engine: which engine answers the views.
        uploads: where uploads are kept (default: an :class:`UploadStore` in
            :func:`default_upload_dir`).
    """

    def __init__(
        self,
        path: Path,
        dataset: Dataset,
        options: ReadOptions | None = None,
        engine: str = "auto",
        uploads: UploadStore | None = None,
    ) -> None:
        self._path = path
        self._options = options or ReadOptions()
        self._engine = engine
        self._lock = threading.Lock()
        self._reloading = False
        self._good = self._ready(dataset)
        self._problems: ValidationError | None = None
        self._stamp = self._file_stamp()
        self.uploads = uploads or UploadStore(default_upload_dir())
        # Uploads this process has loaded, with their engines: (created, dataset) by token.
        self._loaded: OrderedDict[str, tuple[float, Dataset]] = OrderedDict()

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self._path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def served(self) -> Served:
        """The served dataset, reloaded first if the file changed since last look.

        The file is read outside the lock, by one caller at a time; everyone else keeps
        getting the last good data meanwhile, and the new data is swapped in under the lock.
        So a slow or stuck read never holds up another request.
        """
        stamp = self._file_stamp()
        with self._lock:
            if stamp == self._stamp or self._reloading:
                return Served(self._good, self._problems)
            self._reloading = True
        good: Dataset | None = None
        problems: ValidationError | None = None
        try:
            good = self._ready(load_events(self._path, self._options))
        except ValidationError as error:
            problems = error  # keep serving the last good data
        finally:
            with self._lock:
                self._reloading = False
                self._stamp = stamp
                if good is not None:
                    self._good = good
                self._problems = problems
        with self._lock:
            return Served(self._good, self._problems)

    def _ready(self, dataset: Dataset) -> Dataset:
        """The dataset on the chosen engine, its engine built now rather than on the first view."""
        ready = (
            dataset
            if dataset.engine_choice == self._engine
            else dataclasses.replace(dataset, engine_choice=self._engine)
        )
        try:
            ready.engine  # noqa: B018  build it before anyone waits for it
        except MemoryError as error:  # pyarrow's ArrowMemoryError is one too
            detail = str(error).strip() or "the machine ran out of memory"
            rule = f"not enough memory to index {len(dataset.events):,} events: {detail}"
            raise ValidationError([Problem(dataset.name or str(self._path), None, None, None, rule)]) from None
        return ready

    def add_upload(self, dataset: Dataset, client: str | None = None) -> str:
        """Keep an upload; return the unguessable token that the session holds for it.

        ``client`` (default: the current request's address) is whose share it counts against.
        """
        token = self.uploads.put(dataset, current_client() if client is None else client, current_owner() or "")
        created = self.uploads.created(token)
        if created is not None:
            self._remember(token, created, self._ready(dataset))
        return token

    def _remember(self, token: str, created: float, dataset: Dataset) -> None:
        with self._lock:
            self._loaded[token] = (created, dataset)
            self._loaded.move_to_end(token)
            while len(self._loaded) > LOADED:
                self._loaded.popitem(last=False)

    def upload(self, token: str) -> Dataset | None:
        """The upload behind a session's token, if the server still has it."""
        if not UploadStore.valid(token):
            return None  # before any file is touched: a token names only its own upload
        # Another worker may have evicted it; another session's cookie does not open it.
        created = self.uploads.created(token, current_owner())
        if created is None:
            with self._lock:
                self._loaded.pop(token, None)
            return None
        with self._lock:
            held = self._loaded.get(token)
            if held is not None and held[0] == created:
                self._loaded.move_to_end(token)
                return held[1]
        stored = self.uploads.get(token)
        if stored is None:
            return None
        dataset = self._ready(stored)
        self._remember(token, created, dataset)
        return dataset

    def resolve(self, store: object) -> tuple[Dataset, str | None]:
        """The dataset a session sees, and a note when its upload is gone.

        ``store`` is what the upload callback wrote: ``None`` or ``{"token", "name"}``. A
        hand-made request may send anything; what is not a token is no upload.
        """
        session = store if isinstance(store, dict) else {}
        token, name = session.get("token"), session.get("name")
        if isinstance(token, str) and token:
            dataset = self.upload(token)
            if dataset is not None:
                return dataset, None
            name = name if isinstance(name, str) and name else "your file"
            return self.served().dataset, (
                f"The server no longer holds {name} (it expired, the server made room, or the link is not "
                "yours); showing the default data. Upload the file again to see it."
            )
        return self.served().dataset, None
