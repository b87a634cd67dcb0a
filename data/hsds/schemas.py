"""The HSDS 3.0 schemas in ``data/sources/hsds/schema``, and checking against them.

Compiled object schemas (`compiled_schema`, `document_errors`), a validator for the plain
fields of one table row (`row_validator`), the tables of the tabular form
(`table_columns`, `table_aliases`) and a format checker (`format_checker`, `conforms`).
Schemas are read on first use and cached; nothing is read at import.

This module does not build documents, read packages or word import errors for people
(`data.hsds.reader` does that).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker

from data.hsds.common import EMAIL

SCHEMA_DIR = Path(__file__).parent.parent / "sources" / "hsds" / "schema"

_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*$", re.I)


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not value or any(c.isspace() for c in value) or any(c in value for c in '<>"'):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return bool(_SCHEME.match(parts.scheme)) and bool(parts.netloc or parts.path)


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(EMAIL.match(value))


def format_checker() -> FormatChecker:
    """A format checker for HSDS: jsonschema's own plus ``uri`` and a stricter ``email``.

    Examples
    --------
    >>> checker = format_checker()
    >>> checker.conforms("https://example.nl/x", "uri"), checker.conforms("www.x", "uri")
    (True, False)
    >>> checker.conforms("not-a-uuid", "uuid")
    False
    """
    checker = FormatChecker()
    checker.checks("uri")(_is_uri)
    checker.checks("email")(_is_email)
    return checker


@lru_cache(maxsize=1)
def _checker() -> FormatChecker:
    return format_checker()


def conforms(value: str, fmt: str) -> bool:
    """Whether ``value`` has the format ``fmt`` as HSDS checks it (see `format_checker`).

    Examples
    --------
    >>> conforms("info@voorbeeld.nl", "email"), conforms("info@voorbeeld", "email")
    (True, False)
    """
    return _checker().conforms(value, fmt)


@lru_cache(maxsize=8)
def compiled_schema(kind: str) -> dict[str, Any]:
    """The self-contained HSDS 3.0 schema of ``kind`` (organization, service,
    service_at_location or location, the last taken from service_at_location)."""
    if kind == "location":
        return compiled_schema("service_at_location")["properties"]["location"]
    if kind not in ("organization", "service", "service_at_location"):
        raise ValueError(f"no compiled HSDS schema for {kind!r}")
    return json.loads((SCHEMA_DIR / "compiled" / f"{kind}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _compiled_validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(compiled_schema(kind), format_checker=_checker())


def document_errors(kind: str, doc: Mapping[str, Any]) -> list[str]:
    """Every way ``doc`` breaks the compiled HSDS schema of ``kind`` (empty when valid)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in _compiled_validator(kind).iter_errors(doc)
    ]


@lru_cache(maxsize=1)
def table_columns() -> dict[str, list[dict[str, str]]]:
    """The tables of the HSDS tabular form and their columns, from ``simple/schema.csv``."""
    tables: dict[str, list[dict[str, str]]] = {}
    with (SCHEMA_DIR / "simple" / "schema.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            tables.setdefault(row["table_name"], [])
            if row["type"] in ("string", "number"):
                tables[row["table_name"]].append(row)
    return tables


@lru_cache(maxsize=1)
def table_aliases() -> dict[str, str]:
    """File stems and document keys that name a table: ``organization``, ``organizations``."""
    tabular = json.loads((SCHEMA_DIR / "compiled" / "tabular.json").read_text(encoding="utf-8"))
    aliases = {name: name for name in table_columns()}
    for name, prop in tabular["properties"].items():
        aliases[Path(prop["items"]["path"]).stem] = name
    return aliases | {
        "contents": "service",
        "taxonomy_terms": "taxonomy_term",
        "service_at_locations": "service_at_location",
    }


@lru_cache(maxsize=32)
def row_validator(table: str) -> Draft202012Validator:
    """Validates the plain (non-nested) fields of one row of ``table``."""
    schema = json.loads((SCHEMA_DIR / f"{table}.json").read_text(encoding="utf-8"))
    props = {k: v for k, v in schema["properties"].items() if v.get("type") in ("string", "number")}
    required = [name for name in schema.get("required", []) if name in props]
    return Draft202012Validator(
        {"type": "object", "properties": props, "required": required}, format_checker=_checker()
    )
