"""Small hand-made snapshots and graphs for the network tests."""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace

import networkx as nx
import pytest

from data.snapshot import ActivityRecord, NetworkSnapshot, OrgNode, RelationRecord
from netwerk.report import clear_cache


def org(
    ident: str,
    sector: str = "welfare",
    *,
    partner: bool = False,
    since: int | None = None,
    lat: float | None = None,
    lon: float | None = None,
    name: str | None = None,
) -> OrgNode:
    return OrgNode(
        id=ident,
        slug=ident.lower(),
        name=name or ident,
        sector=sector,
        is_partner=partner,
        partner_since=since,
        gemeente_code=None,
        gemeente_name=None,
        lat=lat,
        lon=lon,
    )


def act(
    ident: str,
    members: Iterable[str],
    *,
    kind: str = "werkgroep",
    start: str | None = "2021",
    end: str | None = None,
) -> ActivityRecord:
    return ActivityRecord(
        id=ident,
        slug=ident,
        kind=kind,
        name=ident,
        place=None,
        start=start,
        end=end,
        source="test",
        participants=tuple((m, "member") for m in members),
    )


def rel(
    ident: str,
    a: str,
    b: str,
    *,
    since: str | None = None,
    until: str | None = None,
    strength: float = 1.0,
) -> RelationRecord:
    return RelationRecord(
        id=ident,
        a=a,
        b=b,
        kind="convenant",
        since=since,
        until=until,
        strength=strength,
        source="test",
    )


def snapshot(
    orgs: Iterable[OrgNode],
    acts: Iterable[ActivityRecord] = (),
    rels: Iterable[RelationRecord] = (),
    *,
    version: int = 1,
) -> NetworkSnapshot:
    return NetworkSnapshot(
        version=version, organisations=tuple(orgs), activities=tuple(acts), relations=tuple(rels)
    )


def sector_graph(edges: Iterable[tuple[str, str]], sectors: dict[str, str]) -> nx.Graph:
    """A graph with the given ties (weight 1) and a sector on every node."""
    G = nx.Graph()
    G.add_nodes_from((v, {"sector": s, "name": v.upper()}) for v, s in sectors.items())
    G.add_edges_from(edges, weight=1.0)
    return G


@pytest.fixture
def make() -> SimpleNamespace:
    """The builders above, for tests (test modules cannot import conftest directly)."""
    return SimpleNamespace(org=org, act=act, rel=rel, snapshot=snapshot, sector_graph=sector_graph)


@pytest.fixture
def broker_graph() -> nx.Graph:
    """v (welfare) in the middle of a1, a2 (welfare), h1, h2 (housing), l1 (library); a2-h2 tied.

          a1   a2 --- h2
            \\  |    /
              v  ---
            /  \\
          h1    l1
    """
    sectors = {
        "v": "welfare",
        "a1": "welfare",
        "a2": "welfare",
        "h1": "housing",
        "h2": "housing",
        "l1": "library",
    }
    edges = [("v", "a1"), ("v", "a2"), ("v", "h1"), ("v", "h2"), ("v", "l1"), ("a2", "h2")]
    return sector_graph(edges, sectors)


@pytest.fixture
def timeline_snapshot() -> NetworkSnapshot:
    """A (partner 2018), B, C, D (partner 2023), E (no ties); four records over time.

    w1  werkgroep  2019 .. 2020-06   A, B
    p1  project    2021-03 .. open   B, C
    c1  congres    no dates          A, C   (always present)
    r1  relation   2022 .. 2022      A, D
    """
    orgs = [
        org("A", partner=True, since=2018),
        org("B", "housing"),
        org("C", "library"),
        org("D", "funds", partner=True, since=2023),
        org("E", "media"),
    ]
    acts = [
        act("w1", "AB", start="2019", end="2020-06"),
        act("p1", "BC", kind="project", start="2021-03", end=None),
        act("c1", "AC", kind="congres", start=None, end=None),
    ]
    return snapshot(orgs, acts, [rel("r1", "A", "D", since="2022", until="2022")])


@pytest.fixture(autouse=True)
def _fresh_report_cache():
    clear_cache()
    yield
    clear_cache()
