r"""Data-parallel training on ``torch.distributed`` (gloo, CPU), checked against ``train``.

``data_parallel_run`` starts ``world_size`` worker processes once. Every worker holds the same
starting parameters. For each global batch (the very batches ``course_lib.training.train``
visits for the same seed) worker ``k`` takes its contiguous shard of ``m_k`` of the ``m``
records and computes the gradient of its share of the loss,
:math:`\frac1m \sum_{i \in \text{shard } k} (\hat y_i - y_i)^2`; an all-reduce (SUM) adds the
shares, which gives exactly the gradient of the mean squared error over the whole global batch
(shards of unequal size included), and every worker takes the same ``torch.optim`` step. So the
trajectory equals the single-process one, up to rounding.

Then, in the same launch, Adam's state is sharded with ``ZeroRedundancyOptimizer`` (ZeRO
stage 1): each worker keeps the moments of only its share of the parameter tensors.

torch is optional for the course: nothing here imports it until a run starts, and without it
``data_parallel_run`` raises ``ImportError`` with the sentence of :func:`torch_status`.

>>> np.random.default_rng(0).permutation(5).tolist()   # the order train draws for epoch 1
[2, 4, 3, 0, 1]
>>> [b.tolist() for b in global_batches(5, 2, epochs=1, rng=0)]  # cut into batches of 2
[[2, 4], [3, 0], [1]]
>>> shard_sizes(5, world_size=2)   # a global batch of 5 records on 2 workers
(3, 2)
>>> ok, why = torch_status()
>>> isinstance(ok, bool) and isinstance(why, str)
True
"""
from __future__ import annotations

import contextlib
import math
import os
import pickle
import socket
import tempfile
import time
import warnings
from typing import NamedTuple

import numpy as np

from .._validate import _show, check_choice, check_flag, check_number, check_rng

__all__ = ["DataParallelResult", "torch_status", "global_batches", "shard_sizes", "free_port",
           "data_parallel_run", "MAX_WORLD_SIZE", "ZERO_TENSORS", "ZERO_SHAPE"]

#: The most worker processes one run may start (the course runs on a laptop).
MAX_WORLD_SIZE = 8
#: The ZeRO measurement's model: this many parameter tensors of this shape, all equal in size,
#: so that sharding by whole tensors can split them evenly (8 = 2 x 4 = 4 x 2 = 8 x 1).
ZERO_TENSORS = 8
ZERO_SHAPE = (64, 64)
#: Seconds a killed worker gets to end before the next, harder signal.
_GRACE = 1.0
_INSTALL = "pip install torch==2.13.0"
_ADDRESS_IN_USE = ("address already in use", "eaddrinuse")


class DataParallelResult(NamedTuple):
    """What :func:`data_parallel_run` returns.

    Attributes
    ----------
    path : dict
        Rank 0's parameters after every update, the starting point first, keyed like the params:
        ``path["W"]`` has shape ``(iterations + 1, d)``, ``path["b"]`` ``(iterations + 1, 1)``;
        the layout of ``train(..., record_path=True).path``.
    params : dict
        The final parameters (the last row of ``path``).
    iterations : int
        Updates taken (global batches).
    world_size : int
    batch_size : int or None
        The global batch size (``None``: the full data set).
    optimizer : str
        ``"gd"`` (``torch.optim.SGD``) or ``"adam"`` (``torch.optim.Adam``).
    hparams : dict
        The course's hyperparameters used (for Adam: ``lr``, ``beta1``, ``beta2``, ``eps``).
    seconds : float
        Wall time of the whole call: starting the processes (each imports torch), joining the
        process group, training, the ZeRO measurement, shutting down.
    loop_seconds : float
        Rank 0's time in the training loop alone (every all-reduce included).
    zero_state_bytes : tuple of int or None
        With ``zero=True``: each worker's optimizer-state bytes under ZeRO (``exp_avg``,
        ``exp_avg_sq`` and ``step`` of its own tensors), rank 0 first.
    full_state_bytes : int or None
        The same for plain (unsharded) Adam on one worker: every tensor's state.
    zero_n_params : int or None
        Numbers in the ZeRO model: ``ZERO_TENSORS * 64 * 64``.
    zero_max_diff : float or None
        Largest ``|ZeRO-stepped - Adam-stepped|`` parameter difference after the one step, over
        all workers: sharding changes where the state lives, not the update (0 is expected).
    """
    path: dict
    params: dict
    iterations: int
    world_size: int
    batch_size: int | None
    optimizer: str
    hparams: dict
    seconds: float
    loop_seconds: float
    zero_state_bytes: tuple | None
    full_state_bytes: int | None
    zero_n_params: int | None
    zero_max_diff: float | None


# --------------------------------------------------------------------------------------------
def torch_status() -> tuple[bool, str]:
    """Whether torch with ``torch.distributed`` and the gloo backend can be used here.

    Returns ``(True, a short description)`` or ``(False, the sentence to show the learner)``:
    what to install and why. Nothing is installed or started.
    """
    why = ("the data-parallel cells start worker processes that average gradients with "
           "torch.distributed (gloo backend, CPU)")
    try:
        import torch
        import torch.distributed as dist
    except ImportError as exc:
        return False, (f"torch is not installed ({exc}): {why}. Install the CPU wheel with "
                       f"`{_INSTALL}`, restart the kernel and run the cell again; the rest of "
                       "the chapter runs without it.")
    if not dist.is_available() or not dist.is_gloo_available():
        return False, (f"this torch {torch.__version__} was built without torch.distributed "
                       f"or its gloo backend: {why}. Install the standard CPU wheel with "
                       f"`{_INSTALL}` and restart the kernel.")
    return True, f"torch {torch.__version__} with torch.distributed (gloo)"


def _require_torch():
    ok, message = torch_status()
    if not ok:
        raise ImportError(message)


def free_port(host="127.0.0.1") -> int:
    """A TCP port on ``host`` that was free a moment ago: the system's pick for port 0.

    Another program can take it before the workers bind it; ``data_parallel_run`` then starts
    once more on a new port (rank 0 reports "address already in use").
    """
    import ipaddress
    if type(host) is not str:
        raise TypeError(f"host must be an IPv4 address written as a string, such as "
                        f"'127.0.0.1', got {host!r} of type {type(host).__name__}")
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        raise ValueError(f"host must be an IPv4 address written as a string, such as "
                         f"'127.0.0.1', got {host!r}") from None
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, 0))
        except OSError as err:
            raise ValueError(f"host {host!r} is not an address of this machine ({err}); use "
                             f"'127.0.0.1' for workers on this machine") from None
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------------------------
def _orders(gen, n, batch_size, epochs):
    """Each epoch's index batches, drawing from ``gen`` exactly as ``data._batches`` does."""
    batches = []
    for _ in range(epochs):
        if batch_size is None or batch_size >= n:  # the full batch: no draw
            batches.append(np.arange(n))
            continue
        order = gen.permutation(n)
        batches.extend(order[start:start + batch_size] for start in range(0, n, batch_size))
    return batches


#: The most indices global_batches builds (records x epochs): the arrays are held in memory.
MAX_RECORDS = 10**8


def _check_n(n):
    return check_number("n", n, low=1, high=MAX_RECORDS, integer=True)


def global_batches(n, batch_size, epochs, rng, *, model=None) -> list[np.ndarray]:
    """The index arrays of the global batches ``train`` visits, in order.

    ``train(model, X, y, ..., batch_size=batch_size, epochs=epochs, rng=rng)`` first draws the
    starting parameters with ``model.init_params`` (the linear models draw nothing), then one
    permutation of the ``n`` records per epoch, cut into batches of ``batch_size`` (the last one
    shorter when ``batch_size`` does not divide ``n``); the full batch (``None`` or ``n``) draws
    nothing and keeps the stored order. This function makes the same draws in the same order.

    Parameters
    ----------
    n : int >= 1
        Number of records.
    batch_size : int in [1, n] or None
    epochs : int >= 1
    rng : numpy.random.Generator or int
        The ``rng`` given to ``train``. A Generator is advanced, as ``train`` would advance it:
        to replay a run, give each a Generator in the same state (or the same int seed).
    model : course_lib.models.Model, optional
        The model ``train`` starts; its ``init_params`` draws come first. Default: a linear
        model (no draws).

    Returns
    -------
    list of ndarray of int
        ``epochs * ceil(n / batch_size)`` arrays (``epochs`` for the full batch).
    """
    from ..data import _check_batch_size
    from ..models import Model

    n = _check_n(n)
    batch_size = _check_batch_size(batch_size, n)
    epochs = check_number("epochs", epochs, low=1, high=100_000, integer=True)
    if n * epochs > MAX_RECORDS:
        raise ValueError(f"n x epochs = {n} x {epochs} = {n * epochs} indices is too many to hold "
                         f"in memory here (at most {MAX_RECORDS:.0e}): use fewer epochs or "
                         f"fewer records")
    gen = check_rng("rng", rng)
    if model is not None:
        if not isinstance(model, Model):
            raise TypeError("model must be a course_lib.models model such as LinearRegression(2) "
                            f"or None, got {_show(model)} of type {type(model).__name__}")
        model.init_params(gen)
    return _orders(gen, n, batch_size, epochs)


def shard_sizes(m, world_size) -> tuple[int, ...]:
    """How many records of a global batch of ``m`` each worker takes: a contiguous split,
    the first ``m % world_size`` workers one more (``numpy.array_split``). A worker may get
    0 records (a short last batch): its share of the gradient is then 0.

    >>> shard_sizes(7, 3)
    (3, 2, 2)
    """
    m = check_number("m", m, low=0, integer=True)
    world_size = _check_world_size(world_size)
    q, r = divmod(m, world_size)
    return tuple(q + (k < r) for k in range(world_size))


def _check_world_size(world_size):
    return check_number("world_size", world_size, low=1, high=MAX_WORLD_SIZE, integer=True)


def _check_args(X, y, world_size, batch_size, epochs, optimizer, lr, rng, zero, timeout,
                fail_rank):
    from ..data import check_xy
    from ..models import LinearRegression
    from ..optimizers import get_optimizer
    from ..training import _check_run_length, _check_train_args

    optimizer = check_choice("optimizer", optimizer, ("gd", "adam"))
    world_size = _check_world_size(world_size)
    X, y = check_xy(X, y)
    model = LinearRegression(X.shape[1])
    X, y, epochs, batch_size, _ = _check_train_args(model, X, y, epochs, batch_size, None)
    n = X.shape[0]
    global_batch = n if batch_size is None else batch_size
    if world_size > global_batch:
        raise ValueError(f"world_size must be at most the global batch size ({global_batch} "
                         f"records), got world_size={world_size}: each worker needs a share of "
                         "the batch. Use fewer workers or a larger batch_size")
    hp = get_optimizer(optimizer).check_hparams(**({} if lr is None else {"lr": lr}))
    gen = check_rng("rng", rng)
    zero = check_flag("zero", zero)
    timeout = check_number("timeout", timeout, low=0, high=3600, low_open=True)
    if fail_rank is not None:
        fail_rank = check_number("_fail_rank", fail_rank, low=0, high=world_size - 1,
                                 integer=True)
    per_epoch = math.ceil(n / global_batch)
    _check_run_length(epochs, per_epoch, model.n_params, True, False)
    return model, X, y, world_size, batch_size, epochs, optimizer, hp, gen, zero, timeout, \
        fail_rank


def data_parallel_run(X, y, *, world_size=2, batch_size, epochs, optimizer="gd", lr=None, rng=0,
                      zero=True, timeout=60, _fail_rank=None) -> DataParallelResult:
    r"""Train ``LinearRegression`` data-parallel on ``world_size`` processes (torch, gloo).

    One launch: the workers are started once (``torch.multiprocessing``, start method spawn),
    join a gloo process group on ``127.0.0.1`` at a free port, train, measure ZeRO, and end.

    Parameters
    ----------
    X : array_like, shape (n, d)
    y : array_like, shape (n,)
    world_size : int in [1, 8]
        Worker processes; at most the global batch size.
    batch_size : int in [world_size, n] or None
        The GLOBAL batch size (all workers together); ``None`` is the full data set.
    epochs : int >= 1
    optimizer : {"gd", "adam"}
        ``torch.optim.SGD(lr)`` or ``torch.optim.Adam(lr, betas=(beta1, beta2), eps)`` with the
        course's defaults for ``beta1``, ``beta2``, ``eps``.
    lr : float > 0 or None
        ``None``: the course's default for ``optimizer``.
    rng : numpy.random.Generator or int
        As in ``train``: the starting parameters (``LinearRegression(d).init_params``), then the
        order of every epoch (:func:`global_batches`).
    zero : bool
        Also measure Adam's state per worker under ``ZeroRedundancyOptimizer`` (same launch;
        one step on 8 tensors of 64 x 64, with ``lr`` for Adam, the course's 0.001 after GD).
    timeout : float in (0, 3600]
        Seconds for the whole run (start-up included) and for any one collective operation.
        Past it every worker is killed and ``TimeoutError`` raised.

    Returns
    -------
    DataParallelResult
        ``path`` equals ``train(LinearRegression(d), X, y, optimizer, batch_size=batch_size,
        epochs=epochs, rng=rng, lr=lr, record_path=True).path`` up to rounding (float64).

    Raises
    ------
    ImportError
        torch (with torch.distributed and gloo) is not installed: the message says what to do.
    RuntimeError
        A worker failed: the message names its rank and carries its error and traceback.
    TimeoutError
        The run did not end within ``timeout`` seconds.

    Notes
    -----
    Every worker is handed the whole ``(X, y)`` and reads only its shard of each batch; on real
    machines each would load only its own records. No divergence check runs inside the loop:
    a ``RuntimeWarning`` says so afterwards when the path is not finite.
    """
    model, X, y, world_size, batch_size, epochs, optimizer, hp, gen, zero, timeout, fail_rank = \
        _check_args(X, y, world_size, batch_size, epochs, optimizer, lr, rng, zero, timeout,
                    _fail_rank)
    _require_torch()
    params0 = model.init_params(gen)
    batches = _orders(gen, X.shape[0], batch_size, epochs)
    start = time.perf_counter()
    out = _launch(world_size, timeout, start,
                  (X, y, batches, params0, optimizer, hp, zero, fail_rank))
    seconds = time.perf_counter() - start
    theta = out[0]["path"]
    d = X.shape[1]
    path = {"W": theta[:, :d].copy(), "b": theta[:, d:].copy()}
    if not np.isfinite(theta).all():
        warnings.warn(f"data_parallel_run: the parameters stopped being finite (lr={hp['lr']:g} "
                      "is too large for this data): try a smaller learning rate",
                      RuntimeWarning, stacklevel=2)
    zero_bytes = tuple(out[k]["zero_bytes"] for k in range(world_size)) if zero else None
    return DataParallelResult(
        path=path, params={"W": path["W"][-1].copy(), "b": path["b"][-1].copy()},
        iterations=len(batches), world_size=world_size, batch_size=batch_size,
        optimizer=optimizer, hparams=dict(hp), seconds=seconds,
        loop_seconds=out[0]["loop_seconds"], zero_state_bytes=zero_bytes,
        full_state_bytes=out[0]["full_bytes"] if zero else None,
        zero_n_params=out[0]["zero_n_params"] if zero else None,
        zero_max_diff=max(out[k]["zero_max_diff"] for k in range(world_size)) if zero else None)


# --------------------------------------------------------------------------------------------
# The parent's side: start, wait with a deadline, report, clean up.
def _launch(world_size, timeout, start, job):
    """Run the workers once; once more on a new port if rank 0 found its port taken."""
    for attempt in (1, 2):
        try:
            return _launch_once(world_size, timeout, start, job)
        except _PortTaken:
            if attempt == 2:
                raise RuntimeError("data_parallel_run: the free port was taken twice by another "
                                   "program before the workers could bind it; run it again"
                                   ) from None
    raise AssertionError("unreachable")  # pragma: no cover


class _PortTaken(Exception):
    """Rank 0 could not bind the port ``free_port`` found (another program took it)."""


def _launch_once(world_size, timeout, start, job):
    import torch.multiprocessing as mp
    from torch.multiprocessing.spawn import ProcessExitedException, ProcessRaisedException

    with tempfile.TemporaryDirectory(prefix="course-dp-") as out_dir:
        # The data go through a file: spawn writes its arguments into a pipe, and a worker that
        # dies while starting would leave a big write blocked for ever.
        with open(os.path.join(out_dir, "job.pkl"), "wb") as fh:
            pickle.dump(job, fh, protocol=pickle.HIGHEST_PROTOCOL)
        context = mp.start_processes(_worker, args=(world_size, free_port(), timeout, out_dir),
                                     nprocs=world_size, join=False, start_method="spawn")
        try:
            _join(context, start + timeout, timeout)
        except (ProcessRaisedException, ProcessExitedException) as exc:
            _end_all(context)
            rank, trace, port_taken = _first_failure(out_dir, world_size, exc)
            if port_taken:
                raise _PortTaken() from None
            raise RuntimeError(_worker_failed(rank, world_size, trace)) from None
        finally:
            _end_all(context)
        out = {}
        for rank in range(world_size):
            with open(os.path.join(out_dir, f"rank{rank}.pkl"), "rb") as fh:
                out[rank] = pickle.load(fh)
        return out


def _join(context, deadline, timeout):
    with _quiet_torch_spawn():
        _join_loop(context, deadline, timeout)


@contextlib.contextmanager
def _quiet_torch_spawn():
    """Hide torch's "Terminating process ... via signal" warnings: the error says it all."""
    import logging

    logger = logging.getLogger("torch.multiprocessing.spawn")
    old = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(old)


def _join_loop(context, deadline, timeout):
    while not context.join(timeout=min(max(deadline - time.perf_counter(), 0.0), 0.5),
                           grace_period=_GRACE):
        if time.perf_counter() >= deadline:
            raise TimeoutError(f"data_parallel_run: the workers did not finish within "
                               f"timeout={timeout:g} s; every worker was stopped. Start-up "
                               "alone (each worker imports torch) takes a few seconds: "
                               "allow more time, or use fewer epochs or a larger batch_size")


def _end_all(context):
    """Stop every worker still running, wait for it, remove torch's error files."""
    for process in context.processes:
        if process.is_alive():
            process.terminate()
    for process in context.processes:
        process.join(_GRACE)
        if process.is_alive():  # pragma: no cover - a worker stuck in C code
            process.kill()
            process.join()
    for path in context.error_files:
        with contextlib.suppress(OSError):
            os.remove(path)


def _first_failure(out_dir, world_size, exc):
    """``(rank, traceback, port_taken)``: the worker that failed first (torch's report if none
    wrote one), and whether any worker found the port taken."""
    found = []
    for rank in range(world_size):
        path = os.path.join(out_dir, f"failed{rank}.pkl")
        if os.path.exists(path):
            with open(path, "rb") as fh:
                when, trace = pickle.load(fh)
            found.append((when, rank, trace))
    if found:
        _, rank, trace = min(found)
        taken = any(s in t.lower() for _, _, t in found for s in _ADDRESS_IN_USE)
        return rank, trace, taken
    text = str(exc).split("terminated with the following error:", 1)[-1].strip()
    return exc.error_index, (f"{text} (killed, or it could not start: from a script, call "
                             "data_parallel_run under `if __name__ == \"__main__\":`, since "
                             "each worker imports the script again)"), False


def _worker_failed(rank, world_size, trace):
    lines = trace.strip().splitlines() or ["(no message)"]
    tail = f" Its traceback:\n{trace.strip()}" if len(lines) > 1 else ""
    return (f"data_parallel_run: worker rank {rank} of {world_size} failed with {lines[-1]}; "
            f"the other workers were stopped.{tail}")


# --------------------------------------------------------------------------------------------
# The worker's side (a module-level function, so that spawn can pickle it).
def _worker(rank, world_size, port, timeout, out_dir):
    try:
        with open(os.path.join(out_dir, "job.pkl"), "rb") as fh:
            job = pickle.load(fh)
        _work(rank, world_size, port, timeout, out_dir, *job)
    except Exception:
        # When one worker fails, the others fail too (their peer is gone): the parent reports
        # the first failure in time, the cause.
        import traceback

        with open(os.path.join(out_dir, f"failed{rank}.pkl"), "wb") as fh:
            pickle.dump((time.time(), traceback.format_exc()), fh)
        raise


def _work(rank, world_size, port, timeout, out_dir, X, y, batches, params0, optimizer, hp,
          zero, fail_rank):
    from datetime import timedelta

    import torch
    import torch.distributed as dist

    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank,
                            world_size=world_size, timeout=timedelta(seconds=timeout))
    try:
        if rank == fail_rank:
            raise RuntimeError(f"deliberate failure of rank {rank} (the _fail_rank test hook)")
        out = _train(rank, world_size, X, y, batches, params0, optimizer, hp)
        if zero:
            out.update(_zero_measure(rank, hp["lr"] if optimizer == "adam" else 1e-3))
        with open(os.path.join(out_dir, f"rank{rank}.pkl"), "wb") as fh:
            pickle.dump(out, fh)
        dist.barrier()  # nobody leaves while another still needs the group
    finally:
        dist.destroy_process_group()


def _train(rank, world_size, X, y, batches, params0, optimizer, hp):
    """The data-parallel loop: shard, local gradient, all-reduce (SUM), one step."""
    import torch
    import torch.distributed as dist

    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    d = X.shape[1]
    W = torch.tensor(params0["W"], dtype=torch.float64, requires_grad=True)
    b = torch.tensor(params0["b"], dtype=torch.float64, requires_grad=True)
    if optimizer == "gd":
        opt = torch.optim.SGD([W, b], lr=hp["lr"])
    else:
        opt = torch.optim.Adam([W, b], lr=hp["lr"], betas=(hp["beta1"], hp["beta2"]),
                               eps=hp["eps"])
    path = np.empty((len(batches) + 1, d + 1))
    path[0] = np.concatenate([params0["W"], params0["b"]])
    flat = torch.empty(d + 1, dtype=torch.float64)
    start = time.perf_counter()
    for it, idx in enumerate(batches, 1):
        m = idx.shape[0]
        shard = torch.from_numpy(np.array_split(idx, world_size)[rank])
        r = Xt[shard] @ W + b - yt[shard]
        share = (r * r).sum() / m  # this worker's part of the batch's mean squared error
        W.grad, b.grad = torch.autograd.grad(share, (W, b))
        flat[:d], flat[d:] = W.grad, b.grad
        dist.all_reduce(flat, op=dist.ReduceOp.SUM)  # the shares add up to the batch mean
        W.grad.copy_(flat[:d])
        b.grad.copy_(flat[d:])
        opt.step()
        if rank == 0:
            with torch.no_grad():
                path[it, :d], path[it, d:] = W.detach().numpy(), b.detach().numpy()
    return {"path": path if rank == 0 else None, "loop_seconds": time.perf_counter() - start}


def _state_bytes(optimizer):
    """Bytes of every tensor in a torch optimizer's state (moments and step counters)."""
    import torch

    return sum(v.numel() * v.element_size() for state in optimizer.state.values()
               for v in state.values() if isinstance(v, torch.Tensor))


def _zero_measure(rank, lr):
    """One Adam step under ZeRO and one plain: each worker's state bytes, and the difference."""
    import torch
    from torch.distributed.optim import ZeroRedundancyOptimizer

    gen = torch.Generator().manual_seed(0)  # the same tensors and gradients on every worker
    start = [torch.randn(ZERO_SHAPE, generator=gen, dtype=torch.float64)
             for _ in range(ZERO_TENSORS)]
    grads = [torch.randn(ZERO_SHAPE, generator=gen, dtype=torch.float64)
             for _ in range(ZERO_TENSORS)]
    sharded = [torch.nn.Parameter(t.clone()) for t in start]
    plain = [torch.nn.Parameter(t.clone()) for t in start]
    zero = ZeroRedundancyOptimizer(sharded, optimizer_class=torch.optim.Adam, lr=lr)
    adam = torch.optim.Adam(plain, lr=lr)
    for p, q, g in zip(sharded, plain, grads, strict=True):
        p.grad, q.grad = g.clone(), g.clone()
    zero.step()  # each worker updates its own tensors, then broadcasts them to the others
    adam.step()
    diff = max(float((p - q).detach().abs().max()) for p, q in zip(sharded, plain, strict=True))
    return {"zero_bytes": _state_bytes(zero.optim), "full_bytes": _state_bytes(adam),
            "zero_n_params": sum(p.numel() for p in sharded), "zero_max_diff": diff}
