"""HSDS tabular data packages: the registry as CSV files, and the tables of a package.

Export writes one CSV per table of ``simple/schema.csv`` plus a Frictionless
``datapackage.json``, into a folder or as zip bytes. Import reads a folder or zip (tables
found through ``datapackage.json`` when present, else by file name) into `Tables`,
turning CSV text into JSON values.

This module does not check row values or write to the database
(`data.hsds.reader`, `data.hsds.importing`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from data.errors import ImportFailed, RowError
from data.hsds.common import PRODUCER, TAXONOMIES
from data.hsds.export_services import export_json
from data.hsds.schemas import row_validator, table_aliases, table_columns
from data.hsds.tables import Tables, split_object
from data.models import stable_id

PACKAGE_NAME = "kracht-in-kaart-hsds"

_MAX_PACKAGE_BYTES = 100 * 1024 * 1024

# --- writing a package -----------------------------------------------------------------


def _csv_bytes(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row[c] for c in columns])
    return buffer.getvalue().encode("utf-8")


def _resource(table: str) -> dict[str, Any]:
    props = row_validator(table).schema["properties"]
    fields = []
    for col in table_columns()[table]:
        fmt = props.get(col["name"], {}).get("format")
        descriptor: dict[str, Any] = {
            "name": col["name"],
            "type": col["type"],
            "description": col["description"],
            "constraints": {
                "required": col["constraints_required"] == "true",
                "unique": col["constraints_unique"] == "true",
            },
        }
        if fmt in ("uuid", "email", "uri"):
            descriptor["format"] = fmt
        if props.get(col["name"], {}).get("enum"):
            descriptor["constraints"]["enum"] = props[col["name"]]["enum"]
        fields.append(descriptor)
    return {
        "name": table,
        "path": f"{table}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, "primaryKey": ["id"]},
    }


def _package_files(session: Session) -> dict[str, bytes]:
    tables = Tables()
    for key, items in export_json(session).items():
        for item in items:
            split_object(item, table_aliases()[key], tables, None)
    used = {r["taxonomy_id"] for r in tables.rows.get("taxonomy_term", [])}
    tables.rows["taxonomy"] = [
        {"id": stable_id("taxonomy", name), "name": name, "description": text}
        for name, (text, _) in TAXONOMIES.items()
        if stable_id("taxonomy", name) in used
    ]
    files = {
        f"{table}.csv": _csv_bytes([c["name"] for c in columns], tables.rows.get(table, []))
        for table, columns in table_columns().items()
    }
    package = {
        "name": PACKAGE_NAME,
        "title": f"{PRODUCER}: warmtebronnen en aanbod (HSDS 3.0)",
        "profile": "tabular-data-package",
        "resources": [_resource(t) for t in table_columns()],
    }
    text = json.dumps(package, ensure_ascii=False, indent=1) + "\n"
    files["datapackage.json"] = text.encode("utf-8")
    return files


def export_datapackage(session: Session, target: Path) -> Path:
    """Write the registry as an HSDS 3.0 tabular data package into the folder ``target``.

    Returns
    -------
    Path
        ``target``, holding one CSV per table of ``simple/schema.csv`` and ``datapackage.json``.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name, content in _package_files(session).items():
        (target / name).write_bytes(content)
    return target


def export_datapackage_zip(session: Session) -> bytes:
    """The data package of `export_datapackage` as the bytes of a zip file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _package_files(session).items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


# --- reading a package -----------------------------------------------------------------


def read_files(source: Path | bytes) -> dict[str, bytes]:
    """The files of a package folder or zip (names relative to the package root)."""
    if isinstance(source, (bytes, bytearray)):
        return _zip_files(bytes(source))
    path = Path(source)
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}
    if path.is_file() and zipfile.is_zipfile(path):
        return _zip_files(path.read_bytes())
    message = f"{path.name}: geen map en geen zip-bestand met een HSDS-datapakket"
    raise ImportFailed([RowError(None, None, message)], path.name)


def _zip_files(raw: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        unreadable = RowError(None, None, "Dit is geen leesbaar zip-bestand.")
        raise ImportFailed([unreadable], "zip") from exc
    members = [
        m for m in archive.infolist() if not m.is_dir() and ".." not in Path(m.filename).parts
    ]
    if sum(m.file_size for m in members) > _MAX_PACKAGE_BYTES:
        too_big = RowError(None, None, "Het datapakket is uitgepakt groter dan 100 MB; splits het.")
        raise ImportFailed([too_big], "zip")
    names = [m.filename for m in members]
    root = next((str(Path(n).parent) for n in names if Path(n).name == "datapackage.json"), "")
    prefix = "" if root in ("", ".") else root + "/"
    return {n[len(prefix) :]: archive.read(n) for n in names if n.startswith(prefix)}


def _resources(files: dict[str, bytes], tables: Tables) -> list[tuple[str, str]]:
    """(table, file name) of every CSV to read; others are noted and skipped."""
    if "datapackage.json" not in files:
        paths = [(Path(n).stem, n) for n in sorted(files) if n.lower().endswith(".csv")]
    else:
        paths = _listed_paths(files["datapackage.json"], tables)
    found = []
    for name, path in paths:
        table = table_aliases().get(name) or table_aliases().get(Path(path).stem)
        if table is None:
            tables.note(f"{path}: onbekende tabel, genegeerd")
        elif path not in files:
            tables.errors.append(
                RowError(None, table, f"{path} staat in datapackage.json maar ontbreekt")
            )
        else:
            found.append((table, path))
    return found


def _listed_paths(raw: bytes, tables: Tables) -> list[tuple[str, str]]:
    try:
        package = json.loads(raw.decode("utf-8-sig"))
        resources = package["resources"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        tables.errors.append(
            RowError(None, "datapackage.json", "is geen geldige Data Package-beschrijving")
        )
        return []
    paths = []
    for res in resources if isinstance(resources, list) else []:
        listed = res.get("path") if isinstance(res, dict) else None
        for path in listed if isinstance(listed, list) else [listed]:
            if isinstance(path, str):
                paths.append((str(res.get("name") or Path(path).stem), path))
    return paths


def tables_from_package(files: dict[str, bytes]) -> Tables:
    """The rows of every known table among ``files`` (as `read_files` gives them)."""
    tables = Tables()
    for table, path in _resources(files, tables):
        _read_csv(table, path, files[path], tables)
    if "service" not in tables.rows and not any(e.field == "service" for e in tables.errors):
        tables.errors.append(
            RowError(None, "service", "het datapakket heeft geen service-tabel (service.csv)")
        )
    return tables


def _read_csv(table: str, name: str, raw: bytes, tables: Tables) -> None:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        tables.errors.append(RowError(None, table, f"{name} is geen UTF-8-tekst"))
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(h or "").strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    known = row_validator(table).schema["properties"]
    unknown = [h for h in header if h not in known]
    if unknown:
        tables.note(f"{name}: onbekende kolom(men) {', '.join(unknown)} genegeerd")
    tables.rows.setdefault(table, [])
    for number, cells in enumerate(reader, start=1):
        if None in cells:
            tables.errors.append(
                RowError(number, table, f"{name}: de rij heeft meer velden dan de kopregel")
            )
            continue
        values = {k: (v or "").strip() for k, v in cells.items() if k in known}
        if any(values.values()):
            tables.add(table, _coerce(table, values), number)


def _coerce(table: str, values: dict[str, str]) -> dict[str, Any]:
    """CSV text to JSON values: numbers for number fields; an empty cell is absent,
    except for required text fields, where it is the empty text."""
    schema = row_validator(table).schema
    row: dict[str, Any] = {}
    for key, text in values.items():
        kind = schema["properties"][key].get("type")
        if text == "":
            if key in schema["required"] and kind == "string":
                row[key] = ""
            continue
        row[key] = _number(text) if kind == "number" else text
    return row


def _number(text: str) -> float | int | str:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text
