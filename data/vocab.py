"""The fixed vocabularies of the registry: codes (labels live in the message catalogue),
and the one colour of each sector shared by the network picture and the network map."""

from __future__ import annotations

SECTORS: tuple[str, ...] = (
    "housing", "welfare", "municipality", "province", "mental_health", "addiction_care",
    "library", "food_aid", "knowledge_institute", "education", "health", "funds", "media",
    "residents_initiative", "other",
)
#: One colour per sector, the same on the network picture and the network map.
SECTOR_COLOURS: dict[str, str] = {
    "housing": "#1f77b4", "welfare": "#e6550d", "municipality": "#2ca02c",
    "province": "#74c476", "mental_health": "#9467bd", "addiction_care": "#bcaad6",
    "library": "#e377c2", "food_aid": "#bcbd22", "knowledge_institute": "#d62728",
    "education": "#ff9896", "health": "#17becf", "funds": "#8c564b", "media": "#c49c94",
    "residents_initiative": "#fdae6b", "other": "#9e9e9e",
}  # fmt: skip

NEEDS: tuple[str, ...] = (
    "food", "clothing", "money_debt", "meeting", "children_youth", "health_care",
    "housing_energy", "work_participation", "language_learning", "practical_help",
)

KAPITAALSVORMEN: tuple[str, ...] = ("economisch", "sociaal", "cultureel", "pedagogisch", "mentaal")

ACTIVITY_KINDS: tuple[str, ...] = (
    "werkgroep", "transitietafel", "leerkring", "experiment", "project", "congres",
    "netwerktafel", "other",
)

ROLES: tuple[str, ...] = ("lead", "member")

#: How exactly a location's point is known. A PC4 centroid is "postcode", never "address".
PRECISIONS: tuple[str, ...] = ("address", "postcode", "place")

LOCATION_TYPES: tuple[str, ...] = ("physical", "virtual")

#: What kind of warmtebron a service is (from the shipped warmtebronnen file).
SERVICE_KINDS: tuple[str, ...] = (
    "food_bank", "clothing_bank", "library", "community_centre", "drop_in", "debt_help",
    "children_fund", "welfare", "language_help", "repair_cafe", "giveaway_shop",
    "church_drop_in", "health", "partner_office", "other",
)

#: The capital forms a need mostly strengthens, used when a source does not say it.
NEED_KAPITAAL: dict[str, tuple[str, ...]] = {
    "food": ("economisch",),
    "clothing": ("economisch",),
    "money_debt": ("economisch", "mentaal"),
    "meeting": ("sociaal",),
    "children_youth": ("pedagogisch", "cultureel"),
    "health_care": ("mentaal",),
    "housing_energy": ("economisch",),
    "work_participation": ("economisch", "sociaal"),
    "language_learning": ("cultureel",),
    "practical_help": ("economisch", "sociaal"),
}
