"""HSDS 3.0 export and import (data/hsds/)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from data import hsds
from data.db import Database
from data.errors import ImportFailed
from data.models import Location, Organisation, Service, ServiceNeed, stable_id

HERE = Path(__file__).parent
OTHER_PRODUCER = HERE / "hsds_other_producer"
SIMPLE_SCHEMA = hsds.SCHEMA_DIR / "simple" / "schema.csv"

# The confidential location: none of this may leave the registry.
SECRET_STREET = "Geheimelaan 7"
SECRET_POSTCODE = "9401 ZZ"
SECRET_LAT, SECRET_LON = 52.99317, 6.56421
SECRET_TRANSPORT = "Bus 9, halte Vredeveldseweg"


def _ids(name: str) -> dict[str, str]:
    return {"org": stable_id("organisation", name), "loc": stable_id("location", name),
            "svc": stable_id("service", name)}


FOOD, SAFE, ONLINE, CLOTHES = _ids("food"), _ids("safe"), _ids("online"), _ids("clothes")
ORG_A, ORG_B = FOOD["org"], SAFE["org"]


def build_registry(session) -> None:
    """Two organisations, four locations (address, confidential, virtual, postcode), four services."""
    session.add_all([
        Organisation(
            id=ORG_A, slug="voedselbank-groningen", name="Stichting Voedselbank Groningen",
            sector="food_aid", is_partner=True, partner_since=2021,
            description="Voedselpakketten voor huishoudens met te weinig geld.",
            website="https://voedselbank-groningen.example.nl", phone="050 000 1111",
            email="info@voedselbank-groningen.example.nl", source="partners_avk.csv",
            source_seen="2024-05", assured_date=dt.date(2024, 6, 1), assured_by="Jan de Vries",
        ),
        Organisation(
            id=ORG_B, slug="humanitas-drenthe", name="Humanitas Drenthe", sector="welfare",
            website="www.humanitas-drenthe.example.nl", source="handmatig",
        ),
    ])
    session.flush()
    session.add_all([
        Location(
            id=FOOD["loc"], slug="voedselbank-peizerweg", organisation_id=ORG_A,
            name="Voedselbank Groningen, uitgiftepunt Peizerweg", address="Peizerweg 20",
            postcode="9727 AJ", place="Groningen", gemeente_code="GM0014", gemeente_name="Groningen",
            latitude=53.2112, longitude=6.5451, precision="address",
            accessibility="Rolstoeltoegankelijk", transport="Bus 4, halte Peizerweg",
            source="warmtebronnen", source_seen="2024-05",
        ),
        Location(
            id=SAFE["loc"], slug="vrouwenopvang-drenthe", organisation_id=ORG_B,
            name="Vrouwenopvang Drenthe", address=SECRET_STREET, postcode=SECRET_POSTCODE,
            place="Assen", gemeente_code="GM0106", gemeente_name="Assen", latitude=SECRET_LAT,
            longitude=SECRET_LON, precision="address", transport=SECRET_TRANSPORT,
            accessibility="Ingang aan de Geheimelaan", confidential=True,
            contact_point="0592 123 456",
        ),
        Location(
            id=ONLINE["loc"], slug="thuisadministratie-online", organisation_id=ORG_B,
            name="Humanitas Thuisadministratie (online en telefonisch)", location_type="virtual",
            gemeente_code="GM0114", gemeente_name="Emmen",
        ),
        Location(
            id=CLOTHES["loc"], slug="kledingbank-emmen", name="Kledingbank Emmen",
            postcode="7811", place="Emmen", gemeente_code="GM0114", gemeente_name="Emmen",
            latitude=52.7858, longitude=6.8976, precision="postcode",
        ),
    ])
    session.flush()
    session.add_all([
        _service(FOOD, ORG_A, name="Voedselpakket", kind="food_bank", needs=["food", "money_debt"],
                 kapitaalsvormen=["economisch", "mentaal"], free=True, referral_needed=True,
                 languages=["nl", "en"], eligibility="Met een verwijzing van een hulpverlener",
                 opening_hours="Mo-Fr 09:00-12:00,13:00-17:00; PH off",
                 opening_hours_text="Werkdagen, ochtend en middag", service_area=["GM0014"],
                 url="https://voedselbank-groningen.example.nl/pakket", phone="050 000 2222",
                 email="pakket@voedselbank-groningen.example.nl", source="warmtebronnen",
                 source_seen="2024-05", assured_date=dt.date(2024, 6, 3),
                 assured_by="controle@voedselbank-groningen.example.nl"),
        _service(SAFE, ORG_B, name="Opvang en advies", kind="welfare",
                 needs=["housing_energy", "practical_help"],
                 kapitaalsvormen=["pedagogisch", "cultureel"], free=True, referral_needed=False,
                 opening_hours="Mo-Su 00:00-24:00", service_area=["GM0106"], languages=["nl"]),
        _service(ONLINE, ORG_B, name="Thuisadministratie", kind="debt_help", needs=["money_debt"],
                 kapitaalsvormen=[], phone="0591 123 456",
                 url="https://humanitas-drenthe.example.nl/thuisadministratie",
                 service_area=["GM0114", "GM0106"]),
        _service(CLOTHES, None, name="Kledingbank Emmen", kind="clothing_bank", needs=["clothing"],
                 kapitaalsvormen=["economisch"], free=False, languages=["nl"],
                 opening_hours='Sa[1] 10:00-12:00 "eerste zaterdag van de maand"'),
    ])
    session.flush()
    session.get(Organisation, ORG_A).office_location_id = FOOD["loc"]


def _service(ids: dict[str, str], org: str | None, *, needs: list[str], **values) -> Service:
    service = Service(id=ids["svc"], organisation_id=org, location_id=ids["loc"], **values)
    service.need_rows = [ServiceNeed(need=n) for n in needs]
    return service


@pytest.fixture
def registry(make_db) -> Database:
    return make_db("source", fill=build_registry)


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(hsds.compiled_schema(kind), format_checker=hsds.format_checker())


def assert_valid(kind: str, doc: dict) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(kind).iter_errors(doc)]
    assert errors == [], f"{kind} {doc.get('id')}: {errors}"


def export(db: Database) -> dict:
    with db.session() as session:
        return hsds.export_json(session)


def attributes(doc: dict, taxonomy: str) -> dict[str, str | None]:
    return {a["taxonomy_term"]["code"]: a.get("value") for a in doc.get("attributes", [])
            if a["taxonomy_term"]["taxonomy"] == taxonomy}


def by_id(items: list[dict], ident: str) -> dict:
    return next(item for item in items if item["id"] == ident)


# --- export --------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "kind"), [
    ("organizations", "organization"), ("services", "service"), ("locations", "location"),
    ("service_at_locations", "service_at_location"),
])
def test_every_exported_object_validates_against_the_compiled_schema(registry, key, kind):
    docs = export(registry)[key]
    assert docs
    for doc in docs:
        assert_valid(kind, doc)


def test_nested_service_documents_validate(registry):
    with registry.session() as session:
        docs = [hsds.service_doc(s) for s in session.scalars(select(Service))]
        sals = [hsds.service_at_location_doc(s) for s in session.scalars(select(Service))]
    for doc in docs:
        assert_valid("service", doc)
    for doc in sals:
        assert_valid("service_at_location", doc)
    food = by_id(docs, FOOD["svc"])
    assert food["organization"]["id"] == ORG_A
    assert food["service_at_locations"][0]["location"]["id"] == FOOD["loc"]


def test_format_checker_rejects_a_bad_uri_and_uuid():
    doc = {"id": "not-a-uuid", "name": "x", "description": "", "website": "www.example.nl"}
    fields = {e.path[-1] for e in validator("organization").iter_errors(doc)}
    assert fields == {"id", "website"}


def test_service_carries_needs_schedules_and_terms(registry):
    food = by_id(export(registry)["services"], FOOD["svc"])
    assert attributes(food, "kik-needs") == {"food": None, "money_debt": None}
    assert list(attributes(food, "kik-kapitaalsvormen")) == ["economisch", "mentaal"]
    assert attributes(food, "kik-service-kinds") == {"food_bank": None}
    assert [s["byday"] for s in food["schedules"]] == ["MO,TU,WE,TH,FR"] * 2
    assert [(s["opens_at"], s["closes_at"]) for s in food["schedules"]] == [("09:00", "12:00"), ("13:00", "17:00")]
    assert food["cost_options"][0]["amount"] == 0
    assert food["application_process"] == hsds.REFERRAL_TEXT
    assert food["assurer_email"] == "controle@voedselbank-groningen.example.nl"
    assert [lang["code"] for lang in food["languages"]] == ["nl", "en"]
    assert food["service_areas"][0]["uri"].endswith("/gm0014")


def test_taxonomy_ids_are_deterministic(registry):
    first, second = export(registry), export(registry)
    assert first == second
    term = by_id(first["services"], FOOD["svc"])["attributes"][1]["taxonomy_term"]
    assert term["id"] == stable_id("taxonomy_term", "kik-needs", term["code"])


def test_provenance_travels_as_metadata(registry):
    food = by_id(export(registry)["services"], FOOD["svc"])
    meta = {m["field_name"]: m["replacement_value"] for m in food["metadata"]}
    assert meta == {"source": "warmtebronnen", "source_seen": "2024-05"}


def test_postcode_point_is_marked_as_postcode_not_address(registry):
    loc = by_id(export(registry)["locations"], CLOTHES["loc"])
    assert attributes(loc, "kik-precision") == {"postcode": None}
    assert "addresses" not in loc
    assert attributes(loc, "kik-fields")["postcode"] == "7811"


def test_address_point_has_address_and_precision(registry):
    loc = by_id(export(registry)["locations"], FOOD["loc"])
    assert attributes(loc, "kik-precision") == {"address": None}
    address = loc["addresses"][0]
    assert (address["address_1"], address["postal_code"], address["city"]) == ("Peizerweg 20", "9727 AJ", "Groningen")
    assert address["state_province"] == "Groningen"


def test_confidential_location_shows_only_its_contact_point(registry):
    loc = by_id(export(registry)["locations"], SAFE["loc"])
    assert not {"latitude", "longitude", "addresses", "transportation", "accessibility"} & set(loc)
    assert "0592 123 456" in loc["description"]
    assert loc["contacts"][0]["phones"][0]["number"] == "0592 123 456"
    assert attributes(loc, "kik-fields")["confidential"] == "true"


def test_confidential_address_never_appears_in_any_export(registry):
    with registry.session() as session:
        texts = [json.dumps(hsds.export_json(session))]
        texts += [json.dumps(hsds.service_doc(s)) for s in session.scalars(select(Service))]
        package = hsds.export_datapackage_zip(session)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        texts += [archive.read(name).decode("utf-8") for name in archive.namelist()]
    text = "\n".join(texts)
    assert "Peizerweg 20" in text and "0592 123 456" in text  # the search does find addresses
    for secret in (SECRET_STREET, "Geheimelaan", SECRET_POSTCODE, str(SECRET_LAT), str(SECRET_LON),
                   SECRET_TRANSPORT):
        assert secret not in text


def test_values_hsds_cannot_hold_are_kept_in_fields(registry):
    org = by_id(export(registry)["organizations"], ORG_B)
    assert "website" not in org
    assert attributes(org, "kik-fields")["website"] == "www.humanitas-drenthe.example.nl"


def _simple_columns() -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    with SIMPLE_SCHEMA.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            columns.setdefault(row["table_name"], [])
            if row["type"] in ("string", "number"):
                columns[row["table_name"]].append(row["name"])
    return columns


def test_datapackage_has_one_csv_per_table_with_the_simple_schema_columns(registry, tmp_path):
    with registry.session() as session:
        folder = hsds.export_datapackage(session, tmp_path / "package")
    expected = _simple_columns()
    assert {p.stem for p in folder.glob("*.csv")} == set(expected)
    for table, columns in expected.items():
        with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == columns, table


def test_datapackage_json_lists_every_file_with_its_fields(registry, tmp_path):
    with registry.session() as session:
        folder = hsds.export_datapackage(session, tmp_path / "package")
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in package["resources"]}
    assert paths == {p.name for p in folder.glob("*.csv")}
    for resource in package["resources"]:
        with (folder / resource["path"]).open(encoding="utf-8", newline="") as fh:
            assert [f["name"] for f in resource["schema"]["fields"]] == next(csv.reader(fh))


def test_datapackage_rows_are_split_out(registry, tmp_path):
    with registry.session() as session:
        folder = hsds.export_datapackage(session, tmp_path / "package")

    def rows(table):
        with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    assert len(rows("organization")) == 2
    assert len(rows("service")) == 4
    assert len(rows("location")) == 4
    assert len(rows("service_at_location")) == 4
    assert {r["name"] for r in rows("taxonomy")} >= {"kik-needs", "kik-precision", "kik-fields"}
    assert {r["service_id"] for r in rows("schedule")} == {FOOD["svc"], SAFE["svc"], CLOTHES["svc"]}


def test_zip_holds_the_same_files_as_the_folder(registry, tmp_path):
    with registry.session() as session:
        folder = hsds.export_datapackage(session, tmp_path / "package")
        package = hsds.export_datapackage_zip(session)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert sorted(archive.namelist()) == sorted(p.name for p in folder.iterdir())
        assert archive.read("service.csv") == (folder / "service.csv").read_bytes()


# --- round trips ---------------------------------------------------------------------


def test_json_round_trip_gives_an_identical_document(registry, make_db, locator):
    original = export(registry)
    target = make_db("target")
    with target.session() as session:
        report = hsds.import_json(session, original, locator)
    assert (report.created, report.organisations_created, report.locations_created) == (4, 2, 4)
    assert export(target) == original


def test_datapackage_round_trip_gives_an_identical_document(registry, make_db, locator):
    original = export(registry)
    with registry.session() as session:
        package = hsds.export_datapackage_zip(session)
    target = make_db("target")
    with target.session() as session:
        hsds.import_datapackage(session, package, locator)
    assert export(target) == original


def test_round_trip_keeps_the_database_values(registry, make_db, locator):
    target = make_db("target")
    with target.session() as session:
        hsds.import_json(session, export(registry), locator)
    with target.session() as session:
        food = session.get(Service, FOOD["svc"])
        org = session.get(Organisation, ORG_A)
        safe = session.get(Location, SAFE["loc"])
        assert food.opening_hours == "Mo-Fr 09:00-12:00,13:00-17:00; PH off"
        assert food.needs == ["food", "money_debt"]
        assert food.assured_by == "controle@voedselbank-groningen.example.nl"
        assert session.get(Service, SAFE["svc"]).kapitaalsvormen == ["pedagogisch", "cultureel"]
        assert session.get(Service, ONLINE["svc"]).kapitaalsvormen == []
        assert (org.sector, org.is_partner, org.partner_since, org.office_location_id) == (
            "food_aid", True, 2021, FOOD["loc"])
        assert (org.slug, org.assured_date, org.assured_by) == ("voedselbank-groningen", dt.date(2024, 6, 1), "Jan de Vries")
        assert (safe.confidential, safe.contact_point, safe.address, safe.latitude) == (True, "0592 123 456", None, None)


def test_reimporting_the_same_package_changes_nothing(registry, make_db, locator):
    with registry.session() as session:
        package = hsds.export_datapackage_zip(session)
    target = make_db("target")
    with target.session() as session:
        hsds.import_datapackage(session, package, locator)
    version = target.version()
    with target.session() as session:
        report = hsds.import_datapackage(session, package, locator)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert (report.organisations_updated, report.locations_updated) == (0, 0)
    assert target.version() == version


# --- another producer ----------------------------------------------------------------

K1, K2, K3 = (f"5a1e0c6d-7b8f-4a9e-8c1d-2e3f4a5b6c0{n}" for n in (1, 2, 3))
L1, L2 = (f"7c2d4e6f-8a9b-4c0d-9e1f-3a4b5c6d7e0{n}" for n in (1, 2))
O1, O2 = (f"0f3b6a52-3f4e-4d2a-9a51-1c2d3e4f5a0{n}" for n in (1, 2))


@pytest.fixture
def imported(make_db, locator) -> Database:
    db = make_db("other")
    with db.session() as session:
        db.report = hsds.import_datapackage(session, OTHER_PRODUCER, locator)  # type: ignore[attr-defined]
    return db


def test_other_producer_counts(imported):
    report = imported.report
    assert (report.created, report.organisations_created, report.locations_created) == (3, 2, 2)


def test_other_producer_organisations(imported):
    with imported.session() as session:
        first, second = session.get(Organisation, O1), session.get(Organisation, O2)
        assert (first.name, first.phone, first.email, first.sector) == (
            "Stichting Kledingbank Stad", "050 123 4567", "info@kledingbank-stad.example.nl", "other")
        assert second.description == "Buurtcentrum in Emmen met taalcafé en spreekuur."
        assert first.source == "hsds_other_producer"


def test_other_producer_address_with_point_is_address_precision(imported):
    with imported.session() as session:
        loc = session.get(Location, L1)
        assert (loc.address, loc.postcode, loc.place) == ("Oosterstraat 12", "9711 NV", "Groningen")
        assert (loc.latitude, loc.longitude, loc.precision) == (53.2171, 6.5702, "address")
        assert (loc.gemeente_code, loc.gemeente_name) == ("GM0014", "Groningen")
        assert loc.transport == "Bus 2 en 5 stoppen vlakbij"


def test_other_producer_address_without_point_is_geocoded_as_postcode(imported):
    with imported.session() as session:
        loc = session.get(Location, L2)
        assert (loc.postcode, loc.precision, loc.gemeente_code) == ("7811 EA", "postcode", "GM0114")
        assert (loc.latitude, loc.longitude) == (52.7858, 6.8976)  # the locator's Emmen


def test_other_producer_services(imported):
    with imported.session() as session:
        clothes, cafe, money = (session.get(Service, i) for i in (K1, K2, K3))
        assert (clothes.location_id, clothes.organisation_id) == (L1, O1)
        assert clothes.opening_hours == "Tu,Th 10:00-13:00"
        assert clothes.needs == ["clothing"]
        assert clothes.kapitaalsvormen == ["economisch"]
        assert clothes.assured_date == dt.date(2024, 3, 1)
        assert clothes.eligibility == "Inwoners van de gemeente Groningen met een laag inkomen"
        assert (cafe.location_id, cafe.opening_hours, cafe.email) == (L2, "We 19:00-21:00", "taal@deschakel-emmen.example.nl")
        assert cafe.needs == []
        assert (money.location_id, money.phone, money.needs) == (L2, "0591 765 432", ["money_debt"])


def test_other_producer_notes_what_was_ignored(imported):
    notes = "\n".join(imported.report.notes)
    assert "wait_time_note" in notes
    assert "funding" in notes


def test_other_producer_export_validates(imported):
    doc = export(imported)
    for key, kind in (("organizations", "organization"), ("services", "service"), ("locations", "location")):
        for item in doc[key]:
            assert_valid(kind, item)


def _broken_package(tmp_path: Path) -> Path:
    folder = tmp_path / "broken"
    shutil.copytree(OTHER_PRODUCER, folder)

    def edit(name: str, old: str, new: str) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    edit("service.csv", "Taalcafé,Oefen", ",Oefen")  # service row 2 without a name
    edit("phone.csv", "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e01", "phone-1")  # bad uuid, row 1
    edit("location.csv", "53.2171,6.5702", "48.8566,2.3522")  # Paris, row 1
    edit("schedule.csv", "10:00,13:00", "25:00,13:00")  # row 1
    return folder


def test_broken_package_lists_every_error_with_table_row_and_field(make_db, tmp_path, locator):
    db = make_db("broken")
    with db.session() as session, pytest.raises(ImportFailed) as failed:
        hsds.import_datapackage(session, _broken_package(tmp_path), locator)
    found = {(e.row, e.field) for e in failed.value.errors}
    assert {(2, "service.name"), (1, "phone.id"), (1, "location.latitude"), (1, "schedule.opens_at")} <= found


def test_broken_package_writes_nothing(make_db, tmp_path, locator):
    db = make_db("broken")
    with db.sessions() as session:
        with pytest.raises(ImportFailed):
            hsds.import_datapackage(session, _broken_package(tmp_path), locator)
        assert not session.new
        assert session.scalar(select(func.count()).select_from(Organisation)) == 0
    assert db.version() == 0


def test_json_errors_name_table_row_and_field(make_db, locator):
    doc = {
        "organizations": [{"id": O1, "name": "Org", "description": ""}],
        "services": [
            {"id": K1, "name": "Goed", "status": "active", "organization_id": O1},
            {"id": K2, "status": "active", "url": "geen url"},
        ],
        "locations": [{"id": L1, "location_type": "physical", "latitude": 40.0, "longitude": -3.7}],
    }
    db = make_db("json")
    with db.session() as session, pytest.raises(ImportFailed) as failed:
        hsds.import_json(session, doc, locator)
    found = {(e.row, e.field) for e in failed.value.errors}
    assert found == {(2, "service.name"), (2, "service.url"), (1, "location.latitude")}


def test_unknown_reference_is_an_error(make_db, locator):
    doc = {"services": [{"id": K1, "name": "x", "status": "active", "organization_id": O2}]}
    db = make_db("json")
    with db.session() as session, pytest.raises(ImportFailed) as failed:
        hsds.import_json(session, doc, locator)
    assert [(e.row, e.field) for e in failed.value.errors] == [(1, "service.organization_id")]


def test_plural_file_names_without_descriptor_are_read(make_db, locator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in OTHER_PRODUCER.glob("*.csv"):
            plural = {"organization": "organizations", "service": "services", "location": "locations",
                      "address": "addresses", "phone": "phones", "schedule": "schedules"}.get(path.stem, path.stem)
            archive.writestr(f"export/{plural}.csv", path.read_bytes())
    db = make_db("plural")
    with db.session() as session:
        report = hsds.import_datapackage(session, buffer.getvalue(), locator)
    assert (report.created, report.organisations_created) == (3, 2)


def test_service_at_two_locations_becomes_two_services(make_db, locator):
    doc = {
        "services": [{"id": K1, "name": "Spreekuur", "status": "active", "service_at_locations": [
            {"id": stable_id("sal", 1), "location": {"id": L1, "location_type": "physical", "name": "A",
                                                     "latitude": 53.2, "longitude": 6.56}},
            {"id": stable_id("sal", 2), "location": {"id": L2, "location_type": "physical", "name": "B",
                                                     "latitude": 52.79, "longitude": 6.9}},
        ]}],
    }
    db = make_db("two")
    with db.session() as session:
        report = hsds.import_json(session, doc, locator)
        services = session.scalars(select(Service).order_by(Service.location_id)).all()
        assert [s.location_id for s in services] == [L1, L2]
        assert services[0].id == K1 and services[1].id == stable_id("service", K1, L2)
    assert report.created == 2
    assert any("2 locaties" in n for n in report.notes)


@pytest.mark.parametrize(("address", "precision"), [
    ({"address_1": "Oosterstraat 12", "postal_code": "9711 NV", "city": "Groningen"}, "address"),
    ({"address_1": "", "postal_code": "9711", "city": "Groningen"}, "postcode"),
    ({"address_1": "", "postal_code": "", "city": "Groningen"}, "place"),
])
def test_precision_of_another_producers_point_follows_what_is_known(make_db, address, precision, locator):
    location = {"id": L1, "location_type": "physical", "name": "Buurthuis", "latitude": 53.2171,
                "longitude": 6.5702, "addresses": [{"id": stable_id("address", 1), "state_province": "Groningen",
                                                     "country": "NL", "address_type": "physical", **address}]}
    db = make_db("precision")
    with db.session() as session:
        hsds.import_json(session, {"locations": [location]}, locator)
        assert session.get(Location, L1).precision == precision


def test_missing_required_field_outside_the_core_is_only_noted(make_db, locator):
    term = {"id": stable_id("term", 1), "code": "food", "name": "Voedsel"}  # no description
    doc = {"services": [{"id": K1, "name": "Soep", "status": "active", "attributes": [
        {"id": stable_id("attr", 1), "taxonomy_term": term},
    ], "metadata": [{"id": stable_id("meta", 1), "field_name": "name"}]}]}
    db = make_db("lenient")
    with db.session() as session:
        report = hsds.import_json(session, doc, locator)
        assert session.get(Service, K1).needs == ["food"]
    assert any("taxonomy_term.description" in n for n in report.notes)


def test_empty_registry_exports_valid_empty_documents(make_db, tmp_path, locator):
    db = make_db("empty")
    with db.session() as session:
        assert hsds.export_json(session) == {
            "organizations": [], "services": [], "locations": [], "service_at_locations": []}
        folder = hsds.export_datapackage(session, tmp_path / "empty")
    assert (folder / "datapackage.json").exists()
    with db.session() as session:
        report = hsds.import_datapackage(session, folder, locator)
    assert report.created == 0
