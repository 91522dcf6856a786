"""The theme of a rule id: one mapping, used by the summary, the catalogue and the dashboard."""

from __future__ import annotations

import pytest

from ecolint.lint.registry import all_rules
from ecolint.lint.themes import FILES, OTHER, THEMES, theme_for, theme_of, theme_order


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("ECO102", "loops"),
        ("ECO205", "I/O"),
        ("ECO301", "network"),
        ("ECO402", "SQL"),
        ("ECO501", "data science"),
        ("ECO603", "concurrency"),
        ("ECO701", "memory"),
        ("ECO804", "web"),
    ],
)
def test_the_hundreds_digit_of_an_id_names_its_theme(code, label):
    assert theme_of(code) == label


def test_file_diagnostics_have_their_own_group():
    assert theme_for("ECO001") is FILES and theme_for("ECO002") is FILES


@pytest.mark.parametrize("code", ["ACME101", "ECO901", "eco", ""])
def test_ids_outside_the_scheme_fall_into_other(code):
    assert theme_for(code) is OTHER


def test_theme_keys_are_unique_slugs():
    keys = [theme.key for theme in (*THEMES, FILES, OTHER)]
    assert len(set(keys)) == len(keys) and all(key.isidentifier() for key in keys)


def test_themes_sort_in_catalogue_order_with_catch_alls_last():
    codes = ["ACME101", "ECO001", "ECO804", "ECO102", "ECO402"]
    assert sorted(codes, key=theme_order) == ["ECO102", "ECO402", "ECO804", "ECO001", "ACME101"]


def test_every_built_in_rule_belongs_to_one_of_the_eight_themes():
    assert {theme_for(rule.code) for rule in all_rules()} <= set(THEMES)
