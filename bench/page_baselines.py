"""The two baselines bench/bench_pages.py holds our results page and embed against.

Both are built on the same points as our page (from ``GET /api/v1/nearby`` with the page's
own question, :data:`BASELINES`):

- **naive folium**: what a typical developer writes: ``folium.Map`` + ``MarkerCluster`` +
  one ``folium.Marker`` with a ``folium.Popup`` (name, address, hours) per place, saved
  with folium's default CDN assets. Its weight is the gzipped HTML plus every asset the
  HTML references and every file the browser then fetches (marker images); its map-ready
  time is measured like ours, the page and its assets served from a local HTTP server
  (:class:`StaticSite`, the CDN URLs rewritten to it). There is no internet here: the
  assets come from the npm packages of the exact versions in folium's URLs (``npm pack``),
  folium's awesome-rotate CSS (in no npm package) from the ``folium-offline`` wheel on
  PyPI (:class:`AssetStore`); they are cached in ``~/.cache/kik-bench``. An asset that
  cannot be had (Bootstrap 3's glyphicons CSS) is listed under ``missing``, and the
  weight is then a lower bound.
- **floor**: gzip(Leaflet JS) + gzip(Leaflet CSS), as vendored in api/static/vendor, +
  gzip(the points as minimal GeoJSON: name only, coordinates to 5 decimals). No map page
  can weigh less.

:func:`baselines` builds both and the ratios ours / naive and ours / floor (total gzip
bytes) and ours / naive (map ready). It needs no browser of its own: the caller passes a
:class:`Measure` that times a page the way our pages are timed. The module itself needs
only the standard library and folium (bench_pages imports :func:`fetch` and :func:`gz`
from here, so the two modules do not import each other).
"""

from __future__ import annotations

import ast
import gzip
import html
import http.server
import json
import mimetypes
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import threading
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import folium
from folium.plugins import MarkerCluster

ROOT = Path(__file__).resolve().parents[1]
BASELINES = {  # our page: the API question whose places that page shows on its map
    "results": "/api/v1/nearby?q=9501",  # the results page uses find_help's default limit, 20
    "embed_search": "/api/v1/nearby?q=9501&limit=10",  # the embed lists kaart.embed.LIST_LIMIT
}
VENDORED_LEAFLET = ROOT / "api" / "static" / "vendor" / "leaflet"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kik-bench"
FOLIUM_OFFLINE = "folium-offline==0.20.0.2"  # folium 0.20's CDN files as Python strings
CDN_HOSTS = (
    "cdn.jsdelivr.net",
    "cdnjs.cloudflare.com",
    "code.jquery.com",
    "netdna.bootstrapcdn.com",
)
CDN_SOURCES = {  # a CDN file or folder (ends in /): (registry, package, path in the package)
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/": ("npm", "leaflet@1.9.3", "package/"),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/": ("npm", "bootstrap@5.2.2", "package/"),
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/": (
        "npm", "@fortawesome/fontawesome-free@6.2.0", "package/",
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("npm", "jquery@3.7.1", "package/dist/jquery.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/": (
        "npm", "leaflet.markercluster@1.1.0", "package/dist/",
    ),
    # cdnjs's Leaflet.awesome-markers 2.0.2 is the release's dist/ folder; drmonty's npm
    # package holds the same release with the script in js/ and the styles in css/.
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": (
        "npm", "drmonty-leaflet-awesome-markers@2.0.2", "package/js/leaflet.awesome-markers.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/": (
        "npm", "drmonty-leaflet-awesome-markers@2.0.2", "package/css/",
    ),
    # jsDelivr's minified copy of a file in folium's GitHub repository: in no npm package.
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": (
        "pypi", FOLIUM_OFFLINE, "",
    ),
}  # fmt: skip
UNAVAILABLE = {  # so counted as missing, with the reason
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": "Bootstrap "
    "3.0.0's glyphicons-only CSS is in no npm package, and folium-offline's copy has the fonts "
    "inlined as data: URLs (not the CDN's bytes)",
}
_ASSET_TAG = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", re.I)
_CDN_URL = re.compile(r"https://(" + "|".join(map(re.escape, CDN_HOSTS)) + r")/")


class Measure(Protocol):
    """Times the page at ``base + path`` as bench_pages times ours (a fresh browser context
    per run, after one warm-up), requests to the ``outside`` hosts aborted and recorded in
    ``tried``; answers the runs' summaries and the URLs the last run loaded."""

    def __call__(
        self, base: str, path: str, *, outside: Sequence[str], tried: list[str]
    ) -> tuple[dict[str, Any], list[str]]: ...


def fetch(url: str) -> bytes | None:
    """The body at ``url``; None for an HTTP error status."""
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.read()
    except urllib.error.HTTPError:
        return None


def gz(body: bytes) -> int:
    """The size of ``body`` gzipped as a compressing proxy would (``gzip -6``)."""
    return len(gzip.compress(body, compresslevel=6))


def points_from_answer(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The places of a ``/api/v1/nearby`` answer that have a point, as the baselines use them.

    >>> points_from_answer({"places": [
    ...     {"name": "Buurtkamer", "address": "Dorpsstraat 1", "place": "Gieten", "lat": 53.0,
    ...      "lon": 6.76, "opening_hours_text": "ma 9-12", "opening_hours": "Mo 09:00-12:00"},
    ...     {"name": "Hulplijn", "address": None, "place": None, "lat": None, "lon": None,
    ...      "opening_hours_text": None, "opening_hours": None}]})
    [{'name': 'Buurtkamer', 'address': 'Dorpsstraat 1, Gieten', 'hours': 'ma 9-12', 'lat': 53.0, 'lon': 6.76}]
    """
    return [
        {
            "name": p["name"],
            "address": ", ".join(part for part in (p.get("address"), p.get("place")) if part),
            "hours": p.get("opening_hours_text") or p.get("opening_hours") or "",
            "lat": p["lat"],
            "lon": p["lon"],
        }
        for p in answer["places"]
        if p.get("lat") is not None and p.get("lon") is not None
    ]


def minimal_geojson(points: Iterable[dict[str, Any]]) -> bytes:
    """The points as the smallest useful GeoJSON: name only, 5 decimals (about 1 m).

    >>> minimal_geojson([{"name": "Café", "lat": 53.0012345, "lon": 6.9}]).decode()
    '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[6.9,53.00123]},"properties":{"name":"Café"}}]}'
    """
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(p["lon"], 5), round(p["lat"], 5)]},
            "properties": {"name": p["name"]},
        }
        for p in points
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _seeded_ids(element: Any, rng: random.Random, seen: set[int] | None = None) -> None:
    """folium names elements with uuid4 hex; the same kind of names from a seed, so the
    page (and its gzip size) is the same every run without compressing better than it would.
    A Popup keeps its content outside its children, in ``header``/``html``/``script``, and
    its template names that content by its key among the children: the keys are renamed too."""
    seen = set() if seen is None else seen
    if id(element) in seen:
        return
    seen.add(id(element))
    element._id = f"{rng.getrandbits(128):032x}"
    parts = [getattr(element, name, None) for name in ("header", "html", "script")]
    for child in [*element._children.values(), *(p for p in parts if hasattr(p, "_children"))]:
        _seeded_ids(child, rng, seen)
    children = element._children.values()
    element._children = type(element._children)((c.get_name(), c) for c in children)


def naive_folium_html(
    points: Sequence[dict[str, Any]],
    *,
    center: tuple[float, float],
    tiles: str = "OpenStreetMap",
    attr: str | None = None,
    seed: int = 0,
) -> str:
    """The page a typical developer saves with folium: a map, a MarkerCluster, and one
    Marker with a Popup (name, address, hours) per place; folium's default CDN assets."""
    m = folium.Map(location=list(center), zoom_start=12, tiles=tiles, attr=attr)
    cluster = MarkerCluster().add_to(m)
    for p in points:
        lines = [
            f"<b>{html.escape(p['name'])}</b>",
            html.escape(p["address"]),
            html.escape(p["hours"]),
        ]
        popup = folium.Popup("<br>".join(line for line in lines if line), max_width=300)
        folium.Marker([p["lat"], p["lon"]], popup=popup).add_to(cluster)
    if len(points) > 1:
        lats, lons = [p["lat"] for p in points], [p["lon"] for p in points]
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]])
    _seeded_ids(m.get_root(), random.Random(seed))
    return m.get_root().render()


def referenced_assets(page: str) -> list[str]:
    """The scripts and stylesheets a page links to, each once, in order.

    >>> referenced_assets('<script src="https://a.example/x.js"></script>'
    ...                   '<link rel="stylesheet" href="https://a.example/x.css"/>'
    ...                   '<script src="https://a.example/x.js"></script><script>var s;</script>')
    ['https://a.example/x.js', 'https://a.example/x.css']
    """
    return list(dict.fromkeys(_ASSET_TAG.findall(page)))


def rewrite_cdn_urls(page: str, base: str) -> str:
    """Point every CDN URL at ``{base}/{host}/…`` (the local stand-in); other URLs stay.

    >>> rewrite_cdn_urls('<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script> '
    ...                  '"http://tiles.invalid/{z}/{x}/{y}.png"', "http://127.0.0.1:8001")
    '<script src="http://127.0.0.1:8001/code.jquery.com/jquery-3.7.1.min.js"></script> "http://tiles.invalid/{z}/{x}/{y}.png"'
    """
    return _CDN_URL.sub(lambda match: f"{base}/{match.group(1)}/", page)


def cdn_url(local: str, base: str) -> str:
    """The CDN URL behind a local stand-in URL (the inverse of :func:`rewrite_cdn_urls`).

    >>> cdn_url("http://127.0.0.1:8001/code.jquery.com/jquery-3.7.1.min.js", "http://127.0.0.1:8001")
    'https://code.jquery.com/jquery-3.7.1.min.js'
    """
    return "https://" + local.removeprefix(base + "/").split("?")[0]


def cdn_source(url: str) -> tuple[str, str, str] | None:
    """(registry, package, file in it) for a CDN URL; None for a file in no known package.

    >>> cdn_source("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/images/marker-icon.png")
    ('npm', 'leaflet@1.9.3', 'package/dist/images/marker-icon.png')
    >>> cdn_source("https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css")
    """
    for prefix in sorted(CDN_SOURCES, key=len, reverse=True):
        if url == prefix or (prefix.endswith("/") and url.startswith(prefix)):
            registry, package, inside = CDN_SOURCES[prefix]
            return registry, package, (url if registry == "pypi" else inside + url[len(prefix) :])
    return None


def ratio(ours: float | None, baseline: float | None) -> float | None:
    """ours / baseline, to 3 decimals; None when either is unknown or the baseline is 0.

    >>> ratio(50, 200), ratio(3, 0), ratio(None, 2)
    (0.25, None, None)
    """
    return None if ours is None or not baseline else round(ours / baseline, 3)


def _after_first_byte(page: dict[str, Any]) -> float | None:
    """Median over runs of map ready minus first byte: the browser's share of the wait."""
    if "map_ready" not in page or "first_byte" not in page:
        return None
    runs = zip(page["map_ready"]["runs_ms"], page["first_byte"]["runs_ms"], strict=True)
    return round(statistics.median(ready - first for ready, first in runs), 1)


def baseline_ratios(
    ours: dict[str, Any], naive: dict[str, Any], floor: dict[str, Any]
) -> dict[str, float | None]:
    """Ours / naive folium and ours / floor in total gzip bytes (HTML + assets), and ours /
    naive in map-ready time (median, and median after the first byte)."""
    ours_bytes = ours["html_gzip_bytes"] + ours["assets_gzip_bytes"]
    ready = [p.get("map_ready", {}).get("median_ms") for p in (ours, naive)]
    return {
        "bytes_vs_folium": ratio(ours_bytes, naive["total_gzip_bytes"]),
        "bytes_vs_floor": ratio(ours_bytes, floor["total_gzip_bytes"]),
        "map_ready_vs_folium": ratio(*ready),
        "map_ready_after_first_byte_vs_folium": ratio(
            _after_first_byte(ours), _after_first_byte(naive)
        ),
    }


def floor_weight(
    points: Sequence[dict[str, Any]], vendor: Path = VENDORED_LEAFLET
) -> dict[str, int]:
    """gzip(Leaflet JS) + gzip(Leaflet CSS), as we vendor them, + gzip(minimal GeoJSON)."""
    js, css = (vendor / "leaflet.js").read_bytes(), (vendor / "leaflet.css").read_bytes()
    geojson = minimal_geojson(points)
    out = {
        "leaflet_js_gzip_bytes": gz(js), "leaflet_css_gzip_bytes": gz(css),
        "geojson_bytes": len(geojson), "geojson_gzip_bytes": gz(geojson),
    }  # fmt: skip
    return {**out, "total_gzip_bytes": sum(v for k, v in out.items() if k.endswith("gzip_bytes"))}


class AssetStore:
    """CDN files from their registry packages, fetched once with npm and pip into a cache.

    :meth:`get` answers the file's bytes and where they came from, or None and why not.
    """

    def __init__(self, cache: Path = CACHE) -> None:
        self.cache = cache
        self._readers: dict[tuple[str, str], Any] = {}  # a member -> bytes function, or why not
        self._got: dict[str, tuple[bytes | None, str]] = {}

    def get(self, url: str) -> tuple[bytes | None, str]:
        # Kept in memory: the local server must answer as fast as a CDN's cache would,
        # not unpack a tarball per request.
        if url not in self._got:
            self._got[url] = self._get(url)
        return self._got[url]

    def _get(self, url: str) -> tuple[bytes | None, str]:
        source = cdn_source(url)
        if source is None:
            return None, UNAVAILABLE.get(url, "in no npm or PyPI package this benchmark knows")
        registry, package, member = source
        reader = self._reader(registry, package)
        if isinstance(reader, str):
            return None, reader
        body = reader(member)
        if body is None:
            return None, f"not in {registry} package {package}"
        return body, f"{registry} {package}" + ("" if registry == "pypi" else f": {member}")

    def _reader(self, registry: str, package: str) -> Any:
        key = (registry, package)
        if key not in self._readers:
            fetch_package = self._npm if registry == "npm" else self._wheel
            try:
                self._readers[key] = fetch_package(package)
            except (OSError, subprocess.SubprocessError, ValueError, KeyError) as exc:
                self._readers[key] = f"{registry} package {package} not available: {exc}"
        return self._readers[key]

    def _npm(self, package: str) -> Any:
        """``npm pack`` (the registry's tarball, nothing installed); read files from it."""
        name, version = package.rsplit("@", 1)
        tarball = self.cache / "npm" / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
        if not tarball.exists():
            tarball.parent.mkdir(parents=True, exist_ok=True)
            npm = shutil.which("npm") or "npm"
            subprocess.run(
                [npm, "pack", package, "--pack-destination", str(tarball.parent), "--silent"],
                check=True, capture_output=True, timeout=300,
            )  # fmt: skip
        with tarfile.open(tarball) as archive:
            names = set(archive.getnames())

        def read(member: str) -> bytes | None:
            if member not in names:
                return None
            with tarfile.open(tarball) as archive:
                file = archive.extractfile(member)
                return file.read() if file else None

        return read

    def _wheel(self, package: str) -> Any:
        """folium-offline's wheel (``pip download``): its ``_res[url] = '''…'''`` strings."""
        folder = self.cache / "pypi"
        name, version = package.split("==")
        pattern = f"{name.replace('-', '_')}-{version}-*.whl"
        if not any(folder.glob(pattern)):
            subprocess.run(
                [sys.executable, "-m", "pip", "download", package, "--no-deps",
                 "--only-binary", ":all:", "-d", str(folder), "-q"],
                check=True, capture_output=True, timeout=300,
            )  # fmt: skip
        with zipfile.ZipFile(next(folder.glob(pattern))) as wheel:
            source = wheel.read("offlinefolium/elements.py").decode("utf-8")
        files: dict[str, bytes] = {}
        for node in ast.parse(source).body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(target := node.targets[0], ast.Subscript)
                and isinstance(url := getattr(target.slice, "value", None), str)
                and isinstance(text := getattr(node.value, "value", None), str)
            ):
                # The strings are the files between a newline after ''' and one before it.
                files[url] = text[1:-1].encode("utf-8")
        return files.get


class StaticSite:
    """The naive pages and their CDN files on 127.0.0.1: ``/{name}.html``, and
    ``/{host}/{path}`` for ``https://{host}/{path}``; what it lacks is in ``missing``."""

    def __init__(self, store: AssetStore) -> None:
        self.store = store
        self.pages: dict[str, bytes] = {}
        self.missing: dict[str, str] = {}
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as uvicorn serves our pages

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                path = urlsplit(self.path).path
                body = site.body(path)
                self.send_response(200 if body is not None else 404)
                kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True, name="cdn")

    def body(self, path: str) -> bytes | None:
        if path in self.pages:
            return self.pages[path]
        url = cdn_url(self.url + path, self.url)
        body, why = self.store.get(url)
        if body is None:
            self.missing[url] = why
        return body

    def __enter__(self) -> StaticSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)


def naive_weight(page: bytes, urls: Iterable[str], store: AssetStore) -> dict[str, Any]:
    """Raw and gzipped bytes of the page and of each asset (each once); missing ones listed."""
    files: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    for url in dict.fromkeys(urls):
        body, source = store.get(url)
        if body is None:  # in_a_package: a fetch failed, rather than no package holding it
            missing.append({"url": url, "why": source, "in_a_package": cdn_source(url) is not None})
        else:
            files.append({"url": url, "source": source, "bytes": len(body), "gzip_bytes": gz(body)})
    out = {
        "html_bytes": len(page), "html_gzip_bytes": gz(page), "assets": len(files),
        "assets_bytes": sum(f["bytes"] for f in files),
        "assets_gzip_bytes": sum(f["gzip_bytes"] for f in files),
    }  # fmt: skip
    return {
        **out,
        "total_gzip_bytes": out["html_gzip_bytes"] + out["assets_gzip_bytes"],
        "lower_bound": bool(missing),  # a missing asset is not counted: the page weighs more
        "files": files,
        "missing": missing,
    }


def naive_baseline(
    measure: Measure, site: StaticSite, name: str, points: Sequence[dict[str, Any]],
    center: tuple[float, float], tiles: str,
) -> dict[str, Any]:  # fmt: skip
    """The naive folium page of ``points``: map-ready times (served by ``site``) and weight."""
    page = naive_folium_html(points, center=center, tiles=tiles, attr="tiles")
    path = f"/{name}.html"
    site.pages[path] = rewrite_cdn_urls(page, site.url).encode("utf-8")
    tried: list[str] = []
    times, loaded = measure(site.url, path, outside=CDN_HOSTS, tried=tried)
    fetched = [cdn_url(u, site.url) for u in loaded if urlsplit(u).path != path]
    weight = naive_weight(page.encode("utf-8"), referenced_assets(page) + fetched, site.store)
    return {
        "points": len(points),
        **times,
        **weight,
        "outside_requests": sorted(set(tried)),  # none expected: every CDN URL is rewritten
    }


def baselines(measure: Measure, live: str, pages: dict[str, Any], *, tiles: str) -> dict[str, Any]:
    """For each page in :data:`BASELINES` that was measured: its points' naive folium page
    (timed with ``measure``, its tiles at ``tiles``) and floor, and the ratios of ours to them."""
    out: dict[str, Any] = {}
    with StaticSite(AssetStore()) as site:
        for name, question in BASELINES.items():
            if name not in pages:
                continue
            answer = json.loads(fetch(live + question) or b"{}")
            points = points_from_answer(answer)
            center = (answer["search_point"]["lat"], answer["search_point"]["lon"])
            naive = naive_baseline(measure, site, name, points, center, tiles)
            floor = floor_weight(points)
            ours = pages[name]
            out[name] = {
                "points_from": question,
                "points": len(points),
                "ours_total_gzip_bytes": ours["html_gzip_bytes"] + ours["assets_gzip_bytes"],
                "naive_folium": naive,
                "floor": floor,
                "ratios": baseline_ratios(ours, naive, floor),
            }
    return out
