"""GET /api/v1/nearby on a small known registry around Nieuw-Buinen (52.9625 N, 6.95 E).

The clock is fixed on Wednesday 29 April 2026 around 10:00 (Europe/Amsterdam).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

TZ = ZoneInfo("Europe/Amsterdam")
MOMENTS = iter([])  # the clock below reads from here when set, else 10:00:05


def _registry(known: SimpleNamespace) -> dict:
    """Six places of Stichting Test: one confidential, one remote, one in Emmen."""
    loc, svc = known.location, known.service
    return known.registry(
        [
            loc(1, "Voedselbank", 52.9625, 6.96),
            loc(2, "Dorpshuis", 52.97, 6.95),
            loc(3, "Kledingbank", 52.9895, 6.9504),
            loc(
                4,
                "Opvang",
                52.9601,
                6.9403,
                address="Geheimstraat 99",
                confidential=True,
                contact_point="Bel 0800-2000",
            ),
            loc(5, "Geldfit", None, None, location_type="virtual", address=None, postcode=None),
            loc(6, "Taalhuis Emmen", 52.78, 6.90),
        ],
        [
            svc(
                1,
                "Voedselbank",
                ["food"],
                referral_needed=True,
                opening_hours="Mo-Fr 09:00-17:00; PH off",
            ),
            svc(
                2, "Koffieochtend", ["meeting"], opening_hours="Mo-Fr 09:00-12:00,13:00-17:00; PH off"
            ),
            svc(3, "Kledingbank", ["clothing", "food"], opening_hours="Sa 10:00-13:00", free=False),
            svc(4, "Opvang", ["housing_energy"]),
            svc(5, "Geldfit telefoon", ["money_debt"], opening_hours="Mo-Fr 09:00-17:00"),
            svc(6, "Taalhuis Emmen", ["language_learning"], opening_hours="We 10:00-12:00"),
        ],
    )


def fixed_clock() -> dt.datetime:
    return next(MOMENTS, dt.datetime(2026, 4, 29, 10, 0, 5, tzinfo=TZ))


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, known_registry) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("nearby")
    with known_registry.serve(folder, _registry(known_registry), fixed_clock) as c:
        yield c


def get(api: TestClient, query: str) -> dict:
    response = api.get(f"/api/v1/nearby?{query}")
    assert response.status_code == 200, response.text
    return response.json()


def names(body: dict) -> list[str]:
    return [p["name"] for p in body["places"]]


def test_search_point_radius_and_places_by_distance(api):
    body = get(api, "postcode=9521")
    assert body["search_point"] == {
        "lat": 52.9629,
        "lon": 6.9423,
        "precision": "postcode",
        "label": "9521 Nieuw-Buinen",
        "gemeente_code": "GM1681",
        "gemeente_name": "Borger-Odoorn",
        "in_region": True,
    }
    assert (body["radius_km"], body["first_radius_km"], body["widened"]) == (15, 15, False)
    assert names(body) == ["Koffieochtend", "Voedselbank", "Kledingbank"]
    distances = [p["distance_km"] for p in body["places"]]
    assert distances == sorted(distances)


@pytest.mark.parametrize(
    "query", ["place=Nieuw-Buinen", "q=Nieuw-Buinen", "q=52.9625, 6.95", "lat=52.9625&lon=6.95"]
)
def test_every_way_to_give_the_point(api, query):
    body = get(api, query)
    assert names(body)[:2] == ["Voedselbank", "Koffieochtend"]
    assert body["places"][0]["distance_km"] == 0.67  # 671.954 m along the parallel


def test_open_status_and_next_opening(api):
    body = get(api, "q=Nieuw-Buinen&needs=food&needs=clothing")
    food, clothes = body["places"]
    assert food["open"] == {
        "state": "open",
        "is_open": True,
        "open_until": "2026-04-29T17:00:00+02:00",
        "opens_next": None,
        "today": [["09:00", "17:00"]],
        "comment": None,
    }
    assert (
        clothes["open"]["opens_next"] == "2026-05-02T10:00:00+02:00"
        and not clothes["open"]["is_open"]
    )


def test_now_is_rounded_down_to_the_minute_and_said(api):
    assert get(api, "q=Nieuw-Buinen")["at"] == "2026-04-29T10:00:00+02:00"


def test_needs_any_is_the_default(api):
    assert names(get(api, "q=Nieuw-Buinen&needs=food&needs=clothing")) == [
        "Voedselbank",
        "Kledingbank",
    ]
    assert names(get(api, "q=Nieuw-Buinen&needs=food&needs=clothing&needs_match=all")) == [
        "Kledingbank"
    ]


def test_open_now_and_open_at(api):
    assert names(get(api, "q=Nieuw-Buinen&open_now=true")) == [
        "Voedselbank",
        "Koffieochtend",
        "Taalhuis Emmen",
    ]
    body = get(api, "q=Nieuw-Buinen&open_at=2026-05-02T11:00")
    assert names(body) == ["Kledingbank"] and body["at"] == "2026-05-02T11:00:00+02:00"


def test_free_and_no_referral(api):
    assert names(get(api, "q=Nieuw-Buinen&needs=food&free=true")) == ["Voedselbank"]
    assert names(get(api, "q=Nieuw-Buinen&needs=food&no_referral=true")) == ["Kledingbank"]


def test_widened_flag(api):
    body = get(api, "q=Nieuw-Buinen&needs=language_learning")
    assert body["widened"] and body["radius_km"] == 50 and names(body) == ["Taalhuis Emmen"]


def test_remote_help_apart(api):
    body = get(api, "q=Nieuw-Buinen&needs=money_debt")
    assert body["places"] == [] and [r["name"] for r in body["remote"]] == ["Geldfit telefoon"]
    assert body["remote"][0]["distance_km"] is None


def test_confidential_place_only_with_its_contact_point(api):
    response = api.get("/api/v1/nearby?q=Nieuw-Buinen")
    (secret,) = response.json()["confidential"]
    assert (secret["name"], secret["contact_point"]) == ("Opvang", "Bel 0800-2000")
    assert secret["lat"] is secret["lon"] is secret["address"] is secret["distance_km"] is None
    assert "Geheimstraat" not in response.text and "6.9403" not in response.text


def test_cache_headers_and_etag(api):
    response = api.get("/api/v1/nearby?q=Nieuw-Buinen")
    assert response.headers["cache-control"] == "public, max-age=300"
    # weak: the same answer may travel gzipped or plain (KIK_COMPRESS)
    assert response.headers["etag"].startswith('W/"') and len(response.headers["etag"]) == 36


@pytest.mark.parametrize("tag", ["{etag}", "{strong}", '"other", {etag}', "*"])
def test_if_none_match_gives_304(api, tag):
    etag = api.get("/api/v1/nearby?q=Nieuw-Buinen").headers["etag"]
    asked = tag.format(etag=etag, strong=etag.removeprefix("W/"))
    response = api.get("/api/v1/nearby?q=Nieuw-Buinen", headers={"If-None-Match": asked})
    assert response.status_code == 304 and response.content == b""
    assert response.headers["etag"] == etag


def test_other_etag_gives_the_body(api):
    response = api.get("/api/v1/nearby?q=Nieuw-Buinen", headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200 and response.json()["places"]


def test_identical_queries_in_one_minute_give_identical_bytes(api):
    global MOMENTS
    MOMENTS = iter(
        [
            dt.datetime(2026, 4, 29, 10, 0, 1, tzinfo=TZ),
            dt.datetime(2026, 4, 29, 10, 0, 59, tzinfo=TZ),
        ]
    )
    a = api.get("/api/v1/nearby?q=Nieuw-Buinen&needs=food&needs=meeting")
    b = api.get("/api/v1/nearby?q=Nieuw-Buinen&needs=meeting&needs=food")
    assert a.content == b.content and a.headers["etag"] == b.headers["etag"]


def test_different_queries_give_different_etags(api):
    a = api.get("/api/v1/nearby?q=Nieuw-Buinen").headers["etag"]
    assert a != api.get("/api/v1/nearby?q=Stadskanaal").headers["etag"]


def test_unknown_place_is_422_with_suggestions(api):
    response = api.get("/api/v1/nearby?q=Nieuw Buinn")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "UnknownPlace" and error["details"] == [
        {"suggestions": ["Nieuw-Buinen"]}
    ]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 422),  # no point at all
        ("q=Emmen&needs=cake", 422),
        ("q=Emmen&needs_match=some", 422),
        ("q=Emmen&radius_km=0", 422),
        ("q=Emmen&limit=0", 422),
        ("lat=52.9", 400),
        ("q=Emmen&postcode=9521", 400),
        ("q=Emmen&open_now=true&open_at=2026-05-02T11:00", 400),
        ("lat=6.95&lon=52.96", 422),  # swapped
    ],
)
def test_bad_questions_get_the_error_shape(api, query, status):
    response = api.get(f"/api/v1/nearby?{query}")
    assert response.status_code == status
    assert set(response.json()["error"]) == {"status", "code", "message", "details"}


def test_the_index_is_built_once_per_data_version(api):
    get(api, "q=Nieuw-Buinen")
    version, index = api.app.state.caches["places"]
    get(api, "q=Stadskanaal&needs=food")
    assert api.app.state.caches["places"] == (version, index)


def test_search_terms_are_not_logged(api, caplog):
    with caplog.at_level(logging.DEBUG):
        api.get("/api/v1/nearby?q=Stadskanaal&lat=52.99")
        api.get("/api/v1/nearby?q=Onbekendedorp")
    service = [
        r for r in caplog.records if not r.name.startswith("httpx")
    ]  # httpx logs the test client's side
    assert not [
        r for r in service if "Stadskanaal" in r.getMessage() or "Onbekendedorp" in r.getMessage()
    ]


def test_the_parameters_are_documented(api):
    operation = api.get("/openapi.json").json()["paths"]["/api/v1/nearby"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) >= {
        "postcode",
        "place",
        "q",
        "lat",
        "lon",
        "needs",
        "needs_match",
        "open_now",
        "open_at",
        "free",
        "no_referral",
        "radius_km",
        "limit",
    }
    assert "'any' (default)" in params["needs_match"]["description"]
    assert operation["summary"]
