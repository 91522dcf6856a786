"""Does the codecarbon meter report what codecarbon itself reports for the same suite?

Two ways to measure one CPU-busy suite (40 tests of 50-100 ms of arithmetic), run side by
side, alternated pair by pair (A B, B A, …) after one untimed warm-up each:

- ``meter``: ``pytest --eco --eco-meter codecarbon`` (ecolint's one tracker per session,
  in a sidecar process that tracks pytest's);
- ``conftest``: plain pytest (ecolint not loaded) with the conftest a codecarbon user would
  write: an ``OfflineEmissionsTracker`` with the meter's settings (process tracking, the
  same country, intensity forced to the same figure, PUE 1, ``measure_power_secs=3600``,
  no output) started in ``pytest_sessionstart`` and stopped in ``pytest_sessionfinish``.

With ``--together`` the two runs of a pair run at the same time (which one is launched
first alternating): both meet the same co-tenant load, so a wall-time term (codecarbon's
RAM power × span) is compared over the same seconds rather than over two moments of a
shared machine's changing load.

For each component codecarbon reports (CPU, GPU, RAM) it prints both medians and the
ratio meter / conftest pair by pair (median and quartiles), and the spans each covers (the
meter's: its tracker's span plus the part of the session before it was ready, which it
back-fills). Target (issue 13): within 5 % per component. A component both report as 0 J
(no GPU here) has no ratio.

    .venv/bin/python bench/eco_meter_agreement.py --pairs 9
    .venv/bin/python bench/eco_meter_agreement.py --pairs 9 --together
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
from pathlib import Path

from eco_overhead import PLUGIN, PYTEST, calibrate, environment

COMPONENTS = ("cpu", "gpu", "ram")
TESTS, FILES = 40, 4
# milliseconds of CPU per test: 50, 62, 75, 87, 100, then again
BURN_MS = (50, 62, 75, 87, 100)
COUNTRY, INTENSITY = "FRA", 56.039  # codecarbon's figure for France, forced on both
Command = tuple[list[str], Path, dict[str, str]]  # arguments, folder, environment

CONFTEST = f'''
"""Inert unless ECO_AGREE_OUT is set: then one codecarbon tracker for the session."""
import json
import os

TRACKER = None


def pytest_sessionstart(session):
    global TRACKER
    if not os.environ.get("ECO_AGREE_OUT"):
        return
    from codecarbon import OfflineEmissionsTracker

    TRACKER = OfflineEmissionsTracker(
        country_iso_code="{COUNTRY}",
        force_carbon_intensity_g_co2e_kwh={INTENSITY},
        pue=1.0,
        tracking_mode="process",
        measure_power_secs=3600,
        output_methods=[],
        log_level="error",
        allow_multiple_runs=True,
        project_name="pytest",
    )
    TRACKER.start()


def pytest_sessionfinish(session, exitstatus):
    if TRACKER is None:
        return
    TRACKER.stop()
    data = TRACKER.final_emissions_data
    figures = {{name: getattr(data, name + "_energy") * 3.6e6 for name in ("cpu", "gpu", "ram")}}
    figures["wall_s"] = data.duration
    with open(os.environ["ECO_AGREE_OUT"], "w") as out:
        json.dump(figures, out)
'''


def make_suite(root: Path) -> Path:
    """40 tests in 4 files, each burning 50-100 ms of CPU (calibrated here)."""
    root.mkdir(parents=True)
    per_ms = calibrate(0.001)
    per_file = TESTS // FILES
    for f in range(FILES):
        lines = [f"N = {per_ms}\n\n\ndef burn(ms):\n    total = 0\n    for i in range(N * ms):"]
        lines.append("        total += i * i\n    return total\n")
        for i in range(per_file):
            ms = BURN_MS[(f * per_file + i) % len(BURN_MS)]
            lines.append(f"\ndef test_{f}_{i}():\n    burn({ms})\n")
        (root / f"test_busy_{f}.py").write_text("\n".join(lines), encoding="utf-8")
    (root / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    return root


def meter_command(suite: Path, env: dict[str, str], out: Path) -> Command:
    args = [*PYTEST, *PLUGIN, "--eco", "--eco-meter", "codecarbon", "--eco-country", COUNTRY]
    return [*args, "--eco-json", str(out)], suite, env


def meter_figures(out: Path) -> dict[str, float]:
    codecarbon = json.loads(out.read_text())["session"]["codecarbon"]
    figures = {name: part["energy_j"] for name, part in codecarbon["components"].items()}
    return {**figures, "wall_s": codecarbon["wall_s"] + codecarbon.get("before_ready_s", 0.0)}


def conftest_command(suite: Path, env: dict[str, str], out: Path) -> Command:
    return PYTEST, suite, {**env, "ECO_AGREE_OUT": str(out)}


def conftest_figures(out: Path) -> dict[str, float]:
    figures: dict[str, float] = json.loads(out.read_text())
    return figures


def run_all(commands: list[Command]) -> None:
    """The commands at once, in this order; each must succeed."""
    running = [
        (
            args,
            subprocess.Popen(
                args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            ),
        )
        for args, cwd, env in commands
    ]
    for args, process in running:
        output, _ = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{output.decode(errors='replace')}")


def quartiles(values: list[float], digits: int = 3) -> str:
    q1, median, q3 = statistics.quantiles(values, n=4)
    return f"{median:.{digits}f} ({q1:.{digits}f} to {q3:.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=9, help="pairs (at least 5)")
    parser.add_argument("--together", action="store_true", help="both runs of a pair at once")
    options = parser.parse_args()
    if options.pairs < 5:
        parser.error("--pairs must be at least 5")
    with tempfile.TemporaryDirectory(prefix="eco-agree-") as folder:
        root = Path(folder)
        env = environment(root / "pycache")
        suite = make_suite(root / "suite")
        outs = {"meter": root / "meter.json", "conftest": root / "conftest.json"}
        commands = {
            "meter": meter_command(suite, env, outs["meter"]),
            "conftest": conftest_command(suite, env, outs["conftest"]),
        }
        readers = {"meter": meter_figures, "conftest": conftest_figures}
        for command in commands.values():  # warm-up: bytecode and page caches
            run_all([command])
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
        for pair in range(options.pairs):
            order = list(commands) if pair % 2 == 0 else list(reversed(commands))
            if options.together:
                run_all([commands[name] for name in order])
            else:
                for name in order:
                    run_all([commands[name]])
            for name in order:
                runs[name].append(readers[name](outs[name]))
    report(runs, options.pairs, options.together)


def report(runs: dict[str, list[dict[str, float]]], pairs: int, together: bool) -> None:
    meter, conftest = runs["meter"], runs["conftest"]
    how = "run together" if together else "alternated"
    print(f"{TESTS} tests of {min(BURN_MS)}-{max(BURN_MS)} ms of CPU, {pairs} pairs {how}")
    print(f"  {'component':<10} {'meter J':>9} {'conftest J':>11}  meter / conftest, median (IQR)")
    for name in (*COMPONENTS, "wall_s"):
        a = [run[name] for run in meter]
        b = [run[name] for run in conftest]
        label = "span s" if name == "wall_s" else name.upper()
        if not any(b):
            ratio = "no ratio (0 J both)" if not any(a) else "conftest reports 0"
        else:
            ratio = quartiles([x / y for x, y in zip(a, b, strict=True)])
        print(f"  {label:<10} {statistics.median(a):9.3f} {statistics.median(b):11.3f}  {ratio}")


if __name__ == "__main__":
    main()
