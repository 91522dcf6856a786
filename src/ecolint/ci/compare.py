"""Base against head: the merge-base, a worktree of it, both linted, findings matched.

Why the merge-base and not the base branch's tip: commits merged into the base branch
after the PR branched off are not the PR's doing (Lighthouse CI's rule). Why
fingerprints and not line numbers: an edit above a finding moves it without changing
it. ``Finding.fingerprint`` hashes the rule, the path and the normalised line with its
neighbours, so identical findings are matched as a multiset: two copies in base and
three in head make one new finding.
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ecolint.ci.model import FindingRef, FindingsDelta
from ecolint.results import Finding, LintReport


class CompareError(Exception):
    """Base and head cannot be compared (exit 2): not a repository, a commit missing."""


def git(root: Path, *args: str) -> str:
    try:
        completed = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=300
        )
    except FileNotFoundError as error:
        raise CompareError("git is not installed (ecolint ci needs it)") from error
    if completed.returncode != 0:
        raise CompareError(completed.stderr.strip() or f"git {args[0]} failed")
    return completed.stdout.strip()


def has_commit(root: Path, sha: str) -> bool:
    try:
        git(root, "cat-file", "-e", f"{sha}^{{commit}}")
    except CompareError:
        return False
    return True


def merge_base(root: Path, base: str, head: str) -> str:
    """The commit the PR branched from; a clear error when the clone is too shallow."""
    for sha in (base, head):
        if not has_commit(root, sha):
            raise CompareError(
                f"commit {sha} is not in the clone at {root}: check the repository out with "
                "`fetch-depth: 0` (actions/checkout) so base and head can be compared"
            )
    try:
        return git(root, "merge-base", base, head)
    except CompareError as error:
        raise CompareError(f"base {base} and head {head} have no common ancestor") from error


@contextmanager
def working_folder(folder: Path) -> Iterator[None]:
    """Lint paths are shown relative to the working folder, and fingerprints include
    them: both trees are linted from their own root so the same file has the same path."""
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def lint_tree(
    tree: Path,
    paths: Sequence[str],
    config: str | None,
    jobs: int | None = None,
    cache_dir: Path | None = None,
) -> LintReport:
    """Lint ``paths`` (relative to ``tree``) with the configuration found in ``tree``; a
    path the tree does not have is skipped (a folder added by the PR is not in base).

    With one ``cache_dir`` for both trees, a file the PR did not touch (same bytes, same
    relative path, same rules) is linted once: the content cache answers the other tree."""
    from ecolint.config import load_settings
    from ecolint.lint.runner import lint_paths

    with working_folder(tree):
        present = [Path(p) for p in paths if (tree / p).exists()]
        if not present:
            return LintReport(root=str(tree))
        config_path = Path(config) if config and (tree / config).is_file() else None
        settings = load_settings(config_path, start=present[0])
        report = lint_paths(present, settings, jobs=jobs, cache_dir=cache_dir)
    return replace(report, root=str(tree))


def _key(finding: Finding | FindingRef) -> str:
    return finding.fingerprint or f"{finding.code}\0{finding.path}\0{finding.message}"


def reference(finding: Finding) -> FindingRef:
    return FindingRef(
        code=finding.code,
        name=finding.name,
        path=finding.path,
        line=finding.line,
        column=finding.column,
        message=finding.message,
        severity=finding.severity,
        fingerprint=finding.fingerprint,
    )


def match_findings(base: Sequence[Finding] | None, head: Sequence[Finding]) -> FindingsDelta:
    """New, fixed and unchanged findings; without a base every head finding is counted,
    none is called new."""
    if base is None:
        return FindingsDelta(unchanged=len(head), base_total=None, head_total=len(head))
    new = _unmatched(head, base)
    return FindingsDelta(
        new=new,
        fixed=_unmatched(base, head),
        unchanged=len(head) - len(new),
        base_total=len(base),
        head_total=len(head),
    )


def _unmatched(findings: Sequence[Finding], others: Sequence[Finding]) -> tuple[FindingRef, ...]:
    """The ``findings`` left over once each of ``others`` has cancelled one with its key."""
    remaining = Counter(_key(finding) for finding in others)
    left = []
    for finding in findings:
        key = _key(finding)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            left.append(reference(finding))
    return tuple(left)
