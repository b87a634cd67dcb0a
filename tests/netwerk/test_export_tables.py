import csv
import io

import pytest
from openpyxl import load_workbook

from netwerk.build import build_graph
from netwerk.export_tables import (
    EDGE_COLUMNS,
    edges_csv,
    kumu_labels,
    metrics_csv,
    nodes_csv,
    to_kumu_xlsx,
)
from netwerk.report import organisation_table


@pytest.fixture
def graph(timeline_snapshot):
    return build_graph(timeline_snapshot, scope="registry")  # E: an organisation without ties


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_nodes_csv_round_trip(graph):
    table = {r["id"]: r for r in rows(nodes_csv(graph))}
    assert set(table) == set(graph)
    assert table["A"]["sector"] == "welfare" and table["A"]["partner"] == "True"
    assert table["A"]["partner_since"] == "2018"
    assert table["B"]["lat"] == "" and table["B"]["first_seen"] == "2019-01-01"


def test_edges_csv_round_trip(graph):
    table = rows(edges_csv(graph))
    assert list(table[0]) == list(EDGE_COLUMNS)
    ties = {frozenset((r["source"], r["target"])): r for r in table}
    assert set(ties) == {frozenset(e) for e in graph.edges()}
    for (u, v), row in ((tuple(k), r) for k, r in ties.items()):
        assert float(row["weight"]) == pytest.approx(graph[u][v]["weight"])
    ad = ties[frozenset("AD")]
    assert (ad["layer_relation"], ad["relations"], ad["activities"], ad["last_year"]) == (
        "1",
        "r1",
        "",
        "2022",
    )
    assert ties[frozenset("BC")]["last_year"] == ""  # still running


def test_metrics_csv_holds_every_organisation_metric(graph):
    table = {r["id"]: r for r in rows(metrics_csv(graph))}
    expected = organisation_table(graph)
    assert set(table) == set(graph)
    assert float(table["C"]["betweenness"]) == pytest.approx(expected["C"]["betweenness"])
    assert table["C"]["brokerage_total"] == str(expected["C"]["brokerage"]["total"])
    assert {"fragmentation", "ei_index", "constraint", "community"} <= set(table["C"])


def test_metrics_csv_reuses_a_report_table(graph):
    table = organisation_table(graph)
    table["A"]["degree"] = 99
    assert rows(metrics_csv(graph, table=table))[0]["degree"] == "99"


def test_kumu_workbook(graph):
    book = load_workbook(io.BytesIO(to_kumu_xlsx(graph)))
    assert book.sheetnames == ["Elements", "Connections"]
    elements = list(book["Elements"].values)
    assert elements[0][:3] == ("Label", "Type", "Sector")  # Kumu wants Label in column A
    by_label = {row[0]: row for row in elements[1:]}
    assert set(by_label) == {"A", "B", "C", "D", "E"}
    assert by_label["A"][1:3] == ("Alliantiepartner", "welzijn")
    connections = list(book["Connections"].values)
    assert connections[0][:4] == ("From", "To", "Type", "Strength")
    ties = {frozenset(row[:2]): row for row in connections[1:]}
    assert set(ties) == {frozenset(e) for e in graph.edges()}
    assert ties[frozenset("AB")][2:4] == ("werkgroep", 1.0)
    assert ties[frozenset("AD")][2] == "relation"


def test_kumu_labels_are_unique(make):
    G = build_graph(
        make.snapshot([make.org("1", name="Humanitas"), make.org("2", name="Humanitas")]),
        scope="registry",
    )
    assert kumu_labels(G) == {"1": "Humanitas (1)", "2": "Humanitas (2)"}


@pytest.mark.parametrize("writer", [nodes_csv, edges_csv, metrics_csv])
def test_csv_written_only_with_a_path(graph, tmp_path, writer):
    path = tmp_path / "table.csv"
    writer(graph)
    assert not path.exists()
    content = writer(graph, path=path)
    assert path.read_text(encoding="utf-8") == content


def test_xlsx_written_with_a_path(graph, tmp_path):
    path = tmp_path / "kumu.xlsx"
    content = to_kumu_xlsx(graph, path=path)
    assert path.read_bytes() == content
