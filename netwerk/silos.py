"""Silos: do sectors work with each other or mostly among themselves?

Krackhardt & Stern's E-I index is ``(E - I) / (E + I)`` with ``E`` the ties that cross
a sector border and ``I`` the ties inside a sector: -1 is a closed silo, +1 means only
ties to other sectors. It is given per organisation, per sector and for the network.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np


def _tie_value(data: dict[str, Any], weight: str | None) -> float:
    return 1.0 if weight is None else float(data.get(weight, 1.0))


def _ratio(external: float, internal: float) -> float | None:
    total = external + internal
    return (external - internal) / total if total else None


def mixing_matrix(
    G: nx.Graph, *, attribute: str = "sector", weight: str | None = None
) -> dict[str, dict[str, float]]:
    """Ties between every two sectors (symmetric; a tie inside a sector counts once).

    Examples
    --------
    >>> G = nx.Graph([("h1", "h2"), ("h1", "w1")])
    >>> nx.set_node_attributes(G, {"h1": "housing", "h2": "housing", "w1": "welfare"}, "sector")
    >>> mixing_matrix(G)
    {'housing': {'housing': 1.0, 'welfare': 1.0}, 'welfare': {'housing': 1.0, 'welfare': 0.0}}
    """
    groups = sorted({str(g) for _v, g in G.nodes(data=attribute)})
    matrix = {g: dict.fromkeys(groups, 0.0) for g in groups}
    for u, v, data in G.edges(data=True):
        a, b = str(G.nodes[u].get(attribute)), str(G.nodes[v].get(attribute))
        matrix[a][b] += _tie_value(data, weight)
        if a != b:
            matrix[b][a] += _tie_value(data, weight)
    return matrix


def ei_index_organisations(
    G: nx.Graph, *, attribute: str = "sector", weight: str | None = None
) -> dict[Any, float | None]:
    """E-I index of each organisation's own ties (``None`` without ties).

    Examples
    --------
    >>> G = nx.Graph([("h1", "h2"), ("h1", "w1"), ("h1", "w2")])
    >>> nx.set_node_attributes(G, {"h1": "housing", "h2": "housing", "w1": "welfare",
    ...                            "w2": "welfare"}, "sector")
    >>> ei_index_organisations(G)["h1"]  # E = 2 (w1, w2), I = 1 (h2): (2 - 1) / 3
    0.3333333333333333
    """
    result: dict[Any, float | None] = {}
    for v in G:
        external = internal = 0.0
        for u, data in G[v].items():
            same = G.nodes[u].get(attribute) == G.nodes[v].get(attribute)
            if same:
                internal += _tie_value(data, weight)
            else:
                external += _tie_value(data, weight)
        result[v] = _ratio(external, internal)
    return result


def _border_counts(
    G: nx.Graph,
    attribute: str,
    weight: str | None,
) -> tuple[dict[str, list[float]], list[float]]:
    groups: dict[str, list[float]] = {str(g): [0.0, 0.0] for _v, g in G.nodes(data=attribute)}
    whole = [0.0, 0.0]  # [external, internal]
    for u, v, data in G.edges(data=True):
        a, b = str(G.nodes[u].get(attribute)), str(G.nodes[v].get(attribute))
        value = _tie_value(data, weight)
        slot = 1 if a == b else 0
        whole[slot] += value
        groups[a][slot] += value
        if a != b:
            groups[b][slot] += value
    return groups, whole


def ei_index_sectors(
    G: nx.Graph, *, attribute: str = "sector", weight: str | None = None
) -> dict[str, float | None]:
    """E-I index per sector: E = ties leaving the sector, I = ties inside it (once each).

    Examples
    --------
    >>> G = nx.Graph([("h1", "h2"), ("h1", "w1")])
    >>> nx.set_node_attributes(G, {"h1": "housing", "h2": "housing", "w1": "welfare"}, "sector")
    >>> ei_index_sectors(G)  # housing: E = 1, I = 1; welfare: E = 1, I = 0
    {'housing': 0.0, 'welfare': 1.0}
    """
    groups, _whole = _border_counts(G, attribute, weight)
    return {g: _ratio(*groups[g]) for g in sorted(groups)}


def ei_index_network(
    G: nx.Graph, *, attribute: str = "sector", weight: str | None = None
) -> float | None:
    """E-I index of the whole network: cross-sector ties against within-sector ties.

    Examples
    --------
    >>> G = nx.Graph([("h1", "h2"), ("h1", "w1"), ("h2", "w1")])
    >>> nx.set_node_attributes(G, {"h1": "housing", "h2": "housing", "w1": "welfare"}, "sector")
    >>> ei_index_network(G)  # E = 2, I = 1: (2 - 1) / 3
    0.3333333333333333
    """
    _groups, whole = _border_counts(G, attribute, weight)
    return _ratio(*whole)


def sector_assortativity(G: nx.Graph, *, attribute: str = "sector") -> float | None:
    """Newman's attribute assortativity of sectors (``None`` when it is undefined).

    It is undefined without ties, or when every tie is inside one and the same sector.

    Examples
    --------
    >>> G = nx.Graph([("h1", "w1"), ("h2", "w2")])
    >>> nx.set_node_attributes(G, {"h1": "housing", "h2": "housing", "w1": "welfare",
    ...                            "w2": "welfare"}, "sector")
    >>> sector_assortativity(G)  # only cross-sector ties: perfectly disassortative
    -1.0
    """
    if G.number_of_edges() == 0:
        return None
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 when it is undefined
        value = float(nx.attribute_assortativity_coefficient(G, attribute))
    return None if math.isnan(value) else value
