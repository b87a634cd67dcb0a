"""Importing flat files (data.importer): planted faults are reported by row and field and
change nothing; valid files import atomically, in every encoding and layout, and a
re-import changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any, NoReturn

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from data import flat, importer, store
from data.db import Database
from data.dump import dump_registry
from data.errors import ImportFailed
from data.importer import import_bytes, import_file
from data.models import Location, Organisation, Service

SHIPPED_CSV = Path(__file__).resolve().parents[2] / "data" / "sources" / "warmtebronnen_gr_dr.csv"

HEADER: tuple[str, ...] = (
    "id", "name", "organisation", "kind", "needs", "kapitaalsvormen", "description",
    "street", "house_number", "postcode", "place", "gemeente", "latitude", "longitude",
    "location_type", "phone", "email", "website", "opening_hours", "free", "referral_needed",
    "languages", "confidential", "contact_point", "source", "source_seen", "assured_date",
    "assured_by",
)
_BLANK = dict.fromkeys(HEADER, "")

#: Three realistic places: one found by postcode, one by village name, one by coordinates.
#: The texts hold characters outside ASCII that Windows-1252 can encode (é, ë, ô, –).
VALID: list[dict[str, str]] = [
    _BLANK | {
        "id": "voedselbank-stadskanaal", "name": "Voedselbank Stadskanaal",
        "organisation": "Voedselbank Stadskanaal", "kind": "food_bank", "needs": "food",
        "description": "Voedselpakketten voor huishoudens met een laag inkomen, één keer per week.",
        "postcode": "9501 AB", "place": "Stadskanaal", "phone": "0599 123 456",
        "email": "info@voedselbank-stadskanaal.example",
        "website": "https://voedselbank-stadskanaal.example", "opening_hours": "Fr 13:00-16:00",
        "free": "ja", "referral_needed": "ja", "languages": "nl",
        "source": "https://voedselbank-stadskanaal.example/over-ons", "source_seen": "2024-05",
        "assured_date": "2024-06-01", "assured_by": "Programmateam Zuidoost",
    },
    _BLANK | {
        "name": "Buurthuis De Schakel", "organisation": "Stichting Ôns Huus",
        "kind": "community_centre", "needs": "meeting;children_youth", "kapitaalsvormen": "sociaal",
        "description": "Koffie, thee en een warme maaltijd; iedereen is welkom – ook zonder afspraak.",
        "place": "Nieuw-Buinen", "opening_hours": "Tu,Th 10:00-16:00", "free": "ja",
        "referral_needed": "nee", "source_seen": "2024",
    },
    _BLANK | {
        "id": "taalhuis-emmen", "name": "Taalhuis Emmen – Taalcafé", "organisation": "Bibliotheek Emmen",
        "kind": "language_help", "needs": "language_learning",
        "description": "Oefenen met Nederlands praten, lezen en schrijven; ook hulp bij DigiD.",
        "street": "Raadhuisplein", "house_number": "2", "place": "Emmen",
        "latitude": "52.7858", "longitude": "6.8976", "location_type": "physical",
        "email": "taalhuis@bibliotheek-emmen.example", "opening_hours": "We 14:00-16:00",
        "free": "yes", "referral_needed": "no", "languages": "nl;ar;uk",
    },
]


def _csv(rows: list[dict[str, str]], *, columns: tuple[str, ...] = HEADER, sep: str = ",",
         encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([row.get(c, "") for c in columns] for row in rows)
    return out.getvalue().encode(encoding)


def _typed(column: str, value: str) -> Any:
    """A cell as Excel holds it: numbers as numbers, dates as dates, nothing as empty."""
    if not value:
        return None
    if column in ("latitude", "longitude"):
        return float(value)
    if column == "assured_date":
        return dt.date.fromisoformat(value)
    return value


def _xlsx(rows: list[dict[str, str]], *, columns: tuple[str, ...] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_typed(c, row.get(c, "")) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _changed(number: int, **values: str) -> bytes:
    """The valid file with some fields of row ``number`` (1 = first data row) changed."""
    rows = [dict(r) for r in VALID]
    rows[number - 1].update(values)
    return _csv(rows)


def _plus_copy_of(number: int, **values: str) -> bytes:
    """The valid file plus a fourth row: a copy of row ``number`` with some fields changed."""
    return _csv([*VALID, VALID[number - 1] | values])


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("lijst.txt", "name\nVoedselbank\n")
    return out.getvalue()


VALID_CSV = _csv(VALID)
VALID_XLSX = _xlsx(VALID)
_LINES = VALID_CSV.split(b"\r\n")


def fault(content: bytes, row: int | None, field: str | None, fragment: str, *, id: str,
          name: str = "warmtebronnen.csv", limits: dict[str, int] | None = None) -> Any:
    return pytest.param(content, name, row, field, fragment, limits or {}, id=id)


FAULTS = [
    # --- one bad field in one row -------------------------------------------------------
    fault(_changed(2, name=""), 2, "name", "is leeg", id="missing-name"),
    fault(_changed(2, name="   "), 2, "name", "is leeg", id="blank-name"),
    fault(_changed(1, postcode="12345"), 1, "postcode", "geen Nederlandse postcode", id="postcode-5-digits"),
    fault(_changed(1, postcode="0123 AB"), 1, "postcode", "geen Nederlandse postcode", id="postcode-leading-zero"),
    fault(_changed(1, postcode="9501 SA"), 1, "postcode", "geen Nederlandse postcode", id="postcode-unissued-letters"),
    fault(_changed(1, postcode="9500 AB"), 1, "postcode", "9501 Stadskanaal", id="postcode-unknown-with-suggestion"),
    fault(_changed(3, latitude="6.8976", longitude="52.7858"), 3, "latitude", "verwisseld", id="lat-lon-swapped"),
    fault(_changed(3, latitude="48.8566", longitude="2.3522"), 3, "latitude", "buiten Nederland", id="point-in-paris"),
    fault(_changed(3, latitude="95", longitude="6.9"), 3, "latitude", "geen punt op aarde", id="point-off-earth"),
    fault(_changed(3, latitude="noord"), 3, "latitude", "geen getal", id="latitude-not-a-number"),
    fault(_changed(3, latitude="nan"), 3, "latitude", "geen geldig getal", id="latitude-nan"),
    fault(_changed(3, longitude=""), 3, "longitude", "zowel latitude als longitude", id="only-latitude"),
    fault(_changed(1, opening_hours="elke vrijdagmiddag"), 1, "opening_hours", "geen geldige openingstijd", id="opening-hours-unparseable"),
    fault(_changed(1, needs="food;eten"), 1, "needs", "'eten'", id="unknown-need"),
    fault(_changed(2, kapitaalsvormen="financieel"), 2, "kapitaalsvormen", "'financieel'", id="unknown-kapitaalsvorm"),
    fault(_changed(1, kind="soepkeuken"), 1, "kind", "'soepkeuken' is onbekend", id="unknown-kind"),
    fault(_changed(2, location_type="online"), 2, "location_type", "'online' is onbekend", id="unknown-location-type"),
    fault(_changed(1, id="voedselbank stadskanaal!"), 1, "id", "geen geldige id", id="malformed-id"),
    fault(_plus_copy_of(1, name="Voedselbank Stadskanaal (uitgifte)"), 4, "id", "rij 1", id="duplicate-id"),
    fault(_plus_copy_of(2), 4, "id", "rij 2", id="duplicate-place-without-id"),
    fault(_changed(2, description="Welkom! <script>alert(1)</script>"), 2, "description", "HTML of script", id="script-tag-in-description"),
    fault(_changed(2, name="Buurthuis onerror=alert(1)"), 2, "name", "HTML of script", id="onerror-attribute-in-name"),
    fault(_changed(1, website="javascript:alert(1)"), 1, "website", "HTML of script", id="javascript-url"),
    fault(_changed(1, website="www.voedselbank-stadskanaal.example"), 1, "website", "http://", id="website-without-scheme"),
    fault(_changed(1, email="info@voedselbank"), 1, "email", "geen e-mailadres", id="bad-email"),
    fault(_changed(1, phone="bel ons"), 1, "phone", "geen telefoonnummer", id="bad-phone"),
    fault(_changed(1, free="misschien"), 1, "free", "geen ja/nee", id="bad-free-flag"),
    fault(_changed(2, referral_needed="soms"), 2, "referral_needed", "geen ja/nee", id="bad-referral-flag"),
    fault(_changed(2, place="Nieuwebuinen"), 2, "place", "Nieuw-Buinen", id="unknown-place-with-suggestion"),
    fault(_changed(2, place="Zuidwolde"), 2, "place", "Zuidwolde (De Wolden)", id="ambiguous-place-without-gemeente"),
    fault(_changed(2, gemeente="Amsterdam"), 2, "gemeente", "geen gemeente in Groningen of Drenthe", id="unknown-gemeente"),
    fault(_changed(2, description="Koffie\x07 en thee"), 2, "description", "stuurtekens", id="control-character"),
    fault(_changed(2, description="x" * 5000), 2, "description", "te lang (5000 tekens", id="text-too-long"),
    fault(_changed(1, street="Hoofdstraat " * 25, house_number="12"), 1, "street", "te lang", id="address-too-long"),
    fault(_changed(3, house_number="twee"), 3, "house_number", "geen huisnummer", id="bad-house-number"),
    fault(_changed(1, assured_date="31-02-2024"), 1, "assured_date", "JJJJ-MM-DD", id="assured-date-dutch-order"),
    fault(_changed(1, assured_date="2024-02-31"), 1, "assured_date", "JJJJ-MM-DD", id="assured-date-impossible"),
    fault(_changed(1, source_seen="mei 2024"), 1, "source_seen", "JJJJ-MM", id="bad-source-seen"),
    fault(_changed(2, confidential="ja"), 2, "contact_point", "contactpunt", id="confidential-without-contact-point"),
    fault(_changed(3, languages="nl;Nederlands"), 3, "languages", "nederlands", id="bad-language-code"),
    # --- broken rows and columns --------------------------------------------------------
    fault(b"\r\n".join([*_LINES[:2], _LINES[2] + b",extra", *_LINES[3:]]), 2, None, "velden", id="ragged-row"),
    fault(b"\r\n".join([*_LINES[:2], _LINES[2].replace(b'afspraak."', b"afspraak.", 1), *_LINES[3:]]), 2, None, "aanhalingsteken", id="unclosed-quote"),
    fault(_changed(2, description="x" * 200_000), 2, None, "aanhalingsteken", id="cell-over-csv-field-limit"),
    fault(_csv(VALID, columns=(*HEADER, "telefoonnummer")), None, "telefoonnummer", "onbekende kolom", id="unknown-column"),
    fault(_csv(VALID, columns=(*HEADER, "")), None, "(leeg)", "onbekende kolom", id="unnamed-column"),
    fault(_csv(VALID, columns=tuple(c for c in HEADER if c != "name")), None, "name", "verplichte kolom ontbreekt", id="missing-name-column"),
    fault(_csv(VALID, columns=(*HEADER, "naam")), None, "name", "meer dan eens", id="duplicated-column"),
    # --- files that are not a flat table --------------------------------------------------
    fault(VALID_CSV.replace("één".encode(), b"\x81\x8d"), None, None, "UTF-8 of Windows-1252", id="wrong-encoding"),
    fault(_png(), None, None, "binaire gegevens", id="png-image", name="warmtebronnen.png"),
    fault(b"", None, None, "leeg", id="empty-file"),
    fault(b"  \r\n\t\r\n  ", None, None, "leeg", id="whitespace-only"),
    fault(_LINES[0] + b"\r\n", None, None, "geen rijen", id="header-only"),
    fault(_LINES[0] + b"\r\n,,,\r\n", None, None, "geen rijen", id="header-and-blank-rows"),
    fault(b"PK\x03\x04" + bytes(200), None, None, "geen leesbaar Excel", id="corrupt-xlsx", name="lijst.xlsx"),
    fault(VALID_XLSX[: len(VALID_XLSX) // 2], None, None, "geen leesbaar Excel", id="truncated-xlsx", name="lijst.xlsx"),
    fault(VALID_CSV, None, None, "geen leesbaar Excel", id="csv-named-xlsx", name="lijst.xlsx"),
    fault(_zip_without_workbook(), None, None, "geen leesbaar Excel", id="zip-without-workbook"),
    fault(_xlsx([VALID[0], VALID[1] | {"name": ""}, VALID[2]]), 2, "name", "is leeg", id="xlsx-missing-name", name="lijst.xlsx"),
    fault(VALID_CSV, None, None, "groter dan", id="csv-over-byte-limit", limits={"MAX_BYTES": 500}),
    fault(VALID_CSV, None, None, "Meer dan 2 rijen", id="csv-over-row-limit", limits={"MAX_ROWS": 2}),
    fault(VALID_XLSX, None, None, "groter dan", id="xlsx-over-byte-limit", name="lijst.xlsx", limits={"MAX_BYTES": 500}),
    fault(VALID_XLSX, None, None, "Meer dan 2 rijen", id="xlsx-over-row-limit", name="lijst.xlsx", limits={"MAX_ROWS": 2}),
]


def _import(db: Database, geocoder: Any, content: bytes, name: str = "warmtebronnen.csv") -> store.ImportReport:
    with db.session() as session:
        return import_bytes(session, content, name, geocoder)


def _dump(db: Database) -> dict[str, Any]:
    with db.session() as session:
        return dump_registry(session)


def _service(db: Database, name: str) -> Service:
    with db.session() as session:
        service = session.scalar(select(Service).where(Service.name == name))
        assert service is not None, name
        _ = service.location, service.needs
        return service


def _failure(db: Database, geocoder: Any, content: bytes, name: str = "warmtebronnen.csv") -> ImportFailed:
    with pytest.raises(ImportFailed) as failed:
        _import(db, geocoder, content, name)
    return failed.value


# --- planted faults ---------------------------------------------------------------------


def test_fault_list_is_long_enough() -> None:
    assert len({p.id for p in FAULTS}) == len(FAULTS) >= 30


@pytest.mark.parametrize(("content", "name", "row", "field", "fragment", "limits"), FAULTS)
def test_planted_fault_is_reported_and_changes_nothing(
    db: Database, geocoder: Any, monkeypatch: pytest.MonkeyPatch, content: bytes, name: str,
    row: int | None, field: str | None, fragment: str, limits: dict[str, int],
) -> None:
    _import(db, geocoder, VALID_CSV)
    before, version = _dump(db), db.version()
    for limit, value in limits.items():
        monkeypatch.setattr(flat, limit, value)

    errors = _failure(db, geocoder, content, name).errors

    assert any(e.row == row and e.field == field and fragment in e.message for e in errors), errors
    assert (_dump(db), db.version()) == (before, version)


def test_errors_in_several_rows_are_all_reported_sorted_by_row(db: Database, geocoder: Any) -> None:
    rows = [dict(r) for r in VALID]
    rows[2]["latitude"], rows[2]["longitude"] = "6.8976", "52.7858"
    rows[0]["postcode"] = "12345"
    rows[1]["name"] = ""

    errors = _failure(db, geocoder, _csv(rows)).errors

    assert [(e.row, e.field) for e in errors] == [(1, "postcode"), (2, "name"), (3, "latitude")]


def test_several_errors_in_one_row_are_all_reported(db: Database, geocoder: Any) -> None:
    errors = _failure(db, geocoder, _changed(1, email="info@", phone="bel ons", free="misschien")).errors

    assert sorted(e.field for e in errors if e.row == 1) == ["email", "free", "phone"]


def test_error_in_valid_file_on_empty_database_stores_nothing(db: Database, geocoder: Any) -> None:
    _failure(db, geocoder, _changed(3, latitude="noord"))

    assert (_dump(db)["service"], db.version()) == ([], 0)


def test_missing_file_is_reported(db: Database, geocoder: Any, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as failed, db.session() as session:
        import_file(session, tmp_path / "bestaat-niet.csv", geocoder)

    assert "bestaat niet" in failed.value.errors[0].message


# --- a valid file -------------------------------------------------------------------------


def test_valid_file_creates_every_row(db: Database, geocoder: Any) -> None:
    report = _import(db, geocoder, VALID_CSV)

    assert report.as_dict() == {"created": 3, "updated": 0, "unchanged": 0, "organisations_created": 3}


@pytest.mark.parametrize(
    ("name", "precision", "gemeente_code"),
    [
        ("Voedselbank Stadskanaal", "postcode", "GM0037"),  # a PC4 centre is never "address"
        ("Buurthuis De Schakel", "place", "GM1681"),
        ("Taalhuis Emmen – Taalcafé", "address", "GM0114"),
    ],
)
def test_valid_row_is_placed(db: Database, geocoder: Any, name: str, precision: str, gemeente_code: str) -> None:
    _import(db, geocoder, VALID_CSV)

    location = _service(db, name).location

    assert (location.precision, location.gemeente_code) == (precision, gemeente_code)


@pytest.mark.parametrize(
    ("name", "attribute", "expected"),
    [
        ("Voedselbank Stadskanaal", "needs", ["food"]),
        ("Voedselbank Stadskanaal", "kapitaalsvormen", ["economisch"]),  # derived from the need
        ("Buurthuis De Schakel", "kapitaalsvormen", ["sociaal"]),  # given, so not derived
        ("Voedselbank Stadskanaal", "free", True),
        ("Buurthuis De Schakel", "referral_needed", False),
        ("Taalhuis Emmen – Taalcafé", "languages", ["nl", "ar", "uk"]),
        ("Buurthuis De Schakel", "languages", ["nl"]),
        ("Voedselbank Stadskanaal", "opening_hours", "Fr 13:00-16:00"),
        ("Voedselbank Stadskanaal", "assured_date", dt.date(2024, 6, 1)),
        ("Buurthuis De Schakel", "source_seen", "2024"),
        ("Voedselbank Stadskanaal", "phone", "0599 123 456"),
        ("Buurthuis De Schakel", "description", VALID[1]["description"]),
    ],
)
def test_valid_row_service_value(db: Database, geocoder: Any, name: str, attribute: str, expected: Any) -> None:
    _import(db, geocoder, VALID_CSV)

    assert getattr(_service(db, name), attribute) == expected


@pytest.mark.parametrize(
    ("name", "attribute", "expected"),
    [
        ("Voedselbank Stadskanaal", "postcode", "9501 AB"),
        ("Taalhuis Emmen – Taalcafé", "address", "Raadhuisplein 2"),
        ("Taalhuis Emmen – Taalcafé", "latitude", 52.7858),
        ("Buurthuis De Schakel", "gemeente_name", "Borger-Odoorn"),
        ("Buurthuis De Schakel", "place", "Nieuw-Buinen"),
    ],
)
def test_valid_row_location_value(db: Database, geocoder: Any, name: str, attribute: str, expected: Any) -> None:
    _import(db, geocoder, VALID_CSV)

    assert getattr(_service(db, name).location, attribute) == expected


def test_ambiguous_place_is_settled_by_gemeente(db: Database, geocoder: Any) -> None:
    _import(db, geocoder, _changed(2, place="Zuidwolde", gemeente="De Wolden"))

    assert _service(db, "Buurthuis De Schakel").location.gemeente_code == "GM1690"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        pytest.param(_csv(VALID, sep=";", encoding="cp1252"), "lijst.csv", id="windows-1252-semicolon"),
        pytest.param(_csv(VALID, sep=",", encoding="cp1252"), "lijst.csv", id="windows-1252-comma"),
        pytest.param(_csv(VALID, sep=",", encoding="utf-8-sig"), "lijst.csv", id="utf-8-bom-comma"),
        pytest.param(_csv(VALID, sep=";", encoding="utf-8-sig"), "lijst.csv", id="utf-8-bom-semicolon"),
        pytest.param(_csv(VALID, sep="\t", encoding="utf-16"), "lijst.txt", id="utf-16-tab"),
        pytest.param(VALID_XLSX, "lijst.xlsx", id="xlsx"),
        pytest.param(VALID_XLSX, "lijst", id="xlsx-without-extension"),
    ],
)
def test_other_encoding_or_layout_imports_identically(db: Database, geocoder: Any, content: bytes, name: str) -> None:
    _import(db, geocoder, content, name)

    # The reference file finds every record exactly as the variant stored it.
    report = _import(db, geocoder, VALID_CSV)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def test_windows_1252_keeps_accents(db: Database, geocoder: Any) -> None:
    _import(db, geocoder, _csv(VALID, sep=";", encoding="cp1252"))

    with db.session() as session:
        names = set(session.scalars(select(Organisation.name)))

    assert "Stichting Ôns Huus" in names


def test_reimport_reports_every_row_unchanged(db: Database, geocoder: Any) -> None:
    _import(db, geocoder, VALID_CSV)

    report = _import(db, geocoder, VALID_CSV)

    assert report.as_dict() == {"created": 0, "updated": 0, "unchanged": 3, "organisations_created": 0}


def test_reimport_keeps_data_and_version(db: Database, geocoder: Any) -> None:
    _import(db, geocoder, VALID_CSV)
    before, version = _dump(db), db.version()

    _import(db, geocoder, VALID_CSV)

    assert (_dump(db), db.version()) == (before, version)


def test_one_changed_field_updates_one_record(db: Database, geocoder: Any) -> None:
    _import(db, geocoder, VALID_CSV)

    report = _import(db, geocoder, _changed(2, opening_hours="Tu,Th 10:00-17:00"))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)


def test_one_changed_field_bumps_version_once(db: Database, geocoder: Any) -> None:
    _import(db, geocoder, VALID_CSV)
    version = db.version()

    _import(db, geocoder, _changed(2, opening_hours="Tu,Th 10:00-17:00"))

    assert db.version() == version + 1


def test_same_name_and_place_with_other_ids_get_distinct_slugs(db: Database, geocoder: Any) -> None:
    _import(db, geocoder, _plus_copy_of(1, id="voedselbank-stadskanaal-2"))

    with db.session() as session:
        slugs = list(session.scalars(select(Location.slug).where(Location.place == "Stadskanaal")))

    assert len(set(slugs)) == 2


def test_long_organisation_names_sharing_a_slug_both_import(db: Database, geocoder: Any) -> None:
    long_name = "Stichting Samenwerkende Kerken en Maatschappelijke Organisaties " * 2
    rows = [VALID[0] | {"organisation": long_name + "Oost"}, VALID[1] | {"organisation": long_name + "West"}]

    _import(db, geocoder, _csv(rows))

    with db.session() as session:
        slugs = list(session.scalars(select(Organisation.slug)))

    assert len(set(slugs)) == 2 and all(len(s) <= 120 for s in slugs)


# --- atomicity ----------------------------------------------------------------------------


@pytest.mark.parametrize("existing", [False, True], ids=["empty-db", "filled-db"])
def test_failure_while_writing_leaves_nothing(
    db: Database, geocoder: Any, monkeypatch: pytest.MonkeyPatch, existing: bool,
) -> None:
    if existing:
        _import(db, geocoder, VALID_CSV)
    before, version = _dump(db), db.version()
    content = _csv([VALID[0] | {"free": "nee"}, VALID[1], VALID[2], VALID[0] | {"id": "voedselbank-2"}])

    def first_half_then_disk_full(session: Any, records: list[Any]) -> NoReturn:
        store.upsert_flat(session, records[:2])
        session.flush()  # the first half really reaches the database
        assert session.get(Service, records[1].service_id) is not None
        raise OSError("schijf vol")

    monkeypatch.setattr(importer, "upsert_flat", first_half_then_disk_full)
    with pytest.raises(OSError, match="schijf vol"):
        _import(db, geocoder, content)

    assert (_dump(db), db.version()) == (before, version)


# --- the shipped data -------------------------------------------------------------------


def test_shipped_warmtebronnen_import(db: Database, geocoder: Any) -> None:
    report = _import(db, geocoder, SHIPPED_CSV.read_bytes(), SHIPPED_CSV.name)

    with db.session() as session:
        stored = session.scalar(select(func.count(Service.id)))

    assert (report.created, stored) == (159, 159)


# --- any rows at all ----------------------------------------------------------------------

#: Plausible values per column: the valid rows' values plus a few for the other columns.
_GOOD: dict[str, list[str]] = {
    column: sorted({r.get(column, "") for r in VALID} - {""}) for column in flat.COLUMNS
} | {
    "opening_hours_text": ["vrijdag van 13:00 tot 16:00"], "eligibility": ["met een verwijsbrief"],
    "accessibility": ["rolstoeltoegankelijk"], "transport": ["bus 73, halte Raadhuisplein"],
    "gemeente": ["Emmen"],
}
#: Columns that are only plausible together, and values that fit together.
_PAIRS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("latitude", "longitude"): [("52.7858", "6.8976"), ("53.2192", "6.5667")],
    ("confidential", "contact_point"): [("ja", "0599 123 456"), ("nee", "")],
}


@st.composite
def _row(draw: st.DrawFn) -> dict[str, str | None]:
    """Plausible values (None: an empty cell, or no column if so in every row), then any
    text or nothing in up to three columns."""
    paired = {column for pair in _PAIRS for column in pair}
    row = {c: draw(st.none() | st.sampled_from(_GOOD[c])) for c in flat.COLUMNS if c not in paired}
    row["name"] = draw(st.sampled_from(_GOOD["name"]))
    for pair, values in _PAIRS.items():
        row.update(zip(pair, draw(st.none() | st.sampled_from(values)) or (None, None), strict=True))
    noise = st.dictionaries(st.sampled_from(flat.COLUMNS), st.none() | st.text(max_size=24), max_size=3)
    return row | draw(noise)


_ROWS = st.lists(_row(), min_size=1, max_size=3)


def _file_of(rows: list[dict[str, str | None]]) -> bytes:
    """CSV of the generated rows; a column that is None in every row is left out."""
    columns = tuple(c for c in flat.COLUMNS if any(r[c] is not None for r in rows))
    return _csv([{c: r[c] or "" for c in columns} for r in rows], columns=columns or ("name",))


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=_ROWS)
def test_any_rows_import_or_fail_cleanly(db: Database, geocoder: Any, rows: list[dict[str, str | None]]) -> None:
    before, version = _dump(db), db.version()
    try:
        report = _import(db, geocoder, _file_of(rows))
    except ImportFailed as exc:
        event("refused")
        assert exc.errors and all(e.message for e in exc.errors)
        assert (_dump(db), db.version()) == (before, version)
    else:
        event("imported")
        stored = {s["id"] for s in _dump(db)["service"]}
        assert report.ids and set(report.ids) <= stored
