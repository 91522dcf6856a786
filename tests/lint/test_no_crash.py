"""Generated programs never crash the engine or any rule, and fixes keep them parseable."""

from __future__ import annotations

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings

from ecolint.lint.engine import Engine, FixMode
from ecolint.lint.registry import Selection, all_rules, instantiate

ENGINE = Engine(instantiate(Selection(select=("ALL",)).resolve(all_rules()), {}))


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith's own compile()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=hypothesmith.from_grammar())
def test_any_valid_program_lints_and_fixes_without_internal_errors(source):
    fix = FixMode(apply=True, unsafe=True)
    result = ENGINE.lint_bytes(source.encode(), "generated.py", fix)
    assert result.errors == ()
    if result.fixed_source is not None:
        cst.parse_module(result.fixed_source)
        again = ENGINE.lint_bytes(result.fixed_source.encode(), "generated.py", fix)
        assert again.fixed_source is None, "fixing twice changed the code again"
