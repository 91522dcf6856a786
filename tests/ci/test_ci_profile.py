"""``ecolint ci --profile``: the PR comment lists the new findings that are hot first.

A real repository whose PR adds ``tests/profiles/hot_cold.py`` (one hot and one cold ECO104
finding), and a real profile of it recorded by py-spy: nothing here writes a profile.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from ci_support import cli_env, commit_all, pull_request_event, run_ci, runner_env
from click.testing import CliRunner

from ecolint.ci.comment import render
from ecolint.ci.model import CIReport, FindingRef, FindingsDelta, MeasuredRef, ReportFormatError
from ecolint.cli.main import cli
from helpers import git, git_repository, write
from helpers.profiling import COLD_LINE, HOT_COLD, HOT_LINE, record_profile

pytestmark = pytest.mark.slow  # git repositories and a py-spy run

# a row of the comment's table: the line and its "Measured cost" cell
ROW = re.compile(r"^\| `ECO104` .*? \| `shop/prog\.py:(\d+)` \| .*? \| ([^|]*) \|$", re.MULTILINE)


@pytest.fixture(scope="module")
def profiled_pr(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``main`` without the program, ``feature`` adding it (checked out), and two profiles
    of its run from the repository's root: py-spy's short paths and ``--full-filenames``."""
    (folder := tmp_path_factory.mktemp("profiled") / "repo").mkdir()
    repo = git_repository(folder)
    write(repo / "pyproject.toml", '[tool.ecolint]\nextend-select = ["ECO104"]\n')
    write(repo / "shop" / "__init__.py", "")
    base = commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "feature")
    shutil.copy(HOT_COLD, repo / "shop" / "prog.py")
    head = commit_all(repo, "head")
    outside = repo.parent  # profiles are not part of the tree
    short = record_profile(Path("shop/prog.py"), outside / "short.txt", cwd=repo)
    full = record_profile(Path("shop/prog.py"), outside / "full.txt", cwd=repo, full_filenames=True)
    return {"root": repo, "base": base, "head": head, "short": short, "full": full}


def _local(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str, **env: str) -> Any:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["ci", "--local", "main", *args], env=cli_env(env))
    assert result.stdout, (result.exit_code, result.output, result.exception)
    return result


def _rows(comment: str) -> list[tuple[int, float | None]]:
    """(line, share in %) of each row in order; None: "not hot in this profile"."""
    rows = []
    for line, cost in ROW.findall(comment):
        hot = re.match(r"\*\*hot <?([\d.]+) %\*\*", cost)
        assert hot is not None or cost == "not hot in this profile", cost
        rows.append((int(line), float(hot[1]) if hot else None))
    return rows


def test_the_comment_lists_the_hot_new_finding_first_with_its_share(profiled_pr, monkeypatch):
    result = _local(profiled_pr["root"], monkeypatch, "--profile", str(profiled_pr["short"]))
    comment = result.stdout
    assert "| Rule | Where | Message | Measured cost |" in comment
    # hot first (it is also first in the file: the order is by share); the cold loop has no
    # sample, or a few (py-spy samples; the target is under 2 %)
    [(hot_line, hot_share), (cold_line, cold_share)] = _rows(comment)
    assert hot_line == HOT_LINE and hot_share is not None and hot_share >= 70, comment
    # py-spy samples wall time: a time slice the busy CI machine takes from the program during
    # the cold loop (~0.2 % of its CPU) lands there, so the bound here is the order, not the
    # fidelity target (tests/profiles/test_real_profile.py holds that)
    assert cold_line == COLD_LINE and (cold_share is None or cold_share < 5), comment
    hot = 1 if cold_share is None else 2
    assert f"### New findings (2, {hot} hot)" in comment


def test_the_cold_finding_reads_not_hot_and_comes_after_the_hot_one():
    """The order and wording on a report whose cold finding has no sample, whatever the
    sampling gave above: hot findings by share, then not hot, then not profiled."""
    cold = _finding(MeasuredRef(0.0, 0, 0.0, 0.0, "p.txt"))
    warm = replace(_finding(MeasuredRef(0.05, 5, 0.05, 0.2, "p.txt")), line=30)
    hot = replace(_finding(MeasuredRef(0.9, 90, 0.9, 3.6, "p.txt")), line=40)
    elsewhere = replace(_finding(None), path="b.py")
    comment = render(_report(elsewhere, cold, warm, hot))
    rows = [line for line in comment.splitlines() if line.startswith("| `ECO104`")]
    assert [row.split("|")[2].strip() for row in rows] == [
        "`a.py:40`", "`a.py:30`", "`a.py:3`", "`b.py:3`"
    ]  # fmt: skip
    assert rows[0].endswith("| **hot 90 %** · 0.9 s · 3.6 J |")
    assert rows[2].endswith("| not hot in this profile |")
    assert rows[3].endswith("| not profiled |")
    assert "### New findings (4, 2 hot)" in comment


def test_without_a_profile_the_comment_is_as_before(profiled_pr, monkeypatch):
    comment = _local(profiled_pr["root"], monkeypatch).stdout
    assert "### New findings (2)\n" in comment
    assert "Measured cost" not in comment and "hot" not in comment
    # file order, as always
    assert comment.index(f"prog.py:{HOT_LINE}`") < comment.index(f"prog.py:{COLD_LINE}`")


@pytest.mark.parametrize("where", ["configuration", "variable"])
def test_the_profile_comes_from_the_configuration_or_ecolint_profile(
    where, profiled_pr, monkeypatch
):
    """``[tool.ecolint.ci] profile`` (from the root) and ``$ECOLINT_PROFILE``, as the action
    passes its ``profile`` input."""
    root = profiled_pr["root"]
    config = root / "pyproject.toml"
    before = config.read_text(encoding="utf-8")
    env = {}
    if where == "configuration":
        write(config, before + '\n[tool.ecolint.ci]\nprofile = "../short.txt"\n')
    else:
        env["ECOLINT_PROFILE"] = str(profiled_pr["short"])
    try:
        comment = _local(root, monkeypatch, **env).stdout
    finally:
        write(config, before)
    assert _rows(comment)[0][0] == HOT_LINE and _rows(comment)[0][1] is not None, comment


def test_a_missing_profile_is_a_note_and_the_comment_is_still_written(profiled_pr, monkeypatch):
    result = _local(profiled_pr["root"], monkeypatch, "--profile", "no-such-profile.txt")
    assert result.exit_code == 1  # the new findings' gate, not the profile
    assert "profile.txt: no such file; its findings are not measured" in result.stdout
    assert "Measured cost" not in result.stdout


def test_the_report_artifact_carries_the_share_when_head_is_linted_in_a_worktree(
    profiled_pr, tmp_path, monkeypatch
):
    """A collect job checked out elsewhere (here: ``main``): head is linted in a temporary
    worktree, and the profile's absolute paths (``--full-filenames``, recorded in the
    checkout) still find its files. The publisher reads the share back from the artifact."""
    root = profiled_pr["root"]
    git(root, "checkout", "-q", "main")
    try:
        env = runner_env(
            tmp_path / "runner",
            "pull_request",
            pull_request_event(profiled_pr["base"], profiled_pr["head"]),
            "http://127.0.0.1:9",  # collect mode never calls it
        )
        env["ECOLINT_ARTIFACT_DIR"] = str(tmp_path / "artifact")
        profile = str(profiled_pr["full"])
        run_ci(root, env, "--mode", "collect", "--profile", profile, monkeypatch=monkeypatch)
    finally:
        git(root, "checkout", "-q", "feature")
    document = json.loads((tmp_path / "artifact" / "report.json").read_text(encoding="utf-8"))
    loaded = CIReport.from_dict(document)
    cost = {f.line: f.measured for f in loaded.findings.new}
    assert cost[HOT_LINE] is not None and cost[HOT_LINE].share >= 0.70, cost
    assert cost[COLD_LINE] is not None and cost[COLD_LINE].share < 0.05  # as in the test above
    assert cost[HOT_LINE].joules > 0 and cost[HOT_LINE].profile.endswith("full.txt")
    assert "**hot" in (tmp_path / "artifact" / "comment.md").read_text(encoding="utf-8")


def _finding(measured: MeasuredRef | None) -> FindingRef:
    return FindingRef("ECO104", "sort-for-extreme", "a.py", 3, 0, "m", "warning", "f", measured)


def _report(*findings: FindingRef) -> CIReport:
    delta = FindingsDelta(new=findings, base_total=0, head_total=len(findings))
    return CIReport("default", "pull_request", "acme/shop", "a" * 40, "b" * 40, findings=delta)


def test_a_report_without_profiles_is_written_as_before():
    """No ``measured`` key at all: a publisher of the previous version still reads it."""
    document = _report(_finding(None)).to_dict()
    assert "measured" not in document["report"]["findings"]["new"][0]
    assert CIReport.from_dict(json.loads(json.dumps(document))) == _report(_finding(None))


def test_the_measured_share_round_trips_and_a_forged_one_is_refused():
    report = _report(_finding(MeasuredRef(0.42, 42, 0.42, 1.7, "p.txt")))
    assert CIReport.from_dict(json.loads(json.dumps(report.to_dict()))) == report
    forged = json.loads(json.dumps(report.to_dict()))
    forged["report"]["findings"]["new"][0]["measured"]["share"] = 9.0
    with pytest.raises(ReportFormatError, match="share must be 0-1"):
        CIReport.from_dict(forged)
    forged["report"]["findings"]["new"][0]["measured"]["share"] = "42 %"
    with pytest.raises(ReportFormatError):
        CIReport.from_dict(forged)


def test_a_profile_name_from_the_artifact_is_inert_in_the_comment():
    """The profile's name comes from a fork's artifact: its base name is shown in a code
    span (its fence longer than any backtick run inside), mentions and links broken."""
    name = "ci/[x](https://evil.example?q=1) @acme <img src=x> `.txt"
    body = render(_report(_finding(MeasuredRef(0.5, 5, 0.05, 0.2, name))))
    [line] = [line for line in body.splitlines() if line.startswith("Measured cost")]
    assert "of ``evil.example?q=1) @\u200dacme <img src=x> `.txt`` that ran" in line, line
    assert "://" not in body
