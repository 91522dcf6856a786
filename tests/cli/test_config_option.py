"""Every command that takes ``--config`` reads the named file, never the nearest one.

Each test sets up a project whose ``pyproject.toml`` (the nearest configuration) says one
thing and ``conf/custom.toml`` another, runs the command with ``--config conf/custom.toml``
and checks that what the command did follows the named file.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from ecolint.cli.main import cli
from helpers import git, git_repository, write

CUSTOM = Path("conf") / "custom.toml"
# One ECO102 finding (bytes grown in a loop: an opt-in rule), where a configuration selects it.
APP = """\
def total(orders):
    text = b""
    for order in orders:
        text += bytes(order)
    return text
"""
TESTED: set[str] = set()  # the commands this module covers, checked by the last test


def covers(command: str):
    TESTED.add(command)
    return lambda test: test


def commands_with_config(group: click.Group = cli, prefix: str = "") -> set[str]:
    """``check``, ``history record``, …: every (sub)command that has a --config option."""
    found = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= commands_with_config(command, f"{prefix}{name} ")
        elif any("--config" in param.opts for param in command.params):
            found.add(f"{prefix}{name}")
    return found


@pytest.fixture
def app(project):
    """The project with ECO102 ignored by its pyproject.toml, and ``app.py``."""
    write(project / "pyproject.toml", '[tool.ecolint]\nignore = ["ECO102"]\n')
    write(project / "app.py", APP)
    return project


@covers("check")
def test_check_lints_with_the_named_configuration(app, invoke):
    write(app / CUSTOM, 'select = ["ECO102"]\n')
    assert "ECO102" not in invoke("check", "app.py").output
    result = invoke("check", "--config", str(CUSTOM), "app.py")
    assert result.exit_code == 1 and "app.py:4:" in result.output and "ECO102" in result.output


@covers("explain")
def test_explain_prices_a_profile_with_the_watts_of_the_named_configuration(app, invoke):
    write(app / CUSTOM, "[energy]\nwatts-per-thread = 7.5\n")
    write(app / "profile.txt", "total (app.py:4) 200\n")  # 2 s at py-spy's 100 Hz
    args = ("explain", "ECO102", "--profile", "profile.txt", "app.py")
    result = invoke(*args[:1], "--config", str(CUSTOM), *args[1:])
    assert result.exit_code == 0, result.output
    assert "[hot 100% · ≤2.00 s · ≤15.0 J]" in result.output  # 2 s × 7.5 W
    assert "≤15.0 J]" not in invoke(*args).output  # the nearest pyproject.toml has no watts


@covers("score")
def test_score_counts_the_findings_of_the_named_configuration(app, invoke):
    write(app / CUSTOM, 'select = ["ECO102"]\n')
    result = invoke("score", "--config", str(CUSTOM), "--format", "json")
    assert json.loads(result.output)["findings"] == {"ECO102": 1}


def _history_config(project: Path) -> Path:
    store = project / "custom-history.sqlite"
    write(
        project / CUSTOM,
        f'[history]\ndatabase = "sqlite:///{store.as_posix()}"\nrepository = "acme/custom"\n',
    )
    return store


@covers("history record")
def test_history_record_writes_to_the_store_and_name_of_the_named_configuration(app, invoke):
    store = _history_config(app)
    result = invoke("history", "record", "--config", str(CUSTOM))
    assert result.exit_code == 0, result.output
    assert "Recorded acme/custom" in result.output
    assert store.is_file() and not (app / ".ecolint").exists()


@covers("history list")
@covers("history export")
def test_history_list_and_export_read_the_store_of_the_named_configuration(app, invoke):
    _history_config(app)
    invoke("history", "record", "--config", str(CUSTOM))
    listed = invoke("history", "list", "--config", str(CUSTOM))
    assert listed.exit_code == 0 and "acme/custom" in listed.output
    exported = invoke("history", "export", "--config", str(CUSTOM), "--format", "json")
    assert exported.exit_code == 0 and "acme/custom" in exported.output


@covers("dashboard")
def test_dashboard_reads_the_store_of_the_named_configuration(app, invoke):
    _history_config(app)
    invoke("history", "record", "--config", str(CUSTOM))
    result = invoke("dashboard", "--config", str(CUSTOM), "-o", "site")
    assert result.exit_code == 0, result.output
    assert "acme/custom" in (app / "site" / "index.html").read_text(encoding="utf-8")


@covers("web")
def test_web_audits_with_the_settings_of_the_named_configuration(app, invoke, monkeypatch):
    audited = _fake_web_audit(monkeypatch)
    write(
        app / "pyproject.toml", '[tool.ecolint.web]\nurls = ["http://a.invalid/"]\ntimeout = 30\n'
    )
    write(app / CUSTOM, '[web]\nurls = ["http://127.0.0.1:9/"]\ntimeout = 99\n')
    assert invoke("web", "--config", str(CUSTOM)).exit_code == 0
    assert audited == [(["http://127.0.0.1:9/"], 99.0)]


def _fake_web_audit(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], float]]:
    """Replace the browser: record the URLs and the page timeout each audit is given."""
    import ecolint.web.audit
    from ecolint.web.model import WebReport

    audited = []

    def audit(urls, options):
        audited.append((list(urls), options.measure.timeout))
        return WebReport(
            tool="ecolint", browser="stand-in", lighthouse=None, method="", settings={}
        )

    monkeypatch.setattr(ecolint.web.audit, "run_web_audit", audit)
    return audited


@covers("clean")
def test_clean_removes_the_cache_beside_the_named_configuration(app, invoke, monkeypatch):
    monkeypatch.delenv("ECOLINT_CACHE_DIR", raising=False)
    write(app / CUSTOM, "")
    invoke("check", "--config", str(CUSTOM), "app.py")  # fills conf/.ecolint_cache
    invoke("check", "app.py")  # fills ./.ecolint_cache
    assert (app / "conf" / ".ecolint_cache").is_dir()
    assert invoke("clean", "--config", str(CUSTOM)).exit_code == 0
    assert not (app / "conf" / ".ecolint_cache").exists()
    assert (app / ".ecolint_cache").is_dir()


@pytest.fixture
def pull_request(app, monkeypatch):
    """A repository: ``main`` has app.py (one ECO102) and a pyproject.toml with the web
    timeout at 30; the checked-out branch ``feature`` adds ``conf/custom.toml``, which
    ignores ECO102, sets the timeout to 99 and an energy budget no run can meet."""
    for name in ("GITHUB_EVENT_NAME", "GITHUB_REPOSITORY", "GITHUB_TOKEN", "GITHUB_EVENT_PATH"):
        monkeypatch.delenv(name, raising=False)
    git_repository(app)
    write(
        app / "pyproject.toml",
        '[tool.ecolint]\nextend-select = ["ECO102"]\n[tool.ecolint.web]\ntimeout = 30\n',
    )
    git(app, "add", "-A")
    git(app, "commit", "-q", "-m", "base")
    git(app, "checkout", "-q", "-b", "feature")
    write(
        app / CUSTOM,
        """\
        ignore = ["ECO102"]
        [web]
        urls = ["http://127.0.0.1:9/"]
        timeout = 99
        [energy.budget]
        suite-cpu-s = 0.001
        [ci]
        energy = true
        rounds = 3
        """,
    )
    write(app / "sub" / "notes.txt", "a folder of the repository\n")
    git(app, "add", "-A")
    git(app, "commit", "-q", "-m", "head: a configuration of its own")
    return app


def _fake_test_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace pytest in the energy A/B: every run takes 2 s of CPU."""
    import ecolint.energy.ab
    from ecolint.energy.ab import Run

    def run_suite(tree, subfolder, report, pytest_args):
        return Run(2.0, 2.0, 30.0, 0.001, "stand-in", {"test_a.py::test_a": 2.0}, 0)

    monkeypatch.setattr(ecolint.energy.ab, "run_suite", run_suite)


@covers("ci")
def test_ci_audits_the_pages_with_the_named_configuration(pull_request, invoke, monkeypatch):
    """The review's reproduction: the URLs came from --config, the audit's settings from
    the nearest pyproject.toml (page timeout 30 instead of 99)."""
    audited = _fake_web_audit(monkeypatch)
    invoke("ci", "--local", "main", "--no-energy", "--config", str(CUSTOM))
    assert audited == [(["http://127.0.0.1:9/"], 99.0)]


def test_ci_checks_the_energy_budgets_of_the_named_configuration(pull_request, invoke, monkeypatch):
    _fake_web_audit(monkeypatch)
    _fake_test_runs(monkeypatch)
    result = invoke("ci", "--local", "main", "--config", str(CUSTOM))
    assert "suite cpu_s 2 (max 0.001)" in result.output
    assert result.exit_code == 1  # the budget gate fails


def test_ci_lints_base_and_head_with_the_named_configuration(pull_request, invoke, monkeypatch):
    """The base revision has no conf/custom.toml: it used to be linted with its own
    pyproject.toml, and its ECO102 (ignored by --config) showed as fixed by the PR."""
    _fake_web_audit(monkeypatch)
    result = invoke("ci", "--local", "main", "--no-energy", "--config", str(CUSTOM))
    assert result.exit_code == 0, result.output
    assert "ECO102" not in result.stdout  # ignored on both sides: nothing fixed, nothing new


def test_ci_reads_the_configuration_once(pull_request, invoke, monkeypatch):
    """Once for the whole run (it used to be read again for each tree, each score and each
    optional part), then passed down."""
    import ecolint.config.loader as loader

    _fake_web_audit(monkeypatch)
    parse, read = loader.parse_table, []
    monkeypatch.setattr(loader, "parse_table", lambda *args: read.append(args) or parse(*args))
    result = invoke("ci", "--local", "main", "--no-energy", "--config", str(CUSTOM))
    assert result.exit_code == 0, result.output
    assert len(read) == 1


def test_ci_takes_the_named_configuration_relative_to_the_repository(
    pull_request, invoke, monkeypatch
):
    """As the action passes it, and as the help says: not relative to the working folder."""
    audited = _fake_web_audit(monkeypatch)
    monkeypatch.chdir(pull_request / "sub")
    invoke("ci", "--local", "main", "--no-energy", "--config", str(CUSTOM))
    assert audited == [(["http://127.0.0.1:9/"], 99.0)]


def test_ci_refuses_a_named_configuration_that_does_not_exist(pull_request, invoke):
    result = invoke("ci", "--local", "main", "--config", "conf/missing.toml")
    assert result.exit_code == 2 and "missing.toml: cannot read" in result.output


def test_every_command_with_a_config_option_is_covered_here():
    assert commands_with_config() == TESTED
