"""The practice modes in a real browser: quiz, spaced-repetition review, mock interview and the
progress dashboard, in JupyterLab with headless Debian chromium (as ``test_browser.py``).

A small notebook that shows the four widgets is written into a temporary course folder; the
test runs it through JupyterLab's menu and clicks through the controls as a learner would:

- the quiz shows its first question;
- the flash cards flip to the back (the explanation);
- ``review()``: *Show answer*, then *I knew it* moves the card to box 2 of 5;
- ``mock_interview()``: *Start*, *Skip*, *End now*, and the report lists the weak topic;
- ``progress()`` renders its dashboard, and the mock interview's skipped question is in the
  progress file that the kernel wrote (read here, in the test process).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from test_browser import (
    _chromium,
    _restart_and_run_all,
    _sync_playwright,
    notebook_page,
    running_lab,
)

from course_lib import quiz as Q
from course_lib.teaching import progress as P
from course_lib.teaching.mock_interview import draw_questions

pytestmark = pytest.mark.browser

NAME = "practice.ipynb"
CELLS = [
    "from course_lib.quiz import flashcards, mock_interview, progress, quiz, review",
    "quiz(chapter='epochs_and_iterations', rng=0)",
    "flashcards(chapter='adam', rng=0)",
    "review(chapter='adam', new=3, rng=0)",
    "mock_interview(n=3, minutes=5, rng=0)",
    "progress()",
]


@pytest.fixture
def practice_lab(tmp_path, monkeypatch):
    """``(browser, server, store)``: chromium, a JupyterLab on a course folder holding the
    practice notebook, and the progress file its kernels write."""
    browser = _chromium(), _sync_playwright()
    pytest.importorskip("jupyterlab", reason="jupyterlab is not installed")
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}    # no "select a kernel" dialog
    nbformat.write(nb, root / "notebooks" / NAME)
    store = tmp_path / "progress.sqlite3"        # the kernel inherits this (running_lab's env)
    monkeypatch.setenv(P.ENV_VAR, str(store))
    with running_lab(root, tmp_path) as server:
        yield browser, server, store


def _output(page, index: int):
    """The output area of the notebook's code cell ``index`` (0-based)."""
    cell = page.locator(".jp-Notebook .jp-CodeCell").nth(index)
    cell.scroll_into_view_if_needed()
    return cell.locator(".jp-Cell-outputArea")


def _button(area, label: str):
    return area.locator("button.jupyter-button", has_text=re.compile(f"^{re.escape(label)}$"))


def test_quiz_review_mock_interview_and_progress_in_jupyterlab(practice_lab, tmp_path):
    browser, server, store = practice_lab
    first = Q.quiz("epochs_and_iterations", rng=0).current
    card = Q.flashcards("adam", rng=0).current
    mock_first = draw_questions(3, rng=0)[0]
    with notebook_page(browser, server, NAME, tmp_path) as (page, errors):
        _restart_and_run_all(page)

        # The quiz: the first question as drawn by rng=0 here, in the test process.
        quiz_area = _output(page, 1)
        quiz_area.get_by_text(first["question"][:40]).first.wait_for()

        # review(): the rating buttons work once the answer is shown.
        # Flash cards: "Show answer" flips to the back (the explanation of the card drawn here).
        cards_area = _output(page, 2)
        _button(cards_area, "Show answer").click()
        cards_area.get_by_text(card["explanation"][:40]).first.wait_for()

        review_area = _output(page, 3)
        _button(review_area, "Show answer").click()
        _button(review_area, "I knew it").click()
        review_area.get_by_text(re.compile(r"box 2 of 5")).first.wait_for()

        # The mock interview: start, skip the first question, end now -> the report.
        mock_area = _output(page, 4)
        _button(mock_area, "Start").click()
        mock_area.get_by_text(mock_first["question"][:40]).first.wait_for()
        _button(mock_area, "Skip").click()
        _button(mock_area, "End now").click()
        mock_area.get_by_text(re.compile(r"Weak topics")).first.wait_for()
        report = mock_area.inner_text()
        assert re.search(r"Score: 0 of 3", report), report
        topic = Q.topic_of(mock_first).replace("_", " ")
        assert topic in report, f"the weak topic {topic!r} is not in the report:\n{report}"

        # progress(): the dashboard renders.
        _output(page, 5).get_by_text(re.compile(r"Your progress")).first.wait_for()
        assert not [e for e in errors if "course_lib" in e], errors

    # What the kernel saved, read back here: the card moved up, the skip was recorded.
    assert store.exists(), f"the kernel wrote no progress file at {store}"
    saved = P.ProgressStore(store)
    try:
        attempts = saved.attempts()
        assert any(a.question_id == mock_first["id"] and a.source == "mock" and not a.right
                   for a in attempts), attempts
        assert any(c.box == 2 for c in saved.cards().values()), saved.cards()
    finally:
        saved.close()
    assert os.environ[P.ENV_VAR] == str(store)
    assert Path(store).stat().st_size > 0
