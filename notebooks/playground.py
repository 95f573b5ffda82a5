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

# %% [markdown]
# `%matplotlib widget` makes the figure a live canvas (ipympl): a slider move redraws only the
# paths, not the contour lines.

# %%
# %matplotlib widget
from course_lib.widgets import playground

# %% tags=["nbval-ignore-output"]
pg = playground("rosenbrock", ["gd", "momentum", "rmsprop", "adam"], steps=200)
pg

# %% [markdown]
# The same numbers as text (they change when you move a slider and run this cell again):

# %%
print("\n".join(pg.notes))

# %% [markdown]
# ## Things to try
#
# 1. **GD's learning rate.** On the `gd` tab raise η from 0.002 to 0.004: GD gets much further
#    along the valley (final loss about 0.14 instead of 2.4). At 0.007 it diverges within a few
#    steps, and the message says where. Rosenbrock's valley is narrow: its steep walls, not its
#    gentle floor, set the largest stable learning rate.
# 2. **Momentum's β.** With β = 0 momentum is plain GD (the two paths coincide). In the course's
#    EWA form a steady slope gives the same step as GD, so β = 0.9 alone gains little; what it
#    buys is stability: momentum with β = 0.9 still converges at η = 0.03, where GD blew up long
#    before. Try it.
# 3. **RMSprop and Adam.** Both divide by √s, so the step size barely depends on how steep the
#    function is: η is roughly the distance moved per step. Move Adam's η between 0.01 and 0.3,
#    then set β1 = 0 (Adam becomes bias-corrected RMSprop) and compare the paths.
# 4. **Another function.** Pick `saddle`: its start lies a hair off the ridge (W₂ = 0.001).
#    RMSprop escapes first, because dividing by √s makes the tiny slope along W₂ count as much as
#    the steep one along W₁; GD slides along the ridge to the saddle point at the origin and is
#    still next to it after 200 steps. Pick `himmelblau` and move the start point to see which
#    of the four minima each optimizer finds.
#
# The playground is also a Python object: `pg.controls["gd.lr"].value = 0.004` moves the slider
# from code, and `pg.results["gd"]` holds the run it drew (path, losses, message).
