"""Open Referral HSDS 3.0: the registry as HSDS documents and data packages, and back.

Export
------
`organization_doc`, `location_doc`, `service_doc` and `service_at_location_doc` give one
HSDS object each; `export_json` gives the four lists; `export_datapackage` and
`export_datapackage_zip` give the tabular form (one CSV per table of
``simple/schema.csv`` plus a Frictionless ``datapackage.json``).

Fields HSDS has no place for travel as ``attributes`` with a taxonomy term from one of our
taxonomies (`TAXONOMIES`; ids are ``stable_id`` of taxonomy and code, so they never
change): needs, kapitaalsvormen, service kind, sector, the precision of a point, and
``kik-fields`` (one term per field name, the value in ``attribute.value``). Provenance
(source, source_seen) travels as ``metadata``. Opening hours travel as schedules that
carry the original expression (see `data.hours.to_hsds_schedules`).

Two rules protect people and readers:

- A confidential location never shows its street, postcode, place, coordinates,
  transport or accessibility text; its description and contact name the contact point.
- A point always carries its precision (``kik-precision``: address, postcode or place),
  so a postcode centroid never passes for an address. An HSDS ``address`` is only given
  when the street is known; a postcode or place alone travels in ``kik-fields``.

Import
------
`import_json` and `import_datapackage` read HSDS from any producer. Only organization,
service, location, service_at_location, address, phone and schedule are needed (with
attribute, taxonomy_term, taxonomy, metadata, language, service_area, accessibility and
cost_option read when present); other tables and unknown fields are ignored with a note.
Every problem is collected as a `RowError` (row = position in its table, 1 = first;
field = ``table.field``) and reported together; nothing is added to the session then.
Importing the same data again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import math
import re
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from data import hours
from data.errors import ImportFailed, InvalidOpeningHours, RowError
from data.models import Location, Organisation, Service, ServiceNeed, stable_id
from data.store import ImportReport, slugify, unique_slug
from data.validate import MAX_SHORT, MAX_TEXT, NL_LAT, NL_LON, Locator, normalise_postcode
from data.vocab import KAPITAALSVORMEN, NEED_KAPITAAL, NEEDS, PRECISIONS, SECTORS, SERVICE_KINDS

SCHEMA_DIR = Path(__file__).parent / "sources" / "hsds" / "schema"
PRODUCER = "Kracht in Kaart"
PACKAGE_NAME = "kracht-in-kaart-hsds"

#: Our taxonomies: name -> (description, attribute link_type).
TAXONOMIES: dict[str, tuple[str, str]] = {
    "kik-needs": ("Behoeften waarvoor mensen bij dit aanbod terecht kunnen (Kracht in Kaart)", "need"),
    "kik-kapitaalsvormen": ("Kapitaalsvormen die dit aanbod versterkt (Kracht in Kaart)", "kapitaalsvorm"),
    "kik-service-kinds": ("Soort warmtebron of aanbod (Kracht in Kaart)", "service_type"),
    "kik-sectors": ("Sector van de organisatie (Kracht in Kaart)", "sector"),
    "kik-precision": ("Hoe precies het punt van de locatie bekend is (Kracht in Kaart)", "precision"),
    "kik-fields": (
        "Gegevens van Kracht in Kaart zonder eigen HSDS-veld; de waarde staat in attribute.value",
        "field",
    ),
}
_PRECISION_TEXT = {
    "address": "Het punt ligt op het adres zelf.",
    "postcode": "Het punt is het midden van het postcodegebied, geen adres.",
    "place": "Het punt is het midden van de plaats, geen adres.",
}
CONFIDENTIAL_TEXT = "Vertrouwelijk adres: het adres wordt niet gedeeld. Contact: {contact}"
FREE_TEXT = "Gratis."
NOT_FREE_TEXT = "Niet gratis: er zijn kosten."
REFERRAL_TEXT = "Alleen met een verwijzing (bijvoorbeeld van een hulpverlener of de huisarts)."
NO_REFERRAL_TEXT = "Geen verwijzing nodig."
TOOI_GEMEENTE = "https://identifier.overheid.nl/tooi/id/gemeente/"

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[a-z]{2,}$", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*$", re.I)
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{7,18}[0-9]$")
_GM = re.compile(r"\bgm(\d{4})\b", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"<\s*/?\s*[a-z!][^>]*>", re.I)
_SCRIPT = re.compile(r"javascript:|\bon[a-z]+\s*=", re.I)
_TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:Z|[+-]\d\d:\d\d)?$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MAX_PACKAGE_BYTES = 100 * 1024 * 1024


# --- schemas and formats -----------------------------------------------------------


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not value or any(c.isspace() for c in value) or any(c in value for c in '<>"'):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return bool(_SCHEME.match(parts.scheme)) and bool(parts.netloc or parts.path)


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


def format_checker() -> FormatChecker:
    """A format checker for HSDS: jsonschema's own plus ``uri`` and a stricter ``email``.

    Examples
    --------
    >>> checker = format_checker()
    >>> checker.conforms("https://example.nl/x", "uri"), checker.conforms("www.x", "uri")
    (True, False)
    >>> checker.conforms("not-a-uuid", "uuid")
    False
    """
    checker = FormatChecker()
    checker.checks("uri")(_is_uri)
    checker.checks("email")(_is_email)
    return checker


@lru_cache(maxsize=1)
def _checker() -> FormatChecker:
    return format_checker()


def _conforms(value: str, fmt: str) -> bool:
    return _checker().conforms(value, fmt)


@lru_cache(maxsize=8)
def compiled_schema(kind: str) -> dict[str, Any]:
    """The self-contained HSDS 3.0 schema of ``kind`` (organization, service,
    service_at_location or location, the last taken from service_at_location)."""
    if kind == "location":
        return compiled_schema("service_at_location")["properties"]["location"]
    if kind not in ("organization", "service", "service_at_location"):
        raise ValueError(f"no compiled HSDS schema for {kind!r}")
    return json.loads((SCHEMA_DIR / "compiled" / f"{kind}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _compiled_validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(compiled_schema(kind), format_checker=_checker())


def document_errors(kind: str, doc: Mapping[str, Any]) -> list[str]:
    """Every way ``doc`` breaks the compiled HSDS schema of ``kind`` (empty when valid)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in _compiled_validator(kind).iter_errors(doc)
    ]


@lru_cache(maxsize=1)
def table_columns() -> dict[str, list[dict[str, str]]]:
    """The tables of the HSDS tabular form and their columns, from ``simple/schema.csv``."""
    tables: dict[str, list[dict[str, str]]] = {}
    with (SCHEMA_DIR / "simple" / "schema.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            tables.setdefault(row["table_name"], [])
            if row["type"] in ("string", "number"):
                tables[row["table_name"]].append(row)
    return tables


@lru_cache(maxsize=1)
def _table_aliases() -> dict[str, str]:
    """File stems and document keys that name a table: ``organization``, ``organizations``."""
    tabular = json.loads((SCHEMA_DIR / "compiled" / "tabular.json").read_text(encoding="utf-8"))
    aliases = {name: name for name in table_columns()}
    for name, prop in tabular["properties"].items():
        aliases[Path(prop["items"]["path"]).stem] = name
    return aliases | {
        "contents": "service", "taxonomy_terms": "taxonomy_term",
        "service_at_locations": "service_at_location",
    }


@lru_cache(maxsize=32)
def _row_validator(table: str) -> Draft202012Validator:
    """Validates the plain (non-nested) fields of one row of ``table``."""
    schema = json.loads((SCHEMA_DIR / f"{table}.json").read_text(encoding="utf-8"))
    props = {k: v for k, v in schema["properties"].items() if v.get("type") in ("string", "number")}
    required = [name for name in schema.get("required", []) if name in props]
    return Draft202012Validator(
        {"type": "object", "properties": props, "required": required}, format_checker=_checker()
    )


@lru_cache(maxsize=1)
def _gemeenten() -> dict[str, tuple[str, str]]:
    """Gemeente code -> (name, provincie) of the shipped reference data."""
    from data.reference import load_gemeenten

    return {g.code: (g.name, g.provincie) for g in load_gemeenten()}


# --- export: building blocks -------------------------------------------------------


def _term(taxonomy: str, code: str) -> dict[str, Any]:
    description = _PRECISION_TEXT.get(code) if taxonomy == "kik-precision" else None
    return {
        "id": stable_id("taxonomy_term", taxonomy, code),
        "code": code,
        "name": code,
        "description": description or f"{TAXONOMIES[taxonomy][0]}: {code}",
        "taxonomy": taxonomy,
        "taxonomy_id": stable_id("taxonomy", taxonomy),
    }


def _attribute(link: tuple[str, str], taxonomy: str, code: str, value: str | None = None) -> dict[str, Any]:
    entity, link_id = link
    term = _term(taxonomy, code)
    attribute = {
        "id": stable_id("attribute", link_id, taxonomy, code),
        "link_id": link_id,
        "link_type": TAXONOMIES[taxonomy][1],
        "link_entity": entity,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }
    if value is not None:
        attribute["value"] = value
    return attribute


def _field_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _field_attributes(link: tuple[str, str], values: Mapping[str, object]) -> list[dict[str, Any]]:
    return [
        _attribute(link, "kik-fields", name, _field_value(value))
        for name, value in values.items()
        if value not in (None, "")
    ]


def _metadata(record: Organisation | Location | Service, entity: str) -> list[dict[str, Any]]:
    seen = record.source_seen or ""
    return [
        {
            "id": stable_id("metadata", record.id, name),
            "resource_id": record.id,
            "resource_type": entity,
            "last_action_date": seen,
            "last_action_type": "provenance",
            "field_name": name,
            "previous_value": "",
            "replacement_value": value,
            "updated_by": PRODUCER,
        }
        for name, value in (("source", record.source or ""), ("source_seen", seen))
    ]


def _assurance(record: Organisation | Location | Service) -> dict[str, object]:
    return {"assured_date": record.assured_date, "assured_by": record.assured_by}


def _put(doc: dict[str, Any], spill: dict[str, object], key: str, value: str | None, fmt: str) -> None:
    """``doc[key] = value`` when HSDS accepts the format; else keep it in ``spill``."""
    if not value:
        return
    if _conforms(value, fmt):
        doc[key] = value
    else:
        spill[key] = value


def _phone(number: str, entity: str, owner_id: str) -> dict[str, Any]:
    return {"id": stable_id("phone", entity, owner_id), f"{entity}_id": owner_id, "number": number}


# --- export: documents -------------------------------------------------------------


def organization_doc(org: Organisation) -> dict[str, Any]:
    """One organisation as an HSDS 3.0 ``organization``.

    Sector, partnership, slug, office location and assurance travel as attributes.
    """
    link = ("organization", org.id)
    doc: dict[str, Any] = {"id": org.id, "name": org.name, "description": org.description or ""}
    spill: dict[str, object] = {}
    _put(doc, spill, "email", org.email, "email")
    _put(doc, spill, "website", org.website, "uri")
    if org.phone:
        doc["phones"] = [_phone(org.phone, "organization", org.id)]
    fields = {
        "slug": org.slug, "is_partner": bool(org.is_partner), "partner_since": org.partner_since,
        "office_location_id": org.office_location_id, **_assurance(org), **spill,
    }
    doc["attributes"] = [
        _attribute(link, "kik-sectors", org.sector or "other"),
        *_field_attributes(link, fields),
    ]
    doc["metadata"] = _metadata(org, "organization")
    return doc


def location_doc(loc: Location) -> dict[str, Any]:
    """One location as an HSDS 3.0 ``location``.

    A confidential location gives no address, postcode, place, coordinates, transport or
    accessibility text: only its name, gemeente and contact point.
    """
    link = ("location", loc.id)
    doc: dict[str, Any] = {"id": loc.id, "location_type": loc.location_type or "physical", "name": loc.name}
    if loc.organisation_id:
        doc["organization_id"] = loc.organisation_id
    fields: dict[str, object] = {
        "slug": loc.slug, "gemeente_code": loc.gemeente_code, "gemeente_name": loc.gemeente_name,
    }
    attributes: list[dict[str, Any]] = []
    if loc.confidential:
        fields.update(confidential=True, contact_point=loc.contact_point)
        _confidential_contact(doc, loc)
    else:
        attributes = _public_place(doc, loc, fields)
    fields.update(_assurance(loc))
    doc["attributes"] = [*attributes, *_field_attributes(link, fields)]
    doc["metadata"] = _metadata(loc, "location")
    return doc


def _public_place(doc: dict[str, Any], loc: Location, fields: dict[str, object]) -> list[dict[str, Any]]:
    attributes = []
    if loc.latitude is not None and loc.longitude is not None:
        doc["latitude"], doc["longitude"] = loc.latitude, loc.longitude
        if loc.precision:
            attributes.append(_attribute(("location", loc.id), "kik-precision", loc.precision))
    if loc.address:
        doc["addresses"] = [_address(loc)]
    else:
        fields.update(postcode=loc.postcode, place=loc.place)
    if loc.transport:
        doc["transportation"] = loc.transport
    if loc.accessibility:
        doc["accessibility"] = [
            {"id": stable_id("accessibility", loc.id), "location_id": loc.id, "description": loc.accessibility}
        ]
    return attributes


def _address(loc: Location) -> dict[str, Any]:
    gemeente = _gemeenten().get(loc.gemeente_code or "")
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
    contact: dict[str, Any] = {"id": stable_id("contact", loc.id), "location_id": loc.id, "name": "Contactpunt"}
    if _EMAIL.match(point):
        contact["email"] = point
    elif _PHONE.match(point):
        contact["phones"] = [{"id": stable_id("phone", "contact", loc.id), "contact_id": contact["id"], "number": point}]
    doc["contacts"] = [contact]


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
        "id": service.id, "name": service.name, "description": service.description or "", "status": "active",
    }
    spill: dict[str, object] = {}
    if service.organisation_id:
        doc["organization_id"] = service.organisation_id
    _put(doc, spill, "url", service.url, "uri")
    _put(doc, spill, "email", service.email, "email")
    _access_terms(doc, service)
    _service_lists(doc, service, spill)
    fields = {
        "free": service.free, "referral_needed": service.referral_needed,
        "opening_hours_text": service.opening_hours_text, "assured_by": service.assured_by, **spill,
    }
    doc["attributes"] = [
        _attribute(link, "kik-service-kinds", service.kind or "other"),
        *(_attribute(link, "kik-needs", need) for need in service.needs),
        *(_attribute(link, "kik-kapitaalsvormen", k) for k in service.kapitaalsvormen or []),
        *_field_attributes(link, fields),
    ]
    doc["metadata"] = _metadata(service, "service")
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
        doc["cost_options"] = [{
            "id": stable_id("cost_option", service.id), "service_id": service.id,
            "option": "Gratis", "currency": "EUR", "amount": 0,
        }]
    if service.referral_needed is not None:
        doc["application_process"] = REFERRAL_TEXT if service.referral_needed else NO_REFERRAL_TEXT
    if service.assured_date:
        doc["assured_date"] = service.assured_date.isoformat()
    if service.assured_by and _conforms(service.assured_by, "email"):
        doc["assurer_email"] = service.assured_by


def _service_lists(doc: dict[str, Any], service: Service, spill: dict[str, object]) -> None:
    if service.phone:
        doc["phones"] = [_phone(service.phone, "service", service.id)]
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
    gemeente = _gemeenten().get(code)
    area = {
        "id": stable_id("service_area", service_id, code),
        "service_id": service_id,
        "name": gemeente[0] if gemeente else code,
        "description": f"Gemeente met CBS-code {code}",
    }
    if _GM.fullmatch(code):
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
        "service_at_locations": [service_at_location_doc(s, nested=False) for s in services if s.location_id],
    }


# --- documents <-> tables ----------------------------------------------------------

_CHILD_TABLES = {
    "phones": "phone", "schedules": "schedule", "languages": "language",
    "service_areas": "service_area", "attributes": "attribute", "metadata": "metadata",
    "addresses": "address", "accessibility": "accessibility", "contacts": "contact",
    "cost_options": "cost_option", "service_at_locations": "service_at_location",
    "location": "location", "locations": "location", "organization": "organization",
    "taxonomy_term": "taxonomy_term", "taxonomy_detail": "taxonomy", "funding": "funding",
    "fundings": "funding", "program": "program", "programs": "program",
    "required_documents": "required_document", "organization_identifiers": "organization_identifier",
}
#: A nested object replaced by a link: key -> the link field on the parent.
_LINK_FIELDS = {
    "organization": "organization_id", "location": "location_id", "program": "program_id",
    "taxonomy_term": "taxonomy_term_id", "taxonomy_detail": "taxonomy_id",
}


@dataclass
class _Tables:
    """Rows per table (each with ``_row``: its position in the table, 1 = first)."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    _index: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def add(self, table: str, row: dict[str, Any], number: int | None = None) -> None:
        rows = self.rows.setdefault(table, [])
        row = {k: _canonical_id(k, v) for k, v in row.items()}
        row["_row"] = number if number is not None else len(rows) + 1
        ident = row.get("id")
        seen = self._index.get((table, ident)) if isinstance(ident, str) else None
        if seen is None:
            rows.append(row)
            if isinstance(ident, str):
                self._index[(table, ident)] = row
            return
        self._merge(table, seen, row)

    def _merge(self, table: str, seen: dict[str, Any], row: dict[str, Any]) -> None:
        """The same object again (nested copies): fine when no value disagrees."""
        clash = [k for k, v in row.items() if k != "_row" and k in seen and seen[k] != v]
        if clash:
            self.errors.append(RowError(row["_row"], f"{table}.id", (
                f"id '{row['id']}' staat al in rij {seen['_row']} met een andere waarde voor {', '.join(clash)}"
            )))
            return
        seen.update({k: v for k, v in row.items() if k not in seen})

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def _canonical_id(key: str, value: Any) -> Any:
    if not (key == "id" or key.endswith("_id")) or not isinstance(value, str):
        return value
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return value


def _split(obj: dict[str, Any], table: str, tables: _Tables, parent: tuple[str, Any] | None) -> Any:
    """Add ``obj`` and every object nested in it to ``tables``; return its id."""
    row: dict[str, Any] = {}
    ident = obj.get("id")
    for key, value in obj.items():
        child = _CHILD_TABLES.get(key)
        if child and isinstance(value, list):
            for item in value:
                _split_item(item, child, tables, (table, ident))
        elif child and isinstance(value, dict):
            child_id = _split(value, child, tables, (table, ident))
            row.setdefault(_LINK_FIELDS.get(key, f"{child}_id"), child_id)
        elif isinstance(value, (list, dict)):
            tables.note(f"{table}.{key}: onbekend onderdeel, genegeerd")
        else:
            row[key] = value
    _link_parent(row, table, parent)
    tables.add(table, row)
    return ident


def _split_item(item: Any, table: str, tables: _Tables, parent: tuple[str, Any] | None) -> None:
    if isinstance(item, dict):
        _split(item, table, tables, parent)
    else:
        tables.errors.append(RowError(None, table, f"een {table} moet een object zijn, niet {item!r}"))


def _link_parent(row: dict[str, Any], table: str, parent: tuple[str, Any] | None) -> None:
    if parent is None or parent[1] is None:
        return
    parent_table, parent_id = parent
    if table == "attribute":
        row.setdefault("link_id", parent_id)
        row.setdefault("link_entity", parent_table)
    elif table == "metadata":
        row.setdefault("resource_id", parent_id)
        row.setdefault("resource_type", parent_table)
    elif f"{parent_table}_id" in _row_validator(table).schema["properties"]:
        row.setdefault(f"{parent_table}_id", parent_id)


def _tables_from_json(doc: Any) -> _Tables:
    tables = _Tables()
    if isinstance(doc, list):
        doc = {"services": doc}
    if not isinstance(doc, dict):
        tables.errors.append(RowError(None, None, "Dit is geen HSDS-document (verwacht een JSON-object of -lijst)."))
        return tables
    for key, value in doc.items():
        table = _table_aliases().get(key)
        if table is None:
            tables.note(f"'{key}': onbekend onderdeel van het document, genegeerd")
        elif not isinstance(value, list):
            tables.errors.append(RowError(None, table, f"'{key}' moet een lijst zijn"))
        else:
            for item in value:
                _split_item(item, table, tables, None)
    return tables


# --- export: tabular ---------------------------------------------------------------


def _csv_bytes(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row[c] for c in columns])
    return buffer.getvalue().encode("utf-8")


def _resource(table: str) -> dict[str, Any]:
    props = _row_validator(table).schema["properties"]
    fields = []
    for col in table_columns()[table]:
        fmt = props.get(col["name"], {}).get("format")
        descriptor: dict[str, Any] = {
            "name": col["name"], "type": col["type"], "description": col["description"],
            "constraints": {"required": col["constraints_required"] == "true",
                            "unique": col["constraints_unique"] == "true"},
        }
        if fmt in ("uuid", "email", "uri"):
            descriptor["format"] = fmt
        if props.get(col["name"], {}).get("enum"):
            descriptor["constraints"]["enum"] = props[col["name"]]["enum"]
        fields.append(descriptor)
    return {
        "name": table, "path": f"{table}.csv", "profile": "tabular-data-resource", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8",
        "schema": {"fields": fields, "primaryKey": ["id"]},
    }


def _package_files(session: Session) -> dict[str, bytes]:
    tables = _Tables()
    for key, items in export_json(session).items():
        for item in items:
            _split(item, _table_aliases()[key], tables, None)
    used = {r["taxonomy_id"] for r in tables.rows.get("taxonomy_term", [])}
    tables.rows["taxonomy"] = [
        {"id": stable_id("taxonomy", name), "name": name, "description": text}
        for name, (text, _) in TAXONOMIES.items()
        if stable_id("taxonomy", name) in used
    ]
    files = {
        f"{table}.csv": _csv_bytes([c["name"] for c in columns], tables.rows.get(table, []))
        for table, columns in table_columns().items()
    }
    package = {
        "name": PACKAGE_NAME, "title": f"{PRODUCER}: warmtebronnen en aanbod (HSDS 3.0)",
        "profile": "tabular-data-package", "resources": [_resource(t) for t in table_columns()],
    }
    files["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return files


def export_datapackage(session: Session, target: Path) -> Path:
    """Write the registry as an HSDS 3.0 tabular data package into the folder ``target``.

    Returns
    -------
    Path
        ``target``, holding one CSV per table of ``simple/schema.csv`` and ``datapackage.json``.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name, content in _package_files(session).items():
        (target / name).write_bytes(content)
    return target


def export_datapackage_zip(session: Session) -> bytes:
    """The data package of `export_datapackage` as the bytes of a zip file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _package_files(session).items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


# --- import: reading packages ------------------------------------------------------


def _files(source: Path | bytes) -> dict[str, bytes]:
    """The files of a package folder or zip (names relative to the package root)."""
    if isinstance(source, (bytes, bytearray)):
        return _zip_files(bytes(source))
    path = Path(source)
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}
    if path.is_file() and zipfile.is_zipfile(path):
        return _zip_files(path.read_bytes())
    raise ImportFailed([RowError(None, None, f"{path.name}: geen map en geen zip-bestand met een HSDS-datapakket")], path.name)


def _zip_files(raw: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        raise ImportFailed([RowError(None, None, "Dit is geen leesbaar zip-bestand.")], "zip") from exc
    members = [m for m in archive.infolist() if not m.is_dir() and ".." not in Path(m.filename).parts]
    if sum(m.file_size for m in members) > _MAX_PACKAGE_BYTES:
        raise ImportFailed([RowError(None, None, "Het datapakket is uitgepakt groter dan 100 MB; splits het.")], "zip")
    names = [m.filename for m in members]
    root = next((str(Path(n).parent) for n in names if Path(n).name == "datapackage.json"), "")
    prefix = "" if root in ("", ".") else root + "/"
    return {n[len(prefix):]: archive.read(n) for n in names if n.startswith(prefix)}


def _resources(files: dict[str, bytes], tables: _Tables) -> list[tuple[str, str]]:
    """(table, file name) of every CSV to read; others are noted and skipped."""
    if "datapackage.json" not in files:
        paths = [(Path(n).stem, n) for n in sorted(files) if n.lower().endswith(".csv")]
    else:
        paths = _listed_paths(files["datapackage.json"], tables)
    found = []
    for name, path in paths:
        table = _table_aliases().get(name) or _table_aliases().get(Path(path).stem)
        if table is None:
            tables.note(f"{path}: onbekende tabel, genegeerd")
        elif path not in files:
            tables.errors.append(RowError(None, table, f"{path} staat in datapackage.json maar ontbreekt"))
        else:
            found.append((table, path))
    return found


def _listed_paths(raw: bytes, tables: _Tables) -> list[tuple[str, str]]:
    try:
        package = json.loads(raw.decode("utf-8-sig"))
        resources = package["resources"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        tables.errors.append(RowError(None, "datapackage.json", "is geen geldige Data Package-beschrijving"))
        return []
    paths = []
    for res in resources if isinstance(resources, list) else []:
        listed = res.get("path") if isinstance(res, dict) else None
        for path in listed if isinstance(listed, list) else [listed]:
            if isinstance(path, str):
                paths.append((str(res.get("name") or Path(path).stem), path))
    return paths


def _tables_from_package(files: dict[str, bytes]) -> _Tables:
    tables = _Tables()
    for table, path in _resources(files, tables):
        _read_csv(table, path, files[path], tables)
    if "service" not in tables.rows and not any(e.field == "service" for e in tables.errors):
        tables.errors.append(RowError(None, "service", "het datapakket heeft geen service-tabel (service.csv)"))
    return tables


def _read_csv(table: str, name: str, raw: bytes, tables: _Tables) -> None:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        tables.errors.append(RowError(None, table, f"{name} is geen UTF-8-tekst"))
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(h or "").strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    known = _row_validator(table).schema["properties"]
    unknown = [h for h in header if h not in known]
    if unknown:
        tables.note(f"{name}: onbekende kolom(men) {', '.join(unknown)} genegeerd")
    tables.rows.setdefault(table, [])
    for number, cells in enumerate(reader, start=1):
        if None in cells:
            tables.errors.append(RowError(number, table, f"{name}: de rij heeft meer velden dan de kopregel"))
            continue
        values = {k: (v or "").strip() for k, v in cells.items() if k in known}
        if any(values.values()):
            tables.add(table, _coerce(table, values), number)


def _coerce(table: str, values: dict[str, str]) -> dict[str, Any]:
    """CSV text to JSON values: numbers for number fields; an empty cell is absent,
    except for required text fields, where it is the empty text."""
    schema = _row_validator(table).schema
    row: dict[str, Any] = {}
    for key, text in values.items():
        kind = schema["properties"][key].get("type")
        if text == "":
            if key in schema["required"] and kind == "string":
                row[key] = ""
            continue
        row[key] = _number(text) if kind == "number" else text
    return row


def _number(text: str) -> float | int | str:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text


# --- import: checking rows ---------------------------------------------------------

_CORE_TABLES = frozenset({
    "organization", "service", "location", "service_at_location", "address", "phone", "schedule",
})
_MISSING = "ontbreekt; dit veld is verplicht"
_USED_TABLES = (
    "organization", "service", "location", "service_at_location", "address", "phone", "schedule",
    "attribute", "taxonomy_term", "taxonomy", "metadata", "language", "service_area",
    "accessibility", "cost_option",
)
_REFERENCES = (
    ("service", "organization_id", "organization"), ("location", "organization_id", "organization"),
    ("service_at_location", "service_id", "service"), ("service_at_location", "location_id", "location"),
    ("address", "location_id", "location"), ("phone", "service_id", "service"),
    ("phone", "organization_id", "organization"), ("phone", "location_id", "location"),
    ("schedule", "service_id", "service"), ("schedule", "location_id", "location"),
    ("schedule", "service_at_location_id", "service_at_location"), ("language", "service_id", "service"),
    ("service_area", "service_id", "service"), ("accessibility", "location_id", "location"),
    ("cost_option", "service_id", "service"), ("attribute", "taxonomy_term_id", "taxonomy_term"),
)
_MODELS = {"organization": Organisation, "location": Location, "service": Service}
_FORMAT_LABELS = {
    "uuid": "UUID (zoals 3fa85f64-5717-4562-b3fc-2c963f66afa6)", "email": "e-mailadres",
    "uri": "webadres (zoals https://voorbeeld.nl)",
}


def _schema_error(table: str, number: int, err: ValidationError) -> RowError:
    if err.validator == "required":
        missing = re.search(r"'([^']+)'", err.message)
        return RowError(number, f"{table}.{missing[1] if missing else '?'}", _MISSING)
    name = err.path[-1] if err.path else "?"
    value = err.instance
    messages = {
        "format": f"'{value}' is geen geldig {_FORMAT_LABELS.get(str(err.validator_value), err.validator_value)}",
        "enum": f"'{value}' is onbekend; kies uit: {', '.join(map(str, err.validator_value or []))}",
        "type": f"'{value}' is geen {'getal' if err.validator_value == 'number' else 'tekst'}",
    }
    return RowError(number, f"{table}.{name}", messages.get(str(err.validator), err.message))


class _Reader:
    """The tables of one import, indexed, with the errors found so far."""

    def __init__(self, session: Session, tables: _Tables, locator: Locator, source: str) -> None:
        self.session = session
        self.locator = locator
        self.source = source
        self.rows = {t: tables.rows.get(t, []) for t in _USED_TABLES}
        self.errors = list(tables.errors)
        self.notes = tables.notes
        self.by_id = {t: {r["id"]: r for r in rows if isinstance(r.get("id"), str)} for t, rows in self.rows.items()}
        self._children: dict[tuple[str, str], dict[Any, list[dict[str, Any]]]] = {}
        self._in_db: dict[tuple[str, str], bool] = {}
        for table in sorted(set(tables.rows) - set(_USED_TABLES)):
            if tables.rows[table]:
                tables.note(f"{table}: {len(tables.rows[table])} rij(en) genegeerd (niet nodig voor Kracht in Kaart)")

    def error(self, table: str, row: Mapping[str, Any] | None, fld: str, message: str) -> None:
        self.errors.append(RowError(row.get("_row") if row else None, f"{table}.{fld}", message))

    def children(self, table: str, fk: str, ident: Any) -> list[dict[str, Any]]:
        key = (table, fk)
        if key not in self._children:
            index: dict[Any, list[dict[str, Any]]] = {}
            for row in self.rows[table]:
                index.setdefault(row.get(fk), []).append(row)
            self._children[key] = index
        return self._children[key].get(ident, []) if ident is not None else []

    def exists(self, table: str, ident: str) -> bool:
        if ident in self.by_id[table]:
            return True
        if table not in _MODELS:
            return False
        if (table, ident) not in self._in_db:
            self._in_db[(table, ident)] = self.session.get(_MODELS[table], ident) is not None
        return self._in_db[(table, ident)]

    def text(self, table: str, row: Mapping[str, Any] | None, fld: str, *, limit: int = MAX_TEXT,
             required: bool = False) -> str | None:
        value = row.get(fld) if row else None
        if not isinstance(value, str) or not value.strip():
            if required and row is not None:
                self.error(table, row, fld, "is leeg; vul dit in")
            return None
        value = value.strip()
        if _CONTROL.search(value):
            self.error(table, row, fld, "bevat onzichtbare stuurtekens")
        elif _TAG.search(value) or _SCRIPT.search(value):
            self.error(table, row, fld, "bevat HTML of script-code; alleen platte tekst is toegestaan")
        elif len(value) > limit:
            self.error(table, row, fld, f"is te lang ({len(value)} tekens, maximaal {limit})")
        return value

    def description(self, table: str, row: Mapping[str, Any]) -> str:
        """HSDS allows HTML in descriptions; we keep plain text."""
        value = row.get("description")
        if isinstance(value, str) and _TAG.search(value):
            self.notes.append(f"{table} rij {row['_row']}: HTML-opmaak uit de beschrijving gehaald")
            plain = re.sub(r"[ \t]{2,}", " ", html.unescape(_TAG.sub(" ", value)))
            row = {**row, "description": plain}
        return self.text(table, row, "description") or ""


def _check_rows(reader: _Reader) -> None:
    """Schema and reference checks. Outside the core tables a missing required field
    (other than id) is only noted, and only our own provenance metadata is read."""
    for table, rows in reader.rows.items():
        validator = _row_validator(table)
        for row in rows:
            if table == "metadata" and row.get("last_action_type") != "provenance":
                continue
            plain = {k: v for k, v in row.items() if k != "_row"}
            for problem in (_schema_error(table, row["_row"], e) for e in validator.iter_errors(plain)):
                _report(reader, table, problem)
    for table, fk, target in _REFERENCES:
        for row in reader.rows[table]:
            ident = row.get(fk)
            if isinstance(ident, str) and _conforms(ident, "uuid") and not reader.exists(target, ident):
                reader.error(table, row, fk, f"verwijst naar {target} '{ident}', die niet bestaat")


def _report(reader: _Reader, table: str, problem: RowError) -> None:
    lenient = table not in _CORE_TABLES and problem.field != f"{table}.id"
    if lenient and problem.message == _MISSING:
        reader.notes.append(f"{problem}: genegeerd (geen kerntabel)")
    else:
        reader.errors.append(problem)


# --- import: attributes and provenance ---------------------------------------------


@dataclass
class _Attributes:
    """The attributes of one record: our taxonomies by name, other terms' codes and names."""

    ours: dict[str, list[tuple[str, str | None, dict[str, Any]]]] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)

    def codes(self, taxonomy: str) -> list[str]:
        return [code for code, _, _ in self.ours.get(taxonomy, [])]

    @property
    def fields(self) -> dict[str, str]:
        return {code: value or "" for code, value, _ in self.ours.get("kik-fields", [])}

    @property
    def is_ours(self) -> bool:
        return bool(self.ours)


def _attributes(reader: _Reader, ident: str) -> _Attributes:
    found = _Attributes()
    for attr in reader.children("attribute", "link_id", ident):
        term = reader.by_id["taxonomy_term"].get(attr.get("taxonomy_term_id"), {})
        taxonomy = term.get("taxonomy") or reader.by_id["taxonomy"].get(term.get("taxonomy_id"), {}).get("name")
        code = term.get("code") or term.get("name")
        if not isinstance(code, str):
            continue
        if taxonomy in TAXONOMIES:
            found.ours.setdefault(taxonomy, []).append((code, attr.get("value"), attr))
        else:
            found.other += [str(v).strip().casefold() for v in (term.get("code"), term.get("name")) if v]
    return found


def _provenance(reader: _Reader, table: str, row: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    meta = {
        m.get("field_name"): m.get("replacement_value") or ""
        for m in reader.children("metadata", "resource_id", row["id"])
        if m.get("last_action_type") == "provenance"
    }
    seen = meta.get("source_seen") or None
    if seen and not _PARTIAL_DATE.match(seen):
        reader.error("metadata", row, "replacement_value", f"'{seen}' is geen datum als 2024-05-01")
    raw_date = row.get("assured_date") if table == "service" else None
    return {
        "source": meta.get("source", reader.source),
        "source_seen": seen,
        "assured_date": _date(reader, table, row, raw_date or fields.get("assured_date")),
        "assured_by": fields.get("assured_by") or (row.get("assurer_email") if table == "service" else None),
    }


def _date(reader: _Reader, table: str, row: Mapping[str, Any], raw: object) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(str(raw)[:10])
    except ValueError:
        reader.error(table, row, "assured_date", f"'{raw}' is geen datum als 2024-05-01")
        return None


def _flag(reader: _Reader, table: str, row: Mapping[str, Any], fields: Mapping[str, str], name: str) -> bool | None:
    value = fields.get(name)
    if value in (None, ""):
        return None
    if value not in ("true", "false"):
        reader.error(table, row, "attributes", f"{name} '{value}' is geen true of false")
    return value == "true"


def _vocab(reader: _Reader, table: str, row: Mapping[str, Any], codes: list[str], allowed: tuple[str, ...],
           what: str) -> list[str]:
    bad = [c for c in codes if c not in allowed]
    if bad:
        reader.error(table, row, "attributes", f"onbekende {what} {', '.join(bad)}; kies uit: {', '.join(allowed)}")
    return [c for c in codes if c in allowed]


# --- import: organisations ---------------------------------------------------------


def _organisation(reader: _Reader, row: dict[str, Any]) -> dict[str, Any]:
    t = "organization"
    attrs = _attributes(reader, row["id"])
    fields = attrs.fields
    sector = (_vocab(reader, t, row, attrs.codes("kik-sectors"), SECTORS, "sector") or ["other"])[0]
    phones = reader.children("phone", "organization_id", row["id"])
    values = {
        "id": row["id"], "name": reader.text(t, row, "name", limit=MAX_SHORT, required=True) or "",
        "description": reader.description(t, row), "sector": sector,
        "email": reader.text(t, row, "email", limit=200) or fields.get("email"),
        "website": reader.text(t, row, "website", limit=500) or fields.get("website"),
        "phone": reader.text("phone", phones[0], "number", limit=40) if phones else None,
        "is_partner": fields.get("is_partner") == "true",
        "partner_since": _year(reader, row, fields.get("partner_since")),
        **_provenance(reader, t, row, fields),
    }
    office = _canonical_id("office_location_id", fields.get("office_location_id") or None)
    return {"values": values, "slug": fields.get("slug") or slugify(values["name"]), "office": office}


def _year(reader: _Reader, row: Mapping[str, Any], raw: str | None) -> int | None:
    if not raw:
        return None
    if not re.fullmatch(r"\d{4}", raw):
        reader.error("organization", row, "attributes", f"partner_since '{raw}' is geen jaartal")
        return None
    return int(raw)


# --- import: locations -------------------------------------------------------------


def _location(reader: _Reader, row: dict[str, Any]) -> dict[str, Any]:
    t = "location"
    attrs = _attributes(reader, row["id"])
    fields = attrs.fields
    kind = row.get("location_type") or "physical"
    if kind == "postal":
        reader.notes.append(f"location rij {row['_row']}: postadres gelezen als fysieke locatie")
        kind = "physical"
    access = reader.children("accessibility", "location_id", row["id"])
    values = {
        "id": row["id"], "location_type": kind if kind in ("physical", "virtual") else "physical",
        "organisation_id": row.get("organization_id"),
        "transport": reader.text(t, row, "transportation"),
        "accessibility": reader.text("accessibility", access[0], "description") if access else None,
        "confidential": _flag(reader, t, row, fields, "confidential") or False,
        "contact_point": fields.get("contact_point") or None,
        "gemeente_code": fields.get("gemeente_code") or None,
        "gemeente_name": fields.get("gemeente_name") or None,
        **_provenance(reader, t, row, fields),
    }
    if values["confidential"] and not values["contact_point"]:
        reader.error(t, row, "attributes", "een vertrouwelijk adres heeft een contactpunt nodig")
    _place(reader, row, attrs, values)
    values["name"] = reader.text(t, row, "name", limit=MAX_SHORT) or _fallback_name(values)
    base = fields.get("slug") or slugify(f"{values['name']} {values['place'] or ''}")
    return {"values": values, "slug": base}


def _fallback_name(values: Mapping[str, Any]) -> str:
    return " ".join(p for p in (values.get("address"), values.get("place")) if p) or "Locatie"


def _place(reader: _Reader, row: dict[str, Any], attrs: _Attributes, values: dict[str, Any]) -> None:
    """Street, postcode, place, point, precision and gemeente of one location."""
    fields = attrs.fields
    addresses = reader.children("address", "location_id", row["id"])
    address = addresses[0] if addresses else None
    _check_country(reader, address)
    street = reader.text("address", address, "address_1", limit=MAX_SHORT)
    place = reader.text("address", address, "city", limit=120) or fields.get("place") or None
    postcode = _postcode(reader, address, fields)
    values.update(address=street, postcode=postcode, place=place, latitude=None, longitude=None, precision=None)
    point = _coordinates(reader, row)
    claimed = _vocab(reader, "location", row, attrs.codes("kik-precision"), PRECISIONS, "precisie")
    if point:
        precision = claimed[0] if claimed else "address" if street else "postcode" if postcode else "place"
        values.update(latitude=point[0], longitude=point[1], precision=precision)
        found = reader.locator.gemeente_at(*point)
        if found:
            values.update(gemeente_code=found[0], gemeente_name=found[1])
    elif values["location_type"] == "physical" and not values["confidential"] and (postcode or place):
        _geocode(reader, address or row, values)


def _check_country(reader: _Reader, address: Mapping[str, Any] | None) -> None:
    country = str((address or {}).get("country") or "NL").strip().upper()
    if country not in ("NL", "NLD", "NETHERLANDS", "NEDERLAND"):
        reader.error("address", address, "country", f"'{country}' ligt niet in Nederland; alleen Nederlandse adressen")


def _postcode(reader: _Reader, address: Mapping[str, Any] | None, fields: Mapping[str, str]) -> str | None:
    raw = reader.text("address", address, "postal_code", limit=10) or fields.get("postcode")
    postcode = normalise_postcode(raw) if raw else None
    if raw and not postcode:
        reader.error("address", address, "postal_code",
                     f"'{raw}' is geen Nederlandse postcode (4 cijfers en 2 letters, bijvoorbeeld 9501 AB)")
    return postcode


def _coordinates(reader: _Reader, row: Mapping[str, Any]) -> tuple[float, float] | None:
    raw_lat, raw_lon = row.get("latitude"), row.get("longitude")
    if raw_lat is None and raw_lon is None:
        return None
    if raw_lat is None or raw_lon is None:
        reader.error("location", row, "latitude" if raw_lat is None else "longitude",
                     "vul zowel latitude als longitude in, of geen van beide")
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (raw_lat, raw_lon)):
        return None  # the schema check reported it
    lat, lon = float(raw_lat), float(raw_lon)
    if NL_LAT[0] <= lon <= NL_LAT[1] and NL_LON[0] <= lat <= NL_LON[1]:
        reader.error("location", row, "latitude", f"latitude {lat} en longitude {lon} lijken verwisseld")
        return None
    if not (NL_LAT[0] <= lat <= NL_LAT[1] and NL_LON[0] <= lon <= NL_LON[1]):
        reader.error("location", row, "latitude", f"({lat}, {lon}) ligt buiten Nederland")
        return None
    return lat, lon


def _geocode(reader: _Reader, where: Mapping[str, Any], values: dict[str, Any]) -> None:
    table = "address" if "address_1" in where else "location"
    try:
        point = reader.locator.locate(values["postcode"], values["place"])
    except ValueError as exc:
        reader.error(table, where, "postal_code" if values["postcode"] else "city", str(exc))
        return
    values.update(latitude=point.lat, longitude=point.lon, precision=point.precision)
    if point.gemeente_code:
        values.update(gemeente_code=point.gemeente_code, gemeente_name=point.gemeente_name)


# --- import: services --------------------------------------------------------------


def _services(reader: _Reader, row: dict[str, Any], locations: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The service as planned records: one per location it is offered at."""
    t = "service"
    if row.get("status") in ("inactive", "defunct"):
        reader.notes.append(f"service rij {row['_row']}: status '{row['status']}', niet ingelezen")
        return []
    attrs = _attributes(reader, row["id"])
    values = {
        "id": row["id"], "name": reader.text(t, row, "name", limit=MAX_SHORT, required=True) or "",
        "description": reader.description(t, row),
        "eligibility": reader.text(t, row, "eligibility_description"),
        **_contact(reader, row, attrs.fields), **_kinds(reader, row, attrs),
        **_terms(reader, row, attrs.fields), **_hours(reader, row, attrs.fields),
        "languages": _languages(reader, row["id"]), "service_area": _areas(reader, row["id"]),
        **_provenance(reader, t, row, attrs.fields),
    }
    return _per_location(reader, row, values, locations)


def _contact(reader: _Reader, row: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    phones = reader.children("phone", "service_id", row["id"])
    if len(phones) > 1:
        reader.notes.append(f"service rij {row['_row']}: alleen het eerste telefoonnummer bewaard")
    return {
        "url": reader.text("service", row, "url", limit=500) or fields.get("url"),
        "email": reader.text("service", row, "email", limit=200) or fields.get("email"),
        "phone": reader.text("phone", phones[0], "number", limit=40) if phones else None,
    }


def _kinds(reader: _Reader, row: Mapping[str, Any], attrs: _Attributes) -> dict[str, Any]:
    t = "service"
    if attrs.is_ours:
        needs = _vocab(reader, t, row, attrs.codes("kik-needs"), NEEDS, "behoefte(n)")
        kapitaal = _vocab(reader, t, row, attrs.codes("kik-kapitaalsvormen"), KAPITAALSVORMEN, "kapitaalsvorm(en)")
        kind = (_vocab(reader, t, row, attrs.codes("kik-service-kinds"), SERVICE_KINDS, "soort") or ["other"])[0]
    else:
        needs = [n for n in NEEDS if n in attrs.other]
        kapitaal = sorted({k for n in needs for k in NEED_KAPITAAL[n]})
        kind = next((k for k in SERVICE_KINDS if k in attrs.other), "other")
    return {"needs": sorted(set(needs)), "kapitaalsvormen": kapitaal, "kind": kind}


def _terms(reader: _Reader, row: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    free = _flag(reader, "service", row, fields, "free")
    if free is None and "free" not in fields:
        amounts = [c.get("amount") for c in reader.children("cost_option", "service_id", row["id"])]
        numbers = [a for a in amounts if isinstance(a, (int, float))]
        free = (all(a == 0 for a in numbers)) if numbers else None
    return {"free": free, "referral_needed": _flag(reader, "service", row, fields, "referral_needed")}


def _hours(reader: _Reader, row: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    text = fields.get("opening_hours_text") or None
    schedules = _schedules_of(reader, row["id"])
    bad = [s for s in schedules if not _times_ok(reader, s)]
    if bad:
        return {"opening_hours": None, "opening_hours_text": text}
    try:
        expr = hours.from_hsds_schedules(schedules) if schedules else None
        if expr is None and fields.get("opening_hours"):
            expr = fields["opening_hours"]
            hours.validate(expr)
    except InvalidOpeningHours as exc:
        _hours_error(reader, schedules, exc)
        expr = None
    return {"opening_hours": expr, "opening_hours_text": text}


def _schedules_of(reader: _Reader, service_id: str) -> list[dict[str, Any]]:
    own = list(reader.children("schedule", "service_id", service_id))
    for sal in reader.children("service_at_location", "service_id", service_id):
        own += [s for s in reader.children("schedule", "service_at_location_id", sal["id"]) if s not in own]
    if own:
        return own
    for sal in reader.children("service_at_location", "service_id", service_id):
        own += [s for s in reader.children("schedule", "location_id", sal.get("location_id")) if not s.get("service_id")]
    return own


def _times_ok(reader: _Reader, schedule: Mapping[str, Any]) -> bool:
    ok = True
    for fld in ("opens_at", "closes_at"):
        value = schedule.get(fld)
        if value in (None, "") or (fld == "closes_at" and value in ("24:00", "24:00:00")):
            continue
        if not isinstance(value, str) or not _TIME.match(value):
            reader.error("schedule", schedule, fld, f"'{value}' is geen tijd als 09:30 (uren 00-23, minuten 00-59)")
            ok = False
    return ok


def _hours_error(reader: _Reader, schedules: list[dict[str, Any]], exc: InvalidOpeningHours) -> None:
    by_id = {f"HSDS-schema {s.get('id')}": s for s in schedules}
    schedule = by_id.get(exc.expr, schedules[0] if schedules else None)
    known = ("opens_at", "closes_at", "byday", "interval", "dtstart", "freq", "bymonthday", "byweekno")
    fld = next((f for f in known if f in exc.reason), "notes")
    reader.error("schedule", schedule, fld, f"openingstijden niet te lezen: {exc.reason}")


def _languages(reader: _Reader, service_id: str) -> list[str]:
    codes: list[str] = []
    for row in reader.children("language", "service_id", service_id):
        code = str(row.get("code") or "").strip().lower()
        if not code:
            reader.notes.append(f"language rij {row['_row']}: geen taalcode, genegeerd")
        elif not re.fullmatch(r"[a-z]{2,3}", code):
            reader.error("language", row, "code", f"'{code}' is geen taalcode zoals nl, en, ar")
        elif code not in codes:
            codes.append(code)
    return codes


def _areas(reader: _Reader, service_id: str) -> list[str]:
    codes: list[str] = []
    for row in reader.children("service_area", "service_id", service_id):
        code = _area_code(reader, row)
        if code is None:
            reader.notes.append(f"service_area rij {row['_row']}: geen gemeente herkend, genegeerd")
        elif code not in codes:
            codes.append(code)
    return codes


def _area_code(reader: _Reader, row: Mapping[str, Any]) -> str | None:
    for value in (row.get("uri"), row.get("name")):
        match = _GM.search(str(value or ""))
        if match:
            return f"GM{match[1]}"
    found = reader.locator.gemeente_code(str(row["name"])) if row.get("name") else None
    return found[0] if found else None


def _per_location(reader: _Reader, row: Mapping[str, Any], values: dict[str, Any],
                  locations: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    links = [s.get("location_id") for s in reader.children("service_at_location", "service_id", row["id"])]
    links = list(dict.fromkeys(link for link in links if isinstance(link, str))) or [None]
    if len(links) > 1:
        reader.notes.append(f"service rij {row['_row']}: aangeboden op {len(links)} locaties; "
                            "één aanbod per locatie gemaakt (nieuwe id's vanaf de tweede)")
    planned = []
    for n, location_id in enumerate(links):
        own = dict(values, location_id=location_id)
        if n:
            own["id"] = stable_id("service", row["id"], location_id)
        location = locations.get(location_id or "")
        if not own.get("organisation_id"):
            own["organisation_id"] = row.get("organization_id") or (location or {}).get("organisation_id")
        if location is not None and not location.get("organisation_id"):
            location["organisation_id"] = own["organisation_id"]
        planned.append(own)
    return planned


# --- import: plan and write --------------------------------------------------------


@dataclass
class HsdsImportReport(ImportReport):
    """What an HSDS import did: services counted in created/updated/unchanged."""

    organisations_updated: int = 0
    locations_created: int = 0
    locations_updated: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return super().as_dict() | {
            "organisations_updated": self.organisations_updated,
            "locations_created": self.locations_created,
            "locations_updated": self.locations_updated,
        }


@dataclass
class _Plan:
    organisations: list[dict[str, Any]]
    locations: list[dict[str, Any]]
    services: list[dict[str, Any]]


def _plan(reader: _Reader) -> _Plan:
    _check_rows(reader)
    orgs = [_organisation(reader, row) for row in reader.rows["organization"]]
    locations = [_location(reader, row) for row in reader.rows["location"]]
    by_id = {loc["values"]["id"]: loc["values"] for loc in locations}
    services = [s for row in reader.rows["service"] for s in _services(reader, row, by_id)]
    for org in orgs:
        office = org["office"]
        if office and not reader.exists("location", office):
            reader.notes.append(f"organization rij {org['values']['id']}: kantoorlocatie '{office}' onbekend")
            org["office"] = None
    return _Plan(orgs, locations, services)


def _apply(obj: object, values: Mapping[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _upsert(session: Session, model: type, values: dict[str, Any], slug: str | None) -> tuple[Any, str]:
    obj = session.get(model, values["id"])
    if obj is None:
        obj = model(**values)
        if slug is not None:
            obj.slug = unique_slug(session, model, slug[:120] or "x", values["id"])
        session.add(obj)
        return obj, "created"
    return obj, "updated" if _apply(obj, values) else "unchanged"


def _write(session: Session, plan: _Plan, report: HsdsImportReport) -> None:
    for org in plan.organisations:
        _, outcome = _upsert(session, Organisation, org["values"], org["slug"])
        report.organisations_created += outcome == "created"
        report.organisations_updated += outcome == "updated"
    session.flush()
    for loc in plan.locations:
        _, outcome = _upsert(session, Location, loc["values"], loc["slug"])
        report.locations_created += outcome == "created"
        report.locations_updated += outcome == "updated"
    session.flush()
    for values in plan.services:
        _write_service(session, values, report)
    session.flush()
    for org in plan.organisations:
        obj = session.get(Organisation, org["values"]["id"])
        if obj is not None and obj.office_location_id != org["office"]:
            obj.office_location_id = org["office"]


def _write_service(session: Session, values: dict[str, Any], report: HsdsImportReport) -> None:
    values = dict(values)
    needs = values.pop("needs")
    service, outcome = _upsert(session, Service, values, None)
    if service.needs != needs:
        service.need_rows = [ServiceNeed(need=n) for n in needs]
        outcome = "updated" if outcome == "unchanged" else outcome
    setattr(report, outcome, getattr(report, outcome) + 1)
    report.ids.append(values["id"])


def _import(session: Session, tables: _Tables, locator: Locator, source: str) -> HsdsImportReport:
    reader = _Reader(session, tables, locator, source)
    plan = _plan(reader)
    if reader.errors:
        raise ImportFailed(reader.errors, source)
    report = HsdsImportReport(notes=list(dict.fromkeys(reader.notes)))
    _write(session, plan, report)
    return report


def import_json(session: Session, doc: Any, locator: Locator, *, source: str = "hsds") -> HsdsImportReport:
    """Import an HSDS 3.0 JSON document from any producer.

    Parameters
    ----------
    session : Session
        Where to write; the caller commits (or rolls back).
    doc : dict or list
        ``{"organizations", "services", "locations", "service_at_locations", ...}`` (as
        `export_json`), an HSDS API page (``{"contents": [...]}``) or a list of services;
        nested objects are read too.
    locator : Locator
        Gives the gemeente at a point and geocodes addresses without coordinates.
    source : str, default "hsds"
        Provenance for records that do not carry their own.

    Returns
    -------
    HsdsImportReport
        Counts and notes (what was ignored).

    Raises
    ------
    ImportFailed
        With every problem (row and ``table.field``); then nothing was added.
    """
    return _import(session, _tables_from_json(doc), locator, source)


def import_datapackage(session: Session, path_or_zip_bytes: Path | bytes, locator: Locator, *,
                       source: str | None = None) -> HsdsImportReport:
    """Import an HSDS 3.0 tabular data package (a folder, a zip file or zip bytes).

    Tables are found through ``datapackage.json`` when present, else by file name
    (``service.csv`` or ``services.csv``). See `import_json` for the rest.

    Raises
    ------
    ImportFailed
        With every problem (row = data row of the CSV, field = ``table.field``).
    """
    name = source or (Path(path_or_zip_bytes).name if not isinstance(path_or_zip_bytes, bytes) else "hsds-datapakket")
    files = _files(path_or_zip_bytes)
    return _import(session, _tables_from_package(files), locator, name)
