"""A third-party rule pack is found through the ``ecolint.rules`` entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers import write

PACK = '''
import libcst as cst
from ecolint import Invalid, Rule, Valid


class PrintInLoop(Rule):
    """## What it does
    Flags print() in a loop."""

    code = "ACME101"
    name = "print-in-loop"
    message = "print() in a loop"
    VALID = [Valid("print(1)\\n"), Valid("def f():\\n    print(1)\\n")]
    INVALID = [Invalid("for x in y:\\n    print(x)\\n", line=2)]

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node) == "builtins.print" and self.in_loop(node):
            self.report(node)


RULES = [PrintInLoop]
'''


@pytest.mark.slow
def test_a_rule_pack_installed_with_an_entry_point_runs_beside_the_builtin_rules(tmp_path):
    site = tmp_path / "site"
    write(site / "acme_rules.py", PACK)
    write(
        site / "acme_rules-1.0.dist-info" / "METADATA",
        "Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n",
    )
    write(
        site / "acme_rules-1.0.dist-info" / "entry_points.txt",
        "[ecolint.rules]\nacme = acme_rules:RULES\n",
    )
    write(tmp_path / "app.py", "for x in range(3):\n    print(x)\n")
    env = {**os.environ, "PYTHONPATH": str(site)}
    listed = subprocess.run(
        [sys.executable, "-m", "ecolint", "rules"], env=env, capture_output=True, text=True
    )
    assert ["ACME101", "print-in-loop", "none"] in [
        line.split() for line in listed.stdout.splitlines()
    ]
    checked = subprocess.run(
        [sys.executable, "-m", "ecolint", "check", "app.py", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 1, checked.stderr
    assert [f["code"] for f in json.loads(checked.stdout)["findings"]] == ["ACME101"]


def test_no_installed_rule_is_an_error_not_all_checks_passed(monkeypatch):
    """Metadata missing or half-written (a reinstall under way): linting with no rule would
    print "All checks passed" about code nobody checked."""
    from ecolint.lint import registry

    registry.all_rules.cache_clear()
    monkeypatch.setattr(registry, "_entry_points", lambda: [])
    try:
        with pytest.raises(registry.SelectionError, match="no rule is installed"):
            registry.all_rules()
    finally:
        registry.all_rules.cache_clear()
