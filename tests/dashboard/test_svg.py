"""The chart helpers: escaping, number formatting, round ticks, thinning, contrast."""

from __future__ import annotations

import pytest

from ecolint.dashboard.svg import (
    CARBON_UNITS,
    ENERGY_UNITS,
    contrast_ratio,
    esc,
    fmt,
    nice_ticks,
    pick_unit,
    signed,
    thin,
)


def test_escaping_covers_markup_and_both_quotes():
    assert esc("<a href='x'>\"&") == "&lt;a href=&#x27;x&#x27;&gt;&quot;&amp;"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "–"),
        (0, "0"),
        (1234.4, "1,234"),
        (12.345, "12.3"),
        (0.000123456, "0.000123"),
        (42.0, "42"),
        (-2.5, "-2.5"),
    ],
)
def test_numbers_keep_three_significant_digits_or_all_integer_digits_without_exponent(value, text):
    assert fmt(value) == text


def test_a_change_carries_its_sign_with_a_real_minus():
    assert (signed(1.5), signed(-2.0), signed(0.0, suffix=" %")) == ("+1.5", "−2", "0 %")


def test_ticks_are_round_and_cover_the_range():
    assert nice_ticks(0, 100) == [0, 25, 50, 75, 100]
    ticks = nice_ticks(0.0013, 0.0091)
    assert ticks[0] <= 0.0013 and ticks[-1] >= 0.0091
    assert nice_ticks(5, 5)[0] <= 5 <= nice_ticks(5, 5)[-1]


def test_thinning_keeps_the_first_and_the_last_and_at_most_the_limit():
    items = list(range(365))
    kept = thin(items, 60)
    assert (len(kept), kept[0], kept[-1]) == (60, 0, 364)
    assert thin([1, 2], 60) == [1, 2]


def test_the_unit_is_the_largest_that_shows_at_least_one():
    assert pick_unit([0.0004, 0.002], ENERGY_UNITS) == ("Wh", 1e-3)
    assert pick_unit([3.0], CARBON_UNITS) == ("kg", 1.0)
    assert pick_unit([], CARBON_UNITS) == ("mg", 1e-6)


def test_contrast_of_black_on_white_is_21():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
