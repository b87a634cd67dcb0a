"""The vectorized Brandes against networkx's reference implementation."""

import networkx as nx
import pytest

from netwerk.brandes import betweenness_centrality
from netwerk.centrality import tie_distance


def graph(n, m, seed):
    G = nx.gnm_random_graph(n, m, seed=seed)
    for i, (u, v) in enumerate(G.edges()):
        # lengths 1, 0.5 and 0.25 are exact in binary, so sums of them tie exactly and
        # networkx (exact comparison) and netwerk (relative tolerance) agree
        G[u][v]["weight"] = (1.0, 2.0, 4.0)[(i * 5 + seed) % 3]
    return G


@pytest.mark.parametrize(("n", "m", "seed"), [(10, 15, 1), (40, 70, 2), (80, 200, 3)])
@pytest.mark.parametrize("weighted", [False, True])
def test_exact_equals_networkx(n, m, seed, weighted):
    G = graph(n, m, seed)
    weight = tie_distance if weighted else None
    assert betweenness_centrality(G, weight=weight) == pytest.approx(
        nx.betweenness_centrality(G, weight=weight), abs=1e-12
    )


@pytest.mark.parametrize("weighted", [False, True])
def test_sampled_equals_networkx_with_the_same_seed(weighted):
    G = graph(80, 200, 7)
    weight = tie_distance if weighted else None
    assert betweenness_centrality(G, k=20, seed=11, weight=weight) == pytest.approx(
        nx.betweenness_centrality(G, k=20, seed=11, weight=weight), abs=1e-12
    )


@pytest.mark.parametrize("G", [nx.Graph(), nx.path_graph(2), nx.empty_graph(5)])
def test_tiny_or_tieless_graphs_have_zero_betweenness(G):
    assert set(betweenness_centrality(G).values()) <= {0.0}


def test_self_loops_are_ignored():
    G = nx.path_graph(3)
    G.add_edge(1, 1)
    assert betweenness_centrality(G) == {0: 0.0, 1: 1.0, 2: 0.0}
