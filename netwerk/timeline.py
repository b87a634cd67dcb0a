"""Partial ISO dates and time windows: when a tie exists.

Conventions (documented once, used everywhere):

- A partial date covers its whole period: ``"2021"`` starts on 2021-01-01 and ends on
  2021-12-31, ``"2021-03"`` runs from 2021-03-01 to 2021-03-31.
- A missing start means "always present" (we do not know when it began, so we do not
  hide it from any date); a missing end means "still running" (open end).
- A record exists in a window ``[lo, hi]`` when ``start <= hi`` and ``end >= lo``; for a
  single date ``at`` the window is ``[at, at]``; for a ``year`` it is the whole year.
"""

from __future__ import annotations

import calendar
import datetime as dt

from netwerk.errors import InvalidDate, InvalidOption, YearOutOfRange

#: The years ``year=`` accepts; outside this range a year is a typing error, not a question.
FIRST_YEAR = 1900
LAST_YEAR = 2100

Window = tuple[dt.date, dt.date]
Interval = tuple[dt.date | None, dt.date | None]


def _parts(text: str) -> tuple[int, int | None, int | None]:
    pieces = text.strip().split("-")
    if not 1 <= len(pieces) <= 3 or not all(p.isdigit() for p in pieces) or len(pieces[0]) != 4:
        raise InvalidDate(text)
    year = int(pieces[0])
    month = int(pieces[1]) if len(pieces) > 1 else None
    day = int(pieces[2]) if len(pieces) > 2 else None
    return year, month, day


def parse_start(text: str | None) -> dt.date | None:
    """First day a partial ISO date covers (``None`` stays ``None``: unknown start).

    Examples
    --------
    >>> parse_start("2021"), parse_start("2021-03"), parse_start("2021-03-15")
    (datetime.date(2021, 1, 1), datetime.date(2021, 3, 1), datetime.date(2021, 3, 15))
    """
    if text is None:
        return None
    year, month, day = _parts(text)
    try:
        return dt.date(year, month or 1, day or 1)
    except ValueError as err:
        raise InvalidDate(text) from err


def parse_end(text: str | None) -> dt.date | None:
    """Last day a partial ISO date covers (``None`` stays ``None``: still running).

    Examples
    --------
    >>> parse_end("2021"), parse_end("2024-02"), parse_end("2021-03-15")
    (datetime.date(2021, 12, 31), datetime.date(2024, 2, 29), datetime.date(2021, 3, 15))
    """
    if text is None:
        return None
    year, month, day = _parts(text)
    try:
        if month is None:
            return dt.date(year, 12, 31)
        if day is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day)
    except ValueError as err:
        raise InvalidDate(text) from err


def as_date(value: dt.date | str) -> dt.date:
    """A ``datetime.date`` from a date or a full ISO date string ("2021-03-15").

    Examples
    --------
    >>> as_date("2021-03-15")
    datetime.date(2021, 3, 15)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as err:
            raise InvalidDate(
                value,
                expected="een volledige datum zoals '2021-03-15'; gebruik year= voor een heel jaar",
            ) from err
    raise InvalidDate(value, expected="een datum of een tekst zoals '2021-03-15'")


def check_year(year: object) -> int:
    """Return ``year`` if it is a whole year in ``FIRST_YEAR..LAST_YEAR``, else raise.

    Examples
    --------
    >>> check_year(2021)
    2021
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidOption(f"Jaar moet een heel getal zijn, zoals 2021 (niet {year!r}).")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise YearOutOfRange(year, FIRST_YEAR, LAST_YEAR)
    return year


def window(*, at: dt.date | str | None = None, year: int | None = None) -> Window | None:
    """The time window asked for with ``at=`` or ``year=`` (``None``: all of time).

    Examples
    --------
    >>> window(year=2021)
    (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    >>> window(at="2021-03-15")
    (datetime.date(2021, 3, 15), datetime.date(2021, 3, 15))
    """
    if at is not None and year is not None:
        raise InvalidOption("Geef at= (een datum) óf year= (een jaar), niet allebei.")
    if year is not None:
        y = check_year(year)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if at is not None:
        day = as_date(at)
        return day, day
    return None


def overlaps(interval: Interval, span: Window | None) -> bool:
    """Whether ``interval`` (open ends allowed) shares at least one day with ``span``.

    Examples
    --------
    >>> overlaps((dt.date(2020, 1, 1), None), (dt.date(2021, 1, 1), dt.date(2021, 12, 31)))
    True
    """
    if span is None:
        return True
    start, end = interval
    lo, hi = span
    return (start is None or start <= hi) and (end is None or end >= lo)


def merge(intervals: list[Interval]) -> list[Interval]:
    """Merge overlapping or touching intervals; ``None`` ends are open.

    Examples
    --------
    >>> d = dt.date
    >>> merge([(d(2020, 1, 1), d(2020, 6, 30)), (d(2020, 7, 1), None), (d(2018, 1, 1), d(2018, 2, 1))])
    [(datetime.date(2018, 1, 1), datetime.date(2018, 2, 1)), (datetime.date(2020, 1, 1), None)]
    """
    low, high = dt.date.min, dt.date.max
    ordered = sorted(((s or low), (e or high)) for s, e in intervals)
    merged: list[list[dt.date]] = []
    for start, end in ordered:
        last = merged[-1][1] if merged else None
        if last is not None and (last == high or start <= last + dt.timedelta(days=1)):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(None if s == low else s, None if e == high else e) for s, e in merged]
