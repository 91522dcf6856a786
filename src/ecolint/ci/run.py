"""One ``ecolint ci`` run: collect or load a report, then publish it where allowed.

Modes (the split GitHub Security Lab recommends for fork PRs, "Preventing pwn requests":
https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/):

- ``collect``: measure, write the job summary, annotations, outputs and the artifact
  (``report.json``); write nothing through the API;
- ``publish``: in a ``workflow_run`` job, load an artifact written by ``collect`` (as
  untrusted data), find the PR through the API and post the sticky comment;
- ``auto``: on a ``workflow_run`` event publish; otherwise collect, then post directly
  when the token can write (a same-repository PR), never on a fork PR.

The result carries what the CLI must print (annotations, log lines) and decide (the
failed gates); this module prints nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from ecolint.ci import comment, workflow
from ecolint.ci.collect import CIOptions, Collected, collect
from ecolint.ci.context import CIContext
from ecolint.ci.github import GitHubClient
from ecolint.ci.markdown import SUMMARY_LIMIT
from ecolint.ci.model import CIReport, ReportFormatError
from ecolint.ci.publish import create_check_run, find_pull_request, token_login, upsert_comment
from ecolint.config import Settings

ARTIFACT_REPORT = "report.json"
ARTIFACT_COMMENT = "comment.md"
ARTIFACT_LIMIT = 10 * 1024 * 1024  # bytes of report.json a publisher accepts


class PublishError(Exception):
    """The publisher refuses its input (exit 2): wrong event, untrusted or stale artifact."""


@dataclass(frozen=True)
class PublishOptions:
    mode: str = "auto"  # auto, collect, publish
    comment: bool = True
    comment_author: str = ""
    check_run: bool = False
    sarif: Path | None = None
    artifact_dir: Path = Path("ecolint-ci")
    history: bool = False
    database: str | None = None  # the history store, as for --db (None: the default)


@dataclass
class RunResult:
    report: CIReport
    annotations: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    comment_id: int | None = None
    judged: bool = True  # False for a publisher: the collecting job already applied the gates


def run(
    context: CIContext,
    options: CIOptions,
    publishing: PublishOptions,
    root: Path,
    settings: Settings,
) -> RunResult:
    """Publish a collected artifact, or collect with ``settings`` (read once by the CLI)."""
    if publishing.mode == "publish" or (
        publishing.mode == "auto" and context.event_name == "workflow_run"
    ):
        return publish_artifact(context, options, publishing)
    collected = collect(context, options, root, settings)
    report = collected.report
    result = RunResult(report, workflow.annotation_commands(report.findings.new))
    body = comment.render(report, options.max_comment_findings)
    _write_artifact(publishing.artifact_dir, report, body)
    result.log.append(f"report saved in {publishing.artifact_dir / ARTIFACT_REPORT}")
    if context.step_summary is not None:
        full = comment.render(report, max_findings=1000, limit=SUMMARY_LIMIT // 4)
        workflow.write_summary(context.step_summary, full)
    if publishing.sarif is not None:
        from ecolint.render import render

        publishing.sarif.parent.mkdir(parents=True, exist_ok=True)
        publishing.sarif.write_text(render(collected.head_lint, "sarif"), encoding="utf-8")
        result.log.append(f"SARIF written to {publishing.sarif}")
    try:  # an API or store failure (exit 2) still leaves the outputs of what was measured
        if publishing.mode == "auto":
            _publish_direct(context, publishing, report, body, result)
        if publishing.history and context.is_default_branch_push:
            _record_history(context, publishing, collected, result)
    finally:
        if context.output is not None:
            workflow.write_outputs(context.output, outputs(result, publishing))
    return result


def outputs(result: RunResult, publishing: PublishOptions) -> dict[str, str]:
    report = result.report
    head = report.head_score
    delta = report.score_delta
    energy = report.energy
    regressions = 0
    if energy is not None:
        regressions = sum(1 for t in energy.tests if t.change == "regression")
        regressions += 1 if energy.verdict == "regression" and not regressions else 0
    return {
        "score": "" if head is None or head.score is None else f"{head.score:.1f}",
        "grade": "" if head is None or head.grade is None else head.grade,
        "score-delta": "" if delta is None else f"{delta:+.1f}",
        "new-findings": str(len(report.findings.new)),
        "fixed-findings": str(len(report.findings.fixed)),
        "regressions": str(regressions),
        "energy-verdict": energy.verdict if energy is not None else "",
        "verdict": "fail" if report.failed_gates else "pass",
        "report-path": str(publishing.artifact_dir / ARTIFACT_REPORT),
        "comment-id": "" if result.comment_id is None else str(result.comment_id),
    }


def _write_artifact(folder: Path, report: CIReport, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ARTIFACT_REPORT).write_text(json.dumps(report.to_dict(), indent=1), encoding="utf-8")
    (folder / ARTIFACT_COMMENT).write_text(body, encoding="utf-8")


def _client(context: CIContext) -> GitHubClient:
    return GitHubClient(context.api_url, context.token)


def _publish_direct(
    context: CIContext, publishing: PublishOptions, report: CIReport, body: str, result: RunResult
) -> None:
    pull = context.pull_request
    if pull is None:
        return
    if not context.can_write:
        why = "a fork PR's token is read-only" if pull.is_fork else "no token"
        result.log.append(
            f"no comment posted ({why}): the report is in {publishing.artifact_dir}; upload it "
            "as an artifact for the workflow_run publisher (see github_action/README.md)"
        )
        return
    client = _client(context)
    if publishing.comment:
        login = token_login(client, publishing.comment_author)
        marker = comment.marker(report.report_id)
        posted = upsert_comment(client, context.repository, pull.number, body, marker, login)
        result.comment_id = posted.comment_id
        result.log.append(f"comment {posted.action} (id {posted.comment_id})")
    if publishing.check_run:
        conclusion = "failure" if report.failed_gates else "success"
        new = report.findings.new
        title = f"{len(new)} new finding(s)" + (" · gate failed" if report.failed_gates else "")
        check_id, requests = create_check_run(
            client,
            context.repository,
            report.head_sha,
            conclusion=conclusion,
            title=title,
            summary=body,
            findings=new,
        )
        result.log.append(
            f"check run {check_id}: {len(new)} annotation(s) in {requests} request(s)"
        )


def load_artifact(folder: Path) -> CIReport:
    """The report a collect job left, read as untrusted data (size capped, validated)."""
    path = folder / ARTIFACT_REPORT
    try:
        if path.is_symlink() or not path.is_file():
            raise PublishError(f"{path} is not a regular file")
        with path.open("rb") as handle:
            data = handle.read(ARTIFACT_LIMIT + 1)
    except OSError as error:
        raise PublishError(f"cannot read {path}: {error.strerror}") from error
    if len(data) > ARTIFACT_LIMIT:
        raise PublishError(f"{path} is larger than {ARTIFACT_LIMIT} bytes")
    try:
        return CIReport.from_dict(json.loads(data))
    except (ValueError, ReportFormatError) as error:
        raise PublishError(f"{path} is not a valid ecolint CI report: {error}") from error


def publish_artifact(
    context: CIContext, options: CIOptions, publishing: PublishOptions
) -> RunResult:
    run_info = context.workflow_run
    if run_info is None:
        raise PublishError("publish mode runs on a workflow_run event")
    if run_info.event != "pull_request":
        raise PublishError(f"the triggering run was a {run_info.event!r} event, not a pull_request")
    loaded = load_artifact(publishing.artifact_dir)
    if loaded.head_sha != run_info.head_sha:
        raise PublishError(
            "the artifact describes another commit than the workflow run's head; not posted"
        )
    client = _client(context)
    number = find_pull_request(client, context.repository, run_info)
    if number is None:
        raise PublishError(
            f"no open pull request has head {run_info.head_owner}:{run_info.head_branch} "
            f"at {run_info.head_sha}; not posted"
        )
    run_url = f"{context.server_url}/{context.repository}/actions/runs/{run_info.id}"
    # Only the publisher's own facts name things: the id, the PR and the link.
    report = replace(loaded, report_id=options.report_id, pull_request=number, run_url=run_url)
    body = comment.render(report, options.max_comment_findings)
    result = RunResult(report, judged=False)
    if publishing.comment:
        login = token_login(client, publishing.comment_author)
        marker = comment.marker(report.report_id)
        posted = upsert_comment(client, context.repository, number, body, marker, login)
        result.comment_id = posted.comment_id
        result.log.append(f"comment {posted.action} on PR #{number} (id {posted.comment_id})")
    if context.step_summary is not None:
        workflow.write_summary(context.step_summary, body)
    if context.output is not None:
        workflow.write_outputs(context.output, outputs(result, publishing))
    return result


def _record_history(
    context: CIContext, publishing: PublishOptions, collected: Collected, result: RunResult
) -> None:
    from collections import Counter
    from datetime import UTC, datetime

    from ecolint.history.store import open_store
    from ecolint.records import HistoryRecord, RepoScore
    from ecolint.version import VERSION

    measurement = collected.head_measurement
    score = measurement.score if measurement is not None else RepoScore(None, None)
    counts = dict(Counter(finding.code for finding in collected.head_lint.findings))
    record = HistoryRecord(
        repository=context.repository,
        commit=result.report.head_sha,
        recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        score=score,
        branch=context.default_branch,
        findings=counts,
        energy_kwh=getattr(measurement, "energy_kwh", None),
        carbon_g=getattr(measurement, "carbon_g", None),
        ecoindex=dict(getattr(measurement, "ecoindex", {}) or {}),
        lines_of_code=getattr(measurement, "lines_of_code", 0),
        tool_version=VERSION,
        hot_findings=getattr(measurement, "hot_findings", ()),
    )
    store = open_store(publishing.database, context.workspace)
    try:
        store.record(record)
    finally:
        store.close()
    result.log.append(f"history recorded for {record.commit[:7]}")
