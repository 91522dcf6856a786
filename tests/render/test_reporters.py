"""Reporters: stable JSON, SARIF 2.1.0, escaped GitHub workflow commands."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ecolint.render import render
from ecolint.render.github import escape_data, escape_property
from ecolint.render.text import cost_tag
from ecolint.results import FileResult, Finding, Fix, LintReport, Measured, RuleInfo

RULE = RuleInfo("ECO603", "blocking-sleep-in-async", "Flags time.sleep in async def.", "## Doc")


def report(tmp_path: Path, message: str = "blocks the loop") -> LintReport:
    finding = Finding(
        path=str(tmp_path / "pkg" / "app.py"),
        code="ECO603",
        name="blocking-sleep-in-async",
        message=message,
        line=6,
        column=5,
        end_line=6,
        end_column=18,
        fix=Fix("safe", "await asyncio.sleep"),
        line_text="    time.sleep(1)",
        fingerprint="abc123",
    )
    return LintReport(
        files=(FileResult(finding.path, (finding,)),), root=str(tmp_path), rules=(RULE,)
    )


def test_json_report_has_a_version_and_stable_keys(tmp_path):
    document = json.loads(render(report(tmp_path), "json"))
    assert document["version"] == 3
    assert sorted(document) == ["errors", "findings", "profiles", "summary", "tool", "version"]
    finding = document["findings"][0]
    assert sorted(finding) == sorted(
        [
            "code",
            "name",
            "message",
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "severity",
            "fix",
            "fingerprint",
            "confidence",
            "kind",
            "related",
            "measured",
        ]
    )
    assert (finding["confidence"], finding["kind"], finding["related"]) == ("high", "app", [])
    assert finding["measured"] is None  # no profile given
    assert finding["fix"] == {"applicability": "safe", "message": "await asyncio.sleep"}
    assert document["summary"]["per_rule"] == {"ECO603": 1}


def test_sarif_has_rules_with_help_repo_relative_uris_and_fingerprints(tmp_path):
    document = json.loads(render(report(tmp_path), "sarif"))
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["ECO603"]["help"]["markdown"] == "## Doc"
    assert rules["ECO603"]["shortDescription"]["text"] == "Flags time.sleep in async def."
    result = run["results"][0]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "ECO603"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "pkg/app.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 6, "startColumn": 5, "endLine": 6, "endColumn": 18}
    assert result["partialFingerprints"] == {"ecolint/v1": "abc123"}
    assert result["level"] == "warning"


def measured_report(tmp_path: Path, measured: Measured) -> LintReport:
    plain = report(tmp_path)
    (result,) = plain.files
    findings = tuple(replace(f, measured=measured) for f in result.findings)
    return replace(plain, files=(replace(result, findings=findings),))


HOT = Measured(share=0.724, samples=140, cpu_s=1.4, joules=5.6, profile="prof.txt")
COLD = Measured(share=0.0, samples=0, cpu_s=0.0, joules=0.0, profile="prof.txt")


def test_a_measured_finding_shows_its_cost_on_its_line(tmp_path):
    hot = render(measured_report(tmp_path, HOT), "text").splitlines()[0]
    assert hot.endswith("(blocking-sleep-in-async) [hot 72% · 1.40 s · 5.60 J]")
    cold = render(measured_report(tmp_path, COLD), "text").splitlines()[0]
    assert cold.endswith("[not hot in this profile]")


def test_a_long_profiles_cost_is_written_without_an_exponent():
    long_run = Measured(share=0.2, samples=43620, cpu_s=436.2, joules=1744.8, profile="p")
    assert cost_tag(long_run) == "[hot 20% · 436 s · 1745 J]"
    assert cost_tag(replace(long_run, cpu_s=1740.4, joules=6961.6)).endswith("1740 s · 1.93 Wh]")


def test_sarif_ranks_a_measured_finding_by_its_share_and_keeps_the_figures(tmp_path):
    (result,) = json.loads(render(measured_report(tmp_path, HOT), "sarif"))["runs"][0]["results"]
    assert result["rank"] == 72.4
    assert result["properties"]["measured"] == {
        "share": 0.724,
        "samples": 140,
        "cpuSeconds": 1.4,
        "joules": 5.6,
        "profile": "prof.txt",
        "clock": "cpu",
    }
    (plain,) = json.loads(render(report(tmp_path), "sarif"))["runs"][0]["results"]
    assert "rank" not in plain and "measured" not in plain["properties"]


def test_github_escapes_percent_first_then_newlines():
    assert escape_data("100%\r\ndone") == "100%25%0D%0Adone"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_commands_carry_file_line_col_and_title(tmp_path):
    output = render(report(tmp_path, "50% slower\nsee docs"), "github")
    line = output.strip()
    assert line.startswith("::warning file=")
    assert ",line=6,col=5,endLine=6,endColumn=18,title=ECO603 blocking-sleep-in-async::" in line
    assert line.endswith("::ECO603 50%25 slower%0Asee docs")


def test_text_report_marks_fixable_findings_and_summarises(tmp_path):
    output = render(report(tmp_path), "text")
    assert "ECO603 [*] blocks the loop (blocking-sleep-in-async)" in output
    assert "     1  ECO603  blocking-sleep-in-async  (1 fixable)" in output
