"""GeoJSON and GeoPackage export and GeoJSON import (data/geo_export.py)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from data import geo_export
from data.db import Database
from data.errors import ImportFailed
from data.flat import COLUMNS
from data.models import Location, Organisation, Service, ServiceNeed, stable_id
from data.validate import validate_rows

SECRET_STREET = "Geheimelaan 7"
SECRET_LAT, SECRET_LON = 52.99317, 6.56421
ORG = stable_id("organisation", "geo")
FOOD, SAFE, ONLINE, CLOTHES = (stable_id("location", n) for n in ("food", "safe", "online", "clothes"))


def _location(ident: str, name: str, **values) -> Location:
    return Location(id=ident, slug=name.lower().replace(" ", "-"), name=name, organisation_id=ORG, **values)


def _service(location_id: str, name: str, needs: list[str], **values) -> Service:
    service = Service(id=stable_id("service", name), organisation_id=ORG, location_id=location_id,
                      name=name, **values)
    service.need_rows = [ServiceNeed(need=n) for n in needs]
    return service


def build_registry(session) -> None:
    """Four locations: address point, confidential, virtual and a postcode centroid."""
    session.add(Organisation(id=ORG, slug="humanitas", name="Humanitas Noord", sector="welfare"))
    session.flush()
    session.add_all([
        _location(FOOD, "Voedselbank Peizerweg", address="Peizerweg 20", postcode="9727 AJ",
                  place="Groningen", gemeente_code="GM0014", gemeente_name="Groningen",
                  latitude=53.2112, longitude=6.5451, precision="address"),
        _location(SAFE, "Vrouwenopvang", address=SECRET_STREET, postcode="9401 ZZ", place="Assen",
                  gemeente_code="GM0106", gemeente_name="Assen", latitude=SECRET_LAT,
                  longitude=SECRET_LON, precision="address", confidential=True,
                  contact_point="0592 123 456"),
        _location(ONLINE, "Thuisadministratie online", location_type="virtual"),
        _location(CLOTHES, "Kledingbank Emmen", postcode="7811", place="Emmen",
                  gemeente_code="GM0114", gemeente_name="Emmen", latitude=52.7858,
                  longitude=6.8976, precision="postcode"),
    ])
    session.flush()
    session.add_all([
        _service(FOOD, "Voedselpakket", ["food", "money_debt"], kind="food_bank",
                 kapitaalsvormen=["economisch", "mentaal"], free=True, referral_needed=True,
                 languages=["nl", "en"], opening_hours="Mo-Fr 09:00-12:00,13:00-17:00; PH off",
                 url="https://voedselbank.example.nl"),
        _service(FOOD, "Adviesuur", ["practical_help"], kind="welfare", kapitaalsvormen=["sociaal"]),
        _service(SAFE, "Opvang", ["housing_energy"], kind="welfare"),
        _service(ONLINE, "Thuisadministratie", ["money_debt"], kind="debt_help"),
        _service(CLOTHES, "Kledingbank", ["clothing"], kind="clothing_bank", free=False),
    ])


@pytest.fixture
def registry(make_db) -> Database:
    return make_db("geo", fill=build_registry)


@pytest.fixture
def collection(registry) -> dict:
    with registry.session() as session:
        return geo_export.to_geojson(session)


def feature(collection: dict, ident: str) -> dict:
    return next(f for f in collection["features"] if f["id"] == ident)


# --- GeoJSON export ------------------------------------------------------------------


def test_only_physical_public_points_are_features(collection):
    assert [f["id"] for f in collection["features"]] == sorted([FOOD, CLOTHES])


def test_collection_has_the_rfc7946_shape(collection):
    assert collection["type"] == "FeatureCollection"
    for item in collection["features"]:
        assert item["type"] == "Feature"
        assert isinstance(item["id"], str) and isinstance(item["properties"], dict)
        assert item["geometry"]["type"] == "Point"
        lon, lat = item["geometry"]["coordinates"]
        assert all(isinstance(c, float) for c in (lon, lat))
        assert list(item["properties"]) == list(geo_export.PROPERTIES)


def test_coordinates_are_longitude_then_latitude(collection):
    assert feature(collection, FOOD)["geometry"]["coordinates"] == [6.5451, 53.2112]


def test_confidential_location_is_absent_everywhere(collection):
    text = json.dumps(collection)
    assert "Peizerweg 20" in text  # the search does find addresses
    for secret in (SECRET_STREET, "Vrouwenopvang", str(SECRET_LAT), str(SECRET_LON), SAFE):
        assert secret not in text


def test_properties_describe_the_location_and_its_services(collection):
    props = feature(collection, FOOD)["properties"]
    assert (props["name"], props["organisation"], props["gemeente"]) == (
        "Voedselbank Peizerweg", "Humanitas Noord", "Groningen")
    assert props["needs"] == ["food", "money_debt", "practical_help"]
    assert props["kapitaalsvormen"] == ["sociaal", "economisch", "mentaal"]
    assert props["service_ids"] == [stable_id("service", "Adviesuur"), stable_id("service", "Voedselpakket")]


def test_service_fields_come_from_the_first_service_by_name(collection):
    props = feature(collection, FOOD)["properties"]
    assert (props["kind"], props["opening_hours"], props["free"]) == ("welfare", None, None)


def test_precision_travels_with_each_point(collection):
    assert feature(collection, CLOTHES)["properties"]["precision"] == "postcode"
    assert feature(collection, FOOD)["properties"]["precision"] == "address"


def test_export_is_plain_json(collection):
    assert json.loads(json.dumps(collection)) == collection


# --- GeoJSON import ------------------------------------------------------------------


def test_exported_features_read_back_as_valid_flat_rows(collection, locator):
    rows = geo_export.from_geojson(collection, locator)
    assert [r["_row"] for r in rows] == ["1", "2"]
    assert set(rows[0]) <= set(COLUMNS) | {"_row"}
    records, errors = validate_rows(rows, locator)
    assert errors == []
    by_name = {r.name: r for r in records}
    food = by_name["Voedselbank Peizerweg"]
    assert (food.location["latitude"], food.location["longitude"], food.location["precision"]) == (
        53.2112, 6.5451, "address")
    assert food.needs == ["food", "money_debt", "practical_help"]


def test_postcode_point_is_located_again_not_taken_as_address(collection, locator):
    rows = geo_export.from_geojson(collection, locator)
    row = next(r for r in rows if r["name"] == "Kledingbank Emmen")
    assert "latitude" not in row
    records, _ = validate_rows([row], locator)
    assert records[0].location["precision"] == "postcode"


def _doc(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _point(coordinates, **props) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": coordinates},
            "properties": {"name": "Buurthuis", **props}}


@pytest.mark.parametrize(("item", "field"), [
    ({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[6.5, 53.2], [6.6, 53.3]]},
      "properties": {"name": "x"}}, "geometry.type"),
    (_point([53.2, 6.56]), "geometry.coordinates"),
    (_point(["6.5", 53.2]), "geometry.coordinates"),
    (_point([6.5]), "geometry.coordinates"),
    (_point([True, 53.2]), "geometry.coordinates"),
    (_point([2.35, 48.85]), "latitude"),
    (_point([6.56, 53.2], name=""), "name"),
    ({"type": "Polygon"}, "type"),
])
def test_bad_feature_is_reported_with_its_index(item, field, locator):
    good = _point([6.56, 53.2])
    with pytest.raises(ImportFailed) as failed:
        geo_export.from_geojson(_doc(good, item), locator)
    assert [(e.row, e.field) for e in failed.value.errors] == [(2, field)]


def test_not_a_feature_collection_is_refused(locator):
    with pytest.raises(ImportFailed):
        geo_export.from_geojson({"type": "Feature"}, locator)


# --- GeoPackage ----------------------------------------------------------------------


def test_geopackage_reads_back_with_the_same_features(registry, collection, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    with registry.session() as session:
        path = geo_export.to_geopackage(session, tmp_path / "kaart.gpkg")
    frame = pyogrio.read_dataframe(path, layer="locaties")
    assert len(frame) == len(collection["features"]) == 2
    assert frame.crs.to_epsg() == 4326
    frame = frame.set_index("id")
    for item in collection["features"]:
        row = frame.loc[item["id"]]
        props = item["properties"]
        assert (row["name"], row["precision"], row["needs"]) == (props["name"], props["precision"], ";".join(props["needs"]))
        assert (row.geometry.x, row.geometry.y) == tuple(item["geometry"]["coordinates"])


def test_geopackage_keeps_unknown_flags_empty(registry, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    with registry.session() as session:
        path = geo_export.to_geopackage(session, tmp_path / "kaart.gpkg")
    info = pyogrio.read_info(path, layer="locaties")
    assert dict(zip(info["fields"], info["dtypes"], strict=True))["free"] == "bool"
    frame = pyogrio.read_dataframe(path, layer="locaties").set_index("name")
    assert frame.loc["Kledingbank Emmen", "free"] == 0  # known: not free
    assert frame["free"].isna().to_dict() == {"Voedselbank Peizerweg": True, "Kledingbank Emmen": False}


def test_geopackage_with_gemeenten_layer(registry, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    with registry.session() as session:
        path = geo_export.to_geopackage(session, tmp_path / "kaart.gpkg", with_gemeenten=True)
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert layers == {"locaties", "gemeenten"}
    gemeenten = pyogrio.read_dataframe(path, layer="gemeenten").set_index("code")
    assert len(gemeenten) == 22
    assert (gemeenten.loc["GM0014", "locaties"], gemeenten.loc["GM0114", "locaties"]) == (1, 1)


def test_geopackage_never_holds_the_confidential_location(registry, tmp_path):
    with registry.session() as session:
        path = geo_export.to_geopackage(session, tmp_path / "kaart.gpkg")
    raw = path.read_bytes()
    assert b"Peizerweg 20" in raw
    assert SECRET_STREET.encode() not in raw and b"Vrouwenopvang" not in raw


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is not installed")
def test_ogrinfo_reads_the_geopackage(registry, tmp_path):
    with registry.session() as session:
        path = geo_export.to_geopackage(session, tmp_path / "kaart.gpkg")
    out = subprocess.run(["ogrinfo", "-so", str(path), "locaties"], capture_output=True, text=True, check=True).stdout
    assert "Geometry: Point" in out
    assert "Feature Count: 2" in out
    assert "precision: String" in out


def test_empty_registry_gives_an_empty_collection_and_layer(make_db, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    db = make_db("empty")
    with db.session() as session:
        assert geo_export.to_geojson(session) == {"type": "FeatureCollection", "features": []}
        path = geo_export.to_geopackage(session, tmp_path / "leeg.gpkg")
    assert pyogrio.read_info(path, layer="locaties")["features"] == 0
