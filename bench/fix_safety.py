"""Do ecolint's fixes break code? Every fix, unsafe ones included, on projects with test suites.

For each project below: copy the pristine checkout to a work copy, run its test suite, apply
``ecolint check --select ALL --show-all --fix --unsafe-fixes`` to the whole copy (tests
included), run the suite again and compare the outcome of every test (junit XML). A fix is
safe only if no test changes. When a suite changes, the fixes are applied again one rule at a
time (``--select CODE``) to name the rule responsible, print the tests it changed and the
diff of its fixes. Tests whose outcome differs between two runs without fixes are flaky and
left out. A benchmark, not a test: run it by hand, ``.venv/bin/python bench/fix_safety.py``
(about 40 minutes on 2 cores, more when a suite changes) writes ``bench/fix_safety.md``;
``--only httpx,toolz`` checks a few projects and writes nothing.

Obtaining the projects (once; nothing here downloads them): for each row of ``PROJECTS``,
``git clone URL CORPUS/NAME && git -C CORPUS/NAME checkout COMMIT``, with CORPUS
``../corpus/fixsafety`` (beside the checkout) or the folder given with ``--corpus``. The
script never edits them: it works in ``CORPUS/work/NAME``. Each project gets a virtual
environment in ``CORPUS/venvs/NAME`` (created on first use, reused after; delete it to
reinstall) holding the work copy installed in editable mode and its test dependencies from
PyPI, taken from the project's own test requirements (tox, dependency groups or requirements
files).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "fix_safety.md"
CORPUS = HERE.parents[1] / "corpus" / "fixsafety"  # beside the checkout, never inside it
COPY_IGNORE = shutil.ignore_patterns(".git", "__pycache__", ".tox", ".hypothesis", "*.pyc")


@dataclass(frozen=True)
class Project:
    name: str
    repo: str  # owner/name on GitHub
    commit: str
    deps: tuple[str, ...]  # test dependencies, from the project's own test requirements
    tests: tuple[str, ...]  # pytest arguments, relative to the checkout
    extras: str = ""  # the project's own extras to install with it
    exclude: tuple[str, ...] = ()  # test data that must not be edited (golden inputs)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repo}"


# fmt: off
PROJECTS = (
    Project("more-itertools", "more-itertools/more-itertools",
            "2fe1b2eeb9d75f994113fe3ac76d14b6bcd6fb10",
            ("pytest",), ("tests", "--doctest-modules", "more_itertools")),
    Project("boltons", "mahmoud/boltons", "967864f89791509f9eb36b22b4579d36b72a6df2",
            ("pytest>=8",), ("--doctest-modules", "boltons", "tests")),
    Project("toolz", "pytoolz/toolz", "568c2b8393973cd172a466546c9d95779c452438",
            ("pytest",), ("toolz",)),
    Project("attrs", "python-attrs/attrs", "c1dc5dcba16ed827aa6dcad896b41a3afedb4e32",
            ("pytest>9", "hypothesis", "pympler", "cloudpickle"),
            ("tests", "--hypothesis-seed=0"),
            env={"SETUPTOOLS_SCM_PRETEND_VERSION": "26.1.0"}),  # hatch-vcs without .git
    Project("flask", "pallets/flask", "2ac89889f4cc330eabd50f295dcef02828522c69",
            ("pytest==9.0.2", "asgiref", "greenlet", "python-dotenv"),  # pytest: uv.lock's
            ("tests",)),
    # test_write_timeout: a 1 µs timeout on a 100 MB body passes or fails with the load
    Project("httpx", "encode/httpx", "ae1b9f66238f75ced3ced5e4485408435de10768",
            ("pytest", "chardet==5.2.0", "cryptography", "trio", "trustme", "uvicorn"),
            ("tests", "--deselect=tests/test_timeouts.py::test_write_timeout"),
            extras="brotli,cli,http2,socks,zstd"),
    # networkx 3.5: the later releases need Python 3.12
    Project("networkx", "networkx/networkx", "4fa222d2fb157e1b7f8c753c9f92e5907d1ddeb4",
            ("pytest>=7.2", "numpy>=1.25", "scipy>=1.11.2", "pandas>=2.0"),
            ("--doctest-modules", "networkx")),
    Project("pygments", "pygments/pygments", "6a62df1d1fc77af7e9fc61325ef376297cadffbb",
            ("pytest~=8.2", "wcag-contrast-ratio"), ("tests",),
            exclude=("tests/examplefiles", "tests/snippets")),
)
COLUMNS = {"project": "project", "commit": "commit", "rules": "fixes applied per rule",
           "tests": "passed before / after", "changed": "changed tests", "verdict": "verdict"}
# fmt: on


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float | None = None) -> str:
    done = subprocess.run(
        cmd, cwd=cwd, env=env, timeout=timeout, capture_output=True, text=True, check=False
    )
    return done.stdout


def environ(project: Project) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "PYTHONDONTWRITEBYTECODE": "1", **project.env}


def reset(source: Path, work: Path) -> None:
    """A fresh copy of the pristine checkout (the editable install points at it)."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work, ignore=COPY_IGNORE)


def ensure_venv(project: Project, venvs: Path, work: Path) -> Path:
    """The project's venv, created and filled on first use (a marker records what)."""
    venv, spec = venvs / project.name, json.dumps([project.extras, *project.deps])
    python, marker = venv / "bin" / "python", venv / ".fix-safety-installed"
    if marker.exists() and marker.read_text() == spec:
        return python
    print(f"  installing {project.name} and its test dependencies in {venv} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", venv], check=True)
    target = f"{work}[{project.extras}]" if project.extras else str(work)
    pip = [python, "-m", "pip", "install", "-q", "-e", target, *project.deps]
    subprocess.run(pip, check=True, env=environ(project))
    marker.write_text(spec)
    return python


def outcomes(junit: Path) -> dict[str, str]:
    """Test id → passed / failed / error / skipped, from a junit XML report."""
    found: dict[str, str] = {}
    for case in ET.parse(junit).iter("testcase"):
        key = f"{case.get('classname')}::{case.get('name')}"
        tags = {child.tag for child in case}
        state = next((t for t in ("failure", "error", "skipped") if t in tags), "passed")
        while key in found:  # a duplicated id keeps every copy
            key += "+"
        found[key] = {"failure": "failed"}.get(state, state)
    return found


def suite(project: Project, python: Path, work: Path, timeout: float) -> dict[str, str] | None:
    """Every test's outcome, or ``None`` when the suite did not finish."""
    junit = Path(tempfile.mkstemp(suffix=".xml")[1])
    cmd = [str(python), "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    try:
        run([*cmd, f"--junitxml={junit}", *project.tests], work, environ(project), timeout)
        return outcomes(junit) if junit.stat().st_size else None
    except (subprocess.TimeoutExpired, ET.ParseError):
        return None
    finally:
        junit.unlink(missing_ok=True)


def ecolint(project: Project, work: Path, select: str, fix: bool) -> dict:
    """``ecolint check`` on the work copy; its JSON report."""
    with tempfile.TemporaryDirectory() as cache:
        cmd = [sys.executable, "-m", "ecolint", "check", ".", "--select", select, "--show-all"]
        cmd += ["--isolated", "--no-cache", "--cache-dir", cache, "--exit-zero", "--format=json"]
        cmd += [f"--extend-exclude={glob}" for glob in project.exclude]
        cmd += ["--fix", "--unsafe-fixes"] if fix else []
        return json.loads(run(cmd, work, dict(os.environ)))


def fixable(report: dict) -> Counter[str]:
    return Counter(f["code"] for f in report["findings"] if f.get("fix"))


def apply(project: Project, work: Path, select: str) -> Counter[str]:
    """Apply every fix of ``select``; the fixes applied per rule."""
    before = fixable(ecolint(project, work, select, fix=False))
    ecolint(project, work, select, fix=True)
    after = fixable(ecolint(project, work, select, fix=False))
    return +Counter({code: n - after[code] for code, n in before.items()})


def changes(before: dict[str, str], after: dict[str, str], flaky: set[str]) -> list[str]:
    """``test: before -> after`` for each test whose outcome differs (absent: missing),
    except the ``flaky`` ones."""
    keys = sorted(before.keys() | after.keys())
    return [
        f"{key}: {before.get(key, 'missing')} -> {after.get(key, 'missing')}"
        for key in keys
        if before.get(key) != after.get(key) and key not in flaky
    ]


def diff(source: Path, work: Path) -> list[str]:
    lines: list[str] = []
    for path in sorted(work.rglob("*.py")):
        relative = path.relative_to(work)
        old = (source / relative).read_text(errors="replace").splitlines(keepends=True)
        new = path.read_text(errors="replace").splitlines(keepends=True)
        lines += difflib.unified_diff(old, new, f"a/{relative}", f"b/{relative}")
    return lines


def culprits(project: Project, paths: tuple[Path, Path, Path], rules: Counter[str],
             before: dict[str, str], flaky: set[str], timeout: float) -> list[str]:  # fmt: skip
    """Apply each rule's fixes alone; report the rules whose fixes change the suite."""
    source, work, python = paths
    found = []
    for code in sorted(rules):
        reset(source, work)
        apply(project, work, code)
        after = suite(project, python, work, timeout)
        changed = changes(before, after, flaky) if after else ["the suite did not finish"]
        if changed:
            found.append(code)
            print(f"\n  {code} changes {len(changed)} test(s):", *changed[:20], sep="\n    ")
            print("".join(diff(source, work)))
    return found


def check(project: Project, corpus: Path, timeout: float, bisect: bool) -> dict:
    source, work = corpus / project.name, corpus / "work" / project.name
    row = {"project": project.name, "commit": project.commit[:10], "rules": "", "tests": ""}
    if not (source / "pyproject.toml").exists():
        print(f"  missing: git clone {project.url} {source} && "
              f"git -C {source} checkout {project.commit}")  # fmt: skip
        return {**row, "changed": "", "verdict": "not obtained"}
    reset(source, work)
    python = ensure_venv(project, corpus / "venvs", work)
    before = suite(project, python, work, timeout)
    rules = apply(project, work, "ALL")
    after = suite(project, python, work, timeout) if before is not None else None
    row["rules"] = ", ".join(f"{code} {n}" for code, n in sorted(rules.items())) or "none"
    row["fixes"] = rules
    if before is None or after is None:
        return {**row, "changed": "", "verdict": "suite did not finish"}
    passed = [sum(state == "passed" for state in run.values()) for run in (before, after)]
    row["tests"] = f"{passed[0]} / {passed[1]} of {len(before)}"
    changed, flaky = changes(before, after, set()), set()
    if changed:  # a second run of the pristine suite tells the flaky tests apart
        reset(source, work)
        again = suite(project, python, work, timeout) or {}
        flaky = {key for key in before.keys() | again.keys() if before.get(key) != again.get(key)}
        print(f"  flaky (differ between two runs without fixes): {sorted(flaky)}")
        changed = changes(before, after, flaky)
    verdict = "same outcomes" if not changed else "CHANGED"
    if changed:
        print(f"  {len(changed)} test(s) changed with every fix:", *changed[:20], sep="\n    ")
    if changed and bisect:
        guilty = culprits(project, (source, work, python), rules, before, flaky, timeout)
        verdict += f" by {', '.join(guilty)}" if guilty else " (no single rule: flaky?)"
    reset(source, work)
    return {**row, "changed": str(len(changed)), "verdict": verdict, "details": changed}


INTRO = """# Fix safety: every fix applied to real projects, their suites run before and after

Generated by `bench/fix_safety.py` (its docstring says how to obtain the projects):
`ecolint check --select ALL --show-all --fix --unsafe-fixes` on the whole checkout, tests
included. A verdict other than *same outcomes* means a fix changed what the project's own
tests say. Python {python}.

"""


def render(rows: list[dict]) -> str:
    table = ["| " + " | ".join(COLUMNS.values()) + " |", "|" + " --- |" * len(COLUMNS)]
    table += ["| " + " | ".join(row[key] for key in COLUMNS) + " |" for row in rows]
    total = sum(sum(row.get("fixes", Counter()).values()) for row in rows)
    details = [f"- {row['project']}: {line}" for row in rows for line in row.get("details", [])]
    text = INTRO.format(python=sys.version.split()[0]) + "\n".join(table)
    text += f"\n\n{total} fixes applied in all.\n"
    return text + ("\n## Changed tests\n\n" + "\n".join(details) + "\n" if details else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--only", default="", help="comma-separated project names")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per suite run")
    parser.add_argument("--no-bisect", action="store_true", help="do not look for the rule")
    args = parser.parse_args()
    wanted = {name for name in args.only.split(",") if name}
    rows = []
    for project in PROJECTS:
        if wanted and project.name not in wanted:
            continue
        print(f"{project.name} @ {project.commit[:10]}", flush=True)
        rows.append(check(project, args.corpus.resolve(), args.timeout, not args.no_bisect))
        print(f"  {rows[-1]['verdict']}: {rows[-1]['tests']} passed; {rows[-1]['rules']}")
    text = render(rows)
    print("\n" + text)
    if not wanted:  # the table of every project, not of a few
        OUTPUT.write_text(text)


if __name__ == "__main__":
    main()
