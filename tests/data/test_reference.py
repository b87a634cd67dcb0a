"""Known answers for the shipped reference geodata (data/sources/geo/SOURCES.md)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from shapely.geometry import box

from data.errors import ImportFailed
from data.reference import (
    ATTRIBUTION,
    ATTRIBUTION_CBS,
    ATTRIBUTION_GEONAMES,
    Gemeente,
    GemeenteIndex,
    load_gemeenten,
    load_pc4,
    load_pc4_areas,
    load_pc4_nl,
    load_places,
    load_wijken,
    resolve_pc4,
)

GEMEENTEN = load_gemeenten()  # test-time read; parametrizes the label-point test below


@pytest.fixture(scope="module")
def index() -> GemeenteIndex:
    return GemeenteIndex(GEMEENTEN)


@pytest.fixture(scope="module")
def pc4_rows():
    return load_pc4()


@pytest.fixture(scope="module")
def pc4_areas():
    return load_pc4_areas()


@pytest.fixture(scope="module")
def places():
    return load_places()


def test_there_are_22_gemeenten_with_unique_cbs_codes():
    codes = [g.code for g in GEMEENTEN]
    assert len(set(codes)) == 22
    assert all(c.startswith("GM") and len(c) == 6 for c in codes)


def test_gemeenten_split_10_groningen_12_drenthe():
    provinces = [g.provincie for g in GEMEENTEN]
    assert (provinces.count("Groningen"), provinces.count("Drenthe")) == (10, 12)


def test_gemeente_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        GEMEENTEN[0].name = "Elders"  # type: ignore[misc]


@pytest.mark.parametrize("gemeente", GEMEENTEN, ids=lambda g: g.name)
def test_gemeente_at_label_point_is_that_gemeente(index, gemeente):
    assert index.gemeente_at(gemeente.label_lat, gemeente.label_lon) == gemeente


@pytest.mark.parametrize(
    ("lat", "lon", "name"),
    [
        (53.2192, 6.5667, "Groningen"),  # Grote Markt
        (52.7792, 6.9069, "Emmen"),
        (52.9895, 6.9504, "Stadskanaal"),
    ],
)
def test_gemeente_at_known_points(index, lat, lon, name):
    assert index.gemeente_at(lat, lon).name == name


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(53.3974, 6.2141), (53.4445, 6.8303)],
    ids=["Lauwersoog", "Eemshaven"],
)
def test_coastal_points_in_the_water_get_the_nearest_gemeente(index, lat, lon):
    assert index.gemeente_at(lat, lon).name == "Het Hogeland"


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(54.5, 5.0), (52.37, 4.89), (48.85, 2.35), (-33.9, 151.2)],
    ids=["North Sea", "Amsterdam", "Paris", "Sydney"],
)
def test_gemeente_at_far_away_is_none(index, lat, lon):
    assert index.gemeente_at(lat, lon) is None


@pytest.fixture
def square() -> GemeenteIndex:
    gemeente = Gemeente("GM0001", "Vierkant", "Drenthe", 52.5, 6.5, box(6.0, 52.0, 7.0, 53.0))
    return GemeenteIndex([gemeente], tolerance_m=2000)


@pytest.mark.parametrize(("lat", "found"), [(53.015, True), (53.025, False)])
def test_tolerance_is_about_2_km(square, lat, found):
    # 0.015° north of the edge is ~1.7 km, 0.025° is ~2.8 km.
    assert (square.gemeente_at(lat, 6.5) is not None) is found


def test_index_needs_gemeenten():
    with pytest.raises(ValueError, match="at least one"):
        GemeenteIndex([])


@pytest.mark.parametrize(
    ("pc4", "place", "lat", "lon", "gemeente"),
    [
        ("7811", "Emmen", 52.783, 6.8954, "Emmen"),
        ("9501", "Stadskanaal", 52.9938, 6.9497, "Stadskanaal"),
        ("9711", "Groningen", 53.2167, 6.5697, "Groningen"),
    ],
)
def test_resolve_pc4_known_answers(pc4_rows, pc4, place, lat, lon, gemeente):
    point = resolve_pc4(pc4_rows, gemeenten=GEMEENTEN)[pc4]
    assert (point.place, point.lat, point.lon, point.gemeente_name) == (place, lat, lon, gemeente)


@pytest.mark.parametrize("with_cbs_areas", [True, False])
@pytest.mark.parametrize(
    ("pc4", "code"),
    [
        ("7933", "GM0118"),  # Pesse: Hoogeveen, not Westerveld (SOURCES.md known issue)
        ("9417", "GM1731"),  # Spier: Midden-Drenthe
        ("9423", "GM1731"),  # Hoogersmilde: Midden-Drenthe
        ("9623", "GM1952"),  # Lageland: GeoNames' Midden-Groningen is right
        ("9976", "GM1966"),  # Lauwersoog: point in the water, no point-in-polygon code
    ],
)
def test_resolve_pc4_known_issues(pc4_rows, pc4_areas, with_cbs_areas, pc4, code):
    areas = pc4_areas if with_cbs_areas else ()
    assert resolve_pc4(pc4_rows, areas=areas, gemeenten=GEMEENTEN)[pc4].gemeente_code == code


def test_resolve_pc4_takes_the_cbs_main_place_for_a_shared_pc4(pc4_rows, pc4_areas):
    point = resolve_pc4(pc4_rows, areas=pc4_areas, gemeenten=GEMEENTEN)["7887"]
    assert (point.place, point.lat, point.lon) == ("Erica", 52.7111, 6.9254)


def test_every_gr_dr_pc4_gets_a_gr_dr_gemeente(pc4_rows):
    codes = {g.code for g in GEMEENTEN}
    points = resolve_pc4(pc4_rows, gemeenten=GEMEENTEN)
    assert len(points) == 514
    assert {p.gemeente_code for p in points.values()} <= codes


def test_pc4_outside_the_region_has_no_gemeente():
    point = resolve_pc4(load_pc4_nl())["1012"]
    assert (point.place, point.in_region, point.gemeente_code) == ("Amsterdam", False, None)


def test_pc4_nl_skips_the_wrong_geonames_row_for_7571():
    assert {r.place for r in load_pc4_nl() if r.pc4 == "7571"} == {"Oldenzaal"}


def test_pc4_nl_leaves_gr_dr_to_the_checked_file():
    assert not {r.provincie for r in load_pc4_nl()} & {"Groningen", "Drenthe"}


def test_po_box_postcode_9701_is_absent(pc4_rows):
    assert "9701" not in {r.pc4 for r in pc4_rows}


@pytest.mark.parametrize(
    ("name", "lat", "lon", "gemeente"),
    [
        ("Stadskanaal", 52.98947, 6.9504, "Stadskanaal"),
        ("Nieuw-Buinen", 52.9625, 6.95, "Borger-Odoorn"),
    ],
)
def test_places_known_answers(places, name, lat, lon, gemeente):
    (place,) = [p for p in places if p.name == name]
    assert (place.lat, place.lon, place.gemeente_name) == (lat, lon, gemeente)


def test_place_alternate_names_are_split(places):
    (place,) = [p for p in places if p.name == "Tweede Exloërmond"]
    assert "2e Exloërmond" in place.alternate_names


def test_unknown_geonames_population_is_none(places):
    (place,) = [p for p in places if p.name == "Exloërkijl"]
    assert place.population is None


def test_alteveer_exists_in_three_gemeenten(places):
    assert sorted(p.gemeente_name for p in places if p.name == "Alteveer") == [
        "De Wolden",
        "Noordenveld",
        "Stadskanaal",
    ]


def test_wijken_carry_names_and_gemeente():
    wijken = {w.code: w for w in load_wijken()}
    assert (wijken["WK001400"].name, wijken["WK001400"].gemeente_name) == ("Centrum", "Groningen")


@pytest.mark.parametrize("loader", [load_pc4_areas, load_wijken])
def test_optional_files_may_be_missing(tmp_path: Path, loader):
    assert loader(tmp_path, missing_ok=True) == []


def test_required_file_missing_is_an_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        load_pc4(tmp_path)


def test_bad_rows_are_reported_row_by_row(tmp_path: Path):
    (tmp_path / "pc4_gr_dr.csv").write_text(
        "pc4,plaats,gemeentecode,gemeentenaam,provincie,lat,lon,gemeentecode_pip\n"
        "9501,Stadskanaal,GM0037,Stadskanaal,Groningen,52.99,6.95,GM0037\n"
        "9502,Stadskanaal,GM0037,Stadskanaal,Groningen,noord,6.95,GM0037\n"
        "95O3,Stadskanaal,GM0037,Stadskanaal,Groningen,52.99,6.95,GM0037\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as info:
        load_pc4(tmp_path)
    assert [(e.row, e.field) for e in info.value.errors] == [(2, "lat"), (3, "pc4")]


def test_attribution_names_both_sources_and_the_licence():
    assert ATTRIBUTION == (ATTRIBUTION_CBS, ATTRIBUTION_GEONAMES)
    assert "CBS" in ATTRIBUTION_CBS and "GeoNames" in ATTRIBUTION_GEONAMES
    assert all("CC BY 4.0" in text for text in ATTRIBUTION)
