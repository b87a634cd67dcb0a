"""Schemathesis against the service's own OpenAPI document: every operation, bounded.

Each operation is fuzzed with schema-valid (positive) requests and, when it has query
parameters, with schema-invalid (negative) ones. Checked on every answer:

- no server error (a 5xx), except a 501 the operation declares (oEmbed's answer to a
  format it does not offer);
- a documented status code and content type, and a body that conforms to the schema
  declared for it (Schemathesis' built-in checks);
- schema-invalid input is rejected with a 4xx;
- every 4xx is in the project's one error shape (``api/errors.py``).

Not checked: that every schema-valid request is accepted. Rules that span parameters
(``year`` or ``at``, not both), unknown postcodes and places, and filters naming an
unknown organisation are documented 4xx answers that OpenAPI cannot express.

The run is deterministic (``derandomize=True``, no example database) so CI is stable.
Schemathesis' pytest plugin (``schemathesis.pytest.from_fixture``) breaks on pytest 9
(it writes ``Function._nodeid``), so the operations are parametrized here and each one
is driven through ``APIOperation.as_strategy`` with Hypothesis' ``@given``.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.schemas import ErrorBody

#: Examples per operation: schema-valid requests, and schema-invalid ones (which only
#: reach request validation, so fewer suffice).
MAX_EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}
#: No shrinking: a failing operation stops at its first failure (the report has the
#: curl line to reproduce it), which keeps a red run inside the time budget as well.
PHASES = (Phase.explicit, Phase.generate)


@functools.cache
def _spec() -> dict[str, Any]:
    """The OpenAPI document of an app that was never started (nothing is opened)."""
    from api.app import create_app
    from api.settings import Settings

    return create_app(Settings(database_url="sqlite://")).openapi()


def _operations(*, with_query: bool = False) -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, item in _spec()["paths"].items()
        for method, op in item.items()
        if not with_query or any(p["in"] == "query" for p in op.get("parameters", []))
    ]


def _has_query(method: str, path: str, name: str) -> bool:
    op = _spec()["paths"][path][method.lower()]
    return any(p["in"] == "query" and p["name"] == name for p in op.get("parameters", []))


#: Parameters held at a fixed value during positive fuzzing (none: the fading bug is fixed).
HELD: dict[str, float] = {}


def _case(method: str, path: str, mode: GenerationMode) -> Any:
    return pytest.param(method, path, mode, id=f"{method} {path} {mode.value}")


CASES = [
    *(_case(m, p, GenerationMode.POSITIVE) for m, p in _operations()),
    *(_case(m, p, GenerationMode.NEGATIVE) for m, p in _operations(with_query=True)),
]


@pytest.fixture(scope="module")
def api_schema(app):  # type: ignore[no-untyped-def]
    """The schema as the running app serves it; Schemathesis starts the app's lifespan."""
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def no_server_error(ctx: Any, response: Any, case: Any) -> None:
    """No 5xx, except a 501 that the operation declares."""
    status = response.status_code
    if status < 500:
        return
    declared = _spec()["paths"][case.operation.path][case.method.lower()].get("responses", {})
    assert status == 501 and "501" in declared, f"server error {status}: {response.text[:300]}"


def error_shape(ctx: Any, response: Any, case: Any) -> None:
    """Every 4xx answer is ``{"error": {"status", "code", "message", "details"}}``."""
    if not 400 <= response.status_code < 500:
        return
    body = response.json()
    ErrorBody.model_validate(body)
    assert body["error"]["status"] == response.status_code, body
    assert body["error"]["message"].strip(), body


def test_every_served_operation_is_fuzzed(api_schema) -> None:  # type: ignore[no-untyped-def]
    served = {(op.method.upper(), op.path) for op in (r.ok() for r in api_schema.get_all_operations())}
    assert served == set(_operations())
    assert ("GET", "/hsds/services") in served and ("GET", "/api/v1/nearby") in served


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_operation_conforms(api_schema, method: str, path: str, mode: GenerationMode) -> None:  # type: ignore[no-untyped-def]
    operation = api_schema[path][method]
    held = {k: v for k, v in HELD.items() if mode is GenerationMode.POSITIVE and _has_query(method, path, k)}
    calls = []

    @given(case=operation.as_strategy(generation_mode=mode, query=held or None))
    @settings(max_examples=MAX_EXAMPLES[mode], deadline=None, derandomize=True, database=None,
              phases=PHASES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def fuzz(case: Any) -> None:
        calls.append(case)
        case.call_and_validate(
            additional_checks=[no_server_error, error_shape],
            excluded_checks=[not_a_server_error, positive_data_acceptance],
        )

    fuzz()
    assert calls, f"no request was generated for {method} {path} ({mode.value})"


def _needs_nothing_else(method: str, path: str) -> bool:
    return not any(p.get("required") for p in _spec()["paths"][path][method.lower()].get("parameters", []))


FADING = [(m, p) for m, p in _operations() if _has_query(m, p, "half_life") and _needs_nothing_else(m, p)]


@pytest.mark.parametrize(("method", "path"), FADING, ids=[p for _, p in FADING])
def test_a_tiny_half_life_is_no_server_error(client, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client.request(method, path, params={"half_life": 5e-324})
    assert response.status_code < 500
