"""Table exports: CSV node and edge lists, a CSV of all metrics, and a Kumu workbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from openpyxl import Workbook

from netwerk.build import LAYERS
from netwerk.export import NODE_KEYS, flat_edge, write_output
from netwerk.messages import sector_label
from netwerk.report import organisation_table

EDGE_COLUMNS: tuple[str, ...] = (
    "source",
    "target",
    "source_name",
    "target_name",
    "weight",
    "distance",
    "count",
    "first_year",
    "last_year",
    *(f"layer_{layer}" for layer in LAYERS),
    "activities",
    "relations",
)


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return buffer.getvalue()


def nodes_csv(G: nx.Graph, *, path: str | Path | None = None) -> str:
    """Node list as CSV: ``id`` then the organisation attributes (empty = unknown).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", name="Acantus", sector="housing")
    >>> nodes_csv(G).splitlines()[1]
    'a,Acantus,,housing,,,,,,,'
    """
    content = _csv(
        ("id", *NODE_KEYS), ([v, *(d.get(k) for k in NODE_KEYS)] for v, d in G.nodes(data=True))
    )
    write_output(content, path)
    return content


def edges_csv(G: nx.Graph, *, path: str | Path | None = None) -> str:
    """Edge list as CSV: both ids and names, weight, counts per layer, activity ids.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=2.0, count=2)
    >>> next(csv.DictReader(io.StringIO(edges_csv(G))))["weight"]
    '2.0'
    """

    def row(u: Any, v: Any, data: dict[str, Any]) -> list[Any]:
        flat = flat_edge(data)
        names = [G.nodes[u].get("name", u), G.nodes[v].get("name", v)]
        return [u, v, *names, *(flat.get(c) for c in EDGE_COLUMNS[4:])]

    content = _csv(EDGE_COLUMNS, (row(u, v, d) for u, v, d in G.edges(data=True)))
    write_output(content, path)
    return content


def _flat_metrics(entry: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in entry.items() if k != "brokerage"}
    for role, count in (entry.get("brokerage") or {}).items():
        flat[f"brokerage_{role}"] = count
    return flat


def metrics_csv(
    G: nx.Graph,
    *,
    table: dict[Any, dict[str, Any]] | None = None,
    path: str | Path | None = None,
    **options: Any,
) -> str:
    """All per-organisation metrics as CSV, one row per organisation.

    Pass the ``organisations`` part of a ``report`` as ``table`` to reuse it; otherwise
    it is computed with ``organisation_table(G, **options)``.

    Examples
    --------
    >>> rows = list(csv.DictReader(io.StringIO(metrics_csv(nx.path_graph(3)))))
    >>> rows[1]["id"], rows[1]["degree"], rows[1]["brokerage_total"]
    ('1', '2', '1')
    """
    if table is None:
        table = organisation_table(G, **options)
    flat = {v: _flat_metrics(entry) for v, entry in table.items()}
    columns = list(dict.fromkeys(k for entry in flat.values() for k in entry))
    content = _csv(
        ("id", *columns), ([v, *(entry.get(c) for c in columns)] for v, entry in flat.items())
    )
    write_output(content, path)
    return content


def kumu_labels(G: nx.Graph) -> dict[Any, str]:
    """Unique Kumu labels: the name, or "name (slug)" when two organisations share a name.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("1", name="Humanitas", slug="humanitas-groningen")
    >>> G.add_node("2", name="Humanitas", slug="humanitas-assen")
    >>> kumu_labels(G)
    {'1': 'Humanitas (humanitas-groningen)', '2': 'Humanitas (humanitas-assen)'}
    """
    names = {v: str(G.nodes[v].get("name", v)) for v in G}
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    return {
        v: name if seen[name] == 1 else f"{name} ({G.nodes[v].get('slug', v)})"
        for v, name in names.items()
    }


def _main_layer(layers: dict[str, int]) -> str:
    return min(layers, key=lambda layer: (-layers[layer], LAYERS.index(layer))) if layers else ""


KUMU_ELEMENTS: tuple[str, ...] = (
    "Label", "Type", "Sector", "Gemeente", "Partner since", "ID", "Slug", "Latitude", "Longitude",
)  # fmt: skip
KUMU_CONNECTIONS: tuple[str, ...] = (
    "From", "To", "Type", "Strength", "Count", "Layers", "Activities", "First year", "Last year",
)  # fmt: skip


def _element(label: str, v: Any, d: dict[str, Any]) -> list[Any]:
    kind = "Alliantiepartner" if d.get("partner") else "Organisatie"
    sector = sector_label(str(d.get("sector")))
    return [label, kind, sector, d.get("gemeente"), d.get("partner_since"), str(v),
            d.get("slug"), d.get("lat"), d.get("lon")]  # fmt: skip


def _connection(labels: dict[Any, str], u: Any, v: Any, d: dict[str, Any]) -> list[Any]:
    layers = d.get("layers") or {}
    return [labels[u], labels[v], _main_layer(layers), d.get("weight"), d.get("count"),
            "|".join(layers), "|".join(d.get("activities") or []), d.get("first_year"),
            d.get("last_year")]  # fmt: skip


def to_kumu_xlsx(G: nx.Graph, *, path: str | Path | None = None) -> bytes:
    """A Kumu import workbook: sheets "Elements" and "Connections".

    Elements: Label (first column, as Kumu requires), Type (partner or not), Sector,
    Gemeente, Partner since, ID, Slug, Latitude, Longitude. Connections: From, To
    (labels), Type (the layer with most shared activities), Strength (weight), Count,
    Layers and Activities (``|``-separated, Kumu's multi-value separator), First year,
    Last year.

    Examples
    --------
    >>> from openpyxl import load_workbook
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=2.0, layers={"werkgroep": 2})
    >>> load_workbook(io.BytesIO(to_kumu_xlsx(G))).sheetnames
    ['Elements', 'Connections']
    """
    labels = kumu_labels(G)
    book = Workbook()
    elements = book.active
    elements.title = "Elements"
    elements.append(list(KUMU_ELEMENTS))
    for v, d in G.nodes(data=True):
        elements.append(_element(labels[v], v, d))
    connections = book.create_sheet("Connections")
    connections.append(list(KUMU_CONNECTIONS))
    for u, v, d in G.edges(data=True):
        connections.append(_connection(labels, u, v, d))
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    write_output(content, path)
    return content
