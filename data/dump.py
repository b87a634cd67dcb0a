"""The registry as one JSON document: the shipped default data and a full backup format."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.models import (
    Activity,
    Base,
    Location,
    Organisation,
    Participation,
    Relation,
    Service,
    ServiceNeed,
)

FORMAT = "kracht-in-kaart/registry@1"
SHIPPED = Path(__file__).parent / "shipped" / "registry.json"
_SKIP = {"created_at", "updated_at"}
_ORDER: list[type[Base]] = [Organisation, Location, Service, Activity, Relation]


def _row(obj: Base) -> dict[str, Any]:
    out = {}
    for col in obj.__table__.columns:  # type: ignore[attr-defined]
        if col.key in _SKIP:
            continue
        value = getattr(obj, col.key)
        out[col.key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def dump_registry(session: Session) -> dict[str, Any]:
    """Every record of the registry, in a stable order (so diffs of the file are readable)."""
    doc: dict[str, Any] = {"format": FORMAT}
    for model in _ORDER:
        rows = []
        for obj in session.scalars(select(model).order_by(model.id)):  # type: ignore[attr-defined]
            row = _row(obj)
            if isinstance(obj, Service):
                row["needs"] = obj.needs
            if isinstance(obj, Activity):
                row["participants"] = [
                    {"organisation_id": p.organisation_id, "role": p.role}
                    for p in sorted(obj.participations, key=lambda p: p.organisation_id)
                ]
            rows.append(row)
        doc[model.__tablename__] = rows
    return doc


def _parse(model: type[Base], row: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for col in model.__table__.columns:  # type: ignore[attr-defined]
        if col.key in row and col.key not in _SKIP:
            value = row[col.key]
            if col.key == "assured_date" and value:
                value = dt.date.fromisoformat(value)
            values[col.key] = value
    return values


def load_registry(session: Session, doc: dict[str, Any]) -> dict[str, int]:
    """Upsert every record of a dump; returns counts per table. Identical data changes nothing."""
    if doc.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} document (format={doc.get('format')!r})")
    counts = {}
    offices = {}
    for model in _ORDER:
        rows = doc.get(model.__tablename__, [])
        for row in rows:
            values = _parse(model, row)
            if model is Organisation:
                offices[values["id"]] = values.pop("office_location_id", None)
            obj = session.get(model, values["id"])
            if obj is None:
                obj = model(**values)
                session.add(obj)
            else:
                for k, v in values.items():
                    if getattr(obj, k) != v:
                        setattr(obj, k, v)
            if isinstance(obj, Service) and obj.needs != row.get("needs", []):
                obj.need_rows = [ServiceNeed(need=n) for n in row.get("needs", [])]
            if isinstance(obj, Activity):
                _set_participants(obj, row.get("participants", []))
        session.flush()
        counts[model.__tablename__] = len(rows)
    for org_id, loc_id in offices.items():
        org = session.get(Organisation, org_id)
        if org is not None and org.office_location_id != loc_id:
            org.office_location_id = loc_id
    return counts


def _set_participants(activity: Activity, rows: list[dict[str, str]]) -> None:
    wanted = {(r["organisation_id"], r["role"]) for r in rows}
    have = {(p.organisation_id, p.role) for p in activity.participations}
    if wanted != have:
        activity.participations = [
            Participation(organisation_id=o, role=role) for o, role in sorted(wanted)
        ]


def write_json(doc: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def read_json(path: Path = SHIPPED) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))
