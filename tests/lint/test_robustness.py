"""Input real projects hold at scale: very deep code, huge files, symlink loops, FIFOs, and
files deleted or edited while a run is under way. Each gets a finding or a normal result,
never an internal error, a hang or a lost file."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ecolint.config import Settings
from ecolint.lint.engine import Engine
from ecolint.lint.files import discover
from ecolint.lint.runner import display_path, lint_paths
from ecolint_rules.concurrency.blocking_sleep_in_async import BlockingSleepInAsync
from helpers import ECOLINT, write

WASTEFUL = "import asyncio, time\n\nasync def f():\n    time.sleep(1)\n"
DEPTH = 1000


def codes_by_file(tmp_path: Path) -> dict[str, list[str]]:
    report = lint_paths([tmp_path], Settings(root=tmp_path), jobs=1)
    assert list(report.errors) == []
    return {Path(r.path).name: [f.code for f in r.findings] for r in report.files}


def check(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command, with a timeout: a hang fails the test instead of blocking it."""
    return subprocess.run(
        [*ECOLINT, "check", "--format", "json", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def findings(completed: subprocess.CompletedProcess[str]) -> list[tuple[str, str, str]]:
    assert completed.returncode == 1, completed.stderr
    document = json.loads(completed.stdout)
    return sorted((f["path"], f["code"], f["message"]) for f in document["findings"])


@pytest.mark.parametrize(
    "deep",
    [
        pytest.param("x = " + "(" * DEPTH + "1" + ")" * DEPTH + "\n", id="parentheses"),
        pytest.param("x = " + "[" * DEPTH + "]" * DEPTH + "\n", id="lists", marks=pytest.mark.slow),
        pytest.param(
            "".join("    " * level + f"if x{level}:\n" for level in range(DEPTH))
            + "    " * DEPTH
            + "pass\n",
            id="if-blocks",
        ),
    ],
)
def test_a_file_nested_a_thousand_levels_deep_lints_without_an_internal_error(tmp_path, deep):
    write(tmp_path / "deep.py", deep + WASTEFUL)
    write(tmp_path / "good.py", WASTEFUL)
    codes = codes_by_file(tmp_path)
    assert codes["good.py"] == ["ECO603"]
    assert codes["deep.py"] in (["ECO603"], ["ECO001"])


def twenty_megabytes(path: Path) -> int:
    """20 MB of simple lines (inside one string, which libcst parses in a blink), then a
    finding on the last line; returns that line's number."""
    lines = 20_000_000 // len("x = 1\n")
    path.write_bytes(b'DATA = """\n' + b"x = 1\n" * lines + b'"""\n' + WASTEFUL.encode())
    return 1 + lines + 1 + 4


@pytest.mark.slow
def test_a_20_mb_file_is_skipped_with_a_message_naming_the_limit_and_the_key(project):
    twenty_megabytes(project / "big.py")
    write(project / "good.py", WASTEFUL)
    found = findings(check(project, "--no-cache"))
    assert [(path, code) for path, code, _ in found] == [
        ("big.py", "ECO002"),
        ("good.py", "ECO603"),
    ]
    message = found[0][2]
    assert "larger than the 10 MiB limit" in message
    assert "max-file-size" in message


@pytest.mark.slow
def test_a_20_mb_file_is_linted_when_max_file_size_is_raised(project):
    line = twenty_megabytes(project / "big.py")
    write(project / "pyproject.toml", "[tool.ecolint]\nmax-file-size = '30MB'\n")
    document = json.loads(check(project, "--no-cache").stdout)
    assert [(f["code"], f["line"]) for f in document["findings"]] == [("ECO603", line)]


@pytest.mark.slow
def test_raising_max_file_size_lints_a_file_the_cache_remembers_as_skipped(project):
    write(project / "app.py", "x = 1\n" * 100 + WASTEFUL)
    write(project / "pyproject.toml", "[tool.ecolint]\nmax-file-size = 100\n")
    assert [code for _, code, _ in findings(check(project))] == ["ECO002"]
    write(project / "pyproject.toml", "[tool.ecolint]\nmax-file-size = '1MB'\n")
    assert [code for _, code, _ in findings(check(project))] == ["ECO603"]


@pytest.mark.slow
def test_a_symlink_loop_between_two_files_is_reported_and_the_rest_is_linted(tmp_path):
    (tmp_path / "a.py").symlink_to("b.py")
    (tmp_path / "b.py").symlink_to("a.py")
    write(tmp_path / "good.py", WASTEFUL)
    found = findings(check(tmp_path, "--isolated", "."))
    assert [(path, code) for path, code, _ in found] == [
        ("a.py", "ECO002"),
        ("b.py", "ECO002"),
        ("good.py", "ECO603"),
    ]
    assert all("symbolic links" in message for _, code, message in found if code == "ECO002")


@pytest.mark.slow
def test_a_looping_symlink_named_on_the_command_line_is_reported_not_crashed_on(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.ecolint]\n")  # found by walking up from a.py
    (tmp_path / "a.py").symlink_to("b.py")
    (tmp_path / "b.py").symlink_to("a.py")
    found = findings(check(tmp_path, "a.py"))
    assert [(path, code) for path, code, _ in found] == [("a.py", "ECO002")]
    sarif = check(tmp_path, "a.py", "--format", "sarif")
    assert sarif.returncode == 1, sarif.stderr
    assert len(json.loads(sarif.stdout)["runs"][0]["results"]) == 1


@pytest.mark.slow
def test_a_folder_symlink_back_up_the_tree_is_not_followed(tmp_path):
    write(tmp_path / "top.py", WASTEFUL)
    write(tmp_path / "sub" / "inner.py", WASTEFUL)
    (tmp_path / "sub" / "loop").symlink_to("..", target_is_directory=True)
    found = discover([tmp_path], tmp_path, ())
    assert sorted(p.relative_to(tmp_path).as_posix() for p in found.files) == [
        "sub/inner.py",
        "top.py",
    ]
    completed = check(tmp_path, "--isolated", ".")
    assert [(path, code) for path, code, _ in findings(completed)] == [
        ("sub/inner.py", "ECO603"),
        ("top.py", "ECO603"),
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.slow
def test_a_fifo_named_like_a_python_file_is_reported_instead_of_hanging_the_run(tmp_path):
    os.mkfifo(tmp_path / "pipe.py")
    write(tmp_path / "good.py", WASTEFUL)
    found = findings(check(tmp_path, "--isolated", ".", timeout=30))
    assert [(path, code) for path, code, _ in found] == [
        ("good.py", "ECO603"),
        ("pipe.py", "ECO002"),
    ]
    assert "not a regular file" in found[1][2]


def lint_discovered(
    tmp_path: Path, between: Callable[[], object]
) -> dict[str, list[tuple[str, int]]]:
    """Discover, run ``between`` (what happens to the files meanwhile), then lint."""
    engine = Engine([BlockingSleepInAsync()])
    found = discover([tmp_path], tmp_path, ())
    between()
    results = [engine.lint_path(str(p), display_path(p)) for p in found.files]
    assert all(r.errors == () for r in results)
    return {Path(r.path).name: [(f.code, f.line) for f in r.findings] for r in results}


def test_a_file_deleted_between_discovery_and_linting_is_reported_as_unreadable(tmp_path):
    write(tmp_path / "gone.py", WASTEFUL)
    write(tmp_path / "kept.py", WASTEFUL)
    codes = lint_discovered(tmp_path, (tmp_path / "gone.py").unlink)
    assert codes == {"gone.py": [("ECO002", 1)], "kept.py": [("ECO603", 4)]}


def test_a_file_changed_between_discovery_and_linting_is_linted_as_it_now_is(tmp_path):
    write(tmp_path / "app.py", "x = 1\n")

    def edit() -> None:
        write(tmp_path / "app.py", "# edited\n\n" + WASTEFUL)

    assert lint_discovered(tmp_path, edit) == {"app.py": [("ECO603", 6)]}
