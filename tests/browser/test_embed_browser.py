"""The embed and its snippet builder in a real browser, beyond tests/browser/test_embed.py:
the builder's live code and copy button (and the same without JavaScript), searching inside
the partner's frame, links that leave the frame, the height limits of embed-host.js, and the
partner's light accent colour turned into readable text.
"""

from __future__ import annotations

from typing import Any

import pytest

from api.i18n import catalogue
from tests.browser.harness import origin

BUILDER = "/partners/insluiten"
FRAME_HEIGHT = "() => document.querySelector('iframe').getBoundingClientRect().height"
POSTED = """origin => window.kikMessages.some(m => m.origin === origin &&
  m.data && m.data.type === 'kik:resize')"""


@pytest.fixture
def allowed_origins(live_server: str, host_server: str) -> set[str]:
    """The partner's page is another origin; both may be loaded here."""
    return {live_server, origin(host_server)}


def partner_frame(page: Any, url: str, live_server: str) -> Any:
    """Open a partner page and return our frame once it has told its height."""
    page.goto(url)
    page.wait_for_function(POSTED, arg=live_server)
    frame = page.frame(url=lambda u: u.startswith(live_server + "/embed"))
    assert frame is not None
    return frame


def test_builder_updates_the_code_and_the_preview_while_choosing(
    page: Any, live_server: str
) -> None:
    page.goto(live_server + BUILDER)
    page.select_option("#gemeente", "GM0037")
    page.check("#need-food")
    page.fill("#accent", "ffd700")
    page.wait_for_function(
        "() => document.querySelector('#snippet').value.includes('gemeente=GM0037&amp;needs=food&amp;accent=ffd700')"
    )
    code = page.input_value("#snippet")
    assert code.startswith(
        f'<iframe src="{live_server}/embed?gemeente=GM0037&amp;needs=food&amp;accent=ffd700"'
    )
    assert code.endswith(f'<script src="{live_server}/static/js/embed-host.js" async></script>')
    src = page.get_attribute("[data-testid=preview]", "src")
    assert src == "/embed?gemeente=GM0037&needs=food&accent=ffd700"
    assert "gemeente=GM0037" in page.url  # the address can be bookmarked or shared


def test_builder_shows_a_wrong_colour_at_once(page: Any, live_server: str) -> None:
    page.goto(live_server + BUILDER)
    page.fill("#accent", "red;}")
    page.wait_for_selector("[data-testid=builder-errors]")
    assert page.locator("#snippet").count() == 0


def test_copy_button_copies_the_code(browsing: Any, live_server: str) -> None:
    page = browsing.new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(live_server + BUILDER + "?gemeente=GM0037")
    page.click(".copy-button")
    page.wait_for_function(
        "text => document.querySelector('.copy-message').textContent === text",
        arg=catalogue("nl")["builder.copied"],
    )
    assert page.evaluate("navigator.clipboard.readText()") == page.input_value("#snippet")


def test_builder_works_without_javascript(browsing: Any, live_server: str) -> None:
    page = browsing.new_page(java_script_enabled=False)
    page.goto(live_server + BUILDER)
    assert page.locator(".copy-button").is_hidden()  # it needs JavaScript, so it is not offered
    page.select_option("#gemeente", "GM0037")
    page.check("input[name=view][value=list]")
    with page.expect_navigation():
        page.click("[data-testid=builder-submit]")
    assert "gemeente=GM0037&amp;view=list" in page.input_value("#snippet")


def test_a_search_inside_the_frame_stays_in_the_frame(
    page: Any, host_server: str, live_server: str
) -> None:
    frame = partner_frame(page, host_server, live_server)
    frame.fill("#q", "9501")
    with frame.expect_navigation():
        frame.press("#q", "Enter")
    assert "q=9501" in frame.url and page.url == host_server  # the partner's page stays
    assert frame.locator(".result").count() > 0


def test_a_place_opens_in_a_new_window(page: Any, host_server: str, live_server: str) -> None:
    frame = partner_frame(page, host_server + "?q=9501", live_server)
    with page.context.expect_page() as opened:
        frame.locator(".result-name a").first.click()
    assert opened.value.url.startswith(live_server + "/plek/")
    assert page.url == host_server + "?q=9501"


def test_host_script_keeps_the_height_within_its_limits(
    page: Any, host_server: str, live_server: str
) -> None:
    frame = partner_frame(page, host_server, live_server)
    frame.evaluate("() => parent.postMessage({type: 'kik:resize', height: 99999}, '*')")
    page.wait_for_function(f"() => ({FRAME_HEIGHT})() === 3000")
    page.evaluate(
        "() => document.querySelector('iframe').setAttribute('data-kik-max-height', '250')"
    )
    frame.evaluate("() => parent.postMessage({type: 'kik:resize', height: 400}, '*')")
    page.wait_for_function(f"() => ({FRAME_HEIGHT})() === 250")


def test_host_script_ignores_messages_that_are_not_a_height(
    page: Any, host_server: str, live_server: str
) -> None:
    frame = partner_frame(page, host_server, live_server)
    before = page.evaluate(FRAME_HEIGHT)
    for data in (
        "'kik:resize'",
        "{type: 'kik:resize', height: 'abc'}",
        "{type: 'other', height: 900}",
    ):
        frame.evaluate(f"() => parent.postMessage({data}, '*')")
    page.evaluate("() => new Promise(r => setTimeout(r, 300))")
    assert page.evaluate(FRAME_HEIGHT) == before


def test_a_light_accent_gets_dark_header_text_and_darker_buttons(
    page: Any, live_server: str
) -> None:
    page.goto(live_server + "/embed?gemeente=GM0037&accent=ffd700")
    header = page.eval_on_selector(
        ".embed-header", "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
    )
    assert header == ["rgb(255, 215, 0)", "rgb(0, 0, 0)"]
    button = page.eval_on_selector(
        ".button-primary", "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
    )
    assert button == ["rgb(138, 116, 0)", "rgb(255, 255, 255)"]  # #8a7400: 4.5:1 or more with white


def test_axe_finds_no_serious_violations_in_the_builder(
    page: Any, live_server: str, axe: Any
) -> None:
    page.goto(live_server + BUILDER + "?gemeente=GM0037&accent=zz")
    serious = axe(page)
    assert not serious, "\n".join(serious)
