"""What the ECO8xx rules share: web frameworks, static-file helpers, string values."""

from __future__ import annotations

import libcst as cst

from ecolint import dotted_name

WEB_FRAMEWORKS = (
    "flask",
    "django",
    "rest_framework",
    "fastapi",
    "starlette",
    "jinja2",
    "aiohttp.web",
    "tornado",
    "bottle",
    "pyramid",
    "sanic",
    "quart",
    "falcon",
    "werkzeug",
    "litestar",
)
# Frameworks with an `app.run(debug=True)` development server.
DEV_SERVER_FRAMEWORKS = ("flask", "quart", "sanic", "dash", "bottle")
# The last name of functions that send a file or build a static URL.
STATIC_SENDERS = frozenset(
    {"send_file", "send_from_directory", "static_file", "FileResponse", "url_for", "static"}
)


def string_value(node: cst.BaseExpression | None) -> str | None:
    """The text of a plain (or implicitly concatenated) string literal, else ``None``."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_value(node.left), string_value(node.right)
        return None if left is None or right is None else left + right
    return None


def last_name(expression: cst.BaseExpression) -> str | None:
    """``send_file`` for ``flask.send_file`` / ``send_file``; the called name of a call."""
    if isinstance(expression, cst.Call):
        expression = expression.func
    dotted = dotted_name(expression)
    return dotted.rsplit(".", 1)[-1] if dotted else None


def is_zero(node: cst.BaseExpression) -> bool:
    """``0``, ``0.0`` or ``timedelta(0)`` / ``timedelta(seconds=0)``."""
    if isinstance(node, (cst.Integer, cst.Float)):
        try:
            return float(node.value.replace("_", "")) == 0
        except ValueError:
            return False
    if isinstance(node, cst.Call) and last_name(node) == "timedelta" and node.args:
        return all(is_zero(arg.value) for arg in node.args)
    return False


def is_true(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"
