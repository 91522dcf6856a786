from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import libcst as cst

from ecolint import (
    Invalid,
    Rule,
    Valid,
    attribute_assignments,
    children,
    dotted_name,
    simple_assignments,
)
from ecolint.lint.analysis import assignments, bound_names
from ecolint.results import Confidence

_LEVELS = frozenset({"debug", "info", "warning", "warn", "error", "critical", "exception", "log"})
_GET_LOGGER = "logging.getLogger"
_LOGGER_CLASSES = frozenset({"logging.Logger", "logging.LoggerAdapter"})
# Project helpers that wrap `logging.getLogger` (`get_logger`, `getLogger`, `get_task_logger`
# of celery), unless they come from a library whose loggers take no `%` arguments.
_HELPER_WORDS = ("get_logger", "getlogger", "get_task_logger")
_OTHER_LOGGING = ("structlog.", "loguru.")
# Builtins that cost about what formatting the value does anyway: no extra work to skip.
_CONVERTERS = ("str", "repr", "format", "int", "float", "bool", "hex", "oct", "chr", "ord")
_INSPECTORS = ("len", "type", "id", "abs", "round", "isinstance", "getattr", "hasattr")
_CHEAP_CALLS = frozenset(f"builtins.{name}" for name in (*_CONVERTERS, *_INSPECTORS))
_CHEAP_METHODS = frozenset(
    {"join", "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "replace"}
    | {"split", "rsplit", "startswith", "endswith", "removeprefix", "removesuffix", "zfill"}
    | {"keys", "values", "items", "get", "isoformat", "strftime", "total_seconds"}
)
_CLOCKS = frozenset(
    {"time.time", "time.monotonic", "time.perf_counter", "datetime.datetime.now"}
    | {"datetime.datetime.utcnow", "datetime.date.today"}
)
_RANKS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50}
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
    or `log` on a logger whose message is built eagerly: an f-string, a `.format()` call,
    `%` formatting or `+` concatenation; or whose lazy arguments are wrapped in `str()` /
    `repr()`. A logger is one of the `logging` module functions, a logger from
    `logging.getLogger()` or from a project helper (a function of the module annotated
    `-> logging.Logger`, or an imported one named like `get_logger` / `getLogger`, not
    structlog's) bound to a name or to `self.<attr>`, or loguru's `logger`.

    Only the levels in `levels` are looked at (by default `debug` and `info`; `log()`
    when its level is a literal or a `logging.<LEVEL>` constant among them): a
    `warning` or `error` record is emitted in practically every configuration, so
    its message is formatted either way and building it eagerly wastes nothing.

    Whether the formatting is wasted depends on the level the application runs at,
    which the code does not say, so findings are graded:
    - the production level is known (`enabled-levels`): a level below it is reported
      with high confidence, and a level it enables is not reported at all;
    - otherwise `debug` is reported with high confidence only when the message *calls*
      something (a method or function other than a cheap builtin such as `len` or `str`
      or a string method such as `.join`): real work that a level check would skip,
      perhaps a database query (`qs.count()`) or a serialisation. A message that
      only formats values (names, attributes, `len()`, `", ".join(...)`, a comprehension
      over them) saves about 0.4 µs per call: `low` confidence;
    - otherwise `info` (and any other level added to `levels`) gets `low` confidence,
      and the message says the saving depends on the configured level: most web
      applications log `info` in production.

    When the message calls something, the advice is a level check around the call
    (`if log.isEnabledFor(logging.DEBUG):`; loguru: `logger.opt(lazy=True)` with a
    `lambda`): lazy `%` arguments would still make the call, a database query perhaps.

    ## Why is this wasteful?
    The message is formatted before the logger checks its level, so a disabled
    `debug()` call in a hot path still converts every value and builds a string that is
    thrown away. Passing the values as arguments defers the formatting to the handler,
    which runs only when the record is actually emitted.

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`): 0 of 16 sampled findings were worth a
    change. Whether formatting a message is wasted depends on the logging level each deployment
    sets, which ecolint cannot see (4 of 5 web projects log `info`, one logs `debug` to a file),
    and the formatted values were cheap. Enable it with `enabled-levels` set to your production
    levels (see Options), which makes its findings certain.

    ## Example
    ```python
    log.debug(f"cache miss for {key} in {self.name}")
    log.debug(f"state: {self.snapshot()}")
    ```

    Use instead:
    ```python
    log.debug("cache miss for %s in %s", key, self.name)
    if log.isEnabledFor(logging.DEBUG):
        log.debug("state: %s", self.snapshot())
    ```

    ## Fix safety
    The fix is offered for f-strings whose fields are all plain names or attributes,
    without format spec, conversion or `=`, when the f-string is the last positional
    argument. It is safe: `%s` (loguru: `{}`) formats each value with `str()` exactly as
    the f-string did, and a literal `%` is escaped as `%%` for `logging`. Other forms get
    no fix (a format spec or a call inside the message needs a human decision).

    ## Evidence
    `bench/rules/eco205_eager_log_formatting.py` on a 2-core x86-64 VM (CPython 3.11,
    median of 7 paired runs, n `debug()` calls with three fields on a logger set to
    WARNING): 3.7× at n=100, 3.7× at n=10⁴, 4.0× at n=10⁶. The saving is per call (about
    0.4 µs each), so it scales with how often the disabled call runs.

    ## Options
    - `levels` (default `["debug", "info"]`): the levels whose eager messages are
      looked at; add `"warning"` (`warn`), `"error"` (`exception`) or `"critical"` where
      those levels are filtered out in production.
    - `enabled-levels` (default `[]`: not known): the levels the production logging
      configuration emits, for example `["warning", "error", "critical"]`. Levels are
      thresholds, so the lowest one listed enables those above it. When set, eager
      formatting at a level below it is reported with high confidence (every call wastes
      the formatting), and at a level it enables is not reported (the record is
      formatted anyway).

    ## References
    - creedengo GCI111 (logging format); ruff G001 to G004 (flake8-logging-format), RUF065;
      greenlint GL020 (eager log formatting)
    """

    code = "ECO205"
    opt_in = True
    name = "eager-log-formatting"
    impact = "medium"
    message = "{how} in `{method}()` is built even when the level is disabled; pass lazy arguments"
    fix = "sometimes"
    fix_title = "Pass the values as lazy logging arguments"
    OPTIONS = {"levels": ["debug", "info"], "enabled-levels": []}
    VALID = [
        Valid("""
            import logging

            log = logging.getLogger(__name__)
            log.debug('x=%s', x)
            """),
        Valid("print(f'x={x}')\n"),
        Valid("""
            def report(logger, x):
                logger.info(f'{x}')
            """),
        Valid("""
            import logging

            logging.info(f'static text')
            """),
        Valid("""
            from loguru import logger

            logger.info('{} done', name)
            """),
        Valid("""
            import logging

            logging.info('a' + 'b')
            """),
        Valid(
            """
            import logging

            log = logging.getLogger()

            def f(log):
                log.info(f'{log}')
            """
        ),
        Valid("""
            import logging

            logging.error(f'cannot open {path}')
            """),
        Valid("""
            import logging

            log = logging.getLogger()
            log.exception(f'{x} failed')
            """),
        Valid("""
            import logging

            logging.log(logging.WARNING, f'{x}')
            """),
        Valid("""
            import logging

            logging.log(level, f'{x}')
            """),
        Valid(
            """
            import logging

            log = logging.getLogger(__name__)
            log.info(f"user {user.name} logged in: {user.describe()}")
            """,
            options={"enabled-levels": ["info"]},
        ),
        Valid(
            """
            import structlog

            from .helpers import make_logger

            log = structlog.get_logger()
            log.debug(f"state {state}")
            other = make_logger()
            other.debug(f"state {state}")
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import logging

            log = logging.getLogger(__name__)

            def run(x, obj):
                log.debug(f'x={x} y={obj.y} 100%')
            """,
            line=6,
            fixed="""
            import logging

            log = logging.getLogger(__name__)

            def run(x, obj):
                log.debug('x=%s y=%s 100%%', x, obj.y)
            """,
            confidence="low",
        ),
        Invalid(
            """
            from loguru import logger

            logger.info(f'user {user.name} logged in {{ok}}')
            """,
            line=3,
            fixed="""
            from loguru import logger

            logger.info('user {} logged in {{ok}}', user.name)
            """,
            confidence="low",
        ),
        Invalid(
            """
            import logging as lg

            lg.warning('took {:.2f}s'.format(t))
            """,
            line=3,
            options={"levels": ["warning"], "enabled-levels": ["error"]},
        ),
        Invalid(
            """
            from logging import getLogger

            class Worker:
                def __init__(self):
                    self.log = getLogger('w')

                def step(self, n):
                    self.log.info('step %d' % n)
            """,
            line=8,
            confidence="low",
        ),
        Invalid(
            """
            import logging

            logging.error('failed: ' + str(err))
            """,
            line=3,
            options={"levels": ["debug", "error"]},
            confidence="low",
        ),
        Invalid(
            """
            import logging

            logging.log(logging.DEBUG, f'{x}')
            """,
            line=3,
            fixed="""
            import logging

            logging.log(logging.DEBUG, '%s', x)
            """,
            confidence="low",
        ),
        Invalid(
            """
            import logging

            logging.debug('payload %s', repr(payload))
            """,
            line=3,
            confidence="low",
        ),
        Invalid(
            """
            import logging

            logging.info(f'took {t:.2f}s', **ctx)
            """,
            line=3,
            confidence="low",
        ),
        Invalid(
            """
            import logging

            def f(x):
                log = logging.getLogger()
                log.log(logging.DEBUG, f'{x}',
                        exc_info=True)
            """,
            line=5,
            fixed="""
            import logging

            def f(x):
                log = logging.getLogger()
                log.log(logging.DEBUG, '%s', x,
                        exc_info=True)
            """,
            confidence="low",
        ),
        Invalid(
            """
            import logging

            logging.getLogger(__name__).info(f'{a}')
            """,
            line=3,
            fixed="""
            import logging

            logging.getLogger(__name__).info('%s', a)
            """,
            confidence="low",
        ),
        Invalid(
            """
            import logging

            log = logging.getLogger(__name__)

            class Cache:
                def evict(self, key):
                    log.debug(f"evicting {key}: {self.describe(key)}")
                    logging.debug("rows: %s", repr(self.rows.all()))
            """,
            line=7,
            count=2,
        ),
        Invalid(
            """
            import logging

            log = logging.getLogger(__name__)
            log.info(f"user {user.name} logged in")
            log.debug(f"session {session.key}")
            """,
            line=4,
            count=2,
            fixed="""
            import logging

            log = logging.getLogger(__name__)
            log.info("user %s logged in", user.name)
            log.debug("session %s", session.key)
            """,
            options={"enabled-levels": ["warning", "error", "critical"]},
        ),
        Invalid(
            """
            import logging

            def get_logger(name: str) -> "logging.Logger":
                return logging.getLogger(f"app.{name}")

            log = get_logger(__name__)
            log.debug(f"rows: {query.count()}")
            """,
            line=7,
        ),
        Invalid(
            """
            from app.core.root_logger import get_logger

            class Importer:
                def __init__(self):
                    self.logger = get_logger()

                def run(self, rows):
                    self.logger.debug(f"importing {[row.describe() for row in rows]}")
            """,
            line=8,
        ),
        Invalid(
            """
            from loguru import logger

            logger.debug(f"tree: {render(tree)}")
            """,
            line=3,
        ),
    ]

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self._checked = _level_names(self.options["levels"])
        enabled = _level_names(self.options["enabled-levels"])
        unknown = enabled - set(_RANKS)
        if unknown:
            raise ValueError(
                f"enabled-levels: unknown level {', '.join(sorted(unknown))}; "
                f"known: {', '.join(_RANKS)}"
            )
        # Logging levels are thresholds: the lowest level enabled enables those above it.
        self._floor = min((_RANKS[level] for level in enabled), default=None)

    def visit_Module(self, node: cst.Module) -> None:
        self._functions: dict[str, cst.FunctionDef] | None = None

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _LEVELS:
            return
        method = func.attr.value
        level = self._level(node, method)
        if level not in self._checked or self._disabled(level) is False:
            return  # not checked, or emitted in production: formatted either way
        index = 1 if method == "log" else 0
        if any(arg.star == "*" for arg in node.args):
            return  # the message position is unknown
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        message = positional[index] if len(positional) > index else _keyword(node, "msg")
        how = _eager_message(message.value) if message else None
        if message is not None and how is not None:
            built: cst.BaseExpression = message.value
        else:
            found = self._eager_argument(positional[index + 1 :])
            if found is None:
                return
            how, built = found
        # Last: finding what the receiver is reads its assignments, and most log calls
        # already pass lazy arguments.
        flavour = self._logger_flavour(node, func)
        if flavour is None:
            return
        replacement = None
        if (
            positional
            and message is positional[-1]
            and isinstance(message.value, cst.FormattedString)
        ):
            replacement = _lazy_call(node, message, flavour)
        text, confidence = self._verdict(node, func, flavour, level, how, built)
        self.report(node, text, replacement=replacement, confidence=confidence)

    def _disabled(self, level: str) -> bool | None:
        """Whether ``level`` is off in production per `enabled-levels`; ``None`` when the
        option is not set (or the level is not one of logging's five)."""
        if self._floor is None or level not in _RANKS:
            return None
        return _RANKS[level] < self._floor

    def _verdict(
        self,
        call: cst.Call,
        func: cst.Attribute,
        flavour: Flavour,
        level: str,
        how: str,
        built: cst.BaseExpression,
    ) -> tuple[str, Confidence]:
        """The message and the confidence of a finding. High when the level is known to be
        off (`enabled-levels`), or for `debug` when the message calls something (work that
        the level check would skip); low otherwise, saying what the saving depends on."""
        method = func.attr.value
        work = self._real_work(built, top=built)
        disabled = self._disabled(level)
        if work is not None:
            head = f"{how} in `{method}()` calls {work} even when `{level}` is disabled"
            advice = f"{_guard(self, func, flavour, level)} (lazy arguments would still call it)"
        else:
            head = f"{how} in `{method}()` is built even when `{level}` is disabled"
            advice = "pass lazy arguments"
        if disabled:
            return f"{head}, as it is in production (`enabled-levels`); {advice}", "high"
        if level != "debug":
            return (
                f"{head}; that saves work only if `{level}` is off in production, which "
                f"depends on the configured level (set `enabled-levels`); if it is, {advice}",
                "low",
            )
        if work is not None:
            return f"{head}; {advice}", "high"
        return (
            f"{head}, but it only formats values: a small saving unless the call runs very "
            f"often; {advice}",
            "low",
        )

    def _cheap(self, call: cst.Call) -> bool:
        """A builtin such as ``len`` / ``str``, a clock (``time.time()``) or a string or
        dict method such as ``.join`` / ``.lower`` / ``.items``: about the cost of
        formatting the value."""
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in _CHEAP_METHODS:
            return True
        name = self.qualified_name(call)
        return name in _CHEAP_CALLS or name in _CLOCKS

    def _real_work(self, node: cst.CSTNode, top: cst.CSTNode) -> str | None:
        """The first call in the message that the level check would skip, other than the
        formatting itself (``.format``) and cheap calls (``_cheap``): ``"`self.summary()`"``,
        or ``None``. A comprehension over values in memory is not work of its own here;
        a call inside it is."""
        if isinstance(node, cst.Lambda):
            return None  # not called here
        if isinstance(node, cst.Call) and node is not top and not self._cheap(node):
            text = " ".join(self.module.code_for_node(node.func).split())
            return f"`{text if len(text) <= 40 else text[:37] + '…'}()`"
        for child in children(node):
            if isinstance(node, cst.Call) and child is node.func and node is top:
                continue  # `"…".format(...)`: the formatting itself
            found = self._real_work(child, top)
            if found is not None:
                return found
        return None

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
        if isinstance(value, cst.Call) and (
            self.qualified_name(value) == _GET_LOGGER or self._is_logger_helper(value)
        ):
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

    def _is_logger_helper(self, call: cst.Call) -> bool:
        """A project's wrapper of ``logging.getLogger``: a function of this module
        annotated ``-> logging.Logger`` (or ``LoggerAdapter``), or an imported (or
        relatively imported) function named like ``get_logger`` / ``getLogger``; not
        structlog's or loguru's, whose loggers take no ``%`` arguments."""
        name = self.qualified_name(call)
        if name is None or name.startswith(_OTHER_LOGGING):
            return False
        functions = self._module_functions()
        if isinstance(call.func, cst.Name) and call.func.value in functions:
            returns = functions[call.func.value].returns
            return returns is not None and self._is_logger_class(returns.annotation)
        last = name.rsplit(".", 1)[-1].lower()
        return any(word in last for word in _HELPER_WORDS)

    def _module_functions(self) -> dict[str, cst.FunctionDef]:
        """The module's top-level functions by name (read once per file, on demand)."""
        if self._functions is None:
            self._functions = {
                statement.name.value: statement
                for statement in self.module.body
                if isinstance(statement, cst.FunctionDef)
            }
        return self._functions

    def _is_logger_class(self, annotation: cst.BaseExpression) -> bool:
        if isinstance(annotation, cst.SimpleString):  # "logging.Logger"
            try:
                annotation = cst.parse_expression(str(annotation.evaluated_value))
            except (cst.ParserSyntaxError, TypeError):
                return False
        return self.qualified_name(annotation) in _LOGGER_CLASSES

    def _flavour_of_values(self, values: list[cst.BaseExpression]) -> Flavour | None:
        flavours = {self._flavour_of(value) for value in values}
        return flavours.pop() if len(flavours) == 1 else None

    def _values_of(self, call: cst.Call, name: str) -> list[cst.BaseExpression]:
        """What ``name`` is assigned in the enclosing scope, else in the module; a bare
        name that nothing assigns may be loguru's imported ``logger`` itself."""
        scope = self.enclosing_scope(call)
        if scope is not self.module:
            values = assignments(self, scope, name)
            if values or name in bound_names(self, scope):
                return values
        return assignments(self, self.module, name) or [cst.Name(name)]

    def _attribute_values(self, call: cst.Call, attr: str) -> list[cst.BaseExpression]:
        """Values of ``self.<attr> = …`` in the enclosing class, or of a class attribute."""
        cls = self.enclosing_class(call)
        if cls is None:
            return []
        return simple_assignments(cls, attr) + attribute_assignments(cls, attr, ("self", "cls"))

    def _eager_argument(self, args: list[cst.Arg]) -> tuple[str, cst.BaseExpression] | None:
        """``str()`` / ``repr()`` wrapped around a lazy argument: what it says, and the
        converted value (where a call would be work to skip)."""
        for arg in args:
            value = arg.value
            name = self.qualified_name(value) if isinstance(value, cst.Call) else None
            if name in _CONVERSIONS and isinstance(value, cst.Call):
                return f"`{name.removeprefix('builtins.')}()` around an argument", value
        return None


def _level_names(configured: str | Iterable[object] | None) -> frozenset[str]:
    """An option's level names, lower-cased, method aliases resolved (``warn``)."""
    levels = [configured] if isinstance(configured, str) else list(configured or [])
    return frozenset(_METHOD_LEVELS.get(str(v).lower(), str(v).lower()) for v in levels)


def _guard(rule: Rule, func: cst.Attribute, flavour: Flavour, level: str) -> str:
    """The advice that skips the call's work too: a level check around it."""
    if flavour == "loguru":
        return "use `logger.opt(lazy=True)` and pass that call as a `lambda`"
    receiver = rule.module.code_for_node(func.value)
    if rule.qualified_name(func) == f"logging.{func.attr.value}":  # `logging.debug(...)`
        receiver = f"{receiver}.getLogger()"
    return f"guard it: `if {receiver}.isEnabledFor(logging.{level.upper()}):`"


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
        if (
            not isinstance(part, cst.FormattedStringExpression)
            or part.format_spec
            or part.conversion
            or part.equal
            or not dotted_name(part.expression)
        ):
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
