"""Score the extractor against hand-made gold tables: precision, recall, speaker and date accuracy.

Run: ``make eval-extract`` (or ``.venv/bin/python benchmarks/eval_extract.py``).

Each document of ``tests/extract_gold/manifest.csv`` is given to
``timeline.extract.extract([Article(text, published, publisher, name)])`` and its candidates
are aligned one-to-one with the document's gold events (``<name>.gold.csv``, the project's
schema plus an ``aliases`` column). The rules, also in ``tests/extract_gold/README.md``:

- **Content.** A candidate and a gold event are about the same thing when their source
  sentences overlap: the share of the shorter one's word tokens (case-folded) found in the
  other, or of its character span, is at least ``CONTENT_THRESHOLD`` (0.6), with at least
  ``MIN_SHARED_TOKENS`` (3) words in common. The candidate's ``source_text`` is used, or its
  ``quote`` when it has none.
- **Speaker.** The actor agrees when the candidate's actor, normalised (case, accents, curly
  quotes, punctuation, a leading "the", a trailing "'s"), is the gold actor, one of the gold
  row's ``aliases`` (``;``-separated: surnames, roles, organisations the text names as the
  speaker), or a name ``ALIASES`` lists for it.
- **Date.** The date is right when the resolved ``start``, ``end`` (a blank end counts as the
  start) and ``precision`` (blank: read from how ``start`` is written) all equal the gold's.
  When the text gives no date for the event (the gold's ``date_text`` is blank: its window
  comes from context), the issue asks for "blank, or an honest window": a candidate is then
  also right when its date is blank, or when it is a window flagged ``approximate`` that
  covers the gold's window and is at most ``UNDATED_SLACK`` wider than twice it or than it
  plus a month (``honest_window``). ``date_text`` itself is not scored.
- **Alignment.** Among the pairs whose content overlaps, a maximum-weight one-to-one
  assignment (SciPy's ``linear_sum_assignment``) prefers pairs whose actor agrees, then whose
  date is right, then the larger overlap; so a sentence holding two events pairs each
  candidate with the event it is about. A second candidate for the same gold event stays
  unmatched.

Then, per document and over all of them: recall = matched gold / gold and precision =
matched candidates / candidates, where *matched* means content-aligned with the right actor;
speaker accuracy = right actor / content-aligned pairs; date accuracy = right date / matched;
candidates per gold event = candidates / gold. A document whose extraction fails is reported
with its message and counts as no candidates (its gold events are missed). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from timeline.io import load_events

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "extract_gold"
MANIFEST = GOLD / "manifest.csv"
MANIFESTS = (MANIFEST, GOLD / "dev" / "manifest.csv", GOLD / "heldout" / "manifest.csv")
"""The seed and first development texts; the development set; the held-out set (written blind)."""
GROUPS = ("seed", "dev", "held-out")

CONTENT_THRESHOLD = 0.6
"""Least share of the shorter sentence's tokens (or span) the other must hold."""

MIN_SHARED_TOKENS = 3
"""Fewest words two sentences must share to be about the same thing."""

ALIASES: Mapping[str, tuple[str, ...]] = {}
"""Gold actor -> further names accepted for it, beyond each gold row's ``aliases`` column.

Empty: every gold table lists its aliases itself, so the rule travels with the data."""

UNDATED_SLACK = dt.timedelta(days=31)
"""How much wider than the gold's window an honest window for an undated event may be."""

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Document:
    """One line of the manifest."""

    name: str
    text_path: Path
    gold_path: Path
    published: dt.date
    publisher: str
    licence: str
    url: str
    group: str = "dev"
    """``seed``, ``dev`` (used to find and test the rules) or ``held-out`` (written blind)."""

    @property
    def is_seed(self) -> bool:
        """The seed article (its text lives in ``seeds/``), the one the extractor was built on."""
        return self.text_path.parent.name == "seeds"


@dataclass
class Pair:
    """A candidate aligned with a gold event (by content)."""

    gold: int
    candidate: int
    content: float
    actor_ok: bool
    date_ok: bool


@dataclass
class Score:
    """What one document (or several, added up) scored."""

    gold: int = 0
    candidates: int = 0
    aligned: int = 0
    matched: int = 0
    dates_right: int = 0
    failed: list[str] = field(default_factory=list)

    def __add__(self, other: Score) -> Score:
        return Score(
            self.gold + other.gold,
            self.candidates + other.candidates,
            self.aligned + other.aligned,
            self.matched + other.matched,
            self.dates_right + other.dates_right,
            self.failed + other.failed,
        )

    @property
    def recall(self) -> float | None:
        return _ratio(self.matched, self.gold)

    @property
    def precision(self) -> float | None:
        return _ratio(self.matched, self.candidates)

    @property
    def speaker_accuracy(self) -> float | None:
        return _ratio(self.matched, self.aligned)

    @property
    def date_accuracy(self) -> float | None:
        return _ratio(self.dates_right, self.matched)

    @property
    def candidates_per_gold(self) -> float | None:
        return _ratio(self.candidates, self.gold)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- normalising ----------------------------------------------------------------------------


def normalise_name(name: object) -> str:
    """A name as compared: accents, case, curly quotes, punctuation, "the ", "'s" set aside."""
    text = str(name or "").replace("\u2019", "'").replace("\u2018", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"'s\b", "", text)
    text = " ".join(_TOKEN.findall(text))
    return text.removeprefix("the ").strip()


def tokens(text: object) -> set[str]:
    """The case-folded word tokens of a sentence (curly quotes and accents set aside)."""
    folded = unicodedata.normalize("NFKD", str(text or "")).casefold()
    return set(_TOKEN.findall(folded))


def names_for(actor: str, aliases: str, alias_map: Mapping[str, Iterable[str]] = ALIASES) -> set[str]:
    """Every normalised name that counts as ``actor``."""
    names = {actor, *(a for a in str(aliases or "").split(";")), *alias_map.get(actor, ())}
    return {n for n in (normalise_name(x) for x in names) if n}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() in {"", "<NA>", "nan"}


def _bounds(start: object, end: object, precision: object) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date covers (None when blank or not a plain AD date)."""
    first, last, _ = date_key(start, end, precision)

    def day(text: str, *, upper: bool) -> dt.date | None:
        parts = text.split("-")
        if not text or not all(p.isdigit() for p in parts) or len(parts) > 3:
            return None
        year = int(parts[0])
        if len(parts) == 1:
            return dt.date(year, 12, 31) if upper else dt.date(year, 1, 1)
        month = int(parts[1])
        if len(parts) == 2:
            if not upper:
                return dt.date(year, month, 1)
            return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return dt.date(year, month, int(parts[2]))

    low, high = day(first, upper=False), day(last, upper=True)
    return (low, high) if low is not None and high is not None else None


def honest_window(candidate: Mapping[str, object], gold: Mapping[str, object]) -> bool:
    """Whether ``candidate``'s date is an honest one for a gold event the text does not date:
    blank, or an approximate window covering the gold's and not much wider (see the rules)."""
    if _blank(candidate.get("start")):
        return True
    if str(candidate.get("approximate")).strip().lower() not in ("true", "1", "yes"):
        return False
    ours = _bounds(candidate.get("start"), candidate.get("end"), candidate.get("precision"))
    theirs = _bounds(gold.get("start"), gold.get("end"), gold.get("precision"))
    if ours is None or theirs is None or not (ours[0] <= theirs[0] and theirs[1] <= ours[1]):
        return False
    width, gold_width = ours[1] - ours[0], theirs[1] - theirs[0]
    return width <= max(2 * gold_width, gold_width + UNDATED_SLACK)


def date_key(start: object, end: object, precision: object) -> tuple[str, str, str]:
    """(start, end, precision) as compared: a blank end is the start, a blank precision is
    read from how start is written (YYYY year, YYYY-MM month, YYYY-MM-DD day)."""
    first = "" if _blank(start) else str(start).strip()
    last = first if _blank(end) else str(end).strip()
    if _blank(precision):
        digits = first.lstrip("-")
        level = {4: "year", 7: "month", 10: "day"}.get(len(digits), "")
    else:
        level = str(precision).strip()
    return first, last, level


# --- content overlap ------------------------------------------------------------------------


def span_of(text: str, sentence: str) -> tuple[int, int] | None:
    """Where ``sentence`` first occurs in ``text``."""
    if not sentence:
        return None
    at = text.find(sentence)
    return (at, at + len(sentence)) if at >= 0 else None


def content_overlap(
    candidate: str,
    gold: str,
    candidate_span: tuple[int, int] | None = None,
    gold_span: tuple[int, int] | None = None,
) -> float:
    """How far two source sentences are the same: the larger of their token containment (shared
    tokens over the shorter's, 0 when fewer than ``MIN_SHARED_TOKENS`` are shared) and span containment."""
    score = 0.0
    ours, theirs = tokens(candidate), tokens(gold)
    shared = len(ours & theirs)
    if shared >= MIN_SHARED_TOKENS:
        score = shared / min(len(ours), len(theirs))
    if candidate_span and gold_span:
        common = min(candidate_span[1], gold_span[1]) - max(candidate_span[0], gold_span[0])
        shortest = min(candidate_span[1] - candidate_span[0], gold_span[1] - gold_span[0])
        if common > 0 and shortest > 0:
            score = max(score, common / shortest)
    return score


# --- alignment ------------------------------------------------------------------------------


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{str(key): value for key, value in row.items()} for row in frame.to_dict("records")]


def _text_of(row: Mapping[str, object]) -> str:
    source = row.get("source_text")
    return str(row.get("quote") or "") if _blank(source) else str(source)


def _span(row: Mapping[str, object]) -> tuple[int, int] | None:
    try:
        start, end = int(str(row.get("span_start"))), int(str(row.get("span_end")))
    except (TypeError, ValueError):
        return None
    return (start, end) if end > start else None


def align(
    gold: pd.DataFrame, candidates: pd.DataFrame, text: str = "", alias_map: Mapping[str, Iterable[str]] = ALIASES
) -> list[Pair]:
    """The one-to-one alignment of candidates with gold events (see the module's rules)."""
    gold_rows = _records(gold)
    cand_rows = _records(candidates)
    if not gold_rows or not cand_rows:
        return []
    pairs: dict[tuple[int, int], Pair] = {}
    weight = np.zeros((len(gold_rows), len(cand_rows)))
    for g, grow in enumerate(gold_rows):
        gold_text = _text_of(grow)
        gold_span = span_of(text, gold_text)
        names = names_for(str(grow["actor"]), str(grow.get("aliases") or ""), alias_map)
        gold_date = date_key(grow.get("start"), grow.get("end"), grow.get("precision"))
        undated = _blank(grow.get("date_text"))
        for c, crow in enumerate(cand_rows):
            content = content_overlap(_text_of(crow), gold_text, _span(crow), gold_span)
            if content < CONTENT_THRESHOLD:
                continue
            actor_ok = normalise_name(crow.get("actor")) in names
            date_ok = date_key(crow.get("start"), crow.get("end"), crow.get("precision")) == gold_date
            date_ok = date_ok or (undated and honest_window(crow, grow))
            pairs[g, c] = Pair(g, c, content, actor_ok, date_ok)
            weight[g, c] = 1 + 4 * actor_ok + 2 * date_ok + content
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return [pairs[g, c] for g, c in zip(rows.tolist(), cols.tolist(), strict=True) if (g, c) in pairs]


def score(gold: pd.DataFrame, candidates: pd.DataFrame, pairs: Sequence[Pair]) -> Score:
    """The counts behind the rates for one document."""
    matched = [p for p in pairs if p.actor_ok]
    return Score(
        gold=len(gold),
        candidates=len(candidates),
        aligned=len(pairs),
        matched=len(matched),
        dates_right=sum(p.date_ok for p in matched),
    )


# --- documents ------------------------------------------------------------------------------


def load_manifest(path: Path = MANIFEST) -> list[Document]:
    """The documents a manifest lists (paths relative to the manifest's folder). Their group is
    the row's ``set`` column, else the folder's (``heldout`` is held out), else ``dev``; the seed
    (its text in ``seeds/``) is always ``seed``."""
    folder = path.parent
    default = "held-out" if folder.name == "heldout" else "dev"
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Document(
                name=Path(row["file"]).stem,
                text_path=(folder / row["file"]).resolve(),
                gold_path=(folder / row["gold"]).resolve(),
                published=dt.date.fromisoformat(row["published"]),
                publisher=row["publisher"],
                licence=row["licence"],
                url=row["url"],
                group=row.get("set") or default,
            )
            for row in csv.DictReader(handle)
        ]


def load_documents(manifests: Sequence[Path] = MANIFESTS, groups: Sequence[str] = GROUPS) -> list[Document]:
    """Every document of the manifests that exist, in the given groups."""
    documents = [d for path in manifests if path.exists() for d in load_manifest(path)]
    return [d for d in documents if ("seed" if d.is_seed else d.group) in groups]


def load_gold(path: Path) -> pd.DataFrame:
    """A gold table, validated like any events file (its ``aliases`` column is kept)."""
    return load_events(path).events


def extract_candidates(document: Document, text: str, model: str | None) -> pd.DataFrame:
    """The extractor's candidates for one document (raises whatever the extractor raises)."""
    from timeline.extract import Article, extract

    article = Article(text=text, published=document.published, publisher=document.publisher, name=document.name)
    return extract([article], model=model).events


# --- printing -------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"


def _date_text(row: Mapping[str, object]) -> str:
    first, last, level = date_key(row.get("start"), row.get("end"), row.get("precision"))
    return f"{first}..{last} ({level})" if last != first else f"{first} ({level})"


def document_table(gold: pd.DataFrame, candidates: pd.DataFrame, pairs: Sequence[Pair]) -> str:
    """A markdown table: each gold event, the candidate aligned with it, and what agreed."""
    by_gold = {p.gold: p for p in pairs}
    lines = [
        "| gold event | gold actor | gold date | candidate actor | candidate date | overlap | speaker | date |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    cand_rows = _records(candidates)
    for g, grow in enumerate(_records(gold)):
        pair = by_gold.get(g)
        if pair is None:
            lines.append(f"| {grow['id']} | {grow['actor']} | {_date_text(grow)} | (missed) | | | | |")
            continue
        crow = cand_rows[pair.candidate]
        lines.append(
            f"| {grow['id']} | {grow['actor']} | {_date_text(grow)} | {crow.get('actor')} | {_date_text(crow)} "
            f"| {pair.content:.2f} | {'right' if pair.actor_ok else 'wrong'} "
            f"| {('right' if pair.date_ok else 'wrong') if pair.actor_ok else '-'} |"
        )
    spare = len(candidates) - len(pairs)
    lines.append("")
    lines.append(f"{spare} candidate(s) aligned with no gold event.")
    return "\n".join(lines)


SUMMARY_HEADER = (
    "| document | gold | candidates | recall | precision | speaker accuracy | date accuracy | candidates per gold |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- |"
)


def summary_row(label: str, result: Score) -> str:
    per_gold = "n/a" if result.candidates_per_gold is None else f"{result.candidates_per_gold:.2f}"
    note = ""
    if result.failed:
        note = " (extraction failed)" if result.failed == [label] else f" ({len(result.failed)} failed to extract)"
    return (
        f"| {label}{note} | {result.gold} | {result.candidates} | {_pct(result.recall)} | {_pct(result.precision)} "
        f"| {_pct(result.speaker_accuracy)} | {_pct(result.date_accuracy)} | {per_gold} |"
    )


def evaluate(documents: Sequence[Document], model: str | None = None, out: TextIO | None = None) -> dict[str, Score]:
    """Score every document, print its table, then the overall table; the scores by name."""

    def say(line: str = "") -> None:
        print(line, file=out or sys.stdout)

    results: dict[str, Score] = {}
    for document in documents:
        text = document.text_path.read_text(encoding="utf-8")
        gold = load_gold(document.gold_path)
        say(f"## {document.name} ({document.publisher}, {document.published.isoformat()})")
        say()
        try:
            candidates = extract_candidates(document, text, model)
        except Exception as error:  # the extractor's failure is a result, not the end of the run
            message = " ".join(str(error).split()) or type(error).__name__
            say(f"**extraction failed**: {type(error).__name__}: {message}")
            say()
            results[document.name] = Score(gold=len(gold), failed=[document.name])
            continue
        pairs = align(gold, candidates, text)
        results[document.name] = score(gold, candidates, pairs)
        say(document_table(gold, candidates, pairs))
        say()
    say("## Overall")
    say()
    say(SUMMARY_HEADER)
    for name, result in results.items():
        say(summary_row(name, result))
    for group, label in (("dev", "**development set**"), ("held-out", "**held out (written blind)**")):
        names = {d.name for d in documents if not d.is_seed and d.group == group}
        chosen = [r for name, r in results.items() if name in names]
        if chosen:
            say(summary_row(label, sum(chosen, Score())))
    say(summary_row("**all documents**", sum(results.values(), Score())))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--manifest", type=Path, action="append", help="a gold manifest (CSV; default: the seed's, dev/ and heldout/)"
    )
    parser.add_argument(
        "--set", dest="groups", action="append", choices=GROUPS, help="score only these sets (default: all)"
    )
    parser.add_argument("--model", default=None, help="a spaCy pipeline for the extractor, when installed")
    args = parser.parse_args(argv)
    evaluate(load_documents(args.manifest or MANIFESTS, args.groups or GROUPS), args.model)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
