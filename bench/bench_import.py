"""Import throughput: generated flat CSV rows into SQLite and PostgreSQL.

Measures the whole import path (read, validate, geocode, upsert, commit) in rows/s
against a baseline: a bare ``executemany`` of the same CSV rows into one plain table of
TEXT columns, without any validation (``sqlite3`` on SQLite, psycopg 3 on PostgreSQL).

- Every measured run starts empty: a new SQLite file, or on PostgreSQL a new database
  ``kik_bench_<random>`` on the server of ``KIK_BENCH_PG_URL`` (dropped afterwards, also
  on failure). The baseline runs in the same new database, in its own table.
- Times are medians of ``--runs`` runs without tracemalloc (tracing every allocation
  makes the import about 3.5x slower and the baseline hardly at all, which would inflate
  the ratio); peak memory is Python's (tracemalloc) from one more, traced, run, and the
  peak RSS of the process (``VmHWM``, reset before each run) from the timed runs.
- On PostgreSQL, ``COPY ... FROM STDIN`` of the same rows is timed as well, as a second
  reference only (the fastest way in); the ratio is always to ``executemany``.

    python bench/bench_import.py                 # 10,000 and 100,000 rows
    python bench/bench_import.py --quick         # 2,000 rows (CI)
    KIK_BENCH_PG_URL=postgresql://kik@127.0.0.1:5432/postgres python bench/bench_import.py

Prints a Markdown table and writes JSON to bench/results/import.json (``--json-out``).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import gc
import io
import json
import os
import platform
import random
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from data.db import Database  # noqa: E402
from data.flat import read_csv  # noqa: E402
from data.importer import import_table  # noqa: E402
from data.models import Service  # noqa: E402
from data.vocab import NEEDS  # noqa: E402
from kaart.geocode import Geocoder  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "import.json"
SIZES, QUICK_SIZES = (10_000, 100_000), (2_000,)
HEADER = ["id", "name", "organisation", "kind", "needs", "postcode", "place", "phone", "opening_hours", "free", "description"]  # fmt: skip
HOURS = ["Mo-Fr 09:00-17:00", "Tu,Th 10:00-12:00; PH off", "We 13:00-16:00", "Sa[1] 11:00-16:00", ""]  # fmt: skip
BASELINE = {"sqlite": "sqlite3 executemany", "postgresql": "psycopg executemany"}
TABLE_SQL = f"CREATE TABLE {{}} ({', '.join(h + ' TEXT' for h in HEADER)})"

Stats = dict[str, Any]

# --- data ------------------------------------------------------------------------------


def generate_csv(n: int, seed: int = 7) -> bytes:
    """``n`` realistic rows in the flat layout, spread over the shipped postcodes."""
    rng = random.Random(seed)
    pc4 = [r["pc4"] for r in csv.DictReader((ROOT / "data/sources/geo/pc4_gr_dr.csv").open(encoding="utf-8"))]  # fmt: skip
    out = io.StringIO()
    w = csv.writer(out, delimiter=";")
    w.writerow(HEADER)
    for i in range(n):
        w.writerow([
            f"gen-{i}", f"Inloop {i}", f"Stichting {i % 500}", "drop_in",
            ";".join(rng.sample(NEEDS, rng.randint(1, 3))), rng.choice(pc4), "",
            f"0599 {rng.randint(100000, 999999)}", rng.choice(HOURS), rng.choice(["yes", "no", "unknown"]),
            "Een plek om binnen te lopen voor koffie en een praatje.",
        ])  # fmt: skip
    return out.getvalue().encode("utf-8")


def csv_rows(raw: bytes) -> list[list[str]]:
    """The data rows of a generated CSV, as the baseline writes them (all text)."""
    return list(csv.reader(io.StringIO(raw.decode("utf-8")), delimiter=";"))[1:]


# --- measuring -------------------------------------------------------------------------


def _rss_mb(field: str) -> float | None:
    with contextlib.suppress(OSError, IndexError, ValueError):
        status = Path("/proc/self/status").read_text()
        return int(status.split(f"{field}:")[1].split()[0]) / 1024
    return None


def _reset_peak_rss() -> bool:
    """Reset the process's RSS high-water mark (Linux >= 4.0); False where that can't be."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure(work: Callable[[], Any], *, traced: bool = False) -> tuple[Any, Stats]:
    """Run ``work`` once: wall time, and either tracemalloc's peak or the peak RSS."""
    gc.collect()
    rss_reset = False if traced else _reset_peak_rss()
    rss_start = _rss_mb("VmRSS")
    if traced:
        tracemalloc.start()
    t0, cpu0 = time.perf_counter(), time.process_time()
    value = work()
    stats: Stats = {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - cpu0}
    if traced:
        stats["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    elif rss_reset:
        stats.update(rss_start_mb=rss_start, rss_peak_mb=_rss_mb("VmHWM"))
    return value, stats


def import_rows(url: str, raw: bytes, geocoder: Geocoder, *, traced: bool = False) -> Stats:
    """Import ``raw`` into the empty database at ``url``; checks every row arrived."""
    db = Database(url)
    try:
        db.migrate()

        def work() -> int:
            with db.session() as session:
                return import_table(session, read_csv(raw, source="bench.csv"), geocoder).created

        created, stats = measure(work, traced=traced)
        with db.sessions() as session:
            stored = session.scalar(select(func.count()).select_from(Service))
    finally:
        db.dispose()
    expected = raw.count(b"\n") - 1
    if created != expected or stored != expected:
        raise RuntimeError(f"import wrote {created} (stored {stored}) of {expected} rows")
    return stats | {"created": created}


def sqlite_baseline(rows: list[list[str]], path: Path, *, traced: bool = False) -> Stats:
    """Bare ``sqlite3`` executemany of ``rows`` into a new plain table in a new file.

    As for the import (``data.db``): WAL journal, the table made before the clock starts;
    the clock covers the inserts and the commit.
    """
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute(TABLE_SQL.format("t"))
        con.commit()

        def work() -> None:
            con.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(HEADER))})", rows)
            con.commit()

        _, stats = measure(work, traced=traced)
        _check_count(con.execute("SELECT count(*) FROM t").fetchone()[0], rows)
    return stats


def pg_baseline(
    rows: list[list[str]], url: str, *, copy: bool = False, traced: bool = False
) -> Stats:
    """Bare psycopg 3 ``executemany`` (or ``COPY``) of ``rows`` into a new plain table.

    Connection and table are made before the clock starts, as the import's are (pooled
    connection, migrated schema); the clock covers the inserts and the commit.
    """
    import psycopg

    table = "t_copy" if copy else "t"
    with psycopg.connect(_libpq_url(url)) as con:
        con.execute(TABLE_SQL.format(table))
        con.commit()

        def work() -> None:
            with con.cursor() as cur:
                if copy:
                    with cur.copy(f"COPY {table} FROM STDIN") as out:
                        for row in rows:
                            out.write_row(row)
                else:
                    placeholders = ", ".join(["%s"] * len(HEADER))
                    cur.executemany(f"INSERT INTO {table} VALUES ({placeholders})", rows)
            con.commit()

        _, stats = measure(work, traced=traced)
        _check_count(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0], rows)  # type: ignore[index]
    return stats


def _drop_tables(url: str, *tables: str) -> None:
    import psycopg

    with psycopg.connect(_libpq_url(url), autocommit=True) as con:
        for table in tables:
            con.execute(f"DROP TABLE {table}")


def _check_count(stored: int, rows: list[list[str]]) -> None:
    if stored != len(rows):
        raise RuntimeError(f"baseline wrote {stored} of {len(rows)} rows")


# --- fresh databases -------------------------------------------------------------------


def _libpq_url(url: str) -> str:
    """``url`` as libpq reads it (no SQLAlchemy driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def fresh_pg_database(server_url: str) -> Iterator[str]:
    """A new, empty database ``kik_bench_<random>`` on the server; dropped on leaving."""
    import psycopg
    from psycopg import sql

    name = f"kik_bench_{secrets.token_hex(6)}"
    with psycopg.connect(_libpq_url(server_url), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))  # fmt: skip


def one_run(backend: str, raw: bytes, geocoder: Geocoder, *, pg_url: str | None = None,
            traced: bool = False) -> dict[str, Stats]:  # fmt: skip
    """Baseline(s) then the import, in one new database: ``{"ours", "baseline"[, "copy"]}``."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="kik_bench_") as tmp:
            base = sqlite_baseline(csv_rows(raw), Path(tmp) / "base.sqlite3", traced=traced)
            ours = import_rows(f"sqlite:///{tmp}/kik.sqlite3", raw, geocoder, traced=traced)
        return {"ours": ours, "baseline": base}
    if not pg_url:
        raise ValueError("PostgreSQL needs a server URL (KIK_BENCH_PG_URL)")
    with fresh_pg_database(pg_url) as url:
        base, copy = _pg_baselines(csv_rows(raw), url, traced=traced)
        ours = import_rows(url, raw, geocoder, traced=traced)
    return {"ours": ours, "baseline": base, "copy": copy}


def _pg_baselines(rows: list[list[str]], url: str, *, traced: bool) -> tuple[Stats, Stats]:
    """executemany, then COPY; their tables dropped so autovacuum leaves the import alone."""
    base = pg_baseline(rows, url, traced=traced)
    copy = pg_baseline(rows, url, copy=True, traced=traced)
    _drop_tables(url, "t", "t_copy")
    return base, copy


# --- results ---------------------------------------------------------------------------


def summarise(backend: str, n: int, timed: list[dict[str, Stats]], traced: dict[str, Stats] | None) -> dict[str, Any]:  # fmt: skip
    """One result: medians of the timed runs, peaks, and the ratio of the medians."""
    out: dict[str, Any] = {"backend": backend, "rows": n, "runs": len(timed)}
    for part in timed[0]:
        seconds = [run[part]["seconds"] for run in timed]
        out[part] = {
            "seconds": statistics.median(seconds), "seconds_runs": seconds,
            "rows_per_s": n / statistics.median(seconds),
            "cpu_seconds": statistics.median(run[part]["cpu_seconds"] for run in timed),
            "peak_mb": traced[part]["peak_mb"] if traced else None,
            "traced_seconds": traced[part]["seconds"] if traced else None,
            **_highest_rss([run[part] for run in timed]),
        }  # fmt: skip
    out["baseline"]["what"] = BASELINE[backend]
    if "copy" in out:
        out["copy"]["what"] = "psycopg COPY FROM STDIN (reference only)"
    out["ratio"] = out["ours"]["seconds"] / out["baseline"]["seconds"]
    return out


def _highest_rss(runs: list[Stats]) -> Stats:
    """The peak RSS of the run that peaked highest, with the RSS that run started from."""
    if any(r.get("rss_peak_mb") is None for r in runs):
        return {"rss_peak_mb": None, "rss_start_mb": None}
    top = max(runs, key=lambda r: r["rss_peak_mb"])
    return {"rss_peak_mb": top["rss_peak_mb"], "rss_start_mb": top["rss_start_mb"]}


def _f(value: float | None, fmt: str) -> str:
    return "–" if value is None else format(value, fmt)


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| backend | rows | runs | import s (median) | rows/s | client CPU s | peak MB (tracemalloc) "
        "| peak RSS MB | baseline | baseline s | ratio | COPY s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in results:
        o, b, c = r["ours"], r["baseline"], r.get("copy")
        lines.append(
            f"| {r['backend']} | {r['rows']:,} | {r['runs']} | {o['seconds']:.2f} | {o['rows_per_s']:,.0f} "
            f"| {o['cpu_seconds']:.2f} | {_f(o['peak_mb'], '.0f')} | {_f(o['rss_peak_mb'], '.0f')} "
            f"| {b['what']} | {b['seconds']:.3f} | {r['ratio']:.0f}x | {_f(c and c['seconds'], '.3f')} |"
        )
    return "\n".join(lines)


def _commit() -> str | None:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 rows only (CI)")
    parser.add_argument(
        "--rows", type=int, nargs="*", default=None, help="sizes (10,000 and 100,000)"
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs per size and backend (3)")
    parser.add_argument("--no-traced", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--backends", nargs="*", choices=list(BASELINE),
                        help="default: sqlite, and postgresql when KIK_BENCH_PG_URL is set")  # fmt: skip
    parser.add_argument("--json-out", type=Path, default=RESULTS, help="where to write JSON")
    args = parser.parse_args(argv)
    sizes = args.rows or (QUICK_SIZES if args.quick else SIZES)
    pg_url = os.environ.get("KIK_BENCH_PG_URL") or None
    if args.backends and "postgresql" in args.backends and not pg_url:
        parser.error(
            "postgresql needs KIK_BENCH_PG_URL (a server URL; each run makes its own database)"
        )
    backends = args.backends or [b for b in BASELINE if b != "postgresql" or pg_url]
    geocoder = Geocoder.from_reference()
    meta: dict[str, Any] = {
        "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "commit": _commit(),
        "python": platform.python_version(), "cpus": os.cpu_count(),
        "load_average_start": os.getloadavg()[0], "postgresql": bool(pg_url),
    }  # fmt: skip
    results = []
    for n in sizes:
        raw = generate_csv(n)
        for backend in backends:
            print(f"{backend}, {n:,} rows ...", file=sys.stderr, flush=True)
            timed = [one_run(backend, raw, geocoder, pg_url=pg_url) for _ in range(args.runs)]
            traced = (
                None
                if args.no_traced
                else one_run(backend, raw, geocoder, pg_url=pg_url, traced=True)
            )
            results.append(summarise(backend, n, timed, traced))
    meta["load_average_end"] = os.getloadavg()[0]
    print(markdown(results))
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(
        json.dumps({"meta": meta, "results": results}, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
