"""The registry API on the shipped data: lists, filters, pages, details and errors."""

from __future__ import annotations

import pytest


def test_health_reports_a_data_version(client) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["data_version"] >= 1


def test_organisations_are_paged_with_a_total(client) -> None:
    body = client.get("/api/v1/organisations", params={"per_page": 10}).json()
    assert body["total"] == 176 and len(body["items"]) == 10 and body["page"] == 1


def test_partner_filter_counts_the_confirmed_partners(client) -> None:
    body = client.get("/api/v1/organisations", params={"partner": True, "per_page": 1}).json()
    assert body["total"] == 41  # partners_avk.csv: 41 rows with confirmed_partner=yes


def test_sector_filter(client) -> None:
    body = client.get("/api/v1/organisations", params={"sector": "library", "per_page": 100}).json()
    assert body["items"] and {o["sector"] for o in body["items"]} == {"library"}


@pytest.mark.parametrize("gemeente", ["GM0037", "Stadskanaal", "stadskanaal"])
def test_locations_filter_by_gemeente_code_or_name(client, gemeente: str) -> None:
    body = client.get("/api/v1/locations", params={"gemeente": gemeente, "per_page": 100}).json()
    assert body["total"] == 6
    assert {loc["gemeente_code"] for loc in body["items"]} == {"GM0037"}


def test_locations_filter_by_need_requires_every_need(client) -> None:
    food = client.get("/api/v1/locations", params={"need": "food", "per_page": 500}).json()
    both = client.get("/api/v1/locations", params=[("need", "food"), ("need", "clothing"), ("per_page", "500")]).json()
    assert 0 < both["total"] < food["total"]
    for loc in both["items"]:
        needs = {n for s in loc["services"] for n in s["needs"]}
        assert {"food", "clothing"} <= needs


def test_location_by_slug_and_by_id_are_the_same(client) -> None:
    first = client.get("/api/v1/locations", params={"per_page": 1}).json()["items"][0]
    assert client.get(f"/api/v1/locations/{first['slug']}").json() == client.get(f"/api/v1/locations/{first['id']}").json()


def test_no_shipped_location_pretends_to_be_an_exact_address(client) -> None:
    body = client.get("/api/v1/locations", params={"per_page": 500}).json()
    assert body["total"] == 177
    assert "address" not in {loc["precision"] for loc in body["items"]}


def test_activities_list_participants_with_roles(client) -> None:
    body = client.get("/api/v1/activities", params={"kind": "leerkring", "per_page": 50}).json()
    assert body["total"] == 2
    names = {p["organisation"] for a in body["items"] for p in a["participants"]}
    assert "Movisie" in names
    assert all(a["provenance"]["source"].startswith("seeds/") for a in body["items"])


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/locations/does-not-exist", 404),
        ("/api/v1/organisations/does-not-exist", 404),
        ("/api/v1/locations?need=petrol", 422),
        ("/api/v1/locations?page=0", 422),
        ("/api/v1/organisations?per_page=100000", 422),
        ("/api/v1/activities?kind=party", 422),
        ("/nowhere", 404),
    ],
)
def test_errors_have_one_shape(client, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status and error["message"] and isinstance(error["details"], list)


def test_answers_set_no_cookies(client) -> None:
    assert "set-cookie" not in client.get("/api/v1/locations").headers
