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
import time

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from course_lib import plots
from course_lib.data import iterations_per_epoch, make_regression
from course_lib.exercises import check, hint
from course_lib.models import LinearRegression
from course_lib.moving_averages import bias_correct, ewa_step, ewa_window
from course_lib.optimizers import OPTIMIZERS, AdamState
from course_lib.paths import run_path
from course_lib.problems import get_problem, noisy
from course_lib.quiz import flashcards, formula_sheet, questions, quiz

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The whole course in one picture
#
# Four optimizers from the same start on a long, narrow bowl: plain gradient descent and
# momentum with the same η, just below GD's stability limit, and RMSprop and Adam with an η
# that is, for them, roughly a step length. If you can explain why each path looks the way it
# does, you can explain the course.

# %%
bowl = get_problem("bowl", condition=50.0)
eta_gd = 0.95 * 2 / bowl.lambda_max       # just below GD's limit 2/λ_max on this bowl
eta_pic = {"gd": eta_gd, "momentum": eta_gd, "rmsprop": 0.1, "adam": 0.1}
picture = {name: run_path(bowl, name, steps=60, lr=lr) for name, lr in eta_pic.items()}


def reversals(path, k):
    """Fraction of steps where coordinate k moves the opposite way from the step before."""
    d = np.sign(np.diff(path[:, k]))
    return float((d[1:] * d[:-1] < 0).mean())


fig, (ax_p, ax_l) = plt.subplots(1, 2, figsize=(9, 3.6))
plots.plot_contour(bowl, ax=ax_p, filled=True, alpha=0.45)
plots.plot_paths(bowl, {f"{n}, η = {lr:.3g}": picture[n] for n, lr in eta_pic.items()},
                 ax=ax_p, contour=False)
plots.plot_loss_curves(picture, ax=ax_l, f_min=0.0)
fig.subplots_adjust(wspace=0.3)
plt.show()
print(f"GD's stability limit on this bowl: 2/λ_max = {2 / bowl.lambda_max:.3g}")
for name, res in picture.items():
    print(f"{name:9s} loss after {res.steps_taken} steps: {res.losses[-1]:.2e}; direction "
          f"reversals along the steep axis W2 in {reversals(res.path, 1):.0%} of the steps")

# %% [markdown]
# GD bounces between the steep walls on every step and crawls along the shallow floor;
# momentum, with the same η, averages most of the bounces away; RMSprop and Adam divide each
# coordinate by the size of its own gradients, so the steep direction no longer bounces and
# the shallow one is not left crawling. The rest of this chapter tells that story in words,
# with a number behind every sentence.

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
    """Mean ‖dW_batch − dW_full‖ / ‖dW_full‖ at the same weights, over random batches."""
    rng, errs = np.random.default_rng(seed), []
    for _ in range(draws):
        idx = rng.choice(big.n, size=batch, replace=False)
        _, g = model.loss_and_grads(w0, big.X[idx], big.y[idx])
        errs.append(np.linalg.norm(np.concatenate([v.ravel() for v in g.values()]) - flat_full))
    return np.mean(errs) / np.linalg.norm(flat_full)


B = 64
err_sgd, err_mini = gradient_error(1), gradient_error(B)
print(f"records: {big.n:,}; the inputs X alone take {big.X.nbytes / 2**20:.1f} MiB")
print(f"gradient error of one record: {err_sgd:.2f}; of a batch of {B}: {err_mini:.3f}")
print(f"iterations per epoch: GD 1, SGD {iterations_per_epoch(big.n, 1):,}, "
      f"mini-batch {iterations_per_epoch(big.n, B):,}")

# %% [markdown]
# The time of one update depends on the machine, so it is printed in a cell that the
# automatic checks do not compare:

# %% tags=["nbval-ignore-output"]
def seconds_per_update(X, y, repeats):
    start = time.perf_counter()
    for _ in range(repeats):
        model.loss_and_grads(w0, X, y)
    return (time.perf_counter() - start) / repeats


t_full = seconds_per_update(big.X, big.y, 10)
t_mini = seconds_per_update(big.X[:B], big.y[:B], 200)
print(f"one full-batch update: {t_full * 1e3:.2f} ms; one update on {B} records: "
      f"{t_mini * 1e3:.3f} ms ({t_full / t_mini:.0f}× cheaper)")

# %%
display(Markdown(f"""
**1. Gradient descent.** *Problem:* we want the weights that minimise the loss. *Fix:* step
against the gradient, $W = W - \\eta\\, dW$, with $dW$ computed on **all** records. The step is
exact and the path smooth. *New problem:* every single update needs a forward and backward pass
over the whole data set, here {big.n:,} records whose inputs alone take
{big.X.nbytes / 2**20:.1f} MiB; with millions of records each update is slow and memory-hungry
(the time per update is printed above).

**2. Stochastic gradient descent.** *Fix:* estimate $dW$ from one record; an update becomes
cheap. *New problem:* that estimate is very noisy: here it is off by {err_sgd:.0%} of the true
gradient's length on average, and one epoch now takes {iterations_per_epoch(big.n, 1):,}
Python-level updates.

**3. Mini-batch SGD.** *Fix:* a batch of B records ({B} here): the error falls to
{err_mini:.1%}, and an epoch takes {iterations_per_epoch(big.n, B):,} iterations, each vectorised.
*New problem:* the path still zig-zags, and on an elongated loss surface one η cannot suit both
the steep and the shallow directions.
"""))

# %% [markdown]
# The next steps are about *how to step*; we measure them on the bowl of the picture, with
# and without noise in the gradient (the course's `noisy` problem imitates mini-batch noise).

# %%
zig = {n: reversals(picture[n].path, 1) for n in ("gd", "momentum")}
jitter = {}
for name in ("gd", "momentum"):
    lengths = []
    for seed in range(3):
        res = run_path(noisy(bowl, sigma=2.0, rng=seed), name, steps=300, lr=eta_gd / 2)
        lengths.append(np.linalg.norm(np.diff(res.path[-100:], axis=0), axis=1).mean())
    jitter[name] = float(np.mean(lengths))
rates, rises = {}, {}
for name in ("adagrad", "rmsprop"):
    res = run_path(noisy(bowl, sigma=2.0, rng=0), name, steps=1000, lr=0.05, record_lr=True)
    rates[name] = res.lr_eff[-1] / res.lr_eff[0]               # step 1000 vs step 1
    rises[name] = float((np.diff(res.lr_eff, axis=0) > 0).mean())   # how often it went up
adam = OPTIMIZERS["adam"]
hp = adam.defaults
first = adam.update({"W": np.zeros(2)}, {"dW": np.array([0.3, -40.0])}, adam.init(
    {"W": np.zeros(2)}), **hp)[0]["W"]
uncorrected = (1 - hp["beta1"]) / math.sqrt(1 - hp["beta2"])
print(f"direction reversals along W2, same η: GD {zig['gd']:.0%}, momentum {zig['momentum']:.0%}")
print(f"mean step length at the end, noisy gradient: GD {jitter['gd']:.3f}, "
      f"momentum {jitter['momentum']:.3f}")
print("effective rate, step 1000 / step 1, per coordinate:  ",
      {n: np.round(r, 3).tolist() for n, r in rates.items()})
print("share of steps in which the effective rate went up:   ",
      {n: f"{r:.0%}" for n, r in rises.items()})
print(f"Adam's first step / η for gradients 0.3 and −40: {np.abs(first / hp['lr']).round(6)}")

# %%
display(Markdown(f"""
**4. Momentum.** *Fix:* step along an exponentially weighted average of the gradients,
$v_{{dW}} = \\beta v_{{dW}} + (1-\\beta)\\, dW$, $W = W - \\eta\\, v_{{dW}}$: the components that
flip sign cancel, the consistent ones add up. On the bowl, GD reversed its direction
along $W_2$ in {zig['gd']:.0%} of the steps, momentum in {zig['momentum']:.0%}; with a noisy
gradient, momentum's steps at the end were {jitter['gd'] / jitter['momentum']:.1f}× shorter
than GD's. *New problem:* every parameter still moves with the same η.

**5. Adagrad.** *Fix:* give each parameter its own rate, dividing η by the root of the sum of
its squared gradients, $\\alpha_t$: steep directions slow down, shallow ones speed up.
*New problem:* $\\alpha_t$ only grows. With a noisy gradient the effective rate after 1000 steps
had fallen to {rates['adagrad'].min():.1%}–{rates['adagrad'].max():.1%} of its first value, and
it went up in {rises['adagrad']:.0%} of the steps: it can only fall. In a long training run the
updates shrink towards zero and learning stalls.

**6. RMSprop** (and Adadelta). *Fix:* replace the sum by an exponentially weighted average of
$dW^2$, $s_{{dW}}$; old gradients are forgotten, and the rate no longer collapses: after 1000
steps it stood at {rates['rmsprop'].min():.2f}–{rates['rmsprop'].max():.2f} times its first
value, and it went up again in {rises['rmsprop']:.0%} of the steps, whenever the recent
gradients were small.
*New problem:* the direction is again the raw, noisy gradient, without momentum's smoothing.

**7. Adam.** *Fix:* keep both averages, momentum's $v_{{dW}}$ (β1) and RMSprop's $s_{{dW}}$
(β2), correct their start-up bias with $1-\\beta^t$, and step
$\\eta\\, \\hat v_{{dW}} / (\\sqrt{{\\hat s_{{dW}}}} + \\varepsilon)$. The first step moves every
coordinate by {np.abs(first / hp['lr']).min():.3f}·η, whatever its gradient (0.3 or −40 above);
without the correction it would be {uncorrected:.2f}·η. *What is left:* η still has to be
chosen, and often scheduled; weight decay needs the decoupled form, AdamW
([Chapter 9](09_adam.ipynb) measures why); and on some tasks well-tuned SGD with momentum is
reported to generalise better ([Chapter 10](10_choosing_an_optimizer.ipynb) races them all).
"""))

# %% [markdown]
# *Interview angle:* practise saying the seven paragraphs out loud in under two minutes.
# Interviewers interrupt: if they ask "why?" after any sentence, the number under it is your
# answer.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Numbers to compute on the spot
#
# Interviewers like a quick calculation. Each line below is computed with the course's own
# functions; cover the right-hand side and answer first.

# %%
b1, b2 = hp["beta1"], hp["beta2"]
corr_10 = bias_correct(1.0, b1, 10)          # = 1 / (1 − β1^10)
print(f"iterations per epoch, 50,000 records, batch 128:   {iterations_per_epoch(50_000, 128)}")
print(f"iterations per epoch, 10,000 records, batch 1,000: {iterations_per_epoch(10_000, 1000)}")
print(f"values an EWA averages, β = 0.9 / 0.98 / 0.999:    "
      f"{ewa_window(0.9):.0f} / {ewa_window(0.98):.0f} / {ewa_window(0.999):.0f}")
print(f"bias-correction factor 1/(1 − β1^t) at t = 10:      {corr_10:.3f}")
print(f"Adam's first step without bias correction:          {uncorrected:.2f}·η")
print(f"largest stable GD learning rate, bowl with λ_max = {bowl.lambda_max:g}:  "
      f"{2 / bowl.lambda_max:.3g}")
print(f"momentum v_1 after one gradient dW = 5, β = 0.9:    {ewa_step(0.0, 5.0, 0.9):.2f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The formula sheet
#
# One page, generated from the optimizer registry, so it cannot disagree with the code.

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
# The one they always ask. Write it without looking at [Chapter 9](09_adam.ipynb), then race
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
# Three that trip up many candidates:
#
# - **"50,000 records, batch size 128: iterations per epoch?"** Not 390: the last, smaller
#   batch counts too, so it is the ceiling of the division (computed above).
# - **"Why does Adam need bias correction?"** Because both averages start at zero and are too
#   small early on. The follow-up separates good answers from great ones: with β2 = 0.999 the
#   uncorrected first step is *too large*, about $(1-\beta_1)/\sqrt{1-\beta_2}$ times η
#   (computed above), because $s$ is the more biased of the two.
# - **"Why does Adagrad stall?"** Its accumulator is a sum, not an average; the measured
#   collapse of its rate is in the story above.
#
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
# - The numbers to know are computed by the course's functions, and the formula sheet comes
#   from the optimizer registry: neither can drift from the code.
# - For practice: the quiz and the flash cards cover every chapter; the playground lets you
#   tell the story live. When a question stumps you, the answer names the notebook and the
#   section where the experiment behind it lives; go back to [Chapter 0](00_introduction.ipynb)
#   for the beginning of the story, or to [Chapter 10](10_choosing_an_optimizer.ipynb) for
#   the race.
