"""Tests for course_lib.core.clipping: clip by global norm and by value, as torch.nn.utils."""
import math

import numpy as np
import pytest

from course_lib.core.clipping import (CLIP_EPS, clip_by_global_norm, clip_by_value,
                                      global_norm)


def _grads(seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    return {"dW": rng.standard_normal((3, 4)) * scale, "db": rng.standard_normal(4) * scale}


def test_global_norm_by_hand():
    grads = {"dW": np.array([[1.0, 2.0], [2.0, 0.0]]), "db": np.array([4.0])}  # 1+4+4+16 = 25
    assert global_norm(grads) == 5.0
    clipped, norm = clip_by_global_norm(grads, 2.5)
    assert norm == 5.0
    coef = 2.5 / (5.0 + 1e-6)  # torch's formula, written out
    np.testing.assert_allclose(clipped["dW"], grads["dW"] * coef, rtol=1e-15)
    np.testing.assert_allclose(clipped["db"], [4.0 * coef], rtol=1e-15)
    # the direction is kept, the norm lands a hair below max_norm (the 1e-6)
    assert 2.5 - 1e-6 < global_norm(clipped) < 2.5


def test_small_gradient_is_not_touched_and_input_never_mutated():
    grads = _grads(1)
    before = {k: g.copy() for k, g in grads.items()}
    norm = math.sqrt(sum((g ** 2).sum() for g in grads.values()))
    for max_norm in (norm + 1e-3, 1e300, math.inf):
        clipped, total = clip_by_global_norm(grads, max_norm)
        assert total == pytest.approx(norm, rel=1e-15)
        for k in grads:
            assert np.array_equal(clipped[k], grads[k]) and clipped[k] is not grads[k]
    clip_by_global_norm(grads, 0.01)
    clip_by_value(grads, 0.01)
    for k in grads:
        assert np.array_equal(grads[k], before[k])


def test_clip_eps_is_torch_convention_at_zero_gradient():
    assert CLIP_EPS == 1e-6
    clipped, total = clip_by_global_norm({"dW": np.zeros(3)}, 1e-9)
    assert total == 0.0 and np.array_equal(clipped["dW"], np.zeros(3))  # no 0/0


def test_norm_of_huge_gradient_stays_finite():
    grads = {"dW": np.array([3e200, 4e200])}
    clipped, total = clip_by_global_norm(grads, 1.0)
    assert total == pytest.approx(5e200, rel=1e-15)
    np.testing.assert_allclose(clipped["dW"], [0.6, 0.8], rtol=1e-14)


def test_clip_by_value_by_hand():
    grads = {"dW": np.array([-3.0, -0.5, 0.0, 0.5, 3.0])}
    assert clip_by_value(grads, 1.0)["dW"].tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), "1", None, True])
def test_bad_limits_name_the_argument(bad):
    with pytest.raises((TypeError, ValueError), match="max_norm"):
        clip_by_global_norm(_grads(), bad)
    with pytest.raises((TypeError, ValueError), match="clip_value"):
        clip_by_value(_grads(), bad)
    with pytest.raises(ValueError, match="clip_value"):
        clip_by_value(_grads(), math.inf)


@pytest.mark.parametrize("bad", [None, {}, [np.ones(2)], {"dW": "x"}, {"dW": np.array([np.nan])},
                                 {"dW": np.array([1.0, np.inf])}, {"dW": np.array([1j])}])
def test_bad_grads_are_refused(bad):
    with pytest.raises((TypeError, ValueError), match="grads"):
        clip_by_global_norm(bad, 1.0)


# ---- torch ------------------------------------------------------------------------------------
@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e3])
@pytest.mark.parametrize("max_norm", [0.1, 1.0, 100.0])
def test_matches_torch(scale, max_norm):
    torch = pytest.importorskip("torch", reason="torch is not installed; `pip install "
                                "torch==2.13.0` (CPU) to compare with torch.nn.utils")
    grads = _grads(2, scale)
    grads["dW"][0, :2] = 0.0  # exact zeros
    tensors = {k: torch.zeros(g.shape, dtype=torch.float64, requires_grad=True)
               for k, g in grads.items()}
    for k, t in tensors.items():
        t.grad = torch.tensor(grads[k])
    total = torch.nn.utils.clip_grad_norm_(list(tensors.values()), max_norm)
    clipped, norm = clip_by_global_norm(grads, max_norm)
    assert norm == pytest.approx(float(total), rel=1e-14)
    for k, t in tensors.items():
        np.testing.assert_allclose(clipped[k], t.grad.numpy(), rtol=1e-14, atol=0)
    for k, t in tensors.items():
        t.grad = torch.tensor(grads[k])
    torch.nn.utils.clip_grad_value_(list(tensors.values()), max_norm * scale)
    for k, t in tensors.items():
        assert np.array_equal(clip_by_value(grads, max_norm * scale)[k], t.grad.numpy())
