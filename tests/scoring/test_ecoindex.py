"""The published EcoIndex reference points (ecoindex_compute's test vectors)."""

from __future__ import annotations

import pytest

from ecolint.scoring.ecoindex import (
    DOM_QUANTILES,
    REQUEST_QUANTILES,
    SIZE_QUANTILES_KB,
    ecoindex,
    ecoindex_score,
    ghg,
    grade,
    grade_rank,
    quantile,
    water,
)


@pytest.mark.parametrize(
    ("table", "value", "expected"),
    [
        (SIZE_QUANTILES_KB, 2500, 14.086372025739513),
        (DOM_QUANTILES, 150, 2.892857142857143),
        (REQUEST_QUANTILES, 23, 2.8),
        (SIZE_QUANTILES_KB, 310182.902, 20),
    ],
)
def test_quantile_positions_match_the_published_values(table, value, expected):
    assert quantile(table, value) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("dom", "requests", "size_kb", "score"),
    [
        (100, 100, 100, 72),
        (100, 100, 1000, 67),
        (100, 100, 10000, 58),
        (200, 200, 10000, 46),
        (2355, 267, 2493, 10),
        (240, 20, 331, 83),
        (2240, 100, 310182.902, 16),
    ],
)
def test_scores_match_the_published_reference_points(dom, requests, size_kb, score):
    assert ecoindex_score(dom, requests, size_kb) == score


def test_a_light_page_gets_b_with_its_published_ghg_and_water():
    result = ecoindex(100, 100, 100)
    assert (result.score, result.grade, result.ghg, result.water) == (72, "B", 1.56, 2.34)


def test_a_heavy_page_gets_f_with_its_published_ghg_and_water():
    result = ecoindex(2240, 100, 310182.902)
    assert (result.score, result.grade, result.ghg, result.water) == (16, "F", 2.68, 4.02)


@pytest.mark.parametrize(
    ("score", "letter"), [(2, "G"), (25, "F"), (10, "G"), (50.2, "D"), (100, "A"), (80, "B")]
)
def test_grade_boundaries_belong_to_the_lower_grade(score, letter):
    assert grade(score) == letter


@pytest.mark.parametrize(("score", "expected"), [(2, 2.96), (10, 2.8), (50, 2), (70, 1.6)])
def test_ghg_follows_the_published_line(score, expected):
    assert ghg(score) == expected


@pytest.mark.parametrize(("score", "expected"), [(2, 4.44), (10, 4.2), (50, 3), (70, 2.4)])
def test_water_follows_the_published_line(score, expected):
    assert water(score) == expected


def test_an_empty_page_scores_100_and_an_enormous_one_0():
    assert ecoindex_score(0, 0, 0) == 100
    assert ecoindex_score(10**7, 10**6, 10**9) == 0


def test_better_grades_rank_higher():
    assert grade_rank("A") > grade_rank("B") > grade_rank("G")
