"""bench/lighthouse.py's pure parts: a Lighthouse report read into scores and failing audits,
and the ``--check`` verdict. A small hand-made report; no node, no browser."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "http://127.0.0.1:8123"


@pytest.fixture(scope="module")
def bench(bench_module):
    return bench_module("lighthouse")


def audit(title, score, mode="binary", **extra):
    return {"title": title, "score": score, "scoreDisplayMode": mode, **extra}


@pytest.fixture
def report():
    """Scores 0.62 / 0.97 / 0.93: one failing and one errored accessibility audit, one
    failing best-practices audit, and passing, not-applicable, manual and informative ones."""
    return {
        "categories": {
            "performance": {"score": 0.62, "auditRefs": [{"id": "largest-contentful-paint"}]},
            "accessibility": {
                "score": 0.97,
                "auditRefs": [
                    {"id": "color-contrast"},
                    {"id": "image-alt"},
                    {"id": "label"},
                    {"id": "tabindex"},
                    {"id": "focus-traps"},
                ],
            },
            "best-practices": {
                "score": 0.93,
                "auditRefs": [
                    {"id": "errors-in-console"},
                    {"id": "is-on-https"},
                    {"id": "csp-xss"},
                ],
            },
        },
        "audits": {
            "largest-contentful-paint": audit(
                "Largest Contentful Paint", 0.3, "numeric", numericValue=3984.4
            ),
            "cumulative-layout-shift": audit(
                "Cumulative Layout Shift", 1, "numeric", numericValue=0.01234
            ),
            "color-contrast": audit(
                "Background and foreground colors do not have enough contrast", 0
            ),
            "image-alt": audit("Image elements have `[alt]` attributes", 1),
            "label": audit("Form elements have labels", None, "error", errorMessage="axe crashed"),
            "tabindex": audit("No element has a tabindex above 0", None, "notApplicable"),
            "focus-traps": audit("User focus is not accidentally trapped", None, "manual"),
            "errors-in-console": audit("Browser errors were logged to the console", 0),
            "is-on-https": audit("Uses HTTPS", 1),
            "csp-xss": audit("Ensure CSP is effective against XSS attacks", None, "informative"),
            "network-requests": {
                "details": {
                    "items": [
                        {"url": f"{ORIGIN}/zoeken?q=9501"},
                        {"url": "https://tiles.invalid/12/2126/1334.png"},
                        {"url": "data:image/gif;base64,R0lGODlhAQABAAD/ACwAAAAAAQABAAACADs="},
                        {"url": "https://cdn.example/leaflet.js"},
                    ]
                }
            },
        },
    }


def test_scores_are_percentages(bench, report):
    scores = bench.summarise(report, ORIGIN)["scores"]
    assert scores == {"performance": 62, "accessibility": 97, "best-practices": 93}


def test_metrics_are_rounded_and_missing_ones_left_out(bench, report):
    metrics = bench.summarise(report, ORIGIN)["metrics"]
    assert metrics == {"largest-contentful-paint": 3984, "cumulative-layout-shift": 0.012}


def test_failing_audits_are_those_scored_below_one_or_errored(bench, report):
    failing = bench.summarise(report, ORIGIN)["failing"]
    assert [a["id"] for a in failing["accessibility"]] == ["color-contrast", "label"]
    assert failing["accessibility"][1]["error"] == "axe crashed"
    assert failing["best-practices"] == [
        {"id": "errors-in-console", "title": "Browser errors were logged to the console"}
    ]


def test_performance_audits_are_not_listed(bench, report):
    assert "performance" not in bench.summarise(report, ORIGIN)["failing"]


def test_outside_requests_leave_out_our_origin_tiles_and_data_urls(bench, report):
    assert bench.summarise(report, ORIGIN)["outside_requests"] == ["https://cdn.example/leaflet.js"]


def test_a_category_without_a_score_is_none(bench, report):
    report["categories"]["accessibility"]["score"] = None
    assert bench.summarise(report, ORIGIN)["scores"]["accessibility"] is None


def test_runs_combine_to_the_median_performance_and_the_worst_gated_scores(bench, report):
    first = bench.summarise(report, ORIGIN)
    report["categories"]["performance"]["score"] = 0.9
    report["categories"]["accessibility"]["score"] = 1
    report["audits"]["largest-contentful-paint"]["numericValue"] = 2000
    report["audits"]["color-contrast"]["score"] = 1
    report["audits"]["image-alt"]["score"] = 0
    second = bench.summarise(report, ORIGIN)
    report["categories"]["performance"]["score"] = 0.7
    third = bench.summarise(report, ORIGIN)
    combined = bench.combine([first, second, third])
    assert combined["runs"] == 3
    assert combined["scores"] == {"performance": 70, "accessibility": 97, "best-practices": 93}
    assert combined["metrics"]["largest-contentful-paint"] == 2000
    ids = [a["id"] for a in combined["failing"]["accessibility"]]
    assert ids == ["color-contrast", "label", "image-alt"]


def passing_page():
    return {
        "scores": {"performance": 31, "accessibility": 100, "best-practices": 95},
        "outside_requests": [],
    }


def test_check_passes_at_the_targets_whatever_the_performance(bench):
    assert bench.verdict({"start": passing_page()}, check=True) == 0


@pytest.mark.parametrize(
    ("category", "score"), [("accessibility", 99), ("best-practices", 94), ("accessibility", None)]
)
def test_check_fails_below_a_target(bench, capsys, category, score):
    page = passing_page()
    page["scores"][category] = score
    assert bench.verdict({"start": passing_page(), "embed": page}, check=True) == 1
    assert f"embed: {category} {score}" in capsys.readouterr().err


def test_check_fails_on_an_outside_request(bench):
    page = {**passing_page(), "outside_requests": ["https://cdn.example/leaflet.js"]}
    assert bench.verdict({"start": page}, check=True) == 1


def test_without_check_a_shortfall_is_reported_but_exits_0(bench, capsys):
    page = passing_page()
    page["scores"]["accessibility"] = 90
    assert bench.verdict({"start": page}, check=False) == 0
    assert "start: accessibility 90 < 100" in capsys.readouterr().err


def test_the_command_is_mobile_with_three_categories_and_blocks_tiles(bench, tmp_path):
    command = bench.lighthouse_command(f"{ORIGIN}/", tmp_path / "r.json", "/usr/bin/chromium")
    assert "--only-categories=performance,accessibility,best-practices" in command
    assert "--blocked-url-patterns=*://tiles.invalid/*" in command
    assert not any(
        arg.startswith(("--preset", "--form-factor", "--screenEmulation")) for arg in command
    )
    flags = next(arg for arg in command if arg.startswith("--chrome-flags="))
    assert "--headless=new" in flags and "--no-sandbox" in flags


@pytest.mark.parametrize(
    ("skipped", "flag"),
    [
        ({}, None),
        (
            {"is-on-https": "why", "errors-in-console": "why"},
            "--skip-audits=is-on-https,errors-in-console",
        ),
    ],
)
def test_the_skip_list_goes_to_lighthouse(bench, monkeypatch, tmp_path, skipped, flag):
    monkeypatch.setattr(bench, "SKIPPED_AUDITS", skipped)
    command = bench.lighthouse_command(f"{ORIGIN}/", tmp_path / "r.json", "/usr/bin/chromium")
    assert [arg for arg in command if arg.startswith("--skip-audits")] == ([flag] if flag else [])
