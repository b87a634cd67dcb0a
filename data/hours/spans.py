"""Evaluating an expression between two moments: spans of constant state.

`spans_between` cuts a stretch of time into spans that are open, closed or unknown,
with their comments, evaluating each run of public holidays with the ``PH`` rewrite;
`day_intervals` turns spans into the (open or maybe open) intervals of one day.

This module neither parses expressions (`data.hours.osm`) nor answers "open now?" or
"this week" (`data.hours.open_status`, `data.hours.week_view`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal

from opening_hours import OpeningHours, State

from data.hours.osm import TZ, Compiled, on_holidays
from data.hours.public_holidays import holiday

END_OF_DAY = time.max  # an interval that runs until midnight ends here

StateName = Literal["open", "closed", "unknown"]
Interval = tuple[time, time]


@dataclass(frozen=True)
class Span:
    """A stretch of time with one state and comment."""

    start: datetime
    end: datetime
    state: StateName
    comment: str | None


def midnight(day: date) -> datetime:
    """The start of ``day`` in Amsterdam.

    Examples
    --------
    >>> midnight(date(2026, 3, 29)).isoformat()
    '2026-03-29T00:00:00+01:00'
    """
    return datetime.combine(day, time(0), tzinfo=TZ)


def _state_name(state: State, comment: str) -> StateName:
    if state == State.CLOSED:
        return "closed"
    if state == State.OPEN and not comment:
        return "open"
    return "unknown"


def spans_between(compiled: Compiled, start: datetime, end: datetime) -> list[Span]:
    """Merged spans of constant state between start and end, holidays spliced in."""
    merged: list[Span] = []
    for seg_start, seg_end, oh in _segments(compiled, start, end):
        for a, b, state, comment in oh.intervals(seg_start, seg_end):
            span = Span(
                max(a, seg_start), min(b, seg_end), _state_name(state, comment), comment or None
            )
            last = merged[-1] if merged else None
            if last and last.end == span.start and _same(last, span):
                merged[-1] = replace(last, end=span.end)
            elif span.start < span.end:
                merged.append(span)
    return merged


def _same(a: Span, b: Span) -> bool:
    return (a.state, a.comment) == (b.state, b.comment)


def _segments(
    compiled: Compiled, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime, OpeningHours]]:
    """Cut [start, end) into pieces, each with the library object that evaluates it.

    A run of holidays is evaluated together with the day after it, so that times
    spilling over midnight from the last holiday follow the holiday's rules.
    """
    if not compiled.has_ph:
        yield start, end, compiled.plain
        return
    day = start.date() - timedelta(days=1)
    while holiday(day):  # start at the run whose tail may reach into `start`
        day -= timedelta(days=1)
    while midnight(day) < end:
        run = list(_holiday_run(day))
        if run:
            nxt = run[-1] + timedelta(days=2)
            oh = on_holidays(compiled.expr, tuple(sorted({d.weekday() for d in run})))
        else:
            nxt = day + timedelta(days=1)
            while midnight(nxt) < end and not holiday(nxt):
                nxt += timedelta(days=1)
            oh = compiled.plain
        piece_start, piece_end = max(start, midnight(day)), min(end, midnight(nxt))
        if piece_start < piece_end:
            yield piece_start, piece_end, oh
        day = nxt


def _holiday_run(day: date) -> Iterator[date]:
    while holiday(day):
        yield day
        day += timedelta(days=1)


def touches(span: Span, day: date) -> bool:
    """Whether ``span`` covers any part of ``day``."""
    return span.start < midnight(day + timedelta(days=1)) and span.end > midnight(day)


def day_intervals(spans: list[Span], day: date) -> list[Interval]:
    """The open or maybe-open intervals of ``day``, cut at midnight (`END_OF_DAY`)."""
    day_start, day_end = midnight(day), midnight(day + timedelta(days=1))
    intervals: list[Interval] = []
    for span in spans:
        if span.state == "closed" or not touches(span, day):
            continue
        begin = max(span.start, day_start).timetz().replace(tzinfo=None)
        finish = END_OF_DAY if span.end >= day_end else span.end.timetz().replace(tzinfo=None)
        if intervals and intervals[-1][1] == begin:  # open, then unknown right after
            begin = intervals.pop()[0]
        intervals.append((begin, finish))
    return intervals
