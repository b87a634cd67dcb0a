"""Opening hours to HSDS 3.0 schedules: `to_hsds_schedules`.

Weekday rules become WEEKLY schedules, ``Sa[1]`` MONTHLY ``1SA``, every other week or
month an ``interval`` with a ``dtstart``; every schedule carries the original
expression in ``notes`` (`OSM_NOTE`). Reading schedules back is `data.hours.from_hsds`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from data.hours.osm import DAYS, MONTHS, compile_expr

#: Every schedule's ``notes`` start with this, followed by the original expression.
OSM_NOTE = "opening_hours="
_PH_CLOSED_TEXT = "Gesloten op feestdagen."
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "kracht-in-kaart:hsds:schedule")
_ANCHOR_YEAR = 2026  # dtstart of every-other-week/month schedules falls in this year


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
        As `data.hours.parse`.

    Examples
    --------
    >>> [s["byday"] for s in to_hsds_schedules("Mo-Fr 09:00-12:00,13:00-17:00")]
    ['MO,TU,WE,TH,FR', 'MO,TU,WE,TH,FR']
    >>> to_hsds_schedules("Sa[1] 11:00-16:00")[0]["byday"]
    '1SA'
    """
    compiled = compile_expr(expr)
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
            "notes": OSM_NOTE + expr,
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


_MONTH = "(?:" + "|".join(MONTHS) + ")"
_DAY = "(?:" + "|".join(DAYS) + ")"
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
        a, b = MONTHS.index(first), MONTHS.index(last or first)
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
        a, b = DAYS.index(first), DAYS.index(last or first)
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
        "byday": ",".join(f"{n or ''}{DAYS[d].upper()}" for d, n in rule.days),
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
