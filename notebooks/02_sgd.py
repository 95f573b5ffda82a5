# %% [markdown]
# # Chapter 2 · Stochastic gradient descent (SGD)
#
# **What you will be able to do**
#
# - write SGD: one record per update, records visited in a fresh random order every epoch;
# - count updates: with 10,000 records, one epoch of SGD is 10,000 iterations;
# - explain where SGD's noise comes from, why its gradient is still right *on average*, and why
#   with a constant learning rate it never quite settles, and shrink η over time to let it settle;
# - measure why an epoch of SGD is slow in Python although each step is cheap, and what it saves
#   in memory.
#
# **Where this sits in the story.** [Chapter 1](01_gradient_descent.ipynb) showed the weak spot
# of full-batch gradient descent: each update waits for a pass over **all** records (on a
# million records, a full pass of compute, with the whole data set in memory or read in full
# from disk for every update). SGD takes the
# opposite extreme: update after **every single record**. The steps become cheap and many, and
# the price is noise. [Chapter 3](03_minibatch_sgd.ipynb) will settle in between.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** SGD takes the other extreme: one record per update. The steps become cheap and
#   many; the price is noise.
# - **Demo:** no code: the learning goals.
# - **Ask the room:** "With 10,000 records, how many updates does one epoch of SGD make?"
#   **Answer:** 10,000, one per record.

# %% slideshow={"slide_type": "skip"}
# %matplotlib inline
import tracemalloc

import matplotlib.pyplot as plt
import numpy as np

from course_lib import plots
from course_lib.claims import claim
from course_lib.data import iterations_per_epoch, make_regression
from course_lib.models import LinearRegression
from course_lib.optimizers import OPTIMIZERS
from course_lib.timing import time_together
from course_lib.training import train

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The picture: a straight line against a zig-zag
#
# The same linear regression as in Chapter 1 (one feature, so the loss is a landscape over the
# slope $W$ and the intercept $b$), now with 10,000 records. Gradient descent takes 30 updates,
# each on all records. SGD makes one pass over the data, one update per record: 10,000 updates.
# The GD path is straight; the SGD path wanders, because each step only sees one record.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** GD takes 30 updates on all records and goes straight; SGD takes 10,000 one-record
#   updates and wanders.
# - **Demo:** the figure.
# - **Ask the room:** "Why does the SGD path wander?" **Answer:** each step only sees one record.

# %% tags=["slides-output-only"]
reg = make_regression(n=10_000, d=1, noise=0.5, rng=0)
X, y = reg.X, reg.y
n = X.shape[0]
best_W, best_b = plots.regression_surface(X, y).minima[0]
surface = plots.regression_surface(X, y, start=(best_W - 2.5, best_b + 2.0))
start = {"W": np.array([surface.start[0]]), "b": np.array([surface.start[1]])}
model = LinearRegression(1)

gd_run = train(model, X, y, "gd", epochs=30, lr=0.1, params=start, record_path=True,
               progress=False)
sgd_run = train(model, X, y, "gd", batch_size=1, epochs=1, lr=0.01, params=start, rng=0,
                record_path=True, progress=False)

fig, ax = plt.subplots(figsize=(8, 3.5))
plots.plot_contour(surface, ax=ax, levels=12, resolution=120)
plots.plot_batch_paths(surface, {"GD, η = 0.1": gd_run, "SGD, η = 0.01": sgd_run}, ax=ax,
                       contour=False)
ax.set(xlabel="W (slope)", ylabel="b (intercept)", title="MSE over (W, b), 10,000 records")
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## One record per update
#
# Recall that the full-batch gradient is the average of the per-record gradients. SGD simply
# stops averaging: it picks **one** record $i$ and steps with that record's gradient alone.
# For linear regression with the squared error of record $i$,
#
# $$\hat y_i = x_i W + b, \qquad dW_i = 2(\hat y_i - y_i)\,x_i, \qquad db_i = 2(\hat y_i - y_i),$$
#
# $$W \leftarrow W - \eta\cdot dW_i, \qquad b \leftarrow b - \eta\cdot db_i.$$
#
# The update rule is the one of Chapter 0; only the data behind $dW$ changed. An **epoch** visits
# every record once, in a fresh random order: with $n$ records that is $n$ updates. In the
# library, SGD is plain gradient descent with `batch_size=1`.
#
# One record's gradient by hand, next to the library's model called on that single record:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 6 min**
#
# - **Point:** SGD stops averaging: each step uses one record's gradient, and an epoch is n
#   updates in a fresh random order.
# - **Demo:** record 7's gradient by hand next to the library's; the count (1,000 records, 5
#   epochs: 5,000 updates); then the shifted feature: on a valley of condition number about 120,
#   one epoch of tuned SGD ends closer to the best loss than 100 epochs of GD at its η*.
# - **Ask the room:** "1,000 records, SGD, 5 epochs: how many updates?" **Answer:** 5,000.
# - **Cut when short:** the shifted-feature race.

# %%
i = 7
params = {"W": np.array([-1.0]), "b": np.array([1.0])}
error_i = X[i] @ params["W"] + params["b"][0] - y[i]       # one number
grads_by_hand = {"dW": 2 * error_i * X[i], "db": 2 * error_i}

loss_i, grads_i = model.loss_and_grads(params, X[i:i + 1], y[i:i + 1])
print(f"record {i}: dW by hand {grads_by_hand['dW'][0]:+.6f}, library {grads_i['dW'][0]:+.6f}")
print(f"record {i}: db by hand {grads_by_hand['db']:+.6f}, library {grads_i['db'][0]:+.6f}")

step, _ = OPTIMIZERS["gd"].update(params, grads_i, OPTIMIZERS["gd"].init(params), lr=0.01)
print(f"after this one update: W = {step['W'][0]:+.6f}, b = {step['b'][0]:+.6f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Counting updates. `iterations_per_epoch(n, batch_size)` is $\lceil n / \text{batch size}\rceil$:

# %%
print(f"{n:,} records, full batch (GD): {iterations_per_epoch(n, None):>6,} update per epoch")
print(f"{n:,} records, one record (SGD): {iterations_per_epoch(n, 1):>6,} updates per epoch")
print(f"the SGD run above: {sgd_run.epochs_run} epoch, {sgd_run.iterations:,} iterations, "
      f"each a forward and backward pass on one record")
print(f"1,000 records, SGD, 5 epochs: {5 * iterations_per_epoch(1000, 1):,} updates in total")

# %% [markdown]
# Compare the two methods **per epoch**, that is, after each has looked at every record once:

# %% tags=["slides-output-only"]
X1 = np.column_stack([X, np.ones(n)])
lam_min, lam_max = np.linalg.eigvalsh(2 / n * X1.T @ X1)      # the Hessian's curvatures
eta_star = 2 / (lam_max + lam_min)                           # GD's best η (Chapter 1)
print(f"curvatures λ_min = {lam_min:.3f}, λ_max = {lam_max:.3f}; GD's η* = {eta_star:.3f}")
gd_one_epoch = train(model, X, y, "gd", epochs=1, lr=0.1, params=start, progress=False)
gd_star_epoch = train(model, X, y, "gd", epochs=1, lr=eta_star, params=start, progress=False)
sgd_small = train(model, X, y, "gd", batch_size=1, epochs=1, lr=0.002, params=start, rng=0,
                  progress=False)
for name, res in [("GD, η = 0.1", gd_one_epoch), (f"GD, η* = {eta_star:.3f}", gd_star_epoch),
                  ("SGD, η = 0.01", sgd_run), ("SGD, η = 0.002", sgd_small)]:
    gap = res.loss_per_epoch[-1] - surface.f_min
    updates = f"{res.iterations:,} update" + ("s" if res.iterations > 1 else "")
    print(f"{name:>14} after 1 epoch: {updates:>14}, loss − best loss = {gap:.3g}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# After one look at the data, GD at η = 0.1 has taken a single careful step; SGD has taken ten
# thousand rough ones and is much closer to the bottom (its gap to the best loss is over a
# thousand times smaller). But that race is not fair: η = 0.1 is far below GD's best η. This
# landscape is almost round (its two curvatures differ by about 1 %), so at
# $\eta^* = 2/(\lambda_{\max} + \lambda_{\min})$ one GD step lands almost at the bottom: its gap is
# smaller than SGD's at η = 0.01 and about the same as SGD's at η = 0.002 (with this record
# order). Tuned, the two tie here.
#
# SGD's per-epoch advantage needs a problem on which GD needs many steps, and redundant data,
# where one pass teaches most of what the records have to say. Shift the same feature by +3
# (uncentred, as raw features often are): the landscape becomes a long valley, and GD at its
# own η* needs many epochs. SGD gets one epoch, with η tuned on a grid and 5 record orders
# (mean ± sd):

# %% tags=["slides-output-only"]
X_shift = X + 3.0
X1_shift = np.column_stack([X_shift, np.ones(n)])
shift_lams = np.linalg.eigvalsh(2 / n * X1_shift.T @ X1_shift)
shift_best = np.linalg.lstsq(X1_shift, y, rcond=None)[0]
shift_f_min = np.mean((X1_shift @ shift_best - y) ** 2)
shift_start = {"W": shift_best[:1] - 2.5, "b": shift_best[1:] + 2.0}
shift_eta = 2 / shift_lams.sum()
print(f"condition number λ_max/λ_min = {shift_lams[1] / shift_lams[0]:.0f}, "
      f"GD's η* = {shift_eta:.4f}")
shift_gd = {}
for epochs in (1, 10, 100):
    res = train(model, X_shift, y, "gd", epochs=epochs, lr=shift_eta, params=shift_start,
                progress=False)
    shift_gd[epochs] = res.loss_per_epoch[-1] - shift_f_min
    print(f"GD at η*, {epochs:>3} epoch{'s' if epochs > 1 else ' '}: "
          f"loss − best loss = {shift_gd[epochs]:.3g}")
SGD_GRID = (0.0005, 0.002, 0.005)
shift_sgd = {lr: np.array([train(model, X_shift, y, "gd", batch_size=1, epochs=1, lr=lr,
                                 params=shift_start, rng=seed, progress=False)
                           .loss_per_epoch[-1] - shift_f_min for seed in range(5)])
             for lr in SGD_GRID}
for lr, gaps in shift_sgd.items():
    print(f"SGD, η = {lr:<6g}  1 epoch: loss − best loss = {gaps.mean():.3g} ± {gaps.std():.2g}")
shift_sgd_lr = min(shift_sgd, key=lambda lr: shift_sgd[lr].mean())
print(f"best η of the grid: {shift_sgd_lr:g} (an edge of the grid: "
      f"{shift_sgd_lr in (SGD_GRID[0], SGD_GRID[-1])})")

# %% [markdown]
# On this valley (condition number about 120) one epoch of tuned SGD ends more than a thousand
# times closer to the best loss than one epoch of GD at its best η, and closer than 100 epochs
# of GD. That is SGD's advantage on large, redundant data sets: it starts learning after the
# first record instead of after the last, and it takes thousands of steps for the price of one
# pass.
#
# **Interview angle.** "How many iterations does one epoch of SGD take on 10,000 records?"
# 10,000: one forward and one backward pass per record. "And GD?" One.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
gap_gd = gd_one_epoch.loss_per_epoch[-1] - surface.f_min
gap_sgd = sgd_run.loss_per_epoch[-1] - surface.f_min
claim(gap_gd / gap_sgd, gt=1000, says="its gap to the best loss is over a thousand times smaller")
gap_gd_star = gd_star_epoch.loss_per_epoch[-1] - surface.f_min
gap_sgd_small = sgd_small.loss_per_epoch[-1] - surface.f_min
claim((lam_max - lam_min) / lam_min, lt=0.02, says="its two curvatures differ by about 1 %")
claim(gap_gd_star < gap_sgd, says="smaller than SGD's at η = 0.01")
claim(gap_gd_star / gap_sgd_small, gt=0.5, lt=2, says="about the same as SGD's at η = 0.002")
shift_sgd_gap = shift_sgd[shift_sgd_lr]
claim(shift_lams[1] / shift_lams[0], approx=120, rel=0.05, says="condition number about 120")
claim(shift_sgd_lr not in (SGD_GRID[0], SGD_GRID[-1]), says="with η tuned on a grid")
claim(shift_gd[1] / (shift_sgd_gap.mean() + shift_sgd_gap.std()), gt=1000,
      says="more than a thousand times closer to the best loss than one epoch of GD")
claim(shift_sgd_gap.max() < shift_gd[100], says="and closer than 100 epochs of GD")
claim(shift_gd[10] > 0.5 * shift_gd[1], says="GD at its own η* needs many epochs")
claim(sgd_run.iterations == n == 10_000, says="SGD has taken ten thousand rough ones")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Noisy steps
#
# **Right on average.** If record $i$ is drawn uniformly at random, the expected value of its
# gradient is the average over all records, which is exactly the full-batch gradient:
#
# $$\mathbb E_i\,[dW_i] = \frac1n\sum_{i=1}^n dW_i = dW.$$
#
# So SGD's gradient is an *unbiased* estimate of the true gradient. (The chapter's SGD, like the
# course's, shuffles instead: a fresh random order per epoch, so every record is used exactly
# once per epoch. Taken on its own, each step's record is uniform, so at a fixed W and b its
# gradient is unbiased. Within an epoch, though, a step draws from the records not used yet,
# while W and b already depend on those that were: given the current weights, the step is
# slightly biased (the random-reshuffling literature, e.g. Mishchenko et al. 2020, says so).
# Over the epoch every record counts exactly once, and in practice shuffling is at least as
# good as drawing with replacement, see d2l's section "Stochastic Gradients and Finite
# Samples".) But a single draw can be far
# from its mean. Below: the full gradient at the starting point, the average of 10,000 randomly
# drawn single-record gradients, and how much one draw typically deviates from it.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** one record's gradient is right on average but noisy; at the minimum the records
#   still pull, so with a constant η SGD jumps around in a cloud whose size grows with η.
# - **Demo:** the full gradient (dW = −4.957) next to the mean of 10,000 single-record gradients
#   (−5.027) and the spread of one record's gradient (8.154, larger than the gradient itself);
#   then the cloud of late iterates for η = 0.002, 0.01 and 0.05.
# - **Ask the room:** "Is the SGD gradient wrong?" **Answer:** right on average at fixed weights,
#   noisy; with reshuffling, given the current weights a late step of an epoch is slightly biased,
#   while every record still counts once per epoch.
# - **Cut when short:** the reshuffling remark in the first cell.

# %% tags=["slides-output-only"]
def per_record_grads(params):
    """The gradient (dW, db) of every record, as two arrays of length n."""
    error = X[:, 0] * params["W"][0] + params["b"][0] - y
    return 2 * error * X[:, 0], 2 * error


_, full = model.loss_and_grads(start, X, y)
dW_all, db_all = per_record_grads(start)
draws = np.random.default_rng(1).integers(0, n, size=10_000)
print(f"full-batch gradient:                   dW = {full['dW'][0]:+.3f}, db = {full['db'][0]:+.3f}")
print(f"mean of 10,000 random single records:  dW = {dW_all[draws].mean():+.3f}, "
      f"db = {db_all[draws].mean():+.3f}")
print(f"typical deviation of one record (std): dW = {dW_all.std():.3f}, db = {db_all.std():.3f}")

# %% [markdown]
# The average of the draws lands close to the full gradient (within a few standard errors,
# std/√10,000), while one draw typically misses it by more than the size of the gradient itself.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
standard_error = np.array([dW_all.std(), db_all.std()]) / np.sqrt(draws.size)
miss = np.abs([dW_all[draws].mean() - full["dW"][0], db_all[draws].mean() - full["db"][0]])
claim(float((miss / standard_error).max()), lt=4,
      says="The average of the draws lands close to the full gradient (within a few standard errors")
claim(min(dW_all.std() / abs(full["dW"][0]), db_all.std() / abs(full["db"][0])), gt=1,
      says="one draw typically misses it by more than the size of the gradient itself")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Never quite still.** At the minimum the full gradient is zero, that is what "minimum" means.
# On noisy data, where no single W and b fits every record, the single-record gradients are not
# zero there: each record still pulls towards its own best fit. So with a constant learning rate SGD cannot stop at the minimum; it keeps jumping
# around it, in a cloud whose size grows with η.

# %%
at_best = {"W": np.array([best_W]), "b": np.array([best_b])}
_, full_at_best = model.loss_and_grads(at_best, X, y)
dW_all, db_all = per_record_grads(at_best)
print("full gradient at the minimum is zero:      ",
      np.allclose([full_at_best["dW"][0], full_at_best["db"][0]], 0.0, atol=1e-10))
print(f"average size of one record's gradient there: |dW_i| = {np.abs(dW_all).mean():.3f}, "
      f"|db_i| = {np.abs(db_all).mean():.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The learning rate now decides a trade-off: a large η gets near the minimum in few updates but
# jumps around it in a wide cloud; a small η is slow but ends closer. Three SGD runs, one epoch
# each, same start, same order of records:

# %% tags=["slides-output-only"]
best = np.array([best_W, best_b])
runs = {}
print(f"{'η':>6} {'updates until within 0.1':>25} {'mean distance, last 2,000':>26} "
      f"{'loss − best after 1 epoch':>26}")
for lr in (0.002, 0.01, 0.05):
    res = sgd_run if lr == 0.01 else train(model, X, y, "gd", batch_size=1, epochs=1, lr=lr,
                                           params=start, rng=0, record_path=True,
                                           progress=False)
    runs[f"SGD, η = {lr:g}"] = res
    path = np.column_stack([res.path["W"][:, 0], res.path["b"][:, 0]])
    distance = np.linalg.norm(path - best, axis=1)
    print(f"{lr:>6g} {int(np.argmax(distance < 0.1)):>25,} {distance[-2000:].mean():>26.3f} "
          f"{res.loss_per_epoch[-1] - surface.f_min:>26.2e}")

# %% tags=["slides-output-only"]
fig, (ax_zoom, ax_loss) = plt.subplots(1, 2, figsize=(8, 3.5))
for (label, res), color in reversed(list(zip(runs.items(), plots.COLORS))):
    ax_zoom.plot(res.path["W"][-2000:, 0], res.path["b"][-2000:, 0], ".", markersize=1.5,
                 color=color, label=label)
ax_zoom.plot(best_W, best_b, "*", color="red", markeredgecolor="k", markersize=12, zorder=3)
ax_zoom.set(xlim=(best_W - 0.35, best_W + 0.35), ylim=(best_b - 0.35, best_b + 0.35),
            xlabel="W", ylabel="b")
ax_zoom.set_title("the last 2,000 updates (★ the minimum)", fontsize="medium")
ax_zoom.legend(fontsize="x-small", markerscale=6, loc="lower left")

full_loss = surface.fn(sgd_run.path["W"][1:, 0], sgd_run.path["b"][1:, 0])
shown = np.unique(np.geomspace(1, n - 1, 2000).astype(int))   # log-spaced: fast to draw
seen, whole = plots.plot_loss_curves(
    {"loss of the one record used (what SGD sees)": (shown, sgd_run.loss_per_iteration[shown]),
     "loss on all records, at the same W and b": (shown, full_loss[shown])}, ax=ax_loss)
seen.set(linewidth=0.5, alpha=0.6)
whole.set(linewidth=2)
plots.log_scale(ax_loss, "x")
ax_loss.legend(fontsize="x-small", loc="lower left")
ax_loss.set_title("SGD, η = 0.01", fontsize="medium")
fig.subplots_adjust(wspace=0.3)
plt.show()

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
cloud = {}
reach = {}
for label, res in runs.items():
    dist = np.linalg.norm(np.column_stack([res.path["W"][:, 0], res.path["b"][:, 0]]) - best,
                          axis=1)
    cloud[label], reach[label] = dist[-2000:].mean(), int(np.argmax(dist < 0.1))
sizes = list(cloud.values())
claim(reach["SGD, η = 0.05"] < reach["SGD, η = 0.01"] < reach["SGD, η = 0.002"],
      says="a large η gets near the minimum in few updates but jumps around it in a wide cloud")
claim(sizes[0] < sizes[1] < sizes[2], says="a small η is slow but ends closer")

# %% [markdown] slideshow={"slide_type": "subslide"}
# On the left, the cloud of late iterates shrinks with η. On the right, the loss SGD sees at each
# step (one record's squared error) jumps over many orders of magnitude, while the loss on the
# whole data set, measured at the same weights, falls steadily and then flattens at a level set
# by the noise. (The right panel draws a log-spaced subset of the iterations.) A noisy curve is
# not a broken training run; but to judge progress, look at a loss averaged over many records.
#
# Two cures follow in the course: average the gradient over a few records per step
# ([mini-batches, Chapter 3](03_minibatch_sgd.ipynb)), and average it over time
# ([exponentially weighted averages, Chapter 5](05_exponentially_weighted_average.ipynb), used by
# [momentum, Chapter 6](06_momentum.ipynb)). Shrinking η over time is a third, and the next
# section runs it.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
seen_late = sgd_run.loss_per_iteration[n // 2:]
claim(np.log10(seen_late.max() / seen_late.min()), gt=3,
      says="jumps over many orders of magnitude")
claim(full_loss[-2000:].std() < 0.1 * full_loss[:100].std(),
      says="falls steadily and then flattens at a level set by the noise")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Shrinking η: the cure for the noise floor
#
# The cloud's size grows with η, and a large η gets close fast. So start large and shrink η as
# training goes on. A classic schedule is
#
# $$\eta_t = \frac{\eta_0}{1 + t/\tau},$$
#
# with $t$ the update counter: η starts at $\eta_0$ and is halved after $\tau$ updates (Keras
# calls this `InverseTimeDecay`; in PyTorch it is a `LambdaLR` with the factor $1/(1 + t/\tau)$).
# Steps that shrink like $1/t$ still add up to an unlimited distance (so SGD can reach the
# minimum from anywhere) while the noise they inject adds up to a finite amount (so the cloud
# shrinks to a point): this is the classic condition $\sum_t \eta_t = \infty$,
# $\sum_t \eta_t^2 < \infty$ of Robbins and Monro.
#
# One epoch of SGD on the same data and the same start, with three learning rates: a constant
# large one, a constant small one, and the schedule from the large one with $\tau = 500$
# (so the last update uses $\eta_0/21$). Each run is repeated over 5 record orders (seeds):
# mean ± sd. The loop is the chapter's SGD step, written on Python floats.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** start large and shrink: η_t = η0/(1 + t/τ) keeps the fast start of a large η and
#   shrinks the cloud like a small one.
# - **Demo:** the table over 5 seeds: constant η = 0.05 (38 updates to within 0.1, a cloud of
#   0.1475), constant η = 0.002 (876 updates, 0.0259), the schedule (40 updates, 0.0300).
# - **Ask the room:** "Why not use the small η from the start?" **Answer:** it needs hundreds of
#   updates to get close, where the large one needs tens.
# - **Cut when short:** the Robbins-Monro condition.

# %% tags=["slides-output-only"]
def sgd_with_schedule(lr_at, seed, last=2000):
    """One epoch of SGD from `start` with learning rate lr_at(t) at update t = 0, 1, ...
    Returns (updates until within 0.1 of the minimum, mean distance over the last updates)."""
    W, b = float(start["W"][0]), float(start["b"][0])
    x_list, y_list = X[:, 0].tolist(), y.tolist()
    reached, distances = None, []
    for t, i in enumerate(np.random.default_rng(seed).permutation(n).tolist()):
        g = 2.0 * (x_list[i] * W + b - y_list[i])          # db_i; dW_i = g * x_i
        lr_t = lr_at(t)
        W, b = W - lr_t * g * x_list[i], b - lr_t * g
        distance = ((W - best_W) ** 2 + (b - best_b) ** 2) ** 0.5
        if reached is None and distance < 0.1:
            reached = t + 1
        if t >= n - last:
            distances.append(distance)
    return reached, float(np.mean(distances))


ETA_0, TAU, SEEDS = 0.05, 500, range(5)
schedules = {"constant η = 0.05": lambda t: ETA_0,
             "constant η = 0.002": lambda t: 0.002,
             "η0 / (1 + t/τ), η0 = 0.05": lambda t: ETA_0 / (1 + t / TAU)}
decay = {name: np.array([sgd_with_schedule(lr_at, seed) for seed in SEEDS], dtype=float)
         for name, lr_at in schedules.items()}
print(f"{'':>27} {'updates until within 0.1':>25} {'mean distance, last 2,000':>26}")
for name, r in decay.items():
    print(f"{name:>27} {r[:, 0].mean():>15.0f} ± {r[:, 0].std():<7.0f} "
          f"{r[:, 1].mean():>17.4f} ± {r[:, 1].std():.4f}")
print(f"η at the last update of the schedule: {schedules[list(schedules)[2]](n - 1):.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The schedule gets the best of both: it comes within 0.1 of the minimum about as fast as the
# large constant η (tens of updates, where the small η needs hundreds), and it ends in a cloud
# several times smaller than the large η's, about as small as the small η's. The spread over the
# seeds is much smaller than these differences. Keep shrinking and the cloud keeps shrinking; a
# constant η never gets below its floor.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
big_eta, small_eta, sched = (decay[k] for k in schedules)
claim(sched[:, 0].mean(), lt=2 * big_eta[:, 0].mean(),
      says="it comes within 0.1 of the minimum about as fast as the large constant η")
claim(sched[:, 0].max(), lt=100, says="tens of updates")
claim(small_eta[:, 0].min(), gt=100, says="where the small η needs hundreds")
claim(big_eta[:, 1].mean() / sched[:, 1].mean(), gt=3,
      says="it ends in a cloud several times smaller than the large η's")
claim(sched[:, 1].mean() / small_eta[:, 1].mean(), lt=1.5, says="about as small as the small η's")
claim(max(sched[:, 1].std(), big_eta[:, 1].std()),
      lt=0.25 * (big_eta[:, 1].mean() - sched[:, 1].mean()),
      says="The spread over the seeds is much smaller than these differences")
claim(ETA_0 / (1 + (n - 1) / TAU), approx=ETA_0 / 21, rel=1e-3,
      says="so the last update uses")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Memory and time per update
#
# Per **update**, SGD is as cheap as it gets: one record in, one small gradient out. Here is one
# update measured on a larger data set (100,000 records of 20 features): the extra memory it
# allocates (`tracemalloc`, as in Chapter 1) and its time, next to one full-batch update on the
# same data. The data set itself is the same for both; SGD just does not need it all at once (it
# could read one record at a time from a memory-mapped file, as in Chapter 1).
#
# What is timed is the course's **cost of one update**: the gradient on one batch plus the
# update, here through the generic path of this chapter's first cells (`model.loss_and_grads`,
# then `OPTIMIZERS["gd"].update`). All the timings of this chapter are taken in the next cell,
# together, with the course's timer `time_together` (interleaved rounds, the median of 5), so
# that their ratios come from one run on one machine load. The text quotes only ratios.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** per update SGD is as cheap as it gets: one record in, one small gradient out.
# - **Demo:** the two ratios on 100,000 records: less than 1 % of the memory of a GD update, more
#   than 10 times faster.
# - **Ask the room:** "Does one SGD update need the whole data set in memory?" **Answer:** no: one
#   record; it could read one record at a time from a memory-mapped file.

# %% tags=["nbval-ignore-output", "slides-output-only"]
wide = make_regression(n=100_000, d=20, noise=0.5, rng=1)
wide_model = LinearRegression(20)
wide_params = {"W": np.zeros(20), "b": np.zeros(1)}
gd = OPTIMIZERS["gd"]
gd_state = gd.init(wide_params)
STEPS = 2_000                                   # SGD loops are timed on 2,000 records
Xs, ys = wide.X[:STEPS], wide.y[:STEPS]


def one_update(Xb, yb):
    """The cost of one update: forward + backward pass on (Xb, yb), then one GD step."""
    _, grads = wide_model.loss_and_grads(wide_params, Xb, yb)
    return gd.update(wide_params, grads, gd_state, lr=0.01)


def extra_memory(Xb, yb):
    """Peak MB that one update allocates on top of what was there."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    one_update(Xb, yb)
    extra = (tracemalloc.get_traced_memory()[1] - before) / 1e6
    tracemalloc.stop()
    return extra


def sgd_epoch_in_train():
    """The library's training loop, SGD on the 2,000 records (its loop overhead included)."""
    train(wide_model, Xs, ys, "gd", batch_size=1, epochs=1, lr=0.01, params=wide_params,
          rng=0, progress=False)


def plain_numpy_loop():
    """SGD on the 2,000 records as one would first write it: new arrays at every step."""
    W, b = np.zeros(20), 0.0
    for k in range(STEPS):
        e = Xs[k] @ W + b - ys[k]
        W = W - 0.01 * 2 * e * Xs[k]
        b = b - 0.01 * 2 * e


def dot_only_loop():
    """Less than one SGD step per record: only the forward dot product x_k · W."""
    W = np.zeros(20)
    for k in range(STEPS):
        Xs[k] @ W


memory = {"SGD": extra_memory(wide.X[:1], wide.y[:1]), "GD": extra_memory(wide.X, wide.y)}
timed = time_together({"SGD update, generic path": lambda: one_update(wide.X[:1], wide.y[:1]),
                       "GD update, generic path": lambda: one_update(wide.X, wide.y),
                       "SGD in train": sgd_epoch_in_train,
                       "plain NumPy loop": plain_numpy_loop,
                       "dot-only loop": dot_only_loop}, repeat=5)
seconds = {name: t.seconds for name, t in timed.items()}
for name in ("SGD in train", "plain NumPy loop", "dot-only loop"):   # per record (per step)
    seconds[name] /= STEPS

print(f"one SGD update (1 record):        extra memory {memory['SGD'] * 1e3:9.2f} kB, "
      f"time {seconds['SGD update, generic path'] * 1e6:9.1f} µs")
print(f"one GD update (100,000 records):  extra memory {memory['GD'] * 1e3:9.2f} kB, "
      f"time {seconds['GD update, generic path'] * 1e6:9.1f} µs")

# %% slideshow={"slide_type": "subslide"}
sgd_vs_gd_memory = memory["GD"] / memory["SGD"]
sgd_vs_gd_time = seconds["GD update, generic path"] / seconds["SGD update, generic path"]
print("one SGD update needs less than 1 % of the memory of a GD update:", sgd_vs_gd_memory > 100)
print("one SGD update is more than 10 times faster than one GD update: ", sgd_vs_gd_time > 10)

# %% [markdown]
# One SGD update needs less than 1 % of the memory of a GD update on these 100,000 records, and
# one SGD update is more than 10 times faster (both ratios grow with the number of records).

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(sgd_vs_gd_memory, gt=100, says="One SGD update needs less than 1 % of the memory")
claim(sgd_vs_gd_time, gt=10, says="one SGD update is more than 10 times faster")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Time per epoch
#
# Now the catch. An epoch of SGD is $n$ updates, and each one is a separate trip through Python:
# slicing out the record, computing the error, the optimizer step, the bookkeeping. Full-batch
# GD does the **same arithmetic** (every record's gradient, once per epoch) inside a single
# vectorised `X.T @ r`, where NumPy runs a tight compiled loop.
#
# Timing a whole SGD epoch on 100,000 records would take a while, so the cell above timed SGD
# on 2,000 records and we extrapolate (the time per step does not depend on $n$). Three SGD
# loops were timed, per record:
#
# - the library's `train` with `batch_size=1`, its whole loop included;
# - the plain NumPy loop one would first write (`W = W - η·2e·x`: new arrays at every step);
# - a loop that does *less* than SGD: only the forward dot product $x_k \cdot W$ of each record,
#   no gradient, no update. It is the floor of any NumPy loop over single records.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** the catch: an epoch of SGD is n trips through Python, and per epoch it loses to GD
#   by more than 30 times on the same arithmetic.
# - **Demo:** the extrapolated epoch times, then the dot-only loop: even one dot product per
#   record costs more than 10 times GD's whole step per record.
# - **Ask the room:** "One SGD epoch does the same arithmetic as one full-batch GD update. Why is
#   it much slower?" **Answer:** n Python-level steps, each paying interpreter and call overhead,
#   and no vectorisation across records.
# - **Cut when short:** the paragraph on the generic path against `train`.

# %% tags=["nbval-ignore-output", "slides-output-only"]
gd_epoch = seconds["GD update, generic path"]           # one GD update is one GD epoch
print("extrapolated to one epoch:")
for records in (10_000, 100_000, 1_000_000):
    print(f"  {records:>9,} records: SGD in train {records * seconds['SGD in train']:8.3f} s, "
          f"GD {gd_epoch * records / 100_000:8.4f} s")
print("time per record:")
for name in ("SGD in train", "plain NumPy loop", "dot-only loop"):
    print(f"  {name:<18} {seconds[name] * 1e6:7.2f} µs")
print(f"  {'GD (vectorised)':<18} {gd_epoch / 100_000 * 1e9:7.0f} ns")
print("one SGD update, generic path: "
      f"{seconds['SGD update, generic path'] / seconds['SGD in train']:.0f} times a step of train")
print(f"a step of train / a step of the plain NumPy loop: "
      f"{seconds['SGD in train'] / seconds['plain NumPy loop']:.2f}")

# %% slideshow={"slide_type": "subslide"}
per_record_gd = gd_epoch / 100_000
epoch_ratio = seconds["SGD in train"] / per_record_gd
floor_ratio = seconds["dot-only loop"] / per_record_gd
print(f"an SGD epoch (train) takes more than 30 times as long as a GD epoch: {epoch_ratio > 30}")
print(f"the dot-only loop costs more than 10 times GD's time per record:    {floor_ratio > 10}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Per update, SGD wins by a mile; per epoch, it loses by a wide margin: more than 30 times, on
# the same arithmetic. The loop that only computes one dot product per record, a fraction of an
# SGD step, still costs more than 10 times as much per record as GD's whole vectorised step: the
# overhead is Python's (an interpreted loop, and a NumPy call per record, each costing
# microseconds, where the compiled loop spends nanoseconds per record), and no tuning inside
# the step removes it.
#
# Two figures for "one SGD update" appear above, and they differ on purpose. Through the generic
# path (`loss_and_grads`, then `update`, as a learner calls them) one update costs more than ten
# times as much as a step inside `train` (the ratio is printed above), because every call checks its inputs and builds new dicts and
# arrays; `train` checks once before the loop and then runs a fused SGD path (W and b in one
# vector updated in place, the record's error and loss on Python floats, only a finiteness test
# per step). A step of `train` and a step of the plain NumPy loop cost the same order of
# magnitude (their ratio, printed above, changes from run to run and machine to machine): each
# makes a handful of NumPy calls per record, and `train` also shuffles, checks and records every
# loss. Neither escapes the per-record overhead.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(epoch_ratio, gt=30, says="per epoch, it loses by a wide margin: more than 30 times")
claim(floor_ratio, gt=10, says="costs more than 10 times as much per record as GD's whole vectorised step")
claim(seconds["SGD update, generic path"] / seconds["SGD in train"], gt=10,
      says="one update costs more than ten times as much as a step inside `train`")
claim(seconds["SGD in train"] / seconds["plain NumPy loop"], gt=0.2, lt=5,
      says="cost the same order of magnitude")

# %% [markdown]
# Frameworks on a GPU make this worse, not better: launching work on the device has its own
# fixed cost per step, and one record cannot keep thousands of cores busy.
#
# **Interview angle.** "SGD steps are cheap, so why is an epoch of SGD slow?" Thousands of tiny
# steps, each paying interpreter and call overhead, and no vectorisation across records. The
# cure that keeps most of SGD's benefits is the mini-batch.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it: the batch-size explorer
#
# GD, SGD and a mini-batch run on one small regression data set, side by side: their paths over
# the loss landscape, the loss after each iteration, and after each measured second. Move the
# learning rate and watch SGD's cloud grow; change the number of epochs and compare "loss per
# iteration" with "loss per second". (The mini-batch slider belongs to
# [Chapter 3](03_minibatch_sgd.ipynb); try it already. The widget needs a running kernel.)

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** noise against η, and iterations against seconds.
# - **Demo:** `batch_size_explorer(n=200, batch_size=20, lr=0.05, epochs=10)`: raise the learning
#   rate and watch SGD's cloud widen around the minimum; add epochs and compare the
#   loss-per-iteration panel with the loss-per-second panel.
# - **Ask the room:** "What happens to SGD's cloud when η grows?" **Answer:** it widens: its size
#   grows with η.

# %% tags=["nbval-ignore-output"]
from course_lib.widgets import batch_size_explorer

batch_size_explorer(n=200, batch_size=20, lr=0.05, epochs=10)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Complete each function (in the student copy its body is `raise NotImplementedError`: replace
# that line with your code), then run the `check` cell. `hint(name)` gives a nudge, then the formula, then pseudo-code.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** sample_gradient and sgd_epoch; the race visits the 10,000 records in the library's
#   order.
# - **Demo:** show the two tasks; the race ends at the same point after 10,000 updates.
# - **Ask the room:** "What does sgd_epoch take from rng?" **Answer:** the order of the records,
#   `rng.permutation(n)`, so both runs visit them alike.
# - **Cut when short:** set them as homework.

# %%
from course_lib.exercises import check, hint, list_exercises

list_exercises(chapter=2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1: the gradient of one record
#
# `sample_gradient(params, x, y)` returns `{"dW": ..., "db": ...}` for the squared error
# $(x\cdot W + b - y)^2$ of **one** record: `x` has shape `(d,)`, `y` is a number.

# %%
def sample_gradient(params, x, y):
    """Gradient of the squared error of one record."""
    ### BEGIN SOLUTION
    error = x @ params["W"] + params["b"] - y
    return {"dW": 2.0 * error * x, "db": 2.0 * error}
    ### END SOLUTION


# %%
check("sample_gradient", sample_gradient)

# %% slideshow={"slide_type": "skip"}
hint("sample_gradient")

# %% [markdown]
# Against the library's model on record 7 of this chapter's data:

# %% slideshow={"slide_type": "skip"}
try:
    yours = sample_gradient({"W": params["W"], "b": params["b"][0]}, X[i], y[i])
    print("dW agrees with LinearRegression on one record:", np.allclose(yours["dW"], grads_i["dW"]))
    print("db agrees with LinearRegression on one record:", np.allclose(yours["db"], grads_i["db"]))
except NotImplementedError:
    print("Complete `sample_gradient` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: one epoch of SGD
#
# `sgd_epoch(params, X, y, *, lr, rng)` visits the records in the order `rng.permutation(n)` and
# updates `W` and `b` after each one with its gradient (your `sample_gradient` helps). It
# returns the new params after the $n$ updates and leaves the inputs unchanged.

# %%
def sgd_epoch(params, X, y, *, lr, rng):
    """One epoch of SGD: one update per record, in a random order."""
    ### BEGIN SOLUTION
    W, b = params["W"], params["b"]
    for k in rng.permutation(len(y)):
        grads = sample_gradient({"W": W, "b": b}, X[k], y[k])
        W = W - lr * grads["dW"]
        b = b - lr * grads["db"]
    return {"W": W, "b": b}
    ### END SOLUTION


# %%
check("sgd_epoch", sgd_epoch)

# %% slideshow={"slide_type": "skip"}
hint("sgd_epoch")

# %% [markdown]
# The race: your epoch against the library's SGD run from the start of the chapter (same start,
# η = 0.01, and `rng=0`, so both visit the 10,000 records in the same order).

# %% slideshow={"slide_type": "skip"}
try:
    mine = sgd_epoch(start, X, y, lr=0.01, rng=np.random.default_rng(0))
    print(f"yours:   W = {mine['W'][0]:+.6f}, b = {mine['b'][0]:+.6f}")
    print(f"library: W = {sgd_run.params['W'][0]:+.6f}, b = {sgd_run.params['b'][0]:+.6f}")
    print("the same point after 10,000 updates:",
          np.allclose(mine["W"], sgd_run.params["W"]) and np.allclose(mine["b"], sgd_run.params["b"]))
except NotImplementedError:
    print("Complete `sgd_epoch` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# 1. *"1,000 records, SGD, 5 epochs: how many updates?"* 1,000 per epoch, 5,000 in all.
# 2. *"Why is the SGD loss curve so noisy?"* Each step uses one record's gradient: right on
#    average (unbiased) but with a large variance, and different records pull in different
#    directions. The loss of one record also varies wildly from record to record.
# 3. *"Why is an epoch of SGD slow in NumPy although each step is cheap?"* Per-step Python
#    overhead, thousands of times, and no vectorisation across records: see "Time per epoch".

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** three questions out loud: counting updates, the noise, the slow epoch.
# - **Demo:** let the room answer each question before you reveal its answer; `quiz(chapter=2)`
#   for self-study.
# - **Ask the room:** "Why is the SGD loss curve so noisy?" **Answer:** each step uses one
#   record's gradient: right on average but with a large variance, and one record's loss varies
#   wildly from record to record.
# - **Cut when short:** leave the quiz as homework.

# %% tags=["nbval-ignore-output"]
from course_lib.quiz import quiz

quiz(chapter=2)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - SGD updates after **every record**: $n$ updates per epoch, each one a cheap forward and
#   backward pass on a single record, with tiny memory.
# - Its gradient is right on average but noisy. It gets near the minimum after a fraction of an
#   epoch, then jitters around it; a larger η means faster progress and a wider cloud.
# - A learning rate that shrinks over time, $\eta_t = \eta_0/(1 + t/\tau)$, keeps the fast start
#   of a large η and shrinks the cloud like a small η.
# - **What it leaves open:** the noise, and the speed of an epoch. Thousands of tiny Python
#   steps throw away the vectorised arithmetic that made a full-batch pass fast.
#
# The fix takes the best of both: update on a **mini-batch** of a few dozen to a thousand records. Each
# step is vectorised, cheap in memory, and less noisy. That is
# [Chapter 3](03_minibatch_sgd.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** n cheap updates per epoch, noisy but right on average; a shrinking η settles it;
#   the noise and the slow epoch are left open.
# - **Demo:** no code: read the summary.
# - **Ask the room:** "Which fix takes the best of GD and SGD?" **Answer:** the mini-batch:
#   Chapter 3.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(max(reach.values()) / n, lt=0.1, says="It gets near the minimum after a fraction of an epoch")
