"""The HSDS read API (/hsds) on the shipped data: paging, HSDS validity, search,
postcode proximity and service area, NDJSON, errors, and confidential addresses.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from data.hsds import document_errors
from data.models import Service
from data.reference import distance_m

LISTS = [
    ("/hsds/services", "service"),
    ("/hsds/organizations", "organization"),
    ("/hsds/service_at_locations", "service_at_location"),
]
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}
STADSKANAAL = "GM0037"


def everything(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    body = client.get(path, params={"per_page": 500, **params}).json()
    assert body["total_pages"] == 1, "more than one page of 500: raise per_page"
    return body


def ndjson(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(path, params={"format": "ndjson", **params})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in response.text.splitlines()]


def point_of(item: dict[str, Any]) -> tuple[float, float]:
    return item["location"]["latitude"], item["location"]["longitude"]


# --- the API's description -------------------------------------------------------------


def test_meta_says_hsds_3_and_where_the_openapi_document_is(client: TestClient) -> None:
    body = client.get("/hsds/").json()
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/openapi.json")
    served = client.get(body["openapi_url"].removeprefix("http://testserver")).json()
    assert "/hsds/services" in served["paths"]


# --- paging ----------------------------------------------------------------------------


def test_first_page_of_services(client: TestClient) -> None:
    body = client.get("/hsds/services", params={"per_page": 20}).json()
    assert set(body) == PAGE_KEYS
    total = body["total_items"]
    assert total > 20
    assert body["total_pages"] == math.ceil(total / 20)
    assert body["page_number"] == 1 and body["size"] == 20 == len(body["contents"])
    assert body["first_page"] is True and body["last_page"] is False and body["empty"] is False


def test_last_page_of_services_holds_the_rest(client: TestClient) -> None:
    first = client.get("/hsds/services", params={"per_page": 20}).json()
    last_number = first["total_pages"]
    last = client.get("/hsds/services", params={"per_page": 20, "page": last_number}).json()
    rest = first["total_items"] - 20 * (last_number - 1)
    assert 0 < rest <= 20
    assert last["page_number"] == last_number and last["size"] == rest == len(last["contents"])
    assert last["first_page"] is False and last["last_page"] is True and last["empty"] is False
    assert last["total_items"] == first["total_items"] and last["total_pages"] == last_number


def test_pages_together_hold_every_service_once(client: TestClient) -> None:
    first = client.get("/hsds/services", params={"per_page": 40}).json()
    pages = [first] + [
        client.get("/hsds/services", params={"per_page": 40, "page": n}).json()
        for n in range(2, first["total_pages"] + 1)
    ]
    ids = [s["id"] for page in pages for s in page["contents"]]
    assert len(ids) == len(set(ids)) == first["total_items"]
    assert [page["last_page"] for page in pages] == [False] * (len(pages) - 1) + [True]


def test_a_page_past_the_end_is_empty_but_keeps_the_totals(client: TestClient) -> None:
    body = client.get("/hsds/services", params={"per_page": 50, "page": 999}).json()
    assert body["contents"] == [] and body["size"] == 0
    assert body["last_page"] is True and body["empty"] is False and body["total_items"] > 0


def test_no_match_is_an_empty_result_set(client: TestClient) -> None:
    body = client.get("/hsds/services", params={"search": "zzzgeenwarmtebronzzz"}).json()
    assert body["empty"] is True and body["total_items"] == 0 and body["contents"] == []
    assert body["total_pages"] == 1 and body["first_page"] is True and body["last_page"] is True


# --- HSDS validity ----------------------------------------------------------------------


@pytest.mark.parametrize(("path", "kind"), LISTS, ids=[k for _, k in LISTS])
def test_every_listed_item_is_valid_hsds(client: TestClient, path: str, kind: str) -> None:
    body = everything(client, path)
    assert body["contents"]
    problems = {item["id"]: document_errors(kind, item) for item in body["contents"]}
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize(("path", "kind"), LISTS[:2], ids=[k for _, k in LISTS[:2]])
def test_one_item_by_id_is_the_listed_item(client: TestClient, path: str, kind: str) -> None:
    listed = client.get(path, params={"per_page": 1}).json()["contents"][0]
    response = client.get(f"{path}/{listed['id']}")
    assert response.status_code == 200
    assert response.json() == listed
    assert document_errors(kind, response.json()) == []


@pytest.mark.parametrize("path", ["/hsds/services", "/hsds/organizations"])
def test_an_unknown_id_is_404_in_the_error_shape(client: TestClient, path: str) -> None:
    response = client.get(f"{path}/bestaat-niet-123")
    assert response.status_code == 404
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == 404 and error["code"] == "NotFound" and "bestaat-niet-123" in error["message"]


# --- search ------------------------------------------------------------------------------


def test_search_returns_exactly_the_matching_services(client: TestClient) -> None:
    def matches(service: dict[str, Any]) -> bool:
        return "voedselbank" in f"{service['name']} {service['description']}".lower()

    found = everything(client, "/hsds/services", search="voedselbank")
    every = everything(client, "/hsds/services")["contents"]
    assert found["total_items"] == len(found["contents"]) > 0
    assert all(matches(s) for s in found["contents"])
    assert {s["id"] for s in found["contents"]} == {s["id"] for s in every if matches(s)}


def test_search_is_case_insensitive(client: TestClient) -> None:
    lower = client.get("/hsds/services", params={"search": "voedselbank"}).json()["total_items"]
    upper = client.get("/hsds/services", params={"search": "VoedselBank"}).json()["total_items"]
    assert lower == upper > 0


# --- postcode and proximity --------------------------------------------------------------


def test_proximity_gives_services_within_5_km_of_the_postcode_nearest_first(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    centre = app.state.geocoder.geocode("9501")
    body = everything(client, "/hsds/service_at_locations", postcode="9501", proximity=5000)
    distances = [distance_m(centre.lat, centre.lon, *point_of(item)) for item in body["contents"]]
    assert distances and all(d <= 5000 for d in distances)
    assert distances == sorted(distances)
    every = everything(client, "/hsds/service_at_locations")["contents"]
    near = {
        item["service_id"] for item in every
        if "latitude" in item["location"] and distance_m(centre.lat, centre.lon, *point_of(item)) <= 5000
    }
    assert {item["service_id"] for item in body["contents"]} == near
    assert body["total_items"] == len(near) < len(every)


def test_a_wider_radius_finds_more(client: TestClient) -> None:
    near = client.get("/hsds/service_at_locations", params={"postcode": "9501", "proximity": 5000}).json()
    wide = client.get("/hsds/service_at_locations", params={"postcode": "9501", "proximity": 30000}).json()
    assert wide["total_items"] > near["total_items"]


def test_postcode_alone_gives_services_whose_area_covers_the_gemeente(client: TestClient, app) -> None:  # type: ignore[no-untyped-def]
    assert app.state.geocoder.geocode("9501").gemeente_code == STADSKANAAL
    with app.state.db.sessions() as session:
        services = session.scalars(select(Service).where(Service.location_id.is_not(None))).all()
        covering = {
            s.id for s in services
            if STADSKANAAL in (s.service_area or []) or s.location.gemeente_code == STADSKANAAL
        }
        total = len(services)
    body = everything(client, "/hsds/service_at_locations", postcode="9501")
    assert {item["service_id"] for item in body["contents"]} == covering
    assert 0 < body["total_items"] == len(covering) < total


def test_a_postcode_outside_groningen_and_drenthe_is_in_no_service_area(client: TestClient) -> None:
    body = client.get("/hsds/service_at_locations", params={"postcode": "1234"}).json()
    assert body["total_items"] == 0 and body["empty"] is True


def test_an_unknown_postcode_is_422_with_suggestions(client: TestClient) -> None:
    response = client.get("/hsds/service_at_locations", params={"postcode": "9400"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["status"] == 422 and error["code"] == "UnknownPostcode"
    suggestions = error["details"][0]["suggestions"]
    assert suggestions and all(s.startswith("94") for s in suggestions)
    assert "9401 Assen" in suggestions


@pytest.mark.parametrize("raw", ["0000", "95", "95011"])
def test_a_malformed_postcode_is_422_in_the_error_shape(client: TestClient, raw: str) -> None:
    response = client.get("/hsds/service_at_locations", params={"postcode": raw})
    assert response.status_code == 422
    assert set(response.json()["error"]) == {"status", "code", "message", "details"}


def test_proximity_out_of_range_is_422(client: TestClient) -> None:
    response = client.get("/hsds/service_at_locations", params={"postcode": "9501", "proximity": -1})
    assert response.status_code == 422 and response.json()["error"]["code"] == "InvalidRequest"


# --- NDJSON ------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "kind"), LISTS, ids=[k for _, k in LISTS])
def test_ndjson_streams_every_item_one_object_per_line(client: TestClient, path: str, kind: str) -> None:
    paged = everything(client, path)
    lines = ndjson(client, path)
    assert len(lines) == paged["total_items"] > 0
    assert all(isinstance(line, dict) for line in lines)
    assert [line["id"] for line in lines] == [item["id"] for item in paged["contents"]]


def test_ndjson_honours_the_search(client: TestClient) -> None:
    total = client.get("/hsds/services", params={"search": "voedselbank"}).json()["total_items"]
    assert len(ndjson(client, "/hsds/services", search="voedselbank")) == total


# --- confidential addresses ----------------------------------------------------------------

#: A shelter whose address must never be shown: street, postcode and exact point.
SECRET = {"street": "Geheimweg", "postcode": "9501 AB", "lat": "52.99873", "lon": "6.95311"}
CONFIDENTIAL_CSV = (
    "name,organisation,kind,needs,description,street,house_number,postcode,place,"
    "latitude,longitude,confidential,contact_point,source_seen\r\n"
    f"Opvang De Schuilplaats,Stichting Veilig Thuis Zuidoost,welfare,housing_energy,"
    f"Opvang voor wie thuis niet veilig is.,{SECRET['street']},7,{SECRET['postcode']},Stadskanaal,"
    f"{SECRET['lat']},{SECRET['lon']},ja,0599 123 456,2024\r\n"
)


@pytest.fixture(scope="module")
def confidential_client(tmp_path_factory: pytest.TempPathFactory, geocoder: Any) -> Iterator[TestClient]:
    """The service on the shipped data plus one confidential location."""
    from api.app import create_app, open_database
    from api.settings import Settings
    from data.importer import import_bytes

    path: Path = tmp_path_factory.mktemp("confidential") / "kik.sqlite3"
    settings = Settings(database_url=f"sqlite:///{path}")
    db = open_database(settings)
    with db.session() as session:
        report = import_bytes(session, CONFIDENTIAL_CSV.encode(), "opvang.csv", geocoder)
    db.dispose()
    assert report.created == 1
    with TestClient(create_app(settings)) as c:
        yield c


def _assert_no_secret(text: str) -> None:
    compact = text.replace(" ", "")
    assert SECRET["street"] not in text
    assert SECRET["postcode"].replace(" ", "") not in compact
    assert SECRET["lat"] not in text and SECRET["lon"] not in text


@pytest.mark.parametrize("params", [
    {"path": "/hsds/services", "format": "ndjson"},
    {"path": "/hsds/services", "search": "schuilplaats"},
    {"path": "/hsds/service_at_locations", "format": "ndjson"},
    {"path": "/hsds/service_at_locations", "postcode": "9501"},
    {"path": "/hsds/organizations", "format": "ndjson"},
], ids=["services-ndjson", "services-search", "sal-ndjson", "sal-postcode", "organizations-ndjson"])
def test_no_confidential_address_appears(confidential_client: TestClient, params: dict[str, str]) -> None:
    query = {k: v for k, v in params.items() if k != "path"}
    response = confidential_client.get(params["path"], params={"per_page": 500, **query})
    assert response.status_code == 200
    if params["path"] != "/hsds/organizations":
        assert "Opvang De Schuilplaats" in response.text  # the place is listed, its address is not
    _assert_no_secret(response.text)


def test_the_confidential_service_by_id_names_its_contact_point_not_its_address(confidential_client: TestClient) -> None:
    found = confidential_client.get("/hsds/services", params={"search": "schuilplaats"}).json()["contents"]
    assert len(found) == 1
    response = confidential_client.get(f"/hsds/services/{found[0]['id']}")
    _assert_no_secret(response.text)
    location = response.json()["service_at_locations"][0]["location"]
    assert "0599 123 456" in location["description"]
    assert "latitude" not in location and "addresses" not in location
    assert document_errors("service", response.json()) == []


def test_a_confidential_location_is_never_near_a_postcode(confidential_client: TestClient) -> None:
    body = confidential_client.get(
        "/hsds/service_at_locations", params={"postcode": "9501", "proximity": 300_000, "per_page": 500}
    ).json()
    assert body["total_items"] > 0
    assert "Opvang De Schuilplaats" not in json.dumps(body, ensure_ascii=False)
