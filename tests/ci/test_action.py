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
import pytest
import yaml
from ci_support import pull_request_event, read_outputs, runner_env

from helpers import require_component

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
    """What the runner does to a step's ``env:`` value: expressions replaced by values
    (``a || b``: the first that is not empty, as in GitHub's expressions)."""

    def term(expression: str) -> str:
        if expression == "github.token":
            return token
        assert expression.startswith("inputs."), expression
        return inputs[expression.removeprefix("inputs.")]

    def substitute(match: re.Match[str]) -> str:
        values = [term(part.strip()) for part in match.group(1).split("||")]
        return next((value for value in values if value), values[-1])

    return re.sub(r"\$\{\{(.*?)\}\}", substitute, str(value))


@pytest.mark.slow
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


# One name per setting: the action's inputs, `ecolint ci`'s options and the configuration
# keys, as the table in github_action/README.md lists them.

README = ACTION.parent / "README.md"
TABLE_HEADER = "| input | `ecolint ci` option, variable | configuration key | default | what |"


def names_table() -> list[list[str]]:
    """The rows of the README's table, each cell without its backticks."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(TABLE_HEADER) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().replace("`", "") for cell in line.strip("|").split("|")])
    return rows


def ecolint_ci_step(action: dict) -> dict:
    [step] = [step for step in steps(action) if step.get("id") == "ecolint"]
    return step


def test_the_readme_table_names_every_input_as_the_action_passes_it_to_ecolint_ci():
    from ecolint.cli.ci import ci
    from ecolint.history.store import DATABASE_URL_ENV

    action = load(ACTION)
    env = ecolint_ci_step(action)["env"]
    options = {name: param for param in ci.params for name in param.opts}
    rows = names_table()
    listed = {row[0] for row in rows} - {"—"}
    current = {name for name, spec in action["inputs"].items() if "deprecationMessage" not in spec}
    assert listed == current
    for name, passed, _key, default, _what in rows:
        spec = action["inputs"].get(name, {})
        if str(spec.get("default", "")) and "${{" not in str(spec["default"]):
            assert default == str(spec["default"]), name
        if passed == "—":
            continue
        *option, variable = [part.strip() for part in passed.split(",")]
        if name != "—":
            assert f"inputs.{name}" in env[variable], (name, variable, env[variable])
        if option:
            param = options[option[0]]
            assert param.envvar == variable or (
                option[0] == "--database" and variable == DATABASE_URL_ENV
            ), option


def test_every_key_in_the_readme_table_is_one_the_configuration_knows():
    from ecolint.config import ConfigError
    from ecolint.config.loader import parse_table

    keys = [row[2] for row in names_table() if row[2] != "—"]
    assert "[tool.ecolint.ci] report-id" in keys and "[tool.ecolint.ci] energy" in keys
    for key in keys:
        table, name = re.fullmatch(r"\[tool\.ecolint\.(\w+)\] ([\w-]+)", key).groups()
        with pytest.raises(ConfigError) as raised:  # a value of no valid type: only its key counts
            parse_table({table: {name: object()}}, REPO / "pyproject.toml")
        assert "unknown key" not in str(raised.value), key


def install_extras(env: dict[str, str]) -> list[str]:
    """github_action/install.py's choice of extras (a script, not a module of the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("action_install", ACTION.parent / "install.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.extras(env)


def test_energy_is_the_input_and_the_deprecated_tests_input_still_turns_it_on():
    action = load(ACTION)
    assert "energy" in action["inputs"]
    assert "energy" in action["inputs"]["tests"]["deprecationMessage"]
    defaults = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    passing = [step for step in steps(action) if "ECOLINT_ENERGY" in step.get("env", {})]
    assert len(passing) == 2  # the install (which extras) and ecolint ci
    for given, expected in [({}, ""), ({"energy": "true"}, "true"), ({"tests": "true"}, "true")]:
        inputs = {**defaults, **given}
        for step in passing:
            env = {k: resolve(v, inputs, "t") for k, v in step["env"].items()}
            assert env["ECOLINT_ENERGY"] == expected, (given, step.get("name"))
            assert ("energy" in install_extras(env)) == bool(expected)


def test_database_is_the_input_and_the_deprecated_database_url_input_still_sets_the_store():
    """One name for the history store: the input ``database``, as the configuration key and
    the option ``--database``; ``database-url``, its first name, is still read."""
    action = load(ACTION)
    assert "database" in action["inputs"]["database-url"]["deprecationMessage"]
    defaults = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    passing = [step for step in steps(action) if "ECOLINT_DATABASE_URL" in step.get("env", {})]
    assert len(passing) == 2  # the install (which extras) and ecolint ci
    url = "postgresql+psycopg://ci@db/eco"
    for given, expected in [({}, ""), ({"database": url}, url), ({"database-url": url}, url)]:
        inputs = {**defaults, **given}
        for step in passing:
            env = {k: resolve(v, inputs, "t") for k, v in step["env"].items()}
            assert env["ECOLINT_DATABASE_URL"] == expected, (given, step.get("name"))


@pytest.mark.parametrize("command", [("history", "record"), ("history", "list"), ("dashboard",)])
def test_db_stays_the_short_spelling_of_database_in_every_command(command):
    """``--db``, the spelling the first releases documented, names the same option."""
    from ecolint.cli.main import cli

    group = cli
    for name in command:
        group = group.commands[name]
    [param] = [p for p in group.params if p.name == "database"]
    assert param.opts[:2] == ["--database", "--db"]
    ci_param = next(p for p in cli.commands["ci"].params if p.name == "database")
    assert ci_param.opts == param.opts


def test_the_a_b_rounds_default_to_15_everywhere_as_in_ecolint_energy_ab():
    from ecolint.ci.collect import CIOptions
    from ecolint.cli.energy import energy
    from ecolint.config.ci import CISettings

    [rounds] = [param for param in energy.commands["ab"].params if param.name == "rounds"]
    assert rounds.default == CISettings().rounds == CIOptions().rounds == 15
    assert "else 15 as for `ecolint energy ab`" in load(ACTION)["inputs"]["rounds"]["description"]


def yaml_blocks(path: Path) -> list:
    text = path.read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def test_the_readme_workflows_use_the_action_from_ecolints_repository_with_known_inputs():
    """No ``<owner>`` placeholder: the action is ``github_action/`` of ecolint's repository
    (the address SARIF's helpUri names), at the tag of this version; every ``with:`` is an
    input of action.yml under its current name."""
    from ecolint.version import VERSION as version  # the metadata's, see pyproject.toml

    inputs = {
        name for name, spec in load(ACTION)["inputs"].items() if "deprecationMessage" not in spec
    }
    used = []
    for block in yaml_blocks(README):
        for step in block if isinstance(block, list) else steps(block):
            uses = step.get("uses", "")
            if "github_action" in uses:
                assert uses == f"ecolint/ecolint/github_action@v{version}", uses
                assert set(step.get("with", {})) <= inputs, step["with"]
                used.append(step)
    assert len(used) == 4
    assert any(step["with"].get("energy") is True for step in used)
    for text in (README.read_text(encoding="utf-8"), (REPO / "README.md").read_text("utf-8")):
        assert "<owner>" not in text and "repository URL>" not in text
    sarif = (REPO / "src" / "ecolint" / "render" / "sarif.py").read_text(encoding="utf-8")
    assert '"informationUri": "https://github.com/ecolint/ecolint"' in sarif


def test_the_energy_workflow_keeps_the_python_holding_the_test_dependencies():
    """With ``energy: true`` the A/B runs pytest in ecolint's Python: the example sets up
    Python, installs the project's test dependencies, and tells the action not to set up
    another one (its install step then uses the ``python`` on the PATH)."""
    [workflow] = [
        block
        for block in yaml_blocks(README)
        if isinstance(block, dict)
        and any(step.get("with", {}).get("energy") is True for step in steps(block))
    ]
    names = [step.get("uses", step.get("run", "")).split("@")[0] for step in steps(workflow)]
    assert names.index("actions/setup-python") < names.index("ecolint/ecolint/github_action")
    [ours] = [step for step in steps(workflow) if "github_action" in step.get("uses", "")]
    assert ours["with"]["python-version"] == ""
    [setup] = [step for step in steps(load(ACTION)) if "setup-python" in step.get("uses", "")]
    assert "inputs.python-version != ''" in setup["if"]


def test_actionlint_reports_nothing_on_the_readme_workflows(tmp_path):
    """The workflows a user copies from the README are valid as they stand."""
    actionlint = BIN / "actionlint"
    require_component(actionlint.exists(), "actionlint", "pip install -e '.[dev]'")
    text = README.read_text(encoding="utf-8")
    written = []
    for number, block in enumerate(re.findall(r"```yaml\n(.*?)```", text, re.S)):
        if "jobs" in yaml.safe_load(block):  # whole workflows, not step fragments
            written.append(tmp_path / f"workflow_{number}.yml")
            written[-1].write_text(block, encoding="utf-8")
    assert len(written) == 3
    completed = subprocess.run(
        [str(actionlint), "-format", "{{json .}}", *map(str, written)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert completed.stdout.strip() in ("", "[]"), completed.stdout
    assert completed.returncode == 0, completed.stderr
