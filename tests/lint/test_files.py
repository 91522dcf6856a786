"""File discovery: .gitignore, excludes, explicit files."""

from __future__ import annotations

import subprocess

from ecolint.config import DEFAULT_EXCLUDES
from ecolint.lint.files import discover, force_excluded
from helpers import write


def names(found, root):
    return sorted(p.resolve().relative_to(root).as_posix() for p in found.files)


def test_gitignore_files_are_respected_at_every_level(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path / ".gitignore", "generated/\n*_pb2.py\n")
    write(tmp_path / "pkg" / ".gitignore", "local.py\n")
    for name in ("app.py", "generated/x.py", "api_pb2.py", "pkg/mod.py", "pkg/local.py"):
        write(tmp_path / name, "x = 1\n")
    found = discover([tmp_path], tmp_path, DEFAULT_EXCLUDES)
    assert names(found, tmp_path) == ["app.py", "pkg/mod.py"]


def test_gitignore_is_not_read_when_disabled(tmp_path):
    write(tmp_path / ".gitignore", "skip.py\n")
    write(tmp_path / "skip.py", "x = 1\n")
    assert names(discover([tmp_path], tmp_path, (), respect_gitignore=False), tmp_path) == [
        "skip.py"
    ]


def test_default_excludes_skip_virtual_environments_and_caches(tmp_path):
    for name in (".venv/lib/a.py", "node_modules/b.py", "__pycache__/c.py", "src/d.py"):
        write(tmp_path / name, "x = 1\n")
    assert names(discover([tmp_path], tmp_path, DEFAULT_EXCLUDES), tmp_path) == ["src/d.py"]


def test_an_explicit_file_is_always_linted(tmp_path):
    write(tmp_path / ".gitignore", "skip.py\n")
    target = write(tmp_path / "skip.py", "x = 1\n")
    found = discover([target], tmp_path, ("skip.py",))
    assert found.files == [target]


def test_only_python_files_are_collected(tmp_path):
    for name in ("a.py", "b.pyi", "c.txt", "d.pyc"):
        write(tmp_path / name, "")
    assert names(discover([tmp_path], tmp_path, ()), tmp_path) == ["a.py", "b.pyi"]


def test_force_exclude_applies_the_excludes_to_a_file_named_explicitly(tmp_path):
    target = write(tmp_path / "app_pb2.py", "x = 1\n")
    assert force_excluded(target, tmp_path, ("*_pb2.py",))
    assert not force_excluded(target, tmp_path, ("other.py",))


def test_force_exclude_drops_a_file_under_an_excluded_folder(tmp_path):
    target = write(tmp_path / "src" / "generated" / "deep" / "app.py", "x = 1\n")
    assert force_excluded(target, tmp_path, ("generated",))
    assert force_excluded(target, tmp_path, ("src/generated",))
    assert not force_excluded(target, tmp_path, ("deep/app.py", "src/other"))


def test_force_exclude_never_excludes_the_root_or_what_is_above_it(tmp_path):
    root = tmp_path / "build"  # a project folder whose name is a default exclude
    target = write(root / "app.py", "x = 1\n")
    assert not force_excluded(root, root.resolve(), DEFAULT_EXCLUDES)
    assert not force_excluded(target, root.resolve(), DEFAULT_EXCLUDES)
