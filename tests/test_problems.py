"""course_lib.problems: gradients against finite differences, minima from the literature,
hand-computed values, the bowl's Hessian, the noisy wrapper, and every validation message."""
import math

import numpy as np
import pytest

from course_lib.problems import (
    PROBLEMS,
    Problem,
    beale,
    get_problem,
    himmelblau,
    noisy,
    quadratic_bowl,
    rosenbrock,
    saddle,
)

ALL = {
    "bowl": quadratic_bowl(),
    "bowl_rotated": quadratic_bowl(condition=25.0, angle=30.0, scale=0.5),
    "rosenbrock": rosenbrock(),
    "rosenbrock_a2": rosenbrock(a=2.0, b=10.0),
    "beale": beale(),
    "saddle": saddle(),
    "himmelblau": himmelblau(),
}


def fd_grad(p, w, h=1e-6):
    """Central finite differences of the VALUE: independent of grad_fn."""
    w = np.asarray(w, dtype=float)
    out = np.zeros(2)
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        out[i] = (p.value(w + e) - p.value(w - e)) / (2 * h)
    return out


def fd_hessian(p, w, h=1e-3):
    """Second differences of the value."""
    w = np.asarray(w, dtype=float)
    H = np.zeros((2, 2))
    E = np.eye(2) * h
    for i in range(2):
        for j in range(2):
            H[i, j] = (p.value(w + E[i] + E[j]) - p.value(w + E[i] - E[j])
                       - p.value(w - E[i] + E[j]) + p.value(w - E[i] - E[j])) / (4 * h * h)
    return H


# ---------------------------------------------------------------------------------------------
# Gradients
@pytest.mark.parametrize("key", list(ALL))
def test_gradient_matches_central_differences(key):
    p = ALL[key]
    rng = np.random.default_rng(1234)
    (x0, x1), (y0, y1) = p.bounds
    for _ in range(8):
        w = np.array([rng.uniform(x0, x1), rng.uniform(y0, y1)])
        g, fd = p.grad(w), fd_grad(p, w)
        scale = max(1.0, np.abs(g).max())
        np.testing.assert_allclose(g, fd, rtol=0, atol=1e-6 * scale + 1e-6,
                                   err_msg=f"{key} at {w}")


@pytest.mark.parametrize("key", list(ALL))
def test_loss_and_grads_speaks_the_dict_convention(key):
    p = ALL[key]
    w = np.array([0.3, -0.7])
    loss, grads = p.loss_and_grads({"W": w})
    assert set(grads) == {"dW"}
    assert loss == p.value(w)
    np.testing.assert_array_equal(grads["dW"], p.grad(w))


@pytest.mark.parametrize("key", list(ALL))
def test_value_grid_agrees_with_pointwise_value(key):
    p = ALL[key]
    (x0, x1), (y0, y1) = p.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, 7), np.linspace(y0, y1, 5))
    Z = p.value_grid(X, Y)
    assert Z.shape == X.shape
    expected = np.array([[p.value([X[i, j], Y[i, j]]) for j in range(X.shape[1])]
                         for i in range(X.shape[0])])
    np.testing.assert_allclose(Z, expected, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# Values by hand
def test_values_computed_by_hand():
    # Rosenbrock at the classic start: (1 + 1.2)^2 + 100 (1 - 1.44)^2 = 4.84 + 19.36
    assert rosenbrock().value([-1.2, 1.0]) == pytest.approx(24.2)
    # Beale at (1, 1.5): terms 1.5 - 1 + 1.5 = 2, 2.25 - 1 + 2.25 = 3.5, 2.625 - 1 + 3.375 = 5
    assert beale().value([1.0, 1.5]) == pytest.approx(4 + 12.25 + 25)
    # Himmelblau at (0, 0): 11^2 + 7^2
    assert himmelblau().value([0.0, 0.0]) == pytest.approx(170.0)
    assert saddle().value([1.0, 2.0]) == pytest.approx(1.0 - 4.0)
    # the unrotated bowl: 0.5 (1 * 1 + 10 * 1)
    assert quadratic_bowl(condition=10.0).value([1.0, 1.0]) == pytest.approx(5.5)


def test_rosenbrock_gradient_by_hand_at_the_classic_start():
    # df/dx = -2(a - x) - 4 b x (y - x^2) = -4.4 - 400 (-1.2)(-0.44) = -215.6
    # df/dy = 2 b (y - x^2) = 200 (-0.44) = -88
    np.testing.assert_allclose(rosenbrock().grad([-1.2, 1.0]), [-215.6, -88.0], rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# Minima and saddles
@pytest.mark.parametrize("key", [k for k in ALL if ALL[k].minima])
def test_gradient_vanishes_and_value_is_f_min_at_every_minimum(key):
    p = ALL[key]
    for m in p.minima:
        np.testing.assert_allclose(p.grad(m), 0.0, atol=1e-10)
        assert p.value(m) == pytest.approx(p.f_min, abs=1e-20)
        # a true minimum: both curvatures positive
        assert np.all(np.linalg.eigvalsh(fd_hessian(p, m)) > 0)


def test_himmelblau_has_the_four_published_minima():
    published = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
    minima = himmelblau().minima
    assert len(minima) == 4
    for q in published:
        assert min(np.abs(m - q).max() for m in minima) < 1e-6


@pytest.mark.parametrize("a,b", [(1.0, 100.0), (2.0, 10.0), (-0.5, 1.0)])
def test_rosenbrock_minimum_is_a_a_squared(a, b):
    p = rosenbrock(a=a, b=b)
    np.testing.assert_array_equal(p.minima[0], [a, a * a])
    assert p.value([a, a * a]) == 0.0
    np.testing.assert_allclose(p.grad([a, a * a]), 0.0, atol=0)
    assert p.f_min == 0.0


def test_beale_minimum_and_saddle():
    p = beale()
    np.testing.assert_array_equal(p.minima[0], [3.0, 0.5])
    assert p.value([3.0, 0.5]) == 0.0


@pytest.mark.parametrize("key", [k for k in ALL if ALL[k].saddle_points])
def test_saddle_points_are_stationary_and_indefinite(key):
    p = ALL[key]
    for s in p.saddle_points:
        np.testing.assert_allclose(p.grad(s), 0.0, atol=1e-10)
        eig = np.linalg.eigvalsh(fd_hessian(p, s))
        assert eig[0] < 0 < eig[1], f"{key} at {s}: eigenvalues {eig}"


def test_saddle_is_unbounded_below_and_has_no_minimum():
    p = saddle()
    assert p.f_min is None and p.minima == [] and p.lambda_max is None
    assert p.value([0.0, 1e3]) == -1e6


def test_start_points_lie_inside_the_plot_bounds():
    for name in PROBLEMS:
        p = get_problem(name)
        (x0, x1), (y0, y1) = p.bounds
        assert x0 < p.start[0] < x1 and y0 < p.start[1] < y1
        for m in p.minima:
            assert x0 <= m[0] <= x1 and y0 <= m[1] <= y1


def test_log_levels_and_lambda_max_flags():
    assert get_problem("rosenbrock").log_levels and get_problem("beale").log_levels
    assert not get_problem("bowl").log_levels and not get_problem("saddle").log_levels
    for name in ["rosenbrock", "beale", "saddle", "himmelblau"]:
        assert get_problem(name).lambda_max is None


# ---------------------------------------------------------------------------------------------
# The bowl
@pytest.mark.parametrize("condition,angle,scale", [(10.0, 0.0, 1.0), (25.0, 30.0, 0.5),
                                                   (1.0, 45.0, 3.0), (4.0, -70.0, 2.0)])
def test_bowl_hessian_eigenvalues_are_scale_and_scale_times_condition(condition, angle, scale):
    p = quadratic_bowl(condition=condition, angle=angle, scale=scale)
    H = fd_hessian(p, [0.7, -1.3])
    np.testing.assert_allclose(np.linalg.eigvalsh(H), [scale, scale * condition], rtol=1e-6)
    assert p.lambda_max == pytest.approx(scale * condition)
    # constant Hessian: the same at another point
    np.testing.assert_allclose(fd_hessian(p, [-3.0, 2.0]), H, atol=1e-6)


def test_bowl_angle_rotates_the_eigenvectors():
    theta = math.radians(30.0)
    p = quadratic_bowl(condition=5.0, angle=30.0, scale=1.0)
    eig, vec = np.linalg.eigh(fd_hessian(p, [0.0, 0.0]))
    shallow = np.array([math.cos(theta), math.sin(theta)])   # R e_x
    steep = np.array([-math.sin(theta), math.cos(theta)])    # R e_y
    assert abs(vec[:, 0] @ shallow) == pytest.approx(1.0, abs=1e-6)
    assert abs(vec[:, 1] @ steep) == pytest.approx(1.0, abs=1e-6)


def test_bowl_values_along_rotated_axes_by_hand():
    # angle 45: (1, 1)/sqrt2 has curvature scale = 2, (-1, 1)/sqrt2 has curvature 6
    p = quadratic_bowl(condition=3.0, angle=45.0, scale=2.0)
    assert p.value([1.0, 1.0]) == pytest.approx(0.5 * 2.0 * 2.0)
    assert p.value([-1.0, 1.0]) == pytest.approx(0.5 * 6.0 * 2.0)
    # angle 90 swaps the axes: x becomes the steep direction
    q = quadratic_bowl(condition=10.0, angle=90.0)
    assert q.value([1.0, 0.0]) == pytest.approx(5.0)
    assert q.value([0.0, 1.0]) == pytest.approx(0.5)


# ---------------------------------------------------------------------------------------------
# params(), immutability
def test_params_is_a_copy_of_start_and_start_is_read_only():
    p = rosenbrock()
    params = p.params()
    np.testing.assert_array_equal(params["W"], [-1.2, 1.0])
    params["W"][0] = 99.0
    np.testing.assert_array_equal(p.start, [-1.2, 1.0])
    with pytest.raises(ValueError):
        p.start[0] = 5.0
    np.testing.assert_array_equal(p.params([2.0, 3.0])["W"], [2.0, 3.0])


def test_get_problem_passes_options_to_the_factory():
    p = get_problem("bowl", condition=4.0, scale=0.5)
    assert p.lambda_max == 2.0
    assert set(PROBLEMS) == {"bowl", "rosenbrock", "beale", "saddle", "himmelblau"}
    for name, factory in PROBLEMS.items():
        assert factory().name == name


def test_a_custom_problem_can_be_built_from_fn_and_grad_fn():
    p = Problem("line", "x + 2y", start=(0.0, 0.0), minima=[], bounds=((-1, 1), (-1, 1)),
                lambda_max=None, f_min=None, saddle_points=[], log_levels=False,
                fn=lambda x, y: x + 2 * y, grad_fn=lambda x, y: (1.0, 2.0))
    assert p.value([1.0, 1.0]) == 3.0
    np.testing.assert_array_equal(p.grad([5.0, 5.0]), [1.0, 2.0])


# ---------------------------------------------------------------------------------------------
# Noisy gradients
def test_noisy_same_seed_gives_identical_gradients():
    a, b = noisy("rosenbrock", sigma=0.5, rng=7), noisy("rosenbrock", sigma=0.5, rng=7)
    ga = [a.grad([0.1 * i, 0.2]) for i in range(5)]
    gb = [b.grad([0.1 * i, 0.2]) for i in range(5)]
    np.testing.assert_array_equal(ga, gb)
    c = noisy("rosenbrock", sigma=0.5, rng=np.random.default_rng(8))
    assert not np.array_equal(ga[0], c.grad([0.0, 0.2]))


def test_noisy_mean_is_the_exact_gradient_and_std_is_sigma():
    exact = himmelblau()
    p = noisy(exact, sigma=2.0, rng=np.random.default_rng(0))
    w = np.array([1.0, -1.0])
    draws = np.array([p.grad(w) for _ in range(20_000)])
    # mean within 5 standard errors (2 / sqrt(20000) = 0.014)
    np.testing.assert_allclose(draws.mean(axis=0), exact.grad(w), atol=5 * 2.0 / math.sqrt(2e4))
    np.testing.assert_allclose(draws.std(axis=0), 2.0, rtol=0.03)
    # absolute noise: the same size at the minimum, where the exact gradient is 0
    at_min = np.array([p.grad(exact.minima[0]) for _ in range(5000)])
    np.testing.assert_allclose(at_min.std(axis=0), 2.0, rtol=0.05)


def test_noisy_value_is_exact_and_metadata_is_kept():
    exact = quadratic_bowl(condition=3.0)
    p = noisy(exact, sigma=1.0, rng=3)
    w = [1.5, -2.0]
    assert p.value(w) == exact.value(w)
    assert p.noise_sigma == 1.0 and exact.noise_sigma == 0.0
    assert p.lambda_max == exact.lambda_max and p.f_min == exact.f_min
    assert "noisy" in p.title
    loss, grads = p.loss_and_grads(p.params(w))
    assert loss == exact.value(w)
    assert not np.array_equal(grads["dW"], exact.grad(w))


def test_noisy_with_sigma_zero_is_exact():
    p = noisy("beale", sigma=0.0, rng=1)
    np.testing.assert_array_equal(p.grad([1.0, 1.0]), beale().grad([1.0, 1.0]))


def test_noisy_value_grid_is_exact():
    p = noisy("saddle", sigma=3.0, rng=1)
    X, Y = np.meshgrid([0.0, 1.0], [0.0, 2.0])
    np.testing.assert_array_equal(p.value_grid(X, Y), X * X - Y * Y)


# ---------------------------------------------------------------------------------------------
# Validation messages: one test each
def test_w_with_wrong_shape_is_refused():
    with pytest.raises(ValueError, match=r"w must have shape \(2,\), got shape \(3,\)"):
        rosenbrock().value([1.0, 2.0, 3.0])


def test_w_with_nan_is_refused():
    with pytest.raises(ValueError, match="w must contain only finite numbers, found NaN"):
        rosenbrock().grad([np.nan, 1.0])


def test_w_that_is_not_numbers_is_refused():
    with pytest.raises(TypeError, match="w must be a NumPy array"):
        rosenbrock().value("ab")


def test_params_w_is_checked_in_params():
    with pytest.raises(ValueError, match=r"w must have shape \(2,\)"):
        rosenbrock().params(np.zeros(3))


def test_value_grid_needs_matching_shapes():
    with pytest.raises(ValueError, match="X and Y must have the same shape"):
        rosenbrock().value_grid(np.zeros((3, 4)), np.zeros((4, 3)))


def test_value_grid_needs_finite_numbers():
    with pytest.raises(ValueError, match="X must contain only finite numbers"):
        rosenbrock().value_grid(np.array([np.inf]), np.array([0.0]))


def test_loss_and_grads_needs_the_W_dict():
    with pytest.raises(TypeError, match=r"params must be a dict \{'W': array of shape \(2,\)\}"):
        rosenbrock().loss_and_grads(np.zeros(2))
    with pytest.raises(TypeError, match="params must be a dict"):
        rosenbrock().loss_and_grads({"W": np.zeros(2), "b": 0.0})


def test_loss_and_grads_checks_the_shape_of_W():
    with pytest.raises(ValueError, match=r"params\['W'\] must have shape \(2,\)"):
        rosenbrock().loss_and_grads({"W": np.zeros((2, 1))})


def test_condition_below_one_is_refused():
    with pytest.raises(ValueError, match=r"condition must be in \[1.0, 1000000000000.0\], got 0.5"):
        quadratic_bowl(condition=0.5)


def test_condition_nan_is_refused():
    with pytest.raises(ValueError, match="condition must be a real number, got NaN"):
        quadratic_bowl(condition=float("nan"))


def test_condition_of_wrong_type_is_refused():
    with pytest.raises(TypeError, match="condition must be a real number, got '10'"):
        quadratic_bowl(condition="10")


def test_scale_must_be_positive():
    with pytest.raises(ValueError, match=r"scale must be in \(0.0, 1000000000000.0\], got 0.0"):
        quadratic_bowl(scale=0.0)


def test_angle_must_be_finite():
    with pytest.raises(ValueError, match="angle must be finite, got inf"):
        quadratic_bowl(angle=float("inf"))


def test_factories_take_keyword_arguments_only():
    with pytest.raises(TypeError):
        quadratic_bowl(10.0)


def test_rosenbrock_b_must_be_positive():
    with pytest.raises(ValueError, match=r"b must be in \(0.0, 1000000000000.0\], got -1.0"):
        rosenbrock(b=-1.0)


def test_rosenbrock_a_must_be_a_number():
    with pytest.raises(TypeError, match="a must be a real number, got None"):
        rosenbrock(a=None)


def test_unknown_problem_name_suggests_the_closest():
    with pytest.raises(ValueError, match="did you mean 'rosenbrock'"):
        get_problem("rosenbrok")


def test_problem_name_must_be_a_string():
    with pytest.raises(TypeError, match="problem must be a name such as 'rosenbrock'"):
        get_problem(3)


def test_unknown_problem_option_suggests_the_closest():
    with pytest.raises(TypeError, match="unknown option 'conditon' \\(did you mean 'condition'"):
        get_problem("bowl", conditon=3.0)


def test_problem_without_options_says_none_are_allowed():
    with pytest.raises(TypeError, match="allowed: none"):
        get_problem("beale", a=1.0)


def test_noisy_sigma_must_be_non_negative():
    with pytest.raises(ValueError, match="sigma must be >= 0.0, got -0.1"):
        noisy("bowl", sigma=-0.1, rng=0)


def test_noisy_rng_must_be_a_generator_or_seed():
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator or a non-negative"):
        noisy("bowl", sigma=0.1, rng="seed")


def test_noisy_problem_name_is_checked():
    with pytest.raises(ValueError, match="did you mean 'beale'"):
        noisy("beal", sigma=0.1, rng=0)


def _custom(**over):
    kw = dict(name="c", title="c", start=(0.0, 0.0), minima=[], bounds=((-1, 1), (-1, 1)),
              lambda_max=None, f_min=None, saddle_points=[], log_levels=False,
              fn=lambda x, y: x, grad_fn=lambda x, y: (1.0, 0.0))
    kw.update(over)
    return Problem(**kw)


def test_problem_bounds_must_be_ordered_pairs():
    with pytest.raises(ValueError, match=r"bounds must be \(\(xmin, xmax\), \(ymin, ymax\)\)"):
        _custom(bounds=((1, -1), (-1, 1)))
    with pytest.raises(ValueError, match="bounds must be"):
        _custom(bounds=(0, 1))


def test_problem_start_must_have_shape_2():
    with pytest.raises(ValueError, match=r"start must have shape \(2,\)"):
        _custom(start=(0.0, 0.0, 0.0))


def test_problem_fn_must_be_callable():
    with pytest.raises(TypeError, match=r"Problem fn must be callable as fn\(x, y\)"):
        _custom(fn=3.0)


def test_problem_name_must_be_str():
    with pytest.raises(TypeError, match="Problem name must be a str"):
        _custom(name=5)


@pytest.mark.parametrize("over, error, match", [
    (dict(minima=None), TypeError, "Problem minima must be a list of points"),
    (dict(saddle_points=True), TypeError, "Problem saddle_points must be a list of points"),
    (dict(f_min=float("nan")), ValueError, "f_min must be a real number, got NaN"),
    (dict(f_min=True), TypeError, "f_min must be a real number"),
    (dict(noise_sigma=-0.1), ValueError, "noise_sigma must be >= 0.0, got -0.1"),
    (dict(noise_sigma=1j), TypeError, "noise_sigma must be a real number"),
])
def test_problem_fields_are_checked(over, error, match):
    # before: None for minima raised "'NoneType' object is not iterable"; f_min and noise_sigma
    # were stored as given (NaN, True, a complex number)
    with pytest.raises(error, match=match):
        _custom(**over)


def test_value_grid_too_large_names_x_and_y():
    # f = x^2 - y^2 at x = y = 1e308: inf - inf = NaN; at (3, 2): 9 - 4 = 5
    p = _custom(fn=lambda x, y: x * x - y * y)
    big = np.full((1, 2), 1e308)
    with pytest.raises(ValueError, match="X and Y are too large for c"):
        p.value_grid(big, big)
    np.testing.assert_array_equal(p.value_grid(np.array([[3.0]]), np.array([[2.0]])), [[5.0]])
