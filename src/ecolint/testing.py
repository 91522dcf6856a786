"""Run a rule's own ``VALID``/``INVALID`` examples; used by ecolint's tests and by rule packs.

@pytest.mark.parametrize("rule, example", examples(MY_RULES), ids=example_id)
def test_rule_example(rule, example):
    check_example(rule, example)
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator

import libcst as cst

from ecolint.lint.engine import NO_FIX, Engine, FixMode
from ecolint.lint.rule import Invalid, Rule, Valid
from ecolint.results import FileResult

APPLY_ALL_FIXES = FixMode(apply=True, unsafe=True)


def examples(rules: Iterable[type[Rule]]) -> Iterator[tuple[type[Rule], Valid | Invalid]]:
    for rule in rules:
        cases: tuple[Valid | Invalid, ...] = (*rule.VALID, *rule.INVALID)
        for example in cases:
            yield rule, example


def example_id(value: object) -> str:
    if isinstance(value, type) and issubclass(value, Rule):
        return value.code
    if isinstance(value, (Valid, Invalid)):
        kind = "valid" if isinstance(value, Valid) else "invalid"
        first = next((line.strip() for line in value.code.splitlines() if line.strip()), "")
        return f"{kind}:{first[:40]}"
    return str(value)


def example_source(text: str) -> str:
    """The code of an example as written in a rule: a dedented triple-quoted block whose
    opening line break is not part of the code (so ``line=1`` is the block's first line)."""
    source = textwrap.dedent(text)
    return source[1:] if source.startswith("\n") else source


def lint_example(rule: type[Rule], example: Valid | Invalid, fix: FixMode = NO_FIX) -> FileResult:
    engine = Engine([rule(example.options)])
    source = example_source(example.code)
    return engine.lint_bytes(source.encode(), example.path, fix)


def check_example(rule: type[Rule], example: Valid | Invalid) -> None:
    """Assert that ``rule`` behaves on ``example`` as the example says."""
    result = lint_example(rule, example)
    assert not result.errors, result.errors
    own = [f for f in result.findings if f.code == rule.code]
    others = [f for f in result.findings if f.code != rule.code]
    assert not others, f"the example itself does not lint cleanly: {others}"
    if isinstance(example, Valid):
        assert not own, f"{rule.code} reported valid code: {own}"
        return
    assert len(own) == example.count, f"expected {example.count} findings, got {own}"
    assert own[0].line == example.line, f"expected line {example.line}, got {own[0]}"
    first = own[0]
    assert first.confidence == example.confidence, f"expected {example.confidence}: {first}"
    if example.message is not None:
        assert first.message == example.message, f"expected message {example.message!r}: {first}"
    if example.column is not None:
        assert first.column == example.column, f"expected column {example.column}: {first}"
    fixed = lint_example(rule, example, APPLY_ALL_FIXES)
    if example.fixed is None:
        assert all(f.fix is None for f in own), f"unexpected fix offered: {own}"
        assert fixed.fixed_source is None
        return
    assert any(f.fix is not None for f in own), "the example expects a fix, none was offered"
    unsafe = first.fix is not None and first.fix.applicability == "unsafe"
    expected = "an unsafe" if example.unsafe else "a safe"
    assert unsafe == example.unsafe, f"expected {expected} fix: {first}"
    assert fixed.fixed_source == example_source(example.fixed), fixed.fixed_source
    cst.parse_module(fixed.fixed_source)
    again = Engine([rule(example.options)]).lint_bytes(
        fixed.fixed_source.encode(), example.path, APPLY_ALL_FIXES
    )
    assert again.fixed_source is None, "a second fix run changed the code again"
