"""Spaced repetition (Leitner, 5 boxes: 1, 2, 4, 8, 16 days) and the review session.

Every schedule below is worked by hand in the comments (a calendar, not the code under test).
"""
import datetime as dt
import doctest
import sys

import pytest

from course_lib.teaching import progress as P
from course_lib.teaching import srs

D = dt.date


def test_the_published_leitner_intervals():
    assert srs.INTERVALS == (1, 2, 4, 8, 16) and srs.BOXES == 5


def test_right_right_wrong_right_by_hand():
    # new on 1 May (box 1). R on 1 May -> box 2, +2 days = 3 May. R on 3 May -> box 3, +4 = 7 May.
    # W on 7 May -> box 1, +1 = 8 May. R on 8 May -> box 2, +2 = 10 May.
    card = srs.new_card("q1", D(2024, 5, 1))
    assert card == srs.Card("q1", 1, D(2024, 5, 1), None)
    got = []
    for day, right in [(1, True), (3, True), (7, False), (8, True)]:
        card = srs.schedule(card, right, D(2024, 5, day))
        got.append((card.box, card.due, card.last))
    assert got == [(2, D(2024, 5, 3), D(2024, 5, 1)), (3, D(2024, 5, 7), D(2024, 5, 3)),
                   (1, D(2024, 5, 8), D(2024, 5, 7)), (2, D(2024, 5, 10), D(2024, 5, 8))]


def test_climbing_to_the_top_box_and_staying_there():
    # answered right every time it is due, from 30 Apr: box 2 due 2 May (+2), box 3 due 6 May
    # (+4), box 4 due 14 May (+8), box 5 due 30 May (+16), box 5 again due 15 June (+16).
    card, day = srs.new_card("q", "2024-04-30"), D(2024, 4, 30)
    expected = [(2, D(2024, 5, 2)), (3, D(2024, 5, 6)), (4, D(2024, 5, 14)),
                (5, D(2024, 5, 30)), (5, D(2024, 6, 15))]
    for box, due in expected:
        card = srs.schedule(card, True, day)
        assert (card.box, card.due) == (box, due)
        day = card.due


@pytest.mark.parametrize("box", [1, 2, 3, 4, 5])
def test_a_wrong_answer_sends_any_box_back_to_box_one_due_tomorrow(box):
    card = srs.Card("q", box, D(2024, 2, 28), D(2024, 2, 1))
    after = srs.schedule(card, False, D(2024, 2, 28))
    assert after == srs.Card("q", 1, D(2024, 2, 29), D(2024, 2, 28))  # 2024 is a leap year
    assert card.box == box  # the argument is not changed


def test_due_cards_are_the_overdue_and_today_ones_oldest_first():
    today = D(2024, 5, 10)
    cards = {"a": srs.Card("a", 3, D(2024, 5, 10), None),
             "b": srs.Card("b", 1, D(2024, 5, 11), None),
             "c": srs.Card("c", 2, D(2024, 5, 2), None),
             "d": srs.Card("d", 1, D(2024, 5, 10), None)}
    assert [c.id for c in srs.due_cards(cards, today)] == ["c", "d", "a"]
    assert srs.is_due(cards["a"], today) and not srs.is_due(cards["b"], today)


@pytest.mark.parametrize("call, error, match", [
    (lambda: srs.schedule(srs.new_card("q", "2024-01-01"), 1, "2024-01-01"), TypeError,
     "right must be True"),
    (lambda: srs.schedule(srs.Card("q", 6, D(2024, 1, 1), None), True, D(2024, 1, 1)),
     ValueError, r"card.box must be in \[1, 5\], got 6"),
    (lambda: srs.schedule(("q", 1, None, None), True, D(2024, 1, 1)), TypeError,
     "card must be a Card"),
    (lambda: srs.new_card("q", "1 May"), TypeError, "today must be a datetime.date or a text "
     "'YYYY-MM-DD', got '1 May'"),
    (lambda: srs.new_card("", D(2024, 1, 1)), TypeError, "card_id must be a question id"),
    (lambda: srs.due_cards(5, D(2024, 1, 1)), TypeError, "cards must be a list or dict"),
])
def test_scheduler_argument_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_docstring_examples():
    result = doctest.testmod(srs, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 5


# ---------------------------------------------------------------------------- the session
QUESTIONS = [
    {"id": "q-choice", "chapter": "adam", "kind": "choice", "question": "Which moment?",
     "choices": ["the first", "the second"], "answer": 1, "explanation": "Because."},
    {"id": "q-num", "chapter": "sgd", "kind": "numeric", "question": "2 + 2?", "answer": 4,
     "tolerance": 0, "explanation": "Arithmetic."},
    {"id": "q-explain", "chapter": "adam", "topic": "warmup", "kind": "explain",
     "question": "Why warm up?", "model_answer": "The second moment is unreliable early.",
     "rubric": [{"point": "early s is noisy", "hint": "noisy"}], "explanation": "RAdam."},
]


@pytest.fixture
def store(tmp_path):
    return P.ProgressStore(tmp_path / "p.sqlite3")


def _session(store, day, **kw):
    kw.setdefault("rng", 0)
    return srs.review(questions=QUESTIONS, today=day, store=store, **kw)


def test_review_buttons_schedule_and_save_across_days(store, tmp_path):
    r = _session(store, D(2024, 5, 1), new=3)
    assert len(r) == 3 and r.side == "front"
    c = r.controls
    assert c["knew"].disabled and c["missed"].disabled and not c["show"].disabled
    answers = {}
    for right in (True, False, True):
        q = r.current
        assert q["question"] in r.text and "Answer:" not in c["card"].value
        c["show"].click()
        assert r.side == "back" and "Answer:" in c["card"].value
        assert c["show"].disabled and not c["knew"].disabled
        (c["knew"] if right else c["missed"]).click()
        answers[q["id"]] = right
        # right: box 2 due 3 May; wrong: box 1 due 2 May (worked by hand)
        want = ("box 2 of 5, next review 2024-05-03 (in 2 days)" if right
                else "box 1 of 5, next review 2024-05-02 (tomorrow)")
        assert want in c["status"].value
    assert r.current is None and "you reviewed 3 card(s) and knew 2" in c["card"].value
    assert "Next card due 2024-05-02" in r.text
    assert c["show"].disabled and c["knew"].disabled

    # another kernel: a new store on the same file sees the boxes and the answers
    again = P.ProgressStore(tmp_path / "p.sqlite3")
    saved = again.cards()
    for qid, right in answers.items():
        assert saved[qid] == srs.Card(qid, 2 if right else 1,
                                      D(2024, 5, 3) if right else D(2024, 5, 2), D(2024, 5, 1))
    attempts = again.attempts()
    assert [(a.question_id, a.right, a.source) for a in attempts] == \
        [(qid, right, "review") for qid, right in answers.items()]
    assert {a.question_id: a.topic for a in attempts}["q-explain"] == "warmup"

    # 2 May: only the missed card is due, no new ones are left
    r2 = _session(again, D(2024, 5, 2))
    missed = [qid for qid, right in answers.items() if not right]
    assert [q["id"] for q in r2._items] == missed and "1 due, 0 new" in r2.title
    r2.show_answer()
    card = r2.knew()
    assert card == srs.Card(missed[0], 2, D(2024, 5, 4), D(2024, 5, 2))
    # 3 May: the two known cards (due 3 May); the one answered on 2 May is due on 4 May
    r3 = _session(again, D(2024, 5, 3))
    assert sorted(q["id"] for q in r3._items) == sorted(k for k, v in answers.items() if v)
    # 1 June: everything is overdue, the longest overdue first
    r4 = _session(again, D(2024, 6, 1))
    assert [q["id"] for q in r4._items][-1] == missed[0]


def test_rating_needs_the_answer_first_and_the_end_says_so(store):
    r = _session(store, D(2024, 5, 1), new=1)
    r.controls["knew"].click()  # disabled in the browser; called anyway
    assert r.answer(True) is None and "Show the answer first" in r.controls["feedback"].value
    assert store.cards() == {}
    r.show_answer()
    r.missed()
    assert r.current is None
    assert r.answer(True) is None and "The session is over" in r.text


def test_new_caps_the_unseen_cards_and_rng_orders_them(store):
    assert len(_session(store, D(2024, 5, 1), new=2)) == 2
    assert len(_session(store, D(2024, 5, 1), new=0)) == 0
    orders = {tuple(q["id"] for q in _session(store, D(2024, 5, 1), rng=s)._items)
              for s in range(8)}
    assert len(orders) > 1
    same = [tuple(q["id"] for q in _session(store, D(2024, 5, 1), rng=3)._items)
            for _ in range(2)]
    assert same[0] == same[1]


def test_nothing_due_says_when_to_come_back(store):
    r = _session(store, D(2024, 5, 1), new=1)
    r.show_answer()
    r.knew()
    later = _session(store, D(2024, 5, 2), new=0)
    assert len(later) == 0
    assert "Nothing is due today. Next card due 2024-05-03" in later.text


def test_chapter_and_topic_filters(store):
    assert {q["id"] for q in _session(store, D(2024, 5, 1), chapter="adam")._items} == \
        {"q-choice", "q-explain"}
    assert [q["id"] for q in _session(store, D(2024, 5, 1), topic="adam")._items] == ["q-choice"]


def test_review_over_the_course_bank(store):
    from course_lib import quiz

    r = srs.review("adam", today="2024-05-01", new=3, store=store)
    assert len(r) == 3 and {q["chapter"] for q in r._items} == {"adam"}
    assert {q["id"] for q in r._items} <= {q["id"] for q in quiz.questions("adam")}


def test_plain_text_without_ipywidgets(store, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets now fails
    r = _session(store, D(2024, 5, 1), new=1, chapter="sgd")
    assert r.widget is None and r.controls == {}
    assert "2 + 2?" in repr(r) and "Next: .show_answer()" in repr(r)
    r.show_answer()
    assert "Answer: 4" in r.text
    r.knew()
    assert "box 2 of 5, next review 2024-05-03" in r.text
    assert r._repr_mimebundle_() == {"text/plain": r.text}
    assert store.cards()["q-num"].box == 2


def test_review_displays_as_a_widget(store):
    bundle = _session(store, D(2024, 5, 1))._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(new=-1), ValueError, r"new must be in \[0, 10000\], got -1"),
    (dict(new=1.5), TypeError, "new must be an integer"),
    (dict(today="tomorrow"), TypeError, "today must be a datetime.date"),
    (dict(rng=-2), TypeError, "rng must be a numpy.random.Generator"),
    (dict(questions="adam"), TypeError, "questions must be a non-empty list"),
    (dict(questions=[{"id": 3}]), ValueError, r"questions\[0\] must be a question dict"),
    (dict(topic="adma"), ValueError, "topic must be one of .*did you mean 'adam'"),
])
def test_review_argument_errors(kwargs, error, match, store):
    with pytest.raises(error, match=match):
        srs.review(store=store, **kwargs)


def test_review_shuffles_the_choices_and_the_back_names_the_right_text(store):
    """A card that comes back must not be answerable by the position of its right choice:
    over seeds, the right text sits at more than one position, and the back always names it."""
    from course_lib import quiz

    bank = {q["id"]: q for q in quiz.questions("adam")}
    positions = {}
    for seed in range(8):
        r = srs.review("adam", today="2024-05-01", new=20, store=store, rng=seed)
        for q in r._items:
            if q["kind"] != "choice":
                continue
            right = bank[q["id"]]["choices"][bank[q["id"]]["answer"]]
            assert sorted(q["choices"]) == sorted(bank[q["id"]]["choices"])
            assert q["choices"][q["answer"]] == right
            assert right in srs._back(q)
            positions.setdefault(q["id"], set()).add(q["answer"])
    assert positions and all(len(p) > 1 for p in positions.values()), positions


def test_due_cards_names_the_bad_entry_of_cards():
    # before: "card must be a Card ...", naming no argument of due_cards
    good = srs.new_card("adam-bias", "2024-05-01")
    with pytest.raises(TypeError, match=r"cards\[1\] must be a Card"):
        srs.due_cards([good, None], "2024-05-03")
    with pytest.raises(TypeError, match=r"cards\['b'\] must be a Card"):
        srs.due_cards({"a": good, "b": "x"}, "2024-05-03")
    assert srs.due_cards([good], "2024-05-03") == [good]
