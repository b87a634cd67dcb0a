"""Build the collaboration graph from a registry snapshot.

Organisations are nodes. Two organisations share a tie when they took part in the same
activity (the organisation × activity bipartite graph, projected onto organisation
pairs) or when the registry holds an explicit relation between them. A tie remembers
where it came from: counts per layer, the activity and relation ids, and its time span.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator

import networkx as nx

from data.snapshot import NetworkSnapshot, OrgNode
from data.vocab import ACTIVITY_KINDS
from netwerk.errors import InvalidOption, UnknownLayer
from netwerk.ties import ALWAYS, Pair, Record, Tie, aggregate, first_seen, pair_records
from netwerk.timeline import Window, as_date, merge, window

#: Layers a tie can come from: one per activity kind, plus explicit relations.
LAYERS: tuple[str, ...] = (*ACTIVITY_KINDS, "relation")
WEIGHTINGS: tuple[str, ...] = ("count", "newman")
#: Which organisations are nodes: "network" = partners and every organisation with a tie
#: (the alliance at work); "partners" = partners only; "registry" = every organisation in
#: the registry, also those without a tie (such as operators of warmtebronnen).
SCOPES: tuple[str, ...] = ("network", "partners", "registry")


def check_layers(layers: Iterable[str] | str | None) -> tuple[str, ...]:
    """The chosen layers in canonical order; ``None`` means all of them.

    Examples
    --------
    >>> check_layers(["relation", "werkgroep"])
    ('werkgroep', 'relation')
    """
    if layers is None:
        return LAYERS
    chosen = {layers} if isinstance(layers, str) else set(layers)
    for layer in sorted(chosen, key=str):
        if layer not in LAYERS:
            raise UnknownLayer(layer, LAYERS)
    if not chosen:
        raise InvalidOption("Kies minstens één laag (of laat layers leeg voor alle lagen).")
    return tuple(layer for layer in LAYERS if layer in chosen)


def check_scope(scope: str) -> None:
    """Refuse a scope that is not one of ``SCOPES`` (with the choices, in Dutch).

    Examples
    --------
    >>> check_scope("network")
    >>> check_scope("iedereen")
    Traceback (most recent call last):
    ...
    netwerk.errors.InvalidOption: scope 'iedereen' bestaat niet. Kies uit: network, partners, registry.
    """
    if scope not in SCOPES:
        raise InvalidOption(f"scope '{scope}' bestaat niet. Kies uit: {', '.join(SCOPES)}.")


def _check_weighting(weighting: str, half_life: float | None) -> None:
    if weighting not in WEIGHTINGS:
        raise InvalidOption(
            f"Weging '{weighting}' bestaat niet. Kies uit: {', '.join(WEIGHTINGS)}."
        )
    if half_life is None:
        return
    if isinstance(half_life, bool) or not isinstance(half_life, int | float):
        raise InvalidOption(f"half_life moet een getal (jaren) zijn, niet {half_life!r}.")
    if not math.isfinite(half_life) or half_life <= 0:
        raise InvalidOption(
            f"half_life moet een positief aantal jaren zijn (bijvoorbeeld 2), niet {half_life}."
        )


def _present(org: OrgNode, first: dict[str, dt.date], span: Window | None) -> bool:
    """An organisation is on the map at ``span`` once it is a partner or has had a tie."""
    if span is None:
        return True
    partner = org.is_partner and (org.partner_since is None or org.partner_since <= span[1].year)
    return partner or first.get(org.id, dt.date.max) <= span[1]


def _node_attributes(org: OrgNode, first: dict[str, dt.date]) -> dict[str, object]:
    starts = [first.get(org.id, dt.date.max)]
    if org.is_partner:
        starts.append(dt.date(org.partner_since, 1, 1) if org.partner_since else ALWAYS)
    seen = min(starts)
    return {
        "name": org.name,
        "slug": org.slug,
        "sector": org.sector,
        "gemeente": org.gemeente_name,
        "gemeente_code": org.gemeente_code,
        "partner": org.is_partner,
        "partner_since": org.partner_since,
        "lat": org.lat,
        "lon": org.lon,
        "first_seen": None if seen in (ALWAYS, dt.date.max) else seen.isoformat(),
    }


def _edge_attributes(tie: Tie) -> dict[str, object]:
    starts = [s for s, _e in tie.intervals]
    ends = [e for _s, e in tie.intervals]
    return {
        "weight": tie.weight,
        "distance": 1.0 / tie.weight,
        "count": len(tie.activities) + len(tie.relations),
        "layers": dict(sorted(tie.layers.items())),
        "activities": sorted(tie.activities),
        "relations": sorted(tie.relations),
        "first_year": None if None in starts else min(s.year for s in starts if s),
        "last_year": None if None in ends else max(e.year for e in ends if e),
        "spells": merge(tie.intervals),
    }


def build_graph(
    snapshot: NetworkSnapshot,
    *,
    layers: Iterable[str] | str | None = None,
    weighting: str = "count",
    half_life: float | None = None,
    reference: dt.date | str | None = None,
    at: dt.date | str | None = None,
    year: int | None = None,
    scope: str = "network",
) -> nx.Graph:
    """The collaboration graph of ``snapshot``: organisations tied by joint work.

    Parameters
    ----------
    snapshot : NetworkSnapshot
        Organisations, activities with participants, and explicit relations.
    layers : iterable of str, optional
        Which kinds of ties count (see ``LAYERS``); all by default.
    weighting : {"count", "newman"}
        ``"count"``: a tie weighs the number of shared activities (a relation adds its
        strength). ``"newman"``: an activity with *n* participants adds ``1/(n-1)`` to
        each pair, so a big congress counts less per pair than a small werkgroep.
    half_life : float, optional
        Years after which an activity counts half (measured from its end to the
        reference date); ``None`` means no fading.
    reference : date or str, optional
        The "now" for ``half_life``: default ``at``, else the last day of ``year``,
        else today.
    at, year : optional
        The network on one date, or during one year (ties whose activity overlaps it).
        Activities without a start date count as always present. With a window, an
        organisation is a node once it is a partner (``partner_since``) or has had a
        tie by the end of the window.
    scope : {"network", "partners", "registry"}
        Which organisations are nodes. ``"network"`` (default): alliance partners and
        every organisation with a tie in the chosen layers — the registry also holds
        organisations nobody works with (operators of warmtebronnen), which would make
        the network look sparser and more split than it is. ``"partners"``: partners
        only. ``"registry"``: every organisation.

    Returns
    -------
    networkx.Graph
        Node attributes: name, slug, sector, gemeente, gemeente_code, partner,
        partner_since, lat, lon, first_seen (ISO date of the partnership or first tie,
        whichever is earlier; ``None`` when that is unknown, or when the organisation
        never had a tie and is no partner). Edge attributes: weight, distance
        (``1/weight``), count, layers, activities, relations, first_year, last_year
        (``None`` = unknown start / still running) and spells (merged periods).

    Raises
    ------
    UnknownLayer, InvalidOption, YearOutOfRange, InvalidDate, InvalidSnapshot

    Examples
    --------
    >>> from data.snapshot import ActivityRecord, NetworkSnapshot, OrgNode
    >>> orgs = tuple(OrgNode(i, i, i.upper(), "welfare", True, 2020, None, None, None, None)
    ...              for i in "abc")
    >>> act = ActivityRecord("w1", "w1", "werkgroep", "W", None, "2021", None, "test",
    ...                      (("a", "lead"), ("b", "member"), ("c", "member")))
    >>> G = build_graph(NetworkSnapshot(1, orgs, (act,), ()), weighting="newman")
    >>> G["a"]["b"]["weight"], G["a"]["b"]["first_year"], G["a"]["b"]["last_year"]
    (0.5, 2021, None)
    """
    chosen = check_layers(layers)
    _check_weighting(weighting, half_life)
    check_scope(scope)
    span = window(at=at, year=year)
    grouped = pair_records(snapshot, chosen, weighting)
    decay = _decay(half_life, as_date(reference) if reference is not None else None, span)
    return _graph(
        snapshot,
        grouped,
        span,
        decay,
        scope=scope,
        description={"layers": ",".join(chosen), "weighting": weighting, "half_life": half_life},
    )


def _decay(
    half_life: float | None, reference: dt.date | None, span: Window | None
) -> tuple[dt.date, float] | None:
    if half_life is None:
        return None
    ref = reference if reference is not None else span[1] if span else dt.date.today()
    return ref, float(half_life)


def _graph(
    snapshot: NetworkSnapshot,
    grouped: dict[Pair, list[Record]],
    span: Window | None,
    decay: tuple[dt.date, float] | None,
    *,
    scope: str,
    description: dict[str, object],
    attributes: bool = True,
) -> nx.Graph:
    first = first_seen(grouped)
    G = nx.Graph(
        snapshot_version=snapshot.version,
        **description,
        reference=decay[0].isoformat() if decay else None,
        window_start=span[0].isoformat() if span else None,
        window_end=span[1].isoformat() if span else None,
    )
    for org in snapshot.organisations:
        member = org.is_partner or scope == "registry" or (scope == "network" and org.id in first)
        if member and _present(org, first, span):
            G.add_node(org.id, **(_node_attributes(org, first) if attributes else {}))
    for (a, b), tie in sorted(aggregate(grouped, span, decay).items()):
        # A tie faded to nothing by the recency weighting (underflow to 0.0) is no tie.
        if a in G and b in G and tie.weight > 0:
            data = _edge_attributes(tie) if attributes else {"weight": tie.weight}
            G.add_edge(a, b, **data)
    return G


def graphs_per_year(
    snapshot: NetworkSnapshot,
    years: Iterable[int],
    *,
    layers: Iterable[str] | str | None = None,
    weighting: str = "count",
    half_life: float | None = None,
    scope: str = "network",
    attributes: bool = True,
) -> Iterator[tuple[int, nx.Graph]]:
    """``(year, build_graph(snapshot, year=year, ...))`` for each year, reading the snapshot once.

    With ``half_life`` each year's ties fade towards the last day of that year. With
    ``attributes=False`` nodes carry no attributes and ties only their ``weight``,
    which is faster when only the structure is needed.

    Examples
    --------
    >>> from data.snapshot import NetworkSnapshot
    >>> [(y, len(G)) for y, G in graphs_per_year(NetworkSnapshot(1, (), (), ()), [2020, 2021])]
    [(2020, 0), (2021, 0)]
    """
    chosen = check_layers(layers)
    _check_weighting(weighting, half_life)
    check_scope(scope)
    grouped = pair_records(snapshot, chosen, weighting)
    description: dict[str, object] = {
        "layers": ",".join(chosen),
        "weighting": weighting,
        "half_life": half_life,
    }
    for year in years:
        span = window(year=year)
        decay = _decay(half_life, None, span)
        graph = _graph(
            snapshot, grouped, span, decay,
            scope=scope, description=description, attributes=attributes,
        )  # fmt: skip
        yield year, graph
