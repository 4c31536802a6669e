"""Where the app's datasets live: the served file (reloaded when it changes on disk) and
uploads, each private to the browser session that made it.

No module-level state: one :class:`Library` belongs to one app.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from timeline.dataset import Dataset, ReadOptions
from timeline.io import load_events
from timeline.schema import ValidationError

MAX_UPLOADS = 64
"""Uploads kept in memory at once; the oldest goes first."""


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
    """

    def __init__(self, path: Path, dataset: Dataset, options: ReadOptions | None = None, engine: str = "auto") -> None:
        self._path = path
        self._options = options or ReadOptions()
        self._engine = engine
        self._lock = threading.Lock()
        self._good = self._ready(dataset)
        self._problems: ValidationError | None = None
        self._stamp = self._file_stamp()
        self._uploads: OrderedDict[str, Dataset] = OrderedDict()

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self._path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def served(self) -> Served:
        """The served dataset, reloaded first if the file changed since last look."""
        stamp = self._file_stamp()
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                try:
                    self._good = self._ready(load_events(self._path, self._options))
                    self._problems = None
                except ValidationError as error:
                    self._problems = error  # keep serving the last good data
            return Served(self._good, self._problems)

    def _ready(self, dataset: Dataset) -> Dataset:
        """The dataset on the chosen engine, its engine built now rather than on the first view."""
        ready = (
            dataset
            if dataset.engine_choice == self._engine
            else dataclasses.replace(dataset, engine_choice=self._engine)
        )
        ready.engine  # noqa: B018  build it before anyone waits for it
        return ready

    def add_upload(self, dataset: Dataset) -> str:
        """Keep an upload; return the unguessable token that the session holds for it."""
        dataset = self._ready(dataset)
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._uploads[token] = dataset
            while len(self._uploads) > MAX_UPLOADS:
                self._uploads.popitem(last=False)
        return token

    def upload(self, token: str) -> Dataset | None:
        """The upload behind a session's token, if the server still has it."""
        with self._lock:
            dataset = self._uploads.get(token)
            if dataset is not None:
                self._uploads.move_to_end(token)
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
                f"The server no longer holds {name} (it restarted or made room); "
                "showing the default data. Upload the file again to see it."
            )
        return self.served().dataset, None
