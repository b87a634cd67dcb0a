import math

import networkx as nx
import pytest

from netwerk.errors import InvalidOption, UnknownOrganisation
from netwerk.suggestions import haversine_km, suggest_ties

GRONINGEN = (53.2194, 6.5665)
ASSEN = (52.9928, 6.5642)  # 25.2 km south of Groningen
EAST = (53.2194, 6.6865)  # 8.0 km east of Groningen


@pytest.fixture
def graph(make):
    # A (welfare) and B (housing) share M and N (both library); C (welfare) shares N.
    # Degrees: A 2, B 2, C 1, M 2, N 3.
    G = make.sector_graph(
        [("A", "M"), ("B", "M"), ("A", "N"), ("B", "N"), ("N", "C")],
        {"A": "welfare", "B": "housing", "C": "welfare", "M": "library", "N": "library"},
    )
    for v, (lat, lon) in {"A": GRONINGEN, "B": ASSEN, "C": EAST}.items():
        G.nodes[v].update(lat=lat, lon=lon)
    return G


def pairs(result):
    return [(s["a"]["id"], s["b"]["id"]) for s in result]


def test_scores_by_hand_without_boosts(graph):
    # (M,N) share A, B (degree 2 each): AA = 2/ln 2 = 2.885, RA = 1
    # (A,B) share M (2), N (3): AA = 1/ln 2 + 1/ln 3 = 2.353, RA = 1/2 + 1/3
    # (A,C), (B,C) share N (3): AA = 1/ln 3 = 0.910, RA = 1/3
    result = suggest_ties(graph, cross_sector_boost=0, proximity_boost=0)
    assert pairs(result) == [("M", "N"), ("A", "B"), ("A", "C"), ("B", "C")]
    assert [s["adamic_adar"] for s in result] == pytest.approx(
        [2 / math.log(2), 1 / math.log(2) + 1 / math.log(3), 1 / math.log(3), 1 / math.log(3)]
    )
    assert [s["resource_allocation"] for s in result] == pytest.approx([1, 5 / 6, 1 / 3, 1 / 3])


def test_cross_sector_boost_lifts_pairs_from_different_sectors(graph):
    # (A,B) welfare-housing: 2.353 * 1.5 = 3.529 beats (M,N) library-library: 2.885
    result = suggest_ties(graph, cross_sector_boost=0.5, proximity_boost=0)
    assert pairs(result)[:2] == [("A", "B"), ("M", "N")]
    assert result[0]["score"] == pytest.approx(1.5 * (1 / math.log(2) + 1 / math.log(3)))


def test_proximity_boost_lifts_nearby_pairs(graph):
    # (A,C) 8.0 km apart: 0.910 * (1 + 1 * (1 - 8.0/25)) = 0.910 * 1.68; (B,C) 25.2 km: no boost
    result = suggest_ties(graph, cross_sector_boost=0, proximity_boost=1, near_km=25)
    by_pair = {p: s for p, s in zip(pairs(result), result, strict=True)}
    km = haversine_km(*GRONINGEN, *EAST)
    assert by_pair[("A", "C")]["score"] == pytest.approx(1 / math.log(3) * (2 - km / 25))
    assert by_pair[("B", "C")]["score"] == pytest.approx(1 / math.log(3))


def test_reason_in_plain_dutch_and_english(graph):
    first = suggest_ties(graph)[0]
    assert first["reason"]["nl"] == (
        "werken allebei samen met M en N; verschillende sectoren "
        "(welzijn en wonen); 25 km uit elkaar"
    )
    assert first["reason"]["en"] == (
        "both work with M and N; different sectors (welfare and housing); 25 km apart"
    )


def test_reason_without_coordinates_leaves_out_the_distance(graph):
    result = suggest_ties(graph, cross_sector_boost=0, proximity_boost=0)
    assert result[0]["reason"]["nl"] == "werken allebei samen met A en B"
    assert result[0]["distance_km"] is None


def test_suggestions_for_one_organisation(graph):
    # (C,B): other sector: 0.910 * 1.5 = 1.365
    # (C,A): same sector, 8.0 km: 0.910 * (1 + 0.5 * (1 - 8.0/25)) = 0.910 * 1.34 = 1.219
    result = suggest_ties(graph, organisation="C")
    assert pairs(result) == [("C", "B"), ("C", "A")]
    assert result[1]["reason"]["nl"] == "werken allebei samen met N; 8 km uit elkaar"


def test_limit(graph):
    assert len(suggest_ties(graph, limit=2)) == 2


def test_connected_pairs_are_never_suggested():
    assert suggest_ties(nx.complete_graph(5)) == []


def test_resource_allocation_ranking(graph):
    result = suggest_ties(
        graph, method="resource_allocation", cross_sector_boost=0, proximity_boost=0
    )
    assert result[0]["score"] == pytest.approx(1.0)


def test_haversine_known_distance():
    # Groningen - Assen, about 25 km as the crow flies
    assert haversine_km(*GRONINGEN, *ASSEN) == pytest.approx(25.2, abs=0.1)


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"organisation": "Z"}, UnknownOrganisation),
        ({"method": "jaccard"}, InvalidOption),
        ({"limit": 0}, InvalidOption),
        ({"limit": True}, InvalidOption),
        ({"cross_sector_boost": -1}, InvalidOption),
        ({"near_km": 0}, InvalidOption),
    ],
)
def test_bad_options(graph, options, error):
    with pytest.raises(error):
        suggest_ties(graph, **options)
