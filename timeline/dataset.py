"""A loaded dataset: the validated event table and what is known about its origin."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from timeline.dates import DateOrder


@dataclass(frozen=True)
class Era:
    """A named stretch of time drawn behind the events (TimelineJS eras)."""

    label: str
    start: str
    end: str


@dataclass(frozen=True)
class Dataset:
    """A validated event table and what is known about where it came from."""

    events: pd.DataFrame
    name: str
    title: str = ""
    credit: str = ""
    eras: tuple[Era, ...] = field(default_factory=tuple)

    @property
    def credit_line(self) -> str:
        """The source line printed under exported charts."""
        return self.credit or f"Data: {self.name}"


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file whose layout the tool cannot guess.

    Attributes:
        format: force a format instead of reading it from the file name's extension.
        delimiter: the CSV delimiter; guessed from the header when not given.
        encoding: the text encoding; UTF-8 (BOM or not) and UTF-16 with a BOM are read
            without being told.
        date_order: how to read all-numeric dates such as ``12/02/2024``.
        mapping: schema column -> the input's column name, for tables with their own names.
    """

    format: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    date_order: DateOrder | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
