"""How the network changed year by year (from 2017, when the alliance took shape)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from data.snapshot import NetworkSnapshot
from netwerk.build import graphs_per_year
from netwerk.communities import DEFAULT_SEED, detect_communities
from netwerk.errors import InvalidOption
from netwerk.metrics import component_sizes
from netwerk.timeline import FIRST_YEAR, check_year

FIRST_EVOLUTION_YEAR = 2017
_ALLOWED = ("layers", "weighting", "half_life", "scope")


def _tie_set(G: nx.Graph) -> set[tuple[str, str]]:
    return {(min(u, v), max(u, v)) for u, v in G.edges()}


def year_figures(G: nx.Graph, previous: nx.Graph, *, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Figures of one year's graph ``G`` compared with the year before (``previous``).

    Examples
    --------
    >>> before, now = nx.Graph([("a", "b")]), nx.Graph([("b", "c")])
    >>> f = year_figures(now, before)
    >>> f["newcomers"], f["new_ties"], f["lost_ties"]
    (['c'], 1, 1)
    """
    ties, old = _tie_set(G), _tie_set(previous)
    sizes = component_sizes(G)
    return {
        "nodes": G.number_of_nodes(),
        "ties": G.number_of_edges(),
        "density": float(nx.density(G)) if len(G) > 1 else 0.0,
        "newcomers": sorted(v for v in G if v not in previous),
        "new_ties": len(ties - old),
        "lost_ties": len(old - ties),
        "largest_component": sizes[0] if sizes else 0,
        "communities": sum(1 for c in detect_communities(G, seed=seed) if len(c) > 1),
    }


def evolution(
    snapshot: NetworkSnapshot,
    *,
    first_year: int = FIRST_EVOLUTION_YEAR,
    last_year: int | None = None,
    seed: int = DEFAULT_SEED,
    **graph_options: Any,
) -> list[dict[str, Any]]:
    """The network per year: size, ties, density, newcomers, lost ties, parts, groups.

    A year's network holds the ties whose activity or relation overlaps that year (see
    ``build_graph(year=...)``); newcomers and lost ties compare with the year before.

    Parameters
    ----------
    snapshot : NetworkSnapshot
    first_year, last_year : int
        The years to cover; ``last_year`` defaults to the current year.
    seed : int
        Seed for community detection.
    **graph_options
        Passed to ``build_graph`` (layers, weighting, half_life, scope).

    Returns
    -------
    list of dict
        One row per year: year, nodes, ties, density, newcomers (ids), new_ties,
        lost_ties, largest_component, communities.

    Examples
    --------
    >>> from data.snapshot import ActivityRecord, NetworkSnapshot, OrgNode
    >>> orgs = tuple(OrgNode(i, i, i, "welfare", False, None, None, None, None, None) for i in "ab")
    >>> act = ActivityRecord("w", "w", "werkgroep", "W", None, "2018", "2019", "t",
    ...                      (("a", "lead"), ("b", "member")))
    >>> rows = evolution(NetworkSnapshot(1, orgs, (act,), ()), first_year=2017, last_year=2020)
    >>> [(r["year"], r["ties"], r["lost_ties"]) for r in rows]
    [(2017, 0, 0), (2018, 1, 0), (2019, 1, 0), (2020, 0, 1)]
    """
    for key in graph_options:
        if key not in _ALLOWED:
            raise InvalidOption(
                f"Optie '{key}' past niet bij de ontwikkeling per jaar (die kiest zelf het jaar). "
                f"Kies uit: {', '.join(_ALLOWED)}."
            )
    last = check_year(dt.date.today().year if last_year is None else last_year)
    first = check_year(first_year)
    if first > last:
        raise InvalidOption(f"first_year ({first}) ligt na last_year ({last}).")
    years = range(first - 1 if first > FIRST_YEAR else first, last + 1)
    graphs = graphs_per_year(snapshot, years, attributes=False, **graph_options)
    previous = next(graphs)[1] if first > FIRST_YEAR else nx.Graph()
    rows = []
    for year, G in graphs:
        rows.append({"year": year, **year_figures(G, previous, seed=seed)})
        previous = G
    return rows
