from __future__ import annotations

import libcst as cst

from ecolint import (
    Invalid,
    Rule,
    Valid,
    attribute_assignments,
    dotted_name,
    simple_assignments,
)

_MEMORY_FILES = frozenset({"io.BytesIO", "io.StringIO"})
# write method → the read method whose whole result it copies
_PAIRS = {"write": "read", "write_bytes": "read_bytes", "write_text": "read_text"}


class CopyThroughMemory(Rule):
    """## What it does
    Flags a whole file copied through a Python object: `<dst>.write(<src>.read())` with
    no size argument to `read`, and `<b>.write_bytes(<a>.read_bytes())` /
    `<b>.write_text(<a>.read_text())` (pathlib). When either end is an in-memory
    `io.BytesIO` / `io.StringIO` (the call, a name assigned one in the scope, or
    `self.<attr>` assigned one in the class), the bytes are in memory anyway, and the
    rule stays quiet.

    ## Why opt-in
    Judged on the real-application corpus (`bench/precision.md`): 0 of 4 shown findings
    were worth a change. Two copied files once, at installation or in a hand-run command;
    two were web-asset filters whose "files" are in-memory buffers, where there is no
    file object to stream. The peak memory matters only for big files, which the rule
    cannot see. Enable it (`extend-select = ["ECO204"]`) to review code that copies
    uploads or archives.

    ## Why is this wasteful?
    The whole source is read into one `bytes` (or decoded into one `str`, then encoded
    again) before the first byte is written: peak memory grows with the file, and every
    byte crosses into user space and back. `shutil.copyfile` uses `sendfile` /
    `copy_file_range` on Linux (the kernel copies, nothing enters Python), and
    `shutil.copyfileobj` copies in fixed-size chunks.

    ## Example
    ```python
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        fout.write(fin.read())
    ```

    Use instead:
    ```python
    shutil.copyfile(src, dst)  # or shutil.copyfileobj(fin, fout) for open files
    ```

    ## Evidence
    `bench/rules/eco204_copy_through_memory.py` on a 2-core x86-64 VM (CPython 3.11, ext4,
    warm page cache; two runs, 7 paired runs each, shared and loaded machine): copying a
    file of n kB with `write(read())` vs `shutil.copyfile`. Peak memory (tracemalloc, the
    same in both runs): 111.6 kB vs 10.0 kB at 100 kB, 10.2 MB vs 10.1 kB at 10 MB
    (1,019×), 102 MB vs 10.1 kB at 100 MB (10,184×): the bad form holds the whole file.
    Wall time: 0.30× / 1.00× at 100 kB, 0.81× / 1.06× at 10 MB, 2.45× / 1.87× at 100 MB
    (run 1 / run 2): within noise up to 10 MB (shutil's extra `stat` calls cost as much as
    the copy), a saving only for large files. The saving to rely on is memory.

    Summary: peak memory 11× / 1,019× / 10,184× at 100 kB / 10 MB / 100 MB; time within
    noise up to 10 MB, 1.9–2.5× at 100 MB.

    ## References
    - Python docs, `shutil` "Platform-dependent efficient copy operations"
    """

    code = "ECO204"
    name = "copy-through-memory"
    impact = "medium"
    opt_in = True
    message = "`{call}` holds the whole file in memory; use `shutil.copyfile` / `copyfileobj`"
    VALID = [
        Valid("""
            import shutil

            shutil.copyfile(src, dst)
            """),
        Valid(
            """
            while True:
                chunk = fin.read(65536)
                if not chunk:
                    break
                fout.write(chunk)
            """
        ),
        Valid("out.write(template.format(name=name))\n"),
        Valid("dst.write_text(src.read_text().upper())\n"),
        Valid("fout.write(fin.read(1024))\n"),
        Valid(
            """
            import io

            def save(path, frame):
                buffer = io.BytesIO()
                frame.to_parquet(buffer)
                buffer.seek(0)
                with open(path, 'wb') as f:
                    f.write(buffer.read())
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            with open(src, 'rb') as fin, open(dst, 'wb') as fout:
                fout.write(fin.read())
            """,
            line=2,
        ),
        Invalid(
            """
            from pathlib import Path

            Path(backup).write_bytes(Path(original).read_bytes())
            """,
            line=3,
        ),
        Invalid(
            "target.write_text(source.read_text(encoding='utf-8'), encoding='utf-8')\n", line=1
        ),
        Invalid("sys.stdout.write(open(path).read())\n", line=1),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        read_method = _PAIRS.get(func.attr.value)
        if read_method is None or not node.args:
            return
        data = node.args[0]
        if data.keyword is not None or data.star:
            return
        inner = data.value
        if not (
            isinstance(inner, cst.Call)
            and isinstance(inner.func, cst.Attribute)
            and inner.func.attr.value == read_method
        ):
            return
        if read_method == "read" and any(arg.keyword is None for arg in inner.args):
            return  # `read(n)`: one chunk, not the whole file
        if self._in_memory(node, inner.func.value) or self._in_memory(node, func.value):
            return  # a BytesIO / StringIO end: the bytes are in memory either way
        self.report(node, call=f".{func.attr.value}(….{read_method}())")

    def _in_memory(self, node: cst.CSTNode, file: cst.BaseExpression) -> bool:
        """Whether ``file`` is a ``BytesIO`` / ``StringIO``: the call itself, a name
        assigned one in the scope, or ``self.<attr>`` assigned one in the class."""
        if isinstance(file, cst.Call):
            return self.qualified_name(file) in _MEMORY_FILES
        if isinstance(file, cst.Name):
            values = simple_assignments(self.enclosing_scope(node), file.value)
        elif isinstance(file, cst.Attribute) and dotted_name(file.value) == "self":
            cls = self.enclosing_class(node)
            values = attribute_assignments(cls, file.attr.value) if cls is not None else []
        else:
            return False
        return any(
            isinstance(v, cst.Call) and self.qualified_name(v) in _MEMORY_FILES for v in values
        )
