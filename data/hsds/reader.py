"""Import, first step: the tables of one import, checked, indexed and read.

`Reader` holds the rows of the tables we use, indexed by id and by link, and collects
errors (`RowError`: row = position in its table, field = ``table.field``) and notes.
`check_rows` checks every row against the schema and every link against the rows and
the database; `read_attributes` and `provenance` read back our attributes and metadata.

This module plans no records and writes nothing (`data.hsds.read_places`,
`data.hsds.read_services`, `data.hsds.importing`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import ValidationError
from sqlalchemy.orm import Session

from data.errors import RowError
from data.hsds.common import TAXONOMIES
from data.hsds.schemas import conforms, row_validator
from data.hsds.tables import Tables
from data.models import Location, Organisation, Service
from data.validate import MAX_TEXT, Locator

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"<\s*/?\s*[a-z!][^>]*>", re.I)
_SCRIPT = re.compile(r"javascript:|\bon[a-z]+\s*=", re.I)

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# --- checking rows ---------------------------------------------------------------------

#: The tables every import must get right; elsewhere a missing field is only noted.
_CORE_TABLES = (
    "organization",
    "service",
    "location",
    "service_at_location",
    "address",
    "phone",
    "schedule",
)
_MISSING = "ontbreekt; dit veld is verplicht"
#: The tables an import reads, in the order they are checked.
_USED_TABLES = (
    *_CORE_TABLES,
    "attribute",
    "taxonomy_term",
    "taxonomy",
    "metadata",
    "language",
    "service_area",
    "accessibility",
    "cost_option",
)
_REFERENCES = (
    ("service", "organization_id", "organization"),
    ("location", "organization_id", "organization"),
    ("service_at_location", "service_id", "service"),
    ("service_at_location", "location_id", "location"),
    ("address", "location_id", "location"),
    ("phone", "service_id", "service"),
    ("phone", "organization_id", "organization"),
    ("phone", "location_id", "location"),
    ("schedule", "service_id", "service"),
    ("schedule", "location_id", "location"),
    ("schedule", "service_at_location_id", "service_at_location"),
    ("language", "service_id", "service"),
    ("service_area", "service_id", "service"),
    ("accessibility", "location_id", "location"),
    ("cost_option", "service_id", "service"),
    ("attribute", "taxonomy_term_id", "taxonomy_term"),
)
_MODELS = {"organization": Organisation, "location": Location, "service": Service}
_FORMAT_LABELS = {
    "uuid": "UUID (zoals 3fa85f64-5717-4562-b3fc-2c963f66afa6)",
    "email": "e-mailadres",
    "uri": "webadres (zoals https://voorbeeld.nl)",
}


def _schema_error(table: str, number: int, err: ValidationError) -> RowError:
    if err.validator == "required":
        missing = re.search(r"'([^']+)'", err.message)
        return RowError(number, f"{table}.{missing[1] if missing else '?'}", _MISSING)
    name = err.path[-1] if err.path else "?"
    value = err.instance
    messages = {
        "format": f"'{value}' is geen geldig {_FORMAT_LABELS.get(str(err.validator_value), err.validator_value)}",
        "enum": f"'{value}' is onbekend; kies uit: {', '.join(map(str, err.validator_value or []))}",
        "type": f"'{value}' is geen {'getal' if err.validator_value == 'number' else 'tekst'}",
    }
    return RowError(number, f"{table}.{name}", messages.get(str(err.validator), err.message))


class Reader:
    """The tables of one import, indexed, with the errors found so far."""

    def __init__(self, session: Session, tables: Tables, locator: Locator, source: str) -> None:
        self.session = session
        self.locator = locator
        self.source = source
        self.rows = {t: tables.rows.get(t, []) for t in _USED_TABLES}
        self.errors = list(tables.errors)
        self.notes = tables.notes
        self.by_id = {
            t: {r["id"]: r for r in rows if isinstance(r.get("id"), str)}
            for t, rows in self.rows.items()
        }
        self._children: dict[tuple[str, str], dict[Any, list[dict[str, Any]]]] = {}
        self._in_db: dict[tuple[str, str], bool] = {}
        for table in sorted(set(tables.rows) - set(_USED_TABLES)):
            if tables.rows[table]:
                tables.note(
                    f"{table}: {len(tables.rows[table])} rij(en) genegeerd (niet nodig voor Kracht in Kaart)"
                )

    def error(self, table: str, row: Mapping[str, Any] | None, fld: str, message: str) -> None:
        self.errors.append(RowError(row.get("_row") if row else None, f"{table}.{fld}", message))

    def children(self, table: str, fk: str, ident: Any) -> list[dict[str, Any]]:
        key = (table, fk)
        if key not in self._children:
            index: dict[Any, list[dict[str, Any]]] = {}
            for row in self.rows[table]:
                index.setdefault(row.get(fk), []).append(row)
            self._children[key] = index
        return self._children[key].get(ident, []) if ident is not None else []

    def exists(self, table: str, ident: str) -> bool:
        if ident in self.by_id[table]:
            return True
        if table not in _MODELS:
            return False
        if (table, ident) not in self._in_db:
            self._in_db[(table, ident)] = self.session.get(_MODELS[table], ident) is not None
        return self._in_db[(table, ident)]

    def text(
        self,
        table: str,
        row: Mapping[str, Any] | None,
        fld: str,
        *,
        limit: int = MAX_TEXT,
        required: bool = False,
    ) -> str | None:
        value = row.get(fld) if row else None
        if not isinstance(value, str) or not value.strip():
            if required and row is not None:
                self.error(table, row, fld, "is leeg; vul dit in")
            return None
        value = value.strip()
        if _CONTROL.search(value):
            self.error(table, row, fld, "bevat onzichtbare stuurtekens")
        elif _TAG.search(value) or _SCRIPT.search(value):
            self.error(
                table, row, fld, "bevat HTML of script-code; alleen platte tekst is toegestaan"
            )
        elif len(value) > limit:
            self.error(table, row, fld, f"is te lang ({len(value)} tekens, maximaal {limit})")
        return value

    def description(self, table: str, row: Mapping[str, Any]) -> str:
        """HSDS allows HTML in descriptions; we keep plain text."""
        value = row.get("description")
        if isinstance(value, str) and _TAG.search(value):
            self.notes.append(f"{table} rij {row['_row']}: HTML-opmaak uit de beschrijving gehaald")
            plain = re.sub(r"[ \t]{2,}", " ", html.unescape(_TAG.sub(" ", value)))
            row = {**row, "description": plain}
        return self.text(table, row, "description") or ""


def check_rows(reader: Reader) -> None:
    """Schema and reference checks. Outside the core tables a missing required field
    (other than id) is only noted, and only our own provenance metadata is read."""
    for table, rows in reader.rows.items():
        validator = row_validator(table)
        for row in rows:
            if table == "metadata" and row.get("last_action_type") != "provenance":
                continue
            plain = {k: v for k, v in row.items() if k != "_row"}
            for problem in (
                _schema_error(table, row["_row"], e) for e in validator.iter_errors(plain)
            ):
                _report(reader, table, problem)
    for table, fk, target in _REFERENCES:
        for row in reader.rows[table]:
            ident = row.get(fk)
            if (
                isinstance(ident, str)
                and conforms(ident, "uuid")
                and not reader.exists(target, ident)
            ):
                reader.error(table, row, fk, f"verwijst naar {target} '{ident}', die niet bestaat")


def _report(reader: Reader, table: str, problem: RowError) -> None:
    lenient = table not in _CORE_TABLES and problem.field != f"{table}.id"
    if lenient and problem.message == _MISSING:
        reader.notes.append(f"{problem}: genegeerd (geen kerntabel)")
    else:
        reader.errors.append(problem)


# --- attributes and provenance ---------------------------------------------------------


@dataclass
class Attributes:
    """The attributes of one record: our taxonomies by name, other terms' codes and names."""

    ours: dict[str, list[tuple[str, str | None, dict[str, Any]]]] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)

    def codes(self, taxonomy: str) -> list[str]:
        return [code for code, _, _ in self.ours.get(taxonomy, [])]

    @property
    def fields(self) -> dict[str, str]:
        return {code: value or "" for code, value, _ in self.ours.get("kik-fields", [])}

    @property
    def is_ours(self) -> bool:
        return bool(self.ours)


def read_attributes(reader: Reader, ident: str) -> Attributes:
    """The attributes linked to the record ``ident``, with their terms looked up."""
    found = Attributes()
    for attr in reader.children("attribute", "link_id", ident):
        term = reader.by_id["taxonomy_term"].get(attr.get("taxonomy_term_id"), {})
        taxonomy = term.get("taxonomy") or reader.by_id["taxonomy"].get(
            term.get("taxonomy_id"), {}
        ).get("name")
        code = term.get("code") or term.get("name")
        if not isinstance(code, str):
            continue
        if taxonomy in TAXONOMIES:
            found.ours.setdefault(taxonomy, []).append((code, attr.get("value"), attr))
        else:
            found.other += [
                str(v).strip().casefold() for v in (term.get("code"), term.get("name")) if v
            ]
    return found


def provenance(
    reader: Reader, table: str, row: Mapping[str, Any], fields: Mapping[str, str]
) -> dict[str, Any]:
    """Source, source_seen, assured_date and assured_by of ``row`` (from ``table``)."""
    meta = {
        m.get("field_name"): m.get("replacement_value") or ""
        for m in reader.children("metadata", "resource_id", row["id"])
        if m.get("last_action_type") == "provenance"
    }
    seen = meta.get("source_seen") or None
    if seen and not _PARTIAL_DATE.match(seen):
        reader.error("metadata", row, "replacement_value", f"'{seen}' is geen datum als 2024-05-01")
    raw_date = row.get("assured_date") if table == "service" else None
    return {
        "source": meta.get("source", reader.source),
        "source_seen": seen,
        "assured_date": _date(reader, table, row, raw_date or fields.get("assured_date")),
        "assured_by": fields.get("assured_by")
        or (row.get("assurer_email") if table == "service" else None),
    }


def _date(reader: Reader, table: str, row: Mapping[str, Any], raw: object) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(str(raw)[:10])
    except ValueError:
        reader.error(table, row, "assured_date", f"'{raw}' is geen datum als 2024-05-01")
        return None


def flag(
    reader: Reader, table: str, row: Mapping[str, Any], fields: Mapping[str, str], name: str
) -> bool | None:
    """The ``kik-fields`` value ``name`` as a boolean (None when absent)."""
    value = fields.get(name)
    if value in (None, ""):
        return None
    if value not in ("true", "false"):
        reader.error(table, row, "attributes", f"{name} '{value}' is geen true of false")
    return value == "true"


def allowed_codes(
    reader: Reader,
    table: str,
    row: Mapping[str, Any],
    codes: list[str],
    allowed: tuple[str, ...],
    what: str,
) -> list[str]:
    """The ``codes`` that are ``allowed``; each other one is an error of ``row``."""
    bad = [c for c in codes if c not in allowed]
    if bad:
        reader.error(
            table,
            row,
            "attributes",
            f"onbekende {what} {', '.join(bad)}; kies uit: {', '.join(allowed)}",
        )
    return [c for c in codes if c in allowed]
