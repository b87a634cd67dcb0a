import pytest

from netwerk.errors import InvalidOption, YearOutOfRange
from netwerk.evolution import evolution


def test_evolution_by_hand(timeline_snapshot):
    # 2018: A (partner) and C with the undated congres A-C
    # 2019: w1 brings B (newcomer) and A-B;            ties A-B, A-C
    # 2020: w1 runs until June: nothing changes
    # 2021: w1 gone (A-B lost), p1 brings B-C;           ties A-C, B-C
    # 2022: r1 brings D (newcomer) and A-D;             ties A-C, A-D, B-C
    rows = evolution(timeline_snapshot, first_year=2019, last_year=2022)
    assert [r["year"] for r in rows] == [2019, 2020, 2021, 2022]
    assert [r["nodes"] for r in rows] == [3, 3, 3, 4]
    assert [r["ties"] for r in rows] == [2, 2, 2, 3]
    assert [r["newcomers"] for r in rows] == [["B"], [], [], ["D"]]
    assert [r["new_ties"] for r in rows] == [1, 0, 1, 1]
    assert [r["lost_ties"] for r in rows] == [0, 0, 1, 0]
    assert [r["largest_component"] for r in rows] == [3, 3, 3, 4]
    assert [r["density"] for r in rows] == pytest.approx([2 / 3, 2 / 3, 2 / 3, 3 / 6])


def test_evolution_counts_communities(timeline_snapshot):
    # 2022 is the path D-A-C-B (m = 3): {D,A} + {C,B} scores 2 * (1/3 - (3/6)^2) = 1/6,
    # better than one group (0), so there are two communities
    rows = evolution(timeline_snapshot, first_year=2022, last_year=2022)
    assert rows[0]["communities"] == 2


def test_evolution_passes_graph_options(timeline_snapshot):
    rows = evolution(timeline_snapshot, first_year=2022, last_year=2022, layers=["relation"])
    # only r1 counts: A-D; A is a partner, D had a tie by 2022; B and C never have one
    assert (rows[0]["nodes"], rows[0]["ties"]) == (2, 1)


def test_evolution_defaults_to_2017_until_this_year(timeline_snapshot):
    rows = evolution(timeline_snapshot)
    assert rows[0]["year"] == 2017
    assert len(rows) >= 9  # 2017 .. at least 2025


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"first_year": 2022, "last_year": 2020}, InvalidOption, "ligt na"),
        ({"first_year": 1800}, YearOutOfRange, "valt buiten"),
        ({"at": "2021-01-01"}, InvalidOption, "kiest zelf het jaar"),
        ({"year": 2021}, InvalidOption, "kiest zelf het jaar"),
    ],
)
def test_bad_options(timeline_snapshot, options, error, message):
    with pytest.raises(error, match=message):
        evolution(timeline_snapshot, **options)
