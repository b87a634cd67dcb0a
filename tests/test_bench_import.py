"""The import benchmark measures what it says: valid generated rows, equal row counts, ratios.

Runs bench/bench_import.py's parts on 50 generated rows. The PostgreSQL parts need a
server (``KIK_TEST_PG_URL``, as in tests/conftest.py); with ``KIK_REQUIRE_PG=1`` (CI) a
missing server fails them instead of skipping.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data.db import Database
from data.flat import read_csv
from data.importer import import_table
from data.models import Service

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("KIK_TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("KIK_REQUIRE_PG") == "1"


@pytest.fixture(scope="module")
def bench(bench_module):
    return bench_module("bench_import")


@pytest.fixture(scope="module")
def run_all(bench_module):
    return bench_module("run_all")


@pytest.fixture(scope="module")
def raw(bench) -> bytes:
    return bench.generate_csv(50)


@pytest.fixture
def pg_server() -> str:
    """The server URL of tests/conftest.py's PostgreSQL, under the same skip/fail rule."""
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail(
                "KIK_REQUIRE_PG=1 but KIK_TEST_PG_URL is not set: PostgreSQL was not started"
            )
        pytest.skip("PostgreSQL not configured (set KIK_TEST_PG_URL)")
    return PG_URL


def _pg_databases(server: str) -> set[str]:
    import psycopg

    with psycopg.connect(server) as con:
        return {name for (name,) in con.execute("SELECT datname FROM pg_database")}


# --- generated rows --------------------------------------------------------------------


def test_the_generator_is_deterministic(bench, raw):
    assert bench.generate_csv(50) == raw
    assert bench.generate_csv(50, seed=8) != raw


def test_the_generator_writes_the_header_and_n_rows(bench, raw):
    lines = raw.decode("utf-8").splitlines()
    assert lines[0].split(";") == bench.HEADER
    assert len(bench.csv_rows(raw)) == 50
    assert {len(row) for row in bench.csv_rows(raw)} == {len(bench.HEADER)}


def test_the_real_importer_accepts_every_generated_row(raw, geocoder, tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'kik.sqlite3'}")
    db.migrate()
    with db.session() as session:
        report = import_table(session, read_csv(raw, source="bench.csv"), geocoder)
    with db.sessions() as session:
        stored = session.scalar(select(func.count()).select_from(Service))
    db.dispose()
    assert (report.created, stored) == (50, 50)


# --- SQLite: the import and its baseline write the same rows ---------------------------


def test_import_rows_reports_the_rows_it_stored(bench, raw, geocoder, tmp_path):
    stats = bench.import_rows(f"sqlite:///{tmp_path / 'kik.sqlite3'}", raw, geocoder)
    assert stats["created"] == 50
    assert stats["seconds"] > 0


def test_import_rows_refuses_a_database_that_already_holds_the_rows(bench, raw, geocoder, tmp_path):
    url = f"sqlite:///{tmp_path / 'kik.sqlite3'}"
    bench.import_rows(url, raw, geocoder)
    with pytest.raises(RuntimeError, match="import wrote 0"):
        bench.import_rows(url, raw, geocoder)  # all 50 unchanged: a reused database shows


def test_the_sqlite_baseline_writes_the_same_rows(bench, raw, tmp_path):
    path = tmp_path / "base.sqlite3"
    bench.sqlite_baseline(bench.csv_rows(raw), path)
    with sqlite3.connect(path) as con:
        stored = con.execute("SELECT * FROM t ORDER BY rowid").fetchall()
    assert [list(row) for row in stored] == bench.csv_rows(raw)


def test_a_sqlite_run_measures_import_and_baseline(bench, raw, geocoder):
    run = bench.one_run("sqlite", raw, geocoder)
    assert set(run) == {"ours", "baseline"}
    assert run["ours"]["created"] == 50


def test_a_traced_run_reports_python_peak_memory(bench, raw, geocoder):
    run = bench.one_run("sqlite", raw, geocoder, traced=True)
    assert run["ours"]["peak_mb"] > run["baseline"]["peak_mb"] > 0


# --- shaping the results ---------------------------------------------------------------


def _runs(ours: list[float], base: list[float]) -> list[dict]:
    """Timed runs as ``one_run`` returns them; client CPU time is half the wall time."""
    return [
        {"ours": {"seconds": o, "cpu_seconds": o / 2, "created": 10}, "baseline": {"seconds": b, "cpu_seconds": b / 2}}
        for o, b in zip(ours, base, strict=True)
    ]  # fmt: skip


def test_summarise_takes_medians_and_the_ratio_of_the_medians(bench):
    result = bench.summarise("sqlite", 10, _runs([2.0, 9.0, 3.0], [0.1, 0.2, 0.05]), None)
    assert result["ours"]["seconds"] == 3.0
    assert result["baseline"]["seconds"] == 0.1
    assert result["ratio"] == pytest.approx(30.0)
    assert result["ours"]["rows_per_s"] == pytest.approx(10 / 3.0)
    assert result["ours"]["cpu_seconds"] == 1.5
    assert result["baseline"]["what"] == "sqlite3 executemany"
    assert result["ours"]["peak_mb"] is None


def test_summarise_takes_peak_memory_from_the_traced_run(bench):
    traced = {
        "ours": {"seconds": 9.0, "peak_mb": 12.5},
        "baseline": {"seconds": 0.1, "peak_mb": 0.01},
    }
    result = bench.summarise("postgresql", 10, _runs([2.0], [0.1]), traced)
    assert (result["ours"]["peak_mb"], result["ours"]["traced_seconds"]) == (12.5, 9.0)
    assert result["ours"]["seconds"] == 2.0  # the traced run's time is not the median's
    assert result["baseline"]["what"] == "psycopg executemany"


def test_summarise_keeps_the_rss_of_the_run_that_peaked(bench):
    runs = _runs([1.0, 1.0], [0.1, 0.1])
    runs[0]["ours"] |= {"rss_start_mb": 80.0, "rss_peak_mb": 120.0}
    runs[1]["ours"] |= {"rss_start_mb": 110.0, "rss_peak_mb": 115.0}
    result = bench.summarise("sqlite", 10, runs, None)
    assert (result["ours"]["rss_start_mb"], result["ours"]["rss_peak_mb"]) == (80.0, 120.0)


def test_the_table_shows_each_backend_with_its_baseline_and_ratio(bench):
    result = bench.summarise("postgresql", 10, _runs([3.0], [0.1]), None)
    result["copy"] = {"seconds": 0.01}
    line = bench.markdown([result]).splitlines()[2]
    assert line.startswith("| postgresql | 10 | 1 | 3.00 | 3 | 1.50 | – | – | psycopg executemany")
    assert line.endswith("| 0.100 | 30x | 0.010 |")


def test_the_libpq_url_drops_the_driver_and_keeps_the_password(bench):
    url = "postgresql+psycopg://kik:geheim@127.0.0.1:5432/postgres"
    assert bench._libpq_url(url) == "postgresql://kik:geheim@127.0.0.1:5432/postgres"


def test_postgresql_without_a_server_url_is_an_error(bench, monkeypatch, capsys):
    monkeypatch.delenv("KIK_BENCH_PG_URL", raising=False)
    with pytest.raises(SystemExit):
        bench.main(["--rows", "10", "--backends", "postgresql"])
    assert "KIK_BENCH_PG_URL" in capsys.readouterr().err


def test_run_all_summarises_a_quick_run_per_backend(bench, run_all, monkeypatch, tmp_path):
    monkeypatch.delenv("KIK_BENCH_PG_URL", raising=False)
    out = tmp_path / "import.json"
    bench.main(["--rows", "30", "--runs", "1", "--no-traced", "--json-out", str(out)])
    rows = run_all.summarise_import(json.loads(out.read_text()))
    assert [r["key"] for r in rows] == ["import/sqlite/30"]
    assert rows[0]["baseline"] == "sqlite3 executemany, one plain table"
    assert rows[0]["ratio"] == pytest.approx(rows[0]["median_ms"] / rows[0]["baseline_ms"])


def test_run_all_names_the_baseline_of_each_backend(bench, run_all):
    results = [
        bench.summarise(backend, 10, _runs([2.0], [0.1]), None)
        for backend in ("sqlite", "postgresql")
    ]
    results[1]["copy"] = {"seconds": 0.01, "what": "psycopg COPY FROM STDIN (reference only)"}
    rows = run_all.summarise_import({"meta": {}, "results": results})
    assert [r["key"] for r in rows] == ["import/sqlite/10", "import/postgresql/10"]
    assert [r["baseline"] for r in rows] == ["sqlite3 executemany, one plain table", "psycopg executemany, one plain table"]  # fmt: skip
    assert "COPY (reference only) 10.0 ms" in rows[1]["note"]
    assert [r["ratio"] for r in rows] == [pytest.approx(20.0)] * 2


def test_run_all_still_reads_the_older_list_of_results(run_all):
    old = [{"backend": "sqlite", "rows": 100, "ours": {"seconds": 2.0, "peak_mb": 5.0}, "baseline": {"seconds": 0.5}}]  # fmt: skip
    (row,) = run_all.summarise_import(old)
    assert (row["key"], row["ratio"], row["baseline"]) == ("import/sqlite/100", 4.0, "bare executemany, one plain table")  # fmt: skip


# --- PostgreSQL ------------------------------------------------------------------------


@pytest.mark.postgres
def test_each_fresh_database_is_new_and_dropped_afterwards(bench, pg_server):
    with bench.fresh_pg_database(pg_server) as first, bench.fresh_pg_database(pg_server) as second:
        names = {first.rsplit("/", 1)[1], second.rsplit("/", 1)[1]}
        assert len(names) == 2 and all(n.startswith("kik_bench_") for n in names)
        assert names <= _pg_databases(pg_server)
    assert not names & _pg_databases(pg_server)


@pytest.mark.postgres
def test_a_fresh_database_is_dropped_when_the_run_fails(bench, pg_server):
    with pytest.raises(ZeroDivisionError), bench.fresh_pg_database(pg_server) as url:
        name = url.rsplit("/", 1)[1]
        1 / 0  # noqa: B018
    assert name not in _pg_databases(pg_server)


@pytest.mark.postgres
@pytest.mark.parametrize("copy", [False, True], ids=["executemany", "copy"])
def test_the_postgresql_baselines_write_the_same_rows(bench, raw, pg_server, copy):
    import psycopg

    with bench.fresh_pg_database(pg_server) as url:
        bench.pg_baseline(bench.csv_rows(raw), url, copy=copy)
        with psycopg.connect(bench._libpq_url(url)) as con:
            table = "t_copy" if copy else "t"
            stored = con.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    assert sorted(list(row) for row in stored) == sorted(bench.csv_rows(raw))


@pytest.mark.postgres
def test_a_postgresql_run_imports_into_its_own_database_and_drops_it(
    bench, raw, geocoder, pg_server, monkeypatch
):
    urls = []
    real_import_rows = bench.import_rows

    def spy(url, *args, **kwargs):  # type: ignore[no-untyped-def]
        urls.append(url)
        return real_import_rows(url, *args, **kwargs)

    monkeypatch.setattr(bench, "import_rows", spy)
    run = bench.one_run("postgresql", raw, geocoder, pg_url=pg_server)
    assert set(run) == {"ours", "baseline", "copy"}
    assert run["ours"]["created"] == 50  # also checked against count(*) inside
    (name,) = [url.rsplit("/", 1)[1] for url in urls]
    assert name.startswith("kik_bench_")
    assert name not in _pg_databases(pg_server)  # only this run's: other workers make their own
