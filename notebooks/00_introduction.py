# %% [markdown]
# # Chapter 0 · Setting the scene: a network, a loss, one update rule
#
# **What you will be able to do**
#
# - name the parts of a small neural network (input, hidden and output layer, weights `W` and
#   biases `b`) and push data through it: **forward propagation**;
# - say what a **loss** measures, and pick mean squared error for regression and cross-entropy
#   for classification;
# - explain what **backward propagation** returns (the gradient dW for every weight) and check it
#   with numbers;
# - apply the update rule $W \leftarrow W - \eta \cdot dW$ by hand and in a training loop, and
#   watch the loss fall;
# - explain why the optimizer is a separate piece from the loss, and which chapter of this course
#   fixes which weakness.
#
# **Where this sits in the story.** Every optimizer in this course, from plain gradient descent
# to Adam, answers one question: *given the gradient, how do we change the weights?* This
# chapter builds everything that question needs (a model, a loss, a gradient) and the simplest
# answer. Each later chapter keeps the model, the loss and the gradient, and changes only the
# answer, or (Chapters 2-4) the records each gradient is computed on, to fix a problem of the
# chapter before it. The map is at the end of this notebook.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** every optimizer of the course answers one question: given the gradient, how do we
#   change the weights? This chapter builds what the question needs (a model, a loss, a gradient)
#   and the simplest answer.
# - **Demo:** no code: read the learning goals out, then go straight to the first picture.
# - **Ask the room:** "What does an optimizer change: the model, the loss or the step?"
#   **Answer:** only the step; the model, the loss and the gradient stay the same in every
#   chapter.
# - **Cut when short:** skip the story paragraph.

# %% slideshow={"slide_type": "skip"}
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np

from course_lib import plots
from course_lib.claims import claim
from course_lib.data import make_classification, make_moons, make_regression
from course_lib.models import LinearRegression, LogisticRegression, TwoLayerNet
from course_lib.optimizers import OPTIMIZERS
from course_lib.paths import run_path
from course_lib.training import train

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The picture: walking downhill
#
# Think of the loss as a landscape over the weights: every setting of the weights is a point on
# the ground, and the loss is the height there. Training means finding a low point. We cannot see
# the whole landscape; all we can measure where we stand is the **slope**, the gradient. It
# points uphill, so we take a small step the other way, measure again, and repeat.
#
# Below, a landscape with only two weights, $W_1$ and $W_2$ (a quadratic bowl; the red star is
# the minimum). The walker starts at the white circle and follows the update rule of this
# chapter. On the right, the height (the loss) after each step.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** the loss is a landscape over the weights; we can only measure the slope where we
#   stand, so we step downhill and measure again.
# - **Demo:** the bowl figure (gradient descent, η = 0.08, 50 steps): long first steps, short last
#   ones; the path first drops into the steep direction, then crawls along the flat one.
# - **Ask the room:** "Why do the steps get shorter although η stays the same?" **Answer:** the
#   step is η times the slope, and the slope flattens near the bottom.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
bowl_run = run_path("bowl", "gd", steps=50, lr=0.08)

fig, (ax_path, ax_loss) = plt.subplots(1, 2, figsize=(8, 3.5))
plots.plot_contour("bowl", ax=ax_path, levels=12, resolution=120)
plots.plot_paths("bowl", {"gradient descent, η = 0.08": bowl_run}, ax=ax_path, contour=False)
plots.plot_loss_curves({"gradient descent": bowl_run}, ax=ax_loss)
ax_loss.set_title("loss after each step")
fig.subplots_adjust(wspace=0.3)
plt.show()
print(f"loss at the start: {bowl_run.losses[0]:.3f}, after {bowl_run.steps_taken} steps: "
      f"{bowl_run.losses[-1]:.2e}")

# %% [markdown]
# Two things to notice already. The first steps are long and the last ones short: the step is
# η times the slope, and the slope flattens near the bottom. And the path bends: it first drops
# into the steep direction, then crawls along the flat one. Later chapters are about exactly
# these two effects.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
step_lengths = np.linalg.norm(np.diff(bowl_run.path, axis=0), axis=1)
claim(step_lengths[0] / step_lengths[-1], gt=100, says="The first steps are long and the last ones short")
steep_left = abs(bowl_run.path[5, 1] / bowl_run.path[0, 1])     # W2: the steep direction
flat_left = abs(bowl_run.path[5, 0] / bowl_run.path[0, 0])      # W1: the flat direction
claim(steep_left, lt=0.01, says="it first drops into the steep direction")
claim(flat_left, gt=0.5, says="then crawls along the flat one")

# %% [markdown]
# A real network has thousands or millions of weights instead of two, so nobody can draw its
# landscape, but the walk is the same.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A small network
#
# The network of this chapter has three layers:
#
# - the **input layer** holds one record's features $x$ (here $d = 2$ numbers);
# - the **hidden layer** has $h$ units; each computes a weighted sum of the inputs plus a bias,
#   then squashes it with an activation function ($\tanh$ here);
# - the **output layer** has one unit: a weighted sum of the hidden units plus a bias. For
#   classification a sigmoid turns it into a probability $\hat y$.
#
# The weights live in matrices: $W_1$ (shape $d \times h$) and $b_1$ ($h$) between input and
# hidden layer, $W_2$ ($h$) and $b_2$ (one number) between hidden and output layer. In the code
# they sit in one dict, `params = {"W1": ..., "b1": ..., "W2": ..., "b2": ...}`, and every
# gradient has the same key with a `d` in front (`grads["dW1"]`, ...).

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** input, hidden (tanh) and output layer (a sigmoid for classification); the weights
#   W1, b1, W2, b2 sit in one dict, and every gradient has the same key with a d in front.
# - **Demo:** the network sketch, then the moons data: 200 points, 8 hidden units, 33 trainable
#   numbers.
# - **Ask the room:** "Why does the moons data set need a hidden layer?" **Answer:** no straight
#   line separates the two moons.
# - **Cut when short:** skip the printout of the shapes.

# %% tags=["hide-input"]
def draw_network(n_in, n_hidden, ax):
    """A sketch of the two-layer network: dots for units, grey lines for weights."""
    xs = [1.0, 4.0, 7.0]
    ys = [np.linspace(-0.18 * (k - 1), 0.18 * (k - 1), k) for k in (n_in, n_hidden, 1)]
    for (x0, y0s), (x1, y1s) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
        for a in y0s:
            for b in y1s:
                ax.plot([x0, x1], [a, b], color="0.8", linewidth=0.8, zorder=1)
    for x, yy, color in zip(xs, ys, ["#9ecae1", "#fdd0a2", "#c7e9c0"]):
        ax.scatter(np.full(yy.size, x), yy, s=110, color=color, edgecolors="k", zorder=2)
    labels = ["input layer\n$x$: d = %d features" % n_in,
              "hidden layer: %d units\n$H = \\tanh(XW_1 + b_1)$" % n_hidden,
              "output layer\n$\\hat y = \\sigma(HW_2 + b_2)$"]
    for x, text in zip(xs, labels):
        ax.text(x, 1.6, text, ha="center", va="bottom", fontsize=9)
    ax.text(2.5, -1.55, "weights $W_1, b_1$", ha="center", va="top", fontsize=9)
    ax.text(5.5, -1.55, "weights $W_2, b_2$", ha="center", va="top", fontsize=9)
    ax.annotate("", xy=(8.6, 0.0), xytext=(7.3, 0.0), arrowprops={"arrowstyle": "->"})
    ax.text(8.7, 0.0, "loss\n$L(\\hat y, y)$", va="center", fontsize=9)
    ax.annotate("", xy=(9.3, 2.65), xytext=(0.5, 2.65),
                arrowprops={"arrowstyle": "->", "color": "#1f77b4"})
    ax.text(4.9, 2.75, "forward propagation: prediction, then loss", color="#1f77b4",
            ha="center", va="bottom", fontsize=9)
    ax.annotate("", xy=(0.5, -2.45), xytext=(9.3, -2.45),
                arrowprops={"arrowstyle": "->", "color": "#d62728"})
    ax.text(4.9, -2.55, "backward propagation: $dW_2, db_2$, then $dW_1, db_1$",
            color="#d62728", ha="center", va="top", fontsize=9)
    ax.set_xlim(0.0, 10.0)
    ax.set_ylim(-3.2, 3.3)
    ax.axis("off")


N_HIDDEN = 8
fig, ax = plt.subplots(figsize=(8, 3.5))
draw_network(2, N_HIDDEN, ax)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The data set: two interleaving half moons, 200 points, two classes. No straight line separates
# them, so a model without a hidden layer cannot get them all right; a small network can.

# %%
data = make_moons(n=200, noise=0.15, rng=0)
X, y = data.X, data.y
net = TwoLayerNet(2, N_HIDDEN, activation="tanh", task="classification")
params = net.init_params(rng=0)

print(data.name)
print(f"X: {X.shape}, y: {y.shape}, labels {sorted(set(y.tolist()))}")
print(net)
for key, value in params.items():
    print(f"  params[{key!r}]: shape {value.shape}")
print(f"trainable numbers: {net.n_params}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Forward and backward propagation
#
# **Forward propagation** computes the prediction, layer by layer, for all $n$ records at once
# (each row of $X$ is a record):
#
# $$A_1 = X W_1 + b_1, \qquad H = \tanh(A_1), \qquad z = H W_2 + b_2, \qquad
#   \hat y = \sigma(z) = \frac{1}{1 + e^{-z}}.$$
#
# The **loss** compares $\hat y$ with the labels $y$. For classification it is the binary
# cross-entropy (next section):
# $L = -\frac1n \sum_i \big[y_i \log \hat y_i + (1 - y_i)\log(1 - \hat y_i)\big]$.
#
# **Backward propagation** is the chain rule, applied from the loss back to every weight. For
# the sigmoid with cross-entropy the first factor is remarkably simple, $dz = (\hat y - y)/n$;
# after that each layer passes the gradient on to the one before it:
#
# $$dW_2 = H^\top dz, \quad db_2 = \textstyle\sum_i dz_i, \quad
#   dA_1 = (dz\, W_2^\top) \odot (1 - H^2), \quad dW_1 = X^\top dA_1, \quad
#   db_1 = \textstyle\sum_i dA_{1,i}.$$
#
# ($1 - H^2$ is the derivative of $\tanh$.) Here are the same lines in NumPy, next to the
# library's `net.forward` and `net.loss_and_grads`, which the rest of the course uses.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** forward propagation computes the prediction layer by layer; backward propagation is
#   the chain rule from the loss back to every weight; the finite-difference check proves a
#   backward pass right.
# - **Demo:** run the NumPy cell (the loss and every gradient by hand equal the library's), then
#   the finite-difference cell: backprop and the difference quotient agree to six digits.
# - **Ask the room:** "Walk me through one training step." **Answer:** forward pass, loss,
#   backward pass, update; optimizers only ever change the fourth beat.
# - **Cut when short:** show the outputs, not the NumPy lines.

# %% tags=["slides-output-only"]
n = X.shape[0]
W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]

# forward propagation
A1 = X @ W1 + b1                        # (n, h) weighted sums of the hidden layer
H = np.tanh(A1)                         # (n, h) hidden activations
z = H @ W2 + b2                         # (n,)   output before the sigmoid
y_hat = 1.0 / (1.0 + np.exp(-z))        # (n,)   probability of label 1
loss = -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))

# backward propagation (chain rule, from the loss back to the first layer)
dz = (y_hat - y) / n                    # dL/dz
grads_by_hand = {"dW2": H.T @ dz, "db2": np.array([dz.sum()])}
dA1 = np.outer(dz, W2) * (1 - H**2)     # dL/dA1
grads_by_hand.update({"dW1": X.T @ dA1, "db1": dA1.sum(axis=0)})

# the library
y_hat_lib, _ = net.forward(params, X)
loss_lib, grads = net.loss_and_grads(params, X, y)

print(f"loss by hand {loss:.6f}, library {loss_lib:.6f}")
print("same predictions:", np.allclose(y_hat, y_hat_lib))
for key in grads:
    print(f"{key:>4}: shape {grads[key].shape}, same as by hand: "
          f"{np.allclose(grads[key], grads_by_hand[key])}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# How do we know the chain rule was applied correctly? Nudge one weight by a tiny $h$ up and
# down and watch the loss: $\frac{L(w + h) - L(w - h)}{2h}$ must match the gradient. (This
# *finite-difference check* is the standard test for any hand-written backward pass.)

# %% tags=["slides-output-only"]
def loss_with_W1(i, j, delta):
    """The loss after changing the single weight W1[i, j] by delta."""
    shifted = {k: v.copy() for k, v in params.items()}
    shifted["W1"][i, j] += delta
    return net.loss(shifted, X, y)


h = 1e-6
fd_gaps = []
for i, j in [(0, 0), (1, 3)]:
    numeric = (loss_with_W1(i, j, h) - loss_with_W1(i, j, -h)) / (2 * h)
    fd_gaps.append(abs(numeric - grads["dW1"][i, j]))
    print(f"dL/dW1[{i},{j}]: backprop {grads['dW1'][i, j]:+.6f}, "
          f"finite difference {numeric:+.6f}")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(max(fd_gaps), lt=1e-8, says="must match the gradient")

# %% [markdown]
# **Interview angle.** "Walk me through one training step" is a classic opener. The answer has
# four beats: forward pass (prediction), loss (how wrong), backward pass (gradient of the loss for
# every weight), update (change the weights). Optimizers only ever change the fourth beat.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Losses for regression and classification
#
# The loss turns "how wrong are the predictions" into one number that calculus can work with.
# Which loss fits depends on what we predict:
#
# - **Regression** (a real number, e.g. a price): the **mean squared error**,
#   $L = \frac1n\sum_i (\hat y_i - y_i)^2$. Big errors cost much more than small ones. (This course
#   uses no factor ½ in front, as `torch.nn.MSELoss`; d2l's linear-regression chapter
#   puts ½ in front: a convention that gives the same minimiser, with half the value and half
#   the gradient.)
# - **Classification** (a label 0 or 1, predicted as a probability $\hat y$): the **binary
#   cross-entropy** (log loss), $L = -\frac1n\sum_i [y_i\log\hat y_i + (1-y_i)\log(1-\hat y_i)]$.
#   A confident wrong answer ($\hat y \to 0$ when $y = 1$) costs without limit.
#
# Why not simply count the mistakes (accuracy)? Because the count does not change when a weight
# moves a little: it is flat almost everywhere, so its gradient is zero and tells the optimizer
# nothing. The plot shows the loss of **one** record as a function of the prediction.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 6 min**
#
# - **Point:** mean squared error for regression, cross-entropy for classification; accuracy gives
#   no gradient, and the squared error behind a sigmoid hardly pushes a model that is confidently
#   wrong.
# - **Demo:** the nudge cell (W2[0] moved by 1e-3: the cross-entropy moves, the accuracy stays at
#   0.520000), then one record with z = −5: the cross-entropy's gradient −0.9933 against the
#   squared error's −0.0132, 75 times smaller.
# - **Ask the room:** "Why can't we train on accuracy directly?" **Answer:** it is flat almost
#   everywhere, so its gradient is zero and tells the optimizer nothing.
# - **Cut when short:** the cell "The optimizer is a separate piece": say it in one sentence.

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
fig, (ax_reg, ax_cls) = plt.subplots(1, 2, figsize=(8, 3.5))
pred = np.linspace(-1.0, 5.0, 200)
ax_reg.plot(pred, (pred - 2.0) ** 2, label="squared error $(\\hat y - y)^2$")
ax_reg.axvline(2.0, color="0.6", linestyle=":")
ax_reg.set(title="regression, target y = 2", xlabel="prediction $\\hat y$", ylabel="loss")
ax_reg.legend(fontsize="small")

prob = np.linspace(0.005, 0.995, 200)
ax_cls.plot(prob, -np.log(prob), label="cross-entropy $-\\log \\hat y$")
ax_cls.plot(prob, (prob - 1.0) ** 2, label="squared error $(\\hat y - 1)^2$")
ax_cls.step(prob, (prob < 0.5).astype(float), where="mid", color="0.4", linestyle="--",
            label="mistake count (0/1)")
ax_cls.set(title="classification, label y = 1", xlabel="predicted probability $\\hat y$",
           ylim=(0, 3))
ax_cls.legend(fontsize="small")
fig.subplots_adjust(wspace=0.3)
plt.show()

# %% [markdown]
# The same point with numbers on the moons: move one weight a tiny bit and compare how the
# cross-entropy and the accuracy react.

# %%
nudged = {k: v.copy() for k, v in params.items()}
nudged["W2"][0] += 1e-3
print(f"cross-entropy: {net.loss(params, X, y):.6f} -> {net.loss(nudged, X, y):.6f}")
print(f"accuracy:      {net.accuracy(params, X, y):.6f} -> {net.accuracy(nudged, X, y):.6f}")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
claim(net.accuracy(nudged, X, y) == net.accuracy(params, X, y),
      says="Because the count does not change when a weight moves a little")
claim(net.loss(nudged, X, y) != net.loss(params, X, y), says="compare how the cross-entropy and the accuracy react")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Why not the squared error for classification?** With a sigmoid output $\hat y = \sigma(z)$,
# the chain rule gives the gradient of one record's loss with respect to $z$:
#
# - cross-entropy: $\hat y - y$;
# - squared error $(\hat y - y)^2$: $2(\hat y - y)\cdot\hat y(1 - \hat y)$, because
#   $\sigma'(z) = \hat y(1 - \hat y)$.
#
# The extra factor $\hat y(1 - \hat y)$ is tiny when the sigmoid is saturated. So when the model
# is *confidently wrong* ($\hat y$ near 0 for a record with $y = 1$), the squared error hardly
# pushes, exactly when the model should learn most; the cross-entropy pushes with almost full
# force. One record, $y = 1$, $z = -5$:

# %%
z_wrong, y_true = -5.0, 1.0
p_wrong = 1.0 / (1.0 + np.exp(-z_wrong))
grad_ce = p_wrong - y_true
grad_se = 2 * (p_wrong - y_true) * p_wrong * (1 - p_wrong)
print(f"ŷ = σ({z_wrong:g}) = {p_wrong:.4f}")
print(f"dL/dz, cross-entropy:  ŷ − y              = {grad_ce:+.4f}")
print(f"dL/dz, squared error:  2(ŷ − y)·ŷ(1 − ŷ)  = {grad_se:+.4f}  "
      f"({abs(grad_ce / grad_se):.0f} times smaller)")

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
def slope_at(loss_of_z, z, h=1e-6):
    """dL/dz by a central finite difference."""
    return (loss_of_z(z + h) - loss_of_z(z - h)) / (2 * h)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


claim(slope_at(lambda z: -np.log(sigmoid(z)), z_wrong), approx=grad_ce, rel=1e-6,
      says="cross-entropy: $\\hat y - y$")
claim(slope_at(lambda z: (sigmoid(z) - 1.0) ** 2, z_wrong), approx=grad_se, rel=1e-6,
      says="because $\\sigma'(z) = \\hat y(1 - \\hat y)$")
claim(abs(grad_ce / grad_se), gt=50, says="the squared error hardly pushes")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The optimizer is a separate piece.** The loss says *what* we minimise; backpropagation gives
# its gradient; the optimizer only decides *how to step* with that gradient. So the very same
# optimizer call trains a regression model on the mean squared error and a classifier on the
# cross-entropy: only the model (and with it the loss) changes.

# %%
regression = make_regression(n=200, d=2, noise=0.3, rng=1)
blobs = make_classification(n=200, d=2, rng=1)
for model, d in [(LinearRegression(2), regression), (LogisticRegression(2), blobs)]:
    res = train(model, d.X, d.y, "gd", epochs=100, lr=0.1, progress=False)
    loss_name = "mean squared error" if model.task == "regression" else "cross-entropy"
    print(f"{model!r:<32} {loss_name:<19} {res.loss_per_epoch[0]:.3f} -> "
          f"{res.loss_per_epoch[-1]:.3f}")

# %% [markdown]
# **Interview angle.** "Is Adam a loss function?" No: swapping SGD for Adam never changes *what*
# is minimised, only *how* we walk downhill. And "why not train on accuracy?": its gradient is
# zero almost everywhere.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The update rule
#
# Everything in this course builds on one line. For every weight array, and the same for every
# bias:
#
# $$W_{\text{new}} = W_{\text{old}} - \eta \cdot \frac{\partial L}{\partial W_{\text{old}}},
#   \qquad\text{written}\qquad W \leftarrow W - \eta \cdot dW, \qquad
#   b \leftarrow b - \eta \cdot db.$$
#
# - $dW$ points in the direction in which the loss grows fastest, so we **subtract** it;
# - the **learning rate** $\eta$ (`lr`) sets the step length: too small and training crawls,
#   too large and it jumps over the valley ([Chapter 1](01_gradient_descent.ipynb) measures
#   both).
#
# One step with numbers: $W = 2$, $dW = 4$, $\eta = 0.1$. The library's plain gradient descent,
# `OPTIMIZERS["gd"]`, does the same arithmetic on a whole dict of arrays.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 7 min**
#
# - **Point:** W ← W − η·dW: dW points uphill, so we subtract it, and η sets the step length.
# - **Demo:** W = 2, dW = 4, η = 0.1 gives 1.6 by hand and with OPTIMIZERS["gd"]; then the loop
#   written out: 500 steps at η = 2, loss 0.694 → 0.020, accuracy 1.000, the same weights as
#   `train`.
# - **Ask the room:** "W = 2, dL/dW = 4, η = 0.1: what is the new W?" **Answer:** 1.6: let the
#   room compute it, then run the cell.
# - **Cut when short:** the plateau comparison (the straight boundary, and η = 6 below 0.15 after
#   40 epochs instead of 97).

# %%
W_old, dW, lr = 2.0, 4.0, 0.1
print(f"by hand: W_new = {W_old} - {lr} * {dW} = {W_old - lr * dW:.4g}")

gd = OPTIMIZERS["gd"]
one = {"W": np.array([W_old])}
new_params, state = gd.update(one, {"dW": np.array([dW])}, gd.init(one), lr=lr)
print(f"OPTIMIZERS['gd']: W_new = {new_params['W'][0]:.4g}, steps taken t = {state.t}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Training the network: the loop, written out
#
# Training repeats the four beats: forward pass, loss, backward pass, update. Here it is for the
# moons network with plain gradient descent, every record in every step. The loop is short
# enough to read in one go.

# %%
EPOCHS, LR = 500, 2.0

params_loop = net.init_params(rng=0)
losses = []
for _ in range(EPOCHS):
    loss, grads = net.loss_and_grads(params_loop, X, y)         # forward + loss + backward
    params_loop = {k: W - LR * grads["d" + k] for k, W in params_loop.items()}  # update
    losses.append(loss)

print(f"loss: step 0 {losses[0]:.3f}, step {EPOCHS // 10} {losses[EPOCHS // 10]:.3f}, "
      f"step {EPOCHS - 1} {losses[-1]:.3f}")
print(f"accuracy after training: {net.accuracy(params_loop, X, y):.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The library's `train` runs exactly this loop (and records more). The rest of the course calls
# it, changing only the optimizer's name and the batch size. Same start (seed 0), same
# learning rate, same number of steps: the same weights come out.

# %%
result = train(net, X, y, "gd", epochs=EPOCHS, lr=LR, rng=0, progress=False)
print(result.message)
print("same weights as the loop above:",
      all(np.allclose(result.params[k], params_loop[k]) for k in params_loop))

# %% slideshow={"slide_type": "subslide"} tags=["slides-output-only"]
fig, (ax_loss, ax_data) = plt.subplots(1, 2, figsize=(8, 3.5))
plots.plot_loss_curves({"two-layer net, GD": result}, by="epoch", ax=ax_loss)
ax_loss.set_title("cross-entropy, whole data set")

grid_x, grid_y = np.meshgrid(np.linspace(-1.5, 2.5, 150), np.linspace(-1.0, 1.5, 150))
grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
proba = net.predict_proba(result.params, grid).reshape(grid_x.shape)
ax_data.contourf(grid_x, grid_y, proba, levels=[0.0, 0.5, 1.0], colors=["#c6dbef", "#fdd0a2"])
ax_data.contour(grid_x, grid_y, proba, levels=[0.5], colors="k", linewidths=1)
ax_data.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=12, edgecolors="k", linewidths=0.3)
ax_data.set(title="learned boundary (ŷ = 0.5)", xlabel="$x_1$",
            ylabel="$x_2$")
fig.subplots_adjust(wspace=0.3)
plt.show()

# %% [markdown]
# The loss falls fast at first, then slowly: far from the minimum the gradient is large, and
# near it small steps remain. The network bends its boundary around the moons, which a straight
# line could not do.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
early = (losses[0] - losses[EPOCHS // 10]) / (EPOCHS // 10)          # mean fall per step
late = (losses[EPOCHS // 10] - losses[-1]) / (EPOCHS - 1 - EPOCHS // 10)
claim(early / late, gt=5, says="The loss falls fast at first, then slowly")
claim(net.accuracy(result.params, X, y), approx=1.0, abs_tol=1e-12,
      says="The network bends its boundary around the moons")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Notice also the short plateau early on, where the loss hardly moves. Where does it sit? Train
# the best *straight* boundary on the same data (logistic regression, no hidden layer) and
# compare:

# %%
line = train(LogisticRegression(2), X, y, "gd", epochs=EPOCHS, lr=LR, progress=False)
print(f"two-layer net, loss after 30 epochs:       {result.loss_per_epoch[30]:.3f}")
print(f"logistic regression (a straight boundary): {line.loss_per_epoch[-1]:.3f}, "
      f"accuracy {LogisticRegression(2).accuracy(line.params, X, y):.3f}")
past_plateau = {}                    # first epoch with a loss below 0.15, for two values of η
for eta, res in [(LR, result), (6.0, train(net, X, y, "gd", epochs=EPOCHS, lr=6.0, rng=0,
                                           progress=False))]:
    past_plateau[eta] = int(np.argmax(np.asarray(res.loss_per_epoch) < 0.15))
    print(f"GD with η = {eta:g}: loss below 0.15 after {past_plateau[eta]} epochs")

# %% [markdown]
# The network first learns about as much as a straight line can (its loss after 30 epochs is
# within 0.01 of the best straight boundary's), stalls there while the hidden units slowly pick
# up the curve, then drops again. Flat stretches like this one slow plain gradient descent
# down at a fixed η (η = 2 is not GD's limit here: with η = 6 the loss gets below 0.15 after
# 40 epochs instead of 97). Later chapters measure what momentum
# ([Chapter 6](06_momentum.ipynb)) and the adaptive methods ([Chapters 7-9](07_adagrad.ipynb))
# do about them.

# %% slideshow={"slide_type": "skip"} tags=["claim", "hide-cell"]
straight = line.loss_per_epoch[-1]
claim(abs(result.loss_per_epoch[30] - straight), lt=0.01,
      says="its loss after 30 epochs is within 0.01 of the best straight boundary's")
claim(LogisticRegression(2).accuracy(line.params, X, y), lt=1.0,
      says="a model without a hidden layer cannot get them all right")
claim(net.accuracy(result.params, X, y), approx=1.0, abs_tol=1e-12, says="a small network can")
claim(result.loss_per_epoch[-1] < 0.2 * straight, says="then drops again")
claim(past_plateau[6.0] == 40, says="with η = 6 the loss gets below 0.15")
claim(past_plateau[LR] == 97, says="after 40 epochs instead of 97")
claim(past_plateau[6.0] < past_plateau[LR], says="η = 2 is not GD's limit here")

# %% [markdown] slideshow={"slide_type": "slide"} tags=["slides-compact"]
# ## A map of the course
#
# The loop above used **all** 200 records for every update. That is fine for 200 records; for
# millions, every single update would wait for a pass over all of them
# ([Chapter 1](01_gradient_descent.ipynb) measures it). It is also the most naive way to use the
# gradient. Each chapter fixes
# one weakness of the one before and leaves a new one open:
#
# | chapter | method | what it fixes | what it leaves open |
# |---|---|---|---|
# | [Ch. 1](01_gradient_descent.ipynb) | gradient descent (full batch) | exact gradient, smooth path | every update needs the whole data set: memory and time |
# | [Ch. 2](02_sgd.ipynb) | stochastic gradient descent | one record per update: cheap steps | very noisy path; slow epochs in Python |
# | [Ch. 3](03_minibatch_sgd.ipynb) | mini-batch SGD | batches: vectorised and cheap | still a zig-zag |
# | [Ch. 4](04_epochs_and_iterations.ipynb) | epochs and iterations | the two training loops, counted | (bookkeeping) |
# | [Ch. 5](05_exponentially_weighted_average.ipynb) | exponentially weighted average | a tool that smooths a noisy series | a bias at the start (and its correction) |
# | [Ch. 6](06_momentum.ipynb) | SGD with momentum | averages the gradients: less zig-zag, so a larger η is safe on a long valley | one learning rate for every weight |
# | [Ch. 7](07_adagrad.ipynb) | Adagrad | a learning rate per weight, shrinking over time | the rate only shrinks: training stalls |
# | [Ch. 8](08_rmsprop_adadelta.ipynb) | RMSprop, Adadelta | a moving average instead of a sum: the rate stays alive | no momentum |
# | [Ch. 9](09_adam.ipynb) | Adam | momentum + RMSprop + bias correction | when not to use it (AdamW, schedules) |
# | [Ch. 10](10_choosing_an_optimizer.ipynb) | choosing an optimizer | which one, with which settings | |
# | [Ch. 11](11_interview_prep.ipynb) | interview prep | every question, in one place | |
#
# Whatever the chapter, the model, the loss and the backward pass stay exactly as in this
# notebook; only the update step changes, or (Chapters 2-4) the records each gradient is
# computed on.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 3 min**
#
# - **Point:** each chapter fixes one weakness of the one before and leaves a new one open; the
#   model, the loss and the backward pass never change.
# - **Demo:** the table; point at what gradient descent leaves open (every update needs the whole
#   data set): the hook for Chapter 1.
# - **Ask the room:** "Which part would you change to train a classifier instead of a regressor:
#   the model, the loss or the optimizer?" **Answer:** the model, and with it the loss; the
#   optimizer call stays the same.
# - **Cut when short:** read only the first three rows.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it: the playground
#
# The playground runs the update rule on a 2-D landscape. Move the learning rate η of `gd` and
# watch the path: small η crawls, larger η gets there faster, and too large a value blows up
# (the message under the controls says when, and why). Switch the test function to see
# landscapes that are harder than a bowl. (The widget needs a running kernel.)

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 4 min**
#
# - **Point:** the update rule live on a landscape with two weights: η decides between crawling,
#   arriving and blowing up.
# - **Demo:** the playground on the bowl with `gd` only. Start at the default η = 0.1, lower it
#   (the path crawls), then raise it until the message under the controls reports the divergence.
#   Switch the test function to `rosenbrock` to preview why the rest of the course exists.
# - **Ask the room:** "The path got faster when η grew: why not keep raising it?" **Answer:** past
#   a limit the steps overshoot the valley further each time and the run blows up; the message
#   names the limit.
# - **Cut when short:** skip `rosenbrock`.

# %% tags=["nbval-ignore-output"]
from course_lib.widgets import playground

playground("bowl", ["gd"], steps=50)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise is a function to complete (in the student copy its body is
# `raise NotImplementedError`: replace that line with your code). Run the cell, then the `check`
# cell under it. `check` runs your function on fixed inputs and names the
# classic mistakes it recognises. Stuck? `hint(name)` gives a nudge first, then the formula, then
# pseudo-code (call it again for the next level).

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** three small functions (mse_loss, forward_pass, weight_update), each with a `check`
#   cell and a `hint` cell.
# - **Demo:** show the task of weight_update and its `check(...)` call; hand out the student
#   copies (`make student`).
# - **Ask the room:** "Why must weight_update return a new array instead of changing W?"
#   **Answer:** the caller may still need the old W.
# - **Cut when short:** set all three as homework.

# %%
from course_lib.exercises import check, hint, list_exercises

list_exercises(chapter=0)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 1: the mean squared error
#
# `mse_loss(y_hat, y)` returns the mean of $(\hat y_i - y_i)^2$ over the records, as one number.

# %%
def mse_loss(y_hat, y):
    """Mean squared error of the predictions y_hat against the targets y."""
    ### BEGIN SOLUTION
    return float(np.mean((y_hat - y) ** 2))
    ### END SOLUTION


# %%
check("mse_loss", mse_loss)

# %% slideshow={"slide_type": "skip"}
hint("mse_loss")

# %% [markdown]
# Your loss against the library's linear regression (which computes the MSE the same way) on
# the regression data from above:

# %% slideshow={"slide_type": "skip"}
try:
    lin = LinearRegression(2)
    lin_params = {"W": np.array([0.5, -0.5]), "b": np.array([0.1])}
    mine = mse_loss(lin.predict(lin_params, regression.X), regression.y)
    print(f"yours {mine:.6f}, library {lin.loss(lin_params, regression.X, regression.y):.6f}")
except NotImplementedError:
    print("Complete `mse_loss` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: forward propagation
#
# `forward_pass(params, X)` for a network with one hidden layer and a **ReLU** activation,
# $\mathrm{ReLU}(a) = \max(a, 0)$, and no activation on the output (a regression network):
# $Z_1 = XW_1 + b_1$, $A_1 = \max(Z_1, 0)$, $\hat y = A_1 W_2 + b_2$.

# %%
def forward_pass(params, X):
    """Predictions (n,) of the network input -> hidden (ReLU) -> one linear output."""
    ### BEGIN SOLUTION
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(Z1, 0.0)
    return A1 @ params["W2"] + params["b2"]
    ### END SOLUTION


# %%
check("forward_pass", forward_pass)

# %% slideshow={"slide_type": "skip"}
hint("forward_pass")

# %% [markdown]
# The library's `TwoLayerNet` with `activation="relu"` and `task="regression"` is this network:

# %% slideshow={"slide_type": "skip"}
try:
    relu_net = TwoLayerNet(2, 4, activation="relu", task="regression")
    relu_params = relu_net.init_params(rng=3)
    print("same predictions as TwoLayerNet:",
          np.allclose(forward_pass(relu_params, X), relu_net.forward(relu_params, X)[0]))
except NotImplementedError:
    print("Complete `forward_pass` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: the update rule
#
# `weight_update(W, dW, lr)` returns $W - \eta \cdot dW$ as a **new** array: the `W` passed in
# must not change (the caller may still need it).

# %%
def weight_update(W, dW, lr):
    """One gradient-descent step for one weight array."""
    ### BEGIN SOLUTION
    return W - lr * dW
    ### END SOLUTION


# %%
check("weight_update", weight_update)

# %% slideshow={"slide_type": "skip"}
hint("weight_update")

# %% [markdown]
# Your rule, used on every array of the moons network, against one step of `OPTIMIZERS["gd"]`:

# %% slideshow={"slide_type": "skip"}
try:
    loss0, grads0 = net.loss_and_grads(params, X, y)
    yours = {k: weight_update(W, grads0["d" + k], 0.5) for k, W in params.items()}
    library, _ = gd.update(params, grads0, gd.init(params), lr=0.5)
    print("same step as OPTIMIZERS['gd']:", all(np.allclose(yours[k], library[k]) for k in params))
except NotImplementedError:
    print("Complete `weight_update` above (and run its check) first: this cell then compares it "
          "with the library.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interview questions
#
# Three questions worth answering out loud before you open the quiz:
#
# 1. *"Walk me through one training step."* Forward pass to the prediction, the loss compares it
#    with the target, the backward pass gives $dW$ for every weight by the chain rule, the
#    optimizer updates, in the simplest case $W \leftarrow W - \eta\cdot dW$.
# 2. *"Which loss for regression, which for classification, and why not accuracy?"* Mean squared
#    error; cross-entropy; accuracy is piecewise constant, so its gradient is zero almost
#    everywhere (the nudge experiment above).
# 3. *"W = 2, dL/dW = 4, η = 0.1: what is the new W?"* Work it out, then compare with the cell
#    in "The update rule".
#
# The quiz draws its questions from the course's bank; each answer is explained.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 2 min**
#
# - **Point:** the three opener questions, answered out loud before the quiz.
# - **Demo:** let the room answer each question before you reveal its answer; `quiz(chapter=0)` is
#   for self-study.
# - **Ask the room:** "Which loss for regression, which for classification, and why not accuracy?"
#   **Answer:** mean squared error; cross-entropy; the accuracy's gradient is zero almost
#   everywhere.
# - **Cut when short:** leave the quiz as homework.

# %% tags=["nbval-ignore-output"]
from course_lib.quiz import quiz

quiz(chapter=0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - A network turns inputs into a prediction by **forward propagation**; a **loss** (mean squared
#   error for regression, cross-entropy for classification) measures how wrong it is;
#   **backward propagation** gives the gradient $dW$ of the loss for every weight.
# - The **update rule** $W \leftarrow W - \eta\cdot dW$ (and the same for $b$) walks downhill;
#   repeated, it trained the moons network above.
# - The optimizer is separate from the loss: the same rule trained a regression model and two
#   classifiers.
#
# **What is left open.** Our loop used every record for every single update. With 200 records
# nobody notices; with a million, each update needs the whole data set, in memory or read in full
# from disk, and a full pass of compute. [Chapter 1](01_gradient_descent.ipynb) makes this *full-batch gradient descent*
# precise, measures what one update costs, and looks closely at the learning rate.

# %% [markdown] slideshow={"slide_type": "notes"} tags=["remove-cell", "speaker-notes"]
# **Speaker notes · 1 min**
#
# - **Point:** forward pass, loss, backward pass, update; the optimizer is a separate piece from
#   the loss.
# - **Demo:** no code: read "What is left open".
# - **Ask the room:** "What does one update cost when the data set has a million records?"
#   **Answer:** a forward and backward pass over all of them, with the data in memory or read from
#   disk: Chapter 1 measures it.
