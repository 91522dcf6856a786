from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, descendants, names_bound
from ecolint.lint.analysis import COMPREHENSIONS, enclosing_loops, visible_assignments
from ecolint.lint.bounds import (
    data_dependent_loop,
    if_large,
    is_bounded,
    is_plausibly_large,
    loop_is_bounded,
)
from ecolint_rules._syntax import is_constant

_MUTATORS = frozenset({"append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse"})
_LIST_CALLS = frozenset({"builtins.list", "builtins.sorted"})
_SPLITS = frozenset({"split", "rsplit", "splitlines"})
_FEW_ITERATIONS = " (worth it only if the loop runs many times)"


class LinearMembershipInLoop(Rule):
    """## What it does
    Flags `in` / `not in` tests inside a loop whose right side is a list or tuple display
    with at least `min-elements` items, or a name bound before the loop (or in an outer
    loop) to a list and not changed inside the loop: a list display, a comprehension,
    `list(...)`, `sorted(...)`, a `split()`, or a concatenation of these.

    Nothing is reported when every loop repeating the test is bounded (`for f in FIELDS`
    over a tuple of constants, `range(3)`), nor for a list built only from constants. A
    display (or a name bound to one) saves a constant factor per test: the finding is
    graded low unless a loop goes over data of any size (a parameter, database rows). A
    list built from data is graded high when the loop or the list is a database, file or
    API result, and low otherwise (a list built from a parameter: the rule cannot tell
    its size, and on real applications such lists were small: a form, one order's lines).

    ## Why is this wasteful?
    A list or tuple is searched element by element: every test costs O(n) comparisons, and
    the loop repeats it. A set (or frozenset) answers in O(1) by hashing; CPython even
    stores a set display of constants used with `in` as a frozenset constant.

    ## Why opt-in
    Judged on 12 real applications (`bench/precision.md`): 0 of 15 sampled findings were worth a
    change over three measurements (0 of 3, 0 of 8, 0 of 4): the lists tested were short by
    nature (a request's few ids, a handful of choices), so a set saved nothing measurable.
    Enable it (`extend-select = ["ECO103"]`) for loops over large inputs.

    ## Example
    ```python
    for word in words:
        if word not in ["a", "an", "the", "of", "to"]:
            keep(word)
    ```

    Use instead:
    ```python
    for word in words:
        if word not in {"a", "an", "the", "of", "to"}:
            keep(word)
    ```

    ## Fix safety
    A display whose items are all hashable constants (numbers, strings, bytes, `True`,
    `False`, `None`, tuples of these) becomes a set display; this is safe for the hashable
    values such loops test. It is not offered for other displays, nor for names: hoist
    `s = set(x)` before the loop by hand (the items must be hashable).

    ## Options
    - `min-elements` (default 5): the smallest display (or list display bound to a name)
      worth reporting; below it a scan costs about as much as a hash.

    ## Evidence
    `bench/rules/eco103_linear_membership_in_loop.py` on a 2-core x86-64 VM (CPython 3.11,
    median of 7 paired runs): n words against an 8-string tuple display vs a set display,
    3.2x at n=100, 3.1x at n=10⁴, 2.7x at n=10⁶ (constant: the display has a fixed size);
    n queries against a list of n items bound before the loop vs a hoisted `set(x)`, 15x at
    n=100, 113x at n=10³, 963x at n=10⁴ (n=10⁶ not run: quadratic).

    Summary: 8-item tuple display vs set display 3.2x, 3.1x, 2.7x at n=100, 10⁴, 10⁶;
    a list of n items vs a hoisted set 15x, 113x, 963x at n=100, 10³, 10⁴.

    ## References
    - pylint PLR6201 (literal-membership); refurb FURB171
    """

    code = "ECO103"
    opt_in = True
    name = "linear-membership-in-loop"
    impact = "high"
    message = "`in` on a {what} scans it on every iteration; {alternative}"
    fix = "sometimes"
    fix_title = "Test membership against a set built once, before the loop"
    OPTIONS = {"min-elements": 5}
    VALID = [
        Valid("""
            if ext in (".png", ".jpg", ".gif", ".svg", ".webp"):
                skip()
            """),
        Valid("""
            for x in xs:
                if x in (1, 2, 3, 4):
                    print(x)
            """),
        Valid("""
            for x in xs:
                if x in {1, 2, 3, 4, 5}:
                    print(x)
            """),
        Valid("""
            seen = []
            for x in xs:
                if x not in seen:
                    seen.append(x)
            """),
        Valid("""
            for x in xs:
                def f(y):
                    return y in [1, 2, 3, 4, 5]
            """),
        Valid(
            """
            for x in xs:
                ok = x in [1, 2, 3, 4, 5]
            """,
            options={"min-elements": 8},
        ),
        Valid("""
            for group in groups:
                ids = list(group)
                found = key in ids
            """),
        Valid("""
            SMALL = [1, 2]
            for x in xs:
                print(x in SMALL)
            """),
        Valid(
            """
            FIELDS = ("name", "email", "phone")

            def changed(old_names):
                names = list(old_names)
                return [field for field in FIELDS if field in names]
            """
        ),
        Valid(
            """
            def retry(status):
                for attempt in range(3):
                    if status in [500, 502, 503, 504, 429]:
                        wait(attempt)
            """
        ),
        Valid(
            """
            def codes(rows):
                known = [c.upper() for c in ("a", "b", "c", "d", "e", "f")]
                return [r for r in rows if r.code in known]
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            def keep_words(words):
                for word in words:
                    if word not in ["a", "an", "the", "of", "to"]:
                        keep(word)
            """,
            line=3,
            fixed="""
            def keep_words(words):
                for word in words:
                    if word not in {"a", "an", "the", "of", "to"}:
                        keep(word)
            """,
        ),
        Invalid(
            """
            kept = [c for c in codes if c in (
                200, 201, 204,
                301, 302, -1,
            )]
            """,
            line=1,
            fixed="""
            kept = [c for c in codes if c in {
                200, 201, 204,
                301, 302, -1,
            }]
            """,
            confidence="low",
        ),
        Invalid(
            """
            while queue:
                node = queue.pop()
                if node in [a, b, c, d, e]:
                    break
            """,
            line=3,
            confidence="low",
        ),
        Invalid(
            """
            import json as js

            BANNED = list(js.load(open('banned.json')))

            def clean(users):
                return [u for u in users if u.name not in BANNED]
            """,
            line=6,
        ),
        Invalid(
            """
            for x in xs:
                ok = x in (True, None, ('a', 1))
            """,
            line=2,
            fixed="""
            for x in xs:
                ok = x in {True, None, ('a', 1)}
            """,
            options={"min-elements": 3},
            confidence="low",
        ),
        Invalid(
            """
            def missing(rows, wanted):
                ids = [row.id for row in rows]
                return [w for w in wanted if w not in ids]
            """,
            line=3,
            confidence="low",
        ),
        Invalid(
            """
            def shared(users, permissions):
                for user in users:
                    names = user.groups.split(",")
                    for permission in permissions:
                        if permission.group in names:
                            yield user, permission
            """,
            line=5,
            confidence="low",
        ),
        Invalid(
            """
            def allowed(requests, defaults, extra):
                hosts = list(defaults) + extra
                return [r for r in requests if r.host in hosts]
            """,
            line=3,
            confidence="low",
        ),
        Invalid(
            """
            def orphans(folder):
                names = [asset.name for asset in load_assets()]
                for path in folder.iterdir():
                    if path.name not in names:
                        path.unlink()
            """,
            line=4,
        ),
        Invalid(
            """
            def unknown_keys():
                known = [line.strip() for line in read_known()]
                for key in setting_names():
                    if key not in known:
                        warn(key)
            """,
            line=4,
            confidence="low",
        ),
    ]

    def visit_Comparison(self, node: cst.Comparison) -> None:
        targets = [t for t in node.comparisons if isinstance(t.operator, (cst.In, cst.NotIn))]
        if not targets or not self.in_loop(node):
            return
        for target in targets:
            right = target.comparator
            if isinstance(right, (cst.List, cst.Tuple)):
                self._check_display(node, target, right)
            elif isinstance(right, cst.Name):
                self._check_name(node, target, right)

    def _check_display(
        self, node: cst.Comparison, target: cst.ComparisonTarget, display: cst.List | cst.Tuple
    ) -> None:
        if len(display.elements) < self.options["min-elements"]:
            return
        loops = enclosing_loops(node, self.ancestors(node))
        if all(loop_is_bounded(self, loop) for loop in loops):
            return  # a few tests of a few items
        what = "list" if isinstance(display, cst.List) else "tuple"
        replacement = None
        alternative = "use a set or frozenset"
        if _fixable(display):
            replacement = target.with_changes(comparator=_as_set(display))
            alternative = "use a set display"
        message = self.message.format(what=what, alternative=alternative)
        self._report_constant(target, loops, replacement, message)

    def _report_constant(
        self,
        target: cst.ComparisonTarget,
        loops: list[cst.CSTNode],
        replacement: cst.ComparisonTarget | None,
        message: str,
    ) -> None:
        """A scan of a fixed list saves a constant factor per test: worth acting on when a
        loop goes over data of any size (a parameter, rows, a file), ``low`` otherwise."""
        if any(data_dependent_loop(self, loop) for loop in loops):
            self.report(target, message, replacement=replacement)
            return
        message += _FEW_ITERATIONS
        self.report(target, message, replacement=replacement, confidence="low")

    def _check_name(
        self, node: cst.Comparison, target: cst.ComparisonTarget, name: cst.Name
    ) -> None:
        loop = self.enclosing_loop(node)
        values = visible_assignments(self, self.enclosing_scope(node), name.value)
        if loop is None or not values or not all(self._is_list(v) for v in values):
            return
        inside = {id(n) for n in descendants(loop)}
        if any(id(v) in inside for v in values) or _changed_in(loop, name.value):
            return
        loops = self._loops_since_built(node, values)
        if all(loop_is_bounded(self, each) for each in loops):
            return  # a few tests, whatever the list holds
        message = self.message.format(
            what=f"list `{name.value}`",
            alternative=f"build `set({name.value})` once before the loop",
        )
        if not all(is_bounded(self, value, node) for value in values):
            # Data-dependent: O(n) per test, O(n·m) in all; high only when either side is
            # a database, file or API result. A parameter alone says nothing of its size:
            # on real applications such lists held a form's fields or one order's lines.
            if any(_loops_over_results(self, each) for each in loops) or any(
                is_plausibly_large(self, value, node) for value in values
            ):
                self.report(target, message)
            else:
                self.report(target, message + if_large(self, name), confidence="low")
        elif all(
            isinstance(v, cst.List) and len(v.elements) >= self.options["min-elements"]
            for v in values
        ):
            self._report_constant(target, loops, None, message)

    def _loops_since_built(
        self, node: cst.Comparison, values: list[cst.BaseExpression]
    ) -> list[cst.CSTNode]:
        """The loops that repeat ``node`` for one build of the list: those inside the
        loop (if any) where the list is bound."""
        loops = enclosing_loops(node, self.ancestors(node))
        for index, loop in enumerate(loops):
            inside = {id(n) for n in descendants(loop)}
            if any(id(v) in inside for v in values):
                return loops[:index]
        return loops

    def _is_list(self, value: cst.BaseExpression) -> bool:
        """A list display or comprehension, ``list(...)``, ``sorted(...)``, a ``split``,
        or a concatenation holding one of these."""
        if isinstance(value, (cst.List, cst.ListComp)):
            return True
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
            return self._is_list(value.left) or self._is_list(value.right)
        if not isinstance(value, cst.Call):
            return False
        if isinstance(value.func, cst.Attribute) and value.func.attr.value in _SPLITS:
            return True
        return self.qualified_name(value) in _LIST_CALLS


def _loops_over_results(rule: Rule, loop: cst.CSTNode) -> bool:
    """Whether ``loop`` goes over a database, file or API result (not merely a parameter)."""
    if isinstance(loop, COMPREHENSIONS):
        loop = loop.for_in
    return isinstance(loop, (cst.For, cst.CompFor)) and is_plausibly_large(rule, loop.iter, loop)


def _fixable(display: cst.List | cst.Tuple) -> bool:
    """A non-empty display of hashable constants, with its own brackets."""
    if not display.elements or (isinstance(display, cst.Tuple) and not display.lpar):
        return False
    return all(isinstance(e, cst.Element) and is_constant(e.value) for e in display.elements)


def _changed_in(loop: cst.CSTNode, name: str) -> bool:
    """Whether the loop rebinds ``name``, calls a list mutator on it or assigns an item."""
    if name in names_bound(loop):
        return True
    for node in descendants(loop):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            owner = node.func.value
            if (
                isinstance(owner, cst.Name)
                and owner.value == name
                and node.func.attr.value in _MUTATORS
            ):
                return True
        targets: list[cst.BaseExpression] = []
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.Del)):
            targets = [node.target]
        for target in targets:
            if (
                isinstance(target, cst.Subscript)
                and isinstance(target.value, cst.Name)
                and target.value.value == name
            ):
                return True
    return False


def _as_set(display: cst.List | cst.Tuple) -> cst.Set:
    """The same items between braces, keeping the layout inside the brackets."""
    opening: cst.LeftSquareBracket | cst.LeftParen
    closing: cst.RightSquareBracket | cst.RightParen
    if isinstance(display, cst.List):
        opening, closing = display.lbracket, display.rbracket
        lpar, rpar = display.lpar, display.rpar
    else:  # a tuple's own brackets are its innermost parentheses
        opening, closing = display.lpar[-1], display.rpar[0]
        lpar, rpar = display.lpar[:-1], display.rpar[1:]
    return cst.Set(
        display.elements,
        lbrace=cst.LeftCurlyBrace(whitespace_after=opening.whitespace_after),
        rbrace=cst.RightCurlyBrace(whitespace_before=closing.whitespace_before),
        lpar=lpar,
        rpar=rpar,
    )
