"""What the browser tests and ``bench/bench_pages.py`` share: servers, the browser, blocking.

- :class:`LiveServer` serves the app with uvicorn in a thread on 127.0.0.1 and a free port.
- :class:`HostSite` is a partner's site on another port (so another origin) that frames
  our ``/embed`` and loads our ``/static/js/embed-host.js``, as a partner would.
- :func:`launch_chromium` starts Debian's chromium (Playwright's own browsers are never
  downloaded) with the flags that keep it from calling outside hosts by itself.
- :func:`block_outside` aborts every request that does not go to an allowed origin and
  records it, so a test can assert that a page makes no outside requests.

Playwright is imported inside the functions only: collecting this module (doctests) must
work where Playwright is not installed.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from fastapi import FastAPI
    from playwright.sync_api import Browser, BrowserContext, Playwright

TILE_HOST = "tiles.invalid"
TILE_URL = f"https://{TILE_HOST}/{{z}}/{{x}}/{{y}}.png"  # https as in production; never resolvable
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",  # without these chromium calls Google's hosts itself
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = "/static/vendor/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MARKERS = ".leaflet-marker-icon"  # single markers and cluster icons alike


def find_chromium() -> str | None:
    """Debian's chromium: ``/usr/bin/chromium``, else ``chromium`` on the PATH."""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def origin(url: str) -> str:
    """``scheme://host:port`` of a URL.

    >>> origin("http://127.0.0.1:8123/zoeken?q=9501")
    'http://127.0.0.1:8123'
    """
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def is_tile(url: str) -> bool:
    """A request for a map tile (the one kind of outside request a page may make).

    >>> is_tile("http://tiles.invalid/12/2140/1357.png"), is_tile("https://cdn.example/x.js")
    (True, False)
    """
    return urlsplit(url).hostname == TILE_HOST


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def make_app(folder: Path, *, frame_ancestors: str = "'self'") -> FastAPI:
    """The service on a fresh SQLite file in ``folder``, filled with the shipped data."""
    from api.app import create_app
    from api.settings import Settings

    return create_app(
        Settings(
            database_url=f"sqlite:///{folder / 'kik.sqlite3'}",
            load_shipped_data=True,
            tile_url=TILE_URL,
            frame_ancestors=frame_ancestors,
        )
    )


class LiveServer:
    """An ASGI app served by uvicorn in a daemon thread; ``url`` once started."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self._socket = _free_socket()
        port = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True, name="uvicorn"
        )
        self.url = f"http://127.0.0.1:{port}"

    def start(self, timeout: float = 120.0) -> str:
        """Start and wait until the app has started (lifespan done: data loaded)."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("uvicorn stopped while starting (see the log above)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start within {timeout:.0f} s")
            time.sleep(0.05)
        return self.url

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._socket.close()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


HOST_PAGE = """<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bibliotheek Voorbeeld – hulp in de buurt</title>
<script>
  // The test reads what the frame told this page: every message, with its origin.
  window.kikMessages = [];
  window.addEventListener("message", function (e) {{
    window.kikMessages.push({{origin: e.origin, data: e.data}});
  }});
</script>
</head>
<body>
<h1>Hulp in de buurt</h1>
<p>Een partnersite met de kaart van Kracht in Kaart.</p>
{snippet}
<p>Na de kaart.</p>
</body>
</html>
"""


class HostSite:
    """A partner's site on its own port: ``/`` holds the snippet our builder hands out
    (:func:`kaart.embed.snippet`: the iframe on ``{live}/embed`` and our embed-host.js);
    ``/?q=9501`` the snippet of an embed opened on that search; ``/?script=0`` the iframe
    without embed-host.js (for a test that adds the script later, as a tag manager would).

    The socket is bound at construction, so :attr:`origin` is known before the live
    server starts (it goes into the live server's ``frame_ancestors``).
    """

    def __init__(self) -> None:
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                if parts.path != "/":
                    self.send_error(404)
                    return
                query = parse_qs(parts.query)
                page = site.page(query.get("q", [""])[0], script=query.get("script") != ["0"])
                body = page.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.url = self.origin + "/"
        self.live = ""
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True, name="host")

    def page(self, q: str = "", *, script: bool = True) -> str:
        """The partner page; ``q`` (``/?q=9501``) opens the embed on that search; without
        ``script`` (``/?script=0``) the snippet's script tag is left out."""
        from kaart.embed import EmbedOptions, snippet

        code = snippet(self.live, EmbedOptions(q=q), title="Kracht in Kaart: hulp in de buurt")
        if not script:
            code = re.sub(r"<script [^>]*></script>", "", code)
        return HOST_PAGE.format(snippet=code)

    def start(self, live: str) -> str:
        self.live = live
        self._thread.start()
        return self.url

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)


def launch_chromium(playwright: Playwright, executable: str) -> Browser:
    """Headless Debian chromium with the flags that keep it offline by itself."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


def block_outside(context: BrowserContext, allowed: set[str], blocked: list[str]) -> None:
    """Abort every http(s) request to an origin not in ``allowed``; record it in ``blocked``."""

    def handle(route: Any) -> None:
        url = route.request.url
        if not url.startswith(("http://", "https://")) or origin(url) in allowed:
            route.continue_()
        else:
            blocked.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", handle)


def run_axe(page: Any, base_url: str, *, tags: list[str] | None = None) -> list[dict]:
    """Inject the vendored axe-core (from our own origin: the CSP allows 'self') and run it.

    Returns axe's violations for the WCAG 2.0/2.1 A and AA rules.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=base_url + AXE_JS)
    return page.evaluate(
        "async (tags) => (await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})).violations",
        tags or AXE_TAGS,
    )


MAP_READY_SCRIPT = """
(() => {
  // The moment the first map marker (or cluster icon) is in the page, in ms since navigation.
  const seen = () => {
    if (window.__kikMapReady === undefined && document.querySelector('.leaflet-marker-icon')) {
      window.__kikMapReady = performance.now();
      return true;
    }
    return false;
  };
  if (!seen()) {
    const observer = new MutationObserver(() => { if (seen()) observer.disconnect(); });
    observer.observe(document, {childList: true, subtree: true});
  }
})();
"""
