"""The network page (/netwerk) in a real browser (Debian's chromium), on the shipped data.

One behaviour per test: the picture is drawn and agrees with the table, the year slider
changes the picture, a click on an organisation opens its page, hover shows its
partners, sorting by a column header, and axe-core's WCAG checks on every network page.
"""

from __future__ import annotations

from typing import Any

import pytest

READY = '#netwerk-graph[data-ready="true"]'
NETWORK_PAGES = pytest.mark.parametrize(
    "path",
    ["/netwerk", "/netwerk/rapport", "/netwerk/organisatie/movisie", "/netwerk/kaart"],
)


def open_network(page: Any, live_server: str, query: str = "") -> None:
    page.goto(live_server + "/netwerk" + query)
    page.wait_for_selector(READY)


def node_count(page: Any) -> int:
    return int(page.get_attribute("#netwerk-graph", "data-node-count"))


def table_rows(page: Any) -> int:
    return page.locator("#netwerk-tabel tbody tr[data-id]").count()


def set_year(page: Any, year: int) -> None:
    """Move the slider as a person would: its value changes and it fires ``input``."""
    page.eval_on_selector(
        "#jaar",
        "(el, year) => { el.value = String(year); el.dispatchEvent(new Event('input', {bubbles: true})); }",
        year,
    )


BUSIEST_NODE = """() => {
  const node = window.kikNetwerk.cy.nodes().max(n => n.degree()).ele;
  const box = document.querySelector('#netwerk-graph').getBoundingClientRect();
  const p = node.renderedPosition();
  return {x: box.left + p.x, y: box.top + p.y, slug: node.data('slug'), name: node.data('name'),
          id: node.id()};
}"""


def busiest_node_on_screen(page: Any) -> dict:
    """Scroll the picture into view and give the screen position of the busiest organisation.

    Cytoscape learns of a scroll from the scroll event, a frame later: wait for it, as a
    person's next mouse move would.
    """
    page.locator("#netwerk-graph").scroll_into_view_if_needed()
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate(BUSIEST_NODE)


def test_the_picture_is_drawn_and_agrees_with_the_table(page: Any, live_server: str) -> None:
    open_network(page, live_server)
    drawn = page.evaluate(
        "() => window.kikNetwerk.ready.then(() => window.kikNetwerk.cy.nodes().length)"
    )
    assert drawn == node_count(page) == table_rows(page) > 50
    edges = page.evaluate("() => window.kikNetwerk.cy.edges().length")
    assert edges == int(page.get_attribute("#netwerk-graph", "data-edge-count")) > 100


def test_the_year_slider_changes_the_picture(page: Any, live_server: str) -> None:
    open_network(page, live_server)
    all_years = (node_count(page), page.evaluate("() => window.kikNetwerk.cy.edges().length"))
    set_year(page, 2017)
    page.wait_for_function(
        "n => document.querySelector('#netwerk-graph').dataset.ready === 'true' && "
        "window.kikNetwerk.cy.edges().length !== n",
        arg=all_years[1],
    )
    assert page.input_value("#jaar") == "2017" and page.text_content("#jaar-output") == "2017"
    assert not page.is_checked("#alle-jaren")
    in_2017 = (node_count(page), page.evaluate("() => window.kikNetwerk.cy.edges().length"))
    assert in_2017 != all_years and in_2017[1] < all_years[1]
    assert table_rows(page) == in_2017[0]
    assert "year=2017" in page.url  # a reload shows the same choice


def test_clicking_an_organisation_opens_its_page(page: Any, live_server: str) -> None:
    open_network(page, live_server)
    target = busiest_node_on_screen(page)
    with page.expect_navigation():
        page.mouse.click(target["x"], target["y"])
    assert f"/netwerk/organisatie/{target['slug']}" in page.url
    assert page.locator("h1").inner_text()


def test_hover_shows_the_organisation_and_its_partners(page: Any, live_server: str) -> None:
    open_network(page, live_server)
    target = busiest_node_on_screen(page)
    page.mouse.move(target["x"], target["y"])
    page.wait_for_selector("#netwerk-tip:not([hidden])")
    assert target["name"] in page.text_content("#netwerk-tip")
    assert page.evaluate("() => window.kikNetwerk.cy.$('.faded').length") > 0
    assert page.locator(f'#netwerk-tabel tr.is-focus[data-id="{target["id"]}"]').count() == 1


def test_a_column_header_sorts_the_table_in_place(page: Any, live_server: str) -> None:
    open_network(page, live_server)
    url = page.url
    page.click('#netwerk-tabel th[data-key="name"] button')
    header = page.locator('#netwerk-tabel th[data-key="name"]')
    assert header.get_attribute("aria-sort") == "ascending"
    names = page.locator("#netwerk-tabel tbody th").all_inner_texts()
    assert names == sorted(names, key=lambda n: n.replace(" partner", "").casefold())
    assert page.locator("#netwerk-tabel th[aria-sort]").count() == 1
    page.click('#netwerk-tabel th[data-key="name"] button')
    assert header.get_attribute("aria-sort") == "descending"
    assert page.url != url and "sort=-name" in page.url  # no reload, but remembered


def test_without_javascript_the_table_and_figures_are_there(
    browsing: Any, live_server: str
) -> None:
    page = browsing.new_page(java_script_enabled=False)
    page.goto(live_server + "/netwerk?year=2018")
    assert page.locator("#netwerk-tabel tbody tr").count() > 20
    assert page.locator('[data-figure="nodes"]').inner_text().strip().isdigit()
    with page.expect_navigation():
        page.click('#netwerk-tabel th[data-key="name"] button')
    assert "sort=name" in page.url and "year=2018" in page.url


@NETWORK_PAGES
def test_no_console_errors_or_csp_violations(browsing: Any, live_server: str, path: str) -> None:
    page = browsing.new_page()
    page.goto(live_server + path)
    page.wait_for_load_state("load")
    if path == "/netwerk":
        page.wait_for_selector(READY)
    assert not browsing.csp_violations, browsing.csp_violations
    assert not browsing.console_errors, browsing.console_errors


@NETWORK_PAGES
def test_axe_finds_no_serious_violations(page: Any, live_server: str, axe: Any, path: str) -> None:
    page.goto(live_server + path)
    if path == "/netwerk":
        page.wait_for_selector(READY)
    serious = axe(page)
    assert not serious, "\n".join(serious)
