# %% [markdown]
# # Chapter 10 · Choosing an optimizer
#
# **What you will be able to do**
#
# - run a *fair* race between optimizers: the same learning-rate grid, the same step budget,
#   the same score, test problems whose lean is known and said (a bowl can be the easy or the
#   hard case for some methods), several seeds where there is noise, all written down before
#   the race starts;
# - train a small network on a real data set with every optimizer of the course and read the
#   loss curves, the accuracy curves and the results table;
# - wrap any course optimizer in a learning-rate schedule (step decay, cosine, warm-up) in a
#   few lines, and say what each one is for;
# - explain what practitioners choose and why, telling apart what this notebook measures and
#   what is common practice (and who reports it);
# - map every course optimizer to its `torch.optim` counterpart.
#
# **Where it sits in the story.** Chapters [1](01_gradient_descent.ipynb) to
# [9](09_adam.ipynb) built one optimizer after another, each fixing a weakness of the one
# before. This capstone puts them all on the same track. The question it answers is the one an
# interviewer ends with: *"So which one would you use, and why?"*

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** the capstone: every optimizer of the course on the same track, to answer the
#   interviewer's last question, "So which one would you use, and why?"
# - **Demo:** none; read the goals (the cell below starts PyTorch in the background: run it before
#   talking).
# - **Ask the room:** "Before any race: which optimizer do you expect to win, and on what?"
#   **Answer:** take the votes and keep them on the board; the race shows that no optimizer wins
#   everywhere.

# %% slideshow={"slide_type": "skip"}
import importlib.util
import json
import math
import subprocess
import sys
import warnings

TORCH_SCRIPT = """
import json, sys
import torch                            # the slow part: it starts right away
torch.set_default_dtype(torch.float64)
A, start, steps, specs = json.loads(sys.stdin.readline())   # the job, sent later
A = torch.tensor(A)
paths = {}
for name, (cls, kwargs) in specs.items():
    W = torch.tensor(start, requires_grad=True)
    opt = getattr(torch.optim, cls)([W], **kwargs)
    path = [W.tolist()]
    for _ in range(steps):
        opt.zero_grad()
        (0.5 * W @ A @ W).backward()            # the bowl: loss ½ WᵀAW, gradient A W
        opt.step()
        path.append(W.tolist())
    paths[name] = path
print(json.dumps(paths))
"""
torch_run = None                     # PyTorch is optional: see "Side by side with PyTorch"
if importlib.util.find_spec("torch") is not None:
    torch_run = subprocess.Popen([sys.executable, "-c", TORCH_SCRIPT], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display
from matplotlib.ticker import LogLocator, NullLocator, StrMethodFormatter

from course_lib import plots
from course_lib.claims import claim
from course_lib.data import iterations_per_epoch, minibatches
from course_lib.exercises import check, hint
from course_lib.models import TwoLayerNet
from course_lib.optimizers import OPTIMIZERS
from course_lib.paths import run_path
from course_lib.problems import get_problem, noisy, quadratic_bowl

# every optimizer of chapters 1-9, in course order (chapter 12 races the four at scale)
NAMES = [n for n in OPTIMIZERS if n not in ("radam", "adafactor", "muon", "lion")]
print(", ".join(NAMES))

# %% [markdown] slideshow={"slide_type": "subslide"}
# PyTorch (optional), which the section *Side by side with PyTorch* compares with the
# course's optimizers, takes seconds to import. So that nobody waits, the cell above started a
# background process (`TORCH_SCRIPT`) before anything else: it imports PyTorch while we work,
# then waits for its job. The next cell sends the job (every optimizer on the bowl); the
# section reads the answer at the end. The mapping from the course's hyperparameters to
# PyTorch's arguments (from the course's [notation page](../docs/notation.md)) is written out here.

# %% slideshow={"slide_type": "skip"}
def torch_spec(name, hp):
    """The torch.optim class name and arguments that compute the course's rule `name`."""
    if name == "gd":
        return "SGD", {"lr": hp["lr"]}
    if name in ("momentum", "nesterov"):      # course v = β·v + (1−β)·dW  <->  torch v = β·v + g
        return "SGD", {"lr": hp["lr"] * (1 - hp["beta"]), "momentum": hp["beta"],
                       "nesterov": name == "nesterov"}
    if name == "adagrad":
        return "Adagrad", {"lr": hp["lr"], "eps": hp["eps"]}
    if name == "rmsprop":
        return "RMSprop", {"lr": hp["lr"], "alpha": hp["beta"], "eps": hp["eps"]}
    if name == "adadelta":
        return "Adadelta", {"lr": hp["lr"], "rho": hp["rho"], "eps": hp["eps"]}
    common = {"lr": hp["lr"], "betas": (hp["beta1"], hp["beta2"]), "eps": hp["eps"]}
    if name in ("adam", "amsgrad"):
        return "Adam", {**common, "amsgrad": name == "amsgrad"}
    if name == "adamw":
        return "AdamW", {**common, "weight_decay": hp["weight_decay"]}
    return "NAdam", {**common, "momentum_decay": 1e9}   # constant β1, as in the course


bowl = quadratic_bowl(condition=10.0, angle=45.0)   # the race's bowl, rotated (see the race)
A = np.column_stack([bowl.grad([1.0, 0.0]), bowl.grad([0.0, 1.0])])   # the gradient is A W
torch_hp = {n: OPTIMIZERS[n].check_hparams(lr=0.1) for n in NAMES}   # η = 0.1, other defaults
torch_specs = {n: torch_spec(n, torch_hp[n]) for n in NAMES}
if torch_run is not None:
    try:
        torch_run.stdin.write(json.dumps([A.tolist(), bowl.start.tolist(), 100, torch_specs])
                              + "\n")
        torch_run.stdin.flush()
    except BrokenPipeError:          # the import failed; the PyTorch section reports why
        pass

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Intuition: compare optimizers, not learning rates
#
# Before any race, one picture. Here is the *same* optimizer, Adam, on Rosenbrock's valley
# with three learning rates. If we raced "Adam at one η" against "GD at another η", we would
# mostly be comparing the two η's.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** the same optimizer, Adam, on Rosenbrock ends 150 steps at 4.11, 2.03 or 0.0448
#   depending on η alone; racing two optimizers at one η each mostly compares the η's, so every
#   optimizer gets η tuned with the same budget.
# - **Demo:** the three Adam paths (η = 0.01, 0.1, 1) and their final losses.
# - **Ask the room:** "Adam at η = 0.01 against GD at its best η: what would that race measure?"
#   **Answer:** mostly the two η's, not the two optimizers.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
intuition = {f"adam, η = {lr:g}": run_path("rosenbrock", "adam", steps=150, lr=lr)
             for lr in (0.01, 0.1, 1.0)}
fig, ax = plt.subplots(figsize=(5.5, 3.6))
plots.plot_contour("rosenbrock", ax=ax, filled=True, alpha=0.45, resolution=100)
plots.plot_paths("rosenbrock", intuition, ax=ax, contour=False)
plt.show()
for label, res in intuition.items():
    print(f"{label:16s} loss after 150 steps: {res.losses[-1]:.3g}")

# %% [markdown]
# So every optimizer below gets its learning rate **tuned** with the same budget before it is
# compared. That is the single most important rule of optimizer comparisons, and an easy one
# to break by accident.

# %% [markdown] slideshow={"slide_type": "slide"} tags=["slides-compact"]
# ## The race on four test functions
#
# **The rules, fixed before the race:**
#
# - every optimizer gets the same log-spaced grid of learning rates (printed below), each rate
#   √10 ≈ 3.2 times the one before; its other hyperparameters stay at the registry defaults;
# - every run starts at the problem's classic start point and takes the same number of steps;
# - the score is the final gap to the minimum, $f(W) - f^*$; a run that diverges scores ∞;
#   each optimizer keeps its best η. A winner at an edge of the grid (marked `*`, and listed
#   under the table) might do better still beyond that edge: at the small end that would mean
#   the grid starts too high; at the large end, that the optimizer would take even larger rates;
# - the **saddle** $x^2 - y^2$ has no minimum (the loss falls forever once you escape), so a
#   "best final loss" there would simply reward the largest η. Instead we count the steps until
#   the optimizer has clearly left the saddle ($f < -1$), twice: with the η it won with on the
#   bowl, and with one η shared by all, 0.1.
#
# The **bowl** here is rotated by 45° (condition number 10,
# `quadratic_bowl(condition=10, angle=45)`), and that is not a neutral choice. A per-coordinate
# rate (Adagrad, RMSprop, the Adam family) acts as a diagonal preconditioner: it can undo an
# elongation along the axes, but the 45° bowl's Hessian has equal diagonal entries, so there is
# nothing on the diagonal for it to learn. The 45° bowl is the *hard* case for these methods,
# just as the axis-aligned bowl is their *easy* case ([Chapter 7](07_adagrad.ipynb) sweeps the
# angle in between). The race below runs on the hard case; under the table, GD and Adagrad
# are also measured on the easy one.
#
# Besides the winner, we count the **good-η window**: how many grid values bring the loss
# below 1% of its starting value. A wide window means the optimizer forgives a rough guess of η.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 10 min**
#
# - **Point:** with η tuned on one grid (10 values from 0.001 to 32, 150 steps), no optimizer wins
#   everywhere (bowl: AdamW, Rosenbrock: momentum, Beale: NAdam), and the Adam family has the widest
#   good-η windows (12 to 13 of 30, GD 7): it forgives a rough guess of η.
# - **Demo:** the rules, then the table and the lines under it. Say that the bowl is rotated 45°,
#   the hard case for per-coordinate methods (their diagonal preconditioner learns nothing there),
#   and point at the aligned measurement under the table (Adagrad 5 steps against GD's 60 aligned,
#   37 against 45 rotated); AdamW's bowl win at η = 32 is an edge-of-grid artefact of the minimum at
#   0. Then the tuned paths on Rosenbrock.
# - **Ask the room:** "AdamW wins on the bowl. Is it the best optimizer for bowls?" **Answer:** no:
#   its decay pulls W towards 0, where the bowl's minimum happens to be, and it wins at η = 32, the
#   grid's top edge: an artefact, not a better optimizer.
# - **Cut when short:** the saddle columns and the momentum-on-the-bowl point.

# %% tags=["slides-output-only"]
LR_GRID = np.logspace(-3, 1.5, 10)   # 10 rates from 0.001 to 32, each √10 times the one before
STEPS = 150
RACE_PROBLEMS = {"bowl": bowl, "rosenbrock": get_problem("rosenbrock"),
                 "beale": get_problem("beale")}
PROBLEMS = tuple(RACE_PROBLEMS)
print(f"η grid ({LR_GRID.size} values, ratio {LR_GRID[1] / LR_GRID[0]:.2f}): "
      f"{', '.join(f'{lr:.2g}' for lr in LR_GRID)}; {STEPS} steps per run; {bowl.title}")

race = {}                        # (problem, optimizer) -> dict(lr, gap, run, window)
for pname, problem in RACE_PROBLEMS.items():
    for name in NAMES:
        runs = [run_path(problem, name, steps=STEPS, lr=lr) for lr in LR_GRID]
        gaps = np.array([np.inf if r.diverged else r.losses[-1] - problem.f_min for r in runs])
        start_gap = runs[0].losses[0] - problem.f_min
        i = int(np.argmin(gaps))
        race[pname, name] = {"lr": LR_GRID[i], "gap": gaps[i], "run": runs[i],
                             "edge": i in (0, LR_GRID.size - 1),
                             "window": int((gaps <= 0.01 * start_gap).sum())}

SHARED_LR = 0.1
saddle_escape, saddle_shared = {}, {}
for name in NAMES:
    for escape, lr in ((saddle_escape, race["bowl", name]["lr"]), (saddle_shared, SHARED_LR)):
        below = np.flatnonzero(run_path("saddle", name, steps=STEPS, lr=lr).losses < -1.0)
        escape[name] = int(below[0]) if below.size else None

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only", "slides-compact"]
rows = ["| optimizer | " + " | ".join(f"{p}: best η → f − f*" for p in PROBLEMS)
        + " | saddle: steps to escape (bowl's η) | saddle, η = 0.1 | good-η window |",
        "|---|" + "---|" * (len(PROBLEMS) + 3)]
for name in NAMES:
    cells = [f"{race[p, name]['lr']:.2g}{'*' if race[p, name]['edge'] else ''} → "
             f"{race[p, name]['gap']:.1e}" for p in PROBLEMS]
    esc = [e if e is not None else f"> {STEPS}" for e in (saddle_escape[name],
                                                           saddle_shared[name])]
    window = sum(race[p, name]["window"] for p in PROBLEMS)
    rows.append(f"| {name} | " + " | ".join(cells)
                + f" | {esc[0]} | {esc[1]} | {window} of {len(PROBLEMS) * LR_GRID.size} |")
display(Markdown("\n".join(rows)))
windows = {n: sum(race[p, n]["window"] for p in PROBLEMS) for n in NAMES}
ranked = sorted(NAMES, key=lambda n: -windows[n])
print("widest good-η windows:", ", ".join(f"{n} ({windows[n]})" for n in ranked[:4]))
print("narrowest:", ", ".join(f"{n} ({windows[n]})" for n in ranked[-3:]))
print("best on each problem: ", ", ".join(
    f"{p}: {min(NAMES, key=lambda n, p=p: race[p, n]['gap'])}" for p in PROBLEMS))
print("worst on each problem:", ", ".join(
    f"{p}: {max(NAMES, key=lambda n, p=p: race[p, n]['gap'])}" for p in PROBLEMS))
for label, lr in (("smallest", LR_GRID[0]), ("largest", LR_GRID[-1])):
    won = [f"{n} on {p}" for p in PROBLEMS for n in NAMES if race[p, n]["lr"] == lr]
    print(f"winners at the {label} η of the grid ({lr:.2g}):", ", ".join(won) or "none")


def steps_to_converge(problem, name, tol=1e-6):
    """Fewest steps (over LR_GRID) until f − f* < tol · (starting gap); None if never."""
    best = None
    for lr in LR_GRID:
        res = run_path(problem, name, steps=STEPS, lr=lr)
        hit = np.flatnonzero(res.losses - problem.f_min < tol * (res.losses[0] - problem.f_min))
        if not res.diverged and hit.size and (best is None or hit[0] < best):
            best = int(hit[0])
    return best


aligned = get_problem("bowl", condition=10.0)       # the same bowl, not rotated
bowl_steps = {(label, n): steps_to_converge(p, n) for label, p in (("aligned", aligned),
              ("rotated", bowl)) for n in ("gd", "adagrad")}
for label in ("aligned", "rotated"):
    print(f"{label} bowl, tuned η, steps until f − f* < 1e-6 of the start: GD "
          f"{bowl_steps[label, 'gd']}, Adagrad {bowl_steps[label, 'adagrad']}")

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
show = ("gd", "momentum", "rmsprop", "adam")
fig, ax = plt.subplots(figsize=(5.5, 3.6))
plots.plot_contour("rosenbrock", ax=ax, filled=True, alpha=0.45, resolution=100)
plots.plot_paths("rosenbrock", {f"{n}, tuned η = {race['rosenbrock', n]['lr']:.2g}":
                                race["rosenbrock", n]["run"] for n in show}, ax=ax,
                 contour=False)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"} tags=["slides-compact"]
# How to read the race (on these three functions, with this step budget):
#
# - **No optimizer wins everywhere.** The winner changes from problem to problem (printed
#   under the table).
# - **The Adam family has the widest good-η windows** (printed): every one of its four members
#   has a wider window than any other optimizer, so a rough guess of η works on more of these
#   problems. That, more than winning any single race, is a reason to start with Adam.
# - **Adadelta** comes last on Rosenbrock and on Beale, and wins at the top edge of the grid:
#   it needs no η in principle, but its steps start tiny (they are built from
#   $\sqrt{u+\varepsilon}$ with $u$ starting at zero), so here a large η only makes up for a
#   slow start. **RMSprop** comes last on the bowl: $dW/\sqrt{s}$ stays of order 1 however
#   small $dW$ gets (once $s$ has caught up with $dW^2$), so near the minimum its steps stay a
#   sizeable fraction of η (over the last 50 steps, about half of η per coordinate on
#   average), and at a constant η it hovers around the minimum instead of settling.
# - **On the saddle**, with the η each method won with on the bowl, every method that divides
#   by $\sqrt{s}$ (Adagrad, RMSprop, Adadelta, the Adam family) escapes in fewer steps than GD,
#   momentum or Nesterov. That count mostly measures η: Adagrad (η = 10) and AdamW (η = 32)
#   escape in 1 step, GD at its η = 0.1 takes 38. At the one shared η = 0.1 the order mostly
#   holds: Adagrad, RMSprop and the Adam family still escape before GD, momentum and Nesterov,
#   since each of their coordinates moves about η whatever its slope, so the tiny slope along
#   $W_2$ does not slow them down; Adadelta, whose steps start tiny, becomes the slowest.
# - **AdamW** is Adam plus a pull of the weights towards zero. On the bowl, whose minimum *is*
#   zero, the pull helps, and AdamW "wins" there, but at η = 32, the top edge of the grid,
#   where the decay alone multiplies $W$ by $1 - \eta\lambda = 0.68$ per step (about 1.7e-25
#   after 150 steps): an artefact of the minimum being at 0 and of the grid's edge, not a
#   better optimizer. On Rosenbrock and Beale, whose minima are elsewhere, the pull is a bias
#   away from the minimum, and AdamW ends above Adam. Its job is regularising networks, not
#   minimising test functions.
# - **Momentum on the bowl** ends far above GD (5.9e-07 against 1.9e-14): the race keeps its
#   β = 0.9, a memory made for a far larger κ, and with a fixed β the error shrinks no faster
#   than $\sqrt\beta$ per step. With β and η chosen together (the pair of the decision guide
#   below: β ≈ 0.27, η ≈ 0.32 for κ = 10) it ends far below GD.
# - **The rotation matters.** On the same bowl *aligned* with the axes, tuned Adagrad converges
#   in far fewer steps than tuned GD; rotated by 45°, its lead is gone or small (both printed
#   under the table). A per-coordinate rate is a diagonal preconditioner: it helps as much as
#   the curvature is aligned with the axes: a lot on the aligned bowl, little on the 45° one.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
best_on = {p: min(NAMES, key=lambda n, p=p: race[p, n]["gap"]) for p in PROBLEMS}
worst_on = {p: max(NAMES, key=lambda n, p=p: race[p, n]["gap"]) for p in PROBLEMS}
ADAM_FAMILY = ("adam", "amsgrad", "adamw", "nadam")
DIVIDE_BY_ROOT_S = ("adagrad", "rmsprop", "adadelta") + ADAM_FAMILY
claim(len(set(best_on.values())) > 1, says="The winner changes from problem to problem")
claim(min(windows[n] for n in ADAM_FAMILY),
      gt=max(windows[n] for n in NAMES if n not in ADAM_FAMILY),
      says="every one of its four members has a wider window than any other optimizer")
claim(worst_on["rosenbrock"] == worst_on["beale"] == "adadelta",
      says="comes last on Rosenbrock and on Beale")
claim(any(race[p, "adadelta"]["lr"] == LR_GRID[-1] for p in PROBLEMS),
      says="wins at the top edge of the grid")
claim(worst_on["bowl"] == "rmsprop", says="comes last on the bowl")
rms_bowl = race["bowl", "rmsprop"]
claim(np.abs(np.diff(rms_bowl["run"].path, axis=0))[-50:].mean() / rms_bowl["lr"], approx=0.5,
      rel=0.3, says="about half of η per coordinate on average")
claim(max(saddle_escape[n] for n in DIVIDE_BY_ROOT_S),
      lt=min(saddle_escape[n] for n in ("gd", "momentum", "nesterov")),
      says="escapes in fewer steps than GD, momentum or Nesterov")
claim(best_on["bowl"] == "adamw", says="the pull helps, and AdamW \"wins\" there")
claim(race["bowl", "adamw"]["edge"] and race["bowl", "adamw"]["lr"] == LR_GRID[-1],
      says="at η = 32, the top edge of the grid")
decay_factor = 1 - LR_GRID[-1] * OPTIMIZERS["adamw"].check_hparams(lr=1.0)["weight_decay"]
claim(decay_factor, approx=0.68, abs_tol=0.005, says="per step (about 1.7e-25")
claim(decay_factor ** STEPS, approx=1.7e-25, rel=0.05, says="after 150 steps)")
claim(STEPS == 150, says="after 150 steps)")
claim((saddle_escape["adagrad"], saddle_escape["adamw"], saddle_escape["gd"]) == (1, 1, 38),
      says="escape in 1 step, GD at its η = 0.1 takes 38")
claim(race["bowl", "adagrad"]["lr"], approx=10, rel=1e-9, says="Adagrad (η = 10)")
claim(race["bowl", "gd"]["lr"], approx=0.1, rel=1e-9, says="GD at its η = 0.1 takes 38")
FAST_AT_SHARED = ("adagrad", "rmsprop") + ADAM_FAMILY
claim(max(saddle_shared[n] for n in FAST_AT_SHARED),
      lt=min(saddle_shared[n] for n in ("gd", "momentum", "nesterov")),
      says="Adagrad, RMSprop and the Adam family still escape before GD, momentum and Nesterov")
claim(max(saddle_shared, key=saddle_shared.get) == "adadelta", says="becomes the slowest")
claim(bool(np.isclose(A[0, 0], A[1, 1], rtol=1e-12)), says="the 45° bowl's Hessian has equal diagonal entries")
claim(all(race[p, "adamw"]["gap"] > race[p, "adam"]["gap"] for p in ("rosenbrock", "beale")),
      says="AdamW ends above Adam")
claim(bowl_steps["aligned", "adagrad"], lt=bowl_steps["aligned", "gd"] / 5,
      says="tuned Adagrad converges in far fewer steps than tuned GD")
claim(bowl_steps["rotated", "adagrad"], gt=bowl_steps["rotated", "gd"] / 2,
      says="its lead is gone or small")
claim(race["bowl", "momentum"]["gap"], gt=1e3 * race["bowl", "gd"]["gap"],
      says="ends far above GD")
lam_min, lam_max = np.linalg.eigvalsh(A)      # the race bowl's curvatures, κ = 10
beta_star = ((math.sqrt(lam_max / lam_min) - 1) / (math.sqrt(lam_max / lam_min) + 1)) ** 2
eta_star = 1 / math.sqrt(lam_min * lam_max)
claim(lam_max / lam_min, approx=10, rel=1e-9, says="for κ = 10")
claim(beta_star, approx=0.27, rel=0.01, says="β ≈ 0.27")
claim(eta_star, approx=0.32, rel=0.02, says="η ≈ 0.32")
tuned_momentum = run_path(bowl, "momentum", steps=STEPS, lr=eta_star, beta=beta_star)
claim(tuned_momentum.losses[-1] - bowl.f_min, lt=1e-3 * race["bowl", "gd"]["gap"],
      says="it ends far below GD")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A real data set: breast cancer diagnosis
#
# Test functions are clean; real losses are not. The Wisconsin breast cancer data set ships
# inside scikit-learn (no download): tumours described by a few dozen measurements each,
# labelled malignant or benign. We hold out a fifth of the records as a test set (chosen by a
# seeded Generator), standardise every feature with the mean and standard deviation of the
# **training** records only, and train the course's two-layer network with every optimizer.
#
# `sklearn.datasets.load_breast_cancer` reads a small CSV file that scikit-learn ships. We
# need none of scikit-learn's code, and importing it is slow, so the course's
# `course_lib.data.breast_cancer_table` reads that same file with NumPy (its first line holds
# the table's size and the class names, then one record per line, the label last). It falls
# back to `load_breast_cancer` itself if a scikit-learn version keeps the file elsewhere.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 9 min**
#
# - **Point:** on a real network (30 features, 513 parameters, 48 updates per run, 5 seeds at the
#   tuned η), every tuned optimizer reaches the same test accuracy within the seed-to-seed spread
#   (all ten within 2 sd of the best); η matters more than the optimizer: tuned GD ends at 0.0497,
#   Adam at the worst η of the grid far above it (both printed).
# - **Demo:** the loss and accuracy curves of the tuning runs, then the results table: point at the
#   spread (one test record is 0.0088 of accuracy, one sd is one to two records) and at which
#   differences are larger than it (only Adadelta's training loss).
# - **Ask the room:** "Adam has the best mean test accuracy, 0.968 against GD's 0.966. Is Adam
#   better here?" **Answer:** no: the difference is smaller than 2 sd (a fraction of one test
#   record): a tie.
# - **Cut when short:** the loader paragraph (how the CSV is read without scikit-learn).

# %% tags=["slides-output-only"]
from course_lib.data import breast_cancer_table  # noqa: E402

X_all, y_all = breast_cancer_table()
gen = np.random.default_rng(0)
order = gen.permutation(len(y_all))
n_test = len(y_all) // 5
test_idx, train_idx = order[:n_test], order[n_test:]
mean, std = X_all[train_idx].mean(axis=0), X_all[train_idx].std(axis=0)
X_train, X_test = (X_all[train_idx] - mean) / std, (X_all[test_idx] - mean) / std
y_train, y_test = y_all[train_idx].astype(float), y_all[test_idx].astype(float)
print(f"train {X_train.shape}, test {X_test.shape}; label 1 (benign) in "
      f"{y_train.mean():.1%} of the training and {y_test.mean():.1%} of the test records")
net = TwoLayerNet(X_train.shape[1], 16)
print(net, "with", net.n_params, "parameters")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The budget** (printed below): the same mini-batch size, number of epochs and η grid for
# every optimizer. The grid goes up in steps of √10 ≈ 3.2 and is wide enough that every
# winner sits inside it (a winner at an edge would be marked `*`). The η with the lowest final
# *training* loss is kept; to save time, the tuning uses one seed (seed 0). Each optimizer
# then trains at its tuned η with four more seeds (a seed sets the initial weights and the
# order of the mini-batches), and the table reports the mean ± sd over the five. The test set
# plays no part in the choice; it is looked at only once the choice is made. The curves below
# are the tuning runs (seed 0).

# %% tags=["slides-output-only"]
from course_lib.training import train  # noqa: E402

NET_GRID = np.logspace(-1.5, 1.5, 7)    # 0.032 to 32, each √10 times the one before
BATCH, EPOCHS = 64, 6
SEEDS = (0, 1, 2, 3, 4)                  # seed 0 tunes η; all five are reported
per_epoch = iterations_per_epoch(len(y_train), BATCH)


def fit(name, lr, seed=0, **hp):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # a diverged run is reported as inf
        return train(net, X_train, y_train, name, batch_size=BATCH, epochs=EPOCHS, rng=seed,
                     record_path=seed == 0, progress=False, lr=lr, **hp)


net_runs, net_finals, net_edge = {}, {}, {}
for name in NAMES:
    runs = [fit(name, lr) for lr in NET_GRID]
    net_finals[name] = np.array([np.inf if r.diverged else r.loss_per_epoch[-1] for r in runs])
    i = int(np.argmin(net_finals[name]))
    net_runs[name], net_edge[name] = runs[i], i in (0, NET_GRID.size - 1)
seed_runs = {n: [r] + [fit(n, r.hparams["lr"], seed) for seed in SEEDS[1:]]
             for n, r in net_runs.items()}
print(f"η grid: {', '.join(f'{lr:.2g}' for lr in NET_GRID)}; batch size {BATCH}, {EPOCHS} "
      f"epochs: {per_epoch} iterations per epoch, {EPOCHS * per_epoch} updates per run; "
      f"{len(SEEDS)} seeds at the tuned η")


def epoch_params(res, e):
    """The parameters at the end of epoch e (0 = before training), read from the path."""
    return {k: v[e * res.iterations_per_epoch] for k, v in res.path.items()}


test_acc = {n: [net.accuracy(epoch_params(r, e), X_test, y_test) for e in range(EPOCHS + 1)]
            for n, r in net_runs.items()}             # the tuning runs (seed 0), epoch by epoch

# %% tags=["slides-output-only"]
fig, (ax_l, ax_a) = plt.subplots(1, 2, figsize=(10, 3.6))
epochs_axis = np.arange(EPOCHS + 1, dtype=float)
plots.plot_loss_curves({n: (epochs_axis, r.loss_per_epoch) for n, r in net_runs.items()},
                       ax=ax_l, log=True)
ax_l.set_xlabel("epoch")
ax_l.set_ylabel("training loss (cross-entropy)")
ax_l.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))   # ticks 0.1, 0.2, 0.5, ...
ax_l.yaxis.set_major_formatter(StrMethodFormatter("{x:g}"))      # plain numbers,
ax_l.yaxis.set_minor_locator(NullLocator())                       # no minor ticks: quick to draw
ax_l.get_legend().remove()
for i, (name, acc) in enumerate(test_acc.items()):
    ax_a.plot(epochs_axis, acc, color=plots.COLORS[i], label=name)
ax_a.set_xlabel("epoch")
ax_a.set_ylabel("test accuracy")
ax_a.set_ylim(0.85, 1.0)
ax_a.legend(fontsize="x-small", ncol=2)
fig.subplots_adjust(wspace=0.3)
plt.show()

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
def final_loss(res):
    return np.inf if res.diverged else res.loss_per_epoch[-1]


seed_loss = {n: np.array([final_loss(r) for r in rs]) for n, rs in seed_runs.items()}
seed_acc = {n: np.array([net.accuracy(r.params, X_test, y_test) for r in rs])
            for n, rs in seed_runs.items()}


def ties(scores, best):
    """Optimizers whose mean is within 2 sd (the larger of the two) of the best mean."""
    m, sd = {n: v.mean() for n, v in scores.items()}, {n: v.std(ddof=1) for n, v in scores.items()}
    return [n for n in scores if abs(m[n] - m[best]) < 2 * max(sd[n], sd[best])]


rows = ["| optimizer | tuned η | training loss | test accuracy |", "|---|---|---|---|"]
for name, res in net_runs.items():
    rows.append(f"| {name} | {res.hparams['lr']:.2g}{'*' if net_edge[name] else ''} | "
                f"{seed_loss[name].mean():.4f} ± {seed_loss[name].std(ddof=1):.4f} | "
                f"{seed_acc[name].mean():.3f} ± {seed_acc[name].std(ddof=1):.3f} |")
display(Markdown("\n".join(rows)))
best_acc = max(NAMES, key=lambda n: seed_acc[n].mean())
best_loss = min(NAMES, key=lambda n: seed_loss[n].mean())
acc_ties, loss_ties = ties(seed_acc, best_acc), ties(seed_loss, best_loss)
acc_sd = {n: seed_acc[n].std(ddof=1) for n in NAMES}
print(f"mean ± sd over seeds {SEEDS[0]}-{SEEDS[-1]}; one test record is "
      f"{1 / len(y_test):.4f} of test accuracy; the sd of test accuracy across seeds ranges "
      f"from {min(acc_sd.values()):.3f} to {max(acc_sd.values()):.3f}")
print(f"best mean test accuracy: {best_acc}; within 2 sd of it (a tie): {len(acc_ties)} of "
      f"{len(NAMES)} ({', '.join(acc_ties)})")
print(f"lowest mean training loss: {best_loss}; within 2 sd of it: {', '.join(loss_ties)}; "
      f"clearly higher: {', '.join(n for n in NAMES if n not in loss_ties)}")
best_each = np.array([f.min() for f in net_finals.values()])
print(f"final training loss (seed 0), worst / best: across the tuned optimizers "
      f"{best_each.max() / best_each.min():.1f}; across the η grid, for one optimizer "
      f"(median over optimizers, diverged runs left out) "
      f"{np.median([f[np.isfinite(f)].max() / f.min() for f in net_finals.values()]):.1f}")
print(f"tuned GD: {net_finals['gd'].min():.4f}   Adam with the worst η of the grid: "
      f"{net_finals['adam'][np.isfinite(net_finals['adam'])].max():.4f}")
final_test = {n: seed_acc[n].mean() for n in NAMES}

# %% [markdown] slideshow={"slide_type": "subslide"}
# On this small, fairly easy data set **every tuned optimizer reaches the same test accuracy**,
# within the spread from seed to seed. Our rule: a difference smaller than 2 sd (the larger sd
# of the two) is a tie. All ten means lie within 2 sd of the best one (printed), and one sd is
# one to two test records, so no ranking by test accuracy survives the noise. The training
# loss, after the same 48 updates, separates them only a little: only Adadelta ends more than
# 2 sd above the lowest mean. And η matters more than the optimizer:
# the worst/best ratio of the training loss is larger across the η grid of one optimizer than
# across the tuned optimizers, and tuned plain GD beats Adam at a bad η.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(not any(net_edge.values()), says="every winner sits inside it")
claim(len(acc_ties), approx=len(NAMES), abs_tol=0,
      says="ten means lie within 2 sd of the best one")
claim(min(acc_sd.values()) * len(y_test), ge=0.9, says="one sd is one to two test records")
claim(max(acc_sd.values()) * len(y_test), le=2.1, says="one sd is one to two test records")
claim(EPOCHS * per_epoch, approx=48, abs_tol=0, says="after the same 48 updates")
claim([n for n in NAMES if n not in loss_ties] == ["adadelta"],
      says="only Adadelta ends more than 2 sd above the lowest mean")
claim(np.median([f[np.isfinite(f)].max() / f.min() for f in net_finals.values()]),
      gt=best_each.max() / best_each.min(),
      says="larger across the η grid of one optimizer than across the tuned optimizers")
claim(net_finals["gd"].min(), lt=net_finals["adam"][np.isfinite(net_finals["adam"])].max(),
      says="tuned plain GD beats Adam at a bad η")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Learning-rate schedules
#
# A schedule changes η during training. Three classics, each a few lines, written as functions
# of the iteration $t = 0, 1, \dots, T-1$ and the base rate $\eta$:
#
# - **step decay**: multiply η by 0.1 after each third of the run;
# - **cosine**: $\eta_t = \tfrac{\eta}{2}\bigl(1 + \cos(\pi t / T)\bigr)$, from η at $t = 0$
#   down towards 0 (reached at $t = T$, one step after the last);
# - **warm-up + cosine**: rise linearly from $\eta/w$ to η during the first $w$ iterations
#   (here $w$ is a tenth of the run), then cosine over the rest.
#
# The optimizer does not change: we pass `lr=schedule(t)` to the course's `update` at each
# iteration. The shapes are drawn below, next to the first experiment.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** a schedule wraps any optimizer (`lr=schedule(t)`): decay shrinks the noise region at
#   the end (SGD on the noisy bowl: mean distance 0.388 constant, 0.215 step decay, 0.113 cosine);
#   warm-up protects the start (Adam at ten times its tuned η: mean worst early batch loss 1.26
#   without, 0.72 with, over 5 seeds); in this short network run no schedule helped.
# - **Demo:** the three schedule shapes, the warm-up experiment (seed 0's early spike), the decay
#   experiment, then the four schedules on the network with momentum at η = 3.16.
# - **Ask the room:** "What is warm-up for?" **Answer:** protecting the start: over 5 seeds it
#   removed the large early loss spikes (two of the five constant runs had one) and changed little
#   in the others.
# - **Cut when short:** the last experiment (schedules on the network): say its result in one
#   sentence.

# %% slideshow={"slide_type": "skip"}
def step_decay(t, T, lr):
    return lr * 0.1 ** (t // math.ceil(T / 3))


def cosine(t, T, lr):
    return 0.5 * lr * (1.0 + math.cos(math.pi * t / T))


def warmup_cosine(t, T, lr, warmup_frac=0.1):
    w = max(1, int(warmup_frac * T))
    return lr * (t + 1) / w if t < w else cosine(t - w, T - w, lr)


def constant(t, T, lr):
    return lr


def warmup_constant(t, T, lr, warmup_frac=0.1):
    """The warm-up of warmup_cosine, then η held constant: warm-up alone, without decay."""
    w = max(1, int(warmup_frac * T))
    return lr * (t + 1) / w if t < w else lr


SCHEDULES = {"constant": constant, "step decay": step_decay, "cosine": cosine,
             "warm-up + cosine": warmup_cosine}


def train_scheduled(name, schedule, lr, *, epochs=EPOCHS, seed=0, T=None, **hp):
    """Mini-batch training with lr = schedule(t) at iteration t, around OPTIMIZERS[name].

    T is the schedule's length (default: the run's iterations); a shorter run with T given
    runs only the start of that schedule."""
    opt, rng = OPTIMIZERS[name], np.random.default_rng(seed)
    params = net.init_params(rng)
    state = opt.init(params)
    T, t, batch_losses = T or epochs * per_epoch, 0, []
    for _ in range(epochs):
        for X_b, y_b in minibatches(X_train, y_train, BATCH, rng=rng):
            loss, grads = net.loss_and_grads(params, X_b, y_b)
            params, state = opt.update(params, grads, state, lr=schedule(t, T, lr), **hp)
            batch_losses.append(loss)
            t += 1
    return params, np.array(batch_losses)

# %% [markdown]
# **Why warm-up?** At the start the weights are random and the gradient statistics are not
# yet known, so a large η can throw the network far off in the first few updates. Warm-up
# starts small. We train with Adam at an η well above the one it won with, once with that η
# constant and once with a warm-up of $w$ iterations and then the same constant η (no decay,
# so that only the warm-up differs), and look at the worst batch loss in the first $2w$
# iterations, for 5 seeds.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
eta_high = 10 * net_runs["adam"].hparams["lr"]
T = EPOCHS * per_epoch
w = max(1, int(0.1 * T))                              # the warm-up of warmup_constant
WARM = {"constant": constant, "warm-up, then constant": warmup_constant}
print(f"η = {eta_high:.3g}, ten times Adam's tuned η; warm-up w = {w} of {T} iterations")
spikes = {label: np.array([train_scheduled("adam", f, eta_high, epochs=math.ceil(2 * w / per_epoch),
                                           seed=seed, T=T)[1][:2 * w].max()
                           for seed in range(5)])
          for label, f in WARM.items()}
warm = {label: train_scheduled("adam", f, eta_high) for label, f in WARM.items()}   # seed 0
fig, (ax_s, ax_w) = plt.subplots(1, 2, figsize=(10, 3.3))
plots.plot_effective_lr({k: [f(t, T, 1.0) for t in range(T)] for k, f in SCHEDULES.items()
                         if k != "constant"}, ax=ax_s, log=False)
ax_s.set_ylabel("η_t / η")
ax_s.set_title(f"the three schedules over {T} iterations")
plots.plot_loss_curves({k: v[1][:40] for k, v in warm.items()}, ax=ax_w, log=False)
ax_w.set_ylabel("batch loss")
ax_w.set_title(f"Adam, η = {eta_high:.3g}: the first 40 iterations")
fig.subplots_adjust(wspace=0.3)
plt.show()
print(f"worst batch loss in iterations 1-{2 * w}, seeds 0-4:")
for label, sp in spikes.items():
    print(f"  {label:22s} {' '.join(f'{x:.2f}' for x in sp)}   mean {sp.mean():.2f} ± "
          f"{sp.std():.2f}")
spike_ratio = spikes["warm-up, then constant"].mean() / spikes["constant"].mean()
print(f"mean with warm-up / mean without: {spike_ratio:.2f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Left, the shapes of the three schedules; right, the warm-up experiment for seed 0 (whose
# constant run has a large early spike). Over the 5 seeds, warm-up lowers the mean worst batch
# loss of the first $2w$ iterations by about 40%, and never raises it: it removes the large
# spikes that two of the five constant runs have, and changes little in the others. This is one
# small network at one η: what warm-up is for is protecting the start, not the end result.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(1 - spike_ratio, approx=0.4, abs_tol=0.08, says="by about 40%")
claim(bool(np.all(spikes["warm-up, then constant"] <= spikes["constant"] + 1e-9)),
      says="and never raises it")
big = spikes["constant"] > 1.5 * spikes["warm-up, then constant"].max()
claim(int(big.sum()) == 2 and bool(big[0]), says="two of the five constant runs have")

# %% [markdown]
# **Why decay?** With a noisy gradient (a mini-batch estimate), a constant η keeps the
# iterate jittering in a noise region around the minimum whose size grows with η. Decaying η
# at the end shrinks that region. We measure it with plain SGD on the bowl with noisy
# gradients (the course's `noisy` problem): the mean distance to the minimum over the last
# steps of the run, averaged over a few seeds.

# %% tags=["slides-output-only"]
def distance_at_end(schedule, lr=0.1, steps=300, seeds=(0, 1, 2)):
    gd, out = OPTIMIZERS["gd"], []
    for seed in seeds:
        problem = noisy("bowl", sigma=2.0, rng=seed)
        params = problem.params()
        state = gd.init(params)
        dist = []
        for t in range(steps):
            _, grads = problem.loss_and_grads(params)
            params, state = gd.update(params, grads, state, lr=schedule(t, steps, lr))
            dist.append(np.linalg.norm(params["W"]))
        out.append(np.mean(dist[-50:]))
    return float(np.mean(out))


end_distance = {label: distance_at_end(SCHEDULES[label])
                for label in ("constant", "step decay", "cosine")}
for label, d in end_distance.items():
    print(f"{label:11s} mean distance to the minimum over the last 50 steps: {d:.3f}")

# %% [markdown]
# Both decays end nearer the minimum than the constant η (printed): the noise region shrinks
# with η, as promised.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(max(end_distance["step decay"], end_distance["cosine"]), lt=end_distance["constant"],
      says="Both decays end nearer the minimum than the constant η")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Finally, the schedules on the network at a *sensible* η (SGD with momentum at the η it won
# with above, seed 0), to keep expectations honest:

# %%
eta_m = net_runs["momentum"].hparams["lr"]
sched_net = {}
for label, schedule in SCHEDULES.items():
    params, _ = train_scheduled("momentum", schedule, eta_m)
    sched_net[label] = (net.loss(params, X_train, y_train), net.accuracy(params, X_test, y_test))
    print(f"momentum, η = {eta_m:.3g}, {label:16s} training loss {sched_net[label][0]:.4f}, "
          f"test accuracy {sched_net[label][1]:.3f}")
sched_acc = [acc for _, acc in sched_net.values()]
print(f"test accuracies differ by {round((max(sched_acc) - min(sched_acc)) * len(y_test))} "
      f"test records at most")

# %% [markdown]
# In a run this short, no schedule helps: the constant rate ends with the lowest training loss
# (it keeps the large η for longer), and the test accuracies differ by two records at most,
# within the seed-to-seed spread measured above. Schedules are meant for long runs, where the
# end of training sits in the noise region of the experiment above, and warm-up for a high η.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(min(sched_net, key=lambda k: sched_net[k][0]) == "constant",
      says="the constant rate ends with the lowest training loss")
claim(round((max(sched_acc) - min(sched_acc)) * len(y_test)), le=2,
      says="the test accuracies differ by two records at most")
claim((max(sched_acc) - min(sched_acc)), le=2 * max(acc_sd.values()),
      says="within the seed-to-seed spread measured above")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The story in one table
#
# Every optimizer of the course exists to fix a weakness of the one before. The last column
# is measured in this notebook (on the breast cancer network and in the race above), not
# quoted.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** each optimizer fixes one weakness of the one before, and every "measured here" cell
#   comes from this notebook, not from a slogan.
# - **Demo:** read the table row by row, pausing on the last column (gradient error 0, 1.35, 0.17
#   for GD, SGD and mini-batch; Adagrad's rate after 150 steps against RMSprop's).
# - **Ask the room:** "Which weakness does each method leave for the next one?" **Answer:** GD: cost
#   per update; SGD: noise; mini-batch: zig-zag; momentum: one η for every parameter; Adagrad: a
#   rate that collapses; RMSprop: the raw, noisy direction; Adam: η still to choose.

# %% tags=["slides-output-only"]
params0 = net.init_params(0)
_, g_full = net.loss_and_grads(params0, X_train, y_train)
flat = np.concatenate([g.ravel() for g in g_full.values()])


def gradient_error(batch, draws=50, seed=1):
    """Mean ‖dW_batch − dW_full‖ / ‖dW_full‖ at the same weights, over random batches."""
    rng, errs = np.random.default_rng(seed), []
    for _ in range(draws):
        idx = rng.choice(len(y_train), size=batch, replace=False)
        _, g = net.loss_and_grads(params0, X_train[idx], y_train[idx])
        errs.append(np.linalg.norm(np.concatenate([v.ravel() for v in g.values()]) - flat))
    return np.mean(errs) / np.linalg.norm(flat)


def rate_change(name):
    """Effective learning rate after the last step / after the first, on Rosenbrock."""
    res = run_path("rosenbrock", name, steps=STEPS, lr=race["rosenbrock", name]["lr"],
                   record_lr=True)
    return res.lr_eff[-1] / res.lr_eff[0]


rate_after = {n: rate_change(n) for n in ("adagrad", "rmsprop")}
adam_first = race["rosenbrock", "adam"]["run"]
first_step = np.abs(adam_first.path[1] - adam_first.path[0]) / race["rosenbrock", "adam"]["lr"]
measured = {
    "gd": f"{len(y_train)} records per update; gradient error 0",
    "sgd": f"1 record per update; gradient error {gradient_error(1):.2f}",
    "mini": f"{BATCH} records per update; gradient error {gradient_error(BATCH):.2f}",
    "momentum": (f"Rosenbrock: tuned η {race['rosenbrock', 'momentum']['lr']:.2g} vs "
                 f"GD's {race['rosenbrock', 'gd']['lr']:.2g}; best f − f* "
                 f"{race['rosenbrock', 'momentum']['gap']:.1e} vs GD's "
                 f"{race['rosenbrock', 'gd']['gap']:.1e}"),
    "adagrad": f"Rosenbrock: η_t after {STEPS} steps / after 1: "
               + ", ".join(f"{x:.3f}" for x in rate_after["adagrad"]),
    "rmsprop": f"RMSprop on Rosenbrock: η_t after {STEPS} steps / after 1: "
               + ", ".join(f"{x:.2f}" for x in rate_after["rmsprop"]),
    "adam": (f"first step / η = {', '.join(f'{x:.3f}' for x in first_step)}; "
             f"good-η window {windows['adam']} (GD {windows['gd']})"),
}
story = [
    ("Gradient descent", "uses the exact gradient of all records", "every update reads the "
     "whole data set: its cost grows with the number of records", measured["gd"]),
    ("SGD", "one record per update: cheap", "very noisy steps", measured["sgd"]),
    ("Mini-batch SGD", "a batch of B records: the compromise", "still a noisy zig-zag",
     measured["mini"]),
    ("Momentum", "averages the gradients (EWA): smooths, allows a larger η",
     "one η for every parameter", measured["momentum"]),
    ("Adagrad", "a per-parameter rate η/(√α_t + ε)", "α_t only grows: the rate collapses",
     measured["adagrad"]),
    ("RMSprop / Adadelta", "an EWA of dW² instead of the sum: the rate stays alive",
     "steers with the raw, noisy gradient", measured["rmsprop"]),
    ("Adam", "momentum + RMSprop + bias correction", "η still to choose (and schedule)",
     measured["adam"]),
]
display(Markdown("| method | fixes | leaves | measured here |\n|---|---|---|---|\n" + "\n".join(
    f"| {m} | {f} | {lv} | {x} |" for m, f, lv, x in story)))

# %% [markdown] slideshow={"slide_type": "slide"} tags=["slides-compact"]
# ## A decision guide
#
# Each point says what backs it: a measurement in this notebook, or common practice, with who
# reports it. This notebook's problems are small, so common practice on large networks is
# quoted, not re-measured.
#
# 1. **Tune η first, on a log grid, before concluding anything.** *Measured here:* on the
#    network, the final training loss of one optimizer changes by a far larger factor across
#    the η grid than across the tuned optimizers (printed under the network table).
# 2. **Adam is a forgiving first choice.** *Measured here:* the Adam family has the widest
#    good-η windows in the race of test functions. *Common practice:* Adam with the paper's
#    suggested defaults (Kingma & Ba, 2015), which are PyTorch's and the course's too (printed
#    below), with η tuned.
# 3. **If you regularise with weight decay, use AdamW**, not Adam plus an L2 term. *Measured
#    here* (the cell below repeats Chapter 9's experiment): with Adam + L2 the decay is divided
#    by $\sqrt{\hat s}$, so the weight with large gradients is barely decayed and the one with
#    tiny gradients is wiped out; AdamW shrinks both alike, close to pure decay.
#    *Common practice:* Loshchilov & Hutter (2019) proposed it, and PyTorch ships it as
#    `torch.optim.AdamW`; Adam with weight decay, a warm-up and then a decay of η is the recipe
#    that the BERT (Devlin et al., 2019) and GPT-3 (Brown et al., 2020) papers report for
#    transformers.
# 4. **SGD + momentum with a schedule** is the classic recipe for image classifiers (ResNet, He
#    et al., 2016), and carefully tuned it has been reported to generalise as well as or better
#    than adaptive methods on some tasks (Wilson et al., 2017). This is an open debate.
#    *Measured here:* on our small data set, tuned momentum and tuned Adam tie on test accuracy
#    (printed below). Momentum in the course's EWA form does not take bigger steps than GD at
#    the same η: on a constant slope its steady step *equals* GD's: steadier, not bigger. On
#    an ill-conditioned problem its speed-up comes from choosing β and η together (the √κ
#    story of [Chapter 6](06_momentum.ipynb)): the best pair,
#    $\beta^* = \bigl(\tfrac{\sqrt\kappa-1}{\sqrt\kappa+1}\bigr)^2$ and
#    $\eta^* = 1/\sqrt{\lambda_{min}\lambda_{max}}$, uses an η about $\sqrt\kappa/2$ times the
#    largest GD survives (above it once κ > 4) and needs about $\sqrt\kappa$ times fewer steps
#    than GD at its best η; with a fixed β the error can shrink no faster than $\sqrt\beta$ per
#    step, whatever η (its rate is set by β, so at equal η it can already be faster on a
#    quadratic). (PyTorch's form,
#    $v = \mu v + g$, takes $1/(1-\mu)$ times longer steady steps at the same `lr`.) On
#    Rosenbrock, with β = 0.9 fixed, momentum won with an η ten times GD's and ended far closer
#    to the minimum (story table).
# 5. **Add a schedule for long runs, and a warm-up when η is high.** *Measured here:* decay
#    shrank SGD's noise region, and warm-up removed the large early loss spikes of some seeds
#    (schedules section);
#    in our short network run no schedule helped. *Common practice:* step decay (ResNet),
#    cosine decay (Loshchilov & Hutter, 2017) and a linear warm-up for large batches and
#    large η (Goyal et al., 2017).
# 6. **Avoid Adagrad for long runs of deep networks.** *Measured here:* its effective rate only
#    falls; on Rosenbrock it ended below a tenth of its first value within the race's step
#    budget, while RMSprop's did not (story table). *Common practice:* Adagrad is still used
#    for sparse features, the case it was designed for (Duchi et al., 2011).

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** six rules, each labelled with what backs it: a measurement here or common practice
#   and who reports it: tune η first; Adam is a forgiving first choice; AdamW for weight decay; SGD
#   + momentum with a schedule is the classic image recipe (a debate, not a law); schedules for long
#   runs, warm-up for high η; avoid Adagrad for long runs. Then the two recipes practitioners
#   copy (conventions from the papers, not measured here): AdamW + warm-up + cosine with β2
#   0.95-0.98, weight decay 0.01-0.1 and clipping at 1.0 for transformers; SGD + (Nesterov)
#   momentum 0.9 + weight decay + step or cosine decay for vision CNNs.
# - **Demo:** read the guide; run the cell below it (AdamW against Adam + L2, momentum and Adam tied
#   on test accuracy, Adam's defaults), then the recipes cell (its sources, and the warm-up +
#   cosine factors); chapter 12 runs these pieces.
# - **Ask the room:** "A new network, no prior knowledge: which optimizer, and why?" **Answer:**
#   Adam (AdamW with weight decay) at its defaults, tuning η on a log grid: it forgives a rough η;
#   on a small problem a tuned plain method may do as well.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
grid_spread = np.median([f[np.isfinite(f)].max() / f.min() for f in net_finals.values()])
claim(grid_spread, gt=5 * best_each.max() / best_each.min(),
      says="changes by a far larger factor across the η grid than across the tuned optimizers")
eta_ratio = race["rosenbrock", "momentum"]["lr"] / race["rosenbrock", "gd"]["lr"]
claim(eta_ratio, approx=10.0, rel=1e-9, says="momentum won with an η ten times GD's")
claim(OPTIMIZERS["momentum"].check_hparams(lr=1.0)["beta"], approx=0.9, rel=1e-12,
      says="with β = 0.9 fixed")
claim(race["rosenbrock", "momentum"]["gap"], lt=race["rosenbrock", "gd"]["gap"] / 10,
      says="ended far closer to the minimum")
claim(eta_star / (2 / lam_max), approx=math.sqrt(lam_max / lam_min) / 2, rel=1e-9,
      says="times the largest GD survives")
claim(math.sqrt(4) / 2 == 1, says="above it once κ > 4")
claim(max(rate_after["adagrad"]), lt=0.1,
      says="it ended below a tenth of its first value within the race's step budget")
claim(min(rate_after["rmsprop"]), gt=0.1, says="while RMSprop's did not")
claim(int(big.sum()), ge=1, says="warm-up removed the large early loss spikes of some seeds")

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
lam, eta, n_steps = 0.1, 0.01, 500            # Chapter 9's experiment, repeated here
sigma = np.array([10.0, 0.01])                # gradient sizes of weight 1 and weight 2
w_l2, w_dec = {"W": np.ones(2)}, {"W": np.ones(2)}
st_l2, st_dec = OPTIMIZERS["adam"].init(w_l2), OPTIMIZERS["adamw"].init(w_dec)
for t in range(1, n_steps + 1):
    data_grad = sigma * (-1.0) ** t           # zero-mean gradients: no signal, only decay
    w_l2, st_l2 = OPTIMIZERS["adam"].update(w_l2, {"dW": data_grad + lam * w_l2["W"]}, st_l2,
                                            lr=eta)
    w_dec, st_dec = OPTIMIZERS["adamw"].update(w_dec, {"dW": data_grad}, st_dec, lr=eta,
                                               weight_decay=lam)
print(f"|W| after {n_steps} steps of decay λ = {lam:g} (pure decay: "
      f"{(1 - eta * lam) ** n_steps:.3f}):")
print(f"  Adam + L2: {np.abs(w_l2['W']).round(3)}   AdamW: {np.abs(w_dec['W']).round(3)}")
for name in ("momentum", "adam", "adamw"):
    print(f"network test accuracy, {name:8s}: {seed_acc[name].mean():.3f} ± "
          f"{seed_acc[name].std(ddof=1):.3f} (tuned η {net_runs[name].hparams['lr']:.2g})")
print("Adam's defaults in the course:", OPTIMIZERS["adam"].check_hparams())

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
pure = (1 - eta * lam) ** n_steps
claim(np.abs(w_dec["W"]).min(), approx=pure, rel=0.05, says="AdamW shrinks both alike")
claim(np.abs(w_dec["W"]).max(), approx=pure, rel=0.05, says="close to pure decay")
claim(abs(w_l2["W"][0]), gt=0.9, says="the weight with large gradients is barely decayed")
claim(abs(w_l2["W"][1]), lt=0.01, says="the one with tiny gradients is wiped out")
claim("momentum" in ties({n: seed_acc[n] for n in ("momentum", "adam")}, "adam"),
      says="tuned momentum and tuned Adam tie on test accuracy")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The recipes practitioners use.** These are *conventions*, quoted from the papers that report
# them (the cell below prints them with their sources), not measured in this notebook: its
# problems are far too small to test them.
#
# - **Transformers: AdamW, a linear warm-up, then a cosine decay.** The common settings: β1 =
#   0.9, β2 between 0.95 and 0.98 (below Adam's default 0.999, so s forgets an old spike sooner),
#   weight decay 0.01-0.1, gradients clipped at a global norm of 1.0. *Who uses it:* GPT-3
#   (Brown et al., 2020, appendix B) reports β2 = 0.95, clipping at 1.0, weight decay 0.1 and a
#   cosine decay to a tenth of η after a linear warm-up; LLaMA (Touvron et al., 2023) the same
#   values; RoBERTa (Liu et al., 2019) β2 = 0.98 and weight decay 0.01, with a linear decay.
# - **Vision CNNs: SGD with momentum 0.9 (often Nesterov's), weight decay 1e-4 to 5e-4, and a
#   step or cosine decay of η.** *Who uses it:* ResNet (He et al., 2016): momentum 0.9, weight
#   decay 1e-4, batch 256, η = 0.1 divided by 10 whenever the error plateaus; Wide ResNets
#   (Zagoruyko & Komodakis, 2016): Nesterov momentum 0.9, weight decay 5e-4; the cosine instead
#   of the steps: SGDR (Loshchilov & Hutter, 2017). These η are for PyTorch's momentum
#   ($v \leftarrow \mu v + g$): the course's EWA form takes the same steps with η/(1 − β), so
#   ResNet's 0.1 is η = 1 here ([Chapter 6](06_momentum.ipynb)).
#
# In the library: `OPTIMIZERS["adamw"]` or `OPTIMIZERS["nesterov"]`, a schedule from
# `course_lib.core.schedules.make_schedule`, and `train(..., clip_norm=1.0)`.
# [Chapter 12](12_optimizers_at_scale.ipynb) puts these pieces to work: clipping, warm-up and
# schedules, batch size and the learning rate, optimizer memory, and training on several workers.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
from course_lib.core.schedules import make_schedule

# Conventions quoted from the papers named (values as they report them), not measurements.
RECIPES = [
    ("transformers", "AdamW", "beta1 0.9, beta2 0.95-0.98, weight decay 0.01-0.1, "
     "clip global norm 1.0", "linear warm-up, then cosine decay to 0.1 of the peak η",
     ["GPT-3 (Brown et al. 2020): beta2 0.95, clip 1.0, weight decay 0.1, cosine to 0.1",
      "LLaMA (Touvron et al. 2023): beta2 0.95, clip 1.0, weight decay 0.1, cosine to 0.1",
      "RoBERTa (Liu et al. 2019): beta2 0.98, weight decay 0.01, linear decay"]),
    ("vision CNNs", "SGD + momentum (Nesterov)", "momentum 0.9, weight decay 1e-4 to 5e-4",
     "η 0.1, divided by 10 at plateaus (step decay), or a cosine decay",
     ["ResNet (He et al. 2016): momentum 0.9, weight decay 1e-4, batch 256, η 0.1, / 10",
      "Wide ResNet (Zagoruyko & Komodakis 2016): Nesterov momentum 0.9, weight decay 5e-4",
      "SGDR (Loshchilov & Hutter 2017): cosine decay of η"]),
]
for task, optimizer, hparams, schedule, sources in RECIPES:
    print(f"{task}: {optimizer}; {hparams}; {schedule}")
    for source in sources:
        print(f"    {source}")
warm_cos = make_schedule("warmup_cosine", warmup=4, total=20, min_factor=0.1)
print("warm-up + cosine to 0.1 (20 updates, 4 of warm-up):", warm_cos.factors(21).round(2))
print(f"PyTorch's η = 0.1 with momentum 0.9 is η = {0.1 / (1 - 0.9):.3g} in the course's EWA form")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Side by side with PyTorch
#
# The course's optimizers compute the same rules as `torch.optim`, with the mapping written
# in `torch_spec` at the top of the chapter (and in each optimizer's `.torch` attribute). The
# background process started there ran every one of them in PyTorch on the bowl, from the same
# start, with η = 0.1 and the other hyperparameters at their defaults; here we compare the
# paths with the course's.
#
# PyTorch is optional. To run this comparison, install the CPU build into the course's
# environment, `pip install torch==2.13.0` (add `--index-url
# https://download.pytorch.org/whl/cpu` to avoid the large GPU build), and restart the kernel.
# Without it the cell says so and the rest of the notebook is unaffected.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** every course optimizer computes the same path as its `torch.optim` counterpart
#   (differences at float64 rounding), once the hyperparameters are mapped (`lr = η·(1−β)` for
#   momentum, `alpha=0.9` for the course's RMSprop).
# - **Demo:** the printed comparison (it needs PyTorch; without it the cell says so).
# - **Ask the room:** "Which course optimizer needs its lr changed when you move to PyTorch?"
#   **Answer:** momentum and Nesterov: lr = η·(1−β) (0.01 for η = 0.1, β = 0.9); the others take η
#   as it is.
# - **Cut when short:** skip it; the mapping is on the notation page.

# %% tags=["nbval-ignore-output", "slides-output-only"]
torch_diffs = {}                     # optimizer -> largest |torch − course| over the path
if torch_run is None:
    print("PyTorch is not installed: `pip install torch==2.13.0` to compare with torch.optim.")
else:
    out, err = torch_run.communicate(timeout=300)
    if torch_run.returncode != 0:
        print("The PyTorch run failed:", err.strip().splitlines()[-1])
    else:
        torch_paths = json.loads(out)
        for name in NAMES:
            course = run_path(bowl, name, steps=100, **torch_hp[name]).path
            theirs = np.array(torch_paths[name])[: len(course)]
            cls, kwargs = torch_specs[name]
            args = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                             for k, v in kwargs.items())
            torch_diffs[name] = np.abs(theirs - course).max()
            print(f"{name:9s} torch.optim.{cls}({args})\n          largest difference "
                  f"over 100 steps: {torch_diffs[name]:.1e}")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
if torch_diffs:                      # only when PyTorch is installed and ran
    claim(max(torch_diffs.values()), lt=1e-12,
          says="compute the same rules as `torch.optim`")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Play with it
#
# The playground, started with the learning rates each optimizer won with on Beale. Move them
# off the tuned value and watch how quickly each optimizer falls apart (or does not); that is
# the good-η window of the race, live.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** the good-η window of the race, live.
# - **Demo:** the playground on Beale, started at each optimizer's tuned η from the race (GD 0.032,
#   momentum 0.032, RMSprop 1, Adam 3.2). Move each η off its tuned value and watch which optimizer
#   falls apart first.
# - **Ask the room:** before moving the sliders: "Which optimizer will tolerate the largest change
#   of η?" **Answer:** the race says the Adam family (widest good-η windows); GD and RMSprop have
#   the narrowest.

# %% tags=["nbval-ignore-output"]
from course_lib.widgets import playground  # noqa: E402

tuned = {n: {"lr": float(race["beale", n]["lr"])} for n in ("gd", "momentum", "rmsprop", "adam")}
pg = playground("beale", list(tuned), steps=STEPS, hparams=tuned)
pg

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1: the training budget
#
# Write `total_iterations(n, batch_size, epochs)`: how many updates does a run of `epochs`
# epochs over `n` records take with mini-batches of `batch_size` (the last batch of each epoch
# may be short)? Then check it against the budget of the network race.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** three short exercises: the training budget, GD's stability bound 2/λ_max, and
#   momentum raced on Rosenbrock.
# - **Demo:** show the three stubs and their `check(...)` calls; the budget cell prints 48 updates
#   per network run.
# - **Ask the room:** "456 records, batch size 64, 6 epochs: how many updates?" **Answer:** 6 ×
#   ⌈456/64⌉ = 6 × 8 = 48.
# - **Cut when short:** set all three as homework.

# %%
def total_iterations(n, batch_size, epochs):
    ### BEGIN SOLUTION
    return epochs * math.ceil(n / batch_size)
    ### END SOLUTION


# %%
check("total_iterations", total_iterations)

# %% slideshow={"slide_type": "skip"}
hint("total_iterations")

# %% slideshow={"slide_type": "skip"}
try:
    print("your count:", total_iterations(len(y_train), BATCH, EPOCHS),
          "| updates each network run took:", net_runs["adam"].iterations)
except NotImplementedError:
    print("Complete `total_iterations` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: where plain GD must stop
#
# Write `stable_lr_bound(H)`: the largest learning rate for which gradient descent converges on
# a quadratic with Hessian `H`. Then compare it with the η that GD won with on the bowl: the
# winner must sit below the bound, and the next grid value above the bound must diverge.

# %%
def stable_lr_bound(H):
    ### BEGIN SOLUTION
    return float(2.0 / np.linalg.eigvalsh(H).max())
    ### END SOLUTION


# %%
check("stable_lr_bound", stable_lr_bound)

# %% slideshow={"slide_type": "skip"}
hint("stable_lr_bound")

# %% slideshow={"slide_type": "skip"}
try:
    bound = stable_lr_bound(A)                     # A is the bowl's Hessian (its gradient is A W)
    above = LR_GRID[LR_GRID > bound][0]
    print(f"bound 2/λ_max = {bound:.3g}; GD's tuned η = {race['bowl', 'gd']['lr']:.3g}; "
          f"first grid η above the bound, {above:.3g}, diverges: "
          f"{run_path(bowl, 'gd', steps=STEPS, lr=above).diverged}")
except NotImplementedError:
    print("Complete `stable_lr_bound` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: momentum, raced
#
# Write `momentum_update(params, grads, state, *, lr, beta)` in the course's EWA form and race
# it against the library on Rosenbrock at the η momentum won with.

# %%
from course_lib.optimizers import MomentumState  # noqa: E402


def momentum_update(params, grads, state, *, lr, beta):
    ### BEGIN SOLUTION
    v = {g: beta * state.v[g] + (1 - beta) * grads[g] for g in grads}
    new_params = {k: W - lr * v["d" + k] for k, W in params.items()}
    return new_params, MomentumState(state.t + 1, v)
    ### END SOLUTION


# %%
check("momentum_update", momentum_update)

# %% slideshow={"slide_type": "skip"}
hint("momentum_update")

# %% slideshow={"slide_type": "skip"}
try:
    eta_rb = race["rosenbrock", "momentum"]["lr"]
    mine = run_path("rosenbrock", "momentum", steps=STEPS, lr=eta_rb, update=momentum_update)
    ref = run_path("rosenbrock", "momentum", steps=STEPS, lr=eta_rb)
    print("same path as the library's momentum:",
          np.allclose(mine.path, ref.path, rtol=1e-10, atol=1e-12))
except NotImplementedError:
    print("Complete `momentum_update` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# **"A new deep network, no prior knowledge: which optimizer?"** Adam with the default β1,
# β2 and ε, tuning η on a log grid; AdamW if you use weight decay. Then say *why*: it forgives
# a rough η (the Adam family had the widest good-η windows in the race of test functions), and
# the same η works across gradient scales ([Chapter 9](09_adam.ipynb) measured that). On a
# small problem, add that a tuned plain method may do as well: on our network, all ten tuned
# optimizers tied on test accuracy.
#
# **"Why do some people still use SGD with momentum?"** With careful tuning and a schedule it
# has been reported to generalise as well or better on some tasks, such as image
# classification (Wilson et al., 2017); it also keeps less state (one average instead of two).
# It is a debate, not a law: say so, and say what your own experiment showed (here, a tie).
# And say what momentum does: in the course's EWA form, its steady step on a constant slope
# equals GD's at the same η: steadier, not bigger. On an ill-conditioned problem it wins when
# β and η are chosen together: the best pair uses an η about $\sqrt\kappa/2$ times the largest
# GD survives (above it once κ > 4) and needs about $\sqrt\kappa$ times fewer steps than GD at
# its best η (with a fixed β, the error shrinks no faster than $\sqrt\beta$ per step, whatever
# η: its rate is set by β, so at equal η it can already be faster on a quadratic). In PyTorch's form, $v = \mu v + g$,
# the same `lr` gives $1/(1-\mu)$ times longer steady steps: say which form you mean.
#
# **"What is a learning-rate schedule for?"** Decay shrinks the noise region at the end of
# training; warm-up avoids the huge early steps when η is large. Both were measured above,
# and so was the limit: in a short run, no schedule helped.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** which optimizer and why, why SGD + momentum survives, what schedules are for.
# - **Demo:** read each question and let the room answer before revealing; `quiz(chapter=10)` if
#   time allows.
# - **Ask the room:** "Why do some people still train with SGD and momentum?" **Answer:** carefully
#   tuned with a schedule it has been reported to generalise as well or better on some tasks (Wilson
#   et al., 2017), and it keeps less state: a debate, not a law; here it tied with Adam.

# %% tags=["nbval-ignore-output"]
from course_lib.quiz import quiz  # noqa: E402

quiz(chapter=10)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - **A fair comparison tunes η for every optimizer** with the same budget; comparing at one η
#   mostly compares the η.
# - **A fair race** also says which way its test problems lean (an axis-aligned bowl is the
#   easy case for per-coordinate methods, a 45° bowl the hard one: report both, or say which
#   one you ran), flags winners at the edge of the η grid, and reports the spread over seeds:
#   a difference smaller than 2 sd is a tie.
# - **No optimizer wins everywhere.** The Adam family forgives a rough η best, which is one
#   reason it is the usual default; tuned plain methods can match it on a given problem.
# - **On a real network**, every tuned optimizer reached the same test accuracy within the
#   seed-to-seed spread; the choice of η mattered more than the choice of optimizer.
# - **Schedules** change η during training: decay for the noise at the end, warm-up for the
#   violence at the start. They wrap any optimizer in a few lines.
# - **What is left:** the whole story, told in an interview in two minutes, and the formulas on
#   one page. That is [Chapter 11](11_interview_prep.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** tune η for every optimizer, say which way the test problems lean, report the spread
#   over seeds; no optimizer wins everywhere; Adam forgives a rough η best.
# - **Demo:** none; read the summary.
# - **Ask the room:** "What makes an optimizer comparison fair?" **Answer:** the same tuning budget
#   for η, test problems whose lean is stated, edge-of-grid winners flagged, several seeds, and a
#   difference under 2 sd called a tie.
