"""Root pytest configuration: loaded for every test run from the repository, whether it collects
``tests/``, ``notebooks/`` (nbval) or a single notebook from inside ``notebooks/``."""
import os
import shutil
import tempfile

# The learner's progress file (course_lib.teaching.progress): every test, and every notebook
# kernel that nbval starts (kernels inherit os.environ), writes to a throwaway folder, never into
# the repository. Set at import, before any test or kernel runs (this file sits at the root so
# that a single notebook run from inside notebooks/ gets it too); each xdist worker has its own.
_PROGRESS_VAR = "OPTIMIZERS_COURSE_PROGRESS"
_PROGRESS_DIR = tempfile.mkdtemp(prefix="course-progress-")
_PROGRESS_BEFORE = os.environ.get(_PROGRESS_VAR)
os.environ[_PROGRESS_VAR] = os.path.join(_PROGRESS_DIR, "course_progress.sqlite3")


def pytest_unconfigure(config):
    if _PROGRESS_BEFORE is None:
        os.environ.pop(_PROGRESS_VAR, None)
    else:
        os.environ[_PROGRESS_VAR] = _PROGRESS_BEFORE
    shutil.rmtree(_PROGRESS_DIR, ignore_errors=True)
