# %% [markdown] slideshow={"slide_type": "slide"}
# # Chapter 5 · Exponentially weighted average
#
# **What you will be able to do**
#
# - compute an exponentially weighted average (EWA), $v_t = \beta\, v_{t-1} + (1-\beta)\, a_t$,
#   by hand and in code;
# - predict what $\beta$ does: $\beta = 0.95$ gives a smooth curve that reacts late,
#   $\beta = 0.1$ follows every new value;
# - explain the rule of thumb "an EWA averages about the last $1/(1-\beta)$ values";
# - explain why an EWA started at $v_0 = 0$ is too small at first, and correct it with
#   $v_t / (1 - \beta^t)$.
#
# **Where this sits in the story.** [Chapter 3](03_minibatch_sgd.ipynb) left us with noisy
# mini-batch gradients and a zig-zag path; [Chapter 4](04_epochs_and_iterations.ipynb) counted the
# iterations that produce them, one noisy gradient per iteration. Before we change the optimizer,
# this chapter builds the tool that turns a noisy series into a smooth one, with one number of
# memory. It is the building block of the rest of the course: momentum
# ([Chapter 6](06_momentum.ipynb)) averages the gradients with it, RMSprop
# ([Chapter 8](08_rmsprop_adadelta.ipynb)) the squared gradients, and Adam
# ([Chapter 9](09_adam.ipynb)) does both, with the bias correction of this chapter.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** the exponentially weighted average turns a noisy series into a smooth one with one
#   number of memory: the building block of momentum, RMSprop and Adam.
# - **Demo:** no code: the learning goals.
# - **Ask the room:** "Why does one number of memory matter for an optimizer?" **Answer:** a
#   network has millions of weights: one extra number each is affordable, a history of past
#   gradients is not.

# %% slideshow={"slide_type": "skip"}
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from course_lib import plots
from course_lib.claims import claim
from course_lib.exercises import check, hint
from course_lib.moving_averages import bias_correct, ewa_series, ewa_step, ewa_window
from course_lib.optimizers import OPTIMIZERS
from course_lib.quiz import quiz
from course_lib.widgets import ewa_explorer

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A noisy series
#
# Take a series of values $a_1, a_2, a_3, \dots$ measured at times $t_1, t_2, t_3, \dots$: the
# temperature of each day of half a year, say. Each day's value is the slow seasonal trend plus
# the weather of that day. We would like to see the trend without the day-to-day noise, and we
# would like to update our estimate every day with the new value alone, without storing the
# whole history.
#
# The grey dots are the (made-up, seeded) temperatures; the line is their exponentially
# weighted average with $\beta = 0.9$.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** the average follows the trend and ignores most of the weather, updated from
#   yesterday's average and today's value alone.
# - **Demo:** the temperatures with β = 0.9: typical distance from the trend 2.90 °C for the data,
#   1.06 °C for the average.
# - **Ask the room:** "What does the average need to update itself each day?" **Answer:**
#   yesterday's average and today's value, nothing else.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
rng = np.random.default_rng(0)
days = np.arange(1, 181)
trend = 12 + 10 * np.sin(np.pi * (days - 1) / 179)        # the slow seasonal curve
a = trend + 3 * rng.standard_normal(days.size)             # plus the weather of each day

fig, ax = plt.subplots(figsize=(8, 3.5))
plots.plot_ewa(a, betas=(0.9,), bias_correction=True, ax=ax, t=days)
ax.plot(days, trend, ":", color="k", linewidth=1, label="the trend (unknown in practice)")
ax.set_xlabel("day t")
ax.set_ylabel("temperature (°C)")
ax.legend(fontsize="small", loc="lower center")
plt.show()
v_09 = ewa_series(a, 0.9, bias_correction=True)
off_data, off_ewa = np.sqrt(np.mean((a - trend) ** 2)), np.sqrt(np.mean((v_09 - trend) ** 2))
print(f"typical distance from the trend (root mean square): data {off_data:.2f} °C, "
      f"average {off_ewa:.2f} °C")

# %% [markdown]
# The average follows the trend and ignores most of the weather: its typical distance from the
# trend is about a third of the data's (printed above). It is computed one day at a time, from
# yesterday's average and today's value only. That is the property the optimizers need: a
# network has millions of weights, and for each of them we can afford one extra number (its
# running average), not a history of past gradients.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(off_ewa / off_data, approx=1 / 3, rel=0.15,
      says="its typical distance from the trend is about a third of the data's")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The formula
#
# Start from $v_0 = 0$. Each new value $a_t$ updates the average:
#
# $$v_t = \beta\, v_{t-1} + (1 - \beta)\, a_t, \qquad 0 \le \beta < 1$$
#
# $\beta$ is the share kept from the past, $1 - \beta$ the share given to the new value; the
# two shares add up to 1. This is the form of the lecture (Andrew Ng's course) and of the Adam
# paper, and the one this course uses everywhere ([notation page](../docs/notation.md)). Some
# texts keep the whole new value instead, $v_t = \beta\, v_{t-1} + a_t$ (d2l's "leaky average"
# for momentum, PyTorch's momentum buffer): that is a convention too, and from $v_0 = 0$ it is
# exactly the EWA divided by $1 - \beta$ (checked in the code below). In code, line by line, and then with the library function the
# optimizers use (`ewa_step`) and the one that averages a whole series (`ewa_series`):

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** v_t = β·v_(t−1) + (1 − β)·a_t from v_0 = 0; unrolled, the weights (1 − β)·β^k
#   shrink exponentially with age and add up to 1 − β^t, not 1.
# - **Demo:** by hand, `ewa_step` and `ewa_series` agree; PyTorch's leaky form is the EWA divided
#   by 1 − β; the weights add up to 0.957609 at t = 30.
# - **Ask the room:** "What do the weights of v_t add up to?" **Answer:** 1 − β^t, not 1: the
#   reason for the bias correction at the end of the chapter.
# - **Cut when short:** the unrolled sum: state it.

# %% tags=["slides-output-only"]
beta = 0.9
v = 0.0                                   # v_0 = 0
by_hand = []
for a_t in a:                             # a_1, a_2, ..., a_T
    v = beta * v + (1 - beta) * a_t       # v_t = beta * v_(t-1) + (1 - beta) * a_t
    by_hand.append(v)

v, with_step = 0.0, []
for a_t in a:
    v = ewa_step(v, a_t, beta)            # the same line, as momentum, RMSprop and Adam call it
    with_step.append(v)

whole = ewa_series(a, beta)               # the whole series at once
print("first three averages:", np.round(by_hand[:3], 4))
print("by hand, ewa_step and ewa_series agree:",
      np.allclose(by_hand, with_step) and np.allclose(by_hand, whole))

leaky, leaky_v = [], 0.0
for a_t in a:
    leaky_v = beta * leaky_v + a_t        # the other convention: the whole new value
    leaky.append(leaky_v)
print("leaky average = EWA / (1 - beta) at every t:", np.allclose(leaky, whole / (1 - beta)))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Unroll the recursion and the name becomes clear. With $v_0 = 0$:
#
# $$v_t = (1-\beta)\,a_t + (1-\beta)\,\beta\,a_{t-1} + (1-\beta)\,\beta^2\,a_{t-2} + \dots
# = (1-\beta)\sum_{k=0}^{t-1} \beta^k\, a_{t-k}$$
#
# Every past value is in the average, with a weight $(1-\beta)\beta^k$ that shrinks
# **exponentially** with its age $k$. The same $v_t$ computed from the weights directly:

# %%
t = 30
weights = (1 - beta) * beta ** np.arange(t)          # weight of a_t, a_(t-1), ..., a_1
from_weights = weights @ a[t - 1::-1]                # a_t, a_(t-1), ..., a_1
print(f"v_{t} from the recursion: {whole[t - 1]:.6f}, from the weights: {from_weights:.6f}")
print(f"the weights add up to {weights.sum():.6f} = 1 - beta^{t} = {1 - beta ** t:.6f}")
assert np.isclose(whole[t - 1], from_weights)

# %% [markdown]
# Keep that last line in mind: the weights add up to $1 - \beta^t$, not to 1. It is the reason
# for the bias correction at the end of the chapter.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Changing beta
#
# The DLS lecture (Andrew Ng's course) uses $\beta = 0.9$, 0.98 and 0.5; here we take two
# extremes, $\beta = 0.95$ (much weight on the past) and $\beta = 0.1$ (almost all the weight on
# the new value):

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 6 min**
#
# - **Point:** a larger β removes more noise and reacts later.
# - **Demo:** "Changing beta": β = 0.95 against β = 0.1 on the same noisy series (daily changes
#   0.22 °C against 3.43 °C, the data's 4.01 °C); then the jump from 10 to 20: β = 0.95 needs 20
#   steps to cover 63 % of it.
# - **Ask the room:** "What is the price of a large β such as 0.98?" **Answer:** the lag: about 50
#   steps to cover 63 % of a change.
# - **Cut when short:** the noise table.

# %% tags=["slides-output-only"]
fig, ax = plt.subplots(figsize=(8, 3.5))
plots.plot_ewa(a, betas=(0.1, 0.95), bias_correction=True, ax=ax, t=days)
ax.set_xlabel("day t")
ax.set_ylabel("temperature (°C)")
plt.show()

noise_data = np.diff(a).std()
change = {b_: np.diff(ewa_series(a, b_, bias_correction=True)).std() for b_ in (0.1, 0.95)}
print(f"typical change from one day to the next: data {noise_data:.2f} °C, "
      + ", ".join(f"beta = {b_}: {c_:.2f} °C ({c_ / noise_data:.0%} of the data's)"
                  for b_, c_ in change.items()))

# %% [markdown]
# With $\beta = 0.1$ the average is almost the data itself: from one day to the next it moves
# almost as much as the data do. With $\beta = 0.95$ it is smooth, its daily changes are less
# than a tenth of the data's, but it runs *behind* the data: it climbs after the data climb and
# stays high after they fall. Both effects have a measurable size.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(change[0.1] / noise_data, gt=0.8, lt=1,
      says="from one day to the next it moves almost as much as the data do")
claim(change[0.95] / noise_data, lt=0.1, says="its daily changes are less than a tenth of the data's")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **How much noise is left.** Average pure noise (standard deviation 1, independent values) and
# measure the spread of the result once the start-up has passed. For an EWA it is
# $\sqrt{(1-\beta)/(1+\beta)}$ (the root of the sum of the squared weights
# $(1-\beta)^2\beta^{2k}$), a formula [Chapter 6](06_momentum.ipynb) uses for the noise of the
# gradients. A plain average of $N$ independent values leaves $1/\sqrt{N}$; so, for noise, an
# EWA is worth a plain average of $N_{\text{eff}} = (1+\beta)/(1-\beta)$ values:

# %%
noise = np.random.default_rng(1).standard_normal(20_000)
spread = {}
print(f"{'beta':>5s} {'spread left (measured)':>23s} {'sqrt((1-b)/(1+b))':>18s} "
      f"{'1/spread^2':>11s} {'(1+b)/(1-b)':>12s}")
for b_ in (0.1, 0.5, 0.9, 0.95, 0.975):
    spread[b_] = ewa_series(noise, b_)[1000:].std()          # skip the start-up
    print(f"{b_:>5g} {spread[b_]:>23.3f} {np.sqrt((1 - b_) / (1 + b_)):>18.3f} "
          f"{1 / spread[b_] ** 2:>11.1f} {(1 + b_) / (1 - b_):>12.1f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The formula holds to within a few per cent of the measured spread (the measurement itself is
# noisy). For $\beta = 0.9$, $N_{\text{eff}} = 1.9/0.1 = 19$ values (measured: 1/spread² above):
# about twice the
# $1/(1-\beta) = 10$ of the rule of thumb below, because the EWA keeps a long tail of small
# weights. Both numbers are right; they answer different questions.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(max(abs(spread[b_] / np.sqrt((1 - b_) / (1 + b_)) - 1) for b_ in spread), lt=0.05,
      says="The formula holds to within a few per cent of the measured spread")
claim(1 / spread[0.9] ** 2, approx=1.9 / 0.1, rel=0.1, says="$N_{\\text{eff}} = 1.9/0.1 = 19$ values")
claim(1 / spread[0.9] ** 2 / ewa_window(0.9), approx=2, rel=0.1,
      says="about twice the")

# %% [markdown]
# **How late it reacts.** Feed a series that stays at 10 for 200 steps and then jumps to 20
# (the averages are bias-corrected, so each of them is exactly 10 before the jump), and count
# the steps the average needs to cover 63 % of the jump:

# %% tags=["slides-output-only"]
jump = np.where(np.arange(1, 281) <= 200, 10.0, 20.0)
fig, ax = plt.subplots(figsize=(8, 3))
plots.plot_ewa(jump, betas=(0.1, 0.5, 0.9, 0.95), bias_correction=True, ax=ax)
ax.set_xlim(190, 280)
ax.set_title("a jump from 10 to 20 at t = 201", fontsize="medium")
plt.show()
lag, before_jump, covered, n_ceil = {}, [], {}, {}
print(f"{'beta':>5s} {'steps to cover 63% of the jump':>31s} {'1 / (1 - beta)':>15s}")
for b_ in (0.1, 0.5, 0.9, 0.95, 0.975, 0.98):
    v_jump = ewa_series(jump, b_, bias_correction=True)
    before_jump.append(np.allclose(v_jump[:200], 10.0))
    lag[b_] = int(np.argmax(v_jump[200:] >= 10 + 0.63 * 10)) + 1      # counted from t = 201
    n_ceil[b_] = int(np.ceil(ewa_window(b_) - 1e-9))                   # the window rounded up
    covered[b_] = (v_jump[200 + n_ceil[b_] - 1] - 10) / 10             # share covered by then
    print(f"{b_:>5g} {lag[b_]:>31d} {ewa_window(b_):>15.3g}")
assert all(before_jump)                                 # each average is 10 before the jump

# %% [markdown] slideshow={"slide_type": "subslide"}
# The trade-off in one sentence: **a larger $\beta$ removes more noise and reacts later**.
# The lag grows like $1/(1-\beta)$: after $n = \lceil 1/(1-\beta) \rceil$ steps (the window
# rounded up) a raw average that had settled before the jump has covered $1 - \beta^n$ of it,
# never less than $1 - 1/e \approx 63\,\%$ (next section); the bias-corrected averages here
# cover at least that much, a little more (they divide by $1 - \beta^t$, slightly below 1). So in
# every row the count is at most $1/(1-\beta)$ rounded up, and sometimes one step less
# ($\beta = 0.98$: 49 steps, not 50). With $\beta = 0.95$
# the average needs 20 steps to cover 63 % of a change; with $\beta = 0.1$ it needs one, but
# keeps most of the noise. The noise left shrinks only like a square root,
# $\sqrt{(1-\beta)/(1+\beta)}$: halving it costs about four times the lag.
#
# > **Interview angle.** "What is the price of a large $\beta$ such as 0.98?" The average lags:
# > it takes about $1/(1-\beta) = 50$ steps to cover 63 % of a change in the data. For momentum
# > that means it keeps pushing in an old direction for a while after the gradient has turned.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(all(lag[b_] <= np.ceil(ewa_window(b_) - 1e-9) for b_ in lag),
      says="in every row the count is at most")
claim(lag[0.95], approx=20, abs_tol=0, says="the average needs 20 steps to cover 63 % of a change")
claim(lag[0.1], approx=1, abs_tol=0, says="it needs one, but keeps most of the noise")
claim(spread[0.1], gt=0.5, says="it needs one, but keeps most of the noise")
claim(lag[0.98], approx=50, abs_tol=1, says="steps to cover 63 % of a change in the data")
claim(lag[0.98], approx=49, abs_tol=0, says="49 steps, not 50")
claim(all(covered[b_] >= 1 - b_ ** n_ceil[b_] - 1e-12 for b_ in lag),
      says="cover at least that much, a little more")
claim(min(1 - b_ ** n_ceil[b_] for b_ in lag), ge=1 - np.exp(-1),
      says="never less than $1 - 1/e \\approx 63\\,\\%$")
claim(lag[0.975] / lag[0.9], approx=4, rel=0.05, says="halving it costs about four times the lag")
claim(spread[0.975] / spread[0.9], approx=0.5, rel=0.05,
      says="halving it costs about four times the lag")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## How many values does it average?
#
# A plain average of the last $N$ values gives each of them the weight $1/N$. The EWA gives the
# newest value the weight $1 - \beta$; an average with that weight on the newest value would
# span
#
# $$N \approx \frac{1}{1-\beta}\ \text{values}$$
#
# There is a second way to see it. The weight of a value $N = 1/(1-\beta)$ steps back is
# $\beta^N$ times that of the newest value, and $\beta^{1/(1-\beta)}$ is below
# $1/e \approx 0.37$ for every $\beta$ and close to it for $\beta$ close to 1 (because
# $\ln\beta \le \beta - 1$): a value that old has faded to about a third of the newest value's
# weight. The weights
# $(1-\beta)\beta^k$ of an infinitely long past add up to 1; the values older than $N$ steps
# carry $\beta^N$ of it, and the last $N$ values the rest, $1 - \beta^N$: about 63-65 % for
# $\beta \ge 0.9$ (exactly 75 % for $\beta = 0.5$, where $N = 2$):

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** the window 1/(1 − β); the last window of values carries about 63 % of the weight;
#   for noise an EWA is worth (1 + β)/(1 − β) values.
# - **Demo:** the bar chart of the weights for β = 0.9 next to a plain average of the last 10
#   values.
# - **Ask the room:** "β = 0.9: roughly how many values does the average cover?" **Answer:** about
#   10.
# - **Cut when short:** the three readings of "number of values": keep the window only.

# %%
print(f"{'beta':>5s} {'window 1/(1-beta)':>18s} {'beta^window':>12s} "
      f"{'weight of the last window values':>33s}")
fade, share = {}, {}
for b_ in (0.5, 0.9, 0.95, 0.98, 0.99, 0.999):
    window = ewa_window(b_)
    fade[b_], share[b_] = b_ ** window, 1 - b_ ** round(window)
    print(f"{b_:>5g} {window:>18.4g} {fade[b_]:>12.3f} {share[b_]:>33.1%}")
print(f"\n0.9^10 = {0.9 ** 10:.4f}, 1/e = {np.exp(-1):.4f}")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(all(f_ < np.exp(-1) for f_ in fade.values()), says="is below $1/e \\approx 0.37$ for every")
claim(fade[0.999], approx=np.exp(-1), rel=1e-3, says="close to it for $\\beta$ close to 1")
claim(min(100 * share[b_] for b_ in share if b_ >= 0.9), ge=63, says="about 63-65 % for")
claim(max(100 * share[b_] for b_ in share if b_ >= 0.9), le=65.5, says="about 63-65 % for")
claim(100 * share[0.5], approx=75, rel=1e-12, says="exactly 75 % for")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The weights themselves, for $\beta = 0.9$, next to a plain average of the last 10 values:

# %% tags=["slides-output-only"]
k = np.arange(40)
fig, ax = plt.subplots(figsize=(8, 3))
ax.bar(k, (1 - 0.9) * 0.9 ** k, color=plots.COLORS[0], alpha=0.7,
       label="EWA, β = 0.9: weight (1 − β)·βᵏ")
ax.bar(np.arange(10), np.full(10, 1 / 10), fill=False, edgecolor=plots.COLORS[1],
       linewidth=1.5, label="plain average of the last 10 values: weight 1/10")
ax.set_xlabel("age k of the value (0 = the newest)")
ax.set_ylabel("weight in the average")
ax.legend(fontsize="small")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The window is a rule of thumb, not a hard edge: the EWA never forgets a value completely, it
# just lets it fade. $\beta = 0.95$ averages about 20 values, $\beta = 0.1$ about
# 1.1, that is, hardly any averaging.
#
# **Which "number of values"?** Three readings of the same $\beta$, each answering its own
# question. The window $1/(1-\beta)$ is the length of the plain average that gives the newest
# value the same weight, and roughly the lag (the steps to cover 63 % of a change). The last
# $1/(1-\beta)$ values carry about 63 % of the weight. And for noise the EWA is worth
# $(1+\beta)/(1-\beta)$ independent values, about twice the window.
#
# > **Interview angle.** "What does $\beta = 0.9$ mean in terms of averaged steps?" About the
# > last $1/(1-\beta) = 10$ steps; $\beta = 0.99$ about 100. The default $\beta_2 = 0.999$ of
# > Adam averages the squared gradients over about 1,000 steps.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(ewa_window(0.95), approx=20, rel=1e-9, says="averages about 20 values")
claim(ewa_window(0.1), approx=1.1, rel=0.02, says="about 1.1, that is, hardly any averaging")
claim(ewa_window(0.99), approx=100, rel=1e-9, says="$\\beta = 0.99$ about 100")
claim(ewa_window(0.999), approx=1000, rel=1e-9, says="over about 1,000 steps")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Bias at the start and its correction
#
# We started from $v_0 = 0$, and that zero counts as a value in the average. At $t = 1$:
# $v_1 = \beta \cdot 0 + (1-\beta)\,a_1$, only a fraction $1 - \beta$ of the first value.
# In the unrolled sum the weights add up to $1 - \beta^t$; the missing $\beta^t$ is the weight
# of the initial zero. So the early averages are pulled towards 0: the **start-up bias**.
#
# The fix divides by the sum of the weights:
#
# $$\hat v_t = \frac{v_t}{1 - \beta^t}$$
#
# **Worked example**: $\beta = 0.5$ and the values $a_1 = a_2 = 10$.
#
# - $v_1 = 0.5 \cdot 0 + 0.5 \cdot 10 = 5$, corrected $\hat v_1 = 5 / (1 - 0.5) = 10$;
# - $v_2 = 0.5 \cdot 5 + 0.5 \cdot 10 = 7.5$, corrected $\hat v_2 = 7.5 / (1 - 0.5^2) = 10$.
#
# The raw average says 7.5 although every value was 10; the corrected one says 10. The code
# computes the same, and checks it:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** from v_0 = 0 the early averages are pulled towards 0; dividing by 1 − β^t removes
#   the bias; without it momentum's first steps are too small and RMSprop's too large.
# - **Demo:** "Bias at the start and its correction": the worked example (β = 0.5, values 10 and
#   10: v_2 = 7.5, corrected 10); the temperatures with β = 0.95 (day 1: the raw average is 5 % of
#   the first value, more than 10 % low for 44 days); then the table of uncorrected first steps.
# - **Ask the room:** "β = 0.9, v_0 = 0, a_1 = 10: what is v_1, and corrected?" **Answer:** 1,
#   then 10.
# - **Cut when short:** the table of first steps (Chapter 9 comes back to it).

# %%
beta_ex, values = 0.5, [10.0, 10.0]
v = 0.0
for t_ex, a_t in enumerate(values, start=1):
    v = ewa_step(v, a_t, beta_ex)                       # the raw average v_t
    v_hat = bias_correct(v, beta_ex, t_ex)              # v_t / (1 - beta^t)
    print(f"t = {t_ex}: v_{t_ex} = {v:g}, 1 - beta^{t_ex} = {1 - beta_ex ** t_ex:g}, "
          f"corrected = {v_hat:g}")
assert v == 7.5 and v_hat == 10.0
assert ewa_series(values, beta_ex).tolist() == [5.0, 7.5]
assert ewa_series(values, beta_ex, bias_correction=True).tolist() == [10.0, 10.0]

# %% [markdown] slideshow={"slide_type": "subslide"}
# On the temperatures with $\beta = 0.95$, the raw average and the corrected one:

# %% tags=["slides-output-only"]
fig, ax = plt.subplots(figsize=(8, 3.5))
plots.plot_ewa(a[:60], betas=(0.95,), bias_correction="both", ax=ax, t=days[:60])
ax.set_xlabel("day t")
ax.set_ylabel("temperature (°C)")
plt.show()
raw95, hat95 = ewa_series(a, 0.95), ewa_series(a, 0.95, bias_correction=True)
for t_ in (1, 10, 50, 100):
    print(f"t = {t_:>3d}: 1 - 0.95^t = {1 - 0.95 ** t_:.3f}   (the raw v_t is "
          f"{raw95[t_ - 1] / hat95[t_ - 1]:.0%} of the corrected one)")
low_days = int(np.sum(raw95 < 0.9 * hat95))
print(f"day 1: a_1 = {a[0]:.2f} °C, raw v_1 = {raw95[0]:.2f} °C, corrected {hat95[0]:.2f} °C; "
      f"the raw v_t is more than 10% low on the first {low_days} days")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The raw average starts near 0 (on day 1 it is 5 % of the first value) and stays more than
# 10 % below the corrected one for the first 44 days; the corrected one starts at the level of
# the data on day 1 ($\hat v_1 = a_1$, the first value itself).

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(100 * raw95[0] / a[0], approx=5, rel=1e-9, says="on day 1 it is 5 % of the first value")
claim(low_days, approx=44, abs_tol=0, says="10 % below the corrected one for the first 44 days")
claim(bool(np.all(raw95[:low_days] < 0.9 * hat95[:low_days])),
      says="10 % below the corrected one for the first 44 days")
claim(hat95[0], approx=a[0], rel=1e-12, says="the first value itself")

# %% [markdown]
# The factor $1 - \beta^t$ tends to 1, so the correction only matters at the start. How long
# "the start" lasts depends on $\beta$: the raw $v_t$ is more than 1 % below the corrected one
# while $\beta^t > 0.01$, that is for $t < \ln 0.01 / \ln\beta$.

# %%
t_long = np.arange(1, 10_001)
for b_ in (0.5, 0.9, 0.95, 0.999):
    print(f"beta = {b_:<6g}: the correction matters (more than 1%) for the first "
          f"{int(np.sum(b_ ** t_long > 0.01)):>5,} steps; ln 0.01 / ln beta = "
          f"{np.log(0.01) / np.log(b_):,.1f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Where it comes back.** Adam ([Chapter 9](09_adam.ipynb)) keeps two EWAs started at zero,
# of the gradients ($\beta_1 = 0.9$) and of the squared gradients ($\beta_2 = 0.999$), and
# corrects both exactly like this. Momentum as written in this course
# ([Chapter 6](06_momentum.ipynb)) and RMSprop ([Chapter 8](08_rmsprop_adadelta.ipynb)) skip the
# correction, as PyTorch's do. What a missing correction does to a step depends on where the
# biased average sits: in the numerator (momentum's $v$) it makes the step too small; under the
# square root of the denominator (RMSprop's $s$) it makes it too large. Measured with the
# chapter's own `ewa_series` and `bias_correct` for a gradient $dW = 1$ at every step, with
# $\varepsilon$ negligible, so that every correct step has length $\eta$ (the library's
# momentum, RMSprop and Adam give the same first steps):

# %% tags=["slides-output-only"]
ones = np.ones(10_000)
v_raw, s_raw = ewa_series(ones, 0.9), ewa_series(ones, 0.999)      # beta1, beta2 of Adam
v_hat, s_hat = bias_correct(v_raw, 0.9, t_long), bias_correct(s_raw, 0.999, t_long)
rows = {                                                           # step length / eta
    "momentum (beta = 0.9)": v_raw,
    "RMSprop (beta = 0.9)": 1 / np.sqrt(ewa_series(ones, 0.9)),
    "RMSprop (beta = 0.99, PyTorch's alpha)": 1 / np.sqrt(ewa_series(ones, 0.99)),
    "Adam, neither corrected": v_raw / np.sqrt(s_raw),
    "Adam, v corrected, s not": v_hat / np.sqrt(s_raw),
    "Adam, s corrected, v not": v_raw / np.sqrt(s_hat),
    "Adam, both corrected": v_hat / np.sqrt(s_hat),
}
print(f"{'uncorrected unless said (step / eta)':40s} {'t=1':>7s} {'t=10':>7s} "
      f"{'largest (at t)':>15s} {'more than 1% off for the first':>31s}")
# "largest" only where the steps overshoot eta
off_for = {}
for name, r in rows.items():
    off_for[name] = int(np.nonzero(np.abs(r - 1) > 0.01)[0].max(initial=-1)) + 1
    peak = f"{r.max():.3f} (t={int(r.argmax()) + 1})" if r.max() > 1.001 else "-"
    print(f"{name:40s} {r[0]:>7.3f} {r[9]:>7.3f} {peak:>15s} {off_for[name]:>25,d} steps")

first_lib = {}                                   # the library's first step, same gradient
for name, hp_ in (("momentum", {}), ("rmsprop", {}), ("adam", {"eps": 1e-12})):
    opt, p0 = OPTIMIZERS[name], {"W": np.zeros(1)}
    p1, _ = opt.update(p0, {"dW": np.ones(1)}, opt.init(p0), lr=0.01, **hp_)
    first_lib[name] = abs(p1["W"][0]) / 0.01
print("library, first step / eta:", {k: round(float(x), 4) for k, x in first_lib.items()})
assert np.allclose([first_lib["momentum"], first_lib["rmsprop"], first_lib["adam"]],
                   [rows["momentum (beta = 0.9)"][0], rows["RMSprop (beta = 0.9)"][0],
                    rows["Adam, both corrected"][0]], rtol=1e-6)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Read the table row by row:
#
# - **Momentum** without the correction starts with $(1-\beta)\,\eta\, dW$, a tenth of its full
#   step for $\beta = 0.9$, and is more than 1 % short for the first 43 steps: a slow start.
# - **RMSprop** without it starts with $\eta/\sqrt{1-\beta} \approx 3.2\,\eta$ whatever the
#   gradient ([Chapter 8](08_rmsprop_adadelta.ipynb) computes it by hand): too **large**, and
#   more than 1 % too large for the first 37 steps. With PyTorch's default $\alpha = 0.99$ the
#   first step is $10\,\eta$ and the excess lasts 390 steps.
# - **Adam with neither average corrected**: the too-small $v_1$ offsets part of the too-small
#   $\sqrt{s_1}$, and the first step is $(1-\beta_1)/\sqrt{1-\beta_2} \approx 3.2\,\eta$. Then
#   $v$ catches up far sooner than $s$, so the steps grow, to about $6.6\,\eta$ at $t = 12$, and
#   stay more than 1 % too large for thousands of steps.
# - **Adam with $v$ corrected but $s$ not** would start with $1/\sqrt{1-\beta_2} = \sqrt{1000}
#   \approx 32\,\eta$: the "about 30 times too large" sometimes quoted holds only in this case.
# - **Corrected Adam** steps exactly $\eta$ from $t = 1$ on.
#
# So the missing correction errs in opposite directions: momentum's first steps are too small,
# RMSprop's too large, as if its $\eta$ were larger for the first few dozen steps (with
# $\beta = 0.9$). The course's momentum and RMSprop live with that; Adam, whose $\beta_2$ makes
# the error both larger and longer, corrects.
#
# > **Interview angle.** "Why does Adam need bias correction?" Its averages start at 0, so for
# > the first steps they are biased towards 0 (the weights of the data add up to $1 - \beta^t$).
# > Dividing by $1 - \beta^t$ removes that bias; the factor tends to 1, so later steps are
# > unchanged. Say which way the step would be wrong: with $\beta_1 = 0.9$ and
# > $\beta_2 = 0.999$, too large (about $3.2\,\eta$ at first), not too small.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
mom, rms, rms99 = rows["momentum (beta = 0.9)"], rows["RMSprop (beta = 0.9)"], \
    rows["RMSprop (beta = 0.99, PyTorch's alpha)"]
neither, v_only = rows["Adam, neither corrected"], rows["Adam, v corrected, s not"]
claim(mom[0], approx=0.1, rel=1e-9, says="a tenth of its full step for")
claim(off_for["momentum (beta = 0.9)"], approx=43, abs_tol=0,
      says="more than 1 % short for the first 43 steps")
claim(rms[0], approx=1 / np.sqrt(1 - 0.9), rel=1e-9, says="starts with $\\eta/\\sqrt{1-\\beta}")
claim(rms[0], approx=3.2, rel=0.02, says="\\approx 3.2\\,\\eta$ whatever the")
claim(off_for["RMSprop (beta = 0.9)"], approx=37, abs_tol=0,
      says="more than 1 % too large for the first 37 steps")
claim(rms99[0], approx=10, rel=1e-9, says="first step is $10\\,\\eta$")
claim(off_for["RMSprop (beta = 0.99, PyTorch's alpha)"], approx=390, abs_tol=0,
      says="the excess lasts 390 steps")
claim(neither[0], approx=(1 - 0.9) / np.sqrt(1 - 0.999), rel=1e-9,
      says="the first step is $(1-\\beta_1)/\\sqrt{1-\\beta_2} \\approx 3.2\\,\\eta$")
claim(neither[0], approx=3.2, rel=0.02,
      says="the first step is $(1-\\beta_1)/\\sqrt{1-\\beta_2} \\approx 3.2\\,\\eta$")
claim(neither.max(), approx=6.6, rel=0.01, says="to about $6.6\\,\\eta$ at $t = 12$")
claim(int(neither.argmax()) + 1, approx=12, abs_tol=0, says="to about $6.6\\,\\eta$ at $t = 12$")
claim(off_for["Adam, neither corrected"], ge=1000, says="stay more than 1 % too large for thousands of steps")
claim(bool(np.all(neither[:off_for["Adam, neither corrected"]] > 1)),
      says="stay more than 1 % too large for thousands of steps")
claim(v_only[0], approx=np.sqrt(1000), rel=1e-9, says="would start with")
claim(v_only[0], approx=32, rel=0.02, says="\\approx 32\\,\\eta$: the")
claim(v_only[0] / neither[0], approx=10, rel=1e-9, says="holds only in this case")
claim(v_only[0], approx=30, rel=0.06, says="the \"about 30 times too large\" sometimes quoted")
claim(float(np.abs(rows["Adam, both corrected"] - 1).max()), lt=1e-12,
      says="steps exactly $\\eta$ from $t = 1$ on")
claim(off_for["RMSprop (beta = 0.9)"] < 100 and off_for["momentum (beta = 0.9)"] < 100,
      says="for the first few dozen steps")
claim(neither.max() > rms.max() and off_for["Adam, neither corrected"] > 10 * off_for[
    "RMSprop (beta = 0.9)"], says="makes the error both larger and longer")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explore: beta, noise and the correction
#
# The explorer draws a noisy series (grey dots), its raw EWA $v_t$ (dashed red, always drawn),
# the bias-corrected $\hat v_t$ (blue, while the correction is on) and the window of the last
# $\approx 1/(1-\beta)$ values; the right panel shows the weight each older value gets. Things
# to try:
#
# - move $\beta$ from 0 to 0.99 and watch the curve go from noisy to smooth and late;
# - set $\beta = 0.95$: the dashed red line starts near 0 and climbs for dozens of steps, the
#   blue one does not. That start-up dip is the bias. Switch the correction off and only the raw
#   red line is left: that is the average an uncorrected optimizer would use;
# - raise the noise: which $\beta$ would you choose now? Change the seed to draw other noise.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** β, the noise and the correction, live.
# - **Demo:** `ewa_explorer(beta=0.9, noise=2.0)`: move β from 0 to 0.99 (noisy to smooth and
#   late); with β = 0.95 point at the dashed red raw average's start-up dip next to the blue
#   corrected line, then switch the correction off to leave only the raw average; raise the noise
#   and ask which β the room would pick.
# - **Ask the room:** "More noise: a larger or a smaller β?" **Answer:** larger: it removes more
#   noise, at the price of more lag.

# %% tags=["nbval-ignore-output"]
ewa_explorer(beta=0.9, noise=2.0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1 · One EWA step
#
# Write `my_ewa_step(v, a, beta)`: the new average after the value `a`. It must work for numbers
# and for NumPy arrays (the optimizers call it on whole gradient arrays), and must not change `v`.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** my_ewa_step, ewa_bias_corrected and my_ewa_window.
# - **Demo:** show the three tasks.
# - **Ask the room:** "In ewa_bias_corrected, do you correct the running average or the output?"
#   **Answer:** only the output; the running average stays raw.
# - **Cut when short:** set them as homework.

# %%
def my_ewa_step(v, a, beta):
    """The new exponentially weighted average after the value a."""
    ### BEGIN SOLUTION
    return beta * v + (1 - beta) * a
    ### END SOLUTION


# %%
check("ewa_step", my_ewa_step)

# %% slideshow={"slide_type": "skip"}
hint("ewa_step")

# %% [markdown]
# Compare it with the library: average the temperatures with your step and with `ewa_series`,
# and compare every value.

# %%
if not check("ewa_step", my_ewa_step):
    print("Pass the check above first, then run this cell again.")
else:
    v, mine = 0.0, []
    for a_t in a:
        v = my_ewa_step(v, a_t, 0.95)
        mine.append(v)
    print(f"{len(mine)} values, the same as ewa_series: {np.allclose(mine, ewa_series(a, 0.95))}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2 · EWA with bias correction
#
# Write `ewa_bias_corrected(a, beta)`: for a series $a_1, \dots, a_T$ return the array of the
# corrected averages $\hat v_1, \dots, \hat v_T$. Keep the running average raw; correct only what
# you output.

# %%
def ewa_bias_corrected(a, beta):
    """The bias-corrected EWA of the series a (v_0 = 0)."""
    ### BEGIN SOLUTION
    v, out = 0.0, []
    for t_, a_t in enumerate(a, start=1):
        v = beta * v + (1 - beta) * a_t
        out.append(v / (1 - beta ** t_))
    return np.array(out)
    ### END SOLUTION


# %%
check("ewa_bias_corrected", ewa_bias_corrected)

# %% slideshow={"slide_type": "skip"}
hint("ewa_bias_corrected")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 · The window
#
# Write `my_ewa_window(beta)`: roughly how many recent values an EWA with this $\beta$ averages,
# in the sense of the rule of thumb (the window; not the effective number for noise).

# %%
def my_ewa_window(beta):
    """The rough number of recent values an EWA averages over."""
    ### BEGIN SOLUTION
    return 1 / (1 - beta)
    ### END SOLUTION


# %%
check("ewa_window", my_ewa_window)

# %% slideshow={"slide_type": "skip"}
hint("ewa_window")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# **"Which curve of the same noisy series is smoother, $\beta = 0.95$ or $\beta = 0.1$?"**
# $\beta = 0.95$: it averages about 20 values, while $\beta = 0.1$ averages about 1.1 and
# follows the data. The price of the smooth curve is the lag.
#
# **"$\beta = 0.9$, $v_0 = 0$, $a_1 = 10$: what is $v_1$?"** $0.9 \cdot 0 + 0.1 \cdot 10 = 1$,
# far below 10: the start-up bias. Corrected: $1 / (1 - 0.9) = 10$.
#
# **"Why an EWA and not a plain average of the last $N$ gradients?"** The plain average needs the
# last $N$ gradients in memory, $N$ copies of every weight's gradient; the EWA needs one number
# per weight and one line of code per step.
#
# Now test yourself:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** three questions out loud: which β is smoother, the biased first value, EWA against
#   a plain average.
# - **Demo:** let the room answer each question before you reveal its answer; `quiz(chapter=5)`
#   for self-study.
# - **Ask the room:** "Why an EWA and not a plain average of the last N gradients?" **Answer:**
#   memory: the plain average keeps N copies of every gradient, the EWA one number per weight.
# - **Cut when short:** leave the quiz as homework.

# %% tags=["nbval-ignore-output"]
quiz(chapter=5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - The **EWA** $v_t = \beta\, v_{t-1} + (1-\beta)\, a_t$ smooths a noisy series one value at a
#   time, with one number of memory. It weights a value of age $k$ by $(1-\beta)\beta^k$.
# - **$\beta$ is the trade-off**: close to 1 (0.95) it is smooth and late, small (0.1) it follows
#   the data. It averages roughly the last $1/(1-\beta)$ values (they carry about 63 % of the
#   weights); for noise it is worth $(1+\beta)/(1-\beta)$ independent values.
# - **Start-up bias**: from $v_0 = 0$ the weights add up to $1 - \beta^t$; dividing by it,
#   $\hat v_t = v_t / (1 - \beta^t)$, removes the bias ($\beta = 0.5$, $a = 10, 10$: $v_2 = 7.5$,
#   corrected 10). Adam relies on it ([Chapter 9](09_adam.ipynb)).
#
# **Next.** [Chapter 6](06_momentum.ipynb) applies the EWA to the mini-batch gradients of
# [Chapter 3](03_minibatch_sgd.ipynb): the noise that flips from batch to batch averages out, the
# direction that stays the same is kept at full size (steadier, not bigger), and the zig-zag
# calms down.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** one line, one number of memory; β trades noise for lag; the bias correction fixes
#   the start.
# - **Demo:** no code: read the summary.
# - **Ask the room:** "What does Chapter 6 average with the EWA?" **Answer:** the mini-batch
#   gradients: the noise averages out and the zig-zag calms down.
