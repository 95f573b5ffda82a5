"""Spaced repetition with the Leitner system: five boxes, a card climbs one box when you knew it.

The scheduler is a handful of pure functions with an explicit ``today`` (no clock inside):

- a card you have never seen is in box 1 and due today (:func:`new_card`);
- "I knew it" moves it up one box (box 5 stays box 5), "I did not" sends it back to box 1
  (:func:`schedule`);
- it is due again after the interval of its new box: 1, 2, 4, 8 or 16 days (:data:`INTERVALS`).

A card answered right, right, wrong, right on 1, 3, 7 and 8 May:

>>> from datetime import date
>>> card = new_card("adam-bias", date(2024, 5, 1))
>>> for day, right in [(1, True), (3, True), (7, False), (8, True)]:
...     card = schedule(card, right, date(2024, 5, day))
...     print(card.box, card.due.isoformat())
2 2024-05-03
3 2024-05-07
1 2024-05-08
2 2024-05-10

:func:`review` is the flash-card session over the cards due today: the question, "Show answer",
then "I knew it" or "I did not"; each answer is saved in the progress file (see
:mod:`course_lib.teaching.progress`), so the boxes survive a kernel restart.
"""
from __future__ import annotations

import datetime as _dt
from typing import NamedTuple

from .._validate import _show, check_number, check_rng
from ._controls import esc as _esc
from ._controls import safe as _safe

__all__ = ["BOXES", "INTERVALS", "Card", "new_card", "schedule", "is_due", "due_cards",
           "review", "Review"]

#: Days until a card is due again, by box: box 1 → 1 day, ..., box 5 → 16 days.
INTERVALS = (1, 2, 4, 8, 16)
#: Number of Leitner boxes.
BOXES = len(INTERVALS)


class Card(NamedTuple):
    """One flash card's place in the Leitner system.

    ``id`` is the question id, ``box`` 1..5, ``due`` the date it is due again, ``last`` the date
    it was last answered (None for a card never answered).
    """
    id: str
    box: int
    due: _dt.date
    last: _dt.date | None


def as_date(name: str, value) -> _dt.date:
    """``value`` as a date: a ``datetime.date`` (a datetime gives its date) or ``"YYYY-MM-DD"``.

    >>> as_date("today", "2024-05-01")
    datetime.date(2024, 5, 1)
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise TypeError(f"{name} must be a datetime.date or a text 'YYYY-MM-DD', "
                    f"got {_show(value)} of type {type(value).__name__}")


def _check_card(card, name="card") -> Card:
    if not isinstance(card, Card):
        raise TypeError(f"{name} must be a Card (from new_card or a review), got {_show(card)} "
                        f"of type {type(card).__name__}")
    if not isinstance(card.id, str) or not card.id:
        raise ValueError(f"{name}.id must be a question id (a non-empty text), got "
                         f"{_show(card.id)}")
    check_number(f"{name}.box", card.box, low=1, high=BOXES, integer=True)
    as_date(f"{name}.due", card.due)
    if card.last is not None:
        as_date(f"{name}.last", card.last)
    return card


def new_card(card_id, today) -> Card:
    """A card never answered: box 1, due ``today``.

    >>> new_card("ewa-window-09", "2024-05-01")
    Card(id='ewa-window-09', box=1, due=datetime.date(2024, 5, 1), last=None)
    """
    if not isinstance(card_id, str) or not card_id:
        raise TypeError(f"card_id must be a question id (a non-empty text), got {_show(card_id)}")
    return Card(card_id, 1, as_date("today", today), None)


def schedule(card, right, today) -> Card:
    """The card after an answer on ``today``: up one box when ``right``, else back to box 1.

    Parameters
    ----------
    card : Card
    right : bool
        True for "I knew it", False for "I did not".
    today : datetime.date or "YYYY-MM-DD"
        The day of the answer; the card is due ``INTERVALS[new_box - 1]`` days later.

    Returns
    -------
    Card
        A new card (the argument is not changed), ``last = today``.

    >>> schedule(Card("q", 5, "2024-05-01", None), True, "2024-05-01").due
    datetime.date(2024, 5, 17)
    """
    card = _check_card(card)
    if not isinstance(right, bool):
        raise TypeError(f"right must be True (I knew it) or False (I did not), got {_show(right)}")
    today = as_date("today", today)
    box = min(int(card.box) + 1, BOXES) if right else 1
    return Card(card.id, box, today + _dt.timedelta(days=INTERVALS[box - 1]), today)


def is_due(card, today) -> bool:
    """True when the card's due date is ``today`` or earlier (an overdue card is due)."""
    return as_date("card.due", _check_card(card).due) <= as_date("today", today)


def due_cards(cards, today) -> list[Card]:
    """The cards due on ``today``, the longest overdue first (then lower box, then id)."""
    if isinstance(cards, dict):
        named = [(f"cards[{k!r}]", c) for k, c in cards.items()]
    elif isinstance(cards, (list, tuple)):
        named = [(f"cards[{i}]", c) for i, c in enumerate(cards)]
    else:
        raise TypeError(f"cards must be a list or dict of Card, got {_show(cards)} "
                        f"of type {type(cards).__name__}")
    today = as_date("today", today)
    due = [c for name, c in named if as_date(f"{name}.due", _check_card(c, name).due) <= today]
    return sorted(due, key=lambda c: (as_date("card.due", c.due), c.box, c.id))


# --------------------------------------------------------------------------------------------
# The review session
def _front(q: dict) -> str:
    text = q["question"]
    if q.get("kind") == "choice" and q.get("choices"):
        text += "\n" + "\n".join(f"- {c}" for c in q["choices"])
    return text


def _back(q: dict) -> str:
    kind = q.get("kind")
    if kind == "choice":
        answer = q["choices"][q["answer"]]
    elif kind == "numeric":
        value = float(q["answer"])
        answer = f"{int(value):,}" if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    else:
        answer = q.get("model_answer", "")
        points = [p["point"] for p in q.get("rubric", []) if isinstance(p, dict) and "point" in p]
        if points:
            answer += "\nKey points:\n" + "\n".join(f"- {p}" for p in points)
    text = f"Answer: {answer}"
    if q.get("explanation"):
        text += f"\n\n{q['explanation']}"
    exp = q.get("experiment")
    if isinstance(exp, dict) and exp.get("notebook"):
        text += f"\n\nSee it in {exp['notebook']}, section “{exp.get('section', '')}”."
    return text


def _topic(q: dict) -> str:
    return q.get("topic") or q.get("chapter") or "unknown"


def _in_days(due: _dt.date, today: _dt.date) -> str:
    days = (due - today).days
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"


class Review:
    """A flash-card session over the cards due today (build it with :func:`review`).

    The front shows the question; ``show_answer()`` (the "Show answer" button) turns the card;
    ``knew()`` / ``missed()`` (the "I knew it" / "I did not" buttons) move it to its new box,
    save it and show the next card. ``text`` is the screen as plain text (also the ``repr``,
    which is what you see without ipywidgets).

    Attributes: ``current`` (the question on screen, None at the end), ``side`` ("front" or
    "back"), ``cards`` (id -> Card, after this session's answers), ``results`` (list of
    ``(id, right, Card)``), ``today``, ``controls`` (the ipywidgets: ``progress``, ``card``,
    ``show``, ``knew``, ``missed``, ``status``, ``feedback``; empty without ipywidgets),
    ``widget`` (the box to display, None without ipywidgets).
    """

    def __init__(self, items: list[dict], cards: dict, *, today: _dt.date, store=None,
                 title: str = "Review"):
        self._items, self.cards, self.today = list(items), dict(cards), today
        self._store, self.title = store, title
        self.index, self.side, self.results = 0, "front", []
        self._status, self._feedback = "", ""
        self.controls, self.widget = {}, None
        try:
            import ipywidgets as w
        except ImportError:
            w = None
        if w is not None:
            c = self.controls = {
                "progress": w.HTML(),
                "card": w.HTML(layout=w.Layout(border="1px solid #999", padding="1em",
                                               min_height="8em", width="95%")),
                "show": w.Button(description="Show answer", button_style="primary"),
                "knew": w.Button(description="I knew it", button_style="success"),
                "missed": w.Button(description="I did not", button_style="warning"),
                "status": w.HTML(), "feedback": w.HTML(),
            }
            c["show"].on_click(lambda _: self.show_answer())
            c["knew"].on_click(lambda _: self.knew())
            c["missed"].on_click(lambda _: self.missed())
            self.widget = w.VBox([w.HTML(f"<b>{_esc(title)}</b>"), c["progress"], c["card"],
                                  w.HBox([c["show"], c["knew"], c["missed"]]), c["status"],
                                  c["feedback"]])
        self._render()

    def __len__(self):
        return len(self._items)

    @property
    def current(self) -> dict | None:
        return self._items[self.index] if self.index < len(self._items) else None

    @property
    def known(self) -> int:
        """How many cards of this session you knew."""
        return sum(right for _, right, _ in self.results)

    # --- actions -----------------------------------------------------------------------------
    @_safe
    def show_answer(self):
        """Turn the card: the answer and why."""
        if self.current is None:
            self._say("The session is over: run review() again tomorrow.")
            return
        self.side, self._feedback = "back", ""
        self._render()

    @_safe
    def knew(self):
        """"I knew it": the card moves up one box."""
        return self.answer(True)

    @_safe
    def missed(self):
        """"I did not": the card goes back to box 1 (due tomorrow)."""
        return self.answer(False)

    @_safe
    def answer(self, right) -> Card | None:
        """Rate the card on screen (after ``show_answer``); return its new place, or None."""
        if not isinstance(right, bool):
            raise TypeError(f"right must be True (I knew it) or False (I did not), "
                            f"got {_show(right)}")
        q = self.current
        if q is None:
            self._say("The session is over: run review() again tomorrow.")
            return None
        if self.side != "back":
            self._say("Show the answer first, then say whether you knew it.")
            return None
        old = self.cards.get(q["id"]) or new_card(q["id"], self.today)
        card = schedule(old, right, self.today)
        self.cards[q["id"]] = card
        self.results.append((q["id"], right, card))
        saved = True
        if self._store is not None:
            saved = self._store.save_card(card, right=right, topic=_topic(q))
        self._status = (f"{'Knew it' if right else 'Not yet'}: box {card.box} of {BOXES}, "
                        f"next review {card.due.isoformat()} ({_in_days(card.due, self.today)})"
                        + ("" if saved else " (not saved: see the warning above)"))
        self.index, self.side, self._feedback = self.index + 1, "front", ""
        self._render()
        return card

    # --- display -----------------------------------------------------------------------------
    def _say(self, text, *, error=False):
        self._feedback = ("Error: " if error else "") + text
        self._render()

    def _end_text(self) -> str:
        if not self._items:
            head = "Nothing is due today."
        else:
            head = (f"Done: you reviewed {len(self.results)} card(s) and knew "
                    f"{self.known}.")
        later = [c.due for c in self.cards.values() if c.due > self.today]
        if later:
            head += f" Next card due {min(later).isoformat()}."
        return head + " Come back then: run review() again."

    @property
    def text(self) -> str:
        """What the session shows now, as plain text."""
        lines = [self.title]
        q = self.current
        if q is None:
            lines.append(self._end_text())
        else:
            card = self.cards.get(q["id"])
            where = f"box {card.box}" if card else "new card"
            lines.append(f"Card {self.index + 1} of {len(self)} · {where} · "
                         f"{_topic(q).replace('_', ' ')} · {self.side}")
            lines.append(_front(q) if self.side == "front" else _back(q))
            lines.append("Next: .show_answer()" if self.side == "front"
                         else "Next: .knew() or .missed()")
        if self._status:
            lines.append(self._status)
        if self._feedback:
            lines.append(self._feedback)
        return "\n\n".join(lines)

    def __repr__(self):
        return self.text

    def _repr_mimebundle_(self, **kwargs):
        if self.widget is None:
            return {"text/plain": self.text}
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.text
        return bundle

    def _render(self):
        c = self.controls
        if not c:
            return
        q = self.current
        if q is None:
            c["progress"].value = ""
            c["card"].value = f"<b>{_esc(self._end_text())}</b>"
        else:
            card = self.cards.get(q["id"])
            where = f"box {card.box} of {BOXES}" if card else "new card"
            c["progress"].value = (f"Card {self.index + 1} of {len(self)} · {where} · "
                                   f"<i>{_esc(_topic(q).replace('_', ' '))}</i>")
            c["card"].value = _esc(_front(q) if self.side == "front" else _back(q))
        c["show"].disabled = q is None or self.side == "back"
        c["knew"].disabled = c["missed"].disabled = q is None or self.side == "front"
        c["status"].value = _esc(self._status)
        color = "#b00020" if self._feedback.startswith("Error") else "inherit"
        c["feedback"].value = (f'<div style="color:{color}">{_esc(self._feedback)}</div>'
                               if self._feedback else "")


def _check_questions(items) -> list[dict]:
    if not isinstance(items, (list, tuple)) or not items:
        raise TypeError(f"questions must be a non-empty list of question dicts, "
                        f"got {_show(items)}")
    for pos, q in enumerate(items):
        if not isinstance(q, dict) or not isinstance(q.get("id"), str) \
                or not isinstance(q.get("question"), str):
            raise ValueError(f"questions[{pos}] must be a question dict with text fields 'id' "
                             f"and 'question', got {_show(q)}")
    return [dict(q) for q in items]


def review(chapter=None, *, topic=None, rng=0, today=None, new=10, questions=None,
           store=None) -> Review:
    """A flash-card session over the cards due today (Leitner boxes; your answers are saved).

    Parameters
    ----------
    chapter : int, str or None
        Only the questions of one chapter (number or id); None: every chapter.
    topic : str or None
        Only the questions of one topic (``course_lib.quiz.TOPICS``).
    rng : numpy.random.Generator or int
        Seed of the order among cards due on the same day and of the choice of new cards.
    today : datetime.date, "YYYY-MM-DD" or None
        The day of the session (None: today's date).
    new : int >= 0
        At most this many cards you have never seen join the session (after the due ones).
    questions : list of dict or None
        The question dicts to draw the cards from; None: the course's question bank.
    store : ProgressStore or None
        Where boxes are read and saved; None: the progress file
        (:func:`course_lib.teaching.progress.store`).

    Returns
    -------
    Review
        Display it in a notebook cell; ``show_answer()``, ``knew()``, ``missed()`` and
        ``text`` work without a front end too.
    """
    rng = check_rng("rng", rng)
    today = _dt.date.today() if today is None else as_date("today", today)
    new = check_number("new", new, low=0, high=10_000, integer=True)
    if questions is None:
        from .. import quiz as _quiz

        pool = _quiz.questions(chapter) if chapter is not None else _quiz.load_questions()
    else:
        pool = _check_questions(questions)
        if chapter is not None:
            from .. import quiz as _quiz

            cid = _quiz.chapter_id(chapter)
            pool = [q for q in pool if q.get("chapter") == cid]
    if topic is not None:
        from .. import quiz as _quiz

        topics = getattr(_quiz, "TOPICS", _quiz.CHAPTERS)
        if not isinstance(topic, str):
            raise TypeError(f"topic must be one of the topic names (a text), got {_show(topic)}")
        from .._validate import check_choice

        check_choice("topic", topic, topics)
        pool = [q for q in pool if _topic(q) == topic]
    if store is not None and not (callable(getattr(store, "cards", None))
                                  and callable(getattr(store, "save_card", None))):
        raise TypeError(f"store must be a ProgressStore (course_lib.teaching.progress.store()) "
                        f"or None for the progress file, got {_show(store)} of type "
                        f"{type(store).__name__}")
    if store is None:
        from .progress import store as _shared

        store = _shared()
    saved = store.cards()
    ids = {q["id"] for q in pool}
    known = {k: c for k, c in saved.items() if k in ids}
    by_id = {q["id"]: q for q in pool}
    order = [pool[i]["id"] for i in rng.permutation(len(pool))]
    rank = {qid: i for i, qid in enumerate(order)}
    due = sorted((c for c in known.values() if c.due <= today),
                 key=lambda c: (c.due, rank[c.id]))
    unseen = [qid for qid in order if qid not in known][:new]
    items = [by_id[c.id] for c in due] + [by_id[qid] for qid in unseen]
    # Choices in a fresh order each session (the rng's), so that a card that comes back is not
    # answered by remembering where the right choice sat.
    from .. import quiz as _quiz

    items = [_quiz.shuffle_choices(q, rng) if q.get("kind") == "choice" else q for q in items]
    if topic is not None:
        where = topic.replace("_", " ")
    elif chapter is not None:
        from .. import quiz as _quiz

        where = _quiz.chapter_id(chapter).replace("_", " ")
    else:
        where = "all chapters"
    title = (f"Review · {where} · {today.isoformat()}: {len(due)} due, "
             f"{len(unseen)} new")
    return Review(items, known, today=today, store=store, title=title)
