"""The network pages (/netwerk, /netwerk/kaart, /netwerk/rapport, /netwerk/organisatie/…)
through TestClient, on the shipped data. They work without JavaScript: the table, the key
figures and the filters are server-rendered; the interactive picture is an extra."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from api.i18n import catalogue
from netwerk.messages import EXPLANATIONS

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "api" / "templates" / "netwerk"
PAGES = [
    "/netwerk",
    "/netwerk?lang=en",
    "/netwerk?year=2018&layers=leerkring&sort=name",
    "/netwerk?scope=registry",
    "/netwerk/kaart",
    "/netwerk/rapport",
    "/netwerk/organisatie/movisie",
    "/netwerk/organisatie/bestaat-niet",
]


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def table_names(html: str) -> list[str]:
    body = html.split('id="netwerk-tabel"', 1)[1].split("</tbody>", 1)[0]
    return [unescape(n) for n in re.findall(r'<th scope="row" data-value="([^"]*)"', body)]


def nl(key: str, **values: object) -> str:
    value = catalogue("nl")[key]
    return value.format(**values) if values else value


# --- /netwerk ------------------------------------------------------------------------------


def test_network_page_speaks_dutch_from_the_catalogue(client):
    html = page(client, "/netwerk")
    assert f"<h1>{nl('netwerk.title')}</h1>" in html
    assert nl("netwerk.figures.title") in html and nl("netwerk.table.caption") in html


def test_network_page_in_english(client):
    html = page(client, "/netwerk?lang=en")
    assert f"<h1>{catalogue('en')['netwerk.title']}</h1>" in html
    assert EXPLANATIONS["density"]["en"] in unescape(html)


def test_key_figures_carry_their_explanation(client):
    html = unescape(page(client, "/netwerk"))
    network = client.get("/api/v1/netwerk/report").json()["network"]
    figure = re.search(r'data-figure="nodes"[^>]*>([^<]+)<', html)[1]
    registry = client.get("/api/v1/netwerk/report", params={"scope": "registry"}).json()
    assert figure == str(network["nodes"]) and 41 < network["nodes"] < registry["network"]["nodes"]
    for key in ("nodes", "ties", "density", "components", "modularity"):
        assert EXPLANATIONS[key]["nl"] in html


def test_the_table_has_the_same_organisations_as_the_picture(client):
    html = page(client, "/netwerk")
    graph = client.get("/api/v1/netwerk/graph", params={"isolates": "partners"}).json()
    assert sorted(table_names(html)) == sorted(n["name"] for n in graph["nodes"])
    assert 'data-api="/api/v1/netwerk/graph?isolates=partners"' in html


def test_the_table_is_an_accessible_table_sorted_by_a_header_button(client):
    html = page(client, "/netwerk")
    table = html.split('<table id="netwerk-tabel"', 1)[1].split("</table>", 1)[0]
    assert "<caption>" in table
    heads = re.findall(r"<th scope=\"col\"[^>]*>", table)
    assert len(heads) == 7
    assert [h for h in heads if "aria-sort" in h] == [
        next(h for h in heads if 'data-key="betweenness"' in h)
    ]
    assert 'aria-sort="descending"' in table
    assert re.search(
        r'<button type="submit" form="netwerk-filters" name="sort" value="name">', table
    )
    assert re.search(r'name="sort" value="betweenness">', table)  # flips the current column


def test_the_table_is_sorted_as_asked(client):
    html = page(client, "/netwerk?sort=name")
    names = table_names(html)
    assert names == sorted(names, key=str.casefold)
    heads = re.findall(r'<th scope="col"[^>]*data-key="name"[^>]*>', html)
    assert 'aria-sort="ascending"' in heads[0]
    ranked = table_names(page(client, "/netwerk"))
    assert ranked[0] == "Hanzehogeschool Groningen"  # the largest betweenness


def test_a_year_shows_that_year_in_the_table_and_the_figures(client):
    html = page(client, "/netwerk?year=2018")
    graph = client.get(
        "/api/v1/netwerk/graph", params={"year": 2018, "isolates": "partners"}
    ).json()
    assert sorted(table_names(html)) == sorted(n["name"] for n in graph["nodes"])
    assert re.search(r'data-figure="ties"[^>]*>{}<'.format(graph["graph"]["summary"]["ties"]), html)
    assert nl("netwerk.figures.for", period=nl("netwerk.filters.period_year", year=2018)) in html
    assert 'data-api="/api/v1/netwerk/graph?year=2018&amp;isolates=partners"' in html


def test_all_years_wins_over_the_slider(client):
    html = page(client, "/netwerk?year=2018&all_years=true")
    assert nl("netwerk.filters.period_all") in html
    nodes = client.get("/api/v1/netwerk/report").json()["network"]["nodes"]
    assert re.search(rf'data-figure="nodes"[^>]*>{nodes}<', html)


def test_the_year_slider_has_a_label_and_an_output(client):
    html = page(client, "/netwerk?year=2019")
    slider = re.search(r'<input type="range" id="jaar"[^>]*>', html)[0]
    assert 'name="year"' in slider and 'min="2017"' in slider and 'value="2019"' in slider
    assert (
        '<label for="jaar"' in html and '<output id="jaar-output" for="jaar">2019</output>' in html
    )


def test_layer_and_sector_filters_are_checkboxes_that_remember_the_choice(client):
    html = page(client, "/netwerk?layers=leerkring&sector=municipality")
    assert re.search(r'name="layers" value="leerkring" checked', html)
    assert re.search(r'name="sector" value="municipality"[^>]* checked', html)
    names = table_names(html)
    assert names and all(name.startswith("Gemeente") for name in names)


def test_the_graph_container_is_ready_for_the_script(client):
    html = page(client, "/netwerk")
    graph = re.search(r'<div id="netwerk-graph"[^>]*>', html, re.S)[0]
    assert 'role="img"' in graph and 'data-ready="false"' in graph and "data-node-count" in graph
    assert '<script src="/static/vendor/cytoscape/cytoscape.min.js"' in html
    assert '<script src="/static/js/netwerk.js"' in html
    assert nl("netwerk.graph.nojs") in html  # for those without JavaScript


def test_download_links_follow_the_choice(client):
    html = unescape(page(client, "/netwerk?year=2020&layers=project"))
    for fmt in ("graphml", "gexf", "cytoscape", "kumu", "nodes.csv", "edges.csv", "metrics.csv"):
        assert f'href="/api/v1/netwerk/export/{fmt}?layers=project&year=2020"' in html


def test_which_organisations_is_a_choice_that_reaches_table_picture_and_downloads(client):
    default, everyone = page(client, "/netwerk"), unescape(page(client, "/netwerk?scope=registry"))
    assert '<select id="wie" name="scope">' in default
    assert '<option value="registry" selected>' in everyone
    # the registry also holds organisations nobody works with: the picture leaves out
    # loners that are no partner, the table too, but the figures count them
    graph = client.get(
        "/api/v1/netwerk/graph", params={"scope": "registry", "isolates": "partners"}
    ).json()
    assert graph["graph"]["summary"]["nodes"] > len(graph["nodes"]) - graph["graph"]["hidden"]
    assert 'data-api="/api/v1/netwerk/graph?scope=registry&amp;isolates=partners"' in page(
        client, "/netwerk?scope=registry"
    )
    assert 'href="/api/v1/netwerk/export/graphml?scope=registry"' in everyone
    partners = table_names(page(client, "/netwerk?scope=partners"))
    assert len(partners) == 41 < len(table_names(default))


@pytest.mark.parametrize(
    "query",
    ["year=1800", "year=abc", "sort=bogus", "layers=bogus", "size=bogus", "colour=red", "scope=alle"],
)
def test_a_bad_choice_is_a_page_not_json(client, query):
    html = page(client, f"/netwerk?{query}", 422)
    assert nl("netwerk.error.title_422") in html and '<a class="button' in html


# --- /netwerk/organisatie/… -------------------------------------------------------------------


def test_organisation_page_explains_each_metric(client):
    html = unescape(page(client, "/netwerk/organisatie/movisie"))
    assert "<h1>Movisie</h1>" in html
    for key in ("degree", "betweenness", "eigenvector", "ei_index", "fragmentation"):
        assert nl(f"netwerk.metric.{key}") in html and EXPLANATIONS[key]["nl"] in html


def test_organisation_page_lists_its_partners_and_theirs(client):
    html = unescape(page(client, "/netwerk/organisatie/movisie"))
    assert nl("netwerk.org.ego_direct", n=9) in html
    assert (
        '<a href="/netwerk/organisatie/gemeente-stadskanaal?lang=nl">Gemeente Stadskanaal</a>'
        in html
    )
    assert nl("netwerk.org.ego_second", n=25) in html


def test_organisation_page_shows_brokerage_roles(client):
    html = unescape(page(client, "/netwerk/organisatie/movisie"))
    for role in ("coordinator", "itinerant", "gatekeeper", "representative", "liaison"):
        assert EXPLANATIONS[role]["nl"] in html


def test_organisation_page_suggests_with_a_reason(client):
    html = unescape(page(client, "/netwerk/organisatie/movisie"))
    section = html.split('id="suggestions-heading"', 1)[1].split("</section>", 1)[0]
    assert "werken allebei samen met" in section


def test_organisation_page_lists_its_activities_by_year_with_kind_and_source(client):
    html = text(page(client, "/netwerk/organisatie/movisie"))
    assert "2017 " in html and nl("netwerk.org.year_unknown") in html
    assert re.search(
        r"leerkring ?: Leerkring Stadskanaal \(trekker\), in Stadskanaal, tot 2019\.", html
    )
    assert "Bron: seeds/001_4b9267fa119b6001.txt" in html


def test_organisation_page_of_a_relation_links_the_other_organisation(client):
    html = unescape(page(client, "/netwerk/organisatie/acantus"))
    assert (
        '<a href="/netwerk/organisatie/biblionet-groningen?lang=nl">Afspraak met Biblionet Groningen</a>'
        in html
    )


def test_an_organisation_without_ties_says_so(client):
    html = page(client, "/netwerk/organisatie/at7-samen-werkt")
    assert nl("netwerk.org.ego_none") in html and nl("netwerk.org.history_none") in html


def test_unknown_organisation_is_a_404_page(client):
    html = page(client, "/netwerk/organisatie/bestaat-niet", 404)
    assert nl("netwerk.error.title_404") in html and "bestaat-niet" in html


# --- /netwerk/rapport ---------------------------------------------------------------------------


def test_report_page_has_the_growth_chart_as_inline_svg(client):
    html = page(client, "/netwerk/rapport")
    svg = html.split('<svg id="groei-grafiek"', 1)[1].split("</svg>", 1)[0]
    years = client.get("/api/v1/netwerk/evolution").json()["years"]
    assert 'role="img"' in svg and "<title" in svg
    lines = re.findall(r'<polyline points="([^"]+)"', svg)
    assert len(lines) == 2 and all(len(points.split()) == len(years) for points in lines)


def test_report_page_has_every_section(client):
    html = unescape(page(client, "/netwerk/rapport"))
    for key in ("figures.title", "rapport.brokers", "rapport.silos", "rapport.vulnerable",
                "rapport.suggestions", "rapport.growth"):  # fmt: skip
        assert nl(f"netwerk.{key}") in html, key
    assert (
        EXPLANATIONS["articulation_points"]["nl"] in html and EXPLANATIONS["ei_index"]["nl"] in html
    )


def test_report_page_names_the_top_broker_and_the_weak_points(client):
    html = unescape(page(client, "/netwerk/rapport"))
    brokers = html.split('id="brokers-heading"', 1)[1].split("</section>", 1)[0]
    assert "Hanzehogeschool Groningen" in brokers
    points = client.get("/api/v1/netwerk/resilience").json()["articulation_points"]
    weak = html.split('id="kwetsbaar-tabel"', 1)[1].split("</table>", 1)[0]
    assert all(p["name"] in weak for p in points)


def test_report_page_prints(client):
    html = page(client, "/netwerk/rapport")
    assert 'href="/static/css/netwerk.css"' in html and "data-print" in html
    css = client.get("/static/css/netwerk.css").text
    assert "@media print" in css


# --- /netwerk/kaart -----------------------------------------------------------------------------


def test_map_page_has_the_map_with_the_nonce(client):
    response = client.get("/netwerk/kaart")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["content-security-policy"])[1]
    html = response.text
    assert f'<script src="/static/vendor/leaflet/leaflet.js" nonce="{nonce}"' in html
    assert re.search(rf'<script nonce="{re.escape(nonce)}">\s*var map_', html)
    assert 'class="folium-map"' in html


def test_map_page_has_a_legend_and_the_organisations_as_a_table(client):
    html = unescape(page(client, "/netwerk/kaart"))
    assert nl("netwerk.kaart.legend_presence") in html
    table = html.split('id="netwerk-kaart-tabel"', 1)[1].split("</table>", 1)[0]
    assert "Hanzehogeschool Groningen" in table and "Gemeente Emmen" in table
    assert re.search(r"\d+ organisaties in het netwerk hebben geen bekend kantooradres", html)


def test_map_page_follows_the_year(client):
    html = unescape(page(client, "/netwerk/kaart?year=2017"))
    assert nl("netwerk.filters.period_year", year=2017) in html


# --- every page ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_nothing_from_elsewhere(client, url):
    html = client.get(url).text
    assets = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    text = re.sub(r'nonce="[^"]*"', "", html).lower()  # a random nonce may spell "cdn"
    assert "cdn" not in text and "unpkg" not in text


@pytest.mark.parametrize("url", PAGES)
def test_every_script_carries_the_nonce(client, url):
    response = client.get(url)
    nonce = re.search(r"'nonce-([^']+)'", response.headers["content-security-policy"])[1]
    for tag in re.findall(r"<script\b[^>]*>", response.text):
        assert f'nonce="{nonce}"' in tag


def test_every_asset_of_the_pages_exists(client):
    assets = {"/static/vendor/cytoscape/LICENSE", "/static/vendor/README.md"}
    for url in PAGES:
        assets |= set(re.findall(r'(?:src|href)="(/static/[^"]+)"', client.get(url).text))
    for asset in sorted(assets):
        assert client.get(asset).status_code == 200, asset


def test_the_vendored_graph_library_is_documented():
    readme = (ROOT / "api" / "static" / "vendor" / "README.md").read_text(encoding="utf-8")
    assert "cytoscape" in readme and "MIT" in readme
    assert "The Cytoscape Consortium" in (ROOT / "api/static/vendor/cytoscape/LICENSE").read_text()


def _template_keys() -> set[str]:
    keys = set()
    for path in TEMPLATES.glob("*.html"):
        keys |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
    return keys


DYNAMIC = (
    {f"netwerk.layer.{k}" for k in ("werkgroep", "transitietafel", "leerkring", "experiment",
                                     "project", "congres", "netwerktafel", "other", "relation")}
    | {f"netwerk.nav.{k}" for k in ("graph", "map", "report")}
    | {f"netwerk.error.title_{s}" for s in (400, 404, 422)}
    | {f"netwerk.org.role_{r}" for r in ("lead", "member")}
    | {f"netwerk.filters.colour_{c}" for c in ("sector", "community")}
)  # fmt: skip


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_catalogue_key_of_the_network_pages_exists(lang):
    from netwerk.views import KEY_FIGURES, ORGANISATION_METRICS, SIZE_METRICS, TABLE_METRICS

    metrics = {*KEY_FIGURES, *ORGANISATION_METRICS, *SIZE_METRICS, *TABLE_METRICS,
               "coordinator", "itinerant", "gatekeeper", "representative", "liaison"}  # fmt: skip
    found = {k for k in _template_keys() if not k.endswith((".", "_"))}
    keys = found | DYNAMIC | {f"netwerk.metric.{m}" for m in metrics}
    assert len(found) > 80
    assert sorted(k for k in keys if k not in catalogue(lang)) == []


def test_network_catalogues_have_the_same_keys():
    locale = ROOT / "api" / "locale"
    nl_keys = json.loads((locale / "nl" / "netwerk.json").read_text(encoding="utf-8"))
    en_keys = json.loads((locale / "en" / "netwerk.json").read_text(encoding="utf-8"))
    assert set(nl_keys) == set(en_keys)
