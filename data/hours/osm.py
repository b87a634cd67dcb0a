"""OpenStreetMap ``opening_hours`` texts: parsing, validation and the compiled forms.

`parse` and `validate` check an expression with opening-hours-py; `compile_expr` keeps
(cached) the library object in which ``PH`` never matches, and `on_holidays` the copy in
which ``PH`` reads as given weekdays (see `data.hours` for why). Everything is in
Europe/Amsterdam (`TZ`).

This module says nothing about a moment or a week (`data.hours.spans`,
`data.hours.open_status`, `data.hours.week_view`) and knows no holiday dates
(`data.hours.public_holidays`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

# ParserError exists at runtime but is missing from the package's stubs.
from opening_hours import OpeningHours, ParserError  # type: ignore[attr-defined]

from data.errors import InvalidOpeningHours

TZ = ZoneInfo("Europe/Amsterdam")
MAX_LENGTH = 1000

#: OSM weekday and month abbreviations, Monday and January first.
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PH_TOKEN = re.compile(r"\bPH\b", re.IGNORECASE)


class Compiled(NamedTuple):
    """A checked expression, its library object without holidays, and whether it uses PH."""

    expr: str
    plain: OpeningHours  # PH never matches
    has_ph: bool


def parse(expr: str) -> OpeningHours:
    """Parse an OpenStreetMap ``opening_hours`` expression.

    The returned library object uses the library's own NL holiday calendar; `status`
    and `week` use the `holidays` package instead (see `data.hours`).

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
    compile_expr(expr)
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
def compile_expr(expr: str) -> Compiled:
    """Check ``expr`` and compile it once (cached); refuses what `parse` refuses.

    Examples
    --------
    >>> compile_expr("Mo-Fr 09:00-17:00; PH off").has_ph
    True
    """
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
    return Compiled(expr, plain, has_ph)


@lru_cache(maxsize=1024)
def on_holidays(expr: str, weekdays: tuple[int, ...]) -> OpeningHours:
    """The expression with PH matching exactly these weekdays (0 = Monday)."""
    return _library(_ph_as(expr, ",".join(DAYS[d] for d in weekdays)), expr)


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
