# %% [markdown]
# # Chapter 9 · Adam: momentum + RMSprop + bias correction
#
# **What you will be able to do**
#
# - write Adam's update from memory and say which line comes from momentum and which from RMSprop;
# - switch each of its three parts off in turn and say, with numbers, what breaks;
# - explain what bias correction does to the first steps, measured rather than recited;
# - choose Adam's hyperparameters: what to tune first and what to leave at its default;
# - explain AdamW, AMSGrad and NAdam, and show the situation each one was made for.
#
# **Where it sits in the story.** [Chapter 6](06_momentum.ipynb) replaced the raw gradient by
# its exponentially weighted average: the direction became smooth, but every parameter still
# moved with the same learning rate η. [Chapter 8](08_rmsprop_adadelta.ipynb) gave every
# parameter its own step size by dividing by the root of an average of squared gradients, but
# the direction was again the raw, noisy gradient. Adam does both at once, and adds the bias
# correction of [Chapter 5](05_exponentially_weighted_average.ipynb) so that averages started at
# zero do not distort the first steps.

# %%
# %matplotlib inline
import warnings

import matplotlib.pyplot as plt
import numpy as np

from course_lib import plots
from course_lib.data import make_moons
from course_lib.exercises import check, hint
from course_lib.models import TwoLayerNet
from course_lib.moving_averages import bias_correct, ewa_step, ewa_window
from course_lib.optimizers import OPTIMIZERS, AdamState
from course_lib.paths import run_path
from course_lib.problems import get_problem
from course_lib.training import train

adam = OPTIMIZERS["adam"]


def paths_on(problem, paths, ax):
    """Optimizer paths over lightly filled contours (small PNG files)."""
    plots.plot_contour(problem, ax=ax, filled=True, alpha=0.45)
    return plots.plot_paths(problem, paths, ax=ax, contour=False)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Intuition: two averages steer one step
#
# Picture a ball rolling down Rosenbrock's curved valley. Momentum gives it inertia: the
# direction is an average of recent gradients, so the side-to-side pushes of the valley walls
# cancel out. RMSprop gives it a per-parameter speed limit: each coordinate's step is divided by
# the typical size of its own gradient, so a steep wall does not fling it and a flat floor does
# not stall it. Adam keeps both averages and steps with their ratio.
#
# Below, the three optimizers start from the same point, each with the learning rate the
# course's playground starts it with (printed in the legend). Chapter 10 races them with tuned
# learning rates; here we only look at the shapes of the paths.

# %%
from course_lib.widgets import START_LR  # noqa: E402  (the playground's starting η's)

lrs_picture = {name: START_LR["rosenbrock"][name] for name in ("momentum", "rmsprop", "adam")}
picture = {name: run_path("rosenbrock", name, steps=300, lr=lr)
           for name, lr in lrs_picture.items()}
fig, (ax_p, ax_l) = plt.subplots(1, 2, figsize=(9, 3.6))
paths_on("rosenbrock", {f"{n} (η={lrs_picture[n]:g})": r for n, r in picture.items()}, ax_p)
plots.plot_loss_curves({n: r for n, r in picture.items()}, ax=ax_l, f_min=0.0)
fig.subplots_adjust(wspace=0.3)
plt.show()
for name, res in picture.items():
    print(f"{name:9s} final loss after {res.steps_taken} steps: {res.losses[-1]:.3g}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Momentum + RMSprop
#
# Adam keeps two exponentially weighted averages, both started at zero, and updates them on
# every mini-batch (the same lines for b, with db):
#
# $$v_{dW} = \beta_1\, v_{dW} + (1-\beta_1)\, dW \qquad \text{(momentum line)}$$
#
# $$s_{dW} = \beta_2\, s_{dW} + (1-\beta_2)\, dW^2 \qquad \text{(RMSprop line)}$$
#
# Both are bias-corrected with the step count t (1 after the first step):
#
# $$\hat v_{dW} = \frac{v_{dW}}{1-\beta_1^t}, \qquad \hat s_{dW} = \frac{s_{dW}}{1-\beta_2^t}$$
#
# and the update divides one by the root of the other:
#
# $$W = W - \eta\, \frac{\hat v_{dW}}{\sqrt{\hat s_{dW}} + \varepsilon}$$
#
# Here is one step written line by line with the course's two helpers, `ewa_step` and
# `bias_correct`, next to the library's `OPTIMIZERS["adam"].update`, which calls the same
# helpers.

# %%
hp = adam.defaults                       # η, β1, β2, ε as the registry defines them
params = {"W": np.array([1.0, -2.0]), "b": np.array([0.5])}
grads = {"dW": np.array([0.3, -4.0]), "db": np.array([0.02])}
state = adam.init(params)                # t = 0, v = 0, s = 0

t = state.t + 1
v_dW = ewa_step(state.v["dW"], grads["dW"], hp["beta1"])        # momentum line
s_dW = ewa_step(state.s["dW"], grads["dW"] ** 2, hp["beta2"])   # RMSprop line
v_hat = bias_correct(v_dW, hp["beta1"], t)
s_hat = bias_correct(s_dW, hp["beta2"], t)
W_by_hand = params["W"] - hp["lr"] * v_hat / (np.sqrt(s_hat) + hp["eps"])

new_params, new_state = adam.update(params, grads, state, **hp)
print("defaults:", {k: v for k, v in hp.items()})
print("W by hand:   ", W_by_hand.round(6))
print("W by library:", new_params["W"].round(6))
print("same W, same v and s:", np.allclose(W_by_hand, new_params["W"], rtol=1e-12, atol=0),
      np.allclose(v_dW, new_state.v["dW"]), np.allclose(s_dW, new_state.s["dW"]))
print("step taken / η:", ((params["W"] - new_params["W"]) / hp["lr"]).round(4))

# %% [markdown]
# Look at the last line: the first step moved **each** coordinate by about η, although one
# gradient is more than ten times the other. That is the RMSprop line at work: the division by
# $\sqrt{\hat s_{dW}}$ removes the size of the gradient and keeps its sign and its consistency.
# η in Adam is close to a step *length*, not a multiplier of the gradient.
#
# ### Each part switched off in turn
#
# To see what each part contributes, we need an Adam whose parts can be switched off. The
# function below is Adam with three switches; with all three on it must give exactly the
# library's path, which the next cell checks before using it.

# %%
def adam_parts(*, momentum=True, rmsprop=True, correction=True):
    """Adam with switches: momentum off = β1 set to 0; RMSprop off = divide by 1, not √ŝ + ε;
    correction off = use v and s as they are."""
    def update(params, grads, state, *, lr, beta1, beta2, eps):
        t = state.t + 1
        b1 = beta1 if momentum else 0.0
        v = {g: ewa_step(state.v[g], grads[g], b1) for g in grads}
        s = {g: ewa_step(state.s[g], grads[g] ** 2, beta2) for g in grads}
        new = {}
        for k, W in params.items():
            g = "d" + k
            v_hat = bias_correct(v[g], b1, t) if correction else v[g]
            s_hat = bias_correct(s[g], beta2, t) if correction else s[g]
            new[k] = W - lr * v_hat / (np.sqrt(s_hat) + eps if rmsprop else 1.0)
        return new, AdamState(t, v, s)
    update.__name__ = "adam" if momentum and rmsprop and correction else "adam_parts"
    return update


for prob in ("bowl", "rosenbrock", "beale"):
    ours = run_path(prob, "adam", steps=200, lr=0.05, update=adam_parts())
    lib = run_path(prob, "adam", steps=200, lr=0.05)
    print(f"{prob:10s} all switches on = library path:",
          np.allclose(ours.path, lib.path, rtol=1e-12, atol=1e-15))

# %% [markdown]
# **Momentum off (β1 = 0, which makes Adam a bias-corrected RMSprop).** On Rosenbrock's curved
# valley the sign of the gradient across the valley flips often. We give both versions the same
# fair tuning budget (the same grid of learning rates, the best final loss after a fixed number
# of steps) and count how often a coordinate reverses direction from one step to the next.

# %%
lr_grid = np.geomspace(1e-3, 1.0, 8)
STEPS = 300


def best_over_grid(problem, optimizer, **kw):
    runs = [run_path(problem, optimizer, steps=STEPS, lr=lr, **kw) for lr in lr_grid]
    finals = [r.losses[-1] if not r.diverged else np.inf for r in runs]
    i = int(np.argmin(finals))
    return runs[i], lr_grid[i]


def reversals(path):
    """Fraction of steps in which a coordinate moves the opposite way from the step before."""
    d = np.sign(np.diff(path, axis=0))
    return float((d[1:] * d[:-1] < 0).mean())


variants = {"Adam": {}, "Adam, momentum off (β1 = 0)": {"beta1": 0.0}}
print(f"learning-rate grid: {', '.join(f'{x:.3g}' for x in lr_grid)}; {STEPS} steps each")
tuned = {}
for label, kw in variants.items():
    res, lr = best_over_grid("rosenbrock", "adam", **kw)
    tuned[label] = lr
    print(f"{label:28s} best η = {lr:.3g}: final loss {res.losses[-1]:.2e}")

# %% [markdown]
# Now the same η for both (the best η of the version without momentum), to see the paths:

# %%
eta_common = tuned["Adam, momentum off (β1 = 0)"]
same_eta = {label: run_path("rosenbrock", "adam", steps=STEPS, lr=eta_common, **kw)
            for label, kw in variants.items()}
for label, res in same_eta.items():
    print(f"η = {eta_common:.3g}  {label:28s} final loss {res.losses[-1]:.2e}, "
          f"direction reversals in {reversals(res.path):.1%} of the steps")
fig, ax = plt.subplots(figsize=(5.5, 3.6))
paths_on("rosenbrock", same_eta, ax)
plt.show()

# %% [markdown]
# Without momentum the path zig-zags across the valley (far more reversals) and, each with its
# own best η, ends further from the minimum: the momentum line is what cancels the
# alternating part of the gradient, and that is also what lets Adam use a larger η here.
#
# **RMSprop off (divide by 1 instead of √ŝ + ε, which leaves bias-corrected momentum).** The
# division by √ŝ makes the step independent of the *scale* of the loss. We multiply the bowl
# by 0.01, 1 and 100 (the same valley, gradients 100 times smaller or larger) and run both
# versions with one fixed η.

# %%
eta = 0.05
rows = []
for scale in (0.01, 1.0, 100.0):
    bowl = get_problem("bowl", scale=scale)
    for label, kw in (("Adam", {}), ("Adam, RMSprop off", {"rmsprop": False})):
        res = run_path(bowl, "adam", steps=200, lr=eta, update=adam_parts(**kw))
        ratio = res.losses[-1] / res.losses[0]
        rows.append((scale, label, "diverged" if res.diverged else f"{ratio:.2e}"))
print(f"η = {eta:g}, 200 steps; loss after / loss before:")
for scale, label, out in rows:
    print(f"  bowl × {scale:<6g} {label:18s} {out}")

# %% [markdown]
# Adam's three rows are identical: scaling the loss scales dW and √ŝ alike, and the ratio does
# not move. Without the RMSprop line the same η crawls on the flat bowl and blows up on the
# steep one: a plain momentum method needs η re-tuned whenever the gradient scale changes,
# which in a deep network happens from layer to layer.
#
# **Correction off.** That switch deserves its own section.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Bias correction
#
# Both averages start at zero. Feed Adam a constant gradient dW = 1, so that the "true" average
# of dW is 1 and of dW² is 1, and look at what the raw averages report in the first steps.

# %%
b1, b2 = hp["beta1"], hp["beta2"]
T = np.arange(1, 11)
v_raw = np.array([1 - b1 ** t for t in T])         # EWA of a constant 1 after t steps
s_raw = np.array([1 - b2 ** t for t in T])
state = adam.init({"W": np.zeros(1)})
w, vs, ss = {"W": np.zeros(1)}, [], []
for _ in T:                                        # the same numbers from the optimizer's state
    w, state = adam.update(w, {"dW": np.ones(1)}, state, **hp)
    vs.append(state.v["dW"][0])
    ss.append(state.s["dW"][0])
print("t            :", T.tolist())
print("v_t  (want 1):", np.round(vs, 4).tolist())
print("s_t  (want 1):", np.round(ss, 5).tolist())
print("matches 1 − β^t:", np.allclose(vs, v_raw), np.allclose(ss, s_raw))
print("v̂_t = v_t/(1 − β1^t):", np.round(bias_correct(np.array(vs), b1, T), 12).tolist())
print(f"correction factor 1/(1 − β1^t) at t = 10: {1 / (1 - b1 ** 10):.3f};  "
      f"s averages about 1/(1 − β2) = {ewa_window(b2):.0f} squared gradients")

# %% [markdown]
# The raw averages are **too small** at the start: $v_1 = (1-\beta_1)\,dW$ and
# $s_1 = (1-\beta_2)\,dW^2$ (with the defaults, the $v_1$ and $s_1$ printed above) instead of
# $dW$ and $dW^2$. Dividing by
# $1-\beta^t$ undoes exactly that factor, so $\hat v_t$ is the gradient from the very first
# step; the factor tends to 1 as t grows and the correction fades by itself.
#
# What does that do to the **step**? It depends on how the two biases meet in the ratio
# $v/\sqrt{s}$. We measure the step length (in units of η) for a constant gradient, for three
# uncorrected methods.

# %%
def step_over_eta(update, steps, **hp_):
    """|ΔW| / η at each step t for a constant gradient dW = 1 (ε negligible)."""
    p, st, out = {"W": np.zeros(1)}, adam.init({"W": np.zeros(1)}), []
    for _ in range(steps):
        new, st = update(p, {"dW": np.ones(1)}, st, **hp_)
        out.append(abs(new["W"][0] - p["W"][0]) / hp_["lr"])
        p = new
    return np.array(out)


N = 500
cases = {
    "Adam, corrected": step_over_eta(adam.step, N, **hp),   # .step: .update without checks
    "Adam uncorrected, β1 = 0.9, β2 = 0.999": step_over_eta(adam_parts(correction=False), N, **hp),
    "Adam uncorrected, β1 = β2 = 0.9": step_over_eta(adam_parts(correction=False), N,
                                                     **{**hp, "beta2": 0.9}),
    "momentum part alone, uncorrected": step_over_eta(
        adam_parts(rmsprop=False, correction=False), N, **hp),
}
fig, ax = plt.subplots(figsize=(8, 3.5))
for i, (label, r) in enumerate(cases.items()):
    ax.plot(np.arange(1, N + 1), r, color=plots.COLORS[i], label=label)
plots.log_scale(ax, "x")
plots.log_scale(ax, "y")
ax.set_xlabel("step t")
ax.set_ylabel("step length / η")
ax.legend(fontsize="small")
plt.show()
for label, r in cases.items():
    r = r.round(6)                                  # so that "largest" ignores rounding noise
    print(f"{label:40s} t=1: {r[0]:.3f}   t=10: {r[9]:.3f}   largest {r.max():.3f} "
          f"(first at t={int(r.argmax()) + 1})   t={N}: {r[-1]:.3f}")

# %% [markdown]
# Read the measurements from the bottom up:
#
# - **Momentum alone, uncorrected**, starts with a step of $(1-\beta_1)\,\eta$ and needs dozens of
#   steps to reach full size: the "too small at the start" bias, exactly as in Chapter 5.
# - **Adam uncorrected with β1 = β2** takes steps that are too small in the same way (the two
#   biases do not cancel: the numerator's factor is $1-\beta^t$, the denominator's its root).
# - **Adam uncorrected with the default β2 = 0.999** is the surprise: $s$ is *far* more biased
#   than $v$, and dividing by a too-small $\sqrt{s}$ makes the first steps several times **too
#   large**, for hundreds of steps, because $s$ averages about $1/(1-\beta_2)$ squared
#   gradients. Switching the correction off is then just a larger, time-varying learning rate.
# - **Corrected Adam** steps exactly η from t = 1 on. Bias correction makes η mean the same
#   thing at step 1 as at step 10,000, so the η you tune is the η you get.
#
# *Interview angle:* "Why does Adam need bias correction?" The averages start at zero, so early
# on they underestimate the gradient and its square; dividing by $1-\beta^t$ removes that. Say
# which way the step is wrong without it: with the usual β2 = 0.999 the uncorrected first step
# is about $(1-\beta_1)/\sqrt{1-\beta_2}$ times η, too large, not too small.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Defaults, and what to tune
#
# The registry holds the defaults of the paper and of the frameworks:

# %%
print(adam)
print("PyTorch equivalent:", adam.torch)

# %% [markdown]
# Which of the four matters most? We train the two-layer network of the course on the moons
# data set (mini-batches of 40, 20 epochs) and vary one hyperparameter at a time: first η over
# a grid with the β's at their defaults, then β1, β2 and ε around the best η.

# %%
moons = make_moons(n=400, noise=0.2, rng=0)
net = TwoLayerNet(2, 16)


def final_loss(**hp_):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # a diverged run is reported as inf
        res = train(net, moons.X, moons.y, "adam", batch_size=40, epochs=20, rng=0,
                    progress=False, **hp_)
    return np.inf if res.diverged else res.loss_per_epoch[-1]


sweeps = {"lr": [1e-4, 1e-3, 1e-2, 1e-1, 1.0]}
losses = {"lr": [final_loss(lr=x) for x in sweeps["lr"]]}
best_lr = sweeps["lr"][int(np.argmin(losses["lr"]))]
at_default = min(losses["lr"])          # the best-η run already has the default β1, β2, ε
sweeps.update(beta1=[0.0, 0.5, 0.99], beta2=[0.9, 0.99], eps=[1e-12, 1e-4])
for name in ("beta1", "beta2", "eps"):
    losses[name] = [final_loss(lr=best_lr, **{name: x}) for x in sweeps[name]]
    sweeps[name].append(hp[name])       # add the default's result, computed above
    losses[name].append(at_default)
spread = {name: max(v) / min(v) for name, v in losses.items()}
print(f"training loss after 20 epochs (the β and ε rows use the best η = {best_lr:g})")
for name in sweeps:
    order = np.argsort(sweeps[name])
    cells = "  ".join(f"{sweeps[name][i]:g}: {losses[name][i]:.3f}" for i in order)
    print(f"  {name:6s} {cells}   (worst / best = {spread[name]:.2f})")
print("largest spread:", max(spread, key=spread.get))

# %% [markdown]
# The η row spans the widest range by far, from barely trained to well fitted, while the β's
# and ε move the result much less around a good η. That is why the usual advice is: keep
# β1, β2 and ε at their defaults and tune η first. One more reason hides in the RMSprop
# experiment above: since Adam's η is roughly a step length, a good η depends on how far the
# weights must travel, not on the scale of the gradients.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Beyond the lecture: AdamW, AMSGrad, NAdam
#
# Three well-known variants, each made for a specific weakness. All three are in the registry
# and each reproduces `torch.optim` (see the `.torch` attribute).

# %%
for name in ("adamw", "amsgrad", "nadam"):
    print(f"{name:8s} {OPTIMIZERS[name].formula}\n         torch: {OPTIMIZERS[name].torch}")

# %% [markdown]
# ### AdamW: decoupled weight decay versus an L2 penalty
#
# Weight decay pulls every weight towards zero. With plain gradient descent, adding the L2
# penalty $\tfrac{\lambda}{2}\lVert W\rVert^2$ to the loss (gradient $dW + \lambda W$) and
# shrinking the weights directly are the same thing. In Adam they are not: the term
# $\lambda W$ passes through the division by $\sqrt{\hat s_{dW}}$. AdamW instead shrinks first,
# $W = W\,(1-\eta\lambda)$, and then takes the Adam step on the plain gradient.
#
# The experiment: two weights start at 1. Their data gradients carry no signal (they alternate
# ±σ, average zero), but weight 1 has large gradients (σ = 10) and weight 2 tiny ones
# (σ = 0.01). The same λ should shrink both alike.

# %%
lam, eta, n_steps = 0.1, 0.01, 500
sigma = np.array([10.0, 0.01])
w_l2, w_dec = {"W": np.ones(2)}, {"W": np.ones(2)}
st_l2, st_dec = adam.init(w_l2), OPTIMIZERS["adamw"].init(w_dec)
for t in range(1, n_steps + 1):
    data_grad = sigma * (-1.0) ** t                       # zero-mean, no signal
    w_l2, st_l2 = adam.update(w_l2, {"dW": data_grad + lam * w_l2["W"]}, st_l2, lr=eta)
    w_dec, st_dec = OPTIMIZERS["adamw"].update(w_dec, {"dW": data_grad}, st_dec, lr=eta,
                                               weight_decay=lam)
print(f"λ = {lam:g}, η = {eta:g}, {n_steps} steps; pure decay would give "
      f"(1 − ηλ)^{n_steps} = {(1 - eta * lam) ** n_steps:.3f}")
for label, w in (("Adam + L2 penalty", w_l2), ("AdamW", w_dec)):
    size = np.abs(w["W"])                             # how far from zero each weight is now
    print(f"{label:17s}: |weight 1| (σ = 10) {size[0]:.3f},  |weight 2| (σ = 0.01) {size[1]:.3f}")

# %% [markdown]
# With the L2 penalty, the weight with large gradients is hardly decayed (its λW is tiny next
# to √ŝ), and the weight with small gradients is decayed far *more* than λ asks (its λW is
# normalised to a full step of about η). AdamW shrinks both alike, close to the pure-decay
# factor printed above. That is the whole point of "decoupled": the strength of the decay no
# longer depends on the gradient history, which is why AdamW is the usual way to regularise
# with Adam.
#
# ### AMSGrad: a denominator that never shrinks
#
# Adam's $s_{dW}$ forgets: after a burst of large gradients it decays again, and the step
# $\eta/\sqrt{\hat s}$ grows back. Reddi et al. (2018) built a problem where exactly this makes
# Adam converge to the *worst* point: on $x \in [-1, 1]$ the gradient is $C = 3$ once every
# three steps and $-1$ the other two, so the average slope is positive, $(C-2)/3$, and the best
# point is $x = -1$. Their construction uses β1 = 0 and $\beta_2 = 1/(1+C^2)$. AMSGrad divides
# by the largest $s$ seen so far instead.

# %%
C, n_steps = 3.0, 300
hp_counter = {"lr": 0.05, "beta1": 0.0, "beta2": 1.0 / (1.0 + C ** 2)}
ends, rates = {}, {}
for name in ("adam", "amsgrad"):
    opt = OPTIMIZERS[name]
    p = {"W": np.array([0.0])}
    st = opt.init(p)
    hp_full = opt.check_hparams(**hp_counter)
    lr_eff = []
    for t in range(1, n_steps + 1):
        g = C if t % 3 == 1 else -1.0
        p, st = opt.step(p, {"dW": np.array([g])}, st, **hp_full)   # .update minus the checks
        p = {"W": np.clip(p["W"], -1.0, 1.0)}              # stay inside [-1, 1]
        if t <= 30 or t > n_steps - 3:
            lr_eff.append(opt.effective_lr(st, **hp_full)["dW"][0])
    ends[name], rates[name] = p["W"][0], np.array(lr_eff)
for name in ends:
    print(f"{name:8s} ends at x = {ends[name]:+.3f}  (best point: −1, worst: +1); "
          f"effective rate over the last 3 steps: {np.round(rates[name][-3:], 4).tolist()}")
p, st = {"W": np.array([0.0])}, adam.init({"W": np.array([0.0])})
for t in range(1, n_steps + 1):                        # the same problem, Adam's default β's
    p, st = adam.step(p, {"dW": np.array([C if t % 3 == 1 else -1.0])}, st,
                      **{**hp, "lr": hp_counter["lr"]})
    p = {"W": np.clip(p["W"], -1.0, 1.0)}
print(f"adam with the default β1 = {hp['beta1']:g}, β2 = {hp['beta2']:g}: ends at x = "
      f"{p['W'][0]:+.3f}")
fig, ax = plt.subplots(figsize=(8, 3.2))
plots.plot_effective_lr({k: v[:30] for k, v in rates.items()}, ax=ax, log=False)
ax.set_title("first 30 steps: Adam's rate jumps back up after every large gradient")
plt.show()

# %% [markdown]
# Adam's effective rate $\eta/(\sqrt{\hat s}+\varepsilon)$ drops after each large gradient and
# climbs back during the two small ones, so the two steps of size "−1" are taken with a larger
# rate than the one step of size "+3" and the iterate drifts the wrong way. AMSGrad's rate can
# only fall, and it finds the minimum. With the default β's (last printed line) Adam solves
# this toy problem too: the example shows a failure mode, not a typical run.
#
# ### NAdam: Nesterov's look-ahead inside Adam
#
# [Chapter 6](06_momentum.ipynb) showed Nesterov momentum: step along where the momentum is
# about to go, not where it was. NAdam (Dozat, 2016) puts that look-ahead into Adam's
# numerator: $\beta_1 \hat v$ of the *next* step plus the bias-corrected fresh gradient. On the
# elongated bowl we measure how far each overshoots the valley floor along the steep axis and
# how many steps each needs to bring the loss below 1e-3.

# %%
bowl = get_problem("bowl", condition=10.0)
for lr in (0.1, 0.3):
    for name in ("adam", "nadam"):
        res = run_path(bowl, name, steps=200, lr=lr)
        below = np.flatnonzero(res.losses < 1e-3)
        first = int(below[0]) if below.size else None
        print(f"η = {lr:g}  {name:6s} deepest overshoot along W2: {res.path[:, 1].min():+.3f}   "
              f"steps to loss < 1e-3: {first}")

# %% [markdown]
# With the same η, NAdam overshoots less and gets there in fewer steps: the look-ahead sees
# the turn one step earlier. On this bowl the gain is modest: NAdam is a drop-in replacement
# for Adam that changes only the numerator.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Play with it
#
# The playground from the course, with momentum, RMSprop and Adam: move Adam's β1 to 0 (it
# becomes bias-corrected RMSprop), push β2 towards 0.9999, add NAdam or AMSGrad from the list,
# or change the test function. A run that diverges says so and stops.

# %% tags=["nbval-ignore-output"]
from course_lib.widgets import playground  # noqa: E402

pg = playground("rosenbrock", ["momentum", "rmsprop", "adam"], steps=200)
pg

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1: the Adam update
#
# Write `adam_update(params, grads, state, *, lr, beta1, beta2, eps)`: the momentum line, the
# RMSprop line, the bias correction of both, and the step. Return the new parameters and
# `AdamState(t, v, s)` holding the **raw** (uncorrected) averages. Do not change the inputs.

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

# %% [markdown]
# Stuck? Each call shows the next hint (a nudge, then the formula, then pseudo-code).

# %%
hint("adam_update")

# %% [markdown]
# Race your rule against the library's on Rosenbrock: the two paths must coincide.

# %%
try:
    mine = run_path("rosenbrock", "adam", steps=300, lr=0.1, update=adam_update)
    ref = run_path("rosenbrock", "adam", steps=300, lr=0.1)
    print(f"largest distance between the two paths: {np.abs(mine.path - ref.path).max():.1e}")
    print("same path:", np.allclose(mine.path, ref.path, rtol=1e-10, atol=1e-12))
except NotImplementedError:
    print("Complete `adam_update` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown]
# ### Exercise 2: AdamW
#
# Write `adamw_update(params, grads, state, *, lr, beta1, beta2, eps, weight_decay)`: first
# shrink every parameter, $W = W\,(1-\eta\lambda)$, then take the Adam step with the plain
# gradient (the decay must not enter v or s).

# %%
def adamw_update(params, grads, state, *, lr, beta1, beta2, eps, weight_decay):
    ### BEGIN SOLUTION
    decayed = {k: W * (1 - lr * weight_decay) for k, W in params.items()}
    return adam_update(decayed, grads, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    ### END SOLUTION


# %%
check("adamw_update", adamw_update)

# %%
hint("adamw_update")

# %%
try:
    mine = run_path("beale", "adamw", steps=300, lr=0.05, weight_decay=0.1, update=adamw_update)
    ref = run_path("beale", "adamw", steps=300, lr=0.05, weight_decay=0.1)
    print("same path as the library's AdamW:",
          np.allclose(mine.path, ref.path, rtol=1e-10, atol=1e-12))
except NotImplementedError:
    print("Complete `adamw_update` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# **"Adam combines which two ideas?"** Momentum, an EWA of the gradients with β1, which smooths
# the direction, and RMSprop, an EWA of the squared gradients with β2, which sets a
# per-parameter step size. The ablation above shows each half doing its job: the zig-zag comes
# back without the first, the scale sensitivity without the second.
#
# **"Why does Adam need bias correction?"** Both averages start at zero and underestimate the
# gradient statistics early on; $v/(1-\beta_1^t)$ and $s/(1-\beta_2^t)$ remove that. A strong
# answer adds the measured consequence: with the default β2 the uncorrected first steps are
# too *large*, because $s$ is much more biased than $v$.
#
# **"What does AdamW change?"** Weight decay is applied to the weights directly, not added to
# the gradient, so the division by $\sqrt{\hat s}$ cannot weaken it for weights with large
# gradients (and strengthen it for weights with small ones), as the experiment showed.
#
# The quiz below asks these and more (numbers to compute, choices, and answers to explain in
# your own words).

# %% tags=["nbval-ignore-output"]
from course_lib.quiz import quiz  # noqa: E402

quiz(chapter=9)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - **What Adam fixes:** momentum alone uses one learning rate for all parameters and is
#   sensitive to the gradient scale; RMSprop alone steers with the raw, noisy gradient. Adam
#   keeps both averages, $v_{dW}$ (β1) and $s_{dW}$ (β2), corrects their start-up bias, and
#   steps $\eta\,\hat v_{dW}/(\sqrt{\hat s_{dW}}+\varepsilon)$: a smooth direction with a
#   per-parameter step of about η.
# - **What each part contributes (measured):** momentum removes the zig-zag in curved valleys;
#   the RMSprop line makes the same η work whatever the gradient scale; bias correction makes
#   the step size right from the first step.
# - **Defaults:** keep β1, β2 and ε at the registry's defaults (printed above) and tune η first.
# - **Variants:** AdamW decouples weight decay, AMSGrad keeps the denominator from shrinking,
#   NAdam adds Nesterov's look-ahead.
# - **What it leaves open:** Adam is a strong default, but not always the best choice, and η
#   still has to be chosen (and often changed during training). [Chapter 10](10_choosing_an_optimizer.ipynb)
#   races every optimizer of the course with tuned learning rates, on test functions and on a
#   real data set, and adds learning-rate schedules.
