"""What ``pytest --eco --eco-profile`` costs, and how faithful its profile is: the in-process
sampler that ships against ``py-spy record --pid`` run beside the tests (issue 14).

Overhead: whole processes on a suite, ``pytest --eco`` (A) against
- ``sampler``: ``pytest --eco --eco-profile``, as it ships (where it can run, the main
  thread on SIGPROF every 10 ms of CPU, the other threads from a thread at 20 Hz);
- ``KIND@HZ``: ecolint's ``signal`` or ``thread`` sampler at a given rate
  (``--sampler-kinds``, ``--sampler-rates``; default the thread sampler at 100 Hz, the
  design the issue names), through a small plugin written here;
- ``py-spy``: a plugin written here that starts ``py-spy record --pid <pytest> --format raw
  --rate 100 --nonblocking`` at session start and stops it with SIGINT at session finish,
  waiting for it to write its file (py-spy flushes on SIGINT);
rotated run by run (A B C, B C A, …) after one untimed warm-up each. It prints the
median wall and CPU seconds (pytest and its children, py-spy included), the CPU seconds
the profile holds, and pair by pair the wall and CPU ratios against A, with quartiles.

Suites: ``examples`` (ecolint's example project, 26 tests) and ``cpu`` (200 tests burning
~5 ms of CPU each, as in ``eco_overhead.py``). Other plugins are not auto-loaded.

Fidelity (``--fidelity-runs``): ``tests/profiles/hot_cold.py`` run 5 times under each
design (either sampler started in-process around it; py-spy attached to it by pid, as in
the plugin), then ``ecolint check --extend-select ECO104 --profile`` on it: the share of the hot
finding (target ≥ 70 %) and of the cold one (target < 2 %), min and max over the runs.

    .venv/bin/python bench/eco_profile_overhead.py --pairs 7
    .venv/bin/python bench/eco_profile_overhead.py --suite cpu --sampler-kinds signal,thread \
        --sampler-rates 50,100
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from eco_meter_overhead import Run, quartiles, run
from eco_overhead import BURN_SECONDS, CPU_TESTS, PLUGIN, PYTEST, calibrate, environment, generate

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
HOT_COLD = REPO / "tests" / "profiles" / "hot_cold.py"
HOT_LINE, COLD_LINE = 15, 22  # the ECO104 findings of hot_cold.py
PY_SPY = str(Path(sys.executable).with_name("py-spy"))

PY_SPY_PLUGIN = """\
import os, signal, subprocess
import pytest

class PySpy:
    def pytest_sessionstart(self, session):
        self.process = subprocess.Popen(
            [{py_spy!r}, "record", "--pid", str(os.getpid()), "--format", "raw",
             "--rate", "100", "--nonblocking", "--full-filenames",
             "--output", os.environ["ECO_BENCH_PROFILE"]],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        self.process.send_signal(signal.SIGINT)
        self.process.wait()

def pytest_configure(config):
    config.pluginmanager.register(PySpy(), "bench-py-spy")
"""

SAMPLER_PLUGIN = """\
import os
from pathlib import Path
from pytest_ecolint.profiler import ProfileSession

def pytest_configure(config):
    interval = 1 / float(os.environ["ECO_BENCH_RATE"])
    kind = os.environ["ECO_BENCH_KIND"]
    session = ProfileSession(Path(os.environ["ECO_BENCH_PROFILE"]), interval, kind)
    config.pluginmanager.register(session, "bench-sampler")
"""

# hot_cold.py's program under each design, as one process
SAMPLED_PROGRAM = """\
import runpy, sys
from pathlib import Path
from pytest_ecolint.profiler import make_sampler, write_collapsed
sampler = make_sampler(kind=sys.argv[2])
sampler.start()
runpy.run_path("prog.py", run_name="__main__")
sampler.stop()
write_collapsed(Path(sys.argv[1]), sampler.folded())
"""
SPIED_PROGRAM = """\
import os, runpy, signal, subprocess, sys, time
spy = subprocess.Popen(
    [{py_spy!r}, "record", "--pid", str(os.getpid()), "--format", "raw", "--rate", "100",
     "--nonblocking", "--full-filenames", "--output", sys.argv[1]],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
)
time.sleep(0.5)  # py-spy attaches: the program must not be over before it samples
runpy.run_path("prog.py", run_name="__main__")
spy.send_signal(signal.SIGINT)
spy.wait()
"""


def profiled_seconds(path: Path, units_per_second: float = 100.0) -> float:
    """CPU seconds a collapsed profile holds (counts at 100 per second)."""
    if not path.exists():
        return 0.0
    lines = path.read_text(encoding="utf-8").splitlines()
    return sum(int(line.rpartition(" ")[2]) for line in lines if line.strip()) / 100.0


def variants(
    root: Path, rates: list[float], kinds: list[str]
) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Name → (pytest options, extra environment)."""
    plugins = root / "plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "bench_py_spy.py").write_text(PY_SPY_PLUGIN.format(py_spy=PY_SPY))
    (plugins / "bench_sampler.py").write_text(SAMPLER_PLUGIN)
    found: dict[str, tuple[list[str], dict[str, str]]] = {
        "eco": (["--eco"], {}),
        "sampler": (["--eco", f"--eco-profile={root / 'sampler.txt'}"], {}),
    }
    for kind in kinds:
        for rate in rates:
            profile = str(root / f"{kind}{rate:g}.txt")
            env = {"ECO_BENCH_RATE": str(rate), "ECO_BENCH_PROFILE": profile}
            env["ECO_BENCH_KIND"] = kind
            found[f"{kind}@{rate:g}Hz"] = (["--eco", "-p", "bench_sampler"], env)
    if Path(PY_SPY).exists():
        env = {"ECO_BENCH_PROFILE": str(root / "py-spy.txt")}
        found["py-spy"] = (["--eco", "-p", "bench_py_spy"], env)
    return found


def profile_of(name: str, options: list[str], env: dict[str, str], root: Path) -> Path | None:
    if "ECO_BENCH_PROFILE" in env:
        return Path(env["ECO_BENCH_PROFILE"])
    given = [o for o in options if o.startswith("--eco-profile=")]
    return Path(given[0].split("=", 1)[1]) if given else None


def compare(
    suite: Path, pairs: int, env: dict[str, str], root: Path, rates: list[float], kinds: list[str]
) -> None:
    found = variants(root, rates, kinds)
    env = {**env, "PYTHONPATH": f"{root / 'plugins'}"}
    report = str(root / "energy.json")
    names = list(found)
    commands = {n: [*PYTEST, *PLUGIN, *found[n][0], "--eco-json", report] for n in names}
    envs = {n: {**env, **found[n][1]} for n in names}
    for name in names:  # warm-up: bytecode and page caches
        run(commands[name], suite, envs[name])
    runs: dict[str, list[Run]] = {name: [] for name in names}
    profiled: dict[str, list[float]] = {name: [] for name in names}
    for pair in range(pairs):
        order = names[pair % len(names) :] + names[: pair % len(names)]
        for name in order:
            runs[name].append(run(commands[name], suite, envs[name]))
            profile = profile_of(name, found[name][0], found[name][1], root)
            if profile is not None:
                profiled[name].append(profiled_seconds(profile))
                profile.unlink(missing_ok=True)
    print(f"\n{suite.name}: {pairs} rounds")
    print(
        f"  {'variant':<16} {'wall s':>7} {'CPU s':>7} {'profiled CPU s':>15}"
        f" {'wall ratio to eco (quartiles)':>31} {'CPU ratio to eco (quartiles)':>31}"
    )
    base = runs["eco"]
    for name in names:
        rows = runs[name]
        wall = statistics.median(r.wall for r in rows)
        cpu = statistics.median(r.cpu for r in rows)
        seconds = statistics.median(profiled[name]) if profiled[name] else 0.0
        ratio = quartiles([r.wall / b.wall for r, b in zip(rows, base, strict=True)], 4)
        cpu_ratio = quartiles([r.cpu / b.cpu for r, b in zip(rows, base, strict=True)], 4)
        print(f"  {name:<16} {wall:7.3f} {cpu:7.3f} {seconds:15.2f} {ratio:>31} {cpu_ratio:>31}")


def fidelity(runs: int, root: Path, env: dict[str, str]) -> None:
    project = root / "hot_cold"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.ecolint]\n")
    shutil.copy(HOT_COLD, project / "prog.py")
    programs = {f"{kind} sampler": SAMPLED_PROGRAM for kind in ("signal", "thread")}
    if Path(PY_SPY).exists():
        programs["py-spy"] = SPIED_PROGRAM.format(py_spy=PY_SPY)
    print(f"\nfidelity: hot_cold.py, {runs} runs per design (hot ≥ 70 %, cold < 2 %)")
    for name, program in programs.items():
        hot, cold = [], []
        for _ in range(runs):
            profile = project / f"{name.split()[0]}.txt"
            command = [sys.executable, "-c", program, str(profile), name.split()[0]]
            subprocess.run(command, cwd=project, env=env, check=True, timeout=300)
            check = [
                str(Path(sys.executable).with_name("ecolint")),
                "check",
                "prog.py",
                "--no-cache",
                "--extend-select",
                "ECO104",
                "--profile",
                str(profile),
                "--format",
                "json",
            ]
            result = subprocess.run(check, cwd=project, capture_output=True, text=True)
            shares = {
                f["line"]: (f.get("measured") or {}).get("share", 0.0)
                for f in json.loads(result.stdout)["findings"]
            }
            hot.append(shares.get(HOT_LINE, 0.0))
            cold.append(shares.get(COLD_LINE, 0.0))
        print(
            f"  {name:<14} hot {min(hot):6.1%} to {max(hot):6.1%}   "
            f"cold {min(cold):6.2%} to {max(cold):6.2%}   "
            f"({profiled_seconds(profile):.2f} CPU s in the last profile)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=7, help="rounds (at least 5)")
    parser.add_argument("--suite", choices=["examples", "cpu", "both", "none"], default="both")
    parser.add_argument(
        "--sampler-rates",
        default="100",
        help="comma-separated rates (Hz) of extra sampler rows (default 100), e.g. 50,250",
    )
    parser.add_argument(
        "--sampler-kinds",
        default="thread",
        help="which samplers get those rows: signal, thread or both (signal,thread)",
    )
    parser.add_argument("--fidelity-runs", type=int, default=5, help="0 skips fidelity")
    options = parser.parse_args()
    if options.pairs < 5:
        parser.error("--pairs must be at least 5")
    rates = [float(rate) for rate in options.sampler_rates.split(",") if rate]
    kinds = [kind for kind in options.sampler_kinds.split(",") if kind]
    with tempfile.TemporaryDirectory(prefix="eco-profile-") as folder:
        root = Path(folder)
        env = environment(root / "pycache")
        if options.suite in ("examples", "both"):
            compare(EXAMPLES, options.pairs, env, root, rates, kinds)
        if options.suite in ("cpu", "both"):
            n = calibrate(BURN_SECONDS)
            header = f"N = {n}\n\n\ndef burn():\n    total = 0\n    for i in range(N):\n"
            header += "        total += i * i\n    return total\n"
            suite = generate(root / "cpu", CPU_TESTS, "burn()", header)
            compare(suite, options.pairs, env, root, rates, kinds)
        if options.fidelity_runs:
            fidelity(options.fidelity_runs, root, env)


if __name__ == "__main__":
    main()
