"""The source text read against its events: passages, quotes, unused sentences, and the panel
that draws them (as a component tree, no browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from factory import event, table

from timeline.app import ids
from timeline.app.provenance import NO_DOCUMENT, UNUSED_TITLE, panel_for, provenance_panel
from timeline.colors import rgba
from timeline.dataset import Dataset
from timeline.provenance import Document, Reading, citations, cited_documents, documents, find_passage, read_document
from timeline.sources import Seed

SEED_ID = "000_4c4fdb7f43b4f576"


@pytest.fixture(scope="module")
def article() -> Document:
    return documents()[SEED_ID]


@pytest.fixture(scope="module")
def reading(article: Document, seed: Dataset) -> Reading:
    found = read_document(article, seed.events)
    assert found is not None
    return found


def sentence_texts(reading: Reading, event_id: str | None) -> list[str]:
    """The sentences resting on an event (None: on no event)."""
    text = reading.document.text
    return [
        text[s.start : s.end]
        for s in reading.sentences
        if (event_id in s.events if event_id is not None else not s.events)
    ]


def doc(text: str, doc_id: str = "doc1", title: str = "A headline") -> Document:
    return Document(Seed(doc_id, "The Paper", "2024-02-12", title), Path(f"/nowhere/{doc_id}.txt"), text)


def events(*rows: dict[str, str]) -> pd.DataFrame:
    return table(rows)


def walk(node: Any) -> Iterator[Any]:
    """Every component and text of a component tree, depth first."""
    yield node
    if isinstance(node, list | tuple):
        for child in node:
            yield from walk(child)
        return
    children = getattr(node, "children", None)
    if children is not None:
        yield from walk(children)


def marks(tree: Any) -> list[Any]:
    return [n for n in walk(tree) if isinstance(getattr(n, "id", None), dict) and n.id["type"] == ids.PROV_MARK]


def text_of(node: Any) -> str:
    return "".join(n for n in walk(node) if isinstance(n, str))


# The documents and who cites them


def test_the_seed_index_gives_the_article_with_its_text(article: Document) -> None:
    assert article.path.name == f"{SEED_ID}.txt"
    assert article.text.startswith("SpaceX CEO Elon Musk has denied supplying satellite internet terminals")
    assert article.describe().startswith("RT (English edition), 12 February 2024: “SpaceX CEO")


def test_documents_skip_missing_and_outside_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Alpha.", encoding="utf-8")
    (tmp_path.parent / "outside.txt").write_text("Outside.", encoding="utf-8")
    (tmp_path / "index.csv").write_text(
        "id,file,publisher,language,published,title,topic\n"
        "a,a.txt,P,en,2024-01-01,T,x\n"
        "gone,gone.txt,P,en,2024-01-01,T,x\n"
        "out,../outside.txt,P,en,2024-01-01,T,x\n",
        encoding="utf-8",
    )
    found = documents(tmp_path / "index.csv")
    assert list(found) == ["a"]
    assert found["a"].text == "Alpha."
    assert documents(tmp_path / "no-index.csv") == {}


def test_an_event_cites_a_document_only_by_a_whole_piece_of_its_source() -> None:
    docs = {"doc1": doc("One."), "doc2": doc("Two.", "doc2")}
    table_ = events(
        event("a", "A", "2024-01-01", source="doc2"),
        event("b", "A", "2024-01-02", source="Paper; doc1 ; https://x.org"),
        event("c", "A", "2024-01-03", source="doc1"),
        event("d", "A", "2024-01-04", source="doc10, not doc1 itself"),
        event("e", "A", "2024-01-05", source="doc1x"),
    )
    cited = citations(table_, docs)
    assert list(cited) == ["doc1", "doc2"]  # most cited first
    assert cited["doc1"].tolist() == [1, 2]
    assert cited_documents(table_, docs) == ["doc1", "doc2"]


def test_citations_are_remembered_per_table_not_per_id() -> None:
    docs = {"doc1": doc("One.")}
    first = events(event("a", "A", "2024-01-01", source="doc1"))
    assert citations(first, docs) is citations(first, docs)
    other = events(event("a", "A", "2024-01-01", source="elsewhere"))
    assert citations(other, docs) == {}
    assert citations(first, {"doc2": doc("Two.", "doc2")}) == {}


# The seed article


def test_every_seed_event_is_found_in_the_article(reading: Reading, seed: Dataset) -> None:
    assert reading.missing == ()
    assert reading.unsourced == ()
    assert set(reading.spans) == set(seed.events["id"])
    text = reading.document.text
    for row in seed.events.itertuples():
        start, end = reading.spans[row.id]
        assert text[start:end] == row.source_text


def test_events_sharing_a_sentence_all_rest_on_it(reading: Reading) -> None:
    crimea = "However, the billionaire said last year that he had refused Ukraine’s request"
    [sentence] = [s for s in reading.sentences if reading.document.text[s.start :].startswith(crimea)]
    assert sentence.events == (
        "ukraine-crimea-starlink-request",
        "musk-crimea-refusal",
        "musk-refusal-acknowledged-2023",
    )
    pieces = [p for para in reading.paragraphs for p in para if p.text.startswith(crimea)]
    assert [p.events for p in pieces] == [sentence.events]


def test_a_passage_of_two_sentences_covers_both(reading: Reading) -> None:
    assert sentence_texts(reading, "musk-sanctions-explanation") == [
        "In September, Musk said his company had refused to enable Starlink coverage over Crimea.",
        "“Now, the reason it was turned off was actually because… the United States has sanctions against "
        "Russia… and that includes Crimea,” he explained at the time.",
    ]
    # the next sentence of the paragraph is another event's
    assert sentence_texts(reading, "musk-no-us-orders")[0].startswith("In the absence of any direct orders")


def test_quotes_are_found_inside_their_passages(reading: Reading, seed: Dataset) -> None:
    text = reading.document.text
    quoted = seed.events[seed.events["quote"] != ""]
    assert len(quoted) >= 5
    assert set(reading.quotes) == set(quoted["id"])
    for row in quoted.itertuples():
        start, end = reading.quotes[row.id]
        span = reading.spans[row.id]
        assert span[0] <= start < end <= span[1]
        assert text[start:end] == row.quote
    pieces = [p for para in reading.paragraphs for p in para if "peskov-not-certified" in p.quotes]
    assert "".join(p.text for p in pieces) == "cannot be and is not being delivered here officially."


def test_sentences_no_event_rests_on(reading: Reading) -> None:
    assert sentence_texts(reading, None) == [
        "SpaceX CEO Elon Musk has denied supplying satellite internet terminals to Moscow following allegations "
        "from Kiev",
        "Spokesperson Dmitry Peskov made the comment shortly after Ukrainian intelligence claimed that Russian forces "
        "were using the technology amid the ongoing armed conflict between Moscow and Kiev.",
        "Read more",
        "Time to stop Ukraine ‘meat grinder’ – Musk",
    ]
    assert reading.unused_sentences == 4
    assert len(reading.sentences) == 20
    unused = [p.text for para in reading.paragraphs for p in para if p.unused]
    assert any(t.startswith("Spokesperson Dmitry Peskov") for t in unused)
    assert not any(t.startswith("The Russian military never") for t in unused)


def test_the_paragraphs_are_the_lines_of_the_file(reading: Reading) -> None:
    lines = [line for line in reading.document.text.split("\n") if line.strip()]
    assert ["".join(p.text for p in para) for para in reading.paragraphs] == lines


# Matching that tolerates how a passage was copied


def test_a_passage_matches_with_other_quotes_dashes_ellipses_and_spacing() -> None:
    text = "Headline\nHe said “it’s over…  done” – today.\nNext line."
    start, end = find_passage(text, 'He said "it\'s over... done" - today.') or (0, 0)
    assert text[start:end] == "He said “it’s over…  done” – today."
    assert find_passage(text, "it's over ... done") is None  # a space the text does not have
    assert find_passage(text, "   ") is None


def test_a_passage_may_run_over_a_line_break() -> None:
    text = "Headline\nThe first part.\nThe second part."
    start, end = find_passage(text, "The first part. The second part.") or (0, 0)
    assert text[start:end] == "The first part.\nThe second part."


def test_a_quote_is_looked_for_inside_its_passage_only() -> None:
    text = "Headline\nShe said “yes” once. He said “yes” twice."
    found = read_document(
        doc(text),
        events(event("a", "A", "2024-01-01", source="doc1", source_text='He said "yes" twice.', quote="yes")),
    )
    assert found is not None
    start, _ = found.spans["a"]
    quote = found.quotes["a"]
    assert quote[0] > start
    assert text[quote[0] : quote[1]] == "yes"


def test_passages_not_in_the_text_are_reported() -> None:
    found = read_document(
        doc("Headline\nSomething happened. Then more."),
        events(
            event("here", "A", "2024-01-01", source="doc1", source_text="Something happened."),
            event("gone", "A", "2024-01-02", source="doc1", source_text="Nothing of the sort."),
            event("blank", "A", "2024-01-03", source="doc1"),
        ),
    )
    assert found is not None
    assert found.missing == ("gone",)
    assert found.unsourced == ("blank",)
    assert set(found.spans) == {"here"}
    assert found.unused_sentences == 2  # the headline and "Then more."


def test_no_citing_event_no_reading() -> None:
    assert read_document(doc("Text."), events(event("a", "A", "2024-01-01", source="doc2"))) is None


# The panel


def test_the_panel_marks_passages_in_their_sides_colour(reading: Reading, seed: Dataset) -> None:
    tree = provenance_panel(reading, seed.colors)
    found = marks(tree)
    assert len({m.id["index"] for m in found}) == len(found)
    donation = next(m for m in found if text_of(m).startswith("SpaceX CEO Elon Musk donated"))
    assert donation.id["index"].split() == ["russia-offensive-2022", "musk-starlink-donation"]
    assert getattr(donation, "data-events") == "russia-offensive-2022 musk-starlink-donation"
    assert donation.role == "button"
    assert donation.tabIndex == "0"
    assert donation.style["backgroundColor"] == rgba(seed.colors["Russia"], 0.18)
    assert seed.colors["Russia"] in donation.style["borderBottom"]
    assert seed.colors["SpaceX / Musk"] in donation.style["boxShadow"]
    assert "Russia launches its offensive against Ukraine" in donation.title
    assert "Starlink terminals sent to Ukraine" in donation.title
    unused = [n for n in walk(tree) if getattr(n, "className", None) == "prov-unused"]
    assert [text_of(n) for n in unused][2:] == ["Read more", "Time to stop Ukraine ‘meat grinder’ – Musk"]
    assert all(n.title == UNUSED_TITLE for n in unused)
    assert "4 of 20 sentences are not on the timeline" in text_of(tree)
    assert reading.document.describe() in text_of(tree)


def test_the_selected_event_is_current_and_its_quote_emphasised(reading: Reading, seed: Dataset) -> None:
    tree = provenance_panel(reading, seed.colors, selected="peskov-not-certified")
    current = [m for m in marks(tree) if "current" in m.className.split()]
    assert [m.id["index"] for m in current] == ["peskov-not-certified"]
    quotes = [n for n in walk(current) if getattr(n, "className", None) == "quote current"]
    assert [text_of(q) for q in quotes] == ["cannot be and is not being delivered here officially."]
    others = [n for n in walk(tree) if getattr(n, "className", None) == "quote current"]
    assert others == quotes  # other events' quotes are not emphasised
    assert not [m for m in marks(provenance_panel(reading, seed.colors)) if "current" in m.className]


def test_a_run_met_twice_keeps_its_pattern_id_unique() -> None:
    text = "Headline\nOne happened. Two happened. Three happened.\nFour happened."
    found = read_document(
        doc(text),
        events(
            event("wide", "A", "2024-01-01", source="doc1", source_text="One happened. Two happened. Three happened."),
            event("narrow", "A", "2024-01-02", source="doc1", source_text="Two happened."),
            event("lines", "A", "2024-01-03", source="doc1", source_text="Three happened. Four happened."),
        ),
    )
    assert found is not None
    indexes = [m.id["index"] for m in marks(provenance_panel(found, {}))]
    assert len(set(indexes)) == len(indexes)
    assert [i.split() for i in indexes] == [["wide"], ["wide", "narrow"], ["wide"], ["wide", "lines"], ["lines"]]


def test_user_text_is_rendered_as_text() -> None:
    attack = "<script>alert(1)</script>"
    text = f"Headline <b>bold</b>\nHe wrote {attack} here. Then left."
    table_ = events(
        event(
            "x", "A", "2024-01-01", source="doc1", source_text=f"He wrote {attack} here.", title=f"<img src=x> {attack}"
        ),
        event("y", "A", "2024-01-01", source="doc1", source_text="not <i>there</i>", title=f"Missing {attack}"),
    )
    tree = panel_for(Dataset(table_, "t"), "x", docs={"doc1": doc(text, title=f"{attack} title")})
    nodes = list(walk(tree))
    assert any(isinstance(n, str) and attack in n for n in nodes)
    assert f"Not found in the text: Missing {attack}" in text_of(tree)
    for node in nodes:
        if isinstance(node, str | list | tuple):
            continue
        assert node.__class__.__name__ != "Markdown"
        assert "dangerouslySetInnerHTML" not in node.to_plotly_json()["props"]
    assert [m.title for m in marks(tree)] == [f"<img src=x> {attack} (Unassigned)"]


# Which document the panel shows


def two_documents() -> tuple[Dataset, dict[str, Document]]:
    docs = {"doc1": doc("Head one\nAlpha said.", "doc1"), "doc2": doc("Head two\nBeta said.", "doc2")}
    table_ = events(
        event("a1", "A", "2024-01-01", source="doc1", source_text="Alpha said."),
        event("a2", "A", "2024-01-02", source="doc1", source_text="Alpha said."),
        event("b1", "B", "2024-01-03", source="doc2", source_text="Beta said."),
    )
    return Dataset(table_, "two"), docs


def shown(tree: list[Any]) -> str:
    return text_of([n for n in walk(tree) if getattr(n, "className", None) == "prov-text"])


def test_the_most_cited_document_is_shown_first_with_a_picker() -> None:
    data, docs = two_documents()
    tree = panel_for(data, None, docs=docs)
    assert "Alpha said." in shown(tree)
    [picker] = [n for n in walk(tree) if n.__class__.__name__ == "Select"]
    assert [o["value"] for o in picker.data] == ["doc1", "doc2"]
    assert picker.value == "doc1"


def test_the_selected_events_document_is_shown_unless_the_reader_picked_another() -> None:
    data, docs = two_documents()
    assert "Beta said." in shown(panel_for(data, "b1", docs=docs))
    assert "Beta said." in shown(panel_for(data, "b1", chosen="doc1", docs=docs))
    assert "Alpha said." in shown(panel_for(data, "b1", chosen="doc1", prefer_chosen=True, docs=docs))
    assert "Beta said." in shown(panel_for(data, None, chosen="doc2", docs=docs))
    assert "Alpha said." in shown(panel_for(data, None, chosen="not-a-doc", docs=docs))


def test_one_document_needs_no_picker(seed: Dataset) -> None:
    tree = panel_for(seed, None)
    assert not [n for n in walk(tree) if n.__class__.__name__ == "Select"]
    assert "Speaking to reporters on Monday" in shown(tree)


def test_a_dataset_citing_no_document_gets_one_line() -> None:
    many = pd.DataFrame(
        {"id": [f"e{i}" for i in range(200_000)], "source": "synthetic:1", "side": "", "title": "t"}, dtype=str
    )
    data = Dataset(many, "generated")
    tree = panel_for(data, None)
    assert text_of(tree) == NO_DOCUMENT
    assert citations(many, documents()) == {}
