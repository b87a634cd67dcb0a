"""Suggested new ties: organisations that do not work together yet but share partners.

The base score is Adamic–Adar (``sum 1 / log(degree)`` over shared partners) or
resource allocation (``sum 1 / degree``): a shared partner with few contacts says more
than a hub that knows everyone. The score is then boosted::

    score = base * (1 + cross_sector_boost * [different sectors]
                      + proximity_boost * max(0, 1 - km / near_km))

so pairs that would cross a sector border, or whose offices are close, rise.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import networkx as nx

from netwerk.errors import InvalidOption
from netwerk.lookup import describe, require_organisation
from netwerk.messages import join_names, sector_label, text

METHODS: tuple[str, ...] = ("adamic_adar", "resource_allocation")
EARTH_RADIUS_KM = 6371.0088


def _radians(lat: float, lon: float) -> tuple[float, float, float]:
    """A point prepared for ``_haversine``: latitude and longitude in radians, cos(latitude)."""
    phi = math.radians(lat)
    return phi, math.radians(lon), math.cos(phi)


def _haversine(p: tuple[float, float, float], q: tuple[float, float, float]) -> float:
    h = math.sin((q[0] - p[0]) / 2) ** 2 + p[2] * q[2] * math.sin((q[1] - p[1]) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points in degrees.

    Examples
    --------
    >>> round(haversine_km(53.2194, 6.5665, 52.9928, 6.5642))  # Groningen to Assen
    25
    """
    return _haversine(_radians(lat1, lon1), _radians(lat2, lon2))


def _check(
    G: nx.Graph,
    organisation: Any,
    method: str,
    limit: int,
    boosts: tuple[float, float],
    near_km: float,
) -> None:
    if organisation is not None:
        require_organisation(G, organisation)
    if method not in METHODS:
        raise InvalidOption(f"Methode '{method}' bestaat niet. Kies uit: {', '.join(METHODS)}.")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidOption(f"limit moet een positief heel getal zijn, niet {limit!r}.")
    if any(not b >= 0 for b in boosts) or not near_km > 0:
        raise InvalidOption("De extra punten moeten 0 of meer zijn en near_km groter dan 0.")


def _shared_partners(G: nx.Graph, organisation: Any) -> dict[tuple[Any, Any], list[Any]]:
    """Unconnected pairs with their shared partners (only pairs with ``organisation``)."""
    neighbours = {v: set(nbrs) - {v} for v, nbrs in G.adjacency()}
    order = {v: i for i, v in enumerate(sorted(G, key=str))}
    shared: dict[tuple[Any, Any], list[Any]] = defaultdict(list)
    for z in neighbours[organisation] if organisation is not None else G:
        partners = sorted(neighbours[z], key=order.__getitem__)
        for i, a in enumerate(partners):
            for c in partners[i + 1 :]:
                if c in neighbours[a] or (organisation is not None and organisation not in (a, c)):
                    continue
                shared[(a, c)].append(z)
    return shared


def _places(G: nx.Graph) -> dict[Any, tuple[float, float, float]]:
    """Prepared office coordinates of the organisations whose location is known."""
    return {
        v: _radians(d["lat"], d["lon"])
        for v, d in G.nodes(data=True)
        if d.get("lat") is not None and d.get("lon") is not None
    }


def _distance(places: dict[Any, tuple[float, float, float]], a: Any, b: Any) -> float | None:
    if a not in places or b not in places:
        return None
    return _haversine(places[a], places[b])


def _km(km: float, lang: str) -> str:
    value = f"{km:.0f}" if km >= 1 else f"{km:.1f}"
    return value.replace(".", ",") if lang == "nl" else value


def _reason(G: nx.Graph, a: Any, b: Any, middles: list[Any], km: float | None, lang: str) -> str:
    strength = {z: G[a][z].get("weight", 1.0) + G[b][z].get("weight", 1.0) for z in middles}
    ordered = sorted(middles, key=lambda z: (-strength[z], str(G.nodes[z].get("name", z))))
    names = [str(G.nodes[z].get("name", z)) for z in ordered]
    parts = [text("shared", lang, names=join_names(names, lang=lang))]
    sa, sb = G.nodes[a].get("sector"), G.nodes[b].get("sector")
    if sa != sb:
        parts.append(
            text("sectors", lang, a=sector_label(str(sa), lang), b=sector_label(str(sb), lang))
        )
    if km is not None:
        parts.append(text("distance", lang, km=_km(km, lang)))
    return "; ".join(parts)


def _boost(
    base: float, different: bool, km: float | None, boosts: tuple[float, float], near_km: float
) -> float:
    near = max(0.0, 1.0 - km / near_km) if km is not None else 0.0
    return base * (1 + boosts[0] * different + boosts[1] * near)


def _ranked(
    G: nx.Graph,
    shared: dict[tuple[Any, Any], list[Any]],
    method: str,
    boosts: tuple[float, float],
    near_km: float,
) -> Iterator[tuple[float, str, tuple[Any, Any]]]:
    """``(-score, tiebreak, pair)`` for every candidate: cheap, so all pairs can be ranked."""
    per = {
        z: (1.0 / math.log(d) if method == "adamic_adar" else 1.0 / d)
        for z, d in G.degree()
        if d > 1
    }
    sector, places = dict(G.nodes(data="sector")), _places(G)
    for (a, b), middles in shared.items():
        base = sum(per[z] for z in middles)
        score = _boost(base, sector[a] != sector[b], _distance(places, a, b), boosts, near_km)
        yield -score, f"{a}\x00{b}", (a, b)


def _scored(
    G: nx.Graph,
    pair: tuple[Any, Any],
    middles: list[Any],
    method: str,
    boosts: tuple[float, float],
    near_km: float,
) -> dict[str, Any]:
    a, b = pair
    km = _distance(_places(G.subgraph(pair)), a, b)
    different = G.nodes[a].get("sector") != G.nodes[b].get("sector")
    aa = sum(1.0 / math.log(G.degree(z)) for z in middles)
    ra = sum(1.0 / G.degree(z) for z in middles)
    base = aa if method == "adamic_adar" else ra
    return {
        "score": _boost(base, different, km, boosts, near_km),
        "adamic_adar": aa,
        "resource_allocation": ra,
        "shared": middles,
        "different_sectors": different,
        "distance_km": km,
    }


def suggest_ties(
    G: nx.Graph,
    *,
    organisation: Any = None,
    limit: int = 20,
    method: str = "adamic_adar",
    cross_sector_boost: float = 0.5,
    proximity_boost: float = 0.5,
    near_km: float = 25.0,
) -> list[dict[str, Any]]:
    """Unconnected pairs ranked by shared partners, boosted across sectors and nearby.

    Parameters
    ----------
    G : networkx.Graph
    organisation : optional
        Only suggestions for this organisation (``a`` is then always this one).
    limit : int
        How many suggestions, best first.
    method : {"adamic_adar", "resource_allocation"}
        The base score; both values are returned anyway.
    cross_sector_boost, proximity_boost, near_km : float
        Extra weight for pairs in different sectors and for offices within ``near_km``.

    Returns
    -------
    list of dict
        ``a``, ``b`` (id, name, sector), ``score``, ``adamic_adar``,
        ``resource_allocation``, ``shared`` (ids), ``different_sectors``,
        ``distance_km`` and ``reason`` (``{"nl": ..., "en": ...}``).

    Examples
    --------
    >>> G = nx.Graph([("a", "m"), ("m", "b"), ("a", "n"), ("n", "b"), ("n", "c")])
    >>> nx.set_node_attributes(G, dict(a="A", b="B", c="C", m="M", n="N"), "name")
    >>> [(s["b"]["id"], s["reason"]["nl"]) for s in suggest_ties(G, organisation="a")]
    [('b', 'werken allebei samen met M en N'), ('c', 'werken allebei samen met N')]
    """
    boosts = (cross_sector_boost, proximity_boost)
    _check(G, organisation, method, limit, boosts, near_km)
    shared = _shared_partners(G, organisation)
    result = []
    for _score, _tiebreak, pair in heapq.nsmallest(
        limit, _ranked(G, shared, method, boosts, near_km)
    ):
        s = _scored(G, pair, shared[pair], method, boosts, near_km)
        a, b = pair[::-1] if organisation is not None and pair[1] == organisation else pair
        s["reason"] = {
            lang: _reason(G, a, b, s["shared"], s["distance_km"], lang) for lang in ("nl", "en")
        }
        result.append({"a": describe(G, a), "b": describe(G, b), **s})
    return result
