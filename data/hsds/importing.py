"""Import HSDS 3.0 from any producer: `import_json` and `import_datapackage`.

Plans every organisation, location and service first; when anything is wrong it raises
`ImportFailed` with every problem and adds nothing, else it creates or updates the
records (importing the same data again changes nothing).

Reading files is `data.hsds.package`, splitting documents `data.hsds.tables`, reading
and checking rows `data.hsds.reader`, `data.hsds.read_places` and
`data.hsds.read_services`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from data.errors import ImportFailed
from data.hsds.package import read_files, tables_from_package
from data.hsds.read_places import plan_location, plan_organisation
from data.hsds.read_services import plan_services
from data.hsds.reader import Reader, check_rows
from data.hsds.tables import Tables, tables_from_json
from data.models import Location, Organisation, Service, ServiceNeed
from data.store import ImportReport, unique_slug
from data.validate import Locator


@dataclass
class HsdsImportReport(ImportReport):
    """What an HSDS import did: services counted in created/updated/unchanged."""

    organisations_updated: int = 0
    locations_created: int = 0
    locations_updated: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return super().as_dict() | {
            "organisations_updated": self.organisations_updated,
            "locations_created": self.locations_created,
            "locations_updated": self.locations_updated,
        }


@dataclass
class _Plan:
    organisations: list[dict[str, Any]]
    locations: list[dict[str, Any]]
    services: list[dict[str, Any]]


def _plan(reader: Reader) -> _Plan:
    check_rows(reader)
    orgs = [plan_organisation(reader, row) for row in reader.rows["organization"]]
    locations = [plan_location(reader, row) for row in reader.rows["location"]]
    by_id = {loc["values"]["id"]: loc["values"] for loc in locations}
    services = [s for row in reader.rows["service"] for s in plan_services(reader, row, by_id)]
    for org in orgs:
        office = org["office"]
        if office and not reader.exists("location", office):
            reader.notes.append(
                f"organization rij {org['values']['id']}: kantoorlocatie '{office}' onbekend"
            )
            org["office"] = None
    return _Plan(orgs, locations, services)


def _apply(obj: object, values: Mapping[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _upsert(
    session: Session, model: type, values: dict[str, Any], slug: str | None
) -> tuple[Any, str]:
    obj = session.get(model, values["id"])
    if obj is None:
        obj = model(**values)
        if slug is not None:
            obj.slug = unique_slug(session, model, slug[:120] or "x", values["id"])
        session.add(obj)
        return obj, "created"
    return obj, "updated" if _apply(obj, values) else "unchanged"


def _write(session: Session, plan: _Plan, report: HsdsImportReport) -> None:
    for org in plan.organisations:
        _, outcome = _upsert(session, Organisation, org["values"], org["slug"])
        report.organisations_created += outcome == "created"
        report.organisations_updated += outcome == "updated"
    session.flush()
    for loc in plan.locations:
        _, outcome = _upsert(session, Location, loc["values"], loc["slug"])
        report.locations_created += outcome == "created"
        report.locations_updated += outcome == "updated"
    session.flush()
    for values in plan.services:
        _write_service(session, values, report)
    session.flush()
    for org in plan.organisations:
        obj = session.get(Organisation, org["values"]["id"])
        if obj is not None and obj.office_location_id != org["office"]:
            obj.office_location_id = org["office"]


def _write_service(session: Session, values: dict[str, Any], report: HsdsImportReport) -> None:
    values = dict(values)
    needs = values.pop("needs")
    service, outcome = _upsert(session, Service, values, None)
    if service.needs != needs:
        service.need_rows = [ServiceNeed(need=n) for n in needs]
        outcome = "updated" if outcome == "unchanged" else outcome
    setattr(report, outcome, getattr(report, outcome) + 1)
    report.ids.append(values["id"])


def _import(session: Session, tables: Tables, locator: Locator, source: str) -> HsdsImportReport:
    reader = Reader(session, tables, locator, source)
    plan = _plan(reader)
    if reader.errors:
        raise ImportFailed(reader.errors, source)
    report = HsdsImportReport(notes=list(dict.fromkeys(reader.notes)))
    _write(session, plan, report)
    return report


def import_json(
    session: Session, doc: Any, locator: Locator, *, source: str = "hsds"
) -> HsdsImportReport:
    """Import an HSDS 3.0 JSON document from any producer.

    Parameters
    ----------
    session : Session
        Where to write; the caller commits (or rolls back).
    doc : dict or list
        ``{"organizations", "services", "locations", "service_at_locations", ...}`` (as
        `export_json`), an HSDS API page (``{"contents": [...]}``) or a list of services;
        nested objects are read too.
    locator : Locator
        Gives the gemeente at a point and geocodes addresses without coordinates.
    source : str, default "hsds"
        Provenance for records that do not carry their own.

    Returns
    -------
    HsdsImportReport
        Counts and notes (what was ignored).

    Raises
    ------
    ImportFailed
        With every problem (row and ``table.field``); then nothing was added.
    """
    return _import(session, tables_from_json(doc), locator, source)


def import_datapackage(
    session: Session,
    path_or_zip_bytes: Path | bytes,
    locator: Locator,
    *,
    source: str | None = None,
) -> HsdsImportReport:
    """Import an HSDS 3.0 tabular data package (a folder, a zip file or zip bytes).

    Tables are found through ``datapackage.json`` when present, else by file name
    (``service.csv`` or ``services.csv``). See `import_json` for the rest.

    Raises
    ------
    ImportFailed
        With every problem (row = data row of the CSV, field = ``table.field``).
    """
    name = source or (
        Path(path_or_zip_bytes).name
        if not isinstance(path_or_zip_bytes, bytes)
        else "hsds-datapakket"
    )
    files = read_files(path_or_zip_bytes)
    return _import(session, tables_from_package(files), locator, name)
