"""Interview prep: the question bank, grading, a quiz widget, flash cards and a formula sheet.

The questions live in ``questions.json`` next to this module, one record per question:

=============  ==================================================================================
field          meaning
=============  ==================================================================================
id             unique name, lower case, digits, ``-`` and ``_`` (``"ep-50000-128"``)
chapter        a chapter id from :data:`CHAPTERS` (``"adam"``)
kind           ``"choice"``, ``"numeric"`` or ``"explain"``
question       the question text
choices        (choice) two or more distinct answer texts
answer         (choice) index of the right choice; (numeric) the number
tolerance      (numeric) accepted absolute error, >= 0
model_answer   (explain) what a good spoken answer says
keywords       (explain) key ideas a good answer mentions; ``"a|b"`` accepts a or b
explanation    why the answer is right (shown after every answer)
experiment     optional ``{"notebook": "notebooks/09_adam.ipynb", "section": "..."}``
tags           optional list of words, e.g. ``["lecture"]`` for the lecture's own questions
=============  ==================================================================================

:func:`load_questions` validates the whole bank with :func:`validate_bank`, so a question with a
missing answer, a duplicate id or an unknown chapter fails loudly instead of confusing a learner.

>>> q = questions("epochs_and_iterations")[0]
>>> q["question"]
'50,000 records, batch size 128. How many iterations per epoch (keep the smaller last batch)?'
>>> grade(q, 391).correct, grade(q, "390").correct
(True, False)

Widgets (:func:`quiz`, :func:`flashcards`) import ipywidgets only when called.
"""
from __future__ import annotations

import copy
import difflib
import functools
import html
import json
import math
import numbers
import re
from importlib import resources
from typing import NamedTuple

from ._validate import _show, check_choice, check_number, check_rng

__all__ = [
    "CHAPTERS", "KINDS", "Grade", "chapter_id", "notebook_of", "validate_bank", "load_questions",
    "questions", "get_question", "grade", "quiz", "flashcards", "formula_sheet", "Quiz",
    "Flashcards",
]

#: Chapter ids, in course order: ``CHAPTERS[9] == "adam"``.
CHAPTERS = (
    "introduction", "gradient_descent", "sgd", "minibatch_sgd", "epochs_and_iterations",
    "exponentially_weighted_average", "momentum", "adagrad", "rmsprop_adadelta", "adam",
    "choosing_an_optimizer",
)
KINDS = ("choice", "numeric", "explain")

_COMMON = ("id", "chapter", "kind", "question", "explanation")
_OPTIONAL = ("experiment", "tags")
_BY_KIND = {
    "choice": ("choices", "answer"),
    "numeric": ("answer", "tolerance"),
    "explain": ("model_answer", "keywords"),
}
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")


def notebook_of(chapter) -> str:
    """The notebook file of a chapter, ``notebooks/NN_<id>.ipynb``.

    >>> notebook_of(9)
    'notebooks/09_adam.ipynb'
    """
    cid = chapter_id(chapter)
    return f"notebooks/{CHAPTERS.index(cid):02d}_{cid}.ipynb"


def chapter_id(chapter) -> str:
    """Turn a chapter number (0-10) or id string into the id string.

    >>> chapter_id(4), chapter_id("adam")
    ('epochs_and_iterations', 'adam')
    """
    if isinstance(chapter, str):
        return check_choice("chapter", chapter, CHAPTERS)
    if isinstance(chapter, numbers.Integral) and not isinstance(chapter, bool):
        return CHAPTERS[check_number("chapter", chapter, low=0, high=len(CHAPTERS) - 1,
                                     integer=True)]
    raise TypeError(f"chapter must be a chapter number 0-{len(CHAPTERS) - 1} or one of "
                    f"{', '.join(map(repr, CHAPTERS))}; got {_show(chapter)} "
                    f"of type {type(chapter).__name__}")


# --------------------------------------------------------------------------------------------
# Validation of the bank
def validate_bank(data) -> list[dict]:
    """Check every question of a bank and return them as a list of dicts.

    Parameters
    ----------
    data : dict or list
        ``{"format": 1, "questions": [...]}`` as stored in ``questions.json``, or the list itself.

    Returns
    -------
    list of dict
        Deep copies of the questions, in bank order.

    Raises
    ------
    ValueError
        Naming the question id (or its position when the id is missing) and the bad field:
        missing or unknown field, duplicate id, unknown chapter or kind, answer index out of
        range, negative tolerance, empty text, ...
    """
    if isinstance(data, dict):
        if "questions" not in data:
            raise ValueError("the bank must have a 'questions' list; found keys "
                             f"{sorted(data)}")
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
    allowed = _COMMON + _BY_KIND[kind] + _OPTIONAL
    for field in question:
        if field not in allowed:
            close = difflib.get_close_matches(str(field), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"{where}: unknown field {field!r}{hint} for a {kind} question; "
                             f"allowed: {', '.join(allowed)}")
    for field in _COMMON + _BY_KIND[kind]:
        if field not in question:
            raise ValueError(f"{where}: field {field!r} is missing (a {kind} question needs "
                             f"{', '.join(_COMMON + _BY_KIND[kind])})")
    if question["chapter"] not in CHAPTERS:
        close = difflib.get_close_matches(str(question["chapter"]), CHAPTERS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"{where}: field 'chapter' has unknown chapter "
                         f"{_show(question['chapter'])}{hint}; allowed: {', '.join(CHAPTERS)}")
    for field in ("question", "explanation") + (("model_answer",) if kind == "explain" else ()):
        _check_text(where, field, question[field])
    _KIND_CHECKS[kind](where, question)
    if "experiment" in question:
        _check_experiment(where, question["experiment"])
    if "tags" in question:
        _check_texts(where, "tags", question["tags"], minimum=1)
    return copy.deepcopy(question)


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
    if not _is_real(q["answer"]):
        raise ValueError(f"{where}: field 'answer' must be a finite number, "
                         f"got {_show(q['answer'])}")
    tol = q["tolerance"]
    if not _is_real(tol) or tol < 0:
        raise ValueError(f"{where}: field 'tolerance' must be a finite number >= 0, "
                         f"got {_show(tol)}")


def _check_explain_question(where, q):
    _check_texts(where, "keywords", q["keywords"], minimum=1)
    for group in q["keywords"]:
        if any(not alt.strip() for alt in group.split("|")):
            raise ValueError(f"{where}: field 'keywords' has an empty alternative in {group!r}")


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


# --------------------------------------------------------------------------------------------
# Access
@functools.lru_cache(maxsize=1)
def _bank() -> tuple:
    text = resources.files(__package__).joinpath("questions.json").read_text(encoding="utf-8")
    return tuple(validate_bank(json.loads(text)))


def load_questions() -> list[dict]:
    """Every question of the bank, validated (copies: changing them changes nothing else).

    >>> len(load_questions()) >= 60
    True
    """
    return copy.deepcopy(list(_bank()))


def questions(chapter=None) -> list[dict]:
    """The questions of one chapter (number 0-10 or id), or all of them, in bank order.

    >>> {q["chapter"] for q in questions(9)}
    {'adam'}
    """
    bank = load_questions()
    if chapter is None:
        return bank
    cid = chapter_id(chapter)
    return [q for q in bank if q["chapter"] == cid]


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


# --------------------------------------------------------------------------------------------
# Grading
class Grade(NamedTuple):
    """The result of :func:`grade`.

    ``correct`` is True or False; ``feedback`` is the text shown to the learner (it always names
    the right answer when the response was wrong); ``answer`` is the right answer as text.
    """
    correct: bool
    feedback: str
    answer: str


def grade(question, response) -> Grade:
    """Grade one response.

    Parameters
    ----------
    question : dict or str
        A question from the bank, or its id.
    response
        choice: the index of a choice or its text (case and surrounding spaces ignored);
        numeric: a number, or a text such as ``"391"``, ``"50,000"`` or ``"1e-8"``; right when
        within the question's tolerance;
        explain: the answer in words, right when it mentions every key idea (the feedback lists
        the missing ones and always shows the model answer); or ``True`` / ``False`` for a
        self-assessment against the model answer.

    Returns
    -------
    Grade
        ``(correct, feedback, answer)``.

    >>> g = grade("ewa-v2-corrected", 10)
    >>> g.correct, g.answer
    (True, '10')
    >>> grade("ewa-v2-corrected", 7.5).feedback.startswith("Not quite: the answer is 10")
    True
    """
    if isinstance(question, str):
        question = get_question(question)
    elif isinstance(question, dict):
        question = _check_question(question, 0)
    else:
        raise TypeError(f"question must be a question dict or its id, got {_show(question)}")
    return _GRADERS[question["kind"]](question, response)


def _answer_text(q) -> str:
    if q["kind"] == "choice":
        return f"({'ABCDEFGHIJ'[q['answer']] if q['answer'] < 10 else q['answer']}) " \
               f"{q['choices'][q['answer']]}"
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


def _mentions(text: str, group: str) -> bool:
    return any(re.search(r"(?<!\w)" + re.escape(" ".join(alt.split()).casefold()), text)
               for alt in group.split("|"))


def _grade_explain(q, response) -> Grade:
    model = f"Model answer: {q['model_answer']}"
    if isinstance(response, bool):
        verdict = "Counted as right" if response else "Counted as not yet"
        return Grade(response, f"{verdict} (self-assessed). {model} {q['explanation']}",
                     _answer_text(q))
    if not isinstance(response, str):
        raise TypeError(f"response must be your answer in words (a text), or True / False for "
                        f"a self-assessment; got {_show(response)} of type "
                        f"{type(response).__name__}")
    if not response.strip():
        raise ValueError("response is empty: write your answer in words first")
    text = " ".join(response.split()).casefold()
    missing = [g.split("|")[0] for g in q["keywords"] if not _mentions(text, g)]
    if missing:
        head = f"Not yet: your answer misses the key idea(s): {', '.join(missing)}."
    else:
        head = "Good: you mentioned every key idea."
    return Grade(not missing, f"{head} {model} {q['explanation']}", _answer_text(q))


def _result(q, right: bool, gave: str) -> Grade:
    answer = _answer_text(q)
    head = "Correct." if right else f"Not quite: the answer is {answer}{gave}."
    return Grade(right, f"{head} {q['explanation']}", answer)


_GRADERS = {"choice": _grade_choice, "numeric": _grade_numeric, "explain": _grade_explain}


# --------------------------------------------------------------------------------------------
# Widgets
def _pick(chapter, n, rng, shuffle) -> list[dict]:
    pool = questions(chapter)
    if not isinstance(shuffle, bool):
        raise TypeError(f"shuffle must be True or False, got {_show(shuffle)}")
    rng = check_rng("rng", rng)
    if n is not None:
        n = check_number("n", n, low=1, high=len(pool), integer=True)
    if shuffle:
        pool = [pool[i] for i in rng.permutation(len(pool))]
    return pool[:n] if n is not None else pool


def _safe(method):
    """Run a widget callback; show any error in the feedback area instead of raising."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as err:  # a callback must never raise into the front end
            known = isinstance(err, (ValueError, TypeError))
            self._message(str(err) if known else f"{type(err).__name__}: {err}", error=True)
            return None
    return wrapper


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


class _Widget:
    widget = None

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _message(self, text, *, error=False):
        color = "#b00020" if error else "inherit"
        self.controls["feedback"].value = f'<div style="color:{color}">{_esc(text)}</div>'


class Quiz(_Widget):
    """A quiz over a list of questions with immediate feedback and a running score.

    Use :func:`quiz` to build one. Attributes: ``controls`` (dict of the ipywidgets: ``question``,
    ``choice``, ``number``, ``text``, ``check``, ``next``, ``restart``, ``self_right``,
    ``feedback``, ``score``, ``progress``), ``widget`` (the box to display), ``score`` (right
    answers so far), ``answered``, ``results`` (list of ``(id, Grade)``), ``current`` (the current
    question, None when finished). ``answer(response)`` grades programmatically; without a
    response it reads the input widget, exactly like the Check button.
    """

    def __init__(self, items: list[dict], *, rng, title: str):
        import ipywidgets as w

        self._items, self._rng, self.title = items, rng, title
        c = self.controls = {
            "progress": w.HTML(), "question": w.HTML(),
            "choice": w.RadioButtons(options=[], value=None, layout=w.Layout(width="auto")),
            "number": w.Text(placeholder="a number, e.g. 391 or 0.001", description="Answer:"),
            "text": w.Textarea(placeholder="Answer in your own words, as in an interview",
                               layout=w.Layout(width="95%", height="6em")),
            "check": w.Button(description="Check", button_style="primary"),
            "self_right": w.Button(description="I had it: count as right",
                                   layout=w.Layout(width="auto")),
            "next": w.Button(description="Next question"),
            "restart": w.Button(description="Start again"),
            "feedback": w.HTML(), "score": w.HTML(),
        }
        c["check"].on_click(lambda _: self.answer())
        c["next"].on_click(lambda _: self.next())
        c["restart"].on_click(lambda _: self.restart(reshuffle=True))
        c["self_right"].on_click(lambda _: self.count_as_right())
        self.widget = w.VBox([
            w.HTML(f"<b>{_esc(title)}</b>"), c["progress"], c["question"], c["choice"],
            c["number"], c["text"], w.HBox([c["check"], c["self_right"], c["next"], c["restart"]]),
            c["feedback"], c["score"],
        ])
        self.restart(reshuffle=False)

    # --- state -------------------------------------------------------------------------------
    @property
    def current(self) -> dict | None:
        """The question on screen, or None when the quiz is over."""
        return self._items[self.index] if self.index < len(self._items) else None

    def __len__(self):
        return len(self._items)

    @_safe
    def restart(self, *, reshuffle=True):
        """Back to the first question with the score at 0 (new order when ``reshuffle``)."""
        if reshuffle:
            self._items = [self._items[i] for i in self._rng.permutation(len(self._items))]
        self.index, self.score, self.answered, self.results = 0, 0, 0, []
        self._graded = None
        self._show()

    @_safe
    def answer(self, response=None) -> Grade | None:
        """Grade the current question, show the feedback and update the score.

        Never raises: a bad or repeated answer shows a message and returns None.
        """
        q = self.current
        if q is None:
            self._message("The quiz is over: press 'Start again' for a new round.")
            return None
        if self._graded is not None:
            self._message("Already answered: press 'Next question'.")
            return None
        if response is None:
            response = self._read_input(q)
            if response is None:
                return None
        result = grade(q, response)
        self._graded = result
        self.answered += 1
        self.score += int(result.correct)
        self.results.append((q["id"], result))
        mark = "✔" if result.correct else "✘"
        self.controls["feedback"].value = (
            f'<div style="color:{"#1b5e20" if result.correct else "#b00020"}">'
            f"{mark} {_esc(result.feedback)}</div>{_experiment_html(q)}")
        self.controls["check"].disabled = True
        self.controls["self_right"].layout.display = (
            None if q["kind"] == "explain" and not result.correct else "none")
        self._update_score()
        return result

    @_safe
    def count_as_right(self):
        """After a wrong explain answer: the learner judges their answer right after all."""
        q, result = self.current, self._graded
        if q is None or result is None or result.correct or q["kind"] != "explain":
            self._message("Only a graded explain answer that missed key ideas can be re-counted.")
            return
        self.score += 1
        self._graded = result._replace(correct=True)
        self.results[-1] = (q["id"], self._graded)
        self.controls["self_right"].layout.display = "none"
        self._update_score()

    @_safe
    def next(self):
        """Go to the next question (an unanswered question is skipped, not counted)."""
        if self.current is None:
            self._message("The quiz is over: press 'Start again' for a new round.")
            return
        self.index += 1
        self._graded = None
        self._show()

    # --- display -----------------------------------------------------------------------------
    def _read_input(self, q):
        c = self.controls
        if q["kind"] == "choice":
            if c["choice"].index is None:
                self._message("Pick one of the choices first.")
                return None
            return c["choice"].index
        value = (c["number"] if q["kind"] == "numeric" else c["text"]).value
        if not value.strip():
            self._message("Type your answer first.")
            return None
        return value

    def _show(self):
        c, q = self.controls, self.current
        for name in ("choice", "number", "text"):
            c[name].layout.display = "none"
        c["self_right"].layout.display = "none"
        c["feedback"].value = ""
        c["check"].disabled = q is None
        c["next"].disabled = q is None
        if q is None:
            c["progress"].value = ""
            c["question"].value = (f"<b>Done.</b> You got {self.score} of {len(self)} right"
                                   f"{_by_chapter(self)}")
        else:
            c["progress"].value = (f"Question {self.index + 1} of {len(self)} · "
                                   f"<i>{q['chapter'].replace('_', ' ')}</i> · {q['kind']}")
            c["question"].value = f"<p>{_esc(q['question'])}</p>"
            if q["kind"] == "choice":
                c["choice"].options = list(q["choices"])
                c["choice"].value = None
                c["choice"].layout.display = None
            elif q["kind"] == "numeric":
                c["number"].value = ""
                c["number"].layout.display = None
            else:
                c["text"].value = ""
                c["text"].layout.display = None
        self._update_score()

    def _update_score(self):
        self.controls["score"].value = (f"Score: <b>{self.score}</b> / {self.answered} answered "
                                        f"({len(self)} questions)")


def _by_chapter(qz: Quiz) -> str:
    chapters = {q["id"]: q["chapter"] for q in qz._items}
    tally: dict[str, list[int]] = {}
    for qid, result in qz.results:
        t = tally.setdefault(chapters[qid], [0, 0])
        t[0] += int(result.correct)
        t[1] += 1
    if not tally:
        return "."
    rows = "".join(f"<li>{cid.replace('_', ' ')}: {r} / {n}</li>"
                   for cid, (r, n) in sorted(tally.items(), key=lambda kv: CHAPTERS.index(kv[0])))
    return f":<ul>{rows}</ul>"


def _experiment_html(q) -> str:
    exp = q.get("experiment")
    if not exp:
        return ""
    return (f"<div><small>See it in <code>{_esc(exp['notebook'])}</code>, section "
            f"“{_esc(exp['section'])}”.</small></div>")


def quiz(chapter=None, *, n=None, rng=0, shuffle=True) -> Quiz:
    """An interview quiz widget: one question at a time, immediate feedback, a running score.

    Parameters
    ----------
    chapter : int, str or None
        A chapter number (0-10) or id (``"adam"``); None mixes every chapter.
    n : int or None
        How many questions (1 up to the number available); None takes them all.
    rng : numpy.random.Generator or int
        Seed of the question order (the same seed gives the same quiz).
    shuffle : bool
        Random order; False keeps the bank order.

    Returns
    -------
    Quiz
        Display it in a notebook cell; ``.answer(response)``, ``.next()``, ``.score`` and
        ``.current`` work without a front end too.

    >>> qz = quiz("epochs_and_iterations", n=3, rng=1)
    >>> qz.score, len(qz)
    (0, 3)
    """
    rng = check_rng("rng", rng)
    items = _pick(chapter, n, rng, shuffle)
    title = "Interview quiz: " + (chapter_id(chapter).replace("_", " ") if chapter is not None
                                  else "all chapters")
    return Quiz(items, rng=rng, title=title)


class Flashcards(_Widget):
    """Flash cards: the question on the front, the answer and why on the back.

    Use :func:`flashcards` to build one. ``flip()``, ``next()``, ``previous()``; ``side`` is
    ``"front"`` or ``"back"``; ``current`` is the card's question; ``controls`` holds the
    ``card`` HTML, the ``flip``, ``next``, ``previous`` buttons, ``progress`` and ``feedback``.
    """

    def __init__(self, items: list[dict], *, title: str):
        import ipywidgets as w

        self._items, self.index, self.side = items, 0, "front"
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
            extra = ("\n" + "\n".join(f"{'ABCDEFGHIJ'[i]}. {c}" for i, c in enumerate(q["choices"]))
                     if q["kind"] == "choice" else "")
            return q["question"] + extra
        return f"{_answer_text(q)}\n\n{q['explanation']}"

    def _show(self):
        q = self.current
        self.controls["progress"].value = (f"Card {self.index + 1} of {len(self)} · "
                                           f"<i>{q['chapter'].replace('_', ' ')}</i> · {self.side}")
        body = _esc(self.text)
        if self.side == "back":
            body = f"<b>Answer:</b> {body}{_experiment_html(q)}"
        self.controls["card"].value = body
        flip = "Show question" if self.side == "back" else "Show answer"
        self.controls["flip"].description = flip
        self.controls["feedback"].value = ""


def flashcards(chapter=None, *, rng=0, shuffle=True) -> Flashcards:
    """Flash cards over one chapter (number or id) or all of them.

    >>> cards = flashcards("adam", rng=0)
    >>> cards.side, (cards.flip(), cards.side)[1]
    ('front', 'back')
    """
    items = _pick(chapter, None, rng, shuffle)
    title = "Flash cards: " + (chapter_id(chapter).replace("_", " ") if chapter is not None
                               else "all chapters")
    return Flashcards(items, title=title)


# --------------------------------------------------------------------------------------------
def formula_sheet() -> str:
    """A one-page Markdown summary: every update rule (from the optimizer registry), the defaults,
    the EWA, bias correction and iterations per epoch.

    >>> "v̂ = v/(1−β1^t)" in formula_sheet()
    True
    """
    from .optimizers import OPTIMIZERS

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
    return "\n".join(lines)


_ROW_NOTE = {"amsgrad": " (PyTorch's form, bias-corrected; the paper's AMSGrad has no bias "
                        "correction)"}

_SYMBOL = {"lr": "η", "beta": "β", "beta1": "β1", "beta2": "β2", "eps": "ε", "rho": "ρ",
           "weight_decay": "λ"}
