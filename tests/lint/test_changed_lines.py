"""``--diff-base`` lines: parsing git's hunks (pure), then real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecolint.lint.changed_lines import (
    EVERY_LINE,
    ChangedLines,
    DiffBaseError,
    changed_lines,
    only_changed,
    parse_diff,
)
from ecolint.results import FileResult, Finding, LintReport
from helpers import git, git_repository, write


def diff_of(*files: tuple[str, list[str]]) -> str:
    """A ``git diff --unified=0`` text: per file, its ``+++`` name and hunk lines."""
    chunks = []
    for name, body in files:
        chunks += [f"diff --git a/{name} b/{name}", "index 1111111..2222222 100644"]
        chunks += [f"--- a/{name}", f"+++ {name}", *body]
    return "\n".join(chunks) + "\n"


def test_a_hunk_marks_its_new_side_lines_as_changed():
    text = diff_of(("b/app.py", ["@@ -3,2 +3,4 @@ def f():", "-a", "-b", "+a", "+b", "+c", "+d"]))
    assert parse_diff(text) == {"app.py": [range(3, 7)]}


def test_a_hunk_without_a_count_is_one_line():
    assert parse_diff(diff_of(("b/app.py", ["@@ -5 +5 @@", "-x", "+y"]))) == {
        "app.py": [range(5, 6)]
    }


def test_a_pure_deletion_changes_no_line():
    assert parse_diff(diff_of(("b/app.py", ["@@ -4,2 +3,0 @@", "-x", "-y"]))) == {"app.py": []}


def test_a_deleted_file_is_left_out():
    assert parse_diff(diff_of(("/dev/null", ["@@ -1,2 +0,0 @@", "-x", "-y"]))) == {}


def test_every_file_and_hunk_is_kept_apart():
    text = diff_of(
        ("b/a.py", ["@@ -1 +1 @@", "-x", "+y", "@@ -9,0 +10,2 @@", "+p", "+q"]),
        ("b/pkg/b.py", ["@@ -0,0 +1,3 @@", "+1", "+2", "+3"]),
    )
    assert parse_diff(text) == {"a.py": [range(1, 2), range(10, 12)], "pkg/b.py": [range(1, 4)]}


def test_changed_lines_that_look_like_headers_are_content():
    # An added line "++ b/fake.py" shows as "+++ b/fake.py" in the hunk body.
    body = ["@@ -1,0 +1,2 @@", "+++ b/fake.py", "--- a/fake.py", "@@ -7 +8 @@", "-old", "+new"]
    assert parse_diff(diff_of(("b/real.py", body))) == {"real.py": [range(1, 3), range(8, 9)]}


def test_quoted_and_spaced_names_are_read_back():
    text = diff_of(
        ('"b/tab\\there.py"', ["@@ -1 +1 @@", "-x", "+y"]),
        ("b/with space.py\t", ["@@ -2 +2 @@", "-x", "+y"]),
        ('"b/caf\\303\\251.py"', ["@@ -3 +3 @@", "-x", "+y"]),
    )
    assert set(parse_diff(text)) == {"tab\there.py", "with space.py", "café.py"}


def test_a_finding_is_kept_when_its_span_touches_a_changed_line(tmp_path):
    def finding(line, end_line, code="ECO603"):
        return Finding(str(tmp_path / "a.py"), code, "n", "m", line, 1, end_line, 2)

    result = FileResult(
        str(tmp_path / "a.py"),
        (finding(2, 2), finding(4, 6), finding(7, 7), finding(9, 9, "ECO001")),
    )
    changes = ChangedLines({(tmp_path / "a.py").resolve(): [range(5, 6)]})
    kept = only_changed(LintReport(files=(result,)), changes)
    # 4-6 spans the changed line 5; ECO001 (the file does not parse) is about the file.
    assert [(f.line, f.code) for f in kept.findings] == [(4, "ECO603"), (9, "ECO001")]


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A repository with one commit holding ``app.py`` (ten lines) and ``old.py``."""
    git_repository(tmp_path)
    write(tmp_path / "app.py", "".join(f"line_{n} = {n}\n" for n in range(1, 11)))
    write(tmp_path / "old.py", "".join(f"kept_{n} = {n}\n" for n in range(1, 11)))
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def edit_line(path: Path, number: int, text: str) -> None:
    lines = path.read_text().splitlines(keepends=True)
    lines[number - 1] = text + "\n"
    path.write_text("".join(lines))


def test_unstaged_staged_and_committed_edits_all_count(repository):
    base = git(repository, "rev-parse", "HEAD").strip()
    app = repository / "app.py"
    edit_line(app, 2, "committed = 2")
    git(repository, "commit", "-q", "-am", "edit")
    edit_line(app, 5, "staged = 5")
    git(repository, "add", "app.py")
    edit_line(app, 8, "unstaged = 8")
    changes = changed_lines([repository], base)
    assert changes.lines(app) == (range(2, 3), range(5, 6), range(8, 9))
    assert changes.lines(repository / "old.py") == ()


def test_an_untracked_file_changed_as_a_whole(repository):
    new = write(repository / "pkg" / "new.py", "x = 1\n")
    assert changed_lines([repository], "HEAD").lines(new) == EVERY_LINE


def test_an_ignored_untracked_file_did_not_change(repository):
    write(repository / ".gitignore", "scratch.py\n")
    scratch = write(repository / "scratch.py", "x = 1\n")
    assert changed_lines([repository], "HEAD").lines(scratch) == ()


def test_a_renamed_file_counts_only_its_edited_lines(repository):
    git(repository, "mv", "old.py", "renamed.py")
    edit_line(repository / "renamed.py", 3, "edited = 3")
    git(repository, "add", "renamed.py")
    changes = changed_lines([repository], "HEAD")
    assert changes.lines(repository / "renamed.py") == (range(3, 4),)


def test_only_the_given_paths_are_asked_about(repository):
    edit_line(repository / "app.py", 1, "edited = 1")
    edit_line(repository / "old.py", 1, "edited = 1")
    changes = changed_lines([repository / "app.py"], "HEAD")
    assert changes.lines(repository / "app.py") == (range(1, 2),)
    assert changes.lines(repository / "old.py") == ()


def test_an_unknown_revision_is_an_error(repository):
    with pytest.raises(DiffBaseError, match="unknown git revision 'no-such-branch'"):
        changed_lines([repository], "no-such-branch")


def test_a_revision_that_looks_like_an_option_is_never_read_as_one(repository):
    target = repository / "written.txt"
    with pytest.raises(DiffBaseError, match="unknown git revision"):
        changed_lines([repository], f"--output={target}")
    assert not target.exists()


def test_a_folder_outside_any_repository_is_an_error(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    with pytest.raises(DiffBaseError, match="is not in a git repository"):
        changed_lines([folder], "HEAD")
