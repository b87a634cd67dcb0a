"""The collaboration network: JSON under ``/api/v1/netwerk`` and the pages under ``/netwerk``.

Every answer is computed from the snapshot of the registry (rebuilt when the data
version changes) and cached per data version and options: the report by
``netwerk.report``, graphs and views by ``netwerk.views``. Bad options are answered
with 422 (validated query parameters), an unknown organisation with 404, in the
project's error shape; the pages show the same errors as a page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from api.deps import cached
from api.i18n import Translator, pick_language
from api.pages import render
from api.schemas import ErrorBody
from api.schemas_netwerk import (
    BrokerageAnswer,
    EgoAnswer,
    EvolutionAnswer,
    GraphAnswer,
    OrganisationAnswer,
    OrganisationsAnswer,
    PathAnswer,
    ReportAnswer,
    ResilienceAnswer,
    SilosAnswer,
    SuggestionsAnswer,
    brokerage_answer,
    evolution_answer,
    organisation_answer,
    organisations_answer,
    resilience_answer,
    silos_answer,
    suggestions_answer,
)
from data.snapshot import NetworkSnapshot, load_network
from data.vocab import SECTOR_COLOURS, SECTORS
from kaart.netwerk_kaart import network_map_view
from netwerk.brokerage import ROLES
from netwerk.build import LAYERS, SCOPES, WEIGHTINGS
from netwerk.errors import NetworkError, UnknownOrganisation
from netwerk.evolution import FIRST_EVOLUTION_YEAR
from netwerk.messages import EXPLANATIONS, explain, sector_label
from netwerk.organisation_view import (
    ego,
    organisation_report,
    organisation_view,
    path,
    suggestions,
)
from netwerk.report import report
from netwerk.report_view import report_view
from netwerk.timeline import FIRST_YEAR, LAST_YEAR
from netwerk.views import (
    DIGITS,
    EXPORT_FORMATS,
    ISOLATES,
    KEY_FIGURES,
    ORGANISATION_METRICS,
    SIZE_METRICS,
    SORT_VALUES,
    TABLE_METRICS,
    export,
    graph_data,
    network_graph,
    next_sort,
    table_view,
)

Layer = Literal[LAYERS]  # type: ignore[valid-type]
Weighting = Literal[WEIGHTINGS]  # type: ignore[valid-type]
Scope = Literal[SCOPES]  # type: ignore[valid-type]
Sector = Literal[SECTORS]  # type: ignore[valid-type]
ExportFormat = Literal[EXPORT_FORMATS]  # type: ignore[valid-type]
SortKey = Literal[SORT_VALUES]  # type: ignore[valid-type]
SizeMetric = Literal[SIZE_METRICS]  # type: ignore[valid-type]

MEDIA_TYPES = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "cytoscape": "application/json",
    "kumu": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "nodes.csv": "text/csv; charset=utf-8",
    "edges.csv": "text/csv; charset=utf-8",
    "metrics.csv": "text/csv; charset=utf-8",
}
SUFFIXES = {
    "graphml": ".graphml", "gexf": ".gexf", "cytoscape": "-cytoscape.json", "kumu": "-kumu.xlsx",
    "nodes.csv": "-nodes.csv", "edges.csv": "-edges.csv", "metrics.csv": "-metrics.csv",
}  # fmt: skip
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Options that do not fit together"},
    404: {"model": ErrorBody, "description": "Unknown organisation"},
    422: {"model": ErrorBody, "description": "Invalid query parameter"},
}


def network_snapshot(request: Request) -> NetworkSnapshot:
    """The registry's organisations, activities and relations, loaded once per data version."""
    return cached(request, "network", load_network)


Snapshot = Annotated[NetworkSnapshot, Depends(network_snapshot)]


def _invalid(field: str, message: str) -> RequestValidationError:
    return RequestValidationError(
        [{"loc": ("query", field), "msg": message, "type": "value_error"}]
    )


@dataclass
class TieOptions:
    """How ties are counted: which layers, which weighting, fading, partners only."""

    layers: Annotated[
        list[Layer] | None,
        Query(description="Repeatable: the kinds of ties that count (default: all layers)"),
    ] = None
    weighting: Annotated[
        Weighting,
        Query(description="'count': shared activities; 'newman': 1/(n-1) per activity of n"),
    ] = "count"
    half_life: Annotated[
        float | None,
        Query(gt=0, le=100, description="Years after which an activity counts half (fading)"),
    ] = None
    scope: Annotated[
        Scope,
        Query(
            description="Which organisations: 'network' = partners and everyone with a tie "
            "(default); 'partners' = partners only; 'registry' = every organisation"
        ),
    ] = "network"

    def options(self) -> dict[str, Any]:
        return {
            "layers": tuple(self.layers) if self.layers else None,
            "weighting": self.weighting,
            "half_life": self.half_life,
            "scope": self.scope,
        }


@dataclass
class GraphOptions(TieOptions):
    """Tie options plus the moment: one year, or one date."""

    year: Annotated[
        int | None,
        Query(ge=FIRST_YEAR, le=LAST_YEAR, description="The network during this year"),
    ] = None
    at: Annotated[dt.date | None, Query(description="The network on this date (YYYY-MM-DD)")] = None

    def __post_init__(self) -> None:
        if self.year is not None and self.at is not None:
            raise _invalid("at", "Geef year (een jaar) óf at (een datum), niet allebei.")

    def options(self) -> dict[str, Any]:
        at = self.at.isoformat() if self.at else None
        return {**super().options(), "year": self.year, "at": at}


@dataclass
class ViewFilters:
    """Which organisations the graph shows (the figures stay those of the whole network)."""

    sector: Annotated[
        list[Sector] | None, Query(description="Repeatable: show only these sectors")
    ] = None
    isolates: Annotated[
        Literal[ISOLATES],  # type: ignore[valid-type]
        Query(description="Organisations without ties: all, only partners, or none"),
    ] = "all"


@dataclass
class EvolutionOptions(TieOptions):
    first_year: Annotated[int, Query(ge=FIRST_YEAR, le=LAST_YEAR)] = FIRST_EVOLUTION_YEAR
    last_year: Annotated[
        int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="Default: this year")
    ] = None

    def options(self) -> dict[str, Any]:
        return {**super().options(), "first_year": self.first_year, "last_year": self.last_year}


Options = Annotated[GraphOptions, Depends()]
OrganisationKey = Annotated[str, Path(max_length=200, description="Organisation id or slug")]


def _export_response(content: bytes | str, fmt: str, options: dict[str, Any]) -> Response:
    when = options.get("year") or options.get("at")
    name = f"kracht-in-kaart-netwerk{f'-{when}' if when else ''}{SUFFIXES[fmt]}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=MEDIA_TYPES[fmt], headers=headers)


# --- JSON -----------------------------------------------------------------------------

api = APIRouter(prefix="/api/v1/netwerk", tags=["network"], responses=ERRORS)


@api.get("/graph", summary="The network as node-link JSON with positions, colours and metrics",
         response_model=GraphAnswer)  # fmt: skip
def graph(snapshot: Snapshot, options: Options, view: Annotated[ViewFilters, Depends()]) -> Any:
    return graph_data(snapshot, sectors=view.sector, isolates=view.isolates, **options.options())


@api.get("/report", summary="Every analysis of the network in one answer",
         response_model=ReportAnswer)  # fmt: skip
def full_report(snapshot: Snapshot, options: Options) -> Any:
    return report(snapshot, **options.options())


@api.get("/organisations", summary="Metrics of every organisation: position, brokerage, silo, resilience",
         response_model=OrganisationsAnswer)  # fmt: skip
def organisations(snapshot: Snapshot, options: Options) -> Any:
    return organisations_answer(report(snapshot, **options.options()))


@api.get("/organisations/{organisation}", summary="Metrics of one organisation (id or slug)",
         response_model=OrganisationAnswer)  # fmt: skip
def organisation(snapshot: Snapshot, organisation: OrganisationKey, options: Options) -> Any:
    return organisation_answer(*organisation_report(snapshot, organisation, **options.options()))


@api.get("/organisations/{organisation}/ego", summary="The ego network of one organisation, 1 or 2 steps out",
         response_model=EgoAnswer)  # fmt: skip
def ego_network(
    snapshot: Snapshot,
    organisation: OrganisationKey,
    options: Options,
    radius: Annotated[int, Query(ge=1, le=2, description="Steps out: 1 or 2")] = 1,
) -> Any:
    return ego(snapshot, organisation, radius=radius, **options.options())


@api.get("/brokerage", summary="Brokerage roles (Gould & Fernandez) of every organisation, by sector",
         response_model=BrokerageAnswer)  # fmt: skip
def brokerage(snapshot: Snapshot, options: Options) -> Any:
    return brokerage_answer(report(snapshot, **options.options()))


@api.get("/silos", summary="Silos: ties between sectors, E-I index, assortativity, communities",
         response_model=SilosAnswer)  # fmt: skip
def silos(snapshot: Snapshot, options: Options) -> Any:
    return silos_answer(report(snapshot, **options.options()))


@api.get("/resilience", summary="Weak points: articulation points, bridges, cuts, fragmentation",
         response_model=ResilienceAnswer)  # fmt: skip
def resilience(snapshot: Snapshot, options: Options) -> Any:
    return resilience_answer(report(snapshot, **options.options()))


@api.get("/evolution", summary="The network year by year: size, ties, newcomers, lost ties",
         response_model=EvolutionAnswer)  # fmt: skip
def evolution(snapshot: Snapshot, options: Annotated[EvolutionOptions, Depends()]) -> Any:
    return evolution_answer(report(snapshot, **options.options()))


@api.get("/path", summary="Introduction path: the chain of strongest ties from one organisation to another",
         response_model=PathAnswer)  # fmt: skip
def introduction(
    snapshot: Snapshot,
    options: Options,
    source: Annotated[str, Query(max_length=200, description="Organisation id or slug")],
    target: Annotated[str, Query(max_length=200, description="Organisation id or slug")],
) -> Any:
    return path(snapshot, source, target, **options.options())


@api.get("/suggestions", summary="Suggested new ties: organisations that share partners but do not work together yet",
         response_model=SuggestionsAnswer)  # fmt: skip
def suggested_ties(
    snapshot: Snapshot,
    options: Options,
    organisation: Annotated[
        str | None, Query(max_length=200, description="Only for this organisation (id or slug)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
) -> Any:
    rows = suggestions(snapshot, organisation=organisation, limit=limit, **options.options())
    return suggestions_answer(rows, EXPLANATIONS["suggestions"])


@api.get(
    "/export/{fmt}",
    summary="Download the network: GraphML, GEXF (with time), Cytoscape JSON, Kumu (xlsx) or CSV",
    response_class=Response,
    responses={200: {"content": {t.split(";")[0]: {} for t in MEDIA_TYPES.values()}}},
)
def export_file(
    snapshot: Snapshot,
    options: Options,
    fmt: Annotated[ExportFormat, Path(description="File format")],
) -> Response:
    return _export_response(export(snapshot, fmt, **options.options()), fmt, options.options())


# --- pages ----------------------------------------------------------------------------


class NetworkPageRoute(APIRoute):
    """Show errors on the network pages as a page, in the visitor's language."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except UnknownOrganisation as exc:
                return _error_page(request, 404, str(exc))
            except NetworkError as exc:
                return _error_page(request, 400, str(exc))
            except RequestValidationError:
                return _error_page(request, 422, "")

        return route


#: What every network template may use besides ``t``, ``lang`` and ``nonce``.
TEMPLATE_HELPERS: dict[str, Any] = {
    "explain": explain, "sector_label": sector_label, "next_sort": next_sort,
    "digits": DIGITS, "key_figures_list": KEY_FIGURES, "layers": LAYERS,
    "sector_colours": SECTOR_COLOURS, "table_metrics": TABLE_METRICS,
    "size_metrics": SIZE_METRICS, "organisation_metrics": ORGANISATION_METRICS, "roles": ROLES,
}  # fmt: skip


def _render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    return render(request, name, {**TEMPLATE_HELPERS, **context}, status_code=status_code)


def _error_page(request: Request, status: int, detail: str) -> Response:
    context = {"status": status, "detail": detail}
    return _render(request, "netwerk/error.html", context, status_code=status)


@dataclass
class NetworkForm:
    """The filters of the network pages, as the form sends them (works without JavaScript)."""

    layers: Annotated[list[Layer] | None, Query()] = None
    sector: Annotated[list[Sector] | None, Query()] = None
    year: Annotated[int | None, Query(ge=FIRST_EVOLUTION_YEAR, le=LAST_YEAR)] = None
    all_years: Annotated[bool, Query()] = False
    size: Annotated[SizeMetric, Query()] = "betweenness"
    colour: Annotated[Literal["sector", "community"], Query()] = "sector"
    sort: Annotated[SortKey, Query()] = "-betweenness"
    scope: Annotated[Scope, Query()] = "network"

    @property
    def chosen_year(self) -> int | None:
        return None if self.all_years else self.year

    def options(self) -> dict[str, Any]:
        return {
            "layers": tuple(self.layers) if self.layers else None,
            "year": self.chosen_year,
            "scope": self.scope,
        }

    def api_query(self, *, view: bool = True) -> str:
        """The query of the same choice for ``/api/v1/netwerk`` (the graph, or an export)."""
        keys = ("layers", "sector") if view else ("layers",)
        pairs: list[tuple[str, Any]] = [(k, v) for k in keys for v in getattr(self, k) or ()]
        if self.chosen_year is not None:
            pairs.append(("year", self.chosen_year))
        if self.scope != "network":
            pairs.append(("scope", self.scope))
        return urlencode([*pairs, ("isolates", "partners")] if view else pairs)


Form = Annotated[NetworkForm, Depends()]
pages = APIRouter(tags=["network pages"], route_class=NetworkPageRoute, include_in_schema=False)


@pages.get("/netwerk", summary="The network: interactive graph, key figures and a sortable table")
def network_page(request: Request, snapshot: Snapshot, form: Form) -> Response:
    return _render(request, "netwerk/index.html", _index_context(snapshot, form))


@pages.get(
    "/netwerk/kaart", summary="The network on the map: offices, ties and presence per gemeente"
)
def network_map_page(request: Request, snapshot: Snapshot, form: Form) -> Response:
    return _render(request, "netwerk/kaart.html", _map_context(request, snapshot, form))


@pages.get("/netwerk/rapport", summary="One-page network report for the steering group (printable)")
def report_page(request: Request, snapshot: Snapshot, form: Form) -> Response:
    view = report_view(snapshot, **form.options())
    return _render(
        request, "netwerk/rapport.html", {"form": form, "view": view, "today": dt.date.today()}
    )


@pages.get(
    "/netwerk/organisatie/{slug}", summary="One organisation: metrics, ego network, roles, history"
)
def organisation_page(request: Request, snapshot: Snapshot, slug: OrganisationKey) -> Response:
    return _render(request, "netwerk/organisatie.html", {"view": organisation_view(snapshot, slug)})


def _index_context(snapshot: NetworkSnapshot, form: NetworkForm) -> dict[str, Any]:
    view = table_view(snapshot, sectors=form.sector, sort=form.sort, **form.options())
    return {
        "form": form,
        "view": view,
        "sectors": sorted({o.sector for o in snapshot.organisations}),
        "this_year": dt.date.today().year,
        "api_url": "/api/v1/netwerk/graph?" + form.api_query(),
        "export_query": "?" + form.api_query(view=False) if form.api_query(view=False) else "",
    }


def _map_context(request: Request, snapshot: NetworkSnapshot, form: NetworkForm) -> dict[str, Any]:
    settings, lang = request.app.state.settings, pick_language(request)
    t = Translator(lang)
    texts = {key: t(f"netwerk.kaart.tip_{key}") for key in ("presence", "need", "tie")}
    parts, legend = network_map_view(
        network_graph(snapshot, **form.options()), tiles_url=settings.tile_url, attribution=settings.tile_attribution,
        texts=texts, href=lambda slug: f"/netwerk/organisatie/{slug}?lang={lang}", lang=lang,
    )  # fmt: skip
    return {"form": form, "map": parts, "legend": legend, "this_year": dt.date.today().year}


router = APIRouter()
router.include_router(api)
router.include_router(pages)
