"""Sphinx extension for the book: MathJax served from the book itself, not from a CDN.

The book's math must render on a machine without internet (a laptop in a lecture hall, CI).
``jupyter-server-mathjax`` (a dev dependency) ships MathJax 2.7 as package data; this extension
copies it to ``_static/mathjax`` of the HTML build. ``_config.yml`` points ``mathjax_path`` there
and sets ``mathjax2_config``.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.errors import ExtensionError


def mathjax_source() -> Path:
    """The folder holding ``MathJax.js`` inside the installed jupyter-server-mathjax."""
    try:
        import jupyter_server_mathjax
    except ImportError as exc:
        raise ExtensionError("the book needs jupyter-server-mathjax for offline math: "
                             "pip install -e '.[dev]'") from exc
    src = Path(jupyter_server_mathjax.__file__).parent / "static"
    if not (src / "MathJax.js").is_file():
        raise ExtensionError(f"MathJax.js is missing from {src}: reinstall jupyter-server-mathjax")
    return src


def check_source(app):
    mathjax_source()


def copy_mathjax(app, exception):
    if exception is None and app.builder.format == "html":
        shutil.copytree(mathjax_source(), Path(app.outdir) / "_static" / "mathjax",
                        dirs_exist_ok=True)


def setup(app):
    app.connect("builder-inited", check_source)
    app.connect("build-finished", copy_mathjax)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
