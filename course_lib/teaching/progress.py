"""Your progress, kept in a small SQLite file that survives kernel restarts: nothing is ever lost.

What is saved (stdlib ``sqlite3``, file ``course_progress.sqlite3``):

- the flash cards' Leitner boxes and due dates (:mod:`course_lib.teaching.srs`),
- every quiz answer: question id, topic, right or not, when (:func:`record_attempt`),
- every ``check()`` of an exercise: name, passed or not, when (:func:`record_check`).

Where the file lives (:func:`progress_path`): the file named by the environment variable
``OPTIMIZERS_COURSE_PROGRESS`` (a folder there means ``<folder>/course_progress.sqlite3``);
otherwise the course folder, the folder that holds ``notebooks/`` (found from the current
folder upwards: a notebook's kernel runs in ``notebooks/``); otherwise the current folder. Never
inside the installed ``course_lib`` package: a location there moves to your home folder.

How nothing is lost:

- every write is one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``), the file is in WAL mode
  with a busy timeout, so two kernels writing at once wait for each other instead of failing;
- a file that is not SQLite, or an SQLite file of another program (no course marker: the
  ``application_id`` :data:`APPLICATION_ID`), or a damaged one, is moved aside to
  ``<name>.corrupt-<timestamp>`` (never deleted), with a warning that says so, and a fresh file
  is started;
- a file that cannot be written (a read-only folder) gives one warning; the course keeps working
  and this session's progress is kept in memory until the kernel stops.

:func:`progress` shows the dashboard: chapters done, exercises passed (with dates), quiz mastery
per topic, cards due today.
"""
from __future__ import annotations

import datetime as _dt
import html
import os
import sqlite3
import threading
import warnings
from pathlib import Path
from typing import NamedTuple

from .._validate import _show, check_number
from .srs import Card, as_date

__all__ = ["ENV_VAR", "FILENAME", "SCHEMA_VERSION", "APPLICATION_ID", "ProgressWarning",
           "ProgressStore", "Attempt", "CheckRecord", "Mastery", "progress_path", "store",
           "record_attempt", "record_check", "mastery", "progress", "Dashboard"]

#: Environment variable that names the progress file (or a folder for it).
ENV_VAR = "OPTIMIZERS_COURSE_PROGRESS"
#: File name of the progress store.
FILENAME = "course_progress.sqlite3"
#: Version of the tables; a file of a later version is read, never changed.
SCHEMA_VERSION = 1
#: SQLite's application_id header field of a course progress file: "OPTC" in ASCII.
APPLICATION_ID = 0x4F505443
BUSY_TIMEOUT_S = 15.0

_PACKAGE = Path(__file__).resolve().parents[1]  # course_lib/

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS cards (id TEXT PRIMARY KEY, box INTEGER NOT NULL, "
    "due TEXT NOT NULL, last TEXT)",
    "CREATE TABLE IF NOT EXISTS attempts (n INTEGER PRIMARY KEY AUTOINCREMENT, "
    "question_id TEXT NOT NULL, topic TEXT NOT NULL, right INTEGER NOT NULL, "
    "source TEXT NOT NULL, at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS checks (n INTEGER PRIMARY KEY AUTOINCREMENT, "
    "name TEXT NOT NULL, passed INTEGER NOT NULL, at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS attempts_topic ON attempts (topic, n)",
)
_TABLES = {"meta", "cards", "attempts", "checks"}
SOURCES = ("quiz", "review", "mock", "flashcards")


class ProgressWarning(UserWarning):
    """The progress file was moved aside, or cannot be written."""


class Attempt(NamedTuple):
    question_id: str
    topic: str
    right: bool
    source: str
    at: _dt.datetime


class CheckRecord(NamedTuple):
    name: str
    passed: bool
    at: _dt.datetime


class Mastery(NamedTuple):
    """Right answers among the last ``answered`` attempts of a topic; ``share`` = right/answered."""
    right: int
    answered: int
    share: float


# --------------------------------------------------------------------------------------------
# Where the file lives
def _inside_package(path: Path) -> bool:
    try:
        path.resolve().relative_to(_PACKAGE)
        return True
    except ValueError:
        return False


def _course_folder(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        nb = folder / "notebooks"
        try:
            if nb.is_dir() and any(nb.glob("[0-9][0-9]_*.ipynb")):
                return folder
        except OSError:
            return None
    return None


def progress_path(cwd=None) -> Path:
    """The progress file used now: ``$OPTIMIZERS_COURSE_PROGRESS``, else the course folder's
    ``course_progress.sqlite3``, else the current folder's; never inside the package."""
    if cwd is not None and not isinstance(cwd, (str, os.PathLike)):
        raise TypeError(f"cwd must be a folder path (a str or pathlib.Path) or None, got "
                        f"{_show(cwd)} of type {type(cwd).__name__}")
    try:
        start = Path.cwd() if cwd is None else Path(cwd)
    except TypeError:  # an os.PathLike whose __fspath__ gives bytes
        raise TypeError(f"cwd must be a folder path (a str or pathlib.Path) or None, got "
                        f"{_show(cwd)}") from None
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        path = Path(env).expanduser()
        if path.is_dir():
            path = path / FILENAME
        path = path if path.is_absolute() else start / path
    else:
        folder = _course_folder(start.resolve())
        path = (folder if folder is not None else start) / FILENAME
    if _inside_package(path):
        path = Path.home() / FILENAME
    return path.absolute()


# --------------------------------------------------------------------------------------------
# The store
_WARNED: set = set()


def _warn_once(key, text):
    if key in _WARNED:
        return
    _WARNED.add(key)
    warnings.warn(text, ProgressWarning, stacklevel=4)


def _now() -> _dt.datetime:
    return _dt.datetime.now().replace(microsecond=0)


def _as_when(value) -> str:
    if value is None:
        return _now().isoformat()
    if isinstance(value, _dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, _dt.date):
        return _dt.datetime.combine(value, _dt.time()).isoformat()
    if isinstance(value, str):
        try:
            return _dt.datetime.fromisoformat(value.strip()).replace(microsecond=0).isoformat()
        except ValueError:
            pass
    raise TypeError(f"when must be a datetime, a date or an ISO text such as "
                    f"'2024-05-01T10:30:00', got {_show(value)} of type {type(value).__name__}")


class _Corrupt(Exception):
    """The file is damaged, not SQLite, or another program's database."""


class ProgressStore:
    """One progress file (or, when it cannot be written, an in-memory stand-in).

    Most learners never build one: :func:`store` returns the shared store of the current
    location. Reads return plain values (``cards()``, ``attempts()``, ``checks()``); writes
    return True when saved in the file and False when not (never raising for a store problem).

    Attributes: ``path`` (the file), ``in_memory`` (True when the file could not be used),
    ``moved_aside`` (list of files moved aside by this store).
    """

    def __init__(self, path):
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a file path, got {_show(path)} "
                            f"of type {type(path).__name__}")
        self.path = Path(path).expanduser().absolute()
        if _inside_package(self.path):
            raise ValueError(f"path must not be inside the course_lib package ({_PACKAGE}); "
                             f"got {self.path}. Choose a file in your course folder.")
        self.in_memory, self.read_only, self.moved_aside = False, False, []
        self._conn, self._ident, self._pid = None, None, None
        self._lock = threading.RLock()
        self._open()

    def __repr__(self):
        where = "in memory (not saved)" if self.in_memory else str(self.path)
        return f"<ProgressStore {where}>"

    # --- opening -----------------------------------------------------------------------------
    def _open(self):
        for _ in range(3):
            try:
                self._connect_file()
                return
            except _Corrupt as err:
                try:
                    self._move_aside(str(err))
                except OSError as move_err:
                    self._fall_back(move_err)
                    return
            except (sqlite3.Error, OSError) as err:
                self._fall_back(err)
                return
        self._fall_back(OSError("the file was damaged again right after a fresh start"))

    def _connect_file(self):
        self._close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            state = self._identify(conn)
            if state != "fresh":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            if state == "fresh":
                self._create(conn)
        except BaseException:
            conn.close()
            raise
        self._conn, self._pid = conn, os.getpid()
        self._ident = self._file_id()
        self.in_memory = False

    def _identify(self, conn) -> str:
        """'ours', 'fresh' (empty: ours to set up) or raise _Corrupt."""
        try:
            app = conn.execute("PRAGMA application_id").fetchone()[0]
            names = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError as err:
            raise _Corrupt(f"it is not an SQLite database ({err})") from None
        if app == APPLICATION_ID:
            try:
                check = [r[0] for r in conn.execute("PRAGMA quick_check")]
            except sqlite3.OperationalError:
                raise
            except sqlite3.DatabaseError as err:
                raise _Corrupt(f"it is damaged ({err})") from None
            if check != ["ok"]:
                raise _Corrupt(f"it is damaged (quick_check: {'; '.join(check[:3])})")
            if not _TABLES <= names:
                raise _Corrupt(f"tables are missing: {', '.join(sorted(_TABLES - names))}")
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row and str(row[0]).isdigit() else 0
            if version < 1:
                raise _Corrupt("its schema version is missing")
            self.read_only = version > SCHEMA_VERSION
            if self.read_only:
                _warn_once((str(self.path), "newer"),
                           f"The progress file {self.path} was written by a newer version of the "
                           f"course (schema {version}, this one knows {SCHEMA_VERSION}): it is "
                           f"read, never changed. Update course_lib to save new progress.")
            return "ours"
        if app == 0 and not names:
            return "fresh"
        shown = ", ".join(sorted(names)[:5]) or "no tables"
        raise _Corrupt(f"it is an SQLite database of another program (application_id {app}, "
                       f"tables: {shown})")

    def _create(self, conn):
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            app = conn.execute("PRAGMA application_id").fetchone()[0]
            if app != APPLICATION_ID:  # another kernel may have set it up meanwhile
                names = {r[0] for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
                if app != 0 or names:
                    raise _Corrupt("another program wrote to it while it was being set up")
                for sql in _SCHEMA:
                    conn.execute(sql)
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                             (str(SCHEMA_VERSION),))
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('created', ?)",
                             (_now().isoformat(),))
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _file_id(self):
        try:
            st = os.stat(self.path)
            return st.st_dev, st.st_ino
        except OSError:
            return None

    def _move_aside(self, reason):
        self._close()
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        k = 2
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{k}")
            k += 1
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm", "-journal"):
            side = Path(str(self.path) + suffix)
            if side.exists():
                os.replace(side, Path(str(aside) + suffix))
        self.moved_aside.append(aside)
        warnings.warn(f"The progress file {self.path} could not be used: {reason}. It was moved "
                      f"to {aside.name} in the same folder (nothing was deleted) and a fresh "
                      f"progress file was started. If it held your progress, keep that file "
                      f"and ask your instructor.", ProgressWarning, stacklevel=4)

    def _fall_back(self, err):
        self._close()
        _warn_once((str(self.path), "unwritable"),
                   f"Your progress cannot be saved in {self.path} ({err}). The course works as "
                   f"usual, but this session's progress is kept only until the kernel stops. "
                   f"To save it, set the environment variable {ENV_VAR} to a file in a folder "
                   f"you can write, then restart the kernel.")
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self._copy_saved(conn)
        for sql in _SCHEMA:
            conn.execute(sql)
        self._conn, self._pid, self._ident = conn, os.getpid(), None
        self.in_memory = True

    def _copy_saved(self, memory):
        """Start the in-memory stand-in from the file's saved progress when it can be read."""
        try:
            if not self.path.is_file():
                return
            uri = self.path.as_uri() + "?mode=ro&immutable=1"
            saved = sqlite3.connect(uri, uri=True)
            try:
                if saved.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
                    saved.backup(memory)
            finally:
                saved.close()
        except (sqlite3.Error, OSError):
            pass  # nothing readable: start empty

    def _close(self):
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
        self._conn = None

    def close(self):
        """Close the file (the next use opens it again)."""
        with self._lock:
            self._close()

    def _ready(self):
        """Reopen after a fork, or when the file was moved, replaced or deleted meanwhile."""
        if self._conn is None or self._pid != os.getpid():
            self._conn = None  # never close a connection inherited through fork
            self._open()
        elif not self.in_memory and self._file_id() != self._ident:
            self._open()
        return self._conn

    # --- running statements ------------------------------------------------------------------
    def _run(self, work, *, write, default):
        with self._lock:
            for _ in range(2):
                try:
                    conn = self._ready()
                    if write and self.read_only:
                        return default
                    if not write:
                        return work(conn)
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        result = work(conn)
                        conn.execute("COMMIT")
                    except BaseException:
                        if conn.in_transaction:
                            conn.execute("ROLLBACK")
                        raise
                    return (not self.in_memory) if result is None else result
                except sqlite3.OperationalError as err:
                    _warn_once((str(self.path), "write" if write else "read"),
                               f"Your progress could not be {'saved' if write else 'read'} "
                               f"({err}, file {self.path}). The course works as usual; "
                               f"try again later.")
                    return default
                except sqlite3.DatabaseError as err:  # damaged since it was opened
                    try:
                        self._move_aside(f"it is damaged ({err})")
                    except OSError as move_err:
                        self._fall_back(move_err)
                    self._open()
                except OSError as err:
                    self._fall_back(err)
            return default

    # --- writes ------------------------------------------------------------------------------
    def add_attempt(self, question_id: str, topic: str, right: bool, *, source="quiz",
                    when=None) -> bool:
        at = _as_when(when)
        return self._run(lambda c: c.execute(
            "INSERT INTO attempts (question_id, topic, right, source, at) VALUES (?, ?, ?, ?, ?)",
            (question_id, topic, int(right), source, at)) and None, write=True, default=False)

    def add_check(self, name: str, passed: bool, *, when=None) -> bool:
        at = _as_when(when)
        return self._run(lambda c: c.execute(
            "INSERT INTO checks (name, passed, at) VALUES (?, ?, ?)",
            (name, int(passed), at)) and None, write=True, default=False)

    def save_card(self, card: Card, *, right=None, topic=None, when=None) -> bool:
        """Save a card's box and due date; with ``right``, record the answer as an attempt
        (source "review") in the same transaction."""
        at = _as_when(when)
        due = as_date("card.due", card.due).isoformat()
        last = None if card.last is None else as_date("card.last", card.last).isoformat()

        def work(c):
            c.execute("INSERT OR REPLACE INTO cards (id, box, due, last) VALUES (?, ?, ?, ?)",
                      (card.id, int(card.box), due, last))
            if right is not None:
                c.execute("INSERT INTO attempts (question_id, topic, right, source, at) "
                          "VALUES (?, ?, ?, 'review', ?)",
                          (card.id, topic or "unknown", int(right), at))
        return self._run(work, write=True, default=False)

    # --- reads -------------------------------------------------------------------------------
    def cards(self) -> dict:
        """Every saved card, id -> :class:`~course_lib.teaching.srs.Card`."""
        rows = self._run(lambda c: c.execute("SELECT id, box, due, last FROM cards").fetchall(),
                         write=False, default=[])
        out = {}
        for cid, box, due, last in rows:
            try:
                out[cid] = Card(cid, int(box), _dt.date.fromisoformat(due),
                                _dt.date.fromisoformat(last) if last else None)
            except (TypeError, ValueError):
                continue  # a row written by hand: skip it, never fail the course
        return out

    def attempts(self, topic=None) -> list[Attempt]:
        """Quiz attempts, oldest first (one topic when given)."""
        sql, args = "SELECT question_id, topic, right, source, at FROM attempts", ()
        if topic is not None:
            sql, args = sql + " WHERE topic = ?", (topic,)
        rows = self._run(lambda c: c.execute(sql + " ORDER BY n", args).fetchall(),
                         write=False, default=[])
        return [Attempt(q, t, bool(r), s, _parse_at(a)) for q, t, r, s, a in rows]

    def checks(self) -> list[CheckRecord]:
        """Exercise checks, oldest first."""
        rows = self._run(lambda c: c.execute(
            "SELECT name, passed, at FROM checks ORDER BY n").fetchall(), write=False, default=[])
        return [CheckRecord(n, bool(p), _parse_at(a)) for n, p, a in rows]


def _parse_at(text) -> _dt.datetime | None:
    try:
        return _dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


_STORES: dict = {}
_STORES_LOCK = threading.Lock()


def store() -> ProgressStore:
    """The progress store at :func:`progress_path` (one per file and process, opened once)."""
    path = progress_path()
    key = (str(path), os.getpid())
    with _STORES_LOCK:
        found = _STORES.get(key)
        if found is None:
            found = _STORES[key] = ProgressStore(path)
        return found


# --------------------------------------------------------------------------------------------
# What the quiz and check() call: one line each, never raising for a store problem
def _question_topic(question_id: str) -> str:
    from .. import quiz as _quiz

    q = _quiz.get_question(question_id)
    return q.get("topic") or q["chapter"]


def record_attempt(question, right, *, topic=None, source="quiz", when=None) -> bool:
    """Save one quiz answer; return True when it is in the progress file.

    Parameters
    ----------
    question : dict or str
        The question dict (its ``id`` and ``topic`` or ``chapter`` are used) or its id (then the
        topic comes from the bank).
    right : bool
        Whether the answer was right.
    topic : str, optional
        Overrides the question's topic.
    source : str
        Which mode asked: one of ``"quiz"``, ``"review"``, ``"mock"``, ``"flashcards"``.
    when : datetime, optional
        When it was answered (default: now).

    A bad argument raises TypeError or ValueError; a store that cannot be written only warns
    (once) and returns False, so a quiz never breaks because of its progress file. In the quiz::

        record_attempt(q, result.correct)
    """
    if isinstance(question, dict):
        qid = question.get("id")
        if topic is None:
            topic = question.get("topic") or question.get("chapter")
    else:
        qid = question
    if not isinstance(qid, str) or not qid:
        raise TypeError(f"question must be a question dict or its id (a text), "
                        f"got {_show(question)}")
    if not isinstance(right, bool):
        raise TypeError(f"right must be True or False, got {_show(right)} "
                        f"of type {type(right).__name__}")
    if not isinstance(source, str) or source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(map(repr, SOURCES))}; "
                         f"got {_show(source)}")
    if topic is None:
        topic = _question_topic(qid)
    if not isinstance(topic, str) or not topic:
        raise TypeError(f"topic must be a topic name (a text), got {_show(topic)}")
    at = _as_when(when)
    try:
        return store().add_attempt(qid, topic, right, source=source, when=at)
    except Exception as err:  # noqa: BLE001 - never break the learner's quiz
        _warn_once(("record", type(err).__name__), f"Your answer could not be saved ({err}).")
        return False


def record_check(name, passed, *, when=None) -> bool:
    """Save one ``check()`` result (exercise name, passed, when). Never raises: ``check()``
    calls it after every judged function; returns True when it is in the progress file."""
    try:
        if not isinstance(name, str) or not isinstance(passed, bool):
            return False
        return store().add_check(name, passed, when=when)
    except Exception as err:  # noqa: BLE001 - check() must never raise
        _warn_once(("record", type(err).__name__),
                   f"Your check() result could not be saved ({err}).")
        return False


# --------------------------------------------------------------------------------------------
# Mastery and the dashboard
def _check_last(last) -> int:
    return check_number("last", last, low=1, high=10_000, integer=True)


def mastery(last=10, *, source=None) -> dict:
    """Per topic: right answers among your ``last`` attempts, as :class:`Mastery`.

    Only topics you answered appear; ``source`` ("quiz", "review", ...) keeps one mode only.
    """
    last = _check_last(last)
    if source is not None and (not isinstance(source, str) or source not in SOURCES):
        raise ValueError(f"source must be None or one of {', '.join(map(repr, SOURCES))}; "
                         f"got {_show(source)}")
    return _mastery(store().attempts(), last, source)


def _mastery(attempts, last, source=None) -> dict:
    by_topic: dict = {}
    for a in attempts:
        if source is None or a.source == source:
            by_topic.setdefault(a.topic, []).append(a.right)
    out = {}
    for topic, results in by_topic.items():
        tail = results[-last:]
        out[topic] = Mastery(sum(tail), len(tail), sum(tail) / len(tail))
    return out


class _ChapterRow(NamedTuple):
    number: int
    name: str
    passed: int
    total: int

    @property
    def done(self) -> bool:
        return self.total > 0 and self.passed == self.total


class _ExerciseRow(NamedTuple):
    name: str
    chapter: int
    first_passed: _dt.datetime | None
    last_checked: _dt.datetime | None


WEAK_SHARE = 0.6  # a topic is "to revisit" below this share, after at least WEAK_MIN answers
WEAK_MIN = 3


class Dashboard:
    """What :func:`progress` shows; ``text`` is the plain-text summary (also ``str`` / ``repr``).

    Attributes: ``chapters`` (rows: number, name, passed, total, done), ``exercises`` (rows:
    name, chapter, first_passed, last_checked), ``mastery`` (topic -> Mastery), ``due_today``,
    ``new_cards``, ``today``, ``path``, ``saved`` (False when the file could not be used);
    ``controls`` (``view`` HTML and ``refresh`` button) and ``widget`` with ipywidgets.
    """

    def __init__(self, *, today, last, store_=None):
        self.today, self.last = today, last
        self._store = store_
        self.controls, self.widget = {}, None
        self.refresh()
        try:
            import ipywidgets as w
        except ImportError:
            return
        self.controls = {"view": w.HTML(self.html),
                         "refresh": w.Button(description="Refresh", icon="refresh")}
        self.controls["refresh"].on_click(lambda _: self._refresh_view())
        self.widget = w.VBox([self.controls["view"], self.controls["refresh"]])

    def _refresh_view(self):
        try:
            self.refresh()
            self.controls["view"].value = self.html
        except Exception as err:  # noqa: BLE001 - a button must never raise
            self.controls["view"].value = f"<p>Could not refresh: {html.escape(str(err))}</p>"

    def refresh(self):
        """Read the progress file again."""
        from .. import quiz as _quiz
        from ..exercises import EXERCISES

        st = self._store if self._store is not None else store()
        self.path, self.saved = st.path, not st.in_memory
        checks, attempts, cards = st.checks(), st.attempts(), st.cards()
        first_pass, last_check = {}, {}
        for rec in checks:
            last_check[rec.name] = rec.at
            if rec.passed and rec.name not in first_pass:
                first_pass[rec.name] = rec.at
        self.exercises = [_ExerciseRow(e.name, e.chapter, first_pass.get(e.name),
                                       last_check.get(e.name)) for e in EXERCISES.values()]
        names = _quiz.CHAPTERS
        rows = []
        for number in sorted({e.chapter for e in EXERCISES.values()}):
            mine = [r for r in self.exercises if r.chapter == number]
            rows.append(_ChapterRow(number, names[number] if number < len(names) else str(number),
                                    sum(r.first_passed is not None for r in mine), len(mine)))
        self.chapters = rows
        self.mastery = _mastery(attempts, self.last)
        self.topics = tuple(getattr(_quiz, "TOPICS", names))
        try:
            bank = {q["id"] for q in _quiz.load_questions()}
        except Exception:  # noqa: BLE001 - the dashboard still shows the rest
            bank = set(cards)
        self.due_today = sum(1 for c in cards.values() if c.id in bank and c.due <= self.today)
        self.new_cards = len(bank - set(cards))
        return self

    # --- views -------------------------------------------------------------------------------
    def _weak(self):
        return [t for t, m in self.mastery.items() if m.answered >= WEAK_MIN
                and m.share < WEAK_SHARE]

    def _next_step(self) -> str:
        for ch in self.chapters:
            if not ch.done:
                todo = [r.name for r in self.exercises
                        if r.chapter == ch.number and r.first_passed is None]
                return (f"Next: chapter {ch.number} ({ch.name.replace('_', ' ')}): "
                        f"make check('{todo[0]}', ...) pass.")
        if self._weak():
            return f"Next: revisit {self._weak()[0].replace('_', ' ')} with quiz() or review()."
        if self.due_today:
            return "Next: review() the cards due today."
        return "Next: every chapter is done; try the quiz or a mock interview."

    @property
    def text(self) -> str:
        lines = [f"Your progress on {self.today.isoformat()} "
                 + (f"(saved in {self.path})" if self.saved
                    else "(NOT saved: this session only, see the warning)")]
        done = sum(ch.done for ch in self.chapters)
        lines.append(f"Chapters done: {done} of {len(self.chapters)} "
                     f"(done = every exercise of the chapter passed check())")
        for ch in self.chapters:
            mark = "[x]" if ch.done else "[ ]"
            lines.append(f"  {mark} {ch.number:2d} {ch.name.replace('_', ' '):<32} "
                         f"{ch.passed} of {ch.total} exercises")
        passed = [r for r in self.exercises if r.first_passed is not None]
        lines.append(f"Exercises passed: {len(passed)} of {len(self.exercises)}")
        for r in passed:
            lines.append(f"  {r.name:<28} passed {r.first_passed.date().isoformat()}")
        tried = [r.name for r in self.exercises
                 if r.first_passed is None and r.last_checked is not None]
        if tried:
            lines.append(f"  tried, not passed yet: {', '.join(tried)}")
        lines.append(f"Quiz mastery (right answers among your last {self.last} per topic):")
        weak = set(self._weak())
        for topic in [t for t in self.topics if t in self.mastery] + \
                sorted(set(self.mastery) - set(self.topics)):
            m = self.mastery[topic]
            flag = "  <- revisit" if topic in weak else ""
            lines.append(f"  {topic.replace('_', ' '):<32} {m.right} of {m.answered} "
                         f"({m.share:.0%}){flag}")
        untried = [t for t in self.topics if t not in self.mastery]
        if not self.mastery:
            lines.append("  no answers yet: try quiz()")
        elif untried:
            lines.append(f"  not tried yet: {', '.join(t.replace('_', ' ') for t in untried)}")
        lines.append(f"Cards due today: {self.due_today} to repeat, {self.new_cards} never "
                     f"seen: run review()")
        lines.append(self._next_step())
        return "\n".join(lines)

    def __str__(self):
        return self.text

    __repr__ = __str__

    @property
    def html(self) -> str:
        esc = html.escape
        done = sum(ch.done for ch in self.chapters)
        where = (f"saved in <code>{esc(str(self.path))}</code>" if self.saved
                 else "<b>not saved</b>: this session only (see the warning)")
        rows = "".join(
            f"<tr><td>{'✔' if ch.done else ''}</td><td>{ch.number}</td>"
            f"<td>{esc(ch.name.replace('_', ' '))}</td><td>{ch.passed} of {ch.total}</td></tr>"
            for ch in self.chapters)
        passed = "".join(
            f"<li><code>{esc(r.name)}</code> passed {r.first_passed.date().isoformat()}</li>"
            for r in self.exercises if r.first_passed is not None) or "<li>none yet</li>"
        weak = set(self._weak())
        mastery = "".join(
            f"<tr><td>{esc(t.replace('_', ' '))}</td><td>{m.right} of {m.answered}</td>"
            f"<td>{m.share:.0%}</td><td>{'revisit' if t in weak else ''}</td></tr>"
            for t, m in sorted(self.mastery.items(), key=lambda kv: (
                self.topics.index(kv[0]) if kv[0] in self.topics else len(self.topics), kv[0])))
        mastery = mastery or "<tr><td colspan='4'>no answers yet: try quiz()</td></tr>"
        return (
            f"<div><b>Your progress on {self.today.isoformat()}</b> ({where})"
            f"<h4>Chapters done: {done} of {len(self.chapters)}</h4>"
            f"<small>done = every exercise of the chapter passed check()</small>"
            f"<table><tr><th></th><th>#</th><th>chapter</th><th>exercises passed</th></tr>"
            f"{rows}</table>"
            f"<h4>Exercises passed: {sum(r.first_passed is not None for r in self.exercises)}"
            f" of {len(self.exercises)}</h4><ul>{passed}</ul>"
            f"<h4>Quiz mastery (your last {self.last} answers per topic)</h4>"
            f"<table><tr><th>topic</th><th>right</th><th>share</th><th></th></tr>{mastery}"
            f"</table><h4>Cards due today: {self.due_today} to repeat, {self.new_cards} never "
            f"seen</h4><p>{esc(self._next_step())}</p></div>")

    def _repr_html_(self):
        return self.html

    def _repr_mimebundle_(self, **kwargs):
        bundle = {"text/plain": self.text, "text/html": self.html}
        if self.widget is not None:
            bundle.update(self.widget._repr_mimebundle_(**kwargs))
            bundle["text/plain"] = self.text
        return bundle


def progress(*, today=None, last=10) -> Dashboard:
    """Your dashboard: chapters done, exercises passed (with dates), quiz mastery per topic,
    cards due today.

    Parameters
    ----------
    today : datetime.date, "YYYY-MM-DD" or None
        The day that "due today" means (None: today's date).
    last : int >= 1
        Mastery counts the right answers among this many latest answers per topic.

    Returns
    -------
    Dashboard
        Shows as HTML with a Refresh button in a notebook; ``print()`` gives the plain text.
    """
    today = _dt.date.today() if today is None else as_date("today", today)
    return Dashboard(today=today, last=_check_last(last))
