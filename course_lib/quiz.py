"""Interview prep: the question bank, grading, a quiz widget, flash cards and a formula sheet.

The questions live in ``course_lib/teaching/questions/NN_<chapter>.json`` (one or more files per
chapter, e.g. ``11_interview_prep_a.json``), each ``{"format": 2, "questions": [...]}``, one
record per question:

=============  ==================================================================================
field          meaning
=============  ==================================================================================
id             unique name, lower case, digits, ``-`` and ``_`` (``"ep-50000-128"``)
chapter        a chapter id from :data:`CHAPTERS` (``"adam"``); the file's chapter
kind           ``"choice"``, ``"numeric"`` or ``"explain"``
question       the question text
choices        (choice) two or more distinct answer texts, shuffled at display
answer         (choice) index of the right choice; (numeric) filled in from ``compute``
compute        (numeric) the answer as arithmetic, evaluated by :func:`evaluate` (``"ceil(50000
               / 128)"``); old questions may type ``answer`` instead
tolerance      (numeric) accepted absolute error, >= 0
model_answer   (explain) what a good spoken answer says, 2-5 sentences
rubric         (explain) 2-5 key points ``{"point": "...", "hint": "a|b|c"}``; the learner ticks
               the points they covered; the hint only *suggests* which ones seem present
explanation    why the answer is right (shown after every answer)
topic          optional, one of :data:`TOPICS`; a question without one has its chapter as topic
experiment     ``{"notebook": "notebooks/09_adam.ipynb", "section": "<a ## or ### heading>"}``:
               where the answer is shown (required in the bank's files)
tags           optional list of words, e.g. ``["lecture"]`` for the lecture's own questions
=============  ==================================================================================

:func:`load_questions` validates the whole bank with :func:`validate_bank`, so a question with a
missing answer, a duplicate id or an unknown chapter fails loudly instead of confusing a learner.

>>> q = questions("epochs_and_iterations")[0]
>>> q["question"]
'50,000 records, batch size 128. How many iterations per epoch (keep the smaller last batch)?'
>>> q["compute"], q["answer"]
('ceil(50000 / 128)', 391.0)
>>> grade(q, 391).correct, grade(q, "390").correct
(True, False)

Explain questions are self-assessed: :func:`grade` never marks one right from the text alone.

>>> g = grade("ada-stall", "The sum of squared gradients only grows.")
>>> g.correct, g.covered, len(g.rubric) >= 2
(False, None, True)
>>> grade("ada-stall", "The sum only grows.", covered=range(len(g.rubric))).correct
True

Widgets (:func:`quiz`, :func:`flashcards`) import ipywidgets only when called.
"""
from __future__ import annotations

import ast
import copy
import difflib
import functools
import json
import math
import numbers
import operator
import re
from importlib import resources
from typing import NamedTuple

from ._validate import _show, check_choice, check_number, check_rng
from .teaching._controls import esc as _esc
from .teaching._controls import feedback_html, read_answer_input, rubric_rows, show_answer_input
from .teaching._controls import safe as _safe

__all__ = [
    "CHAPTERS", "TOPICS", "INTERVIEW_TOPICS", "KINDS", "FUNCTIONS", "PASS_SHARE", "Grade",
    "chapter_id", "notebook_of", "topic_of", "evaluate", "suggest", "validate_bank",
    "load_questions", "questions", "get_question", "grade", "shuffle_choices", "quiz",
    "flashcards", "formula_sheet", "Quiz", "Flashcards",
    # the spaced-repetition review and the progress file (course_lib.teaching), re-exported here
    # so that a learner needs one import
    "review", "Review", "progress", "record_attempt", "mastery", "mock_interview",
]

#: Chapter ids, in course order: ``CHAPTERS[9] == "adam"``, ``CHAPTERS[11] == "interview_prep"``,
#: ``CHAPTERS[12] == "optimizers_at_scale"``.
CHAPTERS = (
    "introduction", "gradient_descent", "sgd", "minibatch_sgd", "epochs_and_iterations",
    "exponentially_weighted_average", "momentum", "adagrad", "rmsprop_adadelta", "adam",
    "choosing_an_optimizer", "interview_prep", "optimizers_at_scale",
)
#: Interview topics no single chapter owns (the questions of chapters 11 and 12 name them).
INTERVIEW_TOPICS = (
    "clipping", "batch_size", "second_order", "saddles", "sharp_flat", "optimizer_memory",
    "lr_range_test", "warmup", "lars_lamb", "lion",
)
#: Every topic a question can have: the chapter ids, then the interview topics.
TOPICS = CHAPTERS + INTERVIEW_TOPICS
KINDS = ("choice", "numeric", "explain")
#: An explain answer counts as right when the learner ticks this share of its rubric points:
#: all of them (a rubric holds only the 2-5 ideas a good answer cannot leave out).
PASS_SHARE = 1.0

_COMMON = ("id", "chapter", "kind", "question", "explanation")
_OPTIONAL = ("experiment", "tags", "topic")
_BY_KIND = {
    "choice": ("choices", "answer"),
    "numeric": ("compute", "tolerance"),
    "explain": ("model_answer", "rubric"),
}
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_FILE = re.compile(r"(\d\d)_([a-z0-9_]+)\.json\Z")


def notebook_of(chapter) -> str:
    """The notebook file of a chapter, ``notebooks/NN_<id>.ipynb``.

    >>> notebook_of(9), notebook_of("interview_prep")
    ('notebooks/09_adam.ipynb', 'notebooks/11_interview_prep.ipynb')
    """
    cid = chapter_id(chapter)
    return f"notebooks/{CHAPTERS.index(cid):02d}_{cid}.ipynb"


def chapter_id(chapter) -> str:
    """Turn a chapter number (0-12) or id string into the id string.

    >>> chapter_id(4), chapter_id("adam"), chapter_id(11), chapter_id(12)
    ('epochs_and_iterations', 'adam', 'interview_prep', 'optimizers_at_scale')
    """
    if isinstance(chapter, str):
        return check_choice("chapter", chapter, CHAPTERS)
    if isinstance(chapter, numbers.Integral) and not isinstance(chapter, bool):
        return CHAPTERS[check_number("chapter", chapter, low=0, high=len(CHAPTERS) - 1,
                                     integer=True)]
    raise TypeError(f"chapter must be a chapter number 0-{len(CHAPTERS) - 1} or one of "
                    f"{', '.join(map(repr, CHAPTERS))}; got {_show(chapter)} "
                    f"of type {type(chapter).__name__}")


def topic_of(question) -> str:
    """The topic of a question (dict or id): its ``topic`` field, else its chapter.

    >>> topic_of("adam-bias")
    'adam'
    """
    if isinstance(question, str):
        question = get_question(question)
    if not isinstance(question, dict) or "chapter" not in question:
        raise TypeError(f"question must be a question dict or its id, got {_show(question)}")
    return question.get("topic", question["chapter"])


# --------------------------------------------------------------------------------------------
# The arithmetic of numeric answers
def _fn(f, low, high):
    return f, low, high


#: The functions a ``compute`` expression may call: name -> (function, min args, max args).
FUNCTIONS = {
    "sqrt": _fn(math.sqrt, 1, 1), "log": _fn(math.log, 1, 2), "log2": _fn(math.log2, 1, 1),
    "log10": _fn(math.log10, 1, 1), "exp": _fn(math.exp, 1, 1), "ceil": _fn(math.ceil, 1, 1),
    "floor": _fn(math.floor, 1, 1), "min": _fn(min, 2, None), "max": _fn(max, 2, None),
    "abs": _fn(abs, 1, 1), "round": _fn(round, 1, 2),
}
_CONSTANTS = {"pi": math.pi, "e": math.e}
_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
           ast.Pow: operator.pow}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_MAX_CHARS = 500        # longer is not arithmetic a learner reads, and deep nesting is refused
_MAX_EXPONENT = 10_000  # |p| in x ** p
_MAX_MAGNITUDE = 1e30   # every intermediate value, |x| <= this (bytes of a 1e12-weight model:
#                         1.6e13; a training run's FLOPs: 1e25)


def evaluate(expression: str) -> float:
    """Evaluate the arithmetic of a numeric question's ``compute`` field, safely.

    Allowed: numbers (``1e-8``), ``+ - * / // % **``, parentheses, the functions of
    :data:`FUNCTIONS` (sqrt, log, log2, log10, exp, ceil, floor, min, max, abs, round) and the
    constants ``pi`` and ``e``. Nothing else: no names, attributes, indexing, keywords, strings,
    comparisons. Exponents are limited to ``|p| <= 10,000`` and every value to ``|x| <= 1e30``.

    Raises
    ------
    ValueError
        Naming the piece of the expression that is not allowed or cannot be computed.

    >>> evaluate("ceil(50000 / 128)"), evaluate("1 / (1 - 0.9 ** 10)") > 1.5
    (391.0, True)
    >>> evaluate("__import__('os')")
    Traceback (most recent call last):
    ...
    ValueError: expression "__import__('os')": unknown function '__import__' in
    "__import__('os')"; allowed: sqrt, log, log2, log10, exp, ceil, floor, min, max, abs, round
    """
    if not isinstance(expression, str):
        raise TypeError(f"expression must be a text such as 'ceil(50000 / 128)', got "
                        f"{_show(expression)} of type {type(expression).__name__}")
    text = expression.strip()
    head = f"expression {_quote(text)}"
    if not text:
        raise ValueError("expression is empty: write the arithmetic, e.g. 'ceil(50000 / 128)'")
    if len(text) > _MAX_CHARS:
        raise ValueError(f"{head[:80]}...: {len(text)} characters; at most {_MAX_CHARS} allowed")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        raise ValueError(f"{head}: not valid arithmetic ({err.msg})") from None
    except (RecursionError, MemoryError):  # pragma: no cover - guarded by the length cap
        raise ValueError(f"{head}: nested too deeply") from None
    value = _Arith(text, head).visit(tree.body)
    return float(value)


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False) if "'" in text else f"'{text}'"


class _Arith:
    def __init__(self, text, head):
        self.text, self.head = text, head

    def fail(self, node, reason, allowed=""):
        piece = ast.get_source_segment(self.text, node) or type(node).__name__
        raise ValueError(f"{self.head}: {reason} in {_quote(piece)}{allowed}")

    def checked(self, node, value):
        if isinstance(value, complex) or not math.isfinite(value) \
                or abs(value) > _MAX_MAGNITUDE:
            shown = "a complex number" if isinstance(value, complex) else f"{value:g}"
            self.fail(node, f"the value is {shown}; allowed: finite real numbers of size at "
                            f"most {_MAX_MAGNITUDE:g}")
        return value

    def visit(self, node):
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.fail(node, f"{_show(value)} is not a number")
            if isinstance(value, int) and abs(value) > _MAX_MAGNITUDE:
                self.fail(node, f"numbers must be at most {_MAX_MAGNITUDE:g} in size")
            return self.checked(node, float(value))
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left, right = self.visit(node.left), self.visit(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > _MAX_EXPONENT:
                self.fail(node, f"the exponent {right:g} is too large (|p| <= "
                                f"{_MAX_EXPONENT:,} allowed)")
            try:
                value = _BINOPS[type(node.op)](left, right)
            except ZeroDivisionError:
                self.fail(node, "division by zero")
            except OverflowError:
                self.fail(node, "the value overflows")
            return self.checked(node, value)
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return _UNARY[type(node.op)](self.visit(node.operand))
        if isinstance(node, ast.Name):
            if node.id in _CONSTANTS:
                return _CONSTANTS[node.id]
            if node.id in FUNCTIONS:
                self.fail(node, f"the function {node.id!r} needs parentheses, e.g. "
                                f"{node.id}(2)")
            self.fail(node, f"unknown name {node.id!r}", "; allowed constants: pi, e")
        if isinstance(node, ast.Call):
            return self.call(node)
        what = {ast.Attribute: "attribute access", ast.Subscript: "indexing",
                ast.Compare: "a comparison", ast.BoolOp: "and/or", ast.Lambda: "a lambda",
                ast.IfExp: "if/else"}.get(type(node), f"{type(node).__name__}")
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            what = f"the operator {type(node.op).__name__}"
        self.fail(node, f"{what} is not allowed", f"; allowed: numbers, + - * / // % **, "
                        f"parentheses and the functions {', '.join(FUNCTIONS)}")

    def call(self, node):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            label = repr(name) if name else "called on an expression"
            self.fail(node, f"unknown function {label}", f"; allowed: {', '.join(FUNCTIONS)}")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            self.fail(node, f"{name}() takes plain arguments only")
        f, low, high = FUNCTIONS[name]
        if len(node.args) < low or (high is not None and len(node.args) > high):
            count = f"{low}" if low == high else (f"{low} or more" if high is None
                                                   else f"{low} to {high}")
            self.fail(node, f"{name}() takes {count} argument(s), got {len(node.args)}")
        args = [self.visit(a) for a in node.args]
        if name == "round" and len(args) == 2:
            if not float(args[1]).is_integer():
                self.fail(node, "round()'s digits must be a whole number")
            args[1] = int(args[1])
        try:
            value = f(*args)
        except (ValueError, OverflowError) as err:
            self.fail(node, f"{name}() cannot be computed here ({err})")
        return self.checked(node, float(value))


# --------------------------------------------------------------------------------------------
# Validation of the bank
def validate_bank(data) -> list[dict]:
    """Check every question of a bank and return them as a list of dicts.

    Parameters
    ----------
    data : dict or list
        ``{"format": 2, "questions": [...]}`` as stored in one file of
        ``course_lib/teaching/questions/``, or the list of questions itself.

    Returns
    -------
    list of dict
        Deep copies of the questions, in bank order; numeric questions with ``compute`` get
        their ``answer`` filled in.

    Raises
    ------
    ValueError
        Naming the question id (or its position when the id is missing) and the bad field:
        missing or unknown field, duplicate id, unknown chapter, topic or kind, answer index out
        of range, a ``compute`` that is not allowed arithmetic, negative tolerance, a rubric of
        the wrong size, empty text, ...
    """
    try:
        return _validate_bank(data)
    except (TypeError, ValueError) as err:  # name the argument: the learner may pass their own
        raise type(err)(f"data is not a valid question bank: {err}") from None


def _validate_bank(data) -> list[dict]:
    """:func:`validate_bank` without the "data is not ..." prefix (for the course's own files)."""
    if isinstance(data, dict):
        if "questions" not in data:
            raise ValueError("the bank must have a 'questions' list; found keys "
                             f"{sorted(data)}")
        if data.get("format", 2) != 2:
            raise ValueError(f"the bank's 'format' must be 2 (see course_lib/quiz.py), "
                             f"got {_show(data['format'])}")
        items = data["questions"]
    else:
        items = data
    if not isinstance(items, list):
        raise TypeError(f"the bank's questions must be a list, got {type(items).__name__}")
    seen: dict[str, int] = {}
    out = []
    for pos, question in enumerate(items):
        question = _check_question(question, pos)
        if question["id"] in seen:
            first = seen[question["id"]]
            raise ValueError(f"question {question['id']!r}: duplicate id (questions #{first} "
                             f"and #{pos} share it)")
        seen[question["id"]] = pos
        out.append(question)
    return out


def _check_question(question, pos: int) -> dict:
    if not isinstance(question, dict):
        raise ValueError(f"question #{pos} must be an object with fields id, chapter, kind, ...; "
                         f"got {_show(question)}")
    qid = question.get("id")
    if not isinstance(qid, str) or not _ID.match(qid):
        what = ("is missing" if qid is None
                else f"must be lower-case letters, digits, - or _; got {_show(qid)}")
        raise ValueError(f"question #{pos}: field 'id' {what}")
    where = f"question {qid!r}"
    kind = question.get("kind")
    if kind not in KINDS:
        got = ("is missing" if kind is None
               else f"must be one of {', '.join(map(repr, KINDS))}; got {_show(kind)}")
        raise ValueError(f"{where}: field 'kind' {got}")
    required = _COMMON + _BY_KIND[kind]
    allowed = required + _OPTIONAL + (("answer",) if kind == "numeric" else ())
    for field in question:
        if field not in allowed:
            close = difflib.get_close_matches(str(field), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            extra = (" (explain questions are self-assessed: 'keywords' became 'rubric', a list "
                     "of {'point': ..., 'hint': ...})" if field == "keywords" else "")
            raise ValueError(f"{where}: unknown field {field!r}{hint} for a {kind} question; "
                             f"allowed: {', '.join(allowed)}{extra}")
    for field in required:
        if field in question or (kind == "numeric" and field == "compute"
                                 and "answer" in question):
            continue
        raise ValueError(f"{where}: field {field!r} is missing (a {kind} question needs "
                         f"{', '.join(required)})")
    if question["chapter"] not in CHAPTERS:
        close = difflib.get_close_matches(str(question["chapter"]), CHAPTERS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"{where}: field 'chapter' has unknown chapter "
                         f"{_show(question['chapter'])}{hint}; allowed: {', '.join(CHAPTERS)}")
    if "topic" in question and question["topic"] not in TOPICS:
        close = difflib.get_close_matches(str(question["topic"]), TOPICS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"{where}: field 'topic' has unknown topic {_show(question['topic'])}"
                         f"{hint}; allowed: {', '.join(TOPICS)}")
    for field in ("question", "explanation") + (("model_answer",) if kind == "explain" else ()):
        _check_text(where, field, question[field])
    question = copy.deepcopy(question)
    _KIND_CHECKS[kind](where, question)
    if "experiment" in question:
        _check_experiment(where, question["experiment"])
    if "tags" in question:
        _check_texts(where, "tags", question["tags"], minimum=1)
    return question


def _check_text(where, field, value):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: field {field!r} must be a non-empty text, got {_show(value)}")


def _check_texts(where, field, value, *, minimum):
    if not isinstance(value, list) or len(value) < minimum:
        raise ValueError(f"{where}: field {field!r} must be a list of at least {minimum} texts, "
                         f"got {_show(value)}")
    for item in value:
        _check_text(where, field, item)


def _is_real(value) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(value))


def _check_choice_question(where, q):
    _check_texts(where, "choices", q["choices"], minimum=2)
    texts = [c.strip().casefold() for c in q["choices"]]
    if len(set(texts)) != len(texts):
        raise ValueError(f"{where}: field 'choices' has two equal choices: {_show(q['choices'])}")
    answer, n = q["answer"], len(q["choices"])
    if isinstance(answer, bool) or not isinstance(answer, numbers.Integral) \
            or not 0 <= answer < n:
        raise ValueError(f"{where}: field 'answer' must be an index of the choices, an integer in "
                         f"[0, {n - 1}]; got {_show(answer)}")


def _check_numeric_question(where, q):
    if "compute" in q:
        try:
            value = evaluate(q["compute"])
        except (TypeError, ValueError) as err:
            raise ValueError(f"{where}: field 'compute': {err}") from None
        if "answer" in q and not (_is_real(q["answer"])
                                  and abs(q["answer"] - value) <= 1e-12 * max(1, abs(value))):
            raise ValueError(f"{where}: field 'answer' {_show(q['answer'])} disagrees with "
                             f"'compute' {q['compute']!r} = {value!r}; do not type the answer "
                             f"of a computed question (the loader fills it in)")
        q["answer"] = value
    elif not _is_real(q["answer"]):
        raise ValueError(f"{where}: field 'answer' must be a finite number, "
                         f"got {_show(q['answer'])}")
    tol = q["tolerance"]
    if not _is_real(tol) or tol < 0:
        raise ValueError(f"{where}: field 'tolerance' must be a finite number >= 0, "
                         f"got {_show(tol)}")


def _check_explain_question(where, q):
    rubric = q["rubric"]
    if not isinstance(rubric, list) or not 2 <= len(rubric) <= 5:
        raise ValueError(f"{where}: field 'rubric' must be a list of 2-5 key points "
                         f"{{'point': ..., 'hint': ...}}, got {_show(rubric)}")
    for i, item in enumerate(rubric):
        label = f"rubric[{i}]"
        if not isinstance(item, dict) or set(item) != {"point", "hint"}:
            raise ValueError(f"{where}: field {label!r} must be {{'point': <a key idea>, "
                             f"'hint': <words a|b|c>}}, got {_show(item)}")
        _check_text(where, f"{label}.point", item["point"])
        _check_text(where, f"{label}.hint", item["hint"])
        for alt in item["hint"].split("|"):
            core = alt.strip().removesuffix("*").strip()
            if not core or "*" in core:
                raise ValueError(f"{where}: field '{label}.hint' has an empty alternative or a "
                                 f"misplaced '*' in {item['hint']!r} (alternatives are words "
                                 f"or phrases separated by |; a trailing * matches word "
                                 f"starts, e.g. 'generali*')")


_KIND_CHECKS = {"choice": _check_choice_question, "numeric": _check_numeric_question,
                "explain": _check_explain_question}


def _check_experiment(where, exp):
    if not isinstance(exp, dict) or set(exp) != {"notebook", "section"}:
        raise ValueError(f"{where}: field 'experiment' must be "
                         f"{{'notebook': ..., 'section': ...}}, got {_show(exp)}")
    notebooks = [notebook_of(c) for c in CHAPTERS]
    if exp["notebook"] not in notebooks:
        raise ValueError(f"{where}: field 'experiment' names an unknown notebook "
                         f"{_show(exp['notebook'])}; allowed: notebooks/NN_<chapter>.ipynb such as "
                         f"{notebooks[9]!r}")
    _check_text(where, "experiment.section", exp["section"])


def _check_file(name: str, data) -> list[dict]:
    """Validate one bank file: its name ``NN_<chapter>[_<part>].json`` and its questions."""
    match = _FILE.match(name)
    cid = None
    if match:
        number = int(match.group(1))
        if number < len(CHAPTERS):
            cid = CHAPTERS[number]
            rest = match.group(2)
            if not (rest == cid or rest.startswith(cid + "_")):
                cid = None
    if cid is None:
        raise ValueError(f"question file {name!r}: the name must be NN_<chapter>.json or "
                         f"NN_<chapter>_<part>.json with NN the chapter's number, e.g. "
                         f"'09_adam.json' or '11_interview_prep_a.json'")
    if not isinstance(data, dict) or data.get("format") != 2:
        raise ValueError(f"question file {name!r} must hold {{\"format\": 2, \"questions\": "
                         f"[...]}}; got {_show(data)}")
    try:
        bank = _validate_bank(data)
    except (TypeError, ValueError) as err:
        raise ValueError(f"question file {name!r}: {err}") from None
    for q in bank:
        if q["chapter"] != cid:
            raise ValueError(f"question file {name!r}: question {q['id']!r} has chapter "
                             f"{q['chapter']!r}; this file holds chapter {cid!r} only")
        if "experiment" not in q:
            raise ValueError(f"question file {name!r}: question {q['id']!r} has no field "
                             f"'experiment'; every question of the bank names the notebook "
                             f"section that shows its answer")
    return bank


# --------------------------------------------------------------------------------------------
# Access
def _bank_files() -> list:
    folder = resources.files("course_lib.teaching").joinpath("questions")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".json")),
                  key=lambda f: f.name)


@functools.lru_cache(maxsize=1)
def _bank() -> tuple:
    every: list[dict] = []
    for f in _bank_files():
        every += _check_file(f.name, json.loads(f.read_text(encoding="utf-8")))
    return tuple(_validate_bank(every))


def load_questions() -> list[dict]:
    """Every question of the bank, validated (copies: changing them changes nothing else).

    >>> len(load_questions()) >= 90
    True
    """
    return copy.deepcopy(list(_bank()))


def questions(chapter=None, *, topic=None) -> list[dict]:
    """The questions of one chapter (number 0-12 or id) and/or one topic, in bank order.

    >>> {q["chapter"] for q in questions(9)}
    {'adam'}
    >>> {topic_of(q) for q in questions(topic="momentum")}
    {'momentum'}
    """
    bank = load_questions()
    if chapter is not None:
        cid = chapter_id(chapter)
        bank = [q for q in bank if q["chapter"] == cid]
    if topic is not None:
        check_choice("topic", topic, TOPICS)
        bank = [q for q in bank if topic_of(q) == topic]
    return bank


def get_question(qid: str) -> dict:
    """One question by id (a copy)."""
    if not isinstance(qid, str):
        raise TypeError(f"qid must be a question id (a string), got {_show(qid)}")
    by_id = {q["id"]: q for q in _bank()}
    if qid not in by_id:
        close = difflib.get_close_matches(qid, list(by_id), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"qid {qid!r} is not in the question bank{hint}")
    return copy.deepcopy(by_id[qid])


def shuffle_choices(question, rng) -> dict:
    """A copy of a choice question with its choices in a random order and ``answer`` moved along.

    Other kinds come back unchanged (a copy). The quiz and the flash cards show every choice
    question this way, so the stored position of the right choice tells the learner nothing.

    >>> q = shuffle_choices("adam-defaults", 0)
    >>> q["choices"][q["answer"]]
    'η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8'
    """
    q = _as_question(question)
    rng = check_rng("rng", rng)
    if q["kind"] == "choice":
        order = [int(i) for i in rng.permutation(len(q["choices"]))]
        q["choices"] = [q["choices"][i] for i in order]
        q["answer"] = order.index(q["answer"])
    return q


def _as_question(question) -> dict:
    if isinstance(question, str):
        return get_question(question)
    if isinstance(question, dict):
        return _check_question(question, 0)
    raise TypeError(f"question must be a question dict or its id, got {_show(question)}")


# --------------------------------------------------------------------------------------------
# Grading
class Grade(NamedTuple):
    """The result of :func:`grade`.

    ``correct`` is True or False; ``feedback`` is the text shown to the learner (it always names
    the right answer when the response was wrong); ``answer`` is the right answer as text.
    Explain questions also fill ``rubric`` (the key points, texts), ``suggested`` (indices of
    the points the hints find in the text: a suggestion only), ``covered`` (the indices the
    learner ticked; None until they tick) and ``score`` (the share of points ticked; None until
    then). For choice and numeric questions ``score`` is 1.0 or 0.0.
    """
    correct: bool
    feedback: str
    answer: str
    rubric: tuple = ()
    suggested: tuple = ()
    covered: tuple | None = None
    score: float | None = None


def grade(question, response, *, covered=None) -> Grade:
    """Grade one response.

    Parameters
    ----------
    question : dict or str
        A question from the bank, or its id.
    response
        choice: the index of a choice (in the question's own order) or its text (case and
        surrounding spaces ignored);
        numeric: a number, or a text such as ``"391"``, ``"50,000"`` or ``"1e-8"``; right when
        within the question's tolerance;
        explain: the answer in words (non-empty).
    covered : iterable of int or None
        Explain questions only: the indices of the rubric points the learner ticked after
        reading the model answer. None (not ticked yet) never counts as right: the grade then
        lists the rubric, with the points the hints suggest, and asks for the ticks. With
        ticks, the answer is right when the share ticked reaches :data:`PASS_SHARE` (all).
        Hints never tick anything.

    Returns
    -------
    Grade
        ``(correct, feedback, answer, rubric, suggested, covered, score)``.

    >>> g = grade("ewa-v2-corrected", 10)
    >>> g.correct, g.answer
    (True, '10')
    >>> grade("ewa-v2-corrected", 7.5).feedback.startswith("Not quite: the answer is 10")
    True
    """
    question = _as_question(question)
    if question["kind"] == "explain":
        return _grade_explain(question, response, covered)
    if covered is not None:
        raise ValueError(f"covered applies to explain questions only; question "
                         f"{question['id']!r} is a {question['kind']} question")
    return _GRADERS[question["kind"]](question, response)


def _letter(i: int) -> str:
    return "ABCDEFGHIJ"[i] if i < 10 else str(i)


def _answer_text(q) -> str:
    if q["kind"] == "choice":
        return f"({_letter(q['answer'])}) {q['choices'][q['answer']]}"
    if q["kind"] == "numeric":
        return _fmt(q["answer"])
    return q["model_answer"]


def _fmt(x) -> str:
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:.6g}"


def _grade_choice(q, response) -> Grade:
    n = len(q["choices"])
    if isinstance(response, str):
        texts = [c.strip().casefold() for c in q["choices"]]
        key = response.strip().casefold()
        if key not in texts:
            raise ValueError(f"response must be one of the choices "
                             f"{', '.join(map(repr, q['choices']))} or their index 0-{n - 1}; "
                             f"got {_show(response)}")
        index = texts.index(key)
    elif isinstance(response, numbers.Integral) and not isinstance(response, bool):
        if not 0 <= response < n:
            raise ValueError(f"response must be a choice index in [0, {n - 1}], got {response}")
        index = int(response)
    else:
        raise TypeError(f"response must be a choice index (int) or a choice text, "
                        f"got {_show(response)} of type {type(response).__name__}")
    right = index == q["answer"]
    return _result(q, right, "")


def _parse_number(response) -> float:
    if isinstance(response, str):
        text = response.strip().replace(",", "").replace("_", "").replace(" ", "")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"response must be a number such as 391 or 0.001, "
                             f"got {_show(response)}") from None
    elif isinstance(response, numbers.Real) and not isinstance(response, bool):
        value = float(response)
    else:
        raise TypeError(f"response must be a number (or a text holding one), got "
                        f"{_show(response)} of type {type(response).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"response must be a finite number, got {_show(response)}")
    return value


def _grade_numeric(q, response) -> Grade:
    value = _parse_number(response)
    right = abs(value - q["answer"]) <= q["tolerance"] * (1 + 1e-12) + 1e-12 * abs(q["answer"])
    return _result(q, right, f" (you gave {_fmt(value)})")


def _normalise(text: str) -> str:
    return " ".join(text.replace("−", "-").replace("–", "-").split()).casefold()


def _hint_pattern(alt: str) -> re.Pattern:
    alt = _normalise(alt)
    prefix = alt.endswith("*")
    core = re.escape(alt.removesuffix("*").strip())
    # whole words only: not inside a word, and a number is not the start of a longer one
    # ("0" does not match "0.9" or "10"); a trailing * lets the word go on ("generali*")
    tail = "" if prefix else r"(?!\w|[.,]\d)"
    return re.compile(r"(?<![\w.])" + core + tail)


def suggest(question, text: str) -> list[int]:
    """Indices of the rubric points whose hint words appear in ``text`` (whole words only).

    A suggestion for the learner's self-assessment, never a grade: :func:`grade` does not use
    it to score, and the quiz shows it as "seems present" next to an unticked box.

    >>> suggest("ada-stall", "The sum of squared gradients only grows, so the rate shrinks.")
    [0, 1]
    """
    q = _as_question(question)
    if q["kind"] != "explain":
        raise ValueError(f"question {q['id']!r} is a {q['kind']} question; only explain "
                         f"questions have a rubric")
    if not isinstance(text, str):
        raise TypeError(f"text must be your answer in words, got {_show(text)} of type "
                        f"{type(text).__name__}")
    norm = _normalise(text)
    return [i for i, item in enumerate(q["rubric"])
            if any(_hint_pattern(alt).search(norm) for alt in item["hint"].split("|"))]


def _check_covered(q, covered) -> tuple:
    n = len(q["rubric"])
    if isinstance(covered, (str, bytes, numbers.Number)) or not hasattr(covered, "__iter__") \
            or getattr(covered, "ndim", None) == 0:  # a 0-d array has __iter__ but cannot iterate
        raise TypeError(f"covered must be a list of rubric point indices (0-{n - 1}), e.g. "
                        f"[0, 2]; got {_show(covered)}")
    out = []
    for i in covered:
        if isinstance(i, bool) or not isinstance(i, numbers.Integral) or not 0 <= i < n:
            raise ValueError(f"covered must hold rubric point indices in [0, {n - 1}] for "
                             f"question {q['id']!r}; got {_show(i)}")
        if int(i) in out:
            raise ValueError(f"covered names point {int(i)} twice; tick each point once")
        out.append(int(i))
    return tuple(sorted(out))


def _rubric_lines(q, suggested=(), covered=None) -> str:
    lines = []
    for i, item in enumerate(q["rubric"]):
        box = "" if covered is None else ("[x] " if i in covered else "[ ] ")
        seems = " (seems present)" if i in suggested and covered is None else ""
        lines.append(f"{i + 1}. {box}{item['point']}{seems}")
    return "\n".join(lines)


def _grade_explain(q, response, covered) -> Grade:
    if isinstance(response, bool) or not isinstance(response, str):
        raise TypeError(f"response must be your answer in words (a text); got "
                        f"{_show(response)} of type {type(response).__name__}. Explain answers "
                        f"are self-assessed: grade(question, text, covered=[0, 2]) with the "
                        f"indices of the rubric points you covered")
    if not response.strip():
        raise ValueError("response is empty: write your answer in words first")
    suggested = tuple(suggest(q, response))
    rubric = tuple(item["point"] for item in q["rubric"])
    model = f"Model answer: {q['model_answer']}"
    if covered is None:
        head = ("Not scored yet: compare your answer with the model answer and tick the key "
                "points you covered (the hints only suggest which seem present).")
        return Grade(False, f"{head}\n{model}\nKey points:\n{_rubric_lines(q, suggested)}",
                     _answer_text(q), rubric, suggested, None, None)
    covered = _check_covered(q, covered)
    share = len(covered) / len(rubric)
    right = share >= PASS_SHARE - 1e-12
    missed = [rubric[i] for i in range(len(rubric)) if i not in covered]
    head = (f"Right (self-assessed): you covered all {len(rubric)} key points." if right else
            f"Not yet (self-assessed): you covered {len(covered)} of {len(rubric)} key points. "
            f"Missed: {'; '.join(missed)}")
    return Grade(right, f"{head}\n{model}\n{q['explanation']}", _answer_text(q), rubric,
                 suggested, covered, share)


def _result(q, right: bool, gave: str) -> Grade:
    answer = _answer_text(q)
    head = "Correct." if right else f"Not quite: the answer is {answer}{gave}."
    return Grade(right, f"{head} {q['explanation']}", answer, score=float(right))


_GRADERS = {"choice": _grade_choice, "numeric": _grade_numeric}


# --------------------------------------------------------------------------------------------
# Widgets
def _pick(chapter, topic, n, rng, shuffle) -> list[dict]:
    pool = questions(chapter, topic=topic)
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle must be True or False, got {_show(shuffle)}")
    rng = check_rng("rng", rng)
    if not pool:
        which = " and ".join(f"{k} {v!r}" for k, v in (("chapter", chapter), ("topic", topic))
                             if v is not None)
        raise ValueError(f"the bank has no questions for {which} yet; try another chapter or "
                         f"topic, or None for all")
    if n is not None:
        n = check_number("n", n, low=1, high=len(pool), integer=True)
    if shuffle:
        pool = [pool[i] for i in rng.permutation(len(pool))]
    return pool[:n] if n is not None else pool


def _title(kind: str, chapter, topic) -> str:
    parts = [chapter_id(chapter).replace("_", " ")] if chapter is not None else []
    if topic is not None:
        parts.append(f"topic {topic.replace('_', ' ')}")
    return f"{kind}: " + (", ".join(parts) if parts else "all chapters")


class _Widget:
    widget = None

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _say(self, text, *, error=False):
        self.controls["feedback"].value = feedback_html(text, error=error)


class Quiz(_Widget):
    """A quiz over a list of questions with feedback and a running score.

    Use :func:`quiz` to build one. Choice questions are shown with their choices shuffled by the
    quiz's rng: ``current`` is the question *as shown* (its ``answer`` indexes the shown order).

    Choice and numeric: pick or type, press **Check** (``answer()``), read the feedback.
    Explain (self-assessed): write the answer, press **Show the model answer** (``answer()``:
    shows the model answer and one checkbox per key point, those the hints find marked "seems
    present" but never ticked), tick the points you covered, press **Score my answer**
    (``score_answer()``): right when every point is ticked (:data:`PASS_SHARE`).

    Attributes: ``controls`` (dict of the ipywidgets: ``progress``, ``question``, ``choice``,
    ``number``, ``text``, ``check``, ``rubric`` (the box of key points), ``points`` (list of
    their checkboxes), ``score_answer``, ``next``, ``restart``, ``feedback``, ``score``),
    ``widget`` (the box to display), ``score`` (right answers so far), ``answered``, ``results``
    (list of ``(id, Grade)``), ``current`` (None when finished).
    """

    def __init__(self, items: list[dict], *, rng, title: str):
        import ipywidgets as w

        self._w = w
        self._source, self._rng, self.title = list(items), check_rng("rng", rng), title
        c = self.controls = {
            "progress": w.HTML(), "question": w.HTML(),
            "choice": w.RadioButtons(options=[], value=None, layout=w.Layout(width="auto")),
            "number": w.Text(placeholder="a number, e.g. 391 or 0.001", description="Answer:"),
            "text": w.Textarea(placeholder="Answer in your own words, as in an interview",
                               layout=w.Layout(width="95%", height="6em")),
            "check": w.Button(description="Check", button_style="primary",
                              layout=w.Layout(width="auto")),
            "rubric": w.VBox([]), "points": [],
            "score_answer": w.Button(description="Score my answer", button_style="primary",
                                     layout=w.Layout(width="auto")),
            "next": w.Button(description="Next question"),
            "restart": w.Button(description="Start again"),
            "feedback": w.HTML(), "score": w.HTML(),
        }
        c["check"].on_click(lambda _: self.answer())
        c["score_answer"].on_click(lambda _: self.score_answer())
        c["next"].on_click(lambda _: self.next())
        c["restart"].on_click(lambda _: self.restart(reshuffle=True))
        self.widget = w.VBox([
            w.HTML(f"<b>{_esc(title)}</b>"), c["progress"], c["question"], c["choice"],
            c["number"], c["text"], w.HBox([c["check"], c["next"], c["restart"]]),
            c["feedback"], c["rubric"], c["score_answer"], c["score"],
        ])
        self._items = self._display(self._source)
        self.restart(reshuffle=False)

    def _display(self, items):
        return [shuffle_choices(q, self._rng) for q in items]

    # --- state -------------------------------------------------------------------------------
    @property
    def current(self) -> dict | None:
        """The question on screen (choices in the shown order), or None when the quiz is over."""
        return self._items[self.index] if self.index < len(self._items) else None

    def __len__(self):
        return len(self._items)

    @_safe
    def restart(self, *, reshuffle=True):
        """Back to the first question with the score at 0 (new order and choice order when
        ``reshuffle``)."""
        if reshuffle:
            self._source = [self._source[i] for i in self._rng.permutation(len(self._source))]
            self._items = self._display(self._source)
        self.index, self.score, self.answered, self.results = 0, 0, 0, []
        self._graded = self._revealed = None
        self._show()

    @_safe
    def answer(self, response=None) -> Grade | None:
        """Answer the current question.

        Choice (the index of a choice *as shown*, or its text) and numeric: grade it, show the
        feedback, update the score. Explain (your text): show the model answer and the key
        points to tick; nothing is scored until :meth:`score_answer`. Without a response it
        reads the input widget, exactly like the Check button. Never raises: a bad or repeated
        answer shows a message and returns None.
        """
        q = self.current
        if q is None:
            self._say("The quiz is over: press 'Start again' for a new round.")
            return None
        if self._graded is not None:
            self._say("Already answered: press 'Next question'.")
            return None
        if self._revealed is not None:
            self._say("Tick the key points you covered, then press 'Score my answer'.")
            return None
        if response is None:
            response = self._read_input(q)
            if response is None:
                return None
        result = grade(q, response)
        c = self.controls
        c["check"].disabled = True
        if q["kind"] == "explain":
            self._revealed = (response, result)
            self._show_rubric(q, result.suggested)
            c["feedback"].value = (
                "<div>Compare with the model answer, tick the points you covered, then press "
                "'Score my answer'. Points marked <i>seems present</i> share words with your "
                "answer; that is a hint, not a tick.</div>"
                f"<div><b>Model answer:</b> {_esc(q['model_answer'])}</div>")
            return result
        self._record(q, result)
        return result

    @_safe
    def score_answer(self, covered=None) -> Grade | None:
        """Score the current explain answer by the key points ticked (``covered``: indices;
        None reads the checkboxes, like the Score button). Right when all are ticked."""
        q = self.current
        if q is None or q["kind"] != "explain" or self._graded is not None \
                or self._revealed is None:
            self._say("Write your answer and press 'Show the model answer' first."
                          if q is not None and q["kind"] == "explain" and self._graded is None
                          else "Only a revealed explain answer can be scored.")
            return None
        if covered is None:
            covered = [i for i, box in enumerate(self.controls["points"]) if box.value]
        result = grade(q, self._revealed[0], covered=covered)
        for i, box in enumerate(self.controls["points"]):
            box.value, box.disabled = i in result.covered, True
        self.controls["score_answer"].disabled = True
        self._record(q, result)
        return result

    def _record(self, q, result):
        self._graded = result
        self.answered += 1
        self.score += int(result.correct)
        self.results.append((q["id"], result))
        record_attempt(q, bool(result.correct))   # the progress file; never raises on a bad store
        mark = "✔" if result.correct else "✘"
        self.controls["feedback"].value = (
            f'<div style="color:{"#1b5e20" if result.correct else "#b00020"}">'
            f"{mark} {_esc(result.feedback)}</div>{_experiment_html(q)}")
        self._update_score()

    def _show_rubric(self, q, suggested):
        w = self._w
        boxes, rows = rubric_rows(w, q, suggested)
        self.controls["points"] = boxes
        self.controls["rubric"].children = [w.HTML("<b>Key points: tick the ones you "
                                                   "covered</b>")] + rows
        self.controls["rubric"].layout.display = None
        self.controls["score_answer"].layout.display = None
        self.controls["score_answer"].disabled = False

    @_safe
    def next(self):
        """Go to the next question (an unanswered question is skipped, not counted)."""
        if self.current is None:
            self._say("The quiz is over: press 'Start again' for a new round.")
            return
        self.index += 1
        self._graded = self._revealed = None
        self._show()

    # --- display -----------------------------------------------------------------------------
    def _read_input(self, q):
        value = read_answer_input(self.controls, q)
        if value is None:
            self._say("Pick one of the choices first." if q["kind"] == "choice"
                      else "Type your answer first.")
        return value

    def _show(self):
        c, q = self.controls, self.current
        for name in ("choice", "number", "text", "rubric", "score_answer"):
            c[name].layout.display = "none"
        c["rubric"].children, c["points"] = [], []
        c["feedback"].value = ""
        c["check"].disabled = q is None
        c["next"].disabled = q is None
        c["check"].description = ("Show the model answer" if q is not None
                                  and q["kind"] == "explain" else "Check")
        if q is None:
            c["progress"].value = ""
            c["question"].value = (f"<b>Done.</b> You got {self.score} of {len(self)} right"
                                   f"{_by_topic(self)}")
        else:
            c["progress"].value = (f"Question {self.index + 1} of {len(self)} · "
                                   f"<i>{topic_of(q).replace('_', ' ')}</i> · {q['kind']}")
            c["question"].value = f"<p>{_esc(q['question'])}</p>"
            show_answer_input(c, q)
        self._update_score()

    def _update_score(self):
        self.controls["score"].value = (f"Score: <b>{self.score}</b> / {self.answered} answered "
                                        f"({len(self)} questions)")


def _by_topic(qz: Quiz) -> str:
    topics = {q["id"]: topic_of(q) for q in qz._items}
    tally: dict[str, list[int]] = {}
    for qid, result in qz.results:
        t = tally.setdefault(topics[qid], [0, 0])
        t[0] += int(result.correct)
        t[1] += 1
    if not tally:
        return "."
    rows = "".join(f"<li>{tid.replace('_', ' ')}: {r} / {n}</li>"
                   for tid, (r, n) in sorted(tally.items(), key=lambda kv: TOPICS.index(kv[0])))
    return f", by topic:<ul>{rows}</ul>"


def _experiment_html(q) -> str:
    exp = q.get("experiment")
    if not exp:
        return ""
    return (f"<div><small>See it in <code>{_esc(exp['notebook'])}</code>, section "
            f"“{_esc(exp['section'])}”.</small></div>")


def quiz(chapter=None, *, topic=None, n=None, rng=0, shuffle=True) -> Quiz:
    """An interview quiz widget: one question at a time, feedback, a running score.

    Parameters
    ----------
    chapter : int, str or None
        A chapter number (0-12) or id (``"adam"``); None mixes every chapter.
    topic : str or None
        Only questions of this topic (one of :data:`TOPICS`, e.g. ``"warmup"``).
    n : int or None
        How many questions (1 up to the number available); None takes them all.
    rng : numpy.random.Generator or int
        Seed of the question order and of the order of every question's choices (the same seed
        gives the same quiz).
    shuffle : bool
        Random question order; False keeps the bank order (choices are shuffled either way).

    Returns
    -------
    Quiz
        Display it in a notebook cell; ``.answer(response)``, ``.score_answer(covered)``,
        ``.next()``, ``.score`` and ``.current`` work without a front end too.

    >>> qz = quiz("epochs_and_iterations", n=3, rng=1)
    >>> qz.score, len(qz)
    (0, 3)
    """
    rng = check_rng("rng", rng)
    items = _pick(chapter, topic, n, rng, shuffle)
    return Quiz(items, rng=rng, title=_title("Interview quiz", chapter, topic))


class Flashcards(_Widget):
    """Flash cards: the question on the front, the answer and why on the back.

    Use :func:`flashcards` to build one. ``flip()``, ``next()``, ``previous()``; ``side`` is
    ``"front"`` or ``"back"``; ``current`` is the card's question (choices in the shown order);
    ``controls`` holds the ``card`` HTML, the ``flip``, ``next``, ``previous`` buttons,
    ``progress`` and ``feedback``. The back of an explain card lists its key points.
    """

    def __init__(self, items: list[dict], *, title: str, rng=0):
        import ipywidgets as w

        rng = check_rng("rng", rng)
        self._items = [shuffle_choices(q, rng) for q in items]
        self.index, self.side = 0, "front"
        c = self.controls = {
            "progress": w.HTML(),
            "card": w.HTML(layout=w.Layout(border="1px solid #999", padding="1em",
                                           min_height="8em", width="95%")),
            "previous": w.Button(description="◀ Previous"),
            "flip": w.Button(description="Flip", button_style="primary"),
            "next": w.Button(description="Next ▶"),
            "feedback": w.HTML(),
        }
        c["flip"].on_click(lambda _: self.flip())
        c["next"].on_click(lambda _: self.next())
        c["previous"].on_click(lambda _: self.previous())
        self.widget = w.VBox([w.HTML(f"<b>{_esc(title)}</b>"), c["progress"], c["card"],
                              w.HBox([c["previous"], c["flip"], c["next"]]), c["feedback"]])
        self._show()

    @property
    def current(self) -> dict:
        return self._items[self.index]

    def __len__(self):
        return len(self._items)

    @_safe
    def flip(self):
        """Turn the card over."""
        self.side = "back" if self.side == "front" else "front"
        self._show()

    @_safe
    def next(self):
        """The next card, front side up (after the last card comes the first)."""
        self.index, self.side = (self.index + 1) % len(self), "front"
        self._show()

    @_safe
    def previous(self):
        """The previous card, front side up."""
        self.index, self.side = (self.index - 1) % len(self), "front"
        self._show()

    @property
    def text(self) -> str:
        """The text on the visible side (plain text)."""
        q = self.current
        if self.side == "front":
            extra = ("\n" + "\n".join(f"{_letter(i)}. {c}" for i, c in enumerate(q["choices"]))
                     if q["kind"] == "choice" else "")
            return q["question"] + extra
        if q["kind"] == "explain":
            return (f"{q['model_answer']}\n\nKey points:\n{_rubric_lines(q)}\n\n"
                    f"{q['explanation']}")
        return f"{_answer_text(q)}\n\n{q['explanation']}"

    def _show(self):
        q = self.current
        self.controls["progress"].value = (f"Card {self.index + 1} of {len(self)} · "
                                           f"<i>{topic_of(q).replace('_', ' ')}</i> · "
                                           f"{self.side}")
        body = _esc(self.text)
        if self.side == "back":
            body = f"<b>Answer:</b> {body}{_experiment_html(q)}"
        self.controls["card"].value = body
        flip = "Show question" if self.side == "back" else "Show answer"
        self.controls["flip"].description = flip
        self.controls["feedback"].value = ""


def flashcards(chapter=None, *, topic=None, rng=0, shuffle=True) -> Flashcards:
    """Flash cards over one chapter (number or id) and/or topic, or all of them.

    ``rng`` seeds the card order and the order of every card's choices.

    >>> cards = flashcards("adam", rng=0)
    >>> cards.side, (cards.flip(), cards.side)[1]
    ('front', 'back')
    """
    rng = check_rng("rng", rng)
    items = _pick(chapter, topic, None, rng, shuffle)
    return Flashcards(items, title=_title("Flash cards", chapter, topic), rng=rng)


# --------------------------------------------------------------------------------------------
def formula_sheet(part="all") -> str:
    """A one-page Markdown summary: every update rule (from the optimizer registry), the defaults,
    the EWA, bias correction and iterations per epoch.

    ``part``: "all"; "rules" (the heading and both tables) or "conventions" (what follows them),
    for a slide each.

    >>> "v̂ = v/(1−β1^t)" in formula_sheet()
    True
    >>> formula_sheet("rules") + "\\n\\n" + formula_sheet("conventions") == formula_sheet()
    True
    """
    from ._validate import check_choice
    from .optimizers import OPTIMIZERS

    part = check_choice("part", part, ("all", "rules", "conventions"))

    lines = [
        "## Formula sheet",
        "",
        "Notation: W weights, dW = ∂L/∂W, η learning rate, t steps taken (1 after the first step), "
        "v average of gradients, s average of squared gradients (Adagrad: the running sum "
        "α_t), u average of squared updates (Adadelta), λ decoupled weight decay (AdamW), "
        "ε keeps the division finite.",
        "",
        "| | rule |",
        "|---|---|",
        "| EWA | v_t = β·v_{t−1} + (1−β)·a_t, v_0 = 0; averages about 1/(1−β) values |",
        "| bias correction | v̂_t = v_t/(1−β^t) |",
        "| iterations per epoch | ceil(records / batch size) |",
        "",
        "| optimizer | update | defaults |",
        "|---|---|---|",
    ]
    for opt in OPTIMIZERS.values():
        defaults = ", ".join(f"{_SYMBOL.get(k, k)} = {v:g}" for k, v in opt.defaults.items())
        note = _ROW_NOTE.get(opt.name, "")
        lines.append(f"| {opt.title} | {opt.formula}{note} | {defaults} |")
    rules = len(lines)
    lines += [
        "",
        "Adam's bias correction: v̂ = v/(1−β1^t), ŝ = s/(1−β2^t). GD, SGD and mini-batch SGD "
        "are the same rule; only the batch size differs (all records, 1, or B).",
        "",
        "Conventions (who writes what: the [notation page](../docs/notation.md)):",
        "",
        "- ε outside the root for Adagrad, RMSprop and Adam, inside both roots for Adadelta: the "
        "course's code and PyTorch (for Adagrad and Adam also their papers). ε inside the root "
        "for Adagrad and RMSprop: d2l, Keras 3 (the older tf.keras optimizers put it outside, "
        "except RMSprop with momentum > 0, which calls TF1's kernel) and TensorFlow 1's RMSProp. "
        "RMSprop has no paper (Hinton's slides have no ε).",
        "- PyTorch: course momentum (η, β) = `SGD(lr=η·(1−β), momentum=β)`; RMSprop's β is "
        "`alpha`, whose default there is 0.99 (the course's β = 0.9 is the value of Hinton's "
        "slides); NAdam uses a momentum schedule and `lr=0.002` (the course: constant β1).",
        "- AdamW's W·(1 − η·λ) is PyTorch's convention; Loshchilov & Hutter scale λ by the "
        "schedule multiplier η_t, not by the base rate.",
        "- Keras's Adam adds ε before the bias correction (the paper's ε-hat form): a valid "
        "variant, not a mistake.",
    ]
    if part == "rules":
        return "\n".join(lines[:rules])
    if part == "conventions":
        return "\n".join(lines[rules + 1:])
    return "\n".join(lines)


_ROW_NOTE = {"amsgrad": " (PyTorch's form, bias-corrected; the paper's AMSGrad has no bias "
                        "correction)"}

_SYMBOL = {"lr": "η", "beta": "β", "beta1": "β1", "beta2": "β2", "eps": "ε", "rho": "ρ",
           "weight_decay": "λ"}


# The teaching layer's modes, importable from here (they import this module only inside functions,
# so these lines cannot make a cycle).
from .teaching.progress import mastery, progress, record_attempt  # noqa: E402
from .teaching.srs import Review, review  # noqa: E402
from .teaching.mock_interview import mock_interview  # noqa: E402
