"""``[tool.ecolint.history]``: validated, and used by ``ecolint history`` when no option says."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecolint.config import ConfigError, load_settings
from ecolint.history.store import open_store
from helpers import git, git_repository, write


def settings_of(project: Path, table: str):
    write(project / "pyproject.toml", f"[tool.ecolint.history]\n{table}\n")
    return load_settings(start=project).history


def test_the_table_is_read(project: Path) -> None:
    history = settings_of(project, 'database = "git"\nteam = "payments"\nrepository = "acme/shop"')
    assert (history.database, history.team, history.repository) == ("git", "payments", "acme/shop")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('db = "git"', "unknown key"),
        ("team = 3", "team must be a non-empty string"),
        ('repository = ""', "repository must be a non-empty string"),
        ('database = "postgresql+psycopg://u:secret@db/h"', "ECOLINT_DATABASE_URL"),
    ],
)
def test_a_bad_table_is_a_configuration_error(project: Path, table: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings_of(project, table)


def test_a_database_url_without_password_is_accepted(project: Path) -> None:
    url = "postgresql+psycopg://ci@db.internal/history"
    assert settings_of(project, f'database = "{url}"').database == url


def test_record_uses_the_configured_store_team_and_repository(
    project: Path, invoke, monkeypatch
) -> None:
    for name in ("GITHUB_REPOSITORY", "ECOLINT_TEAM", "ECOLINT_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    git_repository(project)
    write(
        project / "pyproject.toml",
        '[tool.ecolint.history]\ndatabase = "git"\nteam = "payments"\nrepository = "acme/shop"\n',
    )
    write(project / "app.py", "x = 1\n")
    result = invoke("history", "record")
    assert result.exit_code == 0, result.output
    assert "history/" in git(project, "ls-tree", "-r", "--name-only", "ecolint-history")
    (rec,) = open_store("git", project).records()
    assert (rec.repository, rec.team) == ("acme/shop", "payments")
    assert "acme/shop" in invoke("history", "list").output  # list reads the same store


def test_the_command_line_wins_over_the_table(project: Path, invoke, monkeypatch) -> None:
    monkeypatch.delenv("ECOLINT_DATABASE_URL", raising=False)
    monkeypatch.delenv("ECOLINT_TEAM", raising=False)
    write(project / "pyproject.toml", '[tool.ecolint.history]\ndatabase = "git"\nteam = "a"\n')
    result = invoke("history", "record", "--db", "here.sqlite", "--team", "b", "--repo", "r")
    assert result.exit_code == 0, result.output
    (rec,) = open_store("here.sqlite", project).records()
    assert rec.team == "b"
