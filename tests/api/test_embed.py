"""The embed for partner websites through TestClient, on the shipped data (the ``client`` fixture).

/embed in an iframe, the snippet builder, oEmbed and its discovery links, the headers that
make framing safe, and the language switch that keeps the query.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from api.i18n import catalogue
from api.security import tile_origin
from data.snapshot import load_places
from kaart.embed import contrast_ratio

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "api" / "templates"
BASE = "http://testserver"
STADSKANAAL = "/embed?gemeente=Stadskanaal"
RICH_REQUIRED = {"version", "type", "html", "width", "height"}
PAGES = [
    "/embed",
    STADSKANAAL,
    "/embed?gemeente=GM0037&view=map&accent=ffd700&lang=en",
    "/embed?lat=53.22&lon=6.57&zoom=14&needs=food",
    "/embed?q=9501&gemeente=GM0037",
    "/embed?q=Stadskanaa",  # a place we do not know: 422 page with suggestions
    "/embed?accent=red;}body{",  # a wrong configuration: 422 page
    "/partners/insluiten",
    "/partners/insluiten?gemeente=GM0037&needs=food&accent=zz",
    "/oembed?url=http://testserver/&format=json",
    "/",
    "/zoeken?q=9501",
]


@pytest.fixture(scope="module")
def places(client) -> list:  # type: ignore[no-untyped-def]
    with client.app.state.db.sessions() as session:
        return list(load_places(session).places)


@pytest.fixture(scope="module")
def stadskanaal(places) -> set[str]:  # type: ignore[no-untyped-def]
    """Slugs of the places located in, or serving, gemeente Stadskanaal."""
    return {p.slug for p in places if "GM0037" in (p.gemeente_code, *p.service_area)}


def listed(html: str) -> list[str]:
    """The slugs of the places in the result list (not the help by phone or online)."""
    found = re.search(r'<ol id="results".*?</ol>', html, re.S)
    return re.findall(r'data-testid="result" data-slug="([^"]+)"', found[0]) if found else []


def tags(html: str) -> list[str]:
    return re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html)


# --- the embed -----------------------------------------------------------------------------


@pytest.mark.parametrize("gemeente", ["Stadskanaal", "GM0037", "stadskanaal"])
def test_embed_for_a_gemeente_shows_its_places(client, stadskanaal, gemeente: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/embed?gemeente={gemeente}")
    assert response.status_code == 200
    found = listed(response.text)
    assert "bibliotheek-stadskanaal-stadskanaal" in found
    assert found and set(found) <= stadskanaal, set(found) - stadskanaal
    assert "gemeente Stadskanaal" in response.text


def test_gemeente_embed_shows_no_distance_to_the_middle_of_the_gemeente(client) -> None:  # type: ignore[no-untyped-def]
    assert 'class="distance"' not in client.get(STADSKANAAL).text


def test_embed_with_preset_needs_lists_only_that_help(client, places) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/embed?lat=53.219&lon=6.566&needs=food&view=list").text
    needs = {p.slug: p.needs for p in places}
    found = listed(html)
    assert found and all("food" in needs[s] for s in found)
    assert 'name="needs" value="food"' in html  # kept when the visitor searches


def test_the_visitor_searches_inside_the_frame_and_keeps_the_configuration(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/embed?gemeente=GM0037&accent=0b5e7e&view=list&q=9501").text
    form = re.search(r'<form class="embed-search".*?</form>', html, re.S)[0]
    assert 'action="/embed"' in form and 'target="_self"' in form
    for hidden in (
        'name="gemeente" value="GM0037"',
        'name="accent" value="0b5e7e"',
        'name="view" value="list"',
    ):
        assert hidden in form
    assert 'value="9501"' in form
    assert "Stadskanaal" in re.search(r'data-testid="search-point">([^<]*)', html)[1]
    assert 'class="distance"' in html  # a typed search lists by distance


def test_embed_without_a_place_asks_for_one(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/embed").text
    assert 'id="q"' in html and not listed(html)
    assert catalogue("nl")["embed.start_hint"] in html


def test_unknown_place_is_a_page_inside_the_frame_with_suggestions(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/embed?q=Stadskanaa&view=list&accent=0b5e7e")
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert (
        'href="/embed?view=list&amp;accent=0b5e7e&amp;q=Stadskanaal" target="_self"'
        in response.text
    )


@pytest.mark.parametrize(
    ("view", "list_shown", "map_shown"),
    [("list", True, False), ("map", False, True), ("both", True, True)],
)
def test_view_chooses_list_map_or_both(
    client, view: str, list_shown: bool, map_shown: bool
) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"/embed?gemeente=GM0037&view={view}").text
    assert ('class="results-list"' in html) == list_shown
    assert ('data-testid="map"' in html) == map_shown
    assert ("leaflet.js" in html) == map_shown  # a list-only embed loads no map code
    if view == "map":  # the places stay available as text
        assert '<details class="embed-list">' in html and listed(html)


def test_links_open_the_full_site_in_a_new_window_with_the_same_search(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/embed?gemeente=GM0037&needs=food&lang=en").text
    assert '<base target="_blank">' in html  # place links, popups, phone and web links
    link = re.search(
        r'<a href="([^"]+)" target="_blank" rel="noopener" data-testid="site-link">', html
    )
    assert link and parse_qs(urlsplit(link[1].replace("&amp;", "&")).query) == {
        "q": ["Stadskanaal (gemeente)"], "needs": ["food"], "lang": ["en"]
    }  # fmt: skip


def test_embed_is_small(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get(STADSKANAAL).content
    assert len(gzip.compress(body)) < 8_000


def test_configured_embed_may_be_cached_but_a_visitors_search_not(client) -> None:  # type: ignore[no-untyped-def]
    max_age = client.app.state.settings.cache_max_age
    assert client.get(STADSKANAAL).headers["cache-control"] == f"public, max-age={max_age}"
    assert "cache-control" not in client.get(STADSKANAAL + "&q=9501").headers


def test_a_cached_embed_in_the_visitors_language_varies_by_language(client) -> None:  # type: ignore[no-untyped-def]
    vary = [v.strip() for v in client.get(STADSKANAAL).headers["vary"].split(",")]
    assert "Accept-Language" in vary  # (and Accept-Encoding, for gzip)
    fixed = client.get(STADSKANAAL + "&lang=en").headers.get("vary", "")
    assert "Accept-Language" not in fixed  # the language is in the URL
    english = client.get(STADSKANAAL, headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert catalogue("en")["embed.heading"] in english


# --- the partner's colour ------------------------------------------------------------------------


def style_vars(html: str) -> dict[str, str]:
    style = re.search(r"<style>:root\{([^}]*)\}</style>", html)[1]
    return dict(part.split(":", 1) for part in style.split(";") if part)


def test_a_dark_accent_colour_is_used_with_white_text(client) -> None:  # type: ignore[no-untyped-def]
    found = style_vars(client.get(STADSKANAAL + "&accent=0b5e7e").text)
    assert found["--accent"] == found["--brand"] == "#0b5e7e"
    assert found["--on-brand"] == "#ffffff"


def test_a_light_accent_colour_gets_dark_text_and_darker_links(client) -> None:  # type: ignore[no-untyped-def]
    found = style_vars(client.get(STADSKANAAL + "&accent=FFD700").text)
    assert found["--brand"] == "#ffd700" and found["--on-brand"] == "#000000"
    assert found["--accent"] != "#ffd700" and contrast_ratio(found["--accent"][1:], "ffffff") >= 4.5


@pytest.mark.parametrize(
    "accent", ["red;}body{", "red", "fff", "%230b5e7e%3B", "0b5e7e;x:y", "url(//x)", "0b5e7e%7D"]
)
def test_any_other_accent_is_refused_with_a_page(client, accent: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/embed?gemeente=GM0037&accent={accent}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert 'data-testid="config-error"' in response.text
    assert "--accent" not in response.text and "--brand" not in response.text
    assert "body{" not in re.search(r"<style>.*?</style>", response.text, re.S)[0]


@pytest.mark.parametrize(
    "query", ["height=50", "height=abc", "view=3d", "zoom=40", "gemeente=Atlantis", "lat=53.2", "needs=beer",
              "gemeente=GM0037&lat=53.2&lon=6.5"],
)  # fmt: skip
def test_a_wrong_configuration_is_a_422_page_not_json(client, query: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/embed?{query}")
    assert response.status_code == 422 and 'data-testid="config-error"' in response.text


def test_configuration_errors_in_english(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/embed?accent=red&lang=en").text
    assert catalogue("en")["embed.config_error_title"] in html and "is not a colour" in html


# --- framing, privacy, outside requests ----------------------------------------------------------


def csp(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    parts = (
        p.strip().split(" ", 1) for p in response.headers["content-security-policy"].split(";")
    )
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


@pytest.mark.parametrize("url", [u for u in PAGES if u.startswith("/embed")])
def test_embed_may_be_framed_by_the_configured_sites(client, url: str) -> None:  # type: ignore[no-untyped-def]
    assert csp(client.get(url))["frame-ancestors"] == f"'self' {client.app.state.settings.frame_ancestors}"


@pytest.mark.parametrize(
    "url", [u for u in PAGES if not u.startswith("/embed")] + ["/plek/bestaat-niet"]
)
def test_other_pages_may_only_be_framed_by_us(client, url: str) -> None:  # type: ignore[no-untyped-def]
    assert csp(client.get(url))["frame-ancestors"] == "'self'"


@pytest.mark.parametrize(
    "url", PAGES + ["/static/js/embed-host.js", "/oembed?url=http://elders.example/"]
)
def test_no_x_frame_options_and_no_cookies(client, url: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert "x-frame-options" not in response.headers
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("url", [u for u in PAGES if u.startswith("/embed")])
def test_embed_loads_only_from_us_and_the_tile_server(client, url: str) -> None:  # type: ignore[no-untyped-def]
    html = client.get(url).text
    tiles = tile_origin(client.app.state.settings.tile_url)
    for tag in tags(html):
        for address in re.findall(r'\b(?:src|href)="([^"]*)"', tag):
            if re.match(r"(?i)^(https?:)?//", address):
                assert address.startswith((BASE + "/", tiles)), tag
            else:
                assert address.startswith("/"), tag
    # the per-request CSP nonce is random text: it may spell "cdn" by chance
    assert "cdn" not in re.sub(r'nonce="[^"]*"', "", html).lower()


@pytest.mark.parametrize(
    "url", [u for u in PAGES if u.startswith("/embed")] + ["/partners/insluiten"]
)
def test_every_script_carries_the_nonce(client, url: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    nonce = csp(response)["script-src"].split("'nonce-")[1].split("'")[0]
    scripts = re.findall(r"<script\b[^>]*>", response.text)
    assert scripts and all(f'nonce="{nonce}"' in s for s in scripts)


def test_every_asset_of_the_embed_exists(client) -> None:  # type: ignore[no-untyped-def]
    assets = set()
    for url in ("/embed?gemeente=GM0037", "/partners/insluiten"):
        assets |= set(re.findall(r'(?:src|href)="(/static/[^"]+)"', client.get(url).text))
    assert "/static/js/embed-frame.js" in assets and "/static/js/embed-host.js" in assets
    for asset in sorted(assets | {"/static/js/embed-builder.js"}):
        assert client.get(asset).status_code == 200, asset


def test_frame_script_sends_only_a_height_and_host_script_checks_origin_and_source(client) -> None:  # type: ignore[no-untyped-def]
    frame = client.get("/static/js/embed-frame.js").text
    assert 'postMessage({ type: "kik:resize", height: height }, "*")' in frame
    host = client.get("/static/js/embed-host.js").text
    assert "event.origin !== ours" in host and "contentWindow === source" in host
    assert "MIN = 200, MAX = 3000" in host and "document.currentScript" in host


# --- oEmbed ------------------------------------------------------------------------------------


def oembed(client, url: str, **params: object):  # type: ignore[no-untyped-def]
    return client.get("/oembed", params={"url": url, **params})


@pytest.mark.parametrize(
    "page", ["/", "/zoeken?q=9501&needs=food", "/plek/bibliotheek-stadskanaal-stadskanaal",
             "/embed?gemeente=GM0037&view=list"],
)  # fmt: skip
def test_oembed_answers_a_rich_embed_per_the_spec(client, page: str) -> None:  # type: ignore[no-untyped-def]
    response = oembed(client, BASE + page, format="json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    answer = response.json()
    assert answer.keys() >= RICH_REQUIRED
    assert answer["version"] == "1.0" and answer["type"] == "rich"
    assert all(isinstance(answer[k], int) and answer[k] > 0 for k in ("width", "height"))
    assert answer["provider_name"] == "Kracht in Kaart" and answer["provider_url"] == BASE + "/"
    assert answer["title"] == catalogue("nl")["embed.frame_title"]
    assert answer["html"].startswith(f'<iframe src="{BASE}/embed')
    assert f'<script src="{BASE}/static/js/embed-host.js" async></script>' in answer["html"]
    src = re.search(r'<iframe src="([^"]+)"', answer["html"])[1].replace("&amp;", "&")
    assert client.get(src.removeprefix(BASE)).status_code == 200  # the embed it points at works


def test_oembed_for_a_search_embeds_that_search(client) -> None:  # type: ignore[no-untyped-def]
    html = oembed(client, BASE + "/zoeken?q=9501&needs=food").json()["html"]
    assert f'src="{BASE}/embed?needs=food&amp;q=9501"' in html


@pytest.mark.parametrize(
    ("maxwidth", "maxheight"), [(300, 200), (320, None), (None, 450), (5000, 5000), (1, 1)]
)
def test_oembed_respects_maxwidth_and_maxheight(client, maxwidth, maxheight) -> None:  # type: ignore[no-untyped-def]
    params = {k: v for k, v in (("maxwidth", maxwidth), ("maxheight", maxheight)) if v is not None}
    answer = oembed(client, BASE + "/", **params).json()
    assert answer["width"] <= (maxwidth or 10**6) and answer["height"] <= (maxheight or 10**6)
    assert f'width="{answer["width"]}" height="{answer["height"]}"' in answer["html"]


@pytest.mark.parametrize(
    "url", ["https://elders.example/", "http://testserver.evil/", "http://testserver/netwerk",
            "http://testserver/plek/bestaat-niet", "http://testserver/api/v1/nearby?q=9501", "/zoeken"],
)  # fmt: skip
def test_oembed_for_a_url_that_is_not_ours_is_404(client, url: str) -> None:  # type: ignore[no-untyped-def]
    response = oembed(client, url)
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


@pytest.mark.parametrize("fmt", ["xml", "yaml"])
def test_oembed_in_another_format_is_501(client, fmt: str) -> None:  # type: ignore[no-untyped-def]
    response = oembed(client, BASE + "/", format=fmt)
    assert response.status_code == 501 and response.json()["error"]["status"] == 501


@pytest.mark.parametrize(
    "params", [{"maxwidth": "abc"}, {"maxwidth": "0"}, {"maxheight": "-5"}, {}]
)
def test_oembed_with_bad_parameters_gives_our_json_error(client, params: dict) -> None:  # type: ignore[no-untyped-def]
    query = {"url": BASE + "/", **params} if params else {}
    response = client.get("/oembed", params=query)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["status"] == 422 and error["code"] == "InvalidRequest" and error["message"]


def test_oembed_for_an_embed_with_a_wrong_configuration_is_400(client) -> None:  # type: ignore[no-untyped-def]
    response = oembed(client, BASE + "/embed?accent=red")
    assert response.status_code == 400 and "accent" in response.json()["error"]["message"]


def test_oembed_uses_the_public_url_when_set(app, client) -> None:  # type: ignore[no-untyped-def]
    settings = app.state.settings
    saved = settings.public_url
    settings.public_url = "https://kaart.example.nl"
    try:
        answer = oembed(client, "https://kaart.example.nl/zoeken?q=9501").json()
        link = discovery(client.get("/zoeken?q=9501").text)
    finally:
        settings.public_url = saved
    assert answer["html"].startswith('<iframe src="https://kaart.example.nl/embed?q=9501"')
    assert link.startswith("https://kaart.example.nl/oembed?")
    assert parse_qs(urlsplit(link).query)["url"] == ["https://kaart.example.nl/zoeken?q=9501"]


# --- discovery ---------------------------------------------------------------------------------


def discovery(html: str) -> str | None:
    found = re.findall(
        r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html
    )
    assert len(found) <= 1
    return found[0].replace("&amp;", "&") if found else None


@pytest.fixture(scope="module")
def place_page(places) -> str:  # type: ignore[no-untyped-def]
    return next(
        f"/plek/{p.slug}" for p in places if p.location_type == "physical" and not p.confidential
    )


@pytest.mark.parametrize(
    "page", ["/", "/zoeken?q=9501", "PLACE", "/embed", STADSKANAAL + "&view=list"]
)
def test_embeddable_pages_name_their_oembed_address(client, place_page: str, page: str) -> None:  # type: ignore[no-untyped-def]
    page = place_page if page == "PLACE" else page
    link = discovery(client.get(page).text)
    assert link and link.startswith(BASE + "/oembed?")
    assert parse_qs(urlsplit(link).query) == {"url": [BASE + page], "format": ["json"]}
    response = client.get(link.removeprefix(BASE))
    assert response.status_code == 200 and response.json()["type"] == "rich"


@pytest.mark.parametrize(
    "page", ["/toegankelijkheid", "/plek/bestaat-niet", "/zoeken?q=Atlantis", "/partners/insluiten"]
)
def test_other_pages_have_no_oembed_link(client, page: str) -> None:  # type: ignore[no-untyped-def]
    assert discovery(client.get(page).text) is None


# --- the snippet builder ------------------------------------------------------------------------


def snippet_of(html: str) -> str:
    code = re.search(r'<textarea id="snippet"[^>]*>(.*?)</textarea>', html, re.S)[1]
    return (
        code.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"').replace("&amp;", "&")
    )


def test_builder_offers_the_22_gemeenten(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/partners/insluiten").text
    options = re.findall(r'<option value="(GM\d{4})"', html)
    assert len(options) == 22 == len(set(options))
    assert 'data-testid="preview"' in html and 'src="/embed"' in html
    assert (
        '<script src="/static/js/embed-host.js"' in html
    )  # the preview resizes like on a partner's page


def test_builder_snippet_has_the_chosen_options_and_our_host_script(client) -> None:  # type: ignore[no-untyped-def]
    query = "gemeente=GM0037&needs=food&needs=clothing&embed_lang=en&view=list&accent=%23FFD700&height=480&lang=nl"
    html = client.get(f"/partners/insluiten?{query}").text
    code = snippet_of(html)
    src = f"{BASE}/embed?gemeente=GM0037&needs=food&needs=clothing&lang=en&view=list&accent=ffd700&height=480"
    assert code == (
        f'<iframe src="{src.replace("&", "&amp;")}" title="{catalogue("en")["embed.frame_title"]}" '
        'width="100%" height="480" style="border:0" loading="lazy"></iframe>\n'
        f'<script src="{BASE}/static/js/embed-host.js" async></script>'
    )
    assert f'src="{src.removeprefix(BASE).replace("&", "&amp;")}"' in html  # the live preview
    assert "readonly" in re.search(r"<textarea[^>]*>", html)[0]
    assert 'class="button button-secondary copy-button"' in html
    assert '<option value="GM0037" selected>' in html and 'value="list" checked' in html


def test_builder_shows_what_is_wrong_and_no_code(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/partners/insluiten?accent=red;}body{&height=99")
    assert response.status_code == 422
    assert 'id="accent-error"' in response.text and 'id="height-error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'id="snippet"' not in response.text and 'data-testid="preview"' not in response.text


def test_builder_page_itself_is_in_the_visitors_language(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/partners/insluiten?lang=en&embed_lang=nl").text
    assert catalogue("en")["builder.title"] in html
    assert catalogue("nl")["embed.frame_title"] in snippet_of(html)


# --- language switch -----------------------------------------------------------------------------


def lang_links(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="[^"]*" class="lang-switch">(.*?)</nav>', html, re.S)[1]
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', nav)]


@pytest.mark.parametrize(
    ("page", "link"),
    [
        ("/", "?lang=en"),
        ("/?lang=nl", "?lang=en"),
        ("/zoeken?q=9501&needs=food&needs=clothing", "?q=9501&needs=food&needs=clothing&lang=en"),
        ("/zoeken?lang=nl&q=9501&free=1", "?q=9501&free=1&lang=en"),
        (
            "/partners/insluiten?gemeente=GM0037&embed_lang=en",
            "?gemeente=GM0037&embed_lang=en&lang=en",
        ),
    ],
)
def test_language_switch_keeps_the_query(client, page: str, link: str) -> None:  # type: ignore[no-untyped-def]
    assert lang_links(client.get(page).text) == [link]


def test_language_switch_to_dutch_keeps_the_query(client) -> None:  # type: ignore[no-untyped-def]
    assert lang_links(client.get("/zoeken?q=9501&lang=en").text) == ["?q=9501&lang=nl"]


# --- catalogue ----------------------------------------------------------------------------------


def test_embed_catalogues_have_the_same_keys() -> None:
    locale = ROOT / "api" / "locale"
    nl = json.loads((locale / "nl" / "embed.json").read_text(encoding="utf-8"))
    en = json.loads((locale / "en" / "embed.json").read_text(encoding="utf-8"))
    assert set(nl) == set(en) and all(nl.values()) and all(en.values())


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_key_of_the_embed_templates_exists(lang: str) -> None:
    keys = set()
    for name in ("embed.html", "embed_builder.html"):
        keys |= set(
            re.findall(
                r"""\bt\(\s*["']([\w.]+)["']""", (TEMPLATES / name).read_text(encoding="utf-8")
            )
        )
    prefixes = {k for k in keys if k.endswith(".")}
    dynamic = {"search.need.", "builder.lang.", "builder.view."}
    assert prefixes == dynamic
    from data.vocab import NEEDS
    from kaart.embed import VIEWS

    keys = (
        (keys - prefixes)
        | {f"search.need.{n}" for n in NEEDS}
        | {f"builder.view.{v}" for v in VIEWS}
    )
    keys |= {f"builder.lang.{code}" for code in ("nl", "en")}
    missing = sorted(k for k in keys if k not in catalogue(lang))
    assert missing == []
