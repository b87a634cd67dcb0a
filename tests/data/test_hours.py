"""Known-answer tests for data/hours/: OSM opening hours, Dutch holidays, HSDS schedules.

Calendar facts used below (worked out by hand, Europe/Amsterdam):
- 2026-01-01 is a Thursday, so ISO week 1 of 2026 runs Mon 2025-12-29 .. Sun 2026-01-04.
- Mondays in 2026: Mar 9, Apr 6 (Tweede paasdag), Apr 27 (Koningsdag), Apr 20.
- Saturdays: 2026-02-07, 2026-03-07 (first of their month), 2026-03-14 (second),
  2026-04-04 (first of April).
- Summer time starts Sunday 2026-03-29 (UTC+1 before, UTC+2 after).
- Koningsdag 2025: 27 April 2025 is a Sunday, so it is celebrated Saturday 26 April.
"""

from __future__ import annotations

import contextlib
import csv
import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from opening_hours import OpeningHours
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from data.errors import InvalidOpeningHours
from data.hours import (
    END_OF_DAY,
    TZ,
    from_hsds_schedules,
    parse,
    status,
    to_hsds_schedules,
    validate,
    week,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"
SCHEMA_DIR = SOURCES / "hsds" / "schema"

MO_FR = "Mo-Fr 09:00-17:00"
MO_FR_PH = "Mo-Fr 09:00-17:00; PH off"
SPLIT_DAY = "Mo-Fr 09:00-12:00,13:00-17:00"
FIRST_SATURDAY = "Sa[1] 11:00-16:00"
ODD_MONTHS = "Jan,Mar,May,Jul,Sep,Nov Sa[1] 13:00-17:00"
BIWEEKLY = 'Th 10:00-12:00; week 01-53/2 Tu 18:00-20:00 "alleen op afspraak"'


def local(*args: int) -> datetime:
    return datetime(*args).replace(tzinfo=TZ)  # type: ignore[arg-type]


def shipped_expressions() -> list[str]:
    with (SOURCES / "warmtebronnen_gr_dr.csv").open(encoding="utf-8", newline="") as f:
        column = [row["opening_hours_osm"] for row in csv.DictReader(f)]
    return sorted({e for e in column if e.strip()})


SHIPPED = shipped_expressions()
HSDS_EXAMPLES = sorted(
    set(SHIPPED) | {MO_FR, MO_FR_PH, SPLIT_DAY, "Mo-Su 08:00-24:00", "Fr 22:00-02:00"}
)


# --- status: open now? ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "opens"),
    [
        # Sunday noon; next weekday opening is Monday 9 March 09:00, winter time (+01:00).
        (datetime(2026, 3, 8, 12, 0), local(2026, 3, 9, 9, 0)),
        # Sunday 29 March is the first day of summer time: Monday 09:00 is at +02:00.
        (datetime(2026, 3, 29, 12, 0), local(2026, 3, 30, 9, 0)),
    ],
)
def test_sunday_is_closed_and_opens_monday_morning(at: datetime, opens: datetime) -> None:
    s = status(MO_FR, at)
    assert (s.is_open, s.state, s.opens_next, s.next_change) == (False, "closed", opens, opens)
    assert s.opens_next is not None and s.opens_next.utcoffset() == opens.utcoffset()


def test_kings_day_is_closed_with_ph_off() -> None:
    # Monday 27 April 2026 10:00 is Koningsdag: "PH off" closes the day; Tuesday 28 opens 09:00.
    s = status(MO_FR_PH, datetime(2026, 4, 27, 10, 0))
    assert (s.is_open, s.state, s.today) == (False, "closed", [])
    assert s.opens_next == local(2026, 4, 28, 9, 0)


def test_kings_day_is_a_normal_monday_without_ph_off() -> None:
    # Without a PH rule the holiday changes nothing: open 09:00-17:00, closes at 17:00.
    s = status(MO_FR, datetime(2026, 4, 27, 10, 0))
    assert (s.is_open, s.next_change) == (True, local(2026, 4, 27, 17, 0))


def test_sunday_before_kings_day_opens_on_tuesday() -> None:
    # Sunday 26 April 2026: Monday is Koningsdag (closed), so the next opening is Tuesday 09:00.
    assert status(MO_FR_PH, datetime(2026, 4, 26, 12, 0)).opens_next == local(2026, 4, 28, 9, 0)


def test_week_shows_kings_day_name_and_no_hours() -> None:
    # Week of Mon 27 April 2026: only Monday is a holiday (5 May is one only in lustrum years).
    days = week(MO_FR_PH, date(2026, 4, 27))
    assert [d.holiday for d in days] == ["Koningsdag"] + [None] * 6
    assert [d.intervals for d in days] == [[]] + [[(time(9), time(17))]] * 4 + [[], []]


def test_kings_day_moves_to_saturday_when_27_april_is_a_sunday() -> None:
    # 27 April 2025 is a Sunday, so Koningsdag is Saturday 26 April 2025.
    days = week("Mo-Sa 09:00-17:00; PH off", date(2025, 4, 26), days=2)
    assert [(d.holiday, d.intervals) for d in days] == [("Koningsdag", []), (None, [])]


def test_good_friday_counts_as_holiday_from_the_holidays_package() -> None:
    # Friday 3 April 2026 is Goede vrijdag in `holidays` (the library's own NL calendar
    # lacks it); PH off closes it, the next opening is Tuesday 7 April (6 April is
    # Tweede paasdag).
    s = status(MO_FR_PH, datetime(2026, 4, 3, 10, 0))
    assert (s.state, s.opens_next) == ("closed", local(2026, 4, 7, 9, 0))


@pytest.mark.parametrize(
    "expr",
    [
        "Mo-Su 22:00-02:00; PH off",
        "Mo-Fr,PH 10:00-12:00",
        "Su 22:00-02:00; PH 08:00-09:00",
        "PH 20:00-02:00",
    ],
)
def test_ph_rewrite_agrees_with_the_library_calendar_at_christmas(expr: str) -> None:
    # 20 Dec 2025 - 4 Jan 2026 (Kerst Thu 25 + Fri 26, Nieuwjaar Thu 1): both calendars
    # agree on these holidays, so our PH handling must give the library's own answers,
    # also for openings that run past midnight from or into a holiday.
    library = OpeningHours(expr, timezone=TZ, country="NL")
    grid = [local(2025, 12, 20, 0, 1) + timedelta(minutes=30 * i) for i in range(16 * 48)]
    assert [status(expr, t).is_open for t in grid] == [library.is_open(t) for t in grid]


@pytest.mark.parametrize(
    ("expr", "is_open", "next_change"),
    [
        # 23:59 on Monday 9 March is inside 08:00-24:00; it closes at midnight.
        ("Mo-Su 08:00-24:00", True, local(2026, 3, 10, 0, 0)),
        # 23:59 is after 17:00; it opens again Tuesday 09:00.
        (MO_FR, False, local(2026, 3, 10, 9, 0)),
    ],
)
def test_one_minute_before_midnight(expr: str, is_open: bool, next_change: datetime) -> None:
    s = status(expr, datetime(2026, 3, 9, 23, 59))
    assert (s.is_open, s.next_change) == (is_open, next_change)


def test_lunch_break_is_closed_and_opens_at_one() -> None:
    # Monday 9 March 12:30 is between 12:00 and 13:00.
    s = status(SPLIT_DAY, datetime(2026, 3, 9, 12, 30))
    assert (s.is_open, s.opens_next, s.next_change) == (
        False,
        local(2026, 3, 9, 13),
        local(2026, 3, 9, 13),
    )


def test_morning_opening_changes_at_noon() -> None:
    # Monday 9 March 09:30 is inside 09:00-12:00; the next change is 12:00.
    s = status(SPLIT_DAY, datetime(2026, 3, 9, 9, 30))
    assert (s.is_open, s.next_change, s.opens_next) == (True, local(2026, 3, 9, 12), None)


def test_today_lists_both_openings() -> None:
    s = status(SPLIT_DAY, datetime(2026, 3, 9, 9, 30))
    assert s.today == [(time(9), time(12)), (time(13), time(17))]


def test_aware_datetime_is_converted_to_local_time() -> None:
    # 08:30 UTC on 9 March 2026 is 09:30 in Amsterdam (UTC+1): open.
    assert status(SPLIT_DAY, datetime(2026, 3, 9, 8, 30, tzinfo=UTC)).is_open


def test_naive_datetime_is_local_time() -> None:
    # Naive 08:30 is 08:30 in Amsterdam: closed. Read as UTC it would be 09:30: open.
    assert not status(SPLIT_DAY, datetime(2026, 3, 9, 8, 30)).is_open


def test_window_ending_in_the_summer_time_gap() -> None:
    # Sunday 15 March 02:30 + 14 days is 29 March 02:30, a time that does not exist
    # (clocks jump 02:00 -> 03:00). Closed on Sunday; opens Monday 16 March 09:00.
    assert status(MO_FR, datetime(2026, 3, 15, 2, 30)).opens_next == local(2026, 3, 16, 9, 0)


def test_skipped_local_time_moves_one_hour_on() -> None:
    # Naive 29 March 02:30 does not exist; read as 03:30 summer time, when "Su 03:00-04:00"
    # is open and closes at 04:00.
    s = status("Su 03:00-04:00", datetime(2026, 3, 29, 2, 30))
    assert (s.is_open, s.next_change) == (True, local(2026, 3, 29, 4, 0))


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (datetime(2026, 3, 7, 12, 0), True),  # Saturday 7 March: the first of the month
        (datetime(2026, 3, 14, 12, 0), False),  # Saturday 14 March: the second
    ],
)
def test_first_saturday_of_the_month(at: datetime, is_open: bool) -> None:
    assert status(FIRST_SATURDAY, at).is_open is is_open


def test_first_saturday_next_opening_is_beyond_fourteen_days() -> None:
    # From Saturday 14 March 12:00 the next first Saturday is 4 April, 21 days later:
    # opens_next stays None (14-day window), next_change still finds 4 April 11:00.
    s = status(FIRST_SATURDAY, datetime(2026, 3, 14, 12, 0))
    assert (s.opens_next, s.next_change) == (None, local(2026, 4, 4, 11, 0))


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (datetime(2026, 3, 7, 14, 0), True),  # first Saturday of March, March is listed
        (datetime(2026, 2, 7, 14, 0), False),  # first Saturday of February, not listed
    ],
)
def test_first_saturday_in_listed_months_only(at: datetime, is_open: bool) -> None:
    assert status(ODD_MONTHS, at).is_open is is_open


@pytest.mark.parametrize(
    ("at", "state", "comment"),
    [
        # Tuesday 7 April 2026 is in ISO week 15 (odd): the appointment slot applies.
        (datetime(2026, 4, 7, 19, 0), "unknown", "alleen op afspraak"),
        # Tuesday 14 April 2026 is in ISO week 16 (even): closed.
        (datetime(2026, 4, 14, 19, 0), "closed", None),
        # Thursday 9 April 11:00: the weekly morning opening.
        (datetime(2026, 4, 9, 11, 0), "open", None),
    ],
)
def test_every_other_week_by_appointment(at: datetime, state: str, comment: str | None) -> None:
    s = status(BIWEEKLY, at)
    assert (s.state, s.comment, s.is_open) == (state, comment, state == "open")


def test_appointment_slot_is_not_counted_as_next_opening() -> None:
    # Monday 6 April: the Tuesday slot is by appointment; the next walk-in opening is Thu 9 April.
    assert status(BIWEEKLY, datetime(2026, 4, 6, 12, 0)).opens_next == local(2026, 4, 9, 10, 0)


def test_week_shows_appointment_slot_with_comment() -> None:
    days = week(BIWEEKLY, date(2026, 4, 7), days=8)  # Tue 7 (week 15) .. Tue 14 (week 16)
    assert (days[0].intervals, days[0].comment) == ([(time(18), time(20))], "alleen op afspraak")
    assert (days[7].intervals, days[7].comment) == ([], None)


def test_week_splits_an_opening_across_midnight() -> None:
    # Friday 6 March 22:00 until Saturday 7 March 02:00.
    friday, saturday = week("Fr 22:00-02:00", date(2026, 3, 6), days=2)
    assert friday.intervals == [(time(22), END_OF_DAY)]
    assert saturday.intervals == [(time(0), time(2))]


@pytest.mark.parametrize("days", [0, 367])
def test_week_refuses_absurd_lengths(days: int) -> None:
    with pytest.raises(ValueError):
        week(MO_FR, date(2026, 3, 9), days=days)


# --- parsing -------------------------------------------------------------------------


def test_the_shipped_data_has_opening_hours() -> None:
    assert len(SHIPPED) >= 10  # guards the parametrized test below against an empty list


@pytest.mark.parametrize("expr", SHIPPED)
def test_every_shipped_expression_parses(expr: str) -> None:
    assert validate(expr)


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        ("", "leeg"),
        ("   ", "leeg"),  # the library itself would read blank text as 24/7
        ("elke dag open", "teken 1"),
        ("Mo-Fr 25:00-26:00", "teken 7"),
        ("Mo-Fr 09:00-17:00; " * 60, "maximaal 1000"),
        ("Mo-Fr 09:00-17:00; PH +1 day off", "verschuiving"),
    ],
)
def test_garbage_is_refused_with_a_reason(expr: str, reason: str) -> None:
    with pytest.raises(InvalidOpeningHours) as caught:
        parse(expr)
    assert reason in caught.value.reason


def test_validate_returns_the_normalised_expression() -> None:
    assert validate("Mo-Su 08:00-24:00 ;PH off") == "08:00-24:00; PH closed"


_OSM_ALPHABET = st.sampled_from(
    list('0123456789:-+,;/[] "|')
    + [
        "Mo",
        "Tu",
        "Sa",
        "Su",
        "PH",
        "SH",
        "Jan",
        "week",
        "off",
        "open",
        "unknown",
        "sunrise",
        "easter",
        "days",
        "24/7",
        "\n",
        "é",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(_OSM_ALPHABET, max_size=25).map("".join)))
def test_any_text_parses_or_raises_invalid_opening_hours(text: str) -> None:
    with contextlib.suppress(InvalidOpeningHours):
        parse(text)


# --- HSDS schedules ------------------------------------------------------------------


@pytest.fixture(scope="module")
def schedule_validator() -> Draft202012Validator:
    registry = Registry().with_resources(
        (p.name, Resource.from_contents(json.loads(p.read_text()), DRAFT202012))
        for p in SCHEMA_DIR.glob("*.json")
    )
    schema = json.loads((SCHEMA_DIR / "schedule.json").read_text())
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


SERVICE = "ac148810-d857-441c-9679-408f346de14b"


def test_schema_validator_rejects_a_bad_schedule(schedule_validator: Draft202012Validator) -> None:
    assert not schedule_validator.is_valid({"id": "nope", "freq": "DAILY"})


@pytest.mark.parametrize("expr", HSDS_EXAMPLES + ["24/7", "Mo-Fr,PH 10:00-12:00"])
def test_schedules_validate_against_hsds_schema(
    schedule_validator: Draft202012Validator, expr: str
) -> None:
    schedules = to_hsds_schedules(expr, service_id=SERVICE)
    assert schedules
    for schedule in schedules:
        assert list(schedule_validator.iter_errors(schedule)) == []
        assert schedule["notes"] == f"opening_hours={expr}"


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (MO_FR, [("WEEKLY", 1, "MO,TU,WE,TH,FR", "09:00", "17:00")]),
        (
            SPLIT_DAY,
            [
                ("WEEKLY", 1, "MO,TU,WE,TH,FR", "09:00", "12:00"),
                ("WEEKLY", 1, "MO,TU,WE,TH,FR", "13:00", "17:00"),
            ],
        ),
        (FIRST_SATURDAY, [("MONTHLY", 1, "1SA", "11:00", "16:00")]),
        # Jan,Mar,...,Nov = every 2nd month, starting with the first Saturday of Jan 2026.
        (ODD_MONTHS, [("MONTHLY", 2, "1SA", "13:00", "17:00")]),
        (BIWEEKLY, [("WEEKLY", 1, "TH", "10:00", "12:00"), ("WEEKLY", 2, "TU", "18:00", "20:00")]),
        ("Mo-Su 08:00-24:00", [("WEEKLY", 1, "MO,TU,WE,TH,FR,SA,SU", "08:00", "00:00")]),
        ("Mo-Su 10:30+", [("WEEKLY", 1, "MO,TU,WE,TH,FR,SA,SU", "10:30", None)]),
    ],
)
def test_schedule_fields(expr: str, expected: list[tuple]) -> None:
    got = [
        (s["freq"], s["interval"], s["byday"], s["opens_at"], s.get("closes_at"))
        for s in to_hsds_schedules(expr)
    ]
    assert got == expected


@pytest.mark.parametrize(
    ("expr", "dtstart"),
    [
        (ODD_MONTHS, "2026-01-03"),  # 1 Jan 2026 is a Thursday: first Saturday is 3 Jan
        (BIWEEKLY, "2025-12-30"),  # Tuesday of ISO week 1 of 2026
    ],
)
def test_every_other_period_has_a_dtstart(expr: str, dtstart: str) -> None:
    assert to_hsds_schedules(expr)[-1]["dtstart"] == dtstart


@pytest.mark.parametrize(
    ("expr", "description"),
    [(MO_FR_PH, "Gesloten op feestdagen."), (BIWEEKLY, "alleen op afspraak")],
)
def test_schedule_description_keeps_holidays_and_comments(expr: str, description: str) -> None:
    assert to_hsds_schedules(expr)[-1]["description"] == description


def test_schedule_ids_are_deterministic_and_depend_on_the_service() -> None:
    first = [s["id"] for s in to_hsds_schedules(SPLIT_DAY, service_id=SERVICE)]
    again = [s["id"] for s in to_hsds_schedules(SPLIT_DAY, service_id=SERVICE)]
    other = [s["id"] for s in to_hsds_schedules(SPLIT_DAY)]
    assert first == again and len(set(first)) == 2 and not set(first) & set(other)


def _grid() -> list[datetime]:
    # 3 weeks from Monday 20 April 2026 (includes Koningsdag and Sat 2 May, a first
    # Saturday of a listed month), every 30 minutes: all shipped times are on :00 or :30.
    start = datetime(2026, 4, 20)
    return [start + timedelta(minutes=30 * i) for i in range(3 * 7 * 48)]


@pytest.mark.parametrize("expr", HSDS_EXAMPLES)
def test_round_trip_with_notes_gives_the_same_answers(expr: str) -> None:
    back = from_hsds_schedules(to_hsds_schedules(expr))
    assert back is not None
    assert [status(back, t).state for t in _grid()] == [status(expr, t).state for t in _grid()]


@pytest.mark.parametrize("expr", HSDS_EXAMPLES)
def test_round_trip_from_fields_alone_gives_the_same_open_closed_answers(expr: str) -> None:
    # Without our notes, only freq/byday/times are read: comments and PH are lost, so
    # compare open-or-not ("unknown" counts as not closed) on days that are not holidays.
    bare = [{k: v for k, v in s.items() if k != "notes"} for s in to_hsds_schedules(expr)]
    back = from_hsds_schedules(bare)
    assert back is not None
    grid = [t for t in _grid() if t.date() != date(2026, 4, 27)]
    closed = [status(back, t).state == "closed" for t in grid]
    assert closed == [status(expr, t).state == "closed" for t in grid]


@pytest.mark.parametrize(
    "expr",
    ["24/7", "Mo-Fr,PH 10:00-12:00", "Mo-Fr 09:00-17:00; We off", "PH off; Mo-Fr 09:00-17:00"],
)
def test_syntax_beyond_hsds_only_survives_in_the_notes(expr: str) -> None:
    schedules = to_hsds_schedules(expr)
    assert from_hsds_schedules(schedules) == expr
    assert from_hsds_schedules([{"id": s["id"]} for s in schedules]) is None


@pytest.mark.parametrize(
    ("schedules", "expected"),
    [
        (
            [{"freq": "WEEKLY", "byday": "MO,TU,WE", "opens_at": "09:00", "closes_at": "17:00:00"}],
            "Mo-We 09:00-17:00",
        ),
        (
            [
                {"freq": "WEEKLY", "byday": "MO,WE", "opens_at": "09:00", "closes_at": "12:00"},
                {"freq": "WEEKLY", "byday": "MO,WE", "opens_at": "13:00", "closes_at": "17:00"},
            ],
            "Mo,We 09:00-12:00,13:00-17:00",
        ),
        (
            [{"freq": "MONTHLY", "byday": "-1FR", "opens_at": "10:00", "closes_at": "12:00"}],
            "Fr[-1] 10:00-12:00",
        ),
        # dtstart 2026-01-13 is in ISO week 3: odd weeks.
        (
            [
                {
                    "freq": "WEEKLY",
                    "interval": 2,
                    "dtstart": "2026-01-13",
                    "byday": "TU",
                    "opens_at": "18:00",
                    "closes_at": "20:00",
                }
            ],
            "week01-53/2 Tu 18:00-20:00",
        ),
        ([{"freq": "WEEKLY", "byday": "SA", "opens_at": "10:00+01:00"}], "Sa 10:00+"),
        ([{"freq": "WEEKLY", "byday": "SA,SU"}], "Sa,Su unknown"),
        ([{"description": "Bel voor een afspraak"}], None),
        ([], None),
    ],
)
def test_from_hsds_builds_expressions(schedules: list[dict], expected: str | None) -> None:
    assert from_hsds_schedules(schedules) == expected


@pytest.mark.parametrize(
    ("schedule", "reason"),
    [
        ({"freq": "DAILY", "byday": "MO", "opens_at": "09:00"}, "freq"),
        ({"freq": "WEEKLY", "byday": "1SA", "opens_at": "09:00"}, "MONTHLY"),
        ({"freq": "WEEKLY", "byday": "XX", "opens_at": "09:00"}, "byday"),
        ({"freq": "WEEKLY", "opens_at": "09:00", "closes_at": "17:00"}, "byday ontbreekt"),
        ({"freq": "WEEKLY", "interval": 2, "byday": "TU", "opens_at": "09:00"}, "dtstart"),
        (
            {
                "freq": "MONTHLY",
                "interval": 5,
                "dtstart": "2026-01-01",
                "byday": "MO",
                "opens_at": "09:00",
            },
            "maanden",
        ),
        ({"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "closes_at": "09:00"}, "allebei"),
        ({"freq": "WEEKLY", "byday": "MO", "closes_at": "17:00"}, "zonder opens_at"),
        ({"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00Z"}, "Nederlandse tijd"),
        ({"freq": "WEEKLY", "byday": "MO", "opens_at": "9 uur"}, "geen tijd"),
        ({"freq": "MONTHLY", "bymonthday": "1,15", "opens_at": "09:00"}, "bymonthday"),
    ],
)
def test_from_hsds_refuses_unusable_schedules(schedule: dict, reason: str) -> None:
    with pytest.raises(InvalidOpeningHours) as caught:
        from_hsds_schedules([{"id": "s1", **schedule}])
    assert reason in caught.value.reason


def test_from_hsds_refuses_two_different_carried_expressions() -> None:
    schedules = to_hsds_schedules(MO_FR) + to_hsds_schedules(FIRST_SATURDAY)
    with pytest.raises(InvalidOpeningHours, match="spreken elkaar tegen"):
        from_hsds_schedules(schedules)


def test_from_hsds_refuses_a_carried_expression_that_does_not_parse() -> None:
    with pytest.raises(InvalidOpeningHours):
        from_hsds_schedules([{"id": "s1", "notes": "opening_hours=elke dag"}])


def test_utc_offset_plus_one_is_read_as_local_time() -> None:
    # "+01:00" is Amsterdam's own winter offset: taken as wall-clock time, not shifted.
    got = from_hsds_schedules(
        [{"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00+01:00", "closes_at": "17:00+01:00"}]
    )
    assert got == "Mo 09:00-17:00"
