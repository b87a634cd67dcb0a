"""The shipped reference geodata: gemeenten, postcodes, places and wijken in Groningen and Drenthe.

The files live in ``data/sources/geo/``; their origin, licences and known issues are in
``SOURCES.md`` there. Every function reads its file when it is called, never at import time,
and returns frozen dataclasses with shapely geometries. Bad rows raise
:class:`data.errors.ImportFailed`, listing every bad row.

The data is CC BY 4.0: show :data:`ATTRIBUTION` wherever it is used (maps, exports).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from shapely import STRtree
from shapely.geometry import Point, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from data.errors import ImportFailed, RowError

DEFAULT_DIR = Path(__file__).parent / "sources" / "geo"

ATTRIBUTION_CBS = (
    "Bron: CBS (Centraal Bureau voor de Statistiek); grenzen: CBS/Kadaster via PDOK, CC BY 4.0"
)
ATTRIBUTION_GEONAMES = "Postcode- en plaatsgegevens: GeoNames (geonames.org), CC BY 4.0"
ATTRIBUTION = (ATTRIBUTION_CBS, ATTRIBUTION_GEONAMES)

REGION_PROVINCES = frozenset({"Groningen", "Drenthe"})

# PC4s that GeoNames lists under two gemeenten, with the main place and gemeente CBS gives.
# 7933 is in SOURCES.md "Known issues"; the others were found by comparing pc4_gr_dr.csv
# with the CBS PC4 table. Kept here so the answer does not depend on the optional
# (GPL-labelled) pc4_vlakken_gr_dr.geojson.
PC4_CORRECTIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "7933": ("Pesse", "GM0118"),  # GeoNames also says Westerveld; Pesse is Hoogeveen
        "9354": ("Zevenhuizen", "GM1969"),
        "9417": ("Spier", "GM1731"),
        "9423": ("Hoogersmilde", "GM1731"),
    }
)

_METRES_PER_DEGREE = 111_320.0
_T = TypeVar("_T")


@dataclass(frozen=True)
class Gemeente:
    """A municipality: CBS code (``GMxxxx``), name, province, label point and boundary."""

    code: str
    name: str
    provincie: str
    label_lat: float
    label_lon: float
    geometry: BaseGeometry = field(compare=False, repr=False)
    population: int | None = None
    stats: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Pc4Row:
    """One row of a GeoNames postcode file; a PC4 can have several rows (one per place)."""

    pc4: str
    place: str
    lat: float
    lon: float
    gemeente_code: str | None
    gemeente_name: str | None
    provincie: str | None
    gemeente_code_pip: str | None
    in_region: bool


@dataclass(frozen=True)
class Pc4Point:
    """One PC4 resolved to a single point, main place and (for GR/DR) gemeente."""

    pc4: str
    place: str
    lat: float
    lon: float
    gemeente_code: str | None
    gemeente_name: str | None
    in_region: bool


@dataclass(frozen=True)
class Pc4Area:
    """A CBS PC4 polygon (2020) with its main place and gemeente name."""

    pc4: str
    place: str
    gemeente_name: str
    gemeente_code_pip: str | None
    label_lat: float
    label_lon: float
    population: int | None
    geometry: BaseGeometry = field(compare=False, repr=False)


@dataclass(frozen=True)
class Place:
    """A populated place from GeoNames, with its alternate names and gemeente."""

    geonameid: int
    name: str
    ascii_name: str
    alternate_names: tuple[str, ...]
    lat: float
    lon: float
    feature_code: str
    population: int | None
    gemeente_code: str
    gemeente_name: str
    provincie: str
    gemeente_code_pip: str | None

    @property
    def is_seat(self) -> bool:
        """True for a province or gemeente seat (GeoNames PPLA or PPLA2)."""
        return self.feature_code in ("PPLA", "PPLA2")


@dataclass(frozen=True)
class Wijk:
    """A CBS wijk (district) boundary, 2024."""

    code: str
    name: str
    gemeente_code: str
    gemeente_name: str
    population: int | None
    geometry: BaseGeometry = field(compare=False, repr=False)


class _BadField(ValueError):
    def __init__(self, name: str, value: object) -> None:
        super().__init__(f"'{value}' is geen geldige waarde")
        self.field = name


def reference_dir(base_dir: str | Path | None = None) -> Path:
    """Return the folder with the reference files (the shipped one when ``base_dir`` is None)."""
    return DEFAULT_DIR if base_dir is None else Path(base_dir)


def _num(row: Mapping[str, Any], name: str) -> float:
    value = row.get(name)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _BadField(name, value) from None
    if not math.isfinite(number):
        raise _BadField(name, value)
    return number


def _count(row: Mapping[str, Any], name: str) -> int | None:
    """Return a population count; None when missing or 0 (GeoNames uses 0 for unknown)."""
    value = row.get(name)
    if value in (None, ""):
        return None
    number = int(_num(row, name))
    return number or None


def _text(row: Mapping[str, Any], name: str) -> str:
    value = row.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _BadField(name, value)
    return value.strip()


def _optional(row: Mapping[str, Any], name: str) -> str | None:
    value = row.get(name)
    return (value.strip() or None) if isinstance(value, str) else None


def _parse_all(source: str, items: Iterable[_T], parse: Callable[[_T], Any]) -> list[Any]:
    """Parse every item; collect bad ones and raise them together (row 1 = first record)."""
    records, errors = [], []
    for number, item in enumerate(items, start=1):
        try:
            records.append(parse(item))
        except _BadField as exc:
            errors.append(RowError(number, exc.field, str(exc)))
        except (KeyError, TypeError, ValueError) as exc:
            errors.append(RowError(number, None, f"onleesbaar: {exc}"))
    if errors:
        raise ImportFailed(errors=errors, source=source)
    return records


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _features(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return list(json.load(handle)["features"])


def _geometry(feature: Mapping[str, Any]) -> BaseGeometry:
    geometry = shape(feature["geometry"])
    if geometry.is_empty:
        raise _BadField("geometry", "leeg")
    return geometry


def load_gemeenten(base_dir: str | Path | None = None) -> list[Gemeente]:
    """Load the 22 gemeenten of Groningen and Drenthe with boundaries and label points.

    Examples
    --------
    >>> gemeenten = load_gemeenten()
    >>> len(gemeenten), gemeenten[0].code
    (22, 'GM1680')
    """
    path = reference_dir(base_dir) / "gemeenten_gr_dr.geojson"
    own = {"gemeentecode", "gemeentenaam", "provincie", "label_lat", "label_lon"}

    def parse(feature: dict[str, Any]) -> Gemeente:
        props = feature["properties"]
        return Gemeente(
            code=_text(props, "gemeentecode"),
            name=_text(props, "gemeentenaam"),
            provincie=_text(props, "provincie"),
            label_lat=_num(props, "label_lat"),
            label_lon=_num(props, "label_lon"),
            geometry=_geometry(feature),
            population=_count(props, "inwoners_2024"),
            stats=MappingProxyType({k: v for k, v in props.items() if k not in own}),
        )

    return _parse_all(path.name, _features(path), parse)


_PC4_GEMEENTE_COLUMNS = {
    True: ("gemeentecode", "gemeentenaam", "provincie"),
    False: ("gemeentecode_geonames", "gemeente_geonames", "provincie_geonames"),
}


def _pc4_row(row: Mapping[str, str], *, in_region: bool) -> Pc4Row:
    pc4 = _text(row, "pc4")
    if len(pc4) != 4 or not pc4.isascii() or not pc4.isdigit():
        raise _BadField("pc4", pc4)
    code_col, name_col, province_col = _PC4_GEMEENTE_COLUMNS[in_region]
    return Pc4Row(
        pc4=pc4,
        place=_text(row, "plaats"),
        lat=_num(row, "lat"),
        lon=_num(row, "lon"),
        gemeente_code=_optional(row, code_col),
        gemeente_name=_optional(row, name_col),
        provincie=_optional(row, province_col),
        gemeente_code_pip=_optional(row, "gemeentecode_pip"),
        in_region=in_region,
    )


def load_pc4(base_dir: str | Path | None = None) -> list[Pc4Row]:
    """Load the PC4 rows of Groningen and Drenthe (``pc4_gr_dr.csv``), flagged in region.

    Examples
    --------
    >>> [(r.place, r.gemeente_name) for r in load_pc4() if r.pc4 == "9501"]
    [('Stadskanaal', 'Stadskanaal')]
    """
    path = reference_dir(base_dir) / "pc4_gr_dr.csv"
    return _parse_all(path.name, _csv_rows(path), lambda r: _pc4_row(r, in_region=True))


def load_pc4_nl(base_dir: str | Path | None = None) -> list[Pc4Row]:
    """Load the PC4 rows outside Groningen and Drenthe (``pc4_nl_geonames.csv``), out of region.

    Rows that GeoNames puts in Groningen or Drenthe are skipped: ``pc4_gr_dr.csv`` has the
    checked version of them (this also drops the wrong ``7571`` "2e Exloërmond" row).

    Examples
    --------
    >>> sorted({r.place for r in load_pc4_nl() if r.pc4 == "1012"})
    ['Amsterdam']
    """
    path = reference_dir(base_dir) / "pc4_nl_geonames.csv"
    rows = [r for r in _csv_rows(path) if r.get("provincie_geonames") not in REGION_PROVINCES]
    return _parse_all(path.name, rows, lambda r: _pc4_row(r, in_region=False))


def load_pc4_areas(
    base_dir: str | Path | None = None, *, missing_ok: bool = False
) -> list[Pc4Area]:
    """Load the CBS PC4 polygons; with ``missing_ok``, an absent file gives ``[]``.

    The file is optional: its packaging is GPL-2 labelled (see SOURCES.md), so a
    deployment may drop it.
    """
    path = reference_dir(base_dir) / "pc4_vlakken_gr_dr.geojson"
    if missing_ok and not path.exists():
        return []

    def parse(feature: dict[str, Any]) -> Pc4Area:
        props = feature["properties"]
        return Pc4Area(
            pc4=_text(props, "pc4"),
            place=_text(props, "plaats"),
            gemeente_name=_text(props, "gemeentenaam"),
            gemeente_code_pip=_optional(props, "gemeentecode_pip"),
            label_lat=_num(props, "label_lat"),
            label_lon=_num(props, "label_lon"),
            population=_count(props, "inwoners_1jan2021"),
            geometry=_geometry(feature),
        )

    return _parse_all(path.name, _features(path), parse)


def load_places(base_dir: str | Path | None = None) -> list[Place]:
    """Load the GeoNames places of Groningen and Drenthe with their alternate names.

    Examples
    --------
    >>> [p.gemeente_name for p in load_places() if p.name == "Nieuw-Buinen"]
    ['Borger-Odoorn']
    """
    path = reference_dir(base_dir) / "woonplaatsen_gr_dr.csv"

    def parse(row: dict[str, str]) -> Place:
        alternates = (a.strip() for a in (row.get("alternatieve_namen") or "").split(","))
        return Place(
            geonameid=int(_num(row, "geonameid")),
            name=_text(row, "naam"),
            ascii_name=_optional(row, "asciinaam") or _text(row, "naam"),
            alternate_names=tuple(a for a in alternates if a),
            lat=_num(row, "lat"),
            lon=_num(row, "lon"),
            feature_code=_text(row, "featurecode"),
            population=_count(row, "inwoners_geonames"),
            gemeente_code=_text(row, "gemeentecode"),
            gemeente_name=_text(row, "gemeentenaam"),
            provincie=_text(row, "provincie"),
            gemeente_code_pip=_optional(row, "gemeentecode_pip"),
        )

    return _parse_all(path.name, _csv_rows(path), parse)


def load_wijken(base_dir: str | Path | None = None, *, missing_ok: bool = False) -> list[Wijk]:
    """Load the CBS wijken (2024) of Groningen and Drenthe; see :func:`load_pc4_areas`."""
    path = reference_dir(base_dir) / "wijken_gr_dr.geojson"
    if missing_ok and not path.exists():
        return []

    def parse(feature: dict[str, Any]) -> Wijk:
        props = feature["properties"]
        return Wijk(
            code=_text(props, "wijkcode"),
            name=_text(props, "wijknaam"),
            gemeente_code=_text(props, "gemeentecode"),
            gemeente_name=_text(props, "gemeentenaam"),
            population=_count(props, "inwoners_2024"),
            geometry=_geometry(feature),
        )

    return _parse_all(path.name, _features(path), parse)


def resolve_pc4(
    rows: Iterable[Pc4Row],
    *,
    areas: Iterable[Pc4Area] = (),
    gemeenten: Iterable[Gemeente] = (),
) -> dict[str, Pc4Point]:
    """Resolve postcode rows to one point per PC4.

    The main place and gemeente come from :data:`PC4_CORRECTIONS`, else from the CBS PC4
    ``areas`` (when given), else from the first row. The point is the GeoNames point of the
    row for that main place (and gemeente). Out-of-region PC4s get no gemeente.

    Examples
    --------
    >>> points = resolve_pc4(load_pc4(), gemeenten=load_gemeenten())
    >>> points["7933"].gemeente_name
    'Hoogeveen'
    """
    gemeenten = list(gemeenten)
    code_by_name = {g.name: g.code for g in gemeenten}
    name_by_code = {g.code: g.name for g in gemeenten}
    area_by_pc4 = {a.pc4: a for a in areas}
    groups: dict[str, list[Pc4Row]] = {}
    for row in rows:
        groups.setdefault(row.pc4, []).append(row)
    points = {}
    for pc4, group in groups.items():
        area = area_by_pc4.get(pc4)
        place, code = PC4_CORRECTIONS.get(pc4) or (
            (area.place, code_by_name.get(area.gemeente_name)) if area else (None, None)
        )
        points[pc4] = _pc4_point(group, place, code, name_by_code)
    return points


def _pc4_point(
    group: Sequence[Pc4Row], place: str | None, code: str | None, name_by_code: Mapping[str, str]
) -> Pc4Point:
    best = next((r for r in group if r.place == place and r.gemeente_code == code), None)
    row = best or next((r for r in group if r.place == place), group[0])
    code = code or row.gemeente_code
    name = name_by_code.get(code or "") or next(
        (r.gemeente_name for r in group if r.gemeente_code == code), None
    )
    return Pc4Point(
        pc4=row.pc4,
        place=row.place,
        lat=row.lat,
        lon=row.lon,
        gemeente_code=code if row.in_region else None,
        gemeente_name=name if row.in_region else None,
        in_region=row.in_region,
    )


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine).

    Examples
    --------
    >>> round(distance_m(53.0, 6.9, 53.0, 7.0))
    6692
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(a)))


class GemeenteIndex:
    """Find the gemeente at a point, with a small tolerance for points just outside (coast).

    Parameters
    ----------
    gemeenten : iterable of Gemeente
        The gemeenten to index (at least one).
    tolerance_m : float, default 2000
        A point outside every polygon but at most this far from one gets the nearest
        gemeente (harbours and dikes such as Lauwersoog and Eemshaven lie in the water of
        the generalised boundaries). Note: this also applies across the land border.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> square = Gemeente("GM0001", "Vierkant", "Drenthe", 52.5, 6.5, box(6, 52, 7, 53))
    >>> index = GemeenteIndex([square])
    >>> index.gemeente_at(52.5, 6.5).name
    'Vierkant'
    >>> index.gemeente_at(53.01, 6.5).name  # about 1.1 km outside
    'Vierkant'
    >>> index.gemeente_at(54.0, 6.5) is None
    True
    """

    def __init__(self, gemeenten: Iterable[Gemeente], *, tolerance_m: float = 2000.0) -> None:
        self._gemeenten = tuple(gemeenten)
        if not self._gemeenten:
            raise ValueError("GemeenteIndex needs at least one gemeente")
        if not tolerance_m >= 0:
            raise ValueError(f"tolerance_m must be 0 or more, not {tolerance_m!r}")
        self.tolerance_m = float(tolerance_m)
        self._by_code = {g.code: g for g in self._gemeenten}
        self._tree = STRtree([g.geometry for g in self._gemeenten])

    def __len__(self) -> int:
        return len(self._gemeenten)

    def __iter__(self) -> Iterator[Gemeente]:
        return iter(self._gemeenten)

    def get(self, code: str) -> Gemeente | None:
        """Return the gemeente with this CBS code, or None."""
        return self._by_code.get(code)

    def gemeente_at(self, lat: float, lon: float) -> Gemeente | None:
        """Return the gemeente containing the point, the nearest within tolerance, or None."""
        point = Point(lon, lat)
        hits = self._tree.query(point, predicate="intersects")
        if len(hits):
            return self._gemeenten[int(min(hits))]  # lowest index: stable on shared borders
        return self._nearest_within(point)

    def _nearest_within(self, point: Point) -> Gemeente | None:
        lat, lon = point.y, point.x
        if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 85:
            return None
        dlat = self.tolerance_m / _METRES_PER_DEGREE
        dlon = dlat / math.cos(math.radians(lat))
        window = box(lon - dlon, lat - dlat, lon + dlon, lat + dlat)
        best: tuple[float, int] | None = None
        for i in self._tree.query(window):
            near, _ = nearest_points(self._gemeenten[i].geometry, point)
            candidate = (distance_m(lat, lon, near.y, near.x), int(i))
            best = candidate if best is None else min(best, candidate)
        if best is None or best[0] > self.tolerance_m:
            return None
        return self._gemeenten[best[1]]
