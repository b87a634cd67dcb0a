"""The ``kik`` command on a throw-away SQLite file: validate, import, export, rebuild,
build-shipped (reproducible) and import of an HSDS datapackage.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyogrio
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from api.app import open_database
from api.cli import app
from api.settings import Settings
from data.db import Database
from data.dump import SHIPPED
from data.models import Location, Organisation, Service

HEADER = "name,organisation,kind,needs,description,postcode,place,free,referral_needed,source_seen\r\n"
#: Two new places, one found by postcode and one by village name.
GOOD_CSV = HEADER + (
    "Kledingruil Musselkanaal,Stichting Ruilwinkel Zuidoost,clothing_bank,clothing,"
    "Kleding ruilen en gratis meenemen.,9581,Musselkanaal,ja,nee,2024\r\n"
    "Soepcafé Ter Apel,Stichting Ruilwinkel Zuidoost,drop_in,food;meeting,"
    "Elke week soep en een praatje.,,Ter Apel,ja,nee,2024-05\r\n"
)
#: Row 1 is fine; row 2 has a bad need, row 3 a bad postcode and a bad e-mail column value.
BAD_CSV = HEADER.replace("\r\n", ",email\r\n") + (
    "Goed Buurthuis,Stichting Goed,community_centre,meeting,Koffie.,9501,Stadskanaal,ja,nee,2024,\r\n"
    "Fout Buurthuis,Stichting Fout,community_centre,koffie,Koffie.,9501,Stadskanaal,ja,nee,2024,\r\n"
    "Ander Buurthuis,Stichting Fout,community_centre,meeting,Thee.,95,Stadskanaal,ja,nee,2024,geen-adres\r\n"
)

EXPORTS = [
    ("hsds-json", "hsds.json"),
    ("hsds-datapackage", "hsds-package"),
    ("hsds-datapackage", "hsds-package.zip"),
    ("geojson", "plekken.geojson"),
    ("gpkg", "plekken.gpkg"),
    ("registry", "registry.json"),
]


def kik(*args: str, url: str | None = None, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    """Run ``kik`` in-process; ``url`` is passed as ``--database-url``."""
    argv = [*args, *(["--database-url", url] if url else [])]
    return CliRunner().invoke(app, argv, env=env, input=stdin)


def counts(url: str) -> dict[str, int]:
    db = Database(url)
    try:
        with db.sessions() as session:
            return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0
                    for m in (Organisation, Location, Service)}
    finally:
        db.dispose()


def version(url: str) -> int:
    db = Database(url)
    try:
        return db.version()
    finally:
        db.dispose()


def shipped_counts() -> dict[str, int]:
    doc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return {name: len(doc[name]) for name in ("organisation", "location", "service")}


@pytest.fixture(scope="module")
def shipped_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file filled with the shipped data, as ``kik`` leaves it on first use."""
    path = tmp_path_factory.mktemp("shipped") / "kik.sqlite3"
    open_database(Settings(database_url=f"sqlite:///{path}")).dispose()
    return path


def fresh_copy(shipped_file: Path, target: Path) -> str:
    shutil.copyfile(shipped_file, target)
    return f"sqlite:///{target}"


@pytest.fixture
def url(shipped_file: Path, tmp_path: Path) -> str:
    """A copy of the shipped database for one test (copying is faster than filling)."""
    return fresh_copy(shipped_file, tmp_path / "kik.sqlite3")


@pytest.fixture
def good_csv(tmp_path: Path) -> Path:
    path = tmp_path / "nieuwe-plekken.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    return path


@pytest.fixture
def bad_csv(tmp_path: Path) -> Path:
    path = tmp_path / "fouten.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    return path


def test_validate_prints_what_would_be_imported_and_changes_nothing(url: str, good_csv: Path) -> None:
    before, rows = version(url), counts(url)
    result = kik("validate", str(good_csv), url=url)
    assert result.exit_code == 0, result.output
    assert "zou importeren" in result.stdout
    report = json.loads(result.stdout.split(": ", 2)[2])
    assert report["created"] == 2 and report["organisations_created"] == 1
    assert version(url) == before and counts(url) == rows


def test_validate_reads_the_database_from_the_environment(url: str, good_csv: Path) -> None:
    before = version(url)
    result = kik("validate", str(good_csv), env={"KIK_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert '"created": 2' in result.stdout
    assert version(url) == before


def test_validate_of_a_bad_file_exits_1_and_lists_each_error_by_row_and_field(url: str, bad_csv: Path) -> None:
    before, rows = version(url), counts(url)
    result = kik("validate", str(bad_csv), url=url)
    assert result.exit_code == 1
    assert "3 fout(en), er is niets opgeslagen" in result.stderr
    assert "rij 2, veld 'needs'" in result.stderr
    assert "rij 3, veld 'email'" in result.stderr
    assert "rij 3, veld 'postcode'" in result.stderr
    assert "rij 1" not in result.stderr
    assert version(url) == before and counts(url) == rows


def test_a_bad_import_also_changes_nothing(url: str, bad_csv: Path) -> None:
    before, rows = version(url), counts(url)
    result = kik("import", str(bad_csv), url=url)
    assert result.exit_code == 1 and "rij 2, veld 'needs'" in result.stderr
    assert version(url) == before and counts(url) == rows


def test_import_twice_second_time_changes_nothing(url: str, good_csv: Path) -> None:
    rows = counts(url)
    first = kik("import", str(good_csv), url=url)
    assert first.exit_code == 0, first.output
    assert '"created": 2' in first.stdout and "geïmporteerd" in first.stdout
    after_first = version(url)
    second = kik("import", str(good_csv), url=url)
    assert second.exit_code == 0, second.output
    assert '"created": 0, "updated": 0, "unchanged": 2' in second.stdout
    assert version(url) == after_first
    assert counts(url) == {**rows, "service": rows["service"] + 2, "location": rows["location"] + 2,
                           "organisation": rows["organisation"] + 1}


@pytest.mark.parametrize(("fmt", "name"), EXPORTS, ids=[n for _, n in EXPORTS])
def test_export_writes_a_file_that_reads_back(url: str, tmp_path: Path, fmt: str, name: str) -> None:
    target = tmp_path / "out" / name
    result = kik("export", fmt, str(target), url=url)
    assert result.exit_code == 0, result.output
    shipped = shipped_counts()
    if fmt == "hsds-json":
        doc = json.loads(target.read_text(encoding="utf-8"))
        assert len(doc["services"]) == shipped["service"]
        assert len(doc["organizations"]) == shipped["organisation"]
    elif fmt == "hsds-datapackage" and target.suffix == ".zip":
        import zipfile

        with zipfile.ZipFile(target) as package:
            assert "datapackage.json" in package.namelist()
            assert json.loads(package.read("datapackage.json"))["resources"]
    elif fmt == "hsds-datapackage":
        assert json.loads((target / "datapackage.json").read_text(encoding="utf-8"))["resources"]
        assert (target / "service.csv").read_text(encoding="utf-8").count("\n") > shipped["service"]
    elif fmt == "geojson":
        doc = json.loads(target.read_text(encoding="utf-8"))
        assert doc["type"] == "FeatureCollection" and doc["features"]
    elif fmt == "gpkg":
        frame = pyogrio.read_dataframe(target, layer="locaties")
        assert len(frame) > 0 and frame.crs.to_epsg() == 4326
    else:
        doc = json.loads(target.read_text(encoding="utf-8"))
        assert {name: len(doc[name]) for name in shipped} == shipped


def test_an_unknown_export_format_is_refused(url: str, tmp_path: Path) -> None:
    result = kik("export", "shapefile", str(tmp_path / "x.shp"), url=url)
    assert result.exit_code != 0
    assert not (tmp_path / "x.shp").exists()


def test_rebuild_restores_the_shipped_data(url: str, good_csv: Path) -> None:
    assert kik("import", str(good_csv), url=url).exit_code == 0
    assert counts(url) != shipped_counts()
    result = kik("rebuild", "--yes", url=url)
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.stdout
    assert counts(url) == shipped_counts()


def test_rebuild_asks_first_and_no_keeps_everything(url: str, good_csv: Path) -> None:
    assert kik("import", str(good_csv), url=url).exit_code == 0
    rows = counts(url)
    result = kik("rebuild", url=url, stdin="n\n")
    assert result.exit_code == 1
    assert counts(url) == rows


def test_build_shipped_reproduces_the_committed_registry_byte_for_byte(tmp_path: Path) -> None:
    target = tmp_path / "registry.json"
    result = kik("build-shipped", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == SHIPPED.read_bytes()


def test_an_exported_datapackage_imports_into_another_database(
    url: str, good_csv: Path, tmp_path: Path, shipped_file: Path
) -> None:
    assert kik("import", str(good_csv), url=url).exit_code == 0
    package = tmp_path / "package"
    assert kik("export", "hsds-datapackage", str(package), url=url).exit_code == 0
    other = fresh_copy(shipped_file, tmp_path / "other.sqlite3")
    result = kik("import", str(package), url=other)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.split(": ", 2)[2])
    assert report["created"] == 2 and report["unchanged"] == shipped_counts()["service"]
    assert counts(other) == counts(url)
    again = kik("import", str(package), url=other)
    assert json.loads(again.stdout.split(": ", 2)[2])["created"] == 0


def test_serve_fills_a_new_database_once_before_the_workers_start(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    seen: dict[str, object] = {}

    def fake_run(target: str, **options: object) -> None:  # what uvicorn would start
        db = Database(url)
        seen.update(target=target, workers=options["workers"], empty=db.is_empty(), version=db.version())
        db.dispose()

    monkeypatch.setattr("uvicorn.run", fake_run)
    monkeypatch.delenv("KIK_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["serve", "--workers", "2", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert seen == {"target": "api.main:app", "workers": 2, "empty": False, "version": 1}
