# %% [markdown]
# # Chapter 9 · Adam: momentum + RMSprop + bias correction
#
# **What you will be able to do**
#
# - write Adam's update from memory and say which line comes from momentum and which from RMSprop;
# - switch each of its three parts off in turn and say, with numbers, what breaks;
# - explain what bias correction does to the first steps, measured rather than recited;
# - choose Adam's hyperparameters: what to tune first and what to leave at its default;
# - explain AdamW, AMSGrad and NAdam, and show the situation each one was made for.
#
# **Where it sits in the story.** [Chapter 6](06_momentum.ipynb) replaced the raw gradient by
# its exponentially weighted average: the direction became smooth, but every parameter still
# moved with the same learning rate η. [Chapter 8](08_rmsprop_adadelta.ipynb) gave every
# parameter its own step size by dividing by the root of an average of squared gradients, but
# the direction was again the raw, noisy gradient. Adam does both at once, and adds the bias
# correction of [Chapter 5](05_exponentially_weighted_average.ipynb) so that averages started at
# zero do not distort the first steps.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** Adam ties the story together: momentum's smooth direction (Chapter 6), RMSprop's
#   per-parameter step size (Chapter 8) and the bias correction of Chapter 5.
# - **Demo:** none; read the goals and the story so far.
# - **Ask the room:** "Momentum smooths the direction, RMSprop sets a step size per parameter. What
#   would you get by doing both?" **Answer:** Adam: step along the EWA of the gradients divided by
#   the root of the EWA of their squares.

# %% slideshow={"slide_type": "skip"}
# %matplotlib inline
import warnings

import matplotlib.pyplot as plt
import numpy as np

from course_lib import plots
from course_lib.claims import claim
from course_lib.data import make_moons
from course_lib.exercises import check, hint
from course_lib.models import TwoLayerNet
from course_lib.moving_averages import bias_correct, ewa_step, ewa_window
from course_lib.optimizers import OPTIMIZERS, AdamState
from course_lib.paths import run_path
from course_lib.problems import get_problem
from course_lib.training import train

adam = OPTIMIZERS["adam"]


def paths_on(problem, paths, ax):
    """Optimizer paths over lightly filled contours (small PNG files)."""
    plots.plot_contour(problem, ax=ax, filled=True, alpha=0.45)
    return plots.plot_paths(problem, paths, ax=ax, contour=False)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Intuition: two averages steer one step
#
# Picture a ball rolling down Rosenbrock's curved valley. Momentum gives it inertia: the
# direction is an average of recent gradients, so the side-to-side pushes of the valley walls
# cancel out. RMSprop gives it a per-parameter speed limit: each coordinate's step is divided by
# the typical size of its own gradient, so a steep wall does not fling it and a flat floor does
# not stall it. Adam keeps both averages and steps with their ratio.
#
# Below, the three optimizers start from the same point, each with the learning rate the
# course's playground starts it with (printed in the legend). Chapter 10 races them with tuned
# learning rates; here we only look at the shapes of the paths.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** momentum gives inertia (the side-to-side pushes of the valley walls cancel), RMSprop
#   gives each coordinate a speed limit set by its own gradient size; Adam keeps both averages and
#   steps with their ratio.
# - **Demo:** the three paths on Rosenbrock at the playground's starting η's (final losses after 300
#   steps: momentum 1.56, RMSprop 0.32, Adam 0.192); look at the shapes, not the race (Chapter 10
#   tunes them).
# - **Ask the room:** "Is this a fair race?" **Answer:** no: each runs at the playground's starting
#   η, untuned; here we only read the shapes of the paths.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
from course_lib.widgets import START_LR  # noqa: E402  (the playground's starting η's)

lrs_picture = {name: START_LR["rosenbrock"][name] for name in ("momentum", "rmsprop", "adam")}
picture = {name: run_path("rosenbrock", name, steps=300, lr=lr)
           for name, lr in lrs_picture.items()}
fig, (ax_p, ax_l) = plt.subplots(1, 2, figsize=(9, 3.6))
paths_on("rosenbrock", {f"{n} (η={lrs_picture[n]:g})": r for n, r in picture.items()}, ax_p)
plots.plot_loss_curves({n: r for n, r in picture.items()}, ax=ax_l, f_min=0.0)
fig.subplots_adjust(wspace=0.3)
plt.show()
for name, res in picture.items():
    print(f"{name:9s} final loss after {res.steps_taken} steps: {res.losses[-1]:.3g}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Momentum + RMSprop
#
# Adam keeps two exponentially weighted averages, both started at zero, and updates them on
# every mini-batch (the same lines for b, with db):
#
# $$v_{dW} = \beta_1\, v_{dW} + (1-\beta_1)\, dW \qquad \text{(momentum line)}$$
#
# $$s_{dW} = \beta_2\, s_{dW} + (1-\beta_2)\, dW^2 \qquad \text{(RMSprop line)}$$
#
# Both are bias-corrected with the step count t (1 after the first step):
#
# $$\hat v_{dW} = \frac{v_{dW}}{1-\beta_1^t}, \qquad \hat s_{dW} = \frac{s_{dW}}{1-\beta_2^t}$$
#
# and the update divides one by the root of the other:
#
# $$W = W - \eta\, \frac{\hat v_{dW}}{\sqrt{\hat s_{dW}} + \varepsilon}$$
#
# The RMSprop line is Chapter 8's RMSprop with β = β2, but with a much longer memory: Adam's
# default β2 = 0.999 averages about 1000 squared gradients, while the course's RMSprop default
# is β = 0.9 (Hinton's slides' value; PyTorch's `RMSprop` defaults to `alpha=0.99`). These are
# conventions: the [notation page](../docs/notation.md) lists every default next to PyTorch's.
#
# Here is one step written line by line with the course's two helpers, `ewa_step` and
# `bias_correct`, next to the library's `OPTIMIZERS["adam"].update`, which calls the same
# helpers.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 14 min**
#
# - **Point:** v (β1) is the momentum line, s (β2) the RMSprop line, both bias-corrected, step
#   η·v̂/(√ŝ + ε); the first step moves each coordinate by about η whatever its gradient. Switched
#   off in turn: without momentum the zig-zag is back (23% to 75% reversals from η = 0.139 to 1,
#   Adam under 5%), and only one isolated η of the grid works (2.68), its lower neighbour thrashing
#   and its upper one blowing up; without the RMSprop line one η crawls on the bowl × 0.01 and
#   diverges on the bowl × 100.
# - **Demo:** the line-by-line step next to the library (step taken / η = [1, −1]); then "Each part
#   switched off in turn": the Rosenbrock table over the η grid (final loss and reversals), the two
#   paths at η = 0.139, and the scaled-bowl table at η = 0.05.
# - **Ask the room:** "Adam combines which two ideas?" **Answer:** momentum (an EWA of the
#   gradients, β1: a smooth direction) and RMSprop (an EWA of the squared gradients, β2: a
#   per-parameter step size); switching off either brings back its problem: the zig-zag, or the
#   sensitivity to the gradient scale.
# - **Cut when short:** the same-η paths; keep the grid table and the scaled-bowl table.

# %% tags=["slides-output-only"]
hp = adam.defaults                       # η, β1, β2, ε as the registry defines them
params = {"W": np.array([1.0, -2.0]), "b": np.array([0.5])}
grads = {"dW": np.array([0.3, -4.0]), "db": np.array([0.02])}
state = adam.init(params)                # t = 0, v = 0, s = 0

t = state.t + 1
v_dW = ewa_step(state.v["dW"], grads["dW"], hp["beta1"])        # momentum line
s_dW = ewa_step(state.s["dW"], grads["dW"] ** 2, hp["beta2"])   # RMSprop line
v_hat = bias_correct(v_dW, hp["beta1"], t)
s_hat = bias_correct(s_dW, hp["beta2"], t)
W_by_hand = params["W"] - hp["lr"] * v_hat / (np.sqrt(s_hat) + hp["eps"])

new_params, new_state = adam.update(params, grads, state, **hp)
print("defaults:", {k: v for k, v in hp.items()})
print("W by hand:   ", W_by_hand.round(6))
print("W by library:", new_params["W"].round(6))
print("same W, same v and s:", np.allclose(W_by_hand, new_params["W"], rtol=1e-12, atol=0),
      np.allclose(v_dW, new_state.v["dW"]), np.allclose(s_dW, new_state.s["dW"]))
print("step taken / η:", ((params["W"] - new_params["W"]) / hp["lr"]).round(4))
beta_rms = OPTIMIZERS["rmsprop"].defaults["beta"]
print(f"Adam's β2 = {hp['beta2']:g} averages about {ewa_window(hp['beta2']):.0f} squared "
      f"gradients; the course's RMSprop β = {beta_rms:g} about {ewa_window(beta_rms):.0f} "
      "(PyTorch's RMSprop default: alpha=0.99)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Look at the step line: the first step moved **each** coordinate by about η, although one
# gradient is more than ten times the other. That is the RMSprop line at work: the division by
# $\sqrt{\hat s_{dW}}$ removes the size of the gradient and keeps its sign and its consistency.
# η in Adam is close to a step *length*, not a multiplier of the gradient.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
step_over_eta_1 = np.abs(params["W"] - new_params["W"]) / hp["lr"]
claim(np.abs(step_over_eta_1 - 1).max(), lt=1e-6,
      says="the first step moved **each** coordinate by about η")
claim(abs(grads["dW"][1] / grads["dW"][0]), gt=10,
      says="one gradient is more than ten times the other")
claim(hp["beta2"] == 0.999 and round(ewa_window(hp["beta2"])) == 1000 and beta_rms == 0.9,
      says="default β2 = 0.999 averages about 1000 squared gradients, while the course's "
           "RMSprop default is β = 0.9")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Each part switched off in turn
#
# To see what each part contributes, we need an Adam whose parts can be switched off. The
# function below is Adam with three switches; with all three on it must give exactly the
# library's path, which the next cell checks before using it.

# %% tags=["slides-output-only"]
def adam_parts(*, momentum=True, rmsprop=True, correction=True):
    """Adam with switches: momentum off = β1 set to 0; RMSprop off = divide by 1, not √ŝ + ε;
    correction off = use v and s as they are."""
    def update(params, grads, state, *, lr, beta1, beta2, eps):
        t = state.t + 1
        b1 = beta1 if momentum else 0.0
        v = {g: ewa_step(state.v[g], grads[g], b1) for g in grads}
        s = {g: ewa_step(state.s[g], grads[g] ** 2, beta2) for g in grads}
        new = {}
        for k, W in params.items():
            g = "d" + k
            v_hat = bias_correct(v[g], b1, t) if correction else v[g]
            s_hat = bias_correct(s[g], beta2, t) if correction else s[g]
            new[k] = W - lr * v_hat / (np.sqrt(s_hat) + eps if rmsprop else 1.0)
        return new, AdamState(t, v, s)
    update.__name__ = "adam" if momentum and rmsprop and correction else "adam_parts"
    return update


same_as_library = {}
for prob in ("bowl", "rosenbrock", "beale"):
    ours = run_path(prob, "adam", steps=200, lr=0.05, update=adam_parts())
    lib = run_path(prob, "adam", steps=200, lr=0.05)
    same_as_library[prob] = np.allclose(ours.path, lib.path, rtol=1e-12, atol=1e-15)
    print(f"{prob:10s} all switches on = library path:", same_as_library[prob])

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(all(same_as_library.values()),
      says="with all three on it must give exactly the library's path")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Momentum off (β1 = 0, which makes Adam a bias-corrected RMSprop).** On Rosenbrock's curved
# valley the sign of the gradient across the valley flips often. We give both versions the same
# tuning budget (the same grid of learning rates, from 0.001 to two points beyond 1, so that no
# winner sits at the edge; the final loss after a fixed number of steps) and count how often a
# coordinate reverses direction from one step to the next.

# %% tags=["slides-output-only"]
lr_grid = 1e-3 * (1e3 ** (1 / 7)) ** np.arange(10)  # steps of ×2.68: 0.001 ... 1, 2.68, 7.2
STEPS = 300


def reversals(path):
    """Fraction of steps in which a coordinate moves the opposite way from the step before."""
    d = np.sign(np.diff(path, axis=0))
    return float((d[1:] * d[:-1] < 0).mean())


variants = {"Adam": {}, "Adam, momentum off (β1 = 0)": {"beta1": 0.0}}
final, rev = {}, {}
for label, kw in variants.items():
    runs = [run_path("rosenbrock", "adam", steps=STEPS, lr=lr, **kw) for lr in lr_grid]
    final[label] = np.array([np.inf if r.diverged else r.losses[-1] for r in runs])
    rev[label] = np.array([reversals(r.path) for r in runs])
ADAM, OFF = variants
print(f"Rosenbrock, {STEPS} steps: final loss (share of direction reversals)")
print(f"{'η':>7s}  {'Adam':>18s}  {'momentum off (β1 = 0)':>23s}")
for i, lr in enumerate(lr_grid):
    print(f"{lr:7.3g}  {final[ADAM][i]:9.2e} ({rev[ADAM][i]:5.1%})  "
          f"{final[OFF][i]:12.2e} ({rev[OFF][i]:5.1%})")
tuned = {}
for label in variants:
    i = int(np.argmin(final[label]))
    tuned[label] = lr_grid[i]
    edge = " (at the edge of the grid)" if i in (0, len(lr_grid) - 1) else ""
    print(f"{label:28s} best η = {lr_grid[i]:.3g}{edge}; "
          f"η's with a final loss below 0.1: {int((final[label] < 0.1).sum())}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Read the table by rows. From η = 0.139 to 1, where both versions move fast, the one without
# momentum reverses direction in 23% to 75% of its steps, Adam in under 5%. At small η neither
# zig-zags: both crawl. Tuned, the two best runs end at similar losses, but they are not
# alike. Adam's final loss is below 0.1 at three neighbouring η's (0.139 to 1) and again, after
# a miss at 2.68, at the edge value 7.2: beyond η = 1 it turns erratic too. The version without
# momentum gets there at a single η (2.68), between a neighbour that thrashes (η = 1: 66%
# reversals, loss 6.5) and one that blows up: a lucky run rather than a setting one could
# find by tuning. The momentum line cancels the alternating part of the gradient, and that is
# what makes a whole range of η work.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
fast = (lr_grid > 0.1) & (lr_grid < 1.5)          # η = 0.139, 0.373, 1
claim(rev[OFF][fast].min(), approx=0.23, abs_tol=0.01, says="in 23% to 75% of its steps")
claim(rev[OFF][fast].max(), approx=0.75, abs_tol=0.01, says="in 23% to 75% of its steps")
claim(rev[ADAM][fast].max(), lt=0.05, says="Adam in under 5%")
claim(bool((final[ADAM][fast] < 0.1).all()) and int((final[ADAM] < 0.1).sum()) == 4,
      says="Adam's final loss is below 0.1 at three neighbouring η's (0.139 to 1)")
claim(final[ADAM][-2] > 0.1 > final[ADAM][-1] and lr_grid[-2] == tuned[OFF],
      says="after a miss at 2.68, at the edge value 7.2")
claim(lr_grid[-1], approx=7.2, rel=0.01, says="at the edge value 7.2")
lucky = np.flatnonzero(final[OFF] < 0.1)
claim(len(lucky) == 1 and 0 < lucky[0] < len(lr_grid) - 1, says="gets there at a single η")
claim(lr_grid[lucky[0]], approx=2.68, rel=0.01, says="gets there at a single η (2.68)")
below = lucky[0] - 1                              # η = 1: moves a lot, gets nowhere
claim(rev[OFF][below], approx=0.66, abs_tol=0.005, says="η = 1: 66% reversals, loss 6.5")
claim(final[OFF][below], approx=6.5, abs_tol=0.05, says="η = 1: 66% reversals, loss 6.5")
claim(final[OFF][lucky[0] + 1] > 100 * final[OFF][0], says="one that blows up")
claim(final[OFF][lucky[0]] / final[ADAM].min(), gt=0.2, lt=5,
      says="the two best runs end at similar losses")

# %% [markdown]
# Now the same η for both, η = 0.139, where both still converge, to see the paths:

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
eta_common = lr_grid[5]                               # 0.139
same_eta = {label: run_path("rosenbrock", "adam", steps=STEPS, lr=eta_common, **kw)
            for label, kw in variants.items()}
for label, res in same_eta.items():
    print(f"η = {eta_common:.3g}  {label:28s} final loss {res.losses[-1]:.2e}, "
          f"direction reversals in {reversals(res.path):.1%} of the steps")
fig, ax = plt.subplots(figsize=(5.5, 3.6))
paths_on("rosenbrock", same_eta, ax)
plt.show()

# %% [markdown]
# At the same η the path without momentum zig-zags across the valley (far more reversals) and
# ends higher on the loss: the momentum line is what cancels the alternating part of the
# gradient.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(reversals(same_eta[OFF].path) / reversals(same_eta[ADAM].path), gt=3,
      says="the path without momentum zig-zags across the valley (far more reversals)")
claim(same_eta[OFF].losses[-1] > same_eta[ADAM].losses[-1], says="ends higher on the loss")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **RMSprop off (divide by 1 instead of √ŝ + ε, which leaves bias-corrected momentum).** The
# division by √ŝ makes the step independent of the *scale* of the loss. We multiply the bowl
# by 0.01, 1 and 100 (the same valley, gradients 100 times smaller or larger) and run both
# versions with one fixed η.

# %%
eta = 0.05
rows = []
for scale in (0.01, 1.0, 100.0):
    bowl = get_problem("bowl", scale=scale)
    for label, kw in (("Adam", {}), ("Adam, RMSprop off", {"rmsprop": False})):
        res = run_path(bowl, "adam", steps=200, lr=eta, update=adam_parts(**kw))
        ratio = res.losses[-1] / res.losses[0]
        rows.append((scale, label, "diverged" if res.diverged else f"{ratio:.2e}"))
print(f"η = {eta:g}, 200 steps; loss after / loss before:")
for scale, label, out in rows:
    print(f"  bowl × {scale:<6g} {label:18s} {out}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Adam's three rows are the same (up to the tiny ε): scaling the loss scales dW and √ŝ alike,
# and the ratio does not move. Without the RMSprop line the same η crawls on the flat bowl and
# blows up on the steep one: a plain momentum method needs η re-tuned whenever the gradient
# scale changes, which in a deep network happens from layer to layer. (Scale, not shape, is
# the point here, so the axis-aligned bowl is fine: on the bowl rotated by 45°, Adam's three
# rows agree with each other too.)
#
# **Correction off.** That switch deserves its own section.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
adam_rows = [float(out) for _, label, out in rows if label == "Adam"]
claim(max(adam_rows) / min(adam_rows), approx=1.0, rel=1e-3,
      says="Adam's three rows are the same (up to the tiny ε)")
off_rows = {scale: out for scale, label, out in rows if label != "Adam"}
claim(float(off_rows[0.01]) > 1e-2 and off_rows[100.0] == "diverged",
      says="the same η crawls on the flat bowl and blows up on the steep one")
rot = [run_path(get_problem("bowl", scale=sc, angle=45), "adam", steps=200, lr=eta)
       for sc in (0.01, 1.0, 100.0)]
rot_ratios = [r.losses[-1] / r.losses[0] for r in rot]
claim(max(rot_ratios) / min(rot_ratios), approx=1.0, rel=1e-3,
      says="Adam's three rows agree with each other too")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Bias correction
#
# Both averages start at zero. Feed Adam a constant gradient dW = 1, so that the "true" average
# of dW is 1 and of dW² is 1, and look at what the raw averages report in the first steps.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 10 min**
#
# - **Point:** both averages start at 0, so early on they are too small (v₁ = 0.1·dW, s₁ = 0.001·dW²
#   with the defaults); dividing by 1 − β^t fixes it. Without it, with the default β2 = 0.999, s is
#   far more biased than v, so the first steps are too large: 3.16 η at t = 1, up to about 6.6 η at
#   t = 12, still about 1.6 η at t = 500.
# - **Demo:** the raw averages for a constant gradient dW = 1 (v_t, s_t against 1 − β^t), then the
#   step-length table: Adam corrected, uncorrected with the default β's, uncorrected with β1 = β2 =
#   0.9, momentum part alone.
# - **Ask the room:** "Why does Adam need bias correction, and are the uncorrected first steps too
#   small or too large?" **Answer:** the averages start at zero and underestimate the gradient and
#   its square; with the default β2 the uncorrected first step is too large, (1 − β1)/√(1 − β2) ≈
#   3.16 times η; correcting only v would make it about 32 times η.

# %% tags=["slides-output-only"]
b1, b2 = hp["beta1"], hp["beta2"]
T = np.arange(1, 11)
v_raw = np.array([1 - b1 ** t for t in T])         # EWA of a constant 1 after t steps
s_raw = np.array([1 - b2 ** t for t in T])
state = adam.init({"W": np.zeros(1)})
w, vs, ss = {"W": np.zeros(1)}, [], []
for _ in T:                                        # the same numbers from the optimizer's state
    w, state = adam.update(w, {"dW": np.ones(1)}, state, **hp)
    vs.append(state.v["dW"][0])
    ss.append(state.s["dW"][0])
print("t            :", T.tolist())
print("v_t  (want 1):", np.round(vs, 4).tolist())
print("s_t  (want 1):", np.round(ss, 5).tolist())
print("matches 1 − β^t:", np.allclose(vs, v_raw), np.allclose(ss, s_raw))
print("v̂_t = v_t/(1 − β1^t):", np.round(bias_correct(np.array(vs), b1, T), 12).tolist())
print(f"correction factor 1/(1 − β1^t) at t = 10: {1 / (1 - b1 ** 10):.3f};  "
      f"s averages about 1/(1 − β2) = {ewa_window(b2):.0f} squared gradients")

# %% [markdown]
# The raw averages are **too small** at the start: $v_1 = (1-\beta_1)\,dW$ and
# $s_1 = (1-\beta_2)\,dW^2$ (with the defaults, the $v_1$ and $s_1$ printed above) instead of
# $dW$ and $dW^2$. Dividing by
# $1-\beta^t$ undoes exactly that factor, so $\hat v_t$ is the gradient from the very first
# step; the factor tends to 1 as t grows and the correction fades by itself.
#
# What does that do to the **step**? It depends on how the two biases meet in the ratio
# $v/\sqrt{s}$. We measure the step length (in units of η) for a constant gradient, for three
# uncorrected methods.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(np.allclose(vs[0], 1 - b1) and np.allclose(ss[0], 1 - b2),
      says="The raw averages are **too small** at the start")
claim(np.allclose(bias_correct(np.array(vs), b1, T), 1.0, rtol=1e-12),
      says="so $\\hat v_t$ is the gradient from the very first step")

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
def step_over_eta(update, steps, **hp_):
    """|ΔW| / η at each step t for a constant gradient dW = 1 (ε negligible)."""
    p, st, out = {"W": np.zeros(1)}, adam.init({"W": np.zeros(1)}), []
    for _ in range(steps):
        new, st = update(p, {"dW": np.ones(1)}, st, **hp_)
        out.append(abs(new["W"][0] - p["W"][0]) / hp_["lr"])
        p = new
    return np.array(out)


N = 500
cases = {
    "Adam, corrected": step_over_eta(adam.step, N, **hp),   # .step: .update without checks
    "Adam uncorrected, β1 = 0.9, β2 = 0.999": step_over_eta(adam_parts(correction=False), N, **hp),
    "Adam uncorrected, β1 = β2 = 0.9": step_over_eta(adam_parts(correction=False), N,
                                                     **{**hp, "beta2": 0.9}),
    "momentum part alone, uncorrected": step_over_eta(
        adam_parts(rmsprop=False, correction=False), N, **hp),
}
fig, ax = plt.subplots(figsize=(8, 3.5))
for i, (label, r) in enumerate(cases.items()):
    ax.plot(np.arange(1, N + 1), r, color=plots.COLORS[i], label=label)
plots.log_scale(ax, "x")
plots.log_scale(ax, "y")
ax.set_xlabel("step t")
ax.set_ylabel("step length / η")
ax.legend(fontsize="small")
plt.show()
for label, r in cases.items():
    r = r.round(6)                                  # so that "largest" ignores rounding noise
    print(f"{label:40s} t=1: {r[0]:.3f}   t=10: {r[9]:.3f}   largest {r.max():.3f} "
          f"(first at t={int(r.argmax()) + 1})   t={N}: {r[-1]:.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Read the measurements from the bottom up:
#
# - **Momentum alone, uncorrected**, starts with a step of $(1-\beta_1)\,\eta$ (0.1 η) and
#   needs dozens of steps to reach full size (44 steps to reach 99% of it): the "too small at
#   the start" bias, exactly as in Chapter 5.
# - **Adam uncorrected with β1 = β2** takes steps that are too small in the same way (the two
#   biases do not cancel: the numerator's factor is $1-\beta^t$, the denominator's its root,
#   so the step is $\sqrt{1-\beta^t}\,\eta$, about 0.32 η at t = 1).
# - **Adam uncorrected with the default β2 = 0.999** is the surprise: $s$ is *far* more biased
#   than $v$, and dividing by a too-small $\sqrt{s}$ makes the first steps several times **too
#   large** (3.16 η at t = 1, up to about 6.6 η at t = 12), for hundreds of steps (still about
#   1.6 η at t = 500), because $s$ averages about $1/(1-\beta_2)$ squared gradients. Switching
#   the correction off is then just a larger, time-varying learning rate,
#   $\eta\,(1-\beta_1^t)/\sqrt{1-\beta_2^t}$ (up to ε), whatever the gradients.
# - **Corrected Adam** steps η (up to the tiny ε) from t = 1 on. Bias correction makes η mean
#   the same thing at the first step as late in training, so the η you tune is the η you get.
#
# *Interview angle:* "Why does Adam need bias correction?" The averages start at zero, so early
# on they underestimate the gradient and its square; dividing by $1-\beta^t$ removes that. Say
# which way the step is wrong without it: with the usual β1 = 0.9 and β2 = 0.999 the
# uncorrected first step is $(1-\beta_1)/\sqrt{1-\beta_2} \approx 3.16$ times η, too large,
# not too small. (Correcting only $v$ and not $s$ would be far worse: $1/\sqrt{1-\beta_2}$,
# about 32 times η.)

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
r_mom = cases["momentum part alone, uncorrected"]
claim(r_mom[0], approx=1 - b1, rel=1e-6, says="starts with a step of")
claim(int(np.argmax(r_mom >= 0.99)) + 1, approx=44, abs_tol=0,
      says="44 steps to reach 99% of it")
r_same = cases["Adam uncorrected, β1 = β2 = 0.9"]
claim(r_same[0], approx=np.sqrt(1 - 0.9), rel=1e-6, says="about 0.32 η at t = 1")
claim(bool((r_same <= 1 + 1e-9).all()), says="takes steps that are too small in the same way")
r_unc = cases["Adam uncorrected, β1 = 0.9, β2 = 0.999"]
claim(r_unc[0], approx=(1 - b1) / np.sqrt(1 - b2), rel=1e-6,
      says="3.16 η at t = 1")
claim(r_unc[0], approx=3.16, rel=1e-3, says="3.16 η at t = 1")
claim(r_unc.max(), approx=6.6, rel=0.01, says="up to about 6.6 η at t = 12")
claim(int(r_unc.argmax()) + 1, approx=12, abs_tol=0, says="up to about 6.6 η at t = 12")
claim(r_unc[-1], approx=1.6, rel=0.01, says="still about 1.6 η at t = 500")
claim(bool((r_unc > 1).all()), says="for hundreds of steps")
t_all = np.arange(1, N + 1)
claim(np.allclose(r_unc, (1 - b1 ** t_all) / np.sqrt(1 - b2 ** t_all), rtol=1e-6),
      says="Switching the correction off is then just a larger, time-varying learning rate")
claim(np.abs(cases["Adam, corrected"] - 1).max(), lt=1e-6,
      says="steps η (up to the tiny ε) from t = 1 on")
claim(1 / np.sqrt(1 - b2), approx=32, rel=0.02, says="about 32 times η")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Defaults, and what to tune
#
# The registry holds the defaults of the Adam paper (Kingma & Ba), which PyTorch uses too.
# Keras uses the same η and β's but a larger ε, 1e-7, in its "ε̂" form (added before the bias
# correction, see the [notation page](../docs/notation.md)): a convention, not a different
# method.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** keep β1 = 0.9, β2 = 0.999 and ε = 1e-8 (the paper's and PyTorch's defaults) and tune
#   η first: on the moons network η moves the training loss by a factor 15.86 between worst and
#   best, β1 by 2.00, β2 by 1.16, ε not at all; Adam's η is roughly a step length.
# - **Demo:** print the registry's Adam and its PyTorch and Keras equivalents, then the
#   one-at-a-time table (two-layer net on moons, 20 epochs, 3 seeds, mean ± sd).
# - **Ask the room:** "You have budget to tune one of Adam's four hyperparameters. Which?"
#   **Answer:** η: its row spans the widest range by far; the β's and ε move the result much less
#   around a good η.

# %%
print(adam)
print("PyTorch equivalent:", adam.torch)
print("Keras: Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7), ε in the ε̂ form")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(hp == {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
      says="The registry holds the defaults of the Adam paper")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Which of the four matters most? We train the two-layer network of the course on the moons
# data set (mini-batches of 40, 20 epochs) and vary one hyperparameter at a time: first η over
# a grid with the β's at their defaults, then β1, β2 and ε around the best η. Every setting
# runs with three seeds (initial weights and shuffling); the table shows mean ± sd.

# %% tags=["slides-output-only"]
moons = make_moons(n=400, noise=0.2, rng=0)
net = TwoLayerNet(2, 16)


SEEDS = (0, 1, 2)


def final_loss(**hp_):
    """The final training loss for each seed (inf for a diverged run)."""
    out = []
    for seed in SEEDS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # a diverged run: inf
            res = train(net, moons.X, moons.y, "adam", batch_size=40, epochs=20, rng=seed,
                        progress=False, **hp_)
        out.append(np.inf if res.diverged else res.loss_per_epoch[-1])
    return np.array(out)


sweeps = {"lr": [1e-4, 1e-3, 1e-2, 1e-1, 1.0]}
losses = {"lr": [final_loss(lr=x) for x in sweeps["lr"]]}
i_best = int(np.argmin([x.mean() for x in losses["lr"]]))
best_lr = sweeps["lr"][i_best]
at_default = losses["lr"][i_best]       # the best-η runs already have the default β1, β2, ε
sweeps.update(beta1=[0.0, 0.5, 0.99], beta2=[0.9, 0.99], eps=[1e-12, 1e-4])
for name in ("beta1", "beta2", "eps"):
    losses[name] = [final_loss(lr=best_lr, **{name: x}) for x in sweeps[name]]
    sweeps[name].append(hp[name])       # add the default's result, computed above
    losses[name].append(at_default)
means = {name: np.array([x.mean() for x in v]) for name, v in losses.items()}
spread = {name: m.max() / m.min() for name, m in means.items()}
edge = " (inside the grid)" if 0 < i_best < len(sweeps["lr"]) - 1 else " (AT THE EDGE)"
print(f"training loss after 20 epochs, mean ± sd over {len(SEEDS)} seeds "
      f"(the β and ε rows use the best η = {best_lr:g}{edge})")
for name in sweeps:
    order = np.argsort(sweeps[name])
    cells = "  ".join(f"{sweeps[name][i]:g}: {losses[name][i].mean():.3f}"
                      f"±{losses[name][i].std(ddof=1):.3f}" for i in order)
    print(f"  {name:6s} {cells}   (worst / best = {spread[name]:.2f})")
print("largest spread:", max(spread, key=spread.get))

# %% [markdown]
# The η row spans the widest range by far, from barely trained to well fitted, while the β's
# and ε move the result much less around a good η (and this holds for each seed on its own,
# not only for the means). That is why the usual advice is: keep
# β1, β2 and ε at their defaults and tune η first. One more reason hides in the RMSprop
# experiment above: since Adam's η is roughly a step length, a good η depends on how far the
# weights must travel, not on the scale of the gradients.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
others = max(spread[name] for name in ("beta1", "beta2", "eps"))
claim(spread["lr"] / others, gt=3, says="The η row spans the widest range by far")
per_seed = {name: np.array(v).max(axis=0) / np.array(v).min(axis=0) for name, v in losses.items()}
claim(bool((per_seed["lr"] > 3 * np.max([per_seed[n] for n in ("beta1", "beta2", "eps")],
                                         axis=0)).all()),
      says="this holds for each seed on its own")
claim(means["lr"].max(), gt=0.6, says="from barely trained to well fitted")
claim(means["lr"].min(), lt=0.1, says="from barely trained to well fitted")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Beyond the lecture: AdamW, AMSGrad, NAdam
#
# Three well-known variants, each made for a specific weakness. All three are in the registry
# and each reproduces `torch.optim` (see the `.torch` attribute).

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 8 min**
#
# - **Point:** AdamW decouples weight decay (shrink W by 1 − ηλ, then the Adam step on the plain
#   gradient) so its strength no longer depends on the gradient history; AMSGrad divides by the
#   largest s so far; NAdam puts Nesterov's look-ahead into the numerator.
# - **Demo:** the AdamW experiment (λ = 0.1, η = 0.01, 500 steps: Adam + L2 leaves the σ = 10 weight
#   at 0.968 and kills the σ = 0.01 one, AdamW shrinks both to 0.617, near pure decay 0.606); then
#   Reddi's counter-example (Adam ends at the worst point +1, AMSGrad near −1); then the NAdam table
#   on the bowl.
# - **Ask the room:** "What does AdamW change?" **Answer:** weight decay is applied to the weights
#   directly, not added to the gradient, so the division by √ŝ cannot weaken or strengthen it;
#   PyTorch multiplies λ by η, the paper by the schedule multiplier.
# - **Cut when short:** AMSGrad and NAdam: one sentence each; keep AdamW.

# %%
for name in ("adamw", "amsgrad", "nadam"):
    print(f"{name:8s} {OPTIMIZERS[name].formula}\n         torch: {OPTIMIZERS[name].torch}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### AdamW: decoupled weight decay versus an L2 penalty
#
# Weight decay pulls every weight towards zero. With plain gradient descent, adding the L2
# penalty $\tfrac{\lambda}{2}\lVert W\rVert^2$ to the loss (gradient $dW + \lambda W$) and
# shrinking the weights directly are the same thing. In Adam they are not: the term
# $\lambda W$ passes through the division by $\sqrt{\hat s_{dW}}$. AdamW instead shrinks first,
# $W = W\,(1-\eta\lambda)$, and then takes the Adam step on the plain gradient.
#
# Scaling the decay by the learning rate, $1-\eta\lambda$, is **PyTorch's convention**
# (`AdamW(lr=η, weight_decay=λ)`), and the course's. It is not the paper's definition:
# Loshchilov & Hutter write $W \leftarrow W - \eta_t\,(\alpha\,\hat v/(\sqrt{\hat s}+\varepsilon)
# + \lambda W)$, where α is the learning rate and $\eta_t$ only the schedule multiplier (1
# without a schedule): their decay is $W\,(1-\eta_t\lambda)$, not scaled by α. Both are AdamW,
# with λ's in different units (the paper's λ is PyTorch's ηλ), so say which one a λ belongs to.
#
# The experiment: two weights start at 1. Their data gradients carry no signal (they alternate
# ±σ, average zero), but weight 1 has large gradients (σ = 10) and weight 2 tiny ones
# (σ = 0.01). The same λ should shrink both alike.

# %% tags=["slides-output-only"]
lam, eta, n_steps = 0.1, 0.01, 500
sigma = np.array([10.0, 0.01])
w_l2, w_dec = {"W": np.ones(2)}, {"W": np.ones(2)}
st_l2, st_dec = adam.init(w_l2), OPTIMIZERS["adamw"].init(w_dec)
for t in range(1, n_steps + 1):
    data_grad = sigma * (-1.0) ** t                       # zero-mean, no signal
    w_l2, st_l2 = adam.update(w_l2, {"dW": data_grad + lam * w_l2["W"]}, st_l2, lr=eta)
    w_dec, st_dec = OPTIMIZERS["adamw"].update(w_dec, {"dW": data_grad}, st_dec, lr=eta,
                                               weight_decay=lam)
pure_decay = (1 - eta * lam) ** n_steps
print(f"λ = {lam:g}, η = {eta:g}, {n_steps} steps; pure decay would give "
      f"(1 − ηλ)^{n_steps} = {pure_decay:.3f}")
for label, w in (("Adam + L2 penalty", w_l2), ("AdamW", w_dec)):
    size = np.abs(w["W"])                             # how far from zero each weight is now
    print(f"{label:17s}: |weight 1| (σ = 10) {size[0]:.3f},  |weight 2| (σ = 0.01) {size[1]:.3f}")

# %% [markdown]
# With the L2 penalty, the weight with large gradients is hardly decayed (its λW is tiny next
# to √ŝ), and the weight with small gradients is decayed far *more* than λ asks (its λW is
# normalised to a full step of about η). AdamW shrinks both alike, close to the pure-decay
# factor printed above. That is the whole point of "decoupled": the strength of the decay no
# longer depends on the gradient history, which is why AdamW is the usual way to regularise
# with Adam.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
size_l2, size_dec = np.abs(w_l2["W"]), np.abs(w_dec["W"])
claim(size_l2[0], gt=0.9, says="the weight with large gradients is hardly decayed")
claim(size_l2[1], lt=0.01 * pure_decay,
      says="the weight with small gradients is decayed far *more* than λ asks")
claim(size_dec[0] / size_dec[1], approx=1.0, rel=1e-3, says="AdamW shrinks both alike")
claim(size_dec.mean() / pure_decay, approx=1.0, rel=0.05,
      says="close to the pure-decay factor printed above")
# the library's AdamW is PyTorch's convention: with a zero gradient, one step is W·(1 − ηλ)
w0 = {"W": np.array([2.0, -3.0])}
w1, _ = OPTIMIZERS["adamw"].update(w0, {"dW": np.zeros(2)}, OPTIMIZERS["adamw"].init(w0),
                                   lr=eta, weight_decay=lam)
claim(np.allclose(w1["W"], w0["W"] * (1 - eta * lam), rtol=1e-15, atol=0),
      says="Scaling the decay by the learning rate")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### AMSGrad: a denominator that never shrinks
#
# Adam's $s_{dW}$ forgets: after a burst of large gradients it decays again, and the step
# $\eta/\sqrt{\hat s}$ grows back. Reddi et al. (2018) built a problem where exactly this makes
# Adam converge to the *worst* point: on $x \in [-1, 1]$ the gradient is $C = 3$ once every
# three steps and $-1$ the other two, so the average slope is positive, $(C-2)/3$, and the best
# point is $x = -1$. Their construction uses β1 = 0 and $\beta_2 = 1/(1+C^2)$ (the paper also
# lets η decay as $\alpha/\sqrt t$; a constant η, as here, shows the same drift). AMSGrad
# divides by the largest $s$ seen so far instead. The course follows PyTorch: it keeps the
# running maximum of the raw $s$ and bias-corrects it with the current t; the paper's
# algorithm has no bias correction at all. A convention again; here, with β2 = 0.1,
# $1-\beta_2^t$ equals 1 within a few steps, so the two forms differ only at the start.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
C, n_steps = 3.0, 300
hp_counter = {"lr": 0.05, "beta1": 0.0, "beta2": 1.0 / (1.0 + C ** 2)}
ends, rates = {}, {}
for name in ("adam", "amsgrad"):
    opt = OPTIMIZERS[name]
    p = {"W": np.array([0.0])}
    st = opt.init(p)
    hp_full = opt.check_hparams(**hp_counter)
    lr_eff = []
    for t in range(1, n_steps + 1):
        g = C if t % 3 == 1 else -1.0
        p, st = opt.step(p, {"dW": np.array([g])}, st, **hp_full)   # .update minus the checks
        p = {"W": np.clip(p["W"], -1.0, 1.0)}              # stay inside [-1, 1]
        if t <= 30 or t > n_steps - 3:
            lr_eff.append(opt.effective_lr(st, **hp_full)["dW"][0])
    ends[name], rates[name] = p["W"][0], np.array(lr_eff)
for name in ends:
    print(f"{name:8s} ends at x = {ends[name]:+.3f}  (best point: −1, worst: +1); "
          f"effective rate over the last 3 steps: {np.round(rates[name][-3:], 4).tolist()}")
p, st = {"W": np.array([0.0])}, adam.init({"W": np.array([0.0])})
for t in range(1, n_steps + 1):                        # the same problem, Adam's default β's
    p, st = adam.step(p, {"dW": np.array([C if t % 3 == 1 else -1.0])}, st,
                      **{**hp, "lr": hp_counter["lr"]})
    p = {"W": np.clip(p["W"], -1.0, 1.0)}
print(f"adam with the default β1 = {hp['beta1']:g}, β2 = {hp['beta2']:g}: ends at x = "
      f"{p['W'][0]:+.3f}")
fig, ax = plt.subplots(figsize=(8, 3.2))
plots.plot_effective_lr({k: v[:30] for k, v in rates.items()}, ax=ax, log=False)
ax.set_title("first 30 steps: Adam's rate jumps back up after every large gradient")
plt.show()

# %% [markdown]
# Adam's effective rate $\eta/(\sqrt{\hat s}+\varepsilon)$ drops after each large gradient and
# climbs back during the two small ones, so the two steps of size "−1" together move the
# iterate further than the one step of size "+3" and it drifts the wrong way, to the worst
# point. AMSGrad's rate cannot climb back after a large gradient: from the fourth step on it
# stays flat, set by the largest $s$ so far, and AMSGrad ends near the minimum. (In PyTorch's
# form, which the course follows, the bias correction lets the rate rise a little over the
# first three steps, from 0.0167 to 0.0176, while $1-\beta_2^t$ grows to 1; in the paper's
# form, without correction, it could only fall.) With the default β's (last printed line) Adam
# solves this toy problem too: the example shows a failure mode, not a typical run.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
r_adam = rates["adam"]                                # t = 298 (g = C), 299, 300 (g = −1)
claim(r_adam[-2] + r_adam[-1], gt=C * r_adam[-3],
      says="the two steps of size \"−1\" together move the iterate further than the one step")
claim(ends["adam"], approx=1.0, abs_tol=1e-9, says="it drifts the wrong way, to the worst point")
r_ams = rates["amsgrad"]
claim(r_ams[3:].max() / r_ams[3:].min(), approx=1.0, rel=1e-4,
      says="from the fourth step on it stays flat")
claim((r_ams[4:] / r_ams[3:-1]).max(), lt=1 + 1e-4, says="AMSGrad's rate cannot climb back")
claim((r_adam[1:] / r_adam[:-1]).max(), gt=2, says="climbs back during the two small ones")
claim(r_ams[0], approx=0.0167, rel=0.005, says="from 0.0167 to 0.0176")
claim(r_ams[:3].max(), approx=0.0176, rel=0.005, says="from 0.0167 to 0.0176")
claim(ends["amsgrad"], lt=-0.9, says="AMSGrad ends near the minimum")
claim(p["W"][0], lt=-0.99, says="Adam solves this toy problem too")
claim(hp_counter["beta2"] ** 5, lt=1e-4, says="equals 1 within a few steps")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### NAdam: Nesterov's look-ahead inside Adam
#
# [Chapter 6](06_momentum.ipynb) showed Nesterov momentum: step along where the momentum is
# about to go, not where it was. NAdam (Dozat, 2016) puts that look-ahead into Adam's
# numerator: $\beta_1 \hat v$ of the *next* step plus the bias-corrected fresh gradient.
#
# The course's NAdam keeps β1 constant: Dozat's update with his momentum schedule switched off.
# PyTorch's `NAdam` (and Keras's `Nadam`) follow the paper's schedule,
# $\mu_t = \beta_1\,(1 - \tfrac12\, 0.96^{\,t\psi})$ with $\psi$ = `momentum_decay` = 0.004,
# which starts near 0.45 and climbs towards β1 only over thousands of steps (printed below);
# the course's form is `NAdam(momentum_decay=1e9)`. Both are NAdam: a convention, so say
# which one you mean.
#
# On the elongated bowl (condition 10) we measure how far each overshoots the valley floor
# along the steep direction and how many steps each needs to bring the loss below 1e-3, on the
# axis-aligned bowl and on the same bowl rotated by 45°. Adam and NAdam both scale each
# coordinate separately, which an axis-aligned bowl favours; the rotated bowl checks that the
# comparison does not depend on that.

# %% tags=["slides-output-only"]
psi = 0.004                                          # PyTorch's default momentum_decay
mu = {t: hp["beta1"] * (1 - 0.5 * 0.96 ** (t * psi)) for t in (1, 1000, 10000)}
print("PyTorch's NAdam momentum μ_t:", {t: round(m, 3) for t, m in mu.items()},
      f"(the course: β1 = {hp['beta1']:g} at every t)")
nadam_runs = {}
for angle in (0, 45):
    bowl = get_problem("bowl", condition=10.0, angle=angle)
    steep = np.array([-np.sin(np.radians(angle)), np.cos(np.radians(angle))])
    for lr in (0.1, 0.3):
        for name in ("adam", "nadam"):
            res = run_path(bowl, name, steps=400, lr=lr)
            below = np.flatnonzero(res.losses < 1e-3)
            first = int(below[0]) if below.size else None
            overshoot = float((res.path @ steep).min())
            nadam_runs[angle, lr, name] = (overshoot, first)
            print(f"bowl turned {angle:2d}°  η = {lr:g}  {name:6s} deepest overshoot along the "
                  f"steep direction: {overshoot:+.3f}   steps to loss < 1e-3: {first}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# With the same η, on both bowls, NAdam overshoots less and gets there in fewer steps: the
# look-ahead sees the turn one step earlier. The gain is modest (at most about a quarter of the
# steps here): NAdam is a drop-in replacement for Adam that changes only the numerator.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(mu[1], approx=0.45, rel=0.01, says="which starts near 0.45")
claim(mu[1000] < 0.6 < mu[10000] < hp["beta1"],
      says="climbs towards β1 only over thousands of steps")
for angle in (0, 45):
    for lr in (0.1, 0.3):
        (o_a, n_a), (o_n, n_n) = nadam_runs[angle, lr, "adam"], nadam_runs[angle, lr, "nadam"]
        claim(o_n > o_a, says="NAdam overshoots less")
        claim(n_n < n_a, says="gets there in fewer steps")
        claim(1 - n_n / n_a, lt=0.26, says="at most about a quarter of the steps here")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Play with it
#
# The playground from the course, with momentum, RMSprop and Adam: move Adam's β1 to 0 (it
# becomes bias-corrected RMSprop), pull β2 down towards 0.9 (a short memory, like the course's
# RMSprop: $s$ soon forgets the steep start, and Adam ends far closer to the minimum in the
# 200 steps), add NAdam or AMSGrad from the list, or change the test function. A run that diverges says so and stops.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** each part of Adam, live: β1 is the momentum line, β2 the memory of the RMSprop line.
# - **Demo:** the playground on Rosenbrock with momentum, RMSprop and Adam (200 steps). Set Adam's
#   β1 to 0 (bias-corrected RMSprop); pull β2 down towards 0.9 (a short memory, like the course's
#   RMSprop: s soon forgets the steep start, and Adam ends far closer to the minimum in 200 steps);
#   add NAdam or AMSGrad from the list.
# - **Ask the room:** before pulling β2 down: "A shorter memory for s: closer or farther from the
#   minimum after 200 steps?" **Answer:** closer: with β2 = 0.999, s still remembers the steep start
#   and keeps the steps small; with β2 near 0.9 it forgets it.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
short_memory = {b2: run_path("rosenbrock", "adam", steps=200, lr=START_LR["rosenbrock"]["adam"],
                             beta2=b2).losses[-1] for b2 in (hp["beta2"], 0.9)}
claim(short_memory[0.9], lt=0.1 * short_memory[hp["beta2"]],
      says="Adam ends far closer to the minimum in the 200 steps")

# %% tags=["nbval-ignore-output"]
from course_lib.widgets import playground  # noqa: E402

pg = playground("rosenbrock", ["momentum", "rmsprop", "adam"], steps=200)
pg

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1: the Adam update
#
# Write `adam_update(params, grads, state, *, lr, beta1, beta2, eps)`: the momentum line, the
# RMSprop line, the bias correction of both, and the step. Return the new parameters and
# `AdamState(t, v, s)` holding the **raw** (uncorrected) averages. Do not change the inputs.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** Adam from memory: the two lines, the bias correction of both, the step; the state
#   holds the raw averages. AdamW is a shrink, then an Adam step.
# - **Demo:** show the two stubs and their `check(...)` calls; the races against the library
#   (Rosenbrock, Beale).
# - **Ask the room:** "Does AdamState store v or v̂?" **Answer:** the raw v and s: the correction is
#   recomputed from t at every step.
# - **Cut when short:** set both exercises as homework.

# %%
def adam_update(params, grads, state, *, lr, beta1, beta2, eps):
    ### BEGIN SOLUTION
    t = state.t + 1
    v = {g: beta1 * state.v[g] + (1 - beta1) * grads[g] for g in grads}
    s = {g: beta2 * state.s[g] + (1 - beta2) * grads[g] ** 2 for g in grads}
    new_params = {}
    for k, W in params.items():
        v_hat = v["d" + k] / (1 - beta1 ** t)
        s_hat = s["d" + k] / (1 - beta2 ** t)
        new_params[k] = W - lr * v_hat / (np.sqrt(s_hat) + eps)
    return new_params, AdamState(t, v, s)
    ### END SOLUTION


# %%
check("adam_update", adam_update)

# %% [markdown]
# Stuck? Each call shows the next hint (a nudge, then the formula, then pseudo-code).

# %% slideshow={"slide_type": "skip"}
hint("adam_update")

# %% [markdown]
# Race your rule against the library's on Rosenbrock: the two paths must coincide.

# %% slideshow={"slide_type": "skip"}
try:
    mine = run_path("rosenbrock", "adam", steps=300, lr=0.1, update=adam_update)
    ref = run_path("rosenbrock", "adam", steps=300, lr=0.1)
    print(f"largest distance between the two paths: {np.abs(mine.path - ref.path).max():.1e}")
    print("same path:", np.allclose(mine.path, ref.path, rtol=1e-10, atol=1e-12))
except NotImplementedError:
    print("Complete `adam_update` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: AdamW
#
# Write `adamw_update(params, grads, state, *, lr, beta1, beta2, eps, weight_decay)`: first
# shrink every parameter, $W = W\,(1-\eta\lambda)$ (the course's and PyTorch's convention,
# the decay scaled by the learning rate), then take the Adam step with the plain gradient (the
# decay must not enter v or s). The paper's $W\,(1-\lambda)$ without a schedule, or Keras's
# ε̂ form of the Adam step, are valid variants, but not the ones asked: the check names them.

# %%
def adamw_update(params, grads, state, *, lr, beta1, beta2, eps, weight_decay):
    ### BEGIN SOLUTION
    decayed = {k: W * (1 - lr * weight_decay) for k, W in params.items()}
    return adam_update(decayed, grads, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    ### END SOLUTION


# %%
check("adamw_update", adamw_update)

# %% slideshow={"slide_type": "skip"}
hint("adamw_update")

# %% slideshow={"slide_type": "skip"}
try:
    mine = run_path("beale", "adamw", steps=300, lr=0.05, weight_decay=0.1, update=adamw_update)
    ref = run_path("beale", "adamw", steps=300, lr=0.05, weight_decay=0.1)
    print("same path as the library's AdamW:",
          np.allclose(mine.path, ref.path, rtol=1e-10, atol=1e-12))
except NotImplementedError:
    print("Complete `adamw_update` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# **"Adam combines which two ideas?"** Momentum, an EWA of the gradients with β1, which smooths
# the direction, and RMSprop, an EWA of the squared gradients with β2, which sets a
# per-parameter step size. The ablation above shows each half doing its job: the zig-zag comes
# back without the first, the scale sensitivity without the second.
#
# **"Why does Adam need bias correction?"** Both averages start at zero and underestimate the
# gradient statistics early on; $v/(1-\beta_1^t)$ and $s/(1-\beta_2^t)$ remove that. A strong
# answer adds the measured consequence: with the default β2 the uncorrected first steps are
# too *large*, because $s$ is much more biased than $v$.
#
# **"What does AdamW change?"** Weight decay is applied to the weights directly, not added to
# the gradient, so the division by $\sqrt{\hat s}$ cannot weaken it for weights with large
# gradients (and strengthen it for weights with small ones), as the experiment showed. A
# strong answer names the convention: PyTorch shrinks by $1-\eta\lambda$, the paper by
# $1-\eta_t\lambda$ with $\eta_t$ the schedule multiplier.
#
# The quiz below asks these and more (numbers to compute, choices, and answers to explain in
# your own words).

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** the three questions every interviewer asks about Adam, each answered with a measured
#   number.
# - **Demo:** read each question and let the room answer before revealing; `quiz(chapter=9)` if time
#   allows.
# - **Ask the room:** "Why does Adam need bias correction?" **Answer:** the averages start at zero;
#   v/(1 − β1^t) and s/(1 − β2^t) remove the start-up bias; without it the default β2 makes the
#   first steps too large, not too small.

# %% tags=["nbval-ignore-output"]
from course_lib.quiz import quiz  # noqa: E402

quiz(chapter=9)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - **What Adam fixes:** momentum alone uses one learning rate for all parameters and is
#   sensitive to the gradient scale; RMSprop alone steers with the raw, noisy gradient. Adam
#   keeps both averages, $v_{dW}$ (β1) and $s_{dW}$ (β2), corrects their start-up bias, and
#   steps $\eta\,\hat v_{dW}/(\sqrt{\hat s_{dW}}+\varepsilon)$: a smooth direction with a
#   per-parameter step of about η.
# - **What each part contributes (measured):** momentum removes the zig-zag in curved valleys;
#   the RMSprop line makes the same η work whatever the gradient scale; bias correction makes
#   the step size right from the first step.
# - **Defaults:** keep β1, β2 and ε at the registry's defaults (printed above) and tune η first.
# - **Variants:** AdamW decouples weight decay (PyTorch's convention scales it by η, the
#   paper's by the schedule only), AMSGrad keeps the denominator from shrinking, NAdam adds
#   Nesterov's look-ahead (the course keeps β1 constant; PyTorch's NAdam schedules it).
# - **What it leaves open:** Adam is a strong default, but not always the best choice, and η
#   still has to be chosen (and often changed during training). [Chapter 10](10_choosing_an_optimizer.ipynb)
#   races every optimizer of the course with tuned learning rates, on test functions and on a
#   real data set, and adds learning-rate schedules.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** Adam is a smooth direction with a per-parameter step of about η, right from the first
#   step; tune η first; AdamW for weight decay.
# - **Demo:** none; read the summary.
# - **Ask the room:** "What does Adam leave open?" **Answer:** η still has to be chosen (and often
#   changed during training), and Adam is a strong default, not always the best: Chapter 10 races
#   every optimizer with tuned rates.
