"""One organisation's view (netwerk/organisation_view.py), on the timeline snapshot.

A (partner 2018), B, C, D (partner 2023), E; w1 werkgroep 2019–2020-06 (A, B),
p1 project 2021-03– (B, C), c1 congres undated (A, C), r1 relation 2022 (A, D).
"""

from __future__ import annotations

import pytest

from netwerk.errors import InvalidOption, NoPath, UnknownOrganisation
from netwerk.organisation_view import (
    activities_by_year,
    ego,
    find_organisation,
    organisation_report,
    organisation_view,
    path,
    suggestions,
)


@pytest.mark.parametrize("key", ["A", "a"])
def test_find_organisation_by_id_or_slug(timeline_snapshot, key):
    assert find_organisation(timeline_snapshot, key).id == "A"


def test_an_unknown_organisation_is_not_found(timeline_snapshot):
    with pytest.raises(UnknownOrganisation):
        find_organisation(timeline_snapshot, "zz")


def test_history_is_grouped_by_start_year_unknown_last(timeline_snapshot):
    history = activities_by_year(timeline_snapshot, "A")
    assert [g["year"] for g in history] == [2019, 2022, None]
    assert [(i["type"], i["name"], i["kind"]) for g in history for i in g["items"]] == [
        ("activity", "w1", "werkgroep"),
        ("relation", "D", "convenant"),
        ("activity", "c1", "congres"),
    ]
    assert history[0]["items"][0]["role"] == "member"
    assert history[0]["items"][0]["source"] == "test"


def test_an_organisation_without_activities_has_no_history(timeline_snapshot):
    assert activities_by_year(timeline_snapshot, "E") == []


def test_organisation_view_has_metrics_ego_suggestions_and_history(timeline_snapshot):
    view = organisation_view(timeline_snapshot, "b")
    assert view["id"] == "B"
    assert view["organisation"]["degree"] == 2
    assert [m["id"] for m in view["ego"]["1"]["members"]] == ["A", "C"]
    assert view["ego"]["2"]["second_step"] == 1  # D, through A
    assert [s["b"]["id"] for s in view["suggestions"]] == ["D"]
    assert [g["year"] for g in view["history"]] == [2019, 2021]
    assert view["links"]["D"]["slug"] == "d"


def test_organisation_report_refuses_an_organisation_outside_the_chosen_network(timeline_snapshot):
    assert organisation_report(timeline_snapshot, "b")[0] == "B"
    with pytest.raises(UnknownOrganisation):
        organisation_report(timeline_snapshot, "b", scope="partners")


def test_ego_by_slug_with_radius(timeline_snapshot):
    assert ego(timeline_snapshot, "a", radius=2)["size"] == 3
    with pytest.raises(InvalidOption):
        ego(timeline_snapshot, "a", radius=3)


def test_path_by_slug(timeline_snapshot):
    chain = path(timeline_snapshot, "d", "c")
    assert [p["id"] for p in chain["path"]] == ["D", "A", "C"]
    with pytest.raises(NoPath):
        path(timeline_snapshot, "d", "c", year=2024)  # D was tied to A in 2022 only
    with pytest.raises(InvalidOption):
        path(timeline_snapshot, "a", "A")


def test_suggestions_for_one_organisation_or_all(timeline_snapshot):
    assert [s["b"]["id"] for s in suggestions(timeline_snapshot, organisation="d")] == ["B", "C"]
    assert len(suggestions(timeline_snapshot, limit=1)) == 1
