"""The Dash app: :func:`create_app` builds it around a dataset file."""

from __future__ import annotations

from pathlib import Path

from dash import Dash

from timeline.app import article, eventlist, guard, theme, urlstate
from timeline.app.callbacks import register_callbacks
from timeline.app.layout import UPLOAD_LIMIT_BYTES, build_layout
from timeline.app.provenance import register_provenance
from timeline.app.state import Library, UploadStore, default_upload_dir
from timeline.dataset import ReadOptions
from timeline.io import DEFAULT_DATA, load_events
from timeline.resources import resource_root

ASSETS = resource_root() / "assets"


def create_app(
    data: Path | str = DEFAULT_DATA,
    options: ReadOptions | None = None,
    engine: str = "auto",
    upload_dir: Path | str | None = None,
) -> Dash:
    """Build the dashboard for an events file.

    Args:
        data: the events file to serve. options: how to read it.
        engine: which engine answers the views (see :data:`timeline.engine.ENGINES`).
        upload_dir: where uploads are kept, shared by every worker (default:
            :func:`timeline.app.state.default_upload_dir`).

    Raises:
        ValidationError: the file does not load (the server never starts on bad data).
    """
    path = Path(data)
    uploads = UploadStore(Path(upload_dir) if upload_dir is not None else default_upload_dir())
    library = Library(path, load_events(path, options), options, engine, uploads)
    app = Dash(
        __name__,
        title="timeline",
        assets_folder=str(ASSETS),
        update_title=None,  # type: ignore[arg-type]  # None: keep the title while updating
    )
    # Base64 inflates an upload by 4/3; leave room for the JSON around it, refuse the rest.
    app.server.config["MAX_CONTENT_LENGTH"] = UPLOAD_LIMIT_BYTES * 2
    app.server.extensions["timeline.library"] = library  # read by /healthz (timeline.serving)
    app.layout = lambda: build_layout(library.served().dataset.lane_order)
    register_callbacks(app, library)
    urlstate.register(app, library)
    eventlist.register(app, library)
    theme.register(app, library)
    register_provenance(app, library)
    article.register(app, library)
    guard.install(app, library)
    return app
