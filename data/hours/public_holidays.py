"""Dutch public holidays with their Dutch names, from the `holidays` package.

One cached calendar per year. Nothing here evaluates opening hours; `data.hours.spans`
splices these days into an evaluation.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_in(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("NL", years=year, language="nl"))


def holiday(day: date) -> str | None:
    """The Dutch name of the public holiday on ``day``, or None.

    Examples
    --------
    >>> holiday(date(2026, 4, 27)), holiday(date(2026, 4, 28))
    ('Koningsdag', None)
    """
    return _holidays_in(day.year).get(day)
