"""wrk at a fixed request rate: the Lua script, the run, the verdict and the next rate.

wrk (Debian's) sends as fast as it can; its Lua ``delay()`` makes it send on a schedule
instead: one slot every 1/rate s on a monotonic clock (LuaJIT's FFI ``clock_gettime``),
so requests leave at the target rate whatever the answers take, as long as a connection
is free. ``done()`` prints a one-line JSON summary that :func:`parse_wrk` reads. Used by
bench/load.py; tested in tests/test_bench_load.py against a local server.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import tempfile
from collections.abc import Sequence
from typing import Any

HELD_SHARE = 0.95  # of the target rate, for a step to count as held

# --- wrk ---------------------------------------------------------------------------------

LUA = r"""
-- Kracht in Kaart load mix: fixed-rate sending (one slot every 1/rate s) and a JSON summary.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } kik_timespec;
int clock_gettime(int clk_id, kik_timespec *tp);
]]
local ts = ffi.new("kik_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local paths = {%(paths)s}
local interval = %(interval_ms).6f
local slot = nil
local i = 0

request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end

delay = function()
  local now = now_ms()
  if slot == nil then slot = now end
  local wait = slot - now
  slot = slot + interval
  if wait < 0 then return 0 end
  return wait
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'KIK-RESULT {"duration_us": %%d, "requests": %%d, "bytes": %%d, ' ..
    '"errors": {"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}, ' ..
    '"latency_us": {"min": %%d, "p50": %%d, "p90": %%d, "p99": %%d, "max": %%d, "mean": %%.1f}}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def lua_script(paths: Sequence[str], rate: float) -> str:
    """The wrk script that sends ``paths`` in turn at ``rate`` requests per second."""
    return LUA % {"paths": ", ".join(json.dumps(p) for p in paths), "interval_ms": 1000.0 / rate}


def connections_for(rate: float) -> int:
    """Enough connections that a 250 ms answer does not hold up the schedule.

    >>> connections_for(10), connections_for(80), connections_for(10_000)
    (4, 20, 256)
    """
    return max(4, min(256, math.ceil(rate * 0.25)))


def parse_wrk(stdout: str) -> dict[str, Any]:
    """The summary our ``done()`` printed, in ms and requests/s.

    >>> out = ('Running 5s test\\nKIK-RESULT {"duration_us": 5000000, "requests": 50, "bytes": 9,'
    ...        ' "errors": {"connect": 0, "read": 0, "write": 0, "status": 2, "timeout": 1},'
    ...        ' "latency_us": {"min": 900, "p50": 2000, "p90": 5000, "p99": 9000, "max": 12000,'
    ...        ' "mean": 2500.0}}')
    >>> r = parse_wrk(out)
    >>> r["achieved_rps"], r["errors"], r["p99_ms"]
    (10.0, 3, 9.0)
    """
    for line in stdout.splitlines():
        if line.startswith("KIK-RESULT "):
            raw = json.loads(line[len("KIK-RESULT ") :])
            break
    else:
        raise RuntimeError(f"wrk printed no summary:\n{stdout}")
    lat = {k: v / 1000.0 for k, v in raw["latency_us"].items()}
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"], "seconds": seconds,
        "achieved_rps": raw["requests"] / seconds if seconds else 0.0,
        "errors": sum(raw["errors"].values()), "error_kinds": raw["errors"],
        "p50_ms": lat["p50"], "p90_ms": lat["p90"], "p99_ms": lat["p99"],
        "max_ms": lat["max"], "mean_ms": lat["mean"], "bytes": raw["bytes"],
    }  # fmt: skip


def run_wrk(base: str, paths: Sequence[str], rate: float, seconds: float) -> dict[str, Any]:
    """One step: ``rate`` requests/s for ``seconds`` (wrk, one thread)."""
    conns = connections_for(rate)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua_script(paths, rate))
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{conns}", f"-d{max(1, round(seconds))}s", "--timeout", "5s",
             "-s", f.name, base],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout  # fmt: skip
    finally:
        os.unlink(f.name)
    return {"target_rps": rate, "connections": conns, **parse_wrk(out)}


# --- the steps ---------------------------------------------------------------------------


def held(step: dict[str, Any], p99_ms: float) -> bool:
    """No error, p99 within the limit and at least 95 % of the target rate achieved.

    >>> held({"errors": 0, "p99_ms": 80, "achieved_rps": 39.5, "target_rps": 40}, 100)
    True
    >>> held({"errors": 1, "p99_ms": 8, "achieved_rps": 40, "target_rps": 40}, 100)
    False
    >>> held({"errors": 0, "p99_ms": 8, "achieved_rps": 30, "target_rps": 40}, 100)
    False
    """
    return (
        step["errors"] == 0
        and step["p99_ms"] <= p99_ms
        and step["achieved_rps"] >= HELD_SHARE * step["target_rps"]
    )


def next_rate(
    history: Sequence[tuple[float, bool]], *, start: float, refinements: int
) -> float | None:
    """The next rate to try: doubling while every step held, then bisection; None when done.

    >>> next_rate([], start=10, refinements=2)
    10
    >>> next_rate([(10, True), (20, True)], start=10, refinements=2)
    40
    >>> next_rate([(10, True), (20, True), (40, False)], start=10, refinements=2)
    30
    >>> next_rate([(10, True), (20, True), (40, False), (30, True)], start=10, refinements=2)
    35
    >>> next_rate([(10, True), (20, True), (40, False), (30, True), (35, False)], start=10, refinements=2)
    """
    if not history:
        return start
    failed = [r for r, ok in history if not ok]
    if not failed:
        return history[-1][0] * 2
    first_fail = history.index((failed[0], False))
    if len(history) - 1 - first_fail >= refinements:
        return None
    best = max((r for r, ok in history if ok), default=None)
    low = best if best is not None else 0
    high = min(failed)
    if high - low <= 1:
        return None
    return round((low + high) / 2)
