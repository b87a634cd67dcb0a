"""The ``kik`` command: serve, import, export, validate and rebuild the registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Kracht in Kaart: warmtebronnen en samenwerking op één kaart.", no_args_is_help=True)

DbOption = Annotated[str | None, typer.Option("--database-url", help="Default: KIK_DATABASE_URL or the SQLite file.")]


def _settings(database_url: str | None):  # type: ignore[no-untyped-def]
    from api.settings import Settings

    return Settings(database_url=database_url) if database_url else Settings()


def _locator():  # type: ignore[no-untyped-def]
    from kaart.geocode import Geocoder

    return Geocoder.from_reference()


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    database_url: DbOption = None,
) -> None:
    """Run the web service (creates and fills the database on first run)."""
    import os

    import uvicorn

    from api.app import open_database

    if database_url:
        os.environ["KIK_DATABASE_URL"] = database_url
    # Migrate and fill a new database here, once, before the workers start: each worker
    # would otherwise find it empty and fill it at the same time.
    open_database(_settings(database_url)).dispose()
    uvicorn.run("api.main:app", host=host, port=port, workers=workers, access_log=False,
                proxy_headers=True, log_level="info")


@app.command("build-shipped")
def build_shipped(output: Path = Path(__file__).resolve().parent.parent / "data" / "shipped" / "registry.json") -> None:
    """Rebuild data/shipped/registry.json from data/sources (reproducible)."""
    from data.build import build_registry
    from data.dump import write_json

    doc = build_registry(_locator())
    write_json(doc, output)
    counts = {k: len(v) for k, v in doc.items() if isinstance(v, list)}
    typer.echo(f"wrote {output}: {json.dumps(counts)}")


def _import(path: Path, database_url: str | None, dry_run: bool) -> None:
    from api.app import open_database
    from data.errors import ImportFailed
    from data.importer import import_file

    settings = _settings(database_url)
    db = open_database(settings)
    try:
        with db.session() as session:
            report = import_file(session, path, _locator(), dry_run=dry_run)
            if dry_run:
                session.rollback()
    except ImportFailed as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=1) from exc
    finally:
        db.dispose()
    verb = "zou importeren" if dry_run else "geïmporteerd"
    typer.echo(f"{path.name}: {verb}: {json.dumps(report.as_dict())}")


@app.command("import")
def import_(path: Path, database_url: DbOption = None) -> None:
    """Import a CSV/XLSX (flat layout), GeoJSON, HSDS JSON or HSDS datapackage (folder or zip)."""
    _import(path, database_url, dry_run=False)


@app.command()
def validate(path: Path, database_url: DbOption = None) -> None:
    """Check a file as an import would, without saving anything (dry run)."""
    _import(path, database_url, dry_run=True)


@app.command()
def export(
    fmt: Annotated[str, typer.Argument(help="hsds-json | hsds-datapackage | geojson | gpkg | registry")],
    output: Path,
    database_url: DbOption = None,
) -> None:
    """Export the whole registry in an open format."""
    from api.app import open_database
    from data.exporter import export_to

    db = open_database(_settings(database_url))
    try:
        with db.sessions() as session:
            export_to(session, fmt, output)
    finally:
        db.dispose()
    typer.echo(f"wrote {output}")


@app.command()
def migrate(database_url: DbOption = None) -> None:
    """Bring the database schema to the newest version (run once before starting instances)."""
    from data.db import Database

    db = Database(_settings(database_url).database_url)
    db.migrate()
    typer.echo(f"schema up to date; data version {db.version()}")
    db.dispose()


@app.command()
def rebuild(database_url: DbOption = None, yes: bool = typer.Option(False, "--yes", help="Do not ask.")) -> None:
    """Empty the database and fill it again from the shipped data."""
    from api.app import open_database
    from data.models import Base

    settings = _settings(database_url)
    if not yes and not typer.confirm(f"Alle gegevens in {settings.database_url} wissen en opnieuw vullen?"):
        raise typer.Exit(code=1)
    db = open_database(settings.model_copy(update={"load_shipped_data": False}))
    Base.metadata.drop_all(db.engine)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    db.dispose()
    db = open_database(settings)
    typer.echo(f"rebuilt; data version {db.version()}")
    db.dispose()


def main() -> None:
    app(prog_name="kik")


if __name__ == "__main__":  # pragma: no cover
    main()
