# %% [markdown] slideshow={"slide_type": "slide"}
# # Chapter 8 · RMSprop and Adadelta
#
# **What you will be able to do**
#
# - explain how an exponentially weighted average of squared gradients stops Adagrad's learning
#   rate from collapsing, and show it with numbers;
# - write the RMSprop update and compute its first steps by hand;
# - say where $\epsilon$ goes in RMSprop and in Adadelta, and why;
# - explain how Adadelta does without a global learning rate, and what still sets its scale.
#
# **Where this sits in the story.** [Chapter 7](07_adagrad.ipynb) gave every parameter its own
# learning rate $\eta/(\sqrt{\alpha_t} + \epsilon)$, but $\alpha_t$ is a sum of all past squared
# gradients: it only grows, so after many iterations the rate is tiny and training stalls.
# The fix uses the tool of [Chapter 5](05_exponentially_weighted_average.ipynb): replace the sum
# by an exponentially weighted average, which forgets.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from course_lib import plots
from course_lib.data import make_regression
from course_lib.exercises import check, hint
from course_lib.models import LinearRegression
from course_lib.moving_averages import ewa_window
from course_lib.optimizers import OPTIMIZERS, AdadeltaState, RMSpropState
from course_lib.paths import run_path
from course_lib.problems import get_problem
from course_lib.training import train

adagrad, rmsprop, adadelta = OPTIMIZERS["adagrad"], OPTIMIZERS["rmsprop"], OPTIMIZERS["adadelta"]

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Adagrad vs RMSprop: the effective rate
#
# Both divide $\eta$ by the root of a record of squared gradients. Adagrad *adds up* every
# $dW^2$; RMSprop keeps an *exponentially weighted average* $s_{dW}$ of them, which follows the
# recent gradients (about the last $1/(1-\beta)$ of them) and forgets the old ones. Feed both the
# same gradient, $dW = 1$ at every step, with $\eta = 0.01$:

# %%
def rate_history(opt, gradients, **hparams):
    """The effective learning rate after each step, for a series of gradients of one weight."""
    params = {"W": np.zeros(1)}
    state = opt.init(params)
    rates = []
    for g in gradients:
        params, state = opt.update(params, {"dW": np.array([g])}, state, **hparams)
        rates.append(opt.effective_lr(state, **hparams)["dW"][0])
    return np.array(rates)

constant = np.ones(1000)
ada_rate = rate_history(adagrad, constant, lr=0.01)
rms_rate = rate_history(rmsprop, constant, lr=0.01, beta=0.9)
print(f"RMSprop averages about {ewa_window(0.9):.0f} recent squared gradients (β = 0.9)")
print(f"{'t':>6s} {'Adagrad η_t':>12s} {'RMSprop η_t':>12s}")
for t in (1, 10, 100, 1000):
    print(f"{t:6d} {ada_rate[t - 1]:12.6f} {rms_rate[t - 1]:12.6f}")

# %% [markdown]
# Adagrad's rate falls like $1/\sqrt{t}$ for ever; RMSprop's settles at $\eta/|dW|$ and stays
# there. (Its very first rates are *larger* than $\eta$, because $s_{dW}$
# starts at 0 and RMSprop has no bias correction; [Chapter 9](09_adam.ipynb) adds one.)
#
# Now the training run on which Adagrad stalled in Chapter 7: a linear regression with
# uncentred targets, mini-batches of 25 records, 100 epochs, the same $\eta = 0.1$ for both.

# %%
data = make_regression(n=500, d=2, noise=0.5, rng=0)
y = data.y + 20.0
model = LinearRegression(2)
runs = {name: train(model, data.X, y, name, batch_size=25, epochs=100, rng=0, record_lr=True,
                    progress=False, lr=0.1)
        for name in ("adagrad", "rmsprop")}
b_best = np.linalg.lstsq(np.column_stack([data.X, np.ones(len(y))]), y, rcond=None)[0][-1]

fig, (ax_lr, ax_loss) = plt.subplots(1, 2, figsize=(10, 3.5))
plots.plot_effective_lr({name: res.lr_history["db"][:, 0] for name, res in runs.items()},
                        ax=ax_lr)
plots.log_scale(ax_lr, "x")
ax_lr.set_title("effective learning rate for b")
plots.plot_loss_curves(runs, ax=ax_loss, by="epoch")
plt.show()

print(f"least-squares b = {b_best:.3f}")
print(f"{'':8s} {'η_t for b at t = 10':>20s} {'t = 100':>9s} {'t = 1000':>9s} {'t = 2000':>9s} "
      f"{'final b':>8s} {'final loss':>11s}")
for name, res in runs.items():
    rate = res.lr_history["db"][:, 0]
    print(f"{name:8s} {rate[9]:20.2e} {rate[99]:9.2e} {rate[999]:9.2e} {rate[1999]:9.2e} "
          f"{res.params['b'][0]:8.3f} {res.loss_per_epoch[-1]:11.3f}")

# %% [markdown]
# Side by side, with the same $\eta$: Adagrad's rate only falls, and it stalls far from the
# least-squares $b$. RMSprop's rate *rises* again once the gradients shrink near the minimum,
# because $s_{dW}$ only remembers the recent, smaller gradients; it reaches the minimum. That is
# the whole fix: an average can go down, a sum cannot.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The RMSprop update
#
# For every parameter, with $s_{dW} = 0$ and $s_{db} = 0$ at the start:
#
# $$s_{dW} = \beta\, s_{dW} + (1-\beta)\, dW^2, \qquad
#   W = W - \eta\, \frac{dW}{\sqrt{s_{dW}} + \epsilon}$$
#
# $$s_{db} = \beta\, s_{db} + (1-\beta)\, db^2, \qquad
#   b = b - \eta\, \frac{db}{\sqrt{s_{db}} + \epsilon}$$
#
# with $\beta = 0.9$ and $\epsilon = 10^{-8}$ by default. The name: $\sqrt{s_{dW}}$ is the
# **r**oot of the (exponentially weighted) **m**ean of the **s**quared gradients, the RMS, and
# each step is divided by it. Line by line, then the library:

# %%
eta, beta, eps = 0.01, 0.9, 1e-8
params = {"W": np.array([1.0, -1.0]), "b": np.array([0.0])}
grads = {"dW": np.array([2.0, -0.01]), "db": np.array([0.5])}
s = {"dW": np.zeros(2), "db": np.zeros(1)}                          # s_dW = s_db = 0

s = {g: beta * s[g] + (1 - beta) * grads[g] ** 2 for g in grads}    # EWA of dW²
mine = {k: p - eta * grads["d" + k] / (np.sqrt(s["d" + k]) + eps)  # divide by the RMS
        for k, p in params.items()}

lib, lib_state = rmsprop.update(params, grads, rmsprop.init(params), lr=eta, beta=beta, eps=eps)
for k in params:
    print(f"{k}: by hand {mine[k]}, library {lib[k]}, step {np.abs(lib[k] - params[k])}")
print("identical:", all(np.array_equal(mine[k], lib[k]) for k in params))

# %% [markdown]
# Every first step has the same length, $\eta/\sqrt{1-\beta}$, whatever the gradient (for
# $dW = 2$ by hand: $s_1 = 0.1 \cdot 4$, step $= 0.01 \cdot 2/\sqrt{0.4}$), about three times
# $\eta$: $s_{dW}$ starts at 0 and has only seen one gradient. On a steady slope the average
# catches up: with $dW = 2$ every step, $s_{dW}$ approaches $dW^2 = 4$ and the step approaches
# $\eta$ itself.

# %%
print(f"first step for dW = 2: {eta * 2 / np.sqrt((1 - beta) * 4):.6f} = "
      f"{1 / np.sqrt(1 - beta):.3f} × η")
params, state = {"W": np.zeros(1)}, rmsprop.init({"W": np.zeros(1)})
for t in range(1, 101):
    new, state = rmsprop.update(params, {"dW": np.array([2.0])}, state, lr=eta)
    if t in (1, 10, 100):
        print(f"t = {t:3d}: s_dW = {state.s['dW'][0]:.4f}, step = {abs(new['W'][0] - params['W'][0]):.6f}")
    params = new

# %% [markdown]
# And $\sqrt{s_{dW}}$ really is an RMS of the *recent* gradients: on a noisy series whose size
# grows with time, it stays close to the RMS of the last $1/(1-\beta)$ values and far from the
# RMS of the whole history (which is what Adagrad's $\sqrt{\alpha_t/t}$ would follow).

# %%
series = np.random.default_rng(0).normal(0.0, 1.0, 300) * np.linspace(1.0, 5.0, 300)
params, state = {"W": np.zeros(1)}, rmsprop.init({"W": np.zeros(1)})
for g in series:
    params, state = rmsprop.update(params, {"dW": np.array([g])}, state, lr=eta)
print(f"√s_dW after 300 steps = {np.sqrt(state.s['dW'][0]):.3f}; RMS of the last 10 gradients = "
      f"{np.sqrt(np.mean(series[-10:] ** 2)):.3f}; RMS of all 300 = "
      f"{np.sqrt(np.mean(series ** 2)):.3f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Where does ε go?
#
# In RMSprop (as in Adagrad and Adam) the code, the original papers and the frameworks put
# $\epsilon$ **outside** the root: $dW/(\sqrt{s_{dW}} + \epsilon)$. Lectures often write
# $dW/\sqrt{s_{dW} + \epsilon}$. Outside, $\epsilon$ only matters once $\sqrt{s_{dW}}$ is near
# $\epsilon = 10^{-8}$; inside, once the gradients are near $\sqrt\epsilon = 10^{-4}$. The step of
# RMSprop on a steady gradient (where $s_{dW} = dW^2$), relative to $\eta$:

# %%
print(f"{'|dW|':>8s} {'ε outside':>11s} {'ε inside':>10s}")
for g in (1.0, 1e-2, 1e-4, 1e-6, 1e-8):
    print(f"{g:8.0e} {g / (np.sqrt(g**2) + eps):11.4f} {g / np.sqrt(g**2 + eps):10.4f}")

# %% [markdown]
# **Adadelta is the exception**, by design: its $\epsilon$ sits *inside both* roots (next
# section), and there it is not a detail. Adadelta's numerator is the RMS of its own past
# updates, which start at 0. With $\epsilon$ outside, $\sqrt{0} = 0$ and it would never move:

# %%
g, rho, eps_ad = 2.0, 0.9, 1e-6
s_ad, u_ad = (1 - rho) * g**2, 0.0          # after the first gradient, before any update
print(f"first Adadelta step, ε inside both roots: "
      f"{np.sqrt(u_ad + eps_ad) / np.sqrt(s_ad + eps_ad) * g:.6f}")
print(f"first Adadelta step, ε outside:           "
      f"{np.sqrt(u_ad) / (np.sqrt(s_ad) + eps_ad) * g:.6f}   (and u stays 0 for ever)")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Adadelta
#
# Adadelta keeps RMSprop's average of squared gradients (with decay $\rho$) and adds a second
# one, $u_{dW}$, of the squared *updates* $\Delta$ it has made:
#
# $$s_{dW} = \rho\, s_{dW} + (1-\rho)\, dW^2$$
#
# $$\Delta = \frac{\sqrt{u_{dW} + \epsilon}}{\sqrt{s_{dW} + \epsilon}}\; dW, \qquad
#   u_{dW} = \rho\, u_{dW} + (1-\rho)\, \Delta^2, \qquad W = W - \eta\, \Delta$$
#
# The original method has **no learning rate**: $\eta = 1$. The step size comes from the ratio
# *(RMS of recent updates) / (RMS of recent gradients)*. Defaults: $\rho = 0.9$,
# $\epsilon = 10^{-6}$.
#
# **The units argument.** Say $W$ is measured in metres and the loss in some unit $L$. Then $dW$
# is in $L/\text{m}$, and a step must be in metres.
#
# - GD: $\eta\, dW$ is in $L/\text{m}$, so $\eta$ must secretly carry $\text{m}^2/L$: change the
#   units and the right $\eta$ changes.
# - RMSprop, Adagrad: $dW/\sqrt{s_{dW}}$ has no unit, so $\eta$ carries metres.
# - Adadelta: $\sqrt{u_{dW}}$ is in metres (an RMS of past steps), $\sqrt{s_{dW}}$ in
#   $L/\text{m}$, so $\sqrt{u_{dW}}/\sqrt{s_{dW}} \cdot dW$ is in metres. The units are right with
#   a pure number, $\eta = 1$.
#
# The computer can do this check. Express the same parameter in units $c$ times smaller
# ($W' = c\,W$, so $dW' = dW/c$, $s' = s/c^2$, $u' = c^2 u$), take one step from the same
# (converted) state with each method, and convert the step back. A unit-consistent method takes
# the same step whatever $c$: the ratio printed is 1.

# %%
def step_in_units(name, c, **hparams):
    """One step of `name` with everything expressed in units c times smaller, converted back."""
    opt = OPTIMIZERS[name]
    dW, s0, u0 = 2.0, 4.0, 0.01           # a gradient, its running mean square, past updates
    params = {"W": np.array([c * 1.0])}
    state = opt.init(params)
    if name in ("rmsprop", "adadelta"):
        state = state._replace(s={"dW": np.array([s0 / c**2])})
    if name == "adadelta":
        state = state._replace(u={"dW": np.array([u0 * c**2])})
    new, _ = opt.update(params, {"dW": np.array([dW / c])}, state, **hparams)
    return (params["W"][0] - new["W"][0]) / c

print(f"{'c':>6s} {'GD':>10s} {'RMSprop':>10s} {'Adadelta':>10s}   (step in units c / step in units 1)")
for c in (0.1, 1.0, 10.0, 100.0):
    ratios = [step_in_units(n, c, **hp) / step_in_units(n, 1.0, **hp)
              for n, hp in (("gd", {"lr": 0.1}), ("rmsprop", {"lr": 0.01}),
                            ("adadelta", {"lr": 1.0}))]
    print(f"{c:6g} {ratios[0]:10.4g} {ratios[1]:10.4g} {ratios[2]:10.4g}")

# %% [markdown]
# GD's step changes with $1/c^2$ and RMSprop's with $1/c$; Adadelta's stays put, up to the
# small effect of $\epsilon$. That is the sense in which Adadelta needs no global learning rate.
#
# Now its actual steps with $\eta = 1$, on the stretched bowl of Chapter 7, starting from rest.

# %%
bowl = get_problem("bowl", condition=50.0)
params = bowl.params()
state = adadelta.init(params)
print(f"{'t':>4s} {'dW (W1, W2)':>20s} {'√(u+ε)':>18s} {'√(s+ε)':>18s} {'Δ':>20s}")
for t in range(1, 9):
    grads = {"dW": bowl.grad(params["W"])}
    new, new_state = adadelta.update(params, grads, state, lr=1.0)
    delta = params["W"] - new["W"]
    ru = np.sqrt(state.u["dW"] + 1e-6)            # the numerator uses the *old* u
    rs = np.sqrt(new_state.s["dW"] + 1e-6)        # the denominator the *new* s
    print(f"{t:4d} {np.array2string(grads['dW'], precision=2):>20s} "
          f"{np.array2string(ru, precision=5):>18s} {np.array2string(rs, precision=3):>18s} "
          f"{np.array2string(delta, precision=5):>20s}")
    params, state = new, new_state

# %% [markdown]
# Look at the first row. The two gradients are very different, yet both first steps have
# the same length: $\sqrt{\epsilon}/\sqrt{(1-\rho)\,dW^2} \cdot |dW| = \sqrt{\epsilon/(1-\rho)}$.
# At the start $u_{dW} = 0$, so $\epsilon$ is the only "past update" there is: **$\epsilon$
# plays the part of the initial learning rate.** From there the steps grow, because each step
# feeds the average $u_{dW}$ of the next. The first step length for a few values of
# $\epsilon$ and of the gradient (the rule holds while $(1-\rho)\,dW^2$ is well above
# $\epsilon$):

# %%
for e in (1e-6, 1e-4):
    lengths = [abs(adadelta.update({"W": np.zeros(1)}, {"dW": np.array([g])},
                                   adadelta.init({"W": np.zeros(1)}), lr=1.0, eps=e)[0]["W"][0])
               for g in (0.01, 1.0, 100.0)]
    print(f"ε = {e:g}: first step for dW = 0.01, 1, 100: "
          f"{', '.join(f'{x:.5f}' for x in lengths)}   √(ε/(1−ρ)) = {np.sqrt(e / 0.1):.5f}")

# %% [markdown]
# So the units argument holds once the averages are well above $\epsilon$, and Adadelta's
# warm-up speed is set by $\epsilon$, which has units of its own. Does one setting, $\eta = 1$
# and the default $\epsilon$, work on problems of different shapes and scales? RMSprop with
# one $\eta$ for comparison, 2,000 steps each:

# %%
problems = ["bowl", "rosenbrock", "beale", "himmelblau"]
print(f"{'':11s} {'start loss':>11s} {'Adadelta η = 1':>15s} {'RMSprop η = 0.01':>17s} "
      f"{'RMSprop η = 0.1':>16s}")
finals = {}
for name in problems:
    problem = get_problem(name)
    row = [run_path(problem, "adadelta", steps=2000, lr=1.0),
           run_path(problem, "rmsprop", steps=2000, lr=0.01),
           run_path(problem, "rmsprop", steps=2000, lr=0.1)]
    finals[name] = row
    print(f"{name:11s} {row[0].losses[0]:11.4g} "
          + " ".join(f"{r.losses[-1]:{w}.2e}" for r, w in zip(row, (15, 17, 16))))

fig, ax = plt.subplots(figsize=(8, 3.5))
plots.plot_loss_curves({f"Adadelta η = 1 on {n}": finals[n][0] for n in problems}, ax=ax,
                       f_min=0.0)
ax.set_title("Adadelta with η = 1: loss gap on four test functions")
plt.show()

# %%
orders = [np.log10(finals[n][0].losses[0] / finals[n][0].losses[-1]) for n in problems]
rms_good_better = all(finals[n][1].losses[-1] < finals[n][0].losses[-1] for n in problems)
rms_bad_worse = all(finals[n][2].losses[-1] > finals[n][0].losses[-1] for n in problems)
display(Markdown(
    f"- Adadelta with η = 1, untuned, lowers the loss of every function, by "
    f"{min(orders):.1f} to {max(orders):.1f} orders of magnitude in 2,000 steps.\n"
    f"- RMSprop with η = 0.01 ends lower than Adadelta on every function: **{rms_good_better}**.\n"
    f"- RMSprop with η = 0.1 ends higher than Adadelta on every function: **{rms_bad_worse}**."))

# %% [markdown]
# The plot shows something the final numbers hide: every curve reaches its lowest point and then
# turns back *up*. Adadelta's steps feed themselves: each step enters $u_{dW}$, which sets the
# size of the next one. Measure the typical step length (the RMS of 10 consecutive steps) around
# the best point and at the end of the run:

# %%
def rms_step(path, t):
    """RMS length of the 10 steps that end at step t."""
    steps = np.diff(path[max(t - 10, 0):t + 1], axis=0)
    return np.sqrt(np.mean(np.sum(steps**2, axis=1)))

print(f"{'':11s} {'best loss':>10s} {'at step':>8s} {'final loss':>11s} "
      f"{'RMS step at best':>17s} {'RMS step at end':>16s}")
longer = []
for name in problems:
    res = finals[name][0]
    best = int(np.argmin(res.losses))
    end_rms, best_rms = rms_step(res.path, res.steps_taken), rms_step(res.path, best)
    longer.append(end_rms > best_rms)
    print(f"{name:11s} {res.losses[best]:10.2e} {best:8d} {res.losses[-1]:11.2e} "
          f"{best_rms:17.2e} {end_rms:16.2e}")
display(Markdown(f"Steps at the end longer than at the best point on every function: "
                 f"**{all(longer)}**. Near a minimum Adadelta does not settle: it keeps "
                 f"moving with steps its own memory of past steps keeps alive."))

# %% [markdown]
# So "no learning rate" does not mean "fastest": a well-chosen $\eta$ lets RMSprop beat it,
# while a badly chosen one costs RMSprop orders of magnitude. Adadelta removes that knob (at the
# price of a slow start, and with $\epsilon$ as a knob in disguise). It matters less today
# because Adam, next chapter, became the default; but the idea, "let the ratio of two running
# averages set the step", is worth knowing.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# Adagrad, RMSprop and Adadelta on the stretched bowl. Questions to explore: what does RMSprop's
# $\beta$ change (try 0 and 0.99)? How does Adadelta's path change with $\epsilon$? Switch to
# `rosenbrock` and compare how far each gets in 200 steps.

# %% tags=["nbval-ignore-output"]
from course_lib.widgets import playground

playground(bowl, ["adagrad", "rmsprop", "adadelta"], steps=200,
           hparams={"adagrad": {"lr": 1.0}, "rmsprop": {"lr": 0.05}})

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1: the RMSprop update
#
# One RMSprop step for every parameter; return new dicts and an `RMSpropState(t + 1, s)`.

# %%
def rmsprop_update(params, grads, state, *, lr, beta, eps):
    """s_dW = β·s_dW + (1 − β)·dW²;  W = W − η·dW / (√s_dW + ε)."""
    ### BEGIN SOLUTION
    s = {g: beta * state.s[g] + (1 - beta) * grads[g] ** 2 for g in grads}
    new_params = {k: W - lr * grads["d" + k] / (np.sqrt(s["d" + k]) + eps)
                  for k, W in params.items()}
    return new_params, RMSpropState(state.t + 1, s)
    ### END SOLUTION

# %%
check("rmsprop_update", rmsprop_update)

# %%
hint("rmsprop_update")

# %%
try:
    mine = run_path(bowl, "rmsprop", update=rmsprop_update, steps=200, lr=0.05)
    ref = run_path(bowl, "rmsprop", steps=200, lr=0.05)
    print(f"your RMSprop vs the library's, 200 steps: max |difference| = "
          f"{np.abs(mine.path - ref.path).max():.1e}")
except NotImplementedError:
    print("Write rmsprop_update above first, then run this cell again.")

# %% [markdown]
# ### Exercise 2: the Adadelta update
#
# Two averages this time. Careful with the order: the step uses the *new* $s_{dW}$ but the
# *old* $u_{dW}$; $u_{dW}$ is updated with the step you just computed.

# %%
def adadelta_update(params, grads, state, *, lr, rho, eps):
    """s = ρ·s + (1−ρ)·dW²;  Δ = √(u+ε)/√(s+ε)·dW;  u = ρ·u + (1−ρ)·Δ²;  W = W − η·Δ."""
    ### BEGIN SOLUTION
    s = {g: rho * state.s[g] + (1 - rho) * grads[g] ** 2 for g in grads}
    delta = {g: np.sqrt(state.u[g] + eps) / np.sqrt(s[g] + eps) * grads[g] for g in grads}
    u = {g: rho * state.u[g] + (1 - rho) * delta[g] ** 2 for g in grads}
    new_params = {k: W - lr * delta["d" + k] for k, W in params.items()}
    return new_params, AdadeltaState(state.t + 1, s, u)
    ### END SOLUTION

# %%
check("adadelta_update", adadelta_update)

# %%
hint("adadelta_update")

# %%
try:
    mine = run_path("rosenbrock", "adadelta", update=adadelta_update, steps=500, lr=1.0)
    ref = run_path("rosenbrock", "adadelta", steps=500, lr=1.0)
    print(f"your Adadelta vs the library's on Rosenbrock, 500 steps: max |difference| = "
          f"{np.abs(mine.path - ref.path).max():.1e}")
except NotImplementedError:
    print("Write adadelta_update above first, then run this cell again.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# **"How does RMSprop fix Adagrad's stalling?"** It replaces the ever-growing sum of squared
# gradients by an exponentially weighted average, $s_{dW} = \beta s_{dW} + (1-\beta) dW^2$. The
# average forgets old gradients and follows the recent ones, so it cannot grow without bound and
# the effective rate $\eta/(\sqrt{s_{dW}} + \epsilon)$ cannot collapse to zero; it even rises
# again when the gradients shrink. *Interview angle:* the constant-gradient numbers of the first
# section make the point in one line.
#
# **"What does Adadelta add, and why no learning rate?"** A second average, of the squared
# updates. The step is (RMS of recent updates)/(RMS of recent gradients) times $dW$, which has
# the units of $W$, so $\eta = 1$. Bonus point: at the start $\epsilon$ sets the step size.
#
# **"Where is ε?"** Outside the root in RMSprop (and Adagrad, Adam), inside both roots in
# Adadelta, where it is what gets the first step going.
#
# More questions from the bank:

# %% tags=["nbval-ignore-output"]
from course_lib.quiz import quiz

quiz(chapter=8)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - **RMSprop fixes Adagrad's stall:** an EWA of squared gradients,
#   $s_{dW} = \beta s_{dW} + (1-\beta) dW^2$, $W = W - \eta\, dW/(\sqrt{s_{dW}} + \epsilon)$,
#   so the effective rate follows the recent gradients instead of collapsing.
# - **Adadelta** adds an EWA of squared updates and divides the two RMS values: the step has the
#   units of $W$ and $\eta = 1$; $\epsilon$, inside both roots, sets its first steps.
# - **What they leave open:** neither uses momentum, so neither smooths the zig-zag of
#   mini-batches the way [Chapter 6](06_momentum.ipynb) did, and RMSprop's first steps are
#   inflated because $s_{dW}$ starts at 0. [Chapter 9](09_adam.ipynb) combines the two lines,
#   momentum's $v_{dW}$ and RMSprop's $s_{dW}$, with a bias correction: Adam.
#
# The story so far, one line per method, as the library writes it:

# %%
for name in ("gd", "momentum", "adagrad", "rmsprop", "adadelta"):
    print(f"{OPTIMIZERS[name].title:18s} {OPTIMIZERS[name].formula}")

# %% [markdown]
# If some of these symbols are already blurring, that is fine: the lecture's advice holds.
# Understanding the story (each method fixes one weakness of the one before it) matters more
# than memorising every symbol; the symbols can always be looked up, the reasons are what an
# interviewer asks about.
