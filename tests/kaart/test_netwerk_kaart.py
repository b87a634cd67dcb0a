"""The network on the map (kaart/netwerk_kaart.py), through the folium objects and rendered HTML."""

from __future__ import annotations

import json
import re

import folium
import networkx as nx
import pytest

from data.snapshot import ActivityRecord, NetworkSnapshot, OrgNode
from kaart import netwerk_kaart as nk
from kaart.maps import render_parts
from netwerk.views import SECTOR_COLOURS, clear_cache

TILES = "https://tile.example/{z}/{x}/{y}.png"
TEXTS = {
    "presence": "{name}: {n} partners",
    "need": "{pct}% laag inkomen",
    "tie": "{a} en {b}: {n} keer",
}


def org(ident, sector, *, partner=True, where=None):
    code, name, lat, lon = where or (None, None, None, None)
    return OrgNode(ident, ident.lower(), ident, sector, partner, None, code, name, lat, lon)


GRONINGEN = ("GM0014", "Groningen", 53.2192, 6.5667)
EMMEN = ("GM0114", "Emmen", 52.7792, 6.9069)
ASSEN = ("GM0106", "Assen", 52.9967, 6.5625)


@pytest.fixture
def snapshot() -> NetworkSnapshot:
    """H and R share an office in Groningen; E in Emmen; A in Assen (no partner); X unknown place."""
    orgs = (
        org("H", "education", where=GRONINGEN),
        org("R", "knowledge_institute", where=GRONINGEN),
        org("E", "municipality", where=EMMEN),
        org("A", "province", partner=False, where=ASSEN),
        org("X", "welfare"),
    )
    acts = (
        ActivityRecord("p1", "p1", "project", "P1", None, "2020", None, "t", (("H", "lead"), ("E", "member"))),
        ActivityRecord("p2", "p2", "project", "P2", None, "2020", None, "t", (("H", "lead"), ("E", "member"))),
        ActivityRecord("p3", "p3", "project", "P3", None, "2021", None, "t", (("H", "lead"), ("R", "member"), ("A", "member"), ("X", "member"))),
    )  # fmt: skip
    return NetworkSnapshot(1, orgs, acts, ())


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


def graph(snapshot, **options):
    from netwerk.views import network_graph

    return network_graph(snapshot, **options)


def bound(script: str, method: str) -> list[str]:
    """The texts passed to ``bindTooltip`` or ``bindPopup`` in a rendered map script."""
    return [json.loads(m) for m in re.findall(method + r'\(("(?:[^"\\]|\\.)*")', str(script))]


def rendered(snapshot, **options):
    parts, legend = nk.network_map_view(
        graph(snapshot, **options), tiles_url=TILES, attribution="© test", texts=TEXTS,
        href=lambda slug: f"/netwerk/organisatie/{slug}",
    )  # fmt: skip
    return parts, legend


def test_offices_group_organisations_at_one_address(snapshot):
    offices = nk.offices(graph(snapshot))
    assert [o.members for o in offices] == [("A",), ("E",), ("H", "R")]


def test_presence_counts_partner_offices_per_gemeente(snapshot):
    assert nk.presence(graph(snapshot)) == {"GM0014": 2, "GM0114": 1}


@pytest.mark.parametrize(("count", "colour"), [(0, 0), (1, 1), (2, 2), (3, 3), (9, 3)])
def test_presence_colour_classes(count, colour):
    assert nk.presence_colour(count) == nk.PRESENCE_COLOURS[colour]


def test_tie_width_grows_with_weight_and_is_capped():
    widths = [nk.tie_width(w) for w in (0.2, 1, 2, 4, 9, 100)]
    assert widths == sorted(widths) and widths[0] == 2.0 and widths[-1] == 9.0


def test_the_map_has_a_line_per_tie_between_two_places(snapshot):
    G = graph(snapshot)
    m = nk.add_ties(folium.Map(), G, texts=TEXTS)
    lines = [c for c in m._children.values() if isinstance(c, folium.PolyLine)]
    # H–E (two projects), H–A and R–A; H–R share an office (no line of length 0) and
    # X has no known office
    drawn = {tuple(sorted(map(tuple, line.locations))) for line in lines}
    assert len(lines) == 3 and len(drawn) == 2
    widths = sorted(line.options["weight"] for line in lines)
    assert widths == [2.0, 2.0, nk.tie_width(2.0)]


def test_the_map_has_a_circle_per_office_coloured_by_sector(snapshot):
    m = nk.add_offices(folium.Map(), graph(snapshot), href=lambda s: f"/o/{s}")
    circles = [c for c in m._children.values() if isinstance(c, folium.CircleMarker)]
    assert len(circles) == 3
    colours = {c.options["fillColor"] for c in circles}
    assert SECTOR_COLOURS["education"] in colours and SECTOR_COLOURS["municipality"] in colours


def test_the_choropleth_has_every_gemeente(snapshot):
    m = nk.add_presence(folium.Map(), nk.gemeente_shapes(), {"GM0014": 2}, texts=TEXTS)
    layers = [c for c in m._children.values() if isinstance(c, folium.GeoJson)]
    assert len(layers) == 22


def test_gemeente_shapes_are_simplified_but_valid():
    shapes = nk.gemeente_shapes()
    assert len(shapes) == 22 and all(g.geometry.is_valid for g in shapes)
    assert nk.gemeente_shapes() is shapes  # read once


def test_rendered_map_loads_only_our_own_assets(snapshot):
    parts, _legend = rendered(snapshot)
    assert parts.js and all(url.startswith("/static/") for url in parts.js)
    assert parts.css and all(url.startswith("/static/") for url in parts.css)
    assert "cdn" not in parts.script.lower() and "<script" not in parts.script


def test_rendered_map_names_places_and_links_pages(snapshot):
    parts, _legend = rendered(snapshot)
    tips, popups = bound(parts.script, "bindTooltip"), bound(parts.script, "bindPopup")
    assert any(tip.startswith("Groningen: 2 partners") for tip in tips)
    assert "H en E: 2 keer" in tips and "H · R" in tips
    assert (
        '<a href="/netwerk/organisatie/h">H</a><br><a href="/netwerk/organisatie/r">R</a>' in popups
    )


def test_the_need_of_a_gemeente_is_in_its_tooltip(snapshot):
    parts, _legend = rendered(snapshot)
    tips = bound(parts.script, "bindTooltip")
    assert any(re.fullmatch(r"Groningen: 2 partners · \d+,\d% laag inkomen", tip) for tip in tips)


def test_names_are_escaped_in_tooltips_and_popups():
    G = nx.Graph()
    G.add_node("x", name="<b>Kwaad</b>", slug="kwaad", sector="other", lat=53.0, lon=6.5)
    m = nk.add_offices(nk.base_map((53, 6.5), 8, tiles_url=TILES, attribution="t"), G,
                       href=lambda s: f"/o/{s}")  # fmt: skip
    script = render_parts(m).script
    assert bound(script, "bindTooltip") == ["&lt;b&gt;Kwaad&lt;/b&gt;"]
    assert bound(script, "bindPopup") == ['<a href="/o/kwaad">&lt;b&gt;Kwaad&lt;/b&gt;</a>']


def test_the_same_map_renders_to_the_same_bytes(snapshot):
    assert rendered(snapshot)[0] == rendered(snapshot)[0]


def test_the_legend_lists_what_is_on_the_map_and_what_is_not(snapshot):
    _parts, legend = rendered(snapshot)
    assert [r["name"] for r in legend["located"]] == ["A", "E", "H", "R"]
    assert legend["not_located"] == 1  # X has ties but no known office
    assert [code for code, _ in legend["sectors"]] == sorted(
        ["education", "knowledge_institute", "municipality", "province"]
    )
    assert [n for n, _ in legend["presence"]] == [0, 1, 2, 3]


def test_the_map_follows_the_year(snapshot):
    _parts, legend = rendered(snapshot, year=2020)
    degree = {r["name"]: r["degree"] for r in legend["located"]}
    assert degree["H"] == 1 and "A" not in degree  # 2020: only H–E; A is no partner, no tie yet


def test_organisation_names_with_template_syntax_are_shown_as_written():
    orgs = (
        org("H", "education", where=GRONINGEN),
        OrgNode("E", "e", "Gemeente {{ 7*7 }}", "municipality", True, None, *EMMEN),
    )
    acts = (ActivityRecord("p1", "p1", "project", "P1", None, "2020", None, "t",
                           (("H", "lead"), ("E", "member"))),)  # fmt: skip
    parts, _ = rendered(NetworkSnapshot(1, orgs, acts, ()))
    tips = bound(parts.script, "bindTooltip")
    assert "Gemeente {{ 7*7 }}" in tips and not any("Gemeente 49" in t for t in tips)
    assert any("Gemeente {{ 7*7 }}" in t for t in tips if " en " in t)  # the tie's tooltip
