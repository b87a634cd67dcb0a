"""Field-level validation of flat rows into records ready to store.

Every problem becomes a :class:`~data.errors.RowError` naming row and field; a row is
either fully valid or reported, never half-imported.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from data import hours
from data.errors import InvalidOpeningHours, RowError
from data.models import stable_id
from data.vocab import KAPITAALSVORMEN, LOCATION_TYPES, NEED_KAPITAAL, NEEDS, SERVICE_KINDS

MAX_TEXT = 4000
MAX_SHORT = 300
_HTML = re.compile(r"<\s*/?\s*[a-z!][^>]*>|javascript:|\bon[a-z]+\s*=", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PC6 = re.compile(r"^\s*([1-9]\d{3})\s*-?\s*([A-Za-z]{2})?\s*$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[a-z]{2,}$", re.I)
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{7,18}[0-9]$")
_URL = re.compile(r"^https?://[^\s<>\"]+\.[^\s<>\"]+$", re.I)
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_YES = {"yes", "ja", "j", "y", "true", "1", "waar", "x"}
_NO = {"no", "nee", "n", "false", "0", "onwaar"}
_UNKNOWN = {"", "unknown", "onbekend", "?"}
# Netherlands, generously: lat 50.7–53.7, lon 3.2–7.3.
NL_LAT = (50.7, 53.7)
NL_LON = (3.2, 7.3)


class Located(Protocol):
    lat: float
    lon: float
    precision: str
    gemeente_code: str | None
    gemeente_name: str | None


class Locator(Protocol):
    """What validation needs from a geocoder (kaart provides one; tests may fake it)."""

    def locate(self, postcode: str | None, place: str | None) -> Located: ...

    def gemeente_at(self, lat: float, lon: float) -> tuple[str, str] | None: ...

    def gemeente_code(self, name: str) -> tuple[str, str] | None: ...


@dataclass
class FlatRecord:
    """One validated row: an organisation name, a location and the offer at it."""

    row: int
    service_id: str
    location_id: str
    name: str
    organisation: str | None
    kind: str
    needs: list[str]
    kapitaalsvormen: list[str]
    description: str
    location: dict[str, Any]
    service: dict[str, Any]
    provenance: dict[str, Any] = field(default_factory=dict)


class _Row:
    """Collects errors for one row while reading its fields."""

    def __init__(self, row: dict[str, str], number: int) -> None:
        self.row = row
        self.n = number
        self.errors: list[RowError] = []

    def error(self, fld: str, message: str) -> None:
        self.errors.append(RowError(self.n, fld, message))

    def text(self, fld: str, *, limit: int = MAX_TEXT, required: bool = False) -> str | None:
        value = (self.row.get(fld) or "").strip()
        if not value:
            if required:
                self.error(fld, "is leeg; vul dit in")
            return None
        if _CONTROL.search(value):
            self.error(fld, "bevat onzichtbare stuurtekens; plak de tekst opnieuw als platte tekst")
        elif _HTML.search(value):
            self.error(fld, "bevat HTML of script-code; alleen platte tekst is toegestaan")
        elif len(value) > limit:
            self.error(fld, f"is te lang ({len(value)} tekens, maximaal {limit})")
        return value

    def flag(self, fld: str) -> bool | None:
        value = (self.row.get(fld) or "").strip().lower()
        if value in _YES:
            return True
        if value in _NO:
            return False
        if value not in _UNKNOWN:
            self.error(fld, f"'{value}' is geen ja/nee (gebruik yes, no of unknown)")
        return None

    def codes(self, fld: str, allowed: tuple[str, ...]) -> list[str]:
        raw = (self.row.get(fld) or "").strip()
        items = [c.strip().lower() for c in re.split(r"[;,|]", raw) if c.strip()]
        bad = [c for c in items if c not in allowed]
        if bad:
            self.error(fld, f"onbekende waarde(n) {', '.join(map(repr, bad))}; kies uit: {', '.join(allowed)}")
        return sorted(dict.fromkeys(c for c in items if c in allowed))

    def number(self, fld: str) -> float | None:
        raw = (self.row.get(fld) or "").strip().replace(",", ".")
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            self.error(fld, f"'{raw}' is geen getal")
            return None
        if value != value or value in (float("inf"), float("-inf")):
            self.error(fld, f"'{raw}' is geen geldig getal")
            return None
        return value

    def date(self, fld: str, *, partial: bool = False) -> str | None:
        raw = (self.row.get(fld) or "").strip()
        if not raw:
            return None
        ok = _PARTIAL_DATE.match(raw) if partial else re.match(r"^\d{4}-\d{2}-\d{2}$", raw)
        if ok:
            try:
                dt.date.fromisoformat((raw + "-01-01")[:10] if partial else raw)
                return raw
            except ValueError:
                pass
        shape = "JJJJ, JJJJ-MM of JJJJ-MM-DD" if partial else "JJJJ-MM-DD"
        self.error(fld, f"'{raw}' is geen datum in de vorm {shape}")
        return None


def normalise_postcode(raw: str) -> str | None:
    """'9501ab' → '9501 AB'; '9501' → '9501'; anything else → None.

    >>> normalise_postcode("9501ab"), normalise_postcode(" 7811 "), normalise_postcode("0123")
    ('9501 AB', '7811', None)
    """
    m = _PC6.match(raw or "")
    if not m:
        return None
    letters = (m.group(2) or "").upper()
    if letters in {"SA", "SD", "SS"}:
        return None
    return f"{m.group(1)} {letters}" if letters else m.group(1)


def _contact(r: _Row) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    phone = r.text("phone", limit=40)
    if phone and not _PHONE.match(phone):
        r.error("phone", f"'{phone}' is geen telefoonnummer (bijvoorbeeld 0599 123 456)")
    email = r.text("email", limit=200)
    if email and not _EMAIL.match(email):
        r.error("email", f"'{email}' is geen e-mailadres")
    website = r.text("website", limit=500)
    if website:
        website = website.split(" ; ")[0].strip()
        if not _URL.match(website):
            r.error("website", f"'{website}' is geen webadres dat met http:// of https:// begint")
    out.update(phone=phone, email=email, url=website)
    return out


def _coordinates(r: _Row) -> tuple[float, float] | None:
    lat, lon = r.number("latitude"), r.number("longitude")
    if (lat is None) != (lon is None):
        r.error("latitude" if lat is None else "longitude", "vul zowel latitude als longitude in, of geen van beide")
        return None
    if lat is None or lon is None:
        return None
    if NL_LAT[0] <= lon <= NL_LAT[1] and NL_LON[0] <= lat <= NL_LON[1]:
        r.error("latitude", f"latitude {lat} en longitude {lon} lijken verwisseld")
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        r.error("latitude", f"({lat}, {lon}) is geen punt op aarde")
        return None
    if not (NL_LAT[0] <= lat <= NL_LAT[1] and NL_LON[0] <= lon <= NL_LON[1]):
        r.error("latitude", f"({lat}, {lon}) ligt buiten Nederland")
        return None
    return lat, lon


def _location(r: _Row, locator: Locator, name: str, org: str | None) -> dict[str, Any]:
    # leave room for " " + a house number (20) in the 300-character address column
    street = r.text("street", limit=MAX_SHORT - 21)
    number = r.text("house_number", limit=20)
    if number and not re.match(r"^\d+\s*[A-Za-z]?(\s*[-/]?\s*\w{1,6})?$", number):
        r.error("house_number", f"'{number}' is geen huisnummer")
    raw_pc = r.text("postcode", limit=10)
    postcode = normalise_postcode(raw_pc) if raw_pc else None
    if raw_pc and not postcode:
        r.error("postcode", f"'{raw_pc}' is geen Nederlandse postcode (4 cijfers en 2 letters, bijvoorbeeld 9501 AB)")
    place = r.text("place", limit=120)
    kind = (r.row.get("location_type") or "").strip().lower() or None
    if kind and kind not in LOCATION_TYPES:
        r.error("location_type", f"'{kind}' is onbekend; kies uit: {', '.join(LOCATION_TYPES)}")
    gemeenten = _gemeenten(r, locator)
    coords = _coordinates(r)
    loc: dict[str, Any] = {
        "name": name, "address": " ".join(p for p in (street, number) if p) or None,
        "postcode": postcode, "place": place, "latitude": None, "longitude": None,
        "precision": None, "location_type": kind or "physical",
        "gemeente_code": gemeenten[0][0] if gemeenten else None,
        "gemeente_name": gemeenten[0][1] if gemeenten else None,
        "service_area": [c for c, _ in gemeenten],
        "accessibility": r.text("accessibility"), "transport": r.text("transport"),
        "confidential": bool(r.flag("confidential")), "contact_point": r.text("contact_point"),
    }
    if loc["confidential"] and not loc["contact_point"]:
        r.error("contact_point", "een vertrouwelijk adres heeft een contactpunt nodig (telefoon of e-mail)")
    if coords:
        loc.update(latitude=coords[0], longitude=coords[1], location_type="physical",
                   precision="address" if (street and number) else "place")
        found = locator.gemeente_at(*coords)
        if found:
            loc.update(gemeente_code=found[0], gemeente_name=found[1])
    elif (postcode or place) and loc["location_type"] == "physical":
        _geocode(r, locator, loc, postcode, place)
    elif loc["location_type"] == "physical" and not r.errors:
        # No point at all: a service for a whole gemeente or region (shown by area, not on the map).
        loc["location_type"] = "virtual"
    return loc


def _geocode(r: _Row, locator: Locator, loc: dict[str, Any], postcode: str | None, place: str | None) -> None:
    try:
        point = _locate(locator, postcode, place, loc["gemeente_name"])
    except ValueError as exc:
        r.error("postcode" if postcode else "place", str(exc))
        return
    loc.update(latitude=point.lat, longitude=point.lon, precision=point.precision)
    if point.gemeente_code:
        loc.update(gemeente_code=point.gemeente_code, gemeente_name=point.gemeente_name)
        if point.gemeente_code not in loc["service_area"]:
            loc["service_area"] = [point.gemeente_code, *loc["service_area"]]


def _locate(locator: Locator, postcode: str | None, place: str | None, gemeente: str | None) -> Located:
    """Geocode; a place name that exists in several gemeenten is settled by the row's gemeente."""
    if postcode or not (place and gemeente):
        return locator.locate(postcode, place)
    try:
        return locator.locate(None, f"{place}, {gemeente}")
    except ValueError:
        return locator.locate(None, place)


def _gemeenten(r: _Row, locator: Locator) -> list[tuple[str, str]]:
    raw = (r.row.get("gemeente") or "").strip()
    found = []
    for name in (n.strip() for n in raw.split(";") if n.strip()):
        hit = locator.gemeente_code(name)
        if hit is None:
            r.error("gemeente", f"'{name}' is geen gemeente in Groningen of Drenthe")
        else:
            found.append(hit)
    return found


def _opening_hours(r: _Row) -> str | None:
    expr = r.text("opening_hours", limit=1000)
    if not expr:
        return None
    try:
        return hours.validate(expr)
    except InvalidOpeningHours as exc:
        r.error("opening_hours", str(exc))
        return None


def _ident(r: _Row, name: str, org: str | None, place: str | None) -> str:
    raw = (r.row.get("id") or "").strip()
    if not raw:
        return stable_id("service", org or "", name, place or "")
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        if re.match(r"^[a-z0-9][a-z0-9\-_.]{0,80}$", raw, re.I):
            return stable_id("service", raw)
        r.error("id", f"'{raw}' is geen geldige id (een UUID, of letters, cijfers en '-')")
        return ""


def validate_row(row: dict[str, str], number: int, locator: Locator) -> tuple[FlatRecord | None, list[RowError]]:
    """Validate one flat row; return the record or the row's errors."""
    r = _Row(row, number)
    name = r.text("name", limit=MAX_SHORT, required=True) or ""
    org = r.text("organisation", limit=MAX_SHORT)
    kind = (row.get("kind") or "").strip().lower() or "other"
    if kind not in SERVICE_KINDS:
        r.error("kind", f"'{kind}' is onbekend; kies uit: {', '.join(SERVICE_KINDS)}")
    needs = r.codes("needs", NEEDS)
    kapitaal = r.codes("kapitaalsvormen", KAPITAALSVORMEN) or sorted(
        {k for n in needs for k in NEED_KAPITAAL[n]}
    )
    description = r.text("description") or ""
    location = _location(r, locator, name, org)
    service = {
        "free": r.flag("free"), "referral_needed": r.flag("referral_needed"),
        "languages": [x.strip().lower() for x in (row.get("languages") or "").replace(",", ";").split(";") if x.strip()] or ["nl"],
        "eligibility": r.text("eligibility"), "opening_hours": _opening_hours(r),
        "opening_hours_text": r.text("opening_hours_text", limit=1000),
        "service_area": location.pop("service_area"), **_contact(r),
    }
    bad_lang = [x for x in service["languages"] if not re.match(r"^[a-z]{2,3}$", x)]
    if bad_lang:
        r.error("languages", f"{', '.join(bad_lang)}: gebruik taalcodes zoals nl, en, ar, uk")
    assured = r.date("assured_date")
    provenance = {
        "source": r.text("source", limit=2000) or "", "source_seen": r.date("source_seen", partial=True),
        # a date object, as the Date column holds (a string crashes SQLite and never compares equal)
        "assured_date": dt.date.fromisoformat(assured) if assured else None,
        "assured_by": r.text("assured_by", limit=200),
    }
    ident = _ident(r, name, org, location["place"])
    if r.errors:
        return None, r.errors
    loc_id = stable_id("location", ident)
    return FlatRecord(
        row=number, service_id=ident, location_id=loc_id, name=name, organisation=org,
        kind=kind, needs=needs, kapitaalsvormen=kapitaal, description=description,
        location=location, service=service, provenance=provenance,
    ), []


def validate_rows(rows: list[dict[str, str]], locator: Locator) -> tuple[list[FlatRecord], list[RowError]]:
    """Validate all rows; duplicates of one id are errors on the later row."""
    records: list[FlatRecord] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in rows:
        number = int(row.get("_row", len(records) + len(errors) + 1))
        record, row_errors = validate_row(row, number, locator)
        errors += row_errors
        if record is None:
            continue
        if record.service_id in seen:
            errors.append(RowError(number, "id", f"dubbel: dezelfde plek staat al in rij {seen[record.service_id]}"))
            continue
        seen[record.service_id] = number
        records.append(record)
    return records, errors
