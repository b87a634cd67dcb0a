"""Build the shipped registry, reproducibly, from the files in ``data/sources/``.

- ``partners_avk.csv``: the alliance's partner organisations (with their sources);
- ``warmtebronnen_gr_dr.csv``: warmth sources, through the same validation as any import;
- ``seed_network.yaml``: organisations and joint activities read from the seed documents
  in ``sources/seeds/``, each with the file and line numbers it comes from.

Run it with ``kik build-shipped``; it writes ``data/shipped/registry.json``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.db import Database
from data.dump import dump_registry
from data.errors import ImportFailed, RowError
from data.flat import check_columns, read_csv
from data.models import Activity, Base, Location, Organisation, Participation, Relation, stable_id
from data.store import slugify, unique_slug, upsert_flat
from data.validate import Locator, validate_rows
from data.vocab import ACTIVITY_KINDS, ROLES, SECTORS

SOURCES = Path(__file__).parent / "sources"
SEEDS_PREFIX = "seeds/"


def _partners(session: Session, locator: Locator, path: Path) -> dict[str, Organisation]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    orgs: dict[str, Organisation] = {}
    for n, row in enumerate(rows, start=1):
        name = row["name"].strip()
        if row["sector"] not in SECTORS:
            raise ImportFailed([RowError(n, "sector", f"onbekende sector {row['sector']!r}")], path.name)
        ident = stable_id("organisation", name)
        org = Organisation(
            id=ident, slug=slugify(name), name=name, sector=row["sector"],
            is_partner=row["confirmed_partner"].strip() == "yes",
            website=row["website"].strip() or None,
            source=f"{path.name}#row={n} ; {row['source_url'].strip()}",
        )
        session.add(org)
        session.flush()  # organisation and office refer to each other: the organisation first
        orgs[name.casefold()] = org
        office = _office(locator, org, row)
        if office is not None:
            session.add(office)
            session.flush()
            org.office_location_id = office.id
    return orgs


def _office(locator: Locator, org: Organisation, row: dict[str, str]) -> Location | None:
    """The main office, located only as precisely as the source allows (place or gemeente)."""
    place = row["place"].strip() or None
    gemeente = row["gemeente"].strip() or None
    if not (place or gemeente):
        return None
    if place:
        point = locator.locate(row["postcode"].strip() or None, place)
        lat, lon, precision = point.lat, point.lon, point.precision
        code, gname = point.gemeente_code, point.gemeente_name
    else:
        hit = locator.gemeente_code(gemeente or "")
        if hit is None:
            return None
        point = locator.locate(None, hit[1])
        lat, lon, precision = point.lat, point.lon, "place"
        code, gname = hit
    ident = stable_id("location", "office", org.name)
    return Location(
        id=ident, slug=slugify(f"{org.name} kantoor"), organisation_id=org.id,
        name=f"{org.name} (kantoor)", location_type="physical",
        address=row["main_office_street"].strip() or None, postcode=row["postcode"].strip() or None,
        place=place or gemeente, gemeente_code=code, gemeente_name=gname, latitude=lat,
        longitude=lon, precision=precision, source=org.source,
    )


def _warmtebronnen(session: Session, locator: Locator, path: Path) -> None:
    table = read_csv(path.read_bytes(), source=path.name)
    check_columns_shipped(table)
    for row in table.rows:
        row["source"] = f"{path.name}#row={row['_row']} ; {row.get('source', '')}".strip(" ;")
    records, errors = validate_rows(table.rows, locator)
    if errors or table.errors:
        raise ImportFailed(table.errors + errors, path.name)
    upsert_flat(session, records)


def check_columns_shipped(table: Any) -> None:
    # The shipped file has `source_seen` partial dates and our column names (after aliases).
    check_columns(table)


def _seed_network(session: Session, orgs: dict[str, Organisation], path: Path) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for n, item in enumerate(doc.get("organisations") or [], start=1):
        if item["sector"] not in SECTORS:
            raise ImportFailed([RowError(n, "sector", f"onbekende sector {item['sector']!r}")], path.name)
        name = item["name"].strip()
        if name.casefold() in orgs:
            continue
        org = session.scalar(select(Organisation).where(func.lower(Organisation.name) == name.casefold()))
        if org is None:  # not met yet in the partner list or the warmtebronnen
            ident = stable_id("organisation", name)
            org = Organisation(id=ident, slug=unique_slug(session, Organisation, slugify(name), ident),
                               name=name, is_partner=False, sector=item["sector"])
            session.add(org)
        org.sector, org.source = item["sector"], _seed_source(item)
        session.flush()
        orgs[name.casefold()] = org
    for n, item in enumerate(doc.get("activities") or [], start=1):
        session.add(_activity(item, orgs, n, path.name))
    for n, item in enumerate(doc.get("relations") or [], start=1):
        a, b = (_org(orgs, item[k], n, path.name) for k in ("a", "b"))
        session.add(Relation(
            id=stable_id("relation", a.id, b.id, item.get("kind", "")), org_a_id=a.id, org_b_id=b.id,
            kind=item.get("kind") or "samenwerking", since=_s(item.get("since")),
            until=_s(item.get("until")), strength=float(item.get("strength") or 1.0),
            source=_seed_source(item),
        ))


def _s(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _seed_source(item: dict[str, Any]) -> str:
    lines = item.get("lines") or []
    where = f"#L{min(lines)}-L{max(lines)}" if lines else ""
    return f"{SEEDS_PREFIX}{item['source']}{where}"


def _org(orgs: dict[str, Organisation], name: str, n: int, source: str) -> Organisation:
    org = orgs.get(name.strip().casefold())
    if org is None:
        raise ImportFailed([RowError(n, "organisation", f"organisatie {name!r} staat niet in de partnerlijst of de seed-organisaties")], source)
    return org


def _activity(item: dict[str, Any], orgs: dict[str, Organisation], n: int, source: str) -> Activity:
    if item["kind"] not in ACTIVITY_KINDS:
        raise ImportFailed([RowError(n, "kind", f"onbekende soort {item['kind']!r}")], source)
    ident = stable_id("activity", item["id"])
    roles: dict[str, str] = {}
    for p in item.get("participants") or []:
        org = _org(orgs, p["organisation"], n, source)
        role = p.get("role", "member")
        if role not in ROLES:
            raise ImportFailed([RowError(n, "role", f"onbekende rol {role!r}")], source)
        if roles.get(org.id) != "lead":
            roles[org.id] = role
    return Activity(
        id=ident, slug=item["id"], kind=item["kind"], name=item["name"],
        description=item.get("description") or "", place=item.get("place"),
        start=_s(item.get("start")), end=_s(item.get("end")), source=_seed_source(item),
        source_lines=item.get("lines") or [],
        participations=[Participation(organisation_id=o, role=r) for o, r in sorted(roles.items())],
    )


def build_registry(locator: Locator, sources: Path = SOURCES) -> dict[str, Any]:
    """Build the shipped registry in a throw-away database and return it as a dump."""
    db = Database("sqlite://")
    Base.metadata.create_all(db.engine)
    with db.session() as session:
        orgs = _partners(session, locator, sources / "partners_avk.csv")
        session.flush()
        _warmtebronnen(session, locator, sources / "warmtebronnen_gr_dr.csv")
        session.flush()
        _seed_network(session, orgs, sources / "seed_network.yaml")
        session.flush()
        doc = dump_registry(session)
    db.dispose()
    return doc
