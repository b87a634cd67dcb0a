"""Opening hours: OpenStreetMap `opening_hours` texts, evaluated for Groningen and Drenthe.

Parsing and evaluation are done by opening-hours-py (import name ``opening_hours``).
This module adds three things the library does not do the way we need:

- **Public holidays (PH) come from the `holidays` package (NL, Dutch names).** The
  library has its own NL calendar, but it lacks Goede vrijdag and Bevrijdingsdag in
  lustrum years, so `status` and `week` would disagree with the holiday names we show.
  We therefore evaluate without the library's calendar (``PH`` never matches), and
  around a run of holidays from `holidays` we evaluate a copy of the expression in
  which ``PH`` reads as the run's weekdays: for Koningsdag 2026, a Monday,
  ``Mo-Fr 09:00-17:00; PH off`` becomes ``Mo-Fr 09:00-17:00; Mo off``, used from that
  Monday 00:00 until Tuesday 24:00 (so a night opening that starts on a holiday is
  judged as the library would). Offsets such as ``PH +1 day`` cannot be rewritten
  that way and are refused by `parse`. School holidays (``SH``) never match.
- **Local time.** Everything is Europe/Amsterdam; naive datetimes are read as local time.
- **States.** An open rule with a comment (``"alleen op afspraak"``) has state
  ``"unknown"``: the place is not simply open, read the comment.

HSDS 3.0 schedules (`to_hsds_schedules`, `from_hsds_schedules`) always carry the
original expression in ``notes`` as ``opening_hours=<expression>``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

import holidays

# ParserError exists at runtime but is missing from the package's stubs.
from opening_hours import OpeningHours, ParserError, State  # type: ignore[attr-defined]

from data.errors import InvalidOpeningHours

__all__ = [
    "DayHours",
    "OpenStatus",
    "parse",
    "validate",
    "status",
    "week",
    "to_hsds_schedules",
    "from_hsds_schedules",
]

TZ = ZoneInfo("Europe/Amsterdam")
MAX_LENGTH = 1000
END_OF_DAY = time.max  # an interval that runs until midnight ends here
OPENS_NEXT_WITHIN = timedelta(days=14)
_CHANGE_HORIZON = timedelta(days=366)
_OSM_NOTE = "opening_hours="
_PH_CLOSED_TEXT = "Gesloten op feestdagen."
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "kracht-in-kaart:hsds:schedule")
_ANCHOR_YEAR = 2026  # dtstart of every-other-week/month schedules falls in this year
_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PH_TOKEN = re.compile(r"\bPH\b", re.IGNORECASE)

StateName = Literal["open", "closed", "unknown"]
Interval = tuple[time, time]


@dataclass(frozen=True)
class OpenStatus:
    """The answer to "is it open now?" for one expression at one moment."""

    is_open: bool
    state: StateName
    next_change: datetime | None
    comment: str | None
    today: list[Interval]
    opens_next: datetime | None


@dataclass(frozen=True)
class DayHours:
    """One day of a week view: open (or maybe open) intervals, holiday name, comment."""

    day: date
    intervals: list[Interval]
    holiday: str | None
    comment: str | None


class _Compiled(NamedTuple):
    expr: str
    plain: OpeningHours  # PH never matches
    has_ph: bool


@dataclass(frozen=True)
class _Span:
    start: datetime
    end: datetime
    state: StateName
    comment: str | None


# --- parsing -------------------------------------------------------------------------


def parse(expr: str) -> OpeningHours:
    """Parse an OpenStreetMap ``opening_hours`` expression.

    The returned library object uses the library's own NL holiday calendar; `status`
    and `week` use the `holidays` package instead (see the module docstring).

    Parameters
    ----------
    expr : str
        The expression, e.g. ``"Mo-Fr 09:00-17:00; PH off"``.

    Returns
    -------
    OpeningHours
        The parsed expression, evaluated in Europe/Amsterdam.

    Raises
    ------
    InvalidOpeningHours
        If `expr` is blank, longer than 1000 characters, not valid syntax, or uses
        ``PH`` in a form this module cannot evaluate (``PH +1 day``).

    Examples
    --------
    >>> parse("Mo-Fr 09:00-17:00; PH off")
    OpeningHours("Mo-Fr 09:00-17:00; PH closed")
    >>> parse("elke dag")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    data.errors.InvalidOpeningHours: 'elke dag' is geen geldige openingstijd ...
    """
    _compile(expr)
    return OpeningHours(expr, timezone=TZ, country="NL")


def validate(expr: str) -> str:
    """Return the normalised form of a valid expression.

    Raises
    ------
    InvalidOpeningHours
        As `parse`.

    Examples
    --------
    >>> validate("Mo-Su 08:00-24:00 ;PH off")
    '08:00-24:00; PH closed'
    """
    return str(parse(expr).normalize())


@lru_cache(maxsize=1024)
def _compile(expr: str) -> _Compiled:
    if not isinstance(expr, str):
        raise TypeError(f"expected an opening-hours text, got {type(expr).__name__}")
    if not expr.strip():
        raise InvalidOpeningHours(expr, "de tekst is leeg")
    if len(expr) > MAX_LENGTH:
        raise InvalidOpeningHours(
            expr[:40] + "…", f"de tekst is {len(expr)} tekens lang (maximaal {MAX_LENGTH})"
        )
    plain = _library(expr, expr)
    has_ph = bool(_PH_TOKEN.search(_outside_comments(expr)))
    if has_ph:
        _library(_ph_as(expr, "Mo"), expr)  # refuse what the rewrite cannot handle
    return _Compiled(expr, plain, has_ph)


@lru_cache(maxsize=1024)
def _on_holidays(expr: str, weekdays: tuple[int, ...]) -> OpeningHours:
    """The expression with PH matching exactly these weekdays (0 = Monday)."""
    return _library(_ph_as(expr, ",".join(_DAYS[d] for d in weekdays)), expr)


def _library(text: str, expr: str) -> OpeningHours:
    try:
        return OpeningHours(text, timezone=TZ)
    except ParserError as exc:
        if text != expr:  # the PH rewrite failed, not the user's text
            raise InvalidOpeningHours(
                expr, "'PH' met een verschuiving (zoals 'PH +1 day') wordt niet ondersteund"
            ) from exc
        raise InvalidOpeningHours(expr, _parser_reason(str(exc))) from exc


def _parser_reason(message: str) -> str:
    where = re.search(r"--> (\d+):(\d+)", message)
    if not where:
        return "de tekst kan niet gelezen worden"
    line, column = where.groups()
    place = f"teken {column}" if line == "1" else f"regel {line}, teken {column}"
    return f"de tekst kan niet gelezen worden vanaf {place}"


def _outside_comments(expr: str) -> str:
    return " ".join(expr.split('"')[::2])


def _ph_as(expr: str, weekdays: str) -> str:
    parts = expr.split('"')
    parts[::2] = [_PH_TOKEN.sub(weekdays, part) for part in parts[::2]]
    return '"'.join(parts)


# --- evaluation ----------------------------------------------------------------------


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
        As `parse`.

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
    compiled = _compile(expr)
    spans = _spans(compiled, _midnight(at.date()), _later(at, OPENS_NEXT_WITHIN))
    now = next(s for s in spans if s.start <= at < s.end)
    opens_next = None
    if now.state != "open":
        opens_next = next((s.start for s in spans if s.state == "open" and s.start > at), None)
    return OpenStatus(
        is_open=now.state == "open",
        state=now.state,
        next_change=_next_change(compiled, spans, now, at),
        comment=now.comment,
        today=_day_intervals(spans, at.date()),
        opens_next=opens_next,
    )


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
        As `parse`.
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
    compiled = _compile(expr)
    spans = _spans(compiled, _midnight(start), _midnight(start + timedelta(days=days)))
    result = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        comments = [s.comment for s in spans if s.comment and _touches(s, day)]
        result.append(
            DayHours(
                day=day,
                intervals=_day_intervals(spans, day),
                holiday=_holiday(day),
                comment="; ".join(dict.fromkeys(comments)) or None,
            )
        )
    return result


def _local(at: datetime) -> datetime:
    """Aware Amsterdam time; a wall time skipped by summer time moves one hour on."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=TZ)
    return at.astimezone(UTC).astimezone(TZ)  # via UTC: the library refuses skipped times


def _later(at: datetime, delta: timedelta) -> datetime:
    return _local(at.astimezone(UTC) + delta)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TZ)


@lru_cache(maxsize=64)
def _holidays_in(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("NL", years=year, language="nl"))


def _holiday(day: date) -> str | None:
    return _holidays_in(day.year).get(day)


def _state_name(state: State, comment: str) -> StateName:
    if state == State.CLOSED:
        return "closed"
    if state == State.OPEN and not comment:
        return "open"
    return "unknown"


def _spans(compiled: _Compiled, start: datetime, end: datetime) -> list[_Span]:
    """Merged spans of constant state between start and end, holidays spliced in."""
    merged: list[_Span] = []
    for seg_start, seg_end, oh in _segments(compiled, start, end):
        for a, b, state, comment in oh.intervals(seg_start, seg_end):
            span = _Span(
                max(a, seg_start), min(b, seg_end), _state_name(state, comment), comment or None
            )
            last = merged[-1] if merged else None
            if last and last.end == span.start and _same(last, span):
                merged[-1] = replace(last, end=span.end)
            elif span.start < span.end:
                merged.append(span)
    return merged


def _same(a: _Span, b: _Span) -> bool:
    return (a.state, a.comment) == (b.state, b.comment)


def _segments(
    compiled: _Compiled, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime, OpeningHours]]:
    """Cut [start, end) into pieces, each with the library object that evaluates it.

    A run of holidays is evaluated together with the day after it, so that times
    spilling over midnight from the last holiday follow the holiday's rules.
    """
    if not compiled.has_ph:
        yield start, end, compiled.plain
        return
    day = start.date() - timedelta(days=1)
    while _holiday(day):  # start at the run whose tail may reach into `start`
        day -= timedelta(days=1)
    while _midnight(day) < end:
        run = list(_holiday_run(day))
        if run:
            nxt = run[-1] + timedelta(days=2)
            oh = _on_holidays(compiled.expr, tuple(sorted({d.weekday() for d in run})))
        else:
            nxt = day + timedelta(days=1)
            while _midnight(nxt) < end and not _holiday(nxt):
                nxt += timedelta(days=1)
            oh = compiled.plain
        piece_start, piece_end = max(start, _midnight(day)), min(end, _midnight(nxt))
        if piece_start < piece_end:
            yield piece_start, piece_end, oh
        day = nxt


def _holiday_run(day: date) -> Iterator[date]:
    while _holiday(day):
        yield day
        day += timedelta(days=1)


def _next_change(
    compiled: _Compiled, spans: list[_Span], now: _Span, at: datetime
) -> datetime | None:
    later = [s for s in spans if s.start > at]
    if not any(s.state != now.state for s in later):
        later = [s for s in _spans(compiled, at, _later(at, _CHANGE_HORIZON)) if s.start > at]
    return next((s.start for s in later if s.state != now.state), None)


def _touches(span: _Span, day: date) -> bool:
    return span.start < _midnight(day + timedelta(days=1)) and span.end > _midnight(day)


def _day_intervals(spans: list[_Span], day: date) -> list[Interval]:
    day_start, day_end = _midnight(day), _midnight(day + timedelta(days=1))
    intervals: list[Interval] = []
    for span in spans:
        if span.state == "closed" or not _touches(span, day):
            continue
        begin = max(span.start, day_start).timetz().replace(tzinfo=None)
        finish = END_OF_DAY if span.end >= day_end else span.end.timetz().replace(tzinfo=None)
        if intervals and intervals[-1][1] == begin:  # open, then unknown right after
            begin = intervals.pop()[0]
        intervals.append((begin, finish))
    return intervals


# --- HSDS 3.0 schedules: export ------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """The part of one OSM rule that HSDS schedules can express."""

    months: tuple[int, ...]  # 1-12; empty means every month
    week_start: int | None  # first ISO week of "weekNN-53/step"
    week_step: int
    days: tuple[tuple[int, int | None], ...]  # (weekday 0=Mo, nth in month or None)
    times: tuple[tuple[str, str | None], ...]  # ("09:00", "17:00"); ("10:30", None) = open end
    comment: str | None


def to_hsds_schedules(
    expr: str, *, service_id: str | None = None, location_id: str | None = None
) -> list[dict[str, Any]]:
    """Convert an expression to HSDS 3.0 schedule objects.

    Every schedule carries the original expression in ``notes``
    (``opening_hours=<expr>``), so nothing is lost. Weekday rules become WEEKLY
    schedules, one per interval; ``Sa[1]`` becomes MONTHLY ``1SA``; ``week01-53/2``
    and regular month lists (``Jan,Mar,May,Jul,Sep,Nov``) become ``interval`` 2 with a
    ``dtstart`` in 2026 (``week01-53/2`` has two odd weeks in a row after a 53-week
    year, which an RRULE cannot say). ``PH off`` becomes a sentence in
    ``description``. Syntax beyond that yields one schedule with only the notes.

    Parameters
    ----------
    expr : str
        A valid ``opening_hours`` expression.
    service_id, location_id : str, optional
        Copied into each schedule and mixed into its deterministic uuid5 ``id``.

    Returns
    -------
    list of dict
        Times are local Europe/Amsterdam wall-clock times, ``HH:MM``.

    Raises
    ------
    InvalidOpeningHours
        As `parse`.

    Examples
    --------
    >>> [s["byday"] for s in to_hsds_schedules("Mo-Fr 09:00-12:00,13:00-17:00")]
    ['MO,TU,WE,TH,FR', 'MO,TU,WE,TH,FR']
    >>> to_hsds_schedules("Sa[1] 11:00-16:00")[0]["byday"]
    '1SA'
    """
    compiled = _compile(expr)
    rules, ph_closed = _hsds_rules(str(compiled.plain))
    if not rules:
        bodies = [{"description": f"Openingstijden in OpenStreetMap-notatie: {expr}"}]
    else:
        bodies = [_schedule_body(rule, t, ph_closed) for rule in rules for t in rule.times]
    links = {"service_id": service_id, "location_id": location_id}
    return [
        {
            "id": str(uuid.uuid5(_ID_NAMESPACE, f"{expr}|{i}|{service_id}|{location_id}")),
            **{k: v for k, v in links.items() if v is not None},
            **body,
            "notes": _OSM_NOTE + expr,
        }
        for i, body in enumerate(bodies)
    ]


def _split_rules(canonical: str) -> list[tuple[str, str]] | None:
    """Split into (separator before, rule); None for fallback rules (``||``)."""
    parts = re.split(r'(; |, |\|\| )(?=(?:[^"]*"[^"]*")*[^"]*$)', canonical)
    rules = [("; ", parts[0])] + list(zip(parts[1::2], parts[2::2], strict=True))
    return None if any(sep == "|| " for sep, _ in rules) else rules


def _hsds_rules(canonical: str) -> tuple[list[_Rule] | None, bool]:
    """The rules of a canonical expression, or None if HSDS cannot express them."""
    split = _split_rules(canonical)
    if split is None:
        return None, False
    rules: list[_Rule] = []
    ph_closed = False
    for sep, text in split:
        if text == "PH closed":
            ph_closed = True  # a description sentence, only right if nothing overrides it
            continue
        if ph_closed:
            return None, False
        rule = _parse_rule(text)
        if rule is None or (sep == "; " and _overrides(rule, rules)):
            return None, False
        rules.append(rule)
    return rules, ph_closed


def _overrides(rule: _Rule, earlier: list[_Rule]) -> bool:
    days = {d for d, _ in rule.days}
    return any(days & {d for d, _ in other.days} for other in earlier)


_MONTH = "(?:" + "|".join(_MONTHS) + ")"
_DAY = "(?:" + "|".join(_DAYS) + ")"
_MONTHS_RE = re.compile(rf"{_MONTH}(?:-{_MONTH})?(?:,{_MONTH}(?:-{_MONTH})?)*")
_WEEK_RE = re.compile(r"week(\d\d)-(\d\d)(?:/(\d+))?")
_DAY_ITEM = rf"({_DAY})(?:-({_DAY}))?(?:\[(-?[1-5](?:,-?[1-5])*)\])?"
_DAYS_RE = re.compile(rf"{_DAY_ITEM}(?:,{_DAY_ITEM})*")
_TIME_ITEM = r"\d\d:\d\d(?:-\d\d:\d\d|\+)"
_TIMES_RE = re.compile(rf"{_TIME_ITEM}(?:,{_TIME_ITEM})*")


def _parse_rule(text: str) -> _Rule | None:
    body, _, comment = text.partition(' "')
    tokens = body.split(" ")
    months = _take(tokens, _MONTHS_RE, _months)
    weeks = _take(tokens, _WEEK_RE, _weeks)
    days = _take(tokens, _DAYS_RE, _days)
    times = _take(tokens, _TIMES_RE, _times)
    if tokens or not times or weeks is False:
        return None
    start, step = weeks or (None, 1)
    rule = _Rule(
        months or (),
        start,
        step,
        days or tuple((d, None) for d in range(7)),
        times,
        comment.rstrip('"') or None,
    )
    return rule if _expressible(rule) else None


def _take(tokens: list[str], pattern: re.Pattern[str], convert: Any) -> Any:
    if tokens and pattern.fullmatch(tokens[0]):
        return convert(tokens.pop(0))
    return None


def _months(text: str) -> tuple[int, ...]:
    months: set[int] = set()
    for item in text.split(","):
        first, _, last = item.partition("-")
        a, b = _MONTHS.index(first), _MONTHS.index(last or first)
        months.update(m % 12 + 1 for m in range(a, b + 1 if b >= a else b + 13))
    return () if len(months) == 12 else tuple(sorted(months))


def _weeks(text: str) -> tuple[int, int] | bool:
    start, end, step = _WEEK_RE.fullmatch(text).groups()  # type: ignore[union-attr]
    first, every = int(start), int(step or 1)
    whole_year = first <= every and int(end) >= 52
    return (first, every) if whole_year else False


def _days(text: str) -> tuple[tuple[int, int | None], ...]:
    days: list[tuple[int, int | None]] = []
    for match in re.finditer(_DAY_ITEM, text):
        first, last, nth = match.groups()
        a, b = _DAYS.index(first), _DAYS.index(last or first)
        span = [d % 7 for d in range(a, b + 1 if b >= a else b + 8)]
        nths: list[int | None] = [int(n) for n in nth.split(",")] if nth else [None]
        days += [(d, n) for d in span for n in nths]
    return tuple(days)


def _times(text: str) -> tuple[tuple[str, str | None], ...]:
    result: list[tuple[str, str | None]] = []
    for item in text.split(","):
        if item.endswith("+"):
            result.append((item[:-1], None))
            continue
        opens, closes = item.split("-")
        hours, minutes = closes.split(":")
        result.append((opens, f"{int(hours) % 24:02d}:{minutes}"))  # 24:00 -> 00:00
    return tuple(result)


def _expressible(rule: _Rule) -> bool:
    monthly = bool(rule.months) or any(n is not None for _, n in rule.days)
    if monthly and rule.week_step > 1:
        return False
    return not rule.months or _month_step(rule.months) is not None


def _month_step(months: tuple[int, ...]) -> int | None:
    step = 12 // len(months)
    regular = 12 % len(months) == 0 and all(b - a == step for a, b in pairwise(months))
    return step if regular else None


def _schedule_body(rule: _Rule, times: tuple[str, str | None], ph_closed: bool) -> dict[str, Any]:
    monthly = bool(rule.months) or any(n is not None for _, n in rule.days)
    interval = (_month_step(rule.months) or 1) if rule.months else rule.week_step
    body: dict[str, Any] = {
        "freq": "MONTHLY" if monthly else "WEEKLY",
        "interval": interval,
        "byday": ",".join(f"{n or ''}{_DAYS[d].upper()}" for d, n in rule.days),
        "wkst": "MO",
        "opens_at": times[0],
    }
    if times[1] is not None:
        body["closes_at"] = times[1]
    if interval > 1:
        body["dtstart"] = _dtstart(rule).isoformat()
    description = " ".join(t for t in (rule.comment, _PH_CLOSED_TEXT if ph_closed else None) if t)
    if description:
        body["description"] = description
    return body


def _dtstart(rule: _Rule) -> date:
    if not rule.months:  # every N weeks from an ISO week of the anchor year
        return min(
            date.fromisocalendar(_ANCHOR_YEAR, rule.week_start or 1, d + 1) for d, _ in rule.days
        )
    candidates = [_nth_weekday(_ANCHOR_YEAR, rule.months[0], d, n) for d, n in rule.days]
    return min(
        (c for c in candidates if c is not None), default=date(_ANCHOR_YEAR, rule.months[0], 1)
    )


def _nth_weekday(year: int, month: int, weekday: int, nth: int | None) -> date | None:
    first = date(year, month, 1)
    days = [first + timedelta(days=i) for i in range(31)]
    matches = [d for d in days if d.month == month and d.weekday() == weekday]
    index = (nth or 1) - 1 if (nth or 1) > 0 else nth
    try:
        return matches[index]  # type: ignore[index]
    except IndexError:
        return None


# --- HSDS 3.0 schedules: import ------------------------------------------------------

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
    carried = {s["notes"][len(_OSM_NOTE) :] for s in schedules if _carries_osm(s)}
    if len(carried) > 1:
        raise InvalidOpeningHours(" | ".join(sorted(carried)), "de schema's spreken elkaar tegen")
    if carried:
        expr = carried.pop()
        _compile(expr)
        return expr
    groups: dict[str, list[str]] = {}
    for schedule in schedules:
        if any(schedule.get(f) not in (None, "") for f in _TIMING_FIELDS):
            selector, span = _osm_rule(schedule)
            groups.setdefault(selector, []).append(span)
    if not groups:
        return None
    expr = ", ".join(_join_rule(sel, spans) for sel, spans in groups.items())
    _compile(expr)
    return expr


def _carries_osm(schedule: dict[str, Any]) -> bool:
    notes = schedule.get("notes")
    return isinstance(notes, str) and notes.startswith(_OSM_NOTE)


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
    return _day_ranges(sorted({_DAYS.index(c) for c in codes}))


def _day_ranges(days: list[int]) -> str:
    runs: list[list[int]] = []
    for d in days:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = [
        f"{_DAYS[r[0]]}-{_DAYS[r[-1]]}" if len(r) > 2 else ",".join(_DAYS[d] for d in r)
        for r in runs
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
    return ",".join(_MONTHS[m] for m in months)


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
