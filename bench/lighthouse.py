"""Lighthouse on the residents' pages and the network page: mobile, scores and failing audits.

Starts its own server the way bench/bench_pages.py does (tests/browser/harness.py: the app
on a fresh SQLite file with the shipped data, uvicorn on loopback, map tiles pointed at
``https://tiles.invalid``: https like the production tile server) and runs the Lighthouse CLI from the npm registry, pinned in
bench/lighthouse/package-lock.json, against Debian's chromium on:

- the start page ``/``, a results page ``/zoeken?q=9501``, the first place of those
  results ``/plek/{slug}``, the embed ``/embed?q=9501`` and the network page ``/netwerk``;
- Lighthouse's default mobile emulation (a Moto G Power-sized screen, simulated slow 4G
  and 4x CPU slowdown), categories performance, accessibility and best-practices;
- one run per page, or the median Performance of ``--runs N`` (it swings with the
  machine's load; Accessibility and Best-Practices are the lowest of the runs). Tile requests are blocked (``--blocked-url-patterns``); any other
  request to a host that is not ours is reported and fails ``--check``.

    npm ci --prefix bench/lighthouse          # once; the script does it when it is missing
    python bench/lighthouse.py                # table + bench/results/lighthouse.json
    python bench/lighthouse.py --check        # exit 1 below the targets
    python bench/lighthouse.py --runs 3       # median Performance of 3 runs per page
    python bench/lighthouse.py --page place   # one page (repeatable)

Targets (``--check``): Accessibility 100 and Best-Practices >= 95 on every page.
Performance is reported, never gated: it depends on the machine. Exit 2 when node, npm or
chromium is missing. The full Lighthouse reports go to bench/results/lighthouse/ (not in git).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.harness import (  # noqa: E402
    CHROMIUM_ARGS,
    TILE_HOST,
    LiveServer,
    find_chromium,
    make_app,
)

NPM_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = NPM_DIR / "node_modules" / ".bin" / "lighthouse"
RESULTS = ROOT / "bench" / "results" / "lighthouse.json"
REPORTS = ROOT / "bench" / "results" / "lighthouse"  # full reports, git-ignored
CATEGORIES = ("performance", "accessibility", "best-practices")
GATED = ("accessibility", "best-practices")  # performance depends on the machine
TARGETS = {"accessibility": 100, "best-practices": 95}
METRICS = (  # simulated on Lighthouse's slow mobile: ms, except the layout shift
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
)
PLACE = "{place}"  # filled in with the first place of the results page
PAGES = {
    "start": "/",
    "results": "/zoeken?q=9501",
    "place": f"/plek/{PLACE}",
    "embed": "/embed?q=9501",
    "network": "/netwerk",
}

# Audits left out of the run (``--skip-audits``), so out of the scores, each with the reason
# it cannot pass here for a principled reason. Keep this list as short as possible.
SKIPPED_AUDITS: dict[str, str] = {}


def missing_tools() -> str | None:
    """Why Lighthouse cannot run here (node, npm or chromium missing), or None."""
    missing = [name for name in ("node", "npm") if shutil.which(name) is None]
    if find_chromium() is None:
        missing.append("chromium")
    if not missing:
        return None
    return (
        f"{', '.join(missing)} not found: Lighthouse needs Node.js >= 18.16 with npm "
        "(apt-get install nodejs npm) and Debian's chromium (apt-get install chromium)"
    )


def ensure_lighthouse() -> None:
    """Install the pinned Lighthouse (``npm ci``) into bench/lighthouse when it is missing."""
    if LIGHTHOUSE.exists():
        return
    print(f"installing Lighthouse: npm ci --prefix {NPM_DIR.relative_to(ROOT)}", file=sys.stderr)
    subprocess.run(["npm", "ci", "--prefix", str(NPM_DIR), "--no-audit", "--no-fund"], check=True)


def lighthouse_command(url: str, output: Path, chromium: str) -> list[str]:
    """The Lighthouse CLI call for one page: mobile (its default), three categories, JSON."""
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={chromium}",
        f"--chrome-flags={' '.join(['--headless=new', *CHROMIUM_ARGS])}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--blocked-url-patterns=*://{TILE_HOST}/*",
        "--output=json",
        f"--output-path={output}",
        "--quiet",
    ]
    if SKIPPED_AUDITS:
        command.append(f"--skip-audits={','.join(SKIPPED_AUDITS)}")
    return command


def run_lighthouse(url: str, output: Path, chromium: str) -> dict[str, Any]:
    """Run Lighthouse on ``url``; its JSON report (also written to ``output``)."""
    output.unlink(missing_ok=True)  # never read an earlier run's report
    done = subprocess.run(
        lighthouse_command(url, output, chromium), capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0 or not output.exists():
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    return json.loads(output.read_text(encoding="utf-8"))


def failing_audits(report: dict[str, Any], category: str) -> list[dict[str, str]]:
    """The audits of ``category`` that did not pass (or could not run), in report order.

    Audits that are not applicable, manual checks and informative ones have no score and
    never fail.

    >>> report = {"categories": {"accessibility": {"auditRefs": [{"id": "a"}, {"id": "b"}]}},
    ...           "audits": {"a": {"title": "A", "score": 0, "scoreDisplayMode": "binary"},
    ...                      "b": {"title": "B", "score": None, "scoreDisplayMode": "manual"}}}
    >>> failing_audits(report, "accessibility")
    [{'id': 'a', 'title': 'A'}]
    """
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"].get(ref["id"], {})
        mode, score = audit.get("scoreDisplayMode"), audit.get("score")
        if mode == "error" or (
            mode in ("binary", "numeric", "metricSavings") and score is not None and score < 1
        ):
            entry = {"id": ref["id"], "title": audit.get("title", "")}
            if mode == "error":
                entry["error"] = audit.get("errorMessage", "")
            failing.append(entry)
    return failing


def outside_requests(report: dict[str, Any], origin: str) -> list[str]:
    """URLs the page requested from hosts other than ours, map tiles (blocked) excepted."""
    details = report["audits"].get("network-requests", {}).get("details", {})
    urls = [item.get("url", "") for item in details.get("items", [])]
    return [
        url
        for url in urls
        if url.startswith(("http://", "https://"))
        and not url.startswith(origin + "/")
        and urlsplit(url).hostname != TILE_HOST
    ]


def summarise(report: dict[str, Any], origin: str) -> dict[str, Any]:
    """Scores (0-100, None when a category could not be scored), the main performance
    metrics, failing audits per gated category, and requests to outside hosts, from one
    Lighthouse JSON report."""
    scores = {}
    for category in CATEGORIES:
        score = report["categories"].get(category, {}).get("score")
        scores[category] = None if score is None else round(score * 100)
    metrics = {
        name: round(audit["numericValue"], 3 if name == "cumulative-layout-shift" else None)
        for name in METRICS
        if (audit := report["audits"].get(name, {})).get("numericValue") is not None
    }
    return {
        "scores": scores,
        "metrics": metrics,
        # Lighthouse's own measure of this machine's speed: Performance follows it.
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
        "failing": {category: failing_audits(report, category) for category in GATED},
        "outside_requests": outside_requests(report, origin),
    }


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several runs' summaries of one page as one: the median Performance, metrics and
    benchmark index (they follow the machine's load), the lowest gated scores, and every
    failing audit and outside request any run saw.

    >>> runs = [{"scores": {"performance": p, "accessibility": a, "best-practices": 100},
    ...          "metrics": {}, "benchmark_index": 1000, "outside_requests": [],
    ...          "failing": {"accessibility": f, "best-practices": []}}
    ...         for p, a, f in [(90, 100, []), (50, 96, [{"id": "label"}]), (70, 100, [])]]
    >>> combined = combine(runs)
    >>> combined["scores"], combined["failing"]["accessibility"]
    ({'performance': 70, 'accessibility': 96, 'best-practices': 100}, [{'id': 'label'}])
    """
    scores: dict[str, Any] = {}
    for category in CATEGORIES:
        values = [run["scores"][category] for run in runs]
        if None in values:
            scores[category] = None
        elif category in GATED:
            scores[category] = min(values)
        else:
            scores[category] = round(statistics.median(values))
    metrics = {
        name: round(statistics.median(run["metrics"][name] for run in runs), 3)
        for name in runs[0]["metrics"]
        if all(name in run["metrics"] for run in runs)
    }
    failing = {
        category: list({a["id"]: a for run in runs for a in run["failing"][category]}.values())
        for category in GATED
    }
    return {
        "runs": len(runs),
        "scores": scores,
        "metrics": metrics,
        "benchmark_index": statistics.median(run["benchmark_index"] or 0 for run in runs),
        "failing": failing,
        "outside_requests": list(dict.fromkeys(u for run in runs for u in run["outside_requests"])),
    }


def shortfalls(pages: dict[str, dict[str, Any]]) -> list[str]:
    """What keeps the pages from their targets; empty when ``--check`` passes.

    >>> page = {"scores": {"performance": 40, "accessibility": 100, "best-practices": 96},
    ...         "outside_requests": []}
    >>> shortfalls({"start": page})
    []
    >>> shortfalls({"start": {**page, "scores": {**page["scores"], "accessibility": 98}}})
    ['start: accessibility 98 < 100']
    """
    problems = []
    for name, page in pages.items():
        for category, target in TARGETS.items():
            score = page["scores"].get(category)
            if score is None or score < target:
                problems.append(f"{name}: {category} {score} < {target}")
        problems.extend(f"{name}: outside request {url}" for url in page["outside_requests"])
    return problems


def verdict(pages: dict[str, dict[str, Any]], *, check: bool) -> int:
    """The exit status: 1 when ``check`` and a page falls short (printed), else 0."""
    problems = shortfalls(pages)
    if problems:
        print("below the targets:\n  " + "\n  ".join(problems), file=sys.stderr)
    return 1 if check and problems else 0


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as answer:
        return answer.read().decode("utf-8")


def first_place(live: str) -> str:
    """The slug of the first place on the results page for 9501."""
    html = fetch(live + PAGES["results"])
    found = re.search(r'href="/plek/([^"?#/]+)[?"]', html)
    if found is None:
        raise RuntimeError(f"no /plek/ link on {PAGES['results']}")
    return found.group(1)


def version(command: list[str]) -> str:
    """The first version number a ``--version`` call prints.

    >>> version(["echo", "Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)"])
    '156.0.8078.79'
    """
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    found = re.search(r"\d+(?:\.\d+)+", done.stdout)
    return found.group(0) if found else "unknown"


def versions(chromium: str) -> dict[str, str]:
    """Lighthouse's, chromium's and node's versions."""
    return {
        "lighthouse": version(["node", str(LIGHTHOUSE), "--version"]),
        "chromium": version([chromium, "--version"]),
        "node": version(["node", "--version"]),
    }


def run(names: list[str], chromium: str, *, runs: int = 1) -> dict[str, Any]:
    """Start the app, run Lighthouse on the named pages; the summary of the run."""
    out: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "form_factor": "mobile",
        "targets": TARGETS,
        "skipped_audits": SKIPPED_AUDITS,
        "pages": {},
    }
    started = time.monotonic()
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))  # tiles at https://tiles.invalid, blocked
        with LiveServer(app) as live:
            out["pages"] = measure(live, names, chromium, runs=runs)
    out["seconds"] = round(time.monotonic() - started, 1)
    out["load_average_1min"] = round(os.getloadavg()[0], 2)  # other work skews Performance
    out.update(versions(chromium))
    return out


def measure(live: str, names: list[str], chromium: str, *, runs: int) -> dict[str, Any]:
    """Lighthouse ``runs`` times on each named page of the running server; a summary per page."""
    pages: dict[str, Any] = {}
    place = first_place(live)
    for name in names:
        path = PAGES[name].replace(PLACE, place)
        fetch(live + path)  # warm the server (the network page's first answer computes metrics)
        for stale in REPORTS.glob(f"{name}*.report.json"):
            stale.unlink()
        summaries = []
        for n in range(runs):
            output = REPORTS / f"{name}{f'-{n + 1}' if runs > 1 else ''}.report.json"
            summaries.append(summarise(run_lighthouse(live + path, output, chromium), live))
            print(f"  {name}: {summaries[-1]['scores']}", file=sys.stderr)
        pages[name] = {"path": path, **combine(summaries)}
    return pages


def print_table(result: dict[str, Any]) -> None:
    print(
        f"Lighthouse {result['lighthouse']}, chromium {result['chromium']}, "
        f"node {result['node']}, mobile, {result['date']}, {result['seconds']:.0f} s, "
        f"load average {result['load_average_1min']}"
    )
    print("| page | URL | Performance | Accessibility | Best-Practices | failing audits |")
    print("|---|---|---:|---:|---:|---|")
    for name, page in result["pages"].items():
        scores = [page["scores"][c] for c in CATEGORIES]
        cells = " | ".join("–" if s is None else str(s) for s in scores)
        failing = [f"{c}: `{a['id']}`" for c in GATED for a in page["failing"][c]]
        failing += [f"outside: {url}" for url in page["outside_requests"]]
        print(f"| {name} | `{page['path']}` | {cells} | {', '.join(failing) or 'none'} |")
    if result["skipped_audits"]:
        skipped = ", ".join(f"`{audit}`" for audit in result["skipped_audits"])
        print(f"\nSkipped audits (not in the scores): {skipped}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 below the targets")
    parser.add_argument(
        "--page", action="append", choices=list(PAGES), help="only this page (repeatable)"
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="runs per page; Performance is their median"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    problem = missing_tools()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    chromium = find_chromium()
    assert chromium is not None
    try:
        ensure_lighthouse()
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"could not install Lighthouse with npm ci: {error}", file=sys.stderr)
        return 2
    result = run(args.page or list(PAGES), chromium, runs=args.runs)
    print_table(result)
    # Only a run over every page replaces the committed summary.
    written = REPORTS / "partial.json" if args.page else RESULTS
    written.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"written to {written.relative_to(ROOT)} (full reports in {REPORTS.relative_to(ROOT)}/)")
    return verdict(result["pages"], check=args.check)


if __name__ == "__main__":
    sys.exit(main())
