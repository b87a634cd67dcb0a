"""The embed on a partner's site: our /embed in an iframe on another origin, resized by
``/static/js/embed-host.js`` when the frame posts ``{type: "kik:resize", height}``.

Each test is an xfail while /embed answers 404 (it is being built); from the moment it
exists they test it for real.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.harness import MARKERS, is_tile, origin

FRAME = "iframe"  # the snippet's iframe, the only one on the partner page
SEARCH = "?q=9501"  # the embed opened on a search: list and map
LIMITS = (200, 3000)  # embed-host.js keeps a frame between these heights (px)
RESIZED_BY = """origin => window.kikMessages.some(m => m.origin === origin &&
  m.data && m.data.type === 'kik:resize')"""
LAST_HEIGHT = """origin => window.kikMessages.filter(m => m.origin === origin &&
  m.data && m.data.type === 'kik:resize').pop().data.height"""
FRAME_HEIGHT = "sel => document.querySelector(sel).getBoundingClientRect().height"
HOST_SCRIPT = "/static/js/embed-host.js"  # on the partner's page, next to our frame


@pytest.fixture
def allowed_origins(live_server: str, host_server: str) -> set[str]:
    """Here pages may also load the partner's own page (another origin, ours in the test)."""
    return {live_server, origin(host_server)}


def open_partner_page(page: Any, host_server: str, live_server: str, query: str = "") -> Any:
    """The partner's page, once our frame has told it its height; returns the frame."""
    page.goto(host_server + query)
    page.wait_for_function(RESIZED_BY, arg=live_server)
    frame = page.frame(url=lambda url: url.startswith(live_server + "/embed"))
    assert frame is not None, [f.url for f in page.frames]
    return frame


def wait_for_frame_height(page: Any, height: float) -> None:
    """Wait until our frame on the partner page is ``height`` px tall (within 2 px)."""
    page.wait_for_function(
        "([sel, h]) => Math.abs(document.querySelector(sel).getBoundingClientRect().height - h) <= 2",
        arg=[FRAME, height],
    )


def test_embed_shows_inside_a_partner_page_on_another_origin(
    embed_url: str, page: Any, host_server: str, live_server: str
) -> None:
    assert origin(host_server) != live_server
    frame = open_partner_page(page, host_server, live_server)
    assert frame.locator("form, .result, .leaflet-container").count() > 0
    assert frame.locator("body").inner_text().strip()


def test_iframe_is_resized_to_the_height_the_frame_posts(
    embed_url: str, page: Any, host_server: str, live_server: str
) -> None:
    open_partner_page(page, host_server, live_server)
    posted = page.evaluate(LAST_HEIGHT, live_server)
    assert isinstance(posted, int | float) and posted > 0, posted
    expected = min(max(posted, LIMITS[0]), LIMITS[1])
    wait_for_frame_height(page, expected)


def test_resize_message_from_another_origin_is_ignored(
    embed_url: str, page: Any, host_server: str, live_server: str
) -> None:
    open_partner_page(page, host_server, live_server)
    posted = min(max(page.evaluate(LAST_HEIGHT, live_server), LIMITS[0]), LIMITS[1])
    wait_for_frame_height(page, posted)
    before = page.evaluate(FRAME_HEIGHT, FRAME)
    fake = 1500 if abs(posted - 1500) > 10 else 900  # within the limits: would show if taken
    page.evaluate("h => window.postMessage({type: 'kik:resize', height: h}, '*')", fake)
    page.wait_for_function(  # delivered: every listener on the page has seen it
        "h => window.kikMessages.some(m => m.data && m.data.height === h)", arg=fake
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 200)))")
    assert page.evaluate(FRAME_HEIGHT, FRAME) == before


def _partner_page_with_script_held_back(
    page: Any, host_server: str, live_server: str
) -> Callable[[], object]:
    """The partner's page as handed out, our host script's answer held back by the network."""
    held: list[Any] = []
    page.route(live_server + HOST_SCRIPT, lambda route: held.append(route))  # unanswered for now
    page.goto(host_server, wait_until="domcontentloaded")  # "load" waits for the script
    page.wait_for_function(RESIZED_BY, arg=live_server)
    return lambda: held[0].fallback()  # on to the context's routing, which lets it through


def _partner_page_with_script_added_after_load(
    page: Any, host_server: str, live_server: str
) -> Callable[[], object]:
    """The partner's page without our script tag; the script is added once the page has loaded."""
    page.goto(host_server + "?script=0")  # the frame has loaded, and told its height to nobody
    page.wait_for_function(RESIZED_BY, arg=live_server)
    return lambda: page.add_script_tag(url=live_server + HOST_SCRIPT)


@pytest.mark.parametrize(
    "late",
    [_partner_page_with_script_held_back, _partner_page_with_script_added_after_load],
    ids=["slow-script", "script-added-after-load"],
)
def test_host_script_loaded_after_the_frame_reported_still_resizes_it(
    embed_url: str, page: Any, host_server: str, live_server: str, late: Any
) -> None:
    release = late(page, host_server, live_server)
    frame = page.frame(url=lambda url: url.startswith(live_server + "/embed"))
    assert frame is not None, [f.url for f in page.frames]
    frame.wait_for_load_state("networkidle")  # settled: it will not report again by itself
    default = int(page.get_attribute(FRAME, "height"))
    posted = page.evaluate(LAST_HEIGHT, live_server)
    expected = min(max(posted, LIMITS[0]), LIMITS[1])
    assert abs(expected - default) > 2, "the content is as tall as the default: nothing to see"
    assert page.evaluate("() => window.kikEmbedHost") is None  # the host script is not there yet
    assert page.evaluate(FRAME_HEIGHT, FRAME) == default
    release()
    wait_for_frame_height(page, expected)


def test_embed_search_shows_its_map_inside_the_partner_page(
    embed_url: str, page: Any, host_server: str, live_server: str
) -> None:
    frame = open_partner_page(page, host_server, live_server, SEARCH)
    frame.wait_for_selector(MARKERS)
    assert frame.locator(".result").count() > 0


@pytest.mark.parametrize("query", ["", SEARCH], ids=["start", "search"])
def test_embed_makes_no_outside_requests(
    embed_url: str, page: Any, requests: list[str], live_server: str, query: str
) -> None:
    page.goto(embed_url + query)
    page.wait_for_load_state("networkidle")
    assert requests and requests[0].startswith(embed_url)
    outside = [u for u in requests if origin(u) != live_server and not is_tile(u)]
    assert not outside, outside


@pytest.mark.parametrize("query", ["", SEARCH], ids=["start", "search"])
def test_embed_has_no_console_errors_or_csp_violations(
    embed_url: str, browsing: Any, host_server: str, live_server: str, query: str
) -> None:
    page = browsing.new_page()
    frame = open_partner_page(page, host_server, live_server, query)
    page.wait_for_load_state("load")
    if query:
        frame.wait_for_selector(MARKERS)
    assert not browsing.csp_violations, browsing.csp_violations
    assert not browsing.console_errors, browsing.console_errors


@pytest.mark.parametrize("query", ["", SEARCH], ids=["start", "search"])
def test_axe_finds_no_serious_violations_in_the_embed(
    embed_url: str, page: Any, axe: Any, query: str
) -> None:
    page.goto(embed_url + query)
    if query:
        page.wait_for_selector(MARKERS)
    serious = axe(page)
    assert not serious, "\n".join(serious)
