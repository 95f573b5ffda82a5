"""Chapter 12's exercises: references proven by hand (and against torch / lion-pytorch when
installed), the model solutions pass, and every classic mistake, written here independently of
the bank, is caught and named."""
from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib import exercises as ex
from course_lib.exercises import EXERCISES, check, list_exercises, reference, solution

CH12 = ["clip_by_global_norm", "warmup_cosine", "lion_update", "optimizer_memory_bytes"]


def expected(name, case=0):
    exercise = EXERCISES[name]
    return ex._expected(exercise, exercise.cases[case])


def inputs(name, case=0):
    return EXERCISES[name].cases[case].make()


def test_chapter_12_lists_its_four_exercises_in_order():
    assert [e.name for e in list_exercises(12)] == CH12
    assert list(EXERCISES)[-4:] == CH12
    for name in CH12:
        exercise = EXERCISES[name]
        assert exercise.chapter == 12 and len(exercise.hints) == 3 and exercise.mistakes
        assert "```python" in exercise.hints[2] and name in exercise.signature


@pytest.mark.parametrize("name", CH12)
def test_model_solution_passes_and_stub_does_not(name):
    assert check(name, reference(name)), check(name, reference(name)).message
    assert "```python" in solution(name) and f"def {name}(" in solution(name)

    def stub(*args, **kwargs):
        raise NotImplementedError
    stub.__name__ = name
    result = check(name, stub)
    assert not result and "not_implemented" in result.mistakes


# ============================================================================================
# The references, derived independently
def test_clip_reference_by_hand():
    (grads, max_norm), _ = inputs("clip_by_global_norm", 0)
    norm = math.sqrt(3 ** 2 + 4 ** 2 + 12 ** 2 + 0.5 ** 2 + 2 ** 2)      # sqrt(173.25)
    got = expected("clip_by_global_norm", 0)
    np.testing.assert_allclose(got["dW"], np.array([[3, -4], [0, 12]]) * 5 / norm, rtol=1e-6)
    np.testing.assert_allclose(got["db"], np.array([0.5, -2]) * 5 / norm, rtol=1e-6)
    # the clipped step has length max_norm (a hair below: torch's 1e-6) and the same direction
    total = math.sqrt(sum(float(np.sum(g ** 2)) for g in got.values()))
    assert 5 - 1e-5 < total <= 5
    (small, one), _ = inputs("clip_by_global_norm", 1)
    assert math.isclose(math.sqrt(sum(float(np.sum(g ** 2)) for g in small.values())), 0.7)
    kept = expected("clip_by_global_norm", 1)
    assert all(np.array_equal(kept[k], small[k]) for k in small)          # below: untouched


def test_clip_reference_matches_torch():
    torch = pytest.importorskip("torch", reason="torch is optional: the torch parity check")
    for case in range(3):
        (grads, max_norm), _ = inputs("clip_by_global_norm", case)
        tensors = []
        for g in grads.values():
            p = torch.zeros(g.shape, dtype=torch.float64, requires_grad=True)
            p.grad = torch.tensor(g)
            tensors.append(p)
        torch.nn.utils.clip_grad_norm_(tensors, max_norm)
        got = expected("clip_by_global_norm", case)
        for key, p in zip(grads, tensors, strict=True):
            np.testing.assert_allclose(got[key], p.grad.numpy(), rtol=1e-12, atol=0)


def test_warmup_cosine_reference_by_hand():
    def cos_part(e, span=16, m=0.1):
        return m + (1 - m) * (1 + math.cos(math.pi * e / span)) / 2
    # warmup = 4, total = 20, min_factor = 0.1: t = 1, 3, 4, 5, 12, 20, 25;
    # then warmup = 2, total = 10, min_factor = 0.5: t = 1, 7
    table = [0.25, 0.75, 1.0, 1.0, cos_part(7), cos_part(15), 0.1, 0.5,
             0.5 + 0.5 * (1 + math.cos(math.pi * 4 / 8)) / 2]
    assert len(table) == len(EXERCISES["warmup_cosine"].cases)
    for case, value in enumerate(table):
        assert math.isclose(expected("warmup_cosine", case), value, rel_tol=1e-12), case
    assert math.isclose(table[-1], 0.75)            # halfway down from 1 to 0.5


def lion_by_hand(w, g, v, *, lr, beta1, beta2, weight_decay):
    """Chen et al. 2023, Algorithm 2, for one number (their m is the course's v)."""
    c = float(beta1 * v + (1 - beta1) * g)
    sign = (c > 0) - (c < 0)
    return w - lr * (sign + weight_decay * w), beta2 * v + (1 - beta2) * g


def test_lion_reference_by_hand():
    # the mid-training case, entry by entry, with the numbers written out
    W, v = expected("lion_update", 0)
    # c = 0.6·0.5 + 0.4·(−1) = −0.1 → W = 0.8 − 0.1·(−1 + 0.5·0.8) = 0.86, v = 0.425
    # c = 0.6·1 + 0.4·(−1.45) = 0.02 → W = −1.5 − 0.1·(1 − 0.75) = −1.525, v = 0.8775
    # c = −0.12 + 1.2 > 0 → W = 2 − 0.1·(1 + 1) = 1.8, v = −0.19 + 0.15 = −0.04
    # c = 0 (v = dW = 0) → sign 0, W = 0.3 − 0.1·0.15 = 0.285, v = 0
    np.testing.assert_allclose(W, [[0.86, -1.525], [1.8, 0.285]], rtol=1e-12)
    np.testing.assert_allclose(v, [[0.425, 0.8775], [-0.04, 0.0]], rtol=1e-12, atol=1e-15)
    for case in range(3):
        (W0, dW, v0), hp = inputs("lion_update", case)
        W, v = expected("lion_update", case)
        for idx in np.ndindex(W0.shape):
            w_hand, v_hand = lion_by_hand(W0[idx], dW[idx], v0[idx], **hp)
            assert math.isclose(W[idx], w_hand, rel_tol=1e-12, abs_tol=1e-15)
            assert math.isclose(v[idx], v_hand, rel_tol=1e-12, abs_tol=1e-15)


def test_lion_reference_matches_lion_pytorch():
    torch = pytest.importorskip("torch", reason="torch is optional: the parity check")
    lion_pytorch = pytest.importorskip("lion_pytorch", reason="lion-pytorch is optional")
    for case in range(3):
        (W0, dW, v0), hp = inputs("lion_update", case)
        p = torch.nn.Parameter(torch.tensor(W0))
        opt = lion_pytorch.Lion([p], lr=hp["lr"], betas=(hp["beta1"], hp["beta2"]),
                                weight_decay=hp["weight_decay"])
        opt.state[p]["exp_avg"] = torch.tensor(v0)      # the momentum before this step
        p.grad = torch.tensor(dW)
        opt.step()
        W, v = expected("lion_update", case)
        np.testing.assert_allclose(W, p.detach().numpy(), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(v, opt.state[p]["exp_avg"].numpy(), rtol=1e-12, atol=1e-15)


def test_memory_reference_by_hand_and_state_arrays_measured():
    # bytes per parameter (weights, grads, master, states): fp32 4, 4, 0, 4·k; mixed 2, 2, 4, 4·k
    table = [(125_000_000, 2, 2, 4, 8), (7_000_000_000, 2, 2, 4, 8), (1_000, 4, 4, 0, 8),
             (350_000_000, 2, 2, 4, 4), (2_500, 4, 4, 0, 4), (1_000_000, 2, 2, 4, 0)]
    assert len(table) == len(EXERCISES["optimizer_memory_bytes"].cases)
    for case, (n, w, g, m, s) in enumerate(table):
        assert expected("optimizer_memory_bytes", case) == {
            "weights": n * w, "grads": n * g, "master": n * m, "states": n * s,
            "total": n * (w + g + m + s)}, case
    assert expected("optimizer_memory_bytes", 1)["total"] / 1e9 == 112.0   # 7B Adam mixed
    # the k of each optimizer asked, measured on the arrays the registry really keeps
    from course_lib.core.memory import state_bytes
    from course_lib.teaching.exercises.ch12_optimizers_at_scale import STATE_ARRAYS_ASKED
    for name, k in STATE_ARRAYS_ASKED.items():
        assert state_bytes(name, {"W": np.zeros((30, 7))}) == k * 30 * 7 * 8, name


# ============================================================================================
# The classic mistakes, each written here as a learner would write it
def clip_each_tensor(grads, max_norm):
    out = {}
    for k, g in grads.items():
        norm = np.linalg.norm(g)
        out[k] = g * max_norm / norm if norm > max_norm else g.copy()
    return out


def clip_always_rescale(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    return {k: g * (max_norm / norm) for k, g in grads.items()}


def clip_values(grads, max_norm):
    return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}


def clip_squared_norm(grads, max_norm):
    norm = sum(np.sum(g * g) for g in grads.values())
    return {k: g * min(1.0, max_norm / norm) for k, g in grads.items()}


def clip_sum_of_norms(grads, max_norm):
    norm = sum(np.linalg.norm(g) for g in grads.values())
    return {k: g * min(1.0, max_norm / norm) for k, g in grads.items()}


def warmup_lt(t, *, warmup, total, min_factor):
    if t < warmup:
        return t / warmup
    e = min(t - 1 - warmup, total - warmup)
    return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * e / (total - warmup)))


def cosine_whole_run(t, *, warmup, total, min_factor):
    if t <= warmup:
        return t / warmup
    e = min(t - 1, total)
    return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * e / total))


def cosine_to_zero(t, *, warmup, total, min_factor):
    if t <= warmup:
        return t / warmup
    e = min(t - 1 - warmup, total - warmup)
    return 0.5 * (1 + math.cos(math.pi * e / (total - warmup)))


def cosine_late(t, *, warmup, total, min_factor):
    if t <= warmup:
        return t / warmup
    e = min(t - warmup, total - warmup)
    return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * e / (total - warmup)))


def cosine_periodic(t, *, warmup, total, min_factor):
    if t <= warmup:
        return t / warmup
    e = t - 1 - warmup
    return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * e / (total - warmup)))


def warmup_hugging_face(t, *, warmup, total, min_factor):
    step = t - 1                                   # HF counts steps from 0
    if step < warmup:
        return step / warmup
    e = min(step - warmup, total - warmup)
    return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * e / (total - warmup)))


def lion_new_v_sign(W, dW, v, *, lr, beta1, beta2, weight_decay):
    v = beta2 * v + (1 - beta2) * dW
    return W * (1 - lr * weight_decay) - lr * np.sign(v), v


def lion_without_sign(W, dW, v, *, lr, beta1, beta2, weight_decay):
    c = beta1 * v + (1 - beta1) * dW
    return W - lr * c - lr * weight_decay * W, beta2 * v + (1 - beta2) * dW


def lion_decay_without_lr(W, dW, v, *, lr, beta1, beta2, weight_decay):
    c = beta1 * v + (1 - beta1) * dW
    return W - lr * np.sign(c) - weight_decay * W, beta2 * v + (1 - beta2) * dW


def lion_keeps_c(W, dW, v, *, lr, beta1, beta2, weight_decay):
    c = beta1 * v + (1 - beta1) * dW
    return W - lr * (np.sign(c) + weight_decay * W), c


K = {"gd": 0, "momentum": 1, "lion": 1, "adam": 2, "adamw": 2}


def memory_no_master(n_params, optimizer, precision):
    size = 4 if precision == "fp32" else 2
    out = {"weights": size * n_params, "grads": size * n_params, "master": 0,
           "states": 4 * K[optimizer] * n_params}
    return {**out, "total": sum(out.values())}


def memory_adam_one_array(n_params, optimizer, precision):
    size, master = (4, 0) if precision == "fp32" else (2, 4)
    out = {"weights": size * n_params, "grads": size * n_params, "master": master * n_params,
           "states": (0 if optimizer == "gd" else 4) * n_params}
    return {**out, "total": sum(out.values())}


def memory_in_bits(n_params, optimizer, precision):
    size, master = (32, 0) if precision == "fp32" else (16, 32)
    out = {"weights": size * n_params, "grads": size * n_params, "master": master * n_params,
           "states": 32 * K[optimizer] * n_params}
    return {**out, "total": sum(out.values())}


MISTAKES = [
    ("clip_by_global_norm", clip_each_tensor, "per_tensor_norm", "its own norm"),
    ("clip_by_global_norm", clip_always_rescale, "scales_up", "scaled UP"),
    ("clip_by_global_norm", clip_values, "clipped_by_value", "clipping by value"),
    ("clip_by_global_norm", clip_squared_norm, "norm_not_rooted", "no square root"),
    ("clip_by_global_norm", clip_sum_of_norms, "sum_of_norms", "norms were added"),
    ("warmup_cosine", warmup_lt, "warmup_off_by_one", "t < warmup"),
    ("warmup_cosine", cosine_whole_run, "cosine_over_whole_run", "whole run"),
    ("warmup_cosine", cosine_to_zero, "decays_to_zero", "decays to 0"),
    ("warmup_cosine", cosine_late, "cosine_off_by_one", "one update late"),
    ("warmup_cosine", cosine_periodic, "cosine_climbs_again", "climbs back"),
    ("lion_update", lion_new_v_sign, "v_updated_first", "before the sign"),
    ("lion_update", lion_without_sign, "no_sign", "not sign(c)"),
    ("lion_update", lion_decay_without_lr, "decay_missing_lr", "not scaled by lr"),
    ("lion_update", lion_keeps_c, "state_is_c", "returned as the new v"),
    ("optimizer_memory_bytes", memory_no_master, "no_master_copy", "master copy"),
    ("optimizer_memory_bytes", memory_adam_one_array, "adam_state_one_array", "one array"),
    ("optimizer_memory_bytes", memory_in_bits, "bits_not_bytes", "in bits"),
]


@pytest.mark.parametrize("name, fn, code, words", MISTAKES,
                         ids=[f"{m[0]}-{m[2]}" for m in MISTAKES])
def test_mistake_is_caught_and_named(name, fn, code, words):
    result = check(name, fn)
    assert not result, result.message
    assert code in result.mistakes, result.message
    assert words in result.message and "Likely mistake" in result.message, result.message


def test_hugging_face_warmup_is_a_valid_variant_not_a_mistake():
    result = check("warmup_cosine", warmup_hugging_face)
    assert not result and "warmup_from_zero" in result.mistakes
    assert "A valid variant, not the one asked" in result.message
    assert "Likely mistake" not in result.message, result.message


def test_torch_epsilon_in_the_clipping_norm_passes_without_it_too():
    def clip_like_torch(grads, max_norm):
        norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
        return {k: g * min(1.0, max_norm / (norm + 1e-6)) for k, g in grads.items()}
    assert check("clip_by_global_norm", clip_like_torch)
    assert check("clip_by_global_norm", reference("clip_by_global_norm"))  # no epsilon


def test_memory_answer_may_hold_ints_or_floats():
    def as_floats(n_params, optimizer, precision):
        right = reference("optimizer_memory_bytes")(n_params, optimizer, precision)
        return {k: float(v) for k, v in right.items()}
    assert check("optimizer_memory_bytes", as_floats)
    result = check("optimizer_memory_bytes", lambda n, o, p: 16 * n)
    assert not result and "must be a dict" in result.message


def test_mixed_precision_adam_needs_as_many_bytes_as_fp32_adam():
    """The chapter's point, from the exercise's model solution: the master copy takes back
    what the 2-byte weights and gradients save."""
    fn = reference("optimizer_memory_bytes")
    assert fn(10, "adam", "mixed")["total"] == fn(10, "adam", "fp32")["total"] == 160
    assert fn(10, "adam", "mixed")["weights"] == 20 and fn(10, "adam", "fp32")["weights"] == 40


def test_in_place_clipping_is_named():
    def clip_in_place(grads, max_norm):
        norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
        for g in grads.values():
            g *= min(1.0, max_norm / norm)
        return grads
    result = check("clip_by_global_norm", clip_in_place)
    assert not result and "mutated_input" in result.mistakes
