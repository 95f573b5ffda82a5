"""Shared pytest configuration for the course's tests."""
import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab in headless chromium with Playwright "
        "(skips without chromium, fails under CI=true); deselect with -m 'not browser'")


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """The learner's progress store (course_lib.teaching.progress) points at a new file in
    tmp_path for this test; returns its path."""
    from course_lib.teaching import progress as P

    path = tmp_path / "course" / P.FILENAME
    path.parent.mkdir()
    monkeypatch.setenv(P.ENV_VAR, str(path))
    return path
