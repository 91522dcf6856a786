from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, children
from ecolint_rules.data._args import keyword_arg, with_appended_arg

# Reader → (keyword that selects columns, how many positional arguments leave it unset).
_READERS = {
    "pandas.read_csv": ("usecols", 1),
    "pandas.read_table": ("usecols", 1),
    "pandas.read_excel": ("usecols", 2),
    "pandas.read_parquet": ("columns", 2),
    "pandas.read_feather": ("columns", 1),
    "pandas.read_sql_table": ("columns", 2),
}
# Arguments that make the result something else than one frame of named columns.
# `names=` lists the columns itself: they are usually all wanted.
_NOT_ONE_FRAME = frozenset({"chunksize", "iterator", "usecols", "columns", "names"})
# In-memory buffers hold small inline data (tests, fixtures), usually fully used.
_BUFFERS = frozenset({"io.StringIO", "io.BytesIO"})
# Arguments that name columns themselves: the rule still reports, but offers no fix.
_NAMES_COLUMNS = frozenset(
    {"index_col", "parse_dates", "converters", "dtype", "header", "date_format"}
)


class PandasReadAllColumns(Rule):
    """## What it does
    Flags `pd.read_csv`, `read_table`, `read_excel`, `read_parquet`, `read_feather` and
    `read_sql_table` called without `usecols=` / `columns=` when the variable it is
    assigned to is used in its scope (function or module) only through literal column
    subscripts: `df["price"]`, `df[["price", "qty"]]`. Calls that pass `names=` (the
    caller lists the columns, usually all of them) or read an in-memory
    `io.StringIO` / `io.BytesIO` buffer (small inline data, typically a test fixture)
    are left alone.

    ## Why is this wasteful?
    Every column of the file is parsed, converted and allocated, then most are never
    read. Parquet and Feather are columnar: with `columns=` the unused columns are not
    even read from disk.

    ## Example
    ```python
    df = pd.read_csv("sales.csv")
    revenue = (df["price"] * df["qty"]).sum()
    ```

    Use instead:
    ```python
    df = pd.read_csv("sales.csv", usecols=["price", "qty"])
    revenue = (df["price"] * df["qty"]).sum()
    ```

    ## Fix safety
    The fix inserts the derived list and is unsafe: the frame then has fewer columns, in
    the file's order, so code that reaches it another way (a `global`, `locals()`, a
    caller of a module-level name) would miss them, and a column name that is not in the
    file becomes an error at read time instead of at the subscript. It is not offered
    when other arguments name columns too (`index_col`, `parse_dates`, `dtype`,
    `converters`, `header`).

    ## Evidence
    `bench/rules/eco502_pandas_read_all_columns.py` on a 2-core x86-64 VM, shared with
    other jobs and heavily loaded during the runs (CPython 3.11, pandas 3.1, median of 7
    then 9 paired runs; a temporary CSV file of n rows and 12 columns, 2 of them used):
    1.70× / 1.40× at n=100, 1.08× / 1.08× at n=10⁴, 1.85× / 2.18× at n=10⁶ (3.1 s against
    1.7 s). A constant factor: the C parser still tokenises every field, `usecols` saves
    the conversion and allocation of the unused columns; it grows with their share.

    Summary: 1.4–1.7× at n=100, 1.08× at n=10⁴, 1.85–2.18× at n=10⁶ rows (2 of 12 CSV
    columns used; two runs, loaded 2-core machine, CPython 3.11).

    ## References
    - creedengo GCI96 (which fires on every call and on `read_json`, which has no such
      argument)
    - pandas user guide, "Scaling to large datasets" (load less data)
    """

    code = "ECO502"
    name = "pandas-read-all-columns"
    message = "`{reader}()` parses every column but only {used} are used; pass `{keyword}=`"
    fix = "unsafe"
    fix_title = "Read only the columns the code uses"
    impact = "medium"
    VALID = [
        Valid("""
            import pandas as pd

            df = pd.read_csv('a.csv', usecols=['x'])
            print(df['x'])
            """),
        Valid("""
            import pandas as pd

            df = pd.read_csv('a.csv')
            print(df.describe())
            """),
        Valid("""
            import pandas as pd

            df = pd.read_csv('a.csv')
            plot(df)
            """),
        Valid("""
            import pandas as pd

            df = pd.read_json('a.json')
            print(df['x'])
            """),
        Valid("""
            import pandas as pd

            df = pd.read_csv('a.csv')
            df['total'] = df['x'] * 2
            """),
        Valid(
            """
            import pandas as pd

            for chunk in pd.read_csv('a.csv', chunksize=100):
                print(chunk['x'])
            """
        ),
        Valid("""
            import csv

            df = csv.read_csv('a.csv')
            print(df['x'])
            """),
        Valid("""
            import pandas as pd

            df = pd.read_csv('a.csv')
            col = 'x'
            print(df[col])
            """),
        Valid("""
            import pandas as pd

            df = pd.read_csv(p, names=['x', 'y'])
            print(df['x'])
            """),
        Valid(
            """
            import io
            import pandas as pd

            df = pd.read_csv(io.StringIO(text))
            print(df['x'])
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import pandas as pd

            def revenue(path):
                df = pd.read_csv(path)
                return (df['price'] * df['qty']).sum()
            """,
            line=4,
            fixed="""
            import pandas as pd

            def revenue(path):
                df = pd.read_csv(path, usecols=['price', 'qty'])
                return (df['price'] * df['qty']).sum()
            """,
            unsafe=True,
        ),
        Invalid(
            """
            from pandas import read_parquet

            events = read_parquet('events.parquet')
            top = events[["user", "ts"]].head()
            print(events["user"].nunique())
            """,
            line=3,
            fixed="""
            from pandas import read_parquet

            events = read_parquet('events.parquet', columns=["user", "ts"])
            top = events[["user", "ts"]].head()
            print(events["user"].nunique())
            """,
            unsafe=True,
        ),
        Invalid(
            """
            import pandas as pd

            sales = pd.read_csv(path,
                                sep=';')
            print(sales['qty'].sum())
            """,
            line=3,
            fixed="""
            import pandas as pd

            sales = pd.read_csv(path,
                                sep=';',
                                usecols=['qty'])
            print(sales['qty'].sum())
            """,
            unsafe=True,
        ),
        Invalid(
            """
            import pandas as pd

            df = pd.read_csv('a.csv', index_col='id')
            print(df['x'])
            """,
            line=3,
        ),
    ]

    def visit_Assign(self, node: cst.Assign) -> None:
        call = node.value
        if (
            len(node.targets) != 1
            or not isinstance(node.targets[0].target, cst.Name)
            or not isinstance(call, cst.Call)
        ):
            return
        reader = self.qualified_name(call)
        if reader not in _READERS:
            return
        keyword, max_positional = _READERS[reader]
        keywords = {a.keyword.value for a in call.args if a.keyword is not None}
        positional = [a for a in call.args if a.keyword is None]
        if (
            keywords & _NOT_ONE_FRAME
            or len(positional) > max_positional
            or any(a.star for a in call.args)
            or not _single_sheet(call)
            or (positional and self.qualified_name(positional[0].value) in _BUFFERS)
        ):
            return
        name = node.targets[0].target.value
        columns = _literal_column_uses(self.enclosing_scope(node), name)
        if not columns:
            return
        used = ", ".join(f"`{column}`" for column in columns)
        message = self.message.format(reader=reader.rsplit(".", 1)[1], used=used, keyword=keyword)
        if keywords & _NAMES_COLUMNS:
            self.report(call, message)
            return
        selection = keyword_arg(keyword, cst.List([cst.Element(c) for c in columns.values()]))
        fixed = with_appended_arg(call, selection)
        self.report(call, message, replacement=fixed, unsafe=True)


def _single_sheet(call: cst.Call) -> bool:
    """`read_excel(sheet_name=None | [...])` gives a dict of frames, not one frame."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "sheet_name":
            return isinstance(arg.value, (cst.SimpleString, cst.Integer))
    return True


def _literal_column_uses(scope: cst.CSTNode, name: str) -> dict[str, cst.SimpleString]:
    """The columns read by every use of ``name`` in ``scope``, each with its first literal
    (first use first), or ``{}`` if one use is anything else than a load of `name["col"]` /
    `name[["a", "b"]]`, or if ``name`` is bound more than once."""
    columns: dict[str, cst.SimpleString] = {}
    bindings = 0
    stack: list[tuple[cst.CSTNode, cst.CSTNode | None, cst.CSTNode | None]] = [
        (child, scope, None) for child in reversed(list(children(scope)))
    ]
    while stack:
        node, parent, grandparent = stack.pop()
        if isinstance(node, cst.Name) and node.value == name:
            if isinstance(parent, cst.AssignTarget) and parent.target is node:
                bindings += 1
                continue
            if not isinstance(parent, cst.Subscript) or parent.value is not node:
                return {}
            if _stores(grandparent, parent):
                return {}
            literals = _subscript_literals(parent)
            if literals is None:
                return {}
            for column, literal in literals:
                columns.setdefault(column, literal)
            continue
        below = list(children(node))
        stack.extend((child, node, parent) for child in reversed(below))
    return columns if bindings == 1 else {}


def _stores(holder: cst.CSTNode | None, subscript: cst.Subscript) -> bool:
    if isinstance(holder, cst.AssignTarget):
        return holder.target is subscript
    if isinstance(holder, (cst.AugAssign, cst.AnnAssign, cst.Del)):
        return holder.target is subscript
    return False


def _subscript_literals(subscript: cst.Subscript) -> list[tuple[str, cst.SimpleString]] | None:
    """The columns `x["col"]` / `x[["a", "b"]]` reads, each with its literal; ``None``
    when the key is anything else (a name, bytes, an f-string, ``[]``)."""
    if len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return None
    key = subscript.slice[0].slice.value
    items = [e.value for e in key.elements] if isinstance(key, cst.List) else [key]
    literals: list[tuple[str, cst.SimpleString]] = []
    for item in items:
        if not isinstance(item, cst.SimpleString):
            return None
        column = item.evaluated_value
        if not isinstance(column, str):
            return None
        literals.append((column, item))
    return literals or None
