"""The repository page's table of the latest run's hottest measured findings.

End to end: ``ecolint history record --profile`` with py-spy's real profile of
``tests/profiles/hot_cold.py`` into a SQLite store, then ``ecolint dashboard`` from it.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from dashboard_history import run

from ecolint.dashboard import build_site
from ecolint.records import HotFinding
from helpers import git, git_repository, write
from helpers.profiling import COLD_LINE, HOT_COLD, HOT_LINE, record_profile

TITLE = "Hottest findings in the latest run"


@pytest.fixture(autouse=True)
def no_database_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ECOLINT_DATABASE_URL", raising=False)


def repository_page(site: Path) -> str:
    (page,) = (site / "repositories").glob("*.html")
    return page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_run_recorded_with_a_profile_shows_its_hot_finding_on_the_page(
    tmp_path, invoke, monkeypatch
):
    git_repository(tmp_path)
    write(tmp_path / "pyproject.toml", '[tool.ecolint]\nextend-select = ["ECO104"]\n')
    shutil.copy(HOT_COLD, tmp_path / "prog.py")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "program")
    monkeypatch.chdir(tmp_path)
    profile = record_profile(Path("prog.py"), tmp_path.parent / "prog.txt", cwd=tmp_path)
    args = ("--repo", "acme/hot")
    assert invoke("history", "record", *args, "--profile", str(profile)).exit_code == 0
    assert invoke("dashboard", "-o", "site").exit_code == 0
    page = repository_page(tmp_path / "site")
    table = page.split(TITLE, 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<code>(ECO\d+)</code>.*?<code>prog\.py:(\d+)</code>.*?([\d.]+) %", table)
    # the hot finding first; the cold one had no sample (not listed) or a few (under 2 %)
    (rule, line, share), *cold = rows
    assert (rule, int(line)) == ("ECO104", HOT_LINE) and float(share) >= 70, table
    assert all(int(line) == COLD_LINE and float(share) < 2 for _, line, share in cold), table
    # a later run without a profile: the table is the latest run's, so it is gone
    assert invoke("history", "record", *args).exit_code == 0
    assert invoke("dashboard", "-o", "site").exit_code == 0
    assert TITLE not in repository_page(tmp_path / "site")


def test_a_run_without_a_profile_has_no_table(tmp_path):
    build_site([run("acme/api", 0)], tmp_path)
    assert TITLE not in repository_page(tmp_path)


def test_the_paths_and_rules_of_the_table_are_escaped(tmp_path):
    path = '<img src=x onerror="alert(1)">.py'
    hot = (
        HotFinding("ECO<b>1", path, 3, 0.5, 12.5),
        HotFinding("ECO102", "b.py", 9, 0.004, 0.1, "sampled"),  # py-spy: an upper bound
    )
    build_site([replace(run("acme/api", 0), hot_findings=hot)], tmp_path)
    page = repository_page(tmp_path)
    assert "<img" not in page and "<b>" not in page
    assert html.escape(path, quote=True) + ":3" in page
    assert "50 %" in page and "12.5 J" in page and "0.4 %" in page
    assert "≤ 0.1 J" in page and "≤ 12.5 J" not in page
