from __future__ import annotations

import libcst as cst

from ecolint import Invalid, Rule, Valid, find_all

_LISTINGS = frozenset({"os.listdir", "glob.glob", "glob.iglob"})
_STAT_CALLS = frozenset(
    {
        "os.path.isdir",
        "os.path.isfile",
        "os.path.islink",
        "os.path.getsize",
        "os.path.getmtime",
        "os.path.exists",
        "os.path.lexists",
        "os.stat",
        "os.lstat",
    }
)
_JOIN = "os.path.join"
# Per-entry work that costs far more than a stat: opening, reading or importing the entry.
_HEAVY_CALLS = frozenset(
    {
        "builtins.open",
        "io.open",
        "importlib.import_module",
        "builtins.__import__",
        "shutil.copy",
        "shutil.copy2",
        "shutil.copyfile",
        "shutil.move",
        "shutil.rmtree",
    }
)
_HEAVY_METHODS = frozenset({"open", "load", "read_bytes", "read_text", "import_module"})


class ListdirThenStat(Rule):
    """## What it does
    Flags a `for name in os.listdir(d)` loop whose body calls `os.path.isdir`, `isfile`,
    `islink`, `getsize`, `getmtime`, `exists` or `os.stat` / `os.lstat` on
    `os.path.join(d, name)` (the same `d`, as written), or on a name assigned that join in
    the loop; and a `for path in glob.glob(pattern)` (or `iglob`) loop that calls them on
    `path`.

    A loop makes one finding, on its first such call, whatever the number of calls. When
    the loop also opens, reads, copies or imports each entry (`open()`, `.load()`,
    `importlib.import_module()`, `shutil.copy()`…), that work dwarfs the stat call: the
    finding is graded `low` (plug-in discovery at import time, an image import command).

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 1 of 5 shown findings
    was worth a change (a storage endpoint walking every recipe folder). The others listed
    a folder at start-up, in a hand-run command or once per job, where one stat call per
    entry is nothing next to the rest. Enable it (`extend-select = ["ECO203"]`) to review
    code that walks large folders on a request path.

    ## Why is this wasteful?
    `os.listdir` returns bare names, so asking what each entry is costs one `stat` system
    call per entry, on top of the directory read. `os.scandir` (PEP 471) returns
    `DirEntry` objects that already carry the file type from the directory read
    (`d_type` on Linux, every attribute on Windows), and cache their `stat()`: `is_dir()`,
    `is_file()` and `is_symlink()` usually cost no system call at all.

    ## Example
    ```python
    for name in os.listdir(root):
        if os.path.isdir(os.path.join(root, name)):
            walk(os.path.join(root, name))
    ```

    Use instead:
    ```python
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_dir():
                walk(entry.path)
    ```

    ## Evidence
    `bench/rules/eco203_listdir_then_stat.py` on a 2-core x86-64 VM (CPython 3.11, ext4,
    warm page cache; wall time, median of 7 paired runs; two runs of the script on a shared
    machine whose load changed several-fold between them): n entries (half files, half
    folders) classified with `listdir` + `os.path.isdir(join)` vs `scandir` + `is_dir()`:
    26× / 9.6× at n=100, 11× / 8.7× at n=10⁴, 9.3× / 8.6× at n=10⁵ (run 1 / run 2): one
    `stat` call per entry saved. For sizes, `os.path.getsize(join)` vs
    `DirEntry.stat().st_size`: 1.24× / 1.23×, 1.11× / 1.19×, 1.01× / 1.17×: on Linux
    `DirEntry.stat()` still makes one system call per entry, so only the path join and the
    call overhead are saved there.

    Summary: 9.6–26× at 10², 8.7–11× at 10⁴, 8.6–9.3× at 10⁵ entries with `isdir`;
    1.0–1.2× for `getsize` alone (Linux).

    ## References
    - PEP 471 (`os.scandir`); Python docs, `os.scandir`
    """

    code = "ECO203"
    name = "listdir-then-stat"
    impact = "medium"
    opt_in = True
    message = (
        "`{call}` on each `{listing}` entry costs one stat call per entry; "
        "use `os.scandir()` and the `DirEntry` methods"
    )
    VALID = [
        Valid(
            """
            import os

            with os.scandir(root) as it:
                for entry in it:
                    print(entry.is_dir())
            """
        ),
        Valid(
            """
            import os

            for name in os.listdir(root):
                print(os.path.isdir(os.path.join(other, name)))
            """
        ),
        Valid("""
            import os

            for name in os.listdir(root):
                print(name.endswith('.py'))
            """),
        Valid(
            """
            import os

            for name in os.listdir(root):
                print(os.path.isdir(os.path.join(root, 'fixed')))
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import os

            for name in os.listdir(root):
                if os.path.isdir(os.path.join(root, name)):
                    walk(name)
            """,
            line=4,
        ),
        Invalid(
            """
            from os import listdir, path

            def sizes(d):
                for f in listdir(d):
                    full = path.join(d, f)
                    yield f, path.getsize(full)
            """,
            line=6,
        ),
        Invalid(
            """
            import glob
            import os.path as osp

            for p in glob.glob('data/*.csv'):
                if osp.isfile(p) and osp.getmtime(p) > cutoff:
                    load(p)
            """,
            line=5,
        ),
        Invalid(
            """
            import importlib
            import os

            for file in os.listdir(models_dir):
                path = os.path.join(models_dir, file)
                if file.endswith(".py") or os.path.isdir(path):
                    importlib.import_module("models." + file.removesuffix(".py"))
            """,
            line=6,
            confidence="low",
            message="`os.path.isdir()` on each `os.listdir()` entry costs one stat call per "
            "entry; use `os.scandir()` and the `DirEntry` methods (a small saving here: the "
            "loop also calls `importlib.import_module()` on entries, which costs far more)",
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        if not isinstance(node.iter, cst.Call) or not isinstance(node.target, cst.Name):
            return
        listing = self.qualified_name(node.iter)
        if listing not in _LISTINGS:
            return
        entry = node.target.value
        if listing == "os.listdir":
            directory = node.iter.args[0].value if node.iter.args else None
            paths = self._joined_names(node, directory, entry)
        else:
            paths = _PathTest(names={entry})
        found: list[tuple[cst.Call, str]] = []
        for call in find_all(node.body, cst.Call):
            assert isinstance(call, cst.Call)
            name = self.qualified_name(call)
            if name in _STAT_CALLS and call.args and paths.matches(self, call.args[0].value):
                short = name.rpartition(".")[2]
                where = "os" if name.startswith("os.") and name.count(".") == 1 else "os.path"
                found.append((call, f"{where}.{short}()"))
        if not found:
            return
        # One loop, one problem, one rewrite: a single finding lists every stat call.
        calls = list(dict.fromkeys(text for _, text in found))
        if len(calls) == 1:
            message = self.message.format(call=calls[0], listing=f"{listing}()")
        else:
            shown = ", ".join(f"`{text}`" for text in calls)
            message = (
                f"{shown} on each `{listing}()` entry cost stat calls per entry; "
                "use `os.scandir()` and the `DirEntry` methods"
            )
        heavy = self._heavy_work(node)
        if heavy is None:
            self.report(found[0][0], message)
            return
        message += (
            f" (a small saving here: the loop also calls `{heavy}` on entries, "
            "which costs far more)"
        )
        self.report(found[0][0], message, confidence="low")

    def _heavy_work(self, loop: cst.For) -> str | None:
        """The first call of the loop body that opens, reads, copies or imports an entry."""
        for call in find_all(loop.body, cst.Call):
            assert isinstance(call, cst.Call)
            name = self.qualified_name(call)
            if name in _HEAVY_CALLS:
                return f"{name.removeprefix('builtins.')}()"
            if isinstance(call.func, cst.Attribute) and call.func.attr.value in _HEAVY_METHODS:
                return f".{call.func.attr.value}()"
        return None

    def _joined_names(
        self, loop: cst.For, directory: cst.BaseExpression | None, entry: str
    ) -> _PathTest:
        test = _PathTest(names=set(), directory=directory, entry=entry)
        for assign in find_all(loop.body, cst.Assign):
            assert isinstance(assign, cst.Assign)
            target = assign.targets[0].target
            if (
                len(assign.targets) == 1
                and isinstance(target, cst.Name)
                and test.is_join(self, assign.value)
            ):
                test.names.add(target.value)
        return test


class _PathTest:
    """Recognises the path of the current entry: a name that holds it, or the join."""

    def __init__(
        self,
        names: set[str],
        directory: cst.BaseExpression | None = None,
        entry: str | None = None,
    ) -> None:
        self.names = names
        self.directory = directory
        self.entry = entry

    def matches(self, rule: Rule, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.Name) and value.value in self.names:
            return True
        return self.entry is not None and self.is_join(rule, value)

    def is_join(self, rule: Rule, value: cst.BaseExpression) -> bool:
        if not (isinstance(value, cst.Call) and rule.qualified_name(value) == _JOIN):
            return False
        if len(value.args) != 2:
            return False
        first, second = (arg.value for arg in value.args)
        if not (isinstance(second, cst.Name) and second.value == self.entry):
            return False
        if self.directory is None:  # os.listdir() lists "."
            return isinstance(first, cst.SimpleString) and first.evaluated_value in (".", "")
        return first.deep_equals(self.directory)
