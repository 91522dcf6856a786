"""Renderers of the web audit report: text, JSON, Markdown (PR comments) and HTML.

Each takes a ``WebReport`` and returns a string; only the CLI writes it anywhere.
"""

from ecolint.render.web.html import render_html
from ecolint.render.web.json_format import render_json
from ecolint.render.web.markdown import render_markdown
from ecolint.render.web.text import render_text

__all__ = ["render_html", "render_json", "render_markdown", "render_text"]
