"""The repository score formula: parts, total, grades, and the edge cases."""

from __future__ import annotations

import math

import pytest

from ecolint.records import ScorePart
from ecolint.scoring.repo_score import (
    CODE_DECAY,
    code_part,
    combine,
    grade_for,
    suite_part,
    web_part,
)


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "A"), (80.1, "A"), (80, "B"), (70.1, "B"), (70, "C"), (55, "D"), (40, "E"),
     (25, "F"), (10.1, "F"), (10, "G"), (0, "G")],
)  # fmt: skip
def test_grades_follow_the_ecoindex_thresholds(score: float, grade: str) -> None:
    assert grade_for(score) == grade


def test_code_without_findings_scores_100() -> None:
    part = code_part({}, {}, lines_of_code=5000)
    assert part is not None and (part.score, part.grade) == (100.0, "A")


def test_an_empty_repository_has_no_code_part() -> None:
    assert code_part({"ECO102": 3}, {"ECO102": "high"}, lines_of_code=0) is None


def test_code_findings_are_weighted_by_impact_per_thousand_lines() -> None:
    # 2 high (3 each) + 1 medium (2) + 2 low (1 each) = 10 in 50,000 lines: 0.2 per 1000
    findings = {"ECO401": 2, "ECO102": 1, "ECO701": 2}
    impacts = {"ECO401": "high", "ECO102": "medium", "ECO701": "low"}
    part = code_part(findings, impacts, lines_of_code=50_000)
    assert part is not None
    assert part.score == round(100 * math.exp(-0.2 / CODE_DECAY), 1) == 71.7
    assert part.grade == "B"
    assert "5 findings (weight 10) in 50000 lines" in part.detail


def test_a_high_impact_finding_costs_more_than_a_low_impact_one() -> None:
    high = code_part({"ECO401": 1}, {"ECO401": "high"}, 30_000)
    low = code_part({"ECO701": 1}, {"ECO701": "low"}, 30_000)
    assert high is not None and low is not None and high.score < low.score


def test_a_rule_without_a_known_impact_weighs_as_medium() -> None:
    unknown = code_part({"XYZ999": 4}, {}, 4000)
    medium = code_part({"ECO102": 4}, {"ECO102": "medium"}, 4000)
    assert unknown == medium


def test_the_same_density_gives_the_same_code_score_whatever_the_size() -> None:
    small = code_part({"ECO102": 3}, {}, 15_000)
    large = code_part({"ECO102": 30}, {}, 150_000)
    assert small is not None and large is not None and small.score == large.score


def test_a_small_code_base_counts_as_ten_thousand_lines() -> None:
    tiny = code_part({"ECO102": 1}, {}, lines_of_code=40)
    ten_thousand = code_part({"ECO102": 1}, {}, lines_of_code=10_000)
    assert tiny is not None and ten_thousand is not None
    assert tiny.score == ten_thousand.score
    assert "(counted as 10000)" in tiny.detail


def test_very_wasteful_code_tends_to_zero_but_stays_in_range() -> None:
    part = code_part({"ECO401": 10_000}, {"ECO401": "high"}, 1000)
    assert part is not None and part.score == 0.0 and part.grade == "G"


@pytest.mark.parametrize(
    ("used", "budget", "score"),
    [(0, 10, 100.0), (5, 10, 80.0), (10, 10, 60.0), (20, 10, 30.0), (40, 10, 15.0)],
)
def test_tests_score_falls_with_the_share_of_the_budget_used(
    used: float, budget: float, score: float
) -> None:
    part = suite_part(used, budget, "energy_j")
    assert part is not None and part.score == score


def test_tests_within_budget_never_score_below_grade_c() -> None:
    part = suite_part(9.999, 10, "energy_j")
    assert part is not None and part.grade == "C"


def test_a_zero_budget_scores_100_when_nothing_is_used_and_0_otherwise() -> None:
    assert suite_part(0, 0, "energy_j") == ScorePart(
        "tests", 100.0, "A", "suite-energy-j 0 J of a budget of 0 J (0%)"
    )
    over = suite_part(0.1, 0, "energy_j")
    assert over is not None and over.score == 0.0


@pytest.mark.parametrize(("used", "budget"), [(-1, 10), (1, -1), (math.nan, 1), (1, math.inf)])
def test_an_invalid_energy_figure_is_not_a_measurement(used: float, budget: float) -> None:
    assert suite_part(used, budget, "energy_j") is None


def test_web_scores_the_mean_ecoindex_of_the_pages() -> None:
    part = web_part({"http://a/": 80, "http://b/": 61})
    assert part is not None and (part.score, part.grade) == (70.5, "B")
    assert part.detail == "mean EcoIndex of 2 pages"


def test_no_audited_page_means_no_web_part() -> None:
    assert web_part({}) is None


def test_the_total_is_the_mean_of_the_measured_parts_only() -> None:
    code = ScorePart("code", 60.0, "C")
    web = ScorePart("web", 81.0, "A")
    total = combine([code, None, web])
    assert (total.score, total.grade, total.parts) == (70.5, "B", (code, web))


def test_only_one_measured_part_is_the_total() -> None:
    code = ScorePart("code", 42.0, "D")
    assert combine([code, None, None]).score == 42.0


def test_nothing_measured_gives_no_score_rather_than_zero() -> None:
    total = combine([None, None, None])
    assert (total.score, total.grade, total.parts) == (None, None, ())


def test_the_grade_matches_the_rounded_score_shown() -> None:
    total = combine([ScorePart("code", 80.04, "A"), ScorePart("web", 80.0, "B")])
    assert total.score == 80.0 and total.grade == "B"


def test_the_worked_example_of_the_readme_scores_68_4_grade_c() -> None:
    impacts = {"ECO401": "high", "ECO102": "medium", "ECO701": "low"}
    code = code_part({"ECO401": 3, "ECO102": 5, "ECO701": 4}, impacts, 120_000)  # type: ignore[arg-type]
    tests = suite_part(6.2, 8.0, "energy_j")
    web = web_part({"http://a/": 72, "http://b/": 55})
    assert [(p.score, p.grade) for p in (code, tests, web) if p] == [
        (72.7, "B"), (69.0, "C"), (63.5, "C")
    ]  # fmt: skip
    total = combine([code, tests, web])
    assert (total.score, total.grade) == (68.4, "C")
