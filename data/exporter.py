"""Export the whole registry to a file in one of the open formats."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

FORMATS = ("hsds-json", "hsds-datapackage", "geojson", "gpkg", "registry")


def export_to(session: Session, fmt: str, output: Path) -> Path:
    """Write the registry as ``fmt`` to ``output`` (a datapackage: a folder, or a .zip file)."""
    import json

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "registry":
        from data.dump import dump_registry, write_json

        write_json(dump_registry(session), output)
    elif fmt == "hsds-json":
        from data.hsds import export_json

        output.write_text(json.dumps(export_json(session), ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "hsds-datapackage":
        from data.hsds import export_datapackage, export_datapackage_zip

        if output.suffix == ".zip":
            output.write_bytes(export_datapackage_zip(session))
        else:
            export_datapackage(session, output)
    elif fmt == "geojson":
        from data.geo_export import to_geojson

        output.write_text(json.dumps(to_geojson(session), ensure_ascii=False), encoding="utf-8")
    else:
        from data.geo_export import to_geopackage

        to_geopackage(session, output)
    return output
