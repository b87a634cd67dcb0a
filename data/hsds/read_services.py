"""Import: services from HSDS rows, as planned values, one per location offered at.

Reads kind, needs and kapitaalsvormen (ours, or guessed from other producers' terms),
costs and referral, opening hours from schedules (via `data.hours.from_hsds_schedules`),
languages and service areas.

Nothing is written here (`data.hsds.importing`); organisations and locations are
`data.hsds.read_places`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from data import hours
from data.errors import InvalidOpeningHours
from data.hsds.common import GM_CODE
from data.hsds.reader import Attributes, Reader, allowed_codes, flag, provenance, read_attributes
from data.models import stable_id
from data.validate import MAX_SHORT
from data.vocab import KAPITAALSVORMEN, NEED_KAPITAAL, NEEDS, SERVICE_KINDS

_TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:Z|[+-]\d\d:\d\d)?$")


def plan_services(
    reader: Reader, row: dict[str, Any], locations: Mapping[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The service as planned records: one per location it is offered at."""
    t = "service"
    if row.get("status") in ("inactive", "defunct"):
        reader.notes.append(f"service rij {row['_row']}: status '{row['status']}', niet ingelezen")
        return []
    attrs = read_attributes(reader, row["id"])
    values = {
        "id": row["id"],
        "name": reader.text(t, row, "name", limit=MAX_SHORT, required=True) or "",
        "description": reader.description(t, row),
        "eligibility": reader.text(t, row, "eligibility_description"),
        **_contact(reader, row, attrs.fields),
        **_kinds(reader, row, attrs),
        **_terms(reader, row, attrs.fields),
        **_hours(reader, row, attrs.fields),
        "languages": _languages(reader, row["id"]),
        "service_area": _areas(reader, row["id"]),
        **provenance(reader, t, row, attrs.fields),
    }
    return _per_location(reader, row, values, locations)


def _contact(reader: Reader, row: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    phones = reader.children("phone", "service_id", row["id"])
    if len(phones) > 1:
        reader.notes.append(f"service rij {row['_row']}: alleen het eerste telefoonnummer bewaard")
    return {
        "url": reader.text("service", row, "url", limit=500) or fields.get("url"),
        "email": reader.text("service", row, "email", limit=200) or fields.get("email"),
        "phone": reader.text("phone", phones[0], "number", limit=40) if phones else None,
    }


def _kinds(reader: Reader, row: Mapping[str, Any], attrs: Attributes) -> dict[str, Any]:
    t = "service"
    if attrs.is_ours:
        needs = allowed_codes(reader, t, row, attrs.codes("kik-needs"), NEEDS, "behoefte(n)")
        kapitaal = allowed_codes(
            reader, t, row, attrs.codes("kik-kapitaalsvormen"), KAPITAALSVORMEN, "kapitaalsvorm(en)"
        )
        kind = (
            allowed_codes(reader, t, row, attrs.codes("kik-service-kinds"), SERVICE_KINDS, "soort")
            or ["other"]
        )[0]
    else:
        needs = [n for n in NEEDS if n in attrs.other]
        kapitaal = sorted({k for n in needs for k in NEED_KAPITAAL[n]})
        kind = next((k for k in SERVICE_KINDS if k in attrs.other), "other")
    return {"needs": sorted(set(needs)), "kapitaalsvormen": kapitaal, "kind": kind}


def _terms(reader: Reader, row: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
    free = flag(reader, "service", row, fields, "free")
    if free is None and "free" not in fields:
        amounts = [c.get("amount") for c in reader.children("cost_option", "service_id", row["id"])]
        numbers = [a for a in amounts if isinstance(a, (int, float))]
        free = (all(a == 0 for a in numbers)) if numbers else None
    return {
        "free": free,
        "referral_needed": flag(reader, "service", row, fields, "referral_needed"),
    }


def _hours(reader: Reader, row: Mapping[str, Any], fields: Mapping[str, str]) -> dict[str, Any]:
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


def _schedules_of(reader: Reader, service_id: str) -> list[dict[str, Any]]:
    own = list(reader.children("schedule", "service_id", service_id))
    for sal in reader.children("service_at_location", "service_id", service_id):
        own += [
            s
            for s in reader.children("schedule", "service_at_location_id", sal["id"])
            if s not in own
        ]
    if own:
        return own
    for sal in reader.children("service_at_location", "service_id", service_id):
        own += [
            s
            for s in reader.children("schedule", "location_id", sal.get("location_id"))
            if not s.get("service_id")
        ]
    return own


def _times_ok(reader: Reader, schedule: Mapping[str, Any]) -> bool:
    ok = True
    for fld in ("opens_at", "closes_at"):
        value = schedule.get(fld)
        if value in (None, "") or (fld == "closes_at" and value in ("24:00", "24:00:00")):
            continue
        if not isinstance(value, str) or not _TIME.match(value):
            reader.error(
                "schedule",
                schedule,
                fld,
                f"'{value}' is geen tijd als 09:30 (uren 00-23, minuten 00-59)",
            )
            ok = False
    return ok


def _hours_error(reader: Reader, schedules: list[dict[str, Any]], exc: InvalidOpeningHours) -> None:
    by_id = {f"HSDS-schema {s.get('id')}": s for s in schedules}
    schedule = by_id.get(exc.expr, schedules[0] if schedules else None)
    known = (
        "opens_at",
        "closes_at",
        "byday",
        "interval",
        "dtstart",
        "freq",
        "bymonthday",
        "byweekno",
    )
    fld = next((f for f in known if f in exc.reason), "notes")
    reader.error("schedule", schedule, fld, f"openingstijden niet te lezen: {exc.reason}")


def _languages(reader: Reader, service_id: str) -> list[str]:
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


def _areas(reader: Reader, service_id: str) -> list[str]:
    codes: list[str] = []
    for row in reader.children("service_area", "service_id", service_id):
        code = _area_code(reader, row)
        if code is None:
            reader.notes.append(f"service_area rij {row['_row']}: geen gemeente herkend, genegeerd")
        elif code not in codes:
            codes.append(code)
    return codes


def _area_code(reader: Reader, row: Mapping[str, Any]) -> str | None:
    for value in (row.get("uri"), row.get("name")):
        match = GM_CODE.search(str(value or ""))
        if match:
            return f"GM{match[1]}"
    found = reader.locator.gemeente_code(str(row["name"])) if row.get("name") else None
    return found[0] if found else None


def _per_location(
    reader: Reader,
    row: Mapping[str, Any],
    values: dict[str, Any],
    locations: Mapping[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    links = [
        s.get("location_id")
        for s in reader.children("service_at_location", "service_id", row["id"])
    ]
    links = list(dict.fromkeys(link for link in links if isinstance(link, str))) or [None]
    if len(links) > 1:
        reader.notes.append(
            f"service rij {row['_row']}: aangeboden op {len(links)} locaties; "
            "één aanbod per locatie gemaakt (nieuwe id's vanaf de tweede)"
        )
    planned = []
    for n, location_id in enumerate(links):
        own = dict(values, location_id=location_id)
        if n:
            own["id"] = stable_id("service", row["id"], location_id)
        location = locations.get(location_id or "")
        if not own.get("organisation_id"):
            own["organisation_id"] = row.get("organization_id") or (location or {}).get(
                "organisation_id"
            )
        if location is not None and not location.get("organisation_id"):
            location["organisation_id"] = own["organisation_id"]
        planned.append(own)
    return planned
