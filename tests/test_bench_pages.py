"""The page benchmark's baselines, without a browser: the floor's GeoJSON, the naive folium
page, the CDN stand-in and the ratios (bench/page_baselines.py), and how bench/bench_pages.py
asks for them."""

from __future__ import annotations

import ast
import doctest
import gzip
import inspect
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import folium
import pytest
from folium.plugins import MarkerCluster

from kaart.embed import LIST_LIMIT
from kaart.search import find_help

ROOT = Path(__file__).resolve().parents[1]
POINTS = [  # three places, one with markup in its name and one without hours
    {"name": "Voedselbank <Zuid>", "address": "Markt 1, Stadskanaal", "hours": "di 10-12",
     "lat": 52.9894712, "lon": 6.9504049},
    {"name": "Buurtkamer", "address": "Dorpsstraat 2, Gieten", "hours": "",
     "lat": 53.005, "lon": 6.76},
    {"name": "Taalhuis", "address": "Kerkstraat 3, Veendam", "hours": "ma-vr 9-17",
     "lat": 53.10667, "lon": 6.87},
]  # fmt: skip
BASE = "http://127.0.0.1:8001"


@pytest.fixture(scope="module")
def bench(bench_module):
    return bench_module("bench_pages")


@pytest.fixture(scope="module")
def baselines(bench_module):
    return bench_module("page_baselines")


@pytest.fixture(scope="module")
def naive(baselines):
    return baselines.naive_folium_html(POINTS, center=(53.0, 6.9))


def gz(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


def page_of(*, html: int, assets: int, ready: list[float], first: list[float]) -> dict:
    """A page entry as bench_pages writes it, with only the fields the ratios read."""
    runs = {"map_ready": ready, "first_byte": first}
    return {
        "html_gzip_bytes": html,
        "assets_gzip_bytes": assets,
        "total_gzip_bytes": html + assets,
        **{k: {"median_ms": sorted(v)[len(v) // 2], "runs_ms": v} for k, v in runs.items()},
    }


@pytest.mark.parametrize(("module", "examples"), [("bench", 2), ("baselines", 8)])
def test_the_doctests_pass(request, module, examples):
    # pytest skips bench/ (pyproject's --ignore), so its examples are run here.
    result = doctest.testmod(request.getfixturevalue(module))
    assert result.failed == 0
    assert result.attempted >= examples


def imported_modules(name: str) -> set[str]:
    tree = ast.parse((ROOT / "bench" / f"{name}.py").read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    return {
        alias.name if isinstance(n, ast.Import) else n.module or ""
        for n in imports
        for alias in n.names
    }


def test_the_baselines_need_neither_the_page_benchmark_nor_the_browser_harness():
    # bench_pages imports page_baselines; the other way round would be a cycle.
    imported = imported_modules("page_baselines")
    assert not {m for m in imported if "bench" in m or m.startswith(("tests", "playwright"))}
    assert "bench.page_baselines" in imported_modules("bench_pages")


# --- the floor ---------------------------------------------------------------------------


def test_minimal_geojson_is_a_compact_feature_collection_of_named_points(baselines):
    body = baselines.minimal_geojson(POINTS)
    data = json.loads(body)
    assert data["type"] == "FeatureCollection"
    assert [f["geometry"]["type"] for f in data["features"]] == ["Point"] * 3
    assert [f["properties"] for f in data["features"]] == [{"name": p["name"]} for p in POINTS]
    assert b", " not in body and b": " not in body


def test_minimal_geojson_rounds_coordinates_to_five_decimals_lon_first(baselines):
    first = json.loads(baselines.minimal_geojson(POINTS[:1]))["features"][0]
    assert first["geometry"]["coordinates"] == [6.9504, 52.98947]


def test_the_floor_adds_up_leaflet_and_the_geojson_each_gzipped(baselines, tmp_path):
    (tmp_path / "leaflet.js").write_bytes(b"var L = {};\n" * 200)
    (tmp_path / "leaflet.css").write_bytes(b".leaflet-pane { z-index: 400; }\n" * 50)
    floor = baselines.floor_weight(POINTS, vendor=tmp_path)
    expected = (
        gz((tmp_path / "leaflet.js").read_bytes())
        + gz((tmp_path / "leaflet.css").read_bytes())
        + gz(baselines.minimal_geojson(POINTS))
    )
    assert floor["total_gzip_bytes"] == expected


# --- the naive folium page ---------------------------------------------------------------


def test_the_naive_page_clusters_one_marker_per_place(naive):
    assert naive.count("L.markerClusterGroup(") == 1
    assert naive.count("L.marker(") == len(POINTS)
    cluster = re.search(r"var (marker_cluster_\w+) = L\.markerClusterGroup", naive).group(1)
    assert naive.count(f").addTo({cluster});") == len(POINTS)


def test_the_naive_page_has_one_popup_per_place_with_name_address_and_hours(naive):
    assert naive.count(".bindPopup(") == len(POINTS)
    assert "<b>Voedselbank &lt;Zuid&gt;</b><br>Markt 1, Stadskanaal<br>di 10-12</div>" in naive
    assert "<b>Buurtkamer</b><br>Dorpsstraat 2, Gieten</div>" in naive  # no empty hours line


def test_every_popup_content_it_sets_is_defined(naive):
    # The seeded names must rename a Popup's content and its reference alike.
    defined = set(re.findall(r"var (html_[0-9a-f]{32}) = \$\(`<div id=\"\1\"", naive))
    used = set(re.findall(r"\.setContent\((html_[0-9a-f]{32})\)", naive))
    assert len(used) == len(POINTS)
    assert used == defined


def test_the_naive_page_is_the_same_every_time(baselines, naive):
    assert baselines.naive_folium_html(POINTS, center=(53.0, 6.9)) == naive


def test_the_naive_page_loads_folium_default_cdn_assets(baselines, naive):
    defaults = [
        url
        for _, url in folium.Map.default_js
        + folium.Map.default_css
        + MarkerCluster.default_js
        + MarkerCluster.default_css
    ]
    assert baselines.referenced_assets(naive) == defaults


def test_every_folium_default_asset_has_a_source_or_a_reason(baselines):
    # Fails when a folium upgrade changes its CDN URLs: CDN_SOURCES must follow.
    urls = [u for _, u in folium.Map.default_js + folium.Map.default_css]
    urls += [u for _, u in MarkerCluster.default_js + MarkerCluster.default_css]
    unknown = [
        u for u in urls if baselines.cdn_source(u) is None and u not in baselines.UNAVAILABLE
    ]
    assert unknown == []


def test_a_leaflet_image_comes_from_the_same_package_as_its_stylesheet(baselines):
    css = baselines.cdn_source("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")
    icon = baselines.cdn_source(
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/images/marker-icon.png"
    )
    assert css[:2] == icon[:2] == ("npm", "leaflet@1.9.3")
    assert icon[2] == "package/dist/images/marker-icon.png"


# --- the local CDN stand-in --------------------------------------------------------------


def test_rewriting_points_every_cdn_asset_at_the_local_server(baselines, naive):
    local = baselines.rewrite_cdn_urls(naive, BASE)
    assets = baselines.referenced_assets(local)
    assert assets and all(url.startswith(BASE + "/") for url in assets)
    assert [baselines.cdn_url(url, BASE) for url in assets] == baselines.referenced_assets(naive)


def test_rewriting_leaves_tiles_and_other_hosts_alone(baselines):
    page = '"https://tile.openstreetmap.org/{z}/{x}/{y}.png" href="https://example.org/a.css"'
    assert baselines.rewrite_cdn_urls(page, BASE) == page


class FakeStore:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def get(self, url: str) -> tuple[bytes | None, str]:
        body = self.files.get(url)
        return (body, "test") if body is not None else (None, "not in the test's files")


def test_the_local_server_serves_pages_and_cdn_files_and_records_what_it_lacks(baselines):
    store = FakeStore({"https://code.jquery.com/jquery.js": b"window.jQuery = 1;"})
    with baselines.StaticSite(store) as site:
        site.pages["/p.html"] = b"<!doctype html>"
        with urllib.request.urlopen(site.url + "/p.html", timeout=10) as answer:
            assert answer.read() == b"<!doctype html>"
        with urllib.request.urlopen(site.url + "/code.jquery.com/jquery.js", timeout=10) as answer:
            assert answer.read() == b"window.jQuery = 1;"
        with pytest.raises(urllib.error.HTTPError) as lacking:
            urllib.request.urlopen(site.url + "/cdn.jsdelivr.net/npm/x@1/x.js", timeout=10)
        assert lacking.value.code == 404
    assert site.missing == {"https://cdn.jsdelivr.net/npm/x@1/x.js": "not in the test's files"}


class AnyStore:
    """Every CDN file exists and is its own URL."""

    def get(self, url: str) -> tuple[bytes, str]:
        return url.encode(), "test"


def test_the_naive_baseline_is_timed_by_the_measure_it_is_given_with_the_cdns_blocked(
    baselines,
):
    asked = []
    icon = "/cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/images/marker-icon.png"

    def measure(base, path, *, outside, tried):
        # What the browser would do: load the page (served locally) and a marker image.
        with urllib.request.urlopen(base + path, timeout=10) as answer:
            page = answer.read().decode()
        asked.append((path, tuple(outside), page))
        return {"map_ready": {"median_ms": 5.0}}, [base + path, base + icon]

    with baselines.StaticSite(AnyStore()) as site:
        out = baselines.naive_baseline(measure, site, "results", POINTS, (53.0, 6.9), "t/{z}")
    [(path, outside, page)] = asked
    assert path == "/results.html"
    assert outside == baselines.CDN_HOSTS
    assert baselines.referenced_assets(page)[0].startswith(site.url + "/")  # rewritten
    same = baselines.naive_folium_html(POINTS, center=(53.0, 6.9), tiles="t/{z}", attr="tiles")
    referenced = baselines.referenced_assets(same)
    assert [f["url"] for f in out["files"]] == [*referenced, "https:/" + icon]
    assert out["map_ready"] == {"median_ms": 5.0}
    assert out["points"] == len(POINTS)
    assert out["outside_requests"] == []


# --- weights and ratios ------------------------------------------------------------------


def test_the_naive_weight_counts_each_asset_once_and_flags_a_missing_one(baselines):
    store = FakeStore({"https://a.example/x.js": b"x" * 1000, "https://a.example/y.css": b"y{}"})
    urls = ["https://a.example/x.js", "https://a.example/y.css", "https://a.example/x.js"]
    whole = baselines.naive_weight(b"<html></html>", urls, store)
    assert whole["assets"] == 2
    assert whole["total_gzip_bytes"] == gz(b"<html></html>") + gz(b"x" * 1000) + gz(b"y{}")
    assert whole["lower_bound"] is False
    partial = baselines.naive_weight(b"<html></html>", [*urls, "https://a.example/gone.css"], store)
    assert partial["total_gzip_bytes"] == whole["total_gzip_bytes"]
    assert partial["lower_bound"] is True
    assert [m["url"] for m in partial["missing"]] == ["https://a.example/gone.css"]


def test_the_ratios_are_ours_over_the_baselines(baselines):
    ours = page_of(html=1_000, assets=9_000, ready=[300, 500, 400], first=[100, 100, 100])
    naive = page_of(html=4_000, assets=36_000, ready=[600, 800, 700], first=[0, 0, 100])
    floor = {"total_gzip_bytes": 5_000}
    assert baselines.baseline_ratios(ours, naive, floor) == {
        "bytes_vs_folium": 0.25,  # 10,000 / 40,000 gzip bytes
        "bytes_vs_floor": 2.0,  # 10,000 / 5,000
        "map_ready_vs_folium": 0.571,  # median 400 / median 700 ms
        "map_ready_after_first_byte_vs_folium": 0.5,  # median(200, 400, 300) / of (600, 800, 600)
    }


def test_a_ratio_to_nothing_is_none(baselines):
    assert baselines.ratio(10, 0) is None
    assert baselines.ratio(None, 10) is None


# --- the same places as our pages --------------------------------------------------------


@pytest.mark.parametrize(("name", "limit"), [("results", None), ("embed_search", LIST_LIMIT)])
def test_the_points_come_from_the_question_the_page_asks(bench, baselines, name, limit):
    page_default = inspect.signature(find_help).parameters["limit"].default
    asked = parse_qs(urlsplit(baselines.BASELINES[name]).query)
    assert asked["q"] == ["9501"]
    assert int(asked.get("limit", [page_default])[0]) == (limit or page_default)
    assert bench.PAGES[name][0] == "/" + ("zoeken" if name == "results" else "embed") + "?q=9501"
