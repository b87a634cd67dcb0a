"""Response models of ``GET /api/v1/nearby`` and how a search result is shaped into them.

Confidential places (a shelter, for instance) keep their address and point to
themselves: the answer lists them apart, by name, with only their contact point and
gemeente — no address, no point, no distance.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from kaart.search import HelpHit, HelpResult, Openness, RemoteHelp, State


class SearchPoint(BaseModel):
    lat: float
    lon: float
    precision: Literal["postcode", "place", "coordinates"] = Field(
        description="What the point stands for: a PC4 postcode centre, a place, or the given coordinates"
    )
    label: str
    gemeente_code: str | None
    gemeente_name: str | None
    in_region: bool = Field(description="Inside Groningen or Drenthe")


class OpenNow(BaseModel):
    state: State = Field(
        description="'unknown': an opening with a remark (e.g. by appointment); "
        "'no_hours': the registry has no opening hours"
    )
    is_open: bool
    open_until: dt.datetime | None = Field(description="When open: when it closes (next change)")
    opens_next: dt.datetime | None = Field(description="When closed: next opening within 14 days")
    today: list[tuple[str, str]] = Field(
        description="That day's opening intervals, HH:MM (24:00 = midnight)"
    )
    comment: str | None


class PlaceAnswer(BaseModel):
    slug: str
    page: str = Field(description="Path of the place page")
    name: str
    organisation: str | None
    kind: str
    description: str
    needs: list[str]
    free: bool | None
    referral_needed: bool | None
    distance_km: float | None = Field(
        description="Geodesic distance, 2 decimals; null for confidential places"
    )
    lat: float | None
    lon: float | None
    precision: str | None = Field(description="How exact the point is: address, postcode or place")
    address: str | None
    postcode: str | None
    place: str | None
    gemeente_code: str | None
    gemeente_name: str | None
    confidential: bool
    contact_point: str | None
    phone: str | None
    email: str | None
    url: str | None
    opening_hours: str | None = Field(description="OpenStreetMap opening_hours expression")
    opening_hours_text: str | None
    open: OpenNow


class Filters(BaseModel):
    needs: list[str]
    needs_match: Literal["any", "all"]
    open_at: dt.datetime | None
    free: bool
    no_referral: bool


class NearbyAnswer(BaseModel):
    at: dt.datetime = Field(
        description="The moment the open states are for: open_at, or now rounded down to the minute"
    )
    search_point: SearchPoint
    radius_km: float = Field(description="The radius finally searched")
    first_radius_km: float
    widened: bool = Field(description="True when little was found nearby and the radius grew")
    filters: Filters
    places: list[PlaceAnswer]
    remote: list[PlaceAnswer] = Field(
        description="Help by phone or online, for this gemeente or everyone"
    )
    confidential: list[PlaceAnswer] = Field(
        description="Places at a secret address within the radius: contact point only, by name, no distance"
    )


def _open(o: Openness) -> OpenNow:
    return OpenNow(
        state=o.state,
        is_open=o.is_open,
        open_until=o.until,
        opens_next=o.opens_next,
        today=list(o.today),
        comment=o.comment,
    )


def _place(item: HelpHit | RemoteHelp) -> PlaceAnswer:
    p, hide = item.place, item.place.confidential
    distance = getattr(item, "distance_km", None)
    return PlaceAnswer(
        slug=p.slug, page=f"/plek/{p.slug}", name=p.name, organisation=p.organisation, kind=p.kind,
        description=p.description, needs=list(p.needs), free=p.free, referral_needed=p.referral_needed,
        distance_km=None if hide or distance is None else round(distance, 2),
        lat=None if hide else p.lat, lon=None if hide else p.lon,
        precision=None if hide else p.precision, address=None if hide else p.address,
        postcode=None if hide else p.postcode, place=p.place, gemeente_code=p.gemeente_code,
        gemeente_name=p.gemeente_name, confidential=hide, contact_point=p.contact_point,
        phone=p.phone, email=p.email, url=p.url, opening_hours=p.opening_hours,
        opening_hours_text=p.opening_hours_text, open=_open(item.openness),
    )  # fmt: skip


def nearby_answer(result: HelpResult) -> NearbyAnswer:
    """Shape a search result for the API."""
    pt, f = result.point, result.filters
    return NearbyAnswer(
        at=result.at,
        search_point=SearchPoint(
            lat=pt.lat, lon=pt.lon, precision=pt.precision, label=pt.label,
            gemeente_code=pt.gemeente_code, gemeente_name=pt.gemeente_name, in_region=pt.in_region,
        ),
        radius_km=result.radius_km, first_radius_km=result.first_radius_km, widened=result.widened,
        filters=Filters(needs=list(f.needs), needs_match=f.needs_match, open_at=f.open_at,  # type: ignore[arg-type]
                        free=f.free, no_referral=f.no_referral),
        places=[_place(h) for h in result.hits],
        remote=[_place(r) for r in result.remote],
        confidential=[_place(c) for c in result.confidential],
    )  # fmt: skip
