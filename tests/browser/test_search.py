"""The residents' search in a real browser (Debian's chromium), on the shipped data.

One behaviour per test: searching, filtering, keyboard only, "use my location", no
JavaScript, small screens and zoom, the map, console and CSP, and axe-core's WCAG checks.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.harness import MARKERS

EMMEN = {"latitude": 52.7856, "longitude": 6.8973}  # the centre of Emmen
RESULTS = "/zoeken?q=9501"  # more than 12 locations: the map clusters them
FEW_RESULTS = "/zoeken?q=9501&needs=food"  # fewer: single markers
PAGES = pytest.mark.parametrize(
    "path", ["/", RESULTS, "place", "/toegankelijkheid"], ids=["start", "results", "place", "a11y"]
)  # "place": the first result's place page

FOCUS_VISIBLE = """el => {
  // A visible focus indicator: an outline (or box shadow) on the element or on the
  // label/box that wraps it (the need tiles draw their ring with :focus-within).
  if (!el.matches(':focus-visible')) return false;
  for (let node = el, up = 0; node && up < 3; node = node.parentElement, up++) {
    const s = getComputedStyle(node);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) return true;
    if (up === 0 && s.boxShadow !== 'none') return true;
  }
  return false;
}"""

DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  return el ? el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' +
    (el.textContent || el.value || '').trim().slice(0, 40) + '"' : 'nothing';
}"""


def search(page: Any, live_server: str, text: str) -> None:
    """Type in the start page's search field and submit with Enter."""
    page.goto(live_server + "/")
    page.fill("#q", text)
    with page.expect_navigation():
        page.press("#q", "Enter")


def result_places(page: Any) -> list[str]:
    """The place (village) of each result, as the list shows it."""
    return [t.strip() for t in page.locator(".result .where .address").all_inner_texts()]


def first_place_path(page: Any, live_server: str) -> str:
    """The path of the first result's place page, for a search from 9501."""
    page.goto(live_server + RESULTS)
    return page.locator(".result .result-name a").first.get_attribute("href")


def assert_focus_visible(page: Any) -> None:
    focused = page.evaluate_handle("() => document.activeElement")
    assert page.evaluate(FOCUS_VISIBLE, focused), (
        f"no visible focus indicator on {page.evaluate(DESCRIBE_FOCUS)}"
    )


def tab_to(page: Any, selector: str, *, limit: int = 40) -> None:
    """Press Tab until ``selector`` has focus, checking the focus is visible at each stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} Tabs")


# --- searching -----------------------------------------------------------------------------


def test_search_by_postcode_finds_places_around_stadskanaal(page: Any, live_server: str) -> None:
    search(page, live_server, "9501")
    assert "Stadskanaal" in page.inner_text("h1")
    places = result_places(page)
    assert places, "no results for 9501"
    assert places[0].endswith("Stadskanaal"), places[:3]


def test_search_by_village_name_finds_places_in_nieuw_buinen(page: Any, live_server: str) -> None:
    search(page, live_server, "Nieuw-Buinen")
    assert "Nieuw-Buinen" in page.inner_text("h1")
    places = result_places(page)
    assert places and places[0].endswith("Nieuw-Buinen"), places[:3]


def test_filter_by_need_shows_only_places_serving_it(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    page.fill("#q", "9501")
    page.check("#need-food")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert "needs=food" in page.url
    offers = page.locator(".result").evaluate_all(
        "items => items.map(li => (li.querySelector('.offers') || {}).textContent || '')"
    )
    assert offers, "no results for 9501 with food"
    assert all(re.search(r"\beten\b", text, re.IGNORECASE) for text in offers), offers
    page.goto(live_server + RESULTS)
    assert page.locator(".result").count() > len(offers), "the filter left out nothing"


# --- keyboard --------------------------------------------------------------------------------


def test_keyboard_only_from_start_page_to_a_place_page(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("() => document.activeElement.classList.contains('skip-link')")
    assert_focus_visible(page)
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, f"focused skip link is off screen: {box}"
    page.keyboard.press("Enter")  # the skip link moves focus to the main content
    assert page.evaluate("() => document.activeElement.id") == "inhoud"

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "q"
    assert_focus_visible(page)
    page.keyboard.type("9501")
    tab_to(page, "#need-food")
    page.keyboard.press("Space")
    assert page.is_checked("#need-food")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/zoeken" in page.url and "needs=food" in page.url

    page.keyboard.press("Tab")  # the results page's skip link goes to the results
    assert page.evaluate("() => document.activeElement.classList.contains('skip-link')")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "results"
    tab_to(page, ".result-name a", limit=1)
    name = page.evaluate("() => document.activeElement.textContent.trim()")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/plek/" in page.url
    assert page.inner_text("h1").strip() == name


# --- location, no JavaScript ---------------------------------------------------------------


def test_use_my_location_searches_around_the_browser_position(
    browsing: Any, live_server: str
) -> None:
    page = browsing.new_page(geolocation=EMMEN, permissions=["geolocation"])
    page.goto(live_server + "/")
    button = page.locator(".use-location")
    button.wait_for(state="visible")
    with page.expect_navigation():
        button.click()
    assert "lat=52.786" in page.url and "lon=6.897" in page.url  # rounded to ~100 m
    places = result_places(page)
    assert places and places[0].endswith("Emmen"), places[:3]


def test_results_work_without_javascript(browsing: Any, live_server: str) -> None:
    page = browsing.new_page(java_script_enabled=False)
    search(page, live_server, "9501")
    assert "/zoeken?" in page.url
    assert page.locator(".result").count() > 0
    assert page.locator(".result-name a").first.get_attribute("href").startswith("/plek/")


# --- small screens and zoom ------------------------------------------------------------------

OVERFLOWING = """width => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > width + 0.5 && el.getClientRects().length)
  .slice(0, 8)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
       (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\\s+/g, '.') : '') +
       ' right=' + Math.round(el.getBoundingClientRect().right))"""


@PAGES
def test_no_horizontal_scroll_at_320_px(browsing: Any, live_server: str, path: str) -> None:
    page = browsing.new_page(viewport={"width": 320, "height": 640})
    if path == "place":
        path = first_place_path(page, live_server)
    page.goto(live_server + path)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{path} scrolls sideways at 320 px: {page.evaluate(OVERFLOWING, 320)}"


def test_results_list_fits_at_200_percent_zoom(browsing: Any, live_server: str) -> None:
    page = browsing.new_page(viewport={"width": 640, "height": 800})
    page.goto(live_server + RESULTS)
    page.evaluate("() => { document.body.style.zoom = '2'; }")
    sizes = page.evaluate(
        """() => ({page: document.documentElement.scrollWidth,
                   viewport: document.documentElement.clientWidth,
                   list: document.querySelector('#results').scrollWidth,
                   listBox: document.querySelector('#results').clientWidth})"""
    )
    assert sizes["page"] <= sizes["viewport"], sizes
    assert sizes["list"] <= sizes["listBox"], sizes


# --- the map ---------------------------------------------------------------------------------


def test_results_map_gets_its_markers(page: Any, live_server: str) -> None:
    page.goto(live_server + RESULTS)
    page.wait_for_selector(MARKERS)
    assert page.locator(MARKERS).count() > 1


ACCESSIBLE_NAME = """el => (el.getAttribute('aria-label') ||
  (el.getAttribute('aria-labelledby') || '').split(' ').map(id => (document.getElementById(id) || {}).textContent || '').join(' ') ||
  el.getAttribute('alt') || el.getAttribute('title') || (el.querySelector('title') || {}).textContent ||
  el.textContent || '').trim()"""


def tab_into_map(page: Any, selector: str, *, limit: int = 4) -> None:
    """Focus the map, then Tab until ``selector`` (inside the map) has focus."""
    page.focus("#map .leaflet-container")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached from the map with {limit} Tabs")


@pytest.mark.parametrize("path", [RESULTS, FEW_RESULTS], ids=["clustered", "single"])
def test_markers_are_keyboard_focusable_and_named(page: Any, live_server: str, path: str) -> None:
    page.goto(live_server + path)
    page.wait_for_selector(MARKERS)
    markers = page.locator(MARKERS)
    tabindexes = markers.evaluate_all("els => els.map(el => el.tabIndex)")
    names = markers.evaluate_all(f"els => els.map({ACCESSIBLE_NAME})")
    assert tabindexes and all(i >= 0 for i in tabindexes), tabindexes
    assert all(names), names
    tab_into_map(page, MARKERS)
    assert_focus_visible(page)


@pytest.mark.parametrize("path", [FEW_RESULTS, "place"], ids=["results", "place"])
def test_every_tab_stop_in_the_map_is_named_and_visible(
    page: Any, live_server: str, path: str
) -> None:
    if path == "place":
        path = first_place_path(page, live_server)
    page.goto(live_server + path)
    page.wait_for_selector("#map .leaflet-container")
    page.focus("#map .leaflet-container")
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        if not page.evaluate("() => !!document.activeElement.closest('#map')"):
            break
        focused = page.evaluate_handle("() => document.activeElement")
        stops.append((page.evaluate(DESCRIBE_FOCUS), page.evaluate(ACCESSIBLE_NAME, focused),
                      page.evaluate(FOCUS_VISIBLE, focused)))  # fmt: skip
    assert stops, "nothing in the map takes keyboard focus"
    assert all(name for _, name, _ in stops), [s for s in stops if not s[1]]
    assert all(visible for _, _, visible in stops), [s for s in stops if not s[2]]


def test_enter_on_a_marker_opens_a_link_to_the_place(page: Any, live_server: str) -> None:
    page.goto(live_server + FEW_RESULTS)
    page.wait_for_selector(MARKERS)
    tab_into_map(page, MARKERS)
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup a").first
    link.wait_for(state="visible")
    assert link.get_attribute("href").startswith("/plek/")


# --- console, CSP, outside requests ----------------------------------------------------------


@PAGES
def test_no_console_errors_or_csp_violations(browsing: Any, live_server: str, path: str) -> None:
    page = browsing.new_page()
    if path == "place":
        path = first_place_path(page, live_server)
        browsing.console_errors.clear()
    page.goto(live_server + path)
    page.wait_for_load_state("load")
    if path == RESULTS:
        page.wait_for_selector(MARKERS)
    assert not browsing.csp_violations, browsing.csp_violations
    assert not browsing.console_errors, browsing.console_errors


def test_blocked_tile_requests_are_the_only_outside_requests(
    page: Any, live_server: str, requests: list[str]
) -> None:
    page.goto(live_server + RESULTS)
    page.wait_for_selector(MARKERS)
    page.wait_for_load_state("networkidle")
    outside = [u for u in requests if not u.startswith(live_server)]
    assert outside, "the map asked for no tiles at all"
    assert all(u.startswith("https://tiles.invalid/") for u in outside), outside


# --- axe-core ------------------------------------------------------------------------------


@PAGES
def test_axe_finds_no_serious_violations(page: Any, live_server: str, axe: Any, path: str) -> None:
    if path == "place":
        path = first_place_path(page, live_server)
    page.goto(live_server + path)
    if path == RESULTS:
        page.wait_for_selector(MARKERS)
    serious = axe(page)
    assert not serious, "\n".join(serious)
