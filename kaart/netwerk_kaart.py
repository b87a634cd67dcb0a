"""The collaboration network on the map: partner offices, their ties, presence per gemeente.

It draws the graph that ``netwerk`` builds (the caller, ``api``, passes it in: ``kaart``
does not import ``netwerk``) on a folium map made with ``kaart.maps.base_map`` (self-hosted
Leaflet, no CDN), from small functions that each extend the map:

- ``add_presence``: a choropleth of how many alliance partners have an office in each
  gemeente, with the share of low-income households as a measure of need;
- ``add_ties``: a line between two offices for every tie, wider for stronger ties;
- ``add_offices``: a circle per office, coloured by sector, linking to the
  organisation's page.

Texts are passed in by the caller (from the message catalogue), so this module knows no
language. Only organisations whose office location is known can be drawn; the page
lists them in a table as well.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import folium
import networkx as nx
import shapely
from markupsafe import Markup, escape
from shapely.geometry import mapping

from data.reference import Gemeente, load_gemeenten
from data.vocab import SECTOR_COLOURS
from kaart import elements
from kaart.maps import MapParts, _Bind, base_map, render_parts

CENTRE = (52.95, 6.75)  # between Groningen and Drenthe
#: Fill colours of the presence choropleth: 0, 1, 2 and 3 or more partners with an office.
PRESENCE_COLOURS: tuple[str, ...] = ("#f2f2f2", "#c6dbef", "#6baed6", "#2171b5")
NEED_FIELD = "pct_hh_laag_inkomen_kwb2021"
TIE_COLOUR = "#37474f"
SIMPLIFY_DEGREES = 0.002  # about 150 m: plenty for a map of two provinces


@dataclass(frozen=True)
class Office:
    """Where one or more organisations of the network have their office."""

    lat: float
    lon: float
    members: tuple[str, ...]  # organisation ids, by name


@cache
def gemeente_shapes() -> tuple[Gemeente, ...]:
    """The 22 gemeenten of Groningen and Drenthe with simplified boundaries (read once)."""
    return tuple(replace(g, geometry=_simplify(g.geometry)) for g in load_gemeenten())


def _simplify(geometry: Any) -> Any:
    simple = shapely.simplify(geometry, SIMPLIFY_DEGREES, preserve_topology=True)
    return shapely.set_precision(simple, 1e-5)


def offices(G: nx.Graph) -> list[Office]:
    """The office locations of the organisations in ``G``, members grouped per point.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", name="A", lat=53.2, lon=6.5)
    >>> G.add_node("b", name="B", lat=53.2, lon=6.5)
    >>> G.add_node("c", name="C", lat=None, lon=None)
    >>> offices(G)
    [Office(lat=53.2, lon=6.5, members=('a', 'b'))]
    """
    groups: dict[tuple[float, float], list[str]] = {}
    for v, data in sorted(G.nodes(data=True), key=lambda item: str(item[1].get("name"))):
        if data.get("lat") is not None and data.get("lon") is not None:
            groups.setdefault((data["lat"], data["lon"]), []).append(v)
    return [Office(lat, lon, tuple(members)) for (lat, lon), members in groups.items()]


def presence(G: nx.Graph) -> Counter[str]:
    """How many alliance partners in ``G`` have their office in each gemeente (by code).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", partner=True, gemeente_code="GM0014")
    >>> G.add_node("b", partner=False, gemeente_code="GM0014")
    >>> presence(G)
    Counter({'GM0014': 1})
    """
    return Counter(
        d["gemeente_code"]
        for _v, d in G.nodes(data=True)
        if d.get("partner") and d.get("gemeente_code")
    )


def presence_colour(count: int) -> str:
    """The choropleth colour for ``count`` partners.

    Examples
    --------
    >>> presence_colour(0), presence_colour(5)
    ('#f2f2f2', '#2171b5')
    """
    return PRESENCE_COLOURS[min(count, len(PRESENCE_COLOURS) - 1)]


def _need(gemeente: Gemeente) -> float | None:
    value = gemeente.stats.get(NEED_FIELD)
    return float(value) if isinstance(value, int | float) else None


def _number(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "nl" else text


def add_presence(
    m: folium.Map,
    gemeenten: Iterable[Gemeente],
    counts: Mapping[str, int],
    *,
    texts: Mapping[str, str],
    lang: str = "nl",
) -> folium.Map:
    """Colour each gemeente by its number of partner offices; the tooltip adds the need."""
    for g in gemeenten:
        count, need = counts.get(g.code, 0), _need(g)
        style = {"fillColor": presence_colour(count), "fillOpacity": 0.55, "color": "#555555",
                 "weight": 1}  # fmt: skip
        tip = texts["presence"].format(name=g.name, n=count)
        if need is not None:
            tip += " · " + texts["need"].format(pct=_number(need, lang))
        feature = {"type": "Feature", "id": g.code, "properties": {"code": g.code},
                   "geometry": mapping(g.geometry)}  # fmt: skip
        layer = elements.GeoJson(feature, style_function=lambda _f, s=style: s, name=g.name)
        layer.add_child(_Bind("bindTooltip", str(escape(tip)), sticky=True))
        layer.add_to(m)
    return m


def tie_width(weight: float) -> float:
    """Line width in pixels for a tie of ``weight``: 2 for one shared activity, at most 9.

    Examples
    --------
    >>> tie_width(1), tie_width(4), tie_width(1000)
    (2.0, 4.0, 9.0)
    """
    return round(min(9.0, 2.0 * math.sqrt(max(weight, 0.0)) if weight >= 1 else 2.0), 1)


def add_ties(m: folium.Map, G: nx.Graph, *, texts: Mapping[str, str]) -> folium.Map:
    """A line between the offices of every two organisations that work together."""
    for u, v, data in G.edges(data=True):
        a, b = G.nodes[u], G.nodes[v]
        ends = [(a.get("lat"), a.get("lon")), (b.get("lat"), b.get("lon"))]
        if None in ends[0] or None in ends[1] or ends[0] == ends[1]:
            continue
        weight = float(data.get("weight", 1.0))
        line = elements.PolyLine(ends, color=TIE_COLOUR, weight=tie_width(weight), opacity=0.6)
        tip = texts["tie"].format(a=a.get("name"), b=b.get("name"), n=data.get("count") or 1)
        line.add_child(_Bind("bindTooltip", str(escape(tip)), sticky=True))
        line.add_to(m)
    return m


def _office_popup(G: nx.Graph, office: Office, href: Callable[[str], str]) -> str:
    links = Markup("<br>").join(
        Markup('<a href="{}">{}</a>').format(
            href(str(G.nodes[v].get("slug"))), G.nodes[v].get("name")
        )
        for v in office.members
    )
    return str(links)


def add_offices(m: folium.Map, G: nx.Graph, *, href: Callable[[str], str]) -> folium.Map:
    """A circle per office, coloured by sector, bigger with more ties; a popup links the pages."""
    for office in offices(G):
        first = G.nodes[office.members[0]]
        degree = sum(G.degree(v) for v in office.members)
        names = " · ".join(str(G.nodes[v].get("name")) for v in office.members)
        colour = SECTOR_COLOURS.get(str(first.get("sector")), SECTOR_COLOURS["other"])
        circle = elements.CircleMarker(
            [office.lat, office.lon], radius=6 + 2 * math.sqrt(degree), color="#1a1a1a",
            weight=1.5, fill=True, fill_color=colour, fill_opacity=0.9,
        )  # fmt: skip
        circle.add_child(_Bind("bindTooltip", str(escape(names))))
        circle.add_child(_Bind("bindPopup", _office_popup(G, office, href), maxWidth=260))
        circle.add_to(m)
    return m


def network_map(
    G: nx.Graph,
    gemeenten: Iterable[Gemeente],
    *,
    tiles_url: str,
    attribution: str,
    texts: Mapping[str, str],
    href: Callable[[str], str],
    lang: str = "nl",
) -> folium.Map:
    """The whole network map: presence per gemeente, ties, offices; zoomed to the region."""
    shapes = list(gemeenten)
    m = base_map(CENTRE, 8, tiles_url=tiles_url, attribution=attribution)
    add_presence(m, shapes, presence(G), texts=texts, lang=lang)
    add_ties(m, G, texts=texts)
    add_offices(m, G, href=href)
    if shapes:
        x0, y0, x1, y1 = shapely.union_all([g.geometry for g in shapes]).bounds
        elements.Bounds([[y0, x0], [y1, x1]]).add_to(m)
    return m


def legend(G: nx.Graph) -> dict[str, Any]:
    """What the page shows next to the map: sectors on the map, presence classes, and the
    organisations with and without a known office.

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> G.add_node("a", name="A", sector="library", lat=53.2, lon=6.5)
    >>> G.add_node("b", name="B", sector="welfare", lat=None, lon=None)
    >>> info = legend(G)
    >>> info["sectors"], [r["name"] for r in info["located"]], info["not_located"]
    ([('library', '#e377c2')], ['A'], 1)
    """
    located = [v for office in offices(G) for v in office.members]
    on_map = set(located)
    sectors = sorted({str(G.nodes[v].get("sector")) for v in located})
    rows = [
        {"id": v, **{k: G.nodes[v].get(k) for k in ("name", "slug", "sector", "gemeente", "partner")},
         "degree": G.degree(v)}
        for v in located
    ]  # fmt: skip
    return {
        "sectors": [(s, SECTOR_COLOURS.get(s, SECTOR_COLOURS["other"])) for s in sectors],
        "presence": list(enumerate(PRESENCE_COLOURS)),
        "located": sorted(rows, key=lambda r: str(r["name"]).casefold()),
        "not_located": sum(
            1 for v in G if v not in on_map and (G.degree(v) or G.nodes[v].get("partner"))
        ),
    }


def network_map_view(
    G: nx.Graph,
    *,
    tiles_url: str,
    attribution: str,
    texts: Mapping[str, str],
    href: Callable[[str], str],
    lang: str = "nl",
) -> tuple[MapParts, dict[str, Any]]:
    """The rendered network map of ``G`` (a graph from ``netwerk``) and its legend."""
    m = network_map(G, gemeente_shapes(), tiles_url=tiles_url, attribution=attribution,
                    texts=texts, href=href, lang=lang)  # fmt: skip
    return render_parts(m), legend(G)
