"""Known answers for the offline geocoder, on the shipped data and on a tiny hand-made one."""

from __future__ import annotations

import dataclasses
import math
import string
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from data.reference import Gemeente, Pc4Point, Place
from kaart.errors import (
    AmbiguousPlace,
    GeocodeError,
    InvalidCoordinates,
    InvalidPostcode,
    InvalidQuery,
    KaartError,
    UnknownPlace,
    UnknownPostcode,
)
from kaart.geocode import Geocoder, GeoPoint, normalize_name


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_reference()


# --- postcodes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "lat", "lon", "gemeente"),
    [
        ("7811", 52.783, 6.8954, "Emmen"),
        ("9501", 52.9938, 6.9497, "Stadskanaal"),
        ("9711", 53.2167, 6.5697, "Groningen"),
        ("7933", 52.7742, 6.4561, "Hoogeveen"),  # Pesse; GeoNames also says Westerveld
        ("9976", 53.3974, 6.2141, "Het Hogeland"),  # Lauwersoog, point in the water
    ],
)
def test_pc4_known_answers(geocoder, query, lat, lon, gemeente):
    result = geocoder.geocode(query)
    assert (result.lat, result.lon, result.gemeente_name) == (lat, lon, gemeente)
    assert (result.precision, result.in_region) == ("postcode", True)


@pytest.mark.parametrize("query", ["9501 AB", "9501ab", "9501-AB", " 9501  ab ", "9501 - Ab"])
def test_pc6_in_any_common_form_gives_the_pc4_centre(geocoder, query):
    result = geocoder.geocode(query)
    assert (result.lat, result.lon, result.precision) == (52.9938, 6.9497, "postcode")
    assert result.postcode == "9501 AB"


def test_pc6_label_does_not_pretend_to_be_an_address(geocoder):
    assert geocoder.geocode("9501 AB").label == "9501 Stadskanaal"


@pytest.mark.parametrize("query", ["9501 Stadskanaal", "9501 AB, Stadskanaal", "9501AB 12"])
def test_text_after_a_postcode_is_ignored(geocoder, query):
    assert geocoder.geocode(query).label == "9501 Stadskanaal"


def test_postcode_outside_the_region_is_accepted_but_flagged(geocoder):
    result = geocoder.geocode("1012")
    assert (result.label, result.in_region, result.gemeente_code) == ("1012 Amsterdam", False, None)


def test_po_box_postcode_is_unknown(geocoder):
    with pytest.raises(UnknownPostcode) as info:
        geocoder.geocode("9701")
    assert len(info.value.suggestions) == 5


def test_unknown_postcode_suggestions_can_be_geocoded(geocoder):
    with pytest.raises(UnknownPostcode) as info:
        geocoder.geocode("9701 AB")
    assert all(geocoder.geocode(s).precision == "postcode" for s in info.value.suggestions)


def test_wrong_geonames_row_7571_is_oldenzaal_not_exloermond(geocoder):
    result = geocoder.geocode("7571")
    assert (result.label, result.in_region) == ("7571 Oldenzaal", False)


@pytest.mark.parametrize("query", ["0123", "12345", "123", "9501abc", "0123 AB"])
def test_impossible_postcode_is_invalid(geocoder, query):
    with pytest.raises(InvalidPostcode):
        geocoder.geocode(query)


@pytest.mark.parametrize("letters", ["SA", "SD", "SS", "sa"])
def test_unused_letter_combinations_are_invalid(geocoder, letters):
    with pytest.raises(InvalidPostcode, match=letters.upper()):
        geocoder.geocode(f"9501 {letters}")


# --- places --------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Exloërmond", "exloermond", "EXLOERMOND", "exloër-mond"])
def test_exloermond_any_spelling_is_in_borger_odoorn(geocoder, query):
    result = geocoder.geocode(query)
    assert (result.gemeente_name, result.precision) == ("Borger-Odoorn", "place")


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("Nieuw Buinen", "Nieuw-Buinen"),
        ("nieuw-buinen", "Nieuw-Buinen"),
        ("  NIEUW   BUINEN ", "Nieuw-Buinen"),
        ("2e Exloërmond", "Tweede Exloërmond"),
        ("2e exloermond", "Tweede Exloërmond"),
        ("Exlo", "Exloo"),  # GeoNames alternate name
        ("t zandt", "'t Zandt"),
        ("Eemshaven", "Eemshaven"),  # only in the postcode file
        ("Nieuwbuinen", "Nieuw-Buinen"),
    ],
)
def test_place_names_are_accent_case_hyphen_and_space_insensitive(geocoder, query, label):
    assert geocoder.geocode(query).label == label


def test_nieuw_buinen_is_in_borger_odoorn(geocoder):
    result = geocoder.geocode("Nieuw Buinen")
    assert (result.lat, result.lon, result.gemeente_code) == (52.9625, 6.95, "GM1681")


def test_misspelled_place_suggests_the_right_one(geocoder):
    with pytest.raises(UnknownPlace) as info:
        geocoder.geocode("Stadskanal")
    assert "Stadskanaal" in info.value.suggestions
    assert "Stadskanaal" in str(info.value)


def test_unknown_place_never_falls_back_to_a_city(geocoder):
    with pytest.raises(UnknownPlace):
        geocoder.geocode("Qwxzy")


def test_alteveer_is_ambiguous(geocoder):
    with pytest.raises(AmbiguousPlace) as info:
        geocoder.geocode("Alteveer")
    assert "Alteveer (Stadskanaal)" in info.value.suggestions


@pytest.mark.parametrize(
    "query",
    ["Alteveer, Stadskanaal", "Alteveer (Stadskanaal)", "alteveer (gemeente stadskanaal)"],
)
def test_alteveer_with_gemeente_is_found(geocoder, query):
    result = geocoder.geocode(query)
    assert (result.label, result.gemeente_name) == ("Alteveer", "Stadskanaal")


def test_ambiguous_options_each_find_one_place(geocoder):
    with pytest.raises(AmbiguousPlace) as info:
        geocoder.geocode("Alteveer")
    gemeenten = {geocoder.geocode(option).gemeente_name for option in info.value.suggestions}
    assert len(gemeenten) == len(info.value.suggestions)


@pytest.mark.parametrize(
    ("query", "gemeente"),
    [("Zuidwolde, Drenthe", "De Wolden"), ("Zuidwolde, Groningen", "Het Hogeland")],
)
def test_province_also_narrows_a_name(geocoder, query, gemeente):
    assert geocoder.geocode(query).gemeente_name == gemeente


def test_place_in_the_wrong_gemeente_is_unknown_with_the_right_one_offered(geocoder):
    with pytest.raises(UnknownPlace) as info:
        geocoder.geocode("Nieuw-Buinen, Emmen")
    assert info.value.suggestions == ["Nieuw-Buinen"]


def test_gemeente_name_alone_gives_its_label_point(geocoder):
    result = geocoder.geocode("Borger-Odoorn")
    assert (result.lat, result.lon, result.precision) == (52.89363, 6.87986, "place")


def test_city_name_beats_gemeente_of_the_same_name(geocoder):
    assert geocoder.geocode("Groningen").lat == 53.21917  # the city, not the gemeente label


@pytest.mark.parametrize("query", ["Groningen (gemeente)", "gemeente Groningen"])
def test_gemeente_can_be_asked_for_explicitly(geocoder, query):
    assert geocoder.geocode(query).lat == 53.21038


def test_wijk_name_is_a_search_term(geocoder):
    assert geocoder.geocode("Bargeres").gemeente_name == "Emmen"


def test_normalize_name_folds_accents_hyphens_and_case():
    assert normalize_name(" Nieuw-Buinen ") == normalize_name("nieuw  buinen") == "nieuw buinen"


# --- coordinates ---------------------------------------------------------------------


@pytest.mark.parametrize("query", ["53.2194, 6.5665", "53.2194 6.5665", "53,2194; 6,5665"])
def test_coordinate_text(geocoder, query):
    result = geocoder.geocode(query)
    assert (result.lat, result.lon, result.precision) == (53.2194, 6.5665, "coordinates")
    assert result.gemeente_name == "Groningen"


def test_swapped_coordinates_are_caught(geocoder):
    with pytest.raises(InvalidCoordinates, match="omgewisseld") as info:
        geocoder.point(6.9, 53.0)
    assert info.value.suggestions == ["53.0, 6.9"]


def test_swapped_coordinate_text_is_caught(geocoder):
    with pytest.raises(InvalidCoordinates, match="omgewisseld"):
        geocoder.geocode("6.9, 53.0")


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (91, 6.0),
        (53.0, 181),
        (math.nan, 6.0),
        (53.0, math.inf),
        (True, 6.0),
        ("noord", 6.0),
        (None, 6.0),
    ],
)
def test_impossible_coordinates_are_invalid(geocoder, lat, lon):
    with pytest.raises(InvalidCoordinates):
        geocoder.point(lat, lon)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(52.37, 4.89), (48.85, 2.35), (54.5, 5.0)],
    ids=["Amsterdam", "Paris", "North Sea"],
)
def test_points_elsewhere_are_accepted_but_flagged(geocoder, lat, lon):
    result = geocoder.point(lat, lon)
    assert (result.in_region, result.gemeente_code) == (False, None)


def test_coastal_point_within_tolerance_is_in_region(geocoder):
    assert geocoder.point(53.4445, 6.8303).gemeente_name == "Het Hogeland"


# --- input guards and errors ---------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "x" * 101])
def test_empty_or_absurd_input_is_refused(geocoder, query):
    with pytest.raises(InvalidQuery):
        geocoder.geocode(query)


def test_geocode_errors_are_value_errors_with_both_languages(geocoder):
    with pytest.raises(GeocodeError) as info:
        geocoder.geocode("Stadskanal")
    error = info.value
    assert isinstance(error, ValueError) and isinstance(error, KaartError)
    assert error.query == "Stadskanal"
    assert error.message.startswith("We kennen") and error.message_en.startswith("We don't know")


def test_geopoint_is_frozen(geocoder):
    with pytest.raises(dataclasses.FrozenInstanceError):
        geocoder.geocode("9501").lat = 0.0  # type: ignore[misc]


# --- importer protocol ---------------------------------------------------------------


def test_locate_prefers_the_postcode(geocoder):
    assert geocoder.locate("9501 AB", "Emmen").gemeente_name == "Stadskanaal"


def test_locate_uses_the_place_without_postcode(geocoder):
    assert geocoder.locate("  ", "Nieuw Buinen").label == "Nieuw-Buinen"


def test_locate_does_not_fall_back_from_a_bad_postcode(geocoder):
    with pytest.raises(UnknownPostcode):
        geocoder.locate("9701", "Groningen")


def test_locate_needs_something(geocoder):
    with pytest.raises(InvalidQuery):
        geocoder.locate(None, None)


def test_gemeente_at_gives_code_and_name(geocoder):
    assert geocoder.gemeente_at(52.7792, 6.9069) == ("GM0114", "Emmen")


def test_gemeente_at_outside_is_none(geocoder):
    assert geocoder.gemeente_at(54.5, 5.0) is None


# --- autocomplete --------------------------------------------------------------------


def test_suggest_starts_with_the_best_match(geocoder):
    assert geocoder.suggest("stadsk") == ["Stadskanaal", "Stadskanaal (gemeente)"]


def test_suggest_postcodes(geocoder):
    suggestions = geocoder.suggest("950", limit=3)
    assert suggestions == ["9501 Stadskanaal", "9502 Stadskanaal", "9503 Stadskanaal"]


def test_suggest_matches_later_words(geocoder):
    assert "Nieuw-Buinen" in geocoder.suggest("buinen")


@pytest.mark.parametrize("prefix", ["", "   ", "!!"])
def test_suggest_nothing_for_nothing(geocoder, prefix):
    assert geocoder.suggest(prefix) == []


@pytest.mark.parametrize("prefix", [*string.ascii_lowercase, "'t", "1", "7", "9"])
def test_every_suggestion_geocodes(geocoder, prefix):
    for text in geocoder.suggest(prefix, limit=10_000):
        assert isinstance(geocoder.geocode(text), GeoPoint), text


# --- a tiny hand-made geocoder ---------------------------------------------------------


def _place(
    gid: int, name: str, gemeente: Gemeente, *, code: str = "PPL", people: int | None = None
) -> Place:
    lat, lon = gemeente.label_lat, gemeente.label_lon + gid / 1000
    return Place(
        gid,
        name,
        name,
        (),
        lat,
        lon,
        code,
        people,
        gemeente.code,
        gemeente.name,
        gemeente.provincie,
        gemeente.code,
    )


@pytest.fixture
def tiny() -> Geocoder:
    noord = Gemeente("GM0001", "Noord", "Groningen", 53.5, 6.5, box(6.0, 53.0, 7.0, 54.0))
    zuid = Gemeente("GM0002", "Zuid", "Drenthe", 52.5, 6.5, box(6.0, 52.0, 7.0, 53.0))
    places = [
        _place(1, "Dorp", noord),
        _place(2, "Dorp", zuid),
        _place(3, "Stad", noord, code="PPLA2"),
        _place(4, "Stad", zuid),
        _place(5, "Gehucht", zuid, people=10),
        _place(6, "Gehucht", zuid, people=50),
    ]
    postcodes = [Pc4Point("9999", "Dorp", 53.5, 6.5, "GM0001", "Noord", True)]
    return Geocoder([noord, zuid], postcodes, places)


def test_tiny_same_name_in_two_gemeenten_is_ambiguous(tiny):
    with pytest.raises(AmbiguousPlace) as info:
        tiny.geocode("Dorp")
    assert info.value.suggestions == ["Dorp (Noord)", "Dorp (Zuid)"]


def test_tiny_seat_wins_a_name_clash(tiny):
    assert tiny.geocode("Stad").gemeente_name == "Noord"


def test_tiny_duplicates_in_one_gemeente_give_the_biggest(tiny):
    assert tiny.geocode("gehucht").lon == pytest.approx(6.506)


def test_tiny_postcode(tiny):
    assert tiny.geocode("9999 XY").gemeente_code == "GM0001"


# --- properties and speed ------------------------------------------------------------

_postcode_like = st.builds(
    lambda d, sep, letters: d + sep + letters,
    st.from_regex(r"[0-9]{1,5}", fullmatch=True),
    st.sampled_from(["", " ", "-", "  "]),
    st.from_regex(r"[A-Za-z]{0,3}", fullmatch=True),
)
_coordinates_like = st.builds(
    lambda a, b, sep: f"{a}{sep}{b}",
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([",", ", ", " ", ";"]),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=120), _postcode_like, _coordinates_like))
def test_any_text_gives_a_point_or_a_geocode_error(geocoder, text):
    try:
        result = geocoder.geocode(text)
    except GeocodeError as error:
        assert error.message and error.message_en
    else:
        assert isinstance(result, GeoPoint)


def test_loading_is_fast_enough_for_start_up():
    started = time.perf_counter()
    Geocoder.from_reference()
    assert time.perf_counter() - started < 2.0  # ~0.2-0.35 s measured; generous for slow CI
