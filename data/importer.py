"""One entry point for every import format; a failed import writes nothing.

The caller owns the transaction (``Database.session()``): on :class:`ImportFailed` it
rolls back, so a file with any error changes nothing.
"""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from pathlib import Path

from sqlalchemy.orm import Session

from data.errors import ImportFailed, RowError
from data.flat import FlatTable, check_columns, read_flat
from data.store import ImportReport, upsert_flat
from data.validate import Locator, validate_rows


def import_table(session: Session, table: FlatTable, locator: Locator) -> ImportReport:
    """Validate every row of a flat table, then write all of it or nothing."""
    check_columns(table)
    records, errors = validate_rows(table.rows, locator)
    errors = sorted(table.errors + errors, key=lambda e: (e.row or 0, e.field or ""))
    if errors:
        raise ImportFailed(errors, table.source)
    if not records:
        raise ImportFailed([RowError(None, None, "Het bestand heeft geen rijen met gegevens.")], table.source)
    return upsert_flat(session, records)


def _kind(name: str, raw: bytes) -> str:
    lower = name.lower()
    if lower.endswith((".csv", ".txt", ".xlsx")):
        return "flat"
    if lower.endswith(".zip") or raw[:4] == b"PK\x03\x04":
        names = zipfile.ZipFile(BytesIO(raw)).namelist() if zipfile.is_zipfile(BytesIO(raw)) else []
        return "datapackage" if any(n.endswith("datapackage.json") for n in names) else "flat"
    if lower.endswith((".json", ".geojson")):
        return "json"
    return "flat"


def import_bytes(session: Session, raw: bytes, name: str, locator: Locator) -> ImportReport:
    """Import a file's content, choosing the reader by its name and content."""
    kind = _kind(name, raw)
    if kind == "flat":
        return import_table(session, read_flat(raw, name=name), locator)
    if kind == "datapackage":
        from data.hsds import import_datapackage

        return import_datapackage(session, raw, locator)
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed([RowError(None, None, f"Geen geldige JSON: {exc}")], name) from exc
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        from data.geo_export import from_geojson

        rows = from_geojson(doc, locator)
        table = FlatTable(columns=sorted({k for r in rows for k in r if k != "_row"}), rows=rows, source=name)
        return import_table(session, table, locator)
    from data.hsds import import_json

    return import_json(session, doc, locator)


def import_file(session: Session, path: Path, locator: Locator, *, dry_run: bool = False) -> ImportReport:
    """Import a file or an HSDS datapackage folder. With ``dry_run`` the caller rolls back."""
    if path.is_dir():
        from data.hsds import import_datapackage

        return import_datapackage(session, path, locator)
    if not path.exists():
        raise ImportFailed([RowError(None, None, f"Bestand {path} bestaat niet.")], path.name)
    report = import_bytes(session, path.read_bytes(), path.name, locator)
    session.flush()
    return report
