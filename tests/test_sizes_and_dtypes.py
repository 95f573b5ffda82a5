"""Issue 16, items 8 and 9: absurd sizes are refused with the argument and the limit; complex,
bool, string, datetime and object arrays are refused with the argument and the dtype."""
import numpy as np
import pytest

from course_lib import data, models, plots, problems, training
from course_lib._validate import check_array, check_number
from course_lib.optimizers import OPTIMIZERS
from course_lib.widgets import lr_regime

HUGE = 10**400  # beyond every float: float(HUGE) raises OverflowError


# ---- item 8 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, match", [
    (lambda: check_number("lr", HUGE), ValueError,
     r"lr must be a finite number, got an integer of about 10\*\*400, larger than the largest "
     r"float \(1.8e\+308\)"),
    (lambda: check_number("lr", -HUGE, low=0), ValueError, r"lr must be a finite number"),
    (lambda: check_number("n", HUGE, low=1, high=10, integer=True), ValueError,
     r"n must be in \[1, 10\], got an integer of about 10\*\*400"),
    (lambda: OPTIMIZERS["adam"].check_hparams(lr=HUGE), ValueError, r"adam: lr must be a finite"),
    (lambda: data.make_regression(d=1e308), ValueError,
     r"X of n \* d \(n=1000, d=an integer of about 10\*\*308\) = an integer of about 10\*\*311 "
     r"numbers is too many"),
    (lambda: data.make_regression(n=10**6, d=10**6), ValueError,
     r"X of n \* d \(n=1000000, d=1000000\) = 1,000,000,000,000 numbers is too many: at 8 bytes "
     r"each that is 8e\+03 GB; the limit here is 200,000,000 numbers \(1.6 GB\)"),
    (lambda: data.make_regression(n=HUGE), ValueError, r"numbers is too many"),
    (lambda: data.make_classification(n=10**9, d=10), ValueError, r"n \* d .* too many"),
    (lambda: data.make_moons(n=10**9), ValueError, r"X of n \* 2 \(n=1000000000\)"),
    (lambda: data.make_large(n=10**8, d=20), ValueError, r"too many"),
    (lambda: models.LinearRegression(10**12), ValueError, r"W of n_features=10\*\*12|too many"),
    (lambda: models.TwoLayerNet(10**5, 10**5), ValueError,
     r"W1 of n_features \* n_hidden \(100000 \* 100000\) = 10,000,000,000 numbers is too many"),
    (lambda: problems.rosenbrock(a=1e308), ValueError, r"^a must be in \[-1000000.0, 1000000.0\]"),
    (lambda: problems.rosenbrock(b=1e308), ValueError, r"^b must be in \(0.0, 1000000000000.0\]"),
    (lambda: problems.quadratic_bowl(scale=1e308), ValueError, r"^scale must be in"),
    (lambda: problems.quadratic_bowl(condition=1e308), ValueError, r"^condition must be in"),
    (lambda: plots.animate_paths("bowl", [np.zeros((2, 2))], interval=HUGE), ValueError,
     r"interval must be in \[10, 60000\]"),
    (lambda: lr_regime(0.1, lambda_max=10.0, lambda_min=1.0, steps=HUGE), ValueError,
     r"steps must be in \[1, 1000000000\]"),
])
def test_absurd_sizes_are_refused_by_name(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_train_refuses_a_run_that_cannot_be_recorded():
    d = data.make_regression(n=20, d=1, rng=0)
    with pytest.raises(ValueError, match=r"epochs=100000000 x 20 iterations per epoch = "
                                         r"2,000,000,000 iterations is more than the "
                                         r"100,000,000 one run may take"):
        training.train(models.LinearRegression(1), d.X, d.y, batch_size=1, epochs=10**8)
    wide = data.make_regression(n=20, d=10, rng=0)  # 11 parameters, 2e7 iterations: 2.2e8
    with pytest.raises(ValueError, match=r"record_path=True: \(iterations \+ 1\) \* parameters"
                                         r" = 20,000,001 \* 11 = 220,000,011 numbers is too many"):
        training.train(models.LinearRegression(10), wide.X, wide.y, batch_size=1, epochs=10**6,
                       record_path=True)


# ---- item 9 ---------------------------------------------------------------------------------
BAD_ARRAYS = {
    "complex": (np.array([1.0 + 2.0j, 0.5]), r"dtype complex128 \(complex\)"),
    "bool": (np.array([True, False]), r"dtype bool \(bool\)"),
    "string": (np.array(["1.5", "2"]), r"dtype <U3 \(string\)"),
    "datetime": (np.array(["2024-01-01", "2024-01-02"], dtype="datetime64[D]"),
                 r"dtype datetime64\[D\] \(datetime\)"),
    "object": (np.array([1.0, None], dtype=object), r"dtype object"),
    "list of complex": ([1j, 2.0], r"dtype complex128"),
    "list of bools": ([True, False], r"dtype bool"),
}


@pytest.mark.parametrize("kind", list(BAD_ARRAYS))
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_optimizers_refuse_non_real_arrays(name, kind):
    opt = OPTIMIZERS[name]
    bad, dtype = BAD_ARRAYS[kind]
    good = {"W": np.array([1.0, 2.0])}
    state = opt.init(good)
    if isinstance(bad, np.ndarray):
        with pytest.raises(TypeError, match=rf"grads\['dW'\] must hold real numbers .*{dtype}"):
            opt.update(good, {"dW": bad}, state)
    else:  # a list was refused already: the optimizers take arrays
        with pytest.raises(TypeError, match=r"grads\['dW'\] must be a NumPy array"):
            opt.update(good, {"dW": bad}, state)
    if isinstance(bad, np.ndarray):
        with pytest.raises(TypeError, match=rf"params\['W'\] must hold real numbers .*{dtype}"):
            opt.update({"W": bad}, {"dW": np.ones(2)}, state)
        with pytest.raises(TypeError, match=r"params\['W'\] must hold real numbers"):
            opt.init({"W": bad})
    for field in opt.state_shapes("W", (2,)):  # the fields this rule keeps for W
        broken = state._replace(**{field: {"dW": bad}})
        with pytest.raises(TypeError, match=rf"state.{field}\['dW'\] must hold real numbers"):
            opt.update(good, {"dW": np.ones(2)}, broken)


@pytest.mark.parametrize("kind", list(BAD_ARRAYS))
def test_train_models_and_data_helpers_refuse_non_real_arrays(kind):
    bad, dtype = BAD_ARRAYS[kind]
    X = np.column_stack([np.asarray(bad, dtype=object)] * 2)
    if isinstance(bad, np.ndarray):
        X = np.column_stack([bad, bad])  # keeps the dtype
    y = np.array([0.0, 1.0])
    lin = models.LinearRegression(2)
    params = lin.init_params(0)
    calls = [
        (lambda: training.train(lin, X, y, epochs=1), "X"),
        (lambda: training.train(lin, np.ones((2, 2)), bad, epochs=1), "y"),
        (lambda: lin.loss(params, X, y), "X"),
        (lambda: lin.loss({"W": bad, "b": np.zeros(1)}, np.ones((2, 2)), y), r"params\['W'\]"),
        (lambda: data.check_xy(X, y), "X"),
        (lambda: list(data.minibatches(np.ones((2, 2)), bad, 1, rng=0)), "y"),
        (lambda: problems.get_problem("bowl").value(bad), "w"),
        (lambda: check_array("a", bad), "a"),
    ]
    for call, name in calls:
        with pytest.raises(TypeError, match=rf"^{name} must hold real numbers") as err:
            call()
        if kind not in ("list of complex", "list of bools"):
            assert dtype.split(" ")[0].replace("\\", "") in str(err.value)


def test_real_numbers_still_pass_as_today():
    for value in ([1, 2], np.array([1, 2], dtype=np.int8), np.array([1.0, 2.0], np.float32),
                  np.array([1, 2], dtype=np.uint64), (1.5, 2)):
        assert check_array("a", value).tolist() == [1.0, 2.0] or \
            check_array("a", value).tolist() == [1.5, 2.0]
    lin = models.LinearRegression(1)
    X, y = np.array([[1], [2], [3]], dtype=np.int32), np.array([1, 0, 1], dtype=np.int64)
    assert training.train(lin, X, y, epochs=2).iterations == 2

