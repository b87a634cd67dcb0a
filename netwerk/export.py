"""Graph file exports: GraphML, GEXF with time for Gephi, and Cytoscape JSON.

Every function returns the file as bytes or str, and writes it only when ``path`` is
given. GraphML and GEXF hold scalar attributes only, so list and dict attributes are
flattened: ``activities`` and ``relations`` become ``;``-separated ids, the per-layer
counts become ``layer_<kind>`` columns, and ``None`` values are left out.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import networkx as nx

from netwerk.build import LAYERS
from netwerk.report import jsonable

NODE_KEYS: tuple[str, ...] = (
    "name",
    "slug",
    "sector",
    "gemeente",
    "gemeente_code",
    "partner",
    "partner_since",
    "lat",
    "lon",
    "first_seen",
)
EDGE_KEYS: tuple[str, ...] = ("weight", "distance", "count", "first_year", "last_year")


def write_output(content: bytes | str, path: str | Path | None) -> None:
    """Write ``content`` to ``path`` when a path is given (bytes as-is, text as UTF-8).

    Examples
    --------
    >>> write_output("nothing happens", None)
    """
    if path is None:
        return
    if isinstance(content, bytes):
        Path(path).write_bytes(content)
    else:
        Path(path).write_text(content, encoding="utf-8")


def flat_edge(data: dict[str, Any]) -> dict[str, Any]:
    """Scalar edge attributes: ids joined by ``;`` and one ``layer_<kind>`` count per layer.

    Examples
    --------
    >>> flat_edge({"weight": 2.0, "layers": {"werkgroep": 2}, "activities": ["a1", "a2"],
    ...            "last_year": None})["activities"]
    'a1;a2'
    """
    flat = {k: data[k] for k in EDGE_KEYS if data.get(k) is not None}
    layers = data.get("layers") or {}
    flat.update({f"layer_{layer}": int(layers.get(layer, 0)) for layer in LAYERS})
    flat["activities"] = ";".join(data.get("activities") or [])
    flat["relations"] = ";".join(data.get("relations") or [])
    return flat


def flat_graph(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` with scalar attributes only (``None`` left out), labels = names.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", name="Acantus", lat=None)
    >>> flat_graph(G).nodes["a"]
    {'label': 'Acantus', 'name': 'Acantus'}
    """
    H = nx.Graph(**{k: v for k, v in G.graph.items() if isinstance(v, str | int | float)})
    for v, data in G.nodes(data=True):
        attrs = {k: data[k] for k in NODE_KEYS if data.get(k) is not None}
        H.add_node(v, label=str(data.get("name", v)), **attrs)
    for u, v, data in G.edges(data=True):
        H.add_edge(u, v, **flat_edge(data))
    return H


def to_graphml(G: nx.Graph, *, path: str | Path | None = None) -> bytes:
    """GraphML (UTF-8 bytes) of the graph with flattened attributes.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=2.0, layers={"werkgroep": 2}, activities=["x", "y"])
    >>> H = nx.read_graphml(io.BytesIO(to_graphml(G)))
    >>> H["a"]["b"]["weight"], H["a"]["b"]["layer_werkgroep"], H["a"]["b"]["activities"]
    (2.0, 2, 'x;y')
    """
    buffer = io.BytesIO()
    nx.write_graphml(flat_graph(G), buffer, encoding="utf-8")
    content = buffer.getvalue()
    write_output(content, path)
    return content


def _time_graph(G: nx.Graph) -> nx.Graph:
    H = flat_graph(G)
    H.graph["mode"] = "dynamic"
    for v in H:
        seen = G.nodes[v].get("first_seen")
        if seen is not None:
            H.nodes[v]["start"] = seen
        H.nodes[v].pop("first_seen", None)
    for u, v, data in G.edges(data=True):
        spells = [
            (s.isoformat() if s else None, e.isoformat() if e else None)
            for s, e in data.get("spells") or []
        ]
        if spells and spells != [(None, None)]:
            H[u][v]["spells"] = spells
    return H


def to_gexf(G: nx.Graph, *, path: str | Path | None = None) -> bytes:
    """GEXF 1.2 in dynamic mode, so Gephi's timeline can play the network's history.

    Organisations start at ``first_seen`` (no end); each tie gets one ``spell`` per
    period it existed (ISO dates, ``timeformat="date"``). A missing start means the
    tie was always there; a missing end that it is still running. Build ``G`` without
    ``at``/``year`` to export the whole history.

    Examples
    --------
    >>> import datetime as dt
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=1.0, spells=[(dt.date(2021, 1, 1), None)])
    >>> b'<spell start="2021-01-01"' in to_gexf(G)
    True
    """
    buffer = io.BytesIO()
    nx.write_gexf(_time_graph(G), buffer, encoding="utf-8")
    content = buffer.getvalue()
    write_output(content, path)
    return content


def to_cytoscape_json(G: nx.Graph, *, path: str | Path | None = None) -> str:
    """Cytoscape.js JSON (``nx.cytoscape_data``); lists and dicts are kept as JSON.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", name="Acantus")
    >>> json.loads(to_cytoscape_json(G))["elements"]["nodes"][0]["data"]["name"]
    'Acantus'
    """
    H = nx.Graph(**jsonable(G.graph))
    H.add_nodes_from((v, jsonable(data)) for v, data in G.nodes(data=True))
    H.add_edges_from((u, v, jsonable(data)) for u, v, data in G.edges(data=True))
    content = json.dumps(nx.cytoscape_data(H), ensure_ascii=False)
    write_output(content, path)
    return content
