"""Shared fixtures for the registry tests: a fake locator and empty SQLite databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from data.db import Database

GRONINGEN = ("GM0014", "Groningen")
EMMEN = ("GM0114", "Emmen")
ASSEN = ("GM0106", "Assen")
CENTRES = {GRONINGEN: (53.2194, 6.5665), EMMEN: (52.7858, 6.8976), ASSEN: (52.9928, 6.5642)}
PC4 = {"9711": GRONINGEN, "7811": EMMEN, "9401": ASSEN}


@dataclass(frozen=True)
class FakePoint:
    lat: float
    lon: float
    precision: str
    gemeente_code: str | None
    gemeente_name: str | None


class FakeLocator:
    """Three gemeenten; a point belongs to the nearest centre (inside a Groningen/Drenthe box).

    PC4 9711 is Groningen, 7811 Emmen, 9401 Assen; a place named after a gemeente lies at
    its centre; anything else is unknown.
    """

    def locate(self, postcode: str | None, place: str | None) -> FakePoint:
        gemeente = PC4.get((postcode or "")[:4])
        if gemeente:
            return FakePoint(*CENTRES[gemeente], "postcode", *gemeente)
        for g in CENTRES:
            if place and place.casefold() == g[1].casefold():
                return FakePoint(*CENTRES[g], "place", *g)
        raise ValueError(f"postcode {postcode} en plaats {place} zijn onbekend")

    def gemeente_at(self, lat: float, lon: float) -> tuple[str, str] | None:
        if not (52.6 <= lat <= 53.6 and 6.1 <= lon <= 7.3):
            return None
        return min(CENTRES, key=lambda g: (CENTRES[g][0] - lat) ** 2 + (CENTRES[g][1] - lon) ** 2)

    def gemeente_code(self, name: str) -> tuple[str, str] | None:
        return next((g for g in CENTRES if name.strip().casefold() in (g[0].casefold(), g[1].casefold())), None)


@pytest.fixture(scope="session")
def locator() -> FakeLocator:
    """The fake locator above (Groningen 53.2194/6.5665, Emmen 52.7858/6.8976, Assen 52.9928/6.5642)."""
    return FakeLocator()


@pytest.fixture
def make_db(tmp_path: Path) -> Iterator[Callable[..., Database]]:
    """Make migrated SQLite registries in tmp_path by name, filled by ``fill`` or empty.

    They are closed after the test.
    """
    created: list[Database] = []

    def make(name: str = "registry", *, fill: Callable[[Session], None] | None = None) -> Database:
        db = Database(f"sqlite:///{tmp_path / name}.db")
        db.migrate()
        created.append(db)
        if fill is not None:
            with db.session() as session:
                fill(session)
        return db

    yield make
    for db in created:
        db.dispose()
