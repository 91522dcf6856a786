"""The composite action and the workflows: pinned, injection-free, linted, and their
``run:`` steps executed in a shell with the runner's environment."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import ci_support
import yaml
from ci_support import pull_request_event, read_outputs, runner_env

from conftest import require_component

github_spec = ci_support.github_spec
github = ci_support.github
pr_repo = ci_support.pr_repo

REPO = Path(__file__).resolve().parents[2]
ACTION = REPO / "github_action" / "action.yml"
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def steps(document: dict) -> list[dict]:
    if "runs" in document:
        return document["runs"]["steps"]
    return [step for job in document["jobs"].values() for step in job["steps"]]


def test_every_remote_uses_is_pinned_by_a_full_commit_sha_with_a_version_comment():
    for path in [ACTION, *WORKFLOWS]:
        text = path.read_text(encoding="utf-8")
        for step in steps(load(path)):
            uses = step.get("uses")
            if uses is None or uses.startswith("./"):
                continue
            assert PINNED.match(uses), f"{path.name}: {uses} is not pinned by a commit SHA"
            assert re.search(re.escape(uses) + r" # v\d", text), f"{uses} has no version comment"


def test_no_expression_is_interpolated_into_a_script():
    for path in [ACTION, *WORKFLOWS]:
        for step in steps(load(path)):
            assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}"


def test_every_input_and_output_of_the_action_is_documented():
    action = load(ACTION)
    for name, spec in {**action["inputs"], **action["outputs"]}.items():
        assert spec.get("description"), name


def test_zizmor_reports_nothing_on_the_action_and_the_workflows():
    zizmor = BIN / "zizmor"
    require_component(zizmor.exists(), "zizmor", "pip install -e '.[dev]'")
    completed = subprocess.run(
        [str(zizmor), "--offline", "--format", "json", str(ACTION), *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(completed.stdout) == [], completed.stdout
    assert completed.returncode == 0, completed.stderr


def test_actionlint_reports_nothing_on_the_workflows_and_the_local_action():
    actionlint = BIN / "actionlint"
    require_component(actionlint.exists(), "actionlint", "pip install -e '.[dev]'")
    completed = subprocess.run(
        [str(actionlint), "-format", "{{json .}}", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert completed.stdout.strip() in ("", "[]"), completed.stdout
    assert completed.returncode == 0, completed.stderr


def resolve(value: str, inputs: dict[str, str], token: str) -> str:
    """What the runner does to a step's ``env:`` value: expressions replaced by values."""

    def substitute(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if expression == "github.token":
            return token
        assert expression.startswith("inputs."), expression
        return inputs[expression.removeprefix("inputs.")]

    return re.sub(r"\$\{\{(.*?)\}\}", substitute, str(value))


def test_the_actions_run_steps_install_then_report_on_a_pr(pr_repo, github, tmp_path):
    require_component(shutil.which("bash") is not None, "bash", "apt-get install bash")
    action = load(ACTION)
    token = "ghs_runner"
    given = {"fail-on": "new-findings", "report-id": "py"}
    inputs = {
        name: given.get(name, str(spec.get("default", "")))
        for name, spec in action["inputs"].items()
    }
    inputs["github-token"] = resolve(inputs["github-token"], inputs, token)
    event = pull_request_event(pr_repo["base"], pr_repo["head"])
    runner = runner_env(tmp_path / "runner", "pull_request", event, github.url, token="")
    runner.update(
        {
            "GITHUB_ACTION_PATH": str(ACTION.parent),
            "GITHUB_WORKSPACE": str(pr_repo["root"]),
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            # pip resolves and builds ecolint's metadata for real but installs nothing
            # into the shared environment (setup-python's fresh interpreter is not here).
            "PIP_DRY_RUN": "1",
            "PIP_NO_DEPS": "1",
            "PIP_NO_INDEX": "1",
            "PIP_NO_BUILD_ISOLATION": "0",  # pip reads this negative option inverted
        }
    )
    ran = []
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue  # actions/setup-python: the runner's job, not reproducible here
        env = {**runner, **{k: resolve(v, inputs, token) for k, v in step.get("env", {}).items()}}
        completed = subprocess.run(
            [step["shell"], "-e", "-c", step["run"]],
            cwd=pr_repo["root"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        ran.append((step.get("name"), completed.returncode, completed.stdout + completed.stderr))
    (_, install_rc, install_log), (_, report_rc, report_log) = ran
    assert install_rc == 0 and "Would install ecolint" in install_log, install_log
    assert report_rc == 1, report_log  # the PR adds a finding and fail-on says new-findings
    outputs = read_outputs(tmp_path / "runner" / "output.txt")
    assert outputs["new-findings"] == "1" and outputs["verdict"] == "fail"
    [comment] = github.state.comments[7]
    assert comment["body"].startswith("<!-- ecolint:report id=py -->")
    authorization = {r.headers.get("authorization") for r in github.state.requests}
    assert authorization == {f"Bearer {token}"}
    assert github.state.violations == []


def test_every_output_of_the_action_is_one_that_ecolint_ci_writes():
    from ecolint.ci.model import CIReport
    from ecolint.ci.run import PublishOptions, RunResult, outputs

    written = outputs(
        RunResult(CIReport("default", "push", "acme/shop", "b" * 40)), PublishOptions()
    )
    for name, spec in load(ACTION)["outputs"].items():
        assert spec["value"] == f"${{{{ steps.ecolint.outputs.{name} }}}}"
        assert name in written, name
