"""One organisation's view: who it is, its place in the network, its history, whom next.

Organisations are found by id or slug. Graphs come from ``netwerk.views.network_graph``
(memoised per data version and options).
"""

from __future__ import annotations

from typing import Any

from data.snapshot import NetworkSnapshot, OrgNode
from netwerk.ego import ego_summary
from netwerk.errors import UnknownOrganisation
from netwerk.paths import introduction_path
from netwerk.report import jsonable, report
from netwerk.suggestions import suggest_ties
from netwerk.views import network_graph


def find_organisation(snapshot: NetworkSnapshot, key: str) -> OrgNode:
    """The organisation with id or slug ``key``.

    Raises
    ------
    UnknownOrganisation

    Examples
    --------
    >>> find_organisation(NetworkSnapshot(0, (), (), ()), "acantus")
    Traceback (most recent call last):
    ...
    netwerk.errors.UnknownOrganisation: Organisatie 'acantus' staat niet in het netwerk. ...
    """
    for org in snapshot.organisations:
        if key in (org.id, org.slug):
            return org
    raise UnknownOrganisation(key)


def _year(start: str | None) -> int | None:
    return int(start[:4]) if start else None


def activities_by_year(snapshot: NetworkSnapshot, organisation: str) -> list[dict[str, Any]]:
    """An organisation's joint activities and relations, grouped by the year they began.

    Returns
    -------
    list of dict
        ``{"year": int | None, "items": [...]}``, oldest first; ``None`` (start unknown)
        last. An item has ``type`` ("activity" or "relation"), ``name`` (the activity, or
        the other organisation), ``slug`` (of the other organisation, for relations),
        ``kind``, ``role``, ``place``, ``start``, ``end`` and ``source``.

    Examples
    --------
    >>> activities_by_year(NetworkSnapshot(0, (), (), ()), "a")
    []
    """
    names = {o.id: o for o in snapshot.organisations}
    items: list[tuple[int | None, dict[str, Any]]] = []
    for a in snapshot.activities:
        roles = [role for ident, role in a.participants if ident == organisation]
        if roles:
            item = {"type": "activity", "name": a.name, "slug": None, "kind": a.kind,
                    "role": roles[0], "place": a.place, "start": a.start, "end": a.end,
                    "source": a.source}  # fmt: skip
            items.append((_year(a.start), item))
    for r in snapshot.relations:
        if organisation in (r.a, r.b):
            other = names.get(r.b if r.a == organisation else r.a)
            item = {"type": "relation", "name": other.name if other else "?",
                    "slug": other.slug if other else None, "kind": r.kind, "role": None,
                    "place": None, "start": r.since, "end": r.until, "source": r.source}  # fmt: skip
            items.append((_year(r.since), item))
    years = sorted({y for y, _ in items}, key=lambda y: (y is None, y or 0))
    return [
        {"year": y, "items": sorted((i for yy, i in items if yy == y), key=_item_order)}
        for y in years
    ]


def _item_order(item: dict[str, Any]) -> tuple[str, str]:
    return str(item["start"] or ""), str(item["name"])


def organisation_view(snapshot: NetworkSnapshot, key: str, **options: Any) -> dict[str, Any]:
    """Everything the organisation page shows: metrics, ego networks, suggestions, history.

    Returns
    -------
    dict
        ``id``; ``organisation`` (its row of the report); ``ego`` (``"1"`` and ``"2"``
        steps, see ``netwerk.ego``); ``suggestions``; ``history`` (see
        ``activities_by_year``); ``network`` (key figures); ``links`` (slug and name per
        organisation id, for links to other organisations' pages).

    Raises
    ------
    UnknownOrganisation
        When ``key`` is no id or slug, or the organisation is not in the network with
        these options (for example before it took part in anything).

    Examples
    --------
    >>> from data.snapshot import ActivityRecord, OrgNode
    >>> orgs = tuple(OrgNode(i, i.lower(), i, "welfare", True, None, None, None, None, None)
    ...              for i in "ABC")
    >>> acts = tuple(ActivityRecord(f"w{a}{b}", "w", "werkgroep", "W", None, "2021", None, "t",
    ...                             ((a, "lead"), (b, "member"))) for a, b in ("AB", "BC"))
    >>> snap = NetworkSnapshot(1, orgs, acts, ())
    >>> view = organisation_view(snap, "b")
    >>> view["organisation"]["degree"], [m["id"] for m in view["ego"]["1"]["members"]]
    (2, ['A', 'C'])
    """
    org = find_organisation(snapshot, key)
    full = report(snapshot, organisation=org.id, **options)
    return {
        "id": org.id,
        "organisation": full["organisations"][org.id],
        "ego": full["focus"]["ego"],
        "suggestions": full["focus"]["suggestions"],
        "history": activities_by_year(snapshot, org.id),
        "network": full["network"],
        "links": {o.id: {"slug": o.slug, "name": o.name} for o in snapshot.organisations},
    }


def ego(snapshot: NetworkSnapshot, key: str, *, radius: int = 1, **options: Any) -> dict[str, Any]:
    """``ego_summary`` of the organisation with id or slug ``key`` (see ``netwerk.ego``).

    Examples
    --------
    >>> from data.snapshot import ActivityRecord, OrgNode
    >>> orgs = tuple(OrgNode(i, i.lower(), i, "welfare", True, None, None, None, None, None)
    ...              for i in "ABC")
    >>> acts = tuple(ActivityRecord(f"w{a}{b}", "w", "werkgroep", "W", None, "2021", None, "t",
    ...                             ((a, "lead"), (b, "member"))) for a, b in ("AB", "BC"))
    >>> snap = NetworkSnapshot(1, orgs, acts, ())
    >>> ego(snap, "a", radius=2)["second_step"]
    1
    """
    org = find_organisation(snapshot, key)
    return jsonable(ego_summary(network_graph(snapshot, **options), org.id, radius=radius))


def path(snapshot: NetworkSnapshot, source: str, target: str, **options: Any) -> dict[str, Any]:
    """``introduction_path`` between two organisations given by id or slug.

    Examples
    --------
    >>> from data.snapshot import ActivityRecord, OrgNode
    >>> orgs = tuple(OrgNode(i, i.lower(), i, "welfare", True, None, None, None, None, None)
    ...              for i in "ABC")
    >>> acts = tuple(ActivityRecord(f"w{a}{b}", "w", "werkgroep", "W", None, "2021", None, "t",
    ...                             ((a, "lead"), (b, "member"))) for a, b in ("AB", "BC"))
    >>> snap = NetworkSnapshot(1, orgs, acts, ())
    >>> [step["id"] for step in path(snap, "a", "c")["path"]]
    ['A', 'B', 'C']
    """
    a, b = find_organisation(snapshot, source), find_organisation(snapshot, target)
    return jsonable(introduction_path(network_graph(snapshot, **options), a.id, b.id))


def suggestions(
    snapshot: NetworkSnapshot, *, organisation: str | None = None, limit: int = 25, **options: Any
) -> list[dict[str, Any]]:
    """``suggest_ties`` for the whole network or one organisation (id or slug).

    Examples
    --------
    >>> from data.snapshot import ActivityRecord, OrgNode
    >>> orgs = tuple(OrgNode(i, i.lower(), i, "welfare", True, None, None, None, None, None)
    ...              for i in "ABC")
    >>> acts = tuple(ActivityRecord(f"w{a}{b}", "w", "werkgroep", "W", None, "2021", None, "t",
    ...                             ((a, "lead"), (b, "member"))) for a, b in ("AB", "BC"))
    >>> snap = NetworkSnapshot(1, orgs, acts, ())
    >>> [(s["a"]["id"], s["b"]["id"]) for s in suggestions(snap, organisation="c")]
    [('C', 'A')]
    """
    ident = find_organisation(snapshot, organisation).id if organisation is not None else None
    G = network_graph(snapshot, **options)
    return jsonable(suggest_ties(G, organisation=ident, limit=limit))


def organisation_report(
    snapshot: NetworkSnapshot, key: str, **options: Any
) -> tuple[str, dict[str, Any]]:
    """The id of the organisation ``key`` (id or slug) and the report it appears in.

    Raises
    ------
    UnknownOrganisation
        When ``key`` is no id or slug, or the organisation is not in the network with
        these options.

    Examples
    --------
    >>> from data.snapshot import ActivityRecord, OrgNode
    >>> orgs = tuple(OrgNode(i, i.lower(), i, "welfare", True, None, None, None, None, None)
    ...              for i in "ABC")
    >>> acts = tuple(ActivityRecord(f"w{a}{b}", "w", "werkgroep", "W", None, "2021", None, "t",
    ...                             ((a, "lead"), (b, "member"))) for a, b in ("AB", "BC"))
    >>> snap = NetworkSnapshot(1, orgs, acts, ())
    >>> ident, full = organisation_report(snap, "b", year=2021)
    >>> ident, full["organisations"][ident]["degree"]
    ('B', 2)
    """
    org = find_organisation(snapshot, key)
    full = report(snapshot, **options)
    if org.id not in full["organisations"]:
        raise UnknownOrganisation(key, where="het netwerk met deze keuzes")
    return org.id, full
