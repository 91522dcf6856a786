"""``ecolint rules`` and ``ecolint explain``."""

from __future__ import annotations

from pathlib import Path

from ecolint.lint.catalogue import markdown_catalogue
from ecolint.lint.registry import all_rules

CATALOGUE = Path(__file__).parents[2] / "rules" / "README.md"


def test_rules_lists_id_name_fix_and_opt_in(invoke):
    result = invoke("rules")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split() == ["ID", "NAME", "FIX", "OPT-IN"]
    assert ["ECO603", "blocking-sleep-in-async", "sometimes"] in [
        line.split() for line in result.output.splitlines()
    ]


def test_explain_by_id_and_by_name_shows_the_doc(invoke):
    by_id = invoke("explain", "ECO603")
    by_name = invoke("explain", "blocking-sleep-in-async")
    assert by_id.exit_code == 0 and by_id.output == by_name.output
    assert "## Why is this wasteful?" in by_id.output


def test_explain_an_unknown_rule_is_a_usage_error(invoke):
    result = invoke("explain", "ECO998")
    assert result.exit_code == 2 and "unknown rule" in result.output


def test_the_rules_catalogue_in_the_repository_is_up_to_date():
    assert CATALOGUE.read_text() == markdown_catalogue(all_rules()), (
        "rules/README.md is stale: run `make catalogue`"
    )
