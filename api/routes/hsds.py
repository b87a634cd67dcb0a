"""Read endpoints of the HSDS API (Open Referral HSDA 3.0), so HSDS tools can read us."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from api.deps import get_session
from api.schemas import ErrorBody
from data import hsds_query
from data.hsds import organization_doc, service_at_location_doc, service_doc

router = APIRouter(prefix="/hsds", tags=["hsds"], responses={422: {"model": ErrorBody}})

Search = Annotated[str | None, Query(max_length=100, description="Full text search.")]
PageNo = Annotated[int, Query(ge=1, le=100_000)]
PerPage = Annotated[int, Query(ge=1, le=500)]
Fmt = Annotated[str, Query(pattern="^(json|ndjson)$", description="json (paged) or ndjson (all, streamed)")]
#: The list routes answer ``format=ndjson`` with one JSON object per line: declared, so clients
#: (and the schema check) know this content type.
NDJSON: dict[int | str, dict[str, Any]] = {200: {"content": {"application/x-ndjson": {"schema": {"type": "string"}}},
                "description": "A page (json) or every item, one JSON object per line (ndjson)"}}


def _page(items: list[dict], total: int, page: int, per_page: int) -> dict:
    pages = max(1, -(-total // per_page))
    return {
        "total_items": total, "total_pages": pages, "page_number": page, "size": len(items),
        "first_page": page == 1, "last_page": page >= pages, "empty": total == 0, "contents": items,
    }


def _ndjson(docs: Iterator[dict]) -> StreamingResponse:
    return StreamingResponse((json.dumps(d, ensure_ascii=False) + "\n" for d in docs), media_type="application/x-ndjson")


@router.get("/", summary="Information about this API and its relation to HSDS")
def meta(request: Request) -> dict:
    base = str(request.base_url).rstrip("/")
    return {"version": "3.0", "profile": "https://docs.openreferral.org/en/latest/hsds/overview.html", "openapi_url": f"{base}/openapi.json"}


@router.get("/services", summary="Services (HSDS), paged or as NDJSON", responses=NDJSON)
def services(session: Session = Depends(get_session), search: Search = None,
             organization_id: Annotated[str | None, Query(max_length=64)] = None,
             page: PageNo = 1, per_page: PerPage = 50, format: Fmt = "json"):  # noqa: A002
    found = hsds_query.services(session, search=search, organization_id=organization_id)
    if format == "ndjson":
        return _ndjson(service_doc(s) for s in found.all())
    return _page([service_doc(s) for s in found.page(page, per_page)], found.total, page, per_page)


@router.get("/services/{ident}", summary="One service (HSDS)", responses={404: {"model": ErrorBody}})
def service(ident: str, session: Session = Depends(get_session)) -> dict:
    return service_doc(hsds_query.get_service(session, ident))


@router.get("/organizations", summary="Organizations (HSDS), paged or as NDJSON", responses=NDJSON)
def organizations(session: Session = Depends(get_session), search: Search = None,
                  page: PageNo = 1, per_page: PerPage = 50, format: Fmt = "json"):  # noqa: A002
    found = hsds_query.organizations(session, search=search)
    if format == "ndjson":
        return _ndjson(organization_doc(o) for o in found.all())
    return _page([organization_doc(o) for o in found.page(page, per_page)], found.total, page, per_page)


@router.get("/organizations/{ident}", summary="One organization (HSDS)", responses={404: {"model": ErrorBody}})
def organization(ident: str, session: Session = Depends(get_session)) -> dict:
    return organization_doc(hsds_query.get_organization(session, ident))


@router.get("/service_at_locations", summary="Services at locations (HSDS), near a postcode", responses=NDJSON)
def service_at_locations(request: Request, session: Session = Depends(get_session), search: Search = None,
                         postcode: Annotated[str | None, Query(max_length=10, description="Dutch postcode (PC4 or PC6)")] = None,
                         proximity: Annotated[float | None, Query(gt=0, le=300_000, description="Metres from the postcode's centroid")] = None,
                         page: PageNo = 1, per_page: PerPage = 50, format: Fmt = "json"):  # noqa: A002
    centre = request.app.state.geocoder.geocode(postcode) if postcode else None
    found = hsds_query.service_at_locations(session, search=search, centre=centre, proximity_m=proximity)
    if format == "ndjson":
        return _ndjson(service_at_location_doc(s) for s in found.all())
    return _page([service_at_location_doc(s) for s in found.page(page, per_page)], found.total, page, per_page)
