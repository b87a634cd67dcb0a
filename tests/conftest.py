"""Shared fixtures: databases on SQLite and PostgreSQL, and the app with the shipped data.

PostgreSQL tests run when ``KIK_TEST_PG_URL`` points at a server (``.ci/run`` starts a
throwaway cluster on loopback). With ``KIK_REQUIRE_PG=1`` (CI) a missing server fails
the run instead of skipping those tests, so CI can't pass without testing PostgreSQL.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import create_engine, text

from data.db import Database

PG_URL = os.environ.get("KIK_TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("KIK_REQUIRE_PG") == "1"


def _pg_admin_url() -> str:
    return PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated template database; each test gets a fresh copy of it."""
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail(
                "KIK_REQUIRE_PG=1 but KIK_TEST_PG_URL is not set: PostgreSQL was not started"
            )
        pytest.skip("PostgreSQL not configured (set KIK_TEST_PG_URL)")
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"kik_tpl_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    db = Database(url)
    db.migrate()
    db.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _pg_database(template: str) -> tuple[str, str]:
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"kik_t_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return name, PG_URL.rsplit("/", 1)[0] + f"/{name}"


def _pg_drop(name: str) -> None:
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated registry database — once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'kik.sqlite3'}")
        database.migrate()
        yield database
        database.dispose()
        return
    template = request.getfixturevalue("pg_template")
    name, url = _pg_database(template)
    database = Database(url)
    yield database
    database.dispose()
    _pg_drop(name)


@pytest.fixture(scope="session")
def geocoder():  # type: ignore[no-untyped-def]
    from kaart.geocode import Geocoder

    return Geocoder.from_reference()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The service on a fresh SQLite file filled with the shipped data (started once)."""
    from api.app import create_app
    from api.settings import Settings

    folder = tmp_path_factory.mktemp("app")
    return create_app(Settings(database_url=f"sqlite:///{folder / 'kik.sqlite3'}"))


@pytest.fixture(scope="session")
def client(app):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def bench_module() -> Iterator[Callable[[str], ModuleType]]:
    """``load("bench_nearby")``: bench/bench_nearby.py as a module, loaded once per session.

    bench/ holds scripts run as files, not an installed package. The module is entered in
    ``sys.modules`` as ``bench_<stem>`` (dataclasses look their module up there) and taken
    out again at the end.
    """
    root = Path(__file__).resolve().parents[1] / "bench"
    loaded: list[str] = []

    def load(stem: str) -> ModuleType:
        name = stem if stem.startswith("bench_") else f"bench_{stem}"
        if name in sys.modules:
            return sys.modules[name]
        spec = importlib.util.spec_from_file_location(name, root / f"{stem}.py")
        assert spec and spec.loader, stem
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        loaded.append(name)
        spec.loader.exec_module(module)
        return module

    yield load
    for name in loaded:
        sys.modules.pop(name, None)
