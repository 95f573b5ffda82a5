"""The playground in a real browser: JupyterLab, headless Debian chromium, Playwright.

The test starts ``jupyter lab`` on 127.0.0.1 with a random token on a copy of
``notebooks/playground.ipynb`` (the committed notebook is never touched), restarts the kernel and
runs all cells through JupyterLab's own menu, types a new learning rate into GD's slider and
waits for the playground's message line to show the final loss that ``run_path`` computes here,
in the test process, for that learning rate. Then it saves a screenshot of the playground.

- Playwright drives the system chromium (``apt-get install chromium``); ``playwright install``
  is never needed.
- Without chromium or Playwright the test skips and says why; under CI (``CI=true``) it fails
  instead, so CI cannot pass without having run it.
- ``UPDATE_SCREENSHOT=1`` also copies the screenshot to ``docs/img/playground.png``.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "playground.ipynb"
SCREENSHOT = ROOT / "docs" / "img" / "playground.png"

# What the notebook shows and what the test changes (see the playground cell of the notebook).
PROBLEM, OPTIMIZER, STEPS = "rosenbrock", "gd", 200
NEW_LR = 0.004

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    # Without these chromium opens many connections of its own (updates, sync, field trials),
    # which a machine without internet refuses, many at a time.
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SERVER_TIMEOUT = 45.0   # s: jupyter lab answering /api/status
UI_TIMEOUT = 30_000     # ms: one wait in the page (load, kernel ready, run all, redraw)

pytestmark = pytest.mark.browser


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _unavailable(reason: str):
    """Skip on a learner's machine; fail under CI, where the browser check must run."""
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: the browser check must run in CI; .ci/run installs "
                    f"chromium with apt-get)", pytrace=False)
    pytest.skip(reason)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    _unavailable("chromium not found on PATH: install it with `apt-get install chromium` "
                 "(Debian/Ubuntu); Playwright drives the system browser, no `playwright install`")


def _sync_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is missing: `pip install -e '.[dev]'`")
    return sync_playwright


# --------------------------------------------------------------------------------------------
# What the page must show: computed here, by the library, not read from the page.
def _message_line(lr: float, problem: str = PROBLEM, optimizer: str = OPTIMIZER,
                  steps: int = STEPS) -> str:
    """The playground's message line for ``optimizer`` on ``problem`` after ``steps`` steps at
    ``lr`` (by default: GD on Rosenbrock, as in the playground notebook)."""
    from course_lib.paths import run_path
    from course_lib.problems import get_problem

    landscape = get_problem(problem)
    res = run_path(landscape, optimizer, steps=steps, lr=lr)
    assert not res.diverged, f"lr={lr} diverges on {problem}: pick another learning rate"
    dist = min(float(np.linalg.norm(res.path[-1] - m)) for m in landscape.minima)
    return (f"{optimizer}: loss {res.losses[-1]:.4g} after {res.steps_taken} steps, "
            f"{dist:.2g} from the nearest minimum")


def _start_lr(problem: str = PROBLEM, optimizer: str = OPTIMIZER) -> float:
    from course_lib.widgets import START_LR

    return START_LR[problem][optimizer]


# --------------------------------------------------------------------------------------------
# The server: jupyter lab from this interpreter (so the kernel and the widget extensions are the
# ones of this environment), isolated config, on a copy of the notebook.
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, n: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def _wait_for_server(url: str, token: str, proc, log: Path):
    deadline = time.monotonic() + SERVER_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited with code {proc.returncode}:\n{_tail(log)}")
        try:
            req = urllib.request.Request(f"{url}/api/status",
                                        headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(req, timeout=2) as resp:
                if resp.status == 200 and "started" in json.load(resp):
                    return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.25)
    pytest.fail(f"jupyter lab did not answer within {SERVER_TIMEOUT:.0f} s:\n{_tail(log)}")


def _isolated_env(home: Path) -> dict:
    env = dict(os.environ)
    for key, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")):
        env[key] = str(home / sub)
        (home / sub).mkdir(parents=True, exist_ok=True)
    # No "get Jupyter news?" toast over the page, no update check.
    notify = home / "settings" / "@jupyterlab" / "apputils-extension"
    notify.mkdir(parents=True)
    (notify / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # The kernel imports course_lib from this checkout, the same code the test computes with.
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in
                                         env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    env.pop("JUPYTER_PATH", None)
    return env


@pytest.fixture
def browser():
    """``(chromium path, sync_playwright)``: checked before any server starts."""
    return _chromium(), _sync_playwright()


@pytest.fixture
def lab(browser, tmp_path):
    """``(url, token, log)`` of a running JupyterLab whose root holds a copy of the notebook."""
    assert NOTEBOOK.exists(), f"{NOTEBOOK} is missing"
    pytest.importorskip("jupyterlab", reason="jupyterlab is not installed")
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(NOTEBOOK, root / "notebooks" / NOTEBOOK.name)
    if SCREENSHOT.exists():  # the notebook's markdown shows it (../docs/img/playground.png)
        (root / "docs" / "img").mkdir(parents=True)
        shutil.copy(SCREENSHOT, root / "docs" / "img" / SCREENSHOT.name)
    with running_lab(root, tmp_path) as server:
        yield server


@contextlib.contextmanager
def running_lab(root: Path, tmp_path: Path):
    """Start JupyterLab (this venv's Python, 127.0.0.1, a random token, an isolated config) on
    ``root``; yield ``(url, token, log)``; always stop it."""
    token, port = secrets.token_hex(16), _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "jupyter-lab.log"
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
           f"--port={port}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=_isolated_env(tmp_path / "jupyter-home"), stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        _wait_for_server(url, token, proc, log)
        yield url, token, log
    finally:
        _stop(proc)


@contextlib.contextmanager
def notebook_page(browser, server, name: str, tmp_path: Path):
    """A chromium page on ``notebooks/<name>`` in the running JupyterLab ``server``, its kernel
    idle and the file browser folded away. On a failure: a screenshot, the page's JavaScript
    errors and the server log are printed. Yields ``(page, errors)``: the JavaScript errors
    seen so far, a list that keeps growing."""
    executable, sync_playwright = browser
    url, token, log = server
    with sync_playwright() as p:
        chrome = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(UI_TIMEOUT)
        errors = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        try:
            page.goto(f"{url}/lab/tree/notebooks/{name}?token={token}")
            page.locator(".jp-NotebookPanel").wait_for()
            # The kernel is up when the status bar says "<kernel name> | Idle".
            page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\| Idle")).wait_for()
            page.keyboard.press("Control+b")  # fold the file browser away: more room
            yield page, errors
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            print(f"screenshot of the failure: {tmp_path / 'failure.png'}\n"
                  f"page errors: {errors}\njupyter lab log:\n{_tail(log)}")
            raise
        finally:
            chrome.close()


def _stop(proc):
    """SIGTERM (the server shuts its kernels down), then SIGKILL for the whole session."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # our own session: the server and its kernels
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


# --------------------------------------------------------------------------------------------
def _restart_and_run_all(page):
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Kernel$")).click()
    page.locator(".lm-Menu-item", has_text="Restart Kernel and Run All Cells").click()
    page.locator(".jp-Dialog .jp-mod-accept", has_text="Restart").click(timeout=UI_TIMEOUT)


# A digest of the figure's pixels, or null while no canvas holds a drawn figure (a blank or
# one-colour canvas is not a figure).
_DIGEST = """canvases => {
    let hash = 0, drawn = false;
    for (const c of canvases) {
        if (!c.width || !c.height) continue;
        const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        const colours = new Set();
        for (let i = 0; i < px.length; i += 4) {
            hash = (Math.imul(hash, 31) + px[i] + 3 * px[i + 1] + 7 * px[i + 2]
                    + 11 * px[i + 3]) | 0;
            if (colours.size < 12 && i % 4004 === 0) colours.add(px.slice(i, i + 4).join());
        }
        drawn = drawn || colours.size >= 12;
    }
    return drawn ? hash : null;
}"""


def _settled_figure(page, output, *, unlike=None):
    """The digest of the playground's figure once it is drawn, differs from ``unlike`` and
    holds still for half a second (ipympl paints an update a moment after the kernel sent it)."""
    canvases = output.locator(".jupyter-matplotlib-canvas-div canvas")
    deadline = time.monotonic() + UI_TIMEOUT / 1000
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        digest = canvases.evaluate_all(_DIGEST)
        if digest != last:
            last, since = digest, time.monotonic()
        elif digest is not None and digest != unlike and time.monotonic() - since >= 0.5:
            return digest
        page.wait_for_timeout(100)
    what = "was never drawn" if last is None else (
        "did not change after the slider moved" if last == unlike else "never held still")
    raise AssertionError(f"the playground's figure {what} within {UI_TIMEOUT / 1000:.0f} s")


def _type_into_readout(slider, value: str):
    """Type a value into an ipywidgets slider's readout box and press Enter (what a learner
    does for an exact value)."""
    readout = slider.locator(".widget-readout")
    readout.click()
    readout.fill(value)
    readout.press("Enter")


def test_playground_in_jupyterlab(browser, lab, tmp_path):
    before, after = _message_line(_start_lr()), _message_line(NEW_LR)
    assert before != after, "the new learning rate must change the message: pick another NEW_LR"

    shot = tmp_path / "playground.png"
    with notebook_page(browser, lab, NOTEBOOK.name, tmp_path) as (page, _errors):
        _restart_and_run_all(page)

        playground = page.locator(".jp-OutputArea-output").filter(
            has=page.locator(".jupyter-matplotlib"))
        message = playground.locator(".widget-html-content").filter(has_text=": loss ")
        message.filter(has_text=before).wait_for()
        figure_before = _settled_figure(page, playground)
        # Still the same once the page has settled: showing the sliders must not move them.
        assert before in message.inner_text(), (
            f"showing the playground changed GD's result: expected {before!r} for the "
            f"starting lr={_start_lr()}, the page shows {message.inner_text()!r}")

        playground.locator(".lm-TabBar-tab", has_text=re.compile(f"^{OPTIMIZER}$")).click()
        slider = playground.locator(".widget-slider:visible").filter(has_text="(lr)")
        assert slider.count() == 1, f"expected one visible lr slider, found {slider.count()}"
        _type_into_readout(slider, f"{NEW_LR:g}")

        message.filter(has_text=after).wait_for()
        text = message.inner_text()
        assert after in text and before not in text, text
        assert float(slider.locator(".widget-readout").inner_text()) == NEW_LR
        _settled_figure(page, playground, unlike=figure_before)  # the paths were redrawn
        playground.screenshot(path=str(shot))

    assert shot.stat().st_size > 10_000, "the screenshot is suspiciously small"
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, SCREENSHOT)
