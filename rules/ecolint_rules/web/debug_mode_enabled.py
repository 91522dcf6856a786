from __future__ import annotations

import re

import libcst as cst

from ecolint import Invalid, Rule, Valid
from ecolint_rules.web._web import DEV_SERVER_FRAMEWORKS, is_true, string_value

# `settings.py`, `settings_prod.py`…; development and test settings files are meant to
# run in debug mode and are left alone.
_SETTINGS_FILE = re.compile(r"^settings[\w.-]*\.py$")
# An `if` on one of these switches debug mode on only where it is asked for.
_FLAG_WORDS = re.compile(r"debug|\bdev\b|develop")
_DEVELOPMENT = re.compile(r"dev|local|test", re.IGNORECASE)


class DebugModeEnabled(Rule):
    """## What it does
    Flags debug mode switched on in code that may be deployed:
    - a module-level `DEBUG = True` in a Django settings file (`settings*.py`), except
      files whose name says development or tests (`settings_dev.py`,
      `settings_local.py`, `settings_test.py`);
    - `app.run(..., debug=True)`, `app.debug = True` and `app.config["DEBUG"] = True` in a
      module that imports Flask, Quart, Sanic, Dash or Bottle.

    Not when an enclosing `if` tests a debug or development flag (`if args.dev:`, `if
    settings.debug:`): debug mode is then switched on on purpose, only where it is asked.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 5 findings shown
    over the rounds were worth a change. Debug mode behind a debug flag is no longer
    reported; what remained was a Flask app mounted in another WSGI server, where no
    reloader runs. Enable it (`extend-select = ["ECO804"]`) to review settings files
    before a deployment.

    ## Why is this wasteful?
    Django in debug mode records every SQL query with its timing in
    `connection.queries` (the last 9,000 per connection), keeps more in memory and
    renders detailed error pages; Flask's debug mode starts the reloader, a second
    process that polls every source file for changes once a second, and the debugger.
    Left on in production, each request pays the overhead and the process uses more
    memory, on every server.

    ## Example
    ```python
    # settings.py
    DEBUG = True
    ```

    Use instead:
    ```python
    # settings.py
    DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
    ```

    ## Evidence
    `bench/rules/eco804_debug_mode_enabled.py` on a 2-core x86-64 VM (CPython 3.11,
    Django 5.2, Werkzeug 3; shared with other jobs, so times are noisy): n primary-key
    lookups on an in-memory SQLite table with `DEBUG = True` against `False`. Time
    (median of 5 paired runs): 1.04x at n=100, 1.10x at n=1,000, 0.99x at n=10⁴ (a
    second run: 0.84x, 1.07x, 1.21x), within noise: the query itself dominates. Memory
    held by the query log afterwards (tracemalloc): 0.09 MB against 0.02 MB at n=100,
    0.58 MB against 0.08 MB at n=1,000, 4.8 MB against 0.07 MB at n=10⁴ (9,000 queries
    kept: the log is capped, per connection and thread). The development server that
    `app.run(debug=True)` starts runs Werkzeug's reloader, a second process that checks
    every imported module's file each second: idle for 20 s with Django and DRF
    imported, it used 80 ms of CPU (median of 3; 190 ms for 10 s in another run)
    against 0 ms without the reloader.

    Summary: Django's debug query log holds up to about 4.8 MB per connection (9,000
    queries) at no measurable speed cost per query; a debug-mode Werkzeug server burns
    4-19 ms of CPU per idle second in its reloader, against 0 (2 cores, CPython 3.11).

    ## References
    - ruff S201 (flask-debug-true); Django deployment checklist (`DEBUG`)
    - Django: `connection.queries`, `django.db.reset_queries()`
    """

    code = "ECO804"
    name = "debug-mode-enabled"
    message = "{what} enables debug mode; {alternative}"
    impact = "low"
    opt_in = True
    VALID = [
        Valid(
            """
            from flask import Flask

            app = Flask(__name__)
            if args.dev:
                app.config["DEBUG"] = True
            """
        ),
        Valid(
            """
            from flask import Flask

            app = Flask(__name__)

            def run():
                if searx.sxng_debug:
                    app.run(debug=True, use_reloader=True)
            """
        ),
        Valid(
            """
            import os

            DEBUG = os.environ.get('DEBUG') == '1'
            """,
            path="mysite/settings.py",
        ),
        Valid("DEBUG = True\n", path="mysite/settings_dev.py"),
        Valid("DEBUG = True\n", path="mysite/config.py"),
        Valid(
            """
            def configure():
                DEBUG = True
                return DEBUG
            """,
            path="settings.py",
        ),
        Valid("""
            from flask import Flask

            app = Flask(__name__)
            app.run(debug=False)
            """),
        Valid("""
            import unittest

            runner.run(debug=True)
            """),
    ]
    INVALID = [
        Invalid(
            """
            SECRET_KEY = 'x'
            DEBUG = True
            """,
            line=2,
            path="mysite/settings.py",
        ),
        Invalid(
            """
            from flask import Flask

            app = Flask(__name__)

            if __name__ == '__main__':
                app.run(host='0.0.0.0', debug=True)
            """,
            line=6,
        ),
        Invalid(
            """
            import flask

            app = flask.Flask(__name__)
            app.debug = True
            app.config['DEBUG'] = True
            """,
            line=4,
            count=2,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        basename = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        self._settings_file = bool(_SETTINGS_FILE.match(basename)) and not _DEVELOPMENT.search(
            basename
        )
        self._dev_server = self.imports.imports_module(*DEV_SERVER_FRAMEWORKS)

    def _behind_a_debug_flag(self, node: cst.CSTNode) -> bool:
        """Whether an enclosing ``if`` tests a name that says debug or development."""
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, cst.If):
                tested = self.module.code_for_node(ancestor.test).lower()
                if _FLAG_WORDS.search(tested):
                    return True
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        if not is_true(node.value) or self._behind_a_debug_flag(node):
            return
        for target in node.targets:
            name = target.target
            if (
                isinstance(name, cst.Name)
                and name.value == "DEBUG"
                and self._settings_file
                and self.enclosing_scope(node) is self.module
            ):
                self.report(
                    node,
                    what="`DEBUG = True` in a settings file",
                    alternative="read it from the environment, off by default",
                )
            elif self._dev_server and _is_debug_target(name):
                self.report(
                    node,
                    what=f"`{self.module.code_for_node(name)} = True`",
                    alternative="drive it from the environment, off in production",
                )

    def visit_Call(self, node: cst.Call) -> None:
        if not self._dev_server:
            return
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "run"):
            return
        if self._behind_a_debug_flag(node):
            return
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "debug" and is_true(arg.value):
                self.report(
                    node,
                    what="`run(debug=True)`",
                    alternative="use `flask run --debug` locally and a WSGI server in production",
                )


def _is_debug_target(target: cst.BaseExpression) -> bool:
    """``app.debug`` or ``app.config["DEBUG"]``."""
    if isinstance(target, cst.Attribute):
        return target.attr.value == "debug"
    if isinstance(target, cst.Subscript) and len(target.slice) == 1:
        index = target.slice[0].slice
        return isinstance(index, cst.Index) and string_value(index.value) == "DEBUG"
    return False
