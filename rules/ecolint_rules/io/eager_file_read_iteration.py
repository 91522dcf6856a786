from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, find_all, names_read, simple_assignments

_OPEN_FUNCTIONS = frozenset({"builtins.open", "io.open"})
_PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"})
_NEWLINES = ("\n", b"\n")


class EagerFileReadIteration(Rule):
    """## What it does
    Flags a `for` loop over `f.readlines()`, `f.read().splitlines()` or
    `f.read().split("\\n")` when `f` comes from `open()` (or `io.open()`) or `Path.open()`:
    a `with … as f` around the loop, a plain `f = open(...)` in the same scope, or the
    call itself (`open(p).readlines()`).

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 5 shown findings
    were worth a change. The files read whole were small by nature (a requirements file,
    a configuration, a few hundred lines of a dataset index): reading them lazily saves
    memory only on files that are big, which the rule cannot see. Enable it
    (`extend-select = ["ECO201"]`) to review code that reads logs or data files.

    ## Why is this wasteful?
    The whole file is read and split into a list of lines before the first line is
    processed: peak memory grows with the file size, and a loop that stops early has
    still read everything. A file object is already a lazy, buffered iterator of lines.

    ## Example
    ```python
    with open("access.log") as f:
        for line in f.readlines():
            handle(line)
    ```

    Use instead:
    ```python
    with open("access.log") as f:
        for line in f:
            handle(line)
    ```

    ## Fix safety
    The fix (`for line in f:`) is offered for `readlines()` only, and only when the loop
    body does not use `f` and has no `break` (which would leave the file position in the
    middle of the file instead of at its end). The `splitlines()` / `split("\\n")`
    variants get no fix: they drop the line endings and split on other characters than
    iteration does.

    ## Evidence
    `bench/rules/eco201_eager_file_read_iteration.py` on a 2-core x86-64 VM (CPython
    3.11, median of 7 paired runs, summing the line lengths of a file of n lines of about
    53 bytes): time 1.07× at n=100, 1.13× at n=10⁴, 1.86× at n=10⁶; peak memory
    (tracemalloc) 24.6 kB vs 15.6 kB at n=100, 1.1 MB vs 21.7 kB at n=10⁴ (52×), 111 MB
    vs 21.7 kB at n=10⁶ (5,129×): the lazy loop's memory stays flat.

    ## References
    - ruff FURB129 (readlines-in-for)
    """

    code = "ECO201"
    name = "eager-file-read-iteration"
    impact = "medium"
    opt_in = True
    message = "`for` over `{call}` reads the whole file into memory; iterate the file lazily"
    fix = "sometimes"
    fix_title = "Iterate over the file object, one line at a time"
    VALID = [
        Valid("""
            with open('a.log') as f:
                for line in f:
                    print(line)
            """),
        Valid("""
            def count(stream):
                for line in stream.readlines():
                    print(line)
            """),
        Valid("""
            with open('a.log') as f:
                lines = f.readlines()
            """),
        Valid(
            """
            with open('a.csv') as f:
                for cell in f.read().split(','):
                    print(cell)
            """
        ),
        Valid(
            """
            import aiofiles

            async def f():
                async with aiofiles.open('a') as f:
                    for line in await f.readlines():
                        print(line)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            with open('a.log') as f:
                for line in f.readlines():
                    print(line)
            """,
            line=2,
            fixed="""
            with open('a.log') as f:
                for line in f:
                    print(line)
            """,
        ),
        Invalid(
            """
            import pathlib as pl

            cfg = pl.Path('app.cfg')
            with cfg.open() as fh:
                for row in fh.read().splitlines():
                    print(row)
            """,
            line=5,
        ),
        Invalid(
            "from io import open as io_open\n\ndef load(p):\n    f = io_open(p)\n"
            "    for line in f.read().split('\\n'):\n        print(line)\n",
            line=5,
        ),
        Invalid(
            """
            for line in open('words.txt').readlines():
                print(line)
            """,
            line=1,
            fixed="""
            for line in open('words.txt'):
                print(line)
            """,
        ),
        Invalid(
            """
            with open('a.log') as f:
                for line in f.readlines():
                    if line.startswith('#'):
                        break
            """,
            line=2,
        ),
        Invalid(
            """
            with open('a.txt') as f:
                for line in f.readlines():
                    print(next(f))
            """,
            line=2,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        found = _eager_lines(node.iter)
        if found is None:
            return
        call, receiver = found
        if not self._opens_file(receiver, node):
            return
        replacement = None
        if call == "readlines()" and self._lazy_loop_is_equivalent(node, receiver):
            replacement = receiver
        self.report(node.iter, replacement=replacement, call=f"{call}")

    def _lazy_loop_is_equivalent(self, loop: cst.For, receiver: cst.BaseExpression) -> bool:
        """Lazy iteration leaves the file position mid-file after a `break` and interleaves
        with reads of `f` in the body; a bare `open(...)` call cannot be read elsewhere."""
        if isinstance(receiver, cst.Call):
            return True
        if not isinstance(receiver, cst.Name):
            return False
        return receiver.value not in names_read(loop.body) and not any(
            find_all(loop.body, cst.Break)
        )

    def _opens_file(self, receiver: cst.BaseExpression, loop: cst.For) -> bool:
        if isinstance(receiver, cst.Call):
            return self._is_open_call(receiver, loop)
        if not isinstance(receiver, cst.Name):
            return False
        name = receiver.value
        for ancestor in self.ancestors(loop):
            if isinstance(ancestor, cst.With) and ancestor.asynchronous is None:
                for item in ancestor.items:
                    target = item.asname.name if item.asname else None
                    if isinstance(target, cst.Name) and target.value == name:
                        return self._is_open_call(item.item, loop)
        values = simple_assignments(self.enclosing_scope(loop), name)
        return bool(values) and all(self._is_open_call(value, loop) for value in values)

    def _is_open_call(self, node: cst.BaseExpression, loop: cst.For) -> bool:
        if not isinstance(node, cst.Call):
            return False
        if self.qualified_name(node) in _OPEN_FUNCTIONS:
            return True
        func = node.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value == "open"
            and self._is_path(func.value, loop)
        )

    def _is_path(self, node: cst.BaseExpression, loop: cst.For) -> bool:
        """`Path(...)`, `Path(...) / "x"`, or a name assigned only such values."""
        if isinstance(node, cst.Call):
            return self.qualified_name(node) in _PATH_CLASSES
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
            return self._is_path(node.left, loop)
        if isinstance(node, cst.Name):
            values = simple_assignments(self.enclosing_scope(loop), node.value)
            return bool(values) and all(self._is_path(value, loop) for value in values)
        return False


def _eager_lines(iterable: cst.BaseExpression) -> tuple[str, cst.BaseExpression] | None:
    """(`readlines()` | `read().splitlines()` | `read().split("\\n")`, receiver) or None."""
    if not isinstance(iterable, cst.Call) or not isinstance(iterable.func, cst.Attribute):
        return None
    method = iterable.func.attr.value
    inner = iterable.func.value
    if method == "readlines" and not iterable.args:
        return "readlines()", inner
    if not (
        isinstance(inner, cst.Call)
        and isinstance(inner.func, cst.Attribute)
        and inner.func.attr.value == "read"
        and not inner.args
    ):
        return None
    if method == "splitlines":
        return "read().splitlines()", inner.func.value
    if method == "split" and len(iterable.args) == 1 and iterable.args[0].keyword is None:
        separator = iterable.args[0].value
        if isinstance(separator, cst.SimpleString) and separator.evaluated_value in _NEWLINES:
            return 'read().split("\\n")', inner.func.value
    return None
