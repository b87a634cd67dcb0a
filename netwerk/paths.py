"""Introduction paths: "wie kan ons voorstellen?"

The path from A to B follows the strongest existing ties: it is the shortest path when
a tie's length is ``1 / weight``, so two strong ties can beat one weak direct tie.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import networkx as nx

from netwerk.centrality import tie_distance
from netwerk.errors import InvalidOption, NoPath
from netwerk.lookup import describe, require_organisation
from netwerk.messages import join_names, text


def _sentences(G: nx.Graph, path: list[Any]) -> dict[str, str]:
    names = [G.nodes[v].get("name", str(v)) for v in path]
    if len(path) == 2:
        return {
            lang: text("path_direct", lang, source=names[0], target=names[1])
            for lang in ("nl", "en")
        }
    return {
        lang: text(
            "path_via",
            lang,
            source=names[0],
            target=names[-1],
            via=join_names(names[1:-1], lang=lang, limit=len(names)),
        )
        for lang in ("nl", "en")
    }


def introduction_path(G: nx.Graph, source: Any, target: Any) -> dict[str, Any]:
    """The chain of strongest ties from ``source`` to ``target``.

    Parameters
    ----------
    G : networkx.Graph
        Collaboration graph with ``weight`` on its ties.
    source, target : organisation ids

    Returns
    -------
    dict
        ``path`` (organisations with id, name and sector), ``steps`` (each tie with
        its weight, count and layers), ``distance`` (sum of ``1/weight``),
        ``intermediaries`` and ``sentence`` (``{"nl": ..., "en": ...}``).

    Raises
    ------
    UnknownOrganisation
        If either id is not in the graph.
    InvalidOption
        If ``source`` and ``target`` are the same.
    NoPath
        If they are in separate parts of the network.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=1.0)  # weak direct tie: length 1
    >>> G.add_edge("a", "c", weight=4.0)  # two strong ties: length 0.25 + 0.25
    >>> G.add_edge("c", "b", weight=4.0)
    >>> [step["id"] for step in introduction_path(G, "a", "b")["path"]]
    ['a', 'c', 'b']
    """
    require_organisation(G, source)
    require_organisation(G, target)
    if source == target:
        raise InvalidOption("Kies twee verschillende organisaties voor een voorstelketen.")
    try:
        path = nx.dijkstra_path(G, source, target, weight=tie_distance)
    except nx.NetworkXNoPath as err:
        raise NoPath(
            G.nodes[source].get("name", source), G.nodes[target].get("name", target)
        ) from err
    steps = [
        {
            "from": a,
            "to": b,
            "weight": float(G[a][b].get("weight", 1.0)),
            "count": G[a][b].get("count"),
            "layers": G[a][b].get("layers"),
        }
        for a, b in pairwise(path)
    ]
    return {
        "path": [describe(G, v) for v in path],
        "steps": steps,
        "distance": sum(tie_distance(a, b, G[a][b]) for a, b in pairwise(path)),
        "intermediaries": len(path) - 2,
        "sentence": _sentences(G, path),
    }
