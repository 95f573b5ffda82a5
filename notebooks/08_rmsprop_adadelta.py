# %% [markdown] slideshow={"slide_type": "slide"}
# # Chapter 8 · RMSprop and Adadelta
#
# **What you will be able to do**
#
# - explain how an exponentially weighted average of squared gradients stops Adagrad's learning
#   rate from collapsing, and show it with numbers;
# - write the RMSprop update and compute its first steps by hand;
# - say where $\epsilon$ goes in RMSprop and in Adadelta, and which convention each source uses;
# - compare RMSprop, Adagrad and GD fairly (tuned rates, on both extremes of the bowl);
# - explain how Adadelta does without a global learning rate, and what still sets its scale.
#
# **Where this sits in the story.** [Chapter 7](07_adagrad.ipynb) gave every parameter its own
# learning rate $\eta/(\sqrt{\alpha_t} + \epsilon)$, but $\alpha_t$ is a sum of all past squared
# gradients: it only grows, so after many iterations the rate is tiny and training stalls.
# The fix uses the tool of [Chapter 5](05_exponentially_weighted_average.ipynb): replace the sum
# by an exponentially weighted average, which forgets.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** Adagrad's sum of squared gradients only grows, so its rate collapses; replace the sum
#   by Chapter 5's EWA, which forgets: RMSprop; then Adadelta, which also drops the global learning
#   rate.
# - **Demo:** none; read the goals and the story so far.
# - **Ask the room:** "Adagrad stalls because α_t only grows. Which tool of this course could
#   replace the sum?" **Answer:** an exponentially weighted average of the squared gradients, which
#   forgets old ones.

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
from course_lib.optimizers import OPTIMIZERS, AdadeltaState, RMSpropState
from course_lib.paths import run_path
from course_lib.problems import get_problem, quadratic_bowl
from course_lib.training import train

adagrad, rmsprop, adadelta = OPTIMIZERS["adagrad"], OPTIMIZERS["rmsprop"], OPTIMIZERS["adadelta"]

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Adagrad vs RMSprop: the effective rate
#
# Both divide $\eta$ by the root of a record of squared gradients. Adagrad *adds up* every
# $dW^2$; RMSprop keeps an *exponentially weighted average* $s_{dW}$ of them, which follows the
# recent gradients (about the last $1/(1-\beta)$ of them) and forgets the old ones. Feed both the
# same gradient, $dW = 1$ at every step, with $\eta = 0.01$:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** fed the same gradient, Adagrad's rate falls like 1/√t for ever while RMSprop's
#   settles at η/|dW|; on Chapter 7's stalled regression (same η = 0.1) RMSprop's rate rises again
#   near the minimum and brings b to 20.565 (least squares 20.663), where Adagrad stops at 8.049: an
#   average can go down, a sum cannot.
# - **Demo:** the rate table for dW = 1 (t = 1, 10, 100, 1000), then the training run side by side:
#   η_t for b and the final b and loss of each.
# - **Ask the room:** "How does RMSprop fix Adagrad's stall?" **Answer:** s_dW is an EWA of the
#   squared gradients, so it forgets the large early ones; the effective rate η/(√s_dW + ε) cannot
#   collapse and even rises when the gradients shrink.
# - **Cut when short:** say that this is one η, not a race (Chapter 7's η = 0.5 got Adagrad through
#   too), and move on.

# %% tags=["slides-output-only"]
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
print(f"RMSprop averages about {ewa_window(0.9):.0f} recent squared gradients with β = 0.9, "
      f"about {ewa_window(0.99):.0f} with β = 0.99")
print(f"{'t':>6s} {'Adagrad η_t':>12s} {'RMSprop η_t':>12s}")
for t in (1, 10, 100, 1000):
    print(f"{t:6d} {ada_rate[t - 1]:12.6f} {rms_rate[t - 1]:12.6f}")

# %% [markdown]
# Adagrad's rate falls like $1/\sqrt{t}$ for ever (10 times smaller at $t = 100$ than at
# $t = 1$); RMSprop's settles at $\eta/|dW|$ and stays there. (Its very first rates are
# *larger* than $\eta$, about 3.2 η at $t = 1$, because $s_{dW}$ starts at 0 and RMSprop has no
# bias correction; [Chapter 9](09_adam.ipynb) adds one.)

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(ada_rate[0] / ada_rate[99], approx=10, rel=1e-6, says="10 times smaller at")
claim(rms_rate[-1] / 0.01, approx=1.0, rel=1e-6, says="RMSprop's settles at")
claim(rms_rate[0] / 0.01, approx=3.16, rel=0.01, says="about 3.2 η at")

# %% [markdown]
# Now the training run on which Adagrad stalled in Chapter 7: a linear regression with
# uncentred targets, mini-batches of 25 records, 100 epochs, the same $\eta = 0.1$ for both.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# Side by side, with the same $\eta$: Adagrad's rate only falls, and it stalls far from the
# least-squares $b$. RMSprop's rate *rises* again once the gradients shrink near the minimum
# (more than 100 times higher at $t = 2000$ than at $t = 10$), because $s_{dW}$ only remembers
# the recent, smaller gradients; it brings $b$ to within 0.2 of the least-squares value. That
# is the whole fix: an average can go down, a sum cannot.
#
# This is a demonstration of the mechanism at one $\eta$, not a race: Chapter 7 showed that
# Adagrad with a five times larger $\eta$ gets through this run too. A fair comparison tunes
# every method, next.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
rms_b = runs["rmsprop"].lr_history["db"][:, 0]
claim(rms_b[1999] / rms_b[9], gt=100, says="more than 100 times higher at")
claim(abs(runs["rmsprop"].params["b"][0] - b_best), lt=0.2, says="it brings $b$ to within 0.2 of")
claim(abs(runs["adagrad"].params["b"][0] - b_best), gt=10, says="it stalls far from the")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A fair race: GD, Adagrad and RMSprop on two bowls
#
# [Chapter 7](07_adagrad.ipynb) showed that a per-coordinate rate is a diagonal preconditioner:
# it helps when the bowl's axes are the coordinate axes, and not when the bowl is rotated.
# RMSprop's rate is per coordinate too. So the race runs on both extremes (condition 50,
# axis-aligned, the best case for a per-coordinate rate, and rotated by 45°, the worst case,
# where the diagonal of $A$ is constant), each method with its best $\eta$ from one grid (81
# values from 0.001 to 100, 16 per decade), 300 steps. The score is the highest loss of the last 50 steps, the level a method has
# settled under (a method that bounces gets no credit for a lucky last step).

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** tuned on both extremes of the bowl, the axes decide Adagrad's rank, and RMSprop with
#   a constant η does not settle: near the minimum dW and √s_dW shrink together, so each coordinate
#   that bounces keeps stepping by about η and hovers about η/2 from the minimum (0.50 η on the
#   axis-aligned bowl, 0.71 η on the rotated one, where both coordinates bounce).
# - **Demo:** the race table (81 values of η from 0.001 to 100, 300 steps, score = highest loss of
#   the last 50 steps): settled losses of GD, Adagrad and RMSprop on the axis-aligned and the
#   rotated bowl.
# - **Ask the room:** "RMSprop ends more than 1,000 times above GD on a noise-free bowl. Is RMSprop
#   broken?" **Answer:** no: its step is η·dW/√s_dW, about η even as dW → 0; to settle it needs η
#   itself to shrink (a schedule), while GD's steps shrink with the gradient.
# - **Cut when short:** give the one-sentence result and skip the table.

# %% tags=["slides-output-only"]
bowls = {"axis-aligned": quadratic_bowl(condition=50.0),
         "rotated 45°": quadratic_bowl(condition=50.0, angle=45)}
grid = np.logspace(-3, 2, 81)
race = {}
print(f"{'':13s} {'method':8s} {'best η':>8s} {'settled loss':>13s}")
for bowl_name, problem in bowls.items():
    for method in ("gd", "adagrad", "rmsprop"):
        scores = []
        for lr in grid:
            tail = run_path(problem, method, steps=300, lr=float(lr)).losses[-50:]
            scores.append(tail.max() if np.isfinite(tail).all() else np.inf)
        i_best = int(np.argmin(scores))                  # the smallest η if tied
        at_edge = scores[i_best] in (scores[0], scores[-1])
        edge = " (ties to the edge of the grid)" if at_edge else ""
        race[bowl_name, method] = (scores[i_best], grid[i_best], at_edge)
        print(f"{bowl_name:13s} {method:8s} {grid[i_best]:8.3g} {scores[i_best]:13.2e}{edge}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Three things to read (one winner ties to the edge of the grid: on the axis-aligned bowl
# Adagrad's settled loss underflows to exactly 0 for every $\eta$ from the one printed up to
# 100, so its best $\eta$ is undetermined; the other winners lie inside the grid):
#
# - **The axes decide Adagrad's rank.** On the axis-aligned bowl tuned Adagrad ends lower than
#   tuned GD; on the rotated bowl GD ends lower, by a factor of more than 100.
# - **RMSprop does not settle.** On both bowls it ends far above GD and Adagrad, more than 1,000
#   times higher. Its step is $\eta\, dW/\sqrt{s_{dW}}$, and near the minimum $dW$ and
#   $\sqrt{s_{dW}}$ shrink together, so a coordinate that bounces across the minimum keeps
#   stepping by about $\eta$ (both coordinates on the rotated bowl; on the axis-aligned bowl the
#   steep $W_2$, while the shallow $W_1$ settles): it hovers about $\eta/2$ from the minimum
#   along each coordinate that bounces (the step is $\eta$, the iterate swings by $\pm\eta/2$)
#   instead of converging: on average 0.50 η from the minimum on the axis-aligned bowl, 0.71 η
#   on the rotated one, where both coordinates bounce. On a noise-free bowl
#   GD's steps shrink with the gradient, and GD wins; to settle, RMSprop needs $\eta$ itself to
#   shrink (a learning-rate schedule).
# - **A fair comparison** needs tuned rates, test problems whose bias is known and stated (here
#   both extremes: the axis-aligned bowl favours a per-coordinate rate, the 45° bowl gives it
#   nothing to learn; [Chapter 7](07_adagrad.ipynb) races at the angles in between), and a
#   score that does not reward a lucky last step.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim([key for key, (_, _, edge) in race.items() if edge] == [("axis-aligned", "adagrad")],
      says="one winner ties to the edge of the grid")
claim(race["axis-aligned", "adagrad"][0] == 0.0, says="underflows to exactly 0")
ada_scores = [run_path(bowls["axis-aligned"], "adagrad", steps=300, lr=float(lr)).losses[-50:].max()
              for lr in grid[grid >= race["axis-aligned", "adagrad"][1]]]
claim(max(ada_scores) == 0.0, says="from the one printed up to")
claim(race["axis-aligned", "adagrad"][0] < race["axis-aligned", "gd"][0],
      says="On the axis-aligned bowl tuned Adagrad ends lower than tuned GD")
claim(race["rotated 45°", "adagrad"][0] / race["rotated 45°", "gd"][0], gt=100,
      says="on the rotated bowl GD ends lower, by a factor of more than 100")
claim(min(race[b, "rmsprop"][0] / max(race[b, "gd"][0], race[b, "adagrad"][0]) for b in bowls),
      gt=1000, says="more than 1,000 times higher")
hover_steps, hover_coord, hover_dist = {}, {}, {}
for b, problem in bowls.items():
    lr = float(race[b, "rmsprop"][1])
    hover = run_path(problem, "rmsprop", steps=300, lr=lr).path[-50:]
    hover_steps[b] = np.abs(np.diff(hover, axis=0)).mean(axis=0) / lr    # per coordinate, / η
    hover_coord[b] = np.abs(hover).mean(axis=0) / lr                      # per coordinate, / η
    hover_dist[b] = np.linalg.norm(hover, axis=1).mean() / lr
for c in [*hover_coord["rotated 45°"], hover_coord["axis-aligned"][1]]:
    claim(c, approx=0.5, rel=0.1, says="along each coordinate that bounces")
claim(hover_dist["axis-aligned"], approx=0.50, rel=0.02, says="on the axis-aligned bowl")
claim(hover_dist["rotated 45°"], approx=0.71, rel=0.02, says="on the rotated one, where both coordinates bounce")
claim(min(hover_steps["rotated 45°"].min(), hover_steps["axis-aligned"][1]), gt=0.8,
      says="keeps stepping by about")
claim(max(hover_steps["rotated 45°"].max(), hover_steps["axis-aligned"][1]), lt=1.25,
      says="keeps stepping by about")
claim(hover_steps["axis-aligned"][0], lt=1e-3, says="while the shallow $W_1$ settles")

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
# with $\beta = 0.9$ and $\epsilon = 10^{-8}$ by default in this course. $\beta = 0.9$ is the
# value of Hinton's lecture slides, where RMSprop comes from (it has no paper); PyTorch's
# `torch.optim.RMSprop` defaults to `alpha=0.99` (its name for $\beta$), an average over about
# 100 recent gradients instead of 10. Check the default when you move between them.
#
# The name: $\sqrt{s_{dW}}$ is the **r**oot of the (exponentially weighted) **m**ean of the
# **s**quared gradients, the RMS, and each step is divided by it. Line by line, then the library:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 6 min**
#
# - **Point:** s_dW = β·s_dW + (1−β)·dW², W = W − η·dW/(√s_dW + ε); every coordinate's first step is
#   η/√(1−β) ≈ 3.2 η (no bias correction), and on a steady slope the step settles at η; √s_dW is the
#   RMS of the recent gradients.
# - **Demo:** the line-by-line step (by hand and library identical), the first step for dW = 2
#   (0.031623 = 3.162 × η) and the steady-slope table; then the growing noisy series (√s_dW = 4.655
#   against the last-10 RMS 4.437 and the whole-history RMS 3.416).
# - **Ask the room:** "The course uses β = 0.9 for RMSprop; what does PyTorch use, and what does
#   that do to the first step?" **Answer:** `alpha=0.99`; the uncorrected first step is then 10·η
#   instead of 3.2·η.

# %% tags=["slides-output-only"]
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# Every coordinate's first step has the same size, $\eta/\sqrt{1-\beta}$, whatever its gradient
# (the step is $\eta\,\mathrm{sign}(dW)/\sqrt{1-\beta}$, as long as $|dW|$ is well above
# $\epsilon$; for $dW = 2$ by hand: $s_1 = 0.1 \cdot 4$,
# step $= 0.01 \cdot 2/\sqrt{0.4}$). With $\beta = 0.9$ that is about 3.2 times $\eta$
# ($1/\sqrt{0.1} \approx 3.16$): $s_{dW}$ starts at 0 and has only seen one gradient, and
# RMSprop has no bias correction. With PyTorch's $\beta = 0.99$ it would be 10 times $\eta$.
# On a steady slope the average catches up: with $dW = 2$ every step, $s_{dW}$ approaches
# $dW^2 = 4$ and the step approaches $\eta$ itself.

# %%
print(f"first step for dW = 2: {eta * 2 / np.sqrt((1 - beta) * 4):.6f} = "
      f"{1 / np.sqrt(1 - beta):.3f} × η")
params, state = {"W": np.zeros(1)}, rmsprop.init({"W": np.zeros(1)})
steady_steps = []
for t in range(1, 101):
    new, state = rmsprop.update(params, {"dW": np.array([2.0])}, state, lr=eta)
    steady_steps.append(abs(new["W"][0] - params["W"][0]))
    if t in (1, 10, 100):
        print(f"t = {t:3d}: s_dW = {state.s['dW'][0]:.4f}, step = {steady_steps[-1]:.6f}")
    params = new

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(steady_steps[0] / eta, approx=3.16, rel=0.01, says="that is about 3.2 times")
claim(np.abs(lib["W"] - np.array([1.0, -1.0])).min() / eta, approx=1 / np.sqrt(1 - beta), rel=1e-5,
      says="Every coordinate's first step has the same size")
claim(1 / np.sqrt(1 - 0.99), approx=10, rel=1e-9, says="it would be 10 times")
claim(steady_steps[-1] / eta, approx=1.0, rel=1e-3, says="the step approaches")

# %% [markdown] slideshow={"slide_type": "subslide"}
# And $\sqrt{s_{dW}}$ really is an RMS of the *recent* gradients: on a noisy series whose size
# grows with time, it stays closer to the RMS of the last $1/(1-\beta)$ values than to the
# RMS of the whole history (which is what Adagrad's $\sqrt{\alpha_t/t}$ would follow).

# %%
series = np.random.default_rng(0).normal(0.0, 1.0, 300) * np.linspace(1.0, 5.0, 300)
params, state = {"W": np.zeros(1)}, rmsprop.init({"W": np.zeros(1)})
for g in series:
    params, state = rmsprop.update(params, {"dW": np.array([g])}, state, lr=eta)
rms_now, rms_recent, rms_all = (np.sqrt(state.s["dW"][0]), np.sqrt(np.mean(series[-10:] ** 2)),
                                np.sqrt(np.mean(series**2)))
print(f"√s_dW after 300 steps = {rms_now:.3f}; RMS of the last 10 gradients = "
      f"{rms_recent:.3f}; RMS of all 300 = {rms_all:.3f}")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(abs(rms_now - rms_recent) < abs(rms_now - rms_all),
      says="it stays closer to the RMS of the last")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Where does ε go?
#
# RMSprop has no paper to settle it: it comes from Hinton's Coursera lecture 6e, whose slides
# divide the gradient by $\sqrt{s_{dW}}$ with no $\epsilon$ at all. Everyone who implements it
# adds one, in one of two places, and both are in wide use. It is a **convention**:
#
# - **outside the root**, $dW/(\sqrt{s_{dW}} + \epsilon)$: PyTorch's `torch.optim.RMSprop` and
#   this course's code (the same place as in the Adagrad and Adam papers);
# - **inside the root**, $dW/\sqrt{s_{dW} + \epsilon}$: TensorFlow 1's `RMSPropOptimizer`,
#   Keras 3's `keras.optimizers.RMSprop`, and d2l (the older tf.keras RMSprop of TensorFlow 2
#   put $\epsilon$ outside with its default `momentum=0`; with momentum it used TensorFlow 1's
#   kernel, $\epsilon$ inside).
#
# With the same $\epsilon$ they act at different scales: outside, $\epsilon$ only matters once
# $\sqrt{s_{dW}}$ is comparable to $\epsilon = 10^{-8}$; inside, once $s_{dW}$ is comparable to
# $\epsilon$, i.e. once the gradients are near $\sqrt\epsilon = 10^{-4}$. Elsewhere the two are
# the same. The step of RMSprop on a steady gradient (where $s_{dW} = dW^2$), relative to $\eta$
# (the [notation page](../docs/notation.md) lists the course's conventions):

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** in RMSprop ε's place is a convention: outside the root in PyTorch and the course's
#   code, inside in TensorFlow 1, Keras 3 and d2l; the two agree down to gradients of 1e-2 and part
#   only near √ε = 1e-4. In Adadelta ε sits inside both roots, and there it is what gets the first
#   step going.
# - **Demo:** the table of the steady step for |dW| from 1 to 1e-8, then the Adadelta first step
#   with ε inside both roots (0.003162) and outside (0: it never moves).
# - **Ask the room:** "Where does ε go in RMSprop, and in Adadelta?" **Answer:** RMSprop: a
#   convention (outside in PyTorch and here, inside in TensorFlow 1, Keras 3 and d2l; Hinton's
#   slides have none); Adadelta: inside both roots, everywhere.
# - **Cut when short:** the table; keep the Adadelta cell.

# %%
print(f"{'|dW|':>8s} {'ε outside':>11s} {'ε inside':>10s}")
eps_steps = {}
for g in (1.0, 1e-2, 1e-4, 1e-6, 1e-8):
    eps_steps[g] = (g / (np.sqrt(g**2) + eps), g / np.sqrt(g**2 + eps))
    print(f"{g:8.0e} {eps_steps[g][0]:11.4f} {eps_steps[g][1]:10.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Down to gradients of $10^{-2}$ the two columns agree to four decimals. At
# $|dW| = \sqrt\epsilon = 10^{-4}$ the inside form takes $1/\sqrt 2$ of the step; at
# $|dW| = \epsilon$ the outside form halves its step too. Each form departs from the plain
# $dW/\sqrt{s_{dW}}$ only where its own term, $\epsilon$ against $\sqrt{s_{dW}}$ or against
# $s_{dW}$, is comparable.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(max(abs(a - b) for g, (a, b) in eps_steps.items() if g >= 1e-2), lt=5e-5,
      says="Down to gradients of $10^{-2}$ the two columns agree to four decimals")
claim(eps_steps[1e-4][1], approx=1 / np.sqrt(2), rel=1e-6, says="the inside form takes")
claim(eps_steps[1e-8][0], approx=0.5, rel=1e-6, says="the outside form halves its step too")

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
# The original method (Zeiler, 2012) has **no learning rate**: $\eta = 1$. The step size comes
# from the ratio *(RMS of recent updates) / (RMS of recent gradients)*. The course's defaults
# are PyTorch's: $\eta = 1$, $\rho = 0.9$, $\epsilon = 10^{-6}$. Keras's `Adadelta` defaults
# differ: `learning_rate=0.001` multiplies every step by a thousandth, so Keras's default is not
# the original method, and its $\epsilon = 10^{-7}$ and `rho=0.95` (the value of the paper's
# experiments) change the first steps too (the next section shows why $\epsilon$ sets them).
# The first step under each set of defaults, for $dW = 1$:
#
# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 9 min**
#
# - **Point:** Adadelta adds an EWA u_dW of the squared updates and steps by √(u+ε)/√(s+ε)·dW with η
#   = 1: the ratio of two RMS values has the units of W; but at the start ε plays the initial
#   learning rate (first step √(ε/(1−ρ)) = 0.00316 whatever the gradient), and near a minimum it
#   does not settle.
# - **Demo:** the defaults (course and PyTorch against Keras: first steps 2,236 times apart), the
#   units table (GD's step changes like 1/c², RMSprop's like 1/c, Adadelta's stays put), then its
#   first steps with η = 1 on the stretched bowl; then the table on four test functions against
#   RMSprop at η = 0.01 and 0.1.
# - **Ask the room:** "Why does Adadelta need no learning rate?" **Answer:** its step is (RMS of
#   recent updates)/(RMS of recent gradients)·dW, which is already in the units of W, so η = 1; ε,
#   inside both roots, still sets its first steps.
# - **Cut when short:** the best-point and s_dW analysis after the four-function table (why every
#   curve turns back up).

# %%
defaults = {"course, PyTorch": {"lr": 1.0, "rho": 0.9, "eps": 1e-6},
            "Keras": {"lr": 0.001, "rho": 0.95, "eps": 1e-7}}
first = {}
for name, hp in defaults.items():
    new, _ = adadelta.update({"W": np.zeros(1)}, {"dW": np.array([1.0])},
                             adadelta.init({"W": np.zeros(1)}), **hp)
    first[name] = abs(new["W"][0])
    print(f"{name:16s} {hp}: first step {first[name]:.2e}")
print(f"ratio: {first['course, PyTorch'] / first['Keras']:,.0f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
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

# %% tags=["slides-output-only"]
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
units = {}
for c in (0.1, 1.0, 10.0, 100.0):
    ratios = [step_in_units(n, c, **hp) / step_in_units(n, 1.0, **hp)
              for n, hp in (("gd", {"lr": 0.1}), ("rmsprop", {"lr": 0.01}),
                            ("adadelta", {"lr": 1.0}))]
    units[c] = ratios
    print(f"{c:6g} {ratios[0]:10.4g} {ratios[1]:10.4g} {ratios[2]:10.4g}")

# %% [markdown]
# GD's step changes with $1/c^2$ and RMSprop's with $1/c$; Adadelta's stays put, up to the
# small effect of $\epsilon$ (within 1% here). That is the sense in which Adadelta needs no
# global learning rate.
#
# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(all(np.isclose(r[0], 1 / c**2, rtol=1e-9) and np.isclose(r[1], 1 / c, rtol=1e-5)
          for c, r in units.items()), says="GD's step changes with")
claim(max(abs(r[2] - 1) for r in units.values()), lt=0.01, says="within 1% here")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Now its actual steps with $\eta = 1$, on the stretched bowl of Chapter 7, starting from rest.

# %% tags=["slides-output-only"]
bowl = get_problem("bowl", condition=50.0)
params = bowl.params()
state = adadelta.init(params)
print(f"{'t':>4s} {'dW (W1, W2)':>20s} {'√(u+ε)':>18s} {'√(s+ε)':>18s} {'Δ':>20s}")
deltas = []
for t in range(1, 9):
    grads = {"dW": bowl.grad(params["W"])}
    new, new_state = adadelta.update(params, grads, state, lr=1.0)
    delta = params["W"] - new["W"]
    deltas.append(np.abs(delta))
    ru = np.sqrt(state.u["dW"] + 1e-6)            # the numerator uses the *old* u
    rs = np.sqrt(new_state.s["dW"] + 1e-6)        # the denominator the *new* s
    print(f"{t:4d} {np.array2string(grads['dW'], precision=2):>20s} "
          f"{np.array2string(ru, precision=5):>18s} {np.array2string(rs, precision=3):>18s} "
          f"{np.array2string(delta, precision=5):>20s}")
    params, state = new, new_state

# %% [markdown] slideshow={"slide_type": "subslide"}
# Look at the first row. The two gradients are 25 times apart, yet both first steps have
# the same length: $\sqrt{\epsilon}/\sqrt{(1-\rho)\,dW^2} \cdot |dW| = \sqrt{\epsilon/(1-\rho)}$.
# At the start $u_{dW} = 0$, so $\epsilon$ is the only "past update" there is: **$\epsilon$
# plays the part of the initial learning rate.** From there the steps grow (about 9% in eight
# steps here, while $W_1$'s gradient hardly changes), because each step feeds the average
# $u_{dW}$ of the next. The first step length for a few values of
# $\epsilon$ and of the gradient (the rule holds while $(1-\rho)\,dW^2$ is well above
# $\epsilon$):

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(abs(bowl.grad(bowl.start)[1] / bowl.grad(bowl.start)[0]), approx=25, rel=1e-9,
      says="The two gradients are 25 times apart")
claim(np.abs(deltas[0] / np.sqrt(1e-6 / 0.1) - 1).max(), lt=1e-3,
      says="both first steps have the same length")
claim(deltas[-1][0] / deltas[0][0], approx=1.09, rel=0.02, says="about 9% in eight steps here")

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
# two fixed values of $\eta$ for comparison, 2,000 steps each. The bowl is the rotated one
# (condition 10, turned by 45°), so that neither per-coordinate method is flattered by its axes.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
test_functions = {"bowl": quadratic_bowl(condition=10.0, angle=45),
                  **{name: get_problem(name) for name in ("rosenbrock", "beale", "himmelblau")}}
problems = list(test_functions)
print(f"{'':11s} {'start loss':>11s} {'Adadelta η = 1':>15s} {'RMSprop η = 0.01':>17s} "
      f"{'RMSprop η = 0.1':>16s}")
finals = {}
for name in problems:
    problem = test_functions[name]
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

# %% slideshow={"slide_type": "subslide"}
orders = [np.log10(finals[n][0].losses[0] / finals[n][0].losses[-1]) for n in problems]
rms_good_better = all(finals[n][1].losses[-1] < finals[n][0].losses[-1] for n in problems)
rms_bad_worse = all(finals[n][2].losses[-1] > finals[n][0].losses[-1] for n in problems)
display(Markdown(
    f"- Adadelta with η = 1, untuned, lowers the loss of every function, by "
    f"{min(orders):.1f} to {max(orders):.1f} orders of magnitude in 2,000 steps.\n"
    f"- RMSprop with η = 0.01 ends lower than Adadelta on every function: **{rms_good_better}**.\n"
    f"- RMSprop with η = 0.1 ends higher than Adadelta on every function: **{rms_bad_worse}**."))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The plot shows something the final numbers hide: every curve reaches its lowest point and
# then turns back *up* (each final loss is more than 2 times its best). Adadelta's steps feed
# themselves: each step enters $u_{dW}$, which sets the size of the next one. On the bowl a
# second effect joins in: near its minimum the gradients become so small that $s_{dW}$ falls to
# about $\epsilon$; then $\sqrt{s_{dW} + \epsilon}$ stops shrinking, and the effective rate
# $\sqrt{u_{dW} + \epsilon}/\sqrt{s_{dW} + \epsilon}$ no longer adapts to the curvature (the
# cell after next measures it, on the bowl only; on the other three functions $s_{dW}$ is still
# far above $\epsilon$ at the best point, at least 0.01 in every coordinate). Measure first the typical step length (the RMS of 10
# consecutive steps) around the best point and at the end of the run:

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(min(finals[n][0].losses[-1] / finals[n][0].losses.min() for n in problems), gt=2,
      says="each final loss is more than 2 times its best")

# %% tags=["slides-output-only"]
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# Now $s_{dW}$ at the best point of each function, and the effective rate on the bowl
# (condition 10, so GD is stable only for $\eta$ below $2/\lambda_{max} = 0.2$), replayed step
# by step up to the best point:

# %% tags=["slides-output-only"]
s_best = {}
for name in problems:
    problem, best = test_functions[name], int(np.argmin(finals[name][0].losses))
    params, state = problem.params(), adadelta.init(problem.params())
    for _ in range(best):
        params, state = adadelta.update(params, {"dW": problem.grad(params["W"])}, state, lr=1.0)
    s_best[name] = state.s["dW"]
    print(f"{name:11s} s_dW at the best step ({best}): {np.array2string(s_best[name], precision=3)}")

bowl10 = test_functions["bowl"]
params, state = bowl10.params(), adadelta.init(bowl10.params())
best10 = int(np.argmin(finals["bowl"][0].losses))
for _ in range(best10 + 1):                      # the steps up to the best point, and the next
    s_old, u_old = state.s["dW"], state.u["dW"]
    params, state = adadelta.update(params, {"dW": bowl10.grad(params["W"])}, state, lr=1.0)
rate10 = np.sqrt(u_old + 1e-6) / np.sqrt(state.s["dW"] + 1e-6)   # the rate of that next step
A10 = np.column_stack([bowl10.grad([1.0, 0.0]), bowl10.grad([0.0, 1.0])])
print(f"at the best step ({best10}): s_dW = {s_old}, ε = 1e-06")
print(f"effective rate of the next step: {rate10}; GD's limit 2/λ_max = {2 / bowl10.lambda_max:g}")
print(f"largest eigenvalue of diag(rate)·A = {np.abs(np.linalg.eigvals(np.diag(rate10) @ A10)).max():.2f} "
      f"(stable below 2)")

# %% [markdown]
# On the bowl, at the best point, $W_2$'s $s_{dW}$ is already below $\epsilon$ (on the other
# three functions every $s_{dW}$ is above 0.01, more than ten thousand times $\epsilon$), and its
# effective rate is more than 4 times GD's stability limit: the diagonal-rate step is unstable (the largest
# eigenvalue of the rate times $A$ is above 2), so Adadelta bounces away from the minimum,
# the bounces feed $u_{dW}$, and the loss climbs until the larger gradients have grown $s_{dW}$
# again.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(best10 == int(np.argmin(finals["bowl"][0].losses)) and np.allclose(
    params["W"], finals["bowl"][0].path[best10 + 1]), says="replayed step by step up to the best point")
claim(s_old.min(), lt=1e-6, says="is already below")
claim(np.array_equal(s_best["bowl"], s_old), says="replayed step by step up to the best point")
claim(min(s_best[n].min() for n in problems if n != "bowl"), gt=0.01,
      says="on the other three functions every $s_{dW}$ is above 0.01")
claim(rate10.max() / (2 / bowl10.lambda_max), gt=4, says="more than 4 times GD's stability limit")
claim(np.abs(np.linalg.eigvals(np.diag(rate10) @ A10)).max(), gt=2,
      says="the largest eigenvalue of the rate times $A$ is above 2")

# %% [markdown]
# So "no learning rate" does not mean "fastest": a well-chosen $\eta$ lets RMSprop beat it,
# while a badly chosen one costs RMSprop dearly ($\eta = 0.1$ ends more than 10 times higher
# than $\eta = 0.01$ on every function). Adadelta removes that knob (at the
# price of a slow start, and with $\epsilon$ as a knob in disguise). It matters less today
# because Adam, next chapter, became the default; but the idea, "let the ratio of two running
# averages set the step", is worth knowing.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(min(finals[n][2].losses[-1] / finals[n][1].losses[-1] for n in problems), gt=10,
      says="ends more than 10 times higher")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it yourself
#
# Adagrad, RMSprop and Adadelta on the stretched bowl. Questions to explore: what does RMSprop's
# $\beta$ change (try 0 and 0.99)? How does Adadelta's path change with $\epsilon$? Switch to
# `rosenbrock` and compare how far each gets in 200 steps. Then pass the rotated bowl,
# `bowls["rotated 45°"]`, instead of `bowl`.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 5 min**
#
# - **Point:** see the three adaptive methods side by side: RMSprop's β sets its memory, ε sets
#   Adadelta's start.
# - **Demo:** the playground with Adagrad (η = 1.0), RMSprop (η = 0.05) and Adadelta (η = 1) on the
#   stretched bowl, 200 steps. Move RMSprop's β to 0 and to 0.99; change Adadelta's ε and watch its
#   first steps change; switch to `rosenbrock` and compare how far each gets in 200 steps; then pass
#   `bowls["rotated 45°"]`.
# - **Ask the room:** before changing Adadelta's ε from 1e-6 to 1e-4: "What happens to its first
#   step?" **Answer:** it grows about ten times (√(ε/(1−ρ)): from 0.00316 to 0.0316), since ε sets
#   the start.

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

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** RMSprop is Adagrad with the sum replaced by an EWA; Adadelta's trap is the order: the
#   step uses the new s_dW but the old u_dW.
# - **Demo:** show the two stubs and their `check(...)` calls; the races against the library (200
#   steps on the bowl, 500 on Rosenbrock).
# - **Ask the room:** "In Adadelta, is u_dW updated before or after the step is computed?"
#   **Answer:** after: the step uses the old u_dW, then u_dW takes in the step just made.
# - **Cut when short:** set both exercises as homework.

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

# %% slideshow={"slide_type": "skip"}
hint("rmsprop_update")

# %% slideshow={"slide_type": "skip"}
try:
    mine = run_path(bowl, "rmsprop", update=rmsprop_update, steps=200, lr=0.05)
    ref = run_path(bowl, "rmsprop", steps=200, lr=0.05)
    print(f"your RMSprop vs the library's, 200 steps: max |difference| = "
          f"{np.abs(mine.path - ref.path).max():.1e}")
except NotImplementedError:
    print("Write rmsprop_update above first, then run this cell again.")

# %% [markdown] slideshow={"slide_type": "subslide"}
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

# %% slideshow={"slide_type": "skip"}
hint("adadelta_update")

# %% slideshow={"slide_type": "skip"}
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
# **"Where is ε?"** In RMSprop it is a convention: outside the root in PyTorch and this
# course's code (as in the Adagrad and Adam papers), inside in TensorFlow 1, Keras 3 and d2l;
# Hinton's slides, where RMSprop comes from, have none. The two only differ for tiny gradients.
# In Adadelta it sits inside both roots everywhere, and there it is what gets the first step
# going.
#
# More questions from the bank:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** three answers: RMSprop's fix, Adadelta's units, ε's place.
# - **Demo:** read each question and let the room answer before revealing; `quiz(chapter=8)` if time
#   allows.
# - **Ask the room:** "What does Adadelta add to RMSprop?" **Answer:** a second average, of the
#   squared updates; the ratio of the two RMS values sets the step, so no learning rate; at the
#   start ε sets the step size.

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
#   inflated (about 3.2 η at $\beta = 0.9$) because $s_{dW}$ starts at 0.
#   [Chapter 9](09_adam.ipynb) combines the two lines, momentum's $v_{dW}$ and RMSprop's
#   $s_{dW}$, with a bias correction: Adam.
# - **A fair comparison** tunes every method and states the bias of its test problem: on a bowl
#   turned by 45° the per-coordinate methods lose the edge an axis-aligned bowl gives them, and
#   on both RMSprop with a constant $\eta$ hovers near the minimum instead of converging.
#
# The story so far, one line per method, as the library writes it:

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** RMSprop forgets, Adadelta also drops η; neither has momentum, and RMSprop's first
#   steps are inflated: Chapter 9 combines momentum's v_dW and RMSprop's s_dW with a bias
#   correction.
# - **Demo:** the one-line formulas of the five methods so far; end with the chapter's last words:
#   the story (each method fixes one weakness of the one before) matters more than every symbol.
# - **Ask the room:** "What do RMSprop and Adadelta leave open?" **Answer:** no momentum, so the
#   mini-batch zig-zag is back, and inflated first steps because s_dW starts at 0: Adam (Chapter 9).

# %%
for name in ("gd", "momentum", "adagrad", "rmsprop", "adadelta"):
    print(f"{OPTIMIZERS[name].title:18s} {OPTIMIZERS[name].formula}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# If some of these symbols are already blurring, that is fine.
# Understanding the story (each method fixes one weakness of the one before it) matters more
# than memorising every symbol; the symbols can always be looked up, the reasons are what an
# interviewer asks about.
