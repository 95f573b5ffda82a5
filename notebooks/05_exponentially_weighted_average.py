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

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from course_lib import plots
from course_lib.exercises import check, hint
from course_lib.moving_averages import bias_correct, ewa_series, ewa_step, ewa_window
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

# %%
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

# %% [markdown]
# The average follows the trend and ignores most of the weather. It is computed one day at a
# time, from yesterday's average and today's value only. That is the property the optimizers
# need: a network has millions of weights, and for each of them we can afford one extra number
# (its running average), not a history of past gradients.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The formula
#
# Start from $v_0 = 0$. Each new value $a_t$ updates the average:
#
# $$v_t = \beta\, v_{t-1} + (1 - \beta)\, a_t, \qquad 0 \le \beta < 1$$
#
# $\beta$ is the share kept from the past, $1 - \beta$ the share given to the new value; the
# two shares add up to 1. In code, line by line, and then with the library function the
# optimizers use (`ewa_step`) and the one that averages a whole series (`ewa_series`):

# %%
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

# %% [markdown]
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
# The lecture compares $\beta = 0.95$ (much weight on the past) with $\beta = 0.1$ (almost all
# the weight on the new value):

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
plots.plot_ewa(a, betas=(0.1, 0.95), bias_correction=True, ax=ax, t=days)
ax.set_xlabel("day t")
ax.set_ylabel("temperature (°C)")
plt.show()

noise_data = np.diff(a).std()
print(f"typical change from one day to the next: data {noise_data:.2f} °C", end="")
for b_ in (0.1, 0.95):
    print(f", beta = {b_}: {np.diff(ewa_series(a, b_, bias_correction=True)).std():.2f} °C",
          end="")
print()

# %% [markdown]
# With $\beta = 0.1$ the average is almost the data itself; with $\beta = 0.95$ it is smooth,
# but it runs *behind* the data: it climbs after the data climb and stays high after they fall.
# Both effects have a measurable size.
#
# **How much noise is left.** Average pure noise (standard deviation 1, independent values) and
# measure the spread of the result. For an EWA it is $\sqrt{(1-\beta)/(1+\beta)}$, a formula
# [Chapter 6](06_momentum.ipynb) uses for the noise of the gradients:

# %%
noise = np.random.default_rng(1).standard_normal(20_000)
print(f"{'beta':>5s} {'spread left (measured)':>23s} {'sqrt((1-b)/(1+b))':>18s}")
for b_ in (0.1, 0.5, 0.9, 0.95):
    measured = ewa_series(noise, b_)[1000:].std()          # skip the start-up
    print(f"{b_:>5g} {measured:>23.3f} {np.sqrt((1 - b_) / (1 + b_)):>18.3f}")

# %% [markdown]
# **How late it reacts.** Feed a series that stays at 10 for 200 steps (long enough for any of
# these averages to settle on 10) and then jumps to 20, and count the steps the average needs
# to cover 63 % of the jump:

# %%
jump = np.where(np.arange(1, 281) <= 200, 10.0, 20.0)
fig, ax = plt.subplots(figsize=(8, 3))
plots.plot_ewa(jump, betas=(0.1, 0.5, 0.9, 0.95), bias_correction=True, ax=ax)
ax.set_xlim(190, 280)
ax.set_title("a jump from 10 to 20 at t = 201", fontsize="medium")
plt.show()
print(f"{'beta':>5s} {'steps to cover 63% of the jump':>31s} {'1 / (1 - beta)':>15s}")
for b_ in (0.1, 0.5, 0.9, 0.95):
    v_jump = ewa_series(jump, b_, bias_correction=True)
    steps = int(np.argmax(v_jump[200:] >= 10 + 0.63 * 10)) + 1      # counted from t = 201
    print(f"{b_:>5g} {steps:>31d} {ewa_window(b_):>15.3g}")

# %% [markdown]
# The trade-off in one sentence: **a larger $\beta$ removes more noise and reacts later**.
# Both scale with $1/(1-\beta)$: with $\beta = 0.95$ the average needs about 20 steps to follow
# a change; with $\beta = 0.1$ it reacts at once but keeps most of the noise.
#
# > **Interview angle.** "What is the price of a large $\beta$ such as 0.98?" The average lags:
# > it takes about $1/(1-\beta) = 50$ steps to follow a change in the data. For momentum that
# > means it keeps pushing in an old direction for a while after the gradient has turned.

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
# $\beta^N$ times that of the newest value, and $\beta^{1/(1-\beta)} \approx 1/e \approx 0.37$
# for every $\beta$ close to 1: older values have faded to about a third of the weight. And the
# last $N$ values carry $1 - \beta^N \approx 63\,\%$ of the total weight:

# %%
print(f"{'beta':>5s} {'window 1/(1-beta)':>18s} {'beta^window':>12s} "
      f"{'weight of the last window values':>33s}")
for b_ in (0.5, 0.9, 0.95, 0.98, 0.999):
    window = ewa_window(b_)
    print(f"{b_:>5g} {window:>18.4g} {b_ ** window:>12.3f} {1 - b_ ** round(window):>33.1%}")
print(f"\n0.9^10 = {0.9 ** 10:.4f}, 1/e = {np.exp(-1):.4f}")

# %% [markdown]
# The weights themselves, for $\beta = 0.9$, next to a plain average of the last 10 values:

# %%
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

# %% [markdown]
# The window is a rule of thumb, not a hard edge: the EWA never forgets a value completely, it
# just lets it fade. The lecture's $\beta = 0.95$ averages about 20 values, $\beta = 0.1$ about
# 1.1, that is, hardly any averaging.
#
# > **Interview angle.** "What does $\beta = 0.9$ mean in terms of averaged steps?" About the
# > last $1/(1-\beta) = 10$ steps; $\beta = 0.99$ about 100. The default $\beta_2 = 0.999$ of
# > Adam averages the squared gradients over about 1,000 steps.

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
# **Worked example** (the lecture's): $\beta = 0.5$ and the values $a_1 = a_2 = 10$.
#
# - $v_1 = 0.5 \cdot 0 + 0.5 \cdot 10 = 5$, corrected $\hat v_1 = 5 / (1 - 0.5) = 10$;
# - $v_2 = 0.5 \cdot 5 + 0.5 \cdot 10 = 7.5$, corrected $\hat v_2 = 7.5 / (1 - 0.5^2) = 10$.
#
# The raw average says 7.5 although every value was 10; the corrected one says 10. The code
# computes the same, and checks it:

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

# %% [markdown]
# On the temperatures with $\beta = 0.95$ the raw average starts near 0 and needs dozens of days
# to catch up; the corrected one is right from the first day:

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
plots.plot_ewa(a[:60], betas=(0.95,), bias_correction="both", ax=ax, t=days[:60])
ax.set_xlabel("day t")
ax.set_ylabel("temperature (°C)")
plt.show()
for t_ in (1, 10, 50, 100):
    print(f"t = {t_:>3d}: 1 - 0.95^t = {1 - 0.95 ** t_:.3f}   (the raw v_t is "
          f"{1 - 0.95 ** t_:.0%} of what it should be)")

# %% [markdown]
# The factor $1 - \beta^t$ tends to 1, so the correction only matters at the start. How long
# "the start" lasts depends on $\beta$: the correction is above 1 % until $\beta^t < 0.01$,
# that is for $t < \ln 0.01 / \ln\beta$ steps.

# %%
for b_ in (0.5, 0.9, 0.95, 0.999):
    print(f"beta = {b_:<6g}: the correction matters for the first "
          f"{int(np.ceil(np.log(0.01) / np.log(b_))):>5,} steps")

# %% [markdown]
# **Where it comes back.** Adam ([Chapter 9](09_adam.ipynb)) keeps two EWAs started at zero,
# of the gradients ($\beta_1 = 0.9$) and of the squared gradients ($\beta_2 = 0.999$), and
# corrects both exactly like this. With $\beta_2 = 0.999$, the uncorrected $s_{dW}$ after the
# first step is only $1 - 0.999 = 0.001$ of $dW^2$, so $\sqrt{s_{dW}}$ would be about 30 times
# too small and the first steps about 30 times too large. Momentum as written in this course
# ([Chapter 6](06_momentum.ipynb)) and RMSprop skip the correction; a few slow first steps do
# them little harm.
#
# > **Interview angle.** "Why does Adam need bias correction?" Its averages start at 0, so for
# > the first steps they are biased towards 0 (the weights of the data add up to $1 - \beta^t$).
# > Dividing by $1 - \beta^t$ removes that bias; the factor tends to 1, so later steps are
# > unchanged.

# %%
first_s = ewa_step(0.0, 1.0, 0.999)                      # s_1 for a squared gradient dW^2 = 1
display(Markdown(f"Check: with $\\beta_2 = 0.999$ and $dW^2 = 1$, the raw $s_1$ = {first_s:.3g}, "
                 f"$\\sqrt{{s_1}}$ = {np.sqrt(first_s):.3g}, about "
                 f"{1 / np.sqrt(first_s):.0f} times smaller than the corrected "
                 f"$\\sqrt{{\\hat s_1}}$ = {np.sqrt(bias_correct(first_s, 0.999, 1)):.3g}."))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Explore: beta, noise and the correction
#
# The explorer draws a noisy series, its EWA and the window of the last $\approx 1/(1-\beta)$
# values; the right panel shows the weight each older value gets. Things to try:
#
# - move $\beta$ from 0 to 0.99 and watch the curve go from noisy to smooth and late;
# - switch the bias correction off with $\beta = 0.95$: the red start-up dip is the bias;
# - raise the noise: which $\beta$ would you choose now?

# %% tags=["nbval-ignore-output"]
ewa_explorer(beta=0.9, noise=2.0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1 · One EWA step
#
# Write `my_ewa_step(v, a, beta)`: the new average after the value `a`. It must work for numbers
# and for NumPy arrays (the optimizers call it on whole gradient arrays), and must not change `v`.

# %%
def my_ewa_step(v, a, beta):
    """The new exponentially weighted average after the value a."""
    ### BEGIN SOLUTION
    return beta * v + (1 - beta) * a
    ### END SOLUTION


# %%
check("ewa_step", my_ewa_step)

# %%
hint("ewa_step")

# %% [markdown]
# Race it against the library: average the temperatures with your step and with `ewa_series`,
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

# %% [markdown]
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

# %%
hint("ewa_bias_corrected")

# %% [markdown]
# ### Exercise 3 · The window
#
# Write `my_ewa_window(beta)`: roughly how many recent values an EWA with this $\beta$ averages.

# %%
def my_ewa_window(beta):
    """The rough number of recent values an EWA averages over."""
    ### BEGIN SOLUTION
    return 1 / (1 - beta)
    ### END SOLUTION


# %%
check("ewa_window", my_ewa_window)

# %%
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

# %% tags=["nbval-ignore-output"]
quiz(chapter=5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - The **EWA** $v_t = \beta\, v_{t-1} + (1-\beta)\, a_t$ smooths a noisy series one value at a
#   time, with one number of memory. It weights a value of age $k$ by $(1-\beta)\beta^k$.
# - **$\beta$ is the trade-off**: close to 1 (0.95) it is smooth and late, small (0.1) it follows
#   the data. It averages roughly the last $1/(1-\beta)$ values.
# - **Start-up bias**: from $v_0 = 0$ the weights add up to $1 - \beta^t$; dividing by it,
#   $\hat v_t = v_t / (1 - \beta^t)$, removes the bias ($\beta = 0.5$, $a = 10, 10$: $v_2 = 7.5$,
#   corrected 10). Adam relies on it ([Chapter 9](09_adam.ipynb)).
#
# **Next.** [Chapter 6](06_momentum.ipynb) applies the EWA to the mini-batch gradients of
# [Chapter 3](03_minibatch_sgd.ipynb): the noise that flips from batch to batch averages out, the
# direction that stays the same adds up, and the zig-zag calms down.
