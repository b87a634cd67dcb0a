"""``/api/v1/netwerk`` on the shipped data (176 organisations, 42 activities, 15 relations).

By default the network holds the alliance at work: partners and every organisation with a
tie (``scope=network``); ``NETWORK`` counts them straight from data/shipped/registry.json.

The spot checks at the end compare ties with the seed documents the shipped data was
built from (data/sources/seed_network.yaml and data/sources/seeds/*.txt).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook

API = "/api/v1/netwerk"
SHIPPED = json.loads(
    (Path(__file__).resolve().parents[2] / "data" / "shipped" / "registry.json").read_text()
)


def _network_ids(doc: dict) -> set[str]:
    """Partners, and organisations sharing an activity or a relation with another one."""
    ids = {o["id"] for o in doc["organisation"] if o["is_partner"]}
    for activity in doc["activity"]:
        members = {p["organisation_id"] for p in activity["participants"]}
        if len(members) > 1:
            ids |= members
    ids |= {r[k] for r in doc["relation"] for k in ("org_a_id", "org_b_id")}
    return ids


REGISTRY = len(SHIPPED["organisation"])  # 176
NETWORK = len(_network_ids(SHIPPED))


def get(client, path: str, **params):
    response = client.get(API + path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def whole(client):
    return get(client, "/graph")


@pytest.fixture(scope="module")
def slugs(whole):
    """Organisation id by slug."""
    return {n["slug"]: n["id"] for n in whole["nodes"]}


def tie(graph: dict, a: str, b: str) -> dict | None:
    for link in graph["links"]:
        if {link["source"], link["target"]} == {a, b}:
            return link
    return None


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert body["error"]["message"]


# --- the graph ------------------------------------------------------------------------


def test_graph_holds_partners_and_every_organisation_with_a_tie(whole):
    assert whole["graph"]["shown"]["nodes"] == len(whole["nodes"]) == NETWORK
    assert whole["graph"]["summary"]["nodes"] == NETWORK
    assert {n["id"] for n in whole["nodes"]} == _network_ids(SHIPPED)
    assert all(n["degree"] or n["partner"] for n in whole["nodes"])


def test_scope_registry_holds_every_organisation(client):
    data = get(client, "/graph", scope="registry")
    assert len(data["nodes"]) == data["graph"]["summary"]["nodes"] == REGISTRY


def test_graph_ties_agree_with_the_report(client, whole):
    network = get(client, "/report")["network"]
    assert len(whole["links"]) == network["ties"] == whole["graph"]["summary"]["ties"]


def test_graph_nodes_have_positions_colours_and_metrics(whole):
    node = whole["nodes"][0]
    for key in ("x", "y", "colour_sector", "colour_community", "degree", "betweenness", "slug"):
        assert key in node
    width, height = whole["graph"]["width"], whole["graph"]["height"]
    assert all(0 <= n["x"] <= width and 0 <= n["y"] <= height for n in whole["nodes"])


def test_isolates_partners_leaves_out_loners_that_are_no_partner(client, whole):
    data = get(client, "/graph", isolates="partners")
    kept = {n["id"] for n in data["nodes"]}
    expected = {n["id"] for n in whole["nodes"] if n["degree"] or n["partner"]}
    assert kept == expected
    assert data["graph"]["hidden"] == len(whole["nodes"]) - len(expected)
    assert len(data["links"]) == len(whole["links"])


@pytest.mark.parametrize("year", [2017, 2018, 2019, 2020, 2021, 2022, 2025])
def test_graph_of_a_year_agrees_with_the_evolution(client, year):
    row = next(r for r in get(client, "/evolution")["years"] if r["year"] == year)
    data = get(client, "/graph", year=year)
    assert (len(data["nodes"]), len(data["links"])) == (row["nodes"], row["ties"])


def test_a_year_before_any_dated_activity_shows_only_ties_of_unknown_start(client):
    early, later = get(client, "/graph", year=1950), get(client, "/graph", year=2020)
    # Undated activities count as always present (netwerk/timeline.py), so 1950 is not
    # empty: it holds exactly the ties whose start is unknown.
    assert early["links"] and all(link["first_year"] is None for link in early["links"])
    assert len(early["links"]) < len(later["links"])
    assert len(early["nodes"]) < NETWORK


def test_a_date_and_its_year_can_differ(client):
    day = get(client, "/graph", at="2021-09-23")  # the Groningen network meeting
    year = get(client, "/graph", year=2021)
    assert 0 < len(day["links"]) <= len(year["links"])


def test_layer_filter_keeps_only_ties_of_that_layer(client, whole):
    data = get(client, "/graph", layers="leerkring")
    assert data["links"] and all(set(link["layers"]) == {"leerkring"} for link in data["links"])
    both = client.get(API + "/graph", params=[("layers", "leerkring"), ("layers", "relation")])
    assert len(data["links"]) < len(both.json()["links"]) < len(whole["links"])


def test_relation_layer_has_a_tie_per_relation(client):
    assert len(get(client, "/graph", layers="relation")["links"]) == 15


def test_scope_partners_shows_partners(client):
    data = get(client, "/graph", scope="partners")
    assert data["nodes"] and all(n["partner"] for n in data["nodes"])


def test_default_scope_is_the_alliance_at_work(client):
    # the registry also holds operators of warmtebronnen that nobody works with
    sizes = [
        len(get(client, "/report", scope=scope)["organisations"])
        for scope in ("partners", "network", "registry")
    ]
    assert sizes == [41, NETWORK, REGISTRY] and 41 < NETWORK < REGISTRY


def test_sector_filter_shows_that_sector(client):
    data = get(client, "/graph", sector="municipality")
    assert data["nodes"] and {n["sector"] for n in data["nodes"]} == {"municipality"}


def test_newman_weighting_weighs_big_activities_less(client, whole, slugs):
    newman = get(client, "/graph", weighting="newman")
    a, b = slugs["gemeente-groningen"], slugs["voedselbank-groningen"]
    assert tie(newman, a, b)["weight"] < tie(whole, a, b)["weight"]


def test_half_life_fades_old_ties(client, whole, slugs):
    faded = get(client, "/graph", half_life=2)
    a, b = slugs["movisie"], slugs["gemeente-stadskanaal"]  # leerkring 2017–2019
    assert 0 < tie(faded, a, b)["weight"] < tie(whole, a, b)["weight"]


def test_the_same_question_gives_the_same_answer(client):
    first = client.get(API + "/graph", params={"year": 2020}).content
    assert client.get(API + "/graph", params={"year": 2020}).content == first


# --- bad options ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"layers": "bogus"},
        {"weighting": "bogus"},
        {"half_life": 0},
        {"half_life": -2},
        {"half_life": "nan"},
        {"year": 1800},
        {"year": "twintig"},
        {"at": "2021-13-01"},
        {"year": 2021, "at": "2021-03-01"},
        {"scope": "misschien"},
        {"isolates": "some"},
        {"sector": "bakery"},
    ],
)
def test_bad_graph_options_are_422_in_the_error_shape(client, params):
    assert_error(client.get(API + "/graph", params=params), 422, "InvalidRequest")


@pytest.mark.parametrize(
    "path", ["/report", "/organisations", "/brokerage", "/silos", "/resilience", "/export/graphml"]
)
def test_every_endpoint_validates_the_options(client, path):
    assert_error(client.get(API + path, params={"year": 1800}), 422, "InvalidRequest")


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/organisations/bestaat-niet", {}),
        ("/organisations/bestaat-niet/ego", {}),
        ("/path", {"source": "bestaat-niet", "target": "movisie"}),
        ("/path", {"source": "movisie", "target": "bestaat-niet"}),
        ("/suggestions", {"organisation": "bestaat-niet"}),
    ],
)
def test_unknown_organisation_is_404(client, path, params):
    assert_error(client.get(API + path, params=params), 404, "UnknownOrganisation")


def test_an_organisation_outside_the_chosen_network_is_404(client):
    # Movisie is no partner, so it is not in the partners-only network
    response = client.get(API + "/organisations/movisie", params={"scope": "partners"})
    assert_error(response, 404, "UnknownOrganisation")


@pytest.mark.parametrize("radius", [0, 3, "twee"])
def test_ego_radius_is_1_or_2(client, radius):
    response = client.get(API + "/organisations/movisie/ego", params={"radius": radius})
    assert_error(response, 422, "InvalidRequest")


def test_unknown_export_format_is_422(client):
    assert_error(client.get(API + "/export/pdf"), 422, "InvalidRequest")


def test_a_path_to_itself_is_a_bad_request(client):
    response = client.get(API + "/path", params={"source": "movisie", "target": "movisie"})
    assert_error(response, 400, "InvalidOption")


def test_no_path_between_separate_parts_is_a_bad_request(client):
    # Acantus and Biblionet Groningen form a part of their own (the Delfzijl book project)
    response = client.get(API + "/path", params={"source": "acantus", "target": "movisie"})
    assert_error(response, 400, "NoPath")


# --- the analyses --------------------------------------------------------------------------


def test_report_has_every_part(client):
    full = get(client, "/report")
    assert set(full) >= {"meta", "explanations", "network", "organisations", "silos",
                         "resilience", "suggestions", "evolution"}  # fmt: skip
    assert len(full["organisations"]) == NETWORK
    assert full["explanations"]["density"]["nl"]


def test_organisations_are_listed_by_name_with_their_metrics(client):
    rows = get(client, "/organisations")["organisations"]
    assert len(rows) == NETWORK
    names = [r["name"].casefold() for r in rows]
    assert names == sorted(names)
    assert {"degree", "betweenness", "brokerage", "ei_index", "fragmentation"} <= set(rows[0])


def test_one_organisation_by_slug_or_id(client, slugs):
    by_slug = get(client, "/organisations/movisie")["organisation"]
    by_id = get(client, f"/organisations/{slugs['movisie']}")["organisation"]
    assert by_slug == by_id and by_slug["name"] == "Movisie" and by_slug["degree"] == 9


def test_brokerage_is_sorted_by_brokered_pairs(client):
    answer = get(client, "/brokerage")
    totals = [r["brokerage"]["total"] for r in answer["organisations"]]
    assert totals == sorted(totals, reverse=True) and totals[0] > 0
    assert answer["convention"]["nl"] and answer["explanations"]["liaison"]["en"]


def test_silos_give_the_e_i_index_per_sector(client):
    silos = get(client, "/silos")
    assert -1 <= silos["ei_index"]["network"] <= 1
    assert "municipality" in silos["ei_index"]["sectors"]
    assert silos["mixing_matrix"]["municipality"]["municipality"] >= 0


def test_resilience_lists_cut_points_and_their_fragmentation(client):
    answer = get(client, "/resilience")
    points = {p["id"] for p in answer["articulation_points"]}
    assert points and set(answer["fragmentation"]) == points
    assert answer["edge_connectivity"] >= 1 and answer["bridges"]


def test_evolution_runs_from_2017_to_this_year(client):
    years = get(client, "/evolution")["years"]
    assert [r["year"] for r in years] == list(range(2017, dt.date.today().year + 1))
    short = get(client, "/evolution", first_year=2019, last_year=2021)["years"]
    assert [r["year"] for r in short] == [2019, 2020, 2021]


def test_ego_network_two_steps_holds_the_direct_partners(client):
    one = get(client, "/organisations/movisie/ego")
    two = get(client, "/organisations/movisie/ego", radius=2)
    assert one["size"] == one["direct"] == 9
    assert two["size"] > one["size"] and two["direct"] == one["direct"]
    assert {m["steps"] for m in two["members"]} == {1, 2}


def test_path_follows_existing_ties(client, whole, slugs):
    answer = get(client, "/path", source="acantus", target="biblionet-groningen")
    assert [p["id"] for p in answer["path"]] == [slugs["acantus"], slugs["biblionet-groningen"]]
    longer = get(client, "/path", source="gemeente-stadskanaal", target="hogeschool-rotterdam")
    chain = [p["id"] for p in longer["path"]]
    assert chain[0] == slugs["gemeente-stadskanaal"] and chain[-1] == slugs["hogeschool-rotterdam"]
    assert all(tie(whole, a, b) for a, b in zip(chain, chain[1:], strict=False))
    assert longer["sentence"]["nl"] and longer["intermediaries"] == len(chain) - 2


def test_suggestions_for_one_organisation_are_new_ties(client, whole, slugs):
    answer = get(client, "/suggestions", organisation="movisie", limit=5)
    rows = answer["suggestions"]
    assert 0 < len(rows) <= 5 and answer["explanation"]["nl"]
    assert all(r["a"]["id"] == slugs["movisie"] for r in rows)
    assert not any(tie(whole, r["a"]["id"], r["b"]["id"]) for r in rows)
    assert all(r["reason"]["nl"].startswith("werken allebei samen met") for r in rows)


# --- exports --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "media", "filename"),
    [
        ("graphml", "application/graphml+xml", "kracht-in-kaart-netwerk.graphml"),
        ("gexf", "application/gexf+xml", "kracht-in-kaart-netwerk.gexf"),
        ("cytoscape", "application/json", "kracht-in-kaart-netwerk-cytoscape.json"),
        ("kumu", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "kracht-in-kaart-netwerk-kumu.xlsx"),
        ("nodes.csv", "text/csv", "kracht-in-kaart-netwerk-nodes.csv"),
        ("edges.csv", "text/csv", "kracht-in-kaart-netwerk-edges.csv"),
        ("metrics.csv", "text/csv", "kracht-in-kaart-netwerk-metrics.csv"),
    ],
)  # fmt: skip
def test_exports_have_media_type_and_file_name(client, fmt, media, filename):
    response = client.get(f"{API}/export/{fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'


def test_export_file_name_names_the_year(client):
    response = client.get(f"{API}/export/gexf", params={"year": 2020})
    assert 'filename="kracht-in-kaart-netwerk-2020.gexf"' in response.headers["content-disposition"]


def test_graphml_reads_back_into_networkx(client, whole):
    G = nx.read_graphml(io.BytesIO(client.get(f"{API}/export/graphml").content))
    assert (len(G), G.number_of_edges()) == (NETWORK, len(whole["links"]))


def test_gexf_reads_back_with_time(client, whole):
    content = client.get(f"{API}/export/gexf").content
    G = nx.read_gexf(io.BytesIO(content))
    assert (len(G), G.number_of_edges()) == (NETWORK, len(whole["links"]))
    assert b'mode="dynamic"' in content and b"<spell" in content


def test_cytoscape_json_has_the_elements(client, whole):
    data = json.loads(client.get(f"{API}/export/cytoscape").content)
    assert len(data["elements"]["nodes"]) == NETWORK
    assert len(data["elements"]["edges"]) == len(whole["links"])


def test_kumu_workbook_has_elements_and_connections(client, whole):
    book = load_workbook(io.BytesIO(client.get(f"{API}/export/kumu").content))
    assert book.sheetnames == ["Elements", "Connections"]
    assert book["Elements"].max_row == 1 + NETWORK
    assert book["Connections"].max_row == 1 + len(whole["links"])


@pytest.mark.parametrize(("fmt", "rows"), [("nodes.csv", NETWORK), ("metrics.csv", NETWORK)])
def test_csv_has_a_row_per_organisation(client, fmt, rows):
    table = list(csv.DictReader(io.StringIO(client.get(f"{API}/export/{fmt}").text)))
    assert len(table) == rows and table[0]["id"]


def test_edges_csv_follows_the_options(client):
    table = list(
        csv.DictReader(
            io.StringIO(client.get(f"{API}/export/edges.csv", params={"layers": "relation"}).text)
        )
    )
    assert len(table) == 15 and all(row["layer_relation"] == "1" for row in table)


# --- spot checks against the seed documents ------------------------------------------------


def test_seed_biblionet_groningen_and_acantus_are_tied(whole, slugs):
    # seed_network.yaml lines 195-211 (activity "boekenproject-delfzijl") and 959-964 (the
    # relation): 000_91f2c310678b4bb0.txt lines 19 and 28-42, the book parcels for tenants
    # in Delfzijl. One project plus one relation: weight 2.
    link = tie(whole, slugs["biblionet-groningen"], slugs["acantus"])
    assert link and link["layers"] == {"project": 1, "relation": 1} and link["weight"] == 2


def test_seed_movisie_is_tied_to_the_partners_in_the_leerkringen(whole, slugs):
    # seed_network.yaml lines 457-492: Movisie guided the leerkringen in Assen (Cosis,
    # 001_4b9267fa119b6001.txt line 165) and Stadskanaal (the gemeente, lines 32-34).
    for other in ("cosis-ontstaan-uit-novo-en-promens-care", "gemeente-stadskanaal"):
        link = tie(whole, slugs["movisie"], slugs[other])
        assert link and link["layers"].get("leerkring") == 1, other


def test_seed_the_two_lectors_schools_made_three_guides_together(whole, slugs):
    # seed_network.yaml lines 249-293 and 887-905: the handreikingen on poverty at school,
    # in the social domain and in youth health care (000_91f2c310678b4bb0.txt lines 153-154,
    # 004_8d52c26db0247c55.txt lines 687-691).
    link = tie(whole, slugs["hanzehogeschool-groningen"], slugs["hogeschool-rotterdam"])
    assert link and link["layers"] == {"project": 3} and link["last_year"] == 2021


def test_seed_gemeente_groningen_met_the_food_bank_and_wij_twice_in_2021(client, slugs):
    # seed_network.yaml lines 828-885: the network meeting of 23 September 2021 and the
    # Politieke Woensdag of 29 September 2021 (004_8d52c26db0247c55.txt lines 41, 81, 165,
    # 356 and 360).
    year = get(client, "/graph", year=2021)
    for other in ("voedselbank-groningen", "wij-groningen"):
        link = tie(year, slugs["gemeente-groningen"], slugs[other])
        assert link and link["count"] == 2 and link["first_year"] == 2021, other
    assert (
        tie(get(client, "/graph", year=2019), slugs["gemeente-groningen"], slugs["wij-groningen"])
        is None
    )


def test_seed_network_is_near_connected(whole):
    # Most organisations with a tie are in one part; the Delfzijl pair (Acantus, Biblionet
    # Groningen, seed file 000 lines 28-42) is the only other part.
    G = nx.Graph()
    G.add_edges_from((link["source"], link["target"]) for link in whole["links"])
    sizes = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    assert sizes[0] >= 0.9 * len(G)
    assert whole["graph"]["summary"]["largest_component"] == sizes[0]
