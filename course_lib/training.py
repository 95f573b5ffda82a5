r"""One training loop for gradient descent, SGD and mini-batch SGD, with any optimizer.

Which of the three it is depends only on ``batch_size``: ``None`` uses the whole data set for
every update (gradient descent), ``1`` one record (SGD), ``k`` a mini-batch of ``k`` records.
Training is two nested loops, as in the lecture::

    for epoch in range(epochs):                        # one pass over the data set
        for X_b, y_b in minibatches(X, y, batch_size):  # reshuffled every epoch
            loss, grads = model.loss_and_grads(params, X_b, y_b)   # forward + backward
            params, state = optimizer.step(params, grads, state)   # one iteration

>>> from course_lib.data import make_regression
>>> from course_lib.models import LinearRegression
>>> data = make_regression(n=200, d=2, noise=0.1, rng=0)
>>> res = train(LinearRegression(2), data.X, data.y, "gd", epochs=50, lr=0.1)
>>> res.iterations, res.diverged, bool(res.loss_per_epoch[-1] < 0.02)
(50, False, True)

The 2-D path runner lives in ``course_lib.paths``; ``run_path`` and ``PathResult`` are
re-exported here on first use.
"""
from __future__ import annotations

import math
import time
import warnings
from typing import NamedTuple

import numpy as np

from ._validate import MAX_NUMBERS, _show, check_number, check_numbers_fit, check_rng
from .core.clipping import _check_max, _clip_norm, _clip_value, _global_norm
from .core.schedules import _as_schedule
from .data import _batches, _check_batch_size, check_xy, iterations_per_epoch
from .models import (LinearRegression, LogisticRegression, Model, _blas_limit, _chunk_rows,
                     _flat)
from .optimizers import (GDState, _flat_stepper, _nonfinite_state, _state_advice, _state_text,
                         _watched, get_optimizer, grad_key)

__all__ = ["TrainResult", "train"]  # plus run_path, PathResult from .paths, loaded on use

#: A loss this many times the initial loss (or 1, if that is larger) counts as divergence.
DIVERGENCE_FACTOR = 1e12
#: ``progress=None`` shows a bar only when the run takes more iterations than this.
PROGRESS_AUTO_ITERATIONS = 2000


def __getattr__(name):
    if name in ("run_path", "PathResult"):
        from . import paths
        return getattr(paths, name)
    raise AttributeError(f"module 'course_lib.training' has no attribute {name!r}")


class TrainResult(NamedTuple):
    """What :func:`train` returns.

    Attributes
    ----------
    params : dict
        The final parameters (after a divergence: the last finite ones).
    loss_per_iteration : ndarray, shape (iterations,)
        The loss of each batch, computed in the forward pass of that iteration (before its step).
    loss_per_epoch : ndarray, shape (epochs_run + 1,)
        The loss on the full data set: first before any update (the initial loss), then at the
        end of each epoch.
    iterations : int
        Updates taken in total.
    iterations_per_epoch : int
        ``ceil(n / batch_size)``, 1 for the full batch.
    epochs_run : int
        Epochs completed (fewer than asked when training diverged).
    epoch_times : ndarray, shape (epochs_run,)
        Wall seconds of each epoch's batch loop (``time.perf_counter``; the end-of-epoch loss on
        the full data is not counted).
    path : dict or None
        With ``record_path``: the parameters after every iteration, stacked, keyed like the params,
        the starting point first: ``path["W"]`` has shape ``(iterations + 1, *W.shape)``. For a
        two-feature linear model ``path["W"][:, 0]`` against ``path["W"][:, 1]`` draws the path in
        weight space.
    lr_history : dict or None
        With ``record_lr``: the effective learning rate of every iteration (the factor in front
        of the step direction, ``OPTIMIZERS[name].effective_lr``), keyed like the gradients:
        ``lr_history["dW"]`` has shape ``(iterations, *W.shape)``.
    diverged : bool
    message : str
        One line saying what happened.
    optimizer : str
    hparams : dict
        Every hyperparameter, defaults filled in.
    batch_size : int or None
    grad_norms : ndarray, shape (iterations,), or None
        With ``clip_norm`` or ``clip_value``: the global L2 norm of each update's batch
        gradient *before* clipping (``clip_norm=float("inf")`` records it without clipping).
        Where it is above ``clip_norm``, that update was clipped.
    lr_per_iteration : ndarray, shape (iterations,), or None
        With ``schedule``: the learning rate each update ran with, ``lr * schedule(t)``.
    schedule : Schedule or None
        The schedule used (``total`` filled in).
    clip_norm, clip_value : float or None
        The clipping applied (None: none).
    accumulate : int
        Micro-batches per update (1: none).
    """
    params: dict
    loss_per_iteration: np.ndarray
    loss_per_epoch: np.ndarray
    iterations: int
    iterations_per_epoch: int
    epochs_run: int
    epoch_times: np.ndarray
    path: dict | None
    lr_history: dict | None
    diverged: bool
    message: str
    optimizer: str
    hparams: dict
    batch_size: int | None
    grad_norms: np.ndarray | None = None
    lr_per_iteration: np.ndarray | None = None
    schedule: object = None
    clip_norm: float | None = None
    clip_value: float | None = None
    accumulate: int = 1


class _Diverged(Exception):
    """Raised inside the loop; caught by ``train`` to stop cleanly."""


def _check_flag(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_show(value)}")
    return bool(value)


def _check_train_args(model, X, y, epochs, batch_size, progress):
    if not isinstance(model, Model):
        raise TypeError("model must be a course_lib.models model such as LinearRegression(2), "
                        f"got {_show(model)} of type {type(model).__name__}")
    X, y = check_xy(X, y)
    X = model._check_X(X)
    y = model._check_y(y, X.shape[0])
    epochs = check_number("epochs", epochs, low=1, integer=True)
    batch_size = _check_batch_size(batch_size, X.shape[0])
    if progress is not None:
        progress = _check_flag("progress", progress)
    return X, y, epochs, batch_size, progress


#: The most iterations one call may take: loss_per_iteration keeps a number for each.
MAX_ITERATIONS = 10**8


def _check_run_length(epochs, per_epoch, n_params, record_path, record_lr):
    """Refuse a run whose histories cannot fit in memory (or that would run for days)."""
    total = epochs * per_epoch
    if total > MAX_ITERATIONS:
        raise ValueError(f"epochs={epochs} x {per_epoch} iterations per epoch = {total:,} "
                         f"iterations is more than the {MAX_ITERATIONS:,} one run may take "
                         f"(loss_per_iteration keeps a number for each): fewer epochs or a "
                         f"larger batch_size")
    for flag, name in ((record_path, "record_path"), (record_lr, "record_lr")):
        if flag:
            check_numbers_fit(f"{name}=True: (iterations + 1) * parameters = "
                              f"{total + 1:,} * {n_params:,}", (total + 1) * n_params,
                              limit=MAX_NUMBERS)


def _all_finite(arrays: dict) -> bool:
    return all(np.isfinite(a).all() for a in arrays.values())


def _lr_now(opt, state, params, hp):
    """The effective rate after this step; plain GD's is the constant lr for every parameter."""
    if isinstance(state, GDState):
        return {grad_key(k): np.full_like(p, hp["lr"]) for k, p in params.items()}
    return opt.effective_lr(state, **hp)


def train(model, X, y, optimizer="gd", *, batch_size=None, epochs=10, rng=0, params=None,
          record_path=False, record_lr=False, progress=None, clip_norm=None, clip_value=None,
          schedule=None, accumulate=1, **hparams) -> TrainResult:
    r"""Train ``model`` on ``(X, y)``: gradient descent, SGD or mini-batch SGD, any optimizer.

    Parameters
    ----------
    model : course_lib.models.Model
        E.g. ``LinearRegression(d)``, ``LogisticRegression(d)``, ``TwoLayerNet(d, 16)``.
    X : array_like, shape (n, d)
    y : array_like, shape (n,)
    optimizer : str
        A name in ``course_lib.optimizers.OPTIMIZERS``: "gd", "momentum", ..., "adam".
    batch_size : int in [1, n] or None
        ``None``: the full data set per update (GD, one iteration per epoch); 1: SGD;
        ``k``: mini-batches of ``k`` records, ``ceil(n / k)`` iterations per epoch.
    epochs : int >= 1
        Passes over the data set.
    rng : numpy.random.Generator or int
        Draws the initial parameters (when ``params`` is None) and the order of every epoch:
        the same seed gives bit-identical results.
    params : dict, optional
        Starting parameters; default ``model.init_params(rng)``. Never modified.
    record_path, record_lr : bool
        Keep the parameters / the effective learning rate of every iteration (see
        :class:`TrainResult`); both cost memory proportional to iterations x parameters.
    progress : bool or None
        Show a tqdm progress bar; ``None`` shows one only for runs of more than 2000 iterations.
    clip_norm : float > 0, inf, or None
        Clip each update's batch gradient by its global norm before the optimizer sees it
        (``course_lib.core.clipping.clip_by_global_norm``, as ``torch.nn.utils.clip_grad_norm_``
        between ``loss.backward()`` and ``optimizer.step()``). It works with every optimizer; for
        Adam it acts before Adam's own normalisation, so it changes what enters v and s.
        ``float("inf")`` never clips but records the norms in ``grad_norms``.
    clip_value : float > 0 or None
        Clamp every gradient number to ``[-clip_value, clip_value]`` instead
        (``clip_by_value``). Give ``clip_norm`` or ``clip_value``, not both.
    schedule : Schedule, str or None
        A learning-rate schedule (``course_lib.core.schedules``): update ``t = 1, 2, ...`` runs
        with ``lr * schedule(t)``, in every place the optimizer uses lr (AdamW's weight decay
        ``W·(1 − η_t λ)`` too, as in torch). A name ("constant", "cosine") or a Schedule made
        without ``total`` gets ``total = epochs * iterations per epoch``; schedules with
        required parameters come from ``make_schedule("warmup_cosine", warmup=100)``.
    accumulate : int in [1, batch_size]
        Gradient accumulation: each batch of ``batch_size`` records is processed as
        ``accumulate`` micro-batches of about ``batch_size / accumulate`` records (sizes differ
        by at most one; a last, shorter batch is split the same way), their gradients (and
        losses) averaged weighted by their sizes, then ONE update. That is the update of the
        whole batch, to rounding (~1e-16), while only one micro-batch is gathered in memory at a
        time. Here ``batch_size`` is the records per update (the *effective* batch) and
        ``accumulate`` divides it; frameworks count the other way: Hugging Face's
        ``per_device_train_batch_size=8, gradient_accumulation_steps=4`` is the course's
        ``batch_size=32, accumulate=4``.
    **hparams
        The optimizer's hyperparameters, e.g. ``lr=0.1, beta=0.9``; checked once before the loop.
        An unknown name raises (a typo must not pass silently).

    Returns
    -------
    TrainResult

    Notes
    -----
    Divergence: when a batch loss or a gradient is not finite, when the parameters overflow, or
    when a loss exceeds ``1e12 * max(initial loss, 1)``, training stops at once with
    ``diverged=True``, a ``RuntimeWarning`` and a message naming the epoch, the iteration, the loss
    and the hint to lower the learning rate.
    The optimizer state counts too: when Adagrad's, RMSprop's, Adadelta's or an Adam variant's
    ``s`` overflows to inf (gradients above about 1e154 square past the largest float), every
    later step would be 0, so training stops with a message naming the state entry, the largest
    gradient and what to try. The histories keep only the finite values before it.

    Speed: for ``LinearRegression`` and ``LogisticRegression`` (without ``record_lr``) the loop
    keeps W and b in one vector updated in place, gathers mini-batches into a reused buffer
    (forward and backward pass with reused temporaries), makes the full-batch gradient in one
    chunked pass over X, and does SGD's per-record arithmetic on Python floats; the numbers
    are the same as the plain loop's (bit for bit up to a batch of 1.3 MB, e.g. 8192 records
    of 20 features; to rounding above). On data of 100,000 numbers or more, BLAS is held to
    one thread during training (threadpoolctl; see ``models.BLAS_ONE_THREAD_SIZE``): on a small
    shared machine a second thread stalls these memory-bound products, and one thread gives
    the same numbers everywhere. With ``clip_norm``, ``clip_value``, ``schedule`` or
    ``accumulate > 1`` the plain loop runs instead (for every model).
    """
    X, y, epochs, batch_size, progress = _check_train_args(model, X, y, epochs, batch_size,
                                                            progress)
    opt = get_optimizer(optimizer)
    hp = opt.check_hparams(**hparams)
    gen = check_rng("rng", rng)
    params = model.init_params(gen) if params is None else model._check_params(params)
    record_path = _check_flag("record_path", record_path)
    record_lr = _check_flag("record_lr", record_lr)
    if record_lr and not opt.has_effective_lr:
        raise ValueError(f"record_lr=True needs a per-parameter effective learning rate, and "
                         f"{opt.title} has none (its step is not lr times a factor per "
                         f"parameter); use record_lr=False with {opt.name!r}")
    per_epoch = iterations_per_epoch(X.shape[0], batch_size)
    _check_run_length(epochs, per_epoch, model.n_params, record_path, record_lr)
    options = _check_options(clip_norm, clip_value, schedule, accumulate, batch_size,
                             X.shape[0], epochs * per_epoch)
    show = progress if progress is not None else epochs * per_epoch > PROGRESS_AUTO_ITERATIONS
    fast = type(model) in (LinearRegression, LogisticRegression) and not record_lr
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"), _blas_limit(X.size):
        if options is not None:
            run = _OptionsRun(model, X, y, opt, hp, params, record_path, record_lr, options)
        else:
            run = (_LinearRun if fast else _Run)(model, X, y, opt, hp, params, record_path,
                                                 record_lr)
        bar = _progress_bar(epochs * per_epoch, opt.name, batch_size) if show else None
        try:
            run.loop(epochs, batch_size, gen, bar)
        except _Diverged as stop:
            warnings.warn(str(stop), RuntimeWarning, stacklevel=2)
        finally:
            if bar is not None:
                bar.close()
    return run.result(per_epoch, batch_size)


class _Options(NamedTuple):
    """The checked options of the plain loop's twin, :class:`_OptionsRun`."""
    clip_norm: float | None
    clip_value: float | None
    schedule: object
    accumulate: int


def _check_options(clip_norm, clip_value, schedule, accumulate, batch_size, n, total):
    """Checked ``_Options``, or None when none is used (then the loops run as before)."""
    if clip_norm is not None:
        clip_norm = _check_max("clip_norm", clip_norm)
    if clip_value is not None:
        clip_value = check_number("clip_value", clip_value, low=0.0, low_open=True)
    if clip_norm is not None and clip_value is not None:
        raise ValueError(f"give clip_norm or clip_value, not both (got clip_norm={clip_norm:g}, "
                         f"clip_value={clip_value:g})")
    if schedule is not None:
        schedule = _as_schedule(schedule, total)
    per_update = n if batch_size is None else batch_size
    accumulate = check_number(f"accumulate (micro-batches per update of {per_update} records)",
                              accumulate, low=1, high=per_update, integer=True)
    if clip_norm is None and clip_value is None and schedule is None and accumulate == 1:
        return None
    return _Options(clip_norm, clip_value, schedule, accumulate)


def _progress_bar(total, name, batch_size):
    from tqdm.auto import tqdm
    return tqdm(total=total, desc=f"{name}, batch {batch_size or 'full'}", unit="it")


def _stack(rows):
    """A list of dicts of arrays -> a dict of stacked arrays (None stays None)."""
    if rows is None:
        return None
    return {k: np.stack([r[k] for r in rows]) for k in rows[0]} if rows else {}


class _Run:
    """The state of one training run: parameters, optimizer state and the histories."""

    def __init__(self, model, X, y, opt, hp, params, record_path, record_lr):
        self.model, self.X, self.y, self.opt, self.hp = model, X, y, opt, hp
        self.params = {k: p.copy() for k, p in params.items()}
        self.state = opt.init(self.params)
        self.losses, self.epoch_losses, self.times = [], [], []
        self.path = [{k: p.copy() for k, p in params.items()}] if record_path else None
        self.lrs = [] if record_lr else None
        self.epoch = self.iteration = 0
        self.message, self.diverged = "", False
        self.watched = _watched(opt)
        initial = model._loss(params, X, y)
        if not math.isfinite(initial):
            raise ValueError(f"the initial loss is {initial}: the starting params are too large "
                             "for this data")
        self.epoch_losses.append(initial)
        self.limit = DIVERGENCE_FACTOR * max(initial, 1.0)

    def loop(self, epochs, batch_size, gen, bar):
        for self.epoch in range(1, epochs + 1):
            start = time.perf_counter()
            self.epoch_pass(batch_size, gen, bar)
            elapsed = time.perf_counter() - start
            loss = self.full_loss()
            if not loss <= self.limit:  # also catches NaN
                self.stop(loss, "on the full data at the end of the epoch", self.iteration)
            self.epoch_losses.append(loss)
            self.times.append(elapsed)
            if bar is not None:
                bar.set_postfix(loss=f"{loss:.4g}")

    def epoch_pass(self, batch_size, gen, bar):
        """The iterations of one epoch."""
        for X_b, y_b in _batches(self.X, self.y, batch_size, gen):
            self.step(X_b, y_b)
            if bar is not None:
                bar.update(1)

    def full_loss(self):
        return self.model._loss(self.params, self.X, self.y)

    def step(self, X_b, y_b):
        """One iteration: forward + backward on the batch, one optimizer step, checks, records."""
        loss, grads = self.model._loss_and_grads(self.params, X_b, y_b)
        now = self.iteration + 1
        if not loss <= self.limit:  # also catches NaN
            self.stop(loss, "", now)
        self.update(loss, grads, grads, self.hp, now)

    def update(self, loss, grads, used, hp, now):
        """The optimizer step on ``used`` (the gradients, or what clipping made of them) with
        ``hp``, the checks (``grads`` names a non-finite gradient), then the records."""
        params, state = self.opt.step(self.params, used, self.state, **hp)
        if not _all_finite(params):  # a NaN or inf in the gradient ends up here too
            bad_grads = not _all_finite(grads)
            self.stop(loss, "the gradient is not finite" if bad_grads else
                      "the parameters overflowed", now)
        for field in self.watched:  # s = inf leaves the parameters finite: a silent freeze
            if not _all_finite(getattr(state, field)):
                self.stop_state(state, max(float(np.abs(g).max(initial=0.0))
                                           for g in used.values()), now)
        self.params, self.state = params, state
        self.iteration += 1
        self.losses.append(loss)
        if self.path is not None:
            self.path.append({k: p.copy() for k, p in params.items()})
        if self.lrs is not None:
            self.lrs.append(_lr_now(self.opt, state, params, hp))

    def stop(self, loss, why, iteration):
        self.diverged = True
        self.message = (f"training diverged at epoch {self.epoch}, iteration {iteration}: "
                        f"loss = {loss:.4g}"
                        f"{' (' + why + ')' if why else ''} — try a smaller learning rate "
                        f"(lr={self.hp['lr']:g})")
        raise _Diverged(self.message)

    def stop_state(self, state, grad_max, iteration):
        """Stop because the optimizer state went non-finite (the parameters may look fine)."""
        field, key, arr = _nonfinite_state(self.opt, state)
        self.diverged = True
        self.message = (f"training diverged at epoch {self.epoch}, iteration {iteration}: "
                        f"{_state_text(self.opt, field, key, arr)}; "
                        f"{_state_advice(grad_max, self.hp['lr'], 'standardize the features')}")
        raise _Diverged(self.message)

    def result(self, per_epoch, batch_size):
        epochs_run = len(self.times)
        if not self.diverged:
            self.message = (f"{self.opt.name}: {epochs_run} epochs, {self.iteration} iterations, "
                            f"loss {self.epoch_losses[0]:.4g} -> {self.epoch_losses[-1]:.4g}")
        return TrainResult(
            params=self.params, loss_per_iteration=np.array(self.losses, dtype=np.float64),
            loss_per_epoch=np.array(self.epoch_losses, dtype=np.float64),
            iterations=self.iteration, iterations_per_epoch=per_epoch, epochs_run=epochs_run,
            epoch_times=np.array(self.times, dtype=np.float64),
            path=_stack(self.path), lr_history=_stack(self.lrs),
            diverged=self.diverged, message=self.message, optimizer=self.opt.name,
            hparams=dict(self.hp), batch_size=batch_size)


class _OptionsRun(_Run):
    """The plain loop with clipping, a learning-rate schedule and gradient accumulation.

    A twin of :class:`_Run` (which stays as it was, so runs without these options give the
    same numbers as before): the batches are the same (one ``gen.permutation(n)`` per epoch,
    no draw for the full batch), each is cut into micro-batches when ``accumulate > 1``, and
    between the backward pass and the optimizer step come the clipping and the scheduled rate.
    """

    def __init__(self, model, X, y, opt, hp, params, record_path, record_lr, options):
        super().__init__(model, X, y, opt, hp, params, record_path, record_lr)
        self.options = options
        self.clip = options.clip_norm is not None or options.clip_value is not None
        self.norms = [] if self.clip else None
        self.rates = [] if options.schedule is not None else None
        self.block, self.block_start = None, 1

    def loop(self, epochs, batch_size, gen, bar):
        if self.options.schedule is not None:
            per_epoch = iterations_per_epoch(self.X.shape[0], batch_size)
            self.block_size = per_epoch
        super().loop(epochs, batch_size, gen, bar)

    def lr_at(self, t):
        """The scheduled rate of update t (factors made an epoch at a time)."""
        if self.block is None or not self.block_start <= t < self.block_start + self.block.size:
            self.block_start = t
            self.block = self.options.schedule._block(t, self.block_size)
        return self.hp["lr"] * float(self.block[t - self.block_start])

    def epoch_pass(self, batch_size, gen, bar):
        k = self.options.accumulate
        if k == 1:
            return super().epoch_pass(batch_size, gen, bar)
        X, y, n = self.X, self.y, self.X.shape[0]
        if batch_size is None or batch_size >= n:  # as _batches: no draw, views of X
            self.accumulated_step([(X[a:b], y[a:b]) for a, b in _split(0, n, k)])
            if bar is not None:
                bar.update(1)
            return None
        order = gen.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            # only the micro-batch's rows are gathered: X[idx] of the whole batch never exists
            self.accumulated_step([idx[a:b] for a, b in _split(0, idx.shape[0], k)])
            if bar is not None:
                bar.update(1)
        return None

    def accumulated_step(self, parts):
        """Forward + backward on each micro-batch, weighted by its size; then one update.

        ``parts``: (X_m, y_m) pairs, or index arrays into X (gathered one at a time)."""
        sizes = [p[1].shape[0] if isinstance(p, tuple) else p.shape[0] for p in parts]
        total = sum(sizes)
        loss, grads = 0.0, None
        for part, size in zip(parts, sizes, strict=True):
            X_m, y_m = part if isinstance(part, tuple) else (self.X[part], self.y[part])
            loss_m, grads_m = self.model._loss_and_grads(self.params, X_m, y_m)
            w = size / total
            loss += w * loss_m
            if grads is None:
                grads = {g: w * a for g, a in grads_m.items()}
            else:
                for g, a in grads_m.items():
                    grads[g] += w * a
        self.apply(loss, grads)

    def step(self, X_b, y_b):
        loss, grads = self.model._loss_and_grads(self.params, X_b, y_b)
        self.apply(loss, grads)

    def apply(self, loss, grads):
        """As ``_Run.step`` after the backward pass, with the clipping and the scheduled lr."""
        now = self.iteration + 1
        if not loss <= self.limit:  # also catches NaN
            self.stop(loss, "", now)
        used, norm = grads, None
        if self.clip:
            norm = _global_norm(grads)
            if self.options.clip_norm is not None:
                used = _clip_norm(grads, self.options.clip_norm, norm)[0]
            else:
                used = _clip_value(grads, self.options.clip_value)
        hp = self.hp
        if self.rates is not None:
            hp = {**hp, "lr": self.lr_at(now)}
        self.update(loss, grads, used, hp, now)
        if self.norms is not None:
            self.norms.append(norm)
        if self.rates is not None:
            self.rates.append(hp["lr"])

    def stop(self, loss, why, iteration):
        if self.rates is None:
            super().stop(loss, why, iteration)
        self.diverged = True
        lr_t = self.lr_at(max(iteration, 1))
        self.message = (f"training diverged at epoch {self.epoch}, iteration {iteration}: "
                        f"loss = {loss:.4g}"
                        f"{' (' + why + ')' if why else ''} — try a smaller learning rate "
                        f"(lr={self.hp['lr']:g}; the schedule made it {lr_t:g} at iteration "
                        f"{max(iteration, 1)})")
        raise _Diverged(self.message)

    def result(self, per_epoch, batch_size):
        res = super().result(per_epoch, batch_size)
        o = self.options
        return res._replace(
            grad_norms=None if self.norms is None else np.array(self.norms, dtype=np.float64),
            lr_per_iteration=None if self.rates is None else np.array(self.rates,
                                                                       dtype=np.float64),
            schedule=o.schedule, clip_norm=o.clip_norm, clip_value=o.clip_value,
            accumulate=o.accumulate)


def _split(start, stop, k):
    """``k`` (or fewer, never empty) consecutive ranges covering [start, stop), sizes differing
    by at most one, the longer first (as ``numpy.array_split``)."""
    n = stop - start
    k = min(k, n)
    size, extra = divmod(n, k)
    out, a = [], start
    for i in range(k):
        b = a + size + (i < extra)
        out.append((a, b))
        a = b
    return out


class _LinearRun(_Run):
    """The hot path for linear and logistic regression: the same loop, the same numbers.

    ``theta = [W, b]`` is one vector, updated in place by ``_flat_stepper`` (the optimizer's
    in-place twin); ``new`` takes the next one, which is checked before it replaces ``theta``.
    Mini-batches are the plain loop's (``gen.permutation(n)`` each epoch; no draw for the full
    batch): the labels of an epoch are put in its order once, each batch's rows are gathered
    with ``np.take`` into one reused buffer, and a batch of up to a chunk (``_chunk_rows``)
    goes through ``model._batch_kernel``, the forward and backward pass bound to that buffer
    with its own temporaries; the full batch's step needs only the gradient, one chunked pass
    over X (``model._flat_grad``); SGD does its per-record forward, loss and backward on Python
    floats.
    """

    def __init__(self, model, X, y, opt, hp, params, record_path, record_lr):
        super().__init__(model, X, y, opt, hp, params, record_path, record_lr)
        self.theta = _flat(self.params)
        self.new = np.empty_like(self.theta)
        self.grad = np.empty_like(self.theta)
        self.update = _flat_stepper(opt, hp, self.theta.size)

    def flat_state_stop(self, iteration):
        """``stop_state`` for the in-place twin: its state arrays, the gradient in ``grad``."""
        d = self.model.n_features
        state = self.opt.state_type(iteration, *({"dW": self.update.fields[f][:d],
                                                  "db": self.update.fields[f][d:]}
                                                 for f in self.opt.fields))
        self.stop_state(state, float(np.abs(self.grad).max()), iteration)

    def params_now(self):
        d = self.model.n_features
        return {"W": self.theta[:d].copy(), "b": self.theta[d:].copy()}

    def full_loss(self):
        return self.model._flat_loss(self.theta, self.X, self.y)

    def epoch_pass(self, batch_size, gen, bar):
        n = self.X.shape[0]
        if batch_size is None or batch_size >= n:
            # The batch loss is the full-data loss at the current parameters: the number the
            # end of the last epoch (or the start) computed. Only the gradient is left to do.
            self.flat_step(self.X, self.y, self.epoch_losses[-1])
            if bar is not None:
                bar.update(1)
        elif batch_size == 1:
            self.sgd_pass(gen.permutation(n), bar)
        else:
            self.minibatch_pass(gen.permutation(n), batch_size, bar)

    def minibatch_pass(self, order, batch_size, bar):
        X, n = self.X, order.shape[0]
        y = self.y[order]  # the labels of the epoch in its order (n numbers): batches are views
        full = n - n % batch_size  # records in the batches of batch_size; the rest: a last batch
        if batch_size <= _chunk_rows(X.shape[1]):
            self.kernel_pass(order[:full], y, batch_size, bar)
        else:
            X_b = np.empty((batch_size, X.shape[1]))
            for start in range(0, full, batch_size):
                np.take(X, order[start:start + batch_size], 0, X_b, "clip")  # see kernel_pass
                self.flat_step(X_b, y[start:start + batch_size])
                if bar is not None:
                    bar.update(1)
        if full < n:  # the last, shorter batch
            self.flat_step(np.take(X, order[full:], 0), y[full:])
            if bar is not None:
                bar.update(1)

    def kernel_pass(self, order, y, batch_size, bar):
        """The batches of ``order`` (all of ``batch_size`` records; ``y`` already in that
        order), each gathered into one reused buffer, then ``kernel_step``."""
        X, take = self.X, np.take
        X_b = np.empty((batch_size, X.shape[1]))
        kernel = self.model._batch_kernel(X_b, self.grad)
        for start in range(0, order.shape[0], batch_size):
            end = start + batch_size
            take(X, order[start:end], 0, X_b, "clip")  # mode "raise" would copy through a buffer
            self.kernel_step(kernel, y[start:end])
            if bar is not None:
                bar.update(1)

    def kernel_step(self, kernel, y_b):
        """``flat_step`` with a ``model._batch_kernel`` (its buffer filled, ``y_b`` its labels)."""
        self.finish_step(kernel(self.theta, y_b))

    def flat_step(self, X_b, y_b, loss=None):
        """As ``_Run.step``: forward + backward, one update, the checks, the records."""
        if loss is None:
            loss = self.model._flat_loss_and_grad(self.theta, X_b, y_b, self.grad)
        else:  # the loss at theta is known already
            self.model._flat_grad(self.theta, X_b, y_b, self.grad)
        self.finish_step(loss)

    def finish_step(self, loss):
        """After the forward and backward pass (``self.grad`` holds the gradient at ``theta``,
        ``loss`` the loss there): the loss check, one update, the checks, the records."""
        if not loss <= self.limit:  # also catches NaN
            self.stop(loss, "", self.iteration + 1)
        self.update(self.theta, self.grad, self.new)
        self.accept(loss)

    def accept(self, loss):
        """Check the new parameters; make them current; record."""
        new = self.new
        if not (math.isfinite(new.dot(new)) or np.isfinite(new).all()):  # see sgd_pass
            bad_grads = not np.isfinite(self.grad).all()
            self.stop(loss, "the gradient is not finite" if bad_grads else
                      "the parameters overflowed", self.iteration + 1)
        watch = self.update.watch  # s: see optimizers._watched
        if watch is not None and not (math.isfinite(watch.dot(watch))
                                      or np.isfinite(watch).all()):
            self.flat_state_stop(self.iteration + 1)
        self.theta, self.new = new, self.theta
        self.iteration += 1
        self.losses.append(loss)
        if self.path is not None:
            self.path.append(self.params_now())

    def sgd_pass(self, order, bar):
        """Batch size 1: the plain loop's arithmetic on one record, on Python floats, the loop's
        state in locals. The same IEEE operations in the same order, so the same numbers (exp
        and log1p come from the C library, as NumPy's float64 ones do on CPUs without AVX-512;
        where NumPy has its own, the last bit of a loss may differ)."""
        X, d, grad, limit, update = self.X, self.model.n_features, self.grad, self.limit, \
            self.update
        record = _record_classification if self.model.task == "classification" else \
            _record_regression
        theta, new = self.theta, self.new
        W, W_new, g_W, mul, isfinite = theta[:d], new[:d], grad[:d], np.multiply, math.isfinite
        g_b = grad[d:].reshape(())  # a 0-d view of db: NumPy multiplies by it fastest
        losses, path, it, done = self.losses, self.path, self.iteration, 0
        try:
            for done, (j, y_j) in enumerate(zip(order.tolist(), self.y[order].tolist(),
                                                strict=True), 1):
                x = X[j]
                loss, dz = record(float(x.dot(W)) + theta.item(d), y_j)   # z = x W + b
                if not loss <= limit:  # also catches NaN
                    self.stop(loss, "", it + 1)
                g_b.fill(dz)                                              # db = dz
                mul(x, g_b, g_W)                                          # dW = x dz
                update(theta, grad, new)
                # new·new is finite only if every number is (a quick test; on overflow, ask)
                if not (isfinite(new.dot(new)) or np.isfinite(new).all()):
                    self.stop(loss, "the gradient is not finite" if not np.isfinite(grad).all()
                              else "the parameters overflowed", it + 1)
                watch = update.watch  # s: see optimizers._watched
                if watch is not None and not (isfinite(watch.dot(watch))
                                              or np.isfinite(watch).all()):
                    self.flat_state_stop(it + 1)
                theta, new, W, W_new = new, theta, W_new, W
                it += 1
                losses.append(loss)
                if path is not None:
                    path.append({"W": theta[:d].copy(), "b": theta[d:].copy()})
                if bar is not None and done % 1024 == 0:
                    bar.update(1024)
        finally:
            self.theta, self.new, self.iteration = theta, new, it
        if bar is not None:
            bar.update(done % 1024)

    def result(self, per_epoch, batch_size):
        self.params = self.params_now()
        return super().result(per_epoch, batch_size)


def _record_classification(z, y):
    """Loss and dL/dz of one record, as models._sigmoid_parts / _output_loss / _output_delta."""
    e = math.exp(-abs(z))
    p = 1.0 / (e + 1.0)
    if z < 0:
        p *= e
    return math.log1p(e) + max(z, 0.0) - y * z, p - y


def _record_regression(z, y):
    """Squared error of one record and its derivative 2 (z - y)."""
    r = z - y
    return r * r, r * 2.0
