"""Issue 16, items 3 and 6: non-finite optimizer state is divergence, and the right thing is blamed.

A gradient of 1e160 is finite, but its square (1e320) is not a float: s overflows to inf, and
with s = inf in the denominator every later step of Adam & co. is exactly 0. The parameters stay
finite, so a check on the parameters alone sees a run that simply stopped moving.
"""
import re
import warnings

import numpy as np
import pytest

from course_lib.models import LinearRegression, TwoLayerNet
from course_lib.optimizers import OPTIMIZERS
from course_lib.paths import run_path
from course_lib.problems import Problem
from course_lib.training import train

#: Rules whose s sits in a denominator: s = inf freezes them without touching the parameters.
FREEZING = ["adagrad", "rmsprop", "adadelta", "adam", "amsgrad", "adamw", "nadam", "radam",
            "adafactor"]
#: Rules whose step has a fixed size whatever the gradient: sign(c) (Lion), an orthogonalised
#: direction (Muon on the point W, which it reads as a 1×2 matrix); they keep no s for W.
NORMALISED = ["lion", "muon"]
#: The ones the issue found; the same holds for the other FREEZING rules.
ADAM_FAMILY = ["adam", "amsgrad", "adamw", "nadam"]


def test_the_premise_a_gradient_of_1e160_freezes_adam_silently():
    """Without a state check the step is exactly 0 from then on: what the loops must catch."""
    adam = OPTIMIZERS["adam"]
    params = {"W": np.array([1.0, 2.0])}
    with np.errstate(over="ignore"):
        new, state = adam.step(params, {"dW": np.array([1e160, 1.0])}, adam.init(params),
                               **adam.defaults)
    assert np.isinf(state.s["dW"][0]) and np.isfinite(new["W"]).all()
    assert new["W"][0] == 1.0  # v̂/√ŝ = 1e160/inf = 0: no step at all


def _steep_line():
    """f = 1e160·(x + y): finite values near 0, gradient (1e160, 1e160) everywhere."""
    return Problem(name="steep", title="steep line", start=(0.5, 0.5), minima=[],
                   bounds=((-1.0, 1.0), (-1.0, 1.0)), lambda_max=None, f_min=None,
                   saddle_points=[], log_levels=False,
                   fn=lambda x, y: 1e160 * (x + y), grad_fn=lambda x, y: (1e160, 1e160))


@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("record_lr", [False, True])  # the scalar twins, then the plain loop
def test_run_path_stops_when_the_state_overflows(name, record_lr):
    if record_lr and not OPTIMIZERS[name].has_effective_lr:
        # refused before any step: the rule has no per-parameter rate to record
        with pytest.raises(ValueError, match=f"record_lr=False with '{name}'"):
            run_path(_steep_line(), name, steps=20, record_lr=record_lr)
        return
    res = run_path(_steep_line(), name, steps=20, record_lr=record_lr)
    if name in NORMALISED:  # 20 steps of size about lr: the point stays put, nothing overflows
        assert not res.diverged and res.steps_taken == 20
        moved = np.abs(res.path[-1] - res.path[0]).max()
        assert 0 < moved <= 20 * OPTIMIZERS[name].defaults["lr"]
    elif name in FREEZING:
        assert res.diverged and res.steps_taken == 0
        title = OPTIMIZERS[name].title
        assert res.message.startswith(f"diverged at step 1: {title}'s s_dW (")
        assert "overflowed to inf" in res.message
        assert "the gradients reached 1e+160" in res.message
        assert "smaller learning rate" in res.message
    else:  # gd, momentum, nesterov keep no s: a step of lr·1e160 leaves the plot, said so
        assert res.diverged and "s_dW" not in res.message


def _huge_regression(scale=1e80, n=40, d=2):
    """Data whose loss is finite (~1e160) and whose gradient is ~1e160: s = dW² overflows."""
    gen = np.random.default_rng(3)
    return gen.standard_normal((n, d)) * scale, gen.standard_normal(n) * scale


@pytest.mark.parametrize("name", FREEZING)
@pytest.mark.parametrize("batch_size", [None, 1, 8])  # full batch, the SGD loop, mini-batches
def test_train_stops_when_the_state_overflows(name, batch_size):
    X, y = _huge_regression()
    with pytest.warns(RuntimeWarning, match="overflowed to inf"):
        res = train(LinearRegression(2), X, y, name, batch_size=batch_size, epochs=3, lr=0.01)
    assert res.diverged and res.iterations == 0
    title = OPTIMIZERS[name].title
    assert res.message.startswith(f"training diverged at epoch 1, iteration 1: {title}'s s_d")
    assert re.search(r"the gradients reached \d(\.\d)?e\+1[56]\d, and their squares pass the "
                     r"largest float", res.message)
    assert "smaller learning rate (lr=0.01)" in res.message
    assert "standardize the features" in res.message


@pytest.mark.parametrize("name", ADAM_FAMILY)
def test_train_of_a_network_stops_when_the_state_overflows(name):
    # X ~ 1e100, y ~ 1e60: the loss (~1e120) is finite, dW1 ~ X·(error)·W2 ~ 1e160 is not squarable
    gen = np.random.default_rng(1)
    X, y = gen.standard_normal((20, 2)) * 1e100, gen.standard_normal(20) * 1e60
    model = TwoLayerNet(2, 3, activation="relu", task="regression")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = train(model, X, y, name, batch_size=5, epochs=2, lr=0.01)
    assert res.diverged and "overflowed to inf" in res.message
    assert f"{OPTIMIZERS[name].title}'s s_dW" in res.message


@pytest.mark.parametrize("name", ADAM_FAMILY + ["adagrad", "rmsprop", "adadelta"])
def test_update_refuses_the_overflowed_state_it_returned(name):
    """A learner's own loop of ``update`` calls: the frozen state is refused at the next call."""
    opt = OPTIMIZERS[name]
    params = {"W": np.array([1.0, 2.0])}
    with np.errstate(over="ignore"):
        params, state = opt.update(params, {"dW": np.array([1e160, 1.0])}, opt.init(params))
    with pytest.raises(ValueError, match=rf"this state cannot be used: {opt.title}'s s_dW "
                                         r"\(.*squared gradients\) overflowed to inf") as err:
        opt.update(params, {"dW": np.array([1.0, 1.0])}, state)
    assert "init(params)" in str(err.value)


# ---- item 6: blame the right thing ----------------------------------------------------------
@pytest.mark.parametrize("bad, word", [(np.nan, "NaN"), (np.inf, "inf")])
def test_a_learner_update_returning_nan_is_blamed(bad, word):
    def my_update(params, grads, state, **hp):
        return {"W": np.array([bad, 0.0])}, state

    res = run_path("bowl", "adam", update=my_update, steps=10, lr=0.01)
    assert res.diverged and res.steps_taken == 0
    assert res.message.startswith(f"your update function my_update returned {word} at step 1 "
                                  "(for parameter W")
    assert "check its formula" in res.message


def test_a_learner_pair_returning_nan_is_blamed():
    def init(params):
        return None

    def rule(params, grads, state, **hp):
        return {"W": params["W"] - np.sqrt(-1.0 - params["W"])}, state  # sqrt of a negative

    with np.errstate(invalid="ignore"):
        res = run_path("bowl", (init, rule), steps=5)
    assert res.message.startswith("your update function rule returned NaN at step 1")


def test_a_learner_update_returning_a_broken_state_is_blamed():
    base = OPTIMIZERS["adam"]

    def forgets_the_square(params, grads, state, **hp):
        new, st = base.step(params, grads, state, **hp)
        return new, st._replace(s={"dW": st.s["dW"] * np.nan})

    res = run_path("bowl", "adam", update=forgets_the_square, steps=10, lr=0.01)
    assert res.diverged
    assert res.message.startswith("your update function forgets_the_square returned a state "
                                  "that is not finite at step 1: Adam's s_dW")
    assert "learning rate" not in res.message


@pytest.mark.parametrize("name", ["rmsprop", "adam", "amsgrad", "adadelta", "adagrad"])
@pytest.mark.parametrize("value, says", [
    (np.nan, r"this state cannot be used: .*s_dW .* became NaN"),
    (-1.0, r"state.s\['dW'\] holds a negative number \(-1\).* never negative"),
])
def test_update_refuses_a_nan_or_negative_s_without_a_learning_rate_hint(name, value, says):
    opt = OPTIMIZERS[name]
    params = {"W": np.array([1.0, 2.0])}
    state = opt.init(params)
    state = state._replace(s={"dW": np.array([value, 1.0])})
    with pytest.raises(ValueError, match=says) as err:
        opt.update(params, {"dW": np.array([0.1, 0.1])}, state)
    assert "smaller learning rate" not in str(err.value)


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_update_refuses_an_infinite_v(name):
    opt = OPTIMIZERS[name]
    params = {"W": np.array([1.0])}
    state = opt.init(params)._replace(v={"dW": np.array([np.inf])})
    with pytest.raises(ValueError, match=r"'s v_dW \(the moving average of the gradients\) "
                                         r"overflowed to inf"):
        opt.update(params, {"dW": np.array([0.1])}, state)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_state_checks_leave_normal_runs_alone(name):
    """The same numbers as before on an ordinary run: the checks only read."""
    opt = OPTIMIZERS[name]
    params = {"W": np.array([1.0, -2.0])}
    state = opt.init(params)
    p_checked, s_checked = params, state
    p_plain, s_plain = params, state
    for k in range(5):
        g = {"dW": np.array([0.5 - k, 2.0 + k])}
        p_checked, s_checked = opt.update(p_checked, g, s_checked)
        p_plain, s_plain = opt.step(p_plain, g, s_plain, **opt.defaults)
    assert p_checked["W"].tolist() == p_plain["W"].tolist()
