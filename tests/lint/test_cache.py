"""The content cache: a rerun answers from it, and it never returns a stale result."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import write

SLEEPY = "import asyncio, time\n\nasync def f():\n    time.sleep(1)\n"


def entries(project):
    return sorted(
        p.name for p in (project / ".ecolint_cache").rglob("*") if p.is_file() and len(p.name) == 64
    )


def report(invoke, *args):
    result = invoke("check", "--format", "json", "--exit-zero", *args)
    return json.loads(result.output)


def test_a_second_run_gives_the_same_report_from_the_cache(project, invoke):
    for index in range(5):
        write(project / f"m{index}.py", SLEEPY)
    cold = report(invoke)
    assert len(entries(project)) == 5
    assert report(invoke) == cold


def test_after_editing_one_file_only_that_file_is_linted_again(project, invoke):
    for index in range(5):
        write(project / f"m{index}.py", SLEEPY)
    report(invoke)
    before = set(entries(project))
    write(project / "m3.py", SLEEPY + "x = 1\n")
    warm = report(invoke)
    assert len(set(entries(project)) - before) == 1
    assert warm["summary"]["findings"] == 5


def test_a_different_selection_does_not_reuse_results(project, invoke):
    write(project / "app.py", SLEEPY)
    assert report(invoke)["summary"]["findings"] == 1
    assert report(invoke, "--select", "ECO1")["summary"]["findings"] == 0
    assert report(invoke)["summary"]["findings"] == 1


def test_a_corrupt_entry_is_a_miss_not_an_error(project, invoke):
    write(project / "app.py", SLEEPY)
    report(invoke)
    for entry in (project / ".ecolint_cache").rglob("*"):
        if entry.is_file() and len(entry.name) == 64:
            entry.write_bytes(b"not a pickle")
    assert report(invoke)["summary"]["findings"] == 1


def test_no_cache_neither_reads_nor_writes_it(project, invoke):
    write(project / "app.py", SLEEPY)
    report(invoke, "--no-cache")
    assert not (project / ".ecolint_cache").exists()


def test_the_cache_folder_ignores_itself_for_git(project, invoke):
    write(project / "app.py", SLEEPY)
    report(invoke)
    assert (project / ".ecolint_cache" / ".gitignore").read_text().strip().endswith("*")


def test_clean_removes_the_cache(project, invoke):
    write(project / "app.py", SLEEPY)
    report(invoke)
    assert "Removed" in invoke("clean").output
    assert not (project / ".ecolint_cache").exists()
    assert "No cache" in invoke("clean").output


def test_fix_runs_do_not_use_stale_cached_findings(project, invoke):
    app = write(project / "app.py", SLEEPY)
    report(invoke)
    assert invoke("check", "--fix").exit_code == 0
    assert "await asyncio.sleep(1)" in app.read_text()
    assert report(invoke)["summary"]["findings"] == 0


@pytest.mark.slow
def test_two_runs_at_once_both_succeed_with_the_same_report(project):
    for index in range(60):
        write(project / f"m{index}.py", SLEEPY if index % 2 else "x = 1\n")
    command = [sys.executable, "-m", "ecolint", "check", ".", "--format", "json", "-j", "2"]
    runs = [
        subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outputs = [json.loads(run.communicate(timeout=120)[0]) for run in runs]
    assert outputs[0]["findings"] == outputs[1]["findings"]
    assert outputs[0]["summary"]["findings"] == 30
    again = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=120)
    assert json.loads(again.stdout)["findings"] == outputs[0]["findings"]


def test_the_source_stamp_changes_when_any_helper_module_changes(tmp_path):
    import os

    from ecolint.lint.cache import source_stamp

    package = tmp_path / "pack"
    (package / "helpers").mkdir(parents=True)
    (package / "rule.py").write_text("x = 1\n")
    helper = package / "helpers" / "bounds.py"
    helper.write_text("SMALL = 64\n")
    before = source_stamp(package)
    assert source_stamp(package) == before  # stable from one call to the next
    helper.write_text("SMALL = 128\n")
    os.utime(helper, ns=(helper.stat().st_atime_ns, helper.stat().st_mtime_ns + 1_000_000))
    assert source_stamp(package) != before
