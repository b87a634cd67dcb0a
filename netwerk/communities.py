"""Groups that mostly work among themselves, and how they line up with sectors.

Communities come from Louvain (networkx ``louvain_communities``) with a fixed seed, so
the same graph always gives the same groups. They are numbered largest first.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Any

import networkx as nx

DEFAULT_SEED = 42


def detect_communities(
    G: nx.Graph, *, seed: int = DEFAULT_SEED, resolution: float = 1.0, weight: str | None = "weight"
) -> list[list[Any]]:
    """Louvain communities, each sorted, largest first (equal sizes: by first member).

    Examples
    --------
    >>> G = nx.union(nx.complete_graph(["a", "b", "c"]), nx.complete_graph(["x", "y"]))
    >>> detect_communities(G)
    [['a', 'b', 'c'], ['x', 'y']]
    """
    if G.number_of_nodes() == 0:
        return []
    parts = nx.community.louvain_communities(G, weight=weight, resolution=resolution, seed=seed)
    ordered = [sorted(part, key=str) for part in parts]
    return sorted(ordered, key=lambda members: (-len(members), str(members[0])))


def modularity(
    G: nx.Graph, communities: Sequence[Sequence[Any]], *, weight: str | None = "weight"
) -> float | None:
    """Newman's modularity of a division (``None`` for a graph without ties).

    Examples
    --------
    >>> G = nx.union(nx.complete_graph(3), nx.complete_graph(range(3, 6)))
    >>> modularity(G, [[0, 1, 2], [3, 4, 5]])  # two separate triangles: 2 * (3/6 - 1/4)
    0.5
    """
    if G.number_of_edges() == 0:
        return None
    return float(nx.community.modularity(G, communities, weight=weight))


def membership(communities: Sequence[Sequence[Any]]) -> dict[Any, int]:
    """Map each organisation to the index of its community.

    Examples
    --------
    >>> membership([["a", "b"], ["c"]])
    {'a': 0, 'b': 0, 'c': 1}
    """
    return {v: i for i, members in enumerate(communities) for v in members}


def _entropy(counts: Counter[Any], n: int) -> float:
    return -sum(c / n * math.log(c / n) for c in counts.values())


def normalized_mutual_information(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """NMI of two labelings of the same items: ``2 I(a; b) / (H(a) + H(b))``.

    0 means the labels say nothing about each other, 1 that they split the items the
    same way. Two labelings that put everything in one group count as identical (1).

    Examples
    --------
    >>> normalized_mutual_information(["x", "x", "y", "y"], [1, 1, 2, 2])
    1.0
    >>> normalized_mutual_information(["x", "y", "x", "y"], [1, 1, 2, 2])
    0.0
    """
    if len(a) != len(b):
        raise ValueError("Beide indelingen moeten even veel elementen hebben.")
    n = len(a)
    if n == 0:
        return 1.0
    pa, pb, pab = Counter(a), Counter(b), Counter(zip(a, b, strict=True))
    denominator = _entropy(pa, n) + _entropy(pb, n)
    if denominator == 0:
        return 1.0
    info = sum(c / n * math.log(c * n / (pa[x] * pb[y])) for (x, y), c in pab.items())
    return max(0.0, 2 * info / denominator)


def sector_community_table(
    G: nx.Graph, communities: Sequence[Sequence[Any]], *, attribute: str = "sector"
) -> dict[str, dict[int, int]]:
    """How many organisations of each sector sit in each community.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "housing", "b": "welfare", "c": "housing",
    ...                            "d": "housing"}, "sector")
    >>> sector_community_table(G, [["a", "b"], ["c", "d"]])
    {'housing': {0: 1, 1: 2}, 'welfare': {0: 1, 1: 0}}
    """
    sectors = sorted({str(s) for _v, s in G.nodes(data=attribute)})
    table = {s: dict.fromkeys(range(len(communities)), 0) for s in sectors}
    for i, members in enumerate(communities):
        for v in members:
            table[str(G.nodes[v].get(attribute))][i] += 1
    return table


def compare_with_sectors(
    G: nx.Graph,
    *,
    seed: int = DEFAULT_SEED,
    resolution: float = 1.0,
    attribute: str = "sector",
    communities: Sequence[Sequence[Any]] | None = None,
) -> dict[str, Any]:
    """Communities next to sectors: which groups cross sectors, the table and the NMI.

    Returns
    -------
    dict
        ``communities`` (index, size, members, sectors with counts, crosses_sectors),
        ``count`` (communities of two or more), ``table`` (sector × community),
        ``nmi`` (sectors against communities) and ``modularity``. Pass
        ``communities`` to compare a division computed before (then ``seed`` and
        ``resolution`` are not used).

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "housing", "b": "welfare", "c": "housing",
    ...                            "d": "housing"}, "sector")
    >>> [c["crosses_sectors"] for c in compare_with_sectors(G)["communities"]]
    [True, False]
    """
    if communities is None:
        communities = detect_communities(G, seed=seed, resolution=resolution)
    rows = []
    for i, members in enumerate(communities):
        sectors = Counter(str(G.nodes[v].get(attribute)) for v in members)
        rows.append(
            {
                "index": i,
                "size": len(members),
                "members": list(members),
                "sectors": dict(sorted(sectors.items())),
                "crosses_sectors": len(sectors) > 1,
            }
        )
    nodes = list(G)
    group = membership(communities)
    return {
        "communities": rows,
        "count": sum(1 for members in communities if len(members) > 1),
        "table": sector_community_table(G, communities, attribute=attribute),
        "nmi": normalized_mutual_information(
            [G.nodes[v].get(attribute) for v in nodes], [group[v] for v in nodes]
        ),
        "modularity": modularity(G, communities),
    }
