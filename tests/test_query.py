"""The shared filter: what each filter keeps, and how it describes itself."""

from __future__ import annotations

import datetime as dt

from timeline.dataset import Dataset
from timeline.query import Filters, apply_filters


def test_no_filter_keeps_everything_in_order(seed: Dataset) -> None:
    kept = apply_filters(seed.events, Filters())
    assert kept["id"].tolist() == seed.events["id"].tolist()


def test_actor_filter(seed: Dataset) -> None:
    kept = apply_filters(seed.events, Filters(actors=("Dmitry Peskov",)))
    assert set(kept["actor"]) == {"Dmitry Peskov"}
    assert len(kept) == (seed.events["actor"] == "Dmitry Peskov").sum() > 0


def test_kind_filter(seed: Dataset) -> None:
    kept = apply_filters(seed.events, Filters(kinds=("denial", "report")))
    assert set(kept["kind"]) == {"denial", "report"}


def test_date_range_keeps_events_that_overlap_it(seed: Dataset) -> None:
    kept = apply_filters(seed.events, Filters(start=dt.date(2024, 2, 11), end=dt.date(2024, 2, 11)))
    assert "musk-false-news-reports" in set(kept["id"])
    assert "peskov-not-certified" not in set(kept["id"])  # 12 February
    # A window that ran until publication overlaps the day too.
    assert "ukraine-starlink-drone-use" in set(kept["id"])


def test_month_precision_event_matches_any_day_of_its_month(seed: Dataset) -> None:
    kept = apply_filters(seed.events, Filters(start=dt.date(2023, 9, 30), end=dt.date(2023, 9, 30)))
    assert "musk-sanctions-explanation" in set(kept["id"])


def test_text_filter_is_case_insensitive_over_title_summary_and_quote(seed: Dataset) -> None:
    in_quote = apply_filters(seed.events, Filters(text="KIEV REGIME"))
    assert in_quote["id"].tolist() == ["peskov-no-point-involvement"]
    assert apply_filters(seed.events, Filters(text="Peskov")).shape[0] > 0
    assert apply_filters(seed.events, Filters(text="no such words anywhere")).empty


def test_text_filter_is_literal_not_a_regex(seed: Dataset) -> None:
    assert apply_filters(seed.events, Filters(text="(.*)")).empty


def test_describe_in_words() -> None:
    assert Filters().describe() == "All events"
    words = Filters(actors=("Elon Musk",), kinds=("denial",), start=dt.date(2024, 1, 1), text="sold").describe()
    assert words == "Actor: Elon Musk; Kind: denial; from 1 Jan 2024; text contains “sold”"


def test_text_filter_reads_the_source_sentence_and_folds_curly_quotes(seed: Dataset) -> None:
    straight = apply_filters(seed.events, Filters(text="Musk's decision"))
    curly = apply_filters(seed.events, Filters(text="Musk’s decision"))
    assert straight["id"].tolist() == curly["id"].tolist()
    assert "cnn-report-musk-decision" in set(straight["id"])
    assert "musk-no-us-orders" in set(apply_filters(seed.events, Filters(text="run afoul"))["id"])


def test_a_single_day_reads_as_one_day() -> None:
    day = dt.date(2024, 2, 11)
    assert Filters(start=day, end=day).describe() == "on 11 Feb 2024"
