"""From article text to candidate events: who said or did what, and when, in a news story.

The contract the command line (``timeline extract``), the dashboard ("Add an article") and
the evaluation (``make eval-extract``) share:

- :class:`Article`: one document's text with its publication date and publisher;
- :func:`read_article`: the text of a plain-text or HTML file (main text only);
- :func:`extract`: candidate events from one or more articles about one story, as a
  validated :class:`~timeline.dataset.Dataset` in the project's schema. Besides the schema's
  columns each candidate carries ``confidence`` (0 to 1, as text), ``confidence_reason``,
  ``span_start`` and ``span_end`` (character offsets of ``source_text`` in its document),
  ``outlets`` (how many articles report it) and ``review`` (``unreviewed``).

Placeholder wiring: the extraction work fills this in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from timeline.dataset import Dataset
from timeline.schema import Problem, ValidationError

EXTRA_COLUMNS = ("confidence", "confidence_reason", "span_start", "span_end", "outlets", "review")
"""The columns a candidate carries beyond the schema's."""


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
    raise ValidationError([Problem(name, None, None, None, "article extraction is not built yet")])


def extract(articles: Sequence[Article], model: str | None = None) -> Dataset:
    """Candidate events from ``articles`` (one story; candidates several outlets report merge).

    Args:
        model: a spaCy pipeline to use for entities and parse (e.g. ``en_core_web_sm``),
            when installed; without one a rule-based pipeline is used.

    Raises:
        ValidationError: an article is empty or has no date to anchor it.
    """
    raise ValidationError([Problem(a.name, None, None, None, "article extraction is not built yet") for a in articles])
