"""The residents' pages through TestClient, on a small known registry around Nieuw-Buinen.

The clock is fixed at Wednesday 29 April 2026, 10:00 — two days after Koningsdag.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from api.i18n import catalogue
from data.dump import SHIPPED
from data.vocab import NEEDS

NOW = dt.datetime(2026, 4, 29, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"
SECRET = ("Geheimstraat", "9521 ZZ", "6.9403", "52.9601")


def _registry(known: SimpleNamespace) -> dict:
    """Eight places of Stichting Test (o1): one confidential, one remote, two language cafés."""

    def loc(n: int, name: str, lat: float | None, lon: float | None, **kw: object) -> dict:
        return known.location(n, name, lat, lon, **({"organisation_id": "o1"} | kw))

    def svc(n: int, name: str, needs: list[str], **kw: object) -> dict:
        defaults = {"organisation_id": "o1", "description": f"Over {name}.", "url": "https://example.org/"}
        return known.service(n, name, needs, **(defaults | kw))

    return known.registry(
        [
            loc(1, "Voedselbank Nieuw-Buinen", 52.9625, 6.96),
            loc(2, "Dorpshuis", 52.97, 6.95, precision="postcode"),
            loc(3, "Kledingbank Stadskanaal", 52.9895, 6.9504, place="Stadskanaal", precision="place"),
            loc(
                4,
                "Opvang",
                52.9601,
                6.9403,
                address="Geheimstraat 99",
                postcode="9521 ZZ",
                confidential=True,
                contact_point="Bel Veilig Thuis: 0800-2000",
            ),
            loc(5, "Bibliotheek Emmen", 52.78, 6.90, place="Emmen"),
            loc(
                6,
                "Geldfit",
                None,
                None,
                location_type="virtual",
                address=None,
                postcode=None,
                place=None,
            ),
            loc(7, "Taalcafé Zuid", 52.80, 6.95),
            loc(8, "Taalcafé Noord", 53.15, 6.95),
        ],
        [
            svc(
                1,
                "Voedselbank Nieuw-Buinen",
                ["food"],
                referral_needed=True,
                opening_hours="Mo-Fr 09:00-17:00; PH off",
                assured_date="2026-03-01",
                assured_by="Alliantie",
                source="test ; https://example.org/bron",
                source_seen="2025-11",
                languages=["nl", "xx"],
            ),
            svc(
                2, "Koffieochtend", ["meeting"], opening_hours="Mo-Fr 09:00-12:00,13:00-17:00; PH off"
            ),
            svc(3, "Kledingbank", ["clothing", "food"], opening_hours="Sa 10:00-13:00", free=False),
            svc(
                4,
                "Opvang",
                ["housing_energy", "health_care"],
                phone="0800-2000",
                url=None,
                opening_hours_text="alleen na een telefoontje",
            ),
            svc(5, "Taalhuis Emmen", ["language_learning"], opening_hours="We 10:00-12:00"),
            svc(
                6,
                "Geldfit telefoon",
                ["money_debt"],
                phone="0800-8115",
                opening_hours="Mo-Fr 09:00-17:00",
            ),
            svc(7, "Taalcafé Zuid", ["language_learning"], opening_hours="Th 19:00-21:00"),
            svc(8, "Taalcafé Noord", ["language_learning"], opening_hours="Th 19:00-21:00"),
        ],
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, known_registry) -> Iterator[TestClient]:
    """A client over the known registry above (the shared ``client`` serves the shipped data)."""
    folder = tmp_path_factory.mktemp("pages")
    with known_registry.serve(folder, _registry(known_registry), lambda: NOW) as c:
        yield c


def slugs(html: str) -> list[str]:
    """The places of the distance list, in order."""
    part = html.split('id="results"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="result" data-testid="result" data-slug="([^"]+)"', part)


def item(html: str, slug: str) -> str:
    """The text of one result."""
    part = html.split(f'data-slug="{slug}"', 1)[1]
    return text(re.split(r'data-testid="result"|</ol>|</section>', part, maxsplit=1)[0])


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- start ---------------------------------------------------------------------------


def test_start_page_has_one_box_and_large_need_choices(site):
    html = site.get("/").text
    assert '<form class="search-form" id="search-form" action="/zoeken" method="get"' in html
    assert '<label for="q" class="field-label">Uw postcode of woonplaats</label>' in html
    assert re.findall(r'name="needs" value="(\w+)"', html) == list(NEEDS)
    for code in NEEDS:
        assert f"<span>{catalogue('nl')['search.need.' + code]}</span>" in html
    assert 'class="button button-secondary use-location"' in html


def test_start_page_in_english(site):
    html = site.get("/?lang=en").text
    assert (
        "Your postcode or town" in html and "Money and debts" in html and '<html lang="en">' in html
    )


# --- results -------------------------------------------------------------------------


def test_results_are_listed_by_distance(site):
    html = site.get("/zoeken?q=Nieuw-Buinen").text
    assert slugs(html) == ["plek-1", "plek-2", "plek-3"]
    assert "Afstand: 0,7 km" in html and "Afstand: 0,8 km" in html and "Afstand: 3,0 km" in html
    assert '<a class="skip-link" href="#results">Ga direct naar de resultaten</a>' in html


def test_results_in_english_use_a_decimal_point(site):
    html = site.get("/zoeken?q=Nieuw-Buinen&lang=en").text
    assert "Distance: 0.7 km" in html and "Help near Nieuw-Buinen" in html


def test_a_result_tells_when_it_is_open_terms_and_whom_to_call(site):
    html = site.get("/zoeken?q=Nieuw-Buinen&needs=food").text
    one = item(html, "plek-1")
    assert "Nu open tot 17:00" in one
    assert "Vandaag: 09:00–17:00" in one
    assert "Gratis" in one and "Verwijsbrief nodig" in one
    assert "Hoofdstraat 1, 9521 AB Nieuw-Buinen (precies adres)" in one
    assert 'href="tel:0599123456"' in html
    assert (
        'href="https://www.openstreetmap.org/directions?route=%3B52.96250%2C6.96000#map=16/52.96250/6.96000"'
        in html
    )


def test_directions_only_to_an_exact_address(site):
    html = site.get("/zoeken?q=Nieuw-Buinen").text
    rough = html.split('data-slug="plek-3"', 1)[1].split('data-testid="result"', 1)[0]
    assert "openstreetmap.org/directions" not in rough
    assert (
        'href="https://www.openstreetmap.org/search?query=Hoofdstraat%203%2C%20Stadskanaal"'
        in rough
    )
    assert "Adres opzoeken" in rough


def test_free_text_hours_are_shown_when_there_are_no_fixed_hours(site):
    html = text(site.get("/zoeken?q=Nieuw-Buinen").text)
    assert "Openingstijden volgens de organisatie: alleen na een telefoontje" in html


def test_a_closed_place_says_when_it_opens(site):
    html = text(site.get("/zoeken?q=Nieuw-Buinen&needs=clothing").text)
    assert "Nu dicht. Gaat weer open: zaterdag 2 mei om 10:00" in html


@pytest.mark.parametrize(
    ("slug", "words"),
    [
        ("plek-1", "(precies adres)"),
        ("plek-2", "(ongeveer: postcodegebied)"),
        ("plek-3", "(ongeveer: dorp of stad)"),
    ],
)
def test_how_precise_each_place_is(site, slug, words):
    html = site.get("/zoeken?q=Nieuw-Buinen").text
    assert words in item(html, slug)


def test_rural_search_widens_and_says_so(site):
    html = site.get("/zoeken?q=Nieuw-Buinen&needs=language_learning").text
    assert "Dichtbij niets gevonden; dit is het dichtstbijzijnde binnen 25 km." in html
    assert slugs(html) == ["plek-7", "plek-5", "plek-8"]


def test_remote_help_is_listed_apart(site):
    html = site.get("/zoeken?q=Nieuw-Buinen&needs=money_debt").text
    assert 'id="results"' in html and slugs(html) == []
    remote = html.split('data-testid="remote"', 1)[1]
    assert "Geldfit telefoon" in remote and "Hulp via telefoon of internet" in remote


def test_open_now_filter(site):
    html = site.get("/zoeken?q=Nieuw-Buinen&when=now").text
    assert slugs(html) == ["plek-1", "plek-2", "plek-5"]  # Wednesday 10:00


def test_needs_all_versus_any(site):
    any_ = site.get("/zoeken?q=Nieuw-Buinen&needs=food&needs=clothing").text
    all_ = site.get("/zoeken?q=Nieuw-Buinen&needs=food&needs=clothing&all_needs=1").text
    assert slugs(any_) == ["plek-1", "plek-3"] and slugs(all_) == ["plek-3"]


def test_search_by_coordinates_keeps_them_in_the_form(site):
    html = site.get("/zoeken?lat=52.962&lon=6.942").text
    assert "We zoeken vanaf uw locatie." in html
    assert '<input type="hidden" name="lat" value="52.962">' in html


def test_share_link_is_the_current_url(site):
    html = site.get("/zoeken?q=9521&needs=food").text
    assert 'href="http://testserver/zoeken?q=9521&amp;needs=food" data-testid="share"' in html


def test_map_is_beside_the_list_with_the_nonce(site):
    response = site.get("/zoeken?q=Nieuw-Buinen")
    html = response.text
    assert '<div id="map" class="map" role="region"' in html
    nonce = re.search(r"'nonce-([^']+)'", response.headers["content-security-policy"])[1]
    assert f'<script nonce="{nonce}">\nvar map_0 = L.map(' in html


# --- confidential places -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/zoeken?q=Nieuw-Buinen",
        "/zoeken?lat=52.96&lon=6.94",
        "/plek/plek-4",
        "/api/v1/nearby?q=Nieuw-Buinen",
    ],
)
def test_a_confidential_address_is_never_shown(site, url):
    body = site.get(url).text
    assert "Opvang" in body
    assert not any(secret in body for secret in SECRET)


def test_a_confidential_place_shows_its_contact_point_without_map_or_route(site):
    html = site.get("/plek/plek-4").text
    assert "Contact: Bel Veilig Thuis: 0800-2000" in text(html)
    assert 'id="map"' not in html and "openstreetmap.org/directions" not in html


def test_a_confidential_place_is_not_in_the_distance_list(site):
    html = site.get("/zoeken?q=Nieuw-Buinen").text
    assert "plek-4" not in slugs(html)
    assert 'data-slug="plek-4"' in html.split('data-testid="confidential-list"', 1)[1]


# --- place page ----------------------------------------------------------------------


def test_place_page_shows_this_weeks_hours_with_the_holiday(site):
    html = site.get("/plek/plek-1").text
    week = text(html.split('data-testid="week"', 1)[1].split("</table>", 1)[0])
    assert "maandag 27 april dicht feestdag: Koningsdag" in week
    assert "woensdag 29 april (vandaag) 09:00–17:00" in week
    assert 'aria-current="date"' in html


def test_place_page_says_when_it_was_verified_and_where_it_comes_from(site):
    html = site.get("/plek/plek-1").text
    assert "Gecontroleerd op 1 maart 2026 door Alliantie." in html
    assert '<a href="https://example.org/bron" rel="noopener noreferrer">example.org</a>' in html
    assert "(bron bekeken in november 2025)" in html


def test_place_page_names_languages_and_hides_internal_source_references(site):
    html = text(site.get("/plek/plek-1").text)
    assert "Talen: Nederlands, xx" in html
    assert "Bron: example.org" in html and "Bron: test" not in html
    assert "Bron: test" in text(site.get("/plek/plek-2").text)  # no link: the reference itself


def test_place_page_says_plainly_when_never_verified(site):
    assert "Nog niet gecontroleerd. Bel voor de zekerheid eerst." in site.get("/plek/plek-2").text


def test_place_page_has_a_feedback_mail_link(site):
    html = site.get("/plek/plek-1").text
    assert (
        'href="mailto:kaart@alliantievankracht.nl?subject=Klopt%20er%20iets%20niet%3A%20Voedselbank%20Nieuw-Buinen"'
        in html
    )


def test_place_page_has_a_small_map(site):
    html = site.get("/plek/plek-1").text
    assert 'class="map map-small"' in html and "L.marker(" in html


def test_unknown_place_is_a_friendly_404_page(site):
    response = site.get("/plek/bestaat-niet")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "Deze plek kennen we niet (meer)" in response.text


# --- errors a resident can fix -------------------------------------------------------


def test_unknown_place_name_offers_suggestions_as_links(site):
    response = site.get("/zoeken?q=Nieuw+Buinn&needs=food")
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert "We kennen &#39;Nieuw Buinn&#39; niet." in response.text
    assert (
        'href="/zoeken?q=Nieuw-Buinen&amp;needs=food&amp;lang=nl">Nieuw-Buinen</a>' in response.text
    )


def test_unknown_place_in_english(site):
    response = site.get("/zoeken?q=Nieuw+Buinn&lang=en")
    assert (
        "We don&#39;t know &#39;Nieuw Buinn&#39;." in response.text and response.status_code == 422
    )


def test_empty_search_asks_for_a_place(site):
    response = site.get("/zoeken?q=")
    assert response.status_code == 422
    assert "Vul een plaatsnaam of postcode in" in response.text


@pytest.mark.parametrize(
    "query", ["when=at&date=2026-13-01", "needs=cake", "when=sometime", "lat=abc&lon=6.9"]
)
def test_bad_options_give_a_page_not_json(site, query):
    response = site.get(f"/zoeken?q=Emmen&{query}" if "lat" not in query else f"/zoeken?{query}")
    assert response.status_code in (400, 422)
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="search-form"' in response.text


# --- accessibility, assets, catalogue ------------------------------------------------


def test_accessibility_statement(site):
    html = site.get("/toegankelijkheid").text
    assert "WCAG 2.1, niveau AA" in html
    assert 'href="mailto:kaart@alliantievankracht.nl?subject=' in html


PAGES = [
    "/",
    "/zoeken?q=Nieuw-Buinen",
    "/zoeken?q=Nieuw-Buinen&lang=en",
    "/plek/plek-1",
    "/plek/plek-4",
    "/toegankelijkheid",
    "/zoeken?q=Nieuw+Buinn",
    "/plek/bestaat-niet",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_nothing_from_elsewhere(site, url):
    html = site.get(url).text
    # rel="alternate" (oEmbed discovery) names a URL but loads nothing.
    assets = re.findall(r'<(?:script|link)\b(?![^>]*rel="alternate")[^>]*\b(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    # the per-request CSP nonce is random text: it may spell "cdn" by chance
    assert "cdn" not in re.sub(r'nonce="[^"]*"', "", html).lower()


@pytest.mark.parametrize("url", PAGES)
def test_every_script_carries_the_nonce(site, url):
    response = site.get(url)
    nonce = re.search(r"'nonce-([^']+)'", response.headers["content-security-policy"])[1]
    for tag in re.findall(r"<script\b[^>]*>", response.text):
        assert f'nonce="{nonce}"' in tag


def test_every_asset_of_the_pages_exists(site):
    assets = set()
    for url in PAGES:
        assets |= set(re.findall(r'(?:src|href)="(/static/[^"]+)"', site.get(url).text))
    assets |= {
        "/static/vendor/leaflet/images/marker-icon.png",
        "/static/vendor/leaflet/LICENSE",
        "/static/vendor/leaflet.markercluster/LICENSE",
        "/static/vendor/README.md",
    }
    for asset in sorted(assets):
        assert site.get(asset).status_code == 200, asset


def test_results_page_is_small(site):
    body = site.get("/zoeken?q=Nieuw-Buinen").content
    assert len(gzip.compress(body)) < 15_000


def _template_keys() -> set[str]:
    """Literal keys of t("...") calls; a key ending in "." or "_" is the prefix of a dynamic key."""
    keys = set()
    for path in TEMPLATES.rglob("*.html"):
        if (
            path.name
            in {
                "start.html",
                "results.html",
                "place.html",
                "accessibility.html",
                "geocode_error.html",
                "search_error.html",
                "not_found.html",
            }
            or path.parent.name == "partials"
        ):
            keys |= set(
                re.findall(r"""\bt\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8"))
            )
    return keys


DYNAMIC = (
    {f"search.need.{n}" for n in NEEDS}
    | {f"search.day.{d}" for d in range(7)}
    | {f"search.month.{m}" for m in range(1, 13)}
    | {f"search.precision.{p}" for p in ("address", "postcode", "place")}
    | {f"search.point.{p}" for p in ("postcode", "place", "coordinates")}
    | {f"search.a11y_done_{n}" for n in range(1, 9)}
    | {f"search.a11y_limits_{n}" for n in range(1, 4)}
    | {"search.map.you"}
)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_catalogue_key_of_the_pages_exists(lang):
    found = _template_keys()
    prefixes = {k for k in found if k.endswith((".", "_"))}
    assert all(any(d.startswith(p) for d in DYNAMIC) for p in prefixes), prefixes
    keys = (found - prefixes) | DYNAMIC
    assert len(keys) > 100
    missing = sorted(k for k in keys if k not in catalogue(lang))
    assert missing == []


def test_search_catalogues_have_the_same_keys():
    import json

    locale = TEMPLATES.parent / "locale"
    nl = json.loads((locale / "nl" / "search.json").read_text(encoding="utf-8"))
    en = json.loads((locale / "en" / "search.json").read_text(encoding="utf-8"))
    assert set(nl) == set(en)


@pytest.mark.skipif(not SHIPPED.exists(), reason="the shipped registry is not built yet")
def test_shipped_data_search_for_nieuw_buinen(client):
    response = client.get("/zoeken?q=Nieuw-Buinen&needs=food")
    assert response.status_code == 200 and 'id="results"' in response.text
