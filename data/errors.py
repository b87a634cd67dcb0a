"""Errors raised by the registry (data/). The API maps them to HTTP answers in api/errors.py."""

from __future__ import annotations

from dataclasses import dataclass, field


class RegistryError(Exception):
    """Base class of every error the registry raises on purpose."""


class NotFound(RegistryError):
    """A record with the asked identifier does not exist."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} '{ident}' bestaat niet")
        self.kind = kind
        self.ident = ident


class InvalidOpeningHours(RegistryError, ValueError):
    """An opening-hours text is not valid OpenStreetMap `opening_hours` syntax."""

    def __init__(self, expr: str, reason: str) -> None:
        super().__init__(
            f"'{expr}' is geen geldige openingstijd in OpenStreetMap-notatie "
            f"(bijvoorbeeld 'Mo-Fr 09:00-17:00'): {reason}"
        )
        self.expr = expr
        self.reason = reason


@dataclass(frozen=True)
class RowError:
    """One problem in one row of an import file (row 1 is the first data row)."""

    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.field:
            where.append(f"veld '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass
class ImportFailed(RegistryError):
    """An import file has errors; nothing was written."""

    errors: list[RowError] = field(default_factory=list)
    source: str = ""

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.errors)
        head = f"Import van {self.source or 'bestand'} mislukt: {n} fout(en), er is niets opgeslagen."
        return head + "\n" + "\n".join(f"- {e}" for e in self.errors[:50])
