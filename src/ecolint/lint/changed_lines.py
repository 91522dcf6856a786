"""Which lines changed since a git revision, for ``--diff-base``: CI reports only what a
change brings, not the findings the code base already had.

``git diff --unified=0 REF`` compares the working tree with REF, so committed, staged and
unstaged edits all count; each hunk ``@@ -a,b +c,d @@`` says that lines ``c`` to
``c + d - 1`` of the current file are new or changed (a deletion, ``d = 0``, leaves no line
to report on). Renames are followed, so a renamed file counts only its edited lines.
Untracked files are new as a whole. Parsing git's output is a pure function
(``parse_diff``); only ``changed_lines`` runs git.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ecolint import git
from ecolint.lint.diagnostics import DIAGNOSTICS
from ecolint.lint.files import resolved
from ecolint.results import LintReport

_HUNK = re.compile(r"@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
EVERY_LINE = (range(1, sys.maxsize),)
# Findings about a file itself (it does not parse, cannot be read) stop every other check
# of it: they are kept whatever line git points at.
_FILE_LEVEL = frozenset(info.code for info in DIAGNOSTICS)


class DiffBaseError(Exception):
    """``--diff-base`` cannot be answered: no git, not a repository, unknown revision."""


def parse_diff(text: str) -> dict[str, list[range]]:
    """The added or changed lines of each file in the output of ``git diff --unified=0``,
    by path relative to the repository root (the ``+++ b/…`` side); ``/dev/null``
    (a deleted file) is left out, a file whose only change is a rename maps to nothing."""
    changed: dict[str, list[range]] = {}
    current: list[range] | None = None
    in_header = False
    # Hunk bodies are lines starting with "+", "-" or "\\", so a line starting with
    # "diff " or "@@ " is always git's own; split on "\n" only (not on form feeds).
    for line in text.split("\n"):
        if line.startswith("diff "):
            in_header, current = True, None
        elif in_header and line.startswith("+++ "):
            name = _target(line[4:])
            current = None if name is None else changed.setdefault(name, [])
        elif line.startswith("@@ "):
            in_header = False
            match = _HUNK.match(line)
            if match is not None and current is not None:
                start, count = int(match[1]), int(match[2] or 1)
                if count:
                    current.append(range(start, start + count))
    return changed


def _target(raw: str) -> str | None:
    # Git quotes unusual names, and puts a tab after a name that holds a space.
    raw = _unquote(raw) if raw.startswith('"') else raw.removesuffix("\t")
    if raw == "/dev/null":
        return None
    return raw.removeprefix("b/")


def _unquote(quoted: str) -> str:
    """Undo git's C-style quoting of a path (``"b/tab\\there"``, octal bytes)."""
    body = quoted.rstrip("\t")[1:-1]
    data = bytearray()
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            following = body[index + 1]
            if following in "01234567":
                data.append(int(body[index + 1 : index + 4], 8) & 0xFF)
                index += 4
                continue
            data.append(_ESCAPES.get(following, ord(following) & 0xFF))
            index += 2
            continue
        data.extend(char.encode("utf-8", "surrogateescape"))
        index += 1
    return data.decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class ChangedLines:
    """The changed line ranges per file (absolute, resolved paths); ``new`` files (not
    tracked by git) changed as a whole."""

    ranges: Mapping[Path, Sequence[range]]
    new: frozenset[Path] = frozenset()

    def lines(self, path: Path) -> tuple[range, ...]:
        """The changed lines of ``path``; empty when it did not change."""
        absolute = resolved(path)
        if absolute in self.new:
            return EVERY_LINE
        return tuple(self.ranges.get(absolute, ()))


def changed_lines(paths: Sequence[Path], ref: str) -> ChangedLines:
    """The lines changed since ``ref`` under ``paths`` (files or folders), asking git once
    per repository; paths that do not exist are left to the run to report."""
    by_repository: dict[Path, list[str]] = {}
    for path in paths:
        if not path.exists():
            continue
        folder = path if path.is_dir() else path.parent
        by_repository.setdefault(_toplevel(folder), []).append(str(resolved(path)))
    ranges: dict[Path, list[range]] = {}
    new: set[Path] = set()
    for top, members in by_repository.items():
        _verify(top, ref)
        diff = _git(
            top,
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--find-renames",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            "--end-of-options",
            ref,
            "--",
            *members,
        )
        for name, found in parse_diff(diff).items():
            ranges[resolved(top / name)] = found
        untracked = _git(top, "ls-files", "-z", "--others", "--exclude-standard", "--", *members)
        new.update(resolved(top / name) for name in untracked.split("\0") if name)
    return ChangedLines(ranges, frozenset(new))


def only_changed(report: LintReport, changes: ChangedLines) -> LintReport:
    """``report`` with only the findings that touch a changed line."""
    files = []
    for result in report.files:
        lines = changes.lines(Path(result.path))
        kept = tuple(
            finding
            for finding in result.findings
            if finding.code in _FILE_LEVEL
            or any(r.start <= finding.end_line and finding.line < r.stop for r in lines)
        )
        files.append(replace(result, findings=kept))
    return replace(report, files=tuple(files))


def _toplevel(folder: Path) -> Path:
    refused = f"{folder} is not in a git repository"
    return Path(_git(folder, "rev-parse", "--show-toplevel", refused=refused).strip()).resolve()


def _verify(top: Path, ref: str) -> None:
    refused = f"unknown git revision {ref!r} in {top}"
    _git(
        top,
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        f"{ref}^{{commit}}",
        refused=refused,
    )


def _git(cwd: Path, *args: str, refused: str | None = None) -> str:
    """git's output. A failure is a ``DiffBaseError`` (exit 2): ``refused`` when git ran and
    said no and the caller knows what that means, else git's own words."""
    try:
        return git.run(cwd, *args)
    except git.GitError as error:
        if not error.ran:
            raise DiffBaseError(f"--diff-base needs git: {error}") from error
        raise DiffBaseError(refused or str(error)) from error
