"""Security and privacy headers on every answer: CSP with a per-request nonce, no cookies.

Pages may load from our own origin only, plus map tiles from the configured tile server.
``/embed`` may be framed by the sites in ``frame_ancestors``; other pages only by us.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from api.settings import Settings

EMBEDDABLE = ("/embed", "/static/")


def tile_origin(tile_url: str) -> str:
    """The scheme and host of a tile URL template, for the CSP.

    >>> tile_origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
    'https://*.tile.openstreetmap.org'
    """
    parts = urlsplit(tile_url.replace("{s}.", "*."))
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(settings: Settings, nonce: str, *, embeddable: bool) -> str:
    # Our own snippet builder previews the embed, so 'self' may always frame it.
    ancestors = f"'self' {settings.frame_ancestors}" if embeddable else "'self'"
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: {tile_origin(settings.tile_url)}",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {ancestors}",
    ])


class SecurityHeaders(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        super().__init__(app)
        self.settings = settings

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        nonce = secrets.token_urlsafe(16)
        request.state.csp_nonce = nonce
        response = await call_next(request)
        path = request.url.path
        embeddable = path.startswith(EMBEDDABLE)
        response.headers["Content-Security-Policy"] = content_security_policy(
            self.settings, nonce, embeddable=embeddable
        )
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
        if "set-cookie" in response.headers:  # residents get no cookies, ever
            del response.headers["set-cookie"]
        return response
