"""kaart.embed: embed options, the partner's colour, the snippet, oEmbed sizing, URL mapping.

The places are hand-made around the label point of gemeente Stadskanaal (52.997 N, 7.000 E):
two in Stadskanaal, one just over the border in Pekela (nearer than the second), one in
Pekela that also serves Stadskanaal, and help by phone for Stadskanaal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import pytest

from data.errors import NotFound
from data.snapshot import PlaceRecord, PlacesSnapshot
from kaart.embed import (
    EmbedOptions,
    InvalidEmbedOption,
    InvalidEmbedOptions,
    accent_palette,
    contrast_ratio,
    darken,
    embed_help,
    embed_map,
    oembed_answer,
    options_for_url,
    parse_accent,
    parse_options,
    read_options,
    snippet,
    text_colour_on,
)
from kaart.nearby import PlaceIndex

NOW = dt.datetime(2026, 4, 29, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
STADSKANAAL, PEKELA = "GM0037", "GM0765"


def record(n: int, name: str, lat: float | None, lon: float | None, **kw: object) -> PlaceRecord:
    base = {f.name: None for f in dataclasses.fields(PlaceRecord)}
    base.update(
        service_id=f"s{n}", location_id=f"l{n}", slug=f"plek-{n}", name=name, kind="other",
        description="", needs=("meeting",), kapitaalsvormen=(), languages=(), service_area=(),
        location_type="physical", lat=lat, lon=lon, precision="address", confidential=False,
        source="test", gemeente_code=STADSKANAAL,
    )  # fmt: skip
    base.update(kw)
    return PlaceRecord(**base)  # type: ignore[arg-type]


PLACES = (
    record(1, "Bibliotheek", 52.99, 6.95),  # ~3.5 km from the label point
    record(2, "Voedselpunt", 52.95, 7.05, needs=("food",)),  # ~6.4 km
    record(3, "Dorpshuis over de grens", 53.04, 7.0, gemeente_code=PEKELA),  # ~4.8 km
    record(4, "Buurthuis", 53.1, 7.1, gemeente_code=PEKELA, service_area=(PEKELA, STADSKANAAL)),
    record(5, "Hulplijn", None, None, location_type="virtual", service_area=(STADSKANAAL,)),
    record(6, "Opvang", 52.98, 7.01, confidential=True),
)


@pytest.fixture(scope="module")
def index() -> PlaceIndex:
    return PlaceIndex(PlacesSnapshot(1, PLACES))


def options(geocoder, **params: str) -> EmbedOptions:  # type: ignore[no-untyped-def]
    return parse_options(list(params.items()), geocoder=geocoder)


# --- colours -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [("ffffff", "000000", 21.0), ("767676", "ffffff", 4.54), ("ffffff", "ffffff", 1.0),
     ("0000ff", "ffffff", 8.59), ("777777", "ffffff", 4.48)],
)  # fmt: skip
def test_contrast_ratio_matches_known_wcag_values(a: str, b: str, ratio: float) -> None:
    assert round(contrast_ratio(a, b), 2) == ratio
    assert contrast_ratio(a, b) == contrast_ratio(b, a)


@pytest.mark.parametrize(
    "colour",
    [
        "0b5e7e",
        "ffd700",
        "777777",
        "767676",
        "00ff00",
        "ff0000",
        "b3261e",
        "ffffff",
        "000000",
        "3fa9f5",
    ],
)
def test_text_on_the_accent_always_reaches_aa(colour: str) -> None:
    assert contrast_ratio(colour, text_colour_on(colour)) >= 4.5


@pytest.mark.parametrize(
    ("colour", "text"), [("0b5e7e", "ffffff"), ("ffd700", "000000"), ("777777", "000000")]
)
def test_light_accent_gets_dark_text(colour: str, text: str) -> None:
    assert text_colour_on(colour) == text


@pytest.mark.parametrize("colour", ["ffd700", "ffffff", "00ff00", "3fa9f5", "0b5e7e"])
def test_darkened_accent_is_readable_on_white_and_keeps_its_hue(colour: str) -> None:
    dark = darken(colour)
    assert contrast_ratio(dark, "ffffff") >= 4.5
    channels = [int(colour[i : i + 2], 16) for i in (0, 2, 4)]
    darker = [int(dark[i : i + 2], 16) for i in (0, 2, 4)]
    assert all(d <= c for c, d in zip(channels, darker, strict=True))
    if max(darker):  # the same hue: the channels keep their order
        assert sorted(range(3), key=lambda i: channels[i]) == sorted(
            range(3), key=lambda i: darker[i]
        )


def test_palette_keeps_the_brand_colour_for_the_header() -> None:
    palette = accent_palette("ffd700")
    assert (palette.brand, palette.on_brand) == ("#ffd700", "#000000")
    assert contrast_ratio(palette.ink[1:], "ffffff") >= 4.5


@pytest.mark.parametrize(
    ("text", "colour"), [("0b5e7e", "0b5e7e"), ("#0B5E7E", "0b5e7e"), (" ffd700 ", "ffd700")]
)
def test_accent_accepts_six_hex_digits(text: str, colour: str) -> None:
    assert parse_accent(text) == colour


@pytest.mark.parametrize(
    "text",
    ["red;}body{", "red", "fff", "#fff", "0b5e7e0", "gggggg", "0b5e7e;", "0b5e7e}", "url(x)",
     "0b5e7e\n", "0b 5e7e", "##0b5e7e", "0x0b5e7e", "", "0b5e7e</style>"],
)  # fmt: skip
def test_accent_refuses_anything_else(text: str) -> None:
    if text.strip() == "0b5e7e":  # surrounding whitespace alone is harmless and stripped
        assert parse_accent(text) == "0b5e7e"
        return
    with pytest.raises(InvalidEmbedOption) as info:
        parse_accent(text)
    assert info.value.field == "accent" and info.value.message_en


# --- options -------------------------------------------------------------------------------


def test_no_options_give_the_defaults(geocoder) -> None:  # type: ignore[no-untyped-def]
    assert options(geocoder) == EmbedOptions()
    assert EmbedOptions().query() == ""


@pytest.mark.parametrize("given", ["Stadskanaal", "stadskanaal", "GM0037", "gm0037"])
def test_gemeente_by_name_or_code(geocoder, given: str) -> None:  # type: ignore[no-untyped-def]
    assert options(geocoder, gemeente=given).gemeente == (STADSKANAAL, "Stadskanaal")


def test_every_option_is_read_and_written_back(geocoder) -> None:  # type: ignore[no-untyped-def]
    pairs = [("lat", "53.2"), ("lon", "6.566"), ("zoom", "14"), ("needs", "food"), ("needs", "clothing"),
             ("lang", "en"), ("view", "map"), ("accent", "#FFD700"), ("height", "480"), ("q", "9501")]  # fmt: skip
    read = parse_options(pairs, geocoder=geocoder)
    assert read == EmbedOptions(
        lat=53.2, lon=6.566, zoom=14, needs=("food", "clothing"), lang="en", view="map",
        accent="ffd700", height=480, q="9501",
    )  # fmt: skip
    assert read.query() == (
        "lat=53.2&lon=6.566&zoom=14&needs=food&needs=clothing&lang=en&view=map&accent=ffd700&height=480&q=9501"
    )
    assert parse_options(parse_qsl(read.query()), geocoder=geocoder) == read


@pytest.mark.parametrize(
    ("pairs", "field"),
    [
        ([("gemeente", "Atlantis")], "gemeente"),
        ([("gemeente", "Amsterdam")], "gemeente"),  # not one of the 22
        ([("lat", "53.2")], "lat"),
        ([("lat", "53.2"), ("lon", "abc")], "lon"),
        ([("lat", "95"), ("lon", "6.5")], "lat"),
        ([("gemeente", "GM0037"), ("lat", "53.2"), ("lon", "6.5")], "lat"),
        ([("zoom", "3")], "zoom"),
        ([("zoom", "12.5")], "zoom"),
        ([("height", "100")], "height"),
        ([("height", "3001")], "height"),
        ([("height", "600px")], "height"),
        ([("view", "grid")], "view"),
        ([("needs", "food"), ("needs", "beer")], "needs"),
        ([("accent", "red;}body{")], "accent"),
    ],
)
def test_unusable_options_are_reported_by_field(geocoder, pairs, field: str) -> None:  # type: ignore[no-untyped-def]
    read, problems = read_options(pairs, geocoder=geocoder)
    assert [p.field for p in problems] == [field]
    assert all(p.message and p.message_en for p in problems)
    with pytest.raises(InvalidEmbedOptions):
        parse_options(pairs, geocoder=geocoder)
    if field in ("accent", "height", "view", "zoom", "gemeente"):  # left at the default
        assert getattr(read, field) == getattr(EmbedOptions(), field)


def test_every_problem_is_reported_at_once(geocoder) -> None:  # type: ignore[no-untyped-def]
    _, problems = read_options(
        [("accent", "x"), ("height", "1"), ("view", "3d")], geocoder=geocoder
    )
    assert sorted(p.field for p in problems) == ["accent", "height", "view"]


def test_an_unknown_language_falls_back_to_the_visitors_own(geocoder) -> None:  # type: ignore[no-untyped-def]
    assert options(geocoder, lang="de").lang is None


def test_the_visitors_text_is_cut_to_a_search_length(geocoder) -> None:  # type: ignore[no-untyped-def]
    assert len(options(geocoder, q="x" * 500).q) == 100


@pytest.mark.parametrize(
    ("opts", "link"),
    [
        (EmbedOptions(), "/?lang=nl"),
        (EmbedOptions(q="9501", needs=("food",)), "/zoeken?q=9501&needs=food&lang=nl"),
        (EmbedOptions(lat=53.2, lon=6.5), "/zoeken?lat=53.2&lon=6.5&lang=nl"),
        (
            EmbedOptions(gemeente=(STADSKANAAL, "Stadskanaal")),
            "/zoeken?q=Stadskanaal+%28gemeente%29&lang=nl",
        ),
    ],
)
def test_link_to_the_same_search_on_the_full_site(opts: EmbedOptions, link: str) -> None:
    assert opts.site_link("nl") == link


# --- finding help ----------------------------------------------------------------------------


def slugs(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.place.slug for h in result.hits]


def test_gemeente_embed_lists_only_places_in_or_serving_the_gemeente(index, geocoder) -> None:  # type: ignore[no-untyped-def]
    result = embed_help(index, geocoder, options(geocoder, gemeente="Stadskanaal"), now=NOW)
    assert slugs(result) == ["plek-1", "plek-2", "plek-4"]  # by distance; plek-3 is in Pekela
    assert [r.place.slug for r in result.remote] == ["plek-5"]
    assert [r.place.slug for r in result.confidential] == ["plek-6"]
    assert not result.widened


def test_gemeente_embed_keeps_the_preset_needs(index, geocoder) -> None:  # type: ignore[no-untyped-def]
    result = embed_help(
        index, geocoder, options(geocoder, gemeente="GM0037", needs="food"), now=NOW
    )
    assert slugs(result) == ["plek-2"]


def test_the_visitors_text_wins_over_the_gemeente(index, geocoder) -> None:  # type: ignore[no-untyped-def]
    near = embed_help(
        index, geocoder, options(geocoder, gemeente="GM0037", q="Stadskanaal"), now=NOW
    )
    assert "plek-3" in slugs(near)  # the nearest help, as on the full site


def test_centre_point_embed_searches_around_it(index, geocoder) -> None:  # type: ignore[no-untyped-def]
    result = embed_help(index, geocoder, options(geocoder, lat="53.04", lon="7.0"), now=NOW)
    assert slugs(result)[0] == "plek-3"


def test_an_embed_without_a_place_shows_no_results_yet(index, geocoder) -> None:  # type: ignore[no-untyped-def]
    assert embed_help(index, geocoder, EmbedOptions(), now=NOW) is None


def test_embed_map_keeps_the_partners_zoom(index, geocoder) -> None:  # type: ignore[no-untyped-def]
    result = embed_help(index, geocoder, options(geocoder, lat="53.04", lon="7.0"), now=NOW)
    kept = embed_map(result, show_point=True, zoom=15, label="x", tiles_url="https://t/{z}/{x}/{y}.png",
                     attribution="©", href=lambda p: p.slug)  # fmt: skip
    fitted = embed_map(result, show_point=True, zoom=None, label="x", tiles_url="https://t/{z}/{x}/{y}.png",
                       attribution="©", href=lambda p: p.slug)  # fmt: skip
    assert kept.options["zoom"] == 15 and not kept._children.get("fit_bounds")
    assert any(k.startswith("fit_bounds") for k in fitted._children)


# --- snippet and oEmbed ----------------------------------------------------------------------


def test_snippet_escapes_the_title_and_loads_our_host_script() -> None:
    code = snippet(
        "https://kaart.example/", EmbedOptions(needs=("food", "clothing")), title='Hulp "hier"'
    )
    assert 'src="https://kaart.example/embed?needs=food&amp;needs=clothing"' in code
    assert 'title="Hulp &#34;hier&#34;"' in code
    assert code.endswith(
        '<script src="https://kaart.example/static/js/embed-host.js" async></script>'
    )


@pytest.mark.parametrize(
    ("maxwidth", "maxheight", "width", "height"),
    [
        (None, None, 640, 600),
        (300, None, 300, 600),
        (None, 250, 640, 250),
        (2000, 2000, 640, 600),
        (1, 1, 1, 1),
    ],
)
def test_oembed_answer_fits_in_maxwidth_and_maxheight(maxwidth, maxheight, width, height) -> None:  # type: ignore[no-untyped-def]
    answer = oembed_answer(
        "https://k.example", EmbedOptions(), title="t", maxwidth=maxwidth, maxheight=maxheight
    )
    assert (answer["width"], answer["height"]) == (width, height)
    assert f'width="{width}" height="{height}"' in answer["html"]
    assert ("data-kik-max-height" in answer["html"]) == (maxheight is not None)


HOSTS = ("kaart.example",)


@pytest.mark.parametrize(
    "url",
    ["https://elders.example/", "https://kaart.example.evil/", "javascript:alert(1)", "ftp://kaart.example/",
     "https://kaart.example/netwerk", "https://kaart.example/plek/bestaat-niet", "https://kaart.example/api/v1/nearby",
     "//kaart.example/", "https://user@elders.example/"],
)  # fmt: skip
def test_oembed_refuses_urls_that_are_not_our_pages(index, geocoder, url: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        options_for_url(url, hosts=HOSTS, index=index, geocoder=geocoder)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://kaart.example/", EmbedOptions()),
        ("https://kaart.example/?lang=en", EmbedOptions(lang="en")),
        ("https://kaart.example/zoeken?q=9501&needs=food&free=1", EmbedOptions(q="9501", needs=("food",))),
        ("https://kaart.example/zoeken?lat=53.2&lon=6.5&q=", EmbedOptions(lat=53.2, lon=6.5)),
        ("https://KAART.example/embed?gemeente=Stadskanaal&view=list",
         EmbedOptions(gemeente=(STADSKANAAL, "Stadskanaal"), view="list")),
        ("https://kaart.example/plek/plek-1", EmbedOptions(lat=52.99, lon=6.95, zoom=15)),
        ("https://kaart.example/plek/plek-6", EmbedOptions(gemeente=(STADSKANAAL, "Stadskanaal"))),
        ("https://kaart.example/plek/plek-5?lang=en", EmbedOptions(gemeente=(STADSKANAAL, "Stadskanaal"), lang="en")),
    ],
)  # fmt: skip
def test_oembed_turns_our_pages_into_embeds(
    index, geocoder, url: str, expected: EmbedOptions
) -> None:  # type: ignore[no-untyped-def]
    assert options_for_url(url, hosts=HOSTS, index=index, geocoder=geocoder) == expected


def test_a_confidential_place_is_embedded_without_its_point(index, geocoder) -> None:  # type: ignore[no-untyped-def]
    opts = options_for_url(
        "https://kaart.example/plek/plek-6", hosts=HOSTS, index=index, geocoder=geocoder
    )
    assert opts.lat is None and "52.98" not in opts.query()
