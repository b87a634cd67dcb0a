"""Building blocks of exported HSDS objects: taxonomy terms, attributes, metadata, phones.

Fields HSDS has no place for travel as ``attributes`` with a term of one of our
`TAXONOMIES` (``kik-fields``: one term per field name, the value in ``attribute.value``);
provenance (source, source_seen) travels as ``metadata``. Ids come from `stable_id`, so
they never change.

This module makes pieces only: whole objects are made in `data.hsds.export_places` and
`data.hsds.export_services`; reading attributes back is `data.hsds.reader`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from data.hsds.common import PRODUCER, TAXONOMIES
from data.hsds.schemas import conforms
from data.models import Location, Organisation, Service, stable_id

_PRECISION_TEXT = {
    "address": "Het punt ligt op het adres zelf.",
    "postcode": "Het punt is het midden van het postcodegebied, geen adres.",
    "place": "Het punt is het midden van de plaats, geen adres.",
}


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


def attribute(
    link: tuple[str, str], taxonomy: str, code: str, value: str | None = None
) -> dict[str, Any]:
    """The attribute that puts a term of our ``taxonomy`` on ``link`` (entity, id).

    Examples
    --------
    >>> a = attribute(("service", "s1"), "kik-needs", "food")
    >>> a["link_type"], a["taxonomy_term"]["code"], "value" in a
    ('need', 'food', False)
    """
    entity, link_id = link
    term = _term(taxonomy, code)
    attr = {
        "id": stable_id("attribute", link_id, taxonomy, code),
        "link_id": link_id,
        "link_type": TAXONOMIES[taxonomy][1],
        "link_entity": entity,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }
    if value is not None:
        attr["value"] = value
    return attr


def _field_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def field_attributes(link: tuple[str, str], values: Mapping[str, object]) -> list[dict[str, Any]]:
    """One ``kik-fields`` attribute per field with a value (booleans as true/false)."""
    return [
        attribute(link, "kik-fields", name, _field_value(value))
        for name, value in values.items()
        if value not in (None, "")
    ]


def provenance_metadata(
    record: Organisation | Location | Service, entity: str
) -> list[dict[str, Any]]:
    """Source and source_seen of ``record`` as two HSDS ``metadata`` rows."""
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


def assurance(record: Organisation | Location | Service) -> dict[str, object]:
    """When and by whom ``record`` was last checked, as fields for `field_attributes`."""
    return {"assured_date": record.assured_date, "assured_by": record.assured_by}


def put_if_valid(
    doc: dict[str, Any], spill: dict[str, object], key: str, value: str | None, fmt: str
) -> None:
    """``doc[key] = value`` when HSDS accepts the format; else keep it in ``spill``."""
    if not value:
        return
    if conforms(value, fmt):
        doc[key] = value
    else:
        spill[key] = value


def phone_doc(number: str, entity: str, owner_id: str) -> dict[str, Any]:
    """An HSDS ``phone`` of the ``entity`` (organization, service) with id ``owner_id``."""
    return {"id": stable_id("phone", entity, owner_id), f"{entity}_id": owner_id, "number": number}
