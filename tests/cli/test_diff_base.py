"""``ecolint check --diff-base REF``: only findings on lines changed since REF, real git."""

from __future__ import annotations

import json

import pytest

from helpers import git, git_repository, write

TWO_SLEEPS = """\
import asyncio
import time


async def first():
    time.sleep(1)


async def second():
    time.sleep(2)
"""


def lines_reported(result) -> list[tuple[str, int]]:
    return [(f["path"], f["line"]) for f in json.loads(result.output)["findings"]]


@pytest.fixture
def repository(project):
    """The project as a repository whose first commit holds two findings in app.py."""
    git_repository(project)
    write(project / "app.py", TWO_SLEEPS)
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "base")
    return project


def test_without_changes_nothing_is_reported(repository, invoke):
    result = invoke("check", "--diff-base", "HEAD")
    assert result.exit_code == 0, result.output
    assert "All checks passed" in result.output


def test_only_findings_on_lines_changed_since_the_ref_are_reported(repository, invoke):
    app = repository / "app.py"
    app.write_text(TWO_SLEEPS.replace("time.sleep(2)", "time.sleep(3)"))
    result = invoke("check", "--diff-base", "HEAD", "--format", "json")
    assert result.exit_code == 1
    assert lines_reported(result) == [("app.py", 10)]
    assert len(json.loads(invoke("check", "--format", "json").output)["findings"]) == 2


def test_a_new_finding_on_an_added_line_is_reported(repository, invoke):
    app = repository / "app.py"
    app.write_text(TWO_SLEEPS + "\n\nasync def third():\n    time.sleep(3)\n")
    git(repository, "commit", "-q", "-am", "third")
    result = invoke("check", "--diff-base", "HEAD~1", "--format", "json")
    assert lines_reported(result) == [("app.py", 14)]


def test_a_renamed_file_reports_only_its_edited_lines(repository, invoke):
    git(repository, "mv", "app.py", "service.py")
    service = repository / "service.py"
    service.write_text(TWO_SLEEPS.replace("time.sleep(1)", "time.sleep(0.5)"))
    git(repository, "commit", "-q", "-am", "rename and edit")
    result = invoke("check", "--diff-base", "HEAD~1", "--format", "json")
    assert lines_reported(result) == [("service.py", 6)]


def test_an_untracked_file_reports_every_finding(repository, invoke):
    write(repository / "pkg" / "new.py", TWO_SLEEPS)
    result = invoke("check", "--diff-base", "HEAD", "--format", "json")
    assert lines_reported(result) == [("pkg/new.py", 6), ("pkg/new.py", 10)]


def test_a_file_unchanged_since_the_ref_is_not_even_linted(repository, invoke):
    write(repository / "broken.py", "def f(:\n")
    git(repository, "add", "broken.py")
    git(repository, "commit", "-q", "-m", "broken")
    assert invoke("check").exit_code == 1  # ECO001 on a full run
    result = invoke("check", "--diff-base", "HEAD", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["summary"]["files"] == 0


def test_a_file_that_stops_parsing_is_reported_whatever_the_line(repository, invoke):
    (repository / "app.py").write_text("def f(:\n    pass\n" + TWO_SLEEPS[:-1])
    result = invoke("check", "--diff-base", "HEAD", "--format", "json")
    assert [f["code"] for f in json.loads(result.output)["findings"]] == ["ECO001"]


def test_an_unknown_ref_is_a_usage_error(repository, invoke):
    result = invoke("check", "--diff-base", "no-such-branch")
    assert result.exit_code == 2
    assert "unknown git revision 'no-such-branch'" in result.output


def test_a_folder_outside_git_is_a_usage_error(project, invoke):
    write(project / "app.py", TWO_SLEEPS)
    result = invoke("check", "--diff-base", "HEAD")
    assert result.exit_code == 2
    assert "is not in a git repository" in result.output


def test_diff_base_with_fix_is_a_usage_error_and_changes_nothing(repository, invoke):
    app = repository / "app.py"
    app.write_text(TWO_SLEEPS.replace("time.sleep(2)", "time.sleep(3)"))
    before = app.read_text()
    result = invoke("check", "--diff-base", "HEAD", "--fix")
    assert result.exit_code == 2
    assert "cannot be combined" in result.output
    assert app.read_text() == before


@pytest.mark.slow
def test_the_real_command_reports_only_changed_lines(repository, run_ecolint):
    (repository / "app.py").write_text(TWO_SLEEPS.replace("time.sleep(1)", "time.sleep(9)"))
    completed = run_ecolint("check", "--diff-base", "HEAD", "-q", cwd=repository)
    assert completed.returncode == 1, completed.stderr
    assert [line.split(" [")[0] for line in completed.stdout.splitlines()] == ["app.py:6:5: ECO603"]
