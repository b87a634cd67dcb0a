"""Finding help near a resident: the one domain function behind the search page and the API.

`find_help` turns a postcode, place name or coordinates into a point, finds the places
around it with :func:`kaart.nearby.search` (widening the radius in the countryside), and
tells for every place whether it is open at the asked moment, its hours that day and when
it opens next. `place_detail` does the same for the place page, with a week of hours.
All times are Europe/Amsterdam; the moment is rounded down to the minute, so two
searches in the same minute give the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from data import hours
from data.errors import InvalidOpeningHours, NotFound
from data.snapshot import PlaceRecord
from data.vocab import NEEDS
from kaart.errors import InvalidQuery
from kaart.geocode import Geocoder, GeoPoint
from kaart.nearby import Filters, InvalidSearch, PlaceIndex, search

TZ = ZoneInfo("Europe/Amsterdam")
MIN_RESULTS = 3  # fewer than this nearby: widen the radius
State = Literal["open", "closed", "unknown", "no_hours"]


@dataclass(frozen=True)
class Openness:
    """Whether a place is open at one moment, in a form pages and the API can show.

    ``state`` is "open", "closed", "unknown" (an opening with a comment such as "alleen
    op afspraak") or "no_hours" (the registry has no usable opening hours).
    ``today`` holds that day's intervals as ("09:00", "12:00") pairs; "24:00" is midnight.
    """

    state: State
    until: dt.datetime | None
    opens_next: dt.datetime | None
    today: tuple[tuple[str, str], ...]
    comment: str | None

    @property
    def is_open(self) -> bool:
        return self.state == "open"


@dataclass(frozen=True)
class HelpHit:
    place: PlaceRecord
    distance_km: float
    openness: Openness


@dataclass(frozen=True)
class RemoteHelp:
    """Help by phone or online: no distance, listed apart from the map."""

    place: PlaceRecord
    openness: Openness


@dataclass(frozen=True)
class HelpResult:
    """The answer to one search; ``near_count`` counts the hits within the first radius.

    Places at a confidential address are not in ``hits`` (whose order by distance would
    tell roughly where they are) but in ``confidential``, by name, without distance.
    """

    point: GeoPoint
    at: dt.datetime
    at_is_now: bool
    filters: Filters
    first_radius_km: float
    radius_km: float
    widened: bool
    near_count: int
    hits: tuple[HelpHit, ...]
    remote: tuple[RemoteHelp, ...]
    confidential: tuple[RemoteHelp, ...] = ()


@dataclass(frozen=True)
class WeekDay:
    """One day of the week view: ("09:00", "12:00") pairs, the holiday's name, a comment."""

    day: dt.date
    hours: tuple[tuple[str, str], ...]
    holiday: str | None
    comment: str | None


@dataclass(frozen=True)
class Offer:
    place: PlaceRecord
    openness: Openness
    week: tuple[WeekDay, ...]


@dataclass(frozen=True)
class PlaceDetail:
    """Everything the place page shows: the location and every offer there."""

    slug: str
    location: PlaceRecord
    offers: tuple[Offer, ...]
    at: dt.datetime


def local_minute(moment: dt.datetime | None = None) -> dt.datetime:
    """The moment in Europe/Amsterdam, rounded down to the minute (naive = local time).

    >>> local_minute(dt.datetime(2026, 4, 27, 8, 30, 59, tzinfo=dt.UTC)).isoformat()
    '2026-04-27T10:30:00+02:00'
    """
    moment = moment or dt.datetime.now(TZ)
    local = moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment.astimezone(TZ)
    return local.replace(second=0, microsecond=0)


def hhmm(value: dt.time) -> str:
    """``HH:MM``; the end of a day reads 24:00.

    >>> hhmm(dt.time(9, 5)), hhmm(hours.END_OF_DAY)
    ('09:05', '24:00')
    """
    return "24:00" if value == hours.END_OF_DAY else value.strftime("%H:%M")


def openness(place: PlaceRecord, at: dt.datetime) -> Openness:
    """The open state of one place at ``at``; unusable hours count as unknown hours."""
    if not place.opening_hours:
        return Openness("no_hours", None, None, (), None)
    try:
        s = hours.status(place.opening_hours, at)
    except InvalidOpeningHours:
        return Openness("no_hours", None, None, (), None)
    today = tuple((hhmm(a), hhmm(b)) for a, b in s.today)
    return Openness(s.state, s.next_change if s.is_open else None, s.opens_next, today, s.comment)


def find_help(
    index: PlaceIndex,
    geocoder: Geocoder,
    *,
    query: str | None = None,
    postcode: str | None = None,
    place: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    needs: tuple[str, ...] | list[str] = (),
    needs_match: str = "any",
    open_now: bool = False,
    open_at: dt.datetime | None = None,
    free: bool = False,
    no_referral: bool = False,
    radius_km: float = 15,
    max_radius_km: float = 50,
    limit: int = 20,
    now: dt.datetime | None = None,
) -> HelpResult:
    """Places with help near a postcode, place or point, nearest first, with open status.

    Parameters
    ----------
    index : PlaceIndex
        The places, indexed once per data version.
    geocoder : Geocoder
        Turns ``query``/``postcode``/``place`` text or ``lat``/``lon`` into a point.
    query, postcode, place : str, optional
        Free text (postcode, place or "lat, lon"), a postcode, or a place name. Text wins
        over coordinates; give at most one text.
    lat, lon : float, optional
        A point, used when no text is given.
    needs : sequence of str
        Need codes (see ``data.vocab.NEEDS``); ``needs_match`` "any" (OR, default) or "all".
    open_now, open_at : bool, datetime
        Keep only places open now, or open at a chosen moment (naive = local time).
    free, no_referral : bool
        Keep only free places, or places that need no referral.
    radius_km, max_radius_km : float
        First radius, and the largest the search widens to when little is found nearby.
    limit : int
        At most this many places.
    now : datetime, optional
        The present moment (default: the clock), rounded down to the minute.

    Returns
    -------
    HelpResult
        The search point, the radius used, places with distance and open status; remote
        help (phone, online) and places at a confidential address apart, by name.

    Raises
    ------
    GeocodeError
        Text or coordinates that name no place (with suggestions).
    InvalidSearch
        Options out of range, unknown needs, both ``open_now`` and ``open_at``.
    """
    unknown = sorted(set(needs) - set(NEEDS))
    if unknown:
        raise InvalidSearch(
            f"onbekende hulpvraag {', '.join(unknown)}; kies uit {', '.join(NEEDS)}"
        )
    if open_now and open_at is not None:
        raise InvalidSearch("kies 'nu open' of een moment (open_at), niet allebei")
    point = resolve_point(geocoder, query=query, postcode=postcode, place=place, lat=lat, lon=lon)
    present = local_minute(now)
    moment = local_minute(open_at) if open_at is not None else present
    filters = Filters(
        needs=tuple(sorted(set(needs))), needs_match=needs_match,
        open_at=moment if (open_now or open_at is not None) else None,
        free=free, no_referral=no_referral,
    )  # fmt: skip
    found = search(
        index, point.lat, point.lon, filters=filters, radius_km=radius_km,
        max_radius_km=max_radius_km, min_results=MIN_RESULTS, limit=limit,
        gemeente_code=point.gemeente_code,
    )  # fmt: skip
    hits = tuple(
        HelpHit(h.place, h.distance_km, openness(h.place, moment))
        for h in found.hits
        if not h.place.confidential
    )
    hidden = sorted(
        (h.place for h in found.hits if h.place.confidential), key=lambda p: (p.name, p.service_id)
    )
    return HelpResult(
        point=point, at=moment, at_is_now=open_at is None, filters=filters,
        first_radius_km=radius_km, radius_km=found.radius_km, widened=found.widened,
        near_count=sum(1 for h in hits if h.distance_km <= radius_km), hits=hits,
        remote=tuple(RemoteHelp(p, openness(p, moment)) for p in found.remote),
        confidential=tuple(RemoteHelp(p, openness(p, moment)) for p in hidden),
    )  # fmt: skip


def resolve_point(
    geocoder: Geocoder,
    *,
    query: str | None = None,
    postcode: str | None = None,
    place: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> GeoPoint:
    """The search point: from one text (query, postcode or place), else from lat/lon."""
    texts = {
        k: v for k, v in (("q", query), ("postcode", postcode), ("place", place)) if v and v.strip()
    }
    if len(texts) > 1:
        raise InvalidSearch(f"geef één zoektekst, niet {' én '.join(texts)}")
    if "postcode" in texts:
        return geocoder.postcode(texts["postcode"])
    if "place" in texts:
        return geocoder.place(texts["place"])
    if "q" in texts:
        return geocoder.geocode(texts["q"])
    if lat is not None and lon is not None:
        return geocoder.point(lat, lon)
    if lat is not None or lon is not None:
        raise InvalidSearch("geef lat én lon, of een postcode of plaatsnaam")
    raise InvalidQuery("", problem="empty")


def place_detail(index: PlaceIndex, slug: str, *, now: dt.datetime | None = None) -> PlaceDetail:
    """One location with all its offers, their open status and this week's hours.

    Raises
    ------
    NotFound
        No place has this slug.
    """
    records = sorted(
        (p for p in (*index.places, *index.remote) if p.slug == slug),
        key=lambda p: (p.name, p.service_id),
    )
    if not records:
        raise NotFound("plek", slug)
    at = local_minute(now)
    monday = at.date() - dt.timedelta(days=at.weekday())
    offers = tuple(Offer(p, openness(p, at), _week(p, monday)) for p in records)
    return PlaceDetail(slug, records[0], offers, at)


def _week(place: PlaceRecord, monday: dt.date) -> tuple[WeekDay, ...]:
    """Monday to Sunday of this week, with Dutch public holidays named."""
    if not place.opening_hours:
        return ()
    try:
        days = hours.week(place.opening_hours, monday)
    except InvalidOpeningHours:
        return ()
    return tuple(
        WeekDay(d.day, tuple((hhmm(a), hhmm(b)) for a, b in d.intervals), d.holiday, d.comment)
        for d in days
    )
