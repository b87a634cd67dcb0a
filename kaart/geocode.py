"""Offline geocoding for Groningen and Drenthe: postcodes, place names and coordinates.

Build one :class:`Geocoder` at start-up (``Geocoder.from_reference()``, about 0.3 s) and
reuse it. It never guesses: text it cannot place raises a :class:`~kaart.errors.GeocodeError`
with suggestions, instead of falling back to some city centre. Postcode points are PC4
centres (the shipped data has no PC6), so a 6-character postcode gets its PC4 centre.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from data.reference import (
    Gemeente,
    GemeenteIndex,
    Pc4Point,
    Place,
    Wijk,
    load_gemeenten,
    load_pc4,
    load_pc4_areas,
    load_pc4_nl,
    load_places,
    load_wijken,
    reference_dir,
    resolve_pc4,
)
from kaart.errors import (
    AmbiguousPlace,
    InvalidCoordinates,
    InvalidPostcode,
    InvalidQuery,
    UnknownPlace,
    UnknownPostcode,
)

Precision = Literal["postcode", "place", "coordinates"]

MAX_QUERY_LENGTH = 100
NL_BOUNDS = (50.7, 53.7, 3.2, 7.3)  # lat min, lat max, lon min, lon max (European NL)
UNUSED_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})  # never issued in NL

_NUM = r"[-+]?[0-9]{1,3}(?:[.,][0-9]+)?"
_COORDINATES = re.compile(rf"\s*({_NUM})\s*(?:[,;]\s*|\s+)({_NUM})\s*")
_POSTCODE = re.compile(
    r"(?P<digits>[0-9]{4})(?:[\s-]*(?P<letters>[A-Za-z]{2}))?(?P<rest>[\s,].*)?", re.S
)
_POSTCODE_LIKE = re.compile(r"[0-9]+|[0-9]{3,}[\s-]*[A-Za-z]{1,3}")
_PARENTHESES = re.compile(r"(?P<name>.+?)\s*\(\s*(?P<qualifier>[^()]+?)\s*\)\s*", re.S)
_GEM_PREFIX = re.compile(r"gem(?:eente)?\.?\s+(?P<name>.+)", re.I | re.S)
_GEM_INFIX = re.compile(r"(?P<name>.+?)\s+gem(?:eente)?\.?\s+(?P<qualifier>.+)", re.I | re.S)
# "Alteveer gem Hoogeveen", "Harkstede GN" -> the place name alone
_PC4_PLACE_SUFFIX = re.compile(r"\s+(?:gem\.?\s+.+|GN)$")
# "Wijk 46 Bargeres", "Helpman e.o." -> the wijk name alone
_WIJK_AFFIXES = re.compile(r"^wijke?\s*[0-9]+\s+|\s+e\.o\.$", re.I)
_ORDINALS = frozenset({"1e", "2e", "3e", "eerste", "tweede", "derde"})
_TIERS = ("place", "gemeente", "alternate", "wijk", "numbered")  # searched in this order
_SHOWN_TIERS = ("place", "gemeente", "wijk")  # offered in suggestions


@dataclass(frozen=True)
class GeoPoint:
    """A geocoding result.

    ``precision`` says what the point stands for: a PC4 centre ("postcode"), a place, wijk
    or gemeente label point ("place"), or the given coordinates ("coordinates").
    ``gemeente_code``/``gemeente_name`` are set only for the 22 GR/DR gemeenten;
    ``in_region`` is False for the rest of the Netherlands and the world.
    """

    lat: float
    lon: float
    precision: Precision
    label: str
    gemeente_code: str | None
    gemeente_name: str | None
    in_region: bool
    postcode: str | None = None


@dataclass(frozen=True)
class _Candidate:
    name: str
    lat: float
    lon: float
    gemeente_code: str
    gemeente_name: str
    population: int | None = None
    is_seat: bool = False

    @property
    def qualified(self) -> str:
        return f"{self.name} ({self.gemeente_name})"


@dataclass(frozen=True)
class _Entry:
    key: str  # compact key, as in the index
    words: str  # the name, normalized with spaces (for word-start matching)
    text: str


def normalize_name(text: str) -> str:
    """Fold a name for matching: no accents, case, hyphens, punctuation or extra spaces.

    Examples
    --------
    >>> normalize_name("  2e Exloërmond ")
    '2e exloermond'
    >>> normalize_name("Nieuw-Buinen") == normalize_name("nieuw  buinen")
    True
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.split(r"[\W_]+", bare)).strip()


def _key(text: str) -> str:
    """Index key: :func:`normalize_name` without spaces, so "Nieuwbuinen" finds "Nieuw-Buinen"."""
    return normalize_name(text).replace(" ", "")


def _strip_ordinal(key: str) -> str | None:
    first, _, rest = key.partition(" ")
    return rest if first in _ORDINALS and rest else None


def _place_candidate(place: Place) -> _Candidate:
    # GeoNames dropped the apostrophe from some names ("t Zandt"); its other spellings keep it.
    name = place.name
    if name.startswith("t ") and "'" + name in (place.ascii_name, *place.alternate_names):
        name = "'" + name
    seat = place.is_seat or _key(name) == _key(place.gemeente_name)
    return _Candidate(
        name, place.lat, place.lon, place.gemeente_code, place.gemeente_name, place.population, seat
    )


def _postcode_place(point: Pc4Point) -> _Candidate | None:
    if not (point.in_region and point.gemeente_code and point.gemeente_name):
        return None
    name = _PC4_PLACE_SUFFIX.sub("", point.place)
    seat = _key(name) == _key(point.gemeente_name)
    return _Candidate(
        name, point.lat, point.lon, point.gemeente_code, point.gemeente_name, None, seat
    )


def _wijk_candidate(wijk: Wijk) -> _Candidate | None:
    if wijk.population is None:  # "Groot water": no people, no search term
        return None
    name = _WIJK_AFFIXES.sub("", wijk.name).strip() or wijk.name
    spot = wijk.geometry.representative_point()
    return _Candidate(
        name,
        round(spot.y, 5),
        round(spot.x, 5),
        wijk.gemeente_code,
        wijk.gemeente_name,
        wijk.population,
    )


class Geocoder:
    """Turn postcodes, place names and coordinates into :class:`GeoPoint` results.

    Parameters
    ----------
    gemeenten : iterable of Gemeente
        The GR/DR gemeenten (boundaries and label points).
    postcodes : iterable of Pc4Point
        One point per PC4, in and out of the region (see ``data.reference.resolve_pc4``).
    places : iterable of Place, optional
        GeoNames places with alternate names.
    wijken : iterable of Wijk, optional
        CBS wijken; their names are extra search terms.
    tolerance_m : float, default 2000
        How far outside the gemeente polygons a point still counts as in the region.

    Examples
    --------
    >>> geocoder = Geocoder.from_reference()
    >>> geocoder.geocode("9501 AB").label
    '9501 Stadskanaal'
    >>> geocoder.geocode("nieuw buinen").gemeente_name
    'Borger-Odoorn'
    """

    def __init__(
        self,
        gemeenten: Iterable[Gemeente],
        postcodes: Iterable[Pc4Point],
        places: Iterable[Place] = (),
        *,
        wijken: Iterable[Wijk] = (),
        tolerance_m: float = 2000.0,
    ) -> None:
        self._index = GemeenteIndex(gemeenten, tolerance_m=tolerance_m)
        self._postcodes = {p.pc4: p for p in postcodes}
        self._tiers: dict[str, dict[str, list[_Candidate]]] = {tier: {} for tier in _TIERS}
        self._add_places(places)
        self._add_gemeenten()
        for wijk in wijken:
            candidate = _wijk_candidate(wijk)
            if candidate:
                self._add("wijk", candidate.name, candidate)
        self._entries = self._build_entries()
        self._entry_texts: dict[str, list[str]] = {}
        for entry in self._entries:
            self._entry_texts.setdefault(entry.key, []).append(entry.text)

    @classmethod
    def from_reference(cls, base_dir: str | Path | None = None) -> Geocoder:
        """Build a geocoder from the shipped reference files (read once, here)."""
        base = reference_dir(base_dir)
        gemeenten = load_gemeenten(base)
        areas = load_pc4_areas(base, missing_ok=True)
        postcodes = resolve_pc4(load_pc4_nl(base))
        postcodes.update(resolve_pc4(load_pc4(base), areas=areas, gemeenten=gemeenten))
        wijken = load_wijken(base, missing_ok=True)
        return cls(gemeenten, postcodes.values(), load_places(base), wijken=wijken)

    # --- building the name index -------------------------------------------------

    def _add(self, tier: str, name: str, candidate: _Candidate | None) -> None:
        key = _key(name)
        if candidate is None or not key:
            return
        bucket = self._tiers[tier].setdefault(key, [])
        if candidate not in bucket:
            bucket.append(candidate)

    def _add_places(self, places: Iterable[Place]) -> None:
        for place in places:
            candidate = _place_candidate(place)
            for name in dict.fromkeys((place.name, place.ascii_name)):
                self._add("place", name, candidate)
                self._add("numbered", _strip_ordinal(normalize_name(name)) or "", candidate)
            for name in place.alternate_names:
                self._add("alternate", name, candidate)
        known = {
            (key, c.gemeente_code)
            for tier in ("place", "alternate")
            for key, candidates in self._tiers[tier].items()
            for c in candidates
        }
        for point in self._postcodes.values():
            extra = _postcode_place(point)
            # Places only the postcode file knows, e.g. Eemshaven, Alteveer (Hoogeveen).
            if extra and (_key(extra.name), extra.gemeente_code) not in known:
                self._add("place", extra.name, extra)

    def _add_gemeenten(self) -> None:
        for g in self._index:
            self._add(
                "gemeente",
                g.name,
                _Candidate(g.name, g.label_lat, g.label_lon, g.code, g.name, g.population),
            )

    def _build_entries(self) -> list[_Entry]:
        """Texts offered as suggestions; each one geocodes to a point on its own."""
        ranked: list[tuple[int, int, str, str]] = []
        for rank, tier in enumerate(_SHOWN_TIERS):
            earlier = _TIERS[: _TIERS.index(tier)]
            for key, candidates in self._tiers[tier].items():
                if tier != "gemeente" and any(key in self._tiers[t] for t in earlier):
                    continue  # the text would find the earlier match, already offered
                population = max(c.population or 0 for c in candidates)
                for text in self._entry_texts_for(tier, key, candidates):
                    ranked.append((rank, -population, text, key))
        ranked.sort()
        return [
            _Entry(key, normalize_name(text.split(" (")[0]), text) for _, _, text, key in ranked
        ]

    def _entry_texts_for(self, tier: str, key: str, candidates: list[_Candidate]) -> list[str]:
        if tier == "gemeente":
            clash = key in self._tiers["place"]
            return [f"{candidates[0].name} (gemeente)" if clash else candidates[0].name]
        # Spelling variants ("Nooit Gedacht") are found, but offered under their main name.
        return _texts_for([c for c in candidates if _key(c.name) == key])

    # --- public API --------------------------------------------------------------

    def geocode(self, query: str) -> GeoPoint:
        """Geocode a postcode ("9501", "9501 AB"), "lat, lon" text or a place name.

        Raises
        ------
        InvalidQuery, InvalidPostcode, UnknownPostcode, UnknownPlace, AmbiguousPlace,
        InvalidCoordinates
            All subclasses of :class:`kaart.errors.GeocodeError`.

        Examples
        --------
        >>> geocoder = Geocoder.from_reference()
        >>> geocoder.geocode("53.0, 6.9").precision
        'coordinates'
        >>> geocoder.geocode("Alteveer (Stadskanaal)").gemeente_code
        'GM0037'
        """
        text = _checked_query(query)
        coordinates = _COORDINATES.fullmatch(text)
        if coordinates:
            lat, lon = (float(v.replace(",", ".")) for v in coordinates.groups())
            return self.point(lat, lon)
        if _POSTCODE.fullmatch(text) or _POSTCODE_LIKE.fullmatch(text):
            return self.postcode(text)
        return self.place(text)

    def postcode(self, text: str) -> GeoPoint:
        """Geocode a postcode to its PC4 centre; anything after the postcode is ignored."""
        text = _checked_query(text)
        match = _POSTCODE.fullmatch(text)
        if not match or match["digits"].startswith("0"):
            raise InvalidPostcode(text)
        digits, letters = match["digits"], (match["letters"] or "").upper()
        if letters in UNUSED_POSTCODE_LETTERS:
            raise InvalidPostcode(text, letters=letters)
        point = self._postcodes.get(digits)
        if point is None:
            raise UnknownPostcode(digits, nearby=self._nearby_postcodes(digits))
        return GeoPoint(
            point.lat,
            point.lon,
            "postcode",
            f"{point.pc4} {point.place}",
            point.gemeente_code,
            point.gemeente_name,
            point.in_region,
            f"{digits} {letters}" if letters else digits,
        )

    def place(self, text: str) -> GeoPoint:
        """Geocode a place, gemeente or wijk name, optionally with its gemeente.

        "Alteveer, Stadskanaal", "Alteveer (Stadskanaal)" and "Stadskanaal (gemeente)"
        narrow the search. Matching ignores accents, case, hyphens and spacing.
        """
        text = _checked_query(text)
        key = _key(text)
        found = self._lookup(key)
        if found:
            return self._choose(text, found)
        name, qualifier = _split_qualifier(text)
        if qualifier is not None:
            return self._qualified(text, _key(name), _key(qualifier))
        raise UnknownPlace(text, suggestions=self._close_names(key))

    def point(self, lat: float, lon: float) -> GeoPoint:
        """Describe a coordinate pair; points outside GR/DR get ``in_region=False``.

        Examples
        --------
        >>> Geocoder.from_reference().point(53.2192, 6.5667).gemeente_name
        'Groningen'
        """
        lat, lon = _checked_coordinates(lat, lon)
        gemeente = self._index.gemeente_at(lat, lon)
        return GeoPoint(
            lat,
            lon,
            "coordinates",
            f"{lat:.5f}, {lon:.5f}",
            gemeente.code if gemeente else None,
            gemeente.name if gemeente else None,
            gemeente is not None,
        )

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Autocomplete: place names and postcodes that start with ``prefix``.

        Every suggestion can be passed to :meth:`geocode` as it is.

        Examples
        --------
        >>> Geocoder.from_reference().suggest("stadsk", limit=2)
        ['Stadskanaal', 'Stadskanaal (gemeente)']
        """
        if limit < 1 or not isinstance(prefix, str):
            return []
        text = prefix.strip()[:MAX_QUERY_LENGTH]
        if re.fullmatch(r"[1-9][0-9]{0,3}", text):
            return self._postcode_suggestions(text, limit)
        words, key = normalize_name(text), _key(text)
        if not key:
            return []
        starts = [e.text for e in self._entries if e.key.startswith(key)]
        inner = [e.text for e in self._entries if f" {words}" in f" {e.words}"]
        return list(dict.fromkeys(starts + inner))[:limit]

    def locate(self, postcode: str | None, place: str | None) -> GeoPoint:
        """Locate an imported record: by postcode when there is one, else by place name."""
        if postcode is not None and postcode.strip():
            return self.postcode(postcode)
        if place is not None and place.strip():
            return self.place(place)
        raise InvalidQuery("", problem="empty")

    def gemeente_at(self, lat: float, lon: float) -> tuple[str, str] | None:
        """Return ``(code, name)`` of the GR/DR gemeente at a point, or None outside."""
        gemeente = self._index.gemeente_at(*_checked_coordinates(lat, lon))
        return (gemeente.code, gemeente.name) if gemeente else None

    def gemeente_code(self, name: str) -> tuple[str, str] | None:
        """Return ``(code, name)`` for a GR/DR gemeente given by name or CBS code.

        Examples
        --------
        >>> Geocoder.from_reference().gemeente_code("borger odoorn")
        ('GM1681', 'Borger-Odoorn')
        """
        key = _key(name)
        for gemeente in self._index:
            if key in (_key(gemeente.name), _key(gemeente.code)):
                return (gemeente.code, gemeente.name)
        return None

    def gemeenten(self) -> list[tuple[str, str]]:
        """All GR/DR gemeenten as ``(code, name)``, by name."""
        return sorted(((g.code, g.name) for g in self._index), key=lambda g: g[1])

    # --- helpers -----------------------------------------------------------------

    def _lookup(
        self, key: str, keep: Callable[[_Candidate], bool] = lambda c: True
    ) -> list[_Candidate]:
        for tier in _TIERS:
            found = [c for c in self._tiers[tier].get(key, ()) if keep(c)]
            if found:
                return found
        return []

    def _qualified(self, text: str, key: str, qualifier: str) -> GeoPoint:
        if qualifier == "gemeente":
            found = self._tiers["gemeente"].get(key, [])
        else:
            results = (self._lookup(key, keep) for keep in self._qualifier_filters(qualifier))
            found = next((result for result in results if result), [])
        if found:
            return self._choose(text, found)
        # Known name, other (or unknown) gemeente: offer the ones we have, never guess.
        elsewhere = self._lookup(key)
        raise UnknownPlace(text, suggestions=_texts_for(elsewhere) or self._close_names(key))

    def _qualifier_filters(self, qualifier: str) -> list[Callable[[_Candidate], bool]]:
        filters: list[Callable[[_Candidate], bool]] = []
        codes = {c.gemeente_code for c in self._tiers["gemeente"].get(qualifier, ())}
        if codes:
            filters.append(lambda c: c.gemeente_code in codes)
        province = qualifier.removeprefix("provincie")
        in_province = {g.code for g in self._index if _key(g.provincie) == province}
        if in_province:
            filters.append(lambda c: c.gemeente_code in in_province)
        return filters

    def _choose(self, text: str, candidates: Sequence[_Candidate]) -> GeoPoint:
        """Pick one candidate: all in one gemeente, or one clear seat; else ask."""
        if len({c.gemeente_code for c in candidates}) > 1:
            seats = [c for c in candidates if c.is_seat]
            if len({c.gemeente_code for c in seats}) != 1:
                raise AmbiguousPlace(text, options=sorted({c.qualified for c in candidates}))
            candidates = seats
        best = max(candidates, key=lambda c: c.population or 0)  # first one on a tie
        return GeoPoint(
            best.lat, best.lon, "place", best.name, best.gemeente_code, best.gemeente_name, True
        )

    def _close_names(self, key: str, n: int = 5) -> list[str]:
        if not key:
            return []
        keys = difflib.get_close_matches(key, self._entry_texts.keys(), n=n, cutoff=0.75)
        texts = [text for k in keys for text in self._entry_texts[k]]
        return list(dict.fromkeys(texts))[:n]

    def _nearby_postcodes(self, digits: str, n: int = 5) -> list[str]:
        number = int(digits)
        codes = sorted(self._postcodes, key=lambda code: (abs(int(code) - number), code))[:n]
        return [f"{code} {self._postcodes[code].place}" for code in sorted(codes)]

    def _postcode_suggestions(self, digits: str, limit: int) -> list[str]:
        codes = sorted(
            (code for code in self._postcodes if code.startswith(digits)),
            key=lambda code: (not self._postcodes[code].in_region, code),
        )
        return [f"{code} {self._postcodes[code].place}" for code in codes[:limit]]


def _texts_for(candidates: Sequence[_Candidate]) -> list[str]:
    """Texts that find these candidates again: qualified by gemeente when they differ."""
    if len({c.gemeente_code for c in candidates}) > 1:
        return sorted({c.qualified for c in candidates})
    return [candidates[0].name] if candidates else []


def _checked_query(query: str) -> str:
    if not isinstance(query, str):
        raise TypeError(f"query must be text, not {type(query).__name__}")
    text = query.strip()
    if not text:
        raise InvalidQuery(query, problem="empty")
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidQuery(
            text[:MAX_QUERY_LENGTH] + "…", problem="too_long", max_length=MAX_QUERY_LENGTH
        )
    return text


def _split_qualifier(text: str) -> tuple[str, str | None]:
    """Split "Alteveer (Stadskanaal)", "Alteveer, Stadskanaal" or "gemeente Emmen"."""
    for pattern in (_PARENTHESES, _GEM_INFIX):
        match = pattern.fullmatch(text)
        if match:
            gem = _GEM_PREFIX.fullmatch(match["qualifier"])  # "(gemeente Stadskanaal)"
            return match["name"], gem["name"] if gem else match["qualifier"]
    if "," in text:
        name, qualifier = text.rsplit(",", 1)
        return name, qualifier
    match = _GEM_PREFIX.fullmatch(text)
    return (match["name"], "gemeente") if match else (text, None)


def _in_nl(lat: float, lon: float) -> bool:
    lat_min, lat_max, lon_min, lon_max = NL_BOUNDS
    return lat_min <= lat <= lat_max and lon_min <= lon <= lon_max


def _checked_coordinates(lat: float, lon: float) -> tuple[float, float]:
    """Return the pair as floats, or raise InvalidCoordinates with a helpful message."""
    try:
        if isinstance(lat, bool) or isinstance(lon, bool):
            raise TypeError
        flat, flon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise InvalidCoordinates(lat, lon, problem="not_a_number") from None
    if not (math.isfinite(flat) and math.isfinite(flon)):
        raise InvalidCoordinates(lat, lon, problem="not_a_number")
    if not (-90 <= flat <= 90 and -180 <= flon <= 180):
        raise InvalidCoordinates(lat, lon, problem="range")
    if not _in_nl(flat, flon) and _in_nl(flon, flat):
        raise InvalidCoordinates(lat, lon, problem="swapped")
    return flat, flon
