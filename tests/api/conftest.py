"""A small known registry around Nieuw-Buinen (GM1681), served by its own app.

The shared ``client`` serves the shipped data; tests that need known answers build their
own rows with the ``known_registry`` builders and serve them on a fixed clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.nearby import clock
from api.settings import Settings
from data.dump import FORMAT, load_registry


def location_row(n: int, name: str, lat: float | None, lon: float | None, **kw: object) -> dict:
    """Location ``l{n}`` at Hoofdstraat {n}, Nieuw-Buinen; ``kw`` replaces or adds fields."""
    row = {
        "id": f"l{n}",
        "slug": f"plek-{n}",
        "name": name,
        "location_type": "physical",
        "address": f"Hoofdstraat {n}",
        "postcode": "9521 AB",
        "place": "Nieuw-Buinen",
        "gemeente_code": "GM1681",
        "gemeente_name": "Borger-Odoorn",
        "latitude": lat,
        "longitude": lon,
        "precision": "address",
        "confidential": False,
        "source": "test",
    }
    return row | kw


def service_row(n: int, name: str, needs: list[str], **kw: object) -> dict:
    """Service ``s{n}`` at location ``l{n}``, free and without referral; ``kw`` replaces or adds fields."""
    row = {
        "id": f"s{n}",
        "location_id": f"l{n}",
        "name": name,
        "kind": "other",
        "description": "",
        "needs": needs,
        "free": True,
        "referral_needed": False,
        "opening_hours": None,
        "phone": "0599-123456",
        "source": "test",
    }
    return row | kw


def registry(locations: list[dict], services: list[dict]) -> dict:
    """A dump of one organisation, Stichting Test (``o1``), with these locations and services."""
    organisation = {
        "id": "o1",
        "slug": "stichting-test",
        "name": "Stichting Test",
        "sector": "welfare",
        "source": "test",
    }
    return {
        "format": FORMAT,
        "organisation": [organisation],
        "location": locations,
        "service": services,
        "activity": [],
        "relation": [],
    }


@contextmanager
def serve(folder: Path, dump: dict, now: Callable[[], dt.datetime]) -> Iterator[TestClient]:
    """A client over a fresh SQLite registry in ``folder`` holding only ``dump``; ``now`` is the clock."""
    app = create_app(
        Settings(database_url=f"sqlite:///{folder / 'kik.sqlite3'}", load_shipped_data=False)
    )
    app.dependency_overrides[clock] = now
    with TestClient(app) as c:
        with app.state.db.session() as session:
            load_registry(session, dump)
        yield c


@pytest.fixture(scope="session")
def known_registry() -> SimpleNamespace:
    """The builders above, for tests (test modules cannot import conftest directly)."""
    return SimpleNamespace(location=location_row, service=service_row, registry=registry, serve=serve)
