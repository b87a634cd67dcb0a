"""Small shared guards and labels for functions that take an organisation id."""

from __future__ import annotations

from typing import Any

import networkx as nx

from netwerk.errors import UnknownOrganisation


def require_organisation(G: nx.Graph, organisation: Any) -> Any:
    """Return ``organisation`` if it is a node of ``G``; raise ``UnknownOrganisation`` if not.

    Examples
    --------
    >>> require_organisation(nx.Graph([("a", "b")]), "a")
    'a'
    """
    try:
        known = organisation in G
    except TypeError:  # unhashable input such as a list
        known = False
    if not known:
        raise UnknownOrganisation(organisation)
    return organisation


def describe(G: nx.Graph, organisation: Any) -> dict[str, Any]:
    """Id, name and sector of an organisation, for results a person reads.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", name="Acantus", sector="housing")
    >>> describe(G, "a")
    {'id': 'a', 'name': 'Acantus', 'sector': 'housing'}
    """
    data = G.nodes[organisation]
    return {
        "id": organisation,
        "name": data.get("name", str(organisation)),
        "sector": data.get("sector"),
    }
