"""``ecolint check --stdin-filename PATH -``: editors send the buffer on standard input."""

from __future__ import annotations

import json
import subprocess

import pytest

from helpers import ECOLINT, write

SLEEPY = """\
import asyncio
import time


async def poll():
    time.sleep(1)
"""
FIXED = SLEEPY.replace("time.sleep(1)", "await asyncio.sleep(1)")


def test_stdin_is_reported_under_the_given_filename(project, invoke):
    result = invoke("check", "--stdin-filename", "pkg/app.py", "-", "-q", input=SLEEPY)
    assert result.exit_code == 1
    assert result.output.startswith("pkg/app.py:6:5: ECO603")


def test_the_filename_alone_reads_stdin(project, invoke):
    result = invoke("check", "--stdin-filename", "app.py", "-q", input=SLEEPY)
    assert result.exit_code == 1 and result.output.startswith("app.py:6:5: ECO603")


def test_a_dash_alone_reads_stdin(project, invoke):
    result = invoke("check", "-", "-q", input=SLEEPY)
    assert result.exit_code == 1 and result.output.startswith("-:6:5: ECO603")


def test_clean_stdin_exits_0(project, invoke):
    result = invoke("check", "--stdin-filename", "app.py", input="x = 1\n")
    assert result.exit_code == 0 and "All checks passed (1 file)" in result.output


def test_the_configuration_is_found_from_the_filename_folder(project, invoke):
    write(project / "legacy" / "pyproject.toml", '[tool.ecolint]\nselect = ["ECO1"]\n')
    assert invoke("check", "--stdin-filename", "legacy/app.py", input=SLEEPY).exit_code == 0
    assert invoke("check", "--stdin-filename", "app.py", input=SLEEPY).exit_code == 1


def test_per_file_ignores_apply_to_the_filename(project, invoke):
    write(project / "pyproject.toml", '[tool.ecolint.per-file-ignores]\n"tests/*" = ["ECO603"]\n')
    assert invoke("check", "--stdin-filename", "tests/test_app.py", input=SLEEPY).exit_code == 0
    assert invoke("check", "--stdin-filename", "src/app.py", input=SLEEPY).exit_code == 1


def test_fix_prints_the_fixed_source_and_reports_on_stderr(project, invoke):
    result = invoke("check", "--stdin-filename", "app.py", "--fix", input=SLEEPY)
    assert result.exit_code == 0
    assert result.stdout == FIXED
    assert "Fixed 1 finding." in result.stderr


def test_fix_never_touches_the_file_that_names_the_input(project, invoke):
    app = write(project / "app.py", "on disk\n")
    invoke("check", "--stdin-filename", "app.py", "--fix", input=SLEEPY)
    assert app.read_text() == "on disk\n"


def test_fix_prints_the_input_byte_for_byte_when_nothing_is_fixed(project, invoke):
    source = b"\xef\xbb\xbfdef f(:\r\n    pass\r\n"  # a BOM, CRLF, and it does not parse
    result = invoke("check", "--stdin-filename", "app.py", "--fix", input=source)
    assert result.exit_code == 1
    assert result.stdout_bytes == source
    assert "ECO001" in result.stderr


def test_fix_keeps_a_declared_encoding(project, invoke):
    source = b"# -*- coding: latin-1 -*-\n" + SLEEPY.encode() + b'NAME = "caf\xe9"\n'
    result = invoke("check", "--stdin-filename", "app.py", "--fix", input=source)
    assert result.stdout_bytes.endswith(b'NAME = "caf\xe9"\n')
    assert b"await asyncio.sleep(1)" in result.stdout_bytes


def test_diff_shows_the_fix_under_the_filename(project, invoke):
    result = invoke("check", "--stdin-filename", "app.py", "--diff", input=SLEEPY)
    assert result.exit_code == 1
    assert "+++ b/app.py" in result.output and "+    await asyncio.sleep(1)" in result.output


def test_stdin_with_other_paths_is_a_usage_error(project, invoke):
    write(project / "other.py", SLEEPY)
    result = invoke("check", "--stdin-filename", "app.py", "other.py", input=SLEEPY)
    assert result.exit_code == 2
    assert "standard input is linted alone" in result.output


def test_a_force_excluded_filename_is_not_linted_and_fix_echoes_the_input(project, invoke):
    write(project / "pyproject.toml", '[tool.ecolint]\nextend-exclude = ["generated"]\n')
    args = ("check", "--stdin-filename", "generated/app.py", "--force-exclude")
    assert invoke(*args, input=SLEEPY).exit_code == 0
    result = invoke(*args, "--fix", input=SLEEPY)
    assert result.exit_code == 0 and result.stdout == SLEEPY
    assert invoke("check", "--stdin-filename", "generated/app.py", input=SLEEPY).exit_code == 1


@pytest.mark.slow
def test_the_real_command_reads_stdin_and_prints_the_fix(project):
    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [*ECOLINT, "check", "--stdin-filename", "app.py", *args, "-"],
            cwd=project,
            input=SLEEPY.encode(),
            capture_output=True,
            timeout=120,
        )

    report = run("--format", "json")
    assert report.returncode == 1, report.stderr
    assert json.loads(report.stdout)["findings"][0]["path"] == "app.py"
    fixed = run("--fix")
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout == FIXED.encode()
    assert not (project / "app.py").exists()
