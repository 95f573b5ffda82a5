"""The timed mock interview, driven headless through its controls with a fake clock.

Expected scores, weak topics, times and links are worked out here from the plan of each test and
from the bank's JSON files and the notebooks themselves, never read from the code under test.
"""
import asyncio
import datetime as dt
import doctest
import json
import math
import pathlib
from urllib.parse import unquote

import numpy as np
import pytest

from course_lib import quiz as Q
from course_lib.teaching import mock_interview as M
from course_lib.teaching import progress as P

ROOT = pathlib.Path(__file__).resolve().parents[1]
RAW = {q["id"]: q for f in sorted((ROOT / "course_lib/teaching/questions").glob("*.json"))
       for q in json.loads(f.read_text(encoding="utf-8"))["questions"]}
_MATH = {"sqrt": math.sqrt, "log": math.log, "log2": math.log2, "log10": math.log10,
         "exp": math.exp, "ceil": math.ceil, "floor": math.floor, "min": min, "max": max,
         "abs": abs, "round": round, "pi": math.pi, "e": math.e}


class FakeClock:
    def __init__(self, t=1000.0):
        self.t = t

    def __call__(self):
        return self.t


def topic(qid):
    q = RAW[qid]
    return q.get("topic", q["chapter"])


def right_value(qid):
    q = RAW[qid]
    return q["answer"] if "answer" in q else eval(q["compute"], {"__builtins__": {}}, _MATH)


def give(m, right):
    """Answer the question on screen through the controls, right or wrong."""
    q, c = m.current, m.controls
    raw = RAW[q["id"]]
    if q["kind"] == "choice":
        text = raw["choices"][raw["answer"]]
        shown = q["choices"].index(text)
        c["choice"].index = shown if right else (shown + 1) % len(q["choices"])
    else:
        value = right_value(q["id"])
        c["number"].value = repr(value if right else value + 2 * raw["tolerance"] + 1
                                 + abs(value))
    c["answer"].click()


def headings(notebook):
    nb = json.loads((ROOT / notebook).read_text(encoding="utf-8"))
    return [line.lstrip("#").strip() for cell in nb["cells"] if cell["cell_type"] == "markdown"
            for line in "".join(cell["source"]).splitlines()
            if line.startswith("## ") or line.startswith("### ")]


# ---------------------------------------------------------------------------- the draw
@pytest.mark.parametrize("seed", range(8))
def test_the_draw_mixes_kinds_and_spreads_topics(seed):
    for n in (2, 5, 8, 12):
        ids = [q["id"] for q in M.draw_questions(n, rng=seed)]
        kinds = [RAW[i]["kind"] for i in ids]
        assert len(ids) == n == len(set(ids))
        assert kinds[-1] == "explain" and kinds.count("explain") == 1
        assert "numeric" in kinds
        # 16 topics in the bank: each of the first 16 picks takes a topic not used yet
        assert len({topic(i) for i in ids}) == n
    for n in (4, 8):  # a mix: choice and numeric both present
        assert {"choice", "numeric"} <= {RAW[q["id"]]["kind"] for q in M.draw_questions(n,
                                                                                  rng=seed)}


def test_the_draw_keeps_to_the_filter_and_shares_the_topics():
    qs = M.draw_questions(5, rng=2, topics=["lion", "warmup"])
    counts = {t: sum(topic(q["id"]) == t for q in qs) for t in ("lion", "warmup")}
    assert sum(counts.values()) == 5 and abs(counts["lion"] - counts["warmup"]) == 1
    qs = M.draw_questions(3, rng=2, chapters=[9, "momentum"])
    assert {RAW[q["id"]]["chapter"] for q in qs} <= {"adam", "momentum"}
    assert len({RAW[q["id"]]["chapter"] for q in qs}) == 2


def test_same_rng_same_questions_order_and_choices():
    clock = FakeClock()
    a = M.mock_interview(n=8, rng=11, clock=clock)
    b = M.mock_interview(n=8, rng=11, clock=clock)
    c = M.mock_interview(n=8, rng=np.random.default_rng(11), clock=clock)
    shown = [[(q["id"], q.get("choices")) for q in m.questions] for m in (a, b, c)]
    assert shown[0] == shown[1] == shown[2]
    other = M.mock_interview(n=8, rng=12, clock=clock)
    assert [q["id"] for q in other.questions] != [q["id"] for q in a.questions]
    # the choices are shown shuffled: some right answers moved from their stored place
    moved = [q["choices"] != RAW[q["id"]]["choices"] for m in (a, other) for q in m.questions
             if q["kind"] == "choice"]
    assert any(moved)


# ---------------------------------------------------------------------------- a full run
def test_a_full_run_scores_reports_weak_topics_and_saves_every_answer(fresh):
    clock = FakeClock(500.0)
    m = Q.mock_interview(n=6, minutes=10, rng=3, today="2026-01-15", clock=clock)
    c = m.controls
    ids = [q["id"] for q in m.questions]
    assert m.current is None and "Press <b>Start</b>" in c["question"].value
    assert "10:00" in c["clock"].value
    c["start"].click()
    plan = ["right", "wrong", "right", "skip", "right"]  # then the explain: one point ticked
    for k, step in enumerate(plan, start=1):
        assert m.current["kind"] in ("choice", "numeric")
        clock.t += 40
        if step == "skip":
            c["skip"].click()
        else:
            give(m, step == "right")
        left = 600 - 40 * k  # the clock moves on every answer
        assert f"Time left: <b>{left // 60}:{left % 60:02d}</b>" in c["clock"].value
    assert m.current["kind"] == "explain" and c["answer"].description == "I am done"
    clock.t += 40
    c["text"].value = "Some words."
    c["answer"].click()
    assert len(c["points"]) == len(RAW[ids[-1]]["rubric"]) >= 2
    clock.t += 300  # ticking the rubric is not interview time
    c["points"][0].value = True
    c["score_answer"].click()

    r = m.result
    assert m.finished and r is not None and r.ended == "done"
    statuses = ["right", "wrong", "right", "skipped", "right", "wrong"]
    assert [x.status for x in r.items] == statuses
    assert r.score == 3 and r.total == 6 and r.answered == 5
    assert r.seconds_used == 6 * 40 and [x.seconds for x in r.items] == [40] * 6
    weak = []
    for qid, status in zip(ids, statuses, strict=True):
        if status != "right" and topic(qid) not in weak:
            weak.append(topic(qid))
    assert list(r.weak_topics) == weak and len(weak) == 3
    # each weak topic links to the heading of the section its question names
    for v in r.revisit:
        (number,) = v.questions
        exp = RAW[ids[number - 1]]["experiment"]
        assert (v.topic, v.notebook, v.section) == (topic(ids[number - 1]), exp["notebook"],
                                                    exp["section"])
        name, anchor = v.link.split("#")
        assert name == pathlib.Path(exp["notebook"]).name
        assert unquote(anchor) in [h.replace(" ", "-") for h in headings(exp["notebook"])]
        assert f'<a href="{v.link}">' in r.html
    text = str(r)
    assert "3 of 6 right (50%), time used 4:00 of 10:00 (reached the end)" in text
    assert "2026-01-15" in text and all(t.replace("_", " ") in text for t in weak)
    html_out = c["report"].outputs[0]["data"]
    assert html_out["text/html"] == r.html and html_out["text/plain"] == text
    # the store: every answer (the skip as not right), source "mock", on the given day
    saved = P.store().attempts()
    assert [(a.question_id, a.right, a.source) for a in saved] == \
        [(qid, s == "right", "mock") for qid, s in zip(ids, statuses, strict=True)]
    assert {a.at.date() for a in saved} == {dt.date(2026, 1, 15)}
    assert {a.topic for a in saved} == {topic(i) for i in ids}
    assert r.saved == 6
    # after the end nothing counts
    assert m.answer(0) is None and "over" in c["feedback"].value


def test_time_running_out_ends_it_and_counts_the_rest_as_not_answered(fresh):
    clock = FakeClock(0.0)
    m = M.mock_interview(n=5, minutes=1.5, rng=4, clock=clock)
    ids = [q["id"] for q in m.questions]
    m.start()
    clock.t = 20
    give(m, True)
    clock.t = 80
    assert m.tick() == pytest.approx(10) and "0:10" in m.controls["clock"].value
    assert not m.finished
    clock.t = 90.5
    assert m.tick() == 0 and m.finished
    r = m.result
    assert r.ended == "time" and r.seconds_used == 90
    assert [x.status for x in r.items] == ["right"] + ["not answered"] * 4
    assert [x.seconds for x in r.items] == [20, 70, None, None, None]
    assert r.score == 1 and r.answered == 1
    expected = []
    for qid in ids[1:]:
        if topic(qid) not in expected:
            expected.append(topic(qid))
    assert list(r.weak_topics) == expected
    assert "time ran out" in str(r) and "1:30 of 1:30" in str(r)
    assert [a.question_id for a in P.store().attempts()] == ids[:1]  # never seen: not saved


def test_an_answer_after_the_time_is_up_does_not_count(fresh):
    clock = FakeClock(0.0)
    m = M.mock_interview(n=3, minutes=1, rng=5, clock=clock)
    m.start()
    clock.t = 61
    give(m, True)  # no tick in between (no live timer here): the answer itself sees the time
    assert m.finished and m.result.score == 0 and m.result.ended == "time"
    assert "Time is up" in m.controls["feedback"].value
    assert P.store().attempts() == []


def test_end_now_counts_the_rest_as_not_answered(fresh):
    clock = FakeClock(0.0)
    m = M.mock_interview(n=4, minutes=5, rng=6, clock=clock)
    m.start()
    clock.t = 30
    give(m, False)
    clock.t = 45
    m.controls["stop"].click()
    r = m.result
    assert r.ended == "stopped" and r.seconds_used == 45 and r.score == 0
    assert [x.status for x in r.items] == ["wrong"] + ["not answered"] * 3


# ---------------------------------------------------------------------------- the explain prompt
def _to_the_explain(m):
    m.start()
    while m.current["kind"] != "explain":
        m.controls["skip"].click()


def test_the_explain_prompt_cannot_score_without_ticks(fresh):
    clock = FakeClock(0.0)
    m = M.mock_interview(n=3, minutes=5, rng=7, clock=clock)
    c = m.controls
    _to_the_explain(m)
    q = m.current
    c["score_answer"].click()  # nothing said yet
    assert "press &#x27;I am done&#x27; first" in c["feedback"].value
    c["answer"].click()  # nothing typed
    assert "Type a few words" in c["feedback"].value and not c["points"]
    # the model answer itself, word for word: the hints find every point, and tick none
    c["text"].value = q["model_answer"]
    clock.t = 100
    c["answer"].click()
    assert c["rubric"].layout.display is None and len(c["points"]) == len(q["rubric"])
    assert not any(box.value for box in c["points"])
    labels = [row.children[1].value for row in c["rubric"].children[1:]]
    assert sum("seems present" in label for label in labels) >= 1
    assert m.answer("again") is None and "Tick the key points" in c["feedback"].value
    clock.t = 10_000  # the clock stopped when the candidate said they were done
    assert m.tick() == 200 and not m.finished
    c["score_answer"].click()  # no ticks
    r = m.result
    assert r.items[-1].status == "wrong" and r.score == 0
    assert r.items[-1].grade.covered == () and r.seconds_used == 100


def test_the_explain_prompt_is_right_only_with_every_point_ticked(fresh):
    for ticks, right in (("all", True), ("all but one", False)):
        m = M.mock_interview(n=2, minutes=5, rng=8, clock=FakeClock())
        _to_the_explain(m)
        m.answer("My spoken answer, in short.")
        boxes = m.controls["points"]
        for box in boxes if ticks == "all" else boxes[:-1]:
            box.value = True
        m.controls["score_answer"].click()
        assert m.result.items[-1].right is right and m.result.score == int(right)


# ---------------------------------------------------------------------------- the clock
def test_the_live_timer_updates_the_clock_without_blocking():
    clock = FakeClock(0.0)

    async def session():
        m = M.mock_interview(n=3, minutes=1, rng=0, clock=clock)
        m.tick_seconds = 0.01
        m.start()
        assert m._timer is not None
        clock.t = 30
        await asyncio.sleep(0.1)  # the event loop runs the timer meanwhile
        assert "0:30" in m.controls["clock"].value and not m.finished
        clock.t = 61
        await asyncio.sleep(0.1)
        return m

    m = asyncio.run(session())
    assert m.finished and m.result.ended == "time" and m._timer is None
    plain = M.mock_interview(n=3, minutes=1, rng=0, clock=clock)
    plain.start()  # no event loop running: no timer, the clock moves on each action
    assert plain._timer is None


def test_a_failing_store_never_stops_the_interview(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(M, "record_attempt", broken)
    m = M.mock_interview(n=3, minutes=5, rng=9, clock=FakeClock())
    m.start()
    give(m, True)
    give(m, True)
    m.answer("words")
    m.score_answer(range(len(m.current["rubric"])))
    assert m.finished and m.result.score == 3 and m.result.saved == 0
    assert "disk on fire" in m.store_error


# ---------------------------------------------------------------------------- links, arguments
def test_section_links_use_the_headings_anchor():
    assert M.section_link({"notebook": "notebooks/09_adam.ipynb",
                           "section": "Bias correction"}) == "09_adam.ipynb#Bias-correction"
    # the bank names a heading by its start: the link uses the whole heading
    assert M.section_link({"notebook": "notebooks/04_epochs_and_iterations.ipynb",
                           "section": "Epochs and iterations"}) == \
        "04_epochs_and_iterations.ipynb#Epochs-and-iterations:-the-words"
    for q in Q.load_questions():
        exp = q["experiment"]
        name, anchor = M.section_link(q).split("#")
        assert name == pathlib.Path(exp["notebook"]).name
        assert unquote(anchor) in [h.replace(" ", "-") for h in headings(exp["notebook"])], q["id"]


def _upper(topics):
    return 1 + sum(q["kind"] != "explain" for q in RAW.values() if topic(q["id"]) in topics)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(n=1), ValueError, r"n must be in \[2, \d+\], got 1"),
    (dict(n=_upper(["lion"]) + 1, topics=["lion"]), ValueError,
     rf"n must be in \[2, {_upper(['lion'])}\], got {_upper(['lion']) + 1}"),
    (dict(n=2.5), TypeError, r"n must be an integer"),
    (dict(minutes=0), ValueError, r"minutes must be in \(0, 1440\], got 0"),
    (dict(minutes=-3), ValueError, r"minutes must be in \(0, 1440\]"),
    (dict(minutes="15"), TypeError, r"minutes must be a real number, got '15'"),
    (dict(rng=-1), TypeError, r"rng must be a numpy.random.Generator or a non-negative int"),
    (dict(chapters=13), ValueError, r"chapter must be in \[0, 12\], got 13"),
    (dict(chapters=[]), ValueError, r"chapters must be None \(every one\) or hold at least"),
    (dict(topics="warm-up"), ValueError, r"topics must be one of .*did you mean 'warmup'"),
    (dict(topics=[3]), TypeError, r"topics must hold topic names"),
    (dict(today="yesterday"), TypeError, r"today must be a datetime.date or a text"),
    (dict(clock=5), TypeError, r"clock must be a function"),
    (dict(clock=lambda: "now"), TypeError, r"clock must return a finite number"),
])
def test_argument_errors_name_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        M.mock_interview(**kwargs)


def test_a_filter_without_numeric_or_explain_questions_is_refused(monkeypatch):
    bank = [q for q in Q.load_questions() if q["kind"] != "numeric"]
    monkeypatch.setattr(Q, "load_questions", lambda: bank)
    with pytest.raises(ValueError, match=r"needs at least one explain and one numeric question; "
                                         r"the whole bank has \d+ explain, 0 numeric"):
        M.mock_interview()


# ---------------------------------------------------------------------------- display, docs
def test_it_displays_as_a_widget_and_is_importable_from_the_quiz():
    assert "mock_interview" in Q.__all__ and Q.mock_interview is M.mock_interview
    m = Q.mock_interview(rng=1, clock=FakeClock())
    assert "application/vnd.jupyter.widget-view+json" in m._repr_mimebundle_()
    assert len(m) == 8 and m.minutes == 15


def test_docstring_examples():
    result = doctest.testmod(M, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 4 and result.failed == 0
