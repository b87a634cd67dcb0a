"""Per-organisation positions: degree, betweenness, closeness, eigenvector, core, holes.

Weighted shortest paths use the distance ``1 / weight``: a strong tie is a short road.
Closeness and harmonic centrality count steps (every tie is one step), which is what
"how far is everyone" means to a reader.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import shortest_path
from scipy.sparse.linalg import eigsh

from netwerk.brandes import betweenness_centrality
from netwerk.errors import InvalidOption

#: Above this many organisations betweenness is estimated from a sample of sources.
APPROX_THRESHOLD = 2000
#: Number of sampled sources when betweenness is estimated.
DEFAULT_SAMPLE = 500
DEFAULT_SEED = 42
_CHUNK = 256  # rows of the distance matrix computed at once (256 x n floats)
_DENSE_EIGEN = 200  # components up to this size use a dense eigensolver


def tie_distance(u: Any, v: Any, data: dict[str, Any]) -> float:
    """Length of a tie for weighted paths: its ``distance``, else ``1 / weight``.

    Examples
    --------
    >>> tie_distance("a", "b", {"weight": 4.0}), tie_distance("a", "b", {"distance": 0.5})
    (0.25, 0.5)
    """
    if "distance" in data:
        return float(data["distance"])
    return 1.0 / float(data.get("weight", 1.0))


def sample_size(
    G: nx.Graph, *, k: int | None = None, approx_threshold: int = APPROX_THRESHOLD
) -> int | None:
    """How many sources betweenness samples; ``None`` means exact.

    An explicit ``k`` samples ``k`` sources (exact when ``k >= n``). Without it, graphs
    with more than ``approx_threshold`` organisations sample ``DEFAULT_SAMPLE`` sources.

    Examples
    --------
    >>> sample_size(nx.path_graph(10)) is None, sample_size(nx.path_graph(10), k=4)
    (True, 4)
    """
    n = G.number_of_nodes()
    if k is not None:
        if isinstance(k, bool) or not isinstance(k, int) or k < 2:
            raise InvalidOption(
                f"betweenness_k moet een heel getal van 2 of meer zijn, niet {k!r}."
            )
        return None if k >= n else k
    return DEFAULT_SAMPLE if n > approx_threshold and n > DEFAULT_SAMPLE else None


def betweenness(
    G: nx.Graph,
    *,
    weighted: bool = False,
    k: int | None = None,
    approx_threshold: int = APPROX_THRESHOLD,
    seed: int = DEFAULT_SEED,
) -> dict[Any, float]:
    """Normalized betweenness; weighted paths use ``1 / weight``; sampled on big graphs.

    Same definition, scaling and source sample as ``nx.betweenness_centrality(G, k=...,
    seed=seed, weight=...)``, computed in C (see ``netwerk.brandes``). Weighted paths
    whose lengths differ only by rounding count as equally short, as in igraph.

    Examples
    --------
    >>> betweenness(nx.path_graph(3))  # the middle lies on the only path 0-2
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    sample = sample_size(G, k=k, approx_threshold=approx_threshold)
    return betweenness_centrality(G, k=sample, seed=seed, weight=tie_distance if weighted else None)


def reach(G: nx.Graph) -> dict[str, dict[Any, float]]:
    """Closeness (Wasserman–Faust, for graphs in parts) and harmonic centrality, in steps.

    Both are scaled to 0..1 by ``n - 1``; they equal networkx's ``closeness_centrality``
    and ``harmonic_centrality / (n - 1)``, computed in C by SciPy.

    Examples
    --------
    >>> reach(nx.path_graph(3))["closeness"]
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}
    """
    nodes = list(G)
    n = len(nodes)
    closeness = dict.fromkeys(nodes, 0.0)
    harmonic = dict.fromkeys(nodes, 0.0)
    if n < 2:
        return {"closeness": closeness, "harmonic": harmonic}
    A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=None, format="csr")
    for lo in range(0, n, _CHUNK):
        rows = np.arange(lo, min(n, lo + _CHUNK))
        D = shortest_path(A, directed=False, unweighted=True, indices=rows)
        reached = np.isfinite(D) & (D > 0)
        count = reached.sum(axis=1)
        total = np.where(reached, D, 0.0).sum(axis=1)
        inverse = np.divide(1.0, D, out=np.zeros_like(D), where=reached).sum(axis=1)
        close = np.divide(count * count, total * (n - 1), out=np.zeros(len(rows)), where=total > 0)
        for i, row in enumerate(rows):
            closeness[nodes[row]] = float(close[i])
            harmonic[nodes[row]] = float(inverse[i] / (n - 1))
    return {"closeness": closeness, "harmonic": harmonic}


def _leading_vector(H: nx.Graph, weight: str | None) -> dict[Any, float]:
    nodes = list(H)
    A = nx.to_scipy_sparse_array(H, nodelist=nodes, weight=weight, dtype=float)
    if len(nodes) <= _DENSE_EIGEN:
        x = np.linalg.eigh(A.toarray())[1][:, -1]
    else:
        x = eigsh(A, k=1, which="LA")[1][:, 0]
    x = np.abs(x)  # the Perron vector has one sign; abs also clears -0.0 noise
    x /= np.linalg.norm(x)
    return {v: float(val) for v, val in zip(nodes, x, strict=True)}


def eigenvector(G: nx.Graph, *, weight: str | None = "weight") -> dict[Any, float]:
    """Eigenvector centrality that also works on a network in several parts.

    Each part (connected component) gets its own leading eigenvector, scaled so the
    whole vector has length 1 and each part's share matches its size; organisations
    without ties get 0. On a connected graph this equals networkx's
    ``eigenvector_centrality_numpy``.

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (3, 4), (4, 5)])
    >>> {v: round(x, 3) for v, x in eigenvector(G).items()}
    {1: 0.447, 2: 0.447, 3: 0.387, 4: 0.548, 5: 0.387}
    """
    result = dict.fromkeys(G, 0.0)
    parts = [c for c in nx.connected_components(G) if len(c) > 1]
    total = sum(len(c) for c in parts)
    for part in parts:
        scale = math.sqrt(len(part) / total)
        for v, x in _leading_vector(G.subgraph(part), weight).items():
            result[v] = x * scale
    return result


def structural_holes(G: nx.Graph, *, weight: str = "weight") -> dict[Any, dict[str, float | None]]:
    """Burt's constraint and effective size (weighted); ``None`` for organisations without ties.

    With ``p[i][j] = w_ij / sum_k w_ik``, constraint is
    ``sum_j (p_ij + sum_q p_iq p_qj) ** 2`` and effective size is
    ``sum_j (1 - sum_q p_iq w_jq / max_k w_jk)`` (q runs over shared partners).
    Same results as ``nx.constraint`` and ``nx.effective_size(G, nodes=list(G), ...)``
    with ``weight``, in ``O(sum of degree**2)``. (networkx 3.6's all-nodes path of
    ``effective_size`` normalizes by the wrong axis on weighted graphs, PR #8906.)

    Examples
    --------
    >>> structural_holes(nx.star_graph(3), weight="weight")[0]  # three separate partners
    {'constraint': 0.3333333333333333, 'effective_size': 3.0}
    """
    ws = {
        i: {j: float(d.get(weight, 1.0)) for j, d in nbrs.items() if j != i}
        for i, nbrs in G.adjacency()
    }
    share = {
        i: {j: w / (sum(row.values()) or 1.0) for j, w in row.items()} for i, row in ws.items()
    }
    top = {i: max(row.values(), default=1.0) for i, row in ws.items()}
    result: dict[Any, dict[str, float | None]] = {}
    for i, p in share.items():
        if not p:
            result[i] = {"constraint": None, "effective_size": None}
            continue
        constraint = size = 0.0
        for j, p_ij in p.items():
            shared = p.keys() & share[j].keys()  # partners of both i and j
            constraint += (p_ij + sum(p[q] * share[q][j] for q in shared)) ** 2
            size += 1.0 - sum(p[q] * ws[j][q] for q in shared) / top[j]
        result[i] = {"constraint": constraint, "effective_size": size}
    return result


def organisation_metrics(
    G: nx.Graph,
    *,
    betweenness_k: int | None = None,
    approx_threshold: int = APPROX_THRESHOLD,
    seed: int = DEFAULT_SEED,
) -> dict[Any, dict[str, Any]]:
    """Every per-organisation position metric in one table, keyed by organisation id.

    Keys: degree, weighted_degree, betweenness (steps), betweenness_weighted
    (``1/weight``), closeness, harmonic, eigenvector, core_number, clustering,
    constraint, effective_size.

    Examples
    --------
    >>> organisation_metrics(nx.path_graph(3))[1]["betweenness"]
    1.0
    """
    options: dict[str, Any] = {
        "k": betweenness_k,
        "approx_threshold": approx_threshold,
        "seed": seed,
    }
    columns: dict[str, dict[Any, Any]] = {
        "degree": dict(G.degree()),
        "weighted_degree": {v: float(d) for v, d in G.degree(weight="weight")},
        "betweenness": betweenness(G, **options),
        "betweenness_weighted": betweenness(G, weighted=True, **options),
        **reach(G),
        "eigenvector": eigenvector(G),
        "core_number": nx.core_number(G),
        "clustering": {v: float(c) for v, c in nx.clustering(G).items()},
    }
    holes = structural_holes(G)
    return {v: {**{name: col[v] for name, col in columns.items()}, **holes[v]} for v in G}
