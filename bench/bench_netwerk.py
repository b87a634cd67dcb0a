"""Benchmark of the network analysis: the whole path from snapshot to report.

Generates seeded snapshots of 200 / 1,000 / 5,000 organisations whose activities give
each organisation about 10 ties, then measures:

- ``report`` cold (empty cache) and warm (cached) time,
- peak Python memory of a cold ``report`` (tracemalloc, in a separate run, because
  tracing slows the code down),
- unweighted betweenness as ``report`` computes it (exact up to 2,000 organisations,
  sampled above), netwerk's exact betweenness, and python-igraph's exact betweenness on
  the same graph.

Usage::

    python bench/bench_netwerk.py           # 200, 1,000 and 5,000 organisations
    python bench/bench_netwerk.py --quick   # 200 and 1,000 only (< 60 s)

Prints a Markdown table and writes JSON to bench/results/netwerk.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import igraph as ig  # noqa: E402
import networkx as nx  # noqa: E402

from data.snapshot import ActivityRecord, NetworkSnapshot, OrgNode, RelationRecord  # noqa: E402
from data.vocab import ACTIVITY_KINDS, SECTORS  # noqa: E402
from netwerk.build import build_graph  # noqa: E402
from netwerk.centrality import betweenness, sample_size  # noqa: E402
from netwerk.report import clear_cache, report  # noqa: E402

SIZES = (200, 1000, 5000)
QUICK_SIZES = (200, 1000)
TIES_PER_ORG = 10
RESULTS = ROOT / "bench" / "results" / "netwerk.json"


def _organisations(n: int, rng: random.Random) -> tuple[OrgNode, ...]:
    return tuple(
        OrgNode(
            id=f"org-{i:05d}",
            slug=f"org-{i:05d}",
            name=f"Organisatie {i}",
            sector=rng.choice(SECTORS),
            is_partner=rng.random() < 0.3,
            partner_since=rng.choice((None, *range(2017, 2025))),
            gemeente_code=None,
            gemeente_name=None,
            lat=rng.uniform(52.6, 53.5),
            lon=rng.uniform(6.0, 7.2),
        )
        for i in range(n)
    )


def _period(rng: random.Random) -> tuple[str | None, str | None]:
    if rng.random() < 0.05:
        return None, None
    start = rng.randint(2014, 2025)
    end = None if rng.random() < 0.2 else str(start + rng.randint(0, 3))
    return (str(start) if rng.random() < 0.5 else f"{start}-{rng.randint(1, 12):02d}"), end


def make_snapshot(n: int, *, seed: int = 1) -> NetworkSnapshot:
    """A snapshot whose activities give every organisation about ``TIES_PER_ORG`` ties.

    Organisations sit in clusters of about 25 (a region); most activities stay inside
    one cluster, some reach into a neighbouring one, so the graph has communities.
    """
    rng = random.Random(seed)
    orgs = _organisations(n, rng)
    ids = [o.id for o in orgs]
    cluster = 25
    activities = []
    for i in range(int(n * 0.62)):
        home = rng.randrange(0, n, cluster)
        pool = (
            ids[home : home + cluster]
            + ids[(home + cluster) % n : (home + cluster) % n + cluster // 5]
        )
        size = rng.choice((2, 3, 3, 4, 4, 5, 6, 8)) if rng.random() > 0.002 else 30
        members = rng.sample(pool if size < len(pool) else ids, min(size, n))
        start, end = _period(rng)
        activities.append(
            ActivityRecord(
                id=f"act-{i:06d}",
                slug=f"act-{i:06d}",
                kind=rng.choice(ACTIVITY_KINDS),
                name=f"Activiteit {i}",
                place=None,
                start=start,
                end=end,
                source="bench",
                participants=tuple(
                    (m, "lead" if j == 0 else "member") for j, m in enumerate(members)
                ),
            )
        )
    relations = tuple(
        RelationRecord(
            id=f"rel-{i:05d}",
            a=a,
            b=b,
            kind="convenant",
            since="2019",
            until=None,
            strength=1.0,
            source="bench",
        )
        for i, (a, b) in enumerate(tuple(rng.sample(ids, 2)) for _ in range(n // 10))
    )
    return NetworkSnapshot(
        version=n, organisations=orgs, activities=tuple(activities), relations=relations
    )


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def _peak_mb(snapshot: NetworkSnapshot) -> float:
    clear_cache()
    tracemalloc.start()
    report(snapshot)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    clear_cache()
    return peak / 2**20


def _betweenness_times(snapshot: NetworkSnapshot) -> dict[str, float | int | None]:
    """Unweighted betweenness: as ``report`` computes it, exactly, and by igraph (exact)."""
    G = build_graph(snapshot)
    k = sample_size(G)
    _values, as_reported = _timed(betweenness, G)
    exact = as_reported if k is None else _timed(betweenness, G, k=len(G))[1]
    H = ig.Graph.from_networkx(G)
    _values, theirs = _timed(H.betweenness, directed=False)
    return {
        "betweenness_k": k,
        "betweenness_report_s": as_reported,
        "betweenness_exact_s": exact,
        "betweenness_igraph_s": theirs,
    }


def run(n: int) -> dict[str, float | int | None]:
    snapshot = make_snapshot(n)
    G = build_graph(snapshot)
    clear_cache()
    cold_result, cold = _timed(report, snapshot)
    warm_result, warm = _timed(report, snapshot)
    if warm_result is not cold_result:
        raise RuntimeError("the warm report call did not come from the cache")
    row: dict[str, float | int | None] = {
        "organisations": n,
        "activities": len(snapshot.activities),
        "ties": G.number_of_edges(),
        "mean_degree": 2 * G.number_of_edges() / n,
        "report_cold_s": cold,
        "report_warm_s": warm,
        "peak_memory_mb": _peak_mb(snapshot),
    }
    row.update(_betweenness_times(snapshot))
    return row


def _fmt(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "exact"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def markdown(rows: list[dict[str, float | int | None]]) -> str:
    header = (
        "| organisations | ties | mean degree | report cold (s) | report warm (ms) "
        "| peak memory (MB) | betweenness k | betweenness in report (s) "
        "| betweenness exact, netwerk (s) | betweenness exact, igraph (s) |"
    )
    lines = [header, "|" + "---:|" * 10]
    for r in rows:
        warm_ms = float(r["report_warm_s"] or 0) * 1000
        lines.append(
            f"| {_fmt(r['organisations'])} | {_fmt(r['ties'])} | {_fmt(r['mean_degree'], 1)} "
            f"| {_fmt(r['report_cold_s'])} | {warm_ms:.3f} | {_fmt(r['peak_memory_mb'], 1)} "
            f"| {_fmt(r['betweenness_k'])} | {_fmt(r['betweenness_report_s'])} "
            f"| {_fmt(r['betweenness_exact_s'])} | {_fmt(r['betweenness_igraph_s'], 3)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 200 and 1,000 organisations")
    args = parser.parse_args(argv)
    rows = []
    for n in QUICK_SIZES if args.quick else SIZES:
        rows.append(run(n))
        print(f"{n} organisations done", file=sys.stderr, flush=True)
    table = markdown(rows)
    print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "networkx": nx.__version__,
                "igraph": ig.__version__,
                "quick": args.quick,
                "rows": rows,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
