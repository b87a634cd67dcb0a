"""The registry as geodata for GIS tools: GeoJSON (RFC 7946) and GeoPackage, and back.

Only physical, non-confidential locations with a point are exported: a virtual location
has no point, and a confidential location must never be on a map. Every feature carries
the precision of its point (``address``, ``postcode`` or ``place``), so a postcode
centroid is not taken for an address. Coordinates are ``[longitude, latitude]`` in WGS 84,
as RFC 7946 requires.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data.errors import ImportFailed, RowError
from data.flat import COLUMNS
from data.models import Location, Service
from data.validate import NL_LAT, NL_LON, Locator, validate_rows

#: Feature properties, in order; lists are JSON arrays in GeoJSON, ``;``-joined in GeoPackage.
PROPERTIES: tuple[str, ...] = (
    "id", "slug", "name", "organisation", "organisation_id", "kind", "needs", "kapitaalsvormen",
    "description", "address", "postcode", "place", "gemeente", "gemeente_code", "precision",
    "opening_hours", "opening_hours_text", "free", "referral_needed", "languages", "eligibility",
    "url", "phone", "email", "accessibility", "transport", "service_ids", "source",
    "source_seen", "assured_date", "assured_by",
)
_LISTS = frozenset({"needs", "kapitaalsvormen", "languages", "service_ids"})
_FLAGS = frozenset({"free", "referral_needed"})
_SERVICE_FIELDS = (
    "kind", "description", "opening_hours", "opening_hours_text", "free", "referral_needed",
    "languages", "eligibility", "url", "phone", "email",
)
_HOUSE_NUMBER = re.compile(r"^(.*\S)\s+(\d+\s*[A-Za-z]?(?:\s*[-/]?\s*\w{1,6})?)$")
POINT_LAYER = "locaties"
GEMEENTE_LAYER = "gemeenten"


# --- export ------------------------------------------------------------------------


def _mappable(session: Session) -> list[Location]:
    stmt = (
        select(Location)
        .where(
            Location.location_type == "physical",
            Location.confidential.is_(False),
            Location.latitude.is_not(None),
            Location.longitude.is_not(None),
        )
        .options(
            selectinload(Location.services).selectinload(Service.need_rows),
            selectinload(Location.organisation),
        )
        .order_by(Location.id)
    )
    return [loc for loc in session.scalars(stmt) if not loc.confidential]


def _properties(loc: Location) -> dict[str, Any]:
    services = sorted(loc.services, key=lambda s: (s.name, s.id))
    main = services[0] if services else None
    props: dict[str, Any] = {
        "id": loc.id, "slug": loc.slug, "name": loc.name,
        "organisation": loc.organisation.name if loc.organisation else None,
        "organisation_id": loc.organisation_id,
        "needs": sorted({n for s in services for n in s.needs}),
        "kapitaalsvormen": list(dict.fromkeys(k for s in services for k in s.kapitaalsvormen or [])),
        "address": loc.address, "postcode": loc.postcode, "place": loc.place,
        "gemeente": loc.gemeente_name, "gemeente_code": loc.gemeente_code, "precision": loc.precision,
        "accessibility": loc.accessibility, "transport": loc.transport,
        "service_ids": [s.id for s in services], "source": loc.source, "source_seen": loc.source_seen,
        "assured_date": loc.assured_date.isoformat() if loc.assured_date else None,
        "assured_by": loc.assured_by,
    }
    for name in _SERVICE_FIELDS:
        props[name] = getattr(main, name) if main is not None else None
    props["languages"] = list(props["languages"] or [])
    return {name: props[name] for name in PROPERTIES}


def to_geojson(session: Session) -> dict[str, Any]:
    """The mappable locations as an RFC 7946 FeatureCollection.

    One Feature per physical, non-confidential location with a point; coordinates are
    ``[longitude, latitude]``. Service fields (opening hours, free, …) come from the
    location's first service by name; needs and kapitaalsvormen are those of all its
    services, and ``service_ids`` lists them all.

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}``, sorted by location id.
    """
    features = [
        {
            "type": "Feature",
            "id": loc.id,
            "geometry": {"type": "Point", "coordinates": [loc.longitude, loc.latitude]},
            "properties": _properties(loc),
        }
        for loc in _mappable(session)
    ]
    return {"type": "FeatureCollection", "features": features}


def _columns(features: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    """Field arrays and masks (True = null) for pyogrio, one per property."""
    import numpy as np

    arrays, masks = [], []
    for name in PROPERTIES:
        values = [f["properties"][name] for f in features]
        mask = np.array([v is None for v in values], dtype=bool)
        if name in _FLAGS:
            arrays.append(np.array([bool(v) for v in values], dtype=bool))
        elif name in _LISTS:
            arrays.append(np.array([";".join(v or []) for v in values], dtype=object))
        else:
            arrays.append(np.array(["" if v is None else str(v) for v in values], dtype=object))
        masks.append(mask if mask.any() else None)
    return arrays, masks


def to_geopackage(session: Session, path: Path, *, with_gemeenten: bool = False) -> Path:
    """Write the mappable locations to a GeoPackage readable by GDAL/QGIS.

    Parameters
    ----------
    session : Session
        The registry.
    path : Path
        The ``.gpkg`` file; an existing file is replaced.
    with_gemeenten : bool, default False
        Also write layer ``gemeenten``: the shipped boundaries of the 22 gemeenten with
        the number of exported locations in each (CBS data, CC BY 4.0).

    Returns
    -------
    Path
        ``path``, with layer ``locaties`` (points, EPSG:4326) holding the properties of
        `to_geojson` (lists joined with ``;``).
    """
    import numpy as np
    import shapely
    from pyogrio.raw import write

    features = to_geojson(session)["features"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    points = [shapely.Point(*f["geometry"]["coordinates"]) for f in features]
    arrays, masks = _columns(features)
    write(
        str(path), np.array(shapely.to_wkb(points), dtype=object) if points else np.array([], dtype=object),
        arrays, list(PROPERTIES), field_mask=masks, layer=POINT_LAYER, driver="GPKG",
        geometry_type="Point", crs="EPSG:4326",
    )
    if with_gemeenten:
        _write_gemeenten(path, features)
    return path


def _write_gemeenten(path: Path, features: list[dict[str, Any]]) -> None:
    import numpy as np
    import shapely
    from pyogrio.raw import write

    from data.reference import ATTRIBUTION_CBS, load_gemeenten

    gemeenten = load_gemeenten()
    counts: dict[str, int] = {}
    for feature in features:
        code = feature["properties"]["gemeente_code"]
        counts[code] = counts.get(code, 0) + 1
    write(
        str(path), np.array(shapely.to_wkb([g.geometry for g in gemeenten]), dtype=object),
        [np.array([g.code for g in gemeenten], dtype=object),
         np.array([g.name for g in gemeenten], dtype=object),
         np.array([g.provincie for g in gemeenten], dtype=object),
         np.array([counts.get(g.code, 0) for g in gemeenten], dtype="int32")],
        ["code", "name", "provincie", "locaties"], layer=GEMEENTE_LAYER, driver="GPKG",
        geometry_type="MultiPolygon", promote_to_multi=True, crs="EPSG:4326", append=True,
        layer_metadata={"attribution": ATTRIBUTION_CBS},
    )


# --- import ------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def _point(feature: dict[str, Any], n: int, errors: list[RowError]) -> tuple[float, float] | None:
    """(lat, lon) of a Point feature, or None with the problem added to ``errors``."""
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        kind = geometry.get("type") if isinstance(geometry, dict) else geometry
        errors.append(RowError(n, "geometry.type", f"'{kind}' is geen Point; alleen punten kunnen worden ingelezen"))
        return None
    coords: Any = geometry.get("coordinates")
    numeric = isinstance(coords, (list, tuple)) and len(coords) in (2, 3) and all(
        isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c) for c in coords
    )
    if not numeric:
        errors.append(RowError(n, "geometry.coordinates", f"{coords!r} is geen [lengtegraad, breedtegraad] in getallen"))
        return None
    lon, lat = float(coords[0]), float(coords[1])
    if NL_LAT[0] <= lon <= NL_LAT[1] and NL_LON[0] <= lat <= NL_LON[1]:
        errors.append(RowError(n, "geometry.coordinates", (
            f"[{coords[0]}, {coords[1]}] lijkt [breedtegraad, lengtegraad]; GeoJSON (RFC 7946) is "
            "[lengtegraad, breedtegraad], bijvoorbeeld [6.56, 53.22]"
        )))
        return None
    return lat, lon


def _feature_row(feature: Any, n: int, errors: list[RowError]) -> dict[str, str] | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        errors.append(RowError(n, "type", "dit is geen GeoJSON Feature"))
        return None
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        errors.append(RowError(n, "properties", "properties moet een object zijn"))
        return None
    point = _point(feature, n, errors)
    if point is None:
        return None
    row = {c: _cell(props.get(c)) for c in COLUMNS if c in props}
    ids = props.get("service_ids") or [props.get("id") or feature.get("id")]
    row["id"] = _cell(ids[0])
    row.setdefault("website", _cell(props.get("url")))
    _street(row, props)
    if (props.get("precision") in (None, "address")) or not (row.get("postcode") or row.get("place")):
        row["latitude"], row["longitude"] = repr(point[0]), repr(point[1])
    row["_row"] = str(n)
    return row


def _street(row: dict[str, str], props: dict[str, Any]) -> None:
    address = str(props.get("address") or "").strip()
    if not address or "street" in props:
        return
    match = _HOUSE_NUMBER.match(address)
    row["street"], row["house_number"] = (match[1], match[2]) if match else (address, "")


def from_geojson(doc: Any, locator: Locator) -> list[dict[str, str]]:
    """Read a GeoJSON FeatureCollection of points into rows of the flat layout.

    Each feature becomes one row (``_row`` = its position, 1 = first feature), checked
    here for geometry (Point, ``[longitude, latitude]``, numbers) and then by the flat
    validator. A point whose precision is ``postcode`` or ``place`` is not copied: the
    validator finds it again from the postcode or place, with the right precision.

    Parameters
    ----------
    doc : dict
        The FeatureCollection.
    locator : Locator
        For the flat validator (gemeenten, geocoding).

    Returns
    -------
    list of dict
        Rows with the columns of `data.flat.COLUMNS` (and ``_row``).

    Raises
    ------
    ImportFailed
        With every problem, row = feature position, field = column or ``geometry.*``.
    """
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise ImportFailed([RowError(None, "type", "dit is geen GeoJSON FeatureCollection")], "GeoJSON")
    errors: list[RowError] = []
    rows = [r for n, f in enumerate(doc["features"], start=1) if (r := _feature_row(f, n, errors)) is not None]
    _, flat_errors = validate_rows(rows, locator)
    errors += flat_errors
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row or 0), "GeoJSON")
    return rows
