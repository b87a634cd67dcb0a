"""Documentation keeps up with the code (datasette's test_docs): routes, settings, glossary."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented_in_the_readme(name: str) -> None:
    assert f"`KIK_{name.upper()}`" in README


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented_in_the_operations_guide(name: str) -> None:
    assert f"`KIK_{name.upper()}`" in (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_has_a_description(name: str) -> None:
    assert Settings.model_fields[name].description


def test_every_route_has_a_summary(app) -> None:  # type: ignore[no-untyped-def]
    from fastapi.routing import APIRoute

    missing = [
        r.path for r in app.routes
        if isinstance(r, APIRoute) and r.include_in_schema and not (r.summary or "").strip()
    ]
    assert not missing, f"routes without a written summary: {missing}"


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    commands = [line for line in first_block.splitlines() if line and not line.startswith(("#", "sh"))]
    assert len(commands) == 2
    assert "kik serve" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    first_block = README.split("```")[1]
    test_command = [line for line in first_block.splitlines() if "pytest" in line][0]
    assert test_command.strip() in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("word", ["warmtebron", "buurtinitiatief", "gemeente", "Veenkoloniën", "werkgroep",
                                  "transitietafel", "leerkring", "ervaringsdeskundige", "kapitaalsvormen"])
def test_glossary_lists_the_domain_words(word: str) -> None:
    glossary = README.split("## Glossary", 1)[1]
    assert word in glossary
