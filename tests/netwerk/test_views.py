"""View models of the network pages and the graph API (netwerk/views.py), on small snapshots."""

from __future__ import annotations

import networkx as nx
import pytest

from netwerk import views
from netwerk.build import build_graph
from netwerk.errors import InvalidOption, UnknownLayer
from netwerk.report import report


@pytest.fixture(autouse=True)
def _fresh_views_cache():
    views.clear_cache()
    yield
    views.clear_cache()


@pytest.fixture
def small(make):
    """A–B–C tied (welfare, housing, library); D a partner without ties; E neither."""
    orgs = [
        make.org("A", partner=True),
        make.org("B", "housing"),
        make.org("C", "library"),
        make.org("D", "funds", partner=True),
        make.org("E", "media"),
    ]
    acts = [make.act("w1", "AB", start="2019", end="2019"), make.act("p1", "BC", start="2021")]
    return make.snapshot(orgs, acts)


def ids(data):
    return sorted(n["id"] for n in data["nodes"])


def test_graph_data_holds_every_organisation_and_tie_of_the_graph(small):
    data = views.graph_data(small, scope="registry")
    G = build_graph(small, scope="registry")
    assert ids(data) == sorted(G)
    assert len(data["links"]) == G.number_of_edges() == 2
    assert data["graph"]["shown"] == {"nodes": 5, "links": 2}


def test_graph_data_is_node_link_json_with_positions_and_metrics(small):
    node = next(n for n in views.graph_data(small, scope="registry")["nodes"] if n["id"] == "B")
    assert node["degree"] == 2
    assert node["betweenness"] == pytest.approx(1 / 6)  # on the A–C route: 1 of 6 pairs of others
    assert 0 <= node["x"] <= views.WIDTH and 0 <= node["y"] <= views.HEIGHT
    assert node["colour_sector"] == views.SECTOR_COLOURS["housing"]


@pytest.mark.parametrize(
    ("isolates", "shown", "hidden"),
    [("all", "ABCDE", 0), ("partners", "ABCD", 1), ("none", "ABC", 2)],
)
def test_isolates_option_decides_which_loners_are_shown(small, isolates, shown, hidden):
    data = views.graph_data(small, isolates=isolates, scope="registry")
    assert ids(data) == list(shown)
    assert data["graph"]["hidden"] == hidden


def test_sector_filter_keeps_those_sectors_and_the_ties_among_them(small):
    data = views.graph_data(small, scope="registry", sectors=["housing", "library"])
    assert ids(data) == ["B", "C"]
    assert [(link["source"], link["target"]) for link in data["links"]] == [("B", "C")]
    # the figures stay those of the whole network
    assert data["graph"]["summary"]["nodes"] == 5


def test_year_changes_the_ties_but_not_the_positions(small):
    whole, y2019 = views.graph_data(small, scope="registry"), views.graph_data(small, year=2019)
    assert [(link["source"], link["target"]) for link in y2019["links"]] == [("A", "B")]
    place = {n["id"]: (n["x"], n["y"]) for n in whole["nodes"]}
    assert all(place[n["id"]] == (n["x"], n["y"]) for n in y2019["nodes"])


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"isolates": "some"}, InvalidOption),
        ({"sectors": ["bakery"]}, InvalidOption),
        ({"layers": ["bogus"]}, UnknownLayer),
        ({"weighting": "bogus"}, InvalidOption),
        ({"half_life": 0}, InvalidOption),
    ],
)
def test_bad_options_raise_network_errors(small, options, error):
    with pytest.raises(error):
        views.graph_data(small, **options)


def test_graph_data_is_memoised_per_version_and_options(small, make):
    first = views.graph_data(small, year=2021)
    assert views.graph_data(small, year=2021) is first
    assert views.graph_data(small, year=2019) is not first
    newer = make.snapshot(small.organisations, small.activities[:1], version=2)
    assert len(views.graph_data(newer, year=2021)["links"]) == 0


def test_a_changed_snapshot_with_the_same_version_is_not_served_from_the_cache(small, make):
    views.graph_data(small)
    changed = make.snapshot(small.organisations, small.activities[:1])  # also version 1
    assert len(views.graph_data(changed)["links"]) == 1


def test_network_graph_is_build_graph(small):
    assert nx.utils.graphs_equal(
        views.network_graph(small, year=2019), build_graph(small, year=2019)
    )


def test_table_rows_sort_numbers_largest_first_and_names_alphabetically(small):
    table = report(small, scope="registry")["organisations"]
    assert [r["name"] for r in views.table_rows(table, sort="-degree")][:1] == ["B"]
    assert [r["name"] for r in views.table_rows(table, sort="name")] == list("ABCDE")
    assert [r["name"] for r in views.table_rows(table, sort="-name")] == list("EDCBA")


def test_table_rows_put_unknown_values_last():
    table = {
        "x": {"name": "X", "degree": 1, "betweenness": None, "partner": False},
        "y": {"name": "Y", "degree": 1, "betweenness": 0.5, "partner": False},
    }
    assert [r["name"] for r in views.table_rows(table, sort="betweenness")] == ["Y", "X"]
    assert [r["name"] for r in views.table_rows(table, sort="-betweenness")] == ["Y", "X"]


def test_table_rows_filter_like_the_graph(small):
    table = report(small, scope="registry")["organisations"]
    rows = views.table_rows(table, isolates="partners", sectors=["welfare", "funds", "media"])
    assert [r["name"] for r in rows] == ["A", "D"]


@pytest.mark.parametrize("sort", ["bogus", "-bogus", "gemeente"])
def test_unknown_sort_key_is_an_invalid_option(sort):
    with pytest.raises(InvalidOption):
        views.check_sort(sort)


@pytest.mark.parametrize(
    ("current", "column", "expected"),
    [
        ("-betweenness", "betweenness", "betweenness"),
        ("betweenness", "betweenness", "-betweenness"),
        ("-betweenness", "degree", "-degree"),
        ("-degree", "name", "name"),
        ("name", "name", "-name"),
        ("-degree", "sector", "sector"),
    ],
)
def test_next_sort_flips_the_current_column_and_starts_others(current, column, expected):
    assert views.next_sort(current, column) == expected


def test_table_view_counts_the_loners_it_leaves_out(small):
    view = views.table_view(small, isolates="partners", scope="registry")
    assert [r["name"] for r in view["rows"]][:1] == ["B"]
    assert view["hidden"] == 1
    assert view["network"]["nodes"] == 5


def test_communities_of_one_are_grey():
    colours = views.community_colours(
        {"a": {"community": 0}, "b": {"community": 0}, "c": {"community": 1}}
    )
    assert colours == {0: views.COMMUNITY_COLOURS[0], 1: views.LONE_COLOUR}


def test_every_sector_has_a_colour():
    from data.vocab import SECTORS

    assert set(views.SECTOR_COLOURS) == set(SECTORS)
    assert len(set(views.SECTOR_COLOURS.values())) == len(SECTORS)


@pytest.mark.parametrize("fmt", views.EXPORT_FORMATS)
def test_every_export_format_gives_content(small, fmt):
    content = views.export(small, fmt)
    assert isinstance(content, bytes | str) and len(content) > 0


def test_metrics_export_uses_the_report_of_the_same_options(small):
    rows = views.export(small, "metrics.csv", year=2019).splitlines()
    assert len(rows) == 1 + len(build_graph(small, year=2019))


def test_unknown_export_format_is_an_invalid_option(small):
    with pytest.raises(InvalidOption):
        views.export(small, "pdf")
