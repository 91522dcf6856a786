"""Generated programs never crash the engine or any rule, and fixes keep them parseable.

hypothesis, hypothesmith and its grammar (a LALR parser built from Python's grammar, a few
seconds) are imported and built inside the test, not at import: collecting the suite, or
running ``make test-fast`` (this test is ``slow``), pays none of it.
"""

from __future__ import annotations

import libcst as cst
import pytest

from ecolint.lint.engine import Engine, FixMode
from ecolint.lint.registry import Selection, all_rules, instantiate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine() -> Engine:
    """Every rule, selected and instantiated once for all the generated programs."""
    return Engine(instantiate(Selection(select=("ALL",)).resolve(all_rules()), {}))


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith's own compile()
def test_any_valid_program_lints_and_fixes_without_internal_errors(engine: Engine) -> None:
    import hypothesmith
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(source=hypothesmith.from_grammar())
    def lints_and_fixes(source: str) -> None:
        fix = FixMode(apply=True, unsafe=True)
        result = engine.lint_bytes(source.encode(), "generated.py", fix)
        assert result.errors == ()
        if result.fixed_source is not None:
            cst.parse_module(result.fixed_source)
            again = engine.lint_bytes(result.fixed_source.encode(), "generated.py", fix)
            assert again.fixed_source is None, "fixing twice changed the code again"

    lints_and_fixes()
