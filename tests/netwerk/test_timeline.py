import datetime as dt

import pytest

from netwerk.errors import InvalidDate, InvalidOption, YearOutOfRange
from netwerk.timeline import as_date, check_year, merge, overlaps, parse_end, parse_start, window

d = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2021", d(2021, 1, 1), d(2021, 12, 31)),
        ("2021-03", d(2021, 3, 1), d(2021, 3, 31)),
        ("2024-02", d(2024, 2, 1), d(2024, 2, 29)),  # leap year
        ("2023-02", d(2023, 2, 1), d(2023, 2, 28)),
        ("2021-03-15", d(2021, 3, 15), d(2021, 3, 15)),
        (None, None, None),
    ],
)
def test_partial_dates_cover_their_whole_period(text, start, end):
    assert parse_start(text) == start
    assert parse_end(text) == end


@pytest.mark.parametrize("text", ["21", "2021-13", "2021-02-30", "maart 2021", "2021/03", ""])
def test_invalid_partial_date_raises(text):
    with pytest.raises(InvalidDate, match="geen geldige datum"):
        parse_start(text)


@pytest.mark.parametrize("value", ["2021", "2021-03", "gisteren", 2021])
def test_at_needs_a_full_date(value):
    with pytest.raises(InvalidDate):
        as_date(value)


def test_at_accepts_date_datetime_and_iso_text():
    assert as_date("2021-03-15") == as_date(dt.datetime(2021, 3, 15, 12)) == d(2021, 3, 15)


@pytest.mark.parametrize("year", [1899, 2101, -5])
def test_year_out_of_range(year):
    with pytest.raises(YearOutOfRange, match="valt buiten het bereik 1900–2100"):
        check_year(year)


@pytest.mark.parametrize("year", ["2021", 2021.0, True])
def test_year_must_be_a_whole_number(year):
    with pytest.raises(InvalidOption, match="heel getal"):
        check_year(year)


def test_window_refuses_at_and_year_together():
    with pytest.raises(InvalidOption, match="niet allebei"):
        window(at="2021-01-01", year=2021)


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        ((d(2020, 1, 1), d(2020, 12, 31)), False),  # ends before the window
        ((d(2020, 1, 1), d(2021, 1, 1)), True),  # ends on its first day: still there
        ((d(2021, 12, 31), None), True),  # starts on its last day
        ((d(2022, 1, 1), None), False),  # starts after it
        ((None, None), True),  # unknown start, no end: always present
        ((None, d(2020, 6, 1)), False),
    ],
)
def test_overlaps_is_inclusive_on_both_ends(interval, expected):
    assert overlaps(interval, (d(2021, 1, 1), d(2021, 12, 31))) is expected


def test_no_window_means_everything_overlaps():
    assert overlaps((d(1990, 1, 1), d(1990, 1, 2)), None)


@pytest.mark.parametrize(
    ("intervals", "merged"),
    [
        ([], []),
        (
            [(d(2020, 1, 1), d(2020, 1, 31)), (d(2020, 2, 1), d(2020, 2, 28))],
            [(d(2020, 1, 1), d(2020, 2, 28))],
        ),  # touching periods join
        (
            [(d(2020, 1, 1), d(2020, 1, 31)), (d(2020, 3, 1), d(2020, 3, 31))],
            [(d(2020, 1, 1), d(2020, 1, 31)), (d(2020, 3, 1), d(2020, 3, 31))],
        ),  # a gap stays
        ([(None, d(2019, 1, 1)), (d(2018, 5, 1), None)], [(None, None)]),  # open ends stay open
        ([(d(2021, 1, 1), None), (d(2022, 1, 1), d(2022, 2, 1))], [(d(2021, 1, 1), None)]),
    ],
)
def test_merge(intervals, merged):
    assert merge(intervals) == merged
