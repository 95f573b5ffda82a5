"""A timed mock interview: N mixed questions under a clock, one "explain out loud" prompt, and a
score report that sends you back to the sections to revisit.

:func:`mock_interview` draws the questions with its rng: at least one numeric question (compute
it on the spot), choice and numeric questions from as many different topics as the bank allows,
and exactly one explain question, always the last one: say your answer out loud (or type it),
press "I am done", compare with the model answer and tick the key points you covered (the hints
only suggest; nothing is ticked for you).

The clock starts when you press Start. It is shown on every answer and, in a live kernel, every
second by a light timer on the kernel's event loop (a callback, never a loop that blocks the
kernel). When the time is up the interview ends: the questions left count as not answered and
the report appears. The clock stops when you say you are done with the last question (ticking
the rubric is not interview time).

The report (``.result``, a :class:`MockResult`; ``str(result)`` is the plain text): score, time
used, each question's result, and the WEAK TOPICS, each topic with a wrong or unanswered question,
with a link to the notebook section that shows the answer (``09_adam.ipynb#Bias-correction``: a
heading's anchor in JupyterLab is its text with spaces turned into ``-``). Every answer you give
is saved in your progress file (source ``"mock"``), so ``progress()`` counts it.

>>> m = mock_interview(n=3, minutes=5, rng=0, clock=lambda: 0.0)
>>> [q["kind"] for q in m.questions][-1], len(m)
('explain', 3)
"""
from __future__ import annotations

import datetime as _dt
import functools
import html
import json
import math
import numbers
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from .._validate import _show, check_number, check_rng
from ._controls import esc as _esc
from ._controls import feedback_html, read_answer_input, rubric_rows, show_answer_input
from ._controls import safe as _safe
from .progress import _course_folder, record_attempt
from .srs import as_date

__all__ = ["MockInterview", "MockResult", "QuestionResult", "Revisit", "mock_interview",
           "draw_questions", "section_link", "STATUSES"]

#: What happened to a question: answered right, answered wrong, passed with "Skip", or never
#: answered (time ran out, or the interview was ended before it).
STATUSES = ("right", "wrong", "skipped", "not answered")
_MAX_MINUTES = 24 * 60
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder that holds course_lib/


def _quiz():
    from .. import quiz  # inside functions: course_lib.quiz imports this module at its end

    return quiz


# --------------------------------------------------------------------------------------------
# Links to the sections
def _heading_anchor(text: str) -> str:
    """The anchor JupyterLab gives a heading: its text with every space turned into ``-``."""
    return text.strip().replace(" ", "-")


@functools.lru_cache(maxsize=32)
def _headings(path: str) -> tuple:
    """The ``##`` and ``###`` heading texts of a notebook file, in order ('' on any problem)."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        out = []
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "markdown":
                continue
            source = cell.get("source", "")
            for line in ("".join(source) if isinstance(source, list) else source).splitlines():
                hashes = len(line) - len(line.lstrip("#"))
                if hashes in (2, 3) and line[hashes:hashes + 1] == " ":
                    out.append(line[hashes:].strip())
        return tuple(out)
    except (OSError, ValueError, TypeError, AttributeError):
        return ()


def _notebook_file(notebook: str) -> Path | None:
    for root in (_course_folder(Path.cwd().resolve()), _PACKAGE_ROOT):
        if root is not None and (root / notebook).is_file():
            return root / notebook
    return None


def _heading_of(notebook: str, section: str) -> str:
    """The full heading a question's ``section`` names: the heading equal to it (case ignored),
    else the first that starts with it, else the first that contains it; the section text
    itself when the notebook or no such heading is found."""
    path = _notebook_file(notebook)
    heads = _headings(str(path)) if path is not None else ()
    key = section.strip().casefold()
    for test in (str.__eq__, str.startswith, str.__contains__):
        for head in heads:
            if test(head.casefold(), key):
                return head
    return section.strip()


def section_link(experiment) -> str:
    """The relative link to a question's section, ``NN_name.ipynb#Heading-text``.

    ``experiment`` is a question's ``{"notebook": ..., "section": ...}`` (or the question
    itself). The link works from a notebook in ``notebooks/`` (JupyterLab opens the chapter and
    scrolls to the heading). Characters outside ASCII are percent-encoded.

    >>> section_link({"notebook": "notebooks/09_adam.ipynb", "section": "Bias correction"})
    '09_adam.ipynb#Bias-correction'
    """
    if isinstance(experiment, dict) and "experiment" in experiment:
        experiment = experiment["experiment"]
    if not isinstance(experiment, dict) or not isinstance(experiment.get("notebook"), str) \
            or not isinstance(experiment.get("section"), str):
        raise TypeError(f"experiment must be a question's {{'notebook': ..., 'section': ...}}, "
                        f"got {_show(experiment)}")
    heading = _heading_of(experiment["notebook"], experiment["section"])
    anchor = quote(_heading_anchor(heading), safe="-._~!$&'()*+,;=:@/?")
    return f"{Path(experiment['notebook']).name}#{anchor}"


# --------------------------------------------------------------------------------------------
# Drawing the questions
def _as_list(name, value, convert) -> list:
    if value is None:
        return []
    items = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
    if not items:
        raise ValueError(f"{name} must be None (every one) or hold at least one name; "
                         f"got {_show(value)}")
    out = []
    for pos, v in enumerate(items):
        try:
            out.append(convert(v))
        except (TypeError, ValueError) as err:  # say which argument the bad name came from
            where = f"{name}[{pos}]" if isinstance(value, (list, tuple)) else name
            raise type(err)(f"{where}: {err}") from None
    return out


def _check_topic(topic) -> str:
    Q = _quiz()
    if not isinstance(topic, str):
        raise TypeError(f"topics must hold topic names (texts) such as 'warmup', got "
                        f"{_show(topic)} of type {type(topic).__name__}")
    from .._validate import check_choice

    return check_choice("topics", topic, Q.TOPICS)


def _pool(chapters, topics) -> tuple[list, str]:
    Q = _quiz()
    cids = _as_list("chapters", chapters, Q.chapter_id)
    tids = _as_list("topics", topics, _check_topic)
    pool = [q for q in Q.load_questions()
            if (not cids or q["chapter"] in cids) and (not tids or Q.topic_of(q) in tids)]
    parts = []
    if cids:
        parts.append(f"chapters={cids!r}")
    if tids:
        parts.append(f"topics={tids!r}")
    return pool, " and ".join(parts) or "the whole bank"


def _limits(pool, where) -> int:
    kinds = Counter(q["kind"] for q in pool)
    missing = [k for k in ("explain", "numeric") if not kinds[k]]
    if missing:
        raise ValueError(f"a mock interview needs at least one explain and one numeric question; "
                         f"{where} has {kinds['explain']} explain, {kinds['numeric']} numeric "
                         f"and {kinds['choice']} choice questions; widen chapters or topics "
                         f"(None takes them all)")
    return 1 + kinds["numeric"] + kinds["choice"]


def draw_questions(n=8, *, rng=0, chapters=None, topics=None) -> list[dict]:
    """The questions of a mock interview, in the order asked (bank copies, choices unshuffled).

    One explain question, last (the "explain out loud" prompt), drawn at random; before it
    ``n - 1`` choice and numeric questions, at least one of them numeric. Each pick takes a
    question of the least-used topic so far, then of the less-used kind, so the questions come
    from as many topics as the filter allows; ties go to the rng's order. The first ``n - 1``
    are then shuffled, so the numeric one can be anywhere.

    >>> qs = draw_questions(4, rng=1)
    >>> qs[-1]["kind"], sum(q["kind"] == "numeric" for q in qs) >= 1
    ('explain', True)
    """
    Q = _quiz()
    rng = check_rng("rng", rng)
    pool, where = _pool(chapters, topics)
    high = _limits(pool, where)
    n = check_number("n", n, low=2, high=high, integer=True)
    explains = [q for q in pool if q["kind"] == "explain"]
    others = [q for q in pool if q["kind"] != "explain"]
    final = explains[int(rng.integers(len(explains)))]
    others = [others[i] for i in rng.permutation(len(others))]
    topic_count = Counter({Q.topic_of(final): 1})
    kind_count: Counter = Counter()
    picked: list[dict] = []

    def take(candidates):
        best = min(candidates, key=lambda q: (topic_count[Q.topic_of(q)], kind_count[q["kind"]]))
        others.remove(best)
        picked.append(best)
        topic_count[Q.topic_of(best)] += 1
        kind_count[best["kind"]] += 1

    take([q for q in others if q["kind"] == "numeric"])
    while len(picked) < n - 1:
        take(others)
    picked = [picked[i] for i in rng.permutation(len(picked))]
    return picked + [final]


# --------------------------------------------------------------------------------------------
# The result
class QuestionResult(NamedTuple):
    """One question of the interview: ``number`` (1-based), ``id``, ``topic``, ``kind``,
    ``status`` (one of :data:`STATUSES`), ``right`` (bool), ``seconds`` on it (None when never
    shown), ``grade`` (the :class:`course_lib.quiz.Grade`, None when not answered), ``answer``
    (the right answer as text), ``question`` (its text), ``link`` (:func:`section_link`),
    ``notebook`` and ``section``."""
    number: int
    id: str
    topic: str
    kind: str
    status: str
    right: bool
    seconds: float | None
    grade: object
    answer: str
    question: str
    link: str
    notebook: str
    section: str


class Revisit(NamedTuple):
    """A section to revisit for a weak topic: ``topic``, ``notebook`` (path), ``section``
    (heading text as in the bank), ``link`` (relative, with the heading's anchor) and
    ``questions`` (the numbers of the questions that sent you there)."""
    topic: str
    notebook: str
    section: str
    link: str
    questions: tuple


def _clock_text(seconds: float) -> str:
    seconds = max(0, int(math.ceil(seconds - 1e-9)))
    return f"{seconds // 60}:{seconds % 60:02d}"


class MockResult:
    """The score report of a finished mock interview.

    Attributes: ``score`` (right answers), ``total`` (questions), ``answered``, ``items``
    (tuple of :class:`QuestionResult`, in the order asked), ``weak_topics`` (tuple of topic
    names with a wrong or unanswered question, in the order first met), ``revisit`` (tuple of
    :class:`Revisit`: the sections to read again), ``seconds_used``, ``minutes`` (the time
    allowed), ``ended`` ("done", "time" or "stopped"), ``saved`` (answers saved in the progress
    file), ``today``. ``text`` (also ``str()``) is the plain-text report, ``html`` the one the
    widget shows.
    """

    def __init__(self, items, *, seconds_used, minutes, ended, saved, today):
        self.items = tuple(items)
        self.total = len(self.items)
        self.score = sum(r.right for r in self.items)
        self.answered = sum(r.status in ("right", "wrong") for r in self.items)
        self.seconds_used, self.minutes = float(seconds_used), minutes
        self.ended, self.saved, self.today = ended, saved, today
        weak: dict[str, list] = {}
        for r in self.items:
            if not r.right:
                weak.setdefault(r.topic, []).append(r)
        self.weak_topics = tuple(weak)
        revisit = []
        for topic, rows in weak.items():
            by_section: dict = {}
            for r in rows:
                by_section.setdefault((r.notebook, r.section, r.link), []).append(r.number)
            revisit += [Revisit(topic, nb, sec, link, tuple(nums))
                        for (nb, sec, link), nums in by_section.items()]
        self.revisit = tuple(revisit)

    @property
    def share(self) -> float:
        """The share of questions answered right."""
        return self.score / self.total

    def _ended_text(self) -> str:
        return {"done": "reached the end", "time": "time ran out",
                "stopped": "ended early"}[self.ended]

    def _next_step(self) -> str:
        if not self.weak_topics:
            return "Next: every answer right. Try a longer interview, or other chapters."
        first = self.revisit[0]
        return (f"Next: read “{first.section}” again, then run quiz(topic="
                f"'{first.topic}') and review() to fix it in memory.")

    @property
    def text(self) -> str:
        lines = [f"Mock interview on {self.today.isoformat()}: {self.score} of {self.total} "
                 f"right ({self.share:.0%}), time used {_clock_text(self.seconds_used)} of "
                 f"{_clock_text(self.minutes * 60)} ({self._ended_text()})"]
        for r in self.items:
            mark = {"right": "✔", "wrong": "✘"}.get(r.status, "–")
            spent = "" if r.seconds is None else f" {_clock_text(r.seconds)}"
            lines.append(f" {r.number:2d}. {mark} {r.status:<12} {r.topic.replace('_', ' '):<30}"
                         f" {r.kind:<8}{spent}  {_short(r.question)}")
            if not r.right:
                lines.append(f"       answer: {_short(r.answer, 90)}")
        if self.weak_topics:
            lines.append("Weak topics, and the sections to revisit:")
            for v in self.revisit:
                nums = ", ".join(map(str, v.questions))
                lines.append(f"  {v.topic.replace('_', ' ')} (question {nums}): {v.notebook}, "
                             f"section “{v.section}” ({v.link})")
        else:
            lines.append("Weak topics: none.")
        lines.append(f"{self.saved} answer(s) saved in your progress file.")
        lines.append(self._next_step())
        return "\n".join(lines)

    def __str__(self):
        return self.text

    def __repr__(self):
        return (f"MockResult(score={self.score}, total={self.total}, "
                f"weak_topics={self.weak_topics!r})")

    @property
    def html(self) -> str:
        esc = html.escape
        rows = []
        for r in self.items:
            color = {"right": "#1b5e20", "wrong": "#b00020"}.get(r.status, "#6d4c00")
            mark = {"right": "✔", "wrong": "✘"}.get(r.status, "–")
            spent = "" if r.seconds is None else _clock_text(r.seconds)
            answer = "" if r.right else f"<br><small>answer: {esc(_short(r.answer, 160))}</small>"
            rows.append(f"<tr><td>{r.number}</td><td style='color:{color}'>{mark} "
                        f"{esc(r.status)}</td><td>{esc(r.topic.replace('_', ' '))}</td>"
                        f"<td>{esc(r.kind)}</td><td>{spent}</td>"
                        f"<td>{esc(_short(r.question, 100))}{answer}</td></tr>")
        if self.weak_topics:
            weak = "".join(
                f"<li><b>{esc(v.topic.replace('_', ' '))}</b> (question "
                f"{', '.join(map(str, v.questions))}): "
                f"<a href=\"{esc(v.link, quote=True)}\">{esc(v.section)}</a> "
                f"in <code>{esc(v.notebook)}</code></li>" for v in self.revisit)
            weak = f"<h4>Weak topics: revisit these sections</h4><ul>{weak}</ul>"
        else:
            weak = "<h4>Weak topics: none</h4>"
        return (f"<div><h4>Score: {self.score} of {self.total} ({self.share:.0%}) · time used "
                f"{_clock_text(self.seconds_used)} of {_clock_text(self.minutes * 60)} "
                f"({self._ended_text()})</h4>"
                f"<table><tr><th>#</th><th>result</th><th>topic</th><th>kind</th><th>time</th>"
                f"<th>question</th></tr>{''.join(rows)}</table>{weak}"
                f"<p><small>{self.saved} answer(s) saved in your progress file.</small></p>"
                f"<p>{esc(self._next_step())}</p></div>")

    def _repr_html_(self):
        return self.html


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --------------------------------------------------------------------------------------------
# The widget
class MockInterview:
    """A timed mock interview (build it with :func:`mock_interview`).

    Press **Start** (``start()``): the clock runs. Each question in turn: pick or type, press
    **Answer** (``answer(response)``; choice: the index *as shown* or the text; numeric: a
    number) or **Skip** (``skip()``). The last question is the explain prompt: answer out loud
    or type notes, press **I am done** (``answer(text)``, the clock stops), read the model
    answer, tick the key points you covered and press **Score my answer**
    (``score_answer(covered)``; right only when every point is ticked, as in ``quiz()``).
    **End now** (``stop()``) ends early. ``tick()`` reads the clock (the live timer calls it
    every ``tick_seconds``); when the time is up the interview ends.

    No right/wrong is shown during the interview (as in a real one); the report at the end has
    it all: ``result`` (a :class:`MockResult`, None until the end), ``finished``,
    ``remaining`` (seconds left), ``questions`` (as shown, choices in the shown order),
    ``current`` (the question on screen, None before the start and at the end), ``controls``
    (the ipywidgets: ``clock``, ``progress``, ``question``, ``choice``, ``number``, ``text``,
    ``start``, ``answer``, ``skip``, ``stop``, ``rubric``, ``points`` (the checkboxes),
    ``score_answer``, ``feedback``, ``report`` (an Output holding the report)) and ``widget``.
    """

    #: Seconds between two updates of the clock by the live timer.
    tick_seconds = 1.0

    def __init__(self, items, *, minutes, rng, clock, today, title="Mock interview"):
        import ipywidgets as w

        Q = _quiz()
        self._w, self._clock, self.today, self.minutes = w, clock, today, minutes
        self.questions = [Q.shuffle_choices(q, rng) for q in items]
        self.index = -1                      # -1: not started
        self.started_at = self.stopped_at = None
        self.finished, self.result, self.saved, self.store_error = False, None, 0, None
        self._status = ["not answered"] * len(self.questions)
        self._grades: list = [None] * len(self.questions)
        self._seconds: list = [None] * len(self.questions)
        self._shown_at = None
        self._revealed = None                # (text, grade) of the explain answer, once shown
        self._timer = None
        c = self.controls = {
            "clock": w.HTML(), "progress": w.HTML(), "question": w.HTML(),
            "choice": w.RadioButtons(options=[], value=None, layout=w.Layout(width="auto")),
            "number": w.Text(placeholder="a number, e.g. 391 or 0.001", description="Answer:"),
            "text": w.Textarea(placeholder="Say it out loud; type notes here if you like",
                               layout=w.Layout(width="95%", height="6em")),
            "start": w.Button(description="Start", button_style="primary"),
            "answer": w.Button(description="Answer", button_style="primary"),
            "skip": w.Button(description="Skip"),
            "stop": w.Button(description="End now", button_style="warning"),
            "rubric": w.VBox([]), "points": [],
            "score_answer": w.Button(description="Score my answer", button_style="primary"),
            "feedback": w.HTML(),
            # an Output, not an HTML widget: JupyterLab renders its HTML with the notebook's
            # link handler, so a relative link opens the chapter and scrolls to the heading
            "report": w.Output(),
        }
        c["start"].on_click(lambda _: self.start())
        c["answer"].on_click(lambda _: self.answer())
        c["skip"].on_click(lambda _: self.skip())
        c["stop"].on_click(lambda _: self.stop())
        c["score_answer"].on_click(lambda _: self.score_answer())
        self.widget = w.VBox([
            w.HTML(f"<b>{_esc(title)}</b>"), c["clock"], c["progress"], c["question"],
            c["choice"], c["number"], c["text"],
            w.HBox([c["start"], c["answer"], c["skip"], c["stop"]]),
            c["rubric"], c["score_answer"], c["feedback"], c["report"]])
        self._show()

    def __len__(self):
        return len(self.questions)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = str(self.result) if self.result is not None else repr(self)
        return bundle

    def __repr__(self):
        state = ("finished" if self.finished else "not started" if self.index < 0
                 else f"question {self.index + 1}")
        return (f"MockInterview({len(self)} questions, {_clock_text(self.minutes * 60)}, "
                f"{state})")

    # --- the clock ----------------------------------------------------------------------------
    def _now(self) -> float:
        value = self._clock()
        if isinstance(value, bool) or not isinstance(value, numbers.Real) \
                or not math.isfinite(value):
            raise TypeError(f"clock must return a finite number of seconds, got {_show(value)}")
        return float(value)

    @property
    def remaining(self) -> float:
        """Seconds left (the whole time before the start; frozen once the clock stopped)."""
        if self.started_at is None:
            return self.minutes * 60.0
        now = self.stopped_at if self.stopped_at is not None else self._now()
        return max(0.0, self.started_at + self.minutes * 60.0 - now)

    def _time_up(self) -> bool:
        return self.started_at is not None and self.stopped_at is None \
            and not self.finished and self.remaining <= 0

    def tick(self) -> float:
        """Read the clock: update its display; end the interview when the time is up.
        Returns the seconds left."""
        try:
            if self._time_up():
                self._finish("time")
            self._show_clock()
            return self.remaining
        except Exception as err:  # noqa: BLE001 - the timer must never raise
            self._say(f"{type(err).__name__}: {err}", error=True)
            return 0.0

    def _show_clock(self):
        left = self.remaining
        color = "#b00020" if self.started_at is not None and left < 60 else "inherit"
        if self.finished:
            text = f"Time used: {_clock_text(self.result.seconds_used)}"
        elif self.stopped_at is not None:
            text = f"Clock stopped at {_clock_text(left)} left: score your answer"
        else:
            text = f"Time left: <b>{_clock_text(left)}</b> of {_clock_text(self.minutes * 60)}"
        self.controls["clock"].value = f'<div style="color:{color}">⏱ {text}</div>'

    def _start_timer(self):
        """In a running event loop (a live kernel), update the clock every ``tick_seconds``
        with a callback: the kernel never waits for it. Without one (plain Python, tests),
        the clock updates on every action only."""
        import asyncio  # here: importing it costs ~40 ms, and only a live kernel needs it

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._timer = loop.call_later(self.tick_seconds, self._on_timer)

    def _on_timer(self):
        self._timer = None
        self.tick()
        if not self.finished and self.stopped_at is None:
            self._start_timer()

    def _cancel_timer(self):
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # --- the flow -----------------------------------------------------------------------------
    @property
    def current(self) -> dict | None:
        """The question on screen (choices as shown), None before the start and at the end."""
        if self.finished or not 0 <= self.index < len(self):
            return None
        return self.questions[self.index]

    @_safe
    def start(self):
        """Start the clock and show the first question."""
        if self.started_at is not None:
            self._say("The interview has already started." if not self.finished
                      else "This interview is over: run mock_interview() again for a new one.")
            return
        self.started_at = self._now()
        self.index = 0
        self._shown_at = self.started_at
        self._show()
        self._start_timer()

    def _check_can_answer(self) -> dict | None:
        if self.finished:
            self._say("The interview is over: read the report below.")
            return None
        if self.started_at is None:
            self._say("Press 'Start' first.")
            return None
        if self._time_up():
            self._finish("time")
            self._say("Time is up: that answer came too late.")
            return None
        return self.current

    @_safe
    def answer(self, response=None):
        """Answer the current question (None reads the input widget, like the Answer button).

        Choice and numeric: graded and saved, the next question appears (no right/wrong until
        the report). Explain: the clock stops, the model answer and the key points appear;
        nothing counts until :meth:`score_answer`. Returns the Grade (None when refused)."""
        q = self._check_can_answer()
        if q is None:
            return None
        if self._awaiting_ticks():
            return None
        if response is None:
            response = self._read_input(q)
            if response is None:
                return None
        Q = _quiz()
        result = Q.grade(q, response)
        if q["kind"] == "explain":
            self.stopped_at = self._now()
            self._seconds[self.index] = self.stopped_at - self._shown_at
            self._cancel_timer()
            self._revealed = (response, result)
            self._show_rubric(q, result.suggested)
            self._show_clock()
            return result
        self._done_with(q, "right" if result.correct else "wrong", result)
        return result

    @_safe
    def score_answer(self, covered=None):
        """Score the explain answer by the key points ticked (``covered``: indices; None reads
        the checkboxes, like the button). Right only when every point is ticked."""
        q = self.current
        if q is None or q["kind"] != "explain" or self._revealed is None:
            self._say("Only the explain answer is scored this way: write or say it and press "
                      "'I am done' first." if q is not None and q["kind"] == "explain"
                      else "Only the explain answer is scored this way.")
            return None
        if covered is None:
            covered = [i for i, box in enumerate(self.controls["points"]) if box.value]
        result = _quiz().grade(q, self._revealed[0], covered=covered)
        for i, box in enumerate(self.controls["points"]):
            box.value, box.disabled = i in result.covered, True
        self._done_with(q, "right" if result.correct else "wrong", result)
        return result

    @_safe
    def skip(self):
        """Pass on the current question (it counts as skipped: not right)."""
        q = self._check_can_answer()
        if q is None:
            return None
        if self._awaiting_ticks():
            return None
        self._done_with(q, "skipped", None)

    @_safe
    def stop(self):
        """End the interview now: the questions left count as not answered."""
        if self.finished:
            self._say("The interview is over: read the report below.")
            return
        if self.started_at is None:
            self.started_at = self._now()
        self._finish("time" if self._time_up() else "stopped")

    def _done_with(self, q, status, result):
        i = self.index
        self._status[i], self._grades[i] = status, result
        if self._seconds[i] is None:
            self._seconds[i] = self._now() - self._shown_at
        self._save(q, status == "right")
        self._revealed = None
        self.index += 1
        if self.index >= len(self):
            self._finish("done")
            return
        self._shown_at = self._now()
        self._show()

    def _save(self, q, right):
        """Save the answer in the progress file (a skip is saved as not right: it is "I do not
        know" in an interview). A store that fails never stops the interview."""
        when = None
        if self.today is not None:
            when = _dt.datetime.combine(self.today, _dt.datetime.now().time())
        try:
            self.saved += bool(record_attempt(q, bool(right), source="mock", when=when))
        except Exception as err:  # noqa: BLE001 - the interview goes on without its record
            self.store_error = f"{type(err).__name__}: {err}"

    def _finish(self, ended):
        if self.finished:
            return
        self._cancel_timer()
        now = self.stopped_at if self.stopped_at is not None else self._now()
        limit = self.started_at + self.minutes * 60.0
        used = min(now, limit) - self.started_at
        if ended != "done" and 0 <= self.index < len(self) and self._seconds[self.index] is None \
                and self._shown_at is not None:
            self._seconds[self.index] = min(now, limit) - self._shown_at
        self.finished = True
        self.result = MockResult(self._rows(), seconds_used=used, minutes=self.minutes,
                                 ended=ended, saved=self.saved,
                                 today=self.today or _dt.date.today())
        self._show()

    def _rows(self):
        Q = _quiz()
        rows = []
        for i, q in enumerate(self.questions):
            status, g = self._status[i], self._grades[i]
            exp = q.get("experiment") or {"notebook": Q.notebook_of(q["chapter"]),
                                          "section": ""}
            if q["kind"] == "choice":
                answer = q["choices"][q["answer"]]
            elif q["kind"] == "numeric":
                answer = Q._fmt(q["answer"])
            else:
                answer = "key points: " + "; ".join(p["point"].rstrip(". ")
                                                    for p in q["rubric"])
            link = section_link(exp) if exp["section"] else Path(exp["notebook"]).name
            rows.append(QuestionResult(i + 1, q["id"], Q.topic_of(q), q["kind"], status,
                                       status == "right", self._seconds[i], g, answer,
                                       q["question"], link, exp["notebook"], exp["section"]))
        return rows

    # --- display ------------------------------------------------------------------------------
    def _say(self, text, *, error=False):
        self.controls["feedback"].value = feedback_html(text, error=error)

    def _awaiting_ticks(self) -> bool:
        """True (and says so) while the explain answer waits for its ticks."""
        if self._revealed is not None:
            self._say("Tick the key points you covered, then press 'Score my answer'.")
        return self._revealed is not None

    def _read_input(self, q):
        value = read_answer_input(self.controls, q)
        if value is None:
            self._say({"choice": "Pick one of the choices first (or press 'Skip').",
                       "numeric": "Type your answer first (or press 'Skip')."}.get(
                          q["kind"], "Type a few words of what you said (the hints use them), "
                                     "then press 'I am done'."))
            return None
        return value

    def _show_rubric(self, q, suggested):
        w = self._w
        boxes, rows = rubric_rows(w, q, suggested)
        c = self.controls
        c["points"] = boxes
        c["rubric"].children = [w.HTML(f"<div><b>Model answer:</b> {_esc(q['model_answer'])}"
                                       f"</div><b>Key points: tick the ones you covered</b>")
                                ] + rows
        c["rubric"].layout.display = None
        c["score_answer"].layout.display = None
        c["answer"].disabled = c["skip"].disabled = True
        self._say("The clock is stopped. Points marked 'seems present' share words with your "
                  "notes: a hint, not a tick. Tick what you really said, then press "
                  "'Score my answer'.")

    def _show(self):
        c, q = self.controls, self.current
        for name in ("choice", "number", "text", "rubric", "score_answer"):
            c[name].layout.display = "none"
        c["rubric"].children, c["points"] = [], []
        c["feedback"].value = ""
        started = self.started_at is not None
        c["start"].layout.display = "none" if started else None
        for name in ("answer", "skip", "stop"):
            c[name].layout.display = None if started and not self.finished else "none"
            c[name].disabled = False
        if self.finished:
            c["progress"].value = ""
            c["question"].value = "<b>The interview is over.</b>"
            c["report"].outputs = ({"output_type": "display_data", "metadata": {},
                                    "data": {"text/plain": self.result.text,
                                             "text/html": self.result.html}},)
        elif not started:
            c["progress"].value = ""
            c["question"].value = (
                f"<p>{len(self)} questions in {_clock_text(self.minutes * 60)} minutes, one at "
                f"a time: compute numbers on the spot (paper is fine, no notebook), and finish "
                f"by explaining one idea out loud. No feedback until the end. Press "
                f"<b>Start</b> when you are ready.</p>")
        else:
            c["progress"].value = (f"Question {self.index + 1} of {len(self)} · "
                                   f"<i>{q['kind']}</i>")
            prompt = ("<b>Explain out loud</b>, as to an interviewer (about a minute), then "
                      "press 'I am done'. " if q["kind"] == "explain" else "")
            c["question"].value = f"<p>{prompt}{_esc(q['question'])}</p>"
            c["answer"].description = "I am done" if q["kind"] == "explain" else "Answer"
            show_answer_input(c, q)
        self._show_clock()


def _check_clock(clock):
    if clock is None:
        return time.monotonic
    if not callable(clock):
        raise TypeError(f"clock must be a function that returns the time in seconds (such as "
                        f"time.monotonic), got {_show(clock)}")
    value = clock()
    if isinstance(value, bool) or not isinstance(value, numbers.Real) \
            or not math.isfinite(value):
        raise TypeError(f"clock must return a finite number of seconds, got {_show(value)}")
    return clock


def mock_interview(n=8, minutes=15, rng=0, chapters=None, topics=None, today=None, *,
                   clock=None) -> MockInterview:
    """A timed mock interview: ``n`` mixed questions in ``minutes``, one explained out loud.

    Parameters
    ----------
    n : int
        How many questions, from 2 (one numeric, then the explain prompt) up to one explain
        question plus every choice and numeric question of the filter.
    minutes : float
        The time allowed, > 0 and at most 24 hours.
    rng : numpy.random.Generator or int
        Seed of the draw, the question order and every question's choice order: the same seed
        gives the same interview.
    chapters : chapter, list of chapters, or None
        Chapter numbers (0-12) or ids; None: every chapter.
    topics : str, list of str, or None
        Topics (``course_lib.quiz.TOPICS``, e.g. ``["warmup", "adam"]``); None: every topic.
    today : datetime.date, "YYYY-MM-DD" or None
        The day the answers are saved under and the report shows (None: today).
    clock : callable or None
        Returns the time in seconds (None: ``time.monotonic``); tests pass a fake one.

    Returns
    -------
    MockInterview
        Display it in a notebook cell and press Start; ``.start()``, ``.answer(...)``,
        ``.skip()``, ``.score_answer(covered)``, ``.stop()``, ``.tick()`` and ``.result`` work
        without a front end too.

    Raises
    ------
    ValueError or TypeError
        For a bad argument, naming it, the value and what is allowed (e.g. an ``n`` larger than
        the filter allows, or a filter without an explain or a numeric question).
    """
    rng = check_rng("rng", rng)
    minutes = check_number("minutes", minutes, low=0, low_open=True, high=_MAX_MINUTES)
    today = None if today is None else as_date("today", today)
    clock = _check_clock(clock)
    items = draw_questions(n, rng=rng, chapters=chapters, topics=topics)
    return MockInterview(items, minutes=minutes, rng=rng, clock=clock, today=today)
