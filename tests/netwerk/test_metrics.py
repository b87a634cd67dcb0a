import networkx as nx
import pytest

from netwerk.metrics import component_sizes, degree_centralization, network_summary


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        (nx.star_graph(4), 1.0),  # everything runs through the centre
        (nx.cycle_graph(6), 0.0),  # everyone has two partners
        (nx.complete_graph(4), 0.0),
        # path 0-1-2-3: degrees 1 2 2 1, max 2: (1 + 0 + 0 + 1) / ((4-1)(4-2)) = 2/6
        (nx.path_graph(4), 1 / 3),
    ],
)
def test_degree_centralization_by_hand(graph, expected):
    assert degree_centralization(graph) == pytest.approx(expected)


def test_degree_centralization_of_the_broker_graph(broker_graph):
    # degrees v 5, a1 1, a2 2, h1 1, h2 2, l1 1; sum(5 - d) = 0+4+3+4+3+4 = 18
    # (n-1)(n-2) = 5 * 4 = 20 -> 0.9
    assert degree_centralization(broker_graph) == pytest.approx(0.9)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_degree_centralization_undefined_below_three(n):
    assert degree_centralization(nx.path_graph(n)) is None


def test_summary_of_the_broker_graph_by_hand(broker_graph):
    broker_graph.add_node("x", sector="media")  # a loose organisation: a second part
    s = network_summary(broker_graph)
    assert s["nodes"] == 7 and s["ties"] == 6
    assert s["density"] == pytest.approx(6 / 21)  # 6 of 7*6/2 possible ties
    assert (s["components"], s["largest_component"]) == (2, 6)
    assert s["average_degree"] == pytest.approx(12 / 7)
    # one triangle v-a2-h2; triples centred on v: C(5,2) = 10, on a2 and h2: 1 each
    # transitivity = 3 * 1 / 12 = 0.25
    assert s["transitivity"] == pytest.approx(0.25)
    # local clustering: v 1/10, a2 1, h2 1, others 0 -> (0.1 + 2) / 7 = 0.3
    assert s["average_clustering"] == pytest.approx(0.3)
    # degrees 5,1,2,1,2,1,0: sum(5 - d) = 0+4+3+4+3+4+5 = 23 over 6 * 5 = 30
    assert s["degree_centralization"] == pytest.approx(23 / 30)


def test_summary_counts_communities_of_two_or_more():
    G = nx.union(nx.complete_graph(3), nx.complete_graph(range(3, 6)))
    G.add_node(9)
    s = network_summary(G)
    assert s["communities"] == 2
    # two separate triangles: each 3/6 - (6/12)^2 = 0.25; Q = 0.5
    assert s["modularity"] == pytest.approx(0.5)


def test_summary_of_an_empty_graph():
    s = network_summary(nx.Graph())
    assert (s["nodes"], s["ties"], s["density"], s["largest_component"], s["modularity"]) == (
        0,
        0,
        0.0,
        0,
        None,
    )


def test_component_sizes_largest_first():
    assert component_sizes(nx.Graph([(1, 2), (3, 4), (4, 5), (6, 6)])) == [3, 2, 1]
