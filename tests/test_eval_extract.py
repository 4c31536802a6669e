"""The extraction scorer (benchmarks/eval_extract.py) on small hand-made tables, so its numbers
can be trusted; and the gold tables in tests/extract_gold/ themselves."""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from timeline.io import load_events

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "extract_gold"


def _load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_extract", ROOT / "benchmarks" / "eval_extract.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_extract"] = module
    spec.loader.exec_module(module)
    return module


ev = _load_scorer()

TEXT = (
    "The mayor said on Tuesday that the bridge would reopen in May. "
    "A spokeswoman for the council, Ann Lee, denied that repairs had been delayed."
)
MAYOR = "The mayor said on Tuesday that the bridge would reopen in May."
LEE = "A spokeswoman for the council, Ann Lee, denied that repairs had been delayed."


def table(*rows: dict[str, str]) -> pd.DataFrame:
    columns = ["id", "actor", "aliases", "start", "end", "precision", "source_text", "quote"]
    return pd.DataFrame([{c: row.get(c, "") for c in columns} for row in rows], columns=columns)


GOLD_ROWS = table(
    {"id": "mayor", "actor": "John Smith", "aliases": "the mayor;Smith", "start": "2024-03-05", "source_text": MAYOR},
    {"id": "lee", "actor": "Ann Lee", "aliases": "Lee", "start": "2024-03-06", "precision": "day", "source_text": LEE},
)


def run(candidates: pd.DataFrame) -> ev.Score:
    return ev.score(GOLD_ROWS, candidates, ev.align(GOLD_ROWS, candidates, TEXT))


def test_a_perfect_extraction_scores_everything_full() -> None:
    result = run(GOLD_ROWS.assign(aliases=""))
    assert (result.recall, result.precision, result.speaker_accuracy, result.date_accuracy) == (1, 1, 1, 1)
    assert result.candidates_per_gold == 1


def test_an_alias_or_surname_counts_as_the_actor_and_case_and_punctuation_do_not_matter() -> None:
    candidates = table(
        {"actor": "THE MAYOR", "start": "2024-03-05", "end": "2024-03-05", "precision": "day", "source_text": MAYOR},
        {"actor": "lee.", "start": "2024-03-06", "source_text": LEE},
    )
    assert run(candidates).recall == 1
    assert ev.normalise_name("The Kremlin’s") == ev.normalise_name("kremlin") == "kremlin"


def test_a_wrong_speaker_is_aligned_but_not_matched() -> None:
    candidates = table(
        {"actor": "John Smith", "start": "2024-03-05", "source_text": MAYOR},
        {"actor": "the council", "start": "2024-03-06", "source_text": LEE},
    )
    result = run(candidates)
    assert (result.aligned, result.matched) == (2, 1)
    assert result.recall == 0.5
    assert result.precision == 0.5
    assert result.speaker_accuracy == 0.5
    assert result.date_accuracy == 1


def test_a_wrong_date_still_matches_and_lowers_date_accuracy_only() -> None:
    candidates = table(
        {"actor": "John Smith", "start": "2024-03-04", "source_text": MAYOR},  # Monday, not Tuesday
        {"actor": "Ann Lee", "start": "2024-03", "source_text": LEE},  # right month, wrong precision
    )
    result = run(candidates)
    assert (result.recall, result.precision, result.speaker_accuracy) == (1, 1, 1)
    assert result.date_accuracy == 0


def test_a_duplicate_candidate_is_counted_once_and_costs_precision() -> None:
    candidates = table(
        {"actor": "John Smith", "start": "2024-03-05", "source_text": MAYOR},
        {"actor": "Smith", "start": "2024-03-05", "source_text": "the bridge would reopen in May"},
        {"actor": "Ann Lee", "start": "2024-03-06", "source_text": LEE},
    )
    result = run(candidates)
    assert result.matched == 2
    assert result.recall == 1
    assert result.precision == pytest.approx(2 / 3)
    assert result.candidates_per_gold == 1.5


def test_a_missing_event_costs_recall_only() -> None:
    result = run(table({"actor": "Ann Lee", "start": "2024-03-06", "source_text": LEE}))
    assert (result.recall, result.precision, result.date_accuracy) == (0.5, 1, 1)
    assert result.candidates_per_gold == 0.5


def test_no_candidates_and_unrelated_candidates_match_nothing() -> None:
    assert run(table()).matched == 0
    unrelated = run(table({"actor": "John Smith", "start": "2024-03-05", "source_text": "Weather was fine all week."}))
    assert (unrelated.aligned, unrelated.precision) == (0, 0)


def test_two_events_in_one_sentence_pair_with_the_candidates_about_them() -> None:
    sentence = "The bank offered 60 billion, on top of the trillion it offered yesterday."
    gold = table(
        {"actor": "Central Bank", "start": "2024-03", "end": "2024-03-06", "source_text": sentence},
        {"actor": "Central Bank", "start": "2024-03-05", "source_text": sentence},
    )
    candidates = table(
        {"actor": "Central Bank", "start": "2024-03-05", "source_text": sentence},
        {"actor": "Central Bank", "start": "2024-03", "end": "2024-03-06", "source_text": sentence},
    )
    result = ev.score(gold, candidates, ev.align(gold, candidates, sentence))
    assert (result.matched, result.dates_right) == (2, 2)


def test_content_overlap_by_tokens_and_by_span() -> None:
    assert ev.content_overlap(MAYOR, MAYOR) == 1
    assert ev.content_overlap("the bridge would reopen", MAYOR) == 1  # contained in the gold sentence
    assert ev.content_overlap("said the", MAYOR) < ev.CONTENT_THRESHOLD  # too few words shared
    span = ev.span_of(TEXT, LEE)
    assert span and ev.content_overlap("", LEE, span, span) == 1


def test_date_keys_read_a_blank_end_as_the_start_and_precision_from_the_form() -> None:
    assert ev.date_key("2024-03-05", "", "") == ev.date_key("2024-03-05", "2024-03-05", "day")
    assert ev.date_key("2023", None, None) == ("2023", "2023", "year")
    assert ev.date_key("2024-03", "", "")[2] == "month"


def test_a_failing_extractor_is_reported_and_the_run_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = ev.load_manifest()

    def fake(document: ev.Document, text: str, model: str | None) -> pd.DataFrame:
        if document.is_seed:
            raise RuntimeError("boom")
        return load_events(document.gold_path).events

    monkeypatch.setattr(ev, "extract_candidates", fake)
    out = io.StringIO()
    results = ev.evaluate(documents, out=out)
    printed = out.getvalue()
    assert "**extraction failed**: RuntimeError: boom" in printed
    seed = next(d.name for d in documents if d.is_seed)
    assert results[seed].failed == [seed] and results[seed].recall == 0
    for document in documents:
        if not document.is_seed:
            result = results[document.name]
            assert (result.recall, result.precision, result.speaker_accuracy, result.date_accuracy) == (1, 1, 1, 1)
    assert "## Overall" in printed and "| **all documents** (1 failed to extract) |" in printed


# --- the gold tables ------------------------------------------------------------------------


def manifest_rows() -> list[dict[str, str]]:
    with (GOLD / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_manifest_lists_the_seed_and_at_least_three_cited_others() -> None:
    rows = manifest_rows()
    assert set(rows[0]) == {"file", "gold", "published", "publisher", "licence", "url", "set"}
    others = [r for r in rows if "seeds/" not in r["file"]]
    assert len(others) >= 3
    assert all(r["url"] and r["licence"] and r["publisher"] for r in others)
    readme = (GOLD / "README.md").read_text(encoding="utf-8")
    for row in others:
        assert row["url"] in readme, f"{row['file']}: its source is not cited in the README"


@pytest.mark.parametrize("folder", ["dev", "heldout"])
def test_the_development_and_held_out_sets_cite_every_source(folder: str) -> None:
    manifest = GOLD / folder / "manifest.csv"
    documents = ev.load_manifest(manifest)
    assert len(documents) >= 3
    assert {d.group for d in documents} == {"held-out" if folder == "heldout" else "dev"}
    readme = (GOLD / folder / "README.md").read_text(encoding="utf-8")
    for document in documents:
        assert document.licence and document.publisher and document.url
        assert document.text_path.name in readme, f"{document.name}: not described in {folder}/README.md"


def test_the_sets_are_chosen_by_group() -> None:
    everything = ev.load_documents()
    assert {("seed" if d.is_seed else d.group) for d in everything} == {"seed", "dev", "held-out"}
    assert all(d.group == "held-out" for d in ev.load_documents(groups=["held-out"]))
    assert [d.is_seed for d in ev.load_documents(groups=["seed"])] == [True]
    assert len({d.name for d in everything}) == len(everything)


def test_an_undated_gold_event_takes_blank_or_an_honest_window() -> None:
    gold = {"start": "2016-07-12", "end": "2016-07-14", "precision": "day", "date_text": ""}
    window = {"start": "2016-07-10", "end": "2016-07-14", "precision": "day", "approximate": True}
    assert ev.honest_window(window, gold)
    assert ev.honest_window({"start": ""}, gold)
    assert not ev.honest_window({**window, "approximate": False}, gold)  # a window must say it is one
    assert not ev.honest_window({**window, "start": "2016-07-13"}, gold)  # does not cover the gold's
    assert not ev.honest_window({**window, "start": "2016-01-01"}, gold)  # far wider than the text allows
    month = {"start": "2008-08", "end": "2008-09-18", "precision": "month"}
    by_day = {"start": "2008-08-01", "end": "2008-09-18", "precision": "day", "approximate": "true"}
    assert ev.honest_window(by_day, month)
    rows = pd.DataFrame([{**gold, "id": "a", "actor": "China", "aliases": "", "source_text": "China said so."}])
    found = pd.DataFrame([{**window, "actor": "China", "source_text": "China said so."}])
    assert ev.align(rows, found)[0].date_ok
    dated = rows.assign(date_text="on Tuesday")  # the text dates it: only the same date counts
    assert not ev.align(dated, found)[0].date_ok


@pytest.mark.parametrize("document", ev.load_documents(), ids=lambda d: f"{d.group}-{d.name}")
def test_every_gold_table_validates_and_rests_on_its_text(document: ev.Document) -> None:
    text = document.text_path.read_text(encoding="utf-8")
    gold = load_events(document.gold_path).events
    assert len(gold) >= (5 if document.text_path.parent == GOLD else 3)
    for _, row in gold.iterrows():
        assert row["source_text"] in text, f"{row['id']}: source_text is not verbatim"
        if row["quote"]:
            assert row["quote"] in text, f"{row['id']}: quote is not verbatim"
        if row["date_text"] and document.is_seed is False:
            assert row["date_text"] in text, f"{row['id']}: date_text is not in the text"
    if not document.is_seed and document.text_path.parent == GOLD:
        assert 300 <= len(text.split()) <= 900


def test_the_seed_gold_is_the_datasets_dated_statements_claims_and_denials() -> None:
    data = load_events(ROOT / "data" / "events.csv").events
    wanted = data[data["kind"].isin(["statement", "claim", "denial"])]
    seed = load_events(GOLD / "seed.gold.csv").events
    assert list(seed["id"]) == list(wanted["id"])
    with (GOLD / "seed.gold.csv").open(encoding="utf-8", newline="") as handle:
        shared = [c for c in next(csv.reader(handle)) if c != "aliases"]
    assert seed[shared].reset_index(drop=True).equals(wanted[shared].reset_index(drop=True))
