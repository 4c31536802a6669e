"""Partial dates: what each way of writing a date means, and the clear refusals."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from timeline.dates import DateError, PartialDate, make_date, parse_partial_date


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("2022", PartialDate(2022), "year"),
        ("2022-02", PartialDate(2022, 2), "month"),
        ("2022-02-24", PartialDate(2022, 2, 24), "day"),
        ("Feb 2022", PartialDate(2022, 2), "month"),
        ("February 2022", PartialDate(2022, 2), "month"),
        ("24 February 2022", PartialDate(2022, 2, 24), "day"),
        ("February 24, 2022", PartialDate(2022, 2, 24), "day"),
        ("30 Apr 1789", PartialDate(1789, 4, 30), "day"),
        ("02/2022", PartialDate(2022, 2), "month"),
        ("2022/02", PartialDate(2022, 2), "month"),
        ("2024/02/12", PartialDate(2024, 2, 12), "day"),
        ("24.02.2022", PartialDate(2022, 2, 24), "day"),
        ("2024-02-11T10:00Z", PartialDate(2024, 2, 11), "day"),
        ("2022-02-24 00:00:00", PartialDate(2022, 2, 24), "day"),
        ("1066", PartialDate(1066), "year"),
        ("14 October 1066", PartialDate(1066, 10, 14), "day"),
        ("AD 800", PartialDate(800), "year"),
        ("1066 CE", PartialDate(1066), "year"),
        ("0001-01-01", PartialDate(1, 1, 1), "day"),
        ("9999-12", PartialDate(9999, 12), "month"),
    ],
)
def test_dates_get_their_precision(text: str, expected: PartialDate, precision: str) -> None:
    parsed = parse_partial_date(text)
    assert parsed == expected
    assert parsed.precision == precision


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("12/02/2024", "dmy", PartialDate(2024, 2, 12)),
        ("12/02/2024", "mdy", PartialDate(2024, 12, 2)),
        ("25/12/2024", None, PartialDate(2024, 12, 25)),  # only one reading is a date
        ("12/25/2024", None, PartialDate(2024, 12, 25)),
        ("05/05/2024", None, PartialDate(2024, 5, 5)),  # both readings agree
    ],
)
def test_numeric_dates_follow_the_declared_order(text: str, order: str | None, expected: PartialDate) -> None:
    assert parse_partial_date(text, order) == expected  # type: ignore[arg-type]


def test_an_ambiguous_numeric_date_without_an_order_says_how_to_fix_it() -> None:
    with pytest.raises(DateError, match=r"declare the order .* with --date-order dmy or --date-order mdy"):
        parse_partial_date("12/02/2024")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("44 BC", "44 BC is before AD 1"),  # one calendar date AD: the --from/--to of the CLI
        ("44 B.C.", "44 BC is before AD 1"),
        ("500 BCE", "500 BC is before AD 1"),
        ("-0054", "55 BC is before AD 1"),
        ("-500", "ambiguous: write 500 BC"),
        ("0", "there is no year 0"),
        ("BC 44", "write BC after the year"),
        ("c. 383", "not a date"),
        ("10000", "after 9999"),
        ("13800000000", "after 9999"),
        ("2022-13", "month 13"),
        ("2023-02-29", "does not exist in February 2023"),
        ("", "empty date"),
        ("Sunday", "no year given"),
        ("spring", "not a date"),
        ("12/02/24", "four digits"),
    ],
)
def test_dates_that_are_not_one_calendar_date_ad_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_partial_date(text)


def test_partial_dates_cover_their_whole_period() -> None:
    assert PartialDate(2024, 2).first_day() == dt.date(2024, 2, 1)
    assert PartialDate(2024, 2).last_day() == dt.date(2024, 2, 29)
    assert PartialDate(1066).last_day() == dt.date(1066, 12, 31)
    assert PartialDate(1066, 10, 14).iso() == "1066-10-14"
    assert PartialDate(800).iso() == "0800"
    assert PartialDate(2022, 2).human() == "February 2022"


def test_make_date_names_the_bad_part() -> None:
    with pytest.raises(DateError, match="a day needs a month"):
        make_date(2022, None, 3)


def test_a_date_bc_has_days_but_no_calendar_date() -> None:
    caesar = PartialDate(-43, 3, 15)
    assert (caesar.iso(), caesar.human()) == ("-0043-03-15", "15 March 44 BC")
    assert caesar.first() == caesar.last() == np.datetime64("-0043-03-15")
    assert PartialDate(0).last() == np.datetime64("0000-12-31")  # 1 BC, a leap year
    assert PartialDate(-4, 2).last() == np.datetime64("-0004-02-29")
    with pytest.raises(DateError, match="before AD 1"):
        caesar.first_day()
