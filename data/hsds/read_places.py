"""Import: organisations and locations from HSDS rows, as planned values.

Checks names, sector, partnership, the address (Dutch only), postcode and coordinates;
finds the gemeente of a point and geocodes a postcode or place without one.

Nothing is written here (`data.hsds.importing`); services are `data.hsds.read_services`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from data.hsds.reader import Attributes, Reader, allowed_codes, flag, provenance, read_attributes
from data.hsds.tables import canonical_id
from data.store import slugify
from data.validate import MAX_SHORT, NL_LAT, NL_LON, normalise_postcode
from data.vocab import PRECISIONS, SECTORS

# --- organisations ---------------------------------------------------------------------


def plan_organisation(reader: Reader, row: dict[str, Any]) -> dict[str, Any]:
    """The organisation of ``row``: its values, slug base and office location id."""
    t = "organization"
    attrs = read_attributes(reader, row["id"])
    fields = attrs.fields
    sector = (
        allowed_codes(reader, t, row, attrs.codes("kik-sectors"), SECTORS, "sector") or ["other"]
    )[0]
    phones = reader.children("phone", "organization_id", row["id"])
    values = {
        "id": row["id"],
        "name": reader.text(t, row, "name", limit=MAX_SHORT, required=True) or "",
        "description": reader.description(t, row),
        "sector": sector,
        "email": reader.text(t, row, "email", limit=200) or fields.get("email"),
        "website": reader.text(t, row, "website", limit=500) or fields.get("website"),
        "phone": reader.text("phone", phones[0], "number", limit=40) if phones else None,
        "is_partner": fields.get("is_partner") == "true",
        "partner_since": _year(reader, row, fields.get("partner_since")),
        **provenance(reader, t, row, fields),
    }
    office = canonical_id("office_location_id", fields.get("office_location_id") or None)
    return {
        "values": values,
        "slug": fields.get("slug") or slugify(values["name"]),
        "office": office,
    }


def _year(reader: Reader, row: Mapping[str, Any], raw: str | None) -> int | None:
    if not raw:
        return None
    if not re.fullmatch(r"\d{4}", raw):
        reader.error("organization", row, "attributes", f"partner_since '{raw}' is geen jaartal")
        return None
    return int(raw)


# --- locations -------------------------------------------------------------------------


def plan_location(reader: Reader, row: dict[str, Any]) -> dict[str, Any]:
    """The location of ``row``: its values (place, point, gemeente) and slug base."""
    t = "location"
    attrs = read_attributes(reader, row["id"])
    fields = attrs.fields
    kind = row.get("location_type") or "physical"
    if kind == "postal":
        reader.notes.append(f"location rij {row['_row']}: postadres gelezen als fysieke locatie")
        kind = "physical"
    access = reader.children("accessibility", "location_id", row["id"])
    values = {
        "id": row["id"],
        "location_type": kind if kind in ("physical", "virtual") else "physical",
        "organisation_id": row.get("organization_id"),
        "transport": reader.text(t, row, "transportation"),
        "accessibility": reader.text("accessibility", access[0], "description") if access else None,
        "confidential": flag(reader, t, row, fields, "confidential") or False,
        "contact_point": fields.get("contact_point") or None,
        "gemeente_code": fields.get("gemeente_code") or None,
        "gemeente_name": fields.get("gemeente_name") or None,
        **provenance(reader, t, row, fields),
    }
    if values["confidential"] and not values["contact_point"]:
        reader.error(t, row, "attributes", "een vertrouwelijk adres heeft een contactpunt nodig")
    _place(reader, row, attrs, values)
    values["name"] = reader.text(t, row, "name", limit=MAX_SHORT) or _fallback_name(values)
    base = fields.get("slug") or slugify(f"{values['name']} {values['place'] or ''}")
    return {"values": values, "slug": base}


def _fallback_name(values: Mapping[str, Any]) -> str:
    return " ".join(p for p in (values.get("address"), values.get("place")) if p) or "Locatie"


def _place(reader: Reader, row: dict[str, Any], attrs: Attributes, values: dict[str, Any]) -> None:
    """Street, postcode, place, point, precision and gemeente of one location."""
    fields = attrs.fields
    addresses = reader.children("address", "location_id", row["id"])
    address = addresses[0] if addresses else None
    _check_country(reader, address)
    street = reader.text("address", address, "address_1", limit=MAX_SHORT)
    place = reader.text("address", address, "city", limit=120) or fields.get("place") or None
    postcode = _postcode(reader, address, fields)
    values.update(
        address=street,
        postcode=postcode,
        place=place,
        latitude=None,
        longitude=None,
        precision=None,
    )
    point = _coordinates(reader, row)
    claimed = allowed_codes(
        reader, "location", row, attrs.codes("kik-precision"), PRECISIONS, "precisie"
    )
    if point:
        precision = (
            claimed[0] if claimed else "address" if street else "postcode" if postcode else "place"
        )
        values.update(latitude=point[0], longitude=point[1], precision=precision)
        found = reader.locator.gemeente_at(*point)
        if found:
            values.update(gemeente_code=found[0], gemeente_name=found[1])
    elif (
        values["location_type"] == "physical" and not values["confidential"] and (postcode or place)
    ):
        _geocode(reader, address or row, values)


def _check_country(reader: Reader, address: Mapping[str, Any] | None) -> None:
    country = str((address or {}).get("country") or "NL").strip().upper()
    if country not in ("NL", "NLD", "NETHERLANDS", "NEDERLAND"):
        reader.error(
            "address",
            address,
            "country",
            f"'{country}' ligt niet in Nederland; alleen Nederlandse adressen",
        )


def _postcode(
    reader: Reader, address: Mapping[str, Any] | None, fields: Mapping[str, str]
) -> str | None:
    raw = reader.text("address", address, "postal_code", limit=10) or fields.get("postcode")
    postcode = normalise_postcode(raw) if raw else None
    if raw and not postcode:
        reader.error(
            "address",
            address,
            "postal_code",
            f"'{raw}' is geen Nederlandse postcode (4 cijfers en 2 letters, bijvoorbeeld 9501 AB)",
        )
    return postcode


def _coordinates(reader: Reader, row: Mapping[str, Any]) -> tuple[float, float] | None:
    raw_lat, raw_lon = row.get("latitude"), row.get("longitude")
    if raw_lat is None and raw_lon is None:
        return None
    if raw_lat is None or raw_lon is None:
        reader.error(
            "location",
            row,
            "latitude" if raw_lat is None else "longitude",
            "vul zowel latitude als longitude in, of geen van beide",
        )
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (raw_lat, raw_lon)):
        return None  # the schema check reported it
    lat, lon = float(raw_lat), float(raw_lon)
    if NL_LAT[0] <= lon <= NL_LAT[1] and NL_LON[0] <= lat <= NL_LON[1]:
        reader.error(
            "location", row, "latitude", f"latitude {lat} en longitude {lon} lijken verwisseld"
        )
        return None
    if not (NL_LAT[0] <= lat <= NL_LAT[1] and NL_LON[0] <= lon <= NL_LON[1]):
        reader.error("location", row, "latitude", f"({lat}, {lon}) ligt buiten Nederland")
        return None
    return lat, lon


def _geocode(reader: Reader, where: Mapping[str, Any], values: dict[str, Any]) -> None:
    table = "address" if "address_1" in where else "location"
    try:
        point = reader.locator.locate(values["postcode"], values["place"])
    except ValueError as exc:
        reader.error(table, where, "postal_code" if values["postcode"] else "city", str(exc))
        return
    values.update(latitude=point.lat, longitude=point.lon, precision=point.precision)
    if point.gemeente_code:
        values.update(gemeente_code=point.gemeente_code, gemeente_name=point.gemeente_name)
