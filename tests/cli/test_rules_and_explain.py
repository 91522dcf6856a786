"""``ecolint rules`` and ``ecolint explain``."""

from __future__ import annotations

import json
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


def test_rules_groups_by_theme_and_shows_each_evidence_line(invoke):
    lines = invoke("rules").output.splitlines()
    loops, memory = lines.index("Loops (ECO1xx)"), lines.index("Memory (ECO7xx)")
    row = next(i for i, line in enumerate(lines) if line.startswith("ECO104 "))
    assert loops < row < memory
    assert lines[row + 1].split() == ["evidence:", *find_evidence("ECO104").split()]


def test_rules_as_json_carries_theme_and_evidence(invoke):
    rows = {row["code"]: row for row in json.loads(invoke("rules", "--format", "json").output)}
    assert rows["ECO402"]["theme"] == "sql"
    assert rows["ECO104"]["evidence"] == find_evidence("ECO104") != ""


def test_explain_shows_theme_and_evidence_before_the_doc(invoke):
    lines = invoke("explain", "ECO104").output.splitlines()
    assert lines[2:4] == ["Theme: loops", f"Evidence: {find_evidence('ECO104')}"]


def find_evidence(code: str) -> str:
    return next(rule for rule in all_rules() if rule.code == code).info().evidence


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
