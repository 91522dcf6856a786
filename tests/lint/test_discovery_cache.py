"""The stored discovery: used while its folders stand still, walked again on any change."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from ecolint.lint import discovery_cache
from ecolint.lint.discovery_cache import cached_discover
from ecolint.lint.files import discover
from helpers import write


def names(found, root):
    return sorted(p.resolve().relative_to(root).as_posix() for p in found.files)


def settle(*folders):
    """Date every folder and file below ``folders`` a minute back, as an untouched
    project's are (a recent time is not trusted: see RACY_NS)."""
    past = time.time() - 60
    for top in folders:
        for folder, _, files in os.walk(top):
            for path in (folder, *(os.path.join(folder, name) for name in files)):
                os.utime(path, (past, past))


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    write(root / ".gitignore", "generated/\n")
    for name in ("app.py", "pkg/mod.py", "generated/x.py"):
        write(root / name, "x = 1\n")
    settle(root)
    return root


def run(root, cache):
    return cached_discover([root], root, (".git",), True, cache)


def stored_only(monkeypatch):
    """Make a walk fail: the answer must come from the cache."""

    def walk(*args, **kwargs):
        raise AssertionError("walked again")

    monkeypatch.setattr(discovery_cache, "discover", walk)


def test_an_unchanged_tree_is_answered_without_a_walk(project, tmp_path, monkeypatch):
    first = run(project, tmp_path / "cache")
    assert names(first, project) == ["app.py", "pkg/mod.py"]
    stored_only(monkeypatch)
    assert run(project, tmp_path / "cache") == first


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda root: write(root / "pkg" / "new.py", "y = 2\n"),
            ["app.py", "pkg/mod.py", "pkg/new.py"],
        ),
        (lambda root: (root / "pkg" / "mod.py").unlink(), ["app.py"]),
        (lambda root: write(root / ".gitignore", "generated/\napp.py\n"), ["pkg/mod.py"]),
        (lambda root: write(root / "pkg" / ".gitignore", "mod.py\n"), ["app.py"]),
        (
            lambda root: (root / "generated").rename(root / "made"),
            ["app.py", "made/x.py", "pkg/mod.py"],
        ),
    ],
    ids=["file added", "file removed", "gitignore edited", "gitignore added", "folder renamed"],
)
def test_a_change_is_seen_at_once(project, tmp_path, change, expected):
    run(project, tmp_path / "cache")
    assert any((tmp_path / "cache" / discovery_cache.FOLDER).iterdir())  # stored
    change(project)
    assert names(run(project, tmp_path / "cache"), project) == expected
    assert run(project, tmp_path / "cache") == discover([project], project, (".git",))


def test_a_gitignore_above_the_walked_folder_counts(tmp_path):
    outer = tmp_path / "outer"
    subprocess.run(["git", "init", "-q", str(outer)], check=True)
    write(outer / "inner" / "a.py", "x = 1\n")
    write(outer / "inner" / "b.py", "x = 1\n")
    settle(outer)
    inner = outer / "inner"
    run(inner, tmp_path / "cache")
    write(outer / ".gitignore", "b.py\n")
    assert names(run(inner, tmp_path / "cache"), inner) == ["a.py"]


def test_a_tree_changed_just_now_is_not_stored(project, tmp_path):
    write(project / "pkg" / "new.py", "y = 2\n")  # its folder's time is now: not trusted
    run(project, tmp_path / "cache")
    assert not (tmp_path / "cache" / discovery_cache.FOLDER).exists()


def test_a_named_file_is_not_stored(project, tmp_path):
    cached_discover([project / "app.py"], project, (), True, tmp_path / "cache")
    assert not (tmp_path / "cache" / discovery_cache.FOLDER).exists()


def test_another_exclude_is_another_entry(project, tmp_path):
    run(project, tmp_path / "cache")
    found = cached_discover([project], project, (".git", "pkg"), True, tmp_path / "cache")
    assert names(found, project) == ["app.py"]
