"""Partner websites: the embed (/embed), the snippet builder (/partners/insluiten), oEmbed.

``/embed`` is the one page other sites may frame (see :mod:`api.security`): compact, no
cookies, nothing loaded from elsewhere but map tiles. Its errors are pages inside the
frame (422 for a wrong configuration, so the partner sees it while building). The
builder is a plain GET form that reloads with a preview and the code; oEmbed answers
JSON with the usual error shape (404 for pages that are not ours, 501 for XML).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from api.i18n import Translator, languages, pick_language
from api.pages import base_url, render
from api.routes.nearby import clock, place_index
from api.schemas import ErrorBody
from data.vocab import NEEDS
from kaart import maps
from kaart.embed import (
    VIEWS,
    EmbedOptions,
    InvalidEmbedOption,
    InvalidEmbedOptions,
    accent_palette,
    embed_help,
    embed_map,
    oembed_answer,
    options_for_url,
    parse_options,
    read_options,
    snippet,
)
from kaart.errors import GeocodeError, KaartError
from kaart.nearby import PlaceIndex
from kaart.search import HelpResult

BUILDER_PATH = "/partners/insluiten"


class EmbedRoute(APIRoute):
    """Errors inside the frame are pages: a wrong configuration (422), a place we do not
    know (422, with suggestions), another search problem (400)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except InvalidEmbedOptions as exc:
                return _embed_page(request, EmbedOptions(), None, problems=exc.problems, status=422)
            except GeocodeError as exc:
                return _embed_page(request, embed_options(request), None, error=exc, status=422)
            except KaartError as exc:
                return _embed_page(request, embed_options(request), None, error=exc, status=400)

        return route


pages = APIRouter(tags=["embed"], route_class=EmbedRoute, include_in_schema=False)
api = APIRouter(tags=["embed"])
router = APIRouter()


def embed_options(request: Request) -> EmbedOptions:
    """The embed's options from the query string, checked strictly."""
    pairs = request.query_params.multi_items()
    return parse_options(pairs, geocoder=request.app.state.geocoder, languages=languages())


@pages.get("/embed", summary="The help-finder for partner websites, in an iframe")
def embed(
    request: Request,
    options: EmbedOptions = Depends(embed_options),
    index: PlaceIndex = Depends(place_index),
    now: dt.datetime = Depends(clock),
) -> Response:
    settings = request.app.state.settings
    result = embed_help(
        index, request.app.state.geocoder, options, radius_km=settings.default_radius_km,
        max_radius_km=settings.max_radius_km, now=now,
    )  # fmt: skip
    return _embed_page(request, options, result)


@pages.get(BUILDER_PATH, summary="Snippet builder: the help-finder on your own website")
def builder(request: Request) -> Response:
    # The page's own language is ?lang=; the embed's language is the form field embed_lang.
    pairs = [
        ("lang" if k == "embed_lang" else k, v)
        for k, v in request.query_params.multi_items()
        if k != "lang"
    ]
    options, problems = read_options(
        pairs, geocoder=request.app.state.geocoder, languages=languages()
    )
    status = 422 if problems else 200
    return render(
        request,
        "embed_builder.html",
        _builder_context(request, options, problems),
        status_code=status,
    )


@api.get(
    "/oembed",
    summary="oEmbed 1.0: the embed code (type rich) for a page of this site",
    responses={
        400: {"model": ErrorBody}, 404: {"model": ErrorBody, "description": "Not a page of ours"},
        422: {"model": ErrorBody}, 501: {"model": ErrorBody, "description": "Only JSON"},
    },
)  # fmt: skip
def oembed(
    request: Request,
    url: Annotated[
        str,
        Query(max_length=2000, description="A page of this site: /, /zoeken, /plek/… or /embed"),
    ],
    maxwidth: Annotated[int | None, Query(ge=1, le=10000, description="Largest width (px)")] = None,
    maxheight: Annotated[
        int | None, Query(ge=1, le=10000, description="Largest height (px)")
    ] = None,
    format_: Annotated[str, Query(alias="format", max_length=20, description="Only json")] = "json",
    index: PlaceIndex = Depends(place_index),
) -> JSONResponse:
    if format_ != "json":
        raise HTTPException(501, "Alleen format=json wordt ondersteund (only JSON is supported).")
    options = options_for_url(
        url, hosts=_own_hosts(request), index=index, geocoder=request.app.state.geocoder
    )
    title = Translator(options.lang or pick_language(request))("embed.frame_title")
    answer = oembed_answer(
        base_url(request), options, title=title, maxwidth=maxwidth, maxheight=maxheight
    )
    headers = {
        "Cache-Control": f"public, max-age={request.app.state.settings.cache_max_age}",
        "Access-Control-Allow-Origin": "*",  # public data; lets browser-side consumers read it
    }
    return JSONResponse(answer, headers=headers)


router.include_router(pages)
router.include_router(api)


# --- page context ----------------------------------------------------------------------


def _own_hosts(request: Request) -> set[str]:
    public = request.app.state.settings.public_url
    return {request.url.netloc} | ({urlsplit(public).netloc} if public else set())


def _embed_page(
    request: Request, options: EmbedOptions, result: HelpResult | None, *,
    error: KaartError | None = None, problems: list[InvalidEmbedOption] | None = None,
    status: int = 200,
) -> Response:  # fmt: skip
    lang = pick_language(request)
    settings = request.app.state.settings
    context = {
        "options": options,
        "result": result,
        "needs": NEEDS,
        "error": _message(error, lang) if error else None,
        "suggestions": [
            (s, "/embed?" + dataclasses.replace(options, q=s).query())
            for s in getattr(error, "suggestions", [])
        ],
        "problems": [_message(p, lang) for p in problems or []],
        "palette": accent_palette(options.accent) if options.accent else None,
        "map": _map(request, options, result, lang) if result and options.view != "list" else None,
        "site_link": options.site_link(lang),
    }
    # The configured embed (no visitor's text) is the same for everyone: let caches keep it,
    # per language when the embed follows the visitor's browser language.
    headers = None
    if status == 200 and not options.q:
        headers = {"Cache-Control": f"public, max-age={settings.cache_max_age}"}
        headers |= {} if options.lang else {"Vary": "Accept-Language"}
    return render(request, "embed.html", context, status_code=status, headers=headers)


def _message(error: Exception, lang: str) -> str:
    if lang == "en" and hasattr(error, "message_en"):
        return str(error.message_en)
    return str(error)


def _map(request: Request, options: EmbedOptions, result: HelpResult, lang: str) -> maps.MapParts:
    settings = request.app.state.settings
    m = embed_map(
        result, show_point=options.gemeente is None or bool(options.q), zoom=options.zoom,
        label=Translator(lang)("search.map.you"), tiles_url=settings.tile_url,
        attribution=settings.tile_attribution, href=lambda p: f"/plek/{p.slug}?lang={lang}",
    )  # fmt: skip
    return maps.render_parts(m)


def _builder_context(
    request: Request, options: EmbedOptions, problems: list[InvalidEmbedOption]
) -> dict[str, Any]:
    lang = pick_language(request)
    title = Translator(options.lang or "nl")("embed.frame_title")
    src = base_url(request) + "/embed" + (f"?{options.query()}" if options.query() else "")
    return {
        "options": options,
        "problems": {p.field: _message(p, lang) for p in problems},
        "gemeenten": request.app.state.geocoder.gemeenten(),
        "needs": NEEDS,
        "views": VIEWS,
        "preview_src": "/embed" + (f"?{options.query()}" if options.query() else ""),
        "snippet": snippet(base_url(request), options, title=title),
        "builder_path": BUILDER_PATH,
        "oembed_link": f"{base_url(request)}/oembed?" + urlencode({"url": src, "format": "json"}),
    }
