"""A week (or any run of days) of opening hours: `week` gives one `DayHours` per day.

Each day has its open (or maybe open) intervals, its Dutch holiday name and the
comments that apply. Whether a place is open at one moment is `data.hours.open_status`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from data.hours.osm import compile_expr
from data.hours.public_holidays import holiday
from data.hours.spans import Interval, day_intervals, midnight, spans_between, touches


@dataclass(frozen=True)
class DayHours:
    """One day of a week view: open (or maybe open) intervals, holiday name, comment."""

    day: date
    intervals: list[Interval]
    holiday: str | None
    comment: str | None


def week(expr: str, start: date, *, days: int = 7) -> list[DayHours]:
    """List the opening intervals of `days` consecutive days.

    Intervals include times whose state is unknown (see the day's comment). An
    interval that crosses midnight is split: ``Fr 22:00-02:00`` gives Friday
    ``(22:00, END_OF_DAY)`` and Saturday ``(00:00, 02:00)``.

    Parameters
    ----------
    expr : str
        An ``opening_hours`` expression.
    start : date
        The first day.
    days : int, optional
        How many days, 1 to 366 (default 7).

    Returns
    -------
    list of DayHours
        One entry per day, with the Dutch holiday name when it is a public holiday.

    Raises
    ------
    InvalidOpeningHours
        As `data.hours.parse`.
    ValueError
        If `days` is not between 1 and 366.

    Examples
    --------
    >>> monday = week("Mo-Fr 09:00-17:00; PH off", date(2026, 4, 27), days=2)
    >>> [(d.holiday, d.intervals) for d in monday]
    [('Koningsdag', []), (None, [(datetime.time(9, 0), datetime.time(17, 0))])]
    """
    if not 1 <= days <= 366:
        raise ValueError(f"days must be between 1 and 366, got {days}")
    compiled = compile_expr(expr)
    spans = spans_between(compiled, midnight(start), midnight(start + timedelta(days=days)))
    result = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        comments = [s.comment for s in spans if s.comment and touches(s, day)]
        result.append(
            DayHours(
                day=day,
                intervals=day_intervals(spans, day),
                holiday=holiday(day),
                comment="; ".join(dict.fromkeys(comments)) or None,
            )
        )
    return result
