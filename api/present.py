"""Shaping storage objects into public answers (the confidential rule lives here once)."""

from __future__ import annotations

from api.schemas import (
    ActivityPublic,
    LocationPublic,
    OfficePublic,
    OrganisationPublic,
    ParticipantPublic,
    Provenance,
    ServicePublic,
)
from data.models import Activity, Location, Organisation, Service


def provenance(obj: object) -> Provenance:
    assured = getattr(obj, "assured_date", None)
    return Provenance(
        source=getattr(obj, "source", "") or "",
        source_seen=getattr(obj, "source_seen", None),
        assured_date=assured.isoformat() if assured else None,
        assured_by=getattr(obj, "assured_by", None),
    )


def organisation(org: Organisation) -> OrganisationPublic:
    office = org.office
    return OrganisationPublic(
        id=org.id, slug=org.slug, name=org.name, sector=org.sector, is_partner=org.is_partner,
        partner_since=org.partner_since, website=org.website, phone=org.phone, email=org.email,
        office=OfficePublic(
            id=office.id, place=office.place, gemeente_code=office.gemeente_code,
            gemeente_name=office.gemeente_name, latitude=office.latitude,
            longitude=office.longitude, precision=office.precision,
        ) if office else None,
        provenance=provenance(org),
    )


def service(s: Service) -> ServicePublic:
    return ServicePublic(
        id=s.id, name=s.name, kind=s.kind, description=s.description, needs=s.needs,
        kapitaalsvormen=list(s.kapitaalsvormen or []), free=s.free,
        referral_needed=s.referral_needed, languages=list(s.languages or []),
        eligibility=s.eligibility, opening_hours=s.opening_hours,
        opening_hours_text=s.opening_hours_text, service_area=list(s.service_area or []),
        url=s.url, email=s.email, phone=s.phone, provenance=provenance(s),
    )


def location(loc: Location) -> LocationPublic:
    hide = loc.confidential
    return LocationPublic(
        id=loc.id, slug=loc.slug, name=loc.name, organisation_id=loc.organisation_id,
        organisation=loc.organisation.name if loc.organisation else None,
        location_type=loc.location_type, address=None if hide else loc.address,
        postcode=None if hide else loc.postcode, place=loc.place,
        gemeente_code=loc.gemeente_code, gemeente_name=loc.gemeente_name,
        latitude=None if hide else loc.latitude, longitude=None if hide else loc.longitude,
        precision=None if hide else loc.precision, accessibility=loc.accessibility,
        transport=loc.transport, confidential=loc.confidential, contact_point=loc.contact_point,
        services=[service(s) for s in loc.services], provenance=provenance(loc),
    )


def activity(a: Activity) -> ActivityPublic:
    return ActivityPublic(
        id=a.id, slug=a.slug, kind=a.kind, name=a.name, description=a.description,
        place=a.place, start=a.start, end=a.end,
        participants=[
            ParticipantPublic(organisation_id=p.organisation_id, organisation=p.organisation.name, role=p.role)
            for p in sorted(a.participations, key=lambda p: (p.role != "lead", p.organisation.name))
        ],
        provenance=provenance(a),
    )
