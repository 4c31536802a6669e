"""From article text to candidate events: who said or did what, and when, in a news story.

The contract the command line (``timeline extract``), the dashboard ("Add an article") and
the evaluation (``make eval-extract``) share:

- :class:`Article`: one document's text with its publication date and publisher;
- :func:`read_article`: the text of a plain-text or HTML file (main text only);
- :func:`extract`: candidate events from one or more articles about one story, as a
  validated :class:`~timeline.dataset.Dataset` in the project's schema. Besides the schema's
  columns each candidate carries ``confidence`` (0 to 1, as text), ``confidence_reason``,
  ``span_start`` and ``span_end`` (character offsets of ``source_text`` in its document),
  ``outlets`` (how many articles report it), ``review`` (``unreviewed``) and ``note`` (what
  merged outlets disagree on). A candidate several articles report lists every source in
  ``source`` (joined with ``; ``), and ``span_start``/``span_end`` hold one offset per source
  in the same order (joined with ``;``); ``source_text`` then holds each source's sentence,
  one per line.

The engine: :mod:`~timeline.extract.text` (reading, sentences), :mod:`~timeline.extract.dates`,
:mod:`~timeline.extract.speakers`, :mod:`~timeline.extract.quotes`,
:mod:`~timeline.extract.pipeline` (one article) and :mod:`~timeline.extract.merge` (several);
:mod:`~timeline.extract.command` serves ``timeline extract``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from timeline.dataset import Dataset
from timeline.extract import text as _text
from timeline.extract.dates import When
from timeline.extract.merge import Row, merge
from timeline.extract.pipeline import Candidate, load_pipeline, read, verb_present
from timeline.extract.speakers import GENERIC_ACTORS, Gazetteer
from timeline.schema import COLUMN_NAMES, Problem, ValidationError, validate_events

if TYPE_CHECKING:
    from spacy.language import Language

EXTRA_COLUMNS = ("confidence", "confidence_reason", "span_start", "span_end", "outlets", "review")
"""The columns a candidate carries beyond the schema's."""
NOTE_COLUMN = "note"
"""Where a merged candidate says what its outlets disagree on (blank otherwise)."""
MAX_ARTICLE_CHARS = _text.MAX_ARTICLE_CHARS
TITLE_LIMIT = 72


@dataclass(frozen=True)
class Article:
    """One document of a story.

    Attributes:
        text: the article's text (the first line may be its headline).
        published: the publication date every relative date resolves against.
        publisher: the outlet ("RT", "Reuters"); the events' ``source`` names it.
        name: where the text came from (a file name or URL), for messages and ``source``.
    """

    text: str
    published: dt.date
    publisher: str = ""
    name: str = "article"


def read_article(data: bytes, name: str) -> str:
    """The text of a plain-text or HTML file (HTML: the main text only).

    Raises:
        ValidationError: the file is empty, binary, or holds no text.
    """
    return _text.read_article(data, name)


def extract(articles: Sequence[Article], model: str | Language | None = None) -> Dataset:
    """Candidate events from ``articles`` (one story; candidates several outlets report merge).

    Args:
        model: a spaCy pipeline to use for entities (e.g. ``en_core_web_sm``, or a
            ``spacy.Language``); without one a blank English pipeline and rules are used.

    Raises:
        ValidationError: an article is empty, too long or undated, the model is not
            installed, or no article reports anything.
    """
    articles = [_on_a_day(a) for a in articles]
    problems = [p for a in articles for p in _article_problems(a)]
    if not articles:
        problems.append(Problem("extract", None, None, None, "no article given"))
    if problems:
        raise ValidationError(problems)
    try:
        nlp = load_pipeline(model)
    except ValueError as error:
        raise ValidationError([Problem("extract", None, None, None, str(error))]) from None
    story = Gazetteer()  # one cast for the story: "Ukraine's military intelligence" in one outlet is the GUR of another
    for article in articles:
        story.learn(article.text)
    per_article = [[_row(c, a) for c in read(a.text, a.published, nlp, story)] for a in articles]
    rows = merge(per_article)
    if not rows:
        names = ", ".join(a.name for a in articles)
        rule = "found no statement, claim, denial, report or dated action to put on a timeline"
        raise ValidationError([Problem(names, None, None, None, rule)])
    table = _table(rows)
    name = articles[0].name if len(articles) == 1 else f"{len(articles)} articles"
    events = validate_events(table, file=f"extracted from {name}")
    return Dataset(events=events, name=name, title=f"Candidate events from {name}")


def _on_a_day(article: Article) -> Article:
    """The article with its publication time read as its day (a datetime is a date too)."""
    if isinstance(article.published, dt.datetime):
        return dataclasses.replace(article, published=article.published.date())
    return article


def _article_problems(article: Article) -> list[Problem]:
    def problem(rule: str) -> Problem:
        return Problem(article.name, None, None, None, rule)

    if not isinstance(article.published, dt.date):
        return [problem("has no publication date to resolve its dates against")]
    if not article.text.strip():
        return [problem("is empty: there is no article text to read")]
    if len(article.text) > MAX_ARTICLE_CHARS:
        return [problem(f"is {len(article.text):,} characters; an article is read up to {MAX_ARTICLE_CHARS:,}")]
    return []


def _row(candidate: Candidate, article: Article) -> Row:
    when = candidate.when
    assert when is not None  # every candidate is dated, honestly, by the pipeline
    actor = candidate.actor
    organisation = actor.organisation
    source = f"{article.publisher}: {article.name}" if article.publisher else article.name
    span_end = candidate.end
    return Row(
        actor=actor.name,
        organisation=organisation,
        kind=candidate.kind,
        title=_title(candidate),
        quote=candidate.quote,
        content=candidate.content,
        date_text=when.text,
        start=when.start,
        end=when.end,
        precision=when.precision,
        approximate=when.approximate,
        source=source,
        source_text=article.text[candidate.start : span_end],
        span_start=candidate.start,
        span_end=span_end,
        confidence=max(0.05, min(0.99, candidate.confidence)),
        confidence_reason="; ".join(dict.fromkeys(r for r in candidate.reasons if r))
        or "speaker and date given in the sentence",
        publisher=article.publisher,
    )


def _title(candidate: Candidate) -> str:
    """A short neutral headline: who, the verb in the present, what (a quotation stays quoted)."""
    actor = candidate.actor
    who = actor.name.split()[-1] if actor.kind == "person" else actor.name
    if candidate.kind == "action":
        words = candidate.content
        return _cut(f"{who} {words}")
    content = candidate.content.strip()
    if candidate.when is not None and candidate.when.text and not candidate.when.anaphor:
        content = content.replace(candidate.when.text, "").replace("  ", " ").strip()
    if not content or content.strip('“”" ,.') == candidate.quote.strip('“”" ,.'):
        what = f"“{candidate.quote.rstrip('.')}”"
    else:
        what = re.sub(r"^(?:,\s*)?(?:in a statement\s+|on \w+\s+)?(?:that|to reporters(?: that)?)?[\s,]*", "", content)
        what = what.rstrip(" .,")
        what = what[:1].lower() + what[1:] if re.match(r"(?:The|A|An|It|There|This|In)\b", what) else what
    verb = verb_present(candidate.verb)
    if actor.name.lower().split()[-1] in GENERIC_ACTORS:  # "Officials say", "Police deny"
        verb = _plural(verb)
    return _cut(f"{who} {verb} {what}")


def _cut(title: str) -> str:
    """``title`` cut at a word to :data:`TITLE_LIMIT` characters, a quotation cut short closed."""
    title = title.rstrip(" ,;:")
    if len(title) <= TITLE_LIMIT:
        return title
    cut = title[: TITLE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    opened = cut.count("“") > cut.count("”")
    return cut + ("…”" if opened else "…")


def _plural(verb: str) -> str:
    first, _, rest = verb.partition(" ")
    if first.endswith("ies"):
        first = first[:-3] + "y"
    elif first.endswith(("sses", "shes")):
        first = first[:-2]
    else:
        first = first.removesuffix("s")
    return f"{first} {rest}".strip()


def _days_text(row: Row) -> tuple[str, str]:
    when = When(row.date_text, row.start, row.end, row.precision, row.approximate)  # type: ignore[arg-type]
    return when.start_text(), when.end_text()


def _table(rows: list[Row]) -> pd.DataFrame:
    records = []
    used: dict[str, int] = {}
    for row in rows:
        start, end = _days_text(row)
        event_id = _unique_id(f"{_slug(row.actor)}-{start}", used)
        records.append(
            {
                "id": event_id,
                "start": start,
                "end": end,
                "precision": row.precision,
                "approximate": "true" if row.approximate else "false",
                "date_text": row.date_text,
                "actor": row.actor,
                "organisation": row.organisation,
                "kind": row.kind,
                "title": row.title,
                "quote": row.quote,
                "source": row.source,
                "source_text": row.source_text,
                "confidence": f"{row.confidence:.2f}",
                "confidence_reason": row.confidence_reason,
                "span_start": ";".join(str(s.span_start) for s in row.sources or [row]),
                "span_end": ";".join(str(s.span_end) for s in row.sources or [row]),
                "outlets": str(len({s.source for s in row.sources or [row]})),
                "review": "unreviewed",
                NOTE_COLUMN: row.note,
            }
        )
    table = pd.DataFrame.from_records(records)
    for column in COLUMN_NAMES:
        if column not in table.columns:
            table[column] = ""
    ordered = [c for c in COLUMN_NAMES] + [*EXTRA_COLUMNS, NOTE_COLUMN]
    return table[ordered].astype(str)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:40] or "event"


def _unique_id(base: str, used: dict[str, int]) -> str:
    """``base``, then ``base-2``, ``base-3`` ... (``used`` counts each base and holds every id)."""
    number = used.get(base, 0)
    candidate = base if number == 0 else f"{base}-{number + 1}"
    while candidate in used and number > 0:
        number += 1
        candidate = f"{base}-{number + 1}"
    used[base] = number + 1
    used.setdefault(candidate, 1)
    return candidate
