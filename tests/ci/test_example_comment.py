"""The example comment in ``github_action/README.md`` is what ``ecolint ci`` posts for a
real base/head pair of the bundled ``examples/`` project.

The pair: base is ``examples/`` as committed; head gives ``fetch_order``'s request a
timeout, joins the text report instead of concatenating it (ECO102 is opt-in: no finding
changes) and adds a function that fetches customers one request at a time, without a
timeout.
Commit dates are fixed, so the comment only changes when ``examples/``, a rule or the
score does; the test then rewrites ``github_action/example-comment.md`` and the example
block of ``github_action/README.md`` (so ``git diff`` shows how the comment changed).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import ci_support
import pytest
from ci_support import cli_env, pull_request_event, runner_env
from click.testing import CliRunner

from ecolint.cli.main import cli
from helpers import git, git_environment

github_spec = ci_support.github_spec
github = ci_support.github

pytestmark = pytest.mark.slow  # a real PR of the example project

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "github_action" / "example-comment.md"
README = REPO / "github_action" / "README.md"
BEGIN, END = "<!-- example-comment:begin -->", "<!-- example-comment:end -->"

OLD_REPORT = """    report = ""
    report += title + "\\n" + "=" * len(title) + "\\n"
    for day, total in daily_totals(orders).items():
        report = report + f"{day.isoformat()}  {total:>10.2f}" + "\\n"
    report += f"{'total':<10}  {revenue(orders):>10.2f}\\n"
    return report
"""
NEW_REPORT = """    lines = [title, "=" * len(title)]
    lines += [f"{day.isoformat()}  {total:>10.2f}" for day, total in daily_totals(orders).items()]
    lines.append(f"{'total':<10}  {revenue(orders):>10.2f}")
    return "\\n".join(lines) + "\\n"
"""
OLD_ORDER = 'resp = requests.get(f"{API_BASE}/orders/{order_id}")'
NEW_ORDER = 'resp = requests.get(f"{API_BASE}/orders/{order_id}", timeout=10)'
NEW_FETCH = """

def fetch_customers(customer_ids: list[str]) -> list[dict]:
    customers = []
    for customer_id in customer_ids:
        customers.append(requests.get(f"{API_BASE}/customers/{customer_id}").json())
    return customers
"""


def commit(repo: Path, message: str, date: str) -> str:
    git(repo, "add", "-A")
    env = git_environment(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    done = subprocess.run(
        ["git", "commit", "-q", "-m", message],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return git(repo, "rev-parse", "HEAD").strip()


def example_pair(folder: Path) -> tuple[Path, str, str]:
    repo = folder / "shopstats"
    ignore = shutil.ignore_patterns(".*", "__pycache__")
    shutil.copytree(REPO / "examples", repo, ignore=ignore)
    env = git_environment()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, env=env, check=True)
    base = commit(repo, "shopstats 0.3.1", "2026-01-05T10:00:00+00:00")
    subprocess.run(["git", "checkout", "-q", "-b", "customers"], cwd=repo, env=env, check=True)
    reports = repo / "shopstats" / "reports.py"
    source = reports.read_text(encoding="utf-8")
    assert OLD_REPORT in source, "examples/shopstats/reports.py changed: update this test"
    reports.write_text(source.replace(OLD_REPORT, NEW_REPORT), encoding="utf-8")
    fetch = repo / "shopstats" / "fetch.py"
    source = fetch.read_text(encoding="utf-8")
    assert OLD_ORDER in source, "examples/shopstats/fetch.py changed: update this test"
    fetch.write_text(source.replace(OLD_ORDER, NEW_ORDER) + NEW_FETCH, encoding="utf-8")
    head = commit(
        repo,
        "Fetch customers; time out order fetches; join the report",
        "2026-01-06T10:00:00+00:00",
    )
    return repo, base, head


def test_the_readme_shows_the_comment_posted_for_a_real_pr_of_the_example_project(
    github, tmp_path, monkeypatch
):
    repo, base, head = example_pair(tmp_path)
    env = runner_env(
        tmp_path / "runner", "pull_request", pull_request_event(base, head), github.url
    )
    env["GITHUB_RUN_ID"] = "123456789"
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(cli, ["ci"], env=cli_env(env), catch_exceptions=False)
    assert result.exit_code == 1, result.output  # the new findings fail the default gate
    [comment] = github.state.comments[7]
    body = comment["body"]
    # new: a request per customer without a timeout, reported once (ECO302 is opt-in)
    assert "ECO301" in body and "shopstats/fetch.py:72" in body and "ECO303" not in body
    assert "Fixed findings (1)" in body  # the missing timeout of fetch_order
    # examples/ is edited by people working on rules and the score: the example follows it.
    if EXAMPLE.read_text(encoding="utf-8") != body:
        EXAMPLE.write_text(body, encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    if readme[start:end] != "\n" + body:
        README.write_text(readme[:start] + "\n" + body + readme[end:], encoding="utf-8")
    assert f"{BEGIN}\n{body}{END}" in README.read_text(encoding="utf-8")
