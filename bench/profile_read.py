"""What ``ecolint check --profile`` adds to a check when the profile is 100 MB (not a test).

Why: a profile recorded for hours on a busy service (``py-spy record --pid``, collapsed
stacks) easily reaches tens of megabytes; joining it to the findings must stay a small
addition to the check (the issue's target: at most 2 s for 100 MB).

The linted project is the bundled example (``examples/``), copied to a temporary folder.
The profile is generated (seeded): collapsed stacks as py-spy writes them with
``--full-filenames``, recorded in a container whose project folder was ``/app``: 8 to 40
frames deep, mostly frames of installed packages and of the standard library around
frames of the project's files at real line numbers, one distinct stack per line, until the
file reaches ``--size-mb``. It is synthetic on purpose: it measures reading and joining
at a size no test records, while tests/profiles/ checks the figures on real py-spy output.

Both commands run as whole processes on a warm cache (the lint itself is then nearly
free, so the difference is the profile's), paired and interleaved ``--rounds`` times;
then the same work in one process, phase by phase (read, join).

    .venv/bin/python bench/profile_read.py
    .venv/bin/python bench/profile_read.py --size-mb 20 --rounds 3
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ECOLINT = [sys.executable, "-m", "ecolint"]
RECORDED_ROOT = "/app"


def frame_pools(project: Path, rng: random.Random) -> tuple[list[str], list[str]]:
    """Frames of the project's files (real line numbers), and of everything else."""
    own = []
    for path in sorted(project.rglob("*.py")):
        relative = path.relative_to(project).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        own += [f"f{i} ({RECORDED_ROOT}/{relative}:{rng.randint(1, lines)})" for i in range(40)]
    site = "/usr/local/lib/python3.11/site-packages"
    packages = ["django", "requests", "urllib3", "sqlalchemy", "pydantic", "celery", "redis"]
    other = [
        f"{name}_{i} ({site}/{rng.choice(packages)}/m{i % 300}/s{i % 17}.py:{rng.randint(1, 900)})"
        for i, name in enumerate(rng.choices(["get", "run", "handle", "call", "wrap"], k=3000))
    ]
    other += [
        f"std_{i} (/usr/local/lib/python3.11/lib{i % 40}.py:{rng.randint(1, 2000)})"
        for i in range(600)
    ]
    return own, other


def write_profile(target: Path, project: Path, size_mb: float, seed: int = 14) -> int:
    rng = random.Random(seed)
    own, other = frame_pools(project, rng)
    roots = [f"<module> ({RECORDED_ROOT}/manage.py:22)", "main (/usr/local/bin/gunicorn:8)"]
    limit = int(size_mb * 1_000_000)
    written = lines = 0
    with target.open("w", encoding="utf-8") as handle:
        while written < limit:
            depth = rng.randint(8, 40)
            stack = [rng.choice(roots)]
            stack += [
                rng.choice(own) if rng.random() < 0.15 else rng.choice(other) for _ in range(depth)
            ]
            line = f"{';'.join(stack)} {rng.randint(1, 50)}\n"
            handle.write(line)
            written += len(line)
            lines += 1
    return lines


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - started


def phases(project: Path, profile: Path) -> dict[str, float]:
    """The same work in this process: lint (cached), read the profile, join it."""
    sys.path.insert(0, str(REPO / "src"))
    from ecolint.config import load_settings
    from ecolint.energy.meters import cpu_time_model
    from ecolint.lint.cache import default_cache_dir
    from ecolint.lint.runner import lint_paths
    from ecolint.profiles.join import measure
    from ecolint.profiles.paths import PathMap
    from ecolint.profiles.read import read_profile

    settings = load_settings(None, start=project)
    spent: dict[str, float] = {}
    started = time.perf_counter()
    report = lint_paths([project], settings=settings, cache_dir=default_cache_dir(project))
    spent["lint (warm cache)"] = time.perf_counter() - started
    started = time.perf_counter()
    read = read_profile(profile)
    spent["read the profile"] = time.perf_counter() - started
    started = time.perf_counter()
    paths = PathMap(project, [result.path for result in report.files], [RECORDED_ROOT])
    joined = measure(report, [read], paths, cpu_time_model(2.0))
    spent["join (map paths, fold stacks, measure findings)"] = time.perf_counter() - started
    hot = sum(1 for f in joined.findings if f.measured and f.measured.hot)
    print(
        f"  {len(read.stacks):,} stacks, {len(read.frames):,} distinct frames; {hot} findings hot"
    )
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=100.0)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "project"
        shutil.copytree(
            REPO / "examples", project, ignore=shutil.ignore_patterns(".*", "__pycache__")
        )
        profile = Path(folder) / "profile.txt"
        started = time.perf_counter()
        lines = write_profile(profile, project, options.size_mb)
        size = profile.stat().st_size / 1e6
        took = time.perf_counter() - started
        print(f"profile: {size:.0f} MB, {lines:,} stacks (written in {took:.1f} s)")
        plain = [*ECOLINT, "check", ".", "-q", "--exit-zero"]
        joined = [*plain, "--profile", str(profile), "--profile-root", RECORDED_ROOT]
        timed(plain, project)  # fills the cache
        without, with_profile = [], []
        for _ in range(options.rounds):
            without.append(timed(plain, project))
            with_profile.append(timed(joined, project))
        added = [b - a for a, b in zip(without, with_profile, strict=True)]
        print(f"ecolint check (warm cache)        median {statistics.median(without):6.2f} s")
        label = f"ecolint check --profile ({size:.0f} MB)"
        print(f"{label:<34}median {statistics.median(with_profile):6.2f} s")
        print(
            f"added by the profile              median {statistics.median(added):6.2f} s "
            f"(min {min(added):.2f}, max {max(added):.2f}; target <= 2 s)"
        )
        print("in one process:")
        for phase, seconds in phases(project, profile).items():
            print(f"  {phase:<48} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
