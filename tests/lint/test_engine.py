"""The engine: one walk, positions like libcst's PositionProvider, noqa, fixes."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from ecolint import Invalid, Rule, Valid
from ecolint.lint.engine import Engine, FixMode
from ecolint.lint.positions import spans
from ecolint.lint.tree import descendants
from ecolint.lint.walker import RuleDefinitionError
from ecolint_rules.concurrency.blocking_sleep_in_async import BlockingSleepInAsync

STDLIB = Path(sys.modules["json"].__file__).parents[1]


@pytest.mark.parametrize(
    "name",
    ["json/decoder.py", pytest.param("argparse.py", marks=pytest.mark.slow), "textwrap.py"],
)
def test_lazy_positions_equal_position_provider_on_real_code(name):
    module = cst.parse_module((STDLIB / name).read_bytes())
    nodes = list(descendants(module))
    sample = random.Random(7).sample(nodes, 300)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    mine, _ = spans(module, sample)
    for node in sample:
        r = expected[node]
        assert mine[id(node)] == (r.start.line, r.start.column + 1, r.end.line, r.end.column + 1)


class Counter(Rule):
    """## What it does\nCounts calls in loops."""

    code = "ECO990"
    name = "call-in-loop"
    message = "call in loop"

    def visit_Call(self, node):
        if self.in_loop(node):
            self.report(node)


def lines(source: str, rule: Rule | None = None):
    result = Engine([rule or Counter()]).lint_bytes(source.encode(), "x.py")
    return [f.line for f in result.findings]


def test_in_loop_follows_the_catalogue_definition():
    source = (
        "for x in f():\n"  # 1: the iterable runs once
        "    g()\n"  # 2
        "while h():\n"  # 3: the test runs each time
        "    pass\n"
        "[k() for y in m() if n()]\n"  # 5: k and n repeat, m does not
        "for x in xs:\n"
        "    def inner():\n"
        "        p()\n"  # 8: a nested def stops the walk
        "else:\n"
        "    q()\n"  # 10: the else clause runs once
    )
    assert lines(source) == [2, 3, 5, 5]


def test_noqa_with_an_id_a_name_or_bare_suppresses_only_what_it_names():
    source = (
        "for x in xs:\n"
        "    a()  # noqa: ECO990\n"
        "    b()  # noqa: call-in-loop\n"
        "    c()  # noqa\n"
        "    d()  # noqa: ECO101\n"
        "    e()  # noqa:ECO101,ECO990\n"
    )
    assert lines(source) == [5]


def test_a_rule_visiting_token_nodes_is_refused():
    class Bad(Counter):
        def visit_Comma(self, node):
            pass

    with pytest.raises(RuleDefinitionError, match="token nodes are not visited"):
        Engine([Bad()])


def test_qualified_names_resolve_through_aliases_and_from_imports():
    seen = []

    class Names(Counter):
        def visit_Call(self, node):
            seen.append(self.qualified_name(node))

    source = (
        "import pandas as pd\nfrom time import sleep as nap\nimport os.path\n"
        "pd.read_csv('x')\nnap(1)\nos.path.join('a')\nopen('f')\nlocal()\n"
    )
    Engine([Names()]).lint_bytes(source.encode(), "x.py")
    assert seen == ["pandas.read_csv", "time.sleep", "os.path.join", "builtins.open", "local"]


def test_fixes_repeat_until_stable_and_keep_crlf_line_endings():
    source = "import asyncio, time\r\nasync def f():\r\n    time.sleep(1)\r\n    time.sleep(2)\r\n"
    result = Engine([BlockingSleepInAsync()]).lint_bytes(source.encode(), "x.py", FixMode(True))
    assert result.fixes_applied == 2 and result.findings == ()
    assert result.fixed_source == source.replace("time.sleep", "await asyncio.sleep")


def test_a_fix_that_would_not_parse_is_dropped_with_an_internal_error():
    class BreaksCode(Rule):
        """## What it does\nBreaks code."""

        code = "ECO991"
        name = "breaks-code"
        message = "x"
        fix = "safe"
        VALID = [Valid("y")]
        INVALID = [Invalid("x", line=1)]

        def visit_Name(self, node):
            if node.value == "x":
                self.report(node, replacement=cst.Name("not valid"))

    result = Engine([BreaksCode()]).lint_bytes(b"x = 1\n", "x.py", FixMode(True))
    assert result.fixed_source is None
    assert [e.rule for e in result.errors] == ["ECO991"]


class AddsMath(Rule):
    """## What it does\nReplaces ``PI`` by ``math.pi``, which needs ``import math``."""

    code = "ECO992"
    name = "adds-math"
    message = "use math.pi"
    fix = "safe"
    fix_title = "Use `math.pi`"
    old_keyword = False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "PI":
            fix = cst.Attribute(cst.Name("math"), cst.Name("pi"))
            if self.old_keyword:
                self.report(node, replacement=fix, imports=["math"])
            else:
                self.report(node, replacement=fix, fix_imports=["math"])


def test_fix_imports_adds_the_modules_a_fix_needs():
    result = Engine([AddsMath()]).lint_bytes(b"r = PI\n", "x.py", FixMode(True))
    assert result.fixed_source == "import math\nr = math.pi\n"


def test_the_old_imports_keyword_still_works_for_one_release_with_a_deprecation_warning():
    """Third-party packs call ``report(imports=...)`` (its first name, which read as the
    module's imports, ``Rule.imports``): it keeps working and says its new name."""
    rule = AddsMath()
    rule.old_keyword = True
    with pytest.warns(DeprecationWarning, match=r"ECO992: .*use fix_imports="):
        result = Engine([rule]).lint_bytes(b"r = PI\n", "x.py", FixMode(True))
    assert result.fixed_source == "import math\nr = math.pi\n"
