"""Sphinx extension for the book: a stored widget view becomes a visible note.

A notebook stores an ipywidgets output as a *view* (a model id) whose state lives in the running
kernel; the course strips widget state from the files, so in a static page the view would be an
empty ``<script>``. This extension replaces each such view, after myst-nb has rendered it, by a
short note telling the reader where the widget runs.
"""
from __future__ import annotations

from docutils import nodes

WIDGET_VIEW = '<script type="application/vnd.jupyter.widget-view+json">'
NOTE = ('<div class="admonition note widget-placeholder"><p class="admonition-title">'
        'Interactive widget</p><p>This cell shows a live widget. It runs in JupyterLab with a '
        'kernel: <code>make lab</code>, open this notebook and run the cells.</p></div>')


def replace_widget_views(app, doctree):
    """Swap every raw widget-view node of a page for the note (HTML builders only)."""
    for node in list(doctree.findall(nodes.raw)):
        if node.get("format") == "html" and node.astext().startswith(WIDGET_VIEW):
            node.replace_self(nodes.raw("", NOTE, format="html"))


def setup(app):
    app.connect("doctree-read", replace_widget_views)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
