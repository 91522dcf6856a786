"""``ecolint score``: text and JSON output, the reports it finds, and its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write

WASTEFUL = (
    "def send_all(users):\n    for user in users:\n"
    "        with open('template.html') as f:\n            send(user, f.read())\n"
)


@pytest.fixture
def repo(project: Path) -> Path:
    write(project / "shop" / "app.py", WASTEFUL)
    return project


def test_score_prints_the_total_each_part_and_why_a_part_is_missing(repo: Path, invoke) -> None:
    result = invoke("score")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Ecodesign score of {repo.name}: ") and "/ 100, grade " in lines[0]
    assert lines[1].split()[:1] == ["code"]
    assert "1 finding (weight 3) in 4 lines" in lines[1]  # ECO202: impact high
    assert "tests" in lines[2] and "not measured" in lines[2]
    assert "web" in lines[3] and "not measured" in lines[3]


def test_the_json_score_has_a_stable_versioned_shape(repo: Path, invoke) -> None:
    document = json.loads(invoke("score", "--format", "json").output)
    assert document["version"] == 1
    assert set(document) == {
        "version", "score", "grade", "parts", "not_measured", "findings", "lines_of_code",
        "energy_kwh", "carbon_g", "ecoindex",
    }  # fmt: skip
    assert document["findings"] == {"ECO202": 1}
    assert [part["name"] for part in document["parts"]] == ["code"]
    assert document["score"] == document["parts"][0]["score"]


def test_an_empty_repository_is_not_measured_and_exits_0(project: Path, invoke) -> None:
    result = invoke("score")
    assert result.exit_code == 0
    assert "not measured (no part could be measured)" in result.output


def test_fail_under_exits_1_below_the_threshold_and_0_above(repo: Path, invoke) -> None:
    failed = invoke("score", "--fail-under", "99")
    assert failed.exit_code == 1
    assert "is under --fail-under 99" in failed.stderr
    assert invoke("score", "--fail-under", "10").exit_code == 0


def test_a_broken_energy_report_exits_2_with_its_path(repo: Path, invoke) -> None:
    write(repo / "broken.json", "{")
    result = invoke("score", "--energy-report", "broken.json")
    assert result.exit_code == 2
    assert "broken.json" in result.output and "not JSON" in result.output


@pytest.mark.slow
def test_the_report_of_a_real_pytest_eco_run_scores_the_tests_part(repo: Path, run_ecolint) -> None:
    write(repo / "pyproject.toml", "[tool.ecolint.energy]\nbudget.suite-energy-j = 1000\n")
    write(repo / "tests" / "test_app.py", "def test_sum():\n    assert sum(range(1000)) > 0\n")
    subprocess.run(
        [sys.executable, "-m", "pytest", "--eco", "--eco-json", ".eco/energy.json", "-q",
         "-p", "no:cacheprovider", "tests"],
        cwd=repo, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    result = run_ecolint("score", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    (tests,) = [part for part in document["parts"] if part["name"] == "tests"]
    assert 60 <= tests["score"] <= 100  # well within a 1 kJ budget
    assert document["energy_kwh"] > 0
