"""Temporal expressions resolved as a careful reader would, each on sentences from other stories."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.extract import Article, extract
from timeline.extract.dates import When, earlier_window, find_dates

MONDAY = dt.date(2024, 2, 12)  # a Monday
THURSDAY = dt.date(2023, 6, 15)


def one(text: str, published: dt.date = MONDAY) -> When:
    found = find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


def window(when: When) -> tuple[str, str, str, bool]:
    return when.start_text(), when.end_text(), when.precision, when.approximate


@pytest.mark.parametrize(
    ("sentence", "words", "expected"),
    [
        # A weekday is the most recent one; the publication's own weekday is that day.
        ("The mayor resigned on Sunday after the vote.", "on Sunday", ("2024-02-11", "", "day", False)),
        ("Talks resumed on Monday in Geneva.", "on Monday", ("2024-02-12", "", "day", False)),
        ("The ministry said on Thursday it would appeal.", "on Thursday", ("2024-02-08", "", "day", False)),
        ("The strike began last Monday.", "last Monday", ("2024-02-05", "", "day", False)),
        ("Rain fell on Friday evening across the north.", "on Friday evening", ("2024-02-09", "", "day", False)),
        # Abbreviated months with a dot keep their day (dateparser alone loses it).
        ("The court ruled on Feb. 8 that the law stands.", "on Feb. 8", ("2024-02-08", "", "day", False)),
        ("The bridge reopened on Sept. 3.", "on Sept. 3", ("2023-09-03", "", "day", False)),
        ("Voting closed on 3 March 2021 at noon.", "on 3 March 2021", ("2021-03-03", "", "day", False)),
        ("The treaty was signed on July 4, 1990, in Paris.", "on July 4, 1990", ("1990-07-04", "", "day", False)),
        ("It was filed on 2023-11-30 by the clerk.", "on 2023-11-30", ("2023-11-30", "", "day", False)),
        # Months and years keep their precision.
        ("The factory closed in February 2022.", "in February 2022", ("2022-02", "", "month", False)),
        ("In September, the union called a strike.", "In September", ("2023-09", "", "month", False)),
        ("The law took effect in February.", "in February", ("2024-02", "", "month", False)),
        ("The senator said last year that she would run.", "last year", ("2023", "", "year", False)),
        ("Prices rose sharply in 2019, the report found.", "in 2019", ("2019", "", "year", False)),
        ("Sales fell last month.", "last month", ("2024-01", "", "month", False)),
        # Windows, approximate.
        ("The two leaders met last week in Oslo.", "last week", ("2024-02-05", "2024-02-11", "day", True)),
        ("It has flooded for nearly two years.", "for nearly two years", ("2022-02", "2024-02", "month", True)),
        ("The mine opened three days ago.", "three days ago", ("2024-02-09", "", "day", False)),
        ("The company was founded two years ago.", "two years ago", ("2022", "", "year", False)),
        ("The singer said yesterday that the tour was over.", "yesterday", ("2024-02-11", "", "day", False)),
        (
            "Officials met earlier this month to agree the budget.",
            "earlier this month",
            ("2024-02-01", "2024-02-12", "day", True),
        ),
    ],
)
def test_expression_resolves_against_publication(
    sentence: str, words: str, expected: tuple[str, str, str, bool]
) -> None:
    when = one(sentence)
    assert when.text == words
    assert sentence[when.offset : when.stop] == words  # date_text is verbatim, with its offset
    assert window(when) == expected


def test_in_a_month_means_the_most_recent_such_month() -> None:
    assert one("In September the dam burst.", THURSDAY).start_text() == "2022-09"
    assert one("In June the dam burst.", THURSDAY).start_text() == "2023-06"


def test_shortly_after_a_dated_event_is_a_window_after_it() -> None:
    sentence = "The charity sent tents to the region shortly after the earthquake struck in March 2023."
    when = one(sentence)
    assert when.text == "shortly after the earthquake struck in March 2023"
    assert window(when) == ("2023-03", "2023-04", "month", True)
    day = one("Police arrived shortly after the blast on 4 August 2020.")
    assert window(day) == ("2020-08-04", "2020-08-11", "day", True)
    before = one("The banks closed shortly before the vote on 4 August 2020.")
    assert window(before) == ("2020-07-28", "2020-08-04", "day", True)


def test_shortly_after_an_undated_event_gives_no_date() -> None:
    assert find_dates("He spoke shortly after the minister resigned.", MONDAY) == []


def test_earlier_and_at_the_time_are_anaphors() -> None:
    earlier = one("Earlier, the newspaper reported that the deal had collapsed.")
    assert earlier.anaphor == "earlier" and earlier.text == "Earlier"
    at_the_time = one("“We will rebuild,” she said at the time.")
    assert at_the_time.anaphor == "at_the_time"


def test_earlier_is_bounded_by_the_surrounding_dates() -> None:
    earlier = one("Earlier, the newspaper reported that the deal had collapsed.")
    september = one("In September, the union called a strike.")
    resolved = earlier_window(earlier, september, None, MONDAY)
    assert window(resolved) == ("2023-09", "2024-02", "month", True)  # from September to publication
    last_year = one("The senator said last year that she would run.")
    between = earlier_window(earlier, last_year, september, MONDAY)
    assert (between.start, between.end) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    alone = earlier_window(earlier, None, None, MONDAY)
    assert alone.approximate and alone.end == MONDAY and alone.start < MONDAY


def test_at_the_time_takes_the_window_of_the_dated_sentence_before() -> None:
    at_the_time = one("“We will rebuild,” she said at the time.")
    june = one("In June the dam burst.", THURSDAY)
    assert window(earlier_window(at_the_time, june, None, THURSDAY)) == ("2023-06", "", "month", True)


def test_numbers_that_are_not_years_are_not_dates() -> None:
    assert find_dates("Some 20,000 people and 1,999 cars were counted; 2019 votes were cast.", MONDAY) == []
    assert find_dates("The May 1 rally was large.", MONDAY)[0].text == "May 1"
    assert find_dates("They may leave soon.", MONDAY) == []


def article(text: str, published: dt.date = MONDAY) -> list[dict[str, str]]:
    events = extract([Article(text, published, "Wire", "story")]).events
    return events.to_dict("records")  # type: ignore[return-value]


def test_a_sentence_without_a_date_inherits_nothing_silently() -> None:
    rows = article(
        "Mayor Ana Lopez said on Friday that the bridge would reopen.\n"
        "Opposition leader Tom Baker claimed that the repairs had been botched."
    )
    lopez, baker = rows
    assert (lopez["start"], lopez["date_text"]) == ("2024-02-09", "on Friday")
    # Baker's claim is undated: an honest window, from the news the lead dates to publication
    assert baker["date_text"] == "" and baker["approximate"] is True
    assert (baker["start"], baker["end"]) == ("2024-02-09", "2024-02-12")
    assert float(baker["confidence"]) < 0.5 and "no date" in baker["confidence_reason"]


def test_without_a_dated_lead_the_window_is_the_week_before_publication() -> None:
    rows = article(
        "Opposition leader Tom Baker claimed that the repairs had been botched.\n"
        "In 2019, Mayor Ana Lopez said that the bridge would be rebuilt."
    )
    baker = rows[0]
    assert (baker["start"], baker["end"], baker["approximate"]) == ("2024-02-05", "2024-02-12", True)
    assert "week before publication" in baker["confidence_reason"]


def test_a_continuing_speaker_keeps_the_date_of_the_remarks() -> None:
    rows = article(
        "Speaking at a rally on Saturday, Senator Maria Ortiz said that the tax would be repealed.\n"
        "She added that the state budget was balanced."
    )
    assert [r["start"] for r in rows] == ["2024-02-10", "2024-02-10"]
    assert rows[1]["date_text"] == "on Saturday" and "continues" in rows[1]["confidence_reason"]


def test_a_dated_sentence_in_the_quote_does_not_date_the_speech() -> None:
    rows = article("“We lost the match on Sunday,” coach Ben Carter said last week.")
    assert rows[0]["date_text"] == "last week"


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        ("The election will be held on May 5.", "2024-05-05"),
        ("The summit is scheduled for March.", "2024-03"),
        ("The ministers will meet on Friday.", "2024-02-16"),
        ("More rain is expected until Saturday.", "2024-02-17"),
        # the reporting verb is past: its day stays past even when what is said is future
        ("She said on Sunday that it will rain.", "2024-02-11"),
        ("The vote on May 5 was close.", "2023-05-05"),
    ],
)
def test_the_future_tense_points_forward(sentence: str, start: str) -> None:
    assert one(sentence).start_text() == start


def test_ap_style_weekday_without_on() -> None:
    rows = article("The president said Tuesday that taxes would rise.")
    assert (rows[0]["date_text"], rows[0]["start"]) == ("Tuesday", "2024-02-06")
    assert rows[0]["title"].endswith("says taxes would rise")


def test_the_next_day_and_the_day_before_count_from_the_dated_sentence_before() -> None:
    rows = article(
        "On Thursday, the council voted to close the library.\n"
        "The mayor said the next day that she would veto the decision.\n"
        "Union leader Ray Holt said on Friday that the staff had learned of the vote the day before.\n"
    )
    mayor = next(r for r in rows if r["date_text"] == "the next day")
    assert (mayor["start"], mayor["approximate"]) == ("2024-02-09", False)
    holt = next(r for r in rows if r["actor"] == "Ray Holt")
    assert holt["date_text"] == "on Friday"  # the day of the remarks, not the day before (what was said)


def test_over_the_weekend_is_the_weekend_before_a_weekday_article() -> None:
    assert window(one("Protesters gathered over the weekend.")) == ("2024-02-10", "2024-02-11", "day", True)


def test_the_day_before_counts_back() -> None:
    before = earlier_window(one("It had flooded the day before."), one("The dam burst on Thursday."), None, MONDAY)
    assert window(before) == ("2024-02-07", "", "day", False)
