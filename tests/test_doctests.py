"""The examples in the docstrings of course_lib run and print what they claim."""
import doctest
import importlib
import pkgutil

import pytest

MODULES = ["_validate", "moving_averages", "optimizers", "problems", "data", "models", "training",
           "paths", "claims", "timing", "plots", "widgets", "exercises", "quiz",
           "teaching.progress", "teaching.srs", "teaching.mock_interview", "teaching._controls",
           "core.clipping", "core.schedules", "core.noise_scale", "core.memory",
           "loops.distributed",
           "teaching.exercises", "teaching.exercises.base", "teaching.exercises._update_rules",
           *(f"teaching.exercises.{m}" for m in (
               "ch00_introduction", "ch01_gradient_descent", "ch02_sgd", "ch03_minibatch_sgd",
               "ch04_epochs_and_iterations", "ch05_exponentially_weighted_average",
               "ch06_momentum", "ch07_adagrad", "ch08_rmsprop_adadelta", "ch09_adam",
               "ch12_optimizers_at_scale"))]
# Modules without examples to run (data, or nothing worth showing in a docstring).
NO_EXAMPLES = {"teaching", "core", "loops"}


def test_every_module_is_listed():
    """A new module of course_lib gets its examples run the day it is added."""
    import course_lib

    found = {m.name.removeprefix("course_lib.")
             for m in pkgutil.walk_packages(course_lib.__path__, prefix="course_lib.")}
    assert found - set(MODULES) - NO_EXAMPLES == set(), "add these to MODULES or NO_EXAMPLES"


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
