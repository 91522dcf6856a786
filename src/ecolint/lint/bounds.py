"""Whether a collection is bounded (small and fixed by the code) or plausibly large.

An O(n) or O(n²) pattern costs nothing worth changing when n is small and fixed: a loop
over three constants or ``range(4)``, the fields of one model, the members of an enum, a
dict the code has just checked holds one item. On real applications most false alarms of
the size-sensitive rules were of that kind (issue 16), so those rules ask here before
reporting: *bounded* means "stay silent", *large* (a database, file or API result) means
"worth acting on", and *unknown* means "grade the finding ``low`` and say it depends on
the size".

Everything is local and cheap: the expression itself, the plain assignments of the
enclosing function and of the module (or class) level, and the ``if`` / ``assert``
statements on the path to the node. No scope metadata, no whole-module analysis; the
helpers run only when a rule is about to report, so files without a candidate pay nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from ecolint.lint.analysis import (
    COMPREHENSIONS,
    attribute_assignments,
    enclosing_loops,
    names_bound,
    simple_assignments,
)
from ecolint.lint.imports import dotted_name
from ecolint.lint.tree import children, descendants

if TYPE_CHECKING:
    from ecolint.lint.rule import Rule
    from ecolint.results import Confidence

# The largest literal count (a `range` span, a `len(x) < k` guard, a slice) that still
# counts as small: a few dozen items cost microseconds whatever the algorithm.
SMALL = 64
_MAX_DEPTH = 4  # name → value → name … lookups followed before giving up

_DISPLAYS = (cst.Tuple, cst.List, cst.Set)
_STRINGS = (cst.SimpleString, cst.ConcatenatedString)
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
# Calls whose result has the size of their (first) iterable argument.
_SAME_SIZE = frozenset(
    f"builtins.{name}"
    for name in ("list", "tuple", "set", "frozenset", "sorted", "reversed", "enumerate", "iter")
)
_VIEWS = frozenset({"items", "keys", "values", "copy"})
_STR_SPLITS = frozenset({"split", "rsplit", "splitlines", "partition", "rpartition"})
# What one class or object declares: its size is fixed when the code is written.
_DECLARED_CALLS = frozenset(
    {
        "builtins.vars",
        "builtins.dir",
        "dataclasses.fields",
        "attr.fields",
        "attrs.fields",
        "typing.get_type_hints",
        "inspect.getmembers",
        "inspect.getmro",
    }
)
_DECLARED_ATTRIBUTES = frozenset(
    {
        "__slots__",
        "__mro__",
        "__bases__",
        "__annotations__",
        "__dataclass_fields__",
        "__members__",
        "__match_args__",
        "__dict__",
        "_fields",
        "_field_defaults",
        "model_fields",
        "__fields__",
    }
)
_DECLARED_METHODS = frozenset({"mro", "__subclasses__", "get_fields"})
_ENUM_BASES = ("Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "Choices")
_GROWERS = frozenset(
    {"append", "extend", "insert", "add", "update", "setdefault", "appendleft", "extendleft"}
)
# Results of database, file and API calls: the data an application is made of.
_DATA_CALLS = frozenset(
    {
        "builtins.open",
        "os.listdir",
        "os.scandir",
        "os.walk",
        "glob.glob",
        "glob.iglob",
        "json.load",
        "json.loads",
        "csv.reader",
        "csv.DictReader",
        "pickle.load",
    }
)
_DATA_METHODS = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "order_by",
        "values_list",
        "annotate",
        "select_related",
        "prefetch_related",
        "only",
        "defer",
        "distinct",
        "iterator",
        "get_queryset",
        "fetchall",
        "fetchmany",
        "execute",
        "scalars",
        "cursor",
        "readlines",
        "json",
        "iterdir",
        "glob",
        "rglob",
        "find_all",
        "findall",
        "paginate",
    }
)


def is_bounded(rule: Rule, expression: cst.BaseExpression, at: cst.CSTNode) -> bool:
    """Whether ``expression`` is a collection whose size the code fixes, and small:

    - a display (tuple, list, set, dict) written out in the code, a string literal, a
      literal ``range`` of at most ``SMALL`` steps, a slice ``x[:k]`` with a small ``k``;
    - a name bound in its scope (or at module or class level) only to such values, and not
      grown (``append``, ``+=``, an item set) in its function;
    - an enum class of the module, or what one class declares: ``Model._meta.fields``,
      ``cls.__slots__``, ``dataclasses.fields(...)``, ``vars(obj)``, ``type(self).__mro__``;
    - ``list``/``sorted``/``enumerate``/``.items()``/a comprehension… of a bounded one;
    - a name or attribute the code has checked to be small on the way to ``at``:
      under ``if len(x) == 1:`` / ``< k`` / ``<= k``, or after ``if len(x) > k: return``.
    """
    scope = _scope(rule, at)
    if _bounded(rule, expression, scope, 0):
        return True
    subject = _guard_subject(rule, expression)
    return subject is not None and guarded_small(rule, subject, at)


def loop_is_bounded(rule: Rule, loop: cst.CSTNode) -> bool:
    """Whether ``loop`` (a ``for``, a comprehension or one of its ``for`` clauses) runs a
    bounded number of times; a ``while`` loop never counts as bounded."""
    if isinstance(loop, (cst.For, cst.CompFor)):
        return is_bounded(rule, loop.iter, loop)
    if isinstance(loop, COMPREHENSIONS):
        return all(is_bounded(rule, clause.iter, loop) for clause in _clauses(loop.for_in))
    return False


def repeats_boundedly(rule: Rule, node: cst.CSTNode) -> bool:
    """Whether every loop that repeats ``node`` in its function is bounded, so that
    ``node`` runs a small, fixed number of times (``True`` outside any loop)."""
    return all(loop_is_bounded(rule, loop) for loop in enclosing_loops(node, rule.ancestors(node)))


def is_plausibly_large(rule: Rule, expression: cst.BaseExpression, at: cst.CSTNode) -> bool:
    """Whether ``expression`` holds the result of a database, file or API call (a
    queryset, ``cursor.fetchall()``, ``os.listdir``, ``response.json()``), directly, through
    a comprehension or a wrapper over one, or through a name bound to one in its function."""
    return _large(rule, expression, _scope(rule, at), 0)


def is_parameter_data(rule: Rule, expression: cst.BaseExpression, at: cst.CSTNode) -> bool:
    """Whether ``expression`` is a parameter of the enclosing function (other than
    ``self``/``cls``) or reached from one (``order.items``, ``request.data.keys()``): data
    handed in by a caller, which a loop over it processes in whatever amount it comes."""
    scope = _scope(rule, at)
    if not isinstance(scope, cst.FunctionDef):
        return False
    root: cst.BaseExpression = expression
    while True:
        if isinstance(root, (cst.Attribute, cst.Subscript)):
            root = root.value
        elif isinstance(root, cst.Call) and isinstance(root.func, cst.Attribute):
            root = root.func.value
        else:
            break
    if not isinstance(root, cst.Name) or root.value in ("self", "cls"):
        return False
    return root.value in _parameters(scope)


def data_dependent_loop(rule: Rule, loop: cst.CSTNode) -> bool:
    """Whether ``loop`` iterates data of plausibly any size: a database, file or API
    result, or a parameter of its function."""
    if isinstance(loop, COMPREHENSIONS):
        loop = loop.for_in
    if not isinstance(loop, (cst.For, cst.CompFor)):
        return False
    return is_plausibly_large(rule, loop.iter, loop) or is_parameter_data(rule, loop.iter, loop)


def finding_confidence(
    rule: Rule, expression: cst.BaseExpression, at: cst.CSTNode
) -> Confidence | None:
    """How sure a rule can be that an O(n) waste on ``expression`` (a copy, a sort, a
    tuple per item) at ``at`` is worth changing: ``None`` when ``expression`` is bounded
    (do not report), ``high`` when it is plausibly large or ``at`` is repeated by a loop
    that is not bounded, ``low`` when its size cannot be known (say so: ``if_large``)."""
    if is_bounded(rule, expression, at):
        return None
    if is_plausibly_large(rule, expression, at) or not repeats_boundedly(rule, at):
        return "high"
    return "low"


def if_large(rule: Rule, expression: cst.BaseExpression) -> str:
    """The clause a ``low`` finding's message ends with: the saving needs a large input."""
    text = " ".join(rule.module.code_for_node(expression).split())
    if len(text) > 40:
        text = text[:37] + "…"
    return f" (worth it only if `{text}` is large)"


# -- bounded ---------------------------------------------------------------------------


def _bounded(rule: Rule, expression: cst.BaseExpression, scope: cst.CSTNode, depth: int) -> bool:
    if depth > _MAX_DEPTH:
        return False
    if isinstance(expression, _STRINGS):
        return True
    if isinstance(expression, _DISPLAYS):
        return all(
            not isinstance(element, cst.StarredElement)
            or _bounded(rule, element.value, scope, depth + 1)
            for element in expression.elements
        )
    if isinstance(expression, cst.Dict):
        return all(
            not isinstance(element, cst.StarredDictElement)
            or _bounded(rule, element.value, scope, depth + 1)
            for element in expression.elements
        )
    if isinstance(expression, COMPREHENSIONS):
        return all(
            _bounded(rule, clause.iter, scope, depth + 1) for clause in _clauses(expression.for_in)
        )
    if isinstance(expression, cst.BinaryOperation):
        return isinstance(expression.operator, (cst.Add, cst.BitOr)) and all(
            _bounded(rule, side, scope, depth + 1) for side in (expression.left, expression.right)
        )
    if isinstance(expression, cst.Subscript):
        return _small_slice(expression) or (
            _is_slice(expression) and _bounded(rule, expression.value, scope, depth + 1)
        )
    if isinstance(expression, cst.Call):
        return _bounded_call(rule, expression, scope, depth)
    if isinstance(expression, cst.Attribute):
        return _bounded_attribute(rule, expression, scope, depth)
    if isinstance(expression, cst.Name):
        return _enum_class(rule, expression.value) or _bounded_name(
            rule, expression.value, scope, depth
        )
    return False


def _bounded_call(rule: Rule, call: cst.Call, scope: cst.CSTNode, depth: int) -> bool:
    name = rule.qualified_name(call)
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    if name == "builtins.range":
        return _small_range(positional) or (
            len(positional) == 1
            and isinstance(positional[0], cst.Call)
            and rule.qualified_name(positional[0]) == "builtins.len"
            and len(positional[0].args) == 1
            and _bounded(rule, positional[0].args[0].value, scope, depth + 1)
        )
    if name in _SAME_SIZE or name == "builtins.dict":
        return bool(positional) and _bounded(rule, positional[0], scope, depth + 1)
    if name == "builtins.zip":  # as long as its shortest argument
        return any(_bounded(rule, value, scope, depth + 1) for value in positional)
    if name in ("builtins.map", "builtins.filter"):
        return any(_bounded(rule, value, scope, depth + 1) for value in positional[1:])
    if name in _DECLARED_CALLS:
        return True
    if name == "itertools.islice":
        return len(positional) == 2 and _small_integer(positional[1])
    func = call.func
    if not isinstance(func, cst.Attribute):
        return False
    method = func.attr.value
    if method in _DECLARED_METHODS:
        return True
    if (method in _VIEWS and not call.args) or method in _STR_SPLITS or method == "fromkeys":
        target = positional[0] if method == "fromkeys" and positional else func.value
        return _bounded(rule, target, scope, depth + 1)
    return False


def _bounded_attribute(
    rule: Rule, attribute: cst.Attribute, scope: cst.CSTNode, depth: int
) -> bool:
    name = attribute.attr.value
    owner = attribute.value
    if name in _DECLARED_ATTRIBUTES:
        return True
    if isinstance(owner, cst.Attribute) and owner.attr.value == "_meta":
        return True  # Django's Options: fields, concrete_fields, many_to_many, …
    if (
        name == "parameters"
        and isinstance(owner, cst.Call)
        and rule.qualified_name(owner) == "inspect.signature"
    ):
        return True
    # A class constant: `self.FIELDS`, `cls.FIELDS`, `Form.FIELDS`.
    owner_name = dotted_name(owner)
    if owner_name in ("self", "cls"):
        cls = _class_of(rule, scope)
    elif isinstance(owner, cst.Name):
        cls = _module_class(rule, owner.value)
    else:
        return False
    if cls is None or attribute_assignments(cls, name, owners=("self", "cls")):
        return False
    values = simple_assignments(cls, name)
    return bool(values) and all(_bounded(rule, value, cls, depth + 1) for value in values)


def _bounded_name(rule: Rule, name: str, scope: cst.CSTNode, depth: int) -> bool:
    """``name`` bound, in the scope that ``scope``'s code reads it from, only to bounded
    values and never grown."""
    if isinstance(scope, cst.FunctionDef) and name in _parameters(scope):
        return False
    values = simple_assignments(scope, name) if not isinstance(scope, cst.Lambda) else []
    # `x = x[i:]` / `x = x[::-1]` never makes `x` larger than it was.
    values = [v for v in values if not (isinstance(v, cst.Subscript) and _is_name(v.value, name))]
    if not values:
        if scope is rule.module or name in names_bound(scope):
            return False
        return _bounded_name(rule, name, rule.module, depth + 1)
    if _grown_or_rebound(scope, name):
        return False
    if isinstance(scope, (cst.Module, cst.ClassDef)) and any(_empty(v) for v in values):
        return False  # an empty module-level registry is filled from elsewhere
    return all(_bounded(rule, value, scope, depth + 1) for value in values)


def _grown_or_rebound(scope: cst.CSTNode, name: str) -> bool:
    """Whether ``name`` may grow in ``scope`` (``append``, ``+=``, an item set) or be
    bound there otherwise than by a plain assignment (a ``for`` target, unpacking,
    ``with … as``, a walrus). Module and class bodies are not searched below their own
    statements: functions that grow a module-level constant are rare, and searching
    them all would cost a walk of the module."""
    nodes = descendants(scope) if isinstance(scope, cst.FunctionDef) else _own_nodes(scope)
    for node in nodes:
        if isinstance(node, cst.AugAssign):
            if _is_name(node.target, name):
                return True
        elif isinstance(node, cst.Call):
            func = node.func
            if (
                isinstance(func, cst.Attribute)
                and func.attr.value in _GROWERS
                and _is_name(func.value, name)
            ):
                return True
        elif isinstance(node, cst.AssignTarget):
            target = node.target
            if isinstance(target, cst.Subscript) and _is_name(target.value, name):
                return True
            if isinstance(target, (cst.Tuple, cst.List)) and name in _target_names(target):
                return True
        elif isinstance(node, (cst.For, cst.CompFor)):
            if name in _target_names(node.target):
                return True
        elif isinstance(node, cst.NamedExpr):
            if _is_name(node.target, name):
                return True
        elif isinstance(node, cst.AsName) and _is_name(node.name, name):
            return True
    return False


def _own_nodes(scope: cst.CSTNode) -> list[cst.CSTNode]:
    """The nodes of a module or class body, nested functions and classes excluded."""
    found: list[cst.CSTNode] = []
    pending = list(children(scope))
    while pending:
        node = pending.pop()
        found.append(node)
        if not isinstance(node, _SCOPES):
            pending.extend(children(node))
    return found


def _enum_class(rule: Rule, name: str) -> bool:
    """Whether ``name`` is a class of the module deriving from an enum (or Django
    choices) base: iterating it yields its members, as many as the code declares."""
    cls = _module_class(rule, name)
    if cls is None:
        return False
    for base in cls.bases:
        if base.keyword is not None:
            continue
        full = rule.qualified_name(base.value) or ""
        last = full.rpartition(".")[2]
        if last.endswith(_ENUM_BASES) or (last != name and _enum_class(rule, last)):
            return True
    return False


def _module_class(rule: Rule, name: str) -> cst.ClassDef | None:
    """The class ``name`` defined at the top level of the module (not nested)."""
    for statement in rule.module.body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == name:
            return statement
    return None


def _class_of(rule: Rule, scope: cst.CSTNode) -> cst.ClassDef | None:
    """The class whose method (or body) ``scope`` is."""
    if isinstance(scope, cst.ClassDef):
        return scope
    for ancestor in rule.ancestors(scope):
        if isinstance(ancestor, cst.ClassDef):
            return ancestor
        if isinstance(ancestor, (cst.FunctionDef, cst.Lambda)):
            return None
    return None


# -- guards ----------------------------------------------------------------------------


def guarded_small(rule: Rule, expression: cst.BaseExpression, at: cst.CSTNode) -> bool:
    """Whether the code on the way to ``at`` has checked ``expression`` to hold few items:
    ``at`` is under ``if len(x) == 1:`` / ``< k`` / ``<= k`` (``and`` allowed), or in the
    ``else`` of ``if len(x) > k:``, or follows ``if len(x) > k: return`` (or ``raise``,
    ``continue``, ``break``) or ``assert len(x) <= k`` in an enclosing block of its
    function, with a literal ``k`` of at most ``SMALL``."""
    name = dotted_name(expression)
    if name is None:
        return False
    child: cst.CSTNode = at
    for ancestor in rule.ancestors(at):
        if isinstance(ancestor, (cst.If, cst.While)) and child is ancestor.body:
            if _caps(ancestor.test, name):
                return True
        elif isinstance(ancestor, cst.If) and child is ancestor.orelse:
            if _exceeds(ancestor.test, name):
                return True
        elif isinstance(ancestor, (cst.IndentedBlock, cst.Module)):
            if _checked_before(ancestor.body, child, name):
                return True
        elif isinstance(ancestor, _SCOPES):
            return False
        child = ancestor
    return False


def _guard_subject(rule: Rule, expression: cst.BaseExpression) -> cst.BaseExpression | None:
    """The name or attribute whose length decides the size of ``expression``: ``d`` for
    ``d``, ``d.keys()``, ``list(d.items())``, ``sorted(d)``; ``None`` for anything else."""
    while isinstance(expression, cst.Call):
        func = expression.func
        if isinstance(func, cst.Attribute) and func.attr.value in _VIEWS and not expression.args:
            expression = func.value
        elif rule.qualified_name(expression) in _SAME_SIZE and expression.args:
            expression = expression.args[0].value
        else:
            return None
    return expression if isinstance(expression, (cst.Name, cst.Attribute)) else None


def _checked_before(statements: Sequence[cst.CSTNode], child: cst.CSTNode, name: str) -> bool:
    """Whether a statement ahead of ``child`` checks ``name`` to be small (a guard that
    leaves, or an ``assert``), and no statement between them binds the name again."""
    checked = False
    for statement in statements:
        if statement is child:
            return checked
        if (
            isinstance(statement, cst.If)
            and statement.orelse is None
            and _exceeds(statement.test, name)
            and _leaves(statement.body)
        ) or (
            isinstance(statement, cst.SimpleStatementLine)
            and any(
                isinstance(small, cst.Assert) and _caps(small.test, name)
                for small in statement.body
            )
        ):
            checked = True
        elif checked and "." not in name and name in names_bound(statement):
            checked = False
    return False


def _leaves(body: cst.BaseSuite) -> bool:
    """Whether a block ends by leaving (``return``, ``raise``, ``continue``, ``break``)."""
    statements = body.body
    last = statements[-1] if statements else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    return isinstance(last, (cst.Return, cst.Raise, cst.Continue, cst.Break))


def _caps(test: cst.BaseExpression, name: str) -> bool:
    """``len(name) == k`` / ``< k`` / ``<= k`` / ``in (…)`` (or one operand of ``and``)."""
    if isinstance(test, cst.BooleanOperation):
        if isinstance(test.operator, cst.And):
            return _caps(test.left, name) or _caps(test.right, name)
        return _caps(test.left, name) and _caps(test.right, name)
    found = _len_comparison(test, name)
    if found is None:
        return False
    operator, bound = found
    if isinstance(operator, cst.In):
        return isinstance(bound, (cst.Tuple, cst.List, cst.Set)) and all(
            isinstance(e, cst.Element) and _small_integer(e.value) for e in bound.elements
        )
    return isinstance(operator, (cst.Equal, cst.LessThan, cst.LessThanEqual)) and (
        _small_integer(bound)
    )


def _exceeds(test: cst.BaseExpression, name: str) -> bool:
    """``len(name) > k`` / ``>= k`` / ``!= k`` (or one operand of ``or``): false only when
    ``name`` is small."""
    if isinstance(test, cst.BooleanOperation):
        if isinstance(test.operator, cst.Or):
            return _exceeds(test.left, name) or _exceeds(test.right, name)
        return _exceeds(test.left, name) and _exceeds(test.right, name)
    found = _len_comparison(test, name)
    if found is None:
        return False
    operator, bound = found
    return isinstance(operator, (cst.GreaterThan, cst.GreaterThanEqual, cst.NotEqual)) and (
        _small_integer(bound)
    )


_MIRRORED = {
    cst.LessThan: cst.GreaterThan,
    cst.LessThanEqual: cst.GreaterThanEqual,
    cst.GreaterThan: cst.LessThan,
    cst.GreaterThanEqual: cst.LessThanEqual,
    cst.Equal: cst.Equal,
    cst.NotEqual: cst.NotEqual,
}


def _len_comparison(
    test: cst.BaseExpression, name: str
) -> tuple[cst.BaseCompOp, cst.BaseExpression] | None:
    """``(operator, other side)`` for ``len(name) <op> other``, with ``other <op>
    len(name)`` mirrored into that form; ``None`` for anything else."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    operator, right = test.comparisons[0].operator, test.comparisons[0].comparator
    if _is_len_of(test.left, name):
        return operator, right
    mirrored = _MIRRORED.get(type(operator))
    if mirrored is not None and _is_len_of(right, name):
        return mirrored(), test.left
    return None


def _is_len_of(expression: cst.BaseExpression, name: str) -> bool:
    return (
        isinstance(expression, cst.Call)
        and isinstance(expression.func, cst.Name)
        and expression.func.value == "len"
        and len(expression.args) == 1
        and dotted_name(expression.args[0].value) == name
    )


# -- large ------------------------------------------------------------------------------


def _large(rule: Rule, expression: cst.BaseExpression, scope: cst.CSTNode, depth: int) -> bool:
    if depth > _MAX_DEPTH:
        return False
    if isinstance(expression, COMPREHENSIONS):
        return _large(rule, expression.for_in.iter, scope, depth + 1)
    if isinstance(expression, cst.Subscript):
        return _large(rule, expression.value, scope, depth + 1)
    if isinstance(expression, cst.Name):
        if isinstance(scope, cst.Lambda):
            return False
        values = simple_assignments(scope, expression.value)
        return any(_large(rule, value, scope, depth + 1) for value in values)
    if not isinstance(expression, cst.Call):
        return False
    name = rule.qualified_name(expression) or ""
    if name in _DATA_CALLS or name.startswith("pandas.read_"):
        return True
    positional = [arg.value for arg in expression.args if arg.keyword is None and not arg.star]
    if name in _SAME_SIZE or name in ("builtins.zip", "builtins.map", "builtins.filter"):
        return any(_large(rule, value, scope, depth + 1) for value in positional)
    func = expression.func
    if not isinstance(func, cst.Attribute):
        return False
    method = func.attr.value
    if method in _DATA_METHODS or (method == "values" and expression.args):
        return True
    return method in _VIEWS and _large(rule, func.value, scope, depth + 1)


# -- small syntax helpers ----------------------------------------------------------------


def _scope(rule: Rule, at: cst.CSTNode) -> cst.CSTNode:
    """The function, lambda or class whose names ``at`` reads, else the module."""
    for ancestor in rule.ancestors(at):
        if isinstance(ancestor, _SCOPES):
            return ancestor
    return rule.module


def _clauses(clause: cst.CompFor) -> list[cst.CompFor]:
    found = [clause]
    while clause.inner_for_in is not None:
        clause = clause.inner_for_in
        found.append(clause)
    return found


def _parameters(function: cst.FunctionDef) -> set[str]:
    return names_bound(function.params)


def _small_integer(expression: cst.BaseExpression) -> bool:
    return isinstance(expression, cst.Integer) and 0 <= int(expression.evaluated_value) <= SMALL


def _integer(expression: cst.BaseExpression) -> int | None:
    if isinstance(expression, cst.Integer):
        return int(expression.evaluated_value)
    if (
        isinstance(expression, cst.UnaryOperation)
        and isinstance(expression.operator, cst.Minus)
        and isinstance(expression.expression, cst.Integer)
    ):
        return -int(expression.expression.evaluated_value)
    return None


def _small_range(arguments: list[cst.BaseExpression]) -> bool:
    """``range(k)``, ``range(a, b)`` or ``range(a, b, s)`` of integer literals, at most
    ``SMALL`` steps."""
    numbers = [_integer(argument) for argument in arguments]
    if not 1 <= len(numbers) <= 3 or any(number is None for number in numbers):
        return False
    values = [number for number in numbers if number is not None]
    if len(values) == 1:
        values = [0, values[0]]
    if len(values) == 3 and values[2] == 0:
        return False
    return len(range(*values)) <= SMALL


def _is_slice(subscript: cst.Subscript) -> bool:
    return len(subscript.slice) == 1 and isinstance(subscript.slice[0].slice, cst.Slice)


def _small_slice(subscript: cst.Subscript) -> bool:
    """``x[:k]``, ``x[a:b]``, ``x[-k:]`` or ``x[-a:-b]`` with literal bounds: at most
    ``SMALL`` items whatever ``x`` holds."""
    if not _is_slice(subscript):
        return False
    part = subscript.slice[0].slice
    assert isinstance(part, cst.Slice)
    if part.step is not None:
        return False
    lower = 0 if part.lower is None else _integer(part.lower)
    if lower is None:
        return False
    if part.upper is None:
        return -SMALL <= lower < 0  # x[-k:]
    upper = _integer(part.upper)
    if upper is None or (lower < 0) != (upper < 0):
        return False
    return upper - lower <= SMALL


def _empty(value: cst.BaseExpression) -> bool:
    if isinstance(value, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
        return not value.elements
    return isinstance(value, cst.Call) and not value.args


def _is_name(node: cst.CSTNode, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _target_names(target: cst.BaseExpression) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(_target_names(element.value) for element in target.elements))
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return set()
