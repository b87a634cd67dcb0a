"""The folium maps: self-hosted assets only, accessible markers, no confidential points."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from types import SimpleNamespace

import folium
import pytest
from folium.plugins import MarkerCluster

from data.snapshot import PlaceRecord
from kaart import elements, maps

TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
ATTR = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
STATIC = Path(__file__).resolve().parents[2] / "api" / "static"


def record(n: int, lat: float | None, lon: float | None, **kw: object) -> PlaceRecord:
    base = {f.name: None for f in dataclasses.fields(PlaceRecord)}
    base.update(
        service_id=f"s{n}", location_id=f"l{n}", slug=f"plek-{n}", name=f"Plek {n}", kind="other",
        description="", needs=(), kapitaalsvormen=(), languages=(), service_area=(),
        location_type="physical", lat=lat, lon=lon, confidential=False, source="",
        address=f"Hoofdstraat {n}",
    )  # fmt: skip
    base.update(kw)
    return PlaceRecord(**base)  # type: ignore[arg-type]


def hits(*records: PlaceRecord) -> list[SimpleNamespace]:
    return [SimpleNamespace(place=r) for r in records]


def new_map() -> folium.Map:
    return maps.base_map((52.9625, 6.95), 12, tiles_url=TILES, attribution=ATTR)


def children(element, kind):  # type: ignore[no-untyped-def]
    found = [c for c in element._children.values() if isinstance(c, kind)]
    for c in element._children.values():
        found += children(c, kind)
    return found


def asset_urls(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)


def test_base_map_uses_only_self_hosted_assets():
    m = new_map()
    assert [url for _, url in m.default_js] == [
        "/static/vendor/leaflet/leaflet.js",
        "/static/js/kaart-map.js",
    ]
    assert [url for _, url in m.default_css] == ["/static/vendor/leaflet/leaflet.css"]


def test_base_map_leaves_folium_defaults_alone():
    new_map()
    assert any("cdn" in url for _, url in folium.Map.default_js)  # an instance copy was changed


def test_rendered_document_has_no_cdn_url():
    m = new_map()
    maps.add_places(m, hits(*(record(n, 52.9 + n / 100, 6.9) for n in range(20))))  # clustered
    html = m.get_root().render()
    urls = asset_urls(html)
    assert urls and all(url.startswith("/static/") for url in urls)
    assert "cdn" not in html.lower()
    assert set(re.findall(r"https://[^\s\"'<>\\]+", html)) <= {
        TILES,
        "https://www.openstreetmap.org/copyright",
    }


def test_every_asset_of_a_map_exists():
    m = new_map()
    maps.add_places(m, hits(*(record(n, 52.9 + n / 100, 6.9) for n in range(20))))
    parts = maps.render_parts(m)
    for url in (*parts.css, *parts.js):
        assert (STATIC / url.removeprefix("/static/")).is_file(), url
    for image in ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"):
        assert (STATIC / "vendor" / "leaflet" / "images" / image).is_file()


def test_one_named_keyboard_marker_per_location():
    m = maps.add_places(
        new_map(),
        hits(
            record(1, 52.96, 6.96),
            record(2, 52.97, 6.95),
            record(3, 52.96, 6.96, location_id="l1", name="Avondcafé"),
        ),
    )
    markers = children(m, folium.Marker)
    assert len(markers) == 2
    assert markers[0].options == {
        "alt": "Plek 1 · Avondcafé",
        "title": "Plek 1 · Avondcafé",
        "keyboard": True,
    }
    assert not children(m, MarkerCluster)


def test_popup_links_to_the_place_page():
    m = maps.add_places(
        new_map(), hits(record(1, 52.96, 6.96)), href=lambda p: f"/plek/{p.slug}?lang=en"
    )
    script = maps.render_parts(m).script
    assert '\\u003ca href=\\"/plek/plek-1?lang=en\\"\\u003ePlek 1\\u003c/a\\u003e' in script


def test_many_locations_are_clustered_with_local_assets():
    m = maps.add_places(
        new_map(), hits(*(record(n, 52.9 + n / 100, 6.9) for n in range(maps.CLUSTER_ABOVE + 1)))
    )
    (cluster,) = children(m, MarkerCluster)
    assert len(children(cluster, folium.Marker)) == maps.CLUSTER_ABOVE + 1
    assert all(
        url.startswith("/static/vendor/") for _, url in cluster.default_js + cluster.default_css
    )


def test_confidential_places_get_no_marker():
    secret = record(9, 52.96, 6.94, confidential=True, name="Opvang", address="Geheimstraat 99")
    m = maps.add_places(new_map(), hits(record(1, 52.96, 6.96), secret))
    assert len(children(m, folium.Marker)) == 1
    html = m.get_root().render()
    assert "Opvang" not in html and "6.94" not in html and "Geheimstraat" not in html


def test_place_names_cannot_break_out_of_the_script():
    evil = record(1, 52.96, 6.96, name="Café </script><img src=x onerror=alert(1)> `${x}`")
    script = maps.render_parts(maps.add_places(new_map(), hits(evil))).script
    assert "</script" not in script and "<img" not in script
    assert "\\u0026lt;img" in script  # HTML-escaped for Leaflet, then JSON-escaped


def test_search_point_is_a_labelled_circle():
    m = maps.add_search_point(new_map(), 52.9625, 6.95, "Hier zoeken we vanaf")
    (circle,) = children(m, folium.CircleMarker)
    assert circle.location == [52.9625, 6.95]
    assert "Hier zoeken we vanaf" in maps.render_parts(m).script


def test_results_map_fits_all_points():
    m = maps.results_map(
        52.9625,
        6.95,
        hits(record(1, 52.99, 6.96)),
        label="x",
        tiles_url=TILES,
        attribution=ATTR,
        href=lambda p: "/",
    )
    assert "fitBounds" in maps.render_parts(m).script


def test_place_map_shows_an_exact_address_as_a_marker():
    m = maps.place_map(
        record(1, 52.96, 6.96, precision="address"), tiles_url=TILES, attribution=ATTR
    )
    assert m.location == [52.96, 6.96] and len(children(m, folium.Marker)) == 1
    assert not children(m, folium.Circle)


@pytest.mark.parametrize(
    ("precision", "metres"), [("postcode", 1000), ("place", 2000), (None, 2000)]
)
def test_place_map_shows_an_approximate_point_as_an_area(precision, metres):
    m = maps.place_map(
        record(1, 52.96, 6.96, precision=precision), tiles_url=TILES, attribution=ATTR
    )
    (circle,) = children(m, folium.Circle)
    assert circle.options["radius"] == metres
    assert not [c for c in children(m, folium.Marker) if not isinstance(c, folium.Circle)]


@pytest.mark.parametrize(
    "place", [record(1, 52.96, 6.96, confidential=True), record(1, None, None)]
)
def test_no_place_map_for_confidential_or_unplaced_places(place):
    with pytest.raises(ValueError):
        maps.place_map(place, tiles_url=TILES, attribution=ATTR)


def test_render_parts_is_stable_and_split():
    def build():  # type: ignore[no-untyped-def]
        m = maps.add_places(new_map(), hits(record(1, 52.96, 6.96)))
        return maps.render_parts(maps.add_search_point(m, 52.9625, 6.95, "hier"))

    a, b = build(), build()
    assert a == b
    assert a.html == '<div class="folium-map" id="map_0" ></div>'
    assert "<script" not in a.script and "user-scalable" not in a.script
    assert a.script.startswith("var map_0 = L.map(")


def test_with_nonce_marks_every_script():
    html = maps.with_nonce(new_map().get_root().render(), "n0nce")
    tags = re.findall(r"<script\b[^>]*>", html)
    assert tags and all('nonce="n0nce"' in tag for tag in tags)


# --- registry text is data, never a template (kaart/elements.py) ------------------------

JINJA = "Buurthuis {{ 7*7 }} {% if true %}ja{% endif %} {{ cycler.__init__.__globals__ }}"


def test_a_place_name_with_template_syntax_is_shown_as_written():
    place = record(1, 52.96, 6.96, name=JINJA, address="Straat {{ 6*7 }}")
    m = maps.results_map(
        52.96, 6.95, hits(place), label="U {{ 1+1 }}", tiles_url=TILES, attribution=ATTR,
        href=lambda p: f"/plek/{p.slug}",
    )  # fmt: skip
    parts = maps.render_parts(m)
    assert json.dumps(JINJA) in parts.script  # the marker's alt/title
    assert "Straat {{ 6*7 }}" in parts.script and "U {{ 1+1 }}" in parts.script
    assert "49" not in parts.script and "42" not in parts.script and "globals" in parts.script


def test_a_place_map_of_an_area_keeps_template_syntax_too():
    place = record(2, 52.96, 6.96, name=JINJA, precision="place")
    parts = maps.render_parts(maps.place_map(place, tiles_url=TILES, attribution=ATTR))
    assert "Buurthuis {{ 7*7 }}" in parts.script and "Buurthuis 49" not in parts.script


def test_safe_elements_render_the_same_bytes_as_folium():
    def build(marker, circle, cluster):  # type: ignore[no-untyped-def]
        m = folium.Map(location=[52.96, 6.95], zoom_start=12, tiles=None)
        group = cluster().add_to(m)
        for n in range(3):
            marker([52.96 + n / 100, 6.95], alt=f"Plek {n}", title=f"Plek {n}").add_to(group)
        circle([52.96, 6.95], radius=9, fill=True).add_to(m)
        maps._stable_names(m)
        return m.get_root().render()

    plain = build(folium.Marker, folium.CircleMarker, MarkerCluster)
    safe = build(elements.Marker, elements.CircleMarker, elements.Cluster)
    assert safe == plain


def test_a_map_with_an_unsafe_folium_element_is_refused():
    m = new_map()
    folium.Marker([52.96, 6.95], title="Plek").add_to(m)
    with pytest.raises(TypeError, match="kaart.elements"):
        maps.render_parts(m)
