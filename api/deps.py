"""Request dependencies: a database session, settings and per-data-version caches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from api.settings import Settings
from data.db import Database


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.db.sessions() as session:
        yield session


def cached(request: Request, name: str, build: Callable[[Session], Any]) -> Any:
    """``build(session)`` once per data version; rebuilt when any write bumped the version."""
    db: Database = request.app.state.db
    version = db.version()
    caches: dict[str, tuple[int, Any]] = request.app.state.caches
    hit = caches.get(name)
    if hit is None or hit[0] != version:
        with db.sessions() as session:
            caches[name] = (version, build(session))
    return caches[name][1]
