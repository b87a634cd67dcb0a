"""The steering-group report page's view model (netwerk/report_view.py)."""

from __future__ import annotations

import pytest

from netwerk.report import report
from netwerk.report_view import (
    line_chart,
    nice_step,
    report_view,
    sector_rows,
    top_brokers,
    vulnerable_points,
)


@pytest.mark.parametrize(
    ("value", "step"),
    [(0, 1), (0.4, 1), (1, 1), (1.5, 2), (3, 5), (7, 10), (21, 25), (36.5, 50), (260, 500)],
)
def test_nice_step(value, step):
    assert nice_step(value) == step


ROWS = [
    {"year": 2017, "nodes": 10, "ties": 4},
    {"year": 2018, "nodes": 20, "ties": 40},
    {"year": 2019, "nodes": 15, "ties": 30},
]


def test_line_chart_has_a_point_per_year_for_every_series():
    chart = line_chart(ROWS)
    assert [s["key"] for s in chart["series"]] == ["nodes", "ties"]
    assert all(len(s["points"].split()) == len(ROWS) for s in chart["series"])


def test_line_chart_puts_the_largest_value_highest_and_zero_on_the_axis():
    chart = line_chart(ROWS)
    x0, y0, x1, y1 = chart["plot"]
    ties = chart["series"][1]["dots"]
    assert min(d[1] for d in ties) == ties[1][1]  # 2018: 40 ties, the highest point
    assert chart["y_ticks"][0] == (y1, 0) and chart["y_ticks"][-1] == (y0, 40)
    assert [d[0] for d in ties] == [x0, (x0 + x1) / 2, x1]


def test_line_chart_labels_the_first_and_last_year():
    ticks = [year for _x, year in line_chart(ROWS)["x_ticks"]]
    assert ticks[0] == 2017 and ticks[-1] == 2019


def test_line_chart_of_nothing_still_draws():
    chart = line_chart([])
    assert chart["series"][0]["points"] == "" and chart["y_ticks"][-1][1] == 4


def test_top_brokers_by_betweenness_then_pairs(make):
    G = make.sector_graph([("a", "v"), ("v", "c"), ("c", "d")],
                          {"a": "welfare", "v": "housing", "c": "welfare", "d": "library"})  # fmt: skip
    snap = make.snapshot(
        [
            make.org(v, s)
            for v, s in (("a", "welfare"), ("v", "housing"), ("c", "welfare"), ("d", "library"))
        ],
        [make.act(f"t{i}", pair) for i, pair in enumerate(G.edges())],
    )
    names = [b["name"] for b in top_brokers(report(snap)["organisations"])]
    assert names == ["c", "v"] or names == ["v", "c"]
    assert "a" not in names and "d" not in names


def test_sector_rows_count_ties_inside_and_across_sectors(make):
    snap = make.snapshot(
        [make.org("h1", "housing"), make.org("h2", "housing"), make.org("w", "welfare")],
        [make.act("x", ["h1", "h2"]), make.act("y", ["h1", "w"])],
    )
    rows = {r["sector"]: r for r in sector_rows(report(snap)["silos"])}
    assert (rows["housing"]["internal"], rows["housing"]["external"]) == (1.0, 1.0)
    assert rows["housing"]["ei_index"] == 0.0 and rows["welfare"]["ei_index"] == 1.0


def test_vulnerable_points_are_the_articulation_points_worst_first(make):
    snap = make.snapshot(
        [make.org(v) for v in "abcde"],
        [make.act(f"t{i}", pair) for i, pair in enumerate(["ab", "bc", "cd", "de"])],
    )
    assert [v["name"] for v in vulnerable_points(report(snap)["organisations"])] == ["c", "b", "d"]


def test_report_view_has_every_part_of_the_page(timeline_snapshot):
    view = report_view(timeline_snapshot, last_year=2023)
    assert set(view) >= {"network", "brokers", "sectors", "vulnerable", "resilience",
                         "suggestions", "evolution", "chart", "links"}  # fmt: skip
    assert [r["year"] for r in view["evolution"]] == list(range(2017, 2024))
    assert len(view["chart"]["series"][0]["dots"]) == 7
    assert view["links"]["A"] == {"slug": "a", "name": "A"}
