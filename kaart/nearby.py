"""Nearby search for residents: an in-memory spatial index over the registry's places.

The index (a shapely STRtree over the points) is built once per data version; a query
takes the candidates in a bounding box around the point, measures the true geodesic
distance on the WGS84 ellipsoid (geographiclib) and filters on needs, openness and terms.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import shapely
from geographiclib.geodesic import Geodesic
from shapely.strtree import STRtree

from data import hours
from data.snapshot import PlaceRecord, PlacesSnapshot
from kaart.errors import KaartError

_GEOD = Geodesic.WGS84
KM_PER_DEG_LAT = 110.574  # the shortest degree of latitude: a safe bounding box


class InvalidSearch(KaartError, ValueError):
    """A search option is out of range."""


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in km along the WGS84 ellipsoid.

    >>> round(geodesic_km(52.9938, 6.9497, 52.783, 6.8954), 2)  # Stadskanaal - Emmen
    23.74
    """
    return _GEOD.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"] / 1000.0


@dataclass(frozen=True)
class Hit:
    place: PlaceRecord
    distance_km: float


class PlaceIndex:
    """Physical places with a point, in an STRtree; remote (virtual) places kept apart."""

    def __init__(self, snapshot: PlacesSnapshot) -> None:
        self.version = snapshot.version
        located = [p for p in snapshot.places if p.lat is not None and p.lon is not None and p.location_type == "physical"]
        self.places: list[PlaceRecord] = located
        on_map = {id(p) for p in located}
        self.remote: list[PlaceRecord] = [p for p in snapshot.places if id(p) not in on_map]
        self.by_slug = {p.slug: p for p in snapshot.places}
        points = shapely.points(np.array([[p.lon, p.lat] for p in located], dtype=float).reshape(-1, 2))
        self._tree = STRtree(points)
        self._lat = np.array([p.lat for p in located], dtype=float)
        self._lon = np.array([p.lon for p in located], dtype=float)

    def __len__(self) -> int:
        return len(self.places)

    def within(self, lat: float, lon: float, radius_km: float, *,
               keep: Callable[[PlaceRecord], bool] | None = None, limit: int | None = None) -> list[Hit]:
        """Places within ``radius_km`` of the point, nearest first (ties by name, id).

        Candidates come from the STRtree (a bounding box), are ranked by a vectorised
        great-circle distance, filtered by ``keep``, and only the ones that can be in the
        answer get the exact geodesic distance (the sphere is within 0.6% of the ellipsoid,
        so a 1% band around the radius and around the ``limit``-th place is exact).
        """
        dlat = radius_km / KM_PER_DEG_LAT
        coslat = max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-6)
        dlon = radius_km / (111.320 * coslat)
        idx = self._tree.query(shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat))
        if len(idx) == 0:
            return []
        approx = _haversine_km(lat, lon, self._lat[idx], self._lon[idx])
        inside = approx <= radius_km * (1 + _SPHERE_BAND)
        idx, approx = idx[inside], approx[inside]
        order = np.argsort(approx, kind="stable")
        chosen: list[tuple[PlaceRecord, float]] = []
        cutoff = math.inf
        for i in order:
            if approx[i] > cutoff:
                break
            place = self.places[int(idx[i])]
            if keep is not None and not keep(place):
                continue
            chosen.append((place, float(approx[i])))
            if limit is not None and len(chosen) == limit:
                cutoff = approx[i] * (1 + 2 * _SPHERE_BAND)  # later ones may still be nearer
        hits = [Hit(p, geodesic_km(lat, lon, p.lat, p.lon)) for p, _ in chosen]  # type: ignore[arg-type]
        hits = [h for h in hits if h.distance_km <= radius_km]
        hits.sort(key=lambda h: (round(h.distance_km, 6), h.place.name, h.place.service_id))
        return hits[:limit] if limit is not None else hits


_SPHERE_BAND = 0.01
_EARTH_KM = 6371.0088


def _haversine_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    p1, p2 = math.radians(lat), np.radians(lats)
    dp, dl = p2 - p1, np.radians(lons) - math.radians(lon)
    a = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass(frozen=True)
class Filters:
    """What a resident asked for. ``needs_match``: 'any' (OR, default) or 'all' (AND)."""

    needs: tuple[str, ...] = ()
    needs_match: str = "any"
    open_at: dt.datetime | None = None
    free: bool = False
    no_referral: bool = False
    gemeente: str | None = None

    def predicate(self) -> Callable[[PlaceRecord], bool]:
        wanted = set(self.needs)

        def keep(p: PlaceRecord) -> bool:
            if wanted:
                have = wanted & set(p.needs)
                if not have or (self.needs_match == "all" and have != wanted):
                    return False
            if self.free and p.free is not True:
                return False
            if self.no_referral and p.referral_needed is not False:
                return False
            if self.gemeente and self.gemeente not in (p.gemeente_code, *p.service_area):
                return False
            return self.open_at is None or bool(
                p.opening_hours and hours.status(p.opening_hours, self.open_at).is_open
            )

        return keep


@dataclass(frozen=True)
class SearchResult:
    lat: float
    lon: float
    radius_km: float
    widened: bool
    hits: list[Hit]
    remote: list[PlaceRecord] = field(default_factory=list)


def radius_steps(first_km: float, max_km: float) -> list[float]:
    """The radii a search widens through: the first, then 25, 50 ... up to ``max_km``.

    >>> radius_steps(15, 50)
    [15, 25, 50]
    """
    steps = [first_km] + [r for r in (25, 50, 75, 100) if first_km < r <= max_km]
    return steps


def search(index: PlaceIndex, lat: float, lon: float, *, filters: Filters = Filters(),
           radius_km: float = 15.0, max_radius_km: float = 50.0, min_results: int = 3,
           limit: int = 20, gemeente_code: str | None = None) -> SearchResult:
    """Places near a point, widening the radius step by step when fewer than ``min_results``.

    ``remote`` lists phone-only and online help that serves the searched gemeente (or
    everyone), apart from the map results — never dropped.
    """
    if not (0 < radius_km <= max_radius_km):
        raise InvalidSearch(f"radius_km moet tussen 0 en {max_radius_km} liggen, niet {radius_km}")
    if not (1 <= limit <= 200):
        raise InvalidSearch(f"limit moet tussen 1 en 200 liggen, niet {limit}")
    if filters.needs_match not in ("any", "all"):
        raise InvalidSearch("needs_match is 'any' of 'all'")
    keep = filters.predicate()
    hits: list[Hit] = []
    steps = radius_steps(radius_km, max_radius_km)
    for step in steps:
        hits = index.within(lat, lon, step, keep=keep, limit=max(limit, min_results))
        if len(hits) >= min_results:
            break
    used = step
    remote = [p for p in index.remote if keep(p) and _serves(p, gemeente_code)]
    remote.sort(key=lambda p: (p.name, p.service_id))
    return SearchResult(lat, lon, used, used != radius_km, hits[:limit], remote)


def _serves(p: PlaceRecord, gemeente_code: str | None) -> bool:
    area: Iterable[str] = p.service_area or ((p.gemeente_code,) if p.gemeente_code else ())
    area = tuple(area)
    return not area or gemeente_code is None or gemeente_code in area
