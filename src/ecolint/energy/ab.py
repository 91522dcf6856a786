"""``ecolint energy ab``: base and head measured in the same job, interleaved.

Design (``bench/energy_verdicts.py`` checks it catches a real regression and stays quiet
on a no-op change):

- Both revisions are checked out with ``git worktree add --detach`` in a temporary folder
  (:mod:`ecolint.worktrees`), so the user's working tree is never touched; the worktrees
  are removed in ``finally``, also on Ctrl-C and on SIGTERM (which CI sends on cancel).
  Uncommitted changes are not part of any revision: commit them first.
- One untimed warm-up run of each revision (bytecode, assertion-rewriting caches, page
  cache), then K rounds of base then head: B H B H …
- Each run is ``python -m pytest --eco --eco-json <tmp> -q -p no:cacheprovider ARGS`` with
  this interpreter, ``PYTHONHASHSEED=0``, in the worktree (same sub-folder as the caller),
  with the worktree (and its ``src/``) first on ``PYTHONPATH``: an editable install of the
  main checkout would otherwise be what both sides import.
- The noise is calibrated from A/A pairs at no extra run: consecutive runs of the same
  revision (B₂/B₁, B₃/B₂ … and H₂/H₁ …), 2(K − 1) ratios. Such a pair is two slots apart
  where a B/H pair is one, so slow drift counts as noise: the estimate errs on the side of
  "inconclusive".
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecolint import git
from ecolint.atomic import write_atomically
from ecolint.config.ci import AB_ROUNDS
from ecolint.documents import DocumentType
from ecolint.energy.reading import ReportError, load_report
from ecolint.scoring.energy_stats import median
from ecolint.scoring.energy_verdict import Criteria, Verdict, consecutive_ratios, decide
from ecolint.worktrees import worktrees

PYTEST_OK = (0, 1)  # all passed, some failed: either way the CPU was measured
# Version 1 of its own: the energy report's version 2 added the meter and codecarbon's
# figures, none of which a comparison carries.
COMPARISON = DocumentType("energy A/B comparison", 1)


class ABError(Exception):
    """The comparison cannot run: not a repository, unknown revision, pytest broke."""


@dataclass
class Run:
    cpu_s: float
    wall_s: float
    energy_j: float
    gco2e: float
    method: str
    tests: dict[str, float]  # node id → CPU s
    failed: int


@dataclass
class Side:
    ref: str
    sha: str
    runs: list[Run] = field(default_factory=list)

    def tests(self) -> dict[str, list[float]]:
        samples: dict[str, list[float]] = {}
        for run in self.runs:
            for nodeid, cpu in run.tests.items():
                samples.setdefault(nodeid, []).append(cpu)
        return samples

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "sha": self.sha,
            "cpu_s": [run.cpu_s for run in self.runs],
            "energy_j": median([run.energy_j for run in self.runs]),
            "gco2e": median([run.gco2e for run in self.runs]),
            "runs_with_failures": sum(1 for run in self.runs if run.failed),
        }


@dataclass
class ABResult:
    base: Side
    head: Side
    verdict: Verdict
    pytest_args: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The ``comparison`` document: shas, rounds, noise, suite ratio, verdict, tests."""
        return {
            "base_sha": self.base.sha,
            "head_sha": self.head.sha,
            **self.verdict.to_dict(),
            "method": self.base.runs[0].method if self.base.runs else None,
            "base": self.base.to_dict(),
            "head": self.head.to_dict(),
            "design": "B H interleaved after one warm-up run each; noise from consecutive"
            " runs of the same revision",
            "python": sys.version.split()[0],
            "pytest_args": self.pytest_args,
        }


def write_comparison(result: ABResult, path: Path) -> None:
    """The comparison as a versioned JSON document, written atomically (CI renders it)."""
    document = {**COMPARISON.header(), "comparison": result.to_dict()}
    write_atomically(path, json.dumps(document, indent=2) + "\n")


def repository_root(folder: Path) -> Path:
    try:
        return Path(git.run(folder, "rev-parse", "--show-toplevel").strip())
    except git.GitError as error:
        raise ABError(f"not a git repository: {folder}" if error.ran else str(error)) from error


def resolve(root: Path, ref: str) -> str:
    """The commit ``ref`` names; an unknown ref (or one that looks like an option) fails."""
    try:
        sha = git.run(
            root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
        )
    except git.GitError as error:
        raise ABError(f"unknown revision: {ref}" if error.ran else str(error)) from error
    return sha.strip()


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """CI cancels with SIGTERM: turn it into KeyboardInterrupt so ``finally`` cleans up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _environment(tree: Path) -> dict[str, str]:
    paths = [str(tree / "src")] if (tree / "src").is_dir() else []
    paths.append(str(tree))
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    return {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": os.pathsep.join(paths)}


def run_suite(tree: Path, subfolder: Path, report: Path, pytest_args: Sequence[str]) -> Run:
    """One measured pytest session in ``tree``; its report read back."""
    command = [sys.executable, "-m", "pytest", "--eco", "--eco-json", str(report), "-q"]
    command += ["-p", "no:cacheprovider", *pytest_args]
    completed = subprocess.run(
        command, cwd=tree / subfolder, env=_environment(tree), capture_output=True, text=True
    )
    if completed.returncode not in PYTEST_OK:
        output = (completed.stdout + completed.stderr).strip().splitlines()
        tail = "\n".join(output[-15:])
        raise ABError(f"pytest exited with code {completed.returncode}:\n{tail}")
    try:
        loaded = load_report(report)
    except ReportError as error:
        raise ABError(f"pytest wrote no usable energy report: {error}") from error
    session = loaded.session
    return Run(
        cpu_s=session.cpu_s,
        wall_s=session.wall_s,
        energy_j=session.energy_j,
        gco2e=session.gco2e,
        method=session.method,
        tests={nodeid: test.cpu_s for nodeid, test in loaded.tests.items()},
        failed=sum(1 for test in loaded.tests.values() if test.outcome in ("failed", "error")),
    )


def run_ab(
    base: str,
    head: str,
    *,
    rounds: int = AB_ROUNDS,
    pytest_args: Sequence[str] = (),
    criteria: Criteria | None = None,
    folder: Path | None = None,
    warmup: bool = True,
    progress: Callable[[str], None] | None = None,
) -> ABResult:
    """Measure ``base`` and ``head`` in ``rounds`` interleaved rounds and decide."""
    if rounds < 3:
        raise ABError("at least 3 rounds are needed to calibrate the noise")
    folder = (folder or Path.cwd()).resolve()
    root = repository_root(folder)
    try:
        subfolder = folder.relative_to(root.resolve())
    except ValueError:
        subfolder = Path()
    sides = [Side(base, resolve(root, base)), Side(head, resolve(root, head))]
    say = progress or (lambda message: None)
    with _sigterm_as_interrupt(), worktrees(root, [side.sha for side in sides]) as (tmp, trees):
        reports = tmp / "reports"
        reports.mkdir()
        if warmup:
            say("warm-up: one untimed run of each revision…")
            for tree in trees:
                run_suite(tree, subfolder, reports / "warmup.json", pytest_args)
        for number in range(1, rounds + 1):
            for side, tree in zip(sides, trees, strict=True):
                name = f"{'base' if side is sides[0] else 'head'}-{number}.json"
                side.runs.append(run_suite(tree, subfolder, reports / name, pytest_args))
            before, after = sides[0].runs[-1].cpu_s, sides[1].runs[-1].cpu_s
            ratio = f" (×{after / before:.3f})" if before > 0 else ""
            say(f"round {number}/{rounds}: base {before:.3f} s CPU, head {after:.3f} s CPU{ratio}")
    base_side, head_side = sides
    base_cpu = [run.cpu_s for run in base_side.runs]
    head_cpu = [run.cpu_s for run in head_side.runs]
    aa = consecutive_ratios(base_cpu) + consecutive_ratios(head_cpu)
    verdict = decide(base_cpu, head_cpu, base_side.tests(), head_side.tests(), aa, criteria)
    return ABResult(base_side, head_side, verdict, list(pytest_args))
