"""Sources in words: seed ids become publisher, date and headline; URLs become links."""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from timeline.dates import DateError, parse_partial_date
from timeline.io import SEEDS_INDEX

URL = re.compile(r"https?://[^\s)<>\"']+[^\s)<>\"'.,;:]")


@dataclass(frozen=True)
class Seed:
    """A source document of the default dataset, as listed in ``seeds/index.csv``."""

    id: str
    publisher: str
    published: str
    title: str

    def describe(self) -> str:
        """``RT (English edition), 12 February 2024: “headline”``."""
        try:
            when = parse_partial_date(self.published).human()
        except DateError:
            when = self.published
        return f"{self.publisher}, {when}: “{self.title}”"


@functools.cache
def seed_index(path: Path = SEEDS_INDEX) -> dict[str, Seed]:
    """The seed documents by id; empty when there is no index."""
    try:
        with path.open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
    except OSError:
        return {}
    return {
        row["id"]: Seed(row["id"], row.get("publisher", ""), row.get("published", ""), row.get("title", ""))
        for row in rows
        if row.get("id")
    }


def source_parts(source: str, seeds: dict[str, Seed]) -> list[tuple[str, str | None]]:
    """A ``source`` cell as pieces of text, each with the link it names (or None).

    A seed id reads as its publisher, date and headline; an http(s) URL becomes a link.
    """
    parts: list[tuple[str, str | None]] = []
    for number, piece in enumerate(p.strip() for p in source.split(";")):
        if not piece:
            continue
        if number:
            parts.append(("; ", None))
        if piece in seeds:
            parts.append((seeds[piece].describe(), None))
            continue
        position = 0
        for match in URL.finditer(piece):
            if match.start() > position:
                parts.append((piece[position : match.start()], None))
            parts.append((match.group(0), match.group(0)))
            position = match.end()
        if position < len(piece):
            parts.append((piece[position:], None))
    return parts
