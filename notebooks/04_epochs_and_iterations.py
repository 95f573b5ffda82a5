# %% [markdown] slideshow={"slide_type": "slide"}
# # Chapter 4 · Epochs and iterations
#
# **What you will be able to do**
#
# - tell an *epoch*, an *iteration* and a *batch* apart, and use the words the way papers,
#   frameworks and interviewers do;
# - count the iterations of an epoch, $\lceil n / B \rceil$, and of a whole training run,
#   including the short last batch (and what changes when it is dropped);
# - write the two nested loops of training, with a reshuffle at the start of every epoch, and
#   recognise them inside `course_lib.training.train`;
# - explain why the records are reshuffled every epoch.
#
# **Where this sits in the story.** [Chapter 3](03_minibatch_sgd.ipynb) split the data set into
# mini-batches and took one update per batch. That raises the bookkeeping questions every training
# log and every paper ("90 epochs, batch size 256") assumes you can answer: how many updates is
# that, what exactly happens in one of them, and in which order are the records used? This short
# chapter makes the vocabulary precise; [Chapter 5](05_exponentially_weighted_average.ipynb)
# then builds the tool that will tame the zig-zag of mini-batch SGD.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** the bookkeeping every paper assumes ("90 epochs, batch size 256"): how many
#   updates, and in which order.
# - **Demo:** no code: the learning goals.
# - **Ask the room:** "What is an epoch?" **Answer:** one pass over the data set, every record
#   used once.

# %% slideshow={"slide_type": "skip"}
# %matplotlib inline
import math

import matplotlib.pyplot as plt
import numpy as np

from course_lib import plots
from course_lib.claims import claim
from course_lib.data import iterations_per_epoch, make_classification, minibatches
from course_lib.exercises import check, hint
from course_lib.models import LogisticRegression
from course_lib.optimizers import OPTIMIZERS
from course_lib.quiz import quiz
from course_lib.training import train
from course_lib.widgets import batch_size_explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Epochs and iterations: the words
#
# - **Batch**: the records used for one update; the **batch size** $B$ is how many there are.
# - **Iteration** (also *step* or *update*): one forward pass on one batch, the loss, one
#   backward pass, and one update of the weights $W = W - \eta\, dW$.
# - **Epoch**: one full pass over the data set, every record used exactly once. One epoch is
#   made of $\lceil n / B \rceil$ iterations.
#
# "One epoch = one pass, every record once" is the convention of the papers, of PyTorch's
# `DataLoader` and of Keras's `fit`. When data are streamed or sampled with replacement there is
# no natural pass, and logs count steps instead: Keras's `steps_per_epoch`, for example, makes an
# "epoch" whatever number of steps the user sets. Read "epoch" in a log with that in mind.
#
# The picture shows 12 records (numbered 0 to 11) trained with batches of $B = 5$ for three
# epochs. Each row is one epoch; each coloured block is one batch, that is one iteration. The
# order comes from the library's `minibatches`, which reshuffles at the start of every epoch.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** a batch, an iteration (one update on one batch) and an epoch (every record once);
#   an epoch holds ⌈n/B⌉ iterations.
# - **Demo:** the picture of 12 records with batches of 5 for 3 epochs: each row holds every
#   record once, in three blocks (5, 5, 2), in a new order; then the real run: 1,000 records,
#   batches of 100, 5 epochs, 50 iterations.
# - **Ask the room:** "When is an iteration the same as an epoch?" **Answer:** only for full-batch
#   GD.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
n_small, B_small, epochs_small = 12, 5, 3
ids = np.arange(n_small, dtype=float)               # y = record number, so a batch shows its ids
X_ids = ids.reshape(-1, 1)
gen = np.random.default_rng(4)

fig, ax = plt.subplots(figsize=(8, 3))
iteration, row_gap = 0, 1.6
for epoch in range(epochs_small):
    y_row, position = -row_gap * epoch, 0
    for k, (_, y_b) in enumerate(minibatches(X_ids, ids, B_small, rng=gen)):
        iteration += 1
        for record in y_b.astype(int):
            ax.add_patch(plt.Rectangle((position, y_row - 0.45), 0.95, 0.9,
                                       color=plots.COLORS[k], alpha=0.55))
            ax.text(position + 0.47, y_row, str(record), ha="center", va="center")
            position += 1
        ax.text(position - len(y_b) / 2, y_row + 0.55, f"iteration {iteration}",
                ha="center", fontsize="small")
ax.set_xlim(-0.2, n_small + 0.2)
ax.set_ylim(-row_gap * (epochs_small - 1) - 0.6, 1.0)
ax.set_yticks([-row_gap * e for e in range(epochs_small)],
              [f"epoch {e + 1}" for e in range(epochs_small)])
ax.set_xticks([])
ax.set_title(f"{n_small} records, batch size {B_small}: "
             f"{iterations_per_epoch(n_small, B_small)} iterations per epoch", fontsize="medium")
for side in ("top", "right", "bottom"):
    ax.spines[side].set_visible(False)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Read it row by row:
#
# - every row holds each record exactly once: that is what makes it an **epoch**;
# - every row has three blocks, two of 5 records and a last one of 2: **three iterations** per
#   epoch, because $12 / 5 = 2.4$ rounds *up* to 3;
# - the order changes from row to row: the records are **reshuffled** every epoch, so the
#   batches are different each time.
#
# > **Interview angle.** "What is the difference between an epoch and an iteration?" An epoch is
# > one pass over the whole data set; an iteration is one update, computed on one batch. An
# > epoch contains $\lceil n / B \rceil$ iterations, so the two are the same only for full-batch
# > gradient descent.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(n_small / B_small, approx=2.4, rel=1e-9, says="because $12 / 5 = 2.4$ rounds *up* to 3")
claim(iterations_per_epoch(n_small, B_small) == 3, says="three iterations")

# %% [markdown]
# The same two scales in a real training run: a classification problem (two blobs of points,
# logistic regression) with 1,000 records, batches of 100, 5 epochs, trained by the library's
# `train`. On the left every iteration, each point the loss of one batch (noisy: every batch is a
# different sample); the dotted lines mark where an epoch ends. On the right every epoch, the
# loss on all records at the end of each pass.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
data = make_classification(n=1000, d=2, separation=2.0, rng=0)
model = LogisticRegression(2)
eta, batch_size, epochs, seed = 0.5, 100, 5, 0
result = train(model, data.X, data.y, "gd", batch_size=batch_size, epochs=epochs, rng=seed,
               progress=False, lr=eta)

fig, (ax_it, ax_ep) = plt.subplots(1, 2, figsize=(9, 3.4))
fig.subplots_adjust(wspace=0.3)
plots.plot_loss_curves({"batch loss": result}, by="iteration", ax=ax_it)
for end in range(result.iterations_per_epoch, result.iterations, result.iterations_per_epoch):
    ax_it.axvline(end - 0.5, color="0.6", linestyle=":", linewidth=1)
plots.plot_loss_curves({"loss on all records": result}, by="epoch", ax=ax_ep)
ax_it.set_title(f"per iteration ({result.iterations} points)", fontsize="medium")
ax_ep.set_title(f"per epoch ({result.epochs_run} epochs + the start)", fontsize="medium")
plt.show()
print(result.message)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Iterations per epoch
#
# With $n$ records and batch size $B$, the full batches hold $B$ records each and whatever is
# left forms one last, smaller batch:
#
# $$\text{iterations per epoch} = \left\lceil \frac{n}{B} \right\rceil, \qquad
# \text{records in the last batch} = n - \left(\left\lceil \frac{n}{B} \right\rceil - 1\right) B$$
#
# and a run of $E$ epochs takes $E \cdot \lceil n / B \rceil$ iterations (every epoch ends
# with its own short batch). The lecture's examples, computed by hand with `math.ceil` and by
# the library's `iterations_per_epoch`, and checked against each other:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** ⌈n/B⌉ iterations per epoch, the last batch holding the rest; E epochs take E·⌈n/B⌉.
# - **Demo:** the table, then 50,000 records in batches of 128: 391 batches, the last of 80 (390
#   with drop_last); ImageNet's 90 epochs at batch size 256: 5,005 per epoch, 450,450 in all.
# - **Ask the room:** "50,000 records, batch size 128: iterations per epoch?" **Answer:** 391, the
#   last batch holding 80 records.
# - **Cut when short:** the ImageNet count.

# %% tags=["slides-output-only"]
examples = [  # (records n, batch size B, what it is)
    (10_000, 1_000, "mini-batch SGD"),
    (10_000, 1, "SGD: one record per iteration"),
    (10_000, 10_000, "full batch: gradient descent"),
    (50_000, 128, "a typical mini-batch size"),
]
print(f"{'records n':>10s} {'batch B':>8s} {'n / B':>9s} {'iterations':>11s} "
      f"{'last batch':>11s}   what it is")
for n, B, what in examples:
    by_hand = math.ceil(n / B)
    assert by_hand == iterations_per_epoch(n, B)
    last = n - (by_hand - 1) * B
    print(f"{n:>10,} {B:>8,} {n / B:>9,.3f} {by_hand:>11,} {last:>11,}   {what}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Two more questions interviewers like:
#
# - **Dropping the last batch.** Keeping the short batch is the default convention (PyTorch's
#   `DataLoader` has `drop_last=False`, Keras's `fit` and `tf.data`'s `batch` keep it too), and
#   the library does the same. Frameworks can skip it on request (`drop_last=True` in PyTorch,
#   `drop_remainder=True` in `tf.data`). Then an epoch has $\lfloor n / B \rfloor$ iterations
#   and the leftover records sit out that epoch; thanks to the reshuffle, different records sit
#   out each time.
# - **A whole run.** Multiply by the number of epochs. The "90 epochs, batch size 256" of a paper
#   on ImageNet (1,281,167 training images) is 5,005 iterations per epoch, 450,450 in all.

# %%
n, B = 50_000, 128
print(f"{n:,} records, batch {B}, keep the short batch: {iterations_per_epoch(n, B)} iterations "
      f"per epoch")
print(f"{n:,} records, batch {B}, drop_last:            {n // B} iterations per epoch "
      f"({n % B} records sit out)")
n, B, E = 60_000, 100, 20
print(f"{n:,} records, batch {B}, {E} epochs:        {E * iterations_per_epoch(n, B):,} "
      f"iterations in total")
n, B, E = 1_281_167, 256, 90                  # ImageNet's training set, a classic recipe
print(f"{n:,} records, batch {B}, {E} epochs:    {iterations_per_epoch(n, B):,} per epoch, "
      f"{E * iterations_per_epoch(n, B):,} iterations in total")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The count is not only a formula: the mini-batch iterator really hands out that many batches.
# Count them for the 50,000 records of the example, and look at the sizes of the last two:

# %%
n, B = 50_000, 128
y_big = np.zeros(n)
batch_sizes = [len(y_b) for _, y_b in minibatches(y_big.reshape(-1, 1), y_big, B, rng=0)]
print(f"batches in one epoch: {len(batch_sizes)}, sizes of the last two: {batch_sizes[-2:]}, "
      f"records used: {sum(batch_sizes):,}")
assert len(batch_sizes) == iterations_per_epoch(n, B) and sum(batch_sizes) == n

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The two loops
#
# Training is two nested loops: the outer one over epochs, the inner one over the batches of
# the current epoch. Here they are written out in full for the classification run above (1,000
# records, batches of 100, 5 epochs), with the same library pieces as every other chapter:
# `minibatches` for the shuffled batches, the model's `loss_and_grads` for the forward and
# backward pass, the optimizer's `update` for the step.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** epochs outside, batches inside, with a reshuffle at the start of every epoch;
#   `train` is exactly these loops.
# - **Demo:** the loop written out (state.t grows by 10 per epoch, the same numbers as `train`);
#   then "Why reshuffle every epoch?": data sorted by label, never shuffled, shuffled once,
#   reshuffled every epoch; the sorted run's b swings more than ten times as much, and over 20
#   seeds the two shuffled ways cannot be told apart.
# - **Ask the room:** "Is shuffling once enough?" **Answer:** it already makes every batch a
#   random sample; reshuffling also stops the same batches, and their noise, from repeating every
#   epoch.
# - **Cut when short:** the table over 20 seeds.

# %% tags=["slides-output-only"]
gd = OPTIMIZERS["gd"]
params = model.init_params()                 # W = 0, b = 0
state = gd.init(params)
gen = np.random.default_rng(seed)            # one generator: a new order every epoch
loss_per_iteration, loss_per_epoch = [], [model.loss(params, data.X, data.y)]

for epoch in range(1, epochs + 1):                                     # outer loop: epochs
    for X_b, y_b in minibatches(data.X, data.y, batch_size, rng=gen):  # reshuffled each epoch
        loss, grads = model.loss_and_grads(params, X_b, y_b)           # forward + backward
        params, state = gd.update(params, grads, state, lr=eta)        # one iteration
        loss_per_iteration.append(loss)
    loss_per_epoch.append(model.loss(params, data.X, data.y))          # full data, epoch end
    print(f"epoch {epoch}: {state.t:>2d} iterations so far, loss on all records "
          f"{loss_per_epoch[-1]:.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# `state.t` counts the iterations: 10 more after every epoch, since
# $\lceil 1000 / 100 \rceil = 10$. The library's `train` runs exactly these two loops (its
# docstring shows them). The run at the top of the chapter used the same seed, so `train` drew
# the same orders and must have produced the same numbers:

# %%
print(f"iterations per epoch: {result.iterations_per_epoch}, iterations: {result.iterations}, "
      f"losses recorded: {len(result.loss_per_iteration)} per iteration, "
      f"{len(result.loss_per_epoch)} per epoch (the first one before training)")
same = (np.allclose(result.loss_per_iteration, loss_per_iteration)
        and np.allclose(result.loss_per_epoch, loss_per_epoch)
        and all(np.allclose(result.params[k], params[k]) for k in params))
print("our loop and train() agree:", same)
assert same

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why reshuffle every epoch?
#
# Data often arrive in some order: sorted by label, by date, by customer. Here is the same data
# set sorted by label (all the 0s first, then all the 1s), trained with the loop above
# ($\eta = 1$) in three ways: in the stored order (`shuffle=False`), **shuffled once** before
# training and then used in that fixed order every epoch, and **reshuffled** at the start of
# every epoch. We record the loss on all records and the bias $b$ after every iteration.

# %% tags=["slides-output-only"]
order = np.argsort(data.y, kind="stable")
X_sorted, y_sorted = data.X[order], data.y[order]
ORDERS = ("sorted, never shuffled", "shuffled once", "reshuffled every epoch")


def run(how, seed=0, lr=1.0):
    """The two loops on the sorted data; full-data loss and b after every iteration."""
    params, gen = model.init_params(), np.random.default_rng(seed)
    state = gd.init(params)
    X, y = X_sorted, y_sorted
    if how == "shuffled once":
        once = gen.permutation(len(y))             # one order, kept for every epoch
        X, y = X[once], y[once]
    full_loss, bias = [model.loss(params, X, y)], [params["b"][0]]
    for _ in range(epochs):
        for X_b, y_b in minibatches(X, y, batch_size, rng=gen,
                                    shuffle=how == "reshuffled every epoch"):
            _, grads = model.loss_and_grads(params, X_b, y_b)
            params, state = gd.update(params, grads, state, lr=lr)
            full_loss.append(model.loss(params, X, y))
            bias.append(params["b"][0])
    return np.array(full_loss), np.array(bias)


runs = {how: run(how) for how in ORDERS}
fig, (ax_l, ax_b) = plt.subplots(1, 2, figsize=(9, 3.4))
fig.subplots_adjust(wspace=0.3)
plots.plot_loss_curves({k: v[0] for k, v in runs.items()}, ax=ax_l, log=False)
for (label, (_, bias)), color in zip(runs.items(), plots.COLORS):
    ax_b.plot(bias, color=color, label=label)
ax_l.set_ylabel("loss on all records")
ax_b.set_xlabel("iteration (update)")
ax_b.set_ylabel("bias b")
ax_b.legend(fontsize="small")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# One seed is one draw of the shuffles. To tell a real difference from luck, the next cell runs
# each way with 20 seeds and reports mean ± standard deviation of three numbers: the final loss
# on all records, and how far the loss and $b$ swing during the last epoch (max − min). The
# sorted run has no randomness, so its spread is zero.

# %% tags=["slides-output-only"]
last_epoch = slice(-result.iterations_per_epoch, None)
seeds = range(20)
summary = {}
for how in ORDERS:
    rows = []
    for seed in seeds:
        full_loss, bias = run(how, seed)
        rows.append((full_loss[-1], np.ptp(full_loss[last_epoch]), np.ptp(bias[last_epoch])))
    summary[how] = np.array(rows)
print(f"{'':24s} {'final loss':>17s} {'loss swing, last epoch':>24s} "
      f"{'b swing, last epoch':>20s}   ({len(seeds)} seeds, mean ± sd)")
for how, rows in summary.items():
    mean, sd = rows.mean(axis=0), rows.std(axis=0)
    print(f"{how:24s} {mean[0]:9.4f} ± {sd[0]:.4f} {mean[1]:15.4f} ± {sd[1]:.4f} "
          f"{mean[2]:11.3f} ± {sd[2]:.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Without shuffling, the first half of every epoch shows the model only records of label 0, so
# every update pushes $b$ down ("predict 0"); the second half shows only 1s and pushes it back
# up. The loss swings in a cycle that repeats every epoch, and where training stops depends on
# which half came last: the sorted run ends with a higher loss, and its $b$ swings more than ten
# times as much in the last epoch as in either shuffled run.
#
# **Shuffling once is already enough to break the cycle.** After one random permutation every
# batch is a random sample of both labels, so its gradient is an unbiased estimate of the full
# gradient at fixed weights (Chapter 3), and $b$ stays near its best value. On this problem the shuffled-once and
# the reshuffled runs cannot be told apart: their means differ by less than one standard
# deviation of the seed-to-seed spread, on all three numbers. What matters here is that the order
# is random, not that it changes.
#
# Why reshuffle anyway? It costs one permutation per epoch, and it keeps the batches, and with
# them the noise of the gradient, from repeating the same sequence epoch after epoch, so no one
# unlucky order is used for the whole run. It is the common default: Keras's `fit` reshuffles
# every epoch when it is given NumPy arrays (its `shuffle` argument is ignored for a
# `tf.data.Dataset`, which shuffles only if the pipeline has its own `shuffle` step), and PyTorch's `DataLoader` does when asked with `shuffle=True` (its default is
# `shuffle=False`). Whether reshuffling trains faster than one fixed shuffle on larger problems is
# a question this small experiment does not answer.
#
# > **Interview angle.** "Why shuffle the data at the start of every epoch?" So that every batch
# > is a representative random sample (an unbiased gradient estimate at fixed weights), whatever order the data
# > came in. One shuffle already does that; reshuffling every epoch also makes the batches, and
# > with them the noise, differ from epoch to epoch instead of repeating one sequence.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
sorted_rows, once, every = (summary[how] for how in ORDERS)
claim(sorted_rows[0, 0] - max(once[:, 0].mean(), every[:, 0].mean()), gt=0,
      says="the sorted run ends with a higher loss")
claim(sorted_rows[0, 2] / max(once[:, 2].mean(), every[:, 2].mean()), gt=10,
      says="its $b$ swings more than ten times as much in the last epoch as in either shuffled run")
spread = np.sqrt((once.std(axis=0) ** 2 + every.std(axis=0) ** 2) / 2)
claim(bool(np.all(abs(once.mean(axis=0) - every.mean(axis=0)) < spread)),
      says="their means differ by less than one standard deviation of the seed-to-seed spread, "
           "on all three numbers")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explore: iterations per epoch
#
# The explorer of Chapter 3 trains GD, SGD and a mini-batch run on 100 records. Its message
# line prints, for each run, the iterations per epoch as $\lceil n/B \rceil$ and the total count.
# Before you move a slider, predict the numbers: with batch size 20? 50? With 7 epochs instead
# of 5?

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** counting, live.
# - **Demo:** `batch_size_explorer(n=100, batch_size=20, lr=0.1, epochs=5)`, used as a counting
#   exercise: before moving a slider, have the room predict the iterations per epoch for batch
#   size 20, 50, and for 7 epochs instead of 5; the message line prints the answer.
# - **Ask the room:** "100 records, batch size 50, 7 epochs: how many iterations in all?"
#   **Answer:** 14: two per epoch.

# %% tags=["nbval-ignore-output"]
batch_size_explorer(n=100, batch_size=20, lr=0.1, epochs=5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1 · Iterations per epoch
#
# Write `iterations_per_epoch_mine(n, batch_size)`: the number of iterations of one epoch
# (keep the short last batch).

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** iterations_per_epoch_mine and total_iterations, then five counting questions on
#   paper.
# - **Demo:** let the room answer "Count it yourself" on paper, then run its cell.
# - **Ask the room:** "10 records, batch size 3, 3 epochs: how many iterations?" **Answer:** 12:
#   four per epoch (3 + 3 + 3 + 1), not ⌈30/3⌉.
# - **Cut when short:** the two functions as homework; keep the counting questions.

# %%
def iterations_per_epoch_mine(n, batch_size):
    """Iterations (updates) in one epoch of n records with batches of batch_size."""
    ### BEGIN SOLUTION
    return math.ceil(n / batch_size)
    ### END SOLUTION


# %%
check("iterations_per_epoch", iterations_per_epoch_mine)

# %% slideshow={"slide_type": "skip"}
hint("iterations_per_epoch")

# %% [markdown]
# Your function against the library's, on 2,000 random pairs $(n, B)$ with $1 \le B \le n$:

# %%
if not check("iterations_per_epoch", iterations_per_epoch_mine):
    print("Pass the check above first, then run this cell again.")
else:
    pairs = np.random.default_rng(5).integers(1, 100_000, size=(2000, 2))
    pairs = [(int(max(a, b)), int(min(a, b))) for a, b in pairs]
    wrong = [(n, B) for n, B in pairs
             if iterations_per_epoch_mine(n, B) != iterations_per_epoch(n, B)]
    print(f"{len(pairs) - len(wrong)} of {len(pairs)} pairs agree with the library")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · Iterations in a training run
#
# Write `total_iterations(n, batch_size, epochs)`: the number of updates of a whole run.

# %%
def total_iterations(n, batch_size, epochs):
    """Iterations (updates) of a run of `epochs` epochs."""
    ### BEGIN SOLUTION
    return epochs * math.ceil(n / batch_size)
    ### END SOLUTION


# %%
check("total_iterations", total_iterations)

# %% slideshow={"slide_type": "skip"}
hint("total_iterations")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Count it yourself
#
# Answer on paper first, then run the cell below to compare.
#
# 1. 10,000 records, batch size 1,000, 1 epoch: how many iterations? And for SGD?
# 2. 1,000,000 records, batch size 20,000, 3 epochs: how many iterations in total?
# 3. 50,000 records, batch size 128: how many records are in the last batch?
# 4. 10 records, batch size 3, 3 epochs: how many iterations? (Careful: not $\lceil 30/3 \rceil$.)
# 5. A run logged 4,700 iterations over 10 epochs with batch size 64, short last batch kept.
#    How many records (at most, and at least) does the data set have? And with `drop_last`?

# %% tags=["slides-output-only"]
print("1.", iterations_per_epoch(10_000, 1000), "iterations;", iterations_per_epoch(10_000, 1),
      "for SGD")
print("2.", 3 * iterations_per_epoch(1_000_000, 20_000), "iterations")
print("3.", 50_000 - (iterations_per_epoch(50_000, 128) - 1) * 128, "records")
print("4.", 3 * iterations_per_epoch(10, 3), "iterations (4 per epoch: 3 + 3 + 3 + 1)")
per_epoch = 4_700 // 10
fewest, most = (per_epoch - 1) * 64 + 1, per_epoch * 64      # last batch of 1 ... of 64 records
assert iterations_per_epoch(fewest, 64) == iterations_per_epoch(most, 64) == per_epoch
assert iterations_per_epoch(fewest - 1, 64) < per_epoch < iterations_per_epoch(most + 1, 64)
print(f"5. {per_epoch} iterations per epoch: from {fewest:,} to {most:,} records "
      f"(short last batch kept)")
dropped = (per_epoch * 64, per_epoch * 64 + 63)    # drop_last: n // 64 = per_epoch
assert all(n_ // 64 == per_epoch for n_ in dropped)
assert (dropped[0] - 1) // 64 < per_epoch < (dropped[1] + 1) // 64
print(f"   with drop_last: from {dropped[0]:,} to {dropped[1]:,} records")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# **"50,000 records, batch size 128: how many iterations per epoch?"** $\lceil 50{,}000/128
# \rceil = \lceil 390.6 \rceil = 391$: 390 full batches and one of 80 records (390 with
# `drop_last`).
#
# **"A training loop is two nested loops: which one is outside?"** The loop over epochs; inside
# it, a reshuffle and then the loop over the batches of that epoch, each doing forward pass,
# loss, backward pass and update.
#
# **"Is an iteration the same as an epoch?"** Only for full-batch gradient descent, where one
# batch is the whole data set. For SGD an epoch is $n$ iterations.
#
# Now test yourself:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** three questions out loud: the count, the loops, iteration against epoch.
# - **Demo:** let the room answer each question before you reveal its answer; `quiz(chapter=4)`
#   for self-study.
# - **Ask the room:** "A training loop is two nested loops: which one is outside?" **Answer:** the
#   loop over epochs; inside it a reshuffle, then the loop over the batches.
# - **Cut when short:** leave the quiz as homework.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(50_000 / 128, approx=390.6, abs_tol=0.05, says="\\lceil 390.6 \\rceil = 391")
claim(50_000 - 390 * 128 == 80, says="one of 80 records")
claim(iterations_per_epoch(50_000, 128) == 391, says="390 full batches")

# %% tags=["nbval-ignore-output"]
quiz(chapter=4)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - An **iteration** is one update from one batch (forward pass, loss, backward pass, step); an
#   **epoch** is one pass over all records. One epoch takes $\lceil n / B \rceil$ iterations,
#   the last batch holding the leftover records; a run of $E$ epochs takes
#   $E \cdot \lceil n/B \rceil$.
# - Training is **two nested loops**: epochs outside, batches inside, with a **reshuffle** at the
#   start of every epoch so that every batch is a random sample and the batches change from
#   epoch to epoch. `course_lib.training.train` is exactly these loops.
# - **What is left.** With the counting settled, the problem of Chapter 3 remains: each
#   iteration's gradient is noisy, and the path zig-zags.
#   [Chapter 5](05_exponentially_weighted_average.ipynb) introduces the exponentially weighted
#   average, the tool that smooths a noisy series, and [Chapter 6](06_momentum.ipynb) applies it
#   to the gradients.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** iteration, epoch, ⌈n/B⌉; two nested loops with a reshuffle; the zig-zag of Chapter
#   3 is still open.
# - **Demo:** no code: read the summary.
# - **Ask the room:** "Which problem of Chapter 3 is still open?" **Answer:** each iteration's
#   gradient is noisy and the path zig-zags: Chapter 5 builds the tool that smooths it.
