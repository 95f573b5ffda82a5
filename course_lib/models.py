r"""Models with a forward pass, a loss and a backward pass written out by hand (NumPy only).

Every model works on parameters kept outside it, as a dict of arrays, so that an optimizer can
update them: ``{"W": (d,), "b": (1,)}`` for the linear models, ``{"W1": (d, h), "b1": (h,),
"W2": (h,), "b2": (1,)}`` for the two-layer network. Gradients are the matching dict with a ``d``
in front of each key (``"dW"``, ``"db"``, ``"dW1"``, ...), as ``course_lib.optimizers`` expects.

The same steps as in the lecture, one method each::

    y_hat, cache = model.forward(params, X)    # forward propagation
    loss = model.loss(params, X, y)            # the error (cost) function
    grads = model.backward(params, cache, y)   # backward propagation: dL/dW for every weight

``loss_and_grads`` does all three at once, sharing the work.

Losses
------
- Regression: mean squared error, :math:`L = \frac1n \sum_i (\hat y_i - y_i)^2` (no 1/2 in front,
  as in ``torch.nn.MSELoss``), so :math:`dL/d\hat y_i = 2(\hat y_i - y_i)/n`.
- Classification (labels 0 / 1): binary cross-entropy on the logit :math:`z`,
  :math:`L = \frac1n \sum_i \log(1 + e^{z_i}) - y_i z_i` (as ``torch.nn.BCEWithLogitsLoss``),
  computed as :math:`\max(z, 0) + \log(1 + e^{-|z|}) - y z`: no overflow and never ``log(0)``.
  Its gradient is :math:`dL/dz_i = (\sigma(z_i) - y_i)/n`.

>>> import numpy as np
>>> model = LinearRegression(2)
>>> params = {"W": np.array([1.0, -1.0]), "b": np.array([0.5])}
>>> X, y = np.array([[1.0, 2.0], [3.0, 1.0]]), np.array([0.0, 2.0])
>>> model.loss(params, X, y)   # y_hat = [-0.5, 2.5]: errors -0.5 and 0.5
0.25
>>> {k: g.tolist() for k, g in model.loss_and_grads(params, X, y)[1].items()}
{'dW': [1.0, -0.5], 'db': [0.0]}
"""
from __future__ import annotations

import contextlib
import math
import warnings

import numpy as np

from ._validate import (_show, _show_big, check_array, check_choice, check_number,
                        check_numbers_fit, check_rng, real_array)

__all__ = ["Model", "LinearRegression", "LogisticRegression", "TwoLayerNet", "sigmoid"]


# --------------------------------------------------------------------------------------------
# The output layer: turns the last pre-activation z into y_hat, the loss and dL/dz.
def sigmoid(z):
    r"""The logistic function :math:`\sigma(z) = 1 / (1 + e^{-z})`, without overflow.

    For :math:`z < 0` it uses :math:`\sigma(z) = e^{z} / (1 + e^{z})`, so no ``exp`` of a big
    positive number is ever taken.

    >>> sigmoid(np.array([0.0, 1000.0, -1000.0])).tolist()
    [0.5, 1.0, 0.0]
    """
    if not isinstance(z, (np.ndarray, list, tuple)):
        z = check_number("z", z)  # one number: a NaN is refused here (an array may hold NaN)
    z = real_array("z", z)
    if z.ndim == 0:  # a number: the parts below work on arrays
        return float(_sigmoid_parts(z.reshape(1))[0][0])
    return _sigmoid_parts(z)[0]


def _sigmoid_parts(z):
    """``(sigmoid(z), exp(-|z|))``; the second part serves the stable cross-entropy."""
    e = np.abs(z)
    np.negative(e, out=e)
    np.exp(e, out=e)                          # e = exp(-|z|) in (0, 1]: never overflows
    p = e + 1.0
    np.reciprocal(p, out=p)                   # sigmoid(|z|)
    # sigmoid(-|z|) = exp(-|z|) * sigmoid(|z|) where z < 0 (np.where: 3-5x faster than where=)
    return np.where(z < 0, p * e, p), e


def _output_forward(task, z, cache):
    """Fill ``cache`` with what the loss and the gradient need; return y_hat."""
    cache["z"] = z
    if task == "regression":
        return z
    p, e = _sigmoid_parts(z)
    cache["p"], cache["e"] = p, e
    return p


def _output_loss(task, cache, y) -> float:
    """Mean squared error, or binary cross-entropy from the logit (see the module docstring)."""
    return _output_loss_sum(task, cache, y) / cache["z"].shape[0]


def _output_loss_sum(task, cache, y) -> float:
    """The loss summed (not averaged) over the records: chunks of a big batch add these up."""
    z = cache["z"]
    if task == "regression":
        r = z - y
        return float(r @ r)
    # log(1 + e^z) - y z = max(z, 0) + log1p(exp(-|z|)) - y z; cache["e"] holds exp(-|z|).
    return float(np.log1p(cache["e"]).sum() + np.maximum(z, 0.0).sum() - y @ z)


def _output_delta(task, cache, y, n=None):
    """dL/dz for every sample, the 1/n of the mean already included (n: records in the batch)."""
    n = y.shape[0] if n is None else n
    if task == "regression":
        dz = cache["z"] - y
        dz *= 2.0 / n
    else:
        dz = cache["p"] - y
        dz *= 1.0 / n
    return dz


# --------------------------------------------------------------------------------------------
# BLAS threads. The products here read a big X once (memory-bound): on a small shared machine a
# second OpenBLAS thread does not help and often stalls them (3-5x slower); one thread also gives
# the same sums on every machine. So from BLAS_ONE_THREAD_SIZE numbers in X on, the public
# methods below and course_lib.training.train hold BLAS to one thread while they run.
#: X.size from which the heavy calls run with one BLAS thread (needs threadpoolctl).
BLAS_ONE_THREAD_SIZE = 100_000
_controller = []  # [threadpoolctl.ThreadpoolController or None], made on first use


def _blas_limit(size):
    """A context manager: one BLAS thread when ``size >= BLAS_ONE_THREAD_SIZE``, else nothing."""
    if size < BLAS_ONE_THREAD_SIZE:
        return contextlib.nullcontext()
    if not _controller:
        try:
            from threadpoolctl import ThreadpoolController
            _controller.append(ThreadpoolController())
        except ImportError:  # pragma: no cover - a scikit-learn dependency, normally present
            _controller.append(None)
    if _controller[0] is None:  # pragma: no cover
        return contextlib.nullcontext()
    return _controller[0].limit(limits=1, user_api="blas")


# --------------------------------------------------------------------------------------------
class Model:
    """What every model shares: parameter shapes, checks, and the public methods.

    A subclass sets ``task`` ("regression" or "classification"), ``n_features`` and
    ``param_shapes``, and writes the unchecked ``_forward(params, X) -> (y_hat, cache)`` and
    ``_backward(params, cache, dz) -> grads``. The public methods check their arguments once and
    call those; the training loop, having checked everything up front, calls them directly.

    Attributes
    ----------
    n_params : int
        Total number of trainable numbers (weights and biases).
    """

    task = "regression"
    n_features: int
    param_shapes: dict

    @property
    def n_params(self) -> int:
        return sum(math.prod(s) for s in self.param_shapes.values())

    # ---- the lecture's three steps, checked ---------------------------------------------
    def init_params(self, rng=0) -> dict:
        """Starting parameters (seeded). Linear models start at zero; see each class."""
        check_rng("rng", rng)
        return {k: np.zeros(s) for k, s in self.param_shapes.items()}

    def forward(self, params, X):
        """Forward propagation: ``(y_hat, cache)``; ``cache`` keeps what ``backward`` needs.

        ``y_hat`` is the prediction (regression) or the probability of label 1 (classification).
        """
        params, X = self._check_params(params), self._check_X(X)
        with _blas_limit(X.size):
            return self._checked_forward(params, X)

    def backward(self, params, cache, y) -> dict:
        """Backward propagation: the gradient of the loss, keyed ``"d" + parameter name``."""
        params = self._check_params(params)
        cache = self._check_cache(cache)
        y = self._check_y(y, cache["X"].shape[0])
        with _blas_limit(cache["X"].size):
            return self._backward(params, cache, _output_delta(self.task, cache, y))

    def loss(self, params, X, y) -> float:
        """The loss on ``(X, y)``: mean squared error or binary cross-entropy."""
        params, X, y = self._check_all(params, X, y)
        with _blas_limit(X.size):
            _, cache = self._checked_forward(params, X)
        with np.errstate(all="ignore"):
            loss = _output_loss(self.task, cache, y)
        if math.isnan(loss):
            raise self._nan_error(params, "loss")
        return loss

    def loss_and_grads(self, params, X, y) -> tuple[float, dict]:
        """Forward pass, loss and backward pass in one go: ``(loss, grads)``."""
        params, X, y = self._check_all(params, X, y)
        with _blas_limit(X.size):
            _, cache = self._checked_forward(params, X)
            with np.errstate(all="ignore"):
                loss, grads = self._loss_and_grads(params, X, y, cache)
        if math.isnan(loss) or not all(np.all(np.isfinite(g)) for g in grads.values()):
            raise self._nan_error(params, "loss or gradients")
        return loss, grads

    def predict(self, params, X):
        """Predictions: real values (regression) or labels 0.0 / 1.0 (classification)."""
        y_hat, cache = self.forward(params, X)
        if self.task == "regression":
            return y_hat
        return (cache["z"] >= 0).astype(np.float64)

    def predict_proba(self, params, X):
        """The probability of label 1 (classifiers only)."""
        self._need_classifier("predict_proba")
        return self.forward(params, X)[0]

    def accuracy(self, params, X, y) -> float:
        """Fraction of records whose predicted label equals ``y`` (classifiers only)."""
        self._need_classifier("accuracy")
        params, X, y = self._check_all(params, X, y)
        return float(np.mean(self.predict(params, X) == y))

    # ---- unchecked pieces, for loops that validated once ---------------------------------
    def _loss(self, params, X, y) -> float:
        return _output_loss(self.task, self._forward(params, X)[1], y)

    def _loss_and_grads(self, params, X, y, cache=None):
        if cache is None:
            cache = self._forward(params, X)[1]
        loss = _output_loss(self.task, cache, y)
        return loss, self._backward(params, cache, _output_delta(self.task, cache, y))

    # ---- checks ---------------------------------------------------------------------------
    def _nan_error(self, params, what) -> ValueError:
        """Finite X and params, yet the numbers overflowed (inf - inf = NaN): params too big."""
        key = max(params, key=lambda k: float(np.max(np.abs(params[k]), initial=0.0)))
        top = float(np.max(np.abs(params[key]), initial=0.0))
        return ValueError(f"params are too large for this data: the {what} overflowed to NaN "
                          f"or inf (largest |params[{key!r}]| = {top:.3g}); has the training "
                          f"diverged? Try a smaller learning rate")

    def _check_cache(self, cache) -> dict:
        """The dict ``forward`` returned: real arrays, X with this model's columns, z per row."""
        need = ("X", "a1", "H", "z") if "W1" in self.param_shapes else ("X", "z")
        if not isinstance(cache, dict) or not set(need) <= set(cache):
            raise TypeError(f"cache must be the dict that {self!r}.forward(params, X) returned "
                            f"(keys {list(need)}), got {_show(cache)}")
        out = dict(cache)
        for key in cache:
            out[key] = check_array(f"cache[{key!r}]", cache[key], finite=False)
        X, z = out["X"], out["z"]
        if X.ndim != 2 or X.shape[1] != self.n_features or z.shape != (X.shape[0],):
            raise ValueError(f"cache must be the dict that {self!r}.forward(params, X) returned: "
                             f"cache['X'] of shape (n, {self.n_features}) and cache['z'] of "
                             f"shape (n,), got {X.shape} and {z.shape}")
        hidden = (X.shape[0], self.param_shapes["W1"][1]) if "W1" in self.param_shapes else None
        for key in ("a1", "H"):
            if hidden and out[key].shape != hidden:
                raise ValueError(f"cache[{key!r}] must have shape {hidden} (from forward), got "
                                 f"{out[key].shape}")
        if self.task == "classification" and "p" not in out:
            raise TypeError(f"cache must be the dict that {self!r}.forward(params, X) returned "
                            f"(with 'p'), got keys {list(cache)}")
        return out

    def _check_params(self, params) -> dict:
        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict with keys {list(self.param_shapes)} "
                            f"(from {self!r}.init_params()), got {_show(params)}")
        missing = [k for k in self.param_shapes if k not in params]
        extra = [k for k in params if k not in self.param_shapes]
        if missing or extra:
            raise ValueError(f"params for {self!r} must have exactly the keys "
                             f"{list(self.param_shapes)}; missing {missing}, unexpected {extra}")
        out = {}
        for key, shape in self.param_shapes.items():
            arr = check_array(f"params[{key!r}]", params[key], finite=False)
            if arr.shape != shape:
                raise ValueError(f"params[{key!r}] must have shape {shape} for {self!r}, "
                                 f"got shape {arr.shape}")
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"params[{key!r}] contains NaN or inf: the training diverged "
                                 "(try a smaller learning rate)")
            out[key] = arr
        return out

    def _check_X(self, X) -> np.ndarray:
        """Type and shape; finiteness is checked after the forward pass (see below)."""
        X = check_array("X", X, ndim=2, finite=False)
        if X.shape[1] != self.n_features:
            raise ValueError(f"X must have {self.n_features} columns (features) for {self!r}, "
                             f"got shape {X.shape}")
        if X.shape[0] < 1:
            raise ValueError("X must have at least one row (record), got 0")
        return X

    def _checked_forward(self, params, X):
        """The forward pass, then a finiteness check of the layers' outputs.

        Scanning all of X for NaN costs as much as the matrix-vector product itself, so look at
        the first layer's output instead: a NaN or inf in X always shows up there, and only then
        is X scanned, to say so. Finite X and finite but huge weights can overflow: that gets a
        RuntimeWarning (the loss comes back inf or NaN), not numpy's overflow warnings.
        """
        with np.errstate(all="ignore"):
            y_hat, cache = self._forward(params, X)
        layers = [cache[k] for k in ("a1", "z") if k in cache]
        if not all(np.all(np.isfinite(a)) for a in layers):
            check_array("X", X)  # raises when X holds NaN or inf
            warnings.warn(f"{self!r}: the forward pass overflowed; the parameters are too large "
                          "for this data (has the training diverged?)", RuntimeWarning,
                          stacklevel=3)
        return y_hat, cache

    def _check_y(self, y, n) -> np.ndarray:
        y = check_array("y", y, ndim=1)
        if y.shape[0] != n:
            raise ValueError(f"X and y must have the same number of records: X has {n} rows, "
                             f"y has {y.shape[0]} values")
        if self.task == "classification" and y.size and (y.min() < 0.0 or y.max() > 1.0):
            bad = y.min() if y.min() < 0.0 else y.max()
            raise ValueError(f"y must hold labels 0.0 / 1.0 (or probabilities in [0, 1]) for "
                             f"{self!r}, found {bad:g}")
        return y

    def _check_all(self, params, X, y):
        params, X = self._check_params(params), self._check_X(X)
        return params, X, self._check_y(y, X.shape[0])

    def _need_classifier(self, what):
        if self.task != "classification":
            raise TypeError(f"{what} needs a classifier; {self!r} does regression")


def _check_n_features(n_features) -> int:
    n_features = check_number("n_features", n_features, low=1, integer=True)
    check_numbers_fit(f"W of n_features={_show_big(n_features)}", n_features)
    return n_features


class _LinearModel(Model):
    """``z = X @ W + b``: linear regression, or, with a sigmoid on top, logistic regression."""

    def __init__(self, n_features):
        self.n_features = _check_n_features(n_features)
        self.param_shapes = {"W": (self.n_features,), "b": (1,)}

    def __repr__(self):
        return f"{type(self).__name__}(n_features={self.n_features})"

    def _forward(self, params, X):
        z = X @ params["W"]
        z += params["b"]
        cache = {"X": X}
        return _output_forward(self.task, z, cache), cache

    def _backward(self, params, cache, dz):
        # dW = X^T dz (dz already carries the 1/n): one matrix-vector product, no loop.
        return {"dW": cache["X"].T @ dz, "db": np.array([dz.sum()])}

    # ---- the training loop's hot path: one flat vector theta = [W, b] ----------------------
    # The same arithmetic as _forward / _output_* / _backward, element for element, so a batch
    # of at most _chunk_rows(d) records gives bit-identical numbers. A bigger batch (the full
    # data set) goes through in chunks of that many records: each chunk of X is read from memory
    # once and is still in the cache for the backward product, the temporaries are a few
    # chunk-sized vectors instead of several n-sized ones, and only the order of the sums over
    # the chunks changes (the result agrees to rounding, ~1e-16 relative; see _flat_grad).
    def _loss(self, params, X, y) -> float:
        return self._flat_loss(_flat(params), X, y)

    def _loss_and_grads(self, params, X, y, cache=None):
        if cache is not None:
            return super()._loss_and_grads(params, X, y, cache)
        grad = np.empty(self.n_features + 1)
        loss = self._flat_loss_and_grad(_flat(params), X, y, grad)
        return loss, {"dW": grad[:-1].copy(), "db": grad[-1:].copy()}

    def _chunk_sum(self, theta, X, y, grad=None, n=None, with_loss=True):
        """Summed loss of one chunk; with ``grad``, its part of dL/dtheta (1/n included).

        The element-wise operations of ``_sigmoid_parts``, ``_output_loss_sum`` and
        ``_output_delta``, in their order (so the same numbers), written out: on a mini-batch
        the calls between those helpers cost as much as a tenth of the step.
        """
        d = self.n_features
        z = X @ theta[:d]
        z += theta[d:]
        if self.task == "regression":
            r = z - y
            total = float(r @ r) if with_loss else 0.0
            if grad is not None:
                r *= 2.0 / (y.shape[0] if n is None else n)       # dz = 2 (z - y) / n
                np.matmul(X.T, r, out=grad[:d])
                grad[d] = r.sum()
            return total
        e = np.abs(z)
        np.negative(e, out=e)
        np.exp(e, out=e)                                           # exp(-|z|)
        total = float(np.log1p(e).sum() + np.maximum(z, 0.0).sum() - y @ z) if with_loss \
            else 0.0
        if grad is not None:
            p = e + 1.0
            np.reciprocal(p, out=p)                                # sigmoid(|z|)
            dz = np.where(z < 0, p * e, p)                         # sigmoid(z)
            dz -= y
            dz *= 1.0 / (y.shape[0] if n is None else n)           # dz = (sigmoid(z) - y) / n
            np.matmul(X.T, dz, out=grad[:d])
            grad[d] = dz.sum()
        return total

    def _batch_kernel(self, X_b, grad):
        """``kernel(theta, y_b) -> loss``: ``_flat_loss_and_grad(theta, X_b, y_b, grad)`` for the
        fixed buffer ``X_b`` (at most ``_chunk_rows`` records): the same numbers.

        The mini-batch loop gathers every batch into the same buffer, so the forward and
        backward pass can keep their temporaries too: no allocation, every NumPy call writes
        into a buffer, scalars are 0-d arrays. The operations of ``_chunk_sum``, in its order,
        except the sigmoid's negative half, ``np.where(z < 0, p * e, p)``, which becomes
        ``p * max([z >= 0], e)``: ``[z >= 0]`` is 0.0 or 1.0 and ``e = exp(-|z|)`` is in
        [0, 1], so the factor is ``e`` where ``z < 0`` and exactly 1.0 elsewhere (a NaN stays
        NaN): the same products, without ``np.where``'s branch on every record (2x faster).
        """
        n, d = X_b.shape
        if n > _chunk_rows(d) or grad.shape != (d + 1,):
            raise ValueError(f"_batch_kernel: X_b {X_b.shape}, grad {grad.shape}")
        z, e, t = np.empty(n), np.empty(n), np.empty(n)
        X_T, g_W, g_b = X_b.T, grad[:d], grad[d:].reshape(())
        zero, one = np.array(0.0), np.array(1.0)
        inv_n = np.array((2.0 if self.task == "regression" else 1.0) / n)
        matmul, add, sub, mul, sumup = np.matmul, np.add, np.subtract, np.multiply, np.add.reduce
        n_float = float(n)

        def regression(theta, y_b):
            matmul(X_b, theta[:d], out=z)                           # z = X W + b
            add(z, theta[d:], out=z)
            sub(z, y_b, out=z)                                      # r = z - y
            total = float(z @ z)
            mul(z, inv_n, out=z)                                    # dz = 2 r / n
            matmul(X_T, z, out=g_W)
            g_b[...] = sumup(z)
            return total / n_float

        def classification(theta, y_b):
            matmul(X_b, theta[:d], out=z)                           # z = X W + b
            add(z, theta[d:], out=z)
            np.abs(z, out=e)
            np.negative(e, out=e)
            np.exp(e, out=e)                                        # e = exp(-|z|)
            np.log1p(e, out=t)
            part = sumup(t)
            np.maximum(z, zero, out=t)
            total = float(part + sumup(t) - y_b @ z)                # log1p(e) + max(z, 0) - y z
            add(e, one, out=t)
            np.reciprocal(t, out=t)                                 # p = sigmoid(|z|)
            np.greater_equal(z, zero, out=z)                        # z is not needed any more
            np.maximum(z, e, out=z)                                 # e where z < 0, else 1.0
            mul(t, z, out=t)                                        # sigmoid(z)
            sub(t, y_b, out=t)
            mul(t, inv_n, out=t)                                    # dz = (sigmoid(z) - y) / n
            matmul(X_T, t, out=g_W)
            g_b[...] = sumup(t)
            return total / n_float

        return regression if self.task == "regression" else classification

    def _flat_loss(self, theta, X, y) -> float:
        """The mean loss on (X, y) at ``theta = [W, b]``, chunk by chunk (unchecked)."""
        n, rows = X.shape[0], _chunk_rows(self.n_features)
        if n <= rows:
            return self._chunk_sum(theta, X, y) / n
        total = 0.0
        for start in range(0, n, rows):
            total += self._chunk_sum(theta, X[start:start + rows], y[start:start + rows])
        return total / n

    def _flat_loss_and_grad(self, theta, X, y, grad) -> float:
        """The mean loss at ``theta = [W, b]``; its gradient ``[dW, db]`` is written to ``grad``.

        One pass over X in chunks of about 1.3 MB (unchecked: for the training loop). The loss
        is the same number as ``_flat_loss`` gives.
        """
        n, rows = X.shape[0], _chunk_rows(self.n_features)
        if n <= rows:
            return self._chunk_sum(theta, X, y, grad) / n
        part = np.empty_like(grad)
        total = self._chunk_sum(theta, X[:rows], y[:rows], grad, n)
        for start in range(rows, n, rows):
            total += self._chunk_sum(theta, X[start:start + rows], y[start:start + rows], part,
                                     n)
            grad += part
        return total / n

    def _flat_grad(self, theta, X, y, grad):
        r"""Only the gradient at ``theta`` (the full batch's step: its loss is known already).

        Up to one chunk: the operations of ``_flat_loss_and_grad``. Bigger: a lean pass, per
        chunk :math:`X^T(\sigma(z) - y)` with :math:`\sigma(z) = 1/(1 + e^{-z})` (accurate for
        every z: ``e^{-z}`` overflows to inf only where :math:`\sigma(z)` rounds to 0) or
        :math:`X^T(z - y)`, scaled by 1/n (2/n) once at the end: 5 element-wise passes fewer.
        """
        n, rows = X.shape[0], _chunk_rows(self.n_features)
        if n <= rows:
            self._chunk_sum(theta, X, y, grad, with_loss=False)
            return
        # classification: -theta gives -z = X(-W) - b at once (negation is exact)
        signed = -theta if self.task == "classification" else theta
        part = np.empty_like(grad)
        self._chunk_residual_sum(signed, X[:rows], y[:rows], grad)
        for start in range(rows, n, rows):
            self._chunk_residual_sum(signed, X[start:start + rows], y[start:start + rows], part)
            grad += part
        grad *= (2.0 if self.task == "regression" else 1.0) / n

    def _chunk_residual_sum(self, signed, X, y, out):
        """``out = [X^T r, sum(r)]``, unscaled: ``r = sigmoid(z) - y`` from ``signed = -theta``
        (classification), ``r = z - y`` from ``signed = theta`` (regression)."""
        r = X @ signed[:self.n_features]
        r += signed[self.n_features:]
        if self.task == "classification":
            np.exp(r, out=r)                                   # exp(-z)
            r += 1.0
            np.reciprocal(r, out=r)                            # sigmoid(z)
        r -= y
        np.matmul(X.T, r, out=out[:self.n_features])
        out[self.n_features] = r.sum()


#: Bytes of X per chunk in the linear models' single pass over a big batch (8192 records of 20
#: features): small enough to stay in the cache between the forward and the backward product.
CHUNK_BYTES = 8192 * 20 * 8


def _chunk_rows(n_features) -> int:
    """Records per chunk: ``CHUNK_BYTES`` of X, and never fewer than 1024."""
    return max(1024, CHUNK_BYTES // (8 * n_features))


def _flat(params) -> np.ndarray:
    """``{"W": (d,), "b": (1,)}`` -> one vector ``[W, b]`` of length d + 1 (a copy)."""
    return np.concatenate((params["W"], params["b"]))


class LinearRegression(_LinearModel):
    r"""Linear regression, :math:`\hat y = XW + b`, trained on the mean squared error.

    Math
    ----
    :math:`L = \frac1n \sum_i (\hat y_i - y_i)^2`, :math:`dW = \frac2n X^T(\hat y - y)`,
    :math:`db = \frac2n \sum_i (\hat y_i - y_i)` (no 1/2 in the loss, as ``torch.nn.MSELoss``).

    Parameters
    ----------
    n_features : int >= 1

    ``init_params`` returns zeros: the loss is a convex bowl, so any start reaches the minimum.

    >>> LinearRegression(3).n_params
    4
    """
    task = "regression"


class LogisticRegression(_LinearModel):
    r"""Logistic regression, :math:`P(y = 1) = \sigma(XW + b)`, trained on binary cross-entropy.

    Math
    ----
    :math:`z = XW + b`, :math:`L = \frac1n \sum_i \log(1 + e^{z_i}) - y_i z_i`,
    :math:`dW = \frac1n X^T(\sigma(z) - y)`, :math:`db = \frac1n \sum_i (\sigma(z_i) - y_i)`.
    The loss is computed stably (``max(z, 0) + log1p(exp(-|z|)) - y z``), so it stays finite
    for any finite logit.

    Parameters
    ----------
    n_features : int >= 1

    ``init_params`` returns zeros (every probability starts at 0.5; the loss is convex).

    >>> model = LogisticRegression(1)
    >>> params = {"W": np.array([0.0]), "b": np.array([0.0])}
    >>> round(model.loss(params, np.array([[1.0]]), np.array([1.0])), 6)  # log 2
    0.693147
    """
    task = "classification"


class TwoLayerNet(Model):
    r"""Input -> hidden layer (``n_hidden`` units, tanh or ReLU) -> one output unit.

    Math
    ----
    Forward: :math:`A_1 = XW_1 + b_1`, :math:`H = g(A_1)`, :math:`z = HW_2 + b_2`, and
    :math:`\hat y = \sigma(z)` (classification, binary cross-entropy) or :math:`\hat y = z`
    (regression, mean squared error).
    Backward: :math:`dz` from the output layer, :math:`dW_2 = H^T dz`, :math:`db_2 = \sum dz`,
    :math:`dA_1 = (dz\, W_2^T) \odot g'(A_1)`, :math:`dW_1 = X^T dA_1`, :math:`db_1 = \sum_i dA_1`;
    :math:`g' = 1 - H^2` for tanh, :math:`[A_1 > 0]` for ReLU.

    Parameters
    ----------
    n_features : int >= 1
    n_hidden : int >= 1
    activation : {"tanh", "relu"}
    task : {"classification", "regression"}

    ``init_params(rng)`` draws :math:`W_1 \sim N(0, 1/d)` (tanh) or :math:`N(0, 2/d)` (ReLU), and
    :math:`W_2 \sim N(0, 1/h)`, biases zero: small enough that tanh does not saturate.

    >>> net = TwoLayerNet(2, 16)
    >>> net.n_params, sorted(net.init_params(0))
    (65, ['W1', 'W2', 'b1', 'b2'])
    """

    def __init__(self, n_features, n_hidden=16, *, activation="tanh", task="classification"):
        self.n_features = _check_n_features(n_features)
        self.n_hidden = check_number("n_hidden", n_hidden, low=1, integer=True)
        check_numbers_fit(f"W1 of n_features * n_hidden ({self.n_features} * "
                          f"{_show_big(self.n_hidden)})",
                          self.n_features * self.n_hidden)
        self.activation = check_choice("activation", activation, ("tanh", "relu"))
        self.task = check_choice("task", task, ("classification", "regression"))
        d, h = self.n_features, self.n_hidden
        self.param_shapes = {"W1": (d, h), "b1": (h,), "W2": (h,), "b2": (1,)}

    def __repr__(self):
        return (f"TwoLayerNet(n_features={self.n_features}, n_hidden={self.n_hidden}, "
                f"activation={self.activation!r}, task={self.task!r})")

    def init_params(self, rng=0) -> dict:
        """Small random weights scaled by 1/sqrt(fan_in) (x sqrt(2) for ReLU), zero biases."""
        gen = check_rng("rng", rng)
        d, h = self.n_features, self.n_hidden
        gain = math.sqrt(2.0) if self.activation == "relu" else 1.0
        return {"W1": gen.standard_normal((d, h)) * (gain / math.sqrt(d)), "b1": np.zeros(h),
                "W2": gen.standard_normal(h) / math.sqrt(h), "b2": np.zeros(1)}

    def _forward(self, params, X):
        a1 = X @ params["W1"]
        a1 += params["b1"]
        H = np.tanh(a1) if self.activation == "tanh" else np.maximum(a1, 0.0)
        z = H @ params["W2"]
        z += params["b2"]
        cache = {"X": X, "a1": a1, "H": H}
        return _output_forward(self.task, z, cache), cache

    def _backward(self, params, cache, dz):
        H = cache["H"]
        dA1 = np.multiply.outer(dz, params["W2"])      # dL/dH, shape (n, h)
        if self.activation == "tanh":
            dA1 *= 1.0 - H * H                          # tanh' = 1 - tanh^2
        else:
            dA1 *= cache["a1"] > 0                      # ReLU' = 1 where A1 > 0
        return {"dW1": cache["X"].T @ dA1, "db1": dA1.sum(axis=0),
                "dW2": H.T @ dz, "db2": np.array([dz.sum()])}
