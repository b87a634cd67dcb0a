"""HSDS documents as tables: nested objects split into rows, one list per table.

Each nested object becomes a row of its own table, linked to its parent by id
(``service.phones`` -> ``phone`` rows with ``service_id``); ids that are UUIDs are made
canonical, and the same object met twice is merged (or reported when values differ).
Used both to write the tabular form and to read any HSDS document.

This module reads and writes no files (`data.hsds.package`) and checks no values
(`data.hsds.reader`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from data.errors import RowError
from data.hsds.schemas import row_validator, table_aliases

_CHILD_TABLES = {
    "phones": "phone",
    "schedules": "schedule",
    "languages": "language",
    "service_areas": "service_area",
    "attributes": "attribute",
    "metadata": "metadata",
    "addresses": "address",
    "accessibility": "accessibility",
    "contacts": "contact",
    "cost_options": "cost_option",
    "service_at_locations": "service_at_location",
    "location": "location",
    "locations": "location",
    "organization": "organization",
    "taxonomy_term": "taxonomy_term",
    "taxonomy_detail": "taxonomy",
    "funding": "funding",
    "fundings": "funding",
    "program": "program",
    "programs": "program",
    "required_documents": "required_document",
    "organization_identifiers": "organization_identifier",
}
#: A nested object replaced by a link: key -> the link field on the parent.
_LINK_FIELDS = {
    "organization": "organization_id",
    "location": "location_id",
    "program": "program_id",
    "taxonomy_term": "taxonomy_term_id",
    "taxonomy_detail": "taxonomy_id",
}


@dataclass
class Tables:
    """Rows per table (each with ``_row``: its position in the table, 1 = first)."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    _index: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def add(self, table: str, row: dict[str, Any], number: int | None = None) -> None:
        """Add ``row`` as row ``number`` (default: next) of ``table``, merging a known id."""
        rows = self.rows.setdefault(table, [])
        row = {k: canonical_id(k, v) for k, v in row.items()}
        row["_row"] = number if number is not None else len(rows) + 1
        ident = row.get("id")
        seen = self._index.get((table, ident)) if isinstance(ident, str) else None
        if seen is None:
            rows.append(row)
            if isinstance(ident, str):
                self._index[(table, ident)] = row
            return
        self._merge(table, seen, row)

    def _merge(self, table: str, seen: dict[str, Any], row: dict[str, Any]) -> None:
        """The same object again (nested copies): fine when no value disagrees."""
        clash = [k for k, v in row.items() if k != "_row" and k in seen and seen[k] != v]
        if clash:
            message = (
                f"id '{row['id']}' staat al in rij {seen['_row']} "
                f"met een andere waarde voor {', '.join(clash)}"
            )
            self.errors.append(RowError(row["_row"], f"{table}.id", message))
            return
        seen.update({k: v for k, v in row.items() if k not in seen})

    def note(self, text: str) -> None:
        """Note ``text`` once (what was ignored)."""
        if text not in self.notes:
            self.notes.append(text)


def canonical_id(key: str, value: Any) -> Any:
    """The value of an id field (``id``, ``*_id``) in canonical UUID form, when it is one.

    Examples
    --------
    >>> canonical_id("service_id", " 3FA85F64-5717-4562-B3FC-2C963F66AFA6 ")
    '3fa85f64-5717-4562-b3fc-2c963f66afa6'
    >>> canonical_id("service_id", "s1"), canonical_id("name", " 3FA85F64 ")
    ('s1', ' 3FA85F64 ')
    """
    if not (key == "id" or key.endswith("_id")) or not isinstance(value, str):
        return value
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return value


def split_object(
    obj: dict[str, Any], table: str, tables: Tables, parent: tuple[str, Any] | None
) -> Any:
    """Add ``obj`` and every object nested in it to ``tables``; return its id."""
    row: dict[str, Any] = {}
    ident = obj.get("id")
    for key, value in obj.items():
        child = _CHILD_TABLES.get(key)
        if child and isinstance(value, list):
            for item in value:
                _split_item(item, child, tables, (table, ident))
        elif child and isinstance(value, dict):
            child_id = split_object(value, child, tables, (table, ident))
            row.setdefault(_LINK_FIELDS.get(key, f"{child}_id"), child_id)
        elif isinstance(value, (list, dict)):
            tables.note(f"{table}.{key}: onbekend onderdeel, genegeerd")
        else:
            row[key] = value
    _link_parent(row, table, parent)
    tables.add(table, row)
    return ident


def _split_item(item: Any, table: str, tables: Tables, parent: tuple[str, Any] | None) -> None:
    if isinstance(item, dict):
        split_object(item, table, tables, parent)
    else:
        tables.errors.append(
            RowError(None, table, f"een {table} moet een object zijn, niet {item!r}")
        )


def _link_parent(row: dict[str, Any], table: str, parent: tuple[str, Any] | None) -> None:
    if parent is None or parent[1] is None:
        return
    parent_table, parent_id = parent
    if table == "attribute":
        row.setdefault("link_id", parent_id)
        row.setdefault("link_entity", parent_table)
    elif table == "metadata":
        row.setdefault("resource_id", parent_id)
        row.setdefault("resource_type", parent_table)
    elif f"{parent_table}_id" in row_validator(table).schema["properties"]:
        row.setdefault(f"{parent_table}_id", parent_id)


def tables_from_json(doc: Any) -> Tables:
    """The rows of an HSDS document: lists by key, an API page or a list of services.

    Examples
    --------
    >>> doc = {"services": [{"id": "s1", "phones": [{"id": "p1", "number": "050 123"}]}]}
    >>> tables_from_json(doc).rows["phone"]
    [{'id': 'p1', 'number': '050 123', 'service_id': 's1', '_row': 1}]
    """
    tables = Tables()
    if isinstance(doc, list):
        doc = {"services": doc}
    if not isinstance(doc, dict):
        tables.errors.append(
            RowError(None, None, "Dit is geen HSDS-document (verwacht een JSON-object of -lijst).")
        )
        return tables
    for key, value in doc.items():
        table = table_aliases().get(key)
        if table is None:
            tables.note(f"'{key}': onbekend onderdeel van het document, genegeerd")
        elif not isinstance(value, list):
            tables.errors.append(RowError(None, table, f"'{key}' moet een lijst zijn"))
        else:
            for item in value:
                _split_item(item, table, tables, None)
    return tables
