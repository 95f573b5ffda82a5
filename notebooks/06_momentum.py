# %% [markdown] slideshow={"slide_type": "slide"}
# # Chapter 6 · SGD with momentum
#
# **What you will be able to do**
#
# - explain why mini-batch SGD zig-zags, and how an average of the recent gradients calms it;
# - write the momentum update $v_{dW} = \beta\, v_{dW} + (1-\beta)\, dW$, $W = W - \eta\, v_{dW}$
#   and compute its first steps by hand;
# - say where momentum's speed-up comes from: at equal $\eta$ its steady step is GD's (steadier,
#   not bigger); on an ill-conditioned problem, choosing $\beta$ and $\eta$ together (with
#   $\beta$ tuned to $\kappa$) is worth about $\sqrt\kappa$ times fewer steps than GD at its
#   best $\eta$;
# - translate between the course's form and the `v = μ·v + g` form of PyTorch and d2l, without
#   changing a single iterate;
# - say what Nesterov momentum changes, and what it costs (its largest stable $\eta$).
#
# **Where this sits in the story.** [Chapter 3](03_minibatch_sgd.ipynb) made training cheap with
# mini-batches, at a price: each batch sees only part of the data, so the path zig-zags.
# [Chapter 5](05_exponentially_weighted_average.ipynb) built the tool that smooths a noisy series:
# the exponentially weighted average (EWA). Momentum is that tool applied to the gradients.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** momentum is Chapter 5's exponentially weighted average applied to the gradients: it
#   calms the zig-zag that Chapter 3's mini-batches left behind.
# - **Demo:** none; read the goals, then recall the zig-zag picture of Chapter 3 and the EWA of
#   Chapter 5.
# - **Ask the room:** "Chapter 5 built one tool for smoothing a noisy series. Which, and what would
#   it smooth here?" **Answer:** the EWA, applied to the mini-batch gradients.

# %% slideshow={"slide_type": "skip"}
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from course_lib import plots
from course_lib.claims import claim
from course_lib.data import make_regression
from course_lib.exercises import check, hint
from course_lib.models import LinearRegression
from course_lib.moving_averages import ewa_window
from course_lib.optimizers import OPTIMIZERS, MomentumState
from course_lib.paths import run_path
from course_lib.problems import get_problem, quadratic_bowl
from course_lib.training import train

# %% slideshow={"slide_type": "skip"}
bowl = get_problem("bowl", condition=50.0, angle=30.0)     # used from the third section on
corner = (-4.5, -1.0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Smoothing the zig-zag
#
# Take a linear regression with one feature, so the two parameters $(W, b)$ can be drawn as a
# point on the loss surface. The feature is not centred, which stretches the bowl into a long
# valley (as real features often do). We train it twice with mini-batches of 10 records, same
# seed, same learning rate $\eta$: once with plain mini-batch SGD, once with momentum.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** on the same mini-batches (same seed, same η = 0.1), momentum walks down the valley
#   while plain mini-batch SGD jumps from wall to wall; over eight seeds its path is about 2.8 times
#   shorter (2.4 to 3.1) and its steps across the valley about 0.20 times as wide, at similar final
#   losses.
# - **Demo:** run the first cell and point at the blue path (jumps across) and the orange one (goes
#   down); then read the seed table: path length, reversals, spread across, and the summary over
#   seeds 1-8.
# - **Ask the room:** "Which problem of mini-batch SGD does momentum fix, and how?" **Answer:** the
#   zig-zag: it steps along the average of about 1/(1−β) recent gradients, so components that flip
#   sign cancel and the one that keeps its direction (down the valley) survives.
# - **Cut when short:** the comparison with the pure-noise factor √((1−β)/(1+β)) ≈ 0.23 and the
#   step-to-step correlation.

# %% tags=["slides-output-only"]
data = make_regression(n=500, d=1, noise=0.5, rng=0)
X = 0.5 * data.X + 1.5            # an off-centre feature: a long, narrow valley in (W, b)
y = data.y
surface = plots.regression_surface(X, y, start=(-2.0, 3.0))
start = {"W": np.array([-2.0]), "b": np.array([3.0])}

def run_pair(seed):
    """Mini-batch SGD and momentum on the same batches (same seed), same η = 0.1."""
    return {
        "mini-batch SGD": train(LinearRegression(1), X, y, "gd", batch_size=10, epochs=4,
                                rng=seed, params=start, record_path=True, progress=False,
                                lr=0.1),
        "mini-batch SGD + momentum": train(LinearRegression(1), X, y, "momentum",
                                           batch_size=10, epochs=4, rng=seed, params=start,
                                           record_path=True, progress=False, lr=0.1, beta=0.9),
    }


runs = run_pair(1)
fig, ax = plt.subplots(figsize=(8, 3.5))
plots.plot_contour(surface, ax=ax, levels=12, resolution=100, filled=True, alpha=0.5)
plots.plot_batch_paths(surface, runs, ax=ax, contour=False)
ax.set_xlabel("W")
ax.set_ylabel("b")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The blue path jumps from side to side of the valley; the orange one goes down it. How much
# calmer is it? Split every step into its part *across* the valley (the steep direction, the
# eigenvector of the Hessian with the largest eigenvalue) and its part *along* it. The surface is
# a quadratic, so its gradient is linear and two gradient differences give the Hessian.

# %% tags=["slides-output-only"]
H = np.column_stack([surface.grad([1.0, 0.0]) - surface.grad([0.0, 0.0]),
                     surface.grad([0.0, 1.0]) - surface.grad([0.0, 0.0])])
across = np.linalg.eigh(H)[1][:, -1]          # unit vector of the steep direction

def zigzag(result):
    """Path length, share of steps that reverse across the valley, spread of those steps,
    correlation of each step across the valley with the next."""
    path = np.column_stack([result.path["W"][:, 0], result.path["b"][:, 0]])
    steps = np.diff(path, axis=0)
    a = steps @ across
    return (np.linalg.norm(steps, axis=1).sum(), np.mean(np.sign(a[1:]) != np.sign(a[:-1])),
            a.std(), np.corrcoef(a[:-1], a[1:])[0, 1])


def compare(runs):
    """Final-loss gap (momentum / SGD − 1), path ratio (SGD / momentum), spread ratio."""
    st = {name: zigzag(res) for name, res in runs.items()}
    sgd, mom = "mini-batch SGD", "mini-batch SGD + momentum"
    return (runs[mom].loss_per_epoch[-1] / runs[sgd].loss_per_epoch[-1] - 1,
            st[sgd][0] / st[mom][0], st[mom][2] / st[sgd][2])


stats = {name: zigzag(res) for name, res in runs.items()}
print(f"seed 1 (the plot)           {'path length':>12s} {'reversals':>10s} {'std across':>11s} "
      f"{'final loss':>11s} {'corr. next step':>16s}")
for name, (length, flips, std, corr) in stats.items():
    print(f"{name:27s} {length:12.2f} {flips:10.0%} {std:11.4f} "
          f"{runs[name].loss_per_epoch[-1]:11.4f} {corr:16.2f}")
beta = 0.9
noise_factor = np.sqrt((1 - beta) / (1 + beta))
seeds = range(1, 9)
by_seed = np.array([compare(run_pair(s_)) for s_ in seeds])    # one row per seed
loss_gaps, shorter, ratio = by_seed.T
print(f"\nover seeds {seeds[0]}-{seeds[-1]} (mean ± sd, range):")
for label, x, fmt in (("final loss, momentum / SGD − 1", loss_gaps, "+.1%"),
                      ("path length, SGD / momentum", shorter, ".2f"),
                      ("spread across, momentum / SGD", ratio, ".2f")):
    print(f"  {label:32s} {x.mean():{fmt}} ± {x.std():{fmt.lstrip('+')}}   "
          f"[{x.min():{fmt}}, {x.max():{fmt}}]")
print(f"pure-noise EWA factor √((1−β)/(1+β)) = {noise_factor:.2f} for β = {beta}")

# %% [markdown]
# Over eight seeds the two end at similar losses, but not within a fixed margin: in six seeds
# they differ by less than 3 %, either way; in two, momentum ends about 13 % lower. In every
# seed, though, momentum walks a path about 2.8 times shorter (2.4 to 3.1 times), and its steps
# across the valley are about 0.20 times as wide (0.16 to 0.28). For pure noise, an EWA with $\beta = 0.9$ shrinks the spread by
# $\sqrt{(1-\beta)/(1+\beta)} \approx 0.23$
# ([Chapter 5](05_exponentially_weighted_average.ipynb)). The measured factor is close to it, not
# equal: that formula is for independent noise around a fixed value; here each SGD step across
# the valley is partly undone by the next (their correlation is negative, printed above), so the
# two factors differ. Read 0.23 as a guide, not a prediction.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
close = np.abs(loss_gaps) < 0.03
claim(int(close.sum()), approx=6, abs_tol=0, says="in six seeds they")
claim(loss_gaps[close].min() < 0 < loss_gaps[close].max(), says="differ by less than 3 %, either way")
for gap_ in loss_gaps[~close]:
    claim(gap_, approx=-0.13, abs_tol=0.01, says="in two, momentum ends about 13 % lower")
claim(shorter.mean(), approx=2.8, rel=0.03, says="momentum walks a path about")
claim(shorter.min(), approx=2.4, abs_tol=0.05, says="2.4 to 3.1 times")
claim(shorter.max(), approx=3.1, abs_tol=0.05, says="2.4 to 3.1 times")
claim(ratio.mean(), approx=0.20, abs_tol=0.01,
      says="its steps across the valley are about 0.20 times as")
claim(ratio.min(), approx=0.16, abs_tol=0.005, says="0.16 to 0.28")
claim(ratio.max(), approx=0.28, abs_tol=0.005, says="0.16 to 0.28")
claim(noise_factor, approx=0.23, abs_tol=0.005, says="shrinks the spread by")
claim(ratio.mean() / noise_factor, gt=0.75, lt=1.25,
      says="The measured factor is close to it, not equal")
claim(stats["mini-batch SGD"][3], lt=-0.1, says="their correlation is negative")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Why it works.** Each mini-batch gradient is the true gradient plus noise. The components that
# flip sign from one step to the next (noise; or bouncing between the walls, when
# $\eta\,\lambda_{max} > 1$, as on the bowl below) cancel in an average;
# the component that keeps pointing the same way (down the valley) survives. An EWA with
# $\beta$ averages roughly the last $1/(1-\beta)$ gradients:

# %%
for b in (0.5, 0.9, 0.99):
    print(f"β = {b}: momentum averages about {ewa_window(b):.0f} recent gradients")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The momentum update
#
# Replace the raw gradient of gradient descent by its exponentially weighted average, for every
# parameter. With $v_{dW} = 0$ and $v_{db} = 0$ at the start, each iteration does
#
# $$v_{dW} = \beta\, v_{dW} + (1-\beta)\, dW, \qquad W = W - \eta\, v_{dW}$$
#
# $$v_{db} = \beta\, v_{db} + (1-\beta)\, db, \qquad b = b - \eta\, v_{db}$$
#
# where $dW$ and $db$ are the gradients of the current mini-batch. Two hyperparameters:
# the learning rate $\eta$ and the decay $\beta$ (0.9 is the course's default and the usual
# choice; PyTorch's `SGD` has `momentum=0`, no momentum, unless asked: see the
# [notation page](../docs/notation.md)).
#
# In code, one step for every parameter at once (the library's `OPTIMIZERS["momentum"]` computes
# exactly this, through the same `ewa_step` helper as Chapter 5):

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 6 min**
#
# - **Point:** v = β·v + (1−β)·dW, then W = W − η·v, for every parameter; with β = 0 it is GD, and
#   on a constant slope its step settles at GD's step: steadier, not bigger (it even starts behind,
#   9 GD steps for β = 0.9, since v starts at 0).
# - **Demo:** the two-step cell (η = 0.1, β = 0.9, dW = 2): v₁ = 0.2, W₁ = 0.98, v₂ = 0.38, then the
#   library's `OPTIMIZERS["momentum"]` giving the same numbers; then the two sanity checks (β = 0
#   gives GD's path exactly; the constant slope).
# - **Ask the room:** "W = 1, dW = 2, η = 0.1, β = 0.9, v = 0: what is W after one momentum step?"
#   **Answer:** v₁ = 0.1·2 = 0.2, so W = 1 − 0.1·0.2 = 0.98: a tenth of GD's step of 0.2 (no bias
#   correction, so the first steps are too small).

# %% tags=["slides-output-only"]
eta, beta = 0.1, 0.9
params = {"W": np.array([1.0]), "b": np.array([0.5])}
grads = {"dW": np.array([2.0]), "db": np.array([-1.0])}
v = {"dW": np.zeros(1), "db": np.zeros(1)}                    # v_dW = v_db = 0 at the start

for step in (1, 2):                                           # the same gradients twice
    v = {g: beta * v[g] + (1 - beta) * grads[g] for g in grads}       # EWA of the gradients
    params = {k: p - eta * v["d" + k] for k, p in params.items()}     # step along the average
    print(f"t = {step}: v_dW = {v['dW'][0]:.4f}, W = {params['W'][0]:.4f}   "
          f"v_db = {v['db'][0]:.4f}, b = {params['b'][0]:.4f}")

dW = grads["dW"][0]
v1 = beta * 0 + (1 - beta) * dW
v2 = beta * v1 + (1 - beta) * dW
display(Markdown(
    f"The same for $W$ by hand: $v_1 = {beta:g} \\cdot 0 + {1 - beta:g} \\cdot {dW:g} = {v1:g}$, "
    f"$W_1 = 1 - {eta:g} \\cdot {v1:g} = {1 - eta * v1:g}$; "
    f"$v_2 = {beta:g} \\cdot {v1:g} + {1 - beta:g} \\cdot {dW:g} = {v2:g}$."))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The average starts small (it starts at 0) and grows towards the gradient: the first step is
# only $1-\beta = 0.1$ times GD's step $\eta\, dW$. The course's momentum has no bias
# correction (Adam adds one in [Chapter 9](09_adam.ipynb)), so its first steps are too small,
# not too large. The library gives the same numbers:

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
lib_first, _ = OPTIMIZERS["momentum"].update(                 # the library's first step
    {"W": np.array([1.0])}, {"dW": grads["dW"]},
    OPTIMIZERS["momentum"].init({"W": np.array([1.0])}), lr=eta, beta=beta)
first_ratio = (1.0 - lib_first["W"][0]) / (eta * dW)         # its length / GD's step
claim(first_ratio, approx=1 - beta, rel=1e-12, says="the first step is only")
claim(first_ratio, approx=0.1, rel=1e-12, says="times GD's step")

# %%
momentum = OPTIMIZERS["momentum"]
print(momentum)
lib_params = {"W": np.array([1.0]), "b": np.array([0.5])}
state = momentum.init(lib_params)
for _ in range(2):
    lib_params, state = momentum.update(lib_params, grads, state, lr=eta, beta=beta)
print(f"library after t = {state.t}: v_dW = {state.v['dW'][0]:.4f}, W = {lib_params['W'][0]:.4f}"
      f"   v_db = {state.v['db'][0]:.4f}, b = {lib_params['b'][0]:.4f}")
print("same as the hand-written loop:",
      all(np.array_equal(lib_params[k], params[k]) for k in params))

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Two sanity checks.** With $\beta = 0$ the average is just the latest gradient, so momentum
# *is* plain gradient descent. And on a steady slope (a constant gradient, the most consistent
# direction there is) $v_{dW}$ climbs to $dW$ itself, so at equal $\eta$ the step settles at
# GD's step $\eta\, dW$: in this form momentum does not make steps bigger, it makes them
# *steadier*. It even falls behind: $v$ starts at 0, so momentum ends up
# $\beta/(1-\beta) = 9$ GD steps behind GD (for $\beta = 0.9$), and on a constant slope it never
# catches up. Where the speed-up of momentum comes from is the subject of the next two sections.

# %% tags=["slides-output-only"]
gd_path = run_path(bowl, "gd", steps=100, lr=0.03).path
mom0_path = run_path(bowl, "momentum", steps=100, lr=0.03, beta=0.0).path
beta0_gap = np.abs(gd_path - mom0_path).max()
print(f"momentum with β = 0 vs GD, 100 steps: max |difference| = {beta0_gap:.1e}")

state = momentum.init({"W": np.zeros(1)})
w = {"W": np.zeros(1)}
slope, n_steps = 2.0, 100
for _ in range(n_steps):
    w_before = w["W"][0]
    w, state = momentum.update(w, {"dW": np.array([slope])}, state, lr=eta, beta=beta)
last_step = w_before - w["W"][0]
gd_step = eta * slope                           # GD's step: the same every time on this slope
lag = n_steps - (-w["W"][0]) / gd_step          # how many GD steps momentum is behind
print(f"constant dW = {slope:g}, η = {eta}: after {n_steps} steps v_dW = {state.v['dW'][0]:.6f}")
print(f"momentum's last step / GD's step = {last_step / gd_step:.6f};  "
      f"momentum is {lag:.4f} GD steps behind GD (β/(1−β) = {beta / (1 - beta):.4f})")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(beta0_gap == 0.0, says="so momentum *is* plain gradient descent")
claim(last_step / gd_step, approx=1.0, rel=1e-3,
      says=r"at equal $\eta$ the step settles at GD's step $\eta\, dW$")
claim(lag, approx=beta / (1 - beta), rel=1e-3, says="GD steps behind GD")
claim(lag, approx=9, rel=1e-3, says="GD steps behind GD")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Paths on an ill-conditioned bowl
#
# Now without noise: a quadratic bowl 50 times steeper across its valley than along it (its
# curvatures, the eigenvalues $\lambda$ of its Hessian, are 1 and 50). Gradient
# descent's learning rate is capped by the steep direction ($\eta < 2/\lambda_{max}$), so near
# that cap it bounces from wall to wall while it crawls along the floor. Same $\eta$, with and
# without momentum:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 8 min**
#
# - **Point:** at equal η momentum beats GD, not because its steady step is bigger but because on a
#   quadratic its rate is set by β: √β ≈ 0.949 per step for every η from 0.026 to 0.76 at β = 0.9,
#   while GD at η = 0.038 shrinks the flat direction by only 0.962; a larger η is safe (GD diverges
#   past 2/λ_max = 0.04, momentum holds up to 19 times that), not faster.
# - **Demo:** the two panels (η = 0.038 for both; η = 0.1, where GD blows up), the table of steps to
#   loss < 1e-6 and reversals, the runs at 0.97× and 1.03× momentum's limit, then the rate table:
#   the same rate for η from 0.03 to 0.5, different step counts only through the first steps.
# - **Ask the room:** "At equal η, is momentum's steady step bigger than GD's?" **Answer:** no,
#   equal in the course's form (1/(1−β) times bigger only in PyTorch's form at equal lr); here it
#   wins because its rate is √β per step, whatever η.
# - **Cut when short:** the last table (β = 0.5 against 0.9: less swing, more zig-zag).

# %% tags=["slides-output-only"]
bowl_H = np.column_stack([bowl.grad([1.0, 0.0]), bowl.grad([0.0, 1.0])])   # Hessian of the bowl
lam_min, lam_max = np.linalg.eigvalsh(bowl_H)
print(f"curvatures λ = {lam_min:.3g} and {lam_max:.3g}; "
      f"GD needs η < 2/λ_max = {2 / bowl.lambda_max:.3f}")
bowl_runs = {
    "GD, η = 0.038": run_path(bowl, "gd", steps=300, lr=0.038, start=corner),
    "momentum, η = 0.038": run_path(bowl, "momentum", steps=300, lr=0.038, beta=0.9,
                                    start=corner),
    "GD, η = 0.1": run_path(bowl, "gd", steps=300, lr=0.1, start=corner),
    "momentum, η = 0.1": run_path(bowl, "momentum", steps=300, lr=0.1, beta=0.9, start=corner),
}
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
names = list(bowl_runs)
for ax, chosen in zip(axes, (names[:2], names[2:])):
    plots.plot_contour(bowl, ax=ax, levels=12, resolution=100, filled=True, alpha=0.5)
    plots.plot_paths(bowl, {n: bowl_runs[n] if bowl_runs[n].diverged else
                            bowl_runs[n].path[:120] for n in chosen}, ax=ax, contour=False)
axes[0].set_title("same η = 0.038 (first 120 steps)")
axes[1].set_title("η = 0.1: too large for GD (first 120 steps)")
plt.show()

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
steep = np.array([-np.sin(np.radians(30.0)), np.cos(np.radians(30.0))])  # across the valley

def steps_to(result, tol=1e-6):
    """First step at which the loss is below tol (None if never)."""
    below = np.nonzero(result.losses < tol)[0]
    return int(below[0]) if below.size else None

def reversals(result):
    """Share of steps whose part across the valley has the opposite sign to the previous one."""
    a = np.diff(result.path, axis=0) @ steep
    return np.mean(np.sign(a[1:]) != np.sign(a[:-1]))

print(f"{'':22s} {'steps to loss < 1e-6':>21s} {'reversals across':>17s}")
for name, res in bowl_runs.items():
    if res.diverged:
        print(f"{name:22s} {res.message}")
        continue
    print(f"{name:22s} {steps_to(res)!s:>21s} {reversals(res):17.0%}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# What the table shows:
#
# - **Same $\eta$**: GD reverses across the valley on every step; momentum's steps mostly keep
#   their direction, and it reaches the target loss sooner (why, below the next cell).
# - **Larger $\eta$**: GD diverges, because the steep direction sets its limit. Momentum does
#   not: it stays stable up to a much larger $\eta$. It has a limit of its own: on a
#   bowl it converges exactly when $\eta < 2(1+\beta)/((1-\beta)\,\lambda_{max})$, which is
#   $(1+\beta)/(1-\beta) = 19$ times GD's limit for $\beta = 0.9$ (the Nesterov section below
#   derives it and checks it). The library quotes it when a run diverges. Just below it momentum
#   converges, just above it momentum diverges too:

# %%
mom_limit = 2 * (1 + beta) / ((1 - beta) * bowl.lambda_max)
print(f"momentum's limit for β = {beta}: η < {mom_limit:.3f} = "
      f"{mom_limit / (2 / bowl.lambda_max):.0f} × GD's limit")
near_limit = {k: run_path(bowl, "momentum", steps=3000, lr=k * mom_limit, beta=beta,
                          start=corner) for k in (0.97, 1.03)}
for k, res in near_limit.items():
    print(f"η = {k} × limit = {k * mom_limit:.3f}: "
          + (res.message if res.diverged else f"converges, loss {res.losses[-1]:.1e} "
             f"after {res.steps_taken} steps"))

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(lam_max / lam_min, approx=50, rel=1e-9, says="50 times steeper across its valley")
claim(reversals(bowl_runs["GD, η = 0.038"]) == 1.0,
      says="GD reverses across the valley on every step")
claim(reversals(bowl_runs["momentum, η = 0.038"]), lt=0.5,
      says="momentum's steps mostly keep their direction")
claim(steps_to(bowl_runs["momentum, η = 0.038"]) < steps_to(bowl_runs["GD, η = 0.038"]),
      says="it reaches the target loss sooner")
claim(bowl_runs["GD, η = 0.1"].diverged and not bowl_runs["momentum, η = 0.1"].diverged,
      says="GD diverges, because the steep direction sets its limit. Momentum does not")
claim(mom_limit / (2 / bowl.lambda_max), approx=19, rel=1e-9, says="times GD's limit")
claim(not near_limit[0.97].diverged and near_limit[1.03].diverged,
      says="Just below it momentum converges, just above it momentum diverges too")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Why is momentum faster at equal $\eta$, if its steady step is GD's?** On a bowl the slope is
# not steady: the gradient changes as $W$ moves. Along each curvature $\lambda$, one step acts on
# the pair $(W, v_{dW})$ as a 2×2 matrix (written out below), and in the long run the error
# shrinks per step by the largest modulus of its eigenvalues (its spectral radius). The product
# of the two eigenvalues is $\beta$, whatever $\eta$, so with a fixed $\beta$ the error can
# shrink no faster than $\sqrt\beta$ per step. With $\beta = 0.9$, every $\eta$ from
# $(1-\sqrt\beta)^2/((1-\beta)\lambda_{min}) \approx 0.026$ to just below the limit 0.76 makes
# both directions spiral in at exactly $\sqrt\beta \approx 0.949$ per step, while GD at
# $\eta = 0.038$ shrinks the flat direction by only 0.962 per step. That is why momentum is
# faster even at equal $\eta$ (on a quadratic its rate is set by $\beta$), and why at
# $\beta = 0.9$ a larger $\eta$ is safe, not faster: the step counts below differ through the
# first steps only, not through the rate ($\eta = 0.1$ is not faster than 0.3 in the long run).
# The rate comes from $\beta$; a larger stable $\eta$ is what lets a smaller $\beta$ work, which
# is the next section's story.

# %% tags=["slides-output-only"]
def iteration_matrix(method, lr, beta, lam):
    """One step of the course's momentum (or Nesterov) on f(w) = λw²/2, acting on (w, v)."""
    if method == "momentum":       # v ← βv + (1−β)λw;  w ← w − η·v   (β = 0: GD)
        return np.array([[1 - lr * (1 - beta) * lam, -lr * beta], [(1 - beta) * lam, beta]])
    # Nesterov: v ← βv + (1−β)λw;  w ← w − η·(βv + (1−β)λw) with the new v
    return np.array([[1 - lr * (1 - beta ** 2) * lam, -lr * beta ** 2],
                     [(1 - beta) * lam, beta]])


def spectral_radius(M):
    return np.abs(np.linalg.eigvals(M)).max()


def rate(lr, beta):
    """The error's long-run shrink factor per step on the bowl: the worse of its two curvatures."""
    return max(spectral_radius(iteration_matrix("momentum", lr, beta, lam))
               for lam in (lam_min, lam_max))


eta_low = (1 - np.sqrt(beta)) ** 2 / ((1 - beta) * lam_min)    # both directions spiral
eta_high = (1 + np.sqrt(beta)) ** 2 / ((1 - beta) * lam_max)   # from eta_low to eta_high
print(f"β = {beta}: √β = {np.sqrt(beta):.4f}; both directions spiral in at √β for "
      f"{eta_low:.4f} ≤ η ≤ {eta_high:.4f} (stable up to {mom_limit:.4f})")
print(f"GD, η = 0.038: rate {rate(0.038, 0.0):.4f} per step, "
      f"steps to loss < 1e-6: {steps_to(bowl_runs['GD, η = 0.038'])}")
mom_steps = {}
for lr in (0.03, 0.038, 0.06, 0.1, 0.2, 0.3, 0.5):
    mom_steps[lr] = steps_to(run_path(bowl, "momentum", steps=400, lr=lr, beta=beta,
                                      start=corner))
    print(f"momentum, η = {lr:<5}: rate {rate(lr, beta):.4f} per step, "
          f"steps to loss < 1e-6: {mom_steps[lr]}")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
inside = np.linspace(eta_low, eta_high, 200)[1:-1]
claim(max(abs(np.linalg.det(iteration_matrix("momentum", lr, beta, lam)) - beta)
          for lr in np.geomspace(1e-3, 10, 50) for lam in (lam_min, lam_max)), lt=1e-12,
      says="The product of the two eigenvalues is")
claim(max(abs(rate(lr, beta) - np.sqrt(beta)) for lr in inside), lt=1e-9,
      says="both directions spiral in at exactly")
claim(min(rate(lr, beta) for lr in np.geomspace(1e-3, mom_limit, 200)), ge=np.sqrt(beta) - 1e-12,
      says="shrink no faster than")
claim(eta_low, approx=0.026, abs_tol=5e-4, says="\\approx 0.026$ to just below the limit 0.76")
claim(eta_high < mom_limit and eta_high / mom_limit > 0.99, says="to just below the limit 0.76")
claim(np.sqrt(beta), approx=0.949, abs_tol=5e-4, says="\\sqrt\\beta \\approx 0.949$ per step")
claim(rate(0.038, 0.0), approx=0.962, abs_tol=5e-4, says="by only 0.962 per step")
claim(rate(0.038, beta) < rate(0.038, 0.0), says="faster even at equal $\\eta$")
claim(mom_steps[0.038] < steps_to(bowl_runs["GD, η = 0.038"]), says="faster even at equal $\\eta$")
claim(abs(rate(0.3, beta) - rate(0.1, beta)) < 1e-9 and mom_steps[0.3] >= mom_steps[0.1],
      says="is not faster than 0.3 in the long run")
claim(len(set(mom_steps.values())) > 1
      and all(abs(rate(lr, beta) - np.sqrt(beta)) < 1e-9 for lr in mom_steps),
      says="not through the rate")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The price of momentum is visible on the right: with $\beta = 0.9$ it carries speed past the
# minimum and swings back (a heavy ball rolling in a bowl). A smaller $\beta$ swings less but
# smooths less; at $\eta = 0.1$:

# %%
along = np.array([np.cos(np.radians(30.0)), np.sin(np.radians(30.0))])   # along the valley
by_beta = {b: run_path(bowl, "momentum", steps=300, lr=0.1, beta=b, start=corner)
           for b in (0.5, 0.9)}
print(f"{'':10s} {'overshoot past the minimum':>27s} {'reversals across':>17s}")
for b, res in by_beta.items():
    print(f"β = {b:<5g} {max((res.path @ along).max(), 0.0):27.3f} {reversals(res):17.0%}")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim((by_beta[0.5].path @ along).max() < (by_beta[0.9].path @ along).max(),
      says=r"A smaller $\beta$ swings less")
claim(reversals(by_beta[0.5]) > reversals(by_beta[0.9]), says="but smooths less")

# %% [markdown]
# Nesterov's variant, at the end of this chapter, is built to reduce the swing.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## How much faster? The √κ speed-up
#
# With $\beta = 0.9$ fixed, momentum's rate on a bowl is $\sqrt\beta$ at best, whatever $\eta$. Its
# speed-up on an ill-conditioned problem comes from choosing $\beta$ and $\eta$ together; in the
# course's units the best $\eta$ turns out larger than GD's, increasingly so as $\kappa$ grows. How much is that worth? Take each method at its
# **best** $\eta$ on a bowl with condition number $\kappa = \lambda_{max}/\lambda_{min}$ and count
# the steps until the error $\lVert W - W^\ast\rVert$ has shrunk by a factor `tol`. The theory
# (Polyak's heavy ball, 1964; Goh's Distill article
# ["Why Momentum Really Works"](https://distill.pub/2017/momentum/) tells the story with
# pictures):
#
# - GD's best $\eta = 2/(\lambda_{min}+\lambda_{max})$ shrinks the error by
#   $(\kappa-1)/(\kappa+1)$ per step: about $\frac{\kappa}{2}\ln(1/\mathrm{tol})$ steps.
# - Momentum with the best $\beta^\ast = \big((\sqrt\kappa-1)/(\sqrt\kappa+1)\big)^2$ and the best
#   $\eta$ shrinks it by $(\sqrt\kappa-1)/(\sqrt\kappa+1)$ per step: about
#   $\frac{\sqrt\kappa}{2}\ln(1/\mathrm{tol})$ steps, $\sqrt\kappa$ times fewer.
#
# Units: the heavy ball is written $W_{t+1} = W_t - \alpha\, dW + \beta\,(W_t - W_{t-1})$, and its
# $\alpha$ is PyTorch's `lr`. The course's EWA form takes exactly these steps with
# $\eta = \alpha/(1-\beta)$ (next section), so the best
# $\alpha^\ast = 4/(\sqrt{\lambda_{max}}+\sqrt{\lambda_{min}})^2$ becomes
# $\eta^\ast = 1/\sqrt{\lambda_{min}\lambda_{max}}$ in the course's units.
#
# The experiment: bowls with $\kappa$ = 10, 100 and 1000, rotated by 45° (a fair test: the
# valley is not lined up with the axes, which later chapters' per-coordinate methods would
# exploit); a start with the same error along both axes of the bowl; `tol = 1e-6`; $\eta$ tuned
# for each method on the same grid of 121 values from 1e-4 to 1 (30 per decade), for GD and for
# momentum with $\beta = \beta^\ast$. All grid values run at once, as the rows of one array (the
# course's update, written for many rows); the winners are then re-run with the library's
# `run_path`, which must count the same steps.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** momentum's real speed-up needs β tuned to κ and each method at its best η: then it
#   takes about √κ times fewer steps than GD (measured 2.7, 7.8 and 21.7 times fewer at κ = 10, 100
#   and 1000, a little below √κ); with β fixed at 0.9 it needs 250 to 274 steps whatever κ and loses
#   to GD at κ = 10.
# - **Demo:** run the race cell (121 η values, 1e-4 to 1, tuned for GD and for momentum with β*,
#   bowls rotated 45°) and read the "times fewer steps than GD; √κ" lines, then the "β fixed at 0.9"
#   block.
# - **Ask the room:** "With β fixed at 0.9 and η tuned, can momentum beat GD at κ = 10?" **Answer:**
#   no: the error shrinks no faster than √β per step, whatever η, so it needs 3.5 times more steps
#   than GD there; at κ = 1000 it needs 25 times fewer.
# - **Cut when short:** the double eigenvalue (t·ρ^t) cell and the PyTorch-units paragraph.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
tol = 1e-6
start45 = np.array([-4.0, 0.0])      # equal error along both axes of a bowl rotated by 45°
grid = 1e-4 * 10 ** (np.arange(121) / 30)     # 1e-4 to 1, 30 values per decade


def steps_to_tol(problem, lrs, beta, cap):
    """Course momentum (β = 0: GD) for every lr at once, one row each: the first step from
    which the error |W| stays below tol·|W_0| (cap + 1 if it never does)."""
    H = np.column_stack([problem.grad([1.0, 0.0]), problem.grad([0.0, 1.0])])
    W = np.tile(start45, (len(lrs), 1))
    v = np.zeros_like(W)
    lr = np.asarray(lrs)[:, None]
    last_above = np.zeros(len(lrs), dtype=int)
    target = (tol * np.linalg.norm(start45)) ** 2
    with np.errstate(over="ignore", invalid="ignore"):     # diverging rows turn inf/nan
        for t in range(1, cap + 1):
            v = beta * v + (1 - beta) * (W @ H)            # dW = H W on a quadratic bowl
            W = W - lr * v
            last_above[~((W * W).sum(axis=1) <= target)] = t
    return last_above + 1


def library_steps(problem, name, cap, **hp):
    """The same count for one run of the library's optimizer."""
    err = np.linalg.norm(run_path(problem, name, steps=cap, start=start45, **hp).path, axis=1)
    return int(np.nonzero(~(err <= tol * np.linalg.norm(start45)))[0][-1]) + 1


speedup = {}
print(f"{'κ':>6s} {'method':>9s} {'β':>6s} {'best η':>8s} {'theory η':>9s} {'steps':>6s} "
      f"{'formula':>8s} {'≈ κ/2 or √κ/2 · ln(1/tol)':>26s} {'steps/formula':>14s}")
for kappa in (10.0, 100.0, 1000.0):
    problem = quadratic_bowl(condition=kappa, angle=45.0)
    rate_gd = (kappa - 1) / (kappa + 1)
    rate_mom = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    rows = {"GD": (0.0, rate_gd, 2 / (1 + kappa), kappa / 2),
            "momentum": (rate_mom ** 2, rate_mom, 1 / np.sqrt(kappa), np.sqrt(kappa) / 2)}
    for method, (b, rate, eta_theory, factor) in rows.items():
        formula = np.log(1 / tol) / np.log(1 / rate)        # steps at the best rate
        cap = int(1.5 * formula) + 50                      # generous: 50% above the formula
        counts = steps_to_tol(problem, grid, b, cap)
        i = int(np.argmin(counts))
        flag = " (grid edge!)" if i in (0, len(grid) - 1) else ""
        hp = {"lr": grid[i], "beta": b} if b else {"lr": grid[i]}
        speedup[(kappa, method)] = dict(
            steps=int(counts[i]), lr=grid[i], lr_theory=eta_theory, formula=formula,
            edge=bool(flag), rate=rate, library=library_steps(problem, "momentum" if b else "gd",
                                                              cap, **hp))
        print(f"{kappa:6g} {method:>9s} {b:6.3f} {grid[i]:8.4f} {eta_theory:9.4f} "
              f"{counts[i]:6d} {formula:8.1f} {factor * np.log(1 / tol):26.1f} "
              f"{counts[i] / formula:14.2f}{flag}")
    gain = speedup[(kappa, "GD")]["steps"] / speedup[(kappa, "momentum")]["steps"]
    speedup[kappa] = gain
    print(f"{'':6s} momentum needs {gain:.1f} times fewer steps than GD;  "
          f"√κ = {np.sqrt(kappa):.1f}")
print("library run_path counts the same steps at every winner:",
      all(speedup[(k, m)]["steps"] == speedup[(k, m)]["library"]
          for k in (10.0, 100.0, 1000.0) for m in ("GD", "momentum")))
print("grid-edge winners:",
      [key for key, r in speedup.items() if isinstance(r, dict) and r["edge"]] or "none")

fixed_beta = {}                  # β = 0.9 whatever κ, η tuned on the same grid
print("\nβ fixed at 0.9, η tuned:")
for kappa in (10.0, 100.0, 1000.0):
    counts = steps_to_tol(quadratic_bowl(condition=kappa, angle=45.0), grid, 0.9, 600)
    i = int(np.argmin(counts))
    fixed_beta[kappa] = dict(steps=int(counts[i]), lr=grid[i], edge=i in (0, len(grid) - 1))
    print(f"  κ = {kappa:6g}: best η {grid[i]:.4f}, {counts[i]} steps; GD at its best η: "
          f"{speedup[(kappa, 'GD')]['steps']} steps (GD / momentum = "
          f"{speedup[(kappa, 'GD')]['steps'] / counts[i]:.2f})")
print(f"  steps at the rate √β: ln(1/tol) / ln(1/√0.9) = "
      f"{np.log(1 / tol) / np.log(1 / np.sqrt(0.9)):.0f} whatever κ")

torch_units = {}                 # best lr in PyTorch's units: lr = η·(1 − β)
print("\nbest lr in PyTorch's units, momentum / GD:")
for kappa in (10.0, 100.0, 1000.0):
    mom, gd = speedup[(kappa, "momentum")], speedup[(kappa, "GD")]
    alpha_star = 4 / (np.sqrt(kappa) + 1) ** 2                  # λ_min = 1, λ_max = κ
    torch_units[kappa] = (alpha_star / gd["lr_theory"], mom["lr"] * (1 - mom["rate"] ** 2) / gd["lr"])
    print(f"  κ = {kappa:6g}: theory α* / GD's best = {torch_units[kappa][0]:.2f}, "
          f"grid winners {torch_units[kappa][1]:.2f};  in the course's units η / η_GD = "
          f"{mom['lr'] / gd['lr']:.1f}; momentum's best η / GD's limit 2/λ_max = "
          f"{mom['lr_theory'] / (2 / kappa):.1f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# What the table shows:
#
# - **GD** at its best grid $\eta$ needs within 5% of the formula's steps at every $\kappa$.
# - **Momentum** needs more steps than its formula, from about 1.3 to 1.4 times as many. The
#   formula counts the rate per step only. With $\beta^\ast$ and $\eta^\ast$, the 2×2 matrix of one
#   momentum step (on $W$ and $v$, for one curvature) has a double eigenvalue, and then the error
#   falls like $t\,\rho^t$ rather than $\rho^t$. Solving $t\,\rho^t = \mathrm{tol}$ instead gives
#   step counts within 5% of the measured ones (below).
# - **The speed-up grows like $\sqrt\kappa$**, and stays below it: momentum needs 2.7, 7.8 and 21.7
#   times fewer steps than GD where $\sqrt\kappa$ is 3.2, 10 and 31.6, that is 16 % below
#   $\sqrt\kappa$ at $\kappa = 10$ and 31 % below at $\kappa = 1000$ (the factor $t$ in
#   $t\,\rho^t$). From $\kappa = 10$ to 1000 ($\sqrt\kappa$ ten times larger) the measured
#   speed-up grows about 8-fold.
# - **Only with $\beta$ tuned to $\kappa$.** With $\beta$ fixed at 0.9 ($\eta$ still tuned), the
#   error can shrink no faster than $\sqrt\beta$ per step, whatever $\eta$: momentum needs 250 to
#   274 steps at every $\kappa$, 3.5 times more than GD at $\kappa = 10$, 2.8 and 25 times fewer
#   at $\kappa$ = 100 and 1000.
# - **Where it comes from:** the best $\eta$ found on the grid sits within 8% (the grid's spacing)
#   of the theory's, and momentum's best $\eta$ is larger than GD's, increasingly so with
#   $\kappa$: about $(1+\kappa)/(2\sqrt\kappa)$ times ($\approx \sqrt\kappa/2$ for large
#   $\kappa$), and $\sqrt\kappa/2$ times the
#   largest $\eta$ GD survives ($2/\lambda_{max}$). In the course's units
#   ($\eta = \mathrm{lr}/(1-\beta)$) the story reads: at equal $\eta$, momentum's steady step on a
#   constant slope equals GD's (steadier, not bigger); on an ill-conditioned problem its speed-up
#   comes from choosing $\beta$ and $\eta$ together, and the best pair uses an $\eta$ far larger
#   than GD could survive. That is a statement in the course's units: in PyTorch's units the best
#   `lr` is less than twice GD's best (in theory 1.3 to 1.9 times for these $\kappa$); the gain
#   sits in the $\beta\,(W_t - W_{t-1})$ term of the heavy ball.

# %% slideshow={"slide_type": "subslide"}
double_root = {}                # iteration_matrix: written out in the bowl section above
for kappa in (10.0, 100.0, 1000.0):
    rate = speedup[(kappa, "momentum")]["rate"]
    eig = [np.linalg.eigvals(iteration_matrix("momentum", 1 / np.sqrt(kappa), rate ** 2, lam))
           for lam in (1.0, kappa)]
    t = np.arange(1, 100_000)
    estimate = int(t[np.argmax(t * rate ** t <= tol)])       # first t with t·ρ^t ≤ tol
    double_root[kappa] = (eig, estimate)
    print(f"κ = {kappa:6g}: eigenvalues at β*, η* for λ_min: {np.round(eig[0].real, 4)}, "
          f"for λ_max: {np.round(eig[1].real, 4)} (ρ = {rate:.4f});  "
          f"t·ρ^t = tol at t = {estimate}, measured {speedup[(kappa, 'momentum')]['steps']}")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
kappas = (10.0, 100.0, 1000.0)
gd_ratio = [speedup[(k, "GD")]["steps"] / speedup[(k, "GD")]["formula"] for k in kappas]
mom_ratio = [speedup[(k, "momentum")]["steps"] / speedup[(k, "momentum")]["formula"]
             for k in kappas]
claim(max(abs(r - 1) for r in gd_ratio), lt=0.05,
      says="needs within 5% of the formula's steps at every")
claim(min(mom_ratio), approx=1.3, abs_tol=0.05, says="from about 1.3 to 1.4 times as many")
claim(max(mom_ratio), approx=1.4, abs_tol=0.05, says="from about 1.3 to 1.4 times as many")
claim(all(np.allclose(e[0], e[1]) and np.allclose(np.abs(e), speedup[(k, "momentum")]["rate"])
          for k, (eigs, _) in double_root.items() for e in eigs),
      says="has a double eigenvalue")
claim(max(abs(est / speedup[(k, "momentum")]["steps"] - 1) for k, (_, est) in double_root.items()),
      lt=0.05, says="step counts within 5% of the measured ones")
for k, promised in zip(kappas, (2.7, 7.8, 21.7)):
    claim(speedup[k], approx=promised, abs_tol=0.05, says="momentum needs 2.7, 7.8 and 21.7")
    claim(speedup[k] < np.sqrt(k), says="and stays below it")
claim(100 * (1 - speedup[10.0] / np.sqrt(10.0)), approx=16, abs_tol=0.5, says="that is 16 % below")
claim(100 * (1 - speedup[1000.0] / np.sqrt(1000.0)), approx=31, abs_tol=1,
      says="31 % below at")
claim(1 - speedup[10.0] / np.sqrt(10.0) < 1 - speedup[100.0] / np.sqrt(100.0)
      < 1 - speedup[1000.0] / np.sqrt(1000.0), says="and stays below it")
fb = [fixed_beta[k]["steps"] for k in kappas]
claim(min(fb), approx=250, abs_tol=0, says="momentum needs 250 to")
claim(max(fb), approx=274, abs_tol=0, says="274 steps at every")
claim(not any(fixed_beta[k]["edge"] for k in kappas), says="($\\eta$ still tuned)")
claim(fixed_beta[10.0]["steps"] / speedup[(10.0, "GD")]["steps"], approx=3.5, abs_tol=0.05,
      says="3.5 times more than GD at")
claim(speedup[(100.0, "GD")]["steps"] / fixed_beta[100.0]["steps"], approx=2.8, abs_tol=0.05,
      says="2.8 and 25 times fewer")
claim(speedup[(1000.0, "GD")]["steps"] / fixed_beta[1000.0]["steps"], approx=25, abs_tol=0.5,
      says="2.8 and 25 times fewer")
for k in kappas:
    claim(speedup[(k, "momentum")]["lr_theory"] / (2 / k), approx=np.sqrt(k) / 2, rel=1e-12,
          says="largest $\\eta$ GD survives")
    claim(speedup[(k, "momentum")]["lr"] > 2 / k, says="than GD could survive")
claim(max(max(r) for r in torch_units.values()), lt=2, says="is less than twice GD's best")
claim(torch_units[10.0][0], approx=1.3, abs_tol=0.05, says="1.3 to 1.9 times for these")
claim(torch_units[1000.0][0], approx=1.9, abs_tol=0.05, says="1.3 to 1.9 times for these")
claim(speedup[1000.0] / speedup[10.0], approx=8, rel=0.15,
      says="the measured speed-up grows about 8-fold")
claim(all(abs(r["lr"] / r["lr_theory"] - 1) < 0.08
          for r in speedup.values() if isinstance(r, dict)),
      says="sits within 8% (the grid's spacing)")
for k in kappas:
    rate = speedup[(k, "momentum")]["rate"]
    alpha_star = 4 / (np.sqrt(k) + np.sqrt(1.0)) ** 2           # λ_min = 1, λ_max = κ
    claim(alpha_star / (1 - rate ** 2), approx=1 / np.sqrt(1.0 * k), rel=1e-12,
          says="in the course's units")
claim(all(not r["edge"] and r["steps"] == r["library"] for r in speedup.values()
          if isinstance(r, dict)), says="which must count the same steps")
for k in kappas:
    claim(speedup[(k, "momentum")]["lr"] / speedup[(k, "GD")]["lr"],
          approx=(1 + k) / (2 * np.sqrt(k)), rel=0.15,
          says=r"momentum's best $\eta$ is larger than GD's, increasingly so with")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Frameworks: v = μ·v + g
#
# The course writes momentum as an EWA, with the $(1-\beta)$: that is the convention of
# Andrew Ng's Deep Learning Specialization, which this course follows. PyTorch's `SGD`, d2l
# (*Dive into Deep Learning*) and many papers write it without the $(1-\beta)$:
#
# $$v = \mu\, v + dW, \qquad W = W - \mathrm{lr}\cdot v .$$
#
# (Sutskever et al., 2013, and Keras put the learning rate inside the buffer,
# $v = \mu v - \mathrm{lr}\cdot dW$, $W = W + v$: for a constant learning rate that is the same
# as PyTorch's form.) Neither is "the" momentum; they are conventions, and the
# [notation page](../docs/notation.md) lists them.
#
# It is the same method in other units. Multiply the course's EWA by $1/(1-\beta)$: with
# $v^{fw} = v_{dW}/(1-\beta)$ the course's rule becomes $v^{fw} = \beta\, v^{fw} + dW$ and
# $W = W - \eta(1-\beta)\, v^{fw}$. So
#
# $$\text{course momentum } (\eta, \beta) \;=\; \text{framework momentum with }
# \mathrm{lr} = \eta\,(1-\beta),\ \mu = \beta .$$
#
# Here is the framework form in a few lines of NumPy, run for 100 steps next to the library's
# course form:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** PyTorch's and d2l's v = μ·v + g is the same method in other units: course (η, β) =
#   framework with lr = η·(1−β), μ = β, step for step (the gap is float64 rounding); the framework's
#   v settles at dW/(1−μ), so plugging the course's η in unchanged makes steady steps 10 times
#   larger at β = 0.9.
# - **Demo:** the 100-step comparison of the two forms, then the constant-dW cell: course v → 1,
#   framework v → 10, and the unconverted run blowing up.
# - **Ask the room:** "A paper uses SGD(lr=0.1, momentum=0.9) in PyTorch. Which η is that in our
#   formula?" **Answer:** η = lr/(1−β) = 0.1/0.1 = 1.0.
# - **Cut when short:** the `dampening` trap paragraph.

# %% tags=["slides-output-only"]
def framework_momentum(problem, *, lr, mu, steps, start):
    """v = mu * v + dW;  W = W - lr * v  (the PyTorch convention), from v = 0."""
    W, v = np.array(start, dtype=float), np.zeros(2)
    path = [W.copy()]
    for _ in range(steps):
        dW = problem.grad(W)
        v = mu * v + dW
        W = W - lr * v
        path.append(W.copy())
    return np.array(path)

eta, beta = 0.1, 0.9
course = run_path(bowl, "momentum", steps=100, lr=eta, beta=beta, start=corner).path
framework = framework_momentum(bowl, lr=eta * (1 - beta), mu=beta, steps=100, start=corner)
print(f"course (η = {eta}, β = {beta}) vs framework (lr = η·(1−β) = {eta * (1 - beta):g}, "
      f"μ = {beta}):")
gap = np.abs(course - framework).max()
print(f"max |difference| over 100 steps = {gap:.1e}, relative to the size of W: "
      f"{gap / np.abs(course).max():.1e} (float64 rounding: {np.finfo(float).eps:.1e})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# A difference at the level of float64 rounding (a few units of the last of its 16
# significant digits): the two forms take the same steps. The
# mapping matters when you copy hyperparameters between a paper, this course and a framework.
# Plug the course's $\eta$ straight into the framework form and every step along a steady slope
# is $1/(1-\beta)$ times larger (10 times for $\beta = 0.9$), because the framework's $v$ settles
# at $dW/(1-\mu)$ instead of $dW$. That is where the saying "momentum makes bigger steps" comes
# from: it is true of the framework form at equal `lr`, not of the course's form at equal $\eta$.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(gap / np.abs(course).max(), lt=10 * np.finfo(float).eps,
      says="A difference at the level of float64 rounding")

# %%
g = 1.0
v_course = v_frame = 0.0
for _ in range(200):
    v_course = beta * v_course + (1 - beta) * g
    v_frame = beta * v_frame + g
print(f"constant dW = {g}: course v → {v_course:.4f},  framework v → {v_frame:.4f} "
      f"(= dW/(1−μ) = {g / (1 - beta):.4f})")
print(f"steady step at equal lr = η = {eta}: framework / course = "
      f"{(eta * v_frame) / (eta * v_course):.4f}")
naive = framework_momentum(bowl, lr=eta, mu=beta, steps=100, start=corner)
print(f"framework form with lr = η = {eta} (no conversion): |W| after 100 steps = "
      f"{np.linalg.norm(naive[-1]):.3g}  (course form: {np.linalg.norm(course[-1]):.3g})")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(v_frame / v_course, approx=1 / (1 - beta), rel=1e-9,
      says="is $1/(1-\\beta)$ times larger")
claim(v_frame / v_course, approx=10, rel=1e-9, says="10 times for")
claim(np.linalg.norm(naive[-1]) > 1e6 * np.linalg.norm(corner),
      says="Plug the course's $\\eta$ straight into the framework form")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **PyTorch itself.** `torch.optim.SGD(lr=η·(1−β), momentum=β)` is exactly this framework form,
# so it takes the course's steps too. You do not need PyTorch to follow this course:
# [Chapter 10](10_choosing_an_optimizer.ipynb) runs every course optimizer side by side with its
# `torch.optim` counterpart when PyTorch is installed, and the course's test suite
# (`tests/test_torch_parity.py`) checks, step for step, that the course's momentum and Nesterov
# follow the same path as `torch.optim.SGD` with this mapping. One trap: PyTorch's `dampening`
# argument ($v = \mu v + (1-\text{dampening})\,g$) with `dampening=β` looks like the EWA form,
# but PyTorch starts its buffer at the first raw gradient instead of at 0, so the first steps
# differ; `lr = η·(1−β)` with no dampening is the exact match.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Beyond the lecture: Nesterov
#
# Momentum first computes the gradient where it stands, then moves along the average. Nesterov's
# idea: the average is going to carry us anyway, so measure the gradient at the point where
# momentum is about to take us, a **look-ahead**, and correct the course earlier. Written as a
# look-ahead (the form in which Sutskever et al., 2013, brought Nesterov's method to deep
# learning; here in the course's units):
#
# $$v_{dW} = \beta\, v_{dW} + (1-\beta)\, dW\big(W - \eta\,\beta\, v_{dW}\big), \qquad
#   W = W - \eta\, v_{dW}.$$
#
# This course (like PyTorch's `nesterov=True`) uses an equivalent form that needs the gradient
# only at the current point (it tracks the look-ahead point itself):
#
# $$v_{dW} = \beta\, v_{dW} + (1-\beta)\, dW, \qquad
#   W = W - \eta\,\big(\beta\, v_{dW} + (1-\beta)\, dW\big).$$
#
# The step looks one EWA update further along $v$. That the two are the same method is a claim
# we can test: run the look-ahead form in NumPy, record its look-ahead points
# $W - \eta\beta v_{dW}$, and compare them with the library's `nesterov`. (That the library's
# `nesterov` matches `torch.optim.SGD(lr=η·(1−β), momentum=β, nesterov=True)` is checked by the
# course's tests, as for momentum.)

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** Nesterov measures the gradient at the look-ahead point W − η·β·v: it overshoots less,
#   but its stable range is 1 + 2β = 2.8 times narrower (on this bowl the limits are 0.76 for
#   momentum and 0.271 for Nesterov), so at η = 0.3 only Nesterov diverges.
# - **Demo:** the race table (η = 0.038, 0.1, 0.3: steps and overshoot) and the loss curves at η =
#   0.1; then the limits by bisection next to the formulas.
# - **Ask the room:** "What does Nesterov change?" **Answer:** where the gradient is measured (at
#   the look-ahead point), which brakes earlier, and a stable range of η that is 1 + 2β times
#   narrower.
# - **Cut when short:** the whole section: it is beyond the lecture; give the one-line answer above
#   and set it as reading.

# %% tags=["slides-output-only"]
def lookahead_nesterov(problem, *, lr, beta, steps, start):
    """The gradient is taken at the look-ahead point W - lr*beta*v; returns those points."""
    W, v = np.array(start, dtype=float), np.zeros(2)
    points = [W.copy()]
    for _ in range(steps):
        dW = problem.grad(W - lr * beta * v)          # look ahead before measuring the slope
        v = beta * v + (1 - beta) * dW
        W = W - lr * v
        points.append(W - lr * beta * v)
    return np.array(points)

look = lookahead_nesterov(bowl, lr=0.1, beta=0.9, steps=100, start=corner)
lib = run_path(bowl, "nesterov", steps=100, lr=0.1, beta=0.9, start=corner).path
look_gap = np.abs(look - lib).max()
print(f"look-ahead form vs library nesterov, 100 steps: max |difference| = {look_gap:.1e}")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(look_gap, lt=1e-12, says="That the two are the same method")

# %% [markdown]
# Does the look-ahead help? Race momentum and Nesterov on the same bowl, and measure the
# overshoot: how far past the minimum each one swings along the valley.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
race = {}
print(f"{'':22s} {'steps to loss < 1e-6':>21s} {'overshoot':>10s}")
for lr in (0.038, 0.1, 0.3):
    for name in ("momentum", "nesterov"):
        res = run_path(bowl, name, steps=300, lr=lr, beta=0.9, start=corner)
        race[(name, lr)] = res
        label = f"{name}, η = {lr}"
        if res.diverged:
            print(f"{label:22s} diverged at step {res.steps_taken + 1}")
        else:
            print(f"{label:22s} {steps_to(res)!s:>21s} {(res.path @ along).max():10.3f}")

fig, ax = plt.subplots(figsize=(8, 3.5))
plots.plot_loss_curves({n: race[(n, 0.1)] for n in ("momentum", "nesterov")}, ax=ax,
                       f_min=0.0)
ax.set_title("η = 0.1, β = 0.9")
plt.show()

# %% slideshow={"slide_type": "subslide"}
both = [lr for lr in (0.038, 0.1, 0.3)
        if not race[("momentum", lr)].diverged and not race[("nesterov", lr)].diverged]
less = all((race[("nesterov", lr)].path @ along).max() < (race[("momentum", lr)].path @ along).max()
           for lr in both)
only_momentum = [lr for lr in (0.038, 0.1, 0.3)
                 if race[("nesterov", lr)].diverged and not race[("momentum", lr)].diverged]
display(Markdown(
    f"Nesterov overshoots less than momentum at every η where both converge "
    f"({', '.join(map(str, both))}): **{less}**. "
    f"Nesterov diverges where momentum still converges at η = "
    f"{', '.join(map(str, only_momentum)) or 'none of the tested rates'}."))

# %% [markdown] slideshow={"slide_type": "subslide"}
# So read the table before believing a slogan. The look-ahead brakes earlier, so Nesterov swings
# less past the minimum; but the same look-ahead makes it *less* tolerant of a large $\eta$ on
# the steep direction, where it diverges first. "Nesterov is always better" is not what the
# experiment says.
#
# **How large may $\eta$ be?** On a quadratic, each curvature $\lambda$ of the bowl is a direction
# of its own, and one step of momentum or Nesterov acts on the pair $(W, v)$ of that direction as a
# 2×2 matrix (`iteration_matrix`, written out in the section on the ill-conditioned bowl). The method converges
# exactly when both eigenvalues of that matrix have modulus below 1. Working out where the first
# one reaches $-1$ gives, for the course's EWA forms,
#
# $$\text{momentum: } \eta < \frac{2(1+\beta)}{(1-\beta)\,\lambda}, \qquad
#   \text{Nesterov: } \eta < \frac{2(1+\beta)}{(1+2\beta)(1-\beta)\,\lambda},$$
#
# with $\lambda = \lambda_{max}$ the binding one. Nesterov's range is $1+2\beta$ times narrower:
# 2.8 times for $\beta = 0.9$. On this bowl ($\lambda_{max} = 50$) the limits are 0.76 and 0.271,
# so $\eta = 0.3$ lies between them, as the race found. (In PyTorch's units multiply by
# $1-\beta$: `lr` $< 2(1+\mu)/\lambda$ for momentum, $2(1+\mu)/((1+2\mu)\lambda)$ for Nesterov.)
# Do not trust the formulas: the cell below finds each limit by bisection on the spectral radius
# of the matrix, checks the matrix against the library's own steps, and runs the library just
# below and just above each limit.

# %% tags=["slides-output-only"]
def bisect_limit(method, beta, lam):
    """The largest η for which the spectral radius stays below 1 (bisection)."""
    lo, hi = 0.0, 100.0
    for _ in range(100):
        mid = (lo + hi) / 2
        stable = spectral_radius(iteration_matrix(method, mid, beta, lam)) < 1
        lo, hi = (mid, hi) if stable else (lo, mid)
    return lo


lam = bowl.lambda_max
formula_limit = {"momentum": 2 * (1 + beta) / ((1 - beta) * lam),
                 "nesterov": 2 * (1 + beta) / ((1 + 2 * beta) * (1 - beta) * lam)}
limits, matrix_gap, near, lowest = {}, {}, {}, {}
for method, f in formula_limit.items():
    limits[method] = bisect_limit(method, beta, lam)
    at_limit = np.linalg.eigvals(iteration_matrix(method, limits[method], beta, lam))
    lowest[method] = at_limit.real.min()
    # the matrix against the library: 20 steps on f(w) = λw²/2 from w = 1, v = 0
    opt, lr_test = OPTIMIZERS[method], 0.5 * f
    w1, st = {"W": np.array([1.0])}, OPTIMIZERS[method].init({"W": np.array([1.0])})
    for _ in range(20):
        w1, st = opt.update(w1, {"dW": lam * w1["W"]}, st, lr=lr_test, beta=beta)
    M20 = np.linalg.matrix_power(iteration_matrix(method, lr_test, beta, lam), 20)
    by_matrix = M20 @ [1.0, 0.0]
    matrix_gap[method] = abs(by_matrix[0] - w1["W"][0]) + abs(by_matrix[1] - st.v["dW"][0])
    near[method] = {k: run_path(bowl, method, steps=3000, lr=k * f, beta=beta, start=corner)
                    for k in (0.97, 1.03)}
    print(f"{method:9s} formula η < {f:.4f}   bisection {limits[method]:.4f}   "
          f"eigenvalues there {np.round(at_limit.real, 4)}   "
          f"matrix = library to 1e-12: {matrix_gap[method] < 1e-12}   "
          f"0.97×: {'diverges' if near[method][0.97].diverged else 'converges'}, "
          f"1.03×: {'diverges' if near[method][1.03].diverged else 'converges'}")
print(f"momentum's limit / Nesterov's = {limits['momentum'] / limits['nesterov']:.4f} "
      f"(1 + 2β = {1 + 2 * beta:g})")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
for method in ("momentum", "nesterov"):
    claim(limits[method], approx=formula_limit[method], rel=1e-9,
          says="Working out where the first")
    claim(matrix_gap[method], lt=1e-12, says="as a 2×2 matrix")
    claim(lowest[method], approx=-1.0, abs_tol=1e-6, says="where the first one reaches $-1$")
    claim(not near[method][0.97].diverged and near[method][1.03].diverged,
          says="runs the library just below and just above each limit")
claim(limits["momentum"] / limits["nesterov"], approx=1 + 2 * beta, rel=1e-9,
      says="Nesterov's range is $1+2\\beta$ times narrower")
claim(limits["momentum"] / limits["nesterov"], approx=2.8, rel=1e-9, says="2.8 times for")
claim(limits["momentum"], approx=0.76, rel=1e-9, says="the limits are 0.76 and 0.271")
claim(limits["nesterov"], approx=0.271, abs_tol=5e-4, says="the limits are 0.76 and 0.271")
claim(limits["nesterov"] < 0.3 < limits["momentum"], says="lies between them, as the race found")
claim(race[("nesterov", 0.3)].diverged and not race[("momentum", 0.3)].diverged,
      says="lies between them, as the race found")
claim(less, says="Nesterov swings less past the minimum")
claim(only_momentum == [0.3], says="where it diverges first")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# The playground runs GD, momentum and Nesterov on the same bowl. Things to try: set momentum's
# $\beta$ to 0 at its $\eta = 0.1$: it blows up, because with $\beta = 0$ it is GD, and 0.1 is
# past GD's limit of 0.04; lower its $\eta$ to GD's 0.038 and its path becomes GD's (as measured
# above). So $\beta = 0.9$ is what lets momentum survive $\eta = 0.1$. Raise GD's $\eta$ past
# 0.04 and momentum's to 0.3 (it holds), then Nesterov's to 0.3 (past its limit of 0.271). Questions to
# explore: what happens to the swing when $\beta$ goes to 0.99, and to the zig-zag when it goes
# to 0.5? Which $\beta$ reaches the minimum in the fewest steps at $\eta = 0.1$?

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** the stability limits and the role of β, live: momentum survives an η that GD cannot,
#   Nesterov less so.
# - **Demo:** the playground on this bowl (GD η = 0.038, momentum and Nesterov η = 0.1, 150 steps,
#   from the corner). Set momentum's β to 0: at η = 0.1 it blows up (β = 0 is GD, and 0.1 is past
#   GD's limit 0.04); lower its η to 0.038 and its path becomes GD's: β = 0.9 is what lets momentum
#   survive η = 0.1. Raise GD's η past 0.04 (it blows up) and momentum's η to about 0.3 (it holds);
#   set Nesterov's η to 0.3 too: it diverges. Then β = 0.99 (swing) and β = 0.5 (zig-zag).
# - **Ask the room:** before setting β to 0: "What does momentum do with β = 0 at η = 0.1?"
#   **Answer:** it is GD at η = 0.1, past GD's limit: it diverges. Later, before moving
#   Nesterov's η to 0.3: "Momentum holds at 0.3. Will Nesterov?" No: its limit on this bowl is
#   0.271, momentum's 0.76.

# %% tags=["nbval-ignore-output"]
from course_lib.widgets import playground

playground(bowl, ["gd", "momentum", "nesterov"], steps=150, start=corner,
           hparams={"gd": {"lr": 0.038}, "momentum": {"lr": 0.1}, "nesterov": {"lr": 0.1}})

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1: the momentum update
#
# Write one momentum step for every parameter in `params`, with the library's signature. Return
# new dicts (do not change the inputs) and a `MomentumState(t + 1, v)`.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** writing the momentum and Nesterov updates from scratch (Nesterov differs only in the
#   step: W = W − η(β·v + (1−β)·dW) with the new v) is what makes the formulas stick.
# - **Demo:** show the two function stubs and the `check(...)` calls; the race cell compares the
#   learner's path with the library's over 150 steps.
# - **Ask the room:** "What must momentum remember between two steps?" **Answer:** one v per
#   parameter and the step count t: `MomentumState(t + 1, v)`.
# - **Cut when short:** set both exercises as homework (10-15 minutes in class).

# %%
def momentum_update(params, grads, state, *, lr, beta):
    """v_dW = β·v_dW + (1 − β)·dW;  W = W − η·v_dW  (for every parameter)."""
    ### BEGIN SOLUTION
    v = {g: beta * state.v[g] + (1 - beta) * grads[g] for g in grads}
    new_params = {k: W - lr * v["d" + k] for k, W in params.items()}
    return new_params, MomentumState(state.t + 1, v)
    ### END SOLUTION

# %%
check("momentum_update", momentum_update)

# %% slideshow={"slide_type": "skip"}
hint("momentum_update")

# %% [markdown]
# Race your function against the library's on the bowl: `run_path(..., update=fn)` runs your
# update on the library's state and hyperparameters. A correct rule follows the same path.

# %% slideshow={"slide_type": "skip"}
try:
    mine = run_path(bowl, "momentum", update=momentum_update, steps=150, lr=0.1, beta=0.9,
                    start=corner)
    ref = run_path(bowl, "momentum", steps=150, lr=0.1, beta=0.9, start=corner)
    print(f"your momentum vs the library's, 150 steps: max |difference| = "
          f"{np.abs(mine.path - ref.path).max():.1e}")
except NotImplementedError:
    print("Write momentum_update above first, then run this cell again.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: Nesterov momentum
#
# Same state as momentum; only the step changes: $W = W - \eta(\beta v_{dW} + (1-\beta)dW)$
# with the *new* $v_{dW}$.

# %%
def nesterov_update(params, grads, state, *, lr, beta):
    """v_dW = β·v_dW + (1 − β)·dW;  W = W − η·(β·v_dW + (1 − β)·dW)."""
    ### BEGIN SOLUTION
    v = {g: beta * state.v[g] + (1 - beta) * grads[g] for g in grads}
    new_params = {k: W - lr * (beta * v["d" + k] + (1 - beta) * grads["d" + k])
                  for k, W in params.items()}
    return new_params, MomentumState(state.t + 1, v)
    ### END SOLUTION

# %%
check("nesterov_update", nesterov_update)

# %% slideshow={"slide_type": "skip"}
hint("nesterov_update")

# %% slideshow={"slide_type": "skip"}
try:
    mine = run_path(bowl, "nesterov", update=nesterov_update, steps=150, lr=0.1, beta=0.9,
                    start=corner)
    ref = run_path(bowl, "nesterov", steps=150, lr=0.1, beta=0.9, start=corner)
    print(f"your Nesterov vs the library's, 150 steps: max |difference| = "
          f"{np.abs(mine.path - ref.path).max():.1e}")
except NotImplementedError:
    print("Write nesterov_update above first, then run this cell again.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# **"Which problem of mini-batch SGD does momentum fix, and how?"** Mini-batch gradients are
# noisy, so the path zig-zags. Momentum steps along an exponentially weighted average of the
# recent gradients (about $1/(1-\beta)$ of them): components that flip sign cancel, components
# that agree survive. In the course's EWA form that makes the steps steadier, not bigger: at
# equal $\eta$, the steady step along a consistent direction is GD's. On an ill-conditioned
# problem its speed-up comes from choosing $\beta$ and $\eta$ together: the best pair uses an
# $\eta$ about $\sqrt\kappa/2$ times the largest GD survives (above it once $\kappa > 4$) and,
# with $\beta$ tuned to $\kappa$, needs about $\sqrt\kappa$ times fewer steps than GD at its
# best $\eta$; with a fixed $\beta$ the error shrinks no faster than $\sqrt\beta$ per
# step, whatever $\eta$. *Interview
# angle:* say which form you mean (in PyTorch's $v = \mu v + g$ the steady step is
# $1/(1-\mu)$ times larger at the same `lr`), and point to the numbers of this chapter, not just
# the analogy of a rolling ball.
#
# **"torch.optim.SGD(momentum=0.9) and your momentum with η = 0.1: same thing?"** Only with
# `lr = η·(1−β)`. PyTorch's buffer is $v = \mu v + g$, which settles at $g/(1-\mu)$, ten times
# the gradient for $\mu = 0.9$; the course's EWA settles at $g$. *Interview angle:* this is the
# classic reason a learning rate copied from a paper "does not work" in another framework.
#
# **"What does Nesterov change?"** Where the gradient is measured: at the look-ahead point
# $W - \eta\beta v_{dW}$ instead of at $W$. It overshoots less; it is not free: on a quadratic
# its stable range of $\eta$ is $1+2\beta$ times narrower than momentum's.
#
# The quiz below draws from the course's question bank: choice and number answers are graded
# at once; for "explain" questions you write your answer, then tick the key points it covered.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** three classic questions; say which form of momentum you mean and back the answer with
#   this chapter's numbers.
# - **Demo:** read each question and let the room answer before revealing the answer; run
#   `quiz(chapter=6)` if time allows.
# - **Ask the room:** "torch.optim.SGD(momentum=0.9) and your momentum with η = 0.1: same thing?"
#   **Answer:** only with lr = η·(1−β) = 0.01; PyTorch's buffer settles at g/(1−μ), ten times the
#   gradient.

# %% tags=["nbval-ignore-output"]
from course_lib.quiz import quiz

quiz(chapter=6)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - **What momentum fixes:** the zig-zag of mini-batch SGD and the wall-to-wall bouncing in
#   narrow valleys. It steps along the EWA of the gradients,
#   $v_{dW} = \beta v_{dW} + (1-\beta) dW$, $W = W - \eta v_{dW}$ (same for $b$).
# - **Steadier, not bigger:** at equal $\eta$, the steady step along a consistent direction is
#   GD's. On a quadratic momentum is stable up to $\eta < 2(1+\beta)/((1-\beta)\lambda_{max})$,
#   and its rate is set by $\beta$ (no faster than $\sqrt\beta$ per step, whatever $\eta$), which
#   can make it faster than GD even at equal $\eta$. Its speed-up on an ill-conditioned bowl comes
#   from choosing $\beta$ and $\eta$ together: the best pair,
#   $\beta^\ast = ((\sqrt\kappa-1)/(\sqrt\kappa+1))^2$ and
#   $\eta^\ast = 1/\sqrt{\lambda_{min}\lambda_{max}}$, uses an $\eta$ about $\sqrt\kappa/2$
#   times the largest GD survives and needs about $\sqrt\kappa$ times fewer steps than GD at its
#   best $\eta$ (measured: 21.7 times at $\kappa = 1000$).
# - **Frameworks:** `SGD(lr = η·(1−β), momentum = β)` is the same method, step for step.
# - **Nesterov** measures the gradient at the look-ahead point: less overshoot, a stable range
#   $1+2\beta$ times narrower, $\eta < 2(1+\beta)/((1+2\beta)(1-\beta)\lambda_{max})$.
# - **What it leaves open:** one learning rate $\eta$ is still shared by every parameter and
#   every step. A steep parameter and a flat one need very different steps, and the step that is
#   right far from the minimum is too big near it. [Chapter 7](07_adagrad.ipynb) gives each
#   parameter its own learning rate, which changes with time: Adagrad.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** momentum makes the steps steadier, not bigger; its speed-up on ill-conditioned
#   problems comes from tuning β and η together; it still shares one η between every parameter and
#   every step.
# - **Demo:** none; read the summary.
# - **Ask the room:** "What does momentum leave open?" **Answer:** one learning rate for every
#   parameter and every step; Chapter 7 (Adagrad) gives each parameter its own.
