"""Chapter 12's optimizers (RAdam, Adafactor, Muon, Lion) checked WITHOUT torch: first steps
worked by hand from the published formulas, zero gradients, and gradients from 1e-6 to 1e3.

Every expected number below is derived in the comments (or with Python floats and the math
module from the papers' formulas), never copied from course_lib. tests/test_torch_parity.py
checks the same rules against torch.optim and lion-pytorch over 200 steps.
"""
import math

import numpy as np
import pytest

from course_lib.optimizers import (OPTIMIZERS, AdafactorState, MuonState, effective_lr,
                                   newton_schulz)
from course_lib.training import train

MODERN = ["radam", "adafactor", "muon", "lion"]


def steps(name, grads, params, **hp):
    opt = OPTIMIZERS[name]
    state = opt.init(params)
    out = []
    for g in grads:
        params, state = opt.update(params, g, state, **hp)
        out.append(params)
    return out, state


def quintic5(x):
    """Muon's Newton-Schulz on one singular value: 5 times x ← a·x + b·x³ + c·x⁵."""
    for _ in range(5):
        x = 3.4445 * x - 4.7750 * x ** 3 + 2.0315 * x ** 5
    return x


# --------------------------------------------------------------------------------------------
# the registry entries: torch's (and the Lion paper's) defaults, typed from their docs
def test_defaults_are_the_frameworks():
    assert OPTIMIZERS["radam"].defaults == {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999,
                                            "eps": 1e-8}
    assert OPTIMIZERS["lion"].defaults == {"lr": 1e-4, "beta1": 0.9, "beta2": 0.99,
                                           "weight_decay": 0.0}
    ada = OPTIMIZERS["adafactor"].defaults
    assert ada == {"lr": 1e-2, "beta2_decay": -0.8, "eps1": 2.0 ** -52, "eps2": 1e-3, "d": 1.0,
                   "weight_decay": 0.0}
    muon = OPTIMIZERS["muon"].defaults
    assert {k: muon[k] for k in ("lr", "beta", "weight_decay", "eps")} == {
        "lr": 1e-3, "beta": 0.95, "weight_decay": 0.1, "eps": 1e-7}
    assert muon["adamw_lr"] == 1e-3 and muon["adamw_weight_decay"] == 0.01


# --------------------------------------------------------------------------------------------
# RAdam
def test_radam_takes_momentum_only_steps_while_rho_t_is_at_most_5():
    # β2 = 0.9: ρ_∞ = 2/0.1 − 1 = 19; ρ_t = 19 − 2t·0.9^t/(1 − 0.9^t):
    # t=1: 19 − 18 = 1; t=5: 19 − 10·0.59049/0.40951 = 4.58; t=6: 19 − 12·0.531441/0.468559
    # = 5.39 > 5. With β1 = 0 (v̂ = dW) and dW = 1 each step, steps 1..5 are W − η·1; step 6
    # is η·r_6·v̂·√(1 − 0.9^6)/√s with s = 1 − 0.9^6 (an EWA of ones from 0): η·r_6.
    lr = 0.1
    out, _ = steps("radam", [{"dW": np.array([1.0])}] * 6, {"W": np.array([5.0])}, lr=lr,
                   beta1=0.0, beta2=0.9, eps=1e-300)
    got = [p["W"][0] for p in out]
    np.testing.assert_allclose(got[:5], [4.9, 4.8, 4.7, 4.6, 4.5], rtol=1e-14)
    rho_inf = 19.0
    rho_6 = rho_inf - 12 * 0.9 ** 6 / (1 - 0.9 ** 6)
    assert 5.38 < rho_6 < 5.40
    r_6 = math.sqrt((rho_6 - 4) * (rho_6 - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_6))
    assert 0.25 < r_6 < 0.26
    assert got[5] == pytest.approx(4.5 - lr * r_6, rel=1e-13)


def test_radam_with_a_short_average_is_momentum_forever():
    # β2 = 0.5: ρ_∞ = 2/0.5 − 1 = 3 <= 5, never rectified; with β1 = 0 that is plain GD
    rng = np.random.default_rng(0)
    grads = [{"dW": rng.standard_normal(3) * 10.0 ** rng.integers(-6, 4, 3)} for _ in range(30)]
    out, _ = steps("radam", grads, {"W": np.zeros(3)}, lr=0.01, beta1=0.0, beta2=0.5)
    expected = -0.01 * np.cumsum([g["dW"] for g in grads], axis=0)
    np.testing.assert_allclose([p["W"] for p in out], expected, rtol=1e-12)


def test_radam_effective_lr_is_lr_then_rectified():
    opt = OPTIMIZERS["radam"]
    _, state = steps("radam", [{"dW": np.array([2.0])}] * 6, {"W": np.array([0.0])},
                     lr=0.1, beta2=0.9, eps=1e-8)
    rate = effective_lr("radam", state, lr=0.1, beta2=0.9, eps=1e-8)["dW"][0]
    rho_6 = 19 - 12 * 0.9 ** 6 / (1 - 0.9 ** 6)
    r_6 = math.sqrt((rho_6 - 4) * (rho_6 - 2) * 19 / (15 * 17 * rho_6))
    s = 4.0 * (1 - 0.9 ** 6)  # an EWA of dW² = 4 from 0
    assert rate == pytest.approx(0.1 * r_6 * math.sqrt(1 - 0.9 ** 6) / (math.sqrt(s) + 1e-8),
                                 rel=1e-12)
    _, early = steps("radam", [{"dW": np.array([2.0])}] * 3, {"W": np.array([0.0])})
    assert opt.effective_lr(early, lr=0.1)["dW"].tolist() == [0.1]


# --------------------------------------------------------------------------------------------
# Lion
def test_lion_first_two_steps_by_hand():
    # β1 = 0.9, β2 = 0.99, η = 0.1, λ = 0.5; W0 = (2, −1, 3), dW1 = (1e-6, 1e3, 0):
    # c = 0.9·0 + 0.1·dW1 -> sign (1, 1, 0); W1 = W0·(1 − 0.05) − 0.1·sign = (1.8, −1.05, 2.85)
    # v1 = 0.01·dW1 = (1e-8, 10, 0). dW2 = (−1e-6, 0, 0): c = 0.9·v1 + 0.1·dW2
    # = (9e-9 − 1e-7, 9, 0) -> sign (−1, 1, 0); W2 = W1·0.95 − 0.1·sign = (1.81, −1.0975, 2.7075)
    hp = dict(lr=0.1, beta1=0.9, beta2=0.99, weight_decay=0.5)
    out, state = steps("lion", [{"dW": np.array([1e-6, 1e3, 0.0])},
                                {"dW": np.array([-1e-6, 0.0, 0.0])}],
                       {"W": np.array([2.0, -1.0, 3.0])}, **hp)
    np.testing.assert_allclose(out[0]["W"], [1.8, -1.05, 2.85], rtol=1e-14)
    np.testing.assert_allclose(out[1]["W"], [1.81, -1.0975, 2.7075], rtol=1e-14)
    # v2 = 0.99·v1 + 0.01·dW2 = (9.9e-9 − 1e-8, 9.9, 0)
    np.testing.assert_allclose(state.v["dW"], [9.9e-9 - 1e-8, 9.9, 0.0], rtol=1e-12)
    assert effective_lr("lion", state, **hp)["dW"].tolist() == [0.1] * 3


# --------------------------------------------------------------------------------------------
# Adafactor
def test_adafactor_first_step_on_a_vector():
    # t = 1: 1 − β̂2 = 1^τ = 1, so s = dW²; ρ_1 = min(0.01, 1) = 0.01;
    # α = max(1e-3, RMS(3, 4) = √12.5)·0.01. dW = (1e-6, 0): U = dW/√max(s, ε1²) = (1, 0)
    # (0/ε1 = 0), RMS(U) = √0.5 < d = 1: no clipping. W1 = (3 − α, 4).
    out, state = steps("adafactor", [{"dW": np.array([1e-6, 0.0])}], {"W": np.array([3.0, 4.0])})
    alpha = math.sqrt(12.5) * 0.01
    np.testing.assert_allclose(out[0]["W"], [3.0 - alpha, 4.0], rtol=1e-14)
    assert state.s["dW"].tolist() == [1e-12, 0.0]


def test_adafactor_first_step_on_a_matrix_is_factored():
    # dW = [[1, 2], [3, 4]]: row means of dW² (2.5, 12.5), column means (5, 10), mean(s_row)
    # = 7.5; V̂ = s_row·s_colᵀ/7.5 = [[5/3, 10/3], [25/3, 50/3]]; U² = dW²/V̂ = [[3/5, 6/5],
    # [27/25, 24/25]], RMS(U) = √0.96 < 1: no clipping. α = RMS(W0)·0.01 = √7.5·0.01.
    W0 = np.array([[1.0, 2.0], [3.0, 4.0]])
    out, state = steps("adafactor", [{"dW": W0.copy()}], {"W": W0.copy()})
    assert isinstance(state, AdafactorState) and set(state.s) == set()
    np.testing.assert_allclose(state.s_row["dW"], [2.5, 12.5], rtol=1e-15)
    np.testing.assert_allclose(state.s_col["dW"], [5.0, 10.0], rtol=1e-15)
    U = np.sqrt([[3 / 5, 6 / 5], [27 / 25, 24 / 25]])
    np.testing.assert_allclose(out[0]["W"], W0 - math.sqrt(7.5) * 0.01 * U, rtol=1e-14)


def test_adafactor_second_step_is_clipped_to_rms_d():
    # step 1: dW = (1e-6, 1e-6), s = 1e-12. step 2: 1 − β̂2 = 2^−0.8 = w; s = (1 − w)·1e-12 + w
    # with dW = (1, 1): U = 1/√s ≈ 1.32 in both, RMS(U) = U > d = 1: the step is α·U/RMS(U)
    # = α·(1, 1), α = max(1e-3, RMS(W1))·min(0.01, 1/√2). With d = 2 no clipping: α·U.
    w = 2.0 ** -0.8
    s = (1 - w) * 1e-12 + w
    for d, factor in ((1.0, 1.0), (2.0, 1.0 / math.sqrt(s))):
        out, _ = steps("adafactor", [{"dW": np.array([1e-6, 1e-6])}, {"dW": np.array([1.0, 1.0])}],
                       {"W": np.array([3.0, 4.0])}, d=d)
        W1 = out[0]["W"]
        rms = math.sqrt((W1[0] ** 2 + W1[1] ** 2) / 2)
        np.testing.assert_allclose(out[1]["W"], W1 - rms * 0.01 * factor, rtol=1e-14)


def test_adafactor_and_muon_refuse_effective_lr_with_the_reason():
    for name, why in (("adafactor", "depends on the params"), ("muon", "orthogonalises")):
        opt = OPTIMIZERS[name]
        assert not opt.has_effective_lr
        with pytest.raises(ValueError, match=f"{name} has no effective learning rate: .*{why}"):
            opt.effective_lr(opt.init({"W": np.ones(2)}))


# --------------------------------------------------------------------------------------------
# Muon
def test_newton_schulz_keeps_singular_vectors_and_maps_singular_values():
    # G = U·diag(σ)·Vᵀ: NS normalises by ‖G‖_F = ‖σ‖ and acts on each singular value alone
    rng = np.random.default_rng(5)
    U, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    V, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    sigma = np.array([5.0, 1.0, 1e-3])
    G = U[:, :3] @ np.diag(sigma) @ V.T
    x = sigma / np.linalg.norm(sigma)
    expected = U[:, :3] @ np.diag([quintic5(v) for v in x]) @ V.T
    np.testing.assert_allclose(newton_schulz(G), expected, atol=1e-12)
    np.testing.assert_allclose(newton_schulz(G.T), expected.T, atol=1e-12)  # tall = wide
    assert 0.68 < quintic5(1.0) < 0.71


def test_muon_first_step_on_a_row_is_normalised_gradient_descent():
    # β = 0: the look-ahead is dW itself; a 1-D W is one row: NS gives φ(1)·dW/‖dW‖ with
    # φ(1) = quintic5(1); √max(1, 1/n) = 1; W·(1 − η·λ) first. For dW = 1e-6·(3, −4) and
    # 1e3·(3, −4) the step is the same: only the direction counts.
    lr, wd = 0.1, 0.5
    for scale in (1e-6, 1.0, 1e3):
        out, state = steps("muon", [{"dW": scale * np.array([3.0, -4.0])}],
                           {"W": np.array([1.0, 2.0])}, lr=lr, beta=0.0, weight_decay=wd)
        expected = np.array([1.0, 2.0]) * (1 - lr * wd) - lr * quintic5(1.0) * np.array([0.6, -0.8])
        np.testing.assert_allclose(out[0]["W"], expected, rtol=1e-12)
        assert isinstance(state, MuonState) and set(state.s) == set()  # no s for the weights


def test_muon_scales_tall_matrices_and_gives_b_to_adamw():
    # W of shape (3, 2) with orthonormal-column gradient dW = [[1, 0], [0, 1], [0, 0]]: both
    # singular values 1, ‖dW‖ = √2, so NS maps each 1/√2 to quintic5(1/√2) and keeps the
    # vectors; the lr is scaled by √max(1, 3/2). b (1-D, not a W): AdamW's first step,
    # b·(1 − η_A·λ_A) − η_A·db/(|db| + ε_A).
    dW = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    hp = dict(lr=0.1, beta=0.0, weight_decay=0.0, adamw_lr=0.05, adamw_weight_decay=0.2)
    out, state = steps("muon", [{"dW": dW, "db": np.array([1e-6, -1e3])}],
                       {"W": np.zeros((3, 2)), "b": np.array([1.0, 1.0])}, **hp)
    np.testing.assert_allclose(out[0]["W"], -0.1 * math.sqrt(1.5) * quintic5(2 ** -0.5) * dW,
                               rtol=1e-12)
    eps = 1e-8
    np.testing.assert_allclose(out[0]["b"], [0.99 - 0.05 * 1e-6 / (1e-6 + eps),
                                             0.99 + 0.05 * 1e3 / (1e3 + eps)], rtol=1e-12)
    assert set(state.s) == {"db"} and set(state.v) == {"dW", "db"}


def test_muon_nesterov_momentum_by_hand():
    # β = 0.5, dW1 = (1, 0), dW2 = (0, 1) on a row: v1 = 0.5·dW1, look-ahead 0.5·dW1 + 0.5·v1
    # ∝ (1, 0); v2 = 0.5·v1 + 0.5·dW2 = (0.25, 0.5), look-ahead 0.5·dW2 + 0.5·v2 = (0.125, 0.75),
    # whose direction is (1, 6)/√37.
    out, state = steps("muon", [{"dW": np.array([1.0, 0.0])}, {"dW": np.array([0.0, 1.0])}],
                       {"W": np.array([0.0, 0.0])}, lr=0.1, beta=0.5, weight_decay=0.0)
    phi = quintic5(1.0)
    np.testing.assert_allclose(out[0]["W"], [-0.1 * phi, 0.0], atol=1e-15)
    np.testing.assert_allclose(out[1]["W"] - out[0]["W"],
                               -0.1 * phi * np.array([1.0, 6.0]) / math.sqrt(37), rtol=1e-12)
    np.testing.assert_allclose(state.v["dW"], [0.25, 0.5], rtol=1e-15)


# --------------------------------------------------------------------------------------------
# all four: zero gradients, state checks, the loops
@pytest.mark.parametrize("name", MODERN)
def test_a_zero_gradient_moves_only_by_weight_decay(name):
    opt = OPTIMIZERS[name]
    hp = {"lr": 0.1}
    if "weight_decay" in opt.hparams:
        hp["weight_decay"] = 0.5
    params = {"W": np.array([[1.0, -2.0], [3.0, 0.5]]), "b": np.array([0.5, -1.0])}
    out, _ = steps(name, [{"dW": np.zeros((2, 2)), "db": np.zeros(2)}] * 3, params, **hp)
    shrink = (1 - 0.1 * hp.get("weight_decay", 0.0)) ** 3
    np.testing.assert_allclose(out[-1]["W"], params["W"] * shrink, rtol=1e-14)
    if name == "muon":  # b goes to AdamW, whose own λ is 0.01 by default
        shrink = (1 - 0.001 * 0.01) ** 3
    np.testing.assert_allclose(out[-1]["b"], params["b"] * shrink, rtol=1e-14)


@pytest.mark.parametrize("name", MODERN)
def test_the_state_is_checked_with_the_rules_own_shapes(name):
    opt = OPTIMIZERS[name]
    params = {"W": np.ones((3, 2)), "b": np.ones(2)}
    state = opt.init(params)
    field = next(iter(opt.state_shapes("W", (3, 2))))
    broken = state._replace(**{field: {**getattr(state, field), "dW": np.ones(7)}})
    with pytest.raises(ValueError, match=rf"state.{field}\['dW'\] has shape \(7,\)"):
        opt.update(params, {"dW": np.ones((3, 2)), "db": np.ones(2)}, broken)
    square = [f for f in opt.state_shapes("W", (3, 2)) if f.startswith("s")]
    for f in square:
        neg = state._replace(**{f: {**getattr(state, f), "dW": -np.ones(opt.state_shapes(
            "W", (3, 2))[f])}})
        with pytest.raises(ValueError, match=rf"state.{f}\['dW'\] holds a negative number"):
            opt.update(params, {"dW": np.ones((3, 2)), "db": np.ones(2)}, neg)


@pytest.mark.parametrize("name", MODERN)
def test_train_and_run_path_run_the_new_rules(name):
    from course_lib.models import LinearRegression, TwoLayerNet
    from course_lib.paths import run_path
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3
    lr = {"radam": 0.05, "adafactor": 0.5, "muon": 0.05, "lion": 0.01}[name]
    for batch_size in (None, 1, 16):   # the fast loop's three paths
        res = train(LinearRegression(3), X, y, name, epochs=5, batch_size=batch_size, lr=lr)
        assert not res.diverged and res.loss_per_epoch[-1] < res.loss_per_epoch[0]
    # the fast loop (W and b in one vector) gives the plain loop's numbers: same as a
    # hand-written loop of update() on the two params
    res = train(LinearRegression(3), X, y, name, epochs=3, batch_size=None, lr=lr)
    opt, params = OPTIMIZERS[name], {"W": np.zeros(3), "b": np.zeros(1)}
    state = opt.init(params)
    model = LinearRegression(3)
    for _ in range(3):
        _, grads = model._loss_and_grads(params, X, y)
        params, state = opt.update(params, grads, state, lr=lr)
    np.testing.assert_allclose(res.params["W"], params["W"], rtol=1e-12)
    np.testing.assert_allclose(res.params["b"], params["b"], rtol=1e-12)
    net = train(TwoLayerNet(3, 4, task="regression"), X, y, name, epochs=3, batch_size=16,
                lr=lr)
    assert not net.diverged
    path = run_path("bowl", name, steps=50, lr=0.05)
    assert not path.diverged and path.losses[-1] < path.losses[0]
