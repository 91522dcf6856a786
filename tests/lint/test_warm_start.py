"""A run answered from the cache selects its rules from the cached rule index, imports
neither libcst nor a rule pack, and reports exactly what a cold run reports; the index is
rebuilt when a pack's code changes or a pack is installed or removed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ecolint.lint import registry
from ecolint.lint import rule_index as index_module
from ecolint.lint.cache import run_key
from ecolint.lint.registry import Selection, SelectionError, all_rules, codes_for
from ecolint.lint.rule import Rule
from ecolint.lint.rule_index import RuleEntry, RuleIndex, index_stamp, rule_index
from helpers import write

SLEEPY = """\
import asyncio, time

async def f():
    time.sleep(1)
"""
# Runs the CLI, then writes which of the heavy packages the process imported.
PROBE = """
import atexit, json, runpy, sys
HEAVY = ("libcst", "ecolint_rules", "acme_rules")
def record(path):
    with open(path, "w") as out:
        json.dump({name: name in sys.modules for name in HEAVY}, out)
atexit.register(record, sys.argv[1])
sys.argv = ["ecolint", *sys.argv[2:]]
runpy.run_module("ecolint", run_name="__main__")
"""
PACK = '''
import libcst as cst
from ecolint import Rule


class PrintCall(Rule):
    """## What it does
    Flags print()."""

    code = "ACME101"
    name = "print-call"
    message = "{word} print()"

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node) == "builtins.print":
            self.report(node, word="first")


RULES = [PrintCall]
'''


def probe(project: Path, *args: str, env: dict[str, str] | None = None) -> tuple[Any, ...]:
    """Exit code, standard output and the heavy imports of one ``ecolint`` process."""
    record = project / "imports.json"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(record), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, done.stdout, json.loads(record.read_text())


@pytest.mark.slow
def test_a_warm_run_imports_no_libcst_nor_rules_and_reports_what_a_cold_run_does(project):
    for index in range(3):
        write(project / f"m{index}.py", SLEEPY)
    write(project / "clean.py", "x = 1\n")
    cold_code, cold_json, cold_imports = probe(project, "check", "--format", "json")
    warm_code, warm_json, warm_imports = probe(project, "check", "--format", "json")
    assert cold_imports["libcst"] and cold_imports["ecolint_rules"]  # it did lint
    assert not warm_imports["libcst"] and not warm_imports["ecolint_rules"]
    assert warm_code == cold_code == 1
    assert json.loads(warm_json) == json.loads(cold_json)
    assert json.loads(warm_json)["summary"]["findings"] == 3
    text_cold = probe(project, "check", "--no-cache")
    text_warm = probe(project, "check")
    assert text_warm[:2] == text_cold[:2]
    assert not text_warm[2]["libcst"]


@pytest.mark.slow
def test_a_changed_file_is_linted_on_an_otherwise_warm_run(project):
    write(project / "a.py", "x = 1\n")
    write(project / "b.py", "y = 2\n")
    assert probe(project, "check")[0] == 0
    write(project / "b.py", SLEEPY)
    code, output, imports = probe(project, "check", "--format", "json")
    assert code == 1 and imports["libcst"]
    assert [f["path"] for f in json.loads(output)["findings"]] == ["b.py"]


@pytest.mark.slow
def test_editing_installing_and_removing_a_pack_rebuild_the_index(tmp_path):
    site, project = tmp_path / "site", tmp_path / "project"
    module = write(site / "acme_rules.py", PACK)
    metadata = site / "acme_rules-1.0.dist-info"
    write(metadata / "METADATA", "Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    write(metadata / "entry_points.txt", "[ecolint.rules]\nacme = acme_rules:RULES\n")
    write(project / "pyproject.toml", "[tool.ecolint]\nextend-select = ['ACME']\n")
    write(project / "app.py", "print(1)\n")
    env = {**os.environ, "PYTHONPATH": str(site)}

    def messages(expected_imports: bool) -> list[str]:
        _, output, imports = probe(project, "check", "--format", "json", env=env)
        assert imports["acme_rules"] is expected_imports
        return [f["message"] for f in json.loads(output)["findings"]]

    assert messages(True) == ["first print()"]
    assert messages(False) == ["first print()"]  # warm
    module.write_text(PACK.replace('word="first"', 'word="second"'))
    later = module.stat().st_mtime_ns + 2_000_000_000
    os.utime(module, ns=(later, later))
    assert messages(True) == ["second print()"]  # the pack's code changed
    shutil.rmtree(metadata)  # uninstalled: the selector names no rule any more
    write(project / "pyproject.toml", "[tool.ecolint]\n")
    assert messages(False) == []


def test_selection_from_the_index_is_selection_from_the_classes():
    classes = all_rules()
    entries = [RuleEntry.of(rule) for rule in classes]
    for selection in (
        Selection(),
        Selection(select=("ALL",)),
        Selection(select=("ECO1", "ECO301"), ignore=("ECO102",)),
        Selection(extend_select=(classes[-1].name,), ignore=("ECO2",)),
    ):
        assert [e.code for e in selection.resolve(entries)] == [
            r.code for r in selection.resolve(classes)
        ]
    assert codes_for(["ECO1"], entries) == codes_for(["ECO1"], classes)
    assert [e.info() for e in entries] == [r.info() for r in classes]
    with pytest.raises(SelectionError, match="did you mean"):
        registry.validate_selectors(["ECO1O2"], entries)


def test_a_stored_index_is_reused_while_its_stamp_holds(tmp_path, monkeypatch):
    built = []
    pack = write(tmp_path / "pack" / "rules.py", "X = 1\n").parent
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(sys, "path", [sys.path[0], str(site), *sys.path[1:]])

    def build() -> RuleIndex:
        built.append(1)
        sources = (str(pack),)
        return RuleIndex((), sources, index_stamp(sources))

    monkeypatch.setattr(index_module, "build_index", build)
    cache = tmp_path / "cache"
    rule_index(cache)
    rule_index(cache)
    assert len(built) == 1
    helper = write(pack / "helper.py", "Y = 2\n")  # a pack's code changes
    rule_index(cache)
    assert len(built) == 2
    (site / "other-1.0.dist-info").mkdir()  # a package is installed
    rule_index(cache)
    assert len(built) == 3
    shutil.rmtree(site / "other-1.0.dist-info")  # and removed
    rule_index(cache)
    rule_index(cache)
    assert len(built) == 4
    helper.unlink()
    (cache / index_module.INDEX_FILE).write_bytes(b"torn")  # unreadable: rebuilt
    rule_index(cache)
    assert len(built) == 5


class Strict(Rule):
    """## What it does
    A rule whose constructor checks the value of its option."""

    code = "TST901"
    name = "strict-option"
    message = "strict"
    OPTIONS = {"limit": 1}

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        if self.options["limit"] < 0:
            raise ValueError("limit must be positive")


def test_option_errors_surface_from_the_index_and_accepted_options_are_remembered(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(registry, "all_rules", lambda: (Strict,))
    index = RuleIndex((RuleEntry.of(Strict),), stamp="stamp")
    with pytest.raises(SelectionError, match="has no option"):
        index.check_options({"TST901": {"limits": 1}}, tmp_path)
    with pytest.raises(SelectionError, match="must be like 1"):
        index.check_options({"strict-option": {"limit": "one"}}, tmp_path)
    with pytest.raises(SelectionError, match="limit must be positive"):
        index.check_options({"TST901": {"limit": -1}}, tmp_path)
    index.check_options({"TST901": {"limit": 3}}, tmp_path)
    stored = index_module._load(tmp_path / index_module.INDEX_FILE)
    assert stored is not None and stored.checked

    def no_import() -> tuple[type[Rule], ...]:
        raise AssertionError("the rule classes were imported")

    monkeypatch.setattr(registry, "all_rules", no_import)
    stored.check_options({"TST901": {"limit": 3}}, tmp_path)
    stored.check_options({}, tmp_path)


def test_the_run_key_changes_with_the_code_stamp_the_rules_and_the_options():
    entries = [RuleEntry.of(rule) for rule in all_rules()[:3]]
    key = run_key(entries, {}, "stamp", 1024)
    assert run_key(entries, {}, "stamp", 1024) == key
    assert run_key(entries, {}, "other stamp", 1024) != key
    assert run_key(entries[:2], {}, "stamp", 1024) != key
    assert run_key(entries, {entries[0].code: {"x": 1}}, "stamp", 1024) != key
    assert run_key(entries, {}, "stamp", 2048) != key


def test_subcommands_load_on_use_and_all_are_listed(invoke):
    from ecolint.cli.main import SUBCOMMANDS, cli

    listed = invoke("--help").output
    assert all(f"  {name} " in listed for name in SUBCOMMANDS)
    assert cli.commands["ci"].name == "ci"
    assert invoke("nope").exit_code == 2


def test_a_git_error_still_exits_2_with_its_message(project, invoke, monkeypatch):
    from ecolint.cli import check
    from ecolint.git import GitError

    def fails(*args: object, **kwargs: object) -> None:
        raise GitError("git log failed: not a repository")

    monkeypatch.setattr(check, "lint_paths", fails)
    result = invoke("check", "--no-cache")
    assert result.exit_code == 2
    assert "error: git log failed: not a repository" in result.output
