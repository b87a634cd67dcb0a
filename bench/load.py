"""Load at rising rates: the real service under a realistic mix, on loopback only.

Starts the service the way it is deployed (``kik serve``: uvicorn with ``api.main:app``,
one worker or ``--workers N``, in its own process, on 127.0.0.1, a fresh SQLite file
filled with the shipped data), warms it up
by asking every path of the mix once (each must answer 200), then drives the mix with wrk
at rising request rates:

- **the mix**: nearby searches by postcode with varied needs and options (35 %), results
  pages (20 %), place pages (15 %), network JSON (report, graph, suggestions, one
  organisation: 15 %), the embed (10 %) and oEmbed (5 %); 400 requests drawn with a
  fixed seed from real postcodes of Groningen and Drenthe and the registry's places.
- **the rate**: wrk's Lua ``delay()`` hands out send times on a fixed schedule (one slot
  every 1/rate s, a monotonic clock through LuaJIT's FFI), so requests are sent at the
  target rate whatever the answers take, as long as a connection is free (connections:
  a quarter of the rate, at least 4). A server that falls behind shows as an achieved
  rate below the target. Latency is wrk's: from sending a request to its last byte.
- **the steps**: 10, 20, 40, 80 ... requests/s, ``--step-seconds`` each (60), until a
  step is not *held* (any error — a non-2xx/3xx answer, a socket error or a timeout —,
  p99 above ``--p99-ms`` (100), or less than 95 % of the target rate achieved); then two
  bisection steps between the last held rate and the first that was not.
- **memory**: the server's resident memory (VmRSS) sampled twice a second; reported
  after warm-up, at the end of every step, the peak, and the growth over the run (a leak
  shows here as growth that goes on step after step).

    python bench/load.py                      # the full run: 60 s per rate (several minutes)
    python bench/load.py --step-seconds 20    # shorter steps
    python bench/load.py --workers 2          # two uvicorn workers (memory: all processes)
    python bench/load.py --smoke              # CI: 5 + 10 req/s, 5 s each; fails on any error

Prints Markdown and writes JSON to bench/results/load.json (``--smoke``:
bench/results/quick/load.json). Exit status: 0 done; 1 ``--smoke`` saw an error;
2 the server did not start, a path of the mix did not answer 200, or wrk is missing.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.wrk_pacing import HELD_SHARE, held, next_rate, run_wrk  # noqa: E402

RESULTS = ROOT / "bench" / "results"
MIX_SIZE = 400
SEED = 20261122
#: share of each kind of request in the mix (sums to 1)
WEIGHTS = {
    "nearby": 0.35,
    "results": 0.20,
    "place": 0.15,
    "netwerk": 0.15,
    "embed": 0.10,
    "oembed": 0.05,
}
NEEDS = ("food", "clothing", "money_debt", "meeting", "children_youth", "health_care",
         "housing_energy", "work_participation", "language_learning", "practical_help")  # fmt: skip


# --- the mix -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sources:
    """What the mix is drawn from: real postcodes, gemeenten and registry slugs."""

    postcodes: Sequence[str]
    gemeenten: Sequence[str]
    places: Sequence[str]  # location slugs
    organisations: Sequence[str]  # organisation slugs with a tie (netwerk)


def _needs(rng: random.Random) -> list[tuple[str, str]]:
    """No need (35 %), one (50 %) or two (15 %), as query pairs."""
    roll = rng.random()
    count = 0 if roll < 0.35 else 1 if roll < 0.85 else 2
    return [("needs", n) for n in rng.sample(NEEDS, count)]


def _path(base: str, params: Sequence[tuple[str, str]]) -> str:
    return base + ("?" + urllib.parse.urlencode(params) if params else "")


def draw(kind: str, rng: random.Random, src: Sources, public: str) -> str:
    """One request of ``kind``, as a path with its query string."""
    if kind == "nearby":
        params = [("postcode", rng.choice(src.postcodes)), *_needs(rng)]
        if rng.random() < 0.2:
            params.append(("open_now", "true"))
        if rng.random() < 0.15:
            params.append(("free", "true"))
        return _path("/api/v1/nearby", params)
    if kind == "results":
        return _path("/zoeken", [("q", rng.choice(src.postcodes)), *_needs(rng)])
    if kind == "place":
        return "/plek/" + urllib.parse.quote(rng.choice(src.places))
    if kind == "embed":
        if rng.random() < 0.5:
            return _path("/embed", [("gemeente", rng.choice(src.gemeenten))])
        return _path("/embed", [("q", rng.choice(src.postcodes)), *_needs(rng)])
    if kind == "oembed":
        embed = public + _path("/embed", [("gemeente", rng.choice(src.gemeenten))])
        return _path("/oembed", [("url", embed), ("format", "json")])
    if kind == "netwerk":
        which = rng.choice(("report", "graph", "suggestions", "organisation"))
        if which == "organisation":
            return "/api/v1/netwerk/organisations/" + urllib.parse.quote(
                rng.choice(src.organisations)
            )
        return f"/api/v1/netwerk/{which}"
    raise ValueError(f"unknown kind of request: {kind}")


def build_mix(src: Sources, public: str, size: int = MIX_SIZE, seed: int = SEED) -> list[str]:
    """``size`` paths drawn with a fixed seed, each kind in its share of ``WEIGHTS``.

    >>> src = Sources(["9501", "7811"], ["Emmen"], ["a-place"], ["an-org"])
    >>> mix = build_mix(src, "http://127.0.0.1:1", size=100)
    >>> sum(p.startswith("/api/v1/nearby") for p in mix), sum(p.startswith("/oembed") for p in mix)
    (35, 5)
    >>> mix == build_mix(src, "http://127.0.0.1:1", size=100)
    True
    """
    rng = random.Random(seed)
    kinds = [k for k, share in WEIGHTS.items() for _ in range(round(share * size))]
    paths = [draw(k, rng, src, public) for k in kinds]
    rng.shuffle(paths)
    return paths


# --- the server --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            kids += [int(k) for k in (task / "children").read_text().split()]
    return kids


def rss_mb(pid: int) -> float:
    """Resident memory (VmRSS) in MB of process ``pid`` and its children (uvicorn's workers)."""
    total = 0.0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                total = int(line.split()[1]) / 1024
    for kid in _children(pid):
        with contextlib.suppress(OSError, RuntimeError):
            total += rss_mb(kid)
    return total


@dataclass
class MemorySampler:
    """Samples a process's RSS every ``interval`` s in a thread."""

    pid: int
    interval: float = 0.5
    samples: list[tuple[float, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True, name="rss")

    def _run(self) -> None:
        began = time.monotonic()
        while not self._stop.is_set():
            with contextlib.suppress(OSError, RuntimeError):
                self.samples.append((time.monotonic() - began, rss_mb(self.pid)))
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return max((mb for _, mb in self.samples), default=0.0)


@contextlib.contextmanager
def server(
    folder: Path, workers: int = 1, timeout: float = 180.0
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``kik serve`` on 127.0.0.1 with a fresh SQLite file; yields (url, process).

    ``kik serve`` fills the new database once, then starts uvicorn with ``workers``.
    """
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "KIK_DATABASE_URL": f"sqlite:///{folder / 'kik.sqlite3'}",
        "KIK_LOAD_SHIPPED_DATA": "true",
        "KIK_PUBLIC_URL": base,
        "KIK_LOG_LEVEL": "WARNING",
    }
    cmd = [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers)]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(OSError):
                if fetch(base + "/health")[0] == 200:
                    break
            if proc.poll() is not None:
                raise RuntimeError(f"the server stopped while starting (exit {proc.returncode})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer /health within {timeout:.0f} s")
            time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def sources(base: str) -> Sources:
    """Real postcodes and gemeenten (reference data) and slugs from the running service."""
    from data.reference import load_gemeenten, load_pc4

    postcodes = sorted({r.pc4 for r in load_pc4() if r.in_region})
    rng = random.Random(SEED)
    status, body = fetch(base + "/api/v1/locations?limit=500")
    if status != 200:
        raise RuntimeError(f"/api/v1/locations answered {status}")
    places = [
        loc["slug"]
        for loc in json.loads(body)["items"]
        if loc["location_type"] == "physical" and loc["services"]
    ]
    status, body = fetch(base + "/api/v1/netwerk/organisations")
    if status != 200:
        raise RuntimeError(f"/api/v1/netwerk/organisations answered {status}")
    orgs = [o["slug"] for o in json.loads(body)["organisations"] if o.get("degree")]
    return Sources(
        postcodes=rng.sample(postcodes, min(80, len(postcodes))),
        gemeenten=sorted(g.name for g in load_gemeenten()),
        places=places,
        organisations=orgs,
    )


def warm_up(base: str, paths: Sequence[str]) -> float:
    """Ask every distinct path once; each must answer 200. Returns the seconds it took."""
    began = time.monotonic()
    bad = []
    for path in dict.fromkeys(paths):
        status, _ = fetch(base + path)
        if status != 200:
            bad.append(f"{status} {path}")
    if bad:
        raise RuntimeError("paths of the mix that did not answer 200:\n  " + "\n  ".join(bad))
    return time.monotonic() - began


def kind_of(path: str) -> str:
    """The kind of request a path of the mix is (for the per-kind serial timings).

    >>> kind_of("/api/v1/nearby?postcode=9501"), kind_of("/api/v1/netwerk/graph"), kind_of("/plek/x")
    ('nearby', 'netwerk', 'place')
    """
    prefixes = {"/api/v1/nearby": "nearby", "/zoeken": "results", "/plek/": "place",
                "/api/v1/netwerk/": "netwerk", "/embed": "embed", "/oembed": "oembed"}  # fmt: skip
    return next((kind for prefix, kind in prefixes.items() if path.startswith(prefix)), "other")


def serial_timings(base: str, paths: Sequence[str]) -> dict[str, dict[str, float]]:
    """Each distinct path once more, one at a time (warm): ms per kind (median, p90, max)."""
    import statistics

    times: dict[str, list[float]] = {}
    for path in dict.fromkeys(paths):
        began = time.perf_counter()
        fetch(base + path)
        times.setdefault(kind_of(path), []).append((time.perf_counter() - began) * 1000)
    return {
        kind: {"n": len(ms), "median_ms": statistics.median(ms),
               "p90_ms": sorted(ms)[int(0.9 * (len(ms) - 1))], "max_ms": max(ms)}
        for kind, ms in sorted(times.items())
    }  # fmt: skip


# --- the run -----------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="kik-load-") as tmp,
        server(Path(tmp), workers=args.workers) as (base, proc),
    ):
        started_mb = rss_mb(proc.pid)
        mix = build_mix(sources(base), base)
        warm_s = warm_up(base, mix)
        if args.workers > 1:  # each worker builds its own caches: reach them all (not counted)
            run_wrk(base, mix, rate=50.0 * args.workers, seconds=5)
        warm_mb = rss_mb(proc.pid)
        serial = {} if args.smoke else serial_timings(base, mix)
        steps: list[dict[str, Any]] = []
        with MemorySampler(proc.pid) as mem:
            rates: list[float] = list(args.rates or [])
            history: list[tuple[float, bool]] = []
            while True:
                if args.rates:
                    if not rates:
                        break
                    rate: float | None = rates.pop(0)
                else:
                    rate = next_rate(history, start=args.start, refinements=args.refinements)
                    if rate is None or rate > args.max_rate:
                        break
                assert rate is not None
                step = run_wrk(base, mix, rate, args.step_seconds)
                step["rss_mb"] = rss_mb(proc.pid)
                step["held"] = held(step, args.p99_ms)
                steps.append(step)
                history.append((rate, step["held"]))
                print(_step_line(step), flush=True)
        end_mb = rss_mb(proc.pid)
        best = max((s for s in steps if s["held"]), key=lambda s: s["target_rps"], default=None)
        return {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(), "cpus": os.cpu_count(),
            "load_average": os.getloadavg(), "commit": _commit(),
            "smoke": args.smoke, "workers": args.workers, "step_seconds": args.step_seconds, "p99_limit_ms": args.p99_ms,
            "mix": {"size": len(mix), "distinct": len(set(mix)), "weights": WEIGHTS},
            "warm_up_s": warm_s, "serial_ms": serial,
            "memory_mb": {
                "after_start": started_mb, "after_warm_up": warm_mb, "end": end_mb,
                "peak": max(mem.peak_mb, end_mb), "growth": end_mb - warm_mb,
                "samples": [(round(t, 1), round(mb, 1)) for t, mb in mem.samples],
            },
            "steps": steps,
            "highest_held": best,
        }  # fmt: skip


def _commit() -> str | None:
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()  # fmt: skip
    return None


def _step_line(s: dict[str, Any]) -> str:
    return (f"{s['target_rps']:g} req/s: {s['achieved_rps']:.1f} achieved, {s['errors']} errors, "
            f"p50 {s['p50_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms, server {s['rss_mb']:.0f} MB"
            f" -> {'held' if s['held'] else 'not held'}")  # fmt: skip


def markdown(r: dict[str, Any]) -> str:
    m = r["memory_mb"]
    lines = [
        f"# Load{' (smoke)' if r['smoke'] else ''}: `kik serve --workers {r['workers']}` "
        "(uvicorn, api.main:app), loopback",
        "",
        f"{r['date']}, commit {r['commit']}, Python {r['python']}, {r['cpus']} CPUs, "
        f"load average {r['load_average'][0]:.1f} at the end. Mix of {r['mix']['size']} requests "
        f"({r['mix']['distinct']} distinct), warm-up {r['warm_up_s']:.1f} s; "
        f"{r['step_seconds']:g} s per step; held = no error, p99 ≤ {r['p99_limit_ms']:g} ms, "
        f"≥ {HELD_SHARE:.0%} of the target rate.",
        "",
        "| target req/s | achieved | connections | requests | errors | p50 ms | p90 ms | p99 ms | max ms | server RSS MB | held |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in r["steps"]:
        lines.append(
            f"| {s['target_rps']:g} | {s['achieved_rps']:.1f} | {s['connections']} | {s['requests']:,} "
            f"| {s['errors']} | {s['p50_ms']:.1f} | {s['p90_ms']:.1f} | {s['p99_ms']:.1f} "
            f"| {s['max_ms']:.0f} | {s['rss_mb']:.0f} | {'yes' if s['held'] else '**no**'} |"
        )
    if r["serial_ms"]:
        lines += [
            "",
            "One at a time, warm (each distinct path of the mix once, before the steps):",
            "",
            "| kind | paths | median ms | p90 ms | max ms |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [f"| {k} | {t['n']} | {t['median_ms']:.1f} | {t['p90_ms']:.1f} | {t['max_ms']:.1f} |"
                  for k, t in r["serial_ms"].items()]  # fmt: skip
    best = r["highest_held"]
    lines += ["", (
        f"**Highest rate held: {best['target_rps']:g} req/s** (p50 {best['p50_ms']:.1f} ms, "
        f"p99 {best['p99_ms']:.1f} ms, 0 errors)." if best else "**No rate was held.**"
    ), (
        f"Server memory: {m['after_start']:.0f} MB after start, {m['after_warm_up']:.0f} MB after "
        f"warm-up, {m['end']:.0f} MB at the end (growth {m['growth']:+.1f} MB), peak {m['peak']:.0f} MB."
    )]  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--smoke", action="store_true", help="CI: 5 and 10 req/s, 5 s each; exit 1 on any error"
    )
    parser.add_argument("--step-seconds", type=float, help="seconds per rate (60; 5 in --smoke)")
    parser.add_argument(
        "--start", type=float, default=10.0, help="first rate, doubled while held (10)"
    )
    parser.add_argument("--max-rate", type=float, default=5000.0, help="stop doubling here")
    parser.add_argument(
        "--rates", type=float, nargs="+", help="fixed rates instead of rising until not held"
    )
    parser.add_argument(
        "--refinements", type=int, default=2, help="bisection steps after the first failure"
    )
    parser.add_argument(
        "--p99-ms", type=float, default=100.0, help="p99 limit for a held step (100)"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="uvicorn workers (kik serve --workers)"
    )
    parser.add_argument("--json-out", type=Path, help="where to write JSON")
    args = parser.parse_args(argv)
    if args.smoke:
        args.rates = args.rates or [5.0, 10.0]
    if args.step_seconds is None:
        args.step_seconds = 5.0 if args.smoke else 60.0
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    try:
        result = run(args)
    except RuntimeError as e:
        print(f"load: {e}", file=sys.stderr)
        return 2
    out = args.json_out or RESULTS / ("quick" if args.smoke else "") / "load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(markdown(result))
    print(f"JSON: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if args.smoke and any(s["errors"] for s in result["steps"]):
        print("smoke: errors under load", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
