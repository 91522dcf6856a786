"""``ecolint check``: lint paths, report, optionally fix."""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import click

from ecolint.cli.options import (
    cache_dir_option,
    config_option,
    format_option,
    output_file_option,
    rule_list_option,
    split_list,
)
from ecolint.cli.profiling import check_profile_combinations, profile_options, with_profiles
from ecolint.config import Settings, load_settings
from ecolint.lint.cache import default_cache_dir
from ecolint.lint.files import discover, force_excluded
from ecolint.lint.fix_mode import FixMode
from ecolint.lint.registry import Selection, validate_selectors
from ecolint.lint.runner import Progress, cached_index, lint_paths
from ecolint.lint.timings import Timings
from ecolint.render import RENDERERS, render
from ecolint.results import LintReport

# Imported where used, not here: the engine (libcst) for standard input, git for
# --diff-base, so that a run answered from the cache imports neither.


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@rule_list_option("--select", "Only these rules (ids, prefixes or names; replaces the config).")
@rule_list_option("--extend-select", "Rules to add to the selection.")
@rule_list_option("--ignore", "Rules to turn off.")
@format_option(sorted(RENDERERS), help_text="Report format.")
@output_file_option
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, apply unsafe fixes too.")
@click.option("--diff", is_flag=True, help="Show the fixes as a diff; change no file.")
@click.option(
    "--show-all",
    is_flag=True,
    help="Also show low-confidence findings, and run every rule on every file kind "
    "(tests, migrations, scripts, generated code).",
)
@click.option("--statistics", is_flag=True, help="Show counts per rule instead of findings.")
@click.option(
    "--timings",
    is_flag=True,
    help="Print the time spent in each rule and in parsing (one process, no cache).",
)
@click.option("--quiet", "-q", is_flag=True, help="Findings only: no code frames, no summary.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Processes (default: all cores).")
@click.option("--exclude", multiple=True, callback=split_list, help="Globs replacing `exclude`.")
@click.option("--extend-exclude", multiple=True, callback=split_list, help="Globs to exclude too.")
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the excludes to paths named explicitly too (for pre-commit).",
)
@config_option
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--no-cache", is_flag=True, help="Lint every file, without reading the cache.")
@cache_dir_option
@click.option(
    "--stdin-filename",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Lint standard input as this file (for editors); with --fix, print the fixed source.",
)
@click.option(
    "--diff-base",
    metavar="REF",
    help="Report only findings on lines changed since the git revision REF.",
)
@profile_options
def check(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    output_file: Path | None,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    show_all: bool,
    statistics: bool,
    timings: bool,
    quiet: bool,
    exit_zero: bool,
    jobs: int | None,
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    force_exclude: bool,
    config_path: Path | None,
    isolated: bool,
    no_cache: bool,
    cache_dir: Path | None,
    stdin_filename: Path | None,
    diff_base: str | None,
    profiles: tuple[Path, ...],
    profile_roots: tuple[str, ...],
    profile_rate: float,
    order: str,
    min_cost: float | None,
) -> None:
    """Lint PATHS (default: the current folder) for energy-wasteful code; `-` (or
    --stdin-filename alone) lints standard input."""
    stdin = stdin_filename is not None or Path("-") in paths
    _check_combinations(paths, stdin, diff_base, fix or diff)
    check_profile_combinations(profiles, order, min_cost, stdin, fix or diff)
    targets = list(paths) or [Path(".")]
    start = stdin_filename or targets[0]
    settings = Settings() if isolated else load_settings(config_path, start=start)
    if exclude:
        settings = replace(settings, exclude=exclude)
    if extend_exclude:
        settings = replace(settings, extend_exclude=(*settings.extend_exclude, *extend_exclude))
    selection = Selection(
        select=select or settings.select,
        extend_select=(*settings.extend_select, *extend_select),
        ignore=(*settings.ignore, *ignore),
    )
    cache = None if no_cache or stdin else cache_dir or default_cache_dir(settings.root)
    index = cached_index(cache, fixing=fix or diff, timed=timings)
    validate_selectors(
        (
            *(selection.select or ()),
            *selection.extend_select,
            *selection.ignore,
            *(s for values in settings.per_file_ignores.values() for s in values),
            *(s for values in settings.file_kinds.rules.values() for s in values),
        ),
        index.rules if index is not None else None,
    )
    fix_mode = FixMode(apply=fix or diff, unsafe=unsafe_fixes)
    spent = Timings() if timings else None
    source = b""
    if stdin:
        from ecolint.lint.stdin import lint_source

        source = sys.stdin.buffer.read()
        name = stdin_filename or Path("-")
        report = LintReport(root=str(settings.root))  # an excluded name: nothing to lint
        if not (force_exclude and force_excluded(name, settings.root, settings.excludes)):
            report = lint_source(
                source, name, settings, selection=selection, fix=fix_mode, show_all=show_all
            )
    else:
        if force_exclude:  # pre-commit names excluded files too
            root, excludes = settings.root, settings.excludes
            targets = [p for p in targets if not force_excluded(p, root, excludes)]
        lint = functools.partial(
            lint_paths,
            settings=settings,
            selection=selection,
            jobs=jobs,
            fix=fix_mode,
            progress=_progress_bar(),
            cache_dir=cache,
            show_all=show_all,
            timings=spent,
            index=index,
        )
        if diff_base is None:
            report = lint(targets)
        else:
            report = _lint_changed(targets, settings, diff_base, lint)
        report = with_profiles(
            report, settings, profiles, profile_roots, profile_rate, order, min_cost
        )
    if diff:
        output = _diffs(report)
    else:
        if fix and stdin:
            _print_fixed(report, source)
        elif fix:
            _write_fixes(report)
        output = render(
            report, output_format, quiet=quiet, statistics=statistics, unsafe_fixes=unsafe_fixes
        )
    if not report.files and not stdin and diff_base is None:
        shown = ", ".join(str(path) for path in targets) or "."
        click.echo(f"warning: no Python files found in {shown} (not .py, or excluded)", err=True)
    # With --fix, standard output carries the fixed source; the report goes to stderr.
    _emit(output, output_file, err=stdin and fix and not diff)
    if spent is not None:
        click.echo(spent.render({rule.code: rule.name for rule in report.rules}), err=True)
    if report.errors:
        code = 2
    elif exit_zero:
        code = 0
    else:
        code = 1 if (output if diff else report.findings) else 0
    click.get_current_context().exit(code)


def _check_combinations(
    paths: tuple[Path, ...], stdin: bool, diff_base: str | None, fixing: bool
) -> None:
    if stdin and paths not in ((), (Path("-"),)):
        raise click.UsageError(
            "standard input is linted alone: with --stdin-filename, give `-` or no path"
        )
    if diff_base is not None and (stdin or fixing):
        raise click.UsageError(
            "--diff-base reports findings in files on disk; "
            "it cannot be combined with standard input, --fix or --diff"
        )


def _lint_changed(
    targets: Sequence[Path],
    settings: Settings,
    ref: str,
    lint: Callable[[list[Path]], LintReport],
) -> LintReport:
    """Lint only the files changed since ``ref``, then keep the findings on changed lines."""
    from ecolint.lint.changed_lines import DiffBaseError, changed_lines, only_changed

    try:
        changes = changed_lines(targets, ref)
    except DiffBaseError as error:
        raise click.BadParameter(str(error), param_hint="--diff-base") from error
    found = discover(targets, settings.root, settings.excludes, settings.respect_gitignore)
    files = [path for path in found.files if changes.lines(path)]
    return only_changed(lint([*found.missing, *files]), changes)


def _progress_bar() -> Progress | None:
    """A one-line counter on stderr, for runs longer than half a second on a terminal."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()
    shown = [False]

    def show(done: int, total: int) -> None:
        if time.monotonic() - started < 0.5 and done < total:
            return
        if done == total:
            if shown[0]:
                sys.stderr.write("\r\033[K")
            return
        shown[0] = True
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        sys.stderr.flush()

    return show


def _write_fixes(report: LintReport) -> None:
    for result in report.files:
        if result.fixed_source is not None:
            # The file's own encoding: a declared latin-1 stays latin-1, a BOM stays.
            Path(result.path).write_bytes(result.fixed_source.encode(result.encoding))


def _print_fixed(report: LintReport, source: bytes) -> None:
    """Editors replace their buffer with standard output: the fixed source in its own
    encoding, or the input byte for byte when nothing was fixed."""
    data = source
    for result in report.files:
        if result.fixed_source is not None:
            data = result.fixed_source.encode(result.encoding)
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _diffs(report: LintReport) -> str:
    import difflib  # here: only --diff needs it

    chunks: list[str] = []
    for result in report.files:
        if result.fixed_source is None or result.original_source is None:
            continue
        chunks.extend(
            difflib.unified_diff(
                result.original_source.splitlines(keepends=True),
                result.fixed_source.splitlines(keepends=True),
                fromfile=f"a/{result.path}",
                tofile=f"b/{result.path}",
            )
        )
    return "".join(chunks)


def _emit(output: str, output_file: Path | None, err: bool = False) -> None:
    if output_file is not None:
        output_file.write_text(output, encoding="utf-8")
    elif output:
        click.echo(output, nl=False, err=err)
