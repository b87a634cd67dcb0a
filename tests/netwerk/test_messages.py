import pytest

from data.vocab import SECTORS
from netwerk.messages import (
    BROKERAGE_CONVENTION,
    SECTOR_LABELS,
    TEMPLATES,
    explain,
    join_names,
    sector_label,
    text,
)


@pytest.mark.parametrize(
    ("names", "lang", "expected"),
    [
        ([], "nl", ""),
        (["A"], "nl", "A"),
        (["A", "B"], "nl", "A en B"),
        (["A", "B", "C"], "nl", "A, B en C"),
        (["A", "B", "C", "D"], "nl", "A, B, C en 1 andere"),
        (["A", "B", "C", "D", "E"], "en", "A, B, C and 2 others"),
    ],
)
def test_join_names(names, lang, expected):
    assert join_names(names, lang=lang) == expected


def test_every_sector_has_a_dutch_and_english_label():
    assert set(SECTOR_LABELS) == set(SECTORS)
    assert sector_label("food_aid") == "voedselhulp"
    assert sector_label("food_aid", "en") == "food aid"


def test_unknown_sector_shows_its_code():
    assert sector_label("bakery") == "bakery"


def test_templates_and_conventions_have_both_languages():
    for key, entry in {**TEMPLATES, "brokerage": BROKERAGE_CONVENTION}.items():
        assert set(entry) == {"nl", "en"}, key


def test_text_and_explain():
    assert text("distance", "en", km=8) == "8 km apart"
    assert explain("betweenness").startswith("Hoe vaak deze organisatie op de kortste weg")
