"""The nearby benchmark's baseline must answer what the index answers, or its ratio is moot.

Runs bench/bench_nearby.py's pure functions on 200 generated places and 20 questions.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench(bench_module):
    return bench_module("bench_nearby")


@pytest.fixture(scope="module")
def setup(bench):
    places = bench.make_places(200, seed=3)
    index, _seconds = bench.build_index(places)
    queries = bench.make_queries(20, seed=4)
    answers = [bench.index_search(index, q) for q in queries]
    return bench.BruteForce(index), queries, answers


def test_the_questions_cover_every_kind_of_filter(setup):
    _brute, queries, _answers = setup
    assert any(q.filters.open_at for q in queries)
    assert any(q.filters.needs_match == "all" for q in queries)
    assert any(q.filters.free or q.filters.no_referral for q in queries)


def test_brute_force_finds_the_places_the_index_finds(bench, setup):
    brute, queries, answers = setup
    verdicts = [
        bench.compare(brute, q, a, brute.search(q)) for q, a in zip(queries, answers, strict=True)
    ]
    assert verdicts.count("exact") >= 18, verdicts
    assert sum(len(a.hits) for a in answers) > 100  # not a comparison of empty answers
    assert any(a.widened for a in answers)


def test_compare_rejects_a_wrong_answer(bench, setup):
    brute, queries, answers = setup
    q, ours = next((q, a) for q, a in zip(queries, answers, strict=True) if len(a.hits) >= 5)
    answer = brute.search(q)
    wrong = dataclasses.replace(answer, ids=answer.ids[:2] + answer.ids[3:])  # one place lost
    with pytest.raises(AssertionError, match="disagree"):
        bench.compare(brute, q, ours, wrong)
