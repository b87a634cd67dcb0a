"""Template wiring for HTML pages: Jinja2 with the message catalogue and the CSP nonce."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.i18n import Translator, languages, pick_language

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render a page in the visitor's language with ``t``, ``lang``, ``nonce`` and settings."""
    lang = pick_language(request)
    ctx = {
        "request": request,
        "t": Translator(lang),
        "lang": lang,
        "languages": languages(),
        "nonce": getattr(request.state, "csp_nonce", ""),
        "settings": request.app.state.settings,
    }
    ctx.update(context or {})
    return TEMPLATES.TemplateResponse(request, name, ctx, status_code=status_code, headers=headers)
