"""Sphinx extension for the book: each page loads each script once.

sphinx-thebe (which Jupyter Book 1 always loads, though the book does not use thebe) registers
its inline configuration script on every ``env-before-read-docs`` event; with the installed
Sphinx that happens twice, and the page declares ``const THEBE_JS_URL`` twice: a JavaScript
``SyntaxError`` on every page. This drops repeated script entries from the page context.
"""
from __future__ import annotations


def _key(script) -> tuple:
    """What the page would load: the file (None and "" both mean an inline script) and the
    tag's attributes, the inline body among them."""
    attrs = getattr(script, "attributes", None)
    if attrs is None:  # a plain string: a file name
        return str(script), ()
    return getattr(script, "filename", None) or "", tuple(sorted(attrs.items()))


def dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
