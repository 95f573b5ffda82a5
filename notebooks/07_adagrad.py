# %% [markdown] slideshow={"slide_type": "slide"}
# # Chapter 7 · Adagrad (adaptive gradient)
#
# **What you will be able to do**
#
# - explain what "adaptive" means: a learning rate that differs per parameter and shrinks with
#   time;
# - compute Adagrad's accumulator $\alpha_t$ and its effective learning rate
#   $\eta_t = \eta / (\sqrt{\alpha_t} + \epsilon)$ by hand;
# - see a per-coordinate rate as a *diagonal preconditioner*, and say when it helps (curvature
#   aligned with the axes) and when it does not (a bowl turned by 45°);
# - say where $\epsilon$ goes (inside or outside the root: a convention) and when the choice
#   matters;
# - explain, with numbers, why Adagrad stalls after many iterations.
#
# **Where this sits in the story.** Gradient descent, mini-batch SGD and momentum
# ([Chapter 6](06_momentum.ipynb)) all use one learning rate $\eta$ for every parameter and every
# step. On a surface that is steep in one direction and flat in another, that single $\eta$ must
# be small enough for the steep direction, so the flat one crawls. Adagrad gives every parameter
# its own rate, and lets that rate fall as training goes on.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** GD, mini-batch SGD and momentum share one η between every parameter and every step;
#   Adagrad gives each parameter its own rate, which falls as training goes on.
# - **Demo:** none; read the goals and the story so far.
# - **Ask the room:** "On a bowl that is steep in one direction and flat in another, what goes wrong
#   with a single η?" **Answer:** η must be small enough for the steep direction, so the flat one
#   crawls.

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
from course_lib.optimizers import OPTIMIZERS, AdagradState
from course_lib.paths import run_path
from course_lib.problems import get_problem, quadratic_bowl
from course_lib.training import train

adagrad = OPTIMIZERS["adagrad"]
print(adagrad)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A learning rate per parameter and per step
#
# A bowl whose curvature is 50 times larger along $W_2$ than along $W_1$ (its axes are the
# coordinate axes; keep that in mind, the next section turns it). Gradient descent must keep
# $\eta < 2/\lambda_{max}$ for the steep $W_2$, so it bounces along $W_2$ and crawls along $W_1$.
# Adagrad divides each parameter's step by the size of that parameter's past gradients: big
# gradients (the steep $W_2$) get a small rate, small gradients (the flat $W_1$) a large one.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** Adagrad divides each parameter's step by the size of its past gradients: the steep W₂
#   gets a small rate, the flat W₁ a large one (17.6 times larger at t = 100 on this bowl), and it
#   reaches loss < 1e-6 in 47 steps against GD's 206; a rarely active parameter keeps a large rate
#   (3.16 times larger after 100 steps when it is active one step in ten).
# - **Demo:** the effective-rate plot next to the paths, the table of η_t at t = 1, 10, 100; then
#   the hand cases: gradients 3 then 4, every coordinate's first step of size η whatever dW (from
#   (−4, 2) with η = 1 to (−3, 1)); then the sparse-features cell.
# - **Ask the room:** "η = 0.1, the gradients 3 and then 4: what is the effective rate at step 2?"
#   **Answer:** 0.1/√(3² + 4²) = 0.1/5 = 0.02.
# - **Cut when short:** the sparse-features cell (say the sentence, skip the run).

# %% tags=["slides-output-only"]
bowl = get_problem("bowl", condition=50.0)
gd_run = run_path(bowl, "gd", steps=300, lr=0.038)
ada_run = run_path(bowl, "adagrad", steps=300, lr=1.0, record_lr=True)

fig, (ax_path, ax_lr) = plt.subplots(1, 2, figsize=(10, 3.8))
plots.plot_contour(bowl, ax=ax_path, levels=12, resolution=100, filled=True, alpha=0.5)
plots.plot_paths(bowl, {"GD, η = 0.038": gd_run.path[:100],
                        "Adagrad, η = 1": ada_run.path[:100]}, ax=ax_path, contour=False)
ax_path.set_title("first 100 steps")
plots.plot_effective_lr({"Adagrad": ada_run.lr_eff[:100]}, ax=ax_lr)
ax_lr.set_title("Adagrad's effective learning rate per parameter")
plt.show()

# %% slideshow={"slide_type": "subslide"}
def steps_to(result, tol=1e-6):
    """First step at which the loss is below tol (None if never)."""
    below = np.nonzero(result.losses < tol)[0]
    return int(below[0]) if below.size else None

print(f"GD needs η < 2/λ_max = {2 / bowl.lambda_max:.3f}")
print(f"steps to loss < 1e-6: GD {steps_to(gd_run)}, Adagrad {steps_to(ada_run)}")
for t in (1, 10, 100):
    rate = ada_run.lr_eff[t - 1]
    print(f"t = {t:3d}: η_t for W1 = {rate[0]:.4f}, for W2 = {rate[1]:.5f}, "
          f"ratio {rate[0] / rate[1]:.1f}")

# %% [markdown]
# Two things to read in the numbers. **Per parameter:** the flat $W_1$ gets a rate more than
# 10 times larger than the steep $W_2$, because its past gradients were that much smaller; the
# steep direction is damped, the flat one sped up, and on this bowl Adagrad reaches the minimum
# in fewer steps than GD (each with the $\eta$ chosen above; the next section tunes both).
# **Per step:** both rates fall quickly during the first steps, while the gradients are large,
# and then barely move: between $t = 10$ and $t = 100$ they change by less than 2% (here the
# gradients vanish near the minimum, so $\alpha_t$ stops growing).

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
rates = ada_run.lr_eff
claim((rates[:100, 0] / rates[:100, 1]).min(), gt=10, says="more than 10 times larger")
claim(steps_to(ada_run) < steps_to(gd_run),
      says="on this bowl Adagrad reaches the minimum in fewer steps than GD")
claim(np.abs(rates[99] / rates[9] - 1).max(), lt=0.02,
      says="they change by less than 2%")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Small cases you can check by hand. With $\eta = 0.1$ and the gradients 3 and then 4, the rate
# at $t = 2$ is $0.1/\sqrt{3^2 + 4^2}$; and every coordinate's first step has size $\eta$,
# because $\alpha_1 = dW^2$ and $\eta\, dW/\sqrt{dW^2} = \eta \cdot \mathrm{sign}(dW)$, whatever
# the size of $dW$ (as long as $|dW| \gg \epsilon$). The first *step* is $\eta \cdot \mathrm{sign}(dW)$, so with two parameters its
# length is $\eta\sqrt 2$: on the bowl, from $(-4, 2)$ with $\eta = 1$, it lands on $(-3, 1)$.

# %% tags=["slides-output-only"]
params = {"W": np.zeros(1)}
state = adagrad.init(params)
for g in (3.0, 4.0):
    params, state = adagrad.update(params, {"dW": np.array([g])}, state, lr=0.1)
    rate = adagrad.effective_lr(state, lr=0.1)["dW"][0]
    print(f"t = {state.t}: dW = {g:g}, α_t = {state.s['dW'][0]:g}, η_t = {rate:.4f}")

first_steps = []
for g in (1e-3, 1.0, 1e3):
    w, s = adagrad.update({"W": np.zeros(1)}, {"dW": np.array([g])},
                          adagrad.init({"W": np.zeros(1)}), lr=0.01)
    first_steps.append(abs(w["W"][0]))
    print(f"first step with dW = {g:g}: |ΔW| = {first_steps[-1]:.6f}")

first_2d = ada_run.path[1]
print(f"on the bowl: from {bowl.start} to {first_2d}, length "
      f"{np.linalg.norm(first_2d - bowl.start):.4f} = √2 × η")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
for step in first_steps:
    claim(step, approx=0.01, rel=1e-6, says="every coordinate's first step has size")
claim(np.abs(first_2d - np.array([-3.0, 1.0])).max(), lt=1e-9, says="it lands on $(-3, 1)$")
claim(np.linalg.norm(first_2d - bowl.start), approx=np.sqrt(2), rel=1e-9,
      says="with two parameters its length is")

# %% [markdown]
# **Sparse features.** A parameter whose gradient is usually zero (a word that rarely appears, a
# feature that is rarely on) adds little to its $\alpha_t$, so it keeps a large rate for the rare
# moments when it does get a signal. Two parameters, 100 steps: the first gets a gradient of 1
# every step, the second only every tenth step.

# %%
params = {"W": np.zeros(2)}
state = adagrad.init(params)
for t in range(1, 101):
    dW = np.array([1.0, 1.0 if t % 10 == 0 else 0.0])
    params, state = adagrad.update(params, {"dW": dW}, state, lr=0.1)
rate = adagrad.effective_lr(state, lr=0.1)["dW"]
print(f"after 100 steps: α_t = {state.s['dW']}, η_t = {rate.round(4)}")
print(f"the rarely active parameter keeps a rate {rate[1] / rate[0]:.2f} times larger")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A diagonal preconditioner: why the axes matter
#
# Adagrad multiplies each coordinate of the gradient by its own number $\eta_t$. Written with
# matrices, the step is $D_t\, dW$ with $D_t$ a **diagonal** matrix: a *diagonal
# preconditioner*. It can stretch or shrink the step along each coordinate axis (which can turn
# the step away from the gradient), but it cannot mix coordinates, which is what undoing a
# rotated $A$ needs. The ideal preconditioner of a bowl $\tfrac12 W^\top A W$ is $A^{-1}$ (one step
# then lands on the minimum: Newton's method). When the bowl's axes are the coordinate axes,
# $A$ is diagonal and a diagonal $D$ can match it. Turn the bowl by 45° and $A$ has large
# off-diagonal entries that no diagonal matrix can undo.
#
# The numbers: rescale each coordinate so that the diagonal of $A$ becomes 1 (for a 2 × 2
# matrix this is the best diagonal rescaling there is), and compare the condition number
# (largest over smallest curvature) before and after.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 8 min**
#
# - **Point:** a rate per coordinate is a diagonal preconditioner: it can scale the step along each
#   axis but not mix coordinates, so it helps as far as the steep and shallow directions line up
#   with the axes; tuned Adagrad needs 5 steps against tuned GD's 202 on the axis-aligned bowl, 253
#   against 176 on the bowl turned by 45°.
# - **Demo:** the condition before and after the best diagonal rescaling (50 → 1 aligned, 50 → 50 at
#   45°), the tuned race on both bowls, then the angle sweep (0°, 10°, 22.5°, 30°, 45°): Adagrad
#   wins up to 22.5°, GD from 30° on.
# - **Ask the room:** "Adagrad wins easily on the axis-aligned bowl; why not on the bowl rotated by
#   45°?" **Answer:** at 45° both diagonal entries of the curvature are equal, so a per-coordinate
#   rate has nothing to learn; undoing the rotation needs a matrix that mixes coordinates.
# - **Cut when short:** the angle sweep; keep the two extremes.

# %% tags=["slides-output-only"]
def hessian(problem):
    """The constant matrix A of a quadratic bowl, column by column from its gradient."""
    return np.column_stack([problem.grad([1.0, 0.0]), problem.grad([0.0, 1.0])])

bowls = {"axis-aligned": bowl, "rotated 45°": quadratic_bowl(condition=50.0, angle=45)}
kappa = {}
for name, problem in bowls.items():
    A = hessian(problem)
    d = 1 / np.sqrt(np.diag(A))
    scaled = A * np.outer(d, d)                       # D^½ A D^½ with D = diag(1/A_ii)
    kappa[name] = (np.linalg.cond(A), np.linalg.cond(scaled))
    print(f"{name:13s} A = {np.array2string(A, precision=1)}: condition {kappa[name][0]:.1f}, "
          f"after the best diagonal rescaling {kappa[name][1]:.1f}")

# %% [markdown]
# On the axis-aligned bowl the diagonal rescaling makes the bowl round (condition 1); on the
# rotated bowl both diagonal entries of $A$ are equal, so the rescaling changes nothing and the
# condition stays 50.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(kappa["axis-aligned"][1], approx=1.0, rel=1e-9, says="makes the bowl round (condition 1)")
claim(kappa["rotated 45°"][1], approx=50.0, rel=1e-9, says="the condition stays 50")

# %% [markdown]
# Now a race on both bowls, same condition 50, same start. Each method gets its best $\eta$
# from one grid, 81 values from 0.001 to 100 (16 per decade), refined between the best value's
# two neighbours (41 more values): GD's best rate sits just below its divergence limit, and a
# coarse grid would hand it a worse one. We count the steps until the loss is below $10^{-6}$
# (at most 600). A winner at the end of the grid is flagged: a value beyond the grid might do
# better still.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
grid = np.logspace(-3, 2, 81)


def tuned(problem, method):
    """(fewest steps, best η, whether the best is reached at the edge of the grid)."""
    def count(lrs):
        return [steps_to(run_path(problem, method, steps=600, lr=float(lr))) for lr in lrs]
    counts = count(grid)
    n_best, i_best = min((n, i) for i, n in enumerate(counts) if n is not None)  # smallest η if tied
    if n_best in (counts[0], counts[-1]):
        return n_best, grid[i_best], True
    fine = np.linspace(grid[i_best - 1], grid[i_best + 1], 41)
    n_fine, j = min((n, j) for j, n in enumerate(count(fine)) if n is not None)
    return n_fine, fine[j], False


race = {}
print(f"grid: {len(grid)} values, {(len(grid) - 1) // 5} per decade")
print(f"{'':13s} {'method':8s} {'best η':>8s} {'steps':>6s}")
for bowl_name, problem in bowls.items():
    for method in ("gd", "adagrad"):
        race[bowl_name, method] = tuned(problem, method)
        n_best, lr_best, at_edge = race[bowl_name, method]
        edge = " (reached at the edge of the grid)" if at_edge else ""
        print(f"{bowl_name:13s} {method:8s} {lr_best:8.3g} {n_best:6d}{edge}")

fig, axes = plt.subplots(1, 2, figsize=(10, 4))
for ax, (bowl_name, problem) in zip(axes, bowls.items()):
    plots.plot_contour(problem, ax=ax, levels=12, resolution=100, filled=True, alpha=0.5)
    paths = {f"{m}, η = {race[bowl_name, m][1]:.3g}":
             run_path(problem, m, steps=60, lr=float(race[bowl_name, m][1])).path
             for m in ("gd", "adagrad")}
    plots.plot_paths(problem, paths, ax=ax, contour=False)
    ax.set_title(f"{bowl_name}: first 60 steps, tuned η")
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# On the axis-aligned bowl tuned Adagrad needs only a handful of steps, about 40 times fewer
# than tuned GD (and its best count is reached at the edge of the grid, so a larger $\eta$
# might do better still; the other three winners lie inside the grid).
# On the rotated bowl the advantage is gone: tuned Adagrad is slower than tuned GD. GD does not
# care about the rotation (its count changes a little only because the fixed start point sits
# differently on the rotated bowl).
#
# So the win of the first section was a property of the bowl, not of the method: **a
# per-coordinate rate helps as far as the curvature is aligned with the axes.** Neither bowl is
# neutral. The axis-aligned bowl is the best case for a diagonal preconditioner; the bowl turned
# by 45° is the opposite extreme: its two diagonal entries of $A$ are equal, so a per-coordinate
# rate has nothing to learn. Between the two, the same race at a few angles (condition 50, the
# same grid and start), with the condition that is left after the best diagonal rescaling:

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
aligned_ratio = race["axis-aligned", "gd"][0] / race["axis-aligned", "adagrad"][0]
claim(aligned_ratio, approx=40, rel=0.1, says="about 40 times fewer than tuned GD")
claim(race["axis-aligned", "adagrad"][0], le=10, says="needs only a handful of steps")
claim(race["axis-aligned", "adagrad"][2], says="its best count is reached at the edge of the grid")
claim(sum(race[key][2] for key in race) == 1, says="the other three winners lie inside the grid")
claim(race["rotated 45°", "adagrad"][0] > race["rotated 45°", "gd"][0],
      says="On the rotated bowl the advantage is gone: tuned Adagrad is slower than tuned GD")
claim(race["rotated 45°", "gd"][0] / race["axis-aligned", "gd"][0], gt=0.8, lt=1.25,
      says="its count changes a little only because the fixed start point sits differently")

# %%
angles = (0, 10, 22.5, 30, 45)
sweep = {}
print(f"{'angle':>6s} {'condition after rescaling':>26s} {'GD steps':>9s} {'Adagrad steps':>14s}")
for angle in angles:
    problem = quadratic_bowl(condition=50.0, angle=angle)
    A = hessian(problem)
    d = 1 / np.sqrt(np.diag(A))
    known = {0: "axis-aligned", 45: "rotated 45°"}.get(angle)    # raced above already
    counts = [race[known, m][0] if known else tuned(problem, m)[0] for m in ("gd", "adagrad")]
    sweep[angle] = (np.linalg.cond(A * np.outer(d, d)), *counts)
    print(f"{angle:5g}° {sweep[angle][0]:26.1f} {sweep[angle][1]:9d} {sweep[angle][2]:14d}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# As the bowl turns, the condition a diagonal rescaling can leave grows from 1 to 50, and
# Adagrad's step count grows with it; GD's changes little. Adagrad wins up to 22.5° (by a wide
# margin only close to the axes), and from 30° on tuned GD is faster. Real problems are somewhere in between (the
# weights of a network are not the bowl's axes, but sparse features and layers of very different
# scales make the per-coordinate scaling useful). So a fair comparison of optimizers says which
# bowl it uses, and reports both extremes or several angles, as this table does; the rest of the
# course uses the 45° bowl as the hard case for per-coordinate methods and says so.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
conds = [sweep[a][0] for a in angles]
claim(all(np.diff(conds) > 0) and conds[0] < 1 + 1e-9 and abs(conds[-1] - 50) < 1e-6,
      says="grows from 1 to 50")
claim(all(np.diff([sweep[a][2] for a in angles]) > 0), says="Adagrad's step count grows with it")
claim(max(sweep[a][1] for a in angles) / min(sweep[a][1] for a in angles), lt=1.25,
      says="GD's changes little")
claim(all(sweep[a][2] < sweep[a][1] for a in (0, 10, 22.5)), says="Adagrad wins up to 22.5°")
claim(all(sweep[a][2] < 0.5 * sweep[a][1] for a in (0, 10)) and sweep[22.5][2] > 0.5 * sweep[22.5][1],
      says="by a wide margin only close to the axes")
claim(all(sweep[a][1] < sweep[a][2] for a in (30, 45)), says="from 30° on tuned GD is faster")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The Adagrad update
#
# For every parameter separately (the squares, roots and divisions act element by element):
#
# $$\alpha_t = \sum_{i=1}^{t} dW_i^2 = \alpha_{t-1} + dW_t^2,$$
#
# $$\eta_t = \frac{\eta}{\sqrt{\alpha_t} + \epsilon}, \qquad W_t = W_{t-1} - \eta_t\, dW_t ,$$
#
# and the same for $b$ with $db$. $\epsilon$ (here $10^{-10}$) keeps the division finite while
# $\alpha_t$ is still zero. There is no momentum in Adagrad: it steps along the raw gradient. In
# the library the running sum $\alpha_t$ is `state.s["dW"]`; line by line, one step:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** α_t = α_{t−1} + dW², η_t = η/(√α_t + ε), W = W − η_t·dW, element by element, no
#   momentum; ε keeps a zero gradient from computing 0/0, and whether it sits inside or outside the
#   root is a convention that only matters for tiny gradients.
# - **Demo:** the one-step cell (by hand and library identical), the b whose gradient is 0 (step nan
#   without ε, 0 with it); then the ε table and the two runs: with tiny gradients the inside form
#   ends at 3.81 from the minimum against 0.0228.
# - **Ask the room:** "ε inside or outside the root?" **Answer:** a convention: outside in the
#   paper, PyTorch and the course's code, inside in d2l and Keras 3; identical for ordinary
#   gradients, while inside √ε floors the denominator and slows tiny gradients.
# - **Cut when short:** the ε subsection: say the answer above.

# %% tags=["slides-output-only"]
eta, eps = 0.1, 1e-10
params = {"W": np.array([1.0, -2.0]), "b": np.array([0.5])}
grads = {"dW": np.array([0.3, -4.0]), "db": np.array([0.0])}
alpha = {"dW": np.zeros(2), "db": np.zeros(1)}          # α_0 = 0

alpha = {g: alpha[g] + grads[g] ** 2 for g in grads}                # α_t = α_{t-1} + dW²
rate = {g: eta / (np.sqrt(alpha[g]) + eps) for g in grads}          # η_t = η / (√α_t + ε)
mine = {k: p - rate["d" + k] * grads["d" + k] for k, p in params.items()}   # W = W − η_t·dW

lib, lib_state = adagrad.update(params, grads, adagrad.init(params), lr=eta, eps=eps)
for k in params:
    print(f"{k}: by hand {mine[k]}, library {lib[k]}")
print("identical:", all(np.array_equal(mine[k], lib[k]) for k in params))

# %% [markdown]
# Look at $b$: its gradient is exactly 0, so $\alpha_t = 0$ and the rate is $\eta/\epsilon$, a
# huge number, multiplied by a zero gradient: the step is 0, as it should be. Without $\epsilon$
# the same line would compute $0/0$:

# %%
with np.errstate(invalid="ignore", divide="ignore"):
    no_eps = eta * np.zeros(1) / np.sqrt(np.zeros(1))
print(f"step without ε: {no_eps[0]}   step with ε: {(rate['db'] * grads['db'])[0]}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### ε inside or outside the root: a convention
#
# Two forms of the rate are in use, and neither is "the" Adagrad:
#
# - **outside the root**, $\eta/(\sqrt{\alpha_t} + \epsilon)$: the Adagrad paper (Duchi, Hazan
#   & Singer, 2011), PyTorch's `torch.optim.Adagrad`, and this course's code;
# - **inside the root**, $\eta/\sqrt{\alpha_t + \epsilon}$: d2l, and Keras 3's
#   `keras.optimizers.Adagrad` (which also starts its sum above 0; the older tf.keras optimizer
#   of TensorFlow 2 put $\epsilon$ outside).
#
# The [notation page](../docs/notation.md) lists the course's conventions. With the same
# $\epsilon$ the two forms act at different scales: outside, $\epsilon$ only matters when
# $\sqrt{\alpha_t}$ is comparable to $\epsilon = 10^{-10}$; inside, it matters when $\alpha_t$
# is comparable to $\epsilon$, i.e. when the gradients are near $\sqrt{\epsilon} = 10^{-5}$.
# Away from that the two are the same. The length of the first step for gradients of
# different sizes ($\eta = 0.1$; without any $\epsilon$ it would be exactly 0.1):

# %%
print(f"{'|dW|':>8s} {'ε outside':>12s} {'ε inside':>12s} {'inside/outside':>15s}")
eps_ratio = {}
for g in (1.0, 1e-2, 1e-4, 1e-5, 1e-6, 1e-8):
    outside = eta * g / (np.sqrt(g**2) + eps)
    inside = eta * g / np.sqrt(g**2 + eps)
    eps_ratio[g] = inside / outside
    print(f"{g:8.0e} {outside:12.4g} {inside:12.4g} {inside / outside:15.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# For gradients of $10^{-4}$ and more the two forms agree to within 1%; at $|dW| = \sqrt\epsilon$
# the inside form's step is $1/\sqrt 2$ of the outside one's, and below that it collapses.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(min(r for g, r in eps_ratio.items() if g >= 1e-4), gt=0.99,
      says="For gradients of $10^{-4}$ and more the two forms agree to within 1%")
claim(eps_ratio[1e-5], approx=1 / np.sqrt(2), rel=1e-4,
      says="the inside form's step is $1/\\sqrt 2$ of the outside one's")

# %% [markdown]
# The same comparison on whole runs: Adagrad with ε inside the root written as an update
# function, raced against the library's (ε outside) with `run_path(..., update=...)`. First on
# the bowl above (normal gradients), then on the same bowl shrunk so that its gradients are
# about $10^{-8}$ to $10^{-6}$ (a loss measured in tiny units, or a layer whose gradients have
# vanished).

# %% tags=["slides-output-only"]
def adagrad_eps_inside(params, grads, state, *, lr, eps):
    """The inside form (d2l, Keras 3): W = W − η·dW / √(α_t + ε)."""
    s = {g: state.s[g] + grads[g] ** 2 for g in grads}
    new = {k: p - lr * grads["d" + k] / np.sqrt(s["d" + k] + eps) for k, p in params.items()}
    return new, AdagradState(state.t + 1, s)

tiny = get_problem("bowl", condition=50.0, scale=1e-8)
print(f"{'':18s} {'max |path difference|':>22s} {'distance to minimum after 100 steps':>37s}")
eps_race = {}
for name, problem in (("normal gradients", bowl), ("tiny gradients", tiny)):
    outside = run_path(problem, "adagrad", steps=100, lr=0.5)
    inside = run_path(problem, "adagrad", update=adagrad_eps_inside, steps=100, lr=0.5)
    gap = np.abs(outside.path - inside.path).max()
    d_out, d_in = (np.linalg.norm(r.path[-1]) for r in (outside, inside))
    eps_race[name] = (gap, d_out, d_in)
    print(f"{name:18s} {gap:22.1e}   outside {d_out:.3g}, inside {d_in:.3g} "
          f"(start {np.linalg.norm(problem.start):.3g})")

# %% [markdown]
# So the placement of $\epsilon$ is invisible for ordinary gradients (the paths agree to
# $10^{-9}$) and decisive for tiny ones (the inside form ends more than 100 times farther from
# the minimum):
# inside the root, $\sqrt{\epsilon}$ acts as a floor under $\sqrt{\alpha_t}$ and slows every
# parameter whose gradients are smaller than that floor. *Interview angle:* when someone copies
# "the same" optimizer between two code bases and gets different results on a model with very
# small gradients, ε's placement is one of the first things to check.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(eps_race["normal gradients"][0], lt=1e-9, says="the paths agree to $10^{-9}$")
claim(eps_race["tiny gradients"][2] / eps_race["tiny gradients"][1], gt=100,
      says="the inside form ends more than 100 times farther from the minimum")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Why Adagrad stalls
#
# $\alpha_t$ is a sum of squares: it can only grow. With a gradient of constant size $g$,
# $\alpha_t = t\,g^2$ and $\eta_t = \eta/(|g|\sqrt{t})$: the rate keeps falling as long as the
# gradients keep coming, whether or not the minimum is near.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 8 min**
#
# - **Point:** α_t is a sum and only grows, so η_t only falls: with a constant gradient g, η_t =
#   η/(|g|√t); in the uncentred regression Adagrad (η = 0.1) ends 2,000 iterations at b = 8.05
#   instead of 20.66, loss 158.1 against mini-batch SGD's 0.256: W_new ≈ W_old while the gradient is
#   still large.
# - **Demo:** the constant-gradient cell (10 and 100 times smaller rate at t = 100 and 10,000), the
#   stall table and its figure, the run with η = 0.5 (gets through), then the distance budget of
#   about 2η√T: 8.80 for η = 0.1, and b used 91% of it.
# - **Ask the room:** "With a constant gradient g, what is the effective rate at step t?"
#   **Answer:** η/(|g|√t) (ε negligible): a built-in 1/√t schedule, whether or not the minimum is
#   near.
# - **Cut when short:** the η = 0.5 run; keep the stall table and the budget.

# %%
g = 2.0
series = np.full(10_000, g)
rates = eta / (np.sqrt(np.cumsum(series**2)) + eps)
print(f"constant dW = {g:g}: η_t at t = 1 is {rates[0]:.2e}")
for t in (100, 10_000):
    print(f"                 η_t at t = {t:6d} is {rates[t - 1]:.2e} "
          f"({rates[0] / rates[t - 1]:.0f} times smaller)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# In training this is what happens when the gradients stay large for a long time: early in
# training, or when the mini-batch noise keeps every gradient at a certain size. An example: a
# linear regression whose targets are not centred (we add 20 to every target, as if they were
# raw prices or temperatures), trained with mini-batches of 25 records for 100 epochs, with
# mini-batch SGD and with Adagrad. (A linear model keeps the run fast; every weight of a deep
# network obeys the same arithmetic.)

# %% tags=["slides-output-only"]
data = make_regression(n=500, d=2, noise=0.5, rng=0)
y = data.y + 20.0
model = LinearRegression(2)
stall = {
    "mini-batch SGD, η = 0.05": train(model, data.X, y, "gd", batch_size=25, epochs=100, rng=0,
                                      record_path=True, progress=False, lr=0.05),
    "Adagrad, η = 0.1": train(model, data.X, y, "adagrad", batch_size=25, epochs=100, rng=0,
                              record_path=True, record_lr=True, progress=False, lr=0.1),
}
ada = stall["Adagrad, η = 0.1"]
print(f"mean target {y.mean():.2f}, {ada.iterations} iterations")
b_best = np.linalg.lstsq(np.column_stack([data.X, np.ones(len(y))]), y, rcond=None)[0][-1]
print(f"least-squares b = {b_best:.3f}")
print(f"{'iteration':>9s} {'b':>8s} {'|db| full data':>15s} {'η_t for b':>10s} "
      f"{'|b_new − b_old|':>15s} {'relative change of (W, b)':>26s}")
path = np.column_stack([ada.path["W"], ada.path["b"]])
for t in (10, 100, 1000, 2000):
    params_t = {"W": ada.path["W"][t], "b": ada.path["b"][t]}
    db = model.loss_and_grads(params_t, data.X, y)[1]["db"][0]
    step = np.linalg.norm(path[t] - path[t - 1])
    print(f"{t:9d} {path[t, -1]:8.3f} {abs(db):15.3f} {ada.lr_history['db'][t - 1, 0]:10.2e} "
          f"{abs(path[t, -1] - path[t - 1, -1]):15.2e} {step / np.linalg.norm(path[t - 1]):26.1e}")

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
fig, (ax_loss, ax_lr) = plt.subplots(1, 2, figsize=(10, 3.5))
plots.plot_loss_curves(stall, ax=ax_loss, by="epoch")
plots.plot_effective_lr({"Adagrad": ada}, ax=ax_lr)
plots.log_scale(ax_lr, "x")
ax_lr.set_title("Adagrad's η_t keeps falling")
plt.show()

sgd = stall["mini-batch SGD, η = 0.05"]
display(Markdown(
    f"After {ada.iterations:,} iterations mini-batch SGD has reached a loss of "
    f"{sgd.loss_per_epoch[-1]:.3f}; Adagrad is at {ada.loss_per_epoch[-1]:.1f}, with $b$ = "
    f"{ada.params['b'][0]:.2f} instead of {b_best:.2f}. Its gradient is still large, but its "
    f"learning rate for $b$ has fallen to {ada.lr_history['db'][-1, 0]:.1e}, so each step "
    f"changes the parameters by a fraction {np.linalg.norm(path[-1] - path[-2]) / np.linalg.norm(path[-2]):.0e}: "
    f"$W_{{new}} \\approx W_{{old}}$. Between iteration 500 and 2,000 the rate fell by another "
    f"factor {ada.lr_history['db'][499, 0] / ada.lr_history['db'][-1, 0]:.2f}; it will keep "
    f"falling."))

# %% [markdown] slideshow={"slide_type": "subslide"}
# That is the stall: training stops *before* it has converged, not because the slope is gone
# but because $\alpha_t$ has piled up all the squared gradients of the past. Would a larger
# $\eta$ save it? Five times larger:

# %%
bigger = train(model, data.X, y, "adagrad", batch_size=25, epochs=100, rng=0, record_lr=True,
               progress=False, lr=0.5)
for name, res in (("Adagrad, η = 0.1", ada), ("Adagrad, η = 0.5", bigger)):
    lr_b = res.lr_history["db"][:, 0]
    print(f"{name}: b = {res.params['b'][0]:.3f}, loss {res.loss_per_epoch[-1]:.3f}; η_t for b "
          f"at t = 500: {lr_b[499]:.2e}, at t = 2000: {lr_b[-1]:.2e} "
          f"(fell by {lr_b[499] / lr_b[-1]:.2f} in the last 1,500 iterations)")

# %% [markdown]
# The larger $\eta$ gets $b$ to within 0.2 of its target this time: it outruns the stall, and
# once $b$ is there the gradients are small, so its rate hardly falls any more (by less than
# 10% in the last 1,500 iterations, against a factor 1.7 with $\eta = 0.1$). But it does not
# remove the cause. $\eta_t$ can never go back up ($\alpha_t$ is a sum), so $\eta$ has to be guessed to
# match how long and how steep the way is, and any long enough stretch of large gradients brings
# the stall back (the constant-gradient numbers above). The cure is the subject of the next
# chapter: forget old gradients.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
fell = {name: res.lr_history["db"][499, 0] / res.lr_history["db"][-1, 0]
        for name, res in (("small", ada), ("big", bigger))}
claim(abs(bigger.params["b"][0] - b_best), lt=0.2, says="gets $b$ to within 0.2 of its target")
claim(abs(ada.params["b"][0] - b_best), gt=10, says="That is the stall")
claim(fell["big"], lt=1.1, says="by less than 10% in the last 1,500 iterations")
claim(fell["small"], approx=1.7, rel=0.02, says="against a factor 1.7 with")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Two more ways to read the stall.
#
# - **A built-in schedule.** With gradients of steady size, $\eta_t = \eta/(|g|\sqrt t)$:
#   Adagrad decays its own learning rate like $1/\sqrt t$. That decay is what the convergence
#   guarantees of Duchi, Hazan & Singer (2011) rest on, for convex and online problems; d2l
#   notes that this suits convex problems, and that on deep-learning problems Adagrad can
#   sometimes be too aggressive in reducing learning rates.
# - **A distance budget.** When a coordinate's gradient keeps its sign and roughly its size, its
#   step at iteration $t$ is about $\eta/\sqrt t$, so in $T$ iterations it can travel at most
#   about $\eta\,(1 + 1/\sqrt 2 + \dots + 1/\sqrt T) \approx 2\eta\sqrt T$, however steep the
#   slope. For $b$ in the run above:

# %%
T = ada.iterations
budget = {lr: lr * np.sum(1 / np.sqrt(np.arange(1, T + 1))) for lr in (0.1, 0.5)}
need = abs(b_best - ada.path["b"][0, 0])
travelled = abs(ada.params["b"][0] - ada.path["b"][0, 0])
print(f"T = {T} iterations; 2√T = {2 * np.sqrt(T):.1f}")
for lr, dist in budget.items():
    print(f"η = {lr}: budget η·Σ 1/√t = {dist:.2f}")
print(f"b had to travel {need:.2f}; with η = 0.1 it travelled {travelled:.2f} "
      f"({travelled / budget[0.1]:.0%} of its budget)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# With $\eta = 0.1$ the budget is far smaller than the way to $b$'s target, and $b$ used most
# of it (more than 85%): the stall is the budget running out. With $\eta = 0.5$ the budget is
# more than twice the way, which is why the larger $\eta$ got through.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(budget[0.1] / need, lt=0.5, says="the budget is far smaller than the way to")
claim(travelled / budget[0.1], gt=0.85, le=1.0, says="used most of it (more than 85%)")
claim(budget[0.5] / need, gt=2, says="more than twice the way")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# GD and Adagrad on the stretched bowl. Questions to explore: how far does Adagrad get in 200
# steps when you lower its $\eta$ to 0.1? What do the two paths look like on `rosenbrock`?
# Which is the largest $\eta$ for GD before it diverges, and is there one for Adagrad? Then
# give the playground the rotated bowl, `bowls["rotated 45°"]`, and watch Adagrad's path bend.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** watch the per-coordinate rate live: fast on the aligned bowl, bent and slower on the
#   rotated one, and no blow-up as GD's.
# - **Demo:** the playground with GD (η = 0.038) and Adagrad (η = 1.0) on the stretched bowl, 200
#   steps. Lower Adagrad's η to 0.1 and see how far it gets in 200 steps; raise GD's η past 0.04 (it
#   diverges); switch to `rosenbrock`; then give the playground `bowls["rotated 45°"]`.
# - **Ask the room:** "GD's largest stable η here is 0.04. Does Adagrad have one?" **Answer:** not a
#   sharp one: |dW_t|/√α_t ≤ 1, so no coordinate steps more than η, and after large gradients the
#   rate falls; a too-large η wastes the first steps (tuned on the aligned bowl its best η was 64.9,
#   at the grid's edge).

# %% tags=["nbval-ignore-output"]
from course_lib.widgets import playground

playground(bowl, ["gd", "adagrad"], steps=200, hparams={"gd": {"lr": 0.038},
                                                         "adagrad": {"lr": 1.0}})

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1: the Adagrad update
#
# One Adagrad step for every parameter, with the library's signature; return new dicts and an
# `AdagradState(t + 1, s)` where `s` holds the running sums $\alpha_t$.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** the update in three lines, and the shrinking rate as a running sum.
# - **Demo:** show the two stubs and their `check(...)` calls; the race cell and the 500-step
#   comparison with the library's rates.
# - **Ask the room:** "What does Adagrad carry from one step to the next?" **Answer:** the step
#   count and, per parameter, the running sum α_t of squared gradients (`AdagradState(t + 1, s)`);
#   no velocity.
# - **Cut when short:** set both exercises as homework.

# %%
def adagrad_update(params, grads, state, *, lr, eps):
    """α_t = α_{t−1} + dW²;  W = W − η·dW / (√α_t + ε)  (for every parameter)."""
    ### BEGIN SOLUTION
    s = {g: state.s[g] + grads[g] ** 2 for g in grads}
    new_params = {k: W - lr * grads["d" + k] / (np.sqrt(s["d" + k]) + eps)
                  for k, W in params.items()}
    return new_params, AdagradState(state.t + 1, s)
    ### END SOLUTION

# %%
check("adagrad_update", adagrad_update)

# %% slideshow={"slide_type": "skip"}
hint("adagrad_update")

# %% [markdown]
# Race it against the library on the bowl:

# %% slideshow={"slide_type": "skip"}
try:
    mine = run_path(bowl, "adagrad", update=adagrad_update, steps=200, lr=1.0)
    ref = run_path(bowl, "adagrad", steps=200, lr=1.0)
    print(f"your Adagrad vs the library's, 200 steps: max |difference| = "
          f"{np.abs(mine.path - ref.path).max():.1e}")
except NotImplementedError:
    print("Write adagrad_update above first, then run this cell again.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: the shrinking learning rate
#
# Given the gradients $g_1, \dots, g_T$ of one weight, return the array of
# $\eta_t = \eta/(\sqrt{\alpha_t} + \epsilon)$ for $t = 1, \dots, T$.

# %%
def adagrad_effective_lr(dW, *, lr, eps):
    """η_t = η / (√α_t + ε) with α_t = g_1² + ... + g_t², for t = 1..T."""
    ### BEGIN SOLUTION
    alpha = np.cumsum(np.asarray(dW) ** 2)
    return lr / (np.sqrt(alpha) + eps)
    ### END SOLUTION

# %%
check("adagrad_effective_lr", adagrad_effective_lr)

# %% slideshow={"slide_type": "skip"}
hint("adagrad_effective_lr")

# %% [markdown]
# Compare with the rate the library reports, step by step, on a noisy gradient series:

# %%
series = np.random.default_rng(0).normal(1.0, 2.0, size=500)
lib_rates = []
params, state = {"W": np.zeros(1)}, adagrad.init({"W": np.zeros(1)})
for g in series:
    params, state = adagrad.update(params, {"dW": np.array([g])}, state, lr=0.1)
    lib_rates.append(adagrad.effective_lr(state, lr=0.1)["dW"][0])
try:
    yours = adagrad_effective_lr(series, lr=0.1, eps=1e-10)
    print(f"your η_t vs the library's over {series.size} steps: max relative difference = "
          f"{np.max(np.abs(yours - lib_rates) / np.array(lib_rates)):.1e}")
except NotImplementedError:
    print("Write adagrad_effective_lr above first, then run this cell again.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# **"Why does Adagrad stall?"** It divides $\eta$ by $\sqrt{\alpha_t}$, and $\alpha_t$ is the sum
# of *all* past squared gradients. The sum only grows, so the effective rate only shrinks; after
# many iterations with sizeable gradients it is tiny, $W_{new} \approx W_{old}$, and training
# stops before it has converged. *Interview angle:* give the constant-gradient formula
# $\eta_t = \eta/(|g|\sqrt t)$; it turns the story into a number.
#
# **"What is adaptive about it, and where does it shine?"** Every parameter has its own rate,
# small for parameters that have seen large gradients, large for the rarely active ones; that is
# why it was made for sparse problems (text, recommendation). It is a diagonal preconditioner:
# it helps as far as the curvature is aligned with the coordinate axes, and not at all on a bowl
# turned by 45°.
#
# **"ε inside or outside the root?"** A convention: PyTorch and the Adagrad paper put it
# outside; d2l and Keras 3 inside, where $\sqrt\epsilon$ floors the denominator.
# Identical for normal gradients, very different for tiny ones.
#
# More questions from the bank (choices and numbers graded at once, explanations scored by
# your own ticks against the key points):

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** the stall, the adaptivity and ε's placement, each with its number or formula.
# - **Demo:** read each question and let the room answer before revealing; `quiz(chapter=7)` if time
#   allows.
# - **Ask the room:** "Why does Adagrad stall?" **Answer:** it divides η by the root of the sum of
#   all past squared gradients; the sum only grows, so the rate only shrinks and training stops
#   before it has converged.

# %% tags=["nbval-ignore-output"]
from course_lib.quiz import quiz

quiz(chapter=7)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - **What Adagrad fixes:** one learning rate for everything. Each parameter gets
#   $\eta_t = \eta/(\sqrt{\alpha_t} + \epsilon)$ with $\alpha_t$ the running sum of its squared
#   gradients: steep directions are damped, flat and rarely active ones keep large steps, and
#   every coordinate's first step has size $\eta$.
# - **A diagonal preconditioner:** the per-coordinate rate can scale the step along each axis but
#   not mix coordinates. It wins by a wide margin on an axis-aligned bowl and loses that edge as
#   the bowl turns towards 45°; a fair comparison says which bowl it uses and reports both
#   extremes or several angles.
# - **ε** keeps the division finite; outside the root (PyTorch, the paper, this course's code)
#   or inside (d2l, Keras 3) is a convention that only matters for tiny gradients.
# - **What it leaves open:** $\alpha_t$ only grows, so $\eta_t$ only shrinks; after many
#   iterations training stalls before convergence. [Chapter 8](08_rmsprop_adadelta.ipynb)
#   replaces the sum by an exponentially weighted average, which forgets: RMSprop, and Adadelta.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** a rate per parameter damps steep directions and keeps flat and rare ones moving, as
#   far as the curvature lines up with the axes; the sum never forgets.
# - **Demo:** none; read the summary.
# - **Ask the room:** "What does Adagrad leave open, and what is the obvious fix?" **Answer:** α_t
#   only grows, so training stalls; replace the sum by an exponentially weighted average that
#   forgets (Chapter 8, RMSprop).
