"""Whole-network figures: size, density, parts, clustering, centralization, modularity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx

from netwerk.communities import DEFAULT_SEED, detect_communities, modularity


def degree_centralization(G: nx.Graph) -> float | None:
    """Freeman's degree centralization: ``sum(d_max - d_i) / ((n - 1) * (n - 2))``.

    1 for a star (everything runs through one organisation), 0 when all have the same
    number of partners; ``None`` below three organisations (the ratio is undefined).

    Examples
    --------
    >>> degree_centralization(nx.star_graph(4)), degree_centralization(nx.cycle_graph(5))
    (1.0, 0.0)
    """
    n = G.number_of_nodes()
    if n < 3:
        return None
    degrees = [d for _v, d in G.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def component_sizes(G: nx.Graph) -> list[int]:
    """Sizes of the connected parts, largest first.

    Examples
    --------
    >>> component_sizes(nx.Graph([(1, 2), (2, 3), (4, 5)]))
    [3, 2]
    """
    return sorted((len(c) for c in nx.connected_components(G)), reverse=True)


def network_summary(
    G: nx.Graph, *, seed: int = DEFAULT_SEED, communities: Sequence[Sequence[Any]] | None = None
) -> dict[str, Any]:
    """The headline figures of the network, for the steering group.

    Parameters
    ----------
    G : networkx.Graph
    seed : int
        Seed for community detection (used when ``communities`` is not given).
    communities : list of lists, optional
        A division to score with modularity; by default the Louvain communities.

    Returns
    -------
    dict
        nodes, ties, density, components, largest_component, average_degree,
        average_clustering, transitivity, degree_centralization, modularity and
        communities (the number of groups of two or more).

    Examples
    --------
    >>> s = network_summary(nx.star_graph(3))
    >>> s["nodes"], s["ties"], s["density"], s["average_degree"], s["degree_centralization"]
    (4, 3, 0.5, 1.5, 1.0)
    """
    n, m = G.number_of_nodes(), G.number_of_edges()
    if communities is None:
        communities = detect_communities(G, seed=seed)
    sizes = component_sizes(G)
    return {
        "nodes": n,
        "ties": m,
        "density": float(nx.density(G)) if n > 1 else 0.0,
        "components": len(sizes),
        "largest_component": sizes[0] if sizes else 0,
        "average_degree": 2 * m / n if n else 0.0,
        "average_clustering": float(nx.average_clustering(G)) if n else 0.0,
        "transitivity": float(nx.transitivity(G)),
        "degree_centralization": degree_centralization(G),
        "modularity": modularity(G, communities),
        "communities": sum(1 for members in communities if len(members) > 1),
    }
