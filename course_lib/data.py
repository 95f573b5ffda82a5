r"""Seeded data sets and the mini-batch iterator (NumPy only).

Every generator takes ``rng`` (a ``numpy.random.Generator`` or an int seed), so the same seed gives
the same numbers. Every data set is a :class:`Dataset`: ``X`` of shape ``(n, d)`` and ``y`` of shape
``(n,)``, both float64, plus the true parameters where they are known.

The two loops of training live here too: :func:`iterations_per_epoch` says how many batches one
pass over the data takes, :func:`minibatches` hands them out in a fresh random order each epoch.

>>> data = make_regression(n=100, d=2, rng=0)
>>> data.X.shape, data.y.shape, data.X.dtype
((100, 2), (100,), dtype('float64'))
>>> iterations_per_epoch(10_000, 1000), iterations_per_epoch(50_000, 128)
(10, 391)
"""
from __future__ import annotations

import math
from typing import Iterator, NamedTuple

import numpy as np

from ._validate import (_show, _show_big, check_array, check_choice, check_number,
                        check_numbers_fit, check_rng)

__all__ = [
    "Dataset", "make_regression", "make_classification", "make_moons", "make_large",
    "iterations_per_epoch", "minibatches", "breast_cancer_table",
]


class Dataset(NamedTuple):
    """A data set: inputs ``X`` (n, d), targets ``y`` (n,), and the truth where it is known.

    Attributes
    ----------
    X : ndarray, shape (n, d), float64
        One row per record, one column per feature.
    y : ndarray, shape (n,), float64
        Targets: real numbers (regression) or labels 0.0 / 1.0 (classification).
    w_true, b_true : ndarray of shape (d,) and float, or None
        The weights and bias the data were generated from (``None`` when there are none,
        as for the moons).
    name : str
        A short description, handy as a plot title.
    """
    X: np.ndarray
    y: np.ndarray
    w_true: np.ndarray | None = None
    b_true: float | None = None
    name: str = ""

    @property
    def n(self) -> int:
        """Number of records."""
        return self.X.shape[0]

    @property
    def d(self) -> int:
        """Number of features."""
        return self.X.shape[1]

    @property
    def true_params(self) -> dict | None:
        """``{"W": w_true, "b": array([b_true])}`` in the models' layout, or ``None``."""
        if self.w_true is None:
            return None
        return {"W": self.w_true.copy(), "b": np.array([self.b_true], dtype=np.float64)}


# --------------------------------------------------------------------------------------------
# Generators.
def _check_size(n, d):
    n = check_number("n", n, low=1, integer=True)
    d = check_number("d", d, low=1, integer=True)
    check_numbers_fit(f"X of n * d (n={_show_big(n)}, d={_show_big(d)})", n * d)
    return n, d


#: The largest noise standard deviation: noise * N(0, 1) and its square stay finite in float64.
_NOISE_MAX = 1e150


def make_regression(n=1000, d=1, *, noise=0.5, rng=0) -> Dataset:
    r"""Linear data with Gaussian noise: ``y = X @ w_true + b_true + noise * N(0, 1)``.

    Parameters
    ----------
    n, d : int >= 1
        Number of records and of features.
    noise : float >= 0
        Standard deviation of the noise added to ``y``.
    rng : numpy.random.Generator or int
        Source of every random draw (an int is a seed).

    Returns
    -------
    Dataset
        ``X`` is standard normal; ``w_true`` is drawn from N(0, 1), ``b_true`` from N(0, 1).

    Examples
    --------
    >>> data = make_regression(n=5, d=3, noise=0.0, rng=1)
    >>> bool(np.allclose(data.y, data.X @ data.w_true + data.b_true))
    True
    """
    n, d = _check_size(n, d)
    noise = check_number("noise", noise, low=0, high=_NOISE_MAX)
    gen = check_rng("rng", rng)
    w_true = gen.standard_normal(d)
    b_true = float(gen.standard_normal())
    X = gen.standard_normal((n, d))
    y = X @ w_true
    y += b_true
    y += noise * gen.standard_normal(n)
    return Dataset(X, y, w_true, b_true, f"linear regression, n={n}, d={d}, noise={noise:g}")


def make_classification(n=500, d=2, *, separation=2.0, rng=0) -> Dataset:
    r"""Two Gaussian blobs (identity covariance), labels 0.0 and 1.0, half of each.

    The class means are ``-separation/2 * u`` (label 0) and ``+separation/2 * u`` (label 1), with
    ``u = (1, ..., 1) / sqrt(d)``, so their distance is ``separation``. For two such blobs the true
    log-odds are linear, :math:`\log\frac{P(y=1|x)}{P(y=0|x)} = x \cdot w + b` with
    ``w_true = separation * u`` and ``b_true = 0``: logistic regression is the right model.

    Parameters
    ----------
    n : int >= 2
        Number of records (``n // 2`` get label 0, the rest label 1; the rows are shuffled).
    d : int >= 1
        Number of features.
    separation : float >= 0
        Distance between the two means; 0 makes the classes indistinguishable.
    rng : numpy.random.Generator or int

    Examples
    --------
    >>> data = make_classification(n=6, d=2, rng=0)
    >>> sorted(data.y.tolist())
    [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    """
    n = check_number("n", n, low=2, integer=True)
    d = check_number("d", d, low=1, integer=True)
    check_numbers_fit(f"X of n * d (n={_show_big(n)}, d={_show_big(d)})", n * d)
    separation = check_number("separation", separation, low=0)
    gen = check_rng("rng", rng)
    u = np.full(d, 1.0 / math.sqrt(d))
    y = np.zeros(n)
    y[n // 2:] = 1.0
    gen.shuffle(y)
    X = gen.standard_normal((n, d))
    X += np.outer(y - 0.5, separation * u)
    return Dataset(X, y, separation * u, 0.0,
                   f"two Gaussian blobs, n={n}, d={d}, separation={separation:g}")


def make_moons(n=400, *, noise=0.1, rng=0) -> Dataset:
    r"""Two interleaving half circles: no straight line separates them, a two-layer net can.

    Label 0: the upper arc :math:`(\cos\theta, \sin\theta)`; label 1: the lower arc
    :math:`(1 - \cos\theta, 0.5 - \sin\theta)`, :math:`\theta` uniform in :math:`[0, \pi]`;
    then Gaussian noise of standard deviation ``noise`` on both coordinates.
    Logistic regression tops out near 85-90 % accuracy here, a small two-layer net reaches ~100 %.

    Parameters
    ----------
    n : int >= 2
        Number of records (``n // 2`` with label 0, the rest label 1, rows shuffled).
    noise : float >= 0
    rng : numpy.random.Generator or int

    Examples
    --------
    >>> data = make_moons(n=10, noise=0.0, rng=0)
    >>> data.X.shape, float(data.y.sum())
    ((10, 2), 5.0)
    """
    n = check_number("n", n, low=2, integer=True)
    check_numbers_fit(f"X of n * 2 (n={_show_big(n)})", n * 2)
    noise = check_number("noise", noise, low=0, high=_NOISE_MAX)
    gen = check_rng("rng", rng)
    y = np.zeros(n)
    y[n // 2:] = 1.0
    gen.shuffle(y)
    theta = gen.uniform(0.0, np.pi, n)
    X = np.empty((n, 2))
    X[:, 0] = np.where(y == 0, np.cos(theta), 1.0 - np.cos(theta))
    X[:, 1] = np.where(y == 0, np.sin(theta), 0.5 - np.sin(theta))
    X += noise * gen.standard_normal((n, 2))
    return Dataset(X, y, None, None, f"two moons, n={n}, noise={noise:g}")


def make_large(n=1_000_000, d=20, *, rng=0, task="classification") -> Dataset:
    r"""A big data set for timing and memory demos, generated with as few temporaries as possible.

    ``X`` (n, d) is standard normal, filled in place (``Generator.standard_normal(out=...)``).
    ``z = X @ w_true + b_true`` with ``w_true ~ N(0, 1) * 2 / sqrt(d)`` (so ``z`` has a
    standard deviation of about 2) and ``b_true ~ N(0, 1)``. For ``task="classification"`` the
    label is 1 with probability :math:`\sigma(z)` (the logistic model is exactly right); for
    ``"regression"``, ``y = z + 0.5 * N(0, 1)``. The default 1e6 x 20 set takes 160 MB for ``X``.

    Parameters
    ----------
    n, d : int >= 1
    rng : numpy.random.Generator or int
    task : {"classification", "regression"}

    Examples
    --------
    >>> data = make_large(n=1000, d=5, rng=0)
    >>> data.X.shape, set(np.unique(data.y).tolist()) <= {0.0, 1.0}
    ((1000, 5), True)
    """
    n, d = _check_size(n, d)
    task = check_choice("task", task, ("classification", "regression"))
    gen = check_rng("rng", rng)
    w_true = gen.standard_normal(d) * (2.0 / math.sqrt(d))
    b_true = float(gen.standard_normal())
    X = np.empty((n, d))
    gen.standard_normal(out=X)
    y = np.empty(n)
    np.matmul(X, w_true, out=y)
    y += b_true
    buf = np.empty(n)
    if task == "regression":
        gen.standard_normal(out=buf)
        buf *= 0.5
        y += buf
    else:
        # p = sigmoid(z) = 1 / (1 + exp(-z)), in place; label = (uniform < p) as 0.0 / 1.0.
        np.negative(y, out=y)
        with np.errstate(over="ignore"):  # exp(-z) = inf for z < -709 gives p = 0: correct
            np.exp(y, out=y)
        y += 1.0
        np.reciprocal(y, out=y)
        gen.random(out=buf)
        np.less(buf, y, out=y)
    return Dataset(X, y, w_true, b_true, f"large {task} set, n={n:,}, d={d}")


# --------------------------------------------------------------------------------------------
# Epochs, iterations, mini-batches.
def _check_batch_size(batch_size, n) -> int | None:
    """``None`` (full batch) or an int in [1, n]; anything else raises with the allowed range."""
    if batch_size is None:
        return None
    if isinstance(batch_size, (bool, np.timedelta64)) \
            or not isinstance(batch_size, (int, np.integer)):
        raise TypeError(f"batch_size must be an int in [1, {n}] or None (full batch), "
                        f"got {_show(batch_size)} of type {type(batch_size).__name__}")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be in [1, {n}] (the number of records) or None for "
                         f"the full batch, got {batch_size}")
    return int(batch_size)


def iterations_per_epoch(n, batch_size) -> int:
    """How many iterations (updates) one epoch takes: ``ceil(n / batch_size)``.

    Parameters
    ----------
    n : int >= 1
        Number of records.
    batch_size : int in [1, n] or None
        ``None`` means the full data set (gradient descent): one iteration per epoch.

    Examples
    --------
    >>> iterations_per_epoch(10_000, 1000), iterations_per_epoch(10_000, 1)
    (10, 10000)
    >>> iterations_per_epoch(10_000, None)
    1
    """
    n = check_number("n", n, low=1, integer=True)
    batch_size = _check_batch_size(batch_size, n)
    return 1 if batch_size is None else -(-n // batch_size)


def check_xy(X, y) -> tuple[np.ndarray, np.ndarray]:
    """``X`` as float64 (n, d), ``y`` as float64 (n,): finite, at least one record, same length."""
    X = check_array("X", X, ndim=2)
    y = check_array("y", y, ndim=1)
    if X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X must have at least one row and one column, got shape {X.shape}")
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X and y must have the same number of records: X has {X.shape[0]} "
                         f"rows, y has {y.shape[0]} values")
    return X, y


def minibatches(X, y, batch_size, *, rng, shuffle=True) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One epoch of mini-batches ``(X_batch, y_batch)``, in a fresh random order on every call.

    Call it once per epoch with the same ``Generator``: each call draws a new permutation, so
    every epoch sees the records in a new order, and every record exactly once. The last batch
    holds the ``n % batch_size`` records left over (when that is not 0).

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,)
    batch_size : int in [1, n] or None
        1 is SGD, ``None`` (or ``n``) the full batch of gradient descent: then ``(X, y)`` come
        back as they are, without a copy and unshuffled (the order does not change the gradient).
    rng : numpy.random.Generator or int
        Pass a Generator to get a new order each epoch; an int seed gives the same order each call.
    shuffle : bool
        ``False`` hands out the records in their stored order (as views, no copies).

    Yields
    ------
    X_batch : ndarray, shape (b, d)
    y_batch : ndarray, shape (b,)

    Examples
    --------
    >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5.0)
    >>> [yb.tolist() for _, yb in minibatches(X, y, 2, rng=0, shuffle=False)]
    [[0.0, 1.0], [2.0, 3.0], [4.0]]
    """
    X, y = check_xy(X, y)
    batch_size = _check_batch_size(batch_size, X.shape[0])
    gen = check_rng("rng", rng)
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"shuffle must be True or False, got {_show(shuffle)}")
    return _batches(X, y, batch_size, gen, bool(shuffle))


def _batches(X, y, batch_size, gen, shuffle=True):
    """The unchecked generator behind :func:`minibatches` (the training loop calls it directly)."""
    n = X.shape[0]
    if batch_size is None or batch_size >= n:
        yield X, y
        return
    order = gen.permutation(n) if shuffle else None
    for start in range(0, n, batch_size):
        if order is None:
            yield X[start:start + batch_size], y[start:start + batch_size]
        else:
            idx = order[start:start + batch_size]
            yield X[idx], y[idx]


def breast_cancer_table() -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` of the Wisconsin breast cancer data set: 569 records, 30 features, labels 0/1.

    ``sklearn.datasets.load_breast_cancer`` reads a small CSV file that scikit-learn ships; this
    reads the same file with NumPy (its first line holds the table's size and the class names,
    then one record per line, the label last), without importing scikit-learn (slow). It falls
    back to ``load_breast_cancer`` if a scikit-learn version keeps the file elsewhere.

    >>> X, y = breast_cancer_table()
    >>> X.shape, sorted(set(y.tolist()))
    ((569, 30), [0.0, 1.0])
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")      # finds the package without importing it
    if spec is None:
        raise ModuleNotFoundError("the breast cancer data set comes with scikit-learn: "
                                  "`pip install scikit-learn`")
    csv = Path(spec.submodule_search_locations[0], "datasets", "data", "breast_cancer.csv")
    if not csv.is_file():
        from sklearn.datasets import load_breast_cancer
        X, y = load_breast_cancer(return_X_y=True)
        return X.astype(np.float64), y.astype(np.float64)
    table = np.loadtxt(csv, delimiter=",", skiprows=1)
    return table[:, :-1], table[:, -1]
