from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name, find_all

_CONCATENATORS = frozenset(
    {
        "pandas.concat",
        "numpy.concatenate",
        "numpy.vstack",
        "numpy.hstack",
        "numpy.dstack",
        "numpy.row_stack",
        "numpy.column_stack",
    }
)
_NUMPY_APPEND = "numpy.append"


class ArrayGrownInLoop(Rule):
    """## What it does
    Flags, inside a loop, a DataFrame or array that is rebuilt to grow by a few rows:
    - `df = pd.concat([df, …])`;
    - `df = df.append(…)` (removed in pandas 2; a list's `append` returns `None`, so this
      form only exists for frames);
    - `df.loc[len(df)] = …`;
    - `arr = np.append(arr, …)`;
    - `arr = np.concatenate([arr, …])`, and likewise `vstack`, `hstack`, `dstack`,
      `row_stack`, `column_stack`.

    An array that the loop rebuilds from something else in each iteration (then extends
    once) is not growing, and is left alone.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 2 of 5 shown findings
    were worth a change. The others grew an array over a handful of pieces (the outputs of
    a few layers, one batch per epoch of a small validation set) where the copies cost
    nothing next to the work that makes each piece. Enable it (`extend-select =
    ["ECO503"]`) to review loops that stack many pieces.

    ## Why is this wasteful?
    Frames and arrays are contiguous blocks of fixed size: each step allocates a new
    block and copies everything gathered so far into it, so n steps copy O(n²) elements.
    Appending to a Python list is amortised O(1); one `concat` or `np.array` at the end
    copies each element once.

    ## Example
    ```python
    out = pd.DataFrame()
    for batch in batches:
        out = pd.concat([out, transform(batch)])
    ```

    Use instead:
    ```python
    out = pd.concat([transform(batch) for batch in batches])
    ```

    ## Evidence
    `bench/rules/eco503_array_grown_in_loop.py` on a 2-core x86-64 VM, shared with other
    jobs and heavily loaded (CPython 3.11, numpy 2.4, pandas 3.1, median of 7 paired runs,
    two runs):
    - n scalars through `np.append` vs a list then `np.array`: 233× / 88× at n=100,
      23× at n=10³, 317× / 42× at n=10⁴, 281× at n=10⁵ (22.5 s against 80 ms);
    - n one-row frames through `pd.concat` vs a list of rows then one `DataFrame`:
      727× / 217× at n=100, 2704× / 726× at n=10³, 278× / 425× at n=10⁴ (2.6–15 s
      against 8–64 ms).
    The bad forms grow quadratically (`np.append`: 0.64 ms, 10.9 ms, 121 ms, 22.5 s for
    n = 10², 10³, 10⁴, 10⁵); the ratios are noisy because the fast form's few
    milliseconds suffer most from the machine's load. n=10⁶ was not run: hours.

    Summary: np.append 88–233× at n=100, 42–317× at n=10⁴, 281× at n=10⁵; pd.concat
    217–727× at n=100, 726–2704× at n=10³, 278–425× at n=10⁴ (quadratic bad form; two
    runs, loaded 2-core machine, CPython 3.11).

    ## References
    - greenlint GL007 (quadratic rebuild in a loop); GreenCodeAnalyzer (re-creating
      arrays in loops)
    - pandas docs of `concat`: "It is not recommended to build DataFrames by adding
      single rows in a for loop. Build a list of rows and make a DataFrame in a single
      concat."
    """

    code = "ECO503"
    name = "array-grown-in-loop"
    message = (
        "{form} in a loop copies the whole {kind} each time (O(n²)); collect in a list, build once"
    )
    impact = "high"
    opt_in = True
    VALID = [
        Valid("""
            import pandas as pd

            out = pd.concat([a, b])
            """),
        Valid("""
            import pandas as pd

            for f in files:
                df = pd.concat([x, y])
            """),
        Valid("""
            rows = []
            for r in data:
                rows.append(r)
            """),
        Valid("""
            import numpy as np

            for p in parts:
                total = np.append(prefix, p)
            """),
        Valid("""
            for r in data:
                df.loc[r.key] = r.value
            """),
        Valid(
            """
            import numpy as np

            for level in levels:
                strs = level.values()
                strs = np.append(strs, na_rep)
                out.append(strs)
            """
        ),
        Valid(
            """
            import numpy as np

            for x in xs:
                def grow(a):
                    return np.append(a, x)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import pandas as pd

            out = pd.DataFrame()
            for batch in batches:
                out = pd.concat([out, transform(batch)], ignore_index=True)
            """,
            line=5,
        ),
        Invalid(
            """
            import numpy as np

            acc = np.empty(0)
            while more():
                acc = np.append(acc, read())
            """,
            line=5,
        ),
        Invalid(
            """
            from numpy import vstack

            def stack(self, rows):
                for row in rows:
                    self.grid = vstack((self.grid, row))
            """,
            line=5,
        ),
        Invalid(
            """
            for r in records:
                df = df.append(r, ignore_index=True)
            """,
            line=2,
        ),
        Invalid(
            """
            for r in records:
                df.loc[len(df)] = r
            """,
            line=2,
        ),
    ]

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1:
            return
        target = node.targets[0].target
        grown = dotted_name(target)
        if grown is not None:
            found = self._regrown(node.value, grown)
            loop = self.enclosing_loop(node) if found is not None else None
            if found is not None and loop is not None and self._only_grown_in(loop, grown):
                form, kind = found
                self.report(node.value, form=form, kind=kind)
        elif isinstance(target, cst.Subscript):
            name = _appended_frame(target)
            if name is not None and self.in_loop(node):
                self.report(target, form=f"`{name}.loc[len({name})] = …`", kind="frame")

    def _only_grown_in(self, loop: cst.CSTNode, grown: str) -> bool:
        """Whether every assignment to ``grown`` in ``loop`` grows it: an array that the
        loop rebuilds from scratch and extends once per iteration is not accumulated."""
        head = grown.split(".", 1)[0]
        if "." not in grown and head in _loop_targets(loop):
            return False
        for statement in find_all(loop, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            if isinstance(statement, cst.Assign):
                targets = [t.target for t in statement.targets]
            else:
                targets = [statement.target]
            for target in targets:
                if _binds(target, grown) and not (
                    isinstance(statement, cst.Assign)
                    and self._regrown(statement.value, grown) is not None
                ):
                    return False
        return True

    def _regrown(self, value: cst.BaseExpression, grown: str) -> tuple[str, str] | None:
        """(the form, what it copies) when ``value`` rebuilds ``grown`` with more items."""
        if not isinstance(value, cst.Call) or not value.args:
            return None
        first = value.args[0]
        if first.keyword is not None or first.star:
            return None
        func = value.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "append"
            and dotted_name(func.value) == grown
        ):
            return f"`{grown} = {grown}.append(…)`", "frame"
        name = self.qualified_name(value)
        if name == _NUMPY_APPEND and dotted_name(first.value) == grown:
            return f"`{grown} = np.append({grown}, …)`", "array"
        if name in _CONCATENATORS and isinstance(first.value, (cst.List, cst.Tuple)):
            items = first.value.elements
            if items and dotted_name(items[0].value) == grown:
                short = name.rsplit(".", 1)[1]
                kind = "frame" if name.startswith("pandas.") else "array"
                return f"`{grown} = {short}([{grown}, …])`", kind
        return None


def _loop_targets(loop: cst.CSTNode) -> set[str]:
    """The names bound by the loop's own target(s)."""
    targets = [loop.target] if isinstance(loop, cst.For) else []
    targets += [c.target for c in find_all(loop, cst.CompFor)]
    names: set[str] = set()
    for target in targets:
        names |= {n.value for n in find_all(target, cst.Name)}
        if isinstance(target, cst.Name):
            names.add(target.value)
    return names


def _binds(target: cst.BaseExpression, grown: str) -> bool:
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_binds(element.value, grown) for element in target.elements)
    if isinstance(target, cst.StarredElement):
        return _binds(target.value, grown)
    return dotted_name(target) == grown


def _appended_frame(target: cst.Subscript) -> str | None:
    """``x`` when ``target`` is `<x>.loc[len(<x>)]` (a row appended to frame ``x``)."""
    owner = target.value
    if not (isinstance(owner, cst.Attribute) and owner.attr.value == "loc"):
        return None
    frame = dotted_name(owner.value)
    if frame is None or len(target.slice) != 1:
        return None
    index = target.slice[0].slice
    if not isinstance(index, cst.Index) or not isinstance(index.value, cst.Call):
        return None
    call = index.value
    if (
        dotted_name(call.func) == "len"
        and len(call.args) == 1
        and dotted_name(call.args[0].value) == frame
    ):
        return frame
    return None
