import datetime as dt
import math

import pytest

from netwerk.build import LAYERS, build_graph, check_layers, graphs_per_year
from netwerk.errors import (
    InvalidDate,
    InvalidOption,
    InvalidSnapshot,
    UnknownLayer,
    YearOutOfRange,
)


def ties(G):
    return sorted(tuple(sorted(e)) for e in G.edges())


# --- nodes and ties -----------------------------------------------------------------------


def test_every_organisation_is_a_node_with_its_attributes(make):
    G = build_graph(
        make.snapshot(
            [make.org("A", "housing", partner=True, since=2019, lat=53.2, lon=6.5, name="Acantus")]
        )
    )
    assert dict(G.nodes["A"]) == {
        "name": "Acantus",
        "slug": "a",
        "sector": "housing",
        "gemeente": None,
        "gemeente_code": None,
        "partner": True,
        "partner_since": 2019,
        "lat": 53.2,
        "lon": 6.5,
        "first_seen": "2019-01-01",
    }


def test_activity_is_projected_onto_every_pair_of_participants(make):
    snap = make.snapshot([make.org(x) for x in "ABCD"], [make.act("w", "ABC")])
    assert ties(build_graph(snap)) == [("A", "B"), ("A", "C"), ("B", "C")]


def test_tie_keeps_layers_activities_relations_and_years(make):
    snap = make.snapshot(
        [make.org("A"), make.org("B")],
        [
            make.act("w1", "AB", start="2018", end="2019"),
            make.act("w2", "AB", start="2020-05", end="2021"),
            make.act("p1", "AB", kind="project", start="2022", end="2022"),
        ],
        [make.rel("r1", "B", "A", since="2019")],
    )
    tie = build_graph(snap)["A"]["B"]
    assert tie["layers"] == {"project": 1, "relation": 1, "werkgroep": 2}
    assert tie["activities"] == ["p1", "w1", "w2"]
    assert tie["relations"] == ["r1"]
    assert tie["count"] == 4
    assert (tie["first_year"], tie["last_year"]) == (2018, None)  # r1 is still running
    # w1 2018-2019, r1 2019-open and w2 overlap; together one open period
    assert tie["spells"] == [(dt.date(2018, 1, 1), None)]


def test_unknown_start_gives_unknown_first_year(make):
    snap = make.snapshot(
        [make.org("A"), make.org("B")], [make.act("c", "AB", start=None, end="2020")]
    )
    assert build_graph(snap)["A"]["B"]["first_year"] is None


def test_duplicate_participant_counts_once_and_lone_participant_gives_no_tie(make):
    snap = make.snapshot(
        [make.org("A"), make.org("B")], [make.act("w", ["A", "A", "B"]), make.act("solo", ["A"])]
    )
    G = build_graph(snap, weighting="newman")
    assert ties(G) == [("A", "B")]
    assert G["A"]["B"]["weight"] == 1.0  # 2 distinct participants: 1/(2-1)


# --- weighting --------------------------------------------------------------------------------


@pytest.fixture
def weighting_snapshot(make):
    # werkgroep A,B,C (3 participants) and congres A,B,C,D,E (5 participants)
    orgs = [make.org(x) for x in "ABCDE"]
    return make.snapshot(
        orgs,
        [make.act("w", "ABC"), make.act("c", "ABCDE", kind="congres")],
        [make.rel("r", "D", "E", strength=2.5)],
    )


@pytest.mark.parametrize(
    ("weighting", "pair", "weight"),
    [
        ("count", ("A", "B"), 2.0),  # two shared activities
        ("count", ("A", "D"), 1.0),  # only the congres
        ("count", ("D", "E"), 3.5),  # congres 1 + relation strength 2.5
        ("newman", ("A", "B"), 0.75),  # werkgroep 1/(3-1) + congres 1/(5-1) = 0.5 + 0.25
        ("newman", ("A", "D"), 0.25),  # congres only: 1/4
        ("newman", ("D", "E"), 2.75),  # congres 1/4 + relation 2.5
    ],
)
def test_weighting_known_answers(weighting_snapshot, weighting, pair, weight):
    G = build_graph(weighting_snapshot, weighting=weighting)
    assert G[pair[0]][pair[1]]["weight"] == pytest.approx(weight)
    assert G[pair[0]][pair[1]]["distance"] == pytest.approx(1 / weight)


def test_recency_fades_old_activities(make):
    # half-life 2 years, reference 2023-12-31:
    # ended 2019-12-31: 1461 days = 4 years -> 0.5**2 = 0.25
    # ended 2015-12-31: 2922 days = 8 years -> 0.5**4 = 0.0625
    # still running: age 0 -> 1
    snap = make.snapshot(
        [make.org(x) for x in "ABC"],
        [
            make.act("old", "AB", start="2018", end="2019"),
            make.act("older", "AB", start="2014", end="2015"),
            make.act("now", "AC", start="2020", end=None),
        ],
    )
    G = build_graph(snap, half_life=2, reference="2023-12-31")
    assert G["A"]["B"]["weight"] == pytest.approx(0.25 + 0.0625)
    assert G["A"]["C"]["weight"] == pytest.approx(1.0)
    assert G.graph["reference"] == "2023-12-31"


def test_recency_combines_with_newman(make):
    # 3 participants: 1/2, ended 4 years before the reference: x 0.25 -> 0.125
    snap = make.snapshot(
        [make.org(x) for x in "ABC"], [make.act("w", "ABC", start="2019", end="2019")]
    )
    G = build_graph(snap, weighting="newman", half_life=2, reference=dt.date(2023, 12, 31))
    assert G["A"]["B"]["weight"] == pytest.approx(0.125)


def test_recency_reference_defaults_to_the_end_of_the_year(make):
    # year=2019 -> reference 2019-12-31; the activity ends that very day, so its age is 0
    snap = make.snapshot([make.org(x) for x in "AB"], [make.act("w", "AB", start=None, end="2019")])
    G = build_graph(snap, year=2019, half_life=1)
    assert G.graph["reference"] == "2019-12-31"
    assert G["A"]["B"]["weight"] == 1.0  # ends on the reference date: age 0


# --- layers --------------------------------------------------------------------------------


def test_layers_select_the_kinds_of_ties(weighting_snapshot):
    G = build_graph(weighting_snapshot, layers=["werkgroep"])
    assert ties(G) == [("A", "B"), ("A", "C"), ("B", "C")]
    assert G["A"]["B"]["weight"] == 1.0


def test_layers_combine(weighting_snapshot):
    G = build_graph(weighting_snapshot, layers=("werkgroep", "relation"))
    assert ties(G) == [("A", "B"), ("A", "C"), ("B", "C"), ("D", "E")]
    assert G.graph["layers"] == "werkgroep,relation"


def test_single_layer_as_text(weighting_snapshot):
    assert ties(build_graph(weighting_snapshot, layers="relation")) == [("D", "E")]


def test_unknown_activity_kind_counts_as_other(make):
    snap = make.snapshot([make.org("A"), make.org("B")], [make.act("x", "AB", kind="lunch")])
    assert ties(build_graph(snap, layers=["other"])) == [("A", "B")]


def test_check_layers_default_is_all():
    assert check_layers(None) == LAYERS


# --- time slicing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "nodes", "expected"),
    [
        # w1 runs to 2020-06-30 inclusive; c1 has no dates (always); B came in 2019
        ("2020-06-30", ["A", "B", "C"], [("A", "B"), ("A", "C")]),
        # w1 ended: B stays on the map (it had a tie by then) but has no tie now
        ("2020-07-01", ["A", "B", "C"], [("A", "C")]),
        # before anything with a date: only the undated congres; A is a partner since 2018
        ("2018-06-01", ["A", "C"], [("A", "C")]),
        # D: tie r1 in 2022 and partner since 2023; E never has a tie
        ("2023-05-01", ["A", "B", "C", "D"], [("A", "C"), ("B", "C")]),
    ],
)
def test_network_at_a_date(timeline_snapshot, at, nodes, expected):
    G = build_graph(timeline_snapshot, at=at)
    assert sorted(G) == nodes
    assert ties(G) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2019, [("A", "B"), ("A", "C")]),
        (2020, [("A", "B"), ("A", "C")]),  # w1 overlaps the first half of 2020
        (2021, [("A", "C"), ("B", "C")]),
        (2022, [("A", "C"), ("A", "D"), ("B", "C")]),  # r1 covers all of 2022
    ],
)
def test_network_per_year(timeline_snapshot, year, expected):
    assert ties(build_graph(timeline_snapshot, year=year)) == expected


def test_without_window_every_organisation_and_tie(timeline_snapshot):
    G = build_graph(timeline_snapshot, scope="registry")
    assert sorted(G) == ["A", "B", "C", "D", "E"]
    assert ties(G) == [("A", "B"), ("A", "C"), ("A", "D"), ("B", "C")]


def test_partner_with_unknown_since_is_always_present(make):
    snap = make.snapshot([make.org("P", partner=True, since=None)])
    assert list(build_graph(snap, year=2000)) == ["P"]


def test_first_seen_is_partnership_or_first_tie(timeline_snapshot):
    G = build_graph(timeline_snapshot, scope="registry")
    seen = dict(G.nodes(data="first_seen"))
    # A and C share the undated congres (always), B's first tie is 2019, D's tie 2022
    # comes before its partnership (2023), E never appears
    assert seen == {"A": None, "B": "2019-01-01", "C": None, "D": "2022-01-01", "E": None}


def test_scope_partners(timeline_snapshot):
    G = build_graph(timeline_snapshot, scope="partners")
    assert sorted(G) == ["A", "D"]
    assert ties(G) == [("A", "D")]


def test_scope_network_leaves_out_organisations_without_tie_or_partnership(timeline_snapshot):
    # E has no tie and is no partner: a registry entry, not part of the alliance at work
    assert sorted(build_graph(timeline_snapshot)) == ["A", "B", "C", "D"]
    assert sorted(build_graph(timeline_snapshot, scope="registry")) == ["A", "B", "C", "D", "E"]


def test_scope_network_keeps_a_partner_without_ties(timeline_snapshot):
    # D's only tie is a relation: without that layer D is a partner on its own
    G = build_graph(timeline_snapshot, layers=["werkgroep", "project", "congres"])
    assert sorted(G) == ["A", "B", "C", "D"] and G.degree("D") == 0


def test_scope_network_counts_ties_in_the_chosen_layers_only(timeline_snapshot):
    # B's ties are a werkgroep and a project; with only the congres layer B has none
    assert sorted(build_graph(timeline_snapshot, layers=["congres"])) == ["A", "C", "D"]


def test_unknown_scope_is_refused(timeline_snapshot):
    with pytest.raises(InvalidOption, match="scope"):
        build_graph(timeline_snapshot, scope="everyone")


def test_graphs_per_year_equal_build_graph_per_year(timeline_snapshot):
    for year, G in graphs_per_year(timeline_snapshot, range(2017, 2024), weighting="newman"):
        H = build_graph(timeline_snapshot, year=year, weighting="newman")
        assert sorted(G.nodes(data=True)) == sorted(H.nodes(data=True))
        assert sorted(G.edges(data="weight")) == sorted(H.edges(data="weight"))


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"layers": ["werkgroep", "lunch"]}, UnknownLayer, "Laag 'lunch' bestaat niet"),
        ({"layers": []}, InvalidOption, "minstens één laag"),
        ({"weighting": "jaccard"}, InvalidOption, "Weging 'jaccard' bestaat niet"),
        ({"half_life": -1}, InvalidOption, "positief aantal jaren"),
        ({"half_life": 0}, InvalidOption, "positief aantal jaren"),
        ({"half_life": math.nan}, InvalidOption, "positief aantal jaren"),
        ({"half_life": "2"}, InvalidOption, "getal"),
        ({"year": 1850}, YearOutOfRange, "valt buiten het bereik"),
        ({"year": 3000}, YearOutOfRange, "valt buiten het bereik"),
        ({"year": 2021, "at": "2021-05-01"}, InvalidOption, "niet allebei"),
        ({"at": "2021"}, InvalidDate, "year="),
        ({"reference": "morgen", "half_life": 1}, InvalidDate, "geen geldige datum"),
    ],
)
def test_bad_options_raise_clear_errors(timeline_snapshot, options, error, message):
    with pytest.raises(error, match=message):
        build_graph(timeline_snapshot, **options)


@pytest.mark.parametrize(
    ("acts", "rels", "message"),
    [
        ([("w", "AZ", "2021")], [], "onbekende organisatie 'Z'"),
        ([("w", "AB", "2021-13")], [], "Activiteit 'w': '2021-13' is geen geldige datum"),
        ([], [("r", "A", "A", 1.0)], "twee verschillende bekende organisaties"),
        ([], [("r", "A", "Z", 1.0)], "twee verschillende bekende organisaties"),
        ([], [("r", "A", "B", 0.0)], "sterkte 0.0"),
    ],
)
def test_bad_snapshot_records_raise(make, acts, rels, message):
    snap = make.snapshot(
        [make.org("A"), make.org("B")],
        [make.act(i, m, start=s) for i, m, s in acts],
        [make.rel(i, a, b, strength=w) for i, a, b, w in rels],
    )
    with pytest.raises(InvalidSnapshot, match=message):
        build_graph(snap)
