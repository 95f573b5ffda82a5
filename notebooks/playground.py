# %% [markdown]
# # The optimizer playground
#
# Every optimizer of the course on one test function, side by side: the left plot shows the
# path each one takes over the contour lines of the loss, the right plot its loss gap
# f(W) − f* after each step (log scale). Move a slider and the paths are recomputed at once.
#
# - **test function**: the bowl (a convex quadratic), Rosenbrock's banana valley, Beale,
#   Himmelblau (four minima) or a saddle (no minimum at all).
# - **optimizers**: ctrl- or ⌘-click to show several.
# - **hyperparameters**: one tab per optimizer, one slider per symbol of its update rule
#   (η, β, β1, β2, ε); learning rates move on a log scale.
# - **steps** and the **start point** W = (W₁, W₂).
#
# The line under the controls gives each optimizer's final loss, how far it ended from the
# nearest minimum, or, when a run blew up, at which step and what to try.
#
# Without a running kernel (for example on GitHub) the widget cannot be shown; this is what it
# looks like:
#
# ![the playground in JupyterLab](../docs/img/playground.png)

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** every optimizer of the course on one test function, paths and loss gap side by side;
#   keep it open for questions from the room at any time.
# - **Demo:** run the widget cell (Rosenbrock; GD, momentum, RMSprop and Adam; 200 steps), show the
#   controls: test function, optimizers (ctrl- or ⌘-click for several), one tab of sliders per
#   optimizer, steps and start point; then read the message line under the controls.
# - **Ask the room:** "GD ends at a loss of about 2.4 after 200 steps here. What would you change
#   first?" **Answer:** its η: the playground starts GD at 0.002; the list below shows what 0.004
#   and 0.007 do.

# %% [markdown] slideshow={"slide_type": "subslide"}
# `%matplotlib widget` makes the figure a live canvas (ipympl): a slider move redraws only the
# paths, not the contour lines.

# %% slideshow={"slide_type": "skip"}
# %matplotlib widget
import numpy as np

from course_lib.claims import claim
from course_lib.paths import run_path
from course_lib.problems import get_problem
from course_lib.widgets import START_LR, playground

# %% tags=["nbval-ignore-output"]
pg = playground("rosenbrock", ["gd", "momentum", "rmsprop", "adam"], steps=200)
pg

# %% [markdown]
# The same numbers as text (they change when you move a slider and run this cell again):

# %%
print("\n".join(pg.notes))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Things to try
#
# - **GD's learning rate.** On the `gd` tab raise η from 0.002 to 0.004: in 200 steps GD gets
#   much further along the valley (final loss about 0.14 instead of 2.4). At 0.007 it diverges
#   within a few steps, and the message says where. Rosenbrock's valley is narrow: its steep
#   walls, not its gentle floor, set the largest stable learning rate. Near the minimum the
#   steepest curvature is λ_max ≈ 1002, so GD is stable there only for η below
#   2/λ_max ≈ 0.0020: with η = 0.004, raise the steps to 1000 and GD never settles, it bounces
#   across the valley and its loss is higher at step 1000 than at step 200.
# - **Momentum's β.** With β = 0 momentum is plain GD (at the same η the two paths coincide).
#   In the course's EWA form a steady slope gives the same step as GD, so β = 0.9 alone gains
#   nothing at GD's η (final loss 2.5 against 2.4); what it buys is stability: momentum with β = 0.9 still converges at
#   η = 0.03, where GD blew up long before. Try it.
# - **RMSprop and Adam.** Both divide by √s, so the step size barely depends on how steep the
#   function is: η sets the scale of the distance moved per step. Move Adam's η between 0.01 and
#   0.3 (the larger η gets much closer to the minimum in 200 steps), then set β1 = 0 (Adam
#   becomes bias-corrected RMSprop) and compare the paths.
# - **Another function.** Pick `saddle`: its start lies a hair off the ridge (W₂ = 0.001).
#   RMSprop and Adam both escape within 100 steps (RMSprop a few steps first, at the playground's
#   starting η), because dividing by √s makes the tiny slope along W₂ count as much as the steep
#   one along W₁; GD slides along the ridge to the saddle point at the origin and is still next
#   to it after 200 steps. Pick `himmelblau` and move the start point to see which
#   of the four minima each optimizer finds.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** the list is a warm-up or a closing exercise: each item is one lesson of the course,
#   checked by the hidden claim cell below it.
# - **Demo:** on the `gd` tab raise η from 0.002 to 0.004 (final loss about 0.14 instead of 2.4),
#   then to 0.007 (diverges within a few steps, the message says where); set momentum's β to 0 (its
#   path is GD's), then β = 0.9 at η = 0.03 (converges where GD blew up); move Adam's η between 0.01
#   and 0.3, then β1 = 0; pick `saddle` (RMSprop and Adam escape within 100 steps, GD stays next to
#   the saddle point) and `himmelblau` with a moved start point.
# - **Ask the room:** before raising GD's η to 0.007: "Near Rosenbrock's minimum the steepest
#   curvature is about 1002. Which η is safe for GD there?" **Answer:** below 2/λ_max ≈ 0.0020: the
#   steep walls, not the gentle floor, set the largest stable learning rate.
# - **Cut when short:** keep the GD item and the `saddle` item.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
rosen = get_problem("rosenbrock")
gd = {lr: run_path(rosen, "gd", steps=200, lr=lr) for lr in (0.002, 0.004, 0.007)}
claim(pg.controls["gd.lr"].value, approx=0.002, rel=1e-9, says="raise η from 0.002 to 0.004")
claim(gd[0.004].losses[-1], approx=0.14, rel=0.05, says="final loss about 0.14 instead of 2.4")
claim(gd[0.002].losses[-1], approx=2.4, rel=0.05, says="final loss about 0.14 instead of 2.4")
claim(gd[0.007].diverged and gd[0.007].steps_taken < 10,
      says="At 0.007 it diverges within a few steps")
x, y = rosen.minima[0]
lam_max = np.linalg.eigvalsh([[2 + 1200 * x * x - 400 * y, -400 * x], [-400 * x, 200]])[-1]
claim(lam_max, approx=1002, rel=1e-3, says="the steepest curvature is λ_max ≈ 1002")
claim(2 / lam_max, approx=0.0020, rel=0.01, says="only for η below 2/λ_max ≈ 0.0020")
long = run_path(rosen, "gd", steps=1000, lr=0.004)
claim(long.losses[1000] > long.losses[200] and not long.diverged,
      says="its loss is higher at step 1000 than at step 200")
claim(np.array_equal(gd[0.002].path, run_path(rosen, "momentum", steps=200, lr=0.002,
                                                  beta=0.0).path),
      says="at the same η the two paths coincide")
mom_09 = run_path(rosen, "momentum", steps=200, lr=0.002, beta=0.9)
claim(mom_09.losses[-1], approx=gd[0.002].losses[-1], rel=0.1,
      says="so β = 0.9 alone gains nothing at GD's η")
claim(mom_09.losses[-1], approx=2.5, rel=0.02, says="final loss 2.5 against 2.4")
claim(gd[0.002].losses[-1], approx=2.4, rel=0.02, says="final loss 2.5 against 2.4")
mom_03 = run_path(rosen, "momentum", steps=200, lr=0.03, beta=0.9)
claim(mom_03.losses[-1], lt=0.01, says="momentum with β = 0.9 still converges at η = 0.03")
claim(run_path(rosen, "gd", steps=200, lr=0.03).diverged, says="where GD blew up long before")
adam = {lr: run_path(rosen, "adam", steps=200, lr=lr).losses[-1] for lr in (0.01, 0.3)}
claim(adam[0.3], lt=0.1 * adam[0.01],
      says="the larger η gets much closer to the minimum in 200 steps")
sad = get_problem("saddle")
claim(sad.start[1], approx=0.001, rel=1e-9, says="W₂ = 0.001")
escape = {n: int(np.argmax(np.abs(run_path(sad, n, steps=200, lr=START_LR["saddle"][n])
                                   .path[:, 1]) > 1) or 999)      # first step with |W2| > 1
          for n in ("gd", "momentum", "rmsprop", "adam")}
claim(max(escape["rmsprop"], escape["adam"]), lt=100, says="RMSprop and Adam both escape within 100 steps")
claim(0 < escape["adam"] - escape["rmsprop"] < 10 and min(escape["gd"], escape["momentum"]) > 200,
      says="RMSprop a few steps first")
claim(np.linalg.norm(run_path(sad, "gd", steps=200, lr=START_LR["saddle"]["gd"]).path[-1]),
      lt=0.1,
      says="is still next to it after 200 steps")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The playground is also a Python object: `pg.controls["gd.lr"].value = 0.004` moves the slider
# from code, and `pg.results["gd"]` holds the run it drew (path, losses, message).
