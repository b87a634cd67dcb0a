"""The standard metrics against an independent implementation: python-igraph (C core).

Random graphs are seeded; weights are random floats, so no two paths are equally long
by accident and rounding cannot decide between them.
"""

import random

import igraph as ig
import networkx as nx
import pytest

from netwerk.centrality import organisation_metrics, structural_holes
from netwerk.communities import normalized_mutual_information
from netwerk.metrics import network_summary
from netwerk.resilience import articulation_points, bridges

CASES = [(12, 20, 1), (30, 60, 2), (60, 150, 3), (100, 260, 4)]


def random_graph(n, m, seed, *, connected=False):
    G = nx.gnm_random_graph(n, m, seed=seed)
    if connected:
        G = G.subgraph(max(nx.connected_components(G), key=len)).copy()
    rng = random.Random(seed)
    for u, v in G.edges():
        G[u][v]["weight"] = rng.choice([1.0, 2.0, 3.0]) + rng.random()
        G[u][v]["distance"] = 1.0 / G[u][v]["weight"]
    return G


def to_igraph(G):
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    H = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()])
    H.es["weight"] = [d["weight"] for _u, _v, d in G.edges(data=True)]
    H.es["distance"] = [d["distance"] for _u, _v, d in G.edges(data=True)]
    return nodes, H


def assert_same(ours, nodes, theirs, **tolerance):
    assert [ours[v] for v in nodes] == pytest.approx(list(theirs), **tolerance)


@pytest.mark.parametrize(("n", "m", "seed"), CASES)
def test_betweenness(n, m, seed):
    G = random_graph(n, m, seed)
    nodes, H = to_igraph(G)
    pairs = (len(G) - 1) * (len(G) - 2) / 2  # igraph counts unordered pairs, unscaled
    table = organisation_metrics(G)
    assert_same(
        {v: table[v]["betweenness"] for v in G},
        nodes,
        [b / pairs for b in H.betweenness(directed=False)],
        abs=1e-12,
    )
    assert_same(
        {v: table[v]["betweenness_weighted"] for v in G},
        nodes,
        [b / pairs for b in H.betweenness(directed=False, weights="distance")],
        abs=1e-12,
    )


@pytest.mark.parametrize(("n", "m", "seed"), CASES)
def test_closeness_on_connected_graphs(n, m, seed):
    G = random_graph(n, m, seed, connected=True)
    nodes, H = to_igraph(G)
    table = organisation_metrics(G)
    assert_same({v: table[v]["closeness"] for v in G}, nodes, H.closeness())


@pytest.mark.parametrize(("n", "m", "seed"), CASES)
def test_closeness_on_graphs_in_parts(n, m, seed):
    # igraph averages over reachable nodes only; Wasserman-Faust scales by reach/(n-1)
    G = random_graph(n, m, seed)
    nodes, H = to_igraph(G)
    table = organisation_metrics(G)
    reach = [len(nx.node_connected_component(G, v)) - 1 for v in nodes]
    expected = [
        0.0 if r == 0 else c * r / (len(G) - 1) for c, r in zip(H.closeness(), reach, strict=True)
    ]
    assert_same({v: table[v]["closeness"] for v in G}, nodes, expected)


@pytest.mark.parametrize(("n", "m", "seed"), CASES)
def test_harmonic(n, m, seed):
    G = random_graph(n, m, seed)
    nodes, H = to_igraph(G)
    table = organisation_metrics(G)
    assert_same({v: table[v]["harmonic"] for v in G}, nodes, H.harmonic_centrality())


@pytest.mark.parametrize(("n", "m", "seed"), CASES)
def test_eigenvector_on_connected_graphs(n, m, seed):
    G = random_graph(n, m, seed, connected=True)
    nodes, H = to_igraph(G)
    ours = {v: e["eigenvector"] for v, e in organisation_metrics(G).items()}
    top = max(ours.values())
    assert_same(
        {v: x / top for v, x in ours.items()},
        nodes,
        H.eigenvector_centrality(weights="weight"),
        abs=1e-7,
    )


@pytest.mark.parametrize(("n", "m", "seed"), CASES)
def test_clustering_core_degree_and_strength(n, m, seed):
    G = random_graph(n, m, seed)
    nodes, H = to_igraph(G)
    table = organisation_metrics(G)
    assert_same(
        {v: table[v]["clustering"] for v in G}, nodes, H.transitivity_local_undirected(mode="zero")
    )
    assert_same({v: table[v]["core_number"] for v in G}, nodes, H.coreness())
    assert_same({v: table[v]["degree"] for v in G}, nodes, H.degree())
    assert_same({v: table[v]["weighted_degree"] for v in G}, nodes, H.strength(weights="weight"))


@pytest.mark.parametrize(("n", "m", "seed"), CASES)
def test_constraint(n, m, seed):
    G = random_graph(n, m, seed)
    G.remove_nodes_from(list(nx.isolates(G)))
    nodes, H = to_igraph(G)
    ours = structural_holes(G)
    assert_same({v: ours[v]["constraint"] for v in G}, nodes, H.constraint(weights="weight"))


@pytest.mark.parametrize(("n", "m", "seed"), CASES)
def test_network_density_and_clustering(n, m, seed):
    G = random_graph(n, m, seed)
    _nodes, H = to_igraph(G)
    summary = network_summary(G)
    assert summary["density"] == pytest.approx(H.density())
    assert summary["transitivity"] == pytest.approx(H.transitivity_undirected())
    assert summary["average_clustering"] == pytest.approx(
        H.transitivity_avglocal_undirected(mode="zero")
    )
    assert summary["components"] == len(H.connected_components())


@pytest.mark.parametrize(("n", "m", "seed"), CASES)
def test_articulation_points_and_bridges(n, m, seed):
    G = random_graph(n, m, seed)
    nodes, H = to_igraph(G)
    assert sorted(articulation_points(G)) == sorted(nodes[i] for i in H.articulation_points())
    expected = {tuple(sorted((nodes[H.es[e].source], nodes[H.es[e].target]))) for e in H.bridges()}
    assert {tuple(sorted(pair)) for pair in bridges(G)} == expected


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_normalized_mutual_information(seed):
    rng = random.Random(seed)
    a = [rng.randrange(3) for _ in range(50)]
    b = [x if rng.random() < 0.6 else rng.randrange(4) for x in a]
    assert normalized_mutual_information(a, b) == pytest.approx(
        ig.compare_communities(a, b, method="nmi")
    )
