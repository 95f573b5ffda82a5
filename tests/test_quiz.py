"""The interview question bank, its validation, grading, and the quiz / flash-card widgets.

Expected numbers are recomputed here from first principles (plain loops over the update rules of
docs/notation.md), never read from course_lib.
"""
import copy
import json
import math
import pathlib
import re

import numpy as np
import pytest

from course_lib import quiz as Q

ROOT = pathlib.Path(__file__).resolve().parents[1]
BANK_DIR = ROOT / "course_lib" / "teaching" / "questions"
FILES = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(BANK_DIR.glob("*.json"))}
RAW = {"format": 2, "questions": [q for data in FILES.values() for q in data["questions"]]}


# ---------------------------------------------------------------------------- the bank
def test_bank_loads_and_is_big_enough():
    bank = Q.load_questions()
    assert len(bank) >= 60
    per_chapter = {c: sum(q["chapter"] == c for q in bank) for c in Q.CHAPTERS}
    for c in Q.CHAPTERS[:10]:
        assert per_chapter[c] >= 4, f"chapter {c} has only {per_chapter[c]} questions"
    assert per_chapter["choosing_an_optimizer"] >= 1
    assert per_chapter["optimizers_at_scale"] >= 12
    assert {Q.topic_of(q) for q in bank} <= set(Q.TOPICS)
    assert {q["kind"] for q in bank} == {"choice", "numeric", "explain"}


CH12_SECTIONS = {"Where this sits in the story", "Exploding gradients and clipping",
                 "Warm-up and learning-rate schedules", "Batch size and learning rate",
                 "Gradient accumulation", "Optimizer memory",
                 "Data-parallel training on torch.distributed",
                 "Four modern optimizers: RAdam, Adafactor, Muon, Lion", "Play with it",
                 "Exercises", "Interview questions", "Summary"}


def test_chapter_12_questions_cover_its_sections_and_every_kind():
    ch12 = Q.questions(12)
    assert ch12 == Q.questions("optimizers_at_scale") and len(ch12) >= 12
    assert {q["kind"] for q in ch12} == {"choice", "numeric", "explain"}
    sections = {q["experiment"]["section"] for q in ch12}
    assert sections <= CH12_SECTIONS and len(sections) >= 6
    assert all(q["experiment"]["notebook"] == "notebooks/12_optimizers_at_scale.ipynb"
               for q in ch12)
    # chapter 11's interview questions on these topics now point to chapter 12, ids kept
    moved = [q for q in Q.questions(11) if Q.topic_of(q) in
             ("clipping", "batch_size", "warmup", "optimizer_memory", "lion")]
    assert len(moved) >= 25 and all(
        q["experiment"]["notebook"] == "notebooks/12_optimizers_at_scale.ipynb"
        and q["experiment"]["section"] in CH12_SECTIONS for q in moved)
    assert Q.get_question("x-clip-why")["chapter"] == "interview_prep"


def test_chapter_ids_match_the_notebook_names():
    assert Q.CHAPTERS[0] == "introduction" and Q.CHAPTERS[9] == "adam"
    assert len(Q.CHAPTERS) == 13 and Q.CHAPTERS[11] == "interview_prep"
    assert Q.CHAPTERS[12] == "optimizers_at_scale"
    assert Q.notebook_of(12) == "notebooks/12_optimizers_at_scale.ipynb"
    assert Q.notebook_of("adam") == "notebooks/09_adam.ipynb"
    assert Q.notebook_of(10) == "notebooks/10_choosing_an_optimizer.ipynb"
    for i, cid in enumerate(Q.CHAPTERS):  # every chapter id names a notebook that exists
        assert (ROOT / Q.notebook_of(i)).exists(), cid
    assert Q.TOPICS[:13] == Q.CHAPTERS and len(set(Q.TOPICS)) == 23
    assert set(Q.TOPICS[13:]) == {"clipping", "batch_size", "second_order", "saddles",
                                  "sharp_flat", "optimizer_memory", "lr_range_test", "warmup",
                                  "lars_lamb", "lion"}


def test_the_bank_is_split_by_chapter():
    """One file (or more, NN_<chapter>_<part>.json) per chapter, format 2, no old single file."""
    assert not (ROOT / "course_lib" / "questions.json").exists()
    assert len(FILES) >= 11
    for name, data in FILES.items():
        assert data["format"] == 2, name
        number, rest = int(name[:2]), name[3:-len(".json")]
        cid = Q.CHAPTERS[number]
        assert rest == cid or rest.startswith(cid + "_"), name
        assert {q["chapter"] for q in data["questions"]} == {cid}, name
    assert sorted(q["id"] for q in RAW["questions"]) == sorted(q["id"] for q in Q.load_questions())


def test_the_lectures_interview_questions_are_in_the_bank():
    bank = {q["id"]: q for q in Q.load_questions()}
    lecture = {qid for qid, q in bank.items() if "lecture" in q.get("tags", [])}
    assert lecture >= {"mb-zigzag", "ep-50000-128", "ada-stall", "adam-bias", "ewa-window-09"}
    assert "zig-zag" in bank["mb-zigzag"]["question"]
    epoch = bank["ep-50000-128"]["question"]
    assert "50,000" in epoch and "128" in epoch
    assert "stall" in bank["ada-stall"]["question"]
    assert "bias correction" in bank["adam-bias"]["question"]
    assert "β = 0.9" in bank["ewa-window-09"]["question"]


def test_the_bank_copies_are_independent():
    a = Q.load_questions()
    a[0]["question"] = "changed"
    assert Q.load_questions()[0]["question"] != "changed"


# Every numeric answer, derived here from the rules (not from course_lib).
def _ewa(values, beta):
    v, out = 0.0, []
    for a in values:
        v = beta * v + (1 - beta) * a
        out.append(v)
    return out


def _momentum(w, grads, lr, beta):
    v = 0.0
    for g in grads:
        v = beta * v + (1 - beta) * g
        w = w - lr * v
    return w, v


def _gd(w, steps, lr, grad):
    for _ in range(steps):
        w = w - lr * grad(w)
    return w


def _rates_adagrad(grads, lr):
    s, rates = 0.0, []
    for g in grads:
        s += g * g
        rates.append(lr / math.sqrt(s))
    return rates


def _rates_rmsprop(grads, lr, beta):
    s, rates = 0.0, []
    for g in grads:
        s = beta * s + (1 - beta) * g * g
        rates.append(lr / math.sqrt(s))
    return rates


def _adam_first_step(g, lr, b1, b2, correct):
    """correct: True (both averages), False (neither) or "v" (v only)."""
    v, s = (1 - b1) * g, (1 - b2) * g * g
    if correct:
        v = v / (1 - b1)
    if correct is True:
        s = s / (1 - b2)
    return lr * v / math.sqrt(s)


def _torch_lr_matches(lr_torch, eta=0.1, beta=0.9):
    """Course momentum (eta, beta) vs PyTorch's buf = mu*buf + g, W -= lr*buf: same path?"""
    grads = np.random.default_rng(3).normal(size=20)
    w_course, _ = 0.0, None
    v = w_torch = buf = 0.0
    for i, g in enumerate(grads):
        v = beta * v + (1 - beta) * g
        w_course -= eta * v
        buf = g if i == 0 else beta * buf + g
        w_torch -= lr_torch * buf
    return abs(w_course - w_torch) < 1e-12


NUMERIC = {
    "intro-one-step": lambda: 2.0 - 0.1 * 4.0,
    "intro-mse": lambda: np.mean((np.array([1, 2, 3]) - np.array([1, 2, 5])) ** 2),
    "gd-divergence-threshold": lambda: 2 / 10,
    "gd-one-step": lambda: _gd(3.0, 1, 0.1, lambda w: 2 * w),
    "gd-two-steps": lambda: _gd(3.0, 2, 0.1, lambda w: 2 * w),
    "sgd-iterations-10000": lambda: len(range(0, 10_000, 1)),
    "sgd-total-updates": lambda: 5 * len(range(0, 1000, 1)),
    "mb-noise-scaling": lambda: math.sqrt(128 / 32),
    "ep-50000-128": lambda: len(range(0, 50_000, 128)),
    "ep-last-batch": lambda: len(range(50_000)[range(0, 50_000, 128)[-1]:]),
    "ep-drop-last": lambda: 50_000 // 128,
    "ep-10000-1000": lambda: len(range(0, 10_000, 1000)),
    "ep-total": lambda: 20 * len(range(0, 60_000, 100)),
    "ewa-window-09": lambda: 1 / (1 - 0.9),
    "ewa-window-098": lambda: 1 / (1 - 0.98),
    "ewa-weight-decay": lambda: 0.9 ** 10,
    "ewa-v1": lambda: _ewa([10.0], 0.9)[-1],
    "ewa-v2-worked": lambda: _ewa([10.0, 10.0], 0.5)[-1],
    "ewa-v2-corrected": lambda: _ewa([10.0, 10.0], 0.5)[-1] / (1 - 0.5 ** 2),
    "mom-v1": lambda: _momentum(1.0, [2.0], 0.1, 0.9)[1],
    "mom-w1": lambda: _momentum(1.0, [2.0], 0.1, 0.9)[0],
    "mom-v2": lambda: _momentum(1.0, [2.0, 2.0], 0.1, 0.9)[1],
    "mom-torch-lr": lambda: next(lr for lr in (0.1, 0.09, 0.01, 0.001, 1.0)
                                 if _torch_lr_matches(lr)),
    "mom-framework-steady": lambda: _fixed_point(lambda v: 0.9 * v + 1.0),
    "ada-eta-t": lambda: _rates_adagrad([3.0, 4.0], 0.1)[-1],
    "ada-first-step": lambda: abs(0.01 * -3.7 / math.sqrt(3.7 ** 2)),
    "ada-constant-gradient": lambda: (lambda r: r[0] / r[99])(_rates_adagrad([2.5] * 100, 0.1)),
    "rms-steady-s": lambda: _fixed_point(lambda s: 0.9 * s + 0.1 * 2.0 ** 2),
    "rms-first-step": lambda: 2.0 * _rates_rmsprop([2.0], 0.01, 0.9)[0],
    "rms-vs-adagrad": lambda: _rates_rmsprop([1.0] * 100, 0.01, 0.9)[-1],
    "rms-first-step-torch": lambda: 0.7 * _rates_rmsprop([0.7], 1.0, 0.99)[0],
    "adam-first-step": lambda: abs(_adam_first_step(-2.5, 0.001, 0.9, 0.999, True)),
    "adam-uncorrected": lambda: _adam_first_step(1.7, 1.0, 0.9, 0.999, False),
    "adam-v-corrected-only": lambda: _adam_first_step(1.7, 1.0, 0.9, 0.999, "v"),
    "adam-v-hat": lambda: _ewa([5.0], 0.9)[0] / (1 - 0.9),
    "adam-s1": lambda: _ewa([2.0 ** 2], 0.999)[0],
    "adam-correction-t10": lambda: 1 / (1 - 0.9 ** 10),
    "adam-beta2-window": lambda: 1 / (1 - 0.999),
}


# Chapter 11's "Beyond the chapters" questions, each recomputed another way (clipping done with
# NumPy, RAdam's r_t from its formula, ρ_∞ as the limit of ρ_t, Lion's step from a random sign).
def _clip_norm(g, c):
    g = np.asarray(g, float)
    return g * min(1.0, c / np.linalg.norm(g))


def _radam_r(rho_t, rho_inf):
    return math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))


def _rho_t(beta2, t):
    return 2 / (1 - beta2) - 1 - 2 * t * beta2 ** t / (1 - beta2 ** t)


NUMERIC.update({
    "x-clip-norm-factor": lambda: (_clip_norm([30.0, 40.0], 10.0) / [30.0, 40.0])[0],
    "x-clip-value-length": lambda: np.linalg.norm(np.clip([3.0, -0.5, 8.0], -1, 1)),
    "x-clip-gd-step": lambda: np.linalg.norm(0.05 * _clip_norm([70_000.0, 0.0], 50.0)),
    "x-batch-linear-number": lambda: 0.1 * len(range(0, 8192, 256)),
    "x-batch-sqrt-number": lambda: 3e-4 * 2 ** (math.log2(8192 / 512) / 2),
    "x-batch-noise-scale": lambda: 50 * 10,
    "x-warmup-rho-inf": lambda: _rho_t(0.99, 10 ** 6),
    "x-warmup-rt": lambda: _radam_r(100, 1999),
    "x-warmup-rule-of-thumb": lambda: 2 * sum(0.98 ** k for k in range(10_000)),
    "x-lamb-step-length": lambda: np.linalg.norm(0.01 * 4 / 20 * np.full(400, 1.0)),
    "x-lamb-first-ratio": lambda: 8 / np.linalg.norm(np.ones((64, 16))),
    "x-lion-memory": lambda: np.zeros(10 ** 6, np.float32).nbytes / 1e6,
    "x-lion-step-length": lambda: np.linalg.norm(1e-4 * np.sign(
        np.random.default_rng(0).standard_normal(10_000))),
})


# ... and its "memory, curvature and the landscape" section: memory from NumPy's nbytes, the
# range-test factor from the grid itself, the saddle escape by running GD on W2.
def _gb_per_param(dtypes, n):
    return sum(np.zeros(1000, dt).nbytes for dt in dtypes) / 1000 * n / 1e9


def _steps_until(w, factor, target):
    """Real-valued step count: the integer count, refined by interpolating log |w| linearly."""
    k = 0
    while abs(w * factor) < target:
        w, k = w * factor, k + 1
    return k + math.log(target / abs(w)) / math.log(factor)


NUMERIC.update({
    "x-memory-mixed-7b": lambda: _gb_per_param(
        [np.float16, np.float16, np.float32, np.float32, np.float32], 7e9),
    "x-memory-momentum-125m": lambda: _gb_per_param([np.float32] * 3, 125e6),
    "x-lrrt-factor": lambda: (lambda g: g[1] / g[0])(np.geomspace(1e-4, 10, 100)),
    "x-lrrt-pick": lambda: np.geomspace(1e-5, 1, 100)[80] / 10,
    "x-second-hessian-tb": lambda: np.zeros(1000, np.float32).nbytes * 1e9 / 1e12,
    "x-second-cholesky-ops": lambda: sum(k * k for k in range(1, 10 ** 5 + 1)) / 1,
    "x-second-lbfgs-mb": lambda: 20 * 2 * np.zeros(10 ** 7, np.float32).nbytes / 1e6,
    "x-saddle-escape-steps": lambda: _steps_until(0.001, 1 + 2 * 0.1, 1.0),
    "x-sharpflat-limit": lambda: 2 / 0.05,
    "x-sharpflat-shift": lambda: (lambda f100, f4: f100 / f4)(
        100 / 2 * 0.1 ** 2, 4 / 2 * 0.1 ** 2),
})


# Chapter 12's questions: clipping with NumPy, the schedule's midpoint by hand, batch sizes from
# array shapes, ZeRO from nbytes, and a ring all-reduce simulated to count what a worker sends.
def _ring_allreduce_sent(n_workers, length=24):
    """Run a ring all-reduce on random vectors; return (elements worker 0 sent, result ok)."""
    rng = np.random.default_rng(12)
    data = [rng.normal(size=length) for _ in range(n_workers)]
    chunks = [np.array_split(d.copy(), n_workers) for d in data]
    sent = 0
    for step in range(n_workers - 1):               # reduce-scatter
        moves = [(i, (i - step) % n_workers) for i in range(n_workers)]
        payload = [chunks[i][c].copy() for i, c in moves]
        for (i, c), x in zip(moves, payload, strict=True):
            chunks[(i + 1) % n_workers][c] += x
        sent += len(payload[0])
    for step in range(n_workers - 1):               # all-gather
        moves = [(i, (i + 1 - step) % n_workers) for i in range(n_workers)]
        payload = [chunks[i][c].copy() for i, c in moves]
        for (i, c), x in zip(moves, payload, strict=True):
            chunks[(i + 1) % n_workers][c] = x
        sent += len(payload[0])
    total = np.sum(data, axis=0)
    ok = all(np.allclose(np.concatenate(ch), total) for ch in chunks)
    return sent / length, ok


NUMERIC.update({
    "s12-clip-factor": lambda: _clip_norm([6.0, 8.0, 0.0], 1.0)[0] / 6.0,
    "s12-warmup-lr": lambda: 3e-4 * (0.1 + 0.9 * (1 + 0) / 2),     # cos(pi/2) = 0: midpoint
    "s12-batch-linear-eta": lambda: 0.1 * np.ones((4, 8, 32)).size / 256,
    "s12-accum-global-batch": lambda: np.ones((4, 8, 32)).size,
    "s12-zero1-7b": lambda: 7e9 * (2 * np.zeros(1, np.float16).nbytes
                                   + np.zeros(3, np.float32).nbytes / 8) / 1e9,
    "s12-allreduce-traffic": lambda: _ring_allreduce_sent(8)[0] * np.zeros(125, np.float32).nbytes,
    "s12-adafactor-ratio": lambda: (4096 * 4096) / (np.zeros((4096, 1)).size
                                                     + np.zeros((1, 4096)).size),
})


def test_the_ring_allreduce_simulation_sums_and_counts():
    fraction, ok = _ring_allreduce_sent(8)
    assert ok and fraction == 2 * 7 / 8
    assert _ring_allreduce_sent(2) == (1.0, True)

def _fixed_point(f, x=0.0):
    for _ in range(2000):
        x = f(x)
    return x


def test_every_numeric_question_has_an_independent_check():
    numeric_ids = {q["id"] for q in Q.load_questions() if q["kind"] == "numeric"}
    assert numeric_ids == set(NUMERIC), (
        f"without a check: {sorted(numeric_ids - set(NUMERIC))}; "
        f"stale checks: {sorted(set(NUMERIC) - numeric_ids)}")


def test_numeric_answers_are_computed_not_typed():
    numeric = [q for q in RAW["questions"] if q["kind"] == "numeric"]
    assert numeric and all("compute" in q and "answer" not in q for q in numeric)
    loaded = {q["id"]: q for q in Q.load_questions()}
    for q in numeric:  # the loader fills the answer in
        assert loaded[q["id"]]["answer"] == Q.evaluate(q["compute"])


@pytest.mark.parametrize("qid", sorted(NUMERIC))
def test_numeric_answers_are_right(qid):
    q = Q.get_question(qid)
    expected = float(NUMERIC[qid]())
    assert abs(q["answer"] - expected) <= max(q["tolerance"], 1e-9), (qid, q["answer"], expected)
    assert Q.grade(q, expected).correct


# The right choice of the questions that state a fact of docs/notation.md, and the key facts.
RIGHT_CHOICE = {
    "intro-update-rule": "W_new = W_old − η·dL/dW_old",
    "ewa-formula": "v_t = β·v_{t−1} + (1 − β)·a_t",
    "mom-formula": "v = β·v + (1 − β)·dW;  W = W − η·v",
    "ada-formula": "alpha_t = alpha_{t−1} + dW²;  W = W − η·dW / (√alpha_t + ε)",
    "rms-formula": "s = β·s + (1 − β)·dW²;  W = W − η·dW / (√s + ε)",
    "rms-eps": ("A convention: outside the root, dW / (√s + ε), in PyTorch and this course's "
                "code; inside, dW / √(s + ε), in TensorFlow 1's RMSProp, Keras 3 and d2l"),
    "adam-defaults": "η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8",
    "mb-full-batch": "full-batch gradient descent",
    "mb-batch-one": "SGD",
    "mom-beta0": "plain (mini-batch) gradient descent",
    "mb-updates-compare": "1, 10 and 10,000",
    "gd-records-per-update": "All records of the data set",
    "sgd-records-per-update": "One record",
}


@pytest.mark.parametrize("qid", sorted(RIGHT_CHOICE))
def test_fact_checked_choice_answers(qid):
    q = Q.get_question(qid)
    assert q["choices"][q["answer"]] == RIGHT_CHOICE[qid]


def test_every_choice_question_grades_its_answer_and_only_it():
    for q in Q.load_questions():
        if q["kind"] != "choice":
            continue
        for i in range(len(q["choices"])):
            result = Q.grade(q, i)
            assert result.correct == (i == q["answer"]), q["id"]
            if not result.correct:
                assert q["choices"][q["answer"]] in result.feedback


def test_every_model_answer_shows_every_rubric_point_to_the_hints():
    """The model answer covers every key point, and each point's hint finds it there."""
    for q in Q.load_questions():
        if q["kind"] == "explain":
            assert 2 <= len(q["rubric"]) <= 5, q["id"]
            assert Q.suggest(q, q["model_answer"]) == list(range(len(q["rubric"]))), q["id"]
            # and yet the model answer itself is not right until the points are ticked
            assert not Q.grade(q, q["model_answer"]).correct, q["id"]


def test_the_right_answers_are_spread_over_the_positions():
    counts = np.bincount([q["answer"] for q in Q.load_questions() if q["kind"] == "choice"])
    assert counts.min() >= 0.15 * counts.sum()


def test_experiment_sections_are_headings_of_the_notebooks():
    for q in Q.load_questions():
        exp = q.get("experiment")
        path = ROOT / exp["notebook"] if exp else None
        if path is None or not path.exists():
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        headings = [line.lstrip("#").strip().casefold()
                    for cell in nb["cells"] if cell["cell_type"] == "markdown"
                    for line in "".join(cell["source"]).splitlines() if line.startswith("#")]
        # exact heading text: the mock interview's links are anchors built from it
        assert exp["section"].casefold() in headings, (
            f"question {q['id']!r} points to section {exp['section']!r} of {exp['notebook']}, "
            f"which has no heading with exactly that text")


def _all_text(q) -> str:
    parts = [q["question"], q["explanation"], q.get("model_answer", "")] + q.get("choices", [])
    parts += [item["point"] for item in q.get("rubric", [])]
    return " ".join(parts)


def test_the_bank_and_the_guide_say_momentum_one_way():
    """Momentum in the EWA form is steadier, not bigger, at equal η (docs/notation.md)."""
    guide = (ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8")
    texts = [_all_text(q) for q in Q.load_questions()] + [guide]
    for wrong in ("consistent directions faster", "bigger steps", "a thousand times faster"):
        assert not any(wrong in t for t in texts), wrong
    assert "steadier, not bigger, at the same η" in Q.get_question("mom-why")["model_answer"]
    assert "not faster" not in Q.get_question("mom-why")["model_answer"]


def test_conventions_are_called_conventions():
    eps = _all_text(Q.get_question("rms-eps"))
    for who in ("convention", "PyTorch", "Hinton", "d2l", "TensorFlow 1"):
        assert who in eps, who
    rms = " ".join(_all_text(q) for q in Q.questions("rmsprop_adadelta"))
    assert "alpha = 0.99" in rms and "Hinton's slides" in rms
    assert "PyTorch's convention" in Q.get_question("adam-adamw")["explanation"]
    assert "1 − β1^t" in Q.get_question("adam-v-hat")["question"]


# ---------------------------------------------------------------------------- bad data
def _corrupt(qid, **changes):
    data = copy.deepcopy(RAW)
    q = next(q for q in data["questions"] if q["id"] == qid)
    for key, value in changes.items():
        if value is _DROP:
            del q[key]
        else:
            q[key] = value
    return data


_DROP = object()

CORRUPTIONS = [
    (dict(qid="adam-defaults", answer=_DROP),
     r"question 'adam-defaults': field 'answer' is missing"),
    (dict(qid="ep-50000-128", compute=_DROP),
     r"question 'ep-50000-128': field 'compute' is missing"),
    (dict(qid="ep-50000-128", tolerance=_DROP), r"'ep-50000-128': field 'tolerance' is missing"),
    (dict(qid="adam-bias", model_answer=_DROP), r"'adam-bias': field 'model_answer' is missing"),
    (dict(qid="adam-bias", model_answer="  "),
     r"'adam-bias': field 'model_answer' must be a non-empty"),
    (dict(qid="adam-parts", chapter="adamm"),
     r"'adam-parts': field 'chapter' has unknown chapter 'adamm' \(did you mean 'adam'\?\)"),
    (dict(qid="adam-parts", chapter=9), r"'adam-parts': field 'chapter' has unknown chapter 9"),
    (dict(qid="adam-parts", kind="multiple"),
     r"'adam-parts': field 'kind' must be one of 'choice'"),
    (dict(qid="adam-parts", kind=_DROP), r"'adam-parts': field 'kind' is missing"),
    (dict(qid="adam-parts", answer=4),
     r"'adam-parts': field 'answer' must be an index .* \[0, 3\]; got 4"),
    (dict(qid="adam-parts", answer=-1), r"'adam-parts': field 'answer' must be an index"),
    (dict(qid="adam-parts", answer=True), r"'adam-parts': field 'answer' must be an index"),
    (dict(qid="adam-parts", answer="0"), r"'adam-parts': field 'answer' must be an index"),
    (dict(qid="adam-parts", choices=["only one"]),
     r"'adam-parts': field 'choices' must be a list of at least 2"),
    (dict(qid="adam-parts", choices=["a", "b", "A", "c"]),
     r"'adam-parts': field 'choices' has two equal"),
    (dict(qid="adam-parts", anwser=1),
     r"'adam-parts': unknown field 'anwser' \(did you mean 'answer'\?\)"),
    (dict(qid="adam-parts", question=""),
     r"'adam-parts': field 'question' must be a non-empty text"),
    (dict(qid="adam-parts", explanation=_DROP), r"'adam-parts': field 'explanation' is missing"),
    (dict(qid="ep-50000-128", compute=_DROP, answer=float("nan")),
     r"'ep-50000-128': field 'answer' must be a finite"),
    (dict(qid="ep-50000-128", compute=_DROP, answer="391"),
     r"'ep-50000-128': field 'answer' must be a finite"),
    (dict(qid="ep-50000-128", answer=390),
     r"'ep-50000-128': field 'answer' 390 disagrees with 'compute' 'ceil\(50000 / 128\)' = 391"),
    (dict(qid="ep-50000-128", compute="ceil(50000 / x)"),
     r"'ep-50000-128': field 'compute': expression 'ceil\(50000 / x\)': unknown name 'x' in 'x'"),
    (dict(qid="ep-50000-128", compute="__import__('os').system('ls')"),
     r"'ep-50000-128': field 'compute': .*unknown function called on an expression"),
    (dict(qid="ep-50000-128", compute=391),
     r"'ep-50000-128': field 'compute': expression must be a text"),
    (dict(qid="ep-50000-128", topic="epochs"),
     r"'ep-50000-128': field 'topic' has unknown topic 'epochs'"),
    (dict(qid="adam-bias", topic="clip"),
     r"'adam-bias': field 'topic' has unknown topic 'clip' \(did you mean 'clipping'\?\)"),
    (dict(qid="ep-50000-128", tolerance=-1),
     r"'ep-50000-128': field 'tolerance' must be a finite number >= 0"),
    (dict(qid="ep-50000-128", choices=["a", "b"]), r"'ep-50000-128': unknown field 'choices'"),
    (dict(qid="adam-bias", keywords=["zero|0"]),
     r"'adam-bias': unknown field 'keywords' .*'keywords' became 'rubric'"),
    (dict(qid="adam-bias", rubric=_DROP), r"'adam-bias': field 'rubric' is missing"),
    (dict(qid="adam-bias", rubric=[{"point": "Starts at zero.", "hint": "zero"}]),
     r"'adam-bias': field 'rubric' must be a list of 2-5 key points"),
    (dict(qid="adam-bias", rubric=[{"point": f"p{i}", "hint": "h"} for i in range(6)]),
     r"'adam-bias': field 'rubric' must be a list of 2-5 key points"),
    (dict(qid="adam-bias", rubric=[{"point": "a"}, {"point": "b", "hint": "b"}]),
     r"'adam-bias': field 'rubric\[0\]' must be \{'point'"),
    (dict(qid="adam-bias", rubric=[{"point": "a", "hint": "a", "score": 1},
                                   {"point": "b", "hint": "b"}]),
     r"'adam-bias': field 'rubric\[0\]' must be \{'point'"),
    (dict(qid="adam-bias", rubric=[{"point": "a", "hint": "a"}, {"point": " ", "hint": "b"}]),
     r"'adam-bias': field 'rubric\[1\].point' must be a non-empty text"),
    (dict(qid="adam-bias", rubric=[{"point": "a", "hint": "zero||0"},
                                   {"point": "b", "hint": "b"}]),
     r"'adam-bias': field 'rubric\[0\].hint' has an empty alternative"),
    (dict(qid="adam-bias", rubric=[{"point": "a", "hint": "ze*ro"},
                                   {"point": "b", "hint": "b"}]),
     r"'adam-bias': field 'rubric\[0\].hint' has an empty alternative or a misplaced"),
    (dict(qid="adam-parts", experiment={"notebook": "notebooks/9_adam.ipynb", "section": "x"}),
     r"'adam-parts': field 'experiment' names an unknown notebook"),
    (dict(qid="adam-parts", experiment={"notebook": "notebooks/09_adam.ipynb"}),
     r"'adam-parts': field 'experiment' must be"),
    (dict(qid="adam-parts", tags="lecture"), r"'adam-parts': field 'tags' must be a list"),
    (dict(qid="adam-parts", id="Adam Parts"), r"question #\d+: field 'id' must be lower-case"),
    (dict(qid="adam-parts", id=_DROP), r"question #\d+: field 'id' is missing"),
    (dict(qid="adam-parts", id="adam-defaults"), r"question 'adam-defaults': duplicate id"),
]


@pytest.mark.parametrize("changes, match", CORRUPTIONS,
                         ids=[f"{c['qid']}:{m[:30]}" for c, m in CORRUPTIONS])
def test_each_corruption_fails_with_a_message_naming_id_and_field(changes, match):
    changes = dict(changes)
    data = _corrupt(changes.pop("qid"), **changes)
    with pytest.raises(ValueError, match=match):
        Q.validate_bank(data)


def test_the_uncorrupted_copy_passes():
    assert len(Q.validate_bank(copy.deepcopy(RAW))) == len(RAW["questions"])
    assert len(Q.validate_bank(copy.deepcopy(RAW["questions"]))) == len(RAW["questions"])


def test_bank_shape_errors():
    with pytest.raises(ValueError, match="the bank must have a 'questions' list"):
        Q.validate_bank({"format": 2})
    with pytest.raises(ValueError, match="the bank's 'format' must be 2 .*got 1"):
        Q.validate_bank({"format": 1, "questions": []})
    with pytest.raises(TypeError, match="the bank's questions must be a list, got str"):
        Q.validate_bank({"questions": "none"})
    with pytest.raises(ValueError, match=r"question #0 must be an object"):
        Q.validate_bank([42])


# ---------------------------------------------------------------------------- chapters
def test_chapter_by_number_or_id():
    assert Q.questions(9) == Q.questions("adam")
    assert {q["chapter"] for q in Q.questions(4)} == {"epochs_and_iterations"}
    assert len(Q.questions()) == len(Q.load_questions())
    assert sum(len(Q.questions(c)) for c in range(13)) == len(Q.load_questions())
    assert Q.questions(11) == Q.questions("interview_prep")
    momentum = Q.questions(topic="momentum")
    assert momentum and {Q.topic_of(q) for q in momentum} == {"momentum"}
    assert Q.questions(6, topic="adam") == []
    with pytest.raises(ValueError, match=r"topic must be one of .*got 'clip' \(did you mean"):
        Q.questions(topic="clip")


def test_chapter_errors():
    with pytest.raises(ValueError, match=r"chapter must be in \[0, 12\], got 13"):
        Q.questions(13)
    with pytest.raises(ValueError,
                       match=r"chapter must be one of .*got 'adma' \(did you mean 'adam'\?\)"):
        Q.questions("adma")
    with pytest.raises(TypeError,
                       match=r"chapter must be a chapter number 0-12 or one of .*got True"):
        Q.questions(True)
    with pytest.raises(TypeError, match=r"chapter must be a chapter number .*got 9.5"):
        Q.chapter_id(9.5)


def test_get_question_errors():
    with pytest.raises(ValueError, match=r"qid 'adam-bais' is not in the question bank "
                                         r"\(did you mean 'adam-bias'\?\)"):
        Q.get_question("adam-bais")
    with pytest.raises(TypeError, match="qid must be a question id"):
        Q.get_question(3)


# ---------------------------------------------------------------------------- grading
def test_grade_numeric_with_tolerance_and_text():
    q = Q.get_question("ep-50000-128")
    assert Q.grade(q, 391).correct and Q.grade(q, "391").correct and Q.grade(q, " 391.0 ").correct
    wrong = Q.grade(q, 390)
    assert not wrong.correct
    assert wrong.feedback.startswith("Not quite: the answer is 391 (you gave 390).")
    assert wrong.answer == "391"
    window = Q.get_question("ewa-window-09")  # 10 with tolerance 0.5
    assert Q.grade(window, 10.4).correct and Q.grade(window, "9.5").correct
    assert not Q.grade(window, 10.6).correct
    assert Q.grade("sgd-iterations-10000", "10,000").correct
    assert Q.grade("adam-first-step", "1e-3").correct


def test_grade_choice_by_index_or_text():
    q = Q.get_question("adam-defaults")
    right = q["choices"][q["answer"]]
    assert Q.grade(q, q["answer"]).correct
    assert Q.grade(q, "  " + right.upper() + " ").correct
    other = (q["answer"] + 1) % len(q["choices"])
    result = Q.grade(q, q["choices"][other])
    assert not result.correct and right in result.feedback and "Not quite" in result.feedback


def test_grade_explain_is_self_assessed_never_by_keywords():
    q = Q.get_question("ada-stall")
    points = tuple(item["point"] for item in q["rubric"])
    assert len(points) == 3
    text = "The sum of squared gradients keeps growing, so the rate becomes tiny."
    pending = Q.grade(q, text)
    assert not pending.correct and pending.covered is None and pending.score is None
    assert pending.rubric == points and pending.suggested == (0, 1)
    assert pending.feedback.startswith("Not scored yet")
    assert q["model_answer"] in pending.feedback
    assert f"1. {points[0]} (seems present)" in pending.feedback
    assert f"3. {points[2]}" in pending.feedback and f"{points[2]} (seems" not in pending.feedback
    full = Q.grade(q, text, covered=[2, 0, 1])
    assert full.correct and full.score == 1.0 and full.covered == (0, 1, 2)
    assert full.feedback.startswith("Right (self-assessed): you covered all 3 key points.")
    part = Q.grade(q, text, covered=[1, 0])  # the two points the hints suggested: not enough
    assert not part.correct and part.covered == (0, 1) and abs(part.score - 2 / 3) < 1e-12
    assert f"you covered 2 of 3 key points. Missed: {points[2]}" in part.feedback
    assert not Q.grade(q, text, covered=[]).correct
    assert not Q.grade(q, q["model_answer"]).correct  # even the model answer needs the ticks
    assert Q.grade(q, "whatever I wrote", covered=range(3)).correct  # the learner's call


def test_hints_match_whole_words_and_whole_numbers():
    # "0" is a whole number: not the start of 0.9 or part of 10 (the old grader's `zero|0`
    # group matched any "0.9")
    assert Q.suggest("adam-bias", "With β1 = 0.9 the factor is 10.") == []
    assert Q.suggest("adam-bias", "Both averages start at 0.") == [0]
    assert Q.suggest("adam-bias", "v starts at 0, so it is small") == [0]
    # words are whole: "nonstop" does not hold the word "stop"
    assert Q.suggest("ada-stall", "It runs nonstop.") == []
    assert Q.suggest("ada-stall", "Training stops.") == [2]
    # a trailing * lets a word go on; without it the word must end
    assert Q.suggest("choose-sgd-momentum", "it generalises better") == [0]
    assert Q.suggest("choose-story", "adamw") == [] and Q.suggest("choose-story", "Adam.") == [4]
    # the unicode minus and spacing do not matter
    assert Q.suggest("ewa-bias", "divide by 1 − β^t") == Q.suggest("ewa-bias", "DIVIDE by 1-β^t")
    with pytest.raises(ValueError, match="only explain questions have a rubric"):
        Q.suggest("adam-defaults", "x")
    with pytest.raises(TypeError, match="text must be your answer in words"):
        Q.suggest("ada-stall", None)


@pytest.mark.parametrize("covered, error, match", [
    ([3], ValueError, r"covered must hold rubric point indices in \[0, 2\] for question "
                      r"'ada-stall'; got 3"),
    ([-1], ValueError, r"covered must hold rubric point indices"),
    ([True], ValueError, r"covered must hold rubric point indices"),
    ([0.0], ValueError, r"covered must hold rubric point indices"),
    ([0, 0], ValueError, r"covered names point 0 twice"),
    (2, TypeError, r"covered must be a list of rubric point indices \(0-2\)"),
    ("01", TypeError, r"covered must be a list of rubric point indices"),
])
def test_grade_rejects_bad_ticks(covered, error, match):
    with pytest.raises(error, match=match):
        Q.grade("ada-stall", "It stalls.", covered=covered)


def test_covered_is_for_explain_questions_only():
    with pytest.raises(ValueError, match="covered applies to explain questions only; question "
                                         "'adam-defaults' is a choice question"):
        Q.grade("adam-defaults", 2, covered=[0])


@pytest.mark.parametrize("qid, response, error, match", [
    ("adam-defaults", 7, ValueError, r"response must be a choice index in \[0, 3\], got 7"),
    ("adam-defaults", "maybe", ValueError, r"response must be one of the choices .*got 'maybe'"),
    ("adam-defaults", 1.0, TypeError, r"response must be a choice index \(int\) or a choice text"),
    ("adam-defaults", True, TypeError, r"response must be a choice index"),
    ("ep-50000-128", "three hundred", ValueError, r"response must be a number such as 391"),
    ("ep-50000-128", float("nan"), ValueError, r"response must be a finite number"),
    ("ep-50000-128", "inf", ValueError, r"response must be a finite number"),
    ("ep-50000-128", [391], TypeError, r"response must be a number \(or a text holding one\)"),
    ("ep-50000-128", False, TypeError, r"response must be a number"),
    ("ada-stall", "   ", ValueError, r"response is empty"),
    ("ada-stall", 3, TypeError, r"response must be your answer in words"),
    ("ada-stall", True, TypeError, r"Explain answers are self-assessed: grade\(question, text, "
                                   r"covered=\[0, 2\]\)"),
])
def test_grade_rejects_bad_responses(qid, response, error, match):
    with pytest.raises(error, match=match):
        Q.grade(qid, response)


def test_grade_rejects_bad_questions():
    with pytest.raises(TypeError, match="question must be a question dict or its id"):
        Q.grade(42, 1)
    broken = Q.get_question("adam-parts")
    del broken["answer"]
    with pytest.raises(ValueError, match="field 'answer' is missing"):
        Q.grade(broken, 0)


# ---------------------------------------------------------------------------- quiz widget
def _right(q):
    return {"choice": q.get("answer"), "numeric": q.get("answer"),
            "explain": q.get("model_answer")}[q["kind"]]


def _wrong(q):
    if q["kind"] == "choice":
        return (q["answer"] + 1) % len(q["choices"])
    if q["kind"] == "numeric":
        return q["answer"] + 10 * q["tolerance"] + 1
    return "I am not sure."


def _answer_right(qz):
    """Answer the current question right, as a learner would (explain: tick every point)."""
    q = qz.current
    result = qz.answer(_right(q))
    if q["kind"] == "explain":
        assert not result.correct and qz.answered == 0  # showing the model answer scores nothing
        result = qz.score_answer(range(len(q["rubric"])))
    return result


def test_quiz_right_answer_scores_and_wrong_answer_names_the_right_one():
    qz = Q.quiz("epochs_and_iterations", rng=0)
    assert len(qz) == len(Q.questions("epochs_and_iterations")) and qz.score == 0
    first = qz.current
    result = _answer_right(qz)
    assert result.correct and qz.score == 1 and qz.answered == 1
    assert "Score: <b>1</b> / 1" in qz.controls["score"].value
    assert qz.controls["check"].disabled
    assert qz.answer(_right(first)) is None and qz.score == 1  # no double counting
    assert "Already answered" in qz.controls["feedback"].value
    qz.next()
    while qz.current["kind"] == "explain":
        qz.next()
    second = qz.current
    assert second["id"] != first["id"]
    result = qz.answer(_wrong(second))
    assert not result.correct and qz.score == 1 and qz.answered == 2
    assert result.answer in qz.controls["feedback"].value.replace("&#x27;", "'")
    assert "Score: <b>1</b> / 2" in qz.controls["score"].value


def test_quiz_buttons_read_the_input_widgets():
    qz = Q.quiz(shuffle=False, n=60)
    seen, moved = set(), 0
    while qz.current is not None:
        q = qz.current
        c = qz.controls
        bank = Q.get_question(q["id"])
        if q["kind"] == "choice":
            assert c["choice"].layout.display is None and c["number"].layout.display == "none"
            assert list(c["choice"].options) == q["choices"]
            assert sorted(q["choices"]) == sorted(bank["choices"])
            moved += q["choices"] != bank["choices"]
            # the learner picks the right text where it is shown
            c["choice"].index = q["choices"].index(bank["choices"][bank["answer"]])
        elif q["kind"] == "numeric":
            c["number"].value = str(q["answer"])
        else:
            assert c["check"].description == "Show the model answer"
            c["text"].value = q["model_answer"]
        c["check"].click()
        if q["kind"] == "explain":
            assert c["rubric"].layout.display is None
            assert len(c["points"]) == len(q["rubric"])
            assert not any(box.value for box in c["points"])  # hints never tick
            for box in c["points"]:
                box.value = True
            c["score_answer"].click()
        seen.add(q["kind"])
        c["next"].click()
    assert seen == {"choice", "numeric", "explain"}
    assert moved >= 5  # the choices were shown in another order than stored
    assert qz.score == qz.answered == 60
    assert "You got 60 of 60 right" in qz.controls["question"].value
    assert qz.controls["next"].disabled and qz.controls["check"].disabled


def test_quiz_maps_the_shown_choice_back_to_the_stored_answer():
    """Grading by the shown index: each shown position is right exactly when it holds the
    stored right text; the order is the quiz's rng (same seed, same order)."""
    positions = []
    for seed in range(3):
        qz = Q.quiz("minibatch_sgd", rng=seed, shuffle=False)
        assert [q.get("choices") for q in qz._items] == \
            [q.get("choices") for q in Q.quiz("minibatch_sgd", rng=seed, shuffle=False)._items]
        while qz.current is not None:
            q = qz.current
            if q["kind"] == "choice":
                bank = Q.get_question(q["id"])
                right_text = bank["choices"][bank["answer"]]
                for i, text in enumerate(q["choices"]):
                    assert Q.grade(q, i).correct == (text == right_text)
                positions.append(q["choices"].index(right_text))
                wrong = next(i for i, t in enumerate(q["choices"]) if t != right_text)
                qz.controls["choice"].index = wrong
                qz.controls["check"].click()
                assert not qz.results[-1][1].correct
                assert f"({'ABCD'[positions[-1]]}) {right_text}" in \
                    qz.controls["feedback"].value.replace("&#x27;", "'")
            qz.next()
    assert len(set(positions)) >= 3


def test_shuffle_choices_keeps_the_right_text():
    q = Q.get_question("adam-defaults")
    right = q["choices"][q["answer"]]
    orders = set()
    for seed in range(20):
        shown = Q.shuffle_choices(q, seed)
        assert shown["choices"][shown["answer"]] == right
        assert sorted(shown["choices"]) == sorted(q["choices"])
        orders.add(tuple(shown["choices"]))
    assert len(orders) >= 10
    assert Q.shuffle_choices("ep-50000-128", 0) == Q.get_question("ep-50000-128")
    assert q == Q.get_question("adam-defaults")  # the argument is not changed
    with pytest.raises(TypeError, match="rng must be"):
        Q.shuffle_choices(q, "seed")


def test_quiz_callbacks_never_raise():
    qz = Q.quiz("epochs_and_iterations", shuffle=False)
    assert qz.current["kind"] == "numeric"
    qz.controls["check"].click()  # nothing typed
    assert "Type your answer first" in qz.controls["feedback"].value
    qz.controls["number"].value = "three hundred"
    qz.controls["check"].click()
    assert "response must be a number" in qz.controls["feedback"].value
    assert qz.score == 0 and qz.answered == 0 and not qz.controls["check"].disabled
    qz.controls["number"].value = "391"
    qz.controls["check"].click()
    assert qz.score == 1
    qz.controls["score_answer"].click()  # not an explain question
    assert "Only a revealed explain answer can be scored" in qz.controls["feedback"].value
    assert qz.score == qz.answered == 1


def test_quiz_asks_for_a_choice_before_checking():
    qz = Q.quiz("adam", shuffle=False)
    assert qz.current["kind"] == "choice" and qz.controls["choice"].index is None
    qz.controls["check"].click()
    assert "Pick one of the choices first" in qz.controls["feedback"].value
    assert qz.answered == 0


def test_quiz_explain_write_reveal_tick_score():
    qz = Q.quiz("adagrad", shuffle=False)
    while qz.current["kind"] != "explain":
        qz.next()
    q, c = qz.current, qz.controls
    assert c["rubric"].layout.display == "none" and c["score_answer"].layout.display == "none"
    c["score_answer"].click()  # nothing revealed yet
    assert "press &#x27;Show the model answer&#x27; first" in c["feedback"].value
    c["text"].value = "The sum of squared gradients only grows."
    c["check"].click()
    # the model answer and one unticked box per key point; suggested points are marked
    assert q["model_answer"][:40] in c["feedback"].value.replace("&#x27;", "'")
    assert len(c["points"]) == len(q["rubric"]) == 3
    assert not any(box.value for box in c["points"])
    labels = [row.children[1].value for row in c["rubric"].children[1:]]
    assert ["seems present" in label for label in labels] == [True, False, False]
    assert qz.answered == 0 and qz.score == 0 and c["check"].disabled
    qz.answer("again")
    assert "Tick the key points you covered" in c["feedback"].value
    c["points"][0].value = True
    c["score_answer"].click()
    assert qz.answered == 1 and qz.score == 0 and not qz.results[-1][1].correct
    assert qz.results[-1][1].covered == (0,)
    assert all(box.disabled for box in c["points"]) and c["score_answer"].disabled
    c["score_answer"].click()  # twice does not count twice
    assert qz.answered == 1
    qz.restart(reshuffle=False)
    while qz.current["kind"] != "explain":
        qz.next()
    qz.answer("Because the accumulator only grows, the steps shrink and it stops.")
    for box in qz.controls["points"]:
        box.value = True
    result = qz.score_answer()
    assert result.correct and qz.score == 1 and qz.answered == 1


def test_quiz_chapter_filter_n_and_seed():
    qz = Q.quiz(7, n=3, rng=5)
    ids = [q["id"] for q in qz._items]
    assert len(ids) == 3 and {Q.get_question(i)["chapter"] for i in ids} == {"adagrad"}
    assert [q["id"] for q in Q.quiz("adagrad", n=3, rng=5)._items] == ids
    orders = {tuple(q["id"] for q in Q.quiz(rng=s)._items) for s in range(4)}
    assert len(orders) == 4
    in_bank_order = [q["id"] for q in Q.quiz(7, shuffle=False)._items]
    assert in_bank_order == [q["id"] for q in Q.questions(7)]


def test_quiz_end_and_restart():
    qz = Q.quiz(0, n=2, rng=1)
    before = [q["id"] for q in qz._items]
    _answer_right(qz)
    qz.next()
    qz.next()
    assert qz.current is None
    assert qz.answer(1) is None and "The quiz is over" in qz.controls["feedback"].value
    qz.controls["restart"].click()
    assert qz.score == 0 and qz.answered == 0 and qz.current is not None
    assert sorted(q["id"] for q in qz._items) == sorted(before)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(n=0), ValueError, r"n must be in \[1, \d+\], got 0"),
    (dict(chapter="adam", n=500), ValueError, r"n must be in \[1, \d+\], got 500"),
    (dict(n=2.5), TypeError, r"n must be an integer"),
    (dict(rng=-1), TypeError, r"rng must be a numpy.random.Generator or a non-negative int seed"),
    (dict(shuffle="yes"), TypeError, r"shuffle must be True or False, got 'yes'"),
    (dict(chapter=13), ValueError, r"chapter must be in \[0, 12\], got 13"),
    (dict(topic="lion", chapter=0), ValueError, r"the bank has no questions for chapter 0 and "
                                                r"topic 'lion' yet"),
])
def test_quiz_argument_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        Q.quiz(**kwargs)


def test_quiz_and_cards_display_as_widgets():
    for w in (Q.quiz(1), Q.flashcards(1)):
        bundle = w._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle


# ---------------------------------------------------------------------------- flash cards
def test_flashcards_flip_next_previous():
    cards = Q.flashcards("epochs_and_iterations", shuffle=False)
    q = cards.current
    assert cards.side == "front" and q["question"] in cards.text
    cards.controls["flip"].click()
    assert cards.side == "back"
    assert "391" in cards.text and "391" in cards.controls["card"].value
    assert q["question"] not in cards.text
    cards.controls["next"].click()
    assert cards.side == "front" and cards.current["id"] != q["id"]
    cards.controls["previous"].click()
    cards.controls["previous"].click()
    assert cards.index == len(cards) - 1  # wraps around
    cards.flip()
    cards.flip()
    assert cards.side == "front"


def test_flashcard_back_of_a_choice_card_shows_the_right_text():
    cards = Q.flashcards("adam", shuffle=False)
    while cards.current["id"] != "adam-defaults":
        cards.next()
    assert "A. " in cards.text and "D. " in cards.text
    cards.flip()
    assert "η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8" in cards.text


def test_flashcard_back_of_an_explain_card_shows_the_rubric():
    cards = Q.flashcards("adam", shuffle=False)
    while cards.current["id"] != "adam-bias":
        cards.next()
    q = cards.current
    assert "Key points" not in cards.text
    cards.controls["flip"].click()
    assert cards.text.startswith(q["model_answer"]) and "Key points:" in cards.text
    for i, item in enumerate(q["rubric"]):
        assert f"{i + 1}. {item['point']}" in cards.text
    assert "Key points:" in cards.controls["card"].value


def test_flashcards_shuffle_the_choices_with_their_rng():
    shown = {tuple(Q.flashcards("adam", rng=s, shuffle=False).current["choices"])
             for s in range(6)}
    assert len(shown) >= 3
    assert Q.flashcards("adam", rng=4).current == Q.flashcards("adam", rng=4).current


def test_flashcards_argument_errors():
    with pytest.raises(ValueError, match="chapter must be one of"):
        Q.flashcards("nope")
    with pytest.raises(TypeError, match="rng must be"):
        Q.flashcards(rng="seed")


# ---------------------------------------------------------------------------- formula sheet
def test_formula_sheet_has_every_rule_of_the_notation():
    sheet = Q.formula_sheet()
    # the update rules as written in docs/notation.md
    for rule in ["W ← W − η·dW", "v ← β·v + (1−β)·dW; W ← W − η·v", "s ← s + dW²",
                 "s ← β·s + (1−β)·dW²", "W ← W − η·dW/(√s + ε)", "u ← ρ·u + (1−ρ)·Δ²",
                 "v ← β1·v + (1−β1)·dW", "s ← β2·s + (1−β2)·dW²", "W ← W − η·v̂/(√ŝ + ε)",
                 "v̂ = v/(1−β1^t), ŝ = s/(1−β2^t)", "W ← W·(1 − η·λ)", "max(s)",
                 "ceil(records / batch size)", "1/(1−β)"]:
        assert rule in sheet, rule
    for name in ["Gradient descent", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adadelta",
                 "Adam", "AMSGrad", "AdamW", "NAdam"]:
        assert re.search(rf"^\| {name}", sheet, re.M), name
    adam_row = next(line for line in sheet.splitlines() if line.startswith("| Adam |"))
    assert "η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-08" in adam_row


def _notation_defaults() -> dict[str, dict[str, float]]:
    """The 'course defaults' column of docs/notation.md's Defaults table, as numbers."""
    text = (ROOT / "docs" / "notation.md").read_text(encoding="utf-8")
    table = text.split("## Defaults", 1)[1].split("\n## ", 1)[0]
    symbols = {r"\eta": "η", r"\beta_1": "β1", r"\beta_2": "β2", r"\beta": "β",
               r"\varepsilon": "ε", r"\rho": "ρ", r"\lambda": "λ"}
    out = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or "$" not in cells[1]:
            continue
        like = re.match(r"as (\w+)", cells[1])
        values = dict(out[like.group(1)]) if like else {}
        for sym, val in re.findall(r"\$([^$=]+?)\s*=\s*([^$]+)\$", cells[1]):
            sym = symbols.get(sym.strip(), sym.strip())
            val = re.sub(r"10\^\{(-?\d+)\}", r"1e\1", val.strip())
            values[sym] = float(val)
        for name in cells[0].split(","):
            out[name.strip()] = values
    return out


def test_formula_sheet_defaults_and_conventions_match_the_notation_page():
    sheet = Q.formula_sheet()
    rows = {line.split("|")[1].strip(): line.split("|")[3] for line in sheet.splitlines()
            if line.startswith("| ") and line.count("|") == 4}
    expected = _notation_defaults()
    assert {"momentum", "RMSprop", "Adam", "AdamW", "Adadelta"} <= set(expected)
    titles = {"GD": "Gradient descent", "Nesterov": "Nesterov momentum",
              "momentum": "Momentum", "Adagrad": "Adagrad", "RMSprop": "RMSprop",
              "Adadelta": "Adadelta", "Adam": "Adam", "AMSGrad": "AMSGrad", "NAdam": "NAdam",
              "AdamW": "AdamW"}
    for name, values in expected.items():
        row = rows[titles[name]]
        shown = {k.strip(): float(v) for k, v in
                 (pair.split("=") for pair in row.split(","))}
        for sym, val in values.items():
            assert shown.get(sym) == val, (name, sym, shown)
    for convention in ("Hinton", "d2l", "TensorFlow 1", "Keras 3", "older tf.keras",
                       "except RMSprop with momentum > 0",
                       "`alpha`, whose default there is 0.99",
                       "PyTorch's convention", "ε-hat", "../docs/notation.md"):
        assert convention in sheet, convention
    # every symbol of the rules is defined, in Unicode; no unnamed "lecture" as a source
    for symbol in ("α_t", "u average of squared updates", "λ decoupled weight decay"):
        assert symbol in sheet, symbol
    assert "alpha_t" not in sheet and "lecture" not in sheet
    amsgrad_row = next(line for line in sheet.splitlines() if line.startswith("| AMSGrad |"))
    assert "the paper's AMSGrad has no bias correction" in amsgrad_row


def test_the_question_files_ship_with_the_package():
    """pyproject.toml's package-data covers every bank file (a wheel without them cannot load)."""
    import fnmatch
    import sys
    if sys.version_info < (3, 11):  # pragma: no cover
        pytest.skip("tomllib needs Python 3.11")
    import tomllib
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["course_lib.teaching"]
    assert (ROOT / "course_lib" / "teaching" / "__init__.py").exists()
    for name in FILES:
        assert any(fnmatch.fnmatch(f"questions/{name}", p) for p in patterns), name


def _x_question(**changes):
    q = {"id": "x-clip-norm", "chapter": "interview_prep", "kind": "numeric", "topic": "clipping",
         "question": "A gradient of norm 10 is clipped to norm 1. By what factor is it scaled?",
         "compute": "1 / 10", "tolerance": 1e-9, "explanation": "g·min(1, c/‖g‖) = g·0.1.",
         "experiment": {"notebook": "notebooks/11_interview_prep.ipynb",
                        "section": "Gradient clipping"}}
    q.update(changes)
    return q


def test_bank_files_are_checked_by_name_and_chapter():
    good = {"format": 2, "questions": [_x_question()]}
    for name in ("11_interview_prep.json", "11_interview_prep_a.json"):
        (q,) = Q._check_file(name, copy.deepcopy(good))
        assert q["answer"] == pytest.approx(0.1) and Q.topic_of(q) == "clipping"
    for name in ("11_interview.json", "09_interview_prep.json", "interview_prep.json",
                 "12_scale.json", "11_interview_prepx.json"):
        with pytest.raises(ValueError, match=rf"question file '{name}': the name must be "
                                             r"NN_<chapter>.json"):
            Q._check_file(name, good)
    with pytest.raises(ValueError, match=r"question file '09_adam.json': question 'x-clip-norm' "
                                         r"has chapter 'interview_prep'; this file holds "
                                         r"chapter 'adam' only"):
        Q._check_file("09_adam.json", good)
    no_section = {"format": 2, "questions": [_x_question()]}
    del no_section["questions"][0]["experiment"]
    with pytest.raises(ValueError, match=r"question file '11_interview_prep.json': question "
                                         r"'x-clip-norm' has no field 'experiment'"):
        Q._check_file("11_interview_prep.json", no_section)
    assert Q.validate_bank(no_section)  # optional for a question built outside the bank
    with pytest.raises(ValueError, match=r"question file '11_interview_prep_a.json' must hold "
                                         r"\{\"format\": 2"):
        Q._check_file("11_interview_prep_a.json", {"format": 1, "questions": []})
    with pytest.raises(ValueError, match=r"question file '11_interview_prep_a.json': question "
                                         r"'x-clip-norm': field 'compute': .*unknown name 'g'"):
        Q._check_file("11_interview_prep_a.json",
                      {"format": 2, "questions": [_x_question(compute="1 / g")]})


def test_grade_refuses_a_0d_array_for_covered():
    # a 0-d array has __iter__ yet cannot be iterated: before, a raw "iteration over a 0-d array"
    q = next(x for x in Q.load_questions() if x["kind"] == "explain")
    with pytest.raises(TypeError, match=r"covered must be a list of rubric point indices"):
        Q.grade(q, "x", covered=np.array(1))
    assert Q.grade(q, "x", covered=np.array([0])).covered == (0,)


def test_validate_bank_names_its_argument():
    # before: "the bank's questions must be a list, got str", naming no argument
    with pytest.raises(TypeError, match=r"^data is not a valid question bank: .*must be a list"):
        Q.validate_bank("x")
    with pytest.raises(ValueError, match=r"^data is not a valid question bank: question #0"):
        Q.validate_bank([None])
