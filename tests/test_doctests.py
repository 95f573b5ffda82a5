"""The examples in the docstrings of course_lib run and print what they claim."""
import doctest
import importlib

import pytest

MODULES = ["_validate", "moving_averages", "optimizers", "problems", "data", "models", "training",
           "paths", "claims", "timing"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    try:
        module = importlib.import_module(f"course_lib.{name}")
    except ModuleNotFoundError as exc:  # pragma: no cover - only while a module is being written
        if exc.name == f"course_lib.{name}":
            pytest.skip(f"course_lib.{name} does not exist yet")
        raise
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
