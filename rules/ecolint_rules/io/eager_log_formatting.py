from __future__ import annotations

from typing import Literal

import libcst as cst

from ecolint import (
    Invalid,
    Rule,
    Valid,
    attribute_assignments,
    dotted_name,
    names_bound,
    simple_assignments,
)

_LEVELS = frozenset({"debug", "info", "warning", "warn", "error", "critical", "exception", "log"})
_GET_LOGGER = "logging.getLogger"
_LOGURU = "loguru.logger"
_LOGURU_DERIVED = frozenset({f"{_LOGURU}.bind", f"{_LOGURU}.opt", f"{_LOGURU}.patch"})
_CONVERSIONS = frozenset({"builtins.str", "builtins.repr"})
# The level each method logs at (`log` takes it as its first argument).
_METHOD_LEVELS = {"warn": "warning", "exception": "error"}
_NUMERIC_LEVELS = {10: "debug", 20: "info", 30: "warning", 40: "error", 50: "critical"}

Flavour = Literal["logging", "loguru"]


class EagerLogFormatting(Rule):
    """## What it does
    Flags a call to `debug`, `info`, `warning`, `warn`, `error`, `critical`, `exception`
    or `log` on a logger (the `logging` module functions, a logger from
    `logging.getLogger()` bound to a name or to `self.<attr>`, or loguru's `logger`)
    whose message is built eagerly: an f-string, a `.format()` call, `%` formatting or
    `+` concatenation; or whose lazy arguments are wrapped in `str()` / `repr()`.
    Only the levels in `levels` are reported (by default `debug` and `info`; `log()`
    when its level is a literal or a `logging.<LEVEL>` constant among them): a
    `warning` or `error` record is emitted in practically every configuration, so
    its message is formatted either way and building it eagerly wastes nothing.

    ## Why is this wasteful?
    The message is formatted before the logger checks its level, so a disabled
    `debug()` call in a hot path still converts every value and builds a string that is
    thrown away. Passing the values as arguments defers the formatting to the handler,
    which runs only when the record is actually emitted.

    ## Example
    ```python
    log.debug(f"cache miss for {key} in {self.name}")
    ```

    Use instead:
    ```python
    log.debug("cache miss for %s in %s", key, self.name)
    ```

    ## Fix safety
    The fix is offered for f-strings whose fields are all plain names or attributes,
    without format spec, conversion or `=`, when the f-string is the last positional
    argument. It is safe: `%s` (loguru: `{}`) formats each value with `str()` exactly as
    the f-string did, and a literal `%` is escaped as `%%` for `logging`. Other forms get
    no fix (a format spec or a call inside the message needs a human decision).

    ## Evidence
    `bench/rules/eco205_eager_log_formatting.py` on this 2-core machine (CPython 3.11,
    median of 7 paired runs, n `debug()` calls with three fields on a logger set to
    WARNING): 3.7× at n=100, 3.7× at n=10⁴, 4.0× at n=10⁶. The saving is per call (about
    0.4 µs each), so it scales with how often the disabled call runs.

    ## Options
    - `levels` (default `["debug", "info"]`): the levels whose eager messages are
      reported; add `"warning"` (`warn`), `"error"` (`exception`) or `"critical"` where
      those levels are filtered out in production.

    ## References
    - creedengo GCI111 (logging format); ruff G001 to G004 (flake8-logging-format), RUF065;
      greenlint GL020 (eager log formatting)
    """

    code = "ECO205"
    name = "eager-log-formatting"
    impact = "medium"
    message = "{how} in `{method}()` is built even when the level is disabled; pass lazy arguments"
    fix = "sometimes"
    OPTIONS = {"levels": ["debug", "info"]}
    VALID = [
        Valid("import logging\n\nlog = logging.getLogger(__name__)\nlog.debug('x=%s', x)\n"),
        Valid("print(f'x={x}')\n"),
        Valid("def report(logger, x):\n    logger.info(f'{x}')\n"),
        Valid("import logging\n\nlogging.info(f'static text')\n"),
        Valid("from loguru import logger\n\nlogger.info('{} done', name)\n"),
        Valid("import logging\n\nlogging.info('a' + 'b')\n"),
        Valid(
            "import logging\n\nlog = logging.getLogger()\n\ndef f(log):\n    log.info(f'{log}')\n"
        ),
        Valid("import logging\n\nlogging.error(f'cannot open {path}')\n"),
        Valid("import logging\n\nlog = logging.getLogger()\nlog.exception(f'{x} failed')\n"),
        Valid("import logging\n\nlogging.log(logging.WARNING, f'{x}')\n"),
        Valid("import logging\n\nlogging.log(level, f'{x}')\n"),
    ]
    INVALID = [
        Invalid(
            "import logging\n\nlog = logging.getLogger(__name__)\n\ndef run(x, obj):\n"
            "    log.debug(f'x={x} y={obj.y} 100%')\n",
            line=6,
            fixed="import logging\n\nlog = logging.getLogger(__name__)\n\ndef run(x, obj):\n"
            "    log.debug('x=%s y=%s 100%%', x, obj.y)\n",
        ),
        Invalid(
            "from loguru import logger\n\nlogger.info(f'user {user.name} logged in {{ok}}')\n",
            line=3,
            fixed="from loguru import logger\n\n"
            "logger.info('user {} logged in {{ok}}', user.name)\n",
        ),
        Invalid(
            "import logging as lg\n\nlg.warning('took {:.2f}s'.format(t))\n",
            line=3,
            options={"levels": ["warning"]},
        ),
        Invalid(
            "from logging import getLogger\n\nclass Worker:\n    def __init__(self):\n"
            "        self.log = getLogger('w')\n\n    def step(self, n):\n"
            "        self.log.info('step %d' % n)\n",
            line=8,
        ),
        Invalid(
            "import logging\n\nlogging.error('failed: ' + str(err))\n",
            line=3,
            options={"levels": ["debug", "error"]},
        ),
        Invalid(
            "import logging\n\nlogging.log(logging.DEBUG, f'{x}')\n",
            line=3,
            fixed="import logging\n\nlogging.log(logging.DEBUG, '%s', x)\n",
        ),
        Invalid("import logging\n\nlogging.debug('payload %s', repr(payload))\n", line=3),
        Invalid("import logging\n\nlogging.info(f'took {t:.2f}s', **ctx)\n", line=3),
        Invalid(
            "import logging\n\ndef f(x):\n    log = logging.getLogger()\n"
            "    log.log(logging.DEBUG, f'{x}',\n            exc_info=True)\n",
            line=5,
            fixed="import logging\n\ndef f(x):\n    log = logging.getLogger()\n"
            "    log.log(logging.DEBUG, '%s', x,\n            exc_info=True)\n",
        ),
        Invalid(
            "import logging\n\nlogging.getLogger(__name__).info(f'{a}')\n",
            line=3,
            fixed="import logging\n\nlogging.getLogger(__name__).info('%s', a)\n",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _LEVELS:
            return
        flavour = self._logger_flavour(node, func)
        if flavour is None:
            return
        method = func.attr.value
        if self._level(node, method) not in self._levels():
            return
        index = 1 if method == "log" else 0
        if any(arg.star == "*" for arg in node.args):
            return  # the message position is unknown
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        message = positional[index] if len(positional) > index else _keyword(node, "msg")
        how = _eager_message(message.value) if message else None
        if how is None:
            how = self._eager_argument(positional[index + 1 :])
            if how is None:
                return
        replacement = None
        if (
            positional
            and message is positional[-1]
            and isinstance(message.value, cst.FormattedString)
        ):
            replacement = _lazy_call(node, message, flavour)
        self.report(node, replacement=replacement, how=how, method=method)

    def _levels(self) -> frozenset[str]:
        configured = self.options["levels"]
        levels = [configured] if isinstance(configured, str) else configured
        return frozenset(_METHOD_LEVELS.get(str(v).lower(), str(v).lower()) for v in levels)

    def _level(self, call: cst.Call, method: str) -> str | None:
        """The level ``call`` logs at: its method's, or the literal or ``logging``
        constant given to ``log()``; ``None`` when it is not known statically."""
        if method != "log":
            return _METHOD_LEVELS.get(method, method)
        if not call.args or call.args[0].keyword is not None or call.args[0].star:
            return None
        value = call.args[0].value
        if isinstance(value, cst.Integer):
            return _NUMERIC_LEVELS.get(int(value.evaluated_value))
        if isinstance(value, cst.SimpleString):  # loguru: logger.log("DEBUG", ...)
            return str(value.evaluated_value).lower()
        name = self.qualified_name(value)
        if name and name.startswith("logging."):
            return _METHOD_LEVELS.get(name[8:].lower(), name[8:].lower())
        return None

    def _logger_flavour(self, call: cst.Call, func: cst.Attribute) -> Flavour | None:
        if self.qualified_name(func) == f"logging.{func.attr.value}":
            return "logging"
        receiver = func.value
        if isinstance(receiver, cst.Name):
            return self._flavour_of_values(self._values_of(call, receiver.value))
        if isinstance(receiver, cst.Attribute) and dotted_name(receiver.value) in ("self", "cls"):
            return self._flavour_of_values(self._attribute_values(call, receiver.attr.value))
        return self._flavour_of(receiver)

    def _flavour_of(self, value: cst.BaseExpression) -> Flavour | None:
        if isinstance(value, cst.Call) and self.qualified_name(value) == _GET_LOGGER:
            return "logging"
        if self.qualified_name(value) == _LOGURU:
            return "loguru"
        # `logger.bind(...)` / `logger.opt(...)` are loguru loggers too, except
        # `opt(lazy=True)`, whose arguments are callables.
        if (
            isinstance(value, cst.Call)
            and self.qualified_name(value) in _LOGURU_DERIVED
            and _keyword(value, "lazy") is None
        ):
            return "loguru"
        return None

    def _flavour_of_values(self, values: list[cst.BaseExpression]) -> Flavour | None:
        flavours = {self._flavour_of(value) for value in values}
        return flavours.pop() if len(flavours) == 1 else None

    def _values_of(self, call: cst.Call, name: str) -> list[cst.BaseExpression]:
        """What ``name`` is assigned in the enclosing scope, else in the module; a bare
        name that nothing assigns may be loguru's imported ``logger`` itself."""
        scope = self.enclosing_scope(call)
        if scope is not self.module:
            values = simple_assignments(scope, name)
            if values or name in names_bound(scope):
                return values
        return simple_assignments(self.module, name) or [cst.Name(name)]

    def _attribute_values(self, call: cst.Call, attr: str) -> list[cst.BaseExpression]:
        """Values of ``self.<attr> = …`` in the enclosing class, or of a class attribute."""
        cls = self.enclosing_class(call)
        if cls is None:
            return []
        return simple_assignments(cls, attr) + attribute_assignments(cls, attr, ("self", "cls"))

    def _eager_argument(self, args: list[cst.Arg]) -> str | None:
        for arg in args:
            name = self.qualified_name(arg.value) if isinstance(arg.value, cst.Call) else None
            if name in _CONVERSIONS:
                return f"`{name.removeprefix('builtins.')}()` around an argument"
        return None


def _keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword and a.keyword.value == name), None)


def _eager_message(value: cst.BaseExpression) -> str | None:
    if isinstance(value, cst.FormattedString):
        if any(isinstance(p, cst.FormattedStringExpression) for p in value.parts):
            return "An f-string"
    elif isinstance(value, cst.ConcatenatedString):
        if any(_eager_message(part) for part in (value.left, value.right)):
            return "An f-string"
    elif isinstance(value, cst.Call):
        if isinstance(value.func, cst.Attribute) and value.func.attr.value == "format":
            return "`.format()`"
    elif isinstance(value, cst.BinaryOperation):
        if isinstance(value.operator, cst.Modulo):
            return "`%` formatting"
        if isinstance(value.operator, cst.Add) and not _all_literals(value):
            return "`+` concatenation"
    return None


def _all_literals(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.BinaryOperation):
        return _all_literals(value.left) and _all_literals(value.right)
    return isinstance(value, (cst.SimpleString, cst.ConcatenatedString))


def _lazy_call(call: cst.Call, message: cst.Arg, flavour: Flavour) -> cst.Call | None:
    """`log.debug(f"x={x}")` → `log.debug("x=%s", x)` (loguru: `"x={}"`), or None when a
    field is more than a plain name or attribute."""
    fstring = message.value
    assert isinstance(fstring, cst.FormattedString)
    text: list[str] = []
    values: list[cst.Arg] = []
    for part in fstring.parts:
        if isinstance(part, cst.FormattedStringText):
            raw = part.value
            if flavour == "logging":
                raw = raw.replace("{{", "{").replace("}}", "}").replace("%", "%%")
            text.append(raw)
            continue
        if part.format_spec or part.conversion or part.equal or not dotted_name(part.expression):
            return None
        text.append("%s" if flavour == "logging" else "{}")
        values.append(cst.Arg(part.expression.deep_clone()))
    prefix = fstring.start[: -len(fstring.end)].replace("f", "").replace("F", "")
    literal = cst.SimpleString(f"{prefix}{fstring.end}{''.join(text)}{fstring.end}")
    position = next(i for i, arg in enumerate(call.args) if arg is message)
    args = [
        *call.args[:position],
        message.with_changes(value=literal, comma=cst.MaybeSentinel.DEFAULT),
        *values[:-1],
        values[-1].with_changes(comma=message.comma),
        *call.args[position + 1 :],
    ]
    return call.with_changes(args=args)
