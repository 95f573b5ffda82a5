"""What the teaching layer's widgets share: escaping, the callback guard, the answer inputs and
the rubric checkboxes (quiz, flash cards, review and mock interview build on these)."""
from __future__ import annotations

import functools
import html


def esc(text) -> str:
    r"""``text`` as HTML, line breaks kept.

    >>> esc("a < b\nc")
    'a &lt; b<br>c'
    """
    return html.escape(str(text)).replace("\n", "<br>")


def feedback_html(text, *, error=False) -> str:
    """A feedback line: ``text`` escaped, red when ``error``."""
    color = "#b00020" if error else "inherit"
    return f'<div style="color:{color}">{esc(text)}</div>'


def safe(method):
    """A widget callback: an error goes to the widget's feedback (``self._say``), never into
    the front end as a traceback."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as err:  # noqa: BLE001 - a button must never raise
            known = isinstance(err, (ValueError, TypeError))
            self._say(str(err) if known else f"{type(err).__name__}: {err}", error=True)
            return None
    return wrapper


def show_answer_input(controls, q) -> None:
    """Show the one input a question of ``q``'s kind is answered with, emptied."""
    if q["kind"] == "choice":
        controls["choice"].options = list(q["choices"])
        controls["choice"].value = None
        controls["choice"].layout.display = None
    elif q["kind"] == "numeric":
        controls["number"].value = ""
        controls["number"].layout.display = None
    else:
        controls["text"].value = ""
        controls["text"].layout.display = None


def read_answer_input(controls, q):
    """The answer typed or picked in the input shown for ``q``'s kind: the choice's index, or
    the text; None when nothing is picked or the text is blank (the caller says what to do)."""
    if q["kind"] == "choice":
        return controls["choice"].index
    value = (controls["number"] if q["kind"] == "numeric" else controls["text"]).value
    return value if value.strip() else None


def rubric_rows(w, q, suggested):
    """``(checkboxes, rows)``: one unticked checkbox per key point of ``q``'s rubric, the
    points the hints found marked "(seems present)" but never ticked."""
    boxes, rows = [], []
    for i, item in enumerate(q["rubric"]):
        box = w.Checkbox(value=False, indent=False, layout=w.Layout(width="2em"))
        seems = (' <span style="color:#1565c0">(seems present)</span>'
                 if i in suggested else "")
        boxes.append(box)
        rows.append(w.HBox([box, w.HTML(f"{esc(item['point'])}{seems}")]))
    return boxes, rows
