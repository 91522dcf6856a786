"""The one git runner and the one loader of versioned JSON documents, on real files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from ecolint import git
from ecolint.documents import DocumentError, DocumentType
from helpers import git_repository, write


def test_git_returns_its_output_and_names_a_refusal(tmp_path: Path):
    (tmp_path / "repo").mkdir()
    repo = git_repository(tmp_path / "repo")
    write(repo / "é.py", "x = 1\n")
    git.run(repo, "add", "-A")
    git.run(repo, "commit", "-q", "-m", "first")
    assert git.run(repo, "ls-files") == "é.py\n"  # unquoted, as committed
    with pytest.raises(git.GitError) as refused:
        git.run(repo, "rev-parse", "--verify", "no-such-branch")
    assert refused.value.ran and refused.value.returncode != 0


def test_git_in_a_missing_folder_is_an_error_that_did_not_run(tmp_path: Path):
    with pytest.raises(git.GitError, match="no such folder") as failed:
        git.run(tmp_path / "absent", "status")
    assert not failed.value.ran


@dataclass(frozen=True)
class Point:
    x: float
    label: str = ""


POINTS = DocumentType("point file", 2)


def load(path: Path) -> list[Point]:
    return POINTS.load(
        path,
        lambda data: [POINTS.build(Point, p, f"points[{i}]") for i, p in enumerate(data["points"])],
    )


def test_a_document_is_read_into_its_dataclasses(tmp_path: Path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({**POINTS.header(), "points": [{"x": 1.5}, {"x": 2, "label": "b"}]}))
    assert load(path) == [Point(1.5), Point(2, "b")]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"version": 1, "points": []}, "of version 2 (found 1)"),
        ({"version": 2, "tool": {"name": "other"}, "points": []}, "written by 'other'"),
        ({"version": 2, "points": [{"x": "far"}]}, "points[0].x must be a number"),
        ({"version": 2, "points": [{"x": 1, "y": 2}]}, "unknown points[0] field(s): 'y'"),
        ({"version": 2, "points": [{}]}, "missing points[0] field(s): 'x'"),
    ],
)
def test_every_error_names_the_file_and_the_field(tmp_path: Path, document: dict, message: str):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(document))
    with pytest.raises(DocumentError) as error:
        load(path)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)


def test_a_file_that_is_not_json_says_so(tmp_path: Path):
    path = tmp_path / "p.json"
    path.write_bytes(b"\xff{")
    with pytest.raises(DocumentError, match="not a JSON point file"):
        load(path)
