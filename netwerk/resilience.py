"""Resilience: who and which ties hold the network together.

``fragmentation(G)[v]`` is the share of pairs of *other* organisations that reach each
other now (directly or through others) and would not once ``v`` left. It is 0 for every
organisation that is not an articulation point. All of it comes from one depth-first
search per part (Hopcroft–Tarjan low points), so it is linear in the network's size.
"""

from __future__ import annotations

from math import comb
from typing import Any

import networkx as nx


def _dfs(G: nx.Graph, root: Any) -> dict[str, dict[Any, Any]]:
    """Iterative DFS from ``root``: discovery order, low point, subtree size, parent."""
    disc, low, size, parent = {root: 0}, {root: 0}, {root: 1}, {root: None}
    stack = [(root, iter(G[root]))]
    while stack:
        v, neighbours = stack[-1]
        for w in neighbours:
            if w not in disc:
                disc[w] = low[w] = len(disc)
                size[w], parent[w] = 1, v
                stack.append((w, iter(G[w])))
                break
            if w != parent[v] and w != v:
                low[v] = min(low[v], disc[w])
        else:
            stack.pop()
            p = parent[v]
            if p is not None:
                low[p] = min(low[p], low[v])
                size[p] += size[v]
    return {"disc": disc, "low": low, "size": size, "parent": parent}


def _pieces(tree: dict[str, dict[Any, Any]]) -> dict[Any, list[int]]:
    """For each node, the sizes of the parts its part breaks into without it."""
    disc, low, size, parent = tree["disc"], tree["low"], tree["size"], tree["parent"]
    total = len(disc)
    cut_off: dict[Any, list[int]] = {v: [] for v in disc}
    for child, p in parent.items():
        if p is not None and low[child] >= disc[p]:
            cut_off[p].append(size[child])
    pieces = {}
    for v, sizes in cut_off.items():
        rest = total - 1 - sum(sizes)
        pieces[v] = sizes + [rest] if rest > 0 else sizes
    return pieces


def _components(G: nx.Graph) -> list[dict[str, dict[Any, Any]]]:
    seen: set[Any] = set()
    trees = []
    for v in G:
        if v not in seen:
            trees.append(_dfs(G, v))
            seen.update(trees[-1]["disc"])
    return trees


def fragmentation(G: nx.Graph) -> dict[Any, float]:
    """Share of connected pairs of other organisations that lose contact without ``v``.

    Examples
    --------
    >>> fragmentation(nx.path_graph(4))  # without 1: pairs 0-2, 0-3 lost of 0-2, 0-3, 2-3
    {0: 0.0, 1: 0.6666666666666666, 2: 0.6666666666666666, 3: 0.0}
    """
    trees = _components(G)
    connected = sum(comb(len(t["disc"]), 2) for t in trees)
    result = dict.fromkeys(G, 0.0)
    for tree in trees:
        s = len(tree["disc"])
        for v, parts in _pieces(tree).items():
            lost = comb(s - 1, 2) - sum(comb(p, 2) for p in parts)
            others = connected - (s - 1)
            result[v] = lost / others if others else 0.0
    return result


def articulation_points(G: nx.Graph) -> list[Any]:
    """Organisations whose leaving splits their part of the network (sorted).

    Examples
    --------
    >>> articulation_points(nx.path_graph(4))
    [1, 2]
    """
    points = [v for tree in _components(G) for v, parts in _pieces(tree).items() if len(parts) > 1]
    return sorted(points, key=str)


def bridges(G: nx.Graph) -> list[tuple[Any, Any]]:
    """Ties that are the only link between two parts (each pair sorted, list sorted).

    Examples
    --------
    >>> bridges(nx.Graph([(1, 2), (2, 3), (3, 1), (3, 4)]))
    [(3, 4)]
    """
    pairs = (tuple(sorted((u, v), key=str)) for u, v in nx.bridges(G))
    return sorted(pairs, key=lambda pair: (str(pair[0]), str(pair[1])))


def _edge_cut(H: nx.Graph, tree: dict[str, dict[Any, Any]]) -> list[tuple[Any, Any]]:
    disc, low, size = tree["disc"], tree["low"], tree["size"]
    tree_bridges = [(p, c) for c, p in tree["parent"].items() if p is not None and low[c] > disc[p]]
    if tree_bridges:  # the bridge that cuts off the most organisations
        p, c = max(tree_bridges, key=lambda e: (min(size[e[1]], len(H) - size[e[1]]), -disc[e[1]]))
        return [(p, c)]
    v, degree = min(H.degree(), key=lambda item: (item[1], str(item[0])))
    if degree == 2:  # no bridge, so at least 2 ties must go: the ties of v will do
        return [(v, u) for u in H[v]]
    return sorted(nx.minimum_edge_cut(H), key=str)


def _node_cut(H: nx.Graph, tree: dict[str, dict[Any, Any]]) -> list[Any] | None:
    n = len(H)
    if H.number_of_edges() == comb(n, 2):
        return None  # a complete part cannot be split by removing organisations
    points = {v: parts for v, parts in _pieces(tree).items() if len(parts) > 1}
    if points:  # the organisation whose leaving loses the most pairs
        best = min(points, key=lambda v: (sum(comb(p, 2) for p in points[v]), str(v)))
        return [best]
    v, degree = min(H.degree(), key=lambda item: (item[1], str(item[0])))
    if degree == 2:  # no articulation point, so 2 are needed: v's partners will do
        return sorted(H[v], key=str)
    return sorted(nx.minimum_node_cut(H), key=str)


def minimum_cuts(G: nx.Graph) -> dict[str, Any]:
    """The smallest edge cut and node cut of the largest part of the network.

    Returns
    -------
    dict
        ``component_size``, ``edge_cut`` (ties) and ``node_cut`` (organisations; ``None``
        when the part is complete or has fewer than 3 organisations), with their sizes
        as ``edge_connectivity`` and ``node_connectivity``. When several cuts are
        smallest, the one that cuts off the most organisations is shown.

    Examples
    --------
    >>> cuts = minimum_cuts(nx.Graph([(1, 2), (2, 3), (3, 1), (3, 4)]))
    >>> cuts["edge_cut"], cuts["node_cut"]
    ([(3, 4)], [3])
    """
    tree = max(_components(G), key=lambda t: len(t["disc"]), default=None)
    size = len(tree["disc"]) if tree else 0
    if tree is None or size < 2:
        return {
            "component_size": size,
            "edge_cut": None,
            "edge_connectivity": 0,
            "node_cut": None,
            "node_connectivity": 0,
        }
    H = G.subgraph(tree["disc"])
    edge_cut = _edge_cut(H, tree)
    node_cut = _node_cut(H, tree) if len(H) > 2 else None
    return {
        "component_size": len(H),
        "edge_cut": edge_cut,
        "edge_connectivity": len(edge_cut),
        "node_cut": node_cut,
        "node_connectivity": len(node_cut) if node_cut is not None else len(H) - 1,
    }
