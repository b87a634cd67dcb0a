import math

import networkx as nx
import pytest

from netwerk.communities import (
    compare_with_sectors,
    detect_communities,
    membership,
    modularity,
    normalized_mutual_information,
    sector_community_table,
)


@pytest.fixture
def two_triangles(make):
    # triangles a-b-c (housing) and d-e-f (welfare) joined by the single tie c-d
    edges = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]
    sectors = {**dict.fromkeys("abc", "housing"), **dict.fromkeys("def", "welfare")}
    return make.sector_graph(edges, sectors)


def test_detects_the_two_triangles(two_triangles):
    assert detect_communities(two_triangles) == [["a", "b", "c"], ["d", "e", "f"]]


def test_detection_is_deterministic_with_a_seed():
    G = nx.connected_watts_strogatz_graph(120, 6, 0.3, seed=1)
    assert detect_communities(G, seed=9) == detect_communities(G, seed=9)


def test_empty_graph_has_no_communities():
    assert detect_communities(nx.Graph()) == []


def test_modularity_of_the_two_triangles_by_hand(two_triangles):
    # m = 7; each triangle: 3 inner ties, degree sum 7 -> 3/7 - (7/14)^2 = 3/7 - 1/4
    # Q = 2 * (3/7 - 1/4) = 5/14
    assert modularity(two_triangles, [["a", "b", "c"], ["d", "e", "f"]]) == pytest.approx(5 / 14)


def test_modularity_without_ties_is_undefined():
    assert modularity(nx.empty_graph(3), [[0], [1], [2]]) is None


def test_membership():
    assert membership([["a", "b"], ["c"]]) == {"a": 0, "b": 0, "c": 1}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (["x", "x", "y", "y"], [1, 1, 2, 2], 1.0),  # same split, other names
        (["x", "y", "x", "y"], [1, 1, 2, 2], 0.0),  # independent
        (["x", "x", "x"], [5, 5, 5], 1.0),  # both one group
        # H(a) = ln 2 = 0.693147; H(b) = -(3/4 ln 3/4 + 1/4 ln 1/4) = 0.562335
        # I = 1/2 ln(4/3) + 1/4 ln(2/3) + 1/4 ln 2 = 0.215762
        # NMI = 2 * 0.215762 / (0.693147 + 0.562335) = 0.431524 / 1.255482 = 0.343711
        (["x", "x", "y", "y"], [1, 1, 1, 2], 0.343711),
    ],
)
def test_nmi_by_hand(a, b, expected):
    assert normalized_mutual_information(a, b) == pytest.approx(expected, abs=1e-5)


def test_nmi_needs_equal_lengths():
    with pytest.raises(ValueError, match="even veel"):
        normalized_mutual_information([1, 2], [1])


def test_sector_community_table(two_triangles):
    two_triangles.nodes["c"]["sector"] = "welfare"
    assert sector_community_table(two_triangles, [["a", "b", "c"], ["d", "e", "f"]]) == {
        "housing": {0: 2, 1: 0},
        "welfare": {0: 1, 1: 3},
    }


def test_communities_that_match_sectors(two_triangles):
    result = compare_with_sectors(two_triangles)
    assert [c["crosses_sectors"] for c in result["communities"]] == [False, False]
    assert result["nmi"] == pytest.approx(1.0)
    assert result["count"] == 2
    assert result["modularity"] == pytest.approx(5 / 14)


def test_community_that_crosses_sectors(two_triangles):
    two_triangles.nodes["c"]["sector"] = "library"
    first = compare_with_sectors(two_triangles)["communities"][0]
    assert first["sectors"] == {"housing": 2, "library": 1}
    assert first["crosses_sectors"] is True


def test_nmi_when_communities_ignore_sectors(two_triangles):
    # sectors alternate inside both triangles: a, c, e -> housing; b, d, f -> welfare
    for v, s in zip("abcdef", ["housing", "welfare"] * 3, strict=True):
        two_triangles.nodes[v]["sector"] = s
    # joint counts (h,0)=2, (w,0)=1, (h,1)=1, (w,1)=2: I = 2/3 ln(4/3) + 1/3 ln(2/3)
    info = 2 / 3 * math.log(4 / 3) + 1 / 3 * math.log(2 / 3)
    assert compare_with_sectors(two_triangles)["nmi"] == pytest.approx(2 * info / (2 * math.log(2)))
