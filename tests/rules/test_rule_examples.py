"""Every rule's own VALID/INVALID examples, as tests: exact line, count and fix output."""

from __future__ import annotations

import pytest

from ecolint.testing import check_example, example_id, examples, lint_example
from ecolint_rules import RULES


@pytest.mark.parametrize(("rule", "example"), list(examples(RULES)), ids=example_id)
def test_rule_behaves_as_its_example_says(rule, example):
    check_example(rule, example)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_has_valid_and_invalid_examples(rule):
    assert len(rule.VALID) >= 2 and len(rule.INVALID) >= 2


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_docstring_has_the_ruff_headings(rule):
    doc = rule.__doc__ or ""
    for heading in ("## What it does", "## Why is this wasteful?", "## Example", "Use instead:"):
        assert heading in doc, f"{rule.code} lacks {heading!r}"
    if rule.fix != "none":
        assert "## Fix safety" in doc
    for option in rule.OPTIONS:
        assert f"`{option}`" in doc, f"{rule.code} does not document option {option!r}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_examples_with_a_fix_exist_when_the_rule_declares_one(rule):
    has_fixed = any(example.fixed is not None for example in rule.INVALID)
    assert has_fixed == (rule.fix != "none")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_a_rule_with_a_fix_says_what_the_fix_does(rule):
    """ruff's ``fix_title``: the fix is described by what it does, not by the rule's id."""
    if rule.fix == "none":
        assert not rule.fix_title, f"{rule.code} has no fix but a fix title"
        return
    assert rule.fix_title and rule.code not in rule.fix_title
    fixed = next(example for example in rule.INVALID if example.fixed is not None)
    finding = next(f for f in lint_example(rule, fixed).findings if f.code == rule.code)
    assert finding.fix is not None and finding.fix.message == rule.fix_title
