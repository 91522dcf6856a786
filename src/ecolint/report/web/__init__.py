"""Renderers of the web audit report: text, JSON, Markdown (PR comments) and HTML.

Each takes a ``WebReport`` and returns a string; only the CLI writes it anywhere.
"""

from ecolint.report.web.html import render_html
from ecolint.report.web.json_format import render_json
from ecolint.report.web.markdown import render_markdown
from ecolint.report.web.text import render_text

__all__ = ["render_html", "render_json", "render_markdown", "render_text"]
