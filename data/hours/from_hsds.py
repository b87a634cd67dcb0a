"""HSDS 3.0 schedules (from any producer) to one opening-hours expression.

`from_hsds_schedules` prefers the expression a schedule carries in ``notes``; otherwise
it writes one OSM rule per schedule. Writing schedules is `data.hours.to_hsds`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from data.errors import InvalidOpeningHours
from data.hours.osm import DAYS, MONTHS, compile_expr
from data.hours.to_hsds import OSM_NOTE

_BYDAY_RE = re.compile(r"([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)")
_HSDS_TIME_RE = re.compile(r"(\d\d):(\d\d)(?::\d\d)?(Z|[+-]\d\d:\d\d)?")
_TIMING_FIELDS = ("freq", "byday", "bymonthday", "byweekno", "opens_at", "closes_at")


def from_hsds_schedules(schedules: list[dict[str, Any]]) -> str | None:
    """Turn HSDS 3.0 schedules (from any producer) into one OSM expression.

    A schedule that carries ``opening_hours=<expr>`` in ``notes`` (as ours do) wins.
    Otherwise each schedule with timing fields becomes a rule and the rules are
    joined with ``", "`` (OSM's "additional rule": a union, as HSDS means it).
    Free text (description) and validity dates are not converted.

    Parameters
    ----------
    schedules : list of dict
        HSDS schedule objects.

    Returns
    -------
    str or None
        The expression, or None when no schedule has timing fields.

    Raises
    ------
    InvalidOpeningHours
        For contradictory or unusable schedules, with the reason.

    Examples
    --------
    >>> from_hsds_schedules([{"id": "x", "freq": "WEEKLY", "byday": "MO,TU,WE",
    ...                       "opens_at": "09:00", "closes_at": "17:00:00"}])
    'Mo-We 09:00-17:00'
    >>> from_hsds_schedules([{"id": "x", "description": "Bel voor een afspraak"}]) is None
    True
    """
    carried = {s["notes"][len(OSM_NOTE) :] for s in schedules if _carries_osm(s)}
    if len(carried) > 1:
        raise InvalidOpeningHours(" | ".join(sorted(carried)), "de schema's spreken elkaar tegen")
    if carried:
        expr = carried.pop()
        compile_expr(expr)
        return expr
    groups: dict[str, list[str]] = {}
    for schedule in schedules:
        if any(schedule.get(f) not in (None, "") for f in _TIMING_FIELDS):
            selector, span = _osm_rule(schedule)
            groups.setdefault(selector, []).append(span)
    if not groups:
        return None
    expr = ", ".join(_join_rule(sel, spans) for sel, spans in groups.items())
    compile_expr(expr)
    return expr


def _carries_osm(schedule: dict[str, Any]) -> bool:
    notes = schedule.get("notes")
    return isinstance(notes, str) and notes.startswith(OSM_NOTE)


def _join_rule(selector: str, spans: list[str]) -> str:
    times = ",".join(s for s in spans if s)
    return f"{selector} {times or 'unknown'}"  # days without times: open, hours unknown


def _unusable(schedule: dict[str, Any], reason: str) -> InvalidOpeningHours:
    return InvalidOpeningHours(f"HSDS-schema {schedule.get('id', '?')}", reason)


def _osm_rule(schedule: dict[str, Any]) -> tuple[str, str]:
    """(selector, time span) of one schedule, e.g. ("week01-53/2 Tu", "18:00-20:00")."""
    freq = schedule.get("freq") or "WEEKLY"
    if freq not in ("WEEKLY", "MONTHLY"):
        raise _unusable(schedule, f"freq '{freq}' is niet WEEKLY of MONTHLY")
    if schedule.get("bymonthday") or schedule.get("byweekno"):
        raise _unusable(schedule, "bymonthday en byweekno worden niet ondersteund")
    if not schedule.get("byday"):
        raise _unusable(schedule, "byday ontbreekt: op welke dagen?")
    interval = _interval(schedule)
    days = _osm_days(schedule, monthly=freq == "MONTHLY")
    prefix = _osm_period(schedule, freq, interval) if interval > 1 else ""
    return " ".join(p for p in (prefix, days) if p), _osm_span(schedule)


def _interval(schedule: dict[str, Any]) -> int:
    raw = schedule.get("interval") or 1
    try:
        interval = float(raw)
    except (TypeError, ValueError):
        interval = 0.0
    if not interval.is_integer() or interval < 1:
        raise _unusable(schedule, f"interval '{raw}' is geen positief geheel getal")
    return int(interval)


def _osm_days(schedule: dict[str, Any], *, monthly: bool) -> str:
    items = [p.strip() for p in str(schedule["byday"]).upper().split(",")]
    parsed = [_BYDAY_RE.fullmatch(item) for item in items]
    if not all(parsed):
        raise _unusable(schedule, f"byday '{schedule['byday']}' is geen lijst als 'MO,TU'")
    codes = [m[2].title() for m in parsed if m]
    nths = [m[1] for m in parsed if m]
    if any(nths) and not monthly:
        raise _unusable(schedule, "een dag met volgnummer (zoals 1SA) hoort bij freq MONTHLY")
    if any(nths):
        return ",".join(f"{c}[{int(n)}]" if n else c for c, n in zip(codes, nths, strict=True))
    return _day_ranges(sorted({DAYS.index(c) for c in codes}))


def _day_ranges(days: list[int]) -> str:
    runs: list[list[int]] = []
    for d in days:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = [
        f"{DAYS[r[0]]}-{DAYS[r[-1]]}" if len(r) > 2 else ",".join(DAYS[d] for d in r) for r in runs
    ]
    return ",".join(parts)


def _osm_period(schedule: dict[str, Any], freq: str, interval: int) -> str:
    try:
        start = date.fromisoformat(str(schedule.get("dtstart"))[:10])
    except ValueError:
        raise _unusable(schedule, f"interval {interval} zonder geldige dtstart") from None
    if freq == "WEEKLY":
        first = (start.isocalendar().week - 1) % interval + 1
        return f"week{first:02d}-53/{interval}"
    if 12 % interval:
        raise _unusable(schedule, f"elke {interval} maanden valt niet elk jaar gelijk")
    months = sorted((start.month - 1 + i * interval) % 12 for i in range(12 // interval))
    return ",".join(MONTHS[m] for m in months)


def _osm_span(schedule: dict[str, Any]) -> str:
    opens = _osm_time(schedule, "opens_at")
    closes = _osm_time(schedule, "closes_at")
    if opens is None:
        if closes is not None:
            raise _unusable(schedule, "closes_at zonder opens_at")
        return ""
    if closes is None:
        return f"{opens}+"
    if closes == opens:
        raise _unusable(schedule, f"opens_at en closes_at zijn allebei {opens}")
    return f"{opens}-{'24:00' if closes == '00:00' else closes}"


def _osm_time(schedule: dict[str, Any], field: str) -> str | None:
    value = schedule.get(field)
    if value in (None, ""):
        return None
    match = _HSDS_TIME_RE.fullmatch(str(value))
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise _unusable(schedule, f"{field} '{value}' is geen tijd als 09:30")
    if match[3] not in (None, "+01:00", "+02:00"):  # Amsterdam's own offsets = local time
        raise _unusable(schedule, f"{field} '{value}' is niet in Nederlandse tijd")
    return f"{match[1]}:{match[2]}"
