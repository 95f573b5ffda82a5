"""Every public callable of course_lib answers bad input clearly (issue 16, the property suite).

The targets come from each public module's ``__all__`` (the submodules that
``course_lib/__init__.py`` lists in ``_SUBMODULES``, plus ``course_lib.teaching.*`` if present),
so a function added tomorrow fails :func:`test_every_public_callable_has_a_good_call` until it
gets a row in :data:`GOOD_CALLS` (or a reason in :data:`EXEMPT`). Optimizer rules
(``OPTIMIZERS[name].init / update / effective_lr``) and the models' methods are targets too.

For each target and each of its arguments, ONE argument at a time takes a bad value (a fixed
catalogue built from the good value: wrong types, NumPy scalars of every dtype, 0-d and empty
arrays, wrong shapes, huge, tiny, NaN, inf, negative, wrong dict keys; then values drawn by
hypothesis), the others keep their good value. The property, per call:

- it returns (and the result holds no NaN that the input did not hold), or
- it raises ``TypeError`` / ``ValueError`` (or a subclass) whose message names the argument;
- never another exception, never NumPy's "truth value ... is ambiguous", never a raw warning
  from NumPy/matplotlib (overflow, ComplexWarning, ...), never more than ``TIME_LIMIT`` seconds;
- a complex, string, bytes, datetime or boolean value where a real number (or an array of
  them) belongs is refused, not taken as a number.

Today's failures are listed in :data:`KNOWN_FAILURES`; their tests xfail strictly, so a fix
makes the test fail until its entry is removed.

Profiles: ``COURSE_FUZZ=ci`` (default: every catalogue value plus a few drawn values, derandomized)
or ``COURSE_FUZZ=long`` (many more drawn values) for ``make fuzz``. ``COURSE_FUZZ_REPORT=path``
appends one JSON line per (target, argument) with its counts: cases tried, clean errors, results.
"""
from __future__ import annotations

import contextlib
import importlib
import inspect
import json
import math
import os
import pkgutil
import re
import signal
import time
import warnings

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

import course_lib  # noqa: E402

try:
    from numpy.exceptions import ComplexWarning  # NumPy >= 1.25
except ImportError:  # pragma: no cover
    from numpy import ComplexWarning

PROFILE = os.environ.get("COURSE_FUZZ", "ci")
settings.register_profile("course-ci", max_examples=6, derandomize=True, database=None,
                          deadline=None, phases=[Phase.explicit, Phase.generate],
                          suppress_health_check=list(HealthCheck))
settings.register_profile("course-long", max_examples=150, derandomize=True, database=None,
                          deadline=None, phases=[Phase.explicit, Phase.generate],
                          suppress_health_check=list(HealthCheck))
FUZZ_SETTINGS = settings.get_profile(f"course-{PROFILE}")
TIME_LIMIT = 2.0 if PROFILE == "ci" else 10.0   # seconds per call: more is a hang
HUNG_LIMIT = 0.2 if PROFILE == "ci" else TIME_LIMIT  # after a first hang of the same argument

# ============================================================================================
# The targets: every public callable, from the modules' __all__.
#: The layer packages below course_lib whose modules are fuzzed too.
LAYERS = ("teaching", "core", "loops")


def public_modules():
    names = sorted(course_lib._SUBMODULES)
    mods = [importlib.import_module(f"course_lib.{n}") for n in names]
    home = os.path.dirname(os.path.abspath(course_lib.__file__))
    for layer in LAYERS:  # the layer packages and their public modules
        try:
            pkg = importlib.import_module(f"course_lib.{layer}")
        except ImportError:
            continue
        if not os.path.abspath(pkg.__file__).startswith(home):
            continue  # another checkout's package, reached through an editable install
        mods.append(pkg)
        for info in pkgutil.iter_modules(getattr(pkg, "__path__", [])):
            if not info.name.startswith("_"):
                mods.append(importlib.import_module(f"course_lib.{layer}.{info.name}"))
    return mods

def short(mod):
    return mod.__name__.removeprefix("course_lib.")

def public_callables():
    """``{"module.name": object}`` for every callable in a public module's ``__all__``."""
    out = {}
    for mod in public_modules():
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name)
            if callable(obj):
                out[f"{short(mod)}.{name}"] = obj
    return out

# Public callables that are not fuzzed directly, each with its reason.
EXEMPT = {
    # plain records: NamedTuples the library builds and later checks where it consumes them
    # (an optimizer's update checks its state, plots check results)
    **{f"optimizers.{n}": "plain NamedTuple state record; update() checks it (fuzzed there)"
       for n in ("GDState", "MomentumState", "AdagradState", "RMSpropState", "AdadeltaState",
                 "AdamState", "AMSGradState", "AdafactorState", "MuonState")},
    "optimizers.HParam": "plain NamedTuple spec of the library's own registry; not learner input",
    "optimizers.Optimizer": "registry entry built by the library; its init/update/effective_lr "
                            "are fuzzed through OPTIMIZERS",
    "paths.PathResult": "plain NamedTuple result of run_path; consumers (plots) are fuzzed",
    "training.TrainResult": "plain NamedTuple result of train; consumers (plots) are fuzzed",
    "data.Dataset": "plain NamedTuple (X, y, ...); consumers (train, models, plots) are fuzzed",
    "plots.PathAnimation": "result record of animate_paths (fuzzed there)",
    "quiz.Grade": "plain NamedTuple result of grade()",
    "timing.Timing": "plain NamedTuple result of time_per_call / time_together",
    "exercises.CheckResult": "result record of check() (fuzzed there)",
    "claims.ClaimError": "exception class",
    "models.Model": "abstract base class; its subclasses and their methods are fuzzed",
    "widgets.Explorer": "base class of the explorers; the explorer functions are fuzzed",
    "quiz.Quiz": "documented as built by quiz(), which is fuzzed",
    "quiz.Flashcards": "documented as built by flashcards(), which is fuzzed",
    # the teaching layer: records and the objects its functions build
    "quiz.Review": "documented as built by review(), which is fuzzed",
    "loops.distributed.DataParallelResult": "plain result record of data_parallel_run",
    "loops.distributed.torch_status": "takes no argument; imports torch (seconds): tested in "
                                      "tests/test_distributed.py with and without torch",
    "loops.distributed.data_parallel_run": "starts worker processes (seconds per call, torch "
                                           "needed); its argument checks, which run before "
                                           "torch is touched, are tested case by case in "
                                           "tests/test_distributed.py",
    "core.schedules.Schedule": "built by make_schedule (fuzzed there); a learner never calls "
                               "the class",
    "teaching.srs.Review": "documented as built by review(), which is fuzzed",
    "teaching.srs.Card": "plain NamedTuple; schedule/is_due/due_cards check it (fuzzed there)",
    **{f"teaching.exercises.{n}": "frozen record of the exercise bank, built by the library "
                                  "from its own data; check() (fuzzed) is the learner's entry"
       for n in ("Case", "Mistake", "Exercise")},
    "teaching.mock_interview.MockInterview": "documented as built by mock_interview() (fuzzed)",
    "teaching.mock_interview.MockResult": "result record of a finished MockInterview",
    "teaching.mock_interview.QuestionResult": "plain NamedTuple inside MockResult",
    "teaching.mock_interview.Revisit": "plain NamedTuple inside MockResult",
    "teaching.progress.Attempt": "plain NamedTuple read back from the progress file",
    "teaching.progress.CheckRecord": "plain NamedTuple read back from the progress file",
    "teaching.progress.Mastery": "plain NamedTuple result of mastery()",
    "teaching.progress.Dashboard": "documented as built by progress(), which is fuzzed",
    "teaching.progress.ProgressWarning": "warning class",
    "teaching.progress.ProgressStore": "opens (creates) a SQLite file at whatever path it is "
                                       "given, and every string is a path: fuzzing it would "
                                       "litter the working folder; store() and progress_path() "
                                       "are fuzzed",
}

# --------------------------------------------------------------------------------------------
# The good calls: one known-good call per target, from the docstrings and the tests.
# Each row: key -> (make_function, make_kwargs). Both are called afresh for every case, so a
# call that mutates its inputs cannot spoil the next one.
_AX = {}

def shared_ax():
    """One Agg axes reused by every plotting call (cleared after each): cheaper than a figure."""
    if "ax" not in _AX or not plt.fignum_exists(_AX["ax"].figure.number):
        fig = plt.figure(figsize=(3, 2), dpi=40)
        _AX["ax"] = fig.add_subplot()
    _AX["used"] = True
    return _AX["ax"]

def _lib(module, name):
    return lambda: getattr(importlib.import_module(f"course_lib.{module}"), name)

def _reg_data(n=12, d=2):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d))
    return X, X @ np.arange(1.0, d + 1) + 0.5

def _cls_data(n=12, d=2):
    X, _ = _reg_data(n, d)
    return X, (X[:, 0] > 0).astype(float)

def _params(d=2):
    return {"W": np.array([0.5, -0.25])[:d], "b": 0.1}

def _grads(d=2):
    return {"dW": np.array([0.2, -0.1])[:d], "db": 0.05}

def _path(k=6):
    t = np.linspace(0.0, 1.0, k)
    return np.column_stack([-1.0 + t, 1.0 - t])

def _result():
    from course_lib.paths import run_path
    return run_path("bowl", "adam", steps=5, record_lr=True)

def _exercise_fn():
    from course_lib.exercises import reference
    return reference("ewa_step")

def _question():
    from course_lib.quiz import questions
    return questions("adam")[0]

def _bank():
    import copy

    from course_lib.quiz import load_questions
    return copy.deepcopy(load_questions()[:3])

def _model(cls_name, *args, **kw):
    from course_lib import models
    return getattr(models, cls_name)(*args, **kw)

def _good_response():
    q = _question()
    return q["answer"] if q["kind"] == "choice" else "x"

def _question_of(kind, chapter="adam"):
    from course_lib.quiz import questions
    return next(q for q in questions(chapter) if q["kind"] == kind)

def _card(box=2):
    from course_lib.teaching.srs import Card
    return Card("adam-bias", box, "2024-05-01", None)

_DAY = "2024-05-03"

GOOD_CALLS = {
    # moving_averages
    "moving_averages.ewa_step": (_lib("moving_averages", "ewa_step"),
                                 lambda: dict(v=1.0, a=3.0, beta=0.9)),
    "moving_averages.bias_correct": (_lib("moving_averages", "bias_correct"),
                                     lambda: dict(v=0.3, beta=0.9, t=3)),
    "moving_averages.ewa_series": (_lib("moving_averages", "ewa_series"),
                                   lambda: dict(a=np.array([1.0, 2.0, 4.0, 3.0]), beta=0.9,
                                                bias_correction=True)),
    "moving_averages.ewa_window": (_lib("moving_averages", "ewa_window"),
                                   lambda: dict(beta=0.9)),
    # optimizers
    "optimizers.get_optimizer": (_lib("optimizers", "get_optimizer"),
                                 lambda: dict(name="adam")),
    "optimizers.effective_lr": (_lib("optimizers", "effective_lr"),
                                lambda: dict(name="rmsprop", state=_state("rmsprop"), lr=0.01)),
    "optimizers.grad_key": (_lib("optimizers", "grad_key"), lambda: dict(param_key="W")),
    "optimizers.newton_schulz": (_lib("optimizers", "newton_schulz"),
                                 lambda: dict(G=np.array([[3.0, 1.0], [0.5, 2.0]]), eps=1e-7,
                                              steps=5, coefficients=(3.4445, -4.7750, 2.0315))),
    # problems
    "data.breast_cancer_table": (_lib("data", "breast_cancer_table"), dict),
    "problems.beale": (_lib("problems", "beale"), dict),
    "problems.himmelblau": (_lib("problems", "himmelblau"), dict),
    "problems.saddle": (_lib("problems", "saddle"), dict),
    "problems.get_problem": (_lib("problems", "get_problem"),
                             lambda: dict(name="bowl", condition=5.0)),
    "problems.noisy": (_lib("problems", "noisy"),
                       lambda: dict(problem="bowl", sigma=0.1, rng=0)),
    "problems.quadratic_bowl": (_lib("problems", "quadratic_bowl"),
                                lambda: dict(condition=10.0, angle=0.3, scale=2.0)),
    "problems.rosenbrock": (_lib("problems", "rosenbrock"), lambda: dict(a=1.0, b=100.0)),
    # paths
    "paths.run_path": (_lib("paths", "run_path"),
                       lambda: dict(problem="bowl", optimizer="adam", steps=8,
                                    start=(-1.0, 1.5), record_lr=True, update=None, lr=0.1)),
    # data
    "data.make_regression": (_lib("data", "make_regression"),
                             lambda: dict(n=20, d=2, noise=0.5, rng=0)),
    "data.make_classification": (_lib("data", "make_classification"),
                                 lambda: dict(n=20, d=2, separation=2.0, rng=0)),
    "data.make_moons": (_lib("data", "make_moons"), lambda: dict(n=20, noise=0.1, rng=0)),
    "data.make_large": (_lib("data", "make_large"),
                        lambda: dict(n=50, d=3, rng=0, task="regression")),
    "data.iterations_per_epoch": (_lib("data", "iterations_per_epoch"),
                                  lambda: dict(n=100, batch_size=32)),
    "data.minibatches": (_lib("data", "minibatches"),
                         lambda: dict(**dict(zip("Xy", _reg_data(), strict=True)),
                                      batch_size=5, rng=0, shuffle=True)),
    # models (classes; their methods below)
    "models.LinearRegression": (_lib("models", "LinearRegression"), lambda: dict(n_features=2)),
    "models.LogisticRegression": (_lib("models", "LogisticRegression"),
                                  lambda: dict(n_features=2)),
    "models.TwoLayerNet": (_lib("models", "TwoLayerNet"),
                           lambda: dict(n_features=2, n_hidden=3, activation="relu",
                                        task="regression")),
    "models.sigmoid": (_lib("models", "sigmoid"), lambda: dict(z=np.array([-2.0, 0.0, 3.0]))),
    # training
    "training.train": (_lib("training", "train"),
                       lambda: dict(model=_model("LinearRegression", 2),
                                    **dict(zip("Xy", _reg_data(), strict=True)),
                                    optimizer="adam", batch_size=4, epochs=2, rng=0,
                                    params=None, record_path=True, record_lr=True,
                                    progress=False, lr=0.05)),
    # plots
    "plots.plot_contour": (_lib("plots", "plot_contour"),
                           lambda: dict(problem="rosenbrock", ax=shared_ax(), levels=5,
                                        resolution=12, filled=True, cmap="viridis", alpha=0.8,
                                        show_minima=True)),
    "plots.plot_paths": (_lib("plots", "plot_paths"),
                         lambda: dict(problem="bowl", paths={"a": _path(), "b": _path(4)},
                                      ax=shared_ax(), contour=False, colors=["red", "blue"],
                                      legend=True, styles=None)),
    "plots.plot_loss_curves": (_lib("plots", "plot_loss_curves"),
                               lambda: dict(curves={"a": np.array([3.0, 1.0, 0.1]),
                                                    "b": np.array([2.0, 0.5, 0.01])},
                                            by="iteration", ax=shared_ax(), log=True,
                                            f_min=0.0, colors=["red", "blue"])),
    "plots.plot_effective_lr": (_lib("plots", "plot_effective_lr"),
                                lambda: dict(histories={"a": np.array([[0.1, 0.2], [0.05, 0.1],
                                                                       [0.02, 0.08]])},
                                             ax=shared_ax(), log=True, max_components=4,
                                             colors=["red"])),
    "plots.plot_ewa": (_lib("plots", "plot_ewa"),
                       lambda: dict(a=np.array([1.0, 3.0, 2.0, 5.0, 4.0]), betas=(0.5, 0.9),
                                    bias_correction="both", ax=shared_ax(),
                                    t=np.arange(5.0), colors=["red", "blue"])),
    "plots.plot_batch_paths": (_lib("plots", "plot_batch_paths"),
                               lambda: dict(surface="bowl", paths={"GD": _path(), "SGD": _path(3)},
                                            ax=shared_ax(), contour=False,
                                            colors=["red", "blue"])),
    "plots.regression_surface": (_lib("plots", "regression_surface"),
                                 lambda: dict(X=_reg_data(d=1)[0], y=_reg_data(d=1)[1],
                                              start=(0.0, 0.0), half=True)),
    "plots.animate_paths": (_lib("plots", "animate_paths"),
                            lambda: dict(problem="bowl", paths={"a": _path()}, max_frames=2,
                                         interval=100, figsize=(2.0, 1.5), dpi=20)),
    "plots.clip_path": (_lib("plots", "clip_path"),
                        lambda: dict(path=[[0.0, 0.0], [0.5, 0.0], [2.0, 0.0]],
                                     bounds=((-1.0, 1.0), (-1.0, 1.0)))),
    "plots.loss_gap": (_lib("plots", "loss_gap"),
                       lambda: dict(losses=np.array([3.0, 2.0, 1.5]), f_min=1.0)),
    "plots.contour_levels": (_lib("plots", "contour_levels"),
                             lambda: dict(problem=_problem("rosenbrock"),
                                          Z=np.array([[0.5, 1.0], [10.0, 100.0]]), n=5)),
    "plots.log_scale": (_lib("plots", "log_scale"),
                        lambda: dict(ax=shared_ax(), axis="y", minor=True)),
    # widgets (headless: Agg; their figures are closed after each call)
    "widgets.playground": (_lib("widgets", "playground"),
                           lambda: dict(problem="bowl", optimizers=("gd", "adam"), steps=10,
                                        start=(-1.0, 1.5), hparams={"adam": {"lr": 0.05}},
                                        extra={"my gd": ("gd", _gd_rule)},
                                        continuous_update=False)),
    "widgets.ewa_explorer": (_lib("widgets", "ewa_explorer"),
                             lambda: dict(n=20, rng=0, beta=0.9, noise=2.0)),
    "widgets.batch_size_explorer": (_lib("widgets", "batch_size_explorer"),
                                    lambda: dict(n=40, batch_size=10, lr=0.05, epochs=2,
                                                 noise=0.5, seed=0)),
    "widgets.lr_explorer": (_lib("widgets", "lr_explorer"),
                            lambda: dict(lr=0.05, steps=10, condition=10.0)),
    "widgets.hparam_slider": (_lib("widgets", "hparam_slider"),
                              lambda: dict(spec=_hparam("adam", "lr"), value=0.05,
                                           description="η", continuous_update=False)),
    "widgets.lr_regime": (_lib("widgets", "lr_regime"),
                          lambda: dict(lr=0.05, lambda_max=10.0, lambda_min=1.0, steps=30)),
    # exercises
    "exercises.check": (_lib("exercises", "check"),
                        lambda: dict(name="ewa_step", fn=_exercise_fn())),
    "exercises.hint": (_lib("exercises", "hint"), lambda: dict(name="ewa_step", level=1)),
    "exercises.solution": (_lib("exercises", "solution"), lambda: dict(name="ewa_step")),
    "exercises.reference": (_lib("exercises", "reference"), lambda: dict(name="ewa_step")),
    "exercises.list_exercises": (_lib("exercises", "list_exercises"),
                                 lambda: dict(chapter=4)),
    "exercises.reset_hints": (_lib("exercises", "reset_hints"), lambda: dict(name="ewa_step")),
    # quiz
    "quiz.chapter_id": (_lib("quiz", "chapter_id"), lambda: dict(chapter="adam")),
    "quiz.notebook_of": (_lib("quiz", "notebook_of"), lambda: dict(chapter="adam")),
    "quiz.validate_bank": (_lib("quiz", "validate_bank"), lambda: dict(data=_bank())),
    "quiz.load_questions": (_lib("quiz", "load_questions"), dict),
    "quiz.questions": (_lib("quiz", "questions"), lambda: dict(chapter="adam", topic="adam")),
    "quiz.get_question": (_lib("quiz", "get_question"),
                          lambda: dict(qid=_question()["id"])),
    "quiz.grade": (_lib("quiz", "grade"),
                   lambda: dict(question=_question(), response=_good_response(), covered=None)),
    "quiz.quiz": (_lib("quiz", "quiz"),
                  lambda: dict(chapter="adam", topic="adam", n=2, rng=0, shuffle=True)),
    "quiz.flashcards": (_lib("quiz", "flashcards"),
                        lambda: dict(chapter="adam", topic="adam", rng=0, shuffle=True)),
    "quiz.formula_sheet": (_lib("quiz", "formula_sheet"), dict),
    # claims
    "claims.claim": (_lib("claims", "claim"),
                     lambda: dict(value=0.5, says="about a half", approx=0.5, rel=0.1,
                                  abs_tol=None, lt=1.0, le=None, gt=0.0, ge=None)),
    # timing
    "timing.time_together": (_lib("timing", "time_together"),
                             lambda: dict(fns={"a": _noop, "b": _noop}, repeat=1,
                                          min_round=0.0)),
    "timing.time_per_call": (_lib("timing", "time_per_call"),
                             lambda: dict(fn=_noop, repeat=1, min_round=0.0)),
    # quiz: the newer functions and arguments
    "quiz.topic_of": (_lib("quiz", "topic_of"), lambda: dict(question=_question())),
    "quiz.evaluate": (_lib("quiz", "evaluate"), lambda: dict(expression="0.1 * (1 - 0.9) ** 2")),
    "quiz.suggest": (_lib("quiz", "suggest"),
                     lambda: dict(question=_question_of("explain"),
                                  text="the average starts at zero so it is biased low")),
    "quiz.shuffle_choices": (_lib("quiz", "shuffle_choices"),
                             lambda: dict(question=_question_of("choice"), rng=0)),
    "quiz.grade[explain]": (_lib("quiz", "grade"),
                            lambda: dict(question=_question_of("explain"), response="x",
                                         covered=[0])),
    "quiz.review": (_lib("quiz", "review"),
                    lambda: dict(chapter="adam", topic="adam", rng=0, today=_DAY, new=3,
                                 questions=None, store=None)),
    "quiz.progress": (_lib("quiz", "progress"), lambda: dict(today=_DAY, last=10)),
    "quiz.mastery": (_lib("quiz", "mastery"), lambda: dict(last=10, source="quiz")),
    "quiz.record_attempt": (_lib("quiz", "record_attempt"),
                            lambda: dict(question=_question(), right=True, topic="adam",
                                         source="quiz", when=None)),
    "quiz.mock_interview": (_lib("quiz", "mock_interview"),
                            lambda: dict(n=3, minutes=5.0, rng=0, chapters=None, topics=None,
                                         today=_DAY, clock=time.monotonic)),
    # course_lib.teaching (quiz re-exports review, progress, mastery, record_attempt and
    # mock_interview: those rows are above)
    # course_lib.core (the math layer)
    "core.clipping.clip_by_global_norm": (
        _lib("core.clipping", "clip_by_global_norm"),
        lambda: dict(grads={"dW": np.array([3.0, 4.0]), "db": np.array([12.0])}, max_norm=1.0)),
    "core.clipping.clip_by_value": (
        _lib("core.clipping", "clip_by_value"),
        lambda: dict(grads={"dW": np.array([3.0, -4.0])}, clip_value=1.0)),
    "core.clipping.global_norm": (_lib("core.clipping", "global_norm"),
                                  lambda: dict(grads={"dW": np.array([3.0, 4.0])})),
    "core.memory.state_bytes": (_lib("core.memory", "state_bytes"),
                                lambda: dict(optimizer="adam",
                                             params={"W": np.zeros((3, 2)), "b": np.zeros(2)})),
    "core.memory.bytes_per_param": (_lib("core.memory", "bytes_per_param"),
                                    lambda: dict(optimizer="adafactor", precision="mixed",
                                                 shape=(64, 32))),
    "core.memory.memory_budget": (_lib("core.memory", "memory_budget"),
                                  lambda: dict(n_params=7_000_000_000, optimizer="adam",
                                               precision="mixed", shape=None)),
    "core.noise_scale.gradient_noise_scale": (
        _lib("core.noise_scale", "gradient_noise_scale"),
        lambda: dict(per_example_grads=np.array([[1.0, 2.0], [1.5, 1.0], [0.5, 3.0]]))),
    "core.noise_scale.per_example_grads": (
        _lib("core.noise_scale", "per_example_grads"),
        lambda: dict(model=__import__("course_lib.models", fromlist=["x"]).LinearRegression(2),
                     params={"W": np.array([0.5, -1.0]), "b": np.array([0.1])},
                     X=np.array([[1.0, 2.0], [0.0, 1.0], [2.0, -1.0]]),
                     y=np.array([1.0, 0.0, 2.0]))),
    "core.schedules.make_schedule": (_lib("core.schedules", "make_schedule"),
                                     lambda: dict(name="warmup_cosine", warmup=5, total=50,
                                                  min_factor=0.1)),
    # course_lib.loops (data_parallel_run is exempt: it starts worker processes)
    "loops.distributed.global_batches": (_lib("loops.distributed", "global_batches"),
                                         lambda: dict(n=10, batch_size=4, epochs=2, rng=0,
                                                      model=None)),
    "loops.distributed.shard_sizes": (_lib("loops.distributed", "shard_sizes"),
                                      lambda: dict(m=7, world_size=3)),
    "loops.distributed.free_port": (_lib("loops.distributed", "free_port"),
                                    lambda: dict(host="127.0.0.1")),
    "teaching.srs.new_card": (_lib("teaching.srs", "new_card"),
                              lambda: dict(card_id="adam-bias", today=_DAY)),
    "teaching.srs.schedule": (_lib("teaching.srs", "schedule"),
                              lambda: dict(card=_card(), right=True, today=_DAY)),
    "teaching.srs.is_due": (_lib("teaching.srs", "is_due"),
                            lambda: dict(card=_card(), today=_DAY)),
    "teaching.srs.due_cards": (_lib("teaching.srs", "due_cards"),
                               lambda: dict(cards=[_card(), _card(1)._replace(id="adam-s1")],
                                            today=_DAY)),
    "teaching.srs.review": (_lib("teaching.srs", "review"),
                            lambda: dict(chapter=None, topic="adam", rng=0, today=_DAY, new=2,
                                         questions=[_question_of("explain"),
                                                    _question_of("choice")],
                                         store=None)),
    "teaching.progress.progress_path": (_lib("teaching.progress", "progress_path"),
                                        lambda: dict(cwd=".")),
    "teaching.progress.store": (_lib("teaching.progress", "store"), dict),
    "teaching.progress.record_attempt": (_lib("teaching.progress", "record_attempt"),
                                         lambda: dict(question="adam-bias", right=False,
                                                      topic=None, source="review",
                                                      when=None)),
    "teaching.progress.record_check": (_lib("teaching.progress", "record_check"),
                                       lambda: dict(name="ewa_step", passed=True, when=None)),
    "teaching.progress.mastery": (_lib("teaching.progress", "mastery"),
                                  lambda: dict(last=5, source=None)),
    "teaching.progress.progress": (_lib("teaching.progress", "progress"),
                                   lambda: dict(today=None, last=3)),
    "teaching.mock_interview.mock_interview": (
        _lib("teaching.mock_interview", "mock_interview"),
        lambda: dict(n=4, minutes=10, rng=1, chapters=["adam"], topics=None, today=None,
                     clock=time.monotonic)),
    "teaching.mock_interview.draw_questions": (
        _lib("teaching.mock_interview", "draw_questions"),
        lambda: dict(n=3, rng=0, chapters=["adam", 8], topics=None)),
    "teaching.mock_interview.section_link": (
        _lib("teaching.mock_interview", "section_link"),
        lambda: dict(experiment=_question_of("explain")["experiment"])),
}

def _noop():
    return None

def _problem(name):
    from course_lib.problems import get_problem
    return get_problem(name)

def _hparam(opt, name):
    from course_lib.optimizers import OPTIMIZERS
    return OPTIMIZERS[opt].hparams[name]

def _gd_rule(params, grads, state, *, lr):
    from course_lib.optimizers import OPTIMIZERS
    return OPTIMIZERS["gd"].update(params, grads, state, lr=lr)

def _state(opt, steps=2):
    """The state of ``opt`` after ``steps`` updates on :func:`_params` / :func:`_grads`."""
    from course_lib.optimizers import OPTIMIZERS
    o = OPTIMIZERS[opt]
    params, state = _params(), o.init(_params())
    for _ in range(steps):
        params, state = o.update(params, _grads(), state)
    return state

def _optimizer_targets():
    from course_lib.optimizers import OPTIMIZERS
    rows = {}
    for name, o in OPTIMIZERS.items():
        hp = {k: h.default for k, h in o.hparams.items()}
        rows[f"optimizers.OPTIMIZERS[{name}].init"] = (
            (lambda o=o: o.init), lambda: dict(params=_params()))
        rows[f"optimizers.OPTIMIZERS[{name}].update"] = (
            (lambda o=o: o.update),
            lambda name=name, hp=hp: dict(params=_params(), grads=_grads(),
                                          state=_state(name), **hp))
        try:
            o.effective_lr(_state(name), **hp)
        except ValueError:  # gd, momentum, nesterov: a constant rate, refused by design
            continue
        rows[f"optimizers.OPTIMIZERS[{name}].effective_lr"] = (
            (lambda o=o: o.effective_lr),
            lambda name=name, hp=hp: dict(state=_state(name), **hp))
    return rows

def _model_targets():
    rows = {}
    specs = {"LinearRegression": (("LinearRegression", 2), {}, _reg_data),
             "LogisticRegression": (("LogisticRegression", 2), {}, _cls_data),
             "TwoLayerNet": (("TwoLayerNet", 2), {"n_hidden": 3}, _cls_data)}
    for cls, (args, kw, data) in specs.items():
        def model(args=args, kw=kw):
            return _model(*args, **kw)

        def params(model=model):
            return model().init_params(0)

        def method(name, model=model):
            return lambda: getattr(model(), name)

        def xy(data=data, params=params):
            X, y = data()
            return dict(params=params(), X=X, y=y)

        rows[f"models.{cls}.init_params"] = (method("init_params"), lambda: dict(rng=0))
        for name in ("loss", "loss_and_grads") + (("accuracy",) if "Lin" not in cls else ()):
            rows[f"models.{cls}.{name}"] = (method(name), xy)
        for name in ("predict", "forward") + (("predict_proba",) if "Lin" not in cls else ()):
            rows[f"models.{cls}.{name}"] = (
                method(name), lambda xy=xy: {k: v for k, v in xy().items() if k != "y"})

        def backward(model=model, data=data, params=params):
            m, p = model(), params()
            X, y = data()
            return dict(params=p, cache=m.forward(p, X)[1], y=y)

        rows[f"models.{cls}.backward"] = (method("backward"), backward)
    return rows

def _problem_targets():
    import dataclasses

    def fields():
        p = _problem("rosenbrock")
        return {f.name: getattr(p, f.name) for f in dataclasses.fields(p)}

    def method(name):
        return lambda: getattr(_problem("rosenbrock"), name)

    return {
        "problems.Problem": (_lib("problems", "Problem"), fields),
        "problems.Problem.value": (method("value"), lambda: dict(w=np.array([0.5, -0.5]))),
        "problems.Problem.grad": (method("grad"), lambda: dict(w=np.array([0.5, -0.5]))),
        "problems.Problem.value_grid": (method("value_grid"),
                                        lambda: dict(X=np.zeros((2, 3)), Y=np.ones((2, 3)))),
        "problems.Problem.params": (method("params"), lambda: dict(w=np.array([0.5, -0.5]))),
        "problems.Problem.loss_and_grads": (method("loss_and_grads"),
                                            lambda: dict(params={"W": np.array([0.5, -0.5])})),
    }


GOOD_CALLS.update(_problem_targets())
GOOD_CALLS.update(_optimizer_targets())
GOOD_CALLS.update(_model_targets())

# ============================================================================================
# Known failures: (target, argument) -> the failure kinds measured ("ci" profile). Empty: every
# target answers every bad value clearly. A new failure found later goes here with its kinds
#   ("unnamed message": a TypeError/ValueError whose text does not name the argument;
#   "raw warning": a NumPy/matplotlib warning instead of an answer; "accepted": a complex,
#   bool, string, datetime or NaN value taken as a number; "NaN result": NaN out of non-NaN
#   input) until the library is fixed; its test xfails strictly, so a fix makes it fail until
#   the entry is removed.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}

# Arguments where taking a value the generic rules call suspicious is the documented behaviour.
ACCEPTS = {
    ("claims.claim", "value"): "any value: a value that contradicts the sentence raises ClaimError",
}
# Where the message may name the argument by another (domain) name, with the reason.
ALIASES = {
    ("optimizers.get_optimizer", "name"): ("optimizer",),   # "optimizer must be one of ..."
    ("optimizers.effective_lr", "name"): ("optimizer",),
    ("problems.get_problem", "name"): ("problem",),        # "problem must be one of ..."
    ("plots.plot_batch_paths", "surface"): ("problem",),   # a name is looked up as a problem
    ("widgets.hparam_slider", "value"): ("lr",),           # the spec's name: "lr must be ..."
}
# Arguments whose allowed values legitimately take longer than TIME_LIMIT.
SLOW_OK = {
    ("timing.time_per_call", "min_round"): "min_round up to 60 s per round is allowed",
    ("timing.time_together", "min_round"): "min_round up to 60 s per round is allowed",
}
# Besides TypeError/ValueError, these targets may raise these (documented) exception types.
EXTRA_RAISES = {"claims.claim": ("ClaimError",)}

# ============================================================================================
# The bad values.
class _Weird:
    """An object of no known kind."""

    def __repr__(self):
        return "<Weird>"

NUMPY_SCALARS = [
    np.bool_(True), np.int8(-3), np.int16(7), np.int32(5), np.int64(-2), np.uint8(200),
    np.uint16(9), np.uint32(3), np.uint64(2 ** 63), np.float16(0.5), np.float32(1e-30),
    np.float64(2.5), np.longdouble(3.5), np.complex64(1 + 1j), np.complex128(2 - 3j),
    np.datetime64("2020-01-01"), np.timedelta64(5, "s"), np.str_("3"), np.bytes_(b"3"),
    np.array(None, dtype=object)[()],
]

GENERIC_BAD = [
    "x", "", "nan", [], (), {}, [[]], {"zz": 1}, None, True, False, _Weird(), print,
    float("nan"), float("inf"), -float("inf"), 10 ** 400, -(10 ** 400), 2 ** 63, 1e308,
    -1e308, 5e-324, -1, 0, 0.0, -0.5, 1.5,
    np.array(1.0), np.array([]), np.zeros((0, 2)), np.array([1.0, np.nan]),
    np.array([[1.0, 2.0], [3.0, 4.0]]), np.array(["a", "b"]), np.array([1 + 2j, 3j]),
    np.array([None, 1.0], dtype=object), np.array(["2020-01-01"], dtype="datetime64[D]"),
    *NUMPY_SCALARS,
]

def _is_real_number(x):
    return (isinstance(x, (int, float, np.integer, np.floating))
            and not isinstance(x, (bool, np.bool_)))

def derived_bad(good):
    """Bad values shaped after the good one: its own type, wrong in one way."""
    out = []
    if _is_real_number(good):
        g = float(good)
        out += [-g if g else -1.0, -abs(g) - 1, g * 1e300 if g else 1e300, g * 1e-300,
                np.float64(g) + np.nan, np.complex128(g + 1j), np.complex128(g),
                np.array(g), np.array([g]), str(g), np.bool_(True), np.float32(g),
                np.array([g, g]).astype(bool)[0]]
        if isinstance(good, (int, np.integer)):
            out += [g + 0.5, 10 ** 18, -(10 ** 18), np.int64(good), np.uint64(good)]
    elif isinstance(good, np.ndarray) and good.size:
        a = good
        out += [a.T if a.ndim > 1 else a[None, :], a[..., None], a.ravel()[:1].reshape(()),
                a[:0], a[..., :1] if a.ndim else a, a.astype(np.complex128) + 1j,
                a.astype(bool), a.astype(str), a.astype(object),
                np.zeros(a.shape, dtype="datetime64[s]"), _huge(a), -_huge(a),
                np.where(np.arange(a.size).reshape(a.shape) == 0, np.nan, a),
                np.where(np.arange(a.size).reshape(a.shape) == 0, np.inf, a),
                a.tolist(), np.concatenate([a, a]) if a.ndim else a, a.astype(np.float32),
                np.stack([a, a])]
    elif isinstance(good, dict) and good:
        first = next(iter(good))
        out += [{**good, "zz": next(iter(good.values()))},
                {k: v for k, v in good.items() if k != first},
                {(first.upper() if isinstance(first, str) else "zz"): good[first],
                 **{k: v for k, v in good.items() if k != first}},
                list(good.values()), tuple(good.items())]
        for k, v in good.items():
            for bad in _value_swaps(v):
                out.append({**good, k: bad})
    elif isinstance(good, str) and good:
        out += [good.upper(), good[:-1], good + " ", np.str_(good), [good], good.encode(),
                np.array([good])]
    elif callable(good) and not isinstance(good, type):
        out += [_returns_none, _returns_nan, _raises_generator_exit, _raises_own_base]
        if PROFILE != "ci":  # 2 s each: the long profile only
            out.append(_loops_forever)
    elif isinstance(good, tuple) and hasattr(good, "_fields"):
        out += [tuple(good), dict(good._asdict())]
        if "t" in good._fields:  # an optimizer state: each field wrong in turn
            out += [good._replace(t=v) for v in (-1, 1.5, float("nan"), 10 ** 400, True, None)]
            for f in good._fields[1:]:
                for k, v in getattr(good, f).items():
                    out += [good._replace(**{f: {**getattr(good, f), k: bad}})
                            for bad in _value_swaps(v)]
                    if isinstance(v, np.ndarray):
                        out.append(good._replace(**{f: {**getattr(good, f), k: -1.0 - v}}))
                out.append(good._replace(**{f: {}}))
    elif isinstance(good, (tuple, list)) and good:
        out += [type(good)(), good[:1], type(good)([*good, *good]), np.array(good, dtype=object),
                type(good)([None, *good[1:]]), type(good)(["x", *good[1:]]),
                type(good)([float("nan"), *good[1:]])]
    return out

class _OwnBase(BaseException):
    """A learner's own BaseException subclass."""


def _returns_none(*args, **kwargs):
    return None


def _returns_nan(*args, **kwargs):
    return float("nan")


def _raises_generator_exit(*args, **kwargs):
    raise GeneratorExit


def _raises_own_base(*args, **kwargs):
    raise _OwnBase("mine")


def _loops_forever(*args, **kwargs):
    while True:
        time.sleep(0.01)


def _huge(a):
    with np.errstate(over="ignore"):
        return a * 1e308


def _value_swaps(v):
    """A dict entry replaced: NaN, inf, huge, complex, a string, a wrong shape, None."""
    if isinstance(v, np.ndarray):
        return [np.full(v.shape, np.nan), np.full(v.shape, 1e308), v.astype(np.complex128) + 1j,
                v.astype(str), np.zeros(v.shape + (2,)), v.astype(bool), None]
    if _is_real_number(v):
        return [float("nan"), float("inf"), 1e308, complex(v, 1), str(v), np.array([v, v]),
                None, True]
    if isinstance(v, dict):
        return [{}, {**v, "zz": 0.0}, None]
    return [None, "x", float("nan")]

# The targets that take 10 ms or more per call (a figure drawn, rounds timed):
# in the "ci" profile they get the first derived values and CORE_BAD only.
SLOW_TARGETS = ("widgets.playground", "widgets.ewa_explorer", "widgets.batch_size_explorer",
                "widgets.lr_explorer", "plots.plot_", "plots.animate_paths", "plots.log_scale",
                "timing.")
CORE_BAD = ["x", None, [], True, float("nan"), float("inf"), -1, 10 ** 400, 1e308,
            np.complex128(1 + 1j), np.array([]), np.array([1.0, 2.0]), np.timedelta64(5, "s")]


def is_slow(key):
    return PROFILE == "ci" and key.startswith(SLOW_TARGETS)


def catalogue(good, slow=False):
    seen, out = set(), []
    values = derived_bad(good)[:10] + CORE_BAD if slow else derived_bad(good) + GENERIC_BAD
    for v in values:
        key = _fingerprint(v)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out

def _fingerprint(v):
    if isinstance(v, np.ndarray):
        return ("arr", v.dtype.str, v.shape, repr(v.tolist())[:80])
    return (type(v).__name__, repr(v)[:80])

ALL_DTYPES = hnp.scalar_dtypes() | hnp.byte_string_dtypes(max_len=3) \
    | hnp.unicode_string_dtypes(max_len=3)

def drawn(good):
    """Values hypothesis draws: numbers of any size, arrays of any dtype and small shape."""
    shape = good.shape if isinstance(good, np.ndarray) else (2,)
    return st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
        st.complex_numbers(max_magnitude=1e300),
        st.text(max_size=3),
        st.none() | st.booleans(),
        hnp.arrays(ALL_DTYPES, hnp.array_shapes(min_dims=0, max_dims=3, max_side=3)),
        hnp.arrays(np.float64, shape, elements=st.floats(allow_nan=True, allow_infinity=True)),
        hnp.from_dtype(np.dtype(np.float64)) | hnp.from_dtype(np.dtype(np.int64)),
    )

# ============================================================================================
# One call and the verdict on it.
class Hang(BaseException):
    """Raised by the alarm: the call ran past TIME_LIMIT (a BaseException so no
    ``except Exception`` inside the library swallows it)."""

@contextlib.contextmanager
def time_limit(seconds):
    def on_alarm(signum, frame):
        raise Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    # repeating: an alarm that lands in a __del__ or a callback is printed and ignored there,
    # and a one-shot timer would then never stop the call
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)

def describe(v):
    if isinstance(v, np.ndarray):
        return f"array(dtype={v.dtype}, shape={v.shape})" + (
            f" {v.tolist()!r}"[:60] if v.size <= 4 else "")
    text = f"{type(v).__name__} {v!r}" if not isinstance(v, (str, float, int)) else repr(v)
    return text if len(text) <= 70 else text[:67] + "..."

def _kind_not_real(v):
    """Why ``v`` is not a real number (or an array of them), or None."""
    if isinstance(v, (bool, np.bool_)):
        return "a bool"
    if isinstance(v, (complex, np.complexfloating)) and v.imag != 0:
        return "a complex number"
    if isinstance(v, (np.datetime64, np.timedelta64)):
        return "a datetime"
    if isinstance(v, (bytes, np.bytes_)):
        return "bytes"
    if isinstance(v, np.ndarray) and v.size:
        if v.dtype.kind == "c" and np.any(v.imag != 0):
            return "a complex array"
        if v.dtype.kind in "mMSUb":
            return f"an array of dtype {v.dtype}"
    if isinstance(v, dict):
        for x in v.values():
            why = _kind_not_real(x)
            if why:
                return f"a dict holding {why}"
    return None

def _numeric(good):
    if isinstance(good, dict):
        return bool(good) and all(_numeric(x) for x in good.values())
    if isinstance(good, np.ndarray):
        return good.dtype.kind in "fi"
    return _is_real_number(good)

def _has_nan(x, depth=0):
    if depth > 3:
        return False
    if isinstance(x, (float, np.floating)):
        return bool(np.isnan(x))
    if isinstance(x, np.ndarray) and x.dtype.kind in "fc":
        return bool(np.isnan(x).any())
    if isinstance(x, dict):
        return any(_has_nan(v, depth + 1) for v in x.values())
    if isinstance(x, tuple) and not hasattr(x, "_fields"):
        return any(_has_nan(v, depth + 1) for v in x)
    return False

def _input_has_nan(v):
    try:
        return _has_nan(v) or (isinstance(v, np.ndarray) and v.dtype.kind == "O"
                               and any(x != x for x in v.ravel()))
    except Exception:
        return False

# NumPy's own floating-point and reduction warnings (the course's own warnings say more)
_RAW_WARNING = re.compile(r"^(overflow|underflow|invalid value|divide by zero) encountered in|"
                          r"^Casting complex|^Mean of empty slice|^Degrees of freedom")

def verdict(key, arg, fn, kwargs, limit=None):
    """(outcome, detail): outcome "ok", "error" (clean refusal) or "FAIL: <kind>"."""
    limit = TIME_LIMIT if limit is None else limit
    before = set(plt.get_fignums())
    try:
        with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", divide="warn",
                                                                 invalid="warn", under="ignore"):
            warnings.simplefilter("always")
            for cat in (DeprecationWarning, PendingDeprecationWarning):
                warnings.simplefilter("ignore", cat)
            with time_limit(limit):
                result = fn(**kwargs)
    except Hang as e:
        if (key, arg) in SLOW_OK:
            return "ok", ""
        return "FAIL: hang", str(e)
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # noqa: B036 - every escaping exception is judged
        return _judge_exception(key, arg, e, [k for k in kwargs if k != arg])
    finally:
        _tidy(before)
    bad = kwargs[arg]
    for w in caught:
        msg = str(w.message)
        raw = (issubclass(w.category, ComplexWarning) or "matplotlib" in (w.filename or "")
               or (issubclass(w.category, RuntimeWarning) and _RAW_WARNING.search(msg)))
        if raw:
            return "FAIL: raw warning", f"{w.category.__name__}: {msg[:120]}"
    if (key, arg) not in ACCEPTS:
        if _numeric(GOOD_VALUES_CACHE[key].get(arg)):
            why = _kind_not_real(bad)
            if why:
                return "FAIL: accepted", f"took {why} as a number"
            if isinstance(bad, (float, np.floating)) and np.isnan(bad):
                return "FAIL: accepted", "took NaN without a word"
        if _has_nan(result) and not _input_has_nan(bad):
            return "FAIL: NaN result", f"returned {describe(result)}"
    return "ok", ""

def _judge_exception(key, arg, e, others=()):
    msg = str(e)
    name = type(e).__name__
    allowed_extra = EXTRA_RAISES.get(key, ())
    if name in allowed_extra:
        return "error", f"{name}: {msg[:100]}"
    if isinstance(e, (GeneratorExit, _OwnBase)):  # the learner's own exception, passed on
        return "error", f"{name}: {msg[:100]}"
    if not isinstance(e, (TypeError, ValueError)):
        return f"FAIL: {name}", msg[:140]
    if "truth value of an array" in msg:
        return "FAIL: ambiguous truth value", msg[:140]
    if _names(msg, (arg, *ALIASES.get((key, arg), ()))):
        return "error", f"{name}: {msg[:100]}"
    # a ValueError about how this value fits another argument may name that one
    if isinstance(e, ValueError) and _names(msg, others):
        return "error", f"{name}: {msg[:100]}"
    return "FAIL: message does not name the argument", f"{name}: {msg[:140]}"


def _names(msg, words):
    return any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(w)}(?![A-Za-z0-9])", msg)
               for w in words)

def _tidy(before):
    for num in set(plt.get_fignums()) - before:
        plt.close(num)
    if _AX.pop("used", False):
        _AX["ax"].cla()

GOOD_VALUES_CACHE: dict[str, dict] = {}

def arguments(key):
    """The argument names to fuzz: the named parameters, plus the **kwargs keys of the good
    call (the hyperparameters)."""
    make_fn, make_kwargs = GOOD_CALLS[key]
    kwargs = make_kwargs()
    GOOD_VALUES_CACHE[key] = kwargs
    sig = inspect.signature(make_fn())
    names = [p.name for p in sig.parameters.values()
             if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    extra = [k for k in kwargs if k not in names]
    missing = [n for n in names if n not in kwargs
               and sig.parameters[n].default is inspect.Parameter.empty]
    assert not missing, f"{key}: the good call lacks {missing}"
    return [n for n in names if n in kwargs] + extra + \
        [n for n in names if n not in kwargs]  # defaulted ones not in the good call: fuzz too

def _cases():
    out = []
    for key in sorted(GOOD_CALLS):
        for arg in arguments(key):
            marks = []
            if (key, arg) in KNOWN_FAILURES:
                marks.append(pytest.mark.xfail(reason=KNOWN_FAILURES[(key, arg)], strict=True))
            out.append(pytest.param(key, arg, id=f"{key}:{arg}", marks=marks))
    return out

# ============================================================================================
# The tests.
def test_every_public_callable_has_a_good_call():
    """A new public function fails here until it has a row in GOOD_CALLS or a reason in EXEMPT."""
    found = public_callables()
    missing = sorted(k for k in found if k not in GOOD_CALLS and k not in EXEMPT)
    assert not missing, f"public callables with no good call and no exemption: {missing}"
    stale = sorted(k for k in EXEMPT if k not in found)
    assert not stale, f"EXEMPT names no public callable: {stale}"
    top = {k for k in GOOD_CALLS if "[" not in k and k.count(".") == 1}
    assert top <= set(found), f"GOOD_CALLS names no public callable: {sorted(top - set(found))}"

def test_known_failures_name_real_cases():
    cases = {(k, a) for k in GOOD_CALLS for a in arguments(k)}
    stale = sorted(set(KNOWN_FAILURES) - cases)
    assert not stale, f"KNOWN_FAILURES entries that are no target/argument: {stale}"

@pytest.mark.parametrize("key", sorted(GOOD_CALLS))
def test_good_call_works(key):
    """The table's good call itself returns cleanly: else every bad-value test is moot."""
    make_fn, make_kwargs = GOOD_CALLS[key]
    kwargs = make_kwargs()
    GOOD_VALUES_CACHE.setdefault(key, kwargs)
    arg = next(iter(kwargs), "")
    outcome, detail = verdict(key, arg, make_fn(), kwargs) if arg else _call_noargs(make_fn())
    assert outcome == "ok", f"{key}: the good call gave {outcome} {detail}"

def _call_noargs(fn):
    before = set(plt.get_fignums())
    try:
        with time_limit(TIME_LIMIT):
            fn()
    finally:
        _tidy(before)
    return "ok", ""

@pytest.fixture(scope="module", autouse=True)
def _own_progress_file(tmp_path_factory):
    """The quiz, review and check() save to a progress file: a temporary one here, never the
    course folder's."""
    from course_lib.teaching import progress
    old = os.environ.get(progress.ENV_VAR)
    os.environ[progress.ENV_VAR] = str(tmp_path_factory.mktemp("progress") / progress.FILENAME)
    yield
    if old is None:
        os.environ.pop(progress.ENV_VAR, None)
    else:
        os.environ[progress.ENV_VAR] = old

@pytest.fixture(scope="module", autouse=True)
def _memory_cap():
    """A bad size must not eat the shared machine: cap this process at 2 GB of address space
    above what it holds now (NumPy then raises MemoryError, which the suite reports)."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/status", encoding="ascii") as f:
        now_kb = int(next(x for x in f if x.startswith("VmSize:")).split()[1])
    cap = now_kb * 1024 + 2 * 2 ** 30
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    plt.close("all")

def _record(key, arg, counts):
    path = os.environ.get("COURSE_FUZZ_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"target": key, "argument": arg, **counts}) + "\n")

@pytest.mark.parametrize(("key", "arg"), _cases())
def test_one_bad_argument(key, arg):
    """Every catalogue value, then the values hypothesis draws, in ``arg`` alone."""
    make_fn, make_kwargs = GOOD_CALLS[key]
    good = make_kwargs().get(arg, None)
    GOOD_VALUES_CACHE.setdefault(key, make_kwargs())
    failures, counts = {}, {"tried": 0, "errors": 0, "results": 0}

    def one(value):
        kwargs = make_kwargs()
        kwargs[arg] = value
        # once this argument has hung, a short limit confirms each further hang
        limit = HUNG_LIMIT if "FAIL: hang" in failures else TIME_LIMIT
        outcome, detail = verdict(key, arg, make_fn(), kwargs, limit)
        counts["tried"] += 1
        if outcome == "ok":
            counts["results"] += 1
        elif outcome == "error":
            counts["errors"] += 1
        else:
            failures.setdefault(outcome, []).append(f"{describe(value)} -> {detail}")

    slow = is_slow(key)
    for value in catalogue(good, slow):
        one(value)

    @settings(FUZZ_SETTINGS, max_examples=2 if slow else FUZZ_SETTINGS.max_examples)
    @given(value=drawn(good))
    def drawn_values(value):
        one(value)

    drawn_values()
    _record(key, arg, {**counts, "failures": {k: v for k, v in sorted(failures.items())}})
    if failures:
        lines = [f"{key}({arg}=...): {sum(map(len, failures.values()))} of {counts['tried']} "
                 "bad values not answered clearly"]
        for kind, items in sorted(failures.items()):
            lines.append(f"  {kind} ({len(items)}):")
            lines += [f"    {x}" for x in items[:6]]
        pytest.fail("\n".join(lines), pytrace=False)

def test_time_limit_catches_a_loop():
    """The alarm really stops a runaway call (else 'hang' could never be reported)."""
    def forever():
        while True:
            time.sleep(0.01)

    t0 = time.perf_counter()
    outcome, _ = verdict("x", "x", lambda x: forever(), {"x": 1}, limit=0.3)
    assert outcome == "FAIL: hang" and time.perf_counter() - t0 < 1.3

def test_verdict_sees_each_kind_of_failure():
    """The judge itself: each rule fires on a function built to break it, and a clean refusal
    passes (so a green suite means something)."""
    GOOD_VALUES_CACHE["judge"] = {"x": 1.0}

    def clean(x):
        raise ValueError(f"x must be a real number, got {x!r}")

    def unnamed(x):
        raise ValueError("must be a real number")

    def raw(x):
        return np.float64(1e308) * np.float64(x)

    def takes_complex(x):
        return float(np.real(x))

    def index_error(x):
        return [][1]

    def ambiguous(x):
        if np.array([x, x]):
            return 1.0
        return 0.0

    assert verdict("judge", "x", clean, {"x": 2})[0] == "error"
    assert verdict("judge", "x", unnamed, {"x": 2})[0].startswith("FAIL: message")
    assert verdict("judge", "x", raw, {"x": 10.0})[0] == "FAIL: raw warning"
    assert verdict("judge", "x", takes_complex, {"x": 1 + 2j})[0] == "FAIL: accepted"
    assert verdict("judge", "x", takes_complex, {"x": float("nan")})[0] == "FAIL: accepted"
    assert verdict("judge", "x", index_error, {"x": 1.0})[0] == "FAIL: IndexError"
    assert verdict("judge", "x", ambiguous, {"x": 1.0})[0] == "FAIL: ambiguous truth value"
    assert verdict("judge", "x", lambda x: np.array([np.nan]), {"x": 1.0})[0] \
        == "FAIL: NaN result"
    assert verdict("judge", "x", lambda x: x, {"x": 1.0})[0] == "ok"

def test_catalogue_covers_the_brief():
    """Every kind of bad value the issue lists is in the fixed catalogue of a float argument."""
    vals = catalogue(0.5)
    kinds = {type(v) for v in vals}
    assert {str, list, tuple, dict, type(None), bool} <= kinds
    dtypes = {np.asarray(v).dtype.kind for v in vals if isinstance(v, (np.generic, np.ndarray))}
    assert set("biufcmMSUO") <= dtypes
    assert any(isinstance(v, np.ndarray) and v.ndim == 0 for v in vals)
    assert any(isinstance(v, np.ndarray) and v.size == 0 for v in vals)
    assert any(isinstance(v, int) and v >= 10 ** 400 for v in vals)
    assert any(isinstance(v, float) and math.isnan(v) for v in vals)
    assert any(v == 1e308 for v in vals if isinstance(v, float))
    assert any(v == -math.inf for v in vals if isinstance(v, float))
    assert any(isinstance(v, dict) and "zz" in v for v in catalogue({"W": np.ones(2)}))
    assert any(isinstance(v, np.ndarray) and v.shape == (2, 1)
               for v in catalogue(np.ones(2)))

