"""Run every benchmark, collect their JSON into one report, and guard the ratios.

Runs bench_import, bench_netwerk, bench_nearby and (when present) bench_pages one after
the other, in quick or full mode, and writes:

- bench/results/report.md and bench/results/report.json: per benchmark its medians,
  p95/p99 where it measures them, peak memory (its own figure, and the peak resident
  memory of its process from ``wait4``) and its ratio to its baseline;
- a comparison of the **ratios** (never absolute times: machines differ) with the
  committed reference, bench/reference.json, for the same mode.

Exit status: 0, also when a ratio got somewhat worse; 1 when a gated ratio is more than
``--factor`` (3) times worse than the reference (a gross regression); 2 when a benchmark
failed (it crashed, timed out, or found a wrong answer). A benchmark that cannot run
here (no chromium for bench_pages) is reported as skipped.

A quick run keeps the committed full-mode JSON files: each benchmark's quick JSON goes to
bench/results/quick/ and the file it overwrote is put back.

    python bench/run_all.py --quick                       # CI-sized, under a minute here
    python bench/run_all.py                               # full sizes (about 10 minutes)
    python bench/run_all.py --quick --update-reference    # accept the current ratios
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
REFERENCE = BENCH / "reference.json"
FACTOR = 3.0

Row = dict[str, Any]  # one line of a benchmark's summary table


@dataclass
class Bench:
    name: str
    script: str
    result: str  # the JSON file the script writes, under bench/results/
    quick_args: Callable[[str], list[str]]  # from the script's --help text
    full_args: list[str] = field(default_factory=list)
    quick_timeout: float = 150
    full_timeout: float = 4 * 3600
    skip_when: str | None = None  # stderr text that means "cannot run here"


def _pages_quick(help_text: str) -> list[str]:
    return ["--quick"] if "--quick" in help_text else ["--runs", "1"]


BENCHES = [
    Bench("import", "bench_import.py", "import.json", lambda _: ["--quick"]),
    Bench("netwerk", "bench_netwerk.py", "netwerk.json", lambda _: ["--quick"]),
    Bench("nearby", "bench_nearby.py", "nearby.json", lambda _: ["--quick"]),
    Bench(
        "pages",
        "bench_pages.py",
        "browser_timings.json",
        _pages_quick,
        skip_when="chromium is not installed",
    ),
]

# --- running ---------------------------------------------------------------------------


def run_script(cmd: list[str], timeout: float) -> dict[str, Any]:
    """Run one benchmark; wall time, exit code, output and its peak RSS (``wait4``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return {
            "exit_code": proc.returncode,
            "timed_out": seconds >= timeout,
            "seconds": seconds,
            "max_rss_mb": usage.ru_maxrss / 1024,  # KiB on Linux
            "stdout": out.read().decode(errors="replace"),
            "stderr": err.read().decode(errors="replace"),
        }


def run_bench(bench: Bench, *, quick: bool, out_dir: Path) -> dict[str, Any]:
    """Run ``bench``; return its status and its parsed JSON (or why there is none)."""
    script = BENCH / bench.script
    if not script.exists():
        return {"status": "missing", "note": f"{bench.script} does not exist"}
    args = bench.full_args
    if quick:
        help_text = subprocess.run(
            [sys.executable, str(script), "--help"], cwd=ROOT, capture_output=True, text=True
        ).stdout
        args = bench.quick_args(help_text)
    target = RESULTS / bench.result
    before = target.read_bytes() if target.exists() else None
    cmd = [sys.executable, str(script.relative_to(ROOT)), *args]
    ran = run_script(cmd, bench.quick_timeout if quick else bench.full_timeout)
    produced = target.read_bytes() if target.exists() else None
    record: dict[str, Any] = {
        "command": " ".join(["python", *cmd[1:]]),
        "seconds": round(ran["seconds"], 1),
        "max_rss_mb": round(ran["max_rss_mb"], 1),
        "exit_code": ran["exit_code"],
        "markdown": ran["stdout"].strip(),
    }
    if ran["exit_code"] != 0 or ran["timed_out"]:
        skipped = bench.skip_when and bench.skip_when in ran["stderr"]
        record["status"] = "skipped" if skipped else ("timeout" if ran["timed_out"] else "failed")
        record["note"] = ran["stderr"].strip().splitlines()[-1:] or [""]
        record["stderr_tail"] = ran["stderr"][-3000:]
        return record
    if produced is None or produced == before:
        record.update(status="failed", note=[f"{bench.result} was not written"])
        return record
    if quick:  # keep the committed full-mode file; the quick one goes to out_dir
        (out_dir / bench.result).write_bytes(produced)
        if target.read_bytes() == produced:  # not rewritten meanwhile by someone else
            if before is None:
                target.unlink()
            else:
                target.write_bytes(before)
        record["json"] = str((out_dir / bench.result).relative_to(ROOT))
    else:
        record["json"] = str(target.relative_to(ROOT))
    record["status"] = "ok"
    record["data"] = json.loads(produced)
    return record


# --- summarising: one table row per measured thing, one ratio per row at most ----------


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def summarise_import(data: dict | list[dict]) -> list[Row]:
    """One row per backend and size (``import/sqlite/2000``, ``import/postgresql/2000``).

    Reads bench_import's ``{"meta", "results"}`` and its older bare list of results.
    """
    rows = []
    for r in data["results"] if isinstance(data, dict) else data:
        o, b, c = r["ours"], r.get("baseline"), r.get("copy")
        runs = r.get("runs", 1)
        note = [f"{r['rows'] / o['seconds']:,.0f} rows/s, " + (f"median of {runs}" if runs > 1 else "one run")]  # fmt: skip
        if o.get("rss_peak_mb"):
            note.append(f"peak RSS {o['rss_peak_mb']:,.0f} MB")
        if c:
            note.append(f"COPY (reference only) {c['seconds'] * 1000:,.1f} ms")
        rows.append({
            "key": f"import/{r['backend']}/{r['rows']}",
            "what": f"import {r['rows']:,} rows ({r['backend']})",
            "median_ms": _ms(o["seconds"]), "note": "; ".join(note), "peak_mb": o.get("peak_mb"),
            "baseline_ms": _ms(b["seconds"]) if b else None,
            "baseline": f"{b.get('what', 'bare executemany')}, one plain table" if b else "none",
            "ratio": o["seconds"] / b["seconds"] if b else None,
            "ratio_of": "median time / baseline median time" if runs > 1 else "time / baseline time",
        })  # fmt: skip
    return rows


def summarise_netwerk(data: dict) -> list[Row]:
    rows = []
    for r in data["rows"]:
        n = r["organisations"]
        rows.append({
            "key": f"netwerk/{n}/report_cold", "what": f"report, cold, {n:,} organisations",
            "median_ms": _ms(r["report_cold_s"]), "peak_mb": r.get("peak_memory_mb"),
            "note": f"warm (cached) {r['report_warm_s'] * 1000:.3f} ms; one run",
        })  # fmt: skip
        rows.append({
            "key": f"netwerk/{n}/betweenness", "what": f"betweenness, exact, {n:,} organisations",
            "median_ms": _ms(r["betweenness_exact_s"]),
            "baseline_ms": _ms(r["betweenness_igraph_s"]), "baseline": "python-igraph, exact",
            "ratio": r["betweenness_exact_s"] / r["betweenness_igraph_s"],
            "ratio_of": "time / igraph time",
            "note": f"as in report: {r['betweenness_report_s']:.2f} s (k={r['betweenness_k'] or 'exact'})",
        })  # fmt: skip
    return rows


def summarise_nearby(data: dict) -> list[Row]:
    rows = []
    for r in data["search"]:
        n, o, b = r["places"], r["ours"], r["baseline"]
        rows.append({
            "key": f"nearby/search/{n}", "what": f"search, {n:,} places, {r['queries']} queries",
            "median_ms": o["median_ms"], "p95_ms": o["p95_ms"], "p99_ms": o["p99_ms"],
            "peak_mb": r.get("index_peak_mb"), "baseline_ms": b["median_ms"],
            "baseline_p99_ms": b["p99_ms"], "baseline": "numpy haversine over all rows",
            "ratio": r["ratio_median"], "ratio_of": "median time / baseline median time",
            "note": f"ratio of means {r['ratio_mean']:.1f}x, of p99 {r['ratio_p99']:.2f}x; "
            f"index build {r['build_s']:.2f} s; same answers {r['exact']}+{r['within_tolerance']}"
            f"/{r['queries']}",
        })  # fmt: skip
    for h in data.get("http", []):
        n, o, e = h["places"], h["nearby"], h["empty"]
        rows.append({
            "key": f"nearby/http/{n}", "what": f"GET /api/v1/nearby, {n:,} places",
            "median_ms": o["p50_ms"], "p99_ms": o["p99_ms"], "baseline_ms": e["p50_ms"],
            "baseline_p99_ms": e["p99_ms"], "baseline": "empty endpoint, same app",
            "ratio": h["ratio_p50"], "ratio_of": "p50 latency / empty endpoint p50",
            "note": f"{o['requests_per_s']:,.1f} vs {e['requests_per_s']:,.0f} req/s "
            f"({o['tool']}, {h['connections']} connections, {h['seconds']:.0f} s each)",
        })  # fmt: skip
    return rows


def summarise_pages(data: dict) -> list[Row]:
    """A row per page (its time, no ratio), and per page with baselines: gzip bytes against
    a naive folium page and against the floor (gated: bytes do not vary between runs), and
    map-ready time against the naive page (not gated: with one run it varies several-fold)."""
    rows = []
    for name, p in data.get("pages", {}).items():
        main = "map_ready" if "map_ready" in p else "load"
        first = p.get("first_byte", {}).get("median_ms")
        rows.append({
            "key": f"pages/{name}", "what": f"page {name}: {main.replace('_', ' ')}",
            "median_ms": p[main]["median_ms"],
            "note": f"median of {data.get('runs')}; first byte {first} ms" if first else f"median of {data.get('runs')}",
        })  # fmt: skip
    for name, b in data.get("baselines", {}).items():
        ours, naive, r = b["ours_total_gzip_bytes"], b["naive_folium"], b["ratios"]
        floor = b["floor"]["total_gzip_bytes"]
        unfetched = sum(1 for m in naive["missing"] if m.get("in_a_package"))
        note = f"{ours:,} B vs {naive['total_gzip_bytes']:,} B ({naive['assets']} assets)"
        if naive["missing"]:
            note += f"; a lower bound: {len(naive['missing'])} asset(s) not counted"
        if unfetched:  # a fetch failed and the baseline shrank: no ratio rather than a wrong one
            note += f"; not compared: {unfetched} could not be fetched"
        rows.append({
            "key": f"pages/{name}/bytes_vs_folium", "what": f"page {name}: gzip bytes, HTML + assets",
            "baseline": f"naive folium page, same {b['points']} places (MarkerCluster + popups, CDN assets)",
            "ratio": None if unfetched else r["bytes_vs_folium"],
            "ratio_of": "gzip bytes / naive folium gzip bytes", "note": note,
        })  # fmt: skip
        rows.append({
            "key": f"pages/{name}/bytes_vs_floor", "what": f"page {name}: gzip bytes, HTML + assets",
            "baseline": "floor: gzip(Leaflet JS + CSS) + gzip(minimal GeoJSON)",
            "ratio": r["bytes_vs_floor"], "ratio_of": "gzip bytes / floor gzip bytes",
            "note": f"{ours:,} B vs {floor:,} B",
        })  # fmt: skip
        if r.get("map_ready_vs_folium"):
            rows.append({
                "key": f"pages/{name}/map_ready_vs_folium", "what": f"page {name}: map ready",
                "median_ms": data["pages"][name]["map_ready"]["median_ms"],
                "baseline": "naive folium page, local copies of its CDN assets",
                "baseline_ms": naive["map_ready"]["median_ms"],
                "note": f"ratio {r['map_ready_vs_folium']:.2f}x, not gated (one run varies several-fold); "
                f"median of {data.get('runs')}",
            })  # fmt: skip
    return rows


SUMMARISE: dict[str, Callable[[Any], list[Row]]] = {
    "import": summarise_import,
    "netwerk": summarise_netwerk,
    "nearby": summarise_nearby,
    "pages": summarise_pages,
}

# --- comparing with the reference ------------------------------------------------------


def compare(ratios: dict[str, float], reference: dict[str, float], factor: float) -> list[Row]:
    """One row per ratio: its reference and how many times worse (>1) or better it is.

    A reference ratio this run did not measure (its benchmark failed or was skipped) is
    listed as "not measured"; that alone does not fail the run.
    """
    out = []
    for key in sorted(ratios.keys() | reference.keys()):
        value, ref = ratios.get(key), reference.get(key)
        change = value / ref if value is not None and ref else None
        if value is None:
            status = "not measured"
        elif change is None:
            status = "new"
        else:
            status = "REGRESSION" if change > factor else "ok"
        out.append(
            {"key": key, "ratio": value, "reference": ref, "change": change, "status": status}
        )
    return out


# --- output ----------------------------------------------------------------------------


def _num(value: float | None, unit: str = "", digits: int = 2) -> str:
    if value is None:
        return "–"
    if abs(value) >= 100:
        digits = 0
    return f"{value:,.{digits}f}{unit}"


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Benchmarks ({report['mode']} run)",
        "",
        f"{report['started']}, Python {report['python']}, {report['cpus']} CPUs, load average "
        f"{report['load_average_start']:.1f} at the start and {report['load_average_end']:.1f} "
        f"at the end; {report['seconds']:.0f} s in all. Times in ms; `ratio` = ours / baseline "
        "(lower is better).",
    ]
    for name, b in report["benchmarks"].items():
        lines += ["", f"## {name}: {b['status']}"]
        if "command" in b:
            lines.append(
                f"`{b['command']}`: {b['seconds']:.0f} s, peak RSS {b['max_rss_mb']:.0f} MB"
                + (f", JSON: `{b['json']}`" if "json" in b else "")
            )
        if b["status"] != "ok":
            lines.append("")
            lines.append("> " + " ".join(b.get("note") or []))
            continue
        lines += [
            "",
            "| what | median | p95 | p99 | peak MB | baseline | baseline median | ratio | notes |",
            "|---|---:|---:|---:|---:|---|---:|---:|---|",
        ]
        for r in b["summary"]:
            ratio = f"{r['ratio']:.1f}x ({r['ratio_of']})" if r.get("ratio") else "–"
            lines.append(
                f"| {r['what']} | {_num(r.get('median_ms'))} | {_num(r.get('p95_ms'))} "
                f"| {_num(r.get('p99_ms'))} | {_num(r.get('peak_mb'), digits=1)} "
                f"| {r.get('baseline', '–')} | {_num(r.get('baseline_ms'))} | {ratio} "
                f"| {r.get('note', '')} |"
            )
    lines += ["", f"## Ratios against bench/reference.json ({report['mode']})", ""]
    if not report["comparison"]:
        lines.append("No reference ratios for this mode, and none measured: nothing compared.")
    else:
        lines += [
            f"A ratio more than {report['factor']:g}x its reference fails the run.",
            "",
            "| ratio | now | reference | change | status |",
            "|---|---:|---:|---:|---|",
        ]
        for c in report["comparison"]:
            change = f"{c['change']:.2f}x" if c["change"] else "–"
            lines.append(
                f"| {c['key']} | {_num(c['ratio'])} | {_num(c['reference'])} | {change} | {c['status']} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI sizes (about 2 minutes)")
    parser.add_argument(
        "--only", nargs="*", choices=[b.name for b in BENCHES], help="run only these"
    )
    parser.add_argument(
        "--factor", type=float, default=FACTOR, help="fail when a ratio is this much worse"
    )
    parser.add_argument(
        "--update-reference", action="store_true", help="store this run's ratios as the reference"
    )
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    out_dir = RESULTS / "quick" if args.quick else RESULTS
    out_dir.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    report: dict[str, Any] = {
        "mode": mode, "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(), "cpus": os.cpu_count(),
        "load_average_start": os.getloadavg()[0], "factor": args.factor, "benchmarks": {},
        "wrk": shutil.which("wrk") is not None,
    }  # fmt: skip
    ratios: dict[str, float] = {}
    for bench in BENCHES:
        if args.only and bench.name not in args.only:
            continue
        print(f"{bench.name} ...", file=sys.stderr, flush=True)
        record = run_bench(bench, quick=args.quick, out_dir=out_dir)
        if record["status"] == "ok":
            record["summary"] = SUMMARISE[bench.name](record.pop("data"))
            ratios.update({r["key"]: r["ratio"] for r in record["summary"] if r.get("ratio")})
        print(
            f"{bench.name}: {record['status']} ({record.get('seconds', 0):.0f} s)", file=sys.stderr
        )
        report["benchmarks"][bench.name] = record
    reference_all = json.loads(REFERENCE.read_text()) if REFERENCE.exists() else {}
    reference = reference_all.get(mode, {}).get("ratios", {})
    report["ratios"] = ratios
    report["comparison"] = compare(ratios, reference, args.factor)
    report["seconds"] = time.perf_counter() - began
    report["load_average_end"] = os.getloadavg()[0]
    text = markdown(report)
    (RESULTS / "report.md").write_text(text, encoding="utf-8")
    (RESULTS / "report.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(text)
    if args.update_reference:
        reference_all[mode] = {
            "recorded": report["started"], "cpus": report["cpus"],
            "load_average": round(report["load_average_start"], 1), "ratios": ratios,
        }  # fmt: skip
        REFERENCE.write_text(json.dumps(reference_all, indent=1, sort_keys=True) + "\n")
        print(f"reference ratios for {mode} mode written to {REFERENCE.relative_to(ROOT)}")
    if any(b["status"] in ("failed", "timeout") for b in report["benchmarks"].values()):
        return 2
    return 1 if any(c["status"] == "REGRESSION" for c in report["comparison"]) else 0


if __name__ == "__main__":
    raise SystemExit(main())
