from itertools import combinations

import networkx as nx
import pytest

from netwerk.resilience import articulation_points, bridges, fragmentation, minimum_cuts


def connected_pairs(G, without=None):
    H = G.subgraph(v for v in G if v != without)
    return {frozenset(p) for c in nx.connected_components(H) for p in combinations(c, 2)}


def brute_force_fragmentation(G, v):
    before = {p for p in connected_pairs(G) if v not in p}
    return len(before - connected_pairs(G, without=v)) / len(before) if before else 0.0


def test_fragmentation_of_the_broker_graph_by_hand(broker_graph):
    # without v the others fall apart into {a1}, {a2, h2}, {h1}, {l1}: of the C(5,2) = 10
    # pairs of others (all connected before) only a2-h2 stays: 9 of 10 lost
    frag = fragmentation(broker_graph)
    assert frag["v"] == pytest.approx(0.9)
    assert all(frag[x] == 0.0 for x in broker_graph if x != "v")


def test_fragmentation_counts_pairs_of_all_parts(broker_graph):
    # a separate pair x-y adds one connected pair that v cannot break: 9 / 11
    broker_graph.add_edge("x", "y")
    assert fragmentation(broker_graph)["v"] == pytest.approx(9 / 11)


@pytest.mark.parametrize("seed", range(6))
def test_fragmentation_equals_brute_force(seed):
    G = nx.gnm_random_graph(40, 45, seed=seed)
    frag = fragmentation(G)
    for v in G:
        assert frag[v] == pytest.approx(brute_force_fragmentation(G, v))


def test_articulation_points_and_bridges_by_hand(broker_graph):
    assert articulation_points(broker_graph) == ["v"]
    # v-a2, a2-h2, h2-v form a triangle; the other three ties hang alone
    assert bridges(broker_graph) == [("a1", "v"), ("h1", "v"), ("l1", "v")]


@pytest.mark.parametrize("seed", range(4))
def test_articulation_points_equal_networkx(seed):
    G = nx.gnm_random_graph(50, 60, seed=seed)
    assert set(articulation_points(G)) == set(nx.articulation_points(G))


def test_minimum_cuts_of_the_broker_graph(broker_graph):
    cuts = minimum_cuts(broker_graph)
    assert cuts["component_size"] == 6
    assert cuts["edge_connectivity"] == 1
    assert cuts["edge_cut"][0] in {("v", "a1"), ("v", "h1"), ("v", "l1")}
    assert (cuts["node_cut"], cuts["node_connectivity"]) == (["v"], 1)


def test_minimum_cuts_use_the_largest_part(broker_graph):
    broker_graph.add_edges_from([("x", "y"), ("y", "z"), ("z", "x")])
    assert minimum_cuts(broker_graph)["component_size"] == 6


def test_bridge_that_cuts_off_most_is_shown():
    # two triangles joined by c-d: cutting it separates 3 and 3; the tail e-f cuts off 1
    G = nx.Graph(
        [
            ("a", "b"),
            ("b", "c"),
            ("a", "c"),
            ("d", "g"),
            ("g", "h"),
            ("d", "h"),
            ("c", "d"),
            ("h", "f"),
        ]
    )
    assert [tuple(sorted(e)) for e in minimum_cuts(G)["edge_cut"]] == [("c", "d")]


@pytest.mark.parametrize(
    ("graph", "edges", "nodes"),
    [
        (nx.cycle_graph(5), 2, 2),  # no bridge, no articulation point, minimum degree 2
        (nx.petersen_graph(), 3, 3),  # 3-regular and 3-connected: the flow algorithms decide
        (nx.complete_graph(4), 3, 3),  # complete: no organisation set splits it
    ],
)
def test_connectivity(graph, edges, nodes):
    cuts = minimum_cuts(graph)
    assert (cuts["edge_connectivity"], cuts["node_connectivity"]) == (edges, nodes)


def test_complete_part_has_no_node_cut():
    assert minimum_cuts(nx.complete_graph(4))["node_cut"] is None


@pytest.mark.parametrize("seed", range(5))
def test_cuts_are_minimal_and_really_cut(seed):
    G = nx.connected_watts_strogatz_graph(30, 4, 0.4, seed=seed)
    cuts = minimum_cuts(G)
    assert cuts["edge_connectivity"] == nx.edge_connectivity(G)
    assert cuts["node_connectivity"] == nx.node_connectivity(G)
    H = G.copy()
    H.remove_edges_from(cuts["edge_cut"])
    assert not nx.is_connected(H)
    H = G.copy()
    H.remove_nodes_from(cuts["node_cut"])
    assert not nx.is_connected(H)


@pytest.mark.parametrize(
    ("graph", "size", "edge_cut"),
    [
        (nx.Graph(), 0, None),
        (nx.empty_graph(3), 1, None),  # no ties: nothing to cut
        (nx.path_graph(2), 2, [(0, 1)]),  # one tie: cutting it splits the pair
    ],
)
def test_cuts_of_tiny_graphs(graph, size, edge_cut):
    cuts = minimum_cuts(graph)
    assert (cuts["component_size"], cuts["edge_cut"], cuts["node_cut"]) == (size, edge_cut, None)
