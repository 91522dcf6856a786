"""Reading the runner's context, the report document, the gates and the runner files."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from ci_support import pull_request_event, read_outputs, runner_env, workflow_run_event

from ecolint.ci.comment import render as render_comment
from ecolint.ci.compare import match_findings
from ecolint.ci.context import ContextError, read_context
from ecolint.ci.gates import BudgetCheck, evaluate
from ecolint.ci.model import (
    CIReport,
    FindingRef,
    FindingsDelta,
    ReportFormatError,
    ScorePartRef,
    ScoreRef,
)
from ecolint.ci.workflow import annotation_commands, write_outputs
from ecolint.config import ConfigError
from ecolint.config.loader import parse_table
from ecolint.results import Finding


def context_for(tmp_path, event_name, event):
    return read_context(runner_env(tmp_path, event_name, event, "http://127.0.0.1:1"))


def test_a_pr_reports_on_its_head_not_on_the_merge_commit(tmp_path):
    context = context_for(tmp_path, "pull_request", pull_request_event("a" * 40, "b" * 40))
    assert context.sha == "b" * 40
    assert context.pull_request.is_fork is False and context.can_write


def test_a_fork_pr_is_read_only_even_with_a_token(tmp_path):
    context = context_for(
        tmp_path, "pull_request", pull_request_event("a" * 40, "b" * 40, fork=True)
    )
    assert context.pull_request.is_fork and not context.can_write


def test_a_pr_from_a_deleted_fork_is_a_fork(tmp_path):
    event = pull_request_event("a" * 40, "b" * 40)
    event["pull_request"]["head"]["repo"] = None
    assert context_for(tmp_path, "pull_request", event).pull_request.is_fork


def test_a_workflow_run_payload_names_the_head_to_look_up(tmp_path):
    run = context_for(tmp_path, "workflow_run", workflow_run_event("c" * 40)).workflow_run
    assert (run.head_owner, run.head_branch, run.head_sha) == ("mallory", "feature", "c" * 40)


def test_a_payload_without_a_head_sha_is_a_clear_error(tmp_path):
    event = pull_request_event("a" * 40, "b" * 40)
    del event["pull_request"]["head"]["sha"]
    with pytest.raises(ContextError, match=r"pull_request\.head\.sha"):
        context_for(tmp_path, "pull_request", event)


def finding(line: int, fingerprint: str) -> Finding:
    return Finding("a.py", "ECO102", "n", "m", line, 1, line, 2, fingerprint=fingerprint)


def test_findings_are_matched_by_fingerprint_as_a_multiset_not_by_line():
    base = [finding(3, "x"), finding(9, "x"), finding(12, "gone")]
    head = [finding(5, "x"), finding(11, "x"), finding(14, "x"), finding(20, "new")]
    delta = match_findings(base, head)
    assert [f.fingerprint for f in delta.new] == ["x", "new"]
    assert [f.fingerprint for f in delta.fixed] == ["gone"]
    assert (delta.unchanged, delta.base_total, delta.head_total) == (2, 3, 4)


def report() -> CIReport:
    ref = FindingRef("ECO102", "n", "a.py", 3, 1, "m", "warning", "x")
    return CIReport(
        "default",
        "pull_request",
        "acme/shop",
        "b" * 40,
        "a" * 40,
        findings=FindingsDelta((ref,), (), 1, 1, 2),
        head_score=ScoreRef(71.5, "C"),
    )


def test_the_report_document_round_trips():
    assert CIReport.from_dict(json.loads(json.dumps(report().to_dict()))) == report()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d["report"]["findings"]["new"][0].update(line="3"),
        lambda d: d["report"].update(run_url=None),
        lambda d: d["report"].update(script="<img>"),
        lambda d: d["report"]["findings"].update(new=[{}] * 6000),
        lambda d: d.update(version=99),
    ],
)
def test_a_tampered_report_document_is_refused(tamper):
    document = report().to_dict()
    tamper(document)
    with pytest.raises(ReportFormatError):
        CIReport.from_dict(document)


def test_gates_fail_only_on_what_was_measured():
    delta = report().findings
    gates = evaluate(
        ["new-findings", "score-drop", "energy-regression", "budget"],
        findings=delta,
        new_findings_level="error",
        max_new_findings=0,
        base_score=ScoreRef(80.0, "B"),
        head_score=ScoreRef(71.5, "C"),
        max_score_drop=5,
        energy=None,
        budgets=[BudgetCheck("suite cpu_s 3 (max 2)", True, "warn")],
    )
    assert [(g.name, g.passed) for g in gates] == [
        ("new-findings", True),  # a warning does not count at level error
        ("score-drop", False),
        ("energy-regression", None),
        ("budget", True),  # exceeded at level warn only
    ]


def test_only_ten_annotations_per_level_are_emitted_and_the_rest_counted():
    new = [
        FindingRef("ECO1", "n", "a,b:c.py", n, 1, "50%\nx", "warning", str(n)) for n in range(14)
    ]
    lines = annotation_commands(new)
    assert len(lines) == 11
    assert lines[0] == "::warning file=a%2Cb%3Ac.py,line=0,col=1,title=ECO1 n::ECO1 50%25%0Ax"
    assert "4 more new findings" in lines[-1]


def test_an_output_value_cannot_inject_another_output(tmp_path):
    path = tmp_path / "out"
    write_outputs(path, {"grade": "B\nverdict<<EOF\npass\nEOF", "verdict": "fail"})
    assert read_outputs(path) == {"grade": "B\nverdict<<EOF\npass\nEOF", "verdict": "fail"}


def test_unknown_ci_keys_and_gates_are_configuration_errors(tmp_path):
    with pytest.raises(ConfigError, match="unknown key"):
        parse_table({"ci": {"fail-on-typo": []}}, tmp_path / "pyproject.toml")
    with pytest.raises(ConfigError, match="unknown gate"):
        parse_table({"ci": {"fail-on": ["score-dorp"]}}, tmp_path / "pyproject.toml")
    settings = parse_table({"ci": {"rounds": 5, "energy": True}}, tmp_path / "pyproject.toml")
    assert (settings.ci.rounds, settings.ci.energy) == (5, True)


def test_the_ci_table_reads_report_id_and_defaults_to_15_rounds(tmp_path):
    settings = parse_table({"ci": {"report-id": "py-3.12"}}, tmp_path / "pyproject.toml")
    assert (settings.ci.report_id, settings.ci.rounds) == ("py-3.12", 15)
    assert settings.ci.deprecations == ()
    with pytest.raises(ConfigError, match="report-id must be"):
        parse_table({"ci": {"report-id": "two words"}}, tmp_path / "pyproject.toml")


def test_the_old_comment_id_key_still_works_and_says_its_new_name(tmp_path):
    settings = parse_table({"ci": {"comment-id": "docs"}}, tmp_path / "pyproject.toml")
    assert settings.ci.report_id == "docs"
    [note] = settings.ci.deprecations
    assert "comment-id is deprecated, write report-id" in note
    with pytest.raises(ConfigError, match="keep only report-id"):
        parse_table({"ci": {"comment-id": "a", "report-id": "b"}}, tmp_path / "pyproject.toml")


def test_the_comment_shows_score_parts_as_precisely_as_the_headline_and_no_plus_zero():
    """The headline says 90.4: the parts table says 90.4 too, not 90; an unchanged
    score or finding count reads "= 0", not "= +0"."""
    parts = (ScorePartRef("code", 90.44, "A", "2 findings"),)
    same = replace(
        report(),
        head_score=ScoreRef(90.44, "A", parts),
        base_score=ScoreRef(90.44, "A", parts),
        findings=FindingsDelta((), (), 2, 2, 2),
    )
    body = render_comment(same)
    assert "| code | 90.4 | A |" in body
    assert "= 0.0" in body and "= 0 " in body
    assert "+0" not in body and "finding(s)" not in body


def test_an_unscored_head_says_no_part_was_measured_and_the_notes_say_why():
    """The score module always ships: a head without a score is one where no part (code,
    tests, web) had its input, and the notes name the reason per part."""
    unscored = replace(
        report(),
        head_score=ScoreRef(None, None),
        notes=("score part code not measured: no Python code found",),
    )
    body = render_comment(unscored)
    assert "**Score: not computed** (no part of the score was measured: see the notes)" in body
    assert "no Python code found" in body
    assert "not available" not in body
