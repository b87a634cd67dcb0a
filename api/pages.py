"""Template wiring for HTML pages: Jinja2 with the message catalogue and the CSP nonce."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.i18n import Translator, languages, pick_language

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
OEMBED_PAGES = ("/", "/zoeken", "/embed")  # and /plek/<slug>: the pages partners can embed


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page in the visitor's language with ``t``, ``lang``, ``nonce`` and settings.

    Also ``lang_links`` (the language switch, keeping the query) and ``oembed_url`` (the
    oEmbed discovery link of embeddable pages, which base.html puts in the head).
    """
    lang = pick_language(request)
    ctx = {
        "request": request,
        "lang_links": lang_links(request, lang),
        "oembed_url": oembed_url(request) if status_code == 200 else None,
        "t": Translator(lang),
        "lang": lang,
        "languages": languages(),
        "nonce": getattr(request.state, "csp_nonce", ""),
        "settings": request.app.state.settings,
    }
    ctx.update(context or {})
    return TEMPLATES.TemplateResponse(request, name, ctx, status_code=status_code, headers=headers)


def base_url(request: Request) -> str:
    """Our public address without a trailing slash: the setting, else the request's own."""
    return (request.app.state.settings.public_url or str(request.base_url)).rstrip("/")


def lang_links(request: Request, lang: str) -> list[tuple[str, str]]:
    """``(code, "?…&lang=code")`` for the other languages, keeping the rest of the query."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return [
        (code, "?" + urlencode([*kept, ("lang", code)])) for code in languages() if code != lang
    ]


def oembed_url(request: Request) -> str | None:
    """The oEmbed discovery address of this page, for pages that can be embedded."""
    path = request.url.path
    if request.method != "GET" or not (path in OEMBED_PAGES or path.startswith("/plek/")):
        return None
    base = base_url(request)
    page = base + path + (f"?{request.url.query}" if request.url.query else "")
    return f"{base}/oembed?" + urlencode({"url": page, "format": "json"})
