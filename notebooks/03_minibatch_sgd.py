# %% [markdown] slideshow={"slide_type": "slide"}
# # Chapter 3 · Mini-batch SGD
#
# **What you will be able to do**
#
# - describe mini-batch SGD as gradient descent on a fixed-size batch of records, with full-batch
#   GD (batch = every record) and SGD (batch = 1 record) as its two extremes;
# - compare GD, SGD and mini-batch SGD on one problem: their paths, their loss per update and per
#   second, and the memory one update needs;
# - explain why the mini-batch path zig-zags, and why it still reaches the region of the minimum;
# - say how the batch size and the learning rate change the size of that region, scale the
#   learning rate with the batch size (the linear-scaling rule), and say where that stops working.
#
# **Where this sits in the story.** [Chapter 1](01_gradient_descent.ipynb) computed the exact
# gradient on *all* records for every update: a smooth path, but each update costs a full pass
# over the data and needs all of it in memory. [Chapter 2](02_sgd.ipynb) went to the other
# extreme, one record per update: cheap steps, but a very noisy path and thousands of Python-level
# steps per epoch. Mini-batch SGD takes the middle road, and it is what almost every network is
# trained with today. Its leftover problem, the zig-zag, is what the next chapters smooth away.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** mini-batch SGD is gradient descent on a fixed-size batch, with GD and SGD as its
#   two extremes: what almost every network is trained with.
# - **Demo:** no code: the learning goals.
# - **Ask the room:** "What was GD's problem, and what was SGD's?" **Answer:** GD: every update
#   costs a full pass over the data; SGD: a noisy path and slow Python epochs.

# %% slideshow={"slide_type": "skip"}
# %matplotlib inline
import itertools
import math
import tracemalloc

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from course_lib import plots
from course_lib.claims import claim
from course_lib.data import iterations_per_epoch, make_regression, minibatches
from course_lib.exercises import check, hint
from course_lib.models import LinearRegression
from course_lib.optimizers import OPTIMIZERS
from course_lib.quiz import quiz
from course_lib.timing import time_together
from course_lib.training import train
from course_lib.widgets import batch_size_explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The idea: a fixed batch size
#
# Fix a **batch size** $B$, say 100 records out of 10,000. Shuffle the records, cut them into
# batches of $B$, and take one gradient-descent step per batch: forward pass on the batch, loss,
# backward pass, update. Nothing else changes.
#
# A batch is a sample of the data, so its gradient is an *estimate* of the full gradient: close
# to it, but not equal, and different for every batch. The picture shows this on the problem we
# use all chapter: a linear regression $\hat y = xW + b$ with one feature, so that the two
# parameters $(W, b)$ are a point on a contour plot of the loss. From one point, the black arrow
# is the step of full-batch GD; the thin arrows are the steps that 30 different batches of 10
# records (orange) and of 100 records (green) would take.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** a batch gradient estimates the full gradient: noisy but right on average; the batch
#   size B is the only knob.
# - **Demo:** the arrows: 30 batches of 10 (orange) scatter more around GD's black arrow than
#   batches of 100 (green); then the updates per epoch: 1, 10, 100, 10,000.
# - **Ask the room:** "Mini-batch SGD with the batch size equal to the number of records is ...?"
#   **Answer:** full-batch GD; with batch size 1 it is SGD.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
data = make_regression(n=10_000, d=1, noise=0.5, rng=0)
model = LinearRegression(1)
w_best, b_best = plots.regression_surface(data.X, data.y).minima[0]   # the least-squares fit
start = (w_best - 2.5, b_best + 2.0)
surface = plots.regression_surface(data.X, data.y, start=start)        # the loss over (W, b)
params0 = {"W": np.array([start[0]]), "b": np.array([start[1]])}
eta = 0.1


def step_of(X_batch, y_batch, params=params0):
    """The GD step -η·(dW, db) computed on one batch."""
    _, grads = model.loss_and_grads(params, X_batch, y_batch)
    return -eta * np.array([grads["dW"][0], grads["db"][0]])


gen, scatter = np.random.default_rng(1), {}
fig, ax = plt.subplots(figsize=(8, 3.6))
plots.plot_contour(surface, ax=ax, levels=15, alpha=0.6)
for B, color in ((10, "tab:orange"), (100, "tab:green")):
    steps = np.array([step_of(X_b, y_b) for X_b, y_b in
                      itertools.islice(minibatches(data.X, data.y, B, rng=gen), 30)])
    scatter[B] = np.linalg.norm(steps - step_of(data.X, data.y), axis=1).mean()
    ax.quiver(np.full(30, start[0]), np.full(30, start[1]), steps[:, 0], steps[:, 1],
              angles="xy", scale_units="xy", scale=1, color=color, width=0.004, alpha=0.6,
              label=f"30 batches of B = {B}")
full = step_of(data.X, data.y)
ax.quiver(start[0], start[1], full[0], full[1], angles="xy", scale_units="xy", scale=1,
          color="k", width=0.008, label="full batch (GD)")
ax.set_xlim(start[0] - 0.7, start[0] + 1.5)
ax.set_ylim(start[1] - 1.2, start[1] + 0.5)
ax.set_xlabel("W")
ax.set_ylabel("b")
ax.set_title("one step from the same point, computed on different batches", fontsize="medium")
ax.legend(fontsize="small", loc="upper right")
plt.show()

# %% [markdown]
# Every coloured arrow points roughly downhill, and they scatter around the black one. With
# $B = 100$ (green) they scatter less than with $B = 10$ (orange): a bigger batch is a better
# estimate. That is the whole chapter in one picture: **mini-batch steps are noisy, but right on
# average.**

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(scatter[100] < scatter[10], says="With $B = 100$ (green) they scatter less than with $B = 10$ (orange)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The batch size is the only knob:
#
# | batch size $B$ | name | updates per epoch |
# |---|---|---|
# | $n$ (every record) | gradient descent (full batch) | 1 |
# | between 1 and $n$ | mini-batch SGD | $\lceil n / B \rceil$ |
# | 1 | stochastic gradient descent (SGD) | $n$ |
#
# For our 10,000 records, the library counts them (Chapter 4 is all about this count):

# %%
for label, B in (("GD (full batch)", None), ("mini-batch 1,000", 1000),
                 ("mini-batch 100", 100), ("SGD (batch 1)", 1)):
    print(f"{label:18s} {iterations_per_epoch(data.n, B):>6,} updates per epoch")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The update rule
#
# Let $\mathcal{B}$ be the set of records in the current batch and $|\mathcal{B}|$ its size
# (the last batch of an epoch may be smaller). The loss of the batch is the mean squared error
# over its records, and its gradient is the mean of the records' gradients:
#
# $$L_{\mathcal B} = \frac{1}{|\mathcal B|}\sum_{i \in \mathcal B} (x_i W + b - y_i)^2,
# \qquad dW = \frac{2}{|\mathcal B|}\sum_{i \in \mathcal B} (x_i W + b - y_i)\, x_i,
# \qquad db = \frac{2}{|\mathcal B|}\sum_{i \in \mathcal B} (x_i W + b - y_i)$$
#
# and the update is the one of Chapter 1, unchanged:
#
# $$W = W - \eta\, dW, \qquad b = b - \eta\, db$$
#
# Using the **mean** (not the sum) over the batch keeps the *expected* step independent of $B$:
# averaged over all possible batches, a step on 10 records and a step on 1,000 records are the
# same step, the full-batch one. With the sum, the step would grow in proportion to $B$. What
# changes with $B$ at a fixed $\eta$ is the noise of the step, and that noise matters: it sets how
# close to the minimum the path gets, so the best $\eta$ does depend on $B$ (the end of this
# chapter measures it, and gives the rule of thumb for changing one with the other).
#
# Here is one step on one batch of 100 records, first line by line in NumPy, then with the
# library functions every chapter uses:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** the rule is unchanged; dW is the mean over the batch, so the expected step does not
#   depend on B.
# - **Demo:** one step on a batch of 100, by hand and with the library: the same numbers.
# - **Ask the room:** "Why the mean over the batch and not the sum?" **Answer:** with the sum the
#   step would grow in proportion to B.
# - **Cut when short:** show the library line only.

# %% tags=["slides-output-only"]
batch = next(minibatches(data.X, data.y, 100, rng=np.random.default_rng(0)))
X_b, y_b = batch
W, b = params0["W"], params0["b"]

error = X_b @ W + b - y_b                      # forward pass and error, one per record
dW = 2 / len(y_b) * (X_b.T @ error)            # mean gradient over the batch
db = 2 / len(y_b) * error.sum()
W_new, b_new = W - eta * dW, b - eta * db      # the gradient-descent step
print(f"by hand:  dW = {dW[0]:.6f}, db = {db:.6f}  ->  W = {W_new[0]:.6f}, b = {b_new[0]:.6f}")

loss, grads = model.loss_and_grads(params0, X_b, y_b)          # forward + backward
gd = OPTIMIZERS["gd"]
new_params, _ = gd.update(params0, grads, gd.init(params0), lr=eta)   # W = W - eta * dW
print(f"library:  dW = {grads['dW'][0]:.6f}, db = {grads['db'][0]:.6f}  ->  "
      f"W = {new_params['W'][0]:.6f}, b = {new_params['b'][0]:.6f}")
assert np.allclose(W_new, new_params["W"]) and np.allclose(b_new, new_params["b"])

# %% [markdown] slideshow={"slide_type": "subslide"}
# The optimizer is plain `"gd"`: mini-batch SGD is not a new update rule, it is the same rule
# fed with a different batch. That is why `course_lib.training.train` runs GD, SGD and mini-batch
# SGD with one loop, and only its `batch_size` argument changes.
#
# > **Interview angle.** "What is the difference between GD, SGD and mini-batch SGD?" Only how
# > many records each update looks at: all of them, one, or a fixed batch of $B$. The update
# > formula is identical.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## GD, SGD and mini-batch side by side
#
# Same data, same start, same learning rate $\eta = 0.1$; only the batch size changes. Each run
# gets enough epochs to reach the region of the minimum: full-batch GD makes one update per
# epoch, so it needs many epochs; SGD makes 10,000 per epoch, so one epoch is plenty.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 10 min**
#
# - **Point:** per update GD and the mini-batches fall alike at first, then the noisy runs level
#   off at a floor; per second, the cost of one update decides; per update, memory and time depend
#   on B, not on n.
# - **Demo:** the four runs at η = 0.1 (GD, mini-batch 1,000 and 100, SGD): the paths with the
#   zoom, the loss per update and per second, then the memory and time table, where GD grows with
#   n and a mini-batch stays put.
# - **Ask the room:** "Why mini-batches instead of the full batch for 20 million records?"
#   **Answer:** memory and compute per update depend on B, not on n; ⌈n/B⌉ updates per epoch
#   instead of one; and the code stays vectorised.
# - **Cut when short:** the paragraph on `train`'s timing column against the bare update.

# %% tags=["slides-output-only"]
setups = {  # label: (batch size, epochs)
    "GD (full batch)": (None, 30),
    "mini-batch 1,000": (1000, 3),
    "mini-batch 100": (100, 1),
    "SGD (batch 1)": (1, 1),
}
runs = {label: train(model, data.X, data.y, "gd", batch_size=B, epochs=epochs, rng=0,
                     params=params0, record_path=True, progress=False, lr=eta)
        for label, (B, epochs) in setups.items()}


def path_and_gap(result):
    """The path in (W, b) and the full-data loss gap L - L_min after every update."""
    path = np.column_stack([result.path["W"][:, 0], result.path["b"][:, 0]])
    return path, plots.loss_gap(surface.fn(path[:, 0], path[:, 1]), surface.f_min)


print(f"{'':18s} {'epochs':>6s} {'updates':>8s} {'final loss - best':>18s}")
for label, res in runs.items():
    _, gap = path_and_gap(res)
    print(f"{label:18s} {res.epochs_run:>6d} {res.iterations:>8,} {gap[-1]:>18.2g}")

# %% [markdown]
# The paths in $(W, b)$: on the left the whole walk of all four, on the right a zoom on the
# minimum (red star) without SGD, whose cloud would cover everything there.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
fig, (ax, zoom) = plt.subplots(1, 2, figsize=(9, 3.6))
fig.subplots_adjust(wspace=0.3)
drawn = plots.plot_batch_paths(surface, runs, ax=ax)
for line in drawn["lines"][1:]:
    line.set(marker="", linewidth=0.7)          # thin lines keep the noisy paths readable
drawn["lines"][-1].set(alpha=0.5, zorder=2)     # SGD behind the others
ax.legend(fontsize="x-small", loc="upper right")
ax.set_title("the whole path", fontsize="medium")
calm = {label: res for label, res in runs.items() if res.batch_size != 1}
plots.plot_batch_paths(surface, calm, ax=zoom)
zoom.get_legend().remove()
zoom.set_xlim(w_best - 0.12, w_best + 0.08)
zoom.set_ylim(b_best - 0.06, b_best + 0.14)
zoom.set_title("zoom on the minimum (without SGD)", fontsize="medium")
for a in (ax, zoom):
    a.set_xlabel("W")
    a.set_ylabel("b")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# - **GD** (thick blue) goes straight down the bowl and stops on the minimum.
# - **Mini-batch 1,000** follows almost the same line: 1,000 records estimate the gradient well.
# - **Mini-batch 100** wobbles a little near the end.
# - **SGD** heads for the minimum too, less steadily, then keeps jumping around it: a single
#   record is a very noisy estimate.
#
# Now the loss: per update (how much each update achieves) and per second (what an update
# costs). For "per second" we need the cost of one update, and the course counts it the same way
# in every chapter: **the cost of one update is the gradient and the step on one batch**, as in
# the by-hand cell above, with the batch already in hand. Next to it we time what `train` spends
# per update: one epoch of `train` divided by its number of updates. Every timing in this chapter
# comes from the course's one timer, `course_lib.timing.time_together`, which runs the candidates
# in interleaved rounds (so a burst of load on the machine hits them all alike) and reports the
# median; the text quotes only ratios, since absolute times change from machine to machine.

# %% tags=["nbval-ignore-output", "slides-output-only"]
def update_on(X_b, y_b):
    """One update, as the course counts its cost: the gradient on one batch and the step."""
    _, grads = model.loss_and_grads(params0, X_b, y_b)
    return gd.update(params0, grads, gd.init(params0), lr=eta)


def train_one_epoch(B):
    return lambda: train(model, data.X, data.y, "gd", batch_size=B, epochs=1, rng=0,
                         params=params0, progress=False, lr=eta)


updates, epochs = {}, {}
for label, (B, _) in setups.items():
    X_b, y_b = (data.X, data.y) if B is None else (data.X[:B], data.y[:B])
    updates[label] = lambda X_b=X_b, y_b=y_b: update_on(X_b, y_b)
    epochs[label] = train_one_epoch(B)
# the updates are cheap: many short rounds, so that some of them run undisturbed by other work
update_timing = time_together(updates, repeat=25, min_round=0.002)
train_timing = time_together(epochs, repeat=5, min_round=0.005)

one_update = {label: update_timing[label].seconds for label in setups}
train_epoch = {label: train_timing[label].seconds for label in setups}
train_update = {label: train_epoch[label] / runs[label].iterations_per_epoch for label in setups}
print(f"{'':18s} {'one update (µs)':>16s} {'train, per update (µs)':>23s} "
      f"{'train, one epoch (ms)':>22s}")
for label in setups:
    print(f"{label:18s} {1e6 * one_update[label]:16.1f} {1e6 * train_update[label]:23.1f} "
          f"{1e3 * train_epoch[label]:22.2f}")
print(f"\ncost of one update: largest / smallest = "
      f"{max(one_update.values()) / min(one_update.values()):.1f};  updates per epoch: "
      f"largest / smallest = {runs['SGD (batch 1)'].iterations_per_epoch:,}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The two columns of "per update" differ because they count different things: `train`'s figure
# adds its loop's own work (the shuffle, gathering each batch, recording the loss, the full-data
# loss at the end of the epoch) but runs each step through a fused kernel without the argument
# checks and dictionaries of `loss_and_grads` and `update`, so for small batches, where that
# saving is repeated thousands of times, it is several times cheaper than one update (for
# full-batch GD it is the other way round: its single update per epoch also pays for the loop's
# full-data losses, before and after the epoch, so `train`'s figure is the larger one).

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(one_update["SGD (batch 1)"] / train_update["SGD (batch 1)"], gt=3,
      says="it is several times cheaper than one update")
claim(train_update["GD (full batch)"], gt=one_update["GD (full batch)"],
      says="so `train`'s figure is the larger one")

# %% [markdown]
# The runs above were trained by `train`, so the loss per second spreads each run's updates
# evenly over `train`'s time per update. Both axes are logarithmic.

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output", "slides-output-only"]
def log_spaced(k, points=1000):
    """At most `points` indices of 1..k, spread evenly on a log axis (which cannot show more)."""
    return np.unique(np.geomspace(1, k, points).astype(int))


curves_it, curves_sec = {}, {}
for label, res in runs.items():
    _, gap = path_and_gap(res)
    k = log_spaced(res.iterations)                                  # updates 1, 2, ..., drawn
    curves_it[label] = (k.astype(float), gap[k])
    curves_sec[label] = (train_update[label] * k, gap[k])

fig, (ax_it, ax_sec) = plt.subplots(1, 2, figsize=(9, 3.5))
plots.plot_loss_curves(curves_it, by="iteration", ax=ax_it, log=True)
plots.plot_loss_curves(curves_sec, by="time", ax=ax_sec, log=True)
ax_it.get_legend().remove()
ax_sec.legend(fontsize="x-small", loc="lower left")
for a, title in ((ax_it, "loss per update"), (ax_sec, "loss per second (measured)")):
    plots.log_scale(a, "x")                # plain-text tick labels: quick to draw
    a.minorticks_off()                     # fewer ticks: the figure draws several times faster
    a.set_ylabel("full-data loss − best")
    a.set_title(title, fontsize="medium")
fig.subplots_adjust(wspace=0.3)
plt.show()

reach = {}
for label, res in runs.items():
    _, gap = path_and_gap(res)
    reach[label] = int(np.argmax(gap < 0.01))   # the first update within 0.01 of the best loss
    print(f"{label:18s} reaches a gap below 0.01 after {reach[label]:>4,} updates, "
          f"{1e3 * train_update[label] * reach[label]:6.2f} ms of train, "
          f"{1e3 * one_update[label] * reach[label]:6.2f} ms of bare updates")
fastest = {label: update_timing[label].best for label in setups}   # least disturbed round
bare_ratio = (fastest["GD (full batch)"] * reach["GD (full batch)"]
              / (fastest["mini-batch 100"] * reach["mini-batch 100"]))
print(f"to a gap below 0.01 in bare updates (fastest timing rounds), GD takes {bare_ratio:.1f} "
      f"times as long as mini-batch 100")

# %% [markdown] slideshow={"slide_type": "subslide"}
# What the two plots say:
#
# - **Per update**, GD and the two mini-batch runs fall at the same rate at first: far from the
#   minimum a batch of 100 records already agrees with all the data on the direction downhill.
#   SGD falls too, but more slowly and unevenly: a single record is a noisy guess even there (the
#   zig-zag section below measures how noisy). Close to the minimum they part:
#   GD keeps going down, while a noisy run levels off at a floor, and the noisier the run (the
#   smaller its batch), the higher its floor: SGD's is the highest.
# - **Per second**, what counts is the cost of one update: a fixed overhead (Python, function
#   calls, checks) plus work in proportion to the batch size (clearly visible at a million records,
#   in the memory and time table below). On *this* small data set NumPy
#   handles even the full 10,000 records quickly, so the costs of one update differ far less than
#   the numbers of updates per epoch (the last line of the table). SGD, with 10,000 updates for
#   one epoch, has by far the slowest epoch.
# - With 1 million or 20 million records, the picture changes: one GD update costs a
#   pass over all of them, while a mini-batch update costs about the same as here. The next
#   measurement shows that growth.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
early = np.array([path_and_gap(res)[1][1:11] for res in runs.values()])   # updates 1 to 10
claim((early[:3].max(axis=0) / early[:3].min(axis=0)).max(), lt=1.3,
      says="GD and the two mini-batch runs fall at the same rate at first")
claim(bool(np.all(early[3, 2:] > early[:3, 2:].max(axis=0))), says="SGD falls too, but more slowly")
final = [path_and_gap(res)[1][-1] for res in runs.values()]      # GD, B = 1,000, 100, 1
claim(bool(np.all(np.diff(final) > 0)), says="the smaller its batch), the higher its floor")
claim(max(one_update.values()) / min(one_update.values()), lt=100,
      says="the costs of one update differ far less than the numbers of updates per epoch")
claim(train_epoch["SGD (batch 1)"] / max(t for label, t in train_epoch.items()
                                         if label != "SGD (batch 1)"), gt=5,
      says="has by far the slowest epoch")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Memory and time per update
#
# How much memory does *one* update need, and how does its time grow with the data set?
# `tracemalloc` records every allocation NumPy makes, so we can read the peak of one iteration:
# take the batch, forward pass, loss, backward pass, step. We measure it on our data set (10,000
# records) and on two bigger versions of it (100,000 and 1,000,000 records), for GD, two
# mini-batch sizes and SGD, and time the same iterations together with `time_together`. Here the
# iteration includes gathering its batch from the data set (`X[idx]`), the only part whose cost
# could depend on $n$, so its time is a little more than the "one update" of the table above.

# %% tags=["nbval-ignore-output", "slides-output-only"]
def one_iteration(X, y, batch_size, order):
    """One iteration: gather the batch, forward + backward pass, one gradient-descent step."""
    if batch_size is None:
        X_batch, y_batch = X, y                  # full batch: every record
    else:
        idx = order[:batch_size]                 # the next batch of the shuffled order
        X_batch, y_batch = X[idx], y[idx]        # copying the batch is part of the cost
    return update_on(X_batch, y_batch)


def peak_memory(fn):
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


sizes = {"GD (full batch)": None, "mini-batch 1,000": 1000, "mini-batch 100": 100,
         "SGD (batch 1)": 1}
iterations = {}
for n in (10_000, 100_000, 1_000_000):
    big = data if n == data.n else make_regression(n=n, d=1, noise=0.5, rng=0)
    order = np.random.default_rng(0).permutation(n)    # drawn once per epoch, not per update
    for label, B in sizes.items():
        iterations[n, label] = (lambda X=big.X, y=big.y, B=B, order=order:
                                one_iteration(X, y, B, order))
peak = {key: peak_memory(fn) for key, fn in iterations.items()}
seconds = {key: t.seconds
           for key, t in time_together(iterations, repeat=15, min_round=0.004).items()}
cost = {key: (peak[key], seconds[key]) for key in iterations}

print(f"{'records n':>10s}  " + "".join(f"{label:>18s}" for label in sizes))
for n in (10_000, 100_000, 1_000_000):
    print(f"{n:>10,}  " + "".join(f"{cost[n, label][0] / 1024:>15.1f} KB" for label in sizes)
          + "   peak memory of one iteration")
    print(f"{'':>10s}  " + "".join(f"{1e6 * cost[n, label][1]:>15.0f} µs" for label in sizes)
          + "   time of one iteration")
gd_bytes = cost[1_000_000, "GD (full batch)"][0] / 1_000_000
bytes_per_record = (data.X.nbytes + data.y.nbytes) / data.n
display(Markdown(
    f"One full-batch update allocates about **{gd_bytes:.0f} bytes per record** on top of the "
    f"data set itself (the predictions and the errors of every record), so its peak grows in "
    f"proportion to $n$: {cost[1_000_000, 'GD (full batch)'][0] / 2**20:.1f} MB at a million "
    f"records, and the data set itself ({bytes_per_record:.0f} bytes per record: "
    f"{bytes_per_record * 1_000_000 / 2**20:.1f} MB at a million records) must be in memory all "
    f"the time. A mini-batch update needs the same "
    f"{cost[1_000_000, 'mini-batch 1,000'][0] / 1024:.0f} KB (batch 1,000) whatever $n$ is, "
    f"and only the batch has to be in memory: the rest of the data can wait on disk. In time, "
    f"going from 10,000 to 1,000,000 records makes a full-batch iteration "
    f"{cost[1_000_000, 'GD (full batch)'][1] / cost[10_000, 'GD (full batch)'][1]:.0f} times "
    f"slower, while a mini-batch iteration (batch 100) takes "
    f"{cost[1_000_000, 'mini-batch 100'][1] / cost[10_000, 'mini-batch 100'][1]:.1f} times as "
    f"long as before (no growth with $n$: the difference from 1 is timing noise, which on a "
    f"busy machine can reach a factor of about 2 either way)."))

# %% [markdown] slideshow={"slide_type": "subslide"}
# With a real network the gap is much larger than with our two parameters: every hidden layer
# keeps its activations for the backward pass, for every record of the batch. That memory grows
# with the batch size, which is why a GPU with a fixed amount of memory caps the batch size you
# can use, and why nobody trains on 20 million records in one batch.
#
# > **Interview angle.** "Why mini-batches instead of the full batch for 20 million records?"
# > Memory and compute per update stay bounded (they depend on $B$, not on $n$), we get
# > $\lceil n/B \rceil$ updates per epoch instead of one, and a batch of hundreds or thousands
# > of records still uses vectorised code efficiently, which SGD's single records do not.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
grow = {label: cost[1_000_000, label][1] / cost[10_000, label][1] for label in sizes}
claim(grow["GD (full batch)"], gt=10, says="one GD update costs a pass over all of them")
small = [grow[label] for label in sizes if label != "GD (full batch)"]
claim(np.median(small), lt=2, says="while a mini-batch update costs about the same as here")
claim(max(small) / grow["GD (full batch)"], lt=0.3, says="The next measurement shows that growth")
# Equal up to a few hundred bytes of Python bookkeeping (tracemalloc counts those too; the
# first call of a run makes a few more), against GD's hundredfold growth.
mb_peaks = [cost[n, "mini-batch 1,000"][0] for n in (10_000, 100_000, 1_000_000)]
claim(max(mb_peaks) / min(mb_peaks), lt=1.05, says="they depend on $B$, not on $n$")
per_record = {label: train_update[label] / B for label, (B, _) in setups.items() if B}
claim(per_record["SGD (batch 1)"] / per_record["mini-batch 100"], gt=5,
      says="which SGD's single records do not")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Zig-zag paths
#
# Why does the mini-batch path zig-zag, and why does it still arrive? Look at the gradient of
# many batches at two points: at the start, far from the minimum, and at the minimum itself. We
# measure the spread (standard deviation) of $dW$ over 200 batches of each size.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 10 min**
#
# - **Point:** the noise of a batch gradient shrinks like 1/√B; far from the minimum the signal
#   wins, at the minimum only noise is left, and the loss gap there is roughly proportional to
#   η/B.
# - **Demo:** the spread table (its last column nearly constant), the clouds; then "Changing the
#   batch size: the linear-scaling rule": at η/B = 0.001 the floor holds from B = 10 to B = 100,
#   is about 1.4 times higher at B = 300, and at B = 1,000 (η·λ_max = 2.01) the path slowly
#   diverges.
# - **Ask the room:** "From batch 32 to batch 128, what happens to the gradient noise?"
#   **Answer:** its standard deviation halves, for four times the compute (when the records are
#   drawn independently).
# - **Cut when short:** the momentum floors at the end (Chapter 6 comes back to them).

# %% tags=["slides-output-only"]
best = {"W": np.array([w_best]), "b": np.array([b_best])}


def batch_gradients(params, B, count=200, seed=2):
    """dW of `count` batches of size B, taken epoch after epoch in a shuffled order."""
    gen, out = np.random.default_rng(seed), []
    while len(out) < count:
        for X_b, y_b in itertools.islice(minibatches(data.X, data.y, B, rng=gen),
                                         count - len(out)):
            out.append(model.loss_and_grads(params, X_b, y_b)[1]["dW"][0])
    return np.array(out)


full_start = model.loss_and_grads(params0, data.X, data.y)[1]["dW"][0]
full_best = model.loss_and_grads(best, data.X, data.y)[1]["dW"][0]
print(f"full-batch dW at the start: {full_start:8.3f}    at the minimum: {full_best:8.3f}")
print()
print(f"{'batch size B':>12s} {'spread at start':>16s} {'spread at minimum':>18s} "
      f"{'spread at min x sqrt(B)':>24s}")
downhill, spread_x_sqrt_B = [], []
for B in (1, 10, 100, 1000):
    s_start, s_best = batch_gradients(params0, B).std(), batch_gradients(best, B).std()
    if s_start < abs(full_start):
        downhill.append(B)
    spread_x_sqrt_B.append(s_best * np.sqrt(B))
    print(f"{B:>12,} {s_start:>16.3f} {s_best:>18.3f} {s_best * np.sqrt(B):>24.3f}")
print(f"\nat the start the full gradient is larger than the spread for B in {downhill}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Three facts in this table explain the zig-zag and the arrival:
#
# 1. **The noise shrinks like $1/\sqrt{B}$.** The last column is nearly constant (up to the
#    sampling error of 200 batches): the spread of a batch gradient is the spread of one record's
#    gradient divided by $\sqrt{B}$, because the batch averages $B$ records drawn at random. Four
#    times the batch halves the noise.
# 2. **Far from the minimum, the signal wins.** At the start the full gradient is larger than
#    the spread of the batch gradients (except for $B = 1$, see the last line), so
#    nearly every batch points downhill: mini-batch SGD moves like GD there.
# 3. **At the minimum, only noise is left.** The full gradient is zero there, but no batch
#    gradient is: each batch pulls the parameters somewhere else. The path cannot settle; it
#    keeps moving around the minimum, in a region whose size depends on how big the noisy steps
#    are.
#
# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(max(spread_x_sqrt_B) / min(spread_x_sqrt_B), lt=1.25, says="The last column is nearly constant")
quarter = batch_gradients(best, 32).std() / batch_gradients(best, 128).std()
claim(quarter, approx=2, rel=0.15, says="Four times the batch halves the noise.")
claim(downhill == [10, 100, 1000], says="except for $B = 1$, see the last line")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Why does it still get there? Each batch gradient is right **on average**: over one epoch the
# batches cover every record exactly once, so the size-weighted sum of the batch gradients is
# exactly $n$ times the full gradient (at fixed parameters. A batch drawn independently of the
# past would be unbiased, $E[g_{\mathcal B}] = \nabla L$, at whatever point it is taken; with
# shuffling this holds only approximately for the later batches of an epoch, while every record
# still counts exactly once). Check it for one epoch of batches of 100, all taken at the
# starting point:

# %%
gen = np.random.default_rng(3)
weighted_sum = sum(len(y_b) * model.loss_and_grads(params0, X_b, y_b)[1]["dW"][0]
                   for X_b, y_b in minibatches(data.X, data.y, 100, rng=gen))
print(f"mean of the batch gradients over one epoch: {weighted_sum / data.n:.6f}")
print(f"full-batch gradient dW:                     {full_start:.6f}")
assert np.isclose(weighted_sum / data.n, full_start)

# %% [markdown] slideshow={"slide_type": "subslide"}
# How big is the region where the path ends up? Run mini-batch SGD long enough to forget the
# start, and average the full-data loss gap over the last 300 updates, for several batch sizes
# $B$ and learning rates $\eta$:

# %% tags=["slides-output-only"]
region, ratios, scales = {}, [], []
for B, lr, epochs in ((1, 0.1, 1), (10, 0.1, 1), (100, 0.1, 5), (1000, 0.1, 50),
                      (10, 0.02, 1), (100, 0.02, 5)):
    res = runs["SGD (batch 1)"] if (B, lr) == (1, eta) else train(
        model, data.X, data.y, "gd", batch_size=B, epochs=epochs, rng=0, params=params0,
        record_path=True, progress=False, lr=lr)
    path, gap = path_and_gap(res)
    region[B, lr] = path[-300:]
    ratios.append(gap[-300:].mean() * B / lr)
    scales.append(lr / B)
    print(f"B = {B:>5,}, η = {lr:<5g}: {res.iterations:>6,} updates, mean loss gap over the "
          f"last 300 = {gap[-300:].mean():.2g}   (gap x B / η = {ratios[-1]:.2g})")
print(f"\nη / B spans a factor {max(scales) / min(scales):,.0f}; gap x B / η stays between "
      f"{min(ratios):.2g} and {max(ratios):.2g}")

# %% [markdown]
# The gap is roughly proportional to $\eta / B$: the last column stays within a factor of about 3
# while $\eta / B$ itself changes by a factor of 1,000. **A smaller learning rate or a bigger
# batch shrinks the region**. The clouds of the last 300 points show it directly:

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(max(ratios) / min(ratios), approx=3.3, rel=0.15, says="the last column stays within a factor of about 3")
claim(max(scales) / min(scales), approx=1000, rel=1e-9, says="changes by a factor of 1,000")

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
fig, ax = plt.subplots(figsize=(8, 3.5))
for (B, lr), color in zip(((10, 0.1), (10, 0.02), (100, 0.1)), plots.COLORS[1:]):
    pts = region[B, lr]
    ax.plot(pts[:, 0], pts[:, 1], "-", color=color, linewidth=0.8,
            label=f"B = {B}, η = {lr:g}: last 300 points")
ax.plot(w_best, b_best, "*", color="red", markersize=14, markeredgecolor="k", label="minimum")
ax.set_xlim(w_best - 0.25, w_best + 0.25)
ax.set_ylim(b_best - 0.12, b_best + 0.12)
ax.set_xlabel("W")
ax.set_ylabel("b")
ax.set_title("where mini-batch SGD ends up", fontsize="medium")
ax.legend(fontsize="x-small", loc="upper right")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Changing the batch size: the linear-scaling rule
#
# So one $\eta$ does *not* serve every batch size: at a fixed $\eta$, a batch ten times bigger
# gives a lower floor but ten times fewer updates per epoch. If the floor depends on $\eta / B$,
# then a batch $k$ times bigger with an $\eta$ $k$ times bigger keeps the same floor, and since
# each of the $k$ times fewer updates is on average $k$ times longer, it makes about the same
# progress per epoch. This is the **linear-scaling rule**: *when you multiply the batch size by
# $k$, multiply the learning rate by $k$* (Goyal et al., 2017, trained ImageNet networks with it,
# plus a warm-up of the learning rate over the first epochs).
#
# It is a rule about the noise, and it holds only while the noise, not the curvature, limits the
# step. GD's stability bound of [Chapter 1](01_gradient_descent.ipynb), $\eta < 2/\lambda_{max}$,
# does not depend on $B$, so $\eta$ cannot keep growing with $B$. We test it on our problem: keep
# $\eta / B = 0.001$, grow $B$, and average the loss gap over the last 300 of 600 updates, for 3
# seeds each (mean ± sd).

# %% tags=["slides-output-only"]
A = np.column_stack([data.X[:, 0], np.ones(data.n)])
lam_max = np.linalg.eigvalsh(2 * A.T @ A / data.n).max()     # the Hessian of the mean squared error
print(f"largest curvature λ_max = {lam_max:.3f}, stability bound 2 / λ_max = {2 / lam_max:.3f}\n")
scaled = {}
for B in (10, 100, 300, 1000):
    lr = B / 1000                                             # η / B = 0.001
    floors = []
    for seed in (0, 1, 2):
        res = train(model, data.X, data.y, "gd", batch_size=B, epochs=math.ceil(600 * B / data.n),
                    rng=seed, params=params0, record_path=True, progress=False, lr=lr)
        floors.append(path_and_gap(res)[1][-300:].mean())
    scaled[B] = (lr, np.mean(floors), np.std(floors))
    print(f"B = {B:>5,}, η = {lr:<4g} (η λ_max = {lr * lam_max:.2f}): mean loss gap over the "
          f"last 300 = {np.mean(floors):.2g} ± {np.std(floors):.1g}")
curvature_factor = (1 - scaled[10][0] * lam_max / 2) / (1 - scaled[300][0] * lam_max / 2)
print(f"\nfloor at B = 300 / floor at B = 10: measured "
      f"{scaled[300][1] / scaled[10][1]:.2f}, predicted by the curvature factor {curvature_factor:.2f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# - From $B = 10$ to $B = 100$ (η from 0.01 to 0.1) the floor stays the same, within the spread
#   of the seeds: the rule works.
# - At $B = 300$ (η = 0.3) the floor is already about 1.4 times higher. The noise picture ignores
#   the curvature: on a quadratic bowl the floor of SGD grows like $1 / (1 - \eta\lambda/2)$ as
#   $\eta$ approaches $2/\lambda$, and that factor predicts the measured ratio.
# - At $B = 1{,}000$ the rule asks for $\eta = 1$, just above $2/\lambda_{max}$: along the
#   steepest direction each step multiplies the error by $|1 - \eta\lambda_{max}| \approx 1.009$, so
#   the path slowly diverges, and its gap is more than a thousand times the floor of the small
#   batches.
#
# So scale $\eta$ with $B$ while $\eta\lambda_{max}$ stays well below 2; past that point a bigger
# batch still lowers the floor, but no longer buys faster progress per epoch. Networks show the
# same limit: beyond some batch size, growing the batch stops paying off.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
(_, f10, sd10), (_, f100, sd100) = scaled[10], scaled[100]
claim(abs(f100 - f10) < sd10 + sd100, says="the floor stays the same, within the spread of the seeds")
claim(scaled[300][1] / scaled[10][1], approx=1.4, rel=0.1, says="the floor is already about 1.4 times higher")
claim(scaled[300][1] / scaled[10][1], approx=curvature_factor, rel=0.1,
      says="that factor predicts the measured ratio")
claim(scaled[1000][0] > 2 / lam_max, says="just above $2/\\lambda_{max}$")
claim(abs(1 - scaled[1000][0] * lam_max), approx=1.009, rel=1e-3, says="so the path slowly diverges")
claim(scaled[1000][1] / scaled[10][1], gt=1000, says="its gap is more than a thousand times the floor of the small batches")

# %% [markdown] slideshow={"slide_type": "subslide"}
# With a constant $\eta$, mini-batch SGD never stops exactly on the minimum; it ends in a cloud
# around it. For a network that is often good enough, and two tools shrink it further:
#
# - a smaller $\eta$ or a bigger batch (the table above; a bigger batch costs more per update);
# - a learning rate that decreases over time (a *schedule*: [Chapter 2](02_sgd.ipynb) runs one
#   on SGD and measures how it shrinks the cloud; Adagrad in [Chapter 7](07_adagrad.ipynb)
#   builds one in).
#
# What about averaging the recent gradients, that is momentum ([Chapter 6](06_momentum.ipynb),
# built on the exponentially weighted average of
# [Chapter 5](05_exponentially_weighted_average.ipynb))? In the course's form it makes each step
# steadier, but at the same $\eta$ it does not make the cloud much smaller. Here is the floor of plain
# mini-batch SGD and of momentum ($\beta = 0.9$) with $B = 10$ and $\eta = 0.1$, 3 seeds each:

# %%
floor_of = {}
# PyTorch's form v = μv + g with lr = η is the course's EWA form with η / (1 − β): 10 times η
for key, name, lr, hp in (("gd", "gd", eta, {}), ("momentum", "momentum", eta, {"beta": 0.9}),
                          ("momentum, PyTorch form", "momentum", eta / (1 - 0.9), {"beta": 0.9})):
    floors = [path_and_gap(train(model, data.X, data.y, name, batch_size=10, epochs=1, rng=seed,
                                 params=params0, record_path=True, progress=False, lr=lr, **hp))[1]
              [-300:].mean() for seed in (0, 1, 2)]
    floor_of[key] = (np.mean(floors), np.std(floors))
    print(f"{key:22s} mean loss gap over the last 300 updates = {np.mean(floors):.2g} "
          f"± {np.std(floors):.1g}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The two floors are about the same size (they differ by less than the spread of the seeds):
# averaging the gradients does not remove the noise floor at equal $\eta$. Momentum's gain is
# elsewhere: on an ill-conditioned problem, $\beta$ and $\eta$ chosen together let it use an $\eta$
# about $\sqrt\kappa/2$ times the largest GD survives, and reach the minimum in about
# $\sqrt\kappa$ times fewer steps (Chapter 6 measures it).
#
# (The last line is the same momentum written PyTorch's way, $v = \mu v + g$, with the same
# `lr` = 0.1: its steady steps are 10 times longer, and so is its floor, more than 10 times
# higher.)
#
# > **Interview angle.** "Why does mini-batch SGD zig-zag?" Each update sees only a part of the
# > data, so its gradient is a noisy estimate of the full gradient and the direction changes from
# > batch to batch. The estimate is unbiased, so the path still heads for the minimum, and ends
# > up moving in a region around it whose size grows with $\eta$ and shrinks with $B$.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(floor_of["momentum"][0] / floor_of["gd"][0], gt=0.6, lt=1.5,
      says="The two floors are about the same size")
claim(abs(floor_of["momentum"][0] - floor_of["gd"][0]), lt=floor_of["momentum"][1] + floor_of["gd"][1],
      says="they differ by less than the spread of the seeds")
claim(floor_of["momentum, PyTorch form"][0] / floor_of["gd"][0], gt=10,
      says="and so is its floor, more than 10 times higher")
claim(region[10, 0.1].std(axis=0).sum() > region[10, 0.02].std(axis=0).sum()
      and region[100, 0.1].std(axis=0).sum() < region[10, 0.1].std(axis=0).sum(),
      says="whose size grows with $\\eta$ and shrinks with $B$")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Choosing a batch size in practice
#
# Three pieces of common advice, and what this chapter's own measurements say about them.
#
# - **A small data set: the full batch is an option.** If every record fits in memory and one
#   full-batch update is cheap, plain GD has no noise floor and no batch size to tune. On our
#   10,000 records one full-batch update costs less than ten times a 100-record update (the
#   timing table above), for 100 times the records. Yet even here the full batch does not
#   clearly win: to bring the loss gap below 0.01, GD needs 16 updates and mini-batch 100 needs
#   18, so counted in bare updates (the gradient and the step, the "one update" column) the
#   full batch has no clear advantage. The last line under the loss plots gives their ratio, from the
#   fastest of the timing rounds; it moves with the load of the machine (in the stored run GD
#   took 1.4 times as long). The "ms of train" column makes
#   the gap look larger than it is: `train` computes the full-data loss at the end of every
#   epoch to monitor it, and for GD every update is an epoch, so GD pays that monitoring cost on
#   every update. So the full batch is fine when an update is cheap and the data small, but it
#   is rarely faster; and mini-batches pay off more and more as $n$ grows: the memory and time
#   table shows the full batch growing with $n$ while a mini-batch stays put.
# - **Otherwise: a batch that fits in memory, often a power of two (32, 128, ..., 1024).** The
#   power of two is a convention, not a law: the reason usually given is that on GPUs, sizes
#   that line up with the hardware's blocks of threads and memory can run faster. Whether it matters for *this* course's NumPy
#   code on a CPU is a question we can measure: the time per record of one update with
#   $B = 1000$ and with $B = 1024$, timed together.
# - **Change $B$, re-tune $\eta$**: the linear-scaling rule above, within its limits.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** small data: the full batch is an option but rarely faster; otherwise a batch that
#   fits in memory; a power of two is a convention; change B, re-tune η.
# - **Demo:** GD needs 16 updates and mini-batch 100 needs 18 to bring the gap below 0.01; then B
#   = 1000 against B = 1024, timed together: a ratio near 1.
# - **Ask the room:** "Small data set: full batch?" **Answer:** an option, but on the chapter's
#   10,000 records mini-batch 100 is still no slower, counted in bare updates.
# - **Cut when short:** the power-of-two measurement.

# %% slideshow={"slide_type": "subslide"} tags=["nbval-ignore-output"]
pow2 = time_together({B: lambda B=B: update_on(data.X[:B], data.y[:B]) for B in (1000, 1024)},
                     repeat=25, min_round=0.002)
per_record_pow2 = {B: t.best / B for B, t in pow2.items()}      # the least disturbed rounds
for B, t in per_record_pow2.items():
    print(f"B = {B}: {1e9 * t:.1f} ns per record")
print(f"per record, B = 1024 / B = 1000: {per_record_pow2[1024] / per_record_pow2[1000]:.2f}")

# %% [markdown]
# On this machine's CPU, $B = 1024$ is not measurably cheaper per record than $B = 1000$: the
# ratio printed above moves around 1 from run to run, as the load of the machine moves it
# (0.97 in the stored run), so with NumPy on a CPU
# the power of two buys nothing we can measure, and any batch size that fits is fine. On a GPU,
# measure the same way before relying on the rule.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(one_update["GD (full batch)"] / one_update["mini-batch 100"], lt=10,
      says="one full-batch update costs less than ten times a 100-record update")
claim((reach["GD (full batch)"], reach["mini-batch 100"]) == (16, 18),
      says="GD needs 16 updates and mini-batch 100 needs 18")
claim(train_update["GD (full batch)"] / one_update["GD (full batch)"], gt=1,
      says="GD pays that monitoring cost on every update")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explore: batch size, learning rate, epochs
#
# The explorer trains GD, SGD and a mini-batch run of the size you pick on a small regression
# data set (100 records) and draws the three paths, the loss per update and the loss per measured
# second. Things to try:
#
# - move the mini-batch size from 2 to 50 and watch the path calm down;
# - raise $\eta$ until full-batch GD starts to zig-zag across the valley, then further: past the
#   bound $\eta < 2/\lambda_{max}$ of Chapter 1 it diverges and the message says so; what do the
#   noisy runs do at the same $\eta$?
# - with 1 epoch, compare how far each method gets: GD makes a single update.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** batch size, η and epochs, live on 100 records.
# - **Demo:** `batch_size_explorer(n=100, batch_size=10, lr=0.1, epochs=5)`: move the mini-batch
#   size from 2 up to 50 and watch the path calm down; raise η until full-batch GD oscillates and
#   compare the noisy runs at the same η; set 1 epoch to show that GD makes a single update.
# - **Ask the room:** "With 1 epoch, how many updates do GD and the mini-batch run with batch size
#   10 make?" **Answer:** 1 and 10 (100 records).

# %% tags=["nbval-ignore-output"]
batch_size_explorer(n=100, batch_size=10, lr=0.1, epochs=5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1 · A mini-batch generator
#
# Write `minibatch_generator(X, y, batch_size, rng)`: a generator that hands out one epoch of
# batches `(X_batch, y_batch)`, every record exactly once, in a new random order drawn from
# `rng` on every call. Full batches first, then the shorter rest. Do not change `X` or `y`.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** minibatch_generator and minibatch_epoch, each raced against the library with the
#   same seed.
# - **Demo:** show the two tasks.
# - **Ask the room:** "What happens to the records that do not fill a last batch?" **Answer:**
#   they form a shorter last batch: every record is used exactly once per epoch.
# - **Cut when short:** set them as homework.

# %%
def minibatch_generator(X, y, batch_size, rng):
    """Yield (X_batch, y_batch) for one epoch, in a new random order drawn from rng."""
    ### BEGIN SOLUTION
    order = rng.permutation(len(y))
    for start_at in range(0, len(y), batch_size):
        idx = order[start_at:start_at + batch_size]
        yield X[idx], y[idx]
    ### END SOLUTION


# %%
check("minibatch_generator", minibatch_generator)

# %% slideshow={"slide_type": "skip"}
hint("minibatch_generator")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Race it against the library's `minibatches`: with the same seed, the two should hand out
# exactly the same batches, epoch after epoch.

# %%
if not check("minibatch_generator", minibatch_generator):
    print("Pass the check above first, then run this cell again.")
else:
    X_small, y_small = data.X[:23], data.y[:23]
    mine_rng, lib_rng = np.random.default_rng(7), np.random.default_rng(7)
    for epoch in (1, 2, 3):
        mine = list(minibatch_generator(X_small, y_small, 5, mine_rng))
        lib = list(minibatches(X_small, y_small, 5, rng=lib_rng))
        same = len(mine) == len(lib) and all(
            np.array_equal(Xa, Xb) and np.array_equal(ya, yb)
            for (Xa, ya), (Xb, yb) in zip(mine, lib))
        print(f"epoch {epoch}: {len(mine)} batches of sizes {[len(yb) for _, yb in mine]}, "
              f"identical to the library: {same}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · One epoch of mini-batch SGD
#
# Write `minibatch_epoch(params, X, y, *, lr, batch_size, rng)` for the linear model of this
# chapter: shuffle with `order = rng.permutation(n)`, cut the order into batches, and for each
# batch take one gradient-descent step with the **mean** squared-error gradient of that batch.
# Return the new `{"W": ..., "b": ...}`. With `batch_size = 1` it is SGD, with `batch_size = n` GD.

# %%
def minibatch_epoch(params, X, y, *, lr, batch_size, rng):
    """One epoch of mini-batch SGD on y_hat = X @ W + b with the mean squared error."""
    ### BEGIN SOLUTION
    order = rng.permutation(len(y))
    W, b = params["W"], params["b"]
    for start_at in range(0, len(y), batch_size):
        idx = order[start_at:start_at + batch_size]
        error = X[idx] @ W + b - y[idx]
        W = W - lr * 2 / len(idx) * (X[idx].T @ error)
        b = b - lr * 2 / len(idx) * np.sum(error)
    return {"W": W, "b": b}
    ### END SOLUTION


# %%
check("minibatch_epoch", minibatch_epoch)

# %% slideshow={"slide_type": "skip"}
hint("minibatch_epoch")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The race: five epochs of your function against `train(...)` with the same seed. The library
# draws one permutation per epoch from the same generator, so the two runs see the same batches
# and must end at the same parameters.

# %%
if not check("minibatch_epoch", minibatch_epoch):
    print("Pass the check above first, then run this cell again.")
else:
    mine, gen = dict(params0), np.random.default_rng(11)
    for _ in range(5):
        mine = minibatch_epoch(mine, data.X, data.y, lr=eta, batch_size=100, rng=gen)
    lib = train(model, data.X, data.y, "gd", batch_size=100, epochs=5, params=params0,
                rng=np.random.default_rng(11), progress=False, lr=eta)
    print(f"yours:   W = {mine['W'][0]:.6f}, b = {float(np.squeeze(mine['b'])):.6f}")
    print(f"library: W = {lib.params['W'][0]:.6f}, b = {lib.params['b'][0]:.6f}")
    print("the same up to rounding:", bool(np.allclose(mine["W"], lib.params["W"])
                                         and np.allclose(mine["b"], lib.params["b"])))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# **"Mini-batch SGD with the batch size equal to the number of records is ...?"** Full-batch
# gradient descent: one exact gradient and one update per epoch. With batch size 1 it is SGD.
# The three are one loop that differs only in the batch size.
#
# **"With a constant learning rate, where does mini-batch SGD end up on a convex problem?"** In a
# region around the minimum, still moving: the gradient noise never vanishes. A smaller $\eta$, a
# bigger batch or a decaying learning rate shrinks that region; momentum at the same $\eta$ does
# not (its floor above is about the same). That holds for the course's EWA form of momentum; in
# PyTorch's form, $v = \mu v + g$, the same `lr` with momentum 0.9 takes steady steps 10 times
# longer, and its region is larger, not smaller.
#
# **"Going from batch 32 to batch 128, what happens to the gradient noise?"** Its variance falls
# like $1/B$, so its standard deviation is divided by $\sqrt{128/32} = 2$: four times the compute
# per update for half the noise. This diminishing return is one reason batch sizes stay moderate.
#
# Now test yourself (one question at a time, with feedback):

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** three questions out loud: the extremes, where the path ends up, the batch size and
#   the noise.
# - **Demo:** let the room answer each question before you reveal its answer; `quiz(chapter=3)`
#   for self-study.
# - **Ask the room:** "Where does mini-batch SGD end up with a constant η?" **Answer:** in a
#   region around the minimum, still moving; a smaller η, a bigger batch or a decaying η shrinks
#   it; momentum at the same η does not in the course's EWA form, and PyTorch's form at the same
#   lr makes it larger.
# - **Cut when short:** leave the quiz as homework.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(quarter, approx=2, rel=0.15, says="four times the compute per update for half the noise")

# %% tags=["nbval-ignore-output"]
quiz(chapter=3)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - **What mini-batch SGD fixes.** Full-batch GD needs every record for each update: memory and
#   time per update grow with the data set. SGD is cheap per update but noisy and slow per epoch.
#   A fixed batch size $B$ bounds the memory and time of an update, gives $\lceil n/B \rceil$
#   updates per epoch, and keeps the code vectorised.
# - **The rule is unchanged:** $W = W - \eta\, dW$ with $dW$ the mean gradient over the batch.
#   The batch size alone turns it into GD ($B = n$), SGD ($B = 1$) or mini-batch SGD.
# - **The price: the zig-zag.** A batch gradient is a noisy but unbiased estimate of the full
#   gradient; its noise shrinks like $1/\sqrt{B}$. Far from the minimum the path moves like GD;
#   near it, it keeps moving in a region that grows with $\eta$ and shrinks with $B$.
#
# **Next.** [Chapter 4](04_epochs_and_iterations.ipynb) counts precisely what we used here:
# epochs, iterations and batches, and the two nested loops of training.
# [Chapter 5](05_exponentially_weighted_average.ipynb) builds the tool that smooths a noisy
# series, and [Chapter 6](06_momentum.ipynb) applies it to the zig-zag of this chapter.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** a fixed batch size bounds the cost of an update and keeps the code vectorised; the
#   price is the zig-zag.
# - **Demo:** no code: read the summary.
# - **Ask the room:** "What does the next chapter count?" **Answer:** epochs, iterations and
#   batches: the two nested loops of training.
