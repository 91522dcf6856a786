from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, dotted_name, find_all
from ecolint_rules._syntax import range_len_argument
from ecolint_rules.data._frames import PANDAS_MODULES, is_frame

_ROW_INDEXERS = frozenset({"loc", "iloc", "at", "iat"})


class PandasRowIteration(Rule):
    """## What it does
    Flags row-by-row work on a pandas DataFrame:
    - `df.iterrows()`;
    - `df.apply(f, axis=1)` (or `axis="columns"`);
    - `for i in range(len(df)):` whose body reads `df.loc[i]`, `df.iloc[i]`, `df.at[i, …]`
      or `df.iat[i, …]`.

    The receiver counts as a pandas object when the module imports pandas, or when it is
    bound to a pandas call (`pd.read_csv(…)`, a method chain on one) or has a frame-like
    name (`df`, `sales_df`, `frame`).

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 2 of 9 shown findings
    were worth a change. The other frames held a few rows by nature (the trades of one
    pair, a summary table, the classes of a dataset), or the loop body did far more work
    per row than the iteration costs. The rule cannot see a frame's size. Enable it
    (`extend-select = ["ECO501"]`) to review analysis code over large frames.

    ## Why is this wasteful?
    Each row is boxed into a new Series (with its index) and the Python function runs once
    per row, so the work is interpreted n times instead of running once in compiled,
    vectorised code over whole columns.

    ## Example
    ```python
    totals = df.apply(lambda row: row["price"] * row["qty"], axis=1)
    ```

    Use instead:
    ```python
    totals = df["price"] * df["qty"]
    ```
    (`np.where`, `Series.map` or, as a last resort, `itertuples()` for logic that does
    not vectorise.)

    ## Evidence
    `bench/rules/eco501_pandas_row_iteration.py` on a 2-core x86-64 VM, shared with other
    jobs and heavily loaded (CPython 3.11, pandas 3.1, median of 7 paired runs, two runs;
    the sum of `price * qty` over n rows):
    - `iterrows()` vs the column product: 17× / 182× at n=100, 1239× / 6446× at n=10⁴,
      5133× / 10434× at n=10⁵;
    - `apply(axis=1)` vs the column product: 62× / 15× at n=100, 1195× / 636× at n=10⁴,
      254× / 2635× at n=10⁵.
    The row-wise forms cost 15–60 µs per row; the vector form stays under a millisecond.
    n=10⁶ was not run (about a minute per row-wise call, for a ratio that only grows).

    Summary: iterrows 17–182× at n=100, 1239–6446× at n=10⁴, 5133–10434× at n=10⁵;
    apply(axis=1) 15–62×, 636–1195×, 254–2635× (two runs, loaded 2-core machine, CPython
    3.11).

    ## References
    - greenlint GL021; dslinter unnecessary-iteration-pandas; GreenCodeAnalyzer (iterrows)
    - pandas user guide, "Enhancing performance" and "Iteration"
    """

    code = "ECO501"
    name = "pandas-row-iteration"
    message = "{what} boxes every row into a Series; use vectorised column operations"
    impact = "high"
    opt_in = True
    VALID = [
        Valid("""
            for row in rows.iterrows():
                print(row)
            """),
        Valid("""
            import pandas as pd

            total = df['price'] * df['qty']
            """),
        Valid("""
            import pandas as pd

            out = df.apply(np.sum, axis=0)
            """),
        Valid("""
            import pandas as pd

            for row in df.itertuples():
                print(row.price)
            """),
        Valid("result = executor.apply(task, axis=1)\n"),
        Valid("""
            for i in range(len(items)):
                print(items[i])
            """),
        Valid("""
            import pandas as pd

            for i in range(len(df)):
                print(df.loc[0])
            """),
    ]
    INVALID = [
        Invalid(
            """
            import pandas as pd

            df = pd.read_csv('sales.csv')
            for _, row in df.iterrows():
                print(row['price'])
            """,
            line=4,
        ),
        Invalid(
            """
            def totals(sales_df):
                return sales_df.apply(lambda r: r['price'] * r['qty'], axis='columns')
            """,
            line=2,
        ),
        Invalid(
            """
            import pandas

            def f(table):
                return table.dropna().apply(score, 1)
            """,
            line=4,
        ),
        Invalid(
            """
            import pandas as pd

            def f(frame):
                total = 0
                for i in range(len(frame)):
                    total += frame.loc[i, 'qty']
                return total
            """,
            line=5,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        if method == "iterrows" and not node.args:
            if self._pandas(func.value, node):
                self.report(node, what="`.iterrows()`")
        elif method == "apply" and _row_axis(node) and self._pandas(func.value, node):
            self.report(node, what="`.apply(…, axis=1)`")

    def visit_For(self, node: cst.For) -> None:
        if not isinstance(node.target, cst.Name):
            return
        frame = range_len_argument(self, node.iter)
        name = dotted_name(frame) if frame is not None else None
        if frame is None or name is None:
            return
        index = node.target.value
        for sub in find_all(node.body, cst.Subscript):
            assert isinstance(sub, cst.Subscript)
            owner = sub.value
            if (
                isinstance(owner, cst.Attribute)
                and owner.attr.value in _ROW_INDEXERS
                and dotted_name(owner.value) == name
                and _first_index_is(sub, index)
            ):
                if self._pandas(frame, node):
                    self.report(node, what=f"`{name}.{owner.attr.value}[{index}]` in a loop")
                return

    def _pandas(self, receiver: cst.BaseExpression, at: cst.CSTNode) -> bool:
        return self.imports.imports_module(*PANDAS_MODULES) or is_frame(self, receiver, at)


def _row_axis(call: cst.Call) -> bool:
    """Whether `axis` (keyword, or the second positional argument) is 1 or "columns"."""
    axis = next((a.value for a in call.args if a.keyword and a.keyword.value == "axis"), None)
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if axis is None and len(positional) >= 2:
        axis = positional[1].value
    if isinstance(axis, cst.Integer):
        return axis.value == "1"
    if isinstance(axis, cst.SimpleString):
        return axis.evaluated_value == "columns"
    return False


def _first_index_is(sub: cst.Subscript, index: str) -> bool:
    first = sub.slice[0].slice
    return (
        isinstance(first, cst.Index)
        and isinstance(first.value, cst.Name)
        and first.value.value == index
    )
