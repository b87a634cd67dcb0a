"""The registry's read API: organisations, locations and activities."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from api import present
from api.deps import get_session
from api.schemas import ActivityPublic, ErrorBody, LocationPublic, OrganisationPublic, PageOf
from data import store
from data.vocab import ACTIVITY_KINDS, NEEDS, SECTORS

router = APIRouter(prefix="/api/v1", tags=["registry"], responses={422: {"model": ErrorBody}})

PageNo = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1")]
PerPage = Annotated[int, Query(ge=1, le=500, description="Items per page")]
Sector = Literal[SECTORS]  # type: ignore[valid-type]
Need = Literal[NEEDS]  # type: ignore[valid-type]
Kind = Literal[ACTIVITY_KINDS]  # type: ignore[valid-type]


@router.get("/organisations", summary="Organisations, filtered by sector and partnership")
def organisations(
    session: Session = Depends(get_session),
    sector: Sector | None = None,
    partner: bool | None = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
    page: PageNo = 1,
    per_page: PerPage = 50,
) -> PageOf[OrganisationPublic]:
    result = store.list_organisations(session, sector=sector, partner=partner, search=search, page=page, per_page=per_page)
    return PageOf(items=[present.organisation(o) for o in result.items], total=result.total, page=page, per_page=per_page)


@router.get("/organisations/{ident}", summary="One organisation by id or slug", responses={404: {"model": ErrorBody}})
def organisation(ident: str, session: Session = Depends(get_session)) -> OrganisationPublic:
    return present.organisation(store.get_organisation(session, ident))


@router.get("/locations", summary="Locations with their offers, filtered by gemeente, need and partner")
def locations(
    session: Session = Depends(get_session),
    gemeente: Annotated[str | None, Query(max_length=60, description="CBS code (GM0114) or name")] = None,
    need: Annotated[list[Need] | None, Query(description="Repeatable; a location must serve all")] = None,
    partner: bool | None = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
    page: PageNo = 1,
    per_page: PerPage = 50,
) -> PageOf[LocationPublic]:
    result = store.list_locations(session, gemeente=gemeente, need=need, partner=partner, search=search, page=page, per_page=per_page)
    return PageOf(items=[present.location(x) for x in result.items], total=result.total, page=page, per_page=per_page)


@router.get("/locations/{ident}", summary="One location by id or slug", responses={404: {"model": ErrorBody}})
def location(ident: str, session: Session = Depends(get_session)) -> LocationPublic:
    return present.location(store.get_location(session, ident))


@router.get("/activities", summary="Joint activities with their participants", responses={404: {"model": ErrorBody}})
def activities(
    session: Session = Depends(get_session),
    kind: Kind | None = None,
    organisation: Annotated[str | None, Query(max_length=200, description="Organisation id or slug")] = None,
    page: PageNo = 1,
    per_page: PerPage = 50,
) -> PageOf[ActivityPublic]:
    result = store.list_activities(session, kind=kind, organisation=organisation, page=page, per_page=per_page)
    return PageOf(items=[present.activity(a) for a in result.items], total=result.total, page=page, per_page=per_page)
