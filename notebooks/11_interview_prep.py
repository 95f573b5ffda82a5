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
# - answer the questions the chapters leave out but interviews ask: gradient clipping, batch
#   size and the learning rate, warm-up, LARS/LAMB, Lion, optimizer memory, the learning-rate
#   range test, second-order methods, saddle points, sharp and flat minima;
# - answer every question of the course's bank, as a quiz, as flash cards that come back on a
#   schedule, or as a mock interview under a clock, and see your progress per topic.
#
# **Where it sits in the story.** [Chapter 10](10_choosing_an_optimizer.ipynb) raced every
# optimizer and ended with "which one would you use, and why?". This chapter turns the whole
# course into answers you can give out loud. Use it the evening before an interview, or as the
# last session of a course.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** this chapter turns the course into answers given out loud; run the session as a mock
#   interview, not a lecture.
# - **Demo:** none; read the goals and announce the format: the story in two minutes, numbers on the
#   spot, formulas from memory, then questions in pairs.
# - **Ask the room:** "An interviewer says: walk me through the optimizers from GD to Adam. What
#   shape should the answer have?" **Answer:** problem → fix → new problem, one short paragraph per
#   step, each backed by a number.

# %% slideshow={"slide_type": "skip"}
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
from course_lib.quiz import (flashcards, formula_sheet, mock_interview, progress, questions,
                             quiz, review, topic_of)
from course_lib.teaching.mock_interview import draw_questions
from course_lib.teaching.srs import BOXES, INTERVALS
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

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** if you can explain why each of the four paths looks as it does, you can explain the
#   course: GD bounces on every step, momentum averages the bounces away, RMSprop and Adam divide
#   per coordinate, which helps on the axis-aligned bowl and not on the bowl turned by 45°.
# - **Demo:** the picture (κ = 50, GD and momentum at η just below GD's limit 0.04, RMSprop and Adam
#   at η = 0.1) and the printed losses after 60 steps on the turned and the axis-aligned bowl, with
#   the reversals.
# - **Ask the room:** "RMSprop ends at 1.54 on the turned bowl and 5.24e-05 on the axis-aligned one,
#   while GD does not notice the turn. Why?" **Answer:** a rate per coordinate is a diagonal
#   preconditioner: it helps as far as the curvature lines up with the axes; GD and momentum treat
#   every direction alike.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
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

# %% [markdown] slideshow={"slide_type": "subslide"}
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

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 8 min**
#
# - **Point:** seven paragraphs, problem → fix → new problem, every number measured just now: GD
#   reads all records per update; SGD's one-record gradient is off by 477% of the gradient's length;
#   a batch of 64 brings it to 58.9%; momentum reverses in 14% of the steps against GD's 100%;
#   Adagrad's rate collapses; RMSprop's rate stays alive; Adam's first step is η per coordinate.
# - **Demo:** run the cells and read the paragraphs aloud one at a time, pointing at each number
#   (the timing cell depends on the machine: read the ratios, not the seconds).
# - **Ask the room:** after each paragraph, "why?" **Answer:** the number under the sentence is the
#   answer (for example momentum: tuned with β = 0.6 it reached loss < 1e-6 in 36 steps against GD's
#   201, of the order of √κ = 7.1).
# - **Cut when short:** read only the Problem / New problem sentences; let the room fill in the
#   fixes.

# %% tags=["slides-output-only"]
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

# %% [markdown] slideshow={"slide_type": "subslide"}
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

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# The next steps are about *how to step*; we measure them on the turned bowl of the picture,
# with and without noise in the gradient (the course's `noisy` problem imitates mini-batch
# noise; three seeds, mean ± sd). For momentum's speed we tune η, and β, for each method on a
# grid and count the steps to a loss below $10^{-6}$.

# %% tags=["slides-output-only"]
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

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# *Interview angle:* practise saying the seven paragraphs out loud in under two minutes.
# Interviewers interrupt: if they ask "why?" after any sentence, the number under it is your
# answer.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Numbers to compute on the spot
#
# Interviewers like a quick calculation. Each line below is computed with the course's own
# functions or straight from the formula it names (ε negligible throughout); cover the
# right-hand side and answer first.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** the classic quick calculations: iterations per epoch, the EWA window, v₁ and its
#   correction, the bias-correction factor, Adam's and RMSprop's uncorrected first steps, the
#   largest stable η of GD and momentum.
# - **Demo:** cover the right-hand side of the printed list, ask the room for each line, then
#   uncover it.
# - **Ask the room:** "50,000 records, batch size 128: iterations per epoch?" **Answer:** 391, the
#   ceiling of the division (390 only with `drop_last=True`).

# %% tags=["slides-output-only"]
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
# ## Beyond the chapters: training at scale
#
# Five questions that come up in interviews for roles that train large models, and that
# Chapters 0–10 leave out. Each subsection gives the question, a short answer with its formula, and one small
# experiment that shows the mechanism. A toy problem can show *why* a rule works; it cannot show
# that the rule holds on a large network: for that, the papers named are the evidence. The few
# lines the library does not have (clipping, LAMB's ratio, Lion) are written out in the cells.
#
# [Chapter 12](12_optimizers_at_scale.ipynb) takes these topics further with the library's own
# tools: clipping, warm-up and schedules, batch size, gradient accumulation, optimizer memory,
# training on several workers, and RAdam, Adafactor, Muon and Lion.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** gradient clipping, batch size and the learning rate, warm-up, LARS/LAMB and Lion:
#   what candidates for large-model roles get asked; each subsection pairs a short answer with a toy
#   experiment.
# - **Demo:** none in class; name the five questions and set the section as homework with
#   `quiz(topic="clipping")`, `quiz(topic="batch_size")`, `quiz(topic="warmup")`,
#   `quiz(topic="lars_lamb")` and `quiz(topic="lion")`.
# - **Ask the room:** "Clip by norm or by value?" **Answer:** by norm: it caps the length and keeps
#   the direction; clipping by value turned the spike of the experiment by 44°.
# - **Cut when short:** this section is homework by default.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Gradient clipping: by norm or by value
#
# *"What is gradient clipping? Why clip by norm rather than by value, and where does it go
# with Adam?"*
#
# Clipping caps the gradient before the optimizer sees it. **By norm**: if
# $\lVert dW\rVert > c$, then $dW \leftarrow dW \cdot c/\lVert dW\rVert$: the length is capped at
# $c$, the direction is kept. **By value**: every coordinate is cut to $[-c, c]$: large
# coordinates are cut more than small ones, so the direction changes. Pascanu et al. (2013)
# proposed norm clipping for recurrent networks, whose loss has "cliffs": one step onto a cliff
# meets a gradient far larger than usual, and a plain step along it throws the weights far away.
# Today it is routine far beyond RNNs: large Transformer language models (GPT-3, LLaMA) clip the
# global norm at $c = 1.0$; $c$ is chosen from the logged gradient norm, so that it cuts only
# outliers.
# PyTorch's `clip_grad_norm_` (like TensorFlow's `clip_by_global_norm` and Keras's
# `global_clipnorm`) takes one norm over all parameters together; Keras's `clipnorm` clips each
# weight tensor by its own norm: a convention, so say which one you mean. PyTorch's call
# runs between the backward pass and `optimizer.step()`, so with Adam it clips the raw gradient,
# *before* Adam's averages and its division by $\sqrt{\hat s}$.
#
# The experiment: a spike $dW = (300, 4)$ clipped both ways with $c = 1$; then GD and Adam on a
# bowl where the gradient of step 20 comes out 1000 times too large (a cliff), with and without
# clipping by norm at $c = 50$ (above every normal gradient of the run, so only the spike is cut).
# Last, Adam's averages alone, on one coordinate whose gradient is always 1, with the same
# spike early (step 20) or late (step 5000) in training.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
def clip_by_norm(g, c):
    """Scale g down to length c when it is longer: the direction is kept."""
    norm = np.linalg.norm(g)
    return g * (c / norm) if norm > c else g


def clip_by_value(g, c):
    """Cut every coordinate to [-c, c]: the direction changes."""
    return np.clip(g, -c, c)


def turned_by(a, b):
    """Angle between two vectors, in degrees."""
    cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    return math.degrees(math.acos(min(1.0, cos)))


spike = np.array([300.0, 4.0])
clipped = {"norm": clip_by_norm(spike, 1.0), "value": clip_by_value(spike, 1.0)}
for how, g in clipped.items():
    print(f"clip by {how:5s} (c = 1): dW = {g.round(4)}, length {np.linalg.norm(g):.3f}, "
          f"turned by {turned_by(g, spike):.1f}°")

cliff_bowl = get_problem("bowl", condition=10.0)


def run_with_spike(name, lr, clip=None, steps=300, at=20, factor=1000.0):
    """A run whose gradient at step `at` is `factor` times too large; clip by norm if asked."""
    opt = OPTIMIZERS[name]
    hparams = opt.check_hparams(lr=lr)                  # checked once; opt.step skips the checks
    params, state = {"W": np.array(cliff_bowl.start)}, opt.init({"W": np.zeros(2)})
    moves, losses, norms = [], [], []
    for t in range(steps):
        g = cliff_bowl.grad(params["W"])
        norms.append(np.linalg.norm(g))
        if t == at:
            g = g * factor
        if clip is not None:
            g = clip_by_norm(g, clip)                  # on the raw gradient, before the optimizer
        new, state = opt.step(params, {"dW": g}, state, **hparams)
        moves.append(np.linalg.norm(new["W"] - params["W"]))
        params = new
        losses.append(cliff_bowl.value(params["W"]))
    return {"moves": np.array(moves), "losses": np.array(losses), "norm": max(norms)}


cliff = {(name, clip): run_with_spike(name, 0.05, clip)
         for name in ("gd", "adam") for clip in (None, 50.0)}
print(f"largest gradient norm met in the clipped runs (before the spike's factor): "
      f"{max(cliff[name, 50.0]['norm'] for name in ('gd', 'adam')):.1f}")
for (name, clip), r in cliff.items():
    m = r["moves"]
    print(f"{name:4s} η = 0.05, clip {'off' if clip is None else f'at c = {clip:g}':9s}: "
          f"move at the spike {m[20]:.3g} (step before {m[19]:.3g}); next 100 moves / the move "
          f"before, median {np.median(m[21:121]) / m[19]:.3f}; highest loss {r['losses'].max():.3g},"
          f" loss after 300 steps {r['losses'][-1]:.2g}")


def adam_after_spike(at, factor=1000.0, after=8000, beta1=0.9, beta2=0.999):
    """Adam's steps, in units of η, on one coordinate whose gradient is 1 except at step `at`."""
    v = s = 0.0
    steps = []
    for t in range(1, at + after + 1):
        g = factor if t == at else 1.0
        v = beta1 * v + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g * g
        steps.append(v / (1 - beta1 ** t) / math.sqrt(s / (1 - beta2 ** t)))
    return np.array(steps)                              # steps[t - 1] is step t; 1.0 without spike


print(f"the spike's share of s falls below the normal ones' after ln(1000)/(1 − β2) = "
      f"{math.log(1000) / (1 - 0.999):.0f} steps; bound on the step at the spike "
      f"(1 − β1)/√(1 − β2) = {(1 - 0.9) / math.sqrt(1 - 0.999):.3f}")
late_spike = {}
for at in (20, 5000):
    st = adam_after_spike(at)
    late_spike[at] = {"at": st[at - 1], "next100": np.median(st[at:at + 100]),
                      "next1000": np.median(st[at:at + 1000]),
                      "back": int(np.nonzero(st[at:] < 1 / math.sqrt(2))[0][-1]) + 1}
    e = late_spike[at]
    print(f"gradient 1, ×1000 at step {at:4d}: step at the spike {e['at']:.2f}·η; next 100 steps "
          f"median {e['next100']:.3f}·η, next 1000 median {e['next1000']:.3f}·η "
          f"({1 / e['next1000']:.0f} times shorter than 1·η); last step below η/√2: "
          f"{e['back']} steps after the spike")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Clipped by norm the spike keeps its direction (turned by 0.0°); clipped by value it becomes
# $(1, 1)$, turned by 44°. On the bowl the one bad gradient throws plain GD about 950 times
# farther than the step before and the loss jumps above 2,000; clipped, the jump is at most
# $\eta c$ = 2.5. Adam behaves differently, and this is the follow-up question: here its step
# *at* the spike was not large, since the spike enlarges $\hat s$ as well as $\hat v$ and Adam
# divides one by the root of the other. The harm comes after: the spike's share of $s$ decays
# only as $\beta_2^t$, so a gradient 1000 times too large outweighs the normal ones in $s$ until
# $1000\,\beta_2^t \approx 1$, about $\ln 1000/(1-\beta_2)$ ≈ 6900 steps. On the bowl the next
# 100 steps were about a hundred times shorter than before (the spike came at step 20, where
# $\hat s$'s bias correction weights it by about 1/20, not 1/1000), and after 300 steps Adam's
# loss was still above 5 against about $10^{-9}$ with clipping. The last lines show that a late
# spike is worse at the spike itself: at step 5000 the step is 3.18η, near the bound
# $(1-\beta_1)/\sqrt{1-\beta_2}$ ≈ 3.16η per coordinate (against 0.51η at step 20), and then
# the steps are some 20 to 25 times shorter over the next 1000 steps, and stay
# below $\eta/\sqrt 2$ for about 6900 steps.
# With SGD clipping bounds the jump; with Adam it keeps one bad batch out of the averages.
# (Adafactor, Shazeer & Stern (2018), clips the *update* instead, after the division.)

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(max(cliff[name, 50.0]["norm"] for name in ("gd", "adam")), lt=50,
      says="above every normal gradient of the run, so only the spike is cut")
claim(turned_by(clipped["norm"], spike), abs_tol=0.05, approx=0.0,
      says="Clipped by norm the spike keeps its direction (turned by 0.0°)")
claim(turned_by(clipped["value"], spike), approx=44, abs_tol=0.5,
      says="clipped by value it becomes $(1, 1)$, turned by 44°")
claim(cliff["gd", None]["moves"][20] / cliff["gd", None]["moves"][19], approx=950, rel=0.02,
      says="throws plain GD about 950 times farther than the step before")
claim(cliff["gd", None]["losses"].max(), gt=2000, says="the loss jumps above 2,000")
claim(cliff["gd", 50.0]["moves"][20], le=0.05 * 50 + 1e-12, says="the jump is at most $\\eta c$ = 2.5")
claim(cliff["adam", None]["moves"][20], lt=cliff["adam", None]["moves"][19],
      says="here its step *at* the spike was not large")
claim(math.log(1000) / (1 - 0.999), approx=6900, rel=0.01,
      says="about $\\ln 1000/(1-\\beta_2)$ ≈ 6900 steps")
claim(late_spike[5000]["at"], approx=3.18, abs_tol=0.005, says="at step 5000 the step is 3.18η")
claim(late_spike[20]["at"], approx=0.51, abs_tol=0.005, says="against 0.51η at step 20")
claim((1 - 0.9) / math.sqrt(1 - 0.999), approx=3.16, abs_tol=0.005,
      says="$(1-\\beta_1)/\\sqrt{1-\\beta_2}$ ≈ 3.16η per coordinate")
for median_step in (late_spike[5000]["next100"], late_spike[5000]["next1000"]):
    claim(1 / median_step, gt=20, lt=25,
          says="the steps are some 20 to 25 times shorter over the next 1000 steps")
claim(late_spike[5000]["back"], approx=6900, rel=0.02,
      says="below $\\eta/\\sqrt 2$ for about 6900 steps")
claim(np.median(cliff["adam", None]["moves"][21:121]) / cliff["adam", None]["moves"][19],
      gt=0.005, lt=0.02, says="the next 100 steps were about a hundred times shorter than before")
claim(cliff["adam", None]["losses"][-1], gt=5,
      says="after 300 steps Adam's loss was still above 5 against about $10^{-9}$ with clipping")
claim(cliff["adam", 50.0]["losses"][-1], gt=1e-10, lt=1e-8,
      says="after 300 steps Adam's loss was still above 5 against about $10^{-9}$ with clipping")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Batch size and learning rate: the scaling rules
#
# *"You multiply the batch size by k. What do you do with the learning rate, for SGD and for
# Adam?"*
#
# **SGD: multiply η by k**, the *linear scaling rule* (Goyal et al., 2017, who trained ImageNet
# with large batches this way, after a warm-up). The argument is about noise. Write $G$ for the
# full gradient and $\Sigma$ for the covariance of one record's gradient; a batch of $B$ records
# gives $G$ plus noise of covariance $\Sigma/B$ (drawn with replacement; without it the
# covariance is $(1-B/N)\Sigma/B$ for $N$ records). While $G$ barely changes, $k$ steps of batch
# $B$ with rate η move the weights by $k\eta G$ on average, with noise covariance
# $k\eta^2\Sigma/B$; one step of batch $kB$ with rate $\eta'$ moves them by $\eta' G$ with
# covariance $\eta'^2\Sigma/(kB)$. Both match exactly when $\eta' = k\eta$.
# **Adam: multiply η by about $\sqrt{k}$**, the *square-root rule*, which Malladi et al. (2022)
# derive from a stochastic-differential-equation model of Adam (with the β's adjusted too). When
# the noise dominates, $\sqrt{\hat s}$ is about the RMS of one coordinate of the batch gradient,
# which shrinks as $1/\sqrt{B}$: a $k$ times larger batch already makes Adam's step $\sqrt{k}$
# times larger, so η needs only the remaining factor $\sqrt{k}$.
# Both rules hold only while the noise dominates, below the *critical batch size*, which
# McCandlish et al. (2018) predict with the noise scale
# $B_{\text{simple}} = \operatorname{tr}(\Sigma)/\lVert G\rVert^2$, which approximates their
# $B_{\text{noise}}$: beyond it, doubling the batch no longer halves the number of steps needed.
#
# The experiment checks the argument on a linear regression, at a point near its minimum, over
# 4000 repeats: 4 steps with $B = 8$ against one step with $B = 32$ ($k = 4$). For Adam it uses
# a simple model of its late phase: the step $\eta\, dW/\sqrt{\hat s}$ with $\hat s$ fixed at the
# mean square of the batch gradient (no momentum).

# %% tags=["slides-output-only"]
reg = make_regression(n=4096, d=8, noise=1.0, rng=0)
X1 = np.column_stack([reg.X, np.ones(reg.n)])           # the weights (W, b) as one vector
w_min = np.linalg.lstsq(X1, reg.y, rcond=None)[0]
w_near = w_min + np.r_[np.full(reg.d, 0.05), 0.0]        # a point near the minimum


def batch_grads(w, batch, gen):
    """The MSE gradient on a batch drawn with replacement, for every row (one repeat) of w."""
    idx = gen.integers(reg.n, size=(w.shape[0], batch))
    Xs = X1[idx]                                        # (repeats, batch, d + 1)
    r = np.einsum("tbd,td->tb", Xs, w) - reg.y[idx]
    return 2 / batch * np.einsum("tbd,tb->td", Xs, r)


_, g_lib = LinearRegression(reg.d).loss_and_grads({"W": w_near[:-1], "b": w_near[-1:]},
                                                   reg.X, reg.y)
per_record = 2 * X1 * (X1 @ w_near - reg.y)[:, None]    # one record's gradient, per row
G = per_record.mean(axis=0)
assert np.allclose(G, np.r_[g_lib["dW"], g_lib["db"]]), "the same gradient as the library's"
B_simple = per_record.var(axis=0).sum() / (G @ G)

gen, repeats, eta_b = np.random.default_rng(1), 4000, 0.01
start_w = np.tile(w_near, (repeats, 1))
rms = {b: np.sqrt((batch_grads(start_w, b, gen) ** 2).mean(axis=0)) for b in (8, 32)}


def moves(steps, batch, lr, scale=1.0):
    """Where `steps` steps of w -= lr * dW / scale take each repeat, from the same point."""
    w = start_w.copy()
    for _ in range(steps):
        w -= lr * batch_grads(w, batch, gen) / scale
    return w - start_w


runs = {"SGD,  4 steps, B = 8,  η": moves(4, 8, eta_b),
        "SGD,  1 step,  B = 32, 4η": moves(1, 32, 4 * eta_b),
        "SGD,  1 step,  B = 32, 2η": moves(1, 32, 2 * eta_b),
        "Adam-like, 4 steps, B = 8,  η": moves(4, 8, eta_b, rms[8]),
        "Adam-like, 1 step,  B = 32, 2η": moves(1, 32, 2 * eta_b, rms[32]),
        "Adam-like, 1 step,  B = 32, 4η": moves(1, 32, 4 * eta_b, rms[32])}
mean_move = {k: np.linalg.norm(m.mean(axis=0)) for k, m in runs.items()}
spread = {k: np.sqrt(m.var(axis=0).sum()) for k, m in runs.items()}
print(f"critical batch size here: B_simple = tr(Σ)/‖G‖² = {B_simple:.0f}")
print(f"RMS of a gradient coordinate, B = 8 / B = 32 (median over coordinates): "
      f"{np.median(rms[8] / rms[32]):.2f}")
for k in runs:
    print(f"{k}: mean move {mean_move[k]:.4f}, spread {spread[k]:.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Four SGD steps with $B = 8$ and one step with $B = 32$ and $4\eta$ moved the weights by the
# same mean and with the same spread, within 5%; with only $2\eta$ the big batch went half as far.
# The RMS of a coordinate fell by a factor of about 2 from $B = 8$ to $B = 32$, the $\sqrt{k}$
# of the argument. In this model of Adam ($\hat s$ frozen, no momentum) the match is at
# $2\eta = \sqrt{4}\,\eta$, which follows from the measured fall of the RMS, and $4\eta$
# overshoots twice over, in mean and in spread; the full rule of Malladi et al. also rescales
# $1-\beta_1$, $1-\beta_2$ (×k) and ε (÷√k). What the toy cannot show: this point was
# chosen where the noise dominates ($B_{\text{simple}}$ ≈ 490, far above 32). Near
# $B_{\text{simple}}$ and above it both rules fail, and early in training, when $G$ changes fast,
# the large first steps they prescribe are what warm-up tames (next subsection). In practice
# the scaled η is a starting point for tuning, not a replacement for it.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
pairs = [("SGD,  4 steps, B = 8,  η", "SGD,  1 step,  B = 32, 4η"),
         ("Adam-like, 4 steps, B = 8,  η", "Adam-like, 1 step,  B = 32, 2η")]
for small, big_step in pairs:
    for measure in (mean_move, spread):
        claim(measure[big_step] / measure[small], approx=1, rel=0.05,
              says="moved the weights by the same mean and with the same spread, within 5%")
claim(mean_move["SGD,  1 step,  B = 32, 2η"] / mean_move["SGD,  4 steps, B = 8,  η"],
      approx=0.5, rel=0.1, says="with only $2\\eta$ the big batch went half as far")
for measure in (mean_move, spread):
    claim(measure["Adam-like, 1 step,  B = 32, 4η"] / measure["Adam-like, 4 steps, B = 8,  η"],
          approx=2, rel=0.1, says="$4\\eta$ overshoots twice over, in mean and in spread")
claim(np.median(rms[8] / rms[32]), approx=2, rel=0.05,
      says="The RMS of a coordinate fell by a factor of about 2")
claim(B_simple, approx=490, rel=0.05, says="($B_{\\text{simple}}$ ≈ 490, far above 32)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Warm-up, and why Adam needs it
#
# *"Why do we warm up the learning rate, and why does Adam in particular need it?"*
#
# Warm-up starts η small and raises it over the first steps, usually linearly. For large-batch
# SGD, Goyal et al. (2017) needed it because the linear scaling rule's large η is too large while
# the weights still change fast. Adam has a reason of its own: early on, $\hat s_t$ averages only
# about $t$ squared gradients, so it is a noisy estimate, and Adam divides by its root. At $t = 1$,
# $\hat v_1/\sqrt{\hat s_1} = dW/|dW|$: every coordinate moves by exactly η, whether its gradient
# is signal or noise. Liu et al. (2019), who introduced RAdam, showed that, for gradients
# modelled as noise, the variance of the adaptive factor $1/\sqrt{\hat s_t}$ diverges in the
# first steps and shrinks only slowly after them.
# RAdam multiplies the step by a *rectification term* instead of a hand-made warm-up:
#
# $$\rho_\infty = \frac{2}{1-\beta_2} - 1,\qquad
#   \rho_t = \rho_\infty - \frac{2t\,\beta_2^t}{1-\beta_2^t},\qquad
#   r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\,\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\,\rho_t}},$$
#
# and takes a momentum-only step (no division) while $\rho_t \le 4$ (the paper's threshold; the
# authors' code and PyTorch's RAdam use $\rho_t > 5$, a convention, so there the first rectified
# step is $t = 6$). $\rho_t$ is the effective
# number of squared gradients in $\hat s_t$ (about $t$ early on).
#
# The experiment: Adam's averages fed pure noise ($dW \sim N(0, 1)$ in each of 2000 coordinates,
# true gradient zero): the spread of $1/\sqrt{\hat s_t}$ over the coordinates, and the step per
# coordinate $|\hat v_t|/\sqrt{\hat s_t}$ in units of η; then $\rho_t$ and $r_t$ for
# $\beta_2 = 0.999$.

# %% tags=["slides-output-only"]
wb1, wb2, n_coords = 0.9, 0.999, 2000
gen = np.random.default_rng(0)
v_w, s_w = np.zeros(n_coords), np.zeros(n_coords)
early = {}
for step_t in range(1, 101):
    noise = gen.standard_normal(n_coords)               # pure noise: the true gradient is 0
    v_w = wb1 * v_w + (1 - wb1) * noise
    s_w = wb2 * s_w + (1 - wb2) * noise ** 2
    if step_t in (1, 2, 5, 10, 100):
        factor = 1 / np.sqrt(s_w / (1 - wb2 ** step_t))     # Adam's adaptive factor 1/√ŝ_t
        early[step_t] = {"max": factor.max(),
                         "step": np.median(np.abs(v_w / (1 - wb1 ** step_t)) * factor)}
for step_t, e in early.items():
    print(f"t = {step_t:3d}: 1/√ŝ_t has max {e['max']:7.3g} over the coordinates;"
          f" median step {e['step']:.2f}·η")

rho_inf = 2 / (1 - wb2) - 1
ts = np.arange(1, 20_001)
rho_t = rho_inf - 2 * ts * wb2 ** ts / (1 - wb2 ** ts)
ok = rho_t > 4
r_t = np.full(ts.shape, np.nan)
r_t[ok] = np.sqrt((rho_t[ok] - 4) * (rho_t[ok] - 2) * rho_inf
                  / ((rho_inf - 4) * (rho_inf - 2) * rho_t[ok]))
first_rect = int(ts[ok][0])
reach = {q: int(ts[ok][r_t[ok] >= q][0]) for q in (0.5, 0.9)}
print(f"ρ_∞ = {rho_inf:.0f}; ρ_t at t = 1, 2, 5, 10: {np.round(rho_t[[0, 1, 4, 9]], 2)}")
print(f"rectified steps start at t = {first_rect} with r_t = {r_t[first_rect - 1]:.3f}; "
      f"r_t reaches 0.5 at t = {reach[0.5]}, 0.9 at t = {reach[0.9]}")
first_rect5 = int(ts[rho_t > 5][0])                      # PyTorch's and the authors' threshold
print(f"with ρ_t > 5 instead: ρ_5 = {rho_t[4]:.3f}, so rectified steps start at t = {first_rect5} "
      f"with r_t = {r_t[first_rect5 - 1]:.3f}")
print(f"Ma & Yarats' rule of thumb, linear warm-up over 2/(1 − β2) steps: {2 / (1 - wb2):.0f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# At $t = 1$ the adaptive factor is $1/|dW|$, which has no finite variance for Gaussian noise:
# over 2000 coordinates its largest value was in the thousands, and the median step was a full
# η although the true gradient is zero. By $t = 10$ the largest value has fallen from the
# thousands to about 3, and the noise steps to about a quarter of η; by $t = 100$ the factor
# is close to its final value. RAdam's term says the same in one number: $\rho_t$ grows like
# $t$, the first rectified step comes at $t = 5$ with $r_5 \approx 0.02$ ($t = 6$ and
# $r_6 \approx 0.026$ with $\rho_t > 5$), and $r_t$ reaches 0.5 only after about 560 steps
# and 0.9 after about 2700: an automatic warm-up over thousands of steps.
# Ma & Yarats (2021) argue that a plain linear warm-up over $2/(1-\beta_2)$ = 2000 steps works
# about as well as RAdam's term. They also dispute the variance explanation: what needs taming,
# they argue, is the size of Adam's first updates (every coordinate moves by η at $t = 1$, against
# about 0.15η at $t = 100$ in the run above), not the variance of $1/\sqrt{\hat s_t}$. Both views
# lead to the same remedy. What the toy cannot show is how much warm-up a given network
# needs: that is found by trying it.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(early[1]["max"], ge=1000, lt=10_000, says="its largest value was in the thousands")
claim(early[1]["step"], approx=1, rel=1e-9, says="the median step was a full η")
claim(early[10]["max"], approx=3, abs_tol=1,
      says="By $t = 10$ the largest value has fallen from the thousands to about 3")
claim(early[10]["step"], approx=0.25, abs_tol=0.03, says="the noise steps to about a quarter of η")
claim(early[100]["step"], approx=0.15, abs_tol=0.01, says="about 0.15η at $t = 100$ in the run above")
claim(first_rect, approx=5, abs_tol=0, says="the first rectified step comes at $t = 5$")
claim(r_t[4], approx=0.02, abs_tol=0.003, says="with $r_5 \\approx 0.02$")
claim(first_rect5, approx=6, abs_tol=0, says="$t = 6$ and $r_6 \\approx 0.026$ with")
claim(r_t[5], approx=0.026, abs_tol=0.0005, says="$t = 6$ and $r_6 \\approx 0.026$ with")
claim(reach[0.5], approx=560, rel=0.02, says="$r_t$ reaches 0.5 only after about 560 steps")
claim(reach[0.9], approx=2700, rel=0.02, says="and 0.9 after about 2700")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### LARS and LAMB: a trust ratio per layer
#
# *"What do LARS and LAMB change, and why do they help with very large batches?"*
#
# With one η for the whole network, the size of a step *relative to the weights it changes*,
# $\eta\lVert dW_l\rVert/\lVert W_l\rVert$ for layer $l$, can differ by orders of magnitude from
# layer to layer: an η large enough for the slow layers (which a large batch and the linear
# scaling rule push for) makes the fast ones unstable. LARS and LAMB rescale each layer's step by
# a **trust ratio** $\lVert W_l\rVert/\lVert \text{update}_l\rVert$, so that every layer moves
# by the same fraction of its own weights. LARS (You et al., 2017) does it for SGD with
# momentum: the layer's rate is
# $\eta_l = \eta\,\tau\,\lVert W_l\rVert/(\lVert dW_l\rVert + \lambda\lVert W_l\rVert)$,
# with a trust coefficient $\tau$ and weight decay $\lambda$. LAMB (You et al., 2019) does it for
# Adam: with $u_l = \hat v_l/(\sqrt{\hat s_l}+\varepsilon) + \lambda W_l$ (AdamW's step),
#
# $$W_l \leftarrow W_l - \eta\,\frac{\lVert W_l\rVert}{\lVert u_l\rVert}\,u_l,
#   \qquad\text{so}\qquad \frac{\lVert \Delta W_l\rVert}{\lVert W_l\rVert} = \eta .$$
#
# LAMB trained BERT with batches of tens of thousands of sequences. A bias that starts at zero
# has $\lVert W_l\rVert = 0$, a ratio of 0, and would never move: implementations set the ratio
# to 1 there, or leave biases (and normalisation layers) out of the adaptation.
#
# The experiment: a two-layer network (64 tanh units) on the moons data, at its initial
# weights: per weight matrix, the norms, the trust ratio of Adam's first step, and how far each
# matrix moves relative to its norm in one step of SGD, Adam and LAMB with the same η.

# %% tags=["slides-output-only"]
from course_lib.data import make_moons
from course_lib.models import TwoLayerNet

moons = make_moons(n=400, noise=0.1, rng=0)
net = TwoLayerNet(moons.d, 64)
net_params = net.init_params(0)
_, net_grads = net.loss_and_grads(net_params, moons.X, moons.y)
adam_opt, eta_l = OPTIMIZERS["adam"], 1e-3
adam_next, _ = adam_opt.update(net_params, net_grads, adam_opt.init(net_params), lr=eta_l)
layers = {}
for k in ("W1", "W2"):
    W, dW = net_params[k], net_grads["d" + k]
    u = (W - adam_next[k]) / eta_l                      # Adam's update v̂/(√ŝ + ε), λ = 0
    trust = np.linalg.norm(W) / np.linalg.norm(u)
    layers[k] = {"size": W.size, "W": np.linalg.norm(W), "dW": np.linalg.norm(dW),
                 "u": np.linalg.norm(u), "trust": trust,
                 "sgd": eta_l * np.linalg.norm(dW) / np.linalg.norm(W),
                 "adam": eta_l * np.linalg.norm(u) / np.linalg.norm(W),
                 "lamb": np.linalg.norm(eta_l * trust * u) / np.linalg.norm(W)}
print(f"one step with η = {eta_l:g}; ‖ΔW‖/‖W‖ is the move relative to the layer's weights")
for k, m in layers.items():
    print(f"{k} ({m['size']:3d} weights): ‖W‖ = {m['W']:.3f}, ‖dW‖ = {m['dW']:.3f}, "
          f"‖dW‖/‖W‖ = {m['dW'] / m['W']:.3f}; Adam's ‖u‖ = {m['u']:.2f} (√{m['size']} = "
          f"{math.sqrt(m['size']):.2f}), trust ratio {m['trust']:.3f}")
    print(f"    ‖ΔW‖/‖W‖: SGD {m['sgd']:.2e}, Adam {m['adam']:.2e}, LAMB {m['lamb']:.2e}")
print(f"W2 / W1: SGD {layers['W2']['sgd'] / layers['W1']['sgd']:.0f}×, "
      f"Adam {layers['W2']['adam'] / layers['W1']['adam']:.1f}×, "
      f"LAMB {layers['W2']['lamb'] / layers['W1']['lamb']:.1f}×")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Even in this small network the relative gradient $\lVert dW\rVert/\lVert W\rVert$ of the
# output weights is about 50 times that of the input weights, so one SGD step changes $W_2$ about
# 50 times more, relative to its size, than $W_1$. Adam's first step moves every coordinate by
# η, so $\lVert u\rVert = \sqrt{n}$ for a matrix of $n$ weights: the gap shrinks, but $W_2$
# still moves about 5 times more. With LAMB's trust ratio both move by exactly η of their
# norm, at every step, by construction: the ratio is computed from the very $u$ it rescales.
# What the toy cannot show is the large-batch benefit itself, which You et al. measured on
# ImageNet and BERT. Nado et al. (2021) later matched those results at the same batch sizes
# with carefully tuned Nesterov momentum and Adam: the trust ratio makes large batches easier
# to tune, but it is not the only way to train with them.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim((layers["W2"]["dW"] / layers["W2"]["W"]) / (layers["W1"]["dW"] / layers["W1"]["W"]),
      approx=50, rel=0.1, says="of the output weights is about 50 times that of the input weights")
claim(layers["W2"]["sgd"] / layers["W1"]["sgd"], approx=50, rel=0.1,
      says="one SGD step changes $W_2$ about 50 times more")
claim(max(abs(m["u"] / math.sqrt(m["size"]) - 1) for m in layers.values()), lt=1e-4,
      says="so $\\lVert u\\rVert = \\sqrt{n}$ for a matrix of $n$ weights")
claim(layers["W2"]["adam"] / layers["W1"]["adam"], approx=5, rel=0.15,
      says="the gap shrinks, but $W_2$ still moves about 5 times more")
claim(max(abs(m["lamb"] / eta_l - 1) for m in layers.values()), lt=1e-12,
      says="With LAMB's trust ratio both move by exactly η of their norm")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Lion: the sign of a momentum
#
# *"What is Lion, and how does it differ from Adam?"*
#
# Lion (Chen et al., 2023) was found by a program search over update rules. In the course's
# notation, with one state $v$ (an EWA of gradients, as in momentum):
#
# $$c = \beta_1 v + (1-\beta_1)\, dW,\qquad W \leftarrow W - \eta\,\bigl(\operatorname{sign}(c) + \lambda W\bigr),\qquad
#   v \leftarrow \beta_2 v + (1-\beta_2)\, dW,$$
#
# with $\beta_1 = 0.9$ and $\beta_2 = 0.99$ by default. The step follows the *sign* of an
# interpolation between the stored momentum and the new gradient, so every coordinate moves by
# exactly η (plus the decay), however large or small its gradient: no division, no $s$, one
# state instead of Adam's two (half the optimizer memory). A sign step is always 1 per
# coordinate, while Adam's normalised step $|\hat v|/\sqrt{\hat s}$ is typically well below 1
# (measured below), so the paper recommends an η 3 to 10 times smaller than AdamW's and a λ 3 to
# 10 times larger, so that the decay per step, $\eta\lambda$, stays the same.
#
# The experiment: Lion (written below) and the library's Adam, same η, on the bowl with a noisy
# gradient; the size of each coordinate's move in units of η, and the state each keeps.

# %% tags=["slides-output-only"]
def lion_init(params):
    """Lion keeps one array per parameter: the momentum v, keyed like the gradients."""
    return {"v": {"d" + k: np.zeros_like(W) for k, W in params.items()}}


def lion_update(params, grads, state, *, lr=1e-4, beta1=0.9, beta2=0.99, weight_decay=0.0):
    """One Lion step (Chen et al., 2023), in the course's notation."""
    new_params, v = {}, {}
    for k, W in params.items():
        g, v_old = grads["d" + k], state["v"]["d" + k]
        c = beta1 * v_old + (1 - beta1) * g              # what the step follows
        new_params[k] = W - lr * (np.sign(c) + weight_decay * W)
        v["d" + k] = beta2 * v_old + (1 - beta2) * g     # the momentum kept for the next step
    return new_params, {"v": v}


eta_lion = 0.05
lion_run = run_path(noisy(get_problem("bowl", condition=10.0), sigma=2.0, rng=0),
                    (lion_init, lion_update), steps=300, lr=eta_lion)
adam_run = run_path(noisy(get_problem("bowl", condition=10.0), sigma=2.0, rng=0), "adam",
                    steps=300, lr=eta_lion)
per_coord = {name: np.abs(np.diff(res.path, axis=0)) / eta_lion
             for name, res in (("Lion", lion_run), ("Adam", adam_run))}
for name, m in per_coord.items():
    print(f"{name}: |move of a coordinate| / η over 300 steps: min {m.min():.3f}, "
          f"median {np.median(m):.3f}, max {m.max():.3f}; in the last 100 steps median "
          f"{np.median(m[-100:]):.3f}")
print(f"mean loss over the last 100 steps: Lion {lion_run.losses[-100:].mean():.3g}, "
      f"Adam {adam_run.losses[-100:].mean():.3g}")
net_states = {"Lion": lion_init(net_params)["v"], "Adam": adam_opt.init(net_params)}
state_bytes = {"Lion": sum(a.nbytes for a in net_states["Lion"].values()),
               "Adam": sum(a.nbytes for d in (net_states["Adam"].v, net_states["Adam"].s)
                           for a in d.values())}
print(f"state of the 2-layer net above ({net.n_params} parameters, float64): "
      f"Lion {state_bytes['Lion']:,} bytes, Adam {state_bytes['Adam']:,} bytes")
adamw_lr, adamw_decay = 1e-3, 0.01                       # the course's AdamW defaults
for k_lion in (3, 10):                                   # Chen et al.: η 3-10× smaller, λ larger
    print(f"Lion with η = {adamw_lr / k_lion:.2g} and λ = {adamw_decay * k_lion:.2g}: "
          f"ηλ = {adamw_lr / k_lion * adamw_decay * k_lion:.1e}, as AdamW's {adamw_lr * adamw_decay:.1e}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Every coordinate of Lion moved by exactly η at every one of the 300 steps. Adam's moves ranged
# from almost nothing to about η; in the last 100 steps, near the minimum where the gradient is
# mostly noise, their median was under a tenth of η, because the noise partly cancels in
# $\hat v$ but not in $\hat s$ (the warm-up subsection measured the same effect). Lion cannot
# shrink its steps that way: at the same η its mean loss over the last 100 steps was more than
# ten times Adam's. That is the mechanism behind the paper's smaller η; the factor of 3 to 10 comes
# from tuning real models, not from a toy. Lion's state is half of Adam's. Two caveats: a sign
# step does not shrink near a minimum, so Lion needs a decaying schedule to settle; and its
# advantage over AdamW in the paper is on large vision and language models and grows with the
# batch size; the paper reports small or no gains at small batches and on some language tasks.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(np.abs(per_coord["Lion"] - 1).max(), lt=1e-9,
      says="Every coordinate of Lion moved by exactly η at every one of the 300 steps")
claim(per_coord["Adam"].min(), lt=0.01, says="Adam's moves ranged from almost nothing to about η")
claim(np.median(per_coord["Adam"]), lt=0.3,
      says="Adam's normalised step $|\\hat v|/\\sqrt{\\hat s}$ is typically well below 1")
claim(per_coord["Adam"].max(), approx=1, rel=0.05,
      says="Adam's moves ranged from almost nothing to about η")
claim(np.median(per_coord["Adam"][-100:]), lt=0.1,
      says="their median was under a tenth of η")
claim(lion_run.losses[-100:].mean() / adam_run.losses[-100:].mean(), gt=10,
      says="at the same η its mean loss over the last 100 steps was more than ten times Adam's")
claim(state_bytes["Lion"] / state_bytes["Adam"], approx=0.5, rel=1e-12,
      says="Lion's state is half of Adam's")


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Beyond the chapters: memory, curvature and the landscape
#
# Interviews for machine-learning roles go past the update rules: what an optimizer costs in
# memory, how to find η before a long run, why nobody trains a network with Newton's method,
# and what the loss landscape looks like. The chapters do not cover these. Each subsection
# gives the question, a short answer and one small experiment behind it. The experiments are
# toys: they show a mechanism, not what happens in a large network; where a paper measured the
# large case, it is named.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** optimizer memory, the learning-rate range test, second-order methods, saddle points,
#   sharp and flat minima: interview questions past the update rules.
# - **Demo:** none in class; set the section as homework with `quiz(topic="optimizer_memory")`,
#   `quiz(topic="lr_range_test")`, `quiz(topic="second_order")`, `quiz(topic="saddles")` and
#   `quiz(topic="sharp_flat")`.
# - **Ask the room:** "How much memory does Adam need to train a 7-billion-parameter model in fp32?"
#   **Answer:** 16 bytes per parameter (weights, gradients, v, s): 112 GB before any activation.
# - **Cut when short:** this section is homework by default.

# %% slideshow={"slide_type": "skip"}
import warnings

from course_lib.data import minibatches
from course_lib.models import TwoLayerNet
from course_lib.moving_averages import ewa_series
from course_lib.training import train

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Optimizer memory: bytes per parameter
#
# *"How much memory does Adam need to train a 7-billion-parameter model?"* Count bytes per
# parameter. Training holds the weights $W$ and the gradients $dW$; the optimizer adds its
# state: nothing for plain SGD, one array for momentum ($v_{dW}$), two for Adam ($v_{dW}$ and
# $s_{dW}$). In fp32 (4 bytes a number) that makes 8, 12 and 16 bytes per parameter.
# Mixed-precision training keeps the weights and gradients in fp16 or bf16 (2 bytes each) but
# adds an fp32 master copy of the weights, and Adam's two states stay in fp32:
# 2 + 2 + 4 + 4 + 4 = 16 bytes per parameter (the layout of Apex/Megatron and the ZeRO paper,
# Rajbhandari et al., 2020; PyTorch's `torch.autocast` instead keeps fp32 weights and gradients
# and casts on the fly: 4 + 4 + 4 + 4, the same 16). ZeRO counts the master copy with v and s
# as the "optimizer states", K = 12 bytes, and its stage 1 shards those 12. So mixed precision
# saves compute and activation memory, not
# optimizer memory. The activations (they grow with the batch) come on top and are not counted
# here. The table below is that arithmetic; under it, the states of a course model, measured.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
BYTES = {   # bytes per parameter: weights, gradients, fp32 master copy, optimizer state
    "SGD, fp32": {"W": 4, "dW": 4, "master": 0, "state": 0},
    "momentum, fp32": {"W": 4, "dW": 4, "master": 0, "state": 4},
    "Adam, fp32": {"W": 4, "dW": 4, "master": 0, "state": 4 + 4},
    "Adam, mixed precision": {"W": 2, "dW": 2, "master": 4, "state": 4 + 4},
}
per_param = {name: sum(parts.values()) for name, parts in BYTES.items()}
sizes = {"125 million": 125e6, "7 billion": 7e9, "70 billion": 70e9}
print(f"{'':24s}{'bytes/param':>12s}" + "".join(f"{s:>14s}" for s in sizes))
for name, b in per_param.items():
    print(f"{name:24s}{b:12d}" + "".join(f"{b * n / 1e9:11,.1f} GB" for n in sizes.values()))

net = TwoLayerNet(20, 64)                       # a course model, float64 (8 bytes a number)
w_net = net.init_params(0)
w_bytes = sum(a.nbytes for a in w_net.values())


def state_bytes(state):
    """Bytes of every array the optimizer's state holds (the step count t aside)."""
    return sum(a.nbytes for part in state if isinstance(part, dict) for a in part.values())


state_ratio = {name: state_bytes(opt.init(w_net)) / w_bytes for name, opt in OPTIMIZERS.items()}
print(f"\nTwoLayerNet(20, 64): {net.n_params:,} parameters, {w_bytes:,} bytes of weights "
      "(float64); optimizer state, measured with nbytes:")
for name, ratio in state_ratio.items():
    print(f"  {name:9s} {ratio * w_bytes:8,.0f} bytes = {ratio:g} × the weights")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The measured states agree: none for GD, one copy of the weights for momentum, Nesterov,
# Adagrad and RMSprop, two for Adadelta, Adam, AdamW and NAdam, three for AMSGrad (its running
# maximum of $s$). The course computes in float64, 8 bytes a number, twice fp32. For 7 billion
# parameters Adam needs 112 GB (GB = $10^9$ bytes here) before a single activation, more than
# one 80 GB accelerator holds. Hence ZeRO, which splits the states (then the gradients, then
# the weights) across the devices, and optimizers that store less: Adafactor
# (Shazeer & Stern, 2018) keeps, for an $n \times m$ weight matrix, row and column averages
# instead of the full $s_{dW}$ ($n + m$ numbers instead of $nm$) and by default no first
# moment at all; 8-bit Adam
# (Dettmers et al., 2022) stores the two states in 8 bits.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim([per_param[k] for k in ("SGD, fp32", "momentum, fp32", "Adam, fp32")] == [8, 12, 16],
      says="In fp32 (4 bytes a number) that makes 8, 12 and 16 bytes per parameter.")
claim(per_param["Adam, mixed precision"] == per_param["Adam, fp32"] == 16,
      says="So mixed precision saves compute and activation memory, not optimizer memory.")
claim(state_ratio["gd"] == 0 and all(state_ratio[n] == 1 for n in
                                     ("momentum", "nesterov", "adagrad", "rmsprop")),
      says="none for GD, one copy of the weights for momentum, Nesterov,")
claim(all(state_ratio[n] == 2 for n in ("adadelta", "adam", "adamw", "nadam"))
      and state_ratio["amsgrad"] == 3,
      says="two for Adadelta, Adam, AdamW and NAdam, three for AMSGrad")
claim(BYTES["Adam, mixed precision"]["master"] + BYTES["Adam, mixed precision"]["state"],
      approx=12, abs_tol=0, says="K = 12 bytes, and its stage 1 shards those 12")
claim(w_bytes / net.n_params, approx=8, abs_tol=0,
      says="The course computes in float64, 8 bytes a number, twice fp32.")
claim(per_param["Adam, mixed precision"] * 7e9 / 1e9, approx=112, abs_tol=1e-9,
      says="For 7 billion parameters Adam needs 112 GB")
claim(per_param["Adam, mixed precision"] * 7e9 / 1e9, gt=80,
      says="more than one 80 GB accelerator holds")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The learning-rate range test
#
# *"How do you choose the learning rate for a new model?"* Before any grid search, one short
# run, the learning-rate range test (Smith, 2017, in the paper on cyclical learning rates,
# raised η linearly over a few epochs and watched the accuracy; fastai's `lr_find` made
# popular the form used here: η multiplied by a constant factor at every mini-batch, from far
# too small to far too large, and the loss plotted against η). The loss first barely moves,
# then falls, then blows up. Take an η well below the blow-up: fastai suggests a tenth of the η
# at the lowest point of the smoothed curve; this notebook takes a tenth of the blow-up η, which
# here is of the same order. Both are rules of thumb, not theorems: the test spends only a few
# steps at each η, so what it finds reliably is the
# stability edge, not the best rate; tune around the pick afterwards.
#
# Below: 100 steps of mini-batch SGD (batch 32) on a linear regression, η from $10^{-4}$ to
# 10, the loss smoothed with the course's bias-corrected EWA (β = 0.9,
# [Chapter 5](05_exponentially_weighted_average.ipynb)). "Blows up" means the smoothed loss
# exceeds 4 times its lowest value (fastai's stopping rule). A linear model lets us check the
# answer: full-batch GD is stable exactly for η < 2/λ_max, with λ_max the largest eigenvalue
# of the Hessian $H = \frac2n X_1^\top X_1$ ($X_1$ is X with a column of ones for b).

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
reg = make_regression(n=1000, d=5, noise=0.5, rng=0)
lin = LinearRegression(reg.d)
w_lin = {"W": np.zeros(reg.d), "b": np.zeros(1)}
X1 = np.column_stack([reg.X, np.ones(reg.n)])
edge_theory = 2 / np.linalg.eigvalsh(2 / reg.n * X1.T @ X1)[-1]
sgd = OPTIMIZERS["gd"]
etas = np.geomspace(1e-4, 10.0, 100)            # η multiplied by the same factor every step
w, st, range_losses = dict(w_lin), sgd.init(w_lin), []
shuffler = np.random.default_rng(0)
batches = (b for _ in range(4) for b in minibatches(reg.X, reg.y, 32, rng=shuffler))
with np.errstate(over="ignore", invalid="ignore"):
    for lr, (Xb, yb) in zip(etas, batches):
        loss, g = lin.loss_and_grads(w, Xb, yb)
        range_losses.append(loss)
        if not np.isfinite(loss):
            break                                # blown up for good: stop the test
        w, st = sgd.update(w, g, st, lr=lr)
smooth = ewa_series(np.array(range_losses), 0.9, bias_correction=True)
k_low = int(np.argmin(smooth))
k_blow = k_low + int(np.argmax(smooth[k_low:] > 4 * smooth[k_low]))
eta_blow, eta_low = etas[k_blow], etas[k_low]
eta_pick = eta_blow / 10
print(f"lowest smoothed loss at η = {eta_low:.3g}; it blows up (4 × its lowest) at "
      f"η = {eta_blow:.3g}; the pick, a tenth of that: η = {eta_pick:.3g}")
print(f"fastai's pick, a tenth of the lowest point's η: {eta_low / 10:.3g} "
      f"(the two picks differ by a factor {eta_blow / eta_low:.2g})")
print(f"theory, full-batch GD: stable for η < 2/λ_max = {edge_theory:.3g}; the blow-up is at "
      f"{eta_blow / edge_theory:.2f} times that")
check_lrs = {"pick / 10": eta_pick / 10, "pick": eta_pick, "lowest point": eta_low,
             "blow-up": eta_blow}
after = {}
print("then 3 epochs of the same SGD at a constant η, loss on all records "
      "(the noise floor is 0.5² = 0.25):")
for label, lr in check_lrs.items():
    with warnings.catch_warnings():          # a diverged run is reported in the line below
        warnings.simplefilter("ignore", RuntimeWarning)
        res = train(lin, reg.X, reg.y, "gd", batch_size=32, epochs=3, rng=0, params=w_lin,
                    lr=lr)
    after[label] = np.inf if res.diverged else res.loss_per_epoch[-1]
    print(f"  {label:13s} η = {lr:6.3g}: " + ("diverged" if res.diverged else f"{after[label]:.3f}"))

fig, ax = plt.subplots(figsize=(6.5, 3.2))
ax.plot(etas[:len(range_losses)], range_losses, color="0.75", lw=1, label="loss of each batch")
ax.plot(etas[:len(smooth)], smooth, lw=2, label="smoothed (EWA, β = 0.9)")
for x, style, label in ((eta_blow, "--", "blows up"), (eta_pick, ":", "pick: a tenth"),
                        (edge_theory, "-.", "2/λ_max (theory)")):
    ax.axvline(x, ls=style, color="k", lw=1, label=f"{label}: η = {x:.2g}")
plots.log_scale(ax, "x")                         # the course's quick log axis
ax.set(ylim=(0, 2 * smooth[0]), xlabel="η (raised every step)", ylabel="loss",
       title="Learning-rate range test, mini-batch SGD, linear regression")
ax.legend(fontsize=8, loc="upper left")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The test put the blow-up at 1.7 times the theoretical edge, above it, as a range test's
# blow-up tends to be: at an η just past the edge the loss needs a few steps to grow, and the
# smoothing lags further. A tenth of it trained to the noise floor
# in 3 epochs, as did a tenth of that. The η at the lowest point of the curve, a tempting
# choice, did worse than the pick: a short test at a rising η reaches its lowest loss close to
# the edge, and a long run there bounces far above the noise floor. On a deep network the curve is noisier and
# changes with the batch size, the model's scale and the warm-up; the test is a fast first
# estimate, not the final answer.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(eta_blow / edge_theory, approx=1.7, rel=0.03,
      says="The test put the blow-up at 1.7 times the theoretical edge")
claim(eta_blow / edge_theory, gt=1, lt=2.5, says="above it, as a range test's")
claim(eta_blow / eta_low, lt=3,
      says="this notebook takes a tenth of the blow-up η, which here is of the same order")
claim(max(after["pick"], after["pick / 10"]), lt=0.27,
      says="A tenth of it trained to the noise floor in 3 epochs, as did a tenth of that.")
claim(after["lowest point"], gt=after["pick"] + 0.05,
      says="did worse than the pick")
claim(after["lowest point"], gt=2 * 0.25, says="a long run there bounces far above the noise floor")
claim(eta_low / edge_theory, gt=0.5,
      says="reaches its lowest loss close to the edge")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Second-order methods and their cost
#
# *"Why don't we train networks with Newton's method?"* Newton's method uses the curvature.
# With the Hessian $H$ (the matrix of second derivatives of the loss; its eigenvalues λ are
# the curvatures of the chapters, not the weight decay), the step is
# $W \leftarrow W - H^{-1} dW$. On a quadratic it lands on the minimum in one step, whatever
# the condition number: no η to tune, no zig-zag. The cost is the problem. For d parameters
# H has $d^2$ entries, and solving with it takes $O(d^3)$ operations (about $d^3/3$ for a
# Cholesky factorisation); a network with a million weights is small, and forming or
# factorising its H is already far out of reach. Newton-like steps without H exist: a
# Hessian-vector product $Hv$ costs about as much as one more gradient (Pearlmutter, 1994), and
# conjugate gradient on those gives Hessian-free optimisation (Martens, 2010). But each step
# costs many gradient evaluations, and mini-batch curvature is noisy. What is used instead
# keeps less:
#
# - a **diagonal** preconditioner, d numbers: divide each coordinate by its own scale. That is
#   what Adagrad, RMSprop and Adam do with $\sqrt{s_{dW}}$. Strictly, $s_{dW}$ averages the
#   squared gradients, not the diagonal of H; the two are related near a minimum for some
#   losses (through the Fisher information), which is the usual motivation, not an identity.
#   And Adam divides by $\sqrt{s_{dW}}$, not by $s_{dW}$: even where $s_{dW}$ tracks the
#   diagonal curvature, its step is a square-root preconditioner, not a diagonal Newton step.
#   The average of squared mini-batch gradients is also the empirical Fisher, which can be far
#   from the true one (Kunstner et al., 2019).
#   A diagonal cannot undo a rotation: on the 45°-turned bowl of the first picture the diagonal
#   of H is constant, and dividing by it changes nothing.
# - **L-BFGS** (Liu & Nocedal, 1989) builds an approximation of $H^{-1}$ from the last m pairs of
#   steps and gradient changes: $2md$ numbers and about $4md$ operations per step. It works well
#   on smooth full-batch problems and poorly with mini-batch noise.
# - **Hessian-free** ($Hv$ products + conjugate gradient): no H stored, but many gradient
#   evaluations per step, and noisy with mini-batches.
# - Structured curvature at scale: K-FAC (Martens & Grosse, 2015) and Shampoo
#   (Gupta et al., 2018) keep Kronecker-factored blocks per layer.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
w_newton = start - np.linalg.solve(hessian, bowl.grad(start))   # one Newton step
print(f"turned bowl, κ = {bowl.lambda_max:g}: loss at the start {bowl.value(start):.3g}, "
      f"after one Newton step {bowl.value(w_newton):.1e}")
print(f"steps to loss < 1e-6, tuned (from the story above): GD {gd_best[0]}, momentum "
      f"{mom_best[0]}, Newton 1")


def jacobi_condition(H):
    """Condition number of H after dividing by its diagonal: D^(-1/2) H D^(-1/2)."""
    r = 1 / np.sqrt(np.diag(H))
    ev = np.linalg.eigvalsh(H * np.outer(r, r))
    return ev[-1] / ev[0]


hessian_flat = np.column_stack([flat.grad([1.0, 0.0]), flat.grad([0.0, 1.0])])
print(f"condition number of H after a diagonal preconditioner: axis-aligned bowl "
      f"{jacobi_condition(hessian_flat):.3g}, turned bowl {jacobi_condition(hessian):.3g}")

d, m, fp32 = 1e6, 10, 4
print(f"\nd = {d:.0e} parameters, fp32:")
print(f"  Newton: H holds {d ** 2:.0e} numbers = {d ** 2 * fp32 / 1e12:g} TB; "
      f"a Cholesky solve ≈ d³/3 = {d ** 3 / 3:.1e} operations, at every step")
print(f"  diagonal (Adam's s): {d:.0e} numbers = {d * fp32 / 1e6:g} MB")
print(f"  L-BFGS, m = {m} pairs: 2md = {2 * m * d:.0e} numbers = {2 * m * d * fp32 / 1e6:g} MB; "
      f"≈ 4md = {4 * m * d:.0e} operations per step")

# %% [markdown]
# On the turned bowl, one Newton step did what tuned momentum needed 36 steps for, and tuned
# GD 201. The diagonal preconditioner made the axis-aligned bowl perfectly round (condition
# number 1) and left the turned one at 50. And the bill for d = 1 million: 4 TB for H alone
# against 4 MB for a diagonal and 80 MB for L-BFGS with m = 10. A network's loss is not a
# quadratic, so even a full Newton step would only be a local model; near a saddle it is a bad
# one (next subsection).

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(bowl.value(w_newton), lt=1e-20, says="one Newton step did what")
claim(mom_best[0], approx=36, abs_tol=0, says="tuned momentum needed 36 steps for")
claim(gd_best[0], approx=201, abs_tol=0, says="and tuned GD 201")
claim(jacobi_condition(hessian_flat), approx=1, rel=1e-9,
      says="made the axis-aligned bowl perfectly round (condition number 1)")
claim(jacobi_condition(hessian), approx=50, rel=1e-9, says="left the turned one at 50")
claim(d ** 2 * fp32 / 1e12, approx=4, rel=1e-12, says="4 TB for H alone")
claim(d * fp32 / 1e6, approx=4, rel=1e-12, says="against 4 MB for a diagonal")
claim(2 * m * d * fp32 / 1e6, approx=80, rel=1e-12, says="80 MB for L-BFGS with m = 10")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Saddle points and plateaus
#
# *"In high dimensions, are bad local minima the main obstacle?"* Mostly not, argued
# Dauphin et al. (2014). At a critical point ($dW = 0$) the signs of the eigenvalues of H
# decide what it is: all positive, a minimum; all negative, a maximum; mixed, a saddle. A
# minimum needs all d signs positive at once, and for a "random" critical point that gets
# very unlikely as d grows, so most critical points of high loss are saddles. Near a saddle
# the gradient is tiny and GD crawls (a plateau in the loss curve) until the direction of
# negative curvature takes over; gradient noise helps it leave.
#
# The experiment: the course's saddle $f = W_1^2 - W_2^2$, where $H$ = diag(2, −2); GD from
# almost on the $W_1$ axis, exactly on it, and exactly on it with a little gradient noise;
# Newton's step; and the share of random symmetric matrices whose eigenvalues are all
# positive, for growing d (the "random critical point" of the argument).

# %% tags=["slides-output-only"]
sad = get_problem("saddle")
H_sad = np.column_stack([sad.grad([1.0, 0.0]), sad.grad([0.0, 1.0])])
eig_sad = np.linalg.eigvalsh(H_sad)
lr_sad = 0.1
near = run_path(sad, "gd", steps=60, lr=lr_sad)                  # start (−1.5, 0.001)
g_norm = np.linalg.norm(2 * near.path * [1, -1], axis=1)          # ‖dW‖ = ‖(2W1, −2W2)‖
escape = int(np.argmax(np.abs(near.path[:, 1]) > 1))
escape_theory = math.log(1 / abs(sad.start[1])) / math.log(1 + 2 * lr_sad)
on_axis = run_path(sad, "gd", steps=60, lr=lr_sad, start=[-1.5, 0.0])
shaken = run_path(noisy(sad, sigma=1e-3, rng=0), "gd", steps=60, lr=lr_sad, start=[-1.5, 0.0])
w_nt = sad.start - np.linalg.solve(H_sad, sad.grad(sad.start))     # one Newton step
print(f"eigenvalues of H at the saddle: {eig_sad}")
print(f"GD, η = {lr_sad}, from {sad.start.tolist()}: ‖dW‖ < 0.1 during {(g_norm < 0.1).sum()} "
      f"steps (a plateau); |W2| > 1 at step {escape} (theory ln(1000)/ln(1 + 2η) = "
      f"{escape_theory:.1f})")
print(f"GD from exactly (−1.5, 0): after 60 steps at {np.round(on_axis.path[-1], 12).tolist()}"
      " (stuck on the saddle)")
print(f"  ... the same with gradient noise σ = 0.001: after 60 steps at "
      f"{np.round(shaken.path[-1], 3).tolist()} (escaped along W2)")
print(f"one Newton step from {sad.start.tolist()}: {np.round(w_nt, 12).tolist()}, "
      "right onto the saddle")
rng_m, draws = np.random.default_rng(0), 4000
share_min = {}
for dim in (1, 2, 3, 4, 8):
    G = rng_m.standard_normal((draws, dim, dim))
    ev = np.linalg.eigvalsh((G + G.transpose(0, 2, 1)) / 2)       # random symmetric "Hessians"
    share_min[dim] = (ev > 0).all(axis=1).mean()
print(f"share of {draws:,} random symmetric d × d matrices with all eigenvalues > 0:")
print("  " + ", ".join(f"d = {k}: {v:.2%}" for k, v in share_min.items()))

# %% [markdown] slideshow={"slide_type": "subslide"}
# One eigenvalue positive, one negative: a saddle. GD, started almost on the stable axis, spent
# a stretch of steps with a gradient below 0.1 before it left along $W_2$; the escape step
# matches the formula, because the small $W_2$ grows by a factor $1 + 2\eta$ per step. Started
# exactly on the axis, GD never leaves: it converges *to the saddle* (a measure-zero set of
# starts: from a random start GD almost surely leaves a strict saddle, Lee et al. 2016, but it
# can take very long, Du et al. 2017). A noise of σ = 0.001 in
# the gradient is enough to escape; that is one reason noisy (mini-batch) gradients are not
# only a cost. Newton's step is worse than GD here: $H^{-1}$ flips the sign of the descending
# direction, so it jumps onto the saddle; Dauphin et al.'s saddle-free Newton divides by
# $|H|$ (absolute eigenvalues) instead. The random matrices show the dimension argument: half
# are "minima" in d = 1, about one in seven in d = 2, none of the draws in d = 8. A caveat for
# the interview: a real network's Hessian is not a random matrix (most of its eigenvalues are
# near zero, Sagun et al. 2017); the argument explains the trend, it does not describe a
# given network.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(eig_sad[0] < 0 < eig_sad[1], says="One eigenvalue positive, one negative: a saddle.")
claim(int((g_norm < 0.1).sum()), ge=5,
      says="spent a stretch of steps with a gradient below 0.1 before it left")
claim(escape, approx=escape_theory, abs_tol=1,
      says="the escape step matches the formula")
claim(float(np.abs(on_axis.path[-1]).max()), lt=1e-5,
      says="it converges *to the saddle*")
claim(abs(shaken.path[-1, 1]) > 1 > 1e3 * abs(shaken.path[-1, 0]),
      says="A noise of σ = 0.001 in the gradient is enough to escape")
claim(float(np.abs(w_nt).max()), lt=1e-12, says="so it jumps onto the saddle")
claim(share_min[1], approx=0.5, abs_tol=0.02, says="half are \"minima\" in d = 1")
claim(1 / share_min[2], approx=7, rel=0.15, says="about one in seven in d = 2")
claim(share_min[8] == 0, says="none of the draws in d = 8")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Sharp and flat minima
#
# *"Does SGD's noise, or a large learning rate, find better minima?"* The argument
# (Keskar et al., 2017): large-batch training tends to end in sharp minima (large eigenvalues
# of H), small-batch SGD in flat ones, and flat ones generalise better, because the test loss
# surface is a slightly shifted training surface and a shift costs little in a flat basin.
# One mechanism behind "large η avoids sharp minima" is exact: GD can only settle in a
# minimum whose curvature λ is below 2/η, the stability limit of the chapters (for plain GD;
# momentum raises the limit, to $2(1+\beta)/((1-\beta)\eta)$ in the course's EWA form, and for
# Adam it applies to the preconditioned Hessian, Cohen et al. 2022). Noise adds a
# second one: it kicks the iterate around, and a narrow basin is easier to be kicked out of.
#
# The toy: $f(W) = \min\bigl(50\,(W + 0.5)^2,\ 2\,(W - 0.5)^2\bigr)$, two minima of the same
# depth (0), a sharp one at −0.5 (λ = 100) and a flat one at 0.5 (λ = 4). GD from 1,000
# random starts in [−2, 2], with a small η (stable in both), an η above 2/100 but below 2/4,
# and the small η with gradient noise.

# %% tags=["slides-output-only"]
lam_sharp, lam_flat = 100.0, 4.0


def toy_grad(w):
    """Gradient of min(λ_sharp/2 (w + 0.5)², λ_flat/2 (w − 0.5)²), element-wise."""
    sharp_side = lam_sharp * (w + 0.5) ** 2 < lam_flat * (w - 0.5) ** 2
    return np.where(sharp_side, lam_sharp * (w + 0.5), lam_flat * (w - 0.5))


def end_in_sharp(lr, steps, sigma=0.0, seed=0):
    """Share of 1,000 GD runs (random starts in [−2, 2]) that end within 0.1 of the sharp minimum."""
    gen = np.random.default_rng(seed)
    w = gen.uniform(-2, 2, size=1000)
    for _ in range(steps):
        w = w - lr * (toy_grad(w) + sigma * gen.standard_normal(w.size))
    return float(np.mean(np.abs(w + 0.5) < 0.1))


runs_sf = {"η = 0.005, 400 steps": end_in_sharp(0.005, 400),
           "η = 0.03, 400 steps": end_in_sharp(0.03, 400),
           "η = 0.005, noise σ = 10, 1,000 steps": end_in_sharp(0.005, 1000, sigma=10.0),
           "η = 0.005, noise σ = 10, 3,000 steps": end_in_sharp(0.005, 3000, sigma=10.0)}
print(f"stability limits 2/λ: sharp minimum {2 / lam_sharp}, flat minimum {2 / lam_flat}")
for label, share in runs_sf.items():
    print(f"  GD, {label:36s} ends in the sharp minimum in {share:.1%} of the runs")
shift = 0.1                                    # the test surface, shifted by 0.1
print(f"loss after a shift of {shift} of the surface: sharp {lam_sharp / 2 * shift ** 2:.2f}, "
      f"flat {lam_flat / 2 * shift ** 2:.2f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# With the small η, about four runs in ten end in the sharp minimum (its basin of attraction,
# nothing more). With η = 0.03, above its limit 2/100, no run stays there: the iterate
# overshoots further at every step until it lands in the flat basin. The noise, at the small
# η, had roughly halved the share after 1,000 steps, and it keeps falling with more steps
# (about 10 % after 3,000): with equal depths, noise favours the wider basin. The shift shows
# the intuition: the same 0.1 costs 25 times
# more loss in the sharp minimum. Full-batch GD on real networks is seen to hover at sharpness ≈ 2/η
# (Cohen et al., 2021, "the edge of stability"), the same limit at work.
#
# What the toy cannot show is generalisation: it has no data. The link is debated.
# Dinh et al. (2017) showed that a reparametrisation can make a minimum as sharp as you like
# without changing the function it computes; Hoffer et al. (2017) closed much of the
# large-batch gap by training longer with an adapted learning rate. On Adam against SGD:
# Wilson et al. (2017) found adaptive methods generalising worse than SGD with momentum on
# their image and language tasks; later work traced much of the gap to tuning and to L2
# regularisation coupled with Adam's scaling (AdamW: Loshchilov & Hutter, 2019), and with
# every hyperparameter tuned (ε included), Adam did not do worse than momentum
# (Choi et al., 2019); transformers are trained with AdamW almost everywhere. An honest
# interview answer: on image classification with CNNs, tuned SGD with momentum is often
# reported to generalise a little better; with decoupled weight decay and tuning the gap
# mostly closes; it depends on the task, and "flat minima generalise better" is a useful
# heuristic, not a theorem.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(runs_sf["η = 0.005, 400 steps"], approx=0.4, abs_tol=0.05,
      says="about four runs in ten end in the sharp minimum")
claim(runs_sf["η = 0.03, 400 steps"], approx=0, abs_tol=0,
      says="no run stays there")
claim(runs_sf["η = 0.005, noise σ = 10, 1,000 steps"] / runs_sf["η = 0.005, 400 steps"],
      approx=0.5, rel=0.2, says="had roughly halved the share after 1,000 steps")
claim(runs_sf["η = 0.005, noise σ = 10, 3,000 steps"], approx=0.1, abs_tol=0.02,
      says="about 10 % after 3,000")
claim(lam_sharp / lam_flat, approx=25, rel=1e-12,
      says="the same 0.1 costs 25 times more loss in the sharp minimum")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The formula sheet
#
# One page. Its rules and defaults are generated from the optimizer registry, so they cannot
# disagree with the code; the conventions under the table are written by hand (the
# [notation page](../docs/notation.md) gives their sources).

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** every rule and default on one page, generated from the optimizer registry, so it
#   cannot disagree with the code.
# - **Demo:** hide the sheet, have everyone write Adam's update and defaults from memory, then show
#   it and compare.
# - **Ask the room:** "Adam's defaults?" **Answer:** η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8
#   (PyTorch's too).

# %% slideshow={"slide_type": "subslide"} tags=["slides-compact"]
display(Markdown(formula_sheet("rules")))

# %% slideshow={"slide_type": "subslide"} tags=["slides-compact"]
display(Markdown(formula_sheet("conventions")))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Write them from memory
#
# The whiteboard part of the interview. Three classics, each checked by the course's checker,
# which names the usual mistakes (floor instead of ceil, a missing bias correction, β1 and β2
# swapped, ...).
#
# ### Exercise 1: iterations per epoch

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** the whiteboard part: iterations per epoch (ceil, not floor), the bias-corrected EWA
#   (correct each output, never the running v), Adam from memory.
# - **Demo:** show the three stubs; let volunteers write Adam on the board, then run
#   `check("adam_update", ...)` on the projector: the checker names the classic mistakes (floor
#   instead of ceil, a missing bias correction, β1 and β2 swapped).
# - **Ask the room:** "10 records in batches of 3: how many iterations per epoch?" **Answer:** 4
#   (three full batches and one of a single record).
# - **Cut when short:** keep Adam only; set the other two as homework.

# %%
def iterations_per_epoch_mine(n, batch_size):
    ### BEGIN SOLUTION
    return math.ceil(n / batch_size)
    ### END SOLUTION


# %%
check("iterations_per_epoch", iterations_per_epoch_mine)

# %% slideshow={"slide_type": "skip"}
hint("iterations_per_epoch")

# %% [markdown] slideshow={"slide_type": "subslide"}
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

# %% slideshow={"slide_type": "skip"}
hint("ewa_bias_corrected")

# %% [markdown] slideshow={"slide_type": "subslide"}
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

# %% slideshow={"slide_type": "skip"}
hint("adam_update")

# %% slideshow={"slide_type": "skip"}
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

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** telling the story while the paths move makes each step of it concrete.
# - **Demo:** the playground on Rosenbrock with GD, momentum, Adagrad, RMSprop and Adam (200 steps).
#   Have a volunteer tell the story while moving the sliders: raise GD's η until it zig-zags, add
#   momentum, switch to RMSprop and Adam.
# - **Ask the room:** "What does the next optimizer in the story fix that this one left?"
#   **Answer:** ask it at each switch; the answers are the seven paragraphs above.

# %% tags=["nbval-ignore-output"]
from course_lib.widgets import playground  # noqa: E402

playground("rosenbrock", ["gd", "momentum", "adagrad", "rmsprop", "adam"], steps=200)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The question bank
#
# Every chapter's interview questions live in one bank, with those of the two "Beyond the
# chapters" sections above: multiple choice, numbers to compute, and "explain" questions. Each
# answer says where in the course the experiment behind it is.
#
# An "explain" question is never graded by a program. You answer in your own words; then the
# quiz shows the model answer and its key points, marks the points your words *seem* to cover
# (a hint from key words, nothing more), and only your ticks count: the answer is right when
# you covered every point. Be strict with yourself; an interviewer will be. The choices of a
# multiple-choice question are shuffled, and the bank is tested so that the right one is not
# given away by being the longest or by its position.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 10 min**
#
# - **Point:** 161 questions over every chapter and interview topic (choice, numbers, and "explain"
#   questions the learner scores against key points); practice means answering out loud and being
#   strict with yourself.
# - **Demo:** pair people up: one asks from the quiz (`quiz(rng=...)`, a different rng per pair),
#   the other answers out loud in two minutes; swap. Or run `mock_interview(n=6, minutes=10)` on the
#   projector, let the room answer together, then read the weak-topics report.
# - **Ask the room:** "Why does Adam need bias correction, and what is the follow-up answer?"
#   **Answer:** both averages start at zero and are too small early on; with β2 = 0.999 and neither
#   corrected the first step is too large, about 3.16 times η.
# - **Cut when short:** drop the flash cards and `review()` in class; set them as homework:
#   `review()` every day (the Leitner boxes bring each card back just in time) and `progress()`
#   before the next session.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(all("experiment" in q for q in questions()),
      says="Each answer says where in the course the experiment behind it is.")

# %% slideshow={"slide_type": "subslide"}
bank = questions()
by_topic = {}
for q in bank:
    by_topic[topic_of(q)] = by_topic.get(topic_of(q), 0) + 1
kinds = {k: sum(q["kind"] == k for q in bank) for k in ("choice", "numeric", "explain")}
print(f"{len(bank)} questions: " + ", ".join(f"{n} {k}" for k, n in kinds.items()))
for topic, n in by_topic.items():
    print(f"  {topic.replace('_', ' '):32s} {n}")

# %% [markdown] slideshow={"slide_type": "subslide"}
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The quiz
#
# All questions, in a random order with shuffled choices (change `rng` for another draw), with
# feedback after each answer, a running score, and a score by topic at the end. `quiz(chapter=6)` or
# `quiz(topic="clipping")` narrows it down. Every scored answer is saved in your progress file
# (see below).

# %% tags=["nbval-ignore-output"]
quiz(rng=0)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Flash cards
#
# The same bank as cards: question on the front; answer, explanation and, for "explain"
# questions, the key points on the back.

# %% tags=["nbval-ignore-output"]
flashcards(rng=1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Spaced repetition: `review()`
#
# Flash cards work best when each card comes back just before you would forget it.
# `review()` schedules them with the **Leitner system**: five boxes, and a card in box $k$ comes
# back after 1, 2, 4, 8 or 16 days. After *Show answer*, say honestly whether you knew it:
# *I knew it* moves the card up one box, *I did not* sends it back to box 1, due tomorrow.
# Each session shows the cards due today, then a few new ones (`new=5` here).

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(INTERVALS == (1, 2, 4, 8, 16) and BOXES == 5,
      says="five boxes, and a card in box $k$ comes back after 1, 2, 4, 8 or 16 days")

# %% tags=["nbval-ignore-output"]
review(new=5)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### A mock interview: `mock_interview()`
#
# The real thing is timed and gives no feedback until the end. `mock_interview()` draws a
# mix of questions (at least one number to compute on the spot, topics spread out), shows one
# at a time under a clock, and ends with one "explain it out loud" question: say your answer
# aloud, type a few words of it, press *I am done*, then tick the key points you really
# covered. When the time is up,
# the questions left count as not answered. The report lists your score, the time you used
# and your **weak topics**, each with a link to the section to revisit. Press *Start* when you
# are ready; `mock_interview(n=12, minutes=20, topics=["clipping", "warmup"])` makes it
# longer or narrower.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
_draw = draw_questions(8, rng=0)
claim(sum(q["kind"] == "numeric" for q in _draw) >= 1 and _draw[-1]["kind"] == "explain"
      and sum(q["kind"] == "explain" for q in _draw) == 1,
      says="at least one number to compute on the spot")

# %% tags=["nbval-ignore-output"]
mock_interview(n=8, minutes=15, rng=0)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Your progress: `progress()`
#
# Your boxes, every scored quiz answer and every `check()` you ran are saved in
# `course_progress.sqlite3` in your course folder (the folder that holds `notebooks/`), so
# they survive a kernel restart; set the environment variable `OPTIMIZERS_COURSE_PROGRESS` to
# keep the file elsewhere. The file is never committed and `make student` leaves it alone; a
# damaged file is moved aside (never deleted) and a fresh one started. `progress()` shows
# what you have done: chapters whose exercises all pass, exercises passed with their dates,
# mastery per topic (the share right of your last answers, flagged when it is low; quiz,
# mock-interview and review answers all count, a review card as you rated it) and the cards
# due today.

# %% tags=["nbval-ignore-output"]
progress()

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
# - Beyond the chapters: clipping by norm keeps the direction, by value does not; η can grow
#   with the batch (linearly for SGD, with the square root for Adam: rules of thumb) up to about
#   the gradient noise scale;
#   Adam's first second-moment estimates are unreliable, hence warm-up (or RAdam); LARS/LAMB
#   give each layer a step in proportion to its weights; Lion moves every coordinate by η;
#   Adam keeps two numbers per parameter; Newton is exact on a quadratic but costs $O(d^2)$
#   memory; in many dimensions most critical points are saddles; flatness alone does not settle
#   the generalisation debate.
# - For practice: the quiz, the flash cards with their schedule and the mock interview cover
#   every chapter and every topic, and `progress()` shows your weak topics; the playground lets you
#   tell the story live. When a question stumps you, the answer names the notebook and the
#   section where the experiment behind it lives; go back to [Chapter 0](00_introduction.ipynb)
#   for the beginning of the story, or to [Chapter 10](10_choosing_an_optimizer.ipynb) for
#   the race.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** the story is a chain, GD → SGD → mini-batch → momentum → Adagrad → RMSprop → Adam,
#   each link fixing the previous problem and leaving a new one, every link measured.
# - **Demo:** none; finish with the formula sheet written from memory, and give the homework: the
#   "Beyond the chapters" topics, `review()` daily, `progress()` before the next session.
# - **Ask the room:** "Tell the whole chain in one sentence per link." **Answer:** exact but slow;
#   cheap but noisy; the compromise that still zig-zags; smooths the direction; a rate per parameter
#   that collapses; an average instead of a sum; momentum + RMSprop + bias correction.
