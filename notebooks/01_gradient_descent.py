# %% [markdown]
# # Chapter 1 · Gradient descent (full batch)
#
# **What you will be able to do**
#
# - write one full-batch gradient-descent update: forward pass on **all** records, loss, backward
#   pass, one step $W \leftarrow W - \eta\cdot dW$;
# - predict the path of gradient descent on a convex bowl, step by step, from the curvature;
# - pick a learning rate: recognise one that crawls, one that oscillates and one that diverges,
#   and compute the bound $\eta < 2/\lambda_{\max}$;
# - measure what one update costs on 1,000,000 records (peak memory, seconds) and explain why
#   that cost is the method's weak spot.
#
# **Where this sits in the story.** [Chapter 0](00_introduction.ipynb) built the update rule and
# trained a small network with it, using every record for every update. That method has a name,
# *full-batch gradient descent* (GD), and this chapter looks at it closely: what it does well
# (an exact gradient, a smooth path) and what it costs. Its weakness, the price of one update on
# a big data set, is what [Chapter 2](02_sgd.ipynb) attacks.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** full-batch gradient descent: an exact gradient and a smooth path; its weak spot is
#   the price of one update on a big data set.
# - **Demo:** no code: the learning goals.
# - **Ask the room:** "What does "full batch" mean?" **Answer:** every update uses every record.

# %% slideshow={"slide_type": "skip"}
# %matplotlib inline
import os
import tempfile
import tracemalloc
import warnings

import matplotlib.pyplot as plt
import numpy as np

from course_lib import plots
from course_lib.claims import claim
from course_lib.data import make_large, make_regression
from course_lib.models import LinearRegression
from course_lib.optimizers import OPTIMIZERS
from course_lib.paths import run_path
from course_lib.problems import quadratic_bowl
from course_lib.timing import time_together
from course_lib.training import train
from course_lib.widgets import lr_regime

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The picture: a smooth path downhill
#
# A linear regression with one feature has two parameters, the slope $W$ and the intercept $b$,
# so its loss (the mean squared error over the whole data set) is a landscape we can draw. Below,
# 1,000 records, and gradient descent started far from the best fit (the red star).
#
# Every dot on the path is one update, and every update looked at all 1,000 records. That is why
# the path is smooth: each step follows the exact slope of the landscape, with no noise at all.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** every dot is one update over all 1,000 records, so the path follows the exact
#   slope, without noise.
# - **Demo:** the figure: 30 epochs are 30 iterations, the loss goes from 10.71 to 0.2603.
# - **Ask the room:** "Why is the path smooth?" **Answer:** each step uses the exact gradient of
#   all the records.
# - **Cut when short:** show the figure only.

# %% tags=["slides-output-only"]
reg = make_regression(n=1000, d=1, noise=0.5, rng=0)
best_W, best_b = plots.regression_surface(reg.X, reg.y).minima[0]
surface = plots.regression_surface(reg.X, reg.y, start=(best_W - 2.5, best_b + 2.0))
start = {"W": np.array([surface.start[0]]), "b": np.array([surface.start[1]])}
model = LinearRegression(1)

gd_run = train(model, reg.X, reg.y, "gd", epochs=30, lr=0.1, params=start,
               record_path=True, progress=False)

fig, (ax_path, ax_loss) = plt.subplots(1, 2, figsize=(8, 3.5))
plots.plot_contour(surface, ax=ax_path, levels=12, resolution=120)
plots.plot_paths(surface, {"GD, η = 0.1": gd_run}, ax=ax_path, contour=False)
ax_path.set(xlabel="W (slope)", ylabel="b (intercept)", title="MSE over (W, b), 1,000 records")
plots.plot_loss_curves({"GD, η = 0.1": gd_run}, by="epoch", f_min=surface.f_min, ax=ax_loss)
ax_loss.set_title("loss − best loss, after each update")
fig.subplots_adjust(wspace=0.3)
plt.show()
print(gd_run.message)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## One update uses all records
#
# For linear regression with $n$ records (rows of $X$), the prediction, the loss and its
# gradient are
#
# $$\hat y = XW + b, \qquad L(W, b) = \frac1n\sum_{i=1}^n(\hat y_i - y_i)^2, \qquad
#   dW = \frac1n\sum_{i=1}^n \underbrace{2(\hat y_i - y_i)\,x_i}_{\text{gradient of record } i},
#   \qquad db = \frac1n\sum_{i=1}^n 2(\hat y_i - y_i).$$
#
# Read the middle formula slowly: **the full-batch gradient is the average of $n$ per-record
# gradients.** To take one step, gradient descent must run the forward pass on every record,
# compute every record's gradient and average them. Only then does it update:
#
# $$W \leftarrow W - \eta\cdot dW, \qquad b \leftarrow b - \eta\cdot db.$$
#
# The same in NumPy, literally as the formula reads (one gradient per record, then the mean),
# next to the library's `LinearRegression.loss_and_grads`:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** the full-batch gradient is the average of n per-record gradients: one step waits
#   for all of them.
# - **Demo:** the by-hand cell (1000 records for one update, the same loss and gradient as the
#   library), then the count: 30 epochs, 30 updates, one update per epoch.
# - **Ask the room:** "How many records does one full-batch update use, and how many updates are
#   in an epoch?" **Answer:** all of them; one.
# - **Cut when short:** skip the formula, say it in words.

# %% tags=["slides-output-only"]
X, y = reg.X, reg.y
n = X.shape[0]
params = {"W": np.array([-1.0]), "b": np.array([1.0])}

y_hat = X @ params["W"] + params["b"]            # forward pass on all n records
error = y_hat - y                                # (n,)
per_record = 2 * error[:, None] * X              # (n, d): one gradient per record
grads_by_hand = {"dW": per_record.mean(axis=0), "db": np.array([2 * error.mean()])}
loss_by_hand = np.mean(error**2)

loss, grads = model.loss_and_grads(params, X, y)
print(f"records used for this one update: {per_record.shape[0]}")
print(f"loss: by hand {loss_by_hand:.6f}, library {loss:.6f}")
print(f"dW:   by hand {grads_by_hand['dW'][0]:+.6f}, library {grads['dW'][0]:+.6f}")
print(f"db:   by hand {grads_by_hand['db'][0]:+.6f}, library {grads['db'][0]:+.6f}")

new_params, _ = OPTIMIZERS["gd"].update(params, grads, OPTIMIZERS["gd"].init(params), lr=0.1)
print(f"after one step with η = 0.1: W = {new_params['W'][0]:+.6f}, b = {new_params['b'][0]:+.6f}")

# %% [markdown]
# In the library's training loop, gradient descent is simply `batch_size=None`: the batch is the
# whole data set, so one **epoch** (one pass over the data) is one **iteration** (one update).

# %%
print(f"epochs: {gd_run.epochs_run}, updates: {gd_run.iterations}, "
      f"updates per epoch: {gd_run.iterations_per_epoch}, records per update: {n}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The path on a convex bowl
#
# The quadratic bowl $f(W) = \frac12(\lambda_1 W_1^2 + \lambda_2 W_2^2)$ is the simplest landscape
# that still has a shallow and a steep direction. Its gradient is $(\lambda_1 W_1, \lambda_2 W_2)$,
# so one GD step multiplies each coordinate by a fixed factor:
#
# $$W_1 \leftarrow (1 - \eta\lambda_1)\,W_1, \qquad W_2 \leftarrow (1 - \eta\lambda_2)\,W_2.$$
#
# The path is completely predictable: no randomness, the same start always gives the same path.
# One dimension first, with numbers: $f(w) = w^2$ (gradient $2w$), $w = 3$, $\eta = 0.1$.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 6 min**
#
# - **Point:** on a quadratic bowl one GD step multiplies each coordinate by its own factor 1 −
#   ηλ: the steep direction falls fast, the shallow one crawls.
# - **Demo:** f(w) = w², w = 3, η = 0.1: 2.4, then 1.92 (factor 0.8); on the bowl of condition 10
#   the measured ratios 0.92 and 0.2 are the predicted factors.
# - **Ask the room:** "GD on f(w) = 5w²: above which η does it diverge?" **Answer:** 0.2: let them
#   derive it from the factor 1 − 10η.
# - **Cut when short:** the one-dimensional example.

# %%
gd = OPTIMIZERS["gd"]
w = {"W": np.array([3.0])}
state = gd.init(w)
for _ in range(2):
    w, state = gd.update(w, {"dW": 2 * w["W"]}, state, lr=0.1)
    print(f"after step {state.t}: w = {w['W'][0]:.4g}  (factor 1 − 2η = {1 - 2 * 0.1:.4g})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Now the 2-D bowl of the course, `quadratic_bowl(condition=10)`: curvature $\lambda_1 = 1$
# along $W_1$, ten times more along $W_2$. The measured ratio between consecutive points of the
# path is exactly the predicted factor, in each direction separately.

# %%
CONDITION = 10.0
bowl = quadratic_bowl(condition=CONDITION)
lam_2 = bowl.lambda_max                                  # the steep direction, W2
lam_1 = lam_2 / CONDITION                                # the shallow direction, W1
lr = 0.08
run = run_path(bowl, "gd", steps=20, lr=lr)
ratios = run.path[1:] / run.path[:-1]
print(f"W1: measured ratio {ratios[:, 0].mean():.4f}, predicted 1 − η·λ1 = {1 - lr * lam_1:.4f}")
print(f"W2: measured ratio {ratios[:, 1].mean():.4f}, predicted 1 − η·λ2 = {1 - lr * lam_2:.4f}")
print("same start, same path, every time:",
      np.array_equal(run.path, run_path(bowl, "gd", steps=20, lr=lr).path))

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(float(np.abs(ratios - [1 - lr * lam_1, 1 - lr * lam_2]).max()), lt=1e-12,
      says="The measured ratio between consecutive points of the path is exactly the predicted factor")

# %% [markdown]
# The steep direction shrinks fast (factor near 0), the shallow one slowly (factor near 1). So
# GD first falls into the valley, then crawls along its floor: the more elongated the bowl (the
# larger $\lambda_{\max}/\lambda_{\min}$, the *condition number*), the longer the crawl. Keep this
# in mind: [momentum](06_momentum.ipynb) and the adaptive methods of chapters 7-9 attack this
# crawl, the adaptive ones only as far as the valley lines up with the weight axes, as it does
# on this bowl ([Chapter 7](07_adagrad.ipynb) tilts it).

# %% [markdown] slideshow={"slide_type": "slide"} tags=["slides-compact"]
# ## The learning rate: too small, too large
#
# The factor $1 - \eta\lambda$ tells the whole story, direction by direction:
#
# | $\eta\lambda$ | factor $1 - \eta\lambda$ | what the path does |
# |---|---|---|
# | close to 0 | just below 1 | crawls: **too small** |
# | up to 1 | between 0 and 1 | slides straight down, no overshoot |
# | between 1 and 2 | between −1 and 0 | jumps across the valley each step, but the jumps shrink: **oscillates**, still converges |
# | above 2 | below −1 | jumps further out each step: **diverges** |
#
# GD converges only when every direction has $|1 - \eta\lambda| < 1$, and the steepest direction
# is the first to break. Hence the bound
#
# $$\eta < \frac{2}{\lambda_{\max}},$$
#
# with $\lambda_{\max}$ the largest eigenvalue of the Hessian (the matrix of second derivatives;
# for the bowl simply the largest curvature).
#
# **Which η is fastest?** The slowest direction sets the pace: for a small η the shallow one
# (factor $1 - \eta\lambda_{\min}$), for a large η the steep one (factor $|1 - \eta\lambda_{\max}|$).
# The two factors are equal at
#
# $$\eta^* = \frac{2}{\lambda_{\max} + \lambda_{\min}},$$
#
# the fastest fixed learning rate in the worst case (it minimises the slowest factor per step,
# so it is the best guarantee from any start); on an elongated bowl it sits just below the
# bound. From one particular start a slightly different η can end a little lower (below, from
# the bowl's start, the best η for 30 steps on a fine grid is 0.178). At
# $\eta^*$ the steep direction already zig-zags (its factor is negative), and that is harmless:
# the zig-zag shrinks as fast as the shallow direction does. `lr_regime` (from
# `course_lib.widgets`) names the regimes this way: **too small** well below $\eta^*$ (and far
# from done), **good** around it, **oscillating** past it (the zig-zag now shrinks more slowly
# than the shallow direction and sets the pace), **diverging** above the bound. Four learning
# rates on the bowl: $0.005 \times$ the bound (that is $0.01/\lambda_{\max}$), $\eta^*$, halfway
# between $\eta^*$ and the bound, and $1.05 \times$ the bound (the presets of the explorer at
# the end of the chapter).

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 10 min**
#
# - **Point:** |1 − ηλ| tells the whole story (crawl, slide, oscillate, diverge); the bound is η <
#   2/λ_max, and the fastest fixed η in the worst case, η* = 2/(λ_max + λ_min), sits just below it
#   on an elongated bowl.
# - **Demo:** the four runs on the bowl: η = 0.001 too small (loss 18.5 after 30 steps), 0.182
#   good, 0.191 oscillating, 0.21 diverging (its loss grows by a factor of 1.21 per step); then
#   the regression problem: bound 0.9709, η* = 0.5108 within 1e-8 of the best loss after 4 epochs.
# - **Ask the room:** "Your loss explodes after a few steps: what do you try first? And if it
#   falls painfully slowly?" **Answer:** lower η; then raise it towards η*: a zig-zag that shrinks
#   is fine.
# - **Cut when short:** the regression problem.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
bound = 2 / bowl.lambda_max
fastest = 2 / (bowl.lambda_max + lam_1)
steps = 30
regimes, regime_runs = {}, {}
for lr in (0.005 * bound, fastest, (fastest + bound) / 2, 1.05 * bound):
    name, _ = lr_regime(lr, lambda_max=bowl.lambda_max, lambda_min=lam_1, steps=steps)
    regimes[f"η = {lr:.3g}: {name}"] = regime_runs[name] = run_path(bowl, "gd", steps=steps,
                                                                     lr=lr)

print(f"bound 2/λ_max = {bound:.3g}, fastest η* = 2/(λ_max + λ_min) = {fastest:.3g}, "
      f"η*·λ_max = {fastest * bowl.lambda_max:.3g}")
for label, res in regimes.items():
    end = "stopped: " + res.message if res.diverged else f"loss after {steps} steps: " \
        f"{res.losses[-1]:.3g}"
    print(f"{label:<26} {end}")
grid = np.round(np.arange(0.150, 0.2001, 0.001), 3)
best_for_start = grid[np.argmin([run_path(bowl, "gd", steps=steps, lr=g).losses[-1]
                                 for g in grid])]
print(f"from this start, the η of the grid 0.150, 0.151, ..., 0.200 with the lowest loss after "
      f"{steps} steps: {best_for_start:.3f}")
div_losses = regime_runs["diverging"].losses
print(f"diverging run: loss {div_losses[0]:.3g} at the start, {div_losses[-1]:,.0f} after "
      f"{steps} steps, factor per step at the end {div_losses[-1] / div_losses[-2]:.3f}")

fig, axes = plt.subplots(1, 4, figsize=(10, 2.9), sharey=True)
for ax, (label, res), color in zip(axes, regimes.items(), plots.COLORS):
    plots.plot_contour(bowl, ax=ax, levels=8, resolution=100, cmap="Greys_r")
    plots.plot_paths(bowl, {label: res}, ax=ax, contour=False, legend=False, colors=[color])
    ax.set_title(label, fontsize="small")
    ax.set_ylabel("W₂" if ax is axes[0] else "")
fig.subplots_adjust(wspace=0.2)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Two surprises worth pointing out in class:
#
# - the diverging run has not been stopped yet after 30 steps: its loss grew by a factor of
#   1.21 per step, from 28 to about 6,000. That is steady geometric growth, which only looks
#   explosive on a linear scale. Run it longer and the loop stops it with a message (you will
#   see one on the regression problem below); the library never fills a plot with `NaN`s;
# - compare the losses of the "good" and the "oscillating" run after the same number of steps.
#   Both zig-zag in the steep direction ($\eta\lambda_{\max} > 1$), and the good one ends far
#   lower: past $\eta^*$ the zig-zag dies out more slowly than the shallow direction closes. On
#   this bowl (condition 10) $\eta^*$ is 10/11 of the bound: the fastest learning rate sits
#   close to the bound, not far below it.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(list(regime_runs) == ["too small", "good", "oscillating", "diverging"],
      says="**too small** well below")
claim(not regime_runs["diverging"].diverged,
      says="the diverging run has not been stopped yet after 30 steps")
claim(div_losses[-1] / div_losses[-2], approx=1.21, rel=1e-3,
      says="its loss grew by a factor of 1.21 per step")
claim(div_losses[0], approx=28, rel=1e-9, says="from 28 to about 6,000")
claim(div_losses[-1], approx=6000, rel=0.05, says="from 28 to about 6,000")
claim(fastest * bowl.lambda_max, gt=1, says="Both zig-zag in the steep direction")
claim(regime_runs["oscillating"].losses[-1] / regime_runs["good"].losses[-1], gt=10,
      says="the good one ends far lower")
claim(min(r.losses[-1] for r in regime_runs.values()) == regime_runs["good"].losses[-1],
      says="the fastest learning rate sits close to the bound, not far below it")
eta_grid = np.linspace(0, bound, 20_001)
slowest_factor = np.maximum(np.abs(1 - eta_grid * lam_1), np.abs(1 - eta_grid * lam_2))
claim(eta_grid[np.argmin(slowest_factor)], approx=fastest, rel=1e-3,
      says="the fastest fixed learning rate in the worst case")
claim(best_for_start, approx=0.178, abs_tol=1e-9,
      says="the best η for 30 steps on a fine grid is 0.178")
claim(regime_runs["good"].losses[-1]
      > run_path(bowl, "gd", steps=steps, lr=best_for_start).losses[-1],
      says="a slightly different η can end a little lower")
claim(fastest / bound, approx=10 / 11, rel=1e-9, says="is 10/11 of the bound")

# %% [markdown]
# **The same on a regression problem.** For linear regression the Hessian of the MSE is
# $\frac2n\,[X\;\mathbf 1]^\top[X\;\mathbf 1]$ (it does not depend on $W$ or $b$), so the bound is
# known before training. `regression_surface` computes $\lambda_{\max}$ from the data, and the
# Hessian's smaller eigenvalue gives $\lambda_{\min}$; the same four learning rates, on the 1,000
# records from the start of the chapter, with the number of epochs each needs to come within
# $10^{-8}$ of the best loss:

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
reg_bound = 2 / surface.lambda_max
X1 = np.column_stack([X, np.ones(n)])
reg_lam_min, reg_lam_max = np.linalg.eigvalsh(2 / n * X1.T @ X1)
reg_fastest = 2 / (reg_lam_max + reg_lam_min)
print(f"λ_max of the regression loss = {surface.lambda_max:.4f}, bound 2/λ_max = {reg_bound:.4f}")
print(f"λ_min = {reg_lam_min:.4f}, fastest η* = 2/(λ_max + λ_min) = {reg_fastest:.4f}")

reg_runs, reg_epochs = {}, {}
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)      # the result's message says it instead
    for name, lr in [("0.005 × bound", 0.005 * reg_bound), ("η*", reg_fastest),
                     ("halfway to the bound", (reg_fastest + reg_bound) / 2),
                     ("1.05 × bound", 1.05 * reg_bound)]:
        res = train(model, X, y, "gd", epochs=200, lr=lr, params=start, progress=False)
        reg_runs[f"η = {lr:.3g}: {name}"] = res
        close = np.flatnonzero(res.loss_per_epoch - surface.f_min < 1e-8)
        reg_epochs[name] = int(close[0]) if close.size else None
        print(f"η = {lr:.3g} ({name}): {res.message}; within 1e-8 of the best loss after "
              f"{reg_epochs[name] if close.size else 'more than 200'} epochs")

fig, ax = plt.subplots(figsize=(8, 3.5))
plots.plot_loss_curves(reg_runs, by="epoch", f_min=surface.f_min, ax=ax)
ax.set_ylim(1e-10, 1e14)
ax.set_title("linear regression, full-batch GD: loss − best loss")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Same picture as on the bowl: far below the bound GD crawls (200 epochs are not enough);
# at $\eta^*$ it is the fastest; past $\eta^*$ the path overshoots and oscillates, which slows
# it down again; just above the bound the loss grows every epoch until the training loop stops
# it and says why.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(reg_epochs["0.005 × bound"] is None, says="200 epochs are not enough")
claim(reg_epochs["η*"] < reg_epochs["halfway to the bound"], says="at $\\eta^*$ it is the fastest")
claim(list(reg_runs.values())[-1].diverged, says="until the training loop stops it and says why")

# %% [markdown]
# **Interview angle.** "Your loss explodes after a few steps: what do you try first?" Lower the
# learning rate. "And if the loss falls, but painfully slowly?" Raise it towards
# $\eta^* = 2/(\lambda_{\max} + \lambda_{\min})$: a zig-zag that shrinks is fine; stop where
# the loss stops falling faster (or starts to bounce). The bound $2/\lambda_{\max}$ is why a
# slow loss is common: it is set by the *steepest* direction, while the speed is set by the
# *shallowest* one.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Memory and time per update
#
# So far every data set was tiny. The weak spot of full-batch GD shows on a big
# data set: **every single update needs a forward and a backward pass over all records.** Here
# is one with 1,000,000 records of 20 features (`make_large`), and four ways to compute one
# gradient. Memory is measured with `tracemalloc`, which NumPy informs of every array it
# allocates; we report the *peak* memory each computation adds on top of what was already there.
#
# 1. **the data itself:** $X$ and $y$ must be in RAM (or streamed from disk in full) for every
#    full-batch step;
# 2. **a naive gradient** that builds the $(n, d)$ array of per-record gradients, as in the cell
#    "One update uses all records" above: a second copy of the data's size;
# 3. **a vectorised gradient** $dW = \frac2n X^\top(\hat y - y)$, as the library computes it:
#    only a few vectors of length $n$;
# 4. **a mini-batch gradient** (the idea of [Chapter 3](03_minibatch_sgd.ipynb)): 1,000 random
#    records read from a memory-mapped file (`np.memmap`), so the data never has to sit in RAM
#    as a whole.
#
# Time is the course's **cost of one update**: the gradient on the batch plus the update. All
# the times of this section are taken together, in one call of the course's timer
# `time_together` (interleaved rounds, the median of 5), so their ratios come from one run.
# The measured numbers depend on the machine, so those cells do not take part in the automatic
# comparison of outputs; the ratios printed after them do.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 10 min**
#
# - **Point:** one update needs a full pass over the whole data set, in RAM or streamed from disk;
#   a careless gradient doubles the memory.
# - **Demo:** on a million records read out the measured peak memory (the data 168 MB, the naive
#   gradient a second copy, the vectorised one 10% of it) and the ratios the notebook prints
#   (absolute seconds depend on the machine); then the memory-mapped streaming variant: here the
#   file sits in the OS file cache, so its timing reads no disk; on a file bigger than RAM every
#   pass runs at disk speed.
# - **Ask the room:** "What would you do with ten million records that do not fit in memory?"
#   **Answer:** stream them, or update on a part of them: the question that leads to Chapter 2.
# - **Cut when short:** the scaling table (time and memory per update against the number of rows).

# %% tags=["nbval-ignore-output", "slides-output-only"]
MB = 1e6


def extra_memory(fn, *args):
    """Run fn(*args); return the peak MB it allocated on top of what was there."""
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    fn(*args)
    return (tracemalloc.get_traced_memory()[1] - before) / MB


def naive_gradient(params, X, y):
    """dW as the mean of the (n, d) array of per-record gradients."""
    error = X @ params["W"] + params["b"] - y
    per_record = error[:, None] * X                     # (n, d): as large as X itself
    return {"dW": 2 * per_record.mean(axis=0), "db": 2 * error.mean()}


tracemalloc.start()
big = make_large(n=1_000_000, d=20, rng=0, task="regression")
big_model = LinearRegression(20)
big_params = {"W": np.zeros(20), "b": np.zeros(1)}
big_state = gd.init(big_params)
memory = {"the data (X and y)": (big.X.nbytes + big.y.nbytes) / MB}
memory["naive gradient, (n, d) temporary"] = extra_memory(naive_gradient, big_params, big.X,
                                                          big.y)
memory["vectorised gradient, X.T @ r"] = extra_memory(big_model.loss_and_grads, big_params,
                                                      big.X, big.y)

print(big.name)
for what, mb in memory.items():
    print(f"{what:<34} {mb:8.1f} MB")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Now the same data on disk. `np.save` writes $X$ and $y$ to a temporary folder;
# `np.load(..., mmap_mode="r")` maps the files into memory without reading them: a slice of the
# map is read from disk (or the operating system's file cache) only when it is used. A
# mini-batch then needs RAM for its own 1,000 rows only. A full-batch step could also stream
# the file in chunks, which keeps the memory small, but it still has to read **all** the rows
# for every single update.
#
# One honest caveat: the pages of a mapped file that have been read sit in the operating
# system's file cache. `tracemalloc` does not count them, because the OS can drop them again
# whenever memory gets short. That is exactly what makes streaming possible, but it also means
# a full-batch pass over a file bigger than RAM reads from disk every time.
#
# Here the two files (168 MB) sit in the operating system's file cache, so the "from file"
# timing below reads no disk (its 100,000-row chunks can even run faster than one pass over the array
# in RAM). On a file bigger than RAM every full-batch pass runs at disk speed.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(memory["the data (X and y)"], approx=168, rel=0.01,
      says="sit in the operating system's file cache")

# %% tags=["nbval-ignore-output", "slides-output-only"]
def streamed_full_gradient(params, X_map, y_map, chunk=100_000):
    """The full-batch gradient, reading the memory-mapped file chunk by chunk."""
    n = X_map.shape[0]
    dW, db = np.zeros_like(params["W"]), 0.0
    for s in range(0, n, chunk):
        Xc, yc = np.asarray(X_map[s:s + chunk]), np.asarray(y_map[s:s + chunk])
        error = Xc @ params["W"] + params["b"] - yc
        dW += 2 / n * (Xc.T @ error)
        db += 2 / n * error.sum()
    return {"dW": dW, "db": np.array([db])}


def minibatch_gradient(params, X_map, y_map, idx):
    """The gradient on the records idx, copied from the memory-mapped file into RAM."""
    return big_model.loss_and_grads(params, np.asarray(X_map[idx]), np.asarray(y_map[idx]))


def update_after(gradient, *args):
    """A function of no argument: the gradient `gradient(*args)`, then one GD step."""
    def one_update():
        out = gradient(*args)
        grads = out[1] if isinstance(out, tuple) else out    # loss_and_grads: (loss, grads)
        return gd.update(big_params, grads, big_state, lr=0.01)
    return one_update


batch_idx = np.sort(np.random.default_rng(0).choice(big.n, size=1000, replace=False))
with tempfile.TemporaryDirectory() as folder:
    np.save(os.path.join(folder, "X.npy"), big.X)
    np.save(os.path.join(folder, "y.npy"), big.y)
    X_map = np.load(os.path.join(folder, "X.npy"), mmap_mode="r")
    y_map = np.load(os.path.join(folder, "y.npy"), mmap_mode="r")
    memory["full batch, streamed from the file"] = extra_memory(
        streamed_full_gradient, big_params, X_map, y_map)
    memory["mini-batch of 1,000, from the file"] = extra_memory(
        minibatch_gradient, big_params, X_map, y_map, batch_idx)
    tracemalloc.stop()
    timed = time_together({
        "full batch in RAM": update_after(big_model.loss_and_grads, big_params, big.X, big.y),
        "full batch from file": update_after(streamed_full_gradient, big_params, X_map, y_map),
        "mini-batch of 1,000": update_after(minibatch_gradient, big_params, X_map, y_map,
                                            batch_idx),
        "first 100,000 rows": update_after(big_model.loss_and_grads, big_params,
                                           big.X[:100_000], big.y[:100_000]),
        "first 10,000 rows": update_after(big_model.loss_and_grads, big_params,
                                          big.X[:10_000], big.y[:10_000]),
    }, repeat=5)
    del X_map, y_map                                   # close the maps before the folder goes
seconds = {name: t.seconds for name, t in timed.items()}

for what, mb in memory.items():
    print(f"{what:<36} {mb:9.3f} MB")
print()
for name in ("full batch in RAM", "full batch from file", "mini-batch of 1,000"):
    print(f"seconds per update, {name + ':':<22} {seconds[name]:.6f} s")
print(f"1,000 full-batch updates would take about {1000 * seconds['full batch in RAM']:.0f} s")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The sizes depend only on the shapes of the arrays, so their ratios are the same on every
# machine:

# %%
data_mb = memory["the data (X and y)"]
print(f"naive gradient adds            {memory['naive gradient, (n, d) temporary'] / data_mb:.1f}"
      " x the data's size (it doubles the memory)")
print(f"vectorised gradient adds       {memory['vectorised gradient, X.T @ r'] / data_mb:.0%}"
      " of the data's size")
print("streamed full batch adds less than 5 % of it:      ",
      memory["full batch, streamed from the file"] < 0.05 * data_mb)
print("a mini-batch of 1,000 adds less than 1 % of it:    ",
      memory["mini-batch of 1,000, from the file"] < 0.01 * data_mb)

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
vector_mb = big.n * 8 / MB                             # one float64 vector of length n
claim(memory["naive gradient, (n, d) temporary"] / data_mb, approx=1.0, rel=0.05,
      says="a second copy of the data's size")
claim(memory["vectorised gradient, X.T @ r"] / vector_mb, lt=4,
      says="only a few vectors of length")
claim(memory["mini-batch of 1,000, from the file"] / (1000 * 21 * 8 / MB), lt=2,
      says="A mini-batch then needs RAM for its own 1,000 rows only")

# %% [markdown]
# And the cost grows in proportion to the number of records: time (from the same timing run)
# and extra memory of one vectorised full-batch update on the first $n$ rows of the same data
# (views, no copies).

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output", "slides-output-only"]
tracemalloc.start()
scaling = {}
for rows in (10_000, 100_000, 1_000_000):
    Xn, yn = big.X[:rows], big.y[:rows]
    scaling[rows] = extra_memory(big_model.loss_and_grads, big_params, Xn, yn)
tracemalloc.stop()
row_seconds = {10_000: seconds["first 10,000 rows"], 100_000: seconds["first 100,000 rows"],
               1_000_000: seconds["full batch in RAM"]}
print(f"{'records':>10} {'seconds per update':>19} {'ns per row':>11} {'extra MB':>9}")
for rows, mb in scaling.items():
    print(f"{rows:>10,} {row_seconds[rows]:>19.5f} {row_seconds[rows] / rows * 1e9:>11.0f} "
          f"{mb:>9.2f}")

fig, ax = plt.subplots(figsize=(8, 3.5))
labels = list(memory)
ax.barh(labels, [memory[k] for k in labels], color=plots.COLORS[:len(labels)])
plots.log_scale(ax, "x")             # a log axis with plain-text tick labels: quick to draw
ax.invert_yaxis()
ax.set_xlabel("MB (log scale)")
ax.set_title("1,000,000 × 20 records: the data, and what one gradient adds")
plt.show()

# %% slideshow={"slide_type": "skip"}
del big, Xn, yn                                          # give the 168 MB back

# %% [markdown] slideshow={"slide_type": "subslide"}
# What the numbers say:
#
# - **Memory.** Full-batch GD needs the whole data set at hand for every update: in RAM, or read
#   from disk in full each time. A careless gradient doubles that; the vectorised one adds only
#   a few vectors of length $n$. Scale up to 20 million records of 100 features (float64) and
#   the data alone is 16 GB.
# - **Time.** One update costs a full pass over the data, and the time grows roughly in
#   proportion to $n$: a hundred times the rows cost tens of times the time or more here
#   (the time per row, printed above, stays of the same order at every size; a fixed cost per
#   call, the caches and the machine's load move it, either way, from run to run). GD needs hundreds or
#   thousands of updates, so it waits a full pass for each one.
# - **A mini-batch** needs memory and time for its own rows only, however large the file: one
#   update on 1,000 rows costs a small fraction (under 2 %) of a full-batch update on 1,000,000.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(20_000_000 * 100 * np.dtype(np.float64).itemsize / 1e9, approx=16, rel=1e-9,
      says="the data alone is 16 GB")
claim(scaling[1_000_000] / scaling[10_000], approx=100, rel=0.05,
      says="And the cost grows in proportion to the number of records")
claim(row_seconds[1_000_000] / row_seconds[10_000], gt=20, lt=250,
      says="a hundred times the rows cost tens of times the time or more here")
claim(seconds["mini-batch of 1,000"] / seconds["full batch in RAM"], lt=0.02,
      says="a small fraction (under 2 %) of a full-batch update")

# %% [markdown]
# That is the trade-off the next chapters explore: many cheap, slightly wrong steps instead of
# few expensive, exact ones.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it: the learning-rate explorer
#
# Plain GD on a bowl. Click the presets (too small, good, oscillating, diverging), then move η by
# hand. The *condition* slider makes the bowl more elongated: watch how the bound
# $2/\lambda_{\max}$ and the crawl along the flat direction change with it. Moving it keeps η and
# unselects the preset (on the new bowl η is no longer the preset's); click the preset again to
# get its η for the new bowl ("good" is always $\eta^* = 2/(\lambda_{\max} + \lambda_{\min})$).
# The label names the regime and the message under the controls gives the reason. (The widget needs a running
# kernel.)

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 6 min**
#
# - **Point:** the four regimes and the bound, live.
# - **Demo:** `lr_explorer(lr=0.05, steps=30, condition=10.0)`: click the four presets in order
#   (too small, good, oscillating, diverging) and let the label name each regime ("good" is η*,
#   "oscillating" lies past it, where the zig-zag becomes the bottleneck); then move the
#   *condition* slider up and show the bound 2/λ_max moving with it. Moving it keeps η and
#   unselects the preset: click a preset again to get its η for the new bowl.
# - **Ask the room:** "The condition goes up: does the good η go up or down?" **Answer:** down:
#   λ_max grows with the condition, so the bound and η* both shrink.
# - **Cut when short:** the condition slider.

# %% tags=["nbval-ignore-output"]
from course_lib.widgets import lr_explorer

lr_explorer(lr=0.05, steps=30, condition=10.0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Complete each function (in the student copy its body is `raise NotImplementedError`: replace
# that line with your code), then run the `check` cell. `hint(name)` gives a nudge, then the formula, then pseudo-code.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** gd_update, mse_gradient, stable_lr_bound; the race runs the learner's rule inside
#   the library's loop.
# - **Demo:** show the task of gd_update and the race: your path and the library's, largest
#   distance 0.
# - **Ask the room:** "How do you get 2/λ_max from a Hessian H?" **Answer:** from the largest
#   eigenvalue of the symmetric H (`np.linalg.eigvalsh`).
# - **Cut when short:** set them as homework.

# %%
from course_lib.exercises import check, hint, list_exercises
from course_lib.optimizers import GDState

list_exercises(chapter=1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1: one gradient-descent update
#
# `gd_update(params, grads, state, *, lr)` has the library's signature: apply
# $W \leftarrow W - \eta\cdot dW$ to every key of `params` (the gradient of `params["W"]` is
# `grads["dW"]`), and return a new dict and `GDState(state.t + 1)`. Do not change the inputs.

# %%
def gd_update(params, grads, state, *, lr):
    """One gradient-descent step on every parameter."""
    ### BEGIN SOLUTION
    new_params = {k: W - lr * grads["d" + k] for k, W in params.items()}
    return new_params, GDState(state.t + 1)
    ### END SOLUTION


# %%
check("gd_update", gd_update)

# %% slideshow={"slide_type": "skip"}
hint("gd_update")

# %% [markdown]
# The race: your rule and the library's `OPTIMIZERS["gd"]` walk the same bowl from the same
# start (`run_path(..., update=gd_update)` runs your function in the library's loop). When your
# rule is right, the two paths are identical, point for point. To watch the race, pass
# `extra={"my gd": ("gd", gd_update)}` to the `playground` of Chapter 0.

# %% slideshow={"slide_type": "skip"}
try:
    mine = run_path(bowl, "gd", update=gd_update, steps=30, lr=0.15)
    library = run_path(bowl, "gd", steps=30, lr=0.15)
    print(f"{mine.optimizer}: {mine.steps_taken} steps, final loss {mine.losses[-1]:.4g}")
    print(f"{library.optimizer}: {library.steps_taken} steps, final loss {library.losses[-1]:.4g}")
    print(f"largest distance between the two paths: {np.abs(mine.path - library.path).max():.3g}")
except NotImplementedError:
    print("Complete `gd_update` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: the gradient of the mean squared error
#
# `mse_gradient(params, X, y)` returns `{"dW": ..., "db": ...}` for the linear model
# $\hat y = XW + b$ and $L = \frac1n\sum_i(\hat y_i - y_i)^2$. Can you write it without building
# the $(n, d)$ array of per-record gradients?

# %%
def mse_gradient(params, X, y):
    """Gradient of the MSE of y_hat = X @ W + b, as {"dW": ..., "db": ...}."""
    ### BEGIN SOLUTION
    n = len(y)
    error = X @ params["W"] + params["b"] - y
    return {"dW": 2.0 / n * (X.T @ error), "db": 2.0 / n * np.sum(error)}
    ### END SOLUTION


# %%
check("mse_gradient", mse_gradient)

# %% slideshow={"slide_type": "skip"}
hint("mse_gradient")

# %% [markdown]
# Your gradient against the library's on the regression data of this chapter:

# %% slideshow={"slide_type": "skip"}
try:
    yours = mse_gradient({"W": params["W"], "b": params["b"][0]}, X, y)
    print("dW agrees with LinearRegression:", np.allclose(yours["dW"], grads["dW"]))
    print("db agrees with LinearRegression:", np.allclose(yours["db"], grads["db"][0]))
except NotImplementedError:
    print("Complete `mse_gradient` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: the largest stable learning rate
#
# `stable_lr_bound(H)` returns $2/\lambda_{\max}$ for a symmetric Hessian `H`.

# %%
def stable_lr_bound(H):
    """The largest learning rate for which GD converges on a quadratic with Hessian H."""
    ### BEGIN SOLUTION
    return float(2.0 / np.linalg.eigvalsh(H).max())
    ### END SOLUTION


# %%
check("stable_lr_bound", stable_lr_bound)

# %% slideshow={"slide_type": "skip"}
hint("stable_lr_bound")

# %% [markdown]
# Apply it to the regression problem: build the Hessian $\frac2n[X\;\mathbf 1]^\top[X\;\mathbf 1]$
# from the data and compare with the bound the chapter used.

# %% slideshow={"slide_type": "skip"}
try:
    X1 = np.column_stack([X, np.ones(n)])
    H = 2 / n * X1.T @ X1
    print(f"your bound {stable_lr_bound(H):.6f}, the chapter's 2/λ_max {reg_bound:.6f}")
except NotImplementedError:
    print("Complete `stable_lr_bound` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# 1. *"How many records does one full-batch GD update use, and how many updates are in an
#    epoch?"* All of them; one.
# 2. *"Why is full-batch GD a problem with 10 million records?"* Every update needs a forward
#    and backward pass over all of them: the data must be in memory, or be read in full from
#    disk for every update, and each update costs a full pass of compute, so updates are few
#    and slow.
#    Quote the measured numbers from "Memory and time per update".
# 3. *"GD on $f(w) = 5w^2$: above which learning rate does it diverge?"* The gradient is $10w$,
#    each step multiplies $w$ by $1 - 10\eta$, so $|1 - 10\eta| > 1$ beyond $\eta = 2/10$.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** three questions out loud: records per update, why it hurts at scale, the divergence
#   bound.
# - **Demo:** let the room answer each question before you reveal its answer; `quiz(chapter=1)`
#   for self-study.
# - **Ask the room:** "Why is full-batch GD a problem with 10 million records?" **Answer:** every
#   update is a forward and backward pass over all of them, with the data in memory or read in
#   full from disk: updates are few and slow.
# - **Cut when short:** leave the quiz as homework.

# %% tags=["nbval-ignore-output"]
from course_lib.quiz import quiz

quiz(chapter=1)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Full-batch gradient descent computes the **exact** gradient, the average over all records,
#   before every update. Its path is smooth and deterministic; on a convex bowl it goes straight
#   into the valley, then crawls along the flat direction.
# - The learning rate decides everything: too small crawls, between $1/\lambda_{\max}$ and
#   $2/\lambda_{\max}$ the steep direction oscillates (and still converges), above
#   $2/\lambda_{\max}$ it diverges. The fastest fixed rate in the worst case is
#   $2/(\lambda_{\max} + \lambda_{\min})$: on an elongated bowl, just below the bound.
# - **What it leaves open:** the price of one update. It needs the whole data set at hand and a
#   full pass of compute, measured above on a million records. A careless implementation
#   doubles the memory.
#
# The radical fix: update after **every single record**. That is stochastic gradient descent,
# [Chapter 2](02_sgd.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** an exact gradient and a deterministic path; the learning rate decides everything;
#   the price of one update is what is left open.
# - **Demo:** no code: read the summary.
# - **Ask the room:** "What is the radical fix for the price of one update?" **Answer:** update
#   after every single record: stochastic gradient descent, Chapter 2.
