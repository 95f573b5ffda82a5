# %% [markdown] slideshow={"slide_type": "slide"}
# # Chapter 6 · SGD with momentum
#
# **What you will be able to do**
#
# - explain why mini-batch SGD zig-zags, and how an average of the recent gradients calms it;
# - write the momentum update $v_{dW} = \beta\, v_{dW} + (1-\beta)\, dW$, $W = W - \eta\, v_{dW}$
#   and compute its first steps by hand;
# - translate between the course's form and the `v = μ·v + g` form of PyTorch and other
#   frameworks, without changing a single iterate;
# - say what Nesterov momentum changes, and what it costs.
#
# **Where this sits in the story.** [Chapter 3](03_minibatch_sgd.ipynb) made training cheap with
# mini-batches, at a price: each batch sees only part of the data, so the path zig-zags.
# [Chapter 5](05_exponentially_weighted_average.ipynb) built the tool that smooths a noisy series:
# the exponentially weighted average (EWA). Momentum is that tool applied to the gradients.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from course_lib import plots
from course_lib.data import make_regression
from course_lib.exercises import check, hint
from course_lib.models import LinearRegression
from course_lib.moving_averages import ewa_window
from course_lib.optimizers import OPTIMIZERS, MomentumState
from course_lib.paths import run_path
from course_lib.problems import get_problem
from course_lib.training import train

# %%
bowl = get_problem("bowl", condition=50.0, angle=30.0)     # used from the third section on
corner = (-4.5, -1.0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Smoothing the zig-zag
#
# Take a linear regression with one feature, so the two parameters $(W, b)$ can be drawn as a
# point on the loss surface. The feature is not centred, which stretches the bowl into a long
# valley (as real features often do). We train it twice with mini-batches of 10 records, same
# seed, same learning rate $\eta$: once with plain mini-batch SGD, once with momentum.

# %%
data = make_regression(n=500, d=1, noise=0.5, rng=0)
X = 0.5 * data.X + 1.5            # an off-centre feature: a long, narrow valley in (W, b)
y = data.y
surface = plots.regression_surface(X, y, start=(-2.0, 3.0))
start = {"W": np.array([-2.0]), "b": np.array([3.0])}

runs = {
    "mini-batch SGD": train(LinearRegression(1), X, y, "gd", batch_size=10, epochs=4, rng=1,
                            params=start, record_path=True, progress=False, lr=0.1),
    "mini-batch SGD + momentum": train(LinearRegression(1), X, y, "momentum", batch_size=10,
                                       epochs=4, rng=1, params=start, record_path=True,
                                       progress=False, lr=0.1, beta=0.9),
}
fig, ax = plt.subplots(figsize=(8, 3.5))
plots.plot_contour(surface, ax=ax, levels=12, resolution=100, filled=True, alpha=0.5)
plots.plot_batch_paths(surface, runs, ax=ax, contour=False)
ax.set_xlabel("W")
ax.set_ylabel("b")
plt.show()

# %% [markdown]
# The blue path jumps from side to side of the valley; the orange one goes down it. How much
# calmer is it? Split every step into its part *across* the valley (the steep direction, the
# eigenvector of the Hessian with the largest eigenvalue) and its part *along* it. The surface is
# a quadratic, so its gradient is linear and two gradient differences give the Hessian.

# %%
H = np.column_stack([surface.grad([1.0, 0.0]) - surface.grad([0.0, 0.0]),
                     surface.grad([0.0, 1.0]) - surface.grad([0.0, 0.0])])
across = np.linalg.eigh(H)[1][:, -1]          # unit vector of the steep direction

def zigzag(result):
    """Path length, share of steps that reverse across the valley, spread of those steps."""
    path = np.column_stack([result.path["W"][:, 0], result.path["b"][:, 0]])
    steps = np.diff(path, axis=0)
    a = steps @ across
    return (np.linalg.norm(steps, axis=1).sum(), np.mean(np.sign(a[1:]) != np.sign(a[:-1])),
            a.std())

stats = {name: zigzag(res) for name, res in runs.items()}
print(f"{'':27s} {'path length':>12s} {'reversals':>10s} {'std across':>11s} {'final loss':>11s}")
for name, (length, flips, std) in stats.items():
    print(f"{name:27s} {length:12.2f} {flips:10.0%} {std:11.4f} "
          f"{runs[name].loss_per_epoch[-1]:11.4f}")
ratio = stats["mini-batch SGD + momentum"][2] / stats["mini-batch SGD"][2]
beta = 0.9
display(Markdown(
    f"Both runs end at about the same loss, but momentum walked a path "
    f"{stats['mini-batch SGD'][0] / stats['mini-batch SGD + momentum'][0]:.1f} times shorter, and "
    f"its steps across the valley are {ratio:.2f} times as wide. For pure noise an EWA with "
    f"β = {beta} shrinks the spread by √((1−β)/(1+β)) = {np.sqrt((1 - beta) / (1 + beta)):.2f} "
    f"(Chapter 5): the measured factor is close to it, a little smaller because the curvature "
    f"of the valley damps the sideways moves too."))

# %% [markdown]
# **Why it works.** Each mini-batch gradient is the true gradient plus noise. The components that
# flip sign from one step to the next (noise, bouncing between the walls) cancel in an average;
# the component that keeps pointing the same way (down the valley) survives. An EWA with
# $\beta$ averages roughly the last $1/(1-\beta)$ gradients:

# %%
for b in (0.5, 0.9, 0.99):
    print(f"β = {b}: momentum averages about {ewa_window(b):.0f} recent gradients")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The momentum update
#
# Replace the raw gradient of gradient descent by its exponentially weighted average, for every
# parameter. With $v_{dW} = 0$ and $v_{db} = 0$ at the start, each iteration does
#
# $$v_{dW} = \beta\, v_{dW} + (1-\beta)\, dW, \qquad W = W - \eta\, v_{dW}$$
#
# $$v_{db} = \beta\, v_{db} + (1-\beta)\, db, \qquad b = b - \eta\, v_{db}$$
#
# where $dW$ and $db$ are the gradients of the current mini-batch. Two hyperparameters:
# the learning rate $\eta$ and the decay $\beta$ (0.9 is the usual default).
#
# In code, one step for every parameter at once (the library's `OPTIMIZERS["momentum"]` computes
# exactly this, through the same `ewa_step` helper as Chapter 5):

# %%
eta, beta = 0.1, 0.9
params = {"W": np.array([1.0]), "b": np.array([0.5])}
grads = {"dW": np.array([2.0]), "db": np.array([-1.0])}
v = {"dW": np.zeros(1), "db": np.zeros(1)}                    # v_dW = v_db = 0 at the start

for step in (1, 2):                                           # the same gradients twice
    v = {g: beta * v[g] + (1 - beta) * grads[g] for g in grads}       # EWA of the gradients
    params = {k: p - eta * v["d" + k] for k, p in params.items()}     # step along the average
    print(f"t = {step}: v_dW = {v['dW'][0]:.4f}, W = {params['W'][0]:.4f}   "
          f"v_db = {v['db'][0]:.4f}, b = {params['b'][0]:.4f}")

dW = grads["dW"][0]
v1 = beta * 0 + (1 - beta) * dW
v2 = beta * v1 + (1 - beta) * dW
display(Markdown(
    f"The same for $W$ by hand: $v_1 = {beta:g} \\cdot 0 + {1 - beta:g} \\cdot {dW:g} = {v1:g}$, "
    f"$W_1 = 1 - {eta:g} \\cdot {v1:g} = {1 - eta * v1:g}$; "
    f"$v_2 = {beta:g} \\cdot {v1:g} + {1 - beta:g} \\cdot {dW:g} = {v2:g}$."))

# %% [markdown]
# The average starts small (it starts at 0) and grows towards the gradient; the course's
# momentum has no bias correction (Adam adds one in [Chapter 9](09_adam.ipynb)). The library
# gives the same numbers:

# %%
momentum = OPTIMIZERS["momentum"]
print(momentum)
lib_params = {"W": np.array([1.0]), "b": np.array([0.5])}
state = momentum.init(lib_params)
for _ in range(2):
    lib_params, state = momentum.update(lib_params, grads, state, lr=eta, beta=beta)
print(f"library after t = {state.t}: v_dW = {state.v['dW'][0]:.4f}, W = {lib_params['W'][0]:.4f}"
      f"   v_db = {state.v['db'][0]:.4f}, b = {lib_params['b'][0]:.4f}")
print("same as the hand-written loop:",
      all(np.array_equal(lib_params[k], params[k]) for k in params))

# %% [markdown]
# **Two sanity checks.** With $\beta = 0$ the average is just the latest gradient, so momentum
# *is* plain gradient descent; and on a steady slope (a constant gradient) $v_{dW}$ climbs to
# $dW$ itself, so the step settles at GD's step $\eta\, dW$: in this form momentum does not make
# steps bigger, it makes them *steadier*.

# %%
gd_path = run_path(bowl, "gd", steps=100, lr=0.03).path
mom0_path = run_path(bowl, "momentum", steps=100, lr=0.03, beta=0.0).path
print(f"momentum with β = 0 vs GD, 100 steps: max |difference| = "
      f"{np.abs(gd_path - mom0_path).max():.1e}")

state = momentum.init({"W": np.zeros(1)})
w = {"W": np.zeros(1)}
for _ in range(100):
    w, state = momentum.update(w, {"dW": np.array([2.0])}, state, lr=eta, beta=beta)
print(f"constant dW = 2: after 100 steps v_dW = {state.v['dW'][0]:.6f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Paths on an ill-conditioned bowl
#
# Now without noise: a quadratic bowl 50 times steeper across its valley than along it. Gradient
# descent's learning rate is capped by the steep direction ($\eta < 2/\lambda_{max}$), so near
# that cap it bounces from wall to wall while it crawls along the floor. Same $\eta$, with and
# without momentum:

# %%
print(f"λ_max = {bowl.lambda_max:g}: GD needs η < 2/λ_max = {2 / bowl.lambda_max:.3f}")
bowl_runs = {
    "GD, η = 0.038": run_path(bowl, "gd", steps=300, lr=0.038, start=corner),
    "momentum, η = 0.038": run_path(bowl, "momentum", steps=300, lr=0.038, beta=0.9,
                                    start=corner),
    "GD, η = 0.1": run_path(bowl, "gd", steps=300, lr=0.1, start=corner),
    "momentum, η = 0.1": run_path(bowl, "momentum", steps=300, lr=0.1, beta=0.9, start=corner),
}
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
names = list(bowl_runs)
for ax, chosen in zip(axes, (names[:2], names[2:])):
    plots.plot_contour(bowl, ax=ax, levels=12, resolution=100, filled=True, alpha=0.5)
    plots.plot_paths(bowl, {n: bowl_runs[n] if bowl_runs[n].diverged else
                            bowl_runs[n].path[:120] for n in chosen}, ax=ax, contour=False)
axes[0].set_title("same η = 0.038 (first 120 steps)")
axes[1].set_title("η = 0.1: too large for GD (first 120 steps)")
plt.show()

# %%
steep = np.array([-np.sin(np.radians(30.0)), np.cos(np.radians(30.0))])  # across the valley

def steps_to(result, tol=1e-6):
    """First step at which the loss is below tol (None if never)."""
    below = np.nonzero(result.losses < tol)[0]
    return int(below[0]) if below.size else None

print(f"{'':22s} {'steps to loss < 1e-6':>21s} {'reversals across':>17s}")
for name, res in bowl_runs.items():
    if res.diverged:
        print(f"{name:22s} {res.message}")
        continue
    a = np.diff(res.path, axis=0) @ steep
    print(f"{name:22s} {steps_to(res)!s:>21s} {np.mean(np.sign(a[1:]) != np.sign(a[:-1])):17.0%}")

# %% [markdown]
# What the table shows:
#
# - **Same $\eta$**: GD reverses across the valley on every step; momentum's steps mostly keep
#   their direction, and it reaches the target loss sooner.
# - **Larger $\eta$**: GD diverges, because the steep direction sets its limit. Momentum does
#   not: averaging cancels the bouncing, so it tolerates a much larger $\eta$, and that larger
#   step is what speeds it up along the flat floor. The library even knows momentum's own limit
#   on a bowl, $\eta < 2(1+\beta)/((1-\beta)\,\lambda_{max})$; past it, momentum diverges too:

# %%
too_far = run_path(bowl, "momentum", steps=300, lr=0.8, beta=0.9, start=corner)
print(too_far.message)

# %% [markdown]
# The price of momentum is visible on the right: with $\beta = 0.9$ it carries speed past the
# minimum and swings back (a heavy ball rolling in a bowl). A smaller $\beta$ swings less but
# smooths less. Nesterov's variant, at the end of this chapter, reduces the swing.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Frameworks: v = μ·v + g
#
# PyTorch (and most frameworks) write momentum without the $(1-\beta)$:
#
# $$v = \mu\, v + dW, \qquad W = W - \mathrm{lr}\cdot v .$$
#
# It is the same method in other units. Multiply the course's EWA by $1/(1-\beta)$: with
# $v^{fw} = v_{dW}/(1-\beta)$ the course's rule becomes $v^{fw} = \beta\, v^{fw} + dW$ and
# $W = W - \eta(1-\beta)\, v^{fw}$. So
#
# $$\text{course momentum } (\eta, \beta) \;=\; \text{framework momentum with }
# \mathrm{lr} = \eta\,(1-\beta),\ \mu = \beta .$$
#
# Here is the framework form in a few lines of NumPy, run for 100 steps next to the library's
# course form:

# %%
def framework_momentum(problem, *, lr, mu, steps, start):
    """v = mu * v + dW;  W = W - lr * v  (the PyTorch convention), from v = 0."""
    W, v = np.array(start, dtype=float), np.zeros(2)
    path = [W.copy()]
    for _ in range(steps):
        dW = problem.grad(W)
        v = mu * v + dW
        W = W - lr * v
        path.append(W.copy())
    return np.array(path)

eta, beta = 0.1, 0.9
course = run_path(bowl, "momentum", steps=100, lr=eta, beta=beta, start=corner).path
framework = framework_momentum(bowl, lr=eta * (1 - beta), mu=beta, steps=100, start=corner)
print(f"course (η = {eta}, β = {beta}) vs framework (lr = η·(1−β) = {eta * (1 - beta):g}, "
      f"μ = {beta}):")
gap = np.abs(course - framework).max()
print(f"max |difference| over 100 steps = {gap:.1e}, relative to the size of W: "
      f"{gap / np.abs(course).max():.1e} (float64 rounding: {np.finfo(float).eps:.1e})")

# %% [markdown]
# A difference at the level of float64 rounding (a few units of the last of its 16
# significant digits): the two forms take the same steps. The
# mapping matters when you copy hyperparameters between a paper, this course and a framework.
# Plug the course's $\eta$ straight into the framework form and every step along a steady slope
# is $1/(1-\beta)$ times larger, because the framework's $v$ settles at $dW/(1-\mu)$ instead of
# $dW$:

# %%
g = 1.0
v_course = v_frame = 0.0
for _ in range(200):
    v_course = beta * v_course + (1 - beta) * g
    v_frame = beta * v_frame + g
print(f"constant dW = {g}: course v → {v_course:.4f},  framework v → {v_frame:.4f} "
      f"(= dW/(1−μ) = {g / (1 - beta):.4f})")
naive = framework_momentum(bowl, lr=eta, mu=beta, steps=100, start=corner)
print(f"framework form with lr = η = {eta} (no conversion): |W| after 100 steps = "
      f"{np.linalg.norm(naive[-1]):.3g}  (course form: {np.linalg.norm(course[-1]):.3g})")

# %% [markdown]
# **PyTorch itself.** `torch.optim.SGD(lr=η·(1−β), momentum=β)` is exactly this framework form,
# so it takes the course's steps too. You do not need PyTorch to follow this course:
# [Chapter 10](10_choosing_an_optimizer.ipynb) runs every course optimizer side by side with its
# `torch.optim` counterpart when PyTorch is installed, and the course's test suite
# (`tests/test_torch_parity.py`) checks, step for step, that the course's momentum and Nesterov
# follow the same path as `torch.optim.SGD` with this mapping.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Beyond the lecture: Nesterov
#
# Momentum first computes the gradient where it stands, then moves along the average. Nesterov's
# idea: the average is going to carry us anyway, so measure the gradient at the point where
# momentum is about to take us, a **look-ahead**, and correct the course earlier. Written as a
# look-ahead (the original form, in the course's units):
#
# $$v_{dW} = \beta\, v_{dW} + (1-\beta)\, dW\big(W - \eta\,\beta\, v_{dW}\big), \qquad
#   W = W - \eta\, v_{dW}.$$
#
# This course (like PyTorch's `nesterov=True`) uses an equivalent form that needs the gradient
# only at the current point (it tracks the look-ahead point itself):
#
# $$v_{dW} = \beta\, v_{dW} + (1-\beta)\, dW, \qquad
#   W = W - \eta\,\big(\beta\, v_{dW} + (1-\beta)\, dW\big).$$
#
# The step looks one EWA update further along $v$. That the two are the same method is a claim
# we can test: run the look-ahead form in NumPy, record its look-ahead points
# $W - \eta\beta v_{dW}$, and compare them with the library's `nesterov`. (That the library's
# `nesterov` matches `torch.optim.SGD(lr=η·(1−β), momentum=β, nesterov=True)` is checked by the
# course's tests, as for momentum.)

# %%
def lookahead_nesterov(problem, *, lr, beta, steps, start):
    """The gradient is taken at the look-ahead point W - lr*beta*v; returns those points."""
    W, v = np.array(start, dtype=float), np.zeros(2)
    points = [W.copy()]
    for _ in range(steps):
        dW = problem.grad(W - lr * beta * v)          # look ahead before measuring the slope
        v = beta * v + (1 - beta) * dW
        W = W - lr * v
        points.append(W - lr * beta * v)
    return np.array(points)

look = lookahead_nesterov(bowl, lr=0.1, beta=0.9, steps=100, start=corner)
lib = run_path(bowl, "nesterov", steps=100, lr=0.1, beta=0.9, start=corner).path
print(f"look-ahead form vs library nesterov, 100 steps: max |difference| = "
      f"{np.abs(look - lib).max():.1e}")

# %% [markdown]
# Does the look-ahead help? Race momentum and Nesterov on the same bowl, and measure the
# overshoot: how far past the minimum each one swings along the valley.

# %%
along = np.array([np.cos(np.radians(30.0)), np.sin(np.radians(30.0))])
race = {}
print(f"{'':22s} {'steps to loss < 1e-6':>21s} {'overshoot':>10s}")
for lr in (0.038, 0.1, 0.3):
    for name in ("momentum", "nesterov"):
        res = run_path(bowl, name, steps=300, lr=lr, beta=0.9, start=corner)
        race[(name, lr)] = res
        label = f"{name}, η = {lr}"
        if res.diverged:
            print(f"{label:22s} diverged at step {res.steps_taken + 1}")
        else:
            print(f"{label:22s} {steps_to(res)!s:>21s} {(res.path @ along).max():10.3f}")

fig, ax = plt.subplots(figsize=(8, 3.5))
plots.plot_loss_curves({n: race[(n, 0.1)] for n in ("momentum", "nesterov")}, ax=ax,
                       f_min=0.0)
ax.set_title("η = 0.1, β = 0.9")
plt.show()

# %%
both = [lr for lr in (0.038, 0.1, 0.3)
        if not race[("momentum", lr)].diverged and not race[("nesterov", lr)].diverged]
less = all((race[("nesterov", lr)].path @ along).max() < (race[("momentum", lr)].path @ along).max()
           for lr in both)
only_momentum = [lr for lr in (0.038, 0.1, 0.3)
                 if race[("nesterov", lr)].diverged and not race[("momentum", lr)].diverged]
display(Markdown(
    f"Nesterov overshoots less than momentum at every η where both converge "
    f"({', '.join(map(str, both))}): **{less}**. "
    f"Nesterov diverges where momentum still converges at η = "
    f"{', '.join(map(str, only_momentum)) or 'none of the tested rates'}."))

# %% [markdown]
# So read the table before believing a slogan. The look-ahead brakes earlier, so Nesterov swings
# less past the minimum; but the same look-ahead makes it *less* tolerant of a large $\eta$ on
# the steep direction, where it diverges first. "Nesterov is always better" is not what the
# experiment says.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# The playground runs GD, momentum and Nesterov on the same bowl. Things to try: set momentum's
# $\beta$ to 0 (its path becomes GD's, as measured above); raise GD's $\eta$ past 0.04 and
# momentum's to 0.3. Questions to explore: what happens to the swing when $\beta$ goes to 0.99,
# and to the zig-zag when it goes to 0.5? Which $\beta$ reaches the minimum in the fewest steps
# at $\eta = 0.1$?

# %% tags=["nbval-ignore-output"]
from course_lib.widgets import playground

playground(bowl, ["gd", "momentum", "nesterov"], steps=150, start=corner,
           hparams={"gd": {"lr": 0.038}, "momentum": {"lr": 0.1}, "nesterov": {"lr": 0.1}})

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1: the momentum update
#
# Write one momentum step for every parameter in `params`, with the library's signature. Return
# new dicts (do not change the inputs) and a `MomentumState(t + 1, v)`.

# %%
def momentum_update(params, grads, state, *, lr, beta):
    """v_dW = β·v_dW + (1 − β)·dW;  W = W − η·v_dW  (for every parameter)."""
    ### BEGIN SOLUTION
    v = {g: beta * state.v[g] + (1 - beta) * grads[g] for g in grads}
    new_params = {k: W - lr * v["d" + k] for k, W in params.items()}
    return new_params, MomentumState(state.t + 1, v)
    ### END SOLUTION

# %%
check("momentum_update", momentum_update)

# %%
hint("momentum_update")

# %% [markdown]
# Race your function against the library's on the bowl: `run_path(..., update=fn)` runs your
# update on the library's state and hyperparameters. A correct rule follows the same path.

# %%
try:
    mine = run_path(bowl, "momentum", update=momentum_update, steps=150, lr=0.1, beta=0.9,
                    start=corner)
    ref = run_path(bowl, "momentum", steps=150, lr=0.1, beta=0.9, start=corner)
    print(f"your momentum vs the library's, 150 steps: max |difference| = "
          f"{np.abs(mine.path - ref.path).max():.1e}")
except NotImplementedError:
    print("Write momentum_update above first, then run this cell again.")

# %% [markdown]
# ### Exercise 2: Nesterov momentum
#
# Same state as momentum; only the step changes: $W = W - \eta(\beta v_{dW} + (1-\beta)dW)$
# with the *new* $v_{dW}$.

# %%
def nesterov_update(params, grads, state, *, lr, beta):
    """v_dW = β·v_dW + (1 − β)·dW;  W = W − η·(β·v_dW + (1 − β)·dW)."""
    ### BEGIN SOLUTION
    v = {g: beta * state.v[g] + (1 - beta) * grads[g] for g in grads}
    new_params = {k: W - lr * (beta * v["d" + k] + (1 - beta) * grads["d" + k])
                  for k, W in params.items()}
    return new_params, MomentumState(state.t + 1, v)
    ### END SOLUTION

# %%
check("nesterov_update", nesterov_update)

# %%
hint("nesterov_update")

# %%
try:
    mine = run_path(bowl, "nesterov", update=nesterov_update, steps=150, lr=0.1, beta=0.9,
                    start=corner)
    ref = run_path(bowl, "nesterov", steps=150, lr=0.1, beta=0.9, start=corner)
    print(f"your Nesterov vs the library's, 150 steps: max |difference| = "
          f"{np.abs(mine.path - ref.path).max():.1e}")
except NotImplementedError:
    print("Write nesterov_update above first, then run this cell again.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# **"Which problem of mini-batch SGD does momentum fix, and how?"** Mini-batch gradients are
# noisy, so the path zig-zags. Momentum steps along an exponentially weighted average of the
# recent gradients (about $1/(1-\beta)$ of them): components that flip sign cancel, components
# that agree add up. The path is smoother, and because the bouncing is averaged out, a larger
# learning rate stays stable. *Interview angle:* point to the numbers of the first and the third
# section, not just the analogy of a rolling ball.
#
# **"torch.optim.SGD(momentum=0.9) and your momentum with η = 0.1: same thing?"** Only with
# `lr = η·(1−β)`. PyTorch's buffer is $v = \mu v + g$, which settles at $g/(1-\mu)$, ten times
# the gradient for $\mu = 0.9$; the course's EWA settles at $g$. *Interview angle:* this is the
# classic reason a learning rate copied from a paper "does not work" in another framework.
#
# **"What does Nesterov change?"** Where the gradient is measured: at the look-ahead point
# $W - \eta\beta v_{dW}$ instead of at $W$. It overshoots less; it is not free (its stable range
# of $\eta$ is smaller on a steep direction).
#
# The quiz below draws from the course's question bank (answers are graded at once).

# %% tags=["nbval-ignore-output"]
from course_lib.quiz import quiz

quiz(chapter=6)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - **What momentum fixes:** the zig-zag of mini-batch SGD and the wall-to-wall bouncing in
#   narrow valleys. It steps along the EWA of the gradients,
#   $v_{dW} = \beta v_{dW} + (1-\beta) dW$, $W = W - \eta v_{dW}$ (same for $b$), and in
#   exchange tolerates a larger $\eta$.
# - **Frameworks:** `SGD(lr = η·(1−β), momentum = β)` is the same method, step for step.
# - **Nesterov** measures the gradient at the look-ahead point: less overshoot, a narrower
#   stable range.
# - **What it leaves open:** one learning rate $\eta$ is still shared by every parameter and
#   every step. A steep parameter and a flat one need very different steps, and the step that is
#   right far from the minimum is too big near it. [Chapter 7](07_adagrad.ipynb) gives each
#   parameter its own learning rate, which changes with time: Adagrad.
