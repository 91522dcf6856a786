"""Where each part of a rule lives, so that its id alone finds all of them.

A rule ``ECO104 sort-for-extreme`` is the class in
``rules/ecolint_rules/loops/sort_for_extreme.py`` (file stem = rule name, folder = the theme of
the id's hundreds digit), measured by ``bench/rules/eco104_sort_for_extreme.py``, whose
figures its ``## Evidence`` section quotes, and is named in ``bench/precision.md``. These are the
items of CONTRIBUTING.md's "Add a rule" checklist that no other test checks.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from ecolint.lint.evidence import evidence_line
from ecolint.lint.rule import Rule
from ecolint.lint.themes import theme_for
from ecolint_rules import RULES

REPO = Path(__file__).parents[2]
BENCH = REPO / "bench" / "rules"
PRECISION_REPORT = REPO / "bench" / "precision.md"
EXAMPLES = ("Valid", "Invalid")
CODE_FIELDS = ("code", "fixed")


def module_stem(rule: type[Rule]) -> str:
    """``sort-for-extreme`` → ``sort_for_extreme``: the rule's name as a module name."""
    return rule.name.replace("-", "_")


def benchmark_path(rule: type[Rule]) -> Path:
    return BENCH / f"{rule.code.lower()}_{module_stem(rule)}.py"


def evidence_section(doc: str) -> str:
    """The text under ``## Evidence``, up to the next heading."""
    _, found, rest = doc.partition("## Evidence")
    return re.split(r"^\s*## ", rest, maxsplit=1, flags=re.MULTILINE)[0] if found else ""


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_module_is_named_after_the_rule_in_its_theme_folder(rule: type[Rule]) -> None:
    path = Path(inspect.getfile(rule))
    assert path.stem == module_stem(rule), f"{rule.code}: name the module {module_stem(rule)}.py"
    theme = theme_for(rule.code).key
    assert path.parent.name == theme, f"{rule.code}: move it to rules/ecolint_rules/{theme}/"


def escaped_examples(rule: type[Rule]) -> list[int]:
    """Lines of the rule's ``Valid``/``Invalid`` examples whose multi-line code is written
    as a ``\\n``-escaped string rather than a triple-quoted block. Code holding a backslash
    or triple quotes is left alone: a block would have to escape them too."""
    path = Path(inspect.getfile(rule))
    source = path.read_text(encoding="utf-8")
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") in EXAMPLES):
            continue
        written = [*node.args[:1], *(k.value for k in node.keywords if k.arg in CODE_FIELDS)]
        for argument in written:
            if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                continue
            code = argument.value
            multi_line = "\n" in code.strip("\n")
            block = (ast.get_source_segment(source, argument) or "").startswith(('"""', "'''"))
            if multi_line and not block and "\\" not in code and '"""' not in code:
                found.append(argument.lineno)
    return found


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_examples_are_written_as_blocks(rule: type[Rule]) -> None:
    lines = escaped_examples(rule)
    assert not lines, f"{rule.code}: write the examples at lines {lines} as triple-quoted blocks"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_has_its_benchmark_in_bench_rules(rule: type[Rule]) -> None:
    """The bad/good pair behind the evidence; its docstring opens with ``ID name: bad vs good``."""
    path = benchmark_path(rule)
    assert path.is_file(), f"{rule.code}: no benchmark {path.relative_to(REPO)}"
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert doc.startswith(f"{rule.code} {rule.name}"), (
        f"{path.name}: its docstring should start with '{rule.code} {rule.name}: ...'"
    )


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_documents_its_evidence_and_names_its_benchmark(rule: type[Rule]) -> None:
    doc = rule.__doc__ or ""
    section = evidence_section(doc)
    assert section.strip(), f"{rule.code} has no '## Evidence' section"
    bench = benchmark_path(rule).relative_to(REPO).as_posix()
    assert bench in section, f"{rule.code}: its evidence does not name `{bench}`"
    assert evidence_line(doc), f"{rule.code}: its evidence has no summary line"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_is_in_the_precision_report(rule: type[Rule]) -> None:
    """``bench/precision.py`` was run with the rule installed: the report has its row (its
    findings on real code, judged), or lists it among the rules that found nothing."""
    assert re.search(rf"\b{rule.code}\b", PRECISION_REPORT.read_text(encoding="utf-8")), (
        f"{rule.code} is not in bench/precision.md: run bench/precision.py"
    )


@pytest.mark.parametrize("rule", [r for r in RULES if r.opt_in], ids=lambda rule: rule.code)
def test_an_opt_in_rule_says_why_it_is_off_by_default(rule: type[Rule]) -> None:
    """Either a ``## Why opt-in`` section with the figures judged on real code (citing
    bench/precision.md), or an evidence section that found the saving too small or too rare
    to be on by default and says so."""
    doc = rule.__doc__ or ""
    if "## Why opt-in" in doc:
        assert "bench/precision.md" in doc, f"{rule.code}: cite the judged figures"
    else:
        assert "opt-in" in evidence_section(doc), f"{rule.code} is opt-in without saying why"
