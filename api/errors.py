"""One map from domain exceptions to HTTP status codes, and one JSON error shape.

Every error answer is ``{"error": {"status": int, "code": str, "message": str,
"details": [...]}}`` with a message a person can act on.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from data.errors import ImportFailed, InvalidOpeningHours, NotFound, RegistryError
from kaart.errors import GeocodeError, KaartError

log = logging.getLogger("kik.api")

DEFAULT_STATUS_CODES: dict[type[Exception], int] = {
    NotFound: 404,
    ImportFailed: 422,
    InvalidOpeningHours: 422,
    GeocodeError: 422,
    KaartError: 400,
    RegistryError: 400,
}

try:  # netwerk is optional while it is being built
    from netwerk.errors import NetworkError, UnknownOrganisation

    DEFAULT_STATUS_CODES = {UnknownOrganisation: 404, NetworkError: 400, **DEFAULT_STATUS_CODES}
except ImportError:  # pragma: no cover
    pass


def error_body(status: int, code: str, message: str, details: list | None = None) -> dict:
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def _details(exc: Exception) -> list:
    if isinstance(exc, ImportFailed):
        return [{"row": e.row, "field": e.field, "message": e.message} for e in exc.errors]
    if isinstance(exc, GeocodeError):
        return [{"suggestions": exc.suggestions}]
    return []


def _status_for(exc: Exception) -> int:
    for cls in type(exc).__mro__:
        if cls in DEFAULT_STATUS_CODES:
            return DEFAULT_STATUS_CODES[cls]
    return 500


def add_exception_handlers(app: FastAPI) -> None:
    """Install the handlers: domain errors, validation errors, HTTP errors, the rest."""

    async def domain(request: Request, exc: Exception) -> JSONResponse:
        status = _status_for(exc)
        return JSONResponse(error_body(status, type(exc).__name__, str(exc), _details(exc)), status)

    async def validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", ())[1:]), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        msg = "; ".join(f"{d['field']}: {d['message']}" for d in details) or "ongeldige vraag"
        return JSONResponse(error_body(422, "InvalidRequest", msg, details), 422)

    async def http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "fout"
        if exc.status_code == 404 and message == "Not Found":
            message = "Deze pagina of dit adres bestaat niet."
        return JSONResponse(error_body(exc.status_code, "HTTPError", message), exc.status_code, headers=getattr(exc, "headers", None))

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse(error_body(500, "InternalError", "Er ging iets mis aan onze kant."), 500)

    for exc_type in DEFAULT_STATUS_CODES:
        app.add_exception_handler(exc_type, domain)
    app.add_exception_handler(RequestValidationError, validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, unexpected)
