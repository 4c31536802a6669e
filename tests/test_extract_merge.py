"""Several articles, one story: the same statement from several outlets merges into one event."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from timeline.extract import Article, extract
from timeline.io import read_events, write_events

MONDAY = dt.date(2024, 5, 20)
TUESDAY = dt.date(2024, 5, 21)

WIRE = (
    "Port strike spreads\n"
    "On Sunday, union leader Carla Diaz said that “the strike will go on until the port owners talk to us.”\n"
    "The port authority said on Friday that cargo had been diverted to other harbours.\n"
)
DAILY = (
    "Dockers dig in\n"
    "Union leader Carla Diaz said on Saturday that “the strike will go on until the port owners talk to us,” "
    "according to witnesses.\n"
    "Mayor Ines Ferro said on Monday that the city would pay the dockers' fines.\n"
)


def merged() -> pd.DataFrame:
    articles = [Article(WIRE, MONDAY, "Wire", "wire-1"), Article(DAILY, TUESDAY, "Daily", "daily-7")]
    return extract(articles).events


def test_the_same_statement_from_two_outlets_is_one_event_listing_both() -> None:
    events = merged()
    diaz = events[events["actor"] == "Carla Diaz"]
    assert len(diaz) == 1
    row = diaz.iloc[0]
    assert row["outlets"] == "2"
    assert row["source"] == "Wire: wire-1; Daily: daily-7"
    assert "strike will go on" in row["quote"]


def test_outlets_disagreeing_on_the_day_keep_both_wordings_and_the_window_covering_them() -> None:
    row = merged().set_index("actor").loc["Carla Diaz"]
    assert row["date_text"] == "On Sunday (Wire); on Saturday (Daily)"
    assert (row["start"], row["end"], row["approximate"]) == ("2024-05-18", "2024-05-19", True)
    assert "disagree" in row["confidence_reason"] and "disagree" in row["note"]
    assert "Wire says 'On Sunday' (2024-05-19)" in row["note"]


def test_different_statements_stay_apart_and_count_one_outlet() -> None:
    events = merged().set_index("actor")
    assert events.loc["Ines Ferro", "outlets"] == "1"
    assert events.loc["Port authority", "outlets"] == "1"
    assert len(merged()) == 3


def test_the_same_speaker_saying_different_things_does_not_merge() -> None:
    other = "Union leader Carla Diaz said on Saturday that the union would hold elections in June.\n"
    events = extract([Article(WIRE, MONDAY, "Wire", "w"), Article(other, TUESDAY, "Daily", "d")]).events
    assert (events["actor"] == "Carla Diaz").sum() == 2


def test_far_apart_dates_do_not_merge() -> None:
    later = "Union leader Carla Diaz said in March that “the strike will go on until the port owners talk to us.”\n"
    events = extract([Article(WIRE, MONDAY, "Wire", "w"), Article(later, TUESDAY, "Daily", "d")]).events
    assert (events["actor"] == "Carla Diaz").sum() == 2


def test_merged_candidates_round_trip_through_every_format() -> None:
    events = merged()
    for fmt, suffix in (("csv", ".csv"), ("json", ".json"), ("xlsx", ".xlsx"), ("parquet", ".parquet")):
        back = read_events(write_events(events, fmt), "candidates" + suffix).events
        assert back["outlets"].tolist() == events["outlets"].tolist()
        assert back["note"].tolist() == events["note"].tolist()
        assert set(back["review"]) == {"unreviewed"}


def test_each_statement_merges_with_its_closest_counterpart() -> None:
    first = (
        "On Sunday, Mayor Ana Lopez said that the bridge over the river would reopen in June.\n"
        "Lopez added that the new bridge tolls would be cut for residents.\n"
    )
    second = (
        "Mayor Ana Lopez said on Sunday that tolls for residents on the new bridge would be cut.\n"
        "She also said the bridge over the river would reopen in June.\n"
    )
    events = extract([Article(first, MONDAY, "Wire", "w"), Article(second, TUESDAY, "Daily", "d")]).events
    assert len(events) == 2 and set(events["outlets"]) == {"2"}
    reopen = events[events["title"].str.contains("reopen")].iloc[0]
    assert "reopen in June" in reopen["source_text"].split("\n")[1]


def test_one_cast_for_the_story_names_an_actor_alike_in_every_article() -> None:
    first = "On Sunday, Kenya's National Intelligence Service (NIS) said that the plot had been foiled.\n"
    second = "Kenyan intelligence said on Sunday that a plot against the airport had been foiled.\n"
    events = extract([Article(first, MONDAY, "Wire", "w"), Article(second, TUESDAY, "Daily", "d")]).events
    assert events["actor"].tolist() == ["NIS"]
    assert events["outlets"].tolist() == ["2"]
