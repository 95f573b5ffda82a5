"""Parity with torch.optim, using the mapping written in NOTATION.md.

Runs only where torch is importable (CI installs the CPU wheel: `pip install torch==2.13.0`); the
rest of the suite proves the same formulas without torch (tests/test_optimizers.py).
"""
import numpy as np
import pytest

from course_lib.optimizers import OPTIMIZERS

torch = pytest.importorskip(
    "torch", reason="torch is not installed; install the CPU wheel with "
                    "`pip install torch==2.13.0` to run the parity tests against torch.optim")

STEPS = 200


def gradient_sequence(seed=0, n=6):
    """Gradients whose scale runs from 1e-6 to 1e3, with exact zeros sprinkled in."""
    rng = np.random.default_rng(seed)
    scales = 10.0 ** rng.integers(-6, 4, size=(STEPS, n))
    grads = rng.standard_normal((STEPS, n)) * scales
    grads[rng.random((STEPS, n)) < 0.1] = 0.0
    grads[:, 0] *= 1e-6 / np.abs(grads[:, 0]).clip(1e-300).max()  # one coordinate always tiny
    grads[5:9, 1] = 0.0
    return grads


def torch_optimizer(name, param, hp):
    o = torch.optim
    if name == "gd":
        return o.SGD([param], lr=hp["lr"])
    if name in ("momentum", "nesterov"):
        return o.SGD([param], lr=hp["lr"] * (1 - hp["beta"]), momentum=hp["beta"],
                     nesterov=name == "nesterov")
    if name == "adagrad":
        return o.Adagrad([param], lr=hp["lr"], eps=hp["eps"])
    if name == "rmsprop":
        return o.RMSprop([param], lr=hp["lr"], alpha=hp["beta"], eps=hp["eps"])
    if name == "adadelta":
        return o.Adadelta([param], lr=hp["lr"], rho=hp["rho"], eps=hp["eps"])
    betas = (hp["beta1"], hp["beta2"])
    if name in ("adam", "amsgrad"):
        return o.Adam([param], lr=hp["lr"], betas=betas, eps=hp["eps"], amsgrad=name == "amsgrad")
    if name == "adamw":
        return o.AdamW([param], lr=hp["lr"], betas=betas, eps=hp["eps"],
                       weight_decay=hp["weight_decay"])
    if name == "nadam":
        return o.NAdam([param], lr=hp["lr"], betas=betas, eps=hp["eps"], momentum_decay=1e9)
    raise AssertionError(name)


@pytest.fixture(autouse=True)
def float64_and_one_thread():
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)   # scalar state such as NAdam's mu_product in float64
    torch.set_num_threads(1)
    yield
    torch.set_default_dtype(old)


@pytest.mark.parametrize("hp_kind", ["defaults", "unusual"])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_trajectory_matches_torch(name, hp_kind):
    opt = OPTIMIZERS[name]
    hp = dict(opt.defaults)
    if hp_kind == "unusual":
        unusual = {"lr": 0.03, "beta": 0.8, "beta1": 0.8, "beta2": 0.888, "eps": 1e-2,
                   "rho": 0.7, "weight_decay": 0.1}
        hp.update({k: v for k, v in unusual.items() if k in hp})
    grads = gradient_sequence(seed=len(name))
    w0 = np.random.default_rng(1).standard_normal(grads.shape[1]) + 2.0

    param = torch.nn.Parameter(torch.tensor(w0, dtype=torch.float64))
    topt = torch_optimizer(name, param, hp)
    params, state = {"W": w0.copy()}, opt.init({"W": w0})
    for t, g in enumerate(grads, start=1):
        param.grad = torch.tensor(g, dtype=torch.float64)
        topt.step()
        params, state = opt.update(params, {"dW": g}, state, **hp)
        np.testing.assert_allclose(params["W"], param.detach().numpy(), rtol=1e-9, atol=0,
                                   err_msg=f"{name} differs from torch at step {t}")
