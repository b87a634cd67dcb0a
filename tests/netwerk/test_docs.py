"""Docs test: every public function of netwerk/ explains itself (summary and example)."""

import importlib
import inspect
import pkgutil

import pytest

import netwerk
from netwerk.report import DEFAULTS, report


def public_functions():
    for info in pkgutil.iter_modules(netwerk.__path__):
        module = importlib.import_module(f"netwerk.{info.name}")
        for name, obj in vars(module).items():
            if (
                not name.startswith("_")
                and inspect.isfunction(obj)
                and obj.__module__ == module.__name__
            ):
                yield pytest.param(obj, id=f"{info.name}.{name}")


@pytest.mark.parametrize("function", list(public_functions()))
def test_public_function_has_summary_and_example(function):
    doc = inspect.getdoc(function) or ""
    assert doc.splitlines()[0].strip(), "one-line summary"
    assert "Examples\n--------" in doc and ">>>" in doc


@pytest.mark.parametrize("option", sorted(DEFAULTS))
def test_every_report_option_is_documented(option):
    assert option in inspect.getdoc(report)
