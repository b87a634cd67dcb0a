"""Errors raised by the map and place code (kaart/). The API maps them in api/errors.py.

Every message is Dutch first (plain language, B1) in ``str(error)`` and ``error.message``,
with the English text in ``error.message_en``. Messages tell a person what to do next.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

CoordinateProblem = Literal["range", "not_a_number", "swapped"]
QueryProblem = Literal["empty", "too_long"]


class KaartError(Exception):
    """Base class of every error that kaart/ raises on purpose."""


class GeocodeError(KaartError, ValueError):
    """A search text or point could not be turned into a location.

    Attributes
    ----------
    query : str
        The text, postcode or coordinates that could not be used.
    suggestions : list of str
        Texts that would work instead, best first; may be empty.
    message, message_en : str
        The explanation in Dutch and in English.
    """

    def __init__(
        self,
        query: str,
        message: str,
        *,
        message_en: str,
        suggestions: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.query = query
        self.message = message
        self.message_en = message_en
        self.suggestions = list(suggestions)


def _did_you_mean(suggestions: Sequence[str]) -> tuple[str, str]:
    """Return the Dutch and English 'did you mean' tails ('' when there is nothing to offer)."""
    if not suggestions:
        return "", ""
    options = ", ".join(suggestions)
    return f" Bedoelt u: {options}?", f" Did you mean: {options}?"


class InvalidQuery(GeocodeError):
    """The search text is empty or far too long to be a place or postcode."""

    def __init__(self, query: str, *, problem: QueryProblem, max_length: int = 100) -> None:
        if problem == "empty":
            nl = "Vul een plaatsnaam of postcode in, bijvoorbeeld Stadskanaal of 9501."
            en = "Enter a place name or postcode, for example Stadskanaal or 9501."
        else:
            nl = (
                f"Deze zoektekst is te lang (meer dan {max_length} tekens). "
                "Vul alleen een plaatsnaam of postcode in."
            )
            en = (
                f"This search text is too long (over {max_length} characters). "
                "Enter only a place or postcode."
            )
        super().__init__(query, nl, message_en=en)


class InvalidPostcode(GeocodeError):
    """The text looks like a postcode but no Dutch postcode can look like this."""

    def __init__(self, query: str, *, letters: str | None = None) -> None:
        if letters:
            nl = (
                f"'{query}' is geen Nederlandse postcode: de letters {letters} worden in postcodes "
                "niet gebruikt. Controleer de postcode, of zoek alleen op de 4 cijfers."
            )
            en = (
                f"'{query}' is not a Dutch postcode: the letters {letters} are never used in "
                "postcodes. Check the postcode, or search on the 4 digits only."
            )
        else:
            nl = (
                f"'{query}' is geen Nederlandse postcode. Een postcode heeft 4 cijfers (niet "
                "beginnend met 0), soms gevolgd door 2 letters, bijvoorbeeld 9501 of 9501 AB."
            )
            en = (
                f"'{query}' is not a Dutch postcode. A postcode has 4 digits (not starting "
                "with 0), optionally followed by 2 letters, for example 9501 or 9501 AB."
            )
        super().__init__(query, nl, message_en=en)


class UnknownPostcode(GeocodeError):
    """A well-formed postcode that is not in the reference data (for example a PO-box range)."""

    def __init__(self, query: str, *, nearby: Sequence[str] = ()) -> None:
        tail_nl, tail_en = _did_you_mean(nearby)
        nl = (
            f"We kennen postcode '{query}' niet. Misschien is het een postbus-postcode; "
            f"gebruik dan de postcode van het bezoekadres.{tail_nl}"
        )
        en = (
            f"We don't know postcode '{query}'. It may be a PO-box postcode; "
            f"use the postcode of the visiting address instead.{tail_en}"
        )
        super().__init__(query, nl, message_en=en, suggestions=nearby)


class UnknownPlace(GeocodeError):
    """No place, gemeente or wijk in Groningen and Drenthe has this name."""

    def __init__(self, query: str, *, suggestions: Sequence[str] = ()) -> None:
        tail_nl, tail_en = _did_you_mean(suggestions)
        if not suggestions:
            tail_nl, tail_en = " Controleer de spelling.", " Check the spelling."
        nl = (
            f"We kennen '{query}' niet.{tail_nl} We zoeken alleen in Groningen en Drenthe; "
            "voor andere plaatsen kunt u een postcode gebruiken."
        )
        en = (
            f"We don't know '{query}'.{tail_en} We only search Groningen and Drenthe; "
            "for other places, use a postcode."
        )
        super().__init__(query, nl, message_en=en, suggestions=suggestions)


class AmbiguousPlace(GeocodeError):
    """Several places in different gemeenten share this name; the person must choose."""

    def __init__(self, query: str, *, options: Sequence[str]) -> None:
        listed = ", ".join(options)
        nl = f"Er zijn meerdere plaatsen met de naam '{query}'. Kies er één: {listed}."
        en = f"Several places are called '{query}'. Choose one: {listed}."
        super().__init__(query, nl, message_en=en, suggestions=options)


class InvalidCoordinates(GeocodeError):
    """A latitude/longitude pair that is out of range, not a number, or obviously swapped."""

    def __init__(self, lat: object, lon: object, *, problem: CoordinateProblem) -> None:
        query = f"{lat}, {lon}"
        suggestions: list[str] = []
        if problem == "swapped":
            suggestions = [f"{lon}, {lat}"]
            nl = (
                "Breedtegraad en lengtegraad lijken omgewisseld. In Nederland is de breedtegraad "
                f"ongeveer 51 tot 54 en de lengtegraad 3 tot 7. Bedoelt u {lon}, {lat}?"
            )
            en = (
                "Latitude and longitude look swapped. In the Netherlands latitude is about "
                f"51 to 54 and longitude 3 to 7. Did you mean {lon}, {lat}?"
            )
        elif problem == "not_a_number":
            nl = "Breedtegraad en lengtegraad moeten getallen zijn, bijvoorbeeld 53.219, 6.566."
            en = "Latitude and longitude must be numbers, for example 53.219, 6.566."
        else:
            nl = (
                f"De coördinaten {query} bestaan niet. De breedtegraad ligt tussen -90 en 90, "
                "de lengtegraad tussen -180 en 180 (bijvoorbeeld 53.219, 6.566)."
            )
            en = (
                f"The coordinates {query} do not exist. Latitude lies between -90 and 90, "
                "longitude between -180 and 180 (for example 53.219, 6.566)."
            )
        super().__init__(query, nl, message_en=en, suggestions=suggestions)
