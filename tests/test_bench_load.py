"""The load script's parts: its doctests, and wrk really sending at the asked rate.

The pacing test runs bench/load.py's wrk script against a tiny local HTTP server: the
achieved rate must follow the target (a broken ``delay()`` sends as fast as it can), and
a 404 must count as an error. Needs wrk (Debian's ``wrk``): skipped without it, unless
``KIK_REQUIRE_BROWSER=1`` (CI, which installs wrk with chromium) makes that a failure.
"""

from __future__ import annotations

import doctest
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def load(bench_module: Callable[[str], ModuleType]) -> ModuleType:
    return bench_module("load")


@pytest.mark.parametrize(("name", "examples"), [("load", 3), ("wrk_pacing", 5)])
def test_doctests(bench_module: Callable[[str], ModuleType], name: str, examples: int) -> None:
    result = doctest.testmod(bench_module(name))
    assert result.attempted >= examples
    assert result.failed == 0


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        status = 404 if self.path.startswith("/missing") else 200
        body = b"{}"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def tiny_server() -> Iterator[str]:
    if not shutil.which("wrk"):
        if os.environ.get("KIK_REQUIRE_BROWSER") == "1":
            pytest.fail("KIK_REQUIRE_BROWSER=1 but wrk is not installed")
        pytest.skip("wrk is not installed")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("rate", [20, 60])
def test_wrk_keeps_to_the_rate(load: ModuleType, tiny_server: str, rate: int) -> None:
    step = load.run_wrk(tiny_server, ["/a", "/b?x=1"], rate, seconds=2)
    assert step["errors"] == 0
    # unpaced, wrk sends thousands of requests a second to this server
    assert 0.7 * rate <= step["achieved_rps"] <= 1.3 * rate, step
    assert load.held(step, p99_ms=1000)


def test_wrk_counts_a_404_as_an_error(load: ModuleType, tiny_server: str) -> None:
    step = load.run_wrk(tiny_server, ["/a", "/missing"], 20, seconds=1)
    assert step["errors"] >= 5
    assert step["error_kinds"]["status"] == step["errors"]
    assert not load.held(step, p99_ms=1000)
