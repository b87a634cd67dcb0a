"""Round trips: what netwerk writes, networkx (and a second reader) reads back the same."""

import io
import json
import xml.etree.ElementTree as ET

import igraph as ig
import networkx as nx
import pytest

from netwerk.build import LAYERS, build_graph
from netwerk.export import to_cytoscape_json, to_gexf, to_graphml

GEXF = "{http://www.gexf.net/1.2draft}"


@pytest.fixture
def graph(timeline_snapshot):
    G = build_graph(timeline_snapshot)
    G.nodes["A"].update(lat=53.2194, lon=6.5665, gemeente="Groningen")
    return G


def assert_same_ties(G, H):
    ours = {frozenset(e): d["weight"] for *e, d in G.edges(data=True)}
    theirs = {frozenset(e): float(d["weight"]) for *e, d in H.edges(data=True)}
    assert theirs == pytest.approx(ours)


def test_graphml_round_trip_with_networkx(graph):
    H = nx.read_graphml(io.BytesIO(to_graphml(graph)))
    assert set(H) == set(graph)
    assert_same_ties(graph, H)
    assert H.nodes["A"]["name"] == "A" and H.nodes["A"]["sector"] == "welfare"
    assert H.nodes["A"]["partner"] is True and H.nodes["A"]["partner_since"] == 2018
    assert H.nodes["A"]["lat"] == pytest.approx(53.2194)
    assert "lat" not in H.nodes["B"]  # unknown values are left out, not written as text
    tie = H["A"]["B"]
    assert (tie["count"], tie["activities"], tie["layer_werkgroep"], tie["first_year"]) == (
        1,
        "w1",
        1,
        2019,
    )
    assert {f"layer_{layer}" for layer in LAYERS} <= set(tie)


def test_graphml_read_by_igraph(graph, tmp_path):
    path = tmp_path / "netwerk.graphml"
    to_graphml(graph, path=path)
    H = ig.Graph.Read_GraphML(str(path))  # igraph reads from a real file only
    assert H.vcount() == graph.number_of_nodes() and H.ecount() == graph.number_of_edges()
    ids = H.vs["id"]
    ties = {frozenset((ids[e.source], ids[e.target])): e["weight"] for e in H.es}
    assert ties == {frozenset(e): d for *e, d in graph.edges(data="weight")}
    assert dict(zip(ids, H.vs["sector"], strict=True)) == dict(graph.nodes(data="sector"))


def test_gexf_round_trip_with_networkx(graph):
    H = nx.read_gexf(io.BytesIO(to_gexf(graph)))
    assert set(H) == set(graph)
    assert_same_ties(graph, H)
    assert H.graph["mode"] == "dynamic"
    assert H.nodes["B"]["sector"] == "housing" and H.nodes["B"]["start"] == "2019-01-01"
    # project p1 is still running; networkx's reader turns the missing end into "None"
    assert H["B"]["C"]["spells"][0][0] == "2021-03-01"


def test_gexf_dynamic_attributes_in_the_xml(graph):
    root = ET.fromstring(to_gexf(graph))
    graph_element = root.find(f"{GEXF}graph")
    assert (graph_element.get("mode"), graph_element.get("timeformat")) == ("dynamic", "date")
    nodes = {n.get("id"): n for n in graph_element.iter(f"{GEXF}node")}
    assert nodes["D"].get("start") == "2022-01-01"  # tie r1 before the partnership in 2023
    assert nodes["A"].get("start") is None  # the undated congres: always there
    spells = {
        frozenset((e.get("source"), e.get("target"))): [
            (s.get("start"), s.get("end")) for s in e.iter(f"{GEXF}spell")
        ]
        for e in graph_element.iter(f"{GEXF}edge")
    }
    assert spells[frozenset("AB")] == [("2019-01-01", "2020-06-30")]
    assert spells[frozenset("AD")] == [("2022-01-01", "2022-12-31")]
    assert spells[frozenset("BC")] == [("2021-03-01", None)]  # still running: no end
    assert spells[frozenset("AC")] == []  # no dates at all: no spell, always present


def test_cytoscape_round_trip(graph):
    data = json.loads(to_cytoscape_json(graph))
    H = nx.cytoscape_graph(data)
    assert set(H) == set(graph)
    assert_same_ties(graph, H)
    assert H["A"]["B"]["layers"] == {"werkgroep": 1}
    assert H["A"]["B"]["spells"] == [["2019-01-01", "2020-06-30"]]
    assert H.nodes["A"]["gemeente"] == "Groningen"


@pytest.mark.parametrize(
    ("writer", "mode"), [(to_graphml, "rb"), (to_gexf, "rb"), (to_cytoscape_json, "r")]
)
def test_writes_the_file_only_when_a_path_is_given(graph, tmp_path, writer, mode):
    path = tmp_path / "netwerk.out"
    content = writer(graph, path=path)
    with open(path, mode) as handle:
        assert handle.read() == content
