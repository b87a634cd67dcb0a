"""Real-browser fixtures: the app on a live port, a partner site on another, Debian's chromium.

Every test here is marked ``browser``. Without chromium (``/usr/bin/chromium`` or
``chromium`` on the PATH) the tests are skipped — unless ``KIK_REQUIRE_BROWSER=1`` (set by
``.ci/run``), then they fail, so CI cannot pass without running them.

Each pytest-xdist worker starts its own servers and browser (session fixtures are per
process) on free ports. Every page is opened in a fresh browser context (no profile kept)
that aborts requests to any origin but ours; after the test, any request that went to
another host — map tiles from ``tiles.invalid`` excepted — fails the test.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:  # pytest runs with --import-mode=importlib
    sys.path.insert(0, str(ROOT))

from tests.browser.harness import (  # noqa: E402
    MAP_READY_SCRIPT,
    HostSite,
    LiveServer,
    block_outside,
    find_chromium,
    is_tile,
    launch_chromium,
    make_app,
    origin,
    run_axe,
)

REQUIRE_BROWSER = os.environ.get("KIK_REQUIRE_BROWSER") == "1"
SERIOUS = ("serious", "critical")


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if find_chromium() is None:
        return "chromium is not installed (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing()
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        item.add_marker(pytest.mark.browser)
        if reason and not REQUIRE_BROWSER:
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


# --- browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, once per worker."""
    reason = _missing()
    if reason:
        if REQUIRE_BROWSER:
            pytest.fail(f"KIK_REQUIRE_BROWSER=1 but {reason}: the browser tests cannot run")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, find_chromium() or "")
        yield chromium
        chromium.close()


# --- servers -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _host_site() -> HostSite:
    """The partner site's socket, bound early: its origin goes into our frame_ancestors."""
    return HostSite()


@pytest.fixture(scope="session")
def live_server(
    browser: Any, _host_site: HostSite, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Our app with the shipped data on 127.0.0.1 and a free port; yields the base URL.

    Map tiles point at ``tiles.invalid`` (recognisable, and blocked by every page);
    ``/embed`` may be framed by the partner site of :func:`host_server` only.
    """
    app = make_app(tmp_path_factory.mktemp("live"), frame_ancestors=_host_site.origin)
    with LiveServer(app) as url:
        yield url


@pytest.fixture(scope="session")
def host_server(live_server: str, _host_site: HostSite) -> Iterator[str]:
    """A partner's page on another port (another origin) with our snippet: an iframe on
    ``{live}/embed`` and ``{live}/static/js/embed-host.js``; yields its URL."""
    yield _host_site.start(live_server)
    _host_site.stop()


@pytest.fixture
def allowed_origins(live_server: str) -> set[str]:
    """The origins a page may load from (map tiles aside): ours only. Override per module."""
    return {live_server}


# --- pages -------------------------------------------------------------------------------


@dataclass
class Browsing:
    """What one test did in the browser: every request, what was blocked, what went wrong."""

    browser: Any
    allowed: set[str]
    requests: list[str] = field(default_factory=list)  # and URLs the CSP refused
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    contexts: list[Any] = field(default_factory=list)

    def new_page(self, **context_options: Any) -> Any:
        """A page in a fresh context (Playwright's ``new_context`` options, e.g. viewport)."""
        context_options.setdefault("locale", "nl-NL")  # Dutch first, as residents see it
        context = self.browser.new_context(**context_options)
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        context.on("request", lambda request: self.requests.append(request.url))
        block_outside(context, self.allowed, self.blocked)
        context.expose_function("__kikCsp", self._csp)
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => window.__kikCsp("
            "e.violatedDirective, e.blockedURI || 'inline', e.documentURI));"
        )
        context.add_init_script(MAP_READY_SCRIPT)
        page = context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        return page

    def _csp(self, directive: str, blocked: str, document: str) -> None:
        self.csp_violations.append(f"{directive} blocked {blocked} on {document}")
        if blocked.startswith(("http://", "https://")):
            self.requests.append(blocked)  # an attempt counts: the CSP is a second line only

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        if is_tile(where):  # a blocked tile image: expected, tiles are blocked in tests
            return
        self.console_errors.append(f"{message.text} ({where})")

    def outside_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if url.startswith(("http://", "https://"))
            and origin(url) not in self.allowed
            and not is_tile(url)
        ]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(browser: Any, allowed_origins: set[str]) -> Iterator[Browsing]:
    """Opens pages for one test; afterwards checks that no page went to an outside host."""
    session = Browsing(browser, allowed_origins)
    yield session
    session.close()
    outside = session.outside_requests()
    assert not outside, (
        "a page made requests to outside hosts (only map tiles may leave our origin): "
        + json.dumps(sorted(set(outside)), indent=1)
    )


@pytest.fixture
def page(browsing: Browsing) -> Any:
    """A fresh page (fresh context: no cookies, no cache, no profile)."""
    return browsing.new_page()


@pytest.fixture
def requests(browsing: Browsing) -> list[str]:
    """Every request URL the test's pages made, in order: tiles, blocked ones and URLs the
    CSP refused included."""
    return browsing.requests


@pytest.fixture
def axe(live_server: str) -> Callable[[Any], list[str]]:
    """``axe(page)``: run axe-core (WCAG 2.0/2.1 A + AA) on the page.

    Returns the serious and critical violations, one line each (rule, impact, help,
    elements); prints the minor and moderate ones so they show up with ``-s`` or on failure.
    """

    def check(page: Any) -> list[str]:
        violations = run_axe(page, live_server)
        serious, other = [], []
        for v in violations:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:6]]
            line = f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])}x: {targets}"
            (serious if v["impact"] in SERIOUS else other).append(line)
        for line in other:
            print(f"axe, less than serious on {page.url}: {line}")
        return serious

    return check


def embed_missing(live_server: str) -> bool:
    """True while /embed is not built yet (answers 404)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(live_server + "/embed", timeout=10):
            return False
    except urllib.error.HTTPError as exc:
        return exc.code == 404


@pytest.fixture
def embed_url(live_server: str) -> str:
    """The URL of /embed; the test is an xfail (not strict) while /embed answers 404."""
    if embed_missing(live_server):
        pytest.xfail("embed not built yet")
    return live_server + "/embed"
