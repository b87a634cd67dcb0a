"""What the HSDS export and import share: producer, our taxonomies, two patterns, gemeenten.

Only names and one cached look-up of the shipped gemeenten live here. Nothing here builds
an HSDS object, reads a row or checks a schema.
"""

from __future__ import annotations

import re
from functools import lru_cache

PRODUCER = "Kracht in Kaart"

#: Our taxonomies: name -> (description, attribute link_type).
TAXONOMIES: dict[str, tuple[str, str]] = {
    "kik-needs": (
        "Behoeften waarvoor mensen bij dit aanbod terecht kunnen (Kracht in Kaart)",
        "need",
    ),
    "kik-kapitaalsvormen": (
        "Kapitaalsvormen die dit aanbod versterkt (Kracht in Kaart)",
        "kapitaalsvorm",
    ),
    "kik-service-kinds": ("Soort warmtebron of aanbod (Kracht in Kaart)", "service_type"),
    "kik-sectors": ("Sector van de organisatie (Kracht in Kaart)", "sector"),
    "kik-precision": (
        "Hoe precies het punt van de locatie bekend is (Kracht in Kaart)",
        "precision",
    ),
    "kik-fields": (
        "Gegevens van Kracht in Kaart zonder eigen HSDS-veld; de waarde staat in attribute.value",
        "field",
    ),
}

#: An e-mail address as HSDS's ``email`` format (and a confidential contact point) reads it.
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[a-z]{2,}$", re.I)
#: A CBS gemeente code such as ``GM0014``, anywhere in a text.
GM_CODE = re.compile(r"\bgm(\d{4})\b", re.I)


@lru_cache(maxsize=1)
def gemeenten() -> dict[str, tuple[str, str]]:
    """Gemeente code -> (name, provincie) of the shipped reference data."""
    from data.reference import load_gemeenten

    return {g.code: (g.name, g.provincie) for g in load_gemeenten()}
