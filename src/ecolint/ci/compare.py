"""Base against head: the merge-base, a worktree of it, both linted, findings matched.

Why the merge-base and not the base branch's tip: commits merged into the base branch
after the PR branched off are not the PR's doing (Lighthouse CI's rule). Why
fingerprints and not line numbers: an edit above a finding moves it without changing
it. ``Finding.fingerprint`` hashes the rule, the path and the normalised line with its
neighbours, so identical findings are matched as a multiset: two copies in base and
three in head make one new finding.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

from ecolint import git
from ecolint.ci.model import FindingRef, FindingsDelta, MeasuredRef
from ecolint.config import Settings
from ecolint.lint.files import resolved
from ecolint.results import Finding, LintReport


class CompareError(Exception):
    """Base and head cannot be compared (exit 2): not a repository, a commit missing."""


def has_commit(root: Path, sha: str) -> bool:
    try:
        git.run(root, "cat-file", "-e", f"{sha}^{{commit}}")
    except git.GitError as error:
        if not error.ran:
            raise
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
        return git.run(root, "merge-base", base, head).strip()
    except git.GitError as error:
        if not error.ran:
            raise
        raise CompareError(f"base {base} and head {head} have no common ancestor") from error


def settings_for_tree(settings: Settings, root: Path, tree: Path) -> Settings:
    """The command's settings, read once from the checkout at ``root``, applied to another
    checkout ``tree`` of the same repository: the folders they name inside ``root`` (the
    configuration's, the web audit's) move to the same place in ``tree``.

    Both sides of a comparison are linted and scored with these settings, so a PR that
    changes the configuration is judged by one rule set, not by its base's and its own."""
    if tree == root:
        return settings
    moved = functools.partial(_moved, root=resolved(root), tree=resolved(tree))
    web = settings.web
    return replace(settings, root=moved(settings.root)).with_sections(
        web=replace(web, root=moved(web.root or settings.root))
    )


def _moved(path: Path, root: Path, tree: Path) -> Path:
    """``path`` under ``root`` as the same path under ``tree``; elsewhere, itself."""
    try:
        return tree / resolved(path).relative_to(root)
    except ValueError:
        return path


def lint_tree(
    tree: Path,
    paths: Sequence[str],
    settings: Settings,
    jobs: int | None = None,
    cache_dir: Path | None = None,
) -> LintReport:
    """Lint ``paths`` (relative to ``tree``) with ``settings`` (already for ``tree``, see
    :func:`settings_for_tree`); a path the tree does not have is skipped (a folder added
    by the PR is not in base). Paths are shown relative to ``tree``, so the same file has
    the same name and fingerprint in both trees.

    With one ``cache_dir`` for both trees, a file the PR did not touch (same bytes, same
    relative path, same rules) is linted once: the content cache answers the other tree."""
    from ecolint.lint.runner import lint_paths

    present = [tree / p for p in paths if (tree / p).exists()]
    if not present:
        return LintReport(root=str(tree))
    report = lint_paths(present, settings, jobs=jobs, cache_dir=cache_dir, display_root=tree)
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
        measured=None if finding.measured is None else MeasuredRef(**asdict(finding.measured)),
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
