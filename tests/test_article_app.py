"""The dashboard's "Add an article" (timeline/app/article.py, timeline/app/review.py): its plain
functions, its callbacks through the Flask test client, and the unreviewed look of candidates
on the chart."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from dash import html
from dash._utils import split_callback_id
from factory import event, table
from test_fuzz_callbacks import Live, body, callback_key
from test_guard import post_raw

from timeline.app import create_app, ids
from timeline.app.article import ARTICLE_LIMIT_CHARS, article_of, article_text, undated_note
from timeline.app.guard import CALLBACK_BODY_LIMIT, upload_output
from timeline.app.layout import legend_row
from timeline.app.review import (
    RefusalError,
    Review,
    accepted_file,
    chosen_ids,
    fresh_ids,
    review_of,
    reviewed,
    view_of,
    with_edit,
    with_verdict,
)
from timeline.app.state import SESSION_COOKIE, Library
from timeline.dataset import Dataset
from timeline.extract import Article
from timeline.figures import UNREVIEWED_COLOR, dataset_figure
from timeline.io import DEFAULT_DATA, SEEDS_INDEX, read_events
from timeline.query import Filters

SEEDS = SEEDS_INDEX.parent


def with_review(events: pd.DataFrame, reviews: list[str]) -> pd.DataFrame:
    return events.assign(review=reviews)


def candidates_table() -> pd.DataFrame:
    rows = [
        event("a", "Alpha", "2024-02-10"),
        event("b", "Alpha", "2024-02-11"),
        event("c", "Beta", "2024-02-12"),
    ]
    return with_review(table(rows), ["", "unreviewed", "accepted"])


def test_unreviewed_candidates_get_a_ring_a_hover_line_and_a_legend_entry() -> None:
    figure = dataset_figure(Dataset(candidates_table(), "mixed"), Filters(), legend="none")
    rings = [t for t in figure["data"] if t.get("meta") == "review"]
    assert len(rings) == 1
    ring = rings[0]
    assert ring["marker"]["color"] == UNREVIEWED_COLOR
    assert ring["hoverinfo"] == "skip"
    events = [t for t in figure["data"] if t.get("meta") == "events"]
    hovers = [h for t in events for h in t["hovertext"].tolist()]
    flagged = [h for h in hovers if "Unreviewed candidate" in h]
    assert len(flagged) == 1 and "Alpha speaks" in flagged[0]
    # the ring sits on the one unreviewed event's marker: b, on 11 February
    assert len(ring["x"]) == 1
    day = np.datetime64("2024-02-11T12:00", "ms").astype(np.int64)
    assert abs(float(ring["x"][0]) - float(day)) <= 12 * 3_600_000
    legend = figure["layout"]["meta"]["legend"]
    key = {"group": "review", "name": "unreviewed candidate", "color": UNREVIEWED_COLOR, "symbol": "square-open"}
    assert key in legend
    assert ring["marker"]["symbol"] == "square-open"  # every other ring is round
    assert f"children='□', style={{'color': '{UNREVIEWED_COLOR}'}}" in str(legend_row(legend))  # the page's legend


def test_reviewed_or_plain_events_get_no_ring() -> None:
    plain = table([event("a", "Alpha", "2024-02-10"), event("b", "Beta", "2024-02-11")])
    for events in (plain, with_review(plain, ["accepted", "rejected"])):
        figure = dataset_figure(Dataset(events, "plain"), Filters())
        assert not [t for t in figure["data"] if t.get("meta") == "review"]
        assert all(entry["group"] != "review" for entry in figure["layout"]["meta"]["legend"])
        hovers = [h for t in figure["data"] if t.get("meta") == "events" for h in t["hovertext"].tolist()]
        assert hovers and not any("Unreviewed" in h for h in hovers)


def test_an_exported_figure_keys_the_ring_in_its_own_legend() -> None:
    figure = dataset_figure(Dataset(candidates_table(), "mixed"), Filters(), legend="right")
    keys = [t for t in figure["data"] if t.get("meta") == "key" and t.get("legendgroup") == "review"]
    assert len(keys) == 1 and keys[0]["name"] == "unreviewed candidate"


# ---------------------------------------------------------------- reading what the page sends

SEED_TEXT = (SEEDS / "000_4c4fdb7f43b4f576.txt").read_text(encoding="utf-8")


def submission(**fields: Any) -> dict[str, Any]:
    sent: dict[str, Any] = {"source": "text", "text": SEED_TEXT, "published": "2024-02-12", "publisher": "RT"}
    sent.update(fields)
    return sent


def data_url(data: bytes, mime: str = "text/plain") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode()


def test_a_pasted_article_is_read_with_its_date_and_publisher() -> None:
    article = article_of(submission(publisher="  RT \n English "))
    assert article.published == dt.date(2024, 2, 12)
    assert article.publisher == "RT English"
    assert article.text == SEED_TEXT


@pytest.mark.parametrize(
    ("fields", "title", "words"),
    [
        ({"published": None}, "Publication date missing", "publication date"),
        ({"published": "12/02/2024"}, "Publication date missing", "publication date"),
        ({"text": ""}, "No text", "Paste the article"),
        ({"text": " \n\t "}, "No text", "Paste the article"),
        ({"text": None, "too_long": 5_242_880}, "Text too long", "5,242,880 characters"),
        ({"text": "x" * (ARTICLE_LIMIT_CHARS + 1)}, "Text too long", f"{ARTICLE_LIMIT_CHARS:,} characters"),
        ({"source": "file", "file": None}, "No file", "Drop a .txt or .html file"),
        ({"source": "file", "file": {"filename": "big.txt", "too_big": 6_000_000}}, "File too large", "5.7 MB"),
        ({"source": "file", "file": {"filename": "odd.txt", "contents": "data:text/plain;base64,@@"}}, "Not read", ""),
    ],
)
def test_what_cannot_be_read_is_refused_in_words(fields: dict[str, Any], title: str, words: str) -> None:
    with pytest.raises(RefusalError) as refused:
        article_of(submission(**fields))
    assert refused.value.title == title
    assert words in refused.value.message


def test_a_dropped_file_is_read_by_the_engine() -> None:
    sent = {"filename": "seed.txt", "contents": data_url(SEED_TEXT.encode())}
    article = article_of(submission(source="file", file=sent, text=""))
    assert article.name == "seed.txt"
    assert "Starlink" in article.text


# ---------------------------------------------------------------- the review, as plain functions


def candidate_rows() -> pd.DataFrame:
    rows = [
        event("c1", "Elon Musk", "2024-02-11", kind="denial", date_text="on Sunday", responds_to="c2"),
        event("c2", "GUR", "2024-02-11", kind="claim", date_text="on Sunday"),
        event("c3", "Dmitry Peskov", "2024-02-12", date_text="on Monday"),
    ]
    extra = {"confidence": "0.9", "confidence_reason": "a quote", "span_start": "0", "span_end": "9", "outlets": "1"}
    return table(rows).assign(**extra, review="unreviewed")


def blank_review(**fields: Any) -> Review:
    values: dict[str, Any] = {"article": "a" * 32, "base": None, "view": "", "decisions": {}, "edits": {}}
    values.update(fields)
    return Review(**values)


def test_colliding_ids_are_renamed_with_the_links_between_candidates() -> None:
    renamed = fresh_ids(candidate_rows(), {"c2", "article-c2", "other"})
    assert renamed["id"].tolist() == ["c1", "article-c2-2", "c3"]
    assert renamed["responds_to"].tolist() == ["article-c2-2", "", ""]
    assert fresh_ids(candidate_rows(), {"x"}) is not None


def test_a_view_joins_the_data_and_the_candidates_column_by_column(seed: Dataset) -> None:
    view = view_of(seed, candidate_rows())
    events = view.events
    assert len(events) == len(seed.events) + 3
    assert events["review"].tolist()[-3:] == ["unreviewed"] * 3
    assert set(events["review"].tolist()[: len(seed.events)]) == {""}
    assert events["confidence"].tolist()[:1] == [""]
    assert events["lo"].notna().all()
    assert view.position_of("c1") == len(seed.events)
    figure = dataset_figure(view, Filters())
    assert len(next(t for t in figure["data"] if t.get("meta") == "review")["x"]) == 3


def test_a_candidate_takes_the_side_the_data_gives_its_actor() -> None:
    base = table(
        [
            event("m", "Elon Musk", "2024-01-01", side="SpaceX / Musk"),
            event("g", "GUR", "2024-01-02", side="Ukraine"),
            event("g2", "GUR", "2024-01-03", side="Ukraine (GUR)"),
        ]
    )
    view = view_of(Dataset(base, "base"), candidate_rows()).events.set_index("id")
    assert view.loc["c1", "side"] == "SpaceX / Musk"
    assert view.loc["c2", "side"] == ""  # two sides in the data: no guess
    assert view.loc["c3", "side"] == ""  # not in the data


def test_an_edit_that_keeps_the_schema_is_made() -> None:
    changes = [
        {"rowId": "c3", "colId": "start", "value": "2024-02"},
        {"rowId": "c3", "colId": "title", "value": "  Peskov answers  "},
    ]
    edits, problems = with_edit(candidate_rows(), blank_review(), changes)
    assert problems == []
    assert edits == {"c3": {"start": "2024-02", "title": "Peskov answers"}}
    events = reviewed(candidate_rows(), {}, edits)
    row = events.iloc[2]
    assert (row["start"], row["precision"], row["title"]) == ("2024-02", "month", "Peskov answers")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"rowId": "c1", "colId": "start", "value": "2024-13-01"}, "start: is not a date"),
        ({"rowId": "c1", "colId": "end", "value": "2020-01-01"}, "end: is before start"),
        ({"rowId": "c1", "colId": "kind", "value": "rumour"}, "kind: must be one of"),
        ({"rowId": "c1", "colId": "actor", "value": "  "}, "actor: must not be blank"),
        ({"rowId": "c1", "colId": "title", "value": "x" * 301}, "title: at most 300 characters"),
    ],
)
def test_an_edit_that_breaks_the_schema_is_not_made(change: dict[str, Any], words: str) -> None:
    edits, problems = with_edit(candidate_rows(), blank_review(), [change])
    assert edits == {}
    assert any(words in p for p in problems), problems


def test_what_is_no_edit_of_a_candidate_is_ignored() -> None:
    junk = [None, 3, {"rowId": "nope", "colId": "title", "value": "x"}, {"rowId": "c1", "colId": "id", "value": "x"}]
    junk += [{"rowId": "c1", "colId": "title", "value": ["x"]}]
    assert with_edit(candidate_rows(), blank_review(), junk) == ({}, [])


def test_verdicts_and_the_store_that_keeps_them() -> None:
    review = blank_review(decisions={"c1": "rejected"})
    decisions = with_verdict(review, ["c2", "c3"], "accepted")
    assert decisions == {"c1": "rejected", "c2": "accepted", "c3": "accepted"}
    assert with_verdict(dataclasses.replace(review, decisions=decisions), ["c1"], None) == {
        "c2": "accepted",
        "c3": "accepted",
    }
    kept = review_of({**blank_review().stored(), "decisions": {"c1": "maybe", "c2": "accepted"}, "edits": {"c1": 4}})
    assert kept is not None and kept.decisions == {"c2": "accepted"} and kept.edits == {}
    for junk in (None, "x", {"article": "../../etc"}, {"article": 5}, []):
        assert review_of(junk) is None
    assert chosen_ids([{"id": "c1"}, {"id": "zz"}, "c2", {"id": "c1"}], candidate_rows()) == ["c1"]


def test_the_accepted_file_validates_and_holds_only_the_accepted(tmp_path: Path) -> None:
    events = reviewed(candidate_rows(), {"c1": "accepted", "c2": "rejected", "c3": "accepted"}, {})
    for fmt in ("csv", "json"):
        data = accepted_file(events, fmt)
        back = read_events(data, f"accepted.{fmt}").events
        assert back["id"].tolist() == ["c1", "c3"]
        assert back["review"].tolist() == ["accepted", "accepted"]
        assert back["confidence"].tolist() == ["0.9", "0.9"]
    with pytest.raises(RefusalError, match="Accept at least one"):
        accepted_file(reviewed(candidate_rows(), {}, {}), "csv")


def test_the_article_text_marks_the_current_sentence_as_text_only() -> None:
    article = Article(
        text="Headline <b>x</b>\nMusk said on Sunday it was false. Later, more.\n", published=dt.date(2024, 2, 12)
    )
    events = candidate_rows().iloc[:1].assign(source_text="Musk said on Sunday it was false.")
    paragraphs = article_text(article, events, "c1")
    assert paragraphs[0].children == ["Headline <b>x</b>"]  # text, never markup
    marked = [c for c in paragraphs[1].children if isinstance(c, html.Mark)]
    assert [m.children for m in marked] == ["Musk said on Sunday it was false."]
    assert not any(isinstance(c, html.Mark) for c in article_text(article, events, None)[1].children)


# ---------------------------------------------------------------- the callbacks, over HTTP


class Page:
    """The app and what its page holds, calling callbacks the way the renderer does."""

    def __init__(self, tmp_path: Path) -> None:
        self.app = create_app(DEFAULT_DATA, upload_dir=tmp_path / "uploads")
        self.library: Library = self.app.server.extensions["timeline.library"]
        self.client = self.app.server.test_client()
        self.values: dict[str, Any] = {}

    def key(self, first_output: str, changed: str) -> str:
        """The callback whose first output is ``first_output`` and that ``changed`` triggers."""
        for key, spec in self.app.callback_map.items():
            outputs = split_callback_id(key)
            first = outputs[0] if isinstance(outputs, list) else outputs
            triggers = {f"{d['id']}.{d['property']}" for d in spec["inputs"]}
            named = f"{first['id']}.{first['property']}".split("@")[0]
            if spec.get("callback") is not None and named == first_output and changed in triggers:
                return str(key)
        raise LookupError(first_output)

    def call(self, first_output: str, changed: str, **given: Any) -> dict[str, Any]:
        """Run a callback with the page's values (``given`` by ``id.prop``, dots as ``__``); keep what it sets."""
        key = self.key(first_output, changed)
        spec = self.app.callback_map[key]
        values = {**self.values, **{k.replace("__", "."): v for k, v in given.items()}}

        def deps(entries: list[dict[str, Any]]) -> list[Any]:
            return [{**d, "value": values.get(f"{d['id']}.{d['property']}")} for d in entries]

        sent = {
            "output": key,
            "outputs": split_callback_id(key),
            "inputs": deps(spec["inputs"]),
            "state": deps(spec.get("state", [])),
            "changedPropIds": [changed],
        }
        # Sent as the renderer sends it, "output" first (the guard reads it from the first bytes).
        answer = self.client.post("/_dash-update-component", data=json.dumps(sent), content_type="application/json")
        assert answer.status_code in (200, 204), answer.get_data()[:300]
        if answer.status_code == 204:
            return {}
        response = answer.get_json()["response"]
        updates = {f"{c}.{p.split('@')[0]}": v for c, props in response.items() for p, v in props.items()}
        self.values.update(updates)
        return updates

    def extract(self, **fields: Any) -> dict[str, Any]:
        return self.call(
            f"{ids.ARTICLE_ALERT}.children",
            f"{ids.ARTICLE_SUBMIT}.data",
            **{f"{ids.ARTICLE_SUBMIT}__data": submission(**fields)},
        )

    def review(self) -> Review:
        review = review_of(self.values.get(f"{ids.ARTICLE_REVIEW}.data"))
        assert review is not None
        return review

    def shown(self) -> Dataset:
        dataset, note = self.library.resolve(self.values.get(f"{ids.DATASET}.data"))
        assert note is None
        return dataset

    def rows(self) -> list[dict[str, str]]:
        updates = self.call(f"{ids.ARTICLE_PANEL}.hidden", f"{ids.ARTICLE_REVIEW}.data")
        assert updates[f"{ids.ARTICLE_PANEL}.hidden"] is False
        rows: list[dict[str, str]] = updates[f"{ids.ARTICLE_GRID}.rowData"]
        return rows

    def decide(self, button: str, chosen: list[str]) -> dict[str, Any]:
        rows = [{"id": i} for i in chosen]
        return self.call(
            f"{ids.ARTICLE_REVIEW}.data",
            f"{button}.n_clicks",
            **{f"{button}__n_clicks": 1, f"{ids.ARTICLE_GRID}__selectedRows": rows},
        )


def alert_text(updates: Mapping[str, Any]) -> str:
    return json.dumps(updates.get(f"{ids.ARTICLE_ALERT}.children"))


@pytest.fixture
def page(tmp_path: Path) -> Page:
    return Page(tmp_path)


def test_the_seed_article_becomes_unreviewed_candidates_on_the_timeline(page: Page, seed: Dataset) -> None:
    updates = page.extract()
    assert updates[f"{ids.ARTICLE_ALERT}.children"] is None, alert_text(updates)
    assert updates[f"{ids.ARTICLE_DRAWER}.opened"] is False
    review = page.review()
    assert review.base is None and review.decisions == {}
    shown = page.shown()
    candidates = shown.events.iloc[len(seed.events) :]
    assert len(candidates) >= 3
    assert set(candidates["review"]) == {"unreviewed"}
    assert shown.events["id"].is_unique
    assert shown.events["id"].tolist()[: len(seed.events)] == seed.events["id"].tolist()
    rows = page.rows()
    assert [r["id"] for r in rows] == candidates["id"].tolist()
    assert {r["review"] for r in rows} == {"unreviewed"}
    figure = dataset_figure(shown, Filters())
    ring = next(t for t in figure["data"] if t.get("meta") == "review")
    assert len(ring["x"]) == len(candidates)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"text": ""}, "Paste the article"),
        ({"published": ""}, "publication date"),
        (
            {"text": "Nothing happened here. The sky is blue and the sea is wide."},
            "The pasted text: found no statement",
        ),
        ({"too_long": 5 * 1024 * 1024, "text": None}, "Text too long"),
        ({"source": "file", "file": {"filename": "x.bin", "contents": data_url(bytes(range(256)) * 64)}}, "x.bin"),
        ({"source": "file", "file": {"filename": "big.txt", "too_big": 5 * 1024 * 1024 + 1}}, "File too large"),
    ],
)
def test_bad_input_is_answered_in_the_page_and_the_view_is_kept(page: Page, fields: dict[str, Any], words: str) -> None:
    updates = page.extract(**fields)
    text = alert_text(updates)
    assert words in text, text
    assert "Traceback" not in text
    assert f"{ids.DATASET}.data" not in updates  # the view is unchanged
    assert f"{ids.ARTICLE_REVIEW}.data" not in updates


def test_a_five_megabyte_text_sent_anyway_is_refused_without_a_500(page: Page) -> None:
    updates = page.extract(text="Musk said on Sunday it was false. " * 155_000)
    assert len(json.dumps(submission(text="Musk said on Sunday it was false. " * 155_000))) > 5_000_000
    assert "Text too long" in alert_text(updates)


def test_accept_edit_download_and_merge(page: Page, seed: Dataset) -> None:
    page.extract()
    first_view = page.review().view
    chosen = [r["id"] for r in page.rows()[:3]]
    updates = page.decide(ids.ARTICLE_ACCEPT, chosen)
    assert updates[f"{ids.ARTICLE_GRID}.deselectAll"] is True
    review = page.review()
    assert review.decisions == dict.fromkeys(chosen, "accepted")
    assert review.view != first_view
    assert page.library.uploads.created(first_view) is None  # the superseded view is dropped
    shown = page.shown()
    assert shown.events.set_index("id").loc[chosen, "review"].tolist() == ["accepted"] * 3
    assert [r["review"] for r in page.rows()[:3]] == ["accepted"] * 3

    # an edit that breaks the schema is refused in words; one that keeps it is made
    bad = [{"rowId": chosen[0], "colId": "start", "value": "the 31st of February"}]
    updates = page.call(
        f"{ids.ARTICLE_REVIEW}.data",
        f"{ids.ARTICLE_GRID}.cellValueChanged",
        **{f"{ids.ARTICLE_GRID}__cellValueChanged": bad},
    )
    assert "That edit was not made" in json.dumps(updates[f"{ids.ARTICLE_REVIEW_ALERT}.children"])
    assert page.review().edits == {}
    good = [{"rowId": chosen[0], "colId": "title", "value": "Edited by the reader"}]
    page.call(
        f"{ids.ARTICLE_REVIEW}.data",
        f"{ids.ARTICLE_GRID}.cellValueChanged",
        **{f"{ids.ARTICLE_GRID}__cellValueChanged": good},
    )
    assert page.shown().events.set_index("id").loc[chosen[0], "title"] == "Edited by the reader"

    rejected = [r["id"] for r in page.rows()[3:4]]
    page.decide(ids.ARTICLE_REJECT, rejected)
    assert not set(rejected) & set(page.shown().events["id"])

    updates = page.call(
        f"{ids.ARTICLE_DOWNLOAD}.data", f"{ids.ARTICLE_JSON}.n_clicks", **{f"{ids.ARTICLE_JSON}__n_clicks": 1}
    )
    payload = updates[f"{ids.ARTICLE_DOWNLOAD}.data"]
    assert payload["filename"] == "RT-2024-02-12-accepted.json"
    back = read_events(base64.b64decode(payload["content"]), payload["filename"]).events
    assert back["id"].tolist() == chosen
    assert back["title"].tolist()[0] == "Edited by the reader"

    updates = page.call(f"{ids.DATASET}.data", f"{ids.ARTICLE_MERGE}.n_clicks", **{f"{ids.ARTICLE_MERGE}__n_clicks": 1})
    assert updates[f"{ids.ARTICLE_REVIEW}.data"] is None
    merged = page.shown().events
    assert len(merged) == len(seed.events) + 3
    assert merged["id"].is_unique and set(chosen) <= set(merged["id"])
    assert "3 events from the article added" in json.dumps(updates[f"{ids.UPLOAD_ALERT}.children"])


def test_discarding_goes_back_to_the_data_shown_before(page: Page, seed: Dataset) -> None:
    page.extract()
    view = page.review().view
    updates = page.call(
        f"{ids.DATASET}.data", f"{ids.ARTICLE_DISCARD}.n_clicks", **{f"{ids.ARTICLE_DISCARD}__n_clicks": 1}
    )
    assert updates[f"{ids.DATASET}.data"] is None
    assert page.library.uploads.created(view) is None
    assert len(page.shown().events) == len(seed.events)


def test_a_review_step_with_nothing_ticked_says_so(page: Page) -> None:
    page.extract()
    updates = page.decide(ids.ARTICLE_ACCEPT, [])
    assert "Tick one or more candidates first" in json.dumps(updates[f"{ids.ARTICLE_REVIEW_ALERT}.children"])
    updates = page.call(
        f"{ids.ARTICLE_DOWNLOAD}.data", f"{ids.ARTICLE_CSV}.n_clicks", **{f"{ids.ARTICLE_CSV}__n_clicks": 1}
    )
    assert "Accept at least one candidate" in json.dumps(updates[f"{ids.ARTICLE_REVIEW_ALERT}.children"])


def test_a_clicked_row_opens_its_candidate_and_marks_its_sentence(page: Page) -> None:
    page.extract()
    first = page.rows()[0]["id"]
    updates = page.call(
        f"{ids.SELECTED}.data",
        f"{ids.ARTICLE_GRID}.cellClicked",
        **{f"{ids.ARTICLE_GRID}__cellClicked": {"rowId": first, "colId": "title"}},
    )
    assert updates[f"{ids.SELECTED}.data"] == {"id": first}
    assert "detail-title" in json.dumps(updates[f"{ids.DETAIL}.children"])
    updates = page.call(f"{ids.ARTICLE_TEXT_BOX}.children", f"{ids.SELECTED}.data")
    marked = json.dumps(updates[f"{ids.ARTICLE_TEXT_BOX}.children"])
    assert marked.count("article-current") >= 1


def test_another_sessions_review_reads_nothing(page: Page) -> None:
    page.client.set_cookie(SESSION_COOKIE, "a" * 32)
    page.extract()
    own = page.call(f"{ids.ARTICLE_PANEL}.hidden", f"{ids.ARTICLE_REVIEW}.data")
    assert own[f"{ids.ARTICLE_PANEL}.hidden"] is False
    stolen = page.values[f"{ids.ARTICLE_REVIEW}.data"]
    other = Page.__new__(Page)
    other.__dict__.update(page.__dict__)
    other.values = {}
    other.client = page.app.server.test_client()
    other.client.set_cookie(SESSION_COOKIE, "b" * 32)
    updates = other.call(
        f"{ids.ARTICLE_PANEL}.hidden", f"{ids.ARTICLE_REVIEW}.data", **{f"{ids.ARTICLE_REVIEW}__data": stolen}
    )
    assert updates[f"{ids.ARTICLE_PANEL}.hidden"] is True


def test_the_submission_may_be_as_large_as_an_upload_and_no_other_request(page: Page) -> None:
    html_page = b"<html><body><article><p>" + SEED_TEXT.encode() + b"</p></article>" + b"<!-- pad -->" * 300_000
    assert 3 * 1024 * 1024 < len(html_page) < 4_000_000  # what the engine reads at most
    sent = {"filename": "page.html", "contents": data_url(html_page, "text/html")}
    updates = page.extract(source="file", file=sent, text="")
    assert updates[f"{ids.ARTICLE_ALERT}.children"] is None, alert_text(updates)
    assert len(page.review().article) == 32
    padded = {"rowId": "x", "colId": "title", "value": "y" * (CALLBACK_BODY_LIMIT + 10)}
    key = page.key(f"{ids.ARTICLE_REVIEW}.data", f"{ids.ARTICLE_ACCEPT}.n_clicks")
    body = {"output": key, "outputs": split_callback_id(key), "inputs": [], "state": [], "padding": padded}
    answer = page.client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert answer.status_code == 413


def test_candidates_the_text_gives_no_date_for_are_pointed_out() -> None:
    rows = candidate_rows()
    assert undated_note(rows) is None
    one = rows.assign(date_text=["", "on Sunday", "on Monday"])
    assert "1 of 3 candidates comes from a sentence that gives no date" in str(undated_note(one))
    every = rows.assign(date_text="")
    note = undated_note(every)
    assert note is not None and note.id == ids.ARTICLE_NOTE
    assert "No sentence of the article gives a date" in str(note.children)


def test_a_live_server_takes_a_large_article_whole_or_chunked_and_caps_the_review(tmp_path: Path) -> None:
    """As tests/test_guard.py checks the upload: over a real socket, plain and chunked."""
    live = Live(tmp_path / "uploads")
    try:
        html_page = b"<html><body><article><p>" + SEED_TEXT.encode() + b"</p></article>" + b"<!-- pad -->" * 250_000
        sent = {"filename": "page.html", "contents": data_url(html_page, "text/html")}
        key = upload_output(live.app, ids.ARTICLE_SUBMIT)
        data = body(live, key, {f"{ids.ARTICLE_SUBMIT}.data": submission(source="file", file=sent, text="")})
        assert len(data) > 3 * 1024 * 1024
        for chunked in (False, True):
            status, text, _ = post_raw(live, data, chunked=chunked)
            assert status == 200, text[:300]
            assert b'"article-alert":{"children":null}' in text.replace(b" ", b"")
        review = callback_key(live, f"{ids.ARTICLE_REVIEW}.data")
        status, text, _ = post_raw(live, body(live, review, {f"{ids.ARTICLE_GRID}.selectedRows": ["x" * len(data)]}))
        assert status == 413, text[:300]
        assert not live.errors
    finally:
        live.stop()
