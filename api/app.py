"""The FastAPI application: ``create_app(settings)`` wires storage, reference data and routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles

from api.errors import add_exception_handlers
from api.security import SecurityHeaders
from api.settings import Settings
from data.db import Database
from data.dump import SHIPPED, load_registry, read_json

log = logging.getLogger("kik")
STATIC = Path(__file__).parent / "static"


def open_database(settings: Settings) -> Database:
    """Open (and migrate) the database; fill an empty one with the shipped data."""
    db = Database(settings.database_url)
    db.migrate()
    if settings.load_shipped_data and db.is_empty():
        with db.session() as session:
            counts = load_registry(session, read_json(SHIPPED))
        log.info("filled empty database with shipped data: %s", counts)
    return db


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    from kaart.geocode import Geocoder

    settings: Settings = app.state.settings
    app.state.db = open_database(settings)
    app.state.geocoder = Geocoder.from_reference()
    app.state.caches = {}
    yield
    app.state.db.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service. Nothing is opened until the app starts (lifespan)."""
    from api.routes import health, hsds, registry

    settings = settings or Settings()
    app = FastAPI(
        title="Kracht in Kaart",
        version="0.1.0",
        summary="Warmtebronnen, buurtinitiatieven en samenwerking van de Alliantie van Kracht tegen Armoede",
        description=(
            "Open API of Kracht in Kaart. Data: Alliantie van Kracht tegen Armoede; "
            "geodata CBS (CC BY 4.0) en GeoNames (CC BY 4.0). The directory follows "
            "Open Referral HSDS 3.0 under /hsds."
        ),
        lifespan=lifespan,
    )
    app.state.settings = settings
    add_exception_handlers(app)
    if settings.compress:  # residents on slow phone connections; a proxy may do it instead
        # inside SecurityHeaders: it sees each answer whole, so small ones stay plain
        app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    app.add_middleware(SecurityHeaders, settings=settings)
    for module in (health, registry, hsds):
        app.include_router(module.router)
    for extra in _optional_routers():
        app.include_router(extra)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _optional_routers() -> list:
    """Routers of parts that are built in their own modules (pages, network)."""
    import importlib

    routers = []
    for name in ("api.routes.pages", "api.routes.nearby", "api.routes.embed", "api.routes.netwerk"):
        try:
            routers.append(importlib.import_module(name).router)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return routers
