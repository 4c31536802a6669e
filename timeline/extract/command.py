"""What ``timeline extract`` needs beyond the engine: the articles from the command line or a
manifest, and the readable table it prints when no output file is named."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from pathlib import Path

import click
import pandas as pd

from timeline.extract import Article, read_article
from timeline.extract.text import MAX_ARTICLE_BYTES
from timeline.io import read_regular_file
from timeline.schema import Problem, ValidationError, shorten

MANIFEST_FIELDS = ("file", "published", "publisher")
TABLE_COLUMNS = (("start", 10), ("end", 10), ("actor", 22), ("kind", 9), ("date_text", 18), ("title", 60))


def parse_published(value: str, where: str) -> dt.date:
    """A publication day (``2024-02-12``; ``12 February 2024`` and other spelled-out days too).

    Raises:
        click.BadParameter: not a calendar day.
    """
    from timeline.dates import DateError, parse_partial_date

    try:
        date = parse_partial_date(value)
    except DateError as error:
        raise click.BadParameter(f"{value!r} is not a date ({error})", param_hint=where) from None
    if date.precision != "day":
        raise click.BadParameter(f"{value!r} is not a day: give the day it was published", param_hint=where)
    first = date.first_day()
    return dt.date(first.year, first.month, first.day)


def articles_from(
    paths: Sequence[str], published: Sequence[str], publishers: Sequence[str], manifest: str | None
) -> list[Article]:
    """The articles to read: the manifest's rows, then each path with its date and publisher.

    ``--published`` and ``--publisher`` are given once for every article or once per article,
    in order.

    Raises:
        click.UsageError: dates or publishers missing or not matching the articles.
        ValidationError: a file cannot be read as an article.
    """
    entries: list[tuple[str, dt.date, str]] = []
    if manifest:
        entries += _manifest_entries(manifest)
    if paths:
        if not published:
            raise click.UsageError(
                "Missing option '--published': give the publication date of each ARTICLE "
                "(e.g. --published 2024-02-12), or list them in a --manifest."
            )
        dates = _per_article(published, len(paths), "--published")
        names = _per_article(publishers, len(paths), "--publisher") if publishers else [""] * len(paths)
        entries += [
            (path, parse_published(day, "'--published'"), name)
            for path, day, name in zip(paths, dates, names, strict=True)
        ]
    if not entries:
        raise click.UsageError("Give at least one ARTICLE, or a --manifest listing them.")
    articles: list[Article] = []
    problems: list[Problem] = []
    for path, day, publisher in entries:
        try:
            text = read_article(read_regular_file(Path(path), MAX_ARTICLE_BYTES), Path(path).name)
        except ValidationError as error:
            problems += error.problems
            continue
        articles.append(Article(text, day, publisher, Path(path).stem))
    if problems:
        raise ValidationError(problems)
    return articles


def _per_article(values: Sequence[str], count: int, option: str) -> list[str]:
    if len(values) == 1:
        return list(values) * count
    if len(values) != count:
        raise click.UsageError(
            f"{option} is given {len(values)} times for {count} articles: give it once for all, or once per article"
        )
    return list(values)


def _manifest_entries(manifest: str) -> list[tuple[str, dt.date, str]]:
    """Rows of a CSV or JSON manifest (file, published, publisher); files relative to it."""
    path = Path(manifest)
    data = read_regular_file(path, 1024 * 1024)
    try:
        text = data.decode("utf-8-sig")
        if path.suffix.lower() == ".json":
            loaded = json.loads(text)
            rows = loaded.get("articles", []) if isinstance(loaded, dict) else loaded
        else:
            rows = list(csv.DictReader(io.StringIO(text)))
    except (UnicodeDecodeError, ValueError) as error:
        raise ValidationError([Problem(path.name, None, None, None, f"unreadable manifest: {error}")]) from None
    if not isinstance(rows, list) or not rows:
        raise ValidationError([Problem(path.name, None, None, None, "the manifest lists no articles")])
    entries: list[tuple[str, dt.date, str]] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(Problem(path.name, number, None, None, "must be an object with file and published"))
            continue
        missing = [f for f in MANIFEST_FIELDS[:2] if not str(row.get(f) or "").strip()]
        if missing:
            problems += [Problem(path.name, number, f, "", "must not be blank") for f in missing]
            continue
        try:
            day = parse_published(str(row["published"]).strip(), f"{path.name} row {number}, published")
        except click.BadParameter as error:
            problems.append(Problem(path.name, number, "published", str(row["published"]), error.message))
            continue
        file = path.parent / str(row["file"]).strip()
        entries.append((str(file), day, str(row.get("publisher") or "").strip()))
    if problems:
        raise ValidationError(problems)
    return entries


def table_text(events: pd.DataFrame) -> str:
    """The candidates as a plain-text table, one line each, for reading in a terminal."""
    header = "  ".join(name.ljust(width) for name, width in TABLE_COLUMNS) + "  confidence"
    lines = [header, "-" * len(header)]
    for _, row in events.iterrows():
        cells = [shorten(str(row[name]), width).ljust(width) for name, width in TABLE_COLUMNS]
        lines.append("  ".join(cells) + f"  {row['confidence']}")
    return "\n".join(lines)
