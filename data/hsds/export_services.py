"""Export: a service as an HSDS ``service`` and ``service_at_location``; the whole registry.

`service_doc` nests its organisation and location as the HSDS API does; `export_json`
gives the four lists with links by id. Opening hours travel as schedules that carry the
original expression (see `data.hours.to_hsds_schedules`).

Organisations and locations are made in `data.hsds.export_places`; the tabular form
(CSV files) is `data.hsds.package`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import hours
from data.errors import InvalidOpeningHours
from data.hsds.common import GM_CODE, gemeenten
from data.hsds.export_fields import (
    attribute,
    field_attributes,
    phone_doc,
    provenance_metadata,
    put_if_valid,
)
from data.hsds.export_places import location_doc, organization_doc
from data.hsds.schemas import conforms
from data.models import Location, Organisation, Service, stable_id

FREE_TEXT = "Gratis."
NOT_FREE_TEXT = "Niet gratis: er zijn kosten."
REFERRAL_TEXT = "Alleen met een verwijzing (bijvoorbeeld van een hulpverlener of de huisarts)."
NO_REFERRAL_TEXT = "Geen verwijzing nodig."
TOOI_GEMEENTE = "https://identifier.overheid.nl/tooi/id/gemeente/"


def service_doc(service: Service, *, nested: bool = True) -> dict[str, Any]:
    """One service as an HSDS 3.0 ``service``.

    Parameters
    ----------
    service : Service
        The service (with its location and organisation loaded or loadable).
    nested : bool, default True
        Include ``organization`` and ``service_at_locations`` (with the location), as
        the HSDS API does; without, the service links to them by id only.

    Returns
    -------
    dict
        Valid against the compiled HSDS ``service`` schema.
    """
    link = ("service", service.id)
    doc: dict[str, Any] = {
        "id": service.id,
        "name": service.name,
        "description": service.description or "",
        "status": "active",
    }
    spill: dict[str, object] = {}
    if service.organisation_id:
        doc["organization_id"] = service.organisation_id
    put_if_valid(doc, spill, "url", service.url, "uri")
    put_if_valid(doc, spill, "email", service.email, "email")
    _access_terms(doc, service)
    _service_lists(doc, service, spill)
    fields = {
        "free": service.free,
        "referral_needed": service.referral_needed,
        "opening_hours_text": service.opening_hours_text,
        "assured_by": service.assured_by,
        **spill,
    }
    doc["attributes"] = [
        attribute(link, "kik-service-kinds", service.kind or "other"),
        *(attribute(link, "kik-needs", need) for need in service.needs),
        *(attribute(link, "kik-kapitaalsvormen", k) for k in service.kapitaalsvormen or []),
        *field_attributes(link, fields),
    ]
    doc["metadata"] = provenance_metadata(service, "service")
    if nested and service.organisation is not None:
        doc["organization"] = organization_doc(service.organisation)
    if nested and service.location is not None:
        doc["service_at_locations"] = [service_at_location_doc(service)]
    return doc


def _access_terms(doc: dict[str, Any], service: Service) -> None:
    """Eligibility, costs, referral and assurance in HSDS's own (human) fields."""
    if service.eligibility:
        doc["eligibility_description"] = service.eligibility
    if service.free is not None:
        doc["fees_description"] = FREE_TEXT if service.free else NOT_FREE_TEXT
    if service.free:
        doc["cost_options"] = [
            {
                "id": stable_id("cost_option", service.id),
                "service_id": service.id,
                "option": "Gratis",
                "currency": "EUR",
                "amount": 0,
            }
        ]
    if service.referral_needed is not None:
        doc["application_process"] = REFERRAL_TEXT if service.referral_needed else NO_REFERRAL_TEXT
    if service.assured_date:
        doc["assured_date"] = service.assured_date.isoformat()
    if service.assured_by and conforms(service.assured_by, "email"):
        doc["assurer_email"] = service.assured_by


def _service_lists(doc: dict[str, Any], service: Service, spill: dict[str, object]) -> None:
    if service.phone:
        doc["phones"] = [phone_doc(service.phone, "service", service.id)]
    if service.opening_hours:
        try:
            doc["schedules"] = hours.to_hsds_schedules(service.opening_hours, service_id=service.id)
        except InvalidOpeningHours:
            spill["opening_hours"] = service.opening_hours
    if service.languages:
        doc["languages"] = [
            {"id": stable_id("language", service.id, code), "service_id": service.id, "code": code}
            for code in service.languages
        ]
    if service.service_area:
        doc["service_areas"] = [_service_area(service.id, code) for code in service.service_area]


def _service_area(service_id: str, code: str) -> dict[str, Any]:
    gemeente = gemeenten().get(code)
    area = {
        "id": stable_id("service_area", service_id, code),
        "service_id": service_id,
        "name": gemeente[0] if gemeente else code,
        "description": f"Gemeente met CBS-code {code}",
    }
    if GM_CODE.fullmatch(code):
        area["uri"] = TOOI_GEMEENTE + code.lower()
    return area


def service_at_location_doc(service: Service, *, nested: bool = True) -> dict[str, Any]:
    """The link of a service to its location as an HSDS 3.0 ``service_at_location``.

    Raises
    ------
    ValueError
        If the service has no location.
    """
    if service.location_id is None:
        raise ValueError(f"service {service.id} has no location")
    doc: dict[str, Any] = {
        "id": stable_id("service_at_location", service.id),
        "service_id": service.id,
        "location_id": service.location_id,
    }
    if nested and service.location is not None:
        doc["location"] = location_doc(service.location)
    return doc


def export_json(session: Session) -> dict[str, Any]:
    """The whole registry as HSDS 3.0 lists, each object valid on its own.

    Returns
    -------
    dict
        ``{"organizations", "services", "locations", "service_at_locations"}``, sorted
        by id; services link to organisations and locations by id (not nested).
    """
    orgs = session.scalars(select(Organisation).order_by(Organisation.id)).all()
    locations = session.scalars(select(Location).order_by(Location.id)).all()
    services = session.scalars(select(Service).order_by(Service.id)).all()
    return {
        "organizations": [organization_doc(o) for o in orgs],
        "services": [service_doc(s, nested=False) for s in services],
        "locations": [location_doc(loc) for loc in locations],
        "service_at_locations": [
            service_at_location_doc(s, nested=False) for s in services if s.location_id
        ],
    }
