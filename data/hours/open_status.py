"""Open now? `status` of an expression at a moment: state, next change, next opening.

Answers are cached per (expression, local moment), because a search asks the same
question for the filter and for every result shown.

Week tables are `data.hours.week_view`; the evaluation itself is `data.hours.spans`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from data.hours.osm import TZ, Compiled, compile_expr
from data.hours.spans import Interval, Span, StateName, day_intervals, midnight, spans_between

OPENS_NEXT_WITHIN = timedelta(days=14)
_CHANGE_HORIZON = timedelta(days=366)


@dataclass(frozen=True)
class OpenStatus:
    """The answer to "is it open now?" for one expression at one moment."""

    is_open: bool
    state: StateName
    next_change: datetime | None
    comment: str | None
    today: list[Interval]
    opens_next: datetime | None


def status(expr: str, at: datetime) -> OpenStatus:
    """Tell whether a place is open at a moment, and what changes next.

    Parameters
    ----------
    expr : str
        An ``opening_hours`` expression.
    at : datetime
        The moment; a naive datetime is local time (Europe/Amsterdam).

    Returns
    -------
    OpenStatus
        ``next_change`` is the next moment the state changes (None if not within a
        year); ``opens_next`` is, when not open, the next opening within 14 days.

    Raises
    ------
    InvalidOpeningHours
        As `data.hours.parse`.

    Examples
    --------
    >>> s = status("Mo-Fr 09:00-12:00,13:00-17:00", datetime(2026, 3, 9, 12, 30))
    >>> s.is_open, s.opens_next.isoformat()
    (False, '2026-03-09T13:00:00+01:00')
    >>> status("Mo-Fr 09:00-17:00; PH off", datetime(2026, 4, 27, 10)).state
    'closed'
    """
    return _status(expr, _local(at))


@lru_cache(maxsize=8192)
def _status(expr: str, at: datetime) -> OpenStatus:
    # A search asks the same (hours, minute) for the filter and for every result shown,
    # and again for the next resident in that minute: answer each pair once.
    compiled = compile_expr(expr)
    spans = spans_between(compiled, midnight(at.date()), _later(at, OPENS_NEXT_WITHIN))
    now = next(s for s in spans if s.start <= at < s.end)
    opens_next = None
    if now.state != "open":
        opens_next = next((s.start for s in spans if s.state == "open" and s.start > at), None)
    return OpenStatus(
        is_open=now.state == "open",
        state=now.state,
        next_change=_next_change(compiled, spans, now, at),
        comment=now.comment,
        today=day_intervals(spans, at.date()),
        opens_next=opens_next,
    )


def _local(at: datetime) -> datetime:
    """Aware Amsterdam time; a wall time skipped by summer time moves one hour on."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=TZ)
    return at.astimezone(UTC).astimezone(TZ)  # via UTC: the library refuses skipped times


def _later(at: datetime, delta: timedelta) -> datetime:
    return _local(at.astimezone(UTC) + delta)


def _next_change(compiled: Compiled, spans: list[Span], now: Span, at: datetime) -> datetime | None:
    later = [s for s in spans if s.start > at]
    if not any(s.state != now.state for s in later):
        later = [
            s for s in spans_between(compiled, at, _later(at, _CHANGE_HORIZON)) if s.start > at
        ]
    return next((s.start for s in later if s.state != now.state), None)
