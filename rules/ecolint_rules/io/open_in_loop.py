from __future__ import annotations

import libcst as cst

from ecolint import (
    Invalid,
    Rule,
    Valid,
    descendants,
    dotted_name,
    find_all,
    names_bound,
    names_read,
)
from ecolint_rules._loop_exit import leaves_loop_after
from ecolint_rules._syntax import open_mode

_OPEN_FUNCTIONS = frozenset({"builtins.open", "io.open"})
_PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"})
_READ_METHODS = frozenset({"read_text", "read_bytes"})
# Calls that give the same path for the same arguments; any other call in the path
# (`next(it)`, `queue.pop()`) may give a new path each time, so the rule stays quiet.
_PURE_CALLS = _PATH_CLASSES | {
    "pathlib.PurePath",
    "os.path.join",
    "os.path.expanduser",
    "os.path.abspath",
    "os.fspath",
    "builtins.str",
}


class OpenInLoop(Rule):
    """## What it does
    Flags, inside a loop or comprehension, `open(p)`, `Path(p).open()`, `.read_text()` or
    `.read_bytes()` where neither the path nor the other arguments (mode, encoding)
    depend on a name that the loop binds (its target or any assignment in its body): the
    same file is opened again on every iteration. A path that calls anything other than
    `Path()`, `os.path.join()` and the like (`next(it)`, `queue.pop()`) is left alone,
    and so is an open followed by `return`, `raise` or `break` (it runs once), or one in
    mode `"w"` or `"x"`: each iteration writes its own content (a checkpoint rewritten
    each epoch), there is nothing to open once and reuse. Mode `"a"` is flagged: one
    open before the loop can take every append.

    ## Why is this wasteful?
    Each iteration pays the `open`, `fstat`, `read` and `close` system calls, the decoding
    and the parsing again for identical bytes. Reading once before the loop does the work
    once.

    ## Example
    ```python
    for user in users:
        with open("template.html") as f:
            send(user, f.read())
    ```

    Use instead:
    ```python
    with open("template.html") as f:
        template = f.read()
    for user in users:
        send(user, template)
    ```

    ## Evidence
    `bench/rules/eco202_open_in_loop.py` on a 2-core x86-64 VM (CPython 3.11, median of 7
    paired runs, n iterations using the text of one 4 kB file): 69× at n=100, 195× at
    n=10⁴, 195× at n=10⁵ (the bad form costs about 12 µs per iteration).

    ## References
    - greenlint GL022 (file read in a loop)
    """

    code = "ECO202"
    name = "open-in-loop"
    impact = "high"
    message = (
        "`{call}` opens the same file on every iteration; open or read it once before the loop"
    )
    VALID = [
        Valid(
            """
            import json

            for generation in range(generations):
                results = evolve(results)
                with open("evolve.csv", "w") as f:
                    f.write(to_csv(results))
            """
        ),
        Valid("""
            for name in names:
                with open(name) as f:
                    print(f.read())
            """),
        Valid("""
            for i in range(3):
                path = f'part{i}.txt'
                data = open(path).read()
            """),
        Valid("""
            with open('a.txt') as f:
                for line in f:
                    print(line)
            """),
        Valid(
            """
            for p in paths:
                def read():
                    return open('cfg.ini').read()
                print(p, read())
            """
        ),
        Valid("""
            for key in keys:
                data = open(paths[key]).read()
            """),
        Valid("""
            for _ in range(3):
                print(open(next(names)).read())
            """),
        Valid(
            """
            mode = 'r+b'
            while True:
                try:
                    fp = open(path, mode)
                except OSError:
                    mode = 'rb'
                    continue
                break
            """
        ),
        Valid(
            """
            for job in jobs:
                self.log_path = job.log
                print(open(self.log_path).read())
            """
        ),
        Valid(
            """
            def find(names):
                for name in names:
                    if name in INDEX:
                        with open(INDEX_PATH) as f:
                            return f.read()
            """
        ),
        Valid(
            """
            for p in paths:
                if p.is_file():
                    data = open(LOG).read()
                    break
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            def log_all(rows):
                for row in rows:
                    with open("audit.log", "a") as f:
                        f.write(row)
            """,
            line=3,
        ),
        Invalid(
            """
            import json

            for user in users:
                with open('config.json') as f:
                    cfg = json.load(f)
                print(user, cfg)
            """,
            line=4,
        ),
        Invalid(
            """
            from pathlib import Path as P

            for row in rows:
                template = P(tpl_dir, 'row.html').read_text()
                print(template % row)
            """,
            line=4,
        ),
        Invalid("sizes = [len(settings.read_bytes()) for _ in range(3)]\n", line=1),
        Invalid(
            """
            import pathlib

            while running:
                status = pathlib.Path(STATUS).open().read()
                running = status != 'done'
            """,
            line=4,
        ),
        Invalid(
            """
            def copy(records, out):
                for record in records:
                    with open(out, 'a') as f:
                        f.write(record)
            """,
            line=3,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        found = self._opened_path(node)
        if found is None:
            return
        call, path = found
        if _rewrites(node, path_in_args=call == "open()"):
            return  # "w": the file is rewritten with this iteration's data (a checkpoint)
        loop = self.enclosing_loop(node)
        if loop is None or leaves_loop_after(self, node, loop):
            return  # not in a loop, or the loop is left right after it: opened once
        if any(self._varies_in(part, loop) for part in (path, *(a.value for a in node.args))):
            return  # a new path, or a retry with another mode: not the same open
        self.report(node, call=call)

    def _opened_path(self, node: cst.Call) -> tuple[str, cst.BaseExpression] | None:
        """(what is called, the path expression) for the calls this rule knows."""
        if self.qualified_name(node) in _OPEN_FUNCTIONS:
            for index, arg in enumerate(node.args):
                if (arg.keyword is None and index == 0 and not arg.star) or (
                    arg.keyword is not None and arg.keyword.value == "file"
                ):
                    return "open()", arg.value
            return None
        func = node.func
        if not isinstance(func, cst.Attribute):
            return None
        if func.attr.value in _READ_METHODS:
            return f"{func.attr.value}()", func.value
        if (
            func.attr.value == "open"
            and isinstance(func.value, cst.Call)
            and self.qualified_name(func.value) in _PATH_CLASSES
        ):
            return "Path.open()", func.value
        return None

    def _varies_in(self, path: cst.BaseExpression, loop: cst.CSTNode) -> bool:
        """Whether ``path`` may differ between iterations: it reads a name or an attribute
        that the loop (re)binds, or it calls something not known to be pure."""
        if names_read(path) & names_bound(loop):
            return True
        assigned = {
            dotted_name(target)
            for statement in find_all(loop, (cst.Assign, cst.AugAssign, cst.AnnAssign))
            for target in _targets(statement)
            if isinstance(target, cst.Attribute)
        }
        assigned.discard(None)
        parts = [path, *descendants(path)]
        if any(isinstance(p, cst.Attribute) and dotted_name(p) in assigned for p in parts):
            return True
        return any(
            isinstance(p, cst.Call) and self.qualified_name(p) not in _PURE_CALLS for p in parts
        )


def _rewrites(call: cst.Call, path_in_args: bool) -> bool:
    """Whether the open truncates the file (mode ``w`` or ``x``, a literal): each iteration
    writes its own content, so there is nothing to open once and reuse."""
    mode = open_mode(call, 1 if path_in_args else 0) or ""
    return any(letter in mode for letter in "wx")


def _targets(statement: cst.CSTNode) -> list[cst.BaseExpression]:
    if isinstance(statement, cst.Assign):
        return [target.target for target in statement.targets]
    if isinstance(statement, (cst.AugAssign, cst.AnnAssign)):
        return [statement.target]
    return []
