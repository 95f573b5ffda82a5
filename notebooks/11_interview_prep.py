# %% [markdown]
# # Chapter 11 · Interview prep
#
# **What you will be able to do**
#
# - tell the story from gradient descent to Adam in two minutes, one step at a time:
#   the problem, the fix, the new problem it leaves;
# - back every step of that story with a number you measured yourself;
# - compute the classic interview numbers on the spot (iterations per epoch, the EWA window,
#   bias-correction factors, the largest stable learning rate);
# - write the update rules from memory, and check them;
# - answer every question of the course's bank, as a quiz or as flash cards.
#
# **Where it sits in the story.** [Chapter 10](10_choosing_an_optimizer.ipynb) raced every
# optimizer and ended with "which one would you use, and why?". This chapter turns the whole
# course into answers you can give out loud. Use it the evening before an interview, or as the
# last session of a course.

# %%
# %matplotlib inline
import math

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from course_lib import plots
from course_lib.claims import claim
from course_lib.data import iterations_per_epoch, make_regression
from course_lib.exercises import check, hint
from course_lib.models import LinearRegression
from course_lib.moving_averages import bias_correct, ewa_step, ewa_window
from course_lib.optimizers import OPTIMIZERS, AdamState
from course_lib.paths import run_path
from course_lib.problems import get_problem, noisy
from course_lib.quiz import flashcards, formula_sheet, questions, quiz
from course_lib.timing import time_together

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The whole course in one picture
#
# Four optimizers from the same start on a long, narrow bowl (condition number κ = 50): plain
# gradient descent and momentum with the same η, just below GD's stability limit, and RMSprop
# and Adam with η = 0.1: they divide by the size of the gradient, so each coordinate typically
# moves a fraction of η per step, however steep the slope.
# The learning rates are not tuned: this is a picture of the shapes of the paths, not a race
# ([Chapter 10](10_choosing_an_optimizer.ipynb) tunes and races them).
#
# The bowl is turned by 45°, so that its steep and shallow directions are not the axes $W_1$
# and $W_2$: on an axis-aligned bowl a rate per coordinate (Adagrad, RMSprop, Adam) meets the
# curvature exactly where it can act on it, which would flatter those methods by construction.
# The 45° turn is the opposite extreme (both diagonal entries of the curvature matrix are equal,
# so a per-coordinate rate has nothing to learn), so the numbers below give both bowls
# ([Chapter 7](07_adagrad.ipynb) races at the angles in between).
# If you can explain why each path looks the way it does, you can explain the course.

# %%
flat = get_problem("bowl", condition=50.0)              # axes along W1 and W2
bowl = get_problem("bowl", condition=50.0, angle=45)    # the same bowl, turned by 45°
turn = np.radians(45)
start = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]]) @ flat.start
hessian = np.column_stack([bowl.grad([1.0, 0.0]), bowl.grad([0.0, 1.0])])
steep = np.linalg.eigh(hessian)[1][:, -1]               # unit vector of the steep direction
eta_gd = 0.95 * 2 / bowl.lambda_max       # just below GD's limit 2/λ_max on this bowl
eta_pic = {"gd": eta_gd, "momentum": eta_gd, "rmsprop": 0.1, "adam": 0.1}
picture = {name: run_path(bowl, name, steps=60, lr=lr, start=start)
           for name, lr in eta_pic.items()}
aligned = {name: run_path(flat, name, steps=60, lr=lr) for name, lr in eta_pic.items()}


def reversals(path, direction):
    """Fraction of steps that move the opposite way along ``direction`` from the step before."""
    d = np.sign(np.diff(path @ direction))
    return float((d[1:] * d[:-1] < 0).mean())


fig, (ax_p, ax_l) = plt.subplots(1, 2, figsize=(9, 3.6))
plots.plot_contour(bowl, ax=ax_p, filled=True, alpha=0.45)
plots.plot_paths(bowl, {f"{n}, η = {lr:.3g}": picture[n] for n, lr in eta_pic.items()},
                 ax=ax_p, contour=False)
plots.plot_loss_curves(picture, ax=ax_l, f_min=0.0)
fig.subplots_adjust(wspace=0.3)
plt.show()
print(f"GD's stability limit on this bowl: 2/λ_max = {2 / bowl.lambda_max:.3g}")
print("loss after 60 steps, on the turned bowl and on the same bowl with axes W1, W2; "
      "direction reversals along the steep direction:")
for name, res in picture.items():
    print(f"  {name:9s} turned {res.losses[-1]:.2e}, axis-aligned {aligned[name].losses[-1]:.2e};"
          f" reversals in {reversals(res.path, steep):.0%} of the steps")

# %% [markdown]
# GD bounces between the steep walls on every step and crawls along the shallow floor.
# Momentum, with the same η, averages most of the bounces away. RMSprop and Adam divide each
# *coordinate* by the size of its own gradients: they stop bouncing, but on this turned bowl
# both coordinates feel the steep walls, so the division cannot single out the steep direction,
# and with η = 0.1 they are still crawling along the floor after 60 steps. On the same bowl
# with its axes along $W_1$ and $W_2$ (printed above) they end far closer to the minimum, while
# GD and momentum do not notice the turn at all. A rate per coordinate is a *diagonal*
# preconditioner: it helps as much as the curvature is aligned with the axes
# ([Chapter 7](07_adagrad.ipynb)). The rest of this chapter tells the story in words, with a
# number behind every sentence.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
typical = [np.median(np.abs(np.diff(picture[n].path, axis=0))) / eta_pic[n]
           for n in ("rmsprop", "adam")]                # median move of a coordinate / η
claim(min(typical), gt=0.1, says="each coordinate typically moves a fraction of η per step")
claim(max(typical), lt=1, says="each coordinate typically moves a fraction of η per step")
claim(reversals(picture["gd"].path, steep), approx=1.0, abs_tol=1e-12,
      says="GD bounces between the steep walls on every step")
claim(reversals(picture["momentum"].path, steep), lt=0.25,
      says="Momentum, with the same η, averages most of the bounces away")
claim(max(reversals(picture[n].path, steep) for n in ("rmsprop", "adam")), lt=0.05,
      says="they stop bouncing")
claim(min(picture[n].losses[-1] for n in ("rmsprop", "adam")), gt=10 * picture["gd"].losses[-1],
      says="with η = 0.1 they are still crawling along the floor after 60 steps")
claim(max(aligned[n].losses[-1] / picture[n].losses[-1] for n in ("rmsprop", "adam")), lt=0.05,
      says="they end far closer to the minimum")
claim(max(abs(aligned[n].losses[-1] / picture[n].losses[-1] - 1) for n in ("gd", "momentum")),
      lt=1e-9, says="GD and momentum do not notice the turn at all")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explain it to an interviewer: from GD to Adam
#
# The classic question: *"Walk me through the optimizers from gradient descent to Adam."* The
# strongest answers have a rhythm: **problem → fix → new problem**, one short paragraph per
# step. Below, each paragraph is written by code, so every number in it was measured just now.
#
# The first steps are about *how much data* one update uses; we measure them on a linear
# regression with many records.

# %%
big = make_regression(n=100_000, d=20, noise=0.5, rng=0)
model = LinearRegression(big.d)
w0 = {"W": np.zeros(big.d), "b": np.zeros(1)}
_, g_full = model.loss_and_grads(w0, big.X, big.y)
flat_full = np.concatenate([g.ravel() for g in g_full.values()])


def gradient_error(batch, draws=50, seed=0):
    """RMS of ‖dW_batch − dW_full‖ / ‖dW_full‖ at the same weights, over random batches."""
    rng, errs = np.random.default_rng(seed), []
    for _ in range(draws):
        idx = rng.choice(big.n, size=batch, replace=False)
        _, g = model.loss_and_grads(w0, big.X[idx], big.y[idx])
        errs.append(np.linalg.norm(np.concatenate([v.ravel() for v in g.values()]) - flat_full))
    return np.sqrt(np.mean(np.square(errs))) / np.linalg.norm(flat_full)


B = 64
err_sgd, err_mini = gradient_error(1), gradient_error(B)
print(f"records: {big.n:,}; the inputs X alone take {big.X.nbytes / 2**20:.1f} MiB")
print(f"gradient error (RMS) at W = 0, one record: {err_sgd:.2f}; a batch of {B}: {err_mini:.3f}")
print(f"iterations per epoch: GD 1, SGD {iterations_per_epoch(big.n, 1):,}, "
      f"mini-batch {iterations_per_epoch(big.n, B):,}")

# %% [markdown]
# The time of one update depends on the machine and its load, so it is printed in a cell that
# the automatic checks do not compare; the three gradients are timed together, in interleaved
# rounds, with the course's timer (`time_together`):

# %% tags=["nbval-ignore-output"]
cost = time_together({
    "all records": lambda: model.loss_and_grads(w0, big.X, big.y),
    f"{B} records": lambda: model.loss_and_grads(w0, big.X[:B], big.y[:B]),
    "1 record": lambda: model.loss_and_grads(w0, big.X[:1], big.y[:1]),
}, repeat=5)
for name, timing in cost.items():
    ratio = cost["all records"].seconds / timing.seconds
    print(f"gradient on {name:11s}: {timing}"
          + (f"; {ratio:.0f}× cheaper than on all records" if name != "all records" else ""))

# %%
display(Markdown(f"""
**1. Gradient descent.** *Problem:* we want the weights that minimise the loss. *Fix:* step
against the gradient, $W = W - \\eta\\, dW$, with $dW$ computed on **all** records. The step is
exact and the path smooth. *New problem:* every single update needs a forward and backward pass
over the whole data set, here {big.n:,} records whose inputs alone take
{big.X.nbytes / 2**20:.1f} MiB; with millions of records each update is slow and memory-hungry
(the time per update is printed above).

**2. Stochastic gradient descent.** *Fix:* estimate $dW$ from one record; an update becomes
cheap. *New problem:* that estimate is very noisy: at the start $W = 0$ it is off by {err_sgd:.0%} of
the true gradient's length (root mean square over 50 draws), and one epoch now takes
{iterations_per_epoch(big.n, 1):,} Python-level updates.

**3. Mini-batch SGD.** *Fix:* a batch of B records ({B} here): the error falls to
{err_mini:.1%}, close to $1/\\sqrt{{B}}$ of the one-record error ({err_sgd / math.sqrt(B):.1%}), as
expected: the RMS error of an average of B independent records scales as $1/\\sqrt{{B}}$, and an epoch takes {iterations_per_epoch(big.n, B):,} iterations, each vectorised.
*New problem:* the path still zig-zags, and on an elongated loss surface one η cannot suit both
the steep and the shallow directions.
"""))

# %% slideshow={"slide_type": "skip"} tags=["hide-cell"]
# Checks of the words the paragraphs above print around the numbers.
assert err_sgd > 1, "SGD's estimate is very noisy (off by more than the gradient's length)"
assert 0.8 < err_mini * math.sqrt(B) / err_sgd < 1.25, "the RMS error scales as 1/√B"

# %% [markdown]
# The next steps are about *how to step*; we measure them on the turned bowl of the picture,
# with and without noise in the gradient (the course's `noisy` problem imitates mini-batch
# noise; three seeds, mean ± sd). For momentum's speed we tune η, and β, for each method on a
# grid and count the steps to a loss below $10^{-6}$.

# %%
zig = {n: reversals(picture[n].path, steep) for n in ("gd", "momentum")}
shorter = []                                     # GD's / momentum's final step length, per seed
for seed in range(3):
    lengths = {}
    for name in ("gd", "momentum"):
        res = run_path(noisy(bowl, sigma=2.0, rng=seed), name, steps=300, lr=eta_gd / 2,
                       start=start)
        lengths[name] = np.linalg.norm(np.diff(res.path[-100:], axis=0), axis=1).mean()
    shorter.append(lengths["gd"] / lengths["momentum"])


def steps_to(name, lr, tol=1e-6, **hparams):
    """Steps until the loss first falls below tol (None if not within 600 steps)."""
    res = run_path(bowl, name, steps=600, lr=lr, start=start, **hparams)
    hit = np.flatnonzero(res.losses <= tol)
    return int(hit[0]) if hit.size else None


gd_grid = np.linspace(0.01, 0.0399, 30)                 # up to GD's limit 2/λ_max = 0.04
mom_betas, mom_grid = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9), np.geomspace(0.05, 1.0, 25)
gd_runs = {lr: steps_to("gd", lr) for lr in gd_grid}
mom_runs = {(b, lr): steps_to("momentum", lr, beta=b) for b in mom_betas for lr in mom_grid}
gd_best = min((n, lr) for lr, n in gd_runs.items() if n is not None)
mom_best = min((n, key) for key, n in mom_runs.items() if n is not None)
beta_best = mom_best[1][0]
mom_limit = 2 * (1 + 0.9) / ((1 - 0.9) * bowl.lambda_max)   # EWA form, β = 0.9
best_limit = 2 * (1 + beta_best) / ((1 - beta_best) * bowl.lambda_max)   # the tuned β
kappa = bowl.lambda_max                                  # smallest curvature is 1
at_edge = {"GD": gd_best[1] in (gd_grid[0], gd_grid[-1]),
           "momentum": mom_best[1][0] in (mom_betas[0], mom_betas[-1])
           or mom_best[1][1] in (mom_grid[0], mom_grid[-1])}

rates, rises = {}, {}
for name in ("adagrad", "rmsprop"):
    res = run_path(noisy(bowl, sigma=2.0, rng=0), name, steps=1000, lr=0.05, record_lr=True,
                   start=start)
    rates[name] = res.lr_eff[-1] / res.lr_eff[0]               # step 1000 vs step 1
    rises[name] = float((np.diff(res.lr_eff, axis=0) > 0).mean())   # how often it went up
adam = OPTIMIZERS["adam"]
hp = adam.defaults
first = adam.update({"W": np.zeros(2)}, {"dW": np.array([0.3, -40.0])}, adam.init(
    {"W": np.zeros(2)}), **hp)[0]["W"]
uncorrected = (1 - hp["beta1"]) / math.sqrt(1 - hp["beta2"])   # neither v nor s corrected
v_only = 1 / math.sqrt(1 - hp["beta2"])                         # v corrected, s not
print(f"direction reversals along the steep direction, same η: GD {zig['gd']:.0%}, "
      f"momentum {zig['momentum']:.0%}")
print(f"noisy gradient, same η: GD's final steps / momentum's = {np.mean(shorter):.1f} ± "
      f"{np.std(shorter, ddof=1):.1f} (3 seeds)")
print(f"steps to loss < 1e-6 at the best η of the grid: GD {gd_best[0]} (η = {gd_best[1]:.4f}), "
      f"momentum {mom_best[0]} (β = {mom_best[1][0]}, η = {mom_best[1][1]:.3f}); "
      f"ratio {gd_best[0] / mom_best[0]:.1f}, √κ = {math.sqrt(kappa):.1f}; "
      f"winner at the edge of its grid: {at_edge}")
print(f"largest stable η: GD 2/λ_max = {2 / bowl.lambda_max:.2f}, momentum (β = {beta_best}) "
      f"2(1+β)/((1−β)λ_max) = {best_limit:.2f}")
print("effective rate, step 1000 / step 1, per coordinate:  ",
      {n: np.round(r, 3).tolist() for n, r in rates.items()})
print("share of steps in which the effective rate went up:   ",
      {n: f"{r:.0%}" for n, r in rises.items()})
print(f"Adam's first step / η for gradients 0.3 and −40: {np.abs(first / hp['lr']).round(6)}")

# %%
display(Markdown(f"""
**4. Momentum.** *Fix:* step along an exponentially weighted average of the gradients,
$v_{{dW}} = \\beta v_{{dW}} + (1-\\beta)\\, dW$, $W = W - \\eta\\, v_{{dW}}$: the components that
flip sign cancel, the consistent ones pass through. On the bowl, with the same η, GD reversed
its direction along the steep direction in {zig['gd']:.0%} of the steps, momentum in
{zig['momentum']:.0%}; with a noisy gradient, momentum's steps at the end were
{np.mean(shorter):.1f} ± {np.std(shorter, ddof=1):.1f} times shorter than GD's. On a steady
slope the average equals the gradient, so at the same η momentum's step *is* GD's step:
steadier, not bigger. Its speed-up comes from choosing β and η together, with an η GD could
not survive: the tuned pair's η = {mom_best[1][1]:.3f} is {mom_best[1][1] / (2 / bowl.lambda_max):.1f}
times GD's limit of {2 / bowl.lambda_max:.2f} (momentum with β = {beta_best} is stable up to
{best_limit:.2f}). Even at GD's own η momentum can be faster on a quadratic (the picture:
{picture['momentum'].losses[-1]:.1e} against {picture['gd'].losses[-1]:.1e} after 60 steps),
because its rate is set by β, not η. Each tuned on a grid, momentum (β = {mom_best[1][0]}, η = {mom_best[1][1]:.3f}) reached a loss below
$10^{{-6}}$ in {mom_best[0]} steps, GD (η = {gd_best[1]:.4f}) in {gd_best[0]}:
{gd_best[0] / mom_best[0]:.1f} times fewer, of the order of $\\sqrt{{\\kappa}}$ = {math.sqrt(kappa):.1f}
([Chapter 6](06_momentum.ipynb) tells this story in full). *New problem:* every parameter
still moves with the same η.

**5. Adagrad.** *Fix:* give each parameter its own rate, dividing η by the root of the sum of
its squared gradients, $\\alpha_t$: coordinates with large gradients slow down, those with small
ones speed up (which helps as much as the steep and shallow directions are the coordinate axes:
see the picture). *New problem:* $\\alpha_t$ only grows. With a noisy gradient the effective rate
after 1000 steps had fallen to {rates['adagrad'].min():.1%}–{rates['adagrad'].max():.1%} of its
first value, and it never went up ({rises['adagrad']:.0%} of the steps): a sum of squares can
only grow. In a long training run the updates shrink towards zero and learning stalls.

**6. RMSprop** (and Adadelta). *Fix:* replace the sum by an exponentially weighted average of
$dW^2$, $s_{{dW}}$; old gradients are forgotten, and the rate no longer collapses: after 1000
steps it stood at {rates['rmsprop'].min():.2f}–{rates['rmsprop'].max():.2f} times its first
value, and it went up again in {rises['rmsprop']:.0%} of the steps, whenever the recent
gradients were small.
*New problem:* the direction is again the raw, noisy gradient, without momentum's smoothing.

**7. Adam.** *Fix:* keep both averages, momentum's $v_{{dW}}$ (β1) and RMSprop's $s_{{dW}}$
(β2), correct their start-up bias by dividing by $1-\\beta_1^t$ and $1-\\beta_2^t$, and step
$\\eta\\, \\hat v_{{dW}} / (\\sqrt{{\\hat s_{{dW}}}} + \\varepsilon)$. The first step moves every
coordinate by {np.abs(first / hp['lr']).min():.3f}·η, whatever its gradient (0.3 or −40 above);
with neither average corrected it would be {uncorrected:.2f}·η (too large: $s$ is the more
biased of the two), and with only $v$ corrected {v_only:.1f}·η. *What is left:* η still has to
be chosen, and often scheduled; weight decay belongs in the decoupled form, AdamW
([Chapter 9](09_adam.ipynb) measures why); and on some tasks well-tuned SGD with momentum is
reported to generalise better ([Chapter 10](10_choosing_an_optimizer.ipynb) races them all).
"""))

# %% slideshow={"slide_type": "skip"} tags=["hide-cell"]
# Checks of the words the paragraphs above print around the numbers.
assert zig["momentum"] < zig["gd"], "momentum reversed its direction less often than GD"
assert min(shorter) > 1, "momentum's steps at the end were shorter than GD's, on every seed"
assert gd_best[0] > 2 * mom_best[0], "tuned, momentum needed fewer steps than GD"
assert 0.5 < (gd_best[0] / mom_best[0]) / math.sqrt(kappa) < 1.5, "of the order of √κ"
assert not any(at_edge.values()), "no winner at the edge of its grid"
below, above = (run_path(bowl, "momentum", steps=1000, lr=f * best_limit,
                                 beta=beta_best, start=start)
                for f in (0.95, 1.05))
assert below.losses[-1] < 1e-3 * below.losses[0] and above.diverged, \
    "momentum with the tuned β diverges only above 2(1+β)/((1−β)λ_max)"
assert mom_best[1][1] > 2 / bowl.lambda_max, "an η GD could not survive"
assert picture["momentum"].losses[-1] < picture["gd"].losses[-1], \
    "even at GD's own η momentum can be faster on a quadratic"
assert (rates["adagrad"] < 0.5).all() and rises["adagrad"] == 0, "Adagrad's rate only fell"
assert rises["rmsprop"] > 0.1, "RMSprop's rate went up again"
assert np.allclose(np.abs(first / hp["lr"]), 1, atol=1e-6), "Adam's first step is η"

# %% [markdown]
# *Interview angle:* practise saying the seven paragraphs out loud in under two minutes.
# Interviewers interrupt: if they ask "why?" after any sentence, the number under it is your
# answer.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Numbers to compute on the spot
#
# Interviewers like a quick calculation. Each line below is computed with the course's own
# functions or straight from the formula it names (ε negligible throughout); cover the
# right-hand side and answer first.

# %%
b1, b2 = hp["beta1"], hp["beta2"]
corr_10 = bias_correct(1.0, b1, 10)          # = 1 / (1 − β1^10)
v1 = ewa_step(0.0, 5.0, b1)
rms_first = {beta: 1 / math.sqrt(1 - beta) for beta in (0.9, 0.99)}   # η·|g| / √((1−β)·g²)
print(f"iterations per epoch, 50,000 records, batch 128:   {iterations_per_epoch(50_000, 128)}"
      f" ({50_000 // 128} with drop_last)")
print(f"iterations per epoch, 10,000 records, batch 1,000: {iterations_per_epoch(10_000, 1000)}")
print(f"about 1/(1 − β) values in an EWA, β = 0.9 / 0.98 / 0.999: "
      f"{ewa_window(0.9):.0f} / {ewa_window(0.98):.0f} / {ewa_window(0.999):.0f}")
print(f"momentum v_1 after one gradient dW = 5, β = 0.9:    {v1:.2f}")
print(f"bias-corrected v̂_t = v_t/(1 − β1^t), at t = 1:      {v1 / (1 - b1 ** 1):.2f}")
print(f"bias-correction factor 1/(1 − β1^t) at t = 10:      {corr_10:.3f}")
print(f"Adam's first step, neither average corrected:       {uncorrected:.2f}·η")
print(f"Adam's first step, only v corrected:                {v_only:.1f}·η")
print(f"RMSprop's first step (no correction), β = 0.9:      {rms_first[0.9]:.2f}·η")
print(f"  ... with PyTorch's default alpha = 0.99:          {rms_first[0.99]:.2f}·η")
print(f"GD converges on a bowl with λ_max = {bowl.lambda_max:g} for η below 2/λ_max = "
      f"{2 / bowl.lambda_max:.3g}")
print(f"  ... momentum (EWA form, β = 0.9) for η below 2(1+β)/((1−β)λ_max) = {mom_limit:.3g}")

# %% [markdown]
# Two of these depend on a convention. The course's RMSprop uses β = 0.9, the value of Hinton's
# lecture slides; PyTorch's `RMSprop` defaults to `alpha=0.99` (its name for β), which makes the
# uncorrected first step 10·η instead of about 3.2·η. And momentum's limit is for the course's
# EWA form; PyTorch's `SGD(lr, momentum=β)` takes `lr = η·(1 − β)` for the same steps (the
# [notation page](../docs/notation.md) has every mapping).

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(rms_first[0.99], approx=10, rel=1e-9,
      says="which makes the uncorrected first step 10·η instead of about 3.2·η")
claim(rms_first[0.9], approx=3.2, rel=0.02,
      says="which makes the uncorrected first step 10·η instead of about 3.2·η")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The formula sheet
#
# One page. Its rules and defaults are generated from the optimizer registry, so they cannot
# disagree with the code; the conventions under the table are written by hand (the
# [notation page](../docs/notation.md) gives their sources).

# %%
display(Markdown(formula_sheet()))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Write them from memory
#
# The whiteboard part of the interview. Three classics, each checked by the course's checker,
# which names the usual mistakes (floor instead of ceil, a missing bias correction, β1 and β2
# swapped, ...).
#
# ### Exercise 1: iterations per epoch

# %%
def iterations_per_epoch_mine(n, batch_size):
    ### BEGIN SOLUTION
    return math.ceil(n / batch_size)
    ### END SOLUTION


# %%
check("iterations_per_epoch", iterations_per_epoch_mine)

# %%
hint("iterations_per_epoch")

# %% [markdown]
# ### Exercise 2: the bias-corrected EWA
#
# For a series $a_1, \dots, a_T$ return $\hat v_t = v_t / (1-\beta^t)$ for every t, with
# $v_t = \beta v_{t-1} + (1-\beta) a_t$ and $v_0 = 0$.

# %%
def ewa_bias_corrected(a, beta):
    ### BEGIN SOLUTION
    v, out = 0.0, []
    for t, a_t in enumerate(a, start=1):
        v = beta * v + (1 - beta) * a_t
        out.append(v / (1 - beta ** t))
    return np.array(out)
    ### END SOLUTION


# %%
check("ewa_bias_corrected", ewa_bias_corrected)

# %%
hint("ewa_bias_corrected")

# %% [markdown]
# ### Exercise 3: Adam, from memory
#
# The classic whiteboard question. Write it without looking at [Chapter 9](09_adam.ipynb), then race
# it against the library.

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

# %%
hint("adam_update")

# %%
try:
    mine = run_path(bowl, "adam", steps=200, lr=0.1, update=adam_update)
    ref = run_path(bowl, "adam", steps=200, lr=0.1)
    print("same path as the library's Adam:", np.allclose(mine.path, ref.path, rtol=1e-10,
                                                           atol=1e-12))
except NotImplementedError:
    print("Complete `adam_update` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Rehearse the story live
#
# The playground with the optimizers of the story. Tell the seven paragraphs while you move
# the sliders: raise GD's η until it zig-zags, add momentum, switch to RMSprop and Adam.

# %% tags=["nbval-ignore-output"]
from course_lib.widgets import playground  # noqa: E402

playground("rosenbrock", ["gd", "momentum", "adagrad", "rmsprop", "adam"], steps=200)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question bank
#
# Every chapter's interview questions live in one bank: multiple choice, numbers to compute,
# and "explain" questions graded by the ideas a good answer mentions. Each answer says where in
# the course the experiment behind it is.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(all("experiment" in q for q in questions()),
      says="Each answer says where in the course the experiment behind it is.")

# %%
bank = questions()
by_chapter = {}
for q in bank:
    by_chapter[q["chapter"]] = by_chapter.get(q["chapter"], 0) + 1
kinds = {k: sum(q["kind"] == k for q in bank) for k in ("choice", "numeric", "explain")}
print(f"{len(bank)} questions: " + ", ".join(f"{n} {k}" for k, n in kinds.items()))
for chapter, n in by_chapter.items():
    print(f"  {chapter.replace('_', ' '):32s} {n}")

# %% [markdown]
# Three classic traps:
#
# - **"50,000 records, batch size 128: iterations per epoch?"** Not 390: the last, smaller
#   batch counts too, so it is the ceiling of the division, 391 (computed above). It is 390 only
#   if the loader drops the last partial batch (`drop_last=True` in PyTorch).
# - **"Why does Adam need bias correction?"** Because both averages start at zero and are too
#   small early on. The follow-up separates good answers from great ones: with β2 = 0.999 and
#   neither average corrected, the first step is *too large*, $(1-\beta_1)/\sqrt{1-\beta_2}$
#   ≈ 3.16 times η, because $s$ is the more biased of the two; the "about 30 times" one sometimes
#   hears is the case where only $v$ is corrected (both computed above).
# - **"Why does Adagrad stall?"** Its accumulator is a sum, not an average; the measured
#   collapse of its rate is in the story above.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(iterations_per_epoch(50_000, 128), approx=391, abs_tol=0,
      says="so it is the ceiling of the division, 391")
claim(50_000 // 128, approx=390, abs_tol=0,
      says="It is 390 only if the loader drops the last partial batch")
claim(uncorrected, approx=3.16, rel=1e-3, says="≈ 3.16 times η")
claim(v_only, approx=30, rel=0.06,
      says='the "about 30 times" one sometimes hears is the case where only $v$ is corrected')

# %% [markdown]
# ### The quiz
#
# All questions, in a random order (change `rng` for another order), with immediate feedback
# and a running score by chapter.

# %% tags=["nbval-ignore-output"]
quiz(rng=0)

# %% [markdown]
# ### Flash cards
#
# The same bank as cards: question on the front, answer and explanation on the back.

# %% tags=["nbval-ignore-output"]
flashcards(rng=1)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - The story is a chain: **GD** (exact, slow) → **SGD** (cheap, noisy) → **mini-batch**
#   (the compromise, still zig-zagging) → **momentum** (smooths the direction) → **Adagrad**
#   (a rate per parameter, which collapses) → **RMSprop** (an average instead of a sum) →
#   **Adam** (momentum + RMSprop + bias correction). Each link fixes the previous problem and
#   leaves a new one; every link was measured above.
# - The numbers to know are computed by the course's functions, and the formula sheet's rules and
#   defaults come from the optimizer registry: neither can drift from the code.
# - For practice: the quiz and the flash cards cover every chapter; the playground lets you
#   tell the story live. When a question stumps you, the answer names the notebook and the
#   section where the experiment behind it lives; go back to [Chapter 0](00_introduction.ipynb)
#   for the beginning of the story, or to [Chapter 10](10_choosing_an_optimizer.ipynb) for
#   the race.
