"""Training on 1,000,000 x 20 records: logistic regression, float64, Adam, time per epoch.

Measured through the course's own ``course_lib.training.train`` (what a notebook calls), for the
full batch, mini-batches of 8192, 1024, 256 and 32, and SGD (batch size 1, extrapolated from a
fixed number of steps on a random subset of the records). Beside it, in the same run:

- the bandwidth floor: one read pass over the data (``x @ x`` over the flat X, plus ``y @ y``,
  one BLAS thread);
- the generic loop of ``train`` (``training._Run``, the loop every other model takes: no fast
  path, but the same model kernels) for the full batch, 1024 and SGD;
- PyTorch CPU where torch is importable: ``nn.Linear`` + ``BCEWithLogitsLoss`` +
  ``torch.optim.Adam``, one thread, the loss of every step read with ``.item()`` as ``train``
  records it. Epochs of more than ``--torch-steps`` steps are extrapolated from that many.

The samples are interleaved (each round: a read pass, an epoch of each contender), and each
ratio divides medians of the same rounds. A "time per epoch" is the batch loop of one epoch
(``TrainResult.epoch_times``: gathering the batches, forward, loss, backward, update, checks);
the loss on all the data at the end of each epoch is not in it (``wall_per_epoch`` in the JSON
is the whole ``train()`` call: argument checks, initial and end-of-epoch losses included).

Targets: full batch <= 3x the read pass; mini-batch 1024 <= 0.35x PyTorch and <= 16x the read
pass; SGD <= 20 µs per step.

    python benchmarks/training_1m.py [--runs 5] [--no-torch] [--n 1000000] [--batches full,1024]
"""
from __future__ import annotations

import argparse
import json
import math
import time

try:
    from _common import Stat, fmt, ratio, repeat, verdict
except ImportError:  # imported as benchmarks.training_1m
    from benchmarks._common import Stat, fmt, ratio, repeat, verdict

import numpy as np  # noqa: E402

BATCHES = (None, 8192, 1024, 256, 32, 1)
TARGETS = {"full_vs_read": 3.0, "b1024_vs_torch": 0.35, "b1024_vs_read": 16.0,
           "sgd_step_s": 20e-6}


def label(batch_size) -> str:
    return "full batch" if batch_size is None else f"batch {batch_size}"


def read_pass(X, y, runs, warmup=1) -> Stat:
    """One pass reading every byte of X and y (a BLAS dot of each with itself, one thread)."""
    from course_lib.models import _blas_limit

    x = X.reshape(-1)
    with _blas_limit(x.size):
        return repeat(lambda: (x @ x, y @ y), runs, warmup)


def _epochs_for(batch_size, runs, n):
    """Fewer epochs where one epoch is long (many Python-level steps)."""
    if batch_size is not None and n // batch_size > 10_000:
        return max(3, runs // 2)
    return runs


def course(X, y, batch_size, *, runs, sgd_steps, lr, seed, plain=False) -> dict:
    """``train(LogisticRegression(d), X, y, "adam", batch_size=...)``: per-epoch Stat."""
    from course_lib import training
    from course_lib.data import iterations_per_epoch
    from course_lib.models import LogisticRegression

    n, d = X.shape
    extrapolate = batch_size == 1 and n > sgd_steps
    if extrapolate:  # a fixed number of steps on a random subset, scaled to a whole epoch
        rows = np.random.default_rng(seed).choice(n, sgd_steps, replace=False)
        X, y = X[rows], y[rows]
    epochs = runs if extrapolate else _epochs_for(batch_size, runs, n)
    saved = training._LinearRun
    if plain:
        training._LinearRun = training._Run  # the loop without the fast path
    try:
        start = time.perf_counter()
        res = training.train(LogisticRegression(d), X, y, "adam", batch_size=batch_size,
                             epochs=epochs, lr=lr, rng=seed, progress=False)
        wall = time.perf_counter() - start
    finally:
        training._LinearRun = saved
    if res.diverged:
        raise RuntimeError(res.message)
    steps = res.iterations_per_epoch
    scale = iterations_per_epoch(n, batch_size) / steps
    out = {"epoch": Stat.of(res.epoch_times * scale), "steps_timed": steps,
           "extrapolated": extrapolate, "step": Stat.of(res.epoch_times / steps),
           "wall_per_epoch": None if extrapolate else wall / epochs,
           "final_loss": float(res.loss_per_epoch[-1])}
    return out


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def pytorch(X, y, batch_size, *, runs, max_steps, lr, seed) -> dict:
    """The same training in PyTorch CPU (float64, one thread)."""
    import torch

    from course_lib.data import iterations_per_epoch

    torch.set_num_threads(1)
    n, d = X.shape
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    model = torch.nn.Linear(d, 1, dtype=torch.float64)
    with torch.no_grad():  # start at zero like LogisticRegression.init_params
        model.weight.zero_()
        model.bias.zero_()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    gen = torch.Generator().manual_seed(seed)
    losses = []

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb).squeeze(1), yb)
        loss.backward()
        opt.step()
        losses.append(loss.item())

    per_epoch = iterations_per_epoch(n, batch_size)
    steps = min(per_epoch, max_steps)
    epochs = runs if steps < per_epoch else _epochs_for(batch_size, runs, n)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        if batch_size is None:
            step(Xt, yt)
            times.append(time.perf_counter() - start)
            continue
        order = torch.randperm(n, generator=gen)
        shuffle = time.perf_counter() - start
        start = time.perf_counter()
        for i in range(steps):
            idx = order[i * batch_size:(i + 1) * batch_size]
            step(Xt[idx], yt[idx])
        times.append(shuffle + (time.perf_counter() - start) * per_epoch / steps)
    return {"epoch": Stat.of(times), "steps_timed": steps, "extrapolated": steps < per_epoch,
            "step": Stat.of(times).scaled(1.0 / per_epoch), "final_loss": losses[-1],
            "torch": torch.__version__}


def measure(n=1_000_000, d=20, *, runs=5, sgd_steps=20_000, torch_steps=3_000, use_torch=True,
            plain=True, lr=1e-3, seed=0, batches=BATCHES, log=print) -> dict:
    """Run everything; return a JSON-able dict (Stats as dicts) and the verdicts.

    The samples are interleaved: for each batch size, each round times one read pass, one
    epoch of ``train``, (one of the generic loop,) and one PyTorch epoch, so that the ratios
    compare figures taken under the same load.
    """
    from course_lib.data import iterations_per_epoch, make_large

    log(f"training: making {n:,} x {d} records ...")
    data = make_large(n, d, rng=seed)
    X, y = data.X, data.y
    res = {"n": n, "d": d, "optimizer": "adam", "lr": lr, "runs": runs,
           "course": {}, "plain": {}, "torch": {}}
    use_torch = use_torch and torch_available()
    reads = []
    for bs in batches:
        key, per_epoch = label(bs), iterations_per_epoch(n, bs)
        got = {"read": [], "course": [], "plain": [], "torch": []}
        info = {}
        for r in range(_epochs_for(bs, runs, n)):
            got["read"].append(read_pass(X, y, 1, warmup=0).median)
            one = course(X, y, bs, runs=1, sgd_steps=sgd_steps, lr=lr, seed=seed + r)
            got["course"].append(one["epoch"].median)
            info["course"] = one
            if plain and bs in (None, 1024, 1):
                one = course(X, y, bs, runs=1, sgd_steps=sgd_steps // 4, lr=lr, seed=seed + r,
                             plain=True)
                got["plain"].append(one["epoch"].median)
                info["plain"] = one
            if use_torch:
                one = pytorch(X, y, bs, runs=1, max_steps=torch_steps, lr=lr, seed=seed + r)
                got["torch"].append(one["epoch"].median)
                info["torch"] = one
        reads += got["read"]
        for side in ("course", "plain", "torch"):
            if got[side]:
                epoch = Stat.of(got[side])
                res[side][key] = {**info[side], "epoch": epoch,
                                  "step": epoch.scaled(1.0 / per_epoch),
                                  "read_pass": Stat.of(got["read"])}
        log(f"  {key:11s} read pass {Stat.of(got['read'])}; course_lib train "
            f"{res['course'][key]['epoch']}"
            + (f"; generic loop {res['plain'][key]['epoch']}" if key in res["plain"] else "")
            + (f"; PyTorch {res['torch'][key]['epoch']}" if key in res["torch"] else ""))
    res["read_pass"] = Stat.of(reads)
    res["checks"] = checks(res)
    return res


def checks(res) -> dict:
    """Ratios and verdicts for the three targets (None where a figure is missing)."""
    course_ = res["course"]
    out = {}
    if "full batch" in course_:
        r = ratio(course_["full batch"]["epoch"], course_["full batch"]["read_pass"])
        out["full batch / read pass"] = {"value": r, "target": TARGETS["full_vs_read"],
                                         "ok": r <= TARGETS["full_vs_read"]}
    if "batch 1024" in course_:
        r = ratio(course_["batch 1024"]["epoch"], course_["batch 1024"]["read_pass"])
        out["batch 1024 / read pass"] = {"value": r, "target": TARGETS["b1024_vs_read"],
                                         "ok": r <= TARGETS["b1024_vs_read"]}
        if "batch 1024" in res["torch"]:
            r = ratio(course_["batch 1024"]["epoch"], res["torch"]["batch 1024"]["epoch"])
            out["batch 1024 / PyTorch"] = {"value": r, "target": TARGETS["b1024_vs_torch"],
                                           "ok": r <= TARGETS["b1024_vs_torch"]}
    if "batch 1" in course_:
        s = course_["batch 1"]["step"].median
        out["SGD step (s)"] = {"value": s, "target": TARGETS["sgd_step_s"],
                               "ok": s <= TARGETS["sgd_step_s"]}
    return out


def table(res) -> list[str]:
    """Markdown rows: one per batch size; ratios against figures of the same rounds."""
    has_torch, has_plain = bool(res["torch"]), bool(res["plain"])
    head = ["training, time per epoch", "course_lib `train`", "read pass (same rounds)",
            "÷ read pass"]
    if has_plain:
        head.append("generic loop (no fast path)")
    if has_torch:
        head += ["PyTorch", "course_lib ÷ PyTorch"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, c in res["course"].items():
        ours = str(c["epoch"]) + (f" ({fmt(c['step'].median)}/step)" if key == "batch 1" else "")
        if c["extrapolated"]:
            ours += f", from {c['steps_timed']:,} steps"
        r = ratio(c["epoch"], c["read_pass"])
        row = [key, ours, fmt(c["read_pass"].median), f"{r:.2f}" if r < 10 else f"{r:.1f}"]
        if has_plain:
            p = res["plain"].get(key)
            row.append(f"{fmt(p['epoch'].median)} ({ratio(p['epoch'], c['epoch']):.1f}× slower)"
                       if p else "")
        if has_torch:
            t = res["torch"].get(key)
            if t:
                txt = str(t["epoch"]) + (f" ({fmt(t['step'].median)}/step)" if key == "batch 1"
                                         else "")
                if t["extrapolated"]:
                    txt += f", from {t['steps_timed']:,} steps"
                row += [txt, f"{ratio(c['epoch'], t['epoch']):.2f}"]
            else:
                row += ["", ""]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def check_lines(res) -> list[str]:
    out = []
    for name, c in res["checks"].items():
        if name.endswith("(s)"):
            out.append(f"{name[:-4]}: {fmt(c['value'])} (target <= {fmt(c['target'])}): "
                       f"{verdict(c['ok'])}")
        else:
            out.append(f"{name}: {c['value']:.2f} (target <= {c['target']:g}): "
                       f"{verdict(c['ok'])}")
    return out


def breakdown(X, y, batch_size=1024, *, runs=5, lr=1e-3, seed=0) -> dict:
    """Where one mini-batch epoch of ``train``'s fast path goes: CPU seconds (this thread) per
    epoch of each part run on its own, interleaved round by round, beside one read pass.

    - ``gather``: the rows of every batch into the reused buffer (``np.take``), nothing else;
    - ``kernel``: forward, loss and backward (``model._batch_kernel``) on one batch already in
      the buffer (in the cache), at parameters giving logits of spread ~1, as many times as an
      epoch has batches;
    - ``update``: the optimizer's in-place step (Adam), as many times;
    - ``epoch``: one whole epoch of ``train`` (``TrainResult.epoch_times``, wall: for scale).

    The parts do not add up to the epoch exactly: run alone, each has the cache to itself.
    """
    from course_lib import training
    from course_lib.models import LogisticRegression, _blas_limit
    from course_lib.optimizers import _flat_stepper, get_optimizer

    n, d = X.shape
    model, opt = LogisticRegression(d), get_optimizer("adam")
    hp = opt.check_hparams(lr=lr)
    batches = n // batch_size
    X_b, grad, new = np.empty((batch_size, d)), np.empty(d + 1), np.empty(d + 1)
    kernel = model._batch_kernel(X_b, grad)
    got = {"read": [], "gather": [], "kernel": [], "update": [], "epoch": []}
    clock, x = time.thread_time, X.reshape(-1)
    for r in range(runs):
        order = np.random.default_rng(seed + r).permutation(n)[:batches * batch_size]
        with _blas_limit(X.size), np.errstate(over="ignore"):
            start = clock()
            x @ x, y @ y
            got["read"].append(clock() - start)
            start = clock()
            for first in range(0, order.shape[0], batch_size):
                np.take(X, order[first:first + batch_size], 0, X_b, "clip")
            got["gather"].append(clock() - start)
            # logits of spread ~1 (at theta = 0 every exp is exp(0) and every sign the same)
            theta = np.random.default_rng(seed).standard_normal(d + 1) / math.sqrt(d)
            y_b = y[order[-batch_size:]]
            start = clock()
            for _ in range(batches):
                kernel(theta, y_b)
            got["kernel"].append(clock() - start)
            update = _flat_stepper(opt, hp, d + 1)
            start = clock()
            for _ in range(batches):
                update(theta, grad, new)
            got["update"].append(clock() - start)
        res = training.train(model, X, y, "adam", batch_size=batch_size, epochs=1, lr=lr,
                             rng=seed + r, progress=False)
        got["epoch"].append(res.epoch_times[0])
    return {"batch_size": batch_size, **{k: Stat.of(v) for k, v in got.items()}}


def breakdown_lines(bd) -> list[str]:
    read = bd["read"].median
    return [f"batch {bd['batch_size']}, per epoch (CPU of the part alone; x read pass): "
            + "; ".join(f"{k} {bd[k]} ({bd[k].median / read:.1f}x)"
                        for k in ("read", "gather", "kernel", "update", "epoch"))]


def parse_batches(text) -> tuple:
    """``"full,1024,1"`` -> ``(None, 1024, 1)`` (for ``--batches``)."""
    out = []
    for part in text.split(","):
        part = part.strip()
        if part == "full":
            out.append(None)
        elif part.isdigit() and int(part) >= 1:
            out.append(int(part))
        else:
            raise argparse.ArgumentTypeError(
                f"--batches takes batch sizes >= 1 or 'full', comma-separated; got {part!r} "
                f"in {text!r}")
    return tuple(out)


def to_json(obj):
    """Stats -> dicts, recursively."""
    if isinstance(obj, Stat):
        return obj.to_dict()
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in obj]
    return obj


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--d", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sgd-steps", type=int, default=20_000)
    ap.add_argument("--torch-steps", type=int, default=3_000)
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--no-plain", action="store_true", help="skip the generic loop")
    ap.add_argument("--batches", type=parse_batches, default=BATCHES,
                    help="batch sizes to time, comma-separated, 'full' for the full batch "
                         "(default: full,8192,1024,256,32,1)")
    ap.add_argument("--breakdown", action="store_true",
                    help="only time the parts of a batch-1024 epoch (gather, forward/backward, "
                         "update) against a read pass")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args(argv)
    if args.breakdown:
        from course_lib.data import make_large

        data = make_large(args.n, args.d, rng=0)
        bd = breakdown(data.X, data.y, runs=args.runs)
        print("\n".join(breakdown_lines(bd)))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(to_json(bd), f, indent=1)
        return 0
    res = measure(args.n, args.d, runs=args.runs, sgd_steps=args.sgd_steps,
                  torch_steps=args.torch_steps, use_torch=not args.no_torch,
                  plain=not args.no_plain, batches=args.batches)
    print("\n".join(table(res)))
    print("\n".join(check_lines(res)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(to_json(res), f, indent=1)
    return 0 if all(c["ok"] for c in res["checks"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
