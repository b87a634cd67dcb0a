"""Import throughput: generated flat CSV rows into SQLite (and PostgreSQL when configured).

Measures the whole import path (read, validate, geocode, upsert, commit) in rows/s and
peak memory (tracemalloc), against a baseline: a bare ``executemany`` of the same rows
into an equivalent table, without any validation.

    python bench/bench_import.py                 # 10,000 and 100,000 rows on SQLite
    python bench/bench_import.py --quick         # 2,000 rows
    KIK_BENCH_PG_URL=postgresql://... python bench/bench_import.py   # PostgreSQL too
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data.db import Database  # noqa: E402
from data.flat import read_csv  # noqa: E402
from data.importer import import_table  # noqa: E402
from data.vocab import NEEDS  # noqa: E402
from kaart.geocode import Geocoder  # noqa: E402

HEADER = ["id", "name", "organisation", "kind", "needs", "postcode", "place", "phone", "opening_hours", "free", "description"]
HOURS = ["Mo-Fr 09:00-17:00", "Tu,Th 10:00-12:00; PH off", "We 13:00-16:00", "Sa[1] 11:00-16:00", ""]


def generate_csv(n: int, seed: int = 7) -> bytes:
    """``n`` realistic rows in the flat layout, spread over the shipped postcodes."""
    rng = random.Random(seed)
    pc4 = [r["pc4"] for r in csv.DictReader((ROOT / "data/sources/geo/pc4_gr_dr.csv").open(encoding="utf-8"))]
    out = io.StringIO()
    w = csv.writer(out, delimiter=";")
    w.writerow(HEADER)
    for i in range(n):
        w.writerow([
            f"gen-{i}", f"Inloop {i}", f"Stichting {i % 500}", "drop_in",
            ";".join(rng.sample(NEEDS, rng.randint(1, 3))), rng.choice(pc4), "",
            f"0599 {rng.randint(100000, 999999)}", rng.choice(HOURS), rng.choice(["yes", "no", "unknown"]),
            "Een plek om binnen te lopen voor koffie en een praatje.",
        ])
    return out.getvalue().encode("utf-8")


def run_import(url: str, raw: bytes, geocoder: Geocoder) -> dict:
    db = Database(url)
    db.migrate()
    tracemalloc.start()
    t0 = time.perf_counter()
    with db.session() as session:
        report = import_table(session, read_csv(raw, source="bench.csv"), geocoder)
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    db.dispose()
    return {"seconds": seconds, "peak_mb": peak / 1e6, "created": report.created}


def run_baseline(raw: bytes, path: Path) -> dict:
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8")), delimiter=";"))[1:]
    tracemalloc.start()
    t0 = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute(f"CREATE TABLE t ({', '.join(h + ' TEXT' for h in HEADER)})")
    con.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(HEADER))})", rows)
    con.commit()
    con.close()
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": seconds, "peak_mb": peak / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2,000 rows only (CI)")
    parser.add_argument("--rows", type=int, nargs="*", default=None)
    args = parser.parse_args()
    sizes = args.rows or ([2_000] if args.quick else [10_000, 100_000])
    geocoder = Geocoder.from_reference()
    results = []
    for n in sizes:
        raw = generate_csv(n)
        with tempfile.TemporaryDirectory() as tmp:
            base = run_baseline(raw, Path(tmp) / "base.sqlite3")
            ours = run_import(f"sqlite:///{tmp}/kik.sqlite3", raw, geocoder)
        results.append({"backend": "sqlite", "rows": n, "ours": ours, "baseline": base})
        pg = os.environ.get("KIK_BENCH_PG_URL")
        if pg:
            results.append({"backend": "postgresql", "rows": n, "ours": run_import(pg, raw, geocoder), "baseline": None})
    print("| backend | rows | import s | rows/s | peak MB | bare executemany s | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        o, b = r["ours"], r["baseline"]
        ratio = f"{o['seconds'] / b['seconds']:.0f}x" if b else "–"
        bs = f"{b['seconds']:.2f}" if b else "–"
        print(f"| {r['backend']} | {r['rows']:,} | {o['seconds']:.2f} | {r['rows'] / o['seconds']:,.0f} | {o['peak_mb']:.0f} | {bs} | {ratio} |")
    out = ROOT / "bench" / "results" / "import.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
