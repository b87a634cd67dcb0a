"""Residents' pages: search (/), results (/zoeken), a place (/plek/…), accessibility.

Every page works without JavaScript (plain GET forms and links); the map and the
"use my location" button are extras. Errors a resident can fix (a place we do not know,
a wrong date) are rendered as a friendly page by :class:`PageRoute`, never as JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from api.i18n import Translator, pick_language
from api.pages import render
from api.routes.nearby import clock, place_index
from api.settings import Settings
from data.errors import NotFound
from data.vocab import NEEDS
from kaart import maps
from kaart.errors import GeocodeError, KaartError
from kaart.nearby import InvalidSearch, PlaceIndex
from kaart.search import HelpResult, PlaceDetail, find_help, place_detail

FORM_KEYS = ("q", "lat", "lon", "needs", "all_needs", "when", "date", "time", "free", "no_referral")


class PageRoute(APIRoute):
    """Render the errors a resident can fix as pages: 422 place unknown, 404, 400."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except GeocodeError as exc:
                return _geocode_error(request, exc)
            except NotFound:
                return render(request, "not_found.html", status_code=404)
            except KaartError as exc:
                return _search_error(request, str(exc), 400)
            except RequestValidationError:
                return _search_error(request, "", 422)

        return route


router = APIRouter(tags=["pages"], route_class=PageRoute, include_in_schema=False)


@dataclass
class SearchForm:
    """The search form's fields, as typed in; also rebuilds links with changes."""

    q: str = ""
    lat: str = ""
    lon: str = ""
    needs: list[str] = field(default_factory=list)
    all_needs: bool = False
    when: str = "any"
    date: str = ""
    time: str = ""
    free: bool = False
    no_referral: bool = False

    def open_at(self) -> dt.datetime | None:
        if self.when != "at" and not (self.when != "now" and self.date):
            return None
        try:
            day = dt.date.fromisoformat(self.date) if self.date else None
            at = dt.time.fromisoformat(self.time) if self.time else dt.time(12, 0)
        except ValueError:
            raise InvalidSearch(
                f"'{self.date} {self.time}' is geen dag en tijd (zoals 2026-04-27 14:30)"
            ) from None
        if day is None:
            raise InvalidSearch("kies een dag bij 'open op een dag en tijd'")
        return dt.datetime.combine(day, at)

    def options(self, settings: Settings) -> dict[str, Any]:
        """Keyword arguments for `find_help`: text wins over coordinates."""
        return {
            "query": self.q or None, "lat": _number(self.lat) if not self.q else None,
            "lon": _number(self.lon) if not self.q else None, "needs": tuple(self.needs),
            "needs_match": "all" if self.all_needs else "any", "open_now": self.when == "now",
            "open_at": self.open_at(), "free": self.free, "no_referral": self.no_referral,
            "radius_km": settings.default_radius_km, "max_radius_km": settings.max_radius_km,
        }  # fmt: skip

    def query(self, lang: str, **changes: Any) -> str:
        """The query string of this search (with changes), for links."""
        values = {**self.__dict__, **changes}
        pairs: list[tuple[str, str]] = []
        for key in FORM_KEYS:
            value = values[key]
            if isinstance(value, list):
                pairs += [(key, v) for v in value]
            elif value is True:
                pairs.append((key, "1"))
            elif value and not (key == "when" and value == "any"):
                pairs.append((key, str(value)))
        return urlencode([*pairs, ("lang", lang)])


def _number(text: str) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return float("nan")  # the geocoder explains what a coordinate should look like


def search_form(
    q: Annotated[str, Query(max_length=200)] = "",
    lat: Annotated[str, Query(max_length=40)] = "",
    lon: Annotated[str, Query(max_length=40)] = "",
    needs: Annotated[list[str] | None, Query(max_length=40)] = None,
    all_needs: bool = False,
    when: Annotated[str, Query(pattern="^(any|now|at)$")] = "any",
    date: Annotated[str, Query(max_length=20)] = "",
    time: Annotated[str, Query(max_length=10)] = "",
    free: bool = False,
    no_referral: bool = False,
) -> SearchForm:
    return SearchForm(
        q.strip(),
        lat.strip(),
        lon.strip(),
        list(dict.fromkeys(needs or [])),
        all_needs,
        when,
        date.strip(),
        time.strip(),
        free,
        no_referral,
    )


def _form_from(request: Request) -> SearchForm:
    params = request.query_params
    return SearchForm(
        q=params.get("q", "")[:200], needs=[n for n in params.getlist("needs") if n in NEEDS],
        all_needs=params.get("all_needs") == "1", free=params.get("free") == "1",
        no_referral=params.get("no_referral") == "1",
        when=params.get("when", "any") if params.get("when") in ("now", "at") else "any",
        date=params.get("date", "")[:20], time=params.get("time", "")[:10],
    )  # fmt: skip


def _geocode_error(request: Request, exc: GeocodeError) -> Response:
    form = _form_from(request)
    lang = pick_language(request)
    message = exc.message_en if lang == "en" else exc.message
    links = [(s, "/zoeken?" + form.query(lang, q=s)) for s in exc.suggestions]
    context = {"message": message, "suggestions": links, "form": form, "needs": NEEDS}
    return render(request, "geocode_error.html", context, status_code=422)


def _search_error(request: Request, detail: str, status: int) -> Response:
    context = {"detail": detail, "form": _form_from(request), "needs": NEEDS}
    return render(request, "search_error.html", context, status_code=status)


def _share_url(request: Request) -> str:
    base = (request.app.state.settings.public_url or str(request.base_url)).rstrip("/")
    return (
        f"{base}{request.url.path}?{request.url.query}"
        if request.url.query
        else base + request.url.path
    )


def _results_map(request: Request, result: HelpResult) -> maps.MapParts:
    settings: Settings = request.app.state.settings
    lang = pick_language(request)
    m = maps.results_map(
        result.point.lat, result.point.lon, result.hits, label=Translator(lang)("search.map.you"),
        tiles_url=settings.tile_url, attribution=settings.tile_attribution,
        href=lambda p: f"/plek/{p.slug}?lang={lang}",
    )  # fmt: skip
    return maps.render_parts(m)


def _place_map(request: Request, detail: PlaceDetail) -> maps.MapParts | None:
    place, settings = detail.location, request.app.state.settings
    if place.confidential or place.lat is None or place.location_type != "physical":
        return None
    m = maps.place_map(place, tiles_url=settings.tile_url, attribution=settings.tile_attribution)
    return maps.render_parts(m)


@router.get("/", summary="Start: search help near a postcode or place")
def start(request: Request) -> Response:
    return render(request, "start.html", {"form": SearchForm(), "needs": NEEDS})


@router.get("/zoeken", summary="Results: places near the searched point, as a list and a map")
def results(
    request: Request,
    form: SearchForm = Depends(search_form),
    index: PlaceIndex = Depends(place_index),
    now: dt.datetime = Depends(clock),
) -> Response:
    result = find_help(
        index, request.app.state.geocoder, **form.options(request.app.state.settings), now=now
    )
    context = {
        "form": form,
        "needs": NEEDS,
        "result": result,
        "map": _results_map(request, result),
        "share_url": _share_url(request),
    }
    return render(request, "results.html", context)


@router.get("/plek/{slug}", summary="One place: offers, this week's hours, map, verification")
def place(
    request: Request,
    slug: str,
    index: PlaceIndex = Depends(place_index),
    now: dt.datetime = Depends(clock),
) -> Response:
    detail = place_detail(index, slug, now=now)
    return render(request, "place.html", {"detail": detail, "map": _place_map(request, detail)})


@router.get("/toegankelijkheid", summary="Accessibility statement (WCAG 2.1 AA)")
def accessibility(request: Request) -> Response:
    return render(request, "accessibility.html")
