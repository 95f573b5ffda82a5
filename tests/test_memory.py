"""course_lib.core.memory: optimizer state bytes, measured and per parameter.

Expected numbers come from outside the module: the ZeRO paper's accounting (Rajbhandari et al.
2020, section 3.1: mixed-precision Adam needs 2 + 2 + 12 = 16 bytes per parameter, K = 12 for
the fp32 master copy, momentum and variance), the nbytes of arrays made here by hand, and a
7B-parameter budget worked out in the comments.
"""
import numpy as np
import pytest

from course_lib.core.memory import (MODEL_SIZES, STATE_ARRAYS, bytes_per_param, memory_budget,
                                    state_bytes)
from course_lib.optimizers import OPTIMIZERS


def test_mixed_precision_adam_is_the_zero_papers_16_bytes():
    # ZeRO, section 3.1: 2Ψ (fp16 weights) + 2Ψ (fp16 grads) + KΨ with K = 12 (fp32 weights,
    # momentum, variance) = 16Ψ bytes
    per = bytes_per_param("adam", "mixed")
    assert per["weights"] + per["grads"] == 4
    assert per["master"] + per["states"] == 12
    assert per["total"] == 16
    assert bytes_per_param("adamw", "mixed")["total"] == 16


def test_fp32_adam_state_is_two_fp32_arrays():
    # v and s, 4 bytes each per parameter: 2·4·n bytes for n parameters
    for n in (1, 1000, 123_456_789):
        assert memory_budget(n, "adam", "fp32")["states"] == 2 * 4 * n
        assert memory_budget(n, "adam", "fp32")["total"] == (4 + 4 + 2 * 4) * n


def test_a_7b_model_by_hand():
    # 7e9 parameters, mixed precision:
    #   Adam: 7e9·16 = 112e9 bytes (weights 14e9, grads 14e9, master 28e9, states 56e9)
    #   SGD (no state): 7e9·(2 + 2 + 4) = 56e9; Lion (one state): 7e9·(8 + 4) = 84e9
    b = memory_budget(MODEL_SIZES["7B"], "adam")
    assert b == {"weights": 14 * 10**9, "grads": 14 * 10**9, "master": 28 * 10**9,
                 "states": 56 * 10**9, "total": 112 * 10**9}
    assert memory_budget(7e9, "gd")["total"] == 56 * 10**9
    assert memory_budget(7e9, "lion")["total"] == 84 * 10**9
    assert memory_budget(MODEL_SIZES["70B"], "adam", "fp32")["total"] == 70 * 10**9 * 16
    assert MODEL_SIZES["125M"] == 125 * 10**6


def test_state_arrays_per_optimizer():
    # sgd 0, momentum 1 (v), Adam and AdamW 2 (v, s), Lion 1 (v), RAdam 2, Muon 1 (v of its
    # matrices), Adafactor about 0 for a large matrix
    expected = {"gd": 0, "momentum": 1, "adam": 2, "adamw": 2, "lion": 1, "radam": 2,
                "muon": 1, "adafactor": 0}
    for name, k in expected.items():
        assert bytes_per_param(name, "fp32")["states"] == 4 * k, name
    assert set(STATE_ARRAYS) == set(OPTIMIZERS)


def test_adafactor_per_param_is_rows_plus_cols_over_rows_times_cols():
    # a 4096×4096 matrix: 8192 numbers of state for 16.8M parameters; a vector: one s
    per = bytes_per_param("adafactor", "fp32", shape=(4096, 4096))
    assert per["states"] == pytest.approx(4 * 8192 / 4096 ** 2, rel=1e-15)
    assert bytes_per_param("adafactor", "fp32", shape=(300,))["states"] == 4.0
    # the registry's layout and the table agree for large matrices (adam: 2 arrays)
    assert bytes_per_param("adam", "fp32", shape=(64, 32))["states"] == 8.0
    assert bytes_per_param("muon", "fp32", shape=(64, 32))["states"] == 4.0


def test_state_bytes_is_measured_from_the_registry():
    W, b = np.zeros((10, 3)), np.zeros(3)
    v_and_s = np.zeros((10, 3)).nbytes + np.zeros(3).nbytes   # 240 + 24, float64
    assert state_bytes("adam", {"W": W, "b": b}) == 2 * v_and_s == 528
    assert state_bytes("gd", {"W": W, "b": b}) == 0
    assert state_bytes("momentum", {"W": W, "b": b}) == v_and_s
    assert state_bytes("amsgrad", {"W": W, "b": b}) == 3 * v_and_s
    # Adafactor: a row (10) and a column (3) average for W, a full s for the vector b
    assert state_bytes("adafactor", {"W": W, "b": b}) == np.zeros(10 + 3 + 3).nbytes
    # Muon: v for W and b, and AdamW's s for b only
    assert state_bytes("muon", {"W": W, "b": b}) == v_and_s + np.zeros(3).nbytes
    assert state_bytes(OPTIMIZERS["lion"], {"W": W}) == W.nbytes


@pytest.mark.parametrize("call, error, match", [
    (lambda: bytes_per_param("adma"), ValueError, r"optimizer must be one of .*'adma'"),
    (lambda: bytes_per_param("adam", "fp16"), ValueError,
     r"precision must be one of 'fp32', 'mixed'; got 'fp16'"),
    (lambda: bytes_per_param("adam", shape=[3, 4]), TypeError, r"shape must be a tuple"),
    (lambda: bytes_per_param("adam", shape=(3, 0)), TypeError, r"shape must be a tuple"),
    (lambda: memory_budget(0, "adam"), ValueError, r"n_params must be"),
    (lambda: memory_budget(1.5, "adam"), TypeError, r"n_params must be an integer"),
    (lambda: memory_budget("7B", "adam"), TypeError, r"n_params must be an integer"),
    (lambda: state_bytes("adam", [1.0]), TypeError, r"params must be a non-empty dict"),
    (lambda: state_bytes("adam", {"W": np.array([np.nan])}), ValueError,
     r"params\['W'\] contains NaN"),
])
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
