"""``ecolint check`` on a project with tests, migrations and generated code beside the app."""

from __future__ import annotations

import json

from helpers import write

CONCAT = """\
def send_all(users):
    for user in users:
        with open("template.html") as f:
            send(user, f.read())
    return len(users)
"""
UNBOUNDED = """\
import requests


def test_staging_is_up():
    assert requests.get("https://staging.example.com/health").ok
"""


def layout(project):
    write(project / "shop" / "text.py", CONCAT)
    write(project / "shop" / "tests" / "test_text.py", CONCAT + "\n\n" + UNBOUNDED)
    write(project / "shop" / "migrations" / "0002_backfill.py", CONCAT)
    write(project / ".semgrep" / "fixture.py", CONCAT)


def locations(output: str) -> list[tuple[str, str, str]]:
    findings = json.loads(output)["findings"]
    return sorted((f["path"], f["code"], f["kind"]) for f in findings)


def test_by_default_tests_keep_only_slow_or_flaky_rules_and_migrations_nothing(project, invoke):
    layout(project)
    result = invoke("check", "--format", "json")
    assert locations(result.output) == [
        ("shop/tests/test_text.py", "ECO301", "test"),
        ("shop/text.py", "ECO202", "app"),
    ]


def test_show_all_runs_every_rule_on_every_kind(project, invoke):
    layout(project)
    result = invoke("check", "--format", "json", "--show-all")
    assert locations(result.output) == [
        (".semgrep/fixture.py", "ECO202", "generated"),
        ("shop/migrations/0002_backfill.py", "ECO202", "migration"),
        ("shop/tests/test_text.py", "ECO202", "test"),
        ("shop/tests/test_text.py", "ECO301", "test"),
        ("shop/text.py", "ECO202", "app"),
    ]


def test_the_configuration_sets_the_rules_and_paths_of_a_kind(project, invoke):
    layout(project)
    write(project / "qa" / "load.py", CONCAT)
    write(
        project / "pyproject.toml",
        """\
        [tool.ecolint.file-kinds.test]
        rules = ["ECO2"]
        paths = ["qa/*"]
        """,
    )
    result = invoke("check", "--format", "json")
    assert locations(result.output) == [
        ("qa/load.py", "ECO202", "test"),
        ("shop/tests/test_text.py", "ECO202", "test"),
        ("shop/text.py", "ECO202", "app"),
    ]


def test_a_wrong_file_kinds_table_is_a_usage_error(project, invoke):
    write(project / "pyproject.toml", "[tool.ecolint.file-kinds.tests]\nrules = []\n")
    result = invoke("check")
    assert result.exit_code == 2 and "unknown key(s) tests" in result.output
    write(project / "pyproject.toml", '[tool.ecolint.file-kinds.test]\nrules = ["ECO999"]\n')
    result = invoke("check")
    assert result.exit_code == 2 and "ECO999" in result.output


def test_the_text_report_names_the_kind_of_a_finding_outside_the_app(project, invoke):
    layout(project)
    result = invoke("check")
    assert "shop/tests/test_text.py:12:12: ECO301 `requests.get()`" in result.output
    assert "(http-without-timeout) [test]" in result.output


def test_the_score_counts_application_code_only(project, invoke):
    layout(project)
    result = invoke("score", "--format", "json")
    document = json.loads(result.output)
    assert document["findings"] == {"ECO202": 1}, document
