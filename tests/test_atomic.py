"""Output files: whole or absent, readable like any new file, and ecolint's own folders
kept out of version control."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ecolint.atomic import make_folder, write_atomically


def test_a_written_report_gets_the_mode_of_any_new_file_not_0600(tmp_path: Path):
    previous = os.umask(0o022)
    try:
        write_atomically(tmp_path / ".eco" / "energy.json", "{}\n")
    finally:
        os.umask(previous)
    mode = stat.S_IMODE((tmp_path / ".eco" / "energy.json").stat().st_mode)
    assert mode == 0o644


def test_the_write_replaces_the_file_and_leaves_no_temporary_file(tmp_path: Path):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    assert write_atomically(target, "new é") == len("new é".encode())
    assert target.read_text(encoding="utf-8") == "new é"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_an_ecolint_folder_it_creates_ignores_itself_but_a_user_folder_does_not(tmp_path: Path):
    make_folder(tmp_path / "project" / ".ecolint")
    make_folder(tmp_path / "reports" / "out")
    assert (
        (tmp_path / "project" / ".ecolint" / ".gitignore")
        .read_text(encoding="utf-8")
        .endswith("*\n")
    )
    assert not (tmp_path / "reports" / ".gitignore").exists()
    assert not (tmp_path / "reports" / "out" / ".gitignore").exists()


def test_an_existing_ecolint_folder_is_left_as_the_user_made_it(tmp_path: Path):
    (tmp_path / ".eco").mkdir()
    make_folder(tmp_path / ".eco")
    assert not (tmp_path / ".eco" / ".gitignore").exists()
