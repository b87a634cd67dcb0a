import pytest

from netwerk.brokerage import ROLES, brokerage_roles, classify


@pytest.mark.parametrize(
    ("a", "v", "c", "roles"),
    [
        ("W", "W", "W", ("coordinator",)),
        ("H", "W", "H", ("itinerant",)),
        ("W", "W", "H", ("gatekeeper", "representative")),  # one direction each
        ("H", "W", "W", ("gatekeeper", "representative")),
        ("H", "W", "L", ("liaison",)),
    ],
)
def test_classify(a, v, c, roles):
    assert classify(a, v, c) == roles


def test_brokerage_of_the_centre_by_hand(broker_graph):
    # v (W) has partners a1 (W), a2 (W), h1 (H), h2 (H), l1 (L): 10 pairs, a2-h2 tied.
    #   a1,a2  W W -> coordinator           a2,h1  W H -> gatekeeper + representative
    #   a1,h1  W H -> gatekeeper + repr.    a2,h2  tied -> not brokered
    #   a1,h2  W H -> gatekeeper + repr.    a2,l1  W L -> gatekeeper + representative
    #   a1,l1  W L -> gatekeeper + repr.    h1,h2  H H -> itinerant
    #   h1,l1  H L -> liaison               h2,l1  H L -> liaison
    # coordinator 1, itinerant 1, gatekeeper 5, representative 5, liaison 2; 9 pairs
    assert brokerage_roles(broker_graph)["v"] == {
        "coordinator": 1,
        "itinerant": 1,
        "gatekeeper": 5,
        "representative": 5,
        "liaison": 2,
        "total": 9,
    }


@pytest.mark.parametrize("node", ["a1", "a2", "h1", "h2", "l1"])
def test_nodes_whose_partners_are_tied_or_single_broker_nothing(broker_graph, node):
    # a2's partners v and h2 are tied to each other (so are h2's); the rest have one partner
    assert brokerage_roles(broker_graph)[node] == dict.fromkeys((*ROLES, "total"), 0)


def test_gatekeeper_and_representative_are_equal_on_undirected_graphs(broker_graph):
    for counts in brokerage_roles(broker_graph).values():
        assert counts["gatekeeper"] == counts["representative"]
        assert counts["total"] == (
            counts["coordinator"] + counts["itinerant"] + counts["gatekeeper"] + counts["liaison"]
        )


def test_other_attribute(broker_graph):
    for v in broker_graph:
        broker_graph.nodes[v]["gemeente"] = "Assen"
    # everyone in one gemeente: all 9 brokered pairs of v are coordinator pairs
    assert brokerage_roles(broker_graph, attribute="gemeente")["v"]["coordinator"] == 9
