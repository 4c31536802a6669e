"""Several articles, one story: candidates that describe the same statement merge.

Two candidates from different articles are the same event when they have the same actor,
the same kind of event (speech or action), dates that are compatible (their windows meet, or
lie within :data:`DATE_SLACK_DAYS` of each other: outlets disagree by a day), and overlapping
words (quotation or content: :data:`MIN_OVERLAP` of the shorter one's content words). Each
candidate joins the closest such event (the most words shared), never two of one article.

A merged event lists every source (``source`` joined with ``; ``), how many outlets report it
(``outlets``), and each outlet's wording of the date (``date_text``: ``on Sunday (RT); on
Saturday (Reuters)``). Where the outlets' dates differ it takes the window covering both,
marks it approximate, and says so in ``confidence_reason`` and ``note``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from timeline.extract.text import word_set

DATE_SLACK_DAYS = 3
MIN_OVERLAP = 0.3
SOURCE_SEPARATOR = "; "
_STOP = word_set(
    "the a an of and or to in on at for with by from that this it its is are was were be been has have "
    "had not no said says he she they we i you his her their our as but if than then so"
)


@dataclass
class Row:
    """One candidate event as the article gives it (dates as days, text as written)."""

    actor: str
    organisation: str
    kind: str
    title: str
    quote: str
    content: str
    date_text: str
    start: dt.date
    end: dt.date
    precision: str
    approximate: bool
    source: str
    source_text: str
    span_start: int
    span_end: int
    confidence: float
    confidence_reason: str
    publisher: str = ""
    sources: list[Row] = field(default_factory=list)
    note: str = ""

    def words(self) -> set[str]:
        """Content words of the quotation and content (lower case)."""
        text = f"{self.quote} {self.content}".lower()
        return {w for w in re.findall(r"[a-z0-9]+", text) if w not in _STOP and len(w) > 2}


def likeness(a: Row, b: Row) -> float:
    """How much two rows from different articles share their words (0 to 1), or 0 when actor,
    kind of event or dates rule out their being the same event; :data:`MIN_OVERLAP` or more
    merges them."""
    if a.actor.casefold() != b.actor.casefold() or (a.kind == "action") != (b.kind == "action"):
        return 0.0
    slack = dt.timedelta(days=DATE_SLACK_DAYS)
    if a.start > b.end + slack or b.start > a.end + slack:
        return 0.0
    names = set(re.findall(r"[a-z0-9]+", a.actor.lower()))
    words_a, words_b = a.words() - names, b.words() - names
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / min(len(words_a), len(words_b))


def merge(per_article: Sequence[Sequence[Row]]) -> list[Row]:
    """The rows of several articles, the same events from different articles merged."""
    merged: list[Row] = []
    for index, rows in enumerate(per_article):
        taken: set[int] = set()
        for row in rows:
            match = None
            if index > 0:
                scored = [
                    (max(likeness(s, row) for s in m.sources), number)
                    for number, m in enumerate(merged)
                    if id(m) not in taken and all(s.source != row.source for s in m.sources)
                ]
                best = max(scored, default=(0.0, -1))
                match = merged[best[1]] if best[0] >= MIN_OVERLAP else None  # the closest, not the first
            if match is None:
                merged.append(dataclasses.replace(row, sources=[row]))  # the sources stay as their outlets said
            else:
                taken.add(id(match))
                _absorb(match, row)
    return merged


def _absorb(into: Row, row: Row) -> None:
    into.sources.append(row)
    sources = into.sources
    into.source = SOURCE_SEPARATOR.join(s.source for s in sources)
    into.source_text = "\n".join(dict.fromkeys(s.source_text for s in sources))
    into.quote = max((s.quote for s in sources), key=len)
    into.confidence = min(0.99, max(s.confidence for s in sources) + 0.05 * (len(sources) - 1))
    wordings = [f"{s.date_text} ({s.publisher or s.source})" for s in sources if s.date_text]
    into.date_text = SOURCE_SEPARATOR.join(dict.fromkeys(wordings))
    windows = {(s.start, s.end) for s in sources}
    reasons = [r for r in dict.fromkeys(s.confidence_reason for s in sources) if r]
    reasons.append(f"reported by {len(sources)} outlets")
    if len(windows) > 1:
        into.start = min(s.start for s in sources)
        into.end = max(s.end for s in sources)
        into.approximate = True
        order = ["day", "month", "year"]
        into.precision = max((s.precision for s in sources), key=order.index)
        said = ", ".join(f"{s.publisher or s.source} says '{s.date_text}' ({_days(s)})" for s in sources)
        into.note = f"outlets disagree on the date: {said}; the window covers them all"
        reasons.append("outlets disagree on the date")
    into.confidence_reason = "; ".join(reasons)


def _days(row: Row) -> str:
    return row.start.isoformat() if row.start == row.end else f"{row.start.isoformat()} to {row.end.isoformat()}"
