"""``ecolint history record|list|export`` through the CLI, on the default SQLite store."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecolint.cli.main import cli
from ecolint.history.store import open_store
from helpers import git, git_repository, write

WASTEFUL = (
    "def send_all(users):\n    for user in users:\n"
    "        with open('template.html') as f:\n            send(user, f.read())\n"
)


@pytest.fixture
def repo(project: Path) -> Path:
    write(project / "app.py", WASTEFUL)
    return project


def test_record_scores_the_run_and_stores_it_in_the_default_sqlite_file(repo: Path, invoke) -> None:
    result = invoke("history", "record", "--repo", "acme/shop", "--team", "payments")
    assert result.exit_code == 0, result.output
    assert "Ecodesign score of acme/shop" in result.output
    assert "Recorded acme/shop" in result.output
    store = open_store(None, repo)
    (rec,) = store.records()
    store.close()
    assert (rec.repository, rec.team, rec.findings) == ("acme/shop", "payments", {"ECO202": 1})
    assert rec.lines_of_code == 4 and rec.tool_version
    assert (repo / ".ecolint" / "history.sqlite").is_file()


def test_record_names_the_run_from_git_when_not_told(repo: Path, invoke, monkeypatch) -> None:
    for name in ("GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_REF_NAME", "GITHUB_HEAD_REF"):
        monkeypatch.delenv(name, raising=False)
    git_repository(repo)
    git(repo, "remote", "add", "origin", "git@github.com:acme/shop.git")
    git(repo, "add", "app.py")
    git(repo, "commit", "-q", "-m", "first")
    head = git(repo, "rev-parse", "HEAD").strip()
    assert invoke("history", "record").exit_code == 0
    (rec,) = open_store(None, repo).records()
    assert (rec.repository, rec.branch, rec.commit) == ("acme/shop", "main", head)


def test_record_prefers_the_github_actions_variables(repo: Path, invoke, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/api")
    monkeypatch.setenv("GITHUB_SHA", "f" * 40)
    monkeypatch.setenv("GITHUB_HEAD_REF", "feature/faster")
    assert invoke("history", "record").exit_code == 0
    (rec,) = open_store(None, repo).records()
    assert (rec.repository, rec.branch, rec.commit) == ("acme/api", "feature/faster", "f" * 40)


def test_record_into_the_data_branch_store(repo: Path, invoke) -> None:
    git_repository(repo)
    assert invoke("history", "record", "--db", "git", "--repo", "acme/shop").exit_code == 0
    assert "history/" in git(repo, "ls-tree", "-r", "--name-only", "ecolint-history")
    assert "acme/shop" in invoke("history", "list", "--db", "git").output


def test_list_shows_runs_oldest_first_and_filters_them(repo: Path, invoke) -> None:
    for name in ("acme/shop", "acme/blog"):
        assert invoke("history", "record", "--repo", name, "--commit", "abc").exit_code == 0
    header, *lines = invoke("history", "list").output.splitlines()
    assert header.split()[:5] == ["recorded", "(UTC)", "repository", "team", "branch@commit"]
    assert [line.split()[2] for line in lines] == ["acme/shop", "acme/blog"]
    _, *only = invoke("history", "list", "--repo", "acme/blog").output.splitlines()
    assert len(only) == 1 and "acme/blog" in only[0]


def test_list_aligns_its_columns_and_shows_the_team(repo: Path, invoke) -> None:
    invoke("history", "record", "--repo", "acme/a-very-long-repository-name", "--commit", "abc")
    invoke("history", "record", "--repo", "acme/x", "--commit", "abd", "--team", "payments")
    header, *lines = invoke("history", "list").output.splitlines()
    assert "payments" in lines[1] and lines[0].split()[3] == "-"
    column = header.index("branch@commit")
    assert all(line[column - 2 : column] == "  " for line in lines)
    assert invoke("history", "list", "--since", "2999-01-01").output == "No recorded runs.\n"


def test_list_as_json_gives_the_stored_records(repo: Path, invoke) -> None:
    invoke("history", "record", "--repo", "acme/shop")
    (record,) = json.loads(invoke("history", "list", "--format", "json").output)
    assert record["version"] == 1 and record["repository"] == "acme/shop"


def test_an_empty_history_lists_nothing(project: Path, invoke) -> None:
    assert invoke("history", "list").output == "No recorded runs.\n"


def test_export_gives_csv_indicators_per_repository_and_month(repo: Path, invoke) -> None:
    invoke("history", "record", "--repo", "acme/shop", "--team", "payments")
    invoke("history", "record", "--repo", "acme/shop", "--team", "payments")
    rows = list(csv.DictReader(io.StringIO(invoke("history", "export").output)))
    assert len(rows) == 1
    assert (rows[0]["repository"], rows[0]["team"], rows[0]["runs"]) == (
        "acme/shop",
        "payments",
        "2",
    )
    assert rows[0]["findings"] == "1"


def test_export_as_json_by_team_and_quarter_to_a_file(repo: Path, invoke) -> None:
    invoke("history", "record", "--repo", "acme/shop", "--team", "payments")
    invoke("history", "record", "--repo", "acme/blog", "--team", "payments")
    result = invoke("history", "export", "--format", "json", "--by", "team",
                    "--period", "quarter", "-o", "indicators.json")  # fmt: skip
    assert result.exit_code == 0 and result.output == ""
    document = json.loads((repo / "indicators.json").read_text())
    (row,) = document["rows"]
    assert document["period"] == "quarter" and "-Q" in row["period"]
    assert (row["team"], row["repository"], row["runs"]) == ("payments", "", 2)


def test_the_database_url_comes_from_the_environment(repo: Path, invoke, monkeypatch) -> None:
    monkeypatch.setenv("ECOLINT_DATABASE_URL", f"sqlite:///{repo / 'elsewhere.sqlite'}")
    assert invoke("history", "record", "--repo", "acme/shop").exit_code == 0
    assert (repo / "elsewhere.sqlite").is_file()
    assert not (repo / ".ecolint").exists()


@pytest.mark.slow
def test_record_as_a_real_subprocess_then_list(repo: Path, run_ecolint) -> None:
    recorded = run_ecolint("history", "record", "--repo", "acme/shop", cwd=repo)
    assert recorded.returncode == 0, recorded.stderr
    listed = run_ecolint("history", "list", cwd=repo)
    assert listed.returncode == 0 and "acme/shop" in listed.stdout


@pytest.mark.slow
def test_the_command_line_starts_without_importing_the_database_libraries() -> None:
    probe = (
        "import sys, ecolint.cli.main; "
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'psycopg') if m in sys.modules))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert completed.stdout.strip() == "[]"


def test_reading_commands_never_create_a_store(project: Path, invoke) -> None:
    missing = project / "nowhere" / "typo.sqlite"
    assert invoke("history", "list").output == "No recorded runs.\n"
    assert invoke("history", "export", "--format", "json").exit_code == 0
    for args in (
        ("history", "list", "--db", str(missing)),
        ("history", "export", "--db", f"sqlite:///{missing}"),
        ("dashboard", "--db", f"sqlite:///{missing}", "-o", str(project / "site")),
    ):
        result = CliRunner().invoke(cli, list(args))
        assert result.exit_code == 2, (args, result.output)
        assert "no history store at" in result.stderr, result.stderr
    assert not (project / ".ecolint").exists() and not missing.parent.exists()


def test_an_output_file_in_a_missing_folder_is_written_there(repo: Path, invoke) -> None:
    invoke("history", "record", "--repo", "acme/shop")
    target = repo / "reports" / "2026" / "indicators.csv"
    result = invoke("history", "export", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("period")


def test_an_output_file_that_cannot_be_written_is_a_usage_error_before_any_work(
    repo: Path, invoke
) -> None:
    (repo / "taken").mkdir()
    result = CliRunner().invoke(cli, ["check", "-o", str(repo / "taken")])
    assert result.exit_code == 2 and "cannot write" in result.stderr and "folder" in result.stderr
