"""Where each event's words stand in its source document.

A document is a text file listed in ``seeds/index.csv``; an event cites it when a piece of
its ``source`` cell (pieces are separated by ``;``) is the document's id. Reading a document
against the events that cite it finds each event's ``source_text`` (its passage) and its
``quote`` inside that passage, splits the text into sentences, and cuts every paragraph into
pieces that each know which events rest on them: what the provenance panel draws, and what
a fact-checker needs to see what the timeline leaves out.
"""

from __future__ import annotations

import bisect
import csv
import functools
import itertools
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pysbd  # type: ignore[import-untyped]  # no stubs, no py.typed

from timeline.engine import side_names
from timeline.io import SEEDS_INDEX
from timeline.sources import Seed, seed_index


@dataclass(frozen=True)
class Document:
    """A source document: its entry in the seeds index and its text."""

    seed: Seed
    path: Path
    text: str

    @property
    def id(self) -> str:
        """The id that ``source`` cells name it by."""
        return self.seed.id

    def describe(self) -> str:
        """Publisher, date and headline (see :meth:`timeline.sources.Seed.describe`)."""
        return self.seed.describe()


@functools.cache
def documents(index: Path = SEEDS_INDEX) -> dict[str, Document]:
    """The documents of an index, by id. A file that is missing, unreadable, not UTF-8 or
    outside the index's folder is skipped."""
    seeds = seed_index(index)
    folder = index.parent.resolve()
    try:
        with index.open(encoding="utf-8", newline="") as file:
            files = {row["id"]: row.get("file") or "" for row in csv.DictReader(file) if row.get("id")}
    except OSError:
        return {}
    found: dict[str, Document] = {}
    for seed_id, name in files.items():
        path = (folder / name).resolve()
        if not name or seed_id not in seeds or not path.is_relative_to(folder):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found[seed_id] = Document(seeds[seed_id], path, text)
    return found


def _citing(sources: pd.Series, document_id: str) -> np.ndarray:
    """Row positions whose ``source`` has a piece equal to ``document_id``.

    The substring test runs over the whole column at once; only its hits are split."""
    hits = np.flatnonzero(sources.str.contains(document_id, regex=False).to_numpy(dtype=bool))
    keep = [document_id in (piece.strip() for piece in str(sources.iat[int(i)]).split(";")) for i in hits]
    return hits[np.asarray(keep, dtype=bool)] if len(hits) else hits


_CITATIONS: dict[int, tuple[weakref.ref[pd.DataFrame], tuple[str, ...], dict[str, np.ndarray]]] = {}
"""Per event table (by identity, dropped when the table is collected): the rows citing each document."""


def citations(events: pd.DataFrame, docs: Mapping[str, Document]) -> dict[str, np.ndarray]:
    """The row positions of the events citing each document, most-cited document first
    (ties: the one cited first). Documents no event cites are left out.

    Remembered per table and documents, so that a million events are searched once."""
    key = id(events)
    cached = _CITATIONS.get(key)
    if cached is not None and cached[0]() is events and cached[1] == tuple(docs):
        return cached[2]
    sources = events["source"]
    found = {doc_id: rows for doc_id in docs if len(rows := _citing(sources, doc_id))}
    ordered = dict(sorted(found.items(), key=lambda item: (-len(item[1]), int(item[1][0]))))
    _CITATIONS[key] = (weakref.ref(events), tuple(docs), ordered)
    weakref.finalize(events, _CITATIONS.pop, key, None)
    return ordered


def cited_documents(events: pd.DataFrame, docs: Mapping[str, Document]) -> list[str]:
    """The ids of the documents the events cite, most-cited first."""
    return list(citations(events, docs))


@dataclass(frozen=True)
class Cited:
    """What a reading needs of an event that cites the document."""

    id: str
    title: str
    side: str
    source_text: str
    quote: str


@dataclass(frozen=True)
class Piece:
    """A stretch of a paragraph over which nothing changes.

    Attributes:
        start, end: offsets in the document's text. text: ``text[start:end]``.
        events: ids of the events whose passage covers it, in table order.
        quotes: ids of the events whose quote covers it.
        sentence: its sentence's position in :attr:`Reading.sentences`; -1 between sentences.
        unused: it lies in a sentence that no event rests on.
    """

    start: int
    end: int
    text: str
    events: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    sentence: int = -1
    unused: bool = False


@dataclass(frozen=True)
class Sentence:
    """A sentence's offsets (surrounding space left out) and the events resting on it."""

    start: int
    end: int
    events: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """A document read against the events that cite it.

    Attributes:
        document: the document read.
        events: the citing events by id, in table order.
        paragraphs: the text's non-blank lines as pieces; the first is the headline.
        sentences: every sentence, in order.
        spans: event id -> (start, end) of its passage in the text.
        quotes: event id -> (start, end) of its quote, inside its passage.
        missing: ids of events whose ``source_text`` is not in the text.
        unsourced: ids of events that cite the document with a blank ``source_text``.
    """

    document: Document
    events: Mapping[str, Cited]
    paragraphs: tuple[tuple[Piece, ...], ...]
    sentences: tuple[Sentence, ...]
    spans: Mapping[str, tuple[int, int]]
    quotes: Mapping[str, tuple[int, int]]
    missing: tuple[str, ...]
    unsourced: tuple[str, ...]

    @property
    def unused_sentences(self) -> int:
        """How many sentences no event rests on."""
        return sum(not s.events for s in self.sentences)


def read_document(document: Document, events: pd.DataFrame) -> Reading | None:
    """Read a document against the events of a table that cite it; None when none does."""
    rows = _citing(events["source"], document.id)
    if not len(rows):
        return None
    citing = events.iloc[rows]
    cited = tuple(
        Cited(*values)
        for values in zip(
            citing["id"].astype(str),
            citing["title"].astype(str),
            side_names(citing),
            citing["source_text"].astype(str),
            citing["quote"].astype(str),
            strict=True,
        )
    )
    return _read(document, cited)


# Typographic characters and their plain forms: a passage copied by hand often has the other kind.
_FOLDS = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "`": "'",
        "–": "-",
        "—": "-",
        "…": "...",
    }
)


@dataclass(frozen=True)
class _Folded:
    """Text with typographic quotes, dashes and ellipses made plain and each run of white
    space made one space; ``starts[i]``/``ends[i]`` are where folded character i came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


@functools.lru_cache(maxsize=16)
def _fold(text: str) -> _Folded:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for position, char in enumerate(text):
        if char.isspace():
            if chars and chars[-1] == " " and ends[-1] == position:
                ends[-1] = position + 1  # one space for the whole run
                continue
            plain = " "
        else:
            plain = char.translate(_FOLDS)
        chars.extend(plain)
        starts.extend([position] * len(plain))
        ends.extend([position + 1] * len(plain))
    return _Folded("".join(chars), tuple(starts), tuple(ends))


def _plain(needle: str) -> str:
    return " ".join(needle.translate(_FOLDS).split())


def find_passage(text: str, needle: str, within: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """Where ``needle`` first stands in ``text[within]``: exactly, else ignoring the kind of
    quotes, dashes and ellipses and how much white space there is. None when it is not there
    (or blank)."""
    needle = needle.strip()
    low, high = within or (0, len(text))
    if not needle:
        return None
    exact = text.find(needle, low, high)
    if exact >= 0:
        return exact, exact + len(needle)
    folded = _fold(text)
    first = bisect.bisect_left(folded.starts, low)
    last = bisect.bisect_right(folded.ends, high)
    found = folded.text.find(_plain(needle), first, last)
    if found < 0:
        return None
    return folded.starts[found], folded.ends[found + len(_plain(needle)) - 1]


@functools.cache
def _segmenter() -> Any:  # pysbd.Segmenter; the package has no types
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _lines(text: str) -> list[tuple[int, int]]:
    """The non-blank lines of a text, as offsets."""
    lines: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((start, start + len(line)))
        start += len(line) + 1
    return lines


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A paragraph's sentences, as offsets in the text with surrounding space left out."""
    paragraph = text[start:end]
    found: list[tuple[int, int]] = []
    cursor = 0
    for segment in _segmenter().segment(paragraph):
        sentence = str(getattr(segment, "sent", segment)).strip()
        at = paragraph.find(sentence, cursor) if sentence else -1
        if at < 0:
            continue
        found.append((start + at, start + at + len(sentence)))
        cursor = at + len(sentence)
    if not found:  # the splitter gave nothing usable: the paragraph is one sentence
        left = len(paragraph) - len(paragraph.lstrip())
        found.append((start + left, start + len(paragraph.rstrip())))
    return found


def _covering(spans: Mapping[str, tuple[int, int]], order: tuple[str, ...], start: int, end: int) -> tuple[str, ...]:
    return tuple(i for i in order if i in spans and spans[i][0] < end and spans[i][1] > start)


@functools.lru_cache(maxsize=64)
def _read(document: Document, cited: tuple[Cited, ...]) -> Reading:
    text = document.text
    order = tuple(dict.fromkeys(c.id for c in cited))
    spans: dict[str, tuple[int, int]] = {}
    quotes: dict[str, tuple[int, int]] = {}
    missing: list[str] = []
    unsourced: list[str] = []
    for event in cited:
        if not event.source_text.strip():
            unsourced.append(event.id)
            continue
        span = find_passage(text, event.source_text)
        if span is None:
            missing.append(event.id)
            continue
        spans[event.id] = span
        quote = find_passage(text, event.quote, span)
        if quote is not None:
            quotes[event.id] = quote

    sentences: list[Sentence] = []
    paragraphs: list[tuple[Piece, ...]] = []
    for line_start, line_end in _lines(text):
        first = len(sentences)
        for start, end in _sentences(text, line_start, line_end):
            sentences.append(Sentence(start, end, _covering(spans, order, start, end)))
        cuts = {line_start, line_end}
        for start, end in [*spans.values(), *quotes.values(), *((s.start, s.end) for s in sentences[first:])]:
            cuts.update(c for c in (start, end) if line_start < c < line_end)
        edges = sorted(cuts)
        pieces: list[Piece] = []
        for start, end in itertools.pairwise(edges):
            within = [n for n in range(first, len(sentences)) if sentences[n].start <= start < sentences[n].end]
            number = within[0] if within else -1
            pieces.append(
                Piece(
                    start,
                    end,
                    text[start:end],
                    _covering(spans, order, start, end),
                    _covering(quotes, order, start, end),
                    number,
                    number >= 0 and not sentences[number].events,
                )
            )
        paragraphs.append(tuple(pieces))
    return Reading(
        document,
        {c.id: c for c in cited},
        tuple(paragraphs),
        tuple(sentences),
        spans,
        quotes,
        tuple(missing),
        tuple(unsourced),
    )
