"""``ecolint ci``: the GitHub Action's command (see ``github_action/``).

Every option can come from an ``ECOLINT_*`` variable, which is how the action passes its
inputs (through ``env:``, never ``${{ }}`` inside a script). Empty variables count as
unset, so an action input left blank falls back to ``[tool.ecolint.ci]``.

One name per concept, spelt alike in the option, the action input and the configuration
key (the table in ``github_action/README.md``): ``--energy``/``energy``, ``--rounds``,
``--report-id``/``report-id``, and for the history store ``--database``/``database`` as in
``ecolint history`` and ``ecolint dashboard`` (``[tool.ecolint.history] database``; the
variable is ``$ECOLINT_DATABASE_URL``, as a secret holding a URL is named). Old spellings
still read: ``--db`` (a short alias), ``--history-url`` (with a warning), the action input
``database-url`` (with a deprecation message).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from ecolint.cli.history import configured_database, db_option
from ecolint.cli.options import output_file_option
from ecolint.config.ci import AB_ROUNDS, GATES, SEVERITIES, check_urls


class CIFailure(click.ClickException):
    """ecolint ci could not do its job (exit 2): the message says why and what to do."""

    exit_code = 2


def _split(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(value.replace(",", " ").split())


@click.command()
@click.option(
    "--mode",
    type=click.Choice(["auto", "collect", "publish"]),
    default="auto",
    envvar="ECOLINT_MODE",
    show_default=True,
    help="collect: never write through the API; publish: post a collected report "
    "(workflow_run); auto: post when the token can write.",
)
@click.option(
    "--paths",
    envvar="ECOLINT_PATHS",
    callback=_split,
    help="Paths to lint (space or comma separated).",
)
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="ECOLINT_CONFIG",
    help="Configuration file, relative to the repository's root (default: the nearest "
    "configuration there); read once, it applies to base and head alike, the score, the "
    "energy budgets and the web audit.",
)
@click.option(
    "--report-id",
    envvar="ECOLINT_REPORT_ID",
    help="Tells this job's comment apart from other ecolint jobs on the PR (the marker's "
    "suffix; default: [tool.ecolint.ci] report-id, else 'default').",
)
@click.option(
    "--fail-on",
    envvar="ECOLINT_FAIL_ON",
    callback=_split,
    help=f"Gates: {', '.join(GATES)} or none.",
)
@click.option(
    "--new-findings-level", type=click.Choice(SEVERITIES), envvar="ECOLINT_NEW_FINDINGS_LEVEL"
)
@click.option("--max-new-findings", type=click.IntRange(min=0), envvar="ECOLINT_MAX_NEW_FINDINGS")
@click.option("--max-score-drop", type=click.FloatRange(min=0), envvar="ECOLINT_MAX_SCORE_DROP")
@click.option(
    "--energy/--no-energy",
    default=None,
    envvar="ECOLINT_ENERGY",
    help="Run the test suite's energy A/B, base vs head (default: [tool.ecolint.ci] energy).",
)
@click.option(
    "--rounds",
    type=click.IntRange(min=3),
    envvar="ECOLINT_ROUNDS",
    help=f"Rounds of the energy A/B (default: [tool.ecolint.ci] rounds, else {AB_ROUNDS}, "
    "as for `ecolint energy ab`).",
)
@click.option(
    "--pytest-args", envvar="ECOLINT_PYTEST_ARGS", help="Arguments for pytest (shell-like)."
)
@click.option(
    "--urls",
    envvar="ECOLINT_URLS",
    callback=_split,
    help="Pages to audit (replaces [tool.ecolint.web] urls).",
)
@click.option(
    "--profile",
    "profiles",
    multiple=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="ECOLINT_PROFILE",
    help="A CPU profile of the checked-out code (py-spy record --format raw or speedscope, "
    "pytest --eco --eco-profile): the comment lists the "
    "new findings that are hot first, with their measured share (repeatable; "
    "$ECOLINT_PROFILE: space separated; default: [tool.ecolint.ci] profile).",
)
@click.option("--comment/--no-comment", default=True, envvar="ECOLINT_COMMENT", show_default=True)
@click.option(
    "--comment-author",
    envvar="ECOLINT_COMMENT_AUTHOR",
    default="",
    help="Login that owns the comment (default: the token's).",
)
@click.option(
    "--check-run/--no-check-run", default=False, envvar="ECOLINT_CHECK_RUN", show_default=True
)
@click.option(
    "--sarif",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="ECOLINT_SARIF",
    help="Also write SARIF here.",
)
@click.option(
    "--artifact-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("ecolint-ci"),
    envvar="ECOLINT_ARTIFACT_DIR",
    show_default=True,
    help="Where the report (and a fork PR's comment) is saved; read from here in publish mode.",
)
@click.option(
    "--history/--no-history",
    default=False,
    envvar="ECOLINT_HISTORY",
    help="Record history on default-branch pushes (implied by --database or $ECOLINT_DATABASE_URL; "
    "[tool.ecolint.history] database only says where).",
)
@db_option
@click.option("--history-url", "old_history_url", hidden=True)  # the old name of --database
@click.option(
    "--local",
    "local_base",
    metavar="BASE",
    help="Outside GitHub Actions: render the pull request comment for the working tree "
    "against the git revision BASE (e.g. main), print it and talk to no server.",
)
@output_file_option
def ci(
    mode: str,
    paths: tuple[str, ...],
    config: Path | None,
    report_id: str | None,
    fail_on: tuple[str, ...],
    new_findings_level: str | None,
    max_new_findings: int | None,
    max_score_drop: float | None,
    energy: bool | None,
    rounds: int | None,
    pytest_args: str | None,
    urls: tuple[str, ...],
    profiles: tuple[Path, ...],
    comment: bool,
    comment_author: str,
    check_run: bool,
    sarif: Path | None,
    artifact_dir: Path,
    history: bool,
    database: str | None,
    old_history_url: str | None,
    local_base: str | None,
    output_file: Path | None,
) -> None:
    """Report on a pull request or push: findings base → head, energy, pages, score;
    job summary, annotations, outputs, one sticky comment; exit 1 when a gate fails."""
    import shlex
    import tempfile
    from dataclasses import replace

    from ecolint import git
    from ecolint.ci.collect import CIOptions
    from ecolint.ci.compare import CompareError
    from ecolint.ci.context import ContextError, local_context, read_context
    from ecolint.ci.github import GitHubError
    from ecolint.ci.run import PublishError, PublishOptions, run
    from ecolint.config import load_settings
    from ecolint.config.ci import REPORT_ID, check_gates
    from ecolint.history.store import DATABASE_URL_ENV, HistoryError

    try:
        check_gates(fail_on)
        check_urls(urls)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    if report_id is not None and not REPORT_ID.match(report_id):
        raise click.BadParameter("1-64 letters, digits, '.', '_' or '-'", param_hint="--report-id")
    if output_file is not None and local_base is None:
        raise click.UsageError("--output-file goes with --local (in CI, the comment is posted)")
    if old_history_url is not None:
        click.echo("ecolint ci: warning: --history-url is deprecated, use --database", err=True)
        database = database or old_history_url
    # a store named here (or in $ECOLINT_DATABASE_URL) asks for the history; a configured one
    # only says where it goes
    database = database or os.environ.get(DATABASE_URL_ENV) or None
    try:
        if local_base is not None:
            root = Path(git.run(Path.cwd(), "rev-parse", "--show-toplevel").strip())
            try:
                base_sha = git.run(
                    root, "rev-parse", "--verify", "--quiet", f"{local_base}^{{commit}}"
                ).strip()
            except git.GitError:
                raise click.BadParameter(
                    f"{local_base!r} is not a commit, branch or tag of this repository",
                    param_hint="--local",
                ) from None
            context = local_context(
                root,
                local_base,
                head_sha=git.run(root, "rev-parse", "HEAD").strip(),
                base_sha=base_sha,
                branch=git.run(root, "rev-parse", "--abbrev-ref", "HEAD").strip(),
            )
            mode, comment, history, database = "collect", False, False, None
        else:
            context = read_context(os.environ)
            root = (
                Path.cwd()
                if context.event_name == "workflow_run"
                else Path(git.run(Path.cwd(), "rev-parse", "--show-toplevel").strip())
            )
    except (ContextError, CompareError, git.GitError) as error:
        raise click.UsageError(str(error)) from error
    # The one read of the configuration: every part of the run gets these settings.
    settings = load_settings(root / config if config else None, start=root)
    base = settings.ci
    for note in base.deprecations:
        click.echo(f"ecolint ci: warning: {note}", err=True)
    try:
        arguments = tuple(shlex.split(pytest_args)) if pytest_args else base.pytest_args
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--pytest-args") from error
    options = CIOptions(
        paths=paths or base.paths,
        report_id=report_id or base.report_id,
        fail_on=fail_on or base.fail_on,
        new_findings_level=new_findings_level or base.new_findings_level,
        max_new_findings=base.max_new_findings if max_new_findings is None else max_new_findings,
        max_score_drop=base.max_score_drop if max_score_drop is None else max_score_drop,
        energy=base.energy if energy is None else energy,
        rounds=rounds or base.rounds,
        pytest_args=arguments,
        urls=urls or settings.web.urls,
        max_comment_findings=base.max_comment_findings,
        # given here: from the working folder, as every path option; configured: from the root
        profiles=tuple(p.absolute() for p in profiles) or tuple(root / p for p in base.profile),
    )
    publishing = PublishOptions(
        mode=mode,
        comment=comment,
        comment_author=comment_author,
        check_run=check_run,
        sarif=sarif,
        artifact_dir=artifact_dir if artifact_dir.is_absolute() else root / artifact_dir,
        history=history or bool(database),
        database=configured_database(database, settings),
    )
    try:
        with tempfile.TemporaryDirectory(prefix="ecolint-ci-") as scratch:
            if local_base is not None:  # a dry run leaves nothing in the repository
                publishing = replace(publishing, artifact_dir=Path(scratch))
            result = run(context, options, publishing, root, settings)
    except (CompareError, git.GitError, PublishError, GitHubError, HistoryError) as error:
        raise CIFailure(str(error)) from error
    if local_base is not None:
        from ecolint.ci.comment import render

        body = render(result.report, options.max_comment_findings)
        if output_file is None:
            click.echo(body)
        else:
            output_file.write_text(body, encoding="utf-8")
    else:
        for line in result.annotations:
            click.echo(line)
    for line in result.log:
        if local_base is not None and line.startswith("report saved in "):
            continue  # the dry run's scratch folder is gone: do not point at it
        click.echo(f"ecolint ci: {line}", err=True)
    report = result.report
    for gate in report.gates if result.judged else ():
        state = {True: "passed", False: "FAILED", None: "not evaluated"}[gate.passed]
        click.echo(f"gate {gate.name}: {state} — {gate.detail}", err=True)
    click.get_current_context().exit(1 if result.judged and report.failed_gates else 0)
