"""The examples in the package's docstrings run and give what they show (as pysal's CI runs
its doctests): an example that drifts from the code fails here."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import greenindex


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(greenindex.__path__, prefix="greenindex."))


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_package_has_examples():
    attempted = 0
    for name in _modules():
        finder = doctest.DocTestFinder()
        attempted += sum(len(t.examples) for t in finder.find(importlib.import_module(name)))
    assert attempted >= 40
