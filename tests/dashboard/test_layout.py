"""Grade badges: EcoIndex colours with readable letters."""

from __future__ import annotations

import pytest

from ecolint.dashboard.layout import GRADE_COLOURS, UNGRADED, change, grade_badge, text_colour
from ecolint.dashboard.svg import contrast_ratio


@pytest.mark.parametrize("grade", sorted(GRADE_COLOURS))
def test_every_grade_letter_meets_wcag_aa_contrast_on_its_colour(grade):
    background = GRADE_COLOURS[grade]
    assert contrast_ratio(background, text_colour(background)) >= 4.5


def test_a_badge_shows_the_letter_on_its_ecoindex_colour():
    badge = grade_badge("A")
    assert GRADE_COLOURS["A"] in badge and ">A</span>" in badge


def test_a_run_without_a_grade_shows_a_dash_on_grey():
    assert UNGRADED in grade_badge(None) and ">–</span>" in grade_badge(None)


def test_a_change_says_better_or_worse_with_an_arrow_not_only_a_colour():
    assert "better" in change(2.0) and "▲" in change(2.0)
    assert "worse" in change(10.0, " %", higher_is_better=False) and "▲ +10 %" in change(
        10.0, " %", higher_is_better=False
    )
    assert "▼ −3" in change(-3.0)


def test_no_text_is_upper_cased_so_units_keep_their_case():
    from ecolint.dashboard.layout import STYLE

    assert "uppercase" not in STYLE  # "mWh" must not read "MWH" (megawatt-hours)
