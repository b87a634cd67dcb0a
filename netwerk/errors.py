"""Errors raised by the network analysis (netwerk/).

Every message says what was wrong and what to do instead, in Dutch (B1), because the
API passes it on to the person who asked. ``api/errors.py`` maps the classes to HTTP
statuses: unknown things are "not found", bad options are "bad request".
"""

from __future__ import annotations

from collections.abc import Iterable


class NetworkError(Exception):
    """Base class of every error netwerk/ raises on purpose."""


class UnknownOrganisation(NetworkError, LookupError):
    """An organisation id that is not a node of the graph."""

    def __init__(self, ident: object, *, where: str = "het netwerk") -> None:
        super().__init__(
            f"Organisatie '{ident}' staat niet in {where}. "
            "Controleer het id (een UUID uit het register)."
        )
        self.ident = ident


class UnknownLayer(NetworkError, ValueError):
    """A layer name that is not one of the known activity kinds or 'relation'."""

    def __init__(self, layer: object, known: Iterable[str]) -> None:
        super().__init__(f"Laag '{layer}' bestaat niet. Kies uit: {', '.join(known)}.")
        self.layer = layer


class InvalidOption(NetworkError, ValueError):
    """An option has a value the analysis cannot use."""


class YearOutOfRange(InvalidOption):
    """A year outside the range the analysis accepts."""

    def __init__(self, year: object, first: int, last: int) -> None:
        super().__init__(
            f"Jaar {year!r} valt buiten het bereik {first}–{last}. Kies een jaar daartussen."
        )
        self.year = year


class InvalidDate(NetworkError, ValueError):
    """A date that is not a (partial) ISO date."""

    def __init__(
        self, text: object, *, expected: str = "'2021', '2021-03' of '2021-03-15'"
    ) -> None:
        super().__init__(f"'{text}' is geen geldige datum (verwacht {expected}).")
        self.text = text


class InvalidSnapshot(NetworkError, ValueError):
    """The snapshot holds a record the graph cannot be built from."""


class NoPath(NetworkError):
    """Two organisations are not connected, not even through others."""

    def __init__(self, source: str, target: str) -> None:
        super().__init__(
            f"Er is geen keten van samenwerkingen van '{source}' naar '{target}': "
            "ze zitten in losse delen van het netwerk."
        )
        self.source = source
        self.target = target
