"""Chapter 12's exercises: optimizers at scale (clipping, warm-up, Lion, optimizer memory).

Each reference comes from the library (``course_lib.core.clipping``, ``core.schedules``,
``OPTIMIZERS["lion"]``, ``core.memory``), so a learner's function is judged against the code
the chapter runs.

>>> import numpy as np
>>> clipped = clip_by_global_norm({"dW": np.array([3.0]), "db": np.array([4.0])}, 1.0)
>>> [round(float(clipped[k][0]), 6) for k in ("dW", "db")]     # global norm 5, scaled by 1/5
[0.6, 0.8]
>>> warmup_cosine(2, warmup=4, total=12, min_factor=0.0)        # the second warm-up update
0.5
>>> optimizer_memory_bytes(1_000, "adam", "mixed")["total"]     # 2 + 2 + 4 + 2·4 bytes each
16000
"""
from __future__ import annotations

import math

import numpy as np

from ...core.clipping import clip_by_global_norm as _lib_clip_by_global_norm
from ...core.memory import memory_budget
from ...core.schedules import make_schedule
from ...optimizers import OPTIMIZERS, MomentumState
from .base import Case, Exercise, _a, _add, _m

__all__ = ["clip_by_global_norm", "warmup_cosine", "lion_update", "optimizer_memory_bytes",
           "STATE_ARRAYS_ASKED"]


# ============================================================================================
# Clipping by global norm
def clip_by_global_norm(grads, max_norm):
    """Scale every gradient by the same factor when their global norm exceeds max_norm."""
    norm = math.sqrt(sum(float(np.sum(g ** 2)) for g in grads.values()))  # over ALL arrays
    if norm <= max_norm:
        return {k: g.copy() for k, g in grads.items()}                    # nothing to clip
    scale = max_norm / norm
    return {k: g * scale for k, g in grads.items()}


def _clip_reference(grads, max_norm):
    return _lib_clip_by_global_norm(grads, max_norm)[0]


def _clip_case_above():
    # global norm sqrt(13² + 0.5² + 2²) = sqrt(173.25) ≈ 13.16 > 5; dW alone (13) is above
    # 5, db alone (2.06) below, and one entry (12) is above 5 by itself
    return ({"dW": _a([[3.0, -4.0], [0.0, 12.0]]), "db": _a([0.5, -2.0])}, 5.0), {}


def _clip_case_below():
    # global norm sqrt(0.16 + 0.04 + 0.04 + 0.09 + 0.16) = 0.7 < 1: nothing is clipped
    return ({"dW1": _a([[0.4, 0.0], [0.0, -0.2]]), "db1": _a([0.2, 0.0]),
             "dW2": _a([0.3]), "db2": _a([-0.4])}, 1.0), {}


def _clip_case_net():
    # an exploding step of a two-layer network: one huge entry, the rest ordinary
    return ({"dW1": _a([[0.4, -1.1, 0.3, 0.9], [2.5, 0.1, -0.7, 0.0], [-0.2, 60.0, 1.3, 0.8]]),
             "db1": _a([0.05, -3.0, 0.4, 0.0]), "dW2": _a([[1.5], [-0.6], [0.2], [4.0]]),
             "db2": _a([-0.9])}, 1.0), {}


def _clip_bug(grads, max_norm, *, bug):
    if bug == "by_value":
        return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}
    if bug == "per_tensor":
        out = {}
        for k, g in grads.items():
            n = float(np.sqrt(np.sum(g ** 2)))
            out[k] = g * (max_norm / n) if n > max_norm else g.copy()
        return out
    norms = [float(np.sqrt(np.sum(g ** 2))) for g in grads.values()]
    norm = {"no_sqrt": sum(n ** 2 for n in norms),
            "sum_of_norms": sum(norms)}.get(bug, math.sqrt(sum(n ** 2 for n in norms)))
    if bug != "scales_up" and norm <= max_norm:
        return {k: g.copy() for k, g in grads.items()}
    return {k: g * (max_norm / norm) for k, g in grads.items()}


_add(Exercise(
    name="clip_by_global_norm", chapter=12, title="Clipping gradients by their global norm",
    description="Write clip_by_global_norm(grads, max_norm): grads is a dict of gradient "
                "arrays ({'dW1': ..., 'db1': ..., ...}). Their global norm is the square root "
                "of the sum of the squares of EVERY number in every array. When it is above "
                "max_norm, multiply every array by the same factor max_norm / norm, so the "
                "global norm becomes max_norm and the direction stays; otherwise return them "
                "as they are. Return a new dict of new arrays; do not change grads. This is "
                "torch.nn.utils.clip_grad_norm_ (course_lib.core.clipping has it too; torch "
                "adds 1e-6 to the norm, which the checker's tolerance allows).",
    signature="clip_by_global_norm(grads, max_norm) -> new dict of arrays",
    arg_names=("grads", "max_norm"), output_names=("clipped",),
    cases=(Case("dW (2x2) and db, global norm ≈ 13.2, max_norm = 5 (dW alone is above 5, "
                "db alone below)", _clip_case_above),
           Case("four arrays with global norm 0.7, max_norm = 1 (nothing to clip)",
                _clip_case_below),
           Case("an exploding step of a two-layer network (one entry is 60), max_norm = 1",
                _clip_case_net)),
    reference=_clip_reference, solution=clip_by_global_norm,
    imports="import math\n\nimport numpy as np",
    mistakes=(
        _m("per_tensor_norm", "each array was clipped by its own norm",
           "the norm is GLOBAL: one norm over all arrays together, one factor for all of them. "
           "Clipping each array on its own changes the direction of the whole step.",
           _clip_bug, bug="per_tensor"),
        _m("scales_up", "gradients below max_norm were scaled UP to max_norm",
           "clip only when the norm is above max_norm: the factor is min(1, max_norm / norm). "
           "Small gradients pass unchanged.", _clip_bug, bug="scales_up"),
        _m("clipped_by_value", "every number was clamped to [-max_norm, max_norm]: that is "
           "clipping by value", "clipping by value (np.clip, torch's clip_grad_value_) treats "
           "each number on its own and turns the direction; by norm, scale all arrays by one "
           "factor max_norm / norm.", _clip_bug, bug="by_value"),
        _m("norm_not_rooted", "the sum of squares was used as the norm (no square root)",
           "norm = sqrt(sum of all squares); without the root the factor is far too small.",
           _clip_bug, bug="no_sqrt"),
        _m("sum_of_norms", "the arrays' norms were added up instead of their squares",
           "the global norm is sqrt(‖dW1‖² + ‖db1‖² + ...), not ‖dW1‖ + ‖db1‖ + ...: square "
           "each array's norm (or sum every squared number) before the one square root.",
           _clip_bug, bug="sum_of_norms"),
    ),
    hints=(
        "Treat all the arrays as one long vector: measure its length, and if it is too long, "
        "shrink the whole vector (every array by the same factor) to length max_norm.",
        "‖g‖ = √(Σ_k Σ_i (g_k,i)²);   c = min(1, max_norm / ‖g‖);   g_k ← c·g_k for every k",
        "```python\nnorm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))\n"
        "scale = min(1.0, max_norm / norm)\nreturn {k: g * scale for k, g in grads.items()}\n```",
    ),
))


# ============================================================================================
# Linear warm-up, then cosine decay
def warmup_cosine(t, *, warmup, total, min_factor):
    """The factor of update t = 1, 2, ...: t/warmup up to warmup, then a cosine down to
    min_factor at update total + 1, and min_factor after that."""
    if t <= warmup:
        return t / warmup                                  # 1/warmup, 2/warmup, ..., 1
    progress = min(t - 1 - warmup, total - warmup) / (total - warmup)   # 0 at t = warmup + 1
    return min_factor + (1 - min_factor) * (1 + math.cos(math.pi * progress)) / 2


def _warmup_cosine_reference(t, *, warmup, total, min_factor):
    return make_schedule("warmup_cosine", warmup=warmup, total=total, min_factor=min_factor)(t)


def _wc_bug(t, *, warmup, total, min_factor, bug):
    m = 0.0 if bug == "zero" else min_factor
    if bug == "hf" and t <= warmup:
        return (t - 1) / warmup
    if (t < warmup) if bug == "early" else (t <= warmup):
        return t / warmup
    if bug == "whole":
        e, span = t - 1, total
    else:
        e, span = (t - warmup if bug == "late" else t - 1 - warmup), total - warmup
    if bug != "climbs":
        e = min(e, span)
    wave = (1 + math.cos(math.pi * e / span)) / 2
    return m + wave if bug == "added" else m + (1 - m) * wave


_WC_MAIN = {"warmup": 4, "total": 20, "min_factor": 0.1}
_WC_SHORT = {"warmup": 2, "total": 10, "min_factor": 0.5}


def _wc_case(t, hp):
    return Case(f"t = {t}, " + ", ".join(f"{k} = {v}" for k, v in hp.items()),
                lambda: ((t,), dict(hp)))


_add(Exercise(
    name="warmup_cosine", chapter=12, title="Linear warm-up, then cosine decay",
    description="Write warmup_cosine(t, *, warmup, total, min_factor) -> the factor f(t) that "
                "multiplies the base learning rate at update t = 1, 2, ... (the rate is "
                "lr * f(t)). Warm-up: f(t) = t / warmup for t <= warmup (1/warmup, ..., 1). "
                "Then a cosine from 1 down to min_factor: with e = t - 1 - warmup (0 at update "
                "warmup + 1) and span = total - warmup, f = min_factor + (1 - min_factor) * "
                "(1 + cos(pi * e / span)) / 2, and f stays at min_factor once e >= span. This "
                "is the library's make_schedule('warmup_cosine', ...) and torch's LinearLR + "
                "CosineAnnealingLR (docs of course_lib.core.schedules).",
    signature="warmup_cosine(t, *, warmup, total, min_factor) -> float",
    arg_names=("t",), output_names=("the factor",),
    cases=tuple(_wc_case(t, _WC_MAIN) for t in (1, 3, 4, 5, 12, 20, 25))
    + tuple(_wc_case(t, _WC_SHORT) for t in (1, 7)),
    reference=_warmup_cosine_reference, solution=warmup_cosine,
    mistakes=(
        _m("warmup_off_by_one", "the warm-up stops one update early (t < warmup instead of "
           "t <= warmup)", "update t = warmup is the last warm-up update, at factor "
           "warmup / warmup = 1: use t <= warmup. The cosine starts at update warmup + 1.",
           _wc_bug, bug="early"),
        _m("warmup_from_zero", "the warm-up starts at 0: (t − 1) / warmup, Hugging Face's "
           "counting (its steps count from 0, so the first update runs at rate 0)",
           "the course counts updates from t = 1 and, like torch's LinearLR(start_factor = "
           "1/warmup), gives the first update 1/warmup: use t / warmup.", _wc_bug, bug="hf",
           variant=True),
        _m("cosine_off_by_one", "the cosine starts one update late (e = t − warmup, so update "
           "warmup + 1 is already below 1)", "e = t - 1 - warmup: the first update after the "
           "warm-up runs at the full rate, f = 1.", _wc_bug, bug="late"),
        _m("cosine_over_whole_run", "the cosine runs over the whole run (e = t − 1 over "
           "total) instead of only after the warm-up",
           "the cosine starts when the warm-up ends: e = t - 1 - warmup over span = total - "
           "warmup, so it starts at 1 right after the warm-up.", _wc_bug, bug="whole"),
        _m("decays_to_zero", "the cosine decays to 0 instead of min_factor",
           "the floor is min_factor: f = min_factor + (1 - min_factor) * (1 + cos(...)) / 2.",
           _wc_bug, bug="zero"),
        _m("min_factor_added", "min_factor was added to the cosine without scaling it by "
           "(1 − min_factor): f starts above 1", "f = min_factor + (1 - min_factor) * (1 + "
           "cos(...)) / 2 goes from exactly 1 down to exactly min_factor.", _wc_bug,
           bug="added"),
        _m("cosine_climbs_again", "after update total the cosine climbs back up",
           "cos is periodic: cap e at span (e = min(e, span)) so f stays at min_factor "
           "after the decay (torch's CosineAnnealingLR would climb again too).", _wc_bug,
           bug="climbs"),
    ),
    hints=(
        "Two pieces: a straight line from 1/warmup up to 1 over the first warmup updates, then "
        "half a cosine wave from 1 down to min_factor, flat after that. Count updates from 1.",
        "f(t) = t/warmup for t ≤ warmup;  else e = min(t − 1 − warmup, total − warmup),  "
        "f = m + (1 − m)·(1 + cos(π·e/(total − warmup)))/2",
        "```python\nif t <= warmup:\n    return t / warmup\nspan = total - warmup\n"
        "e = min(t - 1 - warmup, span)\n"
        "return min_factor + (1 - min_factor) * (1 + math.cos(math.pi * e / span)) / 2\n```",
    ),
    imports="import math",
))


# ============================================================================================
# Lion
def lion_update(W, dW, v, *, lr, beta1, beta2, weight_decay):
    """One Lion step for one weight array: the sign of an interpolation, then the momentum."""
    c = beta1 * v + (1 - beta1) * dW                         # with the OLD v and beta1
    W_new = W * (1 - lr * weight_decay) - lr * np.sign(c)    # every weight moves by lr
    v_new = beta2 * v + (1 - beta2) * dW                     # the state uses beta2
    return W_new, v_new


def _lion_reference(W, dW, v, *, lr, beta1, beta2, weight_decay):
    new, state = OPTIMIZERS["lion"].update({"W": W}, {"dW": dW}, MomentumState(3, {"dW": v}),
                                           lr=lr, beta1=beta1, beta2=beta2,
                                           weight_decay=weight_decay)
    return new["W"], state.v["dW"]


def _lion_bug(W, dW, v, *, lr, beta1, beta2, weight_decay, bug):
    b1, b2 = (beta2, beta1) if bug == "swap" else (beta1, beta2)
    v_new = b2 * v + (1 - b2) * dW
    c = {"sign_new_v": v_new, "c_new_v": b1 * v_new + (1 - b1) * dW}.get(
        bug, b1 * v + (1 - b1) * dW)
    direction = c if bug == "no_sign" else np.sign(c)
    decay = {"wd_no_lr": 1 - weight_decay, "no_wd": 1.0}.get(bug, 1 - lr * weight_decay)
    W_new = W - lr * direction
    W_new = W_new * decay if bug == "wd_after" else W * decay - lr * direction
    return W_new, (c if bug == "state_c" else v_new)


def _lion_case_mid():
    # entry 0: v and dW disagree, sign(c) follows dW while the new v keeps v's sign;
    # entry 3: v = dW = 0, so c = 0 and only the decay moves the weight
    # entry 1: c > 0 but an updated v would tip it below 0
    W = _a([[0.8, -1.5], [2.0, 0.3]])
    dW = _a([[-1.0, -1.45], [3.0, 0.0]])
    v = _a([[0.5, 1.0], [-0.2, 0.0]])
    return (W, dW, v), {"lr": 0.1, "beta1": 0.6, "beta2": 0.95, "weight_decay": 0.5}


def _lion_case_first():
    W = _a([1.0, -2.0, 0.5, 0.0])
    dW = _a([0.003, -400.0, 0.0, 1e-7])          # the size of a gradient does not matter
    return (W, dW, np.zeros(4)), {"lr": 0.01, "beta1": 0.9, "beta2": 0.99,
                                  "weight_decay": 0.1}


def _lion_case_net():
    rng = np.random.default_rng(20250112)
    W = rng.normal(size=(3, 4))
    dW = rng.normal(scale=0.5, size=(3, 4))
    v = rng.normal(scale=0.5, size=(3, 4))
    return (W, dW, v), {"lr": 3e-4, "beta1": 0.9, "beta2": 0.99, "weight_decay": 1.0}


_add(Exercise(
    name="lion_update", chapter=12, title="The Lion update",
    description="Write lion_update(W, dW, v, *, lr, beta1, beta2, weight_decay) -> (W_new, "
                "v_new) for one weight array W with gradient dW and momentum v (Chen et al. "
                "2023, in the course's notation). First the direction: c = beta1 * v + (1 - "
                "beta1) * dW with the OLD v; the step is W_new = W * (1 - lr * weight_decay) "
                "- lr * sign(c), so every weight moves by exactly lr (plus the decay). Then the "
                "momentum, with beta2: v_new = beta2 * v + (1 - beta2) * dW. Return new "
                "arrays; do not change the inputs. The library's OPTIMIZERS['lion'] does the "
                "same for every key of params.",
    signature="lion_update(W, dW, v, *, lr, beta1, beta2, weight_decay) -> (W_new, v_new)",
    arg_names=("W", "dW", "v"), output_names=("W", "v"),
    cases=(Case("a mid-training step: v and dW disagree in sign, one entry with v = dW = 0; "
                "lr = 0.1, beta1 = 0.6, beta2 = 0.95, weight_decay = 0.5", _lion_case_mid),
           Case("the first step (v = 0), gradients from 1e-7 to 400 in size; lr = 0.01, "
                "beta1 = 0.9, beta2 = 0.99, weight_decay = 0.1", _lion_case_first),
           Case("a 3x4 weight matrix, lr = 3e-4, beta1 = 0.9, beta2 = 0.99, "
                "weight_decay = 1", _lion_case_net)),
    reference=_lion_reference, solution=lion_update,
    mistakes=(
        _m("v_updated_first", "v was updated before the sign was taken: the step used the "
           "new v, β2's average", "take the sign of c = beta1 * v + (1 - beta1) * dW with the "
           "OLD v first; update v (with beta2) only after the step. Lion's two betas play "
           "different parts: β1 for the step, β2 for the memory.", _lion_bug,
           bug="sign_new_v"),
        _m("v_updated_first", "c was built from the already updated v",
           "c = beta1 * v + (1 - beta1) * dW uses the OLD v; update v after the step.",
           _lion_bug, bug="c_new_v"),
        _m("no_sign", "the step used c itself, not sign(c)",
           "Lion steps by lr * np.sign(c): every weight moves by exactly lr whatever the "
           "size of its gradient.", _lion_bug, bug="no_sign"),
        _m("decay_missing_lr", "the weight decay is W·(1 − λ), not scaled by lr",
           "Lion's decay is decoupled and scaled by the learning rate, as in AdamW: "
           "W * (1 - lr * weight_decay).", _lion_bug, bug="wd_no_lr"),
        _m("no_weight_decay", "no weight decay at all", "multiply W by (1 - lr * "
           "weight_decay) in the step.", _lion_bug, bug="no_wd"),
        _m("decay_after_step", "the weight decay was applied after the sign step",
           "decay the OLD weights: W * (1 - lr * weight_decay) - lr * np.sign(c).", _lion_bug,
           bug="wd_after"),
        _m("state_is_c", "c (β1's interpolation) was returned as the new v",
           "c is only for the step; the state is v_new = beta2 * v + (1 - beta2) * dW.",
           _lion_bug, bug="state_c"),
        _m("betas_swapped", "β1 and β2 are swapped",
           "β1 (0.9 by default) makes the step's c; β2 (0.99) the momentum v that is kept.",
           _lion_bug, bug="swap"),
    ),
    hints=(
        "Two interpolations between the old v and dW: one (β1) only to choose each weight's "
        "direction, the other (β2) to remember. The step throws the size away: only the sign.",
        "c = β1·v + (1 − β1)·dW;   W ← W·(1 − η·λ) − η·sign(c);   v ← β2·v + (1 − β2)·dW",
        "```python\nc = beta1 * v + (1 - beta1) * dW\n"
        "W_new = W * (1 - lr * weight_decay) - lr * np.sign(c)\n"
        "v_new = beta2 * v + (1 - beta2) * dW\nreturn W_new, v_new\n```",
    ),
))


# ============================================================================================
# Optimizer memory in bytes
#: The optimizers the memory exercise asks about, with their state arrays per parameter.
STATE_ARRAYS_ASKED = {"gd": 0, "momentum": 1, "lion": 1, "adam": 2, "adamw": 2}
_BYTES = {"fp32": (4, 4, 0), "mixed": (2, 2, 4)}   # weights, gradients, fp32 master copy


def optimizer_memory_bytes(n_params, optimizer, precision):
    """Bytes to train n_params parameters: weights, gradients, master copy, fp32 states."""
    k = {"gd": 0, "momentum": 1, "lion": 1, "adam": 2, "adamw": 2}[optimizer]  # state arrays
    if precision == "fp32":
        weights, grads, master = 4, 4, 0       # every number in 4 bytes
    else:                                      # "mixed": fp16/bf16 weights and gradients,
        weights, grads, master = 2, 2, 4       # plus an fp32 master copy of the weights
    out = {"weights": n_params * weights, "grads": n_params * grads,
           "master": n_params * master, "states": n_params * 4 * k}   # states stay fp32
    out["total"] = sum(out.values())
    return out


def _memory_reference(n_params, optimizer, precision):
    # floats: 1.6e10 bytes and 16_000_000_000 bytes are both right answers
    return {key: float(b) for key, b in memory_budget(n_params, optimizer, precision).items()}


def _memory_bug(n_params, optimizer, precision, *, bug):
    k = STATE_ARRAYS_ASKED[optimizer]
    if bug == "adam_one" and optimizer in ("adam", "adamw"):
        k = 1
    weights, grads, master = _BYTES[precision]
    state = 2 if bug == "half_states" and precision == "mixed" else 4
    if bug == "no_master":
        master = 0
    if bug == "no_grads":
        grads = 0
    unit = 8 if bug == "bits" else 1
    out = {"weights": n_params * weights * unit, "grads": n_params * grads * unit,
           "master": n_params * master * unit, "states": n_params * state * k * unit}
    out["total"] = sum(out.values())
    return out


def _mem_case(n, optimizer, precision, note=""):
    return Case(f"n_params = {n:,}, optimizer = {optimizer!r}, precision = {precision!r}{note}",
                lambda: ((n, optimizer, precision), {}))


_add(Exercise(
    name="optimizer_memory_bytes", chapter=12, title="Optimizer memory in bytes",
    description="Write optimizer_memory_bytes(n_params, optimizer, precision) -> a dict "
                "{'weights', 'grads', 'master', 'states', 'total'}: the bytes that training a "
                "model of n_params parameters holds for each (activations come on top), and "
                "their sum. State arrays per parameter: 'gd' 0, 'momentum' 1 (v), 'lion' 1 "
                "(v), 'adam' and 'adamw' 2 (v and s). precision 'fp32': every number takes 4 "
                "bytes, 'master' is 0. precision 'mixed' (the ZeRO paper's accounting): "
                "weights and gradients in fp16/bf16 (2 bytes each), a 4-byte fp32 master copy "
                "of the weights, and the states in fp32. Compare the two totals for Adam. "
                "course_lib.core.memory.memory_budget computes the same.",
    signature="optimizer_memory_bytes(n_params, optimizer, precision) -> dict of bytes",
    arg_names=("n_params", "optimizer", "precision"), output_names=("bytes",),
    cases=(_mem_case(125_000_000, "adam", "mixed"),
           _mem_case(7_000_000_000, "adamw", "mixed", " (a 7B model)"),
           _mem_case(1_000, "adam", "fp32"),
           _mem_case(350_000_000, "lion", "mixed"),
           _mem_case(2_500, "momentum", "fp32"),
           _mem_case(1_000_000, "gd", "mixed")),
    reference=_memory_reference, solution=optimizer_memory_bytes,
    mistakes=(
        _m("no_master_copy", "the fp32 master copy of mixed precision is missing",
           "mixed precision keeps a 4-byte fp32 copy of every weight next to the 2-byte one "
           "(the update is done in fp32): 2 + 2 + 4 bytes before the states. That copy is why "
           "mixed-precision Adam needs 16 bytes per parameter, as many as fp32 Adam.",
           _memory_bug, bug="no_master"),
        _m("adam_state_one_array", "Adam's state was counted as one array",
           "Adam and AdamW keep TWO numbers per parameter, v and s: 2 · 4 bytes.",
           _memory_bug, bug="adam_one"),
        _m("bits_not_bytes", "the numbers are in bits, not bytes (8 times too large)",
           "fp32 is 32 bits = 4 BYTES, fp16/bf16 16 bits = 2 bytes; count bytes.",
           _memory_bug, bug="bits"),
        _m("states_in_half_precision", "the states were counted at 2 bytes in mixed precision",
           "mixed precision keeps the optimizer's states in fp32: 4 bytes per number.",
           _memory_bug, bug="half_states"),
        _m("no_gradients", "the gradients are missing",
           "training holds a gradient for every weight: 4 bytes (fp32) or 2 (mixed).",
           _memory_bug, bug="no_grads"),
    ),
    hints=(
        "Count the numbers kept per parameter and the bytes of each: the weight, its "
        "gradient, in mixed precision an fp32 copy of the weight, and the optimizer's state "
        "arrays (always fp32). Multiply each by n_params.",
        "fp32: weights 4, grads 4, master 0;  mixed: 2, 2, 4;  states 4·k;  k = 0 (gd), 1 "
        "(momentum, lion), 2 (adam, adamw).  Adam: 16 bytes per parameter either way.",
        "```python\nk = {'gd': 0, 'momentum': 1, 'lion': 1, 'adam': 2, 'adamw': 2}[optimizer]\n"
        "w, g, m = (4, 4, 0) if precision == 'fp32' else (2, 2, 4)\n"
        "out = {'weights': n_params * w, 'grads': n_params * g, 'master': n_params * m,\n"
        "       'states': n_params * 4 * k}\nout['total'] = sum(out.values())\nreturn out\n```",
    ),
))
