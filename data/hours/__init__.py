"""Opening hours: OpenStreetMap `opening_hours` texts, evaluated for Groningen and Drenthe.

Parsing and evaluation are done by opening-hours-py (import name ``opening_hours``).
This package adds three things the library does not do the way we need:

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

Modules
-------
- `data.hours.osm`: parsing and validating expressions; the cached compiled forms.
- `data.hours.public_holidays`: Dutch public holidays by date, with Dutch names.
- `data.hours.spans`: evaluation between two moments, holidays spliced in.
- `data.hours.open_status`: `status`, open now and what changes next (cached).
- `data.hours.week_view`: `week`, the intervals of a run of days.
- `data.hours.to_hsds`, `data.hours.from_hsds`: HSDS 3.0 schedules, both ways.
"""

from data.hours.from_hsds import from_hsds_schedules
from data.hours.open_status import OPENS_NEXT_WITHIN, OpenStatus, status
from data.hours.osm import MAX_LENGTH, TZ, parse, validate
from data.hours.spans import END_OF_DAY, Interval, StateName
from data.hours.to_hsds import to_hsds_schedules
from data.hours.week_view import DayHours, week

__all__ = [
    "END_OF_DAY",
    "MAX_LENGTH",
    "OPENS_NEXT_WITHIN",
    "TZ",
    "DayHours",
    "Interval",
    "OpenStatus",
    "StateName",
    "from_hsds_schedules",
    "parse",
    "status",
    "to_hsds_schedules",
    "validate",
    "week",
]
