"""``ecolint dashboard`` end to end, from a real SQLite history store."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from dashboard_history import run, small_history

from ecolint.history.store import open_store
from ecolint.records import HistoryRecord
from helpers import git, git_repository, write


@pytest.fixture(autouse=True)
def no_database_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ECOLINT_DATABASE_URL", raising=False)


def store_history(root: Path, records: list[HistoryRecord], url: str | None = None) -> None:
    store = open_store(url, root)
    try:
        for record in records:
            store.record(record)
    finally:
        store.close()


def team_page(site: Path) -> str:
    (page,) = (site / "teams").glob("core-*.html")
    return page.read_text(encoding="utf-8")


def test_the_dashboard_of_the_default_store_is_written_to_the_output_folder(project, invoke):
    store_history(project, small_history())
    result = invoke("dashboard", "-o", "site")
    assert result.exit_code == 0, result.output
    assert "3 repositories and 2 teams (60 runs) written to site" in result.output
    assert (project / "site" / "index.html").is_file()
    assert len(list((project / "site" / "repositories").glob("*.html"))) == 3


def test_a_store_named_by_url_is_read(project, invoke, tmp_path):
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"
    store_history(project, [run("acme/one", 0)], url)
    result = invoke("dashboard", "--db", url, "-o", "out", "--period", "quarter")
    assert result.exit_code == 0, result.output
    assert "Current quarter: <strong>2026-Q1" in (project / "out" / "index.html").read_text()


def test_team_budgets_come_from_the_configuration_and_the_option_overrides_them(project, invoke):
    write(
        project / "pyproject.toml",
        """
        [tool.ecolint.teams.core]
        carbon-budget-kg = 0.0001
        budget-period = "month"
        """,
    )
    store_history(project, [run("acme/one", 0, carbon_g=1.0)])
    assert invoke("dashboard").exit_code == 0
    assert "over budget" in team_page(project / "site")
    assert invoke("dashboard", "--carbon-budget", "core=100").exit_code == 0
    page = team_page(project / "site")
    assert "within budget" in page and "100 kg CO2e per month" not in page
    assert "of 100 kg CO2e used in 2026-01" in page


def test_a_budget_for_a_team_without_runs_is_warned_about(project, invoke):
    store_history(project, [run("acme/one", 0)])
    result = invoke("dashboard", "--carbon-budget", "typo=5")
    assert result.exit_code == 0
    assert "carbon budget for team 'typo', which has no run" in result.output


@pytest.mark.parametrize("value", ["core", "core=", "core=-3", "core=lots", "=4", "core=inf"])
def test_a_malformed_budget_option_exits_2(project, invoke, value):
    store_history(project, [run("acme/one", 0)])
    result = invoke("dashboard", "--carbon-budget", value)
    assert result.exit_code == 2
    assert "--carbon-budget" in result.output
    assert not (project / "site").exists()


def test_a_wrong_team_budget_in_the_configuration_exits_2_naming_it(project, invoke):
    write(project / "pyproject.toml", '[tool.ecolint.teams.core]\ncarbon-budget-kg = "lots"\n')
    result = invoke("dashboard")
    assert result.exit_code == 2
    assert "[tool.ecolint.teams.core]: carbon-budget-kg must be a number" in result.output


def test_an_empty_history_exits_2_and_says_what_to_do(project, invoke):
    result = invoke("dashboard")
    assert result.exit_code == 2
    assert "no record yet: run `ecolint history record` first" in result.output
    assert not (project / "site").exists()


def test_a_corrupt_store_exits_2_and_writes_no_site(project, invoke):
    corrupt = project / "broken.sqlite"
    corrupt.write_bytes(b"this is not a database" * 100)
    result = invoke("dashboard", "--db", str(corrupt))
    assert result.exit_code == 2
    assert result.output.startswith("error:") and "Traceback" not in result.output
    assert not (project / "site").exists()


def test_an_output_that_is_a_file_exits_2(project, invoke):
    store_history(project, [run("acme/one", 0)])
    (project / "site").write_text("a file, not a folder\n")
    result = invoke("dashboard", "-o", "site")
    assert result.exit_code == 2
    assert "'site' is a file" in result.output
    assert (project / "site").read_text() == "a file, not a folder\n"


def test_an_output_folder_that_cannot_be_written_exits_2_without_an_overview(project, invoke):
    store_history(project, [run("acme/one", 0)])
    write(project / "site" / "repositories", "a file where a folder must go\n")
    result = invoke("dashboard", "-o", "site")
    assert result.exit_code == 2
    assert result.output.startswith("error: cannot write site")
    assert not (project / "site" / "index.html").exists()


@pytest.mark.slow
def test_the_command_runs_as_a_real_process(project, run_ecolint):
    store_history(project, small_history())
    completed = run_ecolint("dashboard", "-o", "public", cwd=project)
    assert completed.returncode == 0, completed.stderr
    assert (project / "public" / "indicators.csv").is_file()


def test_the_cycle_collector_is_back_on_after_the_command_also_after_an_error(project, invoke):
    assert invoke("dashboard").exit_code == 2  # empty history
    assert gc.isenabled()
    store_history(project, [run("acme/one", 0)])
    assert invoke("dashboard").exit_code == 0
    assert gc.isenabled()


def test_the_history_kept_on_a_git_data_branch_is_read_too(project, invoke):
    git_repository(project)
    git(project, "commit", "-q", "--allow-empty", "-m", "start")
    store_history(project, [run("acme/one", 0), run("acme/one", 1, 75.0)], "git")
    result = invoke("dashboard", "--db", "git", "-o", "site")
    assert result.exit_code == 0, result.output
    assert "1 repository and 1 team (2 runs)" in result.output
