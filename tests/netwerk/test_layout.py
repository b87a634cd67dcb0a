"""Positions for drawing the network (netwerk/layout.py): deterministic, in bounds, readable."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from netwerk.layout import HEIGHT, WIDTH, layout


def graph_with_loners() -> nx.Graph:
    G = nx.karate_club_graph()
    G = nx.relabel_nodes(G, {v: f"k{v:02d}" for v in G})
    G.add_edge("p1", "p2")
    for name, partner in (("z-loner", False), ("a-loner", False), ("partner", True)):
        G.add_node(name, partner=partner, name=name, sector="other")
    return G


def test_the_same_graph_gives_the_same_picture():
    assert layout(graph_with_loners()) == layout(graph_with_loners())


def test_another_seed_gives_another_picture():
    assert layout(graph_with_loners(), seed=1) != layout(graph_with_loners(), seed=2)


def test_every_organisation_is_placed_inside_the_canvas():
    pos = layout(graph_with_loners())
    assert set(pos) == set(graph_with_loners())
    assert all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in pos.values())


def test_loners_stand_in_a_band_below_everyone_with_ties_partners_first():
    G = graph_with_loners()
    pos = layout(G)
    lowest_tied = max(pos[v][1] for v in G if G.degree(v))
    loners = sorted((v for v in G if not G.degree(v)), key=lambda v: pos[v][0])
    assert all(pos[v][1] > lowest_tied for v in loners)
    assert loners == ["partner", "a-loner", "z-loner"]


def test_the_largest_part_gets_the_most_room():
    G = graph_with_loners()
    pos = layout(G)
    big = [pos[v] for v in G if v.startswith("k")]
    spread = max(x for x, _ in big) - min(x for x, _ in big)
    small = math.dist(pos["p1"], pos["p2"])
    assert spread > 3 * small > 0


def test_the_largest_part_runs_left_to_right():
    pos = layout(nx.path_graph(12))
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    assert max(xs) - min(xs) > max(ys) - min(ys)


def test_organisations_do_not_sit_on_top_of_each_other():
    pos = layout(nx.karate_club_graph())
    closest = min(math.dist(pos[a], pos[b]) for a in pos for b in pos if a < b)
    assert closest > 5  # pixels on a 1000 × 700 canvas


@pytest.mark.parametrize("G", [nx.Graph(), nx.empty_graph(4)])
def test_graphs_without_ties(G):
    pos = layout(G)
    assert len(pos) == len(G)
    assert all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in pos.values())
