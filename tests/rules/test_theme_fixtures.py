"""Theme fixtures: realistic files mixing true findings with near-misses that must stay silent.

Every ``tests/rules/fixtures/<theme>.py`` is linted with the default rule selection plus the
opt-in rules (``ALL``), and the findings must be exactly the ones the file declares:

- ``# expect: ECO102`` at the end of a line declares one finding of ECO102 starting on that
  line; several are separated by commas or spaces (``# expect: ECO102, ECO704``), and a
  code written twice means two findings on that line; free text may follow the codes
  (``# expect: ECO106 (not ECO108: ...)``). ``(low)`` right after the codes says their
  findings are graded low confidence (hidden by default); without it they must be high.
  A line without the comment must produce no finding at all, which is how near-misses
  are asserted.
- ``# fixture-select: ECO1, ECO704`` (anywhere, usually on the first lines) restricts the
  rules that run to those selectors (ids, prefixes or names, as for ``--select``; opt-in
  rules are included). Without it every installed rule runs.

The file's stem names its theme (``loops``, ``io``, ``network``, ``sql``, ``data``,
``concurrency``, ``memory``, ``web``: ``ecolint.lint.themes``); each rule of that theme
that is on by default must be expected at least once, so a theme fixture covers its theme.
The fixtures are excluded from ecolint's and ruff's own lint (``pyproject.toml``).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from ecolint.lint.engine import Engine
from ecolint.lint.registry import Selection, all_rules, codes_for
from ecolint.lint.themes import THEMES, theme_for

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*((?:[A-Z]{1,8}[0-9]{3}\b[,\s]*)+)(\((?:graded )?low\b)?")
SELECT = re.compile(r"#\s*fixture-select:\s*(.+?)\s*$", re.MULTILINE)
FIXTURE_FILES = sorted(FIXTURES.glob("*.py"))
THEME_KEYS = {theme.key for theme in THEMES}


def expected_findings(source: str) -> Counter[tuple[int, str, str]]:
    """(line, code, confidence) of every finding the fixture declares."""
    expected: Counter[tuple[int, str, str]] = Counter()
    for number, line in enumerate(source.splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            confidence = "low" if match.group(2) else "high"
            for code in re.split(r"[,\s]+", match.group(1).strip()):
                expected[(number, code, confidence)] += 1
    return expected


def selected_codes(source: str) -> set[str]:
    match = SELECT.search(source)
    if match is None:
        return {rule.code for rule in all_rules()}
    selectors = [s for s in re.split(r"[,\s]+", match.group(1)) if s]
    return codes_for(selectors)


def actual_findings(path: Path, source: str) -> Counter[tuple[int, str, str]]:
    codes = selected_codes(source)
    rules = [rule() for rule in Selection(select=("ALL",)).resolve() if rule.code in codes]
    result = Engine(rules).lint_bytes(source.encode(), path.name)
    assert not result.errors, result.errors
    # rules merged into one finding per problem still count as having fired
    return Counter(
        (finding.line, code, "low" if finding.confidence == "low" else "high")
        for finding in result.findings
        for code in (finding.code, *(code for code, _ in finding.related))
    )


def describe(counts: Counter[tuple[int, str, str]], source: str) -> str:
    lines = source.splitlines()
    return "\n".join(
        f"  line {line}: {code} ({confidence}) x{count}  | {lines[line - 1].strip()}"
        for (line, code, confidence), count in sorted(counts.items())
    )


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: path.stem)
def test_fixture_reports_exactly_the_findings_it_declares(path: Path):
    source = path.read_text(encoding="utf-8")
    expected = expected_findings(source)
    assert expected, f"{path.name} declares no `# expect:` finding"
    actual = actual_findings(path, source)
    missing, unexpected = expected - actual, actual - expected
    assert not missing and not unexpected, (
        f"{path.name}\nmissing:\n{describe(missing, source)}\n"
        f"unexpected:\n{describe(unexpected, source)}"
    )


@pytest.mark.parametrize(
    "path", [p for p in FIXTURE_FILES if p.stem in THEME_KEYS], ids=lambda path: path.stem
)
def test_fixture_exercises_every_default_rule_of_its_theme(path: Path):
    declared = {code for _, code, _ in expected_findings(path.read_text(encoding="utf-8"))}
    theme_rules = {
        rule.code
        for rule in all_rules()
        if theme_for(rule.code).key == path.stem and not rule.opt_in
    }
    assert theme_rules - declared == set(), f"{path.name} never expects {theme_rules - declared}"


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: path.stem)
def test_fixture_is_named_after_a_theme(path: Path):
    assert path.stem in THEME_KEYS, f"{path.name}: name it after one of {sorted(THEME_KEYS)}"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_every_rule_is_expected_in_its_theme_fixture(rule):
    """Opt-in rules too: the fixtures run them (``ALL``), so each has a realistic true
    finding beside its near-misses, not only its own examples."""
    path = FIXTURES / f"{theme_for(rule.code).key}.py"
    declared = {code for _, code, _ in expected_findings(path.read_text(encoding="utf-8"))}
    assert rule.code in declared, f"{path.name} has no `# expect: {rule.code}` line"
