"""``GET /api/v1/nearby``: help near a postcode, place or point, as cacheable JSON.

Nothing about a search is logged or kept. Answers are public and cacheable: the same
question in the same minute gives the same bytes, with an ETag (a hash of the body).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from api.deps import cached
from api.schemas import ErrorBody
from api.schemas_nearby import NearbyAnswer, nearby_answer
from api.settings import Settings
from data.snapshot import load_places
from data.vocab import NEEDS
from kaart.nearby import PlaceIndex
from kaart.search import find_help

router = APIRouter(prefix="/api/v1", tags=["residents"])
Need = Literal[NEEDS]  # type: ignore[valid-type]


def place_index(request: Request) -> PlaceIndex:
    """The places' spatial index, built once per data version."""
    return cached(request, "places", lambda session: PlaceIndex(load_places(session)))


def clock() -> dt.datetime:
    """The present moment (a dependency, so tests can fix it)."""
    return dt.datetime.now(dt.UTC)


@dataclass
class NearbyQuery:
    """The question, as query parameters."""

    postcode: Annotated[
        str | None, Query(max_length=100, description="Dutch postcode, e.g. 9541 or 9541 AB")
    ] = None
    place: Annotated[
        str | None,
        Query(max_length=100, description="Place, wijk or gemeente in Groningen/Drenthe"),
    ] = None
    q: Annotated[
        str | None, Query(max_length=100, description="Postcode, place name or 'lat, lon'")
    ] = None
    lat: Annotated[float | None, Query(ge=-90, le=90, description="Latitude (WGS84), with lon")] = (
        None
    )
    lon: Annotated[
        float | None, Query(ge=-180, le=180, description="Longitude (WGS84), with lat")
    ] = None
    needs: Annotated[list[Need] | None, Query(description="Repeatable need code")] = None
    needs_match: Annotated[
        Literal["any", "all"],
        Query(
            description="'any' (default): a place serving at least one of the needs (OR); 'all': every need (AND)"
        ),
    ] = "any"
    open_now: Annotated[bool, Query(description="Only places open now (now = this minute)")] = False
    open_at: Annotated[
        dt.datetime | None,
        Query(description="Only places open at this ISO moment (no zone = Dutch time)"),
    ] = None
    free: Annotated[bool, Query(description="Only free places")] = False
    no_referral: Annotated[bool, Query(description="Only places that need no referral")] = False
    radius_km: Annotated[
        float | None, Query(gt=0, le=100, description="First radius (default from settings)")
    ] = None
    limit: Annotated[int, Query(ge=1, le=200)] = 20

    def options(self, settings: Settings) -> dict[str, Any]:
        return {
            "query": self.q, "postcode": self.postcode, "place": self.place,
            "lat": self.lat, "lon": self.lon, "needs": tuple(self.needs or ()),
            "needs_match": self.needs_match, "open_now": self.open_now, "open_at": self.open_at,
            "free": self.free, "no_referral": self.no_referral,
            "radius_km": self.radius_km or settings.default_radius_km,
            "max_radius_km": settings.max_radius_km, "limit": self.limit,
        }  # fmt: skip


def cacheable_json(request: Request, model: NearbyAnswer, max_age: int) -> Response:
    """JSON with an ETag of the body; ``If-None-Match`` with that tag gives 304.

    The tag is weak (``W/``): the same answer may travel gzipped or not (``KIK_COMPRESS``),
    and a weak tag names the content, not its encoding.
    """
    body = model.model_dump_json().encode()
    etag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    asked = {
        tag.strip().removeprefix("W/")
        for tag in request.headers.get("if-none-match", "").split(",")
    }
    if etag.removeprefix("W/") in asked or "*" in asked:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@router.get(
    "/nearby",
    summary="Help near a postcode, place or point: places by distance with open status, and remote help",
    response_model=NearbyAnswer,
    responses={
        304: {"description": "Not modified (If-None-Match)"},
        400: {"model": ErrorBody},
        422: {
            "model": ErrorBody,
            "description": "Unknown place or postcode (with suggestions) or bad input",
        },
    },
)
def nearby(
    request: Request,
    query: NearbyQuery = Depends(),
    index: PlaceIndex = Depends(place_index),
    now: dt.datetime = Depends(clock),
) -> Response:
    settings: Settings = request.app.state.settings
    result = find_help(index, request.app.state.geocoder, **query.options(settings), now=now)
    return cacheable_json(request, nearby_answer(result), settings.cache_max_age)
