"""Writing to and reading from the registry: upserts keyed on stable ids, filtered lists."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from data.db import bump_version
from data.errors import NotFound
from data.models import Activity, Location, Organisation, Service, ServiceNeed, stable_id
from data.validate import FlatRecord


def slugify(text: str) -> str:
    """ASCII, lower case, words joined by '-'.

    >>> slugify("Voedselbank Exloërmond (De Schakel)")
    'voedselbank-exloermond-de-schakel'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:120] or "x"


def unique_slug(session: Session, model: type, base: str, ident: str) -> str:
    """``base`` unless another record has it; then ``base-<first 6 of id>``."""
    owner = session.scalar(select(model.id).where(model.slug == base))  # type: ignore[attr-defined]
    return base if owner in (None, ident) else _suffixed(model, base, ident)


def _suffixed(model: type, base: str, ident: str) -> str:
    """``base-<first 6 of id>``, with ``base`` cut so that it still fits the slug column."""
    width = model.__table__.c.slug.type.length  # type: ignore[attr-defined]
    return f"{base[:width - 7]}-{ident[:6]}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: int = 0
    ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "organisations_created": self.organisations_created,
        }


def _assign(obj: object, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


class _Lookups:
    """Everything an upsert needs to look up, loaded in a few queries instead of per row."""

    def __init__(self, session: Session, records: list[FlatRecord]) -> None:
        ids = [r.service_id for r in records]
        query = select(Service).options(selectinload(Service.location), selectinload(Service.need_rows))
        if len(ids) <= 1000:
            query = query.where(Service.id.in_(ids))
        self.services = {s.id: s for s in session.scalars(query)}
        self.orgs = {o.name.casefold(): o for o in session.scalars(select(Organisation))}
        self.org_slugs = {o.slug: o.id for o in self.orgs.values()}
        self.location_slugs = {slug: ident for slug, ident in session.execute(select(Location.slug, Location.id))}

    @staticmethod
    def _unique(taken: dict[str, str], model: type, base: str, ident: str) -> str:
        slug = base if taken.get(base, ident) == ident else _suffixed(model, base, ident)
        taken[slug] = ident
        return slug

    def location_slug(self, base: str, ident: str) -> str:
        return self._unique(self.location_slugs, Location, base, ident)

    def organisation(self, session: Session, name: str, report: ImportReport) -> Organisation:
        key = name.strip().casefold()
        org = self.orgs.get(key)
        if org is None:
            ident = stable_id("organisation", name)
            org = Organisation(id=ident, slug=self._unique(self.org_slugs, Organisation, slugify(name), ident),
                               name=name.strip(), sector="other", source="import")
            session.add(org)
            self.orgs[key] = org
            report.organisations_created += 1
        return org


@dataclass
class _NewRows:
    """New records collected for bulk inserts (an ORM object per row is ~10x slower)."""

    locations: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    needs: list[dict[str, Any]] = field(default_factory=list)

    def write(self, session: Session) -> None:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        for model, rows in ((Location, self.locations), (Service, self.services), (ServiceNeed, self.needs)):
            for start in range(0, len(rows), 5000):
                chunk = rows[start : start + 5000]
                if model is not ServiceNeed:
                    chunk = [dict(r, created_at=now, updated_at=now) for r in chunk]
                session.connection().execute(model.__table__.insert(), chunk)  # type: ignore[attr-defined]


def _upsert_one(session: Session, rec: FlatRecord, look: _Lookups, new: _NewRows, report: ImportReport) -> None:
    org = look.orgs.get(rec.organisation.strip().casefold()) if rec.organisation else None
    org_id = org.id if org else None
    loc_values = dict(rec.location, organisation_id=org_id, **rec.provenance)
    svc_values = dict(
        rec.service, name=rec.name, kind=rec.kind, description=rec.description,
        kapitaalsvormen=rec.kapitaalsvormen, organisation_id=org_id, **rec.provenance,
    )
    service = look.services.get(rec.service_id)
    if service is None:
        base = slugify(f"{rec.name} {rec.location.get('place') or ''}")
        slug = look.location_slug(base, rec.location_id)
        new.locations.append(dict(loc_values, id=rec.location_id, slug=slug))
        new.services.append(dict(svc_values, id=rec.service_id, location_id=rec.location_id))
        new.needs += [{"service_id": rec.service_id, "need": n} for n in rec.needs]
        report.created += 1
        return
    changed = _assign(service.location, loc_values) if service.location else False
    changed = _assign(service, svc_values) or changed
    if service.needs != rec.needs:
        service.need_rows = [ServiceNeed(need=n) for n in rec.needs]
        changed = True
    if changed:
        report.updated += 1
    else:
        report.unchanged += 1


def upsert_flat(session: Session, records: list[FlatRecord]) -> ImportReport:
    """Create or update locations and services; identical data changes nothing.

    Updates go through the ORM (only changed values are written); new records are
    inserted in bulk. The data version is bumped once when anything changed.
    """
    report = ImportReport()
    look = _Lookups(session, records)
    new = _NewRows()
    with session.no_autoflush:
        for name in dict.fromkeys(r.organisation for r in records if r.organisation):
            look.organisation(session, name, report)
        # New organisations first: locations refer to them only by id.
        session.flush()
        for rec in records:
            _upsert_one(session, rec, look, new, report)
            report.ids.append(rec.service_id)
    session.flush()
    new.write(session)
    if report.created or report.organisations_created:
        bump_version(session)
    return report


# --- reading -----------------------------------------------------------------------


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int


def _paginate(session: Session, stmt: Select, page: int, per_page: int) -> Page:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def list_organisations(session: Session, *, sector: str | None = None, partner: bool | None = None,
                       search: str | None = None, page: int = 1, per_page: int = 50) -> Page:
    stmt = select(Organisation).options(selectinload(Organisation.office)).order_by(Organisation.name)
    if sector:
        stmt = stmt.where(Organisation.sector == sector)
    if partner is not None:
        stmt = stmt.where(Organisation.is_partner == partner)
    if search:
        stmt = stmt.where(func.lower(Organisation.name).contains(search.lower()))
    return _paginate(session, stmt, page, per_page)


def list_locations(session: Session, *, gemeente: str | None = None, need: list[str] | None = None,
                   partner: bool | None = None, search: str | None = None, page: int = 1,
                   per_page: int = 50) -> Page:
    """Locations (with their services), filtered by gemeente code or name, need and partner."""
    stmt = select(Location).options(
        selectinload(Location.services).selectinload(Service.need_rows),
        selectinload(Location.organisation),
    ).order_by(Location.name, Location.id)
    if gemeente:
        g = gemeente.strip()
        stmt = stmt.where((Location.gemeente_code == g.upper()) | (func.lower(Location.gemeente_name) == g.lower()))
    for n in need or []:
        stmt = stmt.where(Location.id.in_(
            select(Service.location_id).join(ServiceNeed).where(ServiceNeed.need == n)
        ))
    if partner is not None:
        stmt = stmt.join(Organisation, Location.organisation_id == Organisation.id).where(Organisation.is_partner == partner)
    if search:
        stmt = stmt.where(func.lower(Location.name).contains(search.lower()))
    return _paginate(session, stmt, page, per_page)


def get_location(session: Session, ident: str) -> Location:
    """A location by id or slug."""
    loc = session.get(Location, ident) or session.scalar(select(Location).where(Location.slug == ident))
    if loc is None:
        raise NotFound("locatie", ident)
    return loc


def get_organisation(session: Session, ident: str) -> Organisation:
    org = session.get(Organisation, ident) or session.scalar(select(Organisation).where(Organisation.slug == ident))
    if org is None:
        raise NotFound("organisatie", ident)
    return org


def list_activities(session: Session, *, kind: str | None = None, organisation: str | None = None,
                    page: int = 1, per_page: int = 50) -> Page:
    stmt = select(Activity).order_by(Activity.start, Activity.slug)
    if kind:
        stmt = stmt.where(Activity.kind == kind)
    if organisation:
        from data.models import Participation

        org = get_organisation(session, organisation)
        stmt = stmt.where(Activity.id.in_(select(Participation.activity_id).where(Participation.organisation_id == org.id)))
    return _paginate(session, stmt, page, per_page)
