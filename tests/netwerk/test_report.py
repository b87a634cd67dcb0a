import json
import time

import pytest

import netwerk.report as report_module
from netwerk.errors import InvalidOption, UnknownOrganisation, YearOutOfRange
from netwerk.messages import EXPLANATIONS
from netwerk.report import normalize_options, report


@pytest.fixture
def broker_snapshot(make):
    """The broker graph as activities: one werkgroep per tie, 2019 onwards."""
    sectors = {
        "v": "welfare",
        "a1": "welfare",
        "a2": "welfare",
        "h1": "housing",
        "h2": "housing",
        "l1": "library",
    }
    orgs = [make.org(v, s, partner=True, since=2018, name=f"Org {v}") for v, s in sectors.items()]
    edges = [("v", "a1"), ("v", "a2"), ("v", "h1"), ("v", "h2"), ("v", "l1"), ("a2", "h2")]
    acts = [make.act(f"w{i}", pair, start="2019") for i, pair in enumerate(edges)]
    return make.snapshot(orgs, acts, version=7)


def test_report_is_plain_json(broker_snapshot):
    result = report(broker_snapshot, last_year=2020)
    assert json.loads(json.dumps(result, allow_nan=False)) == result


def test_report_sections(broker_snapshot):
    result = report(broker_snapshot, last_year=2020)
    assert set(result) == {
        "meta",
        "explanations",
        "network",
        "organisations",
        "silos",
        "resilience",
        "suggestions",
        "evolution",
    }
    assert result["meta"]["snapshot_version"] == 7


def test_organisations_keyed_by_id_with_names(broker_snapshot):
    v = report(broker_snapshot, last_year=2020)["organisations"]["v"]
    assert v["name"] == "Org v"
    assert v["brokerage"]["total"] == 9
    assert v["fragmentation"] == pytest.approx(0.9)
    assert v["ei_index"] == pytest.approx(0.2)
    assert v["articulation_point"] is True
    # of the 10 pairs of others all but a2-h2 (tied) have their only shortest path via v
    assert v["betweenness"] == pytest.approx(0.9)


def test_network_silos_and_resilience_sections(broker_snapshot):
    result = report(broker_snapshot, last_year=2020)
    assert result["network"]["degree_centralization"] == pytest.approx(0.9)
    assert result["silos"]["ei_index"]["network"] == pytest.approx(1 / 3)
    assert result["silos"]["mixing_matrix"]["welfare"]["housing"] == 3.0
    assert [p["id"] for p in result["resilience"]["articulation_points"]] == ["v"]
    assert result["resilience"]["node_cut"] == [{"id": "v", "name": "Org v", "sector": "welfare"}]
    assert [r["year"] for r in result["evolution"]] == [2017, 2018, 2019, 2020]


def test_every_reported_metric_is_explained(broker_snapshot):
    result = report(broker_snapshot, last_year=2020)
    entry = result["organisations"]["v"]
    attributes = {
        "name",
        "slug",
        "sector",
        "gemeente",
        "partner",
        "partner_since",
        "first_seen",
        "community",
        "articulation_point",
        "brokerage",
    }
    metrics = set(result["network"]) | (set(entry) - attributes) | set(entry["brokerage"])
    metrics |= set(result["silos"]) | set(result["resilience"]) | set(result["evolution"][0])
    metrics = (metrics - {"total", "year"}) | {"brokerage_total"}
    assert metrics - set(EXPLANATIONS) == set()
    assert result["explanations"] == EXPLANATIONS


def test_explanations_have_dutch_and_english():
    for metric, text in EXPLANATIONS.items():
        assert set(text) == {"nl", "en"}, metric
        assert text["nl"].endswith((".", "?")) and text["en"].endswith((".", "?")), metric


def test_warm_call_is_cached_and_far_faster(broker_snapshot):
    start = time.perf_counter()
    cold = report(broker_snapshot, last_year=2020)
    cold_time = time.perf_counter() - start
    start = time.perf_counter()
    warm = report(broker_snapshot, last_year=2020)
    warm_time = time.perf_counter() - start
    assert warm is cold
    assert warm_time < cold_time / 10


def test_other_options_give_another_report(broker_snapshot):
    assert report(broker_snapshot, last_year=2020) is not report(
        broker_snapshot, last_year=2020, layers=["werkgroep"]
    )


def test_new_data_version_is_recomputed(broker_snapshot, make):
    first = report(broker_snapshot, last_year=2020)
    newer = make.snapshot(broker_snapshot.organisations, broker_snapshot.activities[:1], version=8)
    second = report(newer, last_year=2020)
    assert second is not first
    assert second["network"]["ties"] == 1


def test_same_version_with_other_content_is_not_served_from_cache(broker_snapshot, make):
    first = report(broker_snapshot, last_year=2020)
    other = make.snapshot(broker_snapshot.organisations, broker_snapshot.activities[:2], version=7)
    assert report(other, last_year=2020)["network"]["ties"] == 2
    assert first["network"]["ties"] == 6


def test_equal_snapshot_object_hits_the_cache(broker_snapshot, make):
    first = report(broker_snapshot, last_year=2020)
    copy = make.snapshot(broker_snapshot.organisations, broker_snapshot.activities, version=7)
    assert report(copy, last_year=2020) is first


def test_cache_is_a_small_lru(broker_snapshot, monkeypatch):
    monkeypatch.setattr(report_module, "CACHE_SIZE", 2)
    calls = []
    compute = report_module._compute
    monkeypatch.setattr(
        report_module, "_compute", lambda s, o: calls.append(o["seed"]) or compute(s, o)
    )
    for seed in (1, 2, 1, 3, 2):  # 1, 2 computed; 1 hit; 3 evicts 2; 2 again computed
        report(broker_snapshot, last_year=2017, seed=seed)
    assert calls == [1, 2, 3, 2]


def test_betweenness_is_exact_by_default(broker_snapshot):
    note = report(broker_snapshot, last_year=2017)["meta"]["betweenness"]
    assert (note["exact"], note["k"], note["nl"]) == (True, None, "exact berekend")


def test_explicit_betweenness_k_is_documented(broker_snapshot):
    note = report(broker_snapshot, last_year=2017, betweenness_k=3)["meta"]["betweenness"]
    assert (note["exact"], note["k"]) == (False, 3)
    assert note["nl"].startswith("benaderd met k=3 steekproef-organisaties (seed 42)")


def test_sampling_switches_on_above_the_threshold(broker_snapshot, monkeypatch):
    monkeypatch.setattr("netwerk.centrality.DEFAULT_SAMPLE", 4)
    note = report(broker_snapshot, last_year=2017, approx_threshold=5)["meta"]["betweenness"]
    assert (note["exact"], note["k"]) == (False, 4)
    assert "6 organisaties" in note["nl"]


def test_focus_on_one_organisation(broker_snapshot):
    focus = report(broker_snapshot, last_year=2017, organisation="a1")["focus"]
    assert focus["ego"]["1"]["size"] == 1 and focus["ego"]["2"]["size"] == 5
    assert all(s["a"]["id"] == "a1" for s in focus["suggestions"])


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"colour": "red"}, InvalidOption, "Onbekende optie"),
        ({"organisation": "nope"}, UnknownOrganisation, "'nope'"),
        ({"year": 1700}, YearOutOfRange, "valt buiten"),
        ({"half_life": -2}, InvalidOption, "positief"),
        ({"betweenness_k": 1}, InvalidOption, "betweenness_k"),
        ({"organisation": ["v"]}, InvalidOption, "losse waarden"),
    ],
)
def test_bad_options(broker_snapshot, options, error, message):
    with pytest.raises(error, match=message):
        report(broker_snapshot, last_year=2017, **options)


def test_normalize_fixes_today_dependent_values():
    opts = normalize_options({"half_life": 2})
    assert opts["reference"] is not None and opts["last_year"] is not None
    assert normalize_options({"half_life": 2, "year": 2020})["reference"] is None


def test_report_at_a_date(broker_snapshot, make):
    # before 2019 no werkgroep has started: six partners (since 2018), no ties
    result = report(broker_snapshot, at="2018-06-01", last_year=2018)
    assert (result["network"]["nodes"], result["network"]["ties"]) == (6, 0)
    assert result["meta"]["options"]["at"] == "2018-06-01"
    assert json.dumps(result, allow_nan=False)


@pytest.mark.parametrize(
    "options",
    [{"year": 1950}, {"layers": ["relation"]}, {"scope": "partners", "half_life": 1}],
    ids=["no organisations", "no ties", "partners faded"],
)
def test_degenerate_networks_still_give_plain_json(broker_snapshot, options):
    result = report(broker_snapshot, last_year=2018, **options)
    assert json.loads(json.dumps(result, allow_nan=False)) == result
