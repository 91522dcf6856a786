"""What ``ecolint ci`` costs a pull request against one ``ecolint check`` (not a test).

Why: ``ecolint ci`` lints two revisions (the head and a worktree of the merge-base),
scores both and renders the report; on every PR that is CI time, so it should stay a
small multiple of one lint. The corpus is a PR of the bundled example project (the pair
that ``tests/ci/test_example_comment.py`` builds) or, with ``--stdlib``, the standard
library as base and a copy with one changed file as head.

Both commands run as whole processes, paired and interleaved (check, ci, check, ci …),
``--rounds`` times; the table shows medians and the median of the per-round ratios. No
API is called: ``--mode collect``. On a shared machine timings are noisy: read the ratio,
and repeat.

    .venv/bin/python bench/ci_overhead.py --rounds 7
    .venv/bin/python bench/ci_overhead.py --rounds 5 --stdlib
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@ecolint.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@ecolint.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=GIT_ENV, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def build_pair(folder: Path, stdlib: bool) -> tuple[Path, str, str]:
    repo = folder / "repo"
    if stdlib:
        source = Path(sysconfig.get_paths()["stdlib"])
        ignore = shutil.ignore_patterns("test", "tests", "idlelib", "site-packages", "__pycache__")
        shutil.copytree(source, repo / "lib", ignore=ignore, symlinks=True)
        (repo / "pyproject.toml").write_text("[tool.ecolint]\n", encoding="utf-8")
        changed = repo / "lib" / "textwrap.py"
    else:
        shutil.copytree(REPO / "examples", repo, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        changed = repo / "shopstats" / "fetch.py"
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    with changed.open("a", encoding="utf-8") as handle:
        handle.write("\n\ndef fetch_all(ids):\n    out = ''\n    for i in ids:\n        out += i\n")
        handle.write("    return out\n")
    git(repo, "commit", "-q", "-am", "head")
    return repo, base, git(repo, "rev-parse", "HEAD")


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--stdlib", action="store_true", help="the standard library as corpus")
    options = parser.parse_args()
    ecolint = str(Path(sys.executable).parent / "ecolint")
    with tempfile.TemporaryDirectory(prefix="ecolint-ci-bench-") as tmp:
        folder = Path(tmp)
        repo, base, head = build_pair(folder, options.stdlib)
        event = {
            "pull_request": {
                "number": 1,
                "base": {"ref": "main", "sha": base, "repo": {"full_name": "a/b"}},
                "head": {"ref": "feature", "sha": head, "repo": {"full_name": "a/b"}},
            },
            "repository": {"full_name": "a/b", "default_branch": "main"},
        }
        (folder / "event.json").write_text(json.dumps(event), encoding="utf-8")
        env = {
            **os.environ,
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": str(folder / "event.json"),
            "GITHUB_REPOSITORY": "a/b",
            "ECOLINT_ARTIFACT_DIR": str(folder / "artifact"),
        }
        check = [ecolint, "check", ".", "--exit-zero", "-q", "--no-cache"]
        ci = [ecolint, "ci", "--mode", "collect", "--fail-on", "none"]
        timed(check, repo, env), timed(ci, repo, env)  # warm the page cache
        checks, cis = [], []
        for _ in range(options.rounds):
            checks.append(timed(check, repo, env))
            cis.append(timed(ci, repo, env))
    ratios = [c / k for c, k in zip(cis, checks, strict=True)]
    corpus = "standard library" if options.stdlib else "examples/"
    print(f"corpus: {corpus}, {options.rounds} paired rounds (wall time, whole processes)")
    print(f"  ecolint check          median {statistics.median(checks):7.2f} s")
    print(f"  ecolint ci (collect)   median {statistics.median(cis):7.2f} s")
    print(
        f"  ratio ci / check       median {statistics.median(ratios):7.2f}  "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f})"
    )


if __name__ == "__main__":
    main()
