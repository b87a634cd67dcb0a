"""The ego network of one organisation: its partners (and theirs) and how they hang together."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from netwerk.brokerage import brokerage_roles
from netwerk.centrality import structural_holes
from netwerk.errors import InvalidOption
from netwerk.lookup import describe, require_organisation
from netwerk.silos import ei_index_organisations

RADII: tuple[int, ...] = (1, 2)


def ego_network(G: nx.Graph, organisation: Any, *, radius: int = 1) -> nx.Graph:
    """The organisation with everyone within ``radius`` steps (1 or 2), and their ties.

    Examples
    --------
    >>> sorted(ego_network(nx.path_graph(5), 2))
    [1, 2, 3]
    >>> sorted(ego_network(nx.path_graph(5), 0, radius=2))
    [0, 1, 2]
    """
    require_organisation(G, organisation)
    if radius not in RADII or isinstance(radius, bool):
        raise InvalidOption(f"De straal van een egonetwerk is 1 of 2 stappen, niet {radius!r}.")
    return nx.ego_graph(G, organisation, radius=radius).copy()


def ego_summary(G: nx.Graph, organisation: Any, *, radius: int = 1) -> dict[str, Any]:
    """Figures of an organisation's ego network.

    Returns
    -------
    dict
        ``organisation``; ``radius``; ``size`` (others in the ego network) split into
        ``direct`` and ``second_step``; ``ties`` and ``density`` of the ego network;
        ``partner_density`` (how densely the others are tied among themselves);
        ``groups_without_ego`` (parts the others fall into without the organisation);
        ``sectors`` (counts among the others); the organisation's own ``ei_index``,
        ``constraint``, ``effective_size`` and ``brokerage`` (pairs it links, by role);
        ``members`` (id, name, sector, steps).

    Examples
    --------
    >>> s = ego_summary(nx.star_graph(3), 0)
    >>> s["size"], s["ties"], s["partner_density"], s["groups_without_ego"]
    (3, 3, 0.0, 3)
    """
    ego = ego_network(G, organisation, radius=radius)
    nx.set_node_attributes(ego, {v: ego.nodes[v].get("sector") for v in ego}, "sector")
    steps = nx.single_source_shortest_path_length(ego, organisation)
    others = ego.subgraph(v for v in ego if v != organisation)
    holes = structural_holes(ego)[organisation]
    return {
        "organisation": describe(G, organisation),
        "radius": radius,
        "size": len(others),
        "direct": sum(1 for d in steps.values() if d == 1),
        "second_step": sum(1 for d in steps.values() if d == 2),
        "ties": ego.number_of_edges(),
        "density": float(nx.density(ego)) if len(ego) > 1 else 0.0,
        "partner_density": float(nx.density(others)) if len(others) > 1 else 0.0,
        "groups_without_ego": nx.number_connected_components(others),
        "sectors": dict(sorted(Counter(str(others.nodes[v]["sector"]) for v in others).items())),
        "ei_index": ei_index_organisations(ego)[organisation],
        "constraint": holes["constraint"],
        "effective_size": holes["effective_size"],
        "brokerage": brokerage_roles(ego)[organisation],
        "members": [
            {**describe(G, v), "steps": steps[v]}
            for v in sorted(others, key=lambda v: (steps[v], str(v)))
        ],
    }
