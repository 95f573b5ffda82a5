"""course_lib.claims.claim and course_lib.timing: the two helpers behind the prose's numbers."""
import re

import numpy as np
import pytest

from course_lib import timing
from course_lib.claims import ClaimError, claim


def test_a_true_claim_is_silent(capsys):
    assert claim(3.1623, approx=np.sqrt(10), rel=1e-3, says="about 3.16") is None
    claim(np.float64(0.5), gt=0, lt=1, says="between 0 and 1")
    claim(4, ge=4, le=4, says="exactly four")
    claim(np.bool_(True), says="numpy's True counts")
    claim(10.2, approx=10, abs_tol=0.5, says="about ten")
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("kwargs, detail", [
    ({"value": 3.5, "approx": 3.16, "rel": 0.01}, "measured 3.5, but the sentence needs about "
                                                  "3.16 (within 1 %)"),
    ({"value": 12.0, "approx": 10, "abs_tol": 1}, "within ± 1"),
    ({"value": 5, "lt": 4}, "needs a value < 4"),
    ({"value": 4, "gt": 4}, "needs a value > 4"),
    ({"value": 0.999, "ge": 1}, "needs a value >= 1"),
    ({"value": False}, "found it false"),
    ({"value": np.bool_(False)}, "found it false"),
])
def test_a_false_claim_names_its_sentence(kwargs, detail):
    with pytest.raises(ClaimError) as info:
        claim(**kwargs, says="Adam's first step is 3.2 times too large")
    text = str(info.value)
    assert '"Adam\'s first step is 3.2 times too large"' in text
    assert detail in text
    assert "Markdown cell above" in text
    assert isinstance(info.value, AssertionError)   # a plain assert-style failure in nbval


def test_default_tolerance_is_five_percent():
    claim(1.049, approx=1.0, says="about 1")
    with pytest.raises(ClaimError):
        claim(1.051, approx=1.0, says="about 1")


@pytest.mark.parametrize("kwargs, error, words", [
    ({"value": 1.0, "approx": 1.0, "says": ""}, TypeError, "says must be"),
    ({"value": 1.0, "approx": 1.0, "says": None}, TypeError, "says must be"),
    ({"value": 1.0, "says": "x"}, TypeError, "approx=... or a bound"),
    ({"value": "3", "approx": 3, "says": "x"}, TypeError, "value must be a real number, got '3'"),
    ({"value": float("nan"), "approx": 3, "says": "x"}, ValueError, "value must be a real"),
    ({"value": 1.0, "approx": 1.0, "rel": -1, "says": "x"}, ValueError, "rel must be >= 0"),
    ({"value": 1.0, "rel": 0.1, "says": "x"}, TypeError, "rel and abs_tol need approx"),
    ({"value": True, "lt": 2, "says": "x"}, TypeError, "a truth value"),
    ({"value": 1.0, "lt": "2", "says": "x"}, TypeError, "lt must be a real number"),
])
def test_bad_arguments_are_named(kwargs, error, words):
    with pytest.raises(error, match=re.escape(words)):
        claim(**kwargs)


class FakeClock:
    """perf_counter that advances only when the timed function says so."""
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_time_together_reports_per_call_medians(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(timing.time, "perf_counter", clock)
    costs = {"slow": iter([0.03, 0.03, 0.03, 0.09, 0.03, 0.01] + [0.03] * 50),
             "fast": iter([0.001] * 10_000)}

    def fn(name):
        def run():
            clock.now += next(costs[name])
        return run

    result = timing.time_together({"slow": fn("slow"), "fast": fn("fast")}, repeat=5,
                                  min_round=0.02)
    # calibration: one slow call (0.03 s) already fills a round; fast needs 32 calls (1, 2, ...)
    assert result["slow"].calls == 1 and result["fast"].calls == 32
    assert result["slow"].rounds == pytest.approx((0.03, 0.03, 0.09, 0.03, 0.01))
    assert result["slow"].seconds == pytest.approx(0.03)     # the median, not the mean 0.038
    assert result["slow"].best == pytest.approx(0.01)
    assert result["fast"].seconds == pytest.approx(0.001)
    assert list(result) == ["slow", "fast"]


def test_rounds_are_interleaved(monkeypatch):
    order = []
    timing.time_together({"a": lambda: order.append("a"), "b": lambda: order.append("b")},
                         repeat=3, min_round=0)
    # one calibration call each, then a, b, a, b, a, b
    assert order == ["a", "b", "a", "b", "a", "b", "a", "b"]


@pytest.mark.parametrize("kwargs, words", [
    ({"fns": {}}, "fns must be a non-empty dict"),
    ({"fns": {"x": 3}}, "fns['x'] must be a function"),
    ({"fns": {"x": print}, "repeat": 0}, "repeat must be >= 1"),
    ({"fns": {"x": print}, "min_round": -1}, "min_round must be in [0, 60]"),
])
def test_time_together_names_bad_arguments(kwargs, words):
    with pytest.raises((TypeError, ValueError), match=re.escape(words)):
        timing.time_together(**kwargs)
