"""Nearby search: ``kaart.nearby.search`` on generated places, and ``GET /api/v1/nearby``.

In-process, for 1,000 and 100,000 seeded places spread over Groningen/Drenthe (denser
around the towns), with 500 seeded queries in a realistic mix of options (first radius
15 km widening to 50 km, needs filters, free / no referral, sometimes "open now"):

- the time and memory to build the ``PlaceIndex``,
- median, p95 and p99 time per ``search`` call,
- the same for the baseline: a brute-force numpy haversine over all rows, the same
  filters as boolean masks, ``argpartition`` for the nearest ``limit`` (opening hours,
  the one filter that cannot be vectorised, are evaluated lazily, nearest first),
- that both give the same places (up to the geodesic-vs-haversine difference, see
  ``compare``); a difference that is not explained by it stops the benchmark.

Over HTTP, the real app (``create_app``, a SQLite database filled with the same
generated rows) under uvicorn on 127.0.0.1, driven by wrk (or, without wrk, httpx in
a thread pool) for a bounded time: ``/api/v1/nearby`` against an empty endpoint
added to the same app for the benchmark only; requests/s, p50/p99 latency and ratios.

Usage::

    python bench/bench_nearby.py            # 1,000 and 100,000 places (HTTP too)
    python bench/bench_nearby.py --quick    # 1,000 places, 100 queries, 3 s of HTTP load

Prints Markdown tables and writes JSON to bench/results/nearby.json (``--json-out``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from data import hours  # noqa: E402
from data.snapshot import PlaceRecord, PlacesSnapshot  # noqa: E402
from data.vocab import NEED_KAPITAAL, NEEDS, SERVICE_KINDS  # noqa: E402
from kaart.nearby import (  # noqa: E402
    Filters,
    PlaceIndex,
    SearchResult,
    geodesic_km,
    radius_steps,
    search,
)

RESULTS = ROOT / "bench" / "results" / "nearby.json"
TZ = ZoneInfo("Europe/Amsterdam")
SIZES = (1_000, 100_000)
QUICK_SIZES = (1_000,)
QUERIES, QUICK_QUERIES = 500, 100
FIRST_RADIUS_KM, MAX_RADIUS_KM, MIN_RESULTS, LIMIT = 15.0, 50.0, 3, 20
MOMENT = dt.datetime(2026, 3, 10, 10, 30, tzinfo=TZ)  # a Tuesday morning, no holiday
BOX = (52.6, 53.5, 6.2, 7.2)  # lat min, lat max, lon min, lon max

# (town, lat, lon, inhabitants in thousands): places and residents cluster here.
TOWNS = (
    ("Groningen", 53.2194, 6.5665, 235), ("Assen", 52.9928, 6.5642, 68),
    ("Emmen", 52.7858, 6.8976, 57), ("Hoogeveen", 52.7225, 6.4764, 40),
    ("Meppel", 52.6958, 6.2050, 34), ("Delfzijl", 53.3300, 6.9180, 24),
    ("Hoogezand", 53.1610, 6.7600, 21), ("Veendam", 53.1070, 6.8790, 20),
    ("Stadskanaal", 52.9890, 6.9500, 20), ("Winschoten", 53.1440, 7.0350, 18),
    ("Coevorden", 52.6610, 6.7400, 15), ("Roden", 53.1380, 6.4210, 15),
    ("Haren", 53.1730, 6.6050, 14), ("Klazienaveen", 52.7260, 6.9910, 12),
    ("Leek", 53.1630, 6.3770, 11), ("Appingedam", 53.3210, 6.8580, 11),
    ("Zuidlaren", 53.0940, 6.6820, 10), ("Beilen", 52.8620, 6.5120, 10),
    ("Bedum", 53.3010, 6.6020, 10), ("Ter Apel", 52.8770, 7.0700, 9),
    ("Winsum", 53.3300, 6.5160, 7), ("Zuidhorn", 53.2460, 6.4040, 7),
    ("Oude Pekela", 53.1040, 7.0090, 7), ("Borger", 52.9230, 6.7930, 5),
    ("Uithuizen", 53.4080, 6.6710, 5), ("Gieten", 53.0060, 6.7630, 4),
)  # fmt: skip
DAYS = ("Mo-Fr", "Mo-Sa", "Tu,Th", "We", "Mo,We,Fr", "Sa", "Mo-Su", "Tu-Fr", "Th")
TIMES = ("09:00-17:00", "09:00-12:00", "13:00-16:00", "10:00-12:00,13:30-16:30",
         "19:00-21:00", "08:30-12:30", "14:00-17:00")  # fmt: skip
HOURS = tuple(f"{d} {t}{ph}" for d in DAYS for t in TIMES for ph in ("", "; PH off")) + (
    'Mo-Fr 10:00-12:00 "alleen op afspraak"',
    "Sa[1] 11:00-16:00",
)

# --- generated data ----------------------------------------------------------------


def _town_point(rng: random.Random) -> tuple[float, float, int]:
    """A point around a town (weighted by inhabitants), or in the countryside."""
    if rng.random() < 0.25:
        lat, lon = rng.uniform(BOX[0], BOX[1]), rng.uniform(BOX[2], BOX[3])
        return lat, lon, min(range(len(TOWNS)), key=lambda t: _sq(TOWNS[t], lat, lon))
    town = rng.choices(range(len(TOWNS)), weights=[t[3] for t in TOWNS])[0]
    _name, lat0, lon0, size = TOWNS[town]
    sigma_km = 0.8 + 2.5 * math.sqrt(size / 235)
    lat = lat0 + rng.gauss(0, sigma_km) / 111.2
    lon = lon0 + rng.gauss(0, sigma_km) / (111.32 * math.cos(math.radians(lat0)))
    return min(max(lat, BOX[0]), BOX[1]), min(max(lon, BOX[2]), BOX[3]), town


def _sq(town: tuple, lat: float, lon: float) -> float:
    return (town[1] - lat) ** 2 + (town[2] - lon) ** 2


def _gemeente(geocoder, lat: float, lon: float, town: int) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    """The real gemeente with a geocoder; else the nearest town stands in (tests)."""
    return geocoder.gemeente_at(lat, lon) if geocoder else (f"GM{town:04d}", TOWNS[town][0])


def make_places(n: int, *, seed: int = 1, geocoder=None) -> list[PlaceRecord]:  # type: ignore[no-untyped-def]
    """``n`` places with every field filled; about 1 % remote help (phone, online).

    ``geocoder`` (a ``kaart.geocode.Geocoder``) gives each point its real gemeente;
    without it (fast, for tests) the nearest town's name stands in for the gemeente.
    """
    rng = random.Random(seed)
    n_remote = max(2, min(n // 100, 100))
    places = []
    for i in range(n):
        remote = i % (n // n_remote) == 0 and i // (n // n_remote) < n_remote
        lat, lon, town = _town_point(rng)
        lat, lon = round(lat, 6), round(lon, 6)
        gemeente = _gemeente(geocoder, lat, lon, town)
        needs = tuple(sorted(rng.sample(NEEDS, rng.choice((1, 1, 2, 2, 3)))))
        kind = rng.choice(SERVICE_KINDS)
        places.append(
            PlaceRecord(
                service_id=f"svc-{i:06d}", location_id=f"loc-{i:06d}", slug=f"plek-{i:06d}",
                name=f"{kind.replace('_', ' ').title()} {TOWNS[town][0]} {i}",
                organisation=f"Stichting {i % 500}", kind=kind,
                description="Een plek om binnen te lopen voor koffie, hulp en een praatje.",
                needs=needs,
                kapitaalsvormen=tuple(sorted({k for nd in needs for k in NEED_KAPITAAL[nd]})),
                free=rng.choice((True, True, False, None)),
                referral_needed=rng.choice((False, False, True, None)),
                languages=rng.choice((("nl",), ("nl", "en"), ("nl", "en", "de"))),
                eligibility=rng.choice((None, "Inwoners met een laag inkomen")),
                opening_hours=None if rng.random() < 0.1 else rng.choice(HOURS),
                opening_hours_text=rng.choice((None, "Kom gerust langs.")),
                phone=f"0599 {rng.randint(100000, 999999)}", email=f"info{i}@example.nl",
                url=f"https://example.nl/plek/{i}",
                location_type="virtual" if remote else "physical",
                address=None if remote else f"Dorpsstraat {rng.randint(1, 200)}",
                postcode=f"{rng.randint(7700, 9999)} {rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}",
                place=TOWNS[town][0], gemeente_code=gemeente[0] if gemeente else None,
                gemeente_name=gemeente[1] if gemeente else None,
                service_area=(gemeente[0],) if remote and gemeente and rng.random() < 0.5 else (),
                lat=None if remote else lat, lon=None if remote else lon,
                precision=None if remote else rng.choice(("address", "address", "postcode")),
                accessibility=rng.choice((None, "Rolstoeltoegankelijk")),
                transport=rng.choice((None, "Bushalte op 200 m")),
                confidential=rng.random() < 0.01, contact_point=rng.choice((None, "Balie")),
                source="bench", source_seen="2026-01-15", assured_date="2025-11-01",
                assured_by="bench",
            )
        )  # fmt: skip
    return places


@dataclass(frozen=True)
class Query:
    """One resident's question: a point, its gemeente and the filters."""

    lat: float
    lon: float
    gemeente_code: str | None
    filters: Filters

    def params(self) -> list[tuple[str, str]]:
        """The same question as /api/v1/nearby query parameters."""
        f = self.filters
        out = [("lat", f"{self.lat:.6f}"), ("lon", f"{self.lon:.6f}")]
        out += [("needs", need) for need in f.needs]
        if f.needs_match != "any":
            out.append(("needs_match", f.needs_match))
        out += [(k, "true") for k, on in (("free", f.free), ("no_referral", f.no_referral)) if on]
        if f.open_at is not None:
            out.append(("open_at", f.open_at.replace(tzinfo=None).isoformat()))
        return out


def make_queries(n: int, *, seed: int = 2, geocoder=None) -> list[Query]:  # type: ignore[no-untyped-def]
    """``n`` questions: most from towns; a third with no need, about a fifth 'open now'."""
    rng = random.Random(seed)
    queries = []
    for _ in range(n):
        lat, lon, town = _town_point(rng)
        gemeente = _gemeente(geocoder, lat, lon, town)
        k = rng.choices((0, 1, 2), weights=(35, 50, 15))[0]
        filters = Filters(
            needs=tuple(sorted(rng.sample(NEEDS, k))),
            needs_match="all" if k == 2 and rng.random() < 0.3 else "any",
            open_at=MOMENT if rng.random() < 0.2 else None,
            free=rng.random() < 0.15, no_referral=rng.random() < 0.1,
        )  # fmt: skip
        queries.append(Query(lat, lon, gemeente[0] if gemeente else None, filters))
    return queries


def snapshot(places: Sequence[PlaceRecord], version: int = 1) -> PlacesSnapshot:
    return PlacesSnapshot(version=version, places=tuple(places))


def build_index(places: Sequence[PlaceRecord]) -> tuple[PlaceIndex, float]:
    """The index and its build time (s)."""
    snap = snapshot(places)
    start = time.perf_counter()
    index = PlaceIndex(snap)
    return index, time.perf_counter() - start


# --- the baseline ----------------------------------------------------------------------

# Haversine on a sphere with the Gaussian mean radius sqrt(M*N) of WGS84 at 53 N, the
# middle of the region: within ~0.1 % of the geodesic for the distances searched here.
_A, _F = 6378.137, 1 / 298.257223563
_E2 = _F * (2 - _F)
_PHI = math.radians(53.0)
EARTH_KM = _A * math.sqrt(1 - _E2) / (1 - _E2 * math.sin(_PHI) ** 2)
REL_TOL, ABS_TOL_KM = 0.002, 0.002  # what "same answer up to haversine" allows


def haversine_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) from one point to arrays of points (degrees)."""
    p1, p2 = math.radians(lat), np.radians(lats)
    dphi, dlmb = p2 - p1, np.radians(lons) - math.radians(lon)
    a = np.sin(dphi / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(a))


@dataclass
class BruteAnswer:
    radius_km: float
    ids: list[str]
    distances_km: list[float]
    remote_ids: list[str] = field(default_factory=list)


class BruteForce:
    """The same search as ``kaart.nearby.search``, brute force over numpy columns."""

    def __init__(self, index: PlaceIndex) -> None:
        located = index.places
        self.ids = np.array([p.service_id for p in located])
        self.lat = np.array([p.lat for p in located], dtype=float)
        self.lon = np.array([p.lon for p in located], dtype=float)
        bits = {need: 1 << i for i, need in enumerate(NEEDS)}
        self._bits = bits
        self.needs = np.array([sum(bits[x] for x in p.needs) for p in located], dtype=np.int32)
        self.free = np.array([p.free is True for p in located])
        self.no_referral = np.array([p.referral_needed is False for p in located])
        self.hours = [p.opening_hours for p in located]
        self.remote = index.remote
        self._row = {sid: i for i, sid in enumerate(self.ids)}

    def geodesic(self, q: Query, sid: str) -> float:
        """The index's own distance measure, for one place (used to judge differences)."""
        i = self._row[sid]
        return geodesic_km(q.lat, q.lon, float(self.lat[i]), float(self.lon[i]))

    def mask(self, f: Filters) -> np.ndarray:
        keep = np.ones(len(self.ids), dtype=bool)
        if f.needs:
            want = sum(self._bits[x] for x in f.needs)
            have = self.needs & want
            keep &= (have == want) if f.needs_match == "all" else (have != 0)
        if f.free:
            keep &= self.free
        if f.no_referral:
            keep &= self.no_referral
        return keep

    def _open(self, i: int, at: dt.datetime) -> bool:
        expr = self.hours[i]
        return bool(expr and hours.status(expr, at).is_open)

    def search(self, q: Query) -> BruteAnswer:
        d = haversine_km(q.lat, q.lon, self.lat, self.lon)
        keep = self.mask(q.filters)
        at = q.filters.open_at
        chosen: np.ndarray = np.empty(0, dtype=int)
        for step in radius_steps(FIRST_RADIUS_KM, MAX_RADIUS_KM):
            cand = np.flatnonzero(keep & (d <= step))
            if at is None:
                if len(cand) > LIMIT:
                    cand = cand[np.argpartition(d[cand], LIMIT)[:LIMIT]]
                chosen = cand[np.argsort(d[cand], kind="stable")]
            else:  # opening hours: nearest first, only until ``LIMIT`` are open
                order = cand[np.argsort(d[cand], kind="stable")]
                chosen = np.array(
                    [i for i in _take_open(order, lambda i: self._open(i, at))], dtype=int
                )
            if len(chosen) >= MIN_RESULTS:
                break
        keep_remote = Filters.predicate(q.filters)
        remote = [
            p.service_id for p in self.remote if keep_remote(p)
        ]  # not spatial: as search does
        return BruteAnswer(step, list(self.ids[chosen]), list(d[chosen]), remote)


def _take_open(order: np.ndarray, is_open) -> Iterator[int]:  # type: ignore[no-untyped-def]
    found = 0
    for i in order:
        if is_open(int(i)):
            yield int(i)
            found += 1
            if found == LIMIT:
                return


def index_search(index: PlaceIndex, q: Query) -> SearchResult:
    return search(
        index, q.lat, q.lon, filters=q.filters, radius_km=FIRST_RADIUS_KM,
        max_radius_km=MAX_RADIUS_KM, min_results=MIN_RESULTS, limit=LIMIT,
        gemeente_code=q.gemeente_code,
    )  # fmt: skip


def compare(brute: BruteForce, q: Query, ours: SearchResult, theirs: BruteAnswer) -> str:
    """'exact', 'tolerance' (differs only at a cut-off, within REL_TOL), or raise.

    The index measures geodesic distances, the baseline haversine ones; the two can
    disagree about a place within metres of a radius (and so about widening) or of the
    last (``LIMIT``-th) place. Any other difference is a bug in one of them.
    """
    a, b = {h.place.service_id for h in ours.hits}, set(theirs.ids)
    if a == b and ours.radius_km == theirs.radius_km:
        return "exact"
    if ours.radius_km != theirs.radius_km:
        if _near_radius(brute, q, min(ours.radius_km, theirs.radius_km)):
            return "tolerance"
        raise AssertionError(f"radius {ours.radius_km} vs {theirs.radius_km} km for {q}")
    cuts = [ours.radius_km] + [ours.hits[-1].distance_km] * bool(ours.hits)
    cuts += [brute.geodesic(q, theirs.ids[-1])] * bool(theirs.ids)
    for sid in a ^ b:
        d = brute.geodesic(q, sid)
        if not any(abs(d - c) <= REL_TOL * c + ABS_TOL_KM for c in cuts):
            raise AssertionError(
                f"index and brute force disagree beyond rounding for {q}: {sid} at {d:.4f} km, "
                f"cut-offs {[round(c, 4) for c in cuts]} km, {len(a)} vs {len(b)} hits"
            )
    return "tolerance"


def _near_radius(brute: BruteForce, q: Query, radius: float) -> bool:
    """A place passing the filters lies within rounding of ``radius`` (widening differs)."""
    d = haversine_km(q.lat, q.lon, brute.lat, brute.lon)
    near = np.abs(d - radius) <= REL_TOL * radius + ABS_TOL_KM
    return bool(np.any(brute.mask(q.filters) & near))


# --- timing ----------------------------------------------------------------------------


def percentiles(seconds: Sequence[float]) -> dict[str, float]:
    """Median, p95, p99 and mean in milliseconds."""
    ms = np.asarray(seconds) * 1000
    return {
        "median_ms": float(np.median(ms)), "p95_ms": float(np.percentile(ms, 95)),
        "p99_ms": float(np.percentile(ms, 99)), "mean_ms": float(ms.mean()),
    }  # fmt: skip


def time_both(index: PlaceIndex, brute: BruteForce, queries: Sequence[Query]) -> dict:
    """Each query through the index, then the baseline (interleaved, so that load from
    other processes hits both alike); every pair of answers is compared."""
    for q in queries[:5]:  # warm the opening-hours parser's cache for both
        index_search(index, q)
        brute.search(q)
    ours, base, verdicts, widened = [], [], [], 0
    for q in queries:
        t0 = time.perf_counter()
        a = index_search(index, q)
        t1 = time.perf_counter()
        b = brute.search(q)
        t2 = time.perf_counter()
        ours.append(t1 - t0)
        base.append(t2 - t1)
        verdicts.append(compare(brute, q, a, b))
        widened += a.widened
    return {"ours": ours, "baseline": base, "verdicts": verdicts, "widened": widened}


def _rss_mb() -> float:
    """Resident memory of this process (MB): sees GEOS's C allocations, tracemalloc does not."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def traced_mb(build) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Peak and retained Python memory (MB, tracemalloc) of ``build()``."""
    tracemalloc.start()
    kept = build()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return peak / 2**20, current / 2**20


def run_inprocess(n: int, queries: Sequence[Query], *, geocoder) -> dict:  # type: ignore[no-untyped-def]
    places = make_places(n, geocoder=geocoder)
    rss = _rss_mb()
    index, build_s = build_index(places)
    index_rss = _rss_mb() - rss
    brute = BruteForce(index)
    # memory in separate builds (tracing slows them)
    index_peak, index_kept = traced_mb(lambda: build_index(places))
    brute_peak, brute_kept = traced_mb(lambda: BruteForce(index))
    t = time_both(index, brute, queries)
    o, b = percentiles(t["ours"]), percentiles(t["baseline"])
    return {
        "index_rss_growth_mb": index_rss, "index_peak_mb": index_peak, "index_kept_mb": index_kept,
        "baseline_peak_mb": brute_peak, "baseline_kept_mb": brute_kept,
        "places": n, "physical": len(index), "remote": len(index.remote), "queries": len(queries),
        "build_s": build_s,
        "exact": t["verdicts"].count("exact"), "within_tolerance": t["verdicts"].count("tolerance"),
        "widened": t["widened"], "ours": o, "baseline": b,
        "ratio_median": o["median_ms"] / b["median_ms"], "ratio_p95": o["p95_ms"] / b["p95_ms"],
        "ratio_p99": o["p99_ms"] / b["p99_ms"], "ratio_mean": o["mean_ms"] / b["mean_ms"],
    }  # fmt: skip


# --- HTTP --------------------------------------------------------------------------------


def fill_database(url: str, places: Sequence[PlaceRecord]) -> None:
    """Migrate a fresh database and insert the places with SQLAlchemy Core (no import path)."""
    from sqlalchemy import insert

    from data.db import Database
    from data.models import DataVersion, Location, Organisation, Service, ServiceNeed

    db = Database(url)
    db.migrate()
    now = dt.datetime.now(dt.UTC)
    orgs = sorted({p.organisation for p in places if p.organisation})
    org_id = {name: f"org-{i:04d}" for i, name in enumerate(orgs)}
    stamp = {"source": "bench", "source_seen": "2026-01-15", "assured_date": dt.date(2025, 11, 1),
             "assured_by": "bench", "created_at": now, "updated_at": now}  # fmt: skip
    with db.engine.begin() as conn:
        conn.execute(insert(Organisation), [
            {"id": org_id[o], "slug": org_id[o], "name": o, "sector": "welfare", **stamp} for o in orgs
        ])  # fmt: skip
        conn.execute(insert(Location), [
            {"id": p.location_id, "slug": p.slug, "organisation_id": org_id.get(p.organisation or ""),
             "name": p.name, "location_type": p.location_type, "address": p.address,
             "postcode": p.postcode, "place": p.place, "gemeente_code": p.gemeente_code,
             "gemeente_name": p.gemeente_name, "latitude": p.lat, "longitude": p.lon,
             "precision": p.precision, "accessibility": p.accessibility, "transport": p.transport,
             "confidential": p.confidential, "contact_point": p.contact_point, **stamp}
            for p in places
        ])  # fmt: skip
        conn.execute(insert(Service), [
            {"id": p.service_id, "organisation_id": org_id.get(p.organisation or ""),
             "location_id": p.location_id, "name": p.name, "kind": p.kind,
             "description": p.description, "kapitaalsvormen": list(p.kapitaalsvormen),
             "free": p.free, "referral_needed": p.referral_needed, "languages": list(p.languages),
             "eligibility": p.eligibility, "opening_hours": p.opening_hours,
             "opening_hours_text": p.opening_hours_text, "service_area": list(p.service_area),
             "url": p.url, "email": p.email, "phone": p.phone, **stamp}
            for p in places
        ])  # fmt: skip
        conn.execute(insert(ServiceNeed), [
            {"service_id": p.service_id, "need": need} for p in places for need in p.needs
        ])  # fmt: skip
        conn.execute(insert(DataVersion).values(id=1, version=1, changed_at=now))
    db.dispose()


def serve(db_url: str, port: int) -> None:
    """Run the real app plus ``/bench/empty`` under uvicorn (in a child process)."""
    import uvicorn
    from fastapi import Response

    from api.app import create_app
    from api.settings import Settings

    app = create_app(Settings(database_url=db_url, load_shipped_data=False, log_level="WARNING"))

    def empty() -> Response:
        return Response(b"{}", media_type="application/json")

    app.add_api_route("/bench/empty", empty, methods=["GET"], include_in_schema=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(db_url: str) -> Iterator[str]:
    port = _free_port()
    cmd = [sys.executable, __file__, "--serve", db_url, str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/bench/empty", timeout=1).status_code == 200:
                    break
            if proc.poll() is not None:
                raise RuntimeError("the benchmark server did not start")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:  # stuck in a request: uvicorn waits for it
            proc.kill()
            proc.wait()


LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def _wrk_ms(text: str, key: str) -> float:
    m = re.search(rf"^\s*{key}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m:
        raise RuntimeError(f"no {key}% latency in wrk output:\n{text}")
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def load_wrk(base: str, paths: Sequence[str], seconds: float, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % ", ".join(json.dumps(p) for p in paths))
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
             "--timeout", "60s", "-s", f.name, base],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(f.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return {
        "tool": "wrk", "requests": requests, "requests_per_s": rps,
        "p50_ms": _wrk_ms(out, "50"), "p99_ms": _wrk_ms(out, "99"),
        "errors": int(errors.group(1)) if errors else 0,
    }  # fmt: skip


def load_httpx(base: str, paths: Sequence[str], seconds: float, connections: int) -> dict:
    """Without wrk: ``connections`` threads, each with its own keep-alive client."""
    import httpx

    stop = time.perf_counter() + seconds
    counter = iter(range(10**12))
    lock = threading.Lock()

    def worker() -> tuple[list[float], int]:
        times, errors = [], 0
        with httpx.Client(base_url=base, timeout=60) as client:
            while time.perf_counter() < stop:
                with lock:
                    path = paths[next(counter) % len(paths)]
                start = time.perf_counter()
                errors += client.get(path).status_code != 200
                times.append(time.perf_counter() - start)
        return times, errors

    began = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        done = list(pool.map(lambda _: worker(), range(connections)))
    elapsed = time.perf_counter() - began
    times = [t for ts, _ in done for t in ts]
    ms = np.asarray(times) * 1000
    return {
        "tool": "httpx", "requests": len(times), "requests_per_s": len(times) / elapsed,
        "p50_ms": float(np.median(ms)), "p99_ms": float(np.percentile(ms, 99)),
        "errors": sum(e for _, e in done),
    }  # fmt: skip


def run_http(
    n: int, queries: Sequence[Query], *, geocoder, seconds: float, connections: int
) -> dict:  # type: ignore[no-untyped-def]
    import httpx

    load = load_wrk if shutil.which("wrk") else load_httpx
    places = make_places(n, geocoder=geocoder)
    paths = ["/api/v1/nearby?" + urlencode(q.params()) for q in queries]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        fill_database(url, places)
        with server(url) as base:
            start = time.perf_counter()
            first = httpx.get(base + paths[0], timeout=1800)  # builds the index
            first_s = time.perf_counter() - start
            if first.status_code != 200:
                raise RuntimeError(
                    f"/api/v1/nearby answered {first.status_code}: {first.text[:300]}"
                )
            empty = load(base, ["/bench/empty"], seconds, connections)
            ours = load(base, paths, seconds, connections)
    return {
        "places": n, "seconds": seconds, "connections": connections, "first_request_s": first_s,
        "nearby": ours, "empty": empty,
        "ratio_rps": empty["requests_per_s"] / ours["requests_per_s"],
        "ratio_p50": ours["p50_ms"] / empty["p50_ms"], "ratio_p99": ours["p99_ms"] / empty["p99_ms"],
    }  # fmt: skip


# --- output ------------------------------------------------------------------------------


def _x(ratio: float) -> str:
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.2f}x"


def markdown(result: dict) -> str:
    lines = [
        "| places | index build (s) | index memory: RSS growth / Python peak / kept (MB) | same answer: exact / within tolerance "
        "| search median (ms) | p95 | p99 | mean | brute force median (ms) | p95 | p99 | mean "
        "| ratio median | p95 | p99 | mean |",
        "|---:|---:|---:|---|" + "---:|" * 12,
    ]
    for r in result["search"]:
        o, b = r["ours"], r["baseline"]
        build = f"{r['build_s']:.2f}"
        ms = [f"{x[k]:.2f}" for x in (o, b) for k in ("median_ms", "p95_ms", "p99_ms", "mean_ms")]
        ratios = [_x(r[k]) for k in ("ratio_median", "ratio_p95", "ratio_p99", "ratio_mean")]
        lines.append(
            f"| {r['places']:,} | {build} | {r['index_rss_growth_mb']:.1f} / {r['index_peak_mb']:.1f} "
            f"/ {r['index_kept_mb']:.1f} "
            f"| {r['exact']} / {r['within_tolerance']} of {r['queries']} | "
            + " | ".join(ms + ratios)
            + " |"
        )
    if result.get("http"):
        lines += ["", "| places | endpoint | tool | requests | req/s | p50 (ms) | p99 (ms) | errors |",
                  "|---:|---|---|---:|---:|---:|---:|---:|"]  # fmt: skip
        for h in result["http"]:
            for name in ("empty", "nearby"):
                e = h[name]
                label = "/bench/empty" if name == "empty" else "/api/v1/nearby"
                lines.append(
                    f"| {h['places']:,} | {label} | {e['tool']} c={h['connections']} | {e['requests']:,} "
                    f"| {e['requests_per_s']:,.1f} | {e['p50_ms']:.2f} | {e['p99_ms']:.2f} | {e['errors']} |"
                )
            lines.append(
                f"| {h['places']:,} | **ratio** nearby/empty | | | {_x(h['ratio_rps'])} fewer "
                f"| {_x(h['ratio_p50'])} | {_x(h['ratio_p99'])} | |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="1,000 places, 100 queries, 3 s of HTTP load (< 30 s)"
    )
    parser.add_argument("--places", type=int, nargs="*", help="sizes (default 1,000 and 100,000)")
    parser.add_argument("--queries", type=int, help="queries per size (500; 100 quick)")
    parser.add_argument("--http-seconds", type=float, help="load per endpoint (10 s; 3 s quick)")
    parser.add_argument("--http-places", type=int, nargs="*", help="sizes for HTTP (default: all)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent HTTP connections")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP benchmark")
    parser.add_argument("--json-out", type=Path, default=RESULTS, help="where to write JSON")
    parser.add_argument("--serve", nargs=2, metavar=("DB_URL", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return 0
    from kaart.geocode import Geocoder

    began = time.perf_counter()
    geocoder = Geocoder.from_reference()
    sizes = args.places or (QUICK_SIZES if args.quick else SIZES)
    seconds = args.http_seconds or (3.0 if args.quick else 10.0)
    queries = make_queries(
        args.queries or (QUICK_QUERIES if args.quick else QUERIES), geocoder=geocoder
    )
    result: dict = {
        "python": platform.python_version(), "numpy": np.__version__, "quick": args.quick,
        "cpus": os.cpu_count(), "load_average_start": os.getloadavg()[0],
        "moment": MOMENT.isoformat(), "search": [], "http": [],
    }  # fmt: skip

    def save(complete: bool = False) -> None:  # after every phase: a late failure loses nothing
        result.update(
            complete=complete, load_average_end=os.getloadavg()[0],
            elapsed_s=time.perf_counter() - began,
            max_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        )  # fmt: skip
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")

    for n in sizes:
        result["search"].append(run_inprocess(n, queries, geocoder=geocoder))
        print(f"search on {n:,} places done", file=sys.stderr, flush=True)
        save()
    for n in [] if args.no_http else (args.http_places or sizes):
        result["http"].append(
            run_http(n, queries, geocoder=geocoder, seconds=seconds, connections=args.connections)
        )
        print(f"HTTP on {n:,} places done", file=sys.stderr, flush=True)
        save()
    save(complete=True)
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
