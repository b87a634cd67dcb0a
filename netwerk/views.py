"""View models of the network pages and the graph API: nodes with positions, table rows.

Nothing here computes a new network figure; it shapes the results of ``netwerk.report``
and ``build_graph`` for people to look at. Results depend only on the snapshot and the
options, so they are memoised per ``(snapshot.version, options)`` like the report; a
hit is only used when the cached snapshot equals the one passed in. Returned values are
shared between callers: treat them as read-only.

Positions (``netwerk.layout``) come from the whole network (all layers, all years), so
an organisation stays in the same place when a filter or the year changes. The
steering-group report page is shaped in ``netwerk.report_view``.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

from data.snapshot import NetworkSnapshot
from data.vocab import SECTOR_COLOURS
from netwerk.build import build_graph
from netwerk.errors import InvalidOption
from netwerk.export import to_cytoscape_json, to_gexf, to_graphml
from netwerk.export_tables import edges_csv, metrics_csv, nodes_csv, to_kumu_xlsx
from netwerk.layout import HEIGHT, WIDTH, layout
from netwerk.report import jsonable, normalize_options, report

GRAPH_KEYS = ("layers", "weighting", "half_life", "reference", "at", "year", "scope")
ISOLATES: tuple[str, ...] = ("all", "partners", "none")
NODE_METRICS: tuple[str, ...] = (
    "degree", "weighted_degree", "betweenness", "eigenvector", "closeness", "core_number",
    "brokerage_total", "ei_index", "fragmentation",
)  # fmt: skip
SIZE_METRICS: tuple[str, ...] = (
    "betweenness", "degree", "weighted_degree", "eigenvector", "closeness", "core_number",
    "brokerage_total", "fragmentation",
)  # fmt: skip
TABLE_METRICS: tuple[str, ...] = (
    "degree", "weighted_degree", "betweenness", "eigenvector", "brokerage_total",
)  # fmt: skip
SORT_KEYS: tuple[str, ...] = ("name", "sector", *TABLE_METRICS)
#: Sort keys with their direction: ``"-betweenness"`` is largest first.
SORT_VALUES: tuple[str, ...] = (*SORT_KEYS, *(f"-{key}" for key in SORT_KEYS))
KEY_FIGURES: tuple[str, ...] = (
    "nodes", "ties", "density", "components", "largest_component", "average_degree",
    "average_clustering", "degree_centralization", "modularity", "communities",
)  # fmt: skip
ORGANISATION_METRICS: tuple[str, ...] = (
    "degree", "weighted_degree", "betweenness", "betweenness_weighted", "closeness",
    "harmonic", "eigenvector", "core_number", "clustering", "constraint", "effective_size",
    "ei_index", "fragmentation",
)  # fmt: skip
#: Decimals to show per figure (whole numbers are shown as they are).
DIGITS: dict[str, int] = {
    "density": 3, "average_degree": 1, "average_clustering": 2, "transitivity": 2,
    "degree_centralization": 2, "modularity": 2, "weighted_degree": 1, "betweenness": 3,
    "betweenness_weighted": 3, "closeness": 2, "harmonic": 1, "eigenvector": 3,
    "clustering": 2, "constraint": 2, "effective_size": 1, "ei_index": 2, "fragmentation": 3,
    "assortativity": 2, "nmi": 2,
}  # fmt: skip
EXPORT_FORMATS: tuple[str, ...] = (
    "graphml", "gexf", "cytoscape", "kumu", "nodes.csv", "edges.csv", "metrics.csv",
)  # fmt: skip

#: One colour per sector (the table and tooltips name the sector too: colour is never the
#: only cue).
COMMUNITY_COLOURS: tuple[str, ...] = (
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442",
    "#6a3d9a", "#b15928", "#33a02c",
)  # fmt: skip
LONE_COLOUR = "#c8c8c8"  # an organisation that forms no group with others

_CACHE_SIZE = 32
_cache: OrderedDict[tuple[Any, ...], tuple[NetworkSnapshot, Any]] = OrderedDict()
_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every memoised view.

    Examples
    --------
    >>> clear_cache()
    """
    with _lock:
        _cache.clear()


def _memo(snapshot: NetworkSnapshot, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    full = (snapshot.version, *key)
    with _lock:
        hit = _cache.get(full)
        if hit is not None and (hit[0] is snapshot or hit[0] == snapshot):
            _cache.move_to_end(full)
            return hit[1]
    value = compute()
    with _lock:
        _cache[full] = (snapshot, value)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def _graph_options(options: dict[str, Any]) -> dict[str, Any]:
    opts = normalize_options(options)
    return {k: opts[k] for k in GRAPH_KEYS}


def network_graph(snapshot: NetworkSnapshot, **options: Any) -> nx.Graph:
    """``build_graph(snapshot, **options)``, memoised (do not modify the result).

    Examples
    --------
    >>> network_graph(NetworkSnapshot(0, (), (), ()), year=2021).number_of_nodes()
    0
    """
    opts = _graph_options(options)
    return _memo(snapshot, ("graph", *opts.values()), lambda: build_graph(snapshot, **opts))


def positions(snapshot: NetworkSnapshot) -> dict[Any, tuple[float, float]]:
    """Positions of every organisation in the whole network (memoised per version).

    Examples
    --------
    >>> positions(NetworkSnapshot(0, (), (), ()))
    {}
    """
    return _memo(snapshot, ("positions",), lambda: layout(build_graph(snapshot)))


# --- nodes, ties and table rows ------------------------------------------------------


def _check_filters(sectors: Iterable[str] | None, isolates: str) -> frozenset[str] | None:
    if isolates not in ISOLATES:
        raise InvalidOption(f"isolates '{isolates}' bestaat niet. Kies uit: {', '.join(ISOLATES)}.")
    if sectors is None:
        return None
    chosen = frozenset([sectors] if isinstance(sectors, str) else sectors)
    unknown = sorted(chosen - set(SECTOR_COLOURS))
    if unknown:
        raise InvalidOption(
            f"Sector '{unknown[0]}' bestaat niet. Kies uit: {', '.join(SECTOR_COLOURS)}."
        )
    return chosen or None


def visible(entry: dict[str, Any], sectors: frozenset[str] | None, isolates: str) -> bool:
    """Whether an organisation (a row of the report) passes the sector and loner filters.

    ``isolates``: "all" shows organisations without ties too, "partners" only the
    alliance partners among them, "none" none of them.

    Examples
    --------
    >>> visible({"sector": "welfare", "degree": 0, "partner": True}, None, "partners")
    True
    >>> visible({"sector": "welfare", "degree": 0, "partner": False}, None, "partners")
    False
    """
    if sectors is not None and entry.get("sector") not in sectors:
        return False
    if entry.get("degree"):
        return True
    return isolates == "all" or (isolates == "partners" and bool(entry.get("partner")))


def community_colours(organisations: dict[str, dict[str, Any]]) -> dict[Any, str]:
    """A colour per community index; communities of one organisation are grey.

    Examples
    --------
    >>> community_colours({"a": {"community": 0}, "b": {"community": 0}, "c": {"community": 1}})
    {0: '#0072b2', 1: '#c8c8c8'}
    """
    sizes = Counter(entry.get("community") for entry in organisations.values())
    return {
        index: COMMUNITY_COLOURS[int(index) % len(COMMUNITY_COLOURS)]
        if size > 1 and index is not None
        else LONE_COLOUR
        for index, size in sorted(sizes.items(), key=lambda item: str(item[0]))
    }


def _metric(entry: dict[str, Any], name: str) -> Any:
    if name == "brokerage_total":
        return (entry.get("brokerage") or {}).get("total", 0)
    return entry.get(name)


def _node(
    ident: str, entry: dict[str, Any], xy: tuple[float, float], colours: dict[Any, str]
) -> dict[str, Any]:
    return {
        "id": ident,
        **{k: entry.get(k) for k in ("name", "slug", "sector", "gemeente", "partner")},
        "x": xy[0],
        "y": xy[1],
        "community": entry.get("community"),
        "colour_sector": SECTOR_COLOURS.get(str(entry.get("sector")), SECTOR_COLOURS["other"]),
        "colour_community": colours.get(entry.get("community"), LONE_COLOUR),
        "articulation_point": entry.get("articulation_point", False),
        **{name: _metric(entry, name) for name in NODE_METRICS},
    }


def _link(u: Any, v: Any, data: dict[str, Any]) -> dict[str, Any]:
    keep = ("weight", "count", "layers", "first_year", "last_year")
    return {"source": u, "target": v, **{k: data.get(k) for k in keep}}


def graph_data(
    snapshot: NetworkSnapshot,
    *,
    sectors: Iterable[str] | None = None,
    isolates: str = "all",
    **options: Any,
) -> dict[str, Any]:
    """The network as node-link JSON with positions, colours and metrics per organisation.

    Parameters
    ----------
    snapshot : NetworkSnapshot
    sectors : iterable of str, optional
        Show only organisations of these sectors (metrics stay those of the whole
        network); all by default.
    isolates : {"all", "partners", "none"}
        Which organisations without ties to show.
    **options
        Graph options of ``netwerk.report`` (layers, weighting, half_life, at, year, ...).

    Returns
    -------
    dict
        ``directed``, ``multigraph``, ``graph`` (options, ``summary`` of the whole
        network, ``shown`` counts, ``hidden`` loners, ``width``/``height`` of the
        positions), ``nodes`` and ``links``.

    Raises
    ------
    InvalidOption, UnknownLayer, YearOutOfRange, InvalidDate

    Examples
    --------
    >>> graph_data(NetworkSnapshot(0, (), (), ()), year=2021)["graph"]["shown"]
    {'nodes': 0, 'links': 0}
    """
    chosen = _check_filters(sectors, isolates)
    opts = _graph_options(options)
    key = ("graph_data", tuple(sorted(chosen or ())), isolates, *opts.values())
    return _memo(snapshot, key, lambda: _graph_data(snapshot, chosen, isolates, opts))


def _graph_data(
    snapshot: NetworkSnapshot,
    sectors: frozenset[str] | None,
    isolates: str,
    opts: dict[str, Any],
) -> dict[str, Any]:
    full, G, pos = report(snapshot, **opts), network_graph(snapshot, **opts), positions(snapshot)
    table = full["organisations"]
    colours = community_colours(table)
    keep = [v for v in G if visible(table[str(v)], sectors, isolates)]
    hidden = sum(1 for v in G if visible(table[str(v)], sectors, "all")) - len(keep)
    kept = set(keep)
    nodes = [_node(v, table[str(v)], pos.get(v, (WIDTH / 2, HEIGHT / 2)), colours) for v in keep]
    links = [_link(u, v, d) for u, v, d in G.edges(data=True) if u in kept and v in kept]
    graph = {
        "snapshot_version": snapshot.version,
        "options": {**opts, "sectors": sorted(sectors or ()), "isolates": isolates},
        "summary": full["network"],
        "shown": {"nodes": len(nodes), "links": len(links)},
        "hidden": hidden,
        "width": WIDTH,
        "height": HEIGHT,
    }
    return jsonable(
        {"directed": False, "multigraph": False, "graph": graph, "nodes": nodes, "links": links}
    )


def check_sort(sort: str) -> tuple[str, bool]:
    """``(column, descending)`` from a sort key such as ``"-betweenness"`` or ``"name"``.

    Examples
    --------
    >>> check_sort("-betweenness"), check_sort("name")
    (('betweenness', True), ('name', False))
    """
    column = sort.removeprefix("-")
    if column not in SORT_KEYS:
        raise InvalidOption(f"Sorteren op '{column}' kan niet. Kies uit: {', '.join(SORT_KEYS)}.")
    return column, sort.startswith("-")


def table_rows(
    organisations: dict[str, dict[str, Any]],
    *,
    sectors: Iterable[str] | None = None,
    isolates: str = "all",
    sort: str = "-betweenness",
) -> list[dict[str, Any]]:
    """Rows of the organisation table: id, name, slug, sector, partner and the metrics.

    Numbers sort largest first with ``-``; unknown values last; ties by name.

    Examples
    --------
    >>> table = {"a": {"name": "A", "degree": 1, "partner": False},
    ...          "b": {"name": "B", "degree": 2, "partner": True}}
    >>> [row["name"] for row in table_rows(table, sort="-degree")]
    ['B', 'A']
    """
    chosen = _check_filters(sectors, isolates)
    column, descending = check_sort(sort)
    rows = [
        {
            "id": ident,
            **{k: entry.get(k) for k in ("name", "slug", "sector", "partner")},
            **{name: _metric(entry, name) for name in TABLE_METRICS},
        }
        for ident, entry in organisations.items()
        if visible(entry, chosen, isolates)
    ]
    rows.sort(key=lambda row: str(row["name"]).casefold())
    known = [row for row in rows if row[column] is not None]
    known.sort(key=lambda row: row[column] if column != "name" else str(row[column]).casefold(),
               reverse=descending)  # fmt: skip
    return known + [row for row in rows if row[column] is None]


def table_view(
    snapshot: NetworkSnapshot,
    *,
    sectors: Iterable[str] | None = None,
    isolates: str = "partners",
    sort: str = "-betweenness",
    **options: Any,
) -> dict[str, Any]:
    """The network page without JavaScript: key figures, table rows, loners left out.

    Returns
    -------
    dict
        ``network`` (the whole network's figures), ``rows`` (see ``table_rows``) and
        ``hidden`` (organisations of the chosen sectors without ties that are left out).

    Examples
    --------
    >>> view = table_view(NetworkSnapshot(0, (), (), ()), year=2021)
    >>> view["network"]["nodes"], view["rows"], view["hidden"]
    (0, [], 0)
    """
    organisations = report(snapshot, **options)["organisations"]
    rows = table_rows(organisations, sectors=sectors, isolates=isolates, sort=sort)
    every = table_rows(organisations, sectors=sectors, isolates="all", sort=sort)
    return {
        "network": report(snapshot, **options)["network"],
        "rows": rows,
        "hidden": len(every) - len(rows),
    }


def next_sort(current: str, column: str) -> str:
    """The sort key a click on ``column``'s header asks for: flip it, or start it.

    Text columns start A–Z, numbers largest first.

    Examples
    --------
    >>> next_sort("-degree", "degree"), next_sort("-degree", "name"), next_sort("name", "name")
    ('degree', 'name', '-name')
    """
    if current.removeprefix("-") == column:
        return column if current.startswith("-") else f"-{column}"
    return column if column in ("name", "sector") else f"-{column}"


# --- exports ----------------------------------------------------------------------


def export(snapshot: NetworkSnapshot, fmt: str, **options: Any) -> bytes | str:
    """The network in file format ``fmt`` (one of ``EXPORT_FORMATS``).

    Examples
    --------
    >>> export(NetworkSnapshot(0, (), (), ()), "nodes.csv")
    'id,name,slug,sector,gemeente,gemeente_code,partner,partner_since,lat,lon,first_seen\\n'
    """
    if fmt not in EXPORT_FORMATS:
        raise InvalidOption(f"Formaat '{fmt}' bestaat niet. Kies uit: {', '.join(EXPORT_FORMATS)}.")
    G = network_graph(snapshot, **options)
    writers: dict[str, Callable[[], bytes | str]] = {
        "graphml": lambda: to_graphml(G),
        "gexf": lambda: to_gexf(G),
        "cytoscape": lambda: to_cytoscape_json(G),
        "kumu": lambda: to_kumu_xlsx(G),
        "nodes.csv": lambda: nodes_csv(G),
        "edges.csv": lambda: edges_csv(G),
        "metrics.csv": lambda: metrics_csv(G, table=report(snapshot, **options)["organisations"]),
    }
    return writers[fmt]()
