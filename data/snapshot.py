"""Read-only, plain-Python snapshots of the registry for the domain packages.

kaart/ and netwerk/ compute on these frozen records, never on ORM objects, so their
functions are pure and cacheable per data version.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data.models import Activity, DataVersion, Organisation, Relation, Service


@dataclass(frozen=True)
class OrgNode:
    """An organisation as a node of the collaboration graph."""

    id: str
    slug: str
    name: str
    sector: str
    is_partner: bool
    partner_since: int | None
    gemeente_code: str | None
    gemeente_name: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class ActivityRecord:
    """A joint activity; ``participants`` holds ``(organisation id, role)`` pairs."""

    id: str
    slug: str
    kind: str
    name: str
    place: str | None
    start: str | None  # partial ISO date: "2021", "2021-03" or "2021-03-15"
    end: str | None
    source: str
    participants: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class RelationRecord:
    """An explicit tie between organisations ``a`` and ``b`` (ids)."""

    id: str
    a: str
    b: str
    kind: str
    since: str | None
    until: str | None
    strength: float
    source: str


@dataclass(frozen=True)
class NetworkSnapshot:
    version: int
    organisations: tuple[OrgNode, ...]
    activities: tuple[ActivityRecord, ...]
    relations: tuple[RelationRecord, ...]


@dataclass(frozen=True)
class PlaceRecord:
    """One offer at one location, flattened for search and display."""

    service_id: str
    location_id: str
    slug: str
    name: str
    organisation: str | None
    kind: str
    description: str
    needs: tuple[str, ...]
    kapitaalsvormen: tuple[str, ...]
    free: bool | None
    referral_needed: bool | None
    languages: tuple[str, ...]
    eligibility: str | None
    opening_hours: str | None
    opening_hours_text: str | None
    phone: str | None
    email: str | None
    url: str | None
    location_type: str
    address: str | None
    postcode: str | None
    place: str | None
    gemeente_code: str | None
    gemeente_name: str | None
    service_area: tuple[str, ...]
    lat: float | None
    lon: float | None
    precision: str | None
    accessibility: str | None
    transport: str | None
    confidential: bool
    contact_point: str | None
    source: str
    source_seen: str | None
    assured_date: str | None
    assured_by: str | None


@dataclass(frozen=True)
class PlacesSnapshot:
    version: int
    places: tuple[PlaceRecord, ...]


def data_version(session: Session) -> int:
    row = session.get(DataVersion, 1)
    return row.version if row else 0


def _org_node(org: Organisation) -> OrgNode:
    office = org.office
    return OrgNode(
        id=org.id,
        slug=org.slug,
        name=org.name,
        sector=org.sector,
        is_partner=org.is_partner,
        partner_since=org.partner_since,
        gemeente_code=office.gemeente_code if office else None,
        gemeente_name=office.gemeente_name if office else None,
        lat=office.latitude if office else None,
        lon=office.longitude if office else None,
    )


def load_network(session: Session) -> NetworkSnapshot:
    """Snapshot of organisations, activities with participants, and relations."""
    orgs = session.scalars(
        select(Organisation).options(selectinload(Organisation.office)).order_by(Organisation.name)
    ).all()
    acts = session.scalars(select(Activity).order_by(Activity.start, Activity.slug)).all()
    rels = session.scalars(select(Relation).order_by(Relation.id)).all()
    return NetworkSnapshot(
        version=data_version(session),
        organisations=tuple(_org_node(o) for o in orgs),
        activities=tuple(
            ActivityRecord(
                id=a.id, slug=a.slug, kind=a.kind, name=a.name, place=a.place,
                start=a.start, end=a.end, source=a.source,
                participants=tuple(
                    sorted((p.organisation_id, p.role) for p in a.participations)
                ),
            )
            for a in acts
        ),
        relations=tuple(
            RelationRecord(
                id=r.id, a=r.org_a_id, b=r.org_b_id, kind=r.kind, since=r.since,
                until=r.until, strength=r.strength, source=r.source,
            )
            for r in rels
        ),
    )


def _place_record(s: Service) -> PlaceRecord:
    loc = s.location
    assert loc is not None
    return PlaceRecord(
        service_id=s.id, location_id=loc.id, slug=loc.slug, name=s.name,
        organisation=s.organisation.name if s.organisation else None, kind=s.kind,
        description=s.description, needs=tuple(s.needs),
        kapitaalsvormen=tuple(s.kapitaalsvormen or ()), free=s.free,
        referral_needed=s.referral_needed, languages=tuple(s.languages or ()),
        eligibility=s.eligibility, opening_hours=s.opening_hours,
        opening_hours_text=s.opening_hours_text, phone=s.phone, email=s.email, url=s.url,
        location_type=loc.location_type, address=loc.address, postcode=loc.postcode,
        place=loc.place, gemeente_code=loc.gemeente_code, gemeente_name=loc.gemeente_name,
        service_area=tuple(s.service_area or ()), lat=loc.latitude, lon=loc.longitude,
        precision=loc.precision, accessibility=loc.accessibility, transport=loc.transport,
        confidential=loc.confidential, contact_point=loc.contact_point, source=s.source,
        source_seen=s.source_seen,
        assured_date=s.assured_date.isoformat() if s.assured_date else None,
        assured_by=s.assured_by,
    )


def load_places(session: Session) -> PlacesSnapshot:
    """Snapshot of every offer with its location (the residents' search works on this)."""
    services = session.scalars(
        select(Service)
        .where(Service.location_id.is_not(None))
        .options(selectinload(Service.location), selectinload(Service.organisation))
        .order_by(Service.name, Service.id)
    ).all()
    return PlacesSnapshot(
        version=data_version(session), places=tuple(_place_record(s) for s in services)
    )
