"""The dashboard's "Add an article": paste or drop a news text, give its publication date and
publisher, and the candidate events :func:`timeline.extract.extract` finds in it appear on the
timeline, framed as unreviewed. The reader accepts, edits or rejects each one beside its
sentence in the article's text, then downloads the accepted ones as an events file or merges
them into the view.

What the review computes is in :mod:`timeline.app.review` (plain functions); this module reads
what the page sends, draws the form and the review, and wires them. Where things live:

- the article and its candidates: on the server, in an :class:`~timeline.app.review.ArticleStore` beside the uploads
  and bound to the browser session like them, under a token the tab holds;
- the reader's decisions and edits: in the tab's memory (:data:`timeline.app.ids.ARTICLE_REVIEW`),
  a few bytes per candidate, so every review request stays under the callback body limit;
- the timeline's view of them: an upload of the data shown before plus the candidates not
  rejected, made again after each decision, so the chart, the list and the details show them
  like any event (private to the tab, like uploads).

Only the submission itself (:data:`timeline.app.ids.ARTICLE_SUBMIT`) carries the text or the
file: :mod:`timeline.app.guard` lets that one request be as large as an upload.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import logging
from pathlib import Path
from typing import Any, cast

import dash_ag_grid as dag  # type: ignore[import-untyped]
import dash_mantine_components as dmc
import pandas as pd
from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from timeline import extract as engine
from timeline.app import ids
from timeline.app.review import (
    EDIT_LIMITS,
    FILE_NAME,
    MAX_LISTED,
    MOST_CANDIDATES,
    UNREVIEWED,
    ArticleStore,
    RefusalError,
    Review,
    accepted_file,
    chosen_ids,
    fresh_ids,
    grid_rows,
    review_of,
    reviewed,
    tally,
    view_of,
    with_edit,
    with_verdict,
)
from timeline.app.state import Library, UploadStore, current_owner
from timeline.export import MIME_TYPES
from timeline.provenance import Document, Reading, read_document
from timeline.schema import (
    KINDS,
    ValidationError,
    counted,
    shorten,
)
from timeline.sources import Seed

log = logging.getLogger(__name__)

# The page's layout places this panel and the callbacks module imports the layout, so the two
# are imported where they are used, once every module of the app is loaded.


def upload_limit() -> int:
    """Largest file the page takes: the uploads' limit."""
    from timeline.app.layout import UPLOAD_LIMIT_BYTES

    return UPLOAD_LIMIT_BYTES


ARTICLE_LIMIT_CHARS = 100_000
"""Longest article text read, in characters: about 15,000 words, where a long news feature
has 5,000. A file may be as large as an upload (an HTML page is mostly markup); its text is
held to this."""
PUBLISHER_LIMIT = 200
PASTED = "the pasted text"
PASTED_TITLE = "The pasted text"
HEADLINE_LIMIT = 120

SOURCE_TEXT, SOURCE_FILE = "text", "file"
QUIET = "var(--article-quiet)"
"""Quiet words a shade darker than Mantine's dimmed grey, which is short of 4.5:1 on white
(``assets/article.css`` sets it for either theme)."""
READABLE = {"c": QUIET}
STRONG = "indigo.8"
"""Filled buttons a shade darker than the theme's, for white words at 4.5:1."""
ACTIONS = "article-actions"
HEADING = "article-review-heading"
ABOUT = "article-about"
NOTE = "article-note-box"


# ------------------------------------------------------------------ reading what was sent


def published_of(value: object) -> dt.date:
    """The publication date from the picker (``YYYY-MM-DD``, maybe with a time).

    Raises:
        RefusalError: none given, or not a date.
    """
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise RefusalError(
        "Give the article's publication date: every relative date in it (“on Sunday”, “last year”) "
        "is read from that day.",
        "Publication date missing",
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def text_of_file(sent: object) -> tuple[str, str]:
    """The name and text of a dropped file, as the browser's size check passes it on.

    Raises:
        RefusalError: no file, a file over the upload limit, or no data URL.
        ValidationError: the engine cannot read it (empty, binary, no text).
    """
    if not isinstance(sent, dict):
        raise RefusalError("Drop a .txt or .html file on the zone first, or paste the text instead.", "No file")
    name = sent.get("filename")
    name = name[:200] if isinstance(name, str) and name.strip() else FILE_NAME
    if "too_big" in sent:
        size = sent["too_big"]
        size = size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else 0
        raise RefusalError(
            f"{name} is {_megabytes(size)}; files up to {upload_limit() // 1_048_576} MB can be read here.",
            "File too large",
        )
    contents = sent.get("contents")
    if not isinstance(contents, str) or "," not in contents:
        raise RefusalError(f"{name} could not be read.", "Not read")
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        raise RefusalError(f"{name} could not be read.", "Not read") from None
    if len(data) > upload_limit():
        raise RefusalError(
            f"{name} is {_megabytes(len(data))}; files up to {upload_limit() // 1_048_576} MB can be read here.",
            "File too large",
        )
    return name, engine.read_article(data, name)


def named(error: ValidationError, name: str) -> ValidationError:
    """The same problems, said of ``name`` (a pasted text is named by its headline for the events'
    ``source``, but the reader knows it as the text they pasted)."""
    return ValidationError([dataclasses.replace(problem, file=name) for problem in error.problems])


def _too_long(length: int, where: str) -> RefusalError:
    return RefusalError(
        f"{where} is {length:,} characters long; articles up to {ARTICLE_LIMIT_CHARS:,} characters "
        f"(about {ARTICLE_LIMIT_CHARS // 6_500 * 1_000:,} words) can be read here. Paste one article at a time.",
        "Text too long",
    )


def headline_of(text: str) -> str:
    """The first line of a text, cut to :data:`HEADLINE_LIMIT` characters ("" when blank)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return shorten(first, HEADLINE_LIMIT)


def article_of(submit: object) -> engine.Article:
    """The article the reader sent: ``{"source", "text" | "file" | "too_long", "published", "publisher"}``
    as the browser's check (:data:`CHECK_SUBMISSION`) writes it.

    Raises:
        RefusalError: a missing date, an empty text, no file, a text or file too large.
        ValidationError: the engine cannot read the file.
    """
    if not isinstance(submit, dict):
        raise PreventUpdate  # not what the page sends
    published = published_of(submit.get("published"))
    publisher = submit.get("publisher")
    publisher = " ".join(publisher.split())[:PUBLISHER_LIMIT] if isinstance(publisher, str) else ""
    if submit.get("source") == SOURCE_FILE:
        name, text = text_of_file(submit.get("file"))
        where = name
    else:
        too_long = submit.get("too_long")
        if isinstance(too_long, int) and not isinstance(too_long, bool):
            raise _too_long(too_long, PASTED_TITLE)
        sent = submit.get("text")
        text = sent if isinstance(sent, str) else ""
        name = headline_of(text) or PASTED  # the events' source reads "RT: <headline>"
        where = PASTED_TITLE
    if not text.strip():
        raise RefusalError(
            f"{name} holds no text." if where != PASTED_TITLE else "Paste the article's text first.", "No text"
        )
    if len(text) > ARTICLE_LIMIT_CHARS:
        raise _too_long(len(text), where)
    return engine.Article(text=text, published=published, publisher=publisher, name=name)


def candidates_of(article: engine.Article) -> pd.DataFrame:
    """The engine's candidates for one article, each marked unreviewed.

    Raises:
        RefusalError: the text names no event the engine can date, or more than the page takes.
        ValidationError: the engine refuses the article (its problems name why).
    """
    found = engine.extract([article]).events
    if not len(found):
        raise RefusalError(
            "No candidate event was found: the text names no statement or action with a date to place it. "
            "Check that it is a news article, and its publication date.",
            "Nothing found",
        )
    if len(found) > MOST_CANDIDATES:
        raise RefusalError(f"The text gives {len(found):,} candidates; the page takes {MOST_CANDIDATES:,}.", "Too many")
    out = found.reset_index(drop=True)
    out["review"] = UNREVIEWED
    return out


def undated_note(events: pd.DataFrame) -> dmc.Alert | None:
    """A word on the candidates whose sentence gives no date: the engine placed each in an honest
    window and flagged it low confidence, and the reader should know before accepting it."""
    undated = int((events["date_text"].astype(str).str.strip() == "").sum())
    if not undated:
        return None
    every = undated == len(events)
    if every:
        what = "No sentence of the article gives a date: each candidate is placed in a window"
    else:
        verb = "comes" if undated == 1 else "come"
        what = f"{undated} of {counted(len(events), 'candidate')} {verb} from a sentence that gives no date"
        what += ": it is placed in a window" if undated == 1 else ": each is placed in a window"
    how = " the text allows (see its confidence), not on a day. "
    return notice(
        f"{what}{how}Check the dates before you accept them.",
        "yellow",
        "Dates the text does not give",
        id=ids.ARTICLE_NOTE,
    )


def document_of(article: engine.Article) -> Document:
    """The article as a source document (what the provenance reading takes)."""
    seed = Seed(FILE_NAME, article.publisher or article.name, article.published.isoformat(), headline_of(article.text))
    return Document(seed, Path(article.name), article.text)


def reading_of(article: engine.Article, events: pd.DataFrame) -> Reading | None:
    """The article read against its candidates not rejected (see :func:`timeline.provenance.read_document`)."""
    cited = events[events["review"] != "rejected"].assign(source=FILE_NAME)
    return read_document(document_of(article), cited) if len(cited) else None


def article_text(article: engine.Article, events: pd.DataFrame, current: str | None) -> list[Any]:
    """The article's paragraphs as text: the current candidate's sentence marked (``mark``), the
    other candidates' sentences underlined. Every piece is a text child, never markup."""
    reading = reading_of(article, events)
    if reading is None:
        paragraphs = [[line] for line in article.text.splitlines() if line.strip()]
        notes: list[Any] = []
    else:
        paragraphs = []
        for pieces in reading.paragraphs:
            children: list[Any] = []
            for piece in pieces:
                if current is not None and current in piece.events:
                    children.append(html.Mark(piece.text, className="article-current"))
                elif piece.events:
                    children.append(html.Span(piece.text, className="article-passage"))
                else:
                    children.append(piece.text)
            paragraphs.append(children)
        lost = current is not None and current in reading.missing
        notes = [dmc.Text("Its sentence is not found in the text.", size="xs", c="orange.9")] if lost else []
    body = [
        html.P(children, className="prov-paragraph prov-headline" if number == 0 else "prov-paragraph")
        for number, children in enumerate(paragraphs)
    ]
    return [*notes, *body]


# ------------------------------------------------------------------ the page


def check_file() -> str:
    """Runs in the browser when a file is dropped: a file over the upload limit never leaves it."""
    return f"""
function(contents, filename) {{
    if (!contents) {{ return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }}
    const input = document.querySelector('#{ids.ARTICLE_FILE} input[type=file]');
    if (input) {{ input.value = ''; }}
    const comma = contents.indexOf(',');
    const bytes = Math.floor((contents.length - comma - 1) * 3 / 4);
    const size = bytes < 1024 ? bytes + ' bytes' : bytes < 1048576 ? Math.round(bytes / 1024) + ' KB'
        : (bytes / 1048576).toFixed(1) + ' MB';
    const note = filename + ' (' + size + '): press Extract to read it.';
    if (bytes > {upload_limit()}) {{ return [{{filename: filename, too_big: bytes}}, note]; }}
    return [{{filename: filename, contents: contents}}, note];
}}
"""


CHECK_SUBMISSION = f"""
function(clicks, source, text, file, published, publisher) {{
    if (!clicks) {{ return window.dash_clientside.no_update; }}
    const sent = {{source: source, published: published, publisher: publisher, sent: clicks}};
    if (source === '{SOURCE_FILE}') {{
        sent.file = file || null;
    }} else if (typeof text === 'string' && text.length > {ARTICLE_LIMIT_CHARS}) {{
        sent.too_long = text.length;
    }} else {{
        sent.text = text || '';
    }}
    return sent;
}}
"""
"""Runs in the browser on Extract: a text over the limit is not sent, only its length."""


def header_tools() -> list[Any]:
    """The header's "Add an article" button (on a phone's narrow header, see :func:`nav_tools`)."""
    return [
        dmc.Button(
            "Add an article",
            id=ids.ARTICLE_OPEN,
            variant="outline",
            color=STRONG,
            size="xs",
            visibleFrom="sm",
            **cast(dict[str, Any], {"aria-haspopup": "dialog"}),
        )
    ]


def nav_tools() -> list[Any]:
    """The same button in the navbar's data section, shown where the header has no room for it."""
    return [
        dmc.Button(
            "Add an article",
            id=ids.ARTICLE_OPEN_NAV,
            variant="outline",
            color=STRONG,
            size="xs",
            fullWidth=True,
            hiddenFrom="sm",
            **cast(dict[str, Any], {"aria-haspopup": "dialog"}),
        )
    ]


def _form() -> dmc.Drawer:
    limit_mb = upload_limit() // 1_048_576
    file_zone = html.Label(
        dcc.Upload(
            id=ids.ARTICLE_FILE,
            children=dmc.Stack(
                [
                    dmc.Text("Drop the article's file here or click", size="sm"),
                    dmc.Text(f"Plain text or HTML (main text only) · up to {limit_mb} MB", size="xs", c=QUIET),
                ],
                gap=2,
                align="center",
            ),
            className="upload-zone",
            multiple=False,
        ),
        className="upload-label",
    )
    return dmc.Drawer(
        dmc.Stack(
            [
                dmc.Text(
                    "The events the article reports (who said or did what, and when) are found in it and drawn "
                    "on the timeline for you to review. Only this browser tab sees them.",
                    size="sm",
                ),
                dmc.Tabs(
                    [
                        dmc.TabsList(
                            [
                                dmc.TabsTab("Paste the text", value=SOURCE_TEXT),
                                dmc.TabsTab("Read a file", value=SOURCE_FILE),
                            ]
                        ),
                        dmc.TabsPanel(
                            dmc.Textarea(
                                id=ids.ARTICLE_TEXT,
                                label="Article text",
                                description="The headline first, if you have it; then the article as published.",
                                descriptionProps=READABLE,
                                placeholder="Paste the article here",
                                autosize=True,
                                minRows=8,
                                maxRows=16,
                                value="",
                                pt="xs",
                            ),
                            value=SOURCE_TEXT,
                        ),
                        dmc.TabsPanel(
                            dmc.Stack(
                                [file_zone, dmc.Text(id=ids.ARTICLE_FILE_NAME, size="xs", className="article-file")],
                                gap=4,
                                pt="xs",
                            ),
                            value=SOURCE_FILE,
                        ),
                    ],
                    id=ids.ARTICLE_SOURCE,
                    value=SOURCE_TEXT,
                ),
                dmc.Group(
                    [
                        dmc.DatePickerInput(
                            id=ids.ARTICLE_PUBLISHED,
                            label="Publication date",
                            description="Relative dates are read from it",
                            descriptionProps=READABLE,
                            placeholder="Pick a day",
                            required=True,
                            clearable=True,
                            clearButtonProps={"aria-label": "Clear the publication date"},
                            ariaLabels={
                                "nextMonth": "Next month",
                                "previousMonth": "Previous month",
                                "nextYear": "Next year",
                                "previousYear": "Previous year",
                                "nextDecade": "Next decade",
                                "previousDecade": "Previous decade",
                            },
                            valueFormat="D MMM YYYY",
                            value=None,
                            w=200,
                        ),
                        dmc.TextInput(
                            id=ids.ARTICLE_PUBLISHER,
                            label="Publisher",
                            description="Cited as each event's source",
                            descriptionProps=READABLE,
                            placeholder="RT, Reuters, BBC …",
                            value="",
                            inputProps={"maxLength": PUBLISHER_LIMIT},
                            w=200,
                        ),
                    ],
                    align="flex-start",
                    gap="md",
                ),
                dmc.Button("Extract the events", id=ids.ARTICLE_EXTRACT, n_clicks=0, color=STRONG),
                html.Div(id=ids.ARTICLE_ALERT, role="status"),
                dcc.Store(id=ids.ARTICLE_FILE_PENDING, storage_type="memory"),
                dcc.Store(id=ids.ARTICLE_SUBMIT, storage_type="memory"),
            ],
            gap="sm",
        ),
        id=ids.ARTICLE_DRAWER,
        title="Add an article",  # the drawer writes its own h2: a Title in it would nest one h2 in another
        opened=False,
        closeButtonProps={"aria-label": "Close the form"},
        position="right",
        size="lg",
        padding="md",
        keepMounted=False,
    )


GRID_COLUMNS: list[dict[str, Any]] = [
    {"field": "review", "headerName": "Review", "minWidth": 100, "editable": False},
    {"field": "actor", "headerName": "Actor", "minWidth": 120, "editable": True},
    {
        "field": "kind",
        "headerName": "Kind",
        "minWidth": 90,
        "editable": True,
        "cellEditor": "agSelectCellEditor",
        "cellEditorParams": {"values": list(KINDS)},
    },
    {"field": "title", "headerName": "Title", "minWidth": 200, "flex": 3, "editable": True},
    {"field": "date_text", "headerName": "As written", "minWidth": 110, "editable": False},
    {"field": "start", "headerName": "Start", "minWidth": 100, "editable": True},
    {"field": "end", "headerName": "End", "minWidth": 100, "editable": True},
    {
        "field": "confidence",
        "headerName": "Confidence",
        "minWidth": 96,
        "editable": False,
        "tooltipField": "confidence_reason",
    },
]
for _column in GRID_COLUMNS:
    _column.setdefault("flex", 1)
    if _column["field"] in EDIT_LIMITS:
        _column.setdefault("cellEditorParams", {"maxLength": EDIT_LIMITS[_column["field"]]})


def panel() -> list[Any]:
    """The review of an article's candidates (hidden until there are some), and the form."""
    grid = dag.AgGrid(
        id=ids.ARTICLE_GRID,
        rowData=[],
        columnDefs=GRID_COLUMNS,
        # Every cell is text: an inferred date type would read "2024-02-12" and show "2023" blank.
        defaultColDef={
            "resizable": True,
            "sortable": True,
            "filter": False,
            "suppressHeaderMenuButton": True,
            "cellDataType": "text",
        },
        getRowId="params.data.id",
        dashGridOptions={
            "rowSelection": {
                "mode": "multiRow",
                "checkboxes": True,
                "headerCheckbox": True,
                "enableClickSelection": False,
            },
            "singleClickEdit": False,
            "tooltipShowDelay": 300,
            "stopEditingWhenCellsLoseFocus": True,
            "rowClassRules": {
                "article-accepted": "params.data.review === 'accepted'",
                "article-rejected": "params.data.review === 'rejected'",
            },
        },
        style={"height": "300px", "width": "100%"},
    )
    buttons = dmc.Group(
        [
            dmc.Button("Accept ticked", id=ids.ARTICLE_ACCEPT, size="xs", color="teal.9"),
            dmc.Button("Reject ticked", id=ids.ARTICLE_REJECT, size="xs", color="red.9", variant="outline"),
            dmc.Button("Back to unreviewed", id=ids.ARTICLE_UNDO, size="xs", variant="default"),
        ],
        gap="xs",
    )
    finish = dmc.Group(
        [
            dmc.Button("Download accepted CSV", id=ids.ARTICLE_CSV, size="xs", variant="outline", color=STRONG),
            dmc.Button("Download accepted JSON", id=ids.ARTICLE_JSON, size="xs", variant="outline", color=STRONG),
            dmc.Button("Merge accepted into the view", id=ids.ARTICLE_MERGE, size="xs", color=STRONG),
            dmc.Button("Discard the candidates", id=ids.ARTICLE_DISCARD, size="xs", variant="default"),
        ],
        gap="xs",
        id=ACTIONS,
    )
    section = html.Section(
        [
            dmc.Group(
                [
                    dmc.Title("Candidates from the article", order=2, id=HEADING, className="article-heading"),
                    dmc.Badge(id=ids.ARTICLE_COUNT, variant="outline", color=STRONG, size="lg"),
                ],
                justify="space-between",
                gap="xs",
            ),
            dmc.Text(id=ABOUT, size="sm", className="article-about"),
            html.Div(id=NOTE),
            dmc.Text(
                "Framed on the timeline until you decide. Tick candidates, then accept or reject them; double-click "
                "an actor, kind, date or title to correct it; click a row to see its sentence in the article.",
                size="xs",
                c=QUIET,
            ),
            buttons,
            grid,
            html.Div(id=ids.ARTICLE_REVIEW_ALERT, role="status"),
            dmc.Text("The article", size="sm", fw=600, mt="xs"),
            html.Div(
                id=ids.ARTICLE_TEXT_BOX,
                className="prov-text article-text",
                lang="en",
                tabIndex="0",
                role="region",
                **cast(dict[str, Any], {"aria-label": "The article's text, the candidate's sentence marked"}),
            ),
            finish,
            dcc.Download(id=ids.ARTICLE_DOWNLOAD),
        ],
        id=ids.ARTICLE_PANEL,
        className="article-review",
        hidden=True,
        **cast(dict[str, Any], {"aria-labelledby": HEADING}),
    )
    return [section, _form(), dcc.Store(id=ids.ARTICLE_REVIEW, storage_type="memory")]


def notice(message: Any, color: str, title: str | None = None, **options: Any) -> dmc.Alert:
    """An alert whose title is in the text's colour: Mantine's light alerts colour it at under 4.5:1."""
    return dmc.Alert(
        message, title=title, color=color, styles={"title": {"color": "var(--mantine-color-text)"}}, **options
    )


def alert(refusal: RefusalError) -> dmc.Alert:
    return notice(refusal.message, "red", refusal.title)


def problems(title: str, error: ValidationError) -> dmc.Alert:
    """The engine's or the schema's problems, listed as text (at most :data:`MAX_LISTED`)."""
    listed = [dmc.ListItem(str(p)) for p in error.problems[:MAX_LISTED]]
    if len(error.problems) > MAX_LISTED:
        listed.append(dmc.ListItem(f"… and {len(error.problems) - MAX_LISTED} more"))
    return notice(dmc.List(listed, size="sm"), "red", title)


# ------------------------------------------------------------------ the callbacks


def register(app: Dash, library: Library) -> None:
    """Wire the panel's callbacks."""
    from timeline.app.callbacks import FILTER_INPUTS, event_panel, find_event, fresh_view, safe_filename, selected_id
    from timeline.app.layout import DETAIL_PLACEHOLDER

    articles = ArticleStore(library.uploads.root / "articles")

    app.clientside_callback(  # type: ignore[no-untyped-call]
        "(header, nav) => (header || nav) ? true : window.dash_clientside.no_update",
        Output(ids.ARTICLE_DRAWER, "opened"),
        Input(ids.ARTICLE_OPEN, "n_clicks"),
        Input(ids.ARTICLE_OPEN_NAV, "n_clicks"),
        prevent_initial_call=True,
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]
        check_file(),
        Output(ids.ARTICLE_FILE_PENDING, "data"),
        Output(ids.ARTICLE_FILE_NAME, "children"),
        Input(ids.ARTICLE_FILE, "contents"),
        State(ids.ARTICLE_FILE, "filename"),
        prevent_initial_call=True,
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]
        CHECK_SUBMISSION,
        Output(ids.ARTICLE_SUBMIT, "data"),
        Input(ids.ARTICLE_EXTRACT, "n_clicks"),
        State(ids.ARTICLE_SOURCE, "value"),
        State(ids.ARTICLE_TEXT, "value"),
        State(ids.ARTICLE_FILE_PENDING, "data"),
        State(ids.ARTICLE_PUBLISHED, "value"),
        State(ids.ARTICLE_PUBLISHER, "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]  # assets/provenance.js, as the provenance panel
        ClientsideFunction(namespace="provenance", function_name="scrollToCurrent"),
        Output(ids.ARTICLE_TEXT_BOX, "title"),
        Input(ids.ARTICLE_TEXT_BOX, "children"),
        prevent_initial_call=True,
    )

    def base_of(review: Review | None, store: object) -> dict[str, str] | None:
        """The data under the review: the review's own base while the tab shows its view, else
        what the tab shows now (the reader loaded other data meanwhile)."""
        token = store.get("token") if isinstance(store, dict) else None
        if review is not None and review.view and token == review.view:
            return review.base
        if isinstance(store, dict) and UploadStore.valid(token):
            return {"token": str(token), "name": str(store.get("name") or "")}
        return None

    def show(base: dict[str, str] | None, shown: pd.DataFrame, previous: str) -> dict[str, str]:
        """Keep the view of ``base`` with ``shown`` as an upload; drop the view it replaces."""
        dataset, _ = library.resolve(base)
        token = library.add_upload(view_of(dataset, shown))
        base_token = base["token"] if base else ""
        if previous and previous != base_token and library.uploads.created(previous, current_owner()) is not None:
            library.uploads.remove(previous)  # the tab's own superseded view, never its base
        return {"token": token, "name": (base or {}).get("name") or dataset.name}

    @app.callback(
        Output(ids.ARTICLE_ALERT, "children"),
        Output(ids.ARTICLE_REVIEW, "data"),
        Output(ids.DATASET, "data", allow_duplicate=True),
        Output(ids.ARTICLE_DRAWER, "opened", allow_duplicate=True),
        Output(ids.NAV_TOGGLE, "opened", allow_duplicate=True),
        *(Output(i, "value", allow_duplicate=True) for i in FILTER_INPUTS),
        Output(ids.LANE_ORDER, "value", allow_duplicate=True),
        Output(ids.WINDOW, "data", allow_duplicate=True),
        Input(ids.ARTICLE_SUBMIT, "data"),
        State(ids.DATASET, "data"),
        State(ids.ARTICLE_REVIEW, "data"),
        running=[(Output(ids.ARTICLE_EXTRACT, "loading"), True, False)],
        prevent_initial_call=True,
    )
    def extract_article(submit: Any, store: Any, kept: Any) -> tuple[Any, ...]:
        unchanged = (no_update,) * (len(FILTER_INPUTS) + 6)  # the view stays as it was
        try:
            article = article_of(submit)
            found = candidates_of(article)
        except RefusalError as refusal:
            return alert(refusal), *unchanged
        except ValidationError as error:
            pasted = isinstance(submit, dict) and submit.get("source") != SOURCE_FILE
            return problems("The article was not read", named(error, PASTED_TITLE) if pasted else error), *unchanged
        except PreventUpdate:
            raise
        except Exception:  # the engine's own failure must not become a 500 and a blank page
            log.exception("extracting an article failed")
            failed = RefusalError("The extractor failed on this text; the error is in the server's log.", "Not read")
            return alert(failed), *unchanged
        review = review_of(kept)
        base = base_of(review, store)
        dataset, _ = library.resolve(base)
        found = fresh_ids(found, set(dataset.events["id"].astype(str).tolist()))
        token = articles.put(article, found)
        view = show(base, found, review.view if review else "")
        kept_review = Review(article=token, base=base, view=view["token"], decisions={}, edits={})
        shown, _ = library.resolve(view)
        return None, kept_review.stored(), view, False, False, *fresh_view(shown)  # the chart in sight

    @app.callback(
        Output(ids.ARTICLE_PANEL, "hidden"),
        Output(ids.ARTICLE_GRID, "rowData"),
        Output(ids.ARTICLE_COUNT, "children"),
        Output(ABOUT, "children"),
        Output(NOTE, "children"),
        Input(ids.ARTICLE_REVIEW, "data"),
    )
    def show_review(kept: Any) -> tuple[Any, ...]:
        review = review_of(kept)
        held = articles.get(review.article) if review else None
        if review is None or held is None:
            return True, [], "", "", None
        article, candidates = held
        events = reviewed(candidates, review.decisions, review.edits)
        about = f"{document_of(article).describe()} · {counted(len(events), 'candidate')}"
        return False, grid_rows(events), tally(events), about, undated_note(events)

    @app.callback(
        Output(ids.ARTICLE_REVIEW, "data", allow_duplicate=True),
        Output(ids.ARTICLE_REVIEW_ALERT, "children"),
        Output(ids.DATASET, "data", allow_duplicate=True),
        Output(ids.ARTICLE_GRID, "deselectAll"),
        Input(ids.ARTICLE_ACCEPT, "n_clicks"),
        Input(ids.ARTICLE_REJECT, "n_clicks"),
        Input(ids.ARTICLE_UNDO, "n_clicks"),
        Input(ids.ARTICLE_GRID, "cellValueChanged"),
        State(ids.ARTICLE_GRID, "selectedRows"),
        State(ids.ARTICLE_REVIEW, "data"),
        State(ids.DATASET, "data"),
        prevent_initial_call=True,
    )
    def decide(
        _accept: Any, _reject: Any, _undo: Any, changes: Any, rows: Any, kept: Any, store: Any
    ) -> tuple[Any, ...]:
        review = review_of(kept)
        held = articles.get(review.article) if review else None
        if review is None or held is None:
            raise PreventUpdate
        _, candidates = held
        trigger = ctx.triggered_id
        notes: Any = None
        deselect: Any = no_update
        if trigger == ids.ARTICLE_GRID:
            edits, refused = with_edit(candidates, review, changes)
            decisions = review.decisions
            if refused:
                notes = notice(dmc.List([dmc.ListItem(p) for p in refused], size="sm"), "red", "That edit was not made")
        else:
            chosen = chosen_ids(rows, candidates)
            if not chosen:
                return no_update, notice("Tick one or more candidates first.", "yellow"), no_update, no_update
            verdict = {ids.ARTICLE_ACCEPT: "accepted", ids.ARTICLE_REJECT: "rejected"}.get(str(trigger))
            decisions, edits = with_verdict(review, chosen, verdict), review.edits
            deselect = True
        base = base_of(review, store)
        events = reviewed(candidates, decisions, edits)
        view = show(base, events[events["review"] != "rejected"], review.view)
        version = review.version + 1  # a refused edit still redraws the grid, taking the cell back
        kept_review = dataclasses.replace(
            review, base=base, view=view["token"], decisions=decisions, edits=edits, version=version
        )
        return kept_review.stored(), notes, view, deselect

    @app.callback(
        Output(ids.SELECTED, "data", allow_duplicate=True),
        Output(ids.DETAIL, "children", allow_duplicate=True),
        Input(ids.ARTICLE_GRID, "cellClicked"),
        State(ids.DATASET, "data"),
        prevent_initial_call=True,
    )
    def open_candidate(clicked: Any, store: Any) -> tuple[Any, Any]:
        """A row clicked in the review opens its candidate: on the chart, in the details and in the text."""
        event_id = clicked.get("rowId") if isinstance(clicked, dict) else None
        if not isinstance(event_id, str) or not event_id:
            raise PreventUpdate
        dataset, _ = library.resolve(store)
        position = find_event(dataset, event_id=event_id)
        if position is None:  # a rejected candidate: only its sentence is shown
            return {"id": event_id}, DETAIL_PLACEHOLDER
        return {"id": event_id}, event_panel(dataset, position)

    @app.callback(
        Output(ids.ARTICLE_TEXT_BOX, "children"),
        Input(ids.SELECTED, "data"),
        Input(ids.ARTICLE_REVIEW, "data"),
    )
    def mark_sentence(selected: Any, kept: Any) -> list[Any]:
        review = review_of(kept)
        held = articles.get(review.article) if review else None
        if review is None or held is None:
            return []
        article, candidates = held
        events = reviewed(candidates, review.decisions, review.edits)
        chosen = selected_id(selected)
        current = chosen if chosen in set(events["id"].tolist()) else None
        return article_text(article, events, current)

    @app.callback(
        Output(ids.ARTICLE_DOWNLOAD, "data"),
        Output(ids.ARTICLE_REVIEW_ALERT, "children", allow_duplicate=True),
        Input(ids.ARTICLE_CSV, "n_clicks"),
        Input(ids.ARTICLE_JSON, "n_clicks"),
        State(ids.ARTICLE_REVIEW, "data"),
        prevent_initial_call=True,
    )
    def download(_csv: Any, _json: Any, kept: Any) -> tuple[Any, Any]:
        fmt = {ids.ARTICLE_CSV: "csv", ids.ARTICLE_JSON: "json"}.get(str(ctx.triggered_id))
        review = review_of(kept)
        held = articles.get(review.article) if review else None
        if fmt is None or review is None or held is None:
            raise PreventUpdate
        article, candidates = held
        try:
            content = accepted_file(reviewed(candidates, review.decisions, review.edits), fmt)
        except RefusalError as refusal:
            return no_update, notice(refusal.message, "yellow")
        name = f"{safe_filename(article.publisher or article.name)}-{article.published.isoformat()}-accepted.{fmt}"
        payload = {
            "content": base64.b64encode(content).decode(),
            "filename": name,
            "type": MIME_TYPES[fmt],
            "base64": True,
        }
        return payload, None

    @app.callback(
        Output(ids.DATASET, "data", allow_duplicate=True),
        Output(ids.ARTICLE_REVIEW, "data", allow_duplicate=True),
        Output(ids.UPLOAD_ALERT, "children", allow_duplicate=True),
        Output(ids.ARTICLE_REVIEW_ALERT, "children", allow_duplicate=True),
        Input(ids.ARTICLE_MERGE, "n_clicks"),
        Input(ids.ARTICLE_DISCARD, "n_clicks"),
        State(ids.ARTICLE_REVIEW, "data"),
        State(ids.DATASET, "data"),
        prevent_initial_call=True,
    )
    def finish(_merge: Any, _discard: Any, kept: Any, store: Any) -> tuple[Any, ...]:
        """Merge the accepted candidates into the data shown before, or go back to it; the review ends."""
        review = review_of(kept)
        held = articles.get(review.article) if review else None
        if review is None or held is None or ctx.triggered_id not in (ids.ARTICLE_MERGE, ids.ARTICLE_DISCARD):
            raise PreventUpdate
        _, candidates = held
        base = base_of(review, store)
        if ctx.triggered_id == ids.ARTICLE_DISCARD:
            if review.view and library.uploads.created(review.view, current_owner()) is not None:
                library.uploads.remove(review.view)
            return base, None, notice("The article's candidates were discarded.", "gray"), None
        events = reviewed(candidates, review.decisions, review.edits)
        accepted = events[events["review"] == "accepted"]
        if not len(accepted):
            return no_update, no_update, no_update, notice("Accept at least one candidate first.", "yellow")
        dataset, _ = library.resolve(base)
        accepted = fresh_ids(accepted, set(dataset.events["id"].astype(str).tolist()))
        view = show(base, accepted, review.view)
        words = f"{counted(len(accepted), 'event')} from the article added to the view. Only this browser tab sees it."
        return view, None, notice(words, "green"), None
