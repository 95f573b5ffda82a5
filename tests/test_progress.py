"""The progress store: where it lives, what it keeps, and that nothing is ever lost."""
import datetime as dt
import importlib.util
import multiprocessing
import os
import pathlib
import sqlite3
import sys
import warnings

import pytest

from course_lib import quiz as Q
from course_lib.exercises import EXERCISES, check, reference
from course_lib.teaching import progress as P
from course_lib.teaching import srs

ROOT = pathlib.Path(__file__).resolve().parents[1]
D = dt.date


def _tables(path):
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


# ---------------------------------------------------------------------------- where
def test_the_test_run_never_writes_into_the_repository():
    # conftest points every test and every nbval kernel (they inherit os.environ) elsewhere
    env = pathlib.Path(os.environ[P.ENV_VAR]).resolve()
    assert ROOT not in env.parents
    assert ROOT not in P.progress_path().resolve().parents


def test_location_env_var_file_or_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(P.ENV_VAR, str(tmp_path / "mine.db"))
    assert P.progress_path() == tmp_path / "mine.db"
    monkeypatch.setenv(P.ENV_VAR, str(tmp_path))
    assert P.progress_path() == tmp_path / "course_progress.sqlite3"


def test_location_is_the_course_folder_found_from_the_kernel_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(P.ENV_VAR)
    course = tmp_path / "my course"
    for folder in ("notebooks", "student", "notebooks/data"):
        (course / folder).mkdir(parents=True)
    (course / "notebooks" / "03_minibatch_sgd.ipynb").write_text("{}")
    for cwd in (course, course / "notebooks", course / "student", course / "notebooks/data"):
        assert P.progress_path(cwd) == course / "course_progress.sqlite3"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert P.progress_path(elsewhere) == elsewhere / "course_progress.sqlite3"
    # a notebooks/ folder without course notebooks is not a course folder
    (elsewhere / "notebooks").mkdir()
    assert P.progress_path(elsewhere / "notebooks") == \
        elsewhere / "notebooks" / "course_progress.sqlite3"


def test_never_inside_the_installed_package(monkeypatch):
    package = pathlib.Path(P.__file__).resolve().parents[1]
    monkeypatch.setenv(P.ENV_VAR, str(package / "teaching"))
    assert P.progress_path() == pathlib.Path.home() / P.FILENAME
    monkeypatch.delenv(P.ENV_VAR)
    monkeypatch.setattr(P, "_course_folder", lambda start: None)  # an installed package
    assert P.progress_path(package) == pathlib.Path.home() / P.FILENAME
    with pytest.raises(ValueError, match="path must not be inside the course_lib package"):
        P.ProgressStore(package / "x.sqlite3")


# ---------------------------------------------------------------------------- what
def test_schema_marker_version_and_wal(tmp_path):
    path = tmp_path / "p.sqlite3"
    P.ProgressStore(path)
    assert _tables(path) >= {"meta", "cards", "attempts", "checks"}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x4F505443
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() \
            == ("1",)
        cols = {r[1] for r in conn.execute("PRAGMA table_info(attempts)")}
        assert cols >= {"question_id", "topic", "right", "at"}


def test_records_survive_a_new_connection(fresh):
    assert P.record_attempt("adam-bias", True, when=dt.datetime(2024, 5, 1, 9, 30))
    assert P.record_attempt({"id": "x1", "chapter": "sgd"}, False, source="mock")
    assert P.record_check("ewa_step", True, when=dt.datetime(2024, 5, 2, 8, 0))
    again = P.ProgressStore(fresh)
    a = again.attempts()
    assert [(x.question_id, x.topic, x.right, x.source) for x in a] == \
        [("adam-bias", "adam", True, "quiz"), ("x1", "sgd", False, "mock")]
    assert a[0].at == dt.datetime(2024, 5, 1, 9, 30)
    assert again.checks() == [P.CheckRecord("ewa_step", True, dt.datetime(2024, 5, 2, 8, 0))]


def test_check_records_name_result_and_date(fresh):
    def wrong(v, a, beta):
        return beta * v + a

    assert check("ewa_step", reference("ewa_step")).passed
    assert not check("ewa_step", wrong).passed
    got = P.ProgressStore(fresh).checks()
    assert [(c.name, c.passed) for c in got] == [("ewa_step", True), ("ewa_step", False)]
    assert all(c.at.date() == dt.date.today() for c in got)


@pytest.mark.parametrize("call, error, match", [
    (lambda: P.record_attempt("adam-bias", 1), TypeError, "right must be True or False, got 1"),
    (lambda: P.record_attempt(3, True), TypeError, "question must be a question dict or its id"),
    (lambda: P.record_attempt("adam-bias", True, source="exam"), ValueError,
     "source must be one of 'quiz', 'review', 'mock', 'flashcards'; got 'exam'"),
    (lambda: P.record_attempt("no-such-question", True), ValueError, "not in the question bank"),
    (lambda: P.record_attempt("adam-bias", True, when="May 1"), TypeError, "when must be"),
    (lambda: P.progress(last=0), ValueError, r"last must be in \[1, 10000\], got 0"),
    (lambda: P.progress(today=20240501), TypeError, "today must be a datetime.date"),
    (lambda: P.mastery(source="exam"), ValueError, "source must be None or one of"),
    (lambda: P.ProgressStore(42), TypeError, "path must be a file path, got 42"),
])
def test_argument_errors(fresh, call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---------------------------------------------------------------------------- nothing lost
def _aside(path):
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


def test_a_file_that_is_not_sqlite_is_moved_aside_and_a_fresh_one_started(fresh):
    junk = b"my notes, not a database\n" * 200
    fresh.write_bytes(junk)
    with pytest.warns(P.ProgressWarning, match=r"not an SQLite database.*moved to "
                      r"course_progress\.sqlite3\.corrupt-\d{8}-\d{6}.*nothing was deleted"):
        assert P.record_check("ewa_step", True)
    (moved,) = _aside(fresh)
    assert moved.read_bytes() == junk
    assert [c.name for c in P.ProgressStore(fresh).checks()] == ["ewa_step"]


def test_a_foreign_sqlite_file_is_moved_aside_untouched(fresh):
    with sqlite3.connect(fresh) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()
    before = fresh.read_bytes()
    with pytest.warns(P.ProgressWarning, match="another program .*tables: notes"):
        st = P.ProgressStore(fresh)
    (moved,) = _aside(fresh)
    assert moved.read_bytes() == before
    with sqlite3.connect(moved) as conn:
        assert conn.execute("SELECT text FROM notes").fetchall() == [("keep me",)]
    conn.close()
    assert st.add_attempt("q", "adam", True) and len(st.attempts()) == 1
    assert not st.in_memory and st.moved_aside == [moved]


def test_a_damaged_progress_file_is_moved_aside(fresh):
    st = P.ProgressStore(fresh)
    for i in range(300):
        st.add_attempt(f"q{i}", "adam", True)
    st.close()
    data = bytearray(fresh.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[page:3 * page] = b"\xff" * (2 * page)  # pages 2-3 (b-tree pages) overwritten
    fresh.write_bytes(bytes(data))
    with pytest.warns(P.ProgressWarning, match="damaged"):
        st = P.ProgressStore(fresh)
    assert len(_aside(fresh)) == 1 and st.attempts() == []
    assert st.add_check("ewa_step", True)


def test_a_file_replaced_while_open_is_noticed(fresh):
    st = P.store()
    assert st.add_check("a", True)
    fresh.unlink()  # deleted by hand, or moved aside by another kernel
    for side in ("-wal", "-shm"):
        pathlib.Path(str(fresh) + side).unlink(missing_ok=True)
    assert st.add_check("b", True)
    assert [c.name for c in P.ProgressStore(fresh).checks()] == ["b"]


def test_a_newer_schema_is_read_never_changed(fresh):
    st = P.ProgressStore(fresh)
    st.add_check("ewa_step", True)
    st.close()
    with sqlite3.connect(fresh) as conn:
        conn.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    conn.close()
    with pytest.warns(P.ProgressWarning, match="newer version"):
        st = P.ProgressStore(fresh)
    assert [c.name for c in st.checks()] == ["ewa_step"]
    assert st.add_check("ewa_window", True) is False
    assert _aside(fresh) == [] and len(P.ProgressStore(fresh).checks()) == 1


def _writer(path, tag, count, start):
    st = P.ProgressStore(path)
    start.wait(60)  # both processes write at the same time
    for i in range(count):
        if not st.add_attempt(f"{tag}-{i}", "adam", i % 2 == 0, source="quiz"):
            raise RuntimeError(f"write {i} of {tag} failed")
        st.save_card(srs.Card(f"{tag}-{i % 7}", 1 + i % 5, D(2024, 5, 1), None))


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "p.sqlite3"
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)
    procs = [ctx.Process(target=_writer, args=(str(path), tag, 200, start))
             for tag in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT question_id) FROM attempts")\
            .fetchone() == (400, 400)
        assert conn.execute("SELECT COUNT(*) FROM cards").fetchone() == (14,)
        order = [r[0][0] for r in conn.execute("SELECT question_id FROM attempts ORDER BY n")]
    conn.close()
    switches = sum(a != b for a, b in zip(order, order[1:], strict=False))
    print(f"writer switches: {switches}")
    assert switches >= 2, "the two processes did not write at the same time"


def test_an_unwritable_location_warns_once_and_the_course_keeps_working(tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(P.ENV_VAR, str(blocker / P.FILENAME))  # its folder cannot be created
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert P.record_check("ewa_step", True) is False
        assert P.record_attempt("adam-bias", False) is False
        result = check("ewa_step", reference("ewa_step"))
        board = P.progress(today="2024-05-01")
    ours = [w for w in caught if issubclass(w.category, P.ProgressWarning)]
    assert len(ours) == 1 and "cannot be saved" in str(ours[0].message)
    assert P.ENV_VAR in str(ours[0].message)
    assert result.passed
    # this session's progress is kept in memory, and the dashboard says it is not saved
    assert "NOT saved" in board.text and "ewa_step" in board.text
    assert blocker.read_text() == "not a folder"


def test_a_file_that_cannot_be_opened_for_writing_is_still_read(fresh, monkeypatch):
    st = P.ProgressStore(fresh)
    st.add_check("ewa_step", True, when=dt.datetime(2024, 5, 1, 9))
    st.close()

    def refuse(self):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(P.ProgressStore, "_connect_file", refuse)  # e.g. a read-only folder
    with pytest.warns(P.ProgressWarning, match="cannot be saved"):
        st = P.ProgressStore(fresh)
    assert st.in_memory
    assert st.checks() == [P.CheckRecord("ewa_step", True, dt.datetime(2024, 5, 1, 9))]
    assert st.add_check("total_iterations", True) is False  # kept for this session only
    assert [c.name for c in st.checks()] == ["ewa_step", "total_iterations"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_warns_once(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    monkeypatch.setenv(P.ENV_VAR, str(folder / P.FILENAME))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert P.record_check("ewa_step", True) is False
            assert P.record_check("ewa_step", True) is False
        assert sum(issubclass(w.category, P.ProgressWarning) for w in caught) == 1
    finally:
        folder.chmod(0o755)


def test_a_write_that_fails_later_warns_once_and_returns_false(fresh, monkeypatch):
    st = P.store()
    assert st.add_check("a", True)

    class ReadOnly:  # what sqlite says when the file became read-only
        def __init__(self, conn):
            self._conn = conn

        def execute(self, sql, *args):
            if sql.startswith("BEGIN"):
                raise sqlite3.OperationalError("attempt to write a readonly database")
            return self._conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self._conn, name)

    monkeypatch.setattr(st, "_conn", ReadOnly(st._conn))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert P.record_check("b", True) is False
        assert P.record_attempt("adam-bias", True) is False
    assert sum(issubclass(w.category, P.ProgressWarning) for w in caught) == 1
    assert [c.name for c in st.checks()] == ["a"]  # reads still work


def test_record_attempt_never_raises_for_a_store_failure(fresh, monkeypatch):
    def broken():
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(P, "store", broken)
    with pytest.warns(P.ProgressWarning, match="could not be saved"):
        assert P.record_attempt("adam-bias", True) is False
    assert P.record_check("ewa_step", True) is False


def test_make_student_never_touches_the_progress_file(tmp_path, monkeypatch, capsys):
    spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" /
                                                  "make_student.py")
    ms = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ms)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notebooks").mkdir()
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n"
                                           "    ### END SOLUTION\n")])
    nbformat.write(nb, str(tmp_path / "notebooks" / "04_epochs.ipynb"))
    st = P.ProgressStore(tmp_path / P.FILENAME)
    st.add_check("iterations_per_epoch", True)
    st.close()
    (tmp_path / "student").mkdir()
    in_student = tmp_path / "student" / P.FILENAME
    in_student.write_bytes(b"progress kept in the student folder")
    before = {p: p.read_bytes() for p in (tmp_path / P.FILENAME, in_student)}
    for _ in range(2):  # the first run writes the notebooks, the second finds them
        assert ms.main([str(tmp_path / "notebooks"), "--out", str(tmp_path / "student")]) == 0
    assert (tmp_path / "student" / "04_epochs.ipynb").exists()
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in (tmp_path / "student").iterdir()) == \
        sorted(["04_epochs.ipynb", "jupytext.toml", P.FILENAME])


def test_the_progress_file_is_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "course_progress.sqlite3*" in ignored


# ---------------------------------------------------------------------------- the dashboard
def _fill(st):
    # chapter 4 done: both of its exercises pass; chapter 5: one of three
    st.add_check("iterations_per_epoch", False, when=dt.datetime(2024, 5, 1, 10))
    st.add_check("iterations_per_epoch", True, when=dt.datetime(2024, 5, 2, 10))
    st.add_check("iterations_per_epoch", True, when=dt.datetime(2024, 5, 4, 10))
    st.add_check("total_iterations", True, when=dt.datetime(2024, 5, 3, 10))
    st.add_check("ewa_step", True, when=dt.datetime(2024, 5, 3, 11))
    st.add_check("ewa_window", False, when=dt.datetime(2024, 5, 3, 12))
    # adam: F T T T; momentum: F F T
    for right in (False, True, True, True):
        st.add_attempt("adam-bias", "adam", right)
    for right in (False, False, True):
        st.add_attempt("mom-why", "momentum", right)
    # cards: two due on 5 May (one overdue), one due later
    st.save_card(srs.Card("adam-bias", 2, D(2024, 5, 4), D(2024, 5, 2)))
    st.save_card(srs.Card("mom-why", 1, D(2024, 5, 5), D(2024, 5, 4)))
    st.save_card(srs.Card("ewa-window-09", 3, D(2024, 5, 9), D(2024, 5, 5)))


def test_dashboard_counts_by_hand(fresh):
    _fill(P.store())
    board = P.progress(today="2024-05-05", last=3)
    done = [ch.number for ch in board.chapters if ch.done]
    assert done == [4]
    ch5 = next(ch for ch in board.chapters if ch.number == 5)
    assert (ch5.passed, ch5.total) == (1, sum(e.chapter == 5 for e in EXERCISES.values()))
    first = {r.name: r.first_passed for r in board.exercises if r.first_passed}
    assert first == {"iterations_per_epoch": dt.datetime(2024, 5, 2, 10),
                     "total_iterations": dt.datetime(2024, 5, 3, 10),
                     "ewa_step": dt.datetime(2024, 5, 3, 11)}
    # last 3 answers: adam T T T -> 3 of 3; momentum F F T -> 1 of 3
    assert board.mastery == {"adam": P.Mastery(3, 3, 1.0), "momentum": P.Mastery(1, 3, 1 / 3)}
    assert P.progress(today="2024-05-05", last=10).mastery["adam"] == P.Mastery(3, 4, 0.75)
    assert board.due_today == 2
    text = str(board)
    assert "Chapters done: 1 of 11" in text
    assert "[x]  4 epochs and iterations" in text
    assert "iterations_per_epoch         passed 2024-05-02" in text
    assert "tried, not passed yet: ewa_window" in text
    assert "momentum                         1 of 3 (33%)  <- revisit" in text
    assert "adam                             3 of 3 (100%)\n" in text
    assert "Cards due today: 2 to repeat" in text
    assert "Next: chapter 0 (introduction): make check('mse_loss', ...) pass." in text
    assert repr(board) == text
    assert "<h4>Chapters done: 1 of 11</h4>" in board.html
    assert "<code>ewa_step</code> passed 2024-05-03" in board.html


def test_dashboard_widget_refreshes_through_its_button(fresh):
    board = P.progress(today="2024-05-05")
    assert "Exercises passed: 0 of" in board.controls["view"].value
    assert "no answers yet" in board.text
    check("ewa_step", reference("ewa_step"))
    board.controls["refresh"].click()
    assert "Exercises passed: 1 of" in board.controls["view"].value
    bundle = board._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == board.text


def test_dashboard_plain_text_without_ipywidgets(fresh, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    board = P.progress(today="2024-05-05")
    assert board.widget is None and board.controls == {}
    assert set(board._repr_mimebundle_()) == {"text/plain", "text/html"}
    assert board.text.startswith("Your progress on 2024-05-05 (saved in ")


def test_the_quiz_saves_every_scored_answer(fresh):
    """Quiz._record is the one place a scored answer lands; a right and a wrong answer are both
    in the file, with the question's topic and source "quiz"."""
    qz = Q.quiz("epochs_and_iterations", rng=0)
    first = qz.current
    qz.answer(first["answer"])                      # the shown index, or the number
    qz.next()
    second = qz.current
    wrong = ("1e9" if second["kind"] == "numeric"
             else (second["answer"] + 1) % len(second["choices"]))
    qz.answer(wrong)
    got = [(a.question_id, a.topic, a.right, a.source) for a in P.store().attempts()]
    assert got == [(first["id"], "epochs_and_iterations", True, "quiz"),
                   (second["id"], "epochs_and_iterations", False, "quiz")]


@pytest.mark.parametrize("cwd", [["."], b".", 3, ("a", "b")])
def test_progress_path_refuses_a_cwd_that_is_not_a_path(cwd):
    # before: "expected str, bytes or os.PathLike object, not list" from pathlib
    with pytest.raises(TypeError, match="cwd must be a folder path"):
        P.progress_path(cwd)
