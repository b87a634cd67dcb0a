"""Response models of ``/api/v1/netwerk`` and the small functions that shape results into them.

The network analysis (``netwerk.report``) returns plain JSON-ready dicts; these models
document that JSON in the OpenAPI schema and check it on the way out. Explanations are
``{"nl": ..., "en": ...}`` pairs from ``netwerk.messages``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Localised = dict[str, str]


class Meta(BaseModel):
    snapshot_version: int = Field(description="Data version the answer was computed from")
    options: dict[str, Any] = Field(description="The options, with defaults filled in")


class OrganisationRef(BaseModel):
    id: str
    name: str
    sector: str | None


class NetworkSummary(BaseModel):
    nodes: int
    ties: int
    density: float
    components: int
    largest_component: int
    average_degree: float
    average_clustering: float
    transitivity: float
    degree_centralization: float | None
    modularity: float | None
    communities: int = Field(description="Groups of two or more organisations")


class Brokerage(BaseModel):
    coordinator: int
    itinerant: int
    gatekeeper: int
    representative: int
    liaison: int
    total: int = Field(description="Pairs brokered (gatekeeper and representative pairs once)")


class OrganisationMetrics(BaseModel):
    name: str
    slug: str | None
    sector: str | None
    gemeente: str | None
    partner: bool
    partner_since: int | None
    first_seen: str | None
    degree: int
    weighted_degree: float
    betweenness: float | None
    betweenness_weighted: float | None
    closeness: float | None
    harmonic: float | None
    eigenvector: float | None
    core_number: int
    clustering: float
    constraint: float | None
    effective_size: float | None
    brokerage: Brokerage
    ei_index: float | None
    fragmentation: float
    articulation_point: bool
    community: int | None


class OrganisationRow(OrganisationMetrics):
    id: str


class OrganisationsAnswer(BaseModel):
    meta: Meta
    explanations: dict[str, Localised]
    organisations: list[OrganisationRow] = Field(description="Every organisation, by name")


class OrganisationAnswer(BaseModel):
    meta: Meta
    explanations: dict[str, Localised]
    organisation: OrganisationRow


class GraphNode(BaseModel):
    id: str
    name: str
    slug: str | None
    sector: str | None
    gemeente: str | None
    partner: bool
    x: float = Field(description="Position in pixels (stable across filters and years)")
    y: float
    community: int | None
    colour_sector: str
    colour_community: str
    articulation_point: bool
    degree: int
    weighted_degree: float
    betweenness: float | None
    eigenvector: float | None
    closeness: float | None
    core_number: int
    brokerage_total: int
    ei_index: float | None
    fragmentation: float


class GraphLink(BaseModel):
    source: str
    target: str
    weight: float
    count: int | None
    layers: dict[str, int] | None = Field(description="Shared activities per layer")
    first_year: int | None = Field(description="null: start unknown")
    last_year: int | None = Field(description="null: still running")


class GraphShown(BaseModel):
    nodes: int
    links: int


class GraphInfo(BaseModel):
    snapshot_version: int
    options: dict[str, Any]
    summary: NetworkSummary = Field(description="Figures of the whole network for these options")
    shown: GraphShown
    hidden: int = Field(description="Organisations without ties left out (isolates option)")
    width: float
    height: float


class GraphAnswer(BaseModel):
    """networkx node-link JSON (``links``) with positions, colours and metrics."""

    directed: bool
    multigraph: bool
    graph: GraphInfo
    nodes: list[GraphNode]
    links: list[GraphLink]


class BrokerageRow(OrganisationRef):
    brokerage: Brokerage


class BrokerageAnswer(BaseModel):
    meta: Meta
    convention: Localised
    explanations: dict[str, Localised]
    organisations: list[BrokerageRow] = Field(description="Most brokered pairs first")


class SilosAnswer(BaseModel):
    meta: Meta
    explanations: dict[str, Localised]
    mixing_matrix: dict[str, dict[str, float]]
    ei_index: dict[str, Any] = Field(description="'network' and per 'sectors'")
    assortativity: float | None
    communities: dict[str, Any] = Field(
        description="communities (members, sectors), count, table, nmi, modularity"
    )


class ResilienceAnswer(BaseModel):
    meta: Meta
    explanations: dict[str, Localised]
    articulation_points: list[OrganisationRef]
    bridges: list[list[OrganisationRef]]
    component_size: int
    edge_cut: list[list[OrganisationRef]] | None
    edge_connectivity: int
    node_cut: list[OrganisationRef] | None
    node_connectivity: int
    fragmentation: dict[str, float] = Field(description="Per organisation id, only those above 0")


class EvolutionRow(BaseModel):
    year: int
    nodes: int
    ties: int
    density: float
    newcomers: list[str]
    new_ties: int
    lost_ties: int
    largest_component: int
    communities: int


class EvolutionAnswer(BaseModel):
    meta: Meta
    explanations: dict[str, Localised]
    years: list[EvolutionRow]


class EgoMember(OrganisationRef):
    steps: int


class EgoAnswer(BaseModel):
    organisation: OrganisationRef
    radius: int
    size: int
    direct: int
    second_step: int
    ties: int
    density: float
    partner_density: float
    groups_without_ego: int
    sectors: dict[str, int]
    ei_index: float | None
    constraint: float | None
    effective_size: float | None
    brokerage: Brokerage
    members: list[EgoMember]


class PathStep(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    weight: float
    count: int | None
    layers: dict[str, int] | None


class PathAnswer(BaseModel):
    path: list[OrganisationRef]
    steps: list[PathStep]
    distance: float = Field(description="Sum of 1/weight over the steps")
    intermediaries: int
    sentence: Localised


class Suggestion(BaseModel):
    a: OrganisationRef
    b: OrganisationRef
    score: float
    adamic_adar: float
    resource_allocation: float
    shared: list[str] = Field(description="Ids of the partners both work with")
    different_sectors: bool
    distance_km: float | None
    reason: Localised


class SuggestionsAnswer(BaseModel):
    explanation: Localised
    suggestions: list[Suggestion]


class ReportAnswer(BaseModel):
    meta: dict[str, Any]
    explanations: dict[str, Localised]
    network: NetworkSummary
    organisations: dict[str, OrganisationMetrics] = Field(description="Keyed by organisation id")
    silos: dict[str, Any]
    resilience: dict[str, Any]
    suggestions: list[Suggestion]
    evolution: list[EvolutionRow]


# --- shaping ---------------------------------------------------------------------------


def _meta(full: dict[str, Any]) -> dict[str, Any]:
    return {
        "snapshot_version": full["meta"]["snapshot_version"],
        "options": full["meta"]["options"],
    }


def _explained(full: dict[str, Any], *keys: str) -> dict[str, Localised]:
    return {k: full["explanations"][k] for k in keys}


def organisations_answer(full: dict[str, Any]) -> dict[str, Any]:
    rows = [{"id": i, **e} for i, e in full["organisations"].items()]
    rows.sort(key=lambda r: (str(r["name"]).casefold(), r["id"]))
    return {"meta": _meta(full), "explanations": full["explanations"], "organisations": rows}


def organisation_answer(ident: str, full: dict[str, Any]) -> dict[str, Any]:
    entry = {"id": ident, **full["organisations"][ident]}
    return {"meta": _meta(full), "explanations": full["explanations"], "organisation": entry}


def brokerage_answer(full: dict[str, Any]) -> dict[str, Any]:
    rows = [
        {"id": i, "name": e["name"], "sector": e["sector"], "brokerage": e["brokerage"]}
        for i, e in full["organisations"].items()
    ]
    rows.sort(key=lambda r: (-r["brokerage"]["total"], str(r["name"]).casefold()))
    keys = (
        "coordinator",
        "itinerant",
        "gatekeeper",
        "representative",
        "liaison",
        "brokerage_total",
    )
    return {
        "meta": _meta(full),
        "convention": full["meta"]["brokerage_convention"],
        "explanations": _explained(full, *keys),
        "organisations": rows,
    }


def silos_answer(full: dict[str, Any]) -> dict[str, Any]:
    keys = ("ei_index", "mixing_matrix", "assortativity", "nmi", "community_sectors")
    return {"meta": _meta(full), "explanations": _explained(full, *keys), **full["silos"]}


def resilience_answer(full: dict[str, Any]) -> dict[str, Any]:
    keys = ("articulation_points", "bridges", "fragmentation", "edge_cut", "node_cut",
            "component_size", "edge_connectivity", "node_connectivity")  # fmt: skip
    fragmentation = {
        i: e["fragmentation"] for i, e in full["organisations"].items() if e["fragmentation"] > 0
    }
    return {
        "meta": _meta(full),
        "explanations": _explained(full, *keys),
        **full["resilience"],
        "fragmentation": fragmentation,
    }


def evolution_answer(full: dict[str, Any]) -> dict[str, Any]:
    keys = ("nodes", "ties", "density", "newcomers", "new_ties", "lost_ties",
            "largest_component", "communities")  # fmt: skip
    return {
        "meta": _meta(full),
        "explanations": _explained(full, *keys),
        "years": full["evolution"],
    }


def suggestions_answer(rows: list[dict[str, Any]], explanation: Localised) -> dict[str, Any]:
    return {"explanation": explanation, "suggestions": rows}
