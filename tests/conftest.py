"""Shared pytest configuration for the course's tests."""
import os
import shutil
import tempfile

# The learner's progress file (course_lib.teaching.progress): every test, and every notebook
# kernel that nbval starts (kernels inherit os.environ), writes to a throwaway folder, never into
# the repository. Set at import, before any test or kernel runs; each xdist worker gets its own.
_PROGRESS_VAR = "OPTIMIZERS_COURSE_PROGRESS"
_PROGRESS_DIR = tempfile.mkdtemp(prefix="course-progress-")
_PROGRESS_BEFORE = os.environ.get(_PROGRESS_VAR)
os.environ[_PROGRESS_VAR] = os.path.join(_PROGRESS_DIR, "course_progress.sqlite3")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab in headless chromium with Playwright "
        "(skips without chromium, fails under CI=true); deselect with -m 'not browser'")


def pytest_unconfigure(config):
    if _PROGRESS_BEFORE is None:
        os.environ.pop(_PROGRESS_VAR, None)
    else:
        os.environ[_PROGRESS_VAR] = _PROGRESS_BEFORE
    shutil.rmtree(_PROGRESS_DIR, ignore_errors=True)
