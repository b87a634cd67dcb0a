"""find_help and place_detail on a hand-made snapshot around Nieuw-Buinen (52.9625 N, 6.95 E).

Distances checked by hand on the WGS84 ellipsoid (a = 6378137 m, f = 1/298.257223563):
- 0.01° east along the parallel: N·cos φ·Δλ with N = a/√(1−e²sin²φ) → 671.954 m;
- 0.0075° north along the meridian: M·Δφ with M = a(1−e²)/(1−e²sin²φm)^1.5 → 834.642 m.
Over such short lines the geodesic equals these arcs to well under a millimetre.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from data.errors import NotFound
from data.snapshot import PlaceRecord, PlacesSnapshot
from kaart.errors import InvalidQuery
from kaart.nearby import InvalidSearch, PlaceIndex
from kaart.search import find_help, local_minute, place_detail

HOME = (52.9625, 6.95)  # Nieuw-Buinen
TZ = ZoneInfo("Europe/Amsterdam")


def record(n: int, name: str, lat: float | None, lon: float | None, **kw: object) -> PlaceRecord:
    base = {f.name: None for f in dataclasses.fields(PlaceRecord)}
    base.update(
        service_id=f"s{n}", location_id=f"l{n}", slug=f"plek-{n}", name=name, kind="other",
        description="", needs=(), kapitaalsvormen=(), languages=(), service_area=(),
        location_type="physical", lat=lat, lon=lon, precision="address", confidential=False,
        source="test", free=True, referral_needed=False, gemeente_code="GM1681",
    )  # fmt: skip
    base.update(kw)
    return PlaceRecord(**base)  # type: ignore[arg-type]


PLACES = (
    record(
        1,
        "Voedselbank",
        52.9625,
        6.96,
        needs=("food",),
        referral_needed=True,
        opening_hours="Mo-Fr 09:00-17:00; PH off",
        address="Hoofdstraat 1",
    ),
    record(
        2,
        "Koffieochtend",
        52.97,
        6.95,
        needs=("meeting",),
        opening_hours="Mo-Fr 09:00-12:00,13:00-17:00; PH off",
    ),
    record(
        3,
        "Kledingbank",
        52.9895,
        6.9504,
        needs=("clothing", "food"),
        free=False,
        opening_hours="Sa 10:00-13:00",
    ),
    record(
        4,
        "Opvang",
        52.96,
        6.94,
        needs=("housing_energy",),
        confidential=True,
        address="Geheimstraat 99",
        contact_point="Bel 0800-2000",
    ),
    record(
        5,
        "Taalhuis Emmen",
        52.78,
        6.90,
        needs=("language_learning",),
        opening_hours="We 10:00-12:00",
    ),
    record(
        6,
        "Geldlijn",
        None,
        None,
        needs=("money_debt",),
        location_type="virtual",
        opening_hours="Mo-Fr 09:00-17:00",
        phone="0800-8115",
    ),
    record(
        7,
        "Avondcafé",
        52.9625,
        6.96,
        needs=("meeting",),
        opening_hours="Mo-Su 20:00-24:00",
        location_id="l1",
        slug="plek-1",
    ),
    record(
        8,
        "Taalcafé Zuid",
        52.80,
        6.95,
        needs=("language_learning",),
        opening_hours="We 10:00-12:00",
    ),
    record(
        9,
        "Taalcafé Noord",
        53.15,
        6.95,
        needs=("language_learning",),
        opening_hours="We 10:00-12:00",
    ),
)


@pytest.fixture(scope="module")
def index() -> PlaceIndex:
    return PlaceIndex(PlacesSnapshot(version=1, places=PLACES))


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def names(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.place.name for h in result.hits]


def test_nearest_first_with_hand_checked_geodesic_distances(index, geocoder):
    result = find_help(index, geocoder, lat=HOME[0], lon=HOME[1], now=at(2026, 3, 10, 10))
    assert names(result)[:4] == ["Avondcafé", "Voedselbank", "Koffieochtend", "Kledingbank"]
    km = {h.place.name: h.distance_km for h in result.hits}
    assert km["Voedselbank"] == pytest.approx(0.671954, abs=1e-6)
    assert km["Koffieochtend"] == pytest.approx(0.834642, abs=1e-6)
    assert result.point.precision == "coordinates"
    assert result.radius_km == 15 and not result.widened


def test_same_distance_is_ordered_by_name(index, geocoder):
    result = find_help(index, geocoder, lat=HOME[0], lon=HOME[1], now=at(2026, 3, 10, 10))
    assert names(result)[:2] == ["Avondcafé", "Voedselbank"]  # both at 6.96 E


def test_identical_searches_give_identical_results(index, geocoder):
    a = find_help(
        index,
        geocoder,
        query="Nieuw-Buinen",
        needs=["food", "meeting"],
        now=at(2026, 3, 10, 10, 0, 5),
    )
    b = find_help(
        index,
        geocoder,
        query="Nieuw-Buinen",
        needs=["meeting", "food"],
        now=at(2026, 3, 10, 10, 0, 55),
    )
    assert a == b


def test_now_is_rounded_down_to_the_minute_in_amsterdam():
    assert (
        local_minute(dt.datetime(2026, 4, 27, 8, 30, 59, tzinfo=dt.UTC)).isoformat()
        == "2026-04-27T10:30:00+02:00"
    )
    assert (
        local_minute(dt.datetime(2026, 1, 5, 9, 15, 1)).isoformat() == "2026-01-05T09:15:00+01:00"
    )


def _status(index, geocoder, name, now):  # type: ignore[no-untyped-def]
    result = find_help(index, geocoder, lat=HOME[0], lon=HOME[1], now=now)
    return next(h.openness for h in result.hits if h.place.name == name)


def test_closed_on_sunday_opens_monday(index, geocoder):
    o = _status(index, geocoder, "Voedselbank", at(2026, 3, 8, 11))  # a Sunday
    assert o.state == "closed" and o.today == ()
    assert o.opens_next == at(2026, 3, 9, 9)


def test_closed_on_kings_day_opens_the_day_after(index, geocoder):
    o = _status(index, geocoder, "Voedselbank", at(2026, 4, 27, 10))  # Koningsdag, a Monday
    assert o.state == "closed"
    assert o.opens_next == at(2026, 4, 28, 9)


def test_sunday_before_kings_day_skips_the_holiday(index, geocoder):
    o = _status(index, geocoder, "Voedselbank", at(2026, 4, 26, 12))
    assert o.opens_next == at(2026, 4, 28, 9)


def test_at_2359_an_evening_place_is_open_until_midnight(index, geocoder):
    o = _status(index, geocoder, "Avondcafé", at(2026, 3, 10, 23, 59))
    assert o.is_open and o.until == at(2026, 3, 11, 0, 0)
    assert o.today == (("20:00", "24:00"),)


def test_at_2359_a_day_place_opens_next_morning(index, geocoder):
    o = _status(index, geocoder, "Voedselbank", at(2026, 3, 10, 23, 59))
    assert o.state == "closed" and o.opens_next == at(2026, 3, 11, 9)


@pytest.mark.parametrize(
    ("moment", "state", "until", "opens_next"),
    [
        (at(2026, 3, 10, 10), "open", at(2026, 3, 10, 12), None),
        (at(2026, 3, 10, 12, 30), "closed", None, at(2026, 3, 10, 13)),
        (at(2026, 3, 10, 13), "open", at(2026, 3, 10, 17), None),
    ],
)
def test_two_openings_a_day(index, geocoder, moment, state, until, opens_next):
    o = _status(index, geocoder, "Koffieochtend", moment)
    assert (o.state, o.until, o.opens_next) == (state, until, opens_next)
    assert o.today == (("09:00", "12:00"), ("13:00", "17:00"))


def test_open_now_keeps_only_open_places(index, geocoder):
    result = find_help(
        index, geocoder, lat=HOME[0], lon=HOME[1], open_now=True, now=at(2026, 3, 10, 12, 30)
    )
    assert names(result) == ["Voedselbank"]  # the Koffieochtend has its lunch break
    result = find_help(
        index, geocoder, lat=HOME[0], lon=HOME[1], open_now=True, now=at(2026, 3, 10, 10)
    )
    assert names(result) == ["Voedselbank", "Koffieochtend"]


def test_open_at_a_chosen_moment(index, geocoder):
    result = find_help(
        index,
        geocoder,
        lat=HOME[0],
        lon=HOME[1],
        open_at=dt.datetime(2026, 3, 14, 11),
        now=at(2026, 3, 10, 10),
    )
    assert names(result) == ["Kledingbank"]  # Saturday morning
    assert result.at == at(2026, 3, 14, 11) and not result.at_is_now


def test_needs_any_is_or(index, geocoder):
    result = find_help(
        index,
        geocoder,
        lat=HOME[0],
        lon=HOME[1],
        needs=("food", "clothing"),
        now=at(2026, 3, 10, 10),
    )
    assert names(result) == ["Voedselbank", "Kledingbank"]


def test_needs_all_is_and(index, geocoder):
    result = find_help(
        index,
        geocoder,
        lat=HOME[0],
        lon=HOME[1],
        needs=("food", "clothing"),
        needs_match="all",
        now=at(2026, 3, 10, 10),
    )
    assert names(result) == ["Kledingbank"]


def test_free_and_no_referral(index, geocoder):
    free = find_help(
        index,
        geocoder,
        lat=HOME[0],
        lon=HOME[1],
        needs=("food",),
        free=True,
        now=at(2026, 3, 10, 10),
    )
    assert names(free) == ["Voedselbank"]
    direct = find_help(
        index,
        geocoder,
        lat=HOME[0],
        lon=HOME[1],
        needs=("food",),
        no_referral=True,
        now=at(2026, 3, 10, 10),
    )
    assert names(direct) == ["Kledingbank"]


def test_widens_when_nothing_is_near(index, geocoder):
    result = find_help(
        index,
        geocoder,
        lat=HOME[0],
        lon=HOME[1],
        needs=("language_learning",),
        now=at(2026, 3, 10, 10),
    )
    assert result.widened and result.radius_km == 25 and result.first_radius_km == 15
    assert result.near_count == 0
    assert names(result) == ["Taalcafé Zuid", "Taalhuis Emmen", "Taalcafé Noord"]
    assert [round(h.distance_km, 1) for h in result.hits] == [18.1, 20.6, 20.9]


def test_does_not_widen_when_enough_is_near(index, geocoder):
    result = find_help(index, geocoder, lat=HOME[0], lon=HOME[1], now=at(2026, 3, 10, 10))
    assert not result.widened and result.near_count == len(result.hits) == 4


def test_remote_help_is_listed_apart(index, geocoder):
    result = find_help(
        index, geocoder, lat=HOME[0], lon=HOME[1], needs=("money_debt",), now=at(2026, 3, 10, 10)
    )
    assert names(result) == []
    assert [r.place.name for r in result.remote] == ["Geldlijn"]
    assert result.remote[0].openness.is_open


def test_confidential_places_are_kept_out_of_the_distance_list(index, geocoder):
    result = find_help(index, geocoder, lat=HOME[0], lon=HOME[1], now=at(2026, 3, 10, 10))
    assert "Opvang" not in names(result)
    assert [c.place.name for c in result.confidential] == ["Opvang"]


def test_text_wins_over_coordinates(index, geocoder):
    result = find_help(
        index, geocoder, query="Emmen", lat=HOME[0], lon=HOME[1], now=at(2026, 3, 10, 10)
    )
    assert result.point.label == "Emmen" and result.point.precision == "place"


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({}, InvalidQuery),
        ({"lat": 52.9}, InvalidSearch),
        ({"query": "Emmen", "postcode": "9521"}, InvalidSearch),
        ({"query": "Emmen", "needs": ("cake",)}, InvalidSearch),
        (
            {"query": "Emmen", "open_now": True, "open_at": dt.datetime(2026, 3, 14, 11)},
            InvalidSearch,
        ),
        ({"query": "Emmen", "radius_km": 80}, InvalidSearch),
    ],
)
def test_bad_searches_are_refused(index, geocoder, options, error):
    with pytest.raises(error):
        find_help(index, geocoder, now=at(2026, 3, 10, 10), **options)


def test_place_detail_has_every_offer_and_the_week_with_holidays(index):
    detail = place_detail(index, "plek-1", now=at(2026, 4, 29, 10))
    assert [o.place.name for o in detail.offers] == ["Avondcafé", "Voedselbank"]
    week = detail.offers[1].week
    assert [d.day for d in week] == [dt.date(2026, 4, 27) + dt.timedelta(days=i) for i in range(7)]
    assert (week[0].holiday, week[0].hours) == ("Koningsdag", ())
    assert week[1].hours == (("09:00", "17:00"),)


def test_place_detail_of_an_unknown_slug(index):
    with pytest.raises(NotFound):
        place_detail(index, "bestaat-niet")
