"""``ecolint check`` end to end: exit codes, formats, fixes, selection."""

from __future__ import annotations

import json

import pytest

from helpers import write

SLEEPY = """\
import asyncio
import time


async def poll():
    time.sleep(1)
"""
FIXED = SLEEPY.replace("time.sleep(1)", "await asyncio.sleep(1)")


def test_findings_exit_1_and_show_location_rule_and_code_frame(project, invoke):
    write(project / "app.py", SLEEPY)
    result = invoke("check", "app.py")
    assert result.exit_code == 1
    assert "app.py:6:5: ECO603 [*]" in result.output
    assert "6 |     time.sleep(1)" in result.output
    assert "^^^^^^^^^^^^^" in result.output
    assert (
        "Found 1 finding in 1 of 1 file." in result.output
        and "1 fixable with --fix" in result.output
    )


def test_clean_code_exits_0(project, invoke):
    write(project / "app.py", "x = 1\n")
    result = invoke("check", ".")
    assert result.exit_code == 0
    assert "All checks passed" in result.output


def test_exit_zero_keeps_the_report_but_exits_0(project, invoke):
    write(project / "app.py", SLEEPY)
    result = invoke("check", "--exit-zero")
    assert result.exit_code == 0 and "ECO603" in result.output


def test_a_syntax_error_is_a_finding_exit_1_and_0_with_exit_zero(project, invoke):
    write(project / "bad.py", "def f(:\n")
    assert invoke("check").exit_code == 1
    assert invoke("check", "--exit-zero").exit_code == 0


def test_fix_rewrites_the_file_and_then_it_is_clean(project, invoke):
    app = write(project / "app.py", SLEEPY)
    result = invoke("check", "--fix")
    assert result.exit_code == 0, result.output
    assert app.read_text() == FIXED
    assert "Fixed 1 finding." in result.output


def test_diff_shows_the_fix_without_writing(project, invoke):
    app = write(project / "app.py", SLEEPY)
    result = invoke("check", "--diff")
    assert result.exit_code == 1
    assert "-    time.sleep(1)" in result.output and "+    await asyncio.sleep(1)" in result.output
    assert app.read_text() == SLEEPY


def test_unsafe_fixes_apply_only_with_the_flag(project, invoke):
    source = "def flatten(groups):\n    return sum(groups, [])\n"
    app = write(project / "app.py", source)
    invoke("check", "--fix", "--select", "ECO101")
    assert app.read_text() == source
    invoke("check", "--fix", "--unsafe-fixes", "--select", "ECO101")
    assert "itertools.chain.from_iterable" in app.read_text()


def test_select_and_ignore_by_id_prefix_and_name(project, invoke):
    write(project / "app.py", SLEEPY)
    assert invoke("check", "--select", "ECO1").exit_code == 0
    assert invoke("check", "--select", "ECO6").exit_code == 1
    assert invoke("check", "--ignore", "blocking-sleep-in-async").exit_code == 0
    assert invoke("check", "--select", "ECO101,ECO603").exit_code == 1


def test_unknown_rule_on_the_command_line_is_a_usage_error(project, invoke):
    result = invoke("check", "--select", "ECO999")
    assert result.exit_code == 2
    assert "unknown rule selector 'ECO999'" in result.output


def test_statistics_prints_counts_per_rule(project, invoke):
    write(project / "a.py", SLEEPY)
    write(project / "b.py", SLEEPY)
    result = invoke("check", "--statistics")
    assert "     2  ECO603  blocking-sleep-in-async  (2 fixable)" in result.output
    assert "a.py:6:5" not in result.output


def test_quiet_prints_one_line_per_finding(project, invoke):
    write(project / "app.py", SLEEPY)
    lines = invoke("check", "-q").output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("app.py:6:5: ECO603")


def test_output_file_receives_the_json_report(project, invoke):
    write(project / "app.py", SLEEPY)
    result = invoke("check", "--format", "json", "--output-file", "out.json")
    assert result.output == ""
    document = json.loads((project / "out.json").read_text())
    assert document["summary"]["findings"] == 1


def test_exclude_from_the_command_line_replaces_the_config(project, invoke):
    write(project / "gen" / "app.py", SLEEPY)
    assert invoke("check", "--extend-exclude", "gen").exit_code == 0
    assert invoke("check", "--exclude", "gen").exit_code == 0
    assert invoke("check").exit_code == 1


def test_parallel_and_serial_runs_give_the_same_report(project, invoke):
    for index in range(40):
        write(project / f"m{index}.py", SLEEPY if index % 3 else "x = 1\n")
    serial = invoke("check", "--format", "json", "--jobs", "1").output
    parallel = invoke("check", "--format", "json", "--jobs", "2").output
    assert json.loads(serial)["findings"] == json.loads(parallel)["findings"]
    assert json.loads(serial)["summary"]["findings"] == 26


@pytest.mark.slow
def test_the_real_command_reports_and_exits_like_the_runner(project, run_ecolint):
    write(project / "app.py", SLEEPY)
    completed = run_ecolint("check", "app.py", "--format", "json", cwd=project)
    assert completed.returncode == 1, completed.stderr
    assert json.loads(completed.stdout)["findings"][0]["code"] == "ECO603"


@pytest.mark.slow
def test_the_real_command_exits_2_on_a_broken_config(project, run_ecolint):
    write(project / "pyproject.toml", "[tool.ecolint\nselect = [")
    write(project / "app.py", "x = 1\n")
    completed = run_ecolint("check", ".", cwd=project)
    assert completed.returncode == 2
    assert "invalid TOML" in completed.stderr


def test_fix_keeps_the_file_encoding_bom_and_line_endings(project, invoke):
    bom = project / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbf" + SLEEPY.replace("\n", "\r\n").encode())
    latin = project / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\n" + SLEEPY.encode() + b'NAME = "caf\xe9"\n')
    assert invoke("check", "--fix").exit_code == 0
    assert bom.read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode()
    assert latin.read_bytes().endswith(b'NAME = "caf\xe9"\n')
    assert b"await asyncio.sleep(1)" in latin.read_bytes()


UNSAFE_ONLY = """\
def double(rows):
    out = []
    for row in rows:
        out.append(row * 2)
    return out
"""


def test_unsafe_fixes_are_counted_apart_and_the_hint_follows_the_flags(project, invoke):
    """An unsafe-only fix is not "fixable" with --fix; with --unsafe-fixes the hint says
    --fix applies it instead of pointing at the flag already given."""
    write(project / "app.py", UNSAFE_ONLY)
    plain = invoke("check", "--select", "ECO106", "--statistics", "app.py")
    assert "(1 unsafe fix)" in plain.output and "fixable" not in plain.output
    assert "1 unsafe fix with --fix --unsafe-fixes." in plain.output
    given = invoke("check", "--select", "ECO106", "--unsafe-fixes", "app.py")
    assert "1 fixable with --fix (1 unsafe)." in given.output
    assert "with --fix --unsafe-fixes" not in given.output


def test_no_python_file_is_a_warning_not_a_silent_pass(project, invoke):
    write(project / "docs" / "notes.txt", "not python\n")
    result = invoke("check", "docs")
    assert result.exit_code == 0
    assert "warning: no Python files found in docs" in result.stderr


def test_timings_print_the_time_per_rule_slowest_first(project, invoke):
    write(project / "app.py", SLEEPY)
    result = invoke("check", "--timings", "--select", "ECO603,ECO301", "app.py")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "time per rule over 1 file(s), slowest first:"
    assert "(libcst parse)" in lines[1]
    timed = [line.split() for line in lines[2:-1]]
    assert sorted(row[4] for row in timed) == ["ECO301", "ECO603"]
    spent = [float(row[0]) for row in timed]
    assert spent == sorted(spent, reverse=True)
    assert "time per rule" not in invoke("check", "app.py").stderr
