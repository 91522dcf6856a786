"""What ``pytest --eco`` costs on real test suites nobody here wrote.

``eco_overhead.py`` and ``eco_meter_overhead.py`` measure generated suites; users judge the
plugin on theirs. This runs the suites of real projects of ``fix_safety.PROJECTS`` (the same
checkouts, pinned by the same commits, and the same virtual environments, built by
``fix_safety.py``), as whole processes, in pairs alternated (A B, B A, …; with
``--codecarbon`` the three variants rotate), after one untimed warm-up of each:

- A: ``pytest -p pytest_ecolint.plugin``: ecolint's plugin loaded but inactive;
- B: ``pytest -p pytest_ecolint.plugin --eco``: the default meter (the model on a
  CPU-only Linux machine; the report's meter is checked);
- C (``--codecarbon``): ``pytest -p pytest_ecolint.plugin --eco --eco-meter codecarbon``.

How ecolint reaches a project's environment, without changing it: nothing is installed into
the venvs (``pip install -e`` would register ecolint's ``pytest11`` entry point there and
auto-load it in every later ``fix_safety.py`` run, and codecarbon's dependencies could
upgrade a project's numpy or pandas). Instead ``PYTHONPATH`` holds ``src``, ``pytest_plugin``
and an *overlay*: a temporary folder of symbolic links to the packages of
``ecolint[energy]``'s requirement closure (libcst, click, pathspec, codecarbon and its
dependencies) taken from the running interpreter's environment, except those the project's
venv already holds (the project's own version wins) and any distribution that registers a
pytest plugin. Each suite runs in a copy of the pristine checkout (``CORPUS/../ecoreal``,
made once), whose import root comes first on ``PYTHONPATH``, so the copies
``fix_safety.py`` edits in ``CORPUS/work`` are never read.

Runs are reproducible: ``PYTHONHASHSEED=0``, ``-p no:cacheprovider``, no ``-x``, the
project's own pytest configuration and arguments (``fix_safety.PROJECTS``), bytecode
caches in a temporary ``PYTHONPYCACHEPREFIX`` (written once, as on a normal installation).
The projects' own pytest plugins stay auto-loaded (hypothesis for attrs, anyio for httpx:
their suites need them), as on a user's machine.

Reading the output, per project: the tests run and the outcome counts; each variant's
median wall and CPU seconds (the process and its children, from ``wait4``); then, pair by
pair, ``B/A`` (and ``C/B``): the wall and CPU ratios, median (quartiles), and the seconds
the variant adds per session and per test (the added seconds divided by the tests run, in
ms). A ratio depends on the suite's length; the seconds added per session do not, and the
ms per test say whether anything is paid per test. The outcome counts of every run must be
equal, and so must their exit statuses (a plugin that changes either is a bug): when they
differ, ``OUTCOMES OR EXIT STATUS CHANGED`` is printed with the tests, from one more run
of each with a junit XML report (a test that also differs between two runs of A is flaky,
and said so). B's and C's JSON reports must count the same tests as pytest (``REPORT
MISMATCH`` otherwise; a module skipped at collection is one skip in pytest's summary and
no test in the report). With ``--codecarbon``, C/B also compares the tests' own clocks
summed from the two reports: what is paid per test, apart from the session's start.

``--instructions``: each variant once under callgrind on the smallest chosen suite (or
``--instructions-project``): instruction counts do not depend on the machine's load, so their
ratio is the noise-free overhead (minutes; callgrind does not follow child processes).

    .venv/bin/python bench/eco_real_suites.py                      # default projects, 7 pairs
    .venv/bin/python bench/eco_real_suites.py --only toolz,flask --codecarbon --pairs 9
    .venv/bin/python bench/eco_real_suites.py --only toolz --pairs 0 --instructions
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eco_meter_overhead import quartiles
from eco_overhead import PLUGIN, instructions
from fix_safety import COPY_IGNORE, CORPUS, PROJECTS, Project, changes, outcomes
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
ECOLINT_PATHS = (ROOT / "src", ROOT / "pytest_plugin")
COPIES = CORPUS.parent / "ecoreal"  # pristine copies the suites run in, outside the repo
# suites that pass here and take 2-60 s; toolz takes about 1 s, networkx about 3 min; attrs
# (~20 s) and pygments (~30 s) fit too, left out of the default only to keep a run short
DEFAULT = ("more-itertools", "boltons", "flask", "httpx")
VARIANTS = {
    "A": [],  # the plugin alone, inactive
    "B": ["--eco"],
    "C": ["--eco", "--eco-meter", "codecarbon"],
}
# pytest in process under cProfile, on the process's CPU clock (python -m cProfile: wall)
PROFILED = """import cProfile, sys, time
import pytest
profile = cProfile.Profile(time.process_time)
try:
    profile.runcall(pytest.main, sys.argv[2:])
finally:
    profile.dump_stats(sys.argv[1])
"""
COUNTED = ("passed", "failed", "skipped", "xfailed", "xpassed", "error")
SUMMARY = re.compile(r"(\d+) (passed|failed|skipped|xfailed|xpassed|errors?|deselected)")


@dataclass
class Run:
    wall: float
    cpu: float
    counts: tuple[tuple[str, int], ...]
    code: int  # pytest's exit status: 0 all passed, 1 some failed
    report: tuple[tuple[str, int], ...] = ()  # outcome counts in the energy report (B, C)
    meter: str | None = None
    tests_cpu: float = 0.0  # the tests' own clocks summed, from the energy report (B, C)
    tests_wall: float = 0.0


@dataclass
class Suite:
    project: Project
    cwd: Path
    python: Path
    env: dict[str, str]
    runs: dict[str, list[Run]] = field(default_factory=dict)

    def median_wall(self) -> float:
        """A's median wall seconds (0 before any run)."""
        return statistics.median(r.wall for r in self.runs["A"]) if self.runs else 0.0

    def command(self, variant: str, extra: tuple[str, ...] = ()) -> list[str]:
        head = [str(self.python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *PLUGIN]
        return [*head, *VARIANTS[variant], *extra, *self.project.tests]


def tests_run(counts: tuple[tuple[str, int], ...]) -> int:
    return sum(n for outcome, n in counts if outcome in COUNTED)


def summary_counts(output: str) -> tuple[tuple[str, int], ...]:
    """Outcome counts from pytest's last summary line (``900 passed, 6 skipped in 5s``)."""
    lines = [line for line in output.splitlines() if re.search(r" in [\d.]+s", line)]
    found = SUMMARY.findall(lines[-1]) if lines else []
    return tuple(sorted((name.rstrip("s") if name == "errors" else name, int(n))
                        for n, name in found))  # fmt: skip


def run(suite: Suite, variant: str) -> Run:
    """One whole pytest process: wall and CPU seconds (with its children), its outcomes."""
    start = time.perf_counter()
    args = suite.command(variant)
    process = subprocess.Popen(
        args, cwd=suite.cwd, env=suite.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    counts = summary_counts(output)
    if code not in (0, 1) or not counts:
        raise SystemExit(f"{' '.join(args)} exited {code}:\n{output[-3000:]}")
    result = Run(wall, usage.ru_utime + usage.ru_stime, counts, code)
    if variant != "A":
        report = json.loads((suite.cwd / ".eco" / "energy.json").read_text())
        result.report = tuple(
            sorted(Counter(t["outcome"] for t in report["tests"].values()).items())
        )
        result.meter = report["session"].get("meter")
        result.tests_cpu = sum(seconds(t, "cpu") for t in report["tests"].values())
        result.tests_wall = sum(seconds(t, "wall") for t in report["tests"].values())
    return result


def seconds(test: dict[str, float], clock: str) -> float:
    """A test's clock in a report: ``cpu_ns`` (schema 3) or ``cpu_s`` (1 and 2)."""
    return test[f"{clock}_ns"] / 1e9 if f"{clock}_ns" in test else test[f"{clock}_s"]


def copy(project: Project) -> Path:
    """The pristine checkout copied once into ``COPIES`` (never edited by anyone)."""
    target = COPIES / project.name
    if not target.exists():
        shutil.copytree(CORPUS / project.name, target, ignore=COPY_IGNORE)
    return target


def installed(python: Path) -> set[str]:
    """Canonical names of the distributions in a venv."""
    code = "import importlib.metadata as m\nfor d in m.distributions(): print(d.metadata['Name'])"
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    return {canonicalize_name(name) for name in out.stdout.split()}


def closure(name: str, extras: tuple[str, ...] = ()) -> Iterator[importlib.metadata.Distribution]:
    """A distribution and everything it requires (markers evaluated here), once each."""
    seen: set[str] = set()
    todo = [(name, extras)]
    while todo:
        current, wanted = todo.pop()
        if canonicalize_name(current) in seen:
            continue
        seen.add(canonicalize_name(current))
        dist = importlib.metadata.distribution(current)
        yield dist
        for line in dist.requires or []:
            requirement = Requirement(line)
            environments = [{"extra": extra} for extra in wanted] or [{"extra": ""}]
            if requirement.marker is None or any(
                requirement.marker.evaluate(env) for env in environments
            ):
                todo.append((requirement.name, tuple(requirement.extras)))


def overlay(python: Path, folder: Path) -> Path:
    """Links to the packages ecolint[energy] needs that ``python``'s venv lacks (see the
    module docstring); ecolint itself comes from ``src``, never from its distribution."""
    present = installed(python) | {"ecolint"}
    folder.mkdir(parents=True)
    for dist in closure("ecolint", ("energy",)):
        if canonicalize_name(dist.metadata["Name"]) in present:
            continue
        if any(point.group == "pytest11" for point in dist.entry_points):
            continue
        tops = {Path(str(f)).parts[0] for f in dist.files or []}
        for top in tops - {"..", "__pycache__"}:
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not top.endswith(".pth") and not (folder / top).exists():
                (folder / top).symlink_to(source)
    return folder


def environment(project: Project, cwd: Path, extra: Path, pycache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    import_root = cwd / "src" if (cwd / "src").is_dir() else cwd
    paths = [import_root, *ECOLINT_PATHS, extra]
    return {
        **env,
        **project.env,
        "PYTHONPATH": os.pathsep.join(map(str, paths)),
        "PYTHONPYCACHEPREFIX": str(pycache),
        "PYTHONHASHSEED": "0",
    }


def prepare(project: Project, scratch: Path) -> Suite:
    python = CORPUS / "venvs" / project.name / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"{python} missing: run bench/fix_safety.py --only {project.name}")
    cwd = copy(project)
    extra = overlay(python, scratch / "overlay" / project.name)
    env = environment(project, cwd, extra, scratch / "pycache")
    return Suite(project, cwd, python, env)


def measure(suite: Suite, variants: list[str], pairs: int) -> None:
    for variant in variants:  # warm-up: bytecode and page caches
        run(suite, variant)
    suite.runs = {variant: [] for variant in variants}
    for pair in range(pairs):
        order = variants[pair % len(variants) :] + variants[: pair % len(variants)]
        for variant in order:
            suite.runs[variant].append(run(suite, variant))


def compared(name: str, runs: list[Run], base: list[Run], tests: int) -> list[str]:
    paired = list(zip(runs, base, strict=True))
    added_wall = [r.wall - b.wall for r, b in paired]
    added_cpu = [r.cpu - b.cpu for r, b in paired]
    return [
        f"  {name}: median (quartiles), pair by pair",
        f"    wall ratio        {quartiles([r.wall / b.wall for r, b in paired], 4)}",
        f"    CPU ratio         {quartiles([r.cpu / b.cpu for r, b in paired], 4)}",
        f"    added wall s      {quartiles(added_wall)}",
        f"    added CPU s       {quartiles(added_cpu)}",
        f"    wall ms per test  {quartiles([s * 1000 / tests for s in added_wall], 4)}",
        f"    CPU ms per test   {quartiles([s * 1000 / tests for s in added_cpu], 4)}",
    ]


def own_clocks(runs: list[Run], base: list[Run]) -> list[str]:
    """What is paid per test, apart from the session's start and end (the target of at most
    1 %): the tests' own CPU and wall seconds, summed from each report, pair by pair."""
    paired = list(zip(runs, base, strict=True))
    return [
        "    the tests' own clocks summed (from the reports):",
        f"      CPU ratio       {quartiles([r.tests_cpu / b.tests_cpu for r, b in paired], 4)}",
        f"      wall ratio      {quartiles([r.tests_wall / b.tests_wall for r, b in paired], 4)}",
    ]


def outcome_check(suite: Suite) -> list[str]:
    """Loud lines when a variant's outcomes or report differ from A's, naming the tests."""
    lines = []
    counts = {v: {(r.counts, r.code) for r in runs} for v, runs in suite.runs.items()}
    if any(found != counts["A"] or len(found) > 1 for found in counts.values()):
        lines.append(f"  OUTCOMES OR EXIT STATUS CHANGED: {counts}")
        lines += named_changes(suite, [v for v in suite.runs if v != "A"])
    for variant, runs in suite.runs.items():
        mismatches = {(r.report, r.counts) for r in runs if variant != "A"}
        for found, counted in mismatches:
            if tests_run(found) != tests_run(counted):
                lines.append(f"  REPORT MISMATCH ({variant}): report {dict(found)}, "
                             f"pytest {dict(counted)}")  # fmt: skip
    return lines


def named_changes(suite: Suite, variants: list[str]) -> list[str]:
    """One more run of A (twice: flaky tests) and of each variant, with junit XML."""
    found: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for variant in ["A", "A2", *variants]:
            junit = Path(folder) / f"{variant}.xml"
            args = suite.command(variant[0], (f"--junitxml={junit}",))
            subprocess.run(args, cwd=suite.cwd, env=suite.env, capture_output=True)
            found[variant] = outcomes(junit) if junit.exists() else {}
    flaky = set(changes(found["A"], found["A2"], set()))
    lines = [f"    flaky (A against A): {sorted(flaky)}"] if flaky else []
    flaky_ids = {line.split(": ")[0] for line in flaky}
    for variant in variants:
        for line in changes(found["A"], found[variant], flaky_ids):
            lines.append(f"    {variant}: {line}")
    return lines


def report(suite: Suite) -> None:
    runs = suite.runs
    project = suite.project
    tests = tests_run(runs["A"][0].counts)
    print(f"\n{project.name} @ {project.commit[:10]}: {tests} tests run, "
          f"{len(runs['A'])} pairs; pytest {' '.join(project.tests)}")  # fmt: skip
    print(f"  outcomes (A): {dict(runs['A'][0].counts)}")
    meters = {r.meter for v in runs if v != "A" for r in runs[v]}
    print(f"  meters in the reports: {sorted(m or '?' for m in meters)}")
    print(f"  {'variant':<8} {'wall s':>8} {'CPU s':>8}")
    for variant, rows in runs.items():
        wall = statistics.median(r.wall for r in rows)
        cpu = statistics.median(r.cpu for r in rows)
        print(f"  {variant:<8} {wall:8.3f} {cpu:8.3f}")
    print(
        "\n".join(compared("B/A (--eco against the inactive plugin)", runs["B"], runs["A"], tests))
    )
    if "C" in runs:
        print(
            "\n".join(compared("C/B (codecarbon meter against --eco)", runs["C"], runs["B"], tests))
        )
        print("\n".join(own_clocks(runs["C"], runs["B"])))
    problems = outcome_check(suite)
    print("\n".join(problems) if problems else "  outcomes: every run equal; reports match")


def count_instructions(suite: Suite, variants: list[str]) -> None:
    print(f"\ninstructions (callgrind, once each) on {suite.project.name}:")
    for variant in variants:  # bytecode caches written first, as before the timed pairs
        run(suite, variant)
    counts = {}
    for variant in variants:
        counts[variant] = instructions(suite.command(variant), suite.cwd, suite.env, check=False)
        print(
            f"  {variant}: {counts[variant]:>16,}  ratio to A {counts[variant] / counts['A']:.4f}"
        )
    if "C" in counts:
        print(f"  C/B: {counts['C'] / counts['B']:.4f}")


def attribute(suite: Suite, variant: str, top: int = 12) -> None:
    """Where B's (or C's) time in ecolint goes, from one run under cProfile: each hook of
    the plugin that pytest calls (from outside ecolint: pluggy, or a generator's resumption
    for hook wrappers) and the plugin's import, with what they
    call (imports done on first use, codecarbon, json, the clocks): together, everything
    ecolint does in the process. The import, ``pytest_addoption`` and the first lines of
    ``pytest_configure`` run in A too. The profiler's clock is the process's CPU time, so
    co-tenants' load does not land in it, but cProfile slows every Python call, per-test
    hooks more than one-off work: read the shares, not the seconds."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "profile"
        python, _, _, *rest = suite.command(variant)  # python -m pytest ...
        args = [python, "-c", PROFILED, str(out), *rest]
        subprocess.run(args, cwd=suite.cwd, env=suite.env, capture_output=True, check=False)
        stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    ours = tuple(str(path) for path in ECOLINT_PATHS)
    entries: dict[str, list[float]] = {}
    for (path, line, name), (_, _, _, _, callers) in stats.items():
        if not path.startswith(ours):
            continue
        for (caller_path, _, _), (calls, _, _, cumulative) in callers.items():
            entry = name.startswith("pytest_") or (  # a hook, or the plugin's import
                name == "<module>" and path.endswith("plugin.py")
            )
            if entry and not caller_path.startswith(ours):
                key = f"{Path(path).relative_to(ROOT)}:{line} {name}"
                counted = entries.setdefault(key, [0, 0.0])
                counted[0] += calls
                counted[1] += cumulative
    total = sum(seconds for _, seconds in entries.values())
    print(f"\n{suite.project.name}, {variant} under cProfile: {total:.3f} s in ecolint's code")
    for key, (calls, seconds) in sorted(entries.items(), key=lambda e: -e[1][1])[:top]:
        print(f"  {seconds:8.3f} s {seconds / total:6.1%} {calls:>7} calls  {key}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(DEFAULT), help="comma-separated projects")
    parser.add_argument("--pairs", type=int, default=7, help="pairs per project (>= 7, or 0)")
    parser.add_argument("--codecarbon", action="store_true", help="also C: the codecarbon meter")
    parser.add_argument("--instructions", action="store_true", help="callgrind on one suite")
    parser.add_argument("--instructions-project", help="default: the fastest suite measured")
    parser.add_argument(
        "--attribute", action="store_true", help="cProfile: which ecolint code B's time is in"
    )
    options = parser.parse_args()
    if 0 < options.pairs < 7:
        parser.error("--pairs must be at least 7 (or 0: only --instructions)")
    if options.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind")
    names = options.only.split(",")
    known = {project.name: project for project in PROJECTS}
    if unknown := [name for name in names if name not in known]:
        parser.error(f"unknown projects {unknown}; known: {sorted(known)}")
    variants = ["A", "B", "C"] if options.codecarbon else ["A", "B"]
    with tempfile.TemporaryDirectory(prefix="eco-real-") as folder:
        suites = {name: prepare(known[name], Path(folder)) for name in names}
        for suite in suites.values():
            if options.pairs:
                measure(suite, variants, options.pairs)
                report(suite)
        if options.attribute:
            for suite in suites.values():
                for variant in variants[1:]:
                    attribute(suite, variant)
        if options.instructions:
            target = options.instructions_project or min(
                suites, key=lambda n: suites[n].median_wall()
            )
            count_instructions(suites.get(target) or prepare(known[target], Path(folder)), variants)


if __name__ == "__main__":
    main()
