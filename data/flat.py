"""The flat spreadsheet layout: one row per location/offer, as programme teams keep them.

Reading (CSV in UTF-8 or Windows-1252 with ``;`` or ``,``, or Excel .xlsx) gives plain
dicts; :func:`validate_rows` turns them into :class:`FlatRecord` objects or a complete
list of row- and field-level errors. Nothing here writes to the database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from data.errors import ImportFailed, RowError

#: Columns of the flat layout, in the order an export writes them.
COLUMNS: tuple[str, ...] = (
    "id", "name", "organisation", "kind", "needs", "kapitaalsvormen", "description",
    "street", "house_number", "postcode", "place", "gemeente", "latitude", "longitude",
    "location_type", "phone", "email", "website", "opening_hours", "opening_hours_text",
    "free", "referral_needed", "languages", "eligibility", "accessibility", "transport",
    "confidential", "contact_point", "source", "source_seen", "assured_date", "assured_by",
)
REQUIRED_COLUMNS = ("name",)

#: Other spellings of column names we accept (e.g. the shipped warmtebronnen file).
ALIASES: dict[str, str] = {
    "naam": "name", "organisatie": "organisation", "soort": "kind", "behoeften": "needs",
    "description_nl": "description", "omschrijving": "description", "beschrijving": "description",
    "straat": "street", "huisnummer": "house_number", "plaats": "place", "woonplaats": "place",
    "lat": "latitude", "lon": "longitude", "lng": "longitude", "telefoon": "phone",
    "e-mail": "email", "mail": "email", "url": "website", "opening_hours_osm": "opening_hours",
    "openingstijden": "opening_hours_text", "gratis": "free", "verwijzing_nodig": "referral_needed",
    "talen": "languages", "voorwaarden": "eligibility", "toegankelijkheid": "accessibility",
    "vervoer": "transport", "vertrouwelijk": "confidential", "contactpunt": "contact_point",
    "source_url": "source", "bron": "source", "gecontroleerd_op": "assured_date",
    "gecontroleerd_door": "assured_by",
}

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000


@dataclass
class FlatTable:
    """Rows of a flat file with normalised column names; ``first_row`` numbers the first."""

    columns: list[str]
    rows: list[dict[str, str]]
    source: str = ""
    first_row: int = 1
    errors: list[RowError] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="strict")  # raises on the few undefined bytes
    return text


def _normalise_header(names: Iterable[str]) -> list[str]:
    out = []
    for name in names:
        key = re.sub(r"\s+", "_", (name or "").strip().lower())
        out.append(ALIASES.get(key, key))
    # The shipped file has a free-text `opening_hours` beside `opening_hours_osm`.
    if out.count("opening_hours") == 2:
        out[out.index("opening_hours")] = "opening_hours_text"
    return out


def read_csv(raw: bytes, *, source: str = "") -> FlatTable:
    """Read CSV bytes: detects UTF-8/UTF-16/Windows-1252 and ``;``/``,``/tab separators.

    Raises
    ------
    ImportFailed
        For an empty file, a file too large, undecodable bytes or a missing header.

    Examples
    --------
    >>> t = read_csv("naam;plaats\\nVoedselbank;Emmen\\n".encode("cp1252"))
    >>> t.columns, t.rows[0]["place"]
    (['name', 'place'], 'Emmen')
    """
    _check_size(raw, source)
    try:
        text = _decode(raw)
    except UnicodeDecodeError as exc:
        raise ImportFailed([RowError(None, None, f"Het bestand is geen tekst in UTF-8 of Windows-1252 (byte {exc.start}). Sla het op als 'CSV UTF-8'.")], source) from exc
    if "\x00" in text:
        raise ImportFailed([RowError(None, None, "Het bestand bevat binaire gegevens (NUL-tekens); is het wel een CSV-bestand?")], source)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFailed([RowError(None, None, "Het bestand is leeg of de eerste regel (de kolomnamen) ontbreekt.")], source)
    sep = max([";", ",", "\t"], key=lines[0].count)
    # strict: an unclosed quote is an error, not a cell that silently swallows the rows after it
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    n: int | None = None  # the last row read; None while reading the header
    try:
        header = _normalise_header(next(reader))
        table = FlatTable(columns=header, rows=[], source=source, first_row=1)
        n = 0
        for n, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                table.errors.append(RowError(n, None, f"rij heeft {len(cells)} velden, de kopregel {len(header)}; staat er een '{sep}' in een tekst zonder aanhalingstekens?"))
                continue
            table.rows.append(dict(zip(header, (c.strip() for c in cells), strict=False)) | {"_row": str(n)})
            if len(table.rows) > MAX_ROWS:
                raise ImportFailed([RowError(None, None, f"Meer dan {MAX_ROWS} rijen; splits het bestand.")], source)
    except csv.Error as exc:  # also a cell over csv's field size limit
        raise ImportFailed([RowError(None if n is None else n + 1, None, f"deze rij kan niet gelezen worden ({exc}); staat er een aanhalingsteken (\") zonder afsluitend aanhalingsteken?")], source) from exc
    return table


def read_xlsx(raw: bytes, *, source: str = "") -> FlatTable:
    """Read the first sheet of an Excel workbook in the flat layout."""
    from openpyxl import load_workbook

    _check_size(raw, source)
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise ImportFailed([RowError(None, None, f"Dit is geen leesbaar Excel-bestand (.xlsx): {type(exc).__name__}")], source) from exc
    rows = wb.worksheets[0].iter_rows(values_only=True)
    first = next(rows, None)
    if not first or not any(first):
        raise ImportFailed([RowError(None, None, "Het werkblad is leeg of de eerste regel (de kolomnamen) ontbreekt.")], source)
    header = _normalise_header(str(c or "") for c in first)
    table = FlatTable(columns=header, rows=[], source=source)
    for n, cells in enumerate(rows, start=1):
        values = ["" if c is None else _cell_text(c) for c in cells]
        if any(values):
            table.rows.append(dict(zip(header, values, strict=False)) | {"_row": str(n)})
            if len(table.rows) > MAX_ROWS:
                raise ImportFailed([RowError(None, None, f"Meer dan {MAX_ROWS} rijen; splits het bestand.")], source)
    wb.close()
    return table


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]  # type: ignore[attr-defined]
    return str(value).strip()


def _check_size(raw: bytes, source: str) -> None:
    if not raw.strip():
        raise ImportFailed([RowError(None, None, "Het bestand is leeg.")], source)
    if len(raw) > MAX_BYTES:
        raise ImportFailed([RowError(None, None, f"Het bestand is groter dan {MAX_BYTES // 1_048_576} MB; splits het.")], source)


def read_flat(path_or_bytes: Path | bytes, *, name: str = "") -> FlatTable:
    """Read a flat file, choosing CSV or Excel by name or content."""
    raw = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    name = name or (path_or_bytes.name if isinstance(path_or_bytes, Path) else "")
    if name.lower().endswith(".xlsx") or raw[:4] == b"PK\x03\x04":
        return read_xlsx(raw, source=name)
    return read_csv(raw, source=name)


def check_columns(table: FlatTable) -> None:
    """Raise ImportFailed for missing required or unknown columns (nothing may be lost)."""
    errors = [RowError(None, c, "verplichte kolom ontbreekt") for c in REQUIRED_COLUMNS if c not in table.columns]
    known = set(COLUMNS)
    errors += [
        RowError(None, c or "(leeg)", f"onbekende kolom; bekende kolommen zijn: {', '.join(COLUMNS)}")
        for c in table.columns
        if c not in known
    ]
    dupes = {c for c in table.columns if table.columns.count(c) > 1}
    errors += [RowError(None, c, "kolom staat er meer dan eens in") for c in sorted(dupes)]
    if errors:
        raise ImportFailed(errors, table.source)
