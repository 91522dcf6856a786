"""Bad input gets one clear finding for that file, and the run goes on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ecolint.config import Settings
from ecolint.lint.engine import Engine
from ecolint.lint.runner import lint_paths
from ecolint_rules.concurrency.blocking_sleep_in_async import BlockingSleepInAsync
from helpers import write

WASTEFUL = "import asyncio, time\n\nasync def f():\n    time.sleep(1)\n"


def lint(tmp_path: Path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.py").write_text(WASTEFUL)
    report = lint_paths([tmp_path], Settings(root=tmp_path), jobs=1)
    by_path = {Path(r.path).name: r for r in report.files}
    assert [f.code for f in by_path["good.py"].findings] == ["ECO603"], "other file lost"
    return list(by_path[name].findings)


def test_a_file_that_does_not_parse_is_one_finding_with_its_line(tmp_path):
    findings = lint(tmp_path, "broken.py", b"x = 1\ndef f(:\n    pass\n")
    assert [(f.code, f.line) for f in findings] == [("ECO001", 2)]
    assert "cannot parse" in findings[0].message


def test_a_file_that_is_not_utf8_is_reported_as_undecodable(tmp_path):
    findings = lint(tmp_path, "latin.py", b'name = "caf\xe9"\n')
    assert [f.code for f in findings] == ["ECO002"]
    assert "decode" in findings[0].message


@pytest.mark.parametrize(
    "data",
    [b'x = 1\ny = 2\nname = "caf\xe9"\n', b'# -*- coding: utf-8 -*-\nx = 1\nname = "caf\xe9"\n'],
    ids=["no declaration", "utf-8 declared"],
)
def test_an_undecodable_byte_is_reported_where_it_is(tmp_path, data):
    """The editor jumps to the byte that does not decode, not to 1:1."""
    findings = lint(tmp_path, "latin.py", data)
    assert [(f.code, f.line, f.column) for f in findings] == [("ECO002", 3, 12)]


def test_a_declared_latin1_file_is_linted_normally(tmp_path):
    source = b"# -*- coding: latin-1 -*-\n" + WASTEFUL.encode() + b'name = "caf\xe9"\n'
    assert [f.code for f in lint(tmp_path, "declared.py", source)] == ["ECO603"]


def test_a_binary_file_named_py_is_skipped_with_a_finding(tmp_path):
    findings = lint(tmp_path, "blob.py", b"\x7fELF\x02\x01\x00\x00binary")
    assert [f.code for f in findings] == ["ECO002"]
    assert "binary" in findings[0].message


def test_an_empty_file_has_no_finding(tmp_path):
    assert lint(tmp_path, "empty.py", b"") == []


def test_a_file_with_a_bom_and_crlf_lines_lints_normally(tmp_path):
    source = b"\xef\xbb\xbf" + WASTEFUL.replace("\n", "\r\n").encode()
    findings = lint(tmp_path, "bom.py", source)
    assert [(f.code, f.line, f.column) for f in findings] == [("ECO603", 4, 5)]


def test_a_file_above_the_size_limit_is_skipped_with_a_finding(tmp_path):
    target = tmp_path / "huge.py"
    target.write_bytes(WASTEFUL.encode() * 100)
    result = Engine([BlockingSleepInAsync()], max_file_bytes=1000).lint_path(str(target), "huge.py")
    assert [f.code for f in result.findings] == ["ECO002"]
    assert "larger than the 1 kB limit" in result.findings[0].message


def test_a_path_that_does_not_exist_is_a_finding_and_the_rest_is_linted(tmp_path):
    write(tmp_path / "good.py", WASTEFUL)
    report = lint_paths([tmp_path / "missing.py", tmp_path], Settings(root=tmp_path), jobs=1)
    codes = sorted((Path(f.path).name, f.code) for f in report.findings)
    assert codes == [("good.py", "ECO603"), ("missing.py", "ECO002")]


def test_an_unreadable_file_is_a_finding(tmp_path):
    engine = Engine([BlockingSleepInAsync()])
    if os.geteuid() == 0:  # root reads any file: a folder is unreadable as a file
        target = tmp_path / "folder.py"
        target.mkdir()
    else:
        target = write(tmp_path / "secret.py", WASTEFUL)
        target.chmod(0)
    result = engine.lint_path(str(target), "secret.py")
    assert [f.code for f in result.findings] == ["ECO002"]
    assert "cannot read" in result.findings[0].message


@pytest.mark.slow
def test_a_very_deeply_nested_file_is_linted_without_crashing(tmp_path):
    source = "x = (" + " + ".join(f"'{i}'" for i in range(3000)) + ")\n" + WASTEFUL
    findings = lint(tmp_path, "deep.py", source.encode())
    assert [f.code for f in findings] in (["ECO603"], ["ECO001"])


class Explodes(BlockingSleepInAsync):
    code = "ECO999"
    name = "explodes"

    def visit_Call(self, node):
        raise RuntimeError("boom")


def test_an_exception_in_one_rule_is_an_internal_error_and_other_findings_stay():
    engine = Engine([Explodes(), BlockingSleepInAsync()])
    result = engine.lint_bytes(WASTEFUL.encode(), "app.py")
    assert [f.code for f in result.findings] == ["ECO603"]
    assert [(e.rule, e.path) for e in result.errors] == [("ECO999", "app.py")]
    assert "boom" in result.errors[0].message


@pytest.mark.parametrize("source", ["(x): int = 1\n"])
def test_valid_python_that_libcst_rejects_is_reported_not_crashed_on(tmp_path, source):
    findings = lint(tmp_path, "annotated.py", source.encode())
    assert all(f.code == "ECO001" for f in findings)
