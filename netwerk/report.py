"""One JSON-ready bundle of every analysis, for the steering-group report and the API.

``report`` is cached per ``(snapshot.version, options)`` in a small LRU. The data
version changes on every write to the registry, so a new snapshot never meets a stale
result; as a second guard a hit is only used when the cached snapshot equals the one
passed in. The returned dict is shared between callers: treat it as read-only.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import OrderedDict
from typing import Any

import networkx as nx
import numpy as np

from data.snapshot import NetworkSnapshot
from netwerk.brokerage import brokerage_roles
from netwerk.build import build_graph, check_layers
from netwerk.centrality import APPROX_THRESHOLD, DEFAULT_SEED, organisation_metrics, sample_size
from netwerk.communities import compare_with_sectors, detect_communities, membership
from netwerk.ego import ego_summary
from netwerk.errors import InvalidOption
from netwerk.evolution import FIRST_EVOLUTION_YEAR, evolution
from netwerk.lookup import describe, require_organisation
from netwerk.messages import BROKERAGE_CONVENTION, EXPLANATIONS, text
from netwerk.metrics import network_summary
from netwerk.resilience import articulation_points, bridges, fragmentation, minimum_cuts
from netwerk.silos import (
    ei_index_network,
    ei_index_organisations,
    ei_index_sectors,
    mixing_matrix,
    sector_assortativity,
)
from netwerk.suggestions import suggest_ties
from netwerk.timeline import as_date

CACHE_SIZE = 16
DEFAULTS: dict[str, Any] = {
    "layers": None,
    "weighting": "count",
    "half_life": None,
    "reference": None,
    "at": None,
    "year": None,
    "scope": "network",
    "seed": DEFAULT_SEED,
    "betweenness_k": None,
    "approx_threshold": APPROX_THRESHOLD,
    "suggestions": 25,
    "first_year": FIRST_EVOLUTION_YEAR,
    "last_year": None,
    "organisation": None,
}
_GRAPH_KEYS = ("layers", "weighting", "half_life", "reference", "at", "year", "scope")
_EVOLUTION_KEYS = ("layers", "weighting", "half_life", "scope")

_cache: OrderedDict[tuple[Any, ...], tuple[NetworkSnapshot, dict[str, Any]]] = OrderedDict()
_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every cached report.

    Examples
    --------
    >>> clear_cache()
    """
    with _lock:
        _cache.clear()


def normalize_options(options: dict[str, Any]) -> dict[str, Any]:
    """Fill in defaults and make options comparable: the cache key depends on this.

    Values that default to "today" (the recency reference, the last evolution year)
    are fixed here, so a cached report is never reused across the day they depend on.

    Examples
    --------
    >>> normalize_options({"layers": ["relation", "werkgroep"]})["layers"]
    ('werkgroep', 'relation')
    """
    unknown = sorted(set(options) - set(DEFAULTS))
    if unknown:
        raise InvalidOption(
            f"Onbekende optie(s) {', '.join(unknown)}. Kies uit: {', '.join(DEFAULTS)}."
        )
    opts = {**DEFAULTS, **options}
    if opts["layers"] is not None:
        opts["layers"] = check_layers(opts["layers"])
    for key in ("at", "reference"):
        if opts[key] is not None:
            opts[key] = as_date(opts[key]).isoformat()
    today = dt.date.today()
    if opts["half_life"] is not None and opts["at"] is None and opts["year"] is None:
        opts["reference"] = opts["reference"] or today.isoformat()
    opts["last_year"] = today.year if opts["last_year"] is None else opts["last_year"]
    try:
        hash(tuple(opts.values()))
    except TypeError as err:
        raise InvalidOption(
            "Opties zijn losse waarden (tekst, getal, datum) of, bij layers, een lijst tekst."
        ) from err
    return opts


def jsonable(value: Any) -> Any:
    """Plain JSON values: str keys, lists, finite floats (NaN/inf become ``None``).

    Examples
    --------
    >>> jsonable({1: (float("nan"), np.float64(0.5), dt.date(2021, 1, 1))})
    {'1': [None, 0.5, '2021-01-01']}
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [jsonable(v) for v in items]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def organisation_table(
    G: nx.Graph,
    *,
    seed: int = DEFAULT_SEED,
    betweenness_k: int | None = None,
    approx_threshold: int = APPROX_THRESHOLD,
    communities: list[list[Any]] | None = None,
) -> dict[Any, dict[str, Any]]:
    """Everything known per organisation: attributes, positions, brokerage, silo, resilience.

    Examples
    --------
    >>> table = organisation_table(nx.path_graph(3))
    >>> table[1]["betweenness"], table[1]["brokerage"]["total"], table[1]["fragmentation"]
    (1.0, 1, 1.0)
    """
    if communities is None:
        communities = detect_communities(G, seed=seed)
    metrics = organisation_metrics(
        G, betweenness_k=betweenness_k, approx_threshold=approx_threshold, seed=seed
    )
    roles, ei, frag = brokerage_roles(G), ei_index_organisations(G), fragmentation(G)
    cut_points, group = set(articulation_points(G)), membership(communities)
    keep = ("name", "slug", "sector", "gemeente", "partner", "partner_since", "first_seen")
    return {
        v: {
            **{k: G.nodes[v].get(k) for k in keep},
            **metrics[v],
            "brokerage": roles[v],
            "ei_index": ei[v],
            "fragmentation": frag[v],
            "articulation_point": v in cut_points,
            "community": group.get(v),
        }
        for v in G
    }


def _betweenness_note(G: nx.Graph, opts: dict[str, Any]) -> dict[str, Any]:
    k = sample_size(G, k=opts["betweenness_k"], approx_threshold=opts["approx_threshold"])
    if k is None:
        return {
            "exact": True,
            "k": None,
            **{lang: text("betweenness_exact", lang) for lang in ("nl", "en")},
        }
    return {
        "exact": False,
        "k": k,
        **{
            lang: text("betweenness_sampled", lang, k=k, seed=opts["seed"], n=len(G))
            for lang in ("nl", "en")
        },
    }


def _resilience(G: nx.Graph) -> dict[str, Any]:
    cuts = minimum_cuts(G)
    if cuts["edge_cut"] is not None:
        cuts["edge_cut"] = [[describe(G, u), describe(G, v)] for u, v in cuts["edge_cut"]]
    if cuts["node_cut"] is not None:
        cuts["node_cut"] = [describe(G, v) for v in cuts["node_cut"]]
    return {
        "articulation_points": [describe(G, v) for v in articulation_points(G)],
        "bridges": [[describe(G, u), describe(G, v)] for u, v in bridges(G)],
        **cuts,
    }


def _silos(G: nx.Graph, communities: list[list[Any]], seed: int) -> dict[str, Any]:
    return {
        "mixing_matrix": mixing_matrix(G),
        "ei_index": {"network": ei_index_network(G), "sectors": ei_index_sectors(G)},
        "assortativity": sector_assortativity(G),
        "communities": compare_with_sectors(G, seed=seed, communities=communities),
    }


def _focus(G: nx.Graph, organisation: Any, opts: dict[str, Any]) -> dict[str, Any]:
    return {
        "ego": {str(r): ego_summary(G, organisation, radius=r) for r in (1, 2)},
        "suggestions": suggest_ties(G, organisation=organisation, limit=opts["suggestions"]),
    }


def _compute(snapshot: NetworkSnapshot, opts: dict[str, Any]) -> dict[str, Any]:
    G = build_graph(snapshot, **{k: opts[k] for k in _GRAPH_KEYS})
    if opts["organisation"] is not None:  # fail before the slow part
        require_organisation(G, opts["organisation"])
    communities = detect_communities(G, seed=opts["seed"])
    result = {
        "meta": {
            "snapshot_version": snapshot.version,
            "options": opts,
            "betweenness": _betweenness_note(G, opts),
            "brokerage_convention": BROKERAGE_CONVENTION,
        },
        "explanations": EXPLANATIONS,
        "network": network_summary(G, communities=communities),
        "organisations": organisation_table(
            G,
            seed=opts["seed"],
            betweenness_k=opts["betweenness_k"],
            approx_threshold=opts["approx_threshold"],
            communities=communities,
        ),
        "silos": _silos(G, communities, opts["seed"]),
        "resilience": _resilience(G),
        "suggestions": suggest_ties(G, limit=opts["suggestions"]),
        "evolution": evolution(
            snapshot,
            first_year=opts["first_year"],
            last_year=opts["last_year"],
            seed=opts["seed"],
            **{k: opts[k] for k in _EVOLUTION_KEYS},
        ),
    }
    if opts["organisation"] is not None:
        result["focus"] = _focus(G, opts["organisation"], opts)
    return jsonable(result)


def report(snapshot: NetworkSnapshot, **options: Any) -> dict[str, Any]:
    """Every analysis of the network in one JSON-serialisable dict (cached).

    Parameters
    ----------
    snapshot : NetworkSnapshot
    **options
        Graph options (layers, weighting, half_life, reference, at, year,
        scope; see ``build_graph``), ``seed`` (communities, sampling),
        ``betweenness_k`` and ``approx_threshold`` (sampled betweenness, used
        automatically above ``approx_threshold`` organisations), ``suggestions``
        (how many), ``first_year``/``last_year`` (evolution) and ``organisation``
        (adds ``focus``: its ego networks and suggestions).

    Returns
    -------
    dict
        ``meta``, ``explanations``, ``network``, ``organisations`` (keyed by id, with
        names), ``silos``, ``resilience``, ``suggestions``, ``evolution`` and
        optionally ``focus``. Shared with other callers: do not modify it.

    Examples
    --------
    >>> from data.snapshot import NetworkSnapshot
    >>> report(NetworkSnapshot(0, (), (), ()), last_year=2017)["network"]["nodes"]
    0
    """
    opts = normalize_options(options)
    key = (snapshot.version, *((k, opts[k]) for k in DEFAULTS))
    with _lock:
        hit = _cache.get(key)
        if hit is not None and (hit[0] is snapshot or hit[0] == snapshot):
            _cache.move_to_end(key)
            return hit[1]
    result = _compute(snapshot, opts)
    with _lock:
        _cache[key] = (snapshot, result)
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result
