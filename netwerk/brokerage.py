"""Brokerage roles after Gould & Fernandez (1989), by sector, on an undirected graph.

For every organisation ``v`` and every pair ``a``, ``c`` of its partners that do not
work together themselves (a path ``a – v – c`` with ``a`` and ``c`` not adjacent),
the sectors of ``a``, ``v`` and ``c`` decide ``v``'s role:

=================  =============================  ====================================
role               sectors                         in words
=================  =============================  ====================================
coordinator        a = v = c                       brokers inside its own sector
itinerant          a = c ≠ v                       outsider brokering for one sector
                                                   (Gould & Fernandez's "consultant")
gatekeeper         a ≠ v = c                       lets an outsider into its sector
representative     a = v ≠ c                       takes its sector to an outsider
liaison            a ≠ v, c ≠ v, a ≠ c             links two other sectors
=================  =============================  ====================================

Convention for undirected ties: a tie counts in both directions, and each unordered
pair ``{a, c}`` is counted once. When exactly one of ``a``, ``c`` shares ``v``'s sector
the path is a gatekeeper path one way and a representative path the other way, so that
pair adds 1 to both ``gatekeeper`` and ``representative`` (on an undirected graph the
two counts are therefore always equal) and 1 to ``total``. ``total`` is the number of
brokered pairs: coordinator + itinerant + gatekeeper + liaison.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

ROLES: tuple[str, ...] = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


def classify(a: object, v: object, c: object) -> tuple[str, ...]:
    """The role(s) of the middle of an undirected path whose ends have groups ``a``, ``c``.

    Examples
    --------
    >>> classify("welfare", "welfare", "welfare")
    ('coordinator',)
    >>> classify("housing", "welfare", "welfare")
    ('gatekeeper', 'representative')
    >>> classify("housing", "welfare", "library")
    ('liaison',)
    """
    if a == v == c:
        return ("coordinator",)
    if a == c:
        return ("itinerant",)
    if v in (a, c):
        return ("gatekeeper", "representative")
    return ("liaison",)


def brokerage_roles(G: nx.Graph, *, attribute: str = "sector") -> dict[Any, dict[str, int]]:
    """Count each organisation's brokerage roles (see the module text for the convention).

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph; every node needs ``attribute``.
    attribute : str
        The node attribute that defines the groups (default: sector).

    Returns
    -------
    dict
        ``{organisation: {role: count, ..., "total": count}}`` for every node.

    Examples
    --------
    >>> G = nx.Graph([("a", "v"), ("v", "c")])
    >>> nx.set_node_attributes(G, {"a": "housing", "v": "welfare", "c": "housing"}, "sector")
    >>> brokerage_roles(G)["v"]
    {'coordinator': 0, 'itinerant': 1, 'gatekeeper': 0, 'representative': 0, 'liaison': 0, 'total': 1}
    """
    group = dict(G.nodes(data=attribute))
    result: dict[Any, dict[str, int]] = {}
    for v in G:
        counts = dict.fromkeys((*ROLES, "total"), 0)
        partners = [u for u in G[v] if u != v]
        for i, a in enumerate(partners):
            for c in partners[i + 1 :]:
                if c in G[a]:
                    continue
                for role in classify(group[a], group[v], group[c]):
                    counts[role] += 1
                counts["total"] += 1
        result[v] = counts
    return result
