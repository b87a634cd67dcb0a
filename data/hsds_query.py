"""Queries behind the HSDS read API: search, organisation filter and postcode proximity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from data.errors import NotFound
from data.models import Location, Organisation, Service

T = TypeVar("T")


class _Point(Protocol):
    lat: float
    lon: float


@dataclass
class Found(Generic[T]):
    """A query's matches: ``total`` counted in the database, pages fetched on demand."""

    session: Session
    stmt: Select
    total: int
    rows: Sequence[T] | None = None

    def page(self, page: int, per_page: int) -> list[T]:
        if self.rows is not None:
            return list(self.rows[(page - 1) * per_page : page * per_page])
        return list(self.session.scalars(self.stmt.limit(per_page).offset((page - 1) * per_page)))

    def all(self) -> list[T]:
        return list(self.rows) if self.rows is not None else list(self.session.scalars(self.stmt))


def _count(session: Session, stmt: Select) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def _service_stmt(search: str | None) -> Select[Any]:
    stmt = select(Service).options(
        selectinload(Service.location), selectinload(Service.organisation), selectinload(Service.need_rows)
    ).order_by(Service.name, Service.id)
    if search:
        like = f"%{search.lower()}%"
        stmt = stmt.where(or_(func.lower(Service.name).like(like), func.lower(Service.description).like(like)))
    return stmt


def services(session: Session, *, search: str | None = None, organization_id: str | None = None) -> Found[Service]:
    stmt = _service_stmt(search)
    if organization_id:
        stmt = stmt.where(Service.organisation_id == organization_id)
    return Found(session, stmt, _count(session, stmt))


def get_service(session: Session, ident: str) -> Service:
    found = session.get(Service, ident)
    if found is None:
        raise NotFound("service", ident)
    return found


def organizations(session: Session, *, search: str | None = None) -> Found[Organisation]:
    stmt = select(Organisation).options(selectinload(Organisation.office)).order_by(Organisation.name)
    if search:
        stmt = stmt.where(func.lower(Organisation.name).like(f"%{search.lower()}%"))
    return Found(session, stmt, _count(session, stmt))


def get_organization(session: Session, ident: str) -> Organisation:
    found = session.get(Organisation, ident)
    if found is None:
        raise NotFound("organization", ident)
    return found


def service_at_locations(session: Session, *, search: str | None = None, centre: _Point | None = None,
                         proximity_m: float | None = None) -> Found[Service]:
    """Services with a location; near ``centre`` (within ``proximity_m``, nearest first).

    A postcode without proximity keeps services whose service area covers the postcode's
    gemeente (HSDS: "only return results where the postcode exists within the service_area").
    """
    stmt = _service_stmt(search).where(Service.location_id.is_not(None))
    if centre is None:
        return Found(session, stmt, _count(session, stmt))
    from data.reference import distance_m

    rows = []
    for s in session.scalars(stmt.join(Location, Service.location_id == Location.id)):
        loc = s.location
        if proximity_m is not None:
            if loc is None or loc.latitude is None or loc.longitude is None or loc.confidential:
                continue
            d = distance_m(centre.lat, centre.lon, loc.latitude, loc.longitude)
            if d <= proximity_m:
                rows.append((d, s))
        else:
            # A point outside Groningen/Drenthe (no gemeente) lies in no service area.
            code = getattr(centre, "gemeente_code", None)
            if code is not None and (code in (s.service_area or []) or (loc and loc.gemeente_code == code)):
                rows.append((0.0, s))
    rows.sort(key=lambda r: (r[0], r[1].name, r[1].id))
    return Found(session, stmt, len(rows), [s for _, s in rows])
