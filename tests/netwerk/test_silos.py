import pytest

from netwerk.silos import (
    ei_index_network,
    ei_index_organisations,
    ei_index_sectors,
    mixing_matrix,
    sector_assortativity,
)

# broker_graph ties: v-a1 (W-W), v-a2 (W-W), v-h1 (W-H), v-h2 (W-H), v-l1 (W-L), a2-h2 (W-H)


def test_mixing_matrix_by_hand(broker_graph):
    assert mixing_matrix(broker_graph) == {
        "housing": {"housing": 0.0, "library": 0.0, "welfare": 3.0},
        "library": {"housing": 0.0, "library": 0.0, "welfare": 1.0},
        "welfare": {"housing": 3.0, "library": 1.0, "welfare": 2.0},
    }


def test_weighted_mixing_matrix(broker_graph):
    broker_graph["v"]["a1"]["weight"] = 4.0
    assert mixing_matrix(broker_graph, weight="weight")["welfare"]["welfare"] == 5.0  # 4 + 1


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        ("v", 0.2),  # E = h1, h2, l1 = 3; I = a1, a2 = 2: (3 - 2) / 5
        ("a2", 0.0),  # E = h2, I = v: (1 - 1) / 2
        ("h2", 1.0),  # both partners (v, a2) are welfare: (2 - 0) / 2
        ("a1", -1.0),  # only v, same sector: (0 - 1) / 1
    ],
)
def test_ei_index_per_organisation_by_hand(broker_graph, node, expected):
    assert ei_index_organisations(broker_graph)[node] == pytest.approx(expected)


def test_ei_index_of_an_isolate_is_undefined(broker_graph):
    broker_graph.add_node("x", sector="media")
    assert ei_index_organisations(broker_graph)["x"] is None
    assert ei_index_sectors(broker_graph)["media"] is None


def test_ei_index_per_sector_by_hand(broker_graph):
    # welfare: I = v-a1, v-a2 (2); E = v-h1, v-h2, v-l1, a2-h2 (4): (4 - 2) / 6
    # housing: I = 0; E = v-h1, v-h2, a2-h2 (3): 1.  library: E = v-l1: 1
    assert ei_index_sectors(broker_graph) == pytest.approx(
        {"housing": 1.0, "library": 1.0, "welfare": 1 / 3}
    )


def test_ei_index_network_by_hand(broker_graph):
    # E = 4 cross-sector ties, I = 2 inside welfare: (4 - 2) / 6
    assert ei_index_network(broker_graph) == pytest.approx(1 / 3)


def test_weighted_ei_index(broker_graph):
    # v-a1 weighs 7: I = 7 + 1 = 8, E = 4: (4 - 8) / 12
    broker_graph["v"]["a1"]["weight"] = 7.0
    assert ei_index_network(broker_graph, weight="weight") == pytest.approx(-1 / 3)


def test_ei_index_network_without_ties_is_undefined(make):
    G = make.sector_graph([], {"a": "housing"})
    assert ei_index_network(G) is None


def test_assortativity_of_closed_silos_is_one(make):
    G = make.sector_graph(
        [("h1", "h2"), ("w1", "w2")],
        {"h1": "housing", "h2": "housing", "w1": "welfare", "w2": "welfare"},
    )
    assert sector_assortativity(G) == pytest.approx(1.0)


def test_assortativity_is_undefined_for_one_sector_or_no_ties(make):
    assert (
        sector_assortativity(make.sector_graph([("a", "b")], {"a": "housing", "b": "housing"}))
        is None
    )
    assert sector_assortativity(make.sector_graph([], {"a": "housing"})) is None


def test_assortativity_of_the_broker_graph(broker_graph):
    # e (share of tie ends): WW 4/12, WH 3/12 each way, WL 1/12 each way
    # a_W = 8/12, a_H = 3/12, a_L = 1/12; sum e_ii = 4/12; sum a_i^2 = (64 + 9 + 1) / 144
    # r = (4/12 - 74/144) / (1 - 74/144) = (48 - 74) / (144 - 74) = -26/70
    assert sector_assortativity(broker_graph) == pytest.approx(-26 / 70)
