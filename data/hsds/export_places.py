"""Export: an organisation as an HSDS ``organization``, a location as a ``location``.

A confidential location never shows its street, postcode, place, coordinates, transport
or accessibility text; its description and contact name the contact point. A point
always carries its precision (``kik-precision``), and an HSDS ``address`` is only given
when the street is known.

Services, whole-registry lists and files are not made here (`data.hsds.export_services`,
`data.hsds.package`).
"""

from __future__ import annotations

import re
from typing import Any

from data.hsds.common import EMAIL, gemeenten
from data.hsds.export_fields import (
    assurance,
    attribute,
    field_attributes,
    phone_doc,
    provenance_metadata,
    put_if_valid,
)
from data.models import Location, Organisation, stable_id

CONFIDENTIAL_TEXT = "Vertrouwelijk adres: het adres wordt niet gedeeld. Contact: {contact}"

_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{7,18}[0-9]$")


def organization_doc(org: Organisation) -> dict[str, Any]:
    """One organisation as an HSDS 3.0 ``organization``.

    Sector, partnership, slug, office location and assurance travel as attributes.
    """
    link = ("organization", org.id)
    doc: dict[str, Any] = {"id": org.id, "name": org.name, "description": org.description or ""}
    spill: dict[str, object] = {}
    put_if_valid(doc, spill, "email", org.email, "email")
    put_if_valid(doc, spill, "website", org.website, "uri")
    if org.phone:
        doc["phones"] = [phone_doc(org.phone, "organization", org.id)]
    fields = {
        "slug": org.slug,
        "is_partner": bool(org.is_partner),
        "partner_since": org.partner_since,
        "office_location_id": org.office_location_id,
        **assurance(org),
        **spill,
    }
    doc["attributes"] = [
        attribute(link, "kik-sectors", org.sector or "other"),
        *field_attributes(link, fields),
    ]
    doc["metadata"] = provenance_metadata(org, "organization")
    return doc


def location_doc(loc: Location) -> dict[str, Any]:
    """One location as an HSDS 3.0 ``location``.

    A confidential location gives no address, postcode, place, coordinates, transport or
    accessibility text: only its name, gemeente and contact point.
    """
    link = ("location", loc.id)
    doc: dict[str, Any] = {
        "id": loc.id,
        "location_type": loc.location_type or "physical",
        "name": loc.name,
    }
    if loc.organisation_id:
        doc["organization_id"] = loc.organisation_id
    fields: dict[str, object] = {
        "slug": loc.slug,
        "gemeente_code": loc.gemeente_code,
        "gemeente_name": loc.gemeente_name,
    }
    attributes: list[dict[str, Any]] = []
    if loc.confidential:
        fields.update(confidential=True, contact_point=loc.contact_point)
        _confidential_contact(doc, loc)
    else:
        attributes = _public_place(doc, loc, fields)
    fields.update(assurance(loc))
    doc["attributes"] = [*attributes, *field_attributes(link, fields)]
    doc["metadata"] = provenance_metadata(loc, "location")
    return doc


def _public_place(
    doc: dict[str, Any], loc: Location, fields: dict[str, object]
) -> list[dict[str, Any]]:
    attributes = []
    if loc.latitude is not None and loc.longitude is not None:
        doc["latitude"], doc["longitude"] = loc.latitude, loc.longitude
        if loc.precision:
            attributes.append(attribute(("location", loc.id), "kik-precision", loc.precision))
    if loc.address:
        doc["addresses"] = [_address(loc)]
    else:
        fields.update(postcode=loc.postcode, place=loc.place)
    if loc.transport:
        doc["transportation"] = loc.transport
    if loc.accessibility:
        doc["accessibility"] = [
            {
                "id": stable_id("accessibility", loc.id),
                "location_id": loc.id,
                "description": loc.accessibility,
            }
        ]
    return attributes


def _address(loc: Location) -> dict[str, Any]:
    gemeente = gemeenten().get(loc.gemeente_code or "")
    address = {
        "id": stable_id("address", loc.id),
        "location_id": loc.id,
        "address_1": loc.address or "",
        "city": loc.place or "",
        "state_province": gemeente[1] if gemeente else "",
        "postal_code": loc.postcode or "",
        "country": "NL",
        "address_type": "physical",
    }
    if loc.gemeente_name:
        address["region"] = loc.gemeente_name
    return address


def _confidential_contact(doc: dict[str, Any], loc: Location) -> None:
    point = (loc.contact_point or "").strip()
    doc["description"] = CONFIDENTIAL_TEXT.format(contact=point or "via de organisatie")
    contact: dict[str, Any] = {
        "id": stable_id("contact", loc.id),
        "location_id": loc.id,
        "name": "Contactpunt",
    }
    if EMAIL.match(point):
        contact["email"] = point
    elif _PHONE.match(point):
        contact["phones"] = [
            {
                "id": stable_id("phone", "contact", loc.id),
                "contact_id": contact["id"],
                "number": point,
            }
        ]
    doc["contacts"] = [contact]
