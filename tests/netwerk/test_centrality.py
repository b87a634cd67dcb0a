import networkx as nx
import pytest

from netwerk.centrality import (
    APPROX_THRESHOLD,
    DEFAULT_SAMPLE,
    betweenness,
    eigenvector,
    organisation_metrics,
    reach,
    sample_size,
    structural_holes,
)
from netwerk.errors import InvalidOption


@pytest.fixture
def kite():
    # triangle a-b-c with a tail c-d-e
    return nx.Graph([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("d", "e")])


@pytest.fixture
def detour():
    # a weak direct tie a-b (length 1) and a strong detour a-c-b (0.25 + 0.25); d hangs on b
    G = nx.Graph()
    G.add_edge("a", "b", weight=1.0)
    G.add_edge("a", "c", weight=4.0)
    G.add_edge("c", "b", weight=4.0)
    G.add_edge("b", "d", weight=1.0)
    return G


def test_betweenness_by_hand(kite):
    # shortest paths through c: a-d, a-e, b-d, b-e (4); through d: a-e, b-e, c-e (3)
    # normalised by the (n-1)(n-2)/2 = 6 pairs that exclude the node itself
    assert betweenness(kite) == pytest.approx({"a": 0, "b": 0, "c": 4 / 6, "d": 3 / 6, "e": 0})


def test_weighted_betweenness_follows_strong_ties(detour):
    # weighted: a-b goes a-c-b (0.5 < 1): c; a-d goes a-c-b-d (1.5 < 2): c and b;
    # c-d goes c-b-d: b.  c = 2, b = 2, out of 3 pairs
    assert betweenness(detour, weighted=True) == pytest.approx(
        {"a": 0, "b": 2 / 3, "c": 2 / 3, "d": 0}
    )


def test_unweighted_betweenness_counts_steps(detour):
    # a-d and c-d both pass b; a-b is direct, so c brokers nothing
    assert betweenness(detour) == pytest.approx({"a": 0, "b": 2 / 3, "c": 0, "d": 0})


def test_closeness_and_harmonic_by_hand():
    # a-b plus a loose c (n = 3). a reaches 1 of 2 others at total distance 1:
    # closeness (Wasserman-Faust) = (1/1) * (1/2) = 0.5; harmonic = (1/1) / 2 = 0.5
    G = nx.Graph([("a", "b")])
    G.add_node("c")
    result = reach(G)
    assert result["closeness"] == {"a": 0.5, "b": 0.5, "c": 0.0}
    assert result["harmonic"] == {"a": 0.5, "b": 0.5, "c": 0.0}


def test_closeness_on_a_path():
    # path 0-1-2-3: node 0 has distances 1+2+3 = 6 -> 3/6 = 0.5; node 1: 1+1+2 = 4 -> 0.75
    # harmonic of 0: (1 + 1/2 + 1/3) / 3 = 0.6111
    result = reach(nx.path_graph(4))
    assert result["closeness"] == pytest.approx({0: 0.5, 1: 0.75, 2: 0.75, 3: 0.5})
    assert result["harmonic"][0] == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)


def test_eigenvector_of_a_star():
    # star K1,3: leading eigenvalue sqrt(3); centre 1/sqrt(2), each leaf 1/sqrt(6)
    values = eigenvector(nx.star_graph(3))
    assert values == pytest.approx({0: 2**-0.5, 1: 6**-0.5, 2: 6**-0.5, 3: 6**-0.5})


def test_eigenvector_on_a_graph_in_parts():
    # K2 {1,2} and path 3-4-5 (5 nodes with ties) plus isolate 6.
    # K2 part: (1/sqrt2, 1/sqrt2) * sqrt(2/5); path part: (1/2, 1/sqrt2, 1/2) * sqrt(3/5)
    G = nx.Graph([(1, 2), (3, 4), (4, 5)])
    G.add_node(6)
    values = eigenvector(G)
    assert values[1] == pytest.approx(2**-0.5 * (2 / 5) ** 0.5)
    assert values[4] == pytest.approx(2**-0.5 * (3 / 5) ** 0.5)
    assert values[3] == pytest.approx(0.5 * (3 / 5) ** 0.5)
    assert values[6] == 0.0
    assert sum(v * v for v in values.values()) == pytest.approx(1.0)


def test_eigenvector_equals_networkx_on_connected_graph():
    G = nx.connected_watts_strogatz_graph(40, 4, 0.3, seed=3)
    ours, theirs = eigenvector(G, weight=None), nx.eigenvector_centrality_numpy(G)
    assert ours == pytest.approx(theirs, abs=1e-9)


@pytest.mark.parametrize(
    ("graph", "node", "constraint", "size"),
    [
        # star centre: 3 partners, p = 1/3 each, none shared: 3 * (1/3)^2; effective size 3
        (nx.star_graph(3), 0, 1 / 3, 3.0),
        # star leaf: one partner, p = 1: constraint 1, effective size 1
        (nx.star_graph(3), 1, 1.0, 1.0),
        # triangle: p = 1/2; per partner (1/2 + 1/2 * 1/2)^2 = 0.5625, twice = 1.125;
        # effective size 2 - 2 * 1 / 2 = 1 (each partner is half redundant)
        (nx.complete_graph(3), 0, 1.125, 1.0),
    ],
)
def test_structural_holes_by_hand(graph, node, constraint, size):
    result = structural_holes(graph)[node]
    assert result["constraint"] == pytest.approx(constraint)
    assert result["effective_size"] == pytest.approx(size)


def test_structural_holes_of_an_isolate_are_undefined():
    G = nx.Graph()
    G.add_node("x")
    assert structural_holes(G)["x"] == {"constraint": None, "effective_size": None}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_structural_holes_equal_networkx_weighted(seed):
    G = nx.gnm_random_graph(30, 70, seed=seed)
    G.remove_nodes_from(list(nx.isolates(G)))
    for i, (u, v) in enumerate(G.edges()):
        G[u][v]["weight"] = 1 + (i * 7 + seed) % 5
    ours = structural_holes(G)
    constraint = nx.constraint(G, weight="weight")
    # nodes=list(G) takes networkx's per-node path; its all-nodes sparse path divides by
    # the column max instead of the row max for weighted graphs (networkx PR #8906)
    size = nx.effective_size(G, nodes=list(G), weight="weight")
    for v in G:
        assert ours[v]["constraint"] == pytest.approx(constraint[v])
        assert ours[v]["effective_size"] == pytest.approx(size[v])


def test_organisation_metrics_known_answers(kite):
    table = organisation_metrics(kite)
    assert table["c"]["degree"] == 3
    assert table["c"]["weighted_degree"] == 3.0  # no weights: 1 per tie
    assert table["c"]["core_number"] == 2 and table["e"]["core_number"] == 1
    assert table["a"]["clustering"] == 1.0 and table["c"]["clustering"] == pytest.approx(1 / 3)
    assert set(table["a"]) == {
        "degree",
        "weighted_degree",
        "betweenness",
        "betweenness_weighted",
        "closeness",
        "harmonic",
        "eigenvector",
        "core_number",
        "clustering",
        "constraint",
        "effective_size",
    }


# --- sampling on large graphs ----------------------------------------------------------------


def test_sample_size_is_exact_below_the_threshold():
    assert sample_size(nx.empty_graph(APPROX_THRESHOLD)) is None


def test_sample_size_samples_above_the_threshold():
    assert sample_size(nx.empty_graph(APPROX_THRESHOLD + 1)) == DEFAULT_SAMPLE


def test_explicit_k_samples_even_small_graphs_and_k_at_least_n_is_exact():
    assert sample_size(nx.empty_graph(10), k=4) == 4
    assert sample_size(nx.empty_graph(10), k=10) is None


@pytest.mark.parametrize("k", [0, 1, -3, 2.5, True, "10"])
def test_bad_betweenness_k(k):
    with pytest.raises(InvalidOption, match="betweenness_k"):
        sample_size(nx.path_graph(5), k=k)


def test_sampled_betweenness_is_deterministic_and_close():
    G = nx.connected_watts_strogatz_graph(300, 6, 0.2, seed=5)
    exact = betweenness(G)
    first, second = betweenness(G, k=150, seed=7), betweenness(G, k=150, seed=7)
    assert first == second
    top = max(exact, key=exact.get)
    assert first[top] == pytest.approx(exact[top], rel=0.35)
