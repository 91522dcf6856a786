"""ECO703's `target-version` option through the real configuration and CLI."""

from __future__ import annotations

DATACLASS = "from dataclasses import dataclass\n\n@dataclass\nclass Point:\n    x: int\n"


def _project(tmp_path, options: str) -> str:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ecolint]\nselect = ["ECO703"]\n'
        f"[tool.ecolint.options.dataclass-without-slots]\n{options}\n"
    )
    (tmp_path / "point.py").write_text(DATACLASS)
    return str(tmp_path / "point.py")


def test_a_malformed_target_version_is_a_usage_error_naming_the_rule(invoke, tmp_path):
    result = invoke("check", "--no-cache", _project(tmp_path, 'target-version = "three"'))
    assert result.exit_code == 2
    assert "ECO703" in result.output and "target-version" in result.output


def test_a_target_version_below_3_10_reports_nothing(invoke, tmp_path):
    result = invoke("check", "--no-cache", _project(tmp_path, 'target-version = "3.9"'))
    assert result.exit_code == 0, result.output


def test_a_target_version_of_3_10_reports_the_dataclass(invoke, tmp_path):
    result = invoke("check", "--no-cache", _project(tmp_path, 'target-version = "3.10"'))
    assert result.exit_code == 1
    assert "point.py:3:1: ECO703" in result.output
