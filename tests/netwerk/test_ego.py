import pytest

from netwerk.ego import ego_network, ego_summary
from netwerk.errors import InvalidOption, UnknownOrganisation


def test_ego_network_radius_one(broker_graph):
    assert sorted(ego_network(broker_graph, "a2")) == ["a2", "h2", "v"]


def test_ego_network_radius_two(broker_graph):
    assert sorted(ego_network(broker_graph, "a1", radius=2)) == ["a1", "a2", "h1", "h2", "l1", "v"]


def test_ego_network_is_a_copy(broker_graph):
    ego_network(broker_graph, "v").remove_node("a1")
    assert "a1" in broker_graph


def test_ego_summary_of_the_centre_by_hand(broker_graph):
    s = ego_summary(broker_graph, "v")
    assert s["organisation"] == {"id": "v", "name": "V", "sector": "welfare"}
    assert (s["size"], s["direct"], s["second_step"], s["ties"]) == (5, 5, 0, 6)
    assert s["density"] == pytest.approx(6 / 15)  # 6 of C(6,2) = 15 possible ties
    assert s["partner_density"] == pytest.approx(1 / 10)  # only a2-h2 of C(5,2) = 10
    assert s["groups_without_ego"] == 4  # {a1}, {a2, h2}, {h1}, {l1}
    assert s["sectors"] == {"housing": 2, "library": 1, "welfare": 2}
    assert s["ei_index"] == pytest.approx(0.2)  # (3 - 2) / 5
    assert s["brokerage"]["total"] == 9
    # constraint: p = 1/5 each; a2 and h2 share each other: (1/5 + 1/5 * 1/2)^2 twice,
    # the other three (1/5)^2: 2 * 0.09 + 3 * 0.04 = 0.3
    assert s["constraint"] == pytest.approx(0.3)
    # effective size: 5 partners minus redundancy 1/5 for a2 and for h2 -> 4.6
    assert s["effective_size"] == pytest.approx(4.6)


def test_ego_summary_radius_two_counts_steps(broker_graph):
    s = ego_summary(broker_graph, "a1", radius=2)
    assert (s["direct"], s["second_step"]) == (1, 4)
    assert [m["id"] for m in s["members"]][:1] == ["v"]
    assert {m["steps"] for m in s["members"][1:]} == {2}


def test_unknown_organisation(broker_graph):
    with pytest.raises(UnknownOrganisation, match="Organisatie 'nope' staat niet in het netwerk"):
        ego_summary(broker_graph, "nope")


@pytest.mark.parametrize("radius", [0, 3, True, 1.5])
def test_bad_radius(broker_graph, radius):
    with pytest.raises(InvalidOption, match="straal"):
        ego_network(broker_graph, "v", radius=radius)
