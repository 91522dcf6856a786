"""``ecolint ci`` end to end: real git repositories, the runner's files, the API stand-in."""

from __future__ import annotations

import json
import shutil
import time

import ci_support
import pytest
from ci_support import (
    cli_env,
    commit_all,
    pull_request_event,
    push_event,
    read_outputs,
    run_ci,
    runner_env,
    workflow_run_event,
)
from click.testing import CliRunner

from ecolint.cli.main import cli
from helpers import git, write

github_spec = ci_support.github_spec
github = ci_support.github
pr_repo = ci_support.pr_repo

pytestmark = pytest.mark.slow  # real PRs: git repositories and the GitHub stand-in


def test_a_same_repository_pr_gets_one_comment_outputs_summary_and_annotations(
    pr_repo, github, tmp_path, monkeypatch
):
    env = runner_env(
        tmp_path / "runner",
        "pull_request",
        pull_request_event(pr_repo["base"], pr_repo["head"]),
        github.url,
    )
    result = run_ci(pr_repo["root"], env, monkeypatch=monkeypatch)
    assert github.state.violations == []
    assert result.exit_code == 1, result.output  # the new finding fails the default gate
    outputs = read_outputs(tmp_path / "runner" / "output.txt")
    assert outputs["new-findings"] == "1"
    assert outputs["fixed-findings"] == "1"
    assert outputs["verdict"] == "fail"
    [comment] = github.state.comments[7]
    assert comment["body"].startswith("<!-- ecolint:report id=default -->")
    assert "ECO603" in comment["body"] and "ECO102" in comment["body"]
    summary = (tmp_path / "runner" / "summary.md").read_text(encoding="utf-8")
    assert "New findings (1)" in summary
    assert "::warning file=shop/orders.py,line=14" in result.output


def test_ten_pushes_to_one_pr_leave_exactly_one_comment(pr_repo, github, tmp_path, monkeypatch):
    root = pr_repo["root"]
    for number in range(150):  # other people's comments: the sticky one is on page 2
        github.state.add_comment(7, f"looks good {number}", "alice")
    head = pr_repo["head"]
    for push in range(10):
        if push:
            write(root / "shop" / f"extra_{push}.py", f"VALUE = {push}\n")
            head = commit_all(root, f"push {push}")
        event = pull_request_event(pr_repo["base"], head)
        run_ci(
            root,
            runner_env(tmp_path / f"r{push}", "pull_request", event, github.url),
            monkeypatch=monkeypatch,
        )
    ours = [c for c in github.state.comments[7] if "ecolint:report" in c["body"]]
    assert len(ours) == 1
    assert head[:7] in ours[0]["body"]
    posts = [r for r in github.state.requests if r.method == "POST"]
    assert len(posts) == 1
    pages = [r for r in github.state.requests if r.method == "GET" and "page" in r.query]
    assert pages, "the comment search followed the Link header to page 2"
    assert github.state.violations == []


def test_an_unchanged_report_is_not_rewritten(pr_repo, github, tmp_path, monkeypatch):
    event = pull_request_event(pr_repo["base"], pr_repo["head"])
    for attempt in range(2):
        env = runner_env(tmp_path / f"r{attempt}", "pull_request", event, github.url)
        run_ci(pr_repo["root"], env, monkeypatch=monkeypatch)
    assert [r.method for r in github.state.writes()] == ["POST"]


def test_a_fork_pr_attempts_no_write_and_leaves_the_report_as_an_artifact(
    pr_repo, github, tmp_path, monkeypatch
):
    event = pull_request_event(pr_repo["base"], pr_repo["head"], fork=True)
    env = runner_env(tmp_path / "runner", "pull_request", event, github.url)
    result = run_ci(pr_repo["root"], env, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert github.state.requests == []
    artifact = pr_repo["root"] / "ecolint-ci"
    report = json.loads((artifact / "report.json").read_text(encoding="utf-8"))
    assert report["report"]["head_sha"] == pr_repo["head"]
    assert (artifact / "comment.md").read_text(encoding="utf-8").startswith("<!-- ecolint:report")
    assert "fork PR's token is read-only" in result.output
    assert "New findings (1)" in (tmp_path / "runner" / "summary.md").read_text(encoding="utf-8")


def _collect_fork_pr(pr_repo, github, tmp_path, monkeypatch) -> None:
    """The collect job of a fork's pull request: it leaves the report as an artifact."""
    fork_event = pull_request_event(pr_repo["base"], pr_repo["head"], fork=True)
    run_ci(
        pr_repo["root"],
        runner_env(tmp_path / "collect", "pull_request", fork_event, github.url),
        monkeypatch=monkeypatch,
    )


def test_the_workflow_run_publisher_finds_the_pr_through_the_api_and_posts(
    pr_repo, github, tmp_path, monkeypatch
):
    _collect_fork_pr(pr_repo, github, tmp_path, monkeypatch)
    github.state.pulls.append(
        {"number": 7, "head": {"label": "mallory:feature", "sha": pr_repo["head"]}}
    )
    publisher = tmp_path / "publisher"
    (publisher / "ecolint-ci").mkdir(parents=True)
    artifact = pr_repo["root"] / "ecolint-ci" / "report.json"
    shutil.copyfile(artifact, publisher / "ecolint-ci" / "report.json")
    env = runner_env(
        tmp_path / "runner", "workflow_run", workflow_run_event(pr_repo["head"]), github.url
    )
    result = run_ci(publisher, env, "--mode", "publish", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    [comment] = github.state.comments[7]
    assert "actions/runs/4242" in comment["body"]
    assert github.state.violations == []


def test_the_publisher_refuses_an_artifact_about_another_commit(
    pr_repo, github, tmp_path, monkeypatch
):
    _collect_fork_pr(pr_repo, github, tmp_path, monkeypatch)
    env = runner_env(tmp_path / "runner", "workflow_run", workflow_run_event("f" * 40), github.url)
    result = run_ci(pr_repo["root"], env, "--mode", "publish", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert "another commit" in result.output
    assert github.state.writes() == []


def test_120_new_findings_go_to_a_check_run_in_3_batches(pr_repo, github, tmp_path, monkeypatch):
    root = pr_repo["root"]
    body = "".join(f"async def wait_{n}():\n    time.sleep(1)\n\n\n" for n in range(120))
    write(root / "shop" / "waits.py", "import time\n\n\n" + body)
    head = commit_all(root, "120 blocking sleeps")
    event = pull_request_event(pr_repo["base"], head)
    env = runner_env(tmp_path / "runner", "pull_request", event, github.url)
    result = run_ci(root, env, "--check-run", "--fail-on", "none", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    [check] = github.state.check_runs.values()
    assert len(check["annotations"]) == 121  # 120 sleeps and the one of the head fixture
    calls = [r.method for r in github.state.requests if "/check-runs" in r.path]
    assert calls == ["POST", "PATCH", "PATCH"]
    assert github.state.violations == []
    warnings = [line for line in result.output.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 10
    assert "111 more new findings" in result.output


def test_a_rate_limit_is_retried_after_the_reset(pr_repo, github, tmp_path, monkeypatch):
    github.state.rate_limit_once_for_s = 1.2
    env = runner_env(
        tmp_path / "runner",
        "pull_request",
        pull_request_event(pr_repo["base"], pr_repo["head"]),
        github.url,
    )
    started = time.time()
    run_ci(pr_repo["root"], env, monkeypatch=monkeypatch)
    assert len(github.state.comments[7]) == 1
    assert github.state.reset_at is not None
    first, second = github.state.requests[0], github.state.requests[1]
    assert first.path == second.path  # the same request, retried
    assert time.time() >= github.state.reset_at > started


@pytest.mark.parametrize(
    "where",
    [
        "--database",
        "--db",
        "ECOLINT_DATABASE_URL",
        "[tool.ecolint.history] database",
        "--history-url",
    ],
)
def test_a_push_to_the_default_branch_records_history(
    where, pr_repo, github, tmp_path, monkeypatch
):
    """The store has the name it has in ``ecolint history``: ``--database`` (``--db`` for
    short), the variable the action's ``database`` sets, or the configured ``database``;
    ``--history-url``, its old name, still works and says so."""
    pytest.importorskip("sqlalchemy")
    root = pr_repo["root"]
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--ff-only", "feature")
    env = runner_env(
        tmp_path / "runner", "push", push_event(pr_repo["base"], pr_repo["head"]), github.url
    )
    database = tmp_path / "history.sqlite"
    url = f"sqlite:///{database}"
    args: tuple[str, ...] = (where, url)
    if where == "ECOLINT_DATABASE_URL":
        env[where], args = url, ()
    elif where.startswith("[tool"):  # configured: says where, --history says whether
        write(root / "pyproject.toml", f'[tool.ecolint.history]\ndatabase = "{url}"\n')
        args = ("--history",)
    result = run_ci(root, env, *args, monkeypatch=monkeypatch)
    assert "history recorded" in result.output
    deprecated = "--history-url is deprecated, use --database" in result.output
    assert deprecated == (where == "--history-url")
    from ecolint.history.store import open_store

    store = open_store(f"sqlite:///{database}", root)
    [record] = list(store.records())
    store.close()
    assert record.commit == pr_repo["head"]
    assert record.findings == {"ECO603": 1}
    assert github.state.requests == []


def test_a_missing_event_file_is_a_usage_error(tmp_path, monkeypatch):
    env = runner_env(tmp_path, "pull_request", {}, "http://127.0.0.1:9")
    env["GITHUB_EVENT_PATH"] = str(tmp_path / "missing.json")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["ci"], env=cli_env(env))
    assert result.exit_code == 2
    assert "cannot read the event payload" in result.output


def test_a_clone_without_the_base_commit_is_a_clear_error(pr_repo, github, tmp_path, monkeypatch):
    event = pull_request_event("e" * 40, pr_repo["head"])
    env = runner_env(tmp_path / "runner", "pull_request", event, github.url)
    result = run_ci(pr_repo["root"], env, monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert "fetch-depth: 0" in result.output
    assert github.state.requests == []


def test_an_api_failure_is_exit_2_and_keeps_summary_outputs_and_artifact(
    pr_repo, github, tmp_path, monkeypatch
):
    github.state.read_only = True  # a token without pull-requests: write
    event = pull_request_event(pr_repo["base"], pr_repo["head"])
    env = runner_env(tmp_path / "runner", "pull_request", event, github.url)
    result = run_ci(pr_repo["root"], env, monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert "403" in result.output
    assert read_outputs(tmp_path / "runner" / "output.txt")["new-findings"] == "1"
    assert "New findings (1)" in (tmp_path / "runner" / "summary.md").read_text(encoding="utf-8")
    assert (pr_repo["root"] / "ecolint-ci" / "report.json").is_file()


def test_local_renders_the_pr_comment_for_the_working_tree_without_github(
    pr_repo, tmp_path, monkeypatch
):
    root = pr_repo["root"]
    for name in ("GITHUB_EVENT_NAME", "GITHUB_REPOSITORY", "GITHUB_TOKEN", "GITHUB_EVENT_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(root)
    # an uncommitted change is part of what is reported: the working tree is the head
    write(root / "shop" / "extra.py", "import time\n\n\nasync def f():\n    time.sleep(1)\n")
    result = CliRunner().invoke(cli, ["ci", "--local", "main"])
    assert result.exit_code == 1, result.output  # the new findings fail the default gate
    assert result.stdout.startswith("<!-- ecolint:report id=default -->")
    assert "shop/extra.py" in result.stdout and "ECO603" in result.stdout
    assert "ECO102" in result.stdout  # fixed since main
    assert not (root / "ecolint-ci").exists()  # a dry run leaves nothing behind
    assert "report saved in" not in result.stderr  # its scratch folder is gone
    comment = tmp_path / "out" / "comment.md"
    CliRunner().invoke(cli, ["ci", "--local", "main", "-o", str(comment)])
    assert comment.read_text(encoding="utf-8").startswith("<!-- ecolint:report id=default -->")


def test_local_with_an_unknown_base_is_a_usage_error(pr_repo, monkeypatch):
    monkeypatch.chdir(pr_repo["root"])
    result = CliRunner().invoke(cli, ["ci", "--local", "no-such-branch"])
    assert result.exit_code == 2 and "no-such-branch" in result.stderr


@pytest.mark.parametrize("key", ["report-id", "comment-id"])
def test_the_configured_report_id_names_the_comment(key, pr_repo, github, tmp_path, monkeypatch):
    """``[tool.ecolint.ci] report-id``, as the input and the option are named; the key's old
    name ``comment-id`` still works, with a warning in the log."""
    write(pr_repo["root"] / "pyproject.toml", f'[tool.ecolint.ci]\n{key} = "cfg"\n')
    event = pull_request_event(pr_repo["base"], pr_repo["head"])
    env = runner_env(tmp_path / "runner", "pull_request", event, github.url)
    result = run_ci(pr_repo["root"], env, monkeypatch=monkeypatch)
    [comment] = github.state.comments[7]
    assert comment["body"].startswith("<!-- ecolint:report id=cfg -->")
    deprecated = "comment-id is deprecated, write report-id" in result.output
    assert deprecated == (key == "comment-id")
