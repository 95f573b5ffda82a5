"""Shared pytest configuration for the course's tests."""
def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab in headless chromium with Playwright "
        "(skips without chromium, fails under CI=true); deselect with -m 'not browser'")
