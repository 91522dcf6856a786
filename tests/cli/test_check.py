"""``ecolint check`` end to end: exit codes, formats, fixes, selection."""

from __future__ import annotations

import json

from conftest import write

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
    assert "Found 1 finding(s)" in result.output and "1 fixable with --fix" in result.output


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
    assert "Fixed 1 finding(s)" in result.output


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


def test_the_real_command_reports_and_exits_like_the_runner(project, run_ecolint):
    write(project / "app.py", SLEEPY)
    completed = run_ecolint("check", "app.py", "--format", "json", cwd=project)
    assert completed.returncode == 1, completed.stderr
    assert json.loads(completed.stdout)["findings"][0]["code"] == "ECO603"


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
