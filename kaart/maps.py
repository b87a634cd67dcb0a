"""Folium maps for the residents' pages, built from small functions that extend a map.

Everything a map needs at run time is served by us from ``/static/vendor`` (Leaflet and
Leaflet.markercluster) and ``/static/js/kaart-map.js``: folium's default CDN links
(jQuery, Bootstrap, Font Awesome, …) are replaced on every map and cluster, so the only
outside address a page loads from is the tile server. `render_parts` splits the rendered
map into the links, the map ``<div>`` and one script, for our own page template (which
puts the CSP nonce on the script); `with_nonce` does the same for a whole document.
Confidential places never get a marker. Maps are built from the elements of
`kaart.elements`, whose rendered output is never read again as a template (branca's is:
registry text in a marker would be run as Jinja, and compiling per marker is slow).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.template import Template
from markupsafe import Markup, escape
from xyzservices import TileProvider

from data.snapshot import PlaceRecord
from kaart import elements

VENDOR = "/static/vendor"
MAP_JS = [
    ("leaflet", f"{VENDOR}/leaflet/leaflet.js"),
    ("kaart_map", "/static/js/kaart-map.js"),  # sets L.Icon.Default.imagePath to our copy
]
MAP_CSS = [("leaflet_css", f"{VENDOR}/leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", f"{VENDOR}/leaflet.markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", f"{VENDOR}/leaflet.markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{VENDOR}/leaflet.markercluster/MarkerCluster.Default.css"),
]
CLUSTER_ABOVE = 12  # more locations than this: cluster the markers
APPROXIMATE_RADIUS_M = {"postcode": 1000, "place": 2000}  # drawn for points that are not an address
SEARCH_POINT_COLOUR = "#b3261e"


class HasPlace(Protocol):
    @property
    def place(self) -> PlaceRecord: ...


@dataclass(frozen=True)
class MapParts:
    """A rendered map, in the pieces a page template places itself."""

    css: tuple[str, ...]
    js: tuple[str, ...]
    html: Markup
    script: Markup


class _Bind(elements.RawMacro):
    """``marker.bindTooltip(html)`` / ``bindPopup(html)`` with the content as a JSON string.

    folium's own Tooltip and Popup paste text into a JavaScript template literal (and
    Popup needs jQuery); a JSON string is safe in the script. Leaflet shows the content
    as HTML, so callers pass escaped text.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.{{ this.method }}({{ this.content|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, method: str, content: str, **options: object) -> None:
        super().__init__()
        self._name = "Bind"
        self.method = method
        self.content = content
        self.options = options


def base_map(center: Sequence[float], zoom: int, *, tiles_url: str, attribution: str) -> folium.Map:
    """An empty map with our tiles and self-hosted Leaflet; no scroll-wheel zoom trap.

    >>> m = base_map((52.99, 6.95), 12, tiles_url="https://tile.example/{z}/{x}/{y}.png",
    ...              attribution="© OSM")
    >>> [url for _, url in m.default_js]
    ['/static/vendor/leaflet/leaflet.js', '/static/js/kaart-map.js']
    """
    m = elements.Map(
        location=list(center), zoom_start=zoom, tiles=None, control_scale=True,
        scroll_wheel_zoom=False, width="100%", height="100%",
    )  # fmt: skip
    m.default_js = list(MAP_JS)  # an instance copy: the class lists are shared
    m.default_css = list(MAP_CSS)
    # A TileProvider, not the URL string: folium would first look the string up among all
    # of xyzservices' named providers (about a sixth of a results page's time).
    tiles = TileProvider(
        name="kik", url=tiles_url, attribution=attribution, html_attribution=attribution
    )
    name = "".join(tiles_url.lower().strip().split())  # the name folium gives a URL layer
    elements.TileLayer(tiles=tiles, attr=attribution, max_zoom=19, name=name).add_to(m)
    return m


def _location_groups(hits: Iterable[HasPlace]) -> list[tuple[float, float, list[PlaceRecord]]]:
    """(lat, lon, places) per location, in the order of the hits; no confidential ones."""
    groups: dict[str, tuple[float, float, list[PlaceRecord]]] = {}
    for hit in hits:
        p = hit.place
        if p.confidential or p.lat is None or p.lon is None:
            continue
        groups.setdefault(p.location_id, (p.lat, p.lon, []))[2].append(p)
    return list(groups.values())


def _popup_html(places: list[PlaceRecord], href: Callable[[PlaceRecord], str]) -> str:
    links = Markup("<br>").join(
        Markup('<a href="{}">{}</a>').format(href(p), p.name) for p in places
    )
    where = places[0].address or places[0].place or ""
    return str(Markup("{}<br>{}").format(links, where) if where else links)


def add_places(
    m: folium.Map,
    hits: Iterable[HasPlace],
    *,
    href: Callable[[PlaceRecord], str] = lambda p: f"/plek/{p.slug}",
) -> folium.Map:
    """One keyboard-focusable marker per location, named for screen readers, with a popup.

    More than ``CLUSTER_ABOVE`` locations are clustered (self-hosted markercluster).
    """
    groups = _location_groups(hits)
    layer: folium.Map | elements.Cluster = m
    if len(groups) > CLUSTER_ABOVE:
        cluster = elements.Cluster(show_coverage_on_hover=False, max_cluster_radius=40)
        cluster.default_js = list(CLUSTER_JS)
        cluster.default_css = list(CLUSTER_CSS)
        cluster.add_to(m)
        layer = cluster
    for lat, lon, places in groups:
        name = " · ".join(dict.fromkeys(p.name for p in places))
        marker = elements.Marker([lat, lon], alt=name, title=name, keyboard=True)
        marker.add_child(_Bind("bindTooltip", str(escape(name))))
        marker.add_child(_Bind("bindPopup", _popup_html(places, href), maxWidth=260))
        marker.add_to(layer)
    return m


def add_search_point(m: folium.Map, lat: float, lon: float, label: str) -> folium.Map:
    """A red ring where the search starts, labelled (the label is the caller's, translated)."""
    point = elements.CircleMarker(
        [lat, lon], radius=9, color=SEARCH_POINT_COLOUR, weight=4, fill=True,
        fill_color="#ffffff", fill_opacity=0.9, interactive=False,
    )  # fmt: skip
    # A permanent label: a hover tooltip would make the ring an unnamed Tab stop (WCAG 4.1.2).
    point.add_child(_Bind("bindTooltip", str(escape(label)), permanent=True, direction="top"))
    point.add_to(m)
    return m


def fit_to(
    m: folium.Map, points: Iterable[tuple[float, float]], *, max_zoom: int = 15
) -> folium.Map:
    """Zoom so that all points are in view (nothing to do for fewer than two)."""
    pts = list(points)
    if len(pts) >= 2:
        lats, lons = [p[0] for p in pts], [p[1] for p in pts]
        bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
        elements.Bounds(bounds, max_zoom=max_zoom, padding=(20, 20)).add_to(m)
    return m


def results_map(
    lat: float,
    lon: float,
    hits: Sequence[HasPlace],
    *,
    label: str,
    tiles_url: str,
    attribution: str,
    href: Callable[[PlaceRecord], str],
) -> folium.Map:
    """The results map: the search point, the places, zoomed to show them all."""
    m = base_map((lat, lon), 12, tiles_url=tiles_url, attribution=attribution)
    add_places(m, hits, href=href)
    add_search_point(m, lat, lon, label)
    shown = [(a, b) for a, b, _ in _location_groups(hits)]
    return fit_to(m, [(lat, lon), *shown])


def place_map(place: PlaceRecord, *, tiles_url: str, attribution: str) -> folium.Map:
    """A small map of one place: a marker at an exact address, else a circle for the area.

    A point that stands for a postcode area or a village is shown as that area, so the
    map does not pretend to know the door.

    Raises
    ------
    ValueError
        For a confidential place or one without coordinates.
    """
    if place.confidential or place.lat is None or place.lon is None:
        raise ValueError(f"plek '{place.slug}' heeft geen openbare kaartlocatie")
    radius = APPROXIMATE_RADIUS_M.get(place.precision or "place", 0)
    zoom = {1000: 13, 2000: 12}.get(radius, 15)  # the whole area in a 16 rem high map
    m = base_map((place.lat, place.lon), zoom, tiles_url=tiles_url, attribution=attribution)
    if radius:
        shape: elements.Circle | elements.Marker = elements.Circle(
            [place.lat, place.lon],
            radius=radius,
            color="#0b5e7e",
            weight=3,
            fill=True,
            fill_opacity=0.15,
            interactive=False,
        )
    else:
        shape = elements.Marker(
            [place.lat, place.lon], alt=place.name, title=place.name, keyboard=True
        )
    if radius:  # the area is labelled permanently; it is no control (no unnamed Tab stop)
        shape.add_child(_Bind("bindTooltip", str(escape(place.name)), permanent=True))
    else:
        shape.add_child(_Bind("bindTooltip", str(escape(place.name))))
    shape.add_to(m)
    return m


# --- rendering ---------------------------------------------------------------------


def _stable_names(element: Element, counter: list[int] | None = None) -> None:
    """Number the elements in tree order, so the same map renders to the same bytes."""
    counter = counter if counter is not None else [0]
    element._id = str(counter[0])
    counter[0] += 1
    for child in element._children.values():
        _stable_names(child, counter)


def render_parts(m: folium.Map) -> MapParts:
    """Render a map into stylesheet and script URLs, its ``<div>`` and its script.

    folium's page header (a viewport that blocks zooming, full-page styles) is not used:
    the page has its own; only the links are kept.
    """
    elements.check_tree(m)
    _stable_names(m)
    figure = m.get_root()
    assert isinstance(figure, Figure)  # folium.Map always sits in a Figure
    figure.render()
    header = list(figure.header._children.values())
    css = tuple(e.url for e in header if isinstance(e, CssLink))
    js = tuple(e.url for e in header if isinstance(e, JavascriptLink))
    html = figure.html.render().strip()
    script = "\n".join(line.strip() for line in figure.script.render().splitlines() if line.strip())
    return MapParts(css, js, Markup(html), Markup(script))


_SCRIPT_TAG = re.compile(r"<script(?![^>]*\bnonce=)", re.I)


def with_nonce(html: str, nonce: str) -> str:
    """Put a CSP nonce on every ``<script>`` tag of a rendered document.

    >>> with_nonce('<script src="/a.js"></script><script>x()</script>', "abc")
    '<script nonce="abc" src="/a.js"></script><script nonce="abc">x()</script>'
    """
    return _SCRIPT_TAG.sub(f'<script nonce="{escape(nonce)}"', html)
