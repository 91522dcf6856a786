"""Gathering a repository's figures for its score: lint, lines of code, energy and web reports."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ecolint.config import load_settings
from ecolint.energy.model import BudgetResult, EnergyReport, SessionEnergy
from ecolint.render.web import render_json
from ecolint.results import LintReport
from ecolint.scoring.ecoindex import ecoindex
from ecolint.scoring.measure import (
    ScoreInputError,
    count_code_lines,
    measure_repository,
)
from ecolint.web.model import PageResult, WebReport
from helpers import write

WASTEFUL = """\
def send_all(users):
    for user in users:
        with open("template.html") as f:
            send(user, f.read())
    return len(users)
"""


def energy_report(energy_j: float = 2.0, budgets: list[BudgetResult] | None = None) -> EnergyReport:
    session = SessionEnergy(
        method="model:cpu-time", method_description="test", watts_per_thread=4.0,
        coefficient_source="test", zone="FR", intensity_g_per_kwh=50.0, intensity_source="t",
        intensity_year=2024, pue=1.0, workers=1, python="3.11", cpu_brand="cpu", cpu_count=2,
        wall_s=1.0, cpu_s=0.5, energy_j=energy_j, energy_j_low=energy_j, energy_j_high=energy_j,
        energy_kwh=energy_j / 3.6e6, gco2e=energy_j / 3.6e6 * 50.0, embodied_g=0.0,
        sci_g_per_run=0.0, tests=3, complete=True,
    )  # fmt: skip
    return EnergyReport(session=session, budgets=budgets or [])


def web_report(*scores: tuple[str, int, int, float]) -> WebReport:
    pages = tuple(
        PageResult(
            url=url,
            dom=dom,
            requests=requests,
            bytes=int(kb * 1000),
            ecoindex=ecoindex(dom, requests, kb),
        )
        for url, dom, requests, kb in scores
    )
    return WebReport(
        tool="ecolint", browser="test", lighthouse=None, method="", settings={}, pages=pages
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write(tmp_path / "pyproject.toml", "[tool.ecolint]\n")
    return tmp_path


def test_an_empty_repository_has_no_score_and_says_why(repo: Path) -> None:
    measured = measure_repository(repo)
    assert measured.score.score is None and measured.score.grade is None
    assert set(measured.not_measured) == {"code", "tests", "web"}
    assert measured.lines_of_code == 0


def test_clean_code_alone_scores_100_with_tests_and_web_not_measured(repo: Path) -> None:
    write(repo / "app.py", "def join(parts):\n    return ''.join(parts)\n")
    score = measure_repository(repo).score
    assert (score.score, score.grade) == (100.0, "A")
    assert [p.name for p in score.parts] == ["code"]


def test_findings_are_counted_per_rule_and_lower_the_code_part(repo: Path) -> None:
    write(repo / "app.py", WASTEFUL)
    measured = measure_repository(repo)
    assert measured.findings == {"ECO202": 1}
    assert measured.lines_of_code == 5
    assert measured.score.score is not None and measured.score.score < 100


def test_a_file_that_could_not_be_linted_adds_no_lines_of_code(repo: Path) -> None:
    write(repo / "app.py", WASTEFUL)
    write(repo / "broken.py", "def broken(:\n    pass\n" * 50)
    assert measure_repository(repo).lines_of_code == 5


def test_the_given_lint_report_is_used_instead_of_linting(repo: Path) -> None:
    write(repo / "app.py", WASTEFUL)
    assert measure_repository(repo, lint_report=LintReport()).score.score is None


def test_the_tests_part_compares_the_suite_energy_with_the_configured_budget(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.ecolint.energy]\nbudget.suite-energy-j = 8\n")
    measured = measure_repository(repo, energy_report=energy_report(energy_j=2.0))
    (tests,) = measured.score.parts
    assert (tests.name, tests.score, tests.grade) == ("tests", 90.0, "A")
    assert measured.energy_kwh == pytest.approx(2.0 / 3.6e6)
    assert measured.carbon_g == pytest.approx(2.0 / 3.6e6 * 50.0)


def test_the_budget_recorded_in_the_energy_report_is_used_when_none_is_configured(
    repo: Path,
) -> None:
    budget = BudgetResult(scope="suite", metric="cpu_s", limit=1.0, value=0.5, level="warn")
    score = measure_repository(repo, energy_report=energy_report(budgets=[budget])).score
    assert [(p.name, p.score) for p in score.parts] == [("tests", 80.0)]


def test_energy_without_any_suite_budget_is_recorded_but_not_scored(repo: Path) -> None:
    measured = measure_repository(repo, energy_report=energy_report())
    assert measured.score.parts == ()
    assert "budget" in measured.not_measured["tests"]
    assert measured.energy_kwh is not None


def test_the_energy_report_is_read_from_its_json_file(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.ecolint.energy]\nbudget.suite-energy-j = 4\n")
    path = repo / ".eco" / "energy.json"
    energy_report(energy_j=4.0).write(path)
    assert [
        (p.name, p.score) for p in measure_repository(repo, energy_report=path).score.parts
    ] == [("tests", 60.0)]


def test_the_tests_part_names_its_report_and_the_units_of_its_figures(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.ecolint.energy]\nbudget.suite-energy-j = 4\n")
    path = repo / ".eco" / "energy.json"
    energy_report(energy_j=2.0).write(path)
    (tests,) = measure_repository(repo, energy_report=path).score.parts
    assert tests.detail == f"suite-energy-j 2 J of a budget of 4 J (50%), from {path}"


@pytest.mark.parametrize(("complete", "status"), [(False, None), (True, 2)])
def test_a_run_that_did_not_complete_is_not_scored_as_the_suite(
    repo: Path, complete: bool, status: int | None
) -> None:
    """A collection error leaves a report of 0 tests and next to no energy: scored, it
    would read as an excellent suite."""
    write(repo / "pyproject.toml", "[tool.ecolint.energy]\nbudget.suite-energy-j = 4\n")
    report = energy_report(energy_j=0.01)
    report.session = replace(report.session, complete=complete, exitstatus=status)
    measured = measure_repository(repo, energy_report=report)
    assert measured.score.parts == ()
    assert "did not complete" in measured.not_measured["tests"]


def test_an_unreadable_energy_report_is_a_clear_error(repo: Path) -> None:
    write(repo / "energy.json", "{not json")
    with pytest.raises(ScoreInputError, match=r"energy\.json"):
        measure_repository(repo, energy_report=repo / "energy.json")


def test_the_web_part_is_the_mean_ecoindex_of_the_audited_pages(repo: Path) -> None:
    report = web_report(("http://a/", 240, 20, 331), ("http://b/", 100, 100, 100))
    measured = measure_repository(repo, web_report=report)
    assert measured.ecoindex == {"http://a/": 83.0, "http://b/": 72.0}
    (web,) = measured.score.parts
    assert (web.name, web.score, web.grade) == ("web", 77.5, "B")


def test_a_page_that_could_not_be_measured_does_not_count(repo: Path) -> None:
    report = web_report(("http://a/", 240, 20, 331))
    broken = WebReport(tool="", browser="", lighthouse=None, method="", settings={},
                       pages=(*report.pages, PageResult(url="http://down/")))  # fmt: skip
    assert measure_repository(repo, web_report=broken).ecoindex == {"http://a/": 83.0}


def test_the_web_report_is_read_from_its_json_file(repo: Path) -> None:
    path = repo / "web.json"
    path.write_text(render_json(web_report(("http://a/", 240, 20, 331))), encoding="utf-8")
    assert measure_repository(repo, web_report=path).score.score == 83.0


def test_all_three_parts_count_equally(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.ecolint.energy]\nbudget.suite-energy-j = 8\n")
    write(repo / "app.py", "x = 1\n")
    score = measure_repository(
        repo,
        energy_report=energy_report(energy_j=2.0),
        web_report=web_report(("http://b/", 100, 100, 100)),
        settings=load_settings(start=repo),
    ).score
    assert [(p.name, p.score) for p in score.parts] == [
        ("code", 100.0), ("tests", 90.0), ("web", 72.0)
    ]  # fmt: skip
    assert score.score == round((100 + 90 + 72) / 3, 1)


def test_lines_of_code_leave_out_blank_lines_and_comments(tmp_path: Path) -> None:
    path = write(tmp_path / "m.py", '# header\n\nx = 1  # set\n\n"""doc\nstring"""\ny = (\n  2)\n')
    assert count_code_lines(path) == 5


def test_lines_of_code_are_counted_in_files_that_are_not_valid_python_or_utf_8(
    tmp_path: Path,
) -> None:
    path = tmp_path / "m.py"
    path.write_bytes(b"x = (\n# c\n\nname = '\xe9t\xe9'\n")
    assert count_code_lines(path) == 2


def test_a_file_that_vanished_counts_no_lines(tmp_path: Path) -> None:
    assert count_code_lines(tmp_path / "gone.py") == 0
