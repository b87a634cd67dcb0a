"""Residents' pages in a real browser: time to a ready map, and the bytes a page costs.

Starts its own server (the app on a fresh SQLite file with the shipped data, uvicorn on
loopback) and a partner page on another port, then drives Debian's chromium:

- **map ready**: from navigation start to the first map marker (or cluster icon) in the
  page, measured in the page (a MutationObserver, ``performance.now()``); also the first
  byte (server time), DOMContentLoaded and load. Each run in a fresh browser context (cold cache), after one
  warm-up of the server; median of 5. Map tiles point at ``tiles.invalid`` and are
  blocked, so the figure is ours, not a tile server's. The embed is measured on its own
  and framed by a partner page on another origin (from the partner page's navigation).
- **bytes**: the page's HTML raw and gzipped (``gzip -6``, what the app sends with
  ``KIK_COMPRESS`` on, or a compressing proxy), and the same for everything the page loads
  from our origin.

    python bench/bench_pages.py            # 5 runs per page
    python bench/bench_pages.py --runs 9

Two baselines for the results page and the embed (``/embed?q=9501``), on the same points
(from ``GET /api/v1/nearby`` with the page's own question), built by bench/page_baselines.py
(its docstring says how): a **naive folium** page of those points, weighed and timed like
ours (its CDN assets served locally), and the **floor**, gzip(Leaflet) + gzip(the points
as minimal GeoJSON).

Ratios ours / naive and ours / floor (total gzip bytes), and ours / naive (map ready).

Prints tables and writes JSON to bench/results/browser_timings.json.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.page_baselines import baselines, fetch, gz  # noqa: E402
from tests.browser.harness import (  # noqa: E402
    MAP_READY_SCRIPT,
    MARKERS,
    TILE_HOST,
    TILE_URL,
    HostSite,
    LiveServer,
    find_chromium,
    launch_chromium,
    make_app,
)

RESULTS = ROOT / "bench" / "results" / "browser_timings.json"
PAGES = {  # name: (path, has a map)
    "start": ("/", False),
    "results": ("/zoeken?q=9501", True),  # 20 places, clustered markers
    "results_filtered": ("/zoeken?q=9501&needs=food", True),  # 8 places, single markers
    "embed": ("/embed", False),  # the embed's start: a search box, no map yet
    "embed_search": ("/embed?q=9501", True),
}


def page_weight(html_url: str, asset_urls: list[str]) -> dict[str, int]:
    """Raw and gzipped bytes of the HTML and of every asset (each counted once)."""
    html = fetch(html_url) or b""
    assets = [body for url in dict.fromkeys(asset_urls) if (body := fetch(url)) is not None]
    return {
        "html_bytes": len(html),
        "html_gzip_bytes": gz(html),
        "assets": len(assets),
        "assets_bytes": sum(map(len, assets)),
        "assets_gzip_bytes": sum(map(gz, assets)),
    }


def new_context(
    browser: Any, *, outside: Sequence[str] = (), tried: list[str] | None = None
) -> Any:
    """A fresh context; only tile requests (and requests to the ``outside`` hosts, recorded
    in ``tried``) are intercepted and aborted: routing every request through Playwright
    would add its own latency to the figures. (That pages make no other outside requests
    is what tests/browser checks.)"""
    context = browser.new_context(locale="nl-NL")
    context.route(f"http://{TILE_HOST}/**", lambda route: route.abort("blockedbyclient"))
    if outside:

        def refuse(route: Any) -> None:
            if tried is not None:
                tried.append(route.request.url)
            route.abort("blockedbyclient")

        context.route(re.compile(rf"^https?://({'|'.join(map(re.escape, outside))})/"), refuse)
    context.add_init_script(MAP_READY_SCRIPT)
    return context


def timings(
    browser: Any,
    live: str,
    path: str,
    *,
    has_map: bool,
    outside: Sequence[str] = (),
    tried: list[str] | None = None,
) -> tuple[dict[str, float], list[str]]:
    """Milliseconds from navigation start to the first byte, DOMContentLoaded, load and
    (with a map) the first marker; and the same-origin URLs the page loaded."""
    context = new_context(browser, outside=outside, tried=tried)
    page = context.new_page()
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(r.url) if r.url.startswith(live) else None)
    page.goto(live + path, wait_until="load")
    if has_map:
        page.wait_for_selector(MARKERS, timeout=30_000)
    times = page.evaluate(
        """() => { const n = performance.getEntriesByType('navigation')[0];
                   return {first_byte: n.responseStart, dom_ready: n.domContentLoadedEventEnd,
                           load: n.loadEventEnd,
                           map_ready: window.__kikMapReady ?? null}; }"""
    )
    context.close()
    return {k: float(v) for k, v in times.items() if v is not None}, loaded


def measured(
    browser: Any,
    live: str,
    path: str,
    *,
    has_map: bool,
    runs: int,
    outside: Sequence[str] = (),
    tried: list[str] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """:func:`timings` once to warm the server (not the browser: each run gets a fresh
    context), then ``runs`` times: their summaries, and the URLs the last run loaded."""
    timings(browser, live, path, has_map=has_map, outside=outside, tried=tried)
    each = [
        timings(browser, live, path, has_map=has_map, outside=outside, tried=tried)
        for _ in range(runs)
    ]
    return summaries([t for t, _ in each]), each[-1][1]


def framed_map_ready_ms(browser: Any, live: str, host: HostSite) -> float:
    """The partner page's navigation start to the first marker inside our iframe, in ms."""
    context = new_context(browser)
    page = context.new_page()
    page.goto(host.url + "?q=9501")
    frame = page.frame_locator("iframe")
    frame.locator(MARKERS).first.wait_for(timeout=30_000)
    inner = next(f for f in page.frames if f.url.startswith(live + "/embed"))
    ready_at = inner.evaluate("() => performance.timeOrigin + window.__kikMapReady")
    started = page.evaluate("() => performance.timeOrigin")
    context.close()
    return ready_at - started


def summary(times: list[float]) -> dict[str, Any]:
    """Median, min, max and every run, in ms to 1 decimal.

    >>> summary([412.34, 398.0, 455.06])
    {'median_ms': 412.3, 'min_ms': 398.0, 'max_ms': 455.1, 'runs_ms': [412.3, 398.0, 455.1]}
    """
    return {
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "runs_ms": [round(t, 1) for t in times],
    }


def summaries(runs: list[dict[str, float]]) -> dict[str, Any]:
    """:func:`summary` of each timing over the runs.

    >>> summaries([{"load": 300.0}, {"load": 100.0}, {"load": 200.0}])["load"]["median_ms"]
    200.0
    """
    return {key: summary([r[key] for r in runs]) for key in runs[0]}


def run(runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if executable is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    host = HostSite()
    out: dict[str, Any] = {"runs": runs, "cpus": os.cpu_count(), "pages": {}}
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder), frame_ancestors=host.origin)
        with LiveServer(app) as live, sync_playwright() as playwright:
            host.start(live)
            browser = launch_chromium(playwright, executable)
            out["chromium"] = browser.version
            has_embed = fetch(live + "/embed") is not None
            for name, (path, has_map) in PAGES.items():
                if name.startswith("embed") and not has_embed:
                    continue
                times, loaded = measured(browser, live, path, has_map=has_map, runs=runs)
                page_url = (live + path).split("?")[0]
                assets = [u for u in loaded if u.split("?")[0] != page_url]
                out["pages"][name] = {"path": path, **times, **page_weight(live + path, assets)}
            measure = functools.partial(measured, browser, has_map=True, runs=runs)
            out["baselines"] = baselines(measure, live, out["pages"], tiles=TILE_URL)
            if has_embed:
                framed_map_ready_ms(browser, live, host)
                framed = [framed_map_ready_ms(browser, live, host) for _ in range(runs)]
                out["pages"]["embed_search_in_partner_page"] = {
                    "path": "/embed?q=9501 in an iframe on a partner page (another origin)",
                    "map_ready": summary(framed),
                }
            browser.close()
            host.stop()
    out["load_average_1min"] = round(os.getloadavg()[0], 2)  # other work on the machine skews
    return out


def print_table(result: dict[str, Any]) -> None:
    print(
        f"chromium {result['chromium']}, loopback, median of {result['runs']} (cold browser cache); "
        f"{result['cpus']} CPUs, load average {result['load_average_1min']}"
    )
    print(
        "| page | first byte | map ready | DOMContentLoaded | load | HTML | HTML gzip | assets gzip (n) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")

    def ms(p: dict[str, Any], key: str) -> str:
        return f"{p[key]['median_ms']:.0f} ms" if key in p else "–"

    def size(p: dict[str, Any], key: str, extra: str = "") -> str:
        return f"{p[key]:,} B{extra}" if key in p else "–"

    for name, p in result["pages"].items():
        assets = f" ({p['assets']})" if "assets" in p else ""
        print(
            f"| {name} `{p['path']}` | {ms(p, 'first_byte')} | {ms(p, 'map_ready')} | {ms(p, 'dom_ready')} | {ms(p, 'load')} "
            f"| {size(p, 'html_bytes')} | {size(p, 'html_gzip_bytes')} | {size(p, 'assets_gzip_bytes', assets)} |"
        )


def print_baselines(result: dict[str, Any]) -> None:
    """The baselines table: total gzip bytes (HTML + assets) and map ready, ours against them."""
    if not result.get("baselines"):
        return
    print()
    print(
        "| page | places | ours, gzip | naive folium, gzip (assets) | floor, gzip | ours / folium "
        "| ours / floor | map ready: ours | naive folium | ours / folium |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, b in result["baselines"].items():
        naive, floor, r = b["naive_folium"], b["floor"], b["ratios"]
        at_least = "≥ " if naive["lower_bound"] else ""  # a missing asset is not counted
        at_most = "≤ " if naive["lower_bound"] else ""
        missing = f", {len(naive['missing'])} missing" if naive["missing"] else ""
        ours_ms = result["pages"][name].get("map_ready", {}).get("median_ms")
        naive_ms = naive.get("map_ready", {}).get("median_ms")
        print(
            f"| {name} `{result['pages'][name]['path']}` | {b['points']} "
            f"| {b['ours_total_gzip_bytes']:,} B "
            f"| {at_least}{naive['total_gzip_bytes']:,} B ({naive['assets']}{missing}) "
            f"| {floor['total_gzip_bytes']:,} B | {at_most}{r['bytes_vs_folium']:.2f}x "
            f"| {r['bytes_vs_floor']:.2f}x | {ours_ms:.0f} ms | {naive_ms:.0f} ms "
            f"| {r['map_ready_vs_folium']:.2f}x |"
        )
    for name, b in result["baselines"].items():
        for m in b["naive_folium"]["missing"]:
            print(f"\n{name}: naive folium asset not counted ({m['why']}): {m['url']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    result = run(args.runs)
    print_table(result)
    print_baselines(result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
